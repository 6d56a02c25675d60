/// Joining_Type (Unicode ArabicShaping.txt), for the ZERO WIDTH NON-JOINER rule (RFC 5892 A.1).
/// Tabulated for the Arabic, Syriac, N'Ko, Mandaic, Mongolian and Phags-pa blocks, where the
/// non-joiner is used; other cursive historic scripts count as non-joining, so a ZWNJ there is
/// accepted only after a virama.
enum JoiningType {
    case dual, right, left, joinCausing, transparent, nonJoining

    /// Ranges of explicitly listed code points, sorted, from ArabicShaping.txt (Unicode 12.1).
    private static let table: [(ClosedRange<UInt32>, JoiningType)] = [
        (0x620...0x620, .dual), (0x622...0x625, .right), (0x626...0x626, .dual), (0x627...0x627, .right),
        (0x628...0x628, .dual), (0x629...0x629, .right), (0x62A...0x62E, .dual), (0x62F...0x632, .right),
        (0x633...0x63F, .dual), (0x640...0x640, .joinCausing), (0x641...0x647, .dual), (0x648...0x648, .right),
        (0x649...0x64A, .dual), (0x66E...0x66F, .dual), (0x671...0x673, .right), (0x675...0x677, .right),
        (0x678...0x687, .dual), (0x688...0x699, .right), (0x69A...0x6BF, .dual), (0x6C0...0x6C0, .right),
        (0x6C1...0x6C2, .dual), (0x6C3...0x6CB, .right), (0x6CC...0x6CC, .dual), (0x6CD...0x6CD, .right),
        (0x6CE...0x6CE, .dual), (0x6CF...0x6CF, .right), (0x6D0...0x6D1, .dual), (0x6D2...0x6D3, .right),
        (0x6D5...0x6D5, .right), (0x6EE...0x6EF, .right), (0x6FA...0x6FC, .dual), (0x6FF...0x6FF, .dual),
        (0x70F...0x70F, .transparent), (0x710...0x710, .right), (0x712...0x714, .dual), (0x715...0x719, .right),
        (0x71A...0x71D, .dual), (0x71E...0x71E, .right), (0x71F...0x727, .dual), (0x728...0x728, .right),
        (0x729...0x729, .dual), (0x72A...0x72A, .right), (0x72B...0x72B, .dual), (0x72C...0x72C, .right),
        (0x72D...0x72E, .dual), (0x72F...0x72F, .right), (0x74D...0x74D, .right), (0x74E...0x758, .dual),
        (0x759...0x75B, .right), (0x75C...0x76A, .dual), (0x76B...0x76C, .right), (0x76D...0x770, .dual),
        (0x771...0x771, .right), (0x772...0x772, .dual), (0x773...0x774, .right), (0x775...0x777, .dual),
        (0x778...0x779, .right), (0x77A...0x77F, .dual), (0x7CA...0x7EA, .dual), (0x7FA...0x7FA, .joinCausing),
        (0x840...0x840, .right), (0x841...0x845, .dual), (0x846...0x847, .right), (0x848...0x848, .dual),
        (0x849...0x849, .right), (0x84A...0x853, .dual), (0x854...0x854, .right), (0x855...0x855, .dual),
        (0x860...0x860, .dual), (0x862...0x865, .dual), (0x867...0x867, .right), (0x868...0x868, .dual),
        (0x869...0x86A, .right), (0x8A0...0x8A9, .dual), (0x8AA...0x8AC, .right), (0x8AE...0x8AE, .right),
        (0x8AF...0x8B0, .dual), (0x8B1...0x8B2, .right), (0x8B3...0x8B4, .dual), (0x8B6...0x8B8, .dual),
        (0x8B9...0x8B9, .right), (0x8BA...0x8BD, .dual), (0x8C5...0x8C6, .dual), (0x1807...0x1807, .dual),
        (0x180A...0x180A, .joinCausing), (0x1820...0x1878, .dual), (0x1887...0x18A8, .dual), (0x18AA...0x18AA, .dual),
        (0x200C...0x200C, .nonJoining), (0x200D...0x200D, .joinCausing), (0xA840...0xA871, .dual), (0xA872...0xA872, .left),
    ]

    /// The joining type of `c`; unlisted marks and format characters are transparent.
    static func of(_ c: Unicode.Scalar) -> JoiningType {
        var low = 0, high = table.count
        while low < high {
            let mid = (low + high) / 2
            if table[mid].0.upperBound < c.value { low = mid + 1 } else { high = mid }
        }
        if low < table.count, table[low].0.contains(c.value) { return table[low].1 }
        switch c.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format: return .transparent
        default: return .nonJoining
        }
    }
}

/// Script membership needed by the CONTEXTO rules, as block-level ranges from Unicode Scripts.txt
/// (code points of other scripts inside these ranges are excluded where they are assigned).
enum Script {
    /// Script=Greek: Greek and Coptic without its Coptic letters and Common punctuation, Greek
    /// Extended, phonetic Greek letters, OHM SIGN, ancient Greek numbers and musical notation.
    static func isGreek(_ v: UInt32) -> Bool {
        switch v {
        case 0x374, 0x37E, 0x385, 0x387, 0x3E2...0x3EF: return false
        case 0x370...0x3FF, 0x1D26...0x1D2A, 0x1D5D...0x1D61, 0x1D66...0x1D6A, 0x1DBF, 0x1F00...0x1FFF, 0x2126, 0xAB65,
            0x10140...0x1018F, 0x101A0, 0x1D200...0x1D24F:
            return true
        default: return false
        }
    }

    /// Script=Hebrew: the Hebrew block's marks and letters and the presentation forms.
    static func isHebrew(_ v: UInt32) -> Bool {
        (0x591...0x5F4).contains(v) || (0xFB1D...0xFB4F).contains(v)
    }

    /// Script=Hiragana, Katakana or Han (KATAKANA MIDDLE DOT itself and the prolonged sound mark
    /// are Common).
    static func isHiraganaKatakanaOrHan(_ v: UInt32) -> Bool {
        switch v {
        case 0x3041...0x3096, 0x309D...0x309F, 0x1B001...0x1B11F, 0x1B132, 0x1B150...0x1B152, 0x1F200: return true  // Hiragana
        case 0x30A1...0x30FA, 0x30FD...0x30FF, 0x31F0...0x31FF, 0x32D0...0x32FE, 0x3300...0x3357, 0xFF66...0xFF6F,
            0xFF71...0xFF9D, 0x1AFF0...0x1AFFE, 0x1B000, 0x1B120...0x1B122, 0x1B155, 0x1B164...0x1B167:
            return true  // Katakana
        case 0x2E80...0x2FDF, 0x3005, 0x3007, 0x3021...0x3029, 0x3038...0x303B, 0x3400...0x4DBF, 0x4E00...0x9FFF,
            0xF900...0xFAFF, 0x16FE2...0x16FE3, 0x16FF0...0x16FF1, 0x20000...0x3FFFF:
            return true  // Han
        default: return false
        }
    }
}
