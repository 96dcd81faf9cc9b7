import Foundation

extension Checkpoint {
    /// The checkpoint as the bytes of a safetensors file, laid out as the reference implementation
    /// (Python/Rust `safetensors`) writes F32 tensors, so that the same tensors and a single metadata entry
    /// give the same bytes:
    /// - 8-byte little-endian header length, then the header: compact JSON with `__metadata__` first (keys
    ///   sorted by UTF-8 bytes; omitted when empty), then each tensor as
    ///   `"name":{"dtype":"F32","shape":[...],"data_offsets":[begin,end]}` in byte order of names;
    /// - the header padded with spaces to a multiple of 8 bytes, so the data starts 8-byte aligned;
    /// - the tensors' data, little-endian Float32, back to back in the same order.
    ///
    /// Precondition: no tensor is named `__metadata__` (the format reserves it).
    public func encoded() -> Data {
        precondition(tensors["__metadata__"] == nil, "the tensor name \"__metadata__\" is reserved by safetensors")
        let order = names
        var header = "{"
        if !metadata.isEmpty {
            header += "\"__metadata__\":{"
            for (i, key) in metadata.keys.sorted(by: Checkpoint.byteOrder).enumerated() {
                if i > 0 { header += "," }
                HeaderJSON.appendQuoted(key, to: &header)
                header += ":"
                HeaderJSON.appendQuoted(metadata[key]!, to: &header)
            }
            header += "}"
            if !order.isEmpty { header += "," }
        }
        var offset = 0
        for (i, name) in order.enumerated() {
            let tensor = tensors[name]!
            if i > 0 { header += "," }
            HeaderJSON.appendQuoted(name, to: &header)
            let end = offset + 4 * tensor.count
            header += ":{\"dtype\":\"F32\",\"shape\":[\(tensor.shape.map(String.init).joined(separator: ","))],"
                + "\"data_offsets\":[\(offset),\(end)]}"
            offset = end
        }
        header += "}"

        var headerBytes = Array(header.utf8)
        headerBytes.append(contentsOf: repeatElement(UInt8(ascii: " "), count: (8 - headerBytes.count % 8) % 8))

        var file = Data(count: 8 + headerBytes.count + offset)
        file.withUnsafeMutableBytes { out in
            out.storeBytes(of: UInt64(headerBytes.count).littleEndian, toByteOffset: 0, as: UInt64.self)
            headerBytes.withUnsafeBytes { out.baseAddress!.advanced(by: 8).copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
            var position = 8 + headerBytes.count
            for name in order {
                let values = tensors[name]!.data
                #if _endian(little)
                values.withUnsafeBytes { source in
                    if source.count > 0 { out.baseAddress!.advanced(by: position).copyMemory(from: source.baseAddress!, byteCount: source.count) }
                }
                #else
                for (i, v) in values.enumerated() {
                    out.storeBytes(of: v.bitPattern.littleEndian, toByteOffset: position + 4 * i, as: UInt32.self)
                }
                #endif
                position += 4 * values.count
            }
        }
        return file
    }

    /// Writes the checkpoint to `path` as a safetensors file (see `encoded()`), atomically: a reader sees
    /// the old file or the complete new one, and on failure the old file is untouched.
    /// - Throws: `ArnnError` from `AtomicFile.write(_:to:)`.
    public func write(to path: String) throws {
        try AtomicFile.write(encoded(), to: path)
    }
}
