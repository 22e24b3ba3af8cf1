"""The page under stress (issue #6): a worker that hangs or dies takes only its own file down,
and hostile inputs end in a clear per-file status within seconds, the page alive throughout."""

from __future__ import annotations

import re
import time
import zipfile

from browserlib import PageDriver, run_cli, tree, zip_members
from dicomfactory import series
import hostile

GOOD = ("anonymised", "warnings")


def test_hang_and_trap_fail_their_file_and_the_batch_goes_on(context, server, tmp_path, results_dir):
    """?test-faults=1 lets the test name files whose worker gets a fault (the page never does
    this by itself, and nothing in a file can): one hangs (cut by the per-file timeout, 3 s
    here), one hits a real WebAssembly trap (a memory access out of bounds)."""
    page = PageDriver(context, server, "?test-faults=1&timeout=3&workers=2")
    page.wait_ready()
    files = series(tmp_path / "in", 6)
    hang, trap = files[1], files[3]
    page.page.evaluate(f"window.__testFaults = {{'{hang.name}': 'hang', '{trap.name}': 'trap'}}")
    started = time.monotonic()
    page.select(files)
    rows = page.wait_batch(len(files), timeout=120)
    seconds = time.monotonic() - started
    by_name = {r["name"]: r for r in rows}
    assert by_name[hang.name]["status"] == "error"
    assert f"took longer than 3.0 s on {hang.name}" in by_name[hang.name]["text"]
    assert by_name[trap.name]["status"] == "error"
    assert f"stopped while processing {trap.name}" in by_name[trap.name]["text"]
    assert "memory access out of bounds" in by_name[trap.name]["text"]
    for row in rows:
        if row["name"] not in (hang.name, trap.name):
            assert row["status"] in GOOD, row
    assert page.page.get_attribute("#engine-status", "data-state") in ("ready", "loading")
    assert "2 failed (error)" in page.page.inner_text("#batch-counts")
    page.page.screenshot(path=str(results_dir / "page-worker-failure.png"))
    # The others are exactly what the command line writes for them.
    zip_path = page.download_zip(tmp_path / "page.zip")
    others = [f for f in files if f not in (hang, trap)]
    cli = run_cli(others, tmp_path / "cli")
    assert cli.returncode == 0, cli.stderr
    assert zip_members(zip_path) == tree(tmp_path / "cli")
    # And the page keeps working once the workers are back.
    page.wait_ready()
    page.page.evaluate("window.__testFaults = {}")
    page.select(series(tmp_path / "after", 1, prefix="after"))
    rows = page.wait_batch(len(files) + 1)
    assert rows[-1]["status"] in GOOD
    print(f"batch with a hang and a trap: {seconds:.1f} s")
    assert page.errors == []


def test_hostile_inputs_clear_status_within_seconds(shared_page, tmp_path, results_dir):
    page = shared_page
    page.clear()
    good = series(tmp_path / "good", 2)
    member = good[0].read_bytes()
    files = {
        "truncated.dcm": hostile.truncated(member),
        "huge-length.dcm": hostile.huge_length(),
        "nested-1000.dcm": hostile.nested_sequences(1000),
        "nested-65.dcm": hostile.nested_sequences(65),
        "nested-100000.dcm": hostile.nested_sequences(100_000),
        "empty.dcm": b"",
        "dotdot.zip": hostile.zip_with_dotdot(member),
        "bomb.zip": hostile.zip_bomb(1 << 30),
    }
    paths = hostile.write_all(tmp_path / "hostile", files) + [good[1]]
    started = time.monotonic()
    page.select(paths)
    # dotdot.zip holds 3 members, bomb.zip 1.
    count = len(paths) - 2 + 3 + 1
    rows = page.wait_batch(count, timeout=60)
    seconds = time.monotonic() - started
    by_name = {r["name"]: r for r in rows}
    text = {name: row["text"] for name, row in by_name.items()}
    assert by_name["truncated.dcm"]["status"] == "error"
    assert "truncated" in text["truncated.dcm"].lower() or "declares" in text["truncated.dcm"]
    # Natively: "element (0040,A160) declares 4294967280 bytes but the file ends after 5". Under
    # Pyodide (wasm32, a 32-bit Py_ssize_t) pydicom's read of 0xFFFFFFF0 bytes overflows first:
    # "the file cannot be read: cannot fit 'int' into an index-sized integer". Either is an error.
    assert by_name["huge-length.dcm"]["status"] == "error"
    assert "4294967280" in text["huge-length.dcm"] or "cannot be read" in text["huge-length.dcm"]
    for name in ("nested-1000.dcm", "nested-65.dcm", "nested-100000.dcm"):
        assert by_name[name]["status"] == "error" and "nested" in text[name], text[name]
    assert by_name["empty.dcm"]["status"] == "not-dicom" and "empty" in text["empty.dcm"]
    for name in ("dotdot.zip:../../escape.dcm", "dotdot.zip:/etc/absolute.dcm"):
        assert by_name[name]["status"] == "not-dicom" and "outside the archive" in text[name]
    assert by_name["dotdot.zip:ok/inside.dcm"]["status"] in GOOD
    assert by_name["bomb.zip:bomb.dcm"]["status"] == "not-dicom" and "ZIP bomb" in text["bomb.zip:bomb.dcm"]
    assert by_name[good[1].name]["status"] in GOOD
    assert seconds < 20, f"the hostile batch took {seconds:.1f} s"
    assert page.page.get_attribute("#engine-status", "data-state") == "ready"
    assert page.errors == []
    restarts = page.page.evaluate("document.getElementById('versions').textContent")
    lines = [f"hostile batch of {count} inputs: {seconds:.1f} s in the page (Pyodide in Chromium)"]
    lines += [f"  {r['name']}: {re.sub(r'^.*? [0-9.]+ [kMG]?B ', '', ' '.join(r['text'].split())).removesuffix(' Download')}"
              for r in rows]
    (results_dir / "hostile-inputs.txt").write_text("\n".join(lines) + "\n")
    print("\n".join(lines), restarts)
