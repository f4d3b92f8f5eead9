"""``sitemap.xml``: every public page, with when it last changed where that is known.

``/sitemap.xml`` is a sitemap index (https://www.sitemaps.org/protocol.html#index)
listing one sitemap per section (``/sitemap-reviews.xml``...), each in pages of
``PAGE_SIZE`` addresses (``?p=2``...), so that no response lists every review
however many there are: a page costs the same at 20,000 reviews as at 20.

Drafts never appear: each section starts from a ``published()`` queryset, or
a ``public()`` one for themes and partnerships (public once published content
uses them), or lists only what has published content. Nor does a row whose
slug no page address can have (``has_page_address``: only a bulk update could
store one), so that building its link never fails the whole sitemap.
"""

from django.contrib.sitemaps import Sitemap
from django.core.paginator import Paginator
from django.db.models import Exists, Max, OuterRef
from django.urls import NoReverseMatch, reverse

from .models import Agency, Collection, CoursePack, NationalTheme, Partnership, Review, Source, Theme
from .models.common import has_page_address
from .selectors.common import knowledge_base_holdings
from .selectors.feeds import recently_updated_reviews
from .selectors.history import with_kept_last_updated

# Addresses per sitemap page (the protocol allows 50,000; a page of 250 is built in about 20 ms).
PAGE_SIZE = 250


class PagedSitemap(Sitemap):
    limit = PAGE_SIZE
    # The field of its items saying when each last changed, if they say.
    lastmod_field = ""

    def known_count(self) -> int | None:
        """How many items there are, where that is kept rather than counted (None: count them)."""
        return None

    @property
    def paginator(self):
        found = Paginator(self._items(), self.limit)
        count = self.known_count()
        if count is not None:
            found.count = count  # a cached property: set, it is never counted
        return found

    def get_latest_lastmod(self):
        """The latest change among all the items, for the index: one query, not a pass over every item
        (Django's default reads them all)."""
        if not self.lastmod_field:
            return None
        return self.items().order_by().aggregate(latest=Max(self.lastmod_field))["latest"]


# Index pages, by URL name. A name that does not resolve is skipped, so the
# sitemap never fails because a page is renamed.
INDEX_PAGES = [
    "reviews:home",
    "reviews:theme-index",
    "reviews:themes-over-time",
    "reviews:agency-index",
    "reviews:national-theme-index",
    "reviews:review-index",
    "reviews:source-index",
    "reviews:partnership-index",
    "reviews:coursepack-index",
]


class IndexSitemap(PagedSitemap):
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


class ReviewSitemap(PagedSitemap):
    priority = 0.7

    def items(self):
        return with_kept_last_updated(Review.objects.published().filter(has_page_address())).order_by("pk")

    def lastmod(self, review):
        return review.last_updated

    def known_count(self):
        # The published reviews, as kept (``KnowledgeBaseFigures``): counting them is a pass over every
        # review. A review whose slug no address can have (only a bulk update stores one) is left out of
        # the pages but still counted, so the last page can be one short (or, at worst, empty: a 404).
        return knowledge_base_holdings().reviews

    def get_latest_lastmod(self):
        # The feed's newest entry: read from the kept figures' index, however many reviews there are.
        latest = recently_updated_reviews(limit=1)
        return latest[0].last_updated if latest else None


class ThemeSitemap(PagedSitemap):
    priority = 0.7

    def items(self):
        return Theme.objects.public().filter(has_page_address()).order_by("pk")

    lastmod_field = "updated_at"

    def lastmod(self, theme):
        return theme.updated_at


class AgencySitemap(PagedSitemap):
    """Each profession's page (``/for/<agency>/``); the list is the knowledge base's own, so all are public."""

    priority = 0.6

    def items(self):
        return Agency.objects.public().filter(has_page_address()).order_by("pk")


class SourceSitemap(PagedSitemap):
    priority = 0.5

    def items(self):
        return Source.objects.published().filter(has_page_address()).order_by("pk")

    lastmod_field = "updated_at"

    def lastmod(self, source):
        return source.updated_at


class PartnershipSitemap(PagedSitemap):
    priority = 0.4

    def items(self):
        return Partnership.objects.public().filter(has_page_address()).order_by("pk")


class CollectionSitemap(PagedSitemap):
    priority = 0.4

    def items(self):
        return Collection.objects.filter(
            has_page_address(), Exists(Review.objects.published().filter(collection=OuterRef("pk")))
        ).order_by("pk")


class CoursePackSitemap(PagedSitemap):
    priority = 0.5

    def items(self):
        return CoursePack.objects.published().filter(has_page_address()).order_by("pk")

    lastmod_field = "updated_at"

    def lastmod(self, pack):
        return pack.updated_at


class NationalThemeSitemap(PagedSitemap):
    """Every national theme: its page lists the public local themes under it (or says there are none yet)."""

    priority = 0.5

    def items(self):
        return (
            NationalTheme.objects.filter(has_page_address(), has_page_address("framework__slug"))
            .select_related("framework")
            .order_by("pk")
        )


SITEMAPS = {
    "pages": IndexSitemap,
    "reviews": ReviewSitemap,
    "themes": ThemeSitemap,
    "professions": AgencySitemap,
    "national-themes": NationalThemeSitemap,
    "sources": SourceSitemap,
    "partnerships": PartnershipSitemap,
    "collections": CollectionSitemap,
    "courses": CoursePackSitemap,
}
