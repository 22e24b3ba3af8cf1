"""The Python side of the page's worker: runs `anonymizer.anonymize()` on a JS Blob.

worker.js runs this file once, after pydicom and the anonymizer wheels are installed, then
calls the functions below. A Blob (or File) is read through `BlobFile`, a raw binary file
whose reads are `FileReaderSync` reads of `blob.slice(a, b)`, so Python sees only the bytes
the engine asks for (the header); the pixel data stays in the Blob, and the output Blob is
built from the engine's segments: new header bytes and slices of the input Blob.
"""

import io
import json
import traceback

import js  # noqa: F401  (the worker's global scope)
from pyodide.ffi import to_js

import anonymizer
from anonymizer import AnonymizerError, MalformedDicomError, NotDicomError, RefusedError, anonymize

READ_BUFFER = 256 * 1024


class BlobFile(io.RawIOBase):
    """A seekable, read-only raw file over a JS Blob. `read_range(blob, start, stop)` is a JS
    function returning a Uint8Array (FileReaderSync under the hood)."""

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
        chunk.assign_to(view[:n])
        self._pos += n
        self.bytes_read += n
        return n


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
    return json.dumps(list(anonymizer.PROFILES))


def versions():
    import sys

    import pydicom

    return json.dumps({
        "anonymizer": getattr(anonymizer, "__version__", None),
        "pydicom": pydicom.__version__,
        "python": sys.version.split()[0],
    })


def rules(profile):
    from anonymizer.policy import rule_table

    return json.dumps(rule_table(profile), default=str)


def run(blob, read_range, profile, uid_secret, parts_out):
    """Anonymise `blob`. Fills the JS array `parts_out` with the output Blob's parts
    (Uint8Arrays and slices of `blob`) and returns a JSON string describing the outcome."""
    raw = BlobFile(blob, read_range)
    source = io.BufferedReader(raw, buffer_size=READ_BUFFER)
    try:
        result = anonymize(source, profile=profile, uid_secret=uid_secret or None)
    except RefusedError as e:
        return _error("refused", e)
    except NotDicomError as e:
        return _error("not-dicom", e)
    except MalformedDicomError as e:
        return _error("malformed", e)
    except AnonymizerError as e:
        return _error("error", e)
    except MemoryError as e:
        return _error("error", f"out of memory: {e}")
    except Exception as e:  # an engine bug: say so, and keep the worker alive
        detail = "".join(traceback.format_exception_only(type(e), e)).strip()
        return _error("error", f"internal error: {detail}")

    for segment in result.segments:
        if isinstance(segment, (bytes, bytearray, memoryview)):
            array = js.Uint8Array.new(len(segment))
            array.assign(segment)
            parts_out.push(array)
        else:
            start, stop = int(segment[0]), int(segment[1])
            parts_out.push(blob.slice(start, stop))
    report = result.report()
    return json.dumps({
        "ok": True,
        "name": result.relative_path,
        "report": report,
        "header_bytes_read": raw.bytes_read,
    }, default=str)


__all__ = ["run", "rules", "profiles", "versions", "to_js"]
