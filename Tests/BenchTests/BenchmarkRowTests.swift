import Foundation
import Testing
import Bench

/// Issue 12 (9): `bench --json` wrote every figure under "microseconds" (bytes and seq/s too) and no row
/// said when it missed its target.
@Suite("Benchmark rows")
struct BenchmarkRowTests {
    func json(_ row: BenchmarkRow) throws -> [String: Any] {
        let data = try JSONEncoder().encode(row)
        return try #require(JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    @Test func jsonGivesEachFigureWithItsUnit() throws {
        let bytes = try json(BenchmarkRow(name: "bytes per step", value: 812, unit: "B"))
        #expect(bytes["value"] as? Double == 812)
        #expect(bytes["unit"] as? String == "B")
        #expect(bytes["microseconds"] == nil)
        let rate = try json(BenchmarkRow(name: "training", value: 1200, target: "≥ 1,000 seq/s at best", unit: "seq/s"))
        #expect(rate["unit"] as? String == "seq/s")
        #expect(rate["met"] as? Bool == true)
        // One schema for every row: a row without flops or a target says so with null (issue 24).
        #expect(Set(bytes.keys) == ["name", "value", "unit", "gflops", "target", "met"])
        #expect(bytes["gflops"] is NSNull && bytes["target"] is NSNull && bytes["met"] is NSNull)
        let gemm = try json(BenchmarkRow(name: "gemm", value: 100, flops: 2e6, target: "≥ 20 GFLOP/s"))
        #expect(gemm["gflops"] as? Double == 20 && gemm["met"] as? Bool == true)
    }

    /// `bench --converge --json` failed when a run did not converge: JSON has no NaN.
    @Test func aFigureThatIsNotFiniteIsNullInJSON() throws {
        let row = BenchmarkRow(name: "no convergence", value: .nan, target: "≤ 60 s", unit: "s")
        let object = try json(row)
        #expect(object["value"] is NSNull)
        #expect(object["met"] as? Bool == false)
        let back = try JSONDecoder().decode(BenchmarkRow.self, from: JSONEncoder().encode(row))
        #expect(back.value.isNaN && back.name == row.name && back.met == false)
        #expect(try json(BenchmarkRow(name: "step", value: 12.5))["value"] as? Double == 12.5)
    }

    @Test func aMissedTargetIsMarkedInTheTableAndInJSON() throws {
        let slow = BenchmarkRow(name: "forward", value: 45, target: "≤ 30 µs")
        #expect(slow.met == false)
        #expect(slow.formatted.contains("target ≤ 30 µs   MISSED"))
        #expect(try json(slow)["met"] as? Bool == false)
        let fast = BenchmarkRow(name: "forward", value: 20, target: "≤ 30 µs")
        #expect(fast.met == true)
        #expect(!fast.formatted.contains("MISSED"))
    }

    @Test func targetsAreReadInTheirOwnUnit() {
        #expect(BenchmarkRow(name: "start", value: 160, target: "≤ 150 ms", unit: "ms").met == false)
        #expect(BenchmarkRow(name: "rss", value: 31, target: "≤ 50 MiB", unit: "MiB").met == true)
        #expect(BenchmarkRow(name: "step", value: 100, target: "< 154 µs (PyTorch)").met == true)
        #expect(BenchmarkRow(name: "rate", value: 10_000, target: "> 15,400 seq/s at 32", unit: "seq/s").met == false)
        // GFLOP/s targets are held against the row's GFLOP/s: 2e6 flops in 100 µs is 20 GFLOP/s.
        #expect(BenchmarkRow(name: "gemm", value: 100, flops: 2e6, target: "≥ 20 GFLOP/s").met == true)
        #expect(BenchmarkRow(name: "gemm", value: 200, flops: 2e6, target: "≥ 20 GFLOP/s").met == false)
        // A target in another unit is not judged.
        #expect(BenchmarkRow(name: "odd", value: 1, target: "≤ 2 ms").met == nil)
        #expect(BenchmarkRow(name: "none", value: 1).met == nil)
    }
}
