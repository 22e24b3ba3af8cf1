"""How a value is replaced by one of similar meaning that identifies no one (the ``clean`` action).

* Dates: :func:`date_offset` gives each patient a whole number of days, derived from the
  patient's identity and the secret; :func:`shift_date` and :func:`shift_datetime` move a DA
  or DT value by it. Two files of one patient keep their interval; the same secret gives the
  same offset in every run. Offsets are whole days, so times of day never change.
* Free text: :class:`TextCleaner` removes from a text every identifying value found elsewhere
  in the same file (person names and their parts, IDs, institution and station names ...) and
  everything that looks like a date.
* AE titles: :func:`ae_pseudonym` replaces a title by a consistent pseudonym, so one device
  keeps one name across files without its real name.

Every keyed value is an HMAC-SHA-512 of a label for its use and the input, keyed with the
secret (the ``uid_secret`` of :func:`anonymizer.anonymize`); without a secret it is a plain
SHA-512, which anyone who knows the input can recompute.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import re
from functools import lru_cache
from typing import Iterable

OFFSET_DAYS_MIN = 366
OFFSET_DAYS_MAX = 3652
"""Offsets move dates back by 366 to 3652 days (one to ten years): far enough that the real
dates cannot be guessed from the shifted ones, never into the future."""

_DATE_LIKE = re.compile(
    r"(?<![0-9])(?:"
    r"(?:19|20)[0-9]{2}[-./]?(?:0[1-9]|1[0-2])[-./]?(?:0[1-9]|[12][0-9]|3[01])"  # 2024-01-31, 20240131
    r"|(?:0?[1-9]|[12][0-9]|3[01])[-./](?:0?[1-9]|1[0-2])[-./](?:19|20)?[0-9]{2}"  # 31.01.2024, 31/1/24
    r"|(?:0?[1-9]|1[0-2])[-./](?:0?[1-9]|[12][0-9]|3[01])[-./](?:19|20)[0-9]{2}"  # 01/31/2024
    r")(?![0-9])"
)
_MONTH = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
          r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?")
_DAY = r"(?:0?[1-9]|[12][0-9]|3[01])(?:st|nd|rd|th)?"
_WORDY_DATE = re.compile(
    r"(?<!\w)(?:"
    rf"{_MONTH}[\s\-/]*{_DAY},?[\s\-/]*(?:19|20)?[0-9]{{2}}"           # Jan 31 2024, January 31, 2024
    rf"|{_DAY}[\s\-/]*(?:of\s+)?{_MONTH},?[\s\-/]*(?:19|20)?[0-9]{{2}}"  # 31 Jan 2024, 31-JAN-2024
    rf"|{_MONTH}[\s\-/]*(?:19|20)[0-9]{{2}}"                              # Jan 2024
    r")(?!\w)",
    re.IGNORECASE,
)
_SEPARATORS = r"[\s\-./()]*"
_SPACES = re.compile(r"\s{2,}")
_EMPTY_BRACKETS = re.compile(r"\(\s*\)|\[\s*\]")
_SPACE_BEFORE_PUNCTUATION = re.compile(r"\s+([,;:.])")
_EDGES = " ,;:-_/^"


def _digest(label: str, text: str, secret: bytes | None) -> bytes:
    data = label.encode("ascii") + b"\x00" + text.encode("utf-8", "replace")
    if secret:
        return hmac.new(secret, data, hashlib.sha512).digest()
    return hashlib.sha512(data).digest()


def patient_key(patient_id: str, patient_name: str) -> str:
    """What identifies the patient for the date offset: the Patient ID, else the name; "" if neither.

    Normalised so that trivial differences between files do not split a patient: surrounding
    spaces and NULs go, letters are upper-cased, and a name keeps only its alphabetic group with
    empty trailing components dropped (``Doe^John^^`` = ``DOE^JOHN``).
    """
    identifier = patient_id.strip("\x00 ").upper()
    if identifier:
        return "ID:" + identifier
    name = patient_name.split("=")[0].strip("\x00 ").upper()
    components = [" ".join(part.split()) for part in name.split("^")]
    while components and not components[-1]:
        components.pop()
    return "NAME:" + "^".join(components) if components else ""


def date_offset(key: str, secret: bytes | None) -> int:
    """The patient's offset in days (negative: dates move back), from :func:`patient_key`."""
    number = int.from_bytes(_digest("date-offset", key, secret)[:8], "big")
    return -(OFFSET_DAYS_MIN + number % (OFFSET_DAYS_MAX - OFFSET_DAYS_MIN + 1))


def shift_date(text: str, days: int) -> str | None:
    """A DA value (``YYYYMMDD``; ACR-NEMA ``YYYY.MM.DD`` is read too) moved by ``days``; None if
    it is not a date."""
    text = text.strip("\x00 ")
    if len(text) == 10 and text[4] == text[7] == ".":
        text = text.replace(".", "")
    if len(text) != 8 or not text.isdigit():
        return None
    try:
        day = datetime.date(int(text[:4]), int(text[4:6]), int(text[6:]))
        return (day + datetime.timedelta(days=days)).strftime("%Y%m%d")
    except (ValueError, OverflowError):
        return None


def shift_datetime(text: str, days: int) -> str | None:
    """A DT value moved by ``days``: the date part shifts, the time and UTC offset stay.

    A DT of year or year-month precision is shifted from its first day and kept at its
    precision. None if it is not a date-time.
    """
    match = re.fullmatch(r"([0-9]{4,14}(?:\.[0-9]{1,6})?)([+-][0-9]{4})?", text.strip("\x00 "))
    if match is None:
        return None
    value, zone = match.group(1), match.group(2) or ""
    digits = len(value.split(".")[0])
    if digits not in (4, 6, 8, 10, 12, 14):
        return None
    moved = shift_date(value[:8] + "0101"[digits - 4:] if digits < 8 else value[:8], days)
    if moved is None:
        return None
    return moved[: min(digits, 8)] + value[8:] + zone


def ae_pseudonym(title: str, secret: bytes | None) -> str:
    """``AE`` and 12 hex digits: the same title gives the same pseudonym in every file and run."""
    return "AE" + _digest("ae-title", title.strip("\x00 "), secret).hex()[:12].upper()


class TextCleaner:
    """Removes identifying values from free text.

    ``values`` are the identifying values found in the file (person names and their
    components, IDs, names of places and devices). Each is removed wherever it occurs as a
    whole word, ignoring case; so is anything that looks like a date (``20240131``,
    ``2024-01-31``, ``31.01.2024``, ``1/31/2024`` ...). What remains is tidied: runs of spaces
    collapsed, emptied brackets and dangling separators dropped. Text with nothing to remove
    comes back unchanged. A name the file does not hold elsewhere cannot be recognised: the
    validator flags every cleaned text at level 2 for that reason.
    """

    MIN_LENGTH = 2
    """Shorter values (a single initial, ``M`` for a sex) are not searched for."""

    def __init__(self, values: Iterable[str]):
        found: set[str] = set()
        for value in values:
            value = " ".join(value.replace("^", " ").split())
            found.add(value)
            # the parts of an address or a list ("12 FAKE ST, FAKETOWN"): each may appear alone
            found.update(part.strip() for part in re.split(r"[,;\n]", value) if len(part.strip()) >= 4)
        words = sorted({w for w in found if len(w) >= self.MIN_LENGTH}, key=lambda v: (-len(v), v))
        self._pattern = (
            re.compile("|".join(_word_pattern(w) for w in words), re.IGNORECASE) if words else None
        )
        self._cleaned: dict[str, str] = {}
        """Each text cleaned so far, and what it became (the files of a series repeat them)."""

    def __call__(self, text: str) -> str:
        cleaned = self._cleaned.get(text)
        if cleaned is None:
            if len(self._cleaned) >= _CLEANED_KEPT:
                self._cleaned.clear()
            cleaned = self._cleaned[text] = self._clean(text)
        return cleaned

    def _clean(self, text: str) -> str:
        cleaned = _WORDY_DATE.sub(" ", _DATE_LIKE.sub(" ", text))
        if self._pattern is not None:
            cleaned = self._pattern.sub(" ", cleaned)
        if cleaned == text:
            return text
        cleaned = _SPACES.sub(" ", _EMPTY_BRACKETS.sub(" ", cleaned))
        return _SPACE_BEFORE_PUNCTUATION.sub(r"\1", cleaned).strip(_EDGES)


_CLEANED_KEPT = 1024


@lru_cache(maxsize=16)
def text_cleaner(values: tuple[str, ...]) -> TextCleaner:
    """The :class:`TextCleaner` of ``values``, made once for the files that hold the same
    identifying values (a patient's series), with what it cleaned in them."""
    return TextCleaner(values)


def _word_pattern(value: str) -> str:
    """A value as a regular expression: the whole value as a word (letters of any script;
    ignoring case), spaces matching any run of spaces; a value with five digits or more (a
    telephone number, an ID) also spelled with other separators between its digits. A value in
    a script written without spaces (Chinese, Japanese) matches anywhere."""
    if sum(c.isdigit() for c in value) >= 5 and not any(c.isalpha() for c in value):
        digits = [c for c in value if c.isdigit()]
        body = _SEPARATORS.join(digits)
    else:
        body = r"\s+".join(re.escape(part) for part in value.split())
    if any(ord(c) > 0x2E7F and c.isalpha() for c in value):
        return f"(?:{body})"
    return rf"(?<!\w)(?:{body})(?!\w)"


def name_parts(value: str) -> list[str]:
    """A person name and its family, given and middle names, in every component group."""
    parts = []
    for group in value.split("="):
        components = group.split("^")
        parts.append(" ".join(c.strip() for c in components if c.strip()))
        parts.extend(c.strip() for c in components[:3])
        for component in components[:3]:
            parts.extend(component.split())
    return [p for p in parts if p]
