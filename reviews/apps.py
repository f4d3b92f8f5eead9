from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "reviews"
    verbose_name = "Learning from case reviews"

    def ready(self):
        # Keep the search index in step with every content change.
        from kb import signin

        from . import checks  # noqa: F401  (registers the deployment checks)
        from .search import signals

        signals.connect()
        # Sessions start their clocks at sign-in (kb/signin.py).
        signin.connect()
