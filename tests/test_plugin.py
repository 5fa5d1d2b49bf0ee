"""The plugin as a Pelican plugin: one import name, its settings checked, its state per run."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from conftest import build_env

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
