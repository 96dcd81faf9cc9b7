import Dispatch
import Engine
import Foundation
import Models
import Tasks

/// The metrics of a model at one length over many fresh samples, by the objective's names.
public struct LengthReport: Encodable, Equatable, Sendable {
    public var length: Int
    public var count: Int
    public var metrics: MetricValues
    /// The metrics over the samples of each category (grammar rule), for tasks whose samples have them.
    public var categories: [String: MetricValues] = [:]
    /// The metrics over the samples of each own length (a sentence's words), for tasks whose samples can
    /// be shorter than the length asked for (`MeasuredSample`); each with its `count`.
    public var byOwnLength: [Int: MetricValues] = [:]

    /// The metric called `name` (0 if the objective has none).
    public subscript(name: String) -> Double { metrics[name] ?? 0 }

    /// `{"length": 10, "count": 1000, <metric name>: <mean>, ...}`.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: DynamicKey.self)
        try c.encode(length, forKey: DynamicKey("length"))
        try c.encode(count, forKey: DynamicKey("count"))
        for (name, value) in metrics.values { try c.encode(value, forKey: DynamicKey(name)) }
        if !categories.isEmpty {
            var nested = c.nestedContainer(keyedBy: DynamicKey.self, forKey: DynamicKey("byCategory"))
            for (category, values) in categories {
                var inner = nested.nestedContainer(keyedBy: DynamicKey.self, forKey: DynamicKey(category))
                for (name, value) in values.values { try inner.encode(value, forKey: DynamicKey(name)) }
            }
        }
        if !byOwnLength.isEmpty {
            var nested = c.nestedContainer(keyedBy: DynamicKey.self, forKey: DynamicKey("byOwnLength"))
            for (own, values) in byOwnLength {
                var inner = nested.nestedContainer(keyedBy: DynamicKey.self, forKey: DynamicKey(String(own)))
                for (name, value) in values.values { try inner.encode(value, forKey: DynamicKey(name)) }
            }
        }
    }
}

/// Runs a model over many seeded samples without a tape, in batches split over threads.
public enum Evaluator {
    /// The samples for `length` come from `SeededRNG(seed: seed ⊕ length)`, so a report is reproducible
    /// and each length's samples do not depend on which other lengths are asked for.
    public static func evaluate(_ learner: any Learner, lengths: [Int], count: Int, seed: UInt64,
                                batchSize: Int = 32, threads: Int = 2) throws -> [LengthReport] {
        try lengths.map { length in
            try learner.task.validate(length: length)
            let (values, categories, own) = scores(learner, length: length, count: count, seed: seed, batchSize: batchSize,
                                                   threads: threads)
            var report = LengthReport(length: length, count: values.count, metrics: MetricValues.mean(values))
            func grouped<K>(_ groups: [K: [MetricValues]]) -> [K: MetricValues] {
                groups.mapValues { group in
                    var m = MetricValues.mean(group)
                    m["count"] = Double(group.count)
                    return m
                }
            }
            var byCategory: [String: [MetricValues]] = [:], byOwn: [Int: [MetricValues]] = [:]
            for (v, cats) in zip(values, categories) { for c in cats { byCategory[c, default: []].append(v) } }
            for (v, n) in zip(values, own) { if let n { byOwn[n, default: []].append(v) } }
            report.categories = grouped(byCategory)
            report.byOwnLength = grouped(byOwn)
            return report
        }
    }

    /// The generator of the samples an evaluation from `seed` scores at `length`.
    public static func rng(seed: UInt64, length: Int) -> SeededRNG {
        SeededRNG(seed: seed ^ (UInt64(length) &* 0x9E37_79B9_7F4A_7C15))
    }

    /// Sample `index` (from 0) of those `evaluate(learner, lengths: [length, ...], count: > index, seed:)`
    /// scores at `length`, so any of them can be traced (`arnn trace --eval-seed S --length L --eval-index I`).
    public static func sample<L: Learner>(_ learner: L, length: Int, seed: UInt64, index: Int) throws -> L.Sample {
        try learner.task.validate(length: length)
        if let set = learner.evaluationSet(length: length) {
            guard index < set.count else { throw ArnnError("--eval-index \(index): the test set at \(length) has \(set.count) samples") }
            return set[index]
        }
        var rng = Self.rng(seed: seed, length: length)
        for _ in 0..<index { _ = learner.evaluationSample(rng: &rng, length: length) }
        return learner.evaluationSample(rng: &rng, length: length)
    }

    /// The same for a learner of any kind, its sample type erased (what the commands hold).
    public static func sample(_ learner: any Learner, length: Int, seed: UInt64, index: Int) throws -> any Sendable {
        func typed<L: Learner>(_ l: L) throws -> any Sendable { try sample(l, length: length, seed: seed, index: index) }
        return try typed(learner)
    }

    /// Every sample's metric values, its categories (none for samples without) and its own length (nil
    /// for samples without one).
    static func scores<L: Learner>(_ learner: L, length: Int, count: Int, seed: UInt64, batchSize: Int,
                                   threads: Int) -> ([MetricValues], [[String]], [Int?]) {
        var rng = Self.rng(seed: seed, length: length)
        let samples = learner.evaluationSet(length: length) ?? (0..<count).map { _ in learner.evaluationSample(rng: &rng, length: length) }
        let batches = stride(from: 0, to: samples.count, by: batchSize).map {
            Array(samples[$0..<min($0 + batchSize, samples.count)])
        }
        var scores = [[MetricValues]](repeating: [], count: batches.count)
        let workers = max(1, min(threads, batches.count))
        scores.withUnsafeMutableBufferPointer { out in
            let shared = UncheckedSendable(out)
            DispatchQueue.concurrentPerform(iterations: workers) { w in
                let g = Graph()
                for i in stride(from: w, to: batches.count, by: workers) {
                    shared.value[i] = learner.run(g, batches[i], lossScale: nil)
                }
            }
        }
        return (scores.flatMap { $0 }, samples.map { ($0 as? any CategorisedSample)?.categories ?? [] },
                samples.map { ($0 as? any MeasuredSample)?.ownLength })
    }
}
