"""CPU time of one CT slice under each profile, the profiles taking turns in one process.

    .venv/bin/python benchmarks/profiles.py [--rounds 6] [--files 50]

Each profile anonymises ``--files`` slices of the benchmark's series a turn (slices no profile
has seen, after 20 each to warm up), with a secret, writing to a sink: the command line's path.
Prints the median and minimum of the rounds, in ms a file, and each profile's time over the
default profile's. Needs the series made by benchmarks/run.py.
"""

from __future__ import annotations

import argparse
import resource
import statistics
from pathlib import Path

from anonymizer import PROFILES, anonymize

SERIES = Path(__file__).resolve().parent / "data" / "series-1000"


class Sink:
    def write(self, data):
        return len(data)


def cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def one(path: Path, profile: str) -> None:
    with open(path, "rb") as handle:
        anonymize(handle, profile=profile, uid_secret="benchmark secret").write_to(Sink())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--files", type=int, default=50)
    args = parser.parse_args()
    files = sorted(SERIES.glob("*.dcm"))
    needed = 20 + args.rounds * len(PROFILES) * args.files
    if len(files) < needed:
        raise SystemExit(f"needs {needed} slices in {SERIES}: run benchmarks/run.py first, or fewer --rounds")
    for path in files[:20]:
        for profile in PROFILES:
            one(path, profile)
    times: dict[str, list[float]] = {profile: [] for profile in PROFILES}
    position = 20
    for round_ in range(args.rounds):
        order = PROFILES[round_ % len(PROFILES):] + PROFILES[:round_ % len(PROFILES)]
        for profile in order:
            turn = files[position:position + args.files]
            position += args.files
            started = cpu()
            for path in turn:
                one(path, profile)
            times[profile].append((cpu() - started) / len(turn) * 1000)
    default = statistics.median(times[PROFILES[0]])
    for profile, values in times.items():
        median = statistics.median(values)
        print(f"{profile:12s} median {median:.2f} ms a file, min {min(values):.2f} ms, "
              f"{median / default:.2f}x {PROFILES[0]}'s")


if __name__ == "__main__":
    main()
