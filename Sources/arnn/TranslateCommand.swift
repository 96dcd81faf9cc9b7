import ArgumentParser
import Engine
import Episodes
import Foundation
import Models
import Registry
import Tasks
import Viewing

/// `arnn translate "sentence"`: a token model on a typed sentence, without a terminal.
struct Translate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Translate a sentence with a trained model and print where it attended.",
        discussion: """
            Prints the translation, then a table of attention weights: one row per word written, one \
            column per source word. Unknown words are named with the closest known word (exit 2).

            Example: arnn translate "the small cats do not see the red car"
            """
    )

    @Argument(help: "The sentence to translate.") var sentence: String
    @Option(help: "A demo or checkpoint of a model on a token task (default: translate).") var model: String = "translate"
    @Flag(help: "Only the translation, without the attention table.") var quiet = false

    mutating func run() throws {
        let loaded = try LoadedModel.load(model, catalog: Registry.catalog)
        guard loaded.task.readsText else { throw ArnnError("\(loaded.name) runs on \(loaded.task.name), which reads no sentences") }
        let episode = try ViewerEffects(learners: [loaded.learner], task: loaded.task).episodes(text: sentence)[0]
        // What was written, whatever the model: the token steps' outputs (a recurrent model's reading
        // steps write nothing).
        let writing = episode.frames.filter { ($0.data as? TokenStep)?.output != nil }
        let written = writing.compactMap { ($0.data as? TokenStep)?.output?.word }
        let words = written.last == "<eos>" ? Array(written.dropLast()) : written
        print(FrenchText.join(words))
        guard !quiet, let pair = episode.sample as? any TokenPairSample else { return }
        let attention = writing.compactMap { $0.snapshot as? any AttentionSnapshot }
        guard attention.count == writing.count, !attention.isEmpty else {
            print("(\(loaded.name) has no attention: it writes from what its state kept of the sentence)")
            return
        }
        print(Self.table(source: pair.sourceWords, written: written, weights: attention.map(\.weights)))
    }

    /// Rows: words written; columns: source words; cells: weights to two decimals, the largest in a row
    /// marked with `*`.
    static func table(source: [String], written: [String], weights: [[Float]]) -> String {
        let width = max(6, (source.map(\.count).max() ?? 4) + 1)
        let labelWidth = max(6, (written.map(\.count).max() ?? 5) + 1)
        func pad(_ s: String, _ n: Int) -> String { s.count >= n ? String(s.prefix(n)) : s + String(repeating: " ", count: n - s.count) }
        var lines = [pad("", labelWidth) + source.map { pad($0, width) }.joined()]
        for (word, row) in zip(written, weights) {
            let best = row.indices.max { row[$0] < row[$1] }
            lines.append(pad(word, labelWidth) + row.indices.map { i in
                pad(String(format: "%.2f", row[i]) + (i == best ? "*" : ""), width)
            }.joined())
        }
        return lines.joined(separator: "\n")
    }
}
