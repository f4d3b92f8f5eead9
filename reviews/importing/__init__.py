"""Reading a briefing document into candidate entries for a draft review.

- ``decoding``: from an uploaded file's bytes to its text (accepted files,
  encodings, byte order marks, the limits on one import, the type behind a
  file's name, ``BriefingFileError``);
- ``readers``: PDF, Word and web page files into a ``Document`` of blocks
  (``read_binary``);
- ``structure``: the text into passages, headings and sections, and each
  passage into a candidate entry of a kind (``parse_briefing``);
- ``themes``: themes suggested for each entry (``ThemeMatcher``).

Nothing here touches the database: ``reviews.services.briefing_import``
stores the result as a draft review for an editor to check.
"""
