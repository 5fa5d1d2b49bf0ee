"""markdown_ext.py and references.py: {{ figure }} and {{ chart:id }} in Markdown."""

from __future__ import annotations

from pathlib import Path

import markdown
import pytest
from bs4 import BeautifulSoup

from plugins.figures import data, references
from plugins.figures.markdown_ext import FiguresExtension

HERE = Path(__file__).parent
SITE = data.load(HERE / "test_data" / "data")
STYLE = HERE.parent / "theme" / "charts"


def render(text: str):
    errors = []
    ext = FiguresExtension(SITE, STYLE, errors)
    ext.source_path = "content/pages/x.md"
    html = markdown.Markdown(extensions=[ext, "extra", "meta"]).convert(text)
    return BeautifulSoup(html, "html.parser"), errors


def test_figure_becomes_data_element_linked_to_its_note():
    soup, errors = render("We picked {{ whole }} apples.")
    assert not errors
    link = soup.select_one("a.figure-ref")
    assert link["href"] == "#note-whole" and link["id"] == "ref-whole"
    assert link.data["value"] == "1000" and link.data.text == "more than 1,000"
    note = soup.select_one("#note-whole")
    assert "Apples picked" in note.text and "fiscal years 2019–2023" in note.text
    assert note.select_one('a[href="https://example.org/report.pdf"]').text == "Report-1"
    assert note.select_one('a[href="#ref-whole"]')


def test_second_reference_links_to_same_note_without_duplicate_id():
    soup, _ = render("{{ whole }} and again {{ whole }}.")
    links = soup.select("a.figure-ref")
    assert len(links) == 2 and [a.get("id") for a in links] == ["ref-whole", None]
    assert len(soup.select("#note-whole")) == 1


def test_attributes_render_as_plain_text():
    soup, errors = render("{{ part.label }} — {{ part.period }} — {{ part.unit }} — {{ whole.number }}")
    assert not errors
    text = soup.p.text
    assert "Apples eaten — as of May 2024 — apples — 1,000" == text


def test_derived_share_in_words_and_percent():
    soup, _ = render("{{ share_eaten }} ({{ share_eaten.percent }})")
    assert soup.p.text == "about one in four (about 25%)"
    assert "Both are rough." in soup.select_one("#note-share_eaten").text


def test_fact_check_note_shown():
    soup, _ = render("{{ part }}")
    assert "Fact check: The paper says pears." in soup.select_one("#note-part").text


def test_unknown_figure_is_an_error_with_file_and_line():
    _, errors = render("Title: x\n\nFirst line.\n\nWe ate {{ apple_count }} apples.\n")
    assert len(errors) == 1
    assert errors[0].one_line().startswith("content/pages/x.md:5: unknown figure `apple_count`")
    assert "whole" in errors[0].hint


def test_unknown_attribute_is_an_error():
    _, errors = render("{{ whole.colour }}")
    assert "`whole` has no `.colour`" in errors[0].message


def test_unknown_chart_is_an_error():
    _, errors = render("para\n\n{{ chart:pears }}\n")
    assert errors[0].line == 3 and "unknown chart `pears`" in errors[0].message


def test_chart_block_has_picture_alt_table_and_csv():
    soup, errors = render("Intro.\n\n{{ chart:apples }}\n\nAfter.")
    assert not errors
    figure = soup.select_one("figure.chart#chart-apples")
    assert figure.select_one("figcaption.chart-title").text == "Apples, fiscal years 2019–2023"
    sources = figure.select("picture source")
    assert len(sources) == 3 and any("dark" in s["media"] for s in sources)
    img = figure.select_one("picture img")
    assert img["alt"] == "Bars. Apples picked: more than 1,000. Apples eaten: about 250."
    assert img["src"].startswith("{root}/charts/apples.") and img["width"] and img["height"]
    assert [td.text for td in figure.select("table td data")] == ["more than 1,000", "about 250"]
    assert figure.select_one('a[href="{root}/charts/apples.csv"]')


def test_plain_rendering_for_metadata():
    assert references.render_plain("Apples: {{ whole }} ({{ part.period }})", SITE) == "Apples: more than 1,000 (as of May 2024)"


@pytest.mark.parametrize("text", ["{{whole}}", "{{ whole }}", "{{   whole   }}"])
def test_spacing_inside_braces_is_free(text):
    soup, errors = render(text)
    assert not errors and soup.data.text == "more than 1,000"


def test_capital_first_letter_starts_a_sentence():
    soup, errors = render("{{ Whole }} apples. {{ part.Period }}.")
    assert not errors
    assert soup.p.text == "More than 1,000 apples. As of May 2024."
    assert soup.select_one("a.figure-ref")["href"] == "#note-whole"
