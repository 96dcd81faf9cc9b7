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
        abstract: "Ask a trained model a question about a story (memory networks) or a table (the Neural Programmer).",
        discussion: """
            Prints the answer alone on the first line, then one row per sentence the memory kept and one \
            column per hop (or pass): the weight the hop gave the sentence, the largest in each column \
            marked with *. A story longer than the memory keeps its last sentences, and a line says so. \
            An unknown word (named with the closest known word), an empty story, a missing question or a \
            question the task has no form for is refused with one line (exit 2).

            With --table (a CSV file: a header of column names, then rows of numbers), a model that answers \
            questions about tables prints its answer alone on the first line (a number, or the cell it looks \
            up), then its program: the operation and column of each step with the weights it gave them. A \
            ragged or non-numeric CSV, a column name or word the task does not know (named with the closest \
            known one) or a table larger than the task reads is refused with one line (exit 2).

            Examples: arnn ask memn2n-babi --story "Mary moved to the bathroom. John went to the hallway." \
            --question "Where is Mary?"
              arnn ask np-tables --table t.csv --question "how many rows have price greater than 50 ?"
            """
    )

    @Argument(help: "A demo name (see demos/), a demo folder, or a checkpoint of a model that answers questions about stories.")
    var model: String
    @Option(help: "The story: sentences, each ending in a full stop.") var story: String?
    @Option(help: "A CSV table to ask about instead of a story: a header of column names, then rows of numbers.") var table: String?
    @Option(help: "The question, e.g. \"Where is Mary?\".") var question: String
    @Flag(help: "Only the answer, without the attention table.") var quiet = false

    mutating func run() throws {
        let loaded = try LoadedModel.load(model, catalog: Registry.catalog)
        if let table {
            try askAboutTable(loaded, try TableFile.load(path: table))
            return
        }
        guard let story else { throw ArnnError("give --story (or --table) with --question") }
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

    /// `--table`: the answer alone (a number, or the value of the cell looked up), then one line per
    /// program step.
    func askAboutTable(_ loaded: LoadedModel, _ table: Table) throws {
        let episode = try ViewerEffects(learners: [loaded.learner], task: loaded.task).episodes(table: table, question: question)[0]
        guard let step = episode.frames.last?.data as? AnswerStep, let given = step.given else {
            throw ArnnError("\(loaded.name) gave no answer")
        }
        let asked = (episode.sample as? any TableSample)?.table ?? table
        let number = Table.text
        switch given {
        case .number(let x): print(number(Double(Float(x))))
        case .cell(let row, let column):
            print(row < asked.rows.count && column < asked.columns.count ? number(asked.rows[row][column]) : "row \(row + 1), column \(column + 1)")
        case .word(_, let word): print(word)
        }
        guard !quiet else { return }
        if case .cell(let row, let column) = given, column < asked.columns.count {
            print("the \(asked.columns[column]) of row \(row + 1)")
        }
        for (t, frame) in episode.frames.enumerated() {
            guard let s = frame.snapshot as? any ProgramSnapshot else {
                print("(\(loaded.name) writes no program)")
                return
            }
            var line = "step \(t + 1)  \(s.operationName) (\(String(format: "%.2f", s.operationWeight)))"
            if let c = s.usedColumn, c < asked.columns.count { line += "  \(asked.columns[c]) (\(String(format: "%.2f", s.columnWeight)))" }
            if let p = s.usedPivot { line += "  than \(number(Double(p)))" }
            print(line)
        }
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
