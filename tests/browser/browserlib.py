"""Helpers for the page tests: a page driver, the command line, ZIP and folder contents."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DIST = ROOT / "web" / "dist"
RESULTS = ROOT / "test-results"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-default-apps",
    "--disable-extensions",
]
READY = "#engine-status[data-state=ready]"


def load_build():
    """The repository's build.py as a module (by path: `import build` could be PyPA's build)."""
    spec = importlib.util.spec_from_file_location("web_build", ROOT / "build.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("web_build", module)
    spec.loader.exec_module(module)
    return module


build = load_build()
STARTUP_TIMEOUT_MS = 120_000


class PageDriver:
    """A page of the anonymiser with helpers; every request it makes is recorded."""

    def __init__(self, context, base_url: str, path: str = ""):
        self.context = context
        self.base_url = base_url
        self.requests: list[str] = []
        self.console: list[str] = []
        self.errors: list[str] = []
        self.page = context.new_page()
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("console", lambda m: self.console.append(f"{m.type}: {m.text}"))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.started = time.monotonic()
        self.page.goto(base_url + path)

    def wait_ready(self) -> float:
        self.page.wait_for_selector(f"{READY}, #engine-status[data-state=error]", timeout=STARTUP_TIMEOUT_MS)
        state = self.page.get_attribute("#engine-status", "data-state")
        assert state == "ready", f"engine: {self.page.inner_text('#engine-status')}; console: {self.console}"
        return time.monotonic() - self.started

    def poll(self, expression: str, timeout: float = 120.0, interval: float = 0.1):
        """Evaluate `expression` until it is truthy (wait_for_function would need 'unsafe-eval',
        which the page's CSP rightly refuses)."""
        deadline = time.monotonic() + timeout
        while True:
            value = self.page.evaluate(expression)
            if value:
                return value
            if time.monotonic() > deadline:
                rows = self.page.evaluate("[...document.querySelectorAll('#file-list tbody tr')].map(r => r.dataset.status + ': ' + r.innerText)")
                raise TimeoutError(
                    f"still false after {timeout} s: {expression}\nfile rows: {rows}\n"
                    f"page errors: {self.errors}\nconsole: {self.console[-20:]}"
                )
            time.sleep(interval)

    def wait_batch(self, count: int, timeout: float = 180.0) -> list[dict]:
        """Wait until the file list has `count` rows, none queued or processing; return them."""
        self.poll(
            "(() => { const rows = [...document.querySelectorAll('#file-list tbody tr')];"
            f" return rows.length === {count} && rows.every(r => !['queued','processing'].includes(r.dataset.status)); }})()",
            timeout=timeout,
        )
        return self.file_rows()

    def file_rows(self) -> list[dict]:
        return self.page.evaluate(
            "[...document.querySelectorAll('#file-list tbody tr')].map(r => ({status: r.dataset.status,"
            " text: r.innerText, name: r.querySelector('.file-open, .file-name').textContent}))"
        )

    def select(self, files) -> None:
        self.page.set_input_files("#file-input", [str(f) for f in files])

    def open_details(self, text: str) -> None:
        self.page.locator("#file-list button.file-open", has_text=text).first.click()
        # the table is made again by a worker when a file is opened: wait until it is there
        self.page.wait_for_selector("#details:not([hidden]):not([aria-busy])")

    def report_rows(self) -> list[dict]:
        return self.page.evaluate(
            "[...document.querySelectorAll('#report-table tbody tr')].map(r => {"
            " const c = r.cells; return {tag: c[0].innerText.replace(/^↳\\s*/, '').split(/\\s/)[0], name: c[1].innerText,"
            " vr: c[2].innerText, before: c[3].textContent, after: c[4].textContent, action: c[5].innerText,"
            " warnings: c[6].innerText, cls: r.className, depth: c[0].style.paddingLeft}; })"
        )

    def download_zip(self, target: Path) -> Path:
        with self.page.expect_download(timeout=300_000) as info:
            self.page.click("#download-all")
        info.value.save_as(target)
        return target

    def clear(self) -> None:
        if self.page.is_hidden("#batch"):
            return
        self.page.click("#clear")
        self.page.wait_for_selector("#batch[hidden]", state="attached")


def run_cli(inputs, out_dir: Path, *extra: str) -> subprocess.CompletedProcess:
    """The command line on the same inputs: `python -m anonymizer INPUT... -o OUT`."""
    return subprocess.run(
        [sys.executable, "-m", "anonymizer", *map(str, inputs), "-o", str(out_dir), *extra],
        cwd=ROOT, capture_output=True, text=True,
    )


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def zip_members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        assert archive.testzip() is None
        return {info.filename: archive.read(info) for info in archive.infolist()}
