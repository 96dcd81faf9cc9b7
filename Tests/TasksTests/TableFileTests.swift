import Engine
import Foundation
import Tasks
import Testing

/// `--table FILE`: a CSV of named numeric columns, read whole or refused in one line naming the place.
@Suite struct TableFileTests {
    func message(_ text: String) -> String? {
        do {
            _ = try TableFile.parse(text, path: "t.csv")
            return nil
        } catch let e as ArnnError {
            return e.message
        } catch {
            return "\(error)"
        }
    }

    @Test func aHeaderAndRowsOfNumbersMakeATable() throws {
        let text = "# prices\r\nprice, weight,\"age\"\r\n\r\n12, 3.5, 40\n 7,0,-2\n"
        let table = try TableFile.parse(text, path: "t.csv")
        #expect(table.columns == ["price", "weight", "age"])
        #expect(table.rows == [[12, 3.5, 40], [7, 0, -2]])
        let quoted = try TableFile.parse("\"a \"\"big\"\" one\",b\n1,2\n", path: "t.csv")
        #expect(quoted.columns == ["a \"big\" one", "b"])
    }

    @Test func aRaggedRowIsNamedWithItsLineAndTheHeader() {
        #expect(message("price,weight,age\n1,2,3\n4,5\n") == "t.csv:3: 2 fields, but the header names 3 columns (price, weight, age)")
        #expect(message("a,b\n1,2,3\n") == "t.csv:2: 3 fields, but the header names 2 columns (a, b)")
    }

    @Test func everyOtherMistakeIsOneLineNamingThePlace() {
        #expect(message("a,b\n1,x\n") == "t.csv:2: \"x\" in column b is not a number")
        #expect(message("a,a\n1,2\n") == "t.csv:1: the header names column \"a\" twice")
        #expect(message("a,,c\n1,2,3\n") == "t.csv:1: column 2 of the header has no name")
        #expect(message("a,b\n1,\"2\n") == "t.csv:2: a quote in field 2 is not closed")
        #expect(message("a,b\n") == "t.csv: has a header but no rows")
        #expect(message("# nothing\n\n") == "t.csv: no header row; expected column names, then rows of numbers")
        #expect(message("a\nnan\n") == "t.csv:2: \"nan\" in column a is not a number")
        for text in ["a,b\n1,2,3\n", "a,b\n1,x\n", "a,a\n1,2\n"] {
            #expect(message(text).map { !$0.contains("\n") } == true)
        }
    }

    @Test func aMissingFileOrAFolderIsNamed() throws {
        do {
            _ = try TableFile.load(path: "/nonexistent/t.csv")
            Issue.record("a missing file was read")
        } catch let e as ArnnError {
            #expect(e.message.contains("no such file"))
        }
        do {
            _ = try TableFile.load(path: NSTemporaryDirectory())
            Issue.record("a folder was read")
        } catch let e as ArnnError {
            #expect(e.message.contains("is a directory"))
        }
    }
}
