"""What every part of the data model shares: publication status, partial
dates, permanent references, natural-key managers, and the publication rules
of every queryset whose rows can be drafts."""

from __future__ import annotations

import datetime
import secrets

from django.core.validators import URLValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Cast, ExtractDay, ExtractMonth
from django.db.models.lookups import Exact
from django.utils.text import slugify

REF_HELP = (
    "A short permanent name used in links to this item (e.g. 'child-m-lp-3'). "
    "Filled in automatically if left blank; never change it once the item is published, "
    "or links in courses and slides will stop pointing at it."
)


class PublicationStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"


class DatePrecision(models.TextChoices):
    """How much of a date the document actually gives.

    A briefing that says "September 2019" is stored as 1 September 2019 with
    month precision and always shown as "September 2019", never as a day.
    """

    DAY = "day", "Day"
    MONTH = "month", "Month"
    YEAR = "year", "Year"
    UNKNOWN = "unknown", "Not given"


def format_partial_date(value: datetime.date | None, precision: str) -> str:
    """Show a date only as precisely as its source gave it."""
    if value is None or precision == DatePrecision.UNKNOWN:
        return ""
    if precision == DatePrecision.YEAR:
        return f"{value.year}"
    if precision == DatePrecision.MONTH:
        return value.strftime("%B %Y")
    return f"{value.day} {value.strftime('%B %Y')}"


def partial_date_end(value: datetime.date | None, precision: str) -> datetime.date | None:
    """The last day a partial date can mean: "September 2019" may be as late as 30 September 2019."""
    if value is None or precision == DatePrecision.UNKNOWN:
        return None
    if precision == DatePrecision.YEAR:
        return datetime.date(value.year, 12, 31)
    if precision == DatePrecision.MONTH:
        following = datetime.date(value.year + value.month // 12, value.month % 12 + 1, 1)
        return following - datetime.timedelta(days=1)
    return value


def partial_date_constraints(prefix: str, date_field: str, precision_field: str) -> list[models.CheckConstraint]:
    """A date is given exactly when its precision says it is, and a month or a
    year precision is stored on the first day of that month or year."""
    unknown = DatePrecision.UNKNOWN
    # Cast: when Django validates a constraint in Python (full_clean) it puts
    # the value in place of the column, and PostgreSQL cannot EXTRACT from an
    # untyped NULL ("function pg_catalog.extract(unknown, unknown) is not unique").
    date = Cast(date_field, models.DateField())
    first_day = Exact(ExtractDay(date), 1)
    first_month = Exact(ExtractMonth(date), 1)
    return [
        models.CheckConstraint(
            condition=(Q(**{f"{date_field}__isnull": True}) & Q(**{precision_field: unknown}))
            | (Q(**{f"{date_field}__isnull": False}) & ~Q(**{precision_field: unknown})),
            name=f"{prefix}_{date_field}_matches_precision",
        ),
        models.CheckConstraint(
            condition=~Q(**{precision_field: DatePrecision.MONTH}) | Q(first_day),
            name=f"{prefix}_{date_field}_month_precision_first_day",
        ),
        models.CheckConstraint(
            condition=~Q(**{precision_field: DatePrecision.YEAR}) | (Q(first_day) & Q(first_month)),
            name=f"{prefix}_{date_field}_year_precision_first_january",
        ),
    ]


def new_ref(prefix: str, text: str = "") -> str:
    """A readable, unique-enough permanent identifier for an item."""
    words = slugify(text)[:40].strip("-")
    token = secrets.token_hex(3)
    return f"{prefix}-{words}-{token}" if words else f"{prefix}-{token}"


def has_page_address(field: str = "slug") -> Q:
    """Rows whose ``field`` is a slug a page address can have: what ``<slug:...>``
    in a URL pattern matches (https://docs.djangoproject.com/en/5.2/topics/http/urls/#path-converters).

    Forms only ever save such slugs; one written another way (a bulk update)
    has no page, and a list that links every row (the feed, the sitemap) leaves it out
    rather than fail to build its link.
    """
    return ~Q(**{field: ""}) & ~Q(**{f"{field}__regex": r"[^-a-zA-Z0-9_]"})


class SlugNaturalKeyManager(models.Manager):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class RefNaturalKeyManager(models.Manager):
    def get_by_natural_key(self, ref):
        return self.get(ref=ref)


class PublishableQuerySet(models.QuerySet):
    """The publication rule, written once for everything that can be a draft.

    A subclass names the field (or the path through related rows) that
    decides whether the public may see a row, and the value it has then:
    ``status`` for a review, ``review__status`` for an entry, a copied
    ``is_published`` flag for a search entry. A subclass whose rule is not
    one field overrides ``published()``; ``visible_to()`` follows it.
    """

    publication_field = "status"
    published_value = PublicationStatus.PUBLISHED

    def published(self):
        """Rows the public may see."""
        return self.filter(**{self.publication_field: self.published_value})

    def visible_to(self, user):
        """Staff see drafts too (with a banner, or labelled as drafts); everyone else only published rows."""
        return self if getattr(user, "is_staff", False) else self.published()


class PublicThroughContentQuerySet(models.QuerySet):
    """The publication rule of rows that have no status of their own (themes,
    partnerships): the public sees one only once published content uses it.

    A theme or a partnership is often made for a review still in draft; until
    that review (or another published one) uses it, its name is as much a
    draft as the review's words, so its page, card, API record, sitemap entry
    and every list or suggestion that names it are for staff only. A
    subclass says what makes a row public in ``public()``.
    """

    def public(self):
        """Rows the public may see."""
        raise NotImplementedError

    def visible_to(self, user):
        """Staff see every row; everyone else only public ones."""
        return self if getattr(user, "is_staff", False) else self.public()


WEB_SCHEMES = ("http", "https")


def is_web_address(value: str) -> bool:
    """Whether ``value`` is an http(s) address: the only kind a page may link to from a stored address."""
    return value.strip().lower().startswith(tuple(f"{scheme}://" for scheme in WEB_SCHEMES))


class WebAddressField(models.URLField):
    """A web address: http or https only (Django's URLField also takes ftp and ftps).

    Forms and ``full_clean`` reject other schemes with a clear message; the
    model's ``web_address_constraint`` makes the database refuse them from
    any writer (ORM, fixtures, imports, raw SQL).
    """

    default_validators = [
        URLValidator(schemes=list(WEB_SCHEMES), message="Enter a web address starting https:// or http://.")
    ]


def web_address_constraint(field: str, *, name: str) -> models.CheckConstraint:
    """The database's own guard for a ``WebAddressField``: empty, or http(s)."""
    return models.CheckConstraint(
        condition=Q(**{field: ""})
        | Q(**{f"{field}__istartswith": "http://"})
        | Q(**{f"{field}__istartswith": "https://"}),
        name=name,
    )
