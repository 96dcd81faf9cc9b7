/// Hands a value to concurrent workers (`DispatchQueue.concurrentPerform`) when the caller guarantees what
/// the compiler cannot see: each worker touches only its own part (its own graph, its own output slot),
/// and shared values are only read until every worker is done.
public struct UncheckedSendable<T>: @unchecked Sendable {
    public let value: T
    public init(_ value: T) { self.value = value }
}
