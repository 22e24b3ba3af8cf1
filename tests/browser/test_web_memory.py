"""No memory growth per file (issue #6, item 5): 1,000 small files through the JS API, two
workers, in three batches (100 to warm up, then two of 450); each worker's WebAssembly memory
and Python's live objects, by number and by size, are the same after the third batch as after
the second.

At each sample the engine's bounded caches are emptied (they hold up to a fixed number of
distinct values, by design; their sizes are printed), then Python's objects are counted: what
is left must not grow. The last two batches hold as many files, so the caches fill again to
the same level: WebAssembly memory, which never shrinks, grows past its high-water mark only
if something is kept per file. Every file is of another patient and study, so a cache keyed
by values that is not bounded shows up here: as objects, or as the size of the dict that
holds them."""

from __future__ import annotations

import io
import os

from pydicom.uid import generate_uid

from dicomfactory import phi_dataset

COUNT = int(os.environ.get("MEMORY_FILES", "1000"))
WARM = 100
# After WARM files, two halves of 450; each worker does about 225 files per half: a leak of one
# object per file would be 225 objects, of 5 kB per file 1 MiB. (WebAssembly memory grows in
# 64 KiB pages.)
MAX_OBJECT_GROWTH = 20
MAX_BYTES_GROWTH = 1000  # the objects' own sizes: a list keeping one value per file grows 1,800 bytes
MAX_WASM_GROWTH = 1 << 20


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
        """async ([files, warm, half]) => {
        const { createAnonymizer } = await import("./anonymizer.js");
        const bytes = (hex) => Uint8Array.from(hex.match(/../g), (h) => parseInt(h, 16));
        const inputs = files.map(([name, hex]) => new File([bytes(hex)], name));
        const a = await createAnonymizer({ baseUrl: "./", workers: 2, testFaults: true });
        for (let i = 0; i < 300 && a.workers.ready < 2; i++) await new Promise((r) => setTimeout(r, 100));
        const statuses = {};
        const run = async (part) => {
          for (const r of await a.anonymizeAll(part, { uidSecret: "memory" })) statuses[r.status] = (statuses[r.status] || 0) + 1;
        };
        await run(inputs.slice(0, warm));
        await a.memoryFigures();  // the caches emptied as at each sample: both halves start alike
        await run(inputs.slice(warm, warm + half));
        const middle = await a.memoryFigures();
        await run(inputs.slice(warm + half));
        const end = await a.memoryFigures();
        a.terminate();
        return { statuses, middle, end };
      }""",
        [files, WARM, (COUNT - WARM) // 2],
    )
    assert sum(figures["statuses"].get(s, 0) for s in ("anonymised", "warnings")) == COUNT, figures["statuses"]
    lines = []
    before = {f["worker"]: f for f in figures["middle"]}
    after = {f["worker"]: f for f in figures["end"]}
    assert sorted(before) == sorted(after) == [0, 1]
    for worker in sorted(before):
        b, a = before[worker], after[worker]
        growth = {
            "wasm": a["wasmBytes"] - b["wasmBytes"],
            "objects": a["python"]["objects"] - b["python"]["objects"],
            "bytes": a["python"]["bytes"] - b["python"]["bytes"],
        }
        cached = sum(a["python"]["bounded_caches"].values())
        lines.append(
            f"worker {worker}: after {WARM + (COUNT - WARM) // 2} files: WebAssembly memory {b['wasmBytes'] / 2**20:.1f} MiB, "
            f"{b['python']['objects']} Python objects, {b['python']['bytes']} bytes; after {COUNT}: "
            f"{a['wasmBytes'] / 2**20:.1f} MiB, {a['python']['objects']} objects, {a['python']['bytes']} bytes "
            f"(growth {growth['wasm'] / 2**20:+.1f} MiB, {growth['objects']:+d} objects, {growth['bytes']:+d} bytes; "
            "the bounded caches held "
            f"{cached} entries)"
        )
        for figure in ("types", "sizes"):
            kinds = a["python"][figure]
            grown = sorted(((n - b["python"][figure].get(k, 0), k) for k, n in kinds.items()), reverse=True)[:5]
            lines.append(f"  most grown ({'objects' if figure == 'types' else 'bytes'}): "
                         f"{', '.join(f'{k} {n:+d}' for n, k in grown)}")
        assert growth["objects"] <= MAX_OBJECT_GROWTH, "\n".join(lines[-3:])
        assert growth["bytes"] <= MAX_BYTES_GROWTH, "\n".join(lines[-3:])
        assert growth["wasm"] <= MAX_WASM_GROWTH, "\n".join(lines[-3:])
    (results_dir / "memory-1000.txt").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))
