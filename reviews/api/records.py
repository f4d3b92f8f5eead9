"""Records: what each published object becomes in the API's JSON (and, flattened, its CSV).

A record reads only what its endpoint's selector loaded (``selectors.py``):
counts are annotations, related rows are prefetched, so making records runs
no query. Addresses are absolute, made by the request's ``Links``
(``links.py``: each kind reversed once per request, then filled in), as the
models' ``get_absolute_url()`` and ``get_permalink()`` give them
(``tests/test_api_links.py`` checks that they agree).
"""

from __future__ import annotations

from functools import cache

from django.utils.encoding import force_str
from django.utils.hashable import make_hashable

from ..addresses import Links
from ..models import Action, Agency, LearningPoint, NationalTheme, Partnership, Recommendation, Review, Source, Theme


def _iso(value) -> str | None:
    return value.isoformat() if value else None


@cache
def _labels(field) -> dict:
    return dict(make_hashable(field.flatchoices))


def _label(obj, name: str) -> str:
    """``obj.get_<name>_display()``, with the field's labels read once rather than at each call."""
    field = obj._meta.get_field(name)
    value = getattr(obj, field.attname)
    return force_str(_labels(field).get(make_hashable(value), value), strings_only=True)


# Pages, as each model's ``get_absolute_url()`` gives them (the permanent links, as ``get_permalink()``).


def partnership_url(partnership: Partnership, links: Links) -> str:
    return links.url("reviews:partnership-detail", slug=partnership.slug)


def source_url(source: Source, links: Links) -> str:
    return links.url("reviews:source-detail", slug=source.slug)


def review_url(review: Review, links: Links) -> str:
    return links.url("reviews:review-detail", slug=review.slug)


def review_permalink(review: Review, links: Links) -> str:
    return links.url("reviews:review-permalink", pk=review.pk)


def theme_url(theme: Theme, links: Links) -> str:
    return links.url("reviews:theme-detail", slug=theme.slug)


def theme_permalink(theme: Theme, links: Links) -> str:
    return links.url("reviews:theme-permalink", pk=theme.pk)


def agency_url(agency: Agency, links: Links) -> str:
    return links.url("reviews:agency-detail", slug=agency.slug)


def national_theme_url(national: NationalTheme, links: Links) -> str:
    return links.url("reviews:national-theme-detail", framework=national.framework.slug, slug=national.slug)


def entry_url(item, links: Links) -> str:
    """A learning point, recommendation or action in its review's page (a learning point tied to no
    review: in its briefing's page)."""
    if item.review_id:
        return links.url("reviews:review-detail", fragment=item.anchor, slug=item.review.slug)
    return links.url("reviews:source-detail", fragment=item.anchor, slug=item.source.slug)


def entry_permalink(item, links: Links) -> str:
    return links.url(f"reviews:{item.permalink_name}", pk=item.pk)


def _partnership_record(partnership: Partnership | None, links: Links) -> dict | None:
    if partnership is None:
        return None
    return {
        "slug": partnership.slug,
        "name": partnership.name,
        "url": partnership_url(partnership, links),
    }


def _source_record(source: Source, links: Links) -> dict:
    """The briefing an entry's wording comes from. Its partnership published the
    briefing, which may not be the review's (Swindon's briefing of Oxfordshire's review)."""
    return {
        "id": source.pk,
        "slug": source.slug,
        "title": source.title,
        "publisher": source.publisher_display,
        "partnership": _partnership_record(source.partnership, links),
        "published": source.published_display or None,
        "url": source_url(source, links),
        # Where the board publishes the document: "given" by the briefing, or "added" by the knowledge base.
        "original_url": source.original_url or None,
        "original_url_origin": source.original_url_origin or None,
    }


def _review_ref(review: Review | None, links: Links) -> dict | None:
    if review is None:
        return None
    return {
        "id": review.pk,
        "slug": review.slug,
        "title": review.title,
        "url": review_url(review, links),
        "api_url": links.url("reviews:api-review-detail", pk=review.pk),
    }


def _section_record(item) -> dict | None:
    """The section of its briefing an entry sits under: its heading as printed, its role, and
    the headings of the sections it is in, outermost first (a table cell's table and row)."""
    section = item.section if item.section_id else None
    if section is None:
        return None
    within = section.parent.heading_path if section.parent_id else []
    return {"heading": section.heading, "role": section.role, "within": within}


def _themes(item) -> list[dict]:
    return [{"slug": theme.slug, "name": theme.name} for theme in item.api_themes]


def _agencies(item) -> list[dict]:
    """The agencies the knowledge base reads the entry as addressed to (``agencies`` prefetched)."""
    return [{"slug": agency.slug, "name": agency.name} for agency in item.api_agencies]


def agency_record(agency: Agency, links: Links) -> dict:
    return {
        "id": agency.pk,
        "slug": agency.slug,
        "name": agency.name,
        "description": agency.description,
        "description_is_editorial": True,
        "counts": {"recommendations": agency.recommendation_count, "actions": agency.action_count},
        "url": agency_url(agency, links),
        "api_url": links.url("reviews:api-agency-detail", pk=agency.pk),
    }


def _item_common(item, links: Links, api_name: str) -> dict:
    review = item.review if item.review_id else None
    partnership = review.partnership if review is not None else item.source.partnership
    return {
        "id": item.pk,
        "ref": item.ref,
        "heading": item.heading,
        "section": _section_record(item),
        "text": item.text,
        # True when its words are no longer found word for word in its briefing (``source``); see reviews/wording.py.
        "wording_edited": item.wording_edited,
        "review": _review_ref(review, links),
        "partnership": _partnership_record(partnership, links),
        "year": review.year if review is not None else None,
        "themes": _themes(item),
        "source": _source_record(item.source, links),
        "url": entry_url(item, links),
        "permalink": entry_permalink(item, links),
        "api_url": links.url(f"reviews:{api_name}", pk=item.pk),
        "updated_at": _iso(item.updated_at),
    }


def review_record(review: Review, links: Links) -> dict:
    return {
        "id": review.pk,
        "slug": review.slug,
        "title": review.title,
        "review_type": review.review_type,
        "review_type_label": _label(review, "review_type"),
        "partnership": _partnership_record(review.partnership, links),
        "children": review.children,
        "summary": review.summary,
        "summary_is_editorial": review.summary_is_editorial,
        "published": review.published_display or None,
        "published_on": _iso(review.published_on),
        "published_precision": review.published_precision,
        "year": review.year,
        "tags": sorted(tag.name for tag in review.api_tags),
        "themes": [{"slug": theme.slug, "name": theme.name} for theme in review.api_themes],
        "counts": {
            "learning_points": review.learning_count,
            "recommendations": review.recommendation_count,
            "actions": review.action_count,
            "uses_recorded": review.use_count,
        },
        "sources": [_source_record(source, links) for source in review.api_sources],
        "url": review_url(review, links),
        "permalink": review_permalink(review, links),
        "print_url": links.url("reviews:review-print", slug=review.slug),
        "api_url": links.url("reviews:api-review-detail", pk=review.pk),
        "first_published_at": _iso(review.first_published_at),
        "updated_at": _iso(review.last_updated),
    }


def theme_record(theme: Theme, links: Links) -> dict:
    return {
        "id": theme.pk,
        "slug": theme.slug,
        "name": theme.name,
        "summary": theme.summary,
        "summary_is_editorial": True,
        "aliases": [alias.name for alias in theme.aliases.all()],
        "related": [related.slug for related in theme.related_themes.all()],
        "national_themes": [
            {
                "framework": link.national_theme.framework.slug,
                "slug": link.national_theme.slug,
                "name": link.national_theme.name,
                "url": national_theme_url(link.national_theme, links),
            }
            for link in theme.national_links.all()
        ],
        "guide": guide_record(getattr(theme, "api_guide", None), links),
        "counts": {
            "learning_points": theme.learning_count,
            "recommendations": theme.recommendation_count,
            "actions": theme.action_count,
            "reviews": theme.review_count,
            "uses_recorded": theme.use_count,
        },
        "url": theme_url(theme, links),
        "permalink": theme_permalink(theme, links),
        "print_url": links.url("reviews:theme-print", slug=theme.slug),
        "embed_url": links.url("reviews:theme-embed", slug=theme.slug),
        "api_url": links.url("reviews:api-theme-detail", pk=theme.pk),
    }


def guide_record(view, links: Links) -> dict | None:
    """A theme's guide (``selectors.theme_guide.GuideView``): the knowledge base's own words, never a
    board's; each sentence with the entries it rests on. None when the theme has no published guide."""
    if view is None:
        return None

    def lines(found) -> list[dict]:
        return [
            {
                "text": line.claim.text,
                "cites": [
                    {
                        "kind": citation.kind,
                        "ref": citation.entry.ref,
                        "url": entry_url(citation.entry, links),
                    }
                    for citation in line.citations
                ],
            }
            for line in found
        ]

    return {
        "is_editorial": True,
        "written_by": "the knowledge base's editors",
        "overview": lines(view.overview),
        "findings": lines(view.findings),
        "practice": lines(view.practice),
        "updated_at": _iso(view.guide.updated_at),
    }


def national_theme_record(national: NationalTheme, links: Links) -> dict:
    framework = national.framework
    return {
        "id": national.pk,
        "slug": national.slug,
        "name": national.name,
        "framework": {
            "slug": framework.slug,
            "name": framework.name,
            "publisher": framework.publisher,
            "url": framework.url,
        },
        "report_title": national.report_title,
        "report_period": national.report_period,
        "report_url": national.report_url,
        "description": national.description,
        "description_is_editorial": True,
        "local_themes": [
            {
                "slug": link.theme.slug,
                "name": link.theme.name,
                "justification": link.justification,
                "justification_is_editorial": True,
                "url": theme_url(link.theme, links),
            }
            for link in national.public_links
        ],
        "url": national_theme_url(national, links),
        "api_url": links.url("reviews:api-national-theme-detail", pk=national.pk),
    }


def learning_point_record(point: LearningPoint, links: Links) -> dict:
    record = _item_common(point, links, "api-learning-point-detail")
    record["kind"] = point.kind
    record["kind_label"] = _label(point, "kind")
    record["repeats_id"] = point.repeats_id
    # Team briefings, courses and supervisions that used it, as staff recorded them: a count, never who.
    record["uses_recorded"] = point.use_count
    record["embed_url"] = links.url("reviews:learning-point-embed", pk=point.pk)
    return record


def recommendation_record(recommendation: Recommendation, links: Links) -> dict:
    record = _item_common(recommendation, links, "api-recommendation-detail")
    record["number"] = recommendation.number
    record["addressed_to"] = recommendation.addressed_to
    # The knowledge base's reading of ``addressed_to``, which stays as the briefing gives it.
    record["agencies"] = _agencies(recommendation)
    record["agencies_are_editorial"] = True
    record["action_ids"] = [action.pk for action in recommendation.api_actions]
    # Earlier recommendations it repeats or replaces, and later ones repeating or replacing it: the
    # knowledge base's judgement. Years are the reviews' publication years as recorded (null if none).
    record["made_before"] = [
        _linked_recommendation(link.earlier, link, links) for link in recommendation.public_earlier_links
    ]
    record["made_again"] = [
        _linked_recommendation(link.later, link, links) for link in recommendation.public_later_links
    ]
    record["recommendation_links_are_editorial"] = True
    return record


def _linked_recommendation(other: Recommendation, link, links: Links) -> dict:
    from ..selectors.recommendation_links import publication_year

    return {
        "id": other.pk,
        "relation": link.relation,
        "review_title": other.review.title,
        "year_published": publication_year(other.review),
        "note": link.note,
        "url": entry_url(other, links),
        "api_url": links.url("reviews:api-recommendation-detail", pk=other.pk),
    }


def action_record(action: Action, links: Links) -> dict:
    record = _item_common(action, links, "api-action-detail")
    record["owner"] = action.owner
    # The knowledge base's reading of ``owner``, which stays as the briefing gives it.
    record["agencies"] = _agencies(action)
    record["agencies_are_editorial"] = True
    # As the briefing gave it; ``status_reported`` is the latest status reported since, if any.
    record["status"] = action.status
    record["status_label"] = _label(action, "status")
    record["target_date_as_stated"] = action.target_date_as_stated
    # Read from those words only when they name a definite date ("January 2020": the end of January).
    record["target_date"] = _iso(action.target_date)
    record["target_date_precision"] = action.target_date_precision
    record["target_date_display"] = action.target_date_display or None
    record["evidence_of_impact"] = action.evidence_of_impact
    record["recommendation_id"] = action.recommendation_id
    reports = action.api_updates  # oldest first, as ``Action.status_reports``
    record["status_reported"] = _status_reported(action, reports[-1] if reports else None)
    record["status_history"] = [_status_report_record(update) for update in reports]
    record["closing_judgement"] = _closing_judgement_record(action)
    return record


def _status_report_record(update) -> dict:
    """One dated status report on an action: what the public action history shows of it."""
    return {
        "reported_on": _iso(update.reported_on),
        "status": update.status,
        "status_label": _label(update, "status"),
        "reported_by": update.reported_by,
        "evidence_of_impact": update.evidence_of_impact,
        "note": update.note,
    }


def _status_reported(action: Action, latest) -> dict:
    """The action's status as last reported: by the latest report since the briefing (with its date
    and who made it), else by the briefing itself (no date: the briefing's own)."""
    if latest is None:
        return {
            "status": action.status,
            "status_label": _label(action, "status"),
            "reported_on": None,
            "reported_by": None,
            "from_briefing": True,
        }
    return {
        "status": latest.status,
        "status_label": _label(latest, "status"),
        "reported_on": _iso(latest.reported_on),
        "reported_by": latest.reported_by,
        "from_briefing": False,
    }


def _closing_judgement_record(action: Action) -> dict:
    """The board's closing judgement on the action, as the public action history shows it; while the
    action is open, every field is null (one shape for every record, and so one set of CSV columns)."""
    if not action.closing_judgement:
        return dict.fromkeys(CLOSING_JUDGEMENT_FIELDS)
    return {
        "judgement": action.closing_judgement,
        "label": _label(action, "closing_judgement"),
        "judged_on": _iso(action.judged_on),
        "judged_by": action.judged_by,
        "reason": action.closing_reason,
        "superseded_by_action_id": action.superseded_by_action_id,
        "superseded_by_recommendation_id": action.superseded_by_recommendation_id,
    }


CLOSING_JUDGEMENT_FIELDS = (
    "judgement",
    "label",
    "judged_on",
    "judged_by",
    "reason",
    "superseded_by_action_id",
    "superseded_by_recommendation_id",
)
