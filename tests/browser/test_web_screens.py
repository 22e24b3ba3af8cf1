"""How the page looks after a batch, wide and narrow; screenshots go to test-results/."""

from __future__ import annotations

from pathlib import Path

from pydicom.data import get_testdata_file

from dicomfactory import phi_dataset, series, write


def test_page_after_batch_screenshots(open_page, tmp_path, results_dir):
    page = open_page()
    page.wait_ready()
    inputs = [
        *series(tmp_path / "ct", 3),
        Path(get_testdata_file("MR_small.dcm")),
        write(phi_dataset(extra={"RecognizableVisualFeatures": "YES"}), tmp_path / "face.dcm"),
        Path(get_testdata_file("DICOMDIR")),
    ]
    notes = tmp_path / "notes.txt"
    notes.write_text("hello")
    inputs.append(notes)
    page.select(inputs)
    page.wait_batch(len(inputs))
    page.open_details("img001.dcm")
    page.page.screenshot(path=str(results_dir / "page-after-batch.png"))
    page.page.screenshot(path=str(results_dir / "page-after-batch-full.png"), full_page=True)
    width = page.page.evaluate("document.scrollingElement.scrollWidth")
    assert width <= 1280, f"the page scrolls sideways at 1280 px: {width}"

    page.page.set_viewport_size({"width": 390, "height": 844})
    page.page.wait_for_timeout(200)
    width = page.page.evaluate("document.scrollingElement.scrollWidth")
    page.page.screenshot(path=str(results_dir / "page-narrow.png"))
    page.page.locator("#details-title").scroll_into_view_if_needed()
    page.page.screenshot(path=str(results_dir / "page-narrow-details.png"))
    assert width <= 390, f"the page scrolls sideways on a narrow window: {width}"
    assert page.page.is_visible("#choose-files") and page.page.is_visible("#download-all")
