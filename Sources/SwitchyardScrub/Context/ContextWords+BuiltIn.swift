extension ContextWords {
    /// Languages with built-in words.
    static let builtInLanguages = ["en", "de", "fr", "es", "it", "nl", "pt", "sv", "da", "no", "pl", "zh", "ja", "ko",
                                   "ar"]

    /// Built-in words per topic and language. Phone and SSN words match as prefixes at a word
    /// start, so `telefon` also covers `Telefonnummer` and `tel` covers `tel.`, `tél` does not
    /// (accented forms are listed); version and reference words, which drop matches, match whole
    /// words only.
    static func builtIn(_ topic: Topic, language: String) -> [String] {
        switch (topic, language) {
        case (.phone, "en"): ["phone", "telephone", "tel", "mobile", "cell", "call", "ring", "fax", "reach",
                              "whatsapp", "sms", "text me", "dial", "mob"]
        case (.phone, "de"): ["telefon", "tel", "handy", "mobil", "rufnummer", "ruf", "anruf", "fax", "festnetz"]
        case (.phone, "fr"): ["téléphone", "telephone", "tél", "tel", "portable", "mobile", "appel", "fixe",
                              "fax"]
        case (.phone, "es"): ["teléfono", "telefono", "tel", "móvil", "movil", "celular", "llám", "llam", "fijo",
                              "fax", "whatsapp"]
        case (.phone, "it"): ["telefono", "tel", "cellulare", "cell", "chiam", "fisso", "fax"]
        case (.phone, "nl"): ["telefoon", "tel", "mobiel", "bellen", "bel me", "bel ons", "bel op", "gsm", "fax"]
        case (.phone, "pt"): ["telefone", "telemóvel", "telemovel", "tel", "celular", "lig", "fax", "whatsapp"]
        case (.phone, "sv"), (.phone, "da"), (.phone, "no"): ["telefon", "tlf", "tel", "mobil", "ring"]
        case (.phone, "pl"): ["telefon", "tel", "komórk", "zadzwoń", "dzwoń"]
        case (.phone, "zh"): ["电话", "電話", "手机", "手機", "联系"]
        case (.phone, "ja"): ["電話", "携帯", "連絡先"]
        case (.phone, "ko"): ["전화", "연락처", "휴대폰"]
        // Arabic writes the article joined to the word (الهاتف, "the phone"): both forms.
        case (.phone, "ar"): ["هاتف", "الهاتف", "جوال", "الجوال", "موبايل", "الموبايل", "تلفون", "اتصل", "واتساب"]
        case (.ssn, "en"): ["ssn", "ss#", "social security", "soc sec", "social sec"]
        case (.ssn, "de"): ["sozialversicherungsnummer", "us-sozialversicherungsnummer"]
        case (.ssn, "fr"): ["numéro de sécurité sociale", "sécurité sociale", "securite sociale"]
        case (.ssn, "es"): ["número de seguro social", "seguro social"]
        case (.ssn, "it"): ["numero di previdenza sociale", "previdenza sociale"]
        case (.ssn, "nl"): ["sociale zekerheid"]
        case (.ssn, "pt"): ["número de segurança social", "segurança social", "seguro social"]
        // Version words and the words that cite a section: a dotted number after them is a
        // version or a section number, not an address. Matched as whole words, so `ver`
        // (Spanish "see") is not `verify` and `zie` not `Ziel`.
        case (.version, "en"): ["version", "build", "release", "firmware", "revision", "see", "section"]
        case (.version, "de"): ["version", "versionsnummer", "build", "release", "firmware", "revision", "siehe",
                                "abschnitt"]
        case (.version, "fr"): ["version", "build", "release", "firmware", "révision", "voir", "section"]
        case (.version, "es"): ["versión", "version", "build", "firmware", "ver", "véase", "sección"]
        case (.version, "it"): ["versione", "version", "build", "release", "firmware", "revisione", "vedi",
                                "sezione"]
        case (.version, "nl"): ["versie", "version", "build", "release", "firmware", "zie", "sectie"]
        case (.version, "pt"): ["versão", "versao", "build", "release", "firmware", "veja", "ver", "seção", "secção"]
        case (.version, "sv"), (.version, "da"): ["version", "build", "release", "firmware", "revision"]
        case (.version, "no"): ["versjon", "version", "build"]
        case (.version, "pl"): ["wersja", "wersji", "build"]
        case (.version, "zh"): ["版本", "版本号"]
        case (.version, "ja"): ["バージョン"]
        case (.version, "ko"): ["버전"]
        case (.version, "ar"): ["إصدار", "الإصدار", "نسخة"]
        // Words that name a number as an order, invoice or document reference: a number after
        // them is that identifier, not a phone number or an address (`Order 13812345678`,
        // `ref=10.4.12.8`). Whole words: `ref` is not `refused`, `order` not `ordered`.
        case (.reference, "en"): ["ref", "reference", "order", "invoice"]
        case (.reference, "de"): ["ref", "referenz", "bestellung", "bestellnummer", "rechnung", "rechnungsnummer"]
        case (.reference, "fr"): ["ref", "réf", "référence", "commande", "facture"]
        case (.reference, "es"): ["ref", "referencia", "pedido", "factura"]
        case (.reference, "it"): ["ref", "rif", "riferimento", "ordine", "fattura"]
        case (.reference, "nl"): ["ref", "referentie", "bestelling", "order", "factuur"]
        case (.reference, "pt"): ["ref", "referência", "referencia", "pedido", "encomenda", "fatura"]
        default: []
        }
    }
}
