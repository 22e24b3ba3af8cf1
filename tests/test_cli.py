"""The command line, run as a user runs it: ``python -m anonymizer INPUT... -o OUTDIR``.

    $ anonymizer scans/ archive.zip -o anonymised/ --report report.json
    anonymised 3 file(s) (0 with level-2 warnings), refused 0, unreadable 0, skipped 0 not DICOM; output in anonymised

Exit status 0 when every DICOM input was written, 1 when one was refused or unreadable
(the others are still written), 2 for usage errors.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from anonymizer import __version__, anonymize
from synthetic import CT, FAKE_NAME, MR, US, make_instance, uid

NOT_DICOM = "not DICOM: not a DICOM file: no 'DICM' marker at offset 128 and it does not start with a DICOM data element"


def cli(*args, secret: str | None = None, script: bool = False, cwd: Path | None = None):
    """Run the command line in a subprocess; returns the CompletedProcess (text)."""
    env = {k: v for k, v in os.environ.items() if k != "ANONYMIZER_UID_SECRET"}
    if secret is not None:
        env["ANONYMIZER_UID_SECRET"] = secret
    command = [str(Path(sys.executable).parent / "anonymizer")] if script else [sys.executable, "-m", "anonymizer"]
    return subprocess.run(command + [str(a) for a in args], capture_output=True, text=True, env=env, cwd=cwd,
                          timeout=120)


def summary(out: Path, written=0, warned=0, refused=0, unreadable=0, skipped=0) -> str:
    return (f"anonymised {written} file(s) ({warned} with level-2 warnings), refused {refused}, "
            f"unreadable {unreadable}, skipped {skipped} not DICOM; output in {out}")


def tree(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder``: relative path -> content."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def study(tmp_path) -> Path:
    """A folder of two DICOM files, one named after the fake patient, one two levels down."""
    folder = tmp_path / "in"
    (folder / "series 2" / "deeper").mkdir(parents=True)
    (folder / f"{FAKE_NAME}.dcm").write_bytes(make_instance(CT, sop_uid=uid("cli ct")))
    (folder / "series 2" / "deeper" / f"{FAKE_NAME} MR.dcm").write_bytes(
        make_instance(MR, sop_uid=uid("cli mr"), series_uid=uid("cli mr series")))
    return folder


def expected_outputs(*sources: bytes, **options) -> dict[str, bytes]:
    """What the API gives for these inputs: relative path -> bytes."""
    return {(r := anonymize(data, **options)).relative_path: r.to_bytes() for data in sources}


# ------------------------------------------------------------------ success


def test_every_dicom_input_written_exit_0(study, tmp_path):
    out = tmp_path / "out"

    done = cli(study, "-o", out)

    assert done.returncode == 0
    assert done.stderr.splitlines() == [summary(out, written=2)]
    assert done.stdout == ""
    assert tree(out) == expected_outputs(*(p.read_bytes() for p in sorted(study.rglob("*.dcm"))))


def test_the_console_script(study, tmp_path):
    out = tmp_path / "out"

    done = cli(study, "-o", out, script=True)

    assert done.returncode == 0
    assert done.stderr.splitlines() == [summary(out, written=2)]
    assert len(tree(out)) == 2


def test_output_layout_is_study_series_instance_named_by_new_uids(study, tmp_path):
    out = tmp_path / "out"

    cli(study, "-o", out)

    paths = list(tree(out))
    assert len(paths) == 2
    root = "1.2.826.0.1.3680043.10.341."
    for path in paths:
        parts = path.split("/")
        assert len(parts) == 3 and parts[2].endswith(".dcm")
        assert all(part.startswith(root) for part in parts)
    assert not any("FAKE" in path or "MR" in path or "series" in path for path in paths)
    assert len({path.split("/")[0] for path in paths}) == 1, "one study"
    assert len({path.split("/")[1] for path in paths}) == 2, "two series"
    assert not any(b"FAKE" in content for content in tree(out).values())


def test_two_runs_give_byte_identical_output(study, tmp_path):
    cli(study, "-o", tmp_path / "one")
    cli(study, "-o", tmp_path / "two")

    assert tree(tmp_path / "one") == tree(tmp_path / "two") != {}


def test_verbose_prints_a_line_per_written_file(study, tmp_path):
    out = tmp_path / "out"
    ct = study / f"{FAKE_NAME}.dcm"

    done = cli(ct, "-o", out, "-v")

    (relative,) = expected_outputs(ct.read_bytes())
    assert done.stderr.splitlines() == [f"written: {ct} -> {relative}", summary(out, written=1)]


def test_two_inputs_with_the_same_sop_instance_uid_do_not_overwrite_each_other(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.dcm").write_bytes(make_instance(CT, sop_uid=uid("twin")))
    (tmp_path / "in" / "b.dcm").write_bytes(make_instance(CT, sop_uid=uid("twin"), extra={"KVP": "140"}))
    out = tmp_path / "out"

    done = cli(tmp_path / "in", "-o", out)

    assert done.returncode == 0
    paths = sorted(tree(out))
    assert len(paths) == 2 and paths[1] == paths[0].replace(".dcm", "_2.dcm")


# ------------------------------------------------------------------ refused, unreadable, skipped


def test_refused_and_unreadable_files_exit_1_and_the_others_are_written(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a good.dcm").write_bytes(make_instance(CT, sop_uid=uid("good")))
    (folder / "b face.dcm").write_bytes(make_instance(MR, extra={"RecognizableVisualFeatures": "YES"}))
    (folder / "c truncated.dcm").write_bytes(make_instance(CT, sop_uid=uid("cut"))[:-10])
    (folder / "d notes.txt").write_text("FAKE NOTES ABOUT FAKEPATIENT^ALPHA\n")
    out = tmp_path / "out"

    done = cli(folder, "-o", out)

    assert done.returncode == 1
    start = len(make_instance(CT, sop_uid=uid("cut"))) - 128
    assert done.stderr.splitlines() == [
        f"refused: {folder / 'b face.dcm'}: (0028,0302): the image has recognizable visual features (a face, for example)",
        f"unreadable: {folder / 'c truncated.dcm'}: Pixel Data declares 128 bytes at offset {start} but the file has only 118 bytes left",
        f"skipped: {folder / 'd notes.txt'}: {NOT_DICOM}",
        summary(out, written=1, refused=1, unreadable=1, skipped=1),
    ]
    assert tree(out) == expected_outputs((folder / "a good.dcm").read_bytes())


def test_only_non_dicom_files_is_exit_0(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "notes.txt").write_text("FAKE NOTES\n")

    done = cli(tmp_path / "in", "-o", tmp_path / "out")

    assert done.returncode == 0
    assert done.stderr.splitlines()[-1] == summary(tmp_path / "out", skipped=1)


def test_quiet_prints_only_the_summary(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "face.dcm").write_bytes(make_instance(MR, extra={"RecognizableVisualFeatures": "YES"}))

    done = cli(tmp_path / "in", "-o", tmp_path / "out", "-q")

    assert done.returncode == 1
    assert done.stderr.splitlines() == [summary(tmp_path / "out", refused=1)]


def test_level_2_warnings_are_counted(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "us.dcm").write_bytes(make_instance(US, extra={"BurnedInAnnotation": None}))

    done = cli(tmp_path / "in", "-o", tmp_path / "out")

    assert done.returncode == 0
    assert done.stderr.splitlines() == [summary(tmp_path / "out", written=1, warned=1)]


@pytest.mark.parametrize("jobs", ["1", "2"])
@pytest.mark.parametrize("report", [False, True], ids=["no-report", "report"])
def test_level_2_warnings_are_counted_in_a_batch_with_or_without_report(tmp_path, jobs, report):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a us.dcm").write_bytes(make_instance(US, extra={"BurnedInAnnotation": None}))
    (tmp_path / "in" / "b ct.dcm").write_bytes(make_instance(CT, sop_uid=uid("no warning")))
    (tmp_path / "in" / "c us.dcm").write_bytes(make_instance(US, sop_uid=uid("warned"), extra={"BurnedInAnnotation": None}))
    extra = ["--report", tmp_path / "report.json"] if report else []

    done = cli(tmp_path / "in", "-o", tmp_path / "out", "--jobs", jobs, *extra)

    assert done.returncode == 0
    assert done.stderr.splitlines() == [summary(tmp_path / "out", written=3, warned=2)]


# ------------------------------------------------------------------ usage errors


@pytest.mark.parametrize("arguments,message", [
    (["{in}"], "anonymizer: error: the following arguments are required: -o/--output"),
    (["-o", "{out}"], "anonymizer: error: the following arguments are required: INPUT"),
    (["{in}/missing.dcm", "-o", "{out}"], "anonymizer: error: input not found: {in}/missing.dcm"),
    (["{in}", "-o", "{in}"], "anonymizer: error: the output folder is the input folder {in}: choose another"),
], ids=["no-output", "no-input", "missing-input", "output-is-input"])
def test_usage_errors_exit_2(study, tmp_path, arguments, message):
    before = tree(study)
    out = tmp_path / "out"
    fill = lambda text: text.replace("{in}", str(study)).replace("{out}", str(out))  # noqa: E731

    done = cli(*[fill(a) for a in arguments])

    assert done.returncode == 2
    assert done.stderr.splitlines()[-1] == fill(message)
    assert done.stderr.splitlines()[0].startswith("usage: anonymizer ")
    assert not out.exists()
    assert tree(study) == before


# ------------------------------------------------------------------ inputs are never overwritten nor lost


def test_output_folder_inside_the_input_folder(tmp_path):
    folder = tmp_path / "in"
    (folder / "out").mkdir(parents=True)
    (folder / "ct.dcm").write_bytes(make_instance(CT))
    before = tree(folder)

    done = cli(folder, "-o", folder / "out")
    again = cli(folder, "-o", folder / "out")

    assert done.returncode == again.returncode == 0
    assert tree(folder / "out") == expected_outputs(before["ct.dcm"]), "earlier outputs are not inputs"
    assert {k: v for k, v in tree(folder).items() if not k.startswith("out/")} == before


@pytest.mark.parametrize("jobs", ["2", "3"])
def test_output_folder_inside_the_input_folder_with_jobs(tmp_path, jobs):
    # the inputs are listed before anything is written: a worker's temporary file is never one
    folder = mixed_batch(tmp_path / "in")

    one = cli(folder, "-o", folder / "out", "--jobs", "1")
    shutil.rmtree(folder / "out")
    many = cli(folder, "-o", folder / "out", "--jobs", jobs)

    assert many.returncode == one.returncode == 1
    assert many.stderr == one.stderr
    assert many.stderr.splitlines()[-1] == summary(folder / "out", written=11, refused=2, unreadable=1, skipped=1)


def test_an_input_inside_the_output_folder_is_not_silently_ignored(tmp_path):
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    (folder / "ct.dcm").write_bytes(make_instance(CT, sop_uid=uid("outer")))
    (folder / "sub" / "mr.dcm").write_bytes(make_instance(MR, sop_uid=uid("inner"), series_uid=uid("inner series")))
    mr = (folder / "sub" / "mr.dcm").read_bytes()

    done = cli(folder, "-o", folder / "sub")

    assert (folder / "sub" / "mr.dcm").read_bytes() == mr, "never overwritten"
    written = any(path.endswith(relative) for path in tree(folder / "sub") for relative in expected_outputs(mr))
    if not written:
        assert done.returncode != 0
        assert str(folder / "sub" / "mr.dcm") in done.stderr


def test_an_explicit_input_file_inside_the_output_folder_is_not_silently_ignored(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "ct.dcm").write_bytes(make_instance(CT))

    done = cli(out / "ct.dcm", "-o", out)

    assert (out / "ct.dcm").read_bytes() == make_instance(CT)
    written = set(tree(out)) - {"ct.dcm"}
    if not written:
        assert done.returncode != 0
        assert str(out / "ct.dcm") in done.stderr


# ------------------------------------------------------------------ ZIP archives


def make_zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return path


def test_zip_members_are_anonymised(tmp_path):
    ct = make_instance(CT, sop_uid=uid("zip ct"))
    us = make_instance(US, sop_uid=uid("zip us"), series_uid=uid("zip us series"))
    archive = make_zip(tmp_path / f"{FAKE_NAME}.zip",
                       {f"{FAKE_NAME}/ct.dcm": ct, "nested/deeper/us.dcm": us, "readme.txt": b"FAKE README"})
    out = tmp_path / "out"

    done = cli(archive, "-o", out)

    assert done.returncode == 0
    assert done.stderr.splitlines() == [f"skipped: {archive}:readme.txt: {NOT_DICOM}", summary(out, written=2, skipped=1)]
    assert tree(out) == expected_outputs(ct, us)


def test_zip_member_pointing_outside_the_archive_is_skipped_with_the_reason(tmp_path):
    good = make_instance(CT, sop_uid=uid("zip good"))
    archive = make_zip(tmp_path / "in.zip", {"good.dcm": good, "../evil.dcm": make_instance(CT, sop_uid=uid("evil"))})
    out = tmp_path / "work" / "out"

    done = cli(archive, "-o", out)

    evil = f"{archive}:../evil.dcm: the member name points outside the archive"
    assert f"skipped: {evil}" in done.stderr.splitlines() or f"refused: {evil}" in done.stderr.splitlines()
    assert tree(out) == expected_outputs(good)
    assert not (tmp_path / "work" / "evil.dcm").exists() and not (tmp_path / "evil.dcm").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.zip", "work"]


def test_zip_member_pointing_outside_the_archive_counts_as_not_written(tmp_path):
    archive = make_zip(tmp_path / "in.zip", {"good.dcm": make_instance(CT), "../evil.dcm": make_instance(MR)})
    report = tmp_path / "report.json"

    done = cli(archive, "-o", tmp_path / "out", "--report", report)

    files = {entry["input"]: entry for entry in json.loads(report.read_text())["files"]}
    assert f"{archive}:../evil.dcm" in files, "the report lists every input"
    assert files[f"{archive}:../evil.dcm"]["status"] != "written"
    assert done.returncode == 1, "a DICOM input was not written"


def test_zip_member_compressed_like_a_zip_bomb_is_skipped_with_the_reason(tmp_path):
    archive = tmp_path / "in.zip"
    with zipfile.ZipFile(archive, "w") as bundle:
        bundle.writestr("good.dcm", make_instance(CT), compress_type=zipfile.ZIP_DEFLATED)
        bundle.writestr("bomb.dcm", bytes(4 << 20), compress_type=zipfile.ZIP_BZIP2)  # 4 MiB to ~50 bytes
    out = tmp_path / "out"

    done = cli(archive, "-o", out)

    bomb = f"{archive}:bomb.dcm: the member is compressed more than 1000:1, like a ZIP bomb"
    assert f"skipped: {bomb}" in done.stderr.splitlines() or f"refused: {bomb}" in done.stderr.splitlines()
    assert tree(out) == expected_outputs(make_instance(CT))


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_zip_of_more_members_than_the_files_a_process_may_open_is_read_whole(tmp_path, jobs):
    # each member is extracted to a file of its own: none may stay open once extracted
    members = {f"m{index:03d}.dcm": make_instance(CT, sop_uid=uid(f"zip-many-{index}")) for index in range(80)}
    archive = make_zip(tmp_path / "in.zip", members)
    out = tmp_path / "out"
    limit = "import resource; resource.setrlimit(resource.RLIMIT_NOFILE, (48, 48)); "

    done = subprocess.run([sys.executable, "-c", limit + "from anonymizer.cli import main; raise SystemExit(main())",
                           str(archive), "-o", str(out), "--jobs", jobs], capture_output=True, text=True)

    assert done.stderr.splitlines() == [summary(out, written=80)]
    assert len(tree(out)) == 80


# ------------------------------------------------------------------ --report


def test_report_json(tmp_path):
    (tmp_path / "in").mkdir()
    good = make_instance(US, extra={"BurnedInAnnotation": None})
    (tmp_path / "in" / "a.dcm").write_bytes(good)
    (tmp_path / "in" / "b.dcm").write_bytes(make_instance(MR, extra={"RecognizableVisualFeatures": "YES"}))
    report = tmp_path / "report.json"

    cli(tmp_path / "in", "-o", tmp_path / "out", "--report", report)

    data = json.loads(report.read_text(encoding="utf-8"))
    assert (data["anonymizer"], data["profile"]) == (__version__, "radiopaedia")
    first, second = data["files"]
    expected = anonymize(good)
    assert (first["input"], first["status"], first["output"]) == (
        str(tmp_path / "in" / "a.dcm"), "written", expected.relative_path)
    assert first["report"] == json.loads(json.dumps(expected.report()))
    assert first["report"]["summary"]["level2"] == 1
    assert second == {"input": str(tmp_path / "in" / "b.dcm"), "status": "refused",
                      "reason": "(0028,0302): the image has recognizable visual features (a face, for example)"}


# ------------------------------------------------------------------ UID secret


def test_uid_secret_flag_and_environment_variable(study, tmp_path):
    cli(study, "-o", tmp_path / "plain")
    cli(study, "-o", tmp_path / "flag", "--uid-secret", "FAKE-SECRET")
    cli(study, "-o", tmp_path / "env", secret="FAKE-SECRET")
    cli(study, "-o", tmp_path / "both", "--uid-secret", "FAKE-SECRET", secret="FAKE-OTHER-SECRET")

    flag = tree(tmp_path / "flag")
    assert flag == tree(tmp_path / "env") == tree(tmp_path / "both")
    assert flag == expected_outputs(*(p.read_bytes() for p in sorted(study.rglob("*.dcm"))), uid_secret="FAKE-SECRET")
    assert set(flag).isdisjoint(tree(tmp_path / "plain"))


# ------------------------------------------------------------------ --jobs


def mixed_batch(folder: Path) -> Path:
    """Good files, twins (same SOP Instance UID), a refused, a truncated and a non-DICOM file,
    and a ZIP archive with a good member and one that points outside it."""
    folder.mkdir()
    for index in range(7):
        (folder / f"a{index}.dcm").write_bytes(make_instance(CT, sop_uid=uid(f"jobs-{index}")))
    (folder / "b twin 1.dcm").write_bytes(make_instance(CT, sop_uid=uid("jobs-twin")))
    (folder / "b twin 2.dcm").write_bytes(make_instance(CT, sop_uid=uid("jobs-twin"), extra={"KVP": "140"}))
    (folder / "c face.dcm").write_bytes(make_instance(MR, extra={"RecognizableVisualFeatures": "YES"}))
    (folder / "d truncated.dcm").write_bytes(make_instance(CT, sop_uid=uid("jobs-cut"))[:-10])
    (folder / "e notes.txt").write_text("FAKE NOTES\n")
    make_zip(folder / "f archive.zip", {"good.dcm": make_instance(US), "../evil.dcm": make_instance(CT)})
    (folder / "g last.dcm").write_bytes(make_instance(MR, sop_uid=uid("jobs-last")))
    return folder


@pytest.mark.parametrize("jobs", ["2", "3", "8"])
def test_jobs_give_the_bytes_names_messages_and_report_of_one_job(tmp_path, jobs):
    folder = mixed_batch(tmp_path / "in")

    one = cli(folder, "-o", tmp_path / "one", "--jobs", "1", "-v", "--report", tmp_path / "one.json")
    many = cli(folder, "-o", tmp_path / "many", "--jobs", jobs, "-v", "--report", tmp_path / "many.json")

    assert one.returncode == many.returncode == 1
    assert many.stderr.replace(str(tmp_path / "many"), "OUT") == one.stderr.replace(str(tmp_path / "one"), "OUT")
    assert len(one.stderr.splitlines()) == 16  # 13 inputs (2 ZIP members) + 1 summary line
    assert tree(tmp_path / "many") == tree(tmp_path / "one")
    assert len(tree(tmp_path / "one")) == 11
    assert (tmp_path / "many.json").read_text() == (tmp_path / "one.json").read_text()


def test_jobs_exit_0_when_every_file_is_written_and_leave_no_temporary_files(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for index in range(5):
        (folder / f"{index}.dcm").write_bytes(make_instance(CT, sop_uid=uid(f"jobs-ok-{index}")))
    make_zip(folder / "z.zip", {"m.dcm": make_instance(MR)})

    done = cli(folder, "-o", tmp_path / "out", "--jobs", "2", "-q")

    assert done.returncode == 0
    assert done.stderr.splitlines() == [summary(tmp_path / "out", written=6)]
    assert all(not name.rpartition("/")[2].startswith(".") for name in tree(tmp_path / "out"))


@pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="the workers must inherit the patch")
def test_a_worker_that_dies_costs_only_its_file(tmp_path, monkeypatch, capsys):
    # files are sent to the workers several at a time; the one that kills its worker is named,
    # every other file is written, and no temporary file is left
    from anonymizer import cli as command

    folder = tmp_path / "in"
    folder.mkdir()
    for index in range(40):
        name = f"{index:02d}{' killer' if index in (13, 30) else ''}.dcm"
        (folder / name).write_bytes(make_instance(CT, sop_uid=uid(f"jobs-die-{index}")))
    anonymise = command._Work.__call__
    parent = os.getpid()

    def dying(work, path, number):
        if "killer" in os.path.basename(path) and os.getpid() != parent:
            os._exit(9)  # as the kernel's out-of-memory killer would
        return anonymise(work, path, number)

    monkeypatch.setattr(command._Work, "__call__", dying)
    status = command.main([str(folder), "-o", str(tmp_path / "out"), "--jobs", "2"])

    died = "the worker process anonymising it died (out of memory?)"
    assert status == 1
    assert capsys.readouterr().err.splitlines() == [
        f"unreadable: {folder / '13 killer.dcm'}: {died}",
        f"unreadable: {folder / '30 killer.dcm'}: {died}",
        summary(tmp_path / "out", written=38, unreadable=2),
    ]
    assert len(tree(tmp_path / "out")) == 38
    assert all(not name.rpartition("/")[2].startswith(".") for name in tree(tmp_path / "out"))


@pytest.mark.parametrize("value", ["0", "-1", "two"])
def test_jobs_must_be_a_positive_number(tmp_path, value):
    done = cli(tmp_path, "-o", tmp_path / "out", "--jobs", value)
    assert done.returncode == 2 and "--jobs" in done.stderr
