"""Addresses made quickly: each kind reversed once, then filled in.

``Links``: the absolute addresses of the API's records, each kind reversed
once per request. ``path_to``: the paths the pages link to (every entry's
permanent link, every review's, briefing's and theme's address), each kind
reversed once per process.

A record holds up to ten addresses, and ``reverse()`` followed by
``build_absolute_uri`` costs tens of microseconds each: at 200,000 learning
points that was most of a CSV download's time. ``Links`` reverses each URL
name once per request with a placeholder for each argument, and then puts
each record's values in the place of the placeholders.

Only values that ``reverse()`` and ``build_absolute_uri`` would leave exactly
as they are take that short way: whole numbers, and slugs of ASCII letters,
digits, hyphens and underscores (what the ``int`` and ``slug`` path
converters accept, which neither quoting step changes). Anything else (a
slug written by a bulk update with a space or an accent in it) goes through
``reverse()`` and ``build_absolute_uri`` as before, so every address is what
they would give, or they raise as before. ``tests/test_api_links.py`` checks
both ways give the same addresses for every kind of address, and for every
record of the real knowledge base.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from django.conf import settings
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse

Absolute = Callable[[str], str]

# Values put into an address unchanged by ``reverse()`` (its converters and its quoting) and by
# ``build_absolute_uri`` (its ``iri_to_uri``); they also contain no "." or "/" that could make
# ``build_absolute_uri`` join the path rather than prefix it.
_plain = re.compile(r"[-a-zA-Z0-9_]+").fullmatch
# Placeholders no address holds otherwise; mixed case, so that a converter changing its value shows.
_TEXT_PLACEHOLDER = "kbLinkPlaceholder{}X"
_NUMBER_PLACEHOLDER = 9_876_543_210_000
_UNKNOWN = object()


class _Template:
    """An address with a placeholder for each argument: the text around them, and their names and kinds."""

    __slots__ = ("kinds", "names", "parts")

    def __init__(self, parts: list[str], names: tuple[str, ...], kinds: tuple[type, ...]):
        self.parts = parts  # len(names) + 1 pieces of text around the arguments
        self.names = names
        self.kinds = kinds

    def fill(self, kwargs: dict) -> str | None:
        """The address with ``kwargs`` in place, or None if one of them cannot go in unchanged."""
        if len(kwargs) != len(self.names):
            return None
        parts = self.parts
        text = parts[0]
        for index, name in enumerate(self.names):
            value = kwargs.get(name)
            if self.kinds[index] is int:
                if type(value) is not int or value < 0:
                    return None
                value = str(value)
            elif type(value) is not str or not _plain(value):
                return None
            text = f"{text}{value}{parts[index + 1]}"
        return text


def _template(absolute: Absolute, name: str, kwargs: dict) -> _Template | None:
    """The absolute address of ``name`` with a placeholder for each argument of ``kwargs`` (a whole
    number for a number, text for text), or None when it cannot be made so (``reverse()`` refuses
    the placeholders, or they do not come out once each, unchanged)."""
    names = tuple(kwargs)
    kinds = tuple(int if isinstance(value, int) and not isinstance(value, bool) else str for value in kwargs.values())
    placeholders = [
        str(_NUMBER_PLACEHOLDER + index) if kind is int else _TEXT_PLACEHOLDER.format(index)
        for index, kind in enumerate(kinds)
    ]
    values = {
        key: int(placeholder) if kind is int else placeholder
        for key, placeholder, kind in zip(names, placeholders, kinds, strict=True)
    }
    try:
        address = absolute(reverse(name, kwargs=values))
    except NoReverseMatch:
        return None
    if not placeholders:
        return _Template([address], (), ())
    pieces = re.split("(" + "|".join(re.escape(placeholder) for placeholder in placeholders) + ")", address)
    found = pieces[1::2]
    if found != placeholders:  # each once, in the order given (or there is no telling them apart)
        if sorted(found) != sorted(placeholders):
            return None
        order = [placeholders.index(placeholder) for placeholder in found]
        names = tuple(names[index] for index in order)
        kinds = tuple(kinds[index] for index in order)
    return _Template(pieces[0::2], names, kinds)


class Links:
    """The absolute addresses of one request's records (``url``), each URL name reversed once.

    Called with a path, it is the request's ``build_absolute_uri``, for
    addresses that are not reversed from a URL name. ``fast=False`` makes
    every address the slow way (the tests compare the two).
    """

    def __init__(self, absolute: Absolute, *, fast: bool = True):
        self._absolute = absolute
        self._fast = fast
        self._templates: dict[str, _Template | None] = {}  # by URL name; None: always the slow way

    def __call__(self, location: str) -> str:
        return self._absolute(location)

    def url(self, name: str, /, fragment: str = "", **kwargs) -> str:
        """``absolute(reverse(name, kwargs=kwargs))``, followed by ``#fragment`` if one is given."""
        if self._fast:
            template = self._templates.get(name, _UNKNOWN)
            if template is _UNKNOWN:
                template = self._templates[name] = _template(self._absolute, name, kwargs)
            if template is not None and (not fragment or _plain(fragment)):
                address = template.fill(kwargs)
                if address is not None:
                    return f"{address}#{fragment}" if fragment else address
        path = reverse(name, kwargs=kwargs)
        return self._absolute(f"{path}#{fragment}" if fragment else path)


def _path(path: str) -> str:
    return path


# One ``Links`` of paths for each script prefix and URLconf a process serves (usually one).
_paths: dict[tuple[str, str], Links] = {}


def path_to(name: str, /, **kwargs) -> str:
    """``reverse(name, kwargs=kwargs)``, the same path, made by filling in the arguments of the URL
    name's path reversed once per process (for each script prefix and URLconf).

    ``reverse()`` takes about 25 microseconds; a theme page at national scale links over a hundred
    entries, reviews and themes (issue 14). Values ``reverse()`` might change go through it
    (``Links``), so the path is always the one it gives (``tests/test_api_links.py``)."""
    key = (get_script_prefix(), str(get_urlconf() or settings.ROOT_URLCONF))
    links = _paths.get(key)
    if links is None:
        links = _paths[key] = Links(_path)
    return links.url(name, **kwargs)
