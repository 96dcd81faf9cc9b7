/// The data interval a colour scale spans. Values map to a position in [0, 1] along the scale.
public struct ValueRange: Hashable, Sendable {
    public var min: Float
    public var max: Float

    /// A range from `min` to `max`; when they are equal or reversed the range is widened so that
    /// `position(of:)` never divides by zero.
    public init(min: Float, max: Float) {
        self.min = min
        self.max = max > min ? max : min + 1
    }

    /// The symmetric range −maxAbs…+maxAbs, so 0 sits in the middle of a diverging scale.
    public static func symmetric(_ maxAbs: Float) -> ValueRange {
        let m = abs(maxAbs)
        return ValueRange(min: -(m > 0 ? m : 1), max: m > 0 ? m : 1)
    }

    /// The smallest range holding every finite value (symmetric around 0 if asked); 0…1 when there are none.
    public static func covering<S: Sequence>(_ values: S, symmetric: Bool = false) -> ValueRange where S.Element == Float {
        var lo = Float.infinity, hi = -Float.infinity
        for v in values where v.isFinite {
            lo = Swift.min(lo, v)
            hi = Swift.max(hi, v)
        }
        if lo > hi { return symmetric ? .symmetric(1) : ValueRange(min: 0, max: 1) }
        if symmetric { return .symmetric(Swift.max(abs(lo), abs(hi))) }
        return ValueRange(min: lo, max: hi)
    }

    /// Where `value` lies in the range, clamped to [0, 1]. NaN stays NaN so callers can mark missing data.
    @inlinable
    public func position(of value: Float) -> Float {
        if value.isNaN { return .nan }
        let t = (value - min) / (max - min)
        return t < 0 ? 0 : (t > 1 ? 1 : t)
    }
}
