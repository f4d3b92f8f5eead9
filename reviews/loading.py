"""Load the knowledge base content from ``fixtures/`` (``manage.py load_kb``).

The fixtures are the reviewed record of what the five briefings say; the
format and the editorial rules are in ``fixtures/README.md``. Loading happens
in two steps:

1. **Validate** everything without touching the database: JSON syntax, unknown
   or missing keys, choices and dates, references between files (themes,
   partnerships, sources, resources, repeated learning), duplicate keys, and
   that every text is found word for word in its briefing.
2. **Write** inside one transaction, upserting by natural key with ordinary
   ``save()`` calls (search indexing and history listen to those signals) and
   ``full_clean()`` before each save. Anything that goes wrong rolls the whole
   load back, so the database is exactly as it was.

Objects whose fields already match are not saved again, so a second load
changes nothing: no new history rows, no ``updated_at`` bumps.

Rows that came from a fixture source but are no longer in the fixtures are
reported, and deleted only with ``prune=True``: editors may have added them in
the admin on purpose.

Editors' work is never undone by a load. A row whose latest history entry was
made by a person (the admin records who) is left as they left it, and a row
they deleted is not created again; both are reported. A page whose slug an
editor changed, or a theme they merged into another, is found under its new
slug. ``overwrite_edits=True`` (``load_kb --overwrite-edits``) puts the
fixtures' version back instead.
"""

from __future__ import annotations

import datetime
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction

from .coverage import NormalisedSource
from .models import (
    SLUGGED_MODELS,
    Action,
    CaseFact,
    Collection,
    DatePrecision,
    LearningPoint,
    OldSlug,
    Partnership,
    PublicationStatus,
    Recommendation,
    Resource,
    Review,
    Source,
    Theme,
    ThemeAlias,
)

DEFAULT_FIXTURES_DIR = Path(settings.BASE_DIR) / "fixtures"

# What the report calls each model, in loading order.
LABELS: dict[type[models.Model], tuple[str, str]] = {
    Partnership: ("partnership", "partnerships"),
    Source: ("source", "sources"),
    Theme: ("theme", "themes"),
    ThemeAlias: ("theme alias", "theme aliases"),
    Resource: ("resource", "resources"),
    Collection: ("collection", "collections"),
    Review: ("review", "reviews"),
    CaseFact: ("case fact", "case facts"),
    LearningPoint: ("learning point", "learning points"),
    Recommendation: ("recommendation", "recommendations"),
    Action: ("action", "actions"),
}


class FixtureError(Exception):
    """One or more faults in the fixtures; ``problems`` lists each with its file and object."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        count = len(problems)
        heading = "1 problem in the fixtures" if count == 1 else f"{count} problems in the fixtures"
        super().__init__(f"{heading}; nothing was loaded:\n" + "\n".join(f"  {p}" for p in problems))


# ---------------------------------------------------------------------------
# The format: allowed keys (True = required) and their types
# ---------------------------------------------------------------------------

STR, OPT_STR, LIST, BOOL, DICT = "string", "string or null", "list", "true/false", "object"

SCHEMAS: dict[str, dict[str, tuple[bool, str]]] = {
    "partnership": {
        "slug": (True, STR),
        "name": (True, STR),
        "short_name": (False, STR),
        "area": (True, STR),
        "website": (False, STR),
    },
    "theme": {
        "slug": (True, STR),
        "name": (True, STR),
        "summary": (True, STR),
        "aliases": (False, LIST),
        "related": (False, LIST),
    },
    "alias": {"name": (True, STR), "source": (False, OPT_STR)},
    "file": {
        "source": (True, DICT),
        "excluded_passages": (False, LIST),
        "resources": (False, LIST),
        "collections": (False, LIST),
        "reviews": (False, LIST),
        "learning_points": (False, LIST),
    },
    "source": {
        "slug": (True, STR),
        "file": (True, STR),
        "title": (True, STR),
        "partnership": (False, OPT_STR),
        "publisher_as_stated": (False, STR),
        "kind": (True, STR),
        "published": (False, OPT_STR),
    },
    "excluded passage": {"text": (True, STR), "reason": (True, STR)},
    "resource": {
        "ref": (True, STR),
        "name": (True, STR),
        "kind": (True, STR),
        "url": (False, STR),
        "details_as_stated": (False, STR),
        "note": (False, STR),
    },
    "collection": {"slug": (True, STR), "title": (True, STR), "introduction": (False, STR)},
    "review": {
        "slug": (True, STR),
        "title": (True, STR),
        "review_type": (True, STR),
        "partnership": (False, OPT_STR),
        "collection": (False, OPT_STR),
        "children": (False, STR),
        "summary": (False, STR),
        "summary_source": (False, OPT_STR),
        "published": (False, OPT_STR),
        "commissioned": (False, OPT_STR),
        "tags": (False, LIST),
        "case_facts": (False, LIST),
        "learning_points": (False, LIST),
        "recommendations": (False, LIST),
        "actions": (False, LIST),
    },
    "case fact": {"ref": (True, STR), "kind": (False, STR), "heading": (False, STR), "text": (True, STR)},
    "learning point": {
        "ref": (True, STR),
        "kind": (False, STR),
        "heading": (False, STR),
        "text": (True, STR),
        "themes": (True, LIST),
        "resources": (False, LIST),
        "repeats": (False, OPT_STR),
    },
    "recommendation": {
        "ref": (True, STR),
        "number": (False, STR),
        "addressed_to": (False, STR),
        "heading": (False, STR),
        "text": (True, STR),
        "themes": (True, LIST),
        "resources": (False, LIST),
        "actions": (False, LIST),
    },
    "action": {
        "ref": (True, STR),
        "owner": (False, STR),
        "status": (True, STR),
        "target_date_as_stated": (False, STR),
        "heading": (False, STR),
        "text": (True, STR),
        "themes": (True, LIST),
        "resources": (False, LIST),
        "evidence_of_impact": (False, STR),
    },
}

_TYPE_CHECKS = {
    STR: lambda v: isinstance(v, str),
    OPT_STR: lambda v: v is None or isinstance(v, str),
    LIST: lambda v: isinstance(v, list),
    BOOL: lambda v: isinstance(v, bool),
    DICT: lambda v: isinstance(v, dict),
}

_DATE_FORMATS = (
    (re.compile(r"^\d{4}-\d{2}-\d{2}$"), "%Y-%m-%d", DatePrecision.DAY),
    (re.compile(r"^\d{4}-\d{2}$"), "%Y-%m", DatePrecision.MONTH),
    (re.compile(r"^\d{4}$"), "%Y", DatePrecision.YEAR),
)

MIN_THEMES, MAX_THEMES = 1, 3

# A learning point that "repeats" another is the same paragraph published
# again, perhaps lightly edited: most of its words must be the other's.
REPEAT_OVERLAP = 0.8
_WORD = re.compile(r"[a-z0-9]+")


def _word_overlap(text: str, other: str) -> float:
    """The share of the shorter text's distinct words that the other text also has."""
    words, other_words = set(_WORD.findall(text.lower())), set(_WORD.findall(other.lower()))
    smaller = min(len(words), len(other_words))
    return len(words & other_words) / smaller if smaller else 0.0


def parse_partial_date(value: str | None) -> tuple[datetime.date | None, str]:
    """``"2019-09"`` → (1 September 2019, month); ``None`` → (None, unknown)."""
    if value is None:
        return None, DatePrecision.UNKNOWN
    for pattern, fmt, precision in _DATE_FORMATS:
        if pattern.match(value):
            return datetime.datetime.strptime(value, fmt).date(), precision
    raise ValueError(f"date {value!r} is not YYYY, YYYY-MM or YYYY-MM-DD (or null when not given)")


# ---------------------------------------------------------------------------
# Reading and validating
# ---------------------------------------------------------------------------


@dataclass
class Item:
    """One fixture object, with where it came from for error messages."""

    kind: str  # schema name
    data: dict[str, Any]
    file: str
    source_slug: str | None = None
    review_slug: str | None = None
    recommendation_ref: str | None = None
    position: int = 0

    @property
    def key(self) -> str:
        return self.data.get("ref") or self.data.get("slug") or self.data.get("name") or "?"

    @property
    def where(self) -> str:
        return f"{self.file}: {self.kind} '{self.key}'"


@dataclass
class Fixtures:
    partnerships: list[Item] = field(default_factory=list)
    themes: list[Item] = field(default_factory=list)
    aliases: list[Item] = field(default_factory=list)
    sources: list[Item] = field(default_factory=list)
    resources: list[Item] = field(default_factory=list)
    collections: list[Item] = field(default_factory=list)
    reviews: list[Item] = field(default_factory=list)
    case_facts: list[Item] = field(default_factory=list)
    learning_points: list[Item] = field(default_factory=list)
    recommendations: list[Item] = field(default_factory=list)
    actions: list[Item] = field(default_factory=list)
    briefings: dict[str, str] = field(default_factory=dict)  # source slug -> original text
    excluded: dict[str, list[dict[str, str]]] = field(default_factory=dict)  # source slug -> passages
    briefing_files: dict[str, str] = field(default_factory=dict)  # source slug -> briefing file name


class _Reader:
    def __init__(self, fixtures_dir: Path):
        self.dir = Path(fixtures_dir)
        self.problems: list[str] = []
        self.fixtures = Fixtures()
        self.excluded_items: list[Item] = []

    # -- helpers ------------------------------------------------------------

    def display(self, path: Path) -> str:
        base = Path(settings.BASE_DIR)
        try:
            return str(path.resolve().relative_to(base.resolve()))
        except ValueError:
            return str(path)

    def problem(self, message: str) -> None:
        self.problems.append(message)

    def load_json(self, path: Path) -> Any:
        def no_duplicate_keys(pairs):
            seen = {}
            for key, value in pairs:
                if key in seen:
                    raise ValueError(f"the key '{key}' appears twice in one object")
                seen[key] = value
            return seen

        shown = self.display(path)
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            self.problem(f"{shown}: file not found")
            return None
        except UnicodeDecodeError as error:
            self.problem(f"{shown}: not UTF-8 text ({error.reason} at byte {error.start})")
            return None
        try:
            return json.loads(text, object_pairs_hook=no_duplicate_keys)
        except json.JSONDecodeError as error:
            self.problem(f"{shown}: invalid JSON at line {error.lineno}, column {error.colno}: {error.msg}")
        except ValueError as error:
            self.problem(f"{shown}: invalid JSON: {error}")
        return None

    def check_keys(self, schema: str, data: Any, where: str) -> bool:
        if not isinstance(data, dict):
            self.problem(f"{where}: expected an object, found {type(data).__name__}")
            return False
        spec = SCHEMAS[schema]
        ok = True
        for key in data:
            if key not in spec:
                allowed = ", ".join(spec)
                self.problem(f"{where}: unknown key '{key}' (allowed: {allowed})")
                ok = False
        for key, (required, kind) in spec.items():
            if key not in data:
                if required:
                    self.problem(f"{where}: missing key '{key}'")
                    ok = False
            elif not _TYPE_CHECKS[kind](data[key]):
                self.problem(f"{where}: '{key}' must be a {kind}")
                ok = False
        return ok

    def items(self, schema: str, values: Any, file: str, where: str, **context) -> list[Item]:
        if values is None:
            return []
        result = []
        for index, data in enumerate(values, start=1):
            label = (data.get("ref") or data.get("slug") or data.get("name")) if isinstance(data, dict) else None
            item_where = f"{file}: {schema} '{label}'" if label else f"{where}: {schema} #{index}"
            if self.check_keys(schema, data, item_where):
                result.append(Item(kind=schema, data=data, file=file, position=index, **context))
        return result

    # -- reading ------------------------------------------------------------

    def read(self) -> Fixtures:
        if not self.dir.is_dir():
            self.problem(f"{self.display(self.dir)}: fixtures folder not found")
            return self.fixtures
        self.read_partnerships()
        self.read_themes()
        source_paths = sorted((self.dir / "sources").glob("*.json"))
        if not source_paths:
            self.problem(f"{self.display(self.dir / 'sources')}: no source fixtures (*.json) found")
        for path in source_paths:
            self.read_source_file(path)
        return self.fixtures

    def read_partnerships(self) -> None:
        path = self.dir / "partnerships.json"
        file = self.display(path)
        data = self.load_json(path)
        if data is None:
            return
        if not isinstance(data, dict) or set(data) != {"partnerships"}:
            self.problem(f"{file}: expected an object with one key, 'partnerships'")
            return
        self.fixtures.partnerships = self.items("partnership", data["partnerships"], file, file)

    def read_themes(self) -> None:
        path = self.dir / "themes.json"
        file = self.display(path)
        data = self.load_json(path)
        if data is None:
            return
        if not isinstance(data, dict) or set(data) != {"themes"}:
            self.problem(f"{file}: expected an object with one key, 'themes'")
            return
        self.fixtures.themes = self.items("theme", data["themes"], file, file)
        for theme in self.fixtures.themes:
            for alias in self.items("alias", theme.data.get("aliases", []), file, theme.where):
                alias.data = {**alias.data, "theme": theme.data["slug"]}
                alias.kind = "theme alias"
                self.fixtures.aliases.append(alias)

    def read_source_file(self, path: Path) -> None:
        file = self.display(path)
        data = self.load_json(path)
        if data is None or not self.check_keys("file", data, file):
            return
        source_items = self.items("source", [data["source"]], file, file)
        if not source_items:
            return
        source = source_items[0]
        slug = source.data["slug"]
        self.fixtures.sources.append(source)
        self.fixtures.briefing_files[slug] = source.data["file"]

        briefing_path = self.dir / "briefings" / source.data["file"]
        try:
            self.fixtures.briefings[slug] = briefing_path.read_bytes().decode("utf-8")
        except FileNotFoundError:
            self.problem(f"{file}: source '{slug}': briefing file {self.display(briefing_path)} not found")
        except UnicodeDecodeError as error:
            self.problem(f"{file}: source '{slug}': briefing file is not UTF-8 ({error.reason})")

        passages = self.items("excluded passage", data.get("excluded_passages"), file, file)
        self.fixtures.excluded[slug] = [p.data for p in passages]
        for passage in passages:
            passage.source_slug = slug
        self.excluded_items += passages

        for resource in self.items("resource", data.get("resources"), file, file, source_slug=slug):
            self.fixtures.resources.append(resource)
        for collection in self.items("collection", data.get("collections"), file, file, source_slug=slug):
            self.fixtures.collections.append(collection)
        for review in self.items("review", data.get("reviews"), file, file, source_slug=slug):
            self.fixtures.reviews.append(review)
            context = {"source_slug": slug, "review_slug": review.data["slug"]}
            self.fixtures.case_facts += self.items("case fact", review.data.get("case_facts"), file, review.where, **context)
            self.fixtures.learning_points += self.items(
                "learning point", review.data.get("learning_points"), file, review.where, **context
            )
            action_position = 0
            for recommendation in self.items(
                "recommendation", review.data.get("recommendations"), file, review.where, **context
            ):
                self.fixtures.recommendations.append(recommendation)
                for action in self.items(
                    "action",
                    recommendation.data.get("actions"),
                    file,
                    recommendation.where,
                    recommendation_ref=recommendation.data["ref"],
                    **context,
                ):
                    action_position += 1
                    action.position = action_position
                    self.fixtures.actions.append(action)
            for action in self.items("action", review.data.get("actions"), file, review.where, **context):
                action_position += 1
                action.position = action_position
                self.fixtures.actions.append(action)
        self.fixtures.learning_points += self.items(
            "learning point", data.get("learning_points"), file, file, source_slug=slug
        )


class _Validator:
    """Checks that need the whole set of fixtures."""

    def __init__(self, fixtures: Fixtures, problems: list[str], excluded_items: list[Item]):
        self.f = fixtures
        self.problems = problems
        self.excluded_items = excluded_items
        self.normalised = {slug: NormalisedSource.from_text(text) for slug, text in fixtures.briefings.items()}

    def problem(self, message: str) -> None:
        self.problems.append(message)

    def validate(self) -> None:
        self.unique_keys()
        partnerships = {p.data["slug"] for p in self.f.partnerships}
        themes = {t.data["slug"] for t in self.f.themes}
        sources = {s.data["slug"] for s in self.f.sources}
        resources = {r.data["ref"]: r for r in self.f.resources}
        collections = {c.data["slug"]: c for c in self.f.collections}
        learning_points = {lp.data["ref"]: lp for lp in self.f.learning_points}

        for p in self.f.partnerships:
            self.not_blank(p, "name", "area", "slug")
        for theme in self.f.themes:
            self.not_blank(theme, "name", "summary")
            for related in theme.data.get("related", []):
                if related not in themes:
                    self.problem(f"{theme.where}: unknown related theme '{related}'")
                elif related == theme.data["slug"]:
                    self.problem(f"{theme.where}: a theme cannot be related to itself")
        theme_names = {t.data["name"].lower(): t.data["slug"] for t in self.f.themes}
        for alias in self.f.aliases:
            name = alias.data["name"]
            if theme_names.get(name.lower()) == alias.data["theme"]:
                self.problem(f"{alias.where}: the alias is the theme's own name; leave it out")
            source = alias.data.get("source")
            if source is not None:
                if source not in sources:
                    self.problem(f"{alias.where}: unknown source '{source}'")
                else:
                    self.verbatim(alias, name, source, "name")

        for source in self.f.sources:
            data = source.data
            self.choice(source, "kind", data["kind"], Source.Kind)
            self.reference(source, "partnership", data.get("partnership"), partnerships)
            self.date(source, "published", data.get("published"))
            self.verbatim(source, data["title"], data["slug"], "title")
            if not data.get("partnership") and not data.get("publisher_as_stated"):
                self.problem(f"{source.where}: give a partnership or say how the document names its publisher")
        for passage in self.excluded_items:
            self.not_blank(passage, "text", "reason")
            self.verbatim(passage, passage.data["text"], passage.source_slug, "text")

        for resource in self.f.resources:
            data = resource.data
            self.choice(resource, "kind", data["kind"], Resource.Kind)
            self.verbatim(resource, data["name"], resource.source_slug, "name")
            if data.get("details_as_stated"):
                self.verbatim(resource, data["details_as_stated"], resource.source_slug, "details_as_stated")
        for collection in self.f.collections:
            if collection.data.get("introduction"):
                self.verbatim(collection, collection.data["introduction"], collection.source_slug, "introduction")
        for review in self.f.reviews:
            data = review.data
            self.choice(review, "review_type", data["review_type"], Review.ReviewType)
            self.reference(review, "partnership", data.get("partnership"), partnerships)
            collection = data.get("collection")
            if collection is not None:
                if collection not in collections:
                    self.problem(f"{review.where}: unknown collection '{collection}'")
                elif collections[collection].source_slug != review.source_slug:
                    self.problem(f"{review.where}: collection '{collection}' belongs to another source")
            self.date(review, "published", data.get("published"))
            self.date(review, "commissioned", data.get("commissioned"))
            summary_source = data.get("summary_source")
            if summary_source is not None:
                if not data.get("summary"):
                    self.problem(f"{review.where}: 'summary_source' is set but there is no summary")
                elif summary_source not in sources:
                    self.problem(f"{review.where}: unknown summary source '{summary_source}'")
                else:
                    self.verbatim(review, data["summary"], summary_source, "summary")
            if data.get("children"):
                self.verbatim(review, data["children"], review.source_slug, "children")
            tags = data.get("tags", [])
            if not all(isinstance(tag, str) and tag.strip() for tag in tags):
                self.problem(f"{review.where}: tags must be non-empty strings")
            elif len({tag.lower() for tag in tags}) != len(tags):
                self.problem(f"{review.where}: a tag is listed twice")

        for item in self.f.case_facts:
            self.entry(item, themes=None, resources=resources)
            self.choice(item, "kind", item.data.get("kind", CaseFact.Kind.CASE), CaseFact.Kind)
        for item in self.f.learning_points:
            self.entry(item, themes=themes, resources=resources)
            self.choice(item, "kind", item.data.get("kind", LearningPoint.Kind.LEARNING), LearningPoint.Kind)
            repeats = item.data.get("repeats")
            if repeats is not None:
                if repeats not in learning_points:
                    self.problem(f"{item.where}: repeats unknown learning point '{repeats}'")
                elif repeats == item.data["ref"]:
                    self.problem(f"{item.where}: a learning point cannot repeat itself")
                elif learning_points[repeats].source_slug == item.source_slug:
                    self.problem(
                        f"{item.where}: repeats '{repeats}' from the same briefing; "
                        "'repeats' is for a paragraph another briefing published earlier"
                    )
                elif _word_overlap(item.data["text"], learning_points[repeats].data["text"]) < REPEAT_OVERLAP:
                    self.problem(
                        f"{item.where}: 'repeats' names '{repeats}', which does not share most of its words; "
                        "'repeats' is for the same paragraph published again"
                    )
        for item in self.f.recommendations:
            self.entry(item, themes=themes, resources=resources)
            self.stated(item, "addressed_to")
        for item in self.f.actions:
            self.entry(item, themes=themes, resources=resources)
            self.choice(item, "status", item.data["status"], Action.Status)
            self.stated(item, "owner")
            self.stated(item, "target_date_as_stated")

    # -- individual checks ---------------------------------------------------

    def unique_keys(self) -> None:
        def check(items: list[Item], key: str, what: str, fold=lambda v: v) -> None:
            seen: dict[Any, Item] = {}
            for item in items:
                value = fold(item.data.get(key))
                if value in seen:
                    self.problem(f"{item.where}: duplicate {what} (also in {seen[value].file})")
                else:
                    seen[value] = item

        check(self.f.partnerships, "slug", "slug")
        check(self.f.partnerships, "name", "name")
        check(self.f.themes, "slug", "slug")
        check(self.f.themes, "name", "name", str.lower)
        check(self.f.aliases, "name", "alias name", str.lower)
        check(self.f.sources, "slug", "slug")
        check(self.f.sources, "file", "briefing file")
        check(self.f.collections, "slug", "slug")
        check(self.f.reviews, "slug", "slug")
        # One namespace for every ref: they are link anchors and must never clash.
        check(
            self.f.resources + self.f.case_facts + self.f.learning_points + self.f.recommendations + self.f.actions,
            "ref",
            "ref",
        )
        numbers: dict[tuple[str, str], Item] = {}
        for item in self.f.recommendations:
            number = item.data.get("number", "")
            if number:
                key = (item.review_slug, number)
                if key in numbers:
                    self.problem(f"{item.where}: recommendation number '{number}' is used twice in this review")
                numbers[key] = item
        for item in self.f.resources + self.f.case_facts + self.f.learning_points + self.f.recommendations + self.f.actions:
            ref = item.data["ref"]
            if not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", ref):
                self.problem(f"{item.where}: a ref is lower-case letters, digits and hyphens")

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

    def entry(self, item: Item, *, themes: set[str] | None, resources: dict[str, Item]) -> None:
        data = item.data
        self.not_blank(item, "text")
        self.verbatim(item, data["text"], item.source_slug, "text")
        if data.get("heading"):
            self.verbatim(item, data["heading"], item.source_slug, "heading")
        if themes is not None:
            listed = data.get("themes", [])
            for theme in listed:
                if theme not in themes:
                    self.problem(f"{item.where}: unknown theme '{theme}'")
            if len(set(listed)) != len(listed):
                self.problem(f"{item.where}: a theme is listed twice")
            if not MIN_THEMES <= len(listed) <= MAX_THEMES:
                self.problem(f"{item.where}: give {MIN_THEMES} to {MAX_THEMES} themes (found {len(listed)})")
        for ref in data.get("resources", []):
            resource = resources.get(ref)
            if resource is None:
                self.problem(f"{item.where}: unknown resource '{ref}'")
            elif resource.source_slug != item.source_slug:
                self.problem(f"{item.where}: resource '{ref}' is named by another briefing")


def read_fixtures(fixtures_dir: Path | str = DEFAULT_FIXTURES_DIR) -> Fixtures:
    """Read and validate every fixture file; raise ``FixtureError`` listing all faults."""
    reader = _Reader(Path(fixtures_dir))
    fixtures = reader.read()
    # Cross-file checks on a partial read would only report knock-on faults.
    if not reader.problems:
        _Validator(fixtures, reader.problems, reader.excluded_items).validate()
    if reader.problems:
        raise FixtureError(reader.problems)
    return fixtures


# ---------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------


@dataclass
class LoadReport:
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    unchanged: Counter = field(default_factory=Counter)
    stale: list[str] = field(default_factory=list)  # rows no longer in the fixtures
    pruned: Counter = field(default_factory=Counter)
    kept_edits: list[str] = field(default_factory=list)  # rows editors changed, left as they are
    kept_deleted: list[str] = field(default_factory=list)  # rows editors deleted, not created again
    moved: list[str] = field(default_factory=list)  # slugs editors changed or themes they merged

    @property
    def changed(self) -> bool:
        return bool(sum(self.created.values()) or sum(self.updated.values()) or sum(self.pruned.values()))

    @staticmethod
    def _describe(counter: Counter) -> str:
        parts = []
        for model, (singular, plural) in LABELS.items():
            count = counter.get(model, 0)
            if count:
                parts.append(f"{count} {singular if count == 1 else plural}")
        return ", ".join(parts) or "nothing"

    def total(self, model: type[models.Model]) -> int:
        return self.created[model] + self.updated[model] + self.unchanged[model]

    def summary(self) -> str:
        if not self.changed:
            everything = Counter({model: self.total(model) for model in LABELS})
            lines = [f"No changes: {self._describe(everything)} already up to date."]
        else:
            lines = [
                f"Created: {self._describe(self.created)}.",
                f"Updated: {self._describe(self.updated)}.",
                f"Unchanged: {self._describe(self.unchanged)}.",
            ]
        if self.pruned:
            lines.append(f"Deleted (no longer in the fixtures): {self._describe(self.pruned)}.")
        if self.kept_edits:
            lines.append(
                f"Kept as editors left them ({len(self.kept_edits)}; the fixtures differ, "
                "run with --overwrite-edits to put the fixtures' version back):"
            )
            lines.extend(f"  {line}" for line in self.kept_edits)
        if self.kept_deleted:
            lines.append(f"Deleted by editors, not created again ({len(self.kept_deleted)}):")
            lines.extend(f"  {line}" for line in self.kept_deleted)
        if self.moved:
            lines.append(f"Found under a new address ({len(self.moved)}):")
            lines.extend(f"  {line}" for line in self.moved)
        return "\n".join(lines)


class _RollBack(Exception):
    pass


def _latest_history(model, **lookup):
    history = getattr(model, "history", None)
    if history is None:
        return None
    return history.filter(**lookup).order_by("-history_date", "-history_id").first()


def _by_whom(record) -> str:
    user = record.history_user
    who = (user.get_full_name() or user.get_username()) if user is not None else "an editor"
    return f"{who}, {record.history_date:%d %B %Y %H:%M}"


class _Writer:
    def __init__(self, fixtures: Fixtures, report: LoadReport, *, overwrite_edits: bool = False):
        self.f = fixtures
        self.report = report
        self.overwrite_edits = overwrite_edits
        self.partnerships: dict[str, Partnership | None] = {}
        self.sources: dict[str, Source | None] = {}
        self.themes: dict[str, Theme | None] = {}
        self.resources: dict[str, Resource | None] = {}
        self.collections: dict[str, Collection | None] = {}
        self.reviews: dict[str, Review | None] = {}
        self.learning_points: dict[str, LearningPoint | None] = {}
        self.recommendations: dict[str, Recommendation | None] = {}
        self.created_pks: dict[type[models.Model], set[int]] = {model: set() for model in LABELS}
        self.updated_pks: dict[type[models.Model], set[int]] = {model: set() for model in LABELS}
        # Rows the load must not change: edited by a person, or reached through an old slug.
        self.hands_off: set[tuple[type[models.Model], int]] = set()

    # -- finding rows, and leaving editors' work alone -----------------------

    def _find(self, model, lookup: dict[str, Any], item: Item):
        """The row a fixture item is about: by natural key, else by a slug it used to have."""
        obj = model._default_manager.filter(**lookup).first()
        if obj is not None or set(lookup) != {"slug"} or model not in SLUGGED_MODELS.values():
            return obj
        record = OldSlug.objects.for_model(model).filter(slug=lookup["slug"]).first()
        obj = model._default_manager.filter(pk=record.object_id).first() if record else None
        if obj is not None:
            # Renamed, or (a theme) merged into another: use it, never overwrite it with this item.
            self.hands_off.add((model, obj.pk))
            self.report.moved.append(f"{item.where}: '{lookup['slug']}' is now '{obj.slug}'")
        return obj

    def _edited_by_a_person(self, obj):
        """The latest history entry if a person made it (loads and imports record no user)."""
        if self.overwrite_edits:
            return None
        record = _latest_history(type(obj), id=obj.pk)
        return record if record is not None and record.history_user_id is not None else None

    def _deleted_by_a_person(self, model, lookup: dict[str, Any]):
        if self.overwrite_edits or set(lookup) == {"pk"}:
            return None
        record = _latest_history(model, **lookup)
        if record is not None and record.history_type == "-" and record.history_user_id is not None:
            return record
        return None

    def may_change(self, model, obj) -> bool:
        return (model, obj.pk) not in self.hands_off

    def upsert(self, model, lookup: dict[str, Any], values: dict[str, Any], item: Item, m2m: dict | None = None):
        """Create or update one row by natural key; save only if something differs.

        Returns ``None`` when an editor deleted the row: it is not created again.
        """
        obj = self._find(model, lookup, item)
        created = obj is None
        if created:
            deleted = self._deleted_by_a_person(model, lookup)
            if deleted is not None:
                self.report.kept_deleted.append(f"{item.where} (deleted by {_by_whom(deleted)})")
                return None
            obj = model(**lookup)
        elif not self.may_change(model, obj):
            self.report.unchanged[model] += 1
            return obj
        changed = [name for name, value in values.items() if created or getattr(obj, name) != value]
        m2m_wanted = {
            name: (targets, {target.pk for target in targets})
            for name, targets in (m2m or {}).items()
        }
        m2m_differs = not created and any(
            set(getattr(obj, name).values_list("pk", flat=True)) != wanted
            for name, (_targets, wanted) in m2m_wanted.items()
        )
        if not created and (changed or m2m_differs):
            edited = self._edited_by_a_person(obj)
            if edited is not None:
                self.hands_off.add((model, obj.pk))
                self.report.kept_edits.append(f"{item.where} (last changed by {_by_whom(edited)})")
                self.report.unchanged[model] += 1
                return obj
        for name in changed:
            setattr(obj, name, values[name])
        if changed:
            try:
                obj.full_clean()
            except ValidationError as error:
                raise FixtureError([f"{item.where}: {_describe_validation_error(error)}"]) from error
            obj.save()
        m2m_changed = False
        for name, (targets, wanted) in m2m_wanted.items():
            manager = getattr(obj, name)
            if set(manager.values_list("pk", flat=True)) != wanted:
                manager.set(targets)
                m2m_changed = True
        if created:
            self.report.created[model] += 1
            self.created_pks[model].add(obj.pk)
        elif changed or m2m_changed:
            self.report.updated[model] += 1
            self.updated_pks[model].add(obj.pk)
        else:
            self.report.unchanged[model] += 1
        return obj

    def mark_updated(self, model, obj) -> None:
        """A change made after ``upsert`` (tags, related themes, repeats) to a row it counted as unchanged."""
        if obj.pk in self.created_pks[model] or obj.pk in self.updated_pks[model]:
            return
        self.report.unchanged[model] -= 1
        self.report.updated[model] += 1
        self.updated_pks[model].add(obj.pk)

    def _skip(self, item: Item, why: str) -> None:
        self.report.kept_deleted.append(f"{item.where} (not loaded: {why})")

    def write(self) -> None:
        for item in self.f.partnerships:
            d = item.data
            self.partnerships[d["slug"]] = self.upsert(
                Partnership,
                {"slug": d["slug"]},
                {
                    "name": d["name"],
                    "short_name": d.get("short_name", ""),
                    "area": d["area"],
                    "website": d.get("website", ""),
                },
                item,
            )
        for item in self.f.sources:
            d = item.data
            published_on, precision = parse_partial_date(d.get("published"))
            self.sources[d["slug"]] = self.upsert(
                Source,
                {"slug": d["slug"]},
                {
                    "title": d["title"],
                    "partnership_id": self._pk(self.partnerships, d.get("partnership")),
                    "publisher_as_stated": d.get("publisher_as_stated", ""),
                    "kind": d["kind"],
                    "published_on": published_on,
                    "published_precision": precision,
                    "original_text": self.f.briefings[d["slug"]],
                    "file_name": d["file"],
                    "excluded_passages": self.f.excluded.get(d["slug"], []),
                    "status": PublicationStatus.PUBLISHED,
                },
                item,
            )
        for item in self.f.themes:
            d = item.data
            self.themes[d["slug"]] = self.upsert(
                Theme, {"slug": d["slug"]}, {"name": d["name"], "summary": d["summary"]}, item
            )
        self._related_themes()
        for item in self.f.aliases:
            d = item.data
            theme = self.themes.get(d["theme"])
            if theme is None:
                self._skip(item, f"its theme '{d['theme']}' was deleted by an editor")
                continue
            existing = ThemeAlias.objects.filter(name__iexact=d["name"]).first()
            lookup = {"pk": existing.pk} if existing else {"name": d["name"]}
            self.upsert(
                ThemeAlias,
                lookup,
                {
                    "name": d["name"],
                    "theme_id": theme.pk,
                    "source_id": self._pk(self.sources, d.get("source")),
                },
                item,
            )
        for item in self.f.resources:
            d = item.data
            if self.sources.get(item.source_slug) is None:
                self._skip(item, "its source was deleted by an editor")
                continue
            self.resources[d["ref"]] = self.upsert(
                Resource,
                {"ref": d["ref"]},
                {
                    "name": d["name"],
                    "kind": d["kind"],
                    "source_id": self.sources[item.source_slug].pk,
                    "url": d.get("url", ""),
                    "details_as_stated": d.get("details_as_stated", ""),
                    "note": d.get("note", ""),
                    "position": item.position,
                },
                item,
            )
        for item in self.f.collections:
            d = item.data
            if self.sources.get(item.source_slug) is None:
                self._skip(item, "its source was deleted by an editor")
                continue
            self.collections[d["slug"]] = self.upsert(
                Collection,
                {"slug": d["slug"]},
                {
                    "title": d["title"],
                    "source_id": self.sources[item.source_slug].pk,
                    "introduction": d.get("introduction", ""),
                },
                item,
            )
        for item in self.f.reviews:
            self._review(item)
        for item in self.f.case_facts:
            d = item.data
            if not self._parents_exist(item):
                continue
            self.upsert(
                CaseFact,
                {"ref": d["ref"]},
                {
                    "review_id": self.reviews[item.review_slug].pk,
                    "source_id": self.sources[item.source_slug].pk,
                    "kind": d.get("kind", CaseFact.Kind.CASE),
                    "heading": d.get("heading", ""),
                    "text": d["text"],
                    "position": item.position,
                },
                item,
            )
        for item in self.f.learning_points:
            if self._parents_exist(item):
                self._learning_point(item)
        for item in self.f.recommendations:
            d = item.data
            if not self._parents_exist(item):
                continue
            self.recommendations[d["ref"]] = self.upsert(
                Recommendation,
                {"ref": d["ref"]},
                {
                    "review_id": self.reviews[item.review_slug].pk,
                    "source_id": self.sources[item.source_slug].pk,
                    "number": d.get("number", ""),
                    "addressed_to": d.get("addressed_to", ""),
                    "heading": d.get("heading", ""),
                    "text": d["text"],
                    "position": item.position,
                },
                item,
                m2m={"themes": self._themes(d), "resources": self._resources(d)},
            )
        for item in self.f.actions:
            d = item.data
            if not self._parents_exist(item):
                continue
            if item.recommendation_ref is not None and self.recommendations.get(item.recommendation_ref) is None:
                self._skip(item, f"its recommendation '{item.recommendation_ref}' was deleted by an editor")
                continue
            self.upsert(
                Action,
                {"ref": d["ref"]},
                {
                    "review_id": self.reviews[item.review_slug].pk,
                    "recommendation_id": self._pk(self.recommendations, item.recommendation_ref),
                    "source_id": self.sources[item.source_slug].pk,
                    "owner": d.get("owner", ""),
                    "status": d["status"],
                    "target_date_as_stated": d.get("target_date_as_stated", ""),
                    "heading": d.get("heading", ""),
                    "text": d["text"],
                    "evidence_of_impact": d.get("evidence_of_impact", ""),
                    "position": item.position,
                },
                item,
                m2m={"themes": self._themes(d), "resources": self._resources(d)},
            )
        # Repeats point across files, so they are set once every learning point exists.
        for item in self.f.learning_points:
            if item.data.get("repeats"):
                self._set_repeats(item)

    # -- pieces --------------------------------------------------------------

    @staticmethod
    def _pk(objects: dict[str, models.Model | None], key: str | None) -> int | None:
        obj = objects.get(key) if key is not None else None
        return obj.pk if obj is not None else None

    def _parents_exist(self, item: Item) -> bool:
        if self.sources.get(item.source_slug) is None:
            self._skip(item, "its source was deleted by an editor")
            return False
        if item.review_slug is not None and self.reviews.get(item.review_slug) is None:
            self._skip(item, f"its review '{item.review_slug}' was deleted by an editor")
            return False
        return True

    def _themes(self, data: dict) -> list[Theme]:
        return [self.themes[slug] for slug in data.get("themes", []) if self.themes.get(slug) is not None]

    def _resources(self, data: dict) -> list[Resource]:
        return [self.resources[ref] for ref in data.get("resources", []) if self.resources.get(ref) is not None]

    def _related_themes(self) -> None:
        # The relation is symmetrical: take the union of both directions so
        # that setting one theme's list does not undo another's.
        related: dict[str, set[str]] = {slug: set() for slug in self.themes}
        for item in self.f.themes:
            for other in item.data.get("related", []):
                related[item.data["slug"]].add(other)
                related[other].add(item.data["slug"])
        for item in self.f.themes:
            theme = self.themes[item.data["slug"]]
            if theme is None or not self.may_change(Theme, theme):
                continue
            wanted = {
                self.themes[slug].pk
                for slug in related[item.data["slug"]]
                if self.themes.get(slug) is not None and self.themes[slug].pk != theme.pk
            }
            if set(theme.related_themes.values_list("pk", flat=True)) != wanted:
                if self._edited_by_a_person(theme) is not None:
                    continue  # reported by upsert if its fields differ too; its own list stands
                theme.related_themes.set(wanted)
                self.mark_updated(Theme, theme)

    def _review(self, item: Item) -> None:
        d = item.data
        published_on, published_precision = parse_partial_date(d.get("published"))
        commissioned_on, commissioned_precision = parse_partial_date(d.get("commissioned"))
        if self.sources.get(item.source_slug) is None:
            self._skip(item, "its source was deleted by an editor")
            self.reviews[d["slug"]] = None
            return
        review = self.upsert(
            Review,
            {"slug": d["slug"]},
            {
                "title": d["title"],
                "review_type": d["review_type"],
                "partnership_id": self._pk(self.partnerships, d.get("partnership")),
                "collection_id": self._pk(self.collections, d.get("collection")),
                "children": d.get("children", ""),
                "summary": d.get("summary", ""),
                "summary_source_id": self._pk(self.sources, d.get("summary_source")),
                "published_on": published_on,
                "published_precision": published_precision,
                "commissioned_on": commissioned_on,
                "commissioned_precision": commissioned_precision,
                "status": PublicationStatus.PUBLISHED,
            },
            item,
            m2m={"sources": [self.sources[item.source_slug]]},
        )
        self.reviews[d["slug"]] = review
        if review is None or not self.may_change(Review, review):
            return
        wanted_tags = sorted(d.get("tags", []))
        if sorted(review.tags.names()) != wanted_tags:
            edited = self._edited_by_a_person(review)
            if edited is not None:
                self.report.kept_edits.append(f"{item.where}: its tags (last changed by {_by_whom(edited)})")
                return
            review.tags.set(wanted_tags)
            self.mark_updated(Review, review)

    def _learning_point(self, item: Item) -> None:
        d = item.data
        self.learning_points[d["ref"]] = self.upsert(
            LearningPoint,
            {"ref": d["ref"]},
            {
                "review_id": self._pk(self.reviews, item.review_slug),
                "source_id": self.sources[item.source_slug].pk,
                "kind": d.get("kind", LearningPoint.Kind.LEARNING),
                "heading": d.get("heading", ""),
                "text": d["text"],
                "position": item.position,
            },
            item,
            m2m={"themes": self._themes(d), "resources": self._resources(d)},
        )

    def _set_repeats(self, item: Item) -> None:
        point = self.learning_points.get(item.data["ref"])
        target = self.learning_points.get(item.data["repeats"])
        if point is None or target is None or not self.may_change(LearningPoint, point):
            return
        if point.repeats_id != target.pk:
            if self._edited_by_a_person(point) is not None:
                return
            point.repeats = target
            point.full_clean()
            point.save()
            self.mark_updated(LearningPoint, point)

    # -- rows no longer in the fixtures ---------------------------------------

    def stale_rows(self) -> list[tuple[str, models.Model]]:
        refs = {
            CaseFact: {i.data["ref"] for i in self.f.case_facts},
            LearningPoint: {i.data["ref"] for i in self.f.learning_points},
            Recommendation: {i.data["ref"] for i in self.f.recommendations},
            Action: {i.data["ref"] for i in self.f.actions},
            Resource: {i.data["ref"] for i in self.f.resources},
        }
        sources = [source for source in self.sources.values() if source is not None]
        stale: list[tuple[str, models.Model]] = []
        for model in (Action, Recommendation, LearningPoint, CaseFact, Resource):
            for obj in model.objects.filter(source__in=sources).exclude(ref__in=refs[model]).order_by("ref"):
                stale.append((f"{LABELS[model][0]} '{obj.ref}' (from source '{obj.source.slug}')", obj))
        loaded_reviews = {review.pk for review in self.reviews.values() if review is not None}
        for review in (
            Review.objects.filter(sources__in=sources).exclude(pk__in=loaded_reviews).distinct().order_by("slug")
        ):
            stale.append((f"review '{review.slug}'", review))
        loaded_collections = {c.pk for c in self.collections.values() if c is not None}
        for collection in (
            Collection.objects.filter(source__in=sources).exclude(pk__in=loaded_collections).order_by("slug")
        ):
            stale.append((f"collection '{collection.slug}'", collection))
        names = {i.data["name"].lower() for i in self.f.aliases}
        for alias in ThemeAlias.objects.filter(source__in=sources).order_by("name"):
            if alias.name.lower() not in names:
                stale.append((f"theme alias '{alias.name}'", alias))
        return stale


def _describe_validation_error(error: ValidationError) -> str:
    if hasattr(error, "message_dict"):
        return "; ".join(f"{name}: {' '.join(messages)}" for name, messages in error.message_dict.items())
    return " ".join(error.messages)


def load_knowledge_base(
    *,
    fixtures_dir: Path | str = DEFAULT_FIXTURES_DIR,
    dry_run: bool = False,
    prune: bool = False,
    overwrite_edits: bool = False,
) -> LoadReport:
    """Validate the fixtures, then load them in one transaction.

    Raises ``FixtureError`` (and changes nothing) on any fault. With
    ``dry_run`` everything is written and then rolled back, so the report says
    what a real load would do. Rows editors changed or deleted are left as
    they are unless ``overwrite_edits``.
    """
    fixtures = read_fixtures(fixtures_dir)
    report = LoadReport()
    try:
        with transaction.atomic():
            writer = _Writer(fixtures, report, overwrite_edits=overwrite_edits)
            writer.write()
            for description, obj in writer.stale_rows():
                report.stale.append(description)
                if prune:
                    obj.delete()
                    report.pruned[type(obj)] += 1
            if dry_run:
                raise _RollBack
    except _RollBack:
        pass
    return report
