import Engine
import Foundation
import Testing
import Tasks

/// Logic with the gate count as the length (`logic-gates`, docs/tasks/logic.md "By gates").
@Suite struct LogicGatesTaskTests {
    let task = LogicGatesTask()

    @Test func everyVectorHoldsExactlyTheLengthsGatesAndTheTargetsFollowTheRecursion() {
        for g in [1, 4, 10] {
            var rng = SeededRNG(seed: UInt64(g))
            let ex = task.example(rng: &rng, length: g)
            guard case .logicGates(let gates) = ex.parameters else { Issue.record("\(ex.parameters)"); continue }
            #expect(ex.parameters.length == g && gates.allSatisfy { $0.count == g })
            #expect((1...10).contains(ex.steps) && gates.count == ex.steps)
            // The layout is logic's: re-deriving the targets from the inputs and the carried b₀.
            var b0 = ex.inputs[0, 0] == 1
            for t in 0..<ex.steps {
                let v = row(ex.inputs, t)
                #expect((0..<10).allSatisfy { k in Array(v[(2 + 10 * k)..<(12 + 10 * k)]).filter { $0 == 1 }.count == (k < g ? 1 : 0) })
                let chain = gates[t].map { LogicTask.Gate(rawValue: $0)! }
                b0 = LogicTask.result(b0: b0, b1: v[1] == 1, gates: chain)
                #expect(ex.targets[t, 0] == (b0 ? 1 : 0), "gates \(g), vector \(t)")
                if t > 0 { #expect(v[0] == 0, "a later vector's b0 is the carried answer") }
            }
        }
    }

    @Test func drawsFollowTheDocumentedOrder() {
        var rng = SeededRNG(seed: 9)
        let ex = task.example(rng: &rng, length: nil)
        var replay = SeededRNG(seed: 9)
        let g = replay.int(in: 1...10), n = replay.int(in: 1...10)
        _ = replay.bernoulli(0.5)
        var expected: [[Int]] = []
        for _ in 0..<n {
            _ = replay.bernoulli(0.5)
            expected.append((0..<g).map { _ in replay.int(below: 10) })
        }
        #expect(ex.parameters == .logicGates(gates: expected))
    }

    @Test func theLengthIsTheGateCountAndTheSettingsAreLogics() throws {
        #expect(LogicGatesTask.lengthName == "gates" && task.lengthRange == 1...10)
        #expect(task.evaluationLengths == [1, 5, 10] && task.inputWidth == 102 && task.outputWidth == 1)
        #expect(try TaskConfig(task).withLengthRange(2...4).task as? LogicGatesTask == LogicGatesTask(minGates: 2, maxGates: 4))
        #expect(throws: ArnnError.self) { try task.validate(length: 11) }
        #expect(throws: ArnnError.self) { try task.validate(length: 0) }
        #expect(throws: ArnnError.self) { try LogicGatesTask(chunks: 3, maxGates: 4).validate() }
        let catalog = TaskCatalog([LogicTask.self, LogicGatesTask.self])
        #expect(try catalog.decode(#"{"name":"logic-gates","chunks":4}"#) == TaskConfig(LogicGatesTask(chunks: 4, maxGates: 4)))
        var a = SeededRNG(seed: 3), b = SeededRNG(seed: 3)
        #expect(task.example(rng: &a, length: 6) == task.example(rng: &b, length: 6))
    }
}
