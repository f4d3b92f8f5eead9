"""The entries of a briefing as list items: case facts, learning points, recommendations, actions.

Every page that lists entries (a theme, a review in its briefing's order or by
theme, a profession, a national theme) shows each through one of these tags::

    {% load entries %}
    {% learning_point_item point show_review=True current_theme=theme show_heading=True %}
    {% recommendation_item recommendation show_heading=True hide_answer_themes=True %}
    {% action_item action %}
    {% case_fact_item fact show_kind=True %}

They were includes. A theme page at national scale lists about fifty entries, and
the template engine's work on them (a lookup for every variable, a node for every
``if``) was the largest part of the page's time after its queries
(docs/BENCHMARKS.md, issue 14). The common parts of an entry are built here from
the format strings below, read as its markup; the rare ones (a note on the
entry's kind, edited wording, former anchors, repeated paragraphs, uses,
an action's history, a recommendation's links to others, why an entry is on a
profession's page) are still templates in ``includes/``, rendered only for the
entries that have them.

Options work as an include's ``with`` did: those given to the tag, else the
page's variables of the same names (``current_theme``, ``show_heading``, …).
"""

from __future__ import annotations

from django import template
from django.template.defaultfilters import pluralize, truncatewords
from django.utils.safestring import SafeString, mark_safe

from reviews.markdown import render_markdown, strip_markdown
from reviews.models import LearningPoint

from .kb import answers_shown, differs_from, href, lines, status_tag_class
from .reuse import _html, item_heading, item_resources, item_themes, item_tools

register = template.Library()

# What each tag reads from the page when it is not given: an include's context.
_OPTIONS = (
    "current_theme",
    "show_heading",
    "show_review",
    "show_kind",
    "hide_themes",
    "hide_answer_themes",
    "all_answers",
)


def _options(context, given: dict) -> dict:
    options = {name: context.get(name) for name in _OPTIONS}
    options.update(given)
    return options


def _include(context, name: str, **values) -> str:
    """``{% include name with values %}``: for the parts few entries have."""
    with context.push(**values):
        return context.template.engine.get_template(name).render(context)


def _notes(context, item) -> str:
    """The knowledge base's notes an entry may carry: why it sits under its heading, that its wording
    was edited, the anchors it had as another kind of entry."""
    return _join(
        _include(context, "includes/kind_note.html", note=item.kind_note) if item.kind_note else "",
        _include(context, "includes/wording_edited.html", item=item) if item.wording_edited else "",
        _include(context, "includes/former_anchors.html", item=item) if item.former_anchors else "",
    )


def _join(*parts) -> SafeString:
    """The parts of an entry, one to a line, leaving out those it does not have."""
    return SafeString("\n  ".join(str(part) for part in parts if part))


# A case fact or a learning point: its kind's label (if any), its words, then the rest.
_ENTRY = (
    '\n<li class="kb-item{css}" id="{anchor}">\n'
    "  {kind}\n"
    '  <div class="kb-item__text kb-prose">{text}</div>\n'
    "  {rest}\n"
    "</li>\n"
)
_ABOUT_THE_REVIEW = '<p class="kb-item__kind"><strong class="govuk-tag govuk-tag--grey">About the review</strong></p>'


@register.simple_tag(takes_context=True)
def case_fact_item(context, fact, **given):
    """One case fact. Options: current_theme, show_heading, hide_themes (their themes are not loaded),
    show_kind (label a fact about the review)."""
    options = _options(context, given)
    return _html(
        _ENTRY,
        css=" kb-item--fact",
        anchor=fact.anchor,
        kind=mark_safe(_ABOUT_THE_REVIEW if options["show_kind"] and fact.kind == "review" else ""),
        text=render_markdown(fact.text),
        rest=_join(
            item_heading(fact) if options["show_heading"] else "",
            _notes(context, fact),
            "" if options["hide_themes"] else item_themes(context, fact, current_theme=options["current_theme"]),
            item_tools(context, fact, show_source=True),
        ),
    )


# Good practice and key facts are labelled as such.
_POINT_KINDS = {
    LearningPoint.Kind.GOOD_PRACTICE: (" kb-item--good-practice", "govuk-tag--green"),
    LearningPoint.Kind.KEY_FACT: (" kb-item--key-fact", "govuk-tag--purple"),
}
_POINT_KIND = '<p class="kb-item__kind"><strong class="govuk-tag {tag}">{name}</strong></p>'


@register.simple_tag(takes_context=True)
def learning_point_item(context, point, **given):
    """One learning point. Options: show_review (the theme page says which review it is from),
    current_theme (not linked to itself), show_heading (the heading of its briefing it sits under:
    wherever entries are listed away from their briefing's order).

    On the theme page a paragraph published again word for word (``repeat_on_theme``) is shown
    briefly, pointing to where it appears in full, so nothing is read twice
    (``includes/point_repeated.html``); a similar paragraph (the words differ) is shown in full, with
    its differences (``includes/point_repeats.html``)."""
    options = _options(context, given)
    earlier = getattr(point, "visible_repeat_of", None)
    if getattr(point, "repeat_on_theme", False) and earlier and not differs_from(point.text, earlier.text):
        return _include(context, "includes/point_repeated.html", point=point, show_review=options["show_review"])
    css, tag = _POINT_KINDS.get(point.kind, ("", "govuk-tag--purple"))
    kind = ""
    if point.kind != LearningPoint.Kind.LEARNING:
        kind = _html(_POINT_KIND, tag=tag, name=point.get_kind_display())
    summary = getattr(point, "use_summary", None)
    return _html(
        _ENTRY,
        css=css,
        anchor=point.anchor,
        kind=mark_safe(kind),
        text=render_markdown(point.text),
        rest=_join(
            item_heading(point) if options["show_heading"] else "",
            _notes(context, point),
            _include(context, "includes/point_repeats.html", point=point)
            if earlier or getattr(point, "visible_repeats", None)
            else "",
            _include(context, "includes/use_summary.html", summary=summary, css="kb-item__note")
            if summary and summary.total
            else "",
            item_resources(context, point),
            item_themes(context, point, current_theme=options["current_theme"]),
            item_tools(context, point, show_source=True, show_review=options["show_review"]),
        ),
    )


# One recommendation with the actions that answer it.
_RECOMMENDATION = (
    '\n<li class="kb-item kb-item--recommendation" id="{anchor}">\n'
    '  <p class="kb-item__title"><strong>{label}</strong>{addressed_to}</p>\n'
    "  {why}\n"
    '  <div class="kb-item__text kb-prose">{text}</div>\n'
    "  {rest}\n"
    '  <div class="kb-answers">\n'
    "    {answers}\n"
    "  </div>\n"
    "</li>\n"
)
_ADDRESSED_TO = '<span class="kb-item__for"> – for {addressed_to}</span>'
_ANSWERS = (
    '<p class="kb-answers__title">What was done in response</p>\n'
    '    <ul class="kb-items kb-items--actions">\n      {actions}\n    </ul>'
)
_ANSWER_ELSEWHERE = (
    '<p class="govuk-body-s kb-answers__elsewhere">In response, under “{heading}”: '
    '<a class="govuk-link" href="#{anchor}">{words}</a></p>'
)
_NO_ANSWER = '<p class="govuk-body-s kb-answers__none">No response to this recommendation in this briefing.</p>'
_UNANSWERED = (
    '<div class="kb-unanswered">\n'
    '      <p class="govuk-body-s kb-unanswered__title"><span class="kb-label">Knowledge base note</span> '
    "No response in this briefing to {parts} of the recommendation:</p>\n"
    '      <ul class="govuk-list govuk-list--bullet govuk-body-s kb-unanswered__list">\n'
    "        {items}\n"
    "      </ul>\n"
    "    </div>"
)
_UNANSWERED_PART = "<li>“{part}”: no response in this briefing</li>"


@register.simple_tag(takes_context=True)
def recommendation_item(context, recommendation, **given):
    """One recommendation and what was done in response. Options: current_theme, show_heading,
    hide_answer_themes (the answers' themes are not loaded), all_answers (every answer shown here:
    the review page grouped by theme, which has no sections to link to).

    On the review page in the briefing's order the actions shown are those in its own section
    (``answers_shown``); an answer the briefing prints under another heading is linked to there
    (``actions_elsewhere``). ``recommendation.shown_because`` on a profession's page: why it is there."""
    options = _options(context, given)
    with context.push(all_answers=options["all_answers"]):
        actions = answers_shown(context, recommendation)
    elsewhere = recommendation.actions_elsewhere
    answers = []
    if actions:
        items = "\n      ".join(
            action_item(context, action, **{**options, "hide_themes": options["hide_answer_themes"]})
            for action in actions
        )
        answers.append(_html(_ANSWERS, actions=mark_safe(items)))
    for action in [] if options["all_answers"] else elsewhere:
        words = truncatewords(strip_markdown(action.text), 12)
        answers.append(_html(_ANSWER_ELSEWHERE, heading=action.heading_in_context, anchor=action.anchor, words=words))
    unanswered = lines(recommendation.unanswered_parts)
    if not actions and not elsewhere:
        answers.append(_NO_ANSWER)
    elif unanswered:
        items = "".join(_html(_UNANSWERED_PART, part=part) for part in unanswered)
        parts = pluralize(len(unanswered), "this part,these parts")
        answers.append(_html(_UNANSWERED, parts=parts, items=mark_safe(items)))
    why = recommendation.shown_because
    return _html(
        _RECOMMENDATION,
        anchor=recommendation.anchor,
        label=recommendation.label,
        addressed_to=_html(_ADDRESSED_TO, addressed_to=recommendation.addressed_to)
        if recommendation.addressed_to
        else "",
        why=_include(context, "includes/shown_because.html", why=why, kind="recommendation") if why else "",
        text=render_markdown(recommendation.text),
        rest=_join(
            item_heading(recommendation) if options["show_heading"] else "",
            _notes(context, recommendation),
            item_resources(context, recommendation),
            item_themes(context, recommendation, current_theme=options["current_theme"]),
            _include(context, "includes/recommendation_links.html", recommendation=recommendation)
            if getattr(recommendation, "link_sentences", None)
            else "",
            item_tools(context, recommendation, show_source=True),
        ),
        answers=mark_safe("\n    ".join(str(answer) for answer in answers)),
    )


# One action: its status as the briefing reported it, and since.
_ACTION = (
    '\n<li class="kb-item kb-item--action" id="{anchor}">\n'
    '  <p class="kb-item__title">\n'
    '    <strong class="govuk-tag {status_class} kb-status">{status}</strong>\n'
    "    {reported}\n"
    "    {owner}\n"
    "  </p>\n"
    "  {before}\n"
    '  <div class="kb-item__text kb-prose">{text}</div>\n'
    "  {rest}\n"
    "</li>\n"
)
_REPORTED = '<span class="kb-item__reported">{reported} <a class="govuk-link" href="{url}">{title}</a>{when}</span>'
_OWNER = '<span class="kb-item__owner">Owner: {owner}</span>'
_STALE = '<p class="govuk-body-s kb-item__stale">Reported more than a year ago: the work may have moved on since.</p>'
_IN_RESPONSE_TO = (
    '<p class="govuk-body-s kb-item__meta">In response to <a class="govuk-link" {href}>{label}</a> '
    "of its review{addressed_to}.</p>"
)
_ANSWERS_ELSEWHERE = (
    '<p class="govuk-body-s kb-item__meta">In response to <a class="govuk-link" href="#{anchor}">{label}</a>'
    "{heading}.</p>"
)
_FACTS = '<dl class="kb-item__facts">\n    {facts}\n  </dl>'
_TARGET_DATE = "<div><dt>Target date as stated</dt><dd>{date}</dd></div>"
_EVIDENCE = '<div><dt>Evidence of impact</dt><dd class="kb-prose">{evidence}</dd></div>'


@register.simple_tag(takes_context=True)
def action_item(context, action, **given):
    """One action. Options: current_theme, show_heading, hide_themes (their themes are not loaded).
    ``action.shown_because`` on a profession's page: why it is there."""
    options = _options(context, given)
    stated = action.status != "not_stated"
    source = action.source
    reported = ""
    if source:
        reported = _html(
            _REPORTED,
            reported="as reported in" if stated else "in",
            url=source.get_absolute_url(),
            title=source.title,
            when=f", {source.published_display}" if source.published_display else " (the briefing is not dated)",
        )
    before = []
    if stated and source and source.is_more_than_a_year_old():
        before.append(_STALE)
    if action.shown_because:
        before.append(_include(context, "includes/shown_because.html", why=action.shown_because, kind="action"))
        if action.recommendation_id:
            answered = action.recommendation
            before.append(
                _html(
                    _IN_RESPONSE_TO,
                    href=href(context, answered.get_absolute_url()),
                    label=answered.label,
                    addressed_to=f", for {answered.addressed_to}" if answered.addressed_to else "",
                )
            )
    after = []
    answers = action.answers_elsewhere
    if answers:
        heading = answers.heading_in_context
        after.append(
            _html(
                _ANSWERS_ELSEWHERE,
                anchor=answers.anchor,
                label=answers.label,
                heading=f", under “{heading}”" if heading else "",
            )
        )
    facts = []
    if action.target_date_as_stated:
        facts.append(_html(_TARGET_DATE, date=action.target_date_as_stated))
    if action.evidence_of_impact:
        facts.append(_html(_EVIDENCE, evidence=render_markdown(action.evidence_of_impact)))
    if facts:
        after.append(_html(_FACTS, facts=mark_safe("\n    ".join(facts))))
    if action.closing_judgement or action.status_reports:
        after.append(_include(context, "includes/action_history.html", action=action))
    return _html(
        _ACTION,
        anchor=action.anchor,
        status_class=status_tag_class(action.status),
        status=action.get_status_display() if stated else "Status not stated",
        reported=reported,
        owner=_html(_OWNER, owner=action.owner) if action.owner else "",
        before=_join(*before),
        text=render_markdown(action.text),
        rest=_join(
            *after,
            item_heading(action) if options["show_heading"] else "",
            _notes(context, action),
            item_resources(context, action),
            "" if options["hide_themes"] else item_themes(context, action, current_theme=options["current_theme"]),
            item_tools(context, action, show_source=True),
        ),
    )
