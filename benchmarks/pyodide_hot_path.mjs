// The engine's hot path under Pyodide (in Node), as the page runs it: CPU per CT slice for
// anonymize() + to_bytes(), without and with report(), over 50 slices of the benchmark's series.
//
//     node benchmarks/pyodide_hot_path.mjs            # this checkout's anonymizer/
//     ANON_DIR=/other/anonymizer node benchmarks/pyodide_hot_path.mjs   # another version, to compare
//     STAGES=1 node benchmarks/pyodide_hot_path.mjs   # where the time goes (benchmarks/stages.py)
//
// Needs web/node_modules (npm ci in web/), web/dist/wheels (python build.py: pydicom's wheel) and
// benchmarks/data/series-100 (benchmarks/run.py). Prints a hash of the first outputs: the same
// for two versions that write the same bytes.
import fs from "fs";
import path from "path";
import { copySlices, installPackage, pyodideWithPydicom, root } from "./pyodide_setup.mjs";

const py = await pyodideWithPydicom();
installPackage(py, process.env.ANON_DIR || path.join(root, "anonymizer"), "/src/anonymizer");
copySlices(py, path.join(root, "benchmarks", "data", "series-100"), 50);
if (process.env.STAGES) {
  // benchmarks/stages.py's table, stage by stage, under Pyodide
  py.FS.writeFile("/src/stages.py", fs.readFileSync(path.join(root, "benchmarks", "stages.py")));
  console.log(await py.runPythonAsync(`
import os, sys
sys.path.insert(0, "/src")
from stages import stage_table
"Pyodide, " + stage_table([open("/data/" + name, "rb").read() for name in sorted(os.listdir("/data"))], warm_up=10)
`));
  process.exit(0);
}
console.log(await py.runPythonAsync(`
import hashlib, os, sys, time
sys.path.insert(0, "/src")
import anonymizer

inputs = [open("/data/" + name, "rb").read() for name in sorted(os.listdir("/data"))]
anonymizer.anonymize(inputs[0]).to_bytes()

def per_file(report):
    start = time.process_time()
    for data in inputs:
        result = anonymizer.anonymize(data)
        result.to_bytes()
        if report:
            result.report()
    return (time.process_time() - start) / len(inputs) * 1e3

digest = hashlib.sha256(b"".join(anonymizer.anonymize(d).to_bytes() for d in inputs[:5])).hexdigest()[:16]
f"Pyodide, {len(inputs)} CT slices: {per_file(False):.2f} ms a file without report, "\\
f"{per_file(True):.2f} ms with report; outputs {digest}"
`));
