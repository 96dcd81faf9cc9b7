/// The xterm palette and nearest-colour searches used to quantise RGB for 256- and 8-colour terminals.
public enum Palette {
    /// Channel levels of the 6×6×6 colour cube (indices 16-231).
    public static let cubeLevels: [UInt8] = [0, 95, 135, 175, 215, 255]

    /// The sixteen ANSI colours as xterm shows them.
    public static let ansi16: [(UInt8, UInt8, UInt8)] = [
        (0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0), (0, 0, 238), (205, 0, 205), (0, 205, 205), (229, 229, 229),
        (127, 127, 127), (255, 0, 0), (0, 255, 0), (255, 255, 0), (92, 92, 255), (255, 0, 255), (0, 255, 255), (255, 255, 255),
    ]

    /// The RGB value of indexed colour `n` in xterm's palette.
    @inlinable
    public static func rgb(ofIndex n: UInt8) -> (UInt8, UInt8, UInt8) {
        if n < 16 { return ansi16[Int(n)] }
        if n >= 232 {
            let v = UInt8(8 + 10 * (Int(n) - 232))
            return (v, v, v)
        }
        let i = Int(n) - 16
        return (cubeLevels[i / 36], cubeLevels[(i / 6) % 6], cubeLevels[i % 6])
    }

    /// Index (0-5) of the cube level nearest to channel value `v`.
    @inlinable
    static func nearestCubeLevel(_ v: UInt8) -> Int {
        // Midpoints between 0, 95, 135, 175, 215, 255.
        switch v {
        case ..<48: return 0
        case ..<115: return 1
        case ..<155: return 2
        case ..<195: return 3
        case ..<235: return 4
        default: return 5
        }
    }

    @inlinable
    static func distance2(_ a: (UInt8, UInt8, UInt8), _ b: (UInt8, UInt8, UInt8)) -> Int {
        let dr = Int(a.0) - Int(b.0), dg = Int(a.1) - Int(b.1), db = Int(a.2) - Int(b.2)
        return dr * dr + dg * dg + db * db
    }

    /// The index (16-255) of the cube colour or grey nearest to (r, g, b) in RGB distance. The sixteen
    /// ANSI colours are never chosen because terminals redefine them.
    @inlinable
    public static func nearest256(_ r: UInt8, _ g: UInt8, _ b: UInt8) -> UInt8 {
        let ri = nearestCubeLevel(r), gi = nearestCubeLevel(g), bi = nearestCubeLevel(b)
        let cube = (cubeLevels[ri], cubeLevels[gi], cubeLevels[bi])
        let cubeIndex = 16 + 36 * ri + 6 * gi + bi
        // Grey ramp 232-255 is 8, 18, ..., 238; pick the step nearest the mean.
        let mean = (Int(r) + Int(g) + Int(b)) / 3
        let step = max(0, min(23, (mean - 8 + 5) / 10))
        let greyValue = UInt8(8 + 10 * step)
        let target = (r, g, b)
        if distance2((greyValue, greyValue, greyValue), target) < distance2(cube, target) {
            return UInt8(232 + step)
        }
        return UInt8(cubeIndex)
    }

    /// The index (0-7) of the ANSI colour nearest to (r, g, b) in RGB distance.
    @inlinable
    public static func nearest8(_ r: UInt8, _ g: UInt8, _ b: UInt8) -> UInt8 {
        var best = 0
        var bestDistance = Int.max
        for i in 0..<8 {
            let d = distance2(ansi16[i], (r, g, b))
            if d < bestDistance { bestDistance = d; best = i }
        }
        return UInt8(best)
    }
}
