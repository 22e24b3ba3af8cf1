"""Coverage-guided fuzzing of ``anonymizer.anonymize`` with atheris (libFuzzer).

    .venv/bin/pip install atheris
    .venv/bin/python fuzz/fuzz_anonymize.py                       # 10 minutes
    .venv/bin/python fuzz/fuzz_anonymize.py -max_total_time=3600   # any libFuzzer option

Seeds are the sample files bundled in the pydicom wheel (up to 256 KiB each), copied at run
time into ``fuzz/corpus/`` (not committed; the corpus grows there between runs). Every input
must end in an output that reads back with nothing found by the residue check, or in
NotDicomError, MalformedDicomError or RefusedError. Anything else is a crash, and a case over
2 seconds a hang: libFuzzer stops and writes the input to ``fuzz/artifacts/``
(``crash-<sha1>``, ``timeout-<sha1>``); replay one with
``.venv/bin/python fuzz/fuzz_anonymize.py fuzz/artifacts/crash-<sha1>``.
Each input is anonymised under radiopaedia or basic (by the parity of its length).
At the end, libFuzzer's last line gives the number of cases run (``Done N runs``).
"""

from __future__ import annotations

import io
import shutil
import sys
import warnings
from pathlib import Path

import atheris

with atheris.instrument_imports():
    import pydicom
    from anonymizer import MalformedDicomError, NotDicomError, RefusedError, anonymize

HERE = Path(__file__).resolve().parent
CORPUS = HERE / "corpus"
ARTIFACTS = HERE / "artifacts"
SEED_LIMIT = 256 << 10
DEFAULTS = ["-max_total_time=600", "-timeout=2", "-rss_limit_mb=3072", "-max_len=262144",
            f"-artifact_prefix={ARTIFACTS}/"]


def seed_corpus() -> None:
    """Copy pydicom's bundled sample files into the corpus, once."""
    CORPUS.mkdir(exist_ok=True)
    if any(CORPUS.iterdir()):
        return
    bundled = Path(pydicom.__file__).parent / "data" / "test_files"
    for index, path in enumerate(sorted(p for p in bundled.rglob("*") if p.is_file())):
        if path.stat().st_size <= SEED_LIMIT:
            shutil.copyfile(path, CORPUS / f"seed-{index:03d}-{path.name}")


def test_one_input(data: bytes) -> None:
    profile = "basic" if len(data) % 2 else "radiopaedia"
    try:
        result = anonymize(data, profile=profile)
        output = result.to_bytes()
    except (NotDicomError, MalformedDicomError, RefusedError) as error:
        if not str(error):
            raise AssertionError(f"{type(error).__name__} without a message")
        return
    if output[128:132] != b"DICM":
        raise AssertionError("the output is not a Part 10 file")
    if result.report()["residue_check"]["found"]:
        raise AssertionError("an output was released with a residue finding")
    pydicom.dcmread(io.BytesIO(output))  # what is written reads back


def main() -> None:
    warnings.simplefilter("ignore")
    ARTIFACTS.mkdir(exist_ok=True)
    arguments = sys.argv[1:]
    replay = any(Path(a).is_file() for a in arguments)
    if not replay:
        seed_corpus()
        given = {a.split("=")[0] for a in arguments if a.startswith("-")}
        arguments = [a for a in DEFAULTS if a.split("=")[0] not in given] + arguments
        if not any(not a.startswith("-") for a in arguments):
            arguments.append(str(CORPUS))
    atheris.Setup([sys.argv[0], *arguments], test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
