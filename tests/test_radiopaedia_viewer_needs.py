"""What a radiologist's viewer needs, kept beyond Radiopaedia's whitelist, without identity.

Radiopaedia's policy keeps no sequence that has items. This project's engine applies the
whitelist inside items as well, so the radiopaedia profile keeps a few sequences a viewer
cannot do without (``VIEWER_ADDITIONS`` in ``anonymizer/rules/radiopaedia.py``): the
functional groups of enhanced multi-frame images, the Sequence of Ultrasound Regions, the LUT
sequences, the multi-frame dimension index, and a few timing attributes. Inside them, only the
item attributes the policy lists survive. Read each test as an example::

    result = anonymize(enhanced_mr())
    after = read(result.to_bytes())
    after.SharedFunctionalGroupsSequence[0].PixelMeasuresSequence[0].PixelSpacing

Every input is a synthetic file with obviously fake PHI (``tests/synthetic.py``), or a sample
file bundled in the pydicom wheel.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pydicom
import pytest
from pydicom.datadict import dictionary_VR, keyword_for_tag
from pydicom.dataset import Dataset

from anonymizer import anonymize
from anonymizer.rules import KEEP, REGENERATE, REMOVE, Rule
from anonymizer.rules import radiopaedia as rp
from synthetic import (
    DX_PRESENTATION,
    MR,
    MR_SPECTROSCOPY,
    US,
    US_MULTIFRAME,
    XA,
    XA_3D,
    make_dataset,
    make_instance,
    planted_in,
    pydicom_sample,
    to_bytes,
    uid,
)

ENHANCED_MR = "1.2.840.10008.5.1.4.1.1.4.1"
"""Enhanced MR Image Storage: no dedicated policy, so the catch-all whitelist applies."""

FREE_TEXT_KEPT = "free text was kept: check it names no one"
REGENERATED_ROOT = "1.2.826.0.1.3680043.10.341."

FAKE_FRAME_DATETIME = "20230417134503.323456"
"""The planted acquisition date and time (synthetic.IDENTIFYING) as one date-time."""
FAKE_FRAME_COMMENT = "FAKE FRAME COMMENT ABOUT FAKEPATIENT"
FAKE_DERIVATION = "FAKE DERIVATION OF FAKEPATIENT"
FAKE_COIL_MAKER = "FAKE COIL MAKER OF NOWHERE"
FAKE_PRIVATE_CREATOR = "FAKE PRIVATE CREATOR"
FAKE_PRIVATE_TEXT = "FAKE PRIVATE LO TEXT"
DIMENSION_ORGANIZATION_UID = uid("dimension organization")
SOURCE_IMAGE_UID = uid("source image of the enhanced MR")


def read(data: bytes) -> Dataset:
    return pydicom.dcmread(io.BytesIO(data))


def item(**values) -> Dataset:
    ds = Dataset()
    for keyword, value in values.items():
        setattr(ds, keyword, value)
    return ds


def with_private(ds: Dataset, group: int = 0x0021) -> Dataset:
    """``ds`` with a private block holding fake PHI."""
    ds.add_new(group << 16 | 0x0010, "LO", FAKE_PRIVATE_CREATOR)
    ds.add_new(group << 16 | 0x1001, "LO", FAKE_PRIVATE_TEXT)
    return ds


def levels(result, level: int) -> list[tuple[str, str]]:
    return [(f.path, f.message) for f in result.warnings if f.level == level]


def leaked(planted, output: bytes) -> list[str]:
    raw = output.lower()
    return [text for text in planted if text.lower().encode("latin-1") in raw]


# ------------------------------------------------------------------ an enhanced multi-frame image

FRAMES = 3
PIXEL_SPACING = ["0.9765625", "0.9765625"]
SLICE_THICKNESS = "3"
SPACING_BETWEEN_SLICES = "3.3"
ORIENTATION = ["1", "0", "0", "0", "0.8660254", "-0.5"]
RESCALE = ("0", "1.25", "US")
WINDOW = ("600", "1200")
B_VALUES = [0.0, 1000.0, 1000.0]


def position(frame: int) -> list[str]:
    return ["-120", "-110.5", f"{10 + 3.3 * frame:.1f}"]


def enhanced_multiframe(sop_class: str = ENHANCED_MR) -> bytes:
    """An enhanced multi-frame image of ``sop_class`` with shared and per-frame functional groups.

    Technical values: pixel measures, plane orientation and position, rescale, window, MR
    timing, echo and diffusion, frame content indices, a dimension index. Planted around them:
    Frame Acquisition and Frame Reference DateTime (the fake acquisition date and time), Frame
    Comments, a derivation description with a source image UID, a coil maker, an anatomic
    region, and private blocks holding fake text, in the items as well as at the top level.
    """
    top_level_geometry = ("ImagePositionPatient", "ImageOrientationPatient", "PixelSpacing",
                          "SliceThickness", "SpacingBetweenSlices", "WindowCenter", "WindowWidth",
                          "RescaleIntercept", "RescaleSlope", "RescaleType", "SliceLocation")
    ds = make_dataset(sop_class, frames=FRAMES, trailing=True, extra={
        **{keyword: None for keyword in top_level_geometry},
        "ImageType": ["ORIGINAL", "PRIMARY", "DIFFUSION", "NONE"],
        "PositionReferenceIndicator": None,  # flagged free text, tested on its own below
    })
    if sop_class in (ENHANCED_MR, MR_SPECTROSCOPY):
        ds.Modality = "MR"

    shared = with_private(item(
        PixelMeasuresSequence=[item(PixelSpacing=PIXEL_SPACING, SliceThickness=SLICE_THICKNESS,
                                    SpacingBetweenSlices=SPACING_BETWEEN_SLICES)],
        PlaneOrientationSequence=[item(ImageOrientationPatient=ORIENTATION)],
        PixelValueTransformationSequence=[item(RescaleIntercept=RESCALE[0], RescaleSlope=RESCALE[1],
                                               RescaleType=RESCALE[2])],
        FrameVOILUTSequence=[item(WindowCenter=WINDOW[0], WindowWidth=WINDOW[1], VOILUTFunction="LINEAR")],
        MRTimingAndRelatedParametersSequence=[item(RepetitionTime="4000", FlipAngle="90",
                                                   EchoTrainLength="1", RFEchoTrainLength=1)],
        MREchoSequence=[item(EffectiveEchoTime=89.0)],
        MRImageFrameTypeSequence=[item(FrameType=["ORIGINAL", "PRIMARY", "DIFFUSION", "NONE"],
                                       PixelPresentation="MONOCHROME", VolumetricProperties="VOLUME",
                                       VolumeBasedCalculationTechnique="NONE",
                                       ComplexImageComponent="MAGNITUDE", AcquisitionContrast="DIFFUSION")],
        MRReceiveCoilSequence=[item(ReceiveCoilName="HEAD 32", ReceiveCoilManufacturerName=FAKE_COIL_MAKER)],
        DerivationImageSequence=[item(
            DerivationDescription=FAKE_DERIVATION,
            SourceImageSequence=[item(ReferencedSOPClassUID=MR, ReferencedSOPInstanceUID=SOURCE_IMAGE_UID)],
        )],
        FrameAnatomySequence=[item(
            FrameLaterality="U",
            AnatomicRegionSequence=[item(CodeValue="12738006", CodingSchemeDesignator="SCT",
                                         CodeMeaning="Brain")],
        )],
    ), group=0x2005)
    ds.SharedFunctionalGroupsSequence = [shared]

    frames = []
    for frame in range(FRAMES):
        content = with_private(item(
            FrameAcquisitionDateTime=FAKE_FRAME_DATETIME,
            FrameReferenceDateTime=FAKE_FRAME_DATETIME,
            FrameAcquisitionDuration=1000.0,
            StackID="1",
            InStackPositionNumber=frame + 1,
            TemporalPositionIndex=1,
            DimensionIndexValues=[1, frame + 1],
            FrameComments=FAKE_FRAME_COMMENT,
        ))
        diffusion = item(DiffusionBValue=B_VALUES[frame],
                         DiffusionDirectionality="DIRECTIONAL" if frame else "NONE")
        if frame:
            diffusion.DiffusionGradientDirectionSequence = [
                item(DiffusionGradientOrientation=[1.0, 0.0, 0.0] if frame == 1 else [0.0, 1.0, 0.0])
            ]
        frames.append(item(
            FrameContentSequence=[content],
            PlanePositionSequence=[item(ImagePositionPatient=position(frame))],
            MRDiffusionSequence=[diffusion],
        ))
    ds.PerFrameFunctionalGroupsSequence = frames

    ds.DimensionOrganizationSequence = [item(DimensionOrganizationUID=DIMENSION_ORGANIZATION_UID)]
    ds.DimensionIndexSequence = [
        item(DimensionOrganizationUID=DIMENSION_ORGANIZATION_UID, DimensionIndexPointer=0x00209056,
             FunctionalGroupPointer=0x00209111, DimensionDescriptionLabel="Stack ID"),
        item(DimensionOrganizationUID=DIMENSION_ORGANIZATION_UID, DimensionIndexPointer=0x00209057,
             FunctionalGroupPointer=0x00209111, DimensionDescriptionLabel="In-Stack Position Number"),
    ]
    ds.DimensionOrganizationType = "3D"
    return to_bytes(ds)


def planted_in_enhanced(data: bytes) -> tuple[str, ...]:
    return planted_in(data) + (FAKE_FRAME_DATETIME, FAKE_FRAME_COMMENT, FAKE_DERIVATION, FAKE_COIL_MAKER,
                               SOURCE_IMAGE_UID, DIMENSION_ORGANIZATION_UID)


class EnhancedRun:
    def __init__(self, sop_class: str):
        self.data = enhanced_multiframe(sop_class)
        self.result = anonymize(self.data)
        self.output = self.result.to_bytes()
        self.before = read(self.data)
        self.after = read(self.output)


_runs: dict[str, EnhancedRun] = {}


def run_of(sop_class: str = ENHANCED_MR) -> EnhancedRun:
    if sop_class not in _runs:
        _runs[sop_class] = EnhancedRun(sop_class)
    return _runs[sop_class]


def test_enhanced_mr_keeps_its_geometry_rescale_and_window_exactly():
    after = run_of(ENHANCED_MR).after
    (shared,) = after.SharedFunctionalGroupsSequence

    (measures,) = shared.PixelMeasuresSequence
    assert [str(v) for v in measures.PixelSpacing] == PIXEL_SPACING
    assert (str(measures.SliceThickness), str(measures.SpacingBetweenSlices)) == (SLICE_THICKNESS,
                                                                                  SPACING_BETWEEN_SLICES)
    assert [str(v) for v in shared.PlaneOrientationSequence[0].ImageOrientationPatient] == ORIENTATION
    (rescale,) = shared.PixelValueTransformationSequence
    assert (str(rescale.RescaleIntercept), str(rescale.RescaleSlope), rescale.RescaleType) == RESCALE
    (window,) = shared.FrameVOILUTSequence
    assert (str(window.WindowCenter), str(window.WindowWidth), window.VOILUTFunction) == (*WINDOW, "LINEAR")
    assert list(shared.MRImageFrameTypeSequence[0].FrameType) == ["ORIGINAL", "PRIMARY", "DIFFUSION", "NONE"]

    assert len(after.PerFrameFunctionalGroupsSequence) == FRAMES
    for frame, group in enumerate(after.PerFrameFunctionalGroupsSequence):
        assert [str(v) for v in group.PlanePositionSequence[0].ImagePositionPatient] == position(frame)


def test_enhanced_mr_keeps_frame_indices_and_the_dimension_index():
    run = run_of(ENHANCED_MR)
    after = run.after

    for frame, group in enumerate(after.PerFrameFunctionalGroupsSequence):
        (content,) = group.FrameContentSequence
        assert (content.StackID, content.InStackPositionNumber, content.TemporalPositionIndex) == ("1", frame + 1, 1)
        assert list(content.DimensionIndexValues) == [1, frame + 1]
        assert content.FrameAcquisitionDuration == 1000.0

    assert after.DimensionOrganizationType == "3D"
    assert [(i.DimensionIndexPointer, i.FunctionalGroupPointer) for i in after.DimensionIndexSequence] == [
        (0x00209056, 0x00209111), (0x00209057, 0x00209111)]
    # The UID is regenerated, the same everywhere, so the index still names its organisation.
    (organisation,) = after.DimensionOrganizationSequence
    regenerated = organisation.DimensionOrganizationUID
    assert regenerated != DIMENSION_ORGANIZATION_UID and regenerated.startswith(REGENERATED_ROOT)
    assert {i.DimensionOrganizationUID for i in after.DimensionIndexSequence} == {regenerated}


def test_enhanced_mr_keeps_the_diffusion_b_values_and_directions():
    after = run_of(ENHANCED_MR).after

    diffusion = [group.MRDiffusionSequence[0] for group in after.PerFrameFunctionalGroupsSequence]
    assert [d.DiffusionBValue for d in diffusion] == B_VALUES
    assert [d.DiffusionDirectionality for d in diffusion] == ["NONE", "DIRECTIONAL", "DIRECTIONAL"]
    assert [list(d.DiffusionGradientDirectionSequence[0].DiffusionGradientOrientation) for d in diffusion[1:]] == [
        [1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]
    (shared,) = after.SharedFunctionalGroupsSequence
    assert shared.MREchoSequence[0].EffectiveEchoTime == 89.0
    assert shared.MRTimingAndRelatedParametersSequence[0].RFEchoTrainLength == 1


def test_enhanced_mr_loses_the_frame_datetimes_comments_and_private_elements_inside_the_items():
    run = run_of(ENHANCED_MR)

    for group in run.after.PerFrameFunctionalGroupsSequence:
        content = group.FrameContentSequence[0]
        for keyword in ("FrameAcquisitionDateTime", "FrameReferenceDateTime", "FrameComments"):
            assert keyword not in content, keyword
        assert not any(tag.group & 1 for tag in content.keys()), "private elements in Frame Content"
    (shared,) = run.after.SharedFunctionalGroupsSequence
    assert not any(tag.group & 1 for tag in shared.keys()), "private elements in the shared item"
    # Sequences the policy does not list go whole: references, free text, coil maker, anatomy.
    for keyword in ("DerivationImageSequence", "MRReceiveCoilSequence", "FrameAnatomySequence"):
        assert keyword not in shared, keyword
    rows = {row.path: row for row in run.result.rows}
    assert rows["(5200,9230)[0].(0020,9111)[0].(0018,9074)"].action == "removed"  # Frame Acquisition DateTime
    assert rows["(5200,9229)[0].(2005,1001)"].action == "removed"


def test_enhanced_mr_output_holds_no_planted_string():
    run = run_of(ENHANCED_MR)
    planted = planted_in_enhanced(run.data)

    assert leaked(planted, run.data) == list(planted), "the input holds every planted string"
    assert leaked(planted, run.output) == []
    assert b"fake" not in run.output.lower()
    assert b"20230417" not in run.output  # the planted acquisition date, inside the frame date-times


def test_enhanced_mr_is_not_refused_and_its_level_2_findings_are_the_free_text_it_keeps():
    result = run_of(ENHANCED_MR).result

    assert levels(result, 1) == []
    assert levels(result, 2) == [
        ("(0020,9222)[0].(0020,9421)", FREE_TEXT_KEPT),  # Dimension Description Label
        ("(0020,9222)[1].(0020,9421)", FREE_TEXT_KEPT),
    ]
    assert [message for _, message in levels(result, 3)] == [
        "no policy is written for this SOP class: the catch-all whitelist (every module's rules) "
        "was applied, so functional information may have been stripped"]


@pytest.mark.parametrize("sop_class", [ENHANCED_MR, XA_3D, MR_SPECTROSCOPY], ids=["EnhancedMR", "XA-3D", "MRS"])
def test_functional_group_geometry_survives_in_every_class_that_has_it(sop_class, dcmdump, tmp_path):
    run = run_of(sop_class)
    (shared,) = run.after.SharedFunctionalGroupsSequence

    assert [str(v) for v in shared.PixelMeasuresSequence[0].PixelSpacing] == PIXEL_SPACING
    assert [str(v) for v in shared.PlaneOrientationSequence[0].ImageOrientationPatient] == ORIENTATION
    assert [[str(v) for v in group.PlanePositionSequence[0].ImagePositionPatient]
            for group in run.after.PerFrameFunctionalGroupsSequence] == [position(f) for f in range(FRAMES)]
    assert levels(run.result, 1) == []
    assert leaked(planted_in_enhanced(run.data), run.output) == []
    (tmp_path / "out.dcm").write_bytes(run.output)
    status, lines = dcmdump(tmp_path / "out.dcm")
    assert status == 0 and [line for line in lines if line.startswith("E:")] == []


def test_a_real_multiframe_sample_keeps_its_frame_geometry():
    # pydicom's liver_1frame.dcm (a segmentation, under the catch-all) carries its geometry
    # only in the functional groups and indexes its frames with a dimension index.
    before = pydicom.dcmread(pydicom_sample("liver_1frame.dcm"))
    after = read(anonymize(pydicom_sample("liver_1frame.dcm")).to_bytes())

    assert (after.SharedFunctionalGroupsSequence[0].PixelMeasuresSequence[0]
            == before.SharedFunctionalGroupsSequence[0].PixelMeasuresSequence[0])
    for old, new in zip(before.PerFrameFunctionalGroupsSequence, after.PerFrameFunctionalGroupsSequence,
                        strict=True):
        assert new.PlanePositionSequence[0] == old.PlanePositionSequence[0]
        assert new.FrameContentSequence[0].DimensionIndexValues == old.FrameContentSequence[0].DimensionIndexValues
        assert "DerivationImageSequence" not in new  # references to the source CT images
    assert [i.DimensionIndexPointer for i in after.DimensionIndexSequence] == [
        i.DimensionIndexPointer for i in before.DimensionIndexSequence]


# ------------------------------------------------------------------ ultrasound calibration

REGION = {
    "RegionSpatialFormat": 1, "RegionDataType": 1, "RegionFlags": 2,
    "RegionLocationMinX0": 10, "RegionLocationMinY0": 20, "RegionLocationMaxX1": 610, "RegionLocationMaxY1": 460,
    "ReferencePixelX0": 310, "ReferencePixelY0": 20, "PhysicalUnitsXDirection": 3, "PhysicalUnitsYDirection": 3,
    "ReferencePixelPhysicalValueX": 0.0, "ReferencePixelPhysicalValueY": 0.0,
    "PhysicalDeltaX": 0.0262287876, "PhysicalDeltaY": 0.0262287876, "TransducerFrequency": 5000,
}


@pytest.mark.parametrize("sop_class", [US, US_MULTIFRAME], ids=["US", "US-mf"])
def test_ultrasound_regions_keep_their_calibration(sop_class):
    region = with_private(item(**REGION), group=0x0019)
    data = make_instance(sop_class, extra={"SequenceOfUltrasoundRegions": [region]})

    result = anonymize(data)
    output = result.to_bytes()

    (kept,) = read(output).SequenceOfUltrasoundRegions
    assert {keyword: kept[keyword].value for keyword in REGION} == REGION
    assert not any(tag.group & 1 for tag in kept.keys())
    assert leaked(planted_in(data), output) == []


@pytest.mark.parametrize("name", ["examples_palette.dcm", "examples_ybr_color.dcm"])
def test_ultrasound_samples_keep_their_regions_unchanged(name):
    before = pydicom.dcmread(pydicom_sample(name))
    after = read(anonymize(pydicom_sample(name)).to_bytes())

    assert len(before.SequenceOfUltrasoundRegions) >= 1
    assert after.SequenceOfUltrasoundRegions == before.SequenceOfUltrasoundRegions


def test_ultrasound_multiframe_keeps_its_playback_rate():
    data = make_instance(US_MULTIFRAME, frames=3, extra={"RecommendedDisplayFrameRate": "25"})

    after = read(anonymize(data).to_bytes())

    assert (after.CineRate, after.RecommendedDisplayFrameRate, after.FrameTime) == (30, 25, 33.3)
    assert after.FrameIncrementPointer == 0x00181063


# ------------------------------------------------------------------ LUT sequences

LUT_DESCRIPTOR = [4, 0, 12]
LUT_DATA = [0, 1365, 2730, 4095]


def lut_item(explanation: str, **values) -> Dataset:
    lut = with_private(item(LUTExplanation=explanation, **values), group=0x0029)
    lut.add_new(0x00283002, "US", LUT_DESCRIPTOR)
    lut.add_new(0x00283006, "US", LUT_DATA)
    return lut


def test_dx_keeps_its_voi_lut_and_flags_the_lut_explanation():
    data = make_instance(DX_PRESENTATION, extra={"VOILUTSequence": [lut_item("SOFT TISSUE")]})

    result = anonymize(data)

    (lut,) = read(result.to_bytes()).VOILUTSequence
    assert (list(lut.LUTDescriptor), list(lut.LUTData), lut.LUTExplanation) == (LUT_DESCRIPTOR, LUT_DATA,
                                                                             "SOFT TISSUE")
    assert not any(tag.group & 1 for tag in lut.keys())
    assert ("(0028,3010)[0].(0028,3003)", FREE_TEXT_KEPT) in levels(result, 2)
    assert levels(result, 1) == []


def test_xa_keeps_its_modality_lut():
    data = make_instance(XA, extra={"ModalityLUTSequence": [lut_item("LOG TO LINEAR", ModalityLUTType="US")]})

    result = anonymize(data)

    (lut,) = read(result.to_bytes()).ModalityLUTSequence
    assert (list(lut.LUTDescriptor), list(lut.LUTData), lut.ModalityLUTType) == (LUT_DESCRIPTOR, LUT_DATA, "US")
    assert ("(0028,3000)[0].(0028,3003)", FREE_TEXT_KEPT) in levels(result, 2)


# ------------------------------------------------------------------ free text that was kept unflagged


def test_position_reference_indicator_is_flagged_as_free_text():
    result = anonymize(make_instance(MR, extra={"PositionReferenceIndicator": "Brain-MRA"}))

    assert read(result.to_bytes()).PositionReferenceIndicator == "Brain-MRA"
    assert ("(0020,1040)", FREE_TEXT_KEPT) in levels(result, 2)


def test_a_pydicom_sample_mr_with_a_copied_study_description_is_flagged():
    # In pydicom's sample MR files, Position Reference Indicator repeats the examination name.
    result = anonymize(pydicom_sample("dicomdirtests/98892003/MR1/5641"))

    assert read(result.to_bytes()).PositionReferenceIndicator == "Brain-MRA"
    assert ("(0020,1040)", FREE_TEXT_KEPT) in levels(result, 2)


def test_window_explanation_is_flagged_as_free_text():
    result = anonymize(pydicom_sample("examples_overlay.dcm"))

    assert list(read(result.to_bytes()).WindowCenterWidthExplanation) == ["WINDOW1", "WINDOW2"]
    assert ("(0028,1055)", FREE_TEXT_KEPT) in levels(result, 2)


# ------------------------------------------------------------------ the rules themselves

VIEWER_RULES = [(name, rule) for name in rp.VIEWER_ADDITIONS for rule in rp.MODULES[name]]
SOURCE_MODULES = [name for name in rp.MODULES if name not in rp.VIEWER_ADDITIONS]

EXPLICITLY_REMOVED = {
    "(0008,2218)": "AnatomicRegionSequence",
    "(0018,9126)": "VolumeLocalizationSequence",
    "(0018,9346)": "CTDIPhantomTypeCodeSequence",
    "(0040,0275)": "RequestAttributesSequence",
    "(0040,030E)": "ExposureDoseSequence",
    "(0054,0012)": "EnergyWindowInformationSequence",
    "(0054,0016)": "RadiopharmaceuticalInformationSequence",
    "(0054,0022)": "DetectorInformationSequence",
    "(0054,0220)": "ViewCodeSequence",
}
"""Radiopaedia's "sequences explicitly removed"; the viewer modules must not bring them back."""

TEXT_KEPT_UNFLAGGED = {
    "StackID": "SH, a stack label the scanner numbers (1, 2 ...)",
    "ImageFilter": "SH, the scanner's filter label, like Convolution Kernel",
    "ModalityLUTType": "LO, but defined terms (OD, HU, US ...)",
}
"""The only text the viewer modules keep without the free-text flag, each reviewed."""


def effective(modules, base=None) -> dict[int, Rule]:
    policy = dict(base or {})
    for name in modules:
        for rule in rp.MODULES[name]:
            policy[rule.tag_int] = rule
    return policy


def all_policies(without_viewer_modules: bool = False) -> dict[str, dict[int, Rule]]:
    def keep(names):
        return [n for n in names if not (without_viewer_modules and n in rp.VIEWER_ADDITIONS)]

    catch_all = effective(keep(rp.CATCH_ALL))
    return {"catch-all": catch_all,
            **{uid_: effective(keep(modules), catch_all) for uid_, (_, modules) in rp.SOP_CLASSES.items()}}


@pytest.mark.parametrize("which,policy", list(all_policies().items()))
def test_the_explicitly_removed_sequences_stay_removed_in_every_policy(which, policy):
    for tag, keyword in EXPLICITLY_REMOVED.items():
        rule = policy[int(tag[1:5] + tag[6:10], 16)]
        assert (rule.keyword, rule.action) == (keyword, REMOVE), (which, tag)


def test_the_viewer_modules_list_none_of_the_explicitly_removed_sequences():
    assert {rule.tag for _, rule in VIEWER_RULES} & set(EXPLICITLY_REMOVED) == set()


def test_explicitly_removed_sequences_inside_kept_ones_are_removed():
    # An Anatomic Region Sequence inside a kept functional group item, and a Volume
    # Localization Sequence in MR spectroscopy, are removed like at the top level.
    ds = read(enhanced_multiframe(MR_SPECTROSCOPY))
    ds.SharedFunctionalGroupsSequence[0].PixelMeasuresSequence[0].AnatomicRegionSequence = [
        item(CodeValue="12738006", CodingSchemeDesignator="SCT", CodeMeaning="Brain")]
    ds.VolumeLocalizationSequence = [item(SlabThickness=20.0, SlabOrientation=[0.0, 0.0, 1.0],
                                          MidSlabPosition=[0.0, 0.0, 0.0])]

    after = read(anonymize(to_bytes(ds)).to_bytes())

    assert "AnatomicRegionSequence" not in after.SharedFunctionalGroupsSequence[0].PixelMeasuresSequence[0]
    assert "VolumeLocalizationSequence" not in after


def test_the_viewer_modules_never_change_a_rule_of_the_source():
    viewer_tags = {rule.tag for _, rule in VIEWER_RULES}
    source_tags = {rule.tag for name in SOURCE_MODULES for rule in rp.MODULES[name]}
    assert viewer_tags & source_tags == set()

    with_them, without_them = all_policies(), all_policies(without_viewer_modules=True)
    for which, policy in without_them.items():
        for tag, rule in policy.items():
            assert with_them[which][tag] is rule, (which, rule.keyword)


def test_the_viewer_modules_are_in_the_catch_all_and_in_the_classes_whose_iod_has_them():
    assert set(rp.VIEWER_ADDITIONS) <= set(rp.CATCH_ALL)
    assert rp.CATCH_ALL[-2:] == ("SOP Class Override", "Sequence Item Contents")
    geometry = {"Enhanced Multi-frame Geometry", "Enhanced Multi-frame Display", "Multi-frame Dimension Index",
                "Physiological Synchronization"}
    expected = {
        "Digital X-Ray Image - For Presentation": {"LUT Sequences"},
        "Digital X-Ray Image - For Processing": {"LUT Sequences"},
        "Digital Mammography X-Ray Image - For Presentation": {"LUT Sequences"},
        "Digital Mammography X-Ray Image - For Processing": {"LUT Sequences"},
        "CT Image": {"LUT Sequences"},
        "Ultrasound Multi-frame Image": {"Ultrasound Regions", "LUT Sequences", "Viewer Timing"},
        "MR Image": {"LUT Sequences", "Viewer Timing"},
        "MR Spectroscopy": geometry | {"Enhanced MR Frame Technique"},
        "Ultrasound Image": {"Ultrasound Regions", "LUT Sequences"},
        "X-Ray Angiographic Image": {"LUT Sequences", "Viewer Timing"},
        "X-Ray Radiofluoroscopic Image": {"LUT Sequences", "Viewer Timing"},
        "X-Ray 3D Angiographic Image": geometry,
        "Nuclear Medicine Image": {"LUT Sequences"},
        "Positron Emission Tomography Image": {"LUT Sequences"},
    }
    assert {name: set(modules) & set(rp.VIEWER_ADDITIONS) for name, modules in rp.SOP_CLASSES.values()} == expected


@pytest.mark.parametrize("name,rule", VIEWER_RULES, ids=lambda x: getattr(x, "keyword", x))
def test_a_viewer_rule_keeps_no_name_date_private_tag_unflagged_text_or_unregenerated_uid(name, rule):
    vr = dictionary_VR(rule.tag_int)
    assert rule.reason.startswith("Project addition: ")
    assert rule.action in (KEEP, REGENERATE)
    assert rule.tag_int >> 16 & 1 == 0, "private"
    assert vr not in ("PN", "DA", "DT", "TM", "AS", "AE"), vr
    if vr == "UI":
        assert rule.action == REGENERATE
    if rule.action == REGENERATE:
        assert vr == "UI"
    if vr in ("SH", "LO", "ST", "LT", "UT", "UC"):
        assert rule.free_text or rule.keyword in TEXT_KEPT_UNFLAGGED, rule.keyword
    assert rule.keyword == keyword_for_tag(rule.tag_int)


# ------------------------------------------------------------------ PS3.15 Table E.1-1

STANDARD_TABLE = Path("/work/shared/standard/table_e1_1_2026d.json")


def basic_profile_codes() -> dict[str, str]:
    """Tag -> Basic Profile action code of every row of PS3.15 Table E.1-1 (2026d)."""
    if STANDARD_TABLE.is_file():
        rows = json.loads(STANDARD_TABLE.read_text(encoding="utf-8"))["rows"]
        return {row["tag"].upper(): row["basic_profile"] for row in rows}
    try:
        from anonymizer.rules.table_e1_1 import ROWS
    except ImportError:
        pytest.skip("neither the standard's Table E.1-1 nor anonymizer.rules.table_e1_1 is available")
    return {row.tag.upper(): row.basic for row in ROWS}


def test_no_viewer_rule_keeps_what_the_basic_profile_removes_or_dummies():
    codes = basic_profile_codes()
    assert len(codes) >= 650

    listed = {rule.tag: (rule.keyword, rule.action, codes[rule.tag]) for _, rule in VIEWER_RULES if rule.tag in codes}

    # The one attribute the viewer modules add that Table E.1-1 lists is a UID the Basic
    # Profile replaces (U), and the policy regenerates it. Every other one is absent from the
    # table: the Basic Profile keeps it too.
    assert listed == {"(0020,9164)": ("DimensionOrganizationUID", REGENERATE, "U")}


def test_the_flags_added_to_the_source_rules_concern_attributes_the_table_does_not_list():
    # Position Reference Indicator and Window Center & Width Explanation are kept by the source
    # and by the Basic Profile alike; this project only flags them.
    codes = basic_profile_codes()
    assert "(0020,1040)" not in codes and "(0028,1055)" not in codes
