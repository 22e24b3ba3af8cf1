"""The page, driven like a person would: pick or drop files, read the table, download."""

from __future__ import annotations

import zipfile
from pathlib import Path
from urllib.parse import urlsplit

from pydicom.data import get_testdata_file

from browserlib import run_cli, tree, zip_members
from dicomfactory import PHI, XSS, phi_dataset, series, write

SAMPLES = ["CT_small.dcm", "MR_small.dcm", "JPEG2000.dcm", "rtplan.dcm"]


def sample_paths() -> list[Path]:
    return [Path(get_testdata_file(name)) for name in SAMPLES]


def assert_same_as_cli(zip_path: Path, cli_out: Path) -> None:
    members = zip_members(zip_path)
    expected = tree(cli_out)
    assert expected, "the command line wrote nothing"
    assert sorted(members) == sorted(expected)
    for name, data in expected.items():
        assert members[name] == data, f"{name} differs from the command line's output"


def test_select_files_table_and_zip_identical_to_cli(shared_page, tmp_path):
    page = shared_page
    page.clear()
    inputs = sample_paths() + series(tmp_path / "gen", 3)
    page.select(inputs)
    rows = page.wait_batch(len(inputs))
    assert all(r["status"] in ("anonymised", "warnings") for r in rows), rows

    # The generated CT: planted PHI shown before, gone after.
    page.open_details("img001.dcm")
    table = {r["tag"]: r for r in page.report_rows()}
    name = table["(0010,0010)"]
    assert name["before"] == PHI["name"] and name["after"] == "" and name["action"] == "Replaced"
    assert "action-replaced" in name["cls"]
    assert table["(0008,0080)"]["before"] == PHI["institution"]
    assert table["(0008,0080)"]["action"] == "Removed" and table["(0008,0080)"]["after"] == "—"
    assert table["(0020,000D)"]["action"] == "Regenerated"
    assert table["(0020,000D)"]["after"].startswith("1.2.826.0.1.3680043.10.341.")
    assert table["(0028,0010)"]["action"] == "Kept"
    # Sequence items are indented under their sequence.
    all_rows = page.report_rows()
    seq = next(i for i, r in enumerate(all_rows) if r["tag"] == "(0040,0275)")
    assert all_rows[seq + 1]["tag"] in ("(0040,0009)", "(0040,1001)") and all_rows[seq + 1]["depth"]
    assert not all_rows[seq]["depth"]
    # A kept free-text value carries its warning, in words.
    series_description = table["(0008,103E)"]
    assert "Level 2" in series_description["warnings"] and "level-2" in series_description["cls"]
    summary = page.page.inner_text("#details-summary")
    for word in ("removed", "replaced", "regenerated", "kept", "warning"):
        assert word in summary

    # Filter and "changed only".
    page.page.fill("#filter", "patient's name")
    page.poll("document.querySelectorAll('#report-table tbody tr').length === 1")
    assert page.report_rows()[0]["tag"] == "(0010,0010)"
    page.page.fill("#filter", PHI["institution"].lower())
    page.poll("document.querySelectorAll('#report-table tbody tr').length === 1")
    page.page.fill("#filter", "")
    page.page.check("#changed-only")
    page.poll("[...document.querySelectorAll('#report-table tbody tr')].every(r => !r.classList.contains('action-kept') || r.className.includes('level-'))")
    page.page.uncheck("#changed-only")

    # The ZIP holds exactly what the command line writes for the same inputs.
    zip_path = page.download_zip(tmp_path / "page.zip")
    cli = run_cli(inputs, tmp_path / "cli")
    assert cli.returncode == 0, cli.stderr
    assert_same_as_cli(zip_path, tmp_path / "cli")
    for data in zip_members(zip_path).values():
        for value in PHI.values():
            assert value.encode() not in data


def test_drop_folder_tree_and_zip_same_as_cli(shared_page, tmp_path):
    """A drop of a folder (walked through the entries API) and of a ZIP archive."""
    page = shared_page
    page.clear()
    folder = tmp_path / "study"
    series(folder / "b-series", 2, prefix="b")
    series(folder / "a-series", 2, prefix="a")
    (folder / "notes.txt").write_text("not a scan")
    extra = series(tmp_path / "zipped", 2, prefix="z")
    archive = tmp_path / "bundle.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.write(extra[0], "deflated/z001.dcm", compress_type=zipfile.ZIP_DEFLATED)
        z.write(extra[1], "stored/z002.dcm", compress_type=zipfile.ZIP_STORED)
        z.writestr("readme.txt", "hello")

    # Build, in the page, FileSystemEntry look-alikes for the folder and hand them to a drop
    # event, as Chromium does when a folder is dropped (a script cannot make real ones).
    files = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        files.append({"path": "study/" + path.relative_to(folder).as_posix(), "data": list(path.read_bytes())})
    page.page.evaluate(
        """([files, zipBytes]) => {
        const root = { name: "", isDirectory: true, isFile: false, fullPath: "", children: new Map() };
        for (const f of files) {
          const parts = f.path.split("/");
          let dir = root;
          for (const part of parts.slice(0, -1)) {
            if (!dir.children.has(part)) dir.children.set(part, { name: part, isDirectory: true, isFile: false,
              fullPath: dir.fullPath + "/" + part, children: new Map() });
            dir = dir.children.get(part);
          }
          const name = parts[parts.length - 1];
          const file = new File([new Uint8Array(f.data)], name);
          dir.children.set(name, { name, isFile: true, isDirectory: false, fullPath: dir.fullPath + "/" + name,
            file: (ok) => setTimeout(() => ok(file), 0) });
        }
        const withReaders = (entry) => {
          if (entry.isDirectory) {
            const kids = [...entry.children.values()].map(withReaders);
            entry.createReader = () => { let given = false; return { readEntries: (ok) => setTimeout(() => {
              // hand the children over in two batches, as real readers may
              if (!given) { given = true; ok(kids.slice(0, 1)); entry._rest = kids.slice(1); }
              else { const rest = entry._rest || []; entry._rest = []; ok(rest); } }, 0) }; };
          }
          return entry;
        };
        const studyEntry = withReaders(root.children.get("study"));
        const zipFile = new File([new Uint8Array(zipBytes)], "bundle.zip", { type: "application/zip" });
        const items = [
          { kind: "file", webkitGetAsEntry: () => studyEntry, getAsFile: () => null },
          { kind: "file", webkitGetAsEntry: () => null, getAsFile: () => zipFile },
        ];
        const event = new Event("drop", { bubbles: true, cancelable: true });
        Object.defineProperty(event, "dataTransfer", { value: { items, files: [] } });
        document.getElementById("drop-zone").dispatchEvent(event);
      }""",
        [files, list(archive.read_bytes())],
    )
    rows = page.wait_batch(8)
    texts = [r["text"] for r in rows]
    statuses = [r["status"] for r in rows]
    # The folder in the command line's order: a folder's files, then its subfolders, by name.
    order = [r["name"] for r in rows]
    assert order[:5] == ["study/notes.txt", "study/a-series/a001.dcm", "study/a-series/a002.dcm",
                         "study/b-series/b001.dcm", "study/b-series/b002.dcm"], order
    assert statuses[0] == "not-dicom" and "not a DICOM file" in texts[0]
    assert order[5:] == ["bundle.zip:deflated/z001.dcm", "bundle.zip:stored/z002.dcm", "bundle.zip:readme.txt"], order
    assert statuses[7] == "not-dicom"
    assert all(s in ("anonymised", "warnings") for s in statuses[1:7])

    zip_path = page.download_zip(tmp_path / "page.zip")
    cli = run_cli([folder, archive], tmp_path / "cli")
    assert cli.returncode == 0, cli.stderr
    assert_same_as_cli(zip_path, tmp_path / "cli")


def test_folder_picker(shared_page, tmp_path):
    page = shared_page
    page.clear()
    folder = tmp_path / "picked"
    series(folder / "s", 2)
    (folder / "DICOMDIR").write_bytes(Path(get_testdata_file("DICOMDIR")).read_bytes())
    page.page.set_input_files("#folder-input", str(folder))
    rows = page.wait_batch(3)
    assert [r["status"] for r in rows].count("refused") == 1
    zip_path = page.download_zip(tmp_path / "page.zip")
    run_cli([folder], tmp_path / "cli")
    assert_same_as_cli(zip_path, tmp_path / "cli")


def test_refused_skipped_and_html_shown_as_text(shared_page, tmp_path):
    page = shared_page
    page.clear()
    refused = write(phi_dataset(extra={"RecognizableVisualFeatures": "YES"}), tmp_path / "face.dcm")
    text_file = tmp_path / "notes.txt"
    text_file.write_text("<b>not DICOM</b>")
    truncated = tmp_path / "truncated.dcm"
    good = series(tmp_path / "good", 2)
    truncated.write_bytes(good[0].read_bytes()[:-100])
    inputs = [refused, text_file, truncated, *good, Path(get_testdata_file("DICOMDIR"))]
    page.select(inputs)
    rows = page.wait_batch(len(inputs))
    statuses = [r["status"] for r in rows]
    assert statuses[0] == "refused" and "recognizable visual features" in rows[0]["text"]
    assert "Refused" in rows[0]["text"]  # in words, not only a colour
    assert statuses[1] == "not-dicom" and "Skipped: not DICOM" in rows[1]["text"]
    assert statuses[2] == "error" and "Error" in rows[2]["text"]
    assert statuses[3] in ("anonymised", "warnings") and statuses[4] in ("anonymised", "warnings")
    assert statuses[5] == "refused" and "DICOMDIR" in rows[5]["text"]
    assert "2 anonymised" in page.page.inner_text("#batch-counts") or "with warnings" in page.page.inner_text("#batch-counts")

    page.open_details("good/img001.dcm" if False else "img001.dcm")
    table = {r["tag"]: r for r in page.report_rows()}
    assert table["(0008,103E)"]["before"] == XSS
    assert page.page.evaluate("document.querySelectorAll('#report-table img, #file-list img').length") == 0
    assert page.page.evaluate("window.__xss") is None


def test_rules_view_searchable_from_policy(shared_page):
    from anonymizer.policy import rule_table

    page = shared_page
    expected = rule_table("radiopaedia")
    assert page.page.evaluate("document.getElementById('rules-details').open")  # shown before any drop
    page.poll(f"document.querySelectorAll('#rules-table tbody tr').length === {len(expected)}")
    assert f"({len(expected)} rules)" in page.page.inner_text("#rules-count")
    page.page.fill("#rules-filter", "patient's name")
    page.poll("document.querySelectorAll('#rules-table tbody tr').length >= 1 && document.querySelectorAll('#rules-table tbody tr').length < 10")
    cells = page.page.evaluate("[...document.querySelectorAll('#rules-table tbody tr')].map(r => [...r.cells].map(c => c.innerText))")
    assert any(c[0] == "(0010,0010)" for c in cells), cells
    page.page.fill("#rules-filter", "")
    page.page.click("#rules-details summary")  # it folds away from the keyboard or mouse
    assert not page.page.evaluate("document.getElementById('rules-details').open")
    page.page.keyboard.press("Enter")
    assert page.page.evaluate("document.getElementById('rules-details').open")


def test_requests_same_origin_then_none_and_offline(open_page, tmp_path):
    page = open_page()
    seconds = page.wait_ready()
    origin = urlsplit(page.base_url)
    assert page.requests, "no request recorded"
    for url in page.requests:
        parts = urlsplit(url)
        assert (parts.scheme, parts.netloc) == (origin.scheme, origin.netloc), url
    loaded = len(page.requests)
    print(f"ready after {seconds:.1f} s, {loaded} requests")

    inputs = series(tmp_path / "a", 3)
    page.select(inputs)
    page.wait_batch(3)
    page.open_details("img001.dcm")
    page.download_zip(tmp_path / "first.zip")
    # blob: URLs of downloads are not network requests; everything else would be.
    after = [u for u in page.requests[loaded:] if not u.startswith("blob:")]
    assert after == [], after

    page.context.set_offline(True)
    try:
        more = series(tmp_path / "b", 3, prefix="off")
        page.select(more)
        rows = page.wait_batch(6)
        assert all(r["status"] in ("anonymised", "warnings") for r in rows)
        zip_path = page.download_zip(tmp_path / "offline.zip")
        assert len(zip_members(zip_path)) == 6
    finally:
        page.context.set_offline(False)
    assert [u for u in page.requests[loaded:] if not u.startswith("blob:")] == []
    storage = page.page.evaluate(
        "(async () => ({local: localStorage.length, session: sessionStorage.length, cookie: document.cookie,"
        " idb: (await indexedDB.databases()).length}))()"
    )
    assert storage == {"local": 0, "session": 0, "cookie": "", "idb": 0}


def test_files_dropped_before_ready_are_queued(open_page, tmp_path):
    page = open_page()
    inputs = series(tmp_path / "early", 2)
    page.page.wait_for_selector("#file-input", state="attached")
    page.select(inputs)
    assert page.page.get_attribute("#engine-status", "data-state") == "loading"
    page.poll("document.querySelectorAll('#file-list tbody tr').length === 2")
    assert "Queued" in page.page.inner_text("#file-list")
    page.wait_ready()
    rows = page.wait_batch(2)
    assert all(r["status"] in ("anonymised", "warnings") for r in rows)


def test_every_profile_matches_cli(shared_page, tmp_path):
    import anonymizer
    from anonymizer.policy import rule_table

    page = shared_page
    options = page.page.evaluate("[...document.querySelectorAll('#profile option')].map(o => o.value)")
    assert options == list(anonymizer.PROFILES)
    inputs = [*series(tmp_path / "s", 2), Path(get_testdata_file("MR_small.dcm"))]
    # A secret: without one the tcia profile keys its pseudonyms with a random key per process.
    secret = "every profile"
    page.page.fill("#uid-secret", secret)
    try:
        for profile in anonymizer.PROFILES:
            page.clear()
            page.page.select_option("#profile", profile)
            expected_rules = len(rule_table(profile))
            page.poll(f"document.querySelectorAll('#rules-table tbody tr').length === {expected_rules}")
            page.select(inputs)
            page.wait_batch(len(inputs))
            zip_path = page.download_zip(tmp_path / f"{profile}.zip")
            cli = run_cli(inputs, tmp_path / f"cli-{profile}", "--profile", profile, "--uid-secret", secret)
            assert cli.returncode == 0, cli.stderr
            assert_same_as_cli(zip_path, tmp_path / f"cli-{profile}")
    finally:
        page.page.fill("#uid-secret", "")
        page.page.select_option("#profile", anonymizer.PROFILES[0])


def test_uid_secret_matches_cli(shared_page, tmp_path):
    page = shared_page
    page.clear()
    inputs = series(tmp_path / "s", 2)
    page.page.fill("#uid-secret", "correct horse battery staple")
    try:
        page.select(inputs)
        page.wait_batch(2)
        zip_path = page.download_zip(tmp_path / "page.zip")
    finally:
        page.page.fill("#uid-secret", "")
    cli = run_cli(inputs, tmp_path / "cli", "--uid-secret", "correct horse battery staple")
    assert cli.returncode == 0, cli.stderr
    assert_same_as_cli(zip_path, tmp_path / "cli")
    run_cli(inputs, tmp_path / "plain")
    assert sorted(tree(tmp_path / "plain")) != sorted(zip_members(zip_path))


def test_single_download_and_cancel(shared_page, tmp_path):
    page = shared_page
    page.clear()
    inputs = series(tmp_path / "one", 1)
    page.select(inputs)
    page.wait_batch(1)
    with page.page.expect_download() as info:
        page.page.locator("#file-list button", has_text="Download").first.click()
    download = info.value
    assert download.suggested_filename.startswith("1.2.826.0.1.3680043.10.341.")
    assert download.suggested_filename.endswith(".dcm")
    target = tmp_path / "single.dcm"
    download.save_as(target)
    run_cli(inputs, tmp_path / "cli")
    (only,) = tree(tmp_path / "cli").values()
    assert target.read_bytes() == only

    # Cancel: a long batch stops; what was not processed says so.
    page.clear()
    many = series(tmp_path / "many", 150)
    # Cancel as soon as the first file is shown done (a person's click, without a person's
    # delay: 150 small files take about a second, and rows are redrawn every 50 ms).
    page.page.evaluate(
        "window.__cancelObserver = new MutationObserver(() => {"
        " if (document.querySelector('#file-list tbody tr[data-status=anonymised], #file-list tbody tr[data-status=warnings]')) {"
        " window.__cancelObserver.disconnect(); document.getElementById('cancel').click(); } });"
        " window.__cancelObserver.observe(document.getElementById('file-list'), {subtree: true, childList: true, attributes: true});"
    )
    page.select(many)
    rows = page.wait_batch(150)
    statuses = [r["status"] for r in rows]
    assert "cancelled" in statuses, statuses
    assert statuses.index("cancelled") > 0


def test_js_api(shared_page):
    """createAnonymizer / anonymize / anonymizeAll, as an embedding site calls them."""
    result = shared_page.page.evaluate(
        """async () => {
        const { createAnonymizer } = await import("./anonymizer.js");
        const a = await createAnonymizer({ baseUrl: "./" });
        const out = {};
        try { await a.anonymize(new TextEncoder().encode("hello").buffer); out.notDicom = "resolved"; }
        catch (e) { out.notDicom = { isError: e instanceof Error, kind: e.kind, reason: e.reason, message: e.message }; }
        out.profiles = a.profiles;
        const rules = await a.rules();
        out.rules = rules.length;
        const all = await a.anonymizeAll([new Blob(["x"]), new Blob(["y"])], { onProgress: (p) => { out.progress = [p.done, p.total]; } });
        out.all = all.map((r) => r.status);
        a.terminate();
        return out;
      }"""
    )
    assert result["notDicom"]["isError"] and result["notDicom"]["kind"] == "not-dicom"
    assert result["notDicom"]["reason"] == result["notDicom"]["message"] and result["notDicom"]["reason"]
    import anonymizer

    assert result["profiles"] == list(anonymizer.PROFILES)
    assert result["rules"] > 10
    assert result["all"] == ["not-dicom", "not-dicom"] and result["progress"] == [2, 2]


def test_keyboard_and_labels(shared_page):
    page = shared_page.page
    unlabeled = page.evaluate(
        """[...document.querySelectorAll('button, input, select, summary, [tabindex]')].filter(e => {
          if (e.type === 'file') return !e.getAttribute('aria-label');
          const byLabel = e.labels && e.labels.length;
          const text = (e.getAttribute('aria-label') || e.getAttribute('aria-labelledby') || e.innerText || '').trim();
          return !byLabel && !text;
        }).map(e => e.outerHTML.slice(0, 80))"""
    )
    assert unlabeled == []
    page.focus("#profile")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "uid-secret"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "choose-policy"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "choose-assigned"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.parentElement.id") == "options-panel"  # its summary
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "choose-files"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "choose-folder"
    with page.expect_file_chooser() as chooser:
        page.focus("#choose-files")
        page.keyboard.press("Enter")
    assert chooser.value.is_multiple()


def test_worker_crash_is_reported_and_worker_restarted(shared_page):
    """If the worker dies mid-file (here a real WebAssembly trap: a read past the end of its
    memory, from Python), that file fails with the reason and a new worker takes over."""
    result = shared_page.page.evaluate(
        """async () => {
        const { createAnonymizer } = await import("./anonymizer.js");
        const a = await createAnonymizer({ baseUrl: "./", workers: 1, testFaults: true });
        const statuses = [];
        a.onStatus = (s) => statuses.push(s.state);
        let error;
        try { await a.anonymize(new Blob(["x"]), { label: "victim.dcm", testFault: "trap" }); } catch (e) { error = e; }
        await a.ready;
        let after;
        try { await a.anonymize(new Blob(["y"])); after = "resolved"; } catch (e) { after = e.kind; }
        const restarts = a.restarts;
        a.terminate();
        return { kind: error.kind, reason: error.reason, statuses, after, restarts };
      }"""
    )
    assert result["kind"] == "error"
    assert "victim.dcm" in result["reason"] and "memory access out of bounds" in result["reason"]
    assert "restarted" in result["reason"]
    assert result["statuses"][0] == "loading" and result["statuses"][-1] == "ready"
    assert result["after"] == "not-dicom" and result["restarts"] == 1


def test_test_faults_need_the_flag(shared_page):
    """The test hook is off unless the pool was created with testFaults: a request naming a
    fault is then an ordinary request."""
    result = shared_page.page.evaluate(
        """async () => {
        const { createAnonymizer } = await import("./anonymizer.js");
        const a = await createAnonymizer({ baseUrl: "./", workers: 1 });
        let kind;
        try { await a.anonymize(new Blob(["x"]), { testFault: "trap" }); } catch (e) { kind = e.kind; }
        const restarts = a.restarts;
        a.terminate();
        return { kind, restarts };
      }"""
    )
    assert result == {"kind": "not-dicom", "restarts": 0}
