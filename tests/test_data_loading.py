"""data.py: loading data/*.yaml and every validation rule, with its message and line."""

from __future__ import annotations

import itertools
import os
import shutil
from pathlib import Path

import pytest

from plugins.figures import data, files, formatting, yamlfile
from plugins.figures.errors import EditorErrors

REPO_DATA = Path(__file__).resolve().parents[1] / "data"


@pytest.fixture
def data_dir(tmp_path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(REPO_DATA, target)
    return target


def line_of(path: Path, needle: str, nth: int = 0) -> int:
    lines = [i for i, line in enumerate(path.read_text().splitlines(), start=1) if needle in line]
    return lines[nth]


def edit(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text()
    assert old in text, f"test setup: {old!r} not in {path.name}"
    path.write_text(text.replace(old, new, count))


def errors_of(data_dir: Path) -> list:
    with pytest.raises(EditorErrors) as caught:
        data.load(data_dir)
    return caught.value.errors


def only_error(data_dir: Path):
    errors = errors_of(data_dir)
    assert len(errors) == 1, [e.one_line() for e in errors]
    return errors[0]


def test_real_data_loads():
    site = data.load(REPO_DATA)
    assert site.figures["failed_to_appear"]["value"] > 0
    assert site.figures["transferred_fy2019"]["part_of"] == "transferred_to_hhs"
    assert set(site.charts)
    assert "share_never_served_nta" in site.derived


def test_every_figure_has_a_linkable_source():
    site = data.load(REPO_DATA)
    for figure in site.figures.values():
        assert any(site.sources[s].get("url") for s in figure["sources"])


def test_error_format_is_path_line_message_hint(data_dir):
    figures = data_dir / "figures.yaml"
    edit(figures, "value: 32000", "value: 32k")
    error = only_error(data_dir)
    line = line_of(figures, "value: 32k")
    assert error.one_line().startswith(f"data/figures.yaml:{line}: `value` of failed_to_appear should be a whole number, not `32k`")
    assert " — " in error.one_line() and "digits only" in error.one_line()


@pytest.mark.parametrize(
    "old, new, needle, message",
    [
        ("value: 32000", "value: 32000.5", "value: 32000.5", "should be a whole number, not `32000.5` (a number with a decimal point)"),
        ("value: 32000", "value: true", "value: true", "should be a whole number, not `true` (a yes/no value)"),
        ("value: 32000", "value: [32000]", "value: [32000]", "should be a whole number, not a list"),
        ("value: 32000", "value: 0", "value: 0", "must be above zero, not 0"),
        ("value: 32000", "value: -5", "value: -5", "must be above zero, not -5"),
        (
            "qualifier: more than\n    unit: children\n    period: {fiscal_years: [2019, 2023]}\n    label: Children who",
            "qualifier: at least\n    unit: children\n    period: {fiscal_years: [2019, 2023]}\n    label: Children who",
            "qualifier: at least", "cannot be `at least`",
        ),
        ("as_of: 2024-05", "as_of: 2024-13", "as_of: 2024-13", "is not a valid date: `2024-13`"),
        ("as_of: 2024-05", "as_of: May 2024", "as_of: May 2024", "is not a valid date"),
        ("as_of: 2024-05", "as_of: end of 2024", "as_of: end of 2024", "is not a valid date: `end of 2024`"),
        ("as_of: 2024-05", "as_of: late 24", "as_of: late 24", "is not a valid date: `late 24`"),
        ("period: {fiscal_years: [2019, 2023]}\n    label: Children who", "period: {fiscal_years: [2023, 2019]}\n    label: Children who", "[2023, 2019]", "run backwards"),
        (
            "sources: [oig_24_46, independent_2024_08_20]\n    quote: \"ICE reported", "sources: [oig_24_64, independent_2024_08_20]\n    quote: \"ICE reported",
            "oig_24_64", "cites an unknown source `oig_24_64`",
        ),
        (
            "    part_of: transferred_to_hhs\n    verification", "    part_of: transfered_to_hhs\n    verification",
            "part_of: transfered", "part of an unknown figure `transfered_to_hhs`",
        ),
        ("value: 32000", "value: 31000", "value: 31000", "is not the number in its quote"),
        ("    label: Children who missed", "    lable: Children who missed", "lable:", "`lable` is not a field we know"),
    ],
)
def test_figure_rules(data_dir, old, new, needle, message):
    figures = data_dir / "figures.yaml"
    edit(figures, old, new)
    error = only_error(data_dir)
    assert error.path == "data/figures.yaml"
    assert error.line == line_of(figures, needle), error.one_line()
    assert message in error.message, error.one_line()
    assert error.hint


@pytest.mark.parametrize("typed", ["late 2023", "early 2024", "mid 2024"])
def test_as_of_may_be_a_part_of_a_year_when_the_source_gives_no_month(data_dir, typed):
    edit(data_dir / "figures.yaml", "as_of: 2024-05", f"as_of: {typed}")
    assert data.load(data_dir).figures["never_served_nta"]["as_of"] == typed


def test_missing_required_field_names_the_record(data_dir):
    figures = data_dir / "figures.yaml"
    edit(figures, "    label: Children who missed an immigration court hearing\n", "")
    error = only_error(data_dir)
    assert "failed_to_appear is missing `label`" in error.message
    assert error.line == line_of(figures, "- id: failed_to_appear")


def test_period_or_as_of_required(data_dir):
    figures = data_dir / "figures.yaml"
    edit(figures, "    as_of: 2024-05\n", "")
    error = only_error(data_dir)
    assert "neither a period nor an as-of date" in error.message


def test_duplicate_key_rejected(data_dir):
    figures = data_dir / "figures.yaml"
    edit(figures, "    value: 32000\n", "    value: 32000\n    value: 33000\n")
    error = only_error(data_dir)
    assert error.line == line_of(figures, "value: 33000")
    assert "`value` appears twice" in error.message


def test_duplicate_id_rejected(data_dir):
    figures = data_dir / "figures.yaml"
    edit(figures, "- id: never_served_nta", "- id: failed_to_appear")
    error = next(e for e in errors_of(data_dir) if "used twice" in e.message)
    assert error.line == line_of(figures, "- id: failed_to_appear", nth=1)
    assert "the id `failed_to_appear` is used twice" in error.message


def test_python_tags_refused(data_dir):
    figures = data_dir / "figures.yaml"
    edit(figures, "value: 32000", "value: !!python/object/apply:os.system ['echo hi']")
    error = only_error(data_dir)
    assert error.line == line_of(figures, "!!python")
    assert "is not allowed" in error.message


def test_yaml_syntax_error_points_at_line(data_dir):
    figures = data_dir / "figures.yaml"
    edit(figures, "    label: Children who missed", "    label: [Children who missed")
    error = only_error(data_dir)
    assert error.path == "data/figures.yaml" and error.line is not None
    assert "cannot be read" in error.message


def test_tab_indentation(data_dir):
    figures = data_dir / "figures.yaml"
    edit(figures, "    value: 32000", "\tvalue: 32000")
    assert only_error(data_dir).line == line_of(figures, "\tvalue: 32000")


def test_empty_file(data_dir):
    (data_dir / "charts.yaml").write_text("\n\n")
    error = only_error(data_dir)
    assert error.path == "data/charts.yaml" and "empty" in error.message


def test_byte_order_mark(data_dir):
    path = data_dir / "sources.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert "byte-order mark" in only_error(data_dir).message


def test_invalid_utf8_line(data_dir):
    path = data_dir / "figures.yaml"
    raw = path.read_bytes().replace(b"label: Children who missed", b"label: Ni\xf1os who missed")
    path.write_bytes(raw)
    error = only_error(data_dir)
    assert error.line == raw[: raw.index(b"Ni\xf1os")].count(b"\n") + 1
    assert "not UTF-8" in error.message


def test_control_character_line(data_dir):
    path = data_dir / "figures.yaml"
    edit(path, "label: Children who missed", "label: Children\x07 who missed")
    error = only_error(data_dir)
    assert error.line == line_of(path, "\x07")


def test_list_where_mapping_belongs(data_dir):
    path = data_dir / "figures.yaml"
    edit(path, "period: {fiscal_years: [2019, 2023]}\n    label: Children who", "period: [2019, 2023]\n    label: Children who")
    error = only_error(data_dir)
    assert error.line == line_of(path, "period: [2019, 2023]")
    assert "should be a set of fields, not a list" in error.message


def test_unknown_figure_in_chart(data_dir):
    path = data_dir / "charts.yaml"
    edit(path, "figures: [transferred_to_hhs, never_served_nta, failed_to_appear]", "figures: [transferred_to_hhs, never_served_nta,\n      failed_to_apear]")
    error = only_error(data_dir)
    assert error.path == "data/charts.yaml" and error.line == line_of(path, "failed_to_apear")
    assert "unknown figure `failed_to_apear`" in error.message


def test_unknown_chart_kind(data_dir):
    path = data_dir / "charts.yaml"
    edit(path, "kind: bars", "kind: pie")
    error = only_error(data_dir)
    assert error.line == line_of(path, "kind: pie") and "use one of the chart kinds" in error.hint


def test_formula_must_be_arithmetic_over_known_figures(data_dir):
    path = data_dir / "figures.yaml"
    edit(path, "formula: never_served_nta / transferred_to_hhs", "formula: __import__('os')")
    assert "not plain arithmetic" in only_error(data_dir).message
    edit(path, "formula: __import__('os')", "formula: never_served / transferred_to_hhs")
    assert "unknown figure `never_served`" in only_error(data_dir).message


def test_missing_file(data_dir):
    (data_dir / "charts.yaml").unlink()
    assert "missing" in only_error(data_dir).message


def test_dates_stay_text(data_dir):
    site = data.load(data_dir)
    assert site.sources["oig_25_21"]["date"] == "2025-03-25"


def test_part_larger_than_whole(data_dir):
    figures = data_dir / "figures.yaml"
    edit(figures, "value: 31000", "value: 999999")
    error = only_error(data_dir)
    assert error.line == line_of(figures, "value: 999999")
    assert "is larger than transferred_to_hhs" in error.message


def test_breakdown_must_add_up(data_dir):
    figures = data_dir / "figures.yaml"
    edit(figures, "value: 67987", "value: 7987")
    error = only_error(data_dir)
    assert error.line == line_of(figures, "    breakdown: [")
    assert "adds up to" in error.message and "more than 448000" in error.message


def test_unknown_event_source_and_term_fields(data_dir):
    timeline = data_dir / "timeline.yaml"
    edit(timeline, "sources: [oig_25_21]", "sources: [oig_25_12]")
    error = only_error(data_dir)
    assert error.path == "data/timeline.yaml" and error.line == line_of(timeline, "oig_25_12")


def test_chart_kind_needs_its_field(data_dir):
    charts = data_dir / "charts.yaml"
    edit(charts, "kind: bars", "kind: timeline")
    error = only_error(data_dir)
    assert "a timeline chart needs `events:`" in error.message


# ---- trust-data: plain values read as a person reads them ------------------


@pytest.mark.parametrize(
    "typed, message, hint",
    [
        ("032000", "`value` is `032000`, which YAML 1.1 reads as the octal number 13312", "write 32000 (no leading zero)"),
        ("0140", "reads as the octal number 96", "write 140"),
        ("09", "a number with a leading zero", "write 9"),
        ("0x7D00", "a hexadecimal number", "e.g. 32000"),
        ("0o76400", "an octal number", "e.g. 32000"),
        ("0b101", "a binary number", "e.g. 5"),
        ("8:53:20", "reads as the base-60 number 32000", "e.g. 32000"),
        ("2:20", "reads as the base-60 number 140", "e.g. 140"),
        ("32_000", "a number with an underscore", "write 32000"),
        ("1_0", "a number with an underscore", "write 10"),
        ("+32000", "a number with a plus sign", "write 32000"),
        ("1e5", "a number with an exponent", "write all its digits"),
        ("3.2E+4", "a number with an exponent", "write all its digits"),
        (".inf", "reads as infinity", "digits only"),
        ("-.Inf", "reads as infinity", "digits only"),
        (".NaN", "not-a-number", "digits only"),
        ("32000.", "a decimal point with no digit on one side", "digits only"),
        (".5", "a decimal point with no digit on one side", "digits only"),
        ("1" * 16, "a number of 16 digits, more than any figure can have", "extra digits"),
        ("9" * 5000, "a number of 5000 digits", "extra digits"),
    ],
)
def test_number_forms_other_than_digits_are_refused_with_their_line(data_dir, typed, message, hint):
    figures = data_dir / "figures.yaml"
    edit(figures, "value: 32000", f"value: {typed}")
    error = only_error(data_dir)
    assert error.path == "data/figures.yaml" and error.line == line_of(figures, f"value: {typed[:20]}")
    assert message in error.message and hint in error.hint, error.one_line()


@pytest.mark.parametrize("typed", ["0140", "0x8C", "2:20", "1_0", "1e5"])
def test_number_forms_are_refused_in_text_fields_too(data_dir, typed):
    """`label: 2:20` would be 140 under YAML 1.1: refused everywhere, with the hint to quote text."""
    figures = data_dir / "figures.yaml"
    edit(figures, "    label: Children who missed an immigration court hearing", f"    label: {typed}")
    error = only_error(data_dir)
    assert error.line == line_of(figures, f"label: {typed}")
    assert error.message.startswith(f"`label` is `{typed}`") and "double quotes" in error.hint


def test_quoted_number_forms_are_text(data_dir):
    figures = data_dir / "figures.yaml"
    edit(figures, "    label: Children who missed an immigration court hearing", '    label: "2:20"')
    assert data.load(data_dir).figures["failed_to_appear"]["label"] == "2:20"


@pytest.mark.parametrize("word", ["yes", "no", "No", "NO", "on", "Off", "y", "n", "<<", "="])
def test_yaml_1_1_words_stay_words(data_dir, word):
    """YAML 1.1 reads `NO` (Norway) as false, `<<` as a merge and `=` as a tag: here they are text."""
    figures = data_dir / "figures.yaml"
    edit(figures, "    label: Children who missed an immigration court hearing", f"    label: {word}")
    assert data.load(data_dir).figures["failed_to_appear"]["label"] == word


def test_verdict_no_is_the_word_no(data_dir):
    figures = data_dir / "figures.yaml"
    edit(figures, "      verdict: differs", "      verdict: no")
    error = only_error(data_dir)
    assert error.line == line_of(figures, "verdict: no")
    assert "`verdict` of failed_to_appear cannot be `no`" in error.message and "matches, differs, unverified" in error.hint


@pytest.mark.parametrize("typed", ["~", "null", "Null", "NULL"])
def test_null_words_are_refused(data_dir, typed):
    figures = data_dir / "figures.yaml"
    edit(figures, "    label: Children who missed an immigration court hearing", f"    label: {typed}")
    error = only_error(data_dir)
    assert error.line == line_of(figures, f"label: {typed}")
    assert f"`label` is `{typed}`, which YAML reads as nothing" in error.message and f'"{typed}"' in error.hint


def test_true_and_false_are_yes_no_values(data_dir):
    figures = data_dir / "figures.yaml"
    edit(figures, "    label: Children who missed an immigration court hearing", "    label: true")
    assert "should be text, not `true` (a yes/no value)" in only_error(data_dir).message


@pytest.mark.parametrize(
    "tag", ["!!int 32000", "!!float 32000", "!!bool yes", "!!binary aGk=", "!!timestamp 2024-05-01", "!!null ''", "!!set {a: null}", "!<tag:yaml.org,2002:int> 32000"]
)
def test_explicit_tags_are_refused(data_dir, tag):
    figures = data_dir / "figures.yaml"
    edit(figures, "value: 32000", f"value: {tag}")
    error = only_error(data_dir)
    assert error.line == line_of(figures, f"value: {tag}")
    assert "is not allowed" in error.message


@pytest.mark.parametrize("typed", ["2024-08-19 10:00:00", "2024-08-19T10:00:00Z", "2024-8-19"])
def test_timestamps_are_text_checked_as_dates(data_dir, typed):
    sources = data_dir / "sources.yaml"
    edit(sources, "date: 2024-08-20", f"date: {typed}")
    error = only_error(data_dir)
    assert error.line == line_of(sources, f"date: {typed}") and f"is not a valid date: `{typed}`" in error.message


# ---- anchors, aliases and other costly input -------------------------------


def bomb(levels: int) -> str:
    lines = ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    names = "abcdefghijklmnop"
    for previous, name in itertools.pairwise(names[:levels]):
        lines.append(f"{name}: &{name} [{', '.join([f'*{previous}'] * 9)}]")
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("name", ["glossary.yaml", "timeline.yaml", "es.yaml", "charts.yaml"])
def test_alias_bomb_refused_quickly_with_its_line(data_dir, name):
    import time

    path = data_dir / name
    text = path.read_text()
    path.write_text(bomb(12) + text)  # 9**12 "lol"s if expanded
    started = time.perf_counter()
    error = only_error(data_dir)
    assert time.perf_counter() - started < 2
    assert error.path == f"data/{name}" and error.line == 2, error.one_line()
    assert "contains a repeat (`*name`) of another marked value" in error.message


def test_alias_bomb_inside_a_text_field(data_dir):
    path = data_dir / "figures.yaml"
    edit(path, "    label: Children who missed an immigration court hearing", "    label: &x [a, b]\n    unit: &y [*x, *x]\n    meaning: [*y, *y]")
    error = only_error(data_dir)
    assert error.line == line_of(path, "unit: &y") and "which YAML would multiply" in error.message


def test_repeating_a_value_is_allowed_but_bounded(data_dir):
    path = data_dir / "glossary.yaml"
    text = path.read_text()
    path.write_text("a: &a [" + ", ".join(["x"] * 1000) + "]\nb: [" + ", ".join(["*a"] * 200) + "]\n" + text)
    error = only_error(data_dir)
    assert error.line == 1 and "would add 200200 values" in error.message and "more than a data file may repeat" in error.message


def test_a_large_file_with_a_few_repeats_loads(data_dir):
    """The benchmark's synthetic site has 4,000 figures in figures.yaml, which repeats a note: no limit on size."""
    path = data_dir / "glossary.yaml"
    text = path.read_text()
    terms = "".join(f"  - id: term_{i}\n    term: term {i}\n    definition: &d{i} what term {i} means\n    also_called: [*d{i}]\n" for i in range(3000))
    path.write_text(text.replace("terms:\n", "terms:\n" + terms, 1))
    assert len(data.load(data_dir).terms) > 3000


def test_the_real_data_repeats_values_and_loads():
    """figures.yaml and es.yaml repeat a verification note with `*name`: single repeats stay allowed."""
    assert "*table_1" in (REPO_DATA / "figures.yaml").read_text()
    site = data.load(REPO_DATA)
    notes = {f["verification"]["note"] for f in site.figures.values() if f.get("verification", {}).get("verdict") == "unverified"}
    assert notes


def test_recursive_alias_refused(data_dir):
    path = data_dir / "glossary.yaml"
    path.write_text("a: &a [*a]\n" + path.read_text())
    error = only_error(data_dir)
    assert error.line == 1 and "which YAML would multiply" in error.message


def test_unused_anchor_refused(data_dir):
    path = data_dir / "figures.yaml"
    edit(path, "    label: Children who missed", "    label: &Children who missed")
    error = only_error(data_dir)
    assert error.line == line_of(path, "&Children") and "nothing repeats it" in error.message


@pytest.mark.parametrize("typed, char", [("& more", "&"), ("*emphasis*", "*")])
def test_text_starting_with_anchor_or_alias_character(data_dir, typed, char):
    path = data_dir / "figures.yaml"
    edit(path, "    label: Children who missed an immigration court hearing", f"    label: {typed}")
    error = only_error(data_dir)
    assert error.line == line_of(path, typed) and f"a value starting with `{char}`" in error.message and "double quotes" in error.hint


def test_formula_of_3000_terms_refused_with_line(data_dir):
    path = data_dir / "figures.yaml"
    edit(path, "formula: never_served_nta / transferred_to_hhs", "formula: " + " + ".join(["never_served_nta"] * 3000))
    error = only_error(data_dir)
    assert error.line == line_of(path, "formula: never_served_nta + ") and "is too long" in error.message


def test_nested_formula_within_bounds_evaluates(data_dir):
    path = data_dir / "figures.yaml"
    edit(path, "formula: never_served_nta / transferred_to_hhs", "formula: " + "(" * 90 + "never_served_nta" + ")" * 90)
    # 90 brackets fit in 200 characters: it is plain arithmetic and loads.
    assert data.load(data_dir).derived["share_never_served_nta"]


def test_derived_result_bounded(data_dir):
    path = data_dir / "figures.yaml"
    edit(path, "formula: never_served_nta / transferred_to_hhs", "formula: never_served_nta * transferred_to_hhs * transferred_to_hhs")
    error = only_error(data_dir)
    assert error.line == line_of(path, "formula: never_served_nta *") and "larger than any figure can be" in error.message


def test_value_above_a_trillion_refused(data_dir):
    path = data_dir / "figures.yaml"
    edit(path, "value: 32000", "value: 1000000000000")
    error = only_error(data_dir)
    assert error.line == line_of(path, "value: 1000000000000") and "(at most 999999999999)" in error.message


def test_long_wrong_value_is_shortened_in_the_message(data_dir):
    path = data_dir / "figures.yaml"
    edit(path, "value: 32000", "value: " + "x" * 5000)
    assert len(only_error(data_dir).one_line()) < 400  # not 5,000


def test_es_yaml_is_read_by_load_so_check_agrees_with_the_build(data_dir):
    path = data_dir / "es.yaml"
    edit(path, "    label: Niños que faltaron a una audiencia ante un tribunal de inmigración", "    label: 0140")
    error = only_error(data_dir)
    assert error.path == "data/es.yaml" and error.line == line_of(path, "label: 0140") and "octal" in error.message


# ---- addresses -------------------------------------------------------------


@pytest.mark.parametrize(
    "url, problem",
    [
        ("https://", "no host"),
        ("https:///www.oig.dhs.gov", "no host"),
        ("https://oig", "`oig` is not a host name"),
        ("https://www.oig.dhs.gov/a b.pdf", "a space"),
        ('https://www.oig.dhs.gov/"x"', "a quotation mark"),
        ("https://www.oig.dhs.gov/x'y", "an apostrophe"),
        ("https://www.oig.dhs.gov/<x>", "the character `<`"),
        ("https://www.oig.dhs.gov/\u200bx", None),  # invisible but not a control character: percent-encoded by browsers
        ("https://user:pw@www.oig.dhs.gov/", "a user name or password"),
        ("https://www.oig.dhs.gov:99999/", "port"),
        ("https://192.168.0.1/", "does not end in a domain"),
        ("https://-oig.gov/", "is not a host name"),
        ("https://www.oig.dhs.gov/%zz", "a `%` not followed"),
        ("https://www.oig.dhs.gov/sites/default/files/assets/2024-08/OIG-24-46-Aug24.pdf", None),
        ("https://www.oversight.gov/reports/audit/x?y=1&z=2#part", None),
    ],
)
def test_address_problem(url, problem):
    found = data.address_problem(url)
    if problem is None:
        assert found is None
    else:
        assert found and problem in found, found


@pytest.mark.parametrize("key", ["url", "summary_url"])
def test_source_address_checked_with_its_line(data_dir, key):
    path = data_dir / "sources.yaml"
    text = path.read_text()
    start = text.index(f"    {key}: https://")
    end = text.index("\n", start)
    path.write_text(text[:start] + f"    {key}: https://" + text[end:])
    error = only_error(data_dir)
    assert error.line == text[:start].count("\n") + 1
    assert f"`{key}` of oig_24_46 is not a working address: it has no host" in error.message


def test_downloads_list_sources_as_lists(tmp_path):
    import csv
    import io
    import json

    from plugins.figures import downloads, formatting

    site = data.load(REPO_DATA)
    downloads.write(site, tmp_path, formatting.edition("en", ""))
    rows = {r["id"]: r for r in json.loads((tmp_path / "downloads" / "figures.json").read_text())["figures"]}
    figure = site.figures["failed_to_appear"]
    assert rows["failed_to_appear"]["sources"] == list(figure["sources"]) and len(figure["sources"]) > 1
    assert rows["failed_to_appear"]["source_urls"] == [site.sources[s]["url"] for s in figure["sources"] if site.sources[s].get("url")]
    assert rows["share_never_served_nta"]["sources"] == []
    table = {r["id"]: r for r in csv.DictReader(io.StringIO((tmp_path / "downloads" / "figures.csv").read_text()))}
    # One cell, separated by "; " (README, "What the data files accept").
    assert table["failed_to_appear"]["sources"].split("; ") == rows["failed_to_appear"]["sources"]
    assert table["failed_to_appear"]["source_urls"].split("; ") == rows["failed_to_appear"]["source_urls"]


# ---- files in data/ ---------------------------------------------------------

EDITOR_FILES = [".#figures.yaml", "figures.yaml~", ".figures.yaml.swp", ".figures.yaml.swo", "#figures.yaml#"]


def add_editor_files(data_dir: Path) -> None:
    # Emacs's lock is a dangling link named after the user, host and process.
    (data_dir / ".#figures.yaml").symlink_to("editor@host.1234:1700000000")
    for name in EDITOR_FILES[1:]:
        (data_dir / name).write_bytes(b"\x00 half-saved: [ {")


def test_editor_files_are_ignored(data_dir, tmp_path):
    add_editor_files(data_dir)
    assert all(files.is_editor_file(n) for n in EDITOR_FILES)
    assert not any(files.is_editor_file(n) for n in ("figures.yaml", "es.yaml"))
    assert [p.name for p in data.data_files(data_dir)] == sorted(p.name for p in REPO_DATA.glob("*.yaml"))
    data.load(data_dir)
    data.load_cached(data_dir, tmp_path / "cache")


def test_editor_files_are_ignored_by_check_and_build(real_site, chart_cache):
    from conftest import run_cli

    add_editor_files(real_site / "data")
    for command in ("check", "build"):
        result = run_cli(real_site, command, cache=chart_cache)
        assert result.returncode == 0, result.stderr
        assert "Traceback" not in result.stderr
    assert "Nothing changed" in run_cli(real_site, "build", cache=chart_cache).stdout


def make_folder(path):
    path.unlink(missing_ok=True)
    path.mkdir()


@pytest.mark.parametrize(
    "name, make, message",
    [
        ("figures.yaml", make_folder, "this is a folder, not a data file"),
        ("x.yaml", make_folder, "this is a folder, not a data file"),
        ("x.yaml", lambda p: p.symlink_to("nowhere.yaml"), "this is a link to `nowhere.yaml`, which does not exist"),
        ("glossary.yaml", lambda p: (p.unlink(), p.symlink_to("glossary-old.yaml")), "which does not exist"),
        ("x.yaml", lambda p: os.mkfifo(p), "not a regular file"),
    ],
)
def test_data_files_that_are_not_files(data_dir, tmp_path, name, make, message):
    make(data_dir / name)
    for load in (lambda: data.load(data_dir), lambda: data.load_cached(data_dir, tmp_path / "cache")):
        with pytest.raises(EditorErrors) as caught:
            load()
        error = caught.value.errors[0]
        assert (error.path, error.line) == (f"data/{name}", None) and message in error.message, error.one_line()
        assert error.hint


def test_link_to_a_file_outside_the_project(data_dir, tmp_path):
    outside = tmp_path.parent / f"{tmp_path.name}-outside.yaml"
    outside.write_bytes((data_dir / "timeline.yaml").read_bytes())
    (data_dir / "timeline.yaml").unlink()
    (data_dir / "timeline.yaml").symlink_to(outside)
    error = only_error(data_dir)
    assert error.path == "data/timeline.yaml" and "outside the project" in error.message


def test_link_inside_the_project_is_followed(data_dir):
    (data_dir.parent / "timeline-real.yaml").write_bytes((data_dir / "timeline.yaml").read_bytes())
    (data_dir / "timeline.yaml").unlink()
    (data_dir / "timeline.yaml").symlink_to("../timeline-real.yaml")
    assert data.load(data_dir).events


def test_unreadable_data_file(data_dir, monkeypatch):
    """Tests run as root, who reads any file: a refused read is simulated."""
    real = Path.read_bytes

    def read_bytes(self):
        if self.name == "charts.yaml":
            raise PermissionError(13, "Permission denied")
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    error = only_error(data_dir)
    assert error.path == "data/charts.yaml" and "cannot be read (Permission denied)" in error.message and "chmod u+r" in error.hint


# ---- house-i18n: editor messages from the errors' structure, not the libraries' wording ----


@pytest.fixture
def reworded_yaml(monkeypatch):
    """PyYAML's errors with every context and problem text replaced, marks and classes kept."""
    import yaml

    original = yaml.error.MarkedYAMLError.__init__

    def reworded(self, context=None, context_mark=None, problem=None, problem_mark=None, note=None):
        original(self, context and "reworded context", context_mark, problem and "reworded problem", problem_mark, note)

    monkeypatch.setattr(yaml.error.MarkedYAMLError, "__init__", reworded)


@pytest.fixture
def reworded_jsonschema(monkeypatch):
    """jsonschema's errors with every message replaced, their fields kept."""
    from jsonschema.exceptions import ValidationError

    original = ValidationError.__init__

    def reworded(self, message, *args, **kwargs):
        original(self, "reworded message", *args, **kwargs)

    monkeypatch.setattr(ValidationError, "__init__", reworded)


# One text per family of YAML errors: (text, line to fix, the editor's message), written out.
YAML_FAMILIES = {
    "unclosed [": ("a: [b, c\nd: e\n", 1, "the YAML cannot be read: a `[` on this line is never closed with `]`"),
    "unclosed {": ("a: {b: c\nd: e\n", 1, "the YAML cannot be read: a `{` on this line is never closed with `}`"),
    "unclosed quote": ('a: b\nc: "d\n', 2, "the YAML cannot be read: a quotation mark on this line is never closed"),
    "unknown escape": ('a: "b\\q"\n', 1, "the YAML cannot be read: a backslash inside double quotes starts an unknown escape"),
    "text after ]": ("a: [b] c\n", 1, "the YAML cannot be read: text that starts with `{` or `[` must be in quotes"),
    "text after a quote": ('a: "b" c\n', 1, "the YAML cannot be read: there is more text after a closing quotation mark"),
    "quote closed later": ('a: "b\n  c" d\n', 1, "the YAML cannot be read: a quotation mark on this line is only closed on line 2"),
    "no colon": ("a: b\nc\nd: e\n", 2, "the YAML cannot be read: this line has no colon after its field name"),
    "quoted key, no colon": ('a: b\n"c"\nd: e\n', 2, "the YAML cannot be read: this line has no colon after its field name"),
    "colon in text": ("a: b: c\n", 1, "the YAML cannot be read: a colon followed by a space inside the text"),
    "indented more": ("a: b\n  c: d\n", 2, "the YAML cannot be read: this line is indented more than the one above, or the line above has no colon"),
    "not lined up": ("a:\n  b: c\n d: e\n", 3, "the YAML cannot be read: this line is not lined up with the lines above it"),
    "cannot start": ("a: b\nc: @d\n", 2, "the YAML cannot be read: a value cannot start with `@`"),
    "anchor": ("a: & b\n", 1, "the YAML cannot be read: a value starting with `&` is read as a YAML anchor"),
    "alias": ("a: * b\n", 1, "the YAML cannot be read: a value starting with `*` is read as a YAML alias"),
    "duplicate anchor": ("a: &x b\nc: &x d\ne: *x\n", 2, "the YAML cannot be read: a value starting with `&` is read as a YAML anchor"),
    "undefined alias": ("a: *b\n", 1, "the YAML cannot be read: a value starting with `*` is read as a reference to nothing"),
    "second document": ("a: b\n---\nc: d\n", 2, "the YAML cannot be read: a `---` line starts a second document"),
    "tag": ("a: b\nc: !!int 5\n", 2, "the tag `!!int` is not allowed"),
}


@pytest.mark.parametrize("family", list(YAML_FAMILIES))
@pytest.mark.parametrize("wording", ["pyyaml's", "reworded"])
def test_yaml_messages_come_from_marks_not_wording(request, tmp_path, family, wording):
    """Each family's message is told by the error's class, marks and the text at them: rewording changes nothing."""
    if wording == "reworded":
        request.getfixturevalue("reworded_yaml")
    text, line, message = YAML_FAMILIES[family]
    path = tmp_path / "x.yaml"
    path.write_text(text)
    with pytest.raises(data.EditorError) as caught:
        yamlfile.load_yaml(path, "data/x.yaml")
    assert (caught.value.line, caught.value.message) == (line, message)


# One edit of figures.yaml per JSON Schema keyword the schemas use: (old, new, the editor's message), written out.
SCHEMA_FAMILIES = {
    "required": ("    label: Children who missed an immigration court hearing\n", "", "failed_to_appear is missing `label`"),
    "additionalProperties": ("    label: Children who missed", "    lable: Children who missed", "`lable` is not a field we know"),
    "anyOf": ("    as_of: 2024-05\n", "", "never_served_nta has neither a period nor an as-of date"),
    "type": ("value: 32000", "value: 32k", "`value` of failed_to_appear should be a whole number, not `32k`"),
    "exclusiveMinimum": ("value: 32000", "value: 0", "`value` of failed_to_appear must be above zero, not 0"),
    "maximum": ("value: 32000", "value: 1000000000000", "`value` of failed_to_appear is out of range: 1000000000000 (at most 999999999999)"),
    "minimum": (
        "period: {fiscal_years: [2019, 2023]}\n    label: Children who missed",
        "period: {fiscal_years: [1800, 2023]}\n    label: Children who missed",
        "`fiscal_years` of failed_to_appear is out of range: 1800 (at least 1900)",
    ),
    "maxItems": (
        "period: {fiscal_years: [2019, 2023]}\n    label: Children who missed",
        "period: {fiscal_years: [2019, 2020, 2023]}\n    label: Children who missed",
        "`fiscal_years` of failed_to_appear has the wrong number of entries",
    ),
    "minItems": (
        "sources: [oig_24_46, independent_2024_08_20]\n    quote: \"ICE reported more than 32,000",
        "sources: []\n    quote: \"ICE reported more than 32,000",
        "`sources` of failed_to_appear has the wrong number of entries",
    ),
    "enum": (
        "qualifier: more than\n    unit: children\n    period: {fiscal_years: [2019, 2023]}\n    label: Children who missed",
        "qualifier: at least\n    unit: children\n    period: {fiscal_years: [2019, 2023]}\n    label: Children who missed",
        "`qualifier` of failed_to_appear cannot be `at least`",
    ),
    "pattern": ("- id: failed_to_appear", "- id: Failed_to_appear", "`id` is not in the right form: `Failed_to_appear`"),
    "minLength": ("    label: Children who missed an immigration court hearing\n", '    label: ""\n', "`label` of failed_to_appear is empty"),
    "maxLength": (
        "formula: never_served_nta / transferred_to_hhs",
        "formula: never_served_nta / transferred_to_hhs" + " + never_served_nta" * 12,
        "`formula` of share_never_served_nta is too long: 265 characters (at most 200)",
    ),
}


@pytest.mark.parametrize("keyword", list(SCHEMA_FAMILIES))
@pytest.mark.parametrize("wording", ["jsonschema's", "reworded"])
def test_schema_messages_come_from_fields_not_wording(request, data_dir, keyword, wording):
    """Each keyword's message is built from the error's validator, value, instance, path and schema: rewording changes nothing."""
    if wording == "reworded":
        request.getfixturevalue("reworded_jsonschema")
    old, new, message = SCHEMA_FAMILIES[keyword]
    edit(data_dir / "figures.yaml", old, new)
    assert only_error(data_dir).message == message


def test_every_schema_keyword_has_its_own_message_and_a_case_above():
    """A keyword schema.py starts using without a message of its own would show jsonschema's wording."""
    from plugins.figures import schema

    used = set()
    stack = list(schema.FILES.values())
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            used |= set(node)
            stack += [v for k, v in node.items() if k != "properties"] + list(node.get("properties", {}).values())
        elif isinstance(node, list):
            stack += node
    assert used - data.SCHEMA_HOLDERS <= data.SCHEMA_KEYWORDS, used - data.SCHEMA_HOLDERS - data.SCHEMA_KEYWORDS
    assert set(SCHEMA_FAMILIES) == data.SCHEMA_KEYWORDS


# ---- claims: data/claims.yaml (plugins/figures/claims.py) ----------------------------

CLAIMS = "claims.yaml"


def test_claims_load_with_their_bases_computed_from_the_figures():
    from plugins.figures import claims

    site = data.load(REPO_DATA)
    vance = site.claims["vance_debate"]
    basis = claims.basis(vance, site, formatting.edition("en", ""))
    # Computed from figures.yaml, qualifier carried: never typed anywhere.
    assert basis["value"] == site.figures["never_served_nta"]["value"] + site.figures["failed_to_appear"]["value"]
    assert basis["text"] == "more than " + f"{basis['value']:,}"
    assert claims.computed_sum(site.claims["noem_senate"], site)["value"] == site.figures["transferred_to_hhs"]["value"]
    assert claims.computed_sum(site.claims["noem_senate_located"], site) is None
    assert all(c["grade"] in ("A", "B") for c in site.claims.values())
    assert all(v["by"] in site.sources for v in site.verdicts)


def test_the_period_is_split_by_administration_from_dates():
    from plugins.figures import claims

    split = claims.period_split(data.load(REPO_DATA), formatting.edition("en", ""))
    # October 1, 2018 to January 20, 2021, then to September 30, 2023 (inclusive).
    assert (split["before_months"], split["after_months"]) == ((27, 19), (32, 11))
    assert split["total_text"] == "60 months"
    assert claims.period_split(data.load(REPO_DATA), formatting.edition("es", "es/"))["before_text"] == "27 meses y 19 días"


def test_a_figure_edit_changes_the_basis(data_dir):
    from plugins.figures import claims

    edit(data_dir / "figures.yaml", "value: 32000", "value: 33000")
    edit(data_dir / "figures.yaml", "ICE reported more than 32,000 UCs", "ICE reported more than 33,000 UCs")
    site = data.load(data_dir)
    assert claims.plain("vance_debate", "basis", site, formatting.edition("en", "")) == "more than 324,000"


@pytest.mark.parametrize(
    "old, new, needle, message, hint",
    [
        ("rests_on: [never_served_nta, failed_to_appear]\n    how: sum\n\n  - id: trump_tower",
         "rests_on: [never_served_nta, failed_to_apear]\n    how: sum\n\n  - id: trump_tower", "failed_to_apear",
         "claim trump_glendale rests on an unknown figure `failed_to_apear`", "use ids from data/figures.yaml: transferred_to_hhs"),
        ("rests_on: [transferred_to_hhs]", "rests_on: [table_1_total]", "table_1_total",
         "claim noem_senate rests on an unknown figure `table_1_total`", "`table_1_total` is computed, not counted"),
        ("rests_on: [transferred_to_hhs]\n    how: figure", "rests_on: [transferred_to_hhs]\n    how: sum  # one figure", "# one figure",
         "`how: sum` of noem_senate cannot be computed from one figure", "write `how: figure`"),
        ("    value: 13000\n", "    value: 13000\n    how: sum  # no figures\n", "# no figures",
         "`how: sum` of dhs_jul25_located cannot be computed: the claim names no figures", "add `rests_on: [figure ids]`"),
        ("    how: figure", "    how: figure\n    rests_on: [transferred_to_hhs, failed_to_appear]", "rests_on: [transferred_to_hhs, failed_to_appear]",
         "`rests_on` appears twice", "keep one of them"),
        ("    how: figure", "    how: ratio", "how: ratio", "`how` of noem_senate cannot be `ratio`", "use sum"),
        ("    grade: A\n    sources: [ap_2024_10_02, mother_jones", "    grade: C\n    sources: [ap_2024_10_02, mother_jones", "grade: C",
         "`grade` of vance_debate cannot be `C`", "claims graded C stay off the site"),
        ("    value: 320000", "    value: 230000", "value: 230000",
         "the value of vance_debate (230000) is not the number in its quote (320,000)", "take the value and the quote"),
        ("  - by: denver7_2024_10\n", "  - by: denver8\n", "by: denver8",
         "a verdict names an unknown source `denver8`", "use the id in data/sources.yaml"),
        ("  - by: denver7_2024_10\n    lead: rated the claim\n", "  - lead: rated the claim\n", "  - lead: rated the claim",
         "is missing `by`", "add a `by:` line"),
        ('    rating: "True"\n', "", "by: denver7_2024_10", "the verdict by denver7_2024_10 has neither a `quote:` nor a `rating:`", "`rating:`"),
        ("    claims: [faulkner_fox]", "    claims: [faulkner]", "claims: [faulkner]",
         "the verdict by politifact_2025_01_28 is about an unknown claim `faulkner`", "use ids from `claims:`"),
        ('date: "2024-10-01"', 'date: "2024-10-41"', "2024-10-41", "`date` of vance_debate is not a real day", "YYYY-MM-DD"),
        ('change: "2021-01-20"', 'change: "2025-01-20"', 'change: "2025', "the day 2025-01-20 is outside the fiscal years of transferred_to_hhs", "within those years"),
        ("  figure: transferred_to_hhs", "  figure: alert_recommendations", "figure: alert_recommendations",
         "the figure alert_recommendations counts no fiscal years", "name a figure with `period:"),
        ("    value: 75000", "    value: 85000", "up_to: 80000", "the range of faulkner_fox runs backwards", "put the smaller number"),
        ("    quoted_by: bbc_2024_11", "    quoted_by: cbs_2024_12", "quoted_by: cbs_2024_12",
         "claim homan_fox_nov24 is quoted from `cbs_2024_12`, which is not among its sources", "add cbs_2024_12"),
    ],
)
def test_claim_rules(data_dir, old, new, needle, message, hint):
    edit(data_dir / CLAIMS, old, new)
    error = only_error(data_dir)
    assert error.path == f"{data_dir}/{CLAIMS}" or error.path.endswith(CLAIMS), error.one_line()
    assert error.line == line_of(data_dir / CLAIMS, needle), error.one_line()
    assert message in error.message and hint in error.hint, error.one_line()


def test_sum_of_figures_counting_different_things_cannot_be_computed(data_dir):
    edit(data_dir / CLAIMS, "    rests_on: [transferred_to_hhs]\n    how: figure", "    rests_on: [transferred_to_hhs, alert_recommendations]\n    how: sum")
    error = only_error(data_dir)
    assert "cannot be computed: its figures count different things (children, recommendations)" in error.message
    # At the `how:` line, the one after the edited `rests_on:`.
    assert error.line == line_of(data_dir / CLAIMS, "rests_on: [transferred_to_hhs, alert_recommendations]") + 1


def test_a_claims_chart_names_known_claims_with_a_basis(data_dir):
    edit(data_dir / "charts.yaml", "claims: [vance_debate, trump_glendale, noem_senate]", "claims: [vance_debate, trump_glendale, dhs_jul25_located, nobody]")
    messages = sorted(e.message for e in errors_of(data_dir))
    assert messages == ["chart claims_beside_counts draws the claim dhs_jul25_located, which rests on no figure", "chart claims_beside_counts uses an unknown claim `nobody`"]


def test_claims_file_is_optional_but_checked_when_present(data_dir):
    (data_dir / CLAIMS).unlink()
    edit(data_dir / "charts.yaml", "  - id: claims_beside_counts\n    kind: claims\n", "  - id: claims_beside_counts\n    kind: bars\n    figures: [failed_to_appear]\n")
    edit(data_dir / "charts.yaml", "    claims: [vance_debate, trump_glendale, noem_senate]\n", "")
    site = data.load(data_dir)
    assert site.claims == {} and site.claims_period == {}


# ---- provenance: figure history (history: entries; history.py compares with git's last commit)

HISTORY_OLD = "    verification:\n      verdict: differs\n      note: >-\n        The article says “Between 2019"
ENTRY = "    history:\n      - value: 31000\n        date: \"{date}\"\n        why: {why}\n        source: {source}\n"


def add_history(data_dir: Path, date="2026-11-30", why="correction", source="oig_24_46") -> Path:
    figures = data_dir / "figures.yaml"
    edit(figures, HISTORY_OLD, ENTRY.format(date=date, why=why, source=source) + HISTORY_OLD)
    return figures


def test_a_history_entry_loads(data_dir):
    add_history(data_dir)
    assert data.load(data_dir).figures["failed_to_appear"]["history"] == [{"value": 31000, "date": "2026-11-30", "why": "correction", "source": "oig_24_46"}]


@pytest.mark.parametrize(
    "field, value, needle, message",
    [
        ("date", "2026-11", 'date: "2026-11"', "is not a day: `2026-11`"),
        ("date", "2026-02-30", 'date: "2026-02-30"', "is not a day: `2026-02-30`"),
        ("source", "oig_24_64", "source: oig_24_64", "an earlier value of failed_to_appear cites an unknown source `oig_24_64`"),
        ("why", "typo", "why: typo", "`why` of failed_to_appear cannot be `typo` — use one of: correction (it was wrong), newer count"),
    ],
)
def test_history_entry_rules(data_dir, field, value, needle, message):
    figures = add_history(data_dir, **{field: value})
    error = only_error(data_dir)
    assert (error.path, error.line) == ("data/figures.yaml", line_of(figures, needle)), error.one_line()
    assert message in error.one_line() and error.hint


def test_history_entry_needs_every_field(data_dir):
    figures = add_history(data_dir)
    edit(figures, "        why: correction\n", "")
    error = only_error(data_dir)
    assert "is missing `why`" in error.message and error.line == line_of(figures, "- value: 31000")


def _git(folder: Path, *args: str) -> None:
    import subprocess

    subprocess.run(["git", "-C", str(folder), "-c", "user.name=T", "-c", "user.email=t@example.org", *args], check=True, capture_output=True)


def test_a_changed_value_needs_a_history_entry_for_the_committed_one(data_dir):
    from plugins.figures import history

    _git(data_dir, "init", "-q")
    _git(data_dir, "add", "figures.yaml")
    _git(data_dir, "commit", "-q", "-m", "published")
    # Unchanged: nothing to say.
    assert history.check(data_dir, data.load(data_dir), "data/figures.yaml") == ([], "")
    figures = data_dir / "figures.yaml"
    edit(figures, "    value: 32000\n", "    value: 33000\n")
    edit(figures, "more than 32,000 UCs failed", "more than 33,000 UCs failed")
    problems, notice = history.check(data_dir, data.load(data_dir), "data/figures.yaml")
    assert notice == "" and [(p.line, p.message) for p in problems] == [
        (line_of(figures, "value: 33000"), "the value of failed_to_appear changed from 32000 (last committed) to 33000 without a history entry")
    ]
    assert "`- value: 32000`" in problems[0].hint
    # An entry for another value does not explain it; one for the committed value does.
    add_history(data_dir)
    assert len(history.check(data_dir, data.load(data_dir), "data/figures.yaml")[0]) == 1
    edit(figures, "      - value: 31000\n", "      - value: 32000\n")
    assert history.check(data_dir, data.load(data_dir), "data/figures.yaml") == ([], "")


def test_without_a_repository_the_history_check_is_skipped_with_a_notice(data_dir):
    from plugins.figures import history

    problems, notice = history.check(data_dir, data.load(data_dir), "data/figures.yaml")
    assert problems == [] and notice.startswith("Notice: data/figures.yaml: the project is not a git repository")
