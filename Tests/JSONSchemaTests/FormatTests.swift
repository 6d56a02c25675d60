import Testing

@testable import JSONSchema

/// Focused cases for the format checkers beyond what the official suite covers.
@Suite struct FormatTests {
    @Test(arguments: [
        ("^[a-z]{2,}$", true), ("(?<year>\\d{4})-\\k<year>", true), ("[\\d-]", true), ("[a\\-z]", true),
        ("\\u{1F600}", true), ("\\uD83D\\uDE00", true), ("\\p{Lu}\\P{Script=Greek}\\p{gc=Nd}", true),
        ("(?i:a)(?-s:b)(?m-i:c)", true), ("(?<a>x)|(?<a>y)", true), ("(a)\\1", true), ("x{2,2}?", true),
        ("a{", false), ("a}", false), ("]", false), ("[z-a]", false), ("[\\w-z]", false), ("x{3,2}", false),
        ("\\2(a)", false), ("\\k<b>(?<a>x)", false), ("(?<a>x)(?<a>y)", false), ("(?<a>(?<a>y))", false),
        ("(?=a)*", false), ("^*", false), ("a**", false), ("\\p{Foo}", false), ("\\p{gc=Foo}", false),
        ("(?-:a)", false), ("(?ii:a)", false), ("(?P<n>a)", false), ("\\01", false), ("\\", false),
        ("\\x4", false), ("\\u{110000}", false), ("[\\B]", false), ("(", false), ("a)", false), ("\\-", false),
    ])
    func ecmaPatternSyntax(pattern: String, valid: Bool) {
        #expect(ECMAPatternSyntax.isValid(pattern) == valid, "\(pattern)")
    }

    @Test func duplicateGroupNamesOnlyInDifferentAlternatives() {
        #expect(ECMAPatternSyntax.isValid("(?<a>x)|(?<a>y)|(?:z|(?<a>w))"))
        #expect(!ECMAPatternSyntax.isValid("(?<a>x)|((?<a>y)(?<a>z))"))
        #expect(!ECMAPatternSyntax.isValid("(?:(?<a>x)|y)(?<a>z)"))
    }

    @Test func deepNestingIsRejectedWithoutExhaustingTheStack() {
        #expect(ECMAPatternSyntax.isValid(String(repeating: "(", count: 200) + String(repeating: ")", count: 200)))
        #expect(!ECMAPatternSyntax.isValid(String(repeating: "(", count: 300) + String(repeating: ")", count: 300)))
        #expect(!ECMAPatternSyntax.isValid(String(repeating: "(?:", count: 200_000)))
    }

    @Test(arguments: [
        ("0", true), ("3/a~0b~1c", true), ("10#", true), ("0/", true),
        ("00", false), ("0#/a", false), ("0/~", false), ("#", false), ("1 ", false), ("1/a~x", false),
    ])
    func relativeJSONPointer(text: String, valid: Bool) {
        #expect(RelativeJSONPointer.isValid(text) == valid, "\(text)")
    }

    @Test(arguments: [
        ("/users/{id}{?fields,limit:3}{&page*}", true), ("{%E2%82%AC}", true), ("{a_b.c9}", true), ("{x:9999}", true),
        ("héllo/{x}", true), ("{=x}", false), ("{x.}", false), ("{.x.}", false), ("{x*:3}", false), ("{x:3*}", false),
        ("{x", false), ("{%4}", false), ("100%", false), ("a|b", false), ("{x}}", false), ("{{x}}", false),
    ])
    func uriTemplate(text: String, valid: Bool) {
        #expect(URITemplate.isValid(text) == valid, "\(text)")
    }
}

/// The byte-level checks behind `Format.accepts` (dates, addresses, pointers).
@Suite struct ByteFormatTests {
    @Test(arguments: [
        (Format.date, "2024-02-29", true), (.date, "2023-02-29", false), (.date, "1900-02-29", false), (.date, "2000-02-29", true),
        (.date, "2021-04-31", false), (.date, "2021-12-31", true), (.date, "2021-13-01", false), (.date, "2021-00-10", false),
        (.date, "2021-01-00", false), (.date, "2021-1-01", false), (.date, "２０２１-01-01", false),
        (.time, "23:59:60Z", true), (.time, "00:59:60+01:00", true), (.time, "23:59:60+01:00", false), (.time, "12:00:00.5-05:30", true),
        (.time, "12:00:00.Z", false), (.time, "24:00:00Z", false), (.time, "12:00:00+24:00", false), (.time, "12:00:00", false),
        (.dateTime, "2026-11-26t10:47:05.5z", true), (.dateTime, "2026-11-26 10:47:05Z", false), (.dateTime, "2026-11-26T", false),
        (.uuid, "3F2B8C1E-9a4d-4e6b-8f1a-2c3d4e5f6a7b", true), (.uuid, "3f2b8c1e-9a4d-4e6b-8f1a-2c3d4e5f6a7g", false),
        (.uuid, "3f2b8c1e9a4d-4e6b-8f1a-2c3d4e5f6a7b-", false),
        (.ipv4, "0.0.0.0", true), (.ipv4, "1.2.3.04", false), (.ipv4, "1.2.3", false), (.ipv4, "1.2.3.4.", false),
        (.ipv4, "1.2.3.256", false), (.ipv4, String(repeating: "9", count: 40) + ".1.1.1", false),  // no overflow
        (.ipv6, "::", true), (.ipv6, "1::", true), (.ipv6, "::ffff:192.168.1.1", true), (.ipv6, "1:2:3:4:5:6:1.2.3.4", true),
        (.ipv6, "1:2:3:4:5:6:7:8", true), (.ipv6, "1:2:3:4:5:6:7", false), (.ipv6, ":1::", false), (.ipv6, "1:::2", false),
        (.ipv6, "1::2::3", false), (.ipv6, "1.2.3.4", false), (.ipv6, "1:2:3:4:5:6:7:1.2.3.4", false), (.ipv6, "12345::", false),
        (.duration, "P1Y2M3DT4H", true), (.duration, "P4W", true), (.duration, "P1Y1D", false), (.duration, "PT", false),
        // RFC 6901 is defined on code points: a combining mark neither hides nor joins a `~`.
        (.jsonPointer, "/\u{301}", true), (.jsonPointer, "/a~\u{301}", false), (.jsonPointer, "/a~0\u{301}", true),
        (.email, "Sara.811@Example.GOV.jo", true), (.email, "a@XN--BCHER-KVA.example", true), (.email, "a@[1.2.3.4]", true),
        (.email, "a@[]", false), (.email, "a@b..c", false), (.email, "a.@b.c", false), (.email, "a@-b.c", false),
        (.idnEmail, "sara@example.gov.jo", true), (.idnEmail, "sara@exa_mple.jo", false), (.idnEmail, "سارة@مثال.الأردن", true),
        (.hostname, "www.example.gov.jo", true), (.hostname, "www..example", false), (.hostname, "www.exam ple", false),
        (.idnHostname, "WWW.Example.jo", true), (.idnHostname, "xn--bcher.example", false),
        (.uri, "https://example.gov.jo/a/b?x=1#f", true), (.uri, "https://example.gov.jo/é", false), (.iri, "https://example.gov.jo/é", true),
        (.iriReference, "//[::1]/é?q", true), (.iriReference, "//[::é]/", false),
    ])
    func accepts(format: Format, text: String, valid: Bool) {
        #expect(format.accepts(text) == valid, "\(format.rawValue) \(text)")
    }
}

/// Punycode, IDNA2008 and host names.
@Suite struct HostnameFormatTests {
    private func scalars(_ s: String) -> [Unicode.Scalar] { Array(s.unicodeScalars) }

    @Test(arguments: [
        ("bücher", "bcher-kva"), ("他们为什么不说中文", "ihqwcrb4cv8a8dqg056pqjye"), ("münchen-ost", "mnchen-ost-9db"),
        ("ü", "tda"), ("실례", "9n2bp8q"),
    ])
    func punycodeRoundTrip(unicode: String, encoded: String) {
        #expect(Punycode.encode(scalars(unicode)) == Array(encoded.utf8))
        #expect(Punycode.decode(Array(encoded.utf8)) == scalars(unicode))
    }

    @Test func punycodeRejectsMalformedInput() {
        #expect(Punycode.decode(Array("X".utf8)) == nil)  // truncated variable-length integer
        #expect(Punycode.decode(Array("a+b".utf8)) == nil)  // not a base-36 digit
        #expect(Punycode.decode(Array("99999999999".utf8)) == nil)  // overflow
        #expect(Punycode.decode(Array("abc-".utf8)) == scalars("abc"))  // basic code points only
    }

    @Test func derivedProperties() {
        #expect(IDNA.property("a") == .pvalid)
        #expect(IDNA.property("A") == .disallowed)  // changes under NFKC case folding
        #expect(IDNA.property("ß") == .pvalid)  // exception
        #expect(IDNA.property("\u{302E}") == .disallowed)  // exception
        #expect(IDNA.property("\u{200D}") == .contextJ)
        #expect(IDNA.property("\u{0663}") == .contextO)
        #expect(IDNA.property("\u{1100}") == .disallowed)  // old Hangul jamo
        #expect(IDNA.property("\u{20D0}") == .disallowed)  // ignorable block
        #expect(IDNA.property("\u{FB01}") == .disallowed)  // ligature: unstable under NFKC
        #expect(IDNA.property("\u{0378}") == .unassigned)
        #expect(IDNA.property("_") == .disallowed)
        #expect(IDNA.property("\u{0915}") == .pvalid)
        #expect(IDNA.property("\u{094D}") == .pvalid)  // Mn
    }

    @Test func nfcCheck() {
        #expect(IDNA.isNFC(scalars("café")))
        #expect(!IDNA.isNFC(scalars("cafe\u{301}")))
    }

    @Test(arguments: [
        ("bücher", true), ("l·l", true), ("α͵β", true), ("א׳", true), ("ア・", true),
        ("\u{0628}\u{200C}\u{0628}", true),  // ZWNJ between dual-joining letters
        ("\u{0627}\u{200C}\u{0628}", false),  // alef is right-joining: nothing joins on its left
        ("\u{0628}\u{064B}\u{200C}\u{064B}\u{0627}", true),  // transparent marks are skipped
        ("\u{0628}\u{200C}\u{200C}\u{0628}", false),  // a second ZWNJ is non-joining, not transparent
        ("\u{0886}\u{200C}\u{0628}", true),  // Arabic Extended-B (Unicode 14) letters are dual-joining
        ("a\u{200C}b", false), ("\u{0915}\u{094D}\u{200D}", true), ("\u{0301}a", false), ("ab--c", false),
        ("-ab", false), ("l·", false), ("x͵α", true), ("α͵", false), ("a・b", false), ("٠۰", false),
    ])
    func uLabels(label: String, valid: Bool) {
        #expect(IDNA.isValidULabel(scalars(label)) == valid, "\(label)")
    }

    @Test(arguments: [
        ("example.com", true), ("xn--bcher-kva.example", true), ("XN--BCHER-KVA.example", true),
        ("xn--bcher-kvA.example", true), ("xn--bcher.example", false),  // decodes to "≆≎≈", DISALLOWED symbols
        ("xn--abc-.example", false),  // decodes to ASCII only
        ("xn--tda.xn--4db", true),  // ü and א: the LTR label starts with L, the RTL one with R
        ("0a.xn--4db", false),  // Bidi domain: a label may not start with a digit
        ("xn--cafe-yvc", false),  // "cafe" + U+0301: a U-label must be in NFC
        ("xn--bcher-kva-", false), ("a_b.com", false), ("xn--ls8h", false),  // 💩 is DISALLOWED
    ])
    func hostnames(name: String, valid: Bool) {
        #expect(Hostname.isValid(name) == valid, "\(name)")
    }

    @Test(arguments: [
        ("bücher.example", true), ("Bücher.example", true), ("cafe\u{301}.example", true),  // lookup normalizes to NFC
        ("bücher。example", true), ("bü cher.example", false), ("bücher.", false), ("ﬁ.example", false),
        (String(repeating: "ü", count: 58), false),  // the A-label would exceed 63 octets
        (String(repeating: "ü", count: 20), true),
    ])
    func internationalizedHostnames(name: String, valid: Bool) {
        #expect(Hostname.isValidInternationalized(name) == valid, "\(name)")
    }
}

/// URI/IRI syntax and mailbox addresses.
@Suite struct URIAndEmailFormatTests {
    @Test(arguments: [
        ("http://user:pw@example.com:8080/a/b;c?q=1&r=%20#frag/?", true), ("urn:isbn:0451450523", true),
        ("http://[v7.a:b]/", true), ("http://[::1]:80", true), ("http://h/%41", true), ("s:", true),
        ("http://ex ample.com/", false), ("http://[::1]x/", false), ("http://a:b:80/", false), ("http://[v.x]/", false),
        ("http://h/%4", false), ("http://h/#a#b", false), ("http://h/é", false), ("a//b", false), ("-a:b", false),
    ])
    func uris(text: String, valid: Bool) {
        #expect(URISyntax.isValid(text, requireScheme: true, international: false) == valid, "\(text)")
    }

    @Test(arguments: [
        ("../a:b/c", true), ("?q", true), ("#f", true), ("", true), ("//host", true), ("a:b", true),
        ("a%3Ab:c", false),  // a colon in the first segment makes it a scheme, and "a%3Ab" is not one
        ("[x]", false), ("a\\b", false),
    ])
    func uriReferences(text: String, valid: Bool) {
        #expect(URISyntax.isValid(text, requireScheme: false, international: false) == valid, "\(text)")
    }

    @Test(arguments: [
        ("http://例え.テスト/パス?クエリ#断片", true), ("http://h/?\u{E000}", true),  // private use in the query
        ("http://h/\u{E000}", false),  // but not in the path
        ("http://h/\u{FFFE}", false), ("http://h/\u{85}", false), ("mailto:josé@example.com", true),
    ])
    func iris(text: String, valid: Bool) {
        #expect(URISyntax.isValid(text, requireScheme: true, international: true) == valid, "\(text)")
    }

    @Test(arguments: [
        ("a.b+c@example.com", true), ("\"a\\\"b\"@example.com", true), ("\"a\\\\\"@example.com", true),
        ("a@[IPv6:2001:db8::1]", true), ("a@xn--bcher-kva.example", true),
        ("\"a\"b\"@example.com", false), ("\"ab@example.com", false), ("a@b@example.com", false),
        ("josé@example.com", false),  // non-ASCII needs idn-email
        ("a@xn--bcher.example", false),  // the domain's A-label is checked too
        (String(repeating: "a", count: 65) + "@example.com", false),
    ])
    func emails(text: String, valid: Bool) {
        #expect(Email.isValid(text, international: false) == valid, "\(text)")
    }

    @Test(arguments: [
        ("josé@bücher.example", true), ("\"josé smith\"@example.com", true), ("用户@例子.广告", true),
        ("a@bü cher.example", false), ("jo sé@example.com", false),
        (String(repeating: "é", count: 33) + "@example.com", false),  // 66 octets
        (String(repeating: "é", count: 32) + "@example.com", true),  // 64 octets
    ])
    func internationalEmails(text: String, valid: Bool) {
        #expect(Email.isValid(text, international: true) == valid, "\(text)")
    }
}
