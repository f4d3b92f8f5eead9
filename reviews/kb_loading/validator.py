"""Checks that need the whole set of fixtures: duplicate keys, references
between files, choices and dates, that every text is found word for word
in its briefing, that each entry's kind fits its section's role (or says
why not), and that sections and entries are where the briefing prints them
(``layout.py``, which also gives them their positions). One method per kind
of object, run in loading order."""

from __future__ import annotations

import re
from typing import Any

from django.db import models

from ..agencies import AGENCY_SLUGS
from ..coverage import NormalisedSource
from ..models import (
    Action,
    CaseFact,
    GuideClaim,
    LearningPoint,
    OriginalAddressOrigin,
    Resource,
    Review,
    Section,
    Source,
)
from ..models.common import is_web_address
from ..models.sections import (
    ACTION,
    CASE_FACT,
    GOOD_PRACTICE,
    KEY_FACT,
    LEARNING,
    RECOMMENDATION,
    RESOURCE,
    REVIEW_FACT,
    describe_allowed_kinds,
)
from ..text import name_key
from .layout import BriefingLayout
from .reader import Fixtures, Item
from .schema import kind_of_ref, parse_partial_date

# Every learning point, recommendation and action is filed under at least one
# theme, and under as many as its words name (a case fact under none or more).
MIN_THEMES = 1
# A section's layout, and the layout of the section it sits in (None: it sits in none).
PARENT_LAYOUT = {"text": None, "table": None, "row": "table", "cell": "row"}
# Run-in separators: what joins a heading to its text is not part of the heading.
_RUN_IN_END = re.compile(r"(?:;|\s[-–])\s*$")

# A learning point that "repeats" another is the same paragraph published
# again, perhaps lightly edited: most of its words must be the other's.
REPEAT_OVERLAP = 0.8
_WORD = re.compile(r"[a-z0-9]+")
_REF = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_SLUG = _REF


def _a(kind: str) -> str:
    """ "an action", "a learning point"."""
    return f"an {kind}" if kind[:1] in "aeiou" else f"a {kind}"


def _word_overlap(text: str, other: str) -> float:
    """The share of the shorter text's distinct words that the other text also has."""
    words, other_words = set(_WORD.findall(text.lower())), set(_WORD.findall(other.lower()))
    smaller = min(len(words), len(other_words))
    return len(words & other_words) / smaller if smaller else 0.0


class FixtureValidator:
    """Adds each fault found to ``problems``, naming the file and the object."""

    def __init__(self, fixtures: Fixtures, problems: list[str], excluded_items: list[Item]):
        self.f = fixtures
        self.problems = problems
        self.excluded_items = excluded_items
        self.normalised = {slug: NormalisedSource.from_text(text) for slug, text in fixtures.briefings.items()}
        self.partnership_slugs = {p.data["slug"] for p in fixtures.partnerships}
        self.agency_slugs = {a.data["slug"] for a in fixtures.agencies}
        self.theme_slugs = {t.data["slug"] for t in fixtures.themes}
        # Each theme's name and aliases as tags are compared with them (``services.tag_folding``).
        self.theme_name_keys = {
            name_key(name): t.data["slug"]
            for t in fixtures.themes
            for name in [
                t.data.get("name", ""),
                *(alias.get("name", "") for alias in t.data.get("aliases", []) if isinstance(alias, dict)),
            ]
            if isinstance(name, str) and name
        }
        self.source_slugs = {s.data["slug"] for s in fixtures.sources}
        self.resources_by_ref = {r.data["ref"]: r for r in fixtures.resources}
        self.collections_by_slug = {c.data["slug"]: c for c in fixtures.collections}
        self.learning_points_by_ref = {lp.data["ref"]: lp for lp in fixtures.learning_points}
        self.reviews_by_slug = {r.data["slug"]: r for r in fixtures.reviews}
        self.sections_by_ref = {s.data["ref"]: s for s in fixtures.sections}
        # Sources whose sections are sound enough to look for in the briefing.
        self.unsound_sources: set[str] = set()

    def problem(self, message: str) -> None:
        self.problems.append(message)

    def validate(self) -> None:
        self.unique_keys()
        self.validate_partnerships()
        self.validate_agencies()
        self.validate_themes()
        self.validate_theme_aliases()
        self.validate_frameworks()
        self.validate_national_themes()
        self.validate_national_links()
        self.validate_sources()
        self.validate_sections()
        self.validate_excluded_passages()
        self.validate_resources()
        self.validate_collections()
        self.validate_reviews()
        self.validate_case_facts()
        self.validate_learning_points()
        self.validate_recommendations()
        self.validate_actions()
        self.validate_moves()
        self.validate_layout()
        self.validate_theme_guides()
        self.validate_guide_claims()

    # -- keys -----------------------------------------------------------------

    def unique_keys(self) -> None:
        f = self.f
        self.check_unique(f.partnerships, "slug", "slug")
        self.check_unique(f.partnerships, "name", "name")
        self.check_unique(f.agencies, "slug", "slug")
        self.check_unique(f.agencies, "name", "name", str.lower)
        self.check_unique(f.themes, "slug", "slug")
        self.check_unique(f.themes, "name", "name", str.lower)
        self.check_unique(f.aliases, "name", "alias name", str.lower)
        self.check_unique(f.frameworks, "slug", "slug")
        self.check_unique(f.frameworks, "name", "name", str.lower)
        self.check_unique(f.sources, "slug", "slug")
        self.check_unique(f.sources, "file", "briefing file")
        self.check_unique(f.collections, "slug", "slug")
        self.check_unique(f.reviews, "slug", "slug")
        # One namespace for every ref: they are link anchors and must never clash.
        self.check_unique(self.items_with_refs(), "ref", "ref")
        self.unique_recommendation_numbers()
        for item in self.items_with_refs():
            if not _REF.fullmatch(item.data["ref"]):
                self.problem(f"{item.where}: a ref is lower-case letters, digits and hyphens")

    def items_with_refs(self) -> list[Item]:
        f = self.f
        return f.sections + f.resources + f.case_facts + f.learning_points + f.recommendations + f.actions

    def check_unique(self, items: list[Item], key: str, what: str, fold=lambda v: v) -> None:
        seen: dict[Any, Item] = {}
        for item in items:
            value = fold(item.data.get(key))
            if value in seen:
                self.problem(f"{item.where}: duplicate {what} (also in {seen[value].file})")
            else:
                seen[value] = item

    def unique_recommendation_numbers(self) -> None:
        numbers: dict[tuple[str, str], Item] = {}
        for item in self.f.recommendations:
            number = item.data.get("number", "")
            if number:
                key = (item.review_slug, number)
                if key in numbers:
                    self.problem(f"{item.where}: recommendation number '{number}' is used twice in this review")
                numbers[key] = item

    # -- one method per model, in loading order ---------------------------------

    def validate_partnerships(self) -> None:
        for partnership in self.f.partnerships:
            self.not_blank(partnership, "name", "area", "slug")

    def validate_agencies(self) -> None:
        """Each agency named; and every agency the reading of a briefing's words can give
        (``reviews.agencies.AGENCY_SLUGS``) is listed, so no reading names an agency the database lacks."""
        for agency in self.f.agencies:
            self.not_blank(agency, "slug", "name", "description")
        file = self.f.agencies[0].file if self.f.agencies else "agencies.json"
        for slug in AGENCY_SLUGS:
            if slug not in self.agency_slugs:
                self.problem(f"{file}: the agency '{slug}' is missing (the reading of addressees and owners gives it)")

    def entry_agencies(self, item: Item) -> None:
        """``agencies`` (optional): the knowledge base's reading of the addressee or owner, when
        ``agencies_for`` reads the words otherwise; known slugs, each once, and only with the words."""
        agencies = item.data.get("agencies")
        if agencies is None:
            return
        words = item.data.get("addressed_to" if item.kind == "recommendation" else "owner", "")
        if not all(isinstance(slug, str) for slug in agencies) or len(set(agencies)) != len(agencies):
            self.problem(f"{item.where}: 'agencies' is a list of agency slugs, each once")
            return
        for slug in agencies:
            self.reference(item, "agency", slug, self.agency_slugs)
        if not words.strip() and agencies:
            who = "'addressed_to'" if item.kind == "recommendation" else "'owner'"
            self.problem(f"{item.where}: 'agencies' reads the briefing's words in {who}, which is empty")

    def validate_themes(self) -> None:
        former: dict[str, Item] = {}
        for theme in self.f.themes:
            self.not_blank(theme, "name", "summary")
            for related in theme.data.get("related", []):
                if related not in self.theme_slugs:
                    self.problem(f"{theme.where}: unknown related theme '{related}'")
                elif related == theme.data["slug"]:
                    self.problem(f"{theme.where}: a theme cannot be related to itself")
            for slug in theme.data.get("former_slugs", []):
                self.former_slug(theme, slug, former)

    def former_slug(self, theme: Item, slug: Any, former: dict[str, Item]) -> None:
        """A slug the theme used to have (renamed, or another theme merged into it): its address
        answers 301 to the theme's page. It is no theme's slug now, and only one theme's former slug."""
        if not isinstance(slug, str) or not _SLUG.fullmatch(slug):
            self.problem(f"{theme.where}: a former slug is lower-case letters, digits and hyphens (found {slug!r})")
        elif slug in self.theme_slugs:
            self.problem(f"{theme.where}: former slug '{slug}' is a theme's slug now; a page has one address")
        elif slug in former:
            self.problem(f"{theme.where}: former slug '{slug}' is also listed by theme '{former[slug].key}'")
        else:
            former[slug] = theme

    def validate_theme_aliases(self) -> None:
        theme_names = {t.data["name"].lower(): t.data["slug"] for t in self.f.themes}
        for alias in self.f.aliases:
            name = alias.data["name"]
            if theme_names.get(name.lower()) == alias.data["theme"]:
                self.problem(f"{alias.where}: the alias is the theme's own name; leave it out")
            source = alias.data.get("source")
            if source is not None:
                if source not in self.source_slugs:
                    self.problem(f"{alias.where}: unknown source '{source}'")
                else:
                    self.verbatim(alias, name, source, "name")

    def validate_frameworks(self) -> None:
        for framework in self.f.frameworks:
            self.not_blank(framework, "name", "publisher")
            self.slug(framework, framework.data["slug"])

    def validate_national_themes(self) -> None:
        """Slugs and names unique within their framework; each names the report it comes from."""
        slugs: dict[tuple[str, str], Item] = {}
        names: dict[tuple[str, str], Item] = {}
        for theme in self.f.national_themes:
            data = theme.data
            self.not_blank(theme, "name", "report_title")
            self.slug(theme, data["slug"])
            for seen, key in (
                (slugs, (theme.framework_slug, data["slug"])),
                (names, (theme.framework_slug, data["name"].lower())),
            ):
                if key in seen:
                    what = "slug" if seen is slugs else "name"
                    self.problem(f"{theme.where}: duplicate {what} in framework '{theme.framework_slug}'")
                else:
                    seen[key] = theme

    def validate_national_links(self) -> None:
        """Each link names a local theme and a national theme that exist, once, and says why."""
        frameworks = {framework.data["slug"] for framework in self.f.frameworks}
        national = {(theme.framework_slug, theme.data["slug"]) for theme in self.f.national_themes}
        seen: set[tuple[str, str, str]] = set()
        for link in self.f.national_links:
            data = link.data
            self.not_blank(link, "justification")
            self.reference(link, "theme", data["theme"], self.theme_slugs)
            if data["framework"] not in frameworks:
                self.problem(f"{link.where}: unknown framework '{data['framework']}'")
            elif (data["framework"], data["national_theme"]) not in national:
                self.problem(
                    f"{link.where}: unknown national theme '{data['national_theme']}' "
                    f"in framework '{data['framework']}'"
                )
            key = (data["theme"], data["framework"], data["national_theme"])
            if key in seen:
                self.problem(f"{link.where}: the theme is linked to this national theme twice")
            seen.add(key)

    def slug(self, item: Item, value: str) -> None:
        if not _SLUG.fullmatch(value):
            self.problem(f"{item.where}: a slug is lower-case letters, digits and hyphens (found {value!r})")

    def validate_sources(self) -> None:
        for source in self.f.sources:
            data = source.data
            self.choice(source, "kind", data["kind"], Source.Kind)
            self.reference(source, "partnership", data.get("partnership"), self.partnership_slugs)
            self.date(source, "published", data.get("published"))
            self.verbatim(source, data["title"], data["slug"], "title")
            if not data.get("partnership") and not data.get("publisher_as_stated"):
                self.problem(f"{source.where}: give a partnership or say how the document names its publisher")
            self.source_original_url(source)

    def source_original_url(self, source: Item) -> None:
        """The published original's address: http(s), with who gives it; one the briefing
        gives is in its text word for word (never an address the knowledge base guessed)."""
        data = source.data
        address, origin = data.get("original_url", ""), data.get("original_url_origin", "")
        if bool(address) != bool(origin):
            self.problem(
                f"{source.where}: give 'original_url' and 'original_url_origin' together "
                f"({' or '.join(repr(value) for value in OriginalAddressOrigin.values)}), or neither"
            )
            return
        if not address:
            return
        self.choice(source, "original_url_origin", origin, OriginalAddressOrigin)
        self.web_address(source, "original_url", address)
        briefing = self.f.briefings.get(data["slug"])
        if origin == OriginalAddressOrigin.GIVEN and briefing is not None and address not in briefing:
            self.problem(
                f"{source.where}: 'original_url' {address!r} is not in the briefing's text: an address the "
                "knowledge base found is 'added', not 'given'"
            )

    def web_address(self, item: Item, key: str, value: str) -> None:
        if not is_web_address(value):
            self.problem(f"{item.where}: '{key}' must be a web address starting https:// or http:// (found {value!r})")

    def validate_sections(self) -> None:
        """Each section's role, layout, review and parent; whether it can be found is ``validate_layout``'s."""
        listed: dict[str, Item] = {}  # sections met so far, by ref
        for section in self.f.sections:
            before = len(self.problems)
            data = section.data
            layout = data.get("layout", Section.Layout.TEXT)
            self.choice(section, "role", data["role"], Section.Role)
            self.choice(section, "layout", layout, Section.Layout)
            section.review_slug = self.section_review(section)
            self.section_parent(section, layout, listed)
            heading = data["heading"]
            if heading != heading.strip():
                self.problem(f"{section.where}: the heading has spaces at its start or end")
            elif _RUN_IN_END.search(heading):
                self.problem(
                    f"{section.where}: the semicolon or dash that joins a heading to its text is not part of "
                    "the heading: leave it out"
                )
            if len(heading) > Section._meta.get_field("heading").max_length:
                self.problem(f"{section.where}: the heading is longer than 300 characters")
            listed[data["ref"]] = section
            if len(self.problems) > before:
                self.unsound_sources.add(section.source_slug)

    def section_review(self, section: Item) -> str | None:
        review = section.data.get("review")
        if review is None:
            return None
        if review not in self.reviews_by_slug:
            self.problem(f"{section.where}: unknown review '{review}'")
        elif self.reviews_by_slug[review].source_slug != section.source_slug:
            self.problem(f"{section.where}: review '{review}' is drawn from another briefing (another file)")
        return review

    def section_parent(self, section: Item, layout: str, listed: dict[str, Item]) -> None:
        """A table row sits in a table, a cell in a row, listed before it; nothing else has a parent.
        A row or cell belongs to its table's review (it may leave 'review' out)."""
        parent_ref = section.data.get("parent")
        wanted = PARENT_LAYOUT.get(layout)
        if parent_ref is None:
            if wanted is not None:
                self.problem(f"{section.where}: a {layout} needs a 'parent': the ref of the {wanted} it is in")
            return
        if wanted is None and layout in PARENT_LAYOUT:
            self.problem(f"{section.where}: only a table's rows and a row's cells have a 'parent'")
            return
        parent = listed.get(parent_ref)
        if parent is None or parent.source_slug != section.source_slug:
            known = parent_ref in self.sections_by_ref
            self.problem(
                f"{section.where}: parent '{parent_ref}' "
                + ("must be listed before it, in the same file" if known else "is not a known section")
            )
            return
        parent_layout = parent.data.get("layout", Section.Layout.TEXT)
        if parent_layout != wanted:
            self.problem(f"{section.where}: its parent '{parent_ref}' is a {parent_layout}, not a {wanted}")
        if section.review_slug is None:
            section.review_slug = parent.review_slug
        elif section.review_slug != parent.review_slug:
            self.problem(f"{section.where}: a table's rows and cells belong to the table's review")

    def validate_excluded_passages(self) -> None:
        for passage in self.excluded_items:
            self.not_blank(passage, "text", "reason")
            self.verbatim(passage, passage.data["text"], passage.source_slug, "text")

    def validate_resources(self) -> None:
        for resource in self.f.resources:
            data = resource.data
            self.resource_change(resource)
            self.choice(resource, "kind", data["kind"], Resource.Kind)
            self.verbatim(resource, data["name"], resource.source_slug, "name")
            if data.get("details_as_stated"):
                self.verbatim(resource, data["details_as_stated"], resource.source_slug, "details_as_stated")
            if "section" in data:
                if data.get("passage"):
                    self.verbatim(resource, data["passage"], resource.source_slug, "passage")
                    self.passage_names_resource(resource)
                section = self.entry_section(resource)
                if section is not None:
                    self.kind_fits_role(resource, section, RESOURCE)
            else:
                for key in ("passage", "kind_note"):
                    if key in data:
                        self.problem(
                            f"{resource.where}: '{key}' is only for a resource the briefing gives as a passage of "
                            "its own: give its 'section' too, or leave it out"
                        )

    def resource_change(self, resource: Item) -> None:
        """What replaced a resource since its briefing, in the knowledge base's words: named first."""
        data = resource.data
        if not data.get("changed_to", "").strip():
            for key in ("changed_to_url", "changed_on", "change_note"):
                if data.get(key):
                    self.problem(f"{resource.where}: '{key}' needs 'changed_to', the name of what replaced it")
            return
        if data.get("changed_to_url"):
            self.web_address(resource, "changed_to_url", data["changed_to_url"])
        self.date(resource, "changed_on", data.get("changed_on"))

    def passage_names_resource(self, resource: Item) -> None:
        """A resource's passage is the line that gives it: its name is in it."""
        passage = NormalisedSource.from_text(resource.data["passage"])
        if not passage.contains(resource.data["name"]):
            self.problem(f"{resource.where}: its passage does not contain its name (“{resource.data['name']}”)")

    def validate_collections(self) -> None:
        for collection in self.f.collections:
            if collection.data.get("introduction"):
                self.verbatim(collection, collection.data["introduction"], collection.source_slug, "introduction")

    def validate_reviews(self) -> None:
        for review in self.f.reviews:
            data = review.data
            self.choice(review, "review_type", data["review_type"], Review.ReviewType)
            self.reference(review, "partnership", data.get("partnership"), self.partnership_slugs)
            self.review_collection(review)
            self.date(review, "published", data.get("published"))
            self.date(review, "commissioned", data.get("commissioned"))
            self.review_summary(review)
            if data.get("children"):
                self.verbatim(review, data["children"], review.source_slug, "children")
            self.review_tags(review)

    def review_collection(self, review: Item) -> None:
        collection = review.data.get("collection")
        if collection is None:
            return
        if collection not in self.collections_by_slug:
            self.problem(f"{review.where}: unknown collection '{collection}'")
        elif self.collections_by_slug[collection].source_slug != review.source_slug:
            self.problem(f"{review.where}: collection '{collection}' belongs to another source")

    def review_summary(self, review: Item) -> None:
        """A summary may be quoted from another source, which ``summary_source`` names."""
        data = review.data
        summary_source = data.get("summary_source")
        if summary_source is None:
            return
        if not data.get("summary"):
            self.problem(f"{review.where}: 'summary_source' is set but there is no summary")
        elif summary_source not in self.source_slugs:
            self.problem(f"{review.where}: unknown summary source '{summary_source}'")
        else:
            self.verbatim(review, data["summary"], summary_source, "summary")

    def review_tags(self, review: Item) -> None:
        tags = review.data.get("tags", [])
        if not all(isinstance(tag, str) and tag.strip() for tag in tags):
            self.problem(f"{review.where}: tags must be non-empty strings")
        elif len({tag.lower() for tag in tags}) != len(tags):
            self.problem(f"{review.where}: a tag is listed twice")
        else:
            for tag in tags:
                theme = self.theme_name_keys.get(name_key(tag))
                if theme is not None:
                    self.problem(
                        f"{review.where}: tag '{tag}' repeats theme '{theme}': themes are the one way to classify, "
                        "so leave the tag out (or add its words to the theme's aliases)"
                    )

    def validate_case_facts(self) -> None:
        for item in self.f.case_facts:
            kind = item.data.get("kind", CaseFact.Kind.CASE)
            self.choice(item, "kind", kind, CaseFact.Kind)
            # Themes are optional on a case fact: 1 to 3 when given.
            self.entry(item, themed=bool(item.data.get("themes")), kind=REVIEW_FACT if kind == "review" else CASE_FACT)

    def validate_learning_points(self) -> None:
        kinds = {"good_practice": GOOD_PRACTICE, "key_fact": KEY_FACT}
        for item in self.f.learning_points:
            kind = item.data.get("kind", LearningPoint.Kind.LEARNING)
            self.choice(item, "kind", kind, LearningPoint.Kind)
            self.entry(item, themed=True, kind=kinds.get(kind, LEARNING))
            self.repeats(item)

    def repeats(self, item: Item) -> None:
        """``repeats`` names the same paragraph as another briefing published it earlier."""
        repeats = item.data.get("repeats")
        if repeats is None:
            return
        if repeats not in self.learning_points_by_ref:
            self.problem(f"{item.where}: repeats unknown learning point '{repeats}'")
        elif repeats == item.data["ref"]:
            self.problem(f"{item.where}: a learning point cannot repeat itself")
        elif self.learning_points_by_ref[repeats].source_slug == item.source_slug:
            self.problem(
                f"{item.where}: repeats '{repeats}' from the same briefing; "
                "'repeats' is for a paragraph another briefing published earlier"
            )
        elif _word_overlap(item.data["text"], self.learning_points_by_ref[repeats].data["text"]) < REPEAT_OVERLAP:
            self.problem(
                f"{item.where}: 'repeats' names '{repeats}', which does not share most of its words; "
                "'repeats' is for the same paragraph published again"
            )

    def validate_recommendations(self) -> None:
        for item in self.f.recommendations:
            self.entry(item, themed=True, kind=RECOMMENDATION)
            self.stated(item, "addressed_to")
            self.entry_agencies(item)
            self.unanswered_parts(item)

    def unanswered_parts(self, item: Item) -> None:
        """Each part a recommendation's response leaves unanswered is a run of the recommendation's own words."""
        parts = item.data.get("unanswered_parts", [])
        if not all(isinstance(part, str) and part.strip() and "\n" not in part for part in parts):
            self.problem(f"{item.where}: 'unanswered_parts' are non-empty strings, one line each")
            return
        if len(set(parts)) != len(parts):
            self.problem(f"{item.where}: an unanswered part is listed twice")
        text = NormalisedSource.from_text(item.data["text"])
        for part in parts:
            if not text.contains(part):
                shown = f"{part[:70]}…" if len(part) > 70 else part
                self.problem(
                    f"{item.where}: unanswered part not found word for word in the recommendation's text: “{shown}”"
                )

    def validate_actions(self) -> None:
        for item in self.f.actions:
            self.entry(item, themed=True, kind=ACTION)
            self.choice(item, "status", item.data["status"], Action.Status)
            self.stated(item, "owner")
            self.entry_agencies(item)
            self.stated(item, "target_date_as_stated")

    def validate_moves(self) -> None:
        """``replaces``: the ref of an entry this item was recorded as before (another kind, or
        the whole of what is now split). It is no longer any item's ref, it is replaced once,
        and its kind can be read from it (``<review>-<kind>-<nn>``)."""
        refs = {item.data["ref"] for item in self.items_with_refs()}
        replaced: dict[str, Item] = {}
        for item in self.f.resources + self.f.case_facts + self.f.learning_points + self.f.recommendations:
            self.replaces(item, refs, replaced)
        for item in self.f.actions:
            self.replaces(item, refs, replaced)

    def replaces(self, item: Item, refs: set[str], replaced: dict[str, Item]) -> None:
        old = item.data.get("replaces")
        if old is None:
            return
        if not _REF.fullmatch(old):
            self.problem(f"{item.where}: 'replaces' is a ref: lower-case letters, digits and hyphens")
        elif old in refs:
            self.problem(
                f"{item.where}: replaces '{old}', which is still an item's ref; 'replaces' names a ref that is "
                "no longer used"
            )
        elif old in replaced:
            self.problem(f"{item.where}: '{old}' is replaced already by '{replaced[old].key}'; one item replaces it")
        elif kind_of_ref(old) is None:
            self.problem(
                f"{item.where}: replaces '{old}', whose kind cannot be read from it (refs read "
                "<review>-<lp|gp|rec|act|fact|res>-<nn>)"
            )
        else:
            replaced[old] = item

    def validate_theme_guides(self) -> None:
        """One guide per theme, of a theme that exists, with at least one claim."""
        seen: set[str] = set()
        for guide in self.f.guides:
            theme = guide.data["theme"]
            self.reference(guide, "theme", theme, self.theme_slugs)
            if theme in seen:
                self.problem(f"{guide.where}: the theme has two guides; a theme has one")
            seen.add(theme)
            if not guide.data["claims"]:
                self.problem(f"{guide.where}: a guide has at least one sentence or point ('claims' is empty)")

    def validate_guide_claims(self) -> None:
        """Each claim: a kind, its own words, a ref of its own, and the entries it rests on (``cites``):
        at least one, each once, each a learning point, recommendation or action filed under the guide's theme."""
        citable = {item.data["ref"]: item for item in self.f.learning_points + self.f.recommendations + self.f.actions}
        other_refs = {item.data["ref"]: item.kind for item in self.f.sections + self.f.resources + self.f.case_facts}
        self.check_unique(self.f.guide_claims, "ref", "ref")
        for claim in self.f.guide_claims:
            data = claim.data
            self.choice(claim, "kind", data["kind"], GuideClaim.Kind)
            self.not_blank(claim, "text")
            if not _REF.fullmatch(data["ref"]):
                self.problem(f"{claim.where}: a ref is lower-case letters, digits and hyphens")
            if data["ref"] in citable or data["ref"] in other_refs:
                self.problem(f"{claim.where}: the ref '{data['ref']}' is an entry's; give the claim its own")
            cites = data["cites"]
            if not cites:
                self.problem(
                    f"{claim.where}: cites no entry; every sentence and point names the refs of the learning "
                    "points, recommendations or actions it rests on ('cites')"
                )
                continue
            if not all(isinstance(ref, str) for ref in cites) or len(set(cites)) != len(cites):
                self.problem(f"{claim.where}: 'cites' is a list of entry refs, each once")
                continue
            for ref in cites:
                entry = citable.get(ref)
                if entry is None and ref in other_refs:
                    self.problem(
                        f"{claim.where}: cites '{ref}', which is a {other_refs[ref]}; a claim cites learning points, "
                        "recommendations or actions"
                    )
                elif entry is None:
                    self.problem(f"{claim.where}: cites unknown entry '{ref}'")
                elif claim.guide_theme not in entry.data.get("themes", []):
                    self.problem(
                        f"{claim.where}: cites '{ref}', which is not filed under the guide's theme "
                        f"'{claim.guide_theme}'; a guide rests on its own theme's entries"
                    )

    # -- individual checks ---------------------------------------------------

    def not_blank(self, item: Item, *keys: str) -> None:
        for key in keys:
            if not str(item.data.get(key, "")).strip():
                self.problem(f"{item.where}: '{key}' is empty")

    def choice(self, item: Item, key: str, value: str, choices: type[models.TextChoices]) -> None:
        if value not in choices.values:
            allowed = ", ".join(choices.values)
            self.problem(f"{item.where}: unknown {key} '{value}' (one of: {allowed})")

    def reference(self, item: Item, key: str, value: str | None, known: set[str]) -> None:
        if value is not None and value not in known:
            self.problem(f"{item.where}: unknown {key} '{value}'")

    def date(self, item: Item, key: str, value: str | None) -> None:
        try:
            parse_partial_date(value)
        except ValueError as error:
            self.problem(f"{item.where}: '{key}': {error}")

    def verbatim(self, item: Item, text: str, source_slug: str | None, key: str) -> None:
        normalised = self.normalised.get(source_slug)
        if normalised is None:
            return  # the missing briefing is reported already
        if not normalised.contains(text):
            matched = normalised.longest_matching_start(text)
            hint = f" (the briefing's wording matches as far as “…{matched[-50:]}”)" if matched else ""
            shown = f"{text[:70]}…" if len(text) > 70 else text
            self.problem(
                f"{item.where}: {key} not found word for word in the briefing "
                f"{self.f.briefing_files.get(source_slug, source_slug)}: “{shown}”{hint}"
            )

    def stated(self, item: Item, key: str) -> None:
        """A detail (an addressee, an owner, a date) must be the briefing's own words, never inferred."""
        if item.data.get(key):
            self.verbatim(item, item.data[key], item.source_slug, key)

    def entry(self, item: Item, *, themed: bool, kind: str) -> None:
        """A case fact, learning point, recommendation or action: its wording, its
        section and whether its ``kind`` fits the section's role, its themes
        (``themed``: all but case facts need them) and its resources."""
        data = item.data
        self.not_blank(item, "text")
        self.verbatim(item, data["text"], item.source_slug, "text")
        section = self.entry_section(item)
        if section is not None:
            self.kind_fits_role(item, section, kind)
        if themed:
            self.entry_themes(item)
        self.entry_resources(item)

    def entry_section(self, item: Item) -> Item | None:
        """The section an entry (or a passage resource) names, if it may sit there: in its
        briefing, and (an entry) in its own review's part of a briefing about several."""
        ref = item.data["section"]
        section = self.sections_by_ref.get(ref)
        if section is None:
            self.problem(f"{item.where}: unknown section '{ref}'")
        elif section.source_slug != item.source_slug:
            self.problem(f"{item.where}: section '{ref}' is in another briefing")
        elif section.review_slug and item.kind != "resource" and item.review_slug != section.review_slug:
            self.problem(
                f"{item.where}: section '{ref}' is the part of the briefing about review "
                f"'{section.review_slug}', not about this entry's review"
            )
        else:
            return section
        return None

    @staticmethod
    def role_holds(section: Item, kind: str) -> bool:
        allowed = Section.KINDS_BY_ROLE.get(section.data["role"])
        return allowed is None or kind in allowed

    def kind_fits_role(self, item: Item, section: Item, kind: str) -> None:
        """An entry whose kind its section's role does not hold says why, in a ``kind_note``."""
        role = section.data["role"]
        if role not in Section.Role.values:
            return  # reported with the section
        note = item.data.get("kind_note", "")
        heading = section.data["heading"] or "(no heading)"
        if not self.role_holds(section, kind) and not note.strip():
            self.problem(
                f"{item.where}: {_a(kind)} under section '{section.data['ref']}' (“{heading}”), whose role is "
                f"{role}, needs a 'kind_note' saying why: that role holds {describe_allowed_kinds(role)}"
            )
        elif self.role_holds(section, kind) and "kind_note" in item.data:
            self.problem(
                f"{item.where}: 'kind_note' is only for an entry whose kind its section's role does not hold; "
                f"section '{section.data['ref']}' ({role}) holds {_a(kind)}: leave the note out"
            )

    # -- where everything is in its briefing ------------------------------------

    def validate_layout(self) -> None:
        """Each briefing's sections in order, each entry under its own section, and
        everyone's position (``layout.BriefingLayout``)."""
        entries = self.f.case_facts + self.f.learning_points + self.f.recommendations + self.f.actions
        for source in self.f.sources:
            slug = source.data["slug"]
            if slug in self.unsound_sources or slug not in self.normalised:
                continue
            layout = BriefingLayout(
                normalised=self.normalised[slug],
                original_text=self.f.briefings[slug],
                file_name=self.f.briefing_files.get(slug, slug),
                sections=[section for section in self.f.sections if section.source_slug == slug],
                problem=self.problem,
            )
            if not layout.locate_sections():
                continue
            own = [entry for entry in entries if entry.source_slug == slug]
            for order, entry in enumerate(own):
                if entry.data["section"] in layout.located:
                    layout.locate_entry(entry, order)
            for order, resource in enumerate(r for r in self.f.resources if r.source_slug == slug):
                if "section" in resource.data:
                    if resource.data["section"] in layout.located:
                        layout.locate_passage_resource(resource, order)
                else:
                    naming = [entry for entry in own if resource.data["ref"] in entry.data.get("resources", [])]
                    layout.locate_named_resource(resource, order, naming)
            layout.number()

    def entry_themes(self, item: Item) -> None:
        listed = item.data.get("themes", [])
        for theme in listed:
            if theme not in self.theme_slugs:
                self.problem(f"{item.where}: unknown theme '{theme}'")
        if len(set(listed)) != len(listed):
            self.problem(f"{item.where}: a theme is listed twice")
        if len(listed) < MIN_THEMES:
            self.problem(f"{item.where}: give at least {MIN_THEMES} theme (none found)")

    def entry_resources(self, item: Item) -> None:
        for ref in item.data.get("resources", []):
            resource = self.resources_by_ref.get(ref)
            if resource is None:
                self.problem(f"{item.where}: unknown resource '{ref}'")
            elif resource.source_slug != item.source_slug:
                self.problem(f"{item.where}: resource '{ref}' is named by another briefing")
