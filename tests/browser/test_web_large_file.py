"""A large multi-frame file (about 300 MB of pixel data) goes through the page: the engine reads
only its header, and the output's pixel data is the input's, byte for byte."""

from __future__ import annotations

import hashlib
import os
import time


from browserlib import run_cli
from dicomfactory import PHI, write_large_multiframe

FRAMES = int(os.environ.get("LARGE_FILE_FRAMES", "600"))  # 600 x 512 x 512 x 2 bytes = 315 MB


def sha256_range(path, start, length, chunk=8 << 20):
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        f.seek(start)
        remaining = length
        while remaining:
            data = f.read(min(chunk, remaining))
            assert data, "file shorter than expected"
            digest.update(data)
            remaining -= len(data)
    return digest.hexdigest()


def test_large_multiframe_file(shared_page, tmp_path, results_dir):
    page = shared_page
    page.clear()
    source = tmp_path / "big" / "cine.dcm"
    offset, length = write_large_multiframe(source, FRAMES)
    size = source.stat().st_size
    assert size > 300e6 or FRAMES != 600

    started = time.monotonic()
    page.select([source])
    (row,) = page.wait_batch(1, timeout=600)
    seconds = time.monotonic() - started
    assert row["status"] in ("anonymised", "warnings"), row
    bytes_read = int(page.page.get_attribute("#file-list tbody tr", "data-bytes-read"))
    # Python saw the header (and one read-ahead buffer), never the pixel data.
    assert bytes_read < 1 << 20, bytes_read
    heap = page.page.evaluate("performance.memory ? performance.memory.usedJSHeapSize : 0")
    assert heap < size / 4, f"the page's JS heap is {heap} bytes"

    with page.page.expect_download(timeout=600_000) as info:
        page.page.locator("#file-list button", has_text="Download").first.click()
    output = tmp_path / "out.dcm"
    info.value.save_as(output)
    out_size = output.stat().st_size
    # Pixel Data is the last element of both: compare the input's pixel bytes with the output's.
    assert sha256_range(output, out_size - length, length) == sha256_range(source, offset, length)
    with open(output, "rb") as f:
        header = f.read(out_size - length)
    for value in PHI.values():
        assert value.encode() not in header
    # And the whole file is what the command line writes.
    cli = run_cli([source], tmp_path / "cli")
    assert cli.returncode == 0, cli.stderr
    (cli_file,) = [p for p in (tmp_path / "cli").rglob("*.dcm")]
    assert sha256_range(cli_file, 0, cli_file.stat().st_size) == sha256_range(output, 0, out_size)
    (results_dir / "large-file.txt").write_text(
        f"{size} bytes ({FRAMES} frames) anonymised in the page in {seconds:.1f} s; "
        f"the engine read {bytes_read} bytes of it\n"
    )
    print(f"large file: {size / 1e6:.0f} MB in {seconds:.1f} s, {bytes_read} bytes read by Python")
