"""Profile of the engine's hot path: anonymize() + write_to() (+ report()) on the benchmark's CT slices.

    .venv/bin/python benchmarks/profile_hot_path.py [--files 200] [--top 25] [--no-report]

Prints the CPU time per file (min and median of --passes passes) with and without report(), and
cProfile's top functions by own time (with report(), unless --no-report: the command line without
--report and the page's batch path never ask for the rows). Needs the series made by
benchmarks/run.py (benchmarks/data/series-*).
"""

import argparse
import cProfile
import pstats
import statistics
import sys
import time
from pathlib import Path

from anonymizer import anonymize

DATA = Path(__file__).resolve().parent / "data"


class Sink:
    def write(self, data):
        return len(data)


def one(path):
    result = anonymize(path)
    result.write_to(Sink())
    return result.report()


def without_report(path):
    result = anonymize(path)
    result.write_to(Sink())
    return result


def cpu_per_file(run, files, passes) -> list[float]:
    """Milliseconds of CPU per file, one figure per pass over ``files``."""
    run(files[0])
    figures = []
    for _ in range(passes):
        start = time.process_time()
        for path in files:
            run(path)
        figures.append((time.process_time() - start) / len(files) * 1e3)
    return figures


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--files", type=int, default=200)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--sort", default="tottime")
    parser.add_argument("--passes", type=int, default=7)
    parser.add_argument("--no-report", action="store_true", help="profile anonymize() + write_to() only")
    args = parser.parse_args()
    folders = sorted(DATA.glob("series-*"), key=lambda p: int(p.name.split("-")[1]))
    if not folders:
        sys.exit("no benchmarks/data/series-*: run benchmarks/run.py --quick first")
    files = sorted(folders[0].glob("*.dcm"))[: args.files]
    for label, run in (("anonymize + write + report", one), ("anonymize + write, no report", without_report)):
        passes = cpu_per_file(run, files, args.passes)
        print(f"CPU per file ({label}), {args.passes} passes over {len(files)} files: "
              f"min {min(passes):.2f} ms, median {statistics.median(passes):.2f} ms", flush=True)
    if not args.top:
        return
    profiled = without_report if args.no_report else one
    profile = cProfile.Profile()
    profile.enable()
    for path in files:
        profiled(path)
    profile.disable()
    pstats.Stats(profile).sort_stats(args.sort).print_stats(args.top)


if __name__ == "__main__":
    main()
