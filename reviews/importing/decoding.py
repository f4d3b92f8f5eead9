"""From an uploaded file to the text of a briefing: which files are accepted,
how their bytes are decoded, and the limits on one import.

Plain text and Markdown are decoded here (``briefing_text_from_bytes``); PDF,
Word and web page files are checked here (``checked_document_format``: the
size, and that the file is what its name says) and read by
``reviews.importing.readers``.

Every refusal is a ``BriefingFileError`` whose message tells an editor what
to do about it.
"""

from __future__ import annotations

import codecs
import io
import math
import re
import zipfile
from pathlib import PurePath

from django.conf import settings

# The five briefings in the knowledge base are 4 to 8 KB and give 7 to 47
# entries. The limits leave room for long ones while keeping an import quick
# and the draft's admin page one an editor can open, check and save.
MAX_FILE_BYTES = 200_000
# PDF and Word files carry fonts and pictures besides the words: a 2-page
# 7-minute briefing is 100 KB to 2 MB, a 40-page thematic review 1 to 5 MB. A
# saved web page is mostly markup and scripts. 10 MB takes all of these while
# keeping one import to a few seconds. A PDF is also limited in pages: reading
# one takes up to half a second a page, and an import in the admin must end
# well within the app server's 30 seconds.
MAX_DOCUMENT_BYTES = 10_000_000
MAX_PDF_PAGES = 50
MAX_CANDIDATES = 300
# Form fields the review's admin page posts: for the page itself (its fields
# and the inlines' management forms), and at most for each entry on it (a
# recommendation with three suggested themes).
PAGE_FORM_FIELDS = 50
ENTRY_FORM_FIELDS = 11
TEXT_SUFFIXES = (".txt", ".md", ".markdown")
# The formats ``reviews.importing.readers`` reads, by the file name's ending.
DOCUMENT_FORMATS = {".pdf": "pdf", ".docx": "docx", ".html": "html", ".htm": "html"}
ALLOWED_SUFFIXES = TEXT_SUFFIXES + tuple(DOCUMENT_FORMATS)
# The most a caller needs to read of an upload to check it: one byte past the
# largest limit tells "too big" without reading a huge file.
MAX_UPLOAD_BYTES = max(MAX_FILE_BYTES, MAX_DOCUMENT_BYTES)


class BriefingFileError(ValueError):
    """A file that cannot be imported; the message is written for editors."""


def candidate_limit() -> int:
    """The most entries one import may create: ``MAX_CANDIDATES``, and no more
    than the draft's admin page can save, since Django refuses a form with
    more than ``DATA_UPLOAD_MAX_NUMBER_FIELDS`` fields (1,000 by default,
    which allows 86 entries; 3,400 or more allows 300)."""
    budget = settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
    if budget is None:
        return MAX_CANDIDATES
    return max(1, min(MAX_CANDIDATES, (budget - PAGE_FORM_FIELDS) // ENTRY_FORM_FIELDS))


# ---------------------------------------------------------------------------
# Reading the file
# ---------------------------------------------------------------------------

_BINARY_SIGNATURES = {
    b"%PDF": "a PDF",
    b"PK\x03\x04": "a Word (.docx) or other zipped",
    b"\xd0\xcf\x11\xe0": "an old-style Word (.doc)",
    b"{\\rtf": "a Rich Text (.rtf)",
}
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
# Byte order marks of the Unicode encodings other than UTF-8 that editors'
# programs save ("Unicode" in Notepad and Word is UTF-16). UTF-32's come first:
# its little-endian mark begins with UTF-16's.
_UNICODE_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def briefing_text_from_bytes(*, name: str, data: bytes) -> str:
    """Check an uploaded briefing and return its text.

    Raises ``BriefingFileError`` with a message an editor can act on for a
    file that is not a .txt or .md, empty, larger than ``MAX_FILE_BYTES``,
    binary (PDF, Word...) or not text. UTF-8 is expected; a file saved as
    UTF-16 or UTF-32 ("Unicode") with its byte order mark is read as such.
    """
    suffix = PurePath(name or "").suffix.lower()
    _check_name_and_size(name, suffix, data)
    codec = _unicode_without_utf8(data)
    if codec is not None:
        return _checked_text(name, _decoded_with_bom(name, data, codec))
    _refuse_other_than_utf8(name, suffix, data)
    return _checked_text(name, _decoded_utf8(name, data))


def _check_name_and_size(name: str, suffix: str, data: bytes) -> None:
    """A plain text or Markdown file's name, something in it, and not too much."""
    if suffix not in TEXT_SUFFIXES:
        raise BriefingFileError(
            f"“{name}” is not a plain text or Markdown file. Save the briefing as plain text "
            "(a file ending in .txt) or Markdown (.md) and upload that."
        )
    if not data or not data.strip():
        raise BriefingFileError(f"“{name}” is empty. Check you chose the right file.")
    if len(data) > MAX_FILE_BYTES:
        raise BriefingFileError(
            f"“{name}” is larger than {_size(MAX_FILE_BYTES)}, the limit for one briefing. A briefing's text "
            "is usually under 10 KB: check the file holds only the text of one briefing, not a whole report "
            "or several briefings."
        )


def _size(n_bytes: int) -> str:
    return f"{n_bytes / 1_000_000:.1f} MB" if n_bytes >= 1_000_000 else f"{math.ceil(n_bytes / 1000)} KB"


def _unicode_without_utf8(data: bytes) -> str | None:
    """The codec of a file saved as UTF-16 or UTF-32 with a byte order mark, if it is."""
    return next((codec for bom, codec in _UNICODE_BOMS if data.startswith(bom)), None)


def _decoded_with_bom(name: str, data: bytes, codec: str) -> str:
    try:
        return data.decode(codec)
    except UnicodeDecodeError as error:
        raise BriefingFileError(
            f"“{name}” is saved as {codec.upper()} (“Unicode”) but cannot be read as such. Open it, "
            "choose 'Save as', 'Plain text' and the UTF-8 encoding, and upload it again."
        ) from error


def _refuse_other_than_utf8(name: str, suffix: str, data: bytes) -> None:
    """Refuse UTF-16 without its mark, and documents that are not text at all."""
    if _looks_like_utf16_without_bom(data):
        raise BriefingFileError(
            f"“{name}” looks like text saved as UTF-16 (“Unicode”) without the mark that says so, which "
            "cannot be read reliably. Open it, choose 'Save as', 'Plain text' and the UTF-8 encoding, "
            "and upload it again."
        )
    for signature, kind in _BINARY_SIGNATURES.items():
        if data.startswith(signature):
            raise BriefingFileError(
                f"“{name}” is {kind} file, not plain text, even though its name ends in {suffix}. "
                "Open it, choose 'Save as', 'Plain text (.txt)' with the UTF-8 encoding, and upload that."
            )
    if b"\x00" in data:
        raise BriefingFileError(
            f"“{name}” contains binary data, not text. Save the briefing as plain text (.txt) with the "
            "UTF-8 encoding and upload that."
        )


def _looks_like_utf16_without_bom(data: bytes) -> bool:
    """English text in UTF-16 has a zero byte in every other position, and only there."""
    sample = data[:2000]
    if len(sample) < 16:
        return False
    even, odd = sample[0::2], sample[1::2]
    zeros_even, zeros_odd = even.count(0) / len(even), odd.count(0) / len(odd)
    return min(zeros_even, zeros_odd) < 0.1 and max(zeros_even, zeros_odd) > 0.9


def _decoded_utf8(name: str, data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise BriefingFileError(
            f"“{name}” is not saved as UTF-8 text (the first unreadable byte is at position "
            f"{error.start}). Open it, choose 'Save as', 'Plain text' and the UTF-8 encoding, and upload "
            "it again, so that no letter or punctuation is changed on the way."
        ) from error


def _checked_text(name: str, text: str) -> str:
    """``text`` decoded from the file ``name``, if it reads as a text document.

    A NUL character is never text, whatever the encoding: refused as the
    UTF-8 path refuses a zero byte (a database cannot store it either).
    """
    if "\x00" in text:
        raise BriefingFileError(
            f"“{name}” contains binary data, not text. Save the briefing as plain text (.txt) with the "
            "UTF-8 encoding and upload that."
        )
    if len(_CONTROL_CHARACTERS.findall(text)) > max(5, len(text) // 1000):
        raise BriefingFileError(
            f"“{name}” contains many control characters, so it is probably not a text document. "
            "Save the briefing as plain text (.txt) and upload that."
        )
    if not text.strip():
        raise BriefingFileError(f"“{name}” is empty. Check you chose the right file.")
    return text


# ---------------------------------------------------------------------------
# PDF, Word and web page files: checked here, read by ``readers``
# ---------------------------------------------------------------------------

_LOOKS_LIKE = {
    "pdf": "a PDF",
    "docx": "a Word document (.docx)",
    "html": "a web page (.html)",
    "text": "plain text",
    "doc": "an old-style Word document (.doc)",
    "protected docx": "a Word document protected by a password",
    "xlsx": "an Excel workbook",
    "pptx": "a PowerPoint presentation",
    "odt": "an OpenDocument text file (.odt)",
    "zip": "a zip archive",
    "rtf": "a Rich Text file (.rtf)",
    "picture": "a picture",
    "binary": "a kind of file that cannot be imported",
}
_SUFFIX_OF_FORMAT = {"pdf": ".pdf", "docx": ".docx", "html": ".html", "text": ".txt"}
_HTML_TAG = re.compile(rb"<(?:!doctype\s+html|html|head|body|main|article|div|p|h[1-6]|title|meta)[\s>/]", re.I)


def document_format(name: str) -> str | None:
    """The format ``readers`` reads a file of this name as, or None for text files and the rest."""
    return DOCUMENT_FORMATS.get(PurePath(name or "").suffix.lower())


def size_limit(name: str) -> int:
    """The largest file of this name's format that can be imported."""
    return MAX_DOCUMENT_BYTES if document_format(name) else MAX_FILE_BYTES


def sniffed_format(data: bytes) -> str:
    """What the bytes of a file are, whatever its name says: one of ``_LOOKS_LIKE``'s keys
    (or "damaged zip" for a zip archive that cannot be opened)."""
    head = data[:1024]
    if b"%PDF-" in head:  # the PDF standard allows a little before the header
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        return _zipped_format(data)
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        # Word keeps a .docx protected by a password in this older container, encrypted.
        return "protected docx" if "EncryptedPackage".encode("utf-16-le") in data else "doc"
    if data.startswith(b"{\\rtf"):
        return "rtf"
    if data.startswith((b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"II*\x00", b"MM\x00*")):
        return "picture"
    sample = data[:65536]
    if b"\x00" in sample and not _unicode_without_utf8(data):
        return "binary"
    if _unicode_without_utf8(data):
        codec = _unicode_without_utf8(data)
        sample = data[: 65536 * 2].decode(codec, errors="ignore").encode("utf-8")
    if _HTML_TAG.search(sample):
        return "html"
    return "text"


def _zipped_format(data: bytes) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            mimetype = archive.read("mimetype")[:100] if "mimetype" in names else b""
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError):
        return "damaged zip"
    if "word/document.xml" in names:
        return "docx"
    if any(item.startswith("xl/") for item in names):
        return "xlsx"
    if any(item.startswith("ppt/") for item in names):
        return "pptx"
    if b"opendocument.text" in mimetype:
        return "odt"
    return "zip"


def checked_document_format(*, name: str, data: bytes) -> str:
    """Check a PDF, Word or web page file before it is read, and return its format
    ("pdf", "docx" or "html").

    Raises ``BriefingFileError`` for a file of another kind, an empty one, one
    larger than ``MAX_DOCUMENT_BYTES``, and one whose bytes are not what its
    name says (a Word document named .pdf, a web page named .docx).
    """
    expected = document_format(name)
    if expected is None:
        raise BriefingFileError(
            f"“{name}” cannot be imported: the importer reads PDF (.pdf), Word (.docx), web pages saved as "
            ".html or .htm, plain text (.txt) and Markdown (.md). Save the briefing in one of these formats "
            "and upload that."
        )
    if not data or not data.strip():
        raise BriefingFileError(f"“{name}” is empty. Check you chose the right file.")
    if len(data) > MAX_DOCUMENT_BYTES:
        raise BriefingFileError(
            f"“{name}” is larger than {_size(MAX_DOCUMENT_BYTES)}, the limit for one PDF, Word or web page "
            "file. Check the file holds one briefing, not a whole report or several briefings; if the "
            "briefing is inside a larger document, copy its text into a .txt file and upload that."
        )
    actual = sniffed_format(data)
    if actual == expected:
        return expected
    if actual == "damaged zip" and expected == "docx":
        raise BriefingFileError(
            f"“{name}” cannot be opened: it starts like a Word document but the file is damaged (it may not "
            "have finished downloading). Download or save it again and upload the new copy."
        )
    if actual == "protected docx" and expected == "docx":
        raise BriefingFileError(
            f"“{name}” cannot be read: this Word document is protected by a password. Ask the publisher for "
            "a copy without a password, or open it, save a copy without the password and upload that."
        )
    looks_like = _LOOKS_LIKE.get(actual, _LOOKS_LIKE["zip"])
    if actual in _SUFFIX_OF_FORMAT:
        advice = (
            f"If it is the briefing, rename it to end in {_SUFFIX_OF_FORMAT[actual]} and upload it again; "
            "otherwise check you chose the right file."
        )
    elif actual == "doc":
        advice = "Open it in Word, save it as a Word document (.docx) and upload that."
    else:
        advice = "Check you chose the right file."
    raise BriefingFileError(f"“{name}” is not {_LOOKS_LIKE[expected]}: it looks like {looks_like}. {advice}")
