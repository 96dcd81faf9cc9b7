import Engine
import Foundation
import Testing
import Tasks

@Suite struct BitMatrixFileTests {
    @Test func rowsSkipCommentsBlankLinesSpacesAndCarriageReturns() throws {
        let text = "# a 4-bit input\n0110\r\n\n 1 0 0 1\n"
        let rows = try BitMatrixFile.parse(text, path: "in.txt", width: 4)
        #expect(rows == [[false, true, true, false], [true, false, false, true]])
    }

    @Test func aStrayCharacterNamesFileLineAndColumn() {
        let error = #expect(throws: ArnnError.self) {
            try BitMatrixFile.parse("0110\n01x0\n", path: "in.txt", width: 4)
        }
        #expect(error?.message == "in.txt:2: expected only '0' and '1', found 'x' at column 3")
    }

    @Test func aShortRowNamesTheLineAndTheWidthExpected() {
        let error = #expect(throws: ArnnError.self) {
            try BitMatrixFile.parse("01100110\n\n0110011\n", path: "in.txt", width: 8)
        }
        #expect(error?.message == "in.txt:3: expected 8 bits, found 7")
    }

    @Test func withoutAGivenWidthTheFirstRowSetsIt() {
        let error = #expect(throws: ArnnError.self) { try BitMatrixFile.parse("011\n01\n", path: "f", width: nil) }
        #expect(error?.message == "f:2: expected 3 bits (as on the first row), found 2")
    }

    @Test func aFileWithoutBitsSaysWhatWasExpected() {
        let error = #expect(throws: ArnnError.self) { try BitMatrixFile.parse("# nothing\n\n", path: "in.txt", width: 8) }
        #expect(error?.message == "in.txt: no rows of bits; expected at least one line of 8 '0'/'1' characters")
    }

    @Test func aMissingFileIsNamed() {
        let error = #expect(throws: ArnnError.self) {
            try BitMatrixFile.load(path: "/nonexistent/bits.txt", width: 8)
        }
        #expect(error?.message == "/nonexistent/bits.txt: no such file")
    }

    @Test func aFileOnDiskBecomesACopyExample() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("arnn-bits-\(UUID()).txt")
        try "10000001\n01111110\n11111111\n".write(to: url, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: url) }
        let ex = try CopyTask().example(bits: BitMatrixFile.load(path: url.path, width: 8))
        #expect(ex.steps == 7)
        #expect(row(ex.targets, 6) == [Float](repeating: 1, count: 8))
        #expect(row(ex.targets, 4) == [1, 0, 0, 0, 0, 0, 0, 1])
    }
}
