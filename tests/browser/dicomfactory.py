"""DICOM files with planted fake PHI, written for the browser tests."""

from __future__ import annotations

import hashlib
import struct
from pathlib import Path

from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.sequence import Sequence
from pydicom.uid import CTImageStorage, ExplicitVRLittleEndian, MRImageStorage, generate_uid

# Values no anonymised output may contain.
PHI = {
    "name": "PLANTED^JANE^Q",
    "id": "PHI-ID-7731",
    "birth": "19610412",
    "accession": "ACC-PHI-5521",
    "institution": "Planted Memorial Hospital",
    "physician": "DRPLANTED^HOUSE",
    "address": "12 Planted Lane, Phiville",
    "procedure_id": "REQPROC-PHI-88",
    "private": "PRIVATE-PHI-SECRET",
}
XSS = '<img src=x onerror="window.__xss=1">'


def _meta(sop_class: str, sop_instance: str) -> FileMetaDataset:
    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = sop_class
    meta.MediaStorageSOPInstanceUID = sop_instance
    meta.TransferSyntaxUID = ExplicitVRLittleEndian
    return meta


def phi_dataset(
    *, sop_class=CTImageStorage, study_uid=None, series_uid=None, instance=1, rows=32, columns=32,
    frames=None, extra=None,
) -> Dataset:
    ds = Dataset()
    sop_instance = generate_uid()
    ds.file_meta = _meta(sop_class, sop_instance)
    ds.SOPClassUID = sop_class
    ds.SOPInstanceUID = sop_instance
    ds.StudyInstanceUID = study_uid or generate_uid()
    ds.SeriesInstanceUID = series_uid or generate_uid()
    ds.FrameOfReferenceUID = generate_uid()
    ds.Modality = "CT" if sop_class == CTImageStorage else "MR"
    ds.PatientName = PHI["name"]
    ds.PatientID = PHI["id"]
    ds.PatientBirthDate = PHI["birth"]
    ds.PatientSex = "F"
    ds.PatientAddress = PHI["address"]
    ds.AccessionNumber = PHI["accession"]
    ds.InstitutionName = PHI["institution"]
    ds.ReferringPhysicianName = PHI["physician"]
    ds.StudyDate = "20240102"
    ds.StudyTime = "101010"
    ds.StudyID = "STUDY-PHI"
    ds.SeriesNumber = 1
    ds.InstanceNumber = instance
    ds.StudyDescription = "CT CHEST"
    ds.SeriesDescription = XSS
    request = Dataset()
    request.RequestedProcedureID = PHI["procedure_id"]
    request.ScheduledProcedureStepID = "SPS-1"
    ds.RequestAttributesSequence = Sequence([request])
    block = ds.private_block(0x0011, "PLANTED CREATOR", create=True)
    block.add_new(0x01, "LO", PHI["private"])
    ds.ImageType = ["ORIGINAL", "PRIMARY", "AXIAL"]
    ds.SamplesPerPixel = 1
    ds.PhotometricInterpretation = "MONOCHROME2"
    ds.Rows = rows
    ds.Columns = columns
    ds.BitsAllocated = 16
    ds.BitsStored = 12
    ds.HighBit = 11
    ds.PixelRepresentation = 0
    ds.PixelSpacing = [0.5, 0.5]
    ds.SliceThickness = 1.0
    ds.ImagePositionPatient = [0, 0, float(instance)]
    ds.ImageOrientationPatient = [1, 0, 0, 0, 1, 0]
    if sop_class == CTImageStorage:
        ds.RescaleIntercept = -1024
        ds.RescaleSlope = 1
        ds.KVP = 120
    if frames:
        ds.NumberOfFrames = frames
    for keyword, value in (extra or {}).items():
        setattr(ds, keyword, value)
    return ds


def pixel_bytes(ds: Dataset, seed: int = 0) -> bytes:
    size = ds.Rows * ds.Columns * 2 * int(getattr(ds, "NumberOfFrames", 1) or 1)
    out = bytearray()
    counter = 0
    while len(out) < size:
        out += hashlib.sha256(f"{seed}:{counter}".encode()).digest()
        counter += 1
    return bytes(out[:size])


def write(ds: Dataset, path: Path, seed: int = 0) -> Path:
    ds.PixelData = pixel_bytes(ds, seed)
    path.parent.mkdir(parents=True, exist_ok=True)
    ds.save_as(path, enforce_file_format=True)
    return path


def series(folder: Path, count: int = 3, sop_class=CTImageStorage, prefix="img") -> list[Path]:
    study, series_uid = generate_uid(), generate_uid()
    return [
        write(phi_dataset(sop_class=sop_class, study_uid=study, series_uid=series_uid, instance=i + 1),
              folder / f"{prefix}{i + 1:03d}.dcm", seed=i)
        for i in range(count)
    ]


def write_large_multiframe(path: Path, frames: int, rows: int = 512, columns: int = 512) -> tuple[int, int]:
    """A multi-frame MR file of frames*rows*columns*2 bytes of pixel data, written without ever
    holding the pixel data in memory. Returns (offset of the pixel bytes, their length)."""
    ds = phi_dataset(sop_class=MRImageStorage, rows=rows, columns=columns, frames=frames)
    length = rows * columns * 2 * frames
    path.parent.mkdir(parents=True, exist_ok=True)
    ds.save_as(path, enforce_file_format=True)  # header only: no Pixel Data yet
    block = hashlib.sha512(b"large").digest() * (1 << 14)  # 1 MiB pattern
    block = bytes((b + i) & 0xFF for i, b in enumerate(block[:4096])) + block[4096:]
    with open(path, "ab") as f:
        f.write(struct.pack("<HH2sHI", 0x7FE0, 0x0010, b"OW", 0, length))
        offset = f.tell()
        remaining = length
        n = 0
        while remaining:
            chunk = block[: min(len(block), remaining)]
            # vary each MiB so that a misplaced chunk cannot compare equal
            f.write(struct.pack("<Q", n) + chunk[8:])
            remaining -= len(chunk)
            n += 1
    return offset, length
