"""Synthetic DICOM files for the tests: complete Part 10 files full of obviously fake PHI.

Nothing here comes from a real person. Every identifying attribute holds a planted value
that starts with ``FAKE`` (or is a date, time or UID no real file would have), and
:data:`PLANTED` lists them all, so a test can search an anonymised file for every one::

    data = make_instance(CT)
    result = anonymize(data)
    assert not leaks(result.to_bytes())

The technical attributes a whitelist keeps (kVp, pixel spacing, window ...) have known
values (:data:`TECHNICAL`), and the pixel data is deterministic pseudo-random bytes, so a
test can check they pass through unchanged.
"""

from __future__ import annotations

import io
import random
import struct
import uuid
from pathlib import Path
from typing import Any, Mapping

import pydicom
from pydicom.dataset import Dataset, FileDataset, FileMetaDataset
from pydicom.encaps import encapsulate
from pydicom.filewriter import dcmwrite
from pydicom.sequence import Sequence
from pydicom.uid import (
    UID,
    ExplicitVRBigEndian,
    ExplicitVRLittleEndian,
    ImplicitVRLittleEndian,
)

# --------------------------------------------------------------------------- SOP classes

DX_PRESENTATION = "1.2.840.10008.5.1.4.1.1.1.1"
DX_PROCESSING = "1.2.840.10008.5.1.4.1.1.1.1.1"
MG_PRESENTATION = "1.2.840.10008.5.1.4.1.1.1.2"
MG_PROCESSING = "1.2.840.10008.5.1.4.1.1.1.2.1"
CT = "1.2.840.10008.5.1.4.1.1.2"
US_MULTIFRAME = "1.2.840.10008.5.1.4.1.1.3.1"
MR = "1.2.840.10008.5.1.4.1.1.4"
MR_SPECTROSCOPY = "1.2.840.10008.5.1.4.1.1.4.2"
US = "1.2.840.10008.5.1.4.1.1.6.1"
XA = "1.2.840.10008.5.1.4.1.1.12.1"
RF = "1.2.840.10008.5.1.4.1.1.12.2"
XA_3D = "1.2.840.10008.5.1.4.1.1.13.1.1"
NM = "1.2.840.10008.5.1.4.1.1.20"
PET = "1.2.840.10008.5.1.4.1.1.128"
SECONDARY_CAPTURE = "1.2.840.10008.5.1.4.1.1.7"
"""No dedicated policy: the catch-all whitelist applies."""

POLICY_CLASSES = (
    DX_PRESENTATION, DX_PROCESSING, MG_PRESENTATION, MG_PROCESSING, CT, US_MULTIFRAME, MR,
    MR_SPECTROSCOPY, US, XA, RF, XA_3D, NM, PET,
)
"""The 14 SOP classes with a dedicated policy in the radiopaedia profile."""

ALL_CLASSES = POLICY_CLASSES + (SECONDARY_CAPTURE,)

SHORT_NAMES = {
    DX_PRESENTATION: "DX", DX_PROCESSING: "DX-proc", MG_PRESENTATION: "MG", MG_PROCESSING: "MG-proc",
    CT: "CT", US_MULTIFRAME: "US-mf", MR: "MR", MR_SPECTROSCOPY: "MRS", US: "US", XA: "XA",
    RF: "RF", XA_3D: "XA-3D", NM: "NM", PET: "PET", SECONDARY_CAPTURE: "SC",
}

_MODALITY = {
    DX_PRESENTATION: "DX", DX_PROCESSING: "DX", MG_PRESENTATION: "MG", MG_PROCESSING: "MG",
    CT: "CT", US_MULTIFRAME: "US", MR: "MR", MR_SPECTROSCOPY: "MR", US: "US", XA: "XA", RF: "RF",
    XA_3D: "XA", NM: "NM", PET: "PT", SECONDARY_CAPTURE: "OT",
}

# --------------------------------------------------------------------------- planted PHI

FAKE_NAME = "FAKEPATIENT^ALPHA"
FAKE_ID = "FAKEID-0001"
FAKE_ACCESSION = "FAKEACCESSION-77"  # SH: at most 16 characters
FAKE_INSTITUTION = "FAKE HOSPITAL OF NOWHERE"
FAKE_BIRTH_DATE = "19020304"
FAKE_STUDY_DATE = "20230415"
FAKE_AE_TITLE = "FAKEAE-NOWHERE"
PREAMBLE_TEXT = b"FAKEPATIENT^ALPHA FAKEID-0001 FAKE HOSPITAL OF NOWHERE"

IDENTIFYING: dict[str, Any] = {
    "PatientName": FAKE_NAME,
    "PatientID": FAKE_ID,
    "IssuerOfPatientID": "FAKE ISSUER OF IDS",
    "PatientBirthDate": FAKE_BIRTH_DATE,
    "PatientBirthTime": "031415.926535",
    "OtherPatientIDs": "FAKEOTHERID-0002",
    "OtherPatientNames": "FAKEOTHER^BETA",
    "PatientBirthName": "FAKEBIRTHNAME^KAPPA",
    "PatientAddress": "1 FAKE STREET, NOWHERE",
    "PatientTelephoneNumbers": "FAKE-555-0100",
    "PatientMotherBirthName": "FAKEMOTHER^GAMMA",
    "PatientAge": "093Y",
    "PatientSize": "1.7777",
    "PatientWeight": "77.7777",
    "EthnicGroup": "FAKE ETHNICITY",
    "AdditionalPatientHistory": "FAKE HISTORY OF FAKEPATIENT ALPHA",
    "PatientComments": "FAKE PATIENT COMMENT",
    "AccessionNumber": FAKE_ACCESSION,
    "StudyID": "FAKESTUDYID9",
    "ReferringPhysicianName": "FAKEREFERRER^DELTA",
    "PerformingPhysicianName": "FAKEPERFORMER^EPSILON",
    "NameOfPhysiciansReadingStudy": "FAKEREADER^ZETA",
    "OperatorsName": "FAKEOPERATOR^ETA",
    "RequestingPhysician": "FAKEREQUESTER^IOTA",
    "InstitutionName": FAKE_INSTITUTION,
    "InstitutionAddress": "99 FAKE ROAD, NOWHERE TOWN",
    "InstitutionalDepartmentName": "FAKE DEPARTMENT OF RADIOLOGY",
    "StationName": "FAKESTATION01",
    "Manufacturer": "FAKE MANUFACTURER INC",
    "ManufacturerModelName": "FAKE MODEL 3000",
    "DeviceSerialNumber": "FAKESERIAL-123",
    "SoftwareVersions": "FAKE SOFTWARE 9.9",
    "StudyDate": FAKE_STUDY_DATE,
    "SeriesDate": "20230416",
    "AcquisitionDate": "20230417",
    "ContentDate": "20230418",
    "InstanceCreationDate": "20230419",
    "StudyTime": "134501.123456",
    "SeriesTime": "134502.223456",
    "AcquisitionTime": "134503.323456",
    "ContentTime": "134504.423456",
    "InstanceCreationTime": "134505.523456",
    "StudyDescription": "FAKE STUDY OF FAKEPATIENT ALPHA",
    "ProtocolName": "FAKE PROTOCOL NAME",
    "PerformedProcedureStepID": "FAKE-PPSID-44",
    "PerformedProcedureStepDescription": "FAKE PERFORMED STEP",
    "RequestedProcedureDescription": "FAKE REQUESTED PROCEDURE",
    "RequestedProcedureID": "FAKE-RPID-41",
    "ImageComments": "FAKE IMAGE COMMENT ABOUT FAKEPATIENT",
}
"""Identifying attributes, by keyword, with their planted values."""

_NESTED_PLANTS = (
    "FAKEOTHERID-0003", "FAKE-RPID-42", "FAKE-SPSID-43", "FAKE SCHEDULED STEP",
    "FAKEPROTOCODE1", "FAKE PROTOCOL FOR FAKEPATIENT", "FAKE DEEP TEXT AT DEPTH THREE",
    "FAKEPROC-5", "FAKE PROCEDURE NAMING FAKEPATIENT", "FAKE PRIVATE CREATOR",
    "FAKE PRIVATE LO TEXT", "FAKEPRIVSEQ^THETA", "FAKE OVERLAY DESCRIPTION", "FAKE OVERLAY LABEL",
    "FAKE CURVE DESCRIPTION", "FAKE CURVE LABEL", FAKE_AE_TITLE, "FAKE TRAILING PRIVATE TEXT",
    "FAKE TRAILING CREATOR",
)

REFERENCED_STUDY_UID = "2.25.98765432109876543210000000000000001"
REFERENCED_PATIENT_UID = "2.25.98765432109876543210000000000000002"

PLANTED: tuple[str, ...] = tuple(
    dict.fromkeys(str(v) for v in IDENTIFYING.values())
) + _NESTED_PLANTS + (REFERENCED_STUDY_UID, REFERENCED_PATIENT_UID)
"""Every planted string (the input UIDs of a file are added by :func:`planted_in`)."""

# --------------------------------------------------------------------------- technical values

TECHNICAL: dict[str, Any] = {
    "ImageType": ["ORIGINAL", "PRIMARY", "AXIAL"],
    "PatientSex": "O",
    "BodyPartExamined": "CHEST",
    "KVP": "120",
    "SliceThickness": "2.5",
    "SpacingBetweenSlices": "2.5",
    "RepetitionTime": "2200",
    "EchoTime": "12.5",
    "MagneticFieldStrength": "1.5",
    "ExposureTime": "1601",
    "XRayTubeCurrent": "170",
    "ConvolutionKernel": "STANDARD",
    "PatientPosition": "HFS",
    "SeriesNumber": "7",
    "AcquisitionNumber": "1",
    "InstanceNumber": "3",
    "ImagePositionPatient": ["-125.0", "-130.5", "42.25"],
    "ImageOrientationPatient": ["1", "0", "0", "0", "1", "0"],
    "SliceLocation": "42.25",
    "PixelSpacing": ["0.5", "0.625"],
    "WindowCenter": "40",
    "WindowWidth": "400",
    "RescaleIntercept": "-1024",
    "RescaleSlope": "1",
    "RescaleType": "HU",
    "BurnedInAnnotation": "NO",
    "RecognizableVisualFeatures": "NO",
}
"""Technical attributes every synthetic image carries, with known values."""

_PER_CLASS: dict[str, dict[str, Any]] = {
    DX_PRESENTATION: {"PresentationIntentType": "FOR PRESENTATION", "ImagerPixelSpacing": ["0.139", "0.139"],
                      "DistanceSourceToDetector": "1800", "ViewPosition": "PA", "DetectorType": "SCINTILLATOR"},
    DX_PROCESSING: {"PresentationIntentType": "FOR PROCESSING", "ImagerPixelSpacing": ["0.139", "0.139"],
                    "DistanceSourceToDetector": "1800", "ViewPosition": "AP", "DetectorType": "DIRECT"},
    MG_PRESENTATION: {"PresentationIntentType": "FOR PRESENTATION", "ImageLaterality": "L",
                      "ViewPosition": "CC", "BodyPartThickness": "55", "CompressionForce": "110",
                      "AnodeTargetMaterial": "TUNGSTEN", "BreastImplantPresent": "NO"},
    MG_PROCESSING: {"PresentationIntentType": "FOR PROCESSING", "ImageLaterality": "R",
                    "ViewPosition": "MLO", "BodyPartThickness": "52", "CompressionForce": "100",
                    "AnodeTargetMaterial": "RHODIUM", "BreastImplantPresent": "NO"},
    CT: {"DataCollectionDiameter": "480", "ReconstructionDiameter": "338.6716",
         "GantryDetectorTilt": "0", "TableHeight": "133.7", "SpiralPitchFactor": 0.984375,
         "CTDIvol": 12.34},
    US_MULTIFRAME: {"FrameTime": "33.3", "FrameIncrementPointer": 0x00181063, "CineRate": "30"},
    MR: {"ScanningSequence": ["SE"], "SequenceVariant": ["NONE"], "ScanOptions": "FS",
         "MRAcquisitionType": "2D", "ImagingFrequency": "63.87", "ImagedNucleus": "1H",
         "EchoTrainLength": "8", "FlipAngle": "90", "ReceiveCoilName": "HEAD"},
    MR_SPECTROSCOPY: {"ImagingFrequency": "63.87", "ResonantNucleus": "1H", "SpectralWidth": 2000.0,
                      "TransmitterFrequency": 63.87, "ChemicalShiftReference": 4.7,
                      "DataRepresentation": "COMPLEX", "SignalDomainColumns": "TIME",
                      "AcquisitionContrast": "UNKNOWN", "VolumetricProperties": "VOLUME"},
    US: {"PhotometricInterpretation": "MONOCHROME2"},
    XA: {"PositionerPrimaryAngle": "30", "PositionerSecondaryAngle": "-15",
         "DistanceSourceToDetector": "1100", "DistanceSourceToPatient": "750",
         "IntensifierSize": "230", "RadiationSetting": "GR", "FrameTime": "66.7",
         "FrameIncrementPointer": 0x00181063},
    RF: {"PositionerPrimaryAngle": "0", "DistanceSourceToDetector": "1150",
         "IntensifierSize": "300", "RadiationSetting": "SC", "FrameTime": "100",
         "FrameIncrementPointer": 0x00181063},
    XA_3D: {"ImageType": ["ORIGINAL", "PRIMARY", "VOLUME", "NONE"], "ContentQualification": "PRODUCT",
            "VolumetricProperties": "VOLUME", "PixelPresentation": "MONOCHROME"},
    NM: {"ImageType": ["ORIGINAL", "PRIMARY", "STATIC", "EMISSION"], "FrameIncrementPointer": 0x00540010,
         "NumberOfEnergyWindows": 1, "NumberOfDetectors": 1, "CountsAccumulated": "123456",
         "ActualFrameDuration": "60000"},
    PET: {"ImageType": ["ORIGINAL", "PRIMARY"], "SeriesType": ["STATIC", "IMAGE"], "Units": "BQML",
          "CountsSource": "EMISSION", "DecayCorrection": "START", "DecayFactor": "1.0123",
          "FrameReferenceTime": "0", "ImageIndex": 1, "ActualFrameDuration": "180000"},
    SECONDARY_CAPTURE: {"ConversionType": "WSD"},
}


def uid(label: str) -> str:
    """A deterministic ``2.25`` UID for ``label`` (the same label always gives the same UID)."""
    return "2.25." + str(uuid.uuid5(uuid.NAMESPACE_URL, f"anonymizer-tests:{label}").int)


DEFAULT_STUDY_UID = uid("study")
DEFAULT_SERIES_UID = uid("series")
DEFAULT_SOP_UID = uid("instance")
DEFAULT_FRAME_OF_REFERENCE_UID = uid("frame of reference")


def pixel_bytes(length: int, seed: str) -> bytes:
    """Deterministic pseudo-random bytes (never all zeros)."""
    return random.Random(seed).randbytes(length)


# --------------------------------------------------------------------------- the builder


def make_dataset(
    sop_class_uid: str = CT,
    *,
    patient: str = FAKE_NAME,
    patient_id: str = FAKE_ID,
    study_uid: str = DEFAULT_STUDY_UID,
    series_uid: str = DEFAULT_SERIES_UID,
    sop_uid: str = DEFAULT_SOP_UID,
    frame_of_reference_uid: str = DEFAULT_FRAME_OF_REFERENCE_UID,
    frames: int = 1,
    rows: int = 8,
    cols: int = 8,
    transfer_syntax: str = ExplicitVRLittleEndian,
    fragments_per_frame: int = 1,
    trailing: bool = False,
    extra: Mapping[str, Any] | None = None,
) -> FileDataset:
    """A complete instance of ``sop_class_uid`` as a pydicom data set, ready to write.

    ``transfer_syntax`` may be a compressed one: the pixel data is then encapsulated
    (``fragments_per_frame`` fragments of pseudo-random bytes per frame, with a basic offset
    table). ``trailing`` adds elements after the pixel data: a private block holding fake PHI
    and a Data Set Trailing Padding (FFFC,FFFC). ``extra`` sets attributes by keyword
    (``None`` deletes one).
    """
    syntax = UID(transfer_syntax)
    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = sop_class_uid
    meta.MediaStorageSOPInstanceUID = sop_uid
    meta.TransferSyntaxUID = syntax
    meta.ImplementationClassUID = "1.2.3.4.5.6.7.8.9"
    meta.ImplementationVersionName = "FAKE_WRITER_1"
    meta.SourceApplicationEntityTitle = FAKE_AE_TITLE

    ds = FileDataset(None, {}, file_meta=meta, preamble=PREAMBLE_TEXT.ljust(128, b"\x00"))
    ds.SpecificCharacterSet = "ISO_IR 100"
    ds.SOPClassUID = sop_class_uid
    ds.SOPInstanceUID = sop_uid
    ds.StudyInstanceUID = study_uid
    ds.SeriesInstanceUID = series_uid
    ds.FrameOfReferenceUID = frame_of_reference_uid
    ds.Modality = _MODALITY.get(sop_class_uid, "OT")
    for keyword, value in IDENTIFYING.items():
        setattr(ds, keyword, value)
    ds.PatientName = patient
    ds.PatientID = patient_id
    for keyword, value in TECHNICAL.items():
        setattr(ds, keyword, value)
    for keyword, value in _PER_CLASS.get(sop_class_uid, {}).items():
        setattr(ds, keyword, value)
    _add_sequences(ds)
    _add_private_block(ds)
    _add_overlay_and_curve(ds, rows, cols)

    seed = f"{sop_class_uid}|{sop_uid}"
    if sop_class_uid == MR_SPECTROSCOPY:
        _add_spectroscopy(ds, frames, seed)
    else:
        _add_image(ds, sop_class_uid, frames, rows, cols, syntax, fragments_per_frame, seed)
    if trailing:
        add_trailing(ds)
    for keyword, value in (extra or {}).items():
        if value is None:
            if keyword in ds:
                delattr(ds, keyword)
        else:
            setattr(ds, keyword, value)
    return ds


def make_instance(sop_class_uid: str = CT, **options: Any) -> bytes:
    """A complete Part 10 file of ``sop_class_uid`` with planted fake PHI (see :func:`make_dataset`)."""
    return to_bytes(make_dataset(sop_class_uid, **options))


def write_instance(path, sop_class_uid: str = CT, **options: Any):
    """Write :func:`make_instance` to ``path`` and return the path."""
    with open(path, "wb") as handle:
        handle.write(make_instance(sop_class_uid, **options))
    return path


def to_bytes(ds: FileDataset, *, enforce_file_format: bool = True) -> bytes:
    """``ds`` as a Part 10 file (``enforce_file_format=False`` lets a test write a broken one)."""
    syntax = ds.file_meta.TransferSyntaxUID
    buffer = io.BytesIO()
    dcmwrite(
        buffer, ds, enforce_file_format=enforce_file_format,
        implicit_vr=syntax == ImplicitVRLittleEndian,
        little_endian=syntax != ExplicitVRBigEndian,
    )
    return buffer.getvalue()


def add_trailing(ds: Dataset) -> None:
    """Elements after (7FE0,0010): a private block with fake PHI and trailing padding."""
    ds.add_new(0x7FE10010, "LO", "FAKE TRAILING CREATOR")
    ds.add_new(0x7FE11001, "LO", "FAKE TRAILING PRIVATE TEXT")
    ds.add_new(0xFFFCFFFC, "OB", b"\x00" * 16)


def planted_in(data: bytes) -> tuple[str, ...]:
    """Every planted string of a file: :data:`PLANTED` plus the UIDs the file was built with."""
    from pydicom import dcmread

    ds = dcmread(io.BytesIO(data), stop_before_pixels=True, force=True)
    uids = [
        str(ds.get(keyword, "")) for keyword in
        ("StudyInstanceUID", "SeriesInstanceUID", "SOPInstanceUID", "FrameOfReferenceUID")
    ]
    return PLANTED + tuple(u for u in uids if u)


def _item(**values: Any) -> Dataset:
    item = Dataset()
    for keyword, value in values.items():
        setattr(item, keyword, value)
    return item


def _add_sequences(ds: Dataset) -> None:
    ds.OtherPatientIDsSequence = [_item(PatientID="FAKEOTHERID-0003", TypeOfPatientID="TEXT")]
    deepest = _item(ValueType="TEXT", TextValue="FAKE DEEP TEXT AT DEPTH THREE")
    protocol = _item(
        CodeValue="FAKEPROTOCODE1", CodingSchemeDesignator="99FAKE",
        CodeMeaning="FAKE PROTOCOL FOR FAKEPATIENT", ProtocolContextSequence=[deepest],
    )
    ds.RequestAttributesSequence = [
        _item(
            RequestedProcedureID="FAKE-RPID-42",
            ScheduledProcedureStepID="FAKE-SPSID-43",
            ScheduledProcedureStepDescription="FAKE SCHEDULED STEP",
            ScheduledProtocolCodeSequence=[protocol],
        ),
        _item(RequestedProcedureID="FAKE-RPID-41"),
    ]
    ds.ReferencedStudySequence = [_item(
        ReferencedSOPClassUID="1.2.840.10008.3.1.2.3.1", ReferencedSOPInstanceUID=REFERENCED_STUDY_UID,
    )]
    ds.ReferencedPatientSequence = [_item(
        ReferencedSOPClassUID="1.2.840.10008.3.1.2.1.1", ReferencedSOPInstanceUID=REFERENCED_PATIENT_UID,
    )]
    ds.ProcedureCodeSequence = [_item(
        CodeValue="FAKEPROC-5", CodingSchemeDesignator="99FAKE", CodeMeaning="FAKE PROCEDURE NAMING FAKEPATIENT",
    )]


def _add_private_block(ds: Dataset) -> None:
    ds.add_new(0x00090010, "LO", "FAKE PRIVATE CREATOR")
    ds.add_new(0x00091001, "PN", FAKE_NAME)
    ds.add_new(0x00091002, "LO", "FAKE PRIVATE LO TEXT")
    ds.add_new(0x00091003, "SQ", Sequence([_item(PatientName="FAKEPRIVSEQ^THETA")]))


def _add_overlay_and_curve(ds: Dataset, rows: int, cols: int) -> None:
    ds.add_new(0x60000010, "US", rows)
    ds.add_new(0x60000011, "US", cols)
    ds.add_new(0x60000022, "LO", "FAKE OVERLAY DESCRIPTION")
    ds.add_new(0x60000040, "CS", "G")
    ds.add_new(0x60000050, "SS", [1, 1])
    ds.add_new(0x60000100, "US", 1)
    ds.add_new(0x60000102, "US", 0)
    ds.add_new(0x60001500, "LO", "FAKE OVERLAY LABEL")
    ds.add_new(0x60003000, "OW", pixel_bytes((rows * cols + 15) // 16 * 2, "overlay"))
    ds.add_new(0x50000005, "US", 1)
    ds.add_new(0x50000010, "US", 4)
    ds.add_new(0x50000022, "LO", "FAKE CURVE DESCRIPTION")
    ds.add_new(0x50002500, "LO", "FAKE CURVE LABEL")
    ds.add_new(0x50003000, "OB", pixel_bytes(8, "curve"))


def _add_image(ds, sop_class_uid, frames, rows, cols, syntax: UID, fragments_per_frame, seed) -> None:
    ds.SamplesPerPixel = 1
    ds.PhotometricInterpretation = "MONOCHROME2"
    ds.Rows = rows
    ds.Columns = cols
    ds.BitsAllocated = 16
    ds.BitsStored = 12
    ds.HighBit = 11
    ds.PixelRepresentation = 0
    if frames > 1 or sop_class_uid in (US_MULTIFRAME, NM, XA_3D):
        ds.NumberOfFrames = frames
    if sop_class_uid == NM:
        ds.EnergyWindowVector = [1] * frames
    if sop_class_uid == XA_3D:
        _add_functional_groups(ds, frames)
    frame_size = rows * cols * 2
    if syntax.is_compressed:
        chunks = [pixel_bytes(frame_size // 2 + 2 * i + 1, f"{seed}|{i}") for i in range(frames)]
        ds.PixelData = encapsulate(chunks, fragments_per_frame=fragments_per_frame, has_bot=True)
        ds["PixelData"].VR = "OB"
        ds["PixelData"].is_undefined_length = True
        ds.LossyImageCompression = "00"
    else:
        ds.PixelData = pixel_bytes(frame_size * frames, seed)
        ds["PixelData"].VR = "OW"


def _add_functional_groups(ds: Dataset, frames: int) -> None:
    shared = _item(
        PixelMeasuresSequence=[_item(PixelSpacing=["0.5", "0.625"], SliceThickness="2.5")],
        PlaneOrientationSequence=[_item(ImageOrientationPatient=["1", "0", "0", "0", "1", "0"])],
    )
    ds.SharedFunctionalGroupsSequence = [shared]
    ds.PerFrameFunctionalGroupsSequence = [
        _item(PlanePositionSequence=[_item(ImagePositionPatient=["0", "0", str(i)])])
        for i in range(frames)
    ]


def _add_spectroscopy(ds: Dataset, frames: int, seed: str) -> None:
    for keyword in ("ImagePositionPatient", "ImageOrientationPatient", "PixelSpacing", "SliceLocation",
                    "WindowCenter", "WindowWidth", "RescaleIntercept", "RescaleSlope", "RescaleType"):
        delattr(ds, keyword)
    ds.ImageType = ["ORIGINAL", "PRIMARY", "SPECTROSCOPY", "NONE"]
    ds.NumberOfFrames = frames
    ds.Rows = 1
    ds.Columns = 1
    ds.DataPointRows = 1
    ds.DataPointColumns = 64
    _add_functional_groups(ds, frames)
    points = 64 * 2 * frames  # complex: real and imaginary float32 per point
    ds.SpectroscopyData = pixel_bytes(points * 4, seed)


# --------------------------------------------------------------------------- byte helpers

PYDICOM_TEST_FILES = Path(pydicom.__file__).parent / "data" / "test_files"


def dataset_tree(dataset: Dataset) -> list[tuple]:
    """Every element of ``dataset`` at every depth, converted by pydicom, with where it was
    read from; each item with all its attributes (how it was framed, where it was read from,
    the character sets and the pixel representation it was read with ...)."""
    rows = []
    for tag in list(dataset._dict):
        element = dataset[tag]
        if element.VR == "SQ":
            rows.append((int(tag), "SQ", element.file_tell, element.is_undefined_length))
            for item in element.value:
                rows.append(("item", sorted((name, repr(value)) for name, value in vars(item).items() if name != "_dict")))
                rows.extend(dataset_tree(item))
        else:
            rows.append((int(tag), element.VR, element.value, element.file_tell))
    return rows


def pydicom_sample(name: str) -> Path:
    """A sample file bundled in the pydicom wheel, by its path there (never downloaded:
    ``pydicom.data.get_testdata_file`` fetches names that are not bundled from the network)."""
    path = PYDICOM_TEST_FILES / name
    assert path.is_file(), f"{name} is not bundled with pydicom under {PYDICOM_TEST_FILES}"
    return path



def pixel_element_bytes(data: bytes) -> bytes:
    """The raw bytes of the Pixel Data element (tag, VR, length and value) of a Part 10 file.

    Found independently of the anonymiser: pydicom reads the file up to the element, then the
    element header gives its extent (walking the items when the length is undefined).
    """
    from pydicom import dcmread

    stream = io.BytesIO(data)
    ds = dcmread(stream, stop_before_pixels=True)
    start = stream.tell()
    syntax = ds.file_meta.TransferSyntaxUID
    endian = ">" if syntax == ExplicitVRBigEndian else "<"
    tag = struct.unpack(endian + "HH", data[start:start + 4])
    assert tag == (0x7FE0, 0x0010), f"no Pixel Data at offset {start}: {tag}"
    if syntax == ImplicitVRLittleEndian:
        length, value_start = struct.unpack("<L", data[start + 4:start + 8])[0], start + 8
    else:
        length, value_start = struct.unpack(endian + "L", data[start + 8:start + 12])[0], start + 12
    if length != 0xFFFFFFFF:
        return data[start:value_start + length]
    offset = value_start
    while True:
        group, element, item_length = struct.unpack(endian + "HHL", data[offset:offset + 8])
        offset += 8
        if (group, element) == (0xFFFE, 0xE0DD):
            return data[start:offset]
        offset += item_length
