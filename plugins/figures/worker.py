"""The devserver's warm build worker: Python, Pelican, the plugin and matplotlib loaded once.

A build in a fresh process spends most of a page edit starting Python and importing
Pelican, Jinja, Markdown, Babel and the plugin (and, for a figure edit, matplotlib in the
drawing processes). The worker does that once, then builds each save in a process forked
from itself: the fork starts with everything loaded, runs `cli.build` exactly as
`make html` does (the lock, the scratch folder and the swap), and exits. So every build
still starts from the same clean state (each has its own `FiguresRun`, nothing a build
leaves behind reaches the next), and a build that crashes takes only its own fork down.

The devserver talks to it over pipes (`Worker` in devserver.py): one JSON line on stdin
per build; the build's stdout goes to the terminal, its stderr comes back line by line,
followed by `DONE <exit status>`. The devserver starts a new worker when the plugin's
code or the settings files change (what the worker imported would be stale), and after
the worker itself dies.

    python -m plugins.figures.worker      (run by the devserver, in the project's folder)
"""

from __future__ import annotations

import json
import os
import signal
import sys

# The line after each build's stderr: never one a build prints (no `path:LINE: …` starts so).
DONE = "\0figures-worker-done "
# The line a build says as soon as its new site is in place (its downloads and cards still to come).
SWAPPED = "\0figures-worker-swapped"
READY = "\0figures-worker-ready"
PARENT = "FIGURES_DEVSERVER_PID"  # set by the devserver: the worker checks it is still there


def warm() -> None:
    """Import what every build imports, and what the drawing processes need, once."""
    import pelican  # noqa: F401
    import pelican.generators  # noqa: F401
    import pelican.readers  # noqa: F401
    import pelican.settings  # noqa: F401
    import pelican.writers  # noqa: F401

    from . import cli, data, pelican_plugin, pool  # noqa: F401

    # What the drawing processes' fork server would import (matplotlib, its fonts and renderers):
    # here, a drawing process forked from a build inherits it. Marked as that server, preload
    # skips the server's own set-up.
    os.environ[pool.SERVER] = str(os.getpid())
    import importlib

    importlib.import_module(".preload", __package__)
    pool.FORK_FROM_WARM = True
    # What a build imports or compiles only when it needs it (num2words, the house-style and
    # typed-figure patterns, Babel's locale data, the Markdown extensions): `make check` meets
    # nearly all of it and writes nothing. Its caches are pure functions of their arguments.
    import contextlib

    with open(os.devnull, "w") as null, contextlib.redirect_stdout(null), contextlib.redirect_stderr(null), contextlib.suppress(Exception):
        cli.check()
        from markdown import Markdown

        Markdown(**cli._read_settings(cli.ROOT)[0].get("MARKDOWN", {})).convert("*warm*")
        # What only a data edit needs, which a check of cached data skips: jsonschema and its
        # validator (~0.1 s to import), PyYAML (yamlfile) and num2words (the typed-figure check spells
        # a new value out). Then Babel's locale data, loaded on the first number or date written (~30 ms a locale).
        data._validator_class()
        import num2words  # noqa: F401

        from . import formatting, yamlfile  # noqa: F401

        for lang in formatting.LOCALES:
            edition = formatting.edition(lang, "")
            formatting.number(1, edition)
            formatting.date_text("2024-05", edition)
            formatting.date_text("2024-05-01", edition)


def build(request: dict) -> int:
    """One build, in a fork of this warm process: its exit status."""
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:  # the build
        code = 1
        try:
            signal.signal(signal.SIGINT, signal.default_int_handler)
            from . import cli, pool

            os.environ[pool.SERVER] = str(os.getpid())  # the drawing processes are forked from here
            code = cli.build(drafts=bool(request.get("drafts")), swapped=lambda: say(SWAPPED))
        except BaseException:  # noqa: BLE001 — reported as the fresh process would: a traceback, a status
            import traceback

            traceback.print_exc()
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(code)  # no exit handlers, no garbage collection: the worker's copies stay as they were
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status)


def say(line: str) -> None:
    """A line to the devserver, on the stderr it reads (the build's own lines come the same way)."""
    sys.stderr.write(line + "\n")
    sys.stderr.flush()


def main() -> int:
    # Ctrl-C in the terminal reaches the whole group: the build answers it, the worker just ends.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    os.environ.setdefault("MPLCONFIGDIR", os.path.join(os.getcwd(), ".cache", "matplotlib"))
    from . import pool

    pool.die_with_parent(PARENT)  # the devserver gone, the worker goes too (even after kill -9)
    warm()
    # The project's own modules now loaded: when one changes, the devserver starts a new worker.
    here = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    modules = sorted(
        m.__file__ for m in list(sys.modules.values())
        if getattr(m, "__file__", None) and m.__file__.startswith((here + os.sep, os.getcwd() + os.sep)) and f"{os.sep}.venv{os.sep}" not in m.__file__
    )
    say(READY + json.dumps(modules))
    for line in sys.stdin:
        say(f"{DONE}{build(json.loads(line))}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
