"""Settings for the test suite: the real settings, with what tests need changed.

The suite runs the development configuration (``DJANGO_DEBUG=1`` when read:
local host names, no HTTPS redirect); pytest-django then turns ``DEBUG`` off
while tests run, so pages render as visitors see them. Production settings
are tested in ``tests/test_settings.py`` by starting Django with them.

The page cache is off (see below).

Hashed static file names (the production storage) do not exist under
``live_server``, so browser tests serve static files straight from the finders.
"""

import os

os.environ.setdefault("DJANGO_DEBUG", "1")

from .settings import *  # noqa: F403
from .settings import STORAGES

STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Tests change content inside a transaction that never commits, so the
# content version (replaced on commit) would not change and a page cached
# before an edit would be served after it: the page cache is off here, and
# tests/test_caching.py turns it on with what it needs.
KB_PAGE_CACHE = False
