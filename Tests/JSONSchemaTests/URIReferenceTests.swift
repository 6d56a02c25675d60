import Testing

@testable import JSONSchema

@Suite struct URIReferenceTests {
    /// RFC 3986 §5.4 reference resolution examples (base "http://a/b/c/d;p?q").
    @Test(arguments: [
        ("g:h", "g:h"), ("g", "http://a/b/c/g"), ("./g", "http://a/b/c/g"), ("g/", "http://a/b/c/g/"),
        ("/g", "http://a/g"), ("//g", "http://g"), ("?y", "http://a/b/c/d;p?y"), ("g?y", "http://a/b/c/g?y"),
        ("#s", "http://a/b/c/d;p?q#s"), ("g#s", "http://a/b/c/g#s"), ("", "http://a/b/c/d;p?q"),
        (".", "http://a/b/c/"), ("./", "http://a/b/c/"), ("..", "http://a/b/"), ("../", "http://a/b/"),
        ("../g", "http://a/b/g"), ("../..", "http://a/"), ("../../g", "http://a/g"), ("../../../g", "http://a/g"),
        ("/./g", "http://a/g"), ("/../g", "http://a/g"), ("g.", "http://a/b/c/g."), ("..g", "http://a/b/c/..g"),
        ("./../g", "http://a/b/g"), ("g/./h", "http://a/b/c/g/h"), ("g/../h", "http://a/b/c/h"),
    ])
    func resolvesLikeRFC3986(reference: String, expected: String) {
        #expect(URIReference.resolve(reference, against: "http://a/b/c/d;p?q") == expected)
    }

    @Test func resolvesAgainstURNs() {
        let base = "urn:rabt:contract:moj/criminal-record-certificate/1"
        #expect(URIReference.resolve("#/components/schemas/X", against: base) == base + "#/components/schemas/X")
        #expect(URIReference.splitFragment(base + "#/a%20b/~1c").fragment == "/a b/~1c")
    }

    @Test func jsonPointersEscapeAndResolve() {
        #expect(JSONPointer.text(["a/b", "c~d", "0"]) == "/a~1b/c~0d/0")
        #expect(JSONPointer.tokens("/a~1b/c~0d/0") == ["a/b", "c~d", "0"])
        #expect(JSONPointer.tokens("a") == nil)
        let doc: JSONValue = ["a/b": [10, 20]]
        #expect(JSONPointer.resolve(["a/b", "1"], in: doc) == 20)
        #expect(JSONPointer.resolve(["a/b", "01"], in: doc) == nil)
    }
}
