"""Security: data text is escaped everywhere, one policy in <meta> tags and `_headers`, no inline code, no http://."""

from __future__ import annotations

import json

import re
import runpy
import xml.etree.ElementTree as ET
from pathlib import Path

from bs4 import BeautifulSoup

from conftest import REPO, run_cli

SETTINGS = runpy.run_path(str(REPO / "pelicanconf.py"))
EVIL = "<script>alert(1)</script> & \"quotes\""
MARKUP = "**bold** <em>raw</em> [link](https://example.org)"


def soup_of(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def pages(out: Path) -> list[Path]:
    return sorted(out.rglob("*.html"))


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

    for svg in (out / "charts").glob("*.svg"):
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
        assert metas[1]["content"] == SETTINGS["CONTENT_SECURITY_POLICY"], page
        assert "script-src 'none'" in metas[1]["content"] and "frame-ancestors" not in metas[1]["content"]
        assert head.find("meta", attrs={"name": "referrer"})["content"] == SETTINGS["REFERRER_POLICY"]


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
    for svg in (built_real_site / "charts").glob("*.svg"):
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
    assert every["Content-Security-Policy"] == SETTINGS["CONTENT_SECURITY_POLICY"] + "; frame-ancestors 'none'"
    assert every["Referrer-Policy"] == SETTINGS["REFERRER_POLICY"]
    assert every["X-Content-Type-Options"] == "nosniff"
    immutable = [path for path, headers in rules.items() if "immutable" in headers.get("Cache-Control", "")]
    assert sorted(immutable) == sorted(SETTINGS["IMMUTABLE_PATHS"])
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
