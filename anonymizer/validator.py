"""Check an anonymised data set before it may leave: three levels of findings.

Level 1 (fatal) refuses the file: a person's name, an age, Recognizable Visual Features YES,
Patient Identity Removed not YES. Level 2 (possible leak) is written but flagged: burned-in
annotation that is not ruled out, a date that was kept, free text that was kept. Level 3
(abnormality) is a value that does not fit its VR.

The validator reads the output only; it does not trust the policy that produced it.
"""

from __future__ import annotations

from pydicom.dataset import Dataset
from pydicom.valuerep import validate_value
from pydicom import config

from .findings import ABNORMALITY, FATAL, POSSIBLE_LEAK, Finding
from .policy import Policy
from .report import BINARY_VRS, tag_text
from .rules import KEEP

BURNS_IN_TEXT = frozenset({"US", "XA", "RF", "SC", "ES"})
"""Modalities whose images often carry text burned into the pixels."""

_STRING_VRS = frozenset({"AE", "AS", "CS", "DA", "DS", "DT", "IS", "LO", "LT", "SH", "ST", "TM", "UC", "UI", "UR", "UT"})
_PATIENT_IDENTITY_REMOVED = 0x00120062
_BURNED_IN_ANNOTATION = 0x00280301
_RECOGNIZABLE_VISUAL_FEATURES = 0x00280302


def validate(dataset: Dataset, policy: Policy) -> list[Finding]:
    findings: list[Finding] = []
    _walk(dataset, policy, "", findings)
    findings.extend(_top_level(dataset))
    return findings


def _walk(dataset: Dataset, policy: Policy, prefix: str, findings: list[Finding]) -> None:
    for tag in sorted(dataset._dict):
        element = dataset[tag]
        path = prefix + tag_text(tag)
        vr = element.VR
        if vr == "SQ":
            for index, item in enumerate(element.value or ()):
                _walk(item, policy, f"{path}[{index}].", findings)
            continue
        if vr in BINARY_VRS or element.is_empty:
            continue
        values = element.value if element.VM > 1 else [element.value]
        present = [v for v in values if v is not None and str(v).strip("\x00 ")]
        if not present:
            continue
        if vr == "PN":
            findings.append(Finding(FATAL, path, "a person's name is still present"))
        elif vr == "AS":
            findings.append(Finding(FATAL, path, "an age is still present"))
        rule = policy.rule_for(tag)
        if rule is not None and rule.action == KEEP:
            if vr in ("DA", "DT"):
                findings.append(Finding(POSSIBLE_LEAK, path, "a date was kept, not replaced"))
            if rule.free_text:
                findings.append(
                    Finding(POSSIBLE_LEAK, path, "free text was kept: check it names no one")
                )
        if vr not in _STRING_VRS:
            continue
        for value in present:
            text = getattr(value, "original_string", None) or str(value)
            try:
                validate_value(vr, text, config.RAISE)
            except (ValueError, TypeError) as error:
                findings.append(Finding(ABNORMALITY, path, _without_value(str(error), value)))
                break


def _top_level(dataset: Dataset) -> list[Finding]:
    findings = []
    removed = dataset.get(_PATIENT_IDENTITY_REMOVED)
    if removed is None or str(removed.value).strip().upper() != "YES":
        findings.append(
            Finding(FATAL, tag_text(_PATIENT_IDENTITY_REMOVED), "Patient Identity Removed is not YES")
        )
    features = dataset.get(_RECOGNIZABLE_VISUAL_FEATURES)
    if features is not None and str(features.value).strip().upper() == "YES":
        findings.append(Finding(
            FATAL, tag_text(_RECOGNIZABLE_VISUAL_FEATURES),
            "the image has recognizable visual features (a face, for example)",
        ))
    burned = dataset.get(_BURNED_IN_ANNOTATION)
    modality = str(dataset.get("Modality", "") or "").strip().upper()
    if burned is not None and str(burned.value).strip().upper() != "NO":
        findings.append(Finding(
            POSSIBLE_LEAK, tag_text(_BURNED_IN_ANNOTATION),
            "Burned In Annotation is not NO: text in the pixels may identify the patient",
        ))
    elif burned is None and modality in BURNS_IN_TEXT:
        findings.append(Finding(
            POSSIBLE_LEAK, tag_text(_BURNED_IN_ANNOTATION),
            f"Burned In Annotation is absent and {modality} images often carry text in the pixels",
        ))
    return findings


def _without_value(message: str, value) -> str:
    """pydicom's validation message, first sentence, without the value it quotes."""
    text = str(value)
    message = message.split(". Please see")[0]
    return message.replace(repr(text), "the value").replace(text, "the value") if text else message
