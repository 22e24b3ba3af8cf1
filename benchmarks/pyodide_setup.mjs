// What benchmarks/pyodide_hot_path.mjs and benchmarks/pyodide_ab.mjs share: Pyodide in Node,
// with pydicom (from web/dist/wheels) and CT slices of the benchmark's series in its file system.
import { loadPyodide } from "../web/node_modules/pyodide/pyodide.mjs";
import fs from "fs";
import path from "path";
import { fileURLToPath } from "url";

export const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));

/** Pyodide with pydicom unpacked under /src (put on sys.path by the caller's Python). */
export async function pyodideWithPydicom() {
  const wheels = path.join(root, "web", "dist", "wheels");
  const py = await loadPyodide({ indexURL: path.join(root, "web", "node_modules", "pyodide") + "/" });
  py.FS.mkdirTree("/wheels");
  for (const name of fs.readdirSync(wheels).filter((n) => n.startsWith("pydicom"))) {
    py.FS.writeFile("/wheels/" + name, fs.readFileSync(path.join(wheels, name)));
  }
  py.runPython(`
import os, zipfile
for name in os.listdir("/wheels"):
    zipfile.ZipFile("/wheels/" + name).extractall("/src")
`);
  return py;
}

/** The package at `source` (a folder holding anonymizer's modules) copied to `target`;
 * `transform` may change each module's text. */
export function installPackage(py, source, target, transform = (text) => text) {
  for (const sub of ["", "rules"]) {
    py.FS.mkdirTree(path.posix.join(target, sub));
    for (const name of fs.readdirSync(path.join(source, sub)).filter((n) => n.endsWith(".py"))) {
      py.FS.writeFile(path.posix.join(target, sub, name), transform(fs.readFileSync(path.join(source, sub, name), "utf8")));
    }
  }
}

/** The first `count` files of `series` (in name order) copied to /data. */
export function copySlices(py, series, count) {
  py.FS.mkdirTree("/data");
  for (const name of fs.readdirSync(series).sort().slice(0, count)) {
    py.FS.writeFile("/data/" + name, fs.readFileSync(path.join(series, name)));
  }
}
