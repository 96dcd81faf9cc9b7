/// An error the user can cause: a bad file, flag or input. The executable prints `description` on one line
/// to stderr and exits with code 2. Messages name the file, the field and what was expected.
public struct ArnnError: Error, CustomStringConvertible, Equatable, Sendable {
    public var message: String

    public init(_ message: String) { self.message = message }

    public var description: String { message }

    /// An error about a file: `"<path>: <problem>"`.
    public static func file(_ path: String, _ problem: String) -> ArnnError {
        ArnnError("\(path): \(problem)")
    }
}
