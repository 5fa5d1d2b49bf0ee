"""data.py: loading data/*.yaml and every validation rule, with its message and line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from plugins.figures import data
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
        ("qualifier: more than\n    unit: children\n    period: {fiscal_years: [2019, 2023]}\n    label: Children who", "qualifier: at least\n    unit: children\n    period: {fiscal_years: [2019, 2023]}\n    label: Children who", "qualifier: at least", "cannot be `at least`"),
        ("as_of: 2024-05", "as_of: 2024-13", "as_of: 2024-13", "is not a valid date: `2024-13`"),
        ("as_of: 2024-05", "as_of: May 2024", "as_of: May 2024", "is not a valid date"),
        ("period: {fiscal_years: [2019, 2023]}\n    label: Children who", "period: {fiscal_years: [2023, 2019]}\n    label: Children who", "[2023, 2019]", "run backwards"),
        ("sources: [oig_24_46, independent_2024_08_20]\n    quote: \"ICE reported", "sources: [oig_24_64, independent_2024_08_20]\n    quote: \"ICE reported", "oig_24_64", "cites an unknown source `oig_24_64`"),
        ("    part_of: transferred_to_hhs\n    verification", "    part_of: transfered_to_hhs\n    verification", "part_of: transfered", "part of an unknown figure `transfered_to_hhs`"),
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
