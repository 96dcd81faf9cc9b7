/// Which tables are held out for evaluation (docs/tasks/table-qa.md, "Held out"): a table is held out when
/// its fingerprint, a hash of its column names and cells, is 0 modulo `heldOutEvery`. Training draws skip
/// held-out tables and evaluation draws keep only them, so no held-out table, and no question about one,
/// ever occurs in training, whatever the seeds. The rule depends on the table alone: the same on every
/// run, machine and configuration.
public enum TableSplit {
    /// One table in 16 is held out.
    public static let heldOutEvery: UInt64 = 16

    public static func isHeldOut(_ table: Table) -> Bool { fingerprint(table) % heldOutEvery == 0 }

    /// FNV-1a (64 bits) over the column names (UTF-8, each followed by a 0 byte), a 0xFF byte, then each
    /// cell's Double bit pattern, row by row, little-endian (−0 taken as 0); finished by SplitMix64's mixer
    /// so that the low bits the split reads depend on every byte.
    public static func fingerprint(_ table: Table) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        func add(_ byte: UInt8) {
            h ^= UInt64(byte)
            h = h &* 0x0000_0100_0000_01B3
        }
        for name in table.columns {
            for b in name.utf8 { add(b) }
            add(0)
        }
        add(0xFF)
        for row in table.rows {
            for x in row {
                var bits = (x == 0 ? 0 : x).bitPattern
                for _ in 0..<8 {
                    add(UInt8(truncatingIfNeeded: bits))
                    bits >>= 8
                }
            }
        }
        h = (h ^ (h >> 30)) &* 0xBF58_476D_1CE4_E5B9
        h = (h ^ (h >> 27)) &* 0x94D0_49BB_1331_11EB
        return h ^ (h >> 31)
    }
}
