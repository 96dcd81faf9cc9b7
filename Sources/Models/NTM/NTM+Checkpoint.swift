import Engine
import Foundation

extension NTM {
    /// Loads an NTM from a checkpoint: kind `ntm`, the config in `arnn.config`, and exactly the
    /// parameters named in docs/checkpoints.md with the shapes the config implies.
    /// - Throws: `ArnnError` naming the file and the missing, extra or mis-shaped tensor or field.
    public convenience init(checkpoint: Checkpoint) throws {
        let source = checkpoint.source ?? "checkpoint"
        let kind = try checkpoint.metadataValue(CheckpointMetadataKey.kind)
        guard kind == NTM.kind else {
            throw ArnnError.file(source, "holds a \"\(kind)\" model, expected \"\(NTM.kind)\"")
        }
        let json = try checkpoint.metadataValue(CheckpointMetadataKey.config)
        let config: NTMConfig
        do {
            config = try JSONDecoder().decode(NTMConfig.self, from: Data(json.utf8))
        } catch {
            throw ArnnError.file(source, "arnn.config is not a valid NTM config (\(NTM.describeDecoding(error)))")
        }
        do { try config.validate() } catch let e as ArnnError { throw ArnnError.file(source, e.message) }
        var rng = SeededRNG(seed: 0)
        self.init(config: config, rng: &rng)
        for p in parameters { p.tensor = try checkpoint.tensor(p.name, shape: p.shape.dims) }
        // Training checkpoints also carry the optimiser's state under "optimizer."; the model ignores it.
        try checkpoint.checkNoTensors(besides: parameters.map(\.name)
            + checkpoint.names.filter { $0.hasPrefix(Checkpoint.optimizerPrefix) })
    }

    /// The parameters and metadata (kind and config filled in; add training details with `extra`).
    public func checkpoint(metadata extra: [String: String] = [:]) -> Checkpoint {
        var metadata = extra
        metadata[CheckpointMetadataKey.kind] = NTM.kind
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        metadata[CheckpointMetadataKey.config] = String(decoding: try! encoder.encode(config), as: UTF8.self)
        var tensors: [String: Tensor] = [:]
        for p in parameters { tensors[p.name] = p.tensor }
        return Checkpoint(tensors: tensors, metadata: metadata)
    }

    public static func describeDecoding(_ error: Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, _): return "missing field \"\(key.stringValue)\""
        case DecodingError.typeMismatch(_, let c), DecodingError.valueNotFound(_, let c):
            return "wrong type at \"\(c.codingPath.map(\.stringValue).joined(separator: "."))\""
        case DecodingError.dataCorrupted(let c): return c.debugDescription
        default: return "\(error)"
        }
    }
}
