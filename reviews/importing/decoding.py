"""From an uploaded file to the text of a briefing: which files are accepted,
how their bytes are decoded, and the limits on one import.

Every refusal is a ``BriefingFileError`` whose message tells an editor what
to do about it.
"""

from __future__ import annotations

import codecs
import math
import re
from pathlib import PurePath

from django.conf import settings

# The five briefings in the knowledge base are 4 to 8 KB and give 7 to 47
# entries. The limits leave room for long ones while keeping an import quick
# and the draft's admin page one an editor can open, check and save.
MAX_FILE_BYTES = 200_000
MAX_CANDIDATES = 300
# Form fields the review's admin page posts: for the page itself (its fields
# and the inlines' management forms), and at most for each entry on it (a
# recommendation with three suggested themes).
PAGE_FORM_FIELDS = 50
ENTRY_FORM_FIELDS = 11
ALLOWED_SUFFIXES = (".txt", ".md", ".markdown")


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
    if suffix not in ALLOWED_SUFFIXES:
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
