"""A real Pelican build, in a fresh process, of the small test site and of the real site."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import REPO, all_files, break_base_template, build_env, build_leftovers, run_cli, terminal_ctrl_c

from plugins.figures import charts
from plugins.figures import data as data_module


def soup_of(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


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
    sources = home.select("figure.chart source")
    assert sources, "the chart offers no other variant (dark, narrow)"
    for source in sources:
        assert (out / source["srcset"][2:]).exists()
    assert (out / "charts" / "apples.csv").exists()
    assert json.loads((out / "downloads" / "figures.json").read_text())["figures"][0]["id"] == "whole"
    about = soup_of(out / "about-the-data" / "index.html")
    assert about.select_one('a[href="../downloads/figures.csv"]')


def test_no_unresolved_reference_survives(built_real_site):
    pages = list(built_real_site.rglob("*.html"))
    assert len(pages) > 20
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert "{{" not in text and "{root}" not in text, page


# What readers see before each number, written out here rather than taken from formatting.py.
QUALIFIER_WORDS = {
    "en": {"more than": "more than ", "about": "about ", "exactly": ""},
    "es": {"more than": "más de ", "about": "aproximadamente ", "exactly": ""},
}


def test_every_reference_has_qualifier_and_source_note(built_real_site):
    site = data_module.load(Path(__file__).resolve().parents[1] / "data")
    pages = list(built_real_site.rglob("index.html"))
    seen, checked = 0, set()
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
                lang = "es" if page.relative_to(built_real_site).parts[0] == "es" else "en"
                words = QUALIFIER_WORDS[lang][figure["qualifier"]]
                shown = link.data.text.lower()
                # An exact count starts with its digits or its number in words, never a qualifier.
                assert shown.startswith(words) if words else not shown.startswith(("more", "about", "más", "aprox")), (page, fid, shown)
                assert note.select_one('a[href^="https://"]'), (page, fid)
                checked.add((lang, figure["qualifier"]))
    assert seen >= 4
    # Both branches ran in each edition: a qualifier, and an exact count's none. ("about" is only
    # written before derived shares, which have no value of their own to compare.)
    assert {(lang, q) for lang in QUALIFIER_WORDS for q in ("more than", "exactly")} <= checked, checked


def test_charts_have_alt_text_table_and_csv(built_real_site):
    seen = set()
    for page in built_real_site.rglob("index.html"):
        for figure in soup_of(page).select("figure.chart"):
            seen.add((page.relative_to(built_real_site).parts[0] == "es", figure["id"]))
            img = figure.select_one("img")
            assert len(img["alt"]) > 40
            assert figure.select("table tbody tr")
            csv_link = figure.select_one('a[href$=".csv"]')["href"]
            assert (page.parent / csv_link).resolve().exists()
    charts = data_module.load(REPO / "data").charts
    assert seen == {(es, f"chart-{cid}") for cid in charts for es in (False, True)}, "not every chart was met in each edition"


def test_chart_svgs_keep_text_and_label_values(built_real_site):
    svgs = list((built_real_site / "charts").glob("*.*.*.svg"))  # the hashed drawings the pages show
    assert len(svgs) >= 4
    for svg in svgs:
        text = svg.read_text()
        assert "<text" in text, svg
        assert "<metadata>" not in text and "Matplotlib v" not in text
        # Minimal: nothing defined that is not used, no style sheet, no clip paths.
        defined = re.findall(r'<(?:path|g|clipPath|symbol)[^>]* id="([^"]+)"', "".join(re.findall(r"<defs>.*?</defs>", text, re.S)))
        assert all(f"#{name}" in text for name in defined), svg
        assert "<style" not in text and "clip-path" not in text, svg
    # Every chart in every variant, named as charts.VARIANTS names them (the one list of them).
    for chart_id in data_module.load(REPO / "data").charts:
        assert {p.name.split(".")[2] for p in svgs if p.name.startswith(f"{chart_id}.")} == set(charts.VARIANTS), chart_id
    fallback = next(name for name, variant in charts.VARIANTS.items() if variant["media"] is None)  # the <img>
    main = next(built_real_site.glob(f"charts/children_transferred_and_after.*.{fallback}.svg")).read_text()
    assert "more than 448,000" in main and "more than 32,000" in main


EDITIONS = {"": "en", "es/": "es"}


def _resolves(page: Path, href: str) -> Path:
    target = (page.parent / href).resolve()
    return target / "index.html" if target.is_dir() else target


def test_every_chart_has_its_page_embed_page_and_downloads_in_both_editions(built_real_site):
    out = built_real_site
    chart_ids = list(data_module.load(REPO / "data").charts)
    for prefix in EDITIONS:
        for chart_id in chart_ids:
            page = out / prefix / "charts" / chart_id / "index.html"
            html = soup_of(page)
            figure = html.select_one("figure.chart")
            assert html.h1.text == figure.figcaption.text, chart_id
            assert figure.select("table tbody tr") and figure.select("picture source")
            assert not figure.select(f'a[href$="charts/{chart_id}/"]'), "the chart's page links to itself"
            assert html.select_one(".source-notes") and not html.select(".source-notes .back-link"), "a note links back to text this page lacks"
            for ext in ("svg", "png", "csv"):
                link = html.select_one(f'.chart-downloads a[href$="charts/{chart_id}.{ext}"]')
                assert link is not None and _resolves(page, link["href"]).is_file(), (chart_id, ext)
            # The chart's own social card is the page's preview.
            card = html.select_one('meta[property="og:image"]')["content"]
            assert re.search(rf"/{prefix}charts/{chart_id}\.[0-9a-f]{{10}}\.social\.png$", card), card
            # The embed code is text (no element: the last check forbids iframes), pointing at the embed page.
            code = html.select_one("pre.embed-code code").text
            assert not html.select("iframe")
            src = re.search(r'<iframe src="([^"]+)"', code).group(1)
            assert src == f"https://figures.example.org/{prefix}embed/{chart_id}/"
            assert int(re.search(r'height="(\d+)"', code).group(1)) > int(figure.select_one("img")["height"]), "the frame is shorter than the chart"
            embed = out / prefix / "embed" / chart_id / "index.html"
            shown = soup_of(embed)
            assert html.select_one(f'a[href$="embed/{chart_id}/"]') is not None, "the embed page is not reachable"
            assert shown.h1.text == html.h1.text and not shown.select("script, nav, footer")
            assert len(shown.select("picture source")) == len(charts.VARIANTS) - 1 and shown.select_one("picture img")["alt"]
            back = shown.select_one(".embed-source a")
            assert back["href"] == f"https://figures.example.org/{prefix}charts/{chart_id}/" and back["target"] == "_blank"
    # Every chart on an explainer page links to its chart page, in its edition.
    linked = 0
    for page in out.rglob("index.html"):
        rel = page.relative_to(out).as_posix()
        if "/charts/" in f"/{rel}" or "/embed/" in f"/{rel}":
            continue
        for figure in soup_of(page).select("figure.chart"):
            chart_id = figure["id"].removeprefix("chart-")
            link = figure.select_one(f'.chart-download a[href$="charts/{chart_id}/"]')
            assert link is not None and _resolves(page, link["href"]) == (out / ("es/" if rel.startswith("es/") else "") / "charts" / chart_id / "index.html").resolve(), rel
            linked += 1
    assert linked >= len(chart_ids)


def test_source_notes_link_each_figure_to_its_stable_anchor(built_real_site):
    """So a single number can be cited: #figure-<id> on About the data, in the note's edition."""
    checked = 0
    for prefix in EDITIONS:
        about = soup_of(built_real_site / prefix / "about-the-data" / "index.html")
        for page in [built_real_site / prefix / "missed-court-hearings" / "index.html", built_real_site / prefix / "charts" / "path_through_custody" / "index.html"]:
            for note in soup_of(page).select(".source-notes li[id^=note-]"):
                href = note.select_one("a.figure-link")["href"]
                path, _, anchor = href.partition("#")
                assert _resolves(page, path) == (built_real_site / prefix / "about-the-data" / "index.html").resolve()
                assert anchor == "figure-" + note["id"].removeprefix("note-") and about.find(id=anchor) is not None
                checked += 1
    assert checked >= 4


def test_stable_downloads_carry_title_caption_source_licence_and_address(built_real_site):
    """The SVG's drawn text, and the PNG's text chunks plus a text area the page variant lacks."""
    import xml.etree.ElementTree as ET

    from PIL import Image

    data = data_module.load(REPO / "data")
    for prefix, licence in (("", "License: CC BY 4.0"), ("es/", "Licencia: CC BY 4.0")):
        for chart_id in data.charts:
            svg_path = built_real_site / prefix / "charts" / f"{chart_id}.svg"
            root = ET.fromstring(svg_path.read_text(encoding="utf-8"))
            drawn = " ".join(" ".join(t.itertext()) for t in root.iter("{http://www.w3.org/2000/svg}text"))
            drawn = " ".join(drawn.split())
            title = root.find("{http://www.w3.org/2000/svg}title").text
            assert " ".join(title.split()) in drawn, (prefix, chart_id, "title not drawn")
            assert ("Source:" in drawn or "Sources:" in drawn or "Fuente" in drawn) and "OIG-2" in drawn
            assert licence in drawn and f"https://figures.example.org/{prefix}charts/{chart_id}/" in drawn
            assert 'fill="#ffffff"' in svg_path.read_text() or "fill=\"#fff\"" in svg_path.read_text(), "not on white (light scheme)"
            png = Image.open(built_real_site / prefix / "charts" / f"{chart_id}.png")
            assert png.text["Title"] == title and licence in png.text["Copyright"] and "OIG-2" in png.text["Source"]
            assert png.text["Copyright"].endswith(f"/{prefix}charts/{chart_id}/")
            # Pixels cannot be grepped: the PNG is the 2× drawing of the SVG, which is the page's
            # drawing plus the text above and below it.
            width, height = (int(root.get(k)) for k in ("width", "height"))
            assert png.size == (width * charts.PNG_SCALE, height * charts.PNG_SCALE)
            page_svg = next((built_real_site / prefix / "charts").glob(f"{chart_id}.*.{charts.LIGHT_WIDE}.svg"))
            body_height = int(ET.fromstring(page_svg.read_text(encoding="utf-8")).get("height"))
            assert height >= body_height + 100, (chart_id, "no room for the title, caption and credits")
            grey = png.convert("L")
            assert grey.crop((0, 0, grey.width, 40 * charts.PNG_SCALE)).getextrema()[0] < 100, "no title drawn at the top"
            assert grey.crop((0, grey.height - 60 * charts.PNG_SCALE, grey.width, grey.height)).getextrema()[0] < 160, "no credits drawn at the foot"


def _figures_csv(out: Path) -> dict:
    return {row["id"]: row for row in csv.DictReader(io.StringIO((out / "downloads" / "figures.csv").read_text()))}


@pytest.mark.slow
def test_changing_a_figure_changes_every_place_and_leaves_no_stale_copy(built_real_copy, chart_cache):
    real_site = built_real_copy
    out = real_site / "output"
    before_svgs = {p.name for p in (out / "charts").glob("*.*.*.svg")}  # hashed: their names change
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
    svgs = {p.name for p in (out / "charts").glob("*.*.*.svg")}
    # The stable download keeps its address and says the new value.
    assert "more than 33,123" in (out / "charts" / "children_transferred_and_after.svg").read_text()
    # Every chart that shows the figure got new files; nothing of their old drawings is left.
    for chart in ("children_transferred_and_after", "missed_hearings_share", "path_through_custody"):
        old = {n for n in before_svgs if n.startswith(chart + ".")}
        assert old and not old & svgs, f"old drawings of {chart} left behind"
    assert any("more than 33,123" in p.read_text() for p in (out / "charts").glob("*.svg"))


def test_bad_edit_gives_one_line_and_keeps_old_site(built_real_copy, chart_cache):
    """Through the real entry point (`python -m plugins.figures.cli`, a fresh interpreter), as `make html` runs it."""
    real_site = built_real_copy
    out = real_site / "output"
    before = all_files(out)
    figures = real_site / "data" / "figures.yaml"
    text = figures.read_text()
    figures.write_text(text.replace("value: 32000", "value: 32k"))
    line = next(i for i, text in enumerate(figures.read_text().splitlines(), 1) if "value: 32k" in text)
    result = run_cli(real_site, "build", cache=chart_cache, fresh=True)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr + result.stdout
    first = result.stderr.splitlines()[0]
    assert first.startswith(f"data/figures.yaml:{line}: `value` of failed_to_appear should be a whole number")
    assert all_files(out) == before
    assert not build_leftovers(real_site), "scratch build folder left behind"


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
    break_base_template(test_site, tmp_path)
    result = run_cli(test_site, "build", cache=chart_cache)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert re.search(r"base\.html:2: template error", result.stderr), result.stderr


def test_check_reports_same_problem_fast(real_site):
    figures = real_site / "data" / "figures.yaml"
    figures.write_text(figures.read_text().replace("value: 32000", "value: 32k"))
    result = run_cli(real_site, "check")
    assert result.returncode == 1
    assert "data/figures.yaml:" in result.stderr and "should be a whole number" in result.stderr


def imported_by_check(site, packages: tuple[str, ...]) -> tuple[list[str], str]:
    """The modules of `packages` that `check`, in a fresh interpreter in `site`, imported; and what it said."""
    import ast
    import subprocess
    import sys

    from conftest import build_env

    code = f"import sys; from plugins.figures import cli; cli.check(); print(sorted(m for m in sys.modules if m.split('.')[0] in {packages!r}))"
    result = subprocess.run([sys.executable, "-c", code], cwd=site, env=build_env(None), capture_output=True, text=True)
    return ast.literal_eval(result.stdout.strip().splitlines()[-1]), result.stdout + result.stderr


def test_check_imports_neither_pelican_nor_matplotlib(real_site):
    imported, said = imported_by_check(real_site, ("pelican", "matplotlib"))
    assert imported == [], said


def test_a_check_of_unchanged_data_reads_no_yaml(real_site):
    """Checked data is kept by its bytes (data.load_cached, translations.load_localized): with the
    data unchanged since the last check, neither PyYAML nor jsonschema is imported."""
    first, said = imported_by_check(real_site, ("yaml", "jsonschema"))
    assert "yaml" in first, said  # the first check reads the data
    again, said = imported_by_check(real_site, ("yaml", "jsonschema"))
    assert again == [], said


def test_noop_rebuild_does_nothing_and_an_edit_rebuilds(test_site, chart_cache):
    assert run_cli(test_site, "build", cache=chart_cache).returncode == 0
    again = run_cli(test_site, "build", cache=chart_cache, fresh=True)  # the real entry point decides it
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


# ---- trust-build: drafts, files the build may read, damaged output, leftovers and races ----

DRAFT_PAGE = "Title: Secret plans\nSlug: secret-plans\nStatus: draft\nDescription: Not yet.\n\nA draft sentence about {{ whole }}.\n"
DRAFT_UPDATE = "Title: Coming soon\nSlug: coming-soon\nDate: 2025-01-02\nStatus: draft\nDescription: Not yet.\n\nA draft update.\n"
DRAFT_WORDS = (b"secret-plans", b"Secret plans", b"draft sentence", b"coming-soon", b"Coming soon", b"A draft update")


def add_drafts(site: Path) -> None:
    (site / "content" / "pages" / "secret.md").write_text(DRAFT_PAGE)
    (site / "content" / "updates").mkdir(exist_ok=True)
    (site / "content" / "updates" / "coming.md").write_text(DRAFT_UPDATE)


def test_drafts_never_reach_the_site_and_the_preview_shows_them(test_site, chart_cache):
    add_drafts(test_site)
    result = run_cli(test_site, "build", cache=chart_cache)
    assert result.returncode == 0, result.stderr  # a draft update used to crash the build
    out = test_site / "output"
    built = all_files(out)
    assert not [name for name in built if "draft" in name]
    for name, data in built.items():  # pages, sitemap, feed, updates index, menus
        assert not [w for w in DRAFT_WORDS if w in data], name

    preview = run_cli(test_site, "build", "--drafts", cache=chart_cache)
    assert preview.returncode == 0, preview.stderr
    assert "/secret-plans/  (content/pages/secret.md)" in preview.stdout
    assert "/updates/coming-soon/  (content/updates/coming.md)" in preview.stdout
    shown = test_site / ".cache" / "preview"
    page = soup_of(shown / "secret-plans" / "index.html")
    assert "A draft sentence about more than 1,000" in page.text
    assert page.select_one('link[rel="stylesheet"]')["href"].startswith("../theme/")  # built at its own address
    assert "A draft update" in (shown / "updates" / "coming-soon" / "index.html").read_text()
    for listing in ("sitemap.xml", "updates/feed.atom", "updates/index.html", "index.html"):
        assert "secret-plans" not in (shown / listing).read_text() and "coming-soon" not in (shown / listing).read_text(), listing
    assert all_files(out) == built, "the preview touched output/"


def test_a_link_to_a_draft_stops_the_build_and_the_preview_allows_it(test_site, chart_cache):
    add_drafts(test_site)
    page = test_site / "content" / "pages" / "about.md"
    page.write_text(page.read_text() + "\nSee [our plans]({filename}secret.md).\n")
    line = len(page.read_text().splitlines())
    expected = f"content/pages/about.md:{line}: the link `{{filename}}secret.md` leads to a draft (`Status: draft`), which is never published — "
    for command in ("build", "check"):
        result = run_cli(test_site, command, cache=chart_cache)
        assert result.returncode == 1 and result.stderr.startswith(expected), (command, result.stderr)
    assert run_cli(test_site, "build", "--drafts", cache=chart_cache).returncode == 0


def first_line(result) -> str:
    assert "Traceback" not in result.stdout + result.stderr, result.stderr
    return result.stderr.splitlines()[0] if result.stderr else ""


@pytest.mark.parametrize(
    "make, where, what",
    [
        (lambda p: p.symlink_to("/etc/passwd"), "content/static/passwd.txt", "this is a link to `/etc/passwd`, outside the project"),
        (lambda p: p.symlink_to("/etc"), "content/static/system", "this is a link to `/etc`, outside the project"),
        (lambda p: p.symlink_to("../../../../elsewhere/page.md"), "content/pages/gone.md", "this is a link to `../../../../elsewhere/page.md`, which does not exist"),
        (lambda p: os.mkfifo(p), "content/pages/pipe.md", "this is a named pipe (FIFO), not a regular file"),
        (lambda p: os.link(p.parents[2] / "data" / "figures.yaml", p), "content/static/figures.yaml", "this file is also elsewhere under 1 other name(s) (a hard link)"),
    ],
    ids=["file-outside", "folder-outside", "dangling", "fifo", "hard-link"],
)
def test_only_regular_files_inside_the_project_are_read(test_site, chart_cache, make, where, what):
    assert run_cli(test_site, "build", cache=chart_cache).returncode == 0
    before = all_files(test_site / "output")
    path = test_site / where
    path.parent.mkdir(parents=True, exist_ok=True)
    make(path)
    result = run_cli(test_site, "build", cache=chart_cache)
    assert result.returncode == 1
    line = first_line(result)
    assert line.startswith(f"{where}: {what}") and " — " in line, line
    assert all_files(test_site / "output") == before
    assert first_line(run_cli(test_site, "check")) == line


def test_a_link_to_a_file_inside_the_project_is_published(test_site, chart_cache):
    static = test_site / "content" / "static"
    static.mkdir()
    (static / "figures.yaml").symlink_to("../../data/figures.yaml")
    result = run_cli(test_site, "build", cache=chart_cache)
    assert result.returncode == 0, result.stderr
    assert (test_site / "output" / "static" / "figures.yaml").read_bytes() == (test_site / "data" / "figures.yaml").read_bytes()


EDITOR_FILES = {
    ".#about.md": "lock",  # Emacs: a symbolic link to nowhere, made while a buffer has unsaved changes
    "#about.md#": "Title: {{ hole }}\n",
    "about.md~": "Title: {{ hole }}\n",
    ".about.md.swp": b"\x00\xff binary",
    ".DS_Store": b"\x00\x00\x00\x01Bud1",
    "4913": "",
}


def add_editor_files(folder: Path) -> None:
    for name, text in EDITOR_FILES.items():
        path = folder / name
        if text == "lock":
            path.symlink_to("editor@host.1234:1700000000")
        elif isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text)


def test_editor_files_are_ignored_everywhere(test_site, chart_cache, tmp_path):
    theme = tmp_path / "theme"
    shutil.copytree(REPO / "theme", theme)
    conf = test_site / "pelicanconf.py"
    conf.write_text(conf.read_text() + f"\nTHEME = {str(theme)!r}\n")
    assert run_cli(test_site, "build", cache=chart_cache).returncode == 0
    for folder in (test_site / "content" / "pages", theme / "templates", theme / "charts"):
        add_editor_files(folder)
    again = run_cli(test_site, "build", cache=chart_cache)
    assert again.returncode == 0 and "Nothing changed" in again.stdout, again.stderr  # and the fingerprint skips them
    page = test_site / "content" / "pages" / "about.md"
    page.write_text(page.read_text() + "\nOne more line.\n")
    result = run_cli(test_site, "build", cache=chart_cache)
    assert result.returncode == 0, result.stderr
    assert "One more line." in (test_site / "output" / "about-the-data" / "index.html").read_text()
    assert not [p for p in (test_site / "output").rglob("*") if "about.md" in p.name or p.name in EDITOR_FILES]
    assert run_cli(test_site, "check").returncode == 0


def test_noop_notices_a_damaged_output_and_rebuilds(test_site, chart_cache):
    assert run_cli(test_site, "build", cache=chart_cache).returncode == 0
    out = test_site / "output"
    good = all_files(out)
    damages = [
        lambda: (out / "about-the-data" / "index.html").unlink(),
        lambda: (out / "index.html").write_text("<p>edited by hand</p>"),
        lambda: (out / "stray.html").write_text("<p>not ours</p>"),
    ]
    for damage in damages:
        damage()
        result = run_cli(test_site, "build", cache=chart_cache)
        assert result.returncode == 0 and "Nothing changed" not in result.stdout
        assert all_files(out) == good
    assert "Nothing changed" in run_cli(test_site, "build", cache=chart_cache).stdout


def descendants(pid: int) -> set[int]:
    """Every live process below `pid` (from /proc: children, their children…)."""
    parents = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if fields[0] != "Z":
                parents.setdefault(int(fields[1]), []).append(int(entry.name))
    found, todo = set(), [pid]
    while todo:
        for child in parents.get(todo.pop(), []):
            found.add(child)
            todo.append(child)
    return found


def alive(pids) -> set[int]:
    def running(pid):
        try:
            return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
        except OSError:
            return False

    return {pid for pid in pids if running(pid)}


def start_build(site: Path, cache: Path, *args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "plugins.figures.cli", "build", *args], cwd=site, env=build_env(cache),
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True, preexec_fn=terminal_ctrl_c,
    )


def edit_a_figure(site: Path, value: int) -> None:
    """failed_to_appear (shown by three charts in each edition) becomes `value`, its quote too."""
    figures = site / "data" / "figures.yaml"
    text = figures.read_text()
    assert "value: 32000" in text and "more than 32,000 UCs" in text
    figures.write_text(text.replace("value: 32000", f"value: {value}").replace("more than 32,000 UCs", f"more than {value:,} UCs"))


def wait_for_drawing(process: subprocess.Popen, at_least: int = 3) -> set[int]:
    """Wait until the build runs its fork server and drawing processes; return them."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and process.poll() is None:
        found = descendants(process.pid)
        if len(found) >= at_least:
            return found
        time.sleep(0.02)
    raise AssertionError("the build never started its drawing processes")


@pytest.mark.slow
def test_a_killed_build_leaves_no_process_and_the_next_build_is_fine(real_site, tmp_path, seeded_cache):
    # Every chart to draw: time to kill the build mid-way, however fast the machine (a few
    # charts were not enough on a loaded machine).
    process = start_build(real_site, tmp_path / "empty-cache")
    children = wait_for_drawing(process)
    process.kill()
    process.communicate()
    deadline = time.monotonic() + 5
    while alive(children) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not alive(children), "processes outlived the killed build"
    result = run_cli(real_site, "build", cache=seeded_cache)
    assert result.returncode == 0, result.stderr
    assert not build_leftovers(real_site), "the killed build's scratch folder is left"
    assert (real_site / "output" / "index.html").exists()


@pytest.mark.slow
def test_a_politely_killed_build_cleans_up_after_itself(real_site, tmp_path):
    """SIGTERM (the devserver stopping, a terminal closed) ends a build as Ctrl-C does: its scratch
    folder in memory goes with it, with no later build of the site needed to clear it."""
    process = start_build(real_site, tmp_path / "empty-cache")
    children = wait_for_drawing(process)
    process.terminate()
    _, err = process.communicate(timeout=60)
    assert process.returncode == 130 and "Build stopped: interrupted" in err, err
    deadline = time.monotonic() + 5
    while alive(children) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not alive(children)
    assert not build_leftovers(real_site)


def test_two_builds_at_once_both_succeed_with_a_consistent_site(test_site, chart_cache, tmp_path):
    reference = tmp_path / "reference"
    shutil.copytree(test_site, reference)
    assert run_cli(reference, "build", cache=chart_cache).returncode == 0
    for _ in range(2):
        page = test_site / "content" / "pages" / "about.md"
        page.write_text(page.read_text() + "\n")
        (reference / "content" / "pages" / "about.md").write_text(page.read_text())
        assert run_cli(reference, "build", cache=chart_cache).returncode == 0
        builds = [start_build(test_site, chart_cache), start_build(test_site, chart_cache, "--settings", "pelicanconf.py")]
        results = [(b.wait(timeout=300), *b.communicate()) for b in builds]
        assert [status for status, _, _ in results] == [0, 0], results
        assert all_files(test_site / "output") == all_files(reference / "output")
        assert not build_leftovers(test_site)
    assert "Nothing changed" in run_cli(test_site, "build", cache=chart_cache).stdout


@pytest.mark.slow
def test_ctrl_c_stops_with_one_line_and_keeps_the_site(built_real_copy, tmp_path):
    real_site = built_real_copy
    before = all_files(real_site / "output")
    edit_a_figure(real_site, 33126)
    # Every chart to draw: time to stop the build mid-way (a few charts were not enough on a loaded machine).
    process = start_build(real_site, tmp_path / "empty-cache")
    children = wait_for_drawing(process)
    os.killpg(process.pid, signal.SIGINT)  # as a terminal sends it: to every process of the build
    out, err = process.communicate(timeout=60)
    assert process.returncode == 130, out + err
    assert err == "Build stopped: interrupted (Ctrl-C). The site was not changed.\n", err
    assert all_files(real_site / "output") == before
    assert not build_leftovers(real_site)
    time.sleep(0.5)
    assert not alive(children)


def chattr(flag: str, path: Path) -> None:
    subprocess.run(["chattr", flag, str(path)], check=True, capture_output=True)


@pytest.mark.parametrize("folder, shown", [(".cache", ".cache"), ("output", "output"), (".", "./")])
def test_an_unwritable_cache_or_output_folder_is_one_line(test_site, chart_cache, folder, shown):
    """Made immutable (chattr +i), which stops root too: tests run as root here."""
    assert run_cli(test_site, "build", cache=chart_cache).returncode == 0
    before = all_files(test_site / "output")
    page = test_site / "content" / "pages" / "about.md"
    page.write_text(page.read_text() + "\nOne more line.\n")
    try:
        chattr("+i", test_site / folder)
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("chattr +i is not available here")
    try:
        result = run_cli(test_site, "build", cache=chart_cache)
    finally:
        chattr("-i", test_site / folder)
    assert result.returncode == 1
    assert first_line(result).startswith(f"{shown}: the build could not use this file or folder ("), result.stderr
    assert all_files(test_site / "output") == before
    assert not build_leftovers(test_site)


@pytest.mark.slow
def test_the_build_exits_normally_and_leaves_no_process(real_site, tmp_path, seeded_cache):
    """No os._exit (atexit handlers run, files are flushed) and no stopping of the fork
    server through multiprocessing's private attributes: it dies with the build."""
    hooks = tmp_path / "hooks"
    hooks.mkdir()
    marker = tmp_path / "exited"
    (hooks / "sitecustomize.py").write_text(f"import atexit, os\natexit.register(lambda: open({str(marker)!r}, 'a').write(f'{{os.getpid()}}\\n'))\n")
    edit_a_figure(real_site, 33127)  # charts to draw, by a fork server and its drawing processes
    env = {**build_env(seeded_cache), "PYTHONPATH": f"{hooks}{os.pathsep}{REPO}"}
    process = subprocess.Popen([sys.executable, "-m", "plugins.figures.cli", "build"], cwd=real_site, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    children = wait_for_drawing(process)
    out, err = process.communicate(timeout=300)
    assert process.returncode == 0, err
    # (The resource tracker that multiprocessing starts exits normally too.)
    assert str(process.pid) in marker.read_text().split(), "the build skipped the interpreter's normal exit"
    time.sleep(0.2)
    assert not alive(children), "the fork server or a drawing process outlived the build"
    source = (REPO / "plugins" / "figures" / "pool.py").read_text() + (REPO / "plugins" / "figures" / "cli.py").read_text()
    assert "_forkserver_pid" not in source and "os._exit" not in source


def test_a_build_killed_in_the_middle_of_its_swap_loses_no_site(test_site, chart_cache):
    """Killed between the swap's two renames, a build leaves the old site under another name: the next build puts it back."""
    assert run_cli(test_site, "build", cache=chart_cache).returncode == 0
    before = all_files(test_site / "output")
    (test_site / "output").rename(test_site / ".output-old-99999")
    (test_site / ".output-building-x1y2z3").mkdir()  # the new site, half-written
    figures = test_site / "data" / "figures.yaml"
    figures.write_text(figures.read_text().replace("value: 1000", "value: 1k", 1))  # and this build fails
    result = run_cli(test_site, "build", cache=chart_cache)
    assert result.returncode == 1
    assert all_files(test_site / "output") == before
    assert not build_leftovers(test_site)


# ---- house-lint: a successful build prunes the chart drawings nobody uses ----------------


@pytest.mark.slow
def test_a_successful_build_prunes_the_drawings_no_chart_uses(real_site, chart_cache, seeded_cache):
    out, cache = real_site / "output", real_site / ".cache" / "charts"
    shutil.copytree(seeded_cache, cache)  # the drawings the real site uses: the first build draws none
    own = {"FIGURES_CACHE_PATH": ""}  # the project's own .cache/charts/, whatever the environment says

    def cached() -> set[str]:
        return {p.name for p in cache.iterdir()}

    def shown() -> set[str]:
        """The hashes in the chart files of both editions (`charts/<id>.<hash[:10]>.<variant>.svg`)."""
        return {p.name.split(".")[1] for p in [*out.glob("charts/*.*.*"), *out.glob("es/charts/*.*.*")] if p.suffix in (".svg", ".png")}

    assert run_cli(real_site, "build", env=own).returncode == 0
    first = cached()
    assert first and {name[:10] for name in first} == shown()
    again = run_cli(real_site, "build", env=own)
    assert "Nothing changed" in again.stdout and cached() == first  # a no-op build prunes nothing
    page = real_site / "content" / "pages" / "glossary.md"
    page.write_text(page.read_text() + "\nOne more sentence.\n")
    edited = run_cli(real_site, "build", env=own)
    assert edited.returncode == 0 and "Nothing changed" not in edited.stdout
    assert cached() == first  # every chart still uses its drawing
    # A drawing of a chart since deleted, and something in the folder that is not a drawing.
    (cache / "0123456789abcdef").mkdir()
    (cache / "notes").mkdir()
    figures = real_site / "data" / "figures.yaml"
    figures.write_text(figures.read_text().replace("value: 32000", "value: 33123").replace("more than 32,000 UCs", "more than 33,123 UCs"))
    result = run_cli(real_site, "build", env=own)
    assert result.returncode == 0, result.stderr
    after = cached()
    gone, new = first - after, after - first - {"notes"}
    assert gone and len(gone) == len(new), (gone, new)  # the old drawings of the charts showing the figure
    assert {name[:10] for name in new} <= shown() and not {name[:10] for name in gone} & shown()
    assert {name[:10] for name in after - {"notes"}} == shown()
    assert "0123456789abcdef" not in after and "notes" in after
    # A failed build prunes nothing; nor does any build a cache shared through FIGURES_CACHE_PATH.
    figures.write_text(figures.read_text().replace("value: 33123", "value: 33k"))
    assert run_cli(real_site, "build", env=own).returncode == 1 and cached() == after
    figures.write_text(figures.read_text().replace("value: 33k", "value: 32000").replace("more than 33,123 UCs", "more than 32,000 UCs"))
    stranger = chart_cache / "fedcba9876543210"  # another project's drawing
    stranger.mkdir(parents=True, exist_ok=True)
    try:
        assert run_cli(real_site, "build", cache=chart_cache).returncode == 0
        assert stranger.is_dir()
    finally:
        stranger.rmdir()


def test_a_figure_edit_changes_every_claim_basis_and_leaves_no_stale_sum(real_site, chart_cache):
    """The sum a claim rests on is computed: one edit to figures.yaml moves it in both editions,
    the chart, its table and CSV, and the downloads; the old sum is left only in a fact-checker's quote."""
    figures = real_site / "data" / "figures.yaml"
    figures.write_text(figures.read_text().replace("value: 32000", "value: 33123").replace("more than 32,000 UCs", "more than 33,123 UCs"))
    result = run_cli(real_site, "build", cache=chart_cache)
    assert result.returncode == 0, result.stderr
    out = real_site / "output"
    # 291,000 + 33,123, "more than" carried.
    for prefix, text in (("", "more than 324,123"), ("es/", "más de 324,123")):
        page = soup_of(out / prefix / "what-was-said" / "index.html")
        assert text in page.select_one("#claim-vance_debate .claim-numbers").text, prefix
        assert text in page.select_one("#chart-claims_beside_counts img")["alt"], prefix
        assert text in page.select_one("#chart-claims_beside_counts table").text, prefix
        assert any(text in p.read_text() for p in (out / prefix / "charts").glob("claims_beside_counts.*.svg")), prefix
        # CBS News's own words keep the number it wrote; nothing else does.
        rest = page.get_text(" ").replace("the total 323,000 children referenced", "").replace("el total de 323,000 niños mencionado", "")
        assert "323,000" not in rest, prefix
    assert "324123" in (out / "charts" / "claims_beside_counts.csv").read_text()
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO((out / "downloads" / "claims.csv").read_text()))}
    assert rows["vance_debate"]["basis_value"] == "324123" and rows["vance_debate"]["value"] == "320000"


# ---- provenance (#16 items 5, 6): figure history, chart CSVs' provenance, the data package


def test_an_earlier_value_shows_in_its_source_note_and_the_downloads(test_site, chart_cache):
    figures = test_site / "data" / "figures.yaml"
    figures.write_text(figures.read_text().replace(
        '    quote: "more than 1,000 apples"\n',
        '    quote: "more than 1,000 apples"\n    history:\n      - value: 900\n        date: "2024-09-02"\n        why: newer count\n        source: paper\n',
    ))
    result = run_cli(test_site, "build", cache=chart_cache)
    assert result.returncode == 0, result.stderr
    # Not a repository: said once, on stdout, and the build goes on.
    assert "Notice: data/figures.yaml: the project is not a git repository" in result.stdout
    out = test_site / "output"
    note = soup_of(out / "index.html").select_one("#note-whole .figure-history")
    assert " ".join(note.text.split()) == "Earlier published value: 900, replaced on September 2, 2024 (a newer count). Source: The Paper."
    assert note.select_one("data")["value"] == "900" and note.select_one("time")["datetime"] == "2024-09-02"
    rows = list(csv.DictReader(io.StringIO((out / "downloads" / "history.csv").read_text())))
    assert rows == [{"id": "whole", "value": "900", "replaced_on": "2024-09-02", "why": "newer count", "source": "paper", "source_url": ""}]
    figures_csv = {r["id"]: r for r in csv.DictReader(io.StringIO((out / "downloads" / "figures.csv").read_text()))}
    assert figures_csv["whole"]["earlier_values"] == "900" and figures_csv["part"]["earlier_values"] == ""
    whole = json.loads((out / "downloads" / "figures.json").read_text())["figures"][0]
    assert whole["history"] == [{"id": "whole", "value": 900, "replaced_on": "2024-09-02", "why": "newer count", "source": "paper", "source_url": ""}]


def test_every_chart_csv_carries_each_figures_qualifier_period_and_sources(built_real_site):
    loaded = data_module.load(REPO / "data")
    checked = 0
    for chart_id in loaded.charts:
        text = (built_real_site / "charts" / f"{chart_id}.csv").read_text(encoding="utf-8")
        # The data package's copy is the same file.
        assert (built_real_site / "downloads" / "charts" / f"{chart_id}.csv").read_text(encoding="utf-8") == text
        rows = list(csv.DictReader(io.StringIO(text)))
        assert {"sources", "source_urls"} <= set(rows[0]), chart_id
        for row in rows:
            figure = loaded.figures.get(row.get("figure_id") or row.get("id"))  # a flow's rows name theirs `figure_id`
            if figure is None:
                continue
            years = figure.get("period", {}).get("fiscal_years") or ["", ""]
            assert row["qualifier"] == figure["qualifier"], (chart_id, row)
            assert (row["first_fiscal_year"], row["last_fiscal_year"]) == tuple(str(y) for y in years)
            assert row["as_of"] == str(figure.get("as_of", ""))
            assert row["sources"].split("; ") == list(figure["sources"])
            assert row["source_urls"].split("; ")[0] == loaded.sources[figure["sources"][0]]["url"]
            checked += 1
    assert checked >= 10  # every kind of chart that shows figures was read


@pytest.mark.parametrize("prefix", ["", "es/"])
def test_the_data_package_describes_every_download_and_frictionless_validates_it(built_real_site, prefix):
    from frictionless import Package

    folder = built_real_site / prefix / "downloads"
    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    paths = [r["path"] for r in descriptor["resources"]]
    assert sorted(paths) == sorted(str(p.relative_to(folder)) for p in folder.rglob("*.csv"))
    for resource in descriptor["resources"]:
        header = next(csv.reader(io.StringIO((folder / resource["path"]).read_text(encoding="utf-8"))))
        assert [f["name"] for f in resource["schema"]["fields"]] == header, resource["path"]
    assert descriptor["licenses"][0]["path"] == "https://creativecommons.org/licenses/by/4.0/"
    assert descriptor["citation"].endswith(f"https://figures.example.org/{prefix}downloads/. {'Licencia:' if prefix else 'License:'} CC BY 4.0.")
    assert "OIG-24-46" in descriptor["citation_primary_source"]
    assert {s["path"] for s in descriptor["sources"]} >= {"https://www.oig.dhs.gov/sites/default/files/assets/2024-08/OIG-24-46-Aug24.pdf"}
    report = Package(str(folder / "datapackage.json")).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "message"])
    # Every value of the typed columns was read as its type (a validator that reads nothing proves nothing).
    assert sum(task.stats.get("rows", 0) for task in report.tasks) > 40
    readme = (folder / "README.md").read_text(encoding="utf-8")
    assert all(f"`{p}`" in readme for p in paths) and "CC BY 4.0" in readme


def test_the_data_package_schema_refuses_a_value_that_is_not_a_number(built_real_site, tmp_path):
    """The field types are checked: a figure's value typed as words makes the package invalid."""
    from frictionless import Package

    folder = tmp_path / "downloads"
    shutil.copytree(built_real_site / "downloads", folder)
    figures = folder / "figures.csv"
    figures.write_text(figures.read_text(encoding="utf-8").replace(",448000,", ",448k,", 1), encoding="utf-8")
    report = Package(str(folder / "datapackage.json")).validate()
    assert not report.valid
    assert [e[1:] for e in report.flatten(["rowNumber", "fieldName", "type"])] == [["value", "type-error"]]


def test_every_social_card_names_the_site_above_its_title(built_real_site):
    """Item 7: a card travels without its page, so it carries the site's name and short address,
    in the band between the top rule and the title (nothing else is drawn there)."""
    from PIL import Image

    cards = sorted(built_real_site.rglob("*.social.png"))
    assert len(cards) >= 4
    for card in cards:
        image = Image.open(card).convert("L")
        band = image.crop((40, 14, 1160, 42))
        assert band.getextrema()[0] < 120, f"{card.name}: no site line above the title"
    loaded = data_module.load(REPO / "data")
    from plugins.figures import formatting

    spec = charts.resolve(loaded.charts[next(iter(loaded.charts))], loaded, formatting.edition("en", ""))
    assert "site_line" not in spec["layouts"]["social"]  # the line comes from the settings, added by the run
