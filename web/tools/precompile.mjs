// Compile the Python wheels the worker installs to bytecode, with the page's own Pyodide
// (run by Node at build time), so that the browser does not compile them at every start.
//
//   node web/tools/precompile.mjs PYODIDE_DIR OUT.zip WHEEL...
//
// OUT.zip holds site-packages/**/__pycache__/*.pyc, compiled as "unchecked-hash" .pyc files
// (PEP 552): Python uses them without comparing them with the sources, which is right here
// because they are made from exactly the wheels shipped next to them (build.py keys the
// cache on the wheels' hashes). The worker unpacks OUT.zip over site-packages.

import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

const [pyodideDir, out, ...wheels] = process.argv.slice(2);
if (!pyodideDir || !out || !wheels.length) {
  console.error("usage: node precompile.mjs PYODIDE_DIR OUT.zip WHEEL...");
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
fs.writeFileSync(out, pyodide.FS.readFile("/tmp/pycache.zip"));
console.log(`precompiled ${names.join(", ")} into ${out}`);
