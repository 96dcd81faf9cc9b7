import Engine
import Foundation

/// A model's sizes and settings: Codable (stored as JSON in a checkpoint's `arnn.config`) and checked.
public protocol ModelConfig: DefaultedConfig, Equatable, Sendable {
    /// Throws an `ArnnError` naming the first field out of range.
    func validate() throws
}

/// What every model offers the core: a kind, a config, named parameters, and checkpoint in and out.
///
/// A model is a reference type (its parameters are updated in place by the optimiser) and `Sendable`
/// because threads read its parameters while training and evaluating; only the optimiser writes them,
/// between batches.
public protocol Model: AnyObject, Sendable {
    associatedtype Config: ModelConfig
    /// The kind written to checkpoints (`ntm`, `lstm`, ...) and named in the registry.
    static var kind: String { get }
    var config: Config { get }
    /// Every parameter, in a fixed order, named as in the checkpoint (docs/checkpoints.md).
    var parameters: [Parameter] { get }
    /// A freshly initialised model (the model's doc says how).
    init(config: Config, rng: inout SeededRNG)
    /// Throws an `ArnnError` naming the first field this kind cannot take: the config's own checks, and
    /// any that depend on the kind (one config shared by several kinds).
    static func validate(_ config: Config) throws
}

extension Model {
    public var kind: String { Self.kind }

    public static func validate(_ config: Config) throws { try config.validate() }

    /// Loads a model from a checkpoint: its kind, the config in `arnn.config`, and exactly the parameters
    /// the config implies (a training checkpoint's `optimizer.` tensors are ignored).
    /// - Throws: `ArnnError` naming the file and the missing, extra or mis-shaped tensor or field.
    public init(checkpoint: Checkpoint) throws {
        let source = checkpoint.source ?? "checkpoint"
        let kind = try checkpoint.metadataValue(CheckpointMetadataKey.kind)
        guard kind == Self.kind else {
            throw ArnnError.file(source, "holds a \"\(kind)\" model, expected \"\(Self.kind)\"")
        }
        let json = try checkpoint.metadataValue(CheckpointMetadataKey.config)
        let config: Config
        do {
            config = try Config.decode(json: Data(json.utf8))
        } catch {
            throw ArnnError.file(source, "arnn.config is not a valid \(Self.kind) config (\(describeDecoding(error)))")
        }
        do { try Self.validate(config) } catch let e as ArnnError { throw ArnnError.file(source, e.message) }
        var rng = SeededRNG(seed: 0)
        self.init(config: config, rng: &rng)
        // Tensors of another config (e.g. another controller, more heads) under a config that does not
        // name them: say that the config and the weights disagree, not only which tensor is missing.
        let expected = Set(parameters.map(\.name))
        if let missing = parameters.first(where: { checkpoint[$0.name] == nil }) {
            let unused = checkpoint.names.filter { !expected.contains($0) && !$0.hasPrefix(Checkpoint.optimizerPrefix) }
            if !unused.isEmpty {
                let listed = unused.prefix(3).map { "\"\($0)\"" }.joined(separator: ", ") + (unused.count > 3 ? ", …" : "")
                throw ArnnError.file(source, "arnn.config does not match the weights: it needs tensor \"\(missing.name)\", "
                                     + "which is missing, and does not use \(unused.count) that are there (\(listed))")
            }
        }
        for p in parameters { p.tensor = try checkpoint.tensor(p.name, shape: p.shape.dims) }
        try checkpoint.checkNoTensors(besides: parameters.map(\.name)
            + checkpoint.names.filter { $0.hasPrefix(Checkpoint.optimizerPrefix) })
    }

    /// The parameters and metadata (kind and config filled in; add training details with `extra`).
    public func checkpoint(metadata extra: [String: String] = [:]) -> Checkpoint {
        var metadata = extra
        metadata[CheckpointMetadataKey.kind] = Self.kind
        metadata[CheckpointMetadataKey.config] = configJSON
        var tensors: [String: Tensor] = [:]
        for p in parameters { tensors[p.name] = p.tensor }
        return Checkpoint(tensors: tensors, metadata: metadata)
    }

    /// The config as compact JSON with sorted keys (what `arnn.config` holds).
    public var configJSON: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try! encoder.encode(config), as: UTF8.self)
    }
}

/// A decoding error in one short phrase: the missing field or where the type was wrong.
public func describeDecoding(_ error: Error) -> String {
    switch error {
    case DecodingError.keyNotFound(let key, _): return "missing field \"\(key.stringValue)\""
    case DecodingError.typeMismatch(_, let c), DecodingError.valueNotFound(_, let c):
        return "wrong type at \"\(c.codingPath.map(\.stringValue).joined(separator: "."))\""
    case DecodingError.dataCorrupted(let c): return c.debugDescription
    case let e as ArnnError: return e.message
    default: return "\(error)"
    }
}
