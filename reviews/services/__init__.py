"""Writes: publishing, action status, merging themes and tags, importing a briefing.

Each service is a function named ``<entity>_<action>`` with keyword-only
arguments, runs in one transaction, and saves through the models' ``save()``
so that edit history (django-simple-history) records who did what and why
(``history.py``). The admin and the management commands call these; they
never repeat the rules.

- ``publishing``: reviews and sources published and unpublished, an action's status;
- ``merging``: themes and tags merged into another;
- ``tag_folding``: tags that repeat a theme folded into it (an alias; old tag addresses lead to it);
- ``importing``: a briefing stored as a draft review.
"""

from .importing import BriefingImportResult, briefing_import, briefing_import_file, partnership_get_or_create
from .merging import TagMergeResult, ThemeMergeResult, tag_merge, theme_merge, theme_merged_into
from .publishing import action_status_set, review_publish, review_unpublish, source_publish, source_unpublish
from .tag_folding import TagFoldResult, tags_fold

__all__ = [
    "BriefingImportResult",
    "TagFoldResult",
    "TagMergeResult",
    "ThemeMergeResult",
    "action_status_set",
    "briefing_import",
    "briefing_import_file",
    "partnership_get_or_create",
    "review_publish",
    "review_unpublish",
    "source_publish",
    "source_unpublish",
    "tag_merge",
    "tags_fold",
    "theme_merge",
    "theme_merged_into",
]
