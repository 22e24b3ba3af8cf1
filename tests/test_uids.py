"""Regenerated UIDs: consistent across files and runs, valid, keyed by an optional secret.

    anonymize(file_a).relative_path   # 1.2.826.0.1.3680043.10.341.<37 digits>/...
"""

from __future__ import annotations

import hashlib
import hmac
import io
import re

import pydicom
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydicom.uid import RLELossless

from anonymizer import anonymize
from anonymizer.uids import UID_ROOT, UidRegenerator
from synthetic import (
    CT,
    DEFAULT_FRAME_OF_REFERENCE_UID,
    DEFAULT_SERIES_UID,
    DEFAULT_SOP_UID,
    DEFAULT_STUDY_UID,
    MR,
    make_dataset,
    make_instance,
    to_bytes,
    uid,
)

ROOT = "1.2.826.0.1.3680043.10.341."
VALID_UID = re.compile(r"(0|[1-9][0-9]*)(\.(0|[1-9][0-9]*))*")
WELL_KNOWN = {"1.2.840.10008.5.1.4.1.1.2", "1.2.840.10008.5.1.4.1.1.4", "1.2.840.10008.1.2.1",
              "1.2.840.10008.1.2", "1.2.840.10008.1.2.5"}


def out(data: bytes, **options) -> pydicom.Dataset:
    return pydicom.dcmread(io.BytesIO(anonymize(data, **options).to_bytes()))


def uids_in(ds: pydicom.Dataset) -> dict[str, str]:
    """Every UI value of a data set and its file meta, by path."""
    found = {}
    for element in list(ds.file_meta.iterall()) + list(ds.iterall()):
        if element.VR == "UI" and element.value:
            found[element.keyword or str(element.tag)] = str(element.value)
    return found


def expected_uid(original: str, secret: bytes | None = None) -> str:
    """The documented function: 37 digits of SHA-512 (HMAC-SHA-512 with a secret) under our root."""
    data = original.encode("ascii")
    digest = hmac.new(secret, data, hashlib.sha512).digest() if secret else hashlib.sha512(data).digest()
    return ROOT + str(10 ** 36 + int.from_bytes(digest, "big") % (9 * 10 ** 36))


def test_the_root_is_ours():
    assert UID_ROOT == ROOT


def test_a_uid_maps_to_the_documented_hash():
    after = out(make_instance(CT))

    assert after.StudyInstanceUID == expected_uid(DEFAULT_STUDY_UID)
    assert after.SeriesInstanceUID == expected_uid(DEFAULT_SERIES_UID)
    assert after.SOPInstanceUID == expected_uid(DEFAULT_SOP_UID)
    assert after.FrameOfReferenceUID == expected_uid(DEFAULT_FRAME_OF_REFERENCE_UID)


def test_a_known_uid_has_a_known_replacement():
    assert UidRegenerator()("1.2.3.4") == expected_uid("1.2.3.4")
    assert UidRegenerator()("1.2.3.4\x00") == UidRegenerator()("1.2.3.4"), "trailing padding is ignored"


def test_same_input_uid_gives_same_output_uid_across_files():
    ct = out(make_instance(CT, sop_uid=uid("ct 1")))
    mr = out(make_instance(MR, sop_uid=uid("mr 1"), series_uid=uid("mr series")))

    assert ct.StudyInstanceUID == mr.StudyInstanceUID
    assert ct.FrameOfReferenceUID == mr.FrameOfReferenceUID
    assert ct.SeriesInstanceUID != mr.SeriesInstanceUID
    assert ct.SOPInstanceUID != mr.SOPInstanceUID


def test_same_input_gives_same_output_in_two_calls():
    data = make_instance(CT, transfer_syntax=RLELossless, frames=3)

    assert anonymize(data).to_bytes() == anonymize(data).to_bytes()


def test_every_output_uid_is_valid_and_ours_except_well_known_ones():
    for data in (make_instance(CT), make_instance(MR, transfer_syntax=RLELossless)):
        for keyword, value in uids_in(out(data)).items():
            assert len(value) <= 64 and VALID_UID.fullmatch(value), (keyword, value)
            if keyword == "ImplementationClassUID":
                assert value.startswith("2.25.")
            elif value not in WELL_KNOWN:
                assert value.startswith(ROOT) and len(value) == 64, (keyword, value)


def test_sop_class_and_transfer_syntax_never_change():
    after = out(make_instance(MR, transfer_syntax=RLELossless))

    assert after.SOPClassUID == after.file_meta.MediaStorageSOPClassUID == MR
    assert after.file_meta.TransferSyntaxUID == RLELossless


@given(st.from_regex(r"[1-9][0-9]{0,5}(\.(0|[1-9][0-9]{0,8})){1,12}", fullmatch=True))
@settings(max_examples=200, deadline=None)
def test_any_uid_becomes_a_valid_64_character_uid(original):
    new = UidRegenerator()(original)

    assert new.startswith(ROOT) and len(new) == 64
    assert VALID_UID.fullmatch(new)
    assert new == UidRegenerator()(original)


def test_uid_secret_changes_the_uids_and_is_repeatable():
    data = make_instance(CT)
    plain = out(data)
    keyed = out(data, uid_secret="FAKE-SECRET-1")
    again = out(data, uid_secret="FAKE-SECRET-1")
    other = out(data, uid_secret=b"FAKE-SECRET-2")

    assert keyed.SOPInstanceUID == again.SOPInstanceUID == expected_uid(DEFAULT_SOP_UID, b"FAKE-SECRET-1")
    assert len({plain.SOPInstanceUID, keyed.SOPInstanceUID, other.SOPInstanceUID}) == 3
    assert keyed.StudyInstanceUID != plain.StudyInstanceUID
    assert keyed.SOPClassUID == plain.SOPClassUID == CT


def test_an_empty_secret_is_no_secret():
    data = make_instance(CT)

    assert out(data, uid_secret="").SOPInstanceUID == out(data).SOPInstanceUID


# References between files. The radiopaedia whitelist keeps no sequence, so the usual
# reference sequences (Referenced Image, Source Image, Referenced Study ...) are removed,
# UIDs and all. What survives and links files is the regenerated Study, Series and
# Frame of Reference UIDs, and a Referenced SOP Instance UID at the top level, which the
# policy lists (regenerate).


def test_reference_sequences_are_removed_by_the_whitelist():
    first = make_instance(CT, sop_uid=uid("image A"))
    ds = make_dataset(CT, sop_uid=uid("image B"))
    reference = pydicom.Dataset()
    reference.ReferencedSOPClassUID = CT
    reference.ReferencedSOPInstanceUID = uid("image A")
    ds.ReferencedImageSequence = [reference]
    ds.SourceImageSequence = [reference]

    after = out(to_bytes(ds))

    assert "ReferencedImageSequence" not in after and "SourceImageSequence" not in after
    assert "ReferencedStudySequence" not in after and "ReferencedPatientSequence" not in after
    assert out(first).SOPInstanceUID.encode() not in anonymize(to_bytes(ds)).to_bytes()


def test_a_top_level_reference_maps_to_the_new_uid_of_the_file_it_names():
    a = out(make_instance(CT, sop_uid=uid("image A")))
    b = out(make_instance(CT, sop_uid=uid("image B"), extra={
        "ReferencedSOPClassUID": CT, "ReferencedSOPInstanceUID": uid("image A")}))

    assert b.ReferencedSOPInstanceUID == a.SOPInstanceUID
    assert b.ReferencedSOPClassUID == CT
    assert b.SOPInstanceUID != a.SOPInstanceUID


@pytest.mark.parametrize("well_known", sorted(WELL_KNOWN))
def test_well_known_uids_are_not_regenerated(well_known):
    assert UidRegenerator()(well_known) == well_known
    assert UidRegenerator("FAKE-SECRET")(well_known) == well_known
