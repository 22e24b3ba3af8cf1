"""web/examples/upload.html against an upload endpoint the test runs: it must receive exactly the
anonymised bytes (the command line's output), and none of the planted PHI."""

from __future__ import annotations

import email.parser
import email.policy
import threading

from browserlib import build, PageDriver, run_cli, tree
from dicomfactory import PHI, series


class UploadHandler(build.Handler):
    received: list[tuple[str, bytes]] = []

    def do_POST(self):  # noqa: N802
        if self.path != "/upload":
            self.send_error(404)
            return
        body = self.rfile.read(int(self.headers["Content-Length"]))
        message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
            b"Content-Type: " + self.headers["Content-Type"].encode() + b"\r\n\r\n" + body
        )
        fields = {part.get_param("name", header="content-disposition"): part for part in message.iter_parts()}
        path = fields["path"].get_content().strip()
        data = fields["file"].get_payload(decode=True)
        type(self).received.append((path, data))
        self.send_response(201)
        self.send_header("Content-Length", "0")
        self.end_headers()


def test_upload_example_sends_only_anonymised_bytes(browser, dist, tmp_path):
    UploadHandler.received = []
    handler = type("H", (UploadHandler,), {"quiet": True})
    from functools import partial

    import http.server

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), partial(handler, directory=str(dist)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    try:
        inputs = series(tmp_path / "up", 3)
        notes = tmp_path / "notes.txt"
        notes.write_text(PHI["name"])
        driver = PageDriver(context, base, "examples/upload.html")
        driver.wait_ready()
        driver.page.set_input_files("#files", [str(p) for p in [*inputs, notes]])
        driver.page.wait_for_selector("#send:not([disabled])")
        driver.page.click("#send")
        driver.poll("document.getElementById('upload-summary').textContent.includes('sent')", timeout=120)
        assert "3 anonymised file(s) sent" in driver.page.inner_text("#upload-summary")
        assert "notes.txt: not sent" in driver.page.inner_text("#log")
        for url in driver.requests:
            assert url.startswith(base), url
    finally:
        context.close()
        server.shutdown()
        server.server_close()

    cli = run_cli(inputs, tmp_path / "cli")
    assert cli.returncode == 0, cli.stderr
    expected = tree(tmp_path / "cli")
    received = dict(UploadHandler.received)
    assert len(UploadHandler.received) == 3
    assert received == expected
    for data in received.values():
        for value in PHI.values():
            assert value.encode() not in data
