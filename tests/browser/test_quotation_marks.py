"""The quotation marks readers see: “ ” in both editions (docs/style.md), in Chromium.

A browser gives a <q> the marks of its language: Spanish pages (es-US) would show Spain's « »
around every quote in the source notes unless the stylesheet sets them.
"""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("path", ["es/", "es/missed-court-hearings/", ""])
def test_quotes_in_source_notes_are_curly_in_both_editions(browser, server, path):
    page = browser.new_page()
    try:
        page.goto(f"{server}/{path}")
        marks = page.evaluate(
            """() => [...document.querySelectorAll('q')].map(q => {
                const before = getComputedStyle(q, '::before'), quotes = getComputedStyle(q).quotes;
                return [before.content, quotes];
            })"""
        )
    finally:
        page.close()
    assert marks, path
    for content, quotes in marks:
        assert content == "open-quote" and quotes.startswith('"“" "”"'), (path, content, quotes)
