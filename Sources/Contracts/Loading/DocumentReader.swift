import Foundation
import JSONSchema

/// Reads a JSON or YAML document (JSON when the first non-blank character is `{` or `[`).
public enum DocumentReader {
    /// The document in `text` as a JSON value.
    public static func value(parsing text: String) throws(ContractError) -> JSONValue {
        try read(text).value
    }

    /// The document in UTF-8 `bytes` (a leading byte order mark is skipped) as a JSON value.
    public static func value(parsing bytes: some Collection<UInt8>) throws(ContractError) -> JSONValue {
        try value(parsing: text(of: bytes))
    }

    /// The document and where each of its values came from (YAML only; JSON errors carry line and column).
    static func read(_ text: String) throws(ContractError) -> (value: JSONValue, sourceMap: SourceMap) {
        let first = text.first(where: { !$0.isWhitespace })
        guard first == "{" || first == "[" else { return try YAMLReader.read(text) }
        do {
            return (try JSONValue(parsing: text), SourceMap())
        } catch {
            throw ContractError(.syntax, at: "", line: error.line, column: error.column,
                                "JSON: \(error.message)", underlying: error)
        }
    }

    /// `bytes` as text, refusing anything that is not UTF-8.
    static func text(of bytes: some Collection<UInt8>) throws(ContractError) -> String {
        var bytes = Array(bytes)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw ContractError(.syntax, at: "", "the document is not UTF-8 text")
        }
        return text
    }

    /// The bytes of the file at `path`; a failure names the file and says why in plain words.
    static func contents(ofFile path: String) throws(ContractError) -> Data {
        var isDirectory: ObjCBool = false
        let reason: String
        if !FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
            reason = "no such file"
        } else if isDirectory.boolValue {
            reason = "it is a folder, not a file"
        } else {
            do {
                return try Data(contentsOf: URL(fileURLWithPath: path))
            } catch {
                reason = FileManager.default.isReadableFile(atPath: path) ? "the file could not be read" : "permission denied"
            }
        }
        var failure = ContractError(.unreadable, at: "", "cannot read the file: \(reason)")
        failure.source = path
        throw failure
    }
}
