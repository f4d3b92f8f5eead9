"""The triage screen for an imported draft: the services that re-record entries (kinds, split, merge,
headings, themes, passages, proposals) and the admin screen that calls them."""

import pytest
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from reviews.models import (
    Action,
    CaseFact,
    LearningPoint,
    MovedEntry,
    Partnership,
    PublicationStatus,
    Recommendation,
    Resource,
    Section,
    Theme,
)
from reviews.selectors.triage import looks_like_heading, starts_in_lower_case, title_is_file_name, triage_screen
from reviews.services.kinds import (
    KINDS,
    TriageError,
    apply_heading,
    change_kind,
    entry_key,
    merge_entries,
    passage_put_back,
    proposed_partnership_create,
    proposed_theme_create,
    split_entry,
    theme_decide,
)

from .support.factories import make_review, make_section, make_source, make_theme, make_user

pytestmark = pytest.mark.django_db

FIRST = "Practitioners did not share what they knew about the father."
SECOND = "Nobody asked who else lived in the home."
ORIGINAL = (
    f"Test briefing (made for the tests)\n\nKey learning\n\n{FIRST}\n{SECOND}\n\n"
    "Recommendations\n\nAll agencies should record who lives in the home."
)


@pytest.fixture
def imported():
    """A draft review as an import leaves it: a draft source with its text, two sections, entries."""
    source = make_source(
        status=PublicationStatus.DRAFT,
        original_text=ORIGINAL,
        file_name="test-briefing.md",
        excluded_passages=[{"text": "Test briefing (made for the tests)", "reason": "The title"}],
    )
    review = make_review(status=PublicationStatus.DRAFT, title="Test briefing (made for the tests)")
    review.sources.add(source)
    learning = make_section(source=source, heading="Key learning", role=Section.Role.LEARNING, position=10)
    recs = make_section(source=source, heading="Recommendations", role=Section.Role.RECOMMENDATIONS, position=40)
    first = LearningPoint.objects.create(review=review, source=source, section=learning, text=FIRST, position=20)
    second = LearningPoint.objects.create(review=review, source=source, section=learning, text=SECOND, position=30)
    third = LearningPoint.objects.create(
        review=review,
        source=source,
        section=recs,
        text="All agencies should record who lives in the home.",
        position=50,
    )
    return {"review": review, "source": source, "learning": learning, "recs": recs, "entries": [first, second, third]}


def reasons(obj):
    return [row.history_change_reason for row in type(obj).history.filter(id=obj.pk).order_by("history_id")]


# ---------------------------------------------------------------------------
# Changing kind
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("new_kind", ["good_practice", "key_fact", "question"])
def test_a_learning_point_changes_kind_in_place(imported, editor, new_kind):
    point = imported["entries"][0]
    same = change_kind(point, new_kind, user=editor, reason="")
    assert same.pk == point.pk and same.kind == new_kind and same.text == FIRST
    last = point.history.latest()
    label = {k.key: k.label for k in KINDS}[new_kind].lower()
    assert last.history_change_reason == f"Recorded as {label} (was learning {point.ref})"[:100]
    assert last.history_user == editor


@pytest.mark.parametrize(
    ("new_kind", "model"),
    [("case_fact", CaseFact), ("recommendation", Recommendation), ("action", Action), ("resource", Resource)],
)
def test_a_learning_point_becomes_another_kind_keeping_words_place_and_link(client, imported, editor, new_kind, model):
    point = imported["entries"][0]
    theme = make_theme()
    point.themes.add(theme)
    old_pk, old_ref = point.pk, point.ref
    new = change_kind(point, new_kind, user=editor, reason="it is about the case")

    assert isinstance(new, model)
    assert not LearningPoint.objects.filter(pk=old_pk).exists()
    kept_text = new.name if model is Resource else new.text
    assert kept_text == FIRST
    assert (new.section_id, new.position, new.source_id) == (imported["learning"].pk, 20, imported["source"].pk)
    if model is not Resource:
        assert new.review == imported["review"]
        assert list(new.themes.all()) == [theme]
    expected = f"Recorded as {new_kind.replace('_', ' ')} (was learning {old_ref})"
    assert reasons(new)[0].startswith(expected[:100])
    deletion = LearningPoint.history.filter(id=old_pk, history_type="-").get()
    assert deletion.history_change_reason.startswith(expected[:100])
    assert deletion.history_user == editor
    move = MovedEntry.objects.get(old_kind="learning_point", old_pk=old_pk)
    assert move.old_ref == old_ref and move.content_object == new

    # The old permanent link leads to the new entry (staff see drafts).
    client.force_login(editor)
    response = client.get(f"/lp/{old_pk}/")
    assert response.status_code == 301
    assert response["Location"] == new.get_absolute_url()


def test_a_chain_of_changes_keeps_the_first_link_working(client, imported, editor):
    point = imported["entries"][0]
    old_pk = point.pk
    recommendation = change_kind(point, "recommendation", user=editor)
    recommendation_pk = recommendation.pk
    action = change_kind(recommendation, "action", user=editor)
    assert MovedEntry.objects.get(old_kind="learning_point", old_pk=old_pk).content_object == action
    assert MovedEntry.objects.get(old_kind="recommendation", old_pk=recommendation_pk).content_object == action
    client.force_login(editor)
    assert client.get(f"/lp/{old_pk}/")["Location"] == action.get_absolute_url()
    assert client.get(f"/rec/{recommendation_pk}/")["Location"] == action.get_absolute_url()


def test_every_kind_reaches_every_other(imported, editor):
    entry = imported["entries"][0]
    for kind in [k.key for k in KINDS if k.key != "left_out"] + ["learning"]:
        if kind == ("learning" if isinstance(entry, LearningPoint) and entry.kind == "learning" else None):
            continue
        entry = change_kind(entry, kind, user=editor)
        text = entry.name if isinstance(entry, Resource) else entry.text
        assert text == FIRST
    assert isinstance(entry, LearningPoint) and entry.kind == "learning"


def test_left_out_lists_the_words_with_the_editors_reason(imported, editor):
    point = imported["entries"][1]
    old_pk = point.pk
    assert change_kind(point, "left_out", user=editor, reason="a repeat of the summary") is None
    assert not LearningPoint.objects.filter(pk=old_pk).exists()
    source = imported["source"]
    source.refresh_from_db()
    assert source.excluded_passages[-1] == {
        "text": SECOND,
        "reason": "Left out by test-editor on triage: a repeat of the summary",
    }
    deletion = LearningPoint.history.filter(id=old_pk, history_type="-").get()
    assert deletion.history_change_reason.startswith("Left out on triage")


def test_a_recommendation_with_actions_leaves_them_on_the_review(imported, editor):
    recommendation = change_kind(imported["entries"][2], "recommendation", user=editor)
    action = Action.objects.create(
        review=imported["review"], recommendation=recommendation, source=imported["source"], text="Test action."
    )
    change_kind(recommendation, "learning", user=editor)
    action.refresh_from_db()
    assert action.recommendation is None and action.review == imported["review"]


def test_a_published_review_is_refused_and_nothing_changes(imported, editor):
    review = imported["review"]
    review.status = PublicationStatus.PUBLISHED
    review.save()
    point = imported["entries"][0]
    with pytest.raises(TriageError, match="published"):
        change_kind(point, "case_fact", user=editor)
    with pytest.raises(TriageError, match="published"):
        split_entry(point, 10, user=editor)
    assert LearningPoint.objects.filter(pk=point.pk, kind="learning").exists()
    assert not CaseFact.objects.exists()


def test_the_same_kind_or_an_unknown_kind_is_refused(imported, editor):
    with pytest.raises(TriageError, match="already"):
        change_kind(imported["entries"][0], "learning", user=editor)
    with pytest.raises(TriageError, match="not a kind"):
        change_kind(imported["entries"][0], "poem", user=editor)


# ---------------------------------------------------------------------------
# Split, merge, headings
# ---------------------------------------------------------------------------


def test_split_keeps_both_parts_verbatim_and_places_the_second_right_after(imported, editor):
    point = imported["entries"][0]
    point.text = f"{FIRST} {SECOND}"
    point.save()
    at = len(FIRST) + 1
    new = split_entry(point, at, user=editor)
    point.refresh_from_db()
    assert (point.text, new.text) == (FIRST, SECOND)
    assert new.kind == point.kind and new.section_id == point.section_id
    order = list(LearningPoint.objects.filter(section=imported["learning"]).order_by("position", "id"))
    assert order.index(new) == order.index(point) + 1
    assert reasons(new)[0] == f"Split from {point.ref} on triage"
    assert reasons(point)[-1] == f"Split on triage: the rest is {new.ref}"


def test_split_inside_a_word_is_refused(imported, editor):
    with pytest.raises(TriageError, match="between two words"):
        split_entry(imported["entries"][0], 3, user=editor)
    with pytest.raises(TriageError, match="between two words"):
        split_entry(imported["entries"][0], 0, user=editor)


def test_split_makes_room_when_the_next_place_is_taken(imported, editor):
    first, second, _ = imported["entries"]
    second.position = first.position + 1
    second.save()
    new = split_entry(first, FIRST.index("what"), user=editor)
    second.refresh_from_db()
    assert first.position < new.position < second.position


def test_merge_joins_with_the_briefings_own_separator(imported, editor):
    first, second, _ = imported["entries"]
    old_pk = second.pk
    merged = merge_entries(first, second, user=editor)
    assert merged.text == f"{FIRST}\n{SECOND}"  # the briefing has a single line break between them
    assert not LearningPoint.objects.filter(pk=old_pk).exists()
    assert MovedEntry.objects.get(old_kind="learning_point", old_pk=old_pk).content_object == merged
    assert reasons(merged)[-1] == f"Merged with {second.ref} on triage"


def test_merge_without_the_pair_in_the_briefing_uses_a_blank_line(imported, editor):
    first, second, _ = imported["entries"]
    second.text = "Words not in the briefing."
    second.save()
    assert merge_entries(first, second, user=editor).text == f"{FIRST}\n\nWords not in the briefing."


def test_merge_refuses_other_kinds_sections_and_non_neighbours(imported, editor):
    first, second, third = imported["entries"]
    with pytest.raises(TriageError, match="same heading"):
        merge_entries(second, third, user=editor)
    with pytest.raises(TriageError, match="right after"):
        merge_entries(second, first, user=editor)
    fact = change_kind(second, "case_fact", user=editor)
    with pytest.raises(TriageError, match="same kind"):
        merge_entries(first, fact, user=editor)


def test_apply_heading_moves_a_run_with_history(imported, editor):
    first, second, _ = imported["entries"]
    assert apply_heading([first, second], imported["recs"], user=editor) == 2
    first.refresh_from_db()
    assert first.section == imported["recs"]
    assert reasons(first)[-1] == "Put under the heading “Recommendations” on triage"
    other = make_section(source=make_source())
    with pytest.raises(TriageError, match="another briefing"):
        apply_heading([first], other, user=editor)


# ---------------------------------------------------------------------------
# Themes, passages, proposals
# ---------------------------------------------------------------------------


def test_accepting_and_rejecting_themes_is_recorded(imported, editor):
    point = imported["entries"][0]
    kept, dropped, offered = make_theme(name="Fathers"), make_theme(name="Home education"), make_theme(name="Babies")
    point.themes.set([kept, dropped])
    source = imported["source"]
    source.import_report = {"suggested_themes": {entry_key(point): [offered.pk]}}
    source.save()

    theme_decide(point, kept, accept=True, user=editor)
    theme_decide(point, dropped, accept=False, user=editor)
    theme_decide(point, offered, accept=True, user=editor)

    assert set(point.themes.all()) == {kept, offered}
    assert "Theme “Home education” rejected on triage" in reasons(point)
    assert "Theme “Babies” accepted on triage" in reasons(point)
    screen = triage_screen(imported["review"])
    candidate = next(c for c in screen.candidates if c.entry == point)
    assert {(t.theme.name, t.state) for t in candidate.themes} == {("Fathers", "accepted"), ("Babies", "accepted")}


def test_suggestions_follow_an_entry_to_its_new_kind(imported, editor):
    point = imported["entries"][0]
    theme = make_theme()
    source = imported["source"]
    source.import_report = {"suggested_themes": {entry_key(point): [theme.pk]}}
    source.save()
    new = change_kind(point, "recommendation", user=editor)
    source.refresh_from_db()
    assert source.import_report["suggested_themes"] == {entry_key(new): [theme.pk]}


def test_a_passage_left_out_is_put_back_as_learning(imported, editor):
    source = imported["source"]
    source.excluded_passages = [{"text": SECOND, "reason": "Test reason"}]
    source.save()
    imported["entries"][1].delete()
    point = passage_put_back(source, 0, review=imported["review"], user=editor)
    source.refresh_from_db()
    assert point.text == SECOND and point.kind == "learning" and source.excluded_passages == []
    assert point.section == imported["learning"]
    assert imported["entries"][0].position < point.position
    with pytest.raises(TriageError, match="no longer"):
        passage_put_back(source, 0, review=imported["review"], user=editor)


def test_proposals_are_created_only_through_their_services(imported, editor):
    review = imported["review"]
    partnership = proposed_partnership_create(
        review, name="Testshire Safeguarding Partnership", area="Testshire", user=editor
    )
    review.refresh_from_db()
    assert review.partnership == partnership
    with pytest.raises(TriageError, match="already exists"):
        proposed_partnership_create(review, name="Testshire safeguarding partnership", area="X", user=editor)
    point = imported["entries"][0]
    theme = proposed_theme_create(imported["source"], "Test new theme", entries=[point], user=editor)
    assert list(point.themes.all()) == [theme]


# ---------------------------------------------------------------------------
# Warnings
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [("Key learning", True), ("What is the issue?", True), ("4. The Findings", True), (FIRST, False)],
)
def test_looks_like_heading(text, expected):
    assert looks_like_heading(text) is expected


@pytest.mark.parametrize(
    ("text", "expected"), [("the family had no home.", True), (FIRST, False), ("- and then.", True)]
)
def test_starts_in_lower_case(text, expected):
    assert starts_in_lower_case(text) is expected


def test_title_is_file_name():
    assert title_is_file_name("000_061062a55a416d00", "000_061062a55a416d00.txt")
    assert title_is_file_name("child m briefing", "child-m_briefing.pdf")
    assert not title_is_file_name("Child M: learning", "child-m-briefing.pdf")


def test_the_screen_warns_from_the_report_and_from_its_own_checks(imported):
    first, second, _ = imported["entries"]
    second.text = "the family had no permanent home."
    second.save()
    source = imported["source"]
    source.import_report = {
        "warnings": [
            {"candidate": entry_key(first), "code": "x", "message": "Test warning from the importer."},
            {"candidate": None, "code": "y", "message": "Test warning about the document."},
        ]
    }
    source.title = "test briefing"
    source.save()
    screen = triage_screen(imported["review"])
    warned = {c.entry.pk: c.warnings for c in screen.candidates}
    assert warned[first.pk] == ["Test warning from the importer."]
    assert "lower case" in warned[second.pk][0]
    joined = " ".join(screen.review_warnings)
    assert "Test warning about the document." in joined
    assert "recommendations heading, but no recommendations" in joined
    assert "file's name" in joined


# ---------------------------------------------------------------------------
# The screen
# ---------------------------------------------------------------------------


def triage(review):
    return reverse("admin:reviews_review_triage", args=[review.pk])


def test_the_screen_shows_sections_in_order_with_their_entries(editor_client, imported):
    response = editor_client.get(triage(imported["review"]))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.index("Key learning") < html.index(FIRST) < html.index(SECOND) < html.index(">Recommendations<")
    assert 'name="kind" value="case_fact"' in html
    assert "Put back as a learning point" in html
    assert f'action="{triage(imported["review"])}"' in html


def test_the_change_form_and_the_import_message_link_to_the_screen(editor_client, imported):
    html = editor_client.get(reverse("admin:reviews_review_change", args=[imported["review"].pk])).content.decode()
    assert f'href="{triage(imported["review"])}"' in html and "Check the import" in html


def test_only_staff_who_may_change_reviews_see_it(client, staff_client, imported):
    url = triage(imported["review"])
    assert client.get(url).status_code == 302  # to the sign-in page
    assert staff_client.get(url).status_code == 403
    assert (
        staff_client.post(
            url, {"action": "kind", "entry": entry_key(imported["entries"][0]), "kind": "key_fact"}
        ).status_code
        == 403
    )
    assert LearningPoint.objects.get(pk=imported["entries"][0].pk).kind == "learning"


def test_a_post_needs_the_csrf_token(imported, editor):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    response = client.post(
        triage(imported["review"]), {"action": "kind", "entry": entry_key(imported["entries"][0]), "kind": "key_fact"}
    )
    assert response.status_code == 403
    assert LearningPoint.objects.get(pk=imported["entries"][0].pk).kind == "learning"


def test_a_kind_change_redirects_to_the_new_entry_with_a_message(editor_client, imported):
    point = imported["entries"][0]
    response = editor_client.post(
        triage(imported["review"]), {"action": "kind", "entry": entry_key(point), "kind": "case_fact"}, follow=True
    )
    fact = CaseFact.objects.get()
    assert response.redirect_chain[-1][0] == f"{triage(imported['review'])}#c-casefact-{fact.pk}"
    assert "Recorded as case fact (was learning)." in response.content.decode()


@pytest.mark.parametrize(
    "data",
    [
        {"action": "kind", "entry": "reviews.learningpoint:999999", "kind": "case_fact"},
        {"action": "kind", "entry": "nonsense", "kind": "case_fact"},
        {"action": "kind", "entry": "reviews.learningpoint:99999999999999999999999", "kind": "case_fact"},
        {"action": "heading", "selected": ["ENTRY"], "section": "99999999999999999999999"},
        {"action": "theme", "entry": "ENTRY", "theme": "99999999999999999999999", "decision": "accept"},
        {"action": "kind", "entry": "ENTRY", "kind": "poem"},
        {"action": "split", "entry": "ENTRY", "words": "not in the text"},
        {"action": "split", "entry": "ENTRY", "at": "3"},
        {"action": "split", "entry": "ENTRY"},
        {"action": "merge", "entry": "ENTRY", "next": "reviews.learningpoint:999999"},
        {"action": "heading", "section": "1"},
        {"action": "heading", "selected": ["ENTRY"], "section": "x"},
        {"action": "theme", "entry": "ENTRY", "theme": "x", "decision": "accept"},
        {"action": "put-back", "index": "99"},
        {"action": "partnership", "name": "Test", "area": "Test"},
        {"action": "theme-create", "name": "Test"},
        {"action": "unknown"},
        {},
    ],
)
def test_bad_input_gives_a_message_and_writes_nothing(editor_client, imported, data):
    key = entry_key(imported["entries"][0])
    data = {
        k: ([key if x == "ENTRY" else x for x in v] if isinstance(v, list) else key if v == "ENTRY" else v)
        for k, v in data.items()
    }
    before = (
        LearningPoint.objects.count(),
        CaseFact.objects.count(),
        Theme.objects.count(),
        Partnership.objects.count(),
    )
    response = editor_client.post(triage(imported["review"]), data, follow=True)
    assert response.status_code == 200
    assert 'class="error"' in response.content.decode()
    after = (
        LearningPoint.objects.count(),
        CaseFact.objects.count(),
        Theme.objects.count(),
        Partnership.objects.count(),
    )
    assert after == before
    assert LearningPoint.objects.get(pk=imported["entries"][0].pk).text == FIRST


@pytest.mark.parametrize("same_source", [False, True])
def test_an_entry_of_another_review_is_refused(editor_client, imported, same_source):
    source = imported["source"] if same_source else make_source()
    other = LearningPoint.objects.create(review=make_review(status="draft"), source=source, text="Other.")
    url = triage(imported["review"])
    editor_client.post(url, {"action": "kind", "entry": entry_key(other), "kind": "case_fact"})
    editor_client.post(url, {"action": "heading", "selected": [entry_key(other)], "section": imported["recs"].pk})
    other.refresh_from_db()
    assert other.section is None


def test_the_screen_splits_merges_moves_and_decides_themes(editor_client, imported):
    url = triage(imported["review"])
    first, second, third = imported["entries"]
    editor_client.post(url, {"action": "merge", "entry": entry_key(first), "next": entry_key(second)})
    first.refresh_from_db()
    assert first.text == f"{FIRST}\n{SECOND}"
    editor_client.post(url, {"action": "split", "entry": entry_key(first), "words": "Nobody asked"})
    first.refresh_from_db()
    assert first.text == FIRST and LearningPoint.objects.filter(text=SECOND).exists()
    editor_client.post(url, {"action": "heading", "selected": [entry_key(third)], "section": imported["learning"].pk})
    third.refresh_from_db()
    assert third.section == imported["learning"]
    theme = make_theme()
    first.themes.add(theme)
    editor_client.post(url, {"action": "theme", "entry": entry_key(first), "theme": theme.pk, "decision": "reject"})
    assert not first.themes.exists()


def test_proposals_need_confirmation(editor_client, imported):
    source = imported["source"]
    source.import_report = {
        "partnership_proposal": {"name": "Testshire Children's Partnership", "evidence": "Published by Testshire"},
        "proposed_themes": [
            {"name": "Test proposed theme", "entries": [entry_key(imported["entries"][0])], "why": "Test why"}
        ],
    }
    source.save()
    url = triage(imported["review"])
    page = editor_client.get(url).content.decode()
    assert "Testshire Children&#x27;s Partnership" in page and "Test proposed theme" in page
    confirm = editor_client.get(url + "?confirm=partnership").content.decode()
    assert 'name="area"' in confirm and not Partnership.objects.filter(name__startswith="Testshire").exists()
    editor_client.post(
        url,
        {"action": "partnership", "confirmed": "yes", "name": "Testshire Children's Partnership", "area": "Testshire"},
    )
    assert Partnership.objects.get(name="Testshire Children's Partnership").reviews.get() == imported["review"]
    confirm = editor_client.get(url + "?confirm=theme&index=0").content.decode()
    assert "Practitioners did not share" in confirm
    editor_client.post(
        url,
        {
            "action": "theme-create",
            "confirmed": "yes",
            "name": "Test proposed theme",
            "entries": [entry_key(imported["entries"][0])],
        },
    )
    assert imported["entries"][0].themes.get().name == "Test proposed theme"
    page = editor_client.get(url).content.decode()
    assert "Create this theme" not in page and "Create this partnership" not in page


def test_publish_from_the_screen_says_what_still_has_warnings(editor_client, imported):
    first = imported["entries"][0]
    first.text = "the cut-off start of a sentence."
    first.save()
    url = triage(imported["review"])
    page = editor_client.get(url).content.decode()
    assert "Still with warnings" in page and f'href="#c-learningpoint-{first.pk}"' in page
    response = editor_client.post(url, {"action": "publish"}, follow=True)
    imported["review"].refresh_from_db()
    assert imported["review"].status == PublicationStatus.PUBLISHED
    assert "is published" in response.content.decode()
    # Published: the screen changes nothing any more.
    editor_client.post(url, {"action": "kind", "entry": entry_key(first), "kind": "case_fact"})
    assert LearningPoint.objects.filter(pk=first.pk).exists()


def test_publishing_needs_the_publish_permission(client, imported):
    from django.contrib.auth.models import Permission

    user = make_user("test-changer")
    user.user_permissions.add(Permission.objects.get(codename="change_review"))
    client.force_login(user)
    url = triage(imported["review"])
    assert client.get(url).status_code == 200
    assert client.post(url, {"action": "publish"}).status_code == 403
    imported["review"].refresh_from_db()
    assert imported["review"].status == PublicationStatus.DRAFT


def _bulk_import(n_sections=6, per_section=5):
    source = make_source(status=PublicationStatus.DRAFT, original_text="Test.", file_name=f"bulk-{n_sections}.md")
    review = make_review(status=PublicationStatus.DRAFT)
    review.sources.add(source)
    themes = [make_theme() for _ in range(3)]
    source.import_report = {"suggested_themes": {}, "warnings": []}
    models = [LearningPoint, CaseFact, Recommendation, Action]
    position = 0
    for s in range(n_sections):
        section = make_section(source=source, heading=f"Test section {s}", position=position)
        for e in range(per_section):
            position += 10
            model = models[(s + e) % 4]
            entry = model.objects.create(
                review=review,
                source=source,
                section=section,
                text=f"Test entry {s}-{e}. Second sentence here.",
                position=position,
            )
            entry.themes.add(themes[e % 3])
            source.import_report["suggested_themes"][entry_key(entry)] = [themes[(e + 1) % 3].pk]
            source.import_report["warnings"].append({"candidate": entry_key(entry), "code": "t", "message": "Test."})
        position += 10
    Resource.objects.create(source=source, name="Test resource", section=section, position=position)
    source.save()
    return review


def test_the_screen_reads_in_a_fixed_number_of_queries(editor_client, django_assert_num_queries):
    small, large = _bulk_import(2, 3), _bulk_import(6, 5)  # 6 and 30 entries
    editor_client.get(triage(small))  # the session and permissions cached as on any page
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as counted:
        assert editor_client.get(triage(small)).status_code == 200
    with django_assert_num_queries(len(counted)):
        response = editor_client.get(triage(large))
    assert response.status_code == 200
    assert response.content.decode().count('<article class="kb-candidate') == 31
    # The session (unless it is read from the cache: with Redis, as CI's PostgreSQL pass runs), the user,
    # the review, two for permissions, the source, its sections, each entry model with its themes (8), the
    # resources given as passages.
    session_read = settings.SESSION_ENGINE == "django.contrib.sessions.backends.db"
    with django_assert_num_queries(15 + session_read):
        editor_client.get(triage(large))


def test_moved_entry_content_type_is_the_new_model(imported, editor):
    new = change_kind(imported["entries"][0], "action", user=editor)
    move = MovedEntry.objects.get()
    assert move.content_type == ContentType.objects.get_for_model(Action) and move.object_id == new.pk


def test_the_kept_figures_follow_the_changes(imported, editor):
    """Themes counted per review (``reviews/kept/``) stay right through kind changes, merges and splits."""
    from reviews.kept import pending, writing
    from reviews.services import review_publish

    theme = make_theme()
    first, second, third = imported["entries"]
    first.themes.add(theme)
    third.themes.add(theme)
    recommendation = change_kind(third, "recommendation", user=editor)
    merged = merge_entries(first, second, user=editor)
    split_entry(merged, merged.text.index("Nobody"), user=editor)
    change_kind(recommendation, "left_out", user=editor, reason="test")
    review_publish(review=imported["review"], user=editor)
    pending.flush()
    assert writing.differences() == []
    assert theme in Theme.objects.public()
