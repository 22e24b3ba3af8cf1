"""Hostile and broken DICOM files, built byte by byte, for the engine's and the page's tests
(tests/test_hostile_inputs.py, tests/browser/test_web_stress.py). Nothing in them is a real
scan; the names and IDs are planted, obviously fake PHI."""

from __future__ import annotations

import io
import struct

import pydicom
from pydicom.dataset import Dataset
from pydicom.uid import ExplicitVRLittleEndian, MediaStorageDirectoryStorage

from synthetic import CT, to_bytes

UID = "2.25.1234567890"


def element(group: int, number: int, vr: bytes, value: bytes, little: bool = True) -> bytes:
    """One explicit VR element."""
    end = "<" if little else ">"
    if len(value) % 2:
        value += b"\0" if vr == b"UI" else b" "
    if vr in (b"OB", b"OW", b"SQ", b"UN", b"UT", b"UC", b"UR"):
        return struct.pack(end + "HH2sHL", group, number, vr, 0, len(value)) + value
    return struct.pack(end + "HH2sH", group, number, vr, len(value)) + value


def file_meta(syntax: str = ExplicitVRLittleEndian, group_length_lie: int = 0) -> bytes:
    body = (element(2, 1, b"OB", b"\0\1") + element(2, 2, b"UI", CT.encode()) + element(2, 3, b"UI", UID.encode())
            + element(2, 0x10, b"UI", str(syntax).encode()))
    return bytes(128) + b"DICM" + element(2, 0, b"UL", struct.pack("<L", len(body) + group_length_lie)) + body


def header(little: bool = True) -> bytes:
    return b"".join(element(g, e, vr, v, little) for g, e, vr, v in (
        (0x0008, 0x0016, b"UI", CT.encode()), (0x0008, 0x0018, b"UI", UID.encode()),
        (0x0008, 0x0060, b"CS", b"CT"), (0x0010, 0x0010, b"PN", b"FAKEHOSTILE^PATIENT"),
        (0x0010, 0x0020, b"LO", b"FAKEID-HOSTILE"), (0x0020, 0x000D, b"UI", b"2.25.11"),
        (0x0020, 0x000E, b"UI", b"2.25.12"),
    ))


BASE = file_meta() + header()
SEQUENCE = struct.pack("<HH2sHL", 0x0008, 0x1115, b"SQ", 0, 0xFFFFFFFF)  # Referenced Series Sequence
ITEM = struct.pack("<HHL", 0xFFFE, 0xE000, 0xFFFFFFFF)
ITEM_END = struct.pack("<HHL", 0xFFFE, 0xE00D, 0)
SEQUENCE_END = struct.pack("<HHL", 0xFFFE, 0xE0DD, 0)




def nested(depth: int, *, undefined: bool) -> bytes:
    if undefined:
        return BASE + (SEQUENCE + ITEM) * depth + (ITEM_END + SEQUENCE_END) * depth
    value = element(0x0010, 0x0020, b"LO", b"X")
    headers, size = [], len(value)
    for _ in range(depth):  # from the inside out: an item around the value, a sequence around the item
        headers.append(struct.pack("<HHL", 0xFFFE, 0xE000, size))
        headers.append(struct.pack("<HH2sHL", 0x0008, 0x1115, b"SQ", 0, size + 8))
        size += 20
    return BASE + b"".join(reversed(headers)) + value


def small_file(syntax) -> bytes:
    """A small complete CT: names, an undefined-length sequence holding an item, pixel data."""
    ds = Dataset()
    ds.SOPClassUID, ds.SOPInstanceUID = CT, UID
    ds.StudyInstanceUID, ds.SeriesInstanceUID = "2.25.11", "2.25.12"
    ds.Modality, ds.PatientName, ds.PatientID = "CT", "FAKETRUNC^PATIENT", "FAKEID-TRUNC"
    item = Dataset()
    item.ReferencedSOPClassUID, item.ReferencedSOPInstanceUID = CT, "2.25.13"
    ds.ReferencedImageSequence = [item]
    ds.ReferencedImageSequence.is_undefined_length = True
    ds.Rows = ds.Columns = 2
    ds.BitsAllocated, ds.BitsStored, ds.HighBit, ds.PixelRepresentation = 8, 8, 7, 0
    ds.SamplesPerPixel, ds.PhotometricInterpretation = 1, "MONOCHROME2"
    ds.PixelData = b"\x01\x02\x03\x04"
    ds.file_meta = pydicom.dataset.FileMetaDataset()
    ds.file_meta.MediaStorageSOPClassUID, ds.file_meta.MediaStorageSOPInstanceUID = CT, UID
    ds.file_meta.TransferSyntaxUID = syntax
    buffer = io.BytesIO()
    pydicom.dcmwrite(buffer, ds, enforce_file_format=True)
    return buffer.getvalue()


def hundred_thousand_elements() -> bytes:
    """A header of 100,000 private elements (short texts) after a private creator."""
    elements = b"".join(struct.pack("<HH2sH", 0x0029 + 2 * (i // 0xEFFF), 0x1000 + i % 0xEFFF, b"LO", 4)
                        + b"V%03d" % (i % 1000) for i in range(100_000))
    return BASE + element(0x0029, 0x0010, b"LO", b"FAKE CREATOR") + elements


def dicomdir() -> bytes:
    """A DICOMDIR whose one record names a patient."""
    ds = Dataset()
    ds.SOPClassUID, ds.SOPInstanceUID = MediaStorageDirectoryStorage, UID
    ds.FileSetID = "FAKESET"
    record = Dataset()
    record.DirectoryRecordType, record.PatientName, record.PatientID = "PATIENT", "FAKEDIR^PATIENT", "FAKEID-DIR"
    ds.DirectoryRecordSequence = [record]
    ds.file_meta = pydicom.dataset.FileMetaDataset()
    ds.file_meta.MediaStorageSOPClassUID, ds.file_meta.MediaStorageSOPInstanceUID = MediaStorageDirectoryStorage, UID
    ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
    return to_bytes(ds)
