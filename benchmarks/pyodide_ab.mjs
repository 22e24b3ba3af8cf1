// Two versions of the engine in one Pyodide (in Node), taking turns on the same CT slices: which
// is faster, and by how much, on a machine too noisy for figures from two runs to be compared.
//
//     mkdir -p /tmp/base && git archive HEAD anonymizer | tar -x -C /tmp/base
//     node benchmarks/pyodide_ab.mjs /tmp/base/anonymizer          # that version against this checkout's
//     FILES=100 ROUNDS=12 node benchmarks/pyodide_ab.mjs /tmp/base/anonymizer
//
// The other version is loaded as the package `anonymizer_base` beside this checkout's
// `anonymizer`; each round times anonymize() + write_to() a sink for every file with one, then
// the other. Prints whether the first 20 outputs are byte for byte the same, each version's
// minimum and median milliseconds a file, and the median of the rounds' ratios. Needs
// web/node_modules (npm ci in web/), web/dist/wheels (python build.py: pydicom's wheel) and
// benchmarks/data/series-1000 (benchmarks/run.py).
import { loadPyodide } from "../web/node_modules/pyodide/pyodide.mjs";
import fs from "fs";
import path from "path";
import { fileURLToPath } from "url";

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const base = process.argv[2];
if (!base || !fs.existsSync(path.join(base, "engine.py"))) {
  console.error("usage: node benchmarks/pyodide_ab.mjs OTHER/anonymizer  (a folder holding another version's package)");
  process.exit(2);
}
const files = Number(process.env.FILES || 200);
const rounds = Number(process.env.ROUNDS || 8);
const wheels = path.join(root, "web", "dist", "wheels");
const series = path.join(root, "benchmarks", "data", "series-1000");

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

function install(source, target, renamed) {
  for (const sub of ["", "rules"]) {
    py.FS.mkdirTree(path.posix.join(target, sub));
    for (const name of fs.readdirSync(path.join(source, sub)).filter((n) => n.endsWith(".py"))) {
      let text = fs.readFileSync(path.join(source, sub, name), "utf8");
      if (renamed) text = text.replaceAll("from anonymizer.", "from anonymizer_base.").replaceAll("from anonymizer import", "from anonymizer_base import");
      py.FS.writeFile(path.posix.join(target, sub, name), text);
    }
  }
}
install(path.join(root, "anonymizer"), "/src/anonymizer", false);
install(base, "/src/anonymizer_base", true);
py.FS.mkdirTree("/data");
for (const name of fs.readdirSync(series).sort().slice(0, files)) {
  py.FS.writeFile("/data/" + name, fs.readFileSync(path.join(series, name)));
}
console.log(await py.runPythonAsync(`
import os, statistics, sys, time
sys.path.insert(0, "/src")
import anonymizer, anonymizer_base

class Sink:
    def write(self, data):
        return len(data)

inputs = [open("/data/" + name, "rb").read() for name in sorted(os.listdir("/data"))]
same = all(anonymizer.anonymize(d).to_bytes() == anonymizer_base.anonymize(d).to_bytes() for d in inputs[:20])
times = {"base": [], "this": []}
for _ in range(${rounds}):
    for name, module in (("base", anonymizer_base), ("this", anonymizer)):
        started = time.perf_counter()
        for data in inputs:
            module.anonymize(data).write_to(Sink())
        times[name].append((time.perf_counter() - started) / len(inputs) * 1e3)
b, t = times["base"], times["this"]
ratio = statistics.median(x / y for x, y in zip(t, b))
f"Pyodide, {len(inputs)} CT slices, ${rounds} rounds: outputs the same: {same}; "\\
f"base min {min(b):.2f} ms, median {statistics.median(b):.2f} ms a file; "\\
f"this checkout min {min(t):.2f} ms, median {statistics.median(t):.2f} ms; median ratio this/base {ratio:.3f}"
`));
