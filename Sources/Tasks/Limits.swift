import Engine

/// Bounds on user-given task settings, so that a typo on the command line fails with a message instead of
/// allocating gigabytes.
public enum TaskLimits {
    /// The most timesteps one example may have.
    public static let maxTimesteps = 100_000
    /// The widest bit vector a task may use.
    public static let maxBitWidth = 1_024
}

/// Shared checks that throw one-line `ArnnError`s of the form `"<task>: <field> must be ..., got <value>"`.
enum Check {
    static func atLeast(_ value: Int, _ minimum: Int, field: String, task: String, why: String = "") throws {
        if value < minimum {
            throw ArnnError("\(task): \(field) must be at least \(minimum)\(why), got \(value)")
        }
    }

    static func atMost(_ value: Int, _ maximum: Int, field: String, task: String, why: String = "") throws {
        if value > maximum {
            throw ArnnError("\(task): \(field) must be at most \(maximum)\(why), got \(value)")
        }
    }

    static func ordered(min: Int, max: Int, minField: String, maxField: String, task: String) throws {
        if max < min {
            throw ArnnError("\(task): \(maxField) (\(max)) must not be less than \(minField) (\(min))")
        }
    }

    /// Throws when an example of `steps` timesteps is too long; `what` names the setting that caused it.
    static func steps(_ steps: Int, task: String, what: String) throws {
        if steps > TaskLimits.maxTimesteps {
            throw ArnnError("\(task): \(what) gives \(steps) timesteps, more than the limit of \(TaskLimits.maxTimesteps)")
        }
    }
}

/// Products and sums of user-given counts saturate at `Int.max` instead of trapping, so a huge `--length`
/// reaches the timestep check and gets a message.
func saturatingProduct(_ a: Int, _ b: Int) -> Int {
    let (r, overflow) = a.multipliedReportingOverflow(by: b)
    return overflow ? Int.max : r
}

func saturatingSum(_ values: Int...) -> Int {
    var total = 0
    for v in values {
        let (r, overflow) = total.addingReportingOverflow(v)
        if overflow { return Int.max }
        total = r
    }
    return total
}
