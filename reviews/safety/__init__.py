"""The publication safety check: before a review is published, find in its
texts what may identify someone (names, dates of birth, addresses, postcodes,
telephone numbers, e-mail addresses, NHS numbers, school names), and have an
editor confirm each finding.

- ``detectors``: one text in, matches out (``find_in_text``);
- ``names``: which words are first names (Faker's lists) and which ordinary words;
- ``texts``: every text of a review and what is published with it;
- ``check``: a review's findings, keyed, and which are still to confirm;
- ``confirming``: recording confirmations, and publishing only when all are.

It helps an editor; it cannot prove that a text identifies no one.
"""

from .check import CheckResult, Finding, review_check, review_findings
from .confirming import FindingsChanged, UnconfirmedFindings, findings_confirm, review_publish_checked
from .detectors import KIND_LABELS, Kind, Match, find_in_text

__all__ = [
    "KIND_LABELS",
    "CheckResult",
    "Finding",
    "FindingsChanged",
    "Kind",
    "Match",
    "UnconfirmedFindings",
    "find_in_text",
    "findings_confirm",
    "review_check",
    "review_findings",
    "review_publish_checked",
]
