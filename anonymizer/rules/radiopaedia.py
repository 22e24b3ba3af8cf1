"""Radiopaedia's whitelist policy, as data.

The facts (which attribute each module lists, with which action and replacement value, and
which modules each SOP class is built from, in which order) were taken from
``src/Policies.ts`` of https://github.com/radiopaedia/dicom-anonymiser at commit
3a350f2a1de91f32b04fb8daa65067e144cdc57e. That code is AGPL: no code or text was copied;
every reason below is written for this project.

How a policy is built (the same as the source):

* A module is an ordered tuple of rules. Overlaying module B on module A means that B's rule
  wins for a tag both list.
* The catch-all policy overlays the modules named in ``CATCH_ALL``, in order.
* The policy for a SOP class listed in ``SOP_CLASSES`` is the catch-all policy overlaid by
  that class's modules, in order. An unknown class gets the catch-all policy alone.
* Every attribute the effective policy does not list is removed (private attributes, curves
  (50xx) and overlays (60xx) are never listed).

Differences from the source, each deliberate:

* Replacement times are written ``000000``; the source writes the equivalent ``0000``.
* Study and Acquisition Date/Time are replaced by ``19700101`` / ``000000`` like Series and
  Content Date/Time; the source empties them.
* Patient's Name is listed (emptied) in "Patient"; the source does not list it, so it drops it.
* "SOP Class Override" records the source's final per-class step that rewrites SOP Class UID
  with the class's own UID: that is a keep.
* The source's two identical multi-frame modules (one used by ultrasound, one by nuclear
  medicine) are one module here, "Multi-frame"; it appears once in ``CATCH_ALL``, at the first
  of the two places, which gives the same result because every module listing those two tags
  keeps them.
* "Sequence Item Contents" (last in ``CATCH_ALL``) is this project's: the engine applies the
  policy inside sequence items as well, whereas the source passes a kept sequence through
  whole. The source keeps no sequence with items, so for its modules this only matters for
  attributes of these tags at the top level; it also gives the code items inside the sequences
  of ``VIEWER_ADDITIONS`` (such as Pixel Value Mapping Code Sequence) their code attributes.
* Digital X-Ray and Digital Mammography "For Processing" are listed with the modules of their
  "For Presentation" class: the source's validator accepts them but its policy map has no
  entry for them (so there they fall back to the catch-all).
* The source regenerates UIDs by hashing only (it has no random regeneration in this policy);
  so does this project, with its own UID function.
* Position Reference Indicator and Window Center & Width Explanation, kept by the source, are
  flagged as free text (a level-2 finding whenever they are not empty): operators type them,
  and some consoles copy a study description into the first (pydicom's sample MR files hold
  ``Brain-MRA``). Filter Type, Receive Coil Name, Paddle Description, Convolution Kernel and
  Code Meaning stay unflagged: the equipment or a coding scheme sets them, not a person
  per patient (Code Meaning would also flag the method codes the anonymiser writes itself).

Beyond the source, for what a radiologist's viewer needs (``VIEWER_ADDITIONS``, each in
``CATCH_ALL`` and in the lists of the classes whose IOD uses it). The source keeps no sequence
with items; this project's engine applies the whitelist inside items as well, so a sequence can
be kept when the policy lists exactly which of its item attributes are technical, and
everything else inside (dates and date-times, free text, references, private attributes) is
still removed:

* "Enhanced Multi-frame Geometry": the Shared and Per-frame Functional Groups Sequences, with
  Pixel Measures, Plane Position (Patient), Plane Orientation (Patient), Frame Content (stack,
  in-stack position, temporal position index, dimension index values; not its date-times,
  comments or label) and Temporal Position. Enhanced and multi-frame objects (MR spectroscopy,
  X-ray 3D, and under the catch-all Enhanced CT/MR/XA ...) otherwise lose all geometry.
* "Enhanced Multi-frame Display": Pixel Value Transformation (rescale), Frame VOI LUT (window)
  and the MR, CT, MR spectroscopy and X-ray 3D frame type sequences.
* "Multi-frame Dimension Index": Dimension Organization and Dimension Index Sequences (the
  source drops them because they hold a UID); Dimension Organization UID is regenerated, so
  the two stay consistent; Dimension Description Label is flagged as free text.
* "Enhanced MR Frame Technique", "Enhanced CT Frame Technique", "Enhanced X-Ray Frame
  Technique", "Physiological Synchronization": the technical functional group macros (MR
  timing, echo, modifiers, diffusion b-value and direction, averages, FOV, velocity encoding;
  CT acquisition, table, geometry, reconstruction, exposure, X-ray details, position; XA/XRF
  pixel properties, calibration, positioner, geometry, pixel shift, field of view; cardiac and
  respiratory delays, which are intervals, not clock times).
* "Ultrasound Regions": the Sequence of Ultrasound Regions, so ultrasound measurements keep
  their calibration.
* "LUT Sequences": VOI LUT and Modality LUT Sequences (LUT Descriptor, LUT Data, Modality LUT
  Type; LUT Explanation flagged as free text) and the enhanced XA/XRF Pixel Intensity
  Relationship LUT.
* "Viewer Timing": Temporal Position Identifier, Number of Temporal Positions, Temporal
  Resolution, Cine Rate, Recommended Display Frame Rate, Frame Delay, Effective Duration,
  Start/Stop Trim, Preferred Playback Sequencing, Nominal Interval.

Deliberately still removed: the source's explicitly removed sequences (Anatomic Region,
Volume Localization, CTDI Phantom Type Code, Request Attributes, Exposure Dose, Energy Window
Information, Radiopharmaceutical Information, Detector Information, View Code) and everything
that holds references, UIDs other than Dimension Organization UID, dates and times or text a
person types: Referenced Image, Derivation Image, Frame Anatomy (it holds Anatomic Region),
Real World Value Mapping (labels and free-text explanations), Irradiation Event
Identification, the MR coil sequences (coil manufacturer names), Water Equivalent Diameter and
Calcium Scoring Mass Factor Patient (measures of the patient's body), Frame Acquisition and
Frame Reference DateTime, Frame Comments, Frame Label. Every attribute these modules add was
checked against PS3.15 Table E.1-1: the only one the Basic Profile lists is Dimension
Organization UID (U), which is regenerated.
"""

from __future__ import annotations

from anonymizer.rules import KEEP, REGENERATE, REMOVE, REPLACE, Rule

SOURCE = (
    "radiopaedia/dicom-anonymiser, src/Policies.ts, "
    "commit 3a350f2a1de91f32b04fb8daa65067e144cdc57e"
)

MODULES: dict[str, tuple[Rule, ...]] = {
    # broadlySafeFieldsPolicy() in the source.
    "Broadly Safe Fields": (
        Rule(
            "(0008,2122)",
            "StageNumber",
            KEEP,
            "Position of the image within a staged (stress echo) protocol; a counter, not "
            "identity.",
        ),
        Rule("(0008,2124)", "NumberOfStages", KEEP, "How many stages the protocol has; a count."),
        Rule(
            "(0008,212A)",
            "NumberOfViewsInStage",
            KEEP,
            "How many views each stage has; a count.",
        ),
        Rule(
            "(0018,0015)",
            "BodyPartExamined",
            KEEP,
            "Coded body part (CHEST, HEAD ...); useful for display and not personal.",
        ),
        Rule(
            "(0018,0025)",
            "AngioFlag",
            KEEP,
            "Whether the acquisition was an angiographic one; a technical flag.",
        ),
        Rule("(0018,0060)", "KVP", KEEP, "Tube voltage; an acquisition parameter."),
        Rule(
            "(0018,0080)",
            "RepetitionTime",
            KEEP,
            "MR repetition time; an acquisition parameter.",
        ),
        Rule("(0018,0081)", "EchoTime", KEEP, "MR echo time; an acquisition parameter."),
        Rule("(0018,0082)", "InversionTime", KEEP, "MR inversion time; an acquisition parameter."),
        Rule(
            "(0018,0083)",
            "NumberOfAverages",
            KEEP,
            "MR signal averages; an acquisition parameter.",
        ),
        Rule(
            "(0018,0084)",
            "ImagingFrequency",
            KEEP,
            "MR imaging frequency; an acquisition parameter.",
        ),
        Rule(
            "(0018,0085)",
            "ImagedNucleus",
            KEEP,
            "Nucleus that was imaged (for example 1H); a physics parameter, not free text.",
        ),
        Rule(
            "(0018,0086)",
            "EchoNumbers",
            KEEP,
            "Which echo of the train this image is; an acquisition counter.",
        ),
        Rule(
            "(0018,0087)",
            "MagneticFieldStrength",
            KEEP,
            "Magnet field strength; an equipment parameter shared by many scanners.",
        ),
        Rule(
            "(0018,0088)",
            "SpacingBetweenSlices",
            KEEP,
            "Distance between slices; needed for correct 3D display.",
        ),
        Rule(
            "(0018,0089)",
            "NumberOfPhaseEncodingSteps",
            KEEP,
            "MR phase encoding steps; an acquisition parameter.",
        ),
        Rule(
            "(0018,0090)",
            "DataCollectionDiameter",
            KEEP,
            "Diameter of the region from which data were collected; an acquisition parameter.",
        ),
        Rule(
            "(0018,0091)",
            "EchoTrainLength",
            KEEP,
            "MR echo train length; an acquisition parameter.",
        ),
        Rule(
            "(0018,0093)",
            "PercentSampling",
            KEEP,
            "MR percent sampling; an acquisition parameter.",
        ),
        Rule(
            "(0018,0094)",
            "PercentPhaseFieldOfView",
            KEEP,
            "MR phase field of view percentage; an acquisition parameter.",
        ),
        Rule(
            "(0018,0095)",
            "PixelBandwidth",
            KEEP,
            "Receiver bandwidth per pixel; an acquisition parameter.",
        ),
        Rule(
            "(0018,1042)",
            "ContrastBolusStartTime",
            KEEP,
            "Clock time at which contrast started; kept by the source even though it is a time "
            "of day (the study date and time are removed, so it does not date the visit).",
        ),
        Rule(
            "(0018,1050)",
            "SpatialResolution",
            KEEP,
            "Nominal spatial resolution; an acquisition parameter.",
        ),
        Rule(
            "(0018,1064)",
            "CardiacFramingType",
            KEEP,
            "Coded cardiac framing type (FORW, BACK, PCNT); an acquisition parameter, not free "
            "text.",
        ),
        Rule(
            "(0018,1081)",
            "LowRRValue",
            KEEP,
            "Lower R-R limit accepted during gating; a technical setting.",
        ),
        Rule(
            "(0018,1082)",
            "HighRRValue",
            KEEP,
            "Upper R-R limit accepted during gating; a technical setting.",
        ),
        Rule(
            "(0018,1083)",
            "IntervalsAcquired",
            KEEP,
            "Number of cardiac intervals acquired; a count.",
        ),
        Rule(
            "(0018,1084)",
            "IntervalsRejected",
            KEEP,
            "Number of cardiac intervals rejected; a count.",
        ),
        Rule(
            "(0018,1086)",
            "SkipBeats",
            KEEP,
            "Beats skipped between acquisitions; a gating setting.",
        ),
        Rule(
            "(0018,1088)",
            "HeartRate",
            KEEP,
            "Average heart rate during the acquisition; physiology that cannot single out a "
            "person.",
        ),
        Rule(
            "(0018,1090)",
            "CardiacNumberOfImages",
            KEEP,
            "Number of images per cardiac cycle; a count.",
        ),
        Rule("(0018,1094)", "TriggerWindow", KEEP, "Gating trigger window; a technical setting."),
        Rule(
            "(0018,1100)",
            "ReconstructionDiameter",
            KEEP,
            "Diameter of the reconstructed field; needed to interpret the image.",
        ),
        Rule(
            "(0018,1110)",
            "DistanceSourceToDetector",
            KEEP,
            "Source to detector distance; geometry needed for measurements.",
        ),
        Rule(
            "(0018,1111)",
            "DistanceSourceToPatient",
            KEEP,
            "Source to patient distance; geometry needed for measurements.",
        ),
        Rule(
            "(0018,1114)",
            "EstimatedRadiographicMagnificationFactor",
            KEEP,
            "Estimated magnification; needed for correct measurements.",
        ),
        Rule(
            "(0018,1120)",
            "GantryDetectorTilt",
            KEEP,
            "Gantry or detector tilt; geometry needed for display.",
        ),
        Rule("(0018,1130)", "TableHeight", KEEP, "Table height; an acquisition geometry value."),
        Rule(
            "(0018,1140)",
            "RotationDirection",
            KEEP,
            "Direction of gantry or detector rotation; a technical value.",
        ),
        Rule("(0018,1150)", "ExposureTime", KEEP, "Exposure duration; an acquisition parameter."),
        Rule("(0018,1151)", "XRayTubeCurrent", KEEP, "Tube current; an acquisition parameter."),
        Rule("(0018,1152)", "Exposure", KEEP, "Exposure in mAs; an acquisition parameter."),
        Rule(
            "(0018,1153)",
            "ExposureInuAs",
            KEEP,
            "Exposure in microampere-seconds; an acquisition parameter.",
        ),
        Rule(
            "(0018,115E)",
            "ImageAndFluoroscopyAreaDoseProduct",
            KEEP,
            "Dose-area product; a radiation dose value, not identity.",
        ),
        Rule(
            "(0018,1160)",
            "FilterType",
            KEEP,
            "Type of beam filter (STRIP, WEDGE, ...); equipment setting, not free text.",
        ),
        Rule(
            "(0018,1162)",
            "IntensifierSize",
            KEEP,
            "Image intensifier size; an equipment value.",
        ),
        Rule("(0018,1166)", "Grid", KEEP, "Anti-scatter grid state; an equipment value."),
        Rule("(0018,1170)", "GeneratorPower", KEEP, "Generator power; an equipment value."),
        Rule("(0018,1190)", "FocalSpots", KEEP, "Focal spot size; an equipment value."),
        Rule("(0018,1191)", "AnodeTargetMaterial", KEEP, "Anode material; an equipment value."),
        Rule(
            "(0018,11A0)",
            "BodyPartThickness",
            KEEP,
            "Compressed body part thickness; a technical measurement too coarse to identify "
            "anyone.",
        ),
        Rule("(0018,11A2)", "CompressionForce", KEEP, "Compression force; a technical value."),
        Rule(
            "(0018,11A4)",
            "PaddleDescription",
            KEEP,
            "Label of the compression paddle, set by the device rather than typed per patient; "
            "not treated as free text.",
        ),
        Rule(
            "(0018,1210)",
            "ConvolutionKernel",
            KEEP,
            "Vendor name of the reconstruction kernel (B30f, STANDARD ...); set by the scanner, "
            "not typed per patient, so not treated as free text.",
        ),
        Rule(
            "(0018,1310)",
            "AcquisitionMatrix",
            KEEP,
            "Acquisition matrix size; an acquisition parameter.",
        ),
        Rule(
            "(0018,1312)",
            "InPlanePhaseEncodingDirection",
            KEEP,
            "Phase encoding direction; an acquisition parameter.",
        ),
        Rule("(0018,1314)", "FlipAngle", KEEP, "Flip angle; an acquisition parameter."),
        Rule(
            "(0018,1315)",
            "VariableFlipAngleFlag",
            KEEP,
            "Whether the flip angle varied; a technical flag.",
        ),
        Rule("(0018,1316)", "SAR", KEEP, "Specific absorption rate; a safety value."),
        Rule(
            "(0018,1405)",
            "RelativeXRayExposure",
            KEEP,
            "Relative exposure index; a technical value.",
        ),
        Rule(
            "(0018,1500)",
            "PositionerMotion",
            KEEP,
            "Positioner motion (STATIC/DYNAMIC); a technical value.",
        ),
        Rule(
            "(0018,1510)",
            "PositionerPrimaryAngle",
            KEEP,
            "Positioner primary angle; geometry needed for display.",
        ),
        Rule(
            "(0018,1511)",
            "PositionerSecondaryAngle",
            KEEP,
            "Positioner secondary angle; geometry needed for display.",
        ),
        Rule(
            "(0018,5100)",
            "PatientPosition",
            KEEP,
            "Patient position on the table (HFS, FFS ...); needed to orient the image.",
        ),
        Rule(
            "(0018,5101)",
            "ViewPosition",
            KEEP,
            "Radiographic view (PA, AP, LL ...); needed to interpret the image.",
        ),
        Rule(
            "(0018,7001)",
            "DetectorTemperature",
            KEEP,
            "Detector temperature; an equipment value.",
        ),
        Rule(
            "(0018,701A)",
            "DetectorBinning",
            KEEP,
            "Detector binning; an acquisition parameter.",
        ),
        Rule(
            "(0018,7030)",
            "FieldOfViewOrigin",
            KEEP,
            "Field of view origin on the detector; geometry.",
        ),
        Rule(
            "(0018,7032)",
            "FieldOfViewRotation",
            KEEP,
            "Field of view rotation; geometry needed for display.",
        ),
        Rule(
            "(0018,7034)",
            "FieldOfViewHorizontalFlip",
            KEEP,
            "Field of view flip; geometry needed for display.",
        ),
        Rule("(0018,7050)", "FilterMaterial", KEEP, "Filter material; an equipment value."),
        Rule(
            "(0018,7052)",
            "FilterThicknessMinimum",
            KEEP,
            "Minimum filter thickness; an equipment value.",
        ),
        Rule(
            "(0018,7054)",
            "FilterThicknessMaximum",
            KEEP,
            "Maximum filter thickness; an equipment value.",
        ),
        Rule(
            "(0018,7060)",
            "ExposureControlMode",
            KEEP,
            "Exposure control mode; an equipment setting.",
        ),
        Rule(
            "(0018,7062)",
            "ExposureControlModeDescription",
            KEEP,
            "Free-text description of exposure control; kept by the source but flagged because "
            "its text is unconstrained.",
            free_text=True,
        ),
        Rule(
            "(0018,9037)",
            "CardiacSynchronizationTechnique",
            KEEP,
            "Cardiac synchronisation technique; a coded setting.",
        ),
        Rule(
            "(0018,9070)",
            "CardiacRRIntervalSpecified",
            KEEP,
            "Specified R-R interval; a gating setting.",
        ),
        Rule(
            "(0018,9085)",
            "CardiacSignalSource",
            KEEP,
            "Source of the cardiac signal; a coded setting.",
        ),
        Rule(
            "(0018,9169)",
            "CardiacBeatRejectionTechnique",
            KEEP,
            "Beat rejection technique; a coded setting.",
        ),
        Rule(
            "(0018,9170)",
            "RespiratoryMotionCompensationTechnique",
            KEEP,
            "Respiratory motion compensation technique; a coded setting.",
        ),
        Rule(
            "(0018,9171)",
            "RespiratorySignalSource",
            KEEP,
            "Respiratory signal source; a coded setting.",
        ),
        Rule(
            "(0018,9172)",
            "BulkMotionCompensationTechnique",
            KEEP,
            "Bulk motion compensation technique; a coded setting.",
        ),
        Rule(
            "(0018,9173)",
            "BulkMotionSignalSource",
            KEEP,
            "Bulk motion signal source; a coded setting.",
        ),
        Rule(
            "(0018,9306)",
            "SingleCollimationWidth",
            KEEP,
            "CT single collimation width; an acquisition parameter.",
        ),
        Rule(
            "(0018,9307)",
            "TotalCollimationWidth",
            KEEP,
            "CT total collimation width; an acquisition parameter.",
        ),
        Rule("(0018,9309)", "TableSpeed", KEEP, "Table speed; an acquisition parameter."),
        Rule(
            "(0018,9310)",
            "TableFeedPerRotation",
            KEEP,
            "Table feed per rotation; an acquisition parameter.",
        ),
        Rule("(0018,9311)", "SpiralPitchFactor", KEEP, "Spiral pitch; an acquisition parameter."),
        Rule(
            "(0018,9318)",
            "ReconstructionTargetCenterPatient",
            KEEP,
            "Centre of reconstruction in patient coordinates; geometry.",
        ),
        Rule(
            "(0018,9323)",
            "ExposureModulationType",
            KEEP,
            "Exposure modulation type; an acquisition setting.",
        ),
        Rule("(0018,9324)", "EstimatedDoseSaving", KEEP, "Estimated dose saving; a dose value."),
        Rule(
            "(0018,9345)",
            "CTDIvol",
            KEEP,
            "CT dose index (CTDIvol); a dose value, not identity.",
        ),
        Rule(
            "(0018,9346)",
            "CTDIPhantomTypeCodeSequence",
            REMOVE,
            "Code items the source does not inspect; the whole sequence is dropped.",
        ),
        Rule(
            "(0018,9559)",
            "PositionerPrimaryAngleDirection",
            KEEP,
            "Direction of the positioner primary angle; geometry.",
        ),
        Rule(
            "(0020,0011)",
            "SeriesNumber",
            KEEP,
            "Series number; orders series within a study, not an identifier outside it.",
        ),
        Rule(
            "(0020,0012)",
            "AcquisitionNumber",
            KEEP,
            "Acquisition number; a counter within the study.",
        ),
        Rule(
            "(0020,0013)",
            "InstanceNumber",
            KEEP,
            "Instance number; needed to order the images of a stack.",
        ),
        Rule(
            "(0020,0020)",
            "PatientOrientation",
            KEEP,
            "Patient orientation letters (A, P, L, R ...); needed to orient the image.",
        ),
        Rule(
            "(0020,0060)",
            "Laterality",
            KEEP,
            "Laterality of the body part (R, L); clinically needed, not personal.",
        ),
        Rule("(0020,1002)", "ImagesInAcquisition", KEEP, "Images in the acquisition; a count."),
        Rule(
            "(0020,1040)",
            "PositionReferenceIndicator",
            KEEP,
            "Anatomical reference point used for positions (for example IC, SN). Kept by the "
            "source; flagged as free text because consoles let the operator type it, and some "
            "copy the study description into it (Brain-MRA).",
            free_text=True,
        ),
        Rule("(0020,1041)", "SliceLocation", KEEP, "Slice location; needed to order slices."),
        Rule(
            "(0020,9250)",
            "RespiratoryTriggerType",
            KEEP,
            "Respiratory trigger type; a coded setting.",
        ),
        Rule(
            "(0020,9256)",
            "RespiratoryTriggerDelayThreshold",
            KEEP,
            "Respiratory trigger delay threshold; a gating setting.",
        ),
        Rule(
            "(0028,0106)",
            "SmallestImagePixelValue",
            KEEP,
            "Smallest pixel value in the image; a pixel statistic.",
        ),
        Rule(
            "(0028,0107)",
            "LargestImagePixelValue",
            KEEP,
            "Largest pixel value in the image; a pixel statistic.",
        ),
        Rule(
            "(0028,0121)",
            "PixelPaddingRangeLimit",
            KEEP,
            "Upper limit of the padding range; needed to hide padding pixels.",
        ),
        Rule(
            "(0028,0300)",
            "QualityControlImage",
            KEEP,
            "Whether the image is a quality control phantom image; a flag.",
        ),
        Rule(
            "(0028,0A04)",
            "PixelSpacingCalibrationDescription",
            KEEP,
            "Free-text note on how pixel spacing was calibrated; kept by the source but flagged "
            "because an operator can type anything there.",
            free_text=True,
        ),
        Rule(
            "(0028,1055)",
            "WindowCenterWidthExplanation",
            KEEP,
            "Labels of the window presets (for example BONE, LUNG). Kept by the source; flagged "
            "as free text because the presets are named by the people who define them.",
            free_text=True,
        ),
        Rule(
            "(0028,1300)",
            "BreastImplantPresent",
            KEEP,
            "Whether a breast implant is present; a clinically needed flag that cannot single "
            "anyone out.",
        ),
        Rule("(0040,0301)", "TotalNumberOfExposures", KEEP, "Number of exposures; a count."),
        Rule(
            "(0040,030E)",
            "ExposureDoseSequence",
            REMOVE,
            "Per-exposure dose items the source does not inspect; the whole sequence is dropped.",
        ),
        Rule("(0040,0314)", "HalfValueLayer", KEEP, "Half value layer; a beam quality value."),
        Rule("(0040,0316)", "OrganDose", KEEP, "Organ dose; a dose value."),
        Rule("(0040,8302)", "EntranceDoseInmGy", KEEP, "Entrance dose; a dose value."),
        Rule(
            "(0054,0220)",
            "ViewCodeSequence",
            REMOVE,
            "Code items the source does not inspect; the whole sequence is dropped.",
        ),
        Rule(
            "(0018,0010)",
            "ContrastBolusAgent",
            KEEP,
            "Name of the contrast agent; often typed by the technologist, so flagged as free "
            "text.",
            free_text=True,
        ),
        Rule(
            "(0018,9352)",
            "CalciumScoringMassFactorDevice",
            KEEP,
            "Calcium scoring calibration factor of the device; a technical value.",
        ),
        Rule(
            "(0018,1048)",
            "ContrastBolusIngredient",
            KEEP,
            "Coded active ingredient of the contrast (IODINE, GADOLINIUM ...).",
        ),
        Rule(
            "(0018,1154)",
            "AveragePulseWidth",
            KEEP,
            "Average X-ray pulse width; an acquisition parameter.",
        ),
        Rule(
            "(0018,115A)",
            "RadiationMode",
            KEEP,
            "Radiation mode (CONTINUOUS/PULSED); an acquisition setting.",
        ),
        Rule(
            "(0018,7006)",
            "DetectorDescription",
            KEEP,
            "Free-text description of the detector; kept by the source but flagged because a "
            "site can write anything there (including its own name).",
            free_text=True,
        ),
        Rule(
            "(0028,1056)",
            "VOILUTFunction",
            KEEP,
            "VOI LUT function (LINEAR, SIGMOID); needed to display the image.",
        ),
        Rule(
            "(0028,6010)",
            "RepresentativeFrameNumber",
            KEEP,
            "Which frame best represents a multi-frame image; a frame index.",
        ),
        Rule(
            "(0040,0275)",
            "RequestAttributesSequence",
            REMOVE,
            "Holds order data such as requested procedure IDs and accession numbers; dropped.",
        ),
        Rule(
            "(0008,103E)",
            "SeriesDescription",
            KEEP,
            "Series description, kept by the source because it names the sequence or protocol; "
            "flagged as free text because operators can type identifying words into it.",
            free_text=True,
        ),
    ),
    # acquisitionContextModulePolicy() in the source.
    "Acquisition Context": (
        Rule(
            "(0040,0555)",
            "AcquisitionContextSequence",
            REPLACE,
            "Its items can hold free observations made during the acquisition; the source keeps "
            "the sequence but with no items.",
            value="",
        ),
    ),
    # dxAnatomyImagedModulePolicy() in the source.
    "DX Anatomy Imaged": (
        Rule(
            "(0020,0062)",
            "ImageLaterality",
            KEEP,
            "Laterality of the imaged part (R, L, B); clinically needed, not personal.",
        ),
        Rule(
            "(0008,2218)",
            "AnatomicRegionSequence",
            REMOVE,
            "Code items the source does not inspect; the whole sequence is dropped.",
        ),
    ),
    # dxDetectorModulePolicy() in the source.
    "DX Detector": (
        Rule(
            "(0018,7004)",
            "DetectorType",
            KEEP,
            "Detector technology (DIRECT, SCINTILLATOR ...); an equipment value.",
        ),
        Rule(
            "(0018,1164)",
            "ImagerPixelSpacing",
            KEEP,
            "Physical detector pixel spacing; needed for measurements.",
        ),
    ),
    # dxImageModulePolicy() in the source.
    "DX Image": (
        Rule(
            "(0008,0008)",
            "ImageType",
            KEEP,
            "Image Type flags (ORIGINAL/DERIVED, PRIMARY, AXIAL ...) describe how the image was "
            "made, not who it shows.",
        ),
        Rule(
            "(0028,0002)",
            "SamplesPerPixel",
            KEEP,
            "Samples per pixel; needed to decode the pixel data.",
        ),
        Rule(
            "(0028,0004)",
            "PhotometricInterpretation",
            KEEP,
            "Photometric interpretation; needed to decode and display the pixel data.",
        ),
        Rule(
            "(0028,0100)",
            "BitsAllocated",
            KEEP,
            "Bits allocated; needed to decode the pixel data.",
        ),
        Rule("(0028,0101)", "BitsStored", KEEP, "Bits stored; needed to decode the pixel data."),
        Rule("(0028,0102)", "HighBit", KEEP, "High bit; needed to decode the pixel data."),
        Rule(
            "(0028,0103)",
            "PixelRepresentation",
            KEEP,
            "Pixel representation (signed or not); needed to decode the pixel data.",
        ),
        Rule(
            "(0028,1040)",
            "PixelIntensityRelationship",
            KEEP,
            "Pixel intensity relationship (LIN, LOG); needed to interpret the values.",
        ),
        Rule(
            "(0028,1041)",
            "PixelIntensityRelationshipSign",
            KEEP,
            "Sign of the intensity relationship; needed to interpret the values.",
        ),
        Rule(
            "(0028,1052)",
            "RescaleIntercept",
            KEEP,
            "Rescale intercept; needed to turn stored values into real units (for example HU).",
        ),
        Rule(
            "(0028,1053)",
            "RescaleSlope",
            KEEP,
            "Rescale slope; needed to turn stored values into real units.",
        ),
        Rule(
            "(0028,1054)",
            "RescaleType",
            KEEP,
            "Unit of the rescaled values (HU, OD, US ...); a defined term, not free text.",
        ),
        Rule(
            "(2050,0020)",
            "PresentationLUTShape",
            KEEP,
            "Presentation LUT shape (IDENTITY, INVERSE); needed to display the image.",
        ),
        Rule(
            "(0028,2110)",
            "LossyImageCompression",
            KEEP,
            "Whether lossy compression was ever applied; a quality flag.",
        ),
        Rule(
            "(0028,2112)",
            "LossyImageCompressionRatio",
            KEEP,
            "Lossy compression ratio; a quality value.",
        ),
        Rule(
            "(0028,0301)",
            "BurnedInAnnotation",
            KEEP,
            "Whether text is burnt into the pixels; kept so a reviewer and the validator know to "
            "look.",
        ),
        Rule(
            "(0028,1050)",
            "WindowCenter",
            KEEP,
            "Default window centre; needed for a sensible display.",
        ),
        Rule(
            "(0028,1051)",
            "WindowWidth",
            KEEP,
            "Default window width; needed for a sensible display.",
        ),
        Rule("(0018,0081)", "EchoTime", KEEP, "MR echo time; an acquisition parameter."),
        Rule("(0018,0082)", "InversionTime", KEEP, "MR inversion time; an acquisition parameter."),
        Rule(
            "(0018,0091)",
            "EchoTrainLength",
            KEEP,
            "MR echo train length; an acquisition parameter.",
        ),
        Rule(
            "(0008,0005)",
            "SpecificCharacterSet",
            KEEP,
            "Names the character repertoire of the text values; needed to decode them, says "
            "nothing about the patient.",
        ),
        Rule(
            "(0018,0025)",
            "AngioFlag",
            KEEP,
            "Whether the acquisition was an angiographic one; a technical flag.",
        ),
        Rule(
            "(0018,0083)",
            "NumberOfAverages",
            KEEP,
            "MR signal averages; an acquisition parameter.",
        ),
        Rule(
            "(0018,0084)",
            "ImagingFrequency",
            KEEP,
            "MR imaging frequency; an acquisition parameter.",
        ),
        Rule(
            "(0018,0085)",
            "ImagedNucleus",
            KEEP,
            "Nucleus that was imaged (for example 1H); a physics parameter, not free text.",
        ),
        Rule(
            "(0018,0086)",
            "EchoNumbers",
            KEEP,
            "Which echo of the train this image is; an acquisition counter.",
        ),
        Rule(
            "(0018,0087)",
            "MagneticFieldStrength",
            KEEP,
            "Magnet field strength; an equipment parameter shared by many scanners.",
        ),
        Rule(
            "(0018,0088)",
            "SpacingBetweenSlices",
            KEEP,
            "Distance between slices; needed for correct 3D display.",
        ),
        Rule(
            "(0018,0093)",
            "PercentSampling",
            KEEP,
            "MR percent sampling; an acquisition parameter.",
        ),
        Rule(
            "(0018,0094)",
            "PercentPhaseFieldOfView",
            KEEP,
            "MR phase field of view percentage; an acquisition parameter.",
        ),
        Rule(
            "(0018,0095)",
            "PixelBandwidth",
            KEEP,
            "Receiver bandwidth per pixel; an acquisition parameter.",
        ),
        Rule(
            "(0018,1088)",
            "HeartRate",
            KEEP,
            "Average heart rate during the acquisition; physiology that cannot single out a "
            "person.",
        ),
        Rule(
            "(0018,1090)",
            "CardiacNumberOfImages",
            KEEP,
            "Number of images per cardiac cycle; a count.",
        ),
        Rule("(0018,1094)", "TriggerWindow", KEEP, "Gating trigger window; a technical setting."),
        Rule(
            "(0018,1100)",
            "ReconstructionDiameter",
            KEEP,
            "Diameter of the reconstructed field; needed to interpret the image.",
        ),
        Rule(
            "(0018,1250)",
            "ReceiveCoilName",
            KEEP,
            "Name of the receive coil as the vendor labels it; equipment, not typed per patient, "
            "so not treated as free text.",
        ),
        Rule(
            "(0018,1310)",
            "AcquisitionMatrix",
            KEEP,
            "Acquisition matrix size; an acquisition parameter.",
        ),
        Rule(
            "(0018,1312)",
            "InPlanePhaseEncodingDirection",
            KEEP,
            "Phase encoding direction; an acquisition parameter.",
        ),
        Rule("(0018,1314)", "FlipAngle", KEEP, "Flip angle; an acquisition parameter."),
        Rule(
            "(0018,1315)",
            "VariableFlipAngleFlag",
            KEEP,
            "Whether the flip angle varied; a technical flag.",
        ),
        Rule("(0018,1316)", "SAR", KEEP, "Specific absorption rate; a safety value."),
        Rule(
            "(0018,5100)",
            "PatientPosition",
            KEEP,
            "Patient position on the table (HFS, FFS ...); needed to orient the image.",
        ),
        Rule(
            "(0020,0060)",
            "Laterality",
            KEEP,
            "Laterality of the body part (R, L); clinically needed, not personal.",
        ),
        Rule(
            "(0020,1040)",
            "PositionReferenceIndicator",
            KEEP,
            "Anatomical reference point used for positions (for example IC, SN). Kept by the "
            "source; flagged as free text because consoles let the operator type it, and some "
            "copy the study description into it (Brain-MRA).",
            free_text=True,
        ),
        Rule("(0020,1041)", "SliceLocation", KEEP, "Slice location; needed to order slices."),
    ),
    # dxSeriesModulePolicy() in the source.
    "DX Series": (
        Rule(
            "(0008,0060)",
            "Modality",
            KEEP,
            "Modality code (CT, MR, US ...); a viewer needs it and it is not personal.",
        ),
        Rule(
            "(0008,0068)",
            "PresentationIntentType",
            KEEP,
            "Whether the image is meant for display or for processing; a technical flag.",
        ),
    ),
    # generalEquipmentModulePolicy() in the source.
    "General Equipment": (
        Rule(
            "(0008,0070)",
            "Manufacturer",
            REPLACE,
            "The maker's name narrows down the site that produced the image; emptied.",
            value="",
        ),
        Rule(
            "(0028,0120)",
            "PixelPaddingValue",
            KEEP,
            "Pixel padding value; needed to hide padding pixels.",
        ),
    ),
    # generalSeriesModulePolicy() in the source.
    "General Series": (
        Rule(
            "(0008,0060)",
            "Modality",
            KEEP,
            "Modality code (CT, MR, US ...); a viewer needs it and it is not personal.",
        ),
        Rule(
            "(0020,000E)",
            "SeriesInstanceUID",
            REGENERATE,
            "Series UIDs can encode site and time; replaced by a hash so images of one series "
            "still group together.",
        ),
    ),
    # generalStudyModulePolicy() in the source.
    "General Study": (
        Rule(
            "(0020,000D)",
            "StudyInstanceUID",
            REGENERATE,
            "Study UIDs can encode site and time; replaced by a hash so images of one study "
            "still group together.",
        ),
        Rule(
            "(0008,0020)",
            "StudyDate",
            REPLACE,
            "The study date helps re-identify a patient; replaced by the fixed date 19700101 "
            "(the source empties it; a fixed value keeps viewers that sort by date working).",
            value="19700101",
        ),
        Rule(
            "(0008,0030)",
            "StudyTime",
            REPLACE,
            "The study time helps re-identify a patient; replaced by the fixed time 000000 (the "
            "source empties it).",
            value="000000",
        ),
        Rule(
            "(0008,0090)",
            "ReferringPhysicianName",
            REPLACE,
            "Names a clinician, which points at the patient's care; emptied.",
            value="",
        ),
        Rule(
            "(0020,0010)",
            "StudyID",
            REPLACE,
            "Study ID is a site-assigned identifier; emptied.",
            value="",
        ),
        Rule(
            "(0008,0050)",
            "AccessionNumber",
            REPLACE,
            "The accession number is the hospital's order identifier; emptied.",
            value="",
        ),
        Rule(
            "(0008,0016)",
            "SOPClassUID",
            KEEP,
            "Standard UID naming the kind of object; it selects the policy and says nothing "
            "about the patient.",
        ),
    ),
    # imagePixelModulePolicy() in the source.
    "Image Pixel": (
        Rule(
            "(0028,0002)",
            "SamplesPerPixel",
            KEEP,
            "Samples per pixel; needed to decode the pixel data.",
        ),
        Rule(
            "(0028,0004)",
            "PhotometricInterpretation",
            KEEP,
            "Photometric interpretation; needed to decode and display the pixel data.",
        ),
        Rule("(0028,0010)", "Rows", KEEP, "Rows; needed to decode the pixel data."),
        Rule("(0028,0011)", "Columns", KEEP, "Columns; needed to decode the pixel data."),
        Rule("(0028,0030)", "PixelSpacing", KEEP, "Pixel spacing; needed for measurements."),
        Rule(
            "(0028,0100)",
            "BitsAllocated",
            KEEP,
            "Bits allocated; needed to decode the pixel data.",
        ),
        Rule("(0028,0101)", "BitsStored", KEEP, "Bits stored; needed to decode the pixel data."),
        Rule("(0028,0102)", "HighBit", KEEP, "High bit; needed to decode the pixel data."),
        Rule(
            "(0028,0103)",
            "PixelRepresentation",
            KEEP,
            "Pixel representation (signed or not); needed to decode the pixel data.",
        ),
        Rule(
            "(0028,0006)",
            "PlanarConfiguration",
            KEEP,
            "Planar configuration; needed to decode colour pixel data.",
        ),
        Rule(
            "(0028,0034)",
            "PixelAspectRatio",
            KEEP,
            "Pixel aspect ratio; needed to display the image undistorted.",
        ),
        Rule(
            "(7FE0,0010)",
            "PixelData",
            KEEP,
            "The image itself; burnt-in text is a separate check (Burned In Annotation).",
        ),
    ),
    # patientModulePolicy() in the source.
    "Patient": (
        Rule(
            "(0010,0010)",
            "PatientName",
            REPLACE,
            "Direct identity. Not listed by the source, whose tool therefore drops it; here the "
            "type 2 element stays, emptied (project addition).",
            value="",
        ),
        Rule(
            "(0010,1010)",
            "PatientAge",
            REPLACE,
            "Age can narrow down who the patient is (and is direct identity above 89); emptied.",
            value="",
        ),
        Rule(
            "(0010,0020)",
            "PatientID",
            REPLACE,
            "The patient identifier is direct identity; emptied.",
            value="",
        ),
        Rule(
            "(0010,1020)",
            "PatientSize",
            REPLACE,
            "Body height is a personal measurement; emptied.",
            value="",
        ),
        Rule(
            "(0010,1030)",
            "PatientWeight",
            REPLACE,
            "Body weight is a personal measurement; emptied.",
            value="",
        ),
        Rule(
            "(0010,0040)",
            "PatientSex",
            KEEP,
            "Patient's sex is kept: it is clinically useful and too coarse to single anyone out.",
        ),
    ),
    # sopCommonModulePolicy() in the source.
    "SOP Common": (
        Rule(
            "(0008,0016)",
            "SOPClassUID",
            KEEP,
            "Standard UID naming the kind of object; it selects the policy and says nothing "
            "about the patient.",
        ),
        Rule(
            "(0008,0018)",
            "SOPInstanceUID",
            REGENERATE,
            "Instance UIDs can encode site, device and time; replaced by a hash so every file "
            "stays unique and references still match.",
        ),
    ),
    # mammographySeriesModulePolicy() in the source.
    "Mammography Series": (
        Rule(
            "(0008,0060)",
            "Modality",
            KEEP,
            "Modality code (CT, MR, US ...); a viewer needs it and it is not personal.",
        ),
    ),
    # mammographyImageModulePolicy() in the source.
    "Mammography Image": (
        Rule(
            "(0008,0008)",
            "ImageType",
            KEEP,
            "Image Type flags (ORIGINAL/DERIVED, PRIMARY, AXIAL ...) describe how the image was "
            "made, not who it shows.",
        ),
        Rule(
            "(0018,1508)",
            "PositionerType",
            KEEP,
            "Positioner type (CARM, COLUMN ...); an equipment value.",
        ),
        Rule(
            "(0020,0062)",
            "ImageLaterality",
            KEEP,
            "Laterality of the imaged part (R, L, B); clinically needed, not personal.",
        ),
        Rule(
            "(0040,0318)",
            "OrganExposed",
            KEEP,
            "Coded organ that received the exposure (BREAST ...); not personal.",
        ),
    ),
    # frameOfReferenceModulePolicy() in the source.
    "Frame of Reference": (
        Rule(
            "(0020,0052)",
            "FrameOfReferenceUID",
            REGENERATE,
            "Frame of Reference UIDs can encode site and time; replaced by a hash so images "
            "sharing a coordinate system still match.",
        ),
    ),
    # imagePlaneModulePolicy() in the source.
    "Image Plane": (
        Rule("(0028,0030)", "PixelSpacing", KEEP, "Pixel spacing; needed for measurements."),
        Rule(
            "(0020,0037)",
            "ImageOrientationPatient",
            KEEP,
            "Orientation of the image in patient coordinates; needed to place slices in 3D.",
        ),
        Rule(
            "(0020,0032)",
            "ImagePositionPatient",
            KEEP,
            "Position of the image in patient coordinates; needed to place slices in 3D.",
        ),
        Rule(
            "(0018,0050)",
            "SliceThickness",
            KEEP,
            "Slice thickness; needed for correct 3D display.",
        ),
    ),
    # ctImageModulePolicy() in the source.
    "CT Image": (
        Rule(
            "(0008,0008)",
            "ImageType",
            KEEP,
            "Image Type flags (ORIGINAL/DERIVED, PRIMARY, AXIAL ...) describe how the image was "
            "made, not who it shows.",
        ),
        Rule(
            "(0028,0002)",
            "SamplesPerPixel",
            KEEP,
            "Samples per pixel; needed to decode the pixel data.",
        ),
        Rule(
            "(0028,0004)",
            "PhotometricInterpretation",
            KEEP,
            "Photometric interpretation; needed to decode and display the pixel data.",
        ),
        Rule(
            "(0028,0100)",
            "BitsAllocated",
            KEEP,
            "Bits allocated; needed to decode the pixel data.",
        ),
        Rule("(0028,0101)", "BitsStored", KEEP, "Bits stored; needed to decode the pixel data."),
        Rule("(0028,0102)", "HighBit", KEEP, "High bit; needed to decode the pixel data."),
        Rule(
            "(0028,1052)",
            "RescaleIntercept",
            KEEP,
            "Rescale intercept; needed to turn stored values into real units (for example HU).",
        ),
        Rule(
            "(0028,1053)",
            "RescaleSlope",
            KEEP,
            "Rescale slope; needed to turn stored values into real units.",
        ),
    ),
    # cineModulePolicy() in the source.
    "Cine": (
        Rule("(0018,1063)", "FrameTime", KEEP, "Time between frames; needed to play a cine loop."),
        Rule(
            "(0018,1065)",
            "FrameTimeVector",
            KEEP,
            "Per-frame time increments; needed to play a cine loop.",
        ),
        Rule(
            "(003A,0300)",
            "MultiplexedAudioChannelsDescriptionCodeSequence",
            REPLACE,
            "Its items describe the audio channels recorded with a cine loop; the source keeps "
            "the sequence but with no items.",
            value="",
        ),
    ),
    # mutliFrameModulePolicy() in the source.
    "Multi-frame": (
        Rule(
            "(0028,0008)",
            "NumberOfFrames",
            KEEP,
            "Number of frames; needed to decode multi-frame pixel data.",
        ),
        Rule(
            "(0028,0009)",
            "FrameIncrementPointer",
            KEEP,
            "Points to the attribute that indexes the frames; needed to play multi-frame images.",
        ),
    ),
    # paletteColorLookupTablePolicy() in the source.
    "Palette Color Lookup Table": (
        Rule(
            "(0028,1101)",
            "RedPaletteColorLookupTableDescriptor",
            KEEP,
            "Red palette descriptor; needed to display palette colour images.",
        ),
        Rule(
            "(0028,1102)",
            "GreenPaletteColorLookupTableDescriptor",
            KEEP,
            "Green palette descriptor; needed to display palette colour images.",
        ),
        Rule(
            "(0028,1103)",
            "BluePaletteColorLookupTableDescriptor",
            KEEP,
            "Blue palette descriptor; needed to display palette colour images.",
        ),
        Rule(
            "(0028,1201)",
            "RedPaletteColorLookupTableData",
            KEEP,
            "Red palette data; needed to display palette colour images.",
        ),
        Rule(
            "(0028,1202)",
            "GreenPaletteColorLookupTableData",
            KEEP,
            "Green palette data; needed to display palette colour images.",
        ),
        Rule(
            "(0028,1203)",
            "BluePaletteColorLookupTableData",
            KEEP,
            "Blue palette data; needed to display palette colour images.",
        ),
        Rule(
            "(0028,1221)",
            "SegmentedRedPaletteColorLookupTableData",
            KEEP,
            "Segmented red palette data; needed to display palette colour images.",
        ),
        Rule(
            "(0028,1222)",
            "SegmentedGreenPaletteColorLookupTableData",
            KEEP,
            "Segmented green palette data; needed to display palette colour images.",
        ),
        Rule(
            "(0028,1223)",
            "SegmentedBluePaletteColorLookupTableData",
            KEEP,
            "Segmented blue palette data; needed to display palette colour images.",
        ),
    ),
    # ultrasoundImageModulePolicy() in the source.
    "US Image": (
        Rule(
            "(0028,0002)",
            "SamplesPerPixel",
            KEEP,
            "Samples per pixel; needed to decode the pixel data.",
        ),
        Rule(
            "(0028,0004)",
            "PhotometricInterpretation",
            KEEP,
            "Photometric interpretation; needed to decode and display the pixel data.",
        ),
        Rule(
            "(0028,0100)",
            "BitsAllocated",
            KEEP,
            "Bits allocated; needed to decode the pixel data.",
        ),
        Rule("(0028,0101)", "BitsStored", KEEP, "Bits stored; needed to decode the pixel data."),
        Rule("(0028,0102)", "HighBit", KEEP, "High bit; needed to decode the pixel data."),
        Rule(
            "(0028,0006)",
            "PlanarConfiguration",
            KEEP,
            "Planar configuration; needed to decode colour pixel data.",
        ),
        Rule(
            "(0028,0103)",
            "PixelRepresentation",
            KEEP,
            "Pixel representation (signed or not); needed to decode the pixel data.",
        ),
        Rule(
            "(0028,0009)",
            "FrameIncrementPointer",
            KEEP,
            "Points to the attribute that indexes the frames; needed to play multi-frame images.",
        ),
        Rule(
            "(0008,0008)",
            "ImageType",
            REPLACE,
            "The ultrasound image policy empties Image Type (every other modality keeps it).",
            value="",
        ),
        Rule(
            "(0028,2110)",
            "LossyImageCompression",
            KEEP,
            "Whether lossy compression was ever applied; a quality flag.",
        ),
    ),
    # mrImageModulePolicy() in the source.
    "MR Image": (
        Rule(
            "(0008,0008)",
            "ImageType",
            KEEP,
            "Image Type flags (ORIGINAL/DERIVED, PRIMARY, AXIAL ...) describe how the image was "
            "made, not who it shows.",
        ),
        Rule(
            "(0028,0002)",
            "SamplesPerPixel",
            KEEP,
            "Samples per pixel; needed to decode the pixel data.",
        ),
        Rule(
            "(0028,0004)",
            "PhotometricInterpretation",
            KEEP,
            "Photometric interpretation; needed to decode and display the pixel data.",
        ),
        Rule(
            "(0028,0100)",
            "BitsAllocated",
            KEEP,
            "Bits allocated; needed to decode the pixel data.",
        ),
        Rule("(0028,0101)", "BitsStored", KEEP, "Bits stored; needed to decode the pixel data."),
        Rule(
            "(0018,0020)",
            "ScanningSequence",
            KEEP,
            "MR scanning sequence (SE, GR, IR ...); an acquisition parameter.",
        ),
        Rule(
            "(0018,0021)",
            "SequenceVariant",
            KEEP,
            "MR sequence variant; an acquisition parameter.",
        ),
        Rule("(0018,0022)", "ScanOptions", KEEP, "MR scan options; an acquisition parameter."),
        Rule(
            "(0018,0023)",
            "MRAcquisitionType",
            KEEP,
            "MR acquisition type (2D/3D); an acquisition parameter.",
        ),
    ),
    # mrSeriesModulePolicy() in the source.
    "MR Series": (
        Rule(
            "(0008,0060)",
            "Modality",
            KEEP,
            "Modality code (CT, MR, US ...); a viewer needs it and it is not personal.",
        ),
    ),
    # enhancedGeneralEquipmentModulePolicy() in the source.
    "Enhanced General Equipment": (
        Rule(
            "(0008,0070)",
            "Manufacturer",
            REPLACE,
            "Manufacturer is mandatory in the enhanced equipment module, so it is overwritten "
            "with the placeholder REMOVED instead of the maker's name, which narrows down the "
            "site.",
            value="REMOVED",
        ),
        Rule(
            "(0008,1090)",
            "ManufacturerModelName",
            REPLACE,
            "Model name narrows down the site; overwritten with the placeholder REMOVED "
            "(mandatory in the enhanced equipment module).",
            value="REMOVED",
        ),
        Rule(
            "(0018,1000)",
            "DeviceSerialNumber",
            REPLACE,
            "A serial number identifies one device and so one site; overwritten with the "
            "placeholder REMOVED.",
            value="REMOVED",
        ),
        Rule(
            "(0018,1020)",
            "SoftwareVersions",
            REPLACE,
            "Software versions can single out one installation; overwritten with the placeholder "
            "REMOVED.",
            value="REMOVED",
        ),
    ),
    # multiframeFunctionalGroupsSequenceModulePolicy() in the source.
    "Multi-frame Functional Groups": (
        Rule(
            "(0020,0013)",
            "InstanceNumber",
            KEEP,
            "Instance number; needed to order the images of a stack.",
        ),
        Rule(
            "(0008,0023)",
            "ContentDate",
            REPLACE,
            "The real content date helps date the visit; set to the epoch placeholder 19700101.",
            value="19700101",
        ),
        Rule(
            "(0008,0033)",
            "ContentTime",
            REPLACE,
            "The real content time helps date the visit; set to midnight (000000; the source "
            "writes the short form 0000).",
            value="000000",
        ),
        Rule(
            "(0028,0008)",
            "NumberOfFrames",
            KEEP,
            "Number of frames; needed to decode multi-frame pixel data.",
        ),
    ),
    # multiframeDimensionModulePolicy() in the source.
    # The source lists nothing here: the dimension sequences hold UIDs, so they are dropped.
    # This project keeps them, with the UID regenerated ("Multi-frame Dimension Index").
    "Multi-frame Dimension": (),
    # mrSpectroscopyModulePolicy() in the source.
    "MR Spectroscopy": (
        Rule(
            "(0008,0008)",
            "ImageType",
            KEEP,
            "Image Type flags (ORIGINAL/DERIVED, PRIMARY, AXIAL ...) describe how the image was "
            "made, not who it shows.",
        ),
        Rule(
            "(0008,9206)",
            "VolumetricProperties",
            KEEP,
            "Volumetric properties; a coded image characteristic.",
        ),
        Rule(
            "(0008,9207)",
            "VolumeBasedCalculationTechnique",
            KEEP,
            "How volume-based values were calculated; a coded image characteristic.",
        ),
        Rule(
            "(0008,9208)",
            "ComplexImageComponent",
            KEEP,
            "Complex image component (MAGNITUDE, PHASE ...); a coded image characteristic.",
        ),
        Rule(
            "(0008,9209)",
            "AcquisitionContrast",
            KEEP,
            "Acquisition contrast (T1, T2 ...); a coded image characteristic.",
        ),
        Rule(
            "(0018,9098)",
            "TransmitterFrequency",
            KEEP,
            "Transmitter frequency; an MR spectroscopy parameter.",
        ),
        Rule(
            "(0018,9052)",
            "SpectralWidth",
            KEEP,
            "Spectral width; an MR spectroscopy parameter.",
        ),
        Rule(
            "(0018,9053)",
            "ChemicalShiftReference",
            KEEP,
            "Chemical shift reference; an MR spectroscopy parameter.",
        ),
        Rule(
            "(0018,9126)",
            "VolumeLocalizationSequence",
            REMOVE,
            "Localisation items the source does not inspect; the whole sequence is dropped.",
        ),
        Rule(
            "(0018,9059)",
            "Decoupling",
            KEEP,
            "Whether decoupling was used; an MR spectroscopy parameter.",
        ),
        Rule(
            "(0018,9060)",
            "DecoupledNucleus",
            KEEP,
            "Decoupled nucleus; an MR spectroscopy parameter.",
        ),
        Rule(
            "(0018,9061)",
            "DecouplingFrequency",
            KEEP,
            "Decoupling frequency; an MR spectroscopy parameter.",
        ),
        Rule(
            "(0018,9062)",
            "DecouplingMethod",
            KEEP,
            "Decoupling method; an MR spectroscopy parameter.",
        ),
        Rule(
            "(0018,9063)",
            "DecouplingChemicalShiftReference",
            KEEP,
            "Decoupling chemical shift reference; an MR spectroscopy parameter.",
        ),
        Rule(
            "(0018,9065)",
            "TimeDomainFiltering",
            KEEP,
            "Time domain filtering; an MR spectroscopy processing parameter.",
        ),
        Rule(
            "(0018,9066)",
            "NumberOfZeroFills",
            KEEP,
            "Number of zero fills; an MR spectroscopy processing parameter.",
        ),
        Rule(
            "(0018,9067)",
            "BaselineCorrection",
            KEEP,
            "Baseline correction; an MR spectroscopy processing parameter.",
        ),
        Rule(
            "(0018,9101)",
            "FrequencyCorrection",
            KEEP,
            "Frequency correction flag; an MR spectroscopy processing parameter.",
        ),
        Rule(
            "(0018,9198)",
            "FirstOrderPhaseCorrection",
            KEEP,
            "First order phase correction flag; an MR spectroscopy processing parameter.",
        ),
        Rule(
            "(0018,9199)",
            "WaterReferencedPhaseCorrection",
            KEEP,
            "Water referenced phase correction flag; an MR spectroscopy processing parameter.",
        ),
    ),
    # mrSpectroscopyDataModulePolicy() in the source.
    "MR Spectroscopy Data": (
        Rule("(0028,0010)", "Rows", KEEP, "Rows; needed to decode the pixel data."),
        Rule("(0028,0011)", "Columns", KEEP, "Columns; needed to decode the pixel data."),
        Rule(
            "(0028,9001)",
            "DataPointRows",
            KEEP,
            "Spectroscopy data point rows; needed to decode the spectroscopy data.",
        ),
        Rule(
            "(0028,9002)",
            "DataPointColumns",
            KEEP,
            "Spectroscopy data point columns; needed to decode the spectroscopy data.",
        ),
        Rule(
            "(0028,9108)",
            "DataRepresentation",
            KEEP,
            "Data representation (COMPLEX, REAL ...); needed to decode the spectroscopy data.",
        ),
        Rule(
            "(0028,9003)",
            "SignalDomainColumns",
            KEEP,
            "Signal domain of the columns; needed to interpret the spectroscopy data.",
        ),
        Rule(
            "(0028,9235)",
            "SignalDomainRows",
            KEEP,
            "Signal domain of the rows; needed to interpret the spectroscopy data.",
        ),
        Rule(
            "(5600,0010)",
            "FirstOrderPhaseCorrectionAngle",
            KEEP,
            "First order phase correction angles; spectroscopy processing values.",
        ),
        Rule(
            "(5600,0020)",
            "SpectroscopyData",
            KEEP,
            "The spectroscopy signal itself (the equivalent of pixel data).",
        ),
    ),
    # xRayImageModulePolicy() in the source.
    "X-Ray Image": (
        Rule(
            "(0028,2110)",
            "LossyImageCompression",
            KEEP,
            "Whether lossy compression was ever applied; a quality flag.",
        ),
        Rule(
            "(0008,0008)",
            "ImageType",
            KEEP,
            "Image Type flags (ORIGINAL/DERIVED, PRIMARY, AXIAL ...) describe how the image was "
            "made, not who it shows.",
        ),
        Rule(
            "(0028,1040)",
            "PixelIntensityRelationship",
            KEEP,
            "Pixel intensity relationship (LIN, LOG); needed to interpret the values.",
        ),
        Rule(
            "(0028,0002)",
            "SamplesPerPixel",
            KEEP,
            "Samples per pixel; needed to decode the pixel data.",
        ),
        Rule(
            "(0028,0004)",
            "PhotometricInterpretation",
            KEEP,
            "Photometric interpretation; needed to decode and display the pixel data.",
        ),
        Rule(
            "(0028,0100)",
            "BitsAllocated",
            KEEP,
            "Bits allocated; needed to decode the pixel data.",
        ),
        Rule("(0028,0101)", "BitsStored", KEEP, "Bits stored; needed to decode the pixel data."),
        Rule("(0028,0102)", "HighBit", KEEP, "High bit; needed to decode the pixel data."),
        Rule(
            "(0028,0103)",
            "PixelRepresentation",
            KEEP,
            "Pixel representation (signed or not); needed to decode the pixel data.",
        ),
    ),
    # xRayAcquisitionModulePolicy() in the source.
    "X-Ray Acquisition": (
        Rule(
            "(0018,1155)",
            "RadiationSetting",
            KEEP,
            "Radiation setting (SC, GR); an acquisition setting.",
        ),
        Rule("(0028,0030)", "PixelSpacing", KEEP, "Pixel spacing; needed for measurements."),
    ),
    # xaPositionerModulePolicy() in the source.
    # The source lists nothing here: the module has no mandatory attributes to keep.
    "XA Positioner": (),
    # enhancedSeriesModulePolicy() in the source.
    # The source lists nothing here: its series number and referenced UIDs are dropped.
    "Enhanced Series": (),
    # xRay3DImageModulePolicy() in the source.
    "X-Ray 3D Image": (
        Rule(
            "(0008,0008)",
            "ImageType",
            KEEP,
            "Image Type flags (ORIGINAL/DERIVED, PRIMARY, AXIAL ...) describe how the image was "
            "made, not who it shows.",
        ),
        Rule(
            "(0008,9205)",
            "PixelPresentation",
            KEEP,
            "Pixel presentation (MONOCHROME, COLOR ...); needed to display the image.",
        ),
        Rule(
            "(0008,9206)",
            "VolumetricProperties",
            KEEP,
            "Volumetric properties; a coded image characteristic.",
        ),
        Rule(
            "(0008,9207)",
            "VolumeBasedCalculationTechnique",
            KEEP,
            "How volume-based values were calculated; a coded image characteristic.",
        ),
        Rule(
            "(0028,0100)",
            "BitsAllocated",
            KEEP,
            "Bits allocated; needed to decode the pixel data.",
        ),
        Rule("(0028,0101)", "BitsStored", KEEP, "Bits stored; needed to decode the pixel data."),
        Rule("(0028,0102)", "HighBit", KEEP, "High bit; needed to decode the pixel data."),
        Rule(
            "(0028,0002)",
            "SamplesPerPixel",
            KEEP,
            "Samples per pixel; needed to decode the pixel data.",
        ),
        Rule(
            "(0028,0004)",
            "PhotometricInterpretation",
            KEEP,
            "Photometric interpretation; needed to decode and display the pixel data.",
        ),
        Rule(
            "(0018,9004)",
            "ContentQualification",
            KEEP,
            "Content qualification (PRODUCT, RESEARCH, SERVICE); a coded value.",
        ),
        Rule(
            "(0028,0301)",
            "BurnedInAnnotation",
            KEEP,
            "Whether text is burnt into the pixels; kept so a reviewer and the validator know to "
            "look.",
        ),
        Rule(
            "(0028,0302)",
            "RecognizableVisualFeatures",
            KEEP,
            "Whether the image shows recognisable features (such as a face); kept so it can be "
            "checked.",
        ),
        Rule(
            "(0028,2110)",
            "LossyImageCompression",
            KEEP,
            "Whether lossy compression was ever applied; a quality flag.",
        ),
        Rule(
            "(0028,2112)",
            "LossyImageCompressionRatio",
            KEEP,
            "Lossy compression ratio; a quality value.",
        ),
        Rule(
            "(0028,2114)",
            "LossyImageCompressionMethod",
            KEEP,
            "Lossy compression method; a coded value.",
        ),
        Rule(
            "(2050,0020)",
            "PresentationLUTShape",
            KEEP,
            "Presentation LUT shape (IDENTITY, INVERSE); needed to display the image.",
        ),
    ),
    # nmPETPatientOrientationModulePolicy() in the source.
    # The source lists nothing here: the orientation code sequences are dropped.
    "NM/PET Patient Orientation": (),
    # nmImagePixelModulePolicy() in the source.
    "NM Image Pixel": (
        Rule(
            "(0028,0002)",
            "SamplesPerPixel",
            KEEP,
            "Samples per pixel; needed to decode the pixel data.",
        ),
        Rule(
            "(0028,0004)",
            "PhotometricInterpretation",
            KEEP,
            "Photometric interpretation; needed to decode and display the pixel data.",
        ),
        Rule(
            "(0028,0100)",
            "BitsAllocated",
            KEEP,
            "Bits allocated; needed to decode the pixel data.",
        ),
        Rule("(0028,0101)", "BitsStored", KEEP, "Bits stored; needed to decode the pixel data."),
        Rule("(0028,0102)", "HighBit", KEEP, "High bit; needed to decode the pixel data."),
        Rule("(0028,0030)", "PixelSpacing", KEEP, "Pixel spacing; needed for measurements."),
    ),
    # nmMultiframeModulePolicy() in the source.
    "NM Multi-frame": (
        Rule(
            "(0028,0009)",
            "FrameIncrementPointer",
            KEEP,
            "Points to the attribute that indexes the frames; needed to play multi-frame images.",
        ),
        Rule(
            "(0054,0010)",
            "EnergyWindowVector",
            KEEP,
            "NM frame index into the energy windows; needed to interpret the frames.",
        ),
        Rule("(0054,0011)", "NumberOfEnergyWindows", KEEP, "Number of energy windows; a count."),
        Rule(
            "(0054,0020)",
            "DetectorVector",
            KEEP,
            "NM frame index into the detectors; needed to interpret the frames.",
        ),
        Rule("(0054,0021)", "NumberOfDetectors", KEEP, "Number of detectors; a count."),
        Rule(
            "(0054,0030)",
            "PhaseVector",
            KEEP,
            "NM frame index into the phases; needed to interpret the frames.",
        ),
        Rule("(0054,0031)", "NumberOfPhases", KEEP, "Number of phases; a count."),
        Rule(
            "(0054,0050)",
            "RotationVector",
            KEEP,
            "NM frame index into the rotations; needed to interpret the frames.",
        ),
        Rule("(0054,0051)", "NumberOfRotations", KEEP, "Number of rotations; a count."),
        Rule(
            "(0054,0060)",
            "RRIntervalVector",
            KEEP,
            "NM frame index into the R-R intervals; needed to interpret the frames.",
        ),
        Rule("(0054,0061)", "NumberOfRRIntervals", KEEP, "Number of R-R intervals; a count."),
        Rule(
            "(0054,0070)",
            "TimeSlotVector",
            KEEP,
            "NM frame index into the time slots; needed to interpret the frames.",
        ),
        Rule("(0054,0071)", "NumberOfTimeSlots", KEEP, "Number of time slots; a count."),
        Rule(
            "(0054,0080)",
            "SliceVector",
            KEEP,
            "NM frame index into the slices; needed to interpret the frames.",
        ),
        Rule("(0054,0081)", "NumberOfSlices", KEEP, "Number of slices; a count."),
        Rule(
            "(0054,0090)",
            "AngularViewVector",
            KEEP,
            "NM frame index into the angular views; needed to interpret the frames.",
        ),
        Rule(
            "(0054,0100)",
            "TimeSliceVector",
            KEEP,
            "NM frame index into the time slices; needed to interpret the frames.",
        ),
    ),
    # nmImageModulePolicy() in the source.
    "NM Image": (
        Rule(
            "(0008,0008)",
            "ImageType",
            KEEP,
            "Image Type flags (ORIGINAL/DERIVED, PRIMARY, AXIAL ...) describe how the image was "
            "made, not who it shows.",
        ),
        Rule(
            "(0028,2110)",
            "LossyImageCompression",
            KEEP,
            "Whether lossy compression was ever applied; a quality flag.",
        ),
        Rule("(0018,0070)", "CountsAccumulated", KEEP, "Counts accumulated; a physics value."),
        Rule(
            "(0018,1242)",
            "ActualFrameDuration",
            KEEP,
            "Duration of each frame; a timing value needed for quantitation, not a clock time.",
        ),
    ),
    # nmIsotopeModulePolicy() in the source.
    "NM Isotope": (
        Rule(
            "(0054,0012)",
            "EnergyWindowInformationSequence",
            REMOVE,
            "Energy window items the source does not inspect; the whole sequence is dropped.",
        ),
        Rule(
            "(0054,0016)",
            "RadiopharmaceuticalInformationSequence",
            REMOVE,
            "Holds radiopharmaceutical administration details, including start date and time; "
            "dropped.",
        ),
    ),
    # nmDetectorModulePolicy() in the source.
    "NM Detector": (
        Rule(
            "(0054,0022)",
            "DetectorInformationSequence",
            REMOVE,
            "Detector items the source does not inspect; the whole sequence is dropped.",
        ),
    ),
    # petSeriesModulePolicy() in the source.
    "PET Series": (
        Rule(
            "(0008,0021)",
            "SeriesDate",
            REPLACE,
            "The real series date helps date the visit; set to the epoch placeholder 19700101.",
            value="19700101",
        ),
        Rule(
            "(0008,0031)",
            "SeriesTime",
            REPLACE,
            "The real series time helps date the visit; set to midnight (000000; the source "
            "writes the short form 0000).",
            value="000000",
        ),
        Rule(
            "(0054,1001)",
            "Units",
            KEEP,
            "Units of the PET pixel values (BQML, CNTS ...); needed for quantitation.",
        ),
        Rule(
            "(0054,1002)",
            "CountsSource",
            KEEP,
            "Counts source (EMISSION, TRANSMISSION); a coded value.",
        ),
        Rule(
            "(0054,1000)",
            "SeriesType",
            KEEP,
            "PET series type (STATIC, DYNAMIC ...); a coded value.",
        ),
        Rule("(0054,1004)", "ReprojectionMethod", KEEP, "Reprojection method; a coded value."),
        Rule("(0054,0061)", "NumberOfRRIntervals", KEEP, "Number of R-R intervals; a count."),
        Rule("(0054,0071)", "NumberOfTimeSlots", KEEP, "Number of time slots; a count."),
        Rule("(0054,0101)", "NumberOfTimeSlices", KEEP, "Number of time slices; a count."),
        Rule("(0054,0081)", "NumberOfSlices", KEEP, "Number of slices; a count."),
        Rule(
            "(0054,1102)",
            "DecayCorrection",
            KEEP,
            "Decay correction reference (START, ADMIN ...); a coded value.",
        ),
        Rule("(0018,1181)", "CollimatorType", KEEP, "Collimator type; an equipment value."),
    ),
    # petIsotopeModulePolicy() in the source.
    "PET Isotope": (
        Rule(
            "(0054,0016)",
            "RadiopharmaceuticalInformationSequence",
            REMOVE,
            "Holds radiopharmaceutical administration details, including start date and time; "
            "dropped.",
        ),
    ),
    # petImageModulePolicy() in the source.
    "PET Image": (
        Rule(
            "(0008,0008)",
            "ImageType",
            KEEP,
            "Image Type flags (ORIGINAL/DERIVED, PRIMARY, AXIAL ...) describe how the image was "
            "made, not who it shows.",
        ),
        Rule(
            "(0028,0002)",
            "SamplesPerPixel",
            KEEP,
            "Samples per pixel; needed to decode the pixel data.",
        ),
        Rule(
            "(0028,0004)",
            "PhotometricInterpretation",
            KEEP,
            "Photometric interpretation; needed to decode and display the pixel data.",
        ),
        Rule(
            "(0028,0100)",
            "BitsAllocated",
            KEEP,
            "Bits allocated; needed to decode the pixel data.",
        ),
        Rule("(0028,0101)", "BitsStored", KEEP, "Bits stored; needed to decode the pixel data."),
        Rule("(0028,0102)", "HighBit", KEEP, "High bit; needed to decode the pixel data."),
        Rule(
            "(0028,1040)",
            "PixelIntensityRelationship",
            KEEP,
            "Pixel intensity relationship (LIN, LOG); needed to interpret the values.",
        ),
        Rule(
            "(0028,0103)",
            "PixelRepresentation",
            KEEP,
            "Pixel representation (signed or not); needed to decode the pixel data.",
        ),
        Rule(
            "(0028,1052)",
            "RescaleIntercept",
            KEEP,
            "Rescale intercept; needed to turn stored values into real units (for example HU).",
        ),
        Rule(
            "(0028,1053)",
            "RescaleSlope",
            KEEP,
            "Rescale slope; needed to turn stored values into real units.",
        ),
        Rule(
            "(0054,1300)",
            "FrameReferenceTime",
            KEEP,
            "Frame reference time in milliseconds from the series reference, not a clock time.",
        ),
        Rule(
            "(0018,1060)",
            "TriggerTime",
            KEEP,
            "Trigger time in milliseconds after the R wave, not a clock time.",
        ),
        Rule("(0018,1063)", "FrameTime", KEEP, "Time between frames; needed to play a cine loop."),
        Rule(
            "(0018,1081)",
            "LowRRValue",
            KEEP,
            "Lower R-R limit accepted during gating; a technical setting.",
        ),
        Rule(
            "(0018,1082)",
            "HighRRValue",
            KEEP,
            "Upper R-R limit accepted during gating; a technical setting.",
        ),
        Rule(
            "(0028,2110)",
            "LossyImageCompression",
            KEEP,
            "Whether lossy compression was ever applied; a quality flag.",
        ),
        Rule("(0054,1330)", "ImageIndex", KEEP, "Image index; needed to order PET slices."),
        Rule(
            "(0008,0022)",
            "AcquisitionDate",
            REPLACE,
            "The acquisition date helps date the visit; replaced by the fixed date 19700101 (the "
            "source's PET image policy empties it).",
            value="19700101",
        ),
        Rule(
            "(0008,0032)",
            "AcquisitionTime",
            REPLACE,
            "The acquisition time helps date the visit; replaced by the fixed time 000000 (the "
            "source's PET image policy empties it).",
            value="000000",
        ),
        Rule(
            "(0018,1242)",
            "ActualFrameDuration",
            REPLACE,
            "The PET image policy empties the frame duration, although the NM image policy keeps "
            "it.",
            value="",
        ),
        Rule("(0054,1321)", "DecayFactor", KEEP, "Decay factor; needed for quantitation."),
    ),
    # voiLutModulePolicy() in the source.
    "VOI LUT": (
        Rule(
            "(0028,1050)",
            "WindowCenter",
            KEEP,
            "Default window centre; needed for a sensible display.",
        ),
        Rule(
            "(0028,1051)",
            "WindowWidth",
            KEEP,
            "Default window width; needed for a sensible display.",
        ),
    ),
    # Not a module of the source (see the module docstring).
    "SOP Class Override": (
        Rule(
            "(0008,0016)",
            "SOPClassUID",
            KEEP,
            "The source ends every class policy by writing the class's own UID here (the "
            "catch-all keeps it), which leaves the value unchanged: recorded as keep.",
        ),
    ),
    # Not a module of the source (see the module docstring).
    # Deliberately absent: Concatenation UID, Irradiation Event UID, Synchronization Frame of
    # Reference UID, Related Frame of Reference UID. Neither they nor the sequences that hold
    # them are kept, so listing them would only let them survive (regenerated) where the
    # source removes them. Dimension Organization UID is regenerated by "Multi-frame Dimension
    # Index", which keeps the sequences that hold it.
    "Sequence Item Contents": (
        Rule(
            "(0008,0100)",
            "CodeValue",
            KEEP,
            "Project addition: the code of a code item inside a kept sequence; vocabulary, not "
            "identity.",
        ),
        Rule(
            "(0008,0102)",
            "CodingSchemeDesignator",
            KEEP,
            "Project addition: names the vocabulary of a code item (DCM, SCT ...).",
        ),
        Rule(
            "(0008,0103)",
            "CodingSchemeVersion",
            KEEP,
            "Project addition: version of the vocabulary of a code item.",
        ),
        Rule(
            "(0008,0104)",
            "CodeMeaning",
            KEEP,
            "Project addition: the text that goes with a code, taken from the vocabulary; not "
            "treated as free text. Only the code items of the sequences this policy keeps "
            "carry one (pixel value mapping codes, and the method codes the anonymiser writes "
            "itself, which would otherwise be flagged in every file).",
        ),
        Rule(
            "(0008,0119)",
            "LongCodeValue",
            KEEP,
            "Project addition: the code of a code item when it is too long for Code Value.",
        ),
        Rule(
            "(0008,0120)",
            "URNCodeValue",
            KEEP,
            "Project addition: the code of a code item written as a URN.",
        ),
        Rule(
            "(0008,1150)",
            "ReferencedSOPClassUID",
            KEEP,
            "Project addition: standard UID naming the kind of a referenced object; not identity.",
        ),
        Rule(
            "(0008,1155)",
            "ReferencedSOPInstanceUID",
            REGENERATE,
            "Project addition: hashed with the same function as SOP Instance UID, so a reference "
            "still points at the regenerated instance.",
        ),
        Rule(
            "(0008,1160)",
            "ReferencedFrameNumber",
            KEEP,
            "Project addition: frame numbers within a referenced image; an index.",
        ),
        Rule(
            "(0020,000D)",
            "StudyInstanceUID",
            REGENERATE,
            "Project addition: the same tag inside reference items; hashed like the top-level "
            "one so references stay consistent.",
        ),
        Rule(
            "(0020,000E)",
            "SeriesInstanceUID",
            REGENERATE,
            "Project addition: the same tag inside reference items; hashed like the top-level "
            "one so references stay consistent.",
        ),
        Rule(
            "(0020,0052)",
            "FrameOfReferenceUID",
            REGENERATE,
            "Project addition: the same tag inside items; hashed like the top-level one so "
            "coordinate systems still match.",
        ),
    ),
    # ---- This project's additions beyond the source, for what a viewer needs -------------------
    # The source keeps no sequence that has items. This project's engine applies the policy
    # inside items too, so a sequence can be kept when the policy lists exactly which of its
    # item attributes are technical: everything else inside (dates and times, free text,
    # references, private attributes) is still removed. Each module below lists the sequences
    # and the item attributes not already kept by the modules above; the attributes the items
    # share with the top level (Pixel Spacing, Image Position (Patient), Window Center ...) are
    # kept by the modules that already list them. None of these modules lists a tag that a
    # module of the source lists, so they cannot change any rule of the source (a test checks).
    # Not a module of the source: PS3.3 C.7.6.16 (Shared and Per-frame Functional Groups) and
    # the geometry macros of C.7.6.16.2.
    "Enhanced Multi-frame Geometry": (
        Rule(
            "(5200,9229)",
            "SharedFunctionalGroupsSequence",
            KEEP,
            "Project addition: holds the frame geometry, rescale and window that apply to every "
            "frame of an enhanced multi-frame image; only the item attributes listed here survive.",
        ),
        Rule(
            "(5200,9230)",
            "PerFrameFunctionalGroupsSequence",
            KEEP,
            "Project addition: one item per frame with that frame's position, index and "
            "technique; only the item attributes listed here survive (not the frame dates).",
        ),
        Rule(
            "(0028,9110)",
            "PixelMeasuresSequence",
            KEEP,
            "Project addition: Pixel Spacing, Slice Thickness and Spacing Between Slices of the "
            "frames; without it nothing can be measured.",
        ),
        Rule(
            "(0020,9113)",
            "PlanePositionSequence",
            KEEP,
            "Project addition: Image Position (Patient) of each frame; needed to stack frames "
            "in 3D and for reformats.",
        ),
        Rule(
            "(0020,9116)",
            "PlaneOrientationSequence",
            KEEP,
            "Project addition: Image Orientation (Patient) of the frames; needed to orient and "
            "reformat the volume.",
        ),
        Rule(
            "(0020,9111)",
            "FrameContentSequence",
            KEEP,
            "Project addition: the frame's indices (stack, position, time, dimension values). "
            "Its Frame Acquisition and Frame Reference DateTime, Frame Comments and Frame Label "
            "are not listed, so they are removed.",
        ),
        Rule(
            "(0020,9056)",
            "StackID",
            KEEP,
            "Project addition: label the scanner gives a stack of frames within this instance "
            "(usually 1, 2 ...); groups frames, says nothing about the patient.",
        ),
        Rule(
            "(0020,9057)",
            "InStackPositionNumber",
            KEEP,
            "Project addition: position of the frame within its stack; an index needed to "
            "order slices.",
        ),
        Rule(
            "(0020,9128)",
            "TemporalPositionIndex",
            KEEP,
            "Project addition: which time point of a dynamic series the frame belongs to; an "
            "index.",
        ),
        Rule(
            "(0020,9157)",
            "DimensionIndexValues",
            KEEP,
            "Project addition: the frame's value on each dimension of the Dimension Index "
            "Sequence; viewers sort and browse frames by it.",
        ),
        Rule(
            "(0020,9156)",
            "FrameAcquisitionNumber",
            KEEP,
            "Project addition: counter of the acquisition the frame came from; a number within "
            "the instance.",
        ),
        Rule(
            "(0018,9220)",
            "FrameAcquisitionDuration",
            KEEP,
            "Project addition: how long the frame took to acquire, in milliseconds; a duration, "
            "not a clock time.",
        ),
        Rule(
            "(0018,9236)",
            "CardiacCyclePosition",
            KEEP,
            "Project addition: coded phase of the heart cycle (SYSTOLE, DIASTOLE ...); needed "
            "to play gated frames.",
        ),
        Rule(
            "(0018,9214)",
            "RespiratoryCyclePosition",
            KEEP,
            "Project addition: coded phase of breathing (START_INHALE ...); needed to sort "
            "respiratory-gated frames.",
        ),
        Rule(
            "(0020,9310)",
            "TemporalPositionSequence",
            KEEP,
            "Project addition: holds the frame's time offset within a dynamic series.",
        ),
        Rule(
            "(0020,930D)",
            "TemporalPositionTimeOffset",
            KEEP,
            "Project addition: seconds from the start of the series to this frame; an interval, "
            "not a clock time.",
        ),
    ),
    # Not a module of the source: the rescale, window and frame type macros of PS3.3 C.7.6.16.2.
    "Enhanced Multi-frame Display": (
        Rule(
            "(0028,9145)",
            "PixelValueTransformationSequence",
            KEEP,
            "Project addition: Rescale Intercept, Slope and Type of the frames; without it CT "
            "numbers and MR signal scaling are lost.",
        ),
        Rule(
            "(0028,9132)",
            "FrameVOILUTSequence",
            KEEP,
            "Project addition: the frames' Window Center and Width (and VOI LUT Function); the "
            "default display of an enhanced image.",
        ),
        Rule(
            "(0018,9226)",
            "MRImageFrameTypeSequence",
            KEEP,
            "Project addition: per-frame Frame Type and image characteristics of an enhanced "
            "MR image; viewers use it to tell localisers and derived frames apart.",
        ),
        Rule(
            "(0018,9329)",
            "CTImageFrameTypeSequence",
            KEEP,
            "Project addition: per-frame Frame Type and image characteristics of an enhanced "
            "CT image.",
        ),
        Rule(
            "(0018,9227)",
            "MRSpectroscopyFrameTypeSequence",
            KEEP,
            "Project addition: per-frame Frame Type and characteristics of an MR spectroscopy "
            "object.",
        ),
        Rule(
            "(0018,9504)",
            "XRay3DFrameTypeSequence",
            KEEP,
            "Project addition: per-frame Frame Type and characteristics of an X-ray 3D image.",
        ),
        Rule(
            "(0008,9007)",
            "FrameType",
            KEEP,
            "Project addition: coded frame flags (ORIGINAL/DERIVED, PRIMARY, LOCALIZER ...); "
            "describe how the frame was made, like Image Type.",
        ),
        Rule(
            "(0020,9536)",
            "ReconstructionIndex",
            KEEP,
            "Project addition: which reconstruction of the X-ray 3D image the frame comes from; "
            "an index.",
        ),
    ),
    # Not a module of the source: PS3.3 C.7.6.17 (Multi-frame Dimension), which the source's
    # own (empty) "Multi-frame Dimension" drops.
    "Multi-frame Dimension Index": (
        Rule(
            "(0020,9221)",
            "DimensionOrganizationSequence",
            KEEP,
            "Project addition: names the dimension organisation the frames follow; holds only "
            "its UID, regenerated.",
        ),
        Rule(
            "(0020,9222)",
            "DimensionIndexSequence",
            KEEP,
            "Project addition: says which attribute each value of Dimension Index Values "
            "indexes (stack, position, time ...); viewers need it to browse the frames.",
        ),
        Rule(
            "(0020,9164)",
            "DimensionOrganizationUID",
            REGENERATE,
            "Project addition: hashed with the same function as the other UIDs, so the "
            "organisation and the index items still match each other.",
        ),
        Rule(
            "(0020,9165)",
            "DimensionIndexPointer",
            KEEP,
            "Project addition: the tag of the attribute a dimension indexes; a data element "
            "tag, not data.",
        ),
        Rule(
            "(0020,9167)",
            "FunctionalGroupPointer",
            KEEP,
            "Project addition: the tag of the functional group sequence holding that "
            "attribute; a data element tag.",
        ),
        Rule(
            "(0020,9421)",
            "DimensionDescriptionLabel",
            KEEP,
            "Project addition: label of a dimension, written by the software that built the "
            "index; free text, so flagged.",
            free_text=True,
        ),
        Rule(
            "(0020,9311)",
            "DimensionOrganizationType",
            KEEP,
            "Project addition: coded organisation of the frames (3D, 3D_TEMPORAL); a technical "
            "value.",
        ),
    ),
    # Not a module of the source: the MR technique macros of the enhanced MR and MR
    # spectroscopy functional groups (PS3.3 C.8.13.5, C.8.14.3). The coil sequences are not
    # listed (coil manufacturer names narrow down the site); Receive Coil Name stays kept at
    # the top level as in the source.
    "Enhanced MR Frame Technique": (
        Rule(
            "(0018,9112)",
            "MRTimingAndRelatedParametersSequence",
            KEEP,
            "Project addition: repetition time, flip angle, echo train and gradient settings of "
            "the frames; acquisition parameters.",
        ),
        Rule(
            "(0018,9240)",
            "RFEchoTrainLength",
            KEEP,
            "Project addition: RF echo count; an acquisition parameter.",
        ),
        Rule(
            "(0018,9241)",
            "GradientEchoTrainLength",
            KEEP,
            "Project addition: gradient echo count; an acquisition parameter.",
        ),
        Rule(
            "(0018,9180)",
            "GradientOutputType",
            KEEP,
            "Project addition: unit of the gradient output value; a coded setting.",
        ),
        Rule(
            "(0018,9182)",
            "GradientOutput",
            KEEP,
            "Project addition: gradient output; a safety value.",
        ),
        Rule(
            "(0018,9176)",
            "OperatingModeSequence",
            KEEP,
            "Project addition: the MR safety operating modes used for the frames.",
        ),
        Rule(
            "(0018,9177)",
            "OperatingModeType",
            KEEP,
            "Project addition: which safety limit an operating mode concerns; a coded value.",
        ),
        Rule(
            "(0018,9178)",
            "OperatingMode",
            KEEP,
            "Project addition: the operating mode (IEC_NORMAL ...); a coded value.",
        ),
        Rule(
            "(0018,9239)",
            "SpecificAbsorptionRateSequence",
            KEEP,
            "Project addition: the SAR values of the frames.",
        ),
        Rule(
            "(0018,9179)",
            "SpecificAbsorptionRateDefinition",
            KEEP,
            "Project addition: how SAR was defined (IEC_WHOLE_BODY ...); a coded value.",
        ),
        Rule(
            "(0018,9181)",
            "SpecificAbsorptionRateValue",
            KEEP,
            "Project addition: SAR in W/kg; a safety value.",
        ),
        Rule(
            "(0018,9114)",
            "MREchoSequence",
            KEEP,
            "Project addition: the effective echo time of the frames; defines their contrast.",
        ),
        Rule(
            "(0018,9082)",
            "EffectiveEchoTime",
            KEEP,
            "Project addition: effective echo time in ms; an acquisition parameter.",
        ),
        Rule(
            "(0018,9115)",
            "MRModifierSequence",
            KEEP,
            "Project addition: coded sequence modifiers (inversion recovery, fat saturation, "
            "parallel imaging ...).",
        ),
        Rule(
            "(0018,9009)",
            "InversionRecovery",
            KEEP,
            "Project addition: whether inversion recovery was used; a flag.",
        ),
        Rule(
            "(0018,9010)",
            "FlowCompensation",
            KEEP,
            "Project addition: flow compensation kind; a coded setting.",
        ),
        Rule(
            "(0018,9016)",
            "Spoiling",
            KEEP,
            "Project addition: spoiling kind; a coded setting.",
        ),
        Rule(
            "(0018,9021)",
            "T2Preparation",
            KEEP,
            "Project addition: whether T2 preparation was used; a flag.",
        ),
        Rule(
            "(0018,9026)",
            "SpectrallySelectedExcitation",
            KEEP,
            "Project addition: spectrally selected excitation (fat or water); a coded setting.",
        ),
        Rule(
            "(0018,9027)",
            "SpatialPresaturation",
            KEEP,
            "Project addition: spatial presaturation kind; a coded setting.",
        ),
        Rule(
            "(0018,9081)",
            "PartialFourier",
            KEEP,
            "Project addition: whether partial Fourier was used; a flag.",
        ),
        Rule(
            "(0018,9036)",
            "PartialFourierDirection",
            KEEP,
            "Project addition: direction of partial Fourier; a coded setting.",
        ),
        Rule(
            "(0018,9077)",
            "ParallelAcquisition",
            KEEP,
            "Project addition: whether parallel imaging was used; a flag.",
        ),
        Rule(
            "(0018,9078)",
            "ParallelAcquisitionTechnique",
            KEEP,
            "Project addition: parallel imaging technique (SENSE, GRAPPA ...); a coded setting.",
        ),
        Rule(
            "(0018,9069)",
            "ParallelReductionFactorInPlane",
            KEEP,
            "Project addition: in-plane acceleration factor; an acquisition parameter.",
        ),
        Rule(
            "(0018,9155)",
            "ParallelReductionFactorOutOfPlane",
            KEEP,
            "Project addition: out-of-plane acceleration factor; an acquisition parameter.",
        ),
        Rule(
            "(0018,9168)",
            "ParallelReductionFactorSecondInPlane",
            KEEP,
            "Project addition: second in-plane acceleration factor; an acquisition parameter.",
        ),
        Rule(
            "(0018,9079)",
            "InversionTimes",
            KEEP,
            "Project addition: inversion times in ms; acquisition parameters.",
        ),
        Rule(
            "(0018,9183)",
            "FlowCompensationDirection",
            KEEP,
            "Project addition: direction of flow compensation; a coded setting.",
        ),
        Rule(
            "(0018,9117)",
            "MRDiffusionSequence",
            KEEP,
            "Project addition: b-value and gradient direction of each diffusion frame; without "
            "them DWI and ADC cannot be read.",
        ),
        Rule(
            "(0018,9075)",
            "DiffusionDirectionality",
            KEEP,
            "Project addition: whether the frame is directional, isotropic ...; a coded value.",
        ),
        Rule(
            "(0018,9087)",
            "DiffusionBValue",
            KEEP,
            "Project addition: diffusion b-value in s/mm2 (also kept where classic MR files "
            "carry it at the top level); needed to read diffusion images.",
        ),
        Rule(
            "(0018,9076)",
            "DiffusionGradientDirectionSequence",
            KEEP,
            "Project addition: holds the diffusion gradient direction of the frame.",
        ),
        Rule(
            "(0018,9089)",
            "DiffusionGradientOrientation",
            KEEP,
            "Project addition: unit vector of the diffusion gradient; needed for tensor "
            "imaging.",
        ),
        Rule(
            "(0018,9147)",
            "DiffusionAnisotropyType",
            KEEP,
            "Project addition: kind of anisotropy shown (FRACTIONAL ...); a coded value.",
        ),
        Rule(
            "(0018,9601)",
            "DiffusionBMatrixSequence",
            KEEP,
            "Project addition: holds the diffusion b-matrix of the frame.",
        ),
        Rule(
            "(0018,9602)",
            "DiffusionBValueXX",
            KEEP,
            "Project addition: b-matrix element; a physics value.",
        ),
        Rule(
            "(0018,9603)",
            "DiffusionBValueXY",
            KEEP,
            "Project addition: b-matrix element; a physics value.",
        ),
        Rule(
            "(0018,9604)",
            "DiffusionBValueXZ",
            KEEP,
            "Project addition: b-matrix element; a physics value.",
        ),
        Rule(
            "(0018,9605)",
            "DiffusionBValueYY",
            KEEP,
            "Project addition: b-matrix element; a physics value.",
        ),
        Rule(
            "(0018,9606)",
            "DiffusionBValueYZ",
            KEEP,
            "Project addition: b-matrix element; a physics value.",
        ),
        Rule(
            "(0018,9607)",
            "DiffusionBValueZZ",
            KEEP,
            "Project addition: b-matrix element; a physics value.",
        ),
        Rule(
            "(0018,9119)",
            "MRAveragesSequence",
            KEEP,
            "Project addition: holds Number of Averages of the frames.",
        ),
        Rule(
            "(0018,9125)",
            "MRFOVGeometrySequence",
            KEEP,
            "Project addition: field of view and encoding steps of the frames; acquisition "
            "geometry.",
        ),
        Rule(
            "(0018,9058)",
            "MRAcquisitionFrequencyEncodingSteps",
            KEEP,
            "Project addition: frequency encoding steps; an acquisition parameter.",
        ),
        Rule(
            "(0018,9231)",
            "MRAcquisitionPhaseEncodingStepsInPlane",
            KEEP,
            "Project addition: in-plane phase encoding steps; an acquisition parameter.",
        ),
        Rule(
            "(0018,9232)",
            "MRAcquisitionPhaseEncodingStepsOutOfPlane",
            KEEP,
            "Project addition: out-of-plane phase encoding steps; an acquisition parameter.",
        ),
        Rule(
            "(0018,9006)",
            "MRImagingModifierSequence",
            KEEP,
            "Project addition: pixel bandwidth, transmitter frequency and coded preparation "
            "flags of the frames.",
        ),
        Rule(
            "(0018,9020)",
            "MagnetizationTransfer",
            KEEP,
            "Project addition: magnetisation transfer kind; a coded setting.",
        ),
        Rule(
            "(0018,9022)",
            "BloodSignalNulling",
            KEEP,
            "Project addition: whether blood signal nulling was used; a flag.",
        ),
        Rule(
            "(0018,9028)",
            "Tagging",
            KEEP,
            "Project addition: myocardial tagging kind; a coded setting.",
        ),
        Rule(
            "(0018,9197)",
            "MRVelocityEncodingSequence",
            KEEP,
            "Project addition: velocity encoding of phase-contrast frames; needed to turn "
            "phase into flow.",
        ),
        Rule(
            "(0018,9090)",
            "VelocityEncodingDirection",
            KEEP,
            "Project addition: direction of velocity encoding; a vector.",
        ),
        Rule(
            "(0018,9091)",
            "VelocityEncodingMinimumValue",
            KEEP,
            "Project addition: lowest encoded velocity in cm/s; an acquisition parameter.",
        ),
        Rule(
            "(0018,9217)",
            "VelocityEncodingMaximumValue",
            KEEP,
            "Project addition: highest encoded velocity in cm/s; an acquisition parameter.",
        ),
        Rule(
            "(0018,9103)",
            "MRSpectroscopyFOVGeometrySequence",
            KEEP,
            "Project addition: acquisition matrix of a spectroscopy object; needed to map the "
            "voxels.",
        ),
        Rule(
            "(0018,9095)",
            "SpectroscopyAcquisitionPhaseRows",
            KEEP,
            "Project addition: spectroscopy phase-encoded rows; an acquisition parameter.",
        ),
        Rule(
            "(0018,9127)",
            "SpectroscopyAcquisitionDataColumns",
            KEEP,
            "Project addition: spectroscopy data points acquired; an acquisition parameter.",
        ),
        Rule(
            "(0018,9159)",
            "SpectroscopyAcquisitionOutOfPlanePhaseSteps",
            KEEP,
            "Project addition: spectroscopy out-of-plane phase steps; an acquisition parameter.",
        ),
        Rule(
            "(0018,9234)",
            "SpectroscopyAcquisitionPhaseColumns",
            KEEP,
            "Project addition: spectroscopy phase-encoded columns; an acquisition parameter.",
        ),
    ),
    # Not a module of the source: the CT technique macros of the enhanced CT functional groups
    # (PS3.3 C.8.15.3). Not listed: CT Exposure's Water Equivalent Diameter and CT X-Ray
    # Details' Calcium Scoring Mass Factor Patient (both measure the patient's body), the CTDI
    # Phantom Type Code Sequence (removed by the source) and the Irradiation Event UID.
    "Enhanced CT Frame Technique": (
        Rule(
            "(0018,9301)",
            "CTAcquisitionTypeSequence",
            KEEP,
            "Project addition: acquisition type of the frames (SPIRAL, SEQUENCED ...).",
        ),
        Rule(
            "(0018,9302)",
            "AcquisitionType",
            KEEP,
            "Project addition: coded CT acquisition type; a technical value.",
        ),
        Rule("(0018,9303)", "TubeAngle", KEEP, "Project addition: tube angle; geometry."),
        Rule(
            "(0018,9333)",
            "ConstantVolumeFlag",
            KEEP,
            "Project addition: whether the same volume was scanned repeatedly; a flag.",
        ),
        Rule(
            "(0018,9334)",
            "FluoroscopyFlag",
            KEEP,
            "Project addition: whether the frames are CT fluoroscopy; a flag.",
        ),
        Rule(
            "(0018,9304)",
            "CTAcquisitionDetailsSequence",
            KEEP,
            "Project addition: collimation, tilt, table height and rotation of the frames; "
            "acquisition parameters.",
        ),
        Rule(
            "(0018,9305)",
            "RevolutionTime",
            KEEP,
            "Project addition: time for one gantry turn, in seconds; a duration.",
        ),
        Rule(
            "(0018,9308)",
            "CTTableDynamicsSequence",
            KEEP,
            "Project addition: table speed, feed and pitch of the frames.",
        ),
        Rule(
            "(0018,9312)",
            "CTGeometrySequence",
            KEEP,
            "Project addition: source distances of the frames; geometry.",
        ),
        Rule(
            "(0018,9335)",
            "DistanceSourceToDataCollectionCenter",
            KEEP,
            "Project addition: source to isocentre distance; geometry.",
        ),
        Rule(
            "(0018,9314)",
            "CTReconstructionSequence",
            KEEP,
            "Project addition: kernel, field of view and algorithm of the reconstruction; "
            "needed to interpret the frames.",
        ),
        Rule(
            "(0018,9315)",
            "ReconstructionAlgorithm",
            KEEP,
            "Project addition: coded reconstruction algorithm (FILTER_BACK_PROJ, ITERATIVE).",
        ),
        Rule(
            "(0018,9316)",
            "ConvolutionKernelGroup",
            KEEP,
            "Project addition: coded kernel group (BRAIN, SOFT_TISSUE ...).",
        ),
        Rule(
            "(0018,9317)",
            "ReconstructionFieldOfView",
            KEEP,
            "Project addition: reconstructed field of view in mm; geometry.",
        ),
        Rule(
            "(0018,9319)",
            "ReconstructionAngle",
            KEEP,
            "Project addition: angular range of the reconstruction; a technical value.",
        ),
        Rule(
            "(0018,9320)",
            "ImageFilter",
            KEEP,
            "Project addition: the scanner's label of the image filter, like Convolution "
            "Kernel; set by the scanner, not typed per patient, so not treated as free text.",
        ),
        Rule(
            "(0018,9322)",
            "ReconstructionPixelSpacing",
            KEEP,
            "Project addition: pixel spacing of the reconstruction; needed for measurements.",
        ),
        Rule(
            "(0018,9321)",
            "CTExposureSequence",
            KEEP,
            "Project addition: exposure time, tube current and CTDIvol of the frames; dose and "
            "technique values.",
        ),
        Rule(
            "(0018,9328)",
            "ExposureTimeInms",
            KEEP,
            "Project addition: exposure time in ms; an acquisition parameter.",
        ),
        Rule(
            "(0018,9330)",
            "XRayTubeCurrentInmA",
            KEEP,
            "Project addition: tube current in mA; an acquisition parameter.",
        ),
        Rule(
            "(0018,9332)",
            "ExposureInmAs",
            KEEP,
            "Project addition: exposure in mAs; an acquisition parameter.",
        ),
        Rule(
            "(0018,9325)",
            "CTXRayDetailsSequence",
            KEEP,
            "Project addition: kVp, filter and focal spot of the frames; acquisition "
            "parameters.",
        ),
        Rule(
            "(0018,9353)",
            "EnergyWeightingFactor",
            KEEP,
            "Project addition: weight of one X-ray source in a dual-source image; a technical "
            "value.",
        ),
        Rule(
            "(0018,9326)",
            "CTPositionSequence",
            KEEP,
            "Project addition: table position and reconstruction centre of the frames; "
            "geometry.",
        ),
        Rule(
            "(0018,9313)",
            "DataCollectionCenterPatient",
            KEEP,
            "Project addition: centre of data collection in patient coordinates; geometry.",
        ),
        Rule(
            "(0018,9327)",
            "TablePosition",
            KEEP,
            "Project addition: table position of the frame in mm; geometry.",
        ),
    ),
    # Not a module of the source: the geometry and pixel macros of the enhanced XA/XRF
    # functional groups (PS3.3 C.8.19.6). Not listed: Field of View Description (free text),
    # the shutter, collimator, table and detector macros (not needed to display or measure).
    "Enhanced X-Ray Frame Technique": (
        Rule(
            "(0028,9443)",
            "FramePixelDataPropertiesSequence",
            KEEP,
            "Project addition: imager pixel spacing and intensity relationship of the frames; "
            "needed to measure and display them.",
        ),
        Rule(
            "(0028,9444)",
            "GeometricalProperties",
            KEEP,
            "Project addition: whether the frame is geometrically uniform; a coded value.",
        ),
        Rule(
            "(0028,9445)",
            "GeometricMaximumDistortion",
            KEEP,
            "Project addition: maximum geometric distortion; a technical value.",
        ),
        Rule(
            "(0028,9446)",
            "ImageProcessingApplied",
            KEEP,
            "Project addition: coded processing applied to the frame (DIGITAL_SUBTR ...).",
        ),
        Rule(
            "(0018,9401)",
            "ProjectionPixelCalibrationSequence",
            KEEP,
            "Project addition: calibration of pixel size at the object; needed for vessel "
            "measurements.",
        ),
        Rule(
            "(0018,9403)",
            "DistanceObjectToTableTop",
            KEEP,
            "Project addition: height of the measured object above the table; geometry.",
        ),
        Rule(
            "(0018,9404)",
            "ObjectPixelSpacingInCenterOfBeam",
            KEEP,
            "Project addition: pixel spacing at the object; needed for measurements.",
        ),
        Rule("(0018,9449)", "BeamAngle", KEEP, "Project addition: beam angle; geometry."),
        Rule(
            "(0018,9405)",
            "PositionerPositionSequence",
            KEEP,
            "Project addition: positioner angles of the frame; needed to interpret the "
            "projection.",
        ),
        Rule(
            "(0018,9447)",
            "ColumnAngulationPatient",
            KEEP,
            "Project addition: column angulation relative to the patient; geometry.",
        ),
        Rule(
            "(0018,9476)",
            "XRayGeometrySequence",
            KEEP,
            "Project addition: source distances of the frame; geometry.",
        ),
        Rule(
            "(0018,9402)",
            "DistanceSourceToIsocenter",
            KEEP,
            "Project addition: source to isocentre distance; geometry.",
        ),
        Rule(
            "(0020,9450)",
            "PatientOrientationInFrameSequence",
            KEEP,
            "Project addition: holds Patient Orientation of the frame; needed to orient it.",
        ),
        Rule(
            "(0028,9415)",
            "FramePixelShiftSequence",
            KEEP,
            "Project addition: mask pixel shift of subtraction frames; needed to display "
            "DSA correctly.",
        ),
        Rule(
            "(0028,6114)",
            "MaskSubPixelShift",
            KEEP,
            "Project addition: shift of the mask relative to the frame; a technical value.",
        ),
        Rule(
            "(0028,9416)",
            "SubtractionItemID",
            KEEP,
            "Project addition: which subtraction item a pixel shift belongs to; an index.",
        ),
        Rule(
            "(0018,9432)",
            "FieldOfViewSequence",
            KEEP,
            "Project addition: field of view shape, size and orientation of the frame.",
        ),
        Rule(
            "(0018,1147)",
            "FieldOfViewShape",
            KEEP,
            "Project addition: coded field of view shape (ROUND, RECTANGLE ...).",
        ),
        Rule(
            "(0018,9461)",
            "FieldOfViewDimensionsInFloat",
            KEEP,
            "Project addition: field of view dimensions in mm; geometry.",
        ),
    ),
    # Not a module of the source: the cardiac and respiratory synchronisation macros of the
    # functional groups (PS3.3 C.7.6.16.2.7, C.7.6.16.2.17). Every time in them is a delay or
    # an interval in milliseconds from the trigger, never a clock time.
    "Physiological Synchronization": (
        Rule(
            "(0018,9118)",
            "CardiacSynchronizationSequence",
            KEEP,
            "Project addition: trigger delays and R-R intervals of a gated frame; needed to "
            "order cardiac phases.",
        ),
        Rule(
            "(0020,9153)",
            "NominalCardiacTriggerDelayTime",
            KEEP,
            "Project addition: delay after the R wave in ms; a duration.",
        ),
        Rule(
            "(0020,9154)",
            "NominalCardiacTriggerTimePriorToRPeak",
            KEEP,
            "Project addition: time before the R peak in ms; a duration.",
        ),
        Rule(
            "(0020,9155)",
            "ActualCardiacTriggerTimePriorToRPeak",
            KEEP,
            "Project addition: measured time before the R peak in ms; a duration.",
        ),
        Rule(
            "(0020,9241)",
            "NominalPercentageOfCardiacPhase",
            KEEP,
            "Project addition: cardiac phase in percent of the R-R interval.",
        ),
        Rule(
            "(0020,9251)",
            "RRIntervalTimeNominal",
            KEEP,
            "Project addition: nominal R-R interval in ms; a duration.",
        ),
        Rule(
            "(0020,9252)",
            "ActualCardiacTriggerDelayTime",
            KEEP,
            "Project addition: measured delay after the R wave in ms; a duration.",
        ),
        Rule(
            "(0020,9253)",
            "RespiratorySynchronizationSequence",
            KEEP,
            "Project addition: respiratory trigger delays and phases of a gated frame.",
        ),
        Rule(
            "(0020,9245)",
            "NominalPercentageOfRespiratoryPhase",
            KEEP,
            "Project addition: respiratory phase in percent of the breathing cycle.",
        ),
        Rule(
            "(0020,9246)",
            "StartingRespiratoryAmplitude",
            KEEP,
            "Project addition: respiratory amplitude at the start of the frame; a signal "
            "value.",
        ),
        Rule(
            "(0020,9247)",
            "StartingRespiratoryPhase",
            KEEP,
            "Project addition: coded respiratory phase at the start of the frame.",
        ),
        Rule(
            "(0020,9248)",
            "EndingRespiratoryAmplitude",
            KEEP,
            "Project addition: respiratory amplitude at the end of the frame; a signal value.",
        ),
        Rule(
            "(0020,9249)",
            "EndingRespiratoryPhase",
            KEEP,
            "Project addition: coded respiratory phase at the end of the frame.",
        ),
        Rule(
            "(0020,9254)",
            "RespiratoryIntervalTime",
            KEEP,
            "Project addition: breathing interval in ms; a duration.",
        ),
        Rule(
            "(0020,9255)",
            "NominalRespiratoryTriggerDelayTime",
            KEEP,
            "Project addition: delay after the respiratory trigger in ms; a duration.",
        ),
        Rule(
            "(0020,9257)",
            "ActualRespiratoryTriggerDelayTime",
            KEEP,
            "Project addition: measured delay after the respiratory trigger in ms; a duration.",
        ),
    ),
    # Not a module of the source: PS3.3 C.8.5.5 (US Region Calibration). Every item attribute
    # is a number or a code; Active Image Area Overlay Group is not listed (overlays are
    # removed).
    "Ultrasound Regions": (
        Rule(
            "(0018,6011)",
            "SequenceOfUltrasoundRegions",
            KEEP,
            "Project addition: where each ultrasound region lies on the image and what a pixel "
            "measures there; without it no distance, area or velocity can be measured.",
        ),
        Rule(
            "(0018,6012)",
            "RegionSpatialFormat",
            KEEP,
            "Project addition: kind of region (2D, M-mode, spectral ...); a code.",
        ),
        Rule(
            "(0018,6014)",
            "RegionDataType",
            KEEP,
            "Project addition: kind of data in the region (tissue, colour flow ...); a code.",
        ),
        Rule("(0018,6016)", "RegionFlags", KEEP, "Project addition: region flag bits; a code."),
        Rule(
            "(0018,6018)",
            "RegionLocationMinX0",
            KEEP,
            "Project addition: left edge of the region in pixels.",
        ),
        Rule(
            "(0018,601A)",
            "RegionLocationMinY0",
            KEEP,
            "Project addition: top edge of the region in pixels.",
        ),
        Rule(
            "(0018,601C)",
            "RegionLocationMaxX1",
            KEEP,
            "Project addition: right edge of the region in pixels.",
        ),
        Rule(
            "(0018,601E)",
            "RegionLocationMaxY1",
            KEEP,
            "Project addition: bottom edge of the region in pixels.",
        ),
        Rule(
            "(0018,6020)",
            "ReferencePixelX0",
            KEEP,
            "Project addition: x of the region's reference pixel; calibration.",
        ),
        Rule(
            "(0018,6022)",
            "ReferencePixelY0",
            KEEP,
            "Project addition: y of the region's reference pixel; calibration.",
        ),
        Rule(
            "(0018,6024)",
            "PhysicalUnitsXDirection",
            KEEP,
            "Project addition: physical unit along x (cm, seconds ...); a code.",
        ),
        Rule(
            "(0018,6026)",
            "PhysicalUnitsYDirection",
            KEEP,
            "Project addition: physical unit along y (cm, cm/s ...); a code.",
        ),
        Rule(
            "(0018,6028)",
            "ReferencePixelPhysicalValueX",
            KEEP,
            "Project addition: physical value at the reference pixel along x; calibration.",
        ),
        Rule(
            "(0018,602A)",
            "ReferencePixelPhysicalValueY",
            KEEP,
            "Project addition: physical value at the reference pixel along y; calibration.",
        ),
        Rule(
            "(0018,602C)",
            "PhysicalDeltaX",
            KEEP,
            "Project addition: physical size of one pixel along x; the calibration measurements "
            "rely on.",
        ),
        Rule(
            "(0018,602E)",
            "PhysicalDeltaY",
            KEEP,
            "Project addition: physical size of one pixel along y; the calibration measurements "
            "rely on.",
        ),
        Rule(
            "(0018,6030)",
            "TransducerFrequency",
            KEEP,
            "Project addition: transducer frequency in kHz; an acquisition parameter.",
        ),
        Rule(
            "(0018,6032)",
            "PulseRepetitionFrequency",
            KEEP,
            "Project addition: pulse repetition frequency in Hz; an acquisition parameter.",
        ),
        Rule(
            "(0018,6034)",
            "DopplerCorrectionAngle",
            KEEP,
            "Project addition: Doppler angle correction in degrees; needed for velocities.",
        ),
        Rule(
            "(0018,6036)",
            "SteeringAngle",
            KEEP,
            "Project addition: beam steering angle; an acquisition parameter.",
        ),
        Rule(
            "(0018,6039)",
            "DopplerSampleVolumeXPosition",
            KEEP,
            "Project addition: x of the Doppler sample volume in pixels.",
        ),
        Rule(
            "(0018,603B)",
            "DopplerSampleVolumeYPosition",
            KEEP,
            "Project addition: y of the Doppler sample volume in pixels.",
        ),
        Rule(
            "(0018,603D)",
            "TMLinePositionX0",
            KEEP,
            "Project addition: M-mode line start x in pixels.",
        ),
        Rule(
            "(0018,603F)",
            "TMLinePositionY0",
            KEEP,
            "Project addition: M-mode line start y in pixels.",
        ),
        Rule(
            "(0018,6041)",
            "TMLinePositionX1",
            KEEP,
            "Project addition: M-mode line end x in pixels.",
        ),
        Rule(
            "(0018,6043)",
            "TMLinePositionY1",
            KEEP,
            "Project addition: M-mode line end y in pixels.",
        ),
        Rule(
            "(0018,6044)",
            "PixelComponentOrganization",
            KEEP,
            "Project addition: how pixel values map to physical values; a code.",
        ),
        Rule(
            "(0018,6046)",
            "PixelComponentMask",
            KEEP,
            "Project addition: bits of the pixel that carry the physical value.",
        ),
        Rule(
            "(0018,6048)",
            "PixelComponentRangeStart",
            KEEP,
            "Project addition: first pixel value of the mapped range.",
        ),
        Rule(
            "(0018,604A)",
            "PixelComponentRangeStop",
            KEEP,
            "Project addition: last pixel value of the mapped range.",
        ),
        Rule(
            "(0018,604C)",
            "PixelComponentPhysicalUnits",
            KEEP,
            "Project addition: physical unit of the mapped values; a code.",
        ),
        Rule(
            "(0018,604E)",
            "PixelComponentDataType",
            KEEP,
            "Project addition: kind of the mapped values (velocity, power ...); a code.",
        ),
        Rule(
            "(0018,6050)",
            "NumberOfTableBreakPoints",
            KEEP,
            "Project addition: size of the pixel-to-value break point table; a count.",
        ),
        Rule(
            "(0018,6052)",
            "TableOfXBreakPoints",
            KEEP,
            "Project addition: pixel values of the break point table; calibration.",
        ),
        Rule(
            "(0018,6054)",
            "TableOfYBreakPoints",
            KEEP,
            "Project addition: physical values of the break point table; calibration.",
        ),
        Rule(
            "(0018,6056)",
            "NumberOfTableEntries",
            KEEP,
            "Project addition: size of the pixel-to-value lookup table; a count.",
        ),
        Rule(
            "(0018,6058)",
            "TableOfPixelValues",
            KEEP,
            "Project addition: pixel values of the lookup table; calibration.",
        ),
        Rule(
            "(0018,605A)",
            "TableOfParameterValues",
            KEEP,
            "Project addition: physical values of the lookup table; calibration.",
        ),
        Rule(
            "(0040,9098)",
            "PixelValueMappingCodeSequence",
            KEEP,
            "Project addition: coded quantity the mapped pixel values stand for; its code "
            "items keep only code value, scheme and meaning.",
        ),
    ),
    # Not a module of the source: the LUT sequences of PS3.3 C.11.1 (Modality LUT), C.11.2
    # (VOI LUT) and the enhanced XA/XRF Pixel Intensity Relationship LUT.
    "LUT Sequences": (
        Rule(
            "(0028,3010)",
            "VOILUTSequence",
            KEEP,
            "Project addition: the display lookup tables of mammograms and radiographs, used "
            "instead of (or with) a window; without them the image shows too dark or too flat.",
        ),
        Rule(
            "(0028,3000)",
            "ModalityLUTSequence",
            KEEP,
            "Project addition: lookup table from stored values to modality units (XA, RF, DX); "
            "needed to interpret the values.",
        ),
        Rule(
            "(0028,3002)",
            "LUTDescriptor",
            KEEP,
            "Project addition: number of entries, first value and bit depth of a LUT; needed "
            "to apply it.",
        ),
        Rule(
            "(0028,3003)",
            "LUTExplanation",
            KEEP,
            "Project addition: label of a LUT, often a preset name a person chose; free text, "
            "so flagged.",
            free_text=True,
        ),
        Rule(
            "(0028,3004)",
            "ModalityLUTType",
            KEEP,
            "Project addition: unit of the Modality LUT output (OD, HU, US ...); a defined term, "
            "not free text.",
        ),
        Rule(
            "(0028,3006)",
            "LUTData",
            KEEP,
            "Project addition: the LUT's entries; needed to apply it.",
        ),
        Rule(
            "(0028,9422)",
            "PixelIntensityRelationshipLUTSequence",
            KEEP,
            "Project addition: LUTs of enhanced XA/XRF frames that linearise the stored values "
            "(for subtraction); needed to display them.",
        ),
        Rule(
            "(0028,9474)",
            "LUTFunction",
            KEEP,
            "Project addition: what such a LUT does (TO_LOG, TO_LINEAR ...); a coded value.",
        ),
    ),
    # Not a module of the source: timing attributes of the Cine, MR Image and related modules
    # that the source drops. Frame Time, Frame Time Vector and Frame Increment Pointer are
    # already kept by the source's Cine and Multi-frame modules. Actual Frame Duration is not
    # listed here: the source keeps it for NM and empties it for PET.
    "Viewer Timing": (
        Rule(
            "(0020,0100)",
            "TemporalPositionIdentifier",
            KEEP,
            "Project addition: which time point of a dynamic (perfusion, DCE) series the "
            "image belongs to; needed to group images by time.",
        ),
        Rule(
            "(0020,0105)",
            "NumberOfTemporalPositions",
            KEEP,
            "Project addition: how many time points the dynamic series has; a count.",
        ),
        Rule(
            "(0020,0110)",
            "TemporalResolution",
            KEEP,
            "Project addition: time between time points of a dynamic series in ms; an "
            "interval, not a clock time.",
        ),
        Rule(
            "(0018,0040)",
            "CineRate",
            KEEP,
            "Project addition: frames per second at which the loop was acquired; needed to "
            "play it at the right speed.",
        ),
        Rule(
            "(0008,2144)",
            "RecommendedDisplayFrameRate",
            KEEP,
            "Project addition: frames per second at which to play the loop; needed to play it "
            "at the right speed.",
        ),
        Rule(
            "(0018,1066)",
            "FrameDelay",
            KEEP,
            "Project addition: delay of the first frame after the start of acquisition, in ms; "
            "an interval.",
        ),
        Rule(
            "(0018,0072)",
            "EffectiveDuration",
            KEEP,
            "Project addition: total duration the frames cover, in seconds; a duration.",
        ),
        Rule(
            "(0008,2142)",
            "StartTrim",
            KEEP,
            "Project addition: first frame to show when the loop plays; a frame number.",
        ),
        Rule(
            "(0008,2143)",
            "StopTrim",
            KEEP,
            "Project addition: last frame to show when the loop plays; a frame number.",
        ),
        Rule(
            "(0018,1244)",
            "PreferredPlaybackSequencing",
            KEEP,
            "Project addition: whether the loop plays forward or back and forth; a code.",
        ),
        Rule(
            "(0018,1062)",
            "NominalInterval",
            KEEP,
            "Project addition: average R-R interval of a gated acquisition in ms; physiology "
            "too coarse to single anyone out, like Heart Rate.",
        ),
    ),
}

# Module order of the source's catch-all policy, then this project's additions.
CATCH_ALL: tuple[str, ...] = (
    "Broadly Safe Fields",
    "Acquisition Context",
    "DX Anatomy Imaged",
    "DX Detector",
    "DX Image",
    "DX Series",
    "General Equipment",
    "General Series",
    "General Study",
    "Image Pixel",
    "Patient",
    "SOP Common",
    "Mammography Series",
    "Mammography Image",
    "Frame of Reference",
    "Image Plane",
    "CT Image",
    "Cine",
    "Multi-frame",
    "Palette Color Lookup Table",
    "US Image",
    "MR Image",
    "MR Series",
    "Enhanced General Equipment",
    "Multi-frame Functional Groups",
    "Multi-frame Dimension",
    "MR Spectroscopy",
    "MR Spectroscopy Data",
    "X-Ray Image",
    "X-Ray Acquisition",
    "XA Positioner",
    "Enhanced Series",
    "X-Ray 3D Image",
    "NM/PET Patient Orientation",
    "NM Image Pixel",
    "NM Multi-frame",
    "NM Image",
    "NM Isotope",
    "NM Detector",
    "PET Series",
    "PET Isotope",
    "PET Image",
    "Enhanced Multi-frame Geometry",
    "Enhanced Multi-frame Display",
    "Multi-frame Dimension Index",
    "Enhanced MR Frame Technique",
    "Enhanced CT Frame Technique",
    "Enhanced X-Ray Frame Technique",
    "Physiological Synchronization",
    "Ultrasound Regions",
    "LUT Sequences",
    "Viewer Timing",
    "SOP Class Override",
    "Sequence Item Contents",
)

# This project's modules beyond the source that keep what a viewer needs (see the module
# docstring). Each is in CATCH_ALL, so it applies to every SOP class, and it is also named in
# the module list of each class whose IOD has the attributes. None lists a tag that a module
# of the source lists.
VIEWER_ADDITIONS: tuple[str, ...] = (
    "Enhanced Multi-frame Geometry",
    "Enhanced Multi-frame Display",
    "Multi-frame Dimension Index",
    "Enhanced MR Frame Technique",
    "Enhanced CT Frame Technique",
    "Enhanced X-Ray Frame Technique",
    "Physiological Synchronization",
    "Ultrasound Regions",
    "LUT Sequences",
    "Viewer Timing",
)

# SOP Class UID -> (name, modules overlaid in this order on top of the catch-all).
# Each list is the source's, in its order, with this project's modules of VIEWER_ADDITIONS
# that the class's IOD uses inserted before "SOP Common".
SOP_CLASSES: dict[str, tuple[str, tuple[str, ...]]] = {
    # digitalXRayPolicy() in the source.
    "1.2.840.10008.5.1.4.1.1.1.1": (
        "Digital X-Ray Image - For Presentation",
        (
            "Patient",
            "General Study",
            "General Series",
            "DX Series",
            "General Equipment",
            "Image Pixel",
            "DX Anatomy Imaged",
            "DX Image",
            "DX Detector",
            "Acquisition Context",
            "LUT Sequences",
            "SOP Common",
            "SOP Class Override",
        ),
    ),
    # Not in the source's policy map: same modules as 1.2.840.10008.5.1.4.1.1.1.1.
    "1.2.840.10008.5.1.4.1.1.1.1.1": (
        "Digital X-Ray Image - For Processing",
        (
            "Patient",
            "General Study",
            "General Series",
            "DX Series",
            "General Equipment",
            "Image Pixel",
            "DX Anatomy Imaged",
            "DX Image",
            "DX Detector",
            "Acquisition Context",
            "LUT Sequences",
            "SOP Common",
            "SOP Class Override",
        ),
    ),
    # digitalMammographyXRayPolicy() in the source.
    "1.2.840.10008.5.1.4.1.1.1.2": (
        "Digital Mammography X-Ray Image - For Presentation",
        (
            "Patient",
            "General Study",
            "General Series",
            "DX Series",
            "Mammography Series",
            "General Equipment",
            "Image Pixel",
            "DX Anatomy Imaged",
            "DX Image",
            "DX Detector",
            "Mammography Image",
            "Acquisition Context",
            "LUT Sequences",
            "SOP Common",
            "SOP Class Override",
        ),
    ),
    # Not in the source's policy map: same modules as 1.2.840.10008.5.1.4.1.1.1.2.
    "1.2.840.10008.5.1.4.1.1.1.2.1": (
        "Digital Mammography X-Ray Image - For Processing",
        (
            "Patient",
            "General Study",
            "General Series",
            "DX Series",
            "Mammography Series",
            "General Equipment",
            "Image Pixel",
            "DX Anatomy Imaged",
            "DX Image",
            "DX Detector",
            "Mammography Image",
            "Acquisition Context",
            "LUT Sequences",
            "SOP Common",
            "SOP Class Override",
        ),
    ),
    # ctImagePolicy() in the source.
    "1.2.840.10008.5.1.4.1.1.2": (
        "CT Image",
        (
            "Patient",
            "General Study",
            "General Series",
            "DX Image",
            "Frame of Reference",
            "General Equipment",
            "Image Plane",
            "Image Pixel",
            "CT Image",
            "VOI LUT",
            "LUT Sequences",
            "SOP Common",
            "SOP Class Override",
        ),
    ),
    # ultrasoundMultiframeImagePolicy() in the source.
    "1.2.840.10008.5.1.4.1.1.3.1": (
        "Ultrasound Multi-frame Image",
        (
            "Patient",
            "General Study",
            "General Series",
            "DX Image",
            "Frame of Reference",
            "General Equipment",
            "Image Pixel",
            "Cine",
            "Multi-frame",
            "Palette Color Lookup Table",
            "US Image",
            "Ultrasound Regions",
            "LUT Sequences",
            "Viewer Timing",
            "SOP Common",
            "SOP Class Override",
        ),
    ),
    # mrImagePolicy() in the source.
    "1.2.840.10008.5.1.4.1.1.4": (
        "MR Image",
        (
            "Patient",
            "General Study",
            "General Series",
            "DX Image",
            "Frame of Reference",
            "General Equipment",
            "Image Plane",
            "Image Pixel",
            "MR Image",
            "LUT Sequences",
            "Viewer Timing",
            "SOP Common",
            "SOP Class Override",
        ),
    ),
    # mrSpectroscopyImagePolicy() in the source.
    "1.2.840.10008.5.1.4.1.1.4.2": (
        "MR Spectroscopy",
        (
            "Patient",
            "General Study",
            "General Series",
            "DX Image",
            "MR Series",
            "Frame of Reference",
            "General Equipment",
            "Enhanced General Equipment",
            "Multi-frame Functional Groups",
            "Multi-frame Dimension",
            "Acquisition Context",
            "MR Spectroscopy",
            "MR Spectroscopy Data",
            "Enhanced Multi-frame Geometry",
            "Enhanced Multi-frame Display",
            "Multi-frame Dimension Index",
            "Enhanced MR Frame Technique",
            "Physiological Synchronization",
            "SOP Common",
            "SOP Class Override",
        ),
    ),
    # ultrasoundImagePolicy() in the source.
    "1.2.840.10008.5.1.4.1.1.6.1": (
        "Ultrasound Image",
        (
            "Patient",
            "General Study",
            "General Series",
            "General Equipment",
            "DX Image",
            "Image Pixel",
            "US Image",
            "Ultrasound Regions",
            "LUT Sequences",
            "SOP Common",
            "SOP Class Override",
        ),
    ),
    # xRayAngiographicImagePolicy() in the source.
    "1.2.840.10008.5.1.4.1.1.12.1": (
        "X-Ray Angiographic Image",
        (
            "Patient",
            "General Study",
            "General Series",
            "DX Image",
            "General Equipment",
            "Image Pixel",
            "X-Ray Image",
            "X-Ray Acquisition",
            "LUT Sequences",
            "Viewer Timing",
            "SOP Common",
            "SOP Class Override",
        ),
    ),
    # xRayRadiofluoroscopicImagePolicy() in the source.
    "1.2.840.10008.5.1.4.1.1.12.2": (
        "X-Ray Radiofluoroscopic Image",
        (
            "Patient",
            "General Study",
            "General Series",
            "General Equipment",
            "DX Image",
            "Image Pixel",
            "X-Ray Image",
            "X-Ray Acquisition",
            "LUT Sequences",
            "Viewer Timing",
            "SOP Common",
            "SOP Class Override",
        ),
    ),
    # xRay3DAngiographicImagePolicy() in the source.
    "1.2.840.10008.5.1.4.1.1.13.1.1": (
        "X-Ray 3D Angiographic Image",
        (
            "Patient",
            "General Study",
            "General Series",
            "DX Image",
            "Enhanced Series",
            "Frame of Reference",
            "General Equipment",
            "Enhanced General Equipment",
            "Image Pixel",
            "Acquisition Context",
            "Multi-frame Functional Groups",
            "X-Ray 3D Image",
            "Enhanced Multi-frame Geometry",
            "Enhanced Multi-frame Display",
            "Multi-frame Dimension Index",
            "Physiological Synchronization",
            "SOP Common",
            "SOP Class Override",
        ),
    ),
    # nuclearMedicineImagePolicy() in the source.
    "1.2.840.10008.5.1.4.1.1.20": (
        "Nuclear Medicine Image",
        (
            "Patient",
            "General Study",
            "General Series",
            "DX Image",
            "NM/PET Patient Orientation",
            "General Equipment",
            "Image Pixel",
            "NM Image Pixel",
            "Multi-frame",
            "NM Multi-frame",
            "NM Image",
            "NM Isotope",
            "NM Detector",
            "LUT Sequences",
            "SOP Common",
            "SOP Class Override",
        ),
    ),
    # positronEmissionTomographyImagePolicy() in the source.
    "1.2.840.10008.5.1.4.1.1.128": (
        "Positron Emission Tomography Image",
        (
            "Patient",
            "General Study",
            "General Series",
            "DX Image",
            "PET Series",
            "PET Isotope",
            "NM/PET Patient Orientation",
            "Frame of Reference",
            "General Equipment",
            "Image Plane",
            "Image Pixel",
            "PET Image",
            "LUT Sequences",
            "SOP Common",
            "SOP Class Override",
        ),
    ),
}
