"""The command line: ``anonymizer INPUT... -o OUTDIR``.

Inputs are files, folders (walked recursively, in name order) and ZIP archives. Each DICOM file
is anonymised with the same :func:`anonymizer.anonymize` the page uses, and written under
OUTDIR as ``<study>/<series>/<instance>.dcm`` named by the regenerated UIDs, never by input
names. A file that cannot be anonymised safely gets one line on stderr that names it and says
why, and nothing is written for it; the batch goes on.

Files are anonymised by ``--jobs`` worker processes (default: one per core; none for a single
file), given a few files at a time. Each worker reads its file and writes the output to a
temporary file in OUTDIR named by the run and the input's number; the main process names the
outputs (``_unique``), renames them into place and prints, always in input order, so the output
bytes, names and messages are those of ``--jobs 1``. The inputs are listed once, before anything
is written, so an output folder inside an input folder adds no inputs.

Exit status: 0 when every DICOM input was written, 1 when some were refused or unreadable,
2 for usage errors, 130 when interrupted (Ctrl-C).
"""

from __future__ import annotations

import argparse
import gc
import json
import multiprocessing
import os
import re
import secrets
import signal
import sys
import tempfile
import zipfile
import zlib
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator, NamedTuple

from . import __version__
from .custom_policy import load_policy, resolve_settings
from .engine import anonymize
from .errors import AnonymizerError, NotDicomError, RefusedError
from .findings import POSSIBLE_LEAK
from .policy import DEFAULT_PROFILE, OPTIONS, PROFILES
from . import research

SECRET_VARIABLE = "ANONYMIZER_UID_SECRET"
SECRET_VARIABLES = ("ANONYMIZER_SECRET", SECRET_VARIABLE)
"""The project secret, from the first of these that is set (``--secret`` wins)."""
MAX_MEMBER_SIZE = 8 << 30
"""Largest ZIP member the CLI will extract (8 GiB): a guard against ZIP bombs."""
MAX_COMPRESSION_RATIO = 1000
MAX_CHUNK = 8
"""Files a worker is given at once, at most: a quarter of each worker's share of the inputs."""
_UID = r"1\.2\.826\.0\.1\.3680043\.10\.341\.\d+"
EARLIER_OUTPUT = re.compile(rf"({_UID}|unknown-study)/({_UID}|unknown-series)/{_UID}(_\d+)?\.dcm")
"""The name of a file this command wrote into OUTDIR: not an input when OUTDIR is inside an input folder."""


@dataclass
class Outcome:
    input: str
    status: str  # written, refused, unreadable, skipped
    output: str | None = None
    reason: str | None = None
    report: dict | None = None
    warned: bool = False
    """Written with a level-2 warning (counted in the summary line)."""

    def as_dict(self) -> dict:
        """The file's entry in ``--report``."""
        return {k: v for k, v in vars(self).items() if v is not None and k != "warned"}


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    out_dir = Path(args.output)
    inputs = [Path(p) for p in args.inputs]
    for path in inputs:
        if not path.exists():
            parser.error(f"input not found: {path}")
        if path.is_dir() and _inside(out_dir, path) and out_dir.resolve() == path.resolve():
            parser.error(f"the output folder is the input folder {path}: choose another")
    secret = args.uid_secret or next((os.environ[v] for v in SECRET_VARIABLES if os.environ.get(v)), None)
    try:
        custom = load_policy(args.policy) if args.policy else None
        profile, options = resolve_settings(args.profile, args.option or (), custom, args.policy or "")
    except ValueError as error:  # PolicyError included
        parser.error(str(error))
    settings = {"profile": profile, "options": options, "policy": custom}
    try:
        mappings = research.MappingTables.load(args.mapping_dir) if args.mapping_dir else None
        if args.assign_ids:
            mappings = mappings or research.MappingTables()
            mappings.assign(args.assign_ids)
    except (OSError, research.MappingError) as error:
        parser.error(str(error))
    if mappings is not None:
        settings["assigned_ids"] = dict(mappings.patient_ids)
    random_key = profile == research.PROFILE and not secret
    if random_key:
        # one random key for the whole run, made here so every worker uses it
        secret = research.run_key().hex()
        print(f"note: {research.NO_SECRET_NOTE}", file=sys.stderr)
    out_dir.mkdir(parents=True, exist_ok=True)

    outcomes: list[Outcome] = []
    written_paths: set[str] = set()
    files = _input_files(inputs, out_dir)
    input_files = {real for _, real in files}
    jobs = 1 if len(files) == 1 and not _may_be_zip(files[0][0]) else args.jobs
    chunk = max(1, min(MAX_CHUNK, len(files) // (4 * jobs)))
    # what is loaded so far lives as long as the run: the garbage collector need not walk it
    # again for every file (nor touch, in forked workers, the memory pages that hold it); and
    # it runs less often (COLLECTOR_THRESHOLD). Forked workers inherit both.
    gc.freeze()
    thresholds = gc.get_threshold()
    gc.set_threshold(COLLECTOR_THRESHOLD, *thresholds[1:])
    try:
        with tempfile.TemporaryDirectory(prefix="anonymizer-") as scratch:
            work = _Work(out_dir, settings, secret, report=bool(args.report), mapping=mappings is not None)
            for name, done in _run(work, _sources(files, scratch), jobs, chunk, scratch):
                outcome = _finish(name, done, str(out_dir), input_files, written_paths)
                if mappings is not None and outcome.status == "written":
                    outcome = _record_mapping(mappings, outcome, done, out_dir)
                outcomes.append(outcome)
                if outcome.status != "written" and not args.quiet or outcome.status == "written" and args.verbose:
                    print(_line(outcome), file=sys.stderr)
    except KeyboardInterrupt:
        print(f"interrupted: {len(outcomes)} file(s) done; output in {out_dir}", file=sys.stderr)
        return 130
    finally:
        gc.unfreeze()
        gc.set_threshold(*thresholds)

    if mappings is not None and args.mapping_dir:
        mappings.write(args.mapping_dir)
    if args.report:
        with open(args.report, "w", encoding="utf-8") as handle:
            json.dump(
                {"anonymizer": __version__, "profile": profile, "options": list(options),
                 **({"key": research.NO_SECRET_NOTE} if random_key else {}),
                 "policy": custom.name if custom else None, "files": [o.as_dict() for o in outcomes]},
                handle, indent=1, ensure_ascii=False,
            )
    counts = {s: sum(1 for o in outcomes if o.status == s) for s in ("written", "refused", "unreadable", "skipped")}
    with_warnings = sum(1 for o in outcomes if o.status == "written" and o.warned)
    print(
        f"anonymised {counts['written']} file(s) ({with_warnings} with level-2 warnings), "
        f"refused {counts['refused']}, unreadable {counts['unreadable']}, "
        f"skipped {counts['skipped']} not DICOM; output in {out_dir}",
        file=sys.stderr,
    )
    return 1 if counts["refused"] or counts["unreadable"] else 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="anonymizer",
        description="Anonymise DICOM files, folders and ZIP archives. Output files are named "
        "<study>/<series>/<instance>.dcm after the regenerated UIDs.",
    )
    parser.add_argument("inputs", nargs="+", metavar="INPUT", help="DICOM files, folders or ZIP archives")
    parser.add_argument("-o", "--output", required=True, metavar="OUTDIR", help="folder for the anonymised files")
    parser.add_argument("--profile", choices=PROFILES,
                        help=f"policy to apply (default: the policy file's, else {DEFAULT_PROFILE})")
    parser.add_argument(
        "--option", action="append", metavar="NAME", choices=[option.name for option in OPTIONS],
        help="an option of the standard's Basic Profile, repeatable: " + "; ".join(
            f"{option.name} ({'/'.join(option.profiles)})" for option in OPTIONS),
    )
    parser.add_argument("--policy", metavar="FILE.json",
                        help="a custom policy file that extends or overrides the profile (see README)")
    parser.add_argument(
        "--secret", "--uid-secret", dest="uid_secret", metavar="SECRET",
        help="the project secret: keys (HMAC-SHA-512) the regenerated UIDs, date offsets, AE title and "
        f"patient pseudonyms, so batches link (or set {' or '.join(SECRET_VARIABLES)}); without it these are "
        "plain hashes, and the tcia profile uses a random key for the run",
    )
    parser.add_argument("--mapping-dir", metavar="DIR",
                        help="write uid_mapping.csv and patid_mapping.csv (id_old,id_new) here; an existing "
                        "mapping in DIR is loaded and continued")
    parser.add_argument("--assign-ids", metavar="FILE.csv",
                        help="pre-assigned IDs: original Patient ID,trial ID per row (tcia profile)")
    parser.add_argument("--report", metavar="FILE.json", help="write every file's before/after report to this JSON file")
    parser.add_argument("-j", "--jobs", type=_positive, default=os.cpu_count() or 1, metavar="N",
                        help="worker processes (default: one per core, %(default)s here)")
    parser.add_argument("-q", "--quiet", action="store_true", help="print only the summary line")
    parser.add_argument("-v", "--verbose", action="store_true", help="also print a line per written file")
    parser.add_argument("--version", action="version", version=f"anonymizer {__version__}")
    return parser


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of processes (1 or more)")
    return int(text)


class _Done(NamedTuple):
    """What a worker did with one file: ``status`` "partial" means written to its temporary
    file (``_Work.partial``), to be renamed to ``relative`` by the main process. Only what the
    main process needs travels back: the report and the mappings when asked for."""

    status: str
    reason: str | None = None
    relative: str | None = None
    partial: str | None = None
    warned: bool = False
    report: dict | None = None
    uid_mapping: dict | None = None
    patient_id_mapping: dict | None = None


@dataclass
class _Work:
    """What is done to every file, the same in the main process and in the workers."""

    out_dir: Path
    settings: dict
    secret: str | None
    report: bool = False
    """Return each file's report (``--report``)."""
    mapping: bool = False
    """Return each file's UID and Patient ID mappings (``--mapping-dir``, ``--assign-ids``)."""
    run: str = field(default_factory=lambda: secrets.token_hex(8))
    """Names this run's temporary files."""
    folders: set = field(default_factory=set, repr=False)
    """Output folders this process made already."""

    def partial(self, number: int) -> str:
        """The temporary file of the ``number``-th input, in OUTDIR: the main process knows it
        without being told, so it can delete it whatever happened to the worker."""
        return os.path.join(self.out_dir, f".partial-{self.run}-{number}")

    def __call__(self, path: str, number: int) -> _Done:
        """Anonymise one file and write it to its temporary file; make its output folder."""
        try:
            source = open(path, "rb")  # once, to read the header and to copy the pixel data
        except Exception as error:
            return _Done("unreadable", _internal_error(error))
        with source:
            try:
                result = anonymize(source, uid_secret=self.secret, **self.settings)
            except NotDicomError as error:
                return _Done("skipped", f"not DICOM: {error}")
            except RefusedError as error:
                return _Done("refused", str(error))
            except AnonymizerError as error:
                return _Done("unreadable", str(error))
            except Exception as error:  # a bug must not stop the batch; it is reported as such
                return _Done("unreadable", _internal_error(error))
            folder = os.path.join(self.out_dir, result.relative_path.rpartition("/")[0])
            if folder not in self.folders:
                os.makedirs(folder, exist_ok=True)
                self.folders.add(folder)
            partial = self.partial(number)
            try:
                # truncated, not exclusive: a file redone after a worker died overwrites its first try
                with open(os.open(partial, _PARTIAL_FLAGS, 0o600), "wb") as handle:
                    result.write_to(handle)
            except BaseException as error:
                os.unlink(partial)
                if not isinstance(error, Exception):
                    raise
                return _Done("unreadable", f"could not be written: {error}")
        return _Done(
            "partial", None, result.relative_path, partial, any(w.level <= POSSIBLE_LEAK for w in result.warnings),
            result.report() if self.report else None,
            *((result.uid_mapping, result.patient_id_mapping) if self.mapping else ()),
        )


def _internal_error(error: Exception) -> str:
    return f"internal error {type(error).__name__}: {error}"


_PARTIAL_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)


@dataclass
class _File:
    """A source on its way through the workers."""

    name: str
    path: str | None
    problem: str | None
    """Why it is refused unread (then it goes to no worker)."""
    number: int
    task: Future | None = None
    """The task it was sent with (None: not sent yet)."""
    index: int = 0
    """Its place in its task's list of files."""
    done: _Done | None = None
    """Its outcome, when it was redone alone after a worker died."""


def _run(work: _Work, sources, jobs: int, chunk: int, scratch: str) -> Iterator[tuple[str, _Done]]:
    """(name, what ``work`` did) for every source, in input order, ``jobs`` files at once, sent
    to the workers ``chunk`` files a task. A source refused unread passes through; an extracted
    ZIP member is deleted once done. Ctrl-C or an error: the workers finish their task, then
    every temporary file is deleted, that of the file the main process was naming included."""
    if jobs == 1:
        number = None
        try:
            for number, (name, path, problem) in enumerate(sources):
                yield name, _Done("refused", problem) if problem else work(path, number)
                _forget_member(path, scratch)
        except BaseException:
            if number is not None:
                Path(work.partial(number)).unlink(missing_ok=True)
            raise
        return
    workers = _Workers(work, jobs, chunk)
    handed: _File | None = None  # the file whose outcome the main process was given last
    try:
        for number, (name, path, problem) in enumerate(sources):
            workers.add(_File(name, path, problem, number))
            while workers.ready():
                handed, done = workers.next()
                _forget_member(handed.path, scratch)
                yield handed.name, done
        while workers.pending:
            handed, done = workers.next()
            _forget_member(handed.path, scratch)
            yield handed.name, done
    except BaseException:
        workers.executor.shutdown(cancel_futures=True)
        for file in [handed, *workers.pending] if handed else workers.pending:
            if file.problem is None:
                Path(work.partial(file.number)).unlink(missing_ok=True)
            _forget_member(file.path, scratch)
        raise
    workers.executor.shutdown()


class _Workers:
    """Worker processes, the files sent to them in tasks of ``chunk`` files (one task per file
    costs the main process more than opening, renaming and naming the file), and the files
    whose outcome the main process has not taken yet, in input order."""

    def __init__(self, work: _Work, jobs: int, chunk: int):
        self.work, self.jobs, self.chunk = work, jobs, chunk
        self.executor = _executor(jobs, work)
        self.pending: deque[_File] = deque()
        self.unsent: list[_File] = []

    def add(self, file: _File) -> None:
        self.pending.append(file)
        if file.problem is None:
            self._queue(file)

    def ready(self) -> bool:
        """Whether the first pending file's outcome is to be taken now: it is there, or enough
        files are under way to keep every worker busy."""
        if not self.pending:
            return False
        first = self.pending[0]
        return (len(self.pending) > 2 * self.jobs * self.chunk or first.problem is not None
                or first.task is not None and first.task.done())

    def next(self) -> tuple[_File, _Done]:
        """The first pending file and its outcome, waited for (the file stays pending until
        then: interrupted, its temporary file is deleted with the others)."""
        file = self.pending[0]
        if file.problem is not None:
            done = _Done("refused", file.problem)
        elif file.done is not None:
            done = file.done
        else:
            if file.task is None:
                self._send()
            try:
                done = file.task.result()[file.index]
            except BrokenProcessPool:
                self.executor.shutdown(cancel_futures=True)
                lost = [other for other in self.pending if other.task is not None and other.done is None
                        and (other.task.cancelled() or other.task.exception() is not None)]
                self._redo_alone(lost)
                done = file.done
        self.pending.popleft()
        return file, done

    def _queue(self, file: _File) -> None:
        self.unsent.append(file)
        if len(self.unsent) == self.chunk:
            self._send()

    def _send(self) -> None:
        if self.unsent:
            task = self.executor.submit(_work_on, [(file.path, file.number) for file in self.unsent])
            for index, file in enumerate(self.unsent):
                file.task, file.index = task, index
            self.unsent = []

    def _redo_alone(self, files: list[_File]) -> None:
        """After a worker died: each file it may have been working on, redone by a worker of
        its own, one at a time, so that the file that kills its worker is the one reported."""
        for file in files:
            self.executor = _executor(self.jobs, self.work)
            try:
                file.done = self.executor.submit(_work_on, [(file.path, file.number)]).result()[0]
            except BrokenProcessPool:
                Path(self.work.partial(file.number)).unlink(missing_ok=True)
                file.done = _Done("unreadable", "the worker process anonymising it died (out of memory?)")
            self.executor.shutdown()
        self.executor = _executor(self.jobs, self.work)


def _executor(jobs: int, work: _Work) -> ProcessPoolExecutor:
    """Worker processes that hold ``work`` (given once, not with every task) and leave Ctrl-C
    to the main process. Forked where the system can: the engine, imported here, is not
    imported again."""
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    return ProcessPoolExecutor(jobs, context, initializer=_start_worker, initargs=(work,))


COLLECTOR_THRESHOLD = 10_000
"""Allocations between two collections of the garbage collector's youngest generation during
a run (Python 3.11's default is 700): a file's elements are many short-lived objects, rarely in
cycles, and a fifth of the time of a 100,000-element header went to collections. (Under
Pyodide's Python 3.14 and its other collector the page gains nothing from it.)"""

_worker_work: _Work | None = None
"""What a worker process does to each file it is given (set by ``_start_worker``)."""


def _start_worker(work: _Work) -> None:
    global _worker_work
    _worker_work = work
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _work_on(files: list[tuple[str, int]]) -> list[_Done]:
    return [_worker_work(path, number) for path, number in files]


def _finish(name: str, done: _Done, out_dir: str, input_files, written_paths: set[str]) -> Outcome:
    """Give a file anonymised by ``_Work`` its output name, in input order."""
    if done.status != "partial":
        return Outcome(name, done.status, reason=done.reason)
    relative = _unique(done.relative, written_paths)
    target = os.path.join(out_dir, relative)
    if os.path.lexists(target) and _is_input(target, input_files):
        os.unlink(done.partial)
        return Outcome(name, "refused", reason=f"the output {target} would overwrite an input")
    try:
        os.replace(done.partial, target)
    except OSError as error:
        os.unlink(done.partial)
        return Outcome(name, "unreadable", reason=f"could not be written: {error}")
    written_paths.add(relative)
    return Outcome(name, "written", output=relative, report=done.report, warned=done.warned)


def _record_mapping(mappings, outcome: Outcome, done: _Done, out_dir: Path) -> Outcome:
    """Add a written file's UIDs and Patient ID to the mapping tables, in input order; a file
    whose mapping contradicts a row (an earlier batch with another secret) is refused and its
    output deleted."""
    try:
        mappings.add(done.uid_mapping or {}, done.patient_id_mapping or {}, outcome.input)
    except research.MappingError as error:
        (out_dir / outcome.output).unlink(missing_ok=True)
        return Outcome(outcome.input, "refused", reason=f"mapping conflict: {error}")
    return outcome


def _unique(relative: str, taken: set[str]) -> str:
    """Two inputs with the same SOP Instance UID must not overwrite each other."""
    if relative not in taken:
        return relative
    stem = relative[: -len(".dcm")]
    number = 2
    while f"{stem}_{number}.dcm" in taken:
        number += 1
    return f"{stem}_{number}.dcm"


def _line(outcome: Outcome) -> str:
    if outcome.status == "written":
        return f"written: {outcome.input} -> {outcome.output}"
    return f"{outcome.status}: {outcome.input}: {outcome.reason}"


def _inside(child: Path, parent: Path) -> bool:
    try:
        child.resolve().relative_to(parent.resolve())
        return True
    except ValueError:
        return False


def _walk(inputs: list[Path]) -> Iterator[tuple[str, str]]:
    """Every file under ``inputs``, in name order: its path as ``str(Path)`` gives it, and its
    real path (a folder's resolved once, not each of its files')."""
    for path in inputs:
        if path.is_dir():
            for root, dirs, files in os.walk(path):
                dirs.sort()
                prefix = str(Path(root) / "_")[:-1]  # what a file's Path in root starts with
                real_root = os.path.realpath(root)
                for name in sorted(files):
                    file = prefix + name
                    yield file, os.path.realpath(file) if os.path.islink(file) else os.path.join(real_root, name)
        else:
            yield str(path), os.path.realpath(path)


def _input_files(inputs: list[Path], out_dir: Path) -> list[tuple[str, str]]:
    """Every file under ``inputs``, in name order, with its real path; files this command
    wrote into OUTDIR earlier are not inputs."""
    out_real = os.path.join(os.path.realpath(out_dir), "")
    files = []
    for path, real in _walk(inputs):
        if real.startswith(out_real) and EARLIER_OUTPUT.fullmatch(real[len(out_real):].replace(os.sep, "/")):
            continue
        files.append((path, real))
    return files


def _is_input(target: Path, input_files: set[str]) -> bool:
    """Whether ``target``, which exists, is one of the input files (by real path)."""
    real = os.path.realpath(target)
    return real in input_files and os.path.isfile(real)


def _sources(files: list[tuple[str, str]], scratch: str) -> Iterator[tuple[str, str | None, str | None]]:
    """Every file to process, as (name to show, path, why it is refused unread); ZIP members
    are extracted one at a time into ``scratch``."""
    for path, _ in files:
        if _is_zip(path):
            yield from _zip_members(path, scratch)
        else:
            yield path, path, None


def _is_zip(path: str) -> bool:
    with open(path, "rb", buffering=0) as handle:
        head = handle.read(132)
    return head[128:132] != b"DICM" and head[:4] == b"PK\x03\x04" and zipfile.is_zipfile(path)


def _may_be_zip(path: str) -> bool:
    """``_is_zip``, but true when ``path`` cannot be read (``_sources`` says why, later)."""
    try:
        return _is_zip(path)
    except OSError:
        return True


def _zip_members(path: str, scratch: str) -> Iterator[tuple[str, str | None, str | None]]:
    """The members of a ZIP archive, each extracted to its own file in ``scratch`` (deleted by
    ``_forget_member`` once it has been anonymised)."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, NotImplementedError, ValueError, EOFError) as error:
        yield path, None, f"the archive cannot be read: {error}"
        return
    with archive:
        for info in archive.infolist():
            if info.is_dir():
                continue
            name = f"{path}:{info.filename}"
            problem = _unsafe_member(info)
            if problem:
                yield name, None, problem
                continue
            handle, member = tempfile.mkstemp(dir=scratch, prefix=_MEMBER)
            os.close(handle)
            try:
                with archive.open(info) as source, open(member, "wb") as target:
                    copied = _bounded_copy(source, target, info.file_size)
            except (zipfile.BadZipFile, zlib.error, RuntimeError, NotImplementedError, EOFError, ValueError) as error:
                os.unlink(member)  # a lying or broken member (bad CRC, corrupt stream, encrypted ...)
                yield name, None, f"the member cannot be extracted: {error}"
                continue
            if copied is None:
                os.unlink(member)
                yield name, None, "the member is larger than its header says"
                continue
            yield name, member, None


_MEMBER = "zip-member-"


def _forget_member(path: str | None, scratch: str) -> None:
    """Delete a ZIP member extracted by ``_zip_members`` into ``scratch`` (never an input file)."""
    if path is not None and os.path.dirname(path) == scratch:
        Path(path).unlink(missing_ok=True)


def _unsafe_member(info: zipfile.ZipInfo) -> str | None:
    parts = info.filename.replace("\\", "/").split("/")
    if info.filename.startswith("/") or ".." in parts:
        return "the member name points outside the archive"
    if info.file_size > MAX_MEMBER_SIZE:
        return f"the member would extract to {info.file_size} bytes, more than the {MAX_MEMBER_SIZE} allowed"
    if info.compress_size and info.file_size / info.compress_size > MAX_COMPRESSION_RATIO and info.file_size > 1 << 20:
        return "the member is compressed more than 1000:1, like a ZIP bomb"
    return None


def _bounded_copy(source, target, limit: int) -> int | None:
    copied = 0
    while chunk := source.read(1 << 20):
        copied += len(chunk)
        if copied > limit:
            return None
        target.write(chunk)
    return copied


if __name__ == "__main__":
    sys.exit(main())
