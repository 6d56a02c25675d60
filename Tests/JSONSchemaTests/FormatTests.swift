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
