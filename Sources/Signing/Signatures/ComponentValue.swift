import Foundation
import HTTPTypes
import RawStructuredFieldValues

/// Resolves the value of one covered component in a message (RFC 9421 §2.1 and §2.2).
enum ComponentValue {
    static func resolve(_ component: ComponentIdentifier, in message: SignableMessage) throws -> String {
        if component.isTrailer {
            throw Self.failure(component, "trailer fields are not supported")
        }
        let context: SignableMessage
        if component.isFromRequest {
            guard case .response(_, let request?) = message else {
                throw Self.failure(component, "needs the request this response answers")
            }
            context = .request(request)
        } else {
            context = message
        }
        let value = component.isDerived
            ? try self.derived(component, in: context)
            : try self.field(component, in: context.fields)
        guard !value.unicodeScalars.contains(where: { $0 == "\n" || $0 == "\r" }) else {
            throw Self.failure(component, "value contains a line break")
        }
        return value
    }

    private static func derived(_ component: ComponentIdentifier, in message: SignableMessage) throws -> String {
        if component.parameters.contains(where: { ["sf", "key", "bs"].contains($0.name) }) {
            throw Self.failure(component, "derived components take no sf, key or bs parameter")
        }
        if component.name == "@status" {
            guard case .response(let response, _) = message else {
                throw Self.failure(component, "only exists in responses")
            }
            guard (100...999).contains(response.status) else {
                throw Self.failure(component, "status is not a three-digit code")
            }
            return String(response.status)
        }
        guard case .request(let request) = message else {
            throw Self.failure(component, "only exists in requests (use ;req in a response)")
        }
        switch component.name {
        case "@method": return request.method
        case "@target-uri": return request.targetURI
        case "@authority": return request.authority
        case "@scheme": return request.scheme
        case "@request-target": return request.requestTarget
        case "@path": return request.path
        case "@query": return "?" + (request.query ?? "")
        case "@query-param": return try self.queryParameter(component, in: request)
        default: throw Self.failure(component, "is not a derived component Rabt knows")
        }
    }

    private static func queryParameter(_ component: ComponentIdentifier, in request: RequestComponents) throws -> String {
        guard let wanted = component.parameterName else {
            throw Self.failure(component, "needs a name parameter")
        }
        let matches = QueryParameters.pairs(in: request.query ?? "").filter { $0.name == wanted }
        guard let match = matches.first else {
            throw Self.failure(component, "names a query parameter that is absent")
        }
        guard matches.count == 1 else {
            throw Self.failure(component, "names a query parameter that occurs more than once")
        }
        return match.value
    }

    private static func field(_ component: ComponentIdentifier, in fields: HTTPFields) throws -> String {
        let values = fields.values(named: component.name)
        guard !values.isEmpty else {
            throw Self.failure(component, "is absent from the message")
        }
        if component.isByteSequence {
            guard !component.isStructured, component.dictionaryKey == nil else {
                throw Self.failure(component, "bs cannot be combined with sf or key")
            }
            return values.map { ":" + Data(HTTPFields.canonicalLine($0).utf8).base64EncodedString() + ":" }
                .joined(separator: ", ")
        }
        // Absent was ruled out above, so the combined value exists.
        let combined = values.map(HTTPFields.canonicalLine).joined(separator: ", ")
        if let key = component.dictionaryKey {
            let dictionary: StructuredFields.Dictionary
            do {
                dictionary = try StructuredFields.parseDictionary(combined)
            } catch {
                throw Self.failure(component, "is not a structured dictionary", cause: error)
            }
            guard let member = dictionary[key] else {
                throw Self.failure(component, "has no dictionary member \(key)")
            }
            return try StructuredFields.serialize(member: member)
        }
        if component.isStructured {
            do {
                return try StructuredFields.canonical(field: component.name, value: combined)
            } catch {
                throw Self.failure(component, "is not a structured field value", cause: error)
            }
        }
        return combined
    }

    private static func failure(_ component: ComponentIdentifier, _ text: String, cause: (any Error)? = nil) -> SigningError {
        SigningError(.signatureInvalid, "covered component \(component) \(text)", cause: cause)
    }
}

/// `application/x-www-form-urlencoded` query parsing and the re-encoding RFC 9421 §2.2.8 prescribes.
enum QueryParameters {
    /// Name/value pairs, each decoded and then percent-encoded again.
    static func pairs(in query: String) -> [(name: String, value: String)] {
        query.split(separator: "&", omittingEmptySubsequences: true).map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = self.encode(self.decode(parts[0]))
            let value = parts.count > 1 ? self.encode(self.decode(parts[1])) : ""
            return (name, value)
        }
    }

    /// `+` becomes a space and `%XX` a byte; malformed escapes stay; invalid UTF-8 becomes U+FFFD.
    static func decode(_ text: Substring) -> [UInt8] {
        let bytes = Array(text.utf8)
        var output: [UInt8] = []
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "+") {
                output.append(UInt8(ascii: " "))
            } else if byte == UInt8(ascii: "%"), index + 2 < bytes.count,
                let high = self.hexValue(bytes[index + 1]), let low = self.hexValue(bytes[index + 2])
            {
                output.append(high << 4 | low)
                index += 2
            } else {
                output.append(byte)
            }
            index += 1
        }
        return Array(String(decoding: output, as: UTF8.self).utf8)
    }

    /// Percent-encodes every byte outside `A-Z a-z 0-9 * - . _` (the form-urlencoded set, spaces as `%20`).
    static func encode(_ bytes: [UInt8]) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        var output: [UInt8] = []
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "*"), UInt8(ascii: "-"), UInt8(ascii: "."),
                UInt8(ascii: "_"):
                output.append(byte)
            default:
                output.append(contentsOf: [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]])
            }
        }
        return String(decoding: output, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
