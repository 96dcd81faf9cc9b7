#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// The element types a safetensors file may hold that arnn reads. Everything is converted to Float32 on
/// load: F16 and BF16 exactly, F64 rounded to nearest (values beyond Float's range become ±infinity).
/// Integer, boolean and 8-bit float types are rejected.
enum SafetensorsDType: String, CaseIterable {
    case f32 = "F32", f16 = "F16", bf16 = "BF16", f64 = "F64"

    var byteSize: Int {
        switch self {
        case .f32: 4
        case .f16, .bf16: 2
        case .f64: 8
        }
    }

    static let accepted = "F32, F16, BF16 and F64"
}

extension Checkpoint {
    /// The reference implementation's limit on header size; anything larger is not a real header.
    public static let maxHeaderLength = 100_000_000

    /// Reads a safetensors file.
    ///
    /// - Returns: the tensors (converted to Float32) and metadata, with `source` set to `path`.
    /// - Throws: `ArnnError` naming `path` when the file is missing or unreadable, or is not a valid
    ///   safetensors file (see `decode(_:source:)`).
    public static func read(from path: String) throws -> Checkpoint {
        try decode(try readWholeFile(path), source: path)
    }

    /// Decodes the bytes of a safetensors file.
    ///
    /// Every structural rule of the format is checked before any tensor memory is allocated, so a file
    /// that lies about its sizes costs no more memory than its own length: the 8-byte header length must fit
    /// in the file; the header must be UTF-8 JSON, an object whose keys are unique; each tensor entry needs
    /// `dtype` (one of F32, F16, BF16, F64), `shape` (non-negative integers) and `data_offsets`
    /// (`[begin, end]`) with `end - begin` equal to the shape's byte count; the tensors must tile the data
    /// section exactly (no overlap, no gap, nothing past or after it); `__metadata__`, if present, maps
    /// strings to strings.
    ///
    /// - Parameter source: the file name used in error messages and stored in the result.
    /// - Throws: `ArnnError` of the form `"<source>: <what is wrong, where, what was expected>"`.
    public static func decode(_ bytes: Data, source: String) throws -> Checkpoint {
        try bytes.withUnsafeBytes { raw in
            try SafetensorsDecoder(bytes: raw.bindMemory(to: UInt8.self), source: source).decode()
        }
    }
}

/// One tensor entry of the header, checked in itself but not yet against its neighbours.
private struct TensorEntry {
    var name: String
    var dtype: SafetensorsDType
    var shape: [Int]
    var begin: Int
    var end: Int
}

private struct SafetensorsDecoder {
    let bytes: UnsafeBufferPointer<UInt8>
    let source: String

    func fail(_ problem: String) -> ArnnError { ArnnError.file(source, problem) }

    func decode() throws -> Checkpoint {
        guard bytes.count >= 8 else {
            throw fail("file is \(bytes.count) bytes long, too short for a safetensors file (it starts with an 8-byte header length)")
        }
        var length: UInt64 = 0
        for i in (0..<8).reversed() { length = length << 8 | UInt64(bytes[i]) }
        let available = bytes.count - 8
        if length > UInt64(Checkpoint.maxHeaderLength) && length > UInt64(available) {
            throw fail("header length \(length) is absurd (the limit is \(Checkpoint.maxHeaderLength) bytes and the file has \(available) bytes after the length); not a safetensors file?")
        }
        guard length <= UInt64(available) else {
            throw fail("header length \(length) runs past the end of the file (\(available) bytes follow the length); truncated file?")
        }
        guard length <= UInt64(Checkpoint.maxHeaderLength) else {
            throw fail("header length \(length) is over the limit of \(Checkpoint.maxHeaderLength) bytes")
        }
        let headerEnd = 8 + Int(length)
        let header = UnsafeBufferPointer(rebasing: bytes[8..<headerEnd])
        guard String(validating: header, as: UTF8.self) != nil else {
            throw fail("header is not valid UTF-8 text; not a safetensors file?")
        }
        let json: HeaderJSON
        do {
            json = try HeaderJSON.parse(header)
        } catch {
            throw fail("header is not valid JSON: \(error.problem) at byte \(8 + error.offset) of the file")
        }
        guard case let .object(pairs) = json else {
            throw fail("header must be a JSON object of tensor entries, found \(json.typeName)")
        }

        var seen = Set<String>()
        var metadata: [String: String] = [:]
        var entries: [TensorEntry] = []
        entries.reserveCapacity(pairs.count)
        for (key, value) in pairs {
            guard seen.insert(key).inserted else {
                throw fail(key == "__metadata__" ? "header has \"__metadata__\" twice" : "duplicate tensor name \"\(key)\"")
            }
            if key == "__metadata__" {
                metadata = try decodeMetadata(value)
            } else {
                entries.append(try decodeEntry(name: key, value))
            }
        }

        let dataStart = headerEnd
        let dataLength = bytes.count - dataStart
        try checkTiling(entries, dataLength: dataLength)

        var tensors: [String: Tensor] = [:]
        tensors.reserveCapacity(entries.count)
        for entry in entries {
            let raw = UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(bytes)[(dataStart + entry.begin)..<(dataStart + entry.end)])
            tensors[entry.name] = Tensor(shape: entry.shape, data: convert(raw, from: entry.dtype))
        }
        return Checkpoint(tensors: tensors, metadata: metadata, source: source)
    }

    func decodeMetadata(_ value: HeaderJSON) throws -> [String: String] {
        guard case let .object(pairs) = value else {
            throw fail("\"__metadata__\" must be an object of string values, found \(value.typeName)")
        }
        var metadata: [String: String] = [:]
        metadata.reserveCapacity(pairs.count)
        for (key, item) in pairs {
            guard case let .string(text) = item else {
                throw fail("\"__metadata__\": value of \"\(key)\" must be a string, found \(item.typeName) \(item.excerpt())")
            }
            guard metadata.updateValue(text, forKey: key) == nil else {
                throw fail("\"__metadata__\": duplicate key \"\(key)\"")
            }
        }
        return metadata
    }

    func decodeEntry(name: String, _ value: HeaderJSON) throws -> TensorEntry {
        let context = "tensor \"\(name)\""
        guard case let .object(fields) = value else {
            throw fail("\(context): entry must be an object with dtype, shape and data_offsets, found \(value.typeName)")
        }
        var dtypeValue: HeaderJSON?, shapeValue: HeaderJSON?, offsetsValue: HeaderJSON?
        var fieldNames = Set<String>()
        for (key, item) in fields {
            guard fieldNames.insert(key).inserted else { throw fail("\(context): duplicate field \"\(key)\"") }
            switch key {
            case "dtype": dtypeValue = item
            case "shape": shapeValue = item
            case "data_offsets": offsetsValue = item
            default: break  // unknown fields are ignored, as the reference implementation does
            }
        }

        guard let dtypeValue else { throw fail("\(context): missing \"dtype\"") }
        guard case let .string(dtypeName) = dtypeValue else {
            throw fail("\(context): \"dtype\" must be a string such as \"F32\", found \(dtypeValue.typeName) \(dtypeValue.excerpt())")
        }
        guard let dtype = SafetensorsDType(rawValue: dtypeName) else {
            throw fail("\(context): unsupported dtype \"\(dtypeName)\" (arnn reads \(SafetensorsDType.accepted))")
        }

        guard let shapeValue else { throw fail("\(context): missing \"shape\"") }
        guard let shape = nonNegativeIntegers(shapeValue) else {
            throw fail("\(context): \"shape\" must be a list of non-negative integers, found \(shapeValue.excerpt())")
        }

        guard let offsetsValue else { throw fail("\(context): missing \"data_offsets\"") }
        guard let offsets = nonNegativeIntegers(offsetsValue), offsets.count == 2, offsets[0] <= offsets[1] else {
            throw fail("\(context): \"data_offsets\" must be [begin, end] with integers 0 <= begin <= end, found \(offsetsValue.excerpt())")
        }

        // Byte count of the shape, refusing products that overflow (a lying header must not wrap around).
        var byteCount = dtype.byteSize
        for dimension in shape {
            let (product, overflow) = byteCount.multipliedReportingOverflow(by: dimension)
            guard !overflow else { throw fail("\(context): shape \(shape) is too large") }
            byteCount = product
        }
        let given = offsets[1] - offsets[0]
        guard byteCount == given else {
            let asType = dtype == .f32 ? "" : " as \(dtypeName)"
            throw fail("\(context): shape \(shape) needs \(byteCount) bytes\(asType), data_offsets give \(given)")
        }
        return TensorEntry(name: name, dtype: dtype, shape: shape, begin: offsets[0], end: offsets[1])
    }

    /// The tensors, ordered by position, must cover `0..<dataLength` exactly once.
    func checkTiling(_ entries: [TensorEntry], dataLength: Int) throws {
        let ordered = entries.sorted { ($0.begin, $0.end) < ($1.begin, $1.end) }
        var cursor = 0
        var previous: TensorEntry?
        for entry in ordered {
            guard entry.end <= dataLength else {
                throw fail("tensor \"\(entry.name)\": data_offsets [\(entry.begin), \(entry.end)] run past the end of the data (\(dataLength) bytes after the header); truncated file?")
            }
            if entry.begin < cursor, let previous {
                throw fail("tensor \"\(entry.name)\": data_offsets [\(entry.begin), \(entry.end)] overlap tensor \"\(previous.name)\" at [\(previous.begin), \(previous.end)]")
            }
            if entry.begin > cursor {
                throw fail("data bytes [\(cursor), \(entry.begin)) belong to no tensor (gap before tensor \"\(entry.name)\")")
            }
            cursor = entry.end
            previous = entry
        }
        guard cursor == dataLength else {
            throw fail("data section has \(dataLength) bytes but the tensors cover \(cursor); \(dataLength - cursor) trailing bytes belong to no tensor")
        }
    }

    /// The integers of a JSON array when all are integers >= 0, else nil.
    func nonNegativeIntegers(_ value: HeaderJSON) -> [Int]? {
        guard case let .array(items) = value else { return nil }
        var result: [Int] = []
        result.reserveCapacity(items.count)
        for item in items {
            guard case let .integer(n) = item, n >= 0 else { return nil }
            result.append(n)
        }
        return result
    }
}

/// Converts little-endian elements of `dtype` to Float32, without per-element allocation.
private func convert(_ raw: UnsafeRawBufferPointer, from dtype: SafetensorsDType) -> [Float] {
    let count = raw.count / dtype.byteSize
    return [Float](unsafeUninitializedCapacity: count) { out, initialized in
        switch dtype {
        case .f32:
            #if _endian(little)
            if count > 0 { UnsafeMutableRawPointer(out.baseAddress!).copyMemory(from: raw.baseAddress!, byteCount: raw.count) }
            #else
            for i in 0..<count { out[i] = Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self))) }
            #endif
        case .bf16:
            // bfloat16 is the top half of a float32.
            for i in 0..<count {
                let bits = UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self))
                out[i] = Float(bitPattern: UInt32(bits) << 16)
            }
        case .f16:
            for i in 0..<count {
                out[i] = halfToFloat(UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self)))
            }
        case .f64:
            for i in 0..<count {
                out[i] = Float(Double(bitPattern: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 8 * i, as: UInt64.self))))
            }
        }
        initialized = count
    }
}

/// IEEE 754 binary16 to binary32, exactly (every half value is a float value). Written out rather than
/// using `Float16`, which is not available on every platform Swift runs on.
func halfToFloat(_ h: UInt16) -> Float {
    let sign = UInt32(h & 0x8000) << 16
    let exponent = UInt32(h >> 10) & 0x1F
    let mantissa = UInt32(h & 0x3FF)
    switch exponent {
    case 0:
        // Zero or subnormal: mantissa * 2^-24.
        let magnitude = Float(mantissa) * 0x1p-24
        return sign == 0 ? magnitude : -magnitude
    case 0x1F:
        // Infinity or NaN (payload kept).
        return Float(bitPattern: sign | 0x7F80_0000 | (mantissa << 13))
    default:
        return Float(bitPattern: sign | ((exponent + 112) << 23) | (mantissa << 13))
    }
}

private func posixRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
    read(fd, buffer, count)
}

/// The whole content of the file at `path`.
/// - Throws: `ArnnError` naming `path` when it does not exist, is a directory, or cannot be read.
func readWholeFile(_ path: String) throws -> Data {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { throw ArnnError.file(path, "cannot open (\(systemReason()))") }
    defer { close(fd) }
    var info = stat()
    guard fstat(fd, &info) == 0 else { throw ArnnError.file(path, "cannot read (\(systemReason()))") }
    guard (info.st_mode & S_IFMT) != S_IFDIR else { throw ArnnError.file(path, "is a directory, expected a file") }
    var data = Data(count: max(Int(info.st_size), 0))
    var filled = 0
    let failure: Int32? = data.withUnsafeMutableBytes { buffer in
        while filled < buffer.count {
            let n = posixRead(fd, buffer.baseAddress! + filled, buffer.count - filled)
            if n < 0 { if errno == EINTR { continue }; return errno }
            if n == 0 { break }
            filled += n
        }
        return nil
    }
    if let failure {
        errno = failure
        throw ArnnError.file(path, "cannot read (\(systemReason()))")
    }
    // The file may have shrunk since fstat; keep what was actually read.
    if filled < data.count { data.removeSubrange(filled...) }
    return data
}
