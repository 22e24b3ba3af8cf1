"""The engine, end to end: what comes out of ``anonymize`` for each SOP class with a policy.

Every input is a synthetic file from ``tests/synthetic.py`` with fake PHI planted in every
identifying attribute, or a sample file bundled with pydicom. Read a test as an example::

    result = anonymize(make_instance(CT))
    output = result.to_bytes()
"""

from __future__ import annotations

import dataclasses
import functools
import io
import json
import re
import tracemalloc

import pydicom
import pytest
from pydicom.dataset import Dataset
from pydicom.uid import (
    DeflatedExplicitVRLittleEndian,
    ExplicitVRBigEndian,
    ExplicitVRLittleEndian,
    ImplicitVRLittleEndian,
    JPEGBaseline8Bit,
    RLELossless,
)

import anonymizer.engine
from anonymizer import (
    DEFAULT_PROFILE,
    Finding,
    InputRange,
    MalformedDicomError,
    RefusedError,
    __version__,
    anonymize,
)
from anonymizer.policy import policy_for
from anonymizer.rules import KEEP, REPLACE, Rule
from synthetic import (
    ALL_CLASSES,
    CT,
    FAKE_AE_TITLE,
    MR,
    MR_SPECTROSCOPY,
    POLICY_CLASSES,
    PREAMBLE_TEXT,
    RF,
    SECONDARY_CAPTURE,
    SHORT_NAMES,
    TECHNICAL,
    US,
    US_MULTIFRAME,
    XA,
    make_dataset,
    make_instance,
    pixel_element_bytes,
    planted_in,
    pydicom_sample,
    to_bytes,
    uid,
    write_instance,
)

STAMPED = {0x00120062, 0x00120063, 0x00120064}
DE_IDENTIFICATION_METHOD = f"anonymizer {__version__}, profile radiopaedia"
by_name = pytest.mark.parametrize("sop_class", POLICY_CLASSES, ids=SHORT_NAMES.get)
every_class = pytest.mark.parametrize("sop_class", ALL_CLASSES, ids=SHORT_NAMES.get)


def read(data: bytes) -> Dataset:
    return pydicom.dcmread(io.BytesIO(data))


class Run:
    """One synthetic file of a class, anonymised: input bytes, result, output bytes, both parsed."""

    def __init__(self, sop_class: str, **options):
        self.sop_class = sop_class
        self.data = make_instance(sop_class, **options)
        self.result = anonymize(self.data)
        self.output = self.result.to_bytes()
        self.before = read(self.data)
        self.after = read(self.output)
        self.policy = policy_for(DEFAULT_PROFILE, sop_class)


_runs: dict[str, Run] = {}


def run_of(sop_class: str) -> Run:
    """The anonymised default synthetic file of ``sop_class`` (with trailing elements)."""
    if sop_class not in _runs:
        _runs[sop_class] = Run(sop_class, trailing=True, frames=3 if sop_class == US_MULTIFRAME else 1)
    return _runs[sop_class]


def leaks(planted, output: bytes) -> list[str]:
    """Planted strings found in the output: raw bytes and decoded values, ignoring case,
    and with the PN component separator ``^`` written as a space or dropped."""
    raw = output.decode("latin-1").lower()
    decoded = " | ".join(str(element.value) for element in _all_elements(read(output))).lower()
    found = []
    for text in planted:
        variants = {text, text.replace("^", " "), text.replace("^", "")}
        if any(v.lower() in raw or v.lower() in decoded for v in variants):
            found.append(text)
    return found


def _all_elements(ds: Dataset):
    yield from ds.file_meta.iterall() if hasattr(ds, "file_meta") else ()
    yield from ds.iterall()


# ------------------------------------------------------------------ every class with a policy


@every_class
def test_no_planted_string_survives(sop_class):
    run = run_of(sop_class)
    planted = planted_in(run.data)
    assert leaks(planted, run.data) == list(planted), "the input must hold every planted string"

    assert leaks(planted, run.output) == []
    assert b"fake" not in run.output.lower()


@every_class
def test_every_attribute_the_policy_keeps_is_unchanged(sop_class):
    run = run_of(sop_class)
    kept = [tag for tag in run.before.keys()
            if (rule := run.policy.rule_for(tag)) is not None and rule.action == KEEP]

    for tag in kept:
        before, after = run.before[tag], run.after.get(tag)
        assert after is not None, f"{before.keyword} was dropped"
        assert (after.VR, str(after.value)) == (before.VR, str(before.value)), before.keyword
    names = {pydicom.datadict.keyword_for_tag(tag) for tag in kept}
    assert {"SOPClassUID", "Modality", "Rows", "Columns", "PatientSex", "SliceThickness"} <= names
    technical_kept = {k for k in TECHNICAL if k in run.before
                      and getattr(run.policy.rule_for(pydicom.datadict.tag_for_keyword(k)), "action", None) == KEEP}
    assert len(technical_kept) >= 15 and names >= technical_kept


@every_class
def test_replaced_attributes_hold_the_policy_value(sop_class):
    run = run_of(sop_class)
    replaced = [(tag, rule) for tag in run.before.keys()
                if (rule := run.policy.rule_for(tag)) is not None and rule.action == REPLACE]

    assert replaced, "the synthetic file has attributes the policy replaces"
    for tag, rule in replaced:
        after = run.after[tag]
        if after.VR == "SQ":
            assert list(after.value) == [], rule.keyword
        else:
            assert str(after.value if after.value is not None else "") == rule.value, rule.keyword


def test_replacement_values_in_a_ct():
    after = run_of(CT).after

    assert (after.StudyDate, after.SeriesDate, after.AcquisitionDate, after.ContentDate) == ("19700101",) * 4
    assert (after.StudyTime, after.SeriesTime, after.AcquisitionTime, after.ContentTime) == ("000000",) * 4
    assert (after.PatientName, after.PatientID, after.AccessionNumber, after.StudyID) == ("", "", "", "")
    assert after.ReferringPhysicianName == ""
    assert after.Manufacturer == ""
    assert after.ManufacturerModelName == "REMOVED"
    assert after.DeviceSerialNumber == "REMOVED"
    assert after.SoftwareVersions == "REMOVED"
    assert "PatientBirthDate" not in after and "InstitutionName" not in after


@every_class
def test_attributes_the_policy_does_not_list_are_removed(sop_class):
    run = run_of(sop_class)
    unlisted = [tag for tag in run.before.keys()
                if run.policy.rule_for(tag) is None and tag not in STAMPED]

    assert 0x00100030 in unlisted and 0x00091001 in unlisted and 0x60003000 in unlisted
    assert [tag for tag in unlisted if tag in run.after] == []
    assert not any(tag >> 16 & 1 for tag in run.after.keys()), "private tags"
    assert not any(tag >> 24 in (0x50, 0x60) for tag in run.after.keys()), "curves (50xx) and overlays (60xx)"


@every_class
def test_pixel_data_is_byte_identical(sop_class):
    run = run_of(sop_class)
    if sop_class == MR_SPECTROSCOPY:
        assert "PixelData" not in run.before
        assert run.after.SpectroscopyData == run.before.SpectroscopyData
        return
    assert pixel_element_bytes(run.output) == pixel_element_bytes(run.data)


@every_class
def test_identity_removed_is_stamped(sop_class):
    after = run_of(sop_class).after

    assert after.PatientIdentityRemoved == "YES"
    assert after.DeidentificationMethod == DE_IDENTIFICATION_METHOD
    (code,) = after.DeidentificationMethodCodeSequence
    assert (code.CodeValue, code.CodingSchemeDesignator) == ("RADIOPAEDIA", "99ANONYMIZER")


@every_class
def test_output_is_read_by_pydicom_and_dcmtk(sop_class, dcmdump, tmp_path):
    run = run_of(sop_class)
    path = tmp_path / "out.dcm"
    path.write_bytes(run.output)

    assert pydicom.dcmread(path).SOPClassUID == sop_class
    status, lines = dcmdump(path)
    assert status == 0
    assert [line for line in lines if line.startswith("E:")] == []


@every_class
def test_preamble_is_zeros_and_file_meta_is_rebuilt(sop_class):
    run = run_of(sop_class)
    meta = run.after.file_meta

    assert run.data[:len(PREAMBLE_TEXT)] == PREAMBLE_TEXT
    assert run.output[:132] == bytes(128) + b"DICM"
    assert meta.MediaStorageSOPInstanceUID == run.after.SOPInstanceUID
    assert meta.MediaStorageSOPClassUID == sop_class
    assert meta.ImplementationClassUID == anonymizer.engine.IMPLEMENTATION_CLASS_UID
    assert meta.ImplementationVersionName == f"ANONYMIZER_{__version__}"
    assert "SourceApplicationEntityTitle" not in meta
    assert run.before.file_meta.SourceApplicationEntityTitle == FAKE_AE_TITLE
    assert meta.TransferSyntaxUID == run.before.file_meta.TransferSyntaxUID


@pytest.mark.parametrize("syntax", [
    ExplicitVRLittleEndian, ImplicitVRLittleEndian, ExplicitVRBigEndian, RLELossless, JPEGBaseline8Bit,
    DeflatedExplicitVRLittleEndian,
], ids=lambda uid: uid.name)
def test_transfer_syntax_is_kept(syntax, dcmdump, tmp_path):
    data = make_instance(CT, transfer_syntax=syntax, frames=2)
    output = anonymize(data).to_bytes()
    (tmp_path / "out.dcm").write_bytes(output)

    after = read(output)
    assert after.file_meta.TransferSyntaxUID == syntax
    assert after.PixelData == read(data).PixelData
    assert leaks(planted_in(data), output) == []
    assert dcmdump(tmp_path / "out.dcm")[0] == 0


# ------------------------------------------------------------------ large files: pixel data by reference


class TrackingFile(io.BytesIO):
    """A file object that records every read as (offset, length)."""

    def __init__(self, data: bytes):
        super().__init__(data)
        self.reads: list[tuple[int, int]] = []

    def read(self, size=-1):
        offset = self.tell()
        chunk = super().read(size)
        self.reads.append((offset, len(chunk)))
        return chunk


large_inputs = pytest.mark.parametrize("options", [
    dict(transfer_syntax=ExplicitVRLittleEndian, frames=4, rows=64, cols=64),
    dict(transfer_syntax=RLELossless, frames=4, rows=64, cols=64, fragments_per_frame=3),
], ids=["native", "encapsulated-4-frames-12-fragments"])


@large_inputs
def test_segments_hold_the_pixel_data_element_as_an_input_range(options):
    data = make_instance(CT, trailing=True, **options)
    pixel = pixel_element_bytes(data)
    start = data.index(pixel)

    result = anonymize(data)

    ranges = [s for s in result.segments if isinstance(s, InputRange)]
    assert ranges == [InputRange(start, start + len(pixel))]
    assert all(isinstance(s, (bytes, InputRange)) for s in result.segments)
    assert result.size == len(result.to_bytes())


@large_inputs
def test_pixel_data_is_not_read_while_anonymising(options):
    data = make_instance(CT, trailing=True, **{**options, "frames": 64})  # 512 KiB of pixel data
    pixel = pixel_element_bytes(data)
    start, stop = data.index(pixel), data.index(pixel) + len(pixel)
    source = TrackingFile(data)

    anonymize(source)

    touching = [(offset, n) for offset, n in source.reads if offset < stop and offset + n > start]
    assert touching, "the reader looks at the element header"
    # the header is read in one piece of 16 KiB, which runs into the pixel data; after it, only
    # element and item headers are read
    overshoot = [min(offset + n, stop) - start for offset, n in touching if offset < start]
    assert overshoot and max(overshoot) <= 16 * 1024 < len(pixel)
    assert max(n for offset, n in touching if offset >= start) <= 12


@large_inputs
def test_write_to_streams_the_range_in_chunks(options):
    data = make_instance(CT, trailing=True, **options)
    source = TrackingFile(data)
    result = anonymize(source)
    source.reads.clear()
    out = io.BytesIO()

    written = result.write_to(out, chunk_size=1000)

    assert written == len(out.getvalue()) == result.size
    assert source.reads and max(n for _, n in source.reads) <= 1000
    assert out.getvalue() == anonymize(data).to_bytes()
    assert pixel_element_bytes(out.getvalue()) == pixel_element_bytes(data)


@pytest.mark.parametrize("opened_as", ["path", "file"])
def test_write_to_between_files_on_disk_gives_the_same_bytes_where_the_file_stands(tmp_path, opened_as):
    # between two files on disk the pixel data is copied by the kernel (os.copy_file_range)
    data = make_instance(CT, trailing=True, frames=2, rows=64, cols=64)
    path = tmp_path / "in.dcm"
    path.write_bytes(data)
    target = tmp_path / "out.dcm"

    with open(path, "rb") as source:
        result = anonymize(path if opened_as == "path" else source)
        with open(target, "wb") as out:
            out.write(b"before")
            written = result.write_to(out)
            out.write(b"after")

    assert target.read_bytes() == b"before" + anonymize(data).to_bytes() + b"after"
    assert written == result.size


def test_an_input_that_shrinks_before_it_is_written_is_named(tmp_path):
    path = tmp_path / "in.dcm"
    path.write_bytes(make_instance(CT, frames=2, rows=64, cols=64))
    result = anonymize(path)
    with open(path, "r+b") as shrinking:
        shrinking.truncate(result.segments[-1].start + 100)

    with open(tmp_path / "out.dcm", "wb") as out, pytest.raises(MalformedDicomError, match="changed while"):
        result.write_to(out)


def test_a_48_mb_file_is_anonymised_in_little_memory(tmp_path):
    frames, rows, cols = 6, 2048, 2048  # 6 frames of 2048 x 2048 x 16 bits = 48 MiB
    path = write_instance(tmp_path / "large.dcm", CT, frames=frames, rows=rows, cols=cols)
    target = tmp_path / "out.dcm"

    tracemalloc.start()
    try:
        result = anonymize(path)
        with open(target, "wb") as out:
            result.write_to(out)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert target.stat().st_size > frames * rows * cols * 2
    assert peak < 8 << 20, f"peak {peak} bytes"


@large_inputs
def test_elements_after_the_pixel_data_go_through_the_policy(options):
    data = make_instance(CT, trailing=True, **options)
    pixel = pixel_element_bytes(data)

    result = anonymize(data)
    output = result.to_bytes()

    assert data.index(pixel) + len(pixel) < len(data), "the input has trailing elements"
    rows = {row.path: row for row in result.rows}
    for tag in ("(7FE1,0010)", "(7FE1,1001)", "(FFFC,FFFC)"):
        assert (rows[tag].action, rows[tag].after) == ("removed", None)
    assert output.endswith(pixel), "nothing follows the pixel data"
    assert isinstance(result.segments[-1], InputRange)


@large_inputs
def test_a_kept_element_after_the_pixel_data_is_kept(options, bent_policy):
    bent_policy({0xFFFCFFFC: Rule("(FFFC,FFFC)", "DataSetTrailingPadding", KEEP, "test: keep the padding")})
    data = make_instance(CT, trailing=True, **options)
    pixel = pixel_element_bytes(data)

    result = anonymize(data)
    output = result.to_bytes()

    padding = b"\xfc\xff\xfc\xffOB\x00\x00\x10\x00\x00\x00" + bytes(16)
    assert output.endswith(pixel + padding)
    assert read(output).DataSetTrailingPadding == bytes(16)
    assert "(7FE1,1001)" in {row.path for row in result.rows if row.action == "removed"}


# ------------------------------------------------------------------ refused files: no output


def test_recognizable_visual_features_are_refused():
    data = make_instance(MR, extra={"RecognizableVisualFeatures": "YES"})

    with pytest.raises(RefusedError) as refused:
        anonymize(data)

    assert str(refused.value) == "(0028,0302): the image has recognizable visual features (a face, for example)"
    assert refused.value.findings == [
        Finding(1, "(0028,0302)", "the image has recognizable visual features (a face, for example)")
    ]


def test_a_policy_that_keeps_a_name_is_refused(bent_policy):
    bent_policy({0x00100010: Rule("(0010,0010)", "PatientName", KEEP, "simulated policy bug")})

    with pytest.raises(RefusedError) as refused:
        anonymize(make_instance(CT))

    assert str(refused.value) == "(0010,0010): a person's name is still present"
    assert [(f.level, f.path) for f in refused.value.findings] == [(1, "(0010,0010)")]


def test_a_policy_that_keeps_an_age_is_refused(bent_policy):
    bent_policy({0x00101010: Rule("(0010,1010)", "PatientAge", KEEP, "simulated policy bug")})

    with pytest.raises(RefusedError, match=r"^\(0010,1010\): an age is still present$"):
        anonymize(make_instance(CT))


def test_a_dicomdir_is_refused_with_the_reason():
    with pytest.raises(RefusedError) as refused:
        anonymize(pydicom_sample("dicomdirtests/DICOMDIR"))

    assert str(refused.value) == (
        "this is a DICOMDIR, an index of other files: its records carry patient names and IDs "
        "and point at files by their original names. Anonymise the image files and let the "
        "receiving system build a new DICOMDIR"
    )
    assert [f.level for f in refused.value.findings] == [1]


def test_a_file_without_any_sop_instance_uid_is_malformed():
    ds = make_dataset(CT)
    del ds.SOPInstanceUID
    del ds.file_meta.MediaStorageSOPInstanceUID

    with pytest.raises(MalformedDicomError, match=r"^the file has no SOP Instance UID \(0008,0018\) nor "
                                                  r"Media Storage SOP Instance UID \(0002,0003\)"):
        anonymize(to_bytes(ds, enforce_file_format=False))


# ------------------------------------------------------------------ validator levels


def warnings_of(result) -> list[tuple[int, str, str]]:
    return [(f.level, f.path, f.message) for f in result.warnings]


POSITION_REFERENCE_KEPT = (
    [(2, "(0020,1040)", "free text was kept: check it names no one")]
    if TECHNICAL.get("PositionReferenceIndicator") else []
)
"""The synthetic images carry Position Reference Indicator (``synthetic.TECHNICAL``): the
radiopaedia profile keeps it and flags it as free text (operators type it)."""


def test_no_warning_for_a_clean_ct():
    # clean: no text a person typed, so nothing to flag
    assert warnings_of(anonymize(make_instance(CT, extra={"PositionReferenceIndicator": None}))) == []


def test_kept_series_description_is_a_possible_leak():
    result = anonymize(make_instance(CT, extra={"SeriesDescription": "AXIAL 2.5 MM"}))

    assert warnings_of(result) == [(2, "(0008,103E)", "free text was kept: check it names no one"),
                                   *POSITION_REFERENCE_KEPT]
    assert read(result.to_bytes()).SeriesDescription == "AXIAL 2.5 MM"
    row = next(r for r in result.rows if r.path == "(0008,103E)")
    assert [f.level for f in row.findings] == [2]


def test_burned_in_annotation_yes_is_a_possible_leak():
    result = anonymize(make_instance(CT, extra={"BurnedInAnnotation": "YES"}))

    assert warnings_of(result) == [
        *POSITION_REFERENCE_KEPT,
        (2, "(0028,0301)", "Burned In Annotation is not NO: text in the pixels may identify the patient"),
    ]


@pytest.mark.parametrize("sop_class,modality", [(US, "US"), (US_MULTIFRAME, "US"), (XA, "XA"), (RF, "RF")],
                         ids=["US", "US-mf", "XA", "RF"])
def test_burned_in_annotation_absent_where_text_is_often_burned_in(sop_class, modality):
    result = anonymize(make_instance(sop_class, extra={"BurnedInAnnotation": None}))

    assert (2, "(0028,0301)", f"Burned In Annotation is absent and {modality} images often carry text "
            "in the pixels") in warnings_of(result)


def test_burned_in_annotation_absent_on_a_ct_is_fine():
    result = anonymize(make_instance(CT, extra={"BurnedInAnnotation": None}))

    assert warnings_of(result) == POSITION_REFERENCE_KEPT


def test_burned_in_annotation_absent_on_a_secondary_capture_is_a_possible_leak():
    # Secondary Capture (screenshots, scanned documents) is where burned-in text is most
    # common; its Modality is usually OT, not SC.
    result = anonymize(make_instance(SECONDARY_CAPTURE, extra={"BurnedInAnnotation": None}))

    assert [(level, path) for level, path, _ in warnings_of(result) if level == 2] == [
        *(finding[:2] for finding in POSITION_REFERENCE_KEPT), (2, "(0028,0301)")]


def test_unknown_sop_class_gets_the_catch_all_with_a_note():
    result = anonymize(make_instance(SECONDARY_CAPTURE))

    assert warnings_of(result) == [(3, "", (
        "no policy is written for this SOP class: the catch-all whitelist (every module's rules) "
        "was applied, so functional information may have been stripped")), *POSITION_REFERENCE_KEPT]
    assert result.report()["sop_class_name"] == "Secondary Capture Image Storage"


def test_slice_location_too_long_for_ds_is_repaired():
    with pytest.warns(UserWarning):  # pydicom warns when the synthetic file is built
        data = make_instance(CT, extra={"SliceLocation": "-123.45678901234567"})
    assert b"-123.45678901234567" in data

    for _ in range(2):  # the second file of a series too, whose kept values were remembered
        result = anonymize(data)

        row = next(r for r in result.rows if r.path == "(0020,1041)")
        assert (row.action, row.before, row.after) == ("repaired", "-123.45678901234567", "-123.45678901235")
        assert (3, "(0020,1041)", "a DS value longer than 16 characters was shortened to fit its VR") in warnings_of(result)
        raw = read(result.to_bytes())["SliceLocation"].value.original_string
        assert raw == "-123.45678901235" and len(raw) <= 16


# ------------------------------------------------------------------ the report


def test_report_has_a_row_for_every_element_at_every_depth():
    result = anonymize(make_instance(CT))
    rows = [(r.path, r.depth, r.action, r.before, r.after) for r in result.rows if r.path.startswith("(0040,0275)")]

    assert rows == [
        ("(0040,0275)", 0, "removed", "<sequence, 2 items>", None),
        ("(0040,0275)[0].(0040,0007)", 1, "removed", "FAKE SCHEDULED STEP", None),
        ("(0040,0275)[0].(0040,0008)", 1, "removed", "<sequence, 1 item>", None),
        ("(0040,0275)[0].(0040,0008)[0].(0008,0100)", 2, "removed", "FAKEPROTOCODE1", None),
        ("(0040,0275)[0].(0040,0008)[0].(0008,0102)", 2, "removed", "99FAKE", None),
        ("(0040,0275)[0].(0040,0008)[0].(0008,0104)", 2, "removed", "FAKE PROTOCOL FOR FAKEPATIENT", None),
        ("(0040,0275)[0].(0040,0008)[0].(0040,0440)", 2, "removed", "<sequence, 1 item>", None),
        ("(0040,0275)[0].(0040,0008)[0].(0040,0440)[0].(0040,A040)", 3, "removed", "TEXT", None),
        ("(0040,0275)[0].(0040,0008)[0].(0040,0440)[0].(0040,A160)", 3, "removed", "FAKE DEEP TEXT AT DEPTH THREE", None),
        ("(0040,0275)[0].(0040,0009)", 1, "removed", "FAKE-SPSID-43", None),
        ("(0040,0275)[0].(0040,1001)", 1, "removed", "FAKE-RPID-42", None),
        ("(0040,0275)[1].(0040,1001)", 1, "removed", "FAKE-RPID-41", None),
    ]


def test_report_names_private_tags_by_their_creator():
    rows = {r.path: r for r in anonymize(make_instance(CT)).rows}

    assert rows["(0009,0010)"].name == "Private Creator"
    assert rows["(0009,1001)"].name == "Private tag of 'FAKE PRIVATE CREATOR'"
    assert rows["(0009,1003)[0].(0010,0010)"].depth == 1
    assert rows["(6000,0022)"].name == "Overlay Description"


def test_report_summarises_binary_values_and_never_holds_bytes():
    result = anonymize(make_instance(CT))
    rows = {r.path: r for r in result.rows}

    assert rows["(6000,3000)"].before == "<OW, 8 bytes>"
    assert rows["(5000,3000)"].before == "<OB, 8 bytes>"
    assert rows["(7FE0,0010)"].before == rows["(7FE0,0010)"].after == (
        "<pixel data, 140 bytes in the input, copied unchanged>")
    assert rows["(0002,0001)"].after == "<OB, 2 bytes>"
    for row in result.rows:
        for value in (row.before, row.after):
            assert value is None or isinstance(value, str)
            assert value is None or len(value) <= 240


def test_report_rows_removed_have_no_after_and_added_have_no_before():
    result = anonymize(make_instance(CT))

    assert {r.after for r in result.rows if r.action == "removed"} == {None}
    added = [r.path for r in result.rows if r.action == "added"]
    stamps = ["(0012,0062)", "(0012,0063)", "(0012,0064)", "(0012,0064)[0].(0008,0100)",
              "(0012,0064)[0].(0008,0102)", "(0012,0064)[0].(0008,0104)"]
    # (0028,0303) Longitudinal Temporal Information Modified is being added to the stamps.
    assert added in (stamps, stamps + ["(0028,0303)"])
    assert {r.before for r in result.rows if r.action == "added"} == {None}


def test_report_rows_agree_with_the_output():
    """A top-level row has ``after`` None exactly when the element is absent from the output."""
    result = anonymize(make_instance(CT))
    after = read(result.to_bytes())
    present = {f"({t >> 16:04X},{t & 0xFFFF:04X})" for t in list(after.file_meta.keys()) + list(after.keys())}
    top = {r.path: r for r in result.rows if r.depth == 0}

    assert sorted(present - set(top)) == [], "output elements without a row"
    assert sorted(p for p, r in top.items() if (r.after is None) != (p not in present)) == []


def test_report_is_json_and_its_summary_counts_the_rows():
    result = anonymize(make_instance(US, extra={"BurnedInAnnotation": None, "SeriesDescription": "B MODE"}))
    report = result.report()

    assert json.loads(json.dumps(report)) == report
    assert set(report) == {"path", "sop_class_uid", "sop_class_name", "profile", "rows", "warnings", "summary",
                           "residue_check"}
    assert set(report["residue_check"]) == {"values_checked", "tags", "elements_searched", "found"}
    assert (report["path"], report["sop_class_uid"], report["sop_class_name"], report["profile"]) == (
        result.relative_path, US, "Ultrasound Image", "radiopaedia")
    summary = report["summary"]
    for action in ("removed", "replaced", "regenerated", "kept", "added", "repaired"):
        assert summary[action] == sum(1 for row in report["rows"] if row["action"] == action), action
    level2 = 2 + len(POSITION_REFERENCE_KEPT)
    assert summary["findings"] == len(report["warnings"]) == level2
    assert (summary["level1"], summary["level2"], summary["level3"]) == (0, level2, 0)
    assert sum(summary[a] for a in ("removed", "replaced", "regenerated", "kept", "added", "repaired")) == len(report["rows"])


def test_report_row_shape():
    row = next(r for r in anonymize(make_instance(CT)).report()["rows"] if r["path"] == "(0040,0275)[0].(0040,1001)")

    assert row == {
        "path": "(0040,0275)[0].(0040,1001)", "depth": 1, "tag": "(0040,1001)",
        "keyword": "RequestedProcedureID", "name": "Requested Procedure ID", "vr": "SH",
        "before": "FAKE-RPID-42", "after": None, "action": "removed", "findings": [],
    }


# ------------------------------------------------------------------ sources and paths


def test_every_kind_of_source_gives_the_same_output(tmp_path):
    data = make_instance(CT, transfer_syntax=RLELossless, frames=2, trailing=True)
    path = tmp_path / "in.dcm"
    path.write_bytes(data)
    expected = anonymize(data).to_bytes()

    with open(path, "rb") as handle:
        from_handle = anonymize(handle).to_bytes()
    assert from_handle == expected
    assert anonymize(bytearray(data)).to_bytes() == expected
    assert anonymize(memoryview(data)).to_bytes() == expected
    assert anonymize(str(path)).to_bytes() == expected
    assert anonymize(path).to_bytes() == expected


def test_relative_path_is_made_of_the_regenerated_uids():
    result = anonymize(make_instance(CT))
    after = read(result.to_bytes())

    assert result.relative_path == f"{after.StudyInstanceUID}/{after.SeriesInstanceUID}/{after.SOPInstanceUID}.dcm"
    assert re.fullmatch(r"(1\.2\.826\.0\.1\.3680043\.10\.341\.[1-9]\d{36}/){2}1\.2\.826\.0\.1\.3680043\.10\.341\.[1-9]\d{36}\.dcm",
                        result.relative_path)


def test_an_unknown_profile_is_a_value_error():
    with pytest.raises(ValueError, match=r"^unknown profile 'no-such-profile'; choose one of radiopaedia\b"):
        anonymize(make_instance(CT), profile="no-such-profile")


# ------------------------------------------------------------------ pydicom's bundled samples

SAMPLES = ["CT_small.dcm", "MR_small.dcm", "JPEG2000.dcm", "MR_small_bigendian.dcm", "image_dfl.dcm",
           "rtplan.dcm", "MR_small_RLE.dcm", "MR_small_implicit.dcm", "ExplVR_BigEnd.dcm",
           "examples_ybr_color.dcm", "SC_rgb_rle_2frame.dcm", "rtdose.dcm", "liver_1frame.dcm"]


@pytest.mark.parametrize("name", SAMPLES)
def test_bundled_sample_is_anonymised(name, dcmdump, tmp_path):
    source = pydicom_sample(name)
    before = pydicom.dcmread(source)

    output = anonymize(source).to_bytes()
    (tmp_path / "out.dcm").write_bytes(output)

    after = read(output)
    assert after.file_meta.TransferSyntaxUID == before.file_meta.TransferSyntaxUID
    assert after.SOPClassUID == before.SOPClassUID
    assert after.get("PixelData") == before.get("PixelData")
    assert after.PatientIdentityRemoved == "YES"
    for keyword in ("PatientName", "PatientID", "InstitutionName", "SOPInstanceUID", "StudyInstanceUID"):
        value = str(before.get(keyword, "") or "")
        if len(value) >= 4:
            assert value.encode("latin-1") not in output, keyword
    status, lines = dcmdump(tmp_path / "out.dcm")
    assert status == 0 and [line for line in lines if line.startswith("E:")] == []


def test_ct_small_keeps_its_geometry():
    before = pydicom.dcmread(pydicom_sample("CT_small.dcm"))
    after = read(anonymize(pydicom_sample("CT_small.dcm")).to_bytes())

    for keyword in ("ImagePositionPatient", "ImageOrientationPatient", "PixelSpacing", "SliceThickness",
                    "KVP", "RescaleIntercept", "RescaleSlope", "Rows", "Columns", "BitsStored"):
        assert after[keyword].value == before[keyword].value, keyword
    assert after.PatientName == "" and after.StudyDate == "19700101"


def test_one_element_judged_under_two_policies_gets_each_policys_findings():
    # the validator judges an element shared by the files of a series once per policy
    from anonymizer.policy import with_options
    from anonymizer.validator import validate

    dataset = Dataset()
    dataset.StudyDate = "20000101"
    basic = policy_for("basic", "1.2.840.10008.5.1.4.1.1.2")
    dates_kept = with_options(basic, ["retain-longitudinal-full-dates"])

    def messages(policy):
        return [(f.level, f.path, f.message) for f in validate(dataset, policy, top_level=False)]

    assert messages(dates_kept) == [(2, "(0008,0020)", "a date was kept, not replaced")]
    assert messages(basic) == []
    assert messages(dates_kept) == [(2, "(0008,0020)", "a date was kept, not replaced")]


def test_a_value_kept_in_one_place_is_kept_only_where_its_rule_keeps_it(monkeypatch):
    # the engine remembers, per policy and place, the values it kept as they came: a rule may
    # keep an attribute inside one sequence only (the Basic Profile's rules by Type)
    from types import MappingProxyType

    keep_inside = Rule("(0018,0050)", "", KEEP, "kept inside Pixel Measures Sequence only")
    remove = Rule("(0018,0050)", "", "remove", "removed elsewhere")
    original = anonymizer.engine.policy_for

    @functools.cache  # one policy object, as policy_for gives
    def by_place(profile, sop_class_uid):
        policy = original(profile, sop_class_uid)
        rules = {tag: rule for tag, rule in policy.rules.items() if tag != 0x00180050}
        places = {**policy.in_context, 0x00180050: MappingProxyType(
            {"PixelMeasuresSequence": keep_inside, "": remove, None: remove})}
        return dataclasses.replace(policy, rules=MappingProxyType(rules), in_context=MappingProxyType(places))

    monkeypatch.setattr(anonymizer.engine, "policy_for", by_place)
    measures = Dataset()
    measures.PixelSpacing = ["0.5", "0.5"]
    measures.SliceThickness = "1.25"
    data = make_instance(CT, extra={"PixelMeasuresSequence": [measures], "SliceThickness": "1.25"})

    for _ in range(2):  # the second file of a series finds what the first kept
        after = read(anonymize(data).to_bytes())
        assert after.PixelMeasuresSequence[0].SliceThickness == "1.25"
        assert "SliceThickness" not in after


def test_headers_laid_out_alike_are_each_read_with_their_own_values():
    # the files of a series share a layout: the same elements, of the same lengths, at the same
    # places; each is read with its own values, whatever was read before
    def slice_of(number: int, description: str, thickness: str) -> bytes:
        return make_instance(CT, sop_uid=f"1.2.826.0.1.3680043.8.498.10{number}",
                             extra={"SeriesDescription": description, "SliceThickness": thickness})

    first, second = slice_of(1, "AXIAL AAAA", "1.25"), slice_of(2, "AXIAL BBBB", "2.50")
    assert len(first) == len(second)

    outputs = [read(anonymize(data).to_bytes()) for data in (first, second, first, second)]

    assert [(o.SeriesDescription, o.SliceThickness) for o in outputs] == [
        ("AXIAL AAAA", "1.25"), ("AXIAL BBBB", "2.50"), ("AXIAL AAAA", "1.25"), ("AXIAL BBBB", "2.50")]
    assert outputs[0].SOPInstanceUID == outputs[2].SOPInstanceUID != outputs[1].SOPInstanceUID


def test_headers_laid_out_alike_in_files_of_other_sizes_are_each_read_with_their_own_values():
    # compressed pixel data makes each file of a series its own size: the header's layout holds
    def slice_of(number: int, description: str, fragments: int) -> bytes:
        return make_instance(CT, transfer_syntax=JPEGBaseline8Bit, rows=128, cols=128, fragments_per_frame=fragments,
                             sop_uid=f"1.2.826.0.1.3680043.8.498.10{number}", extra={"SeriesDescription": description})

    first, second = slice_of(1, "AXIAL AAAA", 1), slice_of(2, "AXIAL BBBB", 3)
    assert len(first) != len(second)

    outputs = [read(anonymize(data).to_bytes()) for data in (first, second, first, second)]

    assert [o.SeriesDescription for o in outputs] == ["AXIAL AAAA", "AXIAL BBBB", "AXIAL AAAA", "AXIAL BBBB"]
    assert [len(o.PixelData) for o in outputs] == [len(read(d).PixelData) for d in (first, second, first, second)]


def test_a_value_whose_vr_the_pixel_representation_settles_is_read_anew_in_each_file():
    # in implicit VR, Smallest Image Pixel Value is US or SS as Pixel Representation says: the
    # same two bytes are 65535 in one file and -1 in the next, and no file gets the other's
    unsigned, signed = (
        make_instance(CT, transfer_syntax=ImplicitVRLittleEndian, sop_uid=uid(f"pixel-representation-{sign}"),
                      extra={"PixelRepresentation": sign, "SmallestImagePixelValue": value})
        for sign, value in ((0, 65535), (1, -1))
    )

    shown = []
    for data in (unsigned, signed, unsigned):
        result = anonymize(data)
        row = next(r for r in result.rows if r.path == "(0028,0106)")
        shown.append((row.action, row.before, row.after))

    assert shown == [("kept", "65535", "65535"), ("kept", "-1", "-1"), ("kept", "65535", "65535")]


@pytest.mark.parametrize("value, text", [
    (b"ACME 1.0", "ACME 1.0"),
    (b"GEMS_IDEN_01", "GEMS_IDEN_01"),
    (b" SIEMENS CSA HEADER\x00", "SIEMENS CSA HEADER"),
    (b"", ""),
    (b"A\\B", None),  # two values: read by pydicom
    ("MÜLLER".encode("latin-1"), None),  # beyond ASCII: read by pydicom, in the data set's character set
])
def test_a_private_creator_still_raw_reads_as_pydicom_converts_it(value, text):
    from pydicom.dataelem import RawDataElement
    from pydicom.tag import BaseTag

    from anonymizer.policy import creator_text

    def with_creator() -> Dataset:
        dataset = Dataset()
        dataset._dict[BaseTag(0x00090010)] = RawDataElement(BaseTag(0x00090010), "LO", len(value), value, 0, False, True)
        return dataset

    still_raw, converted = with_creator(), with_creator()
    converted[0x00090010]  # pydicom converts it in place
    assert creator_text(still_raw, 0x00090010) == creator_text(converted, 0x00090010)
    if text is not None:
        assert creator_text(still_raw, 0x00090010) == text
        assert isinstance(still_raw._dict[0x00090010], RawDataElement)  # read from its bytes, not converted
