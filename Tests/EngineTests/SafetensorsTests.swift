import Foundation
import Testing
import Engine

// MARK: Helpers

private let fixtures = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures")

/// A safetensors file from a header given as text and raw data bytes (no padding unless written in).
private func safetensors(_ header: String, data: [UInt8] = []) -> Data {
    let headerBytes = Array(header.utf8)
    return safetensors(headerLength: UInt64(headerBytes.count), rest: headerBytes + data)
}

/// A file whose 8-byte length says `headerLength`, followed by `rest`.
private func safetensors(headerLength: UInt64, rest: [UInt8]) -> Data {
    var bytes: [UInt8] = (0..<8).map { UInt8(truncatingIfNeeded: headerLength >> (8 * UInt64($0))) }
    bytes += rest
    return Data(bytes)
}

/// The message of the `ArnnError` that decoding `bytes` throws (as file "t.safetensors"), or nil.
private func decodeError(_ bytes: Data) -> String? {
    do {
        _ = try Checkpoint.decode(bytes, source: "t.safetensors")
        return nil
    } catch let error as ArnnError {
        return error.message
    } catch {
        return "unexpected error type: \(error)"
    }
}

/// The message of the `ArnnError` a header with one F32 tensor entry `entry` (and `data`) gives.
private func entryError(_ entry: String, data: [UInt8] = []) -> String? {
    decodeError(safetensors("{\"w\":\(entry)}", data: data))
}

private func floatBytes(_ values: [Float]) -> [UInt8] {
    values.flatMap { v in (0..<4).map { UInt8(truncatingIfNeeded: v.bitPattern >> (8 * UInt32($0))) } }
}

/// A fresh empty directory for one test.
private func temporaryDirectory() throws -> String {
    let path = FileManager.default.temporaryDirectory
        .appendingPathComponent("arnn-safetensors-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

private func directoryListing(_ path: String) throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: path).sorted()
}

private func sampleCheckpoint() -> Checkpoint {
    Checkpoint(
        tensors: [
            "controller.weight_ih": Tensor(shape: [4, 3], data: (0..<12).map { Float($0) * 0.5 - 2 }),
            "controller.bias_ih": Tensor(shape: [4], data: [0.1, -0.2, .infinity, -.greatestFiniteMagnitude]),
            "memory": Tensor(shape: [2, 3, 2], data: (0..<12).map { Float($0).squareRoot() }),
            "scalar": Tensor(scalar: -7.25),
            "empty": Tensor(shape: [0, 5], data: []),
            "nämé ∑": Tensor(shape: [1], data: [.leastNonzeroMagnitude]),
        ],
        metadata: [
            CheckpointMetadataKey.kind: "ntm",
            CheckpointMetadataKey.config: #"{"memory":[128,20],"heads":1}"#,
            CheckpointMetadataKey.command: "arnn train ntm --task copy --seed 7 --out \"my dir/w.safetensors\"",
            "odd": "tab\tnewline\nbell\u{07}back\\slash é ∑",
            "": "",
        ]
    )
}

/// The safetensors checkpoint format (docs/checkpoints.md) and atomic file writes.
@Suite struct SafetensorsTests {
    // MARK: Round trip and interoperability

    @Test func roundTripKeepsEveryTensorAndMetadataEntryExactly() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/weights.safetensors"
        let original = sampleCheckpoint()
        try original.write(to: path)
        let loaded = try Checkpoint.read(from: path)
        #expect(loaded == original)
        #expect(loaded.source == path)
        #expect(loaded.names == original.names)
        // Bit-exact, including infinities and subnormals.
        for name in original.names {
            #expect(loaded[name]!.data.map(\.bitPattern) == original[name]!.data.map(\.bitPattern))
        }
        #expect(try directoryListing(dir) == ["weights.safetensors"])
    }

    @Test func checkpointWithoutTensorsOrMetadataRoundTrips() throws {
        let empty = Checkpoint()
        let bytes = empty.encoded()
        #expect(Array(bytes) == [8, 0, 0, 0, 0, 0, 0, 0] + Array("{}      ".utf8))
        #expect(try Checkpoint.decode(bytes, source: "x") == empty)
    }

    @Test func readsTheFileWrittenByPythonSafetensorsExactly() throws {
        let checkpoint = try Checkpoint.read(from: fixtures.appendingPathComponent("python_written.safetensors").path)
        #expect(checkpoint.names == ["controller.bias", "controller.weight", "empty", "memory.initial", "scale"])
        #expect(checkpoint["controller.weight"] == Tensor(shape: [3, 4], data: (0..<12).map { Float($0) * 0.25 - 1 }))
        // numpy rounds Python's doubles to float32, as Float(Double) does.
        #expect(checkpoint["controller.bias"] == Tensor(shape: [3], data: [Float(0.1 as Double), Float(-0.2 as Double), Float(3.0e-7 as Double)]))
        #expect(checkpoint["memory.initial"] == Tensor(shape: [2, 2, 2], data: (0..<8).map { Float($0) - 3.5 }))
        #expect(checkpoint["scale"] == Tensor(scalar: Float(1.0 / 3.0)))
        #expect(checkpoint["empty"] == Tensor(shape: [0, 3], data: []))
        #expect(checkpoint.metadata == [
            "arnn.kind": "fixture",
            "note": "written by Python safetensors",
            "escapes": "caf\u{e9} \u{2211} \"quoted\" back\\slash\nnew line\ttab",
        ])
    }

    @Test func convertsF16AndF64FromPythonToFloat32() throws {
        let checkpoint = try Checkpoint.read(from: fixtures.appendingPathComponent("python_dtypes.safetensors").path)
        #expect(checkpoint["half"] == Tensor(shape: [6], data: [0, -1.5, 65504, 0x1p-24, .infinity, 0.333251953125]))
        #expect(checkpoint["double"] == Tensor(shape: [2, 2], data: [Float(0.1 as Double), -2.5, Float(1.0e-3 as Double), .infinity]))
    }

    @Test func convertsBF16AndSpecialF16Values() throws {
        // bf16: 1.0 = 0x3F80, -2.5 = 0xC020; f16: -0 = 0x8000, NaN = 0x7E00, -inf = 0xFC00, largest subnormal 0x03FF.
        let header = #"{"b":{"dtype":"BF16","shape":[2],"data_offsets":[0,4]},"h":{"dtype":"F16","shape":[4],"data_offsets":[4,12]}}"#
        let data: [UInt8] = [0x80, 0x3F, 0x20, 0xC0, 0x00, 0x80, 0x00, 0x7E, 0x00, 0xFC, 0xFF, 0x03]
        let checkpoint = try Checkpoint.decode(safetensors(header, data: data), source: "t")
        #expect(checkpoint["b"] == Tensor(shape: [2], data: [1, -2.5]))
        let h = checkpoint["h"]!.data
        #expect(h[0] == 0 && h[0].sign == .minus)
        #expect(h[1].isNaN)
        #expect(h[2] == -.infinity)
        #expect(h[3] == Float(1023) * 0x1p-24)
    }

    @Test func writesTheSameBytesAsPythonSafetensors() throws {
        // python_layout.safetensors: save_file({"b": arange(6).reshape(2, 3), "a": [1.5]}, metadata={"arnn.kind": "ntm"}).
        let python = try Data(contentsOf: fixtures.appendingPathComponent("python_layout.safetensors"))
        let ours = Checkpoint(
            tensors: ["b": Tensor(shape: [2, 3], data: [0, 1, 2, 3, 4, 5]), "a": Tensor(shape: [1], data: [1.5])],
            metadata: ["arnn.kind": "ntm"]
        ).encoded()
        #expect(ours == python)

        // The layout spelled out: length, compact header sorted by name, space padding to 8, data back to back.
        let header = #"{"__metadata__":{"arnn.kind":"ntm"},"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[2,3],"data_offsets":[4,28]}}"#
        #expect(header.utf8.count == 145)
        let expected = [152, 0, 0, 0, 0, 0, 0, 0] + Array(header.utf8) + Array(repeating: UInt8(ascii: " "), count: 7)
            + floatBytes([1.5]) + floatBytes([0, 1, 2, 3, 4, 5])
        #expect(Array(ours) == expected)
    }

    @Test func headerIsPaddedWithSpacesToAMultipleOfEightForEveryNameLength() throws {
        for length in 1...16 {
            let name = String(repeating: "x", count: length)
            let bytes = Array(Checkpoint(tensors: [name: Tensor(shape: [2], data: [1, 2])]).encoded())
            let headerLength = bytes[0..<8].reversed().reduce(0) { $0 << 8 | Int($1) }
            #expect(headerLength % 8 == 0)
            let header = String(decoding: bytes[8..<(8 + headerLength)], as: UTF8.self)
            #expect(header.hasPrefix("{\"\(name)\":"))
            #expect(header.drop { $0 != "}" }.allSatisfy { $0 == "}" || $0 == " " })
            #expect(bytes.count == 8 + headerLength + 8)
        }
    }

    @Test func tensorsAndMetadataAreWrittenInUTF8ByteOrderOfNames() throws {
        let checkpoint = Checkpoint(
            tensors: ["b": .zeros([1]), "B": .zeros([1]), "a.10": .zeros([1]), "a.9": .zeros([1]), "é": .zeros([1]), "z": .zeros([1])],
            metadata: ["y": "1", "X": "2"]
        )
        #expect(checkpoint.names == ["B", "a.10", "a.9", "b", "z", "é"])
        let header = String(decoding: checkpoint.encoded().dropFirst(8), as: UTF8.self)
        #expect(header.hasPrefix(#"{"__metadata__":{"X":"2","y":"1"},"B":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"a.10":"#))
        #expect(header.contains(#""é":{"dtype":"F32","shape":[1],"data_offsets":[20,24]}}"#))
    }

    @Test func metadataStringsAreEscapedAsSerdeJSONDoes() throws {
        let checkpoint = Checkpoint(metadata: ["k": "q\"b\\n\nt\tr\rb\u{08}f\u{0C}c\u{01}\u{1F}/é"])
        let header = String(decoding: checkpoint.encoded().dropFirst(8), as: UTF8.self)
        #expect(header.hasPrefix(#"{"__metadata__":{"k":"q\"b\\n\nt\tr\rb\bf\fc\u0001\u001f/é"}}"#))
    }

    // MARK: Fetching tensors for a model

    @Test func tensorWithExpectedShapeIsReturned() throws {
        let checkpoint = sampleCheckpoint()
        #expect(try checkpoint.tensor("memory", shape: [2, 3, 2]) == checkpoint["memory"])
    }

    @Test func missingTensorNamesTheTensorAndWhatIsThere() throws {
        var checkpoint = Checkpoint(tensors: ["a": .zeros([2]), "b": .zeros([3])])
        checkpoint.source = "weights.safetensors"
        let error = #expect(throws: ArnnError.self) { try checkpoint.tensor("ntm.memory_bias", shape: [128, 20]) }
        #expect(error?.message == #"weights.safetensors: missing tensor "ntm.memory_bias" (expected shape [128, 20]); it has 2 tensors: "a", "b""#)
    }

    @Test func tensorOfTheWrongShapeNamesBothShapes() throws {
        let checkpoint = Checkpoint(tensors: ["fc.weight": .zeros([4, 6])])
        let error = #expect(throws: ArnnError.self) { try checkpoint.tensor("fc.weight", shape: [4, 5]) }
        #expect(error?.message == #"checkpoint: tensor "fc.weight" has shape [4, 6], expected [4, 5]"#)
    }

    @Test func missingMetadataAndUnexpectedTensorsAreReported() throws {
        var checkpoint = sampleCheckpoint()
        checkpoint.source = "w.safetensors"
        #expect(try checkpoint.metadataValue("arnn.kind") == "ntm")
        let missing = #expect(throws: ArnnError.self) { try checkpoint.metadataValue("arnn.seed") }
        #expect(missing?.message == #"w.safetensors: missing metadata "arnn.seed""#)
        let extra = #expect(throws: ArnnError.self) {
            try checkpoint.checkNoTensors(besides: ["controller.weight_ih", "controller.bias_ih", "memory", "scalar"])
        }
        #expect(extra?.message == #"w.safetensors: unexpected tensors "empty", "nämé ∑""#)
        try checkpoint.checkNoTensors(besides: checkpoint.names)
    }

    // MARK: Damaged and foreign files: one test per case

    @Test func missingFileIsReportedWithItsPath() throws {
        let error = #expect(throws: ArnnError.self) { try Checkpoint.read(from: "/nonexistent/weights.safetensors") }
        #expect(error?.message == "/nonexistent/weights.safetensors: cannot open (No such file or directory)")
    }

    @Test func directoryIsNotACheckpoint() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let error = #expect(throws: ArnnError.self) { try Checkpoint.read(from: dir) }
        #expect(error?.message == "\(dir): is a directory, expected a file")
    }

    @Test func fileShorterThanTheLengthFieldIsRejected() throws {
        #expect(decodeError(Data([1, 2, 3])) == "t.safetensors: file is 3 bytes long, too short for a safetensors file (it starts with an 8-byte header length)")
        #expect(decodeError(Data()) == "t.safetensors: file is 0 bytes long, too short for a safetensors file (it starts with an 8-byte header length)")
    }

    @Test func headerLengthPastTheEndOfTheFileIsRejected() throws {
        // A real file cut short inside its header.
        let whole = Checkpoint(tensors: ["w": .zeros([4])]).encoded()
        #expect(decodeError(whole.prefix(40)) == "t.safetensors: header length 56 runs past the end of the file (32 bytes follow the length); truncated file?")
    }

    @Test func absurdHeaderLengthIsRejectedWithoutAllocating() throws {
        #expect(decodeError(safetensors(headerLength: .max, rest: Array("{}".utf8))) == "t.safetensors: header length 18446744073709551615 is absurd (the limit is 100000000 bytes and the file has 2 bytes after the length); not a safetensors file?")
    }

    @Test func headerThatIsNotUTF8IsRejected() throws {
        #expect(decodeError(safetensors(headerLength: 4, rest: [0x7B, 0xFF, 0xFE, 0x7D])) == "t.safetensors: header is not valid UTF-8 text; not a safetensors file?")
    }

    @Test func headerThatIsNotJSONIsRejected() throws {
        #expect(decodeError(safetensors(#"{"w":{"dtype":"F32",}}"#)) == "t.safetensors: header is not valid JSON: unexpected '}', expected a string key at byte 28 of the file")
        #expect(decodeError(safetensors(#"{"w":"#)) == "t.safetensors: header is not valid JSON: unexpected end of header, expected a value at byte 13 of the file")
        #expect(decodeError(safetensors(#"{} x"#)) == "t.safetensors: header is not valid JSON: unexpected 'x' after the end of the JSON value at byte 11 of the file")
        #expect(decodeError(safetensors(#"{"a\qb":1}"#)) == #"t.safetensors: header is not valid JSON: invalid escape \'q' in a string at byte 12 of the file"#)
    }

    @Test func headerThatIsNotAnObjectIsRejected() throws {
        #expect(decodeError(safetensors("[1, 2]")) == "t.safetensors: header must be a JSON object of tensor entries, found array")
    }

    @Test func deeplyNestedHeaderIsRejectedWithoutExhaustingTheStack() throws {
        let deep = "{\"__metadata__\":" + String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000) + "}"
        #expect(decodeError(safetensors(deep)) == "t.safetensors: header is not valid JSON: values nested more than 64 deep at byte 87 of the file")
    }

    @Test func entryThatIsNotAnObjectIsRejected() throws {
        #expect(entryError("[0, 4]") == #"t.safetensors: tensor "w": entry must be an object with dtype, shape and data_offsets, found array"#)
    }

    @Test func entryWithoutDtypeIsRejected() throws {
        #expect(entryError(#"{"shape":[1],"data_offsets":[0,4]}"#, data: floatBytes([1])) == #"t.safetensors: tensor "w": missing "dtype""#)
    }

    @Test func entryWithoutShapeIsRejected() throws {
        #expect(entryError(#"{"dtype":"F32","data_offsets":[0,4]}"#, data: floatBytes([1])) == #"t.safetensors: tensor "w": missing "shape""#)
    }

    @Test func entryWithoutDataOffsetsIsRejected() throws {
        #expect(entryError(#"{"dtype":"F32","shape":[1]}"#, data: floatBytes([1])) == #"t.safetensors: tensor "w": missing "data_offsets""#)
    }

    @Test func dtypeThatIsNotAStringIsRejected() throws {
        #expect(entryError(#"{"dtype":32,"shape":[1],"data_offsets":[0,4]}"#, data: floatBytes([1])) == #"t.safetensors: tensor "w": "dtype" must be a string such as "F32", found number 32"#)
    }

    @Test func unsupportedDtypeIsRejected() throws {
        #expect(entryError(#"{"dtype":"I64","shape":[1],"data_offsets":[0,8]}"#, data: Array(repeating: 0, count: 8)) == #"t.safetensors: tensor "w": unsupported dtype "I64" (arnn reads F32, F16, BF16 and F64)"#)
    }

    @Test func negativeDimensionIsRejected() throws {
        #expect(entryError(#"{"dtype":"F32","shape":[2,-1],"data_offsets":[0,0]}"#) == #"t.safetensors: tensor "w": "shape" must be a list of non-negative integers, found [2, -1]"#)
    }

    @Test func nonIntegerDimensionIsRejected() throws {
        #expect(entryError(#"{"dtype":"F32","shape":[2.0,1],"data_offsets":[0,8]}"#, data: floatBytes([1, 2])) == #"t.safetensors: tensor "w": "shape" must be a list of non-negative integers, found [2.0, 1]"#)
    }

    @Test func shapeThatIsNotAListIsRejected() throws {
        #expect(entryError(#"{"dtype":"F32","shape":"2x3","data_offsets":[0,24]}"#) == #"t.safetensors: tensor "w": "shape" must be a list of non-negative integers, found "2x3""#)
    }

    @Test func dataOffsetsThatAreNotABeginEndPairAreRejected() throws {
        #expect(entryError(#"{"dtype":"F32","shape":[1],"data_offsets":[4,0]}"#) == #"t.safetensors: tensor "w": "data_offsets" must be [begin, end] with integers 0 <= begin <= end, found [4, 0]"#)
        #expect(entryError(#"{"dtype":"F32","shape":[1],"data_offsets":[0,4,8]}"#) == #"t.safetensors: tensor "w": "data_offsets" must be [begin, end] with integers 0 <= begin <= end, found [0, 4, 8]"#)
    }

    @Test func shapeThatDoesNotMatchTheByteCountIsRejected() throws {
        let header = #"{"ntm.memory_bias":{"dtype":"F32","shape":[128,20],"data_offsets":[0,4096]}}"#
        let error = #expect(throws: ArnnError.self) {
            try Checkpoint.decode(safetensors(header, data: Array(repeating: 0, count: 4096)), source: "weights.safetensors")
        }
        #expect(error?.message == #"weights.safetensors: tensor "ntm.memory_bias": shape [128, 20] needs 10240 bytes, data_offsets give 4096"#)
        #expect(entryError(#"{"dtype":"F16","shape":[3],"data_offsets":[0,4]}"#, data: [0, 0, 0, 0]) == #"t.safetensors: tensor "w": shape [3] needs 6 bytes as F16, data_offsets give 4"#)
    }

    @Test func shapeWhoseByteCountOverflowsIsRejected() throws {
        #expect(entryError(#"{"dtype":"F32","shape":[4294967296,4294967296],"data_offsets":[0,0]}"#) == #"t.safetensors: tensor "w": shape [4294967296, 4294967296] is too large"#)
    }

    @Test func overlappingDataOffsetsAreRejected() throws {
        let header = #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}"#
        #expect(decodeError(safetensors(header, data: floatBytes([1, 2, 3]))) == #"t.safetensors: tensor "b": data_offsets [4, 12] overlap tensor "a" at [0, 8]"#)
    }

    @Test func gapBetweenTensorsIsRejected() throws {
        let header = #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}}"#
        #expect(decodeError(safetensors(header, data: floatBytes([1, 2, 3]))) == #"t.safetensors: data bytes [4, 8) belong to no tensor (gap before tensor "b")"#)
    }

    @Test func dataOffsetsPastTheEndOfTheDataAreRejected() throws {
        let header = #"{"a":{"dtype":"F32","shape":[3],"data_offsets":[0,12]}}"#
        #expect(decodeError(safetensors(header, data: floatBytes([1, 2]))) == #"t.safetensors: tensor "a": data_offsets [0, 12] run past the end of the data (8 bytes after the header); truncated file?"#)
    }

    @Test func trailingBytesAfterTheLastTensorAreRejected() throws {
        let header = #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}"#
        #expect(decodeError(safetensors(header, data: floatBytes([1, 2]))) == "t.safetensors: data section has 8 bytes but the tensors cover 4; 4 trailing bytes belong to no tensor")
    }

    @Test func duplicateTensorNamesAreRejected() throws {
        let header = #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}"#
        #expect(decodeError(safetensors(header, data: floatBytes([1, 2]))) == #"t.safetensors: duplicate tensor name "a""#)
    }

    @Test func duplicateFieldInAnEntryIsRejected() throws {
        #expect(entryError(#"{"dtype":"F32","shape":[1],"shape":[2],"data_offsets":[0,4]}"#, data: floatBytes([1])) == #"t.safetensors: tensor "w": duplicate field "shape""#)
    }

    @Test func metadataThatIsNotAnObjectIsRejected() throws {
        #expect(decodeError(safetensors(#"{"__metadata__":["a"]}"#)) == #"t.safetensors: "__metadata__" must be an object of string values, found array"#)
    }

    @Test func metadataValueThatIsNotAStringIsRejected() throws {
        #expect(decodeError(safetensors(#"{"__metadata__":{"arnn.steps":1000}}"#)) == #"t.safetensors: "__metadata__": value of "arnn.steps" must be a string, found number 1000"#)
    }

    @Test func duplicateMetadataIsRejected() throws {
        #expect(decodeError(safetensors(#"{"__metadata__":{"k":"1","k":"2"}}"#)) == #"t.safetensors: "__metadata__": duplicate key "k""#)
        #expect(decodeError(safetensors(#"{"__metadata__":{},"__metadata__":{}}"#)) == #"t.safetensors: header has "__metadata__" twice"#)
    }

    @Test func headerWithUnknownFieldsAndEscapesIsAccepted() throws {
        // As the reference reader does: unknown fields are ignored; JSON escapes (\u with surrogates) decode.
        let header = #"{"\u00e9\ud83d\ude00":{"dtype":"F32","shape":[1],"data_offsets":[0,4],"extra":{"x":[null,true]}}}"#
        let checkpoint = try Checkpoint.decode(safetensors(header, data: floatBytes([2])), source: "t")
        #expect(checkpoint.names == ["é😀"])
    }

    // MARK: Atomic writes

    @Test func atomicWriteReplacesTheFileAndLeavesNoTemporaryFile() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/trace.json"
        try AtomicFile.write(Data("old".utf8), to: path)
        try AtomicFile.write(Data("new".utf8), to: path)
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == Data("new".utf8))
        #expect(try directoryListing(dir) == ["trace.json"])
    }

    @Test func atomicWriteThatFailsMidwayLeavesTheOldFileIntact() throws {
        struct SimulatedFailure: Error {}
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/weights.safetensors"
        let old = sampleCheckpoint()
        try old.write(to: path)
        #expect(throws: SimulatedFailure.self) {
            try AtomicFile.write(to: path) { output in
                try output.write(Data(repeating: 0xAB, count: 1 << 16))
                #expect(output.count == 1 << 16)
                throw SimulatedFailure()
            }
        }
        #expect(try Checkpoint.read(from: path) == old)
        #expect(try directoryListing(dir) == ["weights.safetensors"])
    }

    @Test func atomicWriteIntoAMissingDirectoryFailsNamingThePath() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let error = #expect(throws: ArnnError.self) { try sampleCheckpoint().write(to: dir + "/missing/w.safetensors") }
        #expect(error?.message == "\(dir)/missing/w.safetensors: cannot create a temporary file in \(dir)/missing (No such file or directory)")
    }

    @Test func atomicWriteOverADirectoryFailsAndLeavesItAsItWas() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let target = dir + "/w.safetensors"
        try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: false)
        try AtomicFile.write(Data("inside".utf8), to: target + "/kept")
        let error = #expect(throws: ArnnError.self) { try sampleCheckpoint().write(to: target) }
        #expect(error?.message == "\(target): is a directory, not a file")
        #expect(try directoryListing(dir) == ["w.safetensors"])
        #expect(try directoryListing(target) == ["kept"])
    }

    @Test func atomicWriteKeepsThePermissionsOfTheFileItReplaces() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/w.safetensors"
        try AtomicFile.write(Data("old".utf8), to: path)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
        try AtomicFile.write(Data("new".utf8), to: path)
        let permissions = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(permissions == 0o600)
    }
}
