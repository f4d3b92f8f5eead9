"""The fixture files themselves: faithful copies of the briefings, one fixture
per briefing, and refs that stay put once published."""

from pathlib import Path

import pytest
from django.conf import settings

from reviews.kb_loading import read_fixtures

FIXTURES = Path(settings.BASE_DIR) / "fixtures"
SHARED_BRIEFINGS = Path(settings.BASE_DIR).parent / "shared" / "briefings"


@pytest.fixture(scope="module")
def fixtures():
    return read_fixtures(FIXTURES)


@pytest.mark.skipif(
    not SHARED_BRIEFINGS.is_dir(),
    reason=(
        "compares fixtures/briefings/ byte for byte with the original briefings in ../shared/briefings/, "
        "which only the project's own workspace has (not a clone elsewhere); the copies in fixtures/ are "
        "still checked against the source fixtures and the loaded content by the other tests"
    ),
)
def test_briefings_are_byte_for_byte_copies_of_the_shared_originals():
    originals = sorted(SHARED_BRIEFINGS.glob("*.txt"))
    assert len(originals) == 5
    copies = sorted((FIXTURES / "briefings").glob("*.txt"))
    assert [p.name for p in copies] == [p.name for p in originals]
    for original in originals:
        assert (FIXTURES / "briefings" / original.name).read_bytes() == original.read_bytes(), original.name


def test_each_briefing_has_exactly_one_source_fixture(fixtures):
    files = sorted(source.data["file"] for source in fixtures.sources)
    assert files == sorted(p.name for p in (FIXTURES / "briefings").glob("*.txt"))


def published_refs() -> tuple[list[str], dict[str, str]]:
    """The refs in ``published_refs.txt``: those in use, and those moved (old ref → new ref)."""
    present, moved = [], {}
    for line in (FIXTURES / "published_refs.txt").read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        old, sep, new = line.partition(" moved to ")
        if sep:
            moved[old] = new
        else:
            present.append(line)
    return present, moved


def current_refs(fixtures) -> dict[str, object]:
    return {
        item.data["ref"]: item
        for item in fixtures.sections
        + fixtures.resources
        + fixtures.case_facts
        + fixtures.learning_points
        + fixtures.recommendations
        + fixtures.actions
    }


def test_published_refs_are_never_removed_or_renumbered(fixtures):
    """A published ref is either still in use, or moved to one that is."""
    present, moved = published_refs()
    current = current_refs(fixtures)
    missing = [ref for ref in present if ref not in current]
    assert not missing, f"Published link anchors removed or renamed: {missing}"
    lost = {old: new for old, new in moved.items() if new not in current}
    assert not lost, f"Published refs moved to refs that are not in the fixtures: {lost}"
    still_used = [old for old in moved if old in current]
    assert not still_used, f"Refs listed as moved but still in use: {still_used}"
    unlisted = sorted(set(current) - set(present) - set(moved.values()))
    assert not unlisted, f"List new refs in fixtures/published_refs.txt: {unlisted}"


def test_moved_refs_are_recorded_where_the_loader_reads_them(fixtures):
    """Each move listed in published_refs.txt is the fixtures' own: the item with the new ref
    ``replaces`` the old one (so load_kb records the move and the old permanent link follows),
    and every ``replaces`` in the fixtures is listed as moved."""
    _present, moved = published_refs()
    replaces = {
        item.data["replaces"]: item.data["ref"] for item in current_refs(fixtures).values() if item.data.get("replaces")
    }
    assert replaces == moved


def test_every_source_states_its_exclusions_with_reasons(fixtures):
    for slug, passages in fixtures.excluded.items():
        for passage in passages:
            assert passage["reason"].strip(), f"{slug}: excluded passage without a reason"
