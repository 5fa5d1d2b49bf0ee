"""Hostile content in Chromium: nothing navigates, nothing is fetched from another origin, no script runs.

The site's policy (README, Security) is that pages are Markdown only: every raw HTML element is
refused, so no hostile markup is let through to be tried here. What is tested instead:

- every hostile case the review found, written into one page, stops the build at its own line and
  leaves `output/` as it was;
- Markdown the policy does allow, that only looks hostile (HTML shown as code, escaped entities, links
  and autolinks to other sites), builds and stays inert in Chromium;
- every page of the real site, in Chromium: no navigation after load, no request off the origin, no
  script parsed in the page's world, no frame;
- the watcher itself, on a hand-made hostile page, sees each of these (so a pass means something).
"""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import pytest

from conftest import run_cli

from .conftest import QuietHandler, page_paths

SETTLE_MS = 1500  # a meta refresh of 0–1 s, or a late request, has happened by then


@contextmanager
def serving(folder: Path):
    handler = functools.partial(QuietHandler, directory=str(folder))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_port}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def watch(browser, url: str) -> dict:
    """Open `url` and report what the page did: navigations, requests off its origin, scripts it ran."""
    return watch_all(browser, [url])[url]


def _open_watched(browser, url: str):
    """A fresh context with `url` loaded, everything it does from the start recorded; (context, page, seen)."""
    origin = "/".join(url.split("/", 3)[:3])
    context = browser.new_context()
    try:
        page, seen = _watched_page(context, url, origin)
    except BaseException:
        context.close()
        raise
    return context, page, seen


def _watched_page(context, url: str, origin: str):
    page = context.new_page()
    seen = {"off_origin": [], "navigations": [], "scripts": []}

    def script_parsed(event):
        # Scripts in the page's own world; Playwright's helpers live in isolated worlds.
        if (event.get("executionContextAuxData") or {}).get("isDefault"):
            seen["scripts"].append(event.get("url") or "(inline)")

    page.on("request", lambda r: None if r.url.startswith(origin + "/") or r.url.startswith("data:") else seen["off_origin"].append(r.url))
    page.on("framenavigated", lambda f: seen["navigations"].append(f.url))
    # Requests off the origin are recorded above, then refused: the test never leaves the machine.
    page.route(lambda u: not u.startswith(origin + "/"), lambda route: route.abort())
    cdp = context.new_cdp_session(page)
    cdp.send("Debugger.enable")
    cdp.on("Debugger.scriptParsed", script_parsed)
    page.goto(url, wait_until="load")
    return page, seen


def watch_all(browser, urls: list[str]) -> dict[str, dict]:
    """`watch` for many pages, overlapping: each page is read once SETTLE_MS have passed since its load,
    while the next ones load (a few at a time: many renderers alive at once cost more CPU than they save)."""
    watching, watched = [], {}

    def read(entry, wait: bool) -> bool:
        settled_at, url, context, page, seen = entry
        left = settled_at - time.monotonic()
        if left > 0 and not wait:
            return False
        if left > 0:
            page.wait_for_timeout(left * 1000)
        seen["final_url"] = page.url
        seen["frames"] = len(page.frames)
        seen["navigations"] = [u for u in seen["navigations"] if u != url]
        seen["page"] = page.content()
        watched[url] = seen
        return True

    try:
        for url in urls:
            context, page, seen = _open_watched(browser, url)
            watching.append((time.monotonic() + SETTLE_MS / 1000, url, context, page, seen))
            while watching and read(watching[0], wait=False):
                watching.pop(0)[2].close()
        while watching:
            read(watching[0], wait=True)
            watching.pop(0)[2].close()
    finally:
        for entry in watching:
            entry[2].close()
    return watched


def assert_inert(seen: dict, url: str) -> None:
    problems = []
    if seen["final_url"] != url or seen["navigations"]:
        problems.append(f"navigated to {seen['navigations'] or seen['final_url']}")
    if seen["off_origin"]:
        problems.append(f"requested from another origin: {seen['off_origin']}")
    if seen["scripts"]:
        problems.append(f"ran scripts: {seen['scripts']}")
    if seen["frames"] != 1:
        problems.append(f"{seen['frames'] - 1} frame(s) inside the page")
    assert not problems, f"{url}: " + "; ".join(problems)


def test_the_watcher_sees_navigation_foreign_requests_and_scripts(browser, tmp_path):
    """A hand-made hostile page (no policy, not built): each thing the tests below rule out is seen here."""
    (tmp_path / "hostile.html").write_text(
        "<!doctype html><title>hostile</title>"
        "<img src='http://localhost:9/pixel.png' alt=''>"
        "<script>document.title = 'ran'</script>"
        "<meta http-equiv='refresh' content='0;url=http://localhost:9/'>"
    )
    with serving(tmp_path) as base:
        seen = watch(browser, f"{base}/hostile.html")
    assert "http://localhost:9/pixel.png" in seen["off_origin"]
    assert seen["scripts"], "the inline script was not seen"
    assert seen["final_url"] != f"{base}/hostile.html" and seen["navigations"], "the meta refresh was not seen"


@pytest.fixture(scope="session")  # not torn down if other modules' tests run between these
def real_pages_watched(browser, server, site) -> dict[str, dict]:
    """Every page of the real site watched, their settling waits overlapping (watch_all)."""
    return watch_all(browser, [f"{server}{path}" for path in page_paths(site)])


# One worker watches them all (pytest-xdist's loadgroup), so the pages are opened once.
@pytest.mark.xdist_group("real-pages-inert")
def test_real_site_page_is_inert(real_pages_watched, server, page_path):
    url = f"{server}{page_path}"
    assert_inert(real_pages_watched[url], url)


# Every raw HTML case from the review, one per line of one page: each must be refused at its line.
HOSTILE_LINES = [
    "<script>alert(1)</script>",
    '<img src="x" onerror="alert(1)">',
    '<iframe src="https://evil.example/"></iframe>',
    '<img src="https://evil.example/pixel.png" alt="">',
    '<svg><a href="javascript:alert(1)"><text y="20">Click</text></a></svg>',
    '<meta http-equiv="refresh" content="0;url=https://evil.example/">',
    "[Read more](javascript:alert(1))",
    "![cover](https://evil.example/cover.png)",
    "<!-- <script>alert(1)</script> -->",
]


@pytest.fixture(scope="module")
def project(tmp_path_factory, built_real_project) -> Path:
    """A copy of the real project as built once for the run."""
    site = tmp_path_factory.mktemp("hostile") / "project"
    shutil.copytree(built_real_project, site, symlinks=True)
    return site


def test_each_hostile_case_is_refused_at_its_line(project, chart_cache):
    page = project / "content" / "pages" / "family-separation.md"
    before = page.read_text(encoding="utf-8")
    output = {p: p.read_bytes() for p in (project / "output").rglob("*") if p.is_file()}
    lines = before.splitlines()
    first = lines.index("", 0) + 1  # the first line of the text, after the metadata
    hostile = lines[:first] + [x for line in HOSTILE_LINES for x in (line, "")] + lines[first:]
    page.write_text("\n".join(hostile) + "\n", encoding="utf-8")
    try:
        result = run_cli(project, "build", cache=chart_cache)
    finally:
        page.write_text(before, encoding="utf-8")
    assert result.returncode == 1
    reported = {line.split(":")[1] for line in result.stderr.splitlines() if line.startswith("content/pages/family-separation.md:")}
    expected = {str(first + 1 + 2 * i) for i in range(len(HOSTILE_LINES))}
    assert expected <= reported, result.stderr
    assert {p: p.read_bytes() for p in (project / "output").rglob("*") if p.is_file()} == output


# Allowed by the policy, and only looks hostile: shown as text, or a plain link out.
LOOKS_HOSTILE = """

Shown as code: `<script>alert(1)</script>` and `<meta http-equiv="refresh" content="0;url=https://evil.example/">`.

```
<iframe src="https://evil.example/"></iframe>
<img src="https://evil.example/pixel.png" onerror="alert(1)">
```

Escaped: &lt;script&gt;alert(1)&lt;/script&gt; and 3 < 4 > 2.

Links out are links, not loads: [the report](https://www.oig.dhs.gov/), <https://evil.example/>, <desk@example.org>.
"""


def test_markdown_that_only_looks_hostile_builds_and_stays_inert(project, chart_cache, browser):
    page = project / "content" / "pages" / "family-separation.md"
    page.write_text(page.read_text(encoding="utf-8") + LOOKS_HOSTILE, encoding="utf-8")
    result = run_cli(project, "build", cache=chart_cache)
    assert result.returncode == 0, result.stderr
    with serving(project / "output") as base:
        url = f"{base}/family-separation/"
        seen = watch(browser, url)
    assert_inert(seen, url)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in seen["page"]  # shown, as text
    assert 'href="https://evil.example/"' in seen["page"]  # a link, which loads nothing by itself
