// DICOM anonymiser in the browser: the public ES module API.
//
//   import { createAnonymizer } from "./anonymizer.js";
//   const anonymizer = await createAnonymizer({ baseUrl: "/static/anonymizer/" });
//   const { name, blob, report, warnings } = await anonymizer.anonymize(file, { profile: "basic", options: ["retain-uids"] });
//
// Everything runs in dedicated Web Workers (Pyodide + the `anonymizer` Python package, the
// same engine as the command line), loaded from `baseUrl` only: a pool of them, sized from
// navigator.hardwareConcurrency (at most 4 by default). A worker that dies or hangs fails the
// file it had, naming it, and is replaced. See web/README.md.

import { looksLikeZip, makeZip, readZip } from "./zip.js";

export { makeZip, readZip };

const HERE = new URL("./", import.meta.url);

/** Why a file was not anonymised. `kind` is "refused", "not-dicom", "malformed", "error",
 * "cancelled", or "settings" (the profile, options or custom policy cannot be used: nothing was read). */
export class AnonymizeError extends Error {
  constructor(kind, reason, { findings = [], input = null } = {}) {
    super(reason);
    this.name = "AnonymizeError";
    this.kind = kind;
    this.reason = reason;
    this.findings = findings;
    this.input = input;
  }
}

/** What a status means, in words (the page shows these; colours only repeat them). */
export const STATUS_TEXT = {
  queued: "Queued",
  processing: "Processing",
  anonymised: "Anonymised",
  warnings: "Anonymised, with warnings",
  refused: "Refused",
  "not-dicom": "Skipped: not DICOM",
  error: "Error",
  cancelled: "Cancelled",
};

function toBlob(input) {
  if (input instanceof Blob) return input;
  if (input instanceof ArrayBuffer) return new Blob([input]);
  if (ArrayBuffer.isView(input)) return new Blob([input]);
  throw new TypeError("anonymize() takes a File, a Blob, an ArrayBuffer or a typed array");
}

function inputPath(input, index) {
  if (input && typeof input.name === "string" && input.name) return input.webkitRelativePath || input.name;
  return `input-${index + 1}`;
}

// ZIP members the command line skips, with the same reasons (anonymizer/cli.py).
const MAX_MEMBER_SIZE = 8 * 2 ** 30;
const MAX_COMPRESSION_RATIO = 1000;

function unsafeMember(member) {
  const parts = member.path.replaceAll("\\", "/").split("/");
  if (member.path.startsWith("/") || parts.includes("..")) return "the member name points outside the archive";
  if (member.size > MAX_MEMBER_SIZE) return `the member would extract to ${member.size} bytes, more than the ${MAX_MEMBER_SIZE} allowed`;
  if (member.compressedSize && member.size / member.compressedSize > MAX_COMPRESSION_RATIO && member.size > 2 ** 20) {
    return "the member is compressed more than 1000:1, like a ZIP bomb";
  }
  return null;
}

/**
 * Turn Files/Blobs/ArrayBuffers (or {blob|file, path} objects) into a flat list of inputs,
 * opening ZIP archives as the command line does: their members become inputs (archives inside
 * archives are not opened). Only the archives' directories are read here; members are read
 * when processed.
 * @returns {Promise<Array<{path: string, size: number, getBlob: () => Promise<Blob>, status?: string, reason?: string}>>}
 */
export async function collectInputs(files, { unzip = true } = {}) {
  const out = [];
  for await (const input of listInputs(files, { unzip })) out.push(input);
  return out;
}

// collectInputs() one input at a time, so that anonymizeAll() can start on the first files
// while the others are looked at: whether a file is a ZIP takes a read of its first bytes, a
// round trip to the browser's blob store (half a second for 1,000 files). Invalid arguments
// throw before anything is read.
function listInputs(files, { unzip = true } = {}) {
  const given = [];
  let index = 0;
  for (const item of files) {
    if (item && typeof item.getBlob === "function") {
      given.push({ record: item });
    } else if (item && !(item instanceof Blob) && (item.blob || item.file)) {
      given.push({ blob: toBlob(item.blob || item.file), path: item.path || inputPath(item.blob || item.file, index) });
    } else {
      given.push({ blob: toBlob(item), path: inputPath(item, index) });
    }
    index++;
  }
  return (async function* inputs() {
    let held = 0; // bytes of heads this listing keeps for its records (listedHeads)
    for (const { record, blob, path } of given) {
      if (record) {
        yield record;
        continue;
      }
      let head = null;
      if (unzip) {
        try {
          head = await readHead(blob);
        } catch (error) {  // the file went away or cannot be read: this file fails, the others go on
          yield { path, size: blob.size, getBlob: async () => blob, status: "error", reason: `the file cannot be read: ${error.message || error}` };
          continue;
        }
      }
      if (head && looksLikeZip(head, blob.size)) {
        yield* zipMembers(blob, path);
        continue;
      }
      const listed = { path, size: blob.size, getBlob: async () => blob };
      if (head && held + head.length <= HEADS_KEPT_BYTES) {
        held += head.length;
        listedHeads.set(listed, { head, blob, release: () => { held -= head.length; } });
      }
      yield listed;
    }
  })();
}

// The first bytes of a listed file, read by the ZIP test, kept for the request that sends the
// file to a worker: each file's head is read once, not twice (a Blob read costs the page and the
// browser about half a millisecond, whatever its size). A listing keeps at most
// HEADS_KEPT_BYTES of heads at a time, each let go when its file is sent; past that, a file's
// head is read again when it is sent. Keyed by the record: a record dropped takes its head along.
const listedHeads = new WeakMap();
const HEADS_KEPT_BYTES = 64 * 2 ** 20;

/** The head read when `record` was listed, if it is the head of `blob` (else null: read again). */
function takeListedHead(record, blob) {
  const listed = listedHeads.get(record);
  if (!listed) return null;
  listedHeads.delete(record);
  listed.release();
  return listed.blob === blob ? listed.head : null;
}

/** The first HEAD_BYTES of `blob` (all of it when smaller). */
async function readHead(blob) {
  return new Uint8Array(await blob.slice(0, HEAD_BYTES).arrayBuffer());
}

async function* zipMembers(blob, path) {
  let members;
  try {
    members = await readZip(blob);
  } catch (error) {
    yield { path, size: blob.size, getBlob: async () => blob, status: "not-dicom", reason: `not DICOM, and not a readable ZIP archive: ${error.message}` };
    return;
  }
  for (const member of members) {
    if (member.directory) continue;
    const memberPath = `${path}:${member.path}`;
    const problem = member.encrypted ? "the member is encrypted" : unsafeMember(member);
    if (problem) {
      yield { path: memberPath, size: member.size, getBlob: member.getBlob, status: "not-dicom", reason: problem };
    } else {
      yield { path: memberPath, size: member.size, getBlob: member.getBlob };
    }
  }
}

/**
 * The name each result gets in a ZIP, as the command line names its output files: the
 * result's relative path, and `<stem>_2.dcm`, `<stem>_3.dcm` ... for later results with a
 * name already taken (two inputs with the same SOP Instance UID).
 * @param {Array<{name: string}>} results
 * @returns {string[]}
 */
export function uniqueNames(results) {
  const taken = new Set();
  return results.map((r) => {
    let name = r.name;
    if (taken.has(name)) {
      const stem = name.replace(/\.dcm$/, "");
      let number = 2;
      while (taken.has(`${stem}_${number}.dcm`)) number++;
      name = `${stem}_${number}.dcm`;
    }
    taken.add(name);
    return name;
  });
}

// A CSV field as Python's csv.writer (QUOTE_MINIMAL, lineterminator "\n") writes it.
function csvField(text) {
  return /[,"\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

function csvTable(table) {
  let text = "id_old,id_new\n";
  for (const [old, id] of table) text += `${csvField(old)},${csvField(id)}\n`;
  return text;
}

/**
 * The mapping tables of a research release, `uid_mapping.csv` and `patid_mapping.csv`, as the
 * command line's `--mapping-dir` writes them for the same files and settings: header
 * `id_old,id_new`, one row per UID / Patient ID replaced, in the order first seen (the
 * pre-assigned IDs first, in their file's order, then the anonymised results in input order).
 *
 * THESE FILES RE-IDENTIFY THE PATIENTS: keep them with the project's secret, never with the
 * anonymised data.
 * @param {Array<{name?: string, path?: string, uidMapping?: Array, patientIdMapping?: Array}>} results
 *   what anonymizeAll() returned (files not anonymised are skipped)
 * @param {{assignedIds?: Array<[string, string]>|Map<string, string>}} [options]
 *   the pre-assigned IDs the batch was given (as pairs: see readAssignedIds)
 * @returns {{"uid_mapping.csv": string, "patid_mapping.csv": string}}
 * @throws {AnonymizeError} kind "error" when a row contradicts another (files of one patient
 *   anonymised with two keys: batches without a secret), naming the file
 */
export function mappingTables(results, { assignedIds = [] } = {}) {
  const uids = new Map();
  const patientIds = new Map();
  const uidOf = new Map(); // new UID -> its original: two originals never share one
  const add = (table, kind, old, id, where) => {
    const known = table.get(old);
    if (known !== undefined && known !== id) throw new AnonymizeError("error", `${where}: ${kind} ${old} -> ${id} contradicts the row ${old},${known}`);
    const clash = table === uids ? uidOf.get(id) : undefined;
    if (clash !== undefined && clash !== old) throw new AnonymizeError("error", `${where}: ${kind} ${old} -> ${id} contradicts the row ${clash},${id}`);
    table.set(old, id);
    if (table === uids) uidOf.set(id, old);
  };
  for (const [old, id] of assignedIds) add(patientIds, "Patient ID", String(old), String(id), "the pre-assigned IDs");
  for (const result of results) {
    if (!result || !result.name) continue;
    const where = result.path || result.name;
    for (const [old, id] of result.patientIdMapping || []) add(patientIds, "Patient ID", old, id, where);
    for (const [old, id] of result.uidMapping || []) add(uids, "UID", old, id, where);
  }
  return { "uid_mapping.csv": csvTable(uids), "patid_mapping.csv": csvTable(patientIds) };
}

/** True when a result has a warning of level 1 or 2 (a person should look at it). */
export function hasWarnings(result) {
  return (result.warnings || []).some((w) => (w.level ?? 2) <= 2);
}

const DEFAULT_TIMEOUT_MS = 60_000;
const DEFAULT_TIMEOUT_PER_MB_MS = 1_000;
export const MAX_DEFAULT_WORKERS = 4;
const PIPELINE = 2; // requests sent to a worker at a time
const HEAD_BYTES = 64 * 1024; // read by the page ahead of the worker: a typical header

/** How many workers a pool gets by default: one per core, at most MAX_DEFAULT_WORKERS. */
export function defaultWorkerCount() {
  const cores = (globalThis.navigator && globalThis.navigator.hardwareConcurrency) || 1;
  return Math.max(1, Math.min(MAX_DEFAULT_WORKERS, cores));
}

/** The name the command line gives a policy read from `fileName` (Python's Path.stem). */
export function policyNameOf(fileName) {
  const base = String(fileName).split(/[\\/]/).pop();
  const dot = base.lastIndexOf(".");
  return dot > 0 && dot < base.length - 1 ? base.slice(0, dot) : base;
}

async function policySettings({ policy, policyName } = {}) {
  if (policy == null || policy === "") return { policy: "", policyName: "" };
  if (policy instanceof Blob) {
    return { policy: await policy.text(), policyName: policyName || (policy.name ? policyNameOf(policy.name) : "") };
  }
  if (typeof policy !== "string") throw new TypeError("policy is the JSON text of a custom policy (a string, a File or a Blob)");
  return { policy, policyName: policyName || "" };
}

/**
 * `result.blob`, the anonymised file, made when first read: new bytes and slices of the input
 * Blob (its pixel data, never copied). Making a Blob costs a round trip to the browser's blob
 * store, so a batch does not make one per file until they are used.
 */
function withOutput(result, input, { newBytes, parts }) {
  let blob = null;
  Object.defineProperty(result, "blob", {
    enumerable: true,
    configurable: true,
    get() {
      blob ??= new Blob(parts.map(([from, start, stop]) => (from === "new" ? newBytes.subarray(start, stop) : input.slice(start, stop))), { type: "application/dicom" });
      return blob;
    },
  });
  return result;
}

/** 32 random bytes in hex: the key of a batch given no secret (never shown or kept). */
function randomKey() {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

function seconds(ms) {
  return ms >= 10_000 ? `${Math.round(ms / 1000)} s` : `${(ms / 1000).toFixed(1)} s`;
}

class Anonymizer {
  constructor({ baseUrl, onStatus, workers, timeoutMs, timeoutPerMBMs, testFaults } = {}) {
    this.baseUrl = new URL(baseUrl ?? HERE, globalThis.location ? globalThis.location.href : HERE);
    if (!this.baseUrl.pathname.endsWith("/")) this.baseUrl.pathname += "/";
    this.onStatus = onStatus || (() => {});
    this.size = Math.max(1, Math.min(16, Math.floor(Number(workers) || defaultWorkerCount())));
    this.timeoutMs = timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.timeoutPerMBMs = timeoutPerMBMs ?? DEFAULT_TIMEOUT_PER_MB_MS;
    this.testFaults = Boolean(testFaults);
    this.profiles = [];
    this.options = [];
    this.versions = {};
    this.startupMs = null; // from creation to ready: every worker of the pool loaded
    this.allReadyMs = null; // when every worker of the pool was ready, from creation
    this.restarts = 0;
    this._created = performance.now();
    this._nextId = 1;
    this._nextSettings = 1;
    this._key = randomKey(); // for anonymize() without a secret (see _requestSettings)
    this._queue = [];
    this._slots = [];
    this._closed = false;
    this.ready = new Promise((resolve, reject) => {
      this._resolveReady = resolve;
      this._rejectReady = reject;
    });
    // Every worker loads at once, and the pool is ready when none is still loading: nothing is
    // fetched once it is ready (but by a worker restarted after a crash).
    while (this._slots.length < this.size) this._addSlot();
  }

  /** {size, ready, busy, starting}: the pool's workers now. */
  get workers() {
    const up = this._slots.filter((s) => s.state === "up");
    const busy = up.filter((s) => s.jobs.length).length;
    return { size: this.size, ready: up.length - busy, busy, starting: this._slots.filter((s) => s.state === "starting").length };
  }

  // A slot is a place in the pool: its worker ("starting", "up" or "dead", replaced when it
  // dies) and the requests sent to it, in order (jobs[0] is the one it is working on).
  _addSlot() {
    const slot = { index: this._slots.length, worker: null, state: "dead", jobs: [], timer: null };
    this._slots.push(slot);
    this._spawn(slot);
    return slot;
  }

  _spawn(slot) {
    const url = new URL("worker.js", this.baseUrl);
    if (this.testFaults) url.searchParams.set("test-faults", "1");
    const worker = new Worker(url, { type: "module", name: `dicom-anonymizer-${slot.index + 1}` });
    slot.worker = worker;
    slot.state = "starting";
    slot.jobs = [];
    worker.onmessage = (event) => {
      if (slot.worker === worker) this._message(slot, event.data);
    };
    worker.onerror = (event) => {
      event.preventDefault();
      if (slot.worker !== worker) return;
      const reason = event.message || "the worker failed";
      if (slot.state === "starting") this._startFailed(slot, `The anonymiser could not start: ${reason}`);
      else this._crashed(slot, reason);
    };
  }

  _emit(text) {
    if (this._closed) return;
    const workers = this.workers;
    if (workers.ready + workers.busy > 0) {
      this.onStatus({ state: "ready", text: "Ready", profiles: this.profiles, options: this.options, versions: this.versions, ms: this.startupMs, workers });
    } else {
      this.onStatus({ state: "loading", text: text || "Loading the anonymiser…", workers });
    }
  }

  _message(slot, m) {
    if (m.type === "status") {
      if (this.startupMs === null) this.onStatus({ state: "loading", text: m.text, workers: this.workers });
    } else if (m.type === "ready") {
      slot.state = "up";
      if (this.startupMs === null) {
        this.profiles = m.profiles;
        this.options = m.options || [];
        this.versions = m.versions;
        this._readyWhenLoaded();
      } else {
        this._emit();
      }
      if (this.allReadyMs === null && this._slots.length === this.size && this._slots.every((s) => s.state !== "starting")) {
        this.allReadyMs = Math.round(performance.now() - this._created);
      }
      this._dispatch();
    } else if (m.type === "fatal") {
      if (slot.state === "starting") this._startFailed(slot, m.reason);
      else this._crashed(slot, m.reason);
    } else {
      const at = slot.jobs.findIndex((job) => job.id === m.id);
      if (at < 0) return;
      const [job] = slot.jobs.splice(at, 1);
      if (at === 0) {
        clearTimeout(slot.timer);
        this._started(slot);
      }
      job.settle({ ...m, worker: slot.index });
      this._dispatch();
    }
  }

  // The worker goes on with its next request: its time limit starts now.
  _started(slot) {
    const job = slot.jobs[0];
    if (!job) return;
    if (job.onStart) job.onStart();
    if (Number.isFinite(job.timeoutMs) && job.timeoutMs > 0) {
      slot.timer = setTimeout(() => {
        if (slot.jobs[0] === job) this._crashed(slot, "timed out", { timedOut: true });
      }, job.timeoutMs);
    }
  }

  // Ready once no worker is loading any more, if one at least is up.
  _readyWhenLoaded() {
    if (this.startupMs !== null || this._slots.some((s) => s.state === "starting")) return;
    if (!this._slots.some((s) => s.state === "up")) return;
    this.startupMs = Math.round(performance.now() - this._created);
    this._emit();
    this._resolveReady(this);
  }

  _startFailed(slot, reason) {
    if (slot.worker) slot.worker.terminate();
    slot.worker = null;
    slot.state = "dead";
    const alive = this._slots.some((s) => s.state !== "dead");
    if (this.startupMs === null && !alive) {
      this.onStatus({ state: "error", text: reason });
      this._rejectReady(new Error(reason));
    } else if (this.startupMs === null) {
      this._readyWhenLoaded(); // the others may all be up: the pool works with fewer workers
    } else if (!alive) {
      this.onStatus({ state: "error", text: reason });
      for (const job of this._queue.splice(0)) job.settle({ ok: false, kind: "error", reason: `${reason} (while waiting to process ${job.label})` });
    }
  }

  // A worker died, hung or hit a fatal error: fail the request it had (naming its file), start
  // a new worker in its place; the queue goes on with the others.
  _crashed(slot, reason, { timedOut = false } = {}) {
    const [job, ...unstarted] = slot.jobs;
    clearTimeout(slot.timer);
    if (slot.worker) slot.worker.terminate();
    slot.worker = null;
    slot.jobs = [];
    slot.state = "dead";
    this._queue.unshift(...unstarted); // sent after the failed one, never begun: another worker takes them
    this.restarts++;
    if (job) {
      const text = timedOut
        ? `The anonymiser took longer than ${seconds(job.timeoutMs)} on ${job.label} and was stopped; it has been restarted and the other files go on.`
        : `The anonymiser stopped while processing ${job.label} (${reason}); it has been restarted and the other files go on.`;
      job.settle({ ok: false, kind: "error", reason: text, crashed: timedOut ? "timeout" : "crash" });
    }
    if (this._closed) return;
    this._spawn(slot);
    this._emit("Restarting the anonymiser…");
    this._dispatch();
  }

  // Each worker gets up to PIPELINE requests: the next file is already there when it finishes
  // one, so it does not wait for the page in between. Idle workers are served first.
  _dispatch() {
    for (let depth = 1; depth <= PIPELINE; depth++) {
      for (const slot of this._slots) {
        if (!this._queue.length) return;
        if (slot.state !== "up" || slot.jobs.length >= depth) continue;
        this._send(slot, this._queue.shift());
      }
    }
    if (this._queue.length && !this._slots.some((s) => s.state !== "dead")) {
      for (const job of this._queue.splice(0)) job.settle({ ok: false, kind: "error", reason: "the anonymiser is not running" });
    }
  }

  _send(slot, job) {
    slot.jobs.push(job);
    slot.worker.postMessage({ ...job.message, id: job.id });
    if (slot.jobs.length === 1) this._started(slot);
  }

  /**
   * For tests only (createAnonymizer({testFaults: true})): each running worker's WebAssembly
   * memory and Python's live objects (by type), counted after emptying the engine's bounded
   * caches (their sizes are in `bounded_caches`) and a garbage collection.
   * @returns {Promise<Array<{worker: number, wasmBytes: number, python: {objects: number, types: object, bounded_caches: object}}>>}
   */
  async memoryFigures() {
    if (!this.testFaults) throw new Error("memoryFigures() is for tests: createAnonymizer({testFaults: true})");
    await this.ready;
    const up = this._slots.filter((slot) => slot.state === "up");
    return Promise.all(up.map((slot) => new Promise((settle) => {
      this._send(slot, { id: this._nextId++, message: { type: "memory" }, label: "the memory figures", timeoutMs: this.timeoutMs, settle });
    })));
  }

  // Send a request to the next free worker; `onStart` is called when a worker begins it.
  async _request(message, label, timeoutMs = this.timeoutMs, onStart = null) {
    await this.ready;
    if (this._closed) return { ok: false, kind: "cancelled", reason: "the anonymiser was stopped" };
    return new Promise((resolve) => {
      this._queue.push({ id: this._nextId++, message, label, timeoutMs, onStart, settle: resolve });
      this._dispatch();
    });
  }

  /**
   * Check settings as the command line does, without reading a file.
   * @param {{profile?: string, options?: string[], policy?: string|Blob, policyName?: string}} settings
   * @returns {Promise<{profile: string, options: string[], policy: null|{name: string, profile: string, options: string[], description: string, rules: number}}>}
   *   the profile used (a policy's own when none is given) and every option applied (the
   *   policy's included), in the order of anonymizer.OPTIONS
   * @throws {AnonymizeError} kind "settings", with the engine's message (e.g. two options that
   *   exclude each other, or which rule of the policy is wrong and why)
   */
  async checkSettings(settings = {}) {
    const { policy, policyName } = await policySettings(settings);
    const assignedIds = await this._assignedPairs(settings.assignedIds);
    const reply = await this._request({ type: "check", profile: settings.profile || "", options: settings.options || [], policy, policyName, assignedIds }, "the settings");
    if (!reply.ok) throw new AnonymizeError(reply.kind, reply.reason);
    return { profile: reply.profile, options: reply.options, policy: reply.policy };
  }

  /**
   * Pre-assigned IDs (original Patient ID -> trial ID) from a CSV file, read as the command
   * line's `--assign-ids` reads it: `id_old,id_new` (or any two columns, with or without that
   * header), blank rows skipped.
   * @param {File|Blob|string} csv  the file, or its text
   * @param {string} [name]  how messages name it (default: the File's name, else "assigned-ids.csv")
   * @returns {Promise<Array<[string, string]>>} the pairs, in the file's order
   * @throws {AnonymizeError} kind "settings", naming the row, e.g. "ids.csv, row 3 ['X']:
   *   expected two values, old and new", or an original given two IDs
   */
  async readAssignedIds(csv, name) {
    const text = csv instanceof Blob ? await csv.text() : String(csv);
    const label = name || (csv && csv.name) || "assigned-ids.csv";
    const reply = await this._request({ type: "assigned-ids", text, name: label }, label);
    if (!reply.ok) throw new AnonymizeError(reply.kind, reply.reason);
    return reply.pairs;
  }

  async _assignedPairs(assignedIds) {
    if (assignedIds == null) return [];
    if (typeof assignedIds === "string" || assignedIds instanceof Blob) return this.readAssignedIds(assignedIds);
    if (assignedIds instanceof Map || Array.isArray(assignedIds)) return [...assignedIds].map(([old, id]) => [String(old), String(id)]);
    throw new TypeError("assignedIds is a CSV (a File, Blob or text), a Map or an array of [original Patient ID, trial ID] pairs");
  }

  // The settings of requests as a worker takes them. `key` names them: a worker checks them
  // once and keeps them for the next files of the batch. `batchKey` keys the UIDs, patient
  // pseudonyms and date shifts when no secret is given to a profile that needs a key (tcia),
  // so that the files of a batch link whichever worker did them; it is never shown or kept.
  async _requestSettings(settings, batchKey) {
    const { policy, policyName } = await policySettings(settings);
    return {
      key: `settings-${this._nextSettings++}`,
      profile: settings.profile || "",
      options: settings.options || [],
      policy,
      policyName,
      uidSecret: settings.uidSecret || "",
      batchKey,
      assignedIds: await this._assignedPairs(settings.assignedIds),
    };
  }

  /**
   * Anonymise one file.
   * @param {File|Blob|ArrayBuffer} input
   * @param {{profile?: string, options?: string[], policy?: string|Blob, policyName?: string,
   *   uidSecret?: string, assignedIds?: File|Blob|string|Map|Array, label?: string, timeoutMs?: number}} [settings]
   *   profile: one of `profiles` (default: the policy's, else the first); options: names from
   *   `options`; policy: the JSON text of a custom policy (or a File/Blob holding it);
   *   policyName: its name when the JSON has none (default: the File's name without its
   *   extension, as the command line names it, else "custom"); assignedIds: pre-assigned IDs
   *   (see readAssignedIds); label: how error messages name the file (default: its name, if it
   *   is a File); timeoutMs: how long the worker may take (default: the pool's timeoutMs +
   *   timeoutPerMBMs per MB of the file).
   * @returns {Promise<{name: string, blob: Blob, report: object, warnings: Array,
   *   uidMapping: Array<[string, string]>, patientIdMapping: Array<[string, string]>, details: () => Promise<object>}>}
   *   `name` is the output's relative path (`<study>/<series>/<instance>.dcm`, regenerated UIDs).
   * @throws {AnonymizeError} with `.kind` and `.reason` when the file is refused or unreadable.
   */
  async anonymize(input, settings = {}) {
    const blob = toBlob(input);
    const label = settings.label || (input && input.name) || "a file";
    const request = await this._requestSettings(settings, this._key);
    return this._anonymize(blob, request, { label, rows: true, timeoutMs: settings.timeoutMs, testFault: settings.testFault, input });
  }

  async _anonymize(blob, settings, { label, rows, timeoutMs, testFault, onStart, input = blob, head: given = null }) {
    const limit = timeoutMs ?? this.timeoutMs + (this.timeoutPerMBMs * blob.size) / 1e6;
    // the first bytes (unless the listing read them) are read here, while the workers are busy
    // with the files before this one
    const head = given || (await readHead(blob).catch(() => null));
    const message = { type: "anonymize", blob, head, settings, rows };
    if (testFault) message.testFault = testFault;
    const reply = await this._request(message, label, limit, onStart);
    if (!reply.ok) throw new AnonymizeError(reply.kind, reply.reason, { findings: reply.findings || [], input });
    const report = reply.report;
    const details = rows
      ? async () => report
      : async () => {
          const again = await this._anonymize(blob, settings, { label, rows: true, timeoutMs, input });
          if (again.name !== reply.name) {
            throw new AnonymizeError("error", `${label} is not what it was when it was anonymised (it gives ${again.name}, not ${reply.name})`, { input });
          }
          return again.report;
        };
    return withOutput({
      name: reply.name,
      report,
      warnings: report.warnings || [],
      uidMapping: reply.uidMapping,
      patientIdMapping: reply.patientIdMapping,
      headerBytesRead: reply.headerBytesRead,
      worker: reply.worker, // which worker of the pool did it (0, 1 ...): for curiosity and tests
      details,
    }, blob, reply);
  }

  /**
   * Anonymise many files, each worker of the pool taking the next file as soon as it is free.
   * ZIP archives are opened. The settings are checked first: if they cannot be used, this
   * throws (kind "settings") before any file is read.
   *
   * A result's `report` has no `rows` (the before/after table) and its `summary` counts the
   * findings only: `await result.details()` gives the whole report of that file, made again
   * by a worker with the same settings (the output is the same: only the report is kept).
   * Without a secret, the batch gets a random key of its own (for the profiles that key
   * pseudonyms: tcia): its files link to each other, not to another batch's.
   * @param {Iterable<File|Blob|ArrayBuffer|{blob: Blob, path: string}>} files
   * @param {{profile?: string, options?: string[], policy?: string|Blob, policyName?: string,
   *   uidSecret?: string, assignedIds?: File|Blob|string|Map|Array, signal?: AbortSignal,
   *   unzip?: boolean, timeoutMs?: number,
   *   onProgress?: (p: {done: number, total: number, bytesDone: number, bytesTotal: number,
   *   item: object, items: object[]}) => void}} [settings]
   * @returns {Promise<Array<{path: string, size: number, status: string, reason?: string,
   *   findings?: Array, name?: string, blob?: Blob, report?: object, warnings?: Array,
   *   uidMapping?: Array<[string, string]>, patientIdMapping?: Array<[string, string]>,
   *   details?: () => Promise<object>}>>}
   *   one item per input file, in input order whichever worker did what; `status` is a key
   *   of STATUS_TEXT.
   */
  async anonymizeAll(files, settings = {}) {
    const { signal, onProgress, unzip = true, testFault, timeoutMs, ...rest } = settings;
    const inputs = listInputs(files, { unzip });
    const request = await this._requestSettings(rest, randomKey());
    await this.checkSettings({ ...rest, ...request });
    // The items are the input records themselves (those of collectInputs() when given),
    // updated in place, so that a caller holding them sees their status change. They are
    // listed while the first ones are processed: `total` grows as ZIP archives are opened.
    const items = [];
    const progress = { done: 0, total: 0, bytesDone: 0, bytesTotal: 0, items, item: null };
    const report = (item) => onProgress && onProgress({ ...progress, item });
    let listed = false;
    const waiting = []; // lanes waiting for the next input to be listed
    const wake = () => {
      for (const resolve of waiting.splice(0)) resolve();
    };
    const listing = (async () => {
      try {
        for await (const input of inputs) {
          items.push(Object.assign(input, { status: input.status || "queued" }));
          progress.total++;
          progress.bytesTotal += input.size;
          wake();
        }
      } finally {
        listed = true;
        wake();
      }
    })();
    const more = () => new Promise((resolve) => waiting.push(resolve));
    report(null);
    let next = 0;
    const lane = async () => {
      for (;;) {
        if (next >= items.length) {
          if (listed) return;
          await more();
          continue;
        }
        const item = items[next++];
        if (item.status === "queued") {
          if (signal && signal.aborted) {
            item.status = "cancelled";
            item.reason = "cancelled before it was processed";
          } else {
            // testFault (tests only, see worker.js) may be a function of the item.
            const fault = typeof testFault === "function" ? testFault(item) : testFault;
            const started = () => {
              item.status = "processing";
              report(item);
            };
            await this._one(item, request, { timeoutMs, testFault: fault, onStart: started });
          }
        }
        progress.done++;
        progress.bytesDone += item.size;
        report(item);
      }
    };
    await Promise.all([listing, ...Array.from({ length: this.size * PIPELINE }, lane)]);
    return items;
  }

  async _one(item, request, options) {
    try {
      const blob = await item.getBlob();
      const head = takeListedHead(item, blob);
      const result = await this._anonymize(blob, request, { ...options, label: item.path, rows: false, head });
      Object.defineProperties(item, Object.getOwnPropertyDescriptors(result)); // result.blob stays lazy
      item.status = hasWarnings(result) ? "warnings" : "anonymised";
    } catch (error) {
      if (error instanceof AnonymizeError) {
        item.status = error.kind === "malformed" || error.kind === "settings" ? "error" : error.kind;
        item.kind = error.kind;
        item.reason = error.reason;
        item.findings = error.findings;
      } else {
        item.status = "error";
        item.reason = error && error.message ? error.message : String(error);
      }
    }
  }

  /**
   * The rules the engine applies: `anonymizer.policy.rule_table(profile, options)`, with a
   * custom policy's rules over them (rows it sets carry `custom`: the policy's name).
   * @param {string|{profile?: string, options?: string[], policy?: string|Blob, policyName?: string}} [settings]
   *   a profile name, or settings as for anonymize()
   * @returns {Promise<Array<{tag, keyword, name, action, value, reason, free_text, module, exceptions, custom?}>>}
   */
  async rules(settings = {}) {
    if (typeof settings === "string") settings = { profile: settings };
    const { policy, policyName } = await policySettings(settings);
    const reply = await this._request({ type: "rules", profile: settings.profile || "", options: settings.options || [], policy, policyName }, "the rule table");
    if (!reply.ok) throw new AnonymizeError(reply.kind, reply.reason);
    return reply.rules;
  }

  /**
   * One ZIP (STORE) of anonymised results, laid out as the command line writes its output
   * folder: `<study>/<series>/<instance>.dcm` per file, `_2`, `_3` ... added to repeated names.
   * @param {Array<{name: string, blob: Blob}>} results  e.g. what anonymizeAll() returned
   * @param {{onProgress?: (bytesDone: number, bytesTotal: number) => void, signal?: AbortSignal}} [options]
   * @returns {Promise<Blob>}
   */
  async zip(results, options) {
    const done = results.filter((r) => r && r.blob && r.name);
    const names = uniqueNames(done);
    return makeZip(done.map((r, i) => ({ name: names[i], blob: r.blob })), options);
  }

  /** Stop every worker; what was queued or in progress fails as "cancelled". */
  terminate() {
    if (!this._closed && this.startupMs === null) this._rejectReady(new Error("the anonymiser was stopped before it was ready"));
    this._closed = true;
    for (const slot of this._slots) {
      clearTimeout(slot.timer);
      if (slot.worker) slot.worker.terminate();
      slot.worker = null;
      slot.state = "dead";
      for (const job of slot.jobs) job.settle({ ok: false, kind: "cancelled", reason: "the anonymiser was stopped" });
      slot.jobs = [];
    }
    for (const job of this._queue.splice(0)) job.settle({ ok: false, kind: "cancelled", reason: "the anonymiser was stopped" });
  }
}

/**
 * Start the anonymiser (a pool of Web Workers running Pyodide) and wait until it can take
 * files: every worker loads at once, and it is ready when they have (nothing is fetched after
 * that, but by a worker restarted after a crash).
 * @param {{baseUrl?: string|URL, onStatus?: (s: {state: string, text: string, workers: object}) => void,
 *   workers?: number, timeoutMs?: number, timeoutPerMBMs?: number}} [options]
 *   baseUrl: the URL of the folder holding anonymizer.js, worker.js, pyodide/ and wheels/
 *   (default: the folder this module was loaded from). It must be on the page's origin.
 *   workers: how many workers (default: navigator.hardwareConcurrency, at most 4).
 *   timeoutMs, timeoutPerMBMs: a worker that takes longer than timeoutMs + timeoutPerMBMs per
 *   MB of the file (default 60 s + 1 s per MB) is stopped, the file fails, a new worker starts.
 * @returns {Promise<Anonymizer>}
 */
export async function createAnonymizer(options = {}) {
  const anonymizer = new Anonymizer(options);
  await anonymizer.ready;
  return anonymizer;
}
