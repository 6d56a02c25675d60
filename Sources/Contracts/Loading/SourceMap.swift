/// Where each value of a parsed document came from in its source text, by JSON pointer.
struct SourceMap: Sendable {
    /// A 1-based line and column.
    struct Position: Hashable, Sendable {
        var line: Int
        var column: Int
    }

    private var positions: [String: Position] = [:]

    /// Records the position of the value at `pointer`.
    mutating func record(_ pointer: String, line: Int, column: Int) {
        positions[pointer] = Position(line: line, column: column)
    }

    /// The position of the value at `pointer`, or of its nearest recorded ancestor.
    func position(of pointer: String) -> Position? {
        var current = Substring(pointer)
        while true {
            if let found = positions[String(current)] { return found }
            guard let slash = current.lastIndex(of: "/") else { return nil }
            current = current[..<slash]
        }
    }
}
