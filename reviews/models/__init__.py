"""Models, split by concern. Import from ``reviews.models``."""

from .content import (  # noqa: F401
    REF_HELP,
    Action,
    CaseFact,
    Collection,
    DatePrecision,
    LearningPoint,
    Partnership,
    PublicationStatus,
    Recommendation,
    Resource,
    Review,
    ReviewItem,
    Source,
    Theme,
    ThemeAlias,
    format_partial_date,
    new_ref,
)
from .editorial import SLUGGED_MODELS, OldSlug  # noqa: F401
from .courses import CoursePack, CoursePackItem, ReflectionQuestion, content_label  # noqa: F401
from .search import SearchEntry, SearchEntryTheme, SearchIndexState, SearchWord  # noqa: F401
