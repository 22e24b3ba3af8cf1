"""Where one file's time goes, stage by stage: reading, the policy, validation, encoding, the
residue check (anonymize() + write_to() a sink, no report: the command line's and the page's path).

    .venv/bin/python benchmarks/stages.py                       # 200 slices of the benchmark's series
    .venv/bin/python benchmarks/stages.py --file some.dcm       # one file, anonymised 5 times
    STAGES=1 node benchmarks/pyodide_hot_path.mjs               # the same table under Pyodide

Each stage is timed by wrapping the engine's function for it (wall time, perf_counter); the
stages nest (the read holds its parts, the residue check its read-back of the output), so the
shares do not add up to 100%. The wrappers cost a few microseconds a call: compare shares, and
totals only with totals of the same script.
"""

from __future__ import annotations

import argparse
import functools
import time
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"


class Sink:
    def write(self, data):
        return len(data)


def stage_table(sources: list, warm_up: int = 20) -> str:
    """The table for ``sources`` (paths or bytes), each anonymised once after ``warm_up`` of them."""
    from anonymizer import engine, policy, reader, residue

    totals: dict[str, float] = {}

    def timed(owner, name: str, label: str) -> None:
        function = getattr(owner, name)

        @functools.wraps(function)
        def wrapper(*args, **kwargs):
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                totals[label] = totals.get(label, 0.0) + time.perf_counter() - started

        setattr(owner, name, wrapper)

    for owner, name, label in (
        (engine, "read", "read"),
        (reader, "_read_file_meta", "  read: file meta group (pydicom)"),
        (reader, "_read_plain_header", "  read: plain header"),
        (reader, "check_structure", "  read: structure walks"),
        (reader, "_check_sequence", "  read: sequence items (pydicom)"),
        (engine._Anonymisation, "__init__", "policy for the file"),
        (policy.Policy, "private_rules", "private rules"),
        (engine, "validate", "validate"),
        (engine, "encode_dataset", "encode"),
        (residue, "check", "residue check"),
        (residue, "_output_values_lean", "  residue: output read back"),
    ):
        timed(owner, name, label)
    apply = engine._Anonymisation.apply

    def top_level_apply(self, dataset, prefix, depth, *rest):
        if depth:
            return apply(self, dataset, prefix, depth, *rest)
        started = time.perf_counter()
        try:
            return apply(self, dataset, prefix, depth, *rest)
        finally:
            totals["apply the policy"] = totals.get("apply the policy", 0.0) + time.perf_counter() - started

    engine._Anonymisation.apply = top_level_apply
    try:
        for source in sources[:warm_up]:
            engine.anonymize(source).write_to(Sink())
        totals.clear()
        started = time.perf_counter()
        for source in sources:
            engine.anonymize(source).write_to(Sink())
        total = time.perf_counter() - started
    finally:
        engine._Anonymisation.apply = apply
    lines = [f"{len(sources)} file(s): {total / len(sources) * 1e3:.2f} ms a file"]
    for label, seconds in sorted(totals.items(), key=lambda item: -item[1]):
        lines.append(f"  {label:36s} {seconds / len(sources) * 1e3:8.3f} ms {seconds / total * 100:5.1f}%")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--file", type=Path, help="one file, anonymised 5 times (default: the series)")
    parser.add_argument("--files", type=int, default=200)
    args = parser.parse_args()
    if args.file:
        sources = [args.file.read_bytes()] * 5
        print(stage_table(sources, warm_up=1))
        return
    folders = sorted(DATA.glob("series-*"), key=lambda p: int(p.name.split("-")[1]))
    if not folders:
        raise SystemExit("no benchmarks/data/series-*: run benchmarks/run.py --quick first")
    print(stage_table([p.read_bytes() for p in sorted(folders[0].glob("*.dcm"))[: args.files]]))


if __name__ == "__main__":
    main()
