"""A review's entries, read for its page in a few light queries.

The review page shows every entry of one review with its themes, resources,
section and briefing. Joined to each entry's row (``select_related``) and
fetched a kind and a relation at a time (``prefetch_related``), that was about
twenty queries of some eighty columns each, and compiling their SQL was a
third of the page's time at national scale (docs/BENCHMARKS.md, issue 14).
Here each kind of entry is read with its own columns only; the review,
briefings and sections the page has loaded anyway are attached to it
(``attach_loaded``); every entry's themes and resources are read in one query
for all kinds (``attach_themes_and_resources``), and the actions once for
the recommendations they answer and the others (``attach_answers``). What
each entry then answers (``entry.themes.all()``, ``recommendation.actions.all()``,
``point.visible_repeat_of``…) is what the shared entry templates read, as
``prefetch_related`` would have left it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Exists, OuterRef, Q, QuerySet, prefetch_related_objects

from ..models import (
    Action,
    ActionUpdate,
    CaseFact,
    LearningPoint,
    Recommendation,
    Resource,
    Review,
    Section,
    Source,
    Theme,
)
from .review_sections import unshown


@dataclass
class ReviewEntries:
    """A review's entries in the briefing's order, each with what its display needs."""

    points: list[LearningPoint] = field(default_factory=list)
    recommendations: list[Recommendation] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)  # answering a recommendation or not
    case_facts: list[CaseFact] = field(default_factory=list)
    theme_ids: set[int] = field(default_factory=set)  # the themes of all of them: the themes "in" the review

    @property
    def answers(self) -> list[Action]:
        """The actions answering a recommendation, recommendation by recommendation."""
        return [action for recommendation in self.recommendations for action in recommendation.actions.all()]

    @property
    def other_actions(self) -> list[Action]:
        """The actions answering no recommendation."""
        return [action for action in self.actions if action.recommendation_id is None]

    @property
    def all(self) -> list:
        return [*self.points, *self.recommendations, *self.actions, *self.case_facts]


def review_entries(user, review: Review) -> ReviewEntries:
    """Every entry of ``review`` (a review the user may see, so all its entries are: ``ReviewItemQuerySet``)
    with its themes, resources, the actions answering it and the repeats of its paragraph the user may
    see: 4 queries, and one each for the entries' themes and resources, the resources themselves, the
    actions' status reports and the repeats, when there are any."""
    entries = ReviewEntries(
        points=list(LearningPoint.objects.filter(review=review).order_by("position", "pk")),
        recommendations=list(Recommendation.objects.filter(review=review).order_by("position", "pk")),
        actions=list(with_updates_known(Action.objects.filter(review=review)).order_by("position", "pk")),
        case_facts=list(CaseFact.objects.filter(review=review).order_by("position", "pk")),
    )
    attach_updates(entries.actions)
    entries.theme_ids = attach_themes_and_resources(entries.all)
    attach_answers(entries.recommendations, entries.actions)
    attach_repeats(user, entries.points)
    return entries


def attach_loaded(
    entries: list, *, reviews: dict[int, Review], sources: list[Source] = (), sections: list[Section] = ()
) -> None:
    """Give each entry its review (from ``reviews``, by id; none for learning tied to no review), briefing
    and section from those the page has loaded, as ``select_related`` would. Briefings and sections the
    page has not loaded (an entry from a briefing the user may not see, or in a section ``sections_for``
    does not hold; or all of them, when none is given) are read in one more query each for all."""
    known_sources = {source.pk: source for source in sources}
    known_sections = {section.pk: section for section in sections}
    missing_sources = {entry.source_id for entry in entries} - known_sources.keys()
    if missing_sources:
        # With their partnership: an entry's citation names its briefing's publisher.
        known_sources |= Source.objects.select_related("partnership").defer(*unshown()).in_bulk(missing_sources)
    missing_sections = {entry.section_id for entry in entries if entry.section_id} - known_sections.keys()
    if missing_sections:
        known_sections |= Section.objects.select_related("parent").in_bulk(missing_sections)
    for entry in entries:
        fields = type(entry)._meta
        fields.get_field("review").set_cached_value(entry, reviews[entry.review_id] if entry.review_id else None)
        fields.get_field("source").set_cached_value(entry, known_sources[entry.source_id])
        if entry.section_id:
            fields.get_field("section").set_cached_value(entry, known_sections[entry.section_id])


def with_updates_known(actions: QuerySet[Action]) -> QuerySet[Action]:
    """The actions, each with ``has_updates``: whether the tracker holds a status report on it."""
    return actions.annotate(has_updates=Exists(ActionUpdate.objects.filter(action=OuterRef("pk"))))


def attach_updates(actions: list[Action]) -> None:
    """Give each action its status reports (``action.updates.all()``), as ``prefetch_related`` would:
    one query for the actions that have any (``with_updates_known``), none when none has."""
    reported = [action for action in actions if action.has_updates]
    for action in actions:
        if not action.has_updates:
            as_prefetched(action, "updates", ActionUpdate, [])
    if reported:
        prefetch_related_objects(reported, "updates")


def attach_answers(recommendations: list[Recommendation], actions: list[Action]) -> None:
    """Give each recommendation the actions answering it (``recommendation.actions.all()``, in the
    briefing's order) from the review's actions, and each of those its recommendation."""
    by_recommendation: dict[int, list[Action]] = {}
    for action in actions:
        if action.recommendation_id is not None:
            by_recommendation.setdefault(action.recommendation_id, []).append(action)
    recommendation_field = Action._meta.get_field("recommendation")
    for recommendation in recommendations:
        answering = by_recommendation.get(recommendation.pk, [])
        for action in answering:
            recommendation_field.set_cached_value(action, recommendation)
        as_prefetched(recommendation, recommendation_field.remote_field.cache_name, Action, answering)


# What a learning point's repeat shows of the other copy: its words, where it is (anchor, review, briefing).
_COPY_FIELDS = ("ref", "kind", "text", "review", "source", "repeats")
_COPY_FIELDS += ("review__slug", "review__title", "source__slug", "source__title")


def attach_repeats(user, points: list[LearningPoint], *, copied: set[int] | None = None) -> None:
    """Give each learning point the paragraph it repeats (``visible_repeat_of``) and those repeating
    it (``visible_repeats``, oldest record first), among the learning points the user may see: one query,
    none when ``copied`` (the ids of the points any learning point repeats, when the caller knows them)
    is empty and no point repeats another.

    On the review page every paragraph is shown in full: ``repeat_on_theme`` (a theme page's
    reading, shortening a repeat on the same theme) is false."""
    for point in points:
        point.visible_repeat_of, point.visible_repeats, point.repeat_on_theme = None, [], False
    repeated = {point.repeats_id for point in points if point.repeats_id}
    if not points or (copied is not None and not copied and not repeated):
        return
    by_id = {point.pk: point for point in points}
    copies = (
        LearningPoint.objects.visible_to(user)
        .filter(Q(pk__in=repeated) | Q(repeats__in=list(by_id)))
        .select_related("review", "source")
        .only(*_COPY_FIELDS)
        .order_by("pk")
    )
    found = {}
    for copy in copies:
        found[copy.pk] = copy
        if copy.repeats_id in by_id:
            by_id[copy.repeats_id].visible_repeats.append(copy)
    for point in points:
        if point.repeats_id:
            point.visible_repeat_of = found.get(point.repeats_id)


# The kinds of entry, in the order of their rows in ``attach_themes_and_resources``'s query.
_KINDS = (LearningPoint, Recommendation, Action, CaseFact)


def attach_themes_and_resources(entries: list) -> set[int]:
    """Give every entry its themes (``entry.themes.all()``, by name) and resources (``.resources.all()``,
    in their order), as ``prefetch_related`` would: one query for the links of every kind, and one for
    the resources (with their briefing) when any entry names one. Return the ids of all their themes.

    The links are read with SQL written out: a ``UNION`` of each kind's two link tables, which costs no
    ORM compilation, with the themes' names and addresses joined (``Theme`` rows with ``slug`` and
    ``name`` only, one object a theme, shared by its entries)."""
    by_kind: dict[type, dict[int, object]] = {model: {} for model in _KINDS}
    for entry in entries:
        by_kind[type(entry)][entry.pk] = entry
    themes_of: dict[tuple[int, int], list[Theme]] = {}
    resources_of: dict[tuple[int, int], list[int]] = {}
    themes: dict[int, Theme] = {}
    sql, params = _links_query(by_kind)
    if sql:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        for relation, kind, entry_id, target_id, slug, name in rows:
            if relation == _THEME:
                theme = themes.get(target_id)
                if theme is None:
                    theme = Theme.from_db(connection.alias, ["id", "slug", "name"], (target_id, slug, name))
                    themes[target_id] = theme
                themes_of.setdefault((kind, entry_id), []).append(theme)
            else:
                resources_of.setdefault((kind, entry_id), []).append(target_id)
    resources = {}
    wanted = {resource_id for ids in resources_of.values() for resource_id in ids}
    if wanted:
        resources = Resource.objects.select_related("source").defer(*unshown("source__")).in_bulk(wanted)
    for kind, model in enumerate(_KINDS):
        has_resources = model is not CaseFact
        for entry_id, entry in by_kind[model].items():
            as_prefetched(entry, "themes", Theme, themes_of.get((kind, entry_id), []))
            if has_resources:
                named = [resources[pk] for pk in resources_of.get((kind, entry_id), []) if pk in resources]
                as_prefetched(entry, "resources", Resource, sorted(named, key=lambda item: (item.position, item.pk)))
    return set(themes)


_THEME, _RESOURCE = 0, 1


def _links_query(by_kind: dict[type, dict]) -> tuple[str, list]:
    """SQL for the links of the entries ``by_kind`` to their themes and resources: rows of
    (relation, kind, entry id, theme or resource id, theme slug, theme name), themes by name."""
    quote = connection.ops.quote_name
    theme_table = quote(Theme._meta.db_table)
    parts, params = [], []
    for kind, model in enumerate(_KINDS):
        ids = list(by_kind[model])
        if not ids:
            continue
        marks = ", ".join(["%s"] * len(ids))
        for relation, name in ((_THEME, "themes"), (_RESOURCE, "resources")):
            if model is CaseFact and relation == _RESOURCE:
                continue
            many = model._meta.get_field(name)
            table = quote(many.remote_field.through._meta.db_table)
            entry_column, target_column = quote(many.m2m_column_name()), quote(many.m2m_reverse_name())
            if relation == _THEME:
                parts.append(
                    f"SELECT {relation} AS relation, {kind} AS kind, link.{entry_column} AS entry_id, "
                    f"theme.id AS target_id, theme.slug AS slug, theme.name AS name "
                    f"FROM {table} AS link INNER JOIN {theme_table} AS theme ON theme.id = link.{target_column} "
                    f"WHERE link.{entry_column} IN ({marks})"
                )
            else:
                parts.append(
                    f"SELECT {relation}, {kind}, link.{entry_column}, link.{target_column}, NULL, NULL "
                    f"FROM {table} AS link WHERE link.{entry_column} IN ({marks})"
                )
            params += ids
    if not parts:
        return "", []
    # Themes by name, as every entry lists them (``name`` is unique); resources are put in order afterwards.
    return " UNION ALL ".join(parts) + " ORDER BY relation, name", params


def as_prefetched(instance, name: str, model, objects: list) -> None:
    """Make ``instance.<name>.all()`` answer ``objects`` without a query, as ``prefetch_related`` leaves it.

    The queryset holds its results only: filtering it further finds nothing (rather than every row of
    ``model``), so code that needs more than ``.all()`` must read the relation itself."""
    queryset = QuerySet(model=model)
    queryset.query.set_empty()
    queryset._result_cache, queryset._prefetch_done = list(objects), True
    instance.__dict__.setdefault("_prefetched_objects_cache", {})[name] = queryset
