import Episodes
import Models
import Tasks

/// Which step and head pushed a row of a continuous stack, queue or deque: the row's identity, which its
/// index does not keep (a deque's push at the bottom renumbers every row above it).
package struct RowOrigin: Hashable, Sendable {
    package var step: Int
    package var head: Int
}

/// One episode of a continuous structure as the scene reads it: every step's snapshot, and every row the
/// episode pushed in one fixed order, bottom to top (a *slot*), so a row keeps its place in the strengths
/// heatmap and under the cursor while the steps add rows above it (and, for the deque, below it).
///
/// At step t the structure holds a contiguous run of slots: rows only ever arrive at the two ends
/// (docs/models/neural-stack.md eq. (1), (9)), so the rows of any step are the last step's rows with some
/// taken off each end.
package struct StructureHistory: Sendable {
    package let snapshots: [NeuralStackSnapshot]
    /// The rows the whole episode pushed, bottom to top: the last step's rows.
    package let slots: [RowOrigin]
    /// Per step: the slot of its row 0.
    package let offsets: [Int]
    /// Per step: the word the model read (nil on a task without words).
    package let words: [String?]
    /// Per step: the word it wrote (nil while it reads, or on a task without words).
    package let written: [String?]
    /// The output tokens (or labels) by id (empty on a task whose outputs are not named).
    package let outputWords: [String]
    /// The largest |v| pushed in the episode, so value cells keep their colours while scrubbing.
    package let valueRange: ValueRange

    package init(_ episode: Episode, scene: String) {
        snapshots = episode.snapshots(NeuralStackSnapshot.self, scene: scene)
        let last = snapshots[snapshots.count - 1]
        slots = zip(last.rowSteps, last.rowHeads).map { RowOrigin(step: $0, head: $1) }
        var index: [RowOrigin: Int] = [:]
        for (i, o) in slots.enumerated() { index[o] = i }
        offsets = snapshots.map { s in
            guard let step = s.rowSteps.first, let head = s.rowHeads.first else { return 0 }
            guard let slot = index[RowOrigin(step: step, head: head)] else {
                preconditionFailure("a row of step \(step) is not among the episode's last rows")
            }
            return slot
        }
        let tokens = episode.frames.map { $0.data as? TokenStep }
        words = tokens.map { $0?.input.word }
        written = tokens.map { $0?.output?.word }
        outputWords = episode.task.outputNames ?? []
        var m: Float = 1e-6
        for s in snapshots { for v in s.pushedValues { for x in v { m = Swift.max(m, abs(x)) } } }
        valueRange = .symmetric(m)
    }

    package var steps: Int { snapshots.count }
    package var slotCount: Int { slots.count }
    package var heads: Int { snapshots[0].heads.count }
    package var valueSize: Int { snapshots[0].pushedValues.first?.count ?? 0 }

    /// The row index of `slot` at step `t`, or nil when the structure does not hold it yet.
    package func row(ofSlot slot: Int, at t: Int) -> Int? {
        let r = slot - offsets[t]
        return r >= 0 && r < snapshots[t].strengths.count ? r : nil
    }

    package func slot(ofRow row: Int, at t: Int) -> Int { offsets[t] + row }

    /// The strength of `slot` after step `t` (nil before it was pushed).
    package func strength(ofSlot slot: Int, at t: Int) -> Float? {
        row(ofSlot: slot, at: t).map { snapshots[t].strengths[$0] }
    }

    /// The push strength d the row of `slot` arrived with (eq. (13) at its step).
    package func pushStrength(ofSlot slot: Int) -> Float {
        let o = slots[slot]
        return snapshots[o.step].push[o.head]
    }

    /// `pushed at step 8 reading c` (and `on top` / `at the bottom` when the structure has two heads that
    /// push at different ends), 1-based like the player's steps.
    package func originText(_ slot: Int, end: String?) -> String {
        let o = slots[slot]
        let word = words[o.step].map { " reading \($0)" } ?? ""
        return "pushed at step \(o.step + 1)\(word)\(end.map { " \($0)" } ?? "")"
    }
}
