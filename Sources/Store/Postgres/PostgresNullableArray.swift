import PostgresNIO

/// A one-dimensional array parameter whose elements may be NULL, for multi-row inserts through
/// `UNNEST`; postgres-nio encodes arrays of non-optional elements only.
struct PostgresNullableArray<Element: PostgresArrayEncodable & PostgresNonThrowingEncodable>: PostgresNonThrowingEncodable {
    /// The elements, nil for NULL.
    var elements: [Element?]

    init(_ elements: [Element?]) {
        self.elements = elements
    }

    static var psqlType: PostgresDataType { Element.psqlArrayType }

    static var psqlFormat: PostgresFormat { .binary }

    /// Writes PostgreSQL's binary array layout: dimensions, a has-NULL flag, the element type, then
    /// for one dimension its length and lower bound, then each element with its length (-1 for NULL).
    func encode<JSONEncoder: PostgresJSONEncoder>(into buffer: inout ByteBuffer, context: PostgresEncodingContext<JSONEncoder>) {
        buffer.writeInteger(elements.isEmpty ? 0 : 1, as: Int32.self)
        buffer.writeInteger(elements.contains { $0 == nil } ? 1 : 0, as: Int32.self)
        buffer.writeInteger(Element.psqlType.rawValue)
        guard !elements.isEmpty else { return }
        buffer.writeInteger(Int32(elements.count))
        buffer.writeInteger(1, as: Int32.self)
        for element in elements {
            guard let element else {
                buffer.writeInteger(-1, as: Int32.self)
                continue
            }
            let lengthIndex = buffer.writerIndex
            buffer.writeInteger(0, as: Int32.self)
            let start = buffer.writerIndex
            element.encode(into: &buffer, context: context)
            buffer.setInteger(Int32(buffer.writerIndex - start), at: lengthIndex)
        }
    }
}

extension String {
    /// The text before the first U+0000, which is what SQLite stores and compares for text bound
    /// as a C string (as GRDB and the audit inserts bind it); PostgreSQL text cannot hold U+0000.
    var beforeNUL: String {
        guard let end = firstIndex(of: "\u{0}") else { return self }
        return String(self[..<end])
    }
}
