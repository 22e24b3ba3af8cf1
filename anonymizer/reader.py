"""Read a DICOM file into its header, the position of its pixel data, and what follows it.

The data set is read up to the Pixel Data element only. The Pixel Data element is not read:
its start and end in the input are recorded (walking the item headers of encapsulated pixel
data), so that the output can copy that byte range unchanged without it ever entering memory.
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
from typing import BinaryIO, NamedTuple, Union

from pydicom import config
from pydicom.dataelem import DataElement, RawDataElement
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.filereader import read_dataset
from pydicom.uid import (
    UID,
    DeflatedExplicitVRLittleEndian,
    ExplicitVRBigEndian,
    ExplicitVRLittleEndian,
    ImplicitVRLittleEndian,
)

from .errors import MalformedDicomError, NotDicomError

Source = Union[bytes, bytearray, memoryview, str, os.PathLike, BinaryIO]

PIXEL_DATA_TAGS = frozenset({0x7FE00008, 0x7FE00009, 0x7FE00010})
_ITEM = 0xFFFEE000
_SEQUENCE_DELIMITER = 0xFFFEE0DD
_UNDEFINED_LENGTH = 0xFFFFFFFF
_LONG_LENGTH_VRS = frozenset(
    {b"OB", b"OD", b"OF", b"OL", b"OV", b"OW", b"SQ", b"SV", b"UC", b"UN", b"UR", b"UT", b"UV"}
)
_FIRST_DATASET_GROUPS = frozenset({0x0002, 0x0004, 0x0008})
MAX_DEPTH = 64
"""Sequences nested deeper than this are refused: no real IOD comes close."""


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
    trailing: Dataset = field(default_factory=Dataset)
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
            syntax = UID(str(syntax).strip("\x00 "))
            implicit, little = _encoding_of(syntax)
        if syntax == DeflatedExplicitVRLittleEndian:
            return _read_deflated(fp, size, had_preamble, file_meta, syntax)

        start = fp.tell()
        extent = _Extent(fp)
        header = read_dataset(fp, implicit, little, stop_when=extent)
        extent.check(fp.tell(), start, header)
        implicit = _actual_encoding(header, implicit, syntax)
        _check_values(header, depth=0)
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
    meta = read_dataset(fp, implicit_meta, True, stop_when=lambda tag, vr, length: tag.group != 2)
    _check_values(meta, depth=0)
    # A group length that lies is harmless here: the group is rebuilt from its elements.
    return FileMetaDataset(meta)


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
    """Refuse values shorter than their declared length (a truncated file) and deep nesting."""
    if depth > MAX_DEPTH:
        raise MalformedDicomError(f"sequences are nested more than {MAX_DEPTH} levels deep")
    for tag, element in list(dataset._dict.items()):
        if isinstance(element, RawDataElement):
            if element.length != _UNDEFINED_LENGTH and element.value is not None:
                if len(element.value) != element.length:
                    raise MalformedDicomError(
                        f"element ({tag >> 16:04X},{tag & 0xFFFF:04X}) declares {element.length} "
                        f"bytes but the file ends after {len(element.value)}"
                    )
            if element.VR == "SQ":  # a defined-length sequence, parsed lazily: parse it now
                element = dataset[tag]
        if isinstance(element, DataElement) and element.VR == "SQ":
            for item in element.value or ():
                _check_values(item, depth + 1)


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
    if implicit:
        length = struct.unpack(endian + "L", head[4:8])[0]
        value_start = position + 8
    elif head[4:6] in _LONG_LENGTH_VRS:
        rest = fp.read(4)
        if len(rest) < 4:
            raise MalformedDicomError("the file is truncated inside the Pixel Data element header")
        length = struct.unpack(endian + "L", rest)[0]
        value_start = position + 12
    else:
        length = struct.unpack(endian + "H", head[6:8])[0]
        value_start = position + 8
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
        data = inflated.decompress(fp.read(), 1 << 30)
    except zlib.error as error:
        raise MalformedDicomError(f"the deflated data set cannot be inflated: {error}") from None
    if inflated.unconsumed_tail:
        raise MalformedDicomError("the deflated data set inflates to more than 1 GiB")
    if not inflated.eof:
        raise MalformedDicomError("the deflated data set is truncated: its compressed stream does not end")
    buffer = io.BytesIO(data)
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
