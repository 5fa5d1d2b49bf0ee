"""The tests' own harness: a run forked from tests/cli_server.py answers as the real command does.

`conftest.run_cli` runs the command line in a process forked from a server that has already imported
Pelican; these tests hold it to the real `python -m plugins.figures.cli` in a fresh interpreter, step by
step on two copies of one site: the same exit status, the same messages, the same files built.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from conftest import CLI_SERVER, all_files, break_base_template, run_cli


def same_answer(forked, fresh) -> None:
    assert forked.returncode == fresh.returncode, (forked, fresh)
    # Pelican's summary says how long it took: the only words allowed to differ.
    timing = re.compile(r"in \d+(\.\d+)? seconds")
    assert timing.sub("in … seconds", forked.stdout) == timing.sub("in … seconds", fresh.stdout)
    assert forked.stderr == fresh.stderr


def test_a_forked_run_answers_as_a_fresh_interpreter_does(test_site, chart_cache, tmp_path):
    twin = tmp_path / "twin"
    shutil.copytree(test_site, twin)
    page = Path("content") / "pages" / "about.md"
    steps = [
        (None, ("build",)),  # a first build
        (None, ("build",)),  # nothing changed
        (lambda text: text + "\nA new sentence.\n", ("build",)),  # an edit
        (lambda text: text + "\nAnd {{ hole }} more.\n", ("build",)),  # a bad edit: one line, exit 1
        (None, ("check",)),
        (lambda text: text.replace("\nAnd {{ hole }} more.\n", "\n"), ("check",)),
        (None, ("build", "--drafts")),
    ]
    forked_before = CLI_SERVER.runs
    answers = []
    for edit, args in steps:
        for site in (test_site, twin):
            if edit:
                (site / page).write_text(edit((site / page).read_text()))
        forked = run_cli(test_site, *args, cache=chart_cache)
        fresh = run_cli(twin, *args, cache=chart_cache, fresh=True)
        same_answer(forked, fresh)
        assert all_files(test_site / "output") == all_files(twin / "output"), args
        answers.append(forked)
    assert CLI_SERVER.runs - forked_before == len(steps), "some runs were not forked"
    # The steps did what they say (so that the comparison above covers each kind of answer).
    assert [a.returncode for a in answers] == [0, 0, 0, 1, 1, 0, 0]
    assert "Nothing changed" in answers[1].stdout and "Nothing changed" not in answers[2].stdout
    assert "unknown figure `hole`" in answers[3].stderr


def test_a_traceback_for_developers_ends_the_same(test_site, chart_cache, tmp_path):
    """FIGURES_DEBUG=1 lets a build error through as a traceback: exit status 1 and the same last line."""
    break_base_template(test_site, tmp_path)
    twin = tmp_path / "twin"
    shutil.copytree(test_site, twin)
    forked = run_cli(test_site, "build", cache=chart_cache, env={"FIGURES_DEBUG": "1"})
    fresh = run_cli(twin, "build", cache=chart_cache, env={"FIGURES_DEBUG": "1"}, fresh=True)
    assert forked.returncode == fresh.returncode == 1
    assert "Traceback" in forked.stderr and forked.stderr.splitlines()[-1] == fresh.stderr.splitlines()[-1]


def test_an_environment_a_fork_cannot_honour_gets_a_fresh_interpreter(test_site):
    """A locale or time zone is read as the interpreter starts, which a forked child does not repeat."""
    before = CLI_SERVER.runs
    assert run_cli(test_site, "check", env={"TZ": "Asia/Tokyo"}).returncode == 0
    assert CLI_SERVER.runs == before
    assert run_cli(test_site, "check", env={"FIGURES_VERBOSE": "1"}).returncode == 0
    assert CLI_SERVER.runs == before + 1


def test_an_xdist_group_runs_on_one_worker(tmp_path):
    """pytest.ini's `--dist loadgroup` keeps a group on one worker: a reader view and its page's budget
    (browser/conftest.LOADED), the checker's one run (test_validity.py). pytest 9.2 silently broke it
    (pytest-xdist issue #1386: every test dealt out alone, the shared work done once per worker), hence
    the pin in requirements-test.txt; this fails if an upgrade breaks it again."""
    import subprocess
    import sys

    (tmp_path / "test_grouped.py").write_text(
        "import pytest\n"
        "pytestmark = pytest.mark.xdist_group('one')\n"
        + "".join(f"def test_{i}(): pass\n" for i in range(6)),
        encoding="utf-8",
    )
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-o", "addopts=", "-n", "2", "--dist", "loadgroup", "-v", "test_grouped.py"],
        cwd=tmp_path, capture_output=True, text=True, timeout=120,
    )
    workers = re.findall(r"^\[(gw\d+)\] .*PASSED", result.stdout, re.M)
    assert len(workers) == 6, result.stdout + result.stderr
    assert len(set(workers)) == 1, f"the group was split over {sorted(set(workers))}:\n{result.stdout}"
