import Engine
import Foundation

/// The fixed position vectors of Vaswani et al. (2017), eq. (2) in docs/models/transformer.md:
/// P[p, 2i] = sin(p / 10000^(2i/d)) and P[p, 2i + 1] = cos(p / 10000^(2i/d)), positions p from 0.
public enum SinusoidalPositions {
    /// P_p: the vector added at position `p` to a d-wide embedding (d even).
    public static func encoding(position p: Int, size d: Int) -> [Float] {
        var row = [Float](repeating: 0, count: d)
        for i in 0..<(d / 2) {
            // In Double, so the angle of a late position keeps its digits before it is rounded to Float.
            let angle = Double(p) / Foundation.pow(10000, Double(2 * i) / Double(d))
            row[2 * i] = Float(Foundation.sin(angle))
            row[2 * i + 1] = Float(Foundation.cos(angle))
        }
        return row
    }

    /// Positions `start ..< start + count` as rows of a [count, d] table.
    public static func table(from start: Int = 0, count: Int, size d: Int) -> Tensor {
        Tensor(shape: [count, d], data: (start..<(start + count)).flatMap { encoding(position: $0, size: d) })
    }
}
