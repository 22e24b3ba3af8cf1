"""What the reader accepts and what it refuses, with the exact reason a user sees.

    anonymize(b"")            # NotDicomError: the file is empty (0 bytes)
    anonymize(truncated)      # MalformedDicomError: ... declares N bytes but the file ends after M
"""

from __future__ import annotations

import io
import struct

import pydicom
import pytest
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.filebase import DicomBytesIO
from pydicom.filewriter import write_dataset, write_file_meta_info
from pydicom.uid import DeflatedExplicitVRLittleEndian, ExplicitVRLittleEndian, ImplicitVRLittleEndian, RLELossless

from anonymizer import InputRange, MalformedDicomError, NotDicomError, anonymize
from anonymizer.reader import new_dataset, read
from synthetic import PYDICOM_TEST_FILES, CT, dataset_tree, FAKE_NAME, make_dataset, make_instance, pixel_element_bytes, pydicom_sample, to_bytes

NOT_DICOM = "not a DICOM file: no 'DICM' marker at offset 128 and it does not start with a DICOM data element"


def meta_end(data: bytes) -> int:
    """Offset of the first data set element: just past the file meta group."""
    assert data[132:136] == b"\x02\x00\x00\x00"
    return 144 + struct.unpack("<L", data[140:144])[0]


# ------------------------------------------------------------------ not DICOM


def test_a_zero_byte_file_is_not_dicom():
    with pytest.raises(NotDicomError, match=r"^the file is empty \(0 bytes\)$"):
        anonymize(b"")


@pytest.mark.parametrize("content", [
    b"FAKE NOTES ABOUT FAKEPATIENT^ALPHA\n" * 10,
    b"\x89PNG\r\n\x1a\n" + bytes(200),
    b"PK\x03\x04" + bytes(200),
    bytes(300),
], ids=["text", "png", "zip", "zeros"])
def test_a_file_that_is_not_dicom(content):
    with pytest.raises(NotDicomError) as error:
        anonymize(content)

    assert str(error.value) == NOT_DICOM


def test_a_dicm_marker_and_nothing_else_is_malformed():
    with pytest.raises(MalformedDicomError):
        anonymize(bytes(128) + b"DICM")


# ------------------------------------------------------------------ truncated files


def test_truncated_inside_a_value():
    data = make_instance(CT)
    value = data.index(FAKE_NAME.encode(), meta_end(data))  # first: the private PN (0009,1001)

    with pytest.raises(MalformedDicomError) as error:
        anonymize(data[:value + 5])

    assert str(error.value) == "element (0009,1001) declares 18 bytes but the file ends after 5"


def test_truncated_inside_the_file_meta_value():
    data = make_instance(CT)

    with pytest.raises(MalformedDicomError, match=r"^element \(0002,0003\) declares \d+ bytes but the file ends after"):
        anonymize(data[:data.index(b"\x02\x00\x03\x00UI") + 12])


def test_a_length_that_runs_past_its_sequence_says_so():
    data = bytearray(make_instance(CT))
    code_value = data.index(b"\x08\x00\x00\x01SH", meta_end(data))  # in the Procedure Code Sequence's item
    data[code_value + 6:code_value + 8] = struct.pack("<H", 255)

    with pytest.raises(MalformedDicomError) as error:
        anonymize(bytes(data))

    assert str(error.value) == "element (0008,0100) declares 255 bytes but the sequence holding it ends after 66"


@pytest.mark.parametrize("into_header", [1, 3, 6], ids=lambda n: f"{n}-bytes-of-header")
def test_truncated_inside_an_element_header(into_header):
    # The file ends a few bytes into the tag/VR/length of Patient ID (a top-level element):
    # pydicom stops quietly there, as if the data set had ended, and the rest of the header
    # and the pixel data would be silently missing from the output.
    data = make_instance(CT)
    header = data.index(b"\x10\x00\x20\x00LO", meta_end(data))

    with pytest.raises(MalformedDicomError):
        anonymize(data[:header + into_header])


def test_truncated_right_after_the_file_meta():
    data = make_instance(CT)

    with pytest.raises(MalformedDicomError):
        anonymize(data[:meta_end(data)])


def test_truncated_deflated_data_set():
    data = make_instance(CT, transfer_syntax=DeflatedExplicitVRLittleEndian)
    start = meta_end(data)

    with pytest.raises(MalformedDicomError):
        anonymize(data[:start + (len(data) - start) // 2])


def test_a_deflated_data_set_that_does_not_inflate():
    data = make_instance(CT, transfer_syntax=DeflatedExplicitVRLittleEndian)

    with pytest.raises(MalformedDicomError, match=r"^the deflated data set cannot be inflated: "):
        anonymize(data[:meta_end(data)] + b"\xff" * 100)


def test_pixel_data_longer_than_the_file():
    data = make_instance(CT)  # 8 x 8 x 16 bits: 128 bytes of pixel data, the last element
    start = len(data) - 128

    with pytest.raises(MalformedDicomError) as error:
        anonymize(data[:-10])

    assert str(error.value) == (
        f"Pixel Data declares 128 bytes at offset {start} but the file has only 118 bytes left")


def test_encapsulated_pixel_data_without_sequence_delimiter():
    data = make_instance(CT, transfer_syntax=RLELossless, frames=2, fragments_per_frame=2)
    assert data.endswith(b"\xfe\xff\xdd\xe0\x00\x00\x00\x00")

    with pytest.raises(MalformedDicomError) as error:
        anonymize(data[:-8])

    assert str(error.value) == "encapsulated Pixel Data has no sequence delimiter before the end of the file"


def test_a_fragment_longer_than_the_file():
    data = make_instance(CT, transfer_syntax=RLELossless)[:-8]
    broken = data + b"\xfe\xff\x00\xe0" + struct.pack("<L", 1000) + b"FAKE"

    with pytest.raises(MalformedDicomError) as error:
        anonymize(broken)

    assert str(error.value) == (
        f"a Pixel Data fragment at offset {len(data)} declares 1000 bytes, past the end of the file")


def test_bundled_truncated_samples():
    with pytest.raises(MalformedDicomError) as mr:
        anonymize(pydicom_sample("MR_truncated.dcm"))
    with pytest.raises(MalformedDicomError) as plan:
        anonymize(pydicom_sample("rtplan_truncated.dcm"))

    assert str(mr.value) == "Pixel Data declares 8192 bytes at offset 1500 but the file has only 8130 bytes left"
    assert str(plan.value) == "element (300A,00B0) declares 976 bytes but the file ends after 711"


def _meta_elements(meta) -> list[tuple]:
    return [(int(e.tag), e.VR, e.value, e.file_tell) for e in meta]


@pytest.mark.filterwarnings("ignore::UserWarning")  # pydicom on the odd values of some bundled files
def test_the_file_meta_group_is_read_as_pydicom_reads_it():
    # The engine reads most file meta groups in one pass of its own (reader._plain_file_meta),
    # the rest with pydicom: what the report shows and the output keeps must be what pydicom reads.
    compared, differ = 0, []
    for path in sorted(PYDICOM_TEST_FILES.glob("*.dcm")):
        try:
            expected = pydicom.dcmread(path, stop_before_pixels=True).file_meta
            with open(path, "rb") as fp:
                parsed = read(fp)
        except Exception:  # unreadable to pydicom, or refused by the reader (tests above)
            continue
        if expected:
            compared += 1
            if _meta_elements(parsed.file_meta) != _meta_elements(expected):
                differ.append(path.name)

    assert compared > 60 and differ == []


@pytest.mark.filterwarnings("ignore::UserWarning")  # pydicom on the odd values of some bundled files
def test_sequences_are_read_as_pydicom_reads_them():
    # The engine reads plain sequences (explicit VR, defined lengths) in one pass of its own
    # (reader._convert_plain_sequence), the rest with pydicom: the items must be what pydicom reads.
    compared, differ = 0, []
    for path in sorted(PYDICOM_TEST_FILES.glob("*.dcm")):
        try:
            expected = pydicom.dcmread(path, stop_before_pixels=True)
            with open(path, "rb") as fp:
                parsed = read(fp)
            expected_tree = dataset_tree(expected)
        except Exception:  # unreadable to pydicom, or refused by the reader (tests above)
            continue
        if any(row[0] == "item" for row in expected_tree):
            compared += 1
            if dataset_tree(parsed.header) != expected_tree:
                differ.append(path.name)

    assert compared > 30 and differ == []


def test_a_plain_sequence_of_undefined_length_items_is_read_as_pydicom_reads_it():
    outer = Dataset()
    outer.CodeValue = "FAKE1"
    inner = Dataset()
    inner.CodeMeaning = "FAKE INNER"
    outer.ConceptNameCodeSequence = [inner]
    second = Dataset()
    second.CodeValue = "FAKE2"
    dataset = make_dataset(CT)
    dataset.ProcedureCodeSequence = [outer, second]
    data = bytearray(to_bytes(dataset))
    # items of undefined length, each ended by an item delimiter, inside a sequence of defined length
    sequence = data.index(b"\x08\x00\x32\x10SQ")
    length = struct.unpack_from("<L", data, sequence + 8)[0]
    value = bytes(data[sequence + 12:sequence + 12 + length])
    items, pos = [], 0
    while pos < len(value):
        item_length = struct.unpack_from("<L", value, pos + 4)[0]
        items.append(b"\xfe\xff\x00\xe0\xff\xff\xff\xff" + value[pos + 8:pos + 8 + item_length]
                     + b"\xfe\xff\x0d\xe0\x00\x00\x00\x00")
        pos += 8 + item_length
    reframed = b"".join(items)
    data[sequence + 8:sequence + 12 + length] = struct.pack("<L", len(reframed)) + reframed

    parsed = read(io.BytesIO(bytes(data)))
    expected = pydicom.dcmread(io.BytesIO(bytes(data)), stop_before_pixels=True)

    items = parsed.header.ProcedureCodeSequence
    assert [item.is_undefined_length_sequence_item for item in items] == [True, True]
    assert items[0].ConceptNameCodeSequence[0].CodeMeaning == "FAKE INNER" and items[1].CodeValue == "FAKE2"
    assert dataset_tree(parsed.header) == dataset_tree(expected)


def test_a_long_sequence_of_undefined_length_is_read_as_pydicom_reads_it():
    # Undefined lengths at the top level, written by most modalities: the reader holds the
    # first 16 KiB of the header, the sequence runs far past them, with nested sequences.
    dataset = make_dataset(CT)
    items = []
    for number in range(300):
        item = Dataset()
        item.ReferencedSOPClassUID = CT
        item.ReferencedSOPInstanceUID = f"2.25.{number}"
        code = Dataset()
        code.CodeMeaning = f"FAKE MEANING {number:04}"
        item.PurposeOfReferenceCodeSequence = [code]
        item.PurposeOfReferenceCodeSequence[0].is_undefined_length_sequence_item = True
        item.is_undefined_length_sequence_item = True
        items.append(item)
    dataset.ReferencedImageSequence = items
    dataset["ReferencedImageSequence"].is_undefined_length = True
    for item in dataset.ReferencedImageSequence:
        item["PurposeOfReferenceCodeSequence"].is_undefined_length = True
    data = to_bytes(dataset)
    assert data.count(b"\xfe\xff\xdd\xe0") == 301  # every sequence ends with its delimiter

    parsed = read(io.BytesIO(data))
    expected = pydicom.dcmread(io.BytesIO(data), stop_before_pixels=True)

    assert len(parsed.header.ReferencedImageSequence) == 300
    assert parsed.header.ReferencedImageSequence[299].PurposeOfReferenceCodeSequence[0].CodeMeaning == "FAKE MEANING 0299"
    assert dataset_tree(parsed.header) == dataset_tree(expected)
    assert parsed.pixel_data == InputRange(data.index(b"\xe0\x7f\x10\x00"), len(data))  # the whole element


@pytest.mark.parametrize("kind", [Dataset, FileMetaDataset])
def test_a_data_set_made_without_its_constructor_is_what_the_constructor_makes(kind):
    elements = {}
    made = new_dataset(elements, ["iso8859", "iso2022_jp"], kind=kind)
    constructed = kind(elements, parent_encoding=["iso8859", "iso2022_jp"])

    assert type(made) is kind and vars(made) == vars(constructed) and made._dict is elements
    assert all(made.__dict__[name] is not new_dataset(kind=kind).__dict__[name]  # containers are not shared
               for name, value in vars(made).items() if isinstance(value, dict) and name != "_dict")


@pytest.mark.parametrize("charset", ["empty, implicit VR", ["ISO 2022 IR 6", "ISO 2022 IR 87"], "ISO_IR 192"])
def test_the_specific_character_set_is_read_as_pydicom_reads_it(charset):
    # empty in implicit VR (no value bytes at all), ISO 2022 with code extensions, UTF-8
    if charset == "empty, implicit VR":
        data = pydicom_sample("empty_charset_LEI.dcm").read_bytes()
    else:
        data = make_instance(CT, extra={"SpecificCharacterSet": charset})

    parsed = read(io.BytesIO(data))

    assert parsed.header.original_character_set == pydicom.dcmread(io.BytesIO(data)).original_character_set


def test_a_file_meta_group_read_in_one_pass_ends_where_the_data_set_starts():
    data = make_instance(CT)
    parsed = read(io.BytesIO(data))

    assert [int(tag) for tag in parsed.file_meta._dict] == [0x00020000, 0x00020001, 0x00020002, 0x00020003,
                                                              0x00020010, 0x00020012, 0x00020013, 0x00020016]
    # the data set's first element starts right after the group (its value after its 8-byte header)
    assert min(parsed.header._dict) == 0x00080005 and parsed.header[0x00080005].file_tell == meta_end(data) + 8


def test_a_meta_group_that_names_the_wrong_encoding_for_compressed_data():
    with pytest.raises(MalformedDicomError) as error:
        anonymize(pydicom_sample("SC_rgb_jpeg.dcm"))

    assert str(error.value) == ("the file meta group names transfer syntax 1.2.840.10008.1.2.4.50 "
                                "but the data set is encoded with implicit VR")


# ------------------------------------------------------------------ nesting


def nested(levels: int, *, undefined: bool) -> bytes:
    """A CT with a Content Sequence (0040,A730) nested ``levels`` deep, before the curves."""
    value = b"\x40\x00\x60\xa1UT\x00\x00" + struct.pack("<L", 12) + b"FAKE DEEPEST"
    for _ in range(levels):
        if undefined:
            item = b"\xfe\xff\x00\xe0\xff\xff\xff\xff" + value + b"\xfe\xff\x0d\xe0" + bytes(4)
            value = b"\x40\x00\x30\xa7SQ\x00\x00\xff\xff\xff\xff" + item + b"\xfe\xff\xdd\xe0" + bytes(4)
        else:
            item = b"\xfe\xff\x00\xe0" + struct.pack("<L", len(value)) + value
            value = b"\x40\x00\x30\xa7SQ\x00\x00" + struct.pack("<L", len(item)) + item
    base = make_instance(CT)
    at = base.index(b"\x00\x50\x05\x00US")  # (5000,0005): the first tag after (0040,A730)
    return base[:at] + value + base[at:]


@pytest.mark.parametrize("undefined", [True, False], ids=["undefined-length", "defined-length"])
def test_sequences_nested_64_deep_are_read(undefined):
    result = anonymize(nested(64, undefined=undefined))

    assert result.rows[-1].path.startswith("(7FE0,0010)")
    deepest = max(result.rows, key=lambda row: row.depth)
    assert (deepest.depth, deepest.before) == (64, "FAKE DEEPEST")


@pytest.mark.parametrize("undefined", [True, False], ids=["undefined-length", "defined-length"])
def test_sequences_nested_more_than_64_deep_are_refused(undefined):
    with pytest.raises(MalformedDicomError, match="^sequences are nested more than 64 levels deep$"):
        anonymize(nested(70, undefined=undefined))


# ------------------------------------------------------------------ what the reader returns


def test_read_records_the_pixel_data_range_and_what_follows():
    data = make_instance(CT, transfer_syntax=RLELossless, frames=3, fragments_per_frame=2, trailing=True)
    pixel = pixel_element_bytes(data)
    start = data.index(pixel)

    parsed = read(io.BytesIO(data))

    assert parsed.pixel_data == InputRange(start, start + len(pixel))
    assert parsed.pixel_tag == 0x7FE00010
    assert 0x7FE00010 not in parsed.header
    assert sorted(parsed.trailing.keys()) == [0x7FE10010, 0x7FE11001, 0xFFFCFFFC]
    assert (parsed.had_preamble, parsed.transfer_syntax, parsed.implicit_vr, parsed.little_endian) == (
        True, RLELossless, False, True)
    assert parsed.size == len(data) and parsed.trailing_problem is None


def test_a_raw_data_set_without_preamble_or_file_meta():
    source = pydicom_sample("ExplVR_LitEndNoMeta.dcm")
    assert source.read_bytes()[128:132] != b"DICM"

    parsed = read(open(source, "rb"))
    output = anonymize(source).to_bytes()

    assert parsed.had_preamble is False and parsed.implicit_vr is False
    after = pydicom.dcmread(io.BytesIO(output))
    assert output[:132] == bytes(128) + b"DICM"
    assert after.file_meta.TransferSyntaxUID == ExplicitVRLittleEndian
    assert after.PatientIdentityRemoved == "YES"


def test_implicit_vr_data_under_an_explicit_vr_file_meta_is_written_as_implicit():
    ds = make_dataset(CT)
    meta = DicomBytesIO()
    meta.is_little_endian, meta.is_implicit_VR = True, False
    write_file_meta_info(meta, ds.file_meta, enforce_standard=True)  # says Explicit VR Little Endian
    body = DicomBytesIO()
    body.is_little_endian, body.is_implicit_VR = True, True
    write_dataset(body, Dataset(ds))
    data = bytes(128) + b"DICM" + meta.getvalue() + body.getvalue()

    output = anonymize(data).to_bytes()

    after = pydicom.dcmread(io.BytesIO(output))
    assert after.file_meta.TransferSyntaxUID == ImplicitVRLittleEndian
    assert after.PixelData == ds.PixelData
    assert after.PatientName == ""


def test_an_undecodable_value_is_removed_and_reported():
    ds = make_dataset(CT)
    ds.add_new(0x00540011, "US", 1)  # Number of Energy Windows, kept by the policy
    data = to_bytes(ds)
    good = b"\x54\x00\x11\x00US\x02\x00\x01\x00"
    assert data.count(good) == 1
    data = data.replace(good, b"\x54\x00\x11\x00US\x03\x00\x01\x00\x00")  # 3 bytes for a US

    result = anonymize(data)

    row = next(r for r in result.rows if r.path == "(0054,0011)")
    assert (row.before, row.after, row.action) == ("<unreadable value>", None, "removed")
    assert [(f.level, f.message) for f in row.findings] == [
        (3, "the value could not be decoded (BytesLengthException); removed")]
    assert "NumberOfEnergyWindows" not in pydicom.dcmread(io.BytesIO(result.to_bytes()))
