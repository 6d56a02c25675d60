import Audit
import Foundation
import Testing

@Suite struct AuditBodyCipherTests {
    static let key = try! AuditBodyCipher.Key(rawRepresentation: Data(repeating: 0x11, count: 32))
    static let cipher = AuditBodyCipher(current: key)
    static let body = Data(#"{"nationalId":"1234567890","purpose":"employment"}"#.utf8)

    @Test func sealOpenRoundTripForBothParts() throws {
        for part in AuditBodyCipher.Part.allCases {
            let sealed = try Self.cipher.seal(body: Self.body, exchangeId: "01JD6Q7W3X", part: part)
            #expect(try Self.cipher.open(sealed, exchangeId: "01JD6Q7W3X", part: part) == Self.body)
        }
        let empty = try Self.cipher.seal(body: Data(), exchangeId: "e", part: .response)
        #expect(try Self.cipher.open(empty, exchangeId: "e", part: .response).isEmpty)
    }

    @Test func sealedLayoutIsVersionKeyIDNonceCiphertextTag() throws {
        let sealed = try Self.cipher.seal(body: Self.body, exchangeId: "x", part: .request)
        #expect(sealed.count == 1 + 4 + 12 + Self.body.count + 16)
        #expect(sealed.first == 0x01)
        let id = Self.key.id
        #expect(Array(sealed.dropFirst().prefix(4)) == [UInt8(id >> 24), UInt8(id >> 16 & 0xFF), UInt8(id >> 8 & 0xFF), UInt8(id & 0xFF)])
        #expect(sealed.range(of: Self.body) == nil)
        let again = try Self.cipher.seal(body: Self.body, exchangeId: "x", part: .request)
        #expect(again != sealed, "a fresh nonce each time")
    }

    @Test func everyTamperedByteIsRejected() throws {
        let sealed = try Self.cipher.seal(body: Self.body, exchangeId: "x", part: .request)
        for index in sealed.indices {
            var tampered = sealed
            tampered[index] ^= 0x01
            do {
                _ = try Self.cipher.open(tampered, exchangeId: "x", part: .request)
                Issue.record("byte \(index) changed and still opened")
            } catch {
                let expected: AuditError.Code = (1...4).contains(index) ? .bodyKeyUnknown : .bodyUnreadable
                #expect(error.code == expected, "byte \(index)")
            }
        }
        for length in [0, 5, 20, sealed.count - 1] {
            #expect(throws: AuditError.self) { try Self.cipher.open(sealed.prefix(length), exchangeId: "x", part: .request) }
        }
    }

    @Test func bodyIsBoundToItsExchangeAndPart() throws {
        let sealed = try Self.cipher.seal(body: Self.body, exchangeId: "exchange-a", part: .request)
        #expect(throws: AuditError.self) { try Self.cipher.open(sealed, exchangeId: "exchange-b", part: .request) }
        #expect(throws: AuditError.self) { try Self.cipher.open(sealed, exchangeId: "exchange-a", part: .response) }
    }

    @Test func rotatedKeysStillOpenOldBodies() throws {
        let newKey = AuditBodyCipher.Key.generate()
        let rotated = AuditBodyCipher(current: newKey, previous: [Self.key])
        let old = try Self.cipher.seal(body: Self.body, exchangeId: "x", part: .response)
        #expect(try rotated.open(old, exchangeId: "x", part: .response) == Self.body)
        let new = try rotated.seal(body: Self.body, exchangeId: "x", part: .response)
        #expect(rotated.currentKeyID == newKey.id)
        do {
            _ = try Self.cipher.open(new, exchangeId: "x", part: .response)
            Issue.record("opened with a key that was never configured")
        } catch {
            #expect(error.code == .bodyKeyUnknown)
        }
    }

    @Test func keysFromConfiguration() throws {
        let base64 = Data(repeating: 0x11, count: 32).base64EncodedString()
        #expect(try AuditBodyCipher.Key(base64: base64 + "\n").id == Self.key.id)
        for bad in ["", "not base64", Data(repeating: 1, count: 16).base64EncodedString()] {
            do {
                _ = try AuditBodyCipher.Key(base64: bad)
                Issue.record("accepted \(bad)")
            } catch {
                #expect(error.code == .bodyKeyInvalid)
            }
        }
    }
}
