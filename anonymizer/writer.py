"""Encode the anonymised data set: kept values copied as they came, the rest by pydicom.

Most of a header is kept unchanged (image geometry, acquisition parameters ...). pydicom would
encode each kept element again from its converted value, which gives back the very bytes it
was read from whenever those bytes are already in the form pydicom writes: numbers whose
length fits their VR, and ASCII text without padding inside, with at most the one padding
character pydicom adds. :func:`writes_back_unchanged` recognises that form; the engine passes
such elements' value bytes to :func:`encode_dataset`, which writes them after a header of
its own. Every other element is encoded by pydicom, exactly as before; sequences are walked
here so that their kept elements are copied too; single new values of the VRs pydicom writes
in its default character set (UIDs, code strings, dates ...), single integers and empty values
are encoded here as it would. The output is byte for byte what pydicom's
``write_dataset`` writes (``benchmarks/fingerprint.py`` checks it on every sample).
"""

from __future__ import annotations

import re
import struct
from functools import lru_cache
from typing import Mapping

from pydicom.charset import (
    convert_encodings, custom_encoders, default_encoding, need_tail_escape_sequence_encodings)
from pydicom.dataset import Dataset
from pydicom.filebase import DicomBytesIO
from pydicom.filewriter import write_data_element, write_dataset
from pydicom.valuerep import AMBIGUOUS_VR

_LONG_VRS = frozenset({"OB", "OD", "OF", "OL", "OV", "OW", "SQ", "SV", "UC", "UN", "UR", "UT", "UV"})
_NUMBER_SIZES = {"US": 2, "SS": 2, "UL": 4, "SL": 4, "AT": 4, "FD": 8, "SV": 8, "UV": 8}
_BYTES_VRS = frozenset({"OB", "OD", "OF", "OL", "OV", "OW", "UN"})
_SINGLE_TEXT_VRS = frozenset({"LT", "ST", "UT"})
_STRIPPED_TEXT_VRS = frozenset({"AE", "AS", "CS", "DA", "DS", "DT", "IS", "LO", "PN", "SH", "TM", "UC", "UR"})
_VALUE = re.compile(rb"(?:[!-~](?:[ -\[\]-~]*[!-\[\]-~])?)?")
"""One value as pydicom writes it back: printable ASCII, no padding at either end, no backslash."""
_LONG_TEXT = re.compile(rb"[ -~\t\n\f\r]*")
_TEXT_VRS = frozenset({"LO", "LT", "SH", "ST", "UC", "UT"})
"""VRs pydicom writes with ``write_text``, in the data set's character set."""
_PLAIN_STRING_VRS = frozenset({"AE", "AS", "CS", "DA", "DT", "TM", "UI", "UR"})
"""VRs pydicom writes with ``write_string``: the default character set, whatever the data set's."""
_UNDEFINED = 0xFFFFFFFF
_ITEM = 0xFFFEE000
_ITEM_END = 0xFFFEE00D
_SEQUENCE_END = 0xFFFEE0DD


class _Unsupported(Exception):
    """A data set this writer does not encode as pydicom would: an ambiguous VR (pydicom
    corrects it first) or an element still raw."""


def writes_back_unchanged(vr: str, value: bytes) -> bool:
    """Whether pydicom, converting ``value`` (stored little endian with VR ``vr``) and encoding
    it again, writes ``value`` itself. Values over 64 KiB are left to pydicom (in explicit VR
    it may write them as UN)."""
    return _short_writes_back(vr, value) if len(value) <= 256 else _writes_back(vr, value)


@lru_cache(maxsize=8192)
def _short_writes_back(vr: str, value: bytes) -> bool:
    """:func:`writes_back_unchanged` of short values, once per value: a series repeats them."""
    return _writes_back(vr, value)


def _writes_back(vr: str, value: bytes) -> bool:
    if len(value) > 0xFFFF:
        return False
    size = _NUMBER_SIZES.get(vr)
    if size is not None:
        return len(value) % size == 0
    if vr in _BYTES_VRS:
        return len(value) % 2 == 0
    if vr == "FL":  # a float's NaN payload may change on the way through a double
        count, rest = divmod(len(value), 4)
        return not rest and all(v == v for v in struct.unpack(f"<{count}f", value))
    if len(value) % 2:
        return False
    single = vr in _SINGLE_TEXT_VRS
    pad = b"\0" if vr == "UI" else b" " if single or vr in _STRIPPED_TEXT_VRS else None
    if pad is None:
        return False
    text = value[:-1] if value.endswith(pad) else value
    if text != value and len(text) % 2 == 0:
        return False  # pydicom pads an odd length only
    if single:  # one value: what it holds is kept, but no padding at its end
        return _LONG_TEXT.fullmatch(text) is not None and not text.endswith(b" ")
    return all(_VALUE.fullmatch(part) is not None for part in text.split(b"\\"))


def encode_dataset(dataset: Dataset, implicit: bool, little: bool, unchanged: Mapping[int, bytes]) -> bytes:
    """``dataset`` encoded as pydicom's ``write_dataset`` encodes it; ``unchanged`` maps the
    ``id()`` of elements to the value bytes to write for them as they are."""
    fp = DicomBytesIO()
    fp.is_implicit_VR, fp.is_little_endian = implicit, little
    try:
        _write(fp, dataset, default_encoding, unchanged, "<" if little else ">")
    except Exception:  # an ambiguous VR, or a value pydicom cannot encode: pydicom's own words
        fp = DicomBytesIO()
        fp.is_implicit_VR, fp.is_little_endian = implicit, little
        write_dataset(fp, dataset)
    return fp.getvalue()


def _write(fp: DicomBytesIO, dataset: Dataset, parent_encoding, unchanged: Mapping[int, bytes], endian: str) -> None:
    # dataset.get("SpecificCharacterSet", parent_encoding), without the keyword's look-up
    encodings = dataset[0x00080005].value if 0x00080005 in dataset._dict else parent_encoding
    implicit = fp.is_implicit_VR
    write = fp.write
    for tag in sorted(dataset._dict, key=int):  # ints compare in C, pydicom's tags in Python
        if not tag & 0xFFFF and tag >> 16 > 6:
            continue  # pydicom does not write retired group lengths
        element = dataset._dict[tag]
        vr = element.VR
        if vr in AMBIGUOUS_VR or element.is_raw:
            raise _Unsupported(vr)
        value = unchanged.get(id(element))
        if value is None and vr in _PLAIN_STRING_VRS:
            value = _plain_string(element.value, vr)
        elif value is None and vr in _TEXT_VRS:
            value = _text(element.value, encodings)
        elif value is None and vr in _INTEGER_FORMATS:
            value = _integer(element.value, _INTEGER_FORMATS[vr], endian)
        if value is None and vr != "SQ" and not element.is_undefined_length and element.is_empty:
            value = b""  # pydicom writes no value for an empty element (a name or a number replaced by nothing)
        if value is not None:
            write(_header(int(tag), vr, len(value), implicit, endian))  # a plain int: BaseTag compares in Python
            write(value)
        elif vr == "SQ":
            _write_sequence(fp, element, convert_encodings(encodings or [default_encoding]), unchanged, endian)
        else:
            write_data_element(fp, element, encodings)


def _integer(value, code: str, endian: str) -> bytes | None:
    """One integer of a US, SS, UL or SL element (a Pixel Representation pydicom converted as
    it read ...), packed as pydicom's ``write_numbers`` packs it; else None."""
    if type(value) is not int:
        return None
    try:
        return struct.pack(endian + code, value)
    except struct.error:  # out of range: pydicom says so in its own words
        return None


_INTEGER_FORMATS = {"US": "H", "SS": "h", "UL": "L", "SL": "l"}


def _plain_string(value, vr: str) -> bytes | None:
    """One text value of a VR that pydicom writes in its default character set (a new UID, a
    replaced code string ...), encoded as pydicom's ``write_string`` encodes it; else None."""
    if not isinstance(value, str):
        return None
    if len(value) % 2:
        value += "\0" if vr == "UI" else " "
    try:
        encoded = value.encode(default_encoding)
    except UnicodeEncodeError:
        return None
    return encoded if len(encoded) <= 0xFFFF else None


def _text(value, encodings) -> bytes | None:
    """One text value of a VR pydicom writes with ``write_text`` (a replaced or cleaned LO,
    SH ...), encoded as it encodes it when the value's first character set holds it (what
    ``encode_string`` then returns); else None."""
    if type(value) is not str:
        return None
    first = _first_encoding(encodings if type(encodings) is str else tuple(encodings or ()))
    if first is None:
        return None
    try:
        encoded = value.encode(first)
    except UnicodeError:
        return None
    if len(encoded) % 2:
        encoded += b" "
    return encoded if len(encoded) <= 0xFFFF else None


@lru_cache(maxsize=64)
def _first_encoding(encodings: str | tuple[str, ...]) -> str | None:
    """The Python codec pydicom tries first for ``encodings`` (a Specific Character Set),
    None where it encodes by code extensions of its own (ISO 2022)."""
    first = convert_encodings((list(encodings) if type(encodings) is tuple else encodings) or [default_encoding])[0]
    return None if first in custom_encoders or first in need_tail_escape_sequence_encodings else first


def _write_sequence(fp: DicomBytesIO, element, encodings: list[str], unchanged, endian: str) -> None:
    """A sequence as pydicom's ``write_sequence`` writes it, its items walked here."""
    body = DicomBytesIO()
    body.is_implicit_VR, body.is_little_endian = fp.is_implicit_VR, fp.is_little_endian
    undefined_items = False
    for item in element.value or ():
        undefined_items = getattr(item, "is_undefined_length_sequence_item", False)
        content = DicomBytesIO()
        content.is_implicit_VR, content.is_little_endian = fp.is_implicit_VR, fp.is_little_endian
        _write(content, item, encodings, unchanged, endian)
        data = content.getvalue()
        body.write(struct.pack(endian + "HHL", 0xFFFE, 0xE000, _UNDEFINED if undefined_items else len(data)))
        body.write(data)
        if undefined_items:
            body.write(struct.pack(endian + "HHL", 0xFFFE, 0xE00D, 0))
    data = body.getvalue()
    undefined = element.is_undefined_length
    fp.write(_header(int(element.tag), "SQ", _UNDEFINED if undefined else len(data), fp.is_implicit_VR, endian))
    fp.write(data)
    if undefined:
        fp.write(struct.pack(endian + "HHL", 0xFFFE, 0xE0DD, 0))


@lru_cache(maxsize=8192)
def _header(tag: int, vr: str, length: int, implicit: bool, endian: str) -> bytes:
    """An element's tag, VR and length, encoded; once per distinct header (a series repeats them)."""
    if implicit:
        return struct.pack(endian + "HHL", tag >> 16, tag & 0xFFFF, length)
    if vr in _LONG_VRS:
        return struct.pack(endian + "HH2sHL", tag >> 16, tag & 0xFFFF, vr.encode("ascii"), 0, length)
    return struct.pack(endian + "HH2sH", tag >> 16, tag & 0xFFFF, vr.encode("ascii"), length)
