import Engine
import Foundation
import Tasks
import Testing

/// Held-out tables (docs/tasks/table-qa.md, "Held out"): split by a fingerprint of the table, so that no
/// held-out table, nor any question about one, occurs in training.
@Suite struct TableQAHeldOutTests {
    @Test func trainingNeverDrawsAHeldOutTableAndEvaluationDrawsNothingElse() {
        let task = TableQATask()
        var train = Set<UInt64>(), heldOut = Set<UInt64>()
        var trainPairs = Set<String>()
        for seed in UInt64(0)..<4 {
            var rng = SeededRNG(seed: seed)
            for _ in 0..<1000 {
                let s = task.sample(rng: &rng, length: nil)
                #expect(!TableSplit.isHeldOut(s.table))
                train.insert(TableSplit.fingerprint(s.table))
                trainPairs.insert("\(s.table)|\(s.text)")
            }
        }
        let evaluation = task.forEvaluation()
        #expect(evaluation.split == .heldOut && task.split == .train)
        var rng = SeededRNG(seed: 0)          // the same seed as a training run: still other tables
        for _ in 0..<1000 {
            let s = evaluation.sample(rng: &rng, length: nil)
            #expect(TableSplit.isHeldOut(s.table))
            heldOut.insert(TableSplit.fingerprint(s.table))
            #expect(!trainPairs.contains("\(s.table)|\(s.text)"))
        }
        #expect(train.isDisjoint(with: heldOut))
        #expect(heldOut.count > 990)
    }

    @Test func theFingerprintIsFixedAndOneTableIn16IsHeldOut() {
        let table = Table(columns: ["price", "weight", "age"], rows: [[10, 50, 30], [40, 20, 60], [25, 70, 15], [5, 35, 45]])
        // Worked out apart, by the rule on `TableSplit.fingerprint` written in Python.
        #expect(TableSplit.fingerprint(table) == 0x5A76_DE5B_8EF0_8D9A)
        // Any change of a cell, a name or the order of the columns moves it.
        var cell = table
        cell.rows[3][2] = 46
        let renamed = Table(columns: ["price", "weight", "height"], rows: table.rows)
        let swapped = Table(columns: ["weight", "price", "age"], rows: table.rows.map { [$0[1], $0[0], $0[2]] })
        let prints = Set([table, cell, renamed, swapped].map(TableSplit.fingerprint))
        #expect(prints.count == 4)
        // −0 and 0 are the same cell.
        #expect(TableSplit.fingerprint(Table(columns: ["age"], rows: [[-0.0]])) == TableSplit.fingerprint(Table(columns: ["age"], rows: [[0]])))

        var rng = SeededRNG(seed: 9)
        var held = 0
        for _ in 0..<16000 where TableSplit.isHeldOut(TableGenerator.table(rows: 8, columns: 3, rng: &rng)) { held += 1 }
        // 1,000 expected ± 5 standard deviations (153).
        #expect(abs(held - 1000) < 153, "\(held)")
    }
}
