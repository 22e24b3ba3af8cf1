"""Where the page's CPU goes during a batch: Chromium's processes and threads, and the main
thread's busiest functions.

    .venv/bin/python benchmarks/page_cpu.py                 # web/dist, 3 runs of the series
    .venv/bin/python benchmarks/page_cpu.py --dist OTHER_DIST --runs 5

Loads the series (benchmarks/data/series-1000, made by benchmarks/run.py) into the page as
Files, runs ``anonymizeAll()`` once to warm up, then times each run and reads the CPU time of
every Chromium thread from /proc before and after it (Linux only): the workers'
``DedicatedWorker`` threads run the engine; the renderer's main thread (``chromium``) lists the
files and reads their heads; the browser's ``Chrome_IOThread`` serves Blob reads. Last, the
main thread's busiest functions over one more run (the DevTools protocol's sampling profiler).
On a machine with two cores, whatever the main thread and the browser spend is taken from the
workers.
"""

from __future__ import annotations

import argparse
import collections
import os
import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
from page_ab import serve  # noqa: E402
from run import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

TICKS = os.sysconf("SC_CLK_TCK")


def chromium_threads() -> dict[tuple[int, str], float]:
    """CPU seconds of every thread of every Chromium process, by (pid, thread name)."""
    seconds: dict[tuple[int, str], float] = collections.defaultdict(float)
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            if b"chromium" not in Path(f"/proc/{pid}/cmdline").read_bytes():
                continue
            for tid in os.listdir(f"/proc/{pid}/task"):
                name = Path(f"/proc/{pid}/task/{tid}/comm").read_text().strip()
                fields = Path(f"/proc/{pid}/task/{tid}/stat").read_text().rsplit(")", 1)[1].split()
                seconds[int(pid), name] += (int(fields[11]) + int(fields[12])) / TICKS
        except OSError:
            continue
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--dist", type=Path, default=HERE.parent / "web" / "dist")
    parser.add_argument("--series", type=Path, default=HERE / "data" / "series-1000")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    files = sorted(args.series.glob("*.dcm"))
    if not files:
        sys.exit(f"no DICOM files in {args.series}: run benchmarks/run.py first")
    urls = [f"/bench/series/{p.name}" for p in files]
    with tempfile.TemporaryDirectory(prefix="page-cpu-") as scratch, sync_playwright() as playwright:
        base = serve(args.dist.resolve(), args.series.resolve(), Path(scratch) / "site")
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            page = browser.new_context().new_page()
            page.goto(f"{base}/bench/blank.html")
            page.evaluate("""async (urls) => {
                window.files = [];
                for (const url of urls) window.files.push(new File([await (await fetch(url)).blob()], url.split('/').pop()));
                const { createAnonymizer } = await import('/anonymizer.js');
                window.anonymizer = await createAnonymizer();
                await window.anonymizer.anonymizeAll(window.files); }""", urls)
            for run in range(args.runs):
                before = chromium_threads()
                started = time.perf_counter()
                page.evaluate("async () => { await window.anonymizer.anonymizeAll(window.files); }")
                wall = time.perf_counter() - started
                spent: dict[str, float] = collections.defaultdict(float)
                for (pid, name), seconds in chromium_threads().items():
                    spent[name] += seconds - before.get((pid, name), 0.0)
                busiest = sorted(((s, n) for n, s in spent.items() if s >= 0.05), reverse=True)
                print(f"run {run + 1}: {len(files)} files in {wall:.2f} s; CPU {sum(spent.values()):.2f} s: "
                      + ", ".join(f"{name} {s:.2f}" for s, name in busiest), flush=True)
            cdp = page.context.new_cdp_session(page)
            cdp.send("Profiler.enable")
            cdp.send("Profiler.setSamplingInterval", {"interval": 200})
            cdp.send("Profiler.start")
            page.evaluate("async () => { await window.anonymizer.anonymizeAll(window.files); }")
            profile = cdp.send("Profiler.stop")["profile"]
        finally:
            browser.close()
    frames = {node["id"]: node["callFrame"] for node in profile["nodes"]}
    samples = collections.Counter(profile["samples"])
    by_function: collections.Counter = collections.Counter()
    for node, count in samples.items():
        frame = frames[node]
        where = frame["url"].rsplit("/", 1)[-1]
        by_function[f"{frame['functionName'] or '(anonymous)'} {where}:{frame['lineNumber'] + 1}".strip()] += count
    total = sum(samples.values())
    print("main thread, share of samples:")
    for name, count in by_function.most_common(12):
        print(f"  {count / total * 100:5.1f}%  {name}")


if __name__ == "__main__":
    main()
