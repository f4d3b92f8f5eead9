"""The test documents of the format readers, and how they are built.

TEST MATERIAL: every document here was written for this project's tests. The
briefings are made up; no text comes from a real briefing.

The built files are committed under tests/documents/ (small, and the tests
then need no browser). To rebuild them after changing a source below:

    .venv/bin/python -m tests.support.documents

PDFs are printed from the HTML below by headless Chromium (Playwright's
``page.pdf``); Word files are written with python-docx; the bad files are
made from the good ones (pypdf encrypts one).
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

from tests.support.browser import CHROMIUM, CHROMIUM_ARGS

DOCUMENTS = Path(__file__).resolve().parent.parent / "documents"

_STYLE = """
body { font-family: Arial, sans-serif; font-size: 11pt; line-height: 1.3; }
h1 { font-size: 22pt; margin: 0 0 10pt; }
h2 { font-size: 15pt; margin: 12pt 0 4pt; }
p { margin: 0 0 8pt; }
ul, ol { margin: 0 0 8pt; }
"""

ONE_COLUMN_HTML = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Test learning brief: Child T</title>
<style>{_STYLE} .narrow {{ width: 60%; }} .next {{ break-before: page; }}</style></head><body>
<h1>Test learning brief: Child T</h1>
<p class="narrow">This test briefing is made up for the importer's tests. Its long paragraphs are wrapped
by the printer over several lines, which the reader joins back into one paragraph.</p>
<h2>What happened</h2>
<p>Test Child T lived with a parent and a grandparent. Several agencies knew the family but no single
agency saw the whole picture of the test child's life.</p>
<p><strong>Key points for practitioners</strong></p>
<ul>
<li>Test bullet one: ask who else lives in the household and record the answer in every agency's notes.</li>
<li>Test bullet two is short.</li>
</ul>
<h2 class="next">What to do</h2>
<ol>
<li>Check the test records before each visit.</li>
<li>Share concerns with the test team the same day, in writing, so that nothing is lost over a
weekend or a holiday.</li>
</ol>
<p>Test closing paragraph after the list.</p>
<h2 class="narrow">Test heading long enough to be wrapped over two lines of the page</h2>
<p>• Test typed bullet one<br>• Test typed bullet two</p>
</body></html>
"""

SEVEN_BOX_HTML = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Test 7 minute briefing</title>
<style>{_STYLE}
.grid {{ display: grid; grid-template-columns: 1fr 1fr; gap: 14pt; }}
.box {{ border: 2px solid #034; padding: 8pt; break-inside: avoid; }}
.wide {{ grid-column: 1 / 3; border-radius: 18pt; }}
.box h2 {{ margin-top: 0; }}
</style></head><body>
<h1>Test 7 minute briefing</h1>
<div class="grid">
<div class="box"><h2>1. Background</h2><p>Test box one tells the made-up background of the test case over a
couple of lines of text.</p></div>
<div class="box"><h2>2. Why it matters</h2><p>Test box two says why it matters.</p></div>
<div class="box"><h2>3. Information</h2><p>Test box three has information that is long enough to wrap
over two lines.</p></div>
<div class="box"><h2>4. Findings</h2><ul><li>Test finding one.</li><li>Test finding two.</li></ul></div>
<div class="box"><h2>5. Learning</h2><p>Test box five has the learning.</p></div>
<div class="box"><h2>6. Questions</h2><p>Test box six asks: what would you do?</p></div>
<div class="box wide"><h2>7. Further information</h2><p>Test box seven spans both columns with its
rounded corners.</p></div>
</div>
</body></html>
"""

TWO_COLUMN_HTML = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Test two-column bulletin</title>
<style>{_STYLE}
.columns {{ column-count: 2; column-gap: 24pt; margin-bottom: 10pt; }}
.columns p {{ break-inside: avoid; }}
</style></head><body>
<h1>Test two-column bulletin</h1>
<p>Test introduction across the whole page, above the two columns.</p>
<div class="columns">
<p>Test left column, first paragraph, long enough to wrap over several lines of the narrow column.</p>
<p>Test left column, second paragraph, also wrapped over more than one line.</p>
<p style="break-before: column">Test right column, first paragraph, wrapped over lines of its own.</p>
<p>Test right column, second paragraph.</p>
</div>
<p>Test closing paragraph across the whole page, below the two columns, long enough to run from the
left margin over the gutter to the right.</p>
</body></html>
"""

# Seven shaded boxes without borders over two pages, on a page with a background
# colour: four in a 2 x 2 grid, then three in a row.
SHADED_BOXES_HTML = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Test shaded briefing</title>
<style>{_STYLE}
html, body {{ background: #f4f1ea; -webkit-print-color-adjust: exact; print-color-adjust: exact; }}
.grid {{ display: grid; gap: 16pt; margin-bottom: 16pt; }}
.two {{ grid-template-columns: 1fr 1fr; }}
.three {{ grid-template-columns: 1fr 1fr 1fr; break-before: page; }}
.box {{ background: #d9e8f5; padding: 10pt; }}
.box p {{ font-weight: bold; }}
</style></head><body>
<h1>Test shaded briefing</h1>
<div class="grid two">
<div class="box"><p>Test one</p><p style="font-weight: normal">Test text of shaded box one.</p></div>
<div class="box"><p>Test two</p><p style="font-weight: normal">Test text of shaded box two, a little longer so
that it wraps.</p></div>
<div class="box"><p>Test three</p><p style="font-weight: normal">Test text three.</p></div>
<div class="box"><p>Test four</p><p style="font-weight: normal">Test text four.</p></div>
</div>
<div class="grid three">
<div class="box"><p>Test five</p><p style="font-weight: normal">Test text five.</p></div>
<div class="box"><p>Test six</p><p style="font-weight: normal">Test text six.</p></div>
<div class="box"><p>Test seven</p><p style="font-weight: normal">Test text seven.</p></div>
</div>
</body></html>
"""

# Paragraphs told apart without space between them, in double line spacing and
# in single; a footnote mark raised above its line.
SPACING_HTML = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Test spacing</title>
<style>{_STYLE} p {{ margin: 0; width: 70%; }} .double p {{ line-height: 2.4; }}</style></head><body>
<h1>Test spacing</h1>
<div class="double">
<p>Test double-spaced paragraph one, long enough to wrap over three or four lines of the page at this
width, which it does because it goes on for a while about nothing in particular.</p>
<p>Test double-spaced paragraph two, also long enough to wrap over three lines of the page, because it
too goes on for a while longer than it needs to.</p>
</div>
<h2>Test single spacing</h2>
<p>Test paragraph without space after it, long enough to wrap over two lines of the page at this
width.</p>
<p>Test next paragraph with a footnote mark<sup>1</sup> in its first line and more words to wrap it.</p>
</body></html>
"""

# A board's response to recommendations, as a ruled table.
TABLE_HTML = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Test board response</title>
<style>{_STYLE} table {{ border-collapse: collapse; width: 100%; }}
th, td {{ border: 1px solid #333; padding: 4pt; text-align: left; vertical-align: top; }}</style></head><body>
<h1>Test board response</h1>
<p>Test paragraph before the table.</p>
<table>
<tr><th>Recommendation</th><th>Test response</th><th>Test owner</th></tr>
<tr><td>1. Test recommendation one, long enough that the cell wraps its text over lines.</td>
<td>Test accepted.</td><td>Test board</td></tr>
<tr><td>2. Test recommendation two.</td><td>Test accepted in part, as the cell says over a wrapped line or two.</td>
<td>Test health</td></tr>
</table>
<p>Test paragraph after the table.</p>
<table class="layout">
<tr><td><p><b>Test cell one</b></p><ul><li>Test point one A.</li><li>Test point one B.</li></ul></td>
<td><p><b>Test cell two</b></p><ul><li>Test point two A.</li><li>Test point two B.</li></ul></td></tr>
<tr><td><p><b>Test cell three</b></p><ul><li>Test point three A.</li><li>Test point three B.</li></ul></td>
<td><p><b>Test cell four</b></p><ul><li>Test point four A.</li><li>Test point four B.</li></ul></td></tr>
</table>
</body></html>
"""

PDF_SOURCES = {
    # name: (HTML, print a running header and footer)
    "one-column.pdf": (ONE_COLUMN_HTML, True),
    "seven-box.pdf": (SEVEN_BOX_HTML, False),
    "two-column.pdf": (TWO_COLUMN_HTML, False),
    "shaded-boxes.pdf": (SHADED_BOXES_HTML, False),
    "spacing.pdf": (SPACING_HTML, False),
    "table.pdf": (TABLE_HTML, False),
}

_HEADER = "<div style='font-size:8pt;width:100%;text-align:center'>Test Partnership – test material</div>"
_FOOTER = (
    "<div style='font-size:8pt;width:100%;text-align:center'>"
    "Page <span class='pageNumber'></span> of <span class='totalPages'></span></div>"
)

# A saved page of a partnership's web site: the briefing in <main>, around it
# what the reader must leave out.
WEB_PAGE_HTML = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>Test learning from Child W | Test Safeguarding Partnership</title>
<style>.hidden { display: none; }</style><script>var tracking = "Test script text";</script></head>
<body>
<a class="skip-link" href="#main">Skip to main content</a>
<div id="cookie-banner" class="cookie-banner"><p>Test cookie banner: we use cookies.</p>
<button>Accept cookies</button></div>
<header><p>Test Safeguarding Partnership</p>
<nav><ul><li><a href="/">Home</a></li><li><a href="/reviews">Reviews</a></li></ul></nav>
<form role="search"><label>Search this site<input name="q"></label></form></header>
<nav class="breadcrumbs" aria-label="Breadcrumb"><ol><li>Home</li><li>Learning</li></ol></nav>
<main id="main">
<h1>Test learning from Child W</h1>
<p>Published: Test date line</p>
<p>This test page was written for the importer's tests.<br>
It has a line break inside a paragraph.</p>
<h2>What we learned</h2>
<p><strong>Test bold label paragraph</strong></p>
<ul><li>Test learning item one.</li><li>Test learning item <em>two</em> with emphasis.</li></ul>
<h3>What to do next</h3>
<ol><li>Test first step.</li><li>Test second step.</li></ol>
<ol start="3"><li>Test third step, in a list that starts at three.</li></ol>
<table><thead><tr><th>Agency</th><th>Test action</th></tr></thead>
<tbody><tr><td>Test health</td><td>Test review of the referral form.</td></tr></tbody></table>
<div class="share">Share this page: <a href="#">Test share link</a></div>
</main>
<aside><h2>Related pages</h2><p>Test related link.</p></aside>
<footer><p>Test footer: © Test Safeguarding Partnership</p></footer>
</body></html>
"""


def build_pdfs(directory: Path = DOCUMENTS) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page()
        for name, (html, running) in PDF_SOURCES.items():
            page.set_content(html)
            page.pdf(
                path=str(directory / name),
                format="A4",
                print_background=True,
                margin={"top": "18mm", "bottom": "18mm", "left": "16mm", "right": "16mm"},
                display_header_footer=running,
                header_template=_HEADER if running else "<span></span>",
                footer_template=_FOOTER if running else "<span></span>",
            )
        # A scan: a page holding only a picture of text, no text layer.
        page.set_content(
            "<!doctype html><html><body style='margin:0'>"
            "<canvas id='c' width='400' height='120'></canvas><script>"
            "const c = document.getElementById('c').getContext('2d');"
            "c.fillStyle = 'white'; c.fillRect(0, 0, 400, 120);"
            "c.fillStyle = 'black'; c.font = '24px sans-serif'; c.fillText('Test scanned page', 20, 60);"
            "</script></body></html>"
        )
        page.pdf(path=str(directory / "scanned.pdf"), width="120mm", height="50mm")
        browser.close()


def build_docx(path: Path) -> None:
    """A Word briefing with heading styles, a bold heading, lists, a table and a text box."""
    from docx import Document
    from docx.shared import Pt

    document = Document()
    document.core_properties.title = "Test Word briefing: Baby Q"
    document.add_paragraph("Test Word briefing: Baby Q", style="Title")
    document.add_paragraph("This test document was written for the importer's tests.")
    document.add_heading("Background", level=1)
    document.add_paragraph("Test Baby Q was three months old. The test family had moved twice.")
    bold = document.add_paragraph()
    bold.add_run("Test bold heading without a style").bold = True
    document.add_paragraph("Test first bullet.", style="List Bullet")
    document.add_paragraph("Test second bullet.", style="List Bullet")
    document.add_heading("Recommendations", level=2)
    document.add_paragraph("Test first numbered recommendation.", style="List Number")
    document.add_paragraph("Test second numbered recommendation.", style="List Number")
    mixed = document.add_paragraph("Test paragraph with ")
    mixed.add_run("some bold").bold = True
    mixed.add_run(" words in it.")
    table = document.add_table(rows=3, cols=2)
    texts = [("Agency", "Test response"), ("Test police", "Agreed."), ("Test health", "")]
    for row, cells in zip(table.rows, texts, strict=True):
        for cell, text in zip(row.cells, cells, strict=True):
            cell.text = text
    for run in table.rows[0].cells[0].paragraphs[0].runs + table.rows[0].cells[1].paragraphs[0].runs:
        run.bold = True
    lettered = _add_lettered_numbering(document)
    numbered_heading = document.add_heading("Test numbered heading", level=2)
    _numbered_paragraph(numbered_heading, "91", 0)
    for text, level in [
        ("Test lettered point.", 0),
        ("Test sub-point in roman numerals.", 1),
        ("Test second lettered point.", 0),
    ]:
        _numbered_paragraph(document.add_paragraph(text), lettered, level)
    box = document.add_table(rows=1, cols=1).cell(0, 0)
    box.paragraphs[0].text = "Test box drawn as a table"
    box.paragraphs[0].style = document.styles["Heading 2"]
    box.add_paragraph("Test paragraph in the box.")
    layout = document.add_table(rows=1, cols=2)
    for cell, number in zip(layout.rows[0].cells, ("one", "two"), strict=True):
        cell.paragraphs[0].text = f"Test layout cell {number}"
        cell.paragraphs[0].runs[0].bold = True
        cell.add_paragraph(f"Test point in cell {number}.", style="List Bullet")
    anchor = document.add_paragraph("Test paragraph holding a text box.")
    _add_text_box(anchor, ["Test text box heading", "Test text box paragraph."])
    modern = document.add_paragraph("Test paragraph holding a modern text box.")
    _add_drawing_text_box(modern, ["Test modern text box text."])
    document.add_paragraph("Test last paragraph.")
    document.styles["Normal"].font.size = Pt(11)
    document.save(str(path))


def _add_text_box(paragraph, lines) -> None:
    """A floating text box (a w:txbxContent in a w:pict/v:textbox, as Word writes for compatibility)."""
    from docx.oxml import parse_xml

    inner = "".join(f'<w:p><w:r><w:t xml:space="preserve">{line}</w:t></w:r></w:p>' for line in lines)
    xml = (
        '<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
        'xmlns:v="urn:schemas-microsoft-com:vml"><w:pict><v:shape style="width:200pt;height:60pt">'
        f"<v:textbox><w:txbxContent>{inner}</w:txbxContent></v:textbox></v:shape></w:pict></w:r>"
    )
    paragraph._p.append(parse_xml(xml))


_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _add_lettered_numbering(document) -> str:
    """A list numbered "a)", "b)" with "i." for its second level (numId 90; returned), and a
    numbering from "4." for headings (numId 91)."""
    from docx.oxml import parse_xml

    numbering = document.part.numbering_part.element
    abstract = parse_xml(
        f'<w:abstractNum xmlns:w="{_W}" w:abstractNumId="90">'
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="%1)"/></w:lvl>'
        '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="lowerRoman"/><w:lvlText w:val="%2."/></w:lvl>'
        "</w:abstractNum>"
    )
    decimal = parse_xml(
        f'<w:abstractNum xmlns:w="{_W}" w:abstractNumId="91">'
        '<w:lvl w:ilvl="0"><w:start w:val="4"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl>'
        "</w:abstractNum>"
    )
    first_num = numbering.find(f"{{{_W}}}num")
    for definition in (abstract, decimal):
        first_num.addprevious(definition)
    for number in ("90", "91"):
        numbering.append(
            parse_xml(f'<w:num xmlns:w="{_W}" w:numId="{number}"><w:abstractNumId w:val="{number}"/></w:num>')
        )
    return "90"


def _numbered_paragraph(paragraph, num_id: str, level: int) -> None:
    from docx.oxml import parse_xml

    paragraph._p.get_or_add_pPr().append(
        parse_xml(f'<w:numPr xmlns:w="{_W}"><w:ilvl w:val="{level}"/><w:numId w:val="{num_id}"/></w:numPr>')
    )


def _add_drawing_text_box(paragraph, lines) -> None:
    """A text box as Word 2010 and later write it: a DrawingML shape, with a VML copy as fallback
    (the reader must read it once)."""
    from docx.oxml import parse_xml

    inner = "".join(f'<w:p><w:r><w:t xml:space="preserve">{line}</w:t></w:r></w:p>' for line in lines)
    xml = (
        f'<w:r xmlns:w="{_W}" xmlns:v="urn:schemas-microsoft-com:vml" '
        'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
        'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
        '<mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wps:wsp><wps:txbx>'
        f"<w:txbxContent>{inner}</w:txbxContent></wps:txbx></wps:wsp></w:drawing></mc:Choice>"
        "<mc:Fallback><w:pict><v:shape><v:textbox>"
        f"<w:txbxContent>{inner}</w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback>"
        "</mc:AlternateContent></w:r>"
    )
    paragraph._p.append(parse_xml(xml))


def build_bad_files(directory: Path = DOCUMENTS) -> None:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for page in PdfReader(directory / "one-column.pdf").pages:
        writer.add_page(page)
    writer.encrypt(user_password="test-password", owner_password="test-owner", algorithm="AES-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    (directory / "encrypted.pdf").write_bytes(buffer.getvalue())


def build(directory: Path = DOCUMENTS) -> None:
    directory.mkdir(exist_ok=True)
    build_pdfs(directory)
    build_docx(directory / "briefing.docx")
    (directory / "web-page.html").write_text(WEB_PAGE_HTML, encoding="utf-8")
    build_bad_files(directory)


if __name__ == "__main__":
    build(Path(sys.argv[1]) if len(sys.argv) > 1 else DOCUMENTS)
