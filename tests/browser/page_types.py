"""One address for each page type, taken from the loaded knowledge base.

Addresses are looked up from the real content (the theme found in the most
reviews, a review of it, that review's source...) rather than written out, so
the browser tests follow the content as it is edited.
"""

from django.db.models import Count
from django.urls import reverse
from taggit.models import Tag

from reviews.models import Collection, Partnership, Review, Source, Theme
from reviews.selectors import with_theme_counts


def busiest_theme() -> Theme:
    return with_theme_counts(Theme.objects.all()).order_by("-review_count", "-learning_count", "name").first()


def page_type_urls() -> dict[str, str]:
    """{page type: path} for every page type of the practitioner site."""
    theme = busiest_theme()
    review = Review.objects.published().filter(learning_points__themes=theme).order_by("-year").first()
    source = Source.objects.published().filter(reviews=review).first()
    collection = Collection.objects.filter(reviews__status="published").distinct().first()
    partnership = Partnership.objects.annotate(n=Count("reviews")).order_by("-n").first()
    tag = Tag.objects.filter(review__status="published").annotate(n=Count("review")).order_by("-n", "name").first()
    filtered = f"{reverse('reviews:review-index')}?theme={theme.slug}&year=not-a-year"
    return {
        "home": reverse("reviews:home"),
        "theme-index": reverse("reviews:theme-index"),
        "themes-over-time": reverse("reviews:themes-over-time"),
        "theme": theme.get_absolute_url(),
        "review-index": reverse("reviews:review-index"),
        "review-index-filtered": filtered,
        "review": review.get_absolute_url(),
        "review-by-theme": review.get_absolute_url() + "?view=themes",
        "collection": collection.get_absolute_url(),
        "source-index": reverse("reviews:source-index"),
        "source": source.get_absolute_url(),
        "partnership-index": reverse("reviews:partnership-index"),
        "partnership": partnership.get_absolute_url(),
        "tag-index": reverse("reviews:tag-index"),
        "glossary": reverse("reviews:glossary"),
        "profession-index": reverse("reviews:agency-index"),
        "profession": reverse("reviews:agency-detail", args=["police"]),
        "tag": reverse("reviews:tag-detail", args=[tag.slug]),
        "not-found": "/themes/no-such-theme/",
    }
