import Engine
import Models
import Tasks
import Training

/// `arnn bench ntm`: the NTM at its default sizes (N 128, M 20, controller 100, one read head) on copy.
public enum NTMBenchmark {
    static func copyModel(seed: UInt64 = 1) -> (NTM, TaskConfig) {
        let task = TaskConfig.copy(CopyTask())
        var rng = SeededRNG(seed: seed)
        let ntm = NTM(config: NTMConfig(inputSize: task.inputWidth, outputSize: task.outputWidth), rng: &rng)
        return (ntm, task)
    }

    /// Forward per step and training throughput; `progress` receives each finished row.
    public static func run(progress: (BenchmarkRow) -> Void) -> [BenchmarkRow] {
        var rows: [BenchmarkRow] = []
        func add(_ r: BenchmarkRow) { rows.append(r); progress(r) }
        let (ntm, task) = copyModel()
        // Forward: one step at batch 1 on a non-recording graph, reset each step (the viewer's path).
        let g = Graph()
        var rng = SeededRNG(seed: 2)
        let x = rng.uniformTensor([1, task.inputWidth], 0, 1)
        // The state after one step, carried as values exactly as the viewer carries it.
        let (warm, _) = ntm.step(g, input: g.constant(x), state: ntm.initialState(g, batch: 1))
        let carried = NTM.StateValues(warm, in: g)
        let fwd = medianMicroseconds {
            g.reset()
            _ = ntm.step(g, input: g.constant(x), state: carried.state(in: g))
        }
        add(BenchmarkRow(name: "NTM forward, one step, batch 1", microseconds: fwd, target: "≤ 30 µs"))

        // Training throughput on copy (lengths 1–20), sequences per second.
        for (batch, threads) in [(1, 1), (8, 2), (16, 2), (32, 2)] {
            var options = TrainingOptions()
            options.batchSize = batch
            options.threads = threads
            options.sequences = Int.max
            let (model, _) = copyModel()
            let trainer = Trainer(model: model, task: task, options: options)
            _ = trainer.trainBatch()
            let start = monotonicNanoseconds()
            var done = 0
            while monotonicNanoseconds() - start < 3_000_000_000 {
                _ = trainer.trainBatch()
                done += batch
            }
            let seconds = Double(monotonicNanoseconds() - start) * 1e-9
            add(BenchmarkRow(name: "NTM training, batch \(batch), \(threads) thread\(threads > 1 ? "s" : "")",
                             microseconds: Double(done) / seconds,
                             target: batch == 1 ? "≥ 300 seq/s" : "≥ 1,000 seq/s at best", unit: "seq/s"))
        }
        return rows
    }

    /// Wall time from a fixed seed until copy first stays under 0.1 wrong bits per sequence over 500
    /// sequences (the mean of the last 500 training sequences), at batch 1 with the issue's settings.
    public static func converge(seed: UInt64 = 1, limit: Int = 100_000,
                                progress: (Int, Double) -> Void) -> (seconds: Double, sequences: Int)? {
        let (ntm, task) = copyModel(seed: seed)
        var options = TrainingOptions()
        options.seed = seed
        options.sequences = limit
        let trainer = Trainer(model: ntm, task: task, options: options)
        var window = RecentMean(window: 500)
        let start = monotonicNanoseconds()
        while trainer.sequencesDone < limit {
            let r = trainer.trainBatch()
            window.add(r.wrongBits)
            if r.sequencesDone % 1000 == 0 { progress(r.sequencesDone, window.mean) }
            if window.isFull && window.mean < 0.1 {
                return (Double(monotonicNanoseconds() - start) * 1e-9, r.sequencesDone)
            }
        }
        return nil
    }
}
