import Engine
import Episodes
import Foundation
import Models
import Tasks
import Testing
import Training

/// A small NTM on short copy sequences: big enough to learn something in seconds.
func smallCopySetup(seed: UInt64 = 1, batchSize: Int = 1, threads: Int = 1, sequences: Int = 400)
    -> (NTM, TaskConfig, TrainingOptions) {
    let task = try! TaskConfig(CopyTask(bitWidth: 4, minLength: 1, maxLength: 3)).withLengthRange(1...3)
    var rng = SeededRNG(seed: seed)
    let ntm = NTM(config: NTMConfig(inputSize: task.bits!.inputWidth, outputSize: task.bits!.outputWidth, memoryRows: 8,
                                    memoryWidth: 6, controllerSize: 24), rng: &rng)
    var options = TrainingOptions()
    options.seed = seed
    options.batchSize = batchSize
    options.threads = threads
    options.sequences = sequences
    options.learningRate = 3e-3
    options.checkpointEvery = 0
    return (ntm, task, options)
}

func tempPath(_ name: String) -> String {
    FileManager.default.temporaryDirectory.appendingPathComponent("arnn-\(name)-\(UInt32.random(in: 0...UInt32.max)).safetensors").path
}

@Suite struct TrainerTests {
    @Test func aShortRunLowersTheLoss() {
        let (ntm, task, options) = smallCopySetup(sequences: 1500)
        let trainer = Trainer(learner: try! RecurrentLearner(model: ntm, task: task), options: options)
        var first = RecentMean(window: 100), last = RecentMean(window: 100)
        for i in 0..<1500 {
            let r = trainer.trainBatch()
            if i < 100 { first.add(r.loss) } else { last.add(r.loss) }
        }
        #expect(last.mean < 0.6 * first.mean, "loss \(first.mean) → \(last.mean) bits per sequence")
    }

    @Test func sameSeedAndThreadsGiveTheSameWeightsBitForBit() {
        func train(threads: Int) -> [Tensor] {
            let (ntm, task, options) = smallCopySetup(seed: 5, batchSize: 4, threads: threads, sequences: 40)
            let trainer = Trainer(learner: try! RecurrentLearner(model: ntm, task: task), options: options)
            for _ in 0..<10 { _ = trainer.trainBatch() }
            return ntm.parameters.map(\.tensor)
        }
        #expect(train(threads: 2) == train(threads: 2))
        #expect(train(threads: 1) == train(threads: 1))
        // Two threads split the batch and add gradients in another order: close, though not bit-equal.
        let a = train(threads: 1), b = train(threads: 2)
        for (x, y) in zip(a, b) { #expect(x.maxAbsDifference(y) < 1e-4) }
    }

    @Test func resumingFromACheckpointContinuesExactly() throws {
        let path = tempPath("resume")
        defer { try? FileManager.default.removeItem(atPath: path) }
        // One run of 60 sequences...
        let (ntmA, task, optionsA) = smallCopySetup(seed: 9, sequences: 60)
        let runA = TrainingRun(trainer: Trainer(learner: try! RecurrentLearner(model: ntmA, task: task), options: optionsA), outputPath: tempPath("a"), metadata: [:])
        _ = try runA.run(shouldStop: { false }, progress: { _ in })
        // ...equals 30, a checkpoint, and 30 more from it.
        let (ntmB, _, optionsB) = smallCopySetup(seed: 9, sequences: 30)
        let runB = TrainingRun(trainer: Trainer(learner: try! RecurrentLearner(model: ntmB, task: task), options: optionsB), outputPath: path, metadata: [:])
        _ = try runB.run(shouldStop: { false }, progress: { _ in })
        let checkpoint = try Checkpoint.read(from: path)
        let ntmC = try NTM(checkpoint: checkpoint)
        var optionsC = optionsB
        optionsC.sequences = 60
        let trainerC = Trainer(learner: try! RecurrentLearner(model: ntmC, task: task), options: optionsC,
                               sequencesDone: Int(checkpoint.metadata[CheckpointMetadataKey.steps]!)!)
        try trainerC.loadOptimizerState(from: checkpoint)
        while trainerC.sequencesDone < 60 { _ = trainerC.trainBatch() }
        #expect(ntmC.parameters.map(\.tensor) == ntmA.parameters.map(\.tensor))
    }

    @Test func aStopRequestSavesACheckpointAndEndsTheRun() throws {
        let path = tempPath("stop")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let (ntm, task, options) = smallCopySetup(sequences: 1000)
        let run = TrainingRun(trainer: Trainer(learner: try! RecurrentLearner(model: ntm, task: task), options: options), outputPath: path, metadata: ["arnn.seed": "1"])
        var batches = 0
        let outcome = try run.run(shouldStop: { batches >= 7 }, progress: { _ in batches += 1 })
        #expect(outcome == .stopped)
        let saved = try Checkpoint.read(from: path)
        #expect(saved.metadata[CheckpointMetadataKey.steps] == "7")
        #expect(saved.metadata["arnn.seed"] == "1")
        #expect(try NTM(checkpoint: saved).parameters.map(\.tensor) == ntm.parameters.map(\.tensor))
    }

    @Test func aNaNLossStopsTrainingAndKeepsTheLastGoodCheckpoint() throws {
        let path = tempPath("nan")
        defer { try? FileManager.default.removeItem(atPath: path) }
        var (ntm, task, options) = smallCopySetup(sequences: 200)
        options.checkpointEvery = 5
        let run = TrainingRun(trainer: Trainer(learner: try! RecurrentLearner(model: ntm, task: task), options: options), outputPath: path, metadata: [:])
        var batches = 0
        do {
            _ = try run.run(shouldStop: { false }, progress: { _ in
                batches += 1
                // Poison the weights after the checkpoint at 10 sequences: the next loss is NaN.
                if batches == 12 { ntm.output.bias!.value[0] = .nan }
            })
            Issue.record("training went on with NaN weights")
        } catch let e as ArnnError {
            #expect(e.message.contains("diverged at sequence 13"), "\(e.message)")
            #expect(e.message.contains("last good checkpoint, written by this run at 10 sequences, is kept at \(path)"), "\(e.message)")
        }
        let kept = try Checkpoint.read(from: path)
        #expect(kept.metadata[CheckpointMetadataKey.steps] == "10")
        #expect(try NTM(checkpoint: kept).parameters.allSatisfy { $0.tensor.data.allSatisfy(\.isFinite) })
    }

    /// Issue 12, item 5: a run that diverges before its first save must not call an older file at its
    /// output path "the last good checkpoint (0 sequences)".
    @Test func aRunThatDivergesBeforeItsFirstSaveSaysItWroteNoCheckpoint() throws {
        let path = tempPath("nan-old")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data("an older, unrelated file".utf8).write(to: URL(fileURLWithPath: path))
        var (ntm, task, options) = smallCopySetup(sequences: 200)
        options.checkpointEvery = 1000
        let run = TrainingRun(trainer: Trainer(learner: try! RecurrentLearner(model: ntm, task: task), options: options), outputPath: path, metadata: [:])
        do {
            _ = try run.run(shouldStop: { false }, progress: { _ in ntm.output.bias!.value[0] = .nan })
            Issue.record("training went on with NaN weights")
        } catch let e as ArnnError {
            #expect(e.message.contains("diverged at sequence 2"), "\(e.message)")
            #expect(e.message.contains("this run wrote no checkpoint (\(path) is as it was before the run)"), "\(e.message)")
            #expect(!e.message.contains("last good checkpoint"), "\(e.message)")
        }
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "an older, unrelated file")
    }

    /// Issue 12, item 6: resuming a finished run trains nothing and says so, instead of saving again and
    /// reporting "loss 0.000".
    @Test func resumingAFinishedRunSaysThereIsNothingToTrain() throws {
        let path = tempPath("finished")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let (ntm, task, options) = smallCopySetup(sequences: 20)
        let run = TrainingRun(trainer: Trainer(learner: try! RecurrentLearner(model: ntm, task: task), options: options,
                                               sequencesDone: 20), outputPath: path, metadata: [:])
        #expect(throws: ArnnError("nothing to train: the checkpoint already has 20 sequences (--sequences 20); give a larger --sequences to train further")) {
            _ = try run.run(shouldStop: { false }, progress: { _ in })
        }
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    /// Issue 12, items 4 and 7: `--out` is checked before training: a missing directory, a directory, or
    /// (without --force) an existing file is refused at once.
    @Test func anOutputPathThatCannotBeWrittenIsRefusedBeforeTraining() throws {
        let missing = "/nonexistent-arnn-dir-\(UInt32.random(in: 0...UInt32.max))/out.safetensors"
        #expect(throws: ArnnError.self) { try TrainingRun.checkOutput(missing, overwrite: true) }
        do { try TrainingRun.checkOutput(missing, overwrite: true) } catch let e as ArnnError {
            #expect(e.message.contains("does not exist"), "\(e.message)")
            #expect(!e.message.contains("\n"))
        }
        let directory = FileManager.default.temporaryDirectory.path
        #expect(throws: ArnnError.self) { try TrainingRun.checkOutput(directory, overwrite: true) }
        let file = tempPath("exists")
        defer { try? FileManager.default.removeItem(atPath: file) }
        // A file used as a directory.
        try Data("x".utf8).write(to: URL(fileURLWithPath: file))
        #expect(throws: ArnnError.self) { try TrainingRun.checkOutput(file + "/out.safetensors", overwrite: true) }
        // An existing file: refused without --force, accepted with it, and left as it was either way.
        #expect(throws: ArnnError("\(file): exists; pass --force to overwrite it, or choose another --out")) {
            try TrainingRun.checkOutput(file, overwrite: false)
        }
        try TrainingRun.checkOutput(file, overwrite: true)
        #expect(try String(contentsOfFile: file, encoding: .utf8) == "x")
        // A new file in a writable directory is fine, and the check leaves nothing behind.
        let fresh = tempPath("fresh")
        try TrainingRun.checkOutput(fresh, overwrite: false)
        #expect(!FileManager.default.fileExists(atPath: fresh))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory)
            .filter { $0.hasPrefix("." + (fresh as NSString).lastPathComponent) }
        #expect(leftovers.isEmpty)
        // A directory that takes no new files (even for root).
        #expect(throws: ArnnError.self) { try TrainingRun.checkOutput("/proc/arnn-out.safetensors", overwrite: true) }
    }

    /// Issue 24 (1): `--out` that is not a regular file (a device, a FIFO, a link to either) is refused
    /// before training, --force or not, and left as it was; a link to a regular file is a file to replace.
    @Test func anOutputThatIsNotARegularFileIsRefusedEvenWithForce() throws {
        let dir = tempDirectory("out-kinds")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        for force in [false, true] {
            #expect(throws: ArnnError("/dev/null: is a character device, not a regular file; train writes its checkpoint only to a file (--force does not change that)")) {
                try TrainingRun.checkOutput("/dev/null", overwrite: force)
            }
        }
        let fifo = dir + "/pipe.safetensors"
        #expect(mkfifo(fifo, 0o600) == 0)
        #expect(throws: ArnnError("\(fifo): is a FIFO, not a regular file; train writes its checkpoint only to a file (--force does not change that)")) {
            try TrainingRun.checkOutput(fifo, overwrite: true)
        }
        let toNull = dir + "/null.safetensors"
        try FileManager.default.createSymbolicLink(atPath: toNull, withDestinationPath: "/dev/null")
        #expect(throws: ArnnError("\(toNull): links to a character device, not a regular file; train writes its checkpoint only to a file (--force does not change that)")) {
            try TrainingRun.checkOutput(toNull, overwrite: true)
        }
        let dangling = dir + "/dangling.safetensors"
        try FileManager.default.createSymbolicLink(atPath: dangling, withDestinationPath: "nowhere.safetensors")
        #expect(throws: ArnnError.self) { try TrainingRun.checkOutput(dangling, overwrite: true) }
        let file = dir + "/real.safetensors", link = dir + "/link.safetensors"
        try Data("x".utf8).write(to: URL(fileURLWithPath: file))
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: "real.safetensors")
        #expect(throws: ArnnError("\(link): exists; pass --force to overwrite it, or choose another --out")) {
            try TrainingRun.checkOutput(link, overwrite: false)
        }
        try TrainingRun.checkOutput(link, overwrite: true)
        let names = try FileManager.default.contentsOfDirectory(atPath: dir).sorted()
        #expect(names == ["dangling.safetensors", "link.safetensors", "null.safetensors", "pipe.safetensors", "real.safetensors"])
    }

    @Test func optionsOutOfRangeAreRejectedNamingTheFlag() {
        var o = TrainingOptions()
        o.batchSize = 4
        o.threads = 8
        #expect(throws: ArnnError("--threads must be at most the batch size (4), got 8")) { try o.validate() }
        o = TrainingOptions()
        o.learningRate = -1
        #expect(throws: ArnnError("--lr must be a positive number, got -1.0")) { try o.validate() }
        o = TrainingOptions()
        o.clipNorm = -2
        #expect(throws: ArnnError("--clip-norm must be 0 or a positive number, got -2.0")) { try o.validate() }
    }

    /// Gradient noise of variance η / (1 + t)^0.55 at optimiser step t: its size by step, a run with it
    /// moves away from the same run without, and the same seed gives the same noisy run bit for bit.
    @Test func gradientNoiseShrinksWithTheStepAndIsSeeded() {
        var o = TrainingOptions()
        #expect(o.gradientNoiseStd(step: 0) == 0, "none by default")
        o.gradientNoise = 0.01
        #expect(abs(o.gradientNoiseStd(step: 0) - 0.1) < 1e-7)
        #expect(abs(o.gradientNoiseStd(step: 3) - Float((0.01 / pow(4.0, 0.55)).squareRoot())) < 1e-7)
        func train(noise: Float) -> [Tensor] {
            var (ntm, task, options) = smallCopySetup(seed: 5, batchSize: 2, sequences: 20)
            options.gradientNoise = noise
            let trainer = Trainer(learner: try! RecurrentLearner(model: ntm, task: task), options: options)
            for _ in 0..<10 { _ = trainer.trainBatch() }
            return ntm.parameters.map(\.tensor)
        }
        let quiet = train(noise: 0), noisy = train(noise: 0.01)
        #expect(noisy == train(noise: 0.01))
        #expect(zip(quiet, noisy).contains { $0.maxAbsDifference($1) > 1e-4 })
        o.gradientNoise = -1
        #expect(throws: ArnnError("--gradient-noise must be 0 or a positive number, got -1.0")) { try o.validate() }
    }

    /// Step decay: the first rate until `lrHalveFrom`, then halved after every `lrHalveEvery` sequences.
    /// `--same-length`: every sample of a batch has one length, and the length still varies from batch to
    /// batch over the task's range; without it a batch mixes lengths.
    @Test func sameLengthBatchesShareOneLengthEach() {
        let task = try! TaskConfig(CopyTask(bitWidth: 4, minLength: 1, maxLength: 8)).withLengthRange(1...8)
        var rng = SeededRNG(seed: 1)
        let ntm = NTM(config: NTMConfig(inputSize: task.bits!.inputWidth, outputSize: task.bits!.outputWidth, memoryRows: 8,
                                        memoryWidth: 6, controllerSize: 24), rng: &rng)
        let learner = try! RecurrentLearner(model: ntm, task: task)
        func batchLengths(sameLength: Bool) -> [Set<Int>] {
            var options = TrainingOptions()
            options.batchSize = 6
            options.sameLength = sameLength
            let trainer = Trainer(learner: learner, options: options)
            return (0..<40).map { b in Set(trainer.batchSamples(learner, batch: b).map { $0.inputs.shape[0] }) }
        }
        let same = batchLengths(sameLength: true)
        #expect(same.allSatisfy { $0.count == 1 })
        #expect(Set(same.flatMap { $0 }).count >= 6, "the batches' lengths cover most of 1…8")
        #expect(batchLengths(sameLength: false).contains { $0.count > 1 })
    }

    /// A curriculum over a task's own difficulty: on `logic-gates` the length is the gate count, so the
    /// first stage draws one-gate vectors only, and the stages after it draw up to their count.
    @Test func aCurriculumOnLogicGatesRaisesTheGateCount() {
        let task = TaskConfig(LogicGatesTask(chunks: 4))
        var rng = SeededRNG(seed: 2)
        let act = ACTModel(config: ACTConfig(inputSize: task.bits!.inputWidth, outputSize: 1, hiddenSize: 8), rng: &rng)
        let learner = try! RecurrentLearner(model: act, task: task)
        var options = TrainingOptions()
        options.batchSize = 8
        options.curriculum = true
        func gateCounts(resumedAt stage: Int?) -> Set<Int> {
            let trainer = Trainer(learner: learner, options: options, curriculumLength: stage)
            return Set((0..<20).flatMap { b in trainer.batchSamples(learner, batch: b).map(\.parameters.length) })
        }
        #expect(gateCounts(resumedAt: nil) == [1])
        #expect(gateCounts(resumedAt: 3) == [1, 2, 3])
    }

    @Test func theRateHalvesOnSchedule() {
        var o = TrainingOptions()
        o.learningRate = 0.16
        #expect(o.learningRate(after: 10_000_000) == 0.16, "no schedule: a fixed rate")
        o.lrHalveEvery = 100
        o.lrHalveFrom = 250
        #expect([0, 250, 349, 350, 449, 450, 1000].map { o.learningRate(after: $0) } == [0.16, 0.16, 0.16, 0.08, 0.08, 0.04, 0.16 / 128])
    }

    /// The trainer applies the schedule and the global-norm clip: after a step, the optimiser holds the
    /// scheduled rate, and plain SGD moved the weights by exactly rate × the clipped gradient.
    @Test func theTrainerClipsTheWholeGradientAndFollowsTheSchedule() {
        var (ntm, task, options) = smallCopySetup(sequences: 10)
        options.optimizer = .sgd
        options.momentum = 0
        options.clipValue = 0
        options.clipNorm = 0.01
        options.learningRate = 1
        options.lrHalveEvery = 2
        let learner = try! RecurrentLearner(model: ntm, task: task)
        let trainer = Trainer(learner: learner, options: options)
        for _ in 0..<4 { _ = trainer.trainBatch() }
        #expect(trainer.optimizer.learningRate == 0.5, "halved after the second sequence, not yet the fourth")
        let before = learner.parameters.map { $0.tensor.data }
        let r = trainer.trainBatch()
        #expect(r.gradNorm > 0.01, "the clip has work to do")
        let moved = zip(learner.parameters, before).map { p, b in zip(p.tensor.data, b).map { Double($0 - $1) } }.joined()
        let norm = moved.map { $0 * $0 }.reduce(0, +).squareRoot()
        #expect(abs(norm - 0.25 * 0.01) < 2e-5, "moved \(norm): rate 0.25 × norm 0.01")
    }
}
