from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "reviews"
    verbose_name = "Learning from case reviews"

    def ready(self):
        from kb import signin

        from . import caching, checks  # noqa: F401  (checks registers the deployment checks)
        from .history import connect as connect_history
        from .kept import signals as kept_signals
        from .search import signals
        from .text_cleaning import connect as clean_text_before_saving
        from .wording import connect as mark_edited_wording

        # No control characters in stored text (the feed cannot hold them).
        clean_text_before_saving()
        # Whether each entry still holds its briefing's words (after the cleaning above: pre_save runs in order).
        mark_edited_wording()
        # Keep the search index in step with every content change.
        signals.connect()
        # Keep the counts and relations the pages read (reviews/kept/) in step too.
        kept_signals.connect()
        # Sessions start their clocks at sign-in (kb/signin.py).
        signin.connect()
        # Every write replaces the content version the page cache is keyed on.
        caching.connect()
        # Fixture loading (loaddata) writes no history rows of its own.
        connect_history()
