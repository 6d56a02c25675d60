import Foundation
import HTTPTypes
import RawStructuredFieldValues

/// The `Signature-Input` and `Signature` dictionaries of a message (RFC 9421 §4).
struct SignatureFields {
    var inputs: StructuredFields.Dictionary
    var signatures: StructuredFields.Dictionary

    init(inputs: StructuredFields.Dictionary, signatures: StructuredFields.Dictionary) {
        self.inputs = inputs
        self.signatures = signatures
    }

    /// Reads both dictionaries; absent fields give empty dictionaries.
    init(_ fields: HTTPFields) throws {
        do {
            self.inputs = try fields.combinedValue(.signatureInput).map(StructuredFields.parseDictionary) ?? .init()
            self.signatures = try fields.combinedValue(.signature).map(StructuredFields.parseDictionary) ?? .init()
        } catch {
            throw SigningError(.signatureInvalid, "Signature-Input or Signature is not a structured dictionary", cause: error)
        }
    }

    /// Writes both dictionaries back as one line each, replacing earlier lines.
    func write(to fields: inout HTTPFields) throws {
        do {
            fields[.signatureInput] = try StructuredFields.serialize(dictionary: self.inputs)
            fields[.signature] = try StructuredFields.serialize(dictionary: self.signatures)
        } catch {
            throw SigningError(.signatureInvalid, "signature fields cannot be serialised", cause: error)
        }
    }
}

extension HTTPFields {
    /// These fields with `Signature-Input` and `Signature` reduced to the one signature `label`
    /// (re-serialised, one line each): what an intermediary passes on of a verified signature,
    /// so no other member rides along with it.
    public func keepingOnlySignature(_ label: String) throws -> HTTPFields {
        let signatureFields = try SignatureFields(self)
        guard let input = signatureFields.inputs[label], let signature = signatureFields.signatures[label] else {
            throw SigningError(.signatureMissing, "the message has no signature labelled \(label)")
        }
        var inputs = StructuredFields.Dictionary()
        inputs[label] = input
        var signatures = StructuredFields.Dictionary()
        signatures[label] = signature
        let kept = SignatureFields(inputs: inputs, signatures: signatures)
        var fields = self
        fields[.signatureInput] = nil
        fields[.signature] = nil
        try kept.write(to: &fields)
        return fields
    }
}
