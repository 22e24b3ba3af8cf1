"""A batch of 1,000 files: the page stays responsive while the worker runs it."""

from __future__ import annotations

import os
import time

from dicomfactory import phi_dataset, write
from pydicom.uid import generate_uid

COUNT = int(os.environ.get("BATCH_FILES", "1000"))


def test_thousand_files_page_stays_responsive(shared_page, tmp_path, results_dir):
    page = shared_page
    page.clear()
    study, series_uid = generate_uid(), generate_uid()
    template = phi_dataset(study_uid=study, series_uid=series_uid, rows=16, columns=16)
    paths = []
    for i in range(COUNT):
        template.SOPInstanceUID = template.file_meta.MediaStorageSOPInstanceUID = generate_uid()
        template.InstanceNumber = i + 1
        paths.append(write(template, tmp_path / "batch" / f"{i:04d}.dcm", seed=i))
    # Measure the main thread: the longest gap between timer ticks while the batch runs.
    page.page.evaluate(
        "window.__lag = 0; window.__last = performance.now(); window.__tick = setInterval(() => {"
        " const now = performance.now(); if (now - window.__last > 150) (window.__gaps ||= []).push([Math.round(now - window.__last),"
        " document.querySelectorAll('#file-list tbody tr').length, document.querySelectorAll('#file-list tbody tr[data-status=queued]').length]);"
        " window.__lag = Math.max(window.__lag, now - window.__last);"
        " window.__last = now; }, 20);"
    )
    started = time.monotonic()
    page.select(paths)
    rows = page.wait_batch(COUNT, timeout=900)
    seconds = time.monotonic() - started
    lag = page.page.evaluate("clearInterval(window.__tick), window.__lag")
    bad = [r for r in rows if r["status"] not in ("anonymised", "warnings")]
    assert not bad, bad[:3]
    assert "done" in page.page.inner_text("#progress-text")
    (results_dir / "batch-1000.txt").write_text(
        f"{COUNT} files in {seconds:.1f} s ({1000 * seconds / COUNT:.0f} ms a file); longest main-thread gap {lag:.0f} ms\n"
    )
    print(f"{COUNT} files in {seconds:.1f} s; longest main-thread gap {lag:.0f} ms", page.page.evaluate("window.__gaps"))
    assert lag < 1000, f"the page froze for {lag:.0f} ms"
    page.clear()
