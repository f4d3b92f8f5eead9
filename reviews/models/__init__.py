"""The knowledge base's data model. Import from ``reviews.models``.

Shaped by what published case-review briefings contain:

- a ``Partnership`` (safeguarding board or partnership) publishes a ``Source``
  (one briefing document, kept with its full original text);
- a ``Review`` (serious case review, practice review, thematic briefing...) is
  drawn from one or more sources and may belong to a ``Collection`` (one
  newsletter covering several children);
- a review's ``CaseFact``s, ``LearningPoint``s and ``Recommendation``s, and the
  ``Action``s that answer them, each keep the ``Source`` they came from and
  the ``Section`` of it they sit under (its heading as printed, and its role:
  the case, learning, recommendations...), in the briefing's order;
- ``Theme``s (with the ``ThemeAlias`` headings different boards use) cut across
  reviews; ``Resource``s are the protocols, procedures, training and contact
  points a briefing names.

Everything fixtures refer to has a natural key, so fixtures never depend on
primary keys. Publication rules live in the querysets (``published()``,
``visible_to(user)``), written once in ``common.PublishableQuerySet``; themes
and partnerships, which have no status, are public only once published
content uses them (``public()``, ``common.PublicThroughContentQuerySet``).

One module per family: ``common`` (statuses, partial dates, references,
managers and querysets shared by all), ``publishers``, ``themes``,
``reviews``, ``sections``, ``entries``, ``agencies`` (the professions entries
are addressed to), ``courses``, ``editorial``, ``search``, ``tracking``,
``kept`` (counts and relations kept in step with the content), ``usage`` (evidence that
learning was used, for staff; counts for the public), ``safety`` (confirmations of the
publication safety check), ``recommendation_links`` (a recommendation repeating or
replacing an earlier one), ``national`` (national theme frameworks and the crosswalk
from themes to them) and ``guides`` (a theme's overview and practice points in the
knowledge base's own words, each citing the entries it rests on).
"""

# isort: off
# In this order, models register with Django in the order they always have
# (which sets the order of content types, permissions and dumpdata output).
from .common import (
    REF_HELP,
    DatePrecision,
    PublicationStatus,
    PublicThroughContentQuerySet,
    PublishableQuerySet,
    format_partial_date,
    new_ref,
)
from .publishers import OriginalAddressOrigin, Partnership, Resource, Source
from .themes import Theme, ThemeAlias, ThemeMerge
from .agencies import ALL_AGENCIES, Agency
from .reviews import Collection, Review, TaggedReview
from .sections import Section
from .entries import THEMED_ENTRIES, Action, CaseFact, LearningPoint, Recommendation, ReviewItem
from .editorial import SLUGGED_MODELS, MovedEntry, OldSlug
from .courses import CoursePack, CoursePackItem, ReflectionQuestion, content_label
from .search import SearchEntry, SearchEntryTheme, SearchIndexState, SearchWord
from .tracking import ActionUpdate
from .kept import KnowledgeBaseFigures, ReviewFigures, ThemeFigures, ThemeLink, ThemePair
from .national import NationalTheme, ThemeFramework, ThemeNationalLink
from .usage import LearningUse
from .safety import SafetyConfirmation
from .guides import GuideClaim, ThemeGuide
from .recommendation_links import RecommendationLink

# isort: on

__all__ = [
    "ALL_AGENCIES",
    "REF_HELP",
    "SLUGGED_MODELS",
    "THEMED_ENTRIES",
    "Action",
    "ActionUpdate",
    "Agency",
    "CaseFact",
    "Collection",
    "CoursePack",
    "CoursePackItem",
    "DatePrecision",
    "GuideClaim",
    "KnowledgeBaseFigures",
    "LearningPoint",
    "LearningUse",
    "MovedEntry",
    "NationalTheme",
    "OldSlug",
    "OriginalAddressOrigin",
    "Partnership",
    "PublicThroughContentQuerySet",
    "PublicationStatus",
    "PublishableQuerySet",
    "Recommendation",
    "RecommendationLink",
    "ReflectionQuestion",
    "Resource",
    "Review",
    "ReviewFigures",
    "ReviewItem",
    "SafetyConfirmation",
    "SearchEntry",
    "SearchEntryTheme",
    "SearchIndexState",
    "SearchWord",
    "Section",
    "Source",
    "TaggedReview",
    "Theme",
    "ThemeAlias",
    "ThemeFigures",
    "ThemeFramework",
    "ThemeGuide",
    "ThemeLink",
    "ThemeMerge",
    "ThemeNationalLink",
    "ThemePair",
    "content_label",
    "format_partial_date",
    "new_ref",
]
