/// The three lines an encoder–decoder scene opens with: the source, what the decoder has written up to
/// this step (the current word reversed, words that differ from the reference underlined), and the
/// reference (or a note that a typed sentence has none). Shared by the seq2seq and transformer scenes.
struct TranslationLines {
    var source: [String]
    var written: [String]
    var reference: [String]
    /// Text columns of the labels on the left.
    var labelWidth: Int
    /// The label of the reference line, and a source word to reverse (the encoder map's cursor).
    var referenceLabel = "target"
    var sourceHighlight: Int?

    /// Draws the three lines into `rect` (its first three rows).
    func draw(in rect: Rect, current: Int, _ screen: inout Screen) {
        func line(_ row: Int, _ label: String, _ words: [String], highlight: Int? = nil, wrong: (Int) -> Bool = { _ in false }) {
            let r = rect.row(row)
            var x = screen.put(label.padded(to: labelWidth), x: r.x, y: r.y, style: .dim, clip: r)
            for (i, w) in words.enumerated() {
                var style: Style = wrong(i) ? Style([.bold, .underline]) : .plain
                if i == highlight { style.attributes.formUnion([.reverse, .bold]) }
                x = screen.put(w, x: x, y: r.y, style: style, clip: r)
                x = screen.put(" ", x: x, y: r.y, clip: r)
            }
        }
        line(0, "source", source, highlight: sourceHighlight)
        let target = reference + ["<eos>"]
        line(1, "output", written, highlight: current,
             wrong: { i in !reference.isEmpty && (i >= target.count || target[i] != written[i]) })
        line(2, referenceLabel, reference.isEmpty ? ["(typed: none)"] : reference)
    }
}
