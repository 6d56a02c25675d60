import Foundation

/// IDNA2008 rules for one U-label: derived properties (RFC 5892 §2–3), hyphen and combining-mark
/// restrictions (RFC 5891 §4.2.3) and the CONTEXTJ/CONTEXTO rules (RFC 5892 appendix A).
/// Derived properties are computed from the Unicode properties the standard library exposes, so
/// they follow the toolchain's Unicode version. "Unstable" (RFC 5892 §2.2) is approximated by
/// Changes_When_NFKC_Casefolded, which differs only for default-ignorable code points, which
/// are DISALLOWED anyway.
enum IDNA {
    /// The IDNA2008 derived property value of a code point.
    enum Property {
        case pvalid, contextJ, contextO, disallowed, unassigned
    }

    /// Whether `label` (lowercase ASCII already folded by the caller) is a valid U-label apart from
    /// its NFC form, its length and the Bidi rule, which depend on the caller's context.
    static func isValidULabel(_ label: [Unicode.Scalar]) -> Bool {
        guard let first = label.first, first != "-", label.last != "-" else { return false }
        if label.count >= 4, label[2] == "-", label[3] == "-" { return false }
        switch first.properties.generalCategory {
        case .nonspacingMark, .spacingMark, .enclosingMark: return false
        default: break
        }
        for index in label.indices {
            switch property(label[index]) {
            case .pvalid: continue
            case .contextJ: guard contextJ(label, index) else { return false }
            case .contextO: guard contextO(label, index) else { return false }
            case .disallowed, .unassigned: return false
            }
        }
        return true
    }

    /// Whether `label` is in Unicode Normalization Form C.
    static func isNFC(_ label: [Unicode.Scalar]) -> Bool {
        let text = String(String.UnicodeScalarView(label))
        return text.precomposedStringWithCanonicalMapping.unicodeScalars.elementsEqual(label)
    }

    /// RFC 5892 §3: the derived property, rules applied in the RFC's order.
    static func property(_ c: Unicode.Scalar) -> Property {
        switch c.value {
        // F: Exceptions (§2.6).
        case 0xDF, 0x3C2, 0x6FD, 0x6FE, 0xF0B, 0x3007: return .pvalid
        case 0xB7, 0x375, 0x5F3, 0x5F4, 0x30FB, 0x660...0x669, 0x6F0...0x6F9: return .contextO
        case 0x640, 0x7FA, 0x302E, 0x302F, 0x3031...0x3035, 0x303B: return .disallowed
        default: break
        }
        // G: BackwardCompatible is empty.
        let p = c.properties
        if p.generalCategory == .unassigned, !p.isNoncharacterCodePoint { return .unassigned }  // J
        switch c {
        case "a"..."z", "0"..."9", "-": return .pvalid  // H: LDH
        case "\u{200C}", "\u{200D}": return .contextJ  // I: JoinControl
        default: break
        }
        if p.changesWhenNFKCCaseFolded { return .disallowed }  // B: Unstable
        if p.isDefaultIgnorableCodePoint || p.isWhitespace || p.isNoncharacterCodePoint { return .disallowed }  // C
        switch c.value {
        // D: IgnorableBlocks (Combining Diacritical Marks for Symbols, Musical Symbols,
        // Ancient Greek Musical Notation).
        case 0x20D0...0x20FF, 0x1D100...0x1D24F: return .disallowed
        // E: OldHangulJamo (Hangul_Syllable_Type L, V, T: Hangul Jamo and its extensions A/B).
        case 0x1100...0x11FF, 0xA960...0xA97F, 0xD7B0...0xD7FF: return .disallowed
        default: break
        }
        switch p.generalCategory {  // A: LetterDigits
        case .lowercaseLetter, .uppercaseLetter, .otherLetter, .decimalNumber, .modifierLetter, .nonspacingMark, .spacingMark:
            return .pvalid
        default:
            return .disallowed
        }
    }

    /// RFC 5892 appendix A.1 (ZERO WIDTH NON-JOINER) and A.2 (ZERO WIDTH JOINER).
    private static func contextJ(_ label: [Unicode.Scalar], _ index: Int) -> Bool {
        if index > 0, label[index - 1].properties.canonicalCombiningClass.rawValue == 9 { return true }  // Virama
        guard label[index] == "\u{200C}" else { return false }
        // (Joining_Type:{L,D})(Joining_Type:T)*\u200C(Joining_Type:T)*(Joining_Type:{R,D})
        var before = index - 1
        while before >= 0, JoiningType.of(label[before]) == .transparent { before -= 1 }
        var after = index + 1
        while after < label.count, JoiningType.of(label[after]) == .transparent { after += 1 }
        guard before >= 0, after < label.count else { return false }
        let left = JoiningType.of(label[before]), right = JoiningType.of(label[after])
        return (left == .left || left == .dual) && (right == .right || right == .dual)
    }

    /// RFC 5892 appendix A.3–A.9.
    private static func contextO(_ label: [Unicode.Scalar], _ index: Int) -> Bool {
        let before = index > 0 ? label[index - 1] : nil
        let after = index + 1 < label.count ? label[index + 1] : nil
        switch label[index].value {
        case 0xB7: return before == "l" && after == "l"  // MIDDLE DOT
        case 0x375: return after.map { Script.isGreek($0.value) } ?? false  // GREEK LOWER NUMERAL SIGN (KERAIA)
        case 0x5F3, 0x5F4: return before.map { Script.isHebrew($0.value) } ?? false  // GERESH, GERSHAYIM
        case 0x30FB: return label.contains { Script.isHiraganaKatakanaOrHan($0.value) }  // KATAKANA MIDDLE DOT
        case 0x660...0x669: return !label.contains { (0x6F0...0x6F9).contains($0.value) }  // ARABIC-INDIC DIGITS
        case 0x6F0...0x6F9: return !label.contains { (0x660...0x669).contains($0.value) }  // EXTENDED ARABIC-INDIC
        default: return false
        }
    }
}
