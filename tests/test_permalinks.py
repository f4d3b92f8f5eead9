"""Permanent short links: /lp/, /rec/, /act/, /r/, /t/ and /c/ (issue 7)."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from reviews.models import (
    Action,
    CoursePack,
    LearningPoint,
    PublicationStatus,
    Recommendation,
    Review,
    Theme,
)

from .support.factories import (
    make_action,
    make_learning_point,
    make_partnership,
    make_public_theme,
    make_recommendation,
    make_review,
    make_source,
    make_theme,
)

pytestmark = pytest.mark.django_db


def _items(review):
    point = make_learning_point(review=review)
    recommendation = make_recommendation(review=review)
    action = make_action(recommendation=recommendation)
    return point, recommendation, action


def test_every_kind_of_permalink_redirects_to_its_anchor(client):
    review = make_review()
    point, recommendation, action = _items(review)
    theme = make_public_theme()
    pack = CoursePack.objects.create(slug="test-pack", title="Test pack", status=PublicationStatus.PUBLISHED)
    expected = {
        point.get_permalink(): f"/reviews/{review.slug}/#lp-{point.ref}",
        recommendation.get_permalink(): f"/reviews/{review.slug}/#rec-{recommendation.ref}",
        action.get_permalink(): f"/reviews/{review.slug}/#act-{action.ref}",
        review.get_permalink(): f"/reviews/{review.slug}/",
        theme.get_permalink(): f"/themes/{theme.slug}/",
        pack.get_permalink(): "/courses/test-pack/",
    }
    assert [link.split("/")[1] for link in expected] == ["lp", "rec", "act", "r", "t", "c"]
    for link, target in expected.items():
        response = client.get(link)
        assert response.status_code == 302, link
        assert response["Location"] == target


def test_a_cross_cutting_learning_point_links_to_its_source(client):
    source = make_source()
    point = make_learning_point(review=None, source=source)
    response = client.get(point.get_permalink())
    assert response.status_code == 302
    assert response["Location"] == f"/sources/{source.slug}/#lp-{point.ref}"


def test_renamed_review_old_links_land_on_the_right_anchor(client):
    review = make_review(slug="test-old-slug", title="Test review before renaming")
    point, recommendation, action = _items(review)
    links = [point.get_permalink(), recommendation.get_permalink(), action.get_permalink(), review.get_permalink()]

    review.slug = "test-new-slug"
    review.title = "Test review after renaming"
    review.save()

    targets = [client.get(link)["Location"] for link in links]
    assert targets == [
        f"/reviews/test-new-slug/#lp-{point.ref}",
        f"/reviews/test-new-slug/#rec-{recommendation.ref}",
        f"/reviews/test-new-slug/#act-{action.ref}",
        "/reviews/test-new-slug/",
    ]


def test_an_item_moved_to_another_review_follows_it(client):
    first, second = make_review(), make_review()
    point = make_learning_point(review=first)
    point.review = second
    point.save()
    assert client.get(point.get_permalink())["Location"] == f"/reviews/{second.slug}/#lp-{point.ref}"


@pytest.mark.parametrize("kind", ["learning-point", "recommendation", "action", "review", "theme"])
def test_deleted_items_answer_410_with_an_explanation(client, kind):
    review = make_review()
    point, recommendation, action = _items(review)
    obj = {
        "learning-point": point,
        "recommendation": recommendation,
        "action": action,
        "review": review,
        "theme": make_public_theme(),
    }[kind]
    link = obj.get_permalink()
    obj.delete()
    response = client.get(link)
    assert response.status_code == 410
    label = kind.replace("-", " ")
    assert f"This {label} has been removed" in response.content.decode()


def test_a_deleted_entry_points_to_its_review_when_that_still_exists(client):
    review = make_review(title="Test review with a removed entry")
    point = make_learning_point(review=review)
    link = point.get_permalink()
    point.delete()
    page = client.get(link).content.decode()
    assert "It was part of" in page
    assert f'href="{review.get_absolute_url()}"' in page


def test_entries_deleted_with_their_review_answer_410(client):
    review = make_review()
    point, recommendation, action = _items(review)
    links = [point.get_permalink(), recommendation.get_permalink(), action.get_permalink()]
    review.delete()
    assert [client.get(link).status_code for link in links] == [410, 410, 410]


@pytest.mark.parametrize("pk", [999999, 2**63 - 1, 2**63, 10**20])
def test_unknown_ids_answer_404(client, pk):
    """Even past the largest 64-bit id, which would overflow the database driver if it reached a query."""
    for name in ("learning-point", "recommendation", "action", "review", "theme", "coursepack"):
        assert client.get(reverse(f"reviews:{name}-permalink", kwargs={"pk": pk})).status_code == 404


def test_the_removed_page_links_to_the_theme_index(client):
    point = make_learning_point(review=make_review())
    link = point.get_permalink()
    point.delete()
    page = client.get(link).content.decode()
    assert f'href="{reverse("reviews:theme-index")}">browse the themes</a>' in page


def test_drafts_answer_404_to_the_public_and_redirect_staff(client, staff_client):
    review = make_review(status=PublicationStatus.DRAFT)
    point, recommendation, action = _items(review)
    pack = CoursePack.objects.create(slug="test-draft-pack", title="Test draft pack")
    links = [point.get_permalink(), recommendation.get_permalink(), action.get_permalink()]
    links += [review.get_permalink(), pack.get_permalink()]
    assert [client.get(link).status_code for link in links] == [404] * 5
    assert [staff_client.get(link).status_code for link in links] == [302] * 5


def test_a_permalink_takes_a_fixed_number_of_queries(client, django_assert_num_queries):
    review = make_review()
    point = make_learning_point(review=review)
    # Session-less anonymous request: one query for the item with its review and source.
    with django_assert_num_queries(1):
        assert client.get(point.get_permalink()).status_code == 302


def test_models_and_short_links_agree():
    """The permalink kinds cover every model the issue names, and nothing else."""
    from reviews.views.permalinks import PERMALINK_MODELS

    models = {model for model, _label in PERMALINK_MODELS.values()}
    assert models == {LearningPoint, Recommendation, Action, Review, Theme, CoursePack}


# ---------------------------------------------------------------------------
# 'Cite this'
# ---------------------------------------------------------------------------


def test_citation_of_an_entry_names_title_board_date_address_and_access_date():
    import datetime

    from reviews.citations import citation_for

    partnership = make_partnership(name="Test Safeguarding Partnership 77")
    source = make_source(partnership=partnership, published_on=datetime.date(2019, 9, 1), published_precision="month")
    review = make_review(title="Test review 77", partnership=partnership, published_on=datetime.date(2019, 1, 1))
    recommendation = make_recommendation(review=review, source=source, number="3")
    citation = citation_for(
        recommendation, absolute_url="https://kb.example.org/rec/5/", accessed=datetime.date(2025, 5, 4)
    )
    assert (citation.title, citation.board, citation.date) == (
        "Test review 77: recommendation 3",
        "Test Safeguarding Partnership 77",
        "September 2019",
    )
    assert citation.text == (
        "Test Safeguarding Partnership 77 (September 2019) Test review 77: recommendation 3. "
        "Learning from case reviews. Available at: https://kb.example.org/rec/5/ (Accessed: 4 May 2025)."
    )


def test_an_entry_is_cited_by_its_briefing_and_a_review_by_its_own_partnership():
    """Like Child M: Oxfordshire published the review, Swindon wrote the briefing the entries quote."""
    import datetime

    from reviews.citations import citation_for

    reviewing = make_partnership(name="Test Reviewing Board")
    briefing = make_partnership(name="Test Briefing Partnership")
    source = make_source(partnership=briefing, published_on=datetime.date(2019, 9, 1), published_precision="month")
    review = make_review(title="Test review 80", partnership=reviewing, published_on=datetime.date(2019, 1, 1))
    point, recommendation, action = (
        make_learning_point(review=review, source=source),
        make_recommendation(review=review, source=source),
        make_action(review=review, source=source),
    )
    url = "https://kb.example.org/x/"
    for entry in (point, recommendation, action):
        citation = citation_for(entry, absolute_url=url)
        assert (citation.board, citation.date) == ("Test Briefing Partnership", "September 2019")
        assert citation.text.startswith("Test Briefing Partnership (September 2019) Test review 80: ")
    citation = citation_for(review, absolute_url=url)
    assert (citation.board, citation.date) == ("Test Reviewing Board", "2019")


def test_an_entry_of_an_undated_briefing_is_not_given_the_review_date():
    import datetime

    from reviews.citations import citation_for

    review = make_review(partnership=make_partnership(), published_on=datetime.date(2019, 1, 1))
    point = make_learning_point(review=review, source=make_source())
    citation = citation_for(point, absolute_url="https://kb.example.org/lp/1/")
    assert (citation.board, citation.date) == ("", "")
    assert "(n.d.)" in citation.text


def test_child_m_entries_are_cited_by_swindon(client, loaded_kb):
    """The real case the audit found: action child-m-act-04 quotes Swindon's briefing of September 2019."""
    action = Action.objects.get(ref="child-m-act-04")
    assert action.review.partnership.name.startswith("Oxfordshire")
    page = client.get(action.review.get_absolute_url()).content.decode()
    start = page.index(f'id="{action.anchor}"')
    reference = page[page.index("kb-cite__text", start) :]
    reference = reference[: reference.index("</p>")]
    assert "Swindon Safeguarding Partnership (September 2019) Serious Case Review – Child M: action." in reference
    assert "Oxfordshire" not in reference


def test_citation_never_invents_a_board_or_a_date():
    import datetime

    from reviews.citations import citation_for

    source = make_source(title="Test newsletter", publisher_as_stated="The Test Board (not named)")
    point = make_learning_point(review=None, source=source)
    citation = citation_for(point, absolute_url="https://kb.example.org/lp/1/", accessed=datetime.date(2025, 1, 2))
    assert citation.board == "The Test Board (not named)"
    assert citation.date == ""
    assert "(n.d.) Test newsletter: learning point." in citation.text
    theme = citation_for(make_theme(name="Test theme 77"), absolute_url="https://kb.example.org/t/1/")
    assert theme.text.startswith("Learning from case reviews (n.d.) Test theme 77 [theme]. Available at:")


def test_review_page_has_cite_this_on_the_review_and_every_entry(client):
    from django.utils import timezone

    partnership = make_partnership(name="Test Safeguarding Partnership 78")
    review = make_review(title="Test review 78", partnership=partnership)
    point, recommendation, action = _items(review)
    page = client.get(review.get_absolute_url()).content.decode()
    # The review is cited once for the page; each entry has one "Share or cite" control.
    assert page.count(">Cite this<") == 1
    assert page.count(">Share or cite<") == 3
    for item in (review, point, recommendation, action):
        assert f"http://testserver{item.get_permalink()}" in page
    assert "Test Safeguarding Partnership 78" in page
    today = timezone.localdate()
    assert f"(Accessed: {today.day} {today.strftime('%B %Y')})" in page
    assert f'href="{reverse("reviews:review-print", kwargs={"slug": review.slug})}"' in page


def test_each_entry_is_shared_and_cited_in_one_lean_control_with_its_words_escaped(client):
    from django.utils import timezone

    partnership = make_partnership(name="Test Board <b>82</b>")
    source = make_source(title="Test briefing <i>82</i>", partnership=partnership)
    review = make_review(title="Test review <script>82</script>", partnership=partnership)
    point = make_learning_point(review=review, source=source, text="Test **words** of the point <em>82</em>.")
    page = client.get(review.get_absolute_url()).content.decode()

    control = page[page.index(f'id="{point.anchor}"') :]
    control = control[control.index("data-kb-cite") : control.index("</details>")]
    assert f'href="{point.get_permalink()}" data-kb-copy-link>Copy link' in control
    assert "to learning point: Test words of the point 82." in control  # its words, as plain text
    assert f'href="{source.get_absolute_url()}#from-{point.anchor}">Where this came from in the briefing' in control
    today = timezone.localdate()
    assert (
        'kb-cite__text">Test Board &lt;b&gt;82&lt;/b&gt; (n.d.) Test review &lt;script&gt;82&lt;/script&gt;: '
        f"learning point. Learning from case reviews. Available at: http://testserver{point.get_permalink()} "
        f"(Accessed: {today.day} {today.strftime('%B %Y')}).</p>"
    ) in control
    assert "<script>82" not in page and "<b>82" not in page and "<i>82" not in page


def test_an_entry_on_a_theme_page_links_its_review_and_its_other_themes_with_names_escaped(client):
    theme = make_theme(name="Test theme <b>83</b>")
    other = make_theme(name="Test other theme <i>83</i>")
    review = make_review(title="Test review <u>83</u>", partnership=make_partnership())
    point = make_learning_point(review=review, themes=[theme, other])
    alone = make_learning_point(review=review, themes=[theme])
    page = client.get(theme.get_absolute_url()).content.decode()

    def tools_of(entry):
        start = page.index(f'id="{entry.anchor}"')
        return page[start : page.index("data-kb-cite", start)]

    tools = tools_of(point)
    assert "Themes:</span>" in tools
    # The page's own theme is named, not linked to itself; the other is linked.
    assert '<span class="kb-theme-link kb-theme-link--current">Test theme &lt;b&gt;83&lt;/b&gt;</span>' in tools
    assert (
        f'<a class="govuk-link kb-theme-link" href="{other.get_absolute_url()}">'
        "Test other theme &lt;i&gt;83&lt;/i&gt;</a>"
    ) in tools
    assert (
        f'href="{point.get_absolute_url()}">Read it in the review'
        '<span class="govuk-visually-hidden">: Test review &lt;u&gt;83&lt;/u&gt;</span></a>'
    ) in tools
    assert "Theme:</span>" in tools_of(alone)
    assert "<b>83" not in page and "<i>83" not in page and "<u>83" not in page


def test_theme_page_offers_the_briefing_a_citation_and_oembed_discovery(client):
    theme = make_theme(name="Test theme 79")
    make_learning_point(review=make_review(partnership=make_partnership()), themes=[theme])
    page = client.get(theme.get_absolute_url()).content.decode()
    assert f'href="{reverse("reviews:theme-print", kwargs={"slug": theme.slug})}"' in page
    assert ">Cite this<" in page
    assert (
        '<link rel="alternate" type="application/json+oembed" '
        f'href="http://testserver/oembed/?url=http%3A%2F%2Ftestserver%2Fthemes%2F{theme.slug}%2F&amp;format=json"'
    ) in page


def test_a_course_pack_is_cited_by_its_author_and_the_date_it_last_changed(client):
    import datetime

    from django.utils import timezone

    from reviews.citations import citation_for

    trainer = get_user_model().objects.create_user("test-trainer-81", first_name="Test", last_name="Trainer")
    pack = CoursePack.objects.create(
        slug="test-pack-81", title="Test pack 81", owner=trainer, status=PublicationStatus.PUBLISHED
    )
    changed = datetime.datetime(2025, 3, 12, 10, 0, tzinfo=datetime.UTC)
    CoursePack.objects.filter(pk=pack.pk).update(updated_at=changed)
    pack.refresh_from_db()
    citation = citation_for(pack, absolute_url="https://kb.example.org/c/1/", accessed=datetime.date(2025, 5, 4))
    assert (citation.board, citation.date) == ("Test Trainer", "12 March 2025")
    assert citation.text.startswith("Test Trainer (12 March 2025) Test pack 81 [course pack]. Learning from case")

    page = client.get(pack.get_absolute_url()).content.decode()
    assert ">Author</dt>" in page and ">Test Trainer</dd>" in page
    assert ">12 March 2025</dd>" in page
    assert "Not named in the briefing" not in page and "(n.d.)" not in page
    today = timezone.localdate()
    assert f"(Accessed: {today.day} {today.strftime('%B %Y')})" in page


def test_a_course_pack_without_a_recorded_author_says_so():
    from reviews.citations import citation_for

    # A login name may be an e-mail address: it is never published as the author.
    no_name = get_user_model().objects.create_user("test-trainer-82@example.invalid")
    unnamed = CoursePack.objects.create(slug="test-pack-82", title="Test pack 82", owner=no_name)
    assert citation_for(unnamed, absolute_url="https://kb.example.org/c/2/").board == ""
    orphan = CoursePack.objects.create(slug="test-pack-83", title="Test pack 83")
    citation = citation_for(orphan, absolute_url="https://kb.example.org/c/3/")
    assert (citation.board, citation.board_missing) == ("", "Not recorded")
    assert citation.date  # the date it last changed is always known


# ---------------------------------------------------------------------------
# Only what was once public may say it was removed (410); a deleted draft is 404
# ---------------------------------------------------------------------------


def _status(client, links):
    return [client.get(link).status_code for link in links]


def _publish(review, status=PublicationStatus.PUBLISHED):
    review.status = status
    review.save()


def test_a_deleted_draft_entry_answers_404_like_an_id_never_used(client, staff_client):
    """Guards /lp/, /rec/, /act/: an entry of a review never published was never public, so its
    deletion is not revealed (410 would say an entry with that number existed)."""
    review = make_review(status=PublicationStatus.DRAFT)
    make_review()  # something else is published: irrelevant
    items = _items(review)
    links = [item.get_permalink() for item in items]
    for item in items:
        item.delete()
    assert _status(client, links) == [404] * 3
    assert _status(staff_client, links) == [404] * 3


def test_a_deleted_draft_review_and_its_entries_answer_404(client):
    """Guards /r/<id>/ and its entries' links when a review is deleted without ever being published."""
    review = make_review(status=PublicationStatus.DRAFT)
    links = [review.get_permalink(), *(item.get_permalink() for item in _items(review))]
    review.delete()
    assert _status(client, links) == [404] * 4


def test_a_review_unpublished_then_deleted_still_says_removed(client):
    """Guards the other side: once published, a review and its entries answer 410 when deleted,
    even if unpublished first."""
    review = make_review()
    links = [review.get_permalink(), *(item.get_permalink() for item in _items(review))]
    _publish(review, PublicationStatus.DRAFT)
    review.delete()
    assert _status(client, links) == [410] * 4


def test_an_entry_written_in_a_draft_that_was_published_later_says_removed(client):
    """Guards the history rule: the entry existed while its review was published, though it was written before."""
    review = make_review(status=PublicationStatus.DRAFT)
    point = make_learning_point(review=review)
    _publish(review)
    link = point.get_permalink()
    point.delete()
    assert client.get(link).status_code == 410


def test_an_entry_added_after_its_review_was_unpublished_answers_404(client):
    """Guards the history rule: the review was published once, but never while this entry was in it."""
    review = make_review()
    _publish(review, PublicationStatus.DRAFT)
    point = make_learning_point(review=review)
    link = point.get_permalink()
    point.delete()
    assert client.get(link).status_code == 404


def test_an_entry_moved_out_of_a_published_review_says_removed(client):
    """Guards the history rule: an entry once in a published review was public, wherever it went after."""
    published, draft = make_review(), make_review(status=PublicationStatus.DRAFT)
    recommendation = make_recommendation(review=published)
    recommendation.review = draft
    recommendation.save()
    link = recommendation.get_permalink()
    recommendation.delete()
    assert client.get(link).status_code == 410


def test_an_entry_moved_from_one_draft_to_another_answers_404(client):
    """Guards the history rule: moving between drafts while a third review is published does not count."""
    first, second = make_review(status=PublicationStatus.DRAFT), make_review(status=PublicationStatus.DRAFT)
    make_review()
    point = make_learning_point(review=first)
    point.review = second
    point.save()
    link = point.get_permalink()
    point.delete()
    assert client.get(link).status_code == 404


@pytest.mark.parametrize(("status", "expected"), [(PublicationStatus.DRAFT, 404), (PublicationStatus.PUBLISHED, 410)])
def test_deleted_learning_tied_to_no_review_follows_its_source(client, status, expected):
    """Guards the history rule for cross-cutting learning: public when its source was published."""
    point = make_learning_point(review=None, source=make_source(status=status))
    link = point.get_permalink()
    point.delete()
    assert client.get(link).status_code == expected


@pytest.mark.parametrize(
    ("review_status", "expected"), [(PublicationStatus.DRAFT, 404), (PublicationStatus.PUBLISHED, 410)]
)
def test_a_deleted_theme_says_removed_only_if_a_public_entry_was_on_it(client, review_status, expected):
    """Guards /t/<id>/ and the theme card: a theme only drafts used (or none) was never public."""
    theme = make_theme(slug="test-theme-deleted-later")
    make_learning_point(review=make_review(status=review_status), themes=[theme])
    links = [theme.get_permalink(), reverse("reviews:theme-embed", kwargs={"slug": theme.slug})]
    theme.delete()
    assert _status(client, links) == [expected] * 2


def test_a_deleted_empty_theme_answers_404(client):
    """Guards /t/<id>/: a theme nothing was ever filed under was never public."""
    theme = make_theme()
    link = theme.get_permalink()
    theme.delete()
    assert client.get(link).status_code == 404


@pytest.mark.parametrize(("status", "expected"), [(PublicationStatus.DRAFT, 404), (PublicationStatus.PUBLISHED, 410)])
def test_a_deleted_course_pack_says_removed_only_if_it_was_published(client, status, expected):
    """Guards /c/<id>/: a draft pack deleted is as unknown as a number never used."""
    pack = CoursePack.objects.create(slug="test-pack-deleted", title="Test pack deleted", status=status)
    link = pack.get_permalink()
    pack.delete()
    assert client.get(link).status_code == expected


def test_a_deleted_draft_learning_points_card_is_404(client):
    """Guards /embed/lp/<id>/: the card of a deleted draft says nothing was there."""
    point = make_learning_point(review=make_review(status=PublicationStatus.DRAFT), text="Test secret wording.")
    url = reverse("reviews:learning-point-embed", kwargs={"pk": point.pk})
    point.delete()
    response = client.get(url)
    assert response.status_code == 404
    assert "removed" not in response.content.decode()
