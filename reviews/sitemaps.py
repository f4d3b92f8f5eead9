"""``sitemap.xml``: every public page, with when it last changed where that is known.

Drafts never appear: each section starts from a ``published()`` queryset, or
a ``public()`` one for themes and partnerships (public once published content
uses them), or lists only what has published content. Nor does a row whose
slug no page address can have (``has_page_address``: only a bulk update could
store one), so that building its link never fails the whole sitemap.
"""

from django.contrib.sitemaps import Sitemap
from django.db.models import Exists, OuterRef
from django.urls import NoReverseMatch, reverse

from .models import Collection, CoursePack, Partnership, Review, Source, Theme
from .models.common import has_page_address
from .selectors.history import with_last_updated

# Index pages, by URL name. A name that does not resolve is skipped, so the
# sitemap never fails because a page is renamed.
INDEX_PAGES = [
    "reviews:home",
    "reviews:theme-index",
    "reviews:review-index",
    "reviews:source-index",
    "reviews:partnership-index",
    "reviews:coursepack-index",
]


class IndexSitemap(Sitemap):
    priority = 0.8
    changefreq = "weekly"

    def items(self):
        names = []
        for name in INDEX_PAGES:
            try:
                reverse(name)
            except NoReverseMatch:
                continue
            names.append(name)
        return names

    def location(self, item):
        return reverse(item)


class ReviewSitemap(Sitemap):
    priority = 0.7

    def items(self):
        return with_last_updated(Review.objects.published().filter(has_page_address())).order_by("pk")

    def lastmod(self, review):
        return review.last_updated


class ThemeSitemap(Sitemap):
    priority = 0.7

    def items(self):
        return Theme.objects.public().filter(has_page_address()).order_by("pk")

    def lastmod(self, theme):
        return theme.updated_at


class SourceSitemap(Sitemap):
    priority = 0.5

    def items(self):
        return Source.objects.published().filter(has_page_address()).order_by("pk")

    def lastmod(self, source):
        return source.updated_at


class PartnershipSitemap(Sitemap):
    priority = 0.4

    def items(self):
        return Partnership.objects.public().filter(has_page_address()).order_by("pk")


class CollectionSitemap(Sitemap):
    priority = 0.4

    def items(self):
        return Collection.objects.filter(
            has_page_address(), Exists(Review.objects.published().filter(collection=OuterRef("pk")))
        ).order_by("pk")


class CoursePackSitemap(Sitemap):
    priority = 0.5

    def items(self):
        return CoursePack.objects.published().filter(has_page_address()).order_by("pk")

    def lastmod(self, pack):
        return pack.updated_at


SITEMAPS = {
    "pages": IndexSitemap,
    "reviews": ReviewSitemap,
    "themes": ThemeSitemap,
    "sources": SourceSitemap,
    "partnerships": PartnershipSitemap,
    "collections": CollectionSitemap,
    "courses": CoursePackSitemap,
}
