"""Security: data text is escaped everywhere, one policy in <meta> tags and `_headers`, no inline code, no http://."""

from __future__ import annotations

import json
import re
import runpy
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import REPO, run_cli

from plugins.figures import links
from plugins.figures import pages as content_pages

SETTINGS = runpy.run_path(str(REPO / "pelicanconf.py"))
EVIL = "<script>alert(1)</script> & \"quotes\""
MARKUP = "**bold** <em>raw</em> [link](https://example.org)"


def soup_of(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def pages(out: Path) -> list[Path]:
    found = sorted(out.rglob("*.html"))
    assert found, f"no page in {out}"
    return found


def svgs(folder: Path) -> list[Path]:
    found = sorted(folder.glob("*.svg"))
    assert found, f"no chart in {folder}"
    return found


def test_data_text_is_escaped_in_pages_tables_alt_text_and_svg(test_site, chart_cache):
    figures = test_site / "data" / "figures.yaml"
    text = figures.read_text()
    text = text.replace("label: Apples picked", f"label: '{EVIL}'")
    text = text.replace("meaning: All the apples picked.", f"meaning: '{MARKUP}'")
    figures.write_text(text)
    sources = test_site / "data" / "sources.yaml"
    sources.write_text(sources.read_text().replace("short: Report-1", "short: <b>Report-1</b>"))
    home_md = test_site / "content" / "pages" / "home.md"
    home_md.write_text(home_md.read_text() + "\nThe label again: {{ whole.label }}.\n")

    result = run_cli(test_site, "build", cache=chart_cache)
    assert result.returncode == 0, result.stderr
    out = test_site / "output"

    for page in pages(out):
        soup = soup_of(page)
        assert [s for s in soup.find_all("script") if s.get("type") != "application/ld+json"] == [], page
        assert not soup.find_all("b") and not soup.find_all("strong", string="bold"), page
    home = soup_of(out / "index.html")
    assert home.select_one("#card-whole").find_parent("article").select_one(".card-label").text == EVIL
    assert EVIL in home.select_one("main").get_text()  # the reference in the Markdown body
    figure = home.select_one("figure.chart")
    assert figure.select_one("table tbody th").text == EVIL
    assert EVIL in figure.select_one("img")["alt"]
    assert home.select_one("#note-whole strong").text == EVIL
    about = soup_of(out / "about-the-data" / "index.html")
    assert about.select_one("#figure-whole-title").text.startswith(EVIL)
    # YAML text is never Markdown or HTML: it shows as typed.
    assert about.select_one("#figure-whole p:not(.figure-period)").text == MARKUP
    assert "<b>Report-1</b>" in about.select_one("#figure-whole .figure-sources").text

    for svg in svgs(out / "charts"):
        root = ET.parse(svg).getroot()
        assert not [e for e in root.iter() if e.tag.endswith("script")], svg
        shown = " ".join("".join(e.itertext()) for e in root.iter() if e.tag.endswith("text"))
        assert "<script>alert(1)</script>" in shown, svg  # as text (narrow charts wrap the label)


def test_policy_is_in_meta_tags_from_the_settings(built_real_site):
    for page in pages(built_real_site):
        head = soup_of(page).head
        metas = head.find_all("meta")
        assert metas[0].get("charset") == "utf-8"
        # Before anything the policy governs.
        assert metas[1].get("http-equiv") == "Content-Security-Policy"
        assert metas[1]["content"] == SETTINGS["FIGURES"]["content_security_policy"], page
        assert "script-src 'none'" in metas[1]["content"] and "frame-ancestors" not in metas[1]["content"]
        assert head.find("meta", attrs={"name": "referrer"})["content"] == SETTINGS["FIGURES"]["referrer_policy"]


def test_no_inline_script_or_css_anywhere(built_real_site):
    for page in pages(built_real_site):
        soup = soup_of(page)
        # Structured data for search engines is a data block, never executed (and CSP
        # script-src 'none' would stop it if it were); any other script or style fails.
        for block in soup.find_all("script"):
            assert block.get("type") == "application/ld+json", page
            json.loads(block.string)
        assert not soup.find_all("style"), page
        for tag in soup.find_all(True):
            bad = [a for a in tag.attrs if a == "style" or a.startswith("on")]
            assert not bad, (page, tag.name, bad)
    # An SVG opened on its own gets the same policy from `_headers`: no inline CSS there either.
    for svg in svgs(built_real_site / "charts"):
        text = svg.read_text()
        assert "<style" not in text and " style=" not in text, svg


def test_headers_file_repeats_the_policy_with_what_only_headers_can_say(built_real_site):
    text = (built_real_site / "_headers").read_text()
    rules = {}
    for line in text.splitlines():
        if line.startswith("/"):
            current = rules.setdefault(line, {})
        elif line.startswith("  "):
            name, _, value = line.strip().partition(": ")
            current[name] = value
    every = rules["/*"]
    assert every["Content-Security-Policy"] == SETTINGS["FIGURES"]["content_security_policy"] + "; frame-ancestors 'none'"
    assert every["Referrer-Policy"] == SETTINGS["FIGURES"]["referrer_policy"]
    assert every["X-Content-Type-Options"] == "nosniff"
    immutable = [path for path, headers in rules.items() if "immutable" in headers.get("Cache-Control", "")]
    assert sorted(immutable) == sorted(SETTINGS["FIGURES"]["immutable_paths"])
    # Cached for a year only if the name changes with the content.
    for pattern in immutable:
        regex = re.compile("^" + re.escape(pattern).replace(r"\*", ".*") + "$")
        matched = [p for p in built_real_site.rglob("*") if p.is_file() and regex.match("/" + str(p.relative_to(built_real_site)))]
        assert matched, pattern
        for path in matched:
            assert re.search(r"\.[0-9a-f]{10}\.", path.name), path


def test_no_mixed_content(built_real_site):
    for page in pages(built_real_site):
        for tag in soup_of(page).find_all(True):
            for attr in ("src", "href", "srcset", "action", "content"):
                value = tag.get(attr)
                if isinstance(value, str):
                    assert "http://" not in value, (page, tag.name, value)


def test_source_address_must_be_https(test_site):
    sources = test_site / "data" / "sources.yaml"
    sources.write_text(sources.read_text().replace("url: https://example.org/report.pdf", "url: http://example.org/report.pdf"))
    result = run_cli(test_site, "check")
    assert result.returncode == 1
    assert re.match(r"data/sources\.yaml:\d+: `url` of report is not in the right form: `http://example.org/report.pdf` — .*https://", result.stderr)


# ---- the last check over the built files (links.py): nothing hostile gets out -------------

HOSTILE_BUILT = [
    ("<script>alert(1)</script>", "a `<script>`"),
    ('<script type="text/javascript" src="/x.js"></script>', "a `<script>`"),
    ('<script type="application/ld+json" src="https://evil.example/x.json"></script>', "a `<script>`"),
    ('<img src="pic.svg" onerror="alert(1)">', "an event handler `onerror=`"),
    ('<p ONCLICK="alert(1)">x</p>', "an event handler `onclick=`"),
    ('<svg><a href="javascript:alert(1)"><text>x</text></a></svg>', "a `javascript:` address"),
    ('<svg><a xlink:href="java\tscript:alert(1)"><text>x</text></a></svg>', "a `javascript:` address"),
    ('<form action="javascript:alert(1)"><button>x</button></form>', "a `javascript:` address"),
    ('<a href="data:image/png;base64,AAAA">x</a>', "a `data:` address"),
    ('<img src="data:image/svg+xml,&lt;svg/&gt;" alt="">', "a `data:` address"),
    ('<meta http-equiv="Refresh" content="0;url=https://evil.example/">', "http-equiv"),
    ('<iframe src="about/"></iframe>', "a `<iframe>`"),
    ('<object data="pic.svg"></object>', "a `<object>`"),
    ('<embed src="pic.svg">', "a `<embed>`"),
    ('<base href="https://evil.example/">', "a `<base>`"),
    ('<img src="https://evil.example/a.png" alt="">', "`https://evil.example/a.png`, a picture or file from another site"),
    ('<img src="//evil.example/a.png" alt="">', "from another site"),
    ('<img src="pic.svg" srcset="pic.svg 1x, https://evil.example/a.png 2x" alt="">', "`https://evil.example/a.png`"),
    ('<link rel="stylesheet" href="https://evil.example/x.css">', "from another site"),
    ('<link rel="icon" href="https://evil.example/x.ico">', "from another site"),
    ('<svg><image href="https://evil.example/a.png"/></svg>', "from another site"),
    ('<a href="about/" ping="https://evil.example/track">x</a>', "from another site"),
    ('<p style="background: url(https://evil.example/a.png)">x</p>', "a `style` that loads a file"),
    ("<style>@import 'https://evil.example/x.css';</style>", "a `<style>` that loads a file"),
    ("<p>more than {{ failed_to_appear }</p>", "shows braces"),
    ("<p>{ failed_to_appear }}</p>", "shows braces"),
    ("<p>\uff5b\uff5b failed_to_appear \uff5d\uff5d</p>", "shows braces"),
    ('<img src="pic.svg" alt="Bars: {{ failed_to_appear }">', "the alt text `Bars: {{ failed_to_appear }` shows braces"),
    ('<meta name="description" content="More than {{ failed_to_appear }">', "the content text"),
]


@pytest.mark.parametrize("html, problem", HOSTILE_BUILT)
def test_last_check_refuses_what_runs_or_loads_from_elsewhere(tmp_path, html, problem):
    site = tmp_path / "site"
    (site / "about").mkdir(parents=True)
    (site / "pic.svg").write_text("<svg/>")
    (site / "about" / "index.html").write_text("<p>About</p>")
    (site / "index.html").write_text(f"<!doctype html>\n<body>\n{html}\n</body>")
    errors = [e.one_line() for e in links.check(site, "https://figures.example.org")]
    assert errors and errors[0].startswith("output/index.html:3: ") and problem in errors[0], errors


def test_last_check_lets_the_real_kinds_of_markup_through(tmp_path):
    """What the theme writes: JSON-LD (whose JSON ends in `}}`), canonical and feed links to the public address."""
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text(
        '<!doctype html>\n<head><meta http-equiv="Content-Security-Policy" content="default-src \'self\'">'
        '<link rel="canonical" href="https://figures.example.org/"><link rel="alternate" type="application/atom+xml" href="https://figures.example.org/updates/feed.atom">'
        '<meta property="og:image" content="https://figures.example.org/charts/x.png">'
        '<script type="application/ld+json">{"a": {"b": 1}}</script></head>\n'
        '<body><a href="https://www.oig.dhs.gov/">OIG</a><img src="https://figures.example.org/x.svg" alt=""></body>'
    )
    (site / "x.svg").write_text("<svg/>")
    (site / "updates").mkdir()
    (site / "updates" / "feed.atom").write_text("<feed/>")
    assert links.check(site, "https://figures.example.org") == []


def test_last_check_names_the_file_that_wrote_it(tmp_path):
    site, templates = tmp_path / "site", tmp_path / "theme" / "templates"
    site.mkdir()
    templates.mkdir(parents=True)
    (templates / "base.html").write_text("<head>\n<title>x</title>\n<script>alert(1)</script>\n</head>\n")
    (site / "index.html").write_text("<!doctype html>\n<head><title>x</title><script>alert(1)</script></head>")
    origins = links.Origins(search_paths=[templates / "base.html"])
    errors = [e.one_line() for e in links.check(site, "", display=lambda p: p.relative_to(tmp_path).as_posix(), origins=origins)]
    assert errors[0].startswith("theme/templates/base.html:3: a `<script>`"), errors


def test_last_check_refuses_a_stylesheet_loading_from_elsewhere(tmp_path):
    site = tmp_path / "site"
    (site / "theme").mkdir(parents=True)
    (site / "theme" / "site.css").write_text("body { color: black }\n@import url('https://evil.example/x.css');\n")
    errors = [e.one_line() for e in links.check(site, "")]
    assert errors == [
        "output/theme/site.css:2: the stylesheet loads `https://evil.example/x.css`, from another site or an odd address"
        " — keep every file the stylesheet uses in theme/ and link it with a relative address"
    ]


# ---- raw HTML and odd addresses in pages (pages.py): refused with the page's line ----------

RAW_HTML = [
    "<script>alert(1)</script>",
    '<img src="x" onerror="alert(1)">',
    '<iframe src="https://evil.example/"></iframe>',
    '<svg><a href="javascript:alert(1)"><text>x</text></a></svg>',
    '<meta http-equiv="refresh" content="0;url=https://evil.example/">',
    "<!-- a note -->",
    "Text with <b>bold</b> in it.",
    "<SCRIPT\nsrc=x>",
    "a<b",
    "<?php echo 1 ?>",
    "<javascript:alert(1)>",
]


def check_text(tmp_path, text: str) -> list[str]:
    page = tmp_path / "x.md"
    page.write_text(text, encoding="utf-8")
    return [e.one_line() for e in content_pages.check_page(page, "content/pages/x.md", {"page", "home"})]


@pytest.mark.parametrize("html", RAW_HTML)
def test_raw_html_in_a_page_is_refused_with_its_line(tmp_path, html):
    errors = check_text(tmp_path, f"Title: x\n\nFirst paragraph.\n\n{html}\n")
    assert errors and errors[0].startswith("content/pages/x.md:5: raw HTML `"), errors


@pytest.mark.parametrize("line", [
    "Code is fine: `<script>alert(1)</script>`.",
    "An address: <https://www.oig.dhs.gov/> and a mail: <desk@example.org>.",
    "Fewer than 10 < 20, and 3 > 2.",
    "&lt;script&gt; written as entities is text.",
    "[a page]({filename}x.md), [the report](https://www.oig.dhs.gov/), [mail](mailto:a@b.org), [part](#sources)",
    "![a picture]({static}/static/a.png)",
])
def test_markdown_that_is_not_raw_html_passes(tmp_path, line):
    assert check_text(tmp_path, f"Title: x\n\n{line}\n") == []


@pytest.mark.parametrize("line", ['*x*{: onclick="alert(1)" }', '[y](https://x.org){: style="color:red" }', "*z*{ .big }", "*w*{: #top }"])
def test_attribute_lists_other_than_a_language_are_refused(tmp_path, line):
    errors = check_text(tmp_path, f"Title: x\n\n{line}\n")
    assert errors and errors[0].startswith("content/pages/x.md:3: the attribute list `{"), errors


@pytest.mark.parametrize("line", ['*ICE Cannot Monitor*{: lang="en" }', "*Title*{: lang=en }", "*T*{lang='en-US'}"])
def test_a_language_attribute_is_allowed(tmp_path, line):
    assert check_text(tmp_path, f"Title: x\n\n{line}\n") == []


def test_code_blocks_may_show_html(tmp_path):
    assert check_text(tmp_path, "Title: x\n\n```\n<script>alert(1)</script>\n```\n") == []


@pytest.mark.parametrize("line, problem", [
    ("[x](javascript:alert(1))", "the link `javascript:alert(1)` uses a `javascript:` address"),
    ("[x](  JavaScript:alert(1))", "uses a `javascript:` address"),
    ("[x](&#106;avascript:alert(1))", "uses a `javascript:` address"),
    ("[x](data:text/html;base64,PHNjcmlwdD4=)", "uses a `data:` address"),
    ("[x](vbscript:msgbox)", "uses a `vbscript:` address"),
    ("[ref]: javascript:alert(1)", "uses a `javascript:` address"),
    ("![x](https://evil.example/a.png)", "the picture `https://evil.example/a.png` comes from another site"),
    ("![x](//evil.example/a.png)", "comes from another site"),
])
def test_odd_addresses_and_pictures_from_elsewhere_are_refused(tmp_path, line, problem):
    errors = check_text(tmp_path, f"Title: x\n\n{line}\n")
    assert errors and errors[0].startswith("content/pages/x.md:3: ") and problem in errors[0], errors


def test_a_picture_defined_by_reference_is_a_picture(tmp_path):
    errors = check_text(tmp_path, "Title: x\n\n![chart][evil]\n\n[evil]: https://evil.example/a.png\n")
    assert errors and errors[0].startswith("content/pages/x.md:5: the picture `https://evil.example/a.png` comes from another site"), errors
