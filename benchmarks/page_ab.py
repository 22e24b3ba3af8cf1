"""Two builds of the page, side by side in one browser, on the benchmark's series: which is faster.

    .venv/bin/python benchmarks/page_ab.py OLD_DIST NEW_DIST [--runs 3]

OLD_DIST and NEW_DIST are built sites (``python build.py`` makes ``web/dist``; copy it aside
before a change). Both pages are loaded in the same headless Chromium, the series read into
memory as Files in each, then ``anonymizeAll()`` is timed on them in turn, run after run, so
that a busy machine slows both alike. Prints each run and the medians. Needs
benchmarks/data/series-1000 (benchmarks/run.py).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import threading
from pathlib import Path

from playwright.sync_api import sync_playwright

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
import build  # noqa: E402  (the project's own server, with its CSP)
from run import CHROMIUM, CHROMIUM_ARGS  # noqa: E402


def serve(dist: Path, series: Path, scratch: Path) -> str:
    """Serve a copy of ``dist`` with the series under /bench/; the base URL."""
    root = scratch / dist.name
    shutil.copytree(dist, root, symlinks=True)
    (root / "bench").mkdir()
    (root / "bench" / "blank.html").write_text("<!doctype html><meta charset=utf-8><title>benchmark</title>\n")
    (root / "bench" / "series").symlink_to(series)
    server = build.make_server("127.0.0.1", 0, root, quiet=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("old", type=Path)
    parser.add_argument("new", type=Path)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--series", type=Path, default=HERE / "data" / "series-1000")
    args = parser.parse_args()
    files = sorted(args.series.glob("*.dcm"))
    if not files:
        sys.exit(f"no DICOM files in {args.series}: run benchmarks/run.py first")
    urls = [f"/bench/series/{p.name}" for p in files]
    times: dict[str, list[float]] = {"old": [], "new": []}
    with tempfile.TemporaryDirectory(prefix="page-ab-") as scratch, sync_playwright() as playwright:
        bases = {"old": serve(args.old.resolve(), args.series.resolve(), Path(scratch) / "old"),
                 "new": serve(args.new.resolve(), args.series.resolve(), Path(scratch) / "new")}
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            pages = {}
            for name, base in bases.items():
                page = browser.new_context().new_page()
                page.goto(f"{base}/bench/blank.html")
                page.evaluate("""async (urls) => {
                    const { createAnonymizer } = await import('/anonymizer.js');
                    window.anonymizer = await createAnonymizer();
                    window.files = [];
                    for (const url of urls) {
                      window.files.push(new File([await (await fetch(url)).blob()], url.split('/').pop()));
                    } }""", urls)
                pages[name] = page
            for run in range(args.runs):
                for name, page in pages.items():
                    ms = page.evaluate("""async () => {
                        const started = performance.now();
                        await window.anonymizer.anonymizeAll(window.files);
                        return performance.now() - started; }""")
                    times[name].append(ms / 1e3)
                    print(f"run {run + 1}, {name}: {ms / 1e3:.2f} s", flush=True)
        finally:
            browser.close()
    for name, seconds in times.items():
        print(f"{name}: median {statistics.median(seconds):.2f} s, min {min(seconds):.2f} s "
              f"({len(files)} files, {args.runs} runs)")


if __name__ == "__main__":
    main()
