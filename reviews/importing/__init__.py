"""Reading a briefing document into candidate entries for a draft review.

- ``pipeline``: from an uploaded file to its ``Document`` and candidates
  (``read_file``, ``parse_file``): the one way in;
- ``decoding``: from a text file's bytes to its text (accepted files,
  encodings, byte order marks, the limits on one import, the type behind a
  file's name, ``BriefingFileError``);
- ``readers``: PDF, Word and web page files into a ``Document`` of blocks
  (``read_binary``);
- ``textblocks``: plain text and Markdown into a ``Document`` (``read_text``);
- ``document``: the ``Document`` of blocks every reader gives;
- ``structure``: the blocks into headings and sections, and each passage into
  a candidate entry of a kind (``parse_document``; ``parse_briefing`` for text);
- ``metadata``: what the document says about itself: title, date, review
  type, kind of document, partnership, case names (``read_metadata``);
- ``themes``: themes suggested for each entry, and names proposed for new
  themes where none fits (``ThemeMatcher``).

Nothing here touches the database: ``reviews.services.importing`` stores the
result as a draft review for an editor to check.
"""
