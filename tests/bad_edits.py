"""The catalogue of bad edits: what editors get wrong, and the first line the build must answer with.

One table drives both tests/test_bad_edits.py (each edit, built for real) and
scripts/bad_edits_catalogue.py (docs/bad-edits.md, the messages as printed).
Each edit is made to a copy of the real project: `old` is replaced once by `new`
in `file` (`old=None` replaces the whole file). The expected first line is
`path:LINE: what — how`, where LINE is the line of `needle` in the edited file
(its `nth` occurrence, counting from 0), `what` contains `phrase` and `how`
contains `hint`.

Not here yet: glossary ids (the site has no glossary).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

FIGURES = "data/figures.yaml"
CHARTS = "data/charts.yaml"
SOURCES = "data/sources.yaml"
HOME = "content/pages/home.md"
WATCHDOG = "content/pages/what-the-watchdog-found.md"
BASE = "theme/templates/base.html"

QUOTE_32K = '    quote: "ICE reported more than 32,000 UCs failed to appear for their immigration court hearings from FYs 2019 to 2023."\n'


@dataclass(frozen=True)
class BadEdit:
    key: str
    title: str  # the edit, as an editor would describe it
    file: str
    old: str | bytes | None
    new: str | bytes
    needle: str | bytes | None  # None: line 1
    phrase: str
    hint: str
    path: str = ""  # the file the message names; defaults to `file`
    nth: int = 0
    in_check: bool = True  # `check` (no build) gives the same first line
    also: tuple = ()  # further (old, new) replacements made with the main one

    @property
    def where(self) -> str:
        return self.path or self.file

    def apply(self, site: Path) -> None:
        path = site / self.file
        raw = path.read_bytes()
        for old, new in ((self.old, self.new), *self.also):
            new = new.encode() if isinstance(new, str) else new
            if old is None:
                raw = new
                continue
            old = old.encode() if isinstance(old, str) else old
            assert old in raw, f"catalogue out of date: {old!r} is not in {self.file}"
            raw = raw.replace(old, new, 1)
        path.write_bytes(raw)

    def line(self, site: Path) -> int:
        if self.needle is None:
            return 1
        raw = (site / self.where).read_bytes()
        needle = self.needle.encode() if isinstance(self.needle, str) else self.needle
        at = -1
        for _ in range(self.nth + 1):
            at = raw.index(needle, at + 1)
        return raw.count(b"\n", 0, at) + 1

    def expected_prefix(self, site: Path) -> str:
        return f"{self.where}:{self.line(site)}: "

    def problems(self, first_line: str, site: Path) -> list[str]:
        """What is wrong with the first line of the build's answer ([] when it is right)."""
        found = []
        prefix = self.expected_prefix(site)
        if not first_line.startswith(prefix):
            found.append(f"expected it to start with {prefix!r}")
        what, dash, how = first_line.removeprefix(prefix).partition(" — ")
        if not dash:
            found.append("no ' — how to fix it' part")
        if self.phrase not in what:
            found.append(f"{self.phrase!r} is not in what is wrong: {what!r}")
        if self.hint not in how:
            found.append(f"{self.hint!r} is not in how to fix it: {how!r}")
        return found


class LinkEdit(BadEdit):
    """Not an edit inside a file: `file` made a symbolic link to `new`. The message names no line."""

    def apply(self, site: Path) -> None:
        path = site / self.file
        path.parent.mkdir(parents=True, exist_ok=True)
        path.symlink_to(self.new)

    def expected_prefix(self, site: Path) -> str:
        return f"{self.where}: "

    @property
    def change(self) -> str:
        return f"`{self.file}` made a symbolic link to `{self.new}`"


BAD_EDITS = [
    BadEdit(
        "yaml-syntax", "A bracket opened and never closed (YAML syntax error)", FIGURES,
        "    label: Children who missed", "    label: [Children who missed", "[Children who missed",
        "a `[` on this line is never closed", "close the list with `]`",
    ),
    BadEdit(
        "unclosed-quote", "A closing quotation mark forgotten (YAML syntax error)", FIGURES,
        QUOTE_32K, QUOTE_32K.replace('2023."', "2023."), "ICE reported more than 32,000",
        "a quotation mark on this line is only closed on line", "add the closing quotation mark",
    ),
    BadEdit(
        "colon-in-text", "A colon and a space inside unquoted text (YAML syntax error)", FIGURES,
        "    label: Children who missed", "    label: Children: who missed", "Children: who missed",
        "a colon followed by a space inside the text", "double quotes",
    ),
    BadEdit(
        "missing-colon", "A field name without its colon (YAML syntax error)", FIGURES,
        "    unit: children\n    period: {fiscal_years: [2019, 2023]}\n    label: Children who missed",
        "    unit children\n    period: {fiscal_years: [2019, 2023]}\n    label: Children who missed",
        "unit children", "this line has no colon after its field name", "`field: value`",
    ),
    BadEdit(
        "indentation", "A line indented one space short (YAML syntax error)", FIGURES,
        "    label: Children who missed", "   label: Children who missed", "   label: Children who missed",
        "not lined up with the lines above it", "same number of spaces",
    ),
    BadEdit(
        "unquoted-reference", "A text starting with a figure reference, unquoted (YAML reads `{` as fields)", CHARTS,
        "title: What happened", "title: {{ transferred_to_hhs }} children: what happened", "{{ transferred_to_hhs }} children",
        "text that starts with `{` or `[` must be in quotes", "double quotes",
    ),
    BadEdit(
        "tab", "A line indented with a tab", FIGURES,
        "    value: 32000", "\tvalue: 32000", "\tvalue: 32000",
        "indented with a tab", "spaces only",
    ),
    BadEdit(
        "duplicate-key", "The same field twice in one record", FIGURES,
        "    value: 32000\n", "    value: 32000\n    value: 33000\n", "value: 33000",
        "`value` appears twice in the same record", "delete the other",
    ),
    BadEdit(
        "duplicate-id", "Two records with the same id", FIGURES,
        "- id: never_served_nta", "- id: failed_to_appear", "- id: failed_to_appear",
        "the id `failed_to_appear` is used twice", "its own id", nth=1,
    ),
    BadEdit(
        "value-32k", 'A value written as "32k"', FIGURES,
        "value: 32000", "value: 32k", "value: 32k",
        "`value` of failed_to_appear should be a whole number, not `32k`", "digits only",
    ),
    BadEdit(
        "value-commas", 'A value written with a comma, "32,000"', FIGURES,
        "value: 32000", "value: 32,000", "value: 32,000",
        "should be a whole number, not `32,000`", "no commas",
    ),
    BadEdit(
        "value-float", 'A value with a decimal point, "32.000" (a float)', FIGURES,
        "value: 32000", "value: 32.000", "value: 32.000",
        "should be a whole number, not `32.000` (a number with a decimal point)", "digits only",
    ),
    BadEdit(
        "value-quoted", 'A value in quotes, "32000" (text, not a number)', FIGURES,
        "value: 32000", 'value: "32000"', 'value: "32000"',
        "should be a whole number, not `32000` (a number in quotes is text)", "quotes",
    ),
    BadEdit(
        "list-for-mapping", "A list where a set of fields belongs", FIGURES,
        "period: {fiscal_years: [2019, 2023]}\n    label: Children who", "period: [2019, 2023]\n    label: Children who",
        "period: [2019, 2023]\n    label: Children who",
        "`period` of failed_to_appear should be a set of fields, not a list", "{fiscal_years: [2019, 2023]}",
    ),
    BadEdit(
        "value-zero", "A value of zero", FIGURES,
        "value: 32000", "value: 0", "value: 0",
        "`value` of failed_to_appear must be above zero, not 0", "above zero",
    ),
    BadEdit(
        "value-negative", "A negative value", FIGURES,
        "value: 32000", "value: -32000", "value: -32000",
        "must be above zero, not -32000", "above zero",
    ),
    BadEdit(
        "unknown-source", "A figure citing a source id that does not exist", FIGURES,
        "sources: [oig_24_46, independent_2024_08_20]\n    quote: \"ICE reported",
        "sources: [oig_24_64, independent_2024_08_20]\n    quote: \"ICE reported", "oig_24_64",
        "failed_to_appear cites an unknown source `oig_24_64`", "use an id from data/sources.yaml",
    ),
    BadEdit(
        "unknown-part-of", "`part_of` naming a figure that does not exist", FIGURES,
        "    part_of: transferred_to_hhs\n    verification", "    part_of: transfered_to_hhs\n    verification",
        "part_of: transfered_to_hhs",
        "failed_to_appear is part of an unknown figure `transfered_to_hhs`", "use an id from this file",
    ),
    BadEdit(
        "unknown-figure-in-chart", "A chart listing a figure id that does not exist", CHARTS,
        "never_served_nta, failed_to_appear]", "never_served_nta, failed_to_apear]", "failed_to_apear",
        "chart children_transferred_and_after uses an unknown figure `failed_to_apear`", "use an id from data/figures.yaml",
    ),
    BadEdit(
        "part-larger-than-whole", "A part larger than its whole", FIGURES,
        "value: 32000", "value: 999999", "value: 999999",
        "failed_to_appear (999999) is larger than transferred_to_hhs (448000)", "check both values",
        also=(("more than 32,000 UCs", "more than 999,999 UCs"),),
    ),
    BadEdit(
        "quote-disagrees", "A value changed without its quote", FIGURES,
        "value: 32000", "value: 33000", "value: 33000",
        "the value of failed_to_appear (33000) is not the number in its quote", "take the value and the quote",
    ),
    BadEdit(
        "missing-field", "A required field deleted (the label)", FIGURES,
        "    label: Children who missed an immigration court hearing\n", "", "- id: failed_to_appear",
        "failed_to_appear is missing `label`", "add a `label:` line",
    ),
    BadEdit(
        "misspelt-field", "A field name misspelt", FIGURES,
        "    label: Children who missed", "    lable: Children who missed", "lable:",
        "`lable` is not a field we know", "check the spelling",
    ),
    BadEdit(
        "empty-file", "An empty data file", CHARTS,
        None, "", None,
        "the file is empty", "restore it",
    ),
    BadEdit(
        "invalid-utf8", "Text saved in another encoding (invalid UTF-8)", FIGURES,
        b"label: Children who missed", b"label: Ni\xf1os who missed", b"Ni\xf1os",
        "a character that is not UTF-8", "save the file as UTF-8",
    ),
    BadEdit(
        "bom", "A byte-order mark at the start of the file", SOURCES,
        b"#", b"\xef\xbb\xbf#", None,
        "byte-order mark", "without BOM",
    ),
    BadEdit(
        "python-tag", "A Python object tag", FIGURES,
        "value: 32000", 'value: !!python/object/apply:os.system ["echo hi"]', "!!python",
        "the tag `!!python/object/apply:os.system` is not allowed", "remove it",
    ),
    BadEdit(
        "http-address", "A source address starting with http:// (not https://)", SOURCES,
        "url: https://www.oig.dhs.gov/", "url: http://www.oig.dhs.gov/", "url: http://www.oig.dhs.gov/",
        "`url` of oig_24_46 is not in the right form: `http://www.oig.dhs.gov/", "starting with https://",
    ),
    BadEdit(
        "unknown-chart-kind", "An unknown chart kind", CHARTS,
        "kind: bars", "kind: pie", "kind: pie",
        "`kind` of children_transferred_and_after cannot be `pie`", "use one of the chart kinds: bars",
    ),
    BadEdit(
        "unknown-figure-in-page", "An unknown figure reference in a page", HOME,
        "{{ failed_to_appear }}", "{{ failed_to_apear }}", "{{ failed_to_apear }}",
        "unknown figure `failed_to_apear` in {{ failed_to_apear }}", "use an id from data/figures.yaml",
    ),
    BadEdit(
        "unknown-chart-in-page", "An unknown chart id in a page", HOME,
        "{{ chart:children_transferred_and_after }}", "{{ chart:children_transfered }}", "{{ chart:children_transfered }}",
        "unknown chart `children_transfered`", "use an id from data/charts.yaml",
    ),
    BadEdit(
        "typed-figure", "A figure typed into a page instead of referenced", HOME,
        "{{ failed_to_appear }}", "more than 32,000", "more than 32,000",
        "the number 32,000 is typed in; it is the figure failed_to_appear", "write {{ failed_to_appear }}",
    ),
    BadEdit(
        "unknown-term-md", "A glossary term misspelt in a page", WATCHDOG,
        "{{ term:notice_to_appear }}", "{{ term:notice_to_apear }}", "{{ term:notice_to_apear }}",
        "unknown glossary term `notice_to_apear`", "use an id from data/glossary.yaml",
    ),
    BadEdit(
        "unknown-event-chart", "An unknown event in a timeline chart", CHARTS,
        "events: [fy2019_begins,", "events: [fy2019_began,", "fy2019_began",
        "chart timeline_of_events uses an unknown event `fy2019_began`", "use an id from data/timeline.yaml",
    ),
    BadEdit(
        "typed-figure-es", "A figure typed into a Spanish page, as Spanish writes it", "content/pages/es/home.md",
        "que {{ failed_to_appear }} de ellos", "que más de 32.000 de ellos", "más de 32.000",
        "the number 32.000 is typed in; it is the figure failed_to_appear", "write {{ failed_to_appear }}",
    ),
    BadEdit(
        "spanish-missing", "A Spanish text deleted from data/es.yaml", "data/es.yaml",
        "    label: Niños que faltaron a una audiencia de inmigración\n", "", "  failed_to_appear:",
        "figures.failed_to_appear has no translated `label`", "add `label:` with the translated text", in_check=False,
    ),
    BadEdit(
        "interface-untranslated", "A new interface text without its Spanish", BASE,
        '{{ _("Skip to the content") }}', '{{ _("Skip to the main content") }}', '_("Skip to the main content")',
        "the text “Skip to the main content” has no translation", 'add msgid "Skip to the main content" with its msgstr', in_check=False,
    ),
    BadEdit(
        "broken-link", "A link to a page file that does not exist", WATCHDOG,
        "({filename}../updates/2025-03-final-audit.md)", "({filename}../updates/2025-03-final-audt.md)", "2025-03-final-audt.md",
        "the link `{filename}../updates/2025-03-final-audt.md` was not resolved by Pelican", "check the file name after {filename}",
    ),
    BadEdit(
        "http-link", "A link over plain http:// in a page", WATCHDOG,
        "({filename}../updates/2025-03-final-audit.md)", "(http://www.oig.dhs.gov/)", "http://www.oig.dhs.gov/",
        "the link `http://www.oig.dhs.gov/` uses an insecure http:// address", "use the https:// address", in_check=False,
    ),
    BadEdit(
        "broken-template", "A broken template (a `}` missing)", BASE,
        "{{ _(SITENAME) }}</a>", "{{ _(SITENAME) }</a>", "{{ _(SITENAME) }</a>",
        "template error: unexpected '}'", "fix the template syntax on this line",
    ),
    # ---- trust-build: drafts, and files that are not the project's own ----
    BadEdit(
        "link-to-draft", "A page made a draft while other pages link to it", "content/updates/2025-03-final-audit.md",
        "Slug: final-audit-2025\n", "Slug: final-audit-2025\nStatus: draft\n", "{filename}../updates/2025-03-final-audit.md",
        "leads to a draft (`Status: draft`), which is never published", "remove the link, or publish that page first",
        path="content/pages/missed-court-hearings.md",
    ),
    LinkEdit(
        "link-outside-project", "A link (symlink) to a system file put among the site's files", "content/static/passwd.txt",
        None, "/etc/passwd", None,
        "this is a link to `/etc/passwd`, outside the project", "copy the file into the project instead of linking to it",
    ),
    LinkEdit(
        "link-to-nowhere", "A link (symlink) whose file was moved or deleted", "content/pages/old-notes.md",
        None, "../../../notes/old-notes.md", None,
        "this is a link to `../../../notes/old-notes.md`, which does not exist", "delete the link, or put back the file it names",
    ),
]

# What every line the build prints must look like: `path:LINE: what — how`, or the summary.
LINE_RE = re.compile(r"^[^:\n]+:(\d+:)? .+ — .+$")
SUMMARY_RE = re.compile(r"^Build stopped: \d+ problems? to fix\. The site was not changed\.$")
