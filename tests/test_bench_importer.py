"""The importer benchmark's own workings: its scoring, its test briefings, and that they stay out of the content.

Not the benchmark's targets: ``bench/importer.py`` measures the importer and
always exits 0; these tests check that what it measures is counted right and
that every test briefing is marked as test material, has a valid hand-made
extraction whose every text is in the document word for word, and is never
read by ``load_kb``.
"""

from __future__ import annotations

import importlib.util
import re
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
CORPUS = BENCH / "importer_corpus"
HELDOUT = BENCH / "importer_heldout"
UNSEEN = BENCH / "importer_unseen"


def _load(name: str, path: Path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up while the class is made
    spec.loader.exec_module(module)
    return module


bench = _load("bench_importer", BENCH / "importer.py")
build = _load("bench_importer_corpus_build", CORPUS / "build.py")
Entry = bench.Entry

CORPUS_FILES = bench.corpus_files()
HELDOUT_FILES = bench.corpus_files(HELDOUT)
UNSEEN_FILES = bench.corpus_files(UNSEEN)


# ---------------------------------------------------------------------------
# Scoring
# ---------------------------------------------------------------------------


def test_a_small_case_is_scored_by_text_and_kind():
    expected = [
        Entry("case_fact", "Child A was two when she was admitted to hospital.", "1. Background"),
        Entry("learning", "Records did not follow the family when it moved.", "3. Findings"),
        Entry("recommendation", "the assessment tool to be revised", "5. Recommendations"),
        Entry("question", "Who else lives in the home?", "6. Questions"),
    ]
    found = [
        # right: hard-wrapped, under its heading printed with a Markdown mark
        Entry("case_fact", "Child A was two when she\nwas admitted to hospital.", "## 1. Background"),
        # right text and kind, under another heading
        Entry("learning", "Records did not follow the family when it moved.", "2. Why it matters"),
        # the item of an inline list with its separating semicolon: still the same text
        Entry("recommendation", "the assessment tool to be revised;", "5. Recommendations"),
        # the right text as the wrong kind: a false hit and a miss
        Entry("learning", "Who else lives in the home?", "6. Questions"),
        # boilerplate that should have been left out
        Entry("learning", "Download the full report (PDF, 1 MB)", ""),
    ]
    score = bench.match_entries(expected, found, left_out=["Download the full report (PDF, 1 MB)"])

    assert (score.found, score.expected, score.right) == (5, 4, 3)
    assert score.precision == pytest.approx(3 / 5)
    assert score.recall == pytest.approx(3 / 4)
    assert score.f1 == pytest.approx(2 * (3 / 5) * (3 / 4) / (3 / 5 + 3 / 4))
    assert score.section_agrees == 2
    assert score.section_share == pytest.approx(2 / 3)
    assert [(e.kind, f.kind) for e, f in score.wrong_kind] == [("question", "learning")]
    assert score.missed == []  # the question is listed once, as a wrong kind
    assert [entry.text for entry in score.false_hits] == ["Download the full report (PDF, 1 MB)"]
    assert score.leaks == 1


def test_each_expected_entry_is_matched_once_and_other_words_are_another_text():
    expected = [Entry("learning", "Same words."), Entry("learning", "Same words."), Entry("learning", "Other words.")]
    found = [
        Entry("learning", "Same words."),
        Entry("learning", "Same words"),  # a terminal full stop is forgiven
        Entry("learning", "Same words."),  # a third copy has nothing left to match
        Entry("learning", "Other words, and more."),  # a longer text is another text
    ]
    score = bench.match_entries(expected, found)
    assert score.right == 2
    assert [entry.text for entry in score.missed] == ["Other words."]
    assert [entry.text for entry in score.false_hits] == ["Same words.", "Other words, and more."]
    assert (score.precision, score.recall) == (pytest.approx(0.5), pytest.approx(2 / 3))


def test_nothing_found_scores_zero_and_a_short_left_out_passage_leaks_only_whole():
    nothing = bench.match_entries([Entry("learning", "A point.")], [])
    assert (nothing.precision, nothing.recall, nothing.f1) == (0.0, 0.0, 0.0)
    score = bench.match_entries(
        [Entry("learning", "Contact the team."), Entry("case_fact", "The Fenmouth Safeguarding Adults Board met.")],
        [
            Entry("learning", "Contact the team."),
            Entry("learning", "Co"),
            Entry("case_fact", "The Fenmouth Safeguarding Adults Board met."),  # right: names a left-out line
            Entry("learning", "Fenmouth Safeguarding Adults Board, Contact: test@example.org"),
        ],
        left_out=["Co", "Fenmouth Safeguarding Adults Board"],
    )
    assert [entry.text for entry in score.leaked] == [
        "Co",
        "Fenmouth Safeguarding Adults Board, Contact: test@example.org",
    ]


def test_markup_is_not_part_of_the_words():
    assert bench.normalise("Learning from <u>local</u> and [national reviews](https://example.org) **matters**.") == (
        "Learning from local and national reviews matters"
    )
    assert bench.normalise("left <u>in the bath</u>. This") == "left in the bath. This"


def test_an_entry_before_any_heading_may_sit_under_the_title():
    assert bench.sections_agree("", "")
    assert bench.sections_agree("", "# Learning from Child Jay", title="Learning from Child Jay")
    assert not bench.sections_agree("", "What happened", title="Learning from Child Jay")
    assert bench.sections_agree("Child LB:", "child lb")


def test_figures_add_up_over_files_not_average_them():
    total = bench.Score()
    total.add(bench.match_entries([Entry("learning", "a b")], [Entry("learning", "a b")]))
    total.add(bench.match_entries([Entry("learning", f"x{i}") for i in range(3)], []))
    assert (total.files, total.right, total.expected) == (2, 1, 4)
    assert total.recall == pytest.approx(1 / 4)


def test_a_broken_expected_extraction_is_reported_and_skipped(tmp_path):
    (tmp_path / "dhr").mkdir()
    (tmp_path / "dhr" / "good.txt").write_text("x")
    (tmp_path / "dhr" / "good.expected.json").write_text(
        '{"genre": "dhr", "title": "T", "review_type": "dhr", "left_out": [],'
        ' "entries": [{"kind": "learning", "text": "A point.", "section": ""}]}'
    )
    (tmp_path / "dhr" / "bad.txt").write_text("x")
    (tmp_path / "dhr" / "bad.expected.json").write_text('{"genre": "dhr", "entries": [}')
    problems = []
    cases = bench.corpus_cases(tmp_path, problems=problems)
    assert [case.label for case in cases] == ["dhr/good.txt"]
    assert len(problems) == 1 and problems[0].startswith("dhr/bad.txt")
    with pytest.raises(ValueError):
        bench.corpus_cases(tmp_path)


def test_an_unreadable_file_counts_as_nothing_found():
    case = bench.Case("g/x.pdf", "g", CORPUS_FILES[0], [Entry("learning", "A point.")], [], "T", "other", "x.pdf")

    def cannot_read(name, data):
        raise bench.CannotRead("cannot be read yet")

    result = bench.run_case(case, cannot_read)
    assert result.error.startswith("CannotRead")
    assert (result.score.unread, result.score.recall) == (1, 0.0)


# ---------------------------------------------------------------------------
# The test briefings
# ---------------------------------------------------------------------------


def test_the_corpus_covers_at_least_ten_genres_in_every_format():
    genres = {path.parent.name for path in CORPUS_FILES}
    assert len(genres) >= 10
    assert {path.suffix for path in CORPUS_FILES} == set(bench.FORMATS)


def _source_of(path: Path) -> Path:
    """The file a briefing's words were written in: itself, or what build.py made it from."""
    relative = f"{path.parent.name}/{path.name}"
    for root, source, target, _how, _site in build.all_builds():
        if target == relative and path.parent.parent == root:
            return root / "sources" / source
    return path


def _first_text(path: Path) -> str:
    """About the first lines of a briefing's text, as a reader would meet them."""
    if path.suffix == ".pdf":
        from pypdf import PdfReader

        return PdfReader(path).pages[0].extract_text()[:300]
    if path.suffix == ".docx":
        with zipfile.ZipFile(path) as archive:
            xml = archive.read("word/document.xml").decode("utf-8")
        return re.sub(r"<[^>]+>", " ", xml)[:2000]
    return path.read_text(encoding="utf-8")[:300]


@pytest.mark.parametrize(
    "path",
    CORPUS_FILES + HELDOUT_FILES + UNSEEN_FILES,
    ids=lambda path: f"{path.parent.parent.name}/{path.parent.name}/{path.name}",
)
def test_each_briefing_is_marked_and_has_a_valid_expected_extraction_found_in_its_words(path):
    data = bench.load_expected(path)  # raises on a missing field, an unknown kind, the wrong genre
    assert bench.MARKER in re.sub(r"\s+", " ", _first_text(path)), "no test-material line at the top"
    assert bench.MARKER in data["left_out"]

    source = _source_of(path)
    assert bench.MARKER in source.read_text(encoding="utf-8")[:400]
    words = bench.normalise(source.read_text(encoding="utf-8"))
    texts = [entry["text"] for entry in data["entries"]] + data["left_out"]
    for text in texts:
        if path.suffix == ".html" and source != path:
            continue  # a web page's own boilerplate is added by build.py: checked on the page below
        assert bench.normalise(text) in words, f"not word for word in {source.name}: {text!r}"
    for entry in data["entries"]:
        heading = bench.normalise(entry["section"])
        assert heading in words, f"heading not in {source.name}: {entry['section']!r}"
    normalised = [bench.normalise(text) for text in texts]
    assert len(set(normalised)) == len(normalised), "the same text twice"


@pytest.mark.parametrize(
    "root,source,target,site",
    [(root, s, t, site) for root, s, t, how, site in build.all_builds() if how == "web"],
    ids=lambda value: value if isinstance(value, str) and value.endswith(".html") else "",
)
def test_web_pages_are_as_built_and_their_texts_are_on_the_page(root, source, target, site, tmp_path):
    built = tmp_path / "page.html"
    build.build_web_page((root / "sources" / source).read_text(encoding="utf-8"), built, site=site)
    assert built.read_text(encoding="utf-8") == (root / target).read_text(encoding="utf-8"), "run build.py"
    words = bench.normalise((root / target).read_text(encoding="utf-8").replace("&#x27;", "'"))
    data = bench.load_expected(root / target)
    for text in [entry["text"] for entry in data["entries"]] + data["left_out"]:
        assert bench.normalise(text) in words, text


def test_the_held_out_set_is_eight_briefings_in_mixed_formats_apart_from_the_corpus():
    assert len(HELDOUT_FILES) == 8
    suffixes = [path.suffix for path in HELDOUT_FILES]
    assert suffixes.count(".pdf") >= 2 and suffixes.count(".docx") >= 2 and suffixes.count(".html") >= 1
    assert {".txt", ".md"} & set(suffixes)
    assert not {path.name for path in HELDOUT_FILES} & {path.name for path in CORPUS_FILES}
    for path in HELDOUT_FILES:
        text = _source_of(path).read_text(encoding="utf-8")
        words = len(re.sub(r"<[^>]+>", " ", text).split())
        assert 300 <= words <= 700, f"{path.name}: {words} words"
        assert (path.parent.parent / "sources" / path.parent.name).exists() or path.suffix in (".txt", ".md")
    cases = bench.heldout_cases()
    assert len(cases) == 8 and all(case.heldout and case.label.startswith("heldout/") for case in cases)
    assert not any(case.heldout for case in bench.corpus_cases())


def test_the_benchmark_reports_the_held_out_set_apart_and_alone_with_heldout(capsys):
    assert bench.main(["--heldout"]) == 0
    out = capsys.readouterr().out
    assert "Held-out test briefings (written as unseen; measured at 0.62, then tuned on)" in out
    assert "OVERALL (held-out briefings)" in out
    assert "heldout/sar/sar-exec-summary-mr-b.pdf" in out
    assert "OVERALL (test briefings)" not in out and "seeds/" not in out
    assert not re.search(r"^(?!heldout/)\w+/[\w.-]+\.(pdf|docx|html|txt|md) ", out, re.M)  # no corpus file


def test_the_unseen_set_is_six_briefings_in_mixed_formats_apart_from_the_other_sets():
    assert len(UNSEEN_FILES) == 6
    suffixes = [path.suffix for path in UNSEEN_FILES]
    assert suffixes.count(".pdf") == 2 and suffixes.count(".docx") == 1 and suffixes.count(".html") == 1
    assert suffixes.count(".txt") + suffixes.count(".md") == 2
    names = {path.name for path in UNSEEN_FILES}
    assert not names & {path.name for path in CORPUS_FILES + HELDOUT_FILES}
    for path in UNSEEN_FILES:
        text = _source_of(path).read_text(encoding="utf-8")
        words = len(re.sub(r"<[^>]+>", " ", text).split())
        assert 300 <= words <= 600, f"{path.name}: {words} words"
        assert text.lstrip().startswith(("Test material", "<p")) and bench.MARKER in text.splitlines()[0]
    cases = bench.unseen_cases()
    assert len(cases) == 6 and all(case.unseen and case.label.startswith("unseen/") for case in cases)
    assert not any(case.heldout for case in cases)
    assert not any(case.unseen for case in bench.corpus_cases() + bench.heldout_cases())


def test_the_benchmark_reports_the_unseen_set_apart_and_alone_with_unseen(capsys):
    assert bench.main(["--unseen"]) == 0
    out = capsys.readouterr().out
    assert "Unseen test briefings (written as unseen; measured at 0.76, then tuned on)" in out
    assert "OVERALL (unseen briefings)" in out
    assert "unseen/exec_summary/lcspr-exec-summary-child" in out
    assert "OVERALL (held-out briefings)" not in out and "OVERALL (test briefings)" not in out
    assert "seeds/" not in out and "heldout/" not in out
    assert not re.search(r"^(?!unseen/)\w+/[\w.-]+\.(pdf|docx|html|txt|md) ", out, re.M)  # no other file


def test_a_full_run_reports_the_unseen_set_last_in_tables_of_its_own(capsys):
    assert bench.main(["--genre", "board_response"]) == 0
    out = capsys.readouterr().out
    rest, unseen = out.split("Unseen test briefings (written as unseen; measured at 0.76, then tuned on)")
    assert "unseen/" not in rest and "response-child-p" not in unseen and "twins-h" not in unseen
    assert "unseen/board_response/letter-response-sar-ms" in unseen and "OVERALL (unseen briefings)" in unseen


def test_the_seed_briefings_are_read_from_their_fixtures():
    cases = bench.seed_cases()
    assert len(cases) == len(list((ROOT / "fixtures" / "sources").glob("*.json")))
    for case in cases:
        assert case.path.is_file() and case.expected
        assert {entry.kind for entry in case.expected} <= set(bench.KINDS)
    child_k = next(case for case in cases if case.label.endswith("child-k-response"))
    kinds = [entry.kind for entry in child_k.expected]
    assert kinds.count("recommendation") == 4 and kinds.count("action") == 11  # actions nested in recommendations


# ---------------------------------------------------------------------------
# Never content
# ---------------------------------------------------------------------------


def test_load_kb_never_reads_the_benchmark_corpus(monkeypatch):
    from reviews.kb_loading.reader import DEFAULT_FIXTURES_DIR, FixtureReader

    assert BENCH.resolve() not in [DEFAULT_FIXTURES_DIR.resolve(), *DEFAULT_FIXTURES_DIR.resolve().parents]
    touched: list[Path] = []
    for name in ("read_text", "read_bytes", "open", "glob", "rglob", "iterdir"):
        original = getattr(Path, name)

        def spy(self, *args, _original=original, **kwargs):
            touched.append(Path(self).resolve())
            return _original(self, *args, **kwargs)

        monkeypatch.setattr(Path, name, spy)

    FixtureReader(DEFAULT_FIXTURES_DIR).read()

    assert any(path.is_relative_to(DEFAULT_FIXTURES_DIR.resolve()) for path in touched)  # the spy saw the reads
    assert not [path for path in touched if path.is_relative_to(BENCH.resolve())]


def test_the_benchmark_prints_its_command_date_and_table_and_exits_0(capsys):
    assert bench.main(["--genre", "rapid_review", "--verbose"]) == 0
    out = capsys.readouterr().out
    assert "bench/importer.py --genre rapid_review --verbose" in out.splitlines()[0]
    assert re.search(r"Importer benchmark, \d{4}-\d\d-\d\d \d\d:\d\d UTC", out)
    assert "rapid_review/rapid-review-baby-f.txt" in out
    assert "OVERALL (test briefings)" in out and "seeds/" not in out
    # No held-out rapid review.
    assert "Held-out test briefings (written as unseen; measured at 0.62, then tuned on)" not in out


def test_a_genre_shows_its_corpus_and_held_out_briefings_in_separate_tables(capsys):
    assert bench.main(["--genre", "sar"]) == 0
    out = capsys.readouterr().out
    corpus, heldout = out.split("Held-out test briefings (written as unseen; measured at 0.62, then tuned on)")
    assert "sar/sar-summary-joan.docx" in corpus and "heldout/" not in corpus
    assert "heldout/sar/sar-exec-summary-mr-b.pdf" in heldout and "sar-summary-joan" not in heldout
    assert "OVERALL (test briefings)" in out and "OVERALL (held-out briefings)" in out
