"""The real briefings as test input, and made-up briefings of a given size."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent

BRIEFINGS_DIR = next(
    (path for path in (ROOT / "fixtures" / "briefings", Path("/work/shared/briefings")) if path.is_dir()),
    ROOT / "fixtures" / "briefings",
)
BRIEFINGS = sorted(BRIEFINGS_DIR.glob("0*.txt"))


def read(name: str) -> str:
    return (BRIEFINGS_DIR / name).read_text(encoding="utf-8")


def briefing_with(n: int) -> str:
    """A briefing giving ``n`` recommendations (the entries with most form fields).

    Addressed ("All - ...") rather than numbered: a briefing numbers at most 99.
    """
    addressed = "\n\n".join(
        f"All - Test agencies should make sure practitioners record decision {i} and share it promptly."
        for i in range(1, n + 1)
    )
    return f"Test review briefing\n\nRecommendations\n\n{addressed}\n"


def kinds_and_texts(parsed) -> list[tuple[str, str]]:
    """A parsed briefing's candidates as (kind, text), in the document's order."""
    return [(candidate.kind, candidate.text) for candidate in parsed.candidates]
