"""Embeds without script: another site frames a chart's embed page and gets the right drawing for
its column, while every other page refuses to be framed — with the headers of `_headers` applied
as Cloudflare Pages applies them (every matching rule, `! Name` detaching an inherited header).
"""

from __future__ import annotations

import functools
import html
import http.server
import re
import threading

import pytest

from plugins.figures import charts

from .conftest import QuietHandler

CHART = "transfers_by_year"


def _rules(site) -> list[tuple[re.Pattern, list[tuple[str, str | None]]]]:
    """`_headers` as (path pattern, [(name, value), or (name, None) to detach]), in order."""
    rules = []
    for line in (site / "_headers").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if not line[0].isspace():
            rules.append((re.compile(re.escape(line.strip()).replace(r"\*", ".*") + r"\Z"), []))
        elif line.strip().startswith("!"):
            rules[-1][1].append((line.strip()[1:].strip(), None))
        else:
            name, _, value = line.strip().partition(":")
            rules[-1][1].append((name.strip(), value.strip()))
    return rules


def headers_for(rules, path: str) -> dict[str, str]:
    """Every matching rule's headers; a header set twice is joined with a comma (two CSPs: both enforced)."""
    found: dict[str, str] = {}
    for pattern, entries in rules:
        if pattern.match(path):
            for name, value in entries:
                if value is None:
                    found.pop(name, None)
                else:
                    found[name] = f"{found[name]}, {value}" if name in found else value
    return found


def _serve(handler) -> tuple[http.server.ThreadingHTTPServer, int]:
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd, httpd.server_port


@pytest.fixture(scope="module")
def hosted(site):
    """The site on 127.0.0.1 with its `_headers` applied; yields its base URL."""
    rules = _rules(site)

    class Hosted(QuietHandler):
        def end_headers(self):
            for name, value in headers_for(rules, self.path.split("?")[0]).items():
                self.send_header(name, value)
            super().end_headers()

    httpd, port = _serve(functools.partial(Hosted, directory=str(site)))
    yield f"http://127.0.0.1:{port}"
    httpd.shutdown()
    httpd.server_close()


def snippet(site, base: str, lang_prefix: str = "") -> str:
    """The <iframe> code exactly as the chart's page shows it, pointed at the local server."""
    page = (site / f"{lang_prefix}charts/{CHART}/index.html").read_text(encoding="utf-8")
    code = html.unescape(re.search(r'<pre class="embed-code"><code>(.*?)</code></pre>', page, re.S).group(1))
    return re.sub(r'src="https://[^/"]+/', f'src="{base}/', code)


@pytest.fixture(scope="module")
def partner(site, hosted, server):
    """Another origin (localhost, its own port) whose page frames the embed and a normal page."""
    body = {}

    class Partner(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (http.server's API)
            data = body["html"].encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args):
            pass

    httpd, port = _serve(Partner)
    body["html"] = (
        "<!doctype html><html lang=en><meta charset=utf-8><title>A partner's article</title>"
        "<meta name=viewport content='width=device-width, initial-scale=1'><body style='margin:0 15px'><main><p>Our story.</p>"
        f"{snippet(site, hosted)}"
        f"<iframe id=normal src='{hosted}/charts/{CHART}/' title='a normal page' width=600 height=300></iframe>"
        # The control: the same page from a server that sends no headers is framed, so the check can fail.
        f"<iframe id=control src='{server}/charts/{CHART}/' title='the same page, no headers' width=600 height=300></iframe></main>"
    )
    yield f"http://localhost:{port}/"
    httpd.shutdown()
    httpd.server_close()


def _frame(page, prefix: str):
    page.wait_for_load_state("load")
    return next(f for f in page.frames if f.url.startswith(prefix))


@pytest.mark.parametrize("width,variant", [(390, charts.LIGHT_NARROW), (1280, charts.LIGHT_WIDE)])
def test_another_site_frames_the_embed_and_gets_the_drawing_for_its_column(browser, hosted, partner, width, variant):
    context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme="light")
    try:
        page = context.new_page()
        page.goto(partner)
        embed = _frame(page, f"{hosted}/embed/")
        embed.wait_for_function("document.images[0] && document.images[0].complete && document.images[0].naturalWidth > 0")
        shown = embed.evaluate("document.images[0].currentSrc")
        assert f".{variant}.svg" in shown, f"at {width} px the embed showed {shown}"
        assert embed.evaluate("document.scripts.length") == 0
        # The snippet's height holds the whole embed: nothing cut off, no scrollbar in the frame.
        height = page.evaluate("document.querySelector('iframe').getBoundingClientRect().height")
        needed = embed.evaluate("document.documentElement.scrollHeight")
        assert needed <= height, f"at {width} px the embed needs {needed} px, the snippet gives {height}"
        # The link back opens outside the frame (the partner's page stays).
        assert embed.evaluate("document.querySelector('.embed-source a').target") == "_blank"
        # A normal page refuses to be framed: its document never loads in the frame (Chromium shows
        # its own error page there), while the control without `_headers` does load.
        page.frame_locator("#control").locator(".chart-page").wait_for()
        assert page.frame_locator("#normal").locator(".chart-page").count() == 0, "a normal page of the site was framed by another site"
    finally:
        context.close()


def test_the_header_rules_frame_only_embed_pages(site):
    """The rules as a host applies them: both editions' embeds framable, nothing else (and the
    detach matters: without it the site-wide policy would still forbid framing)."""
    rules = _rules(site)
    for path in ("/embed/x/", "/es/embed/x/"):
        policy = headers_for(rules, path)["Content-Security-Policy"]
        assert "frame-ancestors 'none'" not in policy and "frame-ancestors *" in policy, path
    for path in ("/", f"/charts/{CHART}/", "/es/", "/about-the-data/", f"/charts/{CHART}.svg"):
        assert headers_for(rules, path)["Content-Security-Policy"].endswith("frame-ancestors 'none'"), path
    undetached = [(p, [e for e in entries if e[1] is not None]) for p, entries in rules]
    assert "frame-ancestors 'none'" in headers_for(undetached, "/embed/x/")["Content-Security-Policy"]
    # The stable downloads change with the data: never cached as immutable; the hashed drawings are.
    assert "immutable" not in headers_for(rules, f"/charts/{CHART}.svg").get("Cache-Control", "")
    assert "immutable" not in headers_for(rules, f"/es/charts/{CHART}.png").get("Cache-Control", "")
    hashed = next(p.name for p in (site / "charts").glob(f"{CHART}.*.{charts.LIGHT_WIDE}.svg"))
    assert "immutable" in headers_for(rules, f"/charts/{hashed}")["Cache-Control"]
