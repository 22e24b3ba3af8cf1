"""The worker pool (issue #7): outputs, names and the ZIP do not depend on which worker did
what; time to ready and throughput with 1 and 2 workers are measured."""

from __future__ import annotations

import time
import zipfile

from pydicom.uid import generate_uid

from browserlib import PageDriver, zip_members
from dicomfactory import phi_dataset, series, write


def test_two_workers_same_zip_as_one(shared_page, tmp_path):
    """Same inputs through a 1-worker and a 2-worker pool: the same statuses, names (with the
    `_2` of repeated SOP Instance UIDs) and ZIP bytes."""
    files = series(tmp_path / "s", 8)
    duplicate = tmp_path / "dup" / files[2].name
    duplicate.parent.mkdir()
    duplicate.write_bytes(files[2].read_bytes())  # the same SOP Instance UID twice: _2
    notes = tmp_path / "notes.txt"
    notes.write_text("not DICOM")
    archive = tmp_path / "bundle.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.write(files[0], "again/first.dcm", compress_type=zipfile.ZIP_DEFLATED)  # _2 again
        z.write(files[5], "stored.dcm")
    inputs = [*files[:4], duplicate, notes, *files[4:], archive]
    result = shared_page.page.evaluate(
        """async (inputs) => {
        const { createAnonymizer } = await import("./anonymizer.js");
        const files = inputs.map(([name, bytes]) => new File([new Uint8Array(bytes)], name));
        const hex = async (blob) => [...new Uint8Array(await crypto.subtle.digest("SHA-256", await blob.arrayBuffer()))]
          .map((b) => b.toString(16).padStart(2, "0")).join("");
        const out = {};
        for (const workers of [1, 2]) {
          const a = await createAnonymizer({ baseUrl: "./", workers });
          await a.anonymize(files[0]).catch(() => {});  // every worker started: wait for the second
          for (let i = 0; i < 200 && a.workers.ready < workers; i++) await new Promise((r) => setTimeout(r, 100));
          const results = await a.anonymizeAll(files, { uidSecret: "pool" });
          const zip = await a.zip(results);
          out[workers] = { statuses: results.map((r) => r.status), names: results.map((r) => r.name || null),
                           zip: await hex(zip), size: zip.size, by: [...new Set(results.map((r) => r.worker).filter((w) => w !== undefined))].sort(), ready: a.workers.ready };
          a.terminate();
        }
        return out;
      }""",
        [[p.name, list(p.read_bytes())] for p in inputs],
    )
    one, two = result["1"], result["2"]
    assert two["ready"] == 2 and two["by"] == [0, 1], two  # both workers had files
    assert one["by"] == [0]
    assert one["statuses"] == two["statuses"] and one["names"] == two["names"]
    assert one["zip"] == two["zip"] and one["size"] == two["size"]
    assert one["statuses"].count("not-dicom") == 1


def test_pool_start_up_and_throughput(context, server, tmp_path, results_dir):
    """Time to ready and files per second on a 200-file CT batch, with 1 and 2 workers."""
    study, series_uid = generate_uid(), generate_uid()
    template = phi_dataset(study_uid=study, series_uid=series_uid, rows=64, columns=64)
    paths = []
    for i in range(200):
        template.SOPInstanceUID = template.file_meta.MediaStorageSOPInstanceUID = generate_uid()
        template.InstanceNumber = i + 1
        paths.append(write(template, tmp_path / "ct" / f"{i:03d}.dcm", seed=i))
    figures = {}
    zips = {}
    for workers in (1, 2):
        page = PageDriver(context, server, f"?workers={workers}")
        ready = page.wait_ready()
        # The others start once the first is ready: wait for all before measuring throughput.
        page.poll(f"document.getElementById('engine-status').dataset.workersAlive === '{workers}'", timeout=120)
        all_ready = time.monotonic() - page.started
        started = time.monotonic()
        page.select(paths)
        rows = page.wait_batch(len(paths), timeout=600)
        seconds = time.monotonic() - started
        assert all(r["status"] in ("anonymised", "warnings") for r in rows)
        zips[workers] = zip_members(page.download_zip(tmp_path / f"pool-{workers}.zip"))
        figures[workers] = (ready, all_ready, seconds)
        page.page.close()
    assert zips[1] == zips[2]
    lines = [
        f"{w} worker{'s' if w > 1 else ''}: page ready after {ready:.1f} s, every worker after {all_ready:.1f} s; "
        f"200 CT files (64x64, 8 kB each) in {seconds:.1f} s, {200 / seconds:.1f} files/s"
        for w, (ready, all_ready, seconds) in figures.items()
    ]
    (results_dir / "pool.txt").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


def test_each_file_head_is_read_once(shared_page, tmp_path):
    """The ZIP test's read of a file's first bytes is the one its worker gets: one Blob read per
    file on the page's side, whether the files are listed by collectInputs() (as the page does)
    or given to anonymizeAll() directly; a ZIP archive among them is still opened."""
    files = series(tmp_path / "s", 6)
    notes = tmp_path / "notes.txt"
    notes.write_text("not DICOM")
    archive = tmp_path / "bundle.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.write(files[0], "member.dcm")
    result = shared_page.page.evaluate(
        """async (inputs) => {
        const { createAnonymizer, collectInputs } = await import("./anonymizer.js");
        const files = inputs.map(([name, bytes]) => new File([new Uint8Array(bytes)], name));
        const plain = files.slice(0, -1);
        const a = await createAnonymizer({ baseUrl: "./", workers: 1 });
        const slice = Blob.prototype.slice;
        let reads = 0;
        Blob.prototype.slice = function (...args) { reads++; return slice.apply(this, args); };
        const out = {};
        try {
          const listed = await collectInputs(plain);
          const listedReads = reads;
          const viaList = await a.anonymizeAll(listed);
          out.collect = { listing: listedReads, total: reads, statuses: viaList.map((r) => r.status) };
          reads = 0;
          const direct = await a.anonymizeAll(plain);
          out.direct = { total: reads, statuses: direct.map((r) => r.status) };
          const withZip = await a.anonymizeAll(files);
          out.zip = withZip.map((r) => [r.path, r.status]);
        } finally {
          Blob.prototype.slice = slice;
          a.terminate();
        }
        return out;
      }""",
        [[p.name, list(p.read_bytes())] for p in [*files, notes, archive]],
    )
    statuses = ["warnings"] * 6 + ["not-dicom"]
    assert result["collect"] == {"listing": 7, "total": 7, "statuses": statuses}
    assert result["direct"] == {"total": 7, "statuses": statuses}
    assert result["zip"][-2:] == [["notes.txt", "not-dicom"], ["bundle.zip:member.dcm", "warnings"]]


def test_a_file_unreadable_when_listed_fails_alone_and_a_head_serves_only_its_file(shared_page, tmp_path):
    """A file whose first bytes cannot be read when it is listed ends as an error naming why,
    and the files around it are anonymised. A head read at listing serves only the Blob it was
    read from: a record whose getBlob() now gives another file is anonymised from that file."""
    first, second, third = series(tmp_path / "s", 3)
    result = shared_page.page.evaluate(
        """async (inputs) => {
        const { createAnonymizer, collectInputs } = await import("./anonymizer.js");
        const [a, b, c] = inputs.map(([name, bytes]) => new File([new Uint8Array(bytes)], name));
        const gone = new File([await b.arrayBuffer()], "gone.dcm");
        gone.slice = () => ({ arrayBuffer: () => Promise.reject(new DOMException("The file could not be read.", "NotReadableError")) });
        const anonymizer = await createAnonymizer({ baseUrl: "./", workers: 1 });
        try {
          const batch = await anonymizer.anonymizeAll([a, gone, c]);
          const alone = await anonymizer.anonymize(c);
          const listed = await collectInputs([a]);
          listed[0].getBlob = async () => c;  // listed with a's head, sent with c
          const [swapped] = await anonymizer.anonymizeAll(listed);
          return { batch: batch.map((r) => [r.path, r.status, r.reason || null]), swapped: swapped.name, c: alone.name };
        } finally {
          anonymizer.terminate();
        }
      }""",
        [[p.name, list(p.read_bytes())] for p in (first, second, third)],
    )
    assert result["batch"] == [
        ["img001.dcm", "warnings", None],
        ["gone.dcm", "error", "the file cannot be read: The file could not be read."],
        ["img003.dcm", "warnings", None],
    ]
    assert result["swapped"] == result["c"]
