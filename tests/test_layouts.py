"""Layouts (anonymizer.layouts): which values of the next data set differ, when every byte the
reading decided on is the same.

    layout = Layout(first, marks=[(0, 4)], spans=[(4, 8), (8, 12)])
    layout.changed(second)   # (second's bytes as a number, [1]): the second value differs
"""

from anonymizer.layouts import Layout


def layout_of(data: bytes) -> Layout:
    # a header (4 bytes) the reading decided on, then three values of 4 bytes
    return Layout(data, marks=[(0, 4)], spans=[(4, 8), (8, 12), (12, 16)])


def test_the_values_that_differ_are_named_by_their_place():
    layout = layout_of(b"HEAD" + b"AAAA" + b"BBBB" + b"CCCC")

    changed = layout.changed(b"HEAD" + b"AAAA" + b"BxBB" + b"CCCx")

    assert changed is not None and changed[1] == [1, 2]


def test_the_same_bytes_differ_nowhere():
    data = b"HEAD" + b"AAAA" + b"BBBB" + b"CCCC"

    assert layout_of(data).changed(data)[1] == []


def test_a_byte_the_reading_decided_on_that_differs_is_a_new_layout():
    layout = layout_of(b"HEAD" + b"AAAA" + b"BBBB" + b"CCCC")

    assert layout.changed(b"HEAd" + b"AAAA" + b"BBBB" + b"CCCC") is None


def test_bytes_past_the_head_are_not_compared():
    layout = layout_of(b"HEAD" + b"AAAA" + b"BBBB" + b"CCCC")

    assert layout.changed(b"HEAD" + b"AAAA" + b"BBBB" + b"CCCC" + b"pixel data")[1] == []


def test_the_layout_compares_with_the_bytes_it_was_last_given():
    layout = layout_of(b"HEAD" + b"AAAA" + b"BBBB" + b"CCCC")
    number, _ = layout.changed(b"HEAD" + b"AAAx" + b"BBBB" + b"CCCC")
    layout.number = number  # what the reader does once it has taken the values that differ

    assert layout.changed(b"HEAD" + b"AAAx" + b"BBBB" + b"CCCx")[1] == [2]


def test_a_byte_in_no_value_and_not_decided_on_is_a_new_layout_too():
    # a reader that forgot to mark a byte it decides on is read in full, not by the layout
    layout = Layout(b"HEAD" + b"AAAA" + b"gap!" + b"CCCC", marks=[(0, 4)], spans=[(4, 8), (12, 16)])

    assert layout.changed(b"HEAD" + b"AAAA" + b"gap?" + b"CCCC") is None
    assert layout.changed(b"HEAD" + b"AAAx" + b"gap!" + b"CCCC")[1] == [0]
