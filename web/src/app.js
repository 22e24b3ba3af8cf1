// The anonymiser page. Uses only the public API of anonymizer.js.
// Every value from a file is put in the page with textContent, never as HTML.

import { STATUS_TEXT, collectInputs, createAnonymizer, mappingTables, policyNameOf } from "./anonymizer.js";

const $ = (id) => document.getElementById(id);

const ui = {
  status: $("engine-status"),
  statusText: $("engine-status-text"),
  profile: $("profile"),
  secret: $("uid-secret"),
  secretNote: $("secret-note"),
  chooseAssigned: $("choose-assigned"),
  clearAssigned: $("clear-assigned"),
  assignedInput: $("assigned-input"),
  assignedStatus: $("assigned-status"),
  mappingOpen: $("mapping-open"),
  mappingPanel: $("mapping-panel"),
  mappingStatus: $("mapping-status"),
  downloadUidMapping: $("download-uid-mapping"),
  downloadPatidMapping: $("download-patid-mapping"),
  mappingClose: $("mapping-close"),
  choosePolicy: $("choose-policy"),
  clearPolicy: $("clear-policy"),
  policyInput: $("policy-input"),
  policyStatus: $("policy-status"),
  optionsPanel: $("options-panel"),
  optionsSummary: $("options-summary"),
  optionList: $("option-list"),
  optionsMore: $("options-more"),
  settingsError: $("settings-error"),
  dropZone: $("drop-zone"),
  fileInput: $("file-input"),
  folderInput: $("folder-input"),
  chooseFiles: $("choose-files"),
  chooseFolder: $("choose-folder"),
  batch: $("batch"),
  progress: $("progress"),
  progressText: $("progress-text"),
  counts: $("batch-counts"),
  zipStatus: $("zip-status"),
  cancel: $("cancel"),
  downloadAll: $("download-all"),
  clear: $("clear"),
  fileList: $("file-list").tBodies[0],
  details: $("details"),
  detailsInput: $("details-input"),
  detailsOutput: $("details-output"),
  detailsSummary: $("details-summary"),
  detailsWarnings: $("details-warnings"),
  filter: $("filter"),
  changedOnly: $("changed-only"),
  rowCount: $("row-count"),
  reportBody: $("report-table").tBodies[0],
  rulesProfile: $("rules-profile"),
  rulesExtra: $("rules-extra"),
  rulesCount: $("rules-count"),
  rulesFilter: $("rules-filter"),
  rulesRowCount: $("rules-row-count"),
  rulesBody: $("rules-table").tBodies[0],
  versions: $("versions"),
};

const state = {
  anonymizer: null,
  items: [], // every input of this page session, in order
  rows: new Map(), // item -> its <tr> in the file list
  selected: null,
  report: null, // the selected file's whole report (with its rows)
  running: 0, // batches started and not finished
  chain: Promise.resolve(),
  abort: new AbortController(),
  urls: [], // object URLs made for downloads
  rules: [],
  chosen: new Set(), // options ticked by the user (kept while the profile does not accept them)
  policy: null, // {text, name, info} of the custom policy in use
  assigned: null, // {name, pairs} of the pre-assigned IDs in use
  settingsError: null, // the engine's words when the settings cannot be used
  settingsCheck: Promise.resolve(),
  settingsSeq: 0,
};

// Advanced and test knobs, from the page's URL: ?workers=N (pool size), ?timeout=S (seconds a
// worker may take per file, before the per-MB allowance), ?test-faults=1 (tests only: files
// named in window.__testFaults get a fault injected in their worker; see worker.js).
const params = new URLSearchParams(location.search);
const poolOptions = { baseUrl: new URL("./", import.meta.url), onStatus: showEngineStatus };
if (Number(params.get("workers")) > 0) poolOptions.workers = Number(params.get("workers"));
if (Number(params.get("timeout")) > 0) poolOptions.timeoutMs = Number(params.get("timeout")) * 1000;
if (params.get("test-faults") === "1") poolOptions.testFaults = true;

// ---------------------------------------------------------------- helpers

function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (key === "class") node.className = value;
    else if (key === "text") node.textContent = value;
    else if (key.startsWith("aria-") || key.startsWith("data-")) node.setAttribute(key, value);
    else node[key] = value;
  }
  for (const child of children) if (child != null) node.append(child);
  return node;
}

function formatBytes(n) {
  if (!Number.isFinite(n)) return "";
  const units = ["B", "kB", "MB", "GB", "TB"];
  let i = 0;
  while (n >= 1000 && i < units.length - 1) {
    n /= 1000;
    i++;
  }
  return `${i === 0 ? n : n.toFixed(n < 10 ? 1 : 0)} ${units[i]}`;
}

function basename(path) {
  return path.split("/").pop();
}

function debounce(fn, ms) {
  let timer = null;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
}

function plural(n, word, words = `${word}s`) {
  return `${n} ${n === 1 ? word : words}`;
}

function saveBlob(blob, filename) {
  const url = URL.createObjectURL(blob);
  state.urls.push(url);
  const a = el("a", { href: url, download: filename });
  document.body.append(a);
  a.click();
  a.remove();
}

// ---------------------------------------------------------------- engine start

function showEngineStatus({ state: engineState, text, workers }) {
  ui.status.dataset.state = engineState;
  if (workers) {
    // How many workers of the pool can take files (tests and the curious read these).
    ui.status.dataset.workers = String(workers.size);
    ui.status.dataset.workersAlive = String(workers.ready + workers.busy);
  }
  document.documentElement.dataset.engine = engineState;
  ui.statusText.textContent = engineState === "ready" ? "Ready: drop files or choose them" : text;
  ui.status.setAttribute("role", engineState === "error" ? "alert" : "status");
}

const anonymizerReady = createAnonymizer(poolOptions);

anonymizerReady.then(
  async (anonymizer) => {
    state.anonymizer = anonymizer;
    ui.profile.replaceChildren(...anonymizer.profiles.map((name) => el("option", { value: name, text: name })));
    ui.profile.value = anonymizer.profiles[0] || "";
    renderOptionList(anonymizer.options);
    const v = anonymizer.versions;
    ui.versions.textContent = `Engine ${v.anonymizer || ""} · pydicom ${v.pydicom} · Python ${v.python} (Pyodide) · ready in ${(anonymizer.startupMs / 1000).toFixed(1)} s · ${plural(anonymizer.size, "worker")}.`;
    ui.versions.dataset.startupMs = String(anonymizer.startupMs);
    await refreshSettings();
  },
  (error) => {
    showEngineStatus({ state: "error", text: `The anonymiser could not start: ${error.message}` });
  },
);

// ---------------------------------------------------------------- rules view

async function loadRules(settings, seq) {
  let rules;
  try {
    rules = await state.anonymizer.rules(settings);
  } catch (error) {
    if (seq !== state.settingsSeq) return;
    state.rules = [];
    ui.rulesCount.textContent = "";
    ui.rulesRowCount.textContent = `The rules could not be read: ${error.message}`;
    renderRules();
    return;
  }
  if (seq !== state.settingsSeq) return; // the settings changed meanwhile
  state.rules = rules;
  ui.rulesProfile.textContent = `“${settings.profile}”`;
  const extra = [];
  if (settings.options.length) extra.push(plural(settings.options.length, "option"));
  if (state.policy) extra.push(`the custom policy “${state.policy.info.name}”`);
  ui.rulesExtra.textContent = extra.length ? ` with ${extra.join(" and ")}` : "";
  ui.rulesCount.textContent = `(${plural(state.rules.length, "rule")})`;
  renderRules();
}

function actionWithValue(action, value) {
  return action === "replace" && value ? `replace with “${value}”` : action === "replace" ? "replace with empty" : action;
}

function renderRules() {
  const query = ui.rulesFilter.value.trim().toLowerCase();
  const fragment = document.createDocumentFragment();
  let shown = 0;
  for (const rule of state.rules) {
    const exceptions = (rule.exceptions || []).map((e) => `${e.sop_class}: ${actionWithValue(e.action, e.value)}`);
    const hay = `${rule.tag} ${rule.keyword} ${rule.name} ${rule.action} ${rule.value ?? ""} ${rule.reason} ${rule.module ?? ""} ${exceptions.join(" ")}`.toLowerCase();
    if (query && !hay.includes(query)) continue;
    shown++;
    const reason = el("td", { text: rule.reason || "" });
    if (rule.custom) reason.append(el("div", { class: "rule-note", text: `Set by the custom policy “${rule.custom}”.` }));
    if (rule.option) reason.append(el("div", { class: "rule-note", text: `From the option ${rule.option}.` }));
    if (rule.free_text) reason.append(el("div", { class: "rule-note", text: "Free text: flagged for review whenever it is not empty." }));
    if (exceptions.length) reason.append(el("div", { class: "rule-note", text: `Differs for ${exceptions.join("; ")}` }));
    fragment.append(
      el("tr", { class: `rule action-${rule.action}${rule.custom ? " rule-custom" : ""}` },
        el("td", { class: "mono", text: rule.tag }),
        el("td", {}, rule.name || rule.keyword || "", rule.module ? el("div", { class: "rule-note", text: `Module: ${rule.module}` }) : null),
        el("td", { class: "action-cell", text: actionWithValue(rule.action, rule.value) }),
        reason),
    );
  }
  ui.rulesBody.replaceChildren(fragment);
  ui.rulesRowCount.textContent = query ? `${shown} of ${plural(state.rules.length, "rule")} match` : "";
}

ui.rulesFilter.addEventListener("input", debounce(renderRules, 120));

// ---------------------------------------------------------------- profile, options, policy

function optionId(name) {
  return `option-${name}`;
}

function renderOptionList(options) {
  ui.optionList.replaceChildren(
    ...options.map((option) => {
      const id = optionId(option.name);
      const box = el("input", { type: "checkbox", id, value: option.name, "aria-describedby": `${id}-text ${id}-note` });
      box.addEventListener("change", () => {
        if (box.checked) state.chosen.add(option.name);
        else state.chosen.delete(option.name);
        refreshSettings();
      });
      return el("li", { class: "option", "data-option": option.name, "data-profiles": option.profiles.join(" ") },
        box,
        el("label", { htmlFor: id, class: "option-name", text: option.name }),
        el("span", { id: `${id}-text`, class: "option-text", title: option.description, text: option.description }),
        el("span", { id: `${id}-note`, class: "option-note" }));
    }),
  );
}

/** The settings the next files get: what the form shows, the policy's profile and options included. */
function currentSettings() {
  const profile = state.policy ? state.policy.info.profile : ui.profile.value || (state.anonymizer ? state.anonymizer.profiles[0] : "");
  const options = [];
  for (const option of state.anonymizer ? state.anonymizer.options : []) {
    const accepted = option.profiles.includes(profile);
    const byPolicy = Boolean(state.policy && state.policy.info.options.includes(option.name));
    if (accepted && (byPolicy || state.chosen.has(option.name))) options.push(option.name);
  }
  const settings = { profile, options, uidSecret: ui.secret.value };
  if (state.assigned) settings.assignedIds = state.assigned.pairs;
  if (state.policy) Object.assign(settings, { policy: state.policy.text, policyName: state.policy.name });
  return settings;
}

function updateOptionList(profile) {
  let hidden = 0;
  for (const li of ui.optionList.children) {
    const name = li.dataset.option;
    const accepted = li.dataset.profiles.split(" ").includes(profile);
    const byPolicy = Boolean(state.policy && state.policy.info.options.includes(name));
    const box = li.querySelector("input");
    li.hidden = !accepted;
    if (!accepted) hidden++;
    box.disabled = !accepted || byPolicy;
    box.checked = accepted && (byPolicy || state.chosen.has(name));
    li.querySelector(".option-note").textContent = byPolicy ? "set by the policy" : "";
    li.classList.toggle("locked", byPolicy);
  }
  const others = state.anonymizer.profiles.filter((p) => p !== profile);
  ui.optionsMore.textContent = hidden
    ? `${plural(hidden, "more option")} with the ${others.join(" or ")} profile.`
    : "";
}

// Check the settings in a worker (the engine's own checks and messages), then show the rules
// they give. Called whenever the profile, an option or the policy changes.
function refreshSettings() {
  if (!state.anonymizer) return Promise.resolve();
  const seq = ++state.settingsSeq;
  const settings = currentSettings();
  ui.profile.value = settings.profile;
  ui.profile.disabled = Boolean(state.policy);
  updateOptionList(settings.profile);
  updateSecretNote();
  const chosen = settings.options;
  ui.optionsSummary.textContent = chosen.length ? `${chosen.length} chosen: ${chosen.join(", ")}` : "none chosen";
  state.settingsCheck = state.anonymizer.checkSettings(settings).then(
    () => {
      if (seq !== state.settingsSeq) return;
      state.settingsError = null;
      ui.settingsError.hidden = true;
      ui.settingsError.textContent = "";
      return loadRules(settings, seq);
    },
    (error) => {
      if (seq !== state.settingsSeq) return;
      state.settingsError = error.message;
      ui.settingsError.textContent = `These settings cannot be used: ${error.message}`;
      ui.settingsError.hidden = false;
      ui.optionsPanel.open = true;
    },
  );
  return state.settingsCheck;
}

ui.profile.addEventListener("change", () => refreshSettings());

// The profile that keys pseudonyms (tcia) without a secret: say that batches will not link.
function updateSecretNote() {
  ui.secretNote.hidden = !(currentSettings().profile === "tcia" && !ui.secret.value);
}
ui.secret.addEventListener("input", updateSecretNote);

ui.chooseAssigned.addEventListener("click", () => ui.assignedInput.click());
ui.assignedInput.addEventListener("change", async () => {
  const file = ui.assignedInput.files[0];
  ui.assignedInput.value = "";
  if (!file || !state.anonymizer) return;
  ui.assignedStatus.classList.remove("error", "ok");
  ui.assignedStatus.textContent = `Reading ${file.name}…`;
  try {
    if (file.size > 64 << 20) throw new Error("the file is larger than 64 MB");
    const pairs = await state.anonymizer.readAssignedIds(file);
    state.assigned = { name: file.name, pairs };
    ui.clearAssigned.hidden = false;
    ui.assignedStatus.classList.add("ok");
    ui.assignedStatus.textContent = `Using ${plural(pairs.length, "pre-assigned ID")} from ${file.name} for the files added next.`;
  } catch (error) {
    state.assigned = null;
    ui.clearAssigned.hidden = true;
    ui.assignedStatus.classList.add("error");
    ui.assignedStatus.textContent = `${file.name} cannot be used: ${error.message}`;
  }
});
ui.clearAssigned.addEventListener("click", () => {
  state.assigned = null;
  ui.clearAssigned.hidden = true;
  ui.assignedStatus.classList.remove("error", "ok");
  ui.assignedStatus.textContent = "No pre-assigned IDs.";
});

ui.choosePolicy.addEventListener("click", () => ui.policyInput.click());
ui.policyInput.addEventListener("change", async () => {
  const file = ui.policyInput.files[0];
  ui.policyInput.value = "";
  if (!file || !state.anonymizer) return;
  await usePolicy(file);
});
ui.clearPolicy.addEventListener("click", () => {
  state.policy = null;
  ui.clearPolicy.hidden = true;
  ui.policyStatus.classList.remove("error", "ok");
  ui.policyStatus.textContent = "No custom policy: the profile and options apply.";
  refreshSettings();
});

async function usePolicy(file) {
  const name = policyNameOf(file.name);
  ui.policyStatus.classList.remove("error", "ok");
  ui.policyStatus.textContent = `Checking ${file.name}…`;
  let text;
  let info;
  try {
    if (file.size > 4 << 20) throw new Error("the file is larger than 4 MB: not a policy");
    text = await file.text();
    ({ policy: info } = await state.anonymizer.checkSettings({ policy: text, policyName: name }));
  } catch (error) {
    state.policy = null;
    ui.clearPolicy.hidden = true;
    ui.policyStatus.classList.add("error");
    ui.policyStatus.textContent = `${file.name} cannot be used: ${error.message}`;
    refreshSettings();
    return;
  }
  state.policy = { text, name, info, file: file.name };
  ui.clearPolicy.hidden = false;
  ui.policyStatus.classList.add("ok");
  const options = info.options.length ? `, options ${info.options.join(", ")}` : "";
  ui.policyStatus.textContent = `Using “${info.name}” from ${file.name}: ${plural(info.rules, "rule")} over the ${info.profile} profile${options}.`;
  await refreshSettings();
}

// ---------------------------------------------------------------- intake

$("options").addEventListener("submit", (event) => event.preventDefault());

ui.chooseFiles.addEventListener("click", () => ui.fileInput.click());
ui.chooseFolder.addEventListener("click", () => ui.folderInput.click());

ui.fileInput.addEventListener("change", () => {
  const files = [...ui.fileInput.files].map((file) => ({ blob: file, path: file.name }));
  ui.fileInput.value = "";
  addInputs(files);
});

ui.folderInput.addEventListener("change", () => {
  const files = [...ui.folderInput.files]
    .map((file) => ({ blob: file, path: file.webkitRelativePath || file.name }))
    .sort(walkOrder);
  ui.folderInput.value = "";
  addInputs(files);
});

for (const type of ["dragenter", "dragover"]) {
  ui.dropZone.addEventListener(type, (event) => {
    event.preventDefault();
    if (event.dataTransfer) event.dataTransfer.dropEffect = "copy";
    ui.dropZone.classList.add("dragging");
  });
}
ui.dropZone.addEventListener("dragleave", (event) => {
  if (!ui.dropZone.contains(event.relatedTarget)) ui.dropZone.classList.remove("dragging");
});
// Dropping a file anywhere else must not navigate away (and lose the results).
window.addEventListener("dragover", (event) => event.preventDefault());
window.addEventListener("drop", (event) => event.preventDefault());

ui.dropZone.addEventListener("drop", (event) => {
  event.preventDefault();
  ui.dropZone.classList.remove("dragging");
  // Entries must be taken synchronously, while the DataTransfer is still readable; the
  // dropped things keep their order.
  const dropped = [];
  const dt = event.dataTransfer;
  for (const item of dt.items ? [...dt.items] : []) {
    if (item.kind !== "file") continue;
    const entry = typeof item.webkitGetAsEntry === "function" ? item.webkitGetAsEntry() : null;
    if (entry) dropped.push({ entry });
    else {
      const file = item.getAsFile();
      if (file) dropped.push({ blob: file, path: file.name });
    }
  }
  if (!dropped.length && dt.files) {
    for (const file of dt.files) dropped.push({ blob: file, path: file.name });
  }
  walkEntries(dropped).then(
    (files) => addInputs(files),
    (error) => showIntakeError(`The dropped folder could not be read: ${error.message}`),
  );
});

// Directories dropped are walked through the entries API (FileSystemDirectoryEntry).
async function walkEntries(dropped) {
  const out = [];
  async function walk(entry) {
    if (entry.isFile) {
      const file = await new Promise((resolve, reject) => entry.file(resolve, reject));
      out.push({ blob: file, path: (entry.fullPath || file.name).replace(/^\/+/, "") });
    } else if (entry.isDirectory) {
      const reader = entry.createReader();
      const children = [];
      for (;;) {
        const batch = await new Promise((resolve, reject) => reader.readEntries(resolve, reject));
        if (!batch.length) break;
        children.push(...batch);
      }
      // As the command line walks a folder: its files in name order, then its folders.
      const byName = (a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
      for (const child of children.filter((c) => !c.isDirectory).sort(byName)) await walk(child);
      for (const child of children.filter((c) => c.isDirectory).sort(byName)) await walk(child);
    }
  }
  for (const thing of dropped) {
    if (thing.entry) await walk(thing.entry);
    else out.push(thing);
  }
  return out;
}

// The command line's order for a folder (os.walk, sorted): in each folder, its files by name,
// then its subfolders by name. It matters for which of two same-named outputs gets "_2".
function walkOrder(a, b) {
  const x = a.path.split("/");
  const y = b.path.split("/");
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    if (x[i] === y[i]) continue;
    const xFile = i === x.length - 1;
    const yFile = i === y.length - 1;
    if (xFile !== yFile) return xFile ? -1 : 1;
    return x[i] < y[i] ? -1 : 1;
  }
  return x.length - y.length;
}

function showIntakeError(text) {
  ui.batch.hidden = false;
  ui.zipStatus.textContent = text;
}

async function addInputs(files) {
  if (!files.length) return;
  await state.settingsCheck;
  if (state.settingsError) {
    showIntakeError(`Not started: ${state.settingsError}. Change the options, then add the files again.`);
    return;
  }
  ui.batch.hidden = false;
  ui.zipStatus.textContent = `Listing ${plural(files.length, "file")}…`;
  let inputs;
  try {
    inputs = await collectInputs(files);
  } catch (error) {
    showIntakeError(`The files could not be read: ${error.message}`);
    return;
  }
  ui.zipStatus.textContent = "";
  for (const input of inputs) {
    input.status = input.status || "queued";
    state.items.push(input);
    const row = renderFileRow(input);
    state.rows.set(input, row);
    ui.fileList.append(row);
  }
  document.body.classList.add("has-files");
  // The chosen options stay in the panel's summary line; the files need the room.
  ui.optionsPanel.open = false;
  updateProgress();
  const settings = currentSettings();
  const signal = state.abort.signal;
  state.running++;
  updateButtons();
  state.chain = state.chain.then(async () => {
    try {
      const anonymizer = await anonymizerReady;
      await anonymizer.anonymizeAll(inputs, {
        ...settings,
        profile: settings.profile || anonymizer.profiles[0],
        signal,
        testFault: poolOptions.testFaults ? (item) => (window.__testFaults || {})[item.path] : undefined,
        onProgress: ({ item }) => {
          if (!item) return;
          scheduleRender(item);
          if (!state.selected && (item.status === "anonymised" || item.status === "warnings")) selectItem(item, false);
        },
      });
    } catch (error) {
      for (const input of inputs) {
        if (input.status === "queued" || input.status === "processing") {
          input.status = "error";
          input.reason = error.message;
          updateFileRow(input);
        }
      }
    } finally {
      state.running--;
      renderNow();
      updateButtons();
    }
  });
}

// ---------------------------------------------------------------- file list

// Rows and the progress line are redrawn at most every RENDER_INTERVAL_MS, not at every
// file: with a list of 1,000 files, laying it out at every file kept the main thread busy
// (7 of 10 seconds of a batch), and on two cores that is time taken from the workers.
const RENDER_INTERVAL_MS = 50;
const changed = new Set();
let renderTimer = null;

function scheduleRender(item) {
  changed.add(item);
  renderTimer ??= setTimeout(renderNow, RENDER_INTERVAL_MS);
}

function renderNow() {
  clearTimeout(renderTimer);
  renderTimer = null;
  for (const item of changed) updateFileRow(item);
  changed.clear();
  updateProgress();
}

const STATUS_CLASS = {
  queued: "queued",
  processing: "processing",
  anonymised: "ok",
  warnings: "warn",
  refused: "refused",
  "not-dicom": "skipped",
  error: "error",
  cancelled: "skipped",
};

function renderFileRow(item) {
  const row = el("tr", { class: "file-row" });
  updateFileRow(item, row);
  return row;
}

function statusLabel(item) {
  if (item.status === "queued" && !state.anonymizer) return "Queued (the anonymiser is loading)";
  return STATUS_TEXT[item.status] || item.status;
}

const BADGE_TEXT = {
  queued: "Queued",
  processing: "Processing…",
  anonymised: "✓ Anonymised",
  warnings: "! With warnings",
  refused: "✕ Refused",
  "not-dicom": "Skipped: not DICOM",
  error: "✕ Error",
  cancelled: "Cancelled",
};

function updateFileRow(item, row = state.rows.get(item)) {
  if (!row) return;
  const done = item.status === "anonymised" || item.status === "warnings";
  const selected = state.selected === item;
  row.className = `file-row status-${STATUS_CLASS[item.status] || "error"}${selected ? " selected" : ""}`;
  row.dataset.status = item.status;
  if (Number.isFinite(item.headerBytesRead)) row.dataset.bytesRead = String(item.headerBytesRead);
  const badge = el("span", { class: "badge", title: statusLabel(item), text: item.status === "queued" ? statusLabel(item) : BADGE_TEXT[item.status] || item.status });
  const pathText = item.path;
  const name = done
    ? el("button", { type: "button", class: "link file-open", text: pathText, "aria-pressed": String(selected), onclick: () => selectItem(item, true) })
    : el("span", { class: "file-name", text: pathText });
  const info = el("div", { class: "file-info" }, name, el("span", { class: "file-size", text: ` ${formatBytes(item.size)}` }));
  const line = el("div", { class: "file-line" }, badge);
  if (done) {
    const shown = item.warnings.filter((w) => (w.level ?? 2) <= 2);
    if (shown.length) line.append(el("span", { class: "file-note warn-text", text: shown.map((w) => w.message).join("; ") }));
  } else if (item.reason) {
    line.append(el("span", { class: "file-note reason", text: item.reason }));
  }
  info.append(line);
  if (!done && item.findings && item.findings.length > 1) {
    const list = el("ul", { class: "findings compact" });
    for (const f of item.findings) list.append(el("li", { text: `Level ${f.level ?? "?"}${f.path ? ` at ${f.path}` : ""}: ${f.message}` }));
    info.append(list);
  }
  const download = done
    ? el("button", { type: "button", class: "button small", text: "Download", "aria-label": `Download the anonymised ${item.path}`, onclick: () => saveBlob(item.blob, basename(item.name)) })
    : "";
  row.replaceChildren(el("td", {}, info), el("td", { class: "download-cell" }, download));
}

const COUNT_TEXT = {
  anonymised: "anonymised",
  warnings: "anonymised with warnings",
  refused: "refused",
  "not-dicom": "skipped (not DICOM)",
  error: "failed (error)",
  cancelled: "cancelled",
  processing: "in progress",
  queued: "queued",
};

function updateProgress() {
  const items = state.items;
  const total = items.length;
  let done = 0;
  let bytesDone = 0;
  let bytesTotal = 0;
  const counts = {};
  for (const item of items) {
    bytesTotal += item.size || 0;
    if (item.status !== "queued" && item.status !== "processing") {
      done++;
      bytesDone += item.size || 0;
    }
    counts[item.status] = (counts[item.status] || 0) + 1;
  }
  ui.progress.max = Math.max(total, 1);
  ui.progress.value = done;
  ui.progress.setAttribute("aria-valuetext", `${done} of ${total} files`);
  ui.progressText.textContent = `${done} of ${plural(total, "file")} · ${formatBytes(bytesDone)} of ${formatBytes(bytesTotal)}${done === total && total ? " · done" : ""}`;
  const parts = [];
  for (const key of ["anonymised", "warnings", "refused", "not-dicom", "error", "cancelled", "processing", "queued"]) {
    if (counts[key]) parts.push(`${counts[key]} ${COUNT_TEXT[key]}`);
  }
  ui.counts.textContent = parts.join(" · ");
  updateButtons();
}

function updateButtons() {
  const busy = state.items.some((i) => i.status === "queued" || i.status === "processing");
  ui.cancel.disabled = !busy;
  ui.downloadAll.disabled = !state.items.some((i) => i.name); // only an anonymised file has a name (its blob is made when used)
  ui.mappingOpen.disabled = busy || !state.items.some((i) => i.name);
  ui.clear.disabled = busy;
}

ui.cancel.addEventListener("click", () => {
  state.abort.abort();
  state.abort = new AbortController();
  ui.zipStatus.textContent = "Cancelled: the files in progress finish, the rest are not processed.";
});

// The mapping tables are offered only behind their warning: the panel says what they are,
// then its buttons download them (built from the files listed, in their order).
ui.mappingOpen.addEventListener("click", () => {
  ui.mappingPanel.hidden = false;
  ui.mappingStatus.textContent = "";
  ui.mappingPanel.querySelector("h3").setAttribute("tabindex", "-1");
  ui.mappingPanel.querySelector("h3").focus();
});
ui.mappingClose.addEventListener("click", () => {
  ui.mappingPanel.hidden = true;
  ui.mappingOpen.focus();
});

function downloadMapping(fileName) {
  let tables;
  try {
    tables = mappingTables(state.items, { assignedIds: state.assigned ? state.assigned.pairs : [] });
  } catch (error) {
    ui.mappingStatus.textContent = `The mapping tables cannot be made: ${error.message}`;
    return;
  }
  const rows = tables[fileName].split("\n").length - 2;
  ui.mappingStatus.textContent = `${fileName}: ${plural(rows, "row")}.`;
  saveBlob(new Blob([tables[fileName]], { type: "text/csv" }), fileName);
}
ui.downloadUidMapping.addEventListener("click", () => downloadMapping("uid_mapping.csv"));
ui.downloadPatidMapping.addEventListener("click", () => downloadMapping("patid_mapping.csv"));

ui.clear.addEventListener("click", () => {
  for (const url of state.urls) URL.revokeObjectURL(url);
  state.urls = [];
  state.items = [];
  state.rows.clear();
  state.selected = null;
  state.report = null;
  ui.fileList.replaceChildren();
  ui.reportBody.replaceChildren();
  ui.details.hidden = true;
  ui.zipStatus.textContent = "";
  ui.mappingPanel.hidden = true;
  ui.batch.hidden = true;
  document.body.classList.remove("has-files");
  updateProgress();
});

ui.downloadAll.addEventListener("click", async () => {
  const results = state.items.filter((i) => i.name);
  if (!results.length || !state.anonymizer) return;
  ui.downloadAll.disabled = true;
  try {
    const zip = await state.anonymizer.zip(results, {
      onProgress: (done, total) => {
        ui.zipStatus.textContent = `Preparing the ZIP: ${formatBytes(done)} of ${formatBytes(total)}`;
      },
    });
    ui.zipStatus.textContent = `ZIP ready: ${plural(results.length, "file")}, ${formatBytes(zip.size)}.`;
    saveBlob(zip, "anonymised-dicom.zip");
  } catch (error) {
    ui.zipStatus.textContent = `The ZIP could not be made: ${error.message}`;
  } finally {
    updateButtons();
  }
});

// ---------------------------------------------------------------- before / after table

// The before/after table of a file: its report's rows, which a batch does not keep; the
// anonymiser makes them again, with the batch's settings, when the file is opened.
async function selectItem(item, focus) {
  const previous = state.selected;
  state.selected = item;
  state.report = null;
  if (previous) updateFileRow(previous);
  updateFileRow(item);
  ui.details.hidden = false;
  ui.details.setAttribute("aria-busy", "true");
  ui.detailsInput.textContent = item.path;
  ui.detailsOutput.textContent = item.name;
  ui.detailsSummary.textContent = "Loading the table…";
  ui.detailsWarnings.replaceChildren();
  ui.reportBody.replaceChildren();
  ui.rowCount.textContent = "";
  if (focus) ui.details.querySelector("h2").focus?.();
  let report;
  try {
    report = await item.details();
  } catch (error) {
    if (state.selected !== item) return;
    ui.details.removeAttribute("aria-busy");
    ui.detailsSummary.textContent = `The table could not be made: ${error.message}`;
    return;
  }
  if (state.selected !== item) return; // another file was chosen meanwhile
  state.report = report;
  ui.details.removeAttribute("aria-busy");
  const counts = report.summary;
  const warnings = report.warnings || [];
  const extra = ["added", "repaired"].filter((k) => counts[k]).map((k) => `${counts[k]} ${k}`);
  const readNote = Number.isFinite(item.headerBytesRead) && item.headerBytesRead < item.size
    ? ` Read ${formatBytes(item.headerBytesRead)} of the ${formatBytes(item.size)} input; the rest is copied without being read.`
    : "";
  ui.detailsSummary.textContent =
    `${counts.removed} removed, ${counts.replaced} replaced, ${counts.regenerated} regenerated, ${counts.kept} kept` +
    `${extra.length ? `, ${extra.join(", ")}` : ""}, ${plural(warnings.length, "warning")}.${readNote}`;
  ui.detailsWarnings.replaceChildren(
    ...warnings.map((w) => el("li", { class: `level-${w.level}`, text: `Level ${w.level}${w.path ? ` at ${w.path}` : ""}: ${w.message}` })),
  );
  renderReport();
}

const ACTION_TEXT = {
  removed: "Removed",
  replaced: "Replaced",
  regenerated: "Regenerated",
  kept: "Kept",
  added: "Added",
  repaired: "Repaired",
};

function valueText(value) {
  if (value === null || value === undefined) return "—";
  return String(value);
}

function renderReport() {
  if (!state.report) return;
  const query = ui.filter.value.trim().toLowerCase();
  const changedOnly = ui.changedOnly.checked;
  const rows = state.report.rows;
  const fragment = document.createDocumentFragment();
  let shown = 0;
  for (const row of rows) {
    if (changedOnly && row.action === "kept" && !(row.findings && row.findings.length)) continue;
    if (query) {
      const hay = `${row.tag} ${row.keyword || ""} ${row.name || ""} ${row.before ?? ""} ${row.after ?? ""} ${row.path || ""}`.toLowerCase();
      if (!hay.includes(query)) continue;
    }
    shown++;
    const findings = row.findings || [];
    const level = findings.length ? Math.min(...findings.map((f) => f.level || 3)) : 0;
    const tr = el("tr", { class: `action-${row.action}${level ? ` level-${level}` : ""}` });
    const tagCell = el("td", { class: "mono tag-cell", title: row.path || row.tag, text: row.tag });
    if (row.depth) {
      tagCell.style.paddingLeft = `${0.5 + row.depth * 1.25}em`;
      tagCell.prepend(el("span", { class: "nest", "aria-hidden": "true", text: "↳ " }));
      tagCell.append(el("span", { class: "visually-hidden", text: ` (in a sequence item, depth ${row.depth})` }));
    }
    const nameCell = el("td", { text: row.name || row.keyword || "" });
    if (row.depth) nameCell.style.paddingLeft = `${0.5 + row.depth * 1.25}em`;
    tr.append(
      tagCell,
      nameCell,
      el("td", { class: "mono", text: row.vr || "" }),
      el("td", { class: "value", text: valueText(row.before) }),
      el("td", { class: "value", text: valueText(row.after) }),
      el("td", { class: "action-cell", text: ACTION_TEXT[row.action] || row.action }),
      el("td", { class: "warn-cell", text: findings.map((f) => `Level ${f.level}: ${f.message}`).join("; ") }),
    );
    fragment.append(tr);
  }
  ui.reportBody.replaceChildren(fragment);
  ui.rowCount.textContent = `${shown} of ${plural(rows.length, "row")} shown`;
}

ui.filter.addEventListener("input", debounce(renderReport, 120));
ui.changedOnly.addEventListener("change", renderReport);
