import Foundation

/// Compiles ECMA-262 patterns with ICU (NSRegularExpression), translating the escapes whose
/// meaning differs: in ECMA-262 `\d` and `\w` are ASCII-only, in ICU they are Unicode-wide.
enum ECMARegex {
    static func compile(_ source: String) throws -> NSRegularExpression {
        try NSRegularExpression(pattern: translate(source), options: [])
    }

    static func translate(_ source: String) -> String {
        guard source.contains("\\") || source.contains("$") else { return source }
        var out = ""
        var inClass = false
        var chars = Array(source)[...]
        while let c = chars.popFirst() {
            if c == "\\", let next = chars.popFirst() {
                switch (next, inClass) {
                case ("d", false): out += "[0-9]"
                case ("d", true): out += "0-9"
                case ("D", false): out += "[^0-9]"
                case ("w", false): out += "[a-zA-Z0-9_]"
                case ("w", true): out += "a-zA-Z0-9_"
                case ("W", false): out += "[^a-zA-Z0-9_]"
                // ECMA-262 white space includes U+FEFF, ICU's \s does not.
                case ("s", false): out += "[\\s\\uFEFF]"
                case ("s", true): out += "\\s\\uFEFF"
                case ("S", false): out += "[^\\s\\uFEFF]"
                default: out.append(c); out.append(next)
                }
                continue
            }
            // ECMA-262 `$` matches only at the very end; ICU's also before a final line terminator.
            if c == "$", !inClass {
                out += "\\z"
                continue
            }
            if c == "[", !inClass { inClass = true } else if c == "]", inClass { inClass = false }
            out.append(c)
        }
        return out
    }
}
