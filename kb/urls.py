from django.contrib import admin
from django.contrib.sitemaps.views import index, sitemap
from django.urls import include, path

from reviews.sitemaps import SITEMAPS

admin.site.site_header = "Learning from case reviews: editing"
admin.site.site_title = "Learning from case reviews"
admin.site.index_title = "Knowledge base content"

urlpatterns = [
    path("admin/", admin.site.urls),
    # A sitemap index, and each section's sitemap in pages (reviews/sitemaps.py).
    path(
        "sitemap.xml",
        index,
        {"sitemaps": SITEMAPS, "template_name": "sitemaps/index.xml"},
        name="django.contrib.sitemaps.views.index",
    ),
    path("sitemap-<section>.xml", sitemap, {"sitemaps": SITEMAPS}, name="django.contrib.sitemaps.views.sitemap"),
    path("", include("reviews.urls")),
]

handler400 = "reviews.views.errors.bad_request"
handler404 = "reviews.views.errors.page_not_found"
handler500 = "reviews.views.errors.server_error"
