"""Read a DICOM file into its header, the position of its pixel data, and what follows it.

The data set is read up to the Pixel Data element only. The Pixel Data element is not read:
its start and end in the input are recorded (walking the item headers of encapsulated pixel
data), so that the output can copy that byte range unchanged without it entering memory (the header
is read in pieces, of 16 KiB first, that may run into it by at most the header's own size).
Elements after the pixel data are read like the header.

Every way a file can lie about itself (lengths past the end, a truncated header, a file meta
group that names the wrong encoding) ends in :class:`MalformedDicomError` with the reason.
"""

from __future__ import annotations

import io
import os
import struct
import warnings
import zlib
from dataclasses import dataclass, field
from functools import lru_cache
from typing import BinaryIO, NamedTuple, Union

from pydicom import config
from pydicom.charset import convert_encodings, default_encoding
from pydicom.dataelem import DataElement, RawDataElement, convert_raw_data_element, empty_value_for_VR
from pydicom.datadict import dictionary_VR
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.filereader import read_dataset
from pydicom.sequence import Sequence
from pydicom.tag import BaseTag
from pydicom.valuerep import AMBIGUOUS_VR, validate_value
from pydicom.uid import (
    UID,
    DeflatedExplicitVRLittleEndian,
    ExplicitVRBigEndian,
    ExplicitVRLittleEndian,
    ImplicitVRLittleEndian,
)
from pydicom.values import convert_string

from .errors import MalformedDicomError, NotDicomError
from .layouts import Layout

Source = Union[bytes, bytearray, memoryview, str, os.PathLike, BinaryIO]

PIXEL_DATA_TAGS = frozenset({0x7FE00008, 0x7FE00009, 0x7FE00010})
_ITEM = 0xFFFEE000
_SEQUENCE_DELIMITER = 0xFFFEE0DD
_ITEM_DELIMITER = 0xFFFEE00D
_UNDEFINED_LENGTH = 0xFFFFFFFF
LONG_LENGTH_VRS = frozenset(
    {b"OB", b"OD", b"OF", b"OL", b"OV", b"OW", b"SQ", b"SV", b"UC", b"UN", b"UR", b"UT", b"UV"}
)
"""The VRs whose explicit VR header has two reserved bytes and a 4-byte length."""
_FIRST_DATASET_GROUPS = frozenset({0x0002, 0x0004, 0x0008})
_PIXEL_VRS = frozenset({b"OB", b"OW", b"OF", b"OD", b"OL", b"OV", b"UN"})
MAX_DEPTH = 64
"""Sequences nested deeper than this are refused: no real IOD comes close."""
MAX_INFLATED = 256 << 20
"""A deflated data set (Deflated Explicit VR Little Endian) may inflate to this many bytes:
deflate compresses up to 1032:1, so a small file can claim gigabytes (a deflate bomb)."""


class InputRange(NamedTuple):
    """Bytes ``[start, stop)`` of the input, copied unchanged into the output."""

    start: int
    stop: int


@dataclass
class ParsedFile:
    """What the reader found in one input."""

    size: int
    had_preamble: bool
    file_meta: FileMetaDataset
    transfer_syntax: UID
    implicit_vr: bool
    little_endian: bool
    header: Dataset
    pixel_data: InputRange | None = None
    pixel_tag: int | None = None
    trailing: Dataset = field(default_factory=lambda: new_dataset())
    trailing_problem: str | None = None
    """Why bytes after the pixel data could not be read as elements (they are dropped)."""


def read(fp: BinaryIO) -> ParsedFile:
    """Parse ``fp`` (seekable, positioned anywhere) up to its pixel data."""
    size = fp.seek(0, io.SEEK_END)
    fp.seek(0)
    if size == 0:
        raise NotDicomError("the file is empty (0 bytes)")
    had_preamble = _skip_preamble(fp, size)
    with _strict_reading():
        file_meta = _read_file_meta(fp, size)
        syntax = file_meta.get("TransferSyntaxUID")
        if syntax is None:
            implicit, little = _sniff_encoding(fp, size)
            syntax = ImplicitVRLittleEndian if implicit else ExplicitVRLittleEndian
        else:
            syntax = _transfer_syntax(str(syntax))
            implicit, little = _encoding_of(syntax)
            _check_byte_order(fp, syntax, little)
        if syntax == DeflatedExplicitVRLittleEndian:
            return _read_deflated(fp, size, had_preamble, file_meta, syntax)

        start = fp.tell()
        plain = _read_plain_header(fp, start, size, implicit, little)
        if plain is not None:
            header, sequences = plain
            for tag in sequences:  # every other value was read whole, to its declared length
                _check_sequence(header, tag, depth=0)
        else:
            check_structure(fp, start, size, implicit, little)  # refuses what pydicom cannot read safely
            fp.seek(start)
            extent = _Extent(fp)
            header = read_dataset(fp, implicit, little, stop_when=extent)
            extent.check(fp.tell(), start, header)
            _check_values(header, depth=0)
        implicit = _actual_encoding(header, implicit, syntax)
        parsed = ParsedFile(size, had_preamble, file_meta, syntax, implicit, little, header)
        position = fp.tell()
        if position < size and position >= start:
            tag, pixel_end = _pixel_data_extent(fp, position, size, implicit, little)
            if tag is None:
                raise MalformedDicomError(
                    f"the file is truncated: {size - position} bytes at offset {position} "
                    "do not form a data element"
                )
            parsed.pixel_tag = tag
            parsed.pixel_data = InputRange(position, pixel_end)
            if pixel_end < size:
                _read_trailing(fp, parsed, pixel_end)
    return parsed


@lru_cache(maxsize=64)
def _transfer_syntax(text: str) -> UID:
    """The file meta group's Transfer Syntax UID, padding off; made once per value (a UID
    validates its text as it is made)."""
    return UID(text.strip("\x00 "))


def new_dataset(elements: dict | None = None, parent_encoding=default_encoding, kind: type = Dataset) -> Dataset:
    """``kind(elements, parent_encoding=parent_encoding)``, made without running ``__init__``:
    each attribute it sets goes through ``Dataset.__setattr__``, whose check for a DICOM keyword
    costs more than all the rest (12 us a data set, where a structured report or an enhanced
    multi-frame header has thousands of items). ``kind`` is Dataset, or FileMetaDataset for
    elements all of group 0002 (its ``__init__`` adds only that check). The attributes are
    those of an empty data set of that kind made once, its containers copied
    (tests/test_reader.py compares them with what ``__init__`` gives)."""
    dataset = _new_object(kind)
    empty = _EMPTY[kind]
    attributes = dataset.__dict__
    attributes.update(empty)
    for name in _EMPTY_CONTAINERS[kind]:
        attributes[name] = empty[name].copy()
    attributes["_dict"] = {} if elements is None else elements
    attributes["_parent_encoding"] = parent_encoding
    return dataset


_new_object = object.__new__
_EMPTY = {kind: dict(vars(kind())) for kind in (Dataset, FileMetaDataset)}
_EMPTY_CONTAINERS = {kind: tuple(name for name, value in empty.items() if isinstance(value, (dict, list, set)))
                     for kind, empty in _EMPTY.items()}


def open_source(source: Source) -> tuple[BinaryIO, bool]:
    """Return a seekable binary file for ``source`` and whether the caller must close it."""
    if isinstance(source, (bytes, bytearray, memoryview)):
        return io.BytesIO(source), True
    if isinstance(source, (str, os.PathLike)):
        return open(source, "rb"), True
    if all(hasattr(source, name) for name in ("read", "seek", "tell")):
        return source, False
    raise TypeError(
        f"source must be bytes, a path or a seekable binary file object, not {type(source).__name__}"
    )


def _skip_preamble(fp: BinaryIO, size: int) -> bool:
    head = fp.read(132)
    if head[128:132] == b"DICM":
        return True
    if head[:4] == b"DICM":
        fp.seek(4)
        return False
    if len(head) >= 8:
        group, element = struct.unpack("<HH", head[:4])
        if group in _FIRST_DATASET_GROUPS or (group % 2 == 0 and 0x0008 <= group <= 0x0010 and element < 0x1000):
            fp.seek(0)
            return False
    raise NotDicomError(
        "not a DICOM file: no 'DICM' marker at offset 128 and it does not start with a DICOM data element"
    )


def _read_file_meta(fp: BinaryIO, size: int) -> FileMetaDataset:
    start = fp.tell()
    peek = fp.read(8)
    fp.seek(start)
    if len(peek) < 8 or struct.unpack("<H", peek[:2])[0] != 0x0002:
        return FileMetaDataset()
    implicit_meta = not (b"AA" <= peek[4:6] <= b"ZZ")
    if not implicit_meta:
        plain = _plain_file_meta(fp, start, size)
        if plain is not None:
            return plain
        fp.seek(start)
    meta = read_dataset(fp, implicit_meta, True, stop_when=lambda tag, vr, length: tag.group != 2)
    _check_values(meta, depth=0)
    for tag, raw in list(meta._dict.items()):  # every value decoded now: the report shows them all
        try:
            converted = _converted_meta(raw[:4] + raw[5:7]) if isinstance(raw, RawDataElement) else None
            if converted is None:
                meta[tag]
            else:
                meta[tag] = DataElement(tag, converted[0], converted[1], raw.value_tell,
                                        raw.length == _UNDEFINED_LENGTH, already_converted=True)
        except Exception as error:  # pydicom raises many kinds for undecodable values
            raise MalformedDicomError(
                f"element {_tag_text(tag)} of the file meta group cannot be read: {error}") from None
    # A group length that lies is harmless here: the group is rebuilt from its elements.
    return FileMetaDataset(meta)


def _plain_file_meta(fp: BinaryIO, start: int, size: int) -> FileMetaDataset | None:
    """The file meta group from ``start``, exactly as the pydicom path of :func:`_read_file_meta`
    reads and converts it, in one pass, when every element is plain: explicit VR, a defined
    length within the file, a value :func:`_converted_meta` converts. Leaves ``fp`` at the first
    element of another group; None otherwise (``fp`` anywhere: the caller reads the group with
    pydicom, which says what is wrong). The group is a few hundred bytes that differ from file
    to file of a series in one UID; pydicom's reader and its two data sets cost as much as the
    rest of the header's reading."""
    data = fp.read(min(size - start, _FIRST_META_READ))
    elements = {}
    pos = 0
    while pos + 8 <= len(data):
        group, number, raw_vr, length = _META_HEAD(data, pos)
        if group != 0x0002:
            break
        vr = VR_NAMES.get(raw_vr)
        if vr is None or vr == "SQ":
            return None
        value_start = pos + 8
        if raw_vr in LONG_LENGTH_VRS:
            if value_start + 4 > len(data):
                return None
            length, value_start = _META_LONG(data, value_start)[0], value_start + 4
        if length == _UNDEFINED_LENGTH or value_start + length > len(data):
            return None
        value = data[value_start:value_start + length] if length else empty_value_for_VR(vr, raw=True)
        element = _meta_element(number | 0x00020000, vr, length, value, start + value_start)
        if element is None:
            return None
        elements[element.tag] = element
        pos = value_start + length
    else:
        if start + pos != size:  # the header of the next element is not in what was read
            return None
    fp.seek(start + pos)
    return new_dataset(elements, kind=FileMetaDataset)  # every element of group 0002: read so


_FIRST_META_READ = 4096
"""What :func:`_plain_file_meta` reads: a file meta group is a few hundred bytes."""
_META_HEAD = struct.Struct("<HH2sH").unpack_from
_META_LONG = struct.Struct("<L").unpack_from


@lru_cache(maxsize=256)
def _meta_element(tag: int, vr: str, length: int, value: bytes, tell: int) -> DataElement | None:
    """The element :func:`_read_file_meta` makes of a plain file meta element (explicit VR,
    little endian) read at ``tell``, None where :func:`_converted_meta` converts none. Made
    once per value and place, and shared: the files of a series differ in one element of the
    group, and elements are never changed once made."""
    key = BaseTag(tag)
    converted = _converted_meta((key, vr, length, value, False, True))
    if converted is None:
        return None
    return DataElement(key, converted[0], converted[1], tell, False, already_converted=True)


@lru_cache(maxsize=64)
def _converted_meta(raw: tuple) -> tuple[str, object] | None:
    """VR and value of a file meta element (tag, VR, length, value, implicit VR, little endian)
    as pydicom converts it, when that is a plain value (text, bytes, a number) converted
    without a warning; else None, and pydicom converts it in the data set, warnings and all.
    Once per value: the files of a series differ in one element of the group."""
    tag, vr, length, value, implicit, little = raw
    if value is None:
        return None
    if vr == "UI" and value and b"\\" not in value:  # a new SOP Instance UID in every file: pydicom's
        text = value.decode(default_encoding).rstrip("\0 ")  # convert_UI, without the hooks around it
        try:
            validate_value("UI", text, config.RAISE)  # what pydicom would warn about
        except ValueError:
            return None
        return "UI", UID(text)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            element = convert_raw_data_element(
                RawDataElement(tag, vr, length, value, 0, implicit, little), encoding=default_encoding)
        except Exception:
            return None
    if caught or element.VR == "SQ" or element.VR in AMBIGUOUS_VR or not isinstance(element.value, _PLAIN):
        return None
    return element.VR, element.value


_PLAIN = (str, bytes, int, float)
"""Immutable values (UIDs are text), shared by the data sets that hold them."""


def _check_byte_order(fp: BinaryIO, syntax: UID, little: bool) -> None:
    """Refuse a data set in the other byte order than its transfer syntax says.

    The first group of a data set is below 0100 (0008, nearly always): read in the wrong
    byte order it comes out at 0100 or above, while the right order gives a small one.
    """
    start = fp.tell()
    head = fp.read(2)
    fp.seek(start)
    if len(head) < 2:
        return
    declared, other = struct.unpack("<H" if little else ">H", head)[0], struct.unpack(">H" if little else "<H", head)[0]
    if declared >= 0x0100 and other < 0x0100:
        found = "big" if little else "little"
        raise MalformedDicomError(
            f"the file meta group names transfer syntax {syntax} ({'little' if little else 'big'} endian) "
            f"but the data set is {found} endian")


def _encoding_of(syntax: UID) -> tuple[bool, bool]:
    if syntax == ImplicitVRLittleEndian:
        return True, True
    if syntax == ExplicitVRBigEndian:
        return False, False
    if syntax.is_transfer_syntax:
        return syntax.is_implicit_VR, syntax.is_little_endian
    return False, True


def _sniff_encoding(fp: BinaryIO, size: int) -> tuple[bool, bool]:
    start = fp.tell()
    head = fp.read(6)
    fp.seek(start)
    if len(head) < 6:
        return True, True
    group = struct.unpack("<H", head[:2])[0]
    explicit = b"AA" <= head[4:6] <= b"ZZ"
    return not explicit, group < 0x0400 or not explicit


def _actual_encoding(header: Dataset, implicit: bool, syntax: UID) -> bool:
    """Check the data set is encoded as its transfer syntax says, returning the VR encoding.

    Some writers put implicit VR data under an explicit VR transfer syntax (or the reverse).
    For the uncompressed syntaxes the output simply uses the encoding actually found (and
    the matching transfer syntax); for the others the pixel data framing depends on the
    declared syntax, so such a file is refused.
    """
    for element in header._dict.values():
        if isinstance(element, RawDataElement):
            if element.is_implicit_VR == implicit:
                return implicit
            if syntax in (ImplicitVRLittleEndian, ExplicitVRLittleEndian):
                return element.is_implicit_VR
            found = "implicit" if element.is_implicit_VR else "explicit"
            raise MalformedDicomError(
                f"the file meta group names transfer syntax {syntax} but the data set is "
                f"encoded with {found} VR"
            )
    return implicit


def _check_values(dataset: Dataset, depth: int) -> None:
    """Refuse values shorter than their declared length (a truncated file, or in an item, a
    length that runs past its sequence) and deep nesting."""
    if depth > MAX_DEPTH:
        raise MalformedDicomError(f"sequences are nested more than {MAX_DEPTH} levels deep")
    # in an item, the end of the file was checked before (check_structure): what ends is the
    # sequence's value, which pydicom reads the item from
    ends = "the file ends" if depth == 0 else "the sequence holding it ends"
    for tag, element in list(dataset._dict.items()):
        if isinstance(element, RawDataElement):
            if element.length != _UNDEFINED_LENGTH and element.value is not None:
                if len(element.value) != element.length:
                    raise MalformedDicomError(
                        f"element ({tag >> 16:04X},{tag & 0xFFFF:04X}) declares {element.length} "
                        f"bytes but {ends} after {len(element.value)}"
                    )
        if element.VR == "SQ":
            _check_sequence(dataset, tag, depth)


def _check_sequence(dataset: Dataset, tag, depth: int) -> None:
    """:func:`_check_values` for each item of the sequence ``tag`` of ``dataset`` (a raw
    defined-length sequence, left for later by pydicom, is parsed here)."""
    raw = dataset._dict[tag]
    if not (isinstance(raw, RawDataElement) and _convert_plain_sequence(dataset, raw)):
        dataset[tag]  # pydicom parses it
    for item in dataset._dict[tag].value or ():
        _check_values(item, depth + 1)


def _convert_plain_sequence(dataset: Dataset, raw: RawDataElement) -> bool:
    """Convert the raw sequence ``raw`` of ``dataset`` in place, exactly as ``dataset[tag]``
    would (pydicom's ``convert_SQ``: its items data sets of raw elements, nested sequences of
    defined length left raw), when it is plain (:class:`_PlainItems`). Returns False, having
    changed nothing, for anything else (pydicom parses that). pydicom builds each item through
    a file object and a generator: a small sequence cost as much as fifty plain elements."""
    if raw.VR != "SQ" or raw.is_implicit_VR or raw.length == _UNDEFINED_LENGTH or raw.value is None:
        return False
    encoding = dataset.original_character_set or dataset._character_set  # what __getitem__ converts with
    try:
        # convert_SQ reads the value as a file of its own: the items' positions are given the
        # value's offset in the file, their elements' are not
        read = _PlainItems(raw.value, 0, raw.is_little_endian).sequence(
            0, len(raw.value), [encoding] if isinstance(encoding, str) else encoding or [default_encoding],
            raw.value_tell, 1)
    except _MoreBytes:
        return False
    if read is None:
        return False
    sequence = Sequence(read[0])
    sequence.is_undefined_length = False
    element = DataElement(raw.tag, "SQ", sequence, raw.value_tell, False, already_converted=True)
    if raw.tag >> 16 & 1:  # stored as __getitem__ stores it (__setitem__ names a private sequence's creator)
        dataset[raw.tag] = element
    else:
        dataset._dict[raw.tag] = element
        _pass_pixel_representation(dataset, sequence)
    return True


def _pass_pixel_representation(dataset: Dataset, items: Sequence) -> None:
    """What ``dataset[tag] = sequence`` does besides storing it (pydicom's
    ``_set_pixel_representation``): the data set's Pixel Representation is set on it, and on
    each item that has none of its own, for reading values whose VR is US or SS. The data
    set's own Pixel Representation is read as ``dataset[tag]`` converts it, but not stored
    back converted (a series converts the same value file after file: :func:`_converted_value`)."""
    stored = dataset._dict.get(_PIXEL_REPRESENTATION)
    if isinstance(stored, RawDataElement) and stored.VR in (None, "US") and isinstance(stored.value, bytes):
        representation = _converted_value(stored)
    elif stored is not None:
        representation = dataset[_PIXEL_REPRESENTATION].value
    else:
        representation = getattr(dataset, "_pixel_rep", None)
    if representation is not None:
        dataset._pixel_rep = int(b"\x01" in representation) if isinstance(representation, bytes) else representation
    inherited = hasattr(dataset, "_pixel_rep")
    for item in items:
        own = item._dict.get(_PIXEL_REPRESENTATION)
        if own is not None and own.value is not None:
            item._pixel_rep = int(b"\x01" in own.value) if isinstance(own.value, bytes) else own.value
        elif inherited:
            item._pixel_rep = dataset._pixel_rep


_PIXEL_REPRESENTATION = BaseTag(0x00280103)


def _converted_value(raw: RawDataElement):
    """The value of ``raw``, a public element of VR US (given or not), as pydicom converts it,
    remembered when it is a number or None (immutable: shared safely)."""
    key = (raw.tag, raw.VR, raw.value, raw.is_implicit_VR, raw.is_little_endian)
    if key in _CONVERTED_VALUES:
        return _CONVERTED_VALUES[key]
    value = convert_raw_data_element(raw).value
    if value is None or type(value) is int:
        if len(_CONVERTED_VALUES) >= 256:
            _CONVERTED_VALUES.clear()
        _CONVERTED_VALUES[key] = value
    return value


_CONVERTED_VALUES: dict[tuple, object] = {}


PLAIN_DEPTH = 16
"""Sequences nested deeper are read by pydicom's path (:class:`_PlainItems` recurses, two
frames a level: nesting is checked without recursion only before pydicom's path reads it)."""


class _MoreBytes(Exception):
    """The bytes at hand end inside the sequence being read."""


class _PlainItems:
    """Reads sequences in ``data`` (whose first byte is at ``base`` in what pydicom reads it
    from) into the items pydicom's ``read_sequence`` makes, when they are plain: explicit VR,
    lengths that fit, items whose elements are in known VRs and hold no Specific Character
    Set. Where that takes more than this reads, :meth:`sequence` returns None; where it needs
    bytes past ``data``, it raises :class:`_MoreBytes`. As pydicom does, it reads a nested
    sequence of undefined length at once and leaves one of defined length raw."""

    def __init__(self, data: bytes, base: int, little: bool):
        endian = "<" if little else ">"
        self.data, self.base, self.little = data, base, little
        self.item_head = struct.Struct(endian + "HHL").unpack_from
        self.explicit_head = struct.Struct(endian + "HH2sH").unpack_from
        self.long_length = struct.Struct(endian + "L").unpack_from

    def _within(self, stop: int, bound: int | None) -> bool:
        """Whether bytes up to ``stop`` are inside ``bound`` (None: the data at hand)."""
        if bound is None:
            if stop > len(self.data):
                raise _MoreBytes
            return True
        return stop <= bound

    def sequence(self, pos: int, end: int | None, encoding, item_offset: int,
                 depth: int) -> tuple[list[Dataset], int] | None:
        """The items of the sequence value at ``pos`` to ``end`` (None: to its delimiter), each
        read with ``encoding`` as pydicom's ``read_sequence`` is given it, and where the value
        ends; ``item_offset`` is added to the items' positions."""
        if depth > PLAIN_DEPTH:
            return None  # pydicom's path reads it, or check_structure refuses it there
        data, base = self.data, self.base
        items = []
        while end is None or pos < end:
            if not self._within(pos + 8, end):
                return None
            group, number, length = self.item_head(data, pos)
            tag = group << 16 | number
            if tag == _SEQUENCE_DELIMITER and end is None:
                return items, pos + 8
            if tag != _ITEM:
                return None
            item_start, pos = pos, pos + 8
            undefined = length == _UNDEFINED_LENGTH
            item_end = end if undefined else pos + length
            if not undefined and not self._within(item_end, end):
                return None  # past the sequence
            if not self._within(pos + 6, item_end):
                return None  # too short for pydicom's look at its first VR
            first = data[pos + 4:pos + 6]
            if not (0x40 < first[0] < 0x5B and 0x40 < first[1] < 0x5B):
                return None  # pydicom reads such an item (an empty one too) as implicit VR
            read = self._elements(pos, item_end, undefined, encoding, depth)
            if read is None:
                return None
            elements, pos = read
            item = new_dataset(elements, encoding)
            tell = base + item_start + item_offset
            # what set_original_encoding() and pydicom's read_sequence_item() set, set directly
            item.__dict__.update(_read_implicit=False, _read_little=self.little, _read_charset=encoding,
                                 is_undefined_length_sequence_item=undefined, seq_item_tell=tell, file_tell=tell)
            items.append(item)
        return items, pos

    def _elements(self, pos: int, end: int | None, to_delimiter: bool, encoding,
                  depth: int) -> tuple[dict, int] | None:
        """The elements of one item, from ``pos`` to ``end`` or to its delimiter."""
        data, base, little = self.data, self.base, self.little
        elements: dict = {}
        while True:
            if pos == end and not to_delimiter:
                return elements, pos
            if not self._within(pos + 8, end):
                return None
            group, number, raw_vr, length = self.explicit_head(data, pos)
            tag = group << 16 | number
            if tag == _ITEM_DELIMITER and to_delimiter:
                return elements, pos + 8
            vr = VR_NAMES.get(raw_vr)
            if vr is None or group == 0xFFFE or tag == 0x00080005:
                return None
            pos += 8
            if raw_vr in LONG_LENGTH_VRS:
                if not self._within(pos + 4, end):
                    return None
                length, pos = self.long_length(data, pos)[0], pos + 4
            key = BaseTag(tag)
            if length == _UNDEFINED_LENGTH:
                if vr != "SQ":
                    return None
                read = self.sequence(pos, None, encoding, 0, depth + 1)
                if read is None or (end is not None and read[1] > end):
                    return None
                sequence = Sequence(read[0])
                sequence.is_undefined_length = True
                elements[key] = DataElement(key, "SQ", sequence, base + pos, is_undefined_length=True)
                pos = read[1]
                continue
            if not self._within(pos + length, end):
                return None
            value = data[pos:pos + length] if length else empty_value_for_VR(vr, raw=True)
            # as _read_plain_header makes them
            elements[key] = _new_tuple(RawDataElement, (key, vr, length, value, base + pos, False, little, True, False))
            pos += length


def check_structure(
    fp: BinaryIO, start: int, size: int, implicit: bool, little: bool, *, stop_at_pixel_data: bool = True,
    end: int | None = None,
) -> int | None:
    """Walk the element headers of a data set from ``start`` (never their values), into every
    sequence and item as pydicom will, and refuse what pydicom cannot read safely, before it
    recurses into it: sequences nested more than :data:`MAX_DEPTH` deep (pydicom recurses once
    per level, and the browser's stack is small: no RecursionError is relied on), a value or an
    item longer than what is left of the file, a sequence or item of undefined length that the
    file ends inside. Iterative, one pass, stops at the top-level Pixel Data: returns its offset,
    or the file's size where the data set ends exactly with the file (no pixel data), None if
    it stopped anywhere else. With ``end``, walks the elements of a data set in ``implicit`` VR
    from ``start`` to ``end`` only (returns None): one element of a header read already.
    """
    window = _Window(fp, size)
    endian = "<" if little else ">"
    ushort, ulong = struct.Struct(endian + "H").unpack_from, struct.Struct(endian + "L").unpack_from
    tag_length = struct.Struct(endian + "HHL").unpack_from
    # frames: [kind, end (None: undefined length), implicit, tag, offset, first element seen]
    stack: list[list] = [["data set", end, implicit, 0, start, end is not None]]
    depth = 0
    pos = start
    while stack:
        frame = stack[-1]
        kind, end = frame[0], frame[1]
        if end is not None and pos >= end:
            stack.pop()
            depth -= kind == "sequence"
            continue
        head = window.get(pos, 12)  # tag, VR and length, and what follows: a long length or a value's start
        if len(head) < 8:
            if len(stack) == 1:  # the top level: the reader says how the file ends
                return pos if pos == size and stop_at_pixel_data else None
            _, _, _, tag, offset, _ = next(f for f in reversed(stack) if f[0] == "sequence")
            raise MalformedDicomError(
                f"the file ends inside the sequence {_tag_text(tag)} that starts at offset {offset}")
        group, element, length = tag_length(head)
        tag = group << 16 | element
        if kind == "sequence":
            if tag == _SEQUENCE_DELIMITER:
                pos += 8
                stack.pop()
                depth -= 1
                continue
            # pydicom reads whatever stands here as an item header
            if length != _UNDEFINED_LENGTH and pos + 8 + length > size:
                raise MalformedDicomError(
                    f"an item of the sequence {_tag_text(frame[3])} at offset {pos} declares {length} bytes, "
                    "past the end of the file")
            stack.append(["item", None if length == _UNDEFINED_LENGTH else pos + 8 + length, frame[2], tag, pos, False])
            pos += 8
            continue
        if tag == 0xFFFEE00D:  # item delimiter: ends an item (pydicom also ends the top level there)
            pos += 8
            if kind == "item":
                stack.pop()
                continue
            return
        if kind == "data set" and stop_at_pixel_data and tag in PIXEL_DATA_TAGS:
            return pos
        if not frame[5]:  # pydicom decides the VR encoding from the first element of each data set
            frame[5] = True
            found_implicit = not (b"AA" <= head[4:6] <= b"ZZ")
            if kind == "data set" or not frame[2]:
                frame[2] = found_implicit
        implicit_here = frame[2]
        if implicit_here:
            vr, value_start = None, pos + 8
        else:
            vr = bytes(head[4:6])
            if not (b"AA" <= vr <= b"ZZ"):
                vr, value_start = None, pos + 8  # pydicom reads this one element as implicit VR
            elif vr in LONG_LENGTH_VRS:
                if len(head) < 12:
                    if len(stack) == 1:
                        return
                    raise MalformedDicomError(f"the file ends inside the header of element {_tag_text(tag)} at offset {pos}")
                length, value_start = ulong(head, 8)[0], pos + 12
            else:
                length, value_start = ushort(head, 6)[0], pos + 8
        if length == _UNDEFINED_LENGTH:
            if vr in (None, b"UN", b"SQ") and tag not in PIXEL_DATA_TAGS and (vr is not None or _is_sequence(tag, window, value_start, ulong)):
                depth += 1
                if depth > MAX_DEPTH:
                    raise MalformedDicomError(f"sequences are nested more than {MAX_DEPTH} levels deep")
                stack.append(["sequence", None, implicit_here or vr == b"UN", tag, pos, False])
                pos = value_start
                continue
            delimiter = window.find(struct.pack(endian + "HH", 0xFFFE, 0xE0DD), value_start)
            if delimiter < 0:
                raise MalformedDicomError(
                    f"element {_tag_text(tag)} at offset {pos} has an undefined length and no sequence "
                    "delimiter before the end of the file")
            pos = delimiter + 8
            continue
        if value_start + length > size:
            raise MalformedDicomError(
                f"element {_tag_text(tag)} declares {length} bytes but the file ends after {max(0, size - value_start)}")
        if length and (vr == b"SQ" or (vr in (None, b"UN") and (
                head[8:12] if value_start == pos + 8 else window.get(value_start, 4)) == _ITEM_BYTES[endian])):
            depth += 1
            if depth > MAX_DEPTH:
                raise MalformedDicomError(f"sequences are nested more than {MAX_DEPTH} levels deep")
            stack.append(["sequence", value_start + length, implicit_here or vr == b"UN", tag, pos, False])
            pos = value_start
            continue
        pos = value_start + length


_ITEM_BYTES = {"<": struct.pack("<HH", 0xFFFE, 0xE000), ">": struct.pack(">HH", 0xFFFE, 0xE000)}
PLAIN_HEADER_LIMIT = 16 << 20
"""A header up to this size is read into memory by :func:`_read_plain_header`; a longer one by pydicom."""
VR_NAMES = {vr: vr.decode("ascii") for vr in (
    b"AE", b"AS", b"AT", b"CS", b"DA", b"DS", b"DT", b"FD", b"FL", b"IS", b"LO", b"LT", b"OB", b"OD",
    b"OF", b"OL", b"OV", b"OW", b"PN", b"SH", b"SL", b"SQ", b"SS", b"ST", b"SV", b"TM", b"UC", b"UI",
    b"UL", b"UN", b"UR", b"US", b"UT", b"UV",
)}
"""Each VR an explicit VR element header may name, as text, by its two bytes (the one-pass
readers here and in ``anonymizer.elements``: any other leaves the element to pydicom)."""
_new_tuple = tuple.__new__


def _read_plain_header(
    fp: BinaryIO, start: int, size: int, implicit: bool, little: bool
) -> tuple[Dataset, list[BaseTag]] | None:
    """The data set from ``start`` to the Pixel Data (or to the end of the file), exactly as
    pydicom's ``read_dataset`` reads it (raw elements, sequences left for later), in one pass,
    when every top-level element is plain: a known VR in the declared encoding and a defined
    length that fits. Returns it with the tags of its (explicit VR) sequences, whose items are
    still to be checked, and leaves ``fp`` at the Pixel Data; None otherwise, and the caller
    reads it with pydicom: pydicom's own reader costs a third of the time spent on a typical
    header. What :func:`check_structure` refuses in the elements that hold items (nesting, item
    lengths) is refused here too, by walking just those elements with it. A header laid out as
    the last one read at its place is read by its layout (:mod:`anonymizer.layouts`)."""
    total = min(size, start + PLAIN_HEADER_LIMIT) - start
    fp.seek(start)
    data = fp.read(min(total, _FIRST_READ))
    if len(data) < 8:
        return None
    first = data[4:6]  # pydicom tells implicit from explicit VR by the first element
    if (not (0x40 < first[0] < 0x5B and 0x40 < first[1] < 0x5B)) != implicit:
        return None
    # what the walk of a header read whole in the first read depends on, besides its bytes (the
    # first read is as long as the file, or the largest read: then the file's size does not matter)
    key = (start, implicit, little, len(data))
    laid = _HEADER_LAYOUTS.get(key)
    laid_out = _read_header_by_layout(laid, data, implicit, little) if laid is not None else None
    if laid_out is not None:
        _HEADER_LAYOUTS[key], (elements, sequences, with_items, pos) = laid_out
        walked_from = total
    else:
        walked = _walk_header(fp, data, start, size, total, implicit, little)
        if walked is None:
            return None
        elements, sequences, with_items, walked_from, pos, data, laid = walked
        if laid is not None:
            if len(_HEADER_LAYOUTS) >= _LAYOUTS_KEPT:
                _HEADER_LAYOUTS.clear()
            _HEADER_LAYOUTS[key] = laid
    for element_start, element_end in with_items:  # what check_structure would walk into
        if element_start < start + walked_from:
            _check_element_structure(fp, data[element_start - start:element_end - start], element_start, size,
                                     implicit, little)
    header = new_dataset(elements)
    encoding = default_encoding
    if 0x00080005 in elements:
        charset = elements[BaseTag(0x00080005)]
        encoding = list(character_sets(charset.VR, charset.value or b""))  # None: empty, in implicit VR
    header.set_original_encoding(implicit, little, encoding)
    fp.seek(start + pos)
    return header, sequences


def _walk_header(fp: BinaryIO, data: bytes, start: int, size: int, total: int, implicit: bool,
                 little: bool) -> tuple | None:
    """:func:`_read_plain_header`'s walk of the elements in ``data`` (read from ``start``, more
    read from ``fp`` as needed) to the Pixel Data: (elements, sequences, elements holding
    items, where check_structure walked from, the Pixel Data's position, the bytes read, and
    the :class:`_LaidHeader` of what was read, None where none is kept); None where pydicom's
    path reads the header."""
    first_read = len(data)
    marks: list[tuple[int, int]] = []
    spans: list[tuple[int, int, BaseTag]] = []
    laid_out = True  # no sequence of undefined length, nothing read past the first read
    endian = "<" if little else ">"
    implicit_head = struct.Struct(endian + "HHL").unpack_from
    explicit_head = struct.Struct(endian + "HH2sH").unpack_from
    long_length = struct.Struct(endian + "L").unpack_from
    item = _ITEM_BYTES[endian]
    elements: dict = {}
    sequences = []
    with_items: list[tuple[int, int]] = []
    walked_from = total
    pos = 0
    while True:
        if pos + 12 > len(data) and len(data) < total:  # the next element header, at least
            laid_out = False  # a header longer than the first read: no layout is kept, none noted
            data += fp.read(min(total - len(data), max(len(data), pos + 12 - len(data))))
        end = len(data)
        if pos >= end:
            if start + pos != size:
                return None  # longer than PLAIN_HEADER_LIMIT, or the file changed
            break
        if pos + 8 > end:
            return None
        element_start = pos
        if implicit:
            group, number, length = implicit_head(data, pos)
            vr, pos = None, pos + 8
        else:
            group, number, raw_vr, length = explicit_head(data, pos)
            vr = VR_NAMES.get(raw_vr)
            if vr is None:
                return None
            pos += 8
            if raw_vr in LONG_LENGTH_VRS:
                if pos + 4 > end:
                    return None
                length, pos = long_length(data, pos)[0], pos + 4
        if laid_out:
            marks.append((element_start, pos))
        tag = group << 16 | number
        if tag in PIXEL_DATA_TAGS:
            pos = element_start
            break
        if length == _UNDEFINED_LENGTH and vr == "SQ":
            # pydicom's reader reads such a sequence at once, its items with the character set
            # read so far. Where it runs past the bytes at hand, the header's end is found by
            # walking its element headers, and read to in one go.
            read = None
            laid_out = False
            charset = _reader_encoding(elements, little)
            try:
                read = _PlainItems(data, start, little).sequence(pos, None, charset, 0, 1) if charset else None
            except _MoreBytes:
                header_end = check_structure(fp, start + element_start, size, implicit, little)
                if header_end is None or header_end - start > total:
                    return None
                walked_from = element_start  # what check_structure would walk into from here, it has
                fp.seek(start + len(data))
                data += fp.read(header_end - start - len(data))
                try:
                    read = _PlainItems(data, start, little).sequence(pos, None, charset, 0, 1)
                except _MoreBytes:
                    return None
            if read is None:
                return None
            key = BaseTag(tag)
            sequence = Sequence(read[0])
            sequence.is_undefined_length = True
            elements[key] = DataElement(key, "SQ", sequence, start + pos, is_undefined_length=True)
            sequences.append(key)
            with_items.append((start + element_start, start + read[1]))
            pos = read[1]
            continue
        if length == _UNDEFINED_LENGTH or group == 0xFFFE or pos + length > total:
            return None
        if pos + length > end:
            laid_out = False
            data += fp.read(min(total - end, max(end, pos + length + 12 - end)))
            if pos + length > len(data):
                return None
        value = data[pos:pos + length] if length else empty_value_for_VR(vr, raw=True)
        key = BaseTag(tag)
        # RawDataElement(key, vr, ...) without the Python-level __new__ of a NamedTuple (half the cost),
        # its defaults (is_raw, is_buffered) given
        elements[key] = _new_tuple(RawDataElement, (key, vr, length, value, start + pos, implicit, little, True, False))
        if vr == "SQ":
            sequences.append(key)
        if length and (vr == "SQ" or (vr in (None, "UN") and value[:4] == item)):
            with_items.append((start + element_start, start + pos + length))
        if laid_out:
            if vr in (None, "UN"):
                marks.append((pos, pos + min(4, length)))  # whether it holds items is read there
            spans.append((pos, pos + length, key))
        pos += length
    if pos == 0:
        return None  # nothing before the pixel data: pydicom's path says so
    laid = None
    if laid_out and len(data) == first_read and marks and marks[-1][0] == pos:  # stopped at the Pixel Data
        laid = _LaidHeader(Layout(data[:marks[-1][1]], marks, [(begin, stop) for begin, stop, _ in spans]),
                           [key for _, _, key in spans], dict(elements), sequences, with_items, pos)
    return elements, sequences, with_items, walked_from, pos, data, laid


class _LaidHeader(NamedTuple):
    """A header read in full by :func:`_walk_header`, kept for the next one read at its place."""

    layout: Layout
    keys: list[BaseTag]
    """The tag of each value of the layout's spans."""
    elements: dict
    sequences: list
    with_items: list
    end: int
    """Where the Pixel Data stands."""


def _read_header_by_layout(laid: _LaidHeader, data: bytes, implicit: bool,
                           little: bool) -> tuple[_LaidHeader, tuple] | None:
    """What :func:`_walk_header` gives for ``data`` (a first read as long as the laid-out
    header's): elements, sequences, elements holding items, the Pixel Data's position; and what
    to keep for the next header. None where a byte the walk decides on differs."""
    changed = laid.layout.changed(data)
    if changed is None:
        return None
    number, indexes = changed
    elements = laid.elements
    if indexes:
        elements = dict(elements)
        for index in indexes:
            key = laid.keys[index]
            start, stop = laid.layout.spans[index]
            old = elements[key]
            elements[key] = _new_tuple(RawDataElement, (
                key, old.VR, old.length, data[start:stop], old.value_tell, implicit, little, True, False))
        laid = laid._replace(elements=elements)
    laid.layout.number = number
    return laid, (dict(elements), list(laid.sequences), list(laid.with_items), laid.end)


_HEADER_LAYOUTS: dict[tuple, _LaidHeader] = {}
_LAYOUTS_KEPT = 16


def _check_element_structure(fp: BinaryIO, element: bytes, offset: int, size: int, implicit: bool,
                             little: bool) -> None:
    """:func:`check_structure` of one element holding items (``element``, its bytes, at
    ``offset`` in a file of ``size`` bytes), once per element, offset and size: what it refuses
    depends on nothing else, and the files of a series repeat their sequences."""
    key = (element, offset, size, implicit, little)
    if key in _STRUCTURES_CHECKED:
        return
    check_structure(fp, offset, size, implicit, little, end=offset + len(element))
    if len(element) <= _STRUCTURE_CHECKED_LENGTH:
        if len(_STRUCTURES_CHECKED) >= _STRUCTURES_KEPT:
            _STRUCTURES_CHECKED.clear()
        _STRUCTURES_CHECKED.add(key)


_STRUCTURES_CHECKED: set[tuple] = set()
_STRUCTURES_KEPT = 256
_STRUCTURE_CHECKED_LENGTH = 4096
"""Longer elements are walked in every file (a set of a few hundred short ones stays small)."""


@lru_cache(maxsize=256)
def character_sets(vr: str | None, value: bytes) -> tuple[str, ...]:
    """The Python codecs that the bytes of a Specific Character Set (its VR as stored, None in
    implicit VR) name, as pydicom converts them; once per value (the reader and the residue
    check both ask, file after file). Raises what pydicom raises."""
    raw = RawDataElement(BaseTag(0x00080005), vr, len(value), value, 0, vr is None, True)
    converted = convert_raw_data_element(raw).value
    return tuple(convert_encodings(converted if isinstance(converted, str) else list(converted)))


def _reader_encoding(elements: dict, little: bool):
    """The character set pydicom's reader holds after reading ``elements`` of a top-level data
    set: the default one, then what (0008,0005) names; None if that does not convert."""
    if 0x00080005 not in elements:
        return default_encoding
    try:
        return convert_encodings(convert_string(elements[BaseTag(0x00080005)].value or b"", little))
    except Exception:
        return None


_FIRST_READ = 1 << 14
"""What :func:`_read_plain_header` reads first: most headers, and little of any pixel data."""


def _is_sequence(tag: int, window: "_Window", value_start: int, ulong) -> bool:
    """pydicom's test for an undefined-length element of unknown VR: the dictionary says SQ,
    or (unknown tag) its value starts with an item."""
    try:
        return dictionary_VR(tag) == "SQ"
    except KeyError:
        head = window.get(value_start, 4)
        return head in _ITEM_BYTES.values()


def _tag_text(tag: int) -> str:
    return f"({tag >> 16:04X},{tag & 0xFFFF:04X})"


class _Window:
    """Reads element headers from a seekable file: exactly the bytes asked for, so that the
    pixel data (after the last header) is never read."""

    CHUNK = 1 << 20

    def __init__(self, fp: BinaryIO, size: int):
        self.fp, self.size = fp, size
        self.position = -1

    def get(self, pos: int, count: int) -> bytes:
        if pos >= self.size:
            return b""
        if pos != self.position:
            self.fp.seek(pos)
        data = self.fp.read(count)
        self.position = pos + len(data)
        return data

    def find(self, pattern: bytes, pos: int) -> int:
        """The offset of ``pattern`` at or after ``pos``, as pydicom finds the end of a value
        of undefined length; -1 if absent."""
        while pos < self.size:
            chunk = self.get(pos, min(self.CHUNK, self.size - pos))
            found = chunk.find(pattern)
            if found >= 0:
                return pos + found
            if len(chunk) < len(pattern) or pos + len(chunk) >= self.size:
                return -1
            pos += len(chunk) - (len(pattern) - 1)
        return -1


def _at_pixel_data(tag: int, vr: str | None, length: int) -> bool:
    return tag in PIXEL_DATA_TAGS


class _Extent:
    """``stop_when`` for the top level of a data set: stops at the pixel data and remembers
    where the last complete element ends, so that a file cut inside the next element's
    header (which pydicom takes for the end of the data set) is noticed."""

    def __init__(self, fp: BinaryIO, stop_at_pixel_data: bool = True):
        self.fp = fp
        self.stop_at_pixel_data = stop_at_pixel_data
        self.end: int | None = None

    def __call__(self, tag: int, vr: str | None, length: int) -> bool:
        if self.stop_at_pixel_data and tag in PIXEL_DATA_TAGS:
            return True
        self.end = None if length == _UNDEFINED_LENGTH else self.fp.tell() + length
        return False

    def check(self, position: int, start: int, header: Dataset) -> None:
        if not header._dict and position == start:
            raise MalformedDicomError("the file ends before its data set: there is nothing after the file meta group")
        if self.end is not None and position > self.end:
            raise MalformedDicomError(
                f"the file is truncated: {position - self.end} bytes at offset {self.end} "
                "do not form a data element"
            )


def _pixel_data_extent(
    fp: BinaryIO, position: int, size: int, implicit: bool, little: bool
) -> tuple[int | None, int]:
    """Return the pixel data tag at ``position`` and the offset just past its element."""
    endian = "<" if little else ">"
    fp.seek(position)
    head = fp.read(8)
    if len(head) < 8:
        return None, position
    group, element = struct.unpack(endian + "HH", head[:4])
    tag = group << 16 | element
    if tag not in PIXEL_DATA_TAGS:
        return None, position
    if not implicit and head[4:6] not in _PIXEL_VRS:
        raise MalformedDicomError(
            f"the Pixel Data element has VR {head[4:6].decode('latin-1')!r}: pixel data is OB, OW, OF, OD, OL, OV or UN")
    if implicit:
        length = struct.unpack(endian + "L", head[4:8])[0]
        value_start = position + 8
    elif head[4:6] in LONG_LENGTH_VRS:
        rest = fp.read(4)
        if len(rest) < 4:
            raise MalformedDicomError("the file is truncated inside the Pixel Data element header")
        length = struct.unpack(endian + "L", rest)[0]
        value_start = position + 12
    else:
        length = struct.unpack(endian + "H", head[6:8])[0]
        value_start = position + 8
    if length == _UNDEFINED_LENGTH and not implicit and head[4:6] not in (b"OB", b"OW"):
        # an undefined length UN is a sequence in implicit VR (PS3.5 6.2.2): readers would
        # parse the fragments as elements
        raise MalformedDicomError(
            f"the Pixel Data element is encapsulated (undefined length) with VR {head[4:6].decode('latin-1')!r}, not OB")
    if length != _UNDEFINED_LENGTH:
        end = value_start + length
        if end > size:
            raise MalformedDicomError(
                f"Pixel Data declares {length} bytes at offset {value_start} but the file has "
                f"only {size - value_start} bytes left"
            )
        return tag, end
    return tag, _walk_fragments(fp, value_start, size, endian)


def _walk_fragments(fp: BinaryIO, offset: int, size: int, endian: str) -> int:
    """Follow the items of encapsulated pixel data to the end of its sequence delimiter."""
    while True:
        fp.seek(offset)
        head = fp.read(8)
        if len(head) < 8:
            raise MalformedDicomError(
                "encapsulated Pixel Data has no sequence delimiter before the end of the file"
            )
        group, element, length = struct.unpack(endian + "HHL", head)
        tag = group << 16 | element
        offset += 8
        if tag == _SEQUENCE_DELIMITER:
            return offset
        if tag != _ITEM or length == _UNDEFINED_LENGTH:
            raise MalformedDicomError(
                f"encapsulated Pixel Data holds an unexpected element ({group:04X},{element:04X}) "
                f"at offset {offset - 8}"
            )
        offset += length
        if offset > size:
            raise MalformedDicomError(
                f"a Pixel Data fragment at offset {offset - length - 8} declares {length} bytes, "
                "past the end of the file"
            )


def _read_trailing(fp: BinaryIO, parsed: ParsedFile, offset: int) -> None:
    fp.seek(offset)
    try:
        check_structure(fp, offset, parsed.size, parsed.implicit_vr, parsed.little_endian, stop_at_pixel_data=False)
        fp.seek(offset)
        trailing = read_dataset(fp, parsed.implicit_vr, parsed.little_endian)
        _check_values(trailing, depth=0)
        if fp.tell() != parsed.size:
            raise MalformedDicomError(f"{parsed.size - fp.tell()} bytes at the end are not an element")
    except (MalformedDicomError, EOFError, ValueError, OSError, struct.error, UserWarning) as error:
        parsed.trailing_problem = (
            f"{parsed.size - offset} bytes after the pixel data could not be read as data "
            f"elements ({error}); they are not copied"
        )
        return
    parsed.trailing = trailing


def _read_deflated(
    fp: BinaryIO, size: int, had_preamble: bool, file_meta: FileMetaDataset, syntax: UID
) -> ParsedFile:
    try:
        inflated = zlib.decompressobj(-zlib.MAX_WBITS)
        data = inflated.decompress(fp.read(), MAX_INFLATED)
    except zlib.error as error:
        raise MalformedDicomError(f"the deflated data set cannot be inflated: {error}") from None
    if inflated.unconsumed_tail:
        raise MalformedDicomError(
            f"the deflated data set inflates to more than {MAX_INFLATED >> 20} MiB, like a deflate bomb")
    if not inflated.eof:
        raise MalformedDicomError("the deflated data set is truncated: its compressed stream does not end")
    buffer = io.BytesIO(data)
    check_structure(buffer, 0, len(data), False, True, stop_at_pixel_data=False)
    buffer.seek(0)
    extent = _Extent(buffer, stop_at_pixel_data=False)
    header = read_dataset(buffer, False, True, stop_when=extent)
    extent.check(buffer.tell(), 0, header)
    _check_values(header, depth=0)
    if buffer.tell() != len(data):
        raise MalformedDicomError("the inflated data set ends inside a data element")
    return ParsedFile(size, had_preamble, file_meta, syntax, False, True, header)


class _strict_reading:
    """Turn pydicom's reading warnings about broken structure into :class:`MalformedDicomError`.

    pydicom is lenient by design: it warns and carries on when a file ends early. An
    anonymiser must not guess, so those warnings become errors here, with pydicom's own words.
    """

    def __enter__(self):
        self._catcher = warnings.catch_warnings(record=True)
        self._caught = self._catcher.__enter__()
        warnings.simplefilter("always")
        self._mode = config.settings.reading_validation_mode
        config.settings.reading_validation_mode = config.WARN
        return self

    def __exit__(self, kind, error, traceback):
        config.settings.reading_validation_mode = self._mode
        self._catcher.__exit__(None, None, None)
        if isinstance(error, RecursionError):
            raise MalformedDicomError("sequences are nested too deeply to read") from None
        if isinstance(error, (EOFError, struct.error, OSError, ValueError, KeyError, TypeError,
                              NotImplementedError, UnicodeDecodeError, OverflowError, IndexError)) \
                and not isinstance(error, (MalformedDicomError, NotDicomError)):
            raise MalformedDicomError(f"the file cannot be read: {error}") from None
        if error is None:
            for caught in self._caught:
                text = str(caught.message)
                if "End of file reached" in text or "EOF" in text or "truncated" in text.lower():
                    raise MalformedDicomError(f"the file is truncated: {text}")
        return False
