"""The read-only open-data API: JSON, and CSV of the same records.

``/api/v1/<endpoint>/`` lists, ``/api/v1/<endpoint>/<id>/`` is one record,
``/api/v1/<endpoint>.csv`` (or ``?format=csv``) downloads every matching
record. What each endpoint returns and accepts is in ``reviews/api/``; the
README's "Open data" section documents it with examples.

Thin: a form reads the query string, a selector finds the objects, and the
view writes them as JSON or CSV.
"""

from __future__ import annotations

import csv
import io
import logging
from collections.abc import Iterable
from functools import wraps
from itertools import chain, islice

from django.core import signals
from django.core.exceptions import SuspiciousOperation
from django.http import HttpResponse, JsonResponse, StreamingHttpResponse
from django.urls import reverse
from django.utils.log import log_response
from django.views.decorators.csrf import csrf_exempt

from ..addresses import Links
from ..api.csv import csv_rows
from ..api.endpoints import ENDPOINTS, Endpoint
from ..api.errors import INTERNAL_ERROR_MESSAGE, ApiError, api_error_for, error_response, json_response
from ..api.params import DEFAULT_PAGE_SIZE, MAX_OFFSET, MAX_PAGE_SIZE, RecordParams
from ..api.selectors import endpoint_chunks, endpoint_fits_one_chunk, endpoint_object, endpoint_page
from ..middleware_http import answers_every_method

ALLOWED_METHODS = ("GET", "HEAD")
# CSV rows sent together: few enough to keep memory flat, enough to keep writes few.
CSV_LINES_PER_CHUNK = 200


def method_not_allowed(message: str) -> JsonResponse:
    """405 in JSON, with the ``Allow`` header RFC 9110 (section 15.5.6) asks for."""
    response = json_response({"error": {"status": 405, "message": message}}, status=405)
    response["Allow"] = ", ".join(ALLOWED_METHODS)
    return response


def exception_response(request, exc: Exception) -> JsonResponse:
    """The JSON answer to an exception raised while answering ``request``.

    Logged as Django logs the HTML answers it would otherwise give
    (``django.core.handlers.exception.response_for_exception``): a suspicious
    request to ``django.security``; an unexpected exception with its
    traceback to ``django.request`` (which e-mails the site's admins), after
    telling ``got_request_exception`` listeners (error trackers, and the test
    client, which raises it in the test).
    """
    error = api_error_for(exc)
    if error is not None:
        response = error_response(error)
        if isinstance(exc, SuspiciousOperation):
            logger = logging.getLogger(f"django.security.{exc.__class__.__name__}")
            log_response(str(exc), exception=exc, request=request, response=response, level="error", logger=logger)
        return response
    signals.got_request_exception.send(sender=None, request=request)
    response = error_response(ApiError(INTERNAL_ERROR_MESSAGE, status=500))
    log_response("%s: %s", response.reason_phrase, request.path, response=response, request=request, exception=exc)
    return response


def api_view(view):
    """Answer errors, and any method but GET or HEAD, with a JSON body.

    Every exception becomes a JSON error (``exception_response``): a 400 for
    a request the API cannot read, a 500 for a fault on the site's side;
    never Django's HTML pages.

    CSRF-exempt: the API changes nothing and uses no cookie, and without the
    exemption a POST from a script or ``curl`` would get Django's HTML 403
    CSRF page (the middleware runs before the view) instead of the JSON 405.
    """

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method not in ALLOWED_METHODS:
            return method_not_allowed("The API is read-only: use GET.")
        try:
            return view(request, *args, **kwargs)
        except Exception as exc:
            return exception_response(request, exc)

    return answers_every_method(csrf_exempt(wrapped))


def _absolute(request):
    return request.build_absolute_uri


def _links(request) -> Links:
    """The addresses of this request's records (each kind reversed once)."""
    return Links(request.build_absolute_uri)


@api_view
def api_index(request):
    absolute = _absolute(request)
    return json_response(
        {
            "name": "Learning from case reviews: open data",
            "version": "1",
            "documentation": "See the 'Open data' section of the project's README.",
            "endpoints": {
                name: {
                    "label": endpoint.label,
                    "url": absolute(reverse("reviews:api-list", kwargs={"endpoint": name})),
                    "csv_url": absolute(reverse("reviews:api-list-csv", kwargs={"endpoint": name})),
                    "filters": endpoint.filter_help,
                }
                for name, endpoint in ENDPOINTS.items()
            },
            "pagination": {
                "page": f"1 or more, as far as the first {MAX_OFFSET:,} records",
                "page_size": f"1 to {MAX_PAGE_SIZE}, default {DEFAULT_PAGE_SIZE}",
                "after": "a record's id: the records after it (what 'next' gives beyond the pages)",
            },
        }
    )


def _endpoint(name: str) -> Endpoint:
    endpoint = ENDPOINTS.get(name)
    if endpoint is None:
        raise ApiError(f"There is no endpoint '{name[:40]}'. See /api/v1/.", status=404)
    return endpoint


@api_view
def api_list(request, endpoint, csv_download=False):
    endpoint = _endpoint(endpoint)
    params = endpoint.params(request.GET, default_format="csv" if csv_download else "json")
    params.check()
    absolute = _absolute(request)
    if params.response_format == "csv":
        filters = params.filters()
        # At most one chunk: sent whole (the page cache keeps it, with its ETag, as any page). More are
        # streamed, the header at once and each chunk as it is read.
        whole = endpoint_fits_one_chunk(endpoint, filters=filters)
        objects = chain.from_iterable(endpoint_chunks(endpoint, filters=filters, one_chunk=whole))
        return _csv(endpoint, objects, _links(request), filename=f"{endpoint.name}.csv", stream=not whole)

    links = _links(request)
    number, page_size, after = (params.cleaned_data[name] for name in ("page", "page_size", "after"))
    listing = endpoint_page(endpoint, filters=params.filters(), number=number, size=page_size, after=after)
    count = listing.count
    num_pages = None if count is None else max(-(-count // page_size), 1)
    if not listing.objects and after is None and number > 1:
        pages = (
            ""
            if num_pages is None
            else f": there {'is' if num_pages == 1 else 'are'} {num_pages} page" + ("" if num_pages == 1 else "s")
        )
        raise ApiError(f"There is no page {number}{pages}.", parameter="page")

    def page_url(**changes):
        query = request.GET.copy()
        for name in ("page", "after"):
            query.pop(name, None)
        query.update({name: str(value) for name, value in changes.items()})
        return absolute(f"{request.path}?{query.urlencode()}")

    if not listing.has_next:
        following = None
    elif after is None and number * page_size < MAX_OFFSET:
        following = page_url(page=number + 1)
    else:
        # Past the records 'page' reaches, or already reading by id: on from the last id read.
        following = page_url(after=listing.last_id)
    return json_response(
        {
            "count": count,
            "page": number if after is None else None,
            "page_size": page_size,
            "num_pages": num_pages,
            "next": following,
            "previous": page_url(page=number - 1) if after is None and number > 1 else None,
            "results": [endpoint.record(obj, links) for obj in listing.objects],
        }
    )


def _csv(endpoint: Endpoint, objects: Iterable, links: Links, *, filename: str, stream: bool = False) -> HttpResponse:
    """The records of ``objects`` as CSV: whole, or with ``stream`` sent as they are read (the header at
    once, then ``CSV_LINES_PER_CHUNK`` rows at a time), so that memory stays flat however many there are."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def taken() -> bytes:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text.encode()

    def chunks():
        rows = csv_rows(endpoint.csv_columns, (endpoint.record(obj, links) for obj in objects))
        # A byte-order mark so that Excel opens UTF-8 (curly quotes, en dashes) correctly.
        buffer.write("\ufeff")
        writer.writerow(next(rows))
        if stream:
            yield taken()  # the first byte before the first query
            for batch in iter(lambda: list(islice(rows, CSV_LINES_PER_CHUNK)), []):
                writer.writerows(batch)
                yield taken()
        else:
            writer.writerows(rows)
            yield taken()

    content_type = "text/csv; charset=utf-8"
    response = StreamingHttpResponse(chunks(), content_type=content_type) if stream else None
    if response is None:
        response = HttpResponse(b"".join(chunks()), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Access-Control-Allow-Origin"] = "*"
    return response


@api_view
def api_detail(request, endpoint, pk):
    endpoint = _endpoint(endpoint)
    params = RecordParams(request.GET)
    params.check()
    obj = endpoint_object(endpoint, pk=pk)
    if obj is None:
        raise ApiError(f"There is no published record {pk} in {endpoint.name}.", status=404)
    if params.response_format == "csv":
        return _csv(endpoint, [obj], _links(request), filename=f"{endpoint.name}-{obj.pk}.csv")
    return json_response(endpoint.record(obj, _links(request)))


@api_view
def api_not_found(request, rest=""):
    raise ApiError("There is no such address in the API. See /api/v1/.", status=404)


# Each endpoint's single-record URL name is ``api-<name>-detail``.
DETAIL_URL_NAMES = {
    "reviews": "review",
    "themes": "theme",
    "national-themes": "national-theme",
    "learning-points": "learning-point",
    "recommendations": "recommendation",
    "actions": "action",
    "agencies": "agency",
}
