"""The open-data API: what each record holds, how lists are filtered, and CSV.

Plain Django, no framework. Each ``Endpoint`` (``endpoints.py``) names the
form that reads its query string (``params.py``), the selector that lists its
published objects with the ``select_related``/``prefetch_related`` that keep
the query count fixed (``selectors.py``), how one object becomes a JSON
record (``records.py``) and which columns its CSV has (``csv.py``). The views
in ``reviews/views/api.py`` only parse the request and write the response.

Rules:

- **Published only.** Every queryset starts from the models' ``published()``;
  a draft is never listed, counted or found by id.
- **Stable ids.** Records are identified by primary key (the same number the
  permanent links use, e.g. ``/lp/42/``) and listed in id order, so pages do
  not shift as content is added.
- **Bad parameters are a 400**, with a JSON body naming the parameter: never
  a 500 and never a silently ignored filter.
- **Wording as published.** ``text`` fields hold the stored Markdown, word for
  word from the briefing.
"""
