"""Wires the figures modules to Pelican's signals.

Modules, one job each (see README.md in this folder). This file only wires
them to Pelican's signals, all registered in `register()` at the bottom.
"""

from __future__ import annotations

import datetime
import os
import re
from pathlib import Path

from pelican import signals
from pelican.generators import Generator
from pelican.readers import MarkdownReader
from pelican.utils import get_relative_path

from . import assets, charts, data, downloads, formatting, headers, i18n, links, lint, references, translations
from .context import TemplateData
from .errors import EditorError, EditorErrors
from .files import is_editor_file
from .markdown_ext import FiguresExtension

STATE = "FIGURES_STATE"


class Edition:
    """One language of the site: its data, number formats and URL prefix."""

    def __init__(self, lang: str, data, locale: str, prefix: str):
        self.lang, self.data, self.locale, self.prefix = lang, data, locale, prefix


class BuildState:
    """Per-build state, kept in the settings so parallel test builds don't mix."""

    def __init__(self, settings):
        root = Path(settings.get("FIGURES_ROOT") or Path(settings["PATH"]).parent)
        self.root = root
        self.data_dir = Path(settings.get("FIGURES_DATA_PATH") or root / "data")
        self.style_dir = Path(settings.get("FIGURES_STYLE_PATH") or root / "theme" / "charts")
        self.cache_dir = Path(settings.get("FIGURES_CACHE_PATH") or root / ".cache" / "charts")
        self.default_lang = settings.get("DEFAULT_LANG", "en")
        self.languages = list(settings.get("FIGURES_LANGUAGES") or [self.default_lang])
        self.errors: list[EditorError] = []
        self.data = None
        self.editions: dict[str, Edition] = {}
        self.extension = None
        self.specs = {}
        self.drawing = None
        self.t = i18n.Translator(Path(settings["THEME"]), self.default_lang)

    def settings_default_chart(self) -> str:
        return next(iter(self.data.charts))

    def display(self, path) -> str:
        """A path as editors see it: relative to the project."""
        try:
            return os.path.relpath(path, self.root)
        except ValueError:
            return str(path)

    def lang_of(self, source_path) -> str:
        """content/pages/es/x.md is Spanish: a language's pages live in a folder named for it."""
        parts = Path(source_path).parts
        return next((lang for lang in self.languages[1:] if lang in parts), self.default_lang)


def _state(settings) -> BuildState:
    return settings[STATE]


def _load_editions(state: BuildState, settings) -> None:
    """The default edition from data/, every other from data/<lang>.yaml over it."""
    state.data = data.load_cached(state.data_dir, state.cache_dir.parent, display_prefix=state.display(state.data_dir))
    state.editions[state.default_lang] = Edition(state.default_lang, state.data, formatting.LOCALES.get(state.default_lang, formatting.LOCALE), "")
    for lang in state.languages[1:]:
        path = state.data_dir / f"{lang}.yaml"
        display = state.display(path)
        doc = translations.load(path, display, state.data)
        state.editions[lang] = Edition(lang, translations.localize(state.data, doc, display), formatting.LOCALES[lang], f"{lang}/")
        menu = [title for title, _ in [*settings.get("MAIN_MENU", []), *settings.get("GUIDE_PAGES", [])]]
        menu += [settings["SITENAME"], settings.get("SITE_TAGLINE", "")]
        for where, line, msgid in i18n.missing(Path(settings["THEME"]), lang, menu, state.display):
            state.errors.append(EditorError(where, line, f"the text “{msgid}” has no translation in theme/translations/{lang}/LC_MESSAGES/messages.po", f'add msgid "{msgid}" with its msgstr'))


def initialized(pelican):
    settings = pelican.settings
    state = BuildState(settings)
    settings[STATE] = state
    formatting.WORDS_FILE = state.cache_dir.parent / "number-words.json"
    try:
        _load_editions(state, settings)
        for edition in state.editions.values():
            state.errors.extend(lint.check_data_texts(edition.data))
        # An editor's lock or backup file (`.#home.md`) is not a page: files.py.
        pages = sorted(p for p in Path(settings["PATH"]).rglob("*.md") if not is_editor_file(p.name))
        templates = sorted(p for p in Path(settings["THEME"], "templates").rglob("*.html") if not is_editor_file(p.name))
        state.errors.extend(lint.typed_figures(pages + templates, state.data, state.display))
    except EditorErrors as exc:
        state.errors.extend(exc.errors)
        return
    editions = {lang: (e.data, e.locale, e.prefix) for lang, e in state.editions.items()}
    state.extension = FiguresExtension(state.data, state.style_dir, state.errors, editions=editions, t=state.t)
    markdown = settings.setdefault("MARKDOWN", {})
    markdown.setdefault("extensions", []).append(state.extension)
    by_lang = {lang: TemplateData(e.data, state.style_dir, lang, e.locale, e.prefix, state.t) for lang, e in state.editions.items()}
    settings["FIGURES_BY_LANG"] = by_lang
    settings["FIGURES_DATA"] = by_lang[state.default_lang]
    settings["LANG_PREFIX"] = {lang: e.prefix for lang, e in state.editions.items()}
    # Start drawing changed charts now, in other processes, while Pelican works.
    state.specs = {
        (lang, cid): charts.resolve(c, e.data, e.locale) for lang, e in state.editions.items() for cid, c in e.data.charts.items()
    }
    state.drawing = charts.Drawing(state.specs, state.cache_dir, state.style_dir)
    # Social cards too, for each page's first chart as a quick scan finds it, so they are
    # drawn alongside; all_generators_finalized asks again from what Pelican actually read.
    cards = {(lang, state.settings_default_chart()) for lang in state.editions}
    for page in pages:
        found = re.search(r"\{\{\s*chart\s*:\s*([a-z][a-z0-9_]*)\s*\}\}", page.read_text(encoding="utf-8", errors="replace"))
        if found and (state.lang_of(page), found.group(1)) in state.specs:
            cards.add((state.lang_of(page), found.group(1)))
    state.drawing.request([*((key, "svg") for key in state.specs), *((key, "social") for key in sorted(cards))])
    settings["CSS_FILE"] = assets.css_name(Path(settings["THEME"]))
    filters = settings.setdefault("JINJA_FILTERS", {})
    filters["upper_first"] = lambda text: text[:1].upper() + text[1:]
    filters["long_date"] = lambda date, lang: formatting.date_text(date.strftime("%Y-%m-%d"), formatting.LOCALES.get(lang, formatting.LOCALE))


def generator_init(generator):
    """Templates say `{{ _("Skip to the content") }}`; the page's language picks the catalogue."""
    state = _state(generator.settings)
    if not hasattr(generator, "env") or "jinja2.ext.InternationalizationExtension" not in {type(e).__module__ + "." + type(e).__name__ for e in generator.env.extensions.values()}:
        return
    from jinja2 import pass_context

    def lang_of(context) -> str:
        item = context.get("page") or context.get("article")
        return getattr(item, "lang", None) or context.get("lang") or state.default_lang

    @pass_context
    def gettext(context, message):
        return state.t(lang_of(context), message)

    @pass_context
    def ngettext(context, singular, plural, n):
        return state.t(lang_of(context), singular if n == 1 else plural)

    generator.env.install_gettext_callables(gettext, ngettext, newstyle=True)


class FiguresMarkdownReader(MarkdownReader):
    """Pelican's Markdown reader, telling our extension which file it reads, in which language."""

    def read(self, source_path):
        state = _state(self.settings)
        if state.extension is not None:
            state.extension.source_path = state.display(source_path)
            state.extension.set_language(state.lang_of(source_path))
        return super().read(source_path)


def readers_init(readers):
    for extension in MarkdownReader.file_extensions:
        readers.reader_classes[extension] = FiguresMarkdownReader


def content_object_init(content):
    """Resolve {root} links and plain-text references in metadata; check the page's language."""
    state = _state(content.settings)
    if state.data is None or not content.source_path:
        return
    source = state.display(content.source_path)
    lang = state.lang_of(content.source_path)
    if lang not in state.editions:
        return  # its edition's data failed to load: that error is already reported
    edition = state.editions[lang]
    if getattr(content, "lang", lang) != lang:
        folder = "" if lang == state.default_lang else f"{lang}/ "
        state.errors.append(
            EditorError(source, None, f"the page says `Lang: {content.lang}` but sits in the {lang} pages", f"move it to the {content.lang}/ folder, or set `Lang: {lang}` {folder}".strip())
        )
    if state.extension is not None:
        content.charts_used = list(state.extension.charts_used)
    for key, value in list(content.metadata.items()):
        if isinstance(value, str) and "{{" in value:
            problems = list(references.problems_in_text(value, edition.data))
            for _, what, how in problems:
                state.errors.append(EditorError(source, None, f"in `{key}:`, {what}", how))
            if not problems:
                plain = references.render_plain(value, edition.data, edition.locale)
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
    """Stop between reading and writing, so no template meets a bad id.

    Otherwise, now that every page is read, ask for the social cards of the
    charts that are some page's card (its first chart, or the site default).
    """
    state = _state(generators[0].settings)
    if state.errors:
        raise EditorErrors(state.errors)
    cards = {(lang, state.settings_default_chart()) for lang in state.editions}
    for generator in generators:
        items = [*getattr(generator, "pages", []), *getattr(generator, "articles", []), *getattr(generator, "hidden_pages", []), *getattr(generator, "translations", [])]
        for item in items:
            used = getattr(item, "charts_used", None)
            if used:
                cards.add((state.lang_of(item.source_path), used[0]))
    state.drawing.request((key, "social") for key in sorted(cards))


class FiguresGenerator(Generator):
    """Writes charts, downloads and assets, and each other edition's updates index."""

    def generate_output(self, writer):
        state = _state(self.settings)
        output = Path(self.output_path)
        for edition in state.editions.values():
            downloads.write(edition.data, output, edition.locale, edition.prefix)
        assets.write(Path(self.settings["THEME"]), output)
        headers.write(self.settings, output)
        self._write_translated_indexes(writer, state)
        # Last, so that everything above happens while the charts are still being
        # drawn; so does parsing the pages for the link check that follows the build.
        if state.drawing.pending:
            links.prime(output)
        charts.write(output, state.drawing, {lang: e.prefix for lang, e in state.editions.items()})

    def _write_translated_indexes(self, writer, state):
        """Pelican writes the updates index in the default language only: write the others."""
        articles = self.context.get("articles", [])
        template = self.get_template("index")
        for lang, edition in state.editions.items():
            if lang == state.default_lang:
                continue
            translated = [t for a in articles for t in a.translations if t.lang == lang]
            writer.write_file(
                f"{edition.prefix}{self.settings['INDEX_SAVE_AS']}",
                template,
                self.context,
                relative_urls=self.settings["RELATIVE_URLS"],
                articles=translated,
                dates=translated,
                lang=lang,
                page_name=f"{edition.prefix}updates/index",
            )
            # Pelican's TRANSLATION_FEED_ATOM would also write a copy of the default feed.
            feed = f"{edition.prefix}{self.settings['FEED_ALL_ATOM']}"
            writer.write_feed(translated, self.context, feed, feed_title=state.t(lang, self.settings["SITENAME"]))


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
    signals.generator_init.connect(generator_init)
    signals.readers_init.connect(readers_init)
    signals.content_object_init.connect(content_object_init)
    signals.all_generators_finalized.connect(all_generators_finalized)
    signals.get_generators.connect(get_generators)
    signals.feed_generated.connect(feed_generated)
