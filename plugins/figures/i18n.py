"""The words of the interface in other languages, from gettext catalogues.

Templates mark text with `{{ _("Skip to the content") }}` (Jinja's i18n
extension); this plugin's own markup uses `t(lang, "Source:")`. The Spanish
lives in theme/translations/es/LC_MESSAGES/messages.po, read with Babel.
`missing()` lists every marked string without a translation, with the file
and line that uses it, so the build can refuse a half-translated site.
"""

from __future__ import annotations

import re
from pathlib import Path

from .files import is_editor_file

# Strings this plugin writes into pages (the templates' strings are found by extraction).
PLUGIN_STRINGS = (
    "Source:",
    "Sources:",
    "The numbers in this chart",
    "Download the data for this chart (CSV)",
    "Figure",
    "Value",
    "Period",
    "Date",
    "Event",
    "Stage",
    "What happens",
    "Figures at this stage",
    "Sources for the figures on this page",
    "Back to the text (%(label)s)",
    "Fact check:",
    "Not verified:",
    "computed from %(count)s figures:",
    "and",
    # words-house: corrections in the feeds
    "Correction",
    "Clarification",
    "Pages changed:",
    "Updates",
)

_CATALOGS: dict = {}


def catalog(theme: Path, lang: str) -> dict:
    """msgid -> msgstr for one language ({} for the default language)."""
    key = (str(theme), lang)
    if key not in _CATALOGS:
        path = theme / "translations" / lang / "LC_MESSAGES" / "messages.po"
        messages = {}
        if path.exists():
            from babel.messages.pofile import read_po

            with path.open("rb") as handle:
                for message in read_po(handle):
                    if message.id and message.string:
                        messages[message.id] = message.string
        _CATALOGS[key] = messages
    return _CATALOGS[key]


class Translator:
    """t(lang, msgid) for one build; the default language passes through."""

    def __init__(self, theme: Path, default_lang: str):
        self.theme = Path(theme)
        self.default = default_lang

    def __call__(self, lang: str, message: str, **variables) -> str:
        text = message if lang == self.default else catalog(self.theme, lang).get(message, message)
        return text % variables if variables else text


TEMPLATE_STRING_RE = re.compile(r"""_\(\s*(["'])(.+?)\1\s*[,)]""")


def template_strings(templates: Path) -> list[tuple[str, int, str]]:
    """(file, line, msgid) for every `_("...")` in the templates."""
    found = []
    for path in sorted(p for p in templates.rglob("*.html") if not is_editor_file(p.name)):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            for match in TEMPLATE_STRING_RE.finditer(line):
                found.append((str(path), number, match.group(2)))
    return found


def missing(theme: Path, lang: str, extra: list[str], display) -> list[tuple[str, int | None, str]]:
    """(file, line, msgid) for every interface string with no translation in `lang`."""
    messages = catalog(theme, lang)
    gaps = []
    for path, line, msgid in template_strings(theme / "templates"):
        if msgid not in messages:
            gaps.append((display(path), line, msgid))
    plugin = str(Path(__file__).parent / "i18n.py")
    for msgid in [*PLUGIN_STRINGS, *extra]:
        if msgid not in messages:
            gaps.append((display(plugin), None, msgid))
    return gaps
