"""load_kb never undoes editors' work: what they changed or deleted in the admin
stays as they left it, and is listed; --overwrite-edits puts the fixtures back."""

import io

import pytest
from django.core.management import call_command

from reviews.models import Action, LearningPoint, PublicationStatus, Review, Theme
from reviews.services import theme_merge

pytestmark = pytest.mark.django_db


def load(**options) -> str:
    out = io.StringIO()
    call_command("load_kb", stdout=out, **options)
    return out.getvalue()


@pytest.fixture
def loaded():
    load()


def save_as(obj, user):
    """Save as the admin does: simple-history records who made the change."""
    obj._history_user = user
    obj.save()


def test_an_action_status_updated_by_an_editor_survives_a_load(loaded, editor):
    action = Action.objects.get(ref="child-m-act-05")
    assert action.status != Action.Status.DONE
    action.status = Action.Status.DONE
    action.evidence_of_impact = "Recorded by the board in its action plan review."
    save_as(action, editor)

    output = load()

    action.refresh_from_db()
    assert action.status == Action.Status.DONE
    assert action.evidence_of_impact == "Recorded by the board in its action plan review."
    assert "Kept as editors left them (1;" in output
    assert "child-m-act-05" in output and "editor" in output
    # Still nothing for the load itself to do, and it says so again next time.
    assert output.startswith("No changes:")
    assert "child-m-act-05" in load()


def test_overwrite_edits_puts_the_fixtures_version_back(loaded, editor):
    action = Action.objects.get(ref="child-m-act-05")
    original = action.status
    action.status = Action.Status.DONE
    save_as(action, editor)

    output = load(overwrite_edits=True)

    action.refresh_from_db()
    assert action.status == original
    assert "Updated: 1 action." in output


def test_a_review_an_editor_unpublished_stays_a_draft(loaded, editor):
    review = Review.objects.get(slug="child-m")
    review.status = PublicationStatus.DRAFT
    save_as(review, editor)

    output = load()

    review.refresh_from_db()
    assert review.status == PublicationStatus.DRAFT
    assert "review 'child-m'" in output or "'child-m'" in output


def test_an_entry_an_editor_deleted_is_not_created_again(loaded, editor):
    point = LearningPoint.objects.get(ref="child-m-lp-03")
    point._history_user = editor
    point.delete()

    output = load()

    assert not LearningPoint.objects.filter(ref="child-m-lp-03").exists()
    assert "Deleted by editors, not created again (1):" in output
    assert "child-m-lp-03" in output

    load(overwrite_edits=True)
    assert LearningPoint.objects.filter(ref="child-m-lp-03").exists()


def test_a_theme_renamed_by_an_editor_is_not_loaded_twice(loaded, editor):
    theme = Theme.objects.get(slug="neglect")
    theme.slug = "neglect-of-children"
    save_as(theme, editor)
    themes_before = Theme.objects.count()

    output = load()

    assert Theme.objects.count() == themes_before
    assert not Theme.objects.filter(slug="neglect").exists()
    assert "'neglect' is now 'neglect-of-children'" in output
    assert LearningPoint.objects.filter(ref="s-and-d-lp-10", themes__slug="neglect-of-children").exists()


def test_a_theme_merged_by_an_editor_stays_merged(loaded, editor):
    merged = Theme.objects.get(slug="males-in-the-family")
    into = Theme.objects.get(slug="think-family")
    theme_merge(themes=[merged], into=into, user=editor)
    themes_before = Theme.objects.count()

    output = load()

    assert Theme.objects.count() == themes_before
    assert not Theme.objects.filter(slug="males-in-the-family").exists()
    assert "'males-in-the-family' is now 'think-family'" in output
    into.refresh_from_db()
    assert into.name != merged.name  # the kept theme is not renamed after the merged one


def test_changes_without_a_person_are_the_loads_to_correct(loaded):
    """A row changed outside the admin (a script, a bad restore) is put back to the fixtures' version."""
    action = Action.objects.get(ref="child-m-act-05")
    original = action.status
    Action.objects.filter(pk=action.pk).update(status=Action.Status.DONE)

    output = load()

    action.refresh_from_db()
    assert action.status == original
    assert "Updated: 1 action." in output
    assert "Kept as editors left them" not in output
