"""Fixtures for the page tests: web/dist built, served by `build.py serve`, Debian's Chromium.

The tests are skipped (not failed) when Chromium or Playwright is missing, so that the engine's
tests still run on a machine without a browser; scripts/test.sh installs both.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from browserlib import CHROMIUM, CHROMIUM_ARGS, DIST, RESULTS, ROOT, PageDriver

if str(ROOT) not in sys.path:
    sys.path.append(str(ROOT))  # the anonymizer package, when it is not installed

try:
    from playwright import sync_api
except ImportError:  # pragma: no cover
    sync_api = None

HERE = Path(__file__).resolve().parent
SKIP_REASON = (
    "playwright is not installed" if sync_api is None
    else None if Path(CHROMIUM).exists() else f"no Chromium at {CHROMIUM}"
)


def pytest_collection_modifyitems(config, items):
    if SKIP_REASON:
        for item in items:
            if HERE in Path(str(item.fspath)).resolve().parents:
                item.add_marker(pytest.mark.skip(reason=SKIP_REASON))


@pytest.fixture(scope="session")
def dist() -> Path:
    """web/dist, built by `python build.py` (which rebuilds only when an input changed)."""
    subprocess.run([sys.executable, str(ROOT / "build.py")], check=True, cwd=ROOT)
    assert (DIST / "index.html").exists()
    return DIST


@pytest.fixture(scope="session")
def server(dist):
    """`python build.py serve --port 0`: yields its base URL, e.g. http://127.0.0.1:41234/."""
    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "build.py"), "serve", "--port", "0", "--no-build", "--quiet"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    line = proc.stdout.readline()
    match = re.search(r"(http://127\.0\.0\.1:\d+/)", line)
    if not match:
        proc.kill()
        raise RuntimeError(f"build.py serve printed {line!r}")
    yield match.group(1)
    proc.terminate()
    proc.wait(timeout=10)


@pytest.fixture(scope="session")
def playwright_instance():
    with sync_api.sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(playwright_instance):
    browser = playwright_instance.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
    yield browser
    browser.close()


@pytest.fixture(scope="session")
def results_dir() -> Path:
    RESULTS.mkdir(exist_ok=True)
    return RESULTS


@pytest.fixture
def context(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 720}, accept_downloads=True)
    yield context
    context.close()


@pytest.fixture
def open_page(context, server):
    """open_page(path="") -> a PageDriver on a fresh page (ready indicator not yet waited for)."""
    def opener(path: str = "") -> PageDriver:
        return PageDriver(context, server, path)
    return opener


@pytest.fixture(scope="module")
def shared_page(browser, server):
    """One ready page per test module (Pyodide starts once); tests clear the list first."""
    context = browser.new_context(viewport={"width": 1280, "height": 720}, accept_downloads=True)
    driver = PageDriver(context, server)
    driver.wait_ready()
    yield driver
    context.close()
