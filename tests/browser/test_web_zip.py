"""web/src/zip.js against hostile archives (the page reads ZIPs itself: see web/README.md, "The
ZIP code"), and its writer checked by Python's zipfile, ZIP64 included."""

from __future__ import annotations

import json
import shutil
import subprocess
import zipfile

import pytest

from dicomfactory import series
import hostile

READ_ALL = """async (archives) => {
  const { collectInputs } = await import("./anonymizer.js");
  const out = {};
  for (const [name, bytes] of archives) {
    const t = performance.now();
    const inputs = await collectInputs([{ blob: new File([new Uint8Array(bytes)], name), path: name }]);
    out[name] = [];
    for (const input of inputs) {
      const row = { path: input.path, status: input.status || null, reason: input.reason || null };
      if (!input.status) {
        try { const blob = await input.getBlob(); row.bytes = [...new Uint8Array(await blob.arrayBuffer())]; }
        catch (e) { row.error = `${e.name}: ${e.message}`; }
      }
      out[name].push(row);
    }
    out[name].ms = performance.now() - t;
  }
  return out;
}"""


def test_hostile_archives(shared_page, tmp_path):
    member = series(tmp_path / "s", 1)[0].read_bytes()
    archives = hostile.hostile_zips(member)
    result = shared_page.page.evaluate(READ_ALL, [[name, list(data)] for name, data in archives.items()])

    def only(name):
        (row,) = result[name]
        return row

    row = only("truncated-central-directory.zip")
    assert row["status"] == "not-dicom" and "not a readable ZIP archive" in row["reason"]
    row = only("lying-count.zip")
    assert row["status"] == "not-dicom" and "corrupt central directory" in row["reason"]
    row = only("lying-stored-size.zip")
    assert row["status"] is None and row["error"].startswith("ZipError: ")
    assert "truncated ZIP member" in row["error"] or "corrupt ZIP member" in row["error"], row
    row = only("lying-deflated-size.zip")
    assert "inflates to more than its declared size" in row["error"], row
    for name in ("zip64.zip", "data-descriptor.zip"):
        row = only(name)
        assert bytes(row["bytes"]) == member, name
    row = only("encrypted.zip")
    assert row["status"] == "not-dicom" and "encrypted" in row["reason"]
    rows = {r["path"]: r for r in result["dotdot.zip"]}
    assert rows["dotdot.zip:../../escape.dcm"]["status"] == "not-dicom"
    assert "outside the archive" in rows["dotdot.zip:/etc/absolute.dcm"]["reason"]
    assert bytes(rows["dotdot.zip:ok/inside.dcm"]["bytes"]) == member


def test_hostile_archives_in_the_page(shared_page, tmp_path):
    """The same archives dropped on the page: one clear status per archive or member."""
    page = shared_page
    page.clear()
    member = series(tmp_path / "s", 1)[0].read_bytes()
    paths = hostile.write_all(tmp_path / "zips", hostile.hostile_zips(member))
    page.select(paths)
    rows = page.wait_batch(10, timeout=60)
    statuses = {r["name"]: r["status"] for r in rows}
    assert statuses["lying-stored-size.zip:a.dcm"] == "error"
    assert statuses["lying-deflated-size.zip:a.dcm"] == "error"
    assert statuses["zip64.zip:a.dcm"] in ("anonymised", "warnings")
    assert statuses["data-descriptor.zip:a.dcm"] in ("anonymised", "warnings")
    assert statuses["truncated-central-directory.zip"] == "not-dicom"
    assert statuses["encrypted.zip:a.dcm"] == "not-dicom"
    assert page.errors == []


def test_writer_zip64_and_names(dist, tmp_path):
    """More than 65,535 members: the writer switches to ZIP64, Python reads it back whole.
    Run under Node (zip.js needs only Blob, streams and TextEncoder): Chromium spends a
    minute registering 65,600 tiny Blobs, which says nothing about the writer."""
    node = shutil.which("node")
    if not node:
        pytest.skip("node is not installed")
    count = 65_600
    target = tmp_path / "many.zip"
    script = f"""
      import {{ makeZip }} from {json.dumps((dist / "zip.js").as_uri())};
      import {{ writeFileSync }} from "node:fs";
      const files = [];
      for (let i = 0; i < {count}; i++) files.push({{ name: `d/${{i}}.dcm`, blob: new Blob([String(i)]) }});
      files.push({{ name: "é/ü.dcm", blob: new Blob([new Uint8Array([0, 1, 2])]) }});
      const zip = await makeZip(files);
      writeFileSync({json.dumps(str(target))}, new Uint8Array(await zip.arrayBuffer()));
    """
    subprocess.run([node, "--input-type=module", "-e", script], check=True, timeout=300)
    with zipfile.ZipFile(target) as archive:
        assert archive.testzip() is None
        infos = archive.infolist()
        assert len(infos) == count + 1
        assert archive.read("d/65599.dcm") == b"65599"
        assert archive.read("é/ü.dcm") == b"\0\1\2"
        assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}
    with open(target, "rb") as f:
        assert f.read()[-22 - 20 - 56:][:4] == b"PK\x06\x06"  # the ZIP64 end of central directory
