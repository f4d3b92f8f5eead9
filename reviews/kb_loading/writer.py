"""Writing validated fixtures to the database, model by model in loading order.

Each row is upserted by its natural key with an ordinary ``save()`` (search
indexing and history listen to its signals) after ``full_clean()``, and only
when something differs, so a second load changes nothing. A row an editor
changed is left as they left it, one they deleted is not created again, and
one whose slug they changed (or a theme they merged) is found under its new
slug; ``overwrite_edits`` puts the fixtures' version back instead. The caller
runs the writer inside one transaction.
"""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models

from ..agencies import agencies_for
from ..models import (
    SLUGGED_MODELS,
    Action,
    Agency,
    CaseFact,
    Collection,
    CoursePackItem,
    GuideClaim,
    LearningPoint,
    MovedEntry,
    NationalTheme,
    OldSlug,
    Partnership,
    PublicationStatus,
    Recommendation,
    Resource,
    Review,
    Section,
    Source,
    Theme,
    ThemeAlias,
    ThemeFramework,
    ThemeGuide,
    ThemeNationalLink,
)
from ..services.guides import guide_citations_move
from ..services.history import attribute_change
from ..services.merging import theme_merge
from .errors import FixtureError
from .reader import Fixtures, Item
from .report import LABELS, LoadReport
from .schema import kind_of_ref, parse_partial_date

# simple-history's change reason is a CharField(max_length=100).
REASON_LENGTH = 100
# The models an entry may move between (``replaces``), by ``MovedEntry.Kind``.
MOVABLE: dict[str, type[models.Model]] = {
    MovedEntry.Kind.CASE_FACT: CaseFact,
    MovedEntry.Kind.LEARNING_POINT: LearningPoint,
    MovedEntry.Kind.RECOMMENDATION: Recommendation,
    MovedEntry.Kind.ACTION: Action,
    MovedEntry.Kind.RESOURCE: Resource,
}
# Fixture item kinds, as the reader names them, and their models.
ITEM_MODELS: dict[str, type[models.Model]] = {
    "case fact": CaseFact,
    "learning point": LearningPoint,
    "recommendation": Recommendation,
    "action": Action,
    "resource": Resource,
}
# A course pack step that showed a moved entry shows what it became, where a step can hold that.
STEP_KINDS: dict[type[models.Model], str] = {
    LearningPoint: CoursePackItem.Kind.LEARNING_POINT,
    Recommendation: CoursePackItem.Kind.RECOMMENDATION,
    Action: CoursePackItem.Kind.ACTION,
}


def _latest_history(model, **lookup):
    history = getattr(model, "history", None)
    if history is None:
        return None
    return history.filter(**lookup).order_by("-history_date", "-history_id").first()


def _by_whom(record) -> str:
    user = record.history_user
    who = (user.get_full_name() or user.get_username()) if user is not None else "an editor"
    return f"{who}, {record.history_date:%d %B %Y %H:%M}"


def _describe_validation_error(error: ValidationError) -> str:
    if hasattr(error, "message_dict"):
        return "; ".join(f"{name}: {' '.join(messages)}" for name, messages in error.message_dict.items())
    return " ".join(error.messages)


class FixtureWriter:
    def __init__(self, fixtures: Fixtures, report: LoadReport, *, overwrite_edits: bool = False):
        self.f = fixtures
        self.report = report
        self.overwrite_edits = overwrite_edits
        self.partnerships: dict[str, Partnership | None] = {}
        self.agencies: dict[str, Agency | None] = {}
        self.sources: dict[str, Source | None] = {}
        self.themes: dict[str, Theme | None] = {}
        self.resources: dict[str, Resource | None] = {}
        self.collections: dict[str, Collection | None] = {}
        self.reviews: dict[str, Review | None] = {}
        self.sections: dict[str, Section | None] = {}
        self.learning_points: dict[str, LearningPoint | None] = {}
        self.recommendations: dict[str, Recommendation | None] = {}
        self.national_themes: dict[tuple[str, str], NationalTheme | None] = {}
        self.created_pks: dict[type[models.Model], set[int]] = {model: set() for model in LABELS}
        self.updated_pks: dict[type[models.Model], set[int]] = {model: set() for model in LABELS}
        # Rows the load must not change: edited by a person, or reached through an old slug.
        self.hands_off: set[tuple[type[models.Model], int]] = set()
        self.briefing_titles = {item.data["slug"]: item.data["title"] for item in fixtures.sources}

    def load_reason(self, item: Item) -> str:
        """What the edit history says of a row a load writes (no person is recorded):
        the briefing it comes from, else the fixture file."""
        slug = item.data.get("slug") if item.kind == "source" else item.source_slug
        title = self.briefing_titles.get(slug) if slug else None
        if title:
            room = REASON_LENGTH - len("Loaded from the briefing “”")
            return f"Loaded from the briefing “{title if len(title) <= room else title[: room - 1] + '…'}”"
        return f"Loaded from the knowledge base's fixtures ({item.file})"

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

    # -- upserting one row ----------------------------------------------------

    def upsert(self, model, lookup: dict[str, Any], values: dict[str, Any], item: Item, m2m: dict | None = None):
        """Create or update one row by natural key; save only if something differs.

        Returns ``None`` when an editor deleted the row: it is not created again.
        """
        obj = self._find(model, lookup, item)
        m2m_wanted = {name: (targets, {target.pk for target in targets}) for name, targets in (m2m or {}).items()}
        if obj is None:
            return self._create(model, lookup, values, item, m2m_wanted)
        if not self.may_change(model, obj):
            self.report.unchanged[model] += 1
            return obj
        return self._update(model, obj, values, item, m2m_wanted)

    def _create(self, model, lookup: dict[str, Any], values: dict[str, Any], item: Item, m2m_wanted: dict):
        deleted = self._deleted_by_a_person(model, lookup)
        if deleted is not None:
            self.report.kept_deleted.append(f"{item.where} (deleted by {_by_whom(deleted)})")
            return None
        obj = attribute_change(model(**lookup), reason=self.load_reason(item))
        self._save(obj, values, list(values), item)
        self._set_m2m(obj, m2m_wanted)
        self.report.created[model] += 1
        self.created_pks[model].add(obj.pk)
        return obj

    def _update(self, model, obj, values: dict[str, Any], item: Item, m2m_wanted: dict):
        changed = [name for name, value in values.items() if getattr(obj, name) != value]
        m2m_differs = any(
            set(getattr(obj, name).values_list("pk", flat=True)) != wanted
            for name, (_targets, wanted) in m2m_wanted.items()
        )
        if changed or m2m_differs:
            edited = self._edited_by_a_person(obj)
            if edited is not None:
                self.hands_off.add((model, obj.pk))
                self.report.kept_edits.append(f"{item.where} (last changed by {_by_whom(edited)})")
                self.report.unchanged[model] += 1
                return obj
        attribute_change(obj, reason=self.load_reason(item))
        self._save(obj, values, changed, item)
        m2m_changed = self._set_m2m(obj, m2m_wanted)
        if changed or m2m_changed:
            self.report.updated[model] += 1
            self.updated_pks[model].add(obj.pk)
        else:
            self.report.unchanged[model] += 1
        return obj

    @staticmethod
    def _save(obj, values: dict[str, Any], changed: list[str], item: Item) -> None:
        """Set the ``changed`` fields and save, if there are any; a model's own
        validation error names the fixture item."""
        for name in changed:
            setattr(obj, name, values[name])
        if changed:
            try:
                obj.full_clean()
            except ValidationError as error:
                raise FixtureError([f"{item.where}: {_describe_validation_error(error)}"]) from error
            obj.save()

    @staticmethod
    def _set_m2m(obj, m2m_wanted: dict) -> bool:
        """Set each many-to-many relation that differs; whether any did."""
        m2m_changed = False
        for name, (targets, wanted) in m2m_wanted.items():
            manager = getattr(obj, name)
            if set(manager.values_list("pk", flat=True)) != wanted:
                manager.set(targets)
                m2m_changed = True
        return m2m_changed

    def mark_updated(self, model, obj) -> None:
        """A change made after ``upsert`` (tags, related themes, repeats) to a row it counted as unchanged."""
        if obj.pk in self.created_pks[model] or obj.pk in self.updated_pks[model]:
            return
        self.report.unchanged[model] -= 1
        self.report.updated[model] += 1
        self.updated_pks[model].add(obj.pk)

    def _skip(self, item: Item, why: str) -> None:
        self.report.kept_deleted.append(f"{item.where} (not loaded: {why})")

    # -- writing, one method per model in loading order -------------------------

    def write(self) -> None:
        self.write_partnerships()
        self.write_agencies()
        self.write_sources()
        self.write_themes()
        self.write_related_themes()
        self.write_theme_aliases()
        self.write_national_themes()
        self.write_national_links()
        self.write_collections()
        for item in self.f.reviews:
            self.write_review(item)
        self.write_sections()
        self.write_resources()
        self.write_case_facts()
        for item in self.f.learning_points:
            if self._parents_exist(item):
                self.write_learning_point(item)
        self.write_recommendations()
        self.write_actions()
        # Repeats point across files, so they are set once every learning point exists.
        for item in self.f.learning_points:
            if item.data.get("repeats"):
                self.write_repeats(item)
        # Once every entry and resource exists: what replaced an old entry takes over its links.
        self.write_moves()
        # Last: a guide's claims cite entries of every file.
        self.write_theme_guides()

    def write_partnerships(self) -> None:
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

    def write_agencies(self) -> None:
        for position, item in enumerate(self.f.agencies, start=1):
            d = item.data
            self.agencies[d["slug"]] = self.upsert(
                Agency,
                {"slug": d["slug"]},
                {"name": d["name"], "description": d["description"], "position": position},
                item,
            )

    def write_sources(self) -> None:
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
                    "original_url": d.get("original_url", ""),
                    "original_url_origin": d.get("original_url_origin", ""),
                    "status": PublicationStatus.PUBLISHED,
                },
                item,
            )

    def write_themes(self) -> None:
        for item in self.f.themes:
            d = item.data
            self.adopt_former_slug(item)
            theme = self.upsert(Theme, {"slug": d["slug"]}, {"name": d["name"], "summary": d["summary"]}, item)
            self.themes[d["slug"]] = theme
            if theme is not None:
                self.absorb_former_slugs(item, theme)

    def adopt_former_slug(self, item: Item) -> None:
        """A theme the fixtures renamed keeps its row, and so its number (``/t/<pk>/``) and
        history: the theme under its first former slug found takes the new slug. Saved as an
        editor's rename is, so its old address is recorded (``OldSlug``) and answers 301."""
        slug = item.data["slug"]
        if Theme.objects.filter(slug=slug).exists():
            return
        for former in item.data.get("former_slugs", []):
            theme = Theme.objects.filter(slug=former).first()
            if theme is not None:
                theme.slug = slug
                theme.full_clean()
                theme.save()
                self.report.fixture_moves.append(f"{item.where}: theme '{former}' renamed '{slug}'")
                return

    def absorb_former_slugs(self, item: Item, theme: Theme) -> None:
        """Every former slug of ``theme`` leads to it: another theme still under one is merged
        into it (its entries, trainers' questions and course pack steps move, its number leads
        here: ``services.merging.theme_merge``), and each old address answers 301."""
        for former in item.data.get("former_slugs", []):
            other = Theme.objects.filter(slug=former).exclude(pk=theme.pk).first()
            if other is not None:
                theme_merge(themes=[other], into=theme)
                self.report.fixture_moves.append(f"{item.where}: theme '{former}' merged into '{theme.slug}'")
            record = OldSlug.objects.for_model(Theme).filter(slug=former).first()
            if record is None:
                OldSlug.remember(obj=theme, slug=former)
            elif record.object_id != theme.pk:
                if Theme.objects.filter(pk=record.object_id).exists():
                    # An editor gave this address to another theme: theirs stands.
                    self.report.kept_edits.append(
                        f"{item.where}: former slug '{former}' (an editor pointed it at another theme)"
                    )
                else:
                    OldSlug.remember(obj=theme, slug=former)

    def write_related_themes(self) -> None:
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

    def write_theme_aliases(self) -> None:
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

    def write_national_themes(self) -> None:
        """Each framework, then its themes in the order listed (their ``position``)."""
        frameworks: dict[str, ThemeFramework | None] = {}
        for position, item in enumerate(self.f.frameworks, start=1):
            d = item.data
            frameworks[d["slug"]] = self.upsert(
                ThemeFramework,
                {"slug": d["slug"]},
                {
                    "name": d["name"],
                    "publisher": d["publisher"],
                    "url": d.get("url", ""),
                    "description": d.get("description", ""),
                    "position": position,
                },
                item,
            )
        for item in self.f.national_themes:
            d = item.data
            framework = frameworks.get(item.framework_slug)
            if framework is None:
                self._skip(item, f"its framework '{item.framework_slug}' was deleted by an editor")
                continue
            self.national_themes[(item.framework_slug, d["slug"])] = self.upsert(
                NationalTheme,
                {"framework_id": framework.pk, "slug": d["slug"]},
                {
                    "name": d["name"],
                    "report_title": d["report_title"],
                    "report_period": d.get("report_period", ""),
                    "report_url": d.get("report_url", ""),
                    "description": d.get("description", ""),
                    "position": item.position,
                },
                item,
            )

    def write_national_links(self) -> None:
        """Which local theme falls under which national theme, and why."""
        for item in self.f.national_links:
            d = item.data
            theme = self.themes.get(d["theme"])
            national = self.national_themes.get((d["framework"], d["national_theme"]))
            if theme is None or national is None:
                self._skip(item, "its theme or national theme was deleted by an editor")
                continue
            self.upsert(
                ThemeNationalLink,
                {"theme_id": theme.pk, "national_theme_id": national.pk},
                {"justification": d["justification"]},
                item,
            )

    def write_theme_guides(self) -> None:
        """Each theme's guide (published, as the fixtures are the reviewed record), then its claims
        in order, each with the entries it cites. An entry an editor deleted is left out of a claim's
        citations; a claim none of whose entries is left is not loaded (a claim rests on its entries)."""
        guides: dict[str, ThemeGuide | None] = {}
        for item in self.f.guides:
            theme = self.themes.get(item.data["theme"])
            if theme is None:
                self._skip(item, f"its theme '{item.data['theme']}' was deleted by an editor")
                guides[item.data["theme"]] = None
                continue
            guides[item.data["theme"]] = self.upsert(
                ThemeGuide, {"theme_id": theme.pk}, {"status": PublicationStatus.PUBLISHED}, item
            )
        refs = {ref for item in self.f.guide_claims for ref in item.data["cites"]}
        entries = {
            field: model.objects.in_bulk(refs, field_name="ref")
            for field, model in (
                ("learning_points", LearningPoint),
                ("recommendations", Recommendation),
                ("actions", Action),
            )
        }
        for item in self.f.guide_claims:
            guide = guides.get(item.guide_theme)
            if guide is None:
                self._skip(item, "its theme or its guide was deleted by an editor")
                continue
            cited = {
                field: [found[ref] for ref in item.data["cites"] if ref in found] for field, found in entries.items()
            }
            if not any(cited.values()):
                self._skip(item, "every entry it cites was deleted by an editor")
                continue
            self.upsert(
                GuideClaim,
                {"ref": item.data["ref"]},
                {"guide_id": guide.pk, "kind": item.data["kind"], "text": item.data["text"], "position": item.position},
                item,
                m2m=cited,
            )

    def write_sections(self) -> None:
        # Listed in the briefing's order, so a table comes before its rows and a row before its cells.
        for item in self.f.sections:
            d = item.data
            if not self._parents_exist(item):
                self.sections[d["ref"]] = None
                continue
            self.sections[d["ref"]] = self.upsert(
                Section,
                {"ref": d["ref"]},
                {
                    "source_id": self.sources[item.source_slug].pk,
                    "review_id": self._pk(self.reviews, item.review_slug),
                    "parent_id": self._pk(self.sections, d.get("parent")),
                    "heading": d["heading"],
                    "role": d["role"],
                    "layout": d.get("layout", Section.Layout.TEXT),
                    "position": item.position,
                },
                item,
            )

    def write_resources(self) -> None:
        for item in self.f.resources:
            d = item.data
            if self.sources.get(item.source_slug) is None:
                self._skip(item, "its source was deleted by an editor")
                continue
            changed_on, changed_precision = parse_partial_date(d.get("changed_on"))
            self.resources[d["ref"]] = self.upsert(
                Resource,
                {"ref": d["ref"]},
                {
                    "name": d["name"],
                    "kind": d["kind"],
                    "source_id": self.sources[item.source_slug].pk,
                    "section_id": self._pk(self.sections, d.get("section")),
                    "url": d.get("url", ""),
                    "details_as_stated": d.get("details_as_stated", ""),
                    "note": d.get("note", ""),
                    "passage": d.get("passage", ""),
                    "kind_note": d.get("kind_note", ""),
                    "changed_to": d.get("changed_to", ""),
                    "changed_to_url": d.get("changed_to_url", ""),
                    "changed_on": changed_on,
                    "changed_precision": changed_precision,
                    "change_note": d.get("change_note", ""),
                    "position": item.position,
                },
                item,
            )

    def write_collections(self) -> None:
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

    def write_review(self, item: Item) -> None:
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
        if review is not None and self.may_change(Review, review):
            self.write_review_tags(item, review)

    def write_review_tags(self, item: Item, review: Review) -> None:
        wanted_tags = sorted(item.data.get("tags", []))
        if sorted(review.tags.names()) != wanted_tags:
            edited = self._edited_by_a_person(review)
            if edited is not None:
                self.report.kept_edits.append(f"{item.where}: its tags (last changed by {_by_whom(edited)})")
                return
            review.tags.set(wanted_tags)
            self.mark_updated(Review, review)

    def write_case_facts(self) -> None:
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
                    **self._placing(item),
                    "text": d["text"],
                },
                item,
                m2m={"themes": self._themes(d)},
            )

    def write_learning_point(self, item: Item) -> None:
        d = item.data
        self.learning_points[d["ref"]] = self.upsert(
            LearningPoint,
            {"ref": d["ref"]},
            {
                "review_id": self._pk(self.reviews, item.review_slug),
                "source_id": self.sources[item.source_slug].pk,
                "kind": d.get("kind", LearningPoint.Kind.LEARNING),
                **self._placing(item),
                "text": d["text"],
            },
            item,
            m2m={"themes": self._themes(d), "resources": self._resources(d)},
        )

    def write_recommendations(self) -> None:
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
                    **self._placing(item),
                    "text": d["text"],
                    "unanswered_parts": "\n".join(d.get("unanswered_parts", [])),
                },
                item,
                m2m={
                    "themes": self._themes(d),
                    "resources": self._resources(d),
                    "agencies": self._agencies(d, "addressed_to"),
                },
            )

    def write_actions(self) -> None:
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
                    **self._placing(item),
                    "text": d["text"],
                    "evidence_of_impact": d.get("evidence_of_impact", ""),
                },
                item,
                m2m={
                    "themes": self._themes(d),
                    "resources": self._resources(d),
                    "agencies": self._agencies(d, "owner"),
                },
            )

    def write_repeats(self, item: Item) -> None:
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

    def write_moves(self) -> None:
        """Each item that ``replaces`` an old entry (recorded under another kind, or split):
        record the move (``MovedEntry``: the old ref and number lead to the item), let moves
        and course pack steps that led to the old entry lead to the item, and delete the old
        row, unless an editor changed it since (then it stays, and is listed)."""
        for item in self.f.resources + self.f.case_facts + self.f.learning_points + self.f.recommendations:
            if item.data.get("replaces"):
                self.write_move(item)
        for item in self.f.actions:
            if item.data.get("replaces"):
                self.write_move(item)

    def write_move(self, item: Item) -> None:
        old_ref = item.data["replaces"]
        new = ITEM_MODELS[item.kind].objects.filter(ref=item.data["ref"]).first()
        if new is None:
            return  # an editor deleted it: reported already
        old_kind, old = self._old_entry(old_ref)
        old_pk = old.pk if old is not None else self._old_pk_from_history(old_kind, old_ref)
        content_type = ContentType.objects.get_for_model(type(new))
        record = MovedEntry.objects.filter(old_ref=old_ref).first()
        wanted = {
            "old_kind": old_kind,
            "old_pk": old_pk if old_pk is not None else (record.old_pk if record else None),
            "content_type": content_type,
            "object_id": new.pk,
        }
        if record is None or any(getattr(record, name) != value for name, value in wanted.items()):
            MovedEntry.objects.update_or_create(old_ref=old_ref, defaults=wanted)
            self.report.fixture_moves.append(f"{item.where}: replaces '{old_ref}'; its links lead here")
        if old is None:
            return
        MovedEntry.objects.pointing_at(old).update(content_type=content_type, object_id=new.pk)
        self._follow_in_course_packs(old, new, item)
        self._follow_in_guides(old, new, item)
        edited = self._edited_by_a_person(old)
        if edited is not None:
            self.report.kept_edits.append(
                f"{item.where}: the entry it replaces, '{old_ref}', is kept (last changed by {_by_whom(edited)})"
            )
            return
        old.delete()
        self.report.fixture_moves.append(f"{item.where}: '{old_ref}' deleted, replaced by '{new.ref}'")

    @staticmethod
    def _old_entry(old_ref: str) -> tuple[str, models.Model | None]:
        """The kind of entry ``old_ref`` was, and its row if this database still has it."""
        for kind, model in MOVABLE.items():
            row = model.objects.filter(ref=old_ref).first()
            if row is not None:
                return kind, row
        for kind, model in MOVABLE.items():
            if _latest_history(model, ref=old_ref) is not None:
                return kind, None
        return kind_of_ref(old_ref), None  # never held here: its kind by the refs' convention

    @staticmethod
    def _old_pk_from_history(old_kind: str, old_ref: str) -> int | None:
        record = _latest_history(MOVABLE[old_kind], ref=old_ref)
        return record.id if record is not None else None

    def _follow_in_course_packs(self, old: models.Model, new: models.Model, item: Item) -> None:
        """A trainer's course pack step that showed the old entry shows the new one, if a step can hold it."""
        old_field = STEP_KINDS.get(type(old))
        if old_field is None:
            return
        steps = CoursePackItem.objects.filter(**{old_field: old})
        new_kind = STEP_KINDS.get(type(new))
        for step in steps:
            if new_kind is None:
                self.report.fixture_moves.append(
                    f"{item.where}: course pack '{step.pack.slug}' step {step.position} showed '{old.ref}', "
                    f"which became a {LABELS.get(type(new), ('item',))[0]} a step cannot hold: it now shows the "
                    "item as no longer available"
                )
                continue
            setattr(step, old_field, None)
            step.kind = new_kind
            setattr(step, new_kind, new)
            step.save()
            self.report.fixture_moves.append(
                f"{item.where}: course pack '{step.pack.slug}' step {step.position} now shows '{new.ref}'"
            )

    def _follow_in_guides(self, old: models.Model, new: models.Model, item: Item) -> None:
        """A guide's claim that cited the old entry cites the new one (``services.guides``)."""
        moved = guide_citations_move(old=old, new=new)
        if moved:
            self.report.fixture_moves.append(
                f"{item.where}: {moved} guide sentence{'s' if moved != 1 else ''} citing '{old.ref}' now cite "
                f"'{new.ref}'"
            )

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

    def _placing(self, item: Item) -> dict[str, Any]:
        """An entry's section, its place in the briefing, and the note on its kind."""
        return {
            "section_id": self._pk(self.sections, item.data["section"]),
            "position": item.position,
            "kind_note": item.data.get("kind_note", ""),
        }

    def _themes(self, data: dict) -> list[Theme]:
        return [self.themes[slug] for slug in data.get("themes", []) if self.themes.get(slug) is not None]

    def _agencies(self, data: dict, words: str) -> list[Agency]:
        """The entry's ``agencies`` as the fixture gives them, else the reading of its briefing's words."""
        slugs = data["agencies"] if "agencies" in data else agencies_for(data.get(words, ""))
        return [self.agencies[slug] for slug in slugs if self.agencies.get(slug) is not None]

    def _resources(self, data: dict) -> list[Resource]:
        return [self.resources[ref] for ref in data.get("resources", []) if self.resources.get(ref) is not None]

    # -- rows no longer in the fixtures ---------------------------------------

    def stale_rows(self) -> list[tuple[str, models.Model]]:
        """Rows from a loaded source that the fixtures no longer have, described for the report."""
        sources = [source for source in self.sources.values() if source is not None]
        return [
            *self._stale_entries(sources),
            *self._stale_reviews_and_collections(sources),
            *self._stale_aliases(sources),
            *self._stale_guide_claims(),
        ]

    def _stale_entries(self, sources: list[Source]) -> list[tuple[str, models.Model]]:
        refs = {
            CaseFact: {i.data["ref"] for i in self.f.case_facts},
            LearningPoint: {i.data["ref"] for i in self.f.learning_points},
            Recommendation: {i.data["ref"] for i in self.f.recommendations},
            Action: {i.data["ref"] for i in self.f.actions},
            Resource: {i.data["ref"] for i in self.f.resources},
        }
        stale: list[tuple[str, models.Model]] = []
        for model in (Action, Recommendation, LearningPoint, CaseFact, Resource):
            for obj in model.objects.filter(source__in=sources).exclude(ref__in=refs[model]).order_by("ref"):
                stale.append((f"{LABELS[model][0]} '{obj.ref}' (from source '{obj.source.slug}')", obj))
        # Last, and a table's cells before its rows before the table: deleting one deletes what is in it.
        sections = Section.objects.filter(source__in=sources).exclude(ref__in={i.data["ref"] for i in self.f.sections})
        for obj in sections.select_related("source").order_by("-position", "-pk"):
            stale.append((f"section '{obj.ref}' (from source '{obj.source.slug}')", obj))
        return stale

    def _stale_reviews_and_collections(self, sources: list[Source]) -> list[tuple[str, models.Model]]:
        stale: list[tuple[str, models.Model]] = []
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
        return stale

    def _stale_guide_claims(self) -> list[tuple[str, models.Model]]:
        """Claims of a guide the fixtures give that the fixtures no longer list."""
        themes = [item.data["theme"] for item in self.f.guides]
        refs = {item.data["ref"] for item in self.f.guide_claims}
        claims = GuideClaim.objects.filter(guide__theme__slug__in=themes).exclude(ref__in=refs)
        return [
            (f"guide sentence or point '{claim.ref}' (of theme '{claim.guide.theme.slug}')", claim)
            for claim in claims.select_related("guide__theme").order_by("ref")
        ]

    def _stale_aliases(self, sources: list[Source]) -> list[tuple[str, models.Model]]:
        names = {i.data["name"].lower() for i in self.f.aliases}
        return [
            (f"theme alias '{alias.name}'", alias)
            for alias in ThemeAlias.objects.filter(source__in=sources).order_by("name")
            if alias.name.lower() not in names
        ]
