"""The probe, kept: odd input at every address of the site never gets a 5xx.

Every URL pattern of the project (``get_resolver().url_patterns``, the admin
and the API included) is requested with odd values for each of its path
converters, with odd values for the query parameters its views read, and
with methods it does not answer (without a CSRF token); the admin both
signed in as staff and anonymously. Whatever the answer (a 404, a 400, a
405, a redirect to sign in), it is never a 5xx, and no page echoes a
``<script>`` it was sent unescaped.

Odd values are sampled rather than combined exhaustively: every value of a
list is tried on every kind of address (public pages, API, admin), each
pattern gets several, and the admin's ~150 patterns (built by the same code
for every model) fewer than the site's own. The choice is fixed, so a
failure repeats.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote, urlencode

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Manager
from django.test import Client
from django.urls import URLResolver, get_resolver

from reviews.api.endpoints import ENDPOINTS
from reviews.models import (
    CaseFact,
    Collection,
    CoursePack,
    CoursePackItem,
    PublicationStatus,
    ReflectionQuestion,
    Resource,
    ThemeAlias,
)

from .support.factories import (
    make_action,
    make_learning_point,
    make_partnership,
    make_recommendation,
    make_review,
    make_source,
    make_theme,
)

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script>"

# Odd values for each kind of path converter, already written as they would be in an address.
ODD_PATH_VALUES = {
    "slug": [
        "a%00b",
        "..",
        "%2e%2e%2f%2e%2e",
        "%C3%BCn%C3%AFc%C3%B6de",  # ünïcödé
        "x" * 3000,
        quote(SCRIPT, safe=""),
        "a%0Bb",
        "-",
        "CAPITALS_and_underscores",
    ],
    "int": ["0", "-1", "99999999999999999999", "9" * 5000, "1e3", "%00", "%D9%A3"],  # ... an Arabic-Indic three
    "path": [
        "a%00b",
        "..%2F..%2Fetc%2Fpasswd",
        "-1",
        "99999999999999999999",
        "%C3%BC",
        "x" * 3000,
        "1%0B",
        quote(SCRIPT, safe=""),
    ],
}
ODD_PATH_VALUES["str"] = ODD_PATH_VALUES["path"]
ODD_PATH_VALUES["choice"] = ["nosuchapp", "a%00b", "x" * 3000]

# Every parameter is given a NUL (PostgreSQL refuses one in any query), then others in turn.
NUL = "a\x00b"
ODD_QUERY_VALUES = [
    "\x00",
    "x" * 5000,
    "99999999999999999999",
    "-1",
    "0",
    SCRIPT,
    "%",
    "ünïcödé",
    "",
    "1e3",
    "\x0b\x1b",
    "a" * 201,
]

# The query parameters each address's views read, by URL name (a prefix for the admin's).
API_PARAMETERS = sorted({name for endpoint in ENDPOINTS.values() for name in endpoint.params.base_fields})
PAGE = ["page"]
QUERY_PARAMETERS = {
    "search": ["q", "type", "theme", "review", "partnership", "year", "page"],
    "review-index": ["page", "partnership", "type", "year", "theme", "tag"],
    "theme-detail": PAGE,
    "partnership-detail": PAGE,
    "tag-detail": PAGE,
    "collection-detail": PAGE,
    "oembed": ["url", "format", "maxwidth", "maxheight"],
    "django.contrib.sitemaps.views.sitemap": ["p"],
    "api-list": API_PARAMETERS,
    "api-list-csv": API_PARAMETERS,
    "api-review-detail": ["format"],
    "api-learning-point-detail": ["format"],
}
ADMIN_CHANGELIST_PARAMETERS = ["q", "o", "p", "all", "e", "_changelist_filters", "status__exact", "_to_field", "_popup"]
# Every address is also given a parameter no view reads.
UNKNOWN_PARAMETER = "zz"

WRONG_METHODS = ["POST", "PUT", "DELETE", "TRACE"]


# ---------------------------------------------------------------------------
# Every URL pattern, as a template with a placeholder for each converter
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    template: str  # "/reviews/{}/print/"
    kinds: tuple[str, ...]  # each placeholder's converter: slug, int, path, str or choice
    name: str  # the URL name, "" if none

    @property
    def is_admin(self) -> bool:
        return self.template.startswith("/admin/")

    def url(self, values) -> str:
        return self.template.format(*values)


_ROUTE_PARAMETER = re.compile(r"<(?:(?P<kind>\w+):)?(?P<name>\w+)>")
_REGEX_GROUP = re.compile(r"\((?:\?P<\w+>)?(?P<inner>[^()]*)\)")


def _regex_kind(inner: str) -> str:
    if inner in (".*", ".+"):
        return "path"
    if inner == r"\d+":
        return "int"
    if "|" in inner:
        return "choice"
    return "str"


def _template(pattern) -> tuple[str, list[str]]:
    """A pattern's text as a template: ``<slug:slug>`` or a regex group becomes ``{}``."""
    text = str(pattern.pattern).replace("{", "{{").replace("}", "}}")
    kinds: list[str] = []
    if type(pattern.pattern).__name__ == "RegexPattern":
        text = text.removeprefix("^").removesuffix("$")

        def group(match):
            kinds.append(_regex_kind(match["inner"]))
            return "{}"

        return _REGEX_GROUP.sub(group, text), kinds

    def parameter(match):
        kinds.append(match["kind"] or "str")
        return "{}"

    return _ROUTE_PARAMETER.sub(parameter, text), kinds


def all_routes(patterns=None, prefix: str = "/", kinds: tuple[str, ...] = ()) -> list[Route]:
    routes = []
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        text, more = _template(pattern)
        if isinstance(pattern, URLResolver):
            routes += all_routes(pattern.url_patterns, prefix + text, (*kinds, *more))
        else:
            routes.append(Route(prefix + text, (*kinds, *more), pattern.name or ""))
    return routes


ROUTES = all_routes()
SITE_ROUTES = [route for route in ROUTES if not route.is_admin]
ADMIN_ROUTES = [route for route in ROUTES if route.is_admin]


def test_every_pattern_is_probed():
    """The walk finds the site's, the API's and the admin's patterns, the regex ones too."""
    names = {route.name for route in ROUTES}
    assert {"review-detail", "api-list-csv", "api-not-found", "reviews_review_change", "app_list"} <= names
    assert len(ADMIN_ROUTES) > 100 and len(SITE_ROUTES) >= 40
    assert all(route.template.count("{}") == len(route.kinds) for route in ROUTES)


# ---------------------------------------------------------------------------
# A small site with one of everything, for the real values
# ---------------------------------------------------------------------------


@dataclass
class Site:
    by_name: dict[str, tuple[str, ...]]  # real values for the public patterns, by URL name
    admin_objects: dict[tuple[str, str], tuple[str, str]]  # (app, model): (object id, history id)
    staff_id: int


@pytest.fixture(scope="module")
def site(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        yield _build_site()
        transaction.set_rollback(True)


def _build_site() -> Site:
    partnership = make_partnership()
    source = make_source(partnership=partnership)
    theme = make_theme(summary="Test theme summary.")
    ThemeAlias.objects.create(theme=theme, name="Test alias", source=source)
    collection = Collection.objects.create(slug="test-probe-collection", title="Test collection", source=source)
    review = make_review(partnership=partnership, collection=collection, summary="Test summary.")
    review.sources.add(source)
    review.tags.add("test-probe-tag")
    make_review(status=PublicationStatus.DRAFT)
    point = make_learning_point(review=review, source=source, themes=[theme])
    recommendation = make_recommendation(review=review, source=source, themes=[theme], number="1")
    action = make_action(recommendation=recommendation)
    CaseFact.objects.create(review=review, source=source, text="Test case fact.")
    resource = Resource.objects.create(name="Test protocol", source=source)
    point.resources.add(resource)
    pack = CoursePack.objects.create(slug="test-probe-pack", title="Test pack", status=PublicationStatus.PUBLISHED)
    CoursePackItem.objects.create(pack=pack, kind="learning_point", learning_point=point, notes="Test notes.")
    old_slug = review.slug
    review.slug = f"{old_slug}-renamed"
    review.save()  # leaves an old slug behind
    staff = get_user_model().objects.create_superuser("test-probe-staff", password="test-password-long-1")

    slugs = {
        "theme": theme.slug,
        "review": review.slug,
        "collection": collection.slug,
        "source": source.slug,
        "partnership": partnership.slug,
        "tag": "test-probe-tag",
        "coursepack": pack.slug,
    }
    by_name = {f"{kind}-{page}": (slug,) for kind, slug in slugs.items() for page in ("detail", "print")}
    by_name |= dict.fromkeys(("coursepack-markdown", "coursepack-csv"), (pack.slug,))
    by_name |= {
        "theme-embed": (theme.slug,),
        "learning-point-permalink": (str(point.pk),),
        "recommendation-permalink": (str(recommendation.pk),),
        "action-permalink": (str(action.pk),),
        "review-permalink": (str(review.pk),),
        "theme-permalink": (str(theme.pk),),
        "coursepack-permalink": (str(pack.pk),),
        "learning-point-embed": (str(point.pk),),
        "api-list": ("reviews",),
        "api-list-csv": ("learning-points",),
        "api-review-detail": (str(review.pk),),
        "api-theme-detail": (str(theme.pk),),
        "api-learning-point-detail": (str(point.pk),),
        "api-recommendation-detail": (str(recommendation.pk),),
        "api-action-detail": (str(action.pk),),
        "api-not-found": ("v2/reviews/",),
    }
    admin_objects = {}
    for model in apps.get_models():
        obj = model._default_manager.order_by("pk").first()
        if obj is not None:
            history = getattr(obj, "history", None)
            record = history.order_by("history_id").first() if isinstance(history, Manager) else None
            admin_objects[(model._meta.app_label, model._meta.model_name)] = (
                str(obj.pk),
                str(record.history_id) if record else "1",
            )
    admin_objects[("r", "")] = (str(ContentType.objects.get_for_model(review).pk), str(review.pk))
    assert ReflectionQuestion.objects.exists()
    return Site(by_name=by_name, admin_objects=admin_objects, staff_id=staff.pk)


def real_values(site: Site, route: Route) -> tuple[str, ...]:
    """Values for which the route's view finds something (or, failing that, plausible ones)."""
    if route.name in site.by_name:
        return site.by_name[route.name]
    if route.is_admin and route.kinds:
        parts = route.template.split("/")
        if route.kinds == ("choice",):
            return ("reviews",)
        if route.kinds == ("path",) and route.template == "/admin/{}":
            return ("no-such-page/",)
        if parts[2] == "r":
            return site.admin_objects[("r", "")]
        ids = site.admin_objects.get((parts[2], parts[3]), ("1", "1"))
        return ids[: len(route.kinds)]
    return tuple("1" for _ in route.kinds)


# ---------------------------------------------------------------------------
# Requests and what they must never get
# ---------------------------------------------------------------------------


def make_client(site: Site, *, staff: bool) -> Client:
    client = Client(raise_request_exception=False, enforce_csrf_checks=True)
    if staff:
        client.force_login(get_user_model().objects.get(pk=site.staff_id))
    return client


class Probe:
    """Requests, and every answer that breaks the guarantee."""

    def __init__(self, client: Client):
        self.client = client
        self.faults: list[str] = []
        self.count = 0

    def request(self, method: str, url: str, query: list[tuple[str, str]] | None = None) -> None:
        address = f"{url}?{urlencode(query)}" if query else url
        response = self.client.generic(method, address)
        self.count += 1
        shown = f"{method} {address[:160]}"
        if response.status_code >= 500:
            self.faults.append(f"{shown} answered {response.status_code}")
        elif response.get("Content-Type", "").startswith("text/html") and SCRIPT.encode() in response.content:
            self.faults.append(f"{shown} echoed a <script> unescaped")

    def assert_no_faults(self) -> None:
        assert self.count
        assert not self.faults, "\n".join(self.faults)


def sample(values: list[str], *, start: int, count: int) -> list[str]:
    """``count`` of ``values`` from ``start`` on, wrapping: consecutive routes get different ones."""
    return [values[(start + offset) % len(values)] for offset in range(min(count, len(values)))]


PARTS = {
    "site": (SITE_ROUTES, False),
    "admin-staff": (ADMIN_ROUTES, True),
    "admin-anonymous": (ADMIN_ROUTES, False),
}


def _odd_urls(site: Site, routes: list[Route], *, per_placeholder: int | None):
    """Each route with each placeholder in turn given odd values, the others real."""
    for number, route in enumerate(routes):
        real = real_values(site, route)
        for position, kind in enumerate(route.kinds):
            values = ODD_PATH_VALUES[kind]
            chosen = values if per_placeholder is None else sample(values, start=number, count=per_placeholder)
            for odd in chosen:
                yield route.url([*real[:position], odd, *real[position + 1 :]])


@pytest.mark.parametrize("part", list(PARTS))
def test_odd_path_values_never_get_a_5xx(site, part):
    routes, staff = PARTS[part]
    # Every odd value on the site's own patterns; the admin's are one code, sampled.
    per_placeholder = {"site": None, "admin-staff": 2, "admin-anonymous": 1}[part]
    probe = Probe(make_client(site, staff=staff))
    for url in _odd_urls(site, routes, per_placeholder=per_placeholder):
        probe.request("GET", url)
    probe.assert_no_faults()


def _query_cases(site: Site, routes: list[Route], parameters_for, *, per_route: int | None = None, per_parameter=3):
    """Each route with ``per_parameter`` odd values (a NUL first) for the parameters it
    reads (``per_route`` of them, in turn, if given), the same parameter twice, and
    every parameter at once."""
    for number, route in enumerate(routes):
        url = route.url(real_values(site, route))
        parameters = [*parameters_for(route), UNKNOWN_PARAMETER]
        chosen = parameters if per_route is None else sample(parameters, start=number, count=per_route)
        for index, name in enumerate(chosen):
            for value in [NUL, *sample(ODD_QUERY_VALUES, start=number + 3 * index, count=per_parameter - 1)]:
                yield url, [(name, value)]
            yield url, [(name, "1"), (name, "2")]  # repeated
        yield url, [(name, value) for name in parameters for value in (NUL, SCRIPT)]


def _site_parameters(route: Route) -> list[str]:
    return QUERY_PARAMETERS.get(route.name, [])


def test_odd_query_values_never_get_a_5xx_on_the_site(site):
    probe = Probe(make_client(site, staff=False))
    for url, query in _query_cases(site, SITE_ROUTES, _site_parameters):
        probe.request("GET", url, query)
    probe.assert_no_faults()


ADMIN_LISTS = [route for route in ADMIN_ROUTES if route.name.endswith(("_changelist", "_recover", "_import"))]
ADMIN_PAGES = [route for route in ADMIN_ROUTES if route.name.endswith(("_change", "_add", "_history", "_delete"))]
# What the admin's other pages read from the query string.
ADMIN_PAGE_PARAMETERS = ["_changelist_filters", "_to_field", "_popup", "next"]


@pytest.mark.parametrize("pages", ["lists", "pages"])
def test_odd_query_values_never_get_a_5xx_in_the_admin(site, pages):
    """The admin's lists share their code, as do its other pages: each list gets a few of
    the parameters in turn, each other page one."""
    probe = Probe(make_client(site, staff=True))
    if pages == "lists":
        cases = _query_cases(site, ADMIN_LISTS, lambda route: ADMIN_CHANGELIST_PARAMETERS, per_route=3, per_parameter=2)
    else:
        cases = _query_cases(site, ADMIN_PAGES, lambda route: ADMIN_PAGE_PARAMETERS, per_route=1, per_parameter=1)
    for url, query in cases:
        probe.request("GET", url, query)
    probe.assert_no_faults()


@pytest.mark.parametrize("part", list(PARTS))
def test_wrong_methods_never_get_a_5xx(site, part):
    routes, staff = PARTS[part]
    probe = Probe(make_client(site, staff=staff))
    for route in routes:
        url = route.url(real_values(site, route))
        for method in WRONG_METHODS:
            probe.request(method, url)
    probe.assert_no_faults()
