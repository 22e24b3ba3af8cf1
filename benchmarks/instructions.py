"""Instructions a file costs the engine, counted by Valgrind: an A/B that noise cannot move.

    .venv/bin/python benchmarks/instructions.py OTHER/anonymizer [--files 100] [--inputs DIR]

On this project's machines the CPU time of one CT slice moves by half between two runs a
minute apart, so a change of a few percent cannot be told from noise by timing it, even in
turns (benchmarks/native_ab.py). The number of instructions the CPU runs does not move: this
script counts them with Valgrind's callgrind (Debian package ``valgrind``), for this checkout's
``anonymizer`` and for ``OTHER/anonymizer`` (for example a copy of an earlier commit:
``git archive HEAD~1 anonymizer | tar -x -C /tmp/base``), on the same files, and prints the
instructions per file of each and their ratio.

Each version runs twice under callgrind, in a fresh process with a fixed hash seed: once over
the ``--warm`` first files (the start-up, the imports and the caches a series fills), once
over those and ``--files`` more; the difference, divided by ``--files``, is what one more file
costs: ``anonymize()`` and ``write_to()`` a sink, no report (the command line's path; a
file refused or unreadable costs what it cost until then).
Instructions are not time (a cache miss costs more than an addition), so a change is kept
when both agree: fewer instructions here, and no slower in benchmarks/native_ab.py.
Needs the series made by benchmarks/run.py, or ``--inputs``.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
CHECKOUT = HERE.parent
SERIES = HERE / "data" / "series-1000"

# Run in the child: anonymise the first N files of a folder with the given package.
_CHILD = """
import sys
from pathlib import Path
sys.path.insert(0, sys.argv[1])
import anonymizer
from anonymizer import anonymize
assert Path(anonymizer.__file__).resolve().is_relative_to(Path(sys.argv[1]).resolve()), anonymizer.__file__
class Sink:
    def write(self, data):
        return len(data)
files = sorted(p for p in Path(sys.argv[2]).iterdir() if p.is_file())[: int(sys.argv[3])]
for path in files:
    try:
        anonymize(path).write_to(Sink())
    except anonymizer.AnonymizerError:  # refused or unreadable: counted all the same
        pass
"""


def instructions(package_parent: Path, inputs: Path, count: int) -> int:
    """Instructions callgrind counts for anonymising the first ``count`` files of ``inputs``
    with the ``anonymizer`` package found in ``package_parent``."""
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    done = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null",
         sys.executable, "-c", _CHILD, str(package_parent), str(inputs), str(count)],
        capture_output=True, text=True, env=env, check=True,
    )
    found = re.search(r"Collected : (\d+)", done.stderr)
    if not found:
        raise RuntimeError(f"callgrind printed no count:\n{done.stderr[-2000:]}")
    return int(found.group(1))


def per_file(versions: list[Path], inputs: Path, warm: int, files: int) -> list[float]:
    """Instructions per file of each version (the four runs two at a time: one per core here)."""
    runs = [(parent, count) for parent in versions for count in (warm, warm + files)]
    with ThreadPoolExecutor(os.cpu_count() or 1) as pool:
        counts = list(pool.map(lambda run: instructions(run[0], inputs, run[1]), runs))
    return [(counts[2 * i + 1] - counts[2 * i]) / files for i in range(len(versions))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("other", type=Path, help="another version's anonymizer package folder")
    parser.add_argument("--files", type=int, default=100)
    parser.add_argument("--warm", type=int, default=20)
    parser.add_argument("--inputs", type=Path, default=SERIES)
    args = parser.parse_args()
    if shutil.which("valgrind") is None:
        parser.error("valgrind is not installed (Debian package valgrind)")
    if args.other.name != "anonymizer" or not (args.other / "engine.py").is_file():
        parser.error(f"{args.other} is not an anonymizer package folder")
    available = sum(1 for p in args.inputs.iterdir() if p.is_file())
    if available < args.warm + args.files:
        parser.error(f"{args.inputs} holds {available} files, fewer than --warm + --files")
    base, this = per_file([args.other.resolve().parent, CHECKOUT], args.inputs, args.warm, args.files)
    print(f"instructions per file over {args.files} files of {args.inputs} (after {args.warm}):")
    print(f"  {args.other}: {base / 1e6:.3f} M")
    print(f"  this checkout: {this / 1e6:.3f} M")
    print(f"  ratio this/other: {this / base:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
