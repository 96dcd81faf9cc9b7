/// The largest of `values[start ..< start + count]` (clipped), for pooling N memory rows into fewer pixels
/// of a `Heatmap` or weight row without losing a sharp peak of attention.
func maxPool(_ values: [Float], start: Int, count: Int) -> Float {
    let end = Swift.min(values.count, start + count)
    guard start < end else { return 0 }
    var m = values[start]
    for i in start..<end where values[i] > m { m = values[i] }
    return m
}
