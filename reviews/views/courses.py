"""Course packs: the public page, the print handout, and Markdown and CSV exports.

Trainers build packs in the admin (``reviews/courses/admin.py``). Every view
reads the pack through ``reviews.courses.selectors.course_pack``, which shows deleted or
unpublished content as "removed": an item that is no longer available, nothing of what it was.
"""

import csv

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string

from ..api.csv import csv_safe, pack_step_row
from ..courses.selectors import course_pack, published_course_packs
from ..models import CoursePack


def _pack_or_404(request, slug):
    try:
        return course_pack(slug=slug, user=request.user)
    except CoursePack.DoesNotExist:
        raise Http404("No published course pack has this address.") from None


def coursepack_index(request):
    return render(request, "courses/coursepack_index.html", {"packs": published_course_packs()})


def coursepack_detail(request, slug):
    pack, steps = _pack_or_404(request, slug)
    return render(request, "courses/coursepack_detail.html", {"pack": pack, "steps": steps})


def coursepack_print(request, slug):
    pack, steps = _pack_or_404(request, slug)
    return render(request, "courses/coursepack_print.html", {"pack": pack, "steps": steps})


def _download(response: HttpResponse, pack: CoursePack, extension: str) -> HttpResponse:
    response["Content-Disposition"] = f'attachment; filename="{pack.slug}.{extension}"'
    return response


def coursepack_markdown(request, slug):
    """The pack as one Markdown file: for slides, a learning platform or a word processor.

    Content keeps its stored Markdown, word for word; removed items only say
    they were removed.
    """
    pack, steps = _pack_or_404(request, slug)
    text = render_to_string("courses/coursepack.md", {"pack": pack, "steps": steps}, request=request)
    return _download(HttpResponse(text, content_type="text/markdown; charset=utf-8"), pack, "md")


CSV_COLUMNS = [
    "step",
    "kind",
    "status",
    "title",
    "text",
    "wording",
    "board",
    "date",
    "source_briefing",
    "section_heading",
    "url",
    "trainer_notes",
]


def coursepack_csv(request, slug):
    """The pack as a spreadsheet, one row per step, in the pack's order."""
    pack, steps = _pack_or_404(request, slug)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    # A byte-order mark so that Excel opens UTF-8 (curly quotes, en dashes) correctly.
    response.write("\ufeff")
    writer = csv.DictWriter(response, fieldnames=CSV_COLUMNS)
    writer.writeheader()
    for number, step in enumerate(steps, start=1):
        row = pack_step_row(step, number=number, absolute=request.build_absolute_uri)
        writer.writerow({key: csv_safe(value) for key, value in row.items()})
    return _download(response, pack, "csv")
