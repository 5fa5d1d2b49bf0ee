"""A real Pelican build, in a fresh process, of the small test site and of the real site."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

from bs4 import BeautifulSoup

from conftest import run_cli

from plugins.figures import data as data_module
from plugins.figures import formatting


def soup_of(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def all_files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_small_site_builds_with_figures_cards_chart_and_downloads(test_site, chart_cache):
    result = run_cli(test_site, "build", cache=chart_cache)
    assert result.returncode == 0, result.stderr
    out = test_site / "output"
    home = soup_of(out / "index.html")
    cards = home.select(".card")
    assert [c.select_one("data").text for c in cards] == ["more than 1,000", "about 250"]
    assert all(c.select_one('a[href^="https://"]') for c in cards)
    assert home.select_one('meta[name="description"]')["content"] == "Home page with more than 1,000 in its description."
    img = home.select_one("figure.chart img")
    assert img["src"].startswith("./charts/apples.") and (out / img["src"][2:]).exists()
    for source in home.select("figure.chart source"):
        assert (out / source["srcset"][2:]).exists()
    assert (out / "charts" / "apples.csv").exists()
    assert json.loads((out / "downloads" / "figures.json").read_text())["figures"][0]["id"] == "whole"
    about = soup_of(out / "about-the-data" / "index.html")
    assert about.select_one('a[href="../downloads/figures.csv"]')


def test_no_unresolved_reference_survives(built_real_site):
    for page in built_real_site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert "{{" not in text and "{root}" not in text, page


def test_every_reference_has_qualifier_and_source_note(built_real_site):
    site = data_module.load(Path(__file__).resolve().parents[1] / "data")
    pages = list(built_real_site.rglob("index.html"))
    seen = 0
    for page in pages:
        soup = soup_of(page)
        for link in soup.select("a.figure-ref"):
            seen += 1
            fid = link["href"].removeprefix("#note-")
            note = soup.select_one(f"li#note-{fid}")
            assert note is not None, (page, fid)
            if fid in site.figures:
                figure = site.figures[fid]
                assert link.data["value"] == str(figure["value"])
                lang = "es" if page.relative_to(built_real_site).parts[0] == "es" else "en_US"
                qualifier = formatting.PHRASES[lang][figure["qualifier"]].split("{n}")[0]
                assert link.data.text.lower().startswith(qualifier), (page, fid)
                assert note.select_one('a[href^="https://"]'), (page, fid)
    assert seen >= 4


def test_charts_have_alt_text_table_and_csv(built_real_site):
    for page in built_real_site.rglob("index.html"):
        for figure in soup_of(page).select("figure.chart"):
            img = figure.select_one("img")
            assert len(img["alt"]) > 40
            assert figure.select("table tbody tr")
            csv_link = figure.select_one('a[href$=".csv"]')["href"]
            assert (page.parent / csv_link).resolve().exists()


def test_chart_svgs_keep_text_and_label_values(built_real_site):
    svgs = list((built_real_site / "charts").glob("*.svg"))
    assert len(svgs) >= 4
    for svg in svgs:
        text = svg.read_text()
        assert "<text" in text, svg
        assert "<metadata>" not in text and "Matplotlib v" not in text
        # Minimal: nothing defined that is not used, no style sheet, no clip paths.
        defined = re.findall(r'<(?:path|g|clipPath|symbol)[^>]* id="([^"]+)"', "".join(re.findall(r"<defs>.*?</defs>", text, re.S)))
        assert all(f"#{name}" in text for name in defined), svg
        assert "<style" not in text and "clip-path" not in text, svg
    main = next(built_real_site.glob("charts/children_transferred_and_after.*.light-wide.svg")).read_text()
    assert "more than 448,000" in main and "more than 32,000" in main


def _figures_csv(out: Path) -> dict:
    return {row["id"]: row for row in csv.DictReader(io.StringIO((out / "downloads" / "figures.csv").read_text()))}


def test_changing_a_figure_changes_every_place_and_leaves_no_stale_copy(real_site, chart_cache):
    assert run_cli(real_site, "build", cache=chart_cache).returncode == 0
    out = real_site / "output"
    before_svgs = {p.name for p in (out / "charts").glob("*.svg")}
    figures = real_site / "data" / "figures.yaml"
    # One record: the value and the source's quote that states it.
    figures.write_text(figures.read_text().replace("value: 32000", "value: 33123").replace("more than 32,000 UCs", "more than 33,123 UCs"))
    result = run_cli(real_site, "build", cache=chart_cache)
    assert result.returncode == 0, result.stderr

    everything = "\n".join(p.read_text(encoding="utf-8") for p in out.rglob("*") if p.suffix in {".html", ".svg", ".csv", ".json"})
    assert "32,000" not in everything.replace("Says 32,000 Unaccompanied", "")  # a source's own title may keep it
    assert "32.000" not in everything
    home = soup_of(out / "index.html")
    assert "more than 33,123" in home.select_one("#card-failed_to_appear").text
    assert "more than 33,123" in home.select_one("a.figure-ref[href='#note-failed_to_appear']").text
    assert "more than 33,123" in home.select_one("figure.chart img")["alt"]
    assert "more than 33,123" in home.select_one("figure.chart table").text
    # The same one edit reaches the Spanish edition, in Spanish formats.
    es_home = soup_of(out / "es" / "index.html")
    assert "más de 33,123" in es_home.select_one("#card-failed_to_appear").text
    assert "más de 33,123" in es_home.select_one("figure.chart img")["alt"]
    assert _figures_csv(out / "es")["failed_to_appear"]["as_written"] == "más de 33,123"
    assert any("más de 33,123" in p.read_text() for p in (out / "es" / "charts").glob("*.svg"))
    assert _figures_csv(out)["failed_to_appear"]["value"] == "33123"
    chart_csv = (out / "charts" / "children_transferred_and_after.csv").read_text()
    assert "33123" in chart_csv and "32000" not in chart_csv
    svgs = {p.name for p in (out / "charts").glob("*.svg")}
    # Every chart that shows the figure got new files; nothing of their old drawings is left.
    for chart in ("children_transferred_and_after", "missed_hearings_share", "path_through_custody"):
        old = {n for n in before_svgs if n.startswith(chart + ".")}
        assert old and not old & svgs, f"old drawings of {chart} left behind"
    assert any("more than 33,123" in p.read_text() for p in (out / "charts").glob("*.svg"))


def test_bad_edit_gives_one_line_and_keeps_old_site(real_site, chart_cache):
    assert run_cli(real_site, "build", cache=chart_cache).returncode == 0
    out = real_site / "output"
    before = all_files(out)
    figures = real_site / "data" / "figures.yaml"
    text = figures.read_text()
    figures.write_text(text.replace("value: 32000", "value: 32k"))
    line = next(i for i, l in enumerate(figures.read_text().splitlines(), 1) if "value: 32k" in l)
    result = run_cli(real_site, "build", cache=chart_cache)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr + result.stdout
    first = result.stderr.splitlines()[0]
    assert first.startswith(f"data/figures.yaml:{line}: `value` of failed_to_appear should be a whole number")
    assert all_files(out) == before
    assert not list(real_site.glob(".output-*")), "scratch build folder left behind"


def test_unknown_reference_in_page_fails_build_naming_md_line(test_site, chart_cache):
    page = test_site / "content" / "pages" / "about.md"
    page.write_text(page.read_text() + "\nAnd {{ hole }} more.\n")
    line = len(page.read_text().splitlines())
    result = run_cli(test_site, "build", cache=chart_cache)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"content/pages/about.md:{line}: unknown figure `hole`" in result.stderr
    assert not (test_site / "output").exists()


def test_unknown_reference_in_metadata_fails_build(test_site, chart_cache):
    page = test_site / "content" / "pages" / "about.md"
    page.write_text(page.read_text().replace("Description: About the test data.", "Description: About {{ hole }}."))
    result = run_cli(test_site, "build", cache=chart_cache)
    assert result.returncode == 1 and "unknown figure `hole`" in result.stderr


def test_typed_figure_in_content_fails_build(test_site, chart_cache):
    page = test_site / "content" / "pages" / "about.md"
    page.write_text(page.read_text() + "\nWe ate 250 apples.\n")
    line = len(page.read_text().splitlines())
    result = run_cli(test_site, "build", cache=chart_cache)
    assert result.returncode == 1
    assert f"content/pages/about.md:{line}: the number 250 is typed in; it is the figure part" in result.stderr
    assert "{{ part }}" in result.stderr


def test_broken_template_is_one_line(test_site, chart_cache, tmp_path):
    import shutil

    theme = tmp_path / "theme"
    shutil.copytree(Path(__file__).resolve().parents[1] / "theme", theme)
    (theme / "templates" / "base.html").write_text("<!doctype html>\n{% block content %}{{ page.title }\n")
    conf = test_site / "pelicanconf.py"
    conf.write_text(conf.read_text() + f"\nTHEME = {str(theme)!r}\n")
    result = run_cli(test_site, "build", cache=chart_cache)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert re.search(r"base\.html:2: template error", result.stderr), result.stderr


def test_check_reports_same_problem_fast(real_site):
    figures = real_site / "data" / "figures.yaml"
    figures.write_text(figures.read_text().replace("value: 32000", "value: 32k"))
    result = run_cli(real_site, "check")
    assert result.returncode == 1
    assert "data/figures.yaml:" in result.stderr and "should be a whole number" in result.stderr


def test_check_imports_neither_pelican_nor_matplotlib(real_site):
    import subprocess
    import sys

    from conftest import REPO, build_env

    code = "import sys; from plugins.figures import cli; cli.check(); print(sorted(m for m in sys.modules if m.split('.')[0] in ('pelican', 'matplotlib')))"
    result = subprocess.run([sys.executable, "-c", code], cwd=real_site, env=build_env(None), capture_output=True, text=True)
    assert result.stdout.strip().endswith("[]"), result.stdout + result.stderr


def test_noop_rebuild_does_nothing_and_an_edit_rebuilds(test_site, chart_cache):
    assert run_cli(test_site, "build", cache=chart_cache).returncode == 0
    again = run_cli(test_site, "build", cache=chart_cache)
    assert again.returncode == 0 and "Nothing changed" in again.stdout
    page = test_site / "content" / "pages" / "about.md"
    page.write_text(page.read_text() + "\nA new sentence.\n")
    third = run_cli(test_site, "build", cache=chart_cache)
    assert "Nothing changed" not in third.stdout
    assert "A new sentence." in (test_site / "output" / "about-the-data" / "index.html").read_text()


def test_chart_text_keeps_every_digit():
    """Rounding coordinates must never touch the words: 448.000 is a number in Spanish."""
    from plugins.figures.drawing import tidy_svg

    svg = '<svg width="720pt" height="90pt"><path d="M 0 12.345678 L 542.577242 55"/><text x="548.577242" y="45.89707">más de 448.000</text></svg>'
    out = tidy_svg(svg)
    assert "más de 448.000" in out and "542.5 55" in out and 'x="548.5"' in out
