"""Benchmarks: this project's CLI and page against the peers, on data made here.

    .venv/bin/python benchmarks/run.py                  # the full run (about 20 minutes on 2 cores)
    .venv/bin/python benchmarks/run.py --quick          # 100 slices, a 200 MB file: for iteration
    .venv/bin/python benchmarks/run.py --radiopaedia-lib /path/to/dicom-anonymiser/lib/index.js

Data (made once, under benchmarks/data/, which git ignores; nothing from a real person):

* ``series``: a CT series of 1,000 slices (``--quick``: 100), 512x512 16-bit, full of planted
  fake PHI (names, IDs, dates, addresses, a request sequence, a private block).
* ``large``: one multi-frame X-ray angiography file of about 1 GB (``--quick``: 200 MB).
* ``samples``: every DICOM file bundled in the installed pydicom wheel.
* ``header``: one header with 1 MB and with 100 MB of pixel data, for the per-file cost.

Each data set goes through this project's CLI (``--jobs`` every core, and ``--jobs 1``),
``gdcmanon`` (Debian libgdcm-tools, PS3.15 Basic Profile with a self-signed certificate made
here by openssl), and the pure-Python peers ``dicom-anonymizer``, ``dicognito`` and ``deid``
(PyPI, installed by this script into benchmarks/.venv-peers); the large file also through
``cp``, the time of copying it. The tools take turns, round after round (``--runs`` rounds,
default 3), so that a slow minute of this shared machine slows them alike; every figure is the
median: wall time, files/s, MB/s, peak RSS of the process tree, and the time as a ratio to this
project's CLI. This package's bytecode is written first, as ``pip install`` writes it. The
series and the large file also go through the page's JavaScript API in headless Chromium,
taking turns with Radiopaedia's own JavaScript library when ``--radiopaedia-lib`` gives a
local copy of its ``lib/index.js`` (AGPL: it is loaded from where it is, never copied into this
repository). The last lines say which targets of issue #7 hold in this run.

Results are printed and written to benchmarks/data/results.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import statistics
import struct
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DATA = HERE / "data"
PEERS_VENV = HERE / ".venv-peers"
PEERS = ("dicom-anonymizer", "dicognito", "deid")
PEER_PINS = ("dicom-anonymizer==2.1.0", "dicognito==0.19.0", "deid==0.4.13")
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
MB = 1e6


# --------------------------------------------------------------------------- measuring


class TreeMemory:
    """Peak resident memory of a process and all its descendants, sampled every 20 ms."""

    def __init__(self, root: int):
        self.root = root
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()

    def _run(self):
        while not self._stop.is_set():
            self.peak = max(self.peak, tree_rss(self.root))
            self._stop.wait(0.02)


def tree_rss(root: int) -> int:
    """Resident bytes of ``root`` and its descendants (from /proc)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", "rb") as handle:
                    parent = int(handle.read().rsplit(b")", 1)[1].split()[1])
                children.setdefault(parent, []).append(int(entry))
            except (OSError, IndexError, ValueError):
                continue
    total, todo = 0, [root]
    page = os.sysconf("SC_PAGE_SIZE")
    while todo:
        pid = todo.pop()
        todo.extend(children.get(pid, ()))
        try:
            with open(f"/proc/{pid}/statm") as handle:
                total += int(handle.read().split()[1]) * page
        except (OSError, IndexError):
            pass
    return total


def timed_command(command: list[str], env: dict | None = None) -> tuple[float, int, subprocess.CompletedProcess]:
    """Run ``command``; (wall seconds, peak tree RSS in bytes, completed process)."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True)
    with TreeMemory(process.pid) as memory:
        out, err = process.communicate()
    seconds = time.perf_counter() - start
    return seconds, memory.peak, subprocess.CompletedProcess(command, process.returncode, out, err)


def median(values):
    return statistics.median(values) if values else float("nan")


# --------------------------------------------------------------------------- data


FAKE = {
    "PatientName": "FAKE^BENCHMARK^PATIENT", "PatientID": "FAKE-ID-000001", "PatientBirthDate": "19000101",
    "PatientSex": "O", "PatientAge": "099Y", "PatientAddress": "1 FAKE STREET, FAKETOWN",
    "OtherPatientIDs": "FAKE-OTHER-ID", "PatientTelephoneNumbers": "FAKE-000-0000",
    "InstitutionName": "FAKE GENERAL HOSPITAL", "InstitutionAddress": "2 FAKE ROAD",
    "ReferringPhysicianName": "FAKE^REFERRER", "PerformingPhysicianName": "FAKE^PERFORMER",
    "OperatorsName": "FAKE^OPERATOR", "AccessionNumber": "FAKEACC0001", "StudyID": "FAKESTUDY1",
    "StudyDescription": "FAKE STUDY OF FAKE^BENCHMARK", "SeriesDescription": "FAKE SERIES",
    "StationName": "FAKESTATION", "DeviceSerialNumber": "FAKE-SERIAL", "ImageComments": "FAKE COMMENT ABOUT PATIENT",
    "StudyDate": "20000101", "SeriesDate": "20000101", "AcquisitionDate": "20000101", "ContentDate": "20000101",
    "StudyTime": "101010", "SeriesTime": "101010", "AcquisitionTime": "101010", "ContentTime": "101010",
}
TECHNICAL = {
    "Modality": "CT", "Manufacturer": "FAKE VENDOR", "ManufacturerModelName": "FAKE MODEL",
    "SoftwareVersions": "FAKE 1.0", "ImageType": ["ORIGINAL", "PRIMARY", "AXIAL"], "BodyPartExamined": "CHEST",
    "KVP": "120", "SliceThickness": "1.0", "SpacingBetweenSlices": "1.0", "DataCollectionDiameter": "500",
    "ReconstructionDiameter": "350", "GantryDetectorTilt": "0", "TableHeight": "150", "RotationDirection": "CW",
    "ExposureTime": "500", "XRayTubeCurrent": "200", "Exposure": "100", "FilterType": "BODY",
    "ConvolutionKernel": "STANDARD", "PatientPosition": "HFS", "SeriesNumber": "2", "AcquisitionNumber": "1",
    "ImageOrientationPatient": [1, 0, 0, 0, 1, 0], "FrameOfReferenceUID": None,
    "PositionReferenceIndicator": "", "SamplesPerPixel": 1, "PhotometricInterpretation": "MONOCHROME2",
    "Rows": 512, "Columns": 512, "PixelSpacing": [0.683594, 0.683594], "BitsAllocated": 16, "BitsStored": 12,
    "HighBit": 11, "PixelRepresentation": 0, "WindowCenter": "40", "WindowWidth": "400",
    "RescaleIntercept": "-1024", "RescaleSlope": "1", "RescaleType": "HU", "BurnedInAnnotation": "NO",
}


def _uid(label: str) -> str:
    import hashlib
    return "2.25." + str(int(hashlib.sha256(label.encode()).hexdigest()[:30], 16))


def _ct_header(index: int, study: str):
    from pydicom.dataset import Dataset, FileMetaDataset
    from pydicom.sequence import Sequence
    from pydicom.uid import ExplicitVRLittleEndian

    ds = Dataset()
    ds.SpecificCharacterSet = "ISO_IR 100"
    ds.SOPClassUID = "1.2.840.10008.5.1.4.1.1.2"
    ds.SOPInstanceUID = _uid(f"{study}-instance-{index}")
    ds.StudyInstanceUID = _uid(f"{study}-study")
    ds.SeriesInstanceUID = _uid(f"{study}-series")
    for keyword, value in {**FAKE, **TECHNICAL}.items():
        setattr(ds, keyword, value if value is not None else _uid(f"{study}-frame"))
    ds.InstanceNumber = index + 1
    ds.ImagePositionPatient = [-175.0, -175.0, float(-index)]
    ds.SliceLocation = float(-index)
    request = Dataset()
    request.RequestedProcedureID = "FAKE-RP-1"
    request.ScheduledProcedureStepID = "FAKE-SPS-1"
    request.RequestedProcedureDescription = "FAKE PROCEDURE FOR FAKE^BENCHMARK"
    ds.RequestAttributesSequence = Sequence([request])
    code = Dataset()
    code.CodeValue, code.CodingSchemeDesignator, code.CodeMeaning = "FAKE1", "99FAKE", "FAKE CODE"
    ds.ProcedureCodeSequence = Sequence([code])
    ds.add_new(0x00090010, "LO", "FAKE PRIVATE CREATOR")
    ds.add_new(0x00091001, "LO", "FAKE PRIVATE PHI FAKE^BENCHMARK")
    ds.add_new(0x00091002, "OB", b"FAKE" * 64)
    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = ds.SOPClassUID
    meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
    meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds.file_meta = meta
    return ds


def _write_with_pixels(path: Path, ds, pixel_length: int, chunk: bytes) -> None:
    """``ds`` (without Pixel Data) then a Pixel Data element (OW) of ``pixel_length`` bytes
    written in chunks: a 1 GB file never sits in memory."""
    from pydicom.filewriter import dcmwrite

    with open(path, "wb") as handle:
        dcmwrite(handle, ds, enforce_file_format=True)
        handle.write(struct.pack("<HH2sHI", 0x7FE0, 0x0010, b"OW", 0, pixel_length))
        remaining = pixel_length
        while remaining:
            piece = chunk[: min(len(chunk), remaining)]
            handle.write(piece)
            remaining -= len(piece)


def make_series(folder: Path, slices: int) -> list[Path]:
    marker = folder.parent / f".{folder.name}-complete"  # not inside: it would be an input
    if marker.exists():
        return sorted(folder.glob("*.dcm"))
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    rng = random.Random(7)
    print(f"making {slices} CT slices in {folder} ...", flush=True)
    for index in range(slices):
        ds = _ct_header(index, "bench-series")
        _write_with_pixels(folder / f"slice{index:04d}.dcm", ds, 512 * 512 * 2, rng.randbytes(512 * 512 * 2))
    marker.touch()
    return sorted(folder.glob("*.dcm"))


def _multiframe_header(frames: int):
    ds = _ct_header(0, "bench-large")
    ds.SOPClassUID = ds.file_meta.MediaStorageSOPClassUID = "1.2.840.10008.5.1.4.1.1.12.1"  # X-Ray Angiographic
    ds.Modality = "XA"
    ds.Rows = ds.Columns = 1024
    ds.BitsAllocated, ds.BitsStored, ds.HighBit = 8, 8, 7
    ds.NumberOfFrames = frames
    ds.FrameIncrementPointer = 0x00181063
    ds.FrameTime = "33.3"
    return ds


def make_large(path: Path, frames: int) -> Path:
    if path.exists() and path.stat().st_size > frames * (1 << 20):
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    print(f"making a {frames} MB multi-frame file {path} ...", flush=True)
    _write_with_pixels(path, _multiframe_header(frames), frames * (1 << 20), random.Random(8).randbytes(8 << 20))
    return path


def make_header_pair(folder: Path) -> tuple[Path, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    small, large = folder / "pixels-1MB.dcm", folder / "pixels-100MB.dcm"
    chunk = random.Random(9).randbytes(1 << 20)
    for path, frames in ((small, 1), (large, 100)):
        if not path.exists():
            ds = _multiframe_header(frames)
            ds.NumberOfFrames = f"{frames:03d}"  # the same header length for both
            _write_with_pixels(path, ds, frames << 20, chunk)
    return small, large


def make_samples(folder: Path) -> list[Path]:
    """Every DICOM file in the installed pydicom wheel's test_files, copied flat."""
    import pydicom

    source = Path(pydicom.__file__).parent / "data" / "test_files"
    if not folder.exists():
        folder.mkdir(parents=True)
        for path in sorted(source.rglob("*")):
            if not path.is_file() or path.suffix not in ("", ".dcm"):
                continue
            with open(path, "rb") as handle:
                head = handle.read(132)
            if path.suffix == ".dcm" or head[128:132] == b"DICM":
                shutil.copyfile(path, folder / "__".join(path.relative_to(source).parts))
    return sorted(folder.iterdir())


# --------------------------------------------------------------------------- tools


def ensure_peers() -> dict[str, list[str]]:
    """The peers' commands (prefixes taking INPUT_DIR OUTPUT_DIR), installing them if needed."""
    python = PEERS_VENV / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(PEERS_VENV)], check=True)
    missing = [pin for pin in PEER_PINS
               if subprocess.run([str(python), "-m", "pip", "show", "-q", pin.split("==")[0]],
                                 capture_output=True).returncode]
    if missing:
        print(f"installing {', '.join(missing)} into {PEERS_VENV} ...", flush=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", *missing], check=True)
    return {
        "dicom-anonymizer": [str(PEERS_VENV / "bin" / "dicom-anonymizer"), "{input}", "{output}"],
        "dicognito": [str(python), "-m", "dicognito", "--quiet", "-o", "{output}", "{input}"],
        "deid": [str(python), str(HERE / "peers" / "deid_run.py"), "{input}", "{output}"],
    }


def ensure_certificate(folder: Path) -> Path:
    """A throwaway self-signed certificate for gdcmanon's de-identification."""
    certificate = folder / "gdcm-cert.pem"
    if not certificate.exists():
        folder.mkdir(parents=True, exist_ok=True)
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "30",
                        "-subj", "/CN=benchmark only", "-keyout", str(folder / "gdcm-key.pem"),
                        "-out", str(certificate)], check=True, capture_output=True)
    return certificate


def tool_commands(peers: bool) -> tuple[dict[str, list[str]], list[str]]:
    """The commands to time (templates taking {input} and {output}), and what was skipped."""
    anonymizer = str(Path(sys.executable).parent / "anonymizer")
    commands = {
        "anonymizer": [anonymizer, "-q", "-o", "{output}", "{input}"],
        "anonymizer --jobs 1": [anonymizer, "-q", "--jobs", "1", "-o", "{output}", "{input}"],
    }
    skipped = []
    if not peers:
        return commands, skipped
    if shutil.which("gdcmanon"):
        certificate = ensure_certificate(DATA / "certs")
        commands["gdcmanon"] = ["gdcmanon", "-e", "-c", str(certificate), "--continue", "-r",
                                "-i", "{input}", "-o", "{output}"]
    else:
        skipped.append("gdcmanon: not installed (Debian package libgdcm-tools)")
    commands.update(ensure_peers())
    return commands, skipped


def compile_bytecode() -> None:
    """Write this package's bytecode, as ``pip install`` does: an editable install run with
    PYTHONDONTWRITEBYTECODE set would otherwise compile every module at every start (0.14 s
    here), which the peers, installed by pip, never do."""
    import compileall

    compileall.compile_dir(str(ROOT / "anonymizer"), quiet=1)


def run_tools(commands: dict[str, list[str]], input_path: Path, runs: int, scratch: Path) -> list[dict]:
    """Each tool once a round, for ``runs`` rounds, each round starting one tool further on:
    on a noisy machine, a slow minute slows every tool alike instead of whichever ran then, and
    no tool always follows the same one (the first in a round writes into memory the previous
    round's last tool freed, which this machine makes slower). Each run starts from an empty
    output folder. ``cp`` (a file's copy) is timed like a tool."""
    results = {name: {"tool": name, "all_seconds": [], "peaks": [], "codes": set(), "problem": "", "outputs": 0}
               for name in commands}
    names = list(commands)
    for round_ in range(runs):
        for name in names[round_ % len(names):] + names[:round_ % len(names)]:
            template = commands[name]
            print(f"  {name} ...", flush=True)
            output = scratch / "out"
            shutil.rmtree(output, ignore_errors=True)
            output.mkdir(parents=True)
            single = input_path.is_file() and name in ("gdcmanon", "dicom-anonymizer", "cp")
            target = output / "out.dcm" if single else output
            seconds, peak, done = timed_command([a.format(input=input_path, output=target) for a in template])
            result = results[name]
            result["all_seconds"].append(seconds)
            result["peaks"].append(peak)
            result["codes"].add(done.returncode)
            result["outputs"] = sum(1 for p in output.rglob("*") if p.is_file() and not p.name.startswith("."))
            if done.returncode and not result["problem"]:
                result["problem"] = (done.stderr.strip().splitlines() or ["?"])[-1][:160]
    shutil.rmtree(scratch / "out", ignore_errors=True)
    rows = []
    for result in results.values():
        rows.append({"tool": result["tool"], "seconds": median(result["all_seconds"]),
                     "all_seconds": result["all_seconds"], "peak_rss": median(result.pop("peaks")),
                     "outputs": result["outputs"], "exit_codes": sorted(result.pop("codes")),
                     "problem": result["problem"]})
    return rows


def header_cost(small: Path, large: Path, repeats: int) -> dict:
    """Per-file CPU time of anonymize() (header only) and of anonymize() + writing the output
    to a sink that discards it, for the same header with 1 MB and 100 MB of pixel data."""
    from anonymizer import anonymize

    class Sink:
        def write(self, data):
            return len(data)

    anonymize(small)  # imports, policy caches
    alone: dict[Path, list[float]] = {small: [], large: []}
    written: dict[Path, list[float]] = {small: [], large: []}
    headers = {}
    for _ in range(repeats):
        for path in (small, large):  # in turn, so that the machine's moods fall on both alike
            start = time.process_time()
            headers[path] = len(anonymize(path).segments[1])
            alone[path].append(time.process_time() - start)
            start = time.process_time()
            anonymize(path).write_to(Sink())
            written[path].append(time.process_time() - start)
    return {path.name: {"size": path.stat().st_size, "anonymize_ms": median(alone[path]) * 1e3,
                        "anonymize_and_write_ms": median(written[path]) * 1e3, "header_bytes": headers[path],
                        "min_ms": min(alone[path]) * 1e3, "max_ms": max(alone[path]) * 1e3}
            for path in (small, large)}


# --------------------------------------------------------------------------- the page


def page_benchmarks(series: list[Path], large: Path, runs: int, radiopaedia_lib: Path | None) -> dict:
    """Start-up, series throughput and the large file through the page's JS API in Chromium,
    and Radiopaedia's library on the same in-memory files when its path is given."""
    from playwright.sync_api import sync_playwright

    subprocess.run([sys.executable, str(ROOT / "build.py")], check=True, cwd=ROOT)
    root = DATA / "web-root"
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir()
    for entry in (ROOT / "web" / "dist").iterdir():
        (root / entry.name).symlink_to(entry)
    bench = root / "bench"
    bench.mkdir()
    (bench / "blank.html").write_text("<!doctype html><meta charset=utf-8><title>benchmark</title>\n")
    (bench / "series").symlink_to(series[0].parent)
    (bench / "large.dcm").symlink_to(large)
    # a bare Pyodide start loads Pyodide's own standard library (the page's has bytecode added)
    (bench / "python_stdlib.zip").symlink_to(ROOT / "web" / "node_modules" / "pyodide" / "python_stdlib.zip")
    if radiopaedia_lib:
        (bench / "radiopaedia.js").symlink_to(radiopaedia_lib.resolve())

    sys.path.insert(0, str(ROOT))
    import build

    server = build.make_server("127.0.0.1", 0, root, quiet=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    results: dict = {"radiopaedia": None if radiopaedia_lib else
                     "skipped: no --radiopaedia-lib (a local copy of Radiopaedia's lib/index.js) was given"}
    series_urls = [f"/bench/series/{p.name}" for p in series]
    series_mb = sum(p.stat().st_size for p in series) / MB
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            bare, ready, ready_warm, one_worker = [], [], [], []
            for _ in range(runs):
                context = browser.new_context()
                page = context.new_page()
                page.goto(f"{base}/bench/blank.html")
                bare.append(page.evaluate("""async () => {
                    const { loadPyodide } = await import('/pyodide/pyodide.mjs');
                    await loadPyodide({ indexURL: '/pyodide/', stdLibURL: '/bench/python_stdlib.zip' });
                    return performance.now(); }"""))
                context.close()
                context = browser.new_context()
                page = context.new_page()
                for store in (ready, ready_warm):  # a first visit, then the same page again (HTTP cache)
                    page.goto(f"{base}/bench/blank.html")
                    store.append(page.evaluate("""async () => {
                        const { createAnonymizer } = await import('/anonymizer.js');
                        window.anonymizer = await createAnonymizer();
                        return performance.now(); }"""))
                context.close()
                context = browser.new_context()  # one worker: the same work as the bare start, and more
                page = context.new_page()
                page.goto(f"{base}/bench/blank.html")
                one_worker.append(page.evaluate("""async () => {
                    const { createAnonymizer } = await import('/anonymizer.js');
                    window.anonymizer = await createAnonymizer({ workers: 1 });
                    return performance.now(); }"""))
                context.close()
            results["startup"] = {"bare_pyodide_ms": median(bare), "ready_ms": median(ready),
                                  "ready_second_visit_ms": median(ready_warm), "one_worker_ms": median(one_worker),
                                  "all": {"bare": bare, "ready": ready, "second": ready_warm, "one_worker": one_worker}}

            context = browser.new_context()
            page = context.new_page()
            page.goto(f"{base}/bench/blank.html")
            page.evaluate("""async (urls) => {
                const { createAnonymizer } = await import('/anonymizer.js');
                window.anonymizer = await createAnonymizer();
                window.files = [];
                for (const url of urls) {
                    const blob = await (await fetch(url)).blob();
                    window.files.push(new File([blob], url.split('/').pop()));
                } }""", series_urls)
            ours, with_blobs, statuses, theirs, outcome = [], [], None, [], None
            for _ in range(runs):  # ours and theirs in turn: a slow minute slows both
                # anonymizeAll() describes each output; its Blob is made when first read: the
                # second figure adds making every output Blob (as a download or upload would).
                run = page.evaluate("""async () => {
                    const start = performance.now();
                    const results = await window.anonymizer.anonymizeAll(window.files);
                    const ms = performance.now() - start;
                    let bytes = 0;
                    for (const r of results) bytes += r.blob ? r.blob.size : 0;
                    const withBlobs = performance.now() - start;
                    const statuses = {};
                    for (const r of results) statuses[r.status] = (statuses[r.status] || 0) + 1;
                    return { ms, withBlobs, statuses }; }""")
                ours.append(run["ms"] / 1e3)
                with_blobs.append(run["withBlobs"] / 1e3)
                statuses = run["statuses"]
                if radiopaedia_lib:
                    outcome = page.evaluate("""async () => {
                        const rp = await import('/bench/radiopaedia.js');
                        const start = performance.now();
                        let ok = 0, failed = 0, error = '';
                        for (const file of window.files) {
                            try {
                                const message = rp.Message.readFile(await file.arrayBuffer());
                                message.dict = rp.Anonymize(message.dict);
                                rp.Validator(message.dict);
                                message.write();
                                ok++;
                            } catch (e) { failed++; error = String(e).slice(0, 160); }
                        }
                        return { ms: performance.now() - start, ok, failed, error }; }""")
                    theirs.append(outcome["ms"] / 1e3)
            results["series"] = {"seconds": median(ours), "all_seconds": ours, "statuses": statuses,
                                 "seconds_with_blobs": median(with_blobs), "files": len(series), "mb": series_mb}
            if radiopaedia_lib:
                results["radiopaedia"] = {"seconds": median(theirs), "all_seconds": theirs, "ok": outcome["ok"],
                                          "failed": outcome["failed"], "error": outcome["error"]}
            page.evaluate("() => { window.files = null; }")
            context.close()

            context = browser.new_context()
            page = context.new_page()
            page.goto(f"{base}/bench/blank.html")
            page.evaluate("""async () => {
                const { createAnonymizer } = await import('/anonymizer.js');
                window.anonymizer = await createAnonymizer();
                const blob = await (await fetch('/bench/large.dcm')).blob();
                window.large = new File([blob], 'large.dcm'); }""")
            read_through = """async (which) => {
                const blob = which === 'input' ? window.large : window.output.blob;
                const start = performance.now();
                const reader = blob.stream().getReader();
                let bytes = 0;
                for (;;) { const { done, value } = await reader.read(); if (done) break; bytes += value.length; }
                return { ms: performance.now() - start, bytes }; }"""
            alone, output_read, input_read, growth = [], [], [], []
            for _ in range(runs):
                before = tree_rss(os.getpid())
                with TreeMemory(os.getpid()) as memory:
                    ms = page.evaluate("""async () => {
                        const start = performance.now();
                        window.output = await window.anonymizer.anonymize(window.large);
                        window.output.blob.size;  // the output Blob made
                        return performance.now() - start; }""")
                alone.append(ms / 1e3)
                growth.append(memory.peak - before)
                # the baseline: the input read through once, as the browser copies a file
                run = page.evaluate(read_through, "output")
                output_read.append(run["ms"] / 1e3)
                output_bytes = run["bytes"]
                input_read.append(page.evaluate(read_through, "input")["ms"] / 1e3)
            results["large"] = {"seconds": median(alone), "output_read_seconds": median(output_read),
                                "input_read_seconds": median(input_read), "memory_growth": median(growth),
                                "all_seconds": alone, "output_bytes": output_bytes}
            context.close()
        finally:
            browser.close()
            server.shutdown()
    return results


# --------------------------------------------------------------------------- report


def machine() -> str:
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        memory = int(Path("/proc/meminfo").read_text().split()[1]) / 1e6
    except OSError:
        memory = float("nan")
    return (f"{cpu}, {os.cpu_count()} cores, {memory:.0f} GB RAM, {platform.system()} {platform.release()}, "
            f"Python {platform.python_version()}")


def table(title: str, rows: list[dict], files: int, mb: float, reference: float) -> list[str]:
    lines = [f"\n{title}: {files} file(s), {mb:.1f} MB",
             "| tool | time (s) | files/s | MB/s | peak RSS (MB) | time / anonymizer | outputs | notes |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |"]
    for row in rows:
        seconds = row["seconds"]
        rss = f"{row['peak_rss'] / MB:.0f}" if row.get("peak_rss") else "-"
        notes = row.get("notes", "")
        if row.get("problem"):
            notes = (notes + f" exit {row['exit_codes']}: {row['problem']}").strip()
        lines.append(f"| {row['tool']} | {seconds:.2f} | {files / seconds:.1f} | {mb / seconds:.1f} | {rss} | "
                     f"{seconds / reference:.2f}x | {row.get('outputs', '-')} | {notes} |")
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="100 slices and a 200 MB file")
    parser.add_argument("--runs", type=int, default=3, help="runs per figure, the median is printed (default 3)")
    parser.add_argument("--radiopaedia-lib", type=Path, metavar="PATH",
                        help="a local copy of Radiopaedia's dicom-anonymiser lib/index.js, run in the same browser")
    parser.add_argument("--no-peers", action="store_true", help="only this project's CLI")
    parser.add_argument("--no-page", action="store_true", help="skip the browser")
    parser.add_argument("--only", nargs="+", choices=("series", "large", "samples", "header", "page"),
                        help="run only these parts")
    args = parser.parse_args()
    parts = set(args.only or ("series", "large", "samples", "header", "page"))
    if args.no_page:
        parts.discard("page")
    slices, frames = (100, 200) if args.quick else (1000, 1000)

    series = make_series(DATA / f"series-{slices}", slices)
    large = make_large(DATA / f"large-{frames}MB.dcm", frames)
    samples = make_samples(DATA / "samples")
    compile_bytecode()
    commands, skipped = tool_commands(not args.no_peers)
    scratch = Path(tempfile.mkdtemp(prefix="bench-", dir=DATA))
    results: dict = {"machine": machine(), "command": " ".join(["benchmarks/run.py", *sys.argv[1:]]),
                     "runs": args.runs, "date": time.strftime("%Y-%m-%d")}
    lines = [f"machine: {results['machine']}", f"command: {results['command']} (medians of {args.runs} runs)"]
    try:
        for part, path, files in (("series", series[0].parent, series), ("large", large, [large]),
                                  ("samples", samples[0].parent, samples)):
            if part not in parts:
                continue
            mb = sum(p.stat().st_size for p in files) / MB
            print(f"{part}: {', '.join(commands)} ({args.runs} rounds) ...", flush=True)
            timed = dict(commands)
            if part == "large":
                timed["cp"] = ["cp", "{input}", "{output}"]  # the baseline: a copy of the file
            rows = run_tools(timed, path, args.runs, scratch)
            results[part] = {"files": len(files), "mb": mb, "rows": rows}
            lines += table(part, rows, len(files), mb, rows[0]["seconds"])
            print("\n".join(lines[-len(rows) - 3:]), flush=True)

        if "header" in parts:
            small, big = make_header_pair(DATA / "header")
            figures = header_cost(small, big, repeats=30 if args.quick else 100)
            results["header"] = figures
            lines.append("\nper-file CPU time, same header, different pixel data (median of many calls):")
            lines.append("| file | size (MB) | anonymize() CPU (ms) | anonymize() + write to a null sink (ms) |")
            lines.append("| --- | ---: | ---: | ---: |")
            for name, figure in figures.items():
                lines.append(f"| {name} | {figure['size'] / MB:.0f} | {figure['anonymize_ms']:.2f} "
                             f"(min {figure['min_ms']:.2f}, max {figure['max_ms']:.2f}) | "
                             f"{figure['anonymize_and_write_ms']:.2f} |")
            print("\n".join(lines[-5:]), flush=True)

        if "page" in parts:
            print("page ...", flush=True)
            page = page_benchmarks(series, large, args.runs, args.radiopaedia_lib)
            results["page"] = page
            start = page["startup"]
            lines.append("\npage (headless Chromium, the JS API in a worker; files already in memory as Blobs):")
            lines.append(f"start-up, navigation to ready: {start['ready_ms'] / 1e3:.2f} s, every worker loaded "
                         f"(second visit {start['ready_second_visit_ms'] / 1e3:.2f} s; one worker "
                         f"{start['one_worker_ms'] / 1e3:.2f} s); bare loadPyodide(): "
                         f"{start['bare_pyodide_ms'] / 1e3:.2f} s (Pyodide's own standard library)")
            s = page["series"]
            cli_series = results.get("series", {}).get("rows", [{}])[0].get("seconds")
            lines.append("| what | time (s) | files/s | MB/s | notes |")
            lines.append("| --- | ---: | ---: | ---: | --- |")
            lines.append(f"| page, series | {s['seconds']:.2f} | {s['files'] / s['seconds']:.1f} | "
                         f"{s['mb'] / s['seconds']:.1f} | {s['statuses']} |")
            lines.append(f"| page, series + every output Blob made | {s['seconds_with_blobs']:.2f} | "
                         f"{s['files'] / s['seconds_with_blobs']:.1f} | {s['mb'] / s['seconds_with_blobs']:.1f} | |")
            rp = page["radiopaedia"]
            if isinstance(rp, dict):
                lines.append(f"| Radiopaedia lib, series | {rp['seconds']:.2f} | {rp['ok'] / rp['seconds']:.1f} | "
                             f"{s['mb'] / rp['seconds']:.1f} | ok {rp['ok']}, failed {rp['failed']} {rp['error']} |")
            else:
                lines.append(f"| Radiopaedia lib | - | - | - | {rp} |")
            big = page["large"]
            large_mb = large.stat().st_size / MB
            lines.append(f"| page, large file | {big['seconds']:.2f} | - | {large_mb / big['seconds']:.0f} | "
                         f"output Blob made; memory growth {big['memory_growth'] / MB:.0f} MB |")
            lines.append(f"| page, large file, output read through once | {big['output_read_seconds']:.2f} | - | "
                         f"{large_mb / big['output_read_seconds']:.0f} | |")
            lines.append(f"| the input read through once (baseline) | {big['input_read_seconds']:.2f} | - | "
                         f"{large_mb / big['input_read_seconds']:.0f} | |")
            if cli_series:
                lines.append(f"page series throughput / CLI: {cli_series / s['seconds']:.2f}")
            print("\n".join(lines[-10:]), flush=True)
        verdicts = targets(results)
        results["targets"] = verdicts
        results["skipped"] = skipped
        lines.append("\ntargets of issue #7, in this run:")
        lines += [f"  {'HOLDS' if held else 'MISSED' if held is False else 'n/a  '}  {text}"
                  for text, held in verdicts]
        lines += [f"  skipped: {what}" for what in skipped]
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
        (DATA / "results.json").write_text(json.dumps(results, indent=1))
    print("\n" + "\n".join(lines))
    return 0


def targets(results: dict) -> list[tuple[str, bool | None]]:
    """Each target of issue #7 with the figures of this run, and whether it holds (None when
    this run did not measure it)."""
    def row(part: str, tool: str) -> dict | None:
        rows = results.get(part, {}).get("rows", [])
        return next((r for r in rows if r["tool"] == tool and r["exit_codes"] == [0]), None)

    def seconds(part: str, tool: str) -> float | None:
        found = row(part, tool)
        return found["seconds"] if found else None

    verdicts: list[tuple[str, bool | None]] = []
    ours = seconds("series", "anonymizer")
    peers = {name: seconds("series", name) for name in PEERS}
    peers = {name: t for name, t in peers.items() if t}
    if ours and peers:
        fastest = min(peers, key=peers.get)
        ratio = peers[fastest] / ours
        verdicts.append((f"series: the CLI {ratio:.2f}x faster than the fastest pure-Python peer, {fastest} "
                         "(target: 3x)", ratio >= 3))
    else:
        verdicts.append(("series: the CLI against the pure-Python peers (not run)", None))
    gdcm = seconds("series", "gdcmanon")
    if ours and gdcm:
        # the tools take turns, so the rounds pair up: each round's ratio shows how far noise moves it
        rounds = zip(row("series", "anonymizer")["all_seconds"], row("series", "gdcmanon")["all_seconds"])
        each = ", ".join(f"{a / g:.2f}x" for a, g in rounds)
        verdicts.append((f"series: the CLI takes {ours / gdcm:.2f}x gdcmanon's time (round by round {each}; "
                         "target: at most 1.5x)", ours / gdcm <= 1.5))
    else:
        verdicts.append(("series: the CLI against gdcmanon (not run)", None))
    page = results.get("page", {})
    series = page.get("series")
    if ours and series:
        share = ours / series["seconds"]
        verdicts.append((f"series: the page's throughput {share:.2f} of the CLI's (target: at least 0.5)",
                         share >= 0.5))
    rp = page.get("radiopaedia")
    if series and isinstance(rp, dict) and not rp["failed"]:
        verdicts.append((f"series: the page {series['seconds']:.2f} s, Radiopaedia's library {rp['seconds']:.2f} s "
                         f"in the same browser ({series['seconds'] / rp['seconds']:.2f}x; target: faster)",
                         series["seconds"] < rp["seconds"]))
    else:
        verdicts.append(("series: the page against Radiopaedia's library (not run: --radiopaedia-lib)", None))
    cli, copy = seconds("large", "anonymizer"), seconds("large", "cp")
    size = f"{results['large']['mb'] / 1e3:.1f} GB file" if "large" in results else "large file"
    if cli and copy:
        verdicts.append((f"{size}: the CLI {cli:.2f} s, cp {copy:.2f} s ({cli / copy:.2f}x; target: at most 2x)",
                         cli / copy <= 2))
        rss = next(r["peak_rss"] for r in results["large"]["rows"] if r["tool"] == "anonymizer")
        verdicts.append((f"{size}: the CLI's peak memory {rss / MB:.0f} MB (target: under 100 MB)",
                         rss < 100 * MB))
    big = page.get("large")
    if big:
        took = big["seconds"] + big["output_read_seconds"]
        verdicts.append((f"{size}: the page's output made and read through {took:.2f} s, the input read through "
                         f"{big['input_read_seconds']:.2f} s ({took / big['input_read_seconds']:.2f}x; "
                         "target: at most 2x)", took <= 2 * big["input_read_seconds"]))
        verdicts.append((f"{size}: the page's memory growth {big['memory_growth'] / MB:.0f} MB while it "
                         "anonymises (target: under 100 MB)", big["memory_growth"] < 100 * MB))
    header = results.get("header")
    if header:
        small, large = header.values()
        ratio = large["anonymize_ms"] / small["anonymize_ms"]
        verdicts.append((f"per file: {small['anonymize_ms']:.2f} ms of CPU with 1 MB of pixel data, "
                         f"{large['anonymize_ms']:.2f} ms with 100 MB ({ratio:.2f}x; target: the same, "
                         "within 20%)", ratio <= 1.2))
    return verdicts


if __name__ == "__main__":
    sys.exit(main())
