"""What the command line adds on top of the engine: start-up, the process pool, per-file work.

    .venv/bin/python benchmarks/cli_overhead.py [--series benchmarks/data/series-1000] [--passes 3]

Measured in one run, so that a busy machine shifts every figure alike:

* start-up: ``python -c "import anonymizer.cli"`` less a bare ``python -c pass`` (wall, min);
* the engine's CPU per file (anonymize + write, no report: what a plain CLI run needs), in
  this process, over about 200 files of the series, each anonymised once (as in the CLI: a file
  seen before costs less), written to a sink, and other files of it to real files;
* the CLI's wall and CPU time (its workers' included) on the series, ``--jobs 1`` and ``--jobs``
  every core (min of ``--passes``; the output folder is deleted between passes, untimed), next
  to the floor, engine CPU x files (/ jobs for the wall time); writing the files is part of
  what the CLI adds (about 1 ms a CT slice here, as for any tool);
* the CLI's wall time on one header of 100,000 elements (issue #6; made as in
  tests/test_hostile_inputs.py), next to the engine's CPU on it.

Needs the series made by benchmarks/run.py. Outputs go to a folder under benchmarks/data.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import struct
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
PYTHON = sys.executable
CLI = str(Path(sys.executable).parent / "anonymizer")


class Sink:
    def write(self, data):
        return len(data)


def wall(command: list[str], passes: int, before=None) -> tuple[float, float]:
    """Minimum wall time and minimum CPU time (user + system, the process and its workers) of
    ``command`` over ``passes`` runs; ``before`` runs untimed before each. On a busy machine the
    CPU time is the steadier figure."""
    times, cpus = [], []
    for _ in range(passes):
        if before:
            before()
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - started)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime + after.ru_stime - usage.ru_utime - usage.ru_stime)
    return min(times), min(cpus)


def engine_cpu(files: list[Path], out: Path | None = None) -> float:
    """CPU seconds per file of anonymize() + write_to(), in this process, each file anonymised
    once, as the command line does (a file seen before costs less: its values are remembered):
    to a sink, or to a file in ``out`` when given (the system's share of writing included)."""
    from anonymizer import anonymize

    if out:
        shutil.rmtree(out, ignore_errors=True)
        out.mkdir()
    started = time.process_time()
    for number, path in enumerate(files):
        if out:
            with open(out / f"{number}.dcm", "wb") as handle:
                anonymize(path).write_to(handle)
        else:
            anonymize(path).write_to(Sink())
    return (time.process_time() - started) / len(files)


def many_elements(path: Path, count: int = 100_000) -> None:
    """The 100,000-element header of tests/test_hostile_inputs.py."""
    def element(group, number, vr, value):
        if len(value) % 2:
            value += b"\0" if vr == b"UI" else b" "
        if vr in (b"OB",):
            return struct.pack("<HH2sHL", group, number, vr, 0, len(value)) + value
        return struct.pack("<HH2sH", group, number, vr, len(value)) + value

    ct, uid = b"1.2.840.10008.5.1.4.1.1.2", b"2.25.1234567890"
    body = (element(2, 1, b"OB", b"\0\1") + element(2, 2, b"UI", ct) + element(2, 3, b"UI", uid)
            + element(2, 0x10, b"UI", b"1.2.840.10008.1.2.1"))
    meta = bytes(128) + b"DICM" + element(2, 0, b"UL", struct.pack("<L", len(body))) + body
    header = b"".join(element(g, e, vr, v) for g, e, vr, v in (
        (0x0008, 0x0016, b"UI", ct), (0x0008, 0x0018, b"UI", uid), (0x0008, 0x0060, b"CS", b"CT"),
        (0x0010, 0x0010, b"PN", b"FAKEHOSTILE^PATIENT"), (0x0010, 0x0020, b"LO", b"FAKEID-HOSTILE"),
        (0x0020, 0x000D, b"UI", b"2.25.11"), (0x0020, 0x000E, b"UI", b"2.25.12"),
        (0x0029, 0x0010, b"LO", b"FAKE CREATOR"),
    ))
    elements = b"".join(struct.pack("<HH2sH", 0x0029 + 2 * (i // 0xEFFF), 0x1000 + i % 0xEFFF, b"LO", 4)
                        + b"V%03d" % (i % 1000) for i in range(count))
    path.write_bytes(meta + header + elements)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--series", type=Path, default=HERE / "data" / "series-1000")
    parser.add_argument("--passes", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    files = sorted(args.series.glob("*.dcm"))
    if not files:
        sys.exit(f"no DICOM files in {args.series}: run benchmarks/run.py first")
    scratch = Path(tempfile.mkdtemp(prefix="cli-overhead-", dir=HERE / "data"))
    out = scratch / "out"
    clear = lambda: shutil.rmtree(out, ignore_errors=True)  # noqa: E731
    try:
        bare, bare_cpu = wall([PYTHON, "-c", "pass"], 5)
        imported, imported_cpu = wall([PYTHON, "-c", "import anonymizer.cli"], 5)
        print(f"start-up: import anonymizer.cli {imported - bare:.3f} s wall, {imported_cpu - bare_cpu:.3f} s CPU "
              f"(bare python {bare:.3f} s)", flush=True)

        for path in files:  # into the page cache, as for every tool compared
            path.read_bytes()
        step = max(2, len(files) // 200)
        engine_cpu(files[-20:])  # the imports, the policy and what a series shares, as in a worker
        sample = files[:-20:step]
        cpu = engine_cpu(sample)
        written = engine_cpu(files[1:-20:step], out)  # other files of the series: none seen before
        print(f"engine CPU per file: {cpu * 1e3:.2f} ms over {len(sample)} of the {len(files)} files; "
              f"{written * 1e3:.2f} ms writing real files", flush=True)
        for jobs in sorted({1, args.jobs}):
            took, used = wall([CLI, str(args.series), "-o", str(out), "-q", "--jobs", str(jobs)], args.passes, clear)
            floor = cpu * len(files)
            print(f"CLI --jobs {jobs}: {took:.2f} s wall (engine floor {floor / jobs:.2f} s), "
                  f"{used:.2f} s CPU (engine {floor:.2f} s): the CLI adds {(used - floor) / len(files) * 1e3:.2f} ms "
                  f"of CPU a file", flush=True)

        big = scratch / "many-elements.dcm"
        many_elements(big)
        from anonymizer import anonymize
        started = time.process_time()
        anonymize(big).write_to(Sink())
        engine = time.process_time() - started
        took, used = wall([CLI, str(big), "-o", str(out), "-q"], args.passes, clear)
        print(f"100,000 elements: CLI {took:.2f} s wall, {used:.2f} s CPU; engine {engine:.2f} s CPU", flush=True)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
