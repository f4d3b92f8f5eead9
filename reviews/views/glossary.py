"""The glossary page: abbreviations and terms the briefings use, in plain English."""

from django.shortcuts import render
from django.urls import reverse

from .. import glossary as glossary_data


def glossary(request):
    return render(
        request,
        "reviews/glossary.html",
        {
            "terms": glossary_data.terms(),
            "breadcrumbs": [("Home", reverse("reviews:home")), ("Glossary", None)],
        },
    )
