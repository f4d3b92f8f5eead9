"""Drafts never reach the public: every public response, before and after adding drafts.

The real content is loaded once for the module. An anonymous visitor then
requests every kind of public page and output: the practitioner pages, the
printed briefings, the API's lists, records and CSVs, the feed, the sitemap,
embeds and oEmbed, a published course pack (page, handout, Markdown, CSV),
searches (for the drafts' own words too) and the 404 page's suggestions.
Then drafts are added, named with made-up words found nowhere else: a draft
review with a new partnership, a new theme and a tag, its draft briefing,
draft entries on existing published themes (a draft recommendation linked
both ways to a published one), learning from the draft
briefing, a curated link from a published theme to the new one, a draft
course pack, and steps of the published pack pointing at the drafts.

Asked again, every response must be the same (status, links, and, but for
the pack that gained steps, every byte), and none may contain a made-up
word. The drafts' own addresses (their pages, permanent links, API records
and filters, embeds, old slugs) must answer exactly as addresses never used.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import reverse

from reviews.models import (
    Action,
    CaseFact,
    Collection,
    CoursePack,
    CoursePackItem,
    GuideClaim,
    LearningPoint,
    Partnership,
    PublicationStatus,
    Recommendation,
    RecommendationLink,
    Review,
    Section,
    Source,
    Theme,
    ThemeAlias,
    ThemeGuide,
)
from reviews.sitemaps import SITEMAPS

# Each test only reads the module's snapshots; ``db`` is what lets pytest-django set up the database.
pytestmark = pytest.mark.usefixtures("db")

# Made-up words: each is in the drafts' names, slugs, refs or wording, and nowhere else.
SECRETS = ("flimbergast", "zorblaxian", "quuxwort")
DRAFT = PublicationStatus.DRAFT
PUBLISHED = PublicationStatus.PUBLISHED
PACK_SLUG = "test-induction-pack"
# An id no object has: the control for the drafts' own numbered addresses.
NEVER_USED_ID = 987654321

_LINK = re.compile(r"""(?:href|src|action)="([^"]*)"|(https?://testserver[^\s"'<>)\],;|]*)""")


@dataclass(frozen=True)
class Snapshot:
    status: int
    location: str
    content_type: str
    body: str

    @property
    def links(self) -> set[str]:
        return {first or second for first, second in _LINK.findall(self.body)}


def _snapshot(client: Client, url: str) -> Snapshot:
    response = client.get(url)
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return Snapshot(
        status=response.status_code,
        location=response.get("Location", ""),
        content_type=response.get("Content-Type", ""),
        body=content.decode("utf-8-sig"),
    )


def _leaked(snapshot: Snapshot, url: str) -> list[str]:
    """The made-up words in a response, except those the request itself carries (a
    search for them, a mistyped address: the visitor's own words, repeated back)."""
    text = f"{snapshot.location}\n{snapshot.body}".lower()
    return [word for word in SECRETS if word not in url.lower() and word in text]


# ---------------------------------------------------------------------------
# What the public can ask for, from the loaded content
# ---------------------------------------------------------------------------


def _first(queryset):
    return queryset.order_by("pk").first()


def _published_pack() -> CoursePack:
    """A published course pack of published content, as a trainer would make."""
    pack = CoursePack.objects.create(
        slug=PACK_SLUG, title="Test induction pack", status=PUBLISHED, introduction="Test introduction."
    )
    review = _first(Review.objects.published())
    targets = [
        ("theme", Theme.objects.get(slug="information-sharing")),
        ("review", review),
        ("learning_point", _first(LearningPoint.objects.published())),
        ("recommendation", _first(Recommendation.objects.published())),
        ("action", _first(Action.objects.published())),
    ]
    for position, (kind, target) in enumerate(targets, start=1):
        notes = f"Test note {position}."
        CoursePackItem.objects.create(pack=pack, kind=kind, position=position, notes=notes, **{kind: target})
    CoursePackItem.objects.create(pack=pack, kind="note", position=len(targets) + 1, notes="Test closing note.")
    return pack


def _api(endpoint: str, *, csv: bool = False, **params) -> str:
    url = reverse("reviews:api-list-csv" if csv else "reviews:api-list", kwargs={"endpoint": endpoint})
    return url + ("?" + "&".join(f"{key}={value}" for key, value in params.items()) if params else "")


def _public_urls(pack: CoursePack) -> list[str]:
    # Everything the content loads is published, and every theme and partnership in it is used.
    reviews = list(Review.objects.published().order_by("pk"))
    themes = list(Theme.objects.order_by("pk"))
    point = _first(LearningPoint.objects.published())
    recommendation = _first(Recommendation.objects.published())
    action = _first(Action.objects.published())
    partnerships = list(Partnership.objects.order_by("pk"))
    urls = [
        "/",
        "/themes/",
        "/themes/over-time/",
        "/reviews/",
        "/sources/",
        "/partnerships/",
        "/tags/",
        "/courses/",
        "/search/",
        "/feeds/reviews.atom",
        "/sitemap.xml",
        *(f"/sitemap-{section}.xml" for section in SITEMAPS),
        *(theme.get_absolute_url() for theme in themes),
        *(reverse("reviews:theme-print", kwargs={"slug": slug}) for slug in ("information-sharing", "neglect")),
        *(reverse("reviews:theme-embed", kwargs={"slug": slug}) for slug in ("information-sharing", "neglect")),
        *(review.get_absolute_url() for review in reviews),
        reverse("reviews:review-print", kwargs={"slug": reviews[0].slug}),
        *(source.get_absolute_url() for source in Source.objects.published().order_by("pk")),
        *(partnership.get_absolute_url() for partnership in partnerships),
        *(collection.get_absolute_url() for collection in Collection.objects.order_by("pk")),
        "/tags/alcohol/",
        "/reviews/?theme=information-sharing",
        "/reviews/?theme=neglect",
        f"/reviews/?partnership={partnerships[0].slug}",
        # Permanent links, cards and oEmbed.
        reviews[0].get_permalink(),
        themes[0].get_permalink(),
        point.get_permalink(),
        recommendation.get_permalink(),
        action.get_permalink(),
        reverse("reviews:learning-point-embed", kwargs={"pk": point.pk}),
        "/oembed/?url=http://testserver/themes/information-sharing/",
        f"/oembed/?url=http://testserver{point.get_permalink()}",
        # The API: index, lists, CSVs, one record of each, and filters on the themes drafts now use.
        "/api/v1/",
        *(_api(endpoint) for endpoint in ("reviews", "themes", "learning-points", "recommendations", "actions")),
        *(_api(endpoint, csv=True) for endpoint in ("reviews", "themes", "learning-points", "recommendations")),
        _api("actions", csv=True),
        reverse("reviews:api-review-detail", kwargs={"pk": reviews[0].pk}),
        reverse("reviews:api-theme-detail", kwargs={"pk": themes[0].pk}),
        reverse("reviews:api-learning-point-detail", kwargs={"pk": point.pk}),
        reverse("reviews:api-recommendation-detail", kwargs={"pk": recommendation.pk}),
        reverse("reviews:api-action-detail", kwargs={"pk": action.pk}),
        _api("reviews", theme="information-sharing"),
        _api("learning-points", theme="information-sharing"),
        _api("learning-points", theme="information-sharing", csv=True),
        _api("recommendations", theme="neglect"),
        _api("actions", theme="neglect"),
        _api("learning-points", partnership=partnerships[0].slug),
        _api("reviews", partnership=partnerships[0].slug),
        # The published course pack, in every format.
        pack.get_absolute_url(),
        pack.get_permalink(),
        reverse("reviews:coursepack-print", kwargs={"slug": pack.slug}),
        reverse("reviews:coursepack-markdown", kwargs={"slug": pack.slug}),
        reverse("reviews:coursepack-csv", kwargs={"slug": pack.slug}),
        # Searches: the drafts' own words, words they share with published learning, filters.
        "/search/?q=flimbergast",
        "/search/?q=zorblaxian",
        "/search/?q=quuxwort",
        "/search/?q=zorblaxan",
        "/search/?q=neglect",
        "/search/?q=information+sharing",
        "/search/?q=sleeping&theme=information-sharing",
        "/search/?q=learning&type=theme",
        # Mistyped addresses close to the drafts' names: what the 404 page suggests.
        "/themes/zorblaxan/",
        "/reviews/flimbergst/",
        "/partnerships/quuxwrt/",
        "/tags/flimbergst/",
        "/sources/quuxwrt-flimbergst/",
    ]
    return list(dict.fromkeys(urls))


# ---------------------------------------------------------------------------
# The drafts
# ---------------------------------------------------------------------------


def _add_drafts(pack: CoursePack) -> dict:
    partnership = Partnership.objects.create(name="Quuxwort Safeguarding Partnership", area="Quuxwort", slug="quuxwort")
    source = Source.objects.create(
        slug="quuxwort-flimbergast",
        title="Quuxwort briefing: Child Flimbergast",
        partnership=partnership,
        original_text="Flimbergast briefing text about zorblaxian practice.",
        status=DRAFT,
    )
    theme = Theme.objects.create(
        slug="zorblaxian-quuxwort", name="Zorblaxian practice", summary="Zorblaxian summary in our words."
    )
    theme.slug = "zorblaxian"  # renamed while in draft: its old address must not lead to it either
    theme.save()
    ThemeAlias.objects.create(theme=theme, name="Zorblaxian heading", source=source)
    information_sharing, neglect = Theme.objects.get(slug="information-sharing"), Theme.objects.get(slug="neglect")
    information_sharing.related_themes.add(theme)
    review = Review.objects.create(
        slug="flimbergast",
        title="Serious Case Review: Child Flimbergast",
        review_type=Review.ReviewType.SERIOUS_CASE_REVIEW,
        partnership=partnership,
        collection=Collection.objects.order_by("pk").first(),
        children="Child Flimbergast",
        summary="Flimbergast summary of zorblaxian neglect.",
        status=DRAFT,
    )
    review.sources.add(source)
    review.tags.add("flimbergast")
    CaseFact.objects.create(review=review, source=source, text="Flimbergast fact.")
    point = LearningPoint.objects.create(
        review=review,
        source=source,
        section=Section.objects.create(ref="flimbergast-sec", source=source, heading="Zorblaxian heading"),
        text="Flimbergast learning: zorblaxian information sharing about sleeping and neglect.",
    )
    point.themes.set([theme, information_sharing])
    recommendation = Recommendation.objects.create(
        review=review,
        source=source,
        number="99",
        addressed_to="Quuxwort board",
        text="Flimbergast recommendation on neglect and information sharing.",
    )
    recommendation.themes.set([neglect])
    # The draft recommendation repeats a published one, and a published one is said to replace the draft:
    # neither link may show on a public page, record or theme's "Recommended more than once" block.
    published_recommendation = _first(Recommendation.objects.published().filter(themes=neglect))
    RecommendationLink.objects.create(
        later=recommendation, earlier=published_recommendation, note="Zorblaxian note on a repeat."
    )
    RecommendationLink.objects.create(later=published_recommendation, earlier=recommendation, relation="replaces")
    action = Action.objects.create(
        review=review,
        recommendation=recommendation,
        source=source,
        owner="Quuxwort board",
        text="Flimbergast action on neglect.",
    )
    action.themes.set([neglect, information_sharing])
    # Published guides gain sentences resting on draft entries (with a published one too), and the
    # draft theme a draft guide: a sentence is public only while every entry it cites is.
    for slug, field, draft_entry in (
        ("neglect", "recommendations", recommendation),
        ("information-sharing", "learning_points", point),
    ):
        guide = ThemeGuide.objects.get(theme__slug=slug)
        claim = GuideClaim.objects.create(
            guide=guide, kind="finding", text="Flimbergast zorblaxian finding.", position=99
        )
        getattr(claim, field).add(draft_entry)
        claim.learning_points.add(_first(LearningPoint.objects.published().filter(themes__slug=slug)))
    draft_guide = ThemeGuide.objects.create(theme=theme, status=DRAFT)
    GuideClaim.objects.create(guide=draft_guide, kind="overview", text="Quuxwort overview.").learning_points.add(point)
    cross_cutting = LearningPoint.objects.create(
        review=None, source=source, text="Flimbergast cross-cutting learning on information sharing."
    )
    cross_cutting.themes.set([information_sharing])
    deleted = LearningPoint.objects.create(review=review, source=source, text="Flimbergast learning deleted.")
    deleted_id = deleted.pk
    deleted.delete()
    draft_pack = CoursePack.objects.create(slug="quuxwort", title="Quuxwort pack", status=DRAFT)
    # Steps of the published pack pointing at drafts: forms refuse them now, but a row
    # can still point at content unpublished after it was chosen.
    for position, (kind, target) in enumerate(
        [("learning_point", point), ("review", review), ("theme", theme), ("recommendation", recommendation)],
        start=10,
    ):
        CoursePackItem.objects.create(pack=pack, kind=kind, position=position, **{kind: target})
    return {
        "partnership": partnership,
        "source": source,
        "theme": theme,
        "review": review,
        "point": point,
        "recommendation": recommendation,
        "action": action,
        "cross_cutting": cross_cutting,
        "deleted_id": deleted_id,
        "draft_pack": draft_pack,
    }


def _own_urls(drafts: dict) -> dict[str, tuple[str, ...]]:
    """The drafts' own addresses, each with the ids it names (its made-up words are in the address)."""
    review, theme, point = drafts["review"], drafts["theme"], drafts["point"]
    recommendation, action, pack = drafts["recommendation"], drafts["action"], drafts["draft_pack"]
    numbered = {
        review.get_permalink(): review.pk,
        theme.get_permalink(): theme.pk,
        point.get_permalink(): point.pk,
        drafts["cross_cutting"].get_permalink(): drafts["cross_cutting"].pk,
        recommendation.get_permalink(): recommendation.pk,
        action.get_permalink(): action.pk,
        pack.get_permalink(): pack.pk,
        reverse("reviews:learning-point-permalink", kwargs={"pk": drafts["deleted_id"]}): drafts["deleted_id"],
        reverse("reviews:learning-point-embed", kwargs={"pk": point.pk}): point.pk,
        reverse("reviews:learning-point-embed", kwargs={"pk": drafts["deleted_id"]}): drafts["deleted_id"],
        f"/oembed/?url=http://testserver{point.get_permalink()}": point.pk,
        reverse("reviews:api-review-detail", kwargs={"pk": review.pk}): review.pk,
        reverse("reviews:api-theme-detail", kwargs={"pk": theme.pk}): theme.pk,
        reverse("reviews:api-learning-point-detail", kwargs={"pk": point.pk}): point.pk,
        reverse("reviews:api-recommendation-detail", kwargs={"pk": recommendation.pk}): recommendation.pk,
        reverse("reviews:api-action-detail", kwargs={"pk": action.pk}): action.pk,
        _api("learning-points", review=review.pk): review.pk,
        _api("actions", review=review.pk, csv=True): review.pk,
    }
    named = [
        "/reviews/flimbergast/",
        "/reviews/flimbergast/print/",
        "/partnerships/quuxwort/",
        "/sources/quuxwort-flimbergast/",
        "/themes/zorblaxian/",
        "/themes/zorblaxian/print/",
        "/themes/zorblaxian-quuxwort/",
        "/embed/theme/zorblaxian/",
        "/tags/flimbergast/",
        "/courses/quuxwort/",
        "/courses/quuxwort/print/",
        "/courses/quuxwort/export.md",
        "/courses/quuxwort/export.csv",
        "/oembed/?url=http://testserver/themes/zorblaxian/",
        "/reviews/?theme=zorblaxian",
        "/reviews/?partnership=quuxwort",
        "/reviews/?tag=flimbergast",
        "/search/?q=neglect&theme=zorblaxian",
        "/search/?q=neglect&partnership=quuxwort",
        "/search/?q=neglect&review=flimbergast",
        _api("reviews", theme="zorblaxian"),
        _api("learning-points", theme="zorblaxian"),
        _api("actions", partnership="quuxwort"),
        _api("reviews", partnership="quuxwort", csv=True),
    ]
    return {**{url: (str(pk),) for url, pk in numbered.items()}, **dict.fromkeys(named, ())}


def _control(url: str, ids: tuple[str, ...]) -> str:
    """The same address naming nothing: each made-up word and id replaced by one never used."""
    for word in SECRETS:
        url = url.replace(word, "x" * len(word))
    for pk in ids:
        url = re.sub(rf"(?<![\d]){pk}(?![\d])", str(NEVER_USED_ID), url)
    return url


def _normalised(snapshot: Snapshot, url: str, ids: tuple[str, ...]) -> Snapshot:
    """A response with what its address put in it (made-up words, ids, the address) replaced
    by placeholders, so that a draft's address and its control can be compared."""

    def scrub(text: str) -> str:
        text = text.replace(url, "<URL>")
        for number, word in enumerate(SECRETS):
            text = re.sub(re.escape(word), f"<WORD{number}>", text, flags=re.IGNORECASE)
            text = text.replace("x" * len(word), f"<WORD{number}>")
        for pk in (*ids, str(NEVER_USED_ID)):
            text = re.sub(rf"(?<![\d]){pk}(?![\d])", "<ID>", text)
        return text

    return Snapshot(snapshot.status, scrub(snapshot.location), snapshot.content_type, scrub(snapshot.body))


# ---------------------------------------------------------------------------
# The snapshots, taken once for the module
# ---------------------------------------------------------------------------


@dataclass
class Snapshots:
    before: dict[str, Snapshot]
    after: dict[str, Snapshot]
    # Each draft address: (its response, the response to its control), normalised.
    own: dict[str, tuple[Snapshot, Snapshot]]


@pytest.fixture(scope="module")
def snapshots(loaded_kb_module, django_db_blocker) -> Snapshots:
    with django_db_blocker.unblock():
        client = Client()
        pack = _published_pack()
        urls = _public_urls(pack)
        before = {url: _snapshot(client, url) for url in urls}
        drafts = _add_drafts(pack)
        after = {url: _snapshot(client, url) for url in urls}
        own = {}
        for url, ids in _own_urls(drafts).items():
            control = _control(url, ids)
            own[url] = (
                _normalised(_snapshot(client, url), url, ids),
                _normalised(_snapshot(client, control), control, ids),
            )
    return Snapshots(before=before, after=after, own=own)


def test_the_snapshot_covers_every_kind_of_public_response(snapshots):
    """The requests reach real content: pages, redirects, JSON, CSV, XML, Markdown and 404s."""
    statuses = {snapshot.status for snapshot in snapshots.before.values()}
    assert statuses == {200, 302, 404}
    types = {snapshot.content_type.split(";")[0] for snapshot in snapshots.before.values()}
    assert {"text/html", "application/json", "text/csv", "text/markdown", "application/xml"} <= types
    assert len(snapshots.before) >= 80
    assert "Test induction pack" in snapshots.before[f"/courses/{PACK_SLUG}/"].body


def test_no_public_response_contains_a_drafts_words(snapshots):
    """Guards every public page and output against naming a draft, before and after drafts exist."""
    leaks = {url: _leaked(snapshot, url) for url, snapshot in snapshots.after.items()}
    assert {url: words for url, words in leaks.items() if words} == {}


def test_every_public_response_stays_the_same(snapshots):
    """Guards against a draft changing what the public gets: the same status and links
    everywhere, and the same bytes except the published pack, which gained steps."""
    changed = {}
    for url, before in snapshots.before.items():
        after = snapshots.after[url]
        if (before.status, before.location, before.content_type, before.links) != (
            after.status,
            after.location,
            after.content_type,
            after.links,
        ):
            changed[url] = "status, address or links"
        elif PACK_SLUG not in url and before.body != after.body:
            changed[url] = "content"
    assert changed == {}


def test_the_published_pack_shows_its_draft_steps_as_removed(snapshots):
    """Guards the pack: its steps pointing at drafts say only that an item is no longer available."""
    page = snapshots.after[f"/courses/{PACK_SLUG}/"].body
    assert page.count("An item that is no longer available") == 4
    for url in (f"/courses/{PACK_SLUG}/print/", f"/courses/{PACK_SLUG}/export.md", f"/courses/{PACK_SLUG}/export.csv"):
        assert snapshots.after[url].body.count("an item that is no longer available") == 4, url


def test_a_drafts_own_addresses_answer_as_addresses_never_used(snapshots):
    """Guards the drafts' pages, permanent links, cards, API records and filters, old slugs and
    search filters: each answers exactly as the same address naming nothing (404, 400, or
    an empty list), so not even a draft's existence is revealed."""
    different = {url: (own.status, control.status) for url, (own, control) in snapshots.own.items() if own != control}
    assert different == {}
    statuses = {own.status for own, _control in snapshots.own.values()}
    assert statuses == {200, 400, 404}
