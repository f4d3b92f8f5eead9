from django.urls import path

from .views import agencies, api, courses, embeds, feeds, glossary, national, pages, permalinks, search
from .views import print as print_views

app_name = "reviews"

urlpatterns = [
    # Practitioner pages
    path("", pages.home, name="home"),
    path("themes/", pages.theme_index, name="theme-index"),
    # Before a theme's address, which would otherwise take it (a theme slugged "over-time" would be hidden).
    path("themes/over-time/", pages.themes_over_time, name="themes-over-time"),
    path("themes/<slug:slug>/", pages.theme_detail, name="theme-detail"),
    path("reviews/", pages.review_index, name="review-index"),
    path("reviews/<slug:slug>/", pages.review_detail, name="review-detail"),
    path("collections/<slug:slug>/", pages.collection_detail, name="collection-detail"),
    path("sources/", pages.source_index, name="source-index"),
    path("sources/<slug:slug>/", pages.source_detail, name="source-detail"),
    path("partnerships/", pages.partnership_index, name="partnership-index"),
    path("partnerships/<slug:slug>/", pages.partnership_detail, name="partnership-detail"),
    path("tags/", pages.tag_index, name="tag-index"),
    path("tags/<slug:slug>/", pages.tag_detail, name="tag-detail"),
    path("glossary/", glossary.glossary, name="glossary"),
    # Views by profession (issue 17)
    path("for/", agencies.agency_index, name="agency-index"),
    path("for/<slug:slug>/", agencies.agency_detail_page, name="agency-detail"),
    path("for/<slug:slug>/print/", agencies.agency_print, name="agency-print"),
    path("national-themes/", national.national_theme_index, name="national-theme-index"),
    path("national-themes/<slug:framework>/<slug:slug>/", national.national_theme_detail, name="national-theme-detail"),
    # Search
    path("search/", search.search, name="search"),
    # Permanent short links
    path("lp/<int:pk>/", permalinks.permalink, {"kind": "learning-point"}, name="learning-point-permalink"),
    path("rec/<int:pk>/", permalinks.permalink, {"kind": "recommendation"}, name="recommendation-permalink"),
    path("act/<int:pk>/", permalinks.permalink, {"kind": "action"}, name="action-permalink"),
    path("r/<int:pk>/", permalinks.permalink, {"kind": "review"}, name="review-permalink"),
    path("t/<int:pk>/", permalinks.permalink, {"kind": "theme"}, name="theme-permalink"),
    # Reuse: printable briefings, course packs, embeds, open data, feeds (issue 7)
    path("reviews/<slug:slug>/print/", print_views.review_print, name="review-print"),
    path("themes/<slug:slug>/print/", print_views.theme_print, name="theme-print"),
    path("courses/", courses.coursepack_index, name="coursepack-index"),
    path("courses/<slug:slug>/", courses.coursepack_detail, name="coursepack-detail"),
    path("courses/<slug:slug>/print/", courses.coursepack_print, name="coursepack-print"),
    path("courses/<slug:slug>/export.md", courses.coursepack_markdown, name="coursepack-markdown"),
    path("courses/<slug:slug>/export.csv", courses.coursepack_csv, name="coursepack-csv"),
    path("c/<int:pk>/", permalinks.permalink, {"kind": "coursepack"}, name="coursepack-permalink"),
    path("embed/lp/<int:pk>/", embeds.learning_point_embed, name="learning-point-embed"),
    path("embed/theme/<slug:slug>/", embeds.theme_embed, name="theme-embed"),
    path("oembed/", embeds.oembed, name="oembed"),
    path("feeds/reviews.atom", feeds.reviews_feed, name="reviews-feed"),
    path("api/v1/", api.api_index, name="api-index"),
    path("api/v1/<slug:endpoint>.csv", api.api_list, {"csv_download": True}, name="api-list-csv"),
    path("api/v1/<slug:endpoint>/", api.api_list, name="api-list"),
    *(
        path(f"api/v1/{endpoint}/<int:pk>/", api.api_detail, {"endpoint": endpoint}, name=f"api-{name}-detail")
        for endpoint, name in api.DETAIL_URL_NAMES.items()
    ),
    path("api/<path:rest>", api.api_not_found, name="api-not-found"),
]
