"""Read queries for the practitioner pages, one module per page type.

Every selector runs a fixed number of queries whatever the size of the data
(``tests/test_queries.py`` pins them): related rows come through
``select_related``/``prefetch_related``, never through a query per row, and
counts and relations across the whole knowledge base (a theme's figures, a
theme's reviews, co-occurring themes, related reviews, a review's counts) are
read from the rows kept in step with the content (``reviews/kept/``), never
recomputed from every entry.

Three rules hold throughout:

- **Publication.** Lists shown to a user go through the models'
  ``visible_to(user)`` (staff also see drafts, which the templates mark).
  Counts are always of published content only, for everyone, so a draft is
  never counted.
- **Distinct learning.** A learning point that ``repeats`` another published
  learning point about the same theme (the same paragraph published again in a
  later briefing) is not counted again for that theme; its review still counts
  as a review the theme was found in.
- **A theme is in a review** when one of the review's case facts, learning
  points, recommendations or actions is on it: ``common.theme_links`` is the
  only place that says so, the kept ``ThemeLink`` rows are written from it,
  and every count, filter, grid and list of themes or reviews reads those
  (``reviews_about``, ``themes_by_review``, ``kept_links``...).
"""

from .browse import (
    collection_detail,
    folded_tag_theme,
    partnership_detail,
    partnership_list,
    source_list,
    tag_detail,
    tag_list,
)
from .common import (
    Holdings,
    SubqueryCount,
    distinct_learning_about,
    kept_links,
    knowledge_base_holdings,
    public_totals,
    review_cards,
    review_order,
    reviews_about,
    theme_links,
    with_review_counts,
    with_theme_counts,
)
from .home import recent_reviews, recurrence_grid, themes_with_counts
from .national import national_theme_detail, national_theme_index
from .related_reviews import related_reviews
from .review_index import review_filters, review_index
from .review_page import group_by_theme, review_detail
from .source_page import passage_markdown, place_in_passages, source_detail, split_passages
from .theme_page import theme_detail
from .themes_over_time import themes_over_time

__all__ = [
    "Holdings",
    "SubqueryCount",
    "collection_detail",
    "distinct_learning_about",
    "folded_tag_theme",
    "group_by_theme",
    "kept_links",
    "knowledge_base_holdings",
    "national_theme_detail",
    "national_theme_index",
    "partnership_detail",
    "partnership_list",
    "passage_markdown",
    "place_in_passages",
    "public_totals",
    "recent_reviews",
    "recurrence_grid",
    "related_reviews",
    "review_cards",
    "review_detail",
    "review_filters",
    "review_index",
    "review_order",
    "reviews_about",
    "source_detail",
    "source_list",
    "split_passages",
    "tag_detail",
    "tag_list",
    "theme_detail",
    "theme_links",
    "themes_over_time",
    "themes_with_counts",
    "with_review_counts",
    "with_theme_counts",
]
