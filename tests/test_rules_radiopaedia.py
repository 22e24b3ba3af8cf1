"""Checks of the Radiopaedia whitelist policy table (anonymizer/rules/radiopaedia.py)."""

from __future__ import annotations

import re

import pytest
from pydicom.datadict import dictionary_VR, keyword_for_tag
from pydicom.valuerep import validate_value

from anonymizer.rules import KEEP, REGENERATE, REMOVE, REPLACE, Rule
from anonymizer.rules import radiopaedia as rp

ALL_RULES = [(name, rule) for name, rules in rp.MODULES.items() for rule in rules]


def effective(modules: tuple[str, ...] | list[str], base: dict[int, Rule] | None = None):
    """Overlay modules in order: a later module's rule wins for the same tag."""
    policy = dict(base or {})
    for name in modules:
        for rule in rp.MODULES[name]:
            policy[rule.tag_int] = rule
    return policy


CATCH_ALL = effective(rp.CATCH_ALL)


def policy_for(uid: str) -> dict[int, Rule]:
    if uid not in rp.SOP_CLASSES:
        return CATCH_ALL
    return effective(rp.SOP_CLASSES[uid][1], CATCH_ALL)


ALL_POLICIES = {"catch-all": CATCH_ALL, **{uid: policy_for(uid) for uid in rp.SOP_CLASSES}}


def tag(text: str) -> int:
    group, element = text.strip("()").split(",")
    return int(group, 16) << 16 | int(element, 16)


# ---------------------------------------------------------------- shape of the table


def test_source_names_file_and_commit():
    assert "radiopaedia/dicom-anonymiser" in rp.SOURCE
    assert "src/Policies.ts" in rp.SOURCE
    assert "3a350f2" in rp.SOURCE
    assert "3a350f2" in rp.__doc__


@pytest.mark.parametrize("name,rule", ALL_RULES, ids=lambda x: getattr(x, "tag", x))
def test_rule_is_well_formed(name, rule):
    assert isinstance(rule, Rule)
    assert re.fullmatch(r"\([0-9A-F]{4},[0-9A-F]{4}\)", rule.tag), rule.tag
    assert rule.keyword == keyword_for_tag(rule.tag_int), (name, rule.tag)
    assert rule.action in (KEEP, REPLACE, REMOVE, REGENERATE)
    assert rule.reason.strip()
    if rule.action != REPLACE:
        assert rule.value == "", (name, rule.tag)
    if rule.free_text:
        assert rule.action == KEEP, (name, rule.tag)
    if rule.action == REGENERATE:
        assert dictionary_VR(rule.tag_int) == "UI", (name, rule.tag)


def test_no_duplicate_tag_within_a_module():
    for name, rules in rp.MODULES.items():
        tags = [rule.tag for rule in rules]
        assert len(tags) == len(set(tags)), name


def test_no_private_curve_overlay_or_file_meta_tag():
    for name, rule in ALL_RULES:
        group = rule.tag_int >> 16
        assert group % 2 == 0, (name, rule.tag)
        assert group & 0xFF00 not in (0x5000, 0x6000), (name, rule.tag)
        assert group != 0x0002, (name, rule.tag)


def _valid_replacement(vr: str, value: str) -> bool:
    if value == "":
        return True  # emptied (a sequence emptied has no items)
    if vr == "SQ":
        return False
    values = value.split("\\")
    if vr == "DA":
        return all(re.fullmatch(r"\d{8}", v) for v in values)
    if vr == "TM":
        return all(re.fullmatch(r"\d{2}(\d{2}(\d{2}(\.\d{1,6})?)?)?", v) for v in values)
    if vr == "DT":
        return all(re.fullmatch(r"\d{4}(\d{2}){0,5}(\.\d{1,6})?([+-]\d{4})?", v) for v in values)
    for v in values:
        validate_value(vr, v, 2)  # pydicom's own VR rules; 2 = raise on error
    return True


def test_replacement_values_fit_the_vr():
    for name, rule in ALL_RULES:
        if rule.action == REPLACE:
            vr = dictionary_VR(rule.tag_int)
            assert _valid_replacement(vr, rule.value), (name, rule.tag, vr, rule.value)


def test_every_named_module_exists():
    for name in rp.CATCH_ALL:
        assert name in rp.MODULES, name
    for uid, (class_name, modules) in rp.SOP_CLASSES.items():
        assert class_name
        for name in modules:
            assert name in rp.MODULES, (uid, name)


def test_sequence_item_contents_is_last_in_catch_all():
    assert rp.CATCH_ALL[-1] == "Sequence Item Contents"


def test_every_class_ends_with_sop_class_override():
    for uid, (_, modules) in rp.SOP_CLASSES.items():
        assert modules[-1] == "SOP Class Override", uid
        assert "SOP Common" in modules, uid


REQUIRED_CLASSES = {
    "1.2.840.10008.5.1.4.1.1.1.1": "DX for presentation",
    "1.2.840.10008.5.1.4.1.1.1.1.1": "DX for processing",
    "1.2.840.10008.5.1.4.1.1.1.2": "MG for presentation",
    "1.2.840.10008.5.1.4.1.1.1.2.1": "MG for processing",
    "1.2.840.10008.5.1.4.1.1.2": "CT",
    "1.2.840.10008.5.1.4.1.1.6.1": "US",
    "1.2.840.10008.5.1.4.1.1.3.1": "US multi-frame",
    "1.2.840.10008.5.1.4.1.1.4": "MR",
    "1.2.840.10008.5.1.4.1.1.4.2": "MR spectroscopy",
    "1.2.840.10008.5.1.4.1.1.12.1": "XA",
    "1.2.840.10008.5.1.4.1.1.12.2": "RF",
    "1.2.840.10008.5.1.4.1.1.13.1.1": "XA 3D",
    "1.2.840.10008.5.1.4.1.1.20": "NM",
    "1.2.840.10008.5.1.4.1.1.128": "PET",
}


def test_required_sop_classes_are_present():
    assert set(REQUIRED_CLASSES) <= set(rp.SOP_CLASSES)
    assert len(rp.SOP_CLASSES) == 14


def test_for_processing_classes_use_the_presentation_modules():
    dx, mg = "1.2.840.10008.5.1.4.1.1.1.1", "1.2.840.10008.5.1.4.1.1.1.2"
    assert rp.SOP_CLASSES[dx + ".1"][1] == rp.SOP_CLASSES[dx][1]
    assert rp.SOP_CLASSES[mg + ".1"][1] == rp.SOP_CLASSES[mg][1]


# ---------------------------------------------------------------- effective policies


@pytest.mark.parametrize("which", list(ALL_POLICIES))
def test_direct_identifiers_are_emptied(which):
    policy = ALL_POLICIES[which]
    for t in ("(0010,0010)", "(0010,0020)", "(0008,0050)", "(0020,0010)", "(0008,0090)"):
        rule = policy[tag(t)]
        assert (rule.action, rule.value) == (REPLACE, ""), (which, t)


@pytest.mark.parametrize("which", list(ALL_POLICIES))
def test_study_series_acquisition_content_dates_and_times_are_fixed(which):
    # The source empties study and acquisition date/time; this project writes the same fixed
    # values it uses for series and content date/time, so every class dates its images alike.
    policy = ALL_POLICIES[which]
    for t in ("(0008,0020)", "(0008,0021)", "(0008,0022)", "(0008,0023)"):
        assert (policy[tag(t)].action, policy[tag(t)].value) == (REPLACE, "19700101"), (which, t)
    for t in ("(0008,0030)", "(0008,0031)", "(0008,0032)", "(0008,0033)"):
        assert (policy[tag(t)].action, policy[tag(t)].value) == (REPLACE, "000000"), (which, t)


@pytest.mark.parametrize("which", list(ALL_POLICIES))
def test_patient_age_size_weight_are_blanked(which):
    policy = ALL_POLICIES[which]
    for t in ("(0010,1010)", "(0010,1020)", "(0010,1030)"):
        rule = policy[tag(t)]
        assert (rule.action, rule.value) == (REPLACE, ""), (which, t)


@pytest.mark.parametrize("which", list(ALL_POLICIES))
def test_equipment_identity_is_blanked(which):
    # General Equipment empties Manufacturer; Enhanced General Equipment overwrites the four
    # attributes with the placeholder "REMOVED" (as the source does). Either way the real
    # value is gone.
    policy = ALL_POLICIES[which]
    for t in ("(0008,0070)", "(0008,1090)", "(0018,1000)", "(0018,1020)"):
        rule = policy[tag(t)]
        assert rule.action == REPLACE and rule.value in ("", "REMOVED"), (which, t)


def test_equipment_values_follow_the_source():
    assert CATCH_ALL[tag("(0008,0070)")].value == "REMOVED"
    ct = policy_for("1.2.840.10008.5.1.4.1.1.2")
    assert ct[tag("(0008,0070)")].value == ""  # General Equipment, in the CT class list
    assert ct[tag("(0008,1090)")].value == "REMOVED"  # left by the catch-all


@pytest.mark.parametrize("which", list(ALL_POLICIES))
def test_patient_sex_is_kept(which):
    assert ALL_POLICIES[which][tag("(0010,0040)")].action == KEEP


@pytest.mark.parametrize("which", list(ALL_POLICIES))
def test_structural_uids_are_regenerated(which):
    policy = ALL_POLICIES[which]
    for t in ("(0020,000D)", "(0020,000E)", "(0008,0018)", "(0020,0052)", "(0008,1155)"):
        assert policy[tag(t)].action == REGENERATE, (which, t)


@pytest.mark.parametrize("which", list(ALL_POLICIES))
def test_sop_class_uid_and_pixel_data_are_kept(which):
    policy = ALL_POLICIES[which]
    assert policy[tag("(0008,0016)")].action == KEEP
    assert policy[tag("(7FE0,0010)")].action == KEEP


def test_catch_all_counts():
    # Radiopaedia's published catch-all: 237 kept, 22 replaced, 4 regenerated, 9 removed.
    # This project adds Patient's Name (replaced), "Sequence Item Contents" (8 kept,
    # Referenced SOP Instance UID regenerated; Study/Series/Frame of Reference UIDs are
    # already regenerated) and the viewer modules (209 kept, Dimension Organization UID
    # regenerated; see tests/test_radiopaedia_viewer_needs.py).
    counts = {action: 0 for action in (KEEP, REPLACE, REGENERATE, REMOVE)}
    for rule in CATCH_ALL.values():
        counts[rule.action] += 1
    assert counts == {KEEP: 454, REPLACE: 23, REGENERATE: 6, REMOVE: 9}
    viewer = [rule for name in rp.VIEWER_ADDITIONS for rule in rp.MODULES[name]]
    assert (len(rp.VIEWER_ADDITIONS), len(viewer)) == (10, 210)


def test_per_class_overrides_follow_the_source():
    us = policy_for("1.2.840.10008.5.1.4.1.1.6.1")
    assert (us[tag("(0008,0008)")].action, us[tag("(0008,0008)")].value) == (REPLACE, "")
    assert CATCH_ALL[tag("(0008,0008)")].action == KEEP
    nm = policy_for("1.2.840.10008.5.1.4.1.1.20")
    assert nm[tag("(0018,1242)")].action == KEEP
    assert CATCH_ALL[tag("(0018,1242)")].action == REPLACE


def test_explicitly_removed_sequences():
    removed = {rule.tag for rule in CATCH_ALL.values() if rule.action == REMOVE}
    assert removed == {
        "(0008,2218)",
        "(0018,9126)",
        "(0018,9346)",
        "(0040,0275)",
        "(0040,030E)",
        "(0054,0012)",
        "(0054,0016)",
        "(0054,0022)",
        "(0054,0220)",
    }


def test_free_text_flags():
    flagged = {rule.tag for _, rule in ALL_RULES if rule.free_text}
    assert flagged == {
        "(0008,103E)",  # Series Description
        "(0018,0010)",  # Contrast/Bolus Agent
        "(0018,7006)",  # Detector Description
        "(0018,7062)",  # Exposure Control Mode Description
        "(0028,0A04)",  # Pixel Spacing Calibration Description
        # kept by the source, flagged by this project (see the module docstring)
        "(0020,1040)",  # Position Reference Indicator
        "(0028,1055)",  # Window Center & Width Explanation
        # kept by this project's viewer modules
        "(0020,9421)",  # Dimension Description Label
        "(0028,3003)",  # LUT Explanation
    }
    # the same tag is flagged the same way wherever it is listed
    by_tag: dict[str, set[bool]] = {}
    for _, rule in ALL_RULES:
        if rule.action == KEEP:
            by_tag.setdefault(rule.tag, set()).add(rule.free_text)
    assert all(len(flags) == 1 for flags in by_tag.values())
