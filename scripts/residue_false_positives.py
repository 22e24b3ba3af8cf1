"""Measure how often the residue check refuses files the policy anonymised correctly.

    .venv/bin/python scripts/residue_false_positives.py [FILES_OR_FOLDERS...] [--verbose]

Default inputs: pydicom's bundled test files (the wheel's data/test_files) and, if present,
../shared/corpus/files. Every file is anonymised under each profile; a file counts as a
false positive when the residue check (and nothing else) refuses it. With ``--verbose`` the
refusal reasons are listed (attribute names and places, never values).
"""

from __future__ import annotations

import argparse
import sys
import time
import warnings
from collections import Counter
from pathlib import Path

import pydicom

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from anonymizer import AnonymizerError, RefusedError, anonymize  # noqa: E402

PYDICOM_FILES = Path(pydicom.__file__).parent / "data" / "test_files"
CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "files"


def inputs(paths: list[str]) -> list[Path]:
    roots = [Path(p) for p in paths] or [PYDICOM_FILES] + ([CORPUS] if CORPUS.is_dir() else [])
    files = []
    for root in roots:
        files.extend(sorted(p for p in root.rglob("*") if p.is_file()) if root.is_dir() else [root])
    return files


def _accepts(profile: str, option: str) -> bool:
    from anonymizer import OPTIONS

    return any(o.name == option and profile in o.profiles for o in OPTIONS)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("paths", nargs="*")
    parser.add_argument("--verbose", action="store_true")
    parser.add_argument("--profiles", default="radiopaedia,basic")
    parser.add_argument("--option", action="append", default=[], help="an option, repeatable")
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    files = inputs(args.paths)
    for profile in args.profiles.split(","):
        outcome: Counter = Counter()
        reasons: Counter = Counter()
        started = time.perf_counter()
        for path in files:
            try:
                anonymize(path, profile=profile, options=[o for o in args.option if _accepts(profile, o)])
                outcome["written"] += 1
            except RefusedError as error:
                if any(f.message.startswith("residue check") for f in error.findings):
                    outcome["refused by the residue check"] += 1
                    for f in error.findings:
                        reasons[f.message.split(" in the input")[0] + f" -> at {f.path}"] += 1
                    if args.verbose:
                        print(f"  {profile}: {path.name}: {error}")
                else:
                    outcome["refused by the validator"] += 1
            except AnonymizerError:
                outcome["not DICOM or malformed"] += 1
        elapsed = time.perf_counter() - started
        anonymised = outcome["written"] + outcome["refused by the residue check"]
        rate = outcome["refused by the residue check"] / anonymised if anonymised else 0.0
        print(f"{profile}: {len(files)} files, {dict(outcome)}; residue-check false positives "
              f"{outcome['refused by the residue check']}/{anonymised} = {rate:.1%} ({elapsed:.1f} s)")
        for reason, count in reasons.most_common():
            print(f"    {count} x {reason}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
