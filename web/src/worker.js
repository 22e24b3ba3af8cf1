// One of the anonymiser's dedicated workers: Pyodide plus the `anonymizer` package, loaded
// from this folder only. anonymizer.js starts a pool of them (module workers) and talks to
// each by messages:
//
//   -> {id, type: "anonymize", blob, head, settings, rows}
//        head: the Blob's first bytes (a Uint8Array, or null), read by the page ahead of time;
//        settings: {key, profile, options, policy, policyName, uidSecret, batchKey, assignedIds}
//        (checked once per `key`, then kept for the next files of the batch); rows: whether the
//        report has its rows (the page asks for them when a person opens a file)
//   <- {id, ok: true, name, newBytes, parts, report, uidMapping, patientIdMapping, headerBytesRead}
//        the output is `parts` in order: ["new", a, b] is newBytes[a:b], ["input", a, b] the
//        input Blob's bytes [a, b)
//   <- {id, ok: false, kind, reason, findings}   kind: refused | not-dicom | malformed | settings | error
//   -> {id, type: "rules", profile, options, policy, policyName}   <- {id, ok: true, rules}
//   -> {id, type: "check", profile, options, policy, policyName}   <- {id, ok: true, profile, options, policy}
//   -> {id, type: "assigned-ids", text, name}                      <- {id, ok: true, pairs}
//   <- {type: "status", text}  while loading;  {type: "ready", profiles, options, versions, ms}
//   <- {type: "fatal", reason}  Pyodide cannot go on: anonymizer.js starts a new worker.
//
// Requests are handled one at a time, in order: anonymizer.js may send the next file before
// this one is done, so that the worker never waits for the page between files.
//
// Test-only faults: when this worker was started with `?test-faults=1` in its URL (which
// anonymizer.js does only for createAnonymizer({testFaults: true})), a request may carry
// `testFault`: "hang" (an endless loop), "exit" (the worker closes itself without a word),
// "trap" (a WebAssembly memory access out of bounds, from Python), "throw" (an uncaught
// error); and {type: "memory"} answers {wasmBytes, python: {objects, types, bounded_caches}}. Nothing in a
// file can trigger them: they are fields of the request.

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
  for (const name of ["prepare", "run", "read_assigned_ids", "rules", "check", "profiles", "options", "versions", "test_fault", "memory_figures"]) {
    bridge[name] = namespace.get(name);
  }
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

// Checked settings (bridge.Prepared proxies) by their key: a batch's settings are checked
// once, not once per file. A few are kept, the oldest dropped.
const prepared = new Map();
const PREPARED_KEPT = 4;

function preparedFor(settings) {
  let entry = prepared.get(settings.key);
  if (!entry) {
    entry = bridge.prepare(
      settings.profile || "", optionsJson(settings.options), settings.policy || "", settings.policyName || "",
      settings.uidSecret || "", settings.batchKey || "", JSON.stringify(settings.assignedIds || []),
    );
    prepared.set(settings.key, entry);
    if (prepared.size > PREPARED_KEPT) {
      const [oldest, proxy] = prepared.entries().next().value;
      prepared.delete(oldest);
      proxy.destroy();
    }
  }
  return entry;
}

function anonymizeJob({ id, blob, head, settings, rows }) {
  // Reads within the head the page sent are served from it: a Blob read here costs the worker
  // about 2 ms (a round trip to the browser's blob store), a typical header's whole read.
  const read = head
    ? (from, start, stop) => (start < head.length ? head.subarray(start, Math.min(stop, head.length)) : readRange(from, start, stop))
    : readRange;
  const returned = bridge.run(blob, read, preparedFor(settings), Boolean(rows));
  let json, newBytes;
  try {
    json = returned.get(0);
    const bytes = returned.get(1);
    newBytes = bytes.toJs();
    bytes.destroy();
  } finally {
    returned.destroy();
  }
  const outcome = JSON.parse(json);
  if (!outcome.ok) {
    self.postMessage({ id, ok: false, kind: outcome.kind, reason: outcome.reason, findings: outcome.findings });
    return;
  }
  // The output is described, not made: anonymizer.js makes its Blob when it is first asked
  // for (each Blob or slice made here would cost the worker a round trip to the browser).
  self.postMessage({
    id,
    ok: true,
    name: outcome.name,
    newBytes,
    parts: outcome.parts,
    report: outcome.report,
    uidMapping: outcome.uid_mapping,
    patientIdMapping: outcome.patient_id_mapping,
    headerBytesRead: outcome.header_bytes_read,
  }, [newBytes.buffer]);
}

function assignedIdsJob({ id, text, name }) {
  self.postMessage({ id, ...JSON.parse(bridge.read_assigned_ids(text, name)) });
}

function memoryJob({ id }) {
  // the checked settings are a bounded cache too (PREPARED_KEPT): emptied like the engine's
  for (const proxy of prepared.values()) proxy.destroy();
  prepared.clear();
  const wasmBytes = pyodide._module.HEAPU8.length;
  self.postMessage({ id, ok: true, wasmBytes, python: JSON.parse(bridge.memory_figures()) });
}

function settingsJob(kind, { id, profile, options, policy, policyName, assignedIds }) {
  const outcome = JSON.parse(kind === "rules"
    ? bridge.rules(profile || "", optionsJson(options), policy || "", policyName || "")
    : bridge.check(profile || "", optionsJson(options), policy || "", policyName || "", JSON.stringify(assignedIds || [])));
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
    } else if (message.type === "assigned-ids") {
      assignedIdsJob(message);
    } else if (message.type === "memory" && faultsAllowed) {
      memoryJob(message);
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
