"""`make devserver` survives a bad save: it says what is wrong, keeps serving the last good site, and recovers."""

from __future__ import annotations

import contextlib
import html
import json
import os
import queue
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

import pytest

from conftest import SKIP, all_files, build_env, run_cli

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
def devserver(site, chart_cache, *args: str, env: dict | None = None):
    """`devserver` running in `site` (its own process group), serving; stopped, with its children, after."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-u", "-m", "plugins.figures.cli", "devserver", "--port", str(port), *args],
        cwd=site, env={**build_env(chart_cache), "PYTHONUNBUFFERED": "1", **(env or {})},
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True,
    )
    try:
        out = Output(process.stdout)
        out.wait_for(f"http://localhost:{port}/_preview/")  # printed once the watcher is armed
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
        built = (test_site / "output" / "index.html").read_bytes()

        figures = test_site / "data" / "figures.yaml"
        original = figures.read_text()
        figures.write_text(original.replace("value: 1000", "value: 1k", 1))
        line = out.wait_for("data/figures.yaml:3:")
        assert line.startswith("data/figures.yaml:3: `value` of whole should be a whole number, not `1k` — ")
        out.wait_for("Still serving the last good site")
        # The last good page, as built, with the problems panel over it (added as it is served).
        assert (test_site / "output" / "index.html").read_bytes() == built
        now = fetch(port)
        main = lambda page: re.search(r"<main.*</main>", page, re.S).group(0)  # noqa: E731
        assert main(now) == main(good) and panel_shown(now) and not panel_shown(good)
        assert process.poll() is None

        figures.write_text(original.replace("value: 1000", "value: 1200", 1).replace("more than 1,000 apples", "more than 1,200 apples"))
        out.wait_for("Rebuilt")
        assert "more than 1,200" in fetch(port)
        assert "Traceback" not in "\n".join(out.seen)


def shown_panel(page: str) -> str:
    """The problems panel as the page shows it, not its blueprints (the <template>s the live script
    copies); "" when it shows none."""
    found = re.search(r'<div id="preview-problems".*?</div>', re.sub(r"<template.*?</template>", "", page, flags=re.S), re.S)
    return found.group(0) if found else ""


def panel_shown(page: str) -> bool:
    return shown_panel(page) != ""


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


def served(port: int, path: str):
    """(status, headers, text) of one response from the devserver."""
    try:
        response = urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10)
    except urllib.error.HTTPError as exc:  # the site's 404 page comes with status 404
        response = exc
    with response:
        return response.status, response.headers, response.read().decode("utf-8")


SCRIPT_RE = re.compile(r"<script(?![^>]*application/ld\+json)[^>]*>")


def test_only_what_the_devserver_sends_has_a_script(real_site, chart_cache):
    """`make html` and `make publish` write no script and keep script-src 'none'; the devserver adds its
    one live script to each HTML response, allowed by its hash alone, and never writes it to a file."""
    from plugins.figures import devserver as preview

    published = run_cli(real_site, "publish", "--output", "published", cache=chart_cache)
    assert published.returncode == 0, published.stderr
    with devserver(real_site, chart_cache) as (_, out, port):
        for folder in ("output", "published"):
            pages = sorted((real_site / folder).rglob("*.html"))
            assert len(pages) > 20, folder
            for page in pages:
                text = page.read_text(encoding="utf-8")
                assert not SCRIPT_RE.search(text), page
                assert "script-src &#39;none&#39;" in text, page
            assert not list((real_site / folder).rglob("*preview*")), folder
        for path, status in (("/", 200), ("/missed-court-hearings/", 200), ("/es/glossary/", 200), ("/nowhere/", 404), ("/_preview/", 200)):
            code, headers, text = served(port, path)
            assert code == status, path
            assert SCRIPT_RE.findall(text) == ['<script data-generation="1">'], path
            policy = headers["Content-Security-Policy"]
            assert policy.endswith(f"script-src '{preview.SCRIPT_HASH}'"), policy
            assert "unsafe" not in policy and policy.count("script-src") == 1, policy
            assert "Content-Security-Policy" not in text, path  # the page's own <meta> would forbid the script
            assert headers["Cache-Control"] == "no-store"
        # The hash is of the script as sent.
        script = re.search(r'<script data-generation="1">(.*?)</script>', text, re.S).group(1)
        assert script == preview.LIVE_SCRIPT
        # Not HTML, not touched.
        code, headers, text = served(port, "/downloads/figures.csv")
        assert code == 200 and "Content-Security-Policy" not in headers and "<script" not in text
        assert "Traceback" not in "\n".join(out.seen)


def test_an_open_page_hears_reload_after_a_good_save_and_problems_after_a_bad_one(test_site, chart_cache):
    """The event stream: `problems` with the terminal's very lines, then `reload` after the fix."""
    with devserver(test_site, chart_cache) as (_, out, port):
        events = urllib.request.urlopen(f"http://127.0.0.1:{port}/_preview/events?since=1", timeout=60)
        assert events.headers["Content-Type"].startswith("text/event-stream")

        def next_event():
            lines = []
            while True:
                line = events.readline().decode().rstrip("\n")
                if line == "" and any(x.startswith("event:") for x in lines):
                    return lines[-2].removeprefix("event: "), json.loads(lines[-1].removeprefix("data: "))
                if line:
                    lines.append(line)

        figures = test_site / "data" / "figures.yaml"
        original = figures.read_text()
        figures.write_text(original.replace("value: 1000", "value: 1k", 1))
        kind, data = next_event()
        terminal = out.wait_for("data/figures.yaml:3:")
        assert kind == "problems" and data["problems"] == [terminal] and data["generation"] > 1
        # A page opened now carries the panel, with the same line, escaped.
        code, _, page = served(port, "/")
        panel = shown_panel(page)
        assert [html.unescape(li) for li in re.findall(r"<li>(.*?)</li>", panel)] == [terminal]

        figures.write_text(original.replace("value: 1000", "value: 1200", 1).replace("more than 1,000 apples", "more than 1,200 apples"))
        kind, data = next_event()
        while kind == "problems":  # a slow write seen as two saves: the first may be half-written
            kind, data = next_event()
        assert kind == "reload" and data["problems"] == []
        assert not panel_shown(served(port, "/")[2])


def test_a_figure_edit_reloads_the_pages_first_and_ends_as_make_html_would(test_site, chart_cache, tmp_path):
    """The page reloads as soon as the new site is in place; the charts' downloads and social cards,
    which no page shows, follow with a second event that only the desk acts on; then the site is
    byte for byte what `make html` builds."""
    own = tmp_path / "charts"  # not the run's shared cache: there the new drawings might exist already
    with devserver(test_site, own) as (_, out, port):
        since = re.search(r'data-generation="(\d+)"', served(port, "/")[2]).group(1)
        events = urllib.request.urlopen(f"http://127.0.0.1:{port}/_preview/events?since={since}", timeout=60)

        def next_event():
            name = ""
            while True:
                line = events.readline().decode().rstrip("\n")
                if line.startswith("event: "):
                    name = line.removeprefix("event: ")
                elif line.startswith("data: ") and name:
                    return name, json.loads(line.removeprefix("data: "))

        figures = test_site / "data" / "figures.yaml"
        scratch = test_site / "figures.yaml.saving"  # one save: written beside, renamed over
        scratch.write_text(figures.read_text().replace("value: 1000", "value: 1300", 1).replace("more than 1,000 apples", "more than 1,300 apples"))
        os.replace(scratch, figures)
        seen = [next_event()]
        assert seen[0][0] == "reload" and seen[0][1]["pages"], seen
        assert "more than 1,300" in served(port, "/")[2]
        while seen[-1][1]["later"]:
            seen.append(next_event())
        # Two events, unless the second was out before the stream sent the first (a busy machine).
        assert all(kind == "reload" and not data["pages"] for kind, data in seen[1:]), seen
        second = seen[-1]
        out.wait_for("The open pages reload; the charts' downloads and social cards follow.")
        out.wait_for("Downloads and social cards drawn")
        # A page served before the edit that hears only the latest event still knows to reload.
        late = urllib.request.urlopen(f"http://127.0.0.1:{port}/_preview/events?since={since}", timeout=60)
        data = next(json.loads(line.decode()[6:]) for line in late if line.startswith(b"data: "))
        assert data["generation"] == second[1]["generation"] and data["pages"]
    reference = tmp_path / "reference"
    shutil.copytree(test_site, reference, ignore=SKIP)
    assert run_cli(reference, "build", cache=chart_cache).returncode == 0
    assert all_files(test_site / "output") == all_files(reference / "output")
    assert "Nothing changed" in run_cli(test_site, "build", cache=own).stdout  # stamped once complete


def test_a_drawing_that_fails_after_the_swap_says_the_new_pages_are_in_place(real_site, tmp_path):
    """The pages are in place before the downloads are drawn: if those fail, nobody is told that the
    site was not changed. (A copy of the project whose download drawing fails.)"""
    from plugins.figures.cli import NOT_ALL_DRAWN

    drawing = real_site / "plugins" / "figures" / "drawing.py"
    head = "def _draw_download(spec: dict, style_dir: Path) -> tuple[str, bytes]:\n"
    assert head in drawing.read_text()
    drawing.write_text(drawing.read_text().replace(head, head + '    raise RuntimeError("no download today")\n'))
    with devserver(real_site, tmp_path / "charts") as (_, out, port):
        # The first build, before the server says where it serves: its pages first, then the downloads.
        said = [line for line in out.seen if not line.startswith(("Notice:", "Done:", "pages and"))][:4]
        assert said[0].endswith("The open pages reload; the charts' downloads and social cards follow."), out.seen
        assert said[1].startswith("build error: drawing the charts' downloads and social cards: RuntimeError: no download today"), out.seen
        assert said[2] == f"Build stopped: 1 problem to fix. {NOT_ALL_DRAWN}", out.seen
        assert said[3].startswith("Serving the new pages, without every chart download and social card."), out.seen
        assert not any("was not changed" in line or "last good site" in line for line in out.seen), out.seen
        page = served(port, "/")[2]
        assert "more than 32,000" in page  # the new pages, served
        panel = shown_panel(page)
        assert "The last save was built, but not every chart download and social card was drawn: <span data-count>1 problem</span> to fix" in panel
        assert "not built" not in panel and "last good version" not in panel


def test_a_site_that_never_built_shows_its_problems_in_the_browser(test_site, chart_cache):
    """A mistake from the start: there is no output/ yet, and every address answers with the panel."""
    figures = test_site / "data" / "figures.yaml"
    figures.write_text(figures.read_text().replace("value: 1000", "value: 1k", 1))
    with devserver(test_site, chart_cache) as (process, out, port):
        terminal = next(line for line in out.seen if line.startswith("data/figures.yaml:"))
        assert not (test_site / "output").exists()
        code, headers, page = served(port, "/")
        assert code == 404 and "Nothing built here yet" in page
        panel = shown_panel(page)
        assert [html.unescape(li) for li in re.findall(r"<li>(.*?)</li>", panel)] == [terminal]
        assert SCRIPT_RE.findall(page) == ['<script data-generation="1">']
        assert process.poll() is None


def test_a_catalogued_mistake_in_each_kind_of_file_reaches_the_open_pages(real_site, chart_cache):
    """An editor who never looks at the terminal can still fix it: for the first mistake of docs/bad-edits.md
    in each file it names (data, pages, templates, stylesheet, settings, links…), the open pages are told
    the build's own first line, and the terminal printed every line they are told."""
    from bad_edits import BAD_EDITS

    sample = list({edit.file: edit for edit in reversed(BAD_EDITS)}.values())[::-1]  # the first per file
    with devserver(real_site, chart_cache) as (process, out, port):
        events = urllib.request.urlopen(f"http://127.0.0.1:{port}/_preview/events?since=1", timeout=60)

        def next_event(deadline):
            kind = None
            while time.monotonic() < deadline:
                line = events.readline().decode().rstrip("\n")  # a comment comes every 15 s at least
                if line.startswith("event: "):
                    kind = line.removeprefix("event: ")
                elif line.startswith("data: ") and kind:
                    return kind, json.loads(line.removeprefix("data: "))
            raise AssertionError("no event in time")

        undo = None
        for edit in sample:
            if undo:
                undo()  # the last mistake fixed and the next one made: one or two builds, the last one fails
            path = real_site / edit.file
            before = path.read_bytes() if path.is_file() and not path.is_symlink() else None

            def undo(path=path, before=before):
                if path.is_symlink() or path.is_file():
                    path.unlink()
                elif path.is_dir():
                    shutil.rmtree(path)
                if before is not None:
                    path.write_bytes(before)

            edit.apply(real_site)
            deadline = time.monotonic() + 120
            told = []
            while not (told and edit.problems(told[0], real_site) == []):
                kind, data = next_event(deadline)
                told = data["problems"] if kind == "problems" else []
            out.wait_for(told[-1])
            assert all(line in out.seen for line in told), (edit.key, told)
        assert process.poll() is None
        assert "Traceback" not in "\n".join(out.seen)


def test_builds_run_in_a_warm_worker_restarted_when_the_plugin_changes_and_survive_crashes(real_site, chart_cache):
    """Each save is built in a fork of one warm worker. An edit to the plugin's code starts a new
    worker (the old one's imports are stale); a build that dies, or a worker killed, costs one
    failed save at most: the server keeps serving the last good site and the next save builds."""
    plugin = real_site / "plugins" / "figures" / "pelican_plugin.py"
    original = plugin.read_text()
    page = real_site / "content" / "pages" / "about-the-data.md"
    # The project's own copy of the plugin, so that its code can be edited.
    with devserver(real_site, chart_cache, env={"PYTHONPATH": str(real_site)}) as (process, out, port):
        workers = subprocess.run(["pgrep", "-P", str(process.pid)], capture_output=True, text=True).stdout.split()
        assert len(workers) == 1, workers  # the worker waits; no build is running
        page.write_text(page.read_text() + "\nFirst warm edit.\n")
        out.wait_for("Rebuilt")
        assert "First warm edit." in fetch(port, "/about-the-data/")
        assert subprocess.run(["pgrep", "-P", str(process.pid)], capture_output=True, text=True).stdout.split() == workers  # the same worker

        # New plugin code is used at the next save: register() runs at every build.
        plugin.write_text(original.replace("def register():\n", "def register():\n    import sys\n\n    sys.stderr.write('plugin code, second version\\n')\n", 1))
        out.wait_for("plugin code, second version")
        out.wait_for("Rebuilt")

        # A build that dies without a word: the open pages are told, the site stays, the server serves.
        plugin.write_text(original.replace("def register():\n", "def register():\n    import os\n\n    os._exit(9)\n", 1))
        out.wait_for("the build stopped without saying why (exit status 9)")
        out.wait_for("Still serving the last good site")
        assert "First warm edit." in fetch(port, "/about-the-data/")
        plugin.write_text(original)
        out.wait_for("Rebuilt")

        # The worker itself killed: the next save still builds.
        workers = subprocess.run(["pgrep", "-P", str(process.pid)], capture_output=True, text=True).stdout.split()
        assert len(workers) == 1, workers
        os.kill(int(workers[0]), signal.SIGKILL)
        page.write_text(page.read_text() + "\nSecond warm edit.\n")
        out.wait_for("Rebuilt")
        assert "Second warm edit." in fetch(port, "/about-the-data/")
        assert process.poll() is None
        assert "Traceback" not in "\n".join(out.seen)


# ---- the desk's claims, and its links ---------------------------------------------------


def desk_link_problems(page: str, output) -> list[str]:
    """Every href and src of the desk (as sent) that leads nowhere: an address must be a file of the
    built site (the desk's own stylesheet and `#ids` aside), and a #fragment an id on the target page."""
    from urllib.parse import unquote, urlsplit

    from browser.test_links import ids, references
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(page, "html.parser")
    own = {tag["id"] for tag in soup.find_all(id=True)}
    problems = []
    for _tag, line, attr, address in references(soup):
        parts = urlsplit(address)
        if parts.scheme or address.startswith("//") or not (address.startswith("/") or address.startswith("#")):
            problems.append(f"{line}: {attr}={address!r} is not an address on the site")
            continue
        if address == "/_preview/preview.css":  # the devserver's own file, never in output/
            continue
        if not parts.path:
            if unquote(parts.fragment) not in own:
                problems.append(f"{line}: {address!r}: no element with that id on the desk")
            continue
        target = output / unquote(parts.path).lstrip("/")
        target = target / "index.html" if parts.path.endswith("/") else target
        if not target.is_file():
            problems.append(f"{line}: {attr}={address!r}: no such file in the built site")
        elif parts.fragment and unquote(parts.fragment) not in ids(target):
            problems.append(f"{line}: {address!r}: no element with that id on the page")
    return problems


def render_desk(site) -> tuple[str, dict]:
    """The desk as the devserver sends it (its template, its context), without a server."""
    from plugins.figures import devserver as preview
    from plugins.figures.desk import desk_context

    context = desk_context(site, site / "output")
    return preview._templates(site)[1].get_template("desk.html").render(**context), context


def test_the_desk_lists_every_claim_as_the_claims_page_computes_it(built_real_copy):
    """Every claim: its number as said, the counts it rests on and their basis (claims.py's own
    functions), its verdicts, a link to it on the claims page of each edition; a figure's claims in
    its row; a claim's number typed into a page among that claim's findings; every link resolves.
    While data/ does not load, the claims of the last good build."""
    from bs4 import BeautifulSoup

    from plugins.figures import claims
    from plugins.figures.data import load
    from plugins.figures.formatting import edition

    site = built_real_copy
    data = load(site / "data")
    english = edition("en", "")
    assert len(data.claims) >= 5 and any("rests_on" not in c for c in data.claims.values())
    page, _ = render_desk(site)
    assert desk_link_problems(page, site / "output") == []
    soup = BeautifulSoup(page, "html.parser")
    text = lambda node: " ".join(node.get_text(" ").split())  # noqa: E731
    claims_page = [p.relative_to(site / "output").as_posix() for p in (site / "output").rglob("index.html") if 'id="claim-' in p.read_text(encoding="utf-8")]
    assert sorted(claims_page) == ["es/what-was-said/index.html", "what-was-said/index.html"]
    for cid, claim in data.claims.items():
        card = soup.find(id=f"desk-claim-{cid}")
        shown = text(card)
        assert claim["speaker"] in shown and claims.number_text(claim, english) in shown, cid
        assert [a["href"] for a in card.select("a[hreflang]")] == [f"/what-was-said/#claim-{cid}", f"/es/what-was-said/#claim-{cid}"], cid
        basis = claims.basis(claim, data, english)
        if basis is None:
            assert "no figure" in shown, cid
        else:
            assert f"how: {claim['how']}" in shown and card.strong.get_text() == basis["text"], cid
            assert [a["href"] for a in card.select("a[href^='#desk-figure-']")] == [f"#desk-figure-{f}" for f in claim["rests_on"]]
        verdicts = [v for v in data.verdicts if cid in v["claims"]]
        assert len(card.select(".desk-verdicts li")) == len(verdicts), cid
        for v in verdicts:
            assert " ".join((v.get("quote") or v["rating"]).split()) in shown, (cid, v["by"])
        assert shown.endswith("Typed copies found none"), cid
    # Each figure's row names the claims resting on it, linked on both claims pages.
    for fid in [*data.figures, *data.derived]:
        resting = [cid for cid, c in data.claims.items() if fid in c.get("rests_on", [])]
        row = soup.find(id=f"desk-figure-{fid}")
        cell = row.find_all("td")[-1]
        assert [a["href"] for a in cell.select("a[href^='#desk-claim-']")] == [f"#desk-claim-{c}" for c in sorted(resting, key=lambda c: data.claims[c]["date"])], fid
        assert len(cell.select("a[hreflang]")) == 2 * len(resting), fid
    assert soup.find(id="desk-figure-failed_to_appear").find_all("td")[-1].select("a[hreflang]"), "no figure rests a claim"

    # A claim's number typed into a page: the typed-figure check's finding, in that claim's card only.
    home = site / "content" / "pages" / "home.md"
    said = claims.number_text(data.claims["vance_debate"], english)
    home.write_text(home.read_text(encoding="utf-8") + f"\nThe senator said {said} children.\n", encoding="utf-8")
    line = home.read_text(encoding="utf-8").count("\n")
    page, _ = render_desk(site)
    soup = BeautifulSoup(page, "html.parser")
    typed = soup.find(id="desk-claim-vance_debate").select(".desk-findings li")
    assert [text(li) for li in typed] == [next(text(li) for li in soup.select("#findings ~ ul li") if text(li).startswith(f"content/pages/home.md:{line}:"))]
    assert typed[0].a["href"] == "/", "the finding links to the page it is on"
    assert all(text(card).endswith("Typed copies found none") for card in soup.select(".desk-claim") if card["id"] != "desk-claim-vance_debate")
    assert desk_link_problems(page, site / "output") == []

    # data/ broken: the claims of the last good build (its downloads/claims.json), still linked.
    figures = site / "data" / "figures.yaml"
    figures.write_text(figures.read_text(encoding="utf-8").replace("value: 32000", "value: 32k", 1), encoding="utf-8")
    page, context = render_desk(site)
    assert not context["data_loads"]
    soup = BeautifulSoup(page, "html.parser")
    for cid, claim in data.claims.items():
        card = soup.find(id=f"desk-claim-{cid}")
        assert claims.number_text(claim, english) in text(card) and text(card).endswith("not checked while data/ does not load"), cid
        assert len(card.select("a[hreflang]")) == 2, cid
        verdicts = [v for v in data.verdicts if cid in v["claims"]]
        shown = [text(li) for li in card.select(".desk-verdicts li")]
        assert len(shown) == len(verdicts), cid
        for said, v in zip(shown, verdicts, strict=True):  # in the file's order, each by the source's short name
            assert said.startswith(f"{data.sources[v['by']]['short']} (") and (v.get("who") or "") in said, (cid, said)
    assert soup.find(id="desk-figure-failed_to_appear").find_all("td")[-1].select("a[href^='#desk-claim-']")
    assert desk_link_problems(page, site / "output") == []
