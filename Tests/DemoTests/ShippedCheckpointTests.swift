import Engine
import Episodes
import Foundation
import Registry
import Testing

/// Every shipped demo is scored on fresh seeded sequences against the thresholds of issue 4, so a
/// regression in the engine, the model or a checkpoint fails CI.
@Suite struct ShippedCheckpointTests {
    static let demos = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("demos").path

    func load(_ name: String) throws -> LoadedModel {
        try LoadedModel.load((Self.demos as NSString).appendingPathComponent(name), catalog: Registry.catalog)
    }

    /// (length, count, most wrong bits per sequence allowed)
    func expectScores(_ demo: String, _ limits: [(Int, Int, Double)], seed: UInt64 = 2024,
                      sourceLocation: SourceLocation = #_sourceLocation) throws {
        let model = try load(demo)
        for (length, count, limit) in limits {
            let report = try Evaluator.evaluate(model.learner, lengths: [length], count: count, seed: seed)[0]
            let wrong = report[BitObjective.wrongBits]
            #expect(wrong <= limit, "\(demo) at \(length): \(wrong) wrong bits per sequence (limit \(limit))",
                    sourceLocation: sourceLocation)
        }
    }

    @Test func copyIsNearPerfectWithinTrainingLengthsAndGeneralisesToFortyAndEighty() throws {
        // Issue 4 asks ≤ 0.1 at 10 and 20 and ≤ 1 at 40; the shipped model also copies 80 perfectly.
        try expectScores("ntm-copy", [(10, 300, 0.1), (20, 300, 0.1), (40, 200, 1), (80, 100, 1)])
    }

    @Test func associativeRecallIsNearPerfectForTwoToSixItems() throws {
        try expectScores("ntm-assoc-recall", [(2, 150, 0.1), (4, 150, 0.1), (6, 200, 0.1)])
    }

    /// The issue sets no threshold for repeat copy; this guards the level shipped (about one sequence in
    /// ten has a few wrong bits; a length-10 sequence repeated 10 times scores 801 bits).
    @Test func repeatCopyStaysAtTheShippedLevel() throws {
        try expectScores("ntm-repeat-copy", [(5, 300, 2), (10, 300, 2)])
    }

    /// Issue 8: the LSTM baseline copies within its training lengths (≤ 1 wrong bit per sequence at 10)
    /// and fails beyond them, where the NTM does not: that contrast is what the demo is for.
    @Test func lstmCopiesWithinTrainingAndFailsBeyond() throws {
        try expectScores("lstm-copy", [(5, 300, 0.1), (10, 500, 1)])
        let model = try load("lstm-copy")
        let far = try Evaluator.evaluate(model.learner, lengths: [40], count: 100, seed: 2024)[0]
        #expect(far[BitObjective.wrongBits] > 50, "lstm-copy at 40: \(far[BitObjective.wrongBits]) wrong bits")
    }

    @Test func everyShippedDemoLoadsAndNamesItsTrainingCommand() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: Self.demos)
            .filter { FileManager.default.fileExists(atPath: "\(Self.demos)/\($0)/demo.json") }
        #expect(names.contains("ntm-copy") && names.contains("ntm-assoc-recall"))
        for name in names {
            let model = try load(name)
            let command = model.metadata[CheckpointMetadataKey.command] ?? ""
            #expect(command.hasPrefix("arnn train"), "\(name): training command \(command)")
            #expect(model.metadata[CheckpointMetadataKey.seed] != nil, "\(name) records its seed")
            #expect(Int(model.metadata[CheckpointMetadataKey.steps] ?? "") ?? 0 > 0)
        }
    }
}
