"""Counts and relations kept in step with the content (the tables of ``reviews/models/kept.py``).

- ``rows.py``: what the rows should hold, from the content, by the rules of
  ``reviews.selectors.common`` (``theme_links``, distinct learning);
- ``writing.py``: writing them, for what changed (``refresh``) or all
  (``rebuild``, ``manage.py rebuild_kept_figures``);
- ``signals.py`` and ``pending.py``: marking what each content change makes
  out of date, and writing it once per transaction (on commit, or before a
  page reads the rows: ``flush``).
"""
