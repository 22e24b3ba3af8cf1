"""The Python side of the page's worker: runs `anonymizer.anonymize()` on a JS Blob.

worker.js runs this file once, after pydicom and the anonymizer wheels are installed, then
calls the functions below. A Blob (or File) is read through `BlobFile`, a raw binary file
whose reads are `FileReaderSync` reads of `blob.slice(a, b)`, so Python sees only the bytes
the engine asks for (the header); the pixel data stays in the Blob, and the output Blob is
built from the engine's segments: new header bytes and slices of the input Blob.

The settings (profile, options, custom policy, pre-assigned IDs) are checked here exactly as
the command line checks them (`anonymizer.cli.main`), with the same messages, so that the page
and the command line accept, refuse and write the same things. They are checked once per
batch (`prepare`), not once per file.
"""

import gc
import io
import json
import os
import tempfile
import traceback
from pathlib import Path

import anonymizer
from anonymizer import AnonymizerError, MalformedDicomError, NotDicomError, RefusedError, anonymize
from anonymizer import research
from anonymizer.custom_policy import parse_policy, resolve_settings
from anonymizer.findings import POSSIBLE_LEAK, Finding
from anonymizer.policy import OPTIONS, PROFILES

READ_BUFFER = 64 * 1024
"""Bytes asked of the Blob at a time: a typical header is read in one go. Each read costs a
`blob.slice()` (about half a millisecond in Chromium, whatever its size) plus the copy, so a
larger buffer mostly reads pixel data for nothing."""

BATCH_KEY_NOTE = (
    "no secret was given: UIDs, patient pseudonyms and date shifts come from a random key made "
    "for this batch, so other batches will not link to this one; give the project secret to "
    "every batch"
)


class BlobFile(io.RawIOBase):
    """A seekable, read-only raw file over a JS Blob. `read_range(blob, start, stop)` is a JS
    function returning a Uint8Array of those bytes (FileReaderSync under the hood), or of the
    first of them, at least one."""

    name = "<browser file>"  # the input's own name is never given to the engine

    def __init__(self, blob, read_range):
        super().__init__()
        self._blob = blob
        self._read_range = read_range
        self._size = int(blob.size)
        self._pos = 0
        self.bytes_read = 0

    def readable(self):
        return True

    def seekable(self):
        return True

    def tell(self):
        return self._pos

    def seek(self, offset, whence=io.SEEK_SET):
        if whence == io.SEEK_SET:
            pos = offset
        elif whence == io.SEEK_CUR:
            pos = self._pos + offset
        elif whence == io.SEEK_END:
            pos = self._size + offset
        else:
            raise ValueError(f"invalid whence {whence}")
        if pos < 0:
            raise OSError("negative seek position")
        self._pos = pos
        return pos

    def readinto(self, buffer):
        view = memoryview(buffer).cast("B")
        n = min(len(view), self._size - self._pos)
        if n <= 0:
            return 0
        chunk = self._read_range(self._blob, self._pos, self._pos + n)
        n = chunk.length  # fewer bytes when served from the head the page read ahead
        chunk.assign_to(view[:n])
        self._pos += n
        self.bytes_read += n
        return n


class SettingsError(ValueError):
    """The profile, options or custom policy cannot be used (nothing is read)."""


_POLICIES = {}  # (text, name) -> CustomPolicy: a policy is parsed once per worker


def _policy(text, name):
    key = (text, name)
    if key not in _POLICIES:
        if len(_POLICIES) > 8:
            _POLICIES.clear()
        _POLICIES[key] = parse_policy(text, default_name=name or "custom")
    return _POLICIES[key]


def _settings(profile, options_json, policy_text, policy_name):
    """(profile, options, custom policy) checked as the command line checks them."""
    try:
        options = json.loads(options_json or "[]")
        if not isinstance(options, list) or not all(isinstance(o, str) for o in options):
            raise SettingsError("options must be a list of option names")
        custom = _policy(policy_text, policy_name) if policy_text else None
        profile, chosen = resolve_settings(profile or None, options, custom, policy_name)
    except SettingsError:
        raise
    except (ValueError, TypeError) as error:  # PolicyError included
        raise SettingsError(str(error)) from None
    return profile, chosen, custom


class Prepared:
    """Settings checked once, for every file of a batch: `error` is the JSON of the reason
    ("" when they can be used)."""

    def __init__(self, error="", profile=None, options=(), custom=None, secret=None, batch_key=False,
                 assigned=None):
        self.error = error
        self.profile = profile
        self.options = options
        self.custom = custom
        self.secret = secret
        self.batch_key = batch_key
        self.assigned = assigned


def prepare(profile, options_json, policy_text, policy_name, uid_secret, batch_key, assigned_json):
    """The settings of a batch, checked (a `Prepared`). `batch_key` is the random key anonymizer.js
    made for this batch, used when no secret is given by profiles that need a key (tcia);
    `assigned_json` the pre-assigned IDs, [[original Patient ID, trial ID], ...]."""
    try:
        profile, chosen, custom = _settings(profile, options_json, policy_text, policy_name)
        assigned = _assigned(json.loads(assigned_json or "[]"))
    except SettingsError as error:
        return Prepared(_error("settings", error))
    keyed_by_batch = not uid_secret and bool(batch_key) and profile == research.PROFILE
    secret = uid_secret or (batch_key if keyed_by_batch else "")
    return Prepared("", profile, chosen, custom, secret or None, keyed_by_batch, assigned)


def _assigned(pairs):
    """Pre-assigned IDs given as [[original, trial ID], ...], checked as --assign-ids checks its
    rows (an original mapped to two IDs is refused, naming the pair); None for none."""
    tables = research.MappingTables()
    for number, pair in enumerate(pairs, start=1):
        where = f"pre-assigned ID {number} {pair!r}"
        if not (isinstance(pair, list) and len(pair) == 2 and all(isinstance(v, str) and v.strip() for v in pair)):
            raise SettingsError(f"{where}: expected two values, old and new")
        try:
            tables.add({}, {pair[0].strip(): pair[1].strip()}, where)
        except research.MappingError as error:
            raise SettingsError(str(error)) from None
    return tables.patient_ids or None


def read_assigned_ids(text, name):
    """Pre-assigned IDs from the text of a CSV file, read as the command line's --assign-ids
    reads it (`research.MappingTables.assign`): {ok, pairs} or {ok: false, kind: "settings",
    reason} naming the file and the row, e.g. "ids.csv, row 3 ['X']: expected two values, old
    and new"."""
    base = Path(name or "").name or "assigned-ids.csv"
    here = os.getcwd()
    with tempfile.TemporaryDirectory() as folder:
        os.chdir(folder)  # so that the messages name the file as the user knows it
        try:
            Path(base).write_text(text, encoding="utf-8")
            tables = research.MappingTables()
            tables.assign(Path(base))
        except (research.MappingError, OSError, UnicodeError, ValueError) as error:
            return _error("settings", error)
        finally:
            os.chdir(here)
    return json.dumps({"ok": True, "pairs": list(tables.patient_ids.items())})


def _findings(error):
    out = []
    for finding in getattr(error, "findings", None) or []:
        if isinstance(finding, dict):
            out.append({k: finding.get(k) for k in ("level", "path", "message")})
        else:
            out.append({
                "level": getattr(finding, "level", None),
                "path": getattr(finding, "path", None),
                "message": getattr(finding, "message", str(finding)),
            })
    return out


def _error(kind, error):
    return json.dumps({"ok": False, "kind": kind, "reason": str(error) or type(error).__name__,
                       "findings": _findings(error)})


def profiles():
    return json.dumps(list(PROFILES))


def options():
    """Every option of `anonymizer.OPTIONS`: name, description, the profiles that accept it."""
    return json.dumps([
        {"name": o.name, "description": o.description, "profiles": list(o.profiles),
         "code": o.code.value}
        for o in OPTIONS
    ])


def versions():
    import sys

    import pydicom

    return json.dumps({
        "anonymizer": getattr(anonymizer, "__version__", None),
        "pydicom": pydicom.__version__,
        "python": sys.version.split()[0],
    })


def check(profile, options_json, policy_text, policy_name, assigned_json="[]"):
    """The settings, checked: {ok, profile, options, policy} or {ok: false, kind: "settings", reason}."""
    try:
        profile, chosen, custom = _settings(profile, options_json, policy_text, policy_name)
        _assigned(json.loads(assigned_json or "[]"))
    except SettingsError as error:
        return _error("settings", error)
    described = None
    if custom is not None:
        described = {"name": custom.name, "profile": custom.profile, "options": list(custom.options),
                     "description": custom.description, "rules": len(custom.rules)}
    return json.dumps({"ok": True, "profile": profile, "options": list(chosen), "policy": described})


def _tag_number(text):
    try:
        return int(text[1:5] + text[6:10], 16) if len(text) == 11 and text[0] == "(" else None
    except ValueError:
        return None


def rules(profile, options_json="[]", policy_text="", policy_name=""):
    """The rule table the page shows: `rule_table(profile, options)`, with the rules of a
    custom policy over it (a rule for a tag replaces that tag's row, a range replaces the rows
    it covers; ranges and private-creator rules are listed first)."""
    from anonymizer.policy import rule_table

    try:
        profile, chosen, custom = _settings(profile, options_json, policy_text, policy_name)
    except SettingsError as error:
        return _error("settings", error)
    table = rule_table(profile, chosen)
    if custom is not None:
        label = f"Custom policy {custom.name}"

        def row_of(rule, name=""):
            return {"tag": rule.tag, "keyword": rule.keyword, "name": name, "action": rule.action,
                    "value": rule.value, "reason": rule.reason, "free_text": False, "module": label,
                    "exceptions": [], "custom": custom.name}

        by_tag = {item.tag: item for item in custom.rules if item.tag is not None}
        ranges = [item for item in custom.rules if item.start is not None]
        seen = set()
        for index, row in enumerate(table):
            number = _tag_number(row["tag"])
            item = by_tag.get(number)
            if item is None and number is not None:
                item = next((r for r in ranges if r.start <= number <= r.stop), None)
            if item is not None:
                seen.add(number)
                table[index] = dict(row_of(item.rule, row.get("name", "")), tag=row["tag"],
                                    keyword=row.get("keyword", ""))
        extra = [row_of(item.rule) for item in custom.rules if item.tag is None]
        extra += [row_of(item.rule, _name(item.tag)) for item in custom.rules
                  if item.tag is not None and item.tag not in seen]
        table = extra + table
    return json.dumps({"ok": True, "rules": table}, default=str)


def _name(tag):
    from pydicom.datadict import dictionary_description

    try:
        return dictionary_description(tag)
    except KeyError:
        return ""


def _summary(warnings):
    """The counts of `report()["summary"]` that need no report rows: the findings by level."""
    counts = {"findings": len(warnings)}
    for level in (1, 2, 3):
        counts[f"level{level}"] = sum(1 for f in warnings if f.level == level)
    return counts


def run(blob, read_range, prepared, with_rows):
    """Anonymise `blob` with the `prepared` settings. Returns (the outcome's JSON, the bytes of
    the output's new parts). The JSON's "parts" lists the output Blob's parts in order: ["new",
    start, stop] is a piece of those bytes, ["input", start, stop] a slice of `blob`. Its report
    is `Result.report()` when `with_rows`, else the same without "rows" (and a summary of the
    findings only): building the rows costs as much as a tenth of the anonymisation, and a
    batch shows them for the one file a person opens."""
    if prepared.error:
        return prepared.error, b""
    raw = BlobFile(blob, read_range)
    source = io.BufferedReader(raw, buffer_size=READ_BUFFER)
    try:
        result = anonymize(source, profile=prepared.profile, options=prepared.options, policy=prepared.custom,
                           uid_secret=prepared.secret, assigned_ids=prepared.assigned)
    except RefusedError as e:
        return _error("refused", e), b""
    except NotDicomError as e:
        return _error("not-dicom", e), b""
    except MalformedDicomError as e:
        return _error("malformed", e), b""
    except AnonymizerError as e:
        return _error("error", e), b""
    except RecursionError as e:
        return _error("malformed", f"the file is nested too deeply to read ({e})"), b""
    except MemoryError as e:
        return _error("error", f"out of memory: {e}"), b""
    except Exception as e:  # an engine bug: say so, and keep the worker alive
        detail = "".join(traceback.format_exception_only(type(e), e)).strip()
        return _error("error", f"internal error: {detail}"), b""

    if prepared.batch_key:
        result.warnings.append(Finding(POSSIBLE_LEAK, "", BATCH_KEY_NOTE))
    parts, new = [], []
    offset = 0
    for segment in result.segments:
        if isinstance(segment, (bytes, bytearray, memoryview)):
            parts.append(("new", offset, offset + len(segment)))
            new.append(segment)
            offset += len(segment)
        else:
            parts.append(("input", int(segment[0]), int(segment[1])))
    if with_rows:
        report = result.report()
    else:
        report = {
            "path": result.relative_path,
            "sop_class_uid": result.sop_class_uid,
            "sop_class_name": result.sop_class_name,
            "profile": result.profile,
            "warnings": [finding.as_dict() for finding in result.warnings],
            "summary": _summary(result.warnings),
            "residue_check": result.residue_check,
        }
    outcome = json.dumps({
        "ok": True,
        "name": result.relative_path,
        "parts": parts,
        "report": report,
        "uid_mapping": list(result.uid_mapping.items()),
        "patient_id_mapping": list(result.patient_id_mapping.items()),
        "header_bytes_read": raw.bytes_read,
    }, default=str)
    return outcome, b"".join(new)


def memory_figures():
    """Test-only (worker.js answers it only when started with ?test-faults=1): Python's live
    objects by type, and their sizes, to show that they do not grow with the number of files a
    worker has done.

    The bounded caches (functools caches with a maxsize, and the capped dicts and sets
    `engine._CONVERTED`, `engine._FIXED`, `engine._DECIDED`, `engine._CLASS_POLICIES`, `reader._CONVERTED_VALUES`,
    `reader._STRUCTURES_CHECKED`, `reader._HEADER_LAYOUTS`, `elements._LAYOUTS`,
    `research._PATIENT_POLICIES`, `residue._CONSTANTS`, `residue._SERIES_SEEN`, `validator._VERDICTS`,
    `_POLICIES`) are emptied first,
    their sizes reported: they grow with the distinct values seen up to their bound, by design.
    Anything else that grew would be a leak: the objects the collector tracks, by number, and
    by size (a dict that keeps a value per file grows in size, not in number; the strings it
    holds are not tracked). Unbounded caches (keyed by what the tables hold, not by input
    values) are left as they are. The objects frozen at start-up are counted too (unfrozen for
    the count, frozen again after it)."""
    import sys
    from collections import Counter

    from anonymizer import elements, engine, reader, research, residue, validator

    cached = {}
    for name, table in (("engine._CONVERTED", engine._CONVERTED), ("engine._FIXED", engine._FIXED),
                        ("engine._DECIDED", engine._DECIDED),
                        ("engine._CLASS_POLICIES", engine._CLASS_POLICIES),
                        ("reader._CONVERTED_VALUES", reader._CONVERTED_VALUES),
                        ("reader._STRUCTURES_CHECKED", reader._STRUCTURES_CHECKED),
                        ("reader._HEADER_LAYOUTS", reader._HEADER_LAYOUTS),
                        ("elements._LAYOUTS", elements._LAYOUTS),
                        ("research._PATIENT_POLICIES", research._PATIENT_POLICIES),
                        ("residue._CONSTANTS", residue._CONSTANTS), ("residue._SERIES_SEEN", residue._SERIES_SEEN),
                        ("validator._VERDICTS", validator._VERDICTS), ("bridge._POLICIES", _POLICIES)):
        cached[name] = len(table)
        table.clear()
    for name, module in list(sys.modules.items()):
        if not name.startswith("anonymizer"):
            continue
        for attribute, value in vars(module).items():
            info = getattr(value, "cache_info", None)
            if callable(info) and info().maxsize is not None:
                cached[f"{name}.{attribute}"] = info().currsize
                value.cache_clear()
    gc.unfreeze()  # the objects frozen at start-up are counted too
    gc.collect()
    types, sizes = Counter(), Counter()
    for o in gc.get_objects():
        kind = f"{type(o).__module__}.{type(o).__qualname__}"
        types[kind] += 1
        # a dict or list that keeps one more value per file grows in size, not in number (the
        # strings and bytes it holds are not tracked by the collector)
        sizes[kind] += sys.getsizeof(o)
    gc.freeze()
    return json.dumps({"objects": types.total(), "bytes": sizes.total(), "types": dict(types), "sizes": dict(sizes),
                       "bounded_caches": cached})


def test_fault(kind):
    """Test-only faults (worker.js calls this only when started with ?test-faults=1, and only
    for a request that names a fault): a real WebAssembly trap, and a real out-of-memory."""
    if kind == "trap":
        import ctypes

        ctypes.string_at(0xFFFFFFF0, 64)  # a read past the end of the WebAssembly memory
    elif kind == "recursion":
        import sys

        sys.setrecursionlimit(10**7)
        nested = []
        for _ in range(10**6):
            nested = [nested]
        repr(nested)
    elif kind == "memory":
        hoard = []
        while True:
            hoard.append(bytearray(256 << 20))


# What is loaded now (pydicom, the engine, its tables) lives as long as the worker: the
# collector need not go through it again at every collection (as the command line does).
gc.freeze()

__all__ = ["prepare", "run", "read_assigned_ids", "rules", "check", "profiles", "options", "versions", "test_fault",
           "memory_figures"]
