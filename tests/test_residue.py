"""The residue check (anonymizer.residue): the output's bytes are searched for the input's
identifying values, whatever the policy did, and a hit refuses the file.

    anonymize(data)                  # RefusedError: (0008,103E): residue check: the value of
                                     # Patient's Name (0010,0010) in the input is still in the output here

Policy bugs are simulated with the ``bent_policy`` fixture (conftest.py): the validator cannot
see a kept Patient ID or Institution Name, the residue check must.
"""

from __future__ import annotations

import io
import json

import pydicom
import pytest
from pydicom.uid import DeflatedExplicitVRLittleEndian, ExplicitVRBigEndian, ImplicitVRLittleEndian

import anonymizer.engine
from anonymizer import RefusedError, anonymize, parse_policy
from anonymizer.cli import main
from anonymizer.residue import MAX_WORK, meaningful, normalise
from anonymizer.rules import KEEP, Rule
from standard_planting import planted_file
from synthetic import (
    CT, FAKE_ACCESSION, FAKE_BIRTH_DATE, FAKE_ID, FAKE_INSTITUTION, FAKE_NAME, make_dataset, make_instance,
    to_bytes, uid,
)

KEEP_IT = "simulated policy bug: kept"


def basic_safe(**options) -> bytes:
    """A synthetic CT without the Procedure Code Sequence, which the Basic Profile keeps with
    the patient's name planted in its code meaning (see the last test)."""
    extra = {"ProcedureCodeSequence": None, **options.pop("extra", {})}
    return make_instance(CT, extra=extra, **options)


def kept(tag: int) -> dict[int, Rule]:
    return {tag: Rule(f"({tag >> 16:04X},{tag & 0xFFFF:04X})", "", KEEP, KEEP_IT)}


def refusal(data, **options) -> RefusedError:
    with pytest.raises(RefusedError) as error:
        anonymize(data, **options)
    return error.value


def residue_findings(error: RefusedError) -> list[tuple[str, str]]:
    return [(f.path, f.message) for f in error.findings if f.message.startswith("residue check")]


def found(name: str, tag: str) -> str:
    return f"residue check: the value of {name} {tag} in the input is still in the output here"


# ------------------------------------------------------------------ clean files pass, the report says what was checked


@pytest.mark.parametrize("profile", ["radiopaedia", "basic"])
def test_a_clean_file_passes_and_the_report_says_what_was_checked(profile):
    # Procedure Code Sequence is not in Table E.1-1: basic keeps it, and its planted code
    # meaning names the patient (see test_the_basic_profile_keeps_..._procedure_code below)
    result = anonymize(basic_safe(), profile=profile)

    check = result.report()["residue_check"]
    assert check["found"] == 0 and check["values_checked"] >= 40
    assert {"(0010,0010)", "(0010,0020)", "(0010,0030)", "(0008,0050)", "(0008,0080)", "(0008,0081)",
            "(0008,1040)", "(0008,1010)", "(0010,1040)", "(0010,2154)", "(0010,0021)", "(0010,1000)",
            "(0020,0010)", "(0008,1030)"} <= set(check["tags"])
    assert check["elements_searched"] > 50
    assert json.loads(json.dumps(check)) == check
    text = json.dumps(check)
    assert FAKE_ID not in text and "FAKEPATIENT" not in text  # what was checked, never the values


# ------------------------------------------------------------------ policy bugs the validator cannot see


@pytest.mark.parametrize("tag, name, value", [
    (0x00100020, "Patient ID", FAKE_ID),
    (0x00080080, "Institution Name", FAKE_INSTITUTION),
    (0x00080050, "Accession Number", FAKE_ACCESSION),
    (0x00100030, "Patient's Birth Date", FAKE_BIRTH_DATE),
], ids=["patient-id", "institution", "accession", "birth-date"])
@pytest.mark.parametrize("profile", ["radiopaedia", "basic"])
def test_a_policy_that_keeps_an_identifying_attribute_is_caught(bent_policy, profile, tag, name, value):
    bent_policy(kept(tag))
    text = f"({tag >> 16:04X},{tag & 0xFFFF:04X})"

    error = refusal(make_instance(CT), profile=profile)

    assert (text, found(name, text)) in residue_findings(error)
    assert all(f.message.startswith("residue check") for f in error.findings), "the validator saw nothing"
    assert value not in str(error)


def test_a_kept_free_text_that_holds_the_name_is_caught():
    # radiopaedia keeps Series Description (flagged at level 2 as free text): here it names the patient
    data = make_instance(CT, extra={"SeriesDescription": "CT FOR FAKEPATIENT ALPHA"})

    error = refusal(data)

    assert residue_findings(error) == [("(0008,103E)", found("Patient's Name", "(0010,0010)"))]
    assert "ALPHA" not in str(error)


def test_a_value_passed_in_one_file_is_searched_again_for_the_next_files_patient():
    # the files of a batch share what was found in each value: that must follow the patient
    description = {"SeriesDescription": "CT FOR FAKESECOND OMEGA"}
    other = make_instance(CT, extra=description)
    named = make_instance(CT, patient="FAKESECOND^OMEGA", extra=description)

    anonymize(other)
    error = refusal(named)
    anonymize(other)

    assert residue_findings(error) == [("(0008,103E)", found("Patient's Name", "(0010,0010)"))]


def test_a_value_is_read_back_from_its_own_output_when_the_layout_is_the_last_ones():
    # two outputs of one length, element for element alike but for the values: the second is
    # read back from its own bytes, its description searched for its own patient
    benign = make_instance(CT, patient="FAKEFIRST^ALPHA", sop_uid=uid("layout-1"),
                           extra={"SeriesDescription": "CT FOR XXXXXXXXXX XXXXX"})
    named = make_instance(CT, patient="FAKESECOND^OMEGA", sop_uid=uid("layout-2"),
                          extra={"SeriesDescription": "CT FOR FAKESECOND OMEGA"})

    first = anonymize(benign)
    second = refusal(named)

    assert first.residue_check["found"] == 0
    assert residue_findings(second) == [("(0008,103E)", found("Patient's Name", "(0010,0010)"))]


def test_a_number_or_uid_is_passed_over_only_when_it_holds_no_letter(bent_policy):
    # only needles with letters count in numbers, times, ages and UIDs: one without a letter
    # is not searched, but a UID (kept by a policy bug) that holds the patient's name is
    bent_policy(kept(0x0020000D))
    with pytest.warns(UserWarning, match="Invalid value for VR UI"):  # pydicom, as the file is built
        named = make_instance(CT, patient="FAKESECOND^OMEGA", study_uid="1.2.826.0.1.FAKESECOND")

    first = refusal(named)
    second = refusal(named)  # the second file of a series is paired by tag

    for error in (first, second):
        assert residue_findings(error) == [("(0020,000D)", found("Patient's Name", "(0010,0010)"))]


def test_the_search_of_earlier_patients_is_not_kept_alive_by_the_values_their_files_shared():
    # what the search found in a value is remembered for the next files of its series; the
    # matcher of each patient's needles that found it must not stay alive with it
    import gc

    from anonymizer.residue import _Matcher

    for number in range(30):
        series = {"study_uid": uid(f"matchers-study-{number}"), "series_uid": uid(f"matchers-series-{number}")}
        for instance in range(2):  # the second file of a series is paired
            anonymize(make_instance(CT, patient=f"FAKEMATCH^PATIENT{number:02d}", patient_id=f"FAKE-M{number:02d}",
                                    sop_uid=uid(f"matchers-{number}-{instance}"), **series))
    gc.collect()

    assert sum(type(o) is _Matcher for o in gc.get_objects()) <= 12  # those _needles_for and _matcher_for hold


def test_the_api_releases_nothing_and_the_command_line_writes_nothing(bent_policy, tmp_path, capsys):
    bent_policy(kept(0x00100020))
    source = tmp_path / "in.dcm"
    source.write_bytes(make_instance(CT))
    out = tmp_path / "out"

    with pytest.raises(RefusedError):
        anonymize(source)
    status = main([str(source), "-o", str(out), "--jobs", "1"])

    assert status == 1
    assert not [p for p in out.rglob("*") if p.is_file()], "nothing written, not even a partial file"
    lines = capsys.readouterr().err.splitlines()
    assert lines[0] == f"refused: {source}: (0010,0020): {found('Patient ID', '(0010,0020)')}"


def test_the_command_line_refuses_a_real_leak_and_writes_the_other_files(tmp_path):
    import subprocess
    import sys

    leaky, clean = tmp_path / "in" / "leaky.dcm", tmp_path / "in" / "clean.dcm"
    leaky.parent.mkdir()
    leaky.write_bytes(make_instance(CT, sop_uid="2.25.1", extra={"SeriesDescription": "FAKEID-0001 SERIES"}))
    clean.write_bytes(make_instance(CT, sop_uid="2.25.2"))
    out = tmp_path / "out"

    done = subprocess.run([sys.executable, "-m", "anonymizer", str(leaky.parent), "-o", str(out), "--jobs", "1"],
                          capture_output=True, text=True, timeout=120)

    assert done.returncode == 1
    assert done.stderr.splitlines()[0] == f"refused: {leaky}: (0008,103E): {found('Patient ID', '(0010,0020)')}"
    written = [p for p in out.rglob("*.dcm")]
    assert len(written) == 1 and b"FAKEID-0001" not in written[0].read_bytes()


# ------------------------------------------------------------------ how values are matched


def test_case_padding_and_separators_are_ignored():
    data = make_instance(CT, extra={"SeriesDescription": "fakepatient   Alpha"})

    assert residue_findings(refusal(data)) == [("(0008,103E)", found("Patient's Name", "(0010,0010)"))]


@pytest.mark.parametrize("text", ["1902-03-04", "04.03.1902", "03/04/1902", "19020304"])
def test_the_birth_date_is_found_as_free_text_writes_it(text):
    data = make_instance(CT, extra={"SeriesDescription": f"BORN {text}"})

    assert residue_findings(refusal(data)) == [("(0008,103E)", found("Patient's Birth Date", "(0010,0030)"))]


def test_a_name_inside_a_longer_word_is_not_a_hit():
    # "ALPHA" is a name component; "ALPHABET" is another word
    result = anonymize(make_instance(CT, extra={"SeriesDescription": "ALPHABETICAL ORDER"}))

    assert result.report()["residue_check"]["found"] == 0


@pytest.mark.parametrize("text, short", [
    ("M", True), ("AB", True), ("ABC", False), ("123", True), ("1234", False), ("00000000", True),
    ("山田", False), ("王", True), ("ANONYMOUS", True), ("Unknown", True), ("a.b", True),
])
def test_values_too_short_or_empty_of_meaning_are_not_searched(text, short):
    assert meaningful(normalise(text)) is not short


def test_a_short_id_and_a_sex_code_do_not_refuse_innocent_files():
    data = make_instance(CT, patient_id="12", extra={"PatientSex": "M", "SeriesDescription": "12 M AXIAL"})

    assert anonymize(data).report()["residue_check"]["found"] == 0


def test_a_numeric_id_is_not_searched_in_numbers_dates_and_times():
    # an accession number equal to a kept time or counter says nothing about the patient
    data = basic_safe(extra={"AccessionNumber": "134501", "StudyTime": "134501", "InstanceNumber": "134501",
                             "SeriesNumber": "134501"})
    assert anonymize(data, profile="basic", options=("retain-longitudinal-modified-dates",)).report(
        )["residue_check"]["found"] == 0

    leaky = make_instance(CT, extra={"AccessionNumber": "134501", "SeriesDescription": "ACC 134501"})
    assert residue_findings(refusal(leaky)) == [("(0008,103E)", found("Accession Number", "(0008,0050)"))]


# ------------------------------------------------------------------ the anonymiser's own values


@pytest.mark.parametrize("profile", ["radiopaedia", "basic"])
def test_the_anonymisers_own_values_do_not_count(profile):
    # an input anonymised before: its values equal the dummies this package writes
    data = basic_safe(patient="ANONYMIZED", patient_id="ANONYMIZED", extra={
        "PatientBirthDate": "19700101", "InstitutionName": "REMOVED", "StationName": "ANONYMIZED",
        "StudyTime": "000000", "StudyDescription": "anonymizer 0.1.0, profile radiopaedia",
        "OtherPatientIDs": "ANONYMOUS", "AdditionalPatientHistory": "RADIOPAEDIA",
    })

    result = anonymize(data, profile=profile)

    assert result.report()["residue_check"]["found"] == 0


def test_regenerated_uids_do_not_match_numeric_ids():
    result = anonymize(make_instance(CT))
    uid_digits = result.relative_path.split("/")[0].rsplit(".", 1)[1]
    data = make_instance(CT, patient_id=uid_digits, extra={"StudyID": "3680043", "AccessionNumber": "10008"})

    assert anonymize(data).report()["residue_check"]["found"] == 0


# ------------------------------------------------------------------ free text the policy removed: both directions


def test_removed_free_text_equal_to_a_kept_coded_value_is_not_a_hit():
    # radiopaedia removes Study Description and keeps Body Part Examined; both say CHEST
    data = make_instance(CT, extra={"StudyDescription": "CHEST", "ProtocolName": "CHEST",
                                    "BodyPartExamined": "CHEST"})

    result = anonymize(data)

    assert result.report()["residue_check"]["found"] == 0
    assert pydicom.dcmread(io.BytesIO(result.to_bytes())).BodyPartExamined == "CHEST"


def test_removed_free_text_the_input_also_held_in_a_kept_attribute_is_not_a_hit():
    data = make_instance(CT, extra={"StudyDescription": "CT CHEST ABDOMEN PELVIS",
                                    "SeriesDescription": "CT CHEST ABDOMEN PELVIS W CONTRAST"})

    assert anonymize(data).report()["residue_check"]["found"] == 0


def test_removed_free_text_in_a_cleaned_text_that_held_it_is_not_a_hit():
    # Image Comments cleaned (the name goes), Study Description removed: the comment keeps the
    # words it shared with the description, which were its own in the input
    policy = parse_policy('{"profile": "radiopaedia", "rules": [{"keyword": "ImageComments", "action": "clean"}]}')
    data = make_instance(CT, extra={"StudyDescription": "CT CHEST ABDOMEN",
                                    "ImageComments": "CT CHEST ABDOMEN FOR FAKEPATIENT ALPHA"})

    result = anonymize(data, policy=policy)

    assert pydicom.dcmread(io.BytesIO(result.to_bytes())).ImageComments == "CT CHEST ABDOMEN FOR"
    assert result.report()["residue_check"]["found"] == 0


LONG_TAIL = " FAKEPATIENT ALPHA" * 16  # the comment's value over 256 bytes, which pairs values by place


@pytest.mark.parametrize("comment, rule", [
    ("CT CHEST ABDOMEN" + LONG_TAIL, {"action": "clean"}),  # long in the input, short in the output
    ("CT CHEST ABDOMEN", {"action": "replace", "value": "CT CHEST ABDOMEN" + " WITH CONTRAST" * 20}),  # the reverse
], ids=["cleaned-shorter", "replaced-longer"])
def test_removed_free_text_the_same_place_held_in_the_input_is_not_a_hit_whatever_the_lengths(comment, rule):
    policy = parse_policy(json.dumps({"profile": "radiopaedia", "rules": [{"keyword": "ImageComments", **rule}]}))
    data = make_instance(CT, extra={"StudyDescription": "CT CHEST ABDOMEN", "ImageComments": comment})

    results = [anonymize(data, policy=policy) for _ in range(2)]  # the second of a series seen: values paired

    for result in results:
        assert pydicom.dcmread(io.BytesIO(result.to_bytes())).ImageComments.startswith("CT CHEST ABDOMEN")
        assert result.report()["residue_check"]["found"] == 0


def test_a_private_sequence_read_as_unknown_bytes_is_still_walked():
    # implicit VR: a private sequence pydicom knows by its creator (Philips Stack Sequence)
    ds = make_dataset(CT, transfer_syntax=ImplicitVRLittleEndian, extra={"ProcedureCodeSequence": None})
    ds.add_new(0x20010010, "LO", "Philips Imaging DD 001")
    item = pydicom.Dataset()
    item.add_new(0x20010010, "LO", "Philips Imaging DD 001")
    item.add_new(0x2001102D, "SS", 32)
    ds.add_new(0x2001105F, "SQ", [item])
    policy = parse_policy('{"profile": "basic", "options": ["retain-safe-private"], "rules": ['
                          '{"private_creator": "Philips Imaging DD 001", "action": "keep"}]}')

    result = anonymize(to_bytes(ds), policy=policy)

    assert result.report()["residue_check"]["found"] == 0


@pytest.mark.parametrize("where", ["top level", "item of a removed sequence"])
def test_a_private_name_read_without_its_vr_is_searched_for(where):
    # implicit VR: a private person name (BRIT Systems' (0021,xx02), PN in pydicom's private
    # dictionary) whose family name the kept Series Description repeats; the residue check reads
    # its VR by its creator, whether the engine decoded it (it once did inside removed sequences
    # only) or not
    ds = make_dataset(CT, transfer_syntax=ImplicitVRLittleEndian, extra={"SeriesDescription": "QUIXOTEFAKE SERIES"})
    holder = ds if where == "top level" else ds.RequestAttributesSequence[0]
    holder.add_new(0x00210010, "LO", "BRIT Systems, Inc.")
    holder.add_new(0x00211002, "PN", "QUIXOTEFAKE^ZORRO")

    error = refusal(to_bytes(ds))

    assert residue_findings(error) == [("(0008,103E)", found("Private tag", "(0021,1002)"))]
    assert "QUIXOTEFAKE" not in str(error)


def test_removed_free_text_written_somewhere_else_is_a_hit():
    # a custom rule that writes the removed Study Description into Image Comments
    policy = parse_policy(json.dumps({"profile": "radiopaedia", "rules": [
        {"keyword": "ImageComments", "action": "replace", "value": "FAKE PROTOCOL 77 FOR THE TRIAL"}]}))
    data = make_instance(CT, extra={"StudyDescription": "FAKE PROTOCOL 77 FOR THE TRIAL"})

    error = refusal(data, policy=policy)

    assert residue_findings(error) == [("(0020,4000)", found("Study Description", "(0008,1030)"))]


def test_a_name_equal_to_a_coded_value_is_not_a_hit_there_but_is_in_free_text():
    coded = make_instance(CT, patient="CHEST^ALPHA", extra={"BodyPartExamined": "CHEST"})
    assert anonymize(coded).report()["residue_check"]["found"] == 0

    text = make_instance(CT, patient="CHEST^ALPHA", extra={"SeriesDescription": "CHEST PA"})
    assert residue_findings(refusal(text)) == [("(0008,103E)", found("Patient's Name", "(0010,0010)"))]


# ------------------------------------------------------------------ what the user chose to release


def test_an_option_that_retains_institution_identity_is_honoured():
    data = basic_safe(extra={"IssuerOfPatientID": "NOWHERE"})  # a word of the kept Institution Address

    result = anonymize(data, profile="basic", options=("retain-institution-identity",))

    after = pydicom.dcmread(io.BytesIO(result.to_bytes()))
    assert after.InstitutionName == FAKE_INSTITUTION
    assert result.report()["residue_check"]["found"] == 0


def test_a_custom_rule_that_keeps_an_attribute_is_honoured_the_profile_is_not(bent_policy):
    policy = parse_policy('{"profile": "radiopaedia", "rules": [{"keyword": "PatientID", "action": "keep"}]}')
    result = anonymize(make_instance(CT), policy=policy)
    assert pydicom.dcmread(io.BytesIO(result.to_bytes())).PatientID == FAKE_ID

    bent_policy(kept(0x00100020))
    with pytest.raises(RefusedError):
        anonymize(make_instance(CT))


def test_the_vendors_name_is_not_searched_for():
    # vendors' test files put their own name everywhere: institution, station, operators
    data = basic_safe(extra={"InstitutionName": "FAKEVENDOR", "Manufacturer": "FAKEVENDOR MEDICAL"})

    assert anonymize(data, profile="basic").report()["residue_check"]["found"] == 0


# ------------------------------------------------------------------ every byte of the output


@pytest.mark.parametrize("syntax", [ImplicitVRLittleEndian, ExplicitVRBigEndian, DeflatedExplicitVRLittleEndian],
                         ids=["implicit", "big-endian", "deflated"])
def test_every_transfer_syntax_is_read_back_and_searched(bent_policy, syntax):
    bent_policy(kept(0x00100020))

    error = refusal(make_instance(CT, transfer_syntax=syntax))

    assert ("(0010,0020)", found("Patient ID", "(0010,0020)")) in residue_findings(error)


def test_a_value_in_a_nested_item_is_found(bent_policy):
    # Other Patient IDs Sequence kept, with the Patient ID inside it (FAKEOTHERID-0003)
    bent_policy({**kept(0x00101002), **kept(0x00100020)})

    error = refusal(make_instance(CT))

    assert ("(0010,1002)[0].(0010,0020)", found("Patient ID", "(0010,0020)")) in residue_findings(error)


def test_a_value_in_binary_bytes_is_found():
    # a kept private OB that holds the patient's name in Latin-1, the data set being UTF-8
    ds = make_dataset(CT, patient="MÜLLER^FAKEHANS")
    ds.SpecificCharacterSet = "ISO_IR 192"
    ds.add_new(0x00190010, "LO", "FAKE BLOB CREATOR")
    ds.add_new(0x00191001, "OB", b"\x00\x01\x02HEADER\x00" + "MÜLLER".encode("latin-1") + b"\x00\x07")
    policy = parse_policy('{"profile": "radiopaedia", "rules": [{"private_creator": "FAKE BLOB CREATOR", '
                          '"action": "keep"}]}')

    error = refusal(to_bytes(ds), policy=policy)

    assert residue_findings(error) == [("(0019,1001)", found("Patient's Name", "(0010,0010)"))]


def test_elements_after_the_pixel_data_are_searched():
    ds = make_dataset(CT)
    ds.add_new(0x7FE10010, "LO", "FAKE TRAILING CREATOR")
    ds.add_new(0x7FE11001, "LO", f"TRAILING {FAKE_ID}")
    policy = parse_policy('{"profile": "radiopaedia", "rules": [{"private_creator": "FAKE TRAILING CREATOR", '
                          '"action": "keep"}]}')

    error = refusal(to_bytes(ds), policy=policy)

    assert residue_findings(error) == [("(7FE1,1001)", found("Patient ID", "(0010,0020)"))]


def test_the_preamble_is_searched(monkeypatch):
    monkeypatch.setattr(anonymizer.engine, "PREAMBLE", FAKE_NAME.encode().ljust(128, b"\x00") + b"DICM")

    error = refusal(make_instance(CT))

    assert residue_findings(error) == [("preamble", found("Patient's Name", "(0010,0010)"))]


def test_the_output_must_read_back(monkeypatch):
    original = anonymizer.engine.encode_dataset

    def broken(dataset, implicit, little, unchanged):
        return original(dataset, implicit, little, unchanged) + b"\x08\x00\x30\x10LO\x20\x00ABC"  # 32 bytes declared, 3 there

    monkeypatch.setattr(anonymizer.engine, "encode_dataset", broken)

    error = refusal(make_instance(CT))

    assert error.findings[0].message.startswith("residue check: the output cannot be read back to be checked")


# ------------------------------------------------------------------ hostile to the check itself


def test_a_file_built_to_make_the_search_slow_is_refused_in_bounded_time():
    # 3,000 removed private values sharing one long word, which 1,000 kept elements repeat
    ds = make_dataset(CT)
    ds.add_new(0x00290010, "LO", "FAKE SLOW CREATOR")
    for i in range(3000):
        ds.add_new(0x00291000 + i, "LO", f"AAAAAAAAAAAAAAAA {i:04d}")
    for i in range(1000):
        ds.add_new(0x0FF00000 + i + 1, "LO", f"AAAAAAAAAAAAAAAA X{i}")  # an unknown public group: basic keeps it
    assert 3000 * 1000 > MAX_WORK

    error = refusal(to_bytes(ds), profile="basic")

    assert error.findings[0].message.startswith("residue check: the file holds too many similar identifying values")


# ------------------------------------------------------------------ the Basic Profile's own gaps


def test_the_basic_profile_keeps_a_name_in_text_value_and_the_residue_check_refuses_it():
    """Text Value (0040,A160) is not in Table E.1-1, so the Basic Profile keeps it where the
    table keeps its sequence (with Retain UIDs, the referenced-instance sequences); the
    conformance file plants a person's name in it."""
    data = planted_file("1.2.840.10008.5.1.4.1.1.2", "ct-image")

    error = refusal(data, profile="basic", options=("retain-uids",))

    assert any(path.endswith("(0040,A160)") and "Person Name (0040,A123)" in message
               for path, message in residue_findings(error))


def test_the_basic_profile_keeps_the_procedure_code_meaning_and_the_residue_check_refuses_it():
    error = refusal(make_instance(CT), profile="basic")

    assert residue_findings(error) == [("(0008,1032)[0].(0008,0104)", found("Patient's Name", "(0010,0010)"))]
