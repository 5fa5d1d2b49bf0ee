"""formatting.py: numbers, qualifiers, periods and derived shares, the way a reporter writes them."""

from __future__ import annotations

import ast
import re
import runpy
from fractions import Fraction
from pathlib import Path

import pytest

from plugins.figures import charts, formatting, macros

ENGLISH = formatting.edition("en", "")


def figure(**kw):
    return {"value": 32000, "qualifier": "more than", **kw}


@pytest.mark.parametrize(
    "qualifier, expected",
    [("more than", "more than 32,000"), ("about", "about 32,000"), ("exactly", "32,000")],
)
def test_qualifier_and_grouping(qualifier, expected):
    assert formatting.with_qualifier(figure(qualifier=qualifier), ENGLISH) == expected


def test_number_uses_babel_grouping():
    assert formatting.number(448000, ENGLISH) == "448,000"
    assert formatting.number(1234567, ENGLISH) == "1,234,567"


@pytest.mark.parametrize(
    "record, expected",
    [
        ({"period": {"fiscal_years": [2019, 2023]}}, "fiscal years 2019–2023"),
        ({"period": {"fiscal_years": [2021, 2021]}}, "fiscal year 2021"),
        ({"as_of": "2024-05"}, "as of May 2024"),
        ({"as_of": "2023-12-08"}, "as of December 8, 2023"),
        ({"as_of": "late 2023"}, "as of late 2023"),
        ({"as_of": "mid 2024"}, "as of mid-2024"),
        ({"period": {"fiscal_years": [2019, 2023]}, "as_of": "2024-05"}, "fiscal years 2019–2023, as of May 2024"),
    ],
)
def test_period(record, expected):
    assert formatting.period(record, ENGLISH) == expected


@pytest.mark.parametrize(
    "as_of, expected",
    [("late 2023", "a finales de 2023"), ("early 2024", "a principios de 2024"), ("2024-05", "en mayo de 2024"), ("2023-12-08", "al 8 de diciembre de 2023")],
)
def test_period_in_spanish(as_of, expected):
    assert formatting.period({"as_of": as_of}, formatting.edition("es", "es/")) == expected


@pytest.mark.parametrize(
    "value, words",
    [
        (291000 / 448000, "about two in three"),
        (0.5, "about half"),
        (0.26, "about one in four"),
        (32000 / 448000, "about one in 14"),
        (1.5, "about 150%"),
        (0.34, "about one in three"),
    ],
)
def test_ratio_words(value, words):
    assert formatting.ratio_words(value, ENGLISH) == words


def test_nearest_fraction_prefers_small_denominators():
    assert formatting.nearest_simple_fraction(0.6496) == Fraction(2, 3)
    assert formatting.nearest_simple_fraction(0.75) == Fraction(3, 4)
    assert formatting.nearest_simple_fraction(0.013) == Fraction(1, 77)


def test_ratio_percent_rounds_to_whole_percent():
    assert formatting.ratio_percent(291000 / 448000, ENGLISH) == "about 65%"


# ---- one place for each thing -------------------------------------------------
# Each of these fails when a second copy of something written once creeps back.

PLUGIN = Path(__file__).resolve().parents[1] / "plugins" / "figures"
TEMPLATES = PLUGIN.parents[1] / "theme" / "templates"


def _sources(folder: Path, pattern: str) -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(folder.rglob(pattern))}


@pytest.mark.parametrize("lang", sorted(formatting.LOCALES))
def test_number_words_are_num2words_own(lang):
    """The literal table says what num2words says, one to nine, for every language the site has."""
    from num2words import num2words

    assert formatting.NUMBER_WORDS[lang] == {n: num2words(n, lang=lang) for n in range(1, 10)}


def test_number_words_from_the_table_and_figures_from_ten():
    spanish = formatting.edition("es", "es/")
    assert formatting.count_words(3, ENGLISH) == "three" and formatting.count_words(3, spanish) == "tres"
    assert formatting.count_words(14, spanish) == "14"
    assert formatting.ratio_words(2 / 3, spanish) == "aproximadamente dos de cada tres"


def test_no_function_assumes_a_language():
    """Every function that formats or translates takes its Edition: none defaults to one."""
    found = []
    for name, text in _sources(PLUGIN, "*.py").items():
        if name == "lint.py":
            continue  # its `default=` is the default language of a file found by its path, not yet passed in by every caller
        for node in ast.walk(ast.parse(text)):
            if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            args = [*node.args.posonlyargs, *node.args.args]
            pairs = list(zip(args[len(args) - len(node.args.defaults):], node.args.defaults, strict=True))
            pairs += [(a, d) for a, d in zip(node.args.kwonlyargs, node.args.kw_defaults, strict=True) if d is not None]
            for arg, default in pairs:
                constant = default.value if isinstance(default, ast.Constant) else None
                if arg.arg in ("lang", "locale", "edition") or constant in (*formatting.LOCALES, *formatting.LOCALES.values()):
                    found.append(f"{name}:{node.lineno} {node.name}({arg.arg}=…)")
    assert not found, found


def test_derived_figures_are_written_by_one_helper():
    """Shares in words or percent, counts in figures: formatting.derived_text, called by the rest."""
    callers = {}
    for name, text in _sources(PLUGIN, "*.py").items():
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", None)) in ("ratio_words", "ratio_percent"):
                callers.setdefault(name, []).append(node.lineno)
    assert set(callers) == {"formatting.py"}, callers
    users = {name for name, text in _sources(PLUGIN, "*.py").items() if "derived_text(" in text}
    assert {"references.py", "context.py", "downloads.py"} <= users  # the Markdown's text is references.plain's


def test_chart_variant_names_are_written_once():
    """charts.VARIANTS names them; drawing, file names, HTML and tests take them from there."""
    name = re.compile(r"\b(?:light|dark)-(?:wide|narrow)\b")
    texts = {**_sources(PLUGIN, "*.py"), **_sources(TEMPLATES, "*.html"), **_sources(Path(__file__).parent, "*.py")}
    found = {file: len(name.findall(text)) for file, text in texts.items() if name.search(text)}
    assert found == {"charts.py": len(charts.VARIANTS)}, found


def test_source_lists_and_chart_html_are_written_once():
    """“Source:”/“Sources:” and the chart's and notes' HTML live in macros.html, nowhere else."""
    texts = {**_sources(PLUGIN, "*.py"), **_sources(TEMPLATES, "*.html")}
    for label in ('"Source:"', '"Sources:"', '"Sources for the figures on this page"'):
        assert [file for file, text in texts.items() if label in text] == ["macros.html"], label
    tag = re.compile(r"<(?:figure|picture|source|table|section|li|q|time)\b[^>]*=")  # <data> of a reference: an etree element
    assert [file for file, text in _sources(PLUGIN, "*.py").items() if tag.search(text)] == []


def test_the_plugin_renders_macros_as_pelican_does():
    """Same autoescaping, whitespace and i18n as pelicanconf's Jinja settings, so a macro writes the same HTML for both."""
    settings = runpy.run_path(str(PLUGIN.parents[1] / "pelicanconf.py"))["JINJA_ENVIRONMENT"]
    assert {key: settings[key] for key in macros.OPTIONS} == macros.OPTIONS


def test_a_chart_is_its_macro_in_each_language():
    """The chart's <figure> comes from macros.html, its words from the edition's catalogue."""
    from bs4 import BeautifulSoup

    from plugins.figures import data

    site = data.load(Path(__file__).parent / "test_data" / "data")
    chart = next(iter(site.charts.values()))
    style = PLUGIN.parents[1] / "theme" / "charts"
    spanish = formatting.Edition("es", "es_US", "es/", lambda lang, message, **v: f"[{lang}] {message}" % v)
    figure = BeautifulSoup(charts.html(chart, site, style, spanish, TEMPLATES), "html.parser").figure
    assert [s.get("media") for s in figure.select("picture > source")] == [v["media"] for v in charts.VARIANTS.values() if v["media"]]
    assert figure.select_one("table.chart-data caption").text == "[es] The numbers in this chart"
    assert figure.select_one(".chart-source").text.startswith("[es] Source")
    source_lang = macros.environment(TEMPLATES).get_template("macros.html").module.SOURCE_LANG
    assert source_lang == "en" and all(a.get("lang") == source_lang for a in figure.select(".chart-source a"))
    assert figure.select_one("picture img")["src"].startswith("{root}/es/charts/")


def test_a_date_that_is_not_one_is_refused_never_shown_as_today():
    """Babel formats a missing date as today's: date_text refuses it instead."""
    from plugins.figures import formatting

    english = formatting.edition("en", "", lambda lang, text: text)
    assert formatting.date_text("2024-05", english) == "May 2024"
    for text in ("", "soon", "2024-13-01"):
        with pytest.raises(ValueError, match="not a date"):
            formatting.date_text(text, english)
