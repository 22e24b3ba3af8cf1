"""Layouts: the next data set of a series read by what the reading of the last one decided.

A reader of DICOM elements decides how to walk the bytes from a few of them: the element, item
and delimiter headers, and the first bytes of a value whose VR it does not know (whether items
stand there). The files of a series hold the same elements, of the same lengths, at the same
places; only some values differ. A :class:`Layout` keeps where the deciding bytes and the
values of one data set stand, and its bytes. :meth:`Layout.changed` compares the next data
set's bytes with them (one masked big-integer XOR) and says which values differ, or that a
deciding byte differs: then the walk could differ, and the caller reads in full. Otherwise
the walk is the same; the caller keeps what it read, and takes again only the values that
differ, from the new bytes.
"""

from __future__ import annotations

import re
from bisect import bisect_right


class Layout:
    """Where the bytes a reading decided on and the values it kept stand, in one data set."""

    __slots__ = ("size", "head", "marks", "number", "mask", "spans", "starts")

    def __init__(self, head: bytes, marks: list[tuple[int, int]], spans: list[tuple[int, int]]):
        """``head``: the bytes read, as far as the reading looked; ``marks``: the (start, stop)
        of each run of bytes it decided on; ``spans``: the (start, stop) of each value kept, in
        order."""
        self.size, self.head, self.marks = len(head), head, marks
        self.number = self.mask = None  # made when a data set is read by this layout: most never are
        self.spans = spans
        self.starts = [start for start, _ in spans]

    def changed(self, data: bytes) -> tuple[int, list[int]] | None:
        """For ``data`` (at least as long as the head): its head as a number, to give
        :attr:`number` once what differs is taken, and the indexes in :attr:`spans` of the
        values that differ; None where a byte the reading decided on differs, or a byte that
        is in no value (the caller then reads in full, whatever its marks left out)."""
        size = self.size
        if self.mask is None:
            decided = bytearray(size)
            for start, stop in self.marks:
                decided[start:stop] = b"\xff" * (stop - start)
            self.mask, self.number = int.from_bytes(decided, "big"), int.from_bytes(self.head, "big")
            self.head = self.marks = None
        number = int.from_bytes(data[:size], "big")
        differ = number ^ self.number
        if differ & self.mask:
            return None
        indexes: list[int] = []
        if differ:
            spans = self.spans
            for run in _DIFFERENT.finditer(differ.to_bytes(size, "big")):
                index = max(bisect_right(self.starts, run.start()) - 1, 0)
                covered = run.start()  # how far the values met cover the run
                while index < len(spans) and spans[index][0] < run.end():
                    start, stop = spans[index]
                    if stop > run.start():
                        if start > covered:
                            return None
                        indexes.append(index)
                        covered = max(covered, stop)
                    index += 1
                if covered < run.end():
                    return None  # bytes neither decided on nor in a value: read in full
        return number, indexes


_DIFFERENT = re.compile(rb"[^\x00]+")
