"""Research release (``tcia`` profile): keyed pseudonyms across batches, mapping tables, the TCIA
knowledge base, free-text scrubbing, scored as the MIDI-B validation scorer scores.

The MIDI-B scorer (CBIIT/MIDI_validation_script) indexes every element of an output file as
``<(gggg,eeee)>`` (private: ``<(gggg,"CREATOR",ee)>``; inside sequences
``<parent>[<0000>]<child>``), each value as ``<value>``, reads ``uid_mapping.csv`` and
``patid_mapping.csv`` (``id_old,id_new``), and scores each check of its answer key 0..1. This
file writes such an answer key for a generated corpus and scores it the same way: check types
text_removed, text_retained, tag_retained, text_notnull, date_shifted, uid_changed,
uid_consistent, patid_consistent, pixels_retained. Run it with ``-s`` to see the table:

    .venv/bin/python -m pytest tests/test_research.py -s -k midi
"""

from __future__ import annotations

import csv
import datetime
import hashlib
import io
import re
import shutil
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pydicom
import pytest
from pydicom.dataset import Dataset
from pydicom.sequence import Sequence

from anonymizer import anonymize
from anonymizer.cli import main as cli_main
from anonymizer.research import MappingError, MappingTables, private_kb
from synthetic import CT, MR, NM, make_dataset, to_bytes, uid

REPO = Path(__file__).resolve().parent.parent
SECRET = "FAKE-PROJECT-SECRET-42"
KB_CREATOR = "GEMS_IDEN_01"
CHECK_TYPES = ("text_removed", "text_retained", "tag_retained", "text_notnull", "date_shifted",
               "uid_changed", "uid_consistent", "patid_consistent", "pixels_retained")


# -- the corpus ---------------------------------------------------------------------------------

PATIENTS = {
    # key: (name as written in batch 1, name variant in batch 2, patient id, address, phone, age)
    "A": ("FAKEDOE^JANEA", "Fakedoe^Janea^", "FAKEPID-1001", "7 FAKELANE ROAD, FAKEVILLE", "5550101234", "045Y"),
    "B": ("FAKEROE^RICHB", "FAKEROE^RICHB^^^", "FAKEPID-2002", "9 FAKEHILL WAY, FAKEBURG", "5550105678", "094Y"),
    "C": ("FAKEPOE^ANNC", "FAKEPOE^ANNC", "FAKEPID-3003", "3 FAKEBROOK ST, FAKETON", "5550109999", "031Y"),
}
STUDIES = [
    # (batch, patient, study number, SOP class, study date, instances)
    (1, "A", 1, CT, "20240131", 2),
    (1, "A", 1, MR, "20240131", 1),
    (1, "B", 1, NM, "20230615", 1),
    (2, "A", 2, CT, "20240210", 2),
    (2, "C", 1, MR, "20220101", 1),
]


def _corpus(root: Path) -> dict[str, list[dict]]:
    """Write the corpus under root/batch1 and root/batch2; return the answer facts per batch."""
    facts: dict[str, list[dict]] = defaultdict(list)
    counter = 0
    epoch_element = next(e for (c, g, e), r in private_kb().items() if c == KB_CREATOR.lower() and r.value)
    for batch, key, study, sop_class, date, count in STUDIES:
        name1, name2, pid, address, phone, age = PATIENTS[key]
        name = name1 if batch == 1 else name2
        study_uid = uid(f"study-{key}-{study}")
        series_uid = uid(f"series-{key}-{study}-{sop_class}")
        for number in range(count):
            counter += 1
            sop_uid = uid(f"sop-{counter}")
            given, family = name1.split("^")[1], name1.split("^")[0]
            accession = f"FAKEACC{counter:04d}"
            slash = f"{date[6:]}/{date[4:6]}/{date[:4]}"
            words = datetime.date(int(date[:4]), int(date[4:6]), int(date[6:])).strftime("%b %d %Y")
            ds = make_dataset(sop_class, patient=name, patient_id=pid, study_uid=study_uid,
                              series_uid=series_uid, sop_uid=sop_uid, extra={
                                  "StudyDate": date, "SeriesDate": date, "AcquisitionDate": date,
                                  "ContentDate": date, "InstanceCreationDate": date,
                                  "PatientAddress": address, "PatientTelephoneNumbers": phone,
                                  "PatientAge": age, "AccessionNumber": accession,
                                  "StudyDescription": f"follow-up {given.title()} {family.title()} "
                                                      f"{pid} {accession} {slash}",
                                  "SeriesDescription": f"axial {words} tel {phone[:3]}-{phone[3:6]}-{phone[6:]}",
                                  "ProtocolName": f"reviewed {date[:4]}-{date[4:6]}-{date[6:]} "
                                                   f"at {address.split(',')[1].strip().lower()}",
                                  "AdditionalPatientHistory": None,
                              })
            ds.ReferencedImageSequence = Sequence([Dataset()])
            ds.ReferencedImageSequence[0].ReferencedSOPClassUID = sop_class
            ds.ReferencedImageSequence[0].ReferencedSOPInstanceUID = uid(f"ref-{counter}")
            block = ds.private_block(0x0009, KB_CREATOR, create=True)
            block.add_new(0x01, "LO", "FAKE FULL FIDELITY")           # k
            block.add_new(0x02, "SH", "FAKESUITE-ID")                 # d
            block.add_new(0xE3, "UI", uid(f"private-{counter}"))     # h
            block.add_new(epoch_element, "SL", 1706659200)            # oi
            folder = root / f"batch{batch}"
            folder.mkdir(parents=True, exist_ok=True)
            data = to_bytes(ds)
            (folder / f"{key}-{study}-{counter}.dcm").write_bytes(data)
            facts[f"batch{batch}"].append({
                "patient": key, "study": study, "name": name, "pid": pid, "date": date, "slash": slash,
                "words": words, "accession": accession, "address": address, "phone": phone,
                "sop_uid": sop_uid, "study_uid": study_uid, "ref_uid": uid(f"ref-{counter}"),
                "private_uid": uid(f"private-{counter}"), "pixels": _pixels_md5(data),
            })
    return facts


def _pixels_md5(data: bytes) -> str:
    ds = pydicom.dcmread(io.BytesIO(data))
    return hashlib.md5(ds.PixelData).hexdigest() if "PixelData" in ds else ""


# -- the scorer's view of a file ----------------------------------------------------------------


def index(ds: Dataset, table: dict | None = None, label: str = "", depth: int = 0, count: int = 0) -> dict:
    """Element path -> ``<value>``, as the MIDI-B file indexer builds it."""
    table = {} if table is None else table
    for element in ds:
        if element.tag.is_private and element.private_creator:
            text = str(element.tag).replace(", ", ",")
            tag_label = f'({text[1:5]},"{str(element.private_creator).upper()}",{text[8:10]})'
        else:
            tag_label = str(element.tag).replace(", ", ",")
        path = f"<{tag_label}>" if depth == 0 else f"{label}[<{str(count).zfill(4)}>]<{tag_label}>"
        if element.name in ("Pixel Data", "Overlay Data", "File Meta Information Version"):
            table[path] = "<REMOVED>"
        else:
            table[path] = f"<{str(element.value).strip()}>" if element.value is not None else "<>"
        if element.VR == "SQ":
            for i, item in enumerate(element.value):
                index(item, table, path, depth + 1, i)
    return table


_STOP = {"a", "an", "the", "of", "on", "at", "for", "and", "or", "in", "to"}


def _tokens(text: str) -> list[str]:
    return [t for t in re.findall(r"\w+(?:[-/.]\w+)*", text) if t not in _STOP]


def text_score(file_value: str, answer: str, method: str) -> float:
    """The scorer's text comparison: lower case, ``<>`` dropped, numbers compared as numbers,
    the whole answer as a substring, else the share of its tokens retained (or removed)."""
    file_value = file_value.replace("<", "").replace(">", "").lower()
    answer = answer.replace("<", "").replace(">", "").lower()
    if file_value.replace(".", "", 1).isdigit() and answer.replace(".", "", 1).isdigit():
        same = float(file_value) == float(answer)
        return float(same if method == "retain" else not same)
    if answer in file_value:
        return 1.0 if method == "retain" else 0.0
    tokens = _tokens(answer)
    kept = sum(1 for t in tokens if t in file_value)
    return kept / len(tokens) if method == "retain" else (len(tokens) - kept) / len(tokens)


def score(check: dict, row: dict, uids: dict, patids: dict) -> float:
    action, tag, value = check["action"], check["tag"], check.get("value", "")
    present = tag in row
    file_value = row.get(tag)
    if action == "tag_retained":
        return float(present)
    if action == "text_notnull":
        return float(present and file_value != "<>")
    if action == "text_retained":
        return text_score(file_value, value, "retain") if present and file_value not in ("<>", None) else 0.0
    if action == "text_removed":
        file_value = "<>" if file_value == "<REMOVED>" else file_value
        return text_score(file_value, value, "remove") if present and file_value.strip("<>") else 1.0
    if action in ("date_shifted", "uid_changed"):
        return float(not present or value.replace("\\", "") not in file_value.replace("\\", ""))
    if action == "uid_consistent":
        return float(not present or file_value == uids.get(f"<{value}>", ""))
    if action == "patid_consistent":
        return float(not present or file_value == patids.get(f"<{value}>", ""))
    if action == "pixels_retained":
        return float(row.get("file_digest") == value)
    raise AssertionError(action)


def answer_key(fact: dict) -> list[dict]:
    """The checks for one instance, as MIDI-B's answer key states them."""
    family, given = fact["name"].split("^")[:2]
    kb = f'(0009,"{KB_CREATOR}",'
    checks = [
        {"action": "text_removed", "tag": "<(0010,0010)>", "value": fact["name"]},
        {"action": "text_removed", "tag": "<(0010,0020)>", "value": fact["pid"]},
        {"action": "text_removed", "tag": "<(0008,0050)>", "value": fact["accession"]},
        {"action": "text_removed", "tag": "<(0010,1040)>", "value": fact["address"]},
        {"action": "text_removed", "tag": "<(0008,0080)>", "value": "FAKE"},
        {"action": "text_removed", "tag": "<(0008,1030)>", "value": f"{given} {family} {fact['pid']}"},
        {"action": "text_removed", "tag": "<(0008,1030)>", "value": fact["accession"]},
        {"action": "text_removed", "tag": "<(0008,1030)>", "value": fact["slash"]},
        {"action": "text_removed", "tag": "<(0008,103E)>", "value": fact["words"]},
        {"action": "text_removed", "tag": "<(0008,103E)>", "value": fact["phone"][6:]},
        {"action": "text_removed", "tag": "<(0018,1030)>", "value": fact["address"].split(",")[1].strip()},
        {"action": "text_removed", "tag": f"<{kb}02)>", "value": "FAKESUITE-ID"},
        {"action": "text_retained", "tag": "<(0008,1030)>", "value": "follow-up"},
        {"action": "text_retained", "tag": "<(0008,103E)>", "value": "axial"},
        {"action": "text_retained", "tag": "<(0018,1030)>", "value": "reviewed"},
        {"action": "text_retained", "tag": "<(0010,0040)>", "value": "O"},
        {"action": "text_retained", "tag": f"<{kb}01)>", "value": "FAKE FULL FIDELITY"},
        {"action": "tag_retained", "tag": "<(0010,1010)>"},
        {"action": "tag_retained", "tag": "<(0008,0060)>"},
        {"action": "tag_retained", "tag": f"<{kb}01)>"},
        {"action": "text_notnull", "tag": "<(0010,0010)>"},
        {"action": "text_notnull", "tag": "<(0010,0020)>"},
        {"action": "text_notnull", "tag": "<(0008,0020)>"},
        {"action": "date_shifted", "tag": "<(0008,0020)>", "value": fact["date"]},
        {"action": "date_shifted", "tag": "<(0008,0023)>", "value": fact["date"]},
        {"action": "date_shifted", "tag": f"<{kb}27)>", "value": "1706659200"},
        {"action": "uid_changed", "tag": "<(0008,0018)>", "value": fact["sop_uid"]},
        {"action": "uid_changed", "tag": "<(0020,000D)>", "value": fact["study_uid"]},
        {"action": "uid_changed", "tag": "<(0008,1140)>[<0000>]<(0008,1155)>", "value": fact["ref_uid"]},
        {"action": "uid_changed", "tag": f"<{kb}E3)>", "value": fact["private_uid"]},
        {"action": "uid_consistent", "tag": "<(0008,0018)>", "value": fact["sop_uid"]},
        {"action": "uid_consistent", "tag": "<(0020,000D)>", "value": fact["study_uid"]},
        {"action": "uid_consistent", "tag": "<(0008,1140)>[<0000>]<(0008,1155)>", "value": fact["ref_uid"]},
        {"action": "uid_consistent", "tag": f"<{kb}E3)>", "value": fact["private_uid"]},
        {"action": "patid_consistent", "tag": "<(0010,0020)>", "value": fact["pid"]},
        {"action": "pixels_retained", "tag": "<(7FE0,0010)>", "value": fact["pixels"]},
    ]
    return checks


def _read_mapping(path: Path) -> dict[str, str]:
    with open(path, newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert rows and list(rows[0]) == ["id_old", "id_new"]
    return {f"<{r['id_old']}>": f"<{r['id_new']}>" for r in rows}


def _run(*args) -> int:
    return cli_main([str(a) for a in args])


@pytest.fixture(scope="module")
def release(tmp_path_factory):
    root = tmp_path_factory.mktemp("release")
    facts = _corpus(root / "in")
    out, mapping = root / "out", root / "mapping"
    assert _run(root / "in" / "batch1", "-o", out / "batch1", "--profile", "tcia", "--secret", SECRET,
                "--mapping-dir", mapping, "-q", "-j", "2") == 0
    assert _run(root / "in" / "batch2", "-o", out / "batch2", "--profile", "tcia", "--secret", SECRET,
                "--mapping-dir", mapping, "-q", "-j", "1") == 0
    return root, facts


def test_midi_b_answer_key_scores_100_percent(release):
    root, facts = release
    uids = _read_mapping(root / "mapping" / "uid_mapping.csv")
    patids = _read_mapping(root / "mapping" / "patid_mapping.csv")
    new_to_old = {v: k for k, v in uids.items()}
    rows = {}
    for path in sorted((root / "out").rglob("*.dcm")):
        ds = pydicom.dcmread(path)
        row = index(ds)
        row["file_digest"] = hashlib.md5(ds.PixelData).hexdigest() if "PixelData" in ds else ""
        rows[new_to_old[f"<{ds.SOPInstanceUID}>"].strip("<>")] = row  # the scorer needs every instance mapped
    scores: dict[str, list[float]] = defaultdict(list)
    failures = []
    for fact in facts["batch1"] + facts["batch2"]:
        row = rows[fact["sop_uid"]]
        for check in answer_key(fact):
            result = score(check, row, uids, patids)
            scores[check["action"]].append(result)
            if result < 1:
                failures.append((fact["sop_uid"][-8:], check, row.get(check["tag"])))
    print("\nMIDI-B-style score per check type (tcia profile, two batches, one secret):")
    for kind in CHECK_TYPES:
        values = scores[kind]
        print(f"  {kind:17s} {100 * sum(values) / len(values):6.1f} %  ({len(values)} checks)")
    total = [v for values in scores.values() for v in values]
    print(f"  {'all':17s} {100 * sum(total) / len(total):6.1f} %  ({len(total)} checks)")
    assert set(scores) == set(CHECK_TYPES)
    for failure in failures[:40]:
        print(failure)
    assert not failures, failures[:10]


def test_batches_days_apart_link_with_one_secret_and_not_with_two(release, tmp_path):
    root, facts = release
    by_study = {}
    for batch in ("batch1", "batch2"):
        for path in sorted((root / "out" / batch).rglob("*.dcm")):
            ds = pydicom.dcmread(path)
            by_study.setdefault((batch, ds.Modality), ds)
    first, second = by_study[("batch1", "CT")], by_study[("batch2", "CT")]
    assert first.PatientID == second.PatientID == str(first.PatientName) == str(second.PatientName)
    interval = (_date(second.StudyDate) - _date(first.StudyDate)).days
    assert interval == (_date("20240210") - _date("20240131")).days
    assert first.StudyTime == "134501.123456"  # whole-day shifts keep times

    other = tmp_path / "other"
    assert _run(root / "in" / "batch2", "-o", other, "--profile", "tcia", "--secret", "FAKE-OTHER-SECRET", "-q") == 0
    ct = next(pydicom.dcmread(p) for p in sorted(other.rglob("*.dcm")) if pydicom.dcmread(p).Modality == "CT")
    assert ct.PatientID != second.PatientID
    assert ct.StudyDate != second.StudyDate


def _date(text: str) -> datetime.date:
    return datetime.date(int(text[:4]), int(text[4:6]), int(text[6:]))


def test_name_spellings_are_one_patient_and_ages_over_89_become_90():
    outputs = []
    for name in ("FAKEDOE^JANE", "Fakedoe^Jane^", "FAKEDOE^JANE^^^"):
        data = to_bytes(make_dataset(CT, patient=name, extra={"PatientID": None, "PatientAge": "095Y"}))
        ds = pydicom.dcmread(io.BytesIO(anonymize(data, profile="tcia", uid_secret=SECRET).to_bytes()))
        outputs.append((str(ds.PatientName), ds.PatientAge, ds.StudyDate))
    assert len(set(outputs)) == 1
    assert outputs[0][1] == "090Y" and outputs[0][0].startswith("ANON")


def test_an_age_over_89_is_aggregated_only_in_the_files_that_hold_one():
    # the files of a patient share one policy, made once: one for each side of 89
    ages = []
    for age in ("095Y", "045Y", "095Y", "045Y"):
        data = to_bytes(make_dataset(CT, patient="FAKEDOE^JANE", extra={"PatientAge": age}))
        ds = pydicom.dcmread(io.BytesIO(anonymize(data, profile="tcia", uid_secret=SECRET).to_bytes()))
        ages.append(ds.PatientAge)
    assert ages == ["090Y", "045Y", "090Y", "045Y"]


def test_every_person_name_written_is_the_patient_pseudonym():
    """Safe Harbor: where the profile must write a name (a Person Name content item, the
    Verifying Observer Name of an SR), it writes the pseudonym, never a made-up name."""
    def person(name: str) -> Dataset:
        concept = Dataset()
        concept.CodeValue, concept.CodingSchemeDesignator, concept.CodeMeaning = "121008", "DCM", "Person Observer Name"
        item = Dataset()
        item.RelationshipType, item.ValueType, item.PersonName = "HAS OBS CONTEXT", "PNAME", name
        item.ConceptNameCodeSequence = Sequence([concept])
        return item

    ds = make_dataset("1.2.840.10008.5.1.4.1.1.88.33", patient="FAKEDOE^JANE", extra={"PatientID": "FAKEPID-1"})
    ds.ContentSequence = Sequence([person("FAKEDOE^JANE"), person("FAKEDOC^HOUSE")])
    observer = Dataset()
    observer.VerifyingObserverName, observer.VerificationDateTime = "FAKEDOC^HOUSE", "20240101120000"
    ds.VerifyingObserverSequence = Sequence([observer])

    result = anonymize(to_bytes(ds), profile="tcia", uid_secret=SECRET)
    out = pydicom.dcmread(io.BytesIO(result.to_bytes()))

    pseudonym = str(out.PatientName)
    assert re.fullmatch(r"ANON\d{12}", pseudonym)
    assert [str(item.PersonName) for item in out.ContentSequence] == [pseudonym, pseudonym]
    assert str(out.VerifyingObserverSequence[0].VerifyingObserverName) == pseudonym


def test_without_a_secret_the_run_says_batches_will_not_link():
    result = anonymize(to_bytes(make_dataset(CT)), profile="tcia")
    assert any("will not link" in w.message for w in result.warnings)


def test_mapping_continues_and_a_conflicting_row_is_named(tmp_path):
    ids = tmp_path / "ids.csv"
    ids.write_text("id_old,id_new\nFAKEPID-1,TRIAL-001\nFAKEPID-1,TRIAL-002\n")
    with pytest.raises(MappingError, match=r"row 3 'FAKEPID-1,TRIAL-002'"):
        MappingTables().assign(ids)
    data = to_bytes(make_dataset(CT, patient_id="FAKEPID-1"))
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.dcm").write_bytes(data)
    ids.write_text("FAKEPID-1,TRIAL-001\n")
    assert _run(tmp_path / "in", "-o", tmp_path / "out", "--profile", "tcia", "--secret", SECRET,
                "--assign-ids", ids, "--mapping-dir", tmp_path / "map", "-q") == 0
    ds = pydicom.dcmread(next((tmp_path / "out").rglob("*.dcm")))
    assert ds.PatientID == "TRIAL-001"
    assert "FAKEPID-1,TRIAL-001" in (tmp_path / "map" / "patid_mapping.csv").read_text()
    # the same batch under another secret contradicts the UID rows: refused, named
    assert _run(tmp_path / "in", "-o", tmp_path / "out2", "--profile", "tcia", "--secret", "FAKE-OTHER",
                "--mapping-dir", tmp_path / "map", "-q") == 1
    assert not list((tmp_path / "out2").rglob("*.dcm"))


def test_generated_tcia_data_is_reproducible_and_compact():
    completed = subprocess.run([sys.executable, str(REPO / "scripts" / "generate_tcia.py"), "--check"],
                               capture_output=True, text=True)
    if completed.returncode == 2:
        pytest.skip("TCIA's tables are not in ../shared/standard/tcia")
    assert completed.returncode == 0, completed.stderr
    assert (REPO / "anonymizer" / "rules" / "tcia.py").stat().st_size < 2_000_000


def test_tcia_outputs_pass_dciodvfy_with_no_new_error(release):
    assert shutil.which("dciodvfy"), "dciodvfy is missing: install the Debian package dicom3tools (.ci/run does)"
    root, _ = release
    inputs = {}
    for path in sorted((root / "in").rglob("*.dcm")):
        inputs[str(pydicom.dcmread(path).SOPInstanceUID)] = _errors(path)
    uids = {v.strip("<>"): k.strip("<>") for k, v in _read_mapping(root / "mapping" / "uid_mapping.csv").items()}
    for path in sorted((root / "out").rglob("*.dcm")):
        original = uids[str(pydicom.dcmread(path).SOPInstanceUID)]
        new = _errors(path) - inputs[original]
        assert not new, (path.name, sorted(new))


def _errors(path: Path) -> set[str]:
    completed = subprocess.run(["dciodvfy", "-new", str(path)], capture_output=True, text=True)
    lines = (completed.stdout + completed.stderr).splitlines()
    return {re.sub(r"<[^>]*>|\"[^\"]*\"|\d+(\.\d+)+", "", line) for line in lines if line.startswith("Error")}
