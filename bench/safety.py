#!/usr/bin/env python
"""The publication safety check, measured: recall of planted identifiers,
and false alarms on the five seed briefings.

Recall: the invented paragraphs in ``bench/safety_corpus/`` carry planted
names, dates of birth, addresses, postcodes, telephone numbers, e-mail
addresses, NHS numbers and school names (``planted.json`` lists them). A
planted item counts as found when a finding of the same kind overlaps it;
"found as another kind" is reported apart (the editor still sees it).

False alarms: every text of the five seed briefings (each source's original
text in ``fixtures/briefings/`` and every text field of its entries, sections
and resources in ``fixtures/sources/*.json``), which are already anonymised.
What the check finds there is either something the briefings do print and an
editor rightly confirms (``SEED_EXPECTED``: a lead reviewer's name, the
boards' public contact details) or a false alarm.

    DJANGO_DEBUG=1 .venv/bin/python bench/safety.py

Prints two tables and the time taken; exits 0. See docs/BENCHMARKS.md.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "bench" / "safety_corpus"
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kb.settings")
os.environ.setdefault("DJANGO_DEBUG", "1")

import django  # noqa: E402

django.setup()

from reviews.safety.detectors import KIND_LABELS, find_in_text  # noqa: E402

# What the seed briefings print that the check rightly asks about.
SEED_EXPECTED = {
    ("name", "Phil Heasman"),  # the lead reviewer of Child K, named by the board
    ("phone", "01793 466903"),  # Swindon's Multi-Agency Safeguarding Hub
    ("email", "fcp@swindon.gov.uk"),  # the same hub's mailbox
    ("email", "sscp@salford.gov.uk"),  # Salford's partnership's mailbox
}
TEXT_KEYS = {
    "title", "summary", "children", "text", "addressed_to", "owner", "heading", "name", "details_as_stated",
    "passage", "note", "kind_note", "target_date_as_stated", "evidence_of_impact", "publisher_as_stated",
    "unanswered_parts",
}  # fmt: skip


def loadavg() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def recall() -> tuple[dict, list, Counter, list]:
    """Per kind: planted, found, found as another kind; the misses; the
    held-out file's counts; and findings in the corpus that match nothing planted."""
    planted = json.loads((CORPUS / "planted.json").read_text())
    held_out_files = set(planted.get("_held_out", []))
    by_kind: dict[str, Counter] = defaultdict(Counter)
    held_out: Counter = Counter()
    misses = []
    unplanted = []
    for file_name, items in planted.items():
        if file_name.startswith("_"):
            continue
        text = (CORPUS / file_name).read_text()
        matches = find_in_text(text)
        spans = []
        for kind, words, *context in items:
            where = context[0] if context else words
            start = text.index(where) + where.index(words)
            end = start + len(words)
            spans.append((start, end))
            overlapping = [m for m in matches if m.start < end and start < m.end]
            by_kind[kind]["planted"] += 1
            if file_name in held_out_files:
                held_out["planted"] += 1
                held_out["found"] += any(m.kind == kind for m in overlapping)
            if any(m.kind == kind for m in overlapping):
                by_kind[kind]["found"] += 1
            elif overlapping:
                by_kind[kind]["other kind"] += 1
                misses.append((file_name, kind, words, f"found as {overlapping[0].kind}"))
            else:
                misses.append((file_name, kind, words, "missed"))
        for m in matches:
            if not any(m.start < end and start < m.end for start, end in spans):
                unplanted.append((file_name, m.kind, m.text))
    return by_kind, misses, held_out, unplanted


def seed_texts():
    """(briefing, field, text) for every text of the five seed briefings."""
    for path in sorted((ROOT / "fixtures" / "sources").glob("*.json")):
        data = json.loads(path.read_text())
        yield path.stem, "original text", (ROOT / "fixtures" / "briefings" / data["source"]["file"]).read_text()

        def walk(value, key=""):
            if isinstance(value, dict):
                for k, v in value.items():
                    yield from walk(v, k)
            elif isinstance(value, list):
                for v in value:
                    yield from walk(v, key)
            elif isinstance(value, str) and key in TEXT_KEYS and value.strip():
                yield key, value

        for key, value in walk(data):
            yield path.stem, key, value


def false_alarms():
    expected, alarms = Counter(), Counter()
    texts = 0
    characters = 0
    for briefing, field, text in seed_texts():
        texts += 1
        characters += len(text)
        for match in find_in_text(text):
            item = (match.kind, match.text)
            (expected if item in SEED_EXPECTED else alarms)[(briefing, field, *item)] += 1
    return texts, characters, expected, alarms


def main() -> int:
    print(f"Publication safety check benchmark: {time.strftime('%Y-%m-%d %H:%M %Z')}; load average {loadavg()}")
    began = time.perf_counter()
    find_in_text("Warm up: Child M (Test Person).")  # reads the name lists once
    warm = time.perf_counter() - began

    began = time.perf_counter()
    by_kind, misses, held_out, unplanted = recall()
    recall_time = time.perf_counter() - began
    print("\nRecall of planted identifiers (bench/safety_corpus/, invented test material)\n")
    print(f"{'kind':<22}{'planted':>8}{'found':>7}{'recall':>8}{'other kind':>12}")
    total = Counter()
    for kind in KIND_LABELS:
        counts = by_kind.get(kind, Counter())
        total.update(counts)
        share = counts["found"] / counts["planted"] if counts["planted"] else 0
        print(f"{kind:<22}{counts['planted']:>8}{counts['found']:>7}{share:>8.0%}{counts['other kind']:>12}")
    print(f"{'all':<22}{total['planted']:>8}{total['found']:>7}{total['found'] / total['planted']:>8.0%}"
          f"{total['other kind']:>12}")  # fmt: skip
    share = held_out["found"] / max(held_out["planted"], 1)
    print(f"{'of which held out':<22}{held_out['planted']:>8}{held_out['found']:>7}{share:>8.0%}"
          "   (written after tuning, measured once)")  # fmt: skip
    print("\nNot found as planted:")
    for file_name, kind, words, what in misses:
        print(f"  {file_name}: {kind} “{words}”: {what}")

    print(f"\nFindings in the corpus that match nothing planted: {len(unplanted)}")
    for file_name, kind, words in unplanted:
        print(f"  {file_name}: {kind} “{words}”")

    began = time.perf_counter()
    texts, characters, expected, alarms = false_alarms()
    seed_time = time.perf_counter() - began
    print(f"\nFalse alarms on the five seed briefings ({texts} texts, {characters:,} characters)\n")
    print(f"  findings the briefings rightly raise (public contact details, a lead reviewer): "
          f"{sum(expected.values())} in {len(expected)} places")  # fmt: skip
    for (briefing, field, kind, words), n in sorted(expected.items()):
        print(f"    {briefing} / {field}: {kind} “{words}”" + (f" ×{n}" if n > 1 else ""))
    print(f"  false alarms: {sum(alarms.values())}")
    for (briefing, field, kind, words), n in sorted(alarms.items()):
        print(f"    {briefing} / {field}: {kind} “{words}”" + (f" ×{n}" if n > 1 else ""))
    print(f"\nTime: name lists read in {warm * 1000:.0f} ms; corpus checked in {recall_time * 1000:.0f} ms; "
          f"seed texts in {seed_time * 1000:.0f} ms; load average after {loadavg()}")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
