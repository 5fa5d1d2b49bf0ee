"""The devserver in Chromium: the open page follows every save, shows a failed one, and recovers.

The devserver runs on a copy of the real project (its own process group, as `make devserver`);
the test only writes files and looks: it never reloads the page itself.
"""

from __future__ import annotations

import os
import re
import time

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect
from test_devserver import desk_link_problems, devserver, served

from .test_reader_views import AXE_TAGS, RUN_AXE, SIDEWAYS
from .test_validity import check

PAGE = "/missed-court-hearings/"
PANEL = "#preview-problems"


def set_figure(site, value: str, quoted: str) -> None:
    """failed_to_appear's value and, as an editor must, its quote."""
    path = site / "data" / "figures.yaml"
    text = path.read_text()
    text = re.sub(r"(id: failed_to_appear\n    value: )\S+\n", rf"\g<1>{value}\n", text, count=1)
    text = re.sub(r"more than 3\d,\d\d\d UCs", f"more than {quoted} UCs", text, count=1)
    # Saved in one step, as many editors save (written beside, then renamed over): one save, one build.
    scratch = site / "figures.yaml.saving"
    scratch.write_text(text)
    os.replace(scratch, path)


def settle(page, done, seconds: float = 10) -> None:
    """Wait (letting the page's events arrive) until `done()`, or `seconds` have passed."""
    deadline = time.monotonic() + seconds
    while not done() and time.monotonic() < deadline:
        page.wait_for_timeout(50)


def lead(page) -> str:
    return page.locator("#the-figure + p").inner_text()


def test_the_open_page_follows_a_figure_edit_a_broken_edit_and_the_fix(browser, real_site, chart_cache, axe_js, vnu, tmp_path):
    with devserver(real_site, chart_cache) as (process, out, port):
        context = browser.new_context(viewport={"width": 390, "height": 700})
        page = context.new_page()
        console: list[str] = []
        page.on("console", lambda m: console.append(f"{m.type}: {m.text}") if m.type in ("error", "warning") else None)
        loads: list[str] = []
        page.on("load", lambda p: loads.append(p.url))
        page.goto(f"http://127.0.0.1:{port}{PAGE}")
        assert lead(page).startswith("More than 32,000")
        page.evaluate("window.scrollTo(0, 900)")

        # 1. A good figure edit: the page reloads itself, where it was.
        set_figure(real_site, "33000", "33,000")
        expect(page.locator("#the-figure + p")).to_contain_text("More than 33,000", timeout=60_000)
        # Reloaded by itself (twice if the watcher saw the write as two saves). Its load event comes
        # after its text: on a busy machine (the downloads are being drawn meanwhile) a while after.
        settle(page, lambda: len(loads) >= 2)
        assert len(loads) >= 2, loads
        reloaded = len(loads)
        assert abs(page.evaluate("window.scrollY") - 900) < 2
        assert page.locator(PANEL).count() == 0

        # 2. A broken edit: the panel, with the terminal's very line, over the last good page.
        set_figure(real_site, "33k", "33,000")
        line = out.wait_for("data/figures.yaml:42:")
        assert re.match(r"data/figures\.yaml:42: `value` of failed_to_appear should be a whole number, not `33k` — ", line), line
        out.wait_for("Still serving the last good site")
        told = time.monotonic()
        panel = page.locator(PANEL)
        panel.wait_for(state="visible", timeout=5_000)
        assert time.monotonic() - told < 1, "the panel came more than a second after the failed build"
        assert panel.get_attribute("role") == "alert"
        assert panel.locator("li").all_inner_texts() == [line]
        assert "1 problem to fix" in panel.inner_text()
        assert page.evaluate(SIDEWAYS) is None  # 390 px wide: the long line wraps
        assert lead(page).startswith("More than 33,000")  # the last good page, underneath
        assert len(loads) == reloaded  # shown in place: no reload
        for scheme in ("light", "dark"):  # readable: WCAG AA contrast and the rest, in both schemes
            page.emulate_media(color_scheme=scheme)
            page.evaluate(axe_js.read_text(encoding="utf-8") + "\n;undefined")  # DevTools protocol: not the page's CSP
            found = page.evaluate(RUN_AXE.replace("axe.run(document", "axe.run('#preview-problems'"), AXE_TAGS)
            assert found == [], (scheme, found)

        # What the devserver sends is valid HTML, panel and all: a page, the desk, an address with no page.
        sent = tmp_path / "sent"
        sent.mkdir()
        for name, path in (("page.html", PAGE), ("desk.html", "/_preview/"), ("none.html", "/nowhere/")):
            (sent / name).write_text(served(port, path)[2], encoding="utf-8")
        assert check(vnu, sorted(sent.iterdir())) == {}

        # A page opened while the site is broken shows the panel from the start.
        other = context.new_page()
        other.goto(f"http://127.0.0.1:{port}/")
        assert other.locator(f"{PANEL} li").all_inner_texts() == [line]
        other.close()

        # Keyboard-dismissable.
        page.locator(f"{PANEL} button").focus()
        page.keyboard.press("Escape")
        assert page.locator(PANEL).count() == 0

        # 3. The fix: the page reloads itself, the panel gone, the new value shown.
        set_figure(real_site, "34000", "34,000")
        expect(page.locator("#the-figure + p")).to_contain_text("More than 34,000", timeout=60_000)
        settle(page, lambda: len(loads) > reloaded)
        assert len(loads) > reloaded, loads
        assert page.locator(PANEL).count() == 0
        assert abs(page.evaluate("window.scrollY") - 900) < 2
        # The live script ran under the page's policy (it allows that script alone): no violation reported.
        assert console == [], console
        assert process.poll() is None
        assert "Traceback" not in "\n".join(out.seen)
        context.close()


def test_the_preview_desk_lists_every_chart_card_figure_and_claim(browser, real_site, chart_cache, axe_js):
    from plugins.figures.data import load

    data = load(real_site / "data")
    with devserver(real_site, chart_cache) as (_, _, port):
        page = browser.new_page()
        page.goto(f"http://127.0.0.1:{port}/_preview/")
        for scheme in ("light", "dark"):
            page.emulate_media(color_scheme=scheme)
            page.evaluate(axe_js.read_text(encoding="utf-8") + "\n;undefined")
            assert page.evaluate(RUN_AXE, AXE_TAGS) == [], scheme
        page.set_viewport_size({"width": 390, "height": 800})  # a phone: the charts scroll in their frames, not the page
        assert page.evaluate(SIDEWAYS) is None
        for chart_id in data.charts:
            chart = page.locator(f"#desk-chart-{chart_id}")
            images = chart.locator("img")
            # Four variants in each edition, every one loaded, at its real width.
            assert images.count() == 8, chart_id
            for i in range(images.count()):
                image = images.nth(i)
                assert image.evaluate("i => i.complete && i.naturalWidth > 0"), (chart_id, i)
                assert image.evaluate("i => i.getBoundingClientRect().width") == float(image.get_attribute("width"))
            assert chart.locator(f"a[href$='#chart-{chart_id}']").count() >= 1, f"{chart_id} links to no page"
        for fid in [*data.figures, *data.derived]:
            assert page.locator(f"#desk-figure-{fid}").count() == 1, fid
        row = page.locator("#desk-figure-failed_to_appear")
        assert "more than 32,000" in row.inner_text()
        assert row.locator(f"a[href='{PAGE}#ref-failed_to_appear']").count() == 1
        cards = page.locator(".desk-card")
        assert cards.count() >= len(data.charts)
        assert cards.locator("img").first.evaluate("i => i.complete && i.naturalWidth == 1200")
        assert "Alt text:" in cards.first.inner_text()
        assert "None: every text follows the rules." in page.inner_text("#main")
        # Every claim, linked on the claims page of both editions; every link and image of the desk resolves.
        for cid in data.claims:
            links = page.locator(f"#desk-claim-{cid} a[hreflang]")
            assert [links.nth(i).get_attribute("href") for i in range(links.count())] == [f"/what-was-said/#claim-{cid}", f"/es/what-was-said/#claim-{cid}"], cid
        assert page.locator("#desk-figure-failed_to_appear a[href='/what-was-said/#claim-vance_debate']").count() == 1
        assert desk_link_problems(page.content(), real_site / "output") == []
        page.locator("#desk-claim-vance_debate a[hreflang='es-US']").click()  # followed as an editor would
        expect(page.locator("#claim-vance_debate")).to_be_in_viewport()
        assert page.url.endswith("/es/what-was-said/#claim-vance_debate")
        page.close()


def test_after_a_figure_edit_the_page_reloads_once_and_the_desk_again_for_the_new_cards(browser, test_site, tmp_path):
    """The second event (the downloads and social cards drawn) reloads the desk, which shows the
    cards, and not the page, which shows neither."""
    with devserver(test_site, tmp_path / "charts") as (_, out, port):  # its own cache: the new drawings are new
        context = browser.new_context()
        loads: dict[str, list[str]] = {"page": [], "desk": []}
        for name, path in (("page", "/"), ("desk", "/_preview/")):
            tab = context.new_page()
            tab.on("load", lambda p, name=name: loads[name].append(p.url))
            tab.goto(f"http://127.0.0.1:{port}{path}")
        figures = test_site / "data" / "figures.yaml"
        scratch = test_site / "figures.yaml.saving"
        scratch.write_text(figures.read_text().replace("value: 1000", "value: 1400", 1).replace("more than 1,000 apples", "more than 1,400 apples"))
        os.replace(scratch, figures)
        out.wait_for("Downloads and social cards drawn")
        latest = re.search(r'data-generation="(\d+)"', served(port, "/")[2]).group(1)
        page, desk = context.pages

        def generation(tab) -> str:
            """The build the tab's page was served at (asked again if it is reloading just then)."""
            for _ in range(100):
                try:
                    tab.wait_for_load_state()
                    return tab.evaluate("document.querySelector('script[data-generation]').dataset.generation")
                except PlaywrightError:  # the page went away mid-question: a reload
                    tab.wait_for_timeout(100)
            raise AssertionError("the tab kept reloading")

        deadline = time.monotonic() + 10
        while generation(desk) != latest and time.monotonic() < deadline:
            page.wait_for_timeout(100)
        page.wait_for_timeout(500)  # time for a reload that should not come
        # The desk shows the new cards: reloaded for the last event (or, on a slow machine,
        # reloaded for the first one only after the second was out).
        assert generation(desk) == latest and len(loads["desk"]) >= 2, loads
        assert len(loads["page"]) == 2, loads  # opened, then reloaded once
        assert "more than 1,400" in page.content()
        context.close()


def test_drawings_that_fail_after_the_new_pages_are_shown_are_told_in_place(browser, real_site, chart_cache, axe_js):
    """The live script's other blueprint: the page has reloaded for the new pages, then the downloads
    fail. The panel comes to the open page (no reload), says the new pages are in place, and is readable."""
    marker = real_site / "downloads-fail"
    drawing = real_site / "plugins" / "figures" / "drawing.py"
    head = "def _draw_download(spec: dict, style_dir: Path) -> tuple[str, bytes]:\n"
    assert head in drawing.read_text()
    # Only once the page is open, and late: the page has been served again, without a panel, by then.
    failing = f'    if Path({str(marker)!r}).exists():\n        __import__("time").sleep(3)\n        raise RuntimeError("no download today")\n'
    drawing.write_text(drawing.read_text().replace(head, head + failing))
    with devserver(real_site, chart_cache) as (process, out, port):
        page = browser.new_page(viewport={"width": 390, "height": 700})
        loads: list[str] = []
        page.on("load", lambda p: loads.append(p.url))
        page.goto(f"http://127.0.0.1:{port}{PAGE}")
        marker.touch()
        set_figure(real_site, "33517", "33,517")  # a value no other test draws: its downloads are drawn here
        expect(page.locator("#the-figure + p")).to_contain_text("More than 33,517", timeout=60_000)
        assert page.locator(PANEL).count() == 0
        reloaded = len(loads)
        panel = page.locator(PANEL)
        panel.wait_for(state="visible", timeout=30_000)
        assert len(loads) == reloaded  # told in place, by the live script: no reload
        title = panel.locator(".preview-problems-title").inner_text()
        assert title == "The last save was built, but not every chart download and social card was drawn: 1 problem to fix", title
        assert "This is the new version of the page" in panel.inner_text()
        told = panel.locator("li").all_inner_texts()
        assert len(told) == 1 and told[0].startswith("build error: drawing the charts' downloads and social cards: RuntimeError: no download today"), told
        assert lead(page).startswith("More than 33,517")
        assert page.evaluate(SIDEWAYS) is None
        for scheme in ("light", "dark"):
            page.emulate_media(color_scheme=scheme)
            page.evaluate(axe_js.read_text(encoding="utf-8") + "\n;undefined")
            assert page.evaluate(RUN_AXE.replace("axe.run(document", "axe.run('#preview-problems'"), AXE_TAGS) == [], scheme
        assert process.poll() is None
        page.close()
