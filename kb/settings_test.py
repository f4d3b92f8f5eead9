"""Settings for the test suite: the real settings, with what tests need changed.

Hashed static file names (the production storage) do not exist under
``live_server``, so browser tests serve static files straight from the finders.
"""

from .settings import *  # noqa: F403
from .settings import STORAGES

STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
