import Engine
import Episodes
import Foundation
import Registry
import Tasks
import Training

/// `arnn bench MODEL`: any registered model at its default sizes on copy: one forward step at batch 1
/// (the viewer's path) and training throughput; with `--converge`, time to learn copy.
public enum ModelBenchmark {
    /// The model kinds that can be benchmarked (every registered one).
    public static var kinds: [String] { Registry.catalog.kinds }

    /// A fresh `kind` on its default task (copy for the recurrent models).
    static func copyLearner(_ kind: String, seed: UInt64 = 1, overrides: [String: String] = [:]) throws -> any Learner {
        var rng = SeededRNG(seed: seed)
        return try Registry.catalog.model(kind).make(task: try Registry.tasks.task(named: Registry.defaultTask(kind)),
                                                     overrides: overrides, rng: &rng)
    }

    /// Forward per step and training throughput; `progress` receives each finished row.
    /// - Parameter trained: a trained model of `kind` (a demo's) for the step and episode rows, so decoding
    ///   runs as long as a trained model's does; nil uses a fresh one.
    /// - Parameter overrides: config fields of the fresh models (`bench dnc --set memoryRows=128`).
    public static func run(_ kind: String, trained: (any Learner)? = nil, overrides: [String: String] = [:],
                           progress: (BenchmarkRow) -> Void) throws -> [BenchmarkRow] {
        var rows: [BenchmarkRow] = []
        func add(_ r: BenchmarkRow) { rows.append(r); progress(r) }
        let name = kind.uppercased()
        let goals = Registry.benchTargets(kind)
        let viewed = try trained ?? copyLearner(kind, overrides: overrides)
        if let probe = viewed.stepProbe() {
            add(BenchmarkRow(name: "\(name) forward, one step, batch 1", value: medianMicroseconds(probe),
                             target: goals.step))
        }
        // A whole episode at batch 1 as the viewer runs it (for seq2seq: a greedy translation), and each
        // other way the model runs one (beam search).
        add(episodeRate(viewed, name: name, variant: nil))
        for variant in viewed.variants { add(episodeRate(viewed, name: name, variant: variant)) }

        // Training throughput on the default task, sequences per second; up to batch 128, where a model
        // whose step is matrix products over the batch still gains from batching.
        // The batched target is about the best batch size, so it goes on a row of its own after them.
        var best: (rate: Double, label: String)?
        for (batch, threads) in [(1, 1), (8, 2), (16, 2), (32, 2), (128, 2)] {
            var options = TrainingOptions()
            options.batchSize = batch
            options.threads = threads
            options.sequences = Int.max
            let trainer = Trainer(learner: try copyLearner(kind, overrides: overrides), options: options)
            _ = trainer.trainBatch()
            let start = monotonicNanoseconds()
            var done = 0
            while monotonicNanoseconds() - start < 3_000_000_000 {
                _ = trainer.trainBatch()
                done += batch
            }
            let seconds = Double(monotonicNanoseconds() - start) * 1e-9
            let rate = Double(done) / seconds, label = "batch \(batch), \(threads) thread\(threads > 1 ? "s" : "")"
            add(BenchmarkRow(name: "\(name) training, \(label)", value: rate,
                             target: batch == 1 ? goals.trainBatch1 : nil, unit: "seq/s"))
            if batch > 1 && rate > best?.rate ?? -1 { best = (rate, label) }
        }
        if let best, let target = goals.trainBatched {
            add(BenchmarkRow(name: "\(name) training, best: \(best.label)", value: best.rate, target: target, unit: "seq/s"))
        }
        return rows
    }

    /// Episodes per second on samples of the task's first evaluation length (10 vectors for copy, 15 words
    /// for translation), the viewer's path: every step's snapshot kept.
    static func episodeRate<L: Learner>(_ learner: L, name: String, variant: String?) -> BenchmarkRow {
        var rng = SeededRNG(seed: 3)
        let length = learner.task.evaluationLengths.first ?? 10
        let samples = (0..<16).map { _ in learner.evaluationSample(rng: &rng, length: length) }
        var i = 0
        let us = medianMicroseconds {
            _ = learner.episode(samples[i % samples.count], variant: variant)
            i += 1
        }
        return BenchmarkRow(name: "\(name) episode\(variant.map { ", " + $0 } ?? "") (\(learner.task.lengthName) \(length)), batch 1",
                            value: 1e6 / us, unit: "per s")
    }

    /// Wall time from a fixed seed until copy first stays under 0.1 wrong bits per sequence over 500
    /// sequences (the mean of the last 500 training sequences), at batch 1 with the default settings.
    public static func converge(_ kind: String, seed: UInt64 = 1, limit: Int = 100_000,
                                progress: (Int, Double) -> Void) throws -> (seconds: Double, sequences: Int)? {
        let learner = try copyLearner(kind, seed: seed)
        var options = TrainingOptions()
        options.seed = seed
        options.sequences = limit
        let trainer = Trainer(learner: learner, options: options)
        var window = RecentMean(window: 500)
        let start = monotonicNanoseconds()
        while trainer.sequencesDone < limit {
            let r = trainer.trainBatch()
            window.add(r.metrics[learner.curriculumMetric] ?? .nan)
            if r.sequencesDone % 1000 == 0 { progress(r.sequencesDone, window.mean) }
            if window.isFull && window.mean < 0.1 {
                return (Double(monotonicNanoseconds() - start) * 1e-9, r.sequencesDone)
            }
        }
        return nil
    }
}
