// The upload example: anonymise the chosen files with the public API, then POST each
// anonymised file (multipart/form-data, field "file", filename = its relative path) to the
// URL in <meta name="upload-url">. Original files never leave the browser.

import { STATUS_TEXT, createAnonymizer } from "../anonymizer.js";

const form = document.getElementById("upload-form");
const input = document.getElementById("files");
const send = document.getElementById("send");
const log = document.getElementById("log");
const summary = document.getElementById("upload-summary");
const status = document.getElementById("engine-status");
const statusText = document.getElementById("engine-status-text");
const endpoint = new URL(document.querySelector('meta[name="upload-url"]').content, location.href);
document.getElementById("endpoint").textContent = endpoint.href;

function line(text, className = "") {
  const li = document.createElement("li");
  li.textContent = text;
  if (className) li.className = className;
  log.append(li);
}

const ready = createAnonymizer({
  baseUrl: new URL("../", import.meta.url),
  onStatus: ({ state, text }) => {
    status.dataset.state = state;
    statusText.textContent = text;
  },
});
ready.then(() => { send.disabled = false; }, () => {});

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const anonymizer = await ready;
  send.disabled = true;
  log.replaceChildren();
  let sent = 0;
  let failed = 0;
  try {
    const results = await anonymizer.anonymizeAll([...input.files]);
    for (const result of results) {
      if (!result.blob) {
        line(`${result.path}: not sent. ${STATUS_TEXT[result.status]}: ${result.reason}`, "level-1");
        continue;
      }
      const body = new FormData();
      body.append("path", result.name);
      body.append("file", result.blob, result.name);
      try {
        const response = await fetch(endpoint, { method: "POST", body, credentials: "same-origin" });
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        sent++;
        line(`${result.path}: sent as ${result.name}`);
      } catch (error) {
        failed++;
        line(`${result.path}: the upload failed: ${error.message}`, "level-1");
      }
    }
    summary.textContent = `${sent} anonymised file(s) sent${failed ? `, ${failed} failed` : ""}.`;
  } finally {
    send.disabled = false;
  }
});
