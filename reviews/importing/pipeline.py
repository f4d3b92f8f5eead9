"""From an uploaded file to a read briefing: the one way in for the command,
the admin form and the benchmark.

``read_file(name, data)`` gives the file's ``Document``: a PDF, Word or web
page through ``readers.read_binary``, a text or Markdown file through
``decoding.briefing_text_from_bytes`` and ``textblocks.read_text``.
``parse_file(name, data)`` reads that document into candidate entries
(``structure.parse_document``). Every refusal is a ``BriefingFileError``
whose message tells an editor what to do.
"""

from __future__ import annotations

from pathlib import PurePath

from .decoding import BriefingFileError, briefing_text_from_bytes
from .document import Document
from .structure import ParsedBriefing, parse_document
from .textblocks import read_text

TEXT_SUFFIXES = {".txt": "txt", ".md": "md", ".markdown": "md"}


def _binary_suffixes() -> tuple[str, ...]:
    try:
        from .readers import BINARY_SUFFIXES
    except ImportError:
        return (".pdf", ".docx", ".html", ".htm")
    return tuple(BINARY_SUFFIXES)


def read_file(name: str, data: bytes) -> Document:
    """The document an uploaded file holds, read by the reader for its kind."""
    suffix = PurePath(name or "").suffix.lower()
    if suffix in _binary_suffixes():
        try:
            from .readers import read_binary
        except ImportError as error:
            raise BriefingFileError(
                f"“{name}”: this kind of file cannot be read yet. Save the briefing as plain text (.txt) or "
                "Markdown (.md) and upload that."
            ) from error
        return read_binary(name, data)
    text = briefing_text_from_bytes(name=name, data=data)
    return read_text(text, name=name, format=TEXT_SUFFIXES.get(suffix, "txt"))


def parse_file(name: str, data: bytes) -> ParsedBriefing:
    """An uploaded file read into candidate entries (the document read is the result's ``document``)."""
    return parse_document(read_file(name, data))
