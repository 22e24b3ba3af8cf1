// The anonymiser page. Uses only the public API of anonymizer.js.
// Every value from a file is put in the page with textContent, never as HTML.

import { STATUS_TEXT, collectInputs, createAnonymizer } from "./anonymizer.js";

const $ = (id) => document.getElementById(id);

const ui = {
  status: $("engine-status"),
  statusText: $("engine-status-text"),
  profile: $("profile"),
  secret: $("uid-secret"),
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
  running: 0, // batches started and not finished
  chain: Promise.resolve(),
  abort: new AbortController(),
  urls: [], // object URLs made for downloads
  rules: [],
};

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

function showEngineStatus({ state: engineState, text }) {
  ui.status.dataset.state = engineState;
  document.documentElement.dataset.engine = engineState;
  ui.statusText.textContent = engineState === "ready" ? "Ready: drop files or choose them" : text;
  ui.status.setAttribute("role", engineState === "error" ? "alert" : "status");
}

const anonymizerReady = createAnonymizer({ baseUrl: new URL("./", import.meta.url), onStatus: showEngineStatus });

anonymizerReady.then(
  async (anonymizer) => {
    state.anonymizer = anonymizer;
    ui.profile.replaceChildren(...anonymizer.profiles.map((name) => el("option", { value: name, text: name })));
    ui.profile.value = anonymizer.profiles[0] || "";
    const v = anonymizer.versions;
    ui.versions.textContent = `Engine ${v.anonymizer || ""} · pydicom ${v.pydicom} · Python ${v.python} (Pyodide) · ready in ${(anonymizer.startupMs / 1000).toFixed(1)} s.`;
    await loadRules();
  },
  (error) => {
    showEngineStatus({ state: "error", text: `The anonymiser could not start: ${error.message}` });
  },
);

// ---------------------------------------------------------------- rules view

async function loadRules() {
  const profile = ui.profile.value;
  ui.rulesProfile.textContent = `“${profile}”`;
  try {
    state.rules = await state.anonymizer.rules(profile);
    ui.rulesCount.textContent = `(${plural(state.rules.length, "rule")})`;
  } catch (error) {
    state.rules = [];
    ui.rulesCount.textContent = "";
    ui.rulesRowCount.textContent = `The rules could not be read: ${error.message}`;
    return;
  }
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
    if (rule.free_text) reason.append(el("div", { class: "rule-note", text: "Free text: flagged for review whenever it is not empty." }));
    if (exceptions.length) reason.append(el("div", { class: "rule-note", text: `Differs for ${exceptions.join("; ")}` }));
    fragment.append(
      el("tr", { class: `rule action-${rule.action}` },
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
ui.profile.addEventListener("change", () => {
  if (state.anonymizer) loadRules();
});

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
  updateProgress();
  const profile = ui.profile.value || undefined;
  const uidSecret = ui.secret.value;
  const signal = state.abort.signal;
  state.running++;
  updateButtons();
  state.chain = state.chain.then(async () => {
    try {
      const anonymizer = await anonymizerReady;
      await anonymizer.anonymizeAll(inputs, {
        profile: profile || anonymizer.profiles[0],
        uidSecret,
        signal,
        onProgress: ({ item }) => {
          if (!item) return;
          updateFileRow(item);
          updateProgress();
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
      updateProgress();
      updateButtons();
    }
  });
}

// ---------------------------------------------------------------- file list

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
  error: "could not be read",
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
  ui.downloadAll.disabled = !state.items.some((i) => i.blob && i.name);
  ui.clear.disabled = busy;
}

ui.cancel.addEventListener("click", () => {
  state.abort.abort();
  state.abort = new AbortController();
  ui.zipStatus.textContent = "Cancelled: the file in progress finishes, the rest are not processed.";
});

ui.clear.addEventListener("click", () => {
  for (const url of state.urls) URL.revokeObjectURL(url);
  state.urls = [];
  state.items = [];
  state.rows.clear();
  state.selected = null;
  ui.fileList.replaceChildren();
  ui.reportBody.replaceChildren();
  ui.details.hidden = true;
  ui.zipStatus.textContent = "";
  ui.batch.hidden = true;
  document.body.classList.remove("has-files");
  updateProgress();
});

ui.downloadAll.addEventListener("click", async () => {
  const results = state.items.filter((i) => i.blob && i.name);
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

function selectItem(item, focus) {
  const previous = state.selected;
  state.selected = item;
  if (previous) updateFileRow(previous);
  updateFileRow(item);
  const report = item.report;
  ui.details.hidden = false;
  ui.detailsInput.textContent = item.path;
  ui.detailsOutput.textContent = item.name;
  const counts = { removed: 0, replaced: 0, regenerated: 0, kept: 0, added: 0, repaired: 0 };
  for (const row of report.rows) counts[row.action] = (counts[row.action] || 0) + 1;
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
  if (focus) ui.details.querySelector("h2").focus?.();
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
  const item = state.selected;
  if (!item || !item.report) return;
  const query = ui.filter.value.trim().toLowerCase();
  const changedOnly = ui.changedOnly.checked;
  const rows = item.report.rows;
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
