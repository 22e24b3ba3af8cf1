"""A lean reader of data element bytes, for reading back what this package wrote.

The residue check reads the output's bytes back before anything is released. Those bytes come
from the package's own writer, so they are regular: known VRs, lengths that fit, items and
delimiters where they belong. This reader walks such bytes in one pass with ``struct``, into
plain tuples (tag, VR, value bytes, items), several times faster than building pydicom data
sets. It reads exactly as pydicom's ``read_dataset`` reads; wherever pydicom would have to
guess (a VR encoding that switches, an unknown VR, a value of undefined length that is not a
sequence, an unknown element that may hold items ...) it raises :class:`Unusual` instead, and
the caller reads those bytes with pydicom.
"""

from __future__ import annotations

import struct
from functools import lru_cache
from typing import NamedTuple

from pydicom.datadict import dictionary_VR

from .layouts import Layout
from .reader import LONG_LENGTH_VRS, VR_NAMES

MAX_DEPTH = 64
_UNDEFINED = 0xFFFFFFFF
_ITEM = 0xFFFEE000
_ITEM_END = 0xFFFEE00D
_SEQUENCE_END = 0xFFFEE0DD


class Element(NamedTuple):
    """One element as stored: ``vr`` is None in implicit VR; ``items`` for a sequence."""

    tag: int
    vr: str | None
    value: bytes
    items: list[list[Element]] | None = None


class Unusual(Exception):
    """Bytes this reader does not read exactly as pydicom would: read them with pydicom."""


@lru_cache(maxsize=4096)
def dictionary_vr(tag: int) -> str:
    """The VR the dictionary gives ``tag`` (the first of ``US or SS``), UN if unknown."""
    try:
        return dictionary_VR(tag).split(" or ")[0]
    except KeyError:
        return "UN"


def read_elements(data: bytes, implicit: bool, little: bool) -> list[Element]:
    """Every element of the data set encoded in ``data``, which it must fill exactly.

    The files of a series are written with the same layout: the same elements, of the same
    lengths, at the same places; only some values differ. The last layout read for each length
    of ``data`` is kept (:class:`~anonymizer.layouts.Layout`), and ``data`` is read by it when every byte this
    reader decides on (element, item and delimiter headers, the first bytes of an unknown
    value) is the same: then only the values that differ are taken again. Anything else is
    read in full."""
    key = (len(data), implicit, little)
    laid = _LAYOUTS.get(key)
    if laid is not None:
        read = _read_by_layout(laid, data)
        if read is not None:
            _LAYOUTS[key], elements = read
            return elements
    reader = _Reader(data, implicit, little, noted=len(data) <= _LAYOUT_LENGTH)
    elements, pos = reader.dataset(0, len(data), False, False, 0)
    if pos != len(data):
        raise Unusual("bytes after the last element")
    if len(data) <= _LAYOUT_LENGTH:
        if len(_LAYOUTS) >= _LAYOUTS_KEPT:
            _LAYOUTS.clear()
        _LAYOUTS[key] = _Laid(Layout(data, reader.marks, reader.spans), elements)
    return elements


class _Laid(NamedTuple):
    """A data set read in full, kept for the next one as long (:func:`read_elements`)."""

    layout: Layout
    elements: list[Element]


def _read_by_layout(laid: _Laid, data: bytes) -> tuple[_Laid, list[Element]] | None:
    """The elements of ``data`` read by ``laid``'s layout, and what to keep for the next; None
    where it is read in full: a byte the reader decides on differs, or a value that differs
    holds items."""
    changed = laid.layout.changed(data)
    if changed is None:
        return None
    number, indexes = changed
    elements = list(laid.elements)
    for index in indexes:
        tag, vr, _, items = elements[index]
        if items is not None:
            return None
        start, stop = laid.layout.spans[index]
        elements[index] = _new_tuple(Element, (tag, vr, data[start:stop], None))
    laid.layout.number = number
    return laid._replace(elements=elements), list(elements)


_LAYOUTS: dict[tuple[int, bool, bool], _Laid] = {}
_LAYOUTS_KEPT = 16
_LAYOUT_LENGTH = 1 << 16
"""A longer data set is read in full every time (its layout would cost as much to keep)."""


class _Reader:
    def __init__(self, data: bytes, implicit: bool, little: bool, noted: bool = False):
        endian = "<" if little else ">"
        self.data, self.implicit = data, implicit
        self.head = struct.Struct(endian + "HHL").unpack_from
        self.explicit_head = struct.Struct(endian + "HH2sH").unpack_from
        self.long = struct.Struct(endian + "L").unpack_from
        self.marks: list[tuple[int, int]] | None = [] if noted else None
        """Byte ranges the reading decided on: headers, and the first bytes of unknown values
        (``noted``: for a layout)."""
        self.spans: list[tuple[int, int]] | None = [] if noted else None
        """(value start, value end) of each top-level element (``noted``)."""

    def dataset(self, pos: int, end: int, in_item: bool, to_delimiter: bool, depth: int) -> tuple[list[Element], int]:
        """Elements from ``pos`` to ``end``, or to the item delimiter (``to_delimiter``)."""
        data, implicit = self.data, self.implicit
        if pos + 6 <= end:  # pydicom looks at the first element to tell implicit from explicit VR
            first = data[pos + 4:pos + 6]
            looks_implicit = not (0x40 < first[0] < 0x5B and 0x40 < first[1] < 0x5B)
            if looks_implicit != implicit and not (in_item and implicit):  # items stay implicit
                raise Unusual("the VR encoding switches")
        elements: list[Element] = []
        marks, spans = self.marks, self.spans
        previous = -1
        while pos < end:
            if pos + 8 > end:
                raise Unusual("a truncated element header")
            header_start = pos
            if implicit:
                group, number, length = self.head(data, pos)
                vr, pos = None, pos + 8
            else:
                group, number, raw_vr, length = self.explicit_head(data, pos)
                vr = VR_NAMES.get(raw_vr)
                if vr is None:
                    raise Unusual("an unknown VR")
                pos += 8
                if raw_vr in LONG_LENGTH_VRS:
                    if pos + 4 > end:
                        raise Unusual("a truncated element header")
                    length, pos = self.long(data, pos)[0], pos + 4
            if marks is not None:
                marks.append((header_start, pos))
            tag = group << 16 | number
            if tag == _ITEM_END:
                if not to_delimiter:
                    raise Unusual("an item delimiter outside an item of undefined length")
                return elements, pos
            if tag <= previous or tag >> 16 == 0xFFFE:
                raise Unusual("elements out of order")
            previous = tag
            is_sequence = vr == "SQ" or (vr is None and dictionary_vr(tag) == "SQ")
            if length == _UNDEFINED:
                if not is_sequence:
                    raise Unusual("a value of undefined length")
                value_start = pos
                items, pos = self.sequence(pos, None, depth + 1)
                elements.append(_new_tuple(Element, (tag, vr, b"", items)))
                if not depth and spans is not None:
                    spans.append((value_start, pos))
                continue
            if pos + length > end:
                raise Unusual("a value past the end")
            if is_sequence:
                items, stop = self.sequence(pos, pos + length, depth + 1)
                if stop != pos + length:
                    raise Unusual("a sequence that does not fill its length")
                elements.append(_new_tuple(Element, (tag, vr, b"", items)))
            else:
                value = data[pos:pos + length]
                if (vr or dictionary_vr(tag)) == "UN":
                    if value[:4] in _ITEM_BYTES:
                        raise Unusual("an unknown element that may hold items")
                    if marks is not None:
                        marks.append((pos, pos + min(4, length)))
                # Element(tag, vr, value) without the Python-level __new__ of a NamedTuple: half the cost
                elements.append(_new_tuple(Element, (tag, vr, value, None)))
            if not depth and spans is not None:
                spans.append((pos, pos + length))
            pos += length
        if to_delimiter:
            raise Unusual("an item of undefined length without its delimiter")
        return elements, pos

    def sequence(self, pos: int, end: int | None, depth: int) -> tuple[list[list[Element]], int]:
        """The items of a sequence from ``pos`` to ``end`` (None: to its delimiter)."""
        if depth > MAX_DEPTH:
            raise Unusual("sequences nested too deeply")
        data = self.data
        limit = len(data) if end is None else end
        items = []
        while pos < limit:
            if pos + 8 > limit:
                raise Unusual("a truncated item header")
            group, number, length = self.head(data, pos)
            tag = group << 16 | number
            if self.marks is not None:
                self.marks.append((pos, pos + 8))
            pos += 8
            if tag == _SEQUENCE_END and end is None:
                return items, pos
            if tag != _ITEM:
                raise Unusual("a sequence holds something other than items")
            if length == _UNDEFINED:
                elements, pos = self.dataset(pos, limit, True, True, depth)
            else:
                if pos + length > limit:
                    raise Unusual("an item past the end")
                elements, pos = self.dataset(pos, pos + length, True, False, depth)
            items.append(elements)
        if end is None:
            raise Unusual("a sequence of undefined length without its delimiter")
        return items, pos


_ITEM_BYTES = (b"\xfe\xff\x00\xe0", b"\xff\xfe\xe0\x00")
_new_tuple = tuple.__new__
