"""The page under stress (issue #6): a worker that hangs or dies takes only its own file down,
and hostile inputs end in a clear per-file status within seconds, the page alive throughout."""

from __future__ import annotations

import re
import time

from pydicom.uid import DeflatedExplicitVRLittleEndian, ExplicitVRBigEndian

from anonymizer import MalformedDicomError, NotDicomError, RefusedError, anonymize
from browserlib import PageDriver, run_cli, tree, zip_members
from dicomfactory import series
import hostile
import hostile_files as h  # tests/hostile_files.py: the engine's hostile inputs

GOOD = ("anonymised", "warnings")
PER_FILE_LIMIT = 2.0
"""Seconds one hostile input may take in the page (issue #6)."""
HUNDRED_THOUSAND_LIMIT = 2.5
"""A header of 100,000 elements takes 1.3 to 1.9 s through the page on 2 slow, noisy cores
(2026-12-03): the issue's 2 s, with room for a busy machine; the others take about 0.01 s."""


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


def _engine_outcome(data: bytes) -> tuple[str, str]:
    """(status, reason) as the page reports a file, from the Python engine itself."""
    try:
        result = anonymize(data)
        result.to_bytes()
        # the page's "warnings": a finding a person should look at (level 1 or 2)
        return "warnings" if any(f.level <= 2 for f in result.warnings) else "anonymised", ""
    except NotDicomError as error:
        return "not-dicom", str(error)
    except MalformedDicomError as error:
        return "error", str(error)
    except RefusedError as error:
        return "refused", str(error)


def test_each_hostile_input_alone_ends_as_in_the_engine_within_seconds(shared_page, results_dir):
    """The inputs of tests/test_hostile_inputs.py that the batch test above does not send, one at
    a time through the page's path (anonymizeAll, no report rows) on one worker: each ends as
    the engine ends it natively (written, or refused with the same status and reason), and in
    how long is printed and bounded."""
    wrong_vr = h.header().replace(b"PN\x14\x00FAKEHOSTILE^PATIENT ", b"US\x14\x00FAKEHOSTILE^PATIENT ")
    not_a_vr = h.header().replace(b"PN\x14\x00FAKEHOSTILE", b"\x01\x02\x14\x00FAKEHOSTILE")
    inputs = {
        "wrong-explicit-vr": h.file_meta() + wrong_vr,
        "not-a-vr": h.file_meta() + not_a_vr,
        "meta-longer-than-it-says": h.file_meta(group_length_lie=100) + h.header(),
        "meta-naming-big-endian": h.file_meta(ExplicitVRBigEndian) + h.header(),
        "little-endian-meta-over-big-endian-data": h.file_meta() + h.header(little=False),
        "raw-data-set": h.header(),
        "no-preamble": b"DICM" + h.file_meta()[132:] + h.header(),
        "big-endian": h.small_file(ExplicitVRBigEndian),
        "deflated": h.small_file(DeflatedExplicitVRLittleEndian),
        "undelimited-sequence": h.BASE + h.SEQUENCE + h.ITEM,
        "nested-1000-defined-lengths": h.nested(1000, undefined=False),
        "dicomdir": h.dicomdir(),
        "100000-elements": h.hundred_thousand_elements(),
    }
    expected = {name: _engine_outcome(data) for name, data in inputs.items()}
    results = shared_page.page.evaluate(
        """async (inputs) => {
        const { createAnonymizer } = await import("./anonymizer.js");
        const bytes = (hex) => Uint8Array.from(hex.match(/../g), (h) => parseInt(h, 16));
        const a = await createAnonymizer({ baseUrl: "./", workers: 1 });
        await a.anonymizeAll([new File([bytes(inputs[0][1])], "warm-up.dcm")]);
        const results = [];
        for (const [name, hex] of inputs) {
          const file = new File([bytes(hex)], name + ".dcm");
          const started = performance.now();
          const [result] = await a.anonymizeAll([file]);
          results.push({ name, status: result.status, reason: result.reason || "",
                         seconds: (performance.now() - started) / 1000 });
        }
        a.terminate();
        return results;
      }""",
        [[name, data.hex()] for name, data in inputs.items()],
    )
    lines = []
    for result in results:
        status, reason = expected[result["name"]]
        lines.append(f"{result['name']}: {result['status']} in {result['seconds']:.2f} s {result['reason'][:100]}")
        if status == "refused":
            assert result["status"] == "refused" and "this is a DICOMDIR" in result["reason"], result
        else:
            assert (result["status"], result["reason"]) == (status, reason), result
    (results_dir / "hostile-inputs-one-by-one.txt").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))
    limits = {"100000-elements": HUNDRED_THOUSAND_LIMIT}
    slow = {r["name"]: round(r["seconds"], 2) for r in results if r["seconds"] > limits.get(r["name"], PER_FILE_LIMIT)}
    assert not slow, f"too slow in the page: {slow}"


def test_a_header_longer_than_the_pages_read_ahead_gives_the_engines_output(shared_page):
    """anonymizer.js reads each file's first 64 KiB ahead for its worker; the rest of a longer
    header is read by the worker itself, and the output is the engine's, byte for byte."""
    data = h.hundred_thousand_elements()
    expected = anonymize(data, uid_secret="read ahead").to_bytes()
    got = shared_page.page.evaluate(
        """async (hex) => {
        const { createAnonymizer } = await import("./anonymizer.js");
        const bytes = Uint8Array.from(hex.match(/../g), (h) => parseInt(h, 16));
        const a = await createAnonymizer({ baseUrl: "./", workers: 1 });
        const [r] = await a.anonymizeAll([new File([bytes], "long-header.dcm")], { uidSecret: "read ahead" });
        const out = new Uint8Array(await r.blob.arrayBuffer());
        a.terminate();
        return { status: r.status, read: r.headerBytesRead,
                 hex: Array.from(out, (b) => b.toString(16).padStart(2, "0")).join("") };
      }""",
        data.hex(),
    )
    assert got["status"] in GOOD
    assert got["read"] > 64 * 1024
    assert bytes.fromhex(got["hex"]) == expected
