import Engine
import Foundation
import Testing
import Tasks

/// Copy episodes back to back (docs/tasks/copy-episodes.md).
@Suite struct CopyEpisodesTaskTests {
    let task = CopyEpisodesTask()

    /// The episodes' lengths and their vectors, read back from an example's own steps.
    func episodes(_ ex: Example) -> [(start: Int, n: Int)] {
        guard case .copyEpisodes(let lengths) = ex.parameters else { return [] }
        var start = 0
        return lengths.map { n in defer { start += 2 * n + 1 }; return (start, n) }
    }

    @Test func eachEpisodeIsACopyLaidOutAfterThePreviousOne() {
        var rng = SeededRNG(seed: 1)
        let ex = task.example(rng: &rng, length: 3)
        guard case .copyEpisodes(let lengths) = ex.parameters else { Issue.record("parameters \(ex.parameters)"); return }
        #expect(lengths.count == 3 && ex.parameters.length == 3)
        #expect(ex.steps == lengths.reduce(0) { $0 + 2 * $1 + 1 })
        #expect(ex.inputs.shape == [ex.steps, 9] && ex.targets.shape == [ex.steps, 8])
        var phases: [Phase] = [], mask: [Bool] = []
        for n in lengths {
            phases += [Phase](repeating: .input, count: n) + [.delimiter] + [Phase](repeating: .answer, count: n)
            mask += [Bool](repeating: false, count: n + 1) + [Bool](repeating: true, count: n)
        }
        #expect(ex.phases == phases && ex.mask == mask)
        #expect(ex.scoredBits == 8 * lengths.reduce(0, +))
        for (start, n) in episodes(ex) {
            for i in 0..<n {
                #expect(row(ex.targets, start + n + 1 + i) == row(ex.inputs, start + i, 0..<8), "episode at \(start), vector \(i)")
                #expect(ex.inputs[start + i, 8] == 0)
                #expect(row(ex.inputs, start + n + 1 + i) == zeros(9), "the answer steps have zero input")
                #expect(row(ex.targets, start + i) == zeros(8))
            }
            #expect(row(ex.inputs, start + n) == zeros(8) + [1], "the delimiter ends each episode's input")
        }
    }

    @Test func drawsFollowTheDocumentedOrder() {
        // K, then per episode n_k and its bits, as a copy draws its bits.
        var rng = SeededRNG(seed: 2)
        let ex = task.example(rng: &rng, length: nil)
        var replay = SeededRNG(seed: 2)
        let k = replay.int(in: 1...10)
        var expected: [Float] = []
        var lengths: [Int] = []
        for _ in 0..<k {
            let n = replay.int(in: 1...5)
            lengths.append(n)
            let bits = (0..<(n * 8)).map { _ in replay.bernoulli(0.5) ? Float(1) : 0 }
            expected += bits
        }
        #expect(ex.parameters == .copyEpisodes(lengths: lengths))
        let read = episodes(ex).flatMap { e in (0..<e.n).flatMap { row(ex.inputs, e.start + $0, 0..<8) } }
        #expect(read == expected)
    }

    @Test func withoutALengthTheEpisodesAndVectorsCoverTheirRanges() {
        let all = examples(TaskConfig(task), seed: 3, count: 400)
        let counts = all.map(\.parameters.length)
        #expect(counts.allSatisfy { (1...10).contains($0) } && counts.contains(1) && counts.contains(10))
        let vectors = all.flatMap { ex -> [Int] in
            guard case .copyEpisodes(let lengths) = ex.parameters else { return [] }
            return lengths
        }
        #expect(vectors.allSatisfy { (1...5).contains($0) } && vectors.contains(1) && vectors.contains(5))
    }

    @Test func sameSeedSameExampleAndTheConfigRoundTrips() throws {
        var a = SeededRNG(seed: 4), b = SeededRNG(seed: 4)
        #expect(task.example(rng: &a, length: 4) == task.example(rng: &b, length: 4))
        let custom = CopyEpisodesTask(bitWidth: 6, minEpisodes: 2, maxEpisodes: 3, minVectors: 2, maxVectors: 5)
        let catalog = TaskCatalog([CopyTask.self, CopyEpisodesTask.self])
        let decoded = try catalog.decode(JSONEncoder().encode(TaskConfig(custom)))
        #expect(decoded == TaskConfig(custom))
        // Left-out fields take their defaults.
        #expect(try catalog.decode(#"{"name":"copy-episodes","maxEpisodes":3}"#) == TaskConfig(CopyEpisodesTask(maxEpisodes: 3)))
    }

    @Test func badSettingsNameTheirField() {
        let cases: [(CopyEpisodesTask, String)] = [
            (CopyEpisodesTask(bitWidth: 0), "bitWidth"),
            (CopyEpisodesTask(minEpisodes: 0), "minEpisodes"),
            (CopyEpisodesTask(minEpisodes: 4, maxEpisodes: 3), "maxEpisodes"),
            (CopyEpisodesTask(minVectors: 0), "minVectors"),
            (CopyEpisodesTask(minVectors: 5, maxVectors: 2), "maxVectors"),
        ]
        for (t, field) in cases {
            #expect(throws: ArnnError.self, "\(field)") { try t.validate() }
            do { try t.validate() } catch let e as ArnnError { #expect(e.message.contains(field), "\(e.message)") } catch {}
        }
        #expect(throws: ArnnError.self) { try task.validate(length: 0) }
    }

    @Test func editedRowsAreCopiedBackAsOneEpisode() throws {
        let bits: [[Bool]] = [[true, false, false, false, false, false, false, true],
                              [false, true, true, false, false, true, true, false]]
        let ex = try task.example(bits: bits, repeats: nil)
        #expect(ex.parameters == .copyEpisodes(lengths: [2]) && ex.steps == 5)
        #expect(row(ex.targets, 3) == [1, 0, 0, 0, 0, 0, 0, 1] && row(ex.targets, 4) == [0, 1, 1, 0, 0, 1, 1, 0])
        #expect(task.editedEntries(of: ex) == bits.map { $0.map { $0 ? Float(1) : 0 } })
        #expect(throws: ArnnError.self) { try task.example(bits: [], repeats: nil) }
        #expect(throws: ArnnError.self) { try task.example(bits: [[true]], repeats: nil) }
        #expect(throws: ArnnError.self) { try task.example(bits: bits, repeats: 2) }
    }
}
