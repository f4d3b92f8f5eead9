"""Reading the fixture files into ``Item`` objects, checking each file's JSON
and each object's keys against the format (``schema.py``).

Faults are collected, not raised, so that one run reports every problem in
every file; each names its file and object.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings

from .schema import RETIRED_KEYS, SCHEMAS, TYPE_CHECKS

DEFAULT_FIXTURES_DIR = Path(settings.BASE_DIR) / "fixtures"


@dataclass
class Item:
    """One fixture object, with where it came from for error messages."""

    kind: str  # schema name
    data: dict[str, Any]
    file: str
    source_slug: str | None = None
    review_slug: str | None = None
    recommendation_ref: str | None = None
    # Its order in the file, until the validator sets its place in the
    # briefing (``layout.BriefingLayout``), which is what is stored.
    position: int = 0
    span: tuple[int, int] | None = None  # where an entry's text was found in its briefing (``layout``)
    label: str | None = None  # how messages name an object with no ref, slug or name of its own
    framework_slug: str | None = None  # a national theme's framework
    guide_theme: str | None = None  # a guide claim's theme

    @property
    def key(self) -> str:
        return self.label or self.data.get("ref") or self.data.get("slug") or self.data.get("name") or "?"

    @property
    def where(self) -> str:
        return f"{self.file}: {self.kind} '{self.key}'"


@dataclass
class Fixtures:
    partnerships: list[Item] = field(default_factory=list)
    agencies: list[Item] = field(default_factory=list)
    themes: list[Item] = field(default_factory=list)
    aliases: list[Item] = field(default_factory=list)
    sources: list[Item] = field(default_factory=list)
    sections: list[Item] = field(default_factory=list)
    resources: list[Item] = field(default_factory=list)
    collections: list[Item] = field(default_factory=list)
    reviews: list[Item] = field(default_factory=list)
    case_facts: list[Item] = field(default_factory=list)
    learning_points: list[Item] = field(default_factory=list)
    recommendations: list[Item] = field(default_factory=list)
    actions: list[Item] = field(default_factory=list)
    frameworks: list[Item] = field(default_factory=list)
    national_themes: list[Item] = field(default_factory=list)
    national_links: list[Item] = field(default_factory=list)
    guides: list[Item] = field(default_factory=list)
    guide_claims: list[Item] = field(default_factory=list)
    briefings: dict[str, str] = field(default_factory=dict)  # source slug -> original text
    excluded: dict[str, list[dict[str, str]]] = field(default_factory=dict)  # source slug -> passages
    briefing_files: dict[str, str] = field(default_factory=dict)  # source slug -> briefing file name


def _no_duplicate_keys(pairs):
    seen = {}
    for key, value in pairs:
        if key in seen:
            raise ValueError(f"the key '{key}' appears twice in one object")
        seen[key] = value
    return seen


class FixtureReader:
    """Reads ``partnerships.json``, ``agencies.json``, ``themes.json``, ``national_themes.json``,
    ``theme_guides.json`` and each ``sources/*.json`` with its briefing; ``problems`` lists what is wrong with them."""

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
            return json.loads(text, object_pairs_hook=_no_duplicate_keys)
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
            if key in RETIRED_KEYS and key not in spec:
                self.problem(f"{where}: '{key}' is no longer used: {RETIRED_KEYS[key]}")
                ok = False
            elif key not in spec:
                allowed = ", ".join(spec)
                self.problem(f"{where}: unknown key '{key}' (allowed: {allowed})")
                ok = False
        for key, (required, kind) in spec.items():
            if key not in data:
                if required:
                    self.problem(f"{where}: missing key '{key}'")
                    ok = False
            elif not TYPE_CHECKS[kind](data[key]):
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
        self.read_agencies()
        self.read_themes()
        self.read_national_themes()
        self.read_theme_guides()
        source_paths = sorted((self.dir / "sources").glob("*.json"))
        if not source_paths:
            self.problem(f"{self.display(self.dir / 'sources')}: no source fixtures (*.json) found")
        for path in source_paths:
            self.read_source_file(path)
        return self.fixtures

    def read_list_file(self, name: str, key: str) -> tuple[str, Any]:
        """A file holding an object with one key, a list: its name as shown, and the list (``None`` if unreadable)."""
        path = self.dir / name
        file = self.display(path)
        data = self.load_json(path)
        if data is None:
            return file, None
        if not isinstance(data, dict) or set(data) != {key}:
            self.problem(f"{file}: expected an object with one key, '{key}'")
            return file, None
        return file, data[key]

    def read_partnerships(self) -> None:
        file, values = self.read_list_file("partnerships.json", "partnerships")
        if values is not None:
            self.fixtures.partnerships = self.items("partnership", values, file, file)

    def read_agencies(self) -> None:
        file, values = self.read_list_file("agencies.json", "agencies")
        if values is not None:
            self.fixtures.agencies = self.items("agency", values, file, file)

    def read_themes(self) -> None:
        file, values = self.read_list_file("themes.json", "themes")
        if values is None:
            return
        self.fixtures.themes = self.items("theme", values, file, file)
        for theme in self.fixtures.themes:
            for alias in self.items("alias", theme.data.get("aliases", []), file, theme.where):
                alias.data = {**alias.data, "theme": theme.data["slug"]}
                alias.kind = "theme alias"
                self.fixtures.aliases.append(alias)

    def read_national_themes(self) -> None:
        """``national_themes.json``: each framework with its themes, then which local theme falls under which."""
        path = self.dir / "national_themes.json"
        file = self.display(path)
        data = self.load_json(path)
        if data is None or not self.check_keys("national themes file", data, file):
            return
        for framework in self.items("framework", data["frameworks"], file, file):
            self.fixtures.frameworks.append(framework)
            for theme in self.items("national theme", framework.data["themes"], file, framework.where):
                theme.framework_slug = framework.data["slug"]
                theme.label = f"{framework.data['slug']}/{theme.data['slug']}"
                self.fixtures.national_themes.append(theme)
        for index, link in enumerate(data["links"], start=1):
            where = f"{file}: national theme link #{index}"
            if self.check_keys("national theme link", link, where):
                label = f"{link['theme']} → {link['framework']}/{link['national_theme']}"
                self.fixtures.national_links.append(
                    Item(kind="national theme link", data=link, file=file, position=index, label=label)
                )

    def read_theme_guides(self) -> None:
        """``theme_guides.json``: each theme's guide, its claims in the order shown."""
        path = self.dir / "theme_guides.json"
        file = self.display(path)
        data = self.load_json(path)
        if data is None or not self.check_keys("theme guides file", data, file):
            return
        for index, guide in enumerate(data["guides"], start=1):
            theme = guide.get("theme") if isinstance(guide, dict) else None
            where = f"{file}: theme guide '{theme}'" if isinstance(theme, str) else f"{file}: theme guide #{index}"
            if not self.check_keys("theme guide", guide, where):
                continue
            item = Item(kind="theme guide", data=guide, file=file, position=index, label=theme)
            self.fixtures.guides.append(item)
            for claim in self.items("guide claim", guide["claims"], file, where, guide_theme=theme):
                self.fixtures.guide_claims.append(claim)

    def read_source_file(self, path: Path) -> None:
        """One source's file: the source and its briefing, its sections,
        excluded passages, resources, collections, reviews with their
        entries, and learning points of its own."""
        file = self.display(path)
        data = self.load_json(path)
        if data is None or not self.check_keys("file", data, file):
            return
        source_items = self.items("source", [data["source"]], file, file)
        if not source_items:
            return
        slug = self.read_source(source_items[0], file)
        self.fixtures.sections += self.items("section", data.get("sections"), file, file, source_slug=slug)
        self.read_excluded_passages(data.get("excluded_passages"), file, slug)
        self.fixtures.resources += self.items("resource", data.get("resources"), file, file, source_slug=slug)
        self.fixtures.collections += self.items("collection", data.get("collections"), file, file, source_slug=slug)
        for review in self.items("review", data.get("reviews"), file, file, source_slug=slug):
            self.read_review(review, file, slug)
        self.fixtures.learning_points += self.items(
            "learning point", data.get("learning_points"), file, file, source_slug=slug
        )

    def read_source(self, source: Item, file: str) -> str:
        """Record the source and read its briefing; the source's slug."""
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
        return slug

    def read_excluded_passages(self, values: Any, file: str, slug: str) -> None:
        passages = self.items("excluded passage", values, file, file)
        self.fixtures.excluded[slug] = [p.data for p in passages]
        for passage in passages:
            passage.source_slug = slug
        self.excluded_items += passages

    def read_review(self, review: Item, file: str, slug: str) -> None:
        """A review and its case facts, learning points, recommendations and actions."""
        self.fixtures.reviews.append(review)
        data = review.data
        context = {"source_slug": slug, "review_slug": data["slug"]}
        self.fixtures.case_facts += self.items("case fact", data.get("case_facts"), file, review.where, **context)
        self.fixtures.learning_points += self.items(
            "learning point", data.get("learning_points"), file, review.where, **context
        )
        for recommendation in self.items("recommendation", data.get("recommendations"), file, review.where, **context):
            self.fixtures.recommendations.append(recommendation)
            self.fixtures.actions += self.items(
                "action",
                recommendation.data.get("actions"),
                file,
                recommendation.where,
                recommendation_ref=recommendation.data["ref"],
                **context,
            )
        self.fixtures.actions += self.items("action", data.get("actions"), file, review.where, **context)
