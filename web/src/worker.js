// The anonymiser's dedicated worker: Pyodide plus the `anonymizer` package, loaded from this
// folder only. Started by anonymizer.js as a module worker; talks to it by messages:
//
//   -> {id, type: "anonymize", blob, profile, uidSecret}
//   <- {id, ok: true, name, blob, report, headerBytesRead}
//   <- {id, ok: false, kind, reason, findings}   kind: refused | not-dicom | malformed | error
//   -> {id, type: "rules", profile}              <- {id, ok: true, rules}
//   <- {type: "status", text}  while loading;  {type: "ready", profiles, versions, ms}
//   <- {type: "fatal", reason}  Pyodide cannot go on: anonymizer.js starts a new worker.

import { loadPyodide } from "./pyodide/pyodide.mjs";

const base = new URL("./", import.meta.url);
const syncReader = new FileReaderSync();
const started = performance.now();

let pyodide = null;
let bridge = null;

function status(text) {
  self.postMessage({ type: "status", text });
}

// Called from Python (bridge.BlobFile.readinto): the bytes [start, stop) of a Blob.
function readRange(blob, start, stop) {
  return new Uint8Array(syncReader.readAsArrayBuffer(blob.slice(start, stop)));
}

async function fetchOwn(path, as) {
  const url = new URL(path, base);
  if (url.origin !== base.origin) throw new Error(`refusing to load ${url} from another origin`);
  const response = await fetch(url, { credentials: "same-origin", cache: "no-cache" });
  if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
  return as === "json" ? response.json() : response.text();
}

async function init() {
  status("Loading the Python runtime…");
  const info = await fetchOwn("build-info.json", "json");
  // Fetched while the runtime loads: bytecode of the wheels, made at build time.
  const precompiled = info.precompiled
    ? fetch(new URL(`wheels/${info.precompiled}`, base)).then((r) => (r.ok ? r.arrayBuffer() : null)).catch(() => null)
    : Promise.resolve(null);
  const indexURL = new URL("pyodide/", base).href;
  pyodide = await loadPyodide({
    indexURL,
    packageBaseUrl: indexURL,
    lockFileURL: new URL("pyodide-lock.json", indexURL).href,
    fullStdLib: false,
    stdout: () => {},
    stderr: (line) => console.warn("[python]", line),
  });
  status("Installing pydicom and the anonymiser…");
  const wheels = info.wheels.map((name) => new URL(`wheels/${name}`, base).href);
  for (const url of wheels) {
    if (new URL(url).origin !== base.origin) throw new Error(`refusing wheel from another origin: ${url}`);
  }
  await pyodide.loadPackage(wheels, { messageCallback: () => {}, errorCallback: (m) => console.warn(m) });
  const bytecode = await precompiled;
  if (bytecode) {
    try {
      const sitePackages = pyodide.runPython("import site; site.getsitepackages()[0]");
      pyodide.unpackArchive(new Uint8Array(bytecode), "zip", { extractDir: sitePackages });
    } catch (error) {
      console.warn("precompiled bytecode not used:", error);
    }
  }
  status("Starting the anonymiser…");
  const source = await fetchOwn("bridge.py", "text");
  const namespace = pyodide.globals.get("dict")();
  pyodide.runPython(source, { globals: namespace, filename: "bridge.py" });
  bridge = {
    run: namespace.get("run"),
    rules: namespace.get("rules"),
    profiles: namespace.get("profiles"),
    versions: namespace.get("versions"),
  };
  namespace.destroy();
  // Import everything the engine needs now, so that the first file is not slow.
  const profiles = JSON.parse(bridge.profiles());
  const versions = JSON.parse(bridge.versions());
  self.postMessage({ type: "ready", profiles, versions, ms: Math.round(performance.now() - started) });
}

function isFatal(error) {
  return Boolean(error && (error.pyodide_fatal_error || /fatal error/i.test(String(error.message))));
}

function anonymizeJob({ id, blob, profile, uidSecret }) {
  const parts = [];
  const json = bridge.run(blob, readRange, profile, uidSecret || "", parts);
  const outcome = JSON.parse(json);
  if (!outcome.ok) {
    self.postMessage({ id, ok: false, kind: outcome.kind, reason: outcome.reason, findings: outcome.findings });
    return;
  }
  const out = new Blob(parts, { type: "application/dicom" });
  self.postMessage({
    id,
    ok: true,
    name: outcome.name,
    blob: out,
    report: outcome.report,
    headerBytesRead: outcome.header_bytes_read,
  });
}

const ready = init().catch((error) => {
  self.postMessage({ type: "fatal", reason: `The anonymiser could not start: ${error.message || error}` });
  throw error;
});

self.onmessage = async (event) => {
  const message = event.data;
  try {
    await ready;
  } catch {
    return;
  }
  try {
    if (message.type === "anonymize") {
      anonymizeJob(message);
    } else if (message.type === "rules") {
      self.postMessage({ id: message.id, ok: true, rules: JSON.parse(bridge.rules(message.profile)) });
    } else {
      self.postMessage({ id: message.id, ok: false, kind: "error", reason: `unknown request ${message.type}` });
    }
  } catch (error) {
    const reason = `internal error: ${error && error.message ? error.message : error}`;
    self.postMessage({ id: message.id, ok: false, kind: "error", reason, findings: [] });
    if (isFatal(error)) self.postMessage({ type: "fatal", reason });
  }
};
