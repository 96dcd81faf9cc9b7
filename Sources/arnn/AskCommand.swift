import ArgumentParser
import Engine
import Episodes
import Foundation
import Models
import Registry
import Tasks
import Viewing

/// `arnn ask DEMO --story … --question …`: a model that reads a story and answers, on typed text,
/// without a terminal.
struct Ask: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Ask a trained memory network a question about a story and print where each hop attended.",
        discussion: """
            Prints the answer alone on the first line, then one row per sentence the memory kept and one \
            column per hop (or pass): the weight the hop gave the sentence, the largest in each column \
            marked with *. A story longer than the memory keeps its last sentences, and a line says so. \
            An unknown word (named with the closest known word), an empty story, a missing question or a \
            question the task has no form for is refused with one line (exit 2).

            Example: arnn ask memn2n-babi --story "Mary moved to the bathroom. John went to the hallway." \
            --question "Where is Mary?"
            """
    )

    @Argument(help: "A demo name (see demos/), a demo folder, or a checkpoint of a model that answers questions about stories.")
    var model: String
    @Option(help: "The story: sentences, each ending in a full stop.") var story: String
    @Option(help: "The question, e.g. \"Where is Mary?\".") var question: String
    @Flag(help: "Only the answer, without the attention table.") var quiet = false

    mutating func run() throws {
        let loaded = try LoadedModel.load(model, catalog: Registry.catalog)
        guard loaded.task.readsText else { throw ArnnError("\(loaded.name) runs on \(loaded.task.name), which reads no stories") }
        let text = Self.text(story: story, question: question)
        let episode = try ViewerEffects(learners: [loaded.learner], task: loaded.task).episodes(text: text)[0]
        guard let step = episode.frames.last?.data as? AnswerStep, let given = step.given else {
            throw ArnnError("\(loaded.name) gave no answer")
        }
        switch given {
        case .word(_, let word): print(word)
        case .number(let x): print(x.rounded() == x ? String(Int(x)) : String(x))
        case .cell(let row, let column): print("row \(row + 1), column \(column + 1)")
        }
        guard !quiet else { return }
        let hops = episode.frames.compactMap { ($0.snapshot as? any SentenceAttentionSnapshot)?.sentenceAttention }
        guard hops.count == episode.frames.count, let kept = hops.first?.count,
              let sentences = (episode.sample as? any StorySample)?.story.sentences else {
            print("(\(loaded.name) does not attend over sentences)")
            return
        }
        let dropped = sentences.count - kept
        if dropped > 0 { print("the memory keeps the last \(kept) of \(sentences.count) sentences") }
        let name = (episode.frames.first?.snapshot as? any SentenceAttentionSnapshot).map { type(of: $0).stepName } ?? "hop"
        let empty = episode.frames.compactMap { ($0.snapshot as? any SentenceAttentionSnapshot)?.emptyAttention }
        print(Self.table(sentences: Array(sentences.suffix(kept)), firstNumber: dropped + 1, hops: hops,
                         empty: empty.count == hops.count ? empty : nil, stepName: name))
    }

    /// The story and question as the task reads typed text: a final full stop and question mark added
    /// where missing.
    static func text(story: String, question: String) -> String {
        var s = story.trimmingCharacters(in: .whitespacesAndNewlines)
        if let last = s.last, last != "." && last != "?" { s += "." }
        var q = question.trimmingCharacters(in: .whitespacesAndNewlines)
        if !q.isEmpty && !q.hasSuffix("?") { q += "?" }
        return s.isEmpty ? q : s + " " + q
    }

    /// One row per sentence (numbered as in the story), one column per hop: weights to two decimals, the
    /// largest in each column marked with `*`.
    static func table(sentences: [[String]], firstNumber: Int, hops: [[Float]], empty: [Float]? = nil, stepName: String = "hop") -> String {
        let labels = sentences.enumerated().map { i, words in "\(firstNumber + i) \(words.joined(separator: " "))" }
        let labelWidth = min(max(8, (labels.map(\.count).max() ?? 0) + 2), 60)
        func pad(_ s: String, _ n: Int) -> String { s.count >= n ? String(s.prefix(n - 1)) + " " : s + String(repeating: " ", count: n - s.count) }
        let best = hops.map { column in column.indices.max { column[$0] < column[$1] } }
        var lines = [pad("sentence", labelWidth) + hops.indices.map { pad("\(stepName) \($0 + 1)", 8) }.joined()]
        for (i, label) in labels.enumerated() {
            lines.append(pad(label, labelWidth) + hops.indices.map { k in
                pad(String(format: "%.2f", hops[k][i]) + (best[k] == i ? "*" : ""), 8)
            }.joined())
        }
        if let empty {
            lines.append(pad("(empty memory)", labelWidth) + empty.map { pad(String(format: "%.2f", $0), 8) }.joined())
        }
        return lines.map { $0.replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression) }.joined(separator: "\n")
    }
}
