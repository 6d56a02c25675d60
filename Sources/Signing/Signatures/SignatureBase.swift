import RawStructuredFieldValues

/// The signature base of RFC 9421 §2.5: the exact bytes that are signed and verified.
public enum SignatureBase {
    /// Builds the base for `components` and `parameters` of `message`.
    ///
    /// Throws ``SigningError`` (`signature-invalid`) when a component is absent, repeated or unknown.
    public static func make(
        for message: SignableMessage,
        components: [ComponentIdentifier],
        parameters: SignatureParameters
    ) throws -> String {
        try self.make(for: message, signatureParams: self.signatureParams(components, parameters))
    }

    /// The `Signature-Input` member value (an inner list) for these components and parameters.
    static func signatureParams(_ components: [ComponentIdentifier], _ parameters: SignatureParameters) -> InnerList {
        var list = BareInnerList()
        for component in components { list.append(component.item) }
        return InnerList(bareInnerList: list, parameters: parameters.structuredParameters)
    }

    /// Builds the base from a parsed (or built) `Signature-Input` member, keeping its parameter order.
    static func make(for message: SignableMessage, signatureParams: InnerList) throws -> String {
        var lines: [String] = []
        var seen: Set<String> = []
        for item in signatureParams.bareInnerList {
            let component = try ComponentIdentifier(item: item)
            let identifier = component.description
            guard seen.insert(identifier).inserted else {
                throw SigningError(.signatureInvalid, "covered component \(identifier) appears twice")
            }
            let value = try ComponentValue.resolve(component, in: message)
            lines.append("\(identifier): \(value)")
        }
        let serialized: String
        do {
            serialized = try StructuredFields.serialize(innerList: signatureParams)
        } catch {
            throw SigningError(.signatureInvalid, "signature parameters cannot be serialised", cause: error)
        }
        lines.append("\"@signature-params\": \(serialized)")
        return lines.joined(separator: "\n")
    }
}
