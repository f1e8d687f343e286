#!/usr/bin/env python3
"""Generates the labelled PII evaluation set (JSON lines) with Faker, independently of any detector.

Every label is a value Faker produced (or that value encoded the way real text encodes it), with
its character span in the record's text. Look-alikes (dates, UUIDs, versions, order and tracking
numbers, ISBNs, timestamps, prices, coordinates, Luhn-valid reference numbers) are labelled too,
so false positives can be counted per kind.

    python3 scripts/pii_eval/generate.py --seed 15 --out scripts/pii_eval/evalset.jsonl
"""
import argparse
import datetime
import json
import random
import sys
import urllib.parse

from faker import Faker

# Faker locales with phone data, covering the markets of issue 15 that Faker knows (it has no
# phone data for ZA, NG, SG or HK; those are covered by the Swift tests only).
LOCALES = [
    "en_US", "en_CA", "en_GB", "de_DE", "fr_FR", "es_ES", "it_IT", "nl_NL", "nl_BE", "de_CH",
    "de_AT", "sv_SE", "no_NO", "da_DK", "pl_PL", "pt_PT", "en_IE", "en_IN", "pt_BR", "es_MX",
    "es_AR", "ja_JP", "ko_KR", "zh_CN", "en_AU", "en_NZ", "zh_TW", "fr_CH", "it_CH", "ar_AE",
]

LANG_TEMPLATES = {
    "en": {
        "phone": ["Call me at {v} tomorrow.", "My phone number is {v}.", "You can reach Anna on {v} after 5pm.",
                  "mobile: {v}", "Tel. {v} (office)", "Please phone {v} to confirm."],
        "email": ["Send it to {v} please.", "Contact: {v}", "I wrote to {v} yesterday."],
        "generic": ["The value is {v}, keep it safe.", "Here it is: {v}", "{v} was in the form."],
        "lookalike": ["The reference {v} is on the invoice.", "See {v} for details.", "It says {v} at the top."],
    },
    "de": {
        "phone": ["Ruf mich unter {v} an.", "Telefon: {v}", "Meine Handynummer ist {v}.", "Tel. {v} (Büro)"],
        "email": ["Bitte an {v} schicken.", "E-Mail: {v}"],
        "generic": ["Der Wert lautet {v}, bitte sicher aufbewahren.", "Hier ist er: {v}"],
        "lookalike": ["Die Referenz {v} steht auf der Rechnung.", "Siehe {v} für Details."],
    },
    "fr": {
        "phone": ["Appelez-moi au {v} demain.", "Téléphone : {v}", "Mon numéro de portable est le {v}.", "tél. {v}"],
        "email": ["Envoyez-le à {v} s'il vous plaît.", "Courriel : {v}"],
        "generic": ["La valeur est {v}, gardez-la.", "La voici : {v}"],
        "lookalike": ["La référence {v} figure sur la facture.", "Voir {v} pour les détails."],
    },
    "es": {
        "phone": ["Llámame al {v} mañana.", "Teléfono: {v}", "Mi número de móvil es {v}.", "tel. {v}"],
        "email": ["Envíalo a {v} por favor.", "Correo: {v}"],
        "generic": ["El valor es {v}, guárdalo.", "Aquí está: {v}"],
        "lookalike": ["La referencia {v} está en la factura.", "Ver {v} para más detalles."],
    },
    "it": {
        "phone": ["Chiamami al {v} domani.", "Telefono: {v}", "Il mio cellulare è {v}.", "tel. {v}"],
        "email": ["Mandalo a {v} per favore.", "Email: {v}"],
        "generic": ["Il valore è {v}, conservalo.", "Eccolo: {v}"],
        "lookalike": ["Il riferimento {v} è sulla fattura.", "Vedi {v} per i dettagli."],
    },
    "nl": {
        "phone": ["Bel me op {v} morgen.", "Telefoon: {v}", "Mijn mobiele nummer is {v}.", "tel. {v}"],
        "email": ["Stuur het naar {v} alsjeblieft.", "E-mail: {v}"],
        "generic": ["De waarde is {v}, bewaar die goed.", "Hier is het: {v}"],
        "lookalike": ["De referentie {v} staat op de factuur.", "Zie {v} voor details."],
    },
    "pt": {
        "phone": ["Liga-me para o {v} amanhã.", "Telefone: {v}", "O meu telemóvel é {v}.", "Meu celular é {v}."],
        "email": ["Envie para {v} por favor.", "E-mail: {v}"],
        "generic": ["O valor é {v}, guarde-o.", "Aqui está: {v}"],
        "lookalike": ["A referência {v} está na fatura.", "Veja {v} para detalhes."],
    },
    "sv": {"phone": ["Ring mig på {v} i morgon.", "Telefon: {v}"], "generic": ["Värdet är {v}."]},
    "no": {"phone": ["Ring meg på {v} i morgen.", "Telefon: {v}"], "generic": ["Verdien er {v}."]},
    "da": {"phone": ["Ring til mig på {v} i morgen.", "Telefon: {v}"], "generic": ["Værdien er {v}."]},
    "pl": {"phone": ["Zadzwoń do mnie pod {v} jutro.", "Telefon: {v}"], "generic": ["Wartość to {v}."]},
    "ja": {"phone": ["電話番号は{v}です。", "携帯: {v}"], "generic": ["値は{v}です。"]},
    "ko": {"phone": ["전화번호는 {v}입니다.", "연락처: {v}"], "generic": ["값은 {v}입니다."]},
    "zh": {"phone": ["我的电话是{v}。", "手机：{v}"], "generic": ["数值是{v}。"]},
    "ar": {"phone": ["رقم الهاتف {v} شكرا", "هاتف: {v}"], "generic": ["القيمة {v}"]},
}

# Words a person writes right before a bare-digit number (the "bare" phone and SSN formats).
PHONE_CONTEXT = {"en": "phone", "de": "Telefon", "fr": "téléphone", "es": "teléfono", "it": "telefono",
                 "nl": "telefoon", "pt": "telefone", "sv": "telefon", "no": "telefon", "da": "telefon",
                 "pl": "telefon", "ja": "phone", "ko": "phone", "zh": "phone", "ar": "phone"}


def templates(lang, kind):
    table = LANG_TEMPLATES.get(lang, LANG_TEMPLATES["en"])
    return table.get(kind) or LANG_TEMPLATES["en"].get(kind) or table["generic"]


class Builder:
    """Accumulates records: text plus labelled spans."""

    def __init__(self, rng):
        self.rng = rng
        self.records = []

    def add(self, template, value, label):
        start = template.index("{v}")
        text = template.replace("{v}", value, 1)
        label = dict(label, start=start, end=start + len(value))
        self.records.append({"text": text, "labels": [label]})


def luhn_complete(digits):
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return digits + str((10 - total % 10) % 10)


def container(rng, lang, kind, value, key):
    """A sentence in the locale's language, or a JSON object, CSV row or log line around `value`."""
    shape = rng.choice(["sentence", "sentence", "json", "csv", "log"])
    if shape == "json":
        return shape, '{"id": 4821, "' + key + '": "{v}", "active": true}'
    if shape == "csv":
        return shape, "4821,Jane Doe,{v},Springfield"
    if shape == "log":
        return shape, "2024-05-01T12:03:44Z INFO request accepted " + key + "={v} status=200"
    return shape, rng.choice(templates(lang, kind))


def service_numbers(fake):
    """The locale's emergency and public-service numbers as Faker itself classifies them (its
    `services_phones_formats`: ar_AE `999` police, `998` ambulance, `997` fire, `901`, `991`…),
    which ar_AE's phone_number() mixes in with subscriber numbers. They are nobody's personal
    number, so they are labelled as look-alikes: redacting "call 999" is a false positive."""
    formats = set()
    for provider in fake.providers:
        formats.update(getattr(provider, "services_phones_formats", ()))
    return formats


def phone_label(value, services, locale, fmt, shape):
    if value in services:
        return {"type": "lookalike", "kind": "service_number", "shape": shape}
    return {"type": "phone", "locale": locale, "format": fmt, "shape": shape}


def phone_records(b, fake, locale, rng, n):
    lang = locale.split("_")[0]
    services = service_numbers(fake)
    for _ in range(n):
        value = fake.phone_number()
        fmt = "faker"
        roll = rng.random()
        if roll < 0.2 and not value.lstrip().startswith(("+", "00")):
            # Bare digits after a context word (how people paste numbers into forms).
            value = "".join(ch for ch in value.split("x")[0] if ch.isdigit())
            fmt = "bare-after-context"
            template = PHONE_CONTEXT[lang] + " {v}"
            b.add(template, value, phone_label(value, services, locale, fmt, "sentence"))
            continue
        if value.startswith("+") and roll < 0.5:
            value = "00" + value[1:]
            fmt = "00-prefix"
        shape, template = container(rng, lang, "phone", value, "phone")
        b.add(template, value, phone_label(value, services, locale, fmt, shape))


def email_records(b, fake, locale, rng, n):
    lang = locale.split("_")[0]
    for _ in range(n):
        value = fake.email()
        roll = rng.random()
        if roll < 0.15:
            enc = urllib.parse.quote(value, safe="")
            b.add("GET /api/users?email=" + "{v}" + "&page=2 HTTP/1.1", enc,
                  {"type": "email", "locale": locale, "format": "percent-encoded", "shape": "url"})
        elif roll < 0.25:
            enc = value.replace("@", "\\u0040")
            b.add('{"contact": "{v}"}', enc, {"type": "email", "locale": locale, "format": "json-escaped", "shape": "json"})
        elif roll < 0.32:
            enc = value.replace("@", "&#64;").replace(".", "&#46;", 1)
            b.add("<p>Mail: <a>{v}</a></p>", enc, {"type": "email", "locale": locale, "format": "html-entities", "shape": "html"})
        else:
            shape, template = container(rng, lang, "email", value, "email")
            b.add(template, value, {"type": "email", "locale": locale, "format": "plain", "shape": shape})


def generic(b, rng, locale, kind, value, fmt, key):
    lang = locale.split("_")[0]
    shape, template = container(rng, lang, "generic", value, key)
    b.add(template, value, {"type": kind, "locale": locale, "format": fmt, "shape": shape})


# Countries of the locales above that use IBANs (SWIFT IBAN registry); Faker invents IBAN-like
# strings for the others (21-character "GB…" values for en_IN, "AR…" for Argentina).
IBAN_COUNTRIES = {"GB", "DE", "FR", "ES", "IT", "NL", "BE", "CH", "AT", "SE", "NO", "DK", "PL", "PT", "IE",
                  "BR", "AE"}


def iban_records(b, fake, locale, rng, n):
    if locale.split("_")[1] not in IBAN_COUNTRIES:
        return
    for _ in range(n):
        value = fake.iban()
        fmt = "compact"
        if rng.random() < 0.5:
            value = " ".join(value[i:i + 4] for i in range(0, len(value), 4))
            fmt = "spaced"
        generic(b, rng, locale, "iban", value, fmt, "iban")


CARD_TYPES = ["visa", "mastercard", "amex", "discover", "jcb", "diners"]


def card_records(b, fake, locale, rng, n):
    for _ in range(n):
        card_type = rng.choice(CARD_TYPES)
        value = fake.credit_card_number(card_type=card_type)
        fmt = card_type + "/compact"
        roll = rng.random()
        if roll < 0.5:
            groups = [4, 6, 5] if len(value) == 15 else [4, 6, 4] if len(value) == 14 else [4] * 4 + [3]
            parts, i = [], 0
            for g in groups:
                if i < len(value):
                    parts.append(value[i:i + g])
                    i += g
            sep = " " if roll < 0.3 else "-"
            value = sep.join(parts)
            fmt = card_type + "/grouped"
        generic(b, rng, locale, "credit_card", value, fmt, "card")


def ssn_records(b, fake, rng, n):
    for _ in range(n):
        value = fake.ssn()
        if rng.random() < 0.3:
            value = value.replace("-", "")
            template = rng.choice(["SSN {v}", "SSN: {v}", "social security number {v}", '{"ssn": "{v}"}'])
            b.add(template, value, {"type": "us_ssn", "locale": "en_US", "format": "bare-after-context", "shape": "sentence"})
        else:
            generic(b, rng, "en_US", "us_ssn", value, "dashed", "ssn")


def ip_records(b, fake, locale, rng, n):
    for _ in range(n):
        if rng.random() < 0.5:
            generic(b, rng, locale, "ip", fake.ipv4(), "ipv4", "ip")
        else:
            generic(b, rng, locale, "ip", fake.ipv6(), "ipv6", "ip")


SCHEMES = ["postgres", "mysql", "redis", "amqp", "https", "ftp", "mongodb+srv", "smtp"]


def credential_records(b, fake, locale, rng, n):
    for _ in range(n):
        scheme = rng.choice(SCHEMES)
        password = fake.password(length=rng.randint(8, 16))
        if rng.random() < 0.2:
            value, fmt = ":" + password, "password-only"
        else:
            value, fmt = fake.user_name() + ":" + password, "user-password"
        host = fake.domain_name()
        template = rng.choice([
            "DATABASE_URL=" + scheme + "://{v}@" + host + ":5432/app",
            "connect with " + scheme + "://{v}@" + host + "/db and retry",
            '{"url": "' + scheme + "://{v}@" + host + '"}',
        ])
        b.add(template, value, {"type": "url_credentials", "locale": locale, "format": fmt, "shape": "url"})


def lookalikes(b, fake, rng, n):
    def luhn_reference():
        return luhn_complete("".join(rng.choice("0123456789") for _ in range(17)))

    def tracking():
        return rng.choice([
            "1Z" + "".join(rng.choice("0123456789ABCDEFGHJKLMNPQRSTUVWXYZ") for _ in range(16)),
            " ".join("".join(rng.choice("0123456789") for _ in range(4)) for _ in range(5)) + " " + str(rng.randint(10, 99)),
            "".join(rng.choice("0123456789") for _ in range(12)),
        ])

    # Faker's dates end "now" by default; a fixed end keeps the set the same on every day.
    end = datetime.datetime(2025, 1, 1)
    makers = {
        "date": lambda: fake.date(pattern=rng.choice(["%Y-%m-%d", "%d.%m.%Y", "%m/%d/%Y", "%d/%m/%Y", "%d %B %Y"]),
                                  end_datetime=end),
        "uuid": lambda: str(fake.uuid4()),
        "version": lambda: rng.choice(["", "v"]) + ".".join(str(rng.randint(0, 20)) for _ in range(rng.choice([3, 3, 4]))),
        "order_number": lambda: rng.choice(["", "#", "ORD-", "Order "]) + str(rng.randint(10**7, 10**11)),
        "tracking_number": tracking,
        "isbn": lambda: rng.choice([fake.isbn13(), fake.isbn10()]),
        "timestamp": lambda: rng.choice([str(int(fake.unix_time(end_datetime=end))), str(int(fake.unix_time(end_datetime=end) * 1000)),
                                         fake.iso8601(end_datetime=end), fake.time(end_datetime=end)]),
        "price": lambda: rng.choice([fake.pricetag(), "€ " + f"{rng.uniform(1, 99999):,.2f}", f"{rng.randint(1, 99999)}.{rng.randint(0, 99):02d} USD"]),
        "coordinates": lambda: f"{fake.latitude()}, {fake.longitude()}",
        "luhn_reference_18": luhn_reference,
        "ean13": lambda: fake.ean13(),
    }
    kinds = sorted(makers)
    for _ in range(n):
        kind = rng.choice(kinds)
        value = makers[kind]()
        lang = rng.choice(["en", "en", "de", "fr", "es", "it", "nl", "pt"])
        shape, template = container(rng, lang, "lookalike", value, "ref")
        b.add(template, value, {"type": "lookalike", "kind": kind, "shape": shape})


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--per-locale", type=int, default=60, help="phone numbers per locale")
    parser.add_argument("--out", default="scripts/pii_eval/evalset.jsonl")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    Faker.seed(args.seed)
    b = Builder(rng)
    # Card types are the generic provider's (some locales override the list).
    cards = Faker("en_US")
    cards.seed_instance(args.seed + 1)
    for locale in LOCALES:
        fake = Faker(locale)
        fake.seed_instance(rng.randrange(2**32))
        phone_records(b, fake, locale, rng, args.per_locale)
        email_records(b, fake, locale, rng, 15)
        iban_records(b, fake, locale, rng, 10)
        card_records(b, cards, locale, rng, 15)
        ip_records(b, fake, locale, rng, 8)
        credential_records(b, fake, locale, rng, 6)
    us = Faker("en_US")
    us.seed_instance(args.seed)
    ssn_records(b, us, rng, 400)
    lookalikes(b, us, rng, 4000)
    rng.shuffle(b.records)
    with open(args.out, "w", encoding="utf-8") as out:
        for i, record in enumerate(b.records):
            record["id"] = i
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    print(f"{len(b.records)} records -> {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
