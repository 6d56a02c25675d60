import Foundation
import RawStructuredFieldValues

/// The `Signature-Input` and `Signature` dictionaries of a message (RFC 9421 §4).
struct SignatureFields {
    static let inputName = "Signature-Input"
    static let signatureName = "Signature"

    var inputs: StructuredFields.Dictionary
    var signatures: StructuredFields.Dictionary

    /// Reads both dictionaries; absent fields give empty dictionaries.
    init(_ fields: MessageFields) throws {
        do {
            self.inputs = try fields.combinedValue(Self.inputName).map(StructuredFields.parseDictionary) ?? .init()
            self.signatures = try fields.combinedValue(Self.signatureName).map(StructuredFields.parseDictionary) ?? .init()
        } catch {
            throw SigningError(.signatureInvalid, "Signature-Input or Signature is not a structured dictionary", cause: error)
        }
    }

    /// Writes both dictionaries back as one line each, replacing earlier lines.
    func write(to fields: inout MessageFields) throws {
        do {
            fields.set(name: Self.inputName, value: try StructuredFields.serialize(dictionary: self.inputs))
            fields.set(name: Self.signatureName, value: try StructuredFields.serialize(dictionary: self.signatures))
        } catch {
            throw SigningError(.signatureInvalid, "signature fields cannot be serialised", cause: error)
        }
    }
}
