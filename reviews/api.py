"""The open-data API: what each record holds, how lists are filtered, and CSV.

Plain Django, no framework: each ``Endpoint`` says which published objects it
lists (with the ``select_related``/``prefetch_related`` that keep the query
count fixed), which filters it accepts, how one object becomes a JSON record,
and which columns its CSV has. The views in ``reviews/views/api.py`` only
parse the request and write the response.

Rules:

- **Published only.** Every queryset starts from the models' ``published()``;
  a draft is never listed, counted or found by id.
- **Stable ids.** Records are identified by primary key (the same number the
  permanent links use, e.g. ``/lp/42/``) and listed in id order, so pages do
  not shift as content is added.
- **Bad parameters are a 400**, with a JSON body naming the parameter: never
  a 500 and never a silently ignored filter.
- **Wording as published.** ``text`` fields hold the stored Markdown, word for
  word from the briefing.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import OuterRef, Prefetch, Q, QuerySet
from django.urls import reverse

from .citations import citation_for
from .courses.selectors import PackStep
from .models import Action, LearningPoint, Partnership, Recommendation, Review, Source, Theme
from .models.editorial import find_by_slug
from .selectors.common import SubqueryCount, distinct_learning_about, reviews_about
from .selectors.history import with_last_updated

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 200
COMMON_PARAMETERS = ("page", "page_size", "format")
FORMATS = ("json", "csv")


class ApiError(Exception):
    """A request the API cannot answer; becomes a JSON error response."""

    def __init__(self, message: str, *, status: int = 400, parameter: str | None = None):
        super().__init__(message)
        self.message = message
        self.status = status
        self.parameter = parameter

    def as_dict(self) -> dict[str, Any]:
        error: dict[str, Any] = {"status": self.status, "message": self.message}
        if self.parameter:
            error["parameter"] = self.parameter
        return {"error": error}


Absolute = Callable[[str], str]


# ---------------------------------------------------------------------------
# Parameters
# ---------------------------------------------------------------------------


def single_value(params, name: str) -> str | None:
    """The one value of a query parameter, or None; a repeated parameter is an error."""
    values = params.getlist(name)
    if not values:
        return None
    if len(values) > 1:
        raise ApiError(f"Give '{name}' once.", parameter=name)
    value = values[0].strip()
    if not value:
        raise ApiError(f"'{name}' is empty. Leave it out, or give a value.", parameter=name)
    return value


# Ids are ``BigAutoField`` (``DEFAULT_AUTO_FIELD`` in kb/settings.py): a signed
# 64-bit integer on SQLite and PostgreSQL alike. A larger number cannot be an
# id, and would overflow the database driver (OverflowError on SQLite,
# DataError on PostgreSQL) if it reached a query.
MAX_ID = 2**63 - 1


def parse_bounded_int(value: str, *, minimum: int, maximum: int) -> int | None:
    """``value`` as a whole number from ``minimum`` to ``maximum``, or None.

    ASCII digits only (``int()`` would take "٣", " 3" or "1_000"), and the
    length is checked before converting, so a ten-thousand-digit value costs
    nothing and never reaches Python's limit on converting long strings.
    """
    if not (value.isascii() and value.isdigit()):
        return None
    digits = value.lstrip("0") or "0"
    if len(digits) > len(str(maximum)):
        return None
    number = int(digits)
    return number if minimum <= number <= maximum else None


def bounded_int(value: str, name: str, *, minimum: int = 1, maximum: int = MAX_ID, expected: str = "") -> int:
    """A query parameter's value as a whole number in range, or a 400 naming the parameter."""
    number = parse_bounded_int(value, minimum=minimum, maximum=maximum)
    if number is None:
        expected = expected or f"a whole number from {minimum} to {maximum}"
        raise ApiError(f"'{name}' must be {expected}, not '{value[:40]}'.", parameter=name)
    return number


def int_parameter(params, name: str, *, default: int, maximum: int = MAX_ID) -> int:
    """An optional whole-number query parameter of 1 or more (``page``, ``page_size``)."""
    value = single_value(params, name)
    return default if value is None else bounded_int(value, name, maximum=maximum)


def _theme_named(value: str) -> Theme:
    # An old slug still names the theme, as its old page address redirects.
    theme = find_by_slug(Theme.objects.all(), value)
    if theme is None:
        raise ApiError(
            f"There is no theme '{value[:60]}'. The themes are listed at /api/v1/themes/.", parameter="theme"
        )
    return theme


def _item_theme(queryset: QuerySet, value: str) -> QuerySet:
    return queryset.filter(themes=_theme_named(value))


def _review_theme(queryset: QuerySet, value: str) -> QuerySet:
    return queryset.filter(pk__in=reviews_about(_theme_named(value)).values("pk"))


def _partnership_named(value: str) -> Partnership:
    partnership = find_by_slug(Partnership.objects.all(), value)
    if partnership is None:
        raise ApiError(
            f"There is no partnership '{value[:60]}'. Use the slug given in each record's 'partnership'.",
            parameter="partnership",
        )
    return partnership


def _review_partnership(queryset: QuerySet, value: str) -> QuerySet:
    return queryset.filter(partnership=_partnership_named(value))


def _item_partnership(queryset: QuerySet, value: str) -> QuerySet:
    """Entries of the partnership's reviews, and entries whose wording comes from a briefing
    it published: Child M's review is Oxfordshire's, its briefing Swindon's, and both
    partnerships find its learning."""
    partnership = _partnership_named(value)
    return queryset.filter(Q(review__partnership=partnership) | Q(source__partnership=partnership))


def _year(queryset: QuerySet, value: str, path: str) -> QuerySet:
    year = bounded_int(value, "year", minimum=1000, maximum=9999, expected="a four-digit year, e.g. 2019")
    return queryset.filter(**{path: year})


def _choice(queryset: QuerySet, value: str, name: str, path: str, choices) -> QuerySet:
    allowed = [choice for choice, _label in choices]
    if value not in allowed:
        raise ApiError(f"'{name}' must be one of: {', '.join(allowed)}.", parameter=name)
    return queryset.filter(**{path: value})


def _review_id(queryset: QuerySet, value: str) -> QuerySet:
    return queryset.filter(review_id=bounded_int(value, "review", expected=f"a review's id (1 to {MAX_ID})"))


# ---------------------------------------------------------------------------
# Records
# ---------------------------------------------------------------------------


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def _partnership_record(partnership: Partnership | None, absolute: Absolute) -> dict | None:
    if partnership is None:
        return None
    return {
        "slug": partnership.slug,
        "name": partnership.name,
        "url": absolute(partnership.get_absolute_url()),
    }


def _source_record(source: Source, absolute: Absolute) -> dict:
    """The briefing an entry's wording comes from. Its partnership published the
    briefing, which may not be the review's (Swindon's briefing of Oxfordshire's review)."""
    return {
        "id": source.pk,
        "slug": source.slug,
        "title": source.title,
        "publisher": source.publisher_display,
        "partnership": _partnership_record(source.partnership, absolute),
        "published": source.published_display or None,
        "url": absolute(source.get_absolute_url()),
    }


def _review_ref(review: Review | None, absolute: Absolute) -> dict | None:
    if review is None:
        return None
    return {
        "id": review.pk,
        "slug": review.slug,
        "title": review.title,
        "url": absolute(review.get_absolute_url()),
        "api_url": absolute(reverse("reviews:api-review-detail", kwargs={"pk": review.pk})),
    }


def _themes(item) -> list[dict]:
    return [{"slug": theme.slug, "name": theme.name} for theme in item.themes.all()]


def _item_common(item, absolute: Absolute, api_name: str) -> dict:
    review = item.review if item.review_id else None
    partnership = review.partnership if review is not None else item.source.partnership
    return {
        "id": item.pk,
        "ref": item.ref,
        "heading": item.heading,
        "text": item.text,
        "review": _review_ref(review, absolute),
        "partnership": _partnership_record(partnership, absolute),
        "year": review.year if review is not None else None,
        "themes": _themes(item),
        "source": _source_record(item.source, absolute),
        "url": absolute(item.get_absolute_url()),
        "permalink": absolute(item.get_permalink()),
        "api_url": absolute(reverse(f"reviews:{api_name}", kwargs={"pk": item.pk})),
        "updated_at": _iso(item.updated_at),
    }


def review_record(review: Review, absolute: Absolute) -> dict:
    return {
        "id": review.pk,
        "slug": review.slug,
        "title": review.title,
        "review_type": review.review_type,
        "review_type_label": review.get_review_type_display(),
        "partnership": _partnership_record(review.partnership, absolute),
        "children": review.children,
        "summary": review.summary,
        "summary_is_editorial": review.summary_is_editorial,
        "published": review.published_display or None,
        "published_on": _iso(review.published_on),
        "published_precision": review.published_precision,
        "year": review.year,
        "tags": sorted(tag.name for tag in review.tags.all()),
        "themes": [{"slug": theme.slug, "name": theme.name} for theme in review.api_themes],
        "counts": {
            "learning_points": review.learning_point_count,
            "recommendations": review.recommendation_count,
            "actions": review.action_count,
        },
        "sources": [_source_record(source, absolute) for source in review.sources.all()],
        "url": absolute(review.get_absolute_url()),
        "permalink": absolute(review.get_permalink()),
        "print_url": absolute(reverse("reviews:review-print", kwargs={"slug": review.slug})),
        "api_url": absolute(reverse("reviews:api-review-detail", kwargs={"pk": review.pk})),
        "first_published_at": _iso(review.first_published_at),
        "updated_at": _iso(review.last_updated),
    }


def theme_record(theme: Theme, absolute: Absolute) -> dict:
    return {
        "id": theme.pk,
        "slug": theme.slug,
        "name": theme.name,
        "summary": theme.summary,
        "summary_is_editorial": True,
        "aliases": [alias.name for alias in theme.aliases.all()],
        "related": [related.slug for related in theme.related_themes.all()],
        "counts": {
            "learning_points": theme.learning_point_count,
            "recommendations": theme.recommendation_count,
            "actions": theme.action_count,
            "reviews": theme.review_count,
        },
        "url": absolute(theme.get_absolute_url()),
        "permalink": absolute(theme.get_permalink()),
        "print_url": absolute(reverse("reviews:theme-print", kwargs={"slug": theme.slug})),
        "embed_url": absolute(reverse("reviews:theme-embed", kwargs={"slug": theme.slug})),
        "api_url": absolute(reverse("reviews:api-theme-detail", kwargs={"pk": theme.pk})),
    }


def learning_point_record(point: LearningPoint, absolute: Absolute) -> dict:
    record = _item_common(point, absolute, "api-learning-point-detail")
    record["kind"] = point.kind
    record["kind_label"] = point.get_kind_display()
    record["repeats_id"] = point.repeats_id
    record["embed_url"] = absolute(reverse("reviews:learning-point-embed", kwargs={"pk": point.pk}))
    return record


def recommendation_record(recommendation: Recommendation, absolute: Absolute) -> dict:
    record = _item_common(recommendation, absolute, "api-recommendation-detail")
    record["number"] = recommendation.number
    record["addressed_to"] = recommendation.addressed_to
    record["action_ids"] = [action.pk for action in recommendation.actions.all()]
    return record


def action_record(action: Action, absolute: Absolute) -> dict:
    record = _item_common(action, absolute, "api-action-detail")
    record["owner"] = action.owner
    record["status"] = action.status
    record["status_label"] = action.get_status_display()
    record["target_date_as_stated"] = action.target_date_as_stated
    record["evidence_of_impact"] = action.evidence_of_impact
    record["recommendation_id"] = action.recommendation_id
    return record


# ---------------------------------------------------------------------------
# Querysets
# ---------------------------------------------------------------------------


def _ordered_themes() -> Prefetch:
    return Prefetch("themes", queryset=Theme.objects.order_by("name"))


def _item_queryset(model) -> QuerySet:
    return (
        model.objects.published()
        .select_related("review", "review__partnership", "source", "source__partnership")
        .prefetch_related(_ordered_themes())
        .order_by("pk")
    )


def reviews_queryset() -> QuerySet[Review]:
    return (
        with_last_updated(Review.objects.published())
        .select_related("partnership")
        .prefetch_related(
            "tags", Prefetch("sources", queryset=Source.objects.published().select_related("partnership"))
        )
        .annotate(
            learning_point_count=SubqueryCount(LearningPoint.objects.filter(review=OuterRef("pk"))),
            recommendation_count=SubqueryCount(Recommendation.objects.filter(review=OuterRef("pk"))),
            action_count=SubqueryCount(Action.objects.filter(review=OuterRef("pk"))),
        )
        .order_by("pk")
    )


def themes_queryset() -> QuerySet[Theme]:
    theme = OuterRef("pk")
    return (
        Theme.objects.prefetch_related("aliases", Prefetch("related_themes", queryset=Theme.objects.order_by("slug")))
        .annotate(
            learning_point_count=SubqueryCount(distinct_learning_about(theme)),
            recommendation_count=SubqueryCount(Recommendation.objects.published().filter(themes=theme)),
            action_count=SubqueryCount(Action.objects.published().filter(themes=theme)),
            review_count=SubqueryCount(reviews_about(theme)),
        )
        .order_by("pk")
    )


def attach_review_themes(reviews: list[Review]) -> None:
    """Set ``review.api_themes``: the themes of a review's published entries (three queries)."""
    by_review: dict[int, dict[int, Theme]] = defaultdict(dict)
    ids = [review.pk for review in reviews]
    if ids:
        for model, prefix in (
            (LearningPoint, "learningpoint"),
            (Recommendation, "recommendation"),
            (Action, "action"),
        ):
            rows = model.themes.through.objects.filter(**{f"{prefix}__review__in": ids}).values_list(
                f"{prefix}__review_id", "theme_id", "theme__slug", "theme__name"
            )
            for review_id, theme_id, slug, name in rows:
                by_review[review_id][theme_id] = Theme(pk=theme_id, slug=slug, name=name)
    for review in reviews:
        review.api_themes = sorted(by_review[review.pk].values(), key=lambda theme: theme.name.lower())


# ---------------------------------------------------------------------------
# Endpoints
# ---------------------------------------------------------------------------


Filter = Callable[[QuerySet, str], QuerySet]


@dataclass(frozen=True)
class Endpoint:
    name: str  # the URL segment, e.g. "learning-points"
    label: str
    queryset: Callable[[], QuerySet]
    record: Callable[[Any, Absolute], dict]
    filters: dict[str, Filter]
    csv_columns: tuple[str, ...]
    after_page: Callable[[list], None] | None = None
    filter_help: dict[str, str] = field(default_factory=dict)

    def filtered(self, params) -> QuerySet:
        """The endpoint's published objects, narrowed by the query string's filters."""
        allowed = set(self.filters) | set(COMMON_PARAMETERS)
        unknown = sorted(set(params) - allowed)
        if unknown:
            accepted = ", ".join(sorted(allowed))
            raise ApiError(
                f"Unknown parameter '{unknown[0][:40]}'. This endpoint accepts: {accepted}.", parameter=unknown[0][:40]
            )
        queryset = self.queryset()
        for name, apply in self.filters.items():
            value = single_value(params, name)
            if value is not None:
                queryset = apply(queryset, value)
        return queryset


ITEM_PARTNERSHIP_HELP = "partnership slug: of the entry's review, or of the briefing its wording comes from"

ITEM_CSV = (
    "id",
    "ref",
    "heading",
    "text",
    "review_id",
    "review_title",
    "review_url",
    "partnership_slug",
    "partnership_name",
    "year",
    "themes",
    "source_id",
    "source_title",
    "source_publisher",
    "source_partnership_slug",
    "source_partnership_name",
    "source_published",
    "source_url",
    "url",
    "permalink",
    "updated_at",
)

ENDPOINTS: dict[str, Endpoint] = {
    endpoint.name: endpoint
    for endpoint in (
        Endpoint(
            name="reviews",
            label="Reviews",
            queryset=reviews_queryset,
            record=review_record,
            after_page=attach_review_themes,
            filters={
                "theme": _review_theme,
                "partnership": _review_partnership,
                "year": lambda qs, value: _year(qs, value, "year"),
                "type": lambda qs, value: _choice(qs, value, "type", "review_type", Review.ReviewType.choices),
            },
            filter_help={
                "theme": "theme slug: reviews with a learning point, recommendation or action on it",
                "partnership": "partnership slug",
                "year": "four-digit year (publication, else commissioning)",
                "type": "review type code",
            },
            csv_columns=(
                "id",
                "slug",
                "title",
                "review_type",
                "review_type_label",
                "partnership_slug",
                "partnership_name",
                "children",
                "summary",
                "summary_is_editorial",
                "published",
                "published_on",
                "published_precision",
                "year",
                "tags",
                "themes",
                "counts_learning_points",
                "counts_recommendations",
                "counts_actions",
                "sources",
                "url",
                "permalink",
                "print_url",
                "first_published_at",
                "updated_at",
            ),
        ),
        Endpoint(
            name="themes",
            label="Themes",
            queryset=themes_queryset,
            record=theme_record,
            filters={},
            csv_columns=(
                "id",
                "slug",
                "name",
                "summary",
                "summary_is_editorial",
                "aliases",
                "related",
                "counts_learning_points",
                "counts_recommendations",
                "counts_actions",
                "counts_reviews",
                "url",
                "permalink",
                "print_url",
                "embed_url",
            ),
        ),
        Endpoint(
            name="learning-points",
            label="Learning points",
            queryset=lambda: _item_queryset(LearningPoint),
            record=learning_point_record,
            filters={
                "theme": _item_theme,
                "partnership": _item_partnership,
                "year": lambda qs, value: _year(qs, value, "review__year"),
                "review": _review_id,
                "kind": lambda qs, value: _choice(qs, value, "kind", "kind", LearningPoint.Kind.choices),
            },
            filter_help={
                "theme": "theme slug",
                "partnership": ITEM_PARTNERSHIP_HELP,
                "year": "four-digit year of the review",
                "review": "review id",
                "kind": "learning, good_practice or key_fact",
            },
            csv_columns=(*ITEM_CSV[:3], "kind", *ITEM_CSV[3:], "repeats_id", "embed_url"),
        ),
        Endpoint(
            name="recommendations",
            label="Recommendations",
            queryset=lambda: _item_queryset(Recommendation).prefetch_related(
                Prefetch("actions", queryset=Action.objects.order_by("pk"))
            ),
            record=recommendation_record,
            filters={
                "theme": _item_theme,
                "partnership": _item_partnership,
                "year": lambda qs, value: _year(qs, value, "review__year"),
                "review": _review_id,
            },
            filter_help={
                "theme": "theme slug",
                "partnership": ITEM_PARTNERSHIP_HELP,
                "year": "four-digit year of the review",
                "review": "review id",
            },
            csv_columns=(*ITEM_CSV[:3], "number", "addressed_to", *ITEM_CSV[3:], "action_ids"),
        ),
        Endpoint(
            name="actions",
            label="Actions",
            queryset=lambda: _item_queryset(Action),
            record=action_record,
            filters={
                "theme": _item_theme,
                "partnership": _item_partnership,
                "year": lambda qs, value: _year(qs, value, "review__year"),
                "review": _review_id,
                "status": lambda qs, value: _choice(qs, value, "status", "status", Action.Status.choices),
            },
            filter_help={
                "theme": "theme slug",
                "partnership": ITEM_PARTNERSHIP_HELP,
                "year": "four-digit year of the review",
                "review": "review id",
                "status": "planned, in_progress, done or not_stated",
            },
            csv_columns=(
                *ITEM_CSV[:3],
                "owner",
                "status",
                "status_label",
                "target_date_as_stated",
                "evidence_of_impact",
                "recommendation_id",
                *ITEM_CSV[3:],
            ),
        ),
    )
}


# ---------------------------------------------------------------------------
# CSV
# ---------------------------------------------------------------------------


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "; ".join(_list_entry(entry) for entry in value)
    return str(value)


def _list_entry(entry) -> str:
    if isinstance(entry, dict):
        for key in ("slug", "title", "name", "id"):
            if entry.get(key) not in (None, ""):
                return str(entry[key])
        return ""
    return str(entry)


def flatten(record: dict) -> dict[str, str]:
    """One CSV row from a JSON record: nested objects become ``<key>_<field>``
    columns (``source_partnership_slug``), lists are joined with '; ' (themes
    and sources by slug)."""
    row: dict[str, str] = {}

    def add(prefix: str, value) -> None:
        if isinstance(value, dict):
            for inner, inner_value in value.items():
                add(f"{prefix}_{inner}", inner_value)
        else:
            row[prefix] = _cell(value)

    for key, value in record.items():
        add(key, value)
    return row


# Spreadsheets run a cell starting with one of these as a formula (OWASP,
# "CSV injection"); a leading apostrophe makes them show it as text instead.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value: str) -> str:
    return f"'{value}" if value.startswith(_FORMULA_STARTS) else value


# ---------------------------------------------------------------------------
# Course packs as rows (the pack's CSV export)
# ---------------------------------------------------------------------------


# Whose words a course-pack step's ``text`` is, for the CSV's ``wording`` column.
WORDING_QUOTED = "Quoted word for word from the briefing"
WORDING_KNOWLEDGE_BASE = "Knowledge base description (not the board's words)"


def pack_step_row(step: PackStep, *, number: int, absolute: Absolute) -> dict[str, str]:
    """One course-pack step as a CSV row; a removed item keeps only its label.

    ``wording`` says whose words ``text`` is: a theme's summary is always the
    knowledge base's own, a review's summary is unless it was taken from a
    briefing (``summary_source``), and an entry is quoted from its briefing.
    """
    row = {
        "step": str(number),
        "kind": step.kind,
        "status": "note" if step.is_note else ("removed" if step.is_removed else "included"),
        "title": "",
        "text": "",
        "wording": "",
        "board": "",
        "date": "",
        "source_briefing": "",
        "url": "",
        "trainer_notes": step.item.notes,
    }
    if step.is_removed:
        row["title"] = step.removed_label
        return row
    content = step.content
    if content is None:
        return row
    citation = citation_for(content, absolute_url=absolute(content.get_permalink()))
    row.update(board=citation.board, date=citation.date, url=citation.url)
    if isinstance(content, Theme):
        row.update(title=content.name, text=content.summary)
        if content.summary:
            row["wording"] = WORDING_KNOWLEDGE_BASE
    elif isinstance(content, Review):
        row.update(title=content.title, text=content.summary)
        if content.summary:
            row["wording"] = WORDING_KNOWLEDGE_BASE if content.summary_is_editorial else WORDING_QUOTED
            if not content.summary_is_editorial:
                row["source_briefing"] = content.summary_source.title
    else:
        row.update(title=citation.title, text=content.text, wording=WORDING_QUOTED)
        row["source_briefing"] = content.source.title
    return row
