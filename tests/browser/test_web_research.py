"""Research release in the page (issue #8): the mapping tables, pre-assigned IDs, and the key of
a batch given no secret."""

from __future__ import annotations

import pydicom
from pydicom.uid import generate_uid

from browserlib import run_cli, tree, zip_members
from dicomfactory import phi_dataset, write

SECRET = "research-secret-42"


def patients(folder, count_per_patient=2):
    """Files of two patients (one of them with a Patient ID that needs quoting in a CSV)."""
    paths = []
    for number, patient_id in enumerate(["PAT-0001", "PAT,0002"]):
        study, series_uid = generate_uid(), generate_uid()
        for i in range(count_per_patient):
            ds = phi_dataset(study_uid=study, series_uid=series_uid)
            ds.PatientID = patient_id
            ds.PatientName = f"PLANTED^PATIENT{number}"
            ds.InstanceNumber = i + 1
            paths.append(write(ds, folder / f"p{number}" / f"img{i}.dcm", seed=10 * number + i))
    return paths


def test_mapping_tables_equal_the_cli(shared_page, tmp_path):
    """tcia, a secret and pre-assigned IDs: the page's uid_mapping.csv and patid_mapping.csv are
    the bytes the command line's --mapping-dir writes, the outputs are the CLI's, the trial ID
    is the Patient ID written, and the warning is shown before anything is downloaded."""
    page = shared_page
    page.clear()
    inputs = patients(tmp_path / "in")
    assigned = tmp_path / "ids.csv"
    assigned.write_text("id_old,id_new\nPAT-0001,TRIAL-001\nNOT-IN-BATCH,TRIAL-999\n")
    page.page.select_option("#profile", "tcia")
    page.page.fill("#uid-secret", SECRET)
    assert page.page.is_hidden("#secret-note")
    page.page.set_input_files("#assigned-input", str(assigned))
    page.poll("document.getElementById('assigned-status').classList.contains('ok')")
    assert "2 pre-assigned IDs from ids.csv" in page.page.inner_text("#assigned-status")
    page.select(inputs)
    rows = page.wait_batch(len(inputs))
    assert all(r["status"] in ("anonymised", "warnings") for r in rows), rows

    assert page.page.is_hidden("#mapping-panel")
    page.page.click("#mapping-open")
    assert page.page.is_visible("#mapping-panel")
    warning = page.page.inner_text("#mapping-warning")
    assert "re-identify every patient" in warning and "never share them" in warning
    got = {}
    for button, name in (("#download-uid-mapping", "uid_mapping.csv"), ("#download-patid-mapping", "patid_mapping.csv")):
        with page.page.expect_download() as info:
            page.page.click(button)
        assert info.value.suggested_filename == name
        target = tmp_path / "page" / name
        info.value.save_as(target)
        got[name] = target.read_bytes()
    zip_path = page.download_zip(tmp_path / "page.zip")

    cli = run_cli(inputs, tmp_path / "cli-out", "--profile", "tcia", "--secret", SECRET,
                  "--mapping-dir", str(tmp_path / "cli-map"), "--assign-ids", str(assigned))
    assert cli.returncode == 0, cli.stderr
    expected = tree(tmp_path / "cli-map")
    assert got == expected
    assert expected["patid_mapping.csv"].decode().startswith(
        'id_old,id_new\nPAT-0001,TRIAL-001\nNOT-IN-BATCH,TRIAL-999\n"PAT,0002",ANON')
    assert len(expected["uid_mapping.csv"].decode().splitlines()) > 1 + 2 * len(inputs)
    outputs = zip_members(zip_path)
    assert outputs == tree(tmp_path / "cli-out")
    written = {pydicom.dcmread(tmp_path / "cli-out" / name).PatientID for name in outputs}
    assert "TRIAL-001" in written and len(written) == 2
    page.page.click("#mapping-close")
    page.page.fill("#uid-secret", "")
    page.page.click("#clear-assigned")
    page.page.select_option("#profile", "radiopaedia")
    page.clear()


def test_bad_assigned_ids_row_is_named(shared_page, tmp_path):
    page = shared_page
    bad = tmp_path / "trial-ids.csv"
    bad.write_text("id_old,id_new\nPAT-1,TRIAL-1\nPAT-2\n")
    page.page.set_input_files("#assigned-input", str(bad))
    page.poll("document.getElementById('assigned-status').classList.contains('error')")
    assert page.page.inner_text("#assigned-status") == (
        "trial-ids.csv cannot be used: trial-ids.csv, row 3 ['PAT-2']: expected two values, old and new")
    assert page.page.is_hidden("#clear-assigned")
    # the command line names the same row
    cli = run_cli([bad], tmp_path / "out", "--assign-ids", str(bad))
    assert cli.returncode != 0 and "row 3 ['PAT-2']: expected two values, old and new" in cli.stderr
    # the JS API: pairs, or the same error; a Patient ID given two trial IDs is refused too
    result = page.page.evaluate(
        """async () => {
        const { createAnonymizer } = await import("./anonymizer.js");
        const a = await createAnonymizer({ baseUrl: "./", workers: 1 });
        const out = { pairs: await a.readAssignedIds("A,T1\\n\\nB,T2\\n", "ok.csv") };
        for (const csv of ["A,T1\\nA,T2\\n"]) {
          try { await a.readAssignedIds(csv, "twice.csv"); } catch (e) { out.twice = [e.kind, e.message]; }
        }
        try { await a.anonymizeAll([new Blob(["x"])], { assignedIds: [["A", "T1"], ["A", "T2"]] }); }
        catch (e) { out.pairsTwice = [e.kind, e.message]; }
        a.terminate();
        return out;
      }"""
    )
    assert result["pairs"] == [["A", "T1"], ["B", "T2"]]
    assert result["twice"] == ["settings", "twice.csv, row 2 'A,T2': 'A' is already mapped to 'T1'"]
    assert result["pairsTwice"][0] == "settings" and "contradicts the row A,T1" in result["pairsTwice"][1]


def test_no_secret_one_key_per_batch(shared_page, tmp_path):
    """tcia without a secret: the files of one patient get one pseudonym in a batch, whichever
    of the two workers did them; another batch gets another; every file says so."""
    page = shared_page
    paths = []
    study, series_uid = generate_uid(), generate_uid()
    for i in range(6):
        paths.append(write(phi_dataset(study_uid=study, series_uid=series_uid), tmp_path / f"{i}.dcm", seed=i))
    result = page.page.evaluate(
        """async (inputs) => {
        const { createAnonymizer } = await import("./anonymizer.js");
        const files = inputs.map(([name, bytes]) => new File([new Uint8Array(bytes)], name));
        const a = await createAnonymizer({ baseUrl: "./", workers: 2 });
        for (let i = 0; i < 300 && a.workers.ready < 2; i++) await new Promise((r) => setTimeout(r, 100));
        const batches = [];
        for (let run = 0; run < 2; run++) {
          const results = await a.anonymizeAll(files, { profile: "tcia" });
          batches.push({
            statuses: results.map((r) => r.status),
            workers: [...new Set(results.map((r) => r.worker))].sort(),
            pseudonyms: [...new Set(results.map((r) => r.patientIdMapping.map(([, id]) => id).join()))],
            studies: [...new Set(results.map((r) => r.name.split("/")[0]))],
            notes: results.map((r) => r.warnings.filter((w) => w.message.startsWith("no secret was given")).length),
          });
        }
        a.terminate();
        return batches;
      }""",
        [[p.name, list(p.read_bytes())] for p in paths],
    )
    first, second = result
    for batch in result:
        assert batch["workers"] == [0, 1], batch
        assert len(batch["pseudonyms"]) == 1 and batch["pseudonyms"][0].startswith("ANON"), batch
        assert len(batch["studies"]) == 1, batch
        assert batch["notes"] == [1] * len(paths), batch
        assert set(batch["statuses"]) == {"warnings"}
    assert first["pseudonyms"] != second["pseudonyms"]
    assert first["studies"] != second["studies"]
    # the page says it before any file is added
    page.page.select_option("#profile", "tcia")
    assert page.page.is_visible("#secret-note")
    assert "will not link" in page.page.inner_text("#secret-note")
    page.page.fill("#uid-secret", "s")
    assert page.page.is_hidden("#secret-note")
    page.page.fill("#uid-secret", "")
    page.page.select_option("#profile", "radiopaedia")
