"""Build the benchmark's PDF, Word and web-page test briefings from their sources.

Test material for the importer benchmark: invented, not a real case.

    .venv/bin/python bench/importer_corpus/build.py

The sources are in ``sources/<genre>/``: HTML fragments (the content only) for
PDFs and web pages, and a small Markdown (``#`` headings, ``-`` and ``1.``
lists, ``|`` table rows, ``**bold**`` run-in labels, ``*italic*`` lines) for
Word documents. Each built file is written next to its ``.expected.json``:

- PDF: headless Chromium (``page.pdf()``); a 7-minute briefing is laid out as
  seven boxes in a CSS grid on one landscape page, as partnerships print them;
- Word: python-docx with the built-in heading, list and table styles, and the
  title in the document's properties;
- web page: the content inside a partnership site's page, with a header, a
  navigation menu, breadcrumbs, a cookie banner and a footer around it (what a
  page saved from a browser holds).

Built files are committed, so the benchmark needs neither Chromium nor
python-docx; their dates are fixed, so that rebuilding an unchanged source
gives the same bytes.
"""

from __future__ import annotations

import datetime
import html
import io
import re
import sys
import zipfile
from pathlib import Path

CORPUS = Path(__file__).resolve().parent
SOURCES = CORPUS / "sources"
# The held-out test briefings (bench/importer_heldout/, never tuned against) are built the same way.
HELDOUT = CORPUS.parent / "importer_heldout"
# So are the unseen test briefings (bench/importer_unseen/, written after the importer's last change).
UNSEEN = CORPUS.parent / "importer_unseen"

FIXED_DATE = datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC)
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# (source under sources/, built file under the corpus, how, the site or publisher around it)
BUILDS = [
    ("seven_minute/7mb-baby-rowan.html", "seven_minute/7mb-baby-rowan.pdf", "pdf-boxes", ""),
    ("thematic_review/thematic-safer-sleep.html", "thematic_review/thematic-safer-sleep.pdf", "pdf", ""),
    ("dhr/dhr-learning-brief-anna.html", "dhr/dhr-learning-brief-anna.pdf", "pdf", ""),
    ("six_step/six-step-child-ellis.md", "six_step/six-step-child-ellis.docx", "docx", ""),
    ("board_response/response-sar-mr-d.md", "board_response/response-sar-mr-d.docx", "docx", ""),
    ("sar/sar-summary-joan.md", "sar/sar-summary-joan.docx", "docx", ""),
    (
        "what_happened/learning-child-jay.html",
        "what_happened/learning-child-jay.html",
        "web",
        "Eastbrook Safeguarding Children Partnership",
    ),
    (
        "appreciative_inquiry/ai-family-s.html",
        "appreciative_inquiry/ai-family-s.html",
        "web",
        "Millbrook Safeguarding Children Partnership",
    ),
    ("learning_brief/learning-brief-siblings-w.html", "learning_brief/learning-brief-siblings-w.pdf", "pdf", ""),
    ("appreciative_inquiry/ai-young-person-k.md", "appreciative_inquiry/ai-young-person-k.docx", "docx", ""),
    ("sar/sar-briefing-peter.html", "sar/sar-briefing-peter.html", "web", "Westdale Safeguarding Adults Board"),
]

# The held-out set's builds, in the same form, relative to HELDOUT and HELDOUT / "sources".
HELDOUT_BUILDS = [
    ("seven_minute/7mb-child-amara.html", "seven_minute/7mb-child-amara.pdf", "pdf-boxes", ""),
    ("sar/sar-exec-summary-mr-b.html", "sar/sar-exec-summary-mr-b.pdf", "pdf", ""),
    ("board_response/response-cspr-twins-h.md", "board_response/response-cspr-twins-h.docx", "docx", ""),
    ("dhr/dhr-summary-leila.md", "dhr/dhr-summary-leila.docx", "docx", ""),
    (
        "newsletter/safeguarding-matters-winter.html",
        "newsletter/safeguarding-matters-winter.html",
        "web",
        "Saltmarsh Vale Safeguarding Children Partnership",
    ),
]


# The unseen set's builds, in the same form, relative to UNSEEN and UNSEEN / "sources".
UNSEEN_BUILDS = [
    ("rapid_review/rapid-review-learning-baby-k.html", "rapid_review/rapid-review-learning-baby-k.pdf", "pdf", ""),
    ("exec_summary/lcspr-exec-summary-child-d.html", "exec_summary/lcspr-exec-summary-child-d.pdf", "pdf", ""),
    ("board_response/letter-response-sar-ms-v.md", "board_response/letter-response-sar-ms-v.docx", "docx", ""),
    (
        "reviews_page/learning-from-reviews-fenwick.html",
        "reviews_page/learning-from-reviews-fenwick.html",
        "web",
        "Fenwick Safeguarding Children Partnership",
    ),
]


def all_builds() -> list[tuple[Path, str, str, str, str]]:
    """``(root, source, target, how, site)`` for the corpus, the held-out set and the unseen set."""
    return (
        [(CORPUS, *build) for build in BUILDS]
        + [(HELDOUT, *build) for build in HELDOUT_BUILDS]
        + [(UNSEEN, *build) for build in UNSEEN_BUILDS]
    )


PRINT_CSS = """
@page { size: A4; margin: 18mm 16mm; }
body { font-family: Arial, Helvetica, sans-serif; font-size: 11pt; line-height: 1.35; color: #111; }
h1 { font-size: 20pt; margin: 0 0 4pt; }
h2 { font-size: 14pt; margin: 14pt 0 4pt; }
h3 { font-size: 12pt; margin: 10pt 0 3pt; }
.marker { font-size: 8pt; color: #555; }
.subtitle { font-size: 10pt; color: #333; }
footer { margin-top: 16pt; font-size: 8pt; color: #444; }
"""

BOXES_CSS = """
@page { size: A4 landscape; margin: 8mm; }
body { font-size: 8.5pt; line-height: 1.25; }
h1 { font-size: 16pt; }
.grid { display: grid; grid-template-columns: repeat(4, 1fr); gap: 5mm; margin-top: 4mm; }
.box { border: 2px solid #1d70b8; border-radius: 6px; padding: 3mm; }
.box h2 { font-size: 11pt; margin: 0 0 2mm; color: #1d70b8; }
.box p, .box li { margin: 0 0 2mm; }
.box ul { padding-left: 4mm; margin: 0; }
footer { margin-top: 3mm; }
"""

WEB_PAGE = """<!DOCTYPE html>
<!-- Test material for the importer benchmark: invented, not a real case. -->
<html lang="en-GB">
<head>
<meta charset="utf-8">
<title>{title} | {site}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body {{ font-family: Arial, sans-serif; margin: 0; }}
.cookie-banner {{ background: #f3f2f1; padding: 1em; }}
header, nav, footer {{ background: #0b0c0c; color: #fff; padding: 0.5em 1em; }}
nav a, footer a {{ color: #fff; margin-right: 1em; }}
main {{ max-width: 46em; margin: 1em auto; padding: 0 1em; }}
</style>
</head>
<body>
<div class="cookie-banner" role="region" aria-label="Cookies on this site">
<p>We use cookies to make this site work and to understand how it is used.</p>
<button type="button">Accept cookies</button> <button type="button">Reject cookies</button>
<a href="/cookies/">View cookie settings</a>
</div>
<a class="skip-link" href="#main">Skip to main content</a>
<header>
<p class="site-name"><a href="/">{site}</a></p>
<form action="/search/"><label for="q">Search this site</label> <input id="q" name="q"> <button>Search</button></form>
</header>
<nav aria-label="Menu">
<ul>
<li><a href="/">Home</a></li>
<li><a href="/professionals/">Professionals</a></li>
<li><a href="/reviews/">Learning from reviews</a></li>
<li><a href="/training/">Training</a></li>
<li><a href="/contact/">Contact us</a></li>
</ul>
</nav>
<div class="breadcrumbs"><a href="/">Home</a> &gt; <a href="/reviews/">Learning from reviews</a> &gt; {title}</div>
<main id="main">
{content}
</main>
<aside><h2>Related pages</h2>
<ul><li><a href="/reviews/">All reviews</a></li><li><a href="/training/">Book training</a></li></ul>
</aside>
<footer>
<p><a href="/accessibility/">Accessibility</a> <a href="/privacy/">Privacy notice</a>
<a href="/cookies/">Cookies</a></p>
<p>{site}. All rights reserved.</p>
</footer>
</body>
</html>
"""


def title_of_html(fragment: str) -> str:
    match = re.search(r"<h1>(.*?)</h1>", fragment, re.S)
    return html.unescape(re.sub(r"<[^>]+>", "", match.group(1))).strip() if match else ""


def build_pdf(browser, fragment: str, target: Path, *, boxes: bool) -> None:
    css = PRINT_CSS + (BOXES_CSS if boxes else "")
    title = html.escape(title_of_html(fragment))
    page_html = f'<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8"><title>{title}</title>'
    page_html += f"<style>{css}</style></head><body>{fragment}</body></html>"
    page = browser.new_page()
    page.set_content(page_html, wait_until="load")
    target.write_bytes(fixed_pdf_dates(page.pdf(print_background=True, prefer_css_page_size=True)))
    page.close()


PDF_DATE = re.compile(rb"/(CreationDate|ModDate) ?\(D:\d{14}")


def fixed_pdf_dates(data: bytes) -> bytes:
    """The PDF with its creation and modification dates set to one fixed day (same length:
    the cross-reference table's byte offsets stay right), so that a rebuild of an unchanged
    source changes nothing."""
    return PDF_DATE.sub(lambda match: match.group(0)[:-14] + b"20250101000000", data)


def build_web_page(fragment: str, target: Path, *, site: str) -> None:
    title = html.escape(title_of_html(fragment))
    target.write_text(WEB_PAGE.format(title=title, site=html.escape(site), content=fragment.strip()), encoding="utf-8")


INLINE = re.compile(r"\*\*(.+?)\*\*|\*(.+?)\*")


def add_runs(paragraph, text: str) -> None:
    """Add ``text`` to a Word paragraph, ``**bold**`` and ``*italic*`` as runs."""
    position = 0
    for match in INLINE.finditer(text):
        if match.start() > position:
            paragraph.add_run(text[position : match.start()])
        if match.group(1) is not None:
            paragraph.add_run(match.group(1)).bold = True
        else:
            paragraph.add_run(match.group(2)).italic = True
        position = match.end()
    if position < len(text):
        paragraph.add_run(text[position:])


def build_docx(source: str, target: Path) -> None:
    import docx
    from docx.shared import Pt

    document = docx.Document()
    document.styles["Normal"].font.name = "Arial"
    document.styles["Normal"].font.size = Pt(11)
    table_rows: list[list[str]] = []

    def flush_table():
        if not table_rows:
            return
        table = document.add_table(rows=0, cols=len(table_rows[0]))
        table.style = "Table Grid"
        for index, cells in enumerate(table_rows):
            row = table.add_row().cells
            for cell, text in zip(row, cells, strict=True):
                cell.text = ""
                run = cell.paragraphs[0].add_run(text)
                run.bold = index == 0
        table_rows.clear()

    for line in source.splitlines():
        stripped = line.strip()
        if stripped.startswith("|"):
            table_rows.append([cell.strip() for cell in stripped.strip("|").split("|")])
            continue
        flush_table()
        if not stripped:
            continue
        heading = re.match(r"^(#{1,3}) (.*)$", stripped)
        if heading:
            level = len(heading.group(1)) - 1  # "#" is the document's title, "##" Heading 1
            document.add_heading(heading.group(2), level=level)
            if level == 0:
                document.core_properties.title = heading.group(2)
        elif stripped.startswith("- "):
            add_runs(document.add_paragraph(style="List Bullet"), stripped[2:])
        elif re.match(r"^\d+\. ", stripped):
            add_runs(document.add_paragraph(style="List Number"), re.sub(r"^\d+\. ", "", stripped))
        else:
            add_runs(document.add_paragraph(), stripped)
    flush_table()
    document.core_properties.author = "Importer benchmark (test material)"
    document.core_properties.last_modified_by = "Importer benchmark (test material)"
    document.core_properties.created = document.core_properties.modified = FIXED_DATE
    buffer = io.BytesIO()
    document.save(buffer)
    # The same bytes for the same source: every member of the zip dated one fixed day.
    with zipfile.ZipFile(buffer) as built, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for member in built.infolist():
            out.writestr(zipfile.ZipInfo(member.filename, date_time=(2025, 1, 1, 0, 0, 0)), built.read(member))


def main(argv: list[str]) -> int:
    wanted = set(argv)
    builds = [build for build in all_builds() if not wanted or build[2] in wanted or build[1] in wanted]
    needs_browser = any(how.startswith("pdf") for _, _, _, how, _ in builds)
    playwright = browser = None
    if needs_browser:
        from playwright.sync_api import sync_playwright

        playwright = sync_playwright().start()
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    try:
        for root, source_name, target_name, how, site in builds:
            source = (root / "sources" / source_name).read_text(encoding="utf-8")
            target = root / target_name
            target.parent.mkdir(parents=True, exist_ok=True)
            if how == "pdf":
                build_pdf(browser, source, target, boxes=False)
            elif how == "pdf-boxes":
                build_pdf(browser, source, target, boxes=True)
            elif how == "docx":
                build_docx(source, target)
            elif how == "web":
                build_web_page(source, target, site=site)
            print(f"built {target.relative_to(root.parent)} ({target.stat().st_size:,} bytes)")
    finally:
        if browser:
            browser.close()
        if playwright:
            playwright.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
