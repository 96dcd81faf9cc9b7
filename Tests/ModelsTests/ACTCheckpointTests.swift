import Engine
import Foundation
import Models
import Testing

/// Issue 10: an ACT checkpoint whose ε or cap is out of range, or whose tensors do not match its config,
/// is refused with one message naming the file and the problem (the CLI turns it into exit 2).
@Suite struct ACTCheckpointTests {
    static let small = ACTConfig(inputSize: 3, outputSize: 2, hiddenSize: 4, maxSteps: 10)

    func rejects(_ bad: Checkpoint, naming words: [String], _ what: String, sourceLocation: SourceLocation = #_sourceLocation) {
        do {
            _ = try ACTModel(checkpoint: bad)
            Issue.record("accepted \(what)", sourceLocation: sourceLocation)
        } catch let e as ArnnError {
            for w in words { #expect(e.message.contains(w), "\(e.message)", sourceLocation: sourceLocation) }
            #expect(!e.message.contains("\n"), "one line: \(e.message)", sourceLocation: sourceLocation)
        } catch {
            Issue.record("\(what): not an ArnnError: \(error)", sourceLocation: sourceLocation)
        }
    }

    @Test func badSettingsAndMismatchedTensorsAreNamed() throws {
        var rng = SeededRNG(seed: 36)
        var c = ACTModel(config: Self.small, rng: &rng).checkpoint()
        c.source = "act-bad.safetensors"
        _ = try ACTModel(checkpoint: c)                     // the unchanged checkpoint loads
        func config(_ extra: String) -> String { "{\"inputSize\":3,\"outputSize\":2,\"hiddenSize\":4\(extra)}" }
        for (extra, field) in [(",\"maxSteps\":0", "maxSteps"), (",\"epsilon\":-0.1", "epsilon"), (",\"epsilon\":1.5", "epsilon"),
                               (",\"maxSteps\":20000", "maxSteps"), (",\"tau\":-1", "tau")] {
            var bad = c
            bad.metadata["arnn.config"] = config(extra)
            rejects(bad, naming: ["act-bad.safetensors", field], "\(field) in \(extra)")
        }
        // The flag column left out (a PyTorch RNNCell over X inputs instead of X + 1): named with both shapes.
        var noFlag = c
        noFlag["cell.weight_ih"] = Tensor(shape: [4, 3])
        rejects(noFlag, naming: ["act-bad.safetensors", "cell.weight_ih", "[4, 3]", "[4, 4]"], "a weight_ih without the flag column")
        var extra = c
        extra["cell.bias_hh"] = Tensor(shape: [4])
        rejects(extra, naming: ["unexpected tensor", "cell.bias_hh"], "PyTorch's second RNNCell bias")
        var missing = c
        missing["halt.bias"] = nil
        rejects(missing, naming: ["halt.bias"], "a missing halting bias")
    }
}
