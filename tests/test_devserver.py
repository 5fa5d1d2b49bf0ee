"""`make devserver` survives a bad save: it says what is wrong, keeps serving the last good site, and recovers."""

from __future__ import annotations

import contextlib
import os
import queue
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request

import pytest

from conftest import build_env

pytestmark = pytest.mark.slow  # seconds each: run first (conftest.py)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Output:
    """The devserver's output, read line by line in the background."""

    def __init__(self, stream):
        self.lines: queue.Queue = queue.Queue()
        self.seen: list[str] = []
        threading.Thread(target=self._read, args=(stream,), daemon=True).start()

    def _read(self, stream):
        for line in stream:
            self.lines.put(line.rstrip("\n"))

    def wait_for(self, text: str, timeout: float = 60) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=0.2)
            except queue.Empty:
                continue
            self.seen.append(line)
            if text in line:
                return line
        raise AssertionError(f"no line with {text!r} within {timeout} s; output so far:\n" + "\n".join(self.seen))


def fetch(port: int, path: str = "/", timeout: float = 15) -> str:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5) as response:
                return response.read().decode("utf-8")
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


@contextlib.contextmanager
def devserver(site, chart_cache, *args: str):
    """`devserver` running in `site` (its own process group), serving; stopped, with its children, after."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-u", "-m", "plugins.figures.cli", "devserver", "--port", str(port), *args],
        cwd=site, env={**build_env(chart_cache), "PYTHONUNBUFFERED": "1"},
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True,
    )
    try:
        out = Output(process.stdout)
        out.wait_for(f"at http://localhost:{port}/")
        yield process, out, port
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def test_devserver_keeps_last_good_site_on_a_bad_save_and_recovers(test_site, chart_cache):
    with devserver(test_site, chart_cache) as (process, out, port):
        good = fetch(port)
        assert "more than 1,000" in good

        figures = test_site / "data" / "figures.yaml"
        original = figures.read_text()
        figures.write_text(original.replace("value: 1000", "value: 1k", 1))
        line = out.wait_for("data/figures.yaml:")
        assert line.startswith("data/figures.yaml:3: `value` of whole should be a whole number, not `1k` — ")
        out.wait_for("Still serving the last good site")
        assert fetch(port) == good
        assert process.poll() is None

        figures.write_text(original.replace("value: 1000", "value: 1200", 1).replace("more than 1,000 apples", "more than 1,200 apples"))
        out.wait_for("Rebuilt")
        assert "more than 1,200" in fetch(port)
        assert "Traceback" not in "\n".join(out.seen)


def text_of(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", "", html).split())


def test_preview_serves_drafts_and_ignores_editor_files(test_site, chart_cache):
    """`make preview`: drafts built into .cache/preview/ and served; an editor's lock or backup file triggers nothing."""
    page = test_site / "content" / "pages" / "plans.md"
    page.write_text("Title: Plans\nSlug: plans\nStatus: draft\nDescription: Not yet.\n\nFirst draft of {{ whole }}.\n")
    with devserver(test_site, chart_cache, "--drafts") as (_, out, port):
        assert "First draft of more than 1,000" in text_of(fetch(port, "/plans/"))
        assert not (test_site / "output").exists()  # the preview is never the site that gets published

        pages = test_site / "content" / "pages"
        (pages / ".#plans.md").symlink_to("editor@host.1234:1700000000")  # Emacs's lock: a link to nowhere
        (pages / "plans.md~").write_text("Title: {{ hole }}\n")
        (pages / ".plans.md.swp").write_bytes(b"\x00\xff")
        time.sleep(2)  # longer than the watcher's debounce
        page.write_text(page.read_text().replace("First draft", "Second draft"))
        line = out.wait_for("Changed:")
        assert line == "Changed: content/pages/plans.md", line
        out.wait_for("Rebuilt")
        assert "Second draft of more than 1,000" in text_of(fetch(port, "/plans/"))
        assert "Traceback" not in "\n".join(out.seen)
