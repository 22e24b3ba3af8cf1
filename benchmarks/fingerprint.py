"""Fingerprint of the engine's outputs, to prove a speed-up changed nothing.

    .venv/bin/python benchmarks/fingerprint.py --save REF.json      # record (before a change)
    .venv/bin/python benchmarks/fingerprint.py --compare REF.json   # check (after it)

Runs the public ``anonymize()`` over pydicom's bundled test files, the public samples of
/work/shared/corpus/files (when present; own checks only, never in tests), the first 50
slices of benchmarks/data/series-100 and the 100,000-element header of the hostile-input tests, under the profiles radiopaedia, basic, basic with every
option of ``anonymizer.policy.OPTIONS`` (twice: dates kept, dates shifted, the two options
exclude each other) and tcia with a secret. Per input and profile it records
the SHA-256 of ``to_bytes()`` and of the JSON report (``sort_keys=True``), or the exception's
type and message. ``--compare`` lists every difference and exits 1 if there is one.
"""

import argparse
import hashlib
import json
import struct
import sys
from pathlib import Path

from pydicom.data import get_testdata_files

from anonymizer import anonymize
from anonymizer.policy import OPTIONS

HERE = Path(__file__).resolve().parent
CORPUS = Path("/work/shared/corpus/files")
_BASIC_OPTIONS = tuple(o.name for o in OPTIONS if "basic" in o.profiles)
_SHIFTED = "retain-longitudinal-modified-dates"  # excludes retain-longitudinal-full-dates
SETTINGS = {
    "radiopaedia": dict(profile="radiopaedia"),
    "basic": dict(profile="basic"),
    "basic+options": dict(profile="basic", options=tuple(o for o in _BASIC_OPTIONS if o != _SHIFTED)),
    "basic+options, dates shifted": dict(
        profile="basic", options=tuple(o for o in _BASIC_OPTIONS if not o.startswith("retain-longitudinal-full"))),
    "tcia": dict(profile="tcia", uid_secret="s"),
}


def inputs() -> list[tuple[str, str]]:
    """(label, path) of every input, in a stable order."""
    found = [(f"pydicom:{Path(p).name}", p) for p in sorted(get_testdata_files()) if Path(p).is_file()]
    if CORPUS.is_dir():
        found += [(f"corpus:{p.name}", str(p)) for p in sorted(CORPUS.iterdir()) if p.is_file()]
    series = sorted((HERE / "data" / "series-100").glob("*.dcm"))[:50]
    found += [(f"series:{p.name}", str(p)) for p in series]
    found.append(("hostile:100,000 elements", hundred_thousand_elements()))
    return found


def hundred_thousand_elements() -> bytes:
    """The header of 100,000 private elements of tests/test_hostile_inputs.py."""
    sys.path.insert(0, str(HERE.parent / "tests"))
    from test_hostile_inputs import BASE, element

    elements = b"".join(struct.pack("<HH2sH", 0x0029 + 2 * (i // 0xEFFF), 0x1000 + i % 0xEFFF, b"LO", 4)
                        + b"V%03d" % (i % 1000) for i in range(100_000))
    return BASE + element(0x0029, 0x0010, b"LO", b"FAKE CREATOR") + elements


def fingerprint(path: str | bytes, settings: dict) -> str:
    try:
        result = anonymize(path, **settings)
        output = hashlib.sha256(result.to_bytes()).hexdigest()
        report = hashlib.sha256(json.dumps(result.report(), sort_keys=True).encode()).hexdigest()
        return f"{output} {report}"
    except Exception as error:  # the exception is part of the behaviour fingerprinted
        return f"{type(error).__name__}: {error}"


def run() -> dict[str, str]:
    prints = {}
    for label, path in inputs():
        for name, settings in SETTINGS.items():
            prints[f"{label} | {name}"] = fingerprint(path, settings)
    return prints


def main():
    parser = argparse.ArgumentParser()
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--save")
    group.add_argument("--compare")
    args = parser.parse_args()
    prints = run()
    if args.save:
        Path(args.save).write_text(json.dumps(prints, indent=1, sort_keys=True))
        print(f"{len(prints)} fingerprints saved to {args.save}")
        return
    reference = json.loads(Path(args.compare).read_text())
    differences = [key for key in sorted(set(prints) | set(reference)) if prints.get(key) != reference.get(key)]
    for key in differences:
        print(f"{key}\n  was: {reference.get(key)}\n  now: {prints.get(key)}")
    print(f"{len(prints)} fingerprints, {len(differences)} differences")
    sys.exit(1 if differences else 0)


if __name__ == "__main__":
    main()
