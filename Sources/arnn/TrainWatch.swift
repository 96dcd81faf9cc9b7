import Engine
import Foundation
import Episodes
import Registry
import TerminalUI
import Training
import Viewing
import Visualiser

extension Train {
    /// `arnn train --watch`: trains in this loop and, between batches, reads keys without waiting (at most
    /// every 50 ms), redraws at most 10 times a second, and reruns the sample episode every 3 s (about a
    /// millisecond for the models here, so training keeps nearly all its speed). `q` stops after the batch; Ctrl-C
    /// and SIGTERM restore the terminal at once (the shim's handlers) and set `StopSignal`. Either way
    /// the checkpoint is saved, the terminal restored, and then the usual final line printed; a NaN stop
    /// restores the terminal before its error line is printed.
    func watchTraining(_ run: TrainingRun) throws {
        let options = Terminal.Options(colorMode: ColorMode(argument: color), needer: "arnn train --watch",
                                       alternative: "train without --watch to print progress lines instead")
        let terminal = try Terminal(options: options, environment: ProcessInfo.processInfo.environment)
        defer { terminal.stop() }
        let trainer = run.trainer
        let task = trainer.task
        let range = task.lengthRange
        let metrics = trainer.metrics
        let errorMetric = metrics.first { $0.name == trainer.learner.curriculumMetric } ?? metrics[0]
        var state = TrainingWatchState(title: "\(trainer.learner.kind) on \(task.name)", outputPath: run.outputPath,
                                       total: trainer.options.sequencesInWholeBatches, done: trainer.sequencesDone, lengthRange: range,
                                       lossMetric: metrics[0], errorMetric: errorMetric)
        state.width = terminal.width
        state.height = terminal.height
        // The sample is always the same example (seed 1, a middle length), so changes on screen are the
        // model's, not the data's.
        let sampler = ViewerEffects(learners: [trainer.learner], task: task)
        let sceneEntry = try? Registry.scene(trainer.learner.kind)
        // A task whose lengths have gaps (babi's task numbers 1, 2, 3, 6, 15) takes the middle one it
        // evaluates at when the middle of its range is none of them.
        let middle = (range.lowerBound + range.upperBound + 1) / 2
        let valid = task.evaluationLengths.filter { (try? task.validate(length: $0)) != nil }
        let sampleLength = (try? task.validate(length: middle)) != nil || valid.isEmpty ? middle : valid[valid.count / 2]
        let sampleSeed: UInt64 = 1
        let startDone = trainer.sequencesDone
        let start = monotonicSeconds()
        var lastPoll = 0.0, lastDraw = 0.0, lastSample = 0.0
        var stop = false
        var announced = false

        func runSample() {
            guard let sceneEntry, let episode = try? sampler.episodes(length: sampleLength, seed: sampleSeed)[0] else { return }
            state.setSample(episode, scene: sceneEntry.make(episode), task: task, length: sampleLength, seed: sampleSeed,
                            at: trainer.sequencesDone)
        }
        func redraw(now: Double) {
            state.elapsed = now
            state.rate = Double(trainer.sequencesDone - startDone) / max(now, 1e-9)
            state.loss = run.recentMean(metrics[0].name)
            state.wrong = run.recentMean(errorMetric.name)
            state.curriculumLength = trainer.options.curriculum ? trainer.maxLength : nil
            state.lastCheckpoint = run.lastCheckpointAt > startDone ? run.lastCheckpointAt : nil
            terminal.draw(TrainingWatch.view(state, width: terminal.width, height: terminal.height, mode: terminal.colorMode))
            lastDraw = now
        }
        /// Handles every event already waiting; true when one changed what is on screen.
        func pollInput() -> Bool {
            var changed = false
            while terminal.isActive {
                let event = terminal.nextEvent(timeoutMilliseconds: 0)
                if case .tick = event { break }
                let (next, command) = TrainingWatch.update(state, event)
                state = next
                changed = true
                if command == .stop { stop = true }
            }
            return changed
        }

        runSample()
        redraw(now: 0)
        let outcome: TrainingRun.Outcome
        do {
            // Ctrl-C or SIGTERM restored the terminal at once (the shim's handlers): say what happens next,
            // as q does on screen, before the save (the final line follows it). Said where the run first
            // sees the request: after a batch, or when it asks whether to stop (a signal between the two
            // would otherwise end the run with nothing said).
            func announceSignal() {
                if !announced && !terminal.isActive && StopSignal.isRequested {
                    announced = true
                    FileHandle.standardError.write(Data("stopping: saving the checkpoint to \(run.outputPath)…\n".utf8))
                }
            }
            outcome = try run.run(shouldStop: {
                announceSignal()
                return stop || StopSignal.isRequested
            }) { result in
                state.recordBatch(sequencesDone: result.sequencesDone, lossBits: result.loss,
                                  wrongBits: result.metrics[errorMetric.name] ?? .nan, sequences: trainer.options.batchSize)
                announceSignal()
                let now = monotonicSeconds() - start
                var dirty = false
                if now - lastPoll >= 0.05 {
                    lastPoll = now
                    dirty = pollInput()
                }
                if now - lastSample >= 3 {
                    lastSample = now
                    runSample()
                }
                if dirty || now - lastDraw >= 0.1 { redraw(now: now) }
            }
        } catch {
            terminal.stop()
            throw error
        }
        terminal.stop()
        printSummary(run, outcome: outcome, elapsed: monotonicSeconds() - start)
    }
}
