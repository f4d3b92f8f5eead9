"""Readers of the briefing files that are not plain text: each turns a file's
bytes into a ``Document`` (``reviews.importing.document``), its blocks in
reading order with the words exactly as written.

- ``pdf``: text PDFs, with pdfplumber (words with their positions, sizes and
  fonts, and the boxes drawn on the page);
- ``docx``: Word documents, with python-docx (styles, lists, tables, text boxes);
- ``html``: web pages saved from a partnership's site, with lxml (the main
  content only).

``read_binary`` checks the file first (``decoding.checked_document_format``)
and every reader raises ``BriefingFileError`` for a file it cannot read, before
anything is written.
"""

from __future__ import annotations

from ..decoding import DOCUMENT_FORMATS, checked_document_format
from ..document import Document

BINARY_SUFFIXES = tuple(DOCUMENT_FORMATS)  # (".pdf", ".docx", ".html", ".htm")


def read_binary(name: str, data: bytes) -> Document:
    """The ``Document`` in the PDF, Word or web page file ``name`` whose bytes are ``data``.

    Raises ``BriefingFileError`` with a message naming the file for one that
    is empty, too big, not what its name says, damaged, protected by a
    password, or has no text to read (a scan).
    """
    file_format = checked_document_format(name=name, data=data)
    if file_format == "pdf":
        from .pdf import read_pdf as read
    elif file_format == "docx":
        from .docx import read_docx as read
    else:
        from .html import read_html as read
    document = read(name, data)
    document.file_name = name
    document.format = file_format
    return document
