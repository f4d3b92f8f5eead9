"""The readers of PDF, Word and web page briefings, and the checks on bad files.

The documents read here are TEST MATERIAL written for these tests (see
tests/support/documents.py, which builds them; the built files are committed
under tests/documents/).
"""

import io
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfWriter

from reviews.importing.decoding import (
    MAX_DOCUMENT_BYTES,
    MAX_PDF_PAGES,
    MAX_UPLOAD_BYTES,
    BriefingFileError,
    briefing_text_from_bytes,
    size_limit,
    sniffed_format,
)
from reviews.importing.document import HEADING, ITEM, PARAGRAPH, TABLE, Block
from reviews.importing.readers import BINARY_SUFFIXES, read_binary
from reviews.importing.readers.common import joined_lines, title_or_nothing
from reviews.importing.readers.pdf import _joined_over_pages
from tests.support.documents import DOCUMENTS, WEB_PAGE_HTML

H, P, LI, T = HEADING, PARAGRAPH, ITEM, TABLE


def read(name):
    return read_binary(name, (DOCUMENTS / name).read_bytes())


def shape(document):
    """Each block as (kind, text, level, marker, bold, box): what the tests compare."""
    return [(b.kind, b.text, b.level, b.marker, b.bold, b.box) for b in document.blocks]


# ---------------------------------------------------------------------------
# PDF
# ---------------------------------------------------------------------------


def test_a_one_column_pdf_is_read_into_headings_paragraphs_and_list_items():
    document = read("one-column.pdf")
    assert document.format == "pdf" and document.file_name == "one-column.pdf"
    assert document.title == "Test learning brief: Child T"
    assert shape(document) == [
        (H, "Test learning brief: Child T", 1, "", False, None),
        (
            P,
            "This test briefing is made up for the importer's tests. Its long paragraphs are wrapped by the "
            "printer over several lines, which the reader joins back into one paragraph.",
            0,
            "",
            False,
            None,
        ),
        (H, "What happened", 2, "", False, None),
        (
            P,
            "Test Child T lived with a parent and a grandparent. Several agencies knew the family but no "
            "single agency saw the whole picture of the test child's life.",
            0,
            "",
            False,
            None,
        ),
        (P, "Key points for practitioners", 0, "", True, None),
        (
            LI,
            "Test bullet one: ask who else lives in the household and record the answer in every agency's notes.",
            0,
            "•",
            False,
            None,
        ),
        (LI, "Test bullet two is short.", 0, "•", False, None),
        (H, "What to do", 2, "", False, None),
        (LI, "Check the test records before each visit.", 0, "1.", False, None),
        (
            LI,
            "Share concerns with the test team the same day, in writing, so that nothing is lost over a "
            "weekend or a holiday.",
            0,
            "2.",
            False,
            None,
        ),
        (P, "Test closing paragraph after the list.", 0, "", False, None),
        (H, "Test heading long enough to be wrapped over two lines of the page", 2, "", False, None),
        (LI, "Test typed bullet one", 0, "•", False, None),  # a bullet printed as a character
        (LI, "Test typed bullet two", 0, "•", False, None),
    ]
    assert [block.page for block in document.blocks] == [1] * 7 + [2] * 7


def test_running_headers_footers_and_page_numbers_are_left_out_and_noted():
    document = read("one-column.pdf")
    text = document.as_text()
    assert "test material" not in text and "Page 1" not in text and "of 2" not in text
    assert document.notes == [
        "Left out “Test Partnership – test material”, repeated at the top or bottom of the pages.",
        "Left out the page numbers.",
    ]


def test_a_seven_minute_briefing_is_read_box_by_box_in_reading_order():
    """Seven bordered boxes in a grid of two columns (the last, with rounded corners, spanning
    both): read row by row, left to right, each box numbered and never joined to the next."""
    document = read("seven-box.pdf")
    assert shape(document) == [
        (H, "Test 7 minute briefing", 1, "", False, None),
        (H, "1. Background", 2, "", False, 1),
        (
            P,
            "Test box one tells the made-up background of the test case over a couple of lines of text.",
            0,
            "",
            False,
            1,
        ),
        (H, "2. Why it matters", 2, "", False, 2),
        (P, "Test box two says why it matters.", 0, "", False, 2),
        (H, "3. Information", 2, "", False, 3),
        (P, "Test box three has information that is long enough to wrap over two lines.", 0, "", False, 3),
        (H, "4. Findings", 2, "", False, 4),
        (LI, "Test finding one.", 0, "•", False, 4),
        (LI, "Test finding two.", 0, "•", False, 4),
        (H, "5. Learning", 2, "", False, 5),
        (P, "Test box five has the learning.", 0, "", False, 5),
        (H, "6. Questions", 2, "", False, 6),
        (P, "Test box six asks: what would you do?", 0, "", False, 6),
        (H, "7. Further information", 2, "", False, 7),
        (P, "Test box seven spans both columns with its rounded corners.", 0, "", False, 7),
    ]


def test_shaded_boxes_over_two_pages_are_read_row_by_row_and_numbered_on():
    """Boxes drawn as shaded rectangles, without borders, on a page with a background colour
    (a rectangle as large as the page, which is no box): a 2 x 2 grid, then a row of three."""
    document = read("shaded-boxes.pdf")
    assert [(b.text, b.bold, b.box, b.page) for b in document.blocks] == [
        ("Test shaded briefing", False, None, 1),
        ("Test one", True, 1, 1),
        ("Test text of shaded box one.", False, 1, 1),
        ("Test two", True, 2, 1),
        ("Test text of shaded box two, a little longer so that it wraps.", False, 2, 1),
        ("Test three", True, 3, 1),
        ("Test text three.", False, 3, 1),
        ("Test four", True, 4, 1),
        ("Test text four.", False, 4, 1),
        ("Test five", True, 5, 2),
        ("Test text five.", False, 5, 2),
        ("Test six", True, 6, 2),
        ("Test text six.", False, 6, 2),
        ("Test seven", True, 7, 2),
        ("Test text seven.", False, 7, 2),
    ]


def test_a_two_column_pdf_is_read_column_by_column():
    document = read("two-column.pdf")
    assert [(b.kind, b.text, b.box) for b in document.blocks] == [
        (H, "Test two-column bulletin", None),
        (P, "Test introduction across the whole page, above the two columns.", None),
        (P, "Test left column, first paragraph, long enough to wrap over several lines of the narrow column.", 1),
        (P, "Test left column, second paragraph, also wrapped over more than one line.", 1),
        (P, "Test right column, first paragraph, wrapped over lines of its own.", 2),
        (P, "Test right column, second paragraph.", 2),
        (
            P,
            "Test closing paragraph across the whole page, below the two columns, long enough to run from "
            "the left margin over the gutter to the right.",
            None,
        ),
    ]


def test_a_pdf_whose_fonts_give_no_letters_gets_a_clear_message(monkeypatch):
    from reviews.importing.readers import pdf

    original = pdf._page_lines

    def as_codes(page, number):
        lines, boxes, tables = original(page, number)
        for line in lines:
            for word in line.words:
                word["text"] = "(cid:12)(cid:40)"
        return lines, boxes, tables

    monkeypatch.setattr(pdf, "_page_lines", as_codes)
    with pytest.raises(BriefingFileError, match="its text comes out as codes"):
        read("one-column.pdf")


def test_a_ruled_table_is_a_table_and_a_table_laying_out_boxes_is_read_box_by_box():
    document = read("table.pdf")
    assert shape(document) == [
        (H, "Test board response", 1, "", False, None),
        (P, "Test paragraph before the table.", 0, "", False, None),
        (T, "", 0, "", False, None),
        (P, "Test paragraph after the table.", 0, "", False, None),
        (P, "Test cell one", 0, "", True, 1),
        (LI, "Test point one A.", 0, "•", False, 1),
        (LI, "Test point one B.", 0, "•", False, 1),
        (P, "Test cell two", 0, "", True, 2),
        (LI, "Test point two A.", 0, "•", False, 2),
        (LI, "Test point two B.", 0, "•", False, 2),
        (P, "Test cell three", 0, "", True, 3),
        (LI, "Test point three A.", 0, "•", False, 3),
        (LI, "Test point three B.", 0, "•", False, 3),
        (P, "Test cell four", 0, "", True, 4),
        (LI, "Test point four A.", 0, "•", False, 4),
        (LI, "Test point four B.", 0, "•", False, 4),
    ]
    table = document.blocks[2]
    assert table.header_rows == 1
    assert table.rows == [
        ["Recommendation", "Test response", "Test owner"],
        [
            "1. Test recommendation one, long enough that the cell wraps its text over lines.",
            "Test accepted.",
            "Test board",
        ],
        [
            "2. Test recommendation two.",
            "Test accepted in part, as the cell says over a wrapped line or two.",
            "Test health",
        ],
    ]


def test_paragraphs_are_told_apart_in_double_spacing_and_without_space_between_them():
    document = read("spacing.pdf")
    assert [(b.kind, b.text) for b in document.blocks] == [
        (H, "Test spacing"),
        (
            P,
            "Test double-spaced paragraph one, long enough to wrap over three or four lines of the page at "
            "this width, which it does because it goes on for a while about nothing in particular.",
        ),
        (
            P,
            "Test double-spaced paragraph two, also long enough to wrap over three lines of the page, because "
            "it too goes on for a while longer than it needs to.",
        ),
        (H, "Test single spacing"),
        (
            P,
            "Test paragraph without space after it, long enough to wrap over two lines of the page at this width.",
        ),
        (
            P,
            # The footnote mark, printed raised against its word, is joined to it.
            "Test next paragraph with a footnote mark1 in its first line and more words to wrap it.",
        ),
    ]


def test_a_paragraph_running_on_to_the_next_page_is_joined_and_only_then():
    blocks = [
        Block(P, "Test sentence that runs on", page=1),
        Block(P, "to the next page.", page=2),
        Block(P, "Test sentence that ends.", page=2),
        Block(P, "another starting in lower case on the same page", page=2),
        Block(LI, "Test item ending its page.", marker="•", page=2),
        Block(P, "next page starts a new paragraph", page=3),
    ]
    assert [b.text for b in _joined_over_pages(blocks)] == [
        "Test sentence that runs on to the next page.",
        "Test sentence that ends.",
        "another starting in lower case on the same page",
        "Test item ending its page.",
        "next page starts a new paragraph",
    ]


@pytest.mark.parametrize(
    "lines, text",
    [
        (["Test line one", "and two"], "Test line one and two"),
        (["Test well-", "being"], "Test well-being"),
        (["Test dash -", "then"], "Test dash - then"),
        (["Test 2020-", "21"], "Test 2020-21"),  # a range or year broken at its dash: one word again
        (["Test in 2024–", "25 there were"], "Test in 2024–25 there were"),
        (["Test pages 10/", "12"], "Test pages 10/12"),
        (["Test 2020 –", "21"], "Test 2020 – 21"),  # a dash with a space before it stays a dash between words
    ],
)
def test_wrapped_lines_are_joined_with_a_space_or_after_a_hyphen_with_nothing(lines, text):
    assert joined_lines(lines) == text


@pytest.mark.parametrize(
    "raw, title",
    [
        ("Test learning brief", "Test learning brief"),
        ("Microsoft Word - test briefing v3.docx", ""),
        ("test-briefing", ""),  # the file's own name
        ("untitled", ""),
        ("7MB.indd", ""),
        (b"Test bytes title", "Test bytes title"),
        (None, ""),
    ],
)
def test_a_title_from_the_files_properties_is_kept_only_when_it_means_something(raw, title):
    assert title_or_nothing(raw, "test-briefing.pdf") == title


# ---------------------------------------------------------------------------
# Word
# ---------------------------------------------------------------------------


def test_a_word_document_is_read_with_its_styles_lists_table_and_text_boxes():
    document = read("briefing.docx")
    assert document.format == "docx"
    assert document.title == "Test Word briefing: Baby Q"
    assert shape(document) == [
        (H, "Test Word briefing: Baby Q", 1, "", False, None),
        (P, "This test document was written for the importer's tests.", 0, "", False, None),
        (H, "Background", 2, "", False, None),
        (P, "Test Baby Q was three months old. The test family had moved twice.", 0, "", False, None),
        (P, "Test bold heading without a style", 0, "", True, None),
        (LI, "Test first bullet.", 0, "•", False, None),
        (LI, "Test second bullet.", 0, "•", False, None),
        (H, "Recommendations", 3, "", False, None),
        (LI, "Test first numbered recommendation.", 0, "1.", False, None),
        (LI, "Test second numbered recommendation.", 0, "2.", False, None),
        (P, "Test paragraph with some bold words in it.", 0, "", False, None),
        (T, "", 0, "", False, None),
        (H, "Test numbered heading", 3, "4.", False, None),  # Word's numbering, from 4
        (LI, "Test lettered point.", 0, "a)", False, None),
        (LI, "Test sub-point in roman numerals.", 1, "i.", False, None),
        (LI, "Test second lettered point.", 0, "b)", False, None),
        (H, "Test box drawn as a table", 3, "", False, 1),  # a table of one cell is a box
        (P, "Test paragraph in the box.", 0, "", False, 1),
        # A table whose cells hold lists lays out the page: each cell a box, in order.
        (P, "Test layout cell one", 0, "", True, 2),
        (LI, "Test point in cell one.", 0, "•", False, 2),
        (P, "Test layout cell two", 0, "", True, 3),
        (LI, "Test point in cell two.", 0, "•", False, 3),
        (P, "Test paragraph holding a text box.", 0, "", False, None),
        (P, "Test text box heading", 0, "", False, 4),
        (P, "Test text box paragraph.", 0, "", False, 4),
        (P, "Test paragraph holding a modern text box.", 0, "", False, None),
        (P, "Test modern text box text.", 0, "", False, 5),  # once, not again from its fallback copy
        (P, "Test last paragraph.", 0, "", False, None),
    ]
    table = document.blocks[11]
    assert table.rows == [["Agency", "Test response"], ["Test police", "Agreed."], ["Test health", ""]]
    assert table.header_rows == 1


# ---------------------------------------------------------------------------
# Web pages
# ---------------------------------------------------------------------------


def test_a_saved_web_page_is_read_from_its_main_content_only():
    document = read("web-page.html")
    assert document.format == "html"
    assert document.title == "Test learning from Child W"
    assert shape(document) == [
        (H, "Test learning from Child W", 1, "", False, None),
        (P, "Published: Test date line", 0, "", False, None),
        (
            P,
            "This test page was written for the importer's tests. It has a line break inside a paragraph.",
            0,
            "",
            False,
            None,
        ),
        (H, "What we learned", 2, "", False, None),
        (P, "Test bold label paragraph", 0, "", True, None),
        (LI, "Test learning item one.", 0, "•", False, None),
        (LI, "Test learning item two with emphasis.", 0, "•", False, None),
        (H, "What to do next", 3, "", False, None),
        (LI, "Test first step.", 0, "1.", False, None),
        (LI, "Test second step.", 0, "2.", False, None),
        (LI, "Test third step, in a list that starts at three.", 0, "3.", False, None),
        (T, "", 0, "", False, None),
    ]
    assert document.blocks[-1].rows == [["Agency", "Test action"], ["Test health", "Test review of the referral form."]]
    assert document.blocks[-1].header_rows == 1
    text = document.as_text()
    for site_part in ("cookie", "Skip to", "Home", "Search this site", "Related", "footer", "Share", "script"):
        assert site_part.lower() not in text.lower()
    assert document.notes[-1] == "Left out “share this page” links."


def test_a_page_without_main_is_read_from_its_body_without_the_sites_parts():
    page = b"""<html><head><title>Test briefing - Test Safeguarding Children Partnership</title></head><body>
    <header><h1>Test Site Name</h1><nav><a href="/">Home</a></nav></header>
    <div class="cookie-notice">Test cookies message</div>
    <div class="breadcrumb"><a href="/">Home</a> &gt; Test</div>
    <div class="content"><h1>Test briefing</h1>Test loose text in a div.
    <p>Test first line<br><br>Test second paragraph after two breaks.</p>
    <ol type="a" start="2"><li>Test item b<ul><li>Test nested bullet</li></ul></li></ol>
    <table><tr><td><h2>Test layout heading</h2><p>Test one.</p><p>Test two.</p></td></tr></table>
    <dl><dt>Test term</dt><dd>Test definition.</dd></dl></div>
    <aside>Test aside</aside><footer>Test footer</footer><script>var x = 1;</script></body></html>"""
    document = read_binary("test.htm", page)
    assert document.title == "Test briefing"
    assert shape(document) == [
        (H, "Test briefing", 1, "", False, None),
        (P, "Test loose text in a div.", 0, "", False, None),
        (P, "Test first line", 0, "", False, None),
        (P, "Test second paragraph after two breaks.", 0, "", False, None),
        (LI, "Test item b", 0, "b.", False, None),
        (LI, "Test nested bullet", 1, "•", False, None),
        (H, "Test layout heading", 2, "", False, None),
        (P, "Test one.", 0, "", False, None),
        (P, "Test two.", 0, "", False, None),
        (P, "Test term", 0, "", True, None),
        (P, "Test definition.", 0, "", False, None),
    ]
    assert "the site's header" in document.notes[-1] and "the cookie banner" in document.notes[-1]


def test_a_header_inside_the_main_content_is_kept_and_a_share_line_left_out():
    page = b"""<html><body><header>Test site header</header><main><header><h1>Test page title</h1>
    <p class="meta">Test date line</p></header><p>Test body.</p><p>Share this page on Test network</p>
    <div hidden>Test hidden text</div><p style="display: none">Test invisible text</p></main></body></html>"""
    document = read_binary("test.html", page)
    assert [(b.kind, b.text) for b in document.blocks] == [
        (H, "Test page title"),
        (P, "Test date line"),
        (P, "Test body."),
    ]


def test_a_web_page_in_windows_1252_is_read_by_its_declared_charset():
    page = '<html><head><meta charset="windows-1252"></head><body><main><p>Test café – “quoted”</p></main>'
    document = read_binary("test.html", page.encode("cp1252"))
    assert document.blocks[0].text == "Test café – “quoted”"


# ---------------------------------------------------------------------------
# Bad files: a clear message naming the file, and nothing read
# ---------------------------------------------------------------------------


def _zip(files):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def _pdf_of_blank_pages(count):
    writer = PdfWriter()
    for _ in range(count):
        writer.add_blank_page(width=200, height=200)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _bad_files():
    pdf = (DOCUMENTS / "one-column.pdf").read_bytes()
    docx = (DOCUMENTS / "briefing.docx").read_bytes()
    return [
        ("empty.pdf", b"", "“empty.pdf” is empty"),
        ("blank.html", b"  \n ", "“blank.html” is empty"),
        ("too-big.pdf", b"%PDF-1.7\n" + b"0" * MAX_DOCUMENT_BYTES, "is larger than 10.0 MB, the limit"),
        ("damaged.pdf", pdf[:3000], "“damaged.pdf” cannot be read: the PDF is damaged"),
        ("garbage.pdf", b"%PDF-1.7\n" + bytes(range(256)) * 20, "the PDF is damaged"),
        ("encrypted.pdf", (DOCUMENTS / "encrypted.pdf").read_bytes(), "this PDF is protected by a password"),
        ("scanned.pdf", (DOCUMENTS / "scanned.pdf").read_bytes(), "this PDF has no text: it looks like a scan"),
        ("blank-pages.pdf", _pdf_of_blank_pages(2), "its pages are blank"),
        ("long.pdf", _pdf_of_blank_pages(MAX_PDF_PAGES + 1), f"has {MAX_PDF_PAGES + 1} pages"),
        (
            "word.pdf",
            docx,
            "is not a PDF: it looks like a Word document (.docx). If it is the briefing, rename it to end in .docx",
        ),
        ("page.pdf", WEB_PAGE_HTML.encode(), "is not a PDF: it looks like a web page (.html)"),
        ("picture.pdf", b"\x89PNG\r\n\x1a\n" + bytes(100), "is not a PDF: it looks like a picture"),
        ("pdf.docx", pdf, "“pdf.docx” is not a Word document (.docx): it looks like a PDF"),
        ("text.docx", b"Test plain text", "is not a Word document (.docx): it looks like plain text"),
        (
            "old.docx",
            b"\xd0\xcf\x11\xe0" + bytes(600),
            "it looks like an old-style Word document (.doc). Open it in Word",
        ),
        (
            "locked.docx",
            b"\xd0\xcf\x11\xe0" + "EncryptedPackage".encode("utf-16-le"),
            "this Word document is protected by a password",
        ),
        ("sheet.docx", _zip({"xl/workbook.xml": "<x/>"}), "it looks like an Excel workbook"),
        ("cut-short.docx", docx[:5000], "cannot be opened: it starts like a Word document but the file is damaged"),
        (
            "broken.docx",
            _zip({"word/document.xml": "<not xml", "[Content_Types].xml": "x"}),
            "cannot be read as a Word document",
        ),
        ("pdf.html", pdf, "“pdf.html” is not a web page (.html): it looks like a PDF"),
        ("nav-only.html", b"<html><body><nav>Home</nav><footer>Test</footer></body></html>", "has no text to import"),
        ("title-only.html", b"<title>Test title only</title>", "has no text to import"),
        ("briefing.rtf", b"{\\rtf1 Test}", "cannot be imported: the importer reads PDF (.pdf), Word (.docx)"),
    ]


@pytest.mark.parametrize("name, data, message", _bad_files(), ids=[case[0] for case in _bad_files()])
def test_a_bad_file_gets_a_clear_message_naming_it(name, data, message):
    with pytest.raises(BriefingFileError) as error:
        read_binary(name, data)
    assert message in str(error.value)
    assert f"“{name}”" in str(error.value)


@pytest.mark.parametrize(
    "data, kind",
    [
        (b"%PDF-1.4 test", "pdf"),
        (b"\n\n%PDF-1.4 test", "pdf"),
        (b"<!DOCTYPE html><html></html>", "html"),
        (b"<p>Test</p>", "html"),
        (b"Test plain text with a < sign", "text"),
        (b"{\\rtf1 test}", "rtf"),
        (b"\x00\x01\x02 binary", "binary"),
        (b"PK\x03\x04 not a real zip", "damaged zip"),
    ],
)
def test_the_type_behind_the_name_is_told_from_the_bytes(data, kind):
    assert sniffed_format(data) == kind


def test_the_limits_depend_on_the_format_and_text_files_keep_theirs():
    assert size_limit("test.pdf") == size_limit("test.DOCX") == size_limit("test.htm") == MAX_DOCUMENT_BYTES
    assert size_limit("test.txt") == size_limit("test.md") == 200_000
    assert MAX_UPLOAD_BYTES == MAX_DOCUMENT_BYTES
    assert BINARY_SUFFIXES == (".pdf", ".docx", ".html", ".htm")
    # The text reader still reads only text: a PDF's name sends it elsewhere.
    with pytest.raises(BriefingFileError, match="not a plain text or Markdown file"):
        briefing_text_from_bytes(name="test.pdf", data=b"Test text")


# ---------------------------------------------------------------------------
# The committed documents are what the builder makes
# ---------------------------------------------------------------------------


def test_the_committed_word_document_is_what_the_builder_makes(tmp_path):
    from tests.support.documents import build_docx

    build_docx(tmp_path / "briefing.docx")
    rebuilt = read_binary("briefing.docx", (tmp_path / "briefing.docx").read_bytes())
    assert shape(rebuilt) == shape(read("briefing.docx"))


def test_the_committed_pdfs_are_what_the_builder_makes(tmp_path):
    chromium = os.environ.get("KB_CHROMIUM", "/usr/bin/chromium")
    if not (os.path.exists(chromium) or shutil.which(chromium)):
        if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
            pytest.fail(f"Chromium not found at {chromium}: it is required under CI.")
        pytest.skip(f"Chromium not found at {chromium}.")
    # In a process of its own: Playwright's sync API refuses to start where another test in this
    # worker (a browser test, in random order) has left its event loop running.
    script = (
        "import sys; from pathlib import Path; from tests.support.documents import build_pdfs; "
        "build_pdfs(Path(sys.argv[1]))"
    )
    root = Path(__file__).resolve().parent.parent
    subprocess.run([sys.executable, "-c", script, str(tmp_path)], cwd=root, check=True, timeout=300)
    for name in ("one-column.pdf", "seven-box.pdf", "two-column.pdf", "shaded-boxes.pdf", "spacing.pdf", "table.pdf"):
        rebuilt = read_binary(name, (tmp_path / name).read_bytes())
        assert shape(rebuilt) == shape(read(name)), name
