import Signing
import Testing

/// Runs `body` and records an issue unless it throws a ``SigningError`` with `code` (and `text` in its message).
func expectSigningError(
    _ code: SigningError.Code,
    containing text: String? = nil,
    sourceLocation: SourceLocation = #_sourceLocation,
    _ body: () async throws -> Void
) async {
    do {
        try await body()
        Issue.record("expected \(code), but nothing was thrown", sourceLocation: sourceLocation)
    } catch let error as SigningError {
        #expect(error.code == code, "\(error)", sourceLocation: sourceLocation)
        if let text {
            #expect(error.message.contains(text), "\(error.message)", sourceLocation: sourceLocation)
        }
    } catch {
        Issue.record("expected \(code), got \(error)", sourceLocation: sourceLocation)
    }
}
