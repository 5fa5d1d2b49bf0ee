"""The plugin as a Pelican plugin: one import name, its settings checked, its state per run."""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from conftest import REPO, build_env

# Run in a fresh process: which modules a build imports is the question.
IMPORTED_AS = textwrap.dedent(
    """
    import sys
    from plugins.figures import cli
    status = cli.build(root=__import__("pathlib").Path.cwd())
    print("status", status)
    print("other names", sorted(m for m in sys.modules if m.split(".")[0] == "figures"))
    """
)


def test_the_plugin_is_imported_under_one_name(test_site, chart_cache):
    """Pelican and the command line share `plugins.figures`: an error raised inside Pelican is ours.

    Under two names (`figures` and `plugins.figures`) there would be two EditorErrors
    classes, and the command line's `isinstance` would miss the one Pelican raised:
    the editor would get `build error: EditorErrors…` instead of the line to fix.
    """
    page = test_site / "content" / "pages" / "about.md"
    page.write_text(page.read_text().replace("{{ whole }}", "{{ no_such_figure }}"))
    result = subprocess.run([sys.executable, "-c", IMPORTED_AS], cwd=test_site, env=build_env(chart_cache), capture_output=True, text=True, timeout=300)
    assert "status 1" in result.stdout, result.stdout + result.stderr
    assert "other names []" in result.stdout, result.stdout
    first = result.stderr.splitlines()[0]
    assert first.startswith("content/pages/about.md:6: ") and "no_such_figure" in first, result.stderr
    assert "Traceback" not in result.stderr and "build error" not in result.stderr


# ---- the settings: one FIGURES dict, checked ----


def test_settings_defaults_fill_what_is_not_set(tmp_path):
    from plugins.figures import config

    checked = config.check({"PATH": str(tmp_path / "content"), "DEFAULT_LANG": "en"})
    assert checked.languages == ("en",) and checked.data_path == tmp_path / "data"
    assert checked.style_path == tmp_path / "theme" / "charts" and checked.frame_ancestors == "'none'"
    assert set(checked.as_dict()) == set(config.SETTINGS)


def test_settings_mistakes_are_named_at_their_line(tmp_path):
    from plugins.figures import config
    from plugins.figures.errors import EditorErrors

    conf = tmp_path / "pelicanconf.py"
    conf.write_text('FIGURES = {\n    "languages": ["es", "en"],\n    "langauges": ["en"],\n    "http_headers": [],\n}\n')
    settings = {"PATH": str(tmp_path / "content"), "DEFAULT_LANG": "en", "FIGURES": {"languages": ["es", "en"], "langauges": ["en"], "http_headers": []}}
    try:
        config.check(settings, conf)
    except EditorErrors as exc:
        lines = [e.one_line() for e in exc.errors]
    else:
        raise AssertionError("bad settings accepted")
    assert lines == [
        "pelicanconf.py:2: FIGURES['languages'] starts with 'es', but DEFAULT_LANG is 'en' — put 'en' first",
        "pelicanconf.py:3: FIGURES['langauges']: no such setting — did you mean 'languages'? (plugins/figures/README.md lists them)",
        "pelicanconf.py:4: FIGURES['http_headers'] is [], not a dict — write a dict, e.g. {\"Name\": \"value\"}",
    ]


def test_every_setting_is_in_the_readme_table():
    from plugins.figures import config

    readme = (REPO / "plugins" / "figures" / "README.md").read_text()
    assert [key for key in config.SETTINGS if f"| `{key}` |" not in readme] == []


# ---- state on a run, reset per run ----


def _settings(site: Path):
    from pelican.settings import read_settings

    return read_settings(str(site / "pelicanconf.py"), override={"OUTPUT_PATH": str(site / "output")})


def _set_apples(site: Path, count: int) -> None:
    figures = site / "data" / "figures.yaml"
    text = re.sub(r"value: \d+\n(    qualifier: more than)", rf"value: {count}\n\1", figures.read_text(), count=1)
    figures.write_text(re.sub(r'quote: "more than [\d,]+ apples"', f'quote: "more than {count:,} apples"', text))


def _home(site: Path) -> str:
    return (site / "output" / "index.html").read_text()


@pytest.fixture
def in_process(monkeypatch, chart_cache):
    """Builds in this process, as the house-tests harness will run them, with the shared chart cache."""
    monkeypatch.setenv("FIGURES_CACHE_PATH", str(chart_cache))
    monkeypatch.setenv("MPLCONFIGDIR", str(REPO / ".cache" / "matplotlib"))


def test_two_pelican_runs_in_one_process_each_see_their_own_data(test_site, in_process):
    from pelican import Pelican

    from plugins.figures import pelican_plugin

    for count in (1200, 1300):
        _set_apples(test_site, count)
        settings = _settings(test_site)
        Pelican(settings).run()
        assert f"more than {count:,}" in _home(test_site)
        # Nothing of the run is left in the settings (which reach every template) or in the module.
        assert not [key for key in settings if key.startswith("FIGURES_") or key == "LANG_PREFIX"]
        assert pelican_plugin._RUN is None


def test_pelican_autoreload_rerun_reads_the_data_again(test_site, in_process):
    """`pelican -r` calls run() again on the same Pelican object after a save: the run starts afresh."""
    from pelican import Pelican

    _set_apples(test_site, 1200)
    pelican = Pelican(_settings(test_site))
    pelican.run()
    first = pelican.figures_run
    assert "more than 1,200" in _home(test_site)
    _set_apples(test_site, 1300)
    pelican.run()
    assert pelican.figures_run is not first
    assert "more than 1,300" in _home(test_site) and "more than 1,200" not in _home(test_site)


def test_a_failed_run_leaves_nothing_for_the_next(test_site, in_process):
    """A run stopped by an editor's mistake is never finalized: the next one starts clean all the same."""
    from pelican import Pelican

    from plugins.figures.errors import EditorErrors

    page = test_site / "content" / "pages" / "about.md"
    good = page.read_text()
    page.write_text(good.replace("{{ whole }}", "{{ no_such_figure }}"))
    with pytest.raises(EditorErrors):
        Pelican(_settings(test_site)).run()
    page.write_text(good)
    _set_apples(test_site, 1300)
    Pelican(_settings(test_site)).run()
    assert "more than 1,300" in _home(test_site)


def test_the_command_line_builds_twice_in_one_process(test_site, in_process, capsys):
    """cli.build() in-process, as a test harness calls it: each build its own data, and a mistake its one line."""
    from plugins.figures import cli

    _set_apples(test_site, 1200)
    assert cli.build(root=test_site) == 0
    assert "more than 1,200" in _home(test_site)
    _set_apples(test_site, 1300)
    assert cli.build(root=test_site) == 0
    assert "more than 1,300" in _home(test_site)
    conf = test_site / "pelicanconf.py"
    conf.write_text(conf.read_text() + 'FIGURES = {**FIGURES, "langauges": ["en"]}\n')
    capsys.readouterr()
    assert cli.build(root=test_site) == 1
    line = len(conf.read_text().splitlines())
    assert capsys.readouterr().err.splitlines()[0].startswith(f"pelicanconf.py:{line}: FIGURES['langauges']: no such setting — did you mean 'languages'?")
    assert "more than 1,300" in _home(test_site)  # the site as it was


def test_a_mistake_the_checks_find_stops_the_run_before_any_page_is_read(test_site, in_process, monkeypatch):
    """What checks.run_all finds (what `make check` says) stops the run at get_generators: Pelican
    reads no page (reading and rendering them all only to stop cost a second a failed save)."""
    from pelican import Pelican
    from pelican.readers import Readers

    from plugins.figures.errors import EditorErrors

    read = []
    real = Readers.read_file
    monkeypatch.setattr(Readers, "read_file", lambda self, *a, **k: read.append(k.get("path", a[1:2])) or real(self, *a, **k))
    Pelican(_settings(test_site)).run()
    assert read, "the spy saw no page read by a good build: it would pass whatever happens"
    read.clear()
    page = test_site / "content" / "pages" / "about.md"
    page.write_text(page.read_text().replace("{{ whole }}", "{{ no_such_figure }}"))
    with pytest.raises(EditorErrors) as stopped:
        Pelican(_settings(test_site)).run()
    assert "no_such_figure" in stopped.value.errors[0].one_line()
    assert read == []
