import Tasks

/// Where the sequence panel of a bit task goes: its box, the ruler, one strip each for input, target and
/// output, and the steps in view. Scenes of models on bit tasks place it at the top of their body.
struct SequenceLayout: Sendable {
    var sequence = Rect.zero
    var ruler = Rect.zero
    var input = Rect.zero
    var target: Rect?
    var output = Rect.zero
    var sequenceTime = TimeAxis(x: 0, first: 0, count: 0, stepWidth: 1)
    var bordered = false
    /// Whether the episode is on a token task: then `input`, `target` and `output` are one text row each
    /// (the words read, wanted and written), one word a step, in `tokenColumns`.
    var tokens = false
    /// Token form: the steps in view, each at its own column and as wide as its longest word and a space.
    var tokenColumns: [(step: Int, x: Int, width: Int)] = []

    /// The step drawn under screen column `x`, in either form.
    func step(atX x: Int) -> Int? {
        guard tokens else { return sequenceTime.step(atX: x) }
        return tokenColumns.first { x >= $0.x && x < $0.x + $0.width }?.step
    }

    init() {}

    /// The panel at the top of `body`; returns it and the rest of the body. The target strip is shown in
    /// rich layouts and from 30 rows on unless `alwaysShowTarget`; steps are up to `maxStepWidth` columns.
    static func place(in body: Rect, context: SceneContext, kind: SceneFrame.Kind, alwaysShowTarget: Bool = false,
                      maxStepWidth: Int = 3) -> (SequenceLayout, Rect) {
        var l = SequenceLayout()
        l.bordered = kind == .rich
        let frame = context.frame
        let steps = context.episode.count
        if frame.data is TokenStep { return placeTokens(in: body, context: context, layout: l) }
        // A ruler, then input (half blocks: two channels a row), target, output.
        let inputRows = ((context.episode.example?.inputWidth ?? 0) + 1) / 2
        let outputRows = (frame.output.count + 1) / 2
        let showTarget = alwaysShowTarget || kind == .rich || body.height >= 30
        let border = l.bordered ? 1 : 0
        let seqHeight = 1 + inputRows + (showTarget ? outputRows : 0) + outputRows + 2 * border
        let (seqBox, lower) = body.splitTop(seqHeight)
        l.sequence = seqBox
        let seqInner = seqBox.inset(by: border)
        let labelWidth = 5
        var y = seqInner.y
        l.ruler = Rect(x: seqInner.x, y: y, width: seqInner.width, height: 1); y += 1
        l.input = Rect(x: seqInner.x, y: y, width: seqInner.width, height: inputRows); y += inputRows
        if showTarget {
            l.target = Rect(x: seqInner.x, y: y, width: seqInner.width, height: outputRows); y += outputRows
        }
        l.output = Rect(x: seqInner.x, y: y, width: seqInner.width, height: outputRows)
        // Steps wider than 3 columns leave room after the last for the ruler's " 25/25 answer".
        let readout = maxStepWidth > 3 ? 16 : 0
        l.sequenceTime = TimeAxis.fitting(x: seqInner.x + labelWidth, width: seqInner.width - labelWidth - 1 - readout,
                                          steps: steps, current: context.step, maxStepWidth: maxStepWidth)
        return (l, lower)
    }

    /// The token form: a ruler and three rows of words (read, wanted, written), each step as wide as its
    /// longest word (and a space, at most 14 columns), every step when they fit, else the steps around the
    /// current one.
    static func placeTokens(in body: Rect, context: SceneContext, layout: SequenceLayout) -> (SequenceLayout, Rect) {
        var l = layout
        l.tokens = true
        let border = l.bordered ? 1 : 0
        let (seqBox, lower) = body.splitTop(4 + 2 * border)
        l.sequence = seqBox
        let inner = seqBox.inset(by: border)
        l.ruler = Rect(x: inner.x, y: inner.y, width: inner.width, height: 1)
        l.input = Rect(x: inner.x, y: inner.y + 1, width: inner.width, height: 1)
        l.target = Rect(x: inner.x, y: inner.y + 2, width: inner.width, height: 1)
        l.output = Rect(x: inner.x, y: inner.y + 3, width: inner.width, height: 1)
        let widths = context.episode.frames.map { f -> Int in
            guard let d = f.data as? TokenStep else { return 2 }
            let written = (d.output?.word.count ?? 0) + d.wrong(output: [])     // a wrong word is marked `×`
            return Swift.min(14, Swift.max(1, d.input.word.count, written, d.target?.word.count ?? 0) + 1)
        }
        let labelWidth = 6
        let room = Swift.max(0, inner.width - labelWidth)
        // Grow the window from the current step, one step right then one left, while it fits.
        let now = Swift.min(context.step, widths.count - 1)
        var lo = now, hi = now, used = widths[now]
        var grew = true
        while grew {
            grew = false
            if hi + 1 < widths.count, used + widths[hi + 1] <= room { hi += 1; used += widths[hi]; grew = true }
            if lo > 0, used + widths[lo - 1] <= room { lo -= 1; used += widths[lo]; grew = true }
        }
        var x = inner.x + labelWidth
        for t in lo...hi {
            l.tokenColumns.append((t, x, widths[t]))
            x += widths[t]
        }
        l.sequenceTime = TimeAxis(x: inner.x + labelWidth, first: lo, count: l.tokenColumns.count, stepWidth: 1)
        return (l, lower)
    }
}

/// The sequence panel of bit tasks, shared by the scenes of models on them: input, target and output
/// over time, the ruler, and the input editor in its place while editing.
enum SequencePanel {
    static let bitScale = ColorScale.viridis
    static let unitRange = ValueRange(min: 0, max: 1)

    /// The panel, or the editor while the user edits the input.
    static func draw(_ s: SceneContext, _ layout: SequenceLayout, _ mode: ColorMode, _ screen: inout Screen) {
        if layout.tokens {
            drawTokens(s, layout, &screen)
        } else if let editor = s.editor {
            drawEditor(editor, s, layout, mode, &screen)
        } else {
            drawSequence(s, layout, mode, &screen)
        }
    }

    /// A panel frame in rich layouts.
    static func frame(_ title: String, rect: Rect, layout: SequenceLayout, focused: Bool = false, _ screen: inout Screen) {
        if layout.bordered { Panel(title: title, focused: focused).render(into: &screen, rect: rect) }
    }

    /// Input, target and output over time, one step per column (half blocks: two channels per row). Output
    /// appears up to the current step; wrong scored bits are drawn as `×`. The ruler marks each step's phase
    /// and the current step with `▼`.
    static func drawSequence(_ s: SceneContext, _ layout: SequenceLayout, _ mode: ColorMode, _ screen: inout Screen) {
        let axis = layout.sequenceTime
        frame("Sequence · steps \(axis.first + 1)–\(axis.first + axis.count) of \(s.episode.count)",
              rect: layout.sequence, layout: layout, &screen)
        drawRuler(s, axis, layout.ruler, &screen)
        // The cells read the example's own rows (no copy) and each step's output, taken once per draw.
        guard let example = s.episode.example else { return }
        let inputs = example.inputs.data, targets = example.targets.data, mask = example.mask
        let inputWidth = example.inputWidth, outputWidth = example.outputWidth
        let outputs = s.episode.frames.map(\.output)
        func strip(_ label: String, _ rect: Rect, channels: Int, upTo last: Int,
                   value: @escaping @Sendable (Int, Int) -> Float, wrong: @escaping @Sendable (Int, Int) -> Bool) {
            screen.put(label, x: rect.x, y: rect.y, style: .dim, clip: rect)
            let area = Rect(x: axis.x, y: rect.y, width: axis.count * axis.stepWidth, height: rect.height)
            Heatmap(rows: channels, columns: axis.count, cellWidth: axis.stepWidth, scale: bitScale,
                    range: unitRange, mode: mode,
                    value: { ch, c in axis.first + c <= last ? value(axis.first + c, ch) : nil },
                    marked: { ch, c in wrong(axis.first + c, ch) }, binaryGlyphs: true)
                .render(into: &screen, rect: area)
        }
        strip("in", layout.input, channels: inputWidth, upTo: s.lastStep,
              value: { t, ch in inputs[t * inputWidth + ch] }, wrong: { _, _ in false })
        if let target = layout.target {
            strip("tgt", target, channels: outputWidth, upTo: s.lastStep,
                  value: { t, ch in mask[t] ? targets[t * outputWidth + ch] : 0 }, wrong: { _, _ in false })
        }
        strip("out", layout.output, channels: outputWidth, upTo: s.step,
              value: { t, ch in outputs[t][ch] },
              wrong: { t, ch in
                  t <= s.step && mask[t] && (outputs[t][ch] >= 0.5) != (targets[t * outputWidth + ch] >= 0.5)
              })
        if layout.bordered {
            let legendRow = Rect(x: layout.sequence.x + 2, y: layout.sequence.maxY - 1,
                                 width: Swift.min(40, layout.sequence.width - 4), height: 1)
            Legend(title: "bit/output", scale: bitScale, range: unitRange, mode: mode, decimals: 0)
                .render(into: &screen, rect: legendRow)
            screen.put(" × wrong bit ", x: legendRow.maxX + 2, y: legendRow.y, style: Style(.bold),
                       clip: layout.sequence)
        }
    }

    /// The phase of every step in view (`i` input, `d` delimiter, `a` answer, …) and `▼` at the current step.
    static func drawRuler(_ s: SceneContext, _ axis: TimeAxis, _ rect: Rect, _ screen: inout Screen) {
        screen.put("step", x: rect.x, y: rect.y, style: .dim, clip: rect)
        for i in 0..<axis.count {
            let t = axis.first + i
            let x = axis.x + i * axis.stepWidth
            if t == s.step {
                screen.put("▼", x: x, y: rect.y, style: Style([.bold]), clip: rect)
            } else {
                screen.put(phaseLetter(s.episode[t].phase), x: x, y: rect.y, style: .dim, clip: rect)
            }
        }
        let label = " \(s.step + 1)/\(s.episode.count) \(s.frame.phase.rawValue)"
        let end = axis.x + axis.count * axis.stepWidth
        if end + label.count <= rect.maxX {
            screen.put(label, x: end, y: rect.y, style: .bold, clip: rect)
        }
    }

    static func phaseLetter(_ phase: Phase) -> String { String(phase.letter) }

    /// The token form: the words read at every step (dim while reading the source), the words (or labels)
    /// wanted and those written up to the current step (a wrong one `×`, bold and underlined), and the ruler.
    static func drawTokens(_ s: SceneContext, _ layout: SequenceLayout, _ screen: inout Screen) {
        let columns = layout.tokenColumns
        let steps = s.episode.frames.map { $0.data as? TokenStep }
        // A model that reads a source and then writes (translation, transduction) or writes one label at
        // every word it reads (Dyck): the step data says which, and the score names what is written.
        let read = steps.filter { $0?.onlyReads == true }.count
        let unit = String(s.episode.unit.dropLast(s.episode.unit.hasSuffix("s") ? 1 : 0))
        let shape = read > 0 ? "read \(read) words, then write" : "one \(unit) written at every step"
        let span = columns.isEmpty ? "" : " · steps \(columns[0].step + 1)–\(columns[columns.count - 1].step + 1) of \(s.episode.count)"
        frame("Sequence · \(shape)\(span)", rect: layout.sequence, layout: layout, &screen)
        // The ruler: each step's phase letter, `▼` at the current one, and its number and phase after the last.
        screen.put("step", x: layout.ruler.x, y: layout.ruler.y, style: .dim, clip: layout.ruler)
        for c in columns {
            let mark = c.step == s.step ? "▼" : SequencePanel.phaseLetter(s.episode[c.step].phase)
            screen.put(mark, x: c.x, y: layout.ruler.y, style: c.step == s.step ? .bold : .dim, clip: layout.ruler)
        }
        if let last = columns.last {
            let label = " \(s.step + 1)/\(s.episode.count) \(s.frame.phase.rawValue)"
            if last.x + last.width + label.count <= layout.ruler.maxX {
                screen.put(label, x: last.x + last.width, y: layout.ruler.y, style: .bold, clip: layout.ruler)
            }
        }
        func row(_ label: String, _ rect: Rect?, upTo last: Int, _ word: (TokenStep) -> (String, Bool)?) {
            guard let rect else { return }
            screen.put(label, x: rect.x, y: rect.y, style: .dim, clip: rect)
            for c in columns {
                guard c.step <= last, let step = steps[c.step], let (text, wrong) = word(step) else { continue }
                var style: Style = wrong ? Style([.bold, .underline]) : (step.phase == .source ? .dim : .plain)
                if c.step == s.step { style.attributes.formUnion([.reverse, .bold]) }
                screen.put(((wrong ? "×" : "") + text).fitted(to: c.width - 1), x: c.x, y: rect.y, style: style, clip: rect)
            }
        }
        row("read", layout.input, upTo: s.lastStep) { ($0.input.word, false) }
        row("want", layout.target, upTo: s.lastStep) { step in step.target.map { ($0.word, false) } }
        row("wrote", layout.output, upTo: s.step) { step in step.output.map { ($0.word, step.wrong(output: []) > 0) } }
        if layout.bordered {
            let note = " × wrote a \(unit) that is not the one wanted "
            screen.put(note.fitted(to: layout.sequence.width - 4), x: layout.sequence.x + 2, y: layout.sequence.maxY - 1,
                       style: .bold, clip: layout.sequence)
        }
    }

    /// The bit editor in place of the sequence: one row per bit, one column per input vector, `█` for 1,
    /// `·` for 0, the cursor in reverse video.
    static func drawEditor(_ editor: InputEditor, _ s: SceneContext, _ layout: SequenceLayout, _ mode: ColorMode,
                           _ screen: inout Screen) {
        let box = Rect(x: layout.sequence.x, y: layout.sequence.y, width: layout.sequence.width,
                       height: layout.output.maxY - layout.sequence.y + (layout.bordered ? 1 : 0))
        screen.fill(box)
        frame("Edit input", rect: layout.sequence, layout: layout, focused: true, &screen)
        let inner = layout.bordered ? Panel.inner(layout.sequence) : layout.sequence
        screen.put("Edit input: space toggles · enter runs · esc cancels · vector \(editor.row + 1), bit \(editor.entry + 1)",
                   in: inner.row(0), style: Style(.bold))
        let slot = 2
        let visible = Swift.max(1, (inner.width - 5) / slot)
        let first = TokenStrip.firstVisible(count: editor.rows.count, visible: visible, focus: editor.row)
        let on = mode == .none ? Style(.bold) : Style(fg: bitScale.color(at: 1, mode: mode))
        let off = Style(.dim)
        for b in 0..<editor.width where 1 + b < inner.height {
            let y = inner.y + 1 + b
            screen.put("b\(b + 1)", x: inner.x, y: y, style: .dim, clip: inner)
            for i in 0..<Swift.min(visible, editor.rows.count - first) {
                let r = first + i
                let bit = editor.rows[r][b] >= 0.5
                var style = bit ? on : off
                if r == editor.row && b == editor.entry { style.attributes.formUnion([.reverse, .bold]) }
                screen.put(bit ? "█" : "·", x: inner.x + 5 + i * slot, y: y, style: style, clip: inner)
            }
        }
    }
}
