"""Wires the figures modules to Pelican's signals.

Modules, one job each (see README.md in this folder). This file only wires
them to Pelican's signals, all registered in `register()` at the bottom.
"""

from __future__ import annotations

import datetime
import os
from pathlib import Path

from pelican import signals
from pelican.generators import Generator
from pelican.readers import MarkdownReader
from pelican.utils import get_relative_path

from . import assets, charts, data, downloads, headers, lint, references
from .context import TemplateData
from .errors import EditorError, EditorErrors
from .markdown_ext import FiguresExtension

STATE = "FIGURES_STATE"


class BuildState:
    """Per-build state, kept in the settings so parallel test builds don't mix."""

    def __init__(self, settings):
        root = Path(settings.get("FIGURES_ROOT") or Path(settings["PATH"]).parent)
        self.root = root
        self.data_dir = Path(settings.get("FIGURES_DATA_PATH") or root / "data")
        self.style_dir = Path(settings.get("FIGURES_STYLE_PATH") or root / "theme" / "charts")
        self.cache_dir = Path(settings.get("FIGURES_CACHE_PATH") or root / ".cache" / "charts")
        self.errors: list[EditorError] = []
        self.data = None
        self.extension = None

    def display(self, path) -> str:
        """A path as editors see it: relative to the project."""
        try:
            return os.path.relpath(path, self.root)
        except ValueError:
            return str(path)


def _state(settings) -> BuildState:
    return settings[STATE]


def initialized(pelican):
    settings = pelican.settings
    state = BuildState(settings)
    settings[STATE] = state
    try:
        state.data = data.load(state.data_dir, display_prefix=state.display(state.data_dir))
        state.errors.extend(lint.check_data_texts(state.data))
        pages = sorted(Path(settings["PATH"]).rglob("*.md"))
        templates = sorted(Path(settings["THEME"], "templates").rglob("*.html"))
        state.errors.extend(lint.typed_figures(pages + templates, state.data, state.display))
    except EditorErrors as exc:
        state.errors.extend(exc.errors)
        return
    state.extension = FiguresExtension(state.data, state.style_dir, state.errors)
    markdown = settings.setdefault("MARKDOWN", {})
    markdown.setdefault("extensions", []).append(state.extension)
    settings["FIGURES_DATA"] = TemplateData(state.data, state.style_dir)
    settings["CSS_FILE"] = assets.css_name(Path(settings["THEME"]))
    settings.setdefault("JINJA_FILTERS", {})["upper_first"] = lambda text: text[:1].upper() + text[1:]


class FiguresMarkdownReader(MarkdownReader):
    """Pelican's Markdown reader, telling our extension which file it reads."""

    def read(self, source_path):
        state = _state(self.settings)
        if state.extension is not None:
            state.extension.source_path = state.display(source_path)
        return super().read(source_path)


def readers_init(readers):
    for extension in MarkdownReader.file_extensions:
        readers.reader_classes[extension] = FiguresMarkdownReader


def content_object_init(content):
    """Resolve {root} links and plain-text references in metadata."""
    state = _state(content.settings)
    if state.data is None:
        return
    source = state.display(content.source_path) if content.source_path else "(content)"
    if state.extension is not None:
        content.charts_used = list(state.extension.charts_used)
    for key in ("title", "description", "summary"):
        value = content.metadata.get(key)
        if isinstance(value, str) and "{{" in value:
            problems = list(references.problems_in_text(value, state.data))
            for _, what, how in problems:
                state.errors.append(EditorError(source, None, f"in `{key}:`, {what}", how))
            if not problems:
                plain = references.render_plain(value, state.data)
                content.metadata[key] = plain
                setattr(content, key, plain)
    cards = content.metadata.get("cards")
    if isinstance(cards, str):
        for fid in (c.strip() for c in cards.split(",")):
            if fid not in state.data.figures:
                state.errors.append(EditorError(source, None, f"in `cards:`, unknown figure `{fid}`", f"use ids from data/figures.yaml: {', '.join(state.data.figures)}"))
    if content._content and "{root}" in content._content:
        settings = content.settings
        root = get_relative_path(content.save_as) if settings["RELATIVE_URLS"] else settings["SITEURL"]
        content._content = content._content.replace("{root}/", (root.rstrip("/") or ".") + "/")


def all_generators_finalized(generators):
    """Stop between reading and writing, so no template meets a bad id."""
    state = _state(generators[0].settings)
    if state.errors:
        raise EditorErrors(state.errors)


class FiguresGenerator(Generator):
    """Writes charts and downloads into the output folder."""

    def generate_output(self, writer):
        state = _state(self.settings)
        output = Path(self.output_path)
        specs = {cid: charts.resolve(c, state.data) for cid, c in state.data.charts.items()}
        charts.write(specs, output, state.cache_dir, state.style_dir)
        downloads.write(state.data, output)
        assets.write(Path(self.settings["THEME"]), output)
        headers.write(self.settings, output)


def feed_generated(context, feed):
    """An empty feed would be stamped with the time of the build: use the newest source's date."""
    state = context.get(STATE)
    if feed.items or state is None or state.data is None:
        return
    dates = [data.parse_date(s["date"]) for s in state.data.sources.values()]
    newest = max((d for d in dates if d), default=None)
    if newest is not None:
        stamp = datetime.datetime(newest.year, newest.month, newest.day, tzinfo=datetime.timezone.utc)
        feed.latest_post_date = lambda: stamp


def get_generators(pelican):
    return FiguresGenerator


def register():
    signals.initialized.connect(initialized)
    signals.readers_init.connect(readers_init)
    signals.content_object_init.connect(content_object_init)
    signals.all_generators_finalized.connect(all_generators_finalized)
    signals.get_generators.connect(get_generators)
    signals.feed_generated.connect(feed_generated)
