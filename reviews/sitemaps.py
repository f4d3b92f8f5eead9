"""``sitemap.xml``: every public page, with when it last changed where that is known.

``/sitemap.xml`` is a sitemap index (https://www.sitemaps.org/protocol.html#index)
listing one sitemap per section (``/sitemap-reviews.xml``...), each in pages of
``PAGE_SIZE`` ids (``?p=2``..., ``IdRangePaginator``), so that no response lists every review
however many there are: a page costs the same at 20,000 reviews as at 20.

Drafts never appear: each section starts from a ``published()`` queryset, or
a ``public()`` one for partnerships and the kept figures' for themes (public
once published content uses them), or lists only what has published content. Nor does a row whose
slug no page address can have (``has_page_address``: only a bulk update could
store one), so that building its link never fails the whole sitemap.
"""

from django.contrib.sitemaps import Sitemap
from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db.models import Exists, Max, Min, OuterRef, QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils.functional import cached_property

from .models import Agency, Collection, CoursePack, NationalTheme, Partnership, Review, Source
from .models.common import has_page_address
from .selectors.common import visible_themes
from .selectors.feeds import recently_updated_reviews
from .selectors.history import with_kept_last_updated

# Ids per sitemap page (``IdRangePaginator``; the protocol allows 50,000 addresses a page): a page of
# 250 took about 25 ms of CPU to build at 20,000 reviews, one of 100 about 10 ms.
PAGE_SIZE = 100


class IdRangePaginator:
    """A section's rows in pages by ranges of ids: page 1 holds the rows whose ids are the ``per_page``
    from the lowest id up, page 2 the next ``per_page`` ids, and so on (a page can hold fewer rows where
    ids are missing: deleted rows, drafts). Each page is read from the primary key's index, and the number
    of pages from its lowest and highest id (one query), so any page costs the same however many rows there
    are, where an ``OFFSET`` reads every row before the page and a count reads them all. A row stays on the
    same page until the lowest id changes.

    What Django's sitemap views use of a ``Paginator``: ``num_pages`` and ``page()``.
    """

    def __init__(self, queryset: QuerySet, per_page: int, prepare):
        # ``prepare``: what a page's rows need beyond the rows themselves (joins, annotations), applied to
        # the page only, so that the lowest and highest ids are read from the index alone.
        self.queryset, self.per_page, self.prepare = queryset, per_page, prepare

    @cached_property
    def _bounds(self) -> tuple[int, int]:
        found = self.queryset.order_by().aggregate(low=Min("pk"), high=Max("pk"))
        return (found["low"], found["high"]) if found["low"] is not None else (1, 0)

    @cached_property
    def num_pages(self) -> int:
        low, high = self._bounds
        return max(1, -(-(high - low + 1) // self.per_page))

    def validate_number(self, number) -> int:
        try:
            number = int(number)
        except (TypeError, ValueError):
            raise PageNotAnInteger("That page number is not an integer") from None
        if number < 1 or number > self.num_pages:
            raise EmptyPage("That page contains no results")
        return number

    def page(self, number) -> Page:
        number = self.validate_number(number)
        start = self._bounds[0] + (number - 1) * self.per_page
        rows = self.prepare(self.queryset.filter(pk__gte=start, pk__lt=start + self.per_page)).order_by("pk")
        return Page(list(rows), number, self)


class PagedSitemap(Sitemap):
    limit = PAGE_SIZE
    # The field of its items saying when each last changed, if they say.
    lastmod_field = ""

    @property
    def paginator(self):
        items = self._items()
        if isinstance(items, QuerySet):
            return IdRangePaginator(items, self.limit, self.prepare_page)
        return Paginator(items, self.limit)

    def prepare_page(self, rows: QuerySet) -> QuerySet:
        """What a page's rows need beyond themselves (``lastmod`` read from another table)."""
        return rows

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
        return Review.objects.published().filter(has_page_address()).order_by("pk")

    def prepare_page(self, rows):
        return with_kept_last_updated(rows)

    def lastmod(self, review):
        return review.last_updated

    def get_latest_lastmod(self):
        # The feed's newest entry: read from the kept figures' index, however many reviews there are.
        latest = recently_updated_reviews(limit=1)
        return latest[0].last_updated if latest else None


class ThemeSitemap(PagedSitemap):
    priority = 0.7

    def items(self):
        # Public themes from their kept figures (``visible_themes``): one join where ``public()`` asks an
        # EXISTS for each kind of entry, which the index (its page count and last change) asks twice.
        return visible_themes(None).filter(has_page_address()).order_by("pk")

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
