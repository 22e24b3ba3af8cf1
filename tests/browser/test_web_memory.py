"""No memory growth per file (issue #6, item 5): 1,000 small files through the JS API, two
workers; each worker's WebAssembly memory and Python's live objects after 100 files and after
1,000 are within a bound that does not grow with the number of files.

Python's objects are counted after the engine's bounded caches are emptied (they hold up to
a fixed number of distinct values, by design; their sizes are printed): what is left must
not grow. Every file is of another patient and study, so a cache keyed by values that is not
bounded shows up here."""

from __future__ import annotations

import io
import os

from pydicom.uid import generate_uid

from dicomfactory import phi_dataset

COUNT = int(os.environ.get("MEMORY_FILES", "1000"))
FIRST = 100
# A leak of one object per file would be about 450 objects per worker between the samples.
# (WebAssembly memory grows in 64 KiB pages and never shrinks: its bound allows a few MB of
# heap settling, far below 1 kB per file.)
MAX_OBJECT_GROWTH = 100
MAX_WASM_GROWTH = 4 << 20


def small_files(count: int) -> list[list]:
    """[name, bytes] of `count` CT files, 16x16, each of another patient and study."""
    files = []
    for i in range(count):
        ds = phi_dataset(study_uid=generate_uid(), series_uid=generate_uid(), rows=16, columns=16)
        ds.PatientID = f"PID-{i:05d}"
        ds.PatientName = f"PLANTED^PATIENT^{i}"
        ds.AccessionNumber = f"ACC{i:07d}"
        ds.InstanceNumber = i + 1
        buffer = io.BytesIO()
        ds.save_as(buffer, enforce_file_format=True)
        files.append([f"{i:04d}.dcm", buffer.getvalue().hex()])
    return files


def test_no_memory_growth_per_file(shared_page, results_dir):
    files = small_files(COUNT)
    figures = shared_page.page.evaluate(
        """async ([files, first]) => {
        const { createAnonymizer } = await import("./anonymizer.js");
        const bytes = (hex) => Uint8Array.from(hex.match(/../g), (h) => parseInt(h, 16));
        const inputs = files.map(([name, hex]) => new File([bytes(hex)], name));
        const a = await createAnonymizer({ baseUrl: "./", workers: 2, testFaults: true });
        for (let i = 0; i < 300 && a.workers.ready < 2; i++) await new Promise((r) => setTimeout(r, 100));
        const statuses = {};
        const run = async (part) => {
          for (const r of await a.anonymizeAll(part, { uidSecret: "memory" })) statuses[r.status] = (statuses[r.status] || 0) + 1;
        };
        await run(inputs.slice(0, first));
        const after100 = await a.memoryFigures();
        await run(inputs.slice(first));
        const afterAll = await a.memoryFigures();
        a.terminate();
        return { statuses, after100, afterAll };
      }""",
        [files, FIRST],
    )
    assert sum(figures["statuses"].get(s, 0) for s in ("anonymised", "warnings")) == COUNT, figures["statuses"]
    lines = []
    before = {f["worker"]: f for f in figures["after100"]}
    after = {f["worker"]: f for f in figures["afterAll"]}
    assert sorted(before) == sorted(after) == [0, 1]
    for worker in sorted(before):
        b, a = before[worker], after[worker]
        growth = {
            "wasm": a["wasmBytes"] - b["wasmBytes"],
            "objects": a["python"]["objects"] - b["python"]["objects"],
        }
        cached = sum(a["python"]["bounded_caches"].values())
        lines.append(
            f"worker {worker}: after {FIRST} files: WebAssembly memory {b['wasmBytes'] / 2**20:.1f} MiB, "
            f"{b['python']['objects']} Python objects; after {COUNT}: "
            f"{a['wasmBytes'] / 2**20:.1f} MiB, {a['python']['objects']} objects "
            f"(growth {growth['wasm'] / 2**20:+.1f} MiB, {growth['objects']:+d} objects; the bounded caches held "
            f"{cached} entries)"
        )
        kinds = a["python"]["types"]
        grown = sorted(((n - b["python"]["types"].get(k, 0), k) for k, n in kinds.items()), reverse=True)[:5]
        lines.append(f"  most grown: {', '.join(f'{k} {n:+d}' for n, k in grown)}")
        assert growth["objects"] <= MAX_OBJECT_GROWTH, "\n".join(lines[-2:])
        assert growth["wasm"] <= MAX_WASM_GROWTH, lines[-1]
    (results_dir / "memory-1000.txt").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))
