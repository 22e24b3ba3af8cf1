// DICOM anonymiser in the browser: the public ES module API.
//
//   import { createAnonymizer } from "./anonymizer.js";
//   const anonymizer = await createAnonymizer({ baseUrl: "/static/anonymizer/" });
//   const { name, blob, report, warnings } = await anonymizer.anonymize(file, { profile: "radiopaedia" });
//
// Everything runs in a dedicated Web Worker (Pyodide + the `anonymizer` Python package, the
// same engine as the command line), loaded from `baseUrl` only. See web/README.md.

import { looksLikeZip, makeZip, readZip } from "./zip.js";

export { makeZip, readZip };

const HERE = new URL("./", import.meta.url);

/** Why a file was not anonymised. `kind` is "refused", "not-dicom", "malformed", "error" or "cancelled". */
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
  let index = 0;
  async function add(blob, path) {
    if (unzip && (await looksLikeZip(blob))) {
      let members;
      try {
        members = await readZip(blob);
      } catch (error) {
        out.push({ path, size: blob.size, getBlob: async () => blob, status: "not-dicom", reason: `not DICOM, and not a readable ZIP archive: ${error.message}` });
        return;
      }
      for (const member of members) {
        if (member.directory) continue;
        const memberPath = `${path}:${member.path}`;
        const problem = member.encrypted ? "the member is encrypted" : unsafeMember(member);
        if (problem) {
          out.push({ path: memberPath, size: member.size, getBlob: member.getBlob, status: "not-dicom", reason: problem });
        } else {
          out.push({ path: memberPath, size: member.size, getBlob: member.getBlob });
        }
      }
      return;
    }
    out.push({ path, size: blob.size, getBlob: async () => blob });
  }
  for (const item of files) {
    if (item && typeof item.getBlob === "function") {
      out.push(item);
    } else if (item && !(item instanceof Blob) && (item.blob || item.file)) {
      await add(toBlob(item.blob || item.file), item.path || inputPath(item.blob || item.file, index));
    } else {
      await add(toBlob(item), inputPath(item, index));
    }
    index++;
  }
  return out;
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

/** True when a result has a warning of level 1 or 2 (a person should look at it). */
export function hasWarnings(result) {
  return (result.warnings || []).some((w) => (w.level ?? 2) <= 2);
}

class Anonymizer {
  constructor(baseUrl, onStatus) {
    this.baseUrl = new URL(baseUrl ?? HERE, globalThis.location ? globalThis.location.href : HERE);
    if (!this.baseUrl.pathname.endsWith("/")) this.baseUrl.pathname += "/";
    this.onStatus = onStatus || (() => {});
    this.profiles = [];
    this.versions = {};
    this.startupMs = null;
    this._nextId = 1;
    this._pending = new Map();
    this._worker = null;
    this.ready = this._start();
  }

  _start() {
    return new Promise((resolve, reject) => {
      let settled = false;
      const worker = new Worker(new URL("worker.js", this.baseUrl), { type: "module", name: "dicom-anonymizer" });
      this._worker = worker;
      const fail = (text) => {
        settled = true;
        if (this._worker === worker) this._worker = null;
        worker.terminate();
        this.onStatus({ state: "error", text });
        reject(new Error(text));
      };
      worker.onmessage = (event) => {
        if (this._worker !== worker) return;
        const m = event.data;
        if (m.type === "status") {
          this.onStatus({ state: "loading", text: m.text });
        } else if (m.type === "ready") {
          this.profiles = m.profiles;
          this.versions = m.versions;
          this.startupMs = m.ms;
          settled = true;
          this.onStatus({ state: "ready", text: "Ready", profiles: m.profiles, versions: m.versions, ms: m.ms });
          resolve(this);
        } else if (m.type === "fatal") {
          if (!settled) {
            fail(m.reason);
          } else {
            this._crashed(m.reason);
          }
        } else if (this._pending.has(m.id)) {
          const job = this._pending.get(m.id);
          this._pending.delete(m.id);
          job.settle(m);
        }
      };
      worker.onerror = (event) => {
        event.preventDefault();
        if (this._worker !== worker) return;
        const reason = event.message || "the worker failed";
        if (!settled) {
          fail(`The anonymiser could not start: ${reason}`);
        } else {
          this._crashed(reason);
        }
      };
    });
  }

  // The worker died (or Pyodide hit a fatal error): fail what it was doing, start a new one.
  _crashed(reason) {
    const worker = this._worker;
    this._worker = null;
    if (worker) worker.terminate();
    for (const [id, job] of this._pending) {
      this._pending.delete(id);
      job.settle({ ok: false, kind: "error", reason: `The anonymiser stopped while processing ${job.label}: ${reason}. It has been restarted.` });
    }
    this.onStatus({ state: "loading", text: "Restarting the anonymiser…" });
    this.ready = this._start();
    this.ready.catch(() => {});
  }

  async _request(message, label) {
    await this.ready;
    if (!this._worker) return { ok: false, kind: "error", reason: "the anonymiser is not running" };
    const id = this._nextId++;
    return new Promise((resolve) => {
      this._pending.set(id, { label, settle: resolve });
      this._worker.postMessage({ ...message, id });
    });
  }

  /**
   * Anonymise one file.
   * @param {File|Blob|ArrayBuffer} input
   * @param {{profile?: string, uidSecret?: string, label?: string}} [options]
   *   label: how error messages name the file (default: its name, if it is a File)
   * @returns {Promise<{name: string, blob: Blob, report: object, warnings: Array}>}
   *   `name` is the output's relative path (`<study>/<series>/<instance>.dcm`, regenerated UIDs).
   * @throws {AnonymizeError} with `.kind` and `.reason` when the file is refused or unreadable.
   */
  async anonymize(input, { profile, uidSecret, label } = {}) {
    const blob = toBlob(input);
    label = label || (input && input.name) || "a file";
    const reply = await this._request({ type: "anonymize", blob, profile: profile || this.profiles[0], uidSecret: uidSecret || "" }, label);
    if (!reply.ok) throw new AnonymizeError(reply.kind, reply.reason, { findings: reply.findings || [], input });
    return {
      name: reply.name,
      blob: reply.blob,
      report: reply.report,
      warnings: reply.report.warnings || [],
      headerBytesRead: reply.headerBytesRead,
    };
  }

  /**
   * Anonymise many files, one after another. ZIP archives are opened.
   * @param {Iterable<File|Blob|ArrayBuffer|{blob: Blob, path: string}>} files
   * @param {{profile?: string, uidSecret?: string, signal?: AbortSignal, unzip?: boolean,
   *   onProgress?: (p: {done: number, total: number, bytesDone: number, bytesTotal: number,
   *   item: object, items: object[]}) => void}} [options]
   * @returns {Promise<Array<{path: string, size: number, status: string, reason?: string,
   *   findings?: Array, name?: string, blob?: Blob, report?: object, warnings?: Array}>>}
   *   one item per input file, in order; `status` is a key of STATUS_TEXT.
   */
  async anonymizeAll(files, { profile, uidSecret, signal, onProgress, unzip = true } = {}) {
    const inputs = await collectInputs(files, { unzip });
    // The items are the input records themselves (those of collectInputs() when given),
    // updated in place, so that a caller holding them sees their status change.
    const items = inputs.map((input) => Object.assign(input, { status: input.status || "queued" }));
    const progress = { done: 0, total: items.length, bytesDone: 0, bytesTotal: items.reduce((s, i) => s + i.size, 0), items, item: null };
    const report = (item) => onProgress && onProgress({ ...progress, item });
    report(null);
    for (const item of items) {
      if (item.status === "queued") {
        if (signal && signal.aborted) {
          item.status = "cancelled";
          item.reason = "cancelled before it was processed";
        } else {
          item.status = "processing";
          report(item);
          try {
            const blob = await item.getBlob();
            const result = await this.anonymize(blob, { profile, uidSecret, label: item.path });
            Object.assign(item, result, { status: hasWarnings(result) ? "warnings" : "anonymised" });
          } catch (error) {
            if (error instanceof AnonymizeError) {
              item.status = error.kind === "malformed" ? "error" : error.kind;
              item.kind = error.kind;
              item.reason = error.reason;
              item.findings = error.findings;
            } else {
              item.status = "error";
              item.reason = error && error.message ? error.message : String(error);
            }
          }
        }
      }
      progress.done++;
      progress.bytesDone += item.size;
      report(item);
    }
    return items;
  }

  /** The rules of a profile: [{tag, keyword, name, action, value, reason, scope}]. */
  async rules(profile) {
    const reply = await this._request({ type: "rules", profile: profile || this.profiles[0] }, "the rule table");
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

  /** Stop the worker. */
  terminate() {
    if (this._worker) this._worker.terminate();
    this._worker = null;
    for (const [id, job] of this._pending) {
      this._pending.delete(id);
      job.settle({ ok: false, kind: "cancelled", reason: "the anonymiser was stopped" });
    }
  }
}

/**
 * Start the anonymiser (a Web Worker running Pyodide) and wait until it can take files.
 * @param {{baseUrl?: string|URL, onStatus?: (s: {state: string, text: string}) => void}} [options]
 *   baseUrl: the URL of the folder holding anonymizer.js, worker.js, pyodide/ and wheels/
 *   (default: the folder this module was loaded from). It must be on the page's origin.
 * @returns {Promise<Anonymizer>}
 */
export async function createAnonymizer({ baseUrl, onStatus } = {}) {
  const anonymizer = new Anonymizer(baseUrl, onStatus);
  await anonymizer.ready;
  return anonymizer;
}
