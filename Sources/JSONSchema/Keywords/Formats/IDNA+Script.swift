extension IDNA {
    /// Script membership needed by the CONTEXTO rules, as ranges from Unicode Scripts.txt. Ranges
    /// are block-level where that is exact for assigned code points; unassigned code points inside
    /// them may count as the script, which is harmless since IDNA rejects them anyway.
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
                0xF900...0xFAFF, 0x16FE2...0x16FE3, 0x16FF0...0x16FF3, 0x20000...0x3FFFF:
                return true  // Han
            default: return false
            }
        }
    }
}
