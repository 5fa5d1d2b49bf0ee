"""Pelican plugin: figures from data/*.yaml into pages, charts and downloads.

Pelican calls `register()`; the wiring lives in pelican_plugin.py, imported
only then, so `make check` (cli.py) never pays for importing Pelican.
"""


def register():
    from .pelican_plugin import register as register_signals

    register_signals()
