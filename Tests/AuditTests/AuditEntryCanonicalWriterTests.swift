import Audit
import Testing

/// `AuditEntry.canonicalBytes()` writes members in a fixed order straight into bytes; these tests
/// hold it to the bytes of the generic `CanonicalJSON` path (which sorts member names itself).
@Suite struct AuditEntryCanonicalWriterTests {
    /// Pieces strings are built from: plain ASCII, everything JCS escapes, multi-byte UTF-8.
    static let pieces: [String] = [
        "a", "moj", "POST /certificates", " ", "/", "'", "\u{7F}", "\"", "\\", "\\\"",
        "\u{00}", "\u{01}", "\u{08}", "\u{09}", "\u{0A}", "\u{0B}", "\u{0C}", "\u{0D}", "\u{1B}", "\u{1F}",
        "é", "e\u{301}", "€", "\u{2028}", "\u{FEFF}", "日本語", "\u{1F600}", "\u{10FFFF}", "\u{FB33}",
    ]

    struct Generator {
        var random: SplitMix

        mutating func chance() -> Bool { Bool.random(using: &random) }

        mutating func text() -> String {
            let count = Int.random(in: 0...6, using: &random)
            return (0..<count).map { _ in Self.pick(AuditEntryCanonicalWriterTests.pieces, &random) }.joined()
        }

        mutating func integer() -> Int {
            switch Int.random(in: 0..<5, using: &random) {
            case 0: 0
            case 1: Int.random(in: -9...9, using: &random)
            case 2: Int.random(in: 0...100_000, using: &random)
            case 3: Self.pick([CanonicalJSON.maxSafeInteger, -CanonicalJSON.maxSafeInteger, 10, -10, 1_000_000], &random)
            default: Int.random(in: -CanonicalJSON.maxSafeInteger...CanonicalJSON.maxSafeInteger, using: &random)
            }
        }

        mutating func optionalText() -> String? { chance() ? text() : nil }
        mutating func optionalInteger() -> Int? { chance() ? integer() : nil }

        mutating func attempts() -> [AuditEvent.Attempt]? {
            guard chance() else { return nil }
            return (0..<Int.random(in: 0...3, using: &random)).map { _ in
                AuditEvent.Attempt(url: text(), status: optionalInteger(), error: optionalText(), durationMs: integer())
            }
        }

        /// Milliseconds over years 0000–9999, plus some outside it (which format differently).
        mutating func time() -> Int64 {
            let yearZero: Int64 = -62_167_219_200_000
            let yearTenThousand: Int64 = 253_402_300_800_000
            switch Int.random(in: 0..<6, using: &random) {
            case 0: return Self.pick([0, -1, 1, 999, 1000, yearZero, yearZero - 1, yearTenThousand - 1, yearTenThousand], &random)
            case 1: return Int64.random(in: (yearZero - 100_000_000_000_000)...(yearTenThousand + 100_000_000_000_000), using: &random)
            case 2: return 1_795_676_944_123 + Int64.random(in: 0...86_400_000, using: &random)
            default: return Int64.random(in: yearZero..<yearTenThousand, using: &random)
            }
        }

        mutating func entry() -> AuditEntry {
            AuditEntry(
                sequence: chance() ? Int.random(in: 0...1_000_000, using: &random) : integer(),
                timeMilliseconds: time(),
                event: AuditEvent(
                    kind: AuditEvent.Kind(chance() ? "response.delivered" : text()),
                    exchangeId: optionalText(), consumer: optionalText(), provider: optionalText(),
                    service: optionalText(), serviceVersion: optionalInteger(), operation: optionalText(),
                    status: optionalInteger(), attempts: attempts(), latencyMs: optionalInteger(),
                    requestDigest: optionalText(), responseDigest: optionalText(), problemType: optionalText(),
                    actor: optionalText(), target: optionalText(), detail: optionalText(),
                    before: optionalText(), after: optionalText()
                )
            )
        }

        static func pick<T>(_ values: [T], _ random: inout SplitMix) -> T {
            values[Int.random(in: 0..<values.count, using: &random)]
        }
    }

    /// Every field set, so every member name appears and their order is checked as a whole.
    static func full(_ text: String, _ number: Int) -> AuditEntry {
        AuditEntry(
            sequence: number, timeMilliseconds: 1_795_676_944_123,
            event: AuditEvent(
                kind: AuditEvent.Kind(text), exchangeId: text, consumer: text, provider: text, service: text,
                serviceVersion: number, operation: text, status: number,
                attempts: [
                    .init(url: text, status: number, error: text, durationMs: number),
                    .init(url: text, durationMs: number),
                ],
                latencyMs: number, requestDigest: text, responseDigest: text, problemType: text,
                actor: text, target: text, detail: text, before: text, after: text
            )
        )
    }

    @Test func equalsTheGenericPathOverManyVariedEntries() throws {
        var generator = Generator(random: SplitMix(state: 8785))
        for _ in 0..<20_000 {
            let entry = generator.entry()
            let expected = try entry.canonicalValue.canonicalBytes()
            #expect(try entry.canonicalBytes() == expected, "\(entry)")
        }
    }

    @Test func equalsTheGenericPathWithEveryFieldPresentOrAbsent() throws {
        let everything = Self.full("x\u{0}\"\\é\u{1F600}", -12)
        #expect(try everything.canonicalBytes() == everything.canonicalValue.canonicalBytes())
        // Each optional field alone, and everything but it.
        let fields: [WritableKeyPath<AuditEvent, String?>] = [
            \.exchangeId, \.consumer, \.provider, \.service, \.operation, \.requestDigest, \.responseDigest,
            \.problemType, \.actor, \.target, \.detail,
        ]
        let numbers: [WritableKeyPath<AuditEvent, Int?>] = [\.serviceVersion, \.status, \.latencyMs]
        var bare = AuditEntry(sequence: 7, timeMilliseconds: 0, event: AuditEvent(kind: "k"))
        #expect(try bare.canonicalText() == #"{"kind":"k","sequence":7,"time":"1970-01-01T00:00:00.000Z"}"#)
        for field in fields {
            var alone = bare
            alone.event[keyPath: field] = "v"
            var allBut = everything
            allBut.event[keyPath: field] = nil
            #expect(try alone.canonicalBytes() == alone.canonicalValue.canonicalBytes())
            #expect(try allBut.canonicalBytes() == allBut.canonicalValue.canonicalBytes())
        }
        for field in numbers {
            var alone = bare
            alone.event[keyPath: field] = 3
            var allBut = everything
            allBut.event[keyPath: field] = nil
            #expect(try alone.canonicalBytes() == alone.canonicalValue.canonicalBytes())
            #expect(try allBut.canonicalBytes() == allBut.canonicalValue.canonicalBytes())
        }
        for attempts in [[], [AuditEvent.Attempt(url: "u", durationMs: 0)]] as [[AuditEvent.Attempt]?] + [nil] {
            bare.event.attempts = attempts
            #expect(try bare.canonicalBytes() == bare.canonicalValue.canonicalBytes())
        }
        #expect(try bare.canonicalText() == #"{"kind":"k","sequence":7,"time":"1970-01-01T00:00:00.000Z"}"#)
    }

    @Test func escapesEveryControlCharacterAsTheGenericPathDoes() throws {
        for scalar in 0..<0x80 {
            let text = "a" + String(UnicodeScalar(UInt8(scalar))) + "b"
            let entry = Self.full(text, 1)
            #expect(try entry.canonicalBytes() == entry.canonicalValue.canonicalBytes(), "U+\(scalar)")
        }
    }

    @Test func integersOutsideDoublePrecisionFailInEveryField() throws {
        let tooLarge = CanonicalJSON.maxSafeInteger + 1
        var entries: [AuditEntry] = []
        for field in [\AuditEvent.serviceVersion, \.status, \.latencyMs] as [WritableKeyPath<AuditEvent, Int?>] {
            var entry = Self.full("t", 1)
            entry.event[keyPath: field] = -tooLarge
            entries.append(entry)
        }
        var sequence = Self.full("t", 1)
        sequence.sequence = tooLarge
        var duration = Self.full("t", 1)
        duration.event.attempts = [.init(url: "u", durationMs: tooLarge)]
        var attemptStatus = Self.full("t", 1)
        attemptStatus.event.attempts = [.init(url: "u", status: Int.min, durationMs: 1)]
        entries += [sequence, duration, attemptStatus]
        for entry in entries {
            #expect(throws: AuditError.self) { try entry.canonicalValue.canonicalBytes() }
            let error = try #require(throws: AuditError.self) { try entry.canonicalBytes() }
            #expect(error.code == .notCanonical)
        }
    }

    @Test func writeCanonicalAppendsAfterWhatTheBufferHolds() throws {
        var generator = Generator(random: SplitMix(state: 9162))
        var buffer: [UInt8] = Array("prefix\n".utf8)
        var expected = buffer
        for _ in 0..<50 {
            let entry = generator.entry()
            try entry.writeCanonical(into: &buffer)
            buffer.append(0x0A)
            expected += try entry.canonicalValue.canonicalBytes() + [0x0A]
        }
        #expect(buffer == expected)
    }
}

/// A deterministic generator, so a failure names an entry that reproduces.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
