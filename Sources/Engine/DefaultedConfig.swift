import Foundation

/// A configuration (a model's or a task's) whose JSON form may leave out any field that has a default, so
/// a hand-written checkpoint config or demo manifest stays short. Such a type writes no decoder of its
/// own: it is `Codable` by synthesis, and readers go through `decode(json:)`, which lays the given fields
/// over the defaults' before decoding. (A plain `JSONDecoder` needs every field.)
public protocol DefaultedConfig: Codable {
    /// The value every field the JSON leaves out takes (placeholders where `requiredFields` must be given).
    static var defaults: Self { get }
    /// Fields without a default: the JSON must give them (a model's input and output widths).
    static var requiredFields: [String] { get }
    /// Fields whose default is another field's given value, field → source (parity's `maxEntries` is its
    /// `size` unless given).
    static var derivedDefaults: [String: String] { get }
}

extension DefaultedConfig {
    public static var requiredFields: [String] { [] }
    public static var derivedDefaults: [String: String] { [:] }

    /// The configuration in `data`, every field it leaves out taken from `defaults` (or from its source
    /// field, for derived ones); fields of other types' (a task's `name`) are ignored.
    /// - Throws: `DecodingError` for text that is not a JSON object, a required field left out
    ///   (`keyNotFound`) or a value of the wrong type, as `JSONDecoder` words them.
    public static func decode(json data: Data) throws -> Self {
        guard let given = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            return try JSONDecoder().decode(Self.self, from: data)     // not an object: JSONDecoder's own error
        }
        for field in requiredFields where given[field] == nil {
            throw DecodingError.keyNotFound(DefaultedConfigKey(field), .init(codingPath: [], debugDescription: "no \(field)"))
        }
        guard var merged = try JSONSerialization.jsonObject(with: JSONEncoder().encode(defaults)) as? [String: Any] else {
            return try JSONDecoder().decode(Self.self, from: data)
        }
        for (field, value) in given { merged[field] = value }
        for (field, source) in derivedDefaults where given[field] == nil {
            if let value = given[source] { merged[field] = value }
        }
        return try JSONDecoder().decode(Self.self, from: JSONSerialization.data(withJSONObject: merged))
    }

    public static func decode(json text: String) throws -> Self { try decode(json: Data(text.utf8)) }
}

struct DefaultedConfigKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(_ s: String) { stringValue = s }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}
