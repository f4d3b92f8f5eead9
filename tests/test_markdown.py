"""Markdown becomes HTML in one place, and hostile content renders inert."""

import re

import pytest
from django.template import Context, Template

from reviews.markdown import render_markdown, sanitise_highlight, strip_markdown

HOSTILE = [
    pytest.param("<script>alert('x')</script>Text", id="script element"),
    pytest.param("<SCRIPT SRC=https://evil.example/x.js></SCRIPT>", id="script with src, upper case"),
    pytest.param("[Click me](javascript:alert('x'))", id="markdown javascript link"),
    pytest.param("[Click me](JaVaScRiPt:alert('x'))", id="mixed-case javascript link"),
    pytest.param("[Click me](jav&#x61;script:alert('x'))", id="entity-encoded javascript link"),
    pytest.param('<a href="javascript:alert(1)">raw link</a>', id="raw javascript link"),
    pytest.param('<a href="vbscript:msgbox(1)">vb</a>', id="vbscript link"),
    pytest.param('<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">data</a>', id="data: link"),
    pytest.param("[data](data:text/html,<script>alert(1)</script>)", id="markdown data: link"),
    pytest.param('<img src=x onerror="alert(1)">', id="img onerror"),
    pytest.param("![pixel](https://tracker.example/p.gif)", id="markdown image"),
    pytest.param('<p onclick="alert(1)">Click</p>', id="onclick attribute"),
    pytest.param('<a href="https://example.org" onmouseover="alert(1)">hover</a>', id="event handler on a safe link"),
    pytest.param('<svg onload="alert(1)"><circle r="1"/></svg>', id="svg onload"),
    pytest.param('<iframe src="https://evil.example"></iframe>', id="iframe"),
    pytest.param("<style>body{display:none}</style>Text", id="style element"),
    pytest.param('<div style="background:url(javascript:alert(1))">x</div>', id="style attribute"),
    pytest.param('<form action="https://evil.example"><input name="q"></form>', id="form"),
    pytest.param('<object data="x.swf"></object><embed src="x.swf">', id="object and embed"),
    pytest.param('<meta http-equiv="refresh" content="0;url=https://evil.example">', id="meta refresh"),
    pytest.param("<<script>script>alert(1)<</script>/script>", id="nested script"),
    pytest.param('<a href="https://example.org" target="_blank">new window</a>', id="target attribute"),
]

DANGEROUS = re.compile(
    r"<\s*(script|style|iframe|object|embed|form|input|svg|img|meta)\b|\son\w+\s*=|javascript:|vbscript:|data:|"
    r"\sstyle\s*=|\starget\s*=",
    re.IGNORECASE,
)


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_content_renders_inert(text):
    html = render_markdown(text)
    assert not DANGEROUS.search(html), html


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_content_is_inert_through_the_template_filter(text):
    html = Template("{% load kb %}{{ text|markdown }}").render(Context({"text": text}))
    assert not DANGEROUS.search(html), html


def test_script_text_does_not_leak_into_the_page():
    assert "alert" not in render_markdown("<script>alert('x')</script>Safe text")
    assert "Safe text" in render_markdown("<script>alert('x')</script>Safe text")


def test_ordinary_markdown_is_kept():
    html = render_markdown(
        "It is important to **maintain clear, timely lines of communication**.\n\n"
        "- first point\n- second point\n\n"
        "[The Lullaby Trust](https://www.lullabytrust.org.uk/) and [e-mail](mailto:team@example.org)"
    )
    assert "<strong>maintain clear, timely lines of communication</strong>" in html
    assert "<ul>" in html and "<li>first point</li>" in html
    assert 'href="https://www.lullabytrust.org.uk/"' in html
    assert 'href="mailto:team@example.org"' in html
    assert 'rel="noopener noreferrer"' in html


def test_placeholder_links_from_briefings_keep_their_text():
    # Briefings arrive with `[text](#)` links that have no target.
    html = render_markdown("[Information Sharing Advice for practitioners](#) is a useful guide")
    assert "Information Sharing Advice for practitioners" in html


def test_tables_keep_their_structure():
    html = render_markdown("| Good practice | Learning points |\n|---|---|\n| Shared commitment | Oversight absent |")
    assert "<table>" in html and "<th>Good practice</th>" in html and "<td>Oversight absent</td>" in html


def test_empty_text_renders_nothing():
    assert render_markdown("") == ""


def test_search_highlights_keep_only_mark():
    html = sanitise_highlight('A <mark>neglect</mark> case <script>alert(1)</script><b onclick="x()">bold</b>')
    assert "<mark>neglect</mark>" in html
    assert "<script" not in html and "onclick" not in html and "<b" not in html
    assert "alert" not in html


def test_strip_markdown_gives_the_plain_words():
    assert strip_markdown("It is **important** to [check](#) the _facts_.\n\n- one\n- two") == (
        "It is important to check the facts. one two"
    )
