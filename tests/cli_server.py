"""Runs the command line in processes forked from one that has already imported Pelican and its libraries.

A fresh `python -m plugins.figures.cli build` spends about half a second of CPU starting the
interpreter and importing Pelican, Jinja, Markdown, Babel, PyYAML and jsonschema before it does
anything, and the tests run several hundred builds and checks. This server (one per test process,
started by `conftest.run_cli`) imports those libraries once, then reads one request per line on
stdin: `{"cwd", "args", "env", "stdout", "stderr"}`. For each it forks a child that becomes
`python -m plugins.figures.cli ARGS` run in CWD with exactly ENV: `sys.argv`, `sys.path[0]` and the
working directory as `python -m` sets them, its stdout and stderr written to the two files, the module
run as `__main__` by runpy. The child is a process of its own: the exit status comes from the kernel,
the messages from its file descriptors 1 and 2, and the plugin and Pelican are imported by the child,
fresh, from the code the real command would find (the copy's `plugins/` when the site has one), so no
state can leak from one build into the next. What the child does not repeat is the interpreter's
start-up and the third-party imports, which no test is about; tests about those (the entry point's
imports, the locale, the time zone, a killed build) start a real process.

The server answers each request with two lines on stdout: the child's pid when it starts (so the
caller can kill it on a timeout), then its exit status in subprocess's convention (-N: killed by N).
"""

from __future__ import annotations

import json
import os
import sys

# Imported once here, shared by every child (copy-on-write). Third-party only: the plugin itself is
# imported by each child, from wherever the real command would import it.
PRELOAD = [
    "argparse", "csv", "fcntl", "gettext", "html.parser", "logging", "multiprocessing.forkserver", "concurrent.futures",
    "pelican", "pelican.settings", "pelican.readers", "pelican.generators", "pelican.writers", "pelican.contents", "pelican.utils",
    "markdown", "markdown.extensions.extra", "markdown.extensions.toc", "markdown.extensions.meta", "markdown.extensions.attr_list",
    "jinja2", "jinja2.ext", "babel", "babel.dates", "babel.numbers", "babel.support", "babel.messages.extract", "babel.messages.pofile",
    "yaml", "jsonschema", "num2words", "feedgenerator", "docutils.core", "pygments",
]


def _child(request: dict) -> None:
    """Become `python -m plugins.figures.cli ARGS` in CWD. Never returns: the module ends with sys.exit."""
    import runpy

    os.setpgid(0, 0)  # its own group, so that a timeout ends it with what it started
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])
    write = os.O_WRONLY | os.O_CREAT | os.O_TRUNC
    for fd, path, flags in ((0, os.devnull, os.O_RDONLY), (1, request["stdout"], write), (2, request["stderr"], write)):
        opened = os.open(path, flags, 0o644)
        os.dup2(opened, fd)
        os.close(opened)
    # `python -m` puts the working directory first on the path and the module's own file in argv[0].
    sys.path[0] = os.getcwd()
    sys.argv = ["plugins.figures.cli", *request["args"]]
    runpy.run_module("plugins.figures.cli", run_name="__main__", alter_sys=True)
    sys.exit(0)  # the module always exits itself; this only guards against running on as the server


def main() -> None:
    import gc
    import importlib

    for name in PRELOAD:
        importlib.import_module(name)
    # Children never walk the preloaded objects in their collections (nor copy their pages by touching them).
    gc.freeze()
    replies = os.fdopen(os.dup(1), "w", buffering=1)
    requests = os.fdopen(os.dup(0), "r")
    for line in requests:
        request = json.loads(line)
        pid = os.fork()
        if pid == 0:
            # The child: no `with` or `finally` of the server's may run in it; SystemExit from the
            # command ends it as the interpreter's normal exit (atexit handlers, flushed files).
            requests.close()
            replies.close()
            _child(request)
        replies.write(f"{pid}\n")
        _, status = os.waitpid(pid, 0)
        replies.write(f"{os.waitstatus_to_exitcode(status)}\n")


if __name__ == "__main__":
    main()
