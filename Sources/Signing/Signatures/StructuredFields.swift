import Foundation
import RawStructuredFieldValues

/// Parsing and serialising structured field values (RFC 9651) with swift-http-structured-headers.
enum StructuredFields {
    typealias Dictionary = OrderedMap<String, ItemOrInnerList>

    /// Fields whose structured type is known; `;sf` on others is parsed as dictionary, then list.
    private static let dictionaryFields: Set<String> = [
        "signature", "signature-input", "accept-signature", "content-digest", "repr-digest",
        "want-content-digest", "want-repr-digest", "priority", "example-dict",
    ]
    private static let listFields: Set<String> = ["cache-status", "proxy-status", "example-list"]
    private static let itemFields: Set<String> = ["example-item"]

    static func parseDictionary(_ value: String) throws -> Dictionary {
        var parser = StructuredFieldValueParser(Array(value.utf8))
        return try parser.parseDictionaryFieldValue()
    }

    static func serialize(dictionary: Dictionary) throws -> String {
        var serializer = StructuredFieldValueSerializer()
        return String(decoding: try serializer.writeDictionaryFieldValue(dictionary), as: UTF8.self)
    }

    /// One dictionary member value on its own: an item with its parameters or an inner list.
    static func serialize(member: ItemOrInnerList) throws -> String {
        var serializer = StructuredFieldValueSerializer()
        let bytes: [UInt8]
        switch member {
        case .item(let item): bytes = try serializer.writeItemFieldValue(item)
        case .innerList: bytes = try serializer.writeListFieldValue([member])
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    static func serialize(innerList: InnerList) throws -> String {
        var serializer = StructuredFieldValueSerializer()
        return String(decoding: try serializer.writeListFieldValue([.innerList(innerList)]), as: UTF8.self)
    }

    /// The strict re-serialisation RFC 9421 §2.1.1 asks for with `;sf`.
    static func canonical(field name: String, value: String) throws -> String {
        var serializer = StructuredFieldValueSerializer()
        if self.dictionaryFields.contains(name) {
            return try self.serialize(dictionary: self.parseDictionary(value))
        }
        if self.listFields.contains(name) {
            var parser = StructuredFieldValueParser(Array(value.utf8))
            return String(decoding: try serializer.writeListFieldValue(parser.parseListFieldValue()), as: UTF8.self)
        }
        if self.itemFields.contains(name) {
            var parser = StructuredFieldValueParser(Array(value.utf8))
            return String(decoding: try serializer.writeItemFieldValue(parser.parseItemFieldValue()), as: UTF8.self)
        }
        // Unknown type: a dictionary parse fails on anything that is not key-shaped, and a list
        // re-serialises a single item exactly as an item would, so this order is unambiguous
        // except for repeated dictionary keys.
        if let dictionary = try? self.parseDictionary(value) {
            return try self.serialize(dictionary: dictionary)
        }
        var parser = StructuredFieldValueParser(Array(value.utf8))
        return String(decoding: try serializer.writeListFieldValue(parser.parseListFieldValue()), as: UTF8.self)
    }
}
