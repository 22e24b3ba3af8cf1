// Compile to bytecode, with the page's own Pyodide (run by Node at build time), what the browser
// would otherwise compile from source at every start: the Python wheels the worker installs, and
// the modules of Python's standard library that Pyodide and the worker import before the first
// file (Pyodide ships its standard library as sources only).
//
//   node web/tools/precompile.mjs PYODIDE_DIR OUT_DIR WHEEL...
//
// OUT_DIR/precompiled-bytecode.zip holds site-packages/**/__pycache__/*.pyc of the wheels; the
// worker unpacks it over site-packages. OUT_DIR/python_stdlib.zip is Pyodide's
// python_stdlib.zip, every entry as it was, plus a .pyc beside each module imported by then
// (the layout zipimport reads); the page serves it in place of Pyodide's. Every .pyc is an
// "unchecked-hash" .pyc (PEP 552): Python uses it without comparing it with its source, which
// is right here because it is made from exactly the files shipped next to it (build.py keys the
// cache on the Pyodide version and the wheels' hashes).

import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

const [pyodideDir, outDir, ...wheels] = process.argv.slice(2);
if (!pyodideDir || !outDir || !wheels.length) {
  console.error("usage: node precompile.mjs PYODIDE_DIR OUT_DIR WHEEL...");
  process.exit(2);
}
const { loadPyodide } = await import(pathToFileURL(path.join(pyodideDir, "pyodide.mjs")).href);
const pyodide = await loadPyodide({ indexURL: path.resolve(pyodideDir) + "/", stdout: () => {}, stderr: (m) => console.error(m) });
await pyodide.loadPackage(wheels.map((w) => path.resolve(w)), { messageCallback: () => {} });
const names = wheels.map((w) => path.basename(w).split("-")[0]);
pyodide.globals.set("wheel_names", pyodide.toPy(names));
pyodide.runPython(`
import compileall, io, os, py_compile, site, zipfile
from importlib.metadata import distribution

site_packages = site.getsitepackages()[0]
roots = set()
for name in wheel_names:
    for file in distribution(name).files or ():
        top = str(file).split("/")[0]
        if not top.endswith((".dist-info", ".data")) and os.path.isdir(os.path.join(site_packages, top)):
            roots.add(top)
for root in sorted(roots):
    ok = compileall.compile_dir(os.path.join(site_packages, root), quiet=2,
                                invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH)
    if not ok:
        raise SystemExit(f"could not compile {root}")
with zipfile.ZipFile("/tmp/pycache.zip", "w", zipfile.ZIP_DEFLATED) as archive:
    for root in sorted(roots):
        for folder, _, files in sorted(os.walk(os.path.join(site_packages, root))):
            for name in sorted(files):
                if name.endswith(".pyc"):
                    full = os.path.join(folder, name)
                    info = zipfile.ZipInfo(os.path.relpath(full, site_packages), (1980, 1, 1, 0, 0, 0))
                    info.compress_type = zipfile.ZIP_DEFLATED
                    with open(full, "rb") as f:
                        archive.writestr(info, f.read())
`);
fs.mkdirSync(outDir, { recursive: true });
fs.writeFileSync(path.join(outDir, "precompiled-bytecode.zip"), pyodide.FS.readFile("/tmp/pycache.zip"));

// What the worker imports before its first file: the wheels' packages and their modules (those
// that import without what the page does not ship), and bridge.py's own imports.
const count = pyodide.runPython(`
import importlib, os, pkgutil, py_compile, sys, tempfile, zipfile

for root in sorted(roots):
    package = importlib.import_module(root)
    for module in pkgutil.walk_packages(getattr(package, "__path__", []), root + "."):
        if module.name.endswith(".__main__"):
            continue
        try:
            importlib.import_module(module.name)
        except Exception:  # needs a package the page does not ship (numpy ...): never imported there
            pass
for name in ("gc", "io", "json", "os", "tempfile", "traceback", "pathlib"):
    importlib.import_module(name)

stdlib = next(p for p in sys.path if p.endswith(".zip"))
imported = set()
for module in list(sys.modules.values()):
    origin = getattr(getattr(module, "__spec__", None), "origin", None) or ""
    if origin.startswith(stdlib + "/") and origin.endswith(".py"):
        imported.add(origin[len(stdlib) + 1:])
with zipfile.ZipFile(stdlib) as source, zipfile.ZipFile("/tmp/python_stdlib.zip", "w", zipfile.ZIP_DEFLATED) as archive:
    for info in source.infolist():
        archive.writestr(info, source.read(info.filename))
    with tempfile.TemporaryDirectory() as scratch:
        for name in sorted(imported):
            module_source = os.path.join(scratch, "module.py")
            with open(module_source, "wb") as handle:
                handle.write(source.read(name))
            compiled = py_compile.compile(module_source, os.path.join(scratch, "module.pyc"), stdlib + "/" + name,
                                          doraise=True, invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH)
            info = zipfile.ZipInfo(name + "c", (1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            with open(compiled, "rb") as handle:
                archive.writestr(info, handle.read())
len(imported)
`);
fs.writeFileSync(path.join(outDir, "python_stdlib.zip"), pyodide.FS.readFile("/tmp/python_stdlib.zip"));
console.log(`precompiled ${names.join(", ")} and ${count} modules of the standard library into ${outDir}`);
