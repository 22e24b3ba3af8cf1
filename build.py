#!/usr/bin/env python3
"""Build (and serve) the in-browser anonymiser page.

    python build.py                 # make web/dist/, a folder any static file server can serve
    python build.py serve [--port N] [--host 127.0.0.1] [--no-build]

``web/dist/`` holds:

* the page (``index.html``, ``app.js``, ``style.css`` ...) and the embeddable ES module
  ``anonymizer.js`` with its worker, copied from ``web/src/``;
* ``examples/`` (the upload form), copied from ``web/examples/``;
* ``pyodide/``: the Pyodide runtime files the page needs, from the npm package ``pyodide``
  pinned in ``web/package.json`` / ``web/package-lock.json`` (installed with ``npm ci``);
* ``wheels/``: pydicom and micropip (downloaded once, SHA-256 checked against the hashes
  pinned below) and this package, built from the source tree;
* ``build-info.json`` (versions, which wheels the worker loads) and ``manifest.json``
  (every file with its SHA-256 and size).

Only the standard library is used, so any Python >= 3.9 with pip can run it.
"""

from __future__ import annotations

import argparse
import hashlib
import http.server
import json
import shutil
import subprocess
import sys
import tempfile
import zipfile
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parent
WEB = ROOT / "web"
SRC = WEB / "src"
EXAMPLES = WEB / "examples"
DIST = WEB / "dist"
CACHE = WEB / ".cache"
NODE_MODULES = WEB / "node_modules"
PYODIDE_PKG = NODE_MODULES / "pyodide"

# Third-party wheels, pinned by file name and SHA-256. They are pure Python
# (py3-none-any), so the same wheel runs in Pyodide.
PINNED_WHEELS = {
    "pydicom-3.0.2-py3-none-any.whl": (
        "pydicom==3.0.2",
        "abf971a5440f84dbaf42c4b6758e30e62480902584f8b270b9a5d146e278a07b",
    ),
    "micropip-0.11.1-py3-none-any.whl": (
        "micropip==0.11.1",
        "768de165adb8e66906039d8fec4127a57f522dfdf8e6fbff877a4616941ecfd3",
    ),
}
# Wheels the worker installs at start-up (micropip ships in dist/wheels/ for embedders who
# want to add their own pure-Python packages, but the page does not need it).
STARTUP_WHEELS = ["pydicom-3.0.2-py3-none-any.whl"]

PRECOMPILED_NAME = "precompiled-bytecode.zip"

# The Pyodide runtime files a page needs (no console, no type definitions, no source maps).
PYODIDE_FILES = [
    "pyodide.mjs",
    "pyodide.asm.mjs",
    "pyodide.asm.wasm",
    "python_stdlib.zip",
    "pyodide-lock.json",
]

# The page's Content-Security-Policy. The same text is in web/src/index.html as a <meta>;
# `serve` also sends it as a response header, which is what a Web Worker obeys.
# 'wasm-unsafe-eval' lets WebAssembly compile; nothing else may run but the page's own files.
CSP = (
    "default-src 'self'; "
    "script-src 'self' 'wasm-unsafe-eval'; "
    "worker-src 'self'; "
    "connect-src 'self'; "
    "img-src 'self'; "
    "style-src 'self'; "
    "font-src 'self'; "
    "object-src 'none'; "
    "base-uri 'none'; "
    "form-action 'self'; "
    "frame-ancestors 'self'"
)

MIME_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".json": "application/json",
    ".wasm": "application/wasm",
    ".zip": "application/zip",
    ".whl": "application/zip",
    ".py": "text/plain; charset=utf-8",
    ".svg": "image/svg+xml",
    ".md": "text/markdown; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
}


def log(message: str) -> None:
    print(f"build.py: {message}", file=sys.stderr, flush=True)


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(partial(f.read, 1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


# --------------------------------------------------------------------------- npm


def ensure_node_modules() -> str:
    """Run ``npm ci`` unless node_modules already holds the pinned pyodide. Returns its version."""
    lock = json.loads((WEB / "package-lock.json").read_text())
    wanted = lock["packages"]["node_modules/pyodide"]["version"]
    installed = None
    if (PYODIDE_PKG / "package.json").exists():
        installed = json.loads((PYODIDE_PKG / "package.json").read_text()).get("version")
    if installed != wanted:
        npm = shutil.which("npm")
        if not npm:
            raise SystemExit("build.py: npm is needed to install the Pyodide runtime (npm ci in web/)")
        log(f"npm ci (pyodide {wanted})")
        subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=WEB, check=True)
    for name in PYODIDE_FILES:
        if not (PYODIDE_PKG / name).exists():
            raise SystemExit(f"build.py: node_modules/pyodide/{name} is missing; delete web/node_modules and retry")
    return wanted


def pyodide_python_version() -> str:
    info = json.loads((PYODIDE_PKG / "pyodide-lock.json").read_text())["info"]
    major, minor = info["python"].split(".")[:2]
    return f"{major}.{minor}"


# --------------------------------------------------------------------------- wheels


def ensure_pinned_wheels() -> dict[str, Path]:
    """Download the pinned third-party wheels once into web/.cache/wheels and check them."""
    folder = CACHE / "wheels"
    folder.mkdir(parents=True, exist_ok=True)
    python_version = pyodide_python_version()
    wheels = {}
    for filename, (requirement, expected) in PINNED_WHEELS.items():
        path = folder / filename
        if not path.exists() or sha256_file(path) != expected:
            log(f"downloading {requirement}")
            with tempfile.TemporaryDirectory() as tmp:
                subprocess.run(
                    [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
                     "--only-binary", ":all:", "--python-version", python_version,
                     "--dest", tmp, requirement],
                    check=True,
                )
                got = Path(tmp) / filename
                if not got.exists():
                    raise SystemExit(f"build.py: pip did not produce {filename}")
                shutil.copyfile(got, path)
        actual = sha256_file(path)
        if actual != expected:
            path.unlink()
            raise SystemExit(f"build.py: {filename} has SHA-256 {actual}, expected {expected}")
        wheels[filename] = path
    return wheels


def package_source_files(source: Path) -> list[Path]:
    files = []
    for name in ("pyproject.toml", "setup.cfg", "setup.py", "MANIFEST.in"):
        if (source / name).exists():
            files.append(source / name)
    for path in sorted((source / "anonymizer").rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts and path.suffix not in (".pyc", ".pyo"):
            files.append(path)
    return files


def source_digest(source: Path) -> str:
    digest = hashlib.sha256()
    for path in package_source_files(source):
        digest.update(str(path.relative_to(source)).encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def ensure_package_wheel(source: Path) -> Path:
    """Build this package's wheel from the source tree (cached by a hash of the sources)."""
    if not (source / "pyproject.toml").exists() and not (source / "setup.py").exists():
        raise SystemExit(f"build.py: no pyproject.toml in {source}; cannot build the anonymizer wheel")
    if not (source / "anonymizer" / "__init__.py").exists():
        raise SystemExit(f"build.py: {source}/anonymizer is not a package yet")
    key = source_digest(source)[:20]
    folder = CACHE / "package" / key
    found = sorted(folder.glob("*.whl")) if folder.exists() else []
    if found:
        return found[0]
    log("building the anonymizer wheel from the source tree")
    shutil.rmtree(CACHE / "package", ignore_errors=True)
    with tempfile.TemporaryDirectory() as tmp, tempfile.TemporaryDirectory() as tree:
        # Build from a clean copy of the sources: setuptools' build/ folder in the work tree
        # keeps files that were deleted since, and they would end up in the wheel.
        copies = package_source_files(source) + [
            p for p in source.iterdir() if p.is_file() and p.name.split(".")[0].upper() in ("README", "LICENSE", "NOTICE", "COPYING")
        ]
        for path in copies:
            target = Path(tree) / path.relative_to(source)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
        source_copy = Path(tree)
        # Run from the temporary folder: from the repository root, `-m build` would import
        # this very file instead of the PyPA `build` front end.
        has_build = subprocess.run(
            [sys.executable, "-c", "import build.__main__"], cwd=tmp,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        ).returncode == 0
        if has_build:
            command = [sys.executable, "-m", "build", "--wheel", "--outdir", tmp, str(source_copy)]
        else:
            command = [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir", tmp, str(source_copy)]
        result = subprocess.run(command, cwd=tmp, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        if result.returncode != 0:
            sys.stderr.write(result.stdout)
            raise SystemExit("build.py: building the anonymizer wheel failed")
        built = sorted(Path(tmp).glob("*.whl"))
        if len(built) != 1:
            raise SystemExit(f"build.py: expected one wheel, got {[p.name for p in built]}")
        if not built[0].name.endswith("-py3-none-any.whl"):
            raise SystemExit(f"build.py: {built[0].name} is not a pure-Python wheel; Pyodide needs py3-none-any")
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / built[0].name
        shutil.copyfile(built[0], target)
    with zipfile.ZipFile(target) as wheel:
        if not any(name.startswith("anonymizer/") for name in wheel.namelist()):
            raise SystemExit(f"build.py: {target.name} holds no anonymizer/ package")
    return target


def ensure_precompiled(wheels: list[Path], pyodide_version: str) -> Path | None:
    """A folder with the bytecode of the start-up wheels (PRECOMPILED_NAME) and Pyodide's
    standard library with the bytecode of the modules imported at start-up (python_stdlib.zip),
    compiled by the page's own Pyodide under Node (web/tools/precompile.mjs), cached by the
    Pyodide version and the wheels' hashes. None if it cannot be made: the page then compiles
    the sources itself, seconds slower at start-up."""
    digest = hashlib.sha256(pyodide_version.encode())
    digest.update(sha256_file(WEB / "tools" / "precompile.mjs").encode())
    for wheel in wheels:
        digest.update(sha256_file(wheel).encode())
    target = CACHE / "precompiled" / digest.hexdigest()[:20]
    if (target / PRECOMPILED_NAME).exists() and (target / "python_stdlib.zip").exists():
        return target
    node = shutil.which("node")
    if not node:
        log("node not found: the wheels and the standard library are not precompiled")
        return None
    log("precompiling the wheels and the standard library's start-up modules to Python bytecode")
    shutil.rmtree(CACHE / "precompiled", ignore_errors=True)
    partial_target = target.with_suffix(".partial")
    partial_target.mkdir(parents=True)
    result = subprocess.run(
        [node, str(WEB / "tools" / "precompile.mjs"), str(PYODIDE_PKG), str(partial_target), *map(str, wheels)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    if result.returncode != 0 or not (partial_target / "python_stdlib.zip").exists():
        sys.stderr.write(result.stdout[-3000:])
        log("precompiling failed: the page will compile the sources at start-up")
        shutil.rmtree(partial_target, ignore_errors=True)
        return None
    partial_target.rename(target)
    return target


# --------------------------------------------------------------------------- dist


def build_inputs_digest(source: Path) -> str:
    """What the build depends on: a rebuild is needed when this changes."""
    digest = hashlib.sha256()
    paths = [Path(__file__).resolve(), WEB / "package.json", WEB / "package-lock.json"]
    for folder in (SRC, EXAMPLES):
        paths += sorted(p for p in folder.rglob("*") if p.is_file())
    paths += package_source_files(source)
    for path in paths:
        digest.update(str(path).encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def write_manifest(folder: Path, extra: dict) -> None:
    files = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            rel = path.relative_to(folder).as_posix()
            if rel == "manifest.json":
                continue
            files[rel] = {"sha256": sha256_file(path), "size": path.stat().st_size}
    manifest = dict(extra, files=files)
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n")


def build(source: Path = ROOT) -> Path:
    pyodide_version = ensure_node_modules()
    pinned = ensure_pinned_wheels()
    package_wheel = ensure_package_wheel(source)
    startup = [pinned[name] for name in STARTUP_WHEELS] + [package_wheel]
    precompiled = ensure_precompiled(startup, pyodide_version)

    staging = Path(tempfile.mkdtemp(prefix="dist-", dir=WEB))
    try:
        for path in sorted(SRC.rglob("*")):
            if path.is_file():
                target = staging / path.relative_to(SRC)
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(path, target)
        if EXAMPLES.exists():
            for path in sorted(EXAMPLES.rglob("*")):
                if path.is_file():
                    target = staging / "examples" / path.relative_to(EXAMPLES)
                    target.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copyfile(path, target)
        (staging / "pyodide").mkdir()
        for name in PYODIDE_FILES:
            shutil.copyfile(PYODIDE_PKG / name, staging / "pyodide" / name)
        if precompiled:  # the same standard library, with bytecode for what is imported at start-up
            shutil.copyfile(precompiled / "python_stdlib.zip", staging / "pyodide" / "python_stdlib.zip")
        (staging / "wheels").mkdir()
        for name, path in pinned.items():
            shutil.copyfile(path, staging / "wheels" / name)
        shutil.copyfile(package_wheel, staging / "wheels" / package_wheel.name)
        if precompiled:
            shutil.copyfile(precompiled / PRECOMPILED_NAME, staging / "wheels" / PRECOMPILED_NAME)

        lock_info = json.loads((PYODIDE_PKG / "pyodide-lock.json").read_text())["info"]
        info = {
            "pyodide": pyodide_version,
            "python": lock_info["python"],
            # Installed by the worker at start-up, in this order, from this origin only.
            "wheels": STARTUP_WHEELS + [package_wheel.name],
            "available_wheels": sorted([*pinned, package_wheel.name]),
            # Bytecode of those wheels, unpacked over site-packages (or null: compile at start).
            "precompiled": PRECOMPILED_NAME if precompiled else None,
            # pyodide/python_stdlib.zip holds bytecode for the modules imported at start-up.
            "stdlib_precompiled": bool(precompiled),
            "csp": CSP,
        }
        (staging / "build-info.json").write_text(json.dumps(info, indent=1) + "\n")
        write_manifest(staging, {"pyodide": pyodide_version, "wheels": info["available_wheels"]})

        old = WEB / ".dist-old"
        shutil.rmtree(old, ignore_errors=True)
        if DIST.exists():
            DIST.rename(old)
        staging.rename(DIST)
        shutil.rmtree(old, ignore_errors=True)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    CACHE.mkdir(parents=True, exist_ok=True)
    (CACHE / "build-stamp").write_text(build_inputs_digest(source))
    log(f"built {DIST.relative_to(ROOT)}/ (pyodide {pyodide_version}, {package_wheel.name})")
    return DIST


def build_if_needed(source: Path = ROOT) -> Path:
    stamp = CACHE / "build-stamp"
    if (DIST / "manifest.json").exists() and stamp.exists() and stamp.read_text() == build_inputs_digest(source):
        return DIST
    return build(source)


# --------------------------------------------------------------------------- serve


def content_tags(directory: Path) -> dict[str, str]:
    """URL path -> ETag, from the SHA-256 of every file in the folder's manifest.json."""
    manifest = directory / "manifest.json"
    if not manifest.exists():
        return {}
    files = json.loads(manifest.read_text()).get("files", {})
    return {"/" + name: f'"{entry["sha256"][:32]}"' for name, entry in files.items()}


class Handler(http.server.SimpleHTTPRequestHandler):
    """Static files from web/dist with exact MIME types and the CSP header. Every response is
    revalidated (``no-cache``) against an ETag made from the file's content, so a second visit
    downloads nothing that has not changed, not even after a rebuild, which gives every file a
    new modification time (Last-Modified alone would send them all again, and the browser
    would compile the WebAssembly runtime again)."""

    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, **MIME_TYPES, "": "application/octet-stream"}
    protocol_version = "HTTP/1.1"  # keep-alive: the page loads a dozen files at once
    quiet = False
    etags: dict[str, str] = {}

    def send_head(self):
        etag = self.etags.get(self.path.split("?", 1)[0].split("#", 1)[0])
        self._etag = etag
        if etag and etag in [t.strip() for t in self.headers.get("If-None-Match", "").split(",")]:
            self.send_response(http.HTTPStatus.NOT_MODIFIED)
            self.end_headers()
            return None
        return super().send_head()

    def end_headers(self) -> None:
        self.send_header("Content-Security-Policy", CSP)
        self.send_header("Cache-Control", "no-cache")
        if getattr(self, "_etag", None):
            self.send_header("ETag", self._etag)
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        self.send_header("Cross-Origin-Resource-Policy", "same-origin")
        super().end_headers()

    def guess_type(self, path):  # noqa: D102 - exact types, no platform mimetypes surprises
        return self.extensions_map.get(Path(str(path)).suffix.lower(), "application/octet-stream")

    def log_message(self, format, *args):  # noqa: A002
        if not self.quiet:
            super().log_message(format, *args)


def make_server(host: str = "127.0.0.1", port: int = 8000, directory: Path = DIST, quiet: bool = False):
    handler = type("DistHandler", (Handler,), {"quiet": quiet, "etags": content_tags(Path(directory))})
    server = http.server.ThreadingHTTPServer((host, port), partial(handler, directory=str(directory)))
    server.daemon_threads = True
    return server


def serve(host: str, port: int, no_build: bool, source: Path, quiet: bool) -> None:
    if not no_build:
        build_if_needed(source)
    if not (DIST / "index.html").exists():
        raise SystemExit("build.py: web/dist is not built; run `python build.py`")
    server = make_server(host, port, DIST, quiet)
    shown_host = f"[{host}]" if ":" in host else host
    print(f"Serving {DIST.relative_to(ROOT)}/ at http://{shown_host}:{server.server_address[1]}/", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Build or serve the in-browser DICOM anonymiser (web/dist).")
    parser.add_argument("--source", type=Path, default=ROOT, help=argparse.SUPPRESS)
    sub = parser.add_subparsers(dest="command")
    sub.add_parser("build", help="build web/dist (the default)")
    serve_parser = sub.add_parser("serve", help="build when needed, then serve web/dist on 127.0.0.1")
    serve_parser.add_argument("--port", type=int, default=8000, help="port (default 8000; 0 picks a free one)")
    serve_parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    serve_parser.add_argument("--no-build", action="store_true", help="serve web/dist as it is")
    serve_parser.add_argument("--quiet", action="store_true", help="do not log requests")
    args = parser.parse_args(argv)
    if args.command == "serve":
        serve(args.host, args.port, args.no_build, args.source.resolve(), args.quiet)
    else:
        build(args.source.resolve())


if __name__ == "__main__":
    main()
