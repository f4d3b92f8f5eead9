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


def test_published_refs_are_never_removed_or_renumbered(fixtures):
    published = [
        line.strip()
        for line in (FIXTURES / "published_refs.txt").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    current = {
        item.data["ref"]
        for item in fixtures.sections
        + fixtures.resources
        + fixtures.case_facts
        + fixtures.learning_points
        + fixtures.recommendations
        + fixtures.actions
    }
    missing = [ref for ref in published if ref not in current]
    assert not missing, f"Published link anchors removed or renamed: {missing}"
    unlisted = sorted(current - set(published))
    assert not unlisted, f"List new refs in fixtures/published_refs.txt: {unlisted}"


def test_every_source_states_its_exclusions_with_reasons(fixtures):
    for slug, passages in fixtures.excluded.items():
        for passage in passages:
            assert passage["reason"].strip(), f"{slug}: excluded passage without a reason"
