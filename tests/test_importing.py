"""Reading briefings into candidate entries (reviews/importing/), tested on
the five real briefings, and the checks that keep bad files out."""

import re
from pathlib import Path

import pytest

from reviews.importing.decoding import MAX_FILE_BYTES, BriefingFileError, briefing_text_from_bytes
from reviews.importing.structure import (
    ACTION,
    CASE_FACT,
    GOOD_PRACTICE,
    LEARNING,
    RECOMMENDATION,
    parse_briefing,
)
from reviews.importing.themes import ThemeMatcher, keywords

from .support.briefings import BRIEFINGS, read

ROOT = Path(__file__).resolve().parent.parent


def comparable(text: str) -> str:
    """Words only: link placeholders, HTML tags, emphasis, bullets and spacing removed."""
    text = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"</?(?:u|b|i|em|strong|span)\b[^>]*>", "", text)  # inline formatting: not a word break
    text = re.sub(r"<[^>]+>", " ", text)
    text = text.replace("**", "").replace("•", " ")
    text = text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    return re.sub(r"\s+", " ", text).strip().lower()


def test_the_five_briefings_are_found():
    assert [path.name for path in BRIEFINGS] == [
        "000_061062a55a416d00.txt",
        "001_4335b05ff962ec0e.txt",
        "002_52b955c7169f962b.txt",
        "003_2b128cb0abd04d34.txt",
        "004_20151e566d27ae33.txt",
    ]


# ---------------------------------------------------------------------------
# Faithfulness and coverage on every briefing
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("path", BRIEFINGS, ids=lambda p: p.name[:3])
def test_every_candidate_keeps_the_briefings_wording(path):
    text = path.read_text(encoding="utf-8")
    source = comparable(text)
    parsed = parse_briefing(text)
    assert parsed.candidates
    for candidate in parsed.candidates:
        # A recommendation may carry the bullets that complete it: each line is verbatim.
        for line in candidate.text.split("\n"):
            line = comparable(re.sub(r"^- ", "", line))
            if line:
                assert line in source, f"not in the briefing: {line!r}"
        assert candidate.heading == "" or comparable(candidate.heading) in source


def _units(text: str) -> list[str]:
    """The briefing's paragraphs, bullets and table cells, found independently of the importer."""
    units = []
    for block in re.split(r"\n\s*\n", text):
        lines = [line for line in block.split("\n") if line.strip()]
        if sum("\t" in line for line in lines) >= 2:
            for line in lines:
                for cell in line.split("\t"):
                    units.extend(part for part in re.sub(r"<[^>]+>", " ", cell).split("•"))
            continue
        paragraph = []
        for line in lines:
            if re.match(r"^\s*- ", line):
                units.append(line.strip()[2:])
            else:
                paragraph.append(line)
        units.append(" ".join(paragraph))
    return [unit for unit in (comparable(u) for u in units) if unit]


def unaccounted_passages(text: str, parsed) -> list[str]:
    """Passages of five words or more that are not an entry, part of one, a
    heading, a resource, the title, or left out with a reason."""
    # Lines of entries: a recommendation may end with the bullets that complete it.
    entries = [comparable(line.removeprefix("- ")) for c in parsed.candidates for line in c.text.split("\n")]
    entries = [entry for entry in entries if entry]
    headings = {comparable(c.heading) for c in parsed.candidates} | {comparable(h) for h in parsed.headings}
    headings |= {comparable(parsed.title), comparable(parsed.source_title)}
    excluded = {comparable(e["text"]) for e in parsed.excluded}
    resources = [comparable(part) for r in parsed.resources.values() for part in (r.name, r.details_as_stated) if part]
    # What the importer moved into fields: "Police - ", "Recommendation to X - ", "3) ".
    labels = [comparable(c.addressed_to) for c in parsed.candidates if c.addressed_to]
    labels += [f"{c.number})" for c in parsed.candidates if c.number] + ["recommendation to"]
    unaccounted = []
    for unit in _units(text):
        if len(unit.split()) < 5:
            continue
        if any(unit in entry for entry in entries):
            continue
        if unit in headings or unit in excluded or any(unit in r for r in resources):
            continue
        if _covered_by_parts(unit, entries + resources + labels, headings):
            continue
        unaccounted.append(unit)
    return unaccounted


@pytest.mark.parametrize("path", BRIEFINGS, ids=lambda p: p.name[:3])
def test_candidates_cover_every_paragraph_bullet_and_cell(path):
    text = path.read_text(encoding="utf-8")
    parsed = parse_briefing(text)
    assert len(_units(text)) >= 10
    assert unaccounted_passages(text, parsed) == []
    for passage in parsed.excluded:
        assert passage["reason"], passage


def test_the_coverage_check_notices_a_missing_passage():
    text = read("001_4335b05ff962ec0e.txt")
    parsed = parse_briefing(text)
    dropped = next(c for c in parsed.candidates if c.text.startswith("Opportunities are often missed"))
    parsed.candidates.remove(dropped)
    assert unaccounted_passages(text, parsed) == [comparable(dropped.text)]


def _covered_by_parts(unit: str, entries: list[str], headings: set[str]) -> bool:
    """A passage split by the importer is covered by its parts: 'Heading; text'
    by its heading and entry, 'Police - text' by its addressee and entry, a
    contact by its name and details."""
    rest = unit
    for part in sorted(entries + list(headings), key=len, reverse=True):
        if part and part in rest:
            rest = rest.replace(part, " ")
    return len(re.sub(r"[\W_]+", "", rest)) == 0


# ---------------------------------------------------------------------------
# What each briefing yields (expectations written by reading the briefings)
# ---------------------------------------------------------------------------


def test_child_k_response_gives_numbered_recommendations_with_the_actions_answering_them():
    parsed = parse_briefing(read("002_52b955c7169f962b.txt"))
    recommendations = [(i, c) for i, c in enumerate(parsed.candidates) if c.kind == RECOMMENDATION]
    assert [c.number for _, c in recommendations] == ["1", "2", "3", "4"]
    assert recommendations[0][1].text.startswith("To invite all partner agencies to promote awareness")
    for index, _ in recommendations:
        answers = [c for c in parsed.candidates if c.kind == ACTION and c.responds_to == index]
        assert answers, f"no action answers recommendation at {index}"
    third = recommendations[2][1]
    assert third.text.count("\n- ") == 5
    assert "- act confidently within the current safeguarding arrangements" in third.text
    first_answer = next(c for c in parsed.candidates if c.responds_to == recommendations[0][0])
    assert first_answer.text.startswith("HSCB will, with its partners, review the above Protocol")
    assert first_answer.owner == "HSCB"
    assert parsed.title == "Serious Case Review of Child K"
    assert parsed.review_type == "scr"
    assert parsed.source_kind == "board_response"
    assert parsed.published_on is None  # the response gives no date


def test_newsletter_recommendations_keep_who_they_are_addressed_to():
    parsed = parse_briefing(read("003_2b128cb0abd04d34.txt"))
    addressed = [c.addressed_to for c in parsed.candidates if c.kind == RECOMMENDATION]
    assert addressed == [
        "All",
        "All",
        "All",
        "All",
        "All",
        "Police",
        "Policy and Procedures Group",
        "Case Review Group",
        "All",
        "Policies and Procedures Group",
        "Policies and Procedures Group",
        "Learning and Improvement Group",
        "Learning and Improvement Group",
    ]
    police = next(c for c in parsed.candidates if c.addressed_to == "Police")
    assert police.text.startswith("if there is a child present during a domestic dispute")
    assert parsed.review_type == "spr"
    assert parsed.source_kind == "newsletter"


def test_the_pasted_table_gives_good_practice_apart_from_learning():
    parsed = parse_briefing(read("003_2b128cb0abd04d34.txt"))
    good = [c for c in parsed.candidates if c.kind == GOOD_PRACTICE]
    assert [c.heading for c in good] == [
        "Child Protection and Mental Capacity",
        "Transition Issues",
        "Interagency Working",
        "When a Child is Invisible to Significant Agencies",
        "Parents And Carers",
    ]
    assert good[0].text.startswith("The commitment to safeguard was shared by all agencies.")
    table_learning = [c.text for c in parsed.candidates if c.kind == LEARNING and c.heading == "Parents And Carers"]
    assert table_learning == [
        "There was little evidence that good quality information was provided consistently to the family.",
        "Parenting capacity was never assessed properly.",
        "Advanced Care Planning needs to be used appropriately and sensitively and introduced at the right time.",
    ]


def test_bullets_about_a_named_child_are_case_facts():
    parsed = parse_briefing(read("003_2b128cb0abd04d34.txt"))
    facts = [c for c in parsed.candidates if c.kind == CASE_FACT and c.heading == "Child Two"]
    assert [c.text[:40] for c in facts] == [
        "An eleven year old boy who was known to ",
        "Child and family seemed very reluctant f",
        "Child reported to have settled reasonabl",
    ]


def test_link_placeholders_become_resources_and_plain_text():
    parsed = parse_briefing(read("001_4335b05ff962ec0e.txt"))
    training = parsed.resources["book onto the lscb conference & core group training"]
    assert training.kind == "training" and training.url == ""
    escalation = next(c for c in parsed.candidates if c.heading == "Escalation")
    assert "via the LSCB Escalation Policy." in escalation.text
    assert "](#)" not in escalation.text
    assert "lscb escalation policy" in escalation.resources
    assert parsed.published_on.isoformat() == "2018-05-01" and parsed.published_precision == "month"


def test_contact_details_are_kept_exactly_as_printed_even_when_mistyped():
    parsed = parse_briefing(read("000_061062a55a416d00.txt"))
    contacts = [r for r in parsed.resources.values() if r.kind == "contact"]
    assert [r.details_as_stated for r in contacts] == ["01793 466903 / fcpswindon.gov.uk"]
    assert contacts[0].name == "Concerned about a child? Contact the Multi-Agency Safeguarding Hub (MASH)"


def test_run_in_headings_are_split_from_their_text():
    parsed = parse_briefing(read("001_4335b05ff962ec0e.txt"))
    first = parsed.candidates[0]
    assert first.heading == "Safe Sleeping Guidance"
    assert first.text.startswith("At all antenatal, new birth and 6 week contacts, the Health Visitor should")
    neglect = [c for c in parsed.candidates if c.heading == "Neglect"]
    assert neglect[0].text.startswith("Neglect is a serious form of harm")


def test_a_truncated_line_and_the_date_line_are_left_out_with_reasons():
    parsed = parse_briefing(read("004_20151e566d27ae33.txt"))
    reasons = {e["text"]: e["reason"] for e in parsed.excluded}
    assert "fragment" in reasons["Co"]
    assert "date" in reasons["Date published: September 2023"]
    assert parsed.published_on.isoformat() == "2023-09-01"
    assert parsed.review_type == "thematic"
    assert parsed.source_kind == "seven_minute_briefing"
    assert parsed.title == "Recurring Themes from Case Review 2021-23 7 Minute Briefing"


def test_work_done_or_planned_is_an_action_and_findings_are_not():
    parsed = parse_briefing(read("000_061062a55a416d00.txt"))
    actions = [c.text for c in parsed.candidates if c.kind == ACTION]
    # As the fixture's entries have them: what the SSP has in place or will do, reported at the end of a
    # passage, is an action of its own.
    assert actions[-3:] == [
        "An action plan is in place by the SSP to address the recommendations and monitor them.",
        "The SSP will explore with respect of working with extended families around development of any advice or "
        "toolkits.",
        "Joint training in the use of assessments in being devised and due to be implemented in Swindon by "
        "January 2020.",
    ]
    assert not [text for text in actions if text.startswith(("Communication between", "The SCIE website"))]
    salford = parse_briefing(read("004_20151e566d27ae33.txt"))
    assert [c for c in salford.candidates if c.kind == ACTION] == []


def test_markdown_and_html_structures_in_a_synthetic_document():
    text = (
        "Test briefing 7\n\nKey Actions and Recommendations\n\n"
        "Recommendation 2: Test agencies should review test procedure A.\n\n"
        "Health - test practitioners to record test outcome B.\n\n"
        "<table><tr><th></th><th>Good practice</th><th>Learning</th></tr>"
        "<tr><td>Test row</td><td>Test good practice C was seen.</td>"
        "<td><ul><li>Test learning D was missed.</li><li>Test learning E was late.</li></ul></td></tr></table>\n\n"
        "See the [test guidance F](https://example.org/f) for more."
    )
    parsed = parse_briefing(text)
    by_text = {c.text: c for c in parsed.candidates}
    assert by_text["Test agencies should review test procedure A."].number == "2"
    assert by_text["test practitioners to record test outcome B."].addressed_to == "Health"
    assert by_text["Test good practice C was seen."].kind == GOOD_PRACTICE
    assert by_text["Test learning D was missed."].kind == LEARNING
    assert by_text["Test learning E was late."].heading == "Test row"
    linked = by_text["See the [test guidance F](https://example.org/f) for more."]
    assert parsed.resources[linked.resources[0]].url == "https://example.org/f"


# ---------------------------------------------------------------------------
# Bad files
# ---------------------------------------------------------------------------

GOOD_TEXT = "Test heading\n\nTest learning point one is a sentence of a test briefing.\n"


@pytest.mark.parametrize(
    "name, data, message",
    [
        ("empty.txt", b"", "is empty"),
        ("blank.txt", b"  \n\n \t\n", "is empty"),
        ("briefing.pdf", GOOD_TEXT.encode(), "not a plain text or Markdown file"),
        ("briefing.docx", GOOD_TEXT.encode(), "not a plain text or Markdown file"),
        ("no-suffix", GOOD_TEXT.encode(), "not a plain text or Markdown file"),
        ("renamed.txt", b"%PDF-1.7\n%binary", "is a PDF file, not plain text"),
        ("renamed.md", b"PK\x03\x04word/document.xml", "Word (.docx)"),
        ("nul.txt", b"Test text\x00\x00\x00 more", "binary data"),
        ("latin1.txt", "Test caf\u00e9 briefing".encode("latin-1"), "not saved as UTF-8"),
        ("control.txt", b"Test" + bytes(range(1, 9)) * 20, "control characters"),
        ("huge.txt", b"Test words. " * (MAX_FILE_BYTES // 10), "larger than 200 KB, the limit"),
        ("utf16-no-mark.txt", GOOD_TEXT.encode("utf-16-le"), "saved as UTF-16 (“Unicode”) without the mark"),
        ("utf16-broken.txt", b"\xff\xfe" + GOOD_TEXT.encode("utf-16-le")[:-1], "saved as UTF-16"),
    ],
)
def test_bad_files_get_a_clear_message(name, data, message):
    with pytest.raises(BriefingFileError) as error:
        briefing_text_from_bytes(name=name, data=data)
    assert message in str(error.value)


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be"])
def test_a_file_saved_as_unicode_with_its_byte_order_mark_is_read(encoding):
    """Notepad's and Word's "Unicode" is UTF-16 with a byte order mark: read, not called binary."""
    text = "Test heading\n\nTest ‘quoted’ – learning point of a test briefing.\n"
    mark = "\ufeff" if encoding.endswith(("-le", "-be")) else ""  # the plain codecs write their own
    assert briefing_text_from_bytes(name="test.txt", data=(mark + text).encode(encoding)) == text


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be"])
def test_a_unicode_file_with_a_nul_character_gets_the_same_message_as_utf8(encoding):
    """One NUL in a UTF-16 or UTF-32 file used to reach the database (a 500 in the admin)."""
    mark = "\ufeff" if encoding.endswith(("-le", "-be")) else ""
    data = (mark + "Test heading\n\nTest learning\x00 point.\n").encode(encoding)
    with pytest.raises(BriefingFileError, match="contains binary data, not text"):
        briefing_text_from_bytes(name="test.txt", data=data)


def test_a_good_file_is_read_as_utf8_with_or_without_a_byte_order_mark():
    assert briefing_text_from_bytes(name="Test.TXT", data=GOOD_TEXT.encode()) == GOOD_TEXT
    assert briefing_text_from_bytes(name="test.md", data=b"\xef\xbb\xbf" + GOOD_TEXT.encode()) == GOOD_TEXT
    curly = "Test ‘quoted’ – text".encode()
    assert briefing_text_from_bytes(name="test.txt", data=curly) == "Test ‘quoted’ – text"


# ---------------------------------------------------------------------------
# Suggesting themes
# ---------------------------------------------------------------------------


def test_keywords_are_lightly_stemmed():
    assert keywords("Sharing information with families") == ["shar", "information", "family"]
    assert keywords("share the information; a family") == ["shar", "information", "family"]


def test_theme_matcher_uses_headings_phrases_and_keywords():
    matcher = ThemeMatcher(
        [
            (1, "Test theme neglect", ["Test alias chronic neglect"]),
            (2, "Test theme information sharing", ["Communication between agencies"]),
            (3, "Test theme safe sleeping", []),
        ]
    )
    assert matcher.suggest(text="A test paragraph.", heading="Communication between agencies;") == [2]
    assert matcher.suggest(text="Test paragraph about chronic neglect at home.", heading="") == [1]
    assert matcher.suggest(text="Parents were given safe sleeping advice.", heading="") == [3]
    assert matcher.suggest(text="An unrelated test sentence about weather.", heading="") == []


def test_rare_keywords_weigh_more_than_common_ones():
    matcher = ThemeMatcher([(1, "Test safeguarding babies", []), (2, "Test safeguarding adolescents", [])])
    scores = {theme: score for score, theme in matcher.scores(text="Babies need test care.", heading="")}
    assert scores[1] > scores.get(2, 0)
