"""Checks that need the whole set of fixtures: duplicate keys, references
between files, choices and dates, and that every text is found word for word
in its briefing. One method per kind of object, run in loading order."""

from __future__ import annotations

import re
from typing import Any

from django.db import models

from ..coverage import NormalisedSource
from ..models import Action, CaseFact, LearningPoint, Resource, Review, Source
from .reader import Fixtures, Item
from .schema import parse_partial_date

MIN_THEMES, MAX_THEMES = 1, 3

# A learning point that "repeats" another is the same paragraph published
# again, perhaps lightly edited: most of its words must be the other's.
REPEAT_OVERLAP = 0.8
_WORD = re.compile(r"[a-z0-9]+")
_REF = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


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
        self.theme_slugs = {t.data["slug"] for t in fixtures.themes}
        self.source_slugs = {s.data["slug"] for s in fixtures.sources}
        self.resources_by_ref = {r.data["ref"]: r for r in fixtures.resources}
        self.collections_by_slug = {c.data["slug"]: c for c in fixtures.collections}
        self.learning_points_by_ref = {lp.data["ref"]: lp for lp in fixtures.learning_points}

    def problem(self, message: str) -> None:
        self.problems.append(message)

    def validate(self) -> None:
        self.unique_keys()
        self.validate_partnerships()
        self.validate_themes()
        self.validate_theme_aliases()
        self.validate_sources()
        self.validate_excluded_passages()
        self.validate_resources()
        self.validate_collections()
        self.validate_reviews()
        self.validate_case_facts()
        self.validate_learning_points()
        self.validate_recommendations()
        self.validate_actions()

    # -- keys -----------------------------------------------------------------

    def unique_keys(self) -> None:
        f = self.f
        self.check_unique(f.partnerships, "slug", "slug")
        self.check_unique(f.partnerships, "name", "name")
        self.check_unique(f.themes, "slug", "slug")
        self.check_unique(f.themes, "name", "name", str.lower)
        self.check_unique(f.aliases, "name", "alias name", str.lower)
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
        return f.resources + f.case_facts + f.learning_points + f.recommendations + f.actions

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

    def validate_themes(self) -> None:
        for theme in self.f.themes:
            self.not_blank(theme, "name", "summary")
            for related in theme.data.get("related", []):
                if related not in self.theme_slugs:
                    self.problem(f"{theme.where}: unknown related theme '{related}'")
                elif related == theme.data["slug"]:
                    self.problem(f"{theme.where}: a theme cannot be related to itself")

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

    def validate_sources(self) -> None:
        for source in self.f.sources:
            data = source.data
            self.choice(source, "kind", data["kind"], Source.Kind)
            self.reference(source, "partnership", data.get("partnership"), self.partnership_slugs)
            self.date(source, "published", data.get("published"))
            self.verbatim(source, data["title"], data["slug"], "title")
            if not data.get("partnership") and not data.get("publisher_as_stated"):
                self.problem(f"{source.where}: give a partnership or say how the document names its publisher")

    def validate_excluded_passages(self) -> None:
        for passage in self.excluded_items:
            self.not_blank(passage, "text", "reason")
            self.verbatim(passage, passage.data["text"], passage.source_slug, "text")

    def validate_resources(self) -> None:
        for resource in self.f.resources:
            data = resource.data
            self.choice(resource, "kind", data["kind"], Resource.Kind)
            self.verbatim(resource, data["name"], resource.source_slug, "name")
            if data.get("details_as_stated"):
                self.verbatim(resource, data["details_as_stated"], resource.source_slug, "details_as_stated")

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

    def validate_case_facts(self) -> None:
        for item in self.f.case_facts:
            self.entry(item, themed=False)
            self.choice(item, "kind", item.data.get("kind", CaseFact.Kind.CASE), CaseFact.Kind)

    def validate_learning_points(self) -> None:
        for item in self.f.learning_points:
            self.entry(item, themed=True)
            self.choice(item, "kind", item.data.get("kind", LearningPoint.Kind.LEARNING), LearningPoint.Kind)
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
            self.entry(item, themed=True)
            self.stated(item, "addressed_to")

    def validate_actions(self) -> None:
        for item in self.f.actions:
            self.entry(item, themed=True)
            self.choice(item, "status", item.data["status"], Action.Status)
            self.stated(item, "owner")
            self.stated(item, "target_date_as_stated")

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

    def entry(self, item: Item, *, themed: bool) -> None:
        """A case fact, learning point, recommendation or action: its wording, its
        themes (``themed``: all but case facts have them) and its resources."""
        data = item.data
        self.not_blank(item, "text")
        self.verbatim(item, data["text"], item.source_slug, "text")
        if data.get("heading"):
            self.verbatim(item, data["heading"], item.source_slug, "heading")
        if themed:
            self.entry_themes(item)
        self.entry_resources(item)

    def entry_themes(self, item: Item) -> None:
        listed = item.data.get("themes", [])
        for theme in listed:
            if theme not in self.theme_slugs:
                self.problem(f"{item.where}: unknown theme '{theme}'")
        if len(set(listed)) != len(listed):
            self.problem(f"{item.where}: a theme is listed twice")
        if not MIN_THEMES <= len(listed) <= MAX_THEMES:
            self.problem(f"{item.where}: give {MIN_THEMES} to {MAX_THEMES} themes (found {len(listed)})")

    def entry_resources(self, item: Item) -> None:
        for ref in item.data.get("resources", []):
            resource = self.resources_by_ref.get(ref)
            if resource is None:
                self.problem(f"{item.where}: unknown resource '{ref}'")
            elif resource.source_slug != item.source_slug:
                self.problem(f"{item.where}: resource '{ref}' is named by another briefing")
