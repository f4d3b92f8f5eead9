"""The probe, kept: hostile text stored in every free-text field never runs on a public page.

A table of payloads (script tags, ``javascript:`` links in Markdown and HTML,
event-handler attributes, ``<svg onload>``, ``<img onerror>``, HTML entities,
Markdown link and image tricks, CSS) is stored through the ORM in every
free-text field the public pages show. Each field gets several payloads and
each payload lands in several fields (a fixed rotation through the table, as
many as the field's length allows), each after a marker such as ``zqf03p07``
that says which field and payload it is, so the test also proves every field
was shown somewhere.

The public pages are then rendered in Chromium, and:

- nothing ran: no dialog opened, ``window.__xss`` was never set, and no
  Content-Security-Policy violation was reported (a payload that the site's
  strict CSP alone blocked still reached the page as HTML: a defect);
- the raw HTML has no markup a payload could have brought: no inline
  ``<script>``, no ``on...=`` attribute inside a tag, no ``style`` attribute
  or element, no ``javascript:``/``data:`` address, no ``<img>``, ``<iframe>``
  and the like (the site itself uses none of these on its public pages).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urlencode

import pytest
from django.urls import reverse
from taggit.models import Tag

from reviews.models import (
    Action,
    CaseFact,
    Collection,
    CoursePack,
    CoursePackItem,
    LearningPoint,
    Partnership,
    PublicationStatus,
    Recommendation,
    ReflectionQuestion,
    Resource,
    Review,
    Section,
    Source,
    Theme,
    ThemeAlias,
)

pytestmark = pytest.mark.django_db(transaction=True)

PAYLOADS = [
    "<script>window.__xss=1</script>",
    '<img src=x onerror="window.__xss=1">',
    "<svg/onload=alert(1)>",
    "[a link](javascript:window.__xss=1)",
    "[entity link](jav&#x61;script:alert(1))",
    '![image](x" onerror="window.__xss=1)',
    '"><script>alert(1)</script>',
    "&lt;script&gt;window.__xss=1&lt;/script&gt;",
    '<a href="javascript:alert(1)" onclick="window.__xss=1">html link</a>',
    '<style>*{display:none}</style><b style="background:url(javascript:alert(1))">css</b>',
    '<details open ontoggle="window.__xss=1">x</details>',
    '<iframe srcdoc="<script>parent.__xss=1</script>"></iframe>',
]
PAYLOADS_PER_FIELD = 3


@dataclass(frozen=True)
class Field:
    model: type
    name: str

    @property
    def max_length(self) -> int | None:
        return self.model._meta.get_field(self.name).max_length


# Every free-text field the public pages show.
FIELDS = [
    Field(Review, "title"),
    Field(Review, "summary"),
    Field(Review, "children"),
    Field(LearningPoint, "text"),
    Field(Section, "heading"),
    Field(Recommendation, "text"),
    Field(Recommendation, "addressed_to"),
    Field(Action, "text"),
    Field(Action, "owner"),
    Field(Action, "target_date_as_stated"),
    Field(Action, "evidence_of_impact"),
    Field(CaseFact, "text"),
    Field(Theme, "name"),
    Field(Theme, "summary"),
    Field(ThemeAlias, "name"),
    Field(Partnership, "name"),
    Field(Partnership, "short_name"),
    Field(Partnership, "area"),
    Field(Source, "title"),
    Field(Source, "publisher_as_stated"),
    Field(Source, "original_text"),
    Field(Resource, "name"),
    Field(Resource, "details_as_stated"),
    Field(Resource, "note"),
    Field(Collection, "title"),
    Field(Collection, "introduction"),
    Field(CoursePack, "title"),
    Field(CoursePack, "introduction"),
    Field(CoursePackItem, "notes"),
    Field(ReflectionQuestion, "text"),
    Field(Tag, "name"),
]


def marker(field_number: int, payload_number: int) -> str:
    return f"zqf{field_number:02d}p{payload_number:02d}"


def hostile_values() -> dict[Field, tuple[str, list[str]]]:
    """For each field, its value and its markers: payloads in turn from the table, as many
    (up to ``PAYLOADS_PER_FIELD``) as the field holds, each after its marker."""
    values = {}
    for field_number, field in enumerate(FIELDS):
        parts, markers = [], []
        for offset in range(len(PAYLOADS)):
            payload_number = (field_number * PAYLOADS_PER_FIELD + offset) % len(PAYLOADS)
            part = f"{marker(field_number, payload_number)} {PAYLOADS[payload_number]}"
            candidate = " ".join([*parts, part])
            if field.max_length is None or len(candidate) <= field.max_length:
                parts.append(part)
                markers.append(marker(field_number, payload_number))
            if len(parts) == PAYLOADS_PER_FIELD:
                break
        values[field] = (" ".join(parts), markers)
    return values


def test_every_payload_lands_in_several_fields_and_every_field_gets_several():
    markers = [found for _value, field_markers in hostile_values().values() for found in field_markers]
    per_payload = {
        number: sum(found.endswith(f"p{number:02d}") for found in markers) for number in range(len(PAYLOADS))
    }
    assert min(per_payload.values()) >= 3, per_payload
    per_field = [len(field_markers) for _value, field_markers in hostile_values().values()]
    assert sum(count >= 2 for count in per_field) >= len(FIELDS) - 2, per_field


def store_hostile_content(values) -> dict[str, str]:
    """One of everything, every free-text field hostile; the addresses of the pages that show them."""

    def value(model, name):
        return values[Field(model, name)][0]

    def text_of(model):
        return {field.name: value(model, field.name) for field in FIELDS if field.model is model}

    partnership = Partnership.objects.create(slug="test-xss-partnership", **text_of(Partnership))
    source = Source.objects.create(
        slug="test-xss-source",
        partnership=partnership,
        status=PublicationStatus.PUBLISHED,
        excluded_passages=[{"text": PAYLOADS[0], "reason": PAYLOADS[1]}],
        **text_of(Source),
    )
    theme = Theme.objects.create(slug="test-xss-theme", **text_of(Theme))
    ThemeAlias.objects.create(theme=theme, source=source, **text_of(ThemeAlias))
    collection = Collection.objects.create(slug="test-xss-collection", source=source, **text_of(Collection))
    review = Review.objects.create(
        slug="test-xss-review",
        review_type=Review.ReviewType.SERIOUS_CASE_REVIEW,
        status=PublicationStatus.PUBLISHED,
        partnership=partnership,
        collection=collection,
        **text_of(Review),
    )
    review.sources.add(source)
    tag = Tag.objects.create(slug="test-xss-tag", **text_of(Tag))
    review.tags.add(tag)
    resource = Resource.objects.create(source=source, url="https://example.org/", **text_of(Resource))
    section = Section.objects.create(ref="test-xss-section", source=source, **text_of(Section))
    point = LearningPoint.objects.create(review=review, source=source, section=section, **text_of(LearningPoint))
    point.themes.add(theme)
    point.resources.add(resource)
    recommendation = Recommendation.objects.create(
        review=review, source=source, section=section, number="1", **text_of(Recommendation)
    )
    recommendation.themes.add(theme)
    action = Action.objects.create(recommendation=recommendation, source=source, **text_of(Action))
    action.themes.add(theme)
    CaseFact.objects.create(review=review, source=source, **text_of(CaseFact))
    ReflectionQuestion.objects.create(theme=None, position=0, **text_of(ReflectionQuestion))
    pack = CoursePack.objects.create(slug="test-xss-pack", status=PublicationStatus.PUBLISHED, **text_of(CoursePack))
    CoursePackItem.objects.create(pack=pack, kind="learning_point", learning_point=point, **text_of(CoursePackItem))
    CoursePackItem.objects.create(pack=pack, kind="recommendation", position=1, recommendation=recommendation)
    CoursePackItem.objects.create(pack=pack, kind="note", position=2, notes=value(CoursePackItem, "notes"))
    # Search results show the headings entries sit under, which their pages do not.
    search_words = " or ".join(values[Field(Section, "heading")][1][:2])
    return {
        "home": reverse("reviews:home"),
        "review": review.get_absolute_url(),
        "review-print": reverse("reviews:review-print", kwargs={"slug": review.slug}),
        "source": source.get_absolute_url(),
        "theme": theme.get_absolute_url(),
        "theme-print": reverse("reviews:theme-print", kwargs={"slug": theme.slug}),
        "partnership": partnership.get_absolute_url(),
        "collection": collection.get_absolute_url(),
        "review-index": reverse("reviews:review-index"),
        "tag": reverse("reviews:tag-detail", kwargs={"slug": tag.slug}),
        "search": f"{reverse('reviews:search')}?{urlencode({'q': search_words})}",
        "course-pack": pack.get_absolute_url(),
        "course-pack-print": reverse("reviews:coursepack-print", kwargs={"slug": pack.slug}),
        "embed-learning-point": reverse("reviews:learning-point-embed", kwargs={"pk": point.pk}),
        "embed-theme": reverse("reviews:theme-embed", kwargs={"slug": theme.slug}),
    }


# ---------------------------------------------------------------------------
# What a payload must never leave in the HTML
# ---------------------------------------------------------------------------

# Tags neither Markdown nor the site's templates put on a public page.
FOREIGN_TAGS = {"style", "iframe", "frame", "frameset", "object", "embed", "img", "math", "audio", "video"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "background", "poster", "data"}
_NOT_IN_A_URL = re.compile(r"[\x00-\x20]")
_SCRIPTING_SCHEME = re.compile(r"(javascript|vbscript|data):", re.IGNORECASE)


_VALUE = r"""(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?"""
_TAG = re.compile(rf"<[a-zA-Z][^\s/>]*(?P<attributes>(?:\s+[^\s=/>]+{_VALUE})*)\s*/?>")
_ATTRIBUTE = re.compile(rf"\s+([^\s=/>]+){_VALUE}")


class HostileMarkup(HTMLParser):
    """Everything in a page's HTML that a payload could have brought, as problems."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script" and not (attributes.get("src") or "").startswith("/static/"):
            self.problems.append(f"a <script> that is not the site's own: {attrs}")
        if tag in FOREIGN_TAGS or (tag == "base" and "href" in attributes):
            self.problems.append(f"a <{tag}> element: {attrs}")
        if tag == "svg" and "govuk-" not in (attributes.get("class") or ""):
            self.problems.append(f"an <svg> that is not one of the site's icons: {attrs}")
        for name, value in attrs:
            if name.startswith("on") or name in ("style", "srcdoc"):
                self.problems.append(f"a {name} attribute on <{tag}>: {value!r}")
            elif name in URL_ATTRIBUTES and _SCRIPTING_SCHEME.match(_NOT_IN_A_URL.sub("", value or "")):
                if (tag, name, value) == ("link", "href", "data:,"):
                    continue  # the site's own empty favicon
                self.problems.append(f"a scripting address in {name} on <{tag}>: {value!r}")

    handle_startendtag = handle_starttag


def hostile_markup(html: str) -> list[str]:
    parser = HostileMarkup()
    parser.feed(html)
    parser.close()
    problems = parser.problems
    # The same on the raw text: an inline <script>, an on...= attribute in a tag (attribute
    # values skipped: escaped payload text in a <meta> description is only text).
    if re.search(r"<script\b(?![^>]*\bsrc=\"/static/)", html, re.IGNORECASE):
        problems.append("'<script' without the site's own src in the raw HTML")
    for tag in _TAG.finditer(html):
        names = [name.lower() for name in _ATTRIBUTE.findall(tag["attributes"])]
        problems += [f"{name}= in the raw HTML: {tag.group()[:120]}" for name in names if name.startswith("on")]
    return problems


def test_the_checks_find_what_they_look_for():
    """A test that cannot fail is worse than none: the checks see each kind of payload."""
    for html in [
        "<p><script>window.__xss=1</script></p>",
        '<p><img src=x onerror="window.__xss=1"></p>',
        "<svg/onload=alert(1)>",
        '<a href="jav&#x61;script:alert(1)">x</a>',
        '<a href=" java\tscript:alert(1)">x</a>',
        '<b style="background:url(javascript:alert(1))">css</b>',
        "<style>*{display:none}</style>",
        '<details open ontoggle="window.__xss=1">x</details>',
        '<iframe srcdoc="x"></iframe>',
    ]:
        assert hostile_markup(html), html
    escaped = "<p>zqf01p02 &lt;img src=x onerror=&quot;window.__xss=1&quot;&gt; &lt;script&gt;</p>"
    assert hostile_markup(escaped) == []
    assert hostile_markup('<meta name="description" content="&lt;img src=x onerror=&quot;x&quot;&gt;">') == []
    assert hostile_markup('<link rel="icon" href="data:,"><base target="_blank">') == []
    assert hostile_markup('<p title="a > b" onclick="x">y</p>')


# ---------------------------------------------------------------------------
# In Chromium
# ---------------------------------------------------------------------------

DETECTOR = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(`${event.violatedDirective} ${event.blockedURI} ${event.sample}`);
});
"""


def test_no_payload_runs_or_reaches_the_html_of_any_public_page(live_server, page, page_problems):
    values = hostile_values()
    urls = store_hostile_content(values)
    dialogs: list[str] = []

    def on_dialog(dialog):
        dialogs.append(f"{page.url}: {dialog.type} {dialog.message}")
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.add_init_script(DETECTOR)
    shown, problems = "", []
    for name, path in urls.items():
        response = page.goto(live_server.url + path)
        assert response.status == 200, (name, path, response.status)
        page.wait_for_load_state("load")
        html = response.text()
        shown += html
        problems += [f"{name}: {problem}" for problem in hostile_markup(html)]
        ran, violations = page.evaluate("[window.__xss, window.__cspViolations]")
        if ran is not None:
            problems.append(f"{name}: a payload ran (window.__xss = {ran!r})")
        problems += [f"{name}: Content-Security-Policy violation {violation}" for violation in violations]
    assert not dialogs, dialogs
    assert not problems, "\n".join(problems)
    page_problems.assert_none()

    # Every field was shown somewhere, so every payload was really tried on a page.
    missing = [
        f"{field.model.__name__}.{field.name}"
        for field, (_v, markers) in values.items()
        if not any(found in shown for found in markers)
    ]
    assert not missing, f"fields no page showed: {missing}"
