"""Two versions of the engine in one CPython process, taking turns on the same CT slices: which
is faster, and by how much, on a machine too noisy for figures from two runs to be compared.
The native twin of ``benchmarks/pyodide_ab.mjs``.

    mkdir -p /tmp/base && git archive HEAD anonymizer | tar -x -C /tmp/base
    .venv/bin/python benchmarks/native_ab.py /tmp/base/anonymizer    # that version against this checkout's
    .venv/bin/python benchmarks/native_ab.py /tmp/base/anonymizer --files 100 --rounds 12
    .venv/bin/python benchmarks/native_ab.py /tmp/base/anonymizer --inputs ../shared/corpus/files

The other version is copied into a temporary folder as the package ``anonymizer_base`` and
imported beside this checkout's ``anonymizer``; each round times anonymize() + write_to() a
sink for every file (CPU time, read from memory), with one version and then the other, the
first of them alternating. Prints whether the outputs (bytes and report) are the same for
every file, each version's minimum and median milliseconds a file, and the median of the
rounds' ratios. The files are the first ``--files`` CT slices of benchmarks/data/series-1000
(made by benchmarks/run.py), or with ``--inputs DIR`` every file below DIR that both versions
anonymise (the others are counted and left out).
"""

from __future__ import annotations

import argparse
import gc
import shutil
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SERIES = ROOT / "benchmarks" / "data" / "series-1000"


class Sink:
    def write(self, data):
        return len(data)


def load_base(package: Path, scratch: Path):
    """The package at ``package``, importable as ``anonymizer_base``."""
    target = scratch / "anonymizer_base"
    shutil.copytree(package, target, ignore=shutil.ignore_patterns("__pycache__"))
    for source in target.rglob("*.py"):
        text = source.read_text()
        source.write_text(text.replace("from anonymizer.", "from anonymizer_base.")
                          .replace("from anonymizer import", "from anonymizer_base import"))
    sys.path.insert(0, str(scratch))
    import anonymizer_base
    return anonymizer_base


def anonymised(module, data: bytes) -> bool:
    """Whether ``module.anonymize`` gives an output for ``data`` (not a refusal or an error)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            module.anonymize(data).to_bytes()
    except Exception:
        return False
    return True


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("base", type=Path, help="a folder holding another version's package")
    parser.add_argument("--files", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=8)
    parser.add_argument("--inputs", type=Path, help="a folder of files to use instead of the CT slices")
    args = parser.parse_args()
    if not (args.base / "engine.py").exists():
        parser.error(f"{args.base} holds no engine.py")
    sys.path.insert(0, str(ROOT))
    import anonymizer

    with tempfile.TemporaryDirectory() as scratch:
        base = load_base(args.base, Path(scratch))
        if args.inputs:
            candidates = [path.read_bytes() for path in sorted(args.inputs.rglob("*")) if path.is_file()]
            inputs = [data for data in candidates if anonymised(anonymizer, data) and anonymised(base, data)]
            what = f"{len(inputs)} files of {args.inputs} ({len(candidates) - len(inputs)} not anonymised, left out)"
        else:
            inputs = [path.read_bytes() for path in sorted(SERIES.iterdir())[:args.files]]
            what = f"{len(inputs)} CT slices"
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            same = all(
                anonymizer.anonymize(data).to_bytes() == base.anonymize(data).to_bytes()
                and anonymizer.anonymize(data).report() == base.anonymize(data).report()
                for data in inputs
            )
        times: dict[str, list[float]] = {"base": [], "this": []}
        versions = [("base", base), ("this", anonymizer)]
        for round_number in range(args.rounds):
            for name, module in versions[round_number % 2:] + versions[:round_number % 2]:
                gc.collect()
                started = time.process_time()
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    for data in inputs:
                        module.anonymize(data).write_to(Sink())
                times[name].append((time.process_time() - started) / len(inputs) * 1e3)
    b, t = times["base"], times["this"]
    ratio = statistics.median(x / y for x, y in zip(t, b))
    print(f"CPython {sys.version.split()[0]}, {what}, {args.rounds} rounds: "
          f"outputs and reports the same: {same}")
    print(f"  base          min {min(b):.2f} ms, median {statistics.median(b):.2f} ms a file")
    print(f"  this checkout min {min(t):.2f} ms, median {statistics.median(t):.2f} ms a file")
    print(f"  median ratio this/base {ratio:.3f}")


if __name__ == "__main__":
    main()
