import Engine
import Foundation
import Testing
import Tasks

@Suite struct LogicTaskTests {
    typealias Gate = LogicTask.Gate
    let task = LogicTask()

    /// Decodes an example the way a reader of the documented encoding would: b₀ from channel 0 of the
    /// first vector and from the previous target after it, b₁ from channel 1, gates from the leading
    /// one-hot chunks.
    func decode(_ ex: Example, chunks: Int = 10) -> (b0: Bool, vectors: [LogicTask.Vector]) {
        let vectors = (0..<ex.steps).map { t in
            let v = row(ex.inputs, t)
            var gates: [Gate] = []
            for k in 0..<chunks {
                let chunk = Array(v[(2 + 10 * k)..<(12 + 10 * k)])
                guard let hot = chunk.firstIndex(of: 1) else { break }
                gates.append(Gate(rawValue: hot)!)
            }
            return LogicTask.Vector(b1: v[1] == 1, gates: gates)
        }
        return (ex.inputs[0, 0] == 1, vectors)
    }

    @Test func logicIsOneScoredStepPerVectorOf102EntriesAndOneTargetBit() {
        var rng = SeededRNG(seed: 1)
        let ex = task.example(rng: &rng, length: 7)
        #expect(task.inputWidth == 102 && task.outputWidth == 1)
        #expect(ex.inputs.shape == [7, 102] && ex.targets.shape == [7, 1])
        #expect(ex.mask == [Bool](repeating: true, count: 7) && ex.phases == [Phase](repeating: .answer, count: 7))
        #expect(ex.scoredBits == 7 && ex.parameters.length == 7)
        let names = task.inputChannelNames
        #expect(names.count == 102 && names.prefix(4) == ["b0", "b1", "g1.NOR", "g1.Xq"])
        #expect(names[11] == "g1.OR" && names[12] == "g2.NOR" && names.last == "g10.OR")
        #expect(task.outputChannelNames == ["result"])
        #expect(LogicTask(chunks: 3).inputWidth == 32)
    }

    /// Table 1 of the paper, written out per gate as T(p, q) for (p, q) = 00, 01, 10, 11.
    static let truthTables: [(Gate, String, [Bool])] = [
        (.nor, "NOR", [true, false, false, false]),
        (.xq, "Xq", [false, true, false, false]),
        (.abj, "ABJ", [false, false, true, false]),
        (.xor, "XOR", [false, true, true, false]),
        (.nand, "NAND", [true, true, true, false]),
        (.and, "AND", [false, false, false, true]),
        (.xnor, "XNOR", [true, false, false, true]),
        (.ifThen, "if/then", [true, true, false, true]),
        (.thenIf, "then/if", [true, false, true, true]),
        (.or, "OR", [false, true, true, true]),
    ]

    @Test func everyGateFollowsTable1AndOneGateMapsTheNewerBitToPAndTheOlderToQ() throws {
        #expect(Self.truthTables.map(\.0) == Gate.allCases && Gate.allCases.map(\.rawValue) == Array(0..<10))
        for (gate, label, table) in Self.truthTables {
            #expect(gate.label == label)
            for (i, (p, q)) in [(false, false), (false, true), (true, false), (true, true)].enumerated() {
                #expect(gate.apply(p, q) == table[i], "\(label)(\(p), \(q))")
                // One vector with this one gate: b₂ = T₁(b₁, b₀), so p is b₁ and q is b₀.
                let ex = try task.example(b0: q, vectors: [.init(b1: p, gates: [gate])])
                #expect(ex.targets[0, 0] == (table[i] ? 1 : 0), "\(label) with b0 = \(q), b1 = \(p)")
                var expected = zeros(102)
                expected[0] = q ? 1 : 0
                expected[1] = p ? 1 : 0
                expected[2 + gate.rawValue] = 1
                #expect(row(ex.inputs, 0) == expected)
            }
        }
    }

    @Test func gatesChainAsBNextEqualsTOfTheNewerAndTheOlderBit() throws {
        // b₀ = 1, b₁ = 0: b₂ = XOR(b₁, b₀) = 1, b₃ = AND(b₂, b₁) = 0, b₄ = NOR(b₃, b₂) = NOR(0, 1) = 0.
        let ex = try task.example(b0: true, vectors: [.init(b1: false, gates: [.xor, .and, .nor])])
        #expect(ex.targets[0, 0] == 0)
        #expect(row(ex.inputs, 0, 0..<32) == [1, 0] + onehot(3) + onehot(5) + onehot(0))
        #expect(row(ex.inputs, 0, 32..<102) == zeros(70))
        // Argument order matters for Xq and ABJ: b₀ = 0, b₁ = 1 gives Xq(1, 0) = 0 but ABJ(1, 0) = 1.
        #expect(LogicTask.result(b0: false, b1: true, gates: [.xq]) == false)
        #expect(LogicTask.result(b0: false, b1: true, gates: [.abj]) == true)
        // b₀ = 1, b₁ = 1: b₂ = if/then(1, 1) = 1, b₃ = then/if(b₂ = 1, b₁ = 1) = 1, b₄ = Xq(1, 1) = 0,
        // b₅ = NAND(0, 1) = 1.
        #expect(LogicTask.result(b0: true, b1: true, gates: [.ifThen, .thenIf, .xq, .nand]) == true)
    }

    @Test func laterVectorsCarryThePreviousTargetAsB0AndShowZeroForIt() throws {
        let ex = try task.example(b0: true, vectors: [
            .init(b1: false, gates: [.or]),        // OR(b₁ = 0, b₀ = 1) = 1
            .init(b1: false, gates: [.xor]),       // b₀ = 1 carried: XOR(0, 1) = 1 (with b₀ = 0 it would be 0)
            .init(b1: true, gates: [.and, .xq]),   // b₀ = 1 carried: b₂ = AND(1, 1) = 1, b₃ = Xq(1, 1) = 0
            .init(b1: false, gates: [.nor]),       // b₀ = 0 carried: NOR(0, 0) = 1
        ])
        #expect(ex.targets.data == [1, 1, 0, 1])
        #expect(row(ex.inputs, 0, 0..<2) == [1, 0])
        #expect(row(ex.inputs, 1, 0..<2) == [0, 0] && row(ex.inputs, 2, 0..<2) == [0, 1] && row(ex.inputs, 3, 0..<2) == [0, 0])
        #expect(row(ex.inputs, 2, 2..<22) == onehot(5) + onehot(1))
        #expect(ex.parameters == .logic(gates: [[9], [3], [5, 1], [0]]))
    }

    @Test func randomExamplesDecodeToTheirTargetsAndCoverEveryGateAndCount() throws {
        var rng = SeededRNG(seed: 2)
        var seenGates = Set<Gate>(), seenCounts = Set<Int>(), seenLengths = Set<Int>(), ones = 0, answers = 0
        for _ in 0..<300 {
            let ex = task.example(rng: &rng, length: nil)
            #expect(ex.inputs.data.allSatisfy { $0 == 0 || $0 == 1 })
            let (b0, vectors) = decode(ex)
            // Every one in the input is b₀, b₁ or a gate of a leading chunk: nothing after the first empty chunk.
            #expect(ex.inputs.data.filter { $0 == 1 }.count
                    == (b0 ? 1 : 0) + vectors.reduce(0) { $0 + ($1.b1 ? 1 : 0) + $1.gates.count })
            #expect(try task.example(b0: b0, vectors: vectors) == ex)
            var carried = b0
            for (t, v) in vectors.enumerated() {
                if t > 0 { #expect(ex.inputs[t, 0] == 0) }
                carried = LogicTask.result(b0: carried, b1: v.b1, gates: v.gates)
                #expect(ex.targets[t, 0] == (carried ? 1 : 0))
                seenGates.formUnion(v.gates)
                seenCounts.insert(v.gates.count)
                ones += carried ? 1 : 0
                answers += 1
            }
            #expect(ex.parameters == .logic(gates: vectors.map { $0.gates.map(\.rawValue) }))
            seenLengths.insert(ex.steps)
        }
        #expect(seenGates == Set(Gate.allCases) && seenCounts == Set(1...10) && seenLengths == Set(1...10))
        #expect((0.4...0.6).contains(Double(ones) / Double(answers)), "targets are roughly balanced")
    }

    @Test func gateAndVectorCountsStayInTheirRanges() throws {
        let narrow = try LogicTask(minGates: 2, maxGates: 3).withLengthRange(4...5)
        var rng = SeededRNG(seed: 3)
        var counts = Set<Int>(), lengths = Set<Int>()
        for _ in 0..<200 {
            let ex = narrow.example(rng: &rng, length: nil)
            lengths.insert(ex.steps)
            counts.formUnion(decode(ex).vectors.map(\.gates.count))
        }
        #expect(counts == [2, 3] && lengths == [4, 5])
        // An explicit length may go past the training range: the width does not depend on it.
        #expect(task.example(rng: &rng, length: 25).steps == 25)
        #expect(task.evaluationLengths == [1, 5, 10])
    }

    @Test func sameSeedGivesTheSameExampleAndTheDrawOrderIsAsDocumented() {
        var a = SeededRNG(seed: 4), b = SeededRNG(seed: 4), c = SeededRNG(seed: 5)
        let x = (0..<20).map { _ in task.example(rng: &a, length: nil) }
        #expect(x == (0..<20).map { _ in task.example(rng: &b, length: nil) })
        #expect(x != (0..<20).map { _ in task.example(rng: &c, length: nil) })
        // The documented order: L, the first b₀, then per vector b₁, B and B gates.
        var r = SeededRNG(seed: 6), mirror = SeededRNG(seed: 6)
        let ex = task.example(rng: &r, length: nil)
        let n = mirror.int(in: 1...10)
        let b0 = mirror.bernoulli(0.5)
        let vectors = (0..<n).map { _ in
            let b1 = mirror.bernoulli(0.5)
            let count = mirror.int(in: 1...10)
            return LogicTask.Vector(b1: b1, gates: (0..<count).map { _ in Gate(rawValue: mirror.int(below: 10))! })
        }
        #expect(decode(ex).b0 == b0 && decode(ex).vectors == vectors)
        #expect(r.next() == mirror.next())
    }

    @Test func logicRejectsABadConfigurationNamingTheField() {
        func message(_ t: LogicTask) -> String? { (#expect(throws: ArnnError.self) { try t.validate() })?.message }
        #expect(message(LogicTask(chunks: 0)) == "logic: chunks must be at least 1, got 0")
        #expect(message(LogicTask(chunks: 103))
                == "logic: chunks must be at most 102 (the input is 2 + 10·chunks wide, at most 1024), got 103")
        #expect(message(LogicTask(minGates: 0)) == "logic: minGates must be at least 1, got 0")
        #expect(message(LogicTask(minGates: 4, maxGates: 2)) == "logic: maxGates (2) must not be less than minGates (4)")
        #expect(message(LogicTask(chunks: 5, maxGates: 6)) == "logic: maxGates must be at most 5 (the number of chunks), got 6")
        #expect(message(LogicTask(minVectors: 0)) == "logic: minVectors must be at least 1, got 0")
        #expect(message(LogicTask(minVectors: 3, maxVectors: 2)) == "logic: maxVectors (2) must not be less than minVectors (3)")
        #expect(message(LogicTask(maxVectors: 200_000))
                == "logic: 200000 vectors gives 200000 timesteps, more than the limit of 100000")
        #expect((#expect(throws: ArnnError.self) { try task.validate(length: 0) })?.message
                == "logic: vectors must be at least 1, got 0")
        #expect((#expect(throws: ArnnError.self) { try task.withLengthRange(0...4) })?.message
                == "logic: minVectors must be at least 1, got 0")
        #expect(throws: Never.self) { try task.validate() }
    }

    @Test func handMadeExamplesRejectMissingVectorsAndBadGateCounts() {
        func message(_ vectors: [LogicTask.Vector]) -> String? {
            (#expect(throws: ArnnError.self) { try LogicTask(chunks: 2).example(b0: false, vectors: vectors) })?.message
        }
        #expect(message([]) == "logic: the sequence has no vectors")
        #expect(message([.init(b1: true, gates: [.or]), .init(b1: true, gates: [])])
                == "logic: vector 2 has 0 gates, expected 1 to 2")
        #expect(message([.init(b1: true, gates: [.or, .or, .or])]) == "logic: vector 1 has 3 gates, expected 1 to 2")
    }

    @Test func leftOutFieldsTakeTheirDefaultsAndMaxGatesFollowsTheChunks() throws {
        let d = try LogicTask.decode(json: Data("{}".utf8))
        #expect(d == LogicTask() && d.lengthRange == 1...10 && d.maxGates == 10)
        let s = try LogicTask.decode(json: Data("{\"chunks\": 4}".utf8))
        #expect(s.maxGates == 4 && s.inputWidth == 42)
        let custom = LogicTask(chunks: 6, minGates: 2, maxGates: 5, minVectors: 3, maxVectors: 7)
        #expect(try LogicTask.decode(json: JSONEncoder().encode(custom)) == custom)
        let catalog = TaskCatalog([LogicTask.self])
        #expect(try catalog.task(named: "logic") == TaskConfig(LogicTask()))
        #expect((#expect(throws: ArnnError.self) { try catalog.decode("{\"name\": \"logic\", \"maxGates\": 11}") })?.message
                == "logic: maxGates must be at most 10 (the number of chunks), got 11")
    }

    func onehot(_ i: Int) -> [Float] {
        var v = zeros(10)
        v[i] = 1
        return v
    }
}
