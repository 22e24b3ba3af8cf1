"""The options of the Basic Profile: choosing them, what each does beyond the table's cells
(dates shifted per patient, safe private attributes, cleaning), the radiopaedia profile with
the two options it takes, and the validator's rules for names and ages."""

from __future__ import annotations

import datetime
import io
import json
import subprocess
import sys

import pydicom
import pytest
from pydicom.dataset import Dataset

from anonymizer import OPTIONS, RefusedError, anonymize
from anonymizer.policy import policy_for, resolve_options, rule_table, with_options
from anonymizer.rules import DUMMIES
from anonymizer.transforms import OFFSET_DAYS_MAX, OFFSET_DAYS_MIN
from standard_planting import make_file

MODIFIED = "retain-longitudinal-modified-dates"
SECRET = "options secret"
CT = "1.2.840.10008.5.1.4.1.1.2"
SR = "1.2.840.10008.5.1.4.1.1.88.33"


def out(data: bytes, **kwargs) -> tuple[Dataset, object]:
    result = anonymize(data, **kwargs)
    return pydicom.dcmread(io.BytesIO(result.to_bytes())), result


def day(text: str) -> datetime.date:
    return datetime.datetime.strptime(text, "%Y%m%d").date()


# ------------------------------------------------------------------ choosing options


def test_options_describe_themselves_for_the_page():
    assert len(OPTIONS) == 10
    for option in OPTIONS:
        assert option.name == option.name.lower() and " " not in option.name
        assert "\n" not in option.description and 20 < len(option.description) <= 200
        assert option.code.scheme == "DCM" and option.code.value.startswith("1131")
        assert "basic" in option.profiles and option.column.endswith("Opt.")
    assert {o.name for o in OPTIONS if "radiopaedia" in o.profiles} == {
        "retain-patient-characteristics", MODIFIED}


def test_an_unknown_option_is_a_value_error_that_lists_the_valid_ones():
    with pytest.raises(ValueError, match="unknown option 'retain-names'; valid options: retain-safe-private, "):
        anonymize(make_file(), profile="basic", options=("retain-names",))


def test_an_option_the_profile_does_not_take_is_refused_with_those_it_takes():
    with pytest.raises(ValueError, match="option 'retain-uids' is not available with profile 'radiopaedia', "
                                         "which accepts: retain-patient-characteristics, " + MODIFIED):
        anonymize(make_file(), profile="radiopaedia", options=("retain-uids",))


def test_full_and_modified_dates_exclude_each_other():
    with pytest.raises(ValueError, match="exclude each other"):
        resolve_options("basic", ("retain-longitudinal-full-dates", MODIFIED))


def test_options_must_be_a_sequence_not_a_string():
    with pytest.raises(TypeError, match="sequence of option names"):
        anonymize(make_file(), profile="basic", options="retain-uids")


def test_options_are_put_in_table_order_without_repeats():
    assert resolve_options("basic", ["clean-graphics", "retain-uids", "clean-graphics"]) == (
        "retain-uids", "clean-graphics")


def test_clean_wins_over_keep_when_two_options_meet():
    """Date of Last Detector Calibration: Retain Device Identity keeps it, Modified Dates
    cleans it. Kept, that one real date would give the offset away."""
    policy = with_options(policy_for("basic", CT), ("retain-device-identity", MODIFIED))
    rule = policy.rule_for(0x0018700C)
    assert (rule.action, rule.option) == ("clean", MODIFIED)
    assert policy.rule_for(0x00181000).action == "keep"  # Device Serial Number


def test_the_rule_table_shows_each_row_of_the_standard():
    rows = rule_table("basic")
    assert len(rows) == 658
    by_tag = {row["tag"]: row for row in rows}
    assert by_tag["(0010,0010)"]["action"] == "replace" and by_tag["(0010,0010)"]["value"] == ""
    assert by_tag["(0008,0080)"]["action"] == "by type"
    assert by_tag["(0008,1030)"]["action"] == "remove"
    assert rule_table("basic", ["clean-descriptors"])[[r["tag"] for r in rows].index("(0008,1030)")]["action"] == "clean"
    assert rows[-1]["action"] == "keep"


# ------------------------------------------------------------------ modified dates


def dated(patient_id: str, name: str, study_date: str, **more) -> bytes:
    return make_file(PatientID=patient_id, PatientName=name, StudyDate=study_date,
                     StudyTime="101112", AcquisitionDateTime=study_date + "101112.25+0100",
                     StudyInstanceUID=f"1.2.999.2.{study_date}", **more)


def test_two_files_of_one_patient_keep_their_interval():
    first, _ = out(dated("PID-7", "DOE^JANE", "20230101"), profile="basic", options=(MODIFIED,), uid_secret=SECRET)
    second, _ = out(dated("PID-7", "DOE^JANE", "20230315"), profile="basic", options=(MODIFIED,), uid_secret=SECRET)

    assert (day(second.StudyDate) - day(first.StudyDate)).days == (day("20230315") - day("20230101")).days
    shift = (day(first.StudyDate) - day("20230101")).days
    assert -OFFSET_DAYS_MAX <= shift <= -OFFSET_DAYS_MIN
    assert first.StudyTime == "101112", "whole-day offsets leave times of day alone"
    assert first.AcquisitionDateTime == first.StudyDate + "101112.25+0100"
    assert first.LongitudinalTemporalInformationModified == "MODIFIED"
    codes = [item.CodeValue for item in first.DeidentificationMethodCodeSequence]
    assert codes == ["113100", "113107"]


def test_two_patients_get_different_offsets():
    a, _ = out(dated("PID-7", "DOE^JANE", "20230101"), profile="basic", options=(MODIFIED,), uid_secret=SECRET)
    b, _ = out(dated("PID-8", "ROE^RICHARD", "20230101"), profile="basic", options=(MODIFIED,), uid_secret=SECRET)

    assert a.StudyDate != b.StudyDate


def test_the_patient_is_known_by_normalised_id_or_else_name():
    same = [out(dated(pid, name, "20230101"), profile="basic", options=(MODIFIED,), uid_secret=SECRET)[0].StudyDate
            for pid, name in (("pid-7 ", "DOE^JANE"), ("PID-7", "OTHER^NAME"))]
    by_name = [out(dated("", name, "20230101"), profile="basic", options=(MODIFIED,), uid_secret=SECRET)[0].StudyDate
               for name in ("Doe^Jane^^", "DOE^JANE")]
    assert same[0] == same[1] and by_name[0] == by_name[1]


def test_the_same_secret_gives_the_same_offsets_in_a_second_run_and_another_secret_others(tmp_path):
    source = tmp_path / "in.dcm"
    source.write_bytes(dated("PID-7", "DOE^JANE", "20230101"))
    dates = []
    for run, secret in enumerate((SECRET, SECRET, "another secret")):
        target = tmp_path / f"out{run}"
        done = subprocess.run([sys.executable, "-m", "anonymizer", str(source), "-o", str(target), "--profile",
                               "basic", "--option", MODIFIED, "--uid-secret", secret, "-q"],
                              capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stderr
        (written,) = target.rglob("*.dcm")
        dates.append(pydicom.dcmread(written).StudyDate)
    assert dates[0] == dates[1] != dates[2]


def test_without_a_secret_the_shift_is_flagged_as_recoverable():
    _, result = out(dated("PID-7", "DOE^JANE", "20230101"), profile="basic", options=(MODIFIED,))
    assert any(w.level == 2 and "without a secret" in w.message for w in result.warnings)
    _, keyed = out(dated("PID-7", "DOE^JANE", "20230101"), profile="basic", options=(MODIFIED,), uid_secret=SECRET)
    assert not any("without a secret" in w.message for w in keyed.warnings)


def test_without_patient_id_or_name_the_study_keys_the_offset_and_says_so():
    _, result = out(make_file(StudyDate="20230101"), profile="basic", options=(MODIFIED,), uid_secret=SECRET)
    assert any(w.level == 3 and "neither Patient ID nor Patient's Name" in w.message for w in result.warnings)


def test_an_age_stays_consistent_because_the_birth_date_is_never_kept():
    """Patient's Birth Date is Z in every column: with dates shifted and the age kept, no
    birth date remains to contradict the age."""
    after, result = out(dated("PID-7", "DOE^JANE", "20230101", PatientBirthDate="19800101", PatientAge="043Y"),
                        profile="basic", options=(MODIFIED, "retain-patient-characteristics"), uid_secret=SECRET)
    assert after.PatientBirthDate == "" and after.PatientAge == "043Y"
    assert [w for w in result.warnings if w.level == 1] == []


def test_full_dates_keep_dates_and_say_unmodified():
    for _ in range(2):  # the second file of a series too, whose kept values were remembered
        after, result = out(dated("PID-7", "DOE^JANE", "20230101"), profile="basic",
                            options=("retain-longitudinal-full-dates",))
        assert after.StudyDate == "20230101"
        assert after.LongitudinalTemporalInformationModified == "UNMODIFIED"
        assert any(w.level == 2 and w.path == "(0008,0020)" for w in result.warnings)


# ------------------------------------------------------------------ safe private


SIEMENS = ((0x00190010, "LO", "SIEMENS MR HEADER"), (0x0019100C, "IS", "1000"), (0x00191099, "LO", "DOE^JANE"),
           (0x00290010, "LO", "SIEMENS CSA HEADER"), (0x00291010, "OB", b"\x01\x02"))


def test_a_safe_private_attribute_survives_only_under_retain_safe_private():
    kept, result = out(make_file(private=SIEMENS), profile="basic", options=("retain-safe-private",))
    removed, _ = out(make_file(private=SIEMENS), profile="basic")

    assert kept[0x0019100C].value == 1000 and kept[0x00190010].value == "SIEMENS MR HEADER"
    assert [tag for tag in (0x00191099, 0x00290010, 0x00291010) if tag in kept] == []
    assert not any(tag >> 16 & 1 for tag in removed.keys())
    row = next(r for r in result.rows if r.path == "(0019,100C)")
    assert row.action == "kept"
    assert [item.CodeValue for item in kept.DeidentificationMethodCodeSequence] == ["113100", "113111"]


def test_safe_private_is_matched_by_creator_and_element_byte_in_any_block_and_item():
    moved = ((0x00190042, "LO", "siemens mr header "), (0x0019420C, "IS", "1000"),
             (0x00190043, "LO", "SOMEONE ELSE"), (0x0019430C, "IS", "1000"))
    item = Dataset()
    for tag, vr, value in moved:
        item.add(pydicom.DataElement(tag, vr, value))
    after, _ = out(make_file(private=moved, ReferencedSeriesSequence=[item]), profile="basic",
                   options=("retain-safe-private",))

    for holder in (after, after.ReferencedSeriesSequence[0]):
        assert 0x0019420C in holder and 0x00190042 in holder
        assert 0x0019430C not in holder and 0x00190043 not in holder


# ------------------------------------------------------------------ cleaning


def test_clean_descriptors_removes_the_names_ids_and_dates_of_the_file():
    data = make_file(PatientName="DOE^JANE", PatientID="PID-7", AccessionNumber="ACC991",
                     StudyDescription="CT chest for Jane Doe (PID-7) 2023-01-01, acc ACC991",
                     SeriesDescription="AXIAL 1mm")
    after, result = out(data, profile="basic", options=("clean-descriptors",))

    assert after.StudyDescription == "CT chest for, acc"
    assert after.SeriesDescription == "AXIAL 1mm"
    assert {w.path for w in result.warnings if w.level == 2} >= {"(0008,1030)", "(0008,103E)"}
    plain, _ = out(data, profile="basic")
    assert "StudyDescription" not in plain and "SeriesDescription" not in plain


def test_clean_descriptors_removes_a_name_the_file_holds_only_deep_inside_sequences():
    observer, verification = Dataset(), Dataset()
    observer.VerifyingObserverName = "FAKEROE^RICHARD"
    verification.VerifyingObserverSequence = [observer]  # a sequence in an item: left raw by the reader
    data = make_file(StudyDescription="CT chest read by Richard Fakeroe", ContentSequence=[verification])

    after, _ = out(data, profile="basic", options=("clean-descriptors",))

    assert after.StudyDescription == "CT chest read by"


def test_device_identity_keeps_serials_and_gives_ae_titles_consistent_pseudonyms():
    data = make_file(DeviceSerialNumber="SN-42", StationAETitle="CT_ROOM_3", StationName="CTROOM3")
    first, _ = out(data, profile="basic", options=("retain-device-identity",), uid_secret=SECRET)
    again, _ = out(make_file(StationAETitle="CT_ROOM_3", PatientID="other"), profile="basic",
                   options=("retain-device-identity",), uid_secret=SECRET)

    assert (first.DeviceSerialNumber, first.StationName) == ("SN-42", "CTROOM3")
    assert first.StationAETitle == again.StationAETitle != "CT_ROOM_3"
    assert first.StationAETitle.startswith("AE") and len(first.StationAETitle) == 14


def sr_tree() -> list[Dataset]:
    text, name, code = Dataset(), Dataset(), Dataset()
    code.CodeValue, code.CodingSchemeDesignator, code.CodeMeaning = "121071", "DCM", "Finding"
    text.RelationshipType, text.ValueType = "CONTAINS", "TEXT"
    text.ConceptNameCodeSequence = [code]
    text.TextValue = "Nodule seen by Dr Roe on 2023-01-01 in DOE JANE"
    name.RelationshipType, name.ValueType, name.PersonName = "HAS OBS CONTEXT", "PNAME", "ROE^RICHARD"
    return [text, name]


def test_clean_structured_content_keeps_the_tree_and_cleans_its_text_and_names():
    data = make_file(SR, PatientName="DOE^JANE", ContentSequence=sr_tree(), ContentDate="20230101",
                     ContentTime="101112")
    after, result = out(data, profile="basic", options=("clean-structured-content",))
    text, name = after.ContentSequence

    assert text.TextValue == "Nodule seen by Dr on in"  # Roe is a person name in the file, as are Doe, Jane
    assert (text.ValueType, text.ConceptNameCodeSequence[0].CodeValue) == ("TEXT", "121071")
    assert name.PersonName == DUMMIES["PN"]
    assert [w for w in result.warnings if w.level == 1] == []


def test_without_clean_structured_content_the_tree_is_a_dummy():
    data = make_file(SR, PatientName="DOE^JANE", ContentSequence=sr_tree(), ContentDate="20230101")
    after, _ = out(data, profile="basic")
    text, name = after.ContentSequence

    assert text.TextValue == text.ValueType == text.ConceptNameCodeSequence[0].CodeValue == DUMMIES["UT"]
    assert name.PersonName == DUMMIES["PN"]


def test_clean_graphics_keeps_annotation_structure_and_dummies_its_text():
    """Graphic Annotation Sequence is C under Clean Graphics; the Unformatted Text Value inside
    it has its own row (D), which still applies."""
    text_object = Dataset()
    text_object.UnformattedTextValue = "DOE JANE 2023-01-01"
    text_object.AnchorPointAnnotationUnits = "PIXEL"
    annotation = Dataset()
    annotation.GraphicLayer = "LAYER1"
    annotation.TextObjectSequence = [text_object]
    data = make_file("1.2.840.10008.5.1.4.1.1.11.1", PatientName="DOE^JANE", GraphicAnnotationSequence=[annotation])
    after, _ = out(data, profile="basic", options=("clean-graphics",))
    kept = after.GraphicAnnotationSequence[0]
    assert kept.GraphicLayer == "LAYER1"
    assert kept.TextObjectSequence[0].UnformattedTextValue == DUMMIES["ST"]
    assert kept.TextObjectSequence[0].AnchorPointAnnotationUnits == "PIXEL"


# ------------------------------------------------------------------ radiopaedia with options


def test_radiopaedia_with_patient_characteristics_keeps_age_size_weight():
    data = make_file(PatientAge="043Y", PatientWeight="70", PatientSize="1.8", PatientSex="F")
    after, _ = out(data, profile="radiopaedia", options=("retain-patient-characteristics",))
    plain, _ = out(data)

    assert (after.PatientAge, after.PatientWeight, after.PatientSize) == ("043Y", 70, 1.8)
    assert plain.PatientAge == "" and plain.PatientWeight is None
    codes = [item.CodeValue for item in after.DeidentificationMethodCodeSequence]
    assert codes == ["RADIOPAEDIA", "113108"]


def test_radiopaedia_with_modified_dates_shifts_instead_of_fixing_dates():
    data = dated("PID-7", "DOE^JANE", "20230101")
    shifted, _ = out(data, profile="radiopaedia", options=(MODIFIED,), uid_secret=SECRET)
    fixed, _ = out(data, profile="radiopaedia")
    basic, _ = out(data, profile="basic", options=(MODIFIED,), uid_secret=SECRET)

    assert shifted.StudyDate == basic.StudyDate != "20230101"
    assert (shifted.LongitudinalTemporalInformationModified, fixed.LongitudinalTemporalInformationModified) == (
        "MODIFIED", "REMOVED")
    assert fixed.StudyDate == "19700101"


# ------------------------------------------------------------------ the validator


def test_an_age_is_accepted_only_where_an_option_retains_it():
    data = make_file(PatientAge="043Y")
    after, result = out(data, profile="basic", options=("retain-patient-characteristics",))
    assert after.PatientAge == "043Y"
    from anonymizer import parse_policy

    keep_age = parse_policy('{"profile": "basic", "rules": [{"keyword": "PatientAge", "action": "keep"}]}')
    with pytest.raises(RefusedError) as refused:
        anonymize(data, profile="basic", policy=keep_age)
    assert [(f.path, f.message) for f in refused.value.findings] == [("(0010,1010)", "an age is still present")]


def test_an_age_over_89_kept_by_the_option_is_flagged():
    _, result = out(make_file(PatientAge="093Y"), profile="basic", options=("retain-patient-characteristics",))
    assert any(w.level == 2 and "over 89" in w.message for w in result.warnings)


def test_the_dummy_person_name_is_accepted_and_any_other_refused():
    data = make_file(SR, ContentSequence=sr_tree())
    after, _ = out(data, profile="basic")
    assert after.ContentSequence[1].PersonName == DUMMIES["PN"]
    from anonymizer import parse_policy

    keep_operator = parse_policy('{"profile": "basic", "rules": [{"keyword": "OperatorsName", "action": "keep"}]}')
    with pytest.raises(RefusedError, match="person's name"):
        anonymize(make_file(OperatorsName="ROE^RICHARD"), policy=keep_operator)
    kept_dummy, _ = out(make_file(OperatorsName=DUMMIES["PN"]), policy=keep_operator)
    assert kept_dummy.OperatorsName == DUMMIES["PN"]


def test_cli_takes_repeatable_options_and_refuses_unknown_ones(tmp_path):
    source = tmp_path / "in.dcm"
    source.write_bytes(dated("PID-7", "DOE^JANE", "20230101", PatientAge="043Y"))
    report = tmp_path / "report.json"
    done = subprocess.run([sys.executable, "-m", "anonymizer", str(source), "-o", str(tmp_path / "out"),
                           "--profile", "basic", "--option", "retain-patient-characteristics",
                           "--option", MODIFIED, "--uid-secret", SECRET, "--report", str(report)],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert json.loads(report.read_text())["options"] == ["retain-patient-characteristics", MODIFIED]
    (written,) = (tmp_path / "out").rglob("*.dcm")
    assert pydicom.dcmread(written).PatientAge == "043Y"

    for args, message in ((["--option", "retain-names"], "invalid choice: 'retain-names'"),
                          (["--option", "retain-uids"], "not available with profile 'radiopaedia'")):
        bad = subprocess.run([sys.executable, "-m", "anonymizer", str(source), "-o", str(tmp_path / "bad"), *args],
                             capture_output=True, text=True, timeout=60)
        assert bad.returncode == 2 and message in bad.stderr
        assert not (tmp_path / "bad").exists()
