"""Atom feed of new and updated reviews (``/feeds/reviews.atom``).

A review counts as updated when it or any of its entries changed
(``reviews.selectors.history.with_last_updated``), so a corrected learning point reaches
subscribers too. Each entry's id is the review's permanent link, which
survives a change of title or slug, so a feed reader never shows a renamed
review twice.

Text stored without ``save()`` (a bulk update) may still hold control
characters XML 1.0 cannot, which Django's feed writer refuses with an error:
``CleanAtom1Feed`` cleans every value it is given first
(``reviews.text_cleaning``), so the feed never fails on stored text.
"""

from django.contrib.syndication.views import Feed
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from ..citations import SITE_NAME
from ..selectors.feeds import recently_updated_reviews
from ..text_cleaning import clean_text

FEED_LENGTH = 50


def _cleaned(value):
    """``value`` with every string in it cleaned (``clean_text``): in lists, tuples and dicts too."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, list | tuple):
        return type(value)(_cleaned(inner) for inner in value)
    if isinstance(value, dict):
        return {key: _cleaned(inner) for key, inner in value.items()}
    return value


class CleanAtom1Feed(Atom1Feed):
    """Atom, with every text of the feed and its entries cleaned of control characters.

    Cleaned on the way in, not as the XML is written: attributes (a category's
    ``term``) would otherwise be written invalid without an error.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*_cleaned(args), **_cleaned(kwargs))

    def add_item(self, *args, **kwargs):
        super().add_item(*_cleaned(args), **_cleaned(kwargs))


class ReviewsFeed(Feed):
    """One instance per request (see ``reviews_feed``), so it may keep the request."""

    feed_type = CleanAtom1Feed
    title = f"{SITE_NAME}: new and updated reviews"
    subtitle = (
        "Safeguarding case reviews added to the knowledge base or changed, newest change first. "
        "Each entry keeps the wording of the briefing it came from."
    )
    author_name = SITE_NAME

    def get_object(self, request, *args, **kwargs):
        self.request = request
        return None

    def link(self):
        return reverse("reviews:home")

    def feed_url(self):
        return reverse("reviews:reviews-feed")

    def items(self):
        return recently_updated_reviews(limit=FEED_LENGTH)

    def item_title(self, review):
        return review.title

    def item_description(self, review):
        return render_to_string("reuse/feed_review.html", {"review": review})

    def item_link(self, review):
        return review.get_absolute_url()

    def item_guid(self, review):
        return self.request.build_absolute_uri(review.get_permalink())

    item_guid_is_permalink = True

    def item_pubdate(self, review):
        return review.first_published_at or review.created_at

    def item_updateddate(self, review):
        return review.last_updated

    def item_author_name(self, review):
        return review.partnership.name if review.partnership else None

    def item_categories(self, review):
        return [review.get_review_type_display()]


def reviews_feed(request):
    return ReviewsFeed()(request)
