import Contracts
import PropertyBased
import Testing

/// The strict reading of request targets, and the path Rabt forwards from a template.
@Suite struct RequestTargetTests {
    static let refused: [(target: String, reason: String)] = [
        ("records/a", "starting with '/'"),
        ("https://other.example/records/a", "starting with '/'"),
        ("/records/../admin", "dot segment ('..')"),
        ("/records/.", "dot segment ('.')"),
        ("/records/%2e%2E/x", "dot segment ('..')"),
        ("/records/.%2e", "dot segment ('..')"),
        ("/records/a%2Fb", "encoded '/'"),
        ("/records/a%5cb", "encoded '\\'"),
        ("/records/a\\b", "a backslash"),
        ("/records/a#frag", "a fragment ('#')"),
        ("/records/a b", "' '"),
        ("/records/caf\u{E9}", "a raw non-ASCII byte"),
        ("/records/a\u{0}b", "a control character"),
        ("/records/a%00b", "control character (U+0000)"),
        ("/records/a%7Fb", "control character (U+007F)"),
        ("/records//a", "empty segment"),
        ("/records/%C0%AE", "does not decode to UTF-8"),
        ("/records/%E9", "does not decode to UTF-8"),
        ("/records/a%2", "malformed percent-escape"),
        ("/records/a%g1", "malformed percent-escape"),
        ("/records/a?q=%00", "control character"),
        ("/records/a?q=1#x", "a fragment"),
        ("/records/a?q=1&&r=2", "empty item"),
        ("/records/a?q=1&", "empty item"),
        ("/records/a?=1", "without a name"),
        ("/records/a?q=%FF", "does not decode to UTF-8"),
    ]

    @Test("refused targets say why", arguments: refused)
    func refusedTarget(_ example: (target: String, reason: String)) {
        do {
            _ = try RequestTarget(example.target)
            Issue.record("\(example.target) was accepted")
        } catch {
            #expect(error.message.contains(example.reason), "\(example.target): \(error.message)")
        }
    }

    @Test func acceptedTargetKeepsItsSegmentsAndDecodesItsQuery() throws {
        let target = try RequestTarget("/records/a%3Bb/x;y/?q=a+b&r=1%2B1&flag")
        #expect(target.path == "/records/a%3Bb/x;y/")
        #expect(target.segments == ["records", "a%3Bb", "x;y", ""])
        #expect(target.query == "q=a+b&r=1%2B1&flag")
        #expect(target.queryItems.map(\.name) == ["q", "r", "flag"])
        #expect(target.queryItems.map(\.value) == ["a b", "1+1", ""])
        #expect(RequestTarget.canonicalQuery(target.queryItems) == "q=a%20b&r=1%2B1&flag=")
        #expect(target.droppingSegments(1).path == "/a%3Bb/x;y/")
        #expect(target.droppingSegments(4).segments == [""])
    }

    // MARK: properties

    static let contract: Contract = {
        do {
            return try Contract(parsing: contractText(paths: """
                  /records/{id}/{part}:
                    get:
                      parameters:
                        - {name: id, in: path, required: true, schema: {type: string}}
                        - {name: part, in: path, required: true, schema: {type: string}}
                      responses:
                        '200': {description: ok}
                  /files/{name}.{ext}:
                    get:
                      parameters:
                        - {name: name, in: path, required: true, schema: {type: string}}
                        - {name: ext, in: path, required: true, schema: {type: string}}
                      responses:
                        '200': {description: ok}
                """))
        } catch {
            fatalError("the test contract does not load: \(error)")
        }
    }()

    /// Pieces a hostile client would put in a path, raw and encoded.
    static let pieces = [
        "a", "B", "7", "-", "_", "~", ".", "..", "%2e", "%2E", "%2F", "%2f", "/", "//", "%5C", "\\", "%00", "%0A", ";", "=", "+",
        "%20", " ", "%C3%A9", "\u{E9}", "%C0%AE", "%", "%zz", ":", "@", "!", "'", "(", "*", ",", "$", "&", "#", "?", "%3F", "%23",
        "%25", "records", "files", "x.y",
    ]

    static let rawTargets = Gen<String?>.element(of: pieces).map { $0 ?? "" }.array(of: 1...10).map { "/" + $0.joined() }

    @Test func whateverIsAcceptedIsForwardedAsTheTemplateFilledWithTheValidatedValues() async {
        await propertyCheck(count: 2000, input: Self.rawTargets) { raw in
            guard let target = try? RequestTarget(raw) else { return }
            // Nothing accepted is a dot segment, however it was written.
            for segment in target.segments {
                let decoded = PercentEncoding.decode(segment)
                #expect(decoded != nil && decoded != "." && decoded != "..", "\(raw)")
            }
            guard case .operation(let match) = Self.contract.route(method: "GET", target: target) else { return }
            // The forwarded path is canonical: it reads back strictly, to the same values.
            let forwarded = try RequestTarget(match.forwardPath)
            guard case .operation(let again) = Self.contract.route(method: "GET", target: forwarded) else {
                Issue.record("\(raw) → \(match.forwardPath) names no operation")
                return
            }
            #expect(again.operation.pathTemplate == match.operation.pathTemplate)
            #expect(again.pathParameters == match.pathParameters, "\(raw)")
            #expect(again.forwardPath == match.forwardPath)
            #expect(match.forwardPath.hasPrefix("/records/") || match.forwardPath.hasPrefix("/files/"))
            #expect(forwarded.segments.count == match.operation.pathTemplate.split(separator: "/").count)
        }
    }

    static let values = Gen<UnicodeScalar>.unicodeScalar(in: " "..."\u{24F}").map(Character.init).string(of: 1...12)

    @Test func everyValueWithoutControlCharactersOrSlashesTravelsUnchanged() async {
        await propertyCheck(count: 2000, input: Self.values, Self.values) { id, part in
            let raw = "/records/\(PercentEncoding.encodeValue(id))/\(PercentEncoding.encodeValue(part))"
            let travels = [id, part].allSatisfy { value in
                ![".", ".."].contains(value) && !value.unicodeScalars.contains { $0 == "/" || $0 == "\\" || $0 == "\u{7F}" }
            }
            guard let target = try? RequestTarget(raw) else {
                #expect(!travels, "\(raw) was refused")
                return
            }
            guard case .operation(let match) = Self.contract.route(method: "GET", target: target) else {
                Issue.record("\(raw) names no operation")
                return
            }
            #expect(travels, "\(raw) was accepted")
            #expect(match.pathParameters == ["id": id, "part": part])
            #expect(match.forwardPath == raw)
        }
    }

    @Test func valuesBesideLiteralTextReadBackToThemselves() async {
        let names = Gen<Character?>.element(of: Array("ab.-_~,%é") as [Character]).map { $0 ?? "a" }.string(of: 1...6)
        await propertyCheck(count: 2000, input: names, names) { name, ext in
            guard ![name, ext].contains("."), ![name, ext].contains("..") else { return }
            let template = "/files/\(PercentEncoding.encodeValue(name)).\(PercentEncoding.encodeValue(ext))"
            guard case .operation(let match) = Self.contract.route(method: "GET", path: template) else { return }
            // Whatever split the matcher chose, the forwarded path reads back to that same split.
            guard case .operation(let again) = Self.contract.route(method: "GET", path: match.forwardPath) else {
                Issue.record("\(match.forwardPath) names no operation")
                return
            }
            #expect(again.pathParameters == match.pathParameters, "\(template) → \(match.forwardPath)")
            #expect(again.forwardPath == match.forwardPath)
        }
    }

    @Test func aDotInsideAValueIsEscapedBesideALiteralDot() throws {
        let match = try #require(Self.contract.match(method: "GET", path: "/files/a%2Eb.pdf"))
        #expect(match.pathParameters == ["name": "a.b", "ext": "pdf"])
        #expect(match.forwardPath == "/files/a%2Eb.pdf")
    }
}
