"""What a load did, for ``manage.py load_kb`` to print: counts per model of
rows created, updated and unchanged, and the rows it left alone."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.db import models

from ..models import (
    Action,
    Agency,
    CaseFact,
    Collection,
    GuideClaim,
    LearningPoint,
    NationalTheme,
    Partnership,
    Recommendation,
    Resource,
    Review,
    Section,
    Source,
    Theme,
    ThemeAlias,
    ThemeFramework,
    ThemeGuide,
    ThemeNationalLink,
)

# What the report calls each model, in loading order.
LABELS: dict[type[models.Model], tuple[str, str]] = {
    Partnership: ("partnership", "partnerships"),
    Agency: ("agency", "agencies"),
    Source: ("source", "sources"),
    Theme: ("theme", "themes"),
    ThemeAlias: ("theme alias", "theme aliases"),
    ThemeFramework: ("national theme framework", "national theme frameworks"),
    NationalTheme: ("national theme", "national themes"),
    ThemeNationalLink: ("national theme link", "national theme links"),
    Collection: ("collection", "collections"),
    Review: ("review", "reviews"),
    Section: ("section", "sections"),
    Resource: ("resource", "resources"),
    CaseFact: ("case fact", "case facts"),
    LearningPoint: ("learning point", "learning points"),
    Recommendation: ("recommendation", "recommendations"),
    Action: ("action", "actions"),
    ThemeGuide: ("theme guide", "theme guides"),
    GuideClaim: ("guide sentence or point", "guide sentences and points"),
}


@dataclass
class LoadReport:
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    unchanged: Counter = field(default_factory=Counter)
    stale: list[str] = field(default_factory=list)  # rows no longer in the fixtures
    pruned: Counter = field(default_factory=Counter)
    kept_edits: list[str] = field(default_factory=list)  # rows editors changed, left as they are
    kept_deleted: list[str] = field(default_factory=list)  # rows editors deleted, not created again
    moved: list[str] = field(default_factory=list)  # slugs editors changed or themes they merged
    fixture_moves: list[str] = field(default_factory=list)  # themes renamed or merged, entries replaced

    @property
    def changed(self) -> bool:
        return bool(
            sum(self.created.values()) or sum(self.updated.values()) or sum(self.pruned.values()) or self.fixture_moves
        )

    @staticmethod
    def _describe(counter: Counter) -> str:
        parts = []
        for model, (singular, plural) in LABELS.items():
            count = counter.get(model, 0)
            if count:
                parts.append(f"{count} {singular if count == 1 else plural}")
        return ", ".join(parts) or "nothing"

    def total(self, model: type[models.Model]) -> int:
        return self.created[model] + self.updated[model] + self.unchanged[model]

    def summary(self) -> str:
        if not self.changed:
            everything = Counter({model: self.total(model) for model in LABELS})
            lines = [f"No changes: {self._describe(everything)} already up to date."]
        else:
            lines = [
                f"Created: {self._describe(self.created)}.",
                f"Updated: {self._describe(self.updated)}.",
                f"Unchanged: {self._describe(self.unchanged)}.",
            ]
        if self.pruned:
            lines.append(f"Deleted (no longer in the fixtures): {self._describe(self.pruned)}.")
        if self.kept_edits:
            lines.append(
                f"Kept as editors left them ({len(self.kept_edits)}; the fixtures differ, "
                "run with --overwrite-edits to put the fixtures' version back):"
            )
            lines.extend(f"  {line}" for line in self.kept_edits)
        if self.kept_deleted:
            lines.append(f"Deleted by editors, not created again ({len(self.kept_deleted)}):")
            lines.extend(f"  {line}" for line in self.kept_deleted)
        if self.fixture_moves:
            lines.append(f"Moved as the fixtures say, old links following ({len(self.fixture_moves)}):")
            lines.extend(f"  {line}" for line in self.fixture_moves)
        if self.moved:
            lines.append(f"Found under a new address ({len(self.moved)}):")
            lines.extend(f"  {line}" for line in self.moved)
        return "\n".join(lines)
