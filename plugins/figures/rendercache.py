"""Pages rendered by Python-Markdown, kept by everything their HTML depends on.

Pelican's own content cache is keyed on the page's file alone: a figure edit in data/ would
serve the old number. Here an entry's key is the page's bytes, where it is and its edition,
together with a fingerprint of the run (`run_inputs`): the plugin's code, the theme's
templates and catalogues (the chart and source-note macros), the chart style sheets (the
drawings' hashed names), the MARKDOWN and FORMATTED_FIELDS settings and the libraries'
versions. Whatever changes any of them renders every page again; a page edit renders that
page only.

The data is the one input an entry is checked against rather than keyed on. An entry keeps
the fingerprint of every data file as the build loaded them (`data_inputs`, the editions'
texts included, and every chart as resolved, settings' additions too) and every question the
Markdown extension asked the data with its answer
(markdown_ext.Answers: a reference's text and value, a chart's <figure>, the source notes, a
line's problems). Same data: the entry is used as it is. Other data: the questions are asked
again, and if every answer is the same the page's HTML is too (it is made of the page's text
and these answers only), so a figure edit renders only the pages that show the figure.

An entry holds what the render gave Pelican and the plugin: the HTML, the metadata Markdown's
`meta` extension read, each formatted field's HTML, and the charts the page shows (which pick
its social card). A render that reported a problem is never kept, so a hit has no problem to
replay. Entries are JSON files written atomically; after a successful build those it did not
use are deleted (only from the project's own cache, as with the chart drawings).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sys
from pathlib import Path

# Bump when what an entry holds, or how it is replayed, changes.
FORMAT = b"render-cache 3"
_CODE = Path(__file__).parent


def _files(folder: Path) -> list[Path]:
    from .files import is_editor_file

    return sorted(p for p in folder.rglob("*") if p.is_file() and not is_editor_file(p.name)) if folder.is_dir() else []


def data_inputs(conf, specs: dict) -> str:
    """The fingerprint of every data file (every edition's data is made of them and the code) and of
    every chart as the build resolved it: a chart's drawings are named by a hash of its spec, which
    also holds what the settings add (the social card's site line, from SITENAME and SITE_ADDRESS)."""
    from .data import data_files

    digest = hashlib.sha256()
    for path in data_files(conf.data_path):
        digest.update(f"\0{path.name}\0".encode())
        digest.update(path.read_bytes())
    resolved = sorted([*key, spec] for key, spec in specs.items())
    digest.update(json.dumps(resolved, sort_keys=True, ensure_ascii=False, default=str).encode())
    return digest.hexdigest()


def run_inputs(settings, conf) -> bytes:
    """The fingerprint of everything a page's HTML depends on besides the page itself and the data."""
    from importlib import metadata

    digest = hashlib.sha256(FORMAT)
    versions = [sys.version]
    for package in ("markdown", "pelican", "jinja2", "babel", "markupsafe"):
        try:
            versions.append(f"{package} {metadata.version(package)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{package} none")
    options = [settings.get("MARKDOWN"), settings.get("FORMATTED_FIELDS"), settings.get("DEFAULT_LANG"), list(conf.languages)]
    digest.update(repr([versions, options]).encode())
    theme = Path(settings["THEME"])
    groups = {
        "code": sorted(_CODE.glob("*.py")),
        "templates": _files(theme / "templates"),
        "catalogues": _files(theme / "translations"),
        "style": _files(Path(conf.style_path)),
    }
    for group, paths in groups.items():
        for path in paths:
            digest.update(f"\0{group}\0{path.name}\0".encode())
            digest.update(path.read_bytes())
    return digest.digest()


class RenderCache:
    """One build's use of the cache: entries looked up and kept, and a count of renders."""

    def __init__(self, folder: Path, inputs: bytes, data: str):
        self.folder = folder
        self.inputs = inputs
        self.data = data  # data_inputs(): an entry made with other data has its answers checked
        self.used: set[str] = set()
        self.rendered: list[str] = []  # pages Markdown rendered (display paths), for FIGURES_DEBUG
        self.reused: list[str] = []  # pages taken from the cache
        self.rechecked: list[str] = []  # of those, pages whose questions were asked of new data

    def key(self, display: str, lang: str, raw: bytes) -> str:
        digest = hashlib.sha256(self.inputs)
        digest.update(f"\0{display}\0{lang}\0".encode())
        digest.update(raw)
        return digest.hexdigest()[:32]

    def get(self, key: str) -> dict | None:
        path = self.folder / f"{key}.json"
        try:
            entry = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):  # none yet, or a damaged one: render again
            return None
        if not isinstance(entry, dict) or set(entry) != {"content", "meta", "formatted", "charts_used", "data", "asked"}:
            return None
        self.used.add(key)
        return entry

    def put(self, key: str, entry: dict) -> None:
        """Written to a file of its own, then renamed: a reader sees a whole entry or none."""
        self.used.add(key)
        with contextlib.suppress(OSError):  # only a cache: a full disk renders again next time
            self.folder.mkdir(parents=True, exist_ok=True)
            scratch = self.folder / f".{key}.{os.getpid()}.tmp"
            scratch.write_text(json.dumps(entry, ensure_ascii=False, sort_keys=True), encoding="utf-8")
            os.replace(scratch, self.folder / f"{key}.json")

    def prune(self) -> list[str]:
        """Delete the entries this build did not use (and scratch files a killed build left)."""
        gone = []
        for path in sorted(self.folder.iterdir()) if self.folder.is_dir() else ():
            stale = path.suffix == ".json" and path.stem not in self.used
            if stale or (path.suffix == ".tmp" and path.name.startswith(".")):
                with contextlib.suppress(OSError):
                    path.unlink()
                    gone.append(path.name)
        return gone


class Replay:
    """Stands in for the Markdown object when a page comes from the cache, so that Pelican's own
    `_parse_metadata` reads the metadata as it did, each formatted field as it was rendered."""

    def __init__(self, entry: dict):
        self.Meta = {name: list(values) for name, values in entry["meta"].items()}  # noqa: N815 (Markdown's name)
        self._formatted = entry["formatted"]
        self.preprocessors = self

    def deregister(self, name) -> None:
        pass

    def reset(self):
        return self

    def convert(self, text: str) -> str:
        return self._formatted[text]
