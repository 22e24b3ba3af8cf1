"""Check an anonymised data set before it may leave: three levels of findings.

Level 1 (fatal) refuses the file: a person's name, an age, Recognizable Visual Features YES,
Patient Identity Removed not YES. Level 2 (possible leak) is written but flagged: burned-in
annotation that is not ruled out, a date that was kept, free text that was kept or cleaned, an
age over 89 kept by an option. Level 3 (abnormality) is a value that does not fit its VR.

The validator reads the output. It asks the policy only what the policy itself promised, never
whether a value is safe:

* A person name is refused unless it is exactly the dummy person name the package writes
  (``anonymizer.rules.DUMMIES``: a dummy is not a person). No policy, option or custom rule
  can make it accept any other name.
* An age is refused unless it is the dummy age, or the policy keeps that attribute because an
  option of the standard retains it (Retain Patient Characteristics keeps Patient's Age). A
  custom rule cannot do that.
* Which dates and texts were kept or cleaned (level 2) is read from the rule that applied.
"""

from __future__ import annotations

import weakref
from functools import lru_cache

from pydicom.datadict import keyword_for_tag
from pydicom.dataelem import DataElement
from pydicom.dataset import Dataset
from pydicom.multival import MultiValue
from pydicom.valuerep import PersonName, validate_value
from pydicom import config

from .findings import ABNORMALITY, FATAL, POSSIBLE_LEAK, Finding
from .policy import Policy
from .report import BINARY_VRS, tag_text
from .rules import CLEAN, KEEP, REPLACE

BURNS_IN_TEXT = frozenset({"US", "XA", "RF", "SC", "ES"})
"""Modalities whose images often carry text burned into the pixels."""

_CLEANED_TEXT_VRS = frozenset({"LO", "LT", "SH", "ST", "UC", "UT"})
_LONG_TEXT_VRS = frozenset({"LT", "ST", "UT"})
OLDEST_SAFE_AGE = 89
"""HIPAA Safe Harbor: ages over 89 are identifying and must be aggregated."""
_SINGLE_TYPES = (str, bytes, PersonName)
"""Values that pydicom counts as one value (or none when empty)."""
_NUMBER_TYPES = (int, float)
"""Single numbers (IS and DS values among them): one value."""
_STRING_VRS = frozenset({"AE", "AS", "CS", "DA", "DS", "DT", "IS", "LO", "LT", "SH", "ST", "TM", "UC", "UI", "UR", "UT"})
_PATIENT_IDENTITY_REMOVED = 0x00120062
_BURNED_IN_ANNOTATION = 0x00280301
_RECOGNIZABLE_VISUAL_FEATURES = 0x00280302


SECONDARY_CAPTURE_CLASSES = frozenset({
    "1.2.840.10008.5.1.4.1.1.7", "1.2.840.10008.5.1.4.1.1.7.1", "1.2.840.10008.5.1.4.1.1.7.2",
    "1.2.840.10008.5.1.4.1.1.7.3", "1.2.840.10008.5.1.4.1.1.7.4",
})
"""Secondary Capture: screenshots and scanned documents, whatever their Modality (often OT)."""


def validate(dataset: Dataset, policy: Policy, *, top_level: bool = True) -> list[Finding]:
    """Findings for ``dataset``; ``top_level=False`` for elements that are not a whole data
    set (those after the pixel data): the checks of the data set as a whole are skipped."""
    findings: list[Finding] = []
    _walk(dataset, policy, "", "", findings)
    if top_level:
        findings.extend(_top_level(dataset, policy))
    return findings


def _walk(dataset: Dataset, policy: Policy, parent: str, prefix: str, findings: list[Finding]) -> None:
    elements = dataset._dict
    judged = _judged(policy, parent)
    for tag in sorted(elements, key=int):  # compared as plain ints: BaseTag compares in Python
        element = elements[tag]
        if not isinstance(element, DataElement):
            element = dataset[tag]  # still raw: converted as pydicom converts it
        tag = int(tag)  # a plain int: pydicom's BaseTag compares in Python, slowly
        if element.VR == "SQ":
            if tag == 0x00120064 and not parent:
                continue  # De-identification Method Code Sequence: written by the package, not copied
            keyword = keyword_for_tag(tag) or tag_text(tag)
            path = prefix + tag_text(tag)
            for index, item in enumerate(element.value or ()):
                _walk(item, policy, keyword, f"{path}[{index}].", findings)
            continue
        # The engine shares kept and constant elements between the files of a series (they
        # are never changed once made): what one of them gives, under one policy and in one
        # sequence, is judged once. The verdict holds the element (its id is not reused while
        # it is kept).
        held = judged.get(id(element))
        if held is None or held[0] is not element:
            if len(judged) >= _VERDICTS_KEPT:
                judged.clear()
            held = judged[id(element)] = (element, _verdicts(element, tag, parent, policy))
            _judged_count[0] += 1
        if held[1]:
            path = prefix + tag_text(tag)
            findings.extend(Finding(level, path, message) for level, message in held[1])


def _judged(policy: Policy, parent: str) -> dict[int, tuple[DataElement, tuple[tuple[int, str], ...]]]:
    """The verdicts given under ``policy`` in the sequence ``parent``, by the id of their element.
    They are held with a weak reference to the policy: a policy is not kept alive by them, and
    its id, reused by another policy, finds nothing."""
    if _judged_count[0] >= _VERDICTS_KEPT:  # forgotten, to be given again
        _VERDICTS.clear()
        _judged_count[0] = 0
    key = (id(policy), parent)
    held = _VERDICTS.get(key)
    if held is None or held[0]() is not policy:
        held = _VERDICTS[key] = (weakref.ref(policy), {})
        _judged_count[0] += 1
    return held[1]


_VERDICTS: dict[tuple[int, str], tuple[weakref.ref, dict]] = {}
_VERDICTS_KEPT = 8192
"""Verdicts (and places they are given in) kept at most, in all, once a data set has been walked,
and in one place while it is walked."""
_judged_count = [0]


def _verdicts(element: DataElement, tag: int, parent: str, policy: Policy) -> tuple[tuple[int, str], ...]:
    """(level, message) of each finding for one element (not a sequence) of the output."""
    vr = element.VR
    if vr in BINARY_VRS:
        return ()
    value = element.value
    if value is None:
        return ()
    if isinstance(value, _SINGLE_TYPES):  # what pydicom's VM property reads, without it
        multiplicity = 1 if value else 0
    elif type(value) is MultiValue or type(value) is list:
        multiplicity = len(value)
    elif isinstance(value, _NUMBER_TYPES):
        multiplicity = 1
    else:
        multiplicity = element.VM
    if not multiplicity:  # empty
        return ()
    values = value if multiplicity > 1 else [value]
    present = [v for v in values if v is not None and str(v).strip("\x00 ")]
    if not present:
        return ()
    found = []
    rule = policy.rule_for(tag, parent)
    dummy = str(policy.dummies.get(vr))
    if all(str(v) == dummy for v in present):
        pass  # the package's own dummy: it holds nothing from the input
    elif _written_by_option(rule, present, ("pseudonym", "retain-patient-characteristics")):
        pass  # the tcia profile's patient pseudonym, or a Safe Harbor age (090Y): computed, not copied
    elif vr == "PN":
        found.append((FATAL, "a person's name is still present"))
    elif vr == "AS":
        if rule is None or rule.action != KEEP or not rule.option:
            found.append((FATAL, "an age is still present"))
        elif any(_years(v) > OLDEST_SAFE_AGE for v in present):
            found.append((POSSIBLE_LEAK, (
                f"an age over {OLDEST_SAFE_AGE} years was kept ({rule.option}): such ages are "
                "identifying (HIPAA Safe Harbor)"
            )))
    elif rule is not None and rule.action == KEEP:
        if vr in ("DA", "DT"):
            found.append((POSSIBLE_LEAK, "a date was kept, not replaced"))
        if rule.free_text:
            found.append((POSSIBLE_LEAK, "free text was kept: check it names no one"))
        elif rule is policy.default and vr in _LONG_TEXT_VRS:
            found.append((POSSIBLE_LEAK, "free text the profile does not list was kept: check it names no one"))
    elif rule is not None and rule.action == CLEAN and vr in _CLEANED_TEXT_VRS:
        found.append((POSSIBLE_LEAK, (
            "free text was cleaned of the names, IDs and dates found in this file: check it "
            "names no one else"
        )))
    if vr in _STRING_VRS:
        for value in present:
            text = getattr(value, "original_string", None) or str(value)
            problem = _invalid(vr, text) if len(text) <= _REMEMBERED_LENGTH else _problem(vr, text)
            if problem is not None:
                found.append((ABNORMALITY, _without_value(problem, value)))
                break
    return tuple(found)


_REMEMBERED_LENGTH = 256


def _problem(vr: str, text) -> str | None:
    """pydicom's objection to ``text`` as a value of ``vr``, None if it has none."""
    try:
        validate_value(vr, text, config.RAISE)
    except (ValueError, TypeError) as error:
        return str(error)
    return None


@lru_cache(maxsize=8192)
def _invalid(vr: str, text) -> str | None:
    """:func:`_problem` for short values, once per value: a series repeats them."""
    return _problem(vr, text)


def _top_level(dataset: Dataset, policy: Policy) -> list[Finding]:
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
    elif burned is None and (modality in BURNS_IN_TEXT or policy.sop_class_uid in SECONDARY_CAPTURE_CLASSES):
        kind = modality if modality in BURNS_IN_TEXT else "Secondary Capture"
        findings.append(Finding(
            POSSIBLE_LEAK, tag_text(_BURNED_IN_ANNOTATION),
            f"Burned In Annotation is absent and {kind} images often carry text in the pixels",
        ))
    return findings


def _written_by_option(rule, present, options) -> bool:
    """The value is exactly what a built-in replace rule of one of ``options`` writes
    (``anonymizer.research``); a custom policy can neither replace a name or an age nor set an
    option, so this never lets a copied value through."""
    return (rule is not None and rule.action == REPLACE and rule.option in options and bool(rule.value)
            and all(str(v) == rule.value for v in present))


def _years(age) -> int:
    """An AS value (``nnnD``, ``nnnW``, ``nnnM``, ``nnnY``) in whole years; 0 if unreadable."""
    text = str(age).strip()
    if len(text) != 4 or not text[:3].isdigit():
        return 0
    return int(text[:3]) // {"D": 365, "W": 52, "M": 12, "Y": 1}.get(text[3], 10**6)


def _without_value(message: str, value) -> str:
    """pydicom's validation message, first sentence, without the value it quotes."""
    text = str(value)
    message = message.split(". Please see")[0]
    return message.replace(repr(text), "the value").replace(text, "the value") if text else message
