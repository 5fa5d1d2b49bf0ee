"""markdown_ext.py and references.py: {{ figure }} and {{ chart:id }} in Markdown."""

from __future__ import annotations

from pathlib import Path

import markdown
import pytest
from bs4 import BeautifulSoup
from hypothesis import given, settings
from hypothesis import strategies as st

from plugins.figures import data, formatting, references
from plugins.figures.context import TemplateData
from plugins.figures.markdown_ext import FiguresExtension

HERE = Path(__file__).parent
SITE = data.load(HERE / "test_data" / "data")
STYLE = HERE.parent / "theme" / "charts"
TEMPLATES = HERE.parent / "theme" / "templates"
ENGLISH = formatting.edition("en", "")


def render(text: str):
    errors = []
    ext = FiguresExtension({"en": TemplateData(SITE, STYLE, TEMPLATES, ENGLISH)}, errors)
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
    assert text == "Apples eaten — as of May 2024 — apples — 1,000"


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
    assert references.render_plain("Apples: {{ whole }} ({{ part.period }})", SITE, ENGLISH) == "Apples: more than 1,000 (as of May 2024)"


@pytest.mark.parametrize("text", ["{{whole}}", "{{ whole }}", "{{   whole   }}"])
def test_spacing_inside_braces_is_free(text):
    soup, errors = render(text)
    assert not errors and soup.data.text == "more than 1,000"


def test_capital_first_letter_starts_a_sentence():
    soup, errors = render("{{ Whole }} apples. {{ part.Period }}.")
    assert not errors
    assert soup.p.text == "More than 1,000 apples. As of May 2024."
    assert soup.select_one("a.figure-ref")["href"] == "#note-whole"


# ---- near misses: anything that looks like a reference but is not one stops the build ----

NEAR_MISSES = [
    ("We ate {{ whole } apples.", "`{{ whole }` is not a complete reference"),
    ("We ate { whole }} apples.", "`{ whole }}` is not a complete reference"),
    ("We ate {{ whole apples.", "`{{ whole apples.` is not a complete reference"),
    ("We ate whole }} apples.", "is not a complete reference"),
    ("We ate {{{ whole }}} apples.", "`{{{ whole }}}` is not a complete reference"),
    ("We ate {{ wh\u200bole }} apples.", "contains an invisible character (U+200B ZERO WIDTH SPACE)"),
    ("We ate {{\u00a0whole }} apples.", "contains an invisible character (U+00A0 NO-BREAK SPACE)"),
    ("We ate {{ whole\u2060}} apples.", "contains an invisible character (U+2060 WORD JOINER)"),
    ("We ate {{  }} apples.", "an empty reference `{{  }}`"),
    ("We ate \uff5b\uff5b whole \uff5d\uff5d apples.", "uses full-width braces"),
    ("We ate {whole} apples.", "`{whole}` has single braces"),
    ("We ate { part.period } apples.", "`{ part.period }` has single braces"),
    ("See {{ chart:apples }} here.", "the chart {{ chart:apples }} shares its line with other text"),
]


@pytest.mark.parametrize("text, problem", NEAR_MISSES)
def test_near_miss_is_an_error_with_its_line_and_never_rendered(text, problem):
    soup, errors = render(f"Title: x\n\nFirst.\n\n{text}\n")
    assert [e.line for e in errors] == [5] and problem in errors[0].message, [e.one_line() for e in errors]
    assert "write two braces" in errors[0].hint or "type" in errors[0].hint or "id between" in errors[0].hint or "line of its own" in errors[0].hint
    assert not soup.select("a.figure-ref")  # nothing half-rendered


@pytest.mark.parametrize("text", ["[a]({filename}x.md)", "[Updates]({index})", "![x]({static}/static/a.png)", "{: .note }", "A set {1, 2} and {x: 1}."])
def test_pelican_placeholders_and_ordinary_braces_are_not_near_misses(text):
    _, errors = render(text)
    assert errors == []


def test_near_miss_in_metadata_is_reported_once_with_its_line():
    _, errors = render("Title: x\nStandfirst: More than {{ whole }.\n\nText.\n")
    assert [(e.line, e.message) for e in errors] == [(2, "`{{ whole }` is not a complete reference")]


def test_render_plain_leaves_a_near_miss_as_typed():
    """Data texts render only after their check; rendering a near miss must not crash."""
    assert references.render_plain("{{ whole } and {{ whole }}", SITE, ENGLISH) == "{{ whole } and more than 1,000"


# ---- pages.py: metadata keys, dates, templates, encoding, with the page's line ----------------

from plugins.figures import pages as content_pages  # noqa: E402


def page_errors(tmp_path, raw, templates=("page", "home")):
    page = tmp_path / "x.md"
    page.write_bytes(raw.encode() if isinstance(raw, str) else raw)
    return [e.one_line() for e in content_pages.check_page(page, "content/pages/x.md", set(templates))]


def test_misspelt_metadata_key_names_the_nearest_known_one(tmp_path):
    errors = page_errors(tmp_path, "Title: x\nSlug: x\nStandfist: The introduction.\n\nText.\n")
    assert errors == ["content/pages/x.md:3: `Standfist:` is not a page field we know, so it would be ignored — did you mean `Standfirst:`? (the introduction under the title)"]


def test_unknown_key_far_from_any_lists_the_known_ones(tmp_path):
    errors = page_errors(tmp_path, "Title: x\nColour: red\n\nText.\n")
    assert errors[0].startswith("content/pages/x.md:2: `Colour:` is not a page field we know") and "Standfirst:" in errors[0]


@pytest.mark.parametrize("date", ["2025-02-30", "26/03/2025", "March 26", "2025-3-26x"])
def test_bad_date_is_refused_with_its_line(tmp_path, date):
    errors = page_errors(tmp_path, f"Title: x\nDate: {date}\n\nText.\n")
    assert errors == [f"content/pages/x.md:2: `Date: {date}` is not a date — write it as year-month-day, e.g. 2025-03-26 (a real day of that month)"]


def test_good_dates_pass(tmp_path):
    assert page_errors(tmp_path, "Title: x\nDate: 2025-03-26\nModified: 2025-03-27 10:30\n\nText.\n") == []


def test_unknown_template_is_refused(tmp_path):
    errors = page_errors(tmp_path, "Title: x\nTemplate: hom\n\nText.\n")
    assert errors == ["content/pages/x.md:2: there is no template `hom` in theme/templates/ — use one of: home, page"]


def test_page_in_another_encoding_names_the_line_of_the_bad_byte(tmp_path):
    errors = page_errors(tmp_path, "Title: Ni\u00f1os\n\nLos ni\u00f1os.\n".encode("cp1252"))
    assert errors[0].startswith("content/pages/x.md:1: a character that is not UTF-8 (the byte 0xF1)") and "save the file as UTF-8" in errors[0]


def test_page_without_title_is_refused(tmp_path):
    assert page_errors(tmp_path, "")[0].startswith("content/pages/x.md:1: the page has no title")
    assert page_errors(tmp_path, "Slug: x\n\nText.\n")[0].startswith("content/pages/x.md:1: the page has no title")


def test_source_notes_are_the_macro_in_the_pages_language():
    """In another edition the notes' words come from its catalogue, numbers from its locale,
    and the sources' own (English) names and quotes are tagged lang="en"."""
    spanish = formatting.Edition("es", "es_US", "es/", lambda lang, message, **v: f"[{lang}] {message}")
    views = {"en": TemplateData(SITE, STYLE, TEMPLATES, ENGLISH), "es": TemplateData(SITE, STYLE, TEMPLATES, spanish)}
    errors = []
    ext = FiguresExtension(views, errors)
    ext.set_language("es")
    soup = BeautifulSoup(markdown.Markdown(extensions=[ext, "extra"]).convert("{{ whole }} y {{ share_eaten }}"), "html.parser")
    assert not errors
    assert soup.select_one("#source-notes-title").text == "[es] Sources for the figures on this page"
    note = soup.select_one("#note-whole")
    assert note.strong.text == "Apples picked" and "más de 1,000" in note.text
    assert "[es] Sources: Report-1, The Paper." in note.text and note.select_one('a[href="https://example.org/report.pdf"]')["lang"] == "en"
    assert note.q["lang"] == "en" and note.q.text == "more than 1,000 apples"
    assert note.select_one("a.back-link").text == "[es] Back to the text (Apples picked)"
    share = soup.select_one("#note-share_eaten")
    assert "aproximadamente uno de cada cuatro (aproximadamente el 25%), [es] computed from 2 figures:" in share.text



# Texts made of braces (plain, full-width, small), spaces of every kind and pieces of references.
NEAR_TEXT = st.lists(
    st.sampled_from(list("{}\uff5b\uff5d\ufe5b\ufe5c .:_-\t\nabcXY09\u00a0\u200b") + ["{{ ", " }}", "chart:", "term:", "failed_to_appear", ".period"]),
    max_size=40,
).map("".join)


@settings(max_examples=300, deadline=None)
@given(NEAR_TEXT)
def test_the_quick_test_for_braces_finds_every_reference_and_near_miss(text):
    """references.finditer and .search pass a text without braces at once: they find just what REFERENCE_RE finds."""
    assert [m.span() for m in references.finditer(text)] == [m.span() for m in references.REFERENCE_RE.finditer(text)]
    ours, found = references.search(text), references.REFERENCE_RE.search(text)
    assert (ours and ours.span()) == (found and found.span())
