"""Custom policies: the JSON schema, its error messages, how its rules combine with the
profile and options, and the command line's --policy."""

from __future__ import annotations

import io
import json
import subprocess
import sys

import pydicom
import pytest

from anonymizer import CustomPolicy, PolicyError, anonymize, load_policy, parse_policy
from anonymizer.rules import DUMMIES
from standard_planting import make_file

EXAMPLE = {
    "name": "trial-42",
    "profile": "basic",
    "options": ["retain-patient-characteristics"],
    "rules": [
        {"keyword": "StudyDescription", "action": "clean", "reason": "protocol names matter"},
        {"tag": "(0010,0020)", "action": "replace", "value": "TRIAL42-001"},
        {"range": ["(0009,0000)", "(0009,FFFF)"], "action": "remove"},
        {"private_creator": "GEMS_ACQU_01", "group": "0019", "element": "23", "action": "keep"},
    ],
}
"""The example of the README and of anonymizer/custom_policy.py."""
GE = ((0x00190010, "LO", "GEMS_ACQU_01"), (0x00191023, "DS", "39.37"), (0x00191024, "DS", "1.5"),
      (0x00090010, "LO", "GEMS_IDEN_01"), (0x00091001, "LO", "CT01"))


def out(data: bytes, **kwargs):
    result = anonymize(data, **kwargs)
    return pydicom.dcmread(io.BytesIO(result.to_bytes())), result


def test_the_example_policy_loads_and_applies():
    policy = parse_policy(json.dumps(EXAMPLE))
    assert isinstance(policy, CustomPolicy)
    assert (policy.name, policy.profile, policy.options) == ("trial-42", "basic", ("retain-patient-characteristics",))
    data = make_file(PatientID="MRN-123", PatientName="DOE^JANE", PatientAge="050Y",
                     StudyDescription="CT for DOE JANE", SeriesDescription="AXIAL", private=GE)

    after, result = out(data, policy=policy)

    assert after.PatientID == "TRIAL42-001"
    assert after.StudyDescription == "CT for"
    assert "SeriesDescription" not in after, "the Basic Profile still removes what the policy does not name"
    assert after.PatientAge == "050Y", "the policy's options apply"
    assert after[0x00191023].value == 39.37 and after[0x00190010].value == "GEMS_ACQU_01"
    assert 0x00191024 not in after and 0x00091001 not in after and 0x00090010 not in after
    assert result.profile == "basic" and result.custom_policy == "trial-42"
    codes = [(i.CodeValue, i.CodingSchemeDesignator, i.CodeMeaning) for i in after.DeidentificationMethodCodeSequence]
    assert codes == [("CUSTOM", "99ANONYMIZER", "Custom policy keeping what basic removes: trial-42")], \
        "the policy keeps Study Description and a private attribute: the output is no longer Basic Profile"
    row = next(r for r in result.rows if r.path == "(0010,0020)")
    assert (row.before, row.after, row.action) == ("MRN-123", "TRIAL42-001", "replaced")


def test_a_tag_rule_beats_a_range_and_both_beat_the_profile_and_options():
    policy = parse_policy(json.dumps({"profile": "basic", "options": ["retain-uids"], "rules": [
        {"range": ["(0008,0000)", "(0008,FFFF)"], "action": "remove"},
        {"keyword": "Modality", "action": "keep"},
        {"keyword": "StudyInstanceUID", "action": "regenerate"},
    ]}))
    after, _ = out(make_file(Modality="CT", SOPInstanceUID="1.2.999.77", StudyInstanceUID="1.2.999.78",
                             SeriesInstanceUID="1.2.999.79"), policy=policy)

    assert after.Modality == "CT"
    assert "SOPClassUID" not in after and "SOPInstanceUID" not in after, "removed by the range"
    assert after.StudyInstanceUID != "1.2.999.78", "regenerated despite Retain UIDs"
    assert after.SeriesInstanceUID == "1.2.999.79", "Retain UIDs"


def test_a_policy_extends_radiopaedia_too():
    policy = parse_policy('{"profile": "radiopaedia", "rules": [{"keyword": "StudyDescription", "action": "clean"}]}')
    after, result = out(make_file(StudyDescription="CT for DOE", PatientName="DOE^JANE", ProtocolName="P1"),
                        policy=policy)
    assert after.StudyDescription == "CT for" and "ProtocolName" not in after
    assert result.profile == "radiopaedia"


def test_the_validator_still_refuses_what_a_policy_keeps():
    policy = parse_policy('{"profile": "basic", "rules": [{"keyword": "PatientName", "action": "keep"}]}')
    from anonymizer import RefusedError

    with pytest.raises(RefusedError, match="person's name"):
        anonymize(make_file(PatientName="DOE^JANE"), policy=policy)


def test_a_policy_for_another_profile_is_refused():
    policy = parse_policy('{"profile": "basic", "rules": []}')
    with pytest.raises(ValueError, match="extends profile 'basic', not 'radiopaedia'"):
        anonymize(make_file(), profile="radiopaedia", policy=policy)


def test_load_policy_names_the_policy_after_its_file(tmp_path):
    path = tmp_path / "my-study.json"
    path.write_text('{"profile": "basic", "rules": []}')
    assert load_policy(path).name == "my-study"
    with pytest.raises(PolicyError, match="cannot be read"):
        load_policy(tmp_path / "missing.json")


def rule(**fields) -> str:
    return json.dumps({"profile": "basic", "rules": [fields]})


@pytest.mark.parametrize("text,message", [
    ("{", "the policy is not JSON: Expecting property name enclosed in double quotes at line 1, column 2"),
    ("[]", 'the policy must be a JSON object with "profile" and "rules"'),
    ('{"profile": "basic", "rules": [], "extends": "x"}', "the policy has unknown keys extends; allowed: "),
    ('{"rules": []}', '"profile" must name the built-in profile it extends: one of radiopaedia, basic'),
    ('{"profile": "basic", "options": ["retain-names"], "rules": []}', '"options": unknown option \'retain-names\''),
    ('{"profile": "radiopaedia", "options": ["retain-uids"], "rules": []}', "not available with profile 'radiopaedia'"),
    ('{"profile": "basic", "rules": {}}', '"rules" must be a list of rules'),
    ('{"profile": "basic", "rules": ["x"]}', 'rule 1 ("x"): a rule must be a JSON object'),
    (rule(tag="(0010,0010)", action="remove", why="x"), "rule 1 ({\"tag\": \"(0010,0010)\", \"action\": \"remove\", "
                                                        "\"why\": \"x\"}): unknown key why; allowed: "),
    (rule(action="remove"), 'rule 1 ({"action": "remove"}): give exactly one of tag, keyword, range, private_creator'),
    (rule(tag="(0010,0010)", keyword="PatientName", action="remove"), "give exactly one of"),
    (rule(tag="(0010,0010)", action="kep"), "unknown action 'kep'; choose one of keep, remove, empty, dummy, "
                                            "replace, regenerate, clean"),
    (rule(tag="(0010,0020)", action="replace"), '"replace" needs a non-empty string "value"'),
    (rule(tag="(0010,0020)", action="keep", value="x"), '"value" is only for "replace", not for \'keep\''),
    (rule(tag="0010,0010", action="remove"), "'0010,0010' is not a tag written (GGGG,EEEE)"),
    (rule(keyword="PatientsName", action="remove"), "'PatientsName' is not a keyword of the DICOM dictionary"),
    (rule(range=["(0009,0000)"], action="remove"), '"range" must be a list of two tags'),
    (rule(range=["(0009,FFFF)", "(0009,0000)"], action="remove"), "the range ends before it starts"),
    (rule(keyword="Modality", action="regenerate"), '"regenerate" is for UIDs; this attribute is CS'),
    (rule(keyword="StudyDate", action="replace", value="yesterday"), "the value does not fit the VR DA"),
    (rule(keyword="ContentSequence", action="replace", value="x"), "a SQ attribute cannot take it"),
    (rule(keyword="PatientName", action="replace", value="SUBJECT^1"), "cannot write a person name"),
    (rule(keyword="PatientAge", action="replace", value="040Y"), "cannot write an age"),
    (rule(tag="(0002,0013)", action="keep"), "the file meta group (0002) is rebuilt by the anonymiser"),
    (rule(keyword="PatientIdentityRemoved", action="keep"), "Patient Identity Removed is written by the anonymiser"),
    (rule(tag="(0019,1023)", group="0019", action="keep"), '"group" and "element" only narrow a "private_creator" rule'),
    (rule(private_creator="", action="keep"), '"private_creator" must be the private creator string'),
    (rule(private_creator="GEMS", group="0018", action="keep"), '"group" must be an odd group as 4 hex digits'),
    (rule(private_creator="GEMS", element="123", action="keep"), '"element" must be the element byte'),
    (rule(tag="(0008,1030)", action="keep", reason=3), '"reason" must be a string'),
])
def test_an_invalid_policy_gets_an_error_that_names_the_rule_and_the_problem(text, message):
    with pytest.raises(PolicyError) as error:
        parse_policy(text)
    assert message in str(error.value)


def test_two_rules_for_the_same_attributes_are_refused():
    with pytest.raises(PolicyError, match=r"rule 2 \(.*\): rule 1 already gives a rule for the same attributes"):
        parse_policy('{"profile": "basic", "rules": [{"tag": "(0010,0010)", "action": "remove"},'
                     ' {"keyword": "PatientName", "action": "empty"}]}')
    with pytest.raises(PolicyError, match=r"rule 3 \(.*\): its range overlaps the range of rule 1"):
        parse_policy('{"profile": "basic", "rules": [{"range": ["(0009,0000)", "(0009,FFFF)"], "action": "remove"},'
                     ' {"tag": "(0008,0020)", "action": "remove"},'
                     ' {"range": ["(0009,1000)", "(0011,0000)"], "action": "keep"}]}')


def test_empty_and_dummy_actions():
    policy = parse_policy('{"profile": "basic", "rules": [{"keyword": "InstitutionName", "action": "dummy"},'
                          ' {"keyword": "Modality", "action": "empty"}]}')
    after, _ = out(make_file(InstitutionName="FAKE HOSPITAL", Modality="CT"), policy=policy)
    assert (after.InstitutionName, after.Modality) == (DUMMIES["LO"], "")


def test_cli_takes_a_policy_file_and_names_the_bad_rule(tmp_path):
    source = tmp_path / "in.dcm"
    source.write_bytes(make_file(PatientID="MRN-123", PatientAge="050Y"))
    good = tmp_path / "trial.json"
    good.write_text(json.dumps(EXAMPLE))

    done = subprocess.run([sys.executable, "-m", "anonymizer", str(source), "-o", str(tmp_path / "out"),
                           "--policy", str(good)], capture_output=True, text=True, timeout=60)

    assert done.returncode == 0, done.stderr
    (written,) = (tmp_path / "out").rglob("*.dcm")
    after = pydicom.dcmread(written)
    assert (after.PatientID, after.PatientAge) == ("TRIAL42-001", "050Y")

    bad = tmp_path / "bad.json"
    bad.write_text(rule(tag="(0010,0010)", action="kep"))
    refused = subprocess.run([sys.executable, "-m", "anonymizer", str(source), "-o", str(tmp_path / "bad"),
                              "--policy", str(bad)], capture_output=True, text=True, timeout=60)
    assert refused.returncode == 2
    assert "rule 1 (" in refused.stderr and "unknown action 'kep'" in refused.stderr
    assert not (tmp_path / "bad").exists()

    other = subprocess.run([sys.executable, "-m", "anonymizer", str(source), "-o", str(tmp_path / "bad"),
                            "--policy", str(good), "--profile", "radiopaedia"], capture_output=True, text=True,
                           timeout=60)
    assert other.returncode == 2 and "extends profile 'basic', not 'radiopaedia'" in other.stderr


def _codes(policy_json: dict) -> list[str]:
    after, _ = out(make_file(PatientID="MRN-123", StudyDescription="CT", private=GE),
                   policy=parse_policy(json.dumps(policy_json)))
    return [item.CodeValue for item in after.DeidentificationMethodCodeSequence]


def test_a_policy_that_only_removes_more_keeps_the_profile_and_option_codes():
    assert _codes({"profile": "basic", "options": ["retain-uids"], "rules": [
        {"keyword": "Modality", "action": "remove"},
        {"keyword": "PatientID", "action": "replace", "value": "TRIAL-1"},
        {"range": ["(0008,1000)", "(0008,1FFF)"], "action": "remove"},
        {"keyword": "Manufacturer", "action": "keep"},  # basic keeps it already
    ]}) == ["113100", "113110", "CUSTOM"]


@pytest.mark.parametrize("rule", [
    {"keyword": "StudyDescription", "action": "keep"},
    {"keyword": "StudyDescription", "action": "clean"},
    {"tag": "(0019,1023)", "action": "keep"},
    {"range": ["(0008,1000)", "(0008,1FFF)"], "action": "keep"},
    {"private_creator": "GEMS_ACQU_01", "action": "keep"},
], ids=["keep-removed", "clean-removed", "private-tag", "range", "private-creator"])
def test_a_policy_that_keeps_what_the_profile_removes_claims_no_profile(rule):
    assert _codes({"profile": "basic", "options": ["retain-uids"], "rules": [rule]}) == ["CUSTOM"]


def test_keeping_what_a_cleaning_option_cleans_weakens_it():
    assert _codes({"profile": "basic", "options": ["clean-descriptors"], "rules": [
        {"keyword": "StudyDescription", "action": "clean"}]}) == ["113100", "113105", "CUSTOM"]
    assert _codes({"profile": "basic", "options": ["clean-descriptors"], "rules": [
        {"keyword": "StudyDescription", "action": "keep"}]}) == ["CUSTOM"]


def test_each_custom_policy_applies_though_its_class_policy_is_made_once_per_batch():
    # the engine applies options and a custom policy once per SOP class, not per file: a second
    # policy of the same name must not get the first one's rules
    keep = parse_policy(json.dumps({"name": "same-name", "profile": "basic",
                                    "rules": [{"tag": "(0010,0020)", "action": "replace", "value": "FIRST"}]}))
    other = parse_policy(json.dumps({"name": "same-name", "profile": "basic",
                                     "rules": [{"tag": "(0010,0020)", "action": "replace", "value": "SECOND"}]}))
    data = make_file(PatientID="MRN-123", PatientName="DOE^JANE")

    first = [out(data, policy=keep)[0].PatientID for _ in range(2)]
    second = out(data, policy=other)[0].PatientID
    with_option = out(data, policy=keep, options=["retain-patient-characteristics"])[0].PatientID
    without = out(data, profile="basic")[0]

    assert first == ["FIRST", "FIRST"] and second == "SECOND" and with_option == "FIRST"
    assert without.PatientID != "FIRST"
