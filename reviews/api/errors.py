"""What a request the API cannot answer becomes: always a JSON error, never an HTML page.

A view raises ``ApiError`` for what it refuses (a bad parameter, an unknown
record); ``api_error_for`` says what Django's own exceptions mean to the API
(a 404, a 403, a request too malformed to read); anything else is a fault on
the site's side, answered with a JSON 500 (``reviews.views.api.api_view``).
The site's 400 and 500 handlers answer JSON too for an address under
``API_PREFIX`` (``reviews.views.errors``), for errors raised before a view runs.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import BadRequest, PermissionDenied, SuspiciousOperation
from django.http import Http404, JsonResponse
from django.http.multipartparser import MultiPartParserError

# Every address under this is the API's: ``reviews/urls.py`` sends any the API
# does not know to ``api_not_found``.
API_PREFIX = "/api/"

INTERNAL_ERROR_MESSAGE = "Something went wrong on our side and the request was not answered. Please try again later."


class ApiError(Exception):
    """A request the API cannot answer; becomes a JSON error response."""

    def __init__(self, message: str, *, status: int = 400, parameter: str | None = None):
        super().__init__(message)
        self.message = message
        self.status = status
        self.parameter = parameter

    def as_dict(self) -> dict[str, Any]:
        error: dict[str, Any] = {"status": self.status, "message": self.message}
        if self.parameter:
            error["parameter"] = self.parameter
        return {"error": error}


def is_api_request(request) -> bool:
    return request.path.startswith(API_PREFIX)


def json_response(data, *, status: int = 200) -> JsonResponse:
    response = JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})
    # Open data: any web page may read it.
    response["Access-Control-Allow-Origin"] = "*"
    return response


def error_response(error: ApiError) -> JsonResponse:
    return json_response(error.as_dict(), status=error.status)


def api_error_for(exc: Exception) -> ApiError | None:
    """The ``ApiError`` an exception raised while answering means, or None for an unexpected one (a 500).

    The same statuses Django gives these exceptions
    (``django.core.handlers.exception.response_for_exception``).
    """
    if isinstance(exc, ApiError):
        return exc
    if isinstance(exc, Http404):
        return ApiError("There is no such address in the API. See /api/v1/.", status=404)
    if isinstance(exc, PermissionDenied):
        return ApiError("This is not open to you.", status=403)
    if isinstance(exc, BadRequest | SuspiciousOperation | MultiPartParserError):
        # Too many parameters (DATA_UPLOAD_MAX_NUMBER_FIELDS), a body too large, a malformed request.
        return ApiError("The request could not be read: check its address and parameters.", status=400)
    return None
