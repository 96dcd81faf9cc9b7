/// A minimal JSON reader and writer for safetensors headers.
///
/// Why not `JSONSerialization`: it silently keeps one of two repeated keys, so a header naming the same
/// tensor twice would load without complaint; it boxes every value in `NSNumber`/`NSDictionary`; and it
/// cannot tell `2` from `2.0`, which a shape must. This reader keeps objects as ordered key/value lists
/// (the caller checks for repeated keys with its own context for the message), keeps integers exact, and
/// limits nesting so a hostile header cannot exhaust the stack.
enum HeaderJSON: Equatable, Sendable {
    case object([(key: String, value: HeaderJSON)])
    case array([HeaderJSON])
    case string(String)
    /// A number written without fraction or exponent that fits in `Int`.
    case integer(Int)
    /// Any other number (with a fraction or exponent, or too large for `Int`).
    case number(Double)
    case bool(Bool)
    case null

    static func == (lhs: HeaderJSON, rhs: HeaderJSON) -> Bool {
        switch (lhs, rhs) {
        case let (.object(a), .object(b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.key == $1.key && $0.value == $1.value }
        case let (.array(a), .array(b)): return a == b
        case let (.string(a), .string(b)): return a == b
        case let (.integer(a), .integer(b)): return a == b
        case let (.number(a), .number(b)): return a == b
        case let (.bool(a), .bool(b)): return a == b
        case (.null, .null): return true
        default: return false
        }
    }

    /// The JSON type name, for messages ("found array").
    var typeName: String {
        switch self {
        case .object: "object"
        case .array: "array"
        case .string: "string"
        case .integer, .number: "number"
        case .bool: "boolean"
        case .null: "null"
        }
    }

    /// Compact JSON text of the value, cut to about `limit` characters, for quoting in messages.
    func excerpt(limit: Int = 60) -> String {
        var out = ""
        appendCompact(to: &out, limit: limit)
        return out.count > limit ? String(out.prefix(limit)) + "…" : out
    }

    private func appendCompact(to out: inout String, limit: Int) {
        if out.count > limit { return }
        switch self {
        case let .object(pairs):
            out += "{"
            for (i, pair) in pairs.enumerated() {
                if i > 0 { out += ", " }
                HeaderJSON.appendQuoted(pair.key, to: &out)
                out += ": "
                pair.value.appendCompact(to: &out, limit: limit)
                if out.count > limit { return }
            }
            out += "}"
        case let .array(items):
            out += "["
            for (i, item) in items.enumerated() {
                if i > 0 { out += ", " }
                item.appendCompact(to: &out, limit: limit)
                if out.count > limit { return }
            }
            out += "]"
        case let .string(s): HeaderJSON.appendQuoted(s, to: &out)
        case let .integer(n): out += String(n)
        case let .number(x): out += String(x)
        case let .bool(b): out += b ? "true" : "false"
        case .null: out += "null"
        }
    }

    // MARK: Writing

    /// Appends `s` as a JSON string literal, escaping exactly as serde_json (the reference safetensors
    /// writer) does: `"` and `\`, the short escapes `\b \f \n \r \t`, other control characters as
    /// `\u00xx` in lower-case hex; everything else (including non-ASCII) verbatim as UTF-8.
    static func appendQuoted(_ s: String, to out: inout String) {
        out += "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            case let c where c.value < 0x20:
                let hex = String(c.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }

    // MARK: Reading

    /// Why a header failed to parse, and the byte offset (within the header) where it was noticed.
    struct SyntaxError: Error {
        var problem: String
        var offset: Int
    }

    /// Parses one JSON value from `bytes`, allowing only whitespace after it (safetensors pads its header
    /// with spaces). `bytes` must already be valid UTF-8.
    static func parse(_ bytes: UnsafeBufferPointer<UInt8>, maxDepth: Int = 64) throws(SyntaxError) -> HeaderJSON {
        var parser = Parser(bytes: bytes, maxDepth: maxDepth)
        parser.skipWhitespace()
        let value = try parser.parseValue(depth: 0)
        parser.skipWhitespace()
        if parser.index < bytes.count {
            throw SyntaxError(problem: "unexpected \(parser.describeCurrent()) after the end of the JSON value",
                              offset: parser.index)
        }
        return value
    }

    private struct Parser {
        let bytes: UnsafeBufferPointer<UInt8>
        let maxDepth: Int
        var index = 0

        init(bytes: UnsafeBufferPointer<UInt8>, maxDepth: Int) {
            self.bytes = bytes
            self.maxDepth = maxDepth
        }

        func describeCurrent() -> String {
            guard index < bytes.count else { return "end of header" }
            let b = bytes[index]
            if b >= 0x20 && b < 0x7F { return "'\(Character(Unicode.Scalar(b)))'" }
            return "byte 0x" + String(b, radix: 16)
        }

        func fail(_ problem: String) -> SyntaxError { SyntaxError(problem: problem, offset: index) }

        mutating func skipWhitespace() {
            while index < bytes.count {
                switch bytes[index] {
                case 0x20, 0x09, 0x0A, 0x0D: index += 1
                default: return
                }
            }
        }

        mutating func parseValue(depth: Int) throws(SyntaxError) -> HeaderJSON {
            guard index < bytes.count else { throw fail("unexpected end of header, expected a value") }
            switch bytes[index] {
            case UInt8(ascii: "{"): return try parseObject(depth: depth + 1)
            case UInt8(ascii: "["): return try parseArray(depth: depth + 1)
            case UInt8(ascii: "\""): return .string(try parseString())
            case UInt8(ascii: "t"): try expectWord("true"); return .bool(true)
            case UInt8(ascii: "f"): try expectWord("false"); return .bool(false)
            case UInt8(ascii: "n"): try expectWord("null"); return .null
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
            default: throw fail("unexpected \(describeCurrent()), expected a value")
            }
        }

        mutating func expectWord(_ word: StaticString) throws(SyntaxError) {
            let n = word.utf8CodeUnitCount
            guard index + n <= bytes.count else { throw fail("unexpected \(describeCurrent()), expected a value") }
            for i in 0..<n where bytes[index + i] != word.utf8Start[i] {
                throw fail("unexpected \(describeCurrent()), expected a value")
            }
            index += n
        }

        mutating func parseObject(depth: Int) throws(SyntaxError) -> HeaderJSON {
            if depth > maxDepth { throw fail("values nested more than \(maxDepth) deep") }
            index += 1  // {
            var pairs: [(key: String, value: HeaderJSON)] = []
            skipWhitespace()
            if index < bytes.count && bytes[index] == UInt8(ascii: "}") { index += 1; return .object(pairs) }
            while true {
                skipWhitespace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else {
                    throw fail("unexpected \(describeCurrent()), expected a string key")
                }
                let key = try parseString()
                skipWhitespace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else {
                    throw fail("unexpected \(describeCurrent()), expected ':'")
                }
                index += 1
                skipWhitespace()
                pairs.append((key, try parseValue(depth: depth)))
                skipWhitespace()
                guard index < bytes.count else { throw fail("unexpected end of header, expected ',' or '}'") }
                if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
                if bytes[index] == UInt8(ascii: "}") { index += 1; return .object(pairs) }
                throw fail("unexpected \(describeCurrent()), expected ',' or '}'")
            }
        }

        mutating func parseArray(depth: Int) throws(SyntaxError) -> HeaderJSON {
            if depth > maxDepth { throw fail("values nested more than \(maxDepth) deep") }
            index += 1  // [
            var items: [HeaderJSON] = []
            skipWhitespace()
            if index < bytes.count && bytes[index] == UInt8(ascii: "]") { index += 1; return .array(items) }
            while true {
                skipWhitespace()
                items.append(try parseValue(depth: depth))
                skipWhitespace()
                guard index < bytes.count else { throw fail("unexpected end of header, expected ',' or ']'") }
                if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
                if bytes[index] == UInt8(ascii: "]") { index += 1; return .array(items) }
                throw fail("unexpected \(describeCurrent()), expected ',' or ']'")
            }
        }

        /// Parses a string literal starting at the opening quote.
        mutating func parseString() throws(SyntaxError) -> String {
            index += 1  // opening quote
            let start = index
            // Fast path: no escapes, the usual case for tensor names and dtypes.
            while index < bytes.count {
                let b = bytes[index]
                if b == UInt8(ascii: "\"") {
                    let s = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
                    index += 1
                    return s
                }
                if b == UInt8(ascii: "\\") { break }
                if b < 0x20 { throw fail("control character 0x\(String(b, radix: 16)) inside a string") }
                index += 1
            }
            var utf8 = Array(UnsafeBufferPointer(rebasing: bytes[start..<index]))
            while index < bytes.count {
                let b = bytes[index]
                if b == UInt8(ascii: "\"") {
                    index += 1
                    return String(decoding: utf8, as: UTF8.self)
                }
                if b < 0x20 { throw fail("control character 0x\(String(b, radix: 16)) inside a string") }
                if b != UInt8(ascii: "\\") { utf8.append(b); index += 1; continue }
                index += 1
                guard index < bytes.count else { break }
                let escaped = bytes[index]
                index += 1
                switch escaped {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): utf8.append(escaped)
                case UInt8(ascii: "b"): utf8.append(0x08)
                case UInt8(ascii: "f"): utf8.append(0x0C)
                case UInt8(ascii: "n"): utf8.append(0x0A)
                case UInt8(ascii: "r"): utf8.append(0x0D)
                case UInt8(ascii: "t"): utf8.append(0x09)
                case UInt8(ascii: "u"):
                    var code = try parseHex4()
                    if (0xD800..<0xDC00).contains(code) {
                        // A high surrogate must be followed by an escaped low surrogate.
                        guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"),
                              bytes[index + 1] == UInt8(ascii: "u") else {
                            throw fail("unpaired UTF-16 surrogate in \\u escape")
                        }
                        index += 2
                        let low = try parseHex4()
                        guard (0xDC00..<0xE000).contains(low) else { throw fail("unpaired UTF-16 surrogate in \\u escape") }
                        code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                    } else if (0xDC00..<0xE000).contains(code) {
                        throw fail("unpaired UTF-16 surrogate in \\u escape")
                    }
                    // Every value left is a valid scalar: surrogates were handled above.
                    utf8.append(contentsOf: String(Character(Unicode.Scalar(code)!)).utf8)
                default:
                    index -= 1
                    throw fail("invalid escape \\\(describeCurrent()) in a string")
                }
            }
            throw fail("unexpected end of header inside a string")
        }

        mutating func parseHex4() throws(SyntaxError) -> UInt32 {
            guard index + 4 <= bytes.count else { throw fail("unexpected end of header in a \\u escape") }
            var value: UInt32 = 0
            for _ in 0..<4 {
                let b = bytes[index]
                let digit: UInt8
                switch b {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = b - UInt8(ascii: "0")
                case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = b - UInt8(ascii: "a") + 10
                case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = b - UInt8(ascii: "A") + 10
                default: throw fail("invalid hex digit \(describeCurrent()) in a \\u escape")
                }
                value = value << 4 | UInt32(digit)
                index += 1
            }
            return value
        }

        /// Parses a number by the JSON grammar `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`.
        mutating func parseNumber() throws(SyntaxError) -> HeaderJSON {
            let start = index
            var isInteger = true
            if bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard index < bytes.count, isDigit(bytes[index]) else { throw fail("invalid number") }
            if bytes[index] == UInt8(ascii: "0") {
                index += 1
                if index < bytes.count && isDigit(bytes[index]) { throw fail("invalid number (leading zero)") }
            } else {
                while index < bytes.count && isDigit(bytes[index]) { index += 1 }
            }
            if index < bytes.count && bytes[index] == UInt8(ascii: ".") {
                isInteger = false
                index += 1
                guard index < bytes.count, isDigit(bytes[index]) else { throw fail("invalid number (no digit after '.')") }
                while index < bytes.count && isDigit(bytes[index]) { index += 1 }
            }
            if index < bytes.count && (bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E")) {
                isInteger = false
                index += 1
                if index < bytes.count && (bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-")) {
                    index += 1
                }
                guard index < bytes.count, isDigit(bytes[index]) else { throw fail("invalid number (no exponent digits)") }
                while index < bytes.count && isDigit(bytes[index]) { index += 1 }
            }
            let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
            if isInteger, let n = Int(text) { return .integer(n) }
            return .number(Double(text) ?? .infinity)
        }

        @inline(__always) func isDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }
    }
}
