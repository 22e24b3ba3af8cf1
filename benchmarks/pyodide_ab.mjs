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
import fs from "fs";
import path from "path";
import { copySlices, installPackage, pyodideWithPydicom, root } from "./pyodide_setup.mjs";

const base = process.argv[2];
if (!base || !fs.existsSync(path.join(base, "engine.py"))) {
  console.error("usage: node benchmarks/pyodide_ab.mjs OTHER/anonymizer  (a folder holding another version's package)");
  process.exit(2);
}
const files = Number(process.env.FILES || 200);
const rounds = Number(process.env.ROUNDS || 8);

const py = await pyodideWithPydicom();
installPackage(py, path.join(root, "anonymizer"), "/src/anonymizer");
installPackage(py, base, "/src/anonymizer_base", (text) =>
  text.replaceAll("from anonymizer.", "from anonymizer_base.").replaceAll("from anonymizer import", "from anonymizer_base import"));
copySlices(py, path.join(root, "benchmarks", "data", "series-1000"), files);
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
