import ArgumentParser
import Engine
import Foundation
import Episodes
import Registry
import Tasks
import Training
import Visualiser

struct Train: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Train a model on a task and write an atomic safetensors checkpoint.",
        discussion: """
            The same seed, options and thread count give the same weights, bit for bit. A checkpoint is \
            written every --checkpoint-every sequences and at the end; Ctrl-C saves and exits. A NaN or \
            infinite loss stops training and keeps the last good checkpoint. The exact command and seed are \
            stored in the checkpoint's metadata. --out is checked before training starts; an existing file is \
            replaced only with --force (or when it is the --resume checkpoint itself), and a symbolic link \
            to a file replaces that file. --out must be a file: a directory, a device such as /dev/null, a \
            FIFO or a link to one of them is refused, --force or not.

            --resume continues a checkpoint with its own model, task, seed, optimiser and curriculum: \
            --model, --task, --set, --min-length, --max-length, --seed, --optimizer, --same-length and the --curriculum \
            options are refused with it. --sequences (a larger total), --lr, --momentum, --alpha, --clip, \
            --clip-norm, --gradient-noise, --lr-halve-every, --lr-halve-from, --batch-size, --threads, \
            --checkpoint-every and --keep-every may change for the rest of the run, and so may the task's \
            settings (--task-set, e.g. more kinds of question after the first ones are learned) where the \
            model still fits the task; each change is printed.

            --keep-every K keeps a weights-only snapshot every K sequences (and at the start and end) in a \
            folder beside the checkpoint, named after it (run.safetensors -> run.snapshots/), for 'arnn view' \
            to move through training time with { and }. --resume goes on adding to it at the same cadence; \
            a fresh run over an existing folder needs --force, which removes the old snapshots.

            Each model's sizes come from its config: set any field with --set FIELD=VALUE (repeatable); \
            'arnn models' lists every model with its fields and defaults.

            Example: arnn train --model \(Registry.defaultModel) --task copy --seed 1 --out copy.safetensors
            """
    )

    @Option(help: "Model kind: \(Registry.catalog.kinds.joined(separator: ", ")) (default: \(Registry.defaultModel)).") var model: String?
    @Option(help: "Task: \(Registry.tasks.names.joined(separator: ", ")) (default: copy; not with --resume).") var task: String?
    @Option(help: "Random seed of the initial weights and of the data (default: 1).", transform: seedArgument) var seed: UInt64?
    @Option(help: "Checkpoint to write (safetensors; a regular file, not a device or FIFO); an existing file needs --force.") var out: String
    @Flag(help: "Overwrite an existing --out file.") var force = false
    @Option(help: "Checkpoint to resume from (its model, task and options are used; --sequences may raise the total).")
    var resume: String?
    @Option(help: "Total sequences to train on (default: 20000; with --resume, the checkpoint's total, which only a larger value raises).") var sequences: Int?
    @Option(name: .customLong("batch-size"), help: "Sequences per optimiser step (default: 1).") var batchSize: Int?
    @Option(help: "Optimiser: rmsprop, adam or sgd (default: rmsprop).") var optimizer: String?
    @Option(name: .customLong("lr"), help: "Learning rate (default: 1e-4).") var learningRate: Float?
    @Option(help: "Momentum, RMSprop and SGD (default: 0.9).") var momentum: Float?
    @Option(help: "RMSprop's smoothing constant alpha (default: 0.95).") var alpha: Float?
    @Option(help: "Clamp every gradient element to ±clip, 0 for off (default: 10).") var clip: Float?
    @Option(name: .customLong("clip-norm"), help: "Scale the whole gradient down to this l2 norm when above it, 0 for off (default: 0).")
    var clipNorm: Float?
    @Option(name: .customLong("lr-halve-every"), help: "Halve the learning rate after every this many sequences, 0 for a fixed rate (default: 0).")
    var lrHalveEvery: Int?
    @Option(name: .customLong("lr-halve-from"), help: "Count --lr-halve-every from this many sequences on (default: 0).")
    var lrHalveFrom: Int?
    @Option(name: .customLong("gradient-noise"), help: "Gradient noise: Gaussian noise of variance this / (1 + step)^0.55 added to every gradient after clipping, as the Neural Programmer trains (default: 0, none).")
    var gradientNoise: Float?
    @Option(name: .customLong("weight-decay"), help: "L2 regularisation: this times each weight added to its gradient, Adam and SGD (default: 0).")
    var weightDecay: Float?
    @Option(help: "Worker threads splitting each batch, at most the batch size (default: 1).") var threads: Int?
    @Option(name: .customLong("checkpoint-every"), help: "Sequences between checkpoints, 0 for only at the end (default: 1000).")
    var checkpointEvery: Int?
    @Option(name: .customLong("keep-every"), parsing: .unconditional,
            help: "Keep a weights-only snapshot every this many sequences in <out without .safetensors>.snapshots/, for scrubbing through training time in 'arnn view' (default: none; with --resume, the checkpoint's cadence).")
    var keepEvery: Int?
    @Option(name: .customLong("min-length"), help: "Shortest training sequence (task's own unit; default: the task's).")
    var minLength: Int?
    @Option(name: .customLong("max-length"), help: "Longest training sequence (default: the task's).")
    var maxLength: Int?
    @Flag(help: "Curriculum: start with the shortest sequences and lengthen them by one whenever the last --curriculum-window sequences average under --curriculum-threshold wrong bits.")
    var curriculum = false
    @Option(name: .customLong("curriculum-threshold"), help: "Mean wrong bits per sequence that advances the curriculum (default: 0.5).")
    var curriculumThreshold: Double?
    @Option(name: .customLong("curriculum-window"), help: "Sequences the curriculum averages over (default: 200).")
    var curriculumWindow: Int?
    @Flag(name: .customLong("same-length"), help: "Give every sequence of a batch one length, drawn per batch from the task's lengths (up to the curriculum's stage): a padded model (the transformer) then pads nothing and the threads share the work evenly.")
    var sameLength = false
    @Option(help: "A folder of a dataset's own files to train on instead of generated samples (bAbI: qaN_*_train.txt and qaN_*_test.txt of the task's tasks).")
    var data: String?
    @Option(name: .customLong("set"), help: ArgumentHelp("A field of the model's config, e.g. --set memoryRows=64 (repeatable; 'arnn models' lists the fields).", valueName: "field=value"))
    var settings: [String] = []
    @Option(name: .customLong("task-set"), help: ArgumentHelp("A field of the task's config, e.g. --task-set size=16 for parity (repeatable).", valueName: "field=value"))
    var taskSettings: [String] = []
    @Flag(help: "Print one progress line per 1,000 sequences instead of a live bar.") var quiet = false
    @Flag(help: "Watch training live in the terminal: a braille loss chart, speed, and the current model's memory and weightings on a sample example, rerun every 3 s. q stops and saves.")
    var watch = false
    @Option(help: "Colours of --watch: auto, truecolor, 256, 8 or none (auto honours NO_COLOR and the terminal). Without colour, signed values are ≡=-· below zero and ░▒▓█ above it; the legends say so.")
    var color: String = "auto"

    func validate() throws {
        if resume != nil {
            let given = [("--model", model != nil), ("--task", task != nil), ("--set", !settings.isEmpty),
                         ("--min-length", minLength != nil),
                         ("--max-length", maxLength != nil), ("--seed", seed != nil), ("--optimizer", optimizer != nil),
                         ("--curriculum", curriculum), ("--curriculum-threshold", curriculumThreshold != nil),
                         ("--curriculum-window", curriculumWindow != nil), ("--data", data != nil), ("--weight-decay", weightDecay != nil),
                         ("--same-length", sameLength)].filter(\.1).map(\.0)
            if let first = given.first {
                throw ValidationError("\(first) cannot be given with --resume: the checkpoint's own is used")
            }
        }
        if let model, !Registry.catalog.kinds.contains(model) {
            throw ValidationError("--model must be one of \(Registry.catalog.kinds.joined(separator: ", ")), got \(model)")
        }
        for setting in settings + taskSettings where !setting.contains("=") || setting.hasPrefix("=") {
            throw ValidationError("--set and --task-set take FIELD=VALUE, got '\(setting)'")
        }
        if let optimizer, OptimizerChoice(rawValue: optimizer) == nil {
            throw ValidationError("--optimizer must be rmsprop, adam or sgd, got \(optimizer)")
        }
        if watch && quiet { throw ValidationError("give --watch or --quiet, not both") }
        if let keepEvery, keepEvery < 1 {
            throw ValidationError("--keep-every must be at least 1 (sequences between snapshots), got \(keepEvery)")
        }
        if color != "auto" && ColorMode(argument: color) == nil {
            throw ValidationError("--color must be auto, truecolor, 256, 8 or none, got '\(color)'")
        }
    }

    mutating func run() throws {
        // The program is recorded as "arnn" (not the path it was started by), so the command can be rerun.
        let command = (["arnn"] + CommandLine.arguments.dropFirst()).map(shellQuoted).joined(separator: " ")
        var runSettings = TrainingPlan.RunSettings()
        runSettings.learningRate = learningRate
        runSettings.momentum = momentum
        runSettings.alpha = alpha
        runSettings.clip = clip
        runSettings.clipNorm = clipNorm
        runSettings.gradientNoise = gradientNoise
        runSettings.lrHalveEvery = lrHalveEvery
        runSettings.lrHalveFrom = lrHalveFrom
        runSettings.batchSize = batchSize
        runSettings.threads = threads
        runSettings.checkpointEvery = checkpointEvery
        let start: TrainingPlan.Start
        if let resume {
            if taskSettings.isEmpty {
                start = .resume(path: resume, sequences: sequences, keepEvery: keepEvery)
            } else {
                let fields = Self.pairs(taskSettings)
                start = .resumeWithTask(path: resume, sequences: sequences, keepEvery: keepEvery,
                                        task: { try Self.override($0, with: fields) })
            }
        } else {
            var taskConfig = try Registry.tasks.task(named: task ?? "copy")
            if !taskSettings.isEmpty { taskConfig = try Self.override(taskConfig, with: Self.pairs(taskSettings)) }
            if minLength != nil || maxLength != nil {
                let r = taskConfig.lengthRange
                let lo = minLength ?? r.lowerBound, hi = maxLength ?? r.upperBound
                guard lo >= 1, lo <= hi else { throw ArnnError("--min-length and --max-length must satisfy 1 ≤ min ≤ max, got \(lo) and \(hi)") }
                taskConfig = try taskConfig.withLengthRange(lo...hi)
            }
            if let data { taskConfig = try taskConfig.withData(directory: data) }
            var options = TrainingOptions()
            options.seed = seed ?? options.seed
            options.sequences = sequences ?? 20_000
            options.optimizer = optimizer.flatMap(OptimizerChoice.init(rawValue:)) ?? options.optimizer
            options.keepEvery = keepEvery ?? 0
            options.weightDecay = weightDecay ?? 0
            options.curriculum = curriculum
            options.curriculumThreshold = curriculumThreshold ?? options.curriculumThreshold
            options.curriculumWindow = curriculumWindow ?? options.curriculumWindow
            options.sameLength = sameLength
            start = .fresh(.init(model: model ?? Registry.defaultModel, task: taskConfig, overrides: Self.pairs(settings),
                                 options: options))
        }
        let plan = TrainingPlan(start: start, settings: runSettings, out: out, force: force, command: command, version: Arnn.version)
        let run = try plan.makeRun(catalog: Registry.catalog) { printError($0) }
        try train(run)
    }

    /// `FIELD=VALUE` settings as a dictionary.
    static func pairs(_ settings: [String]) -> [String: String] {
        var result: [String: String] = [:]
        for setting in settings {
            let parts = setting.split(separator: "=", maxSplits: 1).map(String.init)
            result[parts[0]] = parts.count > 1 ? parts[1] : ""
        }
        return result
    }

    /// The task with fields set through its JSON form; an unknown field or a bad value is named.
    static func override(_ task: TaskConfig, with fields: [String: String]) throws -> TaskConfig {
        try Registry.tasks.decode(ConfigOverrides.setting(fields, in: JSONEncoder().encode(task), flag: "--task-set",
                                                          owner: "\(task.name) has no field", protected: ["name"]))
    }

    func train(_ run: TrainingRun) throws {
        try run.checkWorkLeft()
        StopSignal.install()
        if watch { return try watchTraining(run) }
        let total = run.trainer.options.sequencesInWholeBatches
        let start = monotonicSeconds()
        let startDone = run.trainer.sequencesDone
        var lastPrint = 0.0
        let live = !quiet && isatty(2) != 0
        let outcome = try run.run(shouldStop: { StopSignal.isRequested }) { result in
            let now = monotonicSeconds() - start
            let done = result.sequencesDone
            let rate = Double(done - startDone) / max(now, 1e-9)
            var line = progressLine(done: done, total: total, rate: rate, run: run)
            if run.trainer.options.curriculum { line += "  len ≤ \(result.maxLength)" }
            if live {
                if now - lastPrint >= 0.2 || done >= total {
                    FileHandle.standardError.write(Data(("\r" + line + "\u{1B}[K").utf8))
                    lastPrint = now
                }
            } else if done / 1000 != (done - run.trainer.options.batchSize) / 1000 || done >= total {
                FileHandle.standardError.write(Data((line + "\n").utf8))
            }
        }
        if live { FileHandle.standardError.write(Data("\n".utf8)) }
        printSummary(run, outcome: outcome, elapsed: monotonicSeconds() - start)
    }

    /// The final line on stdout: what was saved where, how long it took, and the recent loss.
    func printSummary(_ run: TrainingRun, outcome: TrainingRun.Outcome, elapsed: Double) {
        let verb = outcome == .stopped ? "stopped; saved" : "saved"
        let figures = run.trainer.metrics.filter { run.measures($0.name) }.map { "\($0.short) \($0.format(run.recentMean($0.name)))\($0.unit.isEmpty ? "" : " " + $0.unit)" }
        print("\(verb) \(run.trainer.sequencesDone) sequences to \(run.outputPath) "
              + "(\(String(format: "%.1f", elapsed)) s; over the last 100 batches: \(figures.joined(separator: ", ")))")
    }
}

func progressLine(done: Int, total: Int, rate: Double, run: TrainingRun) -> String {
    let width = 24
    let filled = min(width, Int(Double(width) * Double(done) / Double(max(total, 1))))
    let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
    let etaText = NumberFormat.eta(rate > 0 ? Double(max(0, total - done)) / rate : nil)
    // The objective's loss and error metric (the first two), as the watch charts them.
    let figures = run.trainer.metrics.prefix(2).map { "\($0.short) \(String(format: "%.2f", run.recentMean($0.name)))" }
    return "\(bar) \(done)/\(total) seq  \(String(format: "%.0f", rate)) seq/s  \(figures.joined(separator: "  "))  ETA \(etaText)"
}

func monotonicSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
}

func shellQuoted(_ s: String) -> String {
    let safe = s.allSatisfy { $0.isLetter || $0.isNumber || "-_./=:,+@".contains($0) }
    return safe && !s.isEmpty ? s : "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'"
}
