"""Counts and relations kept in tables, so that no page recomputes them over the whole knowledge base.

Every row here is derived from the content and can be rebuilt from it
(``manage.py rebuild_kept_figures``); ``reviews/kept/`` keeps them in step
with every save, publication, merge and delete. Nobody edits them.

- ``ThemeLink``: a theme is in a review, one row per theme and review, by the
  one rule (``reviews.selectors.common.theme_links``), with how many of the
  review's entries of each kind are on the theme and the review's
  publication, year and order (so a theme's reviews are listed, counted and
  paged from one index).
- ``ThemeFigures``: a theme's public counts (distinct learning,
  recommendations, actions, reviews, first and last year).
- ``ThemePair``: how many published reviews two themes share (co-occurring
  themes on a theme's page).
- ``ReviewFigures``: a review's counts of entries and when it or any of its
  entries last changed (the feed's order, the sitemap's dates).

Drafts are kept too (staff see them listed), marked ``published=False``;
every figure counts published content only.
"""

from __future__ import annotations

from django.db import models
from django.db.models import F

from .common import PublishableQuerySet
from .reviews import Review
from .themes import Theme


class KeptQuerySet(PublishableQuerySet):
    """Kept rows carry a copy of their review's publication (``published``)."""

    publication_field = "published"
    published_value = True


class ThemeLink(models.Model):
    """A theme is in a review: one of its case facts, learning points,
    recommendations or actions is on the theme."""

    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="links")
    # No database constraint: when a review is deleted its rows stay until the
    # kept tables are brought up to date (in the same transaction), which needs
    # them to know which themes lose a review.
    review = models.ForeignKey(Review, on_delete=models.DO_NOTHING, db_constraint=False, related_name="theme_links")
    published = models.BooleanField(help_text="Whether the review is published (a copy of its status).")
    # Copies of the review's, so that a theme's reviews are ordered and paged from these rows alone
    # (``review_order``), and its first and last years read from them.
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    published_on = models.DateField(null=True, blank=True)
    title = models.CharField(max_length=300)
    case_facts = models.PositiveIntegerField(default=0)
    learning_points = models.PositiveIntegerField(default=0, help_text="Of every kind, repeats included.")
    distinct_learning = models.PositiveIntegerField(
        default=0, help_text="Learning points that repeat no published learning point on the same theme."
    )
    recommendations = models.PositiveIntegerField(default=0)
    actions = models.PositiveIntegerField(default=0)

    objects = KeptQuerySet.as_manager()

    class Meta:
        # By the columns themselves: ordering by ``review`` would join the reviews (and drop the rows of a
        # deleted review, which must be read to be cleared).
        ordering = ["theme_id", "review_id"]
        constraints = [models.UniqueConstraint(fields=["theme", "review"], name="themelink_unique_theme_review")]

    def __str__(self):
        return f"{self.theme_id} in review {self.review_id}"

    @property
    def entries(self) -> int:
        """How many of the review's entries are on the theme (a cell of the recurring-themes grid)."""
        return self.case_facts + self.learning_points + self.recommendations + self.actions


class ThemeFigures(models.Model):
    """A theme's public counts. Themes no published content uses have none (all zero)."""

    # Not the primary key: dumps (``dumpdata --natural-foreign``) then name the theme by its slug.
    theme = models.OneToOneField(Theme, on_delete=models.CASCADE, related_name="figures")
    learning = models.PositiveIntegerField(
        default=0, help_text="Distinct published learning points (``distinct_learning_about``)."
    )
    recommendations = models.PositiveIntegerField(default=0)
    actions = models.PositiveIntegerField(default=0)
    reviews = models.PositiveIntegerField(default=0, help_text="Published reviews the theme is in.")
    first_year = models.PositiveSmallIntegerField(null=True, blank=True)
    last_year = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["theme_id"]
        verbose_name_plural = "theme figures"

    def __str__(self):
        return f"figures of theme {self.theme_id}"


class ThemePair(models.Model):
    """Two themes found in the same published reviews, and how many. Kept both ways round."""

    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="pairs")
    other = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="+")
    reviews = models.PositiveIntegerField(help_text="Published reviews both themes are in.")

    class Meta:
        ordering = ["theme_id", "-reviews", "other_id"]
        constraints = [
            models.UniqueConstraint(fields=["theme", "other"], name="themepair_unique_theme_other"),
            models.CheckConstraint(condition=~models.Q(theme=F("other")), name="themepair_two_themes"),
        ]

    def __str__(self):
        return f"themes {self.theme_id} and {self.other_id}: {self.reviews}"


class ReviewFigures(models.Model):
    """A review's counts of entries, and when it or any of its entries last changed."""

    # Not the primary key: dumps (``dumpdata --natural-foreign``) then name the review by its slug.
    review = models.OneToOneField(Review, on_delete=models.CASCADE, related_name="figures")
    published = models.BooleanField(help_text="Whether the review is published (a copy of its status).")
    learning_points = models.PositiveIntegerField(default=0, help_text="Of every kind, repeats included.")
    new_learning = models.PositiveIntegerField(
        default=0, help_text="Learning points that repeat no published learning point."
    )
    recommendations = models.PositiveIntegerField(default=0)
    actions = models.PositiveIntegerField(default=0)
    last_updated = models.DateTimeField(
        help_text="The latest change to the review or any of its entries (``with_last_updated``)."
    )

    objects = KeptQuerySet.as_manager()

    class Meta:
        ordering = ["review_id"]
        verbose_name_plural = "review figures"
        indexes = [models.Index(fields=["published", "-last_updated", "-review"], name="reviewfigures_updated")]

    def __str__(self):
        return f"figures of review {self.review_id}"


class KnowledgeBaseFigures(models.Model):
    """What the whole knowledge base holds, in one row: the figures said on the home page, theme pages
    and the over-time page ("what the site holds"), so that no page counts every review to say them.

    Rewritten by counting whenever the kept rows are brought up to date (a write costs a few
    milliseconds more at national scale; a page reads one row).
    """

    # Always 1: there is one row (``kbfigures_one_row``).
    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    reviews = models.PositiveIntegerField(default=0, help_text="Published reviews.")
    partnerships = models.PositiveIntegerField(default=0, help_text="Partnerships with a published review.")
    thematic = models.PositiveIntegerField(default=0, help_text="Published thematic reviews.")
    first_year = models.PositiveSmallIntegerField(null=True, blank=True)
    last_year = models.PositiveSmallIntegerField(null=True, blank=True)
    undated = models.PositiveIntegerField(default=0, help_text="Published reviews with no year.")
    learning_points = models.PositiveIntegerField(
        default=0, help_text="Distinct published learning points (a repeat of a published one is not counted again)."
    )

    class Meta:
        verbose_name_plural = "knowledge base figures"
        constraints = [models.CheckConstraint(condition=models.Q(id=1), name="kbfigures_one_row")]

    def __str__(self):
        return "figures of the whole knowledge base"
