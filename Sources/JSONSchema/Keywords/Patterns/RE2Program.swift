import CRE2

/// A pattern compiled by RE2: matching takes time linear in the text, whatever the pattern and
/// the text, and never backtracks. Owns its C handle and frees it once, when released.
///
/// Matching is a C call but not a blocking one: CPU work bounded by the text's length, no I/O,
/// RE2's lock held only while it extends its automaton. So it runs on the caller's thread, the
/// cooperative pool included, as the rest of validation does.
///
/// `@unchecked Sendable`: the only state is the handle, set once in `init`; RE2 documents that a
/// compiled `RE2` may be used for matching from many threads at once (it guards the automata it
/// builds lazily with its own lock), and the handle is freed only in `deinit`, when no thread
/// can hold the object any longer.
final class RE2Program: @unchecked Sendable {
    /// Why RE2 refused a pattern, in RE2's words.
    struct CompileError: Error, Sendable {
        let message: String
    }

    /// Memory RE2 may use for one pattern's program and its automata. Smaller than RE2's default
    /// (8 MiB): a contract pattern needs a few KiB, and the bound caps what a huge pattern could
    /// cost per byte of text; past it RE2 refuses the pattern (or, for the automata at match
    /// time, falls back to its slower but still linear simulation).
    static let maximumMemory: Int64 = 2 << 20

    private let handle: OpaquePointer

    /// Compiles `pattern`, written in RE2's syntax.
    init(_ pattern: String) throws(CompileError) {
        var error = [CChar](repeating: 0, count: 256)
        let compiled = pattern.utf8CString.withUnsafeBufferPointer { source in
            rabt_re2_compile(source.baseAddress!, source.count - 1, Self.maximumMemory, &error, error.count)
        }
        guard let compiled else {
            throw CompileError(message: String(decoding: error.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        handle = compiled
    }

    deinit {
        rabt_re2_free(handle)
    }

    /// Whether the pattern matches somewhere in `text`.
    func matches(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            bytes.withMemoryRebound(to: CChar.self) { rabt_re2_partial_match(handle, $0.baseAddress, $0.count) }
        }
    }
}
