import Engine
import Foundation
import Tasks
import Testing

/// Dyck-2 recognition as sequence labelling (docs/tasks/dyck.md).
@Suite struct Dyck2TaskTests {
    static func ids(_ text: String) -> [Int] {
        text.split(separator: " ").map { BracketString.symbols.firstIndex(of: String($0))! }
    }

    @Test func eachPositionIsLabelledWithTheCloserOfTheInnermostOpenBracketOrNone() throws {
        let cases: [(String, String)] = [
            ("( [ ] ) [", ") ] ) none ]"),
            ("( )", ") none"),
            ("[ ( ( ) ) ]", "] ) ) ) ] none"),
            ("( ) [ ] ( [ ( ) ] )", ") none ] none ) ] ) ] ) none"),
            ("[ [ [", "] ] ]"),
        ]
        for (input, labels) in cases {
            let s = BracketString(symbols: Self.ids(input))
            #expect(s.labelWords.joined(separator: " ") == labels, "\(input)")
            #expect(s.symbolWords.joined(separator: " ") == input)
            #expect(s.labels.count == s.symbols.count)
        }
        #expect(BracketString(symbols: Self.ids("( [ ] )")).isBalanced)
        #expect(!BracketString(symbols: Self.ids("( [ ] ) [")).isBalanced)
    }

    @Test func everyDrawIsBalancedOfTheAskedLengthAndItsLabelsAreTheStacks() {
        let task = Dyck2Task()
        var rng = SeededRNG(seed: 3)
        for n in [2, 8, 16, 32, 64, 128, 256] {
            for _ in 0..<20 {
                let s = task.sample(rng: &rng, length: n)
                #expect(s.symbols.count == n && s.isBalanced, "\(s)")
                #expect(BracketString.firstError(s.symbols) == nil)
                // Depth never below 0 and back to 0 at the end; `none` exactly where it is 0.
                var depth = 0
                for (sym, label) in zip(s.symbols, s.labels) {
                    depth += sym % 2 == 0 ? 1 : -1
                    #expect(depth >= 0 && (label == BracketString.none) == (depth == 0))
                }
                #expect(depth == 0)
            }
        }
    }

    @Test func trainingLengthsAreEvenAndCoverTheRangeUniformly() {
        var rng = SeededRNG(seed: 4)
        let task = Dyck2Task(minLength: 8, maxLength: 32)
        var counts: [Int: Int] = [:]
        for _ in 0..<2600 { counts[task.sample(rng: &rng, length: nil).symbols.count, default: 0] += 1 }
        #expect(Set(counts.keys) == Set(stride(from: 8, through: 32, by: 2)))
        // 13 lengths, 200 each ± 5 standard deviations (68).
        #expect(counts.values.allSatisfy { abs($0 - 200) < 68 }, "\(counts)")
    }

    @Test func drawsAreReproducibleFromTheSeed() {
        let task = Dyck2Task()
        var a = SeededRNG(seed: 9), b = SeededRNG(seed: 9)
        for _ in 0..<20 { #expect(task.sample(rng: &a, length: nil) == task.sample(rng: &b, length: nil)) }
    }

    /// The length-conditioned draw gives what rejection from the grammar gives: at 6 brackets, each of the
    /// five shapes (kinds erased) comes out as often as drawing from S → (S) | [S] | S S | ε until a string
    /// of 6 brackets comes out.
    @Test func theConditionedDrawMatchesRejectionFromTheGrammar() {
        let p = 0.5, q = 0.25
        func shape(_ s: [Int]) -> String { String(s.map { $0 % 2 == 0 ? "(" : ")" }) }
        // Rejection: expand S left to right, giving up once the string is longer than 6.
        func derive(_ rng: inout SeededRNG) -> [Int]? {
            var out: [Int] = [], pending = ["S"]
            while let top = pending.popLast() {
                if top != "S" { out.append(top == "(" ? 0 : 1); continue }
                let u = rng.uniformDouble()
                if u < p { pending += [")", "S", "("] } else if u < p + q { pending += ["S", "S"] }
                if out.count + pending.filter({ $0 != "S" }).count > 6 || pending.count > 400 { return nil }
            }
            return out
        }
        var rng = SeededRNG(seed: 21)
        var rejected: [String: Int] = [:], accepted = 0
        while accepted < 20_000 {
            guard let s = derive(&rng), s.count == 6 else { continue }
            rejected[shape(s), default: 0] += 1
            accepted += 1
        }
        let task = Dyck2Task(nestProbability: p, concatProbability: q)
        var conditioned: [String: Int] = [:]
        for _ in 0..<20_000 { conditioned[shape(task.sample(rng: &rng, length: 6).symbols), default: 0] += 1 }
        #expect(Set(rejected.keys) == ["((()))", "(()())", "(())()", "()(())", "()()()"])
        for (k, n) in rejected {
            let a = Double(n) / 20_000, b = Double(conditioned[k] ?? 0) / 20_000
            // Each share within 0.015 (about 5 standard deviations of the difference).
            #expect(abs(a - b) < 0.015, "\(k): rejection \(a), conditioned \(b)")
        }
    }

    @Test func bothKindsAreDrawnEquallyAndDeepStringsAppearAtLength128() {
        var rng = SeededRNG(seed: 5)
        let task = Dyck2Task()
        var round = 0, depths: [Int] = []
        for _ in 0..<100 {
            let s = task.sample(rng: &rng, length: 128)
            round += s.symbols.filter { $0 == 0 }.count
            depths.append(s.depth)
        }
        // 6,400 openers: half round ± 5 standard deviations (200).
        #expect(abs(round - 3200) < 200)
        #expect(depths.max()! >= 10, "depths \(depths.min()!)–\(depths.max()!)")
    }

    @Test func validationNamesTheField() {
        func message(_ t: Dyck2Task) -> String? {
            do { try t.validate(); return nil } catch let e as ArnnError { return e.message } catch { return "\(error)" }
        }
        #expect(message(Dyck2Task()) == nil)
        #expect(message(Dyck2Task(minLength: 7))?.contains("minLength must be even") == true)
        #expect(message(Dyck2Task(maxLength: 300))?.contains("maxLength must be at most 256") == true)
        #expect(message(Dyck2Task(nestProbability: 0))?.contains("nestProbability") == true)
        #expect(message(Dyck2Task(nestProbability: 0.6, concatProbability: 0.4))?.contains("below 1") == true)
        #expect(throws: ArnnError.self) { try Dyck2Task().validate(length: 15) }
        #expect(Dyck2Task().evaluationLengths == [16, 32, 64, 128])
    }

    @Test func typedBracketsAreReadWithOrWithoutSpacesAndAnyPrefixIsLabelled() throws {
        let task = Dyck2Task()
        let spaced = try task.sample(text: "( [ ] ) [")
        #expect(try task.sample(text: "([])[") == spaced)
        #expect(spaced.labelWords == [")", "]", ")", "none", "]"])
        #expect(task.unknownWords("( a ] b") == ["a", "b"])
    }

    @Test func badTypedInputIsOneLineNamingTheProblem() {
        let task = Dyck2Task()
        func message(_ text: String) -> String {
            do { _ = try task.sample(text: text); return "" } catch let e as ArnnError { return e.message } catch { return "\(error)" }
        }
        #expect(message("( x )").contains("unknown character \"x\""))
        #expect(message("  ").contains("type brackets"))
        #expect(message(String(repeating: "()", count: 129)).contains("258 brackets"))
        #expect(message("( ]").contains("\"]\" at bracket 2 does not close the \"(\" of bracket 1"))
        #expect(message("( ) )").contains("\")\" at bracket 3 closes nothing"))
        for text in ["( x )", "", "( ]"] { #expect(!message(text).contains("\n")) }
    }

    @Test func aHundredStringsOf128DrawInUnderAFifthOfASecond() {
        let task = Dyck2Task()
        var rng = SeededRNG(seed: 6)
        let start = Date()
        for _ in 0..<100 { _ = task.sample(rng: &rng, length: 128) }
        #expect(Date().timeIntervalSince(start) < 0.2)
    }
}
