import Engine
import Episodes
import Foundation
import Models
import Registry
import Tasks
import Testing

/// Every shipped demo is scored on fresh seeded samples, so a regression in the engine, the model or a
/// checkpoint fails CI: against the `checks` its demo.json names (the thresholds live beside the demo),
/// and here where a check needs more than a metric's bound (grammar rules, ACT's τ comparison).
@Suite struct ShippedCheckpointTests {
    static let demos = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("demos").path

    func load(_ name: String) throws -> LoadedModel {
        try LoadedModel.load((Self.demos as NSString).appendingPathComponent(name), catalog: Registry.catalog)
    }

    /// Issue 9: every grammar rule translated right in most of the held-out sentences that use it (the
    /// overall exact match is a check in each demo's manifest).
    @Test(arguments: ["translate", "translate-dot", "translate-transformer"])
    func translationIsExactOnHeldOutSentencesRuleByRule(demo: String) throws {
        guard FileManager.default.fileExists(atPath: "\(Self.demos)/\(demo)/demo.json") else {
            Issue.record("\(demo) is not shipped")
            return
        }
        let model = try load(demo)
        let byRule = try ruleAccuracy(model.learner, count: 600)
        for rule in TranslationRule.allCases {
            let (right, total) = byRule[rule] ?? (0, 0)
            #expect(total >= 10, "\(rule): only \(total) held-out sentences use it")
            #expect(Double(right) >= 0.9 * Double(total), "\(demo) \(rule): \(right) of \(total) exact")
        }
    }

    /// Exact translations of held-out sentences per grammar rule they use.
    func ruleAccuracy<L: Learner>(_ learner: L, count: Int) throws -> [TranslationRule: (Int, Int)] {
        let task = TranslationTask(split: .heldOut)
        var rng = SeededRNG(seed: 99)
        var result: [TranslationRule: (Int, Int)] = [:]
        let g = Graph()
        for _ in 0..<count {
            let pair = task.sample(rng: &rng, length: 15)
            let exact = learner.run(g, [pair as! L.Sample], lossScale: nil)[0][TokenObjective.exactMatch] == 1
            for rule in pair.rules {
                let (r, t) = result[rule] ?? (0, 0)
                result[rule] = (r + (exact ? 1 : 0), t + 1)
            }
        }
        return result
    }

    /// Issue 10: ≥ 98 % right on fresh 16-entry parity inputs over the training distribution
    /// (k = 1…16 non-zero entries), and no k below 90 %.
    @Test func actParityIsRightOnFreshSixteenEntryInputs() throws {
        let model = try load("act-parity")
        let reports = try Evaluator.evaluate(model.learner, lengths: Array(1...16), count: 300, seed: 2024)
        let accuracy = reports.map { $0[BitObjective.perfect] }
        #expect(accuracy.reduce(0, +) / 16 >= 0.98, "act-parity: \(accuracy)")
        #expect(accuracy.allSatisfy { $0 >= 0.9 }, "act-parity: \(accuracy)")
        #expect(reports.allSatisfy { $0["meanPonder"] >= 1 }, "the ponder cost ρ = N + R ≥ 1 is reported")
        #expect(zip(reports, accuracy).allSatisfy { abs($0[BitObjective.accuracy] - $1) < 1e-12 }, "one bit: accuracy is the perfect share")
    }

    /// Issue 24: 32-entry parity right on ≥ 99.5 % of fresh inputs over k = 1…32 non-zero entries (the
    /// manifest holds every k to 98 %), with the ponder weight τ = 10⁻⁴ it was trained with, and more ponder
    /// steps for many entries than for one.
    @Test func actParity32IsRightOnFreshInputsOfEveryCount() throws {
        let model = try load("act-parity-32")
        #expect((model.learner.config as? ACTConfig)?.tau == 1e-4)
        let reports = try Evaluator.evaluate(model.learner, lengths: Array(1...32), count: 300, seed: 2026)
        let accuracy = reports.map { $0[BitObjective.perfect] }
        #expect(accuracy.reduce(0, +) / 32 >= 0.995, "act-parity-32: \(accuracy)")
        #expect(reports[15]["meanPonder"] > reports[0]["meanPonder"] + 0.5, "ρ at 16 entries against 1")
    }

    /// Issue 10's τ comparison: the same recipe with ten times the ponder weight ponders less and is
    /// right less often, on the same fresh inputs; both are scored, and the difference is what the demo
    /// pair shows.
    @Test func aTenTimesLargerPonderWeightTradesPonderStepsForAccuracy() throws {
        let frugal = try load("act-parity-tau1e-2"), base = try load("act-parity")
        #expect((frugal.learner.config as? ACTConfig)?.tau == 0.01 && (base.learner.config as? ACTConfig)?.tau == 0.001)
        let lengths = Array(1...16)
        let a = try Evaluator.evaluate(base.learner, lengths: lengths, count: 300, seed: 2025)
        let b = try Evaluator.evaluate(frugal.learner, lengths: lengths, count: 300, seed: 2025)
        func mean(_ r: [LengthReport], _ m: String) -> Double { r.map { $0[m] }.reduce(0, +) / Double(r.count) }
        let (ponderA, ponderB) = (mean(a, "meanPonder"), mean(b, "meanPonder"))
        let (rightA, rightB) = (mean(a, BitObjective.accuracy), mean(b, BitObjective.accuracy))
        #expect(ponderB < ponderA - 0.5, "ponder: τ 1e-3 \(ponderA), τ 1e-2 \(ponderB)")
        #expect(rightB < rightA, "accuracy: τ 1e-3 \(rightA), τ 1e-2 \(rightB)")
        // What the τ = 1e-2 checkpoint was shipped at (its README): right on the few-entry inputs it learned.
        #expect(b.prefix(3).allSatisfy { $0[BitObjective.accuracy] >= 0.97 }, "\(b.prefix(3).map { $0[BitObjective.accuracy] })")
        #expect(rightB >= 0.6, "τ 1e-2 over 1-16 entries: \(rightB)")
    }

    /// One check a demo's manifest asks for (`"checks"` in demo.json): the mean of `metric` over `count`
    /// fresh samples at each length, from seeds the demo's README does not use, at least or at most a bound.
    struct ManifestCheck: Decodable, CustomStringConvertible {
        var lengths: [Int]
        var count: Int
        var seed: UInt64
        var metric: String
        var atLeast: Double?
        var atMost: Double?
        var description: String {
            "\(metric) at \(lengths) (\(count) samples, seed \(seed))" + (atLeast.map { " ≥ \($0)" } ?? "") + (atMost.map { " ≤ \($0)" } ?? "")
        }
    }

    struct Checks: Decodable { var checks: [ManifestCheck]? }

    static func shippedDemos() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: demos)) ?? []
        return names.filter { FileManager.default.fileExists(atPath: "\(demos)/\($0)/demo.json") }.sorted()
    }

    /// Every demo whose manifest names checks meets them; the thresholds live beside the demo, not here.
    @Test(arguments: shippedDemos())
    func everyDemoMeetsTheChecksInItsManifest(_ name: String) throws {
        let data = try #require(FileManager.default.contents(atPath: "\(Self.demos)/\(name)/demo.json"))
        guard let checks = try JSONDecoder().decode(Checks.self, from: data).checks else { return }
        let model = try load(name)
        for check in checks {
            #expect(check.atLeast != nil || check.atMost != nil, "\(name): \(check) bounds nothing")
            let reports = try Evaluator.evaluate(model.learner, lengths: check.lengths, count: check.count, seed: check.seed)
            for report in reports {
                let value = try #require(report.metrics[check.metric], "\(name) has no metric \(check.metric)")
                if let low = check.atLeast { #expect(value >= low, "\(name) at \(report.length): \(check.metric) \(value) < \(low)") }
                if let high = check.atMost { #expect(value <= high, "\(name) at \(report.length): \(check.metric) \(value) > \(high)") }
            }
        }
    }

    /// A demo ships with the figures its test holds it to.
    @Test func everyDemoManifestNamesItsChecks() throws {
        for name in Self.shippedDemos() {
            let data = try #require(FileManager.default.contents(atPath: "\(Self.demos)/\(name)/demo.json"))
            let checks = try JSONDecoder().decode(Checks.self, from: data).checks ?? []
            #expect(!checks.isEmpty, "\(name)'s demo.json names no checks")
        }
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

    /// Issue 12: each demo opens (its `defaultLength` and `defaultSeed`, as `arnn view` and `arnn trace`
    /// draw them) on an example it gets right: 0 wrong bits, or for translation 0 wrong tokens.
    @Test func everyDemoOpensOnAnExampleItGetsRight() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: Self.demos)
            .filter { FileManager.default.fileExists(atPath: "\(Self.demos)/\($0)/demo.json") }
        #expect(!names.isEmpty)
        for name in names.sorted() {
            let model = try load(name)
            let episode = try openingEpisode(model.learner, length: model.defaultLength, seed: model.defaultSeed)
            #expect(episode.score.wrong == 0,
                    "\(name) opens (length \(model.defaultLength), seed \(model.defaultSeed)) on \(episode.score.wrong) wrong")
        }
    }

    /// The episode the viewer opens on: the sample drawn from `seed` at `length`, as `ViewerEffects` draws it.
    func openingEpisode<L: Learner>(_ learner: L, length: Int, seed: UInt64) throws -> Episode {
        var rng = SeededRNG(seed: seed)
        return learner.episode(try learner.checkedSample(rng: &rng, length: length), variant: nil)
    }
}
