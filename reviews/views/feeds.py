"""Atom feed of new and updated reviews (``/feeds/reviews.atom``).

A review counts as updated when it or any of its entries changed
(``reviews.selectors.history.with_last_updated``), so a corrected learning point reaches
subscribers too. Each entry's id is the review's permanent link, which
survives a change of title or slug, so a feed reader never shows a renamed
review twice.
"""

from django.contrib.syndication.views import Feed
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from ..citations import SITE_NAME
from ..selectors.feeds import recently_updated_reviews

FEED_LENGTH = 50


class ReviewsFeed(Feed):
    """One instance per request (see ``reviews_feed``), so it may keep the request."""

    feed_type = Atom1Feed
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
