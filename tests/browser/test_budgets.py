"""Budgets: what each page costs a reader, all in, and no script anywhere in the output."""

from __future__ import annotations

import re

import pytest

from .conftest import LOADED
from .views import Tabs, open_view

HOME_BUDGET = 35_000      # the home page, light and wide: HTML + CSS + the images it shows
PAGE_BUDGET = 60_000      # any page, in any view

# Any <script> except a JSON-LD data block (structured data for search engines: a
# data island browsers never execute, and CSP `script-src 'none'` would stop it anyway).
SCRIPT = re.compile(rb"<script\b(?![^>]*\btype=\"application/ld\+json\")", re.IGNORECASE)
NEWLINE = b"\n"


def test_page_weight_all_in(tabs, site, page_path, view):
    # The reader-view test of this page and view loaded it just before (conftest.py orders them);
    # run on its own (-k), this test opens the page itself, the same way.
    loaded = LOADED.pop((page_path, view[0]), None)
    if loaded is None:
        with open_view(tabs, page_path, view) as (_, visit):
            loaded = visit.bytes_loaded(site)
    assert loaded, f"{page_path} at {view[0]}: nothing loaded"
    total = sum(loaded.values())
    budget = HOME_BUDGET if (page_path == "/" and view[0] == "1280-light") else PAGE_BUDGET
    listing = ", ".join(f"{path} {size:,} B" for path, size in sorted(loaded.items(), key=lambda kv: -kv[1]))
    if total > budget:
        pytest.fail(f"{page_path} at {view[0]}: {total:,} bytes all in, over the budget of {budget:,}: {listing}", pytrace=False)


def test_no_script_anywhere_in_the_output(site):
    found = []
    for file in sorted(f for f in site.rglob("*") if f.is_file()):
        text = file.read_bytes()
        found += [f"{file.relative_to(site)}:{text.count(NEWLINE, 0, m.start()) + 1}" for m in SCRIPT.finditer(text)]
    if found:
        pytest.fail("the site ships no script, but <script> is in: " + ", ".join(found), pytrace=False)


def test_json_ld_blocks_are_only_data(site):
    """The one kind of <script> allowed: it must parse as JSON and declare schema.org."""
    import json

    blocks = re.compile(rb'<script type="application/ld\+json">(.*?)</script>', re.S)
    pages = sorted(site.rglob("*.html"))
    found = 0
    for page in pages:
        for match in blocks.finditer(page.read_bytes()):
            assert json.loads(match.group(1))["@context"] == "https://schema.org", page
            found += 1
    assert found, "no JSON-LD at all: the structured data for search engines is missing"


@pytest.mark.parametrize("path", ["/", "/from-the-border-to-a-sponsor/"])
def test_a_reused_tab_loads_what_a_fresh_context_loads(browser, server, tabs, site, path):
    """The views' tabs are reused from page to page (views.Tabs): a page loaded there, even twice in a
    row, asks for every file a first visit in a fresh context asks for, so its weight is all counted."""
    view = ("390-dark", 390, "dark")
    fresh = Tabs(browser, server)
    try:
        with open_view(fresh, path, view) as (_, visit):
            first = sorted(visit.local_paths)
    finally:
        fresh.close()
    assert any(p.endswith(".css") for p in first) and any(p.endswith((".svg", ".png")) for p in first), first
    for _ in range(2):
        with open_view(tabs, path, view) as (_, visit):
            assert sorted(visit.local_paths) == first
