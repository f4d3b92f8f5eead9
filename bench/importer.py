#!/usr/bin/env python
"""How well the importer reads briefings: precision, recall and F1 of its entries.

Each test briefing in ``bench/importer_corpus/<genre>/`` (invented test
material, in the structure of a genre boards publish, as PDF, Word, web page,
text or Markdown) is read by the importer exactly as an upload would be
(``reviews.importing.pipeline.parse_file(name, data)``), and its candidate
entries are compared with the extraction made by hand beside it
(``<name>.expected.json``). The five seed briefings go through the same
importer, with their fixtures (``fixtures/sources/*.json``) as the expected
extraction.

    .venv/bin/python bench/importer.py                 # every test briefing, then the seeds
    .venv/bin/python bench/importer.py --genre dhr --verbose
    .venv/bin/python bench/importer.py --genre seeds   # the seed briefings only
    .venv/bin/python bench/importer.py --file rowan -v # misses and false hits of one file
    .venv/bin/python bench/importer.py --heldout -v    # the held-out test briefings only
    .venv/bin/python bench/importer.py --unseen -v     # the unseen test briefings only

The held-out test briefings (``bench/importer_heldout/<genre>/``, same schema)
were written after the importer was tuned on the corpus, as a test set: first
measured at F1 0.62, they were then used for tuning. The unseen test briefings
(``bench/importer_unseen/<genre>/``, same schema) were written to take over as
the test set: first measured at F1 0.76, they too were then used for tuning
(5 December 2026). Both are still reported apart, per file, per genre and
overall, under headings that say so; a new set written after the importer's
last change is needed to measure it on briefings it has not seen.

How an entry is scored (``match_entries``):

- texts are compared after whitespace is collapsed and terminal punctuation
  (``.;,:``) is dropped, so that a hard-wrapped line or the semicolon that
  separated the items of an inline list never decides the score; nothing else
  is forgiven (a word more or less is another text);
- an entry is **right** when a candidate has its text and its kind; a candidate
  with the text under another kind counts once as a false hit and once as a
  miss (it is listed apart, as "wrong kind");
- precision = right / candidates, recall = right / expected entries, F1 their
  harmonic mean; a genre's and the overall figures add up the counts of their
  files (micro-average), so a long briefing weighs more than a short one;
- **section** is the share of right entries whose candidate sits under the
  expected heading (compared without ``#`` marks, case or a final colon);
- **leaks** are false hits that are, or contain, a passage the expected
  extraction lists as left out (boilerplate, navigation, download lines,
  statutory definitions);
- title and review type are compared with the expected ones and counted.

A file the importer cannot read (before the PDF, Word and web-page readers
exist, or a reader's error) has no candidates: recall 0. The run always
exits 0: this is a measurement, not a test (``tests/test_bench_importer.py``
tests the scoring itself). Figures and what each genre misses are recorded in
docs/BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import datetime
import difflib
import json
import os
import re
import shlex
import sys
import tempfile
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "bench" / "importer_corpus"
HELDOUT = ROOT / "bench" / "importer_heldout"
UNSEEN = ROOT / "bench" / "importer_unseen"
HELDOUT_TITLE = "Held-out test briefings (written as unseen; measured at 0.62, then tuned on)"
UNSEEN_TITLE = "Unseen test briefings (written as unseen; measured at 0.76, then tuned on)"
FIXTURES = ROOT / "fixtures"
FORMATS = (".pdf", ".docx", ".html", ".txt", ".md")
KINDS = ("case_fact", "learning", "good_practice", "recommendation", "action", "question")
MARKER = "Test material for the importer benchmark: invented, not a real case."
SEEDS = "seeds"

# A fixture learning point's kind as the importer's candidate kind: the
# importer has no "key fact" (research or figures a briefing cites) and
# offers such a paragraph as learning for the editor to relabel.
LEARNING_POINT_KINDS = {
    "learning": "learning",
    "good_practice": "good_practice",
    "key_fact": "learning",
    "question": "question",
}


# ---------------------------------------------------------------------------
# Scoring (pure: tested in tests/test_bench_importer.py)
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    kind: str
    text: str
    section: str = ""


@dataclass
class Score:
    found: int = 0  # candidates the importer made
    expected: int = 0  # entries of the expected extraction
    right: int = 0  # text and kind agree
    section_agrees: int = 0  # of the right ones, under the expected heading
    leaks: int = 0  # candidates that are or contain a passage to leave out
    files: int = 0
    unread: int = 0  # files the importer could not read
    titles_right: int = 0
    types_right: int = 0
    missed: list[Entry] = field(default_factory=list)
    false_hits: list[Entry] = field(default_factory=list)
    wrong_kind: list[tuple[Entry, Entry]] = field(default_factory=list)  # (expected, found)
    leaked: list[Entry] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.right / self.found if self.found else 0.0

    @property
    def recall(self) -> float:
        return self.right / self.expected if self.expected else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def section_share(self) -> float:
        return self.section_agrees / self.right if self.right else 0.0

    def add(self, other: Score) -> None:
        for name in ("found", "expected", "right", "section_agrees", "leaks", "files", "unread"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.titles_right += other.titles_right
        self.types_right += other.types_right


MARKDOWN_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
HTML_TAG = re.compile(r"</?[A-Za-z][^>]*>")


def normalise(text: str) -> str:
    """The text as compared: Unicode NFC, the words of Markdown links, no HTML tags or
    ``**``/``__`` emphasis (a fixture keeps a briefing's words, not its underlining),
    whitespace collapsed, no terminal ``.;,:``."""
    text = unicodedata.normalize("NFC", text)
    text = MARKDOWN_LINK.sub(lambda match: match.group(1), text)
    text = HTML_TAG.sub(" ", text).replace("**", "").replace("__", "")
    text = re.sub(r"\s+", " ", text).strip()
    text = re.sub(r" ([.,;:!?])", r"\1", text)  # "<u>the bath</u>." read as "the bath ."
    return text.rstrip(" .;,:")


def normalise_heading(heading: str) -> str:
    return normalise(heading.lstrip("#").strip()).casefold()


def sections_agree(expected: str, found: str, *, title: str = "") -> bool:
    """Whether a candidate's heading is the expected one; an entry before the first
    heading (expected ``""``) may sit under none or under the document's title."""
    want, got = normalise_heading(expected), normalise_heading(found)
    if not want:
        return got in ("", normalise_heading(title))
    return want == got


def match_entries(expected: list[Entry], found: list[Entry], *, left_out: list[str] = (), title: str = "") -> Score:
    """Pair each candidate with at most one expected entry of the same text (see the module docstring)."""
    score = Score(found=len(found), expected=len(expected), files=1)
    unmatched: dict[str, list[int]] = defaultdict(list)
    for index, entry in enumerate(expected):
        unmatched[normalise(entry.text)].append(index)
    rest: list[Entry] = []
    for candidate in found:
        indices = unmatched.get(normalise(candidate.text), [])
        same_kind = next((i for i in indices if expected[i].kind == candidate.kind), None)
        if same_kind is None:
            rest.append(candidate)
            continue
        indices.remove(same_kind)
        score.right += 1
        if sections_agree(expected[same_kind].section, candidate.section, title=title):
            score.section_agrees += 1
    for candidate in rest:
        indices = unmatched.get(normalise(candidate.text), [])
        if indices:
            score.wrong_kind.append((expected[indices.pop(0)], candidate))
        else:
            score.false_hits.append(candidate)
    still = sorted(i for indices in unmatched.values() for i in indices)
    score.missed = [expected[i] for i in still]
    left = [normalise(text) for text in left_out if normalise(text)]
    for candidate in score.false_hits:  # an expected entry may name what a left-out line says
        text = normalise(candidate.text)
        # A passage of a few words ("Co", a truncated line) is a leak only as a whole candidate.
        if text and any(passage == text or (len(passage.split()) >= 4 and passage in text) for passage in left):
            score.leaks += 1
            score.leaked.append(candidate)
    return score


# ---------------------------------------------------------------------------
# The documents and their expected extraction
# ---------------------------------------------------------------------------


@dataclass
class Case:
    label: str  # what the report calls it: "<genre>/<file>" or "seeds/<source slug>"
    genre: str
    path: Path
    expected: list[Entry]
    left_out: list[str]
    title: str
    review_type: str
    upload_name: str = ""
    heldout: bool = False  # a held-out test briefing (bench/importer_heldout/): never tuned against
    unseen: bool = False  # an unseen test briefing (bench/importer_unseen/): written after the last change


def corpus_files(corpus: Path = CORPUS) -> list[Path]:
    """Every test briefing: a file of an importable format in a genre's folder (not ``sources/``)."""
    return sorted(
        path
        for path in corpus.glob("*/*")
        if path.suffix.lower() in FORMATS and path.parent.name != "sources" and ".expected" not in path.name
    )


def expected_path(path: Path) -> Path:
    return path.with_name(path.stem + ".expected.json")


def load_expected(path: Path) -> dict:
    """The expected extraction beside ``path``, checked; raises ValueError naming the fault."""
    data = json.loads(expected_path(path).read_text(encoding="utf-8"))
    missing = {"genre", "title", "review_type", "entries", "left_out"} - set(data)
    if missing:
        raise ValueError(f"{expected_path(path).name}: missing {', '.join(sorted(missing))}")
    if data["genre"] != path.parent.name:
        raise ValueError(f"{expected_path(path).name}: genre {data['genre']!r} is not its folder {path.parent.name!r}")
    if not data["entries"]:
        raise ValueError(f"{expected_path(path).name}: no entries")
    for entry in data["entries"]:
        if entry.get("kind") not in KINDS:
            raise ValueError(f"{expected_path(path).name}: unknown kind {entry.get('kind')!r}")
        if not isinstance(entry.get("text"), str) or not entry["text"].strip():
            raise ValueError(f"{expected_path(path).name}: an entry without text")
        if not isinstance(entry.get("section"), str):
            raise ValueError(f"{expected_path(path).name}: an entry without a section")
    return data


def corpus_cases(
    corpus: Path = CORPUS, *, problems: list[str] | None = None, heldout: bool = False, unseen: bool = False
) -> list[Case]:
    """The test briefings with their expected extraction; one whose extraction is unreadable
    is skipped and named in ``problems`` when a list is given (else the error is raised).
    ``heldout`` marks them as held-out briefings (labelled ``heldout/<genre>/<file>``),
    ``unseen`` as unseen ones (labelled ``unseen/<genre>/<file>``)."""
    prefix = "heldout/" if heldout else "unseen/" if unseen else ""
    cases = []
    for path in corpus_files(corpus):
        try:
            data = load_expected(path)
        except (OSError, ValueError) as error:  # json.JSONDecodeError is a ValueError
            if problems is None:
                raise
            problems.append(f"{path.parent.name}/{path.name}: {error}")
            continue
        cases.append(
            Case(
                label=f"{prefix}{path.parent.name}/{path.name}",
                genre=data["genre"],
                path=path,
                expected=[Entry(e["kind"], e["text"], e["section"]) for e in data["entries"]],
                left_out=list(data["left_out"]),
                title=data["title"],
                review_type=data["review_type"],
                upload_name=path.name,
                heldout=heldout,
                unseen=unseen,
            )
        )
    return cases


def heldout_cases(heldout: Path = HELDOUT, *, problems: list[str] | None = None) -> list[Case]:
    """The held-out test briefings (never tuned against), read like the corpus."""
    return corpus_cases(heldout, problems=problems, heldout=True)


def unseen_cases(unseen: Path = UNSEEN, *, problems: list[str] | None = None) -> list[Case]:
    """The unseen test briefings (written after the importer's last change), read like the corpus."""
    return corpus_cases(unseen, problems=problems, unseen=True)


def _learning_kind(item: dict) -> str:
    return LEARNING_POINT_KINDS.get(item.get("kind", "learning"), "learning")


def seed_cases(fixtures: Path = FIXTURES) -> list[Case]:
    """The seed briefings, with their fixtures' entries as the expected extraction."""
    cases = []
    for source_file in sorted((fixtures / "sources").glob("*.json")):
        data = json.loads(source_file.read_text(encoding="utf-8"))
        headings = {section["ref"]: section.get("heading", "") for section in data.get("sections", [])}
        items: list[tuple[str, dict]] = []
        for review in data.get("reviews", []):
            items += [("case_fact", item) for item in review.get("case_facts", [])]
            items += [(_learning_kind(item), item) for item in review.get("learning_points", [])]
            for item in review.get("recommendations", []):
                items.append(("recommendation", item))
                items += [("action", action) for action in item.get("actions", [])]
            items += [("action", item) for item in review.get("actions", [])]
        items += [(_learning_kind(item), item) for item in data.get("learning_points", [])]
        entries = [Entry(kind, item["text"], headings.get(item.get("section", ""), "")) for kind, item in items]
        source = data["source"]
        reviews = data.get("reviews", [])
        cases.append(
            Case(
                label=f"{SEEDS}/{source['slug']}",
                genre=SEEDS,
                path=fixtures / "briefings" / source["file"],
                expected=entries,
                left_out=[passage["text"] for passage in data.get("excluded_passages", [])],
                title=source.get("title", ""),
                review_type=reviews[0].get("review_type", "other") if reviews else "other",
                upload_name=source["file"],
            )
        )
    return cases


# ---------------------------------------------------------------------------
# The importer
# ---------------------------------------------------------------------------


class CannotRead(Exception):
    pass


def setup_django() -> None:
    """Settings for the importer's modules; a throwaway SQLite database (nothing is written)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kb.settings")
    os.environ.setdefault("DJANGO_DEBUG", "1")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{Path(tempfile.gettempdir()) / 'kb_bench_importer.sqlite3'}")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def find_importer():
    """``(description, parse(name, data) -> ParsedBriefing)``: the pipeline when there is one,
    else the text importer for .txt and .md (other formats cannot be read yet)."""
    try:
        from reviews.importing.pipeline import parse_file
    except ImportError:
        pass
    else:
        return "reviews.importing.pipeline.parse_file", parse_file

    from reviews.importing.decoding import briefing_text_from_bytes
    from reviews.importing.structure import parse_briefing

    def parse_text_only(name: str, data: bytes):
        if Path(name).suffix.lower() not in (".txt", ".md"):
            raise CannotRead(f"cannot be read yet: no reader for {Path(name).suffix} files")
        return parse_briefing(briefing_text_from_bytes(name=name, data=data))

    return (
        "reviews.importing.structure.parse_briefing (no pipeline yet: .txt and .md only; "
        "PDF, Word and web pages cannot be read yet and score 0)",
        parse_text_only,
    )


def candidates_of(parsed) -> list[Entry]:
    sections = getattr(parsed, "sections", [])
    found = []
    for candidate in parsed.candidates:
        heading = candidate.heading
        if candidate.section is not None and 0 <= candidate.section < len(sections):
            heading = sections[candidate.section].heading
        found.append(Entry(candidate.kind, candidate.text, heading or ""))
    return found


@dataclass
class Result:
    case: Case
    score: Score
    error: str = ""
    title: str = ""
    review_type: str = ""


def run_case(case: Case, parse) -> Result:
    try:
        parsed = parse(case.upload_name, case.path.read_bytes())
    except Exception as error:  # a reader's error is a result too: nothing read
        score = match_entries(case.expected, [], left_out=case.left_out)
        score.unread = 1
        return Result(case, score, error=f"{type(error).__name__}: {error}")
    score = match_entries(case.expected, candidates_of(parsed), left_out=case.left_out, title=case.title)
    title = getattr(parsed, "title", "") or ""
    review_type = getattr(parsed, "review_type", "") or ""
    score.titles_right = int(normalise(title) == normalise(case.title))
    score.types_right = int(review_type == case.review_type)
    return Result(case, score, title=title, review_type=review_type)


# ---------------------------------------------------------------------------
# The report
# ---------------------------------------------------------------------------

HEADER = f"{'':44} {'found':>5} {'exp':>4} {'right':>5} {'P':>5} {'R':>5} {'F1':>5} {'sect':>5} {'leaks':>5}"


def row(label: str, score: Score, extra: str = "") -> str:
    return (
        f"{label[:44]:44} {score.found:5} {score.expected:4} {score.right:5} "
        f"{score.precision:5.2f} {score.recall:5.2f} {score.f1:5.2f} {score.section_share:5.2f} {score.leaks:5}"
        + (f"  {extra}" if extra else "")
    )


def short(text: str, width: int = 110) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    return text if len(text) <= width else text[: width - 1] + "…"


def nearest(text: str, expected: list[Entry]) -> tuple[float, Entry | None]:
    best, best_entry = 0.0, None
    for entry in expected:
        ratio = difflib.SequenceMatcher(None, normalise(text), normalise(entry.text)).ratio()
        if ratio > best:
            best, best_entry = ratio, entry
    return best, best_entry


def print_details(result: Result) -> None:
    score, case = result.score, result.case
    if result.error:
        print(f"    not read: {result.error}")
    print(f"    title: {result.title!r} (expected {case.title!r})")
    print(f"    review type: {result.review_type!r} (expected {case.review_type!r})")
    for expected, found in score.wrong_kind:
        print(f"    WRONG KIND {found.kind} for {expected.kind}: {short(expected.text)}")
    for entry in score.missed:
        print(f"    MISSED {entry.kind} [{entry.section}]: {short(entry.text)}")
    for entry in score.false_hits:
        ratio, near = nearest(entry.text, case.expected)
        hint = (
            f"\n        nearest expected ({ratio:.0%}) {near.kind}: {short(near.text, 90)}"
            if near and ratio >= 0.5
            else ""
        )
        print(f"    FALSE HIT {entry.kind} [{short(entry.section, 40)}]: {short(entry.text)}{hint}")
    for entry in score.leaked:
        print(f"    LEAK {entry.kind}: {short(entry.text)}")


def genre_table(results: list[Result], *, name: str) -> Score:
    """Per genre and overall figures of ``results`` (test briefings of one set), with the targets."""
    by_genre: dict[str, Score] = defaultdict(Score)
    for result in results:
        by_genre[result.case.genre].add(result.score)
    print(HEADER + f" {'files':>5} {'unread':>6} {'title':>5} {'type':>5}")
    overall = Score()
    for genre in sorted(by_genre):
        score = by_genre[genre]
        overall.add(score)
        print(row(genre, score) + f" {score.files:5} {score.unread:6} {score.titles_right:5} {score.types_right:5}")
    print(
        row(f"OVERALL ({name})", overall)
        + f" {overall.files:5} {overall.unread:6} {overall.titles_right:5} {overall.types_right:5}"
    )
    if overall.unread:
        read = Score()
        for result in results:
            if not result.error:
                read.add(result.score)
        print(row("  of which the files it could read", read) + f" {read.files:5}")
    low = [genre for genre in by_genre if by_genre[genre].f1 < 0.8]
    print(
        f"Targets: overall F1 >= 0.90 ({'met' if overall.f1 >= 0.9 else 'not met'}); every genre >= 0.80 "
        f"({'met' if not low else 'not met: ' + ', '.join(sorted(low))})"
    )
    return overall


def print_rows(results: list[Result], *, verbose: bool) -> None:
    print(HEADER)
    for result in results:
        extra = f"not read: {short(result.error, 60)}" if result.error else ""
        print(row(result.case.label, result.score, extra))
        if verbose:
            print_details(result)


def report(results: list[Result], *, verbose: bool) -> None:
    """The corpus and the seeds first, then the held-out and the unseen briefings in tables of their own."""
    corpus = [
        result
        for result in results
        if result.case.genre != SEEDS and not result.case.heldout and not result.case.unseen
    ]
    heldout = [result for result in results if result.case.heldout]
    unseen = [result for result in results if result.case.unseen]
    seeds = [result for result in results if result.case.genre == SEEDS]
    if corpus or seeds:
        print_rows(corpus + seeds, verbose=verbose)
    if corpus:
        print("\nBy genre (test briefings)")
        genre_table(corpus, name="test briefings")
    if seeds:
        total = Score()
        for result in seeds:
            total.add(result.score)
        print("\nSeed briefings (fixtures/ as the expected extraction)")
        print(
            row("OVERALL (seed briefings)", total)
            + f"  files {total.files}, titles right {total.titles_right}, types right {total.types_right}"
        )
        print(f"Target: F1 >= 0.90 ({'met' if total.f1 >= 0.9 else 'not met'})")
    if heldout:
        print(("\n" if corpus or seeds else "") + HELDOUT_TITLE)
        print_rows(heldout, verbose=verbose)
        print("\nBy genre (held-out test briefings, tuned on since first measured)")
        genre_table(heldout, name="held-out briefings")
    if unseen:
        print(("\n" if corpus or seeds or heldout else "") + UNSEEN_TITLE)
        print_rows(unseen, verbose=verbose)
        print("\nBy genre (unseen test briefings, tuned on since first measured)")
        genre_table(unseen, name="unseen briefings")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--genre", help=f"only this genre (a folder of bench/importer_corpus, or {SEEDS!r})")
    parser.add_argument("--file", help="only files whose path contains this")
    parser.add_argument("--verbose", "-v", action="store_true", help="show misses, false hits, wrong kinds and leaks")
    parser.add_argument(
        "--heldout", action="store_true", help="only the held-out test briefings (bench/importer_heldout/)"
    )
    parser.add_argument("--unseen", action="store_true", help="only the unseen test briefings (bench/importer_unseen/)")
    args = parser.parse_args(argv)

    python = Path(sys.executable)
    python = python.relative_to(ROOT) if python.is_relative_to(ROOT) else python
    print(f"$ {shlex.join([str(python), 'bench/importer.py', *(argv if argv is not None else sys.argv[1:])])}")
    print(f"Importer benchmark, {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC")
    setup_django()
    description, parse = find_importer()
    print(f"Importer: {description}\n")

    problems: list[str] = []
    if args.heldout or args.unseen:
        cases = (heldout_cases(problems=problems) if args.heldout else []) + (
            unseen_cases(problems=problems) if args.unseen else []
        )
    else:
        cases = (
            corpus_cases(problems=problems)
            + heldout_cases(problems=problems)
            + unseen_cases(problems=problems)
            + seed_cases()
        )
    for problem in problems:
        print(f"Skipped, its expected extraction cannot be read: {problem}")
    if args.genre:
        cases = [case for case in cases if case.genre == args.genre]
    if args.file:
        cases = [case for case in cases if args.file in case.label or args.file in str(case.path)]
    if not cases:
        print("No document matches.")
        return 0
    report([run_case(case, parse) for case in cases], verbose=args.verbose)
    return 0


if __name__ == "__main__":
    sys.exit(main())
