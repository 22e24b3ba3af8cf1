"""How the page looks after a batch, wide and narrow; screenshots go to test-results/."""

from __future__ import annotations

import json
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


def test_options_and_policy_screenshots(open_page, tmp_path, results_dir):
    """The options open, basic profile, a policy in use and a refused combination: tidy at
    1280x720 and on a phone."""
    page = open_page()
    page.wait_ready()
    page.page.select_option("#profile", "basic")
    page.page.click("#options-panel summary")
    page.page.check("#option-retain-device-identity")
    page.page.check("#option-retain-longitudinal-full-dates")
    page.page.check("#option-retain-longitudinal-modified-dates")
    page.poll("!document.getElementById('settings-error').hidden")
    policy = tmp_path / "trial-42.json"
    policy.write_text(json.dumps({"profile": "basic", "options": ["clean-descriptors"], "rules": [
        {"keyword": "StudyDescription", "action": "keep"}, {"range": ["(0009,0000)", "(0009,FFFF)"], "action": "remove"}]}))
    page.page.set_input_files("#policy-input", str(policy))
    page.poll("document.getElementById('policy-status').classList.contains('ok')")
    page.page.screenshot(path=str(results_dir / "page-options.png"))
    assert page.page.evaluate("document.scrollingElement.scrollWidth") <= 1280
    # Options on one line each at 1280 px.
    heights = page.page.evaluate("[...document.querySelectorAll('#option-list li')].map(li => li.getBoundingClientRect().height)")
    assert max(heights) < 2 * min(heights), heights
    page.page.uncheck("#option-retain-longitudinal-full-dates")
    page.poll("document.getElementById('settings-error').hidden")
    page.select(series(tmp_path / "ct", 2))
    page.wait_batch(2)
    page.page.screenshot(path=str(results_dir / "page-options-batch.png"))
    page.page.set_viewport_size({"width": 390, "height": 844})
    page.page.wait_for_timeout(200)
    assert page.page.evaluate("document.scrollingElement.scrollWidth") <= 390
    page.page.locator("#options-panel").scroll_into_view_if_needed()
    page.page.screenshot(path=str(results_dir / "page-options-narrow.png"))
