"""The publication safety check of a review: what it found, and which of
its findings an editor has still to confirm."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from ..models import Review, SafetyConfirmation
from .detectors import KIND_LABELS, find_in_text
from .texts import Place, review_texts

# Characters of context shown either side of what was found.
CONTEXT = 90


@dataclass(frozen=True)
class Finding:
    key: str
    kind: str
    text: str  # the words found, as written
    location: str  # stable: the model, the record and the field
    where: str  # in words
    edit_url: str
    before: str  # the passage up to the words...
    after: str  # ...and after them
    why: str
    occurrences: int = 1

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]

    @property
    def passage(self) -> str:
        return f"{self.before}{self.text}{self.after}"


def finding_key(*, kind: str, location: str, text: str) -> str:
    """Stable while the words found and where they are stay the same."""
    words = " ".join(text.split())
    return hashlib.sha256(f"{kind}\x1f{location}\x1f{words}".encode()).hexdigest()[:40]


def _around(text: str, start: int, end: int) -> tuple[str, str]:
    """The words either side of ``text[start:end]``, cut at a word boundary."""
    before = text[max(0, start - CONTEXT) : start]
    after = text[end : end + CONTEXT]
    if start - CONTEXT > 0:
        before = "…" + re.sub(r"^\S*\s", "", before, count=1)
    if end + CONTEXT < len(text):
        after = re.sub(r"\s\S*$", "", after) + "…"
    return " ".join(before.split(" ")).replace("\n", " "), after.replace("\n", " ")


def place_findings(place: Place) -> list[Finding]:
    """What the check finds in one text; the same words found twice in it are one finding."""
    findings: dict[str, Finding] = {}
    for match in find_in_text(place.text):
        key = finding_key(kind=match.kind, location=place.location, text=match.text)
        if key in findings:
            old = findings[key]
            findings[key] = Finding(**{**old.__dict__, "occurrences": old.occurrences + 1})
            continue
        before, after = _around(place.text, match.start, match.end)
        findings[key] = Finding(
            key=key,
            kind=match.kind,
            text=match.text,
            location=place.location,
            where=place.where,
            edit_url=place.edit_url,
            before=before,
            after=after,
            why=match.why,
        )
    return list(findings.values())


def review_findings(review: Review) -> list[Finding]:
    """Everything the check finds in a review's texts, in reading order."""
    findings: list[Finding] = []
    seen: set[str] = set()
    for place in review_texts(review):
        for finding in place_findings(place):
            if finding.key not in seen:
                seen.add(finding.key)
                findings.append(finding)
    return findings


@dataclass(frozen=True)
class CheckResult:
    review: Review
    to_confirm: list[Finding]
    confirmed: list[tuple[Finding, SafetyConfirmation]]

    @property
    def findings(self) -> list[Finding]:
        return self.to_confirm + [finding for finding, _ in self.confirmed]

    @property
    def all_confirmed(self) -> bool:
        return not self.to_confirm


def review_check(review: Review) -> CheckResult:
    """The check of ``review``: its findings, split into those an editor has
    still to confirm and those already confirmed (with who and when)."""
    findings = review_findings(review)
    confirmations = {
        confirmation.key: confirmation
        for confirmation in SafetyConfirmation.objects.filter(
            review=review, key__in=[finding.key for finding in findings]
        ).select_related("confirmed_by")
    }
    return CheckResult(
        review=review,
        to_confirm=[finding for finding in findings if finding.key not in confirmations],
        confirmed=[(finding, confirmations[finding.key]) for finding in findings if finding.key in confirmations],
    )
