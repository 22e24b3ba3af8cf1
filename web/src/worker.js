// One of the anonymiser's dedicated workers: Pyodide plus the `anonymizer` package, loaded
// from this folder only. anonymizer.js starts a pool of them (module workers) and talks to
// each by messages:
//
//   -> {id, type: "anonymize", blob, profile, options, policy, policyName, uidSecret}
//   <- {id, ok: true, name, blob, report, headerBytesRead}
//   <- {id, ok: false, kind, reason, findings}   kind: refused | not-dicom | malformed | settings | error
//   -> {id, type: "rules", profile, options, policy, policyName}   <- {id, ok: true, rules}
//   -> {id, type: "check", profile, options, policy, policyName}   <- {id, ok: true, profile, options, policy}
//   <- {type: "status", text}  while loading;  {type: "ready", profiles, options, versions, ms}
//   <- {type: "fatal", reason}  Pyodide cannot go on: anonymizer.js starts a new worker.
//
// Test-only faults: when this worker was started with `?test-faults=1` in its URL (which
// anonymizer.js does only for createAnonymizer({testFaults: true})), a request may carry
// `testFault`: "hang" (an endless loop), "exit" (the worker closes itself without a word),
// "trap" (a WebAssembly memory access out of bounds, from Python), "throw" (an uncaught
// error). Nothing in a file can trigger them: they are fields of the request.

import { loadPyodide } from "./pyodide/pyodide.mjs";

const base = new URL("./", import.meta.url);
const faultsAllowed = new URL(import.meta.url).searchParams.get("test-faults") === "1";
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
  bridge = {};
  for (const name of ["run", "rules", "check", "profiles", "options", "versions", "test_fault"]) bridge[name] = namespace.get(name);
  namespace.destroy();
  // Import everything the engine needs now, so that the first file is not slow.
  const profiles = JSON.parse(bridge.profiles());
  const options = JSON.parse(bridge.options());
  const versions = JSON.parse(bridge.versions());
  self.postMessage({ type: "ready", profiles, options, versions, ms: Math.round(performance.now() - started) });
}

function isFatal(error) {
  return Boolean(error && (error.pyodide_fatal_error || /fatal error/i.test(String(error.message))));
}

// "Pyodide has suffered a fatal error. ... The cause of the fatal error was: RuntimeError: memory
// access out of bounds ..." -> "the Python runtime failed: RuntimeError: memory access out of bounds"
function fatalReason(text) {
  const cause = /cause of the (?:fatal )?error was:\s*([^\n]+)/i.exec(text);
  const line = (cause ? cause[1] : text.split("\n").find((l) => l.trim()) || "a fatal error").trim();
  return `the Python runtime failed: ${line.slice(0, 300)}`;
}

function optionsJson(options) {
  return JSON.stringify(Array.isArray(options) ? options : []);
}

function anonymizeJob({ id, blob, profile, options, policy, policyName, uidSecret }) {
  const parts = [];
  const json = bridge.run(blob, readRange, profile || "", optionsJson(options), policy || "", policyName || "", uidSecret || "", parts);
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

function settingsJob(kind, { id, profile, options, policy, policyName }) {
  const call = kind === "rules" ? bridge.rules : bridge.check;
  const outcome = JSON.parse(call(profile || "", optionsJson(options), policy || "", policyName || ""));
  self.postMessage({ id, ...outcome });
}

function testFault(kind) {
  if (kind === "hang") for (;;);
  if (kind === "exit") self.close();
  if (kind === "throw") setTimeout(() => { throw new Error("test fault: an uncaught error in the worker"); }, 0);
  if (kind === "trap" || kind === "recursion" || kind === "memory") bridge.test_fault(kind);
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
    if (message.testFault && faultsAllowed) {
      testFault(message.testFault);
      if (message.testFault === "exit" || message.testFault === "throw") return;
    }
    if (message.type === "anonymize") {
      anonymizeJob(message);
    } else if (message.type === "rules" || message.type === "check") {
      settingsJob(message.type, message);
    } else {
      self.postMessage({ id: message.id, ok: false, kind: "error", reason: `unknown request ${message.type}` });
    }
  } catch (error) {
    const text = error && error.message ? error.message : String(error);
    if (isFatal(error)) {
      // Pyodide cannot go on: anonymizer.js fails this request, naming the file, and starts a
      // new worker.
      self.postMessage({ type: "fatal", reason: fatalReason(text) });
    } else {
      self.postMessage({ id: message.id, ok: false, kind: "error", reason: `internal error: ${text}`, findings: [] });
    }
  }
};
