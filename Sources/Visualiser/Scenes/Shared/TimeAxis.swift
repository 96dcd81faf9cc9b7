/// A run of steps drawn one per `stepWidth` columns from `x`: the time axis of sequence panels and
/// histories, which also turns a clicked column back into a step.
public struct TimeAxis: Sendable, Hashable {
    public var x: Int
    public var first: Int
    public var count: Int
    public var stepWidth: Int

    /// The step under screen column `px`, if any.
    public func step(atX px: Int) -> Int? {
        guard px >= x, px < x + count * stepWidth else { return nil }
        return first + (px - x) / stepWidth
    }

    /// The screen column of `step`, if it is in view.
    public func x(of step: Int) -> Int? {
        step >= first && step < first + count ? x + (step - first) * stepWidth : nil
    }
}

extension TimeAxis {
    /// Steps around `current` that fit in `width` columns, at up to `maxStepWidth` columns a step.
    public static func fitting(x: Int, width: Int, steps: Int, current: Int, maxStepWidth: Int) -> TimeAxis {
        let w = Swift.max(0, width)
        var stepWidth = 1
        while stepWidth < maxStepWidth && steps * (stepWidth + 1) <= w { stepWidth += 1 }
        let visible = Swift.min(steps, w / stepWidth)
        let first = TokenStrip.firstVisible(count: steps, visible: visible, focus: current)
        return TimeAxis(x: x, first: first, count: visible, stepWidth: stepWidth)
    }
}
