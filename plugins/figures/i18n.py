"""The words of the interface in other languages, from gettext catalogues.

Templates mark text with `{{ _("Skip to the content") }}` (Jinja's i18n
extension); this plugin's own code translates with `t(lang, "Correction")`, the
one marker Babel's Python extractor looks for (`KEYWORDS`, `babel.cfg`), and
marks with `N_("Figure")` (Babel's default no-op marker) a text chosen before
its page's language is known. The Spanish lives in
theme/translations/es/LC_MESSAGES/messages.po, read with Babel. `missing()`
lists every template string without a translation, with the file and line
that uses it, and every plugin string (plugins/figures/messages.pot, which
`make messages` writes and a test keeps current), so the build can refuse a
half-translated site.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from pathlib import Path

from .files import is_editor_file

# Babel's default keywords (`_`, `gettext`, `ngettext`, `N_`…) and the plugin's
# translator, `t(lang, message, **variables)`: its message is the 2nd argument.
# `make messages` passes the same to pybabel (-k t:2).
TRANSLATOR_KEYWORD = {"t": (2,)}
TEMPLATE_METHOD = "jinja2.ext.babel_extract"
ROOT = Path(__file__).resolve().parents[2]
MAPPING = ROOT / "babel.cfg"
# The plugin's own strings, as `make messages` extracts them (a test keeps it current):
# the build checks the catalogues against it without extracting Python code (~0.2 s).
PLUGIN_POT = Path(__file__).with_name("messages.pot")


def N_(message: str) -> str:  # noqa: N802 — gettext's name for "translated later"
    """Mark `message` for extraction where the language is not known yet; `t()` translates it."""
    return message


def keywords() -> dict:
    from babel.messages.extract import DEFAULT_KEYWORDS

    return {**DEFAULT_KEYWORDS, **TRANSLATOR_KEYWORD}


def catalog(theme: Path, lang: str) -> dict:
    """msgid -> msgstr for one language ({} for the default language), read now."""
    path = theme / "translations" / lang / "LC_MESSAGES" / "messages.po"
    messages = {}
    if path.exists():
        from babel.messages.pofile import read_po

        with path.open("rb") as handle:
            for message in read_po(handle):
                if message.id and message.string:
                    messages[message.id] = message.string
    return messages


class Translator:
    """t(lang, msgid) for one build; the default language passes through.

    Each catalogue is read once per Translator, i.e. once per build: a second build
    in the same process reads the catalogue as it is then.
    """

    def __init__(self, theme: Path, default_lang: str):
        self.theme = Path(theme)
        self.default = default_lang
        self.catalogs: dict[str, dict] = {}

    def catalog(self, lang: str) -> dict:
        if lang not in self.catalogs:
            self.catalogs[lang] = catalog(self.theme, lang)
        return self.catalogs[lang]

    def __call__(self, lang: str, message: str, **variables) -> str:
        text = message if lang == self.default else self.catalog(lang).get(message, message)
        return text % variables if variables else text


def _msgids(message) -> list[str]:
    """The msgids of one extracted message (a plural gives two)."""
    return [m for m in (message if isinstance(message, tuple) else (message,)) if m]


def extract_all(root: Path = ROOT, mapping: Path = MAPPING) -> list[tuple[str, int, str]]:
    """(file, line, msgid) for every marked string under `root`, as `pybabel extract -F babel.cfg` finds them."""
    from babel.messages.extract import extract_from_dir
    from babel.messages.frontend import parse_mapping_cfg

    with mapping.open(encoding="utf-8") as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    found = []
    for name, line, message, _comments, _context in extract_from_dir(str(root), method_map, options_map, keywords=keywords()):
        if not is_editor_file(Path(name).name):
            found += [(name, line, msgid) for msgid in _msgids(message)]
    return found


def template_strings(templates: Path, cache: Path | None = None) -> list[tuple[str, int, str]]:
    """(file, line, msgid) for every string the templates mark, by Babel's Jinja extractor.

    Extraction parses every template (~50 ms): the result is kept in `cache`
    under a digest of the templates' bytes, so a build after a page edit skips it.
    """
    paths = sorted(p for p in templates.rglob("*.html") if not is_editor_file(p.name))
    sources = {str(p): p.read_bytes() for p in paths}
    digest = hashlib.sha256(repr(keywords()).encode())
    for path, raw in sources.items():
        digest.update(path.encode() + b"\0" + hashlib.sha256(raw).digest())
    stored = cache / f"interface-strings-{digest.hexdigest()[:20]}.json" if cache else None
    if stored and stored.exists():
        with contextlib.suppress(OSError, ValueError):  # a broken cache is simply rebuilt
            return [tuple(item) for item in json.loads(stored.read_text(encoding="utf-8"))]
    from io import BytesIO

    from babel.messages.extract import extract

    found = []
    for path, raw in sources.items():
        for line, message, _comments, _context in extract(TEMPLATE_METHOD, BytesIO(raw), keywords=keywords()):
            found += [(path, line, msgid) for msgid in _msgids(message)]
    if stored:
        stored.parent.mkdir(parents=True, exist_ok=True)
        for old in stored.parent.glob("interface-strings-*.json"):
            old.unlink(missing_ok=True)
        scratch = stored.with_suffix(f".{os.getpid()}.tmp")
        scratch.write_text(json.dumps(found), encoding="utf-8")
        os.replace(scratch, stored)
    return found


def plugin_strings(pot: Path = PLUGIN_POT) -> list[str]:
    """The msgids of the plugin's own strings."""
    if not pot.exists():
        return []
    from babel.messages.pofile import read_po

    with pot.open("rb") as handle:
        return [msgid for message in read_po(handle) for msgid in _msgids(message.id)]


def missing(theme: Path, lang: str, extra: list[str], display, cache: Path | None = None, translator: Translator | None = None) -> list[tuple[str, int | None, str]]:
    """(file, line, msgid) for every template, plugin and `extra` (settings) text with no translation in `lang`.

    A template's string is named at its line; the plugin's and the settings', at the catalogue to fill in.
    """
    messages = translator.catalog(lang) if translator is not None else catalog(theme, lang)
    gaps = []
    for path, line, msgid in template_strings(theme / "templates", cache):
        if msgid not in messages:
            gaps.append((display(path), line, msgid))
    po = theme / "translations" / lang / "LC_MESSAGES" / "messages.po"
    for msgid in dict.fromkeys(plugin_strings()):
        if msgid not in messages and msgid not in {m for _, _, m in gaps}:
            gaps.append((display(po), None, msgid))
    for msgid in extra:
        if msgid not in messages:
            gaps.append((display(po), None, msgid))
    return gaps
