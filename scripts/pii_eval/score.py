#!/usr/bin/env python3
"""Scores Switchyard's findings (from scrub-eval) and Presidio's pattern recognizers on the
evaluation set, and prints one Markdown table with both side by side.

A labelled value counts as found only when the union of the reported spans covers it whole
(a half-redacted value is a leak). A look-alike counts as a false positive when any reported
span overlaps it. Presidio runs the predefined recognizers for the entity types Switchyard's
default set covers (EMAIL_ADDRESS, PHONE_NUMBER, CREDIT_CARD, US_SSN, IBAN_CODE, IP_ADDRESS,
URL), language "en", without an NLP model (so without its context-word boost), every result
counted (AnalyzerEngine's default score threshold is 0).

    python3 scripts/pii_eval/score.py EVALSET SWITCHYARD_SPANS
    python3 scripts/pii_eval/score.py --misses EVALSET SWITCHYARD_SPANS   # what Switchyard missed
"""
import collections
import json
import logging
import sys

import phonenumbers
from presidio_analyzer import RecognizerRegistry

PRESIDIO_ENTITIES = {"EMAIL_ADDRESS", "PHONE_NUMBER", "CREDIT_CARD", "US_SSN", "IBAN_CODE", "IP_ADDRESS", "URL"}


def presidio_spans(records):
    registry = RecognizerRegistry()
    registry.load_predefined_recognizers(languages=["en"])
    recognizers = [r for r in registry.recognizers if set(r.supported_entities) & PRESIDIO_ENTITIES]
    result = {}
    for record in records:
        spans = []
        for recognizer in recognizers:
            entities = [e for e in recognizer.supported_entities if e in PRESIDIO_ENTITIES]
            for found in recognizer.analyze(record["text"], entities, None) or []:
                spans.append((found.start, found.end))
        result[record["id"]] = spans
    return result


def switchyard_spans(records, path):
    by_id = {r["id"]: r["text"] for r in records}
    result = {}
    for line in open(path, encoding="utf-8"):
        row = json.loads(line)
        data = by_id[row["id"]].encode("utf-8")
        # Byte offsets to character offsets.
        result[row["id"]] = [(len(data[:s].decode("utf-8", "ignore")), len(data[:e].decode("utf-8", "ignore")))
                             for s, e, _ in row["spans"]]
    return result


def covered(spans, start, end):
    """Whether the union of spans covers [start, end)."""
    position = start
    for s, e in sorted(spans):
        if s <= position < e:
            position = e
        if position >= end:
            return True
    return position >= end


def phone_validity(label, value):
    """Whether Google's libphonenumber (the `phonenumbers` port, a Presidio dependency) calls the
    number possible for the locale's country: an outside judge of the numbers Faker makes up."""
    try:
        number = phonenumbers.parse(value, label["locale"].split("_")[1])
        return "possible" if phonenumbers.is_possible_number(number) else "not possible"
    except phonenumbers.NumberParseException:
        return "not possible"


def score(records, spans):
    hits = collections.defaultdict(lambda: [0, 0])
    for record in records:
        found = spans.get(record["id"], [])
        for label in record["labels"]:
            if label["type"] == "lookalike":
                fp = any(s < label["end"] and e > label["start"] for s, e in found)
                for key in ("lookalike", "lookalike/" + label["kind"]):
                    hits[key][0] += fp
                    hits[key][1] += 1
            else:
                ok = covered(found, label["start"], label["end"])
                keys = ["all", "type/" + label["type"], "locale/" + label["locale"],
                        "format/" + label["type"] + "/" + label["format"], "shape/" + label["shape"]]
                if label["type"] == "phone":
                    value = record["text"][label["start"]:label["end"]]
                    keys.append("phone (libphonenumber)/" + phone_validity(label, value))
                for key in keys:
                    hits[key][0] += ok
                    hits[key][1] += 1
    return hits


def print_misses(records, spans):
    """One line per value Switchyard missed and per look-alike it flagged, with the record's
    text (for working on the detectors; Presidio does not run)."""
    for record in records:
        found = spans.get(record["id"], [])
        for label in record["labels"]:
            value = record["text"][label["start"]:label["end"]]
            if label["type"] == "lookalike":
                if any(s < label["end"] and e > label["start"] for s, e in found):
                    print(f"FP\t{label['kind']}\t{value!r}\t{record['text']!r}")
            elif not covered(found, label["start"], label["end"]):
                print(f"MISS\t{label['type']}\t{label['locale']}\t{label['shape']}\t{value!r}\t{record['text']!r}")


def main():
    # tldextract (used by Presidio's URL checks) warns when it cannot download the suffix list.
    logging.disable(logging.WARNING)
    args = sys.argv[1:]
    misses = args[0] == "--misses"
    if misses:
        args = args[1:]
    records = [json.loads(line) for line in open(args[0], encoding="utf-8")]
    if misses:
        print_misses(records, switchyard_spans(records, args[1]))
        return
    ours = score(records, switchyard_spans(records, args[1]))
    theirs = score(records, presidio_spans(records))
    print("| slice | n | Switchyard | Presidio |")
    print("|---|---:|---:|---:|")
    order = ["all"] + sorted(k for k in ours if k.startswith("type/")) + sorted(k for k in ours if k.startswith("locale/")) \
        + sorted(k for k in ours if k.startswith("phone (")) \
        + sorted(k for k in ours if k.startswith("format/")) + sorted(k for k in ours if k.startswith("shape/")) \
        + ["lookalike"] + sorted(k for k in ours if k.startswith("lookalike/"))
    for key in order:
        a, n = ours[key]
        b, _ = theirs[key]
        kind = "FP" if key.startswith("lookalike") else "recall"
        name = {"all": "recall, all values", "lookalike": "false positives, all look-alikes"}.get(key, key)
        print(f"| {name} ({kind}) | {n} | {100 * a / n:.1f} % | {100 * b / n:.1f} % |")


if __name__ == "__main__":
    main()
