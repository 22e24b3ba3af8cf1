"""The residue check: a second line of defence that does not trust the policy.

The policy decides, attribute by attribute, what leaves. This module does not ask it what it
decided. Before an output is released, it reads the output's bytes back (the preamble, the file
meta group, every element at every depth of the data set and of the elements after the pixel
data; the pixel data itself is not searched) and looks in them for every identifying value the
input held. Any hit refuses the file at level 1, naming the attribute whose value was found and
where; the value itself is never shown.

**What is searched for** (the "needles", taken from the input at every depth):

* every person name (any PN attribute, public or private), whole, by component group, and by
  its family, given and middle name components and their words (prefixes and suffixes are
  titles such as ``Dr`` and are not searched);
* the values of the attributes in :data:`IDENTIFYING`: patient and other patient IDs, their
  issuers, accession number, study ID, placer and filler order numbers, admission ID, birth
  date (also as ``1902-03-04``, ``04.03.1902``, ``03/04/1902`` ...), addresses and telephone
  numbers, institution and department names and addresses, station names, locations;
* the free text (AE, LO, LT, SH, ST, UC, UR, UT) of every attribute that the output does not
  hold unchanged at the same place: what the policy removed or replaced, the file meta group's
  AE titles included.

**How it matches.** Values and output text are compared after folding case, turning the
``^``, ``=`` and ``\\`` separators, NULs and runs of white space into one space, and trimming.
A needle must start and end on a word boundary (no ASCII letter or digit just before or after
it), so ``ANN`` does not match inside ``ANNOTATION``; text without spaces (Chinese, Japanese)
matches anywhere. Each output element is searched twice: as text decoded with the Specific
Character Set in force there, and as its raw bytes (with each needle encoded in UTF-8,
Latin-1 and the input's and the output's character sets), so a value hidden by a wrong
character set declaration, in a binary value (OB, UN ...) or in a private block is found too.

**What is not searched for, and why** (each rule avoids refusing innocent files):

* values too short to mean anything: under 3 letters or digits (2 for non-Latin scripts, where
  two characters make a name), numbers under 4 digits, a single repeated character
  (``00000000``), placeholders that identify no one (``ANONYMOUS``, ``UNKNOWN``, ``TEST`` ...:
  :data:`PLACEHOLDERS`);
* the anonymiser's own written values: the dummies (``ANONYMIZED``, ``19700101``, ``000000``
  ...), the fixed values of the built-in profiles (``REMOVED`` ...), the de-identification
  method text and codes, the implementation's UID and name. An output value that is exactly
  one of these is not searched; an input value that is exactly one of these is no needle.
  Regenerated UIDs hold digits only and are never searched for digit-only needles (below);
* values the user chose to release: the attributes that a chosen option of the standard keeps
  (its column of Table E.1-1 says K: Institution Name under Retain Institution Identity,
  Station Name under Retain Device Identity ...), and attributes a custom policy keeps by
  tag or keyword. Neither their values nor any needle equal to one of their values is
  searched. The profile's own tables are never trusted this way;
* digit-only needles (IDs such as ``12345678``) are not searched in numbers, dates, times,
  ages and UIDs (AS, DA, DS, DT, IS, TM, UI): a counter or a time that happens to equal an ID
  says nothing about anyone. The birth date is searched in dates too;
* a needle equal to a whole value of a coded string (CS) that holds it: defined terms such
  as Body Part Examined ``CHEST`` are vocabulary, not identity;
* free text (the third kind of needle) found in an output element whose own input value held
  that same text: finding it there says nothing about the removal, since the anonymiser did
  not put it there. Removing Study Description ``CHEST`` while Body Part Examined ``CHEST`` or
  Series Description ``CHEST PA`` are kept is no hit; whether kept free text is safe is the
  validator's call (level 2). Removed text that turns up anywhere the input did not have it
  (written, moved, copied) is a hit. Names and identifiers get no such exemption: a Patient
  ID the policy kept unchanged is a hit.

In binary values (OB, OW, UN ..., not text) only needles of at least
:data:`MIN_BINARY_BYTES` bytes are searched: shorter ones occur in image bytes by chance.

The search costs time linear in the size of the header, except for pathological inputs
crafted so that many needles share a word that the output repeats: past :data:`MAX_WORK`
comparisons the check stops and refuses the file rather than hang.

Pure Python (``re``, ``zlib`` and pydicom): it runs in the browser under Pyodide as it runs
on the command line.
"""

from __future__ import annotations

import re
import weakref
import zlib
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Iterator, NamedTuple, Sequence

from pydicom.charset import convert_encodings, decode_bytes, default_encoding, encode_string
from pydicom.datadict import private_dictionary_VR, tag_for_keyword
from pydicom.dataelem import DataElement, RawDataElement
from pydicom.dataset import Dataset
from pydicom.tag import BaseTag
from pydicom.filebase import DicomBytesIO
from pydicom.filereader import read_dataset
from pydicom.uid import DeflatedExplicitVRLittleEndian, ExplicitVRBigEndian, ImplicitVRLittleEndian, UID

from .elements import Element, Unusual, dictionary_vr, read_elements
from .errors import RefusedError
from .findings import FATAL, Finding
from .policy import creator_text
from .reader import ParsedFile, character_sets, check_structure
from .report import describe, tag_text
from . import rules as generated  # Table E.1-1 loaded on first use (rules.__getattr__)
from .rules import DUMMIES, KEEP, REPLACE

MIN_LETTERS = 3
"""A needle needs at least this many letters or digits ..."""
MIN_NON_LATIN = 2
"""... or this many when it holds letters beyond ASCII (两字 is a whole given name) ..."""
MIN_DIGITS = 4
"""... and a needle of digits only needs this many."""
MIN_BINARY_BYTES = 6
"""Shortest needle (encoded) searched for inside binary values."""
MAX_NEEDLE_CHARS = 256
"""A longer value is searched for by its first 256 characters (cut at a space)."""
MAX_WORK = 2_000_000
"""Comparisons allowed per file before the check refuses the file rather than hang."""

IDENTIFYING_KEYWORDS: tuple[str, ...] = (
    # the patient
    "PatientID", "IssuerOfPatientID", "OtherPatientIDs", "MedicalRecordLocator", "PatientBirthDate",
    "PatientAddress", "PatientTelephoneNumbers", "PatientTelecomInformation",
    "PatientInstitutionResidence", "CurrentPatientLocation",
    # the visit, the order, the study
    "AccessionNumber", "StudyID", "AdmissionID", "IssuerOfAdmissionID",
    "PlacerOrderNumberImagingServiceRequest", "FillerOrderNumberImagingServiceRequest",
    "PlacerOrderNumberImagingServiceRequestRetired", "FillerOrderNumberImagingServiceRequestRetired",
    "PlacerOrderNumberProcedure", "FillerOrderNumberProcedure",
    "LocalNamespaceEntityID", "UniversalEntityID",
    # people other than the patient: their contact details
    "ReferringPhysicianAddress", "ReferringPhysicianTelephoneNumbers",
    "PersonAddress", "PersonTelephoneNumbers", "PersonTelecomInformation",
    # places and devices
    "InstitutionName", "InstitutionAddress", "InstitutionalDepartmentName", "RequestingService",
    "StationName", "PerformedStationName", "ScheduledStationName",
    "PerformedLocation", "ScheduledProcedureStepLocation",
)
IDENTIFYING: frozenset[int] = frozenset(tag_for_keyword(k) for k in IDENTIFYING_KEYWORDS)
"""The attributes whose values are searched for wherever they sit, besides person names."""
_BIRTH_DATE = 0x00100030

PLACEHOLDERS: frozenset[str] = frozenset({
    "anonymized", "anonymised", "anonymous", "anon", "anonymize", "anonymise", "unknown", "none",
    "null", "nil", "n/a", "removed", "deleted", "redacted", "deidentified", "de-identified",
    "de identified", "patient", "test", "phantom", "noname", "no name", "not applicable",
    "other", "yes", "no", "xxx", "xxxx", "xxxxx",
    "unbekannt", "anonym", "inconnu", "anonyme", "desconocido", "anónimo", "sconosciuto", "anonimo",
    "onbekend", "anoniem",
})
"""Values that identify no one: never needles (compared after normalisation)."""
VENDOR_KEYWORDS: tuple[str, ...] = ("Manufacturer", "ManufacturerModelName")
VENDOR: frozenset[int] = frozenset(tag_for_keyword(k) for k in VENDOR_KEYWORDS)
"""Attributes naming the equipment's vendor and model: public names, which vendors' test and
phantom files reuse for the institution, the station, the operator ... Their values and words
are never needles."""
_WORDS = re.compile(r"[^\W_]+")

_TEXT_VRS = frozenset({"AE", "LO", "LT", "PN", "SH", "ST", "UC", "UR", "UT"})
_FREE_TEXT_VRS = frozenset({"AE", "LO", "LT", "SH", "ST", "UC", "UR", "UT"})
_NUMERIC_VRS = frozenset({"AS", "DA", "DS", "DT", "IS", "TM", "UI"})
_DATE_VRS = frozenset({"DA", "DT"})
_NUMBER_VRS = _NUMERIC_VRS - _DATE_VRS
"""Numbers, times, ages and UIDs: no digit-only needle is searched in them (not even a date)."""
_LETTER = re.compile(r"[^\W\d_]")
_STRING_VRS = _TEXT_VRS | _NUMERIC_VRS | {"CS"}

NAME, IDENTIFIER, DATE, FREE_TEXT = "name", "identifier", "date", "free text"

_SEPARATORS = re.compile(r"[\s^=\\\x00]+")
_NOT_ALNUM = re.compile(r"[\W_]+")
_SEPARATORS_B = re.compile(rb"[\s^=\\\x00]+")
_WORD = re.compile(r"[0-9a-z]{3,}")
_WORD_B = re.compile(rb"[0-9a-z]{3,}")
_ASCII_ALNUM = frozenset("0123456789abcdefghijklmnopqrstuvwxyz")
_ASCII_ALNUM_B = frozenset(b"0123456789abcdefghijklmnopqrstuvwxyz")
_CONTROL = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1a\x1c-\x1f]")
"""Bytes that text does not hold: a value with one of them is binary (image bytes, tables)."""


def normalise(text: str) -> str:
    """Case folded, separators and white space as single spaces, trimmed."""
    if len(text) <= _CACHED_LENGTH:
        return _normalise_short(text)
    return _SEPARATORS.sub(" ", text).strip().casefold()


_CACHED_LENGTH = 256
"""Values up to this long are normalised and decoded once (a series repeats most of them)."""


@lru_cache(maxsize=8192)
def _normalise_short(text: str) -> str:
    return _SEPARATORS.sub(" ", text).strip().casefold()


def _normalise_bytes(data: bytes) -> bytes:
    return _SEPARATORS_B.sub(b" ", data).strip().lower()


@lru_cache(maxsize=8192)
def meaningful(text: str) -> bool:
    """Whether a normalised value is long and specific enough to be searched for."""
    if text in PLACEHOLDERS:
        return False
    alnum = _NOT_ALNUM.sub("", text)
    if len(set(alnum)) <= 1:
        return False
    if alnum.isdigit():
        return len(alnum) >= MIN_DIGITS
    if not alnum.isascii():
        return len(alnum) >= MIN_NON_LATIN
    return len(alnum) >= MIN_LETTERS


@dataclass
class Needle:
    """One identifying value of the input, normalised, and where it came from."""

    text: str
    kind: str
    tag: int
    raw: set[bytes] = field(default_factory=set)
    """The value encoded as it may appear in bytes (normalised, ASCII lower-cased)."""

    @property
    def digits_only(self) -> bool:
        return not any(ch.isalpha() for ch in self.text)


@dataclass
class Outcome:
    """What the residue check did for one file: ``report()["residue_check"]``."""

    values_checked: int
    tags: list[str]
    elements_searched: int
    findings: list[Finding]

    def as_dict(self) -> dict:
        return {"values_checked": self.values_checked, "tags": self.tags,
                "elements_searched": self.elements_searched, "found": len(self.findings)}


class _GaveUp(Exception):
    pass


def check(parsed: ParsedFile, segments: list, policy, custom=None) -> Outcome:
    """Search the output ``segments`` for every identifying value of ``parsed``.

    ``policy`` (the engine's :class:`~anonymizer.policy.Policy`) is asked only for the
    constants the anonymiser writes (its dummies, fixed values and method codes) and for the
    options chosen; ``custom`` for the attributes it keeps by name. Returns the
    :class:`Outcome`; raises :class:`RefusedError` if a value was found, or if the output
    cannot be read back.
    """
    written = _written_constants(policy, custom)
    exempt_tags = _exempt_tags(policy.options) | _custom_kept(custom)
    try:
        # plain top-level values are paired by their tag (_Pair) from the second file of a series
        # on, unless elements follow the pixel data (rare); otherwise every value is paired by
        # its place, as nested values always are
        output, output_encodings = _output_values_lean(
            segments, paired=not len(parsed.trailing) and _series_seen_before(parsed.header))
    except Unusual:
        output, output_encodings = _output_values(segments)
    # each value's place, (prefix, tag), pairs input and output values (cheaper than its path: a
    # header of 100,000 removed elements never names them); a plain top-level value of the
    # output (an Element) pairs by its tag with the input's
    out_values: dict[tuple[str, int], _Value] = {}
    out_plain: dict[int, Element] = {}
    for entry in output:
        if type(entry) is Element:
            out_plain[entry.tag] = entry
        else:
            out_values[(entry.prefix, entry.tag)] = entry

    watched = _watched(exempt_tags)
    identifying: list[tuple] = []  # (tag, VR, texts, kept) of each value that may give a needle
    origins: dict[tuple[str, int], _Value] = {}
    free_texts: set[tuple] = set()
    header_encodings = _encodings_of(parsed.header, [default_encoding])
    header_decoding, output_decoding = tuple(header_encodings), tuple(output_encodings)
    remembered = _pairs_remembered(header_decoding, output_decoding, watched)
    pairs: dict[int, _Pair] = {}
    for dataset in (parsed.file_meta, parsed.header, parsed.trailing):
        for value in _scan(dataset, "", header_encodings, paired=bool(out_plain) and dataset is parsed.header):
            if type(value) is Element:
                out_element = out_plain.get(value.tag)
                if out_element is not None or ("", value.tag) not in out_values:
                    pair = remembered.get((value, out_element))
                    if pair is None:
                        pair = _pair(remembered, value, out_element, header_decoding, output_decoding, watched)
                    pairs[value.tag] = pair
                    if pair.free_text is None:
                        if pair.identifying is not None:
                            identifying.append(pair.identifying)
                    elif pair.free_text not in free_texts:
                        free_texts.add(pair.free_text)
                        identifying.append(pair.identifying)
                    continue
                # the output holds something else here (a sequence, a long value): by place
                value = _plain_value("", value, header_decoding)
            place = value.prefix, value.tag
            out_value = out_values.get(place)
            if out_value is None and not value.prefix and value.tag in out_plain:
                # a plain output value where the input's is not plain: both go by place
                out_value = out_values[place] = _plain_value("", out_plain.pop(value.tag), output_decoding)
            if out_value is not None:  # only what the output holds at the same place matters
                origins[place] = value
            vr = value.vr
            if vr == "PN" or value.tag in watched:
                kept = out_value is not None and value.key == out_value.key
                identifying.append((value.tag, vr, _as_tuple(value.texts), kept))
            elif vr in _FREE_TEXT_VRS and not (out_value is not None and value.key == out_value.key):
                # free text gives the needle of its first public, else private, source: the
                # same text again adds nothing (a header of 100,000 removed values repeats them)
                seen = tuple(value.texts or ()), value.tag >> 16 & 1
                if seen not in free_texts:
                    free_texts.add(seen)
                    identifying.append((value.tag, vr, _as_tuple(value.texts), False))
            # nothing else can give a needle or an exemption
    # a series gives the same identifying values file after file: their needles and matcher,
    # and what it found in each value, are reused (with the effort it cost, counted again
    # against MAX_WORK)
    needles, needle_tags, matcher = _needles_for(tuple(identifying), written, exempt_tags, output_decoding,
                                                 header_decoding)
    budget = _Budget()
    hits: dict[tuple[str, int], Finding] = {}
    try:
        for value in output:
            if type(value) is Element and value.tag in out_plain:
                pair = pairs.get(value.tag)
                if pair is None:  # nothing in the input here
                    pair = remembered.get((None, value))
                    if pair is None:
                        pair = _pair(remembered, None, value, header_decoding, output_decoding, watched)
                if pair is _NOTHING:
                    continue
                value = pair.value
                if pair.matcher() is matcher:  # what pair.search() gives, without a call for each value
                    found = pair.found
                    budget.spent += pair.spent
                    if budget.spent > MAX_WORK:
                        raise _GaveUp()
                else:
                    found = pair.search(matcher, budget)
            elif type(value) is Element:  # paired by place after all (above)
                value = out_values[("", value.tag)]
                found = matcher.search(value, None, origins.get(("", value.tag)), budget)
            else:
                place = value.prefix, value.tag
                # whether the output holds the input's value unchanged is asked of the two values
                # only when the search needs it (None); a place the output holds twice is compared
                # with the last value there, as the input's last value there is the origin
                last, origin = out_values[place], origins.get(place)
                found = matcher.search(value, None if last is value else _unchanged(origin, last), origin, budget)
            for needle in found:
                key = (value.path, needle.tag)
                if key not in hits:
                    name = describe(needle.tag)[1]
                    hits[key] = Finding(FATAL, value.path, (
                        f"residue check: the value of {name} {tag_text(needle.tag)} in the input "
                        "is still in the output here"))
    except _GaveUp:
        raise RefusedError([Finding(FATAL, "", (
            "residue check: the file holds too many similar identifying values to search in "
            "reasonable time; refused rather than released unchecked"))]) from None
    outcome = Outcome(len(needles), list(needle_tags), len(output), list(hits.values()))
    if outcome.findings:
        raise RefusedError(outcome.findings)
    return outcome


class _Pair:
    """One top-level element that is a single short value in the input, the output or both
    (the bulk of a header): what it gives the needles and what the search finds in it depend
    on nothing but its two values, so a series' files share it (:func:`_pair`).

    ``identifying`` is what the input's value adds to ``check``'s list of values that may give
    a needle, if anything; ``free_text``, when set, is its text as ``check`` remembers free
    text: only its first source gives a needle. The matcher whose search is remembered is held
    by a weak reference: pairs do not keep the matchers of earlier patients alive."""

    __slots__ = ("origin", "value", "identifying", "free_text", "matcher", "found", "spent")

    def __init__(self, origin: _Value | None, value: _Value | None, watched: frozenset[int]):
        self.origin, self.value = origin, value
        self.identifying = self.free_text = None
        self.matcher = _no_matcher
        if origin is None:
            return
        tag, vr = origin.tag, origin.vr
        if vr == "PN" or tag in watched:
            self.identifying = (tag, vr, _as_tuple(origin.texts), _unchanged(origin, value))
        elif vr in _FREE_TEXT_VRS and not _unchanged(origin, value):
            self.identifying = (tag, vr, _as_tuple(origin.texts), False)
            self.free_text = tuple(origin.texts or ()), tag >> 16 & 1

    def search(self, matcher: _Matcher, budget: _Budget) -> Sequence[Needle]:
        """``matcher.search`` of the output's value, remembered (``found``) with the effort it
        cost (``spent``) for ``matcher``."""
        if self.matcher() is matcher:
            budget.spent += self.spent
            if budget.spent > MAX_WORK:
                raise _GaveUp()
            return self.found
        before = budget.spent
        found = tuple(matcher.search(self.value, None, self.origin, budget))
        self.matcher, self.found, self.spent = weakref.ref(matcher), found, budget.spent - before
        return found


def _pair(remembered: dict, origin: Element | None, value: Element | None, input_decoding: tuple[str, ...],
          output_decoding: tuple[str, ...], watched: frozenset[int]) -> _Pair:
    """A new :class:`_Pair` of a plain top-level element of the input and (or) of the output
    (of at most :data:`_CACHED_LENGTH` bytes), remembered by the two (``remembered[origin, value]``);
    :data:`_NOTHING` where neither can matter."""
    if ((origin is None or origin.vr in _NUMBER_VRS and origin.tag not in watched)
            and (value is None or value.vr in _NUMBER_VRS and _letterless(value.value))):
        pair = _NOTHING
    else:
        pair = _Pair(None if origin is None else _plain_value("", origin, input_decoding),
                     None if value is None else _plain_value("", value, output_decoding), watched)
    if len(remembered) >= _PAIRS_KEPT:
        remembered.clear()
    remembered[origin, value] = pair
    return pair


def _series_seen_before(header: Dataset) -> bool:
    """Whether a file of ``header``'s series was checked before in this process (:func:`series_seen`),
    the series noted as seen: a pair pays for itself from the second file of a series on, and
    costs a batch of unrelated files time."""
    series = _series(header)
    if series in _SERIES_SEEN:
        return True
    if series is not _UNHASHABLE:
        if len(_SERIES_SEEN) >= _PAIRS_KEPT:
            _SERIES_SEEN.clear()
        _SERIES_SEEN.add(series)
    return False


def series_seen(header: Dataset) -> bool:
    """Whether a file of ``header``'s series was checked before in this process. The engine
    asks it too: what it remembers of one file is worth it from the second file of a series on."""
    return _series(header) in _SERIES_SEEN


def _series(header: Dataset) -> bytes | str | None | object:
    """The Series Instance UID of ``header`` as stored (raw bytes or converted), or
    :data:`_UNHASHABLE`."""
    stored = header._dict.get(_SERIES_INSTANCE_UID)
    series = None if stored is None else stored.value
    return series if isinstance(series, (bytes, str, type(None))) else _UNHASHABLE


_UNHASHABLE = object()
"""A Series Instance UID held as something else than text (several values): never seen."""


_SERIES_INSTANCE_UID = BaseTag(0x0020000E)
_SERIES_SEEN: set[bytes | str | None] = set()


@lru_cache(maxsize=8)
def _pairs_remembered(input_decoding: tuple[str, ...], output_decoding: tuple[str, ...],
                      watched: frozenset[int]) -> dict[tuple, _Pair]:
    """The pairs made under these character sets and watched tags, by their two values."""
    return {}


_PAIRS_KEPT = 8192


def _no_matcher() -> None:
    """A pair's matcher before its first search (what a dead weak reference gives)."""
    return None


def _letterless(raw: bytes) -> bool:
    """Whether the bytes of a number, time, age or UID are ASCII without a letter or an escape:
    the search finds no needle there (in those VRs only needles with letters count, and the
    text decoded is the bytes themselves), as :meth:`_Matcher._search` finds."""
    return raw.isascii() and _NO_LETTER_B.fullmatch(raw) is not None


_NO_LETTER_B = re.compile(rb"[^A-Za-z\x1b]*")
_NOTHING = _Pair(None, None, frozenset())
"""The pair of an input value that gives no needle (a number, time, age or UID the input does
not watch) and an output value that can hold none (:func:`_letterless`), either side possibly
absent: :func:`check` passes it over."""


def _plain_value(prefix: str, element: Element, decoding: tuple[str, ...]) -> _Value:
    """The value of a plain element of at most :data:`_CACHED_LENGTH` bytes whose VR is
    settled (as :func:`_scan` and :func:`_scan_elements` give it)."""
    tag, vr, raw, _ = element
    return _new_tuple(_Value, (prefix, tag, vr, _decode_short(raw, vr, decoding) if vr in _STRING_VRS else None, raw))


def _unchanged(origin: _Value | None, value: _Value | None) -> bool:
    """Whether the output's ``value`` is the input's ``origin`` at the same place, unchanged
    (None: nothing there)."""
    return origin is not None and value is not None and origin.key == value.key


# -- reading the output back --------------------------------------------------------------------


def _output_values(segments: list) -> tuple[list[_Value], list[str]]:
    """Every value of the output, read back with pydicom, and the output's character set."""
    output: list[_Value] = []
    output_encodings = [default_encoding]
    for dataset, encodings in _read_output(segments):
        if isinstance(dataset, bytes):
            output.append(_Value("preamble", _PREAMBLE, "OB", None, dataset))
            continue
        output.extend(_scan(dataset, "", encodings))
        if encodings != [default_encoding]:
            output_encodings = encodings
    return output, output_encodings


def _output_values_lean(segments: list, paired: bool = False) -> tuple[list[_Value | Element], list[str]]:
    """What :func:`_output_values` returns, read with the lean reader of
    ``anonymizer.elements``; raises :class:`~anonymizer.elements.Unusual` where that reader
    would not read as pydicom does (then :func:`_output_values` reads the output).
    ``paired``: the data set's plain top-level values are given as :func:`_scan_elements`
    gives them when ``paired``, unless elements follow the pixel data."""
    blocks = [s for s in segments if isinstance(s, (bytes, bytearray))]
    if not blocks or len(blocks[0]) < 132 or blocks[0][128:132] != b"DICM":
        raise Unusual("no preamble")
    first = bytes(blocks[0])
    output = [_Value("preamble", _PREAMBLE, "OB", None, first[:128])]
    meta = read_elements(first[132:], False, True)
    output.extend(_scan_elements(meta, "", [default_encoding]))
    syntax = next((e.value for e in meta if e.tag == 0x00020010), b"")
    if not syntax.isascii() or b"\\" in syntax:
        raise Unusual("an odd transfer syntax")
    syntax = syntax.decode("ascii").strip("\x00 ").strip()  # the text UID() would hold
    if syntax == DeflatedExplicitVRLittleEndian or not syntax:
        raise Unusual("a deflated data set")
    implicit, little = syntax == ImplicitVRLittleEndian, syntax != ExplicitVRBigEndian
    encodings = output_encodings = [default_encoding]
    for index, data in enumerate(blocks[1:]):
        elements = read_elements(bytes(data), implicit, little)
        if index == 0:
            encodings = _element_encodings(elements, [default_encoding])
            if encodings != [default_encoding]:
                output_encodings = encodings
        output.extend(_scan_elements(elements, "", encodings, paired and len(blocks) == 2))
    return output, output_encodings


def _scan_elements(elements: list[Element], prefix: str, encodings: list[str],
                   paired: bool = False) -> Iterator[_Value | Element]:
    """What :func:`_scan` yields for the data set read by ``anonymizer.elements`` (``paired``:
    a plain value of up to :data:`_CACHED_LENGTH` bytes as an :class:`Element` of its VR)."""
    encodings = _element_encodings(elements, encodings)
    decoding = tuple(encodings)
    for element in elements:
        tag, stored_vr, raw, items = element
        if items is not None:
            path = prefix + tag_text(tag)
            for index, item in enumerate(items):
                yield from _scan_elements(item, f"{path}[{index}].", encodings)
            continue
        vr = stored_vr or _dictionary_vr(tag)
        if vr not in _STRING_VRS and vr != "SQ" and not tag >> 16 & 1 and _dictionary_vr(tag) in _STRING_VRS:
            vr = _dictionary_vr(tag)  # a wrong or unknown VR: read the value as what the tag holds
        if paired and len(raw) <= _CACHED_LENGTH and tag >> 16 != 0x0002:
            yield element if vr == stored_vr else _new_tuple(Element, (tag, vr, raw, None))
            continue
        texts = None
        if vr in _STRING_VRS:
            texts = _decode_short(raw, vr, decoding) if len(raw) <= _CACHED_LENGTH else _decoded(raw, vr, encodings)
        yield _new_tuple(_Value, (prefix, tag, vr, texts, raw))


def _element_encodings(elements: list[Element], inherited: list[str]) -> list[str]:
    """:func:`_encodings_of` for the data set read by ``anonymizer.elements``."""
    for element in elements:
        if element.tag == 0x00080005:
            return _charset_of(element.vr, element.value, inherited)
        if element.tag > 0x00080005:
            break
    return inherited


def _charset_of(vr: str | None, value: bytes, inherited: list[str]) -> list[str]:
    """The character sets a raw Specific Character Set names (``reader.character_sets``), the
    ``inherited`` ones where pydicom cannot convert it."""
    try:
        return list(character_sets(vr, value))
    except Exception:
        return inherited


def _read_output(segments: list) -> Iterator[tuple[bytes | Dataset, list[str]]]:
    """(preamble bytes or data set, encodings) for each part of the output, read from the
    bytes that will be written: the preamble, the file meta group, the data set, and the
    elements after the pixel data."""
    blocks = [s for s in segments if isinstance(s, (bytes, bytearray))]
    if not blocks or len(blocks[0]) < 132 or blocks[0][128:132] != b"DICM":
        raise _unreadable("the output does not start with a preamble and DICM")
    first = bytes(blocks[0])
    yield first[:128], []
    try:
        meta_fp = DicomBytesIO(first[132:])
        meta = read_dataset(meta_fp, False, True)
        if meta_fp.tell() != len(first) - 132:
            raise ValueError("bytes after the file meta group in its segment")
        syntax = UID(str(meta[0x00020010].value).strip("\x00 "))
        yield meta, [default_encoding]
        implicit, little = syntax == ImplicitVRLittleEndian, syntax != ExplicitVRBigEndian
        parts = [bytes(b) for b in blocks[1:]]
        if syntax == DeflatedExplicitVRLittleEndian and parts:
            inflate = zlib.decompressobj(-zlib.MAX_WBITS)
            parts[0] = inflate.decompress(parts[0]) + inflate.flush()
        encodings = [default_encoding]
        for index, data in enumerate(parts):
            fp = DicomBytesIO(data)
            check_structure(fp, 0, len(data), implicit, little, stop_at_pixel_data=False)
            fp.seek(0)
            dataset = read_dataset(fp, implicit, little, parent_encoding=encodings)
            if fp.tell() != len(data):
                raise ValueError(f"{len(data) - fp.tell()} bytes of output segment {index + 1} are not elements")
            if index == 0:
                encodings = _encodings_of(dataset, [default_encoding])
            yield dataset, encodings
    except RefusedError:
        raise
    except Exception as error:  # the output must read back, or it is not released
        raise _unreadable(f"{type(error).__name__}: {error}") from None


def _unreadable(why: str) -> RefusedError:
    return RefusedError([Finding(FATAL, "", f"residue check: the output cannot be read back to be checked ({why})")])


def _encodings_of(dataset: Dataset, inherited: list[str]) -> list[str]:
    stored = dataset._dict.get(_SPECIFIC_CHARACTER_SET)
    if stored is None:
        return inherited
    if isinstance(stored, RawDataElement) and isinstance(stored.value, bytes):  # converted once per value
        return _charset_of(stored.VR, stored.value, inherited)
    return _converted_encodings(dataset, inherited)


def _converted_encodings(dataset: Dataset, inherited: list[str]) -> list[str]:
    """The character sets the Specific Character Set of ``dataset`` names, as pydicom converts it."""
    try:
        value = dataset[0x00080005].value
        return convert_encodings(value if isinstance(value, str) else list(value))
    except Exception:
        return inherited


_SPECIFIC_CHARACTER_SET = BaseTag(0x00080005)
_new_tuple = tuple.__new__
_PREAMBLE = -1
"""The tag of the preamble's :class:`_Value`."""


class _Value(NamedTuple):
    """One element's value, as text and as bytes."""

    prefix: str
    """Where its data set sits: "" at the top level, ``(0008,1115)[0].`` in an item ..."""
    tag: int
    vr: str
    texts: Sequence[str] | None
    """Each value as text (decoded with the character set in force), for string VRs: a tuple
    when ``raw`` is given (:meth:`_Matcher.search` hashes both)."""
    raw: bytes | None
    """The value's bytes as they are in the file, when they were read here."""

    @property
    def path(self) -> str:
        return self.prefix if self.tag == _PREAMBLE else self.prefix + tag_text(self.tag)

    @property
    def key(self) -> object:
        """What the value is, for telling whether the output holds an input value unchanged."""
        if self.texts is not None:
            text = "\\".join(self.texts)
            return _normalise_short(text) if len(text) <= _CACHED_LENGTH else normalise(text)
        if self.raw is not None:
            return (len(self.raw), hash(self.raw))
        return None


_ITEM_TAGS = (b"\xfe\xff\x00\xe0", b"\xff\xfe\xe0\x00")
_MULTI_TEXT_DELIMITERS = {0x5C}
_PN_DELIMITERS = {0x5C, 0x5E, 0x3D}
_TEXT_DELIMITERS = {0x0D, 0x0A, 0x09, 0x0C}
_SINGLE_VALUED = frozenset({"LT", "ST", "UT", "UR"})
_CHARSET_VRS = frozenset({"LO", "LT", "PN", "SH", "ST", "UC", "UT"})


def _scan(dataset: Dataset, prefix: str, encodings: list[str], paired: bool = False) -> Iterator[_Value | Element]:
    """Every element of ``dataset`` at every depth but sequences themselves, with its text and
    bytes. Elements still raw are decoded here (cheaper than pydicom's conversion, and the
    bytes stay at hand); sequences are parsed by pydicom. ``paired``: a plain value of up to
    :data:`_CACHED_LENGTH` bytes whose VR the tag settles (see :class:`_Pair`) is given as an
    :class:`Element` of that VR, undecoded."""
    encodings = _encodings_of(dataset, encodings)
    decoding = tuple(encodings)
    for key, stored in list(dataset._dict.items()):  # file order; keys compared as plain ints
        tag = int(key)
        if isinstance(stored, RawDataElement):
            vr = stored.VR or _dictionary_vr(tag)
            by_creator = False
            if vr not in _STRING_VRS and vr != "SQ" and not tag >> 16 & 1 and _dictionary_vr(tag) in _STRING_VRS:
                vr = _dictionary_vr(tag)  # a wrong or unknown VR: read the value as what the tag holds
            elif vr == "UN" and tag >> 16 & 1:
                # a private element read without its VR (implicit VR) or as UN: its VR as pydicom
                # gives it, so that a private person name gives needles whether or not the
                # engine had the element decoded
                vr = _private_vr(dataset, tag)
                by_creator = True
            raw = stored.value if isinstance(stored.value, bytes) else b""
            # an element of unknown VR holding items may be a sequence (a private one pydicom
            # knows, in implicit VR): read as pydicom reads it, as the engine read the input
            maybe_sequence = vr == "UN" and (stored.length == 0xFFFFFFFF or raw[:4] in _ITEM_TAGS)
            if vr != "SQ" and not maybe_sequence:
                if paired and not by_creator and len(raw) <= _CACHED_LENGTH and tag >> 16 != 0x0002:
                    yield _new_tuple(Element, (tag, vr, raw, None))
                    continue
                texts = None
                if vr in _STRING_VRS:
                    texts = (_decode_short(raw, vr, decoding) if len(raw) <= _CACHED_LENGTH
                             else _decoded(raw, vr, encodings))
                # _Value(prefix, tag, ...) without the Python-level __new__ of a NamedTuple: half the cost
                yield _new_tuple(_Value, (prefix, tag, vr, texts, raw))
                continue
        try:
            element = stored if isinstance(stored, DataElement) else dataset[key]
        except Exception:  # undecodable: its bytes are still searched
            raw = stored.value if isinstance(stored, RawDataElement) and isinstance(stored.value, bytes) else None
            yield _Value(prefix, tag, "UN", None, raw)
            continue
        if element.VR == "SQ":
            path = prefix + tag_text(tag)
            for index, item in enumerate(element.value or ()):
                yield from _scan(item, f"{path}[{index}].", encodings)
            continue
        value = element.value
        if isinstance(value, (bytes, bytearray)):
            yield _Value(prefix, tag, element.VR, None, bytes(value))
        elif element.VR in _STRING_VRS:
            yield _Value(prefix, tag, element.VR, [t.strip("\x00 ") for t in _texts(value)], None)
        else:
            yield _Value(prefix, tag, element.VR, None, None)


_dictionary_vr = dictionary_vr
"""The VR the dictionary gives a tag (the first of ``US or SS``), UN if unknown; cached."""


def _private_vr(dataset: Dataset, tag: int) -> str:
    """The VR pydicom gives a private element stored without one or as UN (its hooks'
    ``_private_vr_for_tag``): LO for a private creator, else the private dictionary's VR under
    the block's creator, else UN."""
    element = tag & 0xFFFF
    if 0x0010 <= element <= 0x00FF:
        return "LO"
    if not element & 0xFF00:
        return "UN"
    creator = creator_text(dataset, tag & 0xFFFF0000 | element >> 8)
    return _private_dictionary_vr(tag, creator) if creator else "UN"


@lru_cache(maxsize=1024)
def _private_dictionary_vr(tag: int, creator: str) -> str:
    try:
        return private_dictionary_VR(tag, creator).split(" or ")[0]
    except KeyError:
        return "UN"


@lru_cache(maxsize=8192)
def _decode_short(raw: bytes, vr: str, encodings: tuple[str, ...]) -> tuple[str, ...]:
    """:func:`_decoded` of values up to :data:`_CACHED_LENGTH` bytes, once per value."""
    return _decoded(raw, vr, list(encodings))


def _decoded(raw: bytes, vr: str, encodings: list[str]) -> tuple[str, ...]:
    """Each value of a string element's bytes as text, padding off."""
    if raw.isascii() and b"\x1b" not in raw:
        text = raw.decode("ascii")  # the same in every character set but ISO 2022's escapes
    elif vr in _CHARSET_VRS:
        delimiters = (_PN_DELIMITERS if vr == "PN" else _TEXT_DELIMITERS if vr in _SINGLE_VALUED
                      else _MULTI_TEXT_DELIMITERS)
        try:
            text = decode_bytes(raw, encodings, delimiters)
        except Exception:
            text = raw.decode("latin-1")
    else:
        text = raw.decode("latin-1")
    values = [text] if vr in _SINGLE_VALUED else text.split("\\")
    return tuple(v.strip("\x00 ") for v in values)


def _texts(value) -> list[str]:
    if value is None:
        return []
    if isinstance(value, (list, tuple)) or type(value).__name__ == "MultiValue":
        return [str(v) for v in value if v is not None]
    return [str(value)]


# -- what to search for -------------------------------------------------------------------------


def _written_constants(policy, custom) -> frozenset[str]:
    """The values the anonymiser writes from constants, normalised; once per policy (the
    engine's policies are cached per SOP class: a series asks for the same one each time)."""
    held = _CONSTANTS.get(id(policy))
    if held is not None and held[0] is policy and held[1] is custom:
        return held[2]
    if len(_CONSTANTS) >= 16:
        _CONSTANTS.clear()
    constants = _constants_of(policy, custom)
    _CONSTANTS[id(policy)] = (policy, custom, constants)  # the policy is held: its id is not reused
    return constants


_CONSTANTS: dict[int, tuple] = {}


def _constants_of(policy, custom) -> frozenset[str]:
    values = {str(v) for v in DUMMIES.values() if isinstance(v, str)}
    values |= {"YES", "NO", "REMOVED", "MODIFIED", "UNMODIFIED"}
    from . import __version__
    from .engine import IMPLEMENTATION_CLASS_UID, IMPLEMENTATION_VERSION_NAME
    values |= {IMPLEMENTATION_CLASS_UID, IMPLEMENTATION_VERSION_NAME,
               f"anonymizer {__version__}, profile {policy.profile}"[:64]}
    for code in policy.method_codes:
        values |= {code.value, code.scheme, code.meaning}
    custom_rules = {id(item.rule) for item in custom.rules} if custom is not None else set()
    values |= _profile_constants(policy, custom_rules)
    return frozenset(normalise(v) for v in values)


def _profile_constants(policy, custom_rules: set[int]) -> set[str]:
    rules = list(policy.rules.values()) + [p.rule for p in policy.patterns]
    for by_place in policy.in_context.values():
        rules.extend(by_place.values())
    values = set()
    for rule in rules:
        if rule.action == REPLACE and rule.value and id(rule) not in custom_rules:
            values.update(rule.value.split("\\"))
    return values


@lru_cache(maxsize=None)
def _exempt_tags(options: tuple[str, ...]) -> frozenset[int]:
    """Attributes that a chosen option keeps, by its column of Table E.1-1 (K)."""
    tags = set()
    for row in generated.table_e1_1.ROWS if options else ():
        if not row.tag.startswith("(gggg") and "x" not in row.tag and any(row.options.get(o) == "K" for o in options):
            tags.add(int(row.tag[1:5] + row.tag[6:10], 16))
    return frozenset(tags)


def _custom_kept(custom) -> frozenset[int]:
    if custom is None:
        return frozenset()
    return frozenset(item.tag for item in custom.rules if item.tag is not None and item.rule.action == KEEP)


@lru_cache(maxsize=8)
def _needles_for(identifying: tuple[tuple[int, str, tuple[str, ...], bool], ...], written: frozenset[str],
                 exempt_tags: frozenset[int], output_encodings: tuple[str, ...],
                 input_encodings: tuple[str, ...]) -> tuple[tuple[Needle, ...], tuple[str, ...], _Matcher]:
    """The needles of an input's ``identifying`` values ((tag, VR, texts, kept) each, in file
    order), the tags they come from, and their matcher: what :class:`_Collector` makes of them,
    once per distinct set."""
    collector = _Collector(written, exempt_tags)
    for tag, vr, texts, kept in identifying:
        collector.add(tag, vr, texts, kept)
    needles = collector.finish(list(output_encodings), list(input_encodings))
    matcher = _matcher_for(tuple((n.text, n.kind, n.tag, frozenset(n.raw)) for n in needles), written)
    return tuple(needles), tuple(sorted({tag_text(n.tag) for n in needles})), matcher


@lru_cache(maxsize=8)
def _watched(exempt_tags: frozenset[int]) -> frozenset[int]:
    """The tags whose values :class:`_Collector` uses whatever their VR."""
    return IDENTIFYING | VENDOR | exempt_tags


def _as_tuple(texts) -> tuple[str, ...]:
    return texts if type(texts) is tuple else tuple(texts or ())


class _Collector:
    """Gathers the needles of one input."""

    def __init__(self, written: frozenset[str], exempt_tags: frozenset[int]):
        self.written = written
        self.exempt_tags = exempt_tags
        self.exempt_values: set[str] = set()
        self.exempt_words: set[str] = set()
        self.seen: set[tuple[str, str, int]] = set()
        self.found: dict[str, Needle] = {}
        self.originals: dict[str, set[str]] = {}

    def add(self, tag: int, vr: str, texts: tuple[str, ...], kept: bool) -> None:
        """The needles and exemptions of one value (``kept``: the output holds it unchanged)."""
        texts = [t for t in texts if t]
        if not texts or (tag >> 16 == 0x0002 and vr not in _TEXT_VRS):
            return
        if tag in VENDOR:
            for text in texts:
                self.exempt_values.add(normalise(text))
                self.exempt_values.update(_WORDS.findall(normalise(text)))
        if tag in self.exempt_tags:
            for text in texts:
                self.exempt_values.add(normalise(text))
                self.exempt_words.update(_WORDS.findall(normalise(text)))
            return
        if vr == "PN":
            for text in texts:
                for part in _name_parts(text[:MAX_NEEDLE_CHARS]):
                    self._needle(part, NAME, tag)
        elif tag in IDENTIFYING:
            for text in texts:
                if tag == _BIRTH_DATE:
                    for form in _date_forms(text):
                        self._needle(form, DATE, tag)
                else:
                    self._needle(text, IDENTIFIER, tag)
        elif vr in _FREE_TEXT_VRS and not kept:
            for text in texts:
                self._needle(text, FREE_TEXT, tag)

    def _needle(self, text: str, kind: str, tag: int) -> None:
        if len(text) > MAX_NEEDLE_CHARS:  # long text: its first words, cut at a space
            text = text[:MAX_NEEDLE_CHARS].rsplit(" ", 1)[0]
        seen = (text, kind, tag >> 16 & 1)
        if seen in self.seen:
            return
        self.seen.add(seen)
        key = normalise(text)
        if not key or key in self.written or not meaningful(key):
            return
        self.originals.setdefault(key, set()).add(_SEPARATORS.sub(" ", text).strip())
        held = self.found.get(key)
        # one needle per value, named after its most telling source: an identifying value
        # before free text, a public attribute before a private one
        if held is None or _rank(kind, tag) < _rank(held.kind, held.tag):
            self.found[key] = Needle(key, kind, tag)

    def finish(self, output_encodings: list[str], input_encodings: list[str]) -> list[Needle]:
        encodings_lists = [["utf_8"], ["latin_1"]]
        for encodings in (list(output_encodings), list(input_encodings)):
            if encodings not in encodings_lists:
                encodings_lists.append(encodings)
        needles = []
        for key, needle in self.found.items():
            if key in self.exempt_values or (needle.kind != NAME and key in self.exempt_words):
                continue
            needles.append(needle)
            if key.isascii():
                needle.raw.add(_normalise_bytes(key.encode("ascii")))
                continue
            for original in self.originals[key] | {key}:
                for variant in {original, original.upper(), original.lower()}:
                    for encodings in encodings_lists:
                        encoded = _encode(variant, encodings)
                        if encoded:
                            needle.raw.add(_normalise_bytes(encoded))
        return needles


def _rank(kind: str, tag: int) -> tuple[bool, int]:
    return kind == FREE_TEXT, tag >> 16 & 1


def _encode(text: str, encodings: list[str]) -> bytes | None:
    try:
        if len(encodings) == 1:
            return text.encode(encodings[0])
        import warnings
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            return encode_string(text, encodings)
    except Exception:
        return None


def _name_parts(value: str) -> list[str]:
    """A person name whole, each component group, and the family, given and middle names and
    their words (prefix and suffix are titles: Dr, Mrs, Jr, PhD)."""
    parts = [value.replace("=", " ")]
    for group in value.split("="):
        components = group.split("^")
        parts.append(group)
        for component in components[:3]:
            parts.append(component)
            parts.extend(component.split())
    return [p for p in parts if p.strip()]


def _date_forms(text: str) -> list[str]:
    """A DA value and the ways free text writes it."""
    digits = text.replace(".", "").replace("-", "").strip()
    if len(digits) != 8 or not digits.isdigit():
        return [text]
    y, m, d = digits[:4], digits[4:6], digits[6:]
    return [digits, f"{y}-{m}-{d}", f"{y}.{m}.{d}", f"{y}/{m}/{d}", f"{d}.{m}.{y}", f"{d}/{m}/{y}",
            f"{m}/{d}/{y}", f"{d}-{m}-{y}", f"{m}-{d}-{y}"]


# -- the search ---------------------------------------------------------------------------------


class _Budget:
    """The comparisons one file's search may spend: past :data:`MAX_WORK` it gives up."""

    def __init__(self):
        self.spent = 0

    def spend(self, amount: int) -> None:
        self.spent += amount
        if self.spent > MAX_WORK:
            raise _GaveUp()


@lru_cache(maxsize=4)
def _matcher_for(needles: tuple[tuple[str, str, int, frozenset[bytes]], ...], written: frozenset[str]) -> _Matcher:
    """The matcher of these needles (text, kind, tag and byte forms)."""
    return _Matcher([Needle(text, kind, tag, set(raw)) for text, kind, tag, raw in needles], written)


_MEMO_LENGTH = 256
"""Values up to this long (bytes or characters) have what was found in them remembered."""
_MEMO_ENTRIES = 4096


class _Matcher:
    """Finds needles on word boundaries, anchored on each needle's longest ASCII word.

    What it found in a short value is remembered with the comparisons it spent there (a
    series repeats most values); a remembered value costs its budget the same again."""

    def __init__(self, needles: list[Needle], written: frozenset[str]):
        self._written = written
        self._memo: dict[tuple, tuple[tuple[Needle, ...], int]] = {}
        self.text_index, self.text_loose = self._index(((n.text, n) for n in needles), _WORD)
        self.raw_index, self.raw_loose = self._index(((form, n) for n in needles for form in n.raw), _WORD_B)

    @staticmethod
    def _index(pairs, word) -> tuple[dict, list]:
        index: dict = {}
        loose: list = []
        for form, needle in pairs:
            best = _anchor(form, word)
            if best is None:
                loose.append((form, needle))
                continue
            index.setdefault(best[0], []).append((form, best[1], needle))
        return index, loose

    def search(self, value: _Value, unchanged: bool | None, origin: _Value | None, budget: _Budget) -> Sequence[Needle]:
        """The needles in ``value``; ``origin`` is the input's value at the same place
        (``unchanged``: whether the output holds it unchanged there; None: whether ``value``
        is ``origin``, asked only if the search is not remembered). Free text that the origin
        held is not counted there."""
        raw, origin_raw = value.raw, None if origin is None else origin.raw
        if raw is not None and value.vr in _NUMBER_VRS and _letterless(raw):
            return ()  # what _search finds there, without a memo entry for each new UID or number
        if (raw is not None and len(raw) <= _MEMO_LENGTH
                and (origin is None or origin_raw is not None and len(origin_raw) <= _MEMO_LENGTH)):
            # the common case, both read from bytes (their texts, if any, a tuple): what
            # _memo_key gives, without its calls; the two values decide ``unchanged`` when it is None
            key = ((value[2:], None if origin is None else origin[2:]) if unchanged is None
                   else (value[2:], unchanged, None if origin is None else origin[2:]))
        else:
            if unchanged is None:
                unchanged = _unchanged(origin, value)
            key = _memo_key(value)
            if key is not None and origin is not None:
                held = _memo_key(origin)
                key = None if held is None else (key, unchanged, held)
            elif key is not None:
                key = (key, unchanged, None)
        if key is None:
            return self._search(value, unchanged, origin, budget)
        memo = self._memo
        remembered = memo.get(key)
        if remembered is not None:
            budget.spent += remembered[1]  # budget.spend(), without a call for each value
            if budget.spent > MAX_WORK:
                raise _GaveUp()
            return remembered[0]
        if unchanged is None:
            unchanged = _unchanged(origin, value)
        before = budget.spent
        found = tuple(self._search(value, unchanged, origin, budget))
        if len(memo) >= _MEMO_ENTRIES:
            memo.clear()
        memo[key] = (found, budget.spent - before)
        return found

    def _search(self, value: _Value, unchanged: bool, origin: _Value | None, budget: _Budget) -> list[Needle]:
        vr, raw = value.vr, value.raw
        found: list[Needle] = []
        skip_values: set[str] = set()

        def allowed(needle: Needle) -> bool:
            if needle.kind == FREE_TEXT and (unchanged or (origin is not None and _holds(origin, needle))):
                return False
            if vr in _NUMERIC_VRS and needle.digits_only:
                return needle.kind == DATE and vr in _DATE_VRS
            if vr == "CS" and needle.text in skip_values:
                return False
            return True

        if value.texts is not None:
            values = [normalise(t) for t in value.texts]
            if vr == "CS":
                skip_values = set(values)
            kept = [v for v in values if v and v not in self._written]
            if not kept:
                return found  # empty, or the anonymiser's own constants
            text = " \\ ".join(kept)
            ascii_raw = raw is None or (raw.isascii() and b"\x1b" not in raw)
            if ascii_raw and vr in _NUMBER_VRS and _LETTER.search(text) is None:
                return found  # only needles with letters count in a number or a UID, and it holds none
            found.extend(self._find(text, self.text_index, self.text_loose, _WORD, _ASCII_ALNUM, allowed, budget))
            if ascii_raw:
                return found  # ASCII decodes to itself in every character set but ISO 2022
        if not raw:
            return found
        data = _normalise_bytes(raw)
        binary = value.texts is None and _CONTROL.search(raw.rstrip(b"\x00")) is not None

        def raw_allowed(needle: Needle, form: bytes = b"") -> bool:
            return allowed(needle) and (not binary or len(form) >= MIN_BINARY_BYTES)

        found.extend(self._find(data, self.raw_index, self.raw_loose, _WORD_B, _ASCII_ALNUM_B, raw_allowed,
                                budget, pass_form=True))
        return found

    def _find(self, haystack, index, loose, word, alnum, allowed, budget: _Budget,
              pass_form: bool = False) -> list[Needle]:
        found = []
        size = len(haystack)

        def bounded(start: int, end: int) -> bool:
            return (start == 0 or haystack[start - 1] not in alnum) and (end == size or haystack[end] not in alnum)

        for match in word.finditer(haystack):
            candidates = index.get(match.group())
            if not candidates:
                continue
            budget.spend(len(candidates))
            for form, offset, needle in candidates:
                start = match.start() - offset
                if start >= 0 and haystack.startswith(form, start) and bounded(start, start + len(form)):
                    if allowed(needle, form) if pass_form else allowed(needle):
                        found.append(needle)
        if loose:
            ascii_haystack = haystack.isascii()
            for form, needle in loose:
                if ascii_haystack and not form.isascii():
                    continue
                budget.spend(1 + size // 256)
                start = haystack.find(form)
                while start >= 0:
                    if bounded(start, start + len(form)) and (allowed(needle, form) if pass_form else allowed(needle)):
                        found.append(needle)
                        break
                    start = haystack.find(form, start + 1)
        return found



def _memo_key(value: _Value) -> tuple | None:
    """What :meth:`_Matcher.search` reads of a value, None if the value is too long to remember."""
    texts, raw = value.texts, value.raw
    if raw is not None and len(raw) > _MEMO_LENGTH:
        return None
    if texts is not None:
        if type(texts) is not tuple:
            texts = tuple(texts)
        if raw is None and sum(map(len, texts)) > _MEMO_LENGTH:
            return None
    return value.vr, texts, raw


@lru_cache(maxsize=8192)
def _anchor(form, word) -> tuple[str | bytes, int] | None:
    """The longest (then first) ASCII word of a needle's form and where it starts."""
    words = [(m.end() - m.start(), -m.start(), m) for m in word.finditer(form)]
    if not words:
        return None
    _, _, best = max(words, key=lambda w: (w[0], w[1]))
    return best.group(), best.start()


def _holds(origin: _Value, needle: Needle) -> bool:
    """Whether the input value ``origin`` holds ``needle`` on word boundaries, as text or bytes."""
    if origin.texts is not None:
        text = normalise("\\".join(origin.texts))
        if _bounded_in(text, needle.text, _ASCII_ALNUM):
            return True
    if origin.raw:
        data = _normalise_bytes(origin.raw)
        return any(_bounded_in(data, form, _ASCII_ALNUM_B) for form in needle.raw)
    return False


def _bounded_in(haystack, needle, alnum) -> bool:
    start = haystack.find(needle)
    while start >= 0:
        end = start + len(needle)
        if (start == 0 or haystack[start - 1] not in alnum) and (end == len(haystack) or haystack[end] not in alnum):
            return True
        start = haystack.find(needle, start + 1)
    return False
