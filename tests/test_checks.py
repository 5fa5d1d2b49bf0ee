"""`make check` knows where the build writes each page and file (plugins/figures/addresses.py) without
Pelican: held here against what Pelican computes and writes in real builds of the real site, the small
test site and a test site with the cases the real ones lack (no `Slug:`, accents, hidden, draft,
`.markdown`, an update named by its title, a static file), so the two cannot drift apart silently."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from conftest import REPO, SKIP, TEST_SITE, build_env, run_cli

# Run in the site's folder, in a process of its own (Pelican's signals are process-wide): the
# check's plan first, as `make check` makes it, then a real build (cli.build, with its settings),
# recording what Pelican placed where.
PROBE = textwrap.dedent('''
    import json, os, sys
    from pathlib import Path
    from pelican import signals
    from plugins.figures import checks, cli, config, i18n, links, pages
    from plugins.figures.pelican_plugin import CONTENT_LISTS

    root = Path.cwd()
    settings, _ = cli._read_settings(root)
    conf = config.check(settings, root / "pelicanconf.py")
    found = checks.run_all(settings, conf, i18n.Translator(Path(settings["THEME"]), settings["DEFAULT_LANG"]), lambda p: os.path.relpath(p, root))
    assert found.complete and not found.errors, [e.one_line() for e in found.errors]
    plan = checks.planned(settings, found)
    accepted = []  # every link target the check accepts: (page, address, target)
    for item in plan.items:
        for _, url, _ in pages.links_in(Path(item.source_path).read_text(encoding="utf-8")):
            target, _, problem = links._resolve(plan.site, item.save_as, url, settings.get("SITEURL", ""))
            if not url.startswith("{") and problem is None and target is not None:
                accepted.append((item.source_path, url, target))
    for _, link in [*settings["MAIN_MENU"], *settings["GUIDE_PAGES"]]:
        for prefix in plan.prefixes:
            target, _, problem = links._resolve(plan.site, "index.html", f"/{prefix}{link}", "")
            accepted.append(("menu", f"/{prefix}{link}", target if problem is None else None))
    placed = {}

    def record(generators):
        for generator in generators:
            for name in (*CONTENT_LISTS, "hidden_articles"):
                for item in getattr(generator, name, []):
                    placed[item.source_path] = [item.save_as or None, item.url if item.save_as else None]

    signals.all_generators_finalized.connect(record)
    status = cli.build(root=root)
    json.dump({
        "status": status,
        "check": {a.source_path: [a.save_as, a.url] for a in plan.items},
        "pelican": {k: v for k, v in placed.items() if v[0]},
        "files": sorted(plan.site.files), "folders": list(plan.folders), "accepted": accepted,
    }, sys.stdout)
''')


def probe(site: Path, cache: Path) -> dict:
    result = subprocess.run([sys.executable, "-c", PROBE], cwd=site, env=build_env(cache), capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout.strip().splitlines()[-1])
    assert found["status"] == 0, result.stderr
    return found


def with_odd_pages(site: Path) -> Path:
    """The cases the real site lacks, each a page or file Pelican places by its own rules."""
    pages, updates = site / "content" / "pages", site / "content" / "updates"
    (pages / "sub").mkdir()
    updates.mkdir()
    (site / "content" / "static").mkdir()
    (site / "content" / "static" / "notes.txt").write_text("notes\n")
    files = {
        pages / "que-paso.md": "Title: ¿Qué pasó? Niños & “sponsors”, año 2024\nDescription: An accented title.\n\n"
        "See [the notes](../static/notes.txt), [the data](../about-the-data/) and [the hidden page](../hidden-one/).\n",
        pages / "sub" / "deep.md": "Title: A page in a folder\nDescription: No slug either.\n\nText.\n",
        pages / "hidden.markdown": "Title: Hidden page\nSlug: hidden-one\nStatus: hidden\nDescription: Hidden.\n\nText.\n",
        pages / "draft.md": "Title: Draft page\nStatus: draft\nDescription: A draft.\n\nText.\n",
        pages / "custom.md": "Title: Custom\nSlug: custom\nSave_as: custom.html\nURL: custom.html\nDescription: Its own file.\n\nText.\n",
        updates / "2025-01-02-note.md": "Title: A short note\nDate: 2025-01-02\nDescription: An update.\n\nText.\n",
    }
    for path, text in files.items():
        path.write_text(text, encoding="utf-8")
    conf = site / "pelicanconf.py"
    conf.write_text(conf.read_text() + '\nMAIN_MENU = [*MAIN_MENU, ("Custom", "custom.html")]\n')
    return site


@pytest.fixture(params=["real", "test_data", "odd"])
def probed(request, tmp_path, chart_cache) -> tuple[str, Path, dict]:
    site = tmp_path / "site"
    shutil.copytree(REPO if request.param == "real" else TEST_SITE, site, ignore=SKIP)
    if request.param == "odd":
        with_odd_pages(site)
    return request.param, site, probe(site, chart_cache)


def test_check_places_every_page_where_pelican_does(probed):
    """Every page's and update's save_as and url, as the check computes them and as Pelican did."""
    name, site, found = probed
    assert found["check"] == found["pelican"]
    # Not vacuous: every page and update of the site is there, but the draft (never written).
    sources = [p for p in (site / "content").rglob("*") if p.suffix in (".md", ".markdown") and p.name != "draft.md"]
    assert sorted(found["pelican"]) == sorted(str(p) for p in sources)
    if name == "odd":
        saved = {Path(k).name: v for k, v in found["check"].items()}
        assert saved["que-paso.md"] == ["que-paso-ninos-sponsors-ano-2024/index.html", "que-paso-ninos-sponsors-ano-2024/"]
        assert saved["2025-01-02-note.md"] == ["updates/a-short-note/index.html", "updates/a-short-note/"]
        assert "draft.md" not in saved and "hidden.markdown" in saved


def test_what_the_check_says_is_written_is_what_the_build_writes(probed):
    """Each file the check lists is in the built output; each built file is listed, or in a folder the
    build fills itself (drawings, downloads: the build's last check resolves links to those)."""
    _, site, found = probed
    built = {p.relative_to(site / "output").as_posix() for p in (site / "output").rglob("*") if p.is_file()}
    listed = set(found["files"])
    assert listed - built == set()
    unlisted = {f for f in built - listed if not (f.startswith(tuple(found["folders"])) and not f.endswith(".html"))}
    assert unlisted == set()


def test_every_link_the_check_accepts_leads_to_a_built_file(probed):
    name, site, found = probed
    built = {p.relative_to(site / "output").as_posix() for p in (site / "output").rglob("*") if p.is_file()}
    assert found["accepted"], "no link was checked"
    for page, url, target in found["accepted"]:
        assert target in built, f"{page}: `{url}` accepted, but the build wrote no {target}"
    if name == "odd":  # the page's own relative links, to a static file, a page and a hidden page
        assert {url for page, url, _ in found["accepted"] if page.endswith("que-paso.md")} == {"../static/notes.txt", "../about-the-data/", "../hidden-one/"}


@pytest.mark.parametrize("which", ["real", "test_data"])
def test_check_finds_nothing_in_a_good_site(which, tmp_path):
    """No false alarm: `check` passes the real project and the small test site as they are."""
    site = tmp_path / "site"
    shutil.copytree(REPO if which == "real" else TEST_SITE, site, ignore=SKIP)
    result = run_cli(site, "check")
    assert result.returncode == 0, result.stderr


def test_pelicans_defaults_and_slugify_are_those_addresses_follows():
    """addresses.py copies a few of Pelican's defaults and its slugify: compared with Pelican's own."""
    from pelican.readers import MarkdownReader
    from pelican.settings import DEFAULT_CONFIG
    from pelican.utils import slugify

    from plugins.figures import addresses

    for key, value in addresses.PELICAN_DEFAULTS.items():
        assert DEFAULT_CONFIG[key] == value, key
    assert tuple(MarkdownReader.file_extensions) == addresses.MARKDOWN_EXTENSIONS
    subs = DEFAULT_CONFIG["SLUG_REGEX_SUBSTITUTIONS"]
    for title in ("¿Qué pasó?", "Niños & “sponsors”", "  Two  spaces -- and dashes ", "<b>Bold</b> &amp; more", "Ünïcödé ½ ﬁ", "Straße 2024: a–b"):
        assert addresses.slugify(title, {}) == slugify(title, regex_subs=subs), title


def test_a_collision_is_said_once_by_the_build_and_check_says_the_same(test_site, chart_cache):
    """checks.run_all finds it from the addresses it computed and the build stops there, before its own
    check after Pelican (pelican_plugin._collisions) would say it again: each line once, the same in both."""
    page = test_site / "content" / "pages" / "about.md"
    page.write_text(page.read_text().replace("Slug: about-the-data\n", "Slug: about-the-data\nSave_as: index.html\n"))
    build, check = run_cli(test_site, "build", cache=chart_cache), run_cli(test_site, "check")
    assert build.returncode == check.returncode == 1
    lines = [line for line in build.stderr.splitlines() if "would be written to `index.html`" in line]
    assert len(lines) == 2 and len(set(lines)) == 2, build.stderr  # about.md and home.md, each once
    assert check.stderr.splitlines() == build.stderr.splitlines()


def test_a_correction_names_a_page_by_the_slug_pelican_gives_it(test_site):
    """A page without `Slug:` is named by its title, slugified as Pelican does, not by its file name."""
    (test_site / "content" / "pages" / "notes-draft-name.md").write_text(
        "Title: Apple Counts Explained\n\nThe counts, explained.\n", encoding="utf-8")
    log = test_site / "data" / "corrections.yaml"
    good = log.read_text(encoding="utf-8").replace("pages: [about-the-data]", "pages: [about-the-data, apple-counts-explained]")
    log.write_text(good, encoding="utf-8")
    assert run_cli(test_site, "check").returncode == 0
    log.write_text(good.replace("apple-counts-explained]", "notes-draft-name]"), encoding="utf-8")
    result = run_cli(test_site, "check")
    assert result.returncode == 1
    assert "correction first-correction names a page `notes-draft-name` that does not exist" in result.stderr.splitlines()[0], result.stderr
    assert "apple-counts-explained" in result.stderr.splitlines()[0]
