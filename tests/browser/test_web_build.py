"""build.py: what web/dist holds, and how `build.py serve` serves it."""

from __future__ import annotations

import hashlib
import json
import urllib.request

from browserlib import build, ROOT


def test_manifest_lists_every_file_with_its_hash(dist):
    manifest = json.loads((dist / "manifest.json").read_text())
    files = {p.relative_to(dist).as_posix() for p in dist.rglob("*") if p.is_file()} - {"manifest.json"}
    assert set(manifest["files"]) == files
    for name, entry in manifest["files"].items():
        data = (dist / name).read_bytes()
        assert entry == {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}, name


def test_dist_contents_are_pinned_and_local(dist):
    lock = json.loads((ROOT / "web" / "package-lock.json").read_text())
    package = json.loads((ROOT / "web" / "package.json").read_text())
    version = lock["packages"]["node_modules/pyodide"]["version"]
    assert package["dependencies"]["pyodide"] == version  # an exact pin, not a range
    info = json.loads((dist / "build-info.json").read_text())
    assert info["pyodide"] == version
    for name in build.PYODIDE_FILES:
        assert (dist / "pyodide" / name).exists()
    for name, (_, digest) in build.PINNED_WHEELS.items():
        assert hashlib.sha256((dist / "wheels" / name).read_bytes()).hexdigest() == digest
    (own,) = [w for w in info["wheels"] if w.startswith("anonymizer-")]
    assert (dist / "wheels" / own).exists()
    # No page file names another origin.
    for name in ("index.html", "app.js", "anonymizer.js", "worker.js", "zip.js", "style.css", "examples/upload.html"):
        text = (dist / name).read_text()
        assert "http://" not in text and "https://" not in text.replace("https://pacs.example.org", ""), name
    ignored = (ROOT / "web" / ".gitignore").read_text().split()
    assert {"node_modules/", "dist/", ".cache/"} <= set(ignored)


def test_serve_headers(server):
    expected = {
        "": "text/html",
        "anonymizer.js": "text/javascript",
        "pyodide/pyodide.mjs": "text/javascript",
        "pyodide/pyodide.asm.wasm": "application/wasm",
        "manifest.json": "application/json",
        "style.css": "text/css",
    }
    for path, mime in expected.items():
        with urllib.request.urlopen(server + path) as response:
            assert response.headers["Content-Type"].split(";")[0] == mime, path
            csp = response.headers["Content-Security-Policy"]
            assert "default-src 'self'" in csp and "script-src 'self' 'wasm-unsafe-eval'" in csp
            assert "unsafe-inline" not in csp and "'unsafe-eval'" not in csp
            assert response.headers["Cache-Control"] == "no-cache"


def test_serve_revalidates_by_content(server, dist):
    """Every file has an ETag from its SHA-256 (manifest.json): a second visit gets 304 Not
    Modified, also after a rebuild that rewrote the same bytes with a new modification time."""
    import hashlib
    import urllib.error

    wasm = "pyodide/pyodide.asm.wasm"
    with urllib.request.urlopen(server + wasm) as response:
        etag = response.headers["ETag"]
    assert etag == f'"{hashlib.sha256((dist / wasm).read_bytes()).hexdigest()[:32]}"'
    request = urllib.request.Request(server + wasm, headers={"If-None-Match": etag, "If-Modified-Since": "Thu, 01 Jan 1970 00:00:00 GMT"})
    try:
        urllib.request.urlopen(request)
        raise AssertionError("expected 304 Not Modified")
    except urllib.error.HTTPError as error:
        assert error.code == 304 and error.headers["ETag"] == etag
    request = urllib.request.Request(server + wasm, headers={"If-None-Match": '"something-else"'})
    with urllib.request.urlopen(request) as response:
        assert response.status == 200 and len(response.read()) == (dist / wasm).stat().st_size


def test_meta_csp_matches_header():
    html = (ROOT / "web" / "src" / "index.html").read_text()
    meta = html.split('http-equiv="Content-Security-Policy" content="')[1].split('"')[0]
    header = build.CSP.replace("; frame-ancestors 'self'", "")  # frame-ancestors is header-only
    assert meta == header


def test_precompiled_bytecode_matches_the_wheels(dist):
    import zipfile

    info = json.loads((dist / "build-info.json").read_text())
    assert info["precompiled"], "node could not precompile the wheels"
    with zipfile.ZipFile(dist / "wheels" / info["precompiled"]) as archive:
        names = archive.namelist()
    python = "".join(info["python"].split(".")[:2])
    assert f"anonymizer/__pycache__/engine.cpython-{python}.pyc" in names
    assert f"pydicom/__pycache__/_dicom_dict.cpython-{python}.pyc" in names
    assert all(n.endswith(".pyc") for n in names)


def test_standard_library_holds_bytecode_for_start_up(dist):
    """The page's python_stdlib.zip is Pyodide's, every entry byte for byte, plus an unchecked
    bytecode file beside each module Pyodide and the worker import at start-up (Pyodide ships
    sources only: the browser compiled them at every start, two seconds of it)."""
    import zipfile

    info = json.loads((dist / "build-info.json").read_text())
    assert info["stdlib_precompiled"], "node could not precompile the standard library"
    with zipfile.ZipFile(build.PYODIDE_PKG / "python_stdlib.zip") as shipped, \
            zipfile.ZipFile(dist / "pyodide" / "python_stdlib.zip") as served:
        original = {name: shipped.read(name) for name in shipped.namelist()}
        served_names = served.namelist()
        assert {name: served.read(name) for name in original} == original
        added = sorted(set(served_names) - set(original))
        assert added and all(name.endswith(".pyc") and name[:-1] in original for name in added)
        for module in ("pyodide/__init__.py", "_pyodide/_base.py", "json/decoder.py", "tempfile.py", "urllib/request.py"):
            assert module + "c" in added, module
        magics = {served.read(name)[:4] for name in added}
        flags = {int.from_bytes(served.read(name)[4:8], "little") for name in added}
    assert len(magics) == 1 and flags == {0b01}  # one Python version; hash-based, never checked


def test_build_again_is_a_no_op_for_serve(dist):
    """`serve` rebuilds only when an input changed: right after a build nothing has."""
    assert build.build_if_needed() == build.DIST
    stamp = (build.CACHE / "build-stamp").read_text()
    assert stamp == build.build_inputs_digest(build.ROOT)
