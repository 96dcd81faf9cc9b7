import Engine

/// One program step of a Neural Programmer for one example (docs/models/neural-programmer.md): what it
/// chose, what each choice weighed, and what the step left behind.
public struct NeuralProgrammerSnapshot: ProgramSnapshot, Equatable {
    /// α^op_t over the operations (ProgrammerOperation order) and α^col_t over the table's columns, as the
    /// softmaxes (5), (6) give them, and the ones the step used (argmax at test, the softmax in training).
    public var operationWeights: [Float]
    public var columnWeights: [Float]
    public var operation: ProgrammerOperation
    public var column: Int
    /// β of greater and lesser over the question's numbers (7), as the softmax gives them, and the numbers
    /// the step compared with (8; at test the argmax's).
    public var greaterPivotWeights: [Float]
    public var lesserPivotWeights: [Float]
    public var greaterPivot: Float
    public var lesserPivot: Float
    /// The row selector before the step, rs_{t−1}, and after it, rs_t (15), one entry per table row.
    public var rowsBefore: [Float]
    public var rows: [Float]
    /// The scalar output s_t (13) and the lookup output (14), [rows][columns].
    public var scalar: Float
    public var lookup: [[Float]]
    /// The history RNN's state h_t (4).
    public var history: [Float]
    /// True when the choices were hard (one-hot): evaluation and the viewer.
    public var hard: Bool
    /// The last step's answer: s_T and α^op_T(assign), which says whether the model answers with cells;
    /// empty for earlier steps.
    public var answer: [Float]
    public var output: [Float] { answer }
}

extension NeuralProgrammerSnapshot {
    public var operationName: String { operation.name }
    public var operationWeight: Float { operationWeights[operation.rawValue] }
    public var usedColumn: Int? { operation.readsColumn ? column : nil }
    public var columnWeight: Float { column < columnWeights.count ? columnWeights[column] : 0 }
    public var usedPivot: Float? {
        switch operation {
        case .greater: greaterPivot
        case .lesser: lesserPivot
        default: nil
        }
    }
}
