"""The writer encodes a data set byte for byte as pydicom's ``write_dataset`` does."""

from __future__ import annotations

import warnings

import pytest
from pydicom.dataelem import DataElement
from pydicom.dataset import Dataset
from pydicom.filebase import DicomBytesIO
from pydicom.filewriter import write_dataset

from anonymizer.writer import encode_dataset

ENCODINGS = [(False, True), (True, True), (False, False)]  # (implicit VR, little endian)


def pydicom_bytes(dataset: Dataset, implicit: bool, little: bool) -> bytes:
    fp = DicomBytesIO()
    fp.is_implicit_VR, fp.is_little_endian = implicit, little
    write_dataset(fp, dataset)
    return fp.getvalue()


def dataset_of(*elements: tuple[int, str, object]) -> Dataset:
    dataset = Dataset()
    for tag, vr, value in elements:
        dataset.add(DataElement(tag, vr, value))
    return dataset


@pytest.mark.parametrize("implicit, little", ENCODINGS)
def test_new_integers_and_empty_values_are_written_as_pydicom_writes_them(implicit, little):
    dataset = dataset_of(
        (0x00080060, "CS", "CT"),
        (0x00080090, "PN", ""),  # Referring Physician's Name replaced by nothing
        (0x00100010, "PN", ""),
        (0x00100020, "LO", ""),
        (0x00101010, "AS", None),
        (0x00181030, "LO", "CHEST"),
        (0x00200013, "IS", None),
        (0x00280002, "US", 1),
        (0x00280010, "US", 512),
        (0x00280103, "US", 0),
        (0x00281052, "DS", None),
        (0x00189219, "SS", -5),
        (0x00209057, "UL", 70_000),
        (0x00186020, "SL", -70_000),
        (0x00280120, "US", None),
    )

    assert encode_dataset(dataset, implicit, little, {}) == pydicom_bytes(dataset, implicit, little)


def test_an_integer_out_of_its_range_is_refused_in_pydicom_s_words():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pydicom warns as the value is set
        dataset = dataset_of((0x00280010, "US", 70_000))

    with pytest.raises(OSError) as ours:
        encode_dataset(dataset, False, True, {})
    with pytest.raises(OSError) as pydicom_s:
        pydicom_bytes(dataset, False, True)
    # the first line (the engine shows no more: the next ones hold the value and a traceback)
    assert str(ours.value).splitlines()[0] == str(pydicom_s.value).splitlines()[0] == (
        "With tag (0028,0010) got exception: ushort format requires 0 <= number <= 65535")
