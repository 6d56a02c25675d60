/// Property names an ECMA-262 `\p{…}` may use (ECMA-262 tables 67 and 68, from Unicode's
/// PropertyAliases.txt and PropertyValueAliases.txt), and the code points each stands for.
enum UnicodePropertyNames {
    /// General_Category values, short and long names, with the categories each groups.
    static let generalCategories: [String: [Unicode.GeneralCategory]] = {
        let groups: [([String], [Unicode.GeneralCategory])] = [
            (["C", "Other"], [.control, .format, .unassigned, .privateUse, .surrogate]),
            (["Cc", "Control", "cntrl"], [.control]), (["Cf", "Format"], [.format]),
            (["Cn", "Unassigned"], [.unassigned]), (["Co", "Private_Use"], [.privateUse]),
            (["Cs", "Surrogate"], [.surrogate]),
            (["L", "Letter"], [.uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter]),
            (["LC", "Cased_Letter"], [.uppercaseLetter, .lowercaseLetter, .titlecaseLetter]),
            (["Ll", "Lowercase_Letter"], [.lowercaseLetter]), (["Lm", "Modifier_Letter"], [.modifierLetter]),
            (["Lo", "Other_Letter"], [.otherLetter]), (["Lt", "Titlecase_Letter"], [.titlecaseLetter]),
            (["Lu", "Uppercase_Letter"], [.uppercaseLetter]),
            (["M", "Mark", "Combining_Mark"], [.spacingMark, .enclosingMark, .nonspacingMark]),
            (["Mc", "Spacing_Mark"], [.spacingMark]), (["Me", "Enclosing_Mark"], [.enclosingMark]),
            (["Mn", "Nonspacing_Mark"], [.nonspacingMark]),
            (["N", "Number"], [.decimalNumber, .letterNumber, .otherNumber]),
            (["Nd", "Decimal_Number", "digit"], [.decimalNumber]), (["Nl", "Letter_Number"], [.letterNumber]),
            (["No", "Other_Number"], [.otherNumber]),
            (["P", "Punctuation", "punct"], [
                .connectorPunctuation, .dashPunctuation, .closePunctuation, .finalPunctuation,
                .initialPunctuation, .otherPunctuation, .openPunctuation,
            ]),
            (["Pc", "Connector_Punctuation"], [.connectorPunctuation]), (["Pd", "Dash_Punctuation"], [.dashPunctuation]),
            (["Pe", "Close_Punctuation"], [.closePunctuation]), (["Pf", "Final_Punctuation"], [.finalPunctuation]),
            (["Pi", "Initial_Punctuation"], [.initialPunctuation]), (["Po", "Other_Punctuation"], [.otherPunctuation]),
            (["Ps", "Open_Punctuation"], [.openPunctuation]),
            (["S", "Symbol"], [.currencySymbol, .modifierSymbol, .mathSymbol, .otherSymbol]),
            (["Sc", "Currency_Symbol"], [.currencySymbol]), (["Sk", "Modifier_Symbol"], [.modifierSymbol]),
            (["Sm", "Math_Symbol"], [.mathSymbol]), (["So", "Other_Symbol"], [.otherSymbol]),
            (["Z", "Separator"], [.lineSeparator, .paragraphSeparator, .spaceSeparator]),
            (["Zl", "Line_Separator"], [.lineSeparator]), (["Zp", "Paragraph_Separator"], [.paragraphSeparator]),
            (["Zs", "Space_Separator"], [.spaceSeparator]),
        ]
        var table: [String: [Unicode.GeneralCategory]] = [:]
        for (names, categories) in groups {
            for name in names { table[name] = categories }
        }
        return table
    }()

    /// Binary properties usable without a value, canonical names and aliases.
    static let binary: Set<String> = [
        "ASCII", "ASCII_Hex_Digit", "AHex", "Alphabetic", "Alpha", "Any", "Assigned", "Bidi_Control", "Bidi_C",
        "Bidi_Mirrored", "Bidi_M", "Case_Ignorable", "CI", "Cased", "Changes_When_Casefolded", "CWCF",
        "Changes_When_Casemapped", "CWCM", "Changes_When_Lowercased", "CWL", "Changes_When_NFKC_Casefolded",
        "CWKCF", "Changes_When_Titlecased", "CWT", "Changes_When_Uppercased", "CWU", "Dash", "Default_Ignorable_Code_Point",
        "DI", "Deprecated", "Dep", "Diacritic", "Dia", "Emoji", "Emoji_Component", "EComp", "Emoji_Modifier", "EMod",
        "Emoji_Modifier_Base", "EBase", "Emoji_Presentation", "EPres", "Extended_Pictographic", "ExtPict", "Extender",
        "Ext", "Grapheme_Base", "Gr_Base", "Grapheme_Extend", "Gr_Ext", "Hex_Digit", "Hex", "IDS_Binary_Operator",
        "IDSB", "IDS_Trinary_Operator", "IDST", "ID_Continue", "IDC", "ID_Start", "IDS", "Ideographic", "Ideo",
        "Join_Control", "Join_C", "Logical_Order_Exception", "LOE", "Lowercase", "Lower", "Math",
        "Noncharacter_Code_Point", "NChar", "Pattern_Syntax", "Pat_Syn", "Pattern_White_Space", "Pat_WS",
        "Quotation_Mark", "QMark", "Radical", "Regional_Indicator", "RI", "Sentence_Terminal", "STerm",
        "Soft_Dotted", "SD", "Terminal_Punctuation", "Term", "Unified_Ideograph", "UIdeo", "Uppercase", "Upper",
        "Variation_Selector", "VS", "White_Space", "space", "XID_Continue", "XIDC", "XID_Start", "XIDS",
    ]

    /// Whether a scalar has the binary property `name`, from the Swift runtime's Unicode tables;
    /// nil for the two properties Swift does not expose (Emoji_Component, Extended_Pictographic)
    /// and for names that are not binary properties.
    static func binaryTest(_ name: String) -> (@Sendable (Unicode.Scalar) -> Bool)? {
        switch name {
        case "ASCII": return { $0.isASCII }
        case "ASCII_Hex_Digit", "AHex": return { $0.properties.isASCIIHexDigit }
        case "Alphabetic", "Alpha": return { $0.properties.isAlphabetic }
        case "Any": return { _ in true }
        case "Assigned": return { $0.properties.generalCategory != .unassigned }
        case "Bidi_Control", "Bidi_C": return { $0.properties.isBidiControl }
        case "Bidi_Mirrored", "Bidi_M": return { $0.properties.isBidiMirrored }
        case "Case_Ignorable", "CI": return { $0.properties.isCaseIgnorable }
        case "Cased": return { $0.properties.isCased }
        case "Changes_When_Casefolded", "CWCF": return { $0.properties.changesWhenCaseFolded }
        case "Changes_When_Casemapped", "CWCM": return { $0.properties.changesWhenCaseMapped }
        case "Changes_When_Lowercased", "CWL": return { $0.properties.changesWhenLowercased }
        case "Changes_When_NFKC_Casefolded", "CWKCF": return { $0.properties.changesWhenNFKCCaseFolded }
        case "Changes_When_Titlecased", "CWT": return { $0.properties.changesWhenTitlecased }
        case "Changes_When_Uppercased", "CWU": return { $0.properties.changesWhenUppercased }
        case "Dash": return { $0.properties.isDash }
        case "Default_Ignorable_Code_Point", "DI": return { $0.properties.isDefaultIgnorableCodePoint }
        case "Deprecated", "Dep": return { $0.properties.isDeprecated }
        case "Diacritic", "Dia": return { $0.properties.isDiacritic }
        case "Emoji": return { $0.properties.isEmoji }
        case "Emoji_Modifier", "EMod": return { $0.properties.isEmojiModifier }
        case "Emoji_Modifier_Base", "EBase": return { $0.properties.isEmojiModifierBase }
        case "Emoji_Presentation", "EPres": return { $0.properties.isEmojiPresentation }
        case "Extender", "Ext": return { $0.properties.isExtender }
        case "Grapheme_Base", "Gr_Base": return { $0.properties.isGraphemeBase }
        case "Grapheme_Extend", "Gr_Ext": return { $0.properties.isGraphemeExtend }
        case "Hex_Digit", "Hex": return { $0.properties.isHexDigit }
        case "IDS_Binary_Operator", "IDSB": return { $0.properties.isIDSBinaryOperator }
        case "IDS_Trinary_Operator", "IDST": return { $0.properties.isIDSTrinaryOperator }
        case "ID_Continue", "IDC": return { $0.properties.isIDContinue }
        case "ID_Start", "IDS": return { $0.properties.isIDStart }
        case "Ideographic", "Ideo": return { $0.properties.isIdeographic }
        case "Join_Control", "Join_C": return { $0.properties.isJoinControl }
        case "Logical_Order_Exception", "LOE": return { $0.properties.isLogicalOrderException }
        case "Lowercase", "Lower": return { $0.properties.isLowercase }
        case "Math": return { $0.properties.isMath }
        case "Noncharacter_Code_Point", "NChar": return { $0.properties.isNoncharacterCodePoint }
        case "Pattern_Syntax", "Pat_Syn": return { $0.properties.isPatternSyntax }
        case "Pattern_White_Space", "Pat_WS": return { $0.properties.isPatternWhitespace }
        case "Quotation_Mark", "QMark": return { $0.properties.isQuotationMark }
        case "Radical": return { $0.properties.isRadical }
        case "Regional_Indicator", "RI": return { (0x1F1E6...0x1F1FF).contains($0.value) }
        case "Sentence_Terminal", "STerm": return { $0.properties.isSentenceTerminal }
        case "Soft_Dotted", "SD": return { $0.properties.isSoftDotted }
        case "Terminal_Punctuation", "Term": return { $0.properties.isTerminalPunctuation }
        case "Unified_Ideograph", "UIdeo": return { $0.properties.isUnifiedIdeograph }
        case "Uppercase", "Upper": return { $0.properties.isUppercase }
        case "Variation_Selector", "VS": return { $0.properties.isVariationSelector }
        case "White_Space", "space": return { $0.properties.isWhitespace }
        case "XID_Continue", "XIDC": return { $0.properties.isXIDContinue }
        case "XID_Start", "XIDS": return { $0.properties.isXIDStart }
        default: return nil
        }
    }
}
