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

import itertools
import re
import subprocess
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
    also: tuple = ()  # further (old, new) replacements made with the main one
    committed: bool = False  # the file is committed to a fresh git repository first (the published record)

    @property
    def where(self) -> str:
        return self.path or self.file

    def apply(self, site: Path) -> None:
        path = site / self.file
        if self.committed:
            git = ["git", "-C", str(site), "-c", "user.name=Editor", "-c", "user.email=editor@example.org"]
            subprocess.run([*git, "init", "-q"], check=True)
            subprocess.run([*git, "add", self.file], check=True)
            subprocess.run([*git, "commit", "-q", "-m", "published"], check=True)
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


# trust-data: edits that make, move or link files rather than change their text.
@dataclass(frozen=True)
class FileEdit(BadEdit):
    """`make` is what is done to `file`: "folder" (it becomes an empty folder),
    "dangling-link" (a link to a file that does not exist), "outside-link" (moved
    out of the project and linked to from where it was) or "link" (a new link to
    `new`). The message has no line."""

    make: str = ""
    change: str = ""  # the edit in words, for docs/bad-edits.md

    def apply(self, site: Path) -> None:
        path = site / self.file
        if self.make == "outside-link":
            outside = site.parent / f"outside-{path.name}"
            outside.write_bytes(path.read_bytes())
            path.unlink()
            path.symlink_to(outside)
        elif self.make == "dangling-link":
            path.unlink()
            path.symlink_to(f"{path.stem}-deleted{path.suffix}")
        elif self.make == "folder":
            path.unlink()
            path.mkdir()
        elif self.make == "link":
            path.parent.mkdir(parents=True, exist_ok=True)
            path.symlink_to(self.new)
        else:
            raise ValueError(self.make)

    def expected_prefix(self, site: Path) -> str:
        return f"{self.where}: "


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
        "title: Three counts", "title: {{ transferred_to_hhs }} children: three counts", "{{ transferred_to_hhs }} children",
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
        "transferred_fy2019 is part of an unknown figure `transfered_to_hhs`", "use an id from this file",
    ),
    BadEdit(
        "unknown-figure-in-chart", "A chart listing a figure id that does not exist", CHARTS,
        "never_served_nta, failed_to_appear]", "never_served_nta, failed_to_apear]", "failed_to_apear",
        "chart children_transferred_and_after uses an unknown figure `failed_to_apear`", "use an id from data/figures.yaml",
    ),
    BadEdit(
        "part-larger-than-whole", "A part larger than its whole", FIGURES,
        "value: 31000", "value: 999999", "value: 999999",
        "bad_release_addresses (999999) is larger than transferred_to_hhs (448000)", "check both values",
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
        "que, según las cuentas de ICE, {{ failed_to_appear }} niños", "que, según las cuentas de ICE, más de 32.000 niños", "más de 32.000",
        "the number 32.000 is typed in; it is the figure failed_to_appear", "write {{ failed_to_appear }}",
    ),
    BadEdit(
        "spanish-missing", "A Spanish text deleted from data/es.yaml", "data/es.yaml",
        "    label: Niños que faltaron a una audiencia ante un tribunal de inmigración\n", "", "  failed_to_appear:",
        "figures.failed_to_appear has no translated `label`", "add `label:` with the translated text",
    ),
    BadEdit(
        "interface-untranslated", "A new interface text without its Spanish", BASE,
        '{{ _("Skip to the content") }}', '{{ _("Skip to the main content") }}', '_("Skip to the main content")',
        "the text “Skip to the main content” has no translation", 'add msgid "Skip to the main content" with its msgstr',
    ),
    BadEdit(
        "broken-link", "A link to a page file that does not exist", WATCHDOG,
        "({filename}../updates/2025-03-final-audit.md)", "({filename}../updates/2025-03-final-audt.md)", "2025-03-final-audt.md",
        "the link `{filename}../updates/2025-03-final-audt.md` was not resolved by Pelican", "check the file name after {filename}",
    ),
    BadEdit(
        "http-link", "A link over plain http:// in a page", WATCHDOG,
        "({filename}../updates/2025-03-final-audit.md)", "(http://www.oig.dhs.gov/)", "http://www.oig.dhs.gov/",
        "the link `http://www.oig.dhs.gov/` uses an insecure http:// address", "use the https:// address",
    ),
    BadEdit(
        "broken-template", "A broken template (a `}` missing)", BASE,
        "{{ _(SITENAME) }}</a>", "{{ _(SITENAME) }</a>", "{{ _(SITENAME) }</a>",
        "template error: unexpected '}'", "fix the template syntax on this line",
    ),
    # ---- trust-content (issue #12: raw HTML, near-miss references, silent losses, messages naming the source) ----
    BadEdit(
        "raw-html-script", "A <script> typed into a page", HOME,
        "## In brief", "<script>alert(1)</script>\n\n## In brief", "<script>alert(1)</script>",
        "raw HTML `<script>`: pages are Markdown only", "delete it: the site runs no script",
    ),
    BadEdit(
        "raw-html-onerror", "A picture with an event handler (onerror=) typed into a page", HOME,
        "## In brief", '<img src="x" onerror="alert(1)">\n\n## In brief', "onerror=",
        'raw HTML `<img src="x" onerror="alert(1)">`', "write it in Markdown",
    ),
    BadEdit(
        "attribute-list-handler", "An event handler added through a Markdown attribute list", HOME,
        "## In brief", '## In brief{: onclick="alert(1)" }', '{: onclick=',
        'the attribute list `{: onclick="alert(1)" }` sets more than a language', "the only attribute a page may set is a passage's language",
    ),
    BadEdit(
        "raw-html-iframe", "A frame showing another site, in a page", WATCHDOG,
        "## ", '<iframe src="https://www.youtube.com/embed/x"></iframe>\n\n## ', "<iframe",
        "raw HTML `<iframe", "delete it",
    ),
    BadEdit(
        "raw-svg-javascript", "A javascript: link inside raw SVG, in a page", HOME,
        "## In brief", '<svg><a href="javascript:alert(1)"><text y="20">Click</text></a></svg>\n\n## In brief', "<svg>",
        "raw HTML `<svg>`", "delete it",
    ),
    BadEdit(
        "raw-meta-refresh", "A meta refresh (sends readers to another site) in a page", HOME,
        "## In brief", '<meta http-equiv="refresh" content="0;url=https://example.org/">\n\n## In brief', "http-equiv",
        "raw HTML `<meta", "delete it",
    ),
    BadEdit(
        "raw-html-comment", "An HTML comment (a note to other editors) in a page", HOME,
        "## In brief", "<!-- check this with the desk -->\n\n## In brief", "<!--",
        "a comment would be published in the page's source", "write it in Markdown",
    ),
    BadEdit(
        "javascript-link", "A Markdown link to a javascript: address", HOME,
        "## In brief", "[Read more](javascript:alert(1))\n\n## In brief", "[Read more]",
        "the link `javascript:alert(1)` uses a `javascript:` address", "link to a page with its https:// address",
    ),
    BadEdit(
        "data-link", "A Markdown link to a data: address", HOME,
        "## In brief", "[Read more](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)\n\n## In brief", "[Read more]",
        "uses a `data:` address", "link to a page with its https:// address",
    ),
    BadEdit(
        "foreign-picture", "A picture from another site, in Markdown", HOME,
        "## In brief", "![The report's cover](https://www.oig.dhs.gov/cover.png)\n\n## In brief", "![The report",
        "the picture `https://www.oig.dhs.gov/cover.png` comes from another site", "put the picture under content/static/",
    ),
    BadEdit(
        "foreign-picture-by-reference", "A picture from another site, its address given by reference", HOME,
        "## In brief", "![The report's cover][cover]\n\n[cover]: https://www.oig.dhs.gov/cover.png\n\n## In brief", "[cover]:",
        "the picture `https://www.oig.dhs.gov/cover.png` comes from another site", "put the picture under content/static/",
    ),
    # Found in the theme's own files by `make check` and the build's first checks (checks.theme_hazards).
    BadEdit(
        "theme-script", "A <script> added to the base template", BASE,
        "</head>", "<script>alert(1)</script>\n</head>", "<script>alert(1)",
        "a `<script>`: the site runs no script", "delete it",
    ),
    BadEdit(
        "theme-meta-refresh", "A meta refresh added to the base template", BASE,
        "</head>", '<meta http-equiv="refresh" content="30">\n</head>', 'http-equiv="refresh"',
        'a `<meta http-equiv="refresh">`', "delete it",
    ),
    BadEdit(
        "theme-handler", "An event handler added to the base template", BASE,
        "<body", '<body onload="alert(1)"', "onload=",
        "an event handler `onload=`", "delete it",
    ),
    BadEdit(
        "theme-foreign-font", "A stylesheet from another site (a web font) in the base template", BASE,
        "</head>", '<link rel="stylesheet" href="https://fonts.googleapis.com/css2?family=Inter">\n</head>', "fonts.googleapis.com",
        "`https://fonts.googleapis.com/css2?family=Inter`, a picture or file from another site", "delete it",
    ),
    BadEdit(
        "css-import", "The stylesheet importing a file from another site", "theme/static/site.css",
        "", "@import url('https://fonts.googleapis.com/css2?family=Inter');\n", "@import",
        "the stylesheet loads `https://fonts.googleapis.com/css2?family=Inter`", "keep every file the stylesheet uses in theme/",
    ),
    BadEdit(
        "favicon-script", "A script inside the site's SVG icon", "theme/static/favicon.svg",
        "</svg>", "<script>alert(1)</script></svg>", None,
        "a `<script>`: the site runs no script", "delete it",
    ),
    BadEdit(
        "ref-brace-missing", "A reference with its last brace missing", HOME,
        "{{ failed_to_appear }}", "{{ failed_to_appear }", "{{ failed_to_appear }",
        "`{{ failed_to_appear }` is not a complete reference", "write two braces on each side",
    ),
    BadEdit(
        "ref-opening-brace-missing", "A reference with its first brace missing", HOME,
        "{{ failed_to_appear }}", "{ failed_to_appear }}", "{ failed_to_appear }}",
        "`{ failed_to_appear }}` is not a complete reference", "write two braces on each side",
    ),
    BadEdit(
        "ref-single-braces", "A reference with single braces", HOME,
        "{{ failed_to_appear }}", "{failed_to_appear}", "{failed_to_appear}",
        "`{failed_to_appear}` has single braces", "write two braces on each side",
    ),
    BadEdit(
        "ref-zero-width-space", "A zero-width space inside a reference (pasted from a document)", HOME,
        "{{ failed_to_appear }}", "{{ failed_\u200bto_appear }}", "failed_\u200bto_appear",
        "contains an invisible character (U+200B ZERO WIDTH SPACE)", "type it again",
    ),
    BadEdit(
        "ref-no-break-space", "A no-break space inside a reference", HOME,
        "{{ failed_to_appear }}", "{{\u00a0failed_to_appear }}", "{{\u00a0failed_to_appear",
        "contains an invisible character (U+00A0 NO-BREAK SPACE)", "type it again",
    ),
    BadEdit(
        "ref-empty", "An empty reference", HOME,
        "{{ failed_to_appear }}", "{{  }}", "{{  }}",
        "an empty reference `{{  }}`", "put an id between the braces",
    ),
    BadEdit(
        "ref-full-width", "A reference typed with full-width braces", HOME,
        "{{ failed_to_appear }}", "\uff5b\uff5b failed_to_appear \uff5d\uff5d", "\uff5b\uff5b",
        "uses full-width braces", "type the braces as plain { and }",
    ),
    BadEdit(
        "chart-inline", "A chart reference inside a sentence", HOME,
        "{{ chart:children_transferred_and_after }}", "As the chart shows, {{ chart:children_transferred_and_after }}", "As the chart shows",
        "the chart {{ chart:children_transferred_and_after }} shares its line with other text", "put it on a line of its own",
    ),
    BadEdit(
        "ref-near-miss-standfirst", "A brace missing in a reference in a page's standfirst", "content/updates/2025-03-final-audit.md",
        "Standfirst: Seven months", "Standfirst: {{ final_audit_recommendations.words } recommendations. Seven months", "Standfirst:",
        "`{{ final_audit_recommendations.words }` is not a complete reference", "write two braces on each side",
    ),
    BadEdit(
        "ref-near-miss-caption", "A brace missing in a reference in a chart caption", CHARTS,
        "      {{ transferred_to_hhs.period }}; children", "      {{ transferred_to_hhs.period }; children", "{{ transferred_to_hhs.period }; children",
        "in the caption of chart children_transferred_and_after, `{{ transferred_to_hhs.period }` is not a complete reference", "write two braces on each side",
    ),
    BadEdit(
        "ref-near-miss-spanish", "A brace missing in a reference in a Spanish chart caption", "data/es.yaml",
        "      {{ transferred_to_hhs.period }}; los niños", "      {{ transferred_to_hhs.period }; los niños", "caption: >-\n      Cada cifra",
        "`{{ transferred_to_hhs.period }` is not a complete reference", "write two braces on each side",
    ),
    BadEdit(
        "metadata-misspelt", "A page field misspelt (Standfist:)", "content/pages/glossary.md",
        "Standfirst:", "Standfist:", "Standfist:",
        "`Standfist:` is not a page field we know", "did you mean `Standfirst:`?",
    ),
    # Where each page is written (its URL settings): the build as Pelican placed it, `check` as addresses.py computes it.
    BadEdit(
        "save-as-home", "A page saved as the home page's file", "content/pages/glossary.md",
        "Slug: glossary\n", "Slug: glossary\nSave_as: index.html\n", "Save_as: index.html",
        "this page would be written to `index.html`, as content/pages/home.md is", "give it its own `Save_as:`",
    ),
    BadEdit(
        "save-as-feed", "A page saved as the updates feed", "content/pages/glossary.md",
        "Slug: glossary\n", "Slug: glossary\nSave_as: updates/feed.atom\n", "Save_as:",
        "this page would be written to `updates/feed.atom`, as the updates feed is", "give it its own `Save_as:`",
    ),
    BadEdit(
        "save-as-download", "A page saved over a download", "content/pages/glossary.md",
        "Slug: glossary\n", "Slug: glossary\nSave_as: downloads/figures.csv\n", "Save_as:",
        "this page would be written to `downloads/figures.csv`, as the build's downloads/ folder is", "give it its own `Save_as:`",
    ),
    BadEdit(
        "url-elsewhere", "A page whose URL: leads to another page", "content/pages/glossary.md",
        "Slug: glossary\n", "Slug: glossary\nURL: timeline/\n", "URL:",
        "`URL: timeline/` leads to `timeline/index.html`, but the page is written to `glossary/index.html`", "make `URL:` and `Save_as:` agree",
    ),
    BadEdit(
        "duplicate-slug", "Two pages with the same Slug: in one language", "content/pages/glossary.md",
        "Slug: glossary", "Slug: timeline", "Slug: timeline",
        "this page would be written to `timeline/index.html`, as content/pages/timeline.md is", "give it its own `Slug:`",
    ),
    BadEdit(
        "page-windows-1252", "A page saved as Windows-1252, not UTF-8", "content/pages/es/glossary.md",
        b"Glosario", "Glosario de ni\xf1os".encode("cp1252"), b"ni\xf1os",
        "a character that is not UTF-8 (the byte 0xF1)", "save the file as UTF-8",
    ),
    BadEdit(
        "bad-date", "An update dated a day that does not exist", "content/updates/2025-03-final-audit.md",
        "Date: 2025-03-26", "Date: 2025-02-30", "Date: 2025-02-30",
        "`Date: 2025-02-30` is not a date", "write it as year-month-day",
    ),
    BadEdit(
        "unknown-template", "A page naming a template that does not exist", "content/pages/glossary.md",
        "Template: glossary", "Template: glosary", "Template: glosary",
        "there is no template `glosary` in theme/templates/", "use one of: about, article",
    ),
    BadEdit(
        "unknown-figure-standfirst", "An unknown figure in a standfirst (reported once, at its line)", "content/updates/2025-03-final-audit.md",
        "Standfirst: Seven months", "Standfirst: {{ final_audit_recomendations }} recommendations. Seven months", "Standfirst:",
        "unknown figure `final_audit_recomendations`", "use an id from data/figures.yaml",
    ),
    BadEdit(
        "page-emptied", "A page emptied (its title gone)", "content/pages/family-separation.md",
        None, "", None,
        "the page has no title, so it would not be published", "start the file with a `Title: …` line",
    ),
    # A menu entry in the settings: the build over the built pages, `check` from the settings.
    BadEdit(
        "renamed-page-in-menu", "A page's Slug: changed while the menu still links to it", "content/pages/missed-court-hearings.md",
        "Slug: missed-court-hearings", "Slug: missed-hearings", '"missed-court-hearings/"', path="pelicanconf.py",
        phrase="the link `/missed-court-hearings/` leads to a page or file that does not exist", hint="correct or remove it here",
    ),
    # Relative links: resolved against the built site by the build, against the files it will write by `check`.
    BadEdit(
        "relative-link-missing", "A relative link to a page that does not exist", WATCHDOG,
        "({filename}../updates/2025-03-final-audit.md)", "(../missed-hearings/)", "(../missed-hearings/)",
        "the link `../missed-hearings/` leads to a page or file that does not exist", "check the address",
    ),
    BadEdit(
        "link-escapes-site", "A relative link that climbs above the site", WATCHDOG,
        "({filename}../updates/2025-03-final-audit.md)", "(../../../../etc/passwd)", "(../../../../etc/passwd)",
        "the link `../../../../etc/passwd` leads outside the site", "check the address",
    ),
    # trust-data: YAML 1.1's readings of plain values, costly input, addresses, files in data/.
    BadEdit(
        "value-leading-zero", 'A value with a leading zero, "032000" (YAML 1.1 reads it as octal)', FIGURES,
        "value: 32000", "value: 032000", "value: 032000",
        "`value` is `032000`, which YAML 1.1 reads as the octal number 13312", "write 32000 (no leading zero)",
    ),
    BadEdit(
        "value-hex", 'A value in hexadecimal, "0x7D00"', FIGURES,
        "value: 32000", "value: 0x7D00", "value: 0x7D00",
        "`value` is `0x7D00`, a hexadecimal number", "write it in ordinary digits, e.g. 32000",
    ),
    BadEdit(
        "value-base-60", 'A value with colons, "8:53:20" (YAML 1.1 reads it in base 60)', FIGURES,
        "value: 32000", "value: 8:53:20", "value: 8:53:20",
        "`value` is `8:53:20`, which YAML 1.1 reads as the base-60 number 32000", "digits only",
    ),
    BadEdit(
        "value-underscore", 'A value with an underscore, "32_000"', FIGURES,
        "value: 32000", "value: 32_000", "value: 32_000",
        "`value` is `32_000`, a number with an underscore", "write 32000",
    ),
    BadEdit(
        "value-plus", 'A value with a plus sign, "+32000"', FIGURES,
        "value: 32000", "value: +32000", "value: +32000",
        "`value` is `+32000`, a number with a plus sign", "write 32000",
    ),
    BadEdit(
        "value-exponent", 'A value with an exponent, "3.2e4"', FIGURES,
        "value: 32000", "value: 3.2e4", "value: 3.2e4",
        "`value` is `3.2e4`, a number with an exponent", "write all its digits",
    ),
    BadEdit(
        "value-infinity", 'A value of ".inf" (infinity in YAML)', FIGURES,
        "value: 32000", "value: .inf", "value: .inf",
        "`value` is `.inf`, which YAML reads as infinity", "digits only",
    ),
    BadEdit(
        "value-too-many-digits", "A value of 10^25 (26 digits)", FIGURES,
        "value: 32000", "value: 10000000000000000000000000", "value: 1000000",
        "`value` is a number of 26 digits, more than any figure can have", "check the number for extra digits",
    ),
    BadEdit(
        "value-too-large", "A value of ten trillion", FIGURES,
        "value: 32000", "value: 10000000000000", "value: 10000000000000",
        "`value` of failed_to_appear is out of range: 10000000000000 (at most 999999999999)", "below a trillion",
    ),
    BadEdit(
        "value-explicit-tag", "A value with a YAML tag, \"!!int 0x7D00\"", FIGURES,
        "value: 32000", "value: !!int 0x7D00", "!!int",
        "the tag `!!int` is not allowed", "remove it",
    ),
    BadEdit(
        "verdict-no", "A verdict of \"no\" (a yes/no value in YAML 1.1, read here as the word)", FIGURES,
        "      verdict: differs", "      verdict: no", "verdict: no",
        "`verdict` of failed_to_appear cannot be `no`", "use one of: matches, differs, unverified",
    ),
    BadEdit(
        "text-tilde", 'A label of "~" (nothing, in YAML)', FIGURES,
        "    label: Children who missed an immigration court hearing", "    label: ~", "label: ~",
        "`label` is `~`, which YAML reads as nothing", 'put it in double quotes ("~")',
    ),
    BadEdit(
        "text-null-es", 'A Spanish label of "null"', "data/es.yaml",
        "    label: Niños que faltaron a una audiencia ante un tribunal de inmigración", "    label: null", "label: null",
        "`label` is `null`, which YAML reads as nothing", "write the value",
    ),
    BadEdit(
        "date-with-time", "A publication date with a time of day (a YAML 1.1 timestamp)", SOURCES,
        "date: 2024-08-20", "date: 2024-08-20 10:00:00", "date: 2024-08-20 10:00:00",
        "`date` of independent_2024_08_20 is not a valid date: `2024-08-20 10:00:00`", "YYYY-MM-DD",
    ),
    BadEdit(
        "anchor-unused", "A text starting with `&` (a YAML anchor, dropped from the text)", FIGURES,
        "    label: Children who missed", "    label: &Children who missed", "&Children",
        "`&Children` marks a value to repeat elsewhere with `*Children`, but nothing repeats it", "put the whole text in double quotes",
    ),
    BadEdit(
        "alias-bomb", "Aliases that multiply (a \"billion laughs\")", "data/glossary.yaml",
        "terms:\n",
        "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
        + "".join(f"{c}: &{c} [{', '.join([f'*{p}'] * 9)}]\n" for p, c in itertools.pairwise("abcdefghi"))
        + "terms:\n",
        "b: &b",
        "a value marked with `&` here contains a repeat (`*name`) of another marked value", "write the text out in full",
    ),
    BadEdit(
        "formula-too-long", "A derived figure's formula of 3,000 terms", FIGURES,
        "formula: never_served_nta / transferred_to_hhs", "formula: " + " + ".join(["never_served_nta"] * 3000), "formula: never_served_nta + ",
        "`formula` of share_never_served_nta is too long: 56997 characters (at most 200)", "a few figure ids",
    ),
    BadEdit(
        "formula-too-large", "A derived figure's formula that gives an absurd number", FIGURES,
        "formula: never_served_nta / transferred_to_hhs", "formula: never_served_nta * transferred_to_hhs * transferred_to_hhs",
        "formula: never_served_nta *",
        "the formula of share_never_served_nta gives 5.84e+16, larger than any figure can be", "check the formula",
    ),
    BadEdit(
        "address-no-host", "A source address with no host, \"https://\"", SOURCES,
        "url: https://www.oig.dhs.gov/sites/default/files/assets/2024-08/OIG-24-46-Aug24.pdf", "url: https://", "url: https://",
        "`url` of oig_24_46 is not a working address: it has no host after https://", "copy the full address",
    ),
    BadEdit(
        "address-space", "A source address with a space in it", SOURCES,
        "OIG-24-46-Aug24.pdf", "OIG-24-46 Aug24.pdf", "OIG-24-46 Aug24.pdf",
        "`url` of oig_24_46 is not a working address: it contains a space", "copy the full address",
    ),
    BadEdit(
        "address-quote", "A source address with a quotation mark in it", SOURCES,
        "OIG-24-46-Aug24.pdf", "OIG-24-46-Aug24.pdf\"", "Aug24.pdf\"",
        "`url` of oig_24_46 is not a working address: it contains a quotation mark", "copy the full address",
    ),
    BadEdit(
        "address-no-dot", "A source address whose host has no dot, \"https://oig/\"", SOURCES,
        "url: https://www.oig.dhs.gov/sites/default/files/assets/2024-08/OIG-24-46-Aug24.pdf", "url: https://oig/report.pdf", "url: https://oig/",
        "`url` of oig_24_46 is not a working address: `oig` is not a host name", "copy the full address",
    ),
    BadEdit(
        "es-invalid-utf8", "The Spanish texts saved as Windows-1252 (invalid UTF-8)", "data/es.yaml",
        "label: Niños que faltaron".encode(), "label: Ni\xf1os que faltaron".encode("latin-1"), b"Ni\xf1os que faltaron",
        "a character that is not UTF-8", "save the file as UTF-8",
    ),
    BadEdit(
        "es-bom", "The Spanish texts saved with a byte-order mark", "data/es.yaml",
        b"#", b"\xef\xbb\xbf#", None,
        "byte-order mark", "without BOM",
    ),
    FileEdit(
        "data-file-folder", "A folder where a data file belongs", FIGURES, None, "", None,
        "this is a folder, not a data file", "move the folder out of data/", make="folder",
        change="`data/figures.yaml` replaced by an empty folder of that name",
    ),
    FileEdit(
        "data-file-dangling-link", "A data file replaced by a link to a file that does not exist", "data/glossary.yaml", None, "", None,
        "this is a link to `glossary-deleted.yaml`, which does not exist", "put the data file itself here", make="dangling-link",
        change="`data/glossary.yaml` replaced by a link to `glossary-deleted.yaml`, which does not exist",
    ),
    FileEdit(
        "data-file-outside-link", "A data file that is a link to a file outside the project", "data/timeline.yaml", None, "", None,
        "outside the project", "copy the file into the project instead of linking to it", make="outside-link",
        change="`data/timeline.yaml` moved out of the project and replaced by a link to it",
    ),
    # ---- words-house: typed figures in every form and every text; house style; corrections log ----
    BadEdit(
        "typed-figure-spaced", "A figure typed with a no-break space as thousands separator", HOME,
        "{{ failed_to_appear }}", "more than 32\u00a0000", "more than 32\u00a0000",
        "the number 32 000 is typed in; it is the figure failed_to_appear", "write {{ failed_to_appear }}",
    ),
    BadEdit(
        "typed-figure-k", "A figure typed as 32k", HOME,
        "{{ failed_to_appear }}", "32k", "32k",
        "the number 32k is typed in; it is the figure failed_to_appear", "write {{ failed_to_appear }}",
    ),
    BadEdit(
        "typed-figure-rounded", "A figure typed rounded (450,000 for more than 448,000)", HOME,
        "{{ transferred_to_hhs }}", "nearly 450,000", "nearly 450,000",
        "the number 450,000 is typed in; it rounds the figure transferred_to_hhs", "write {{ transferred_to_hhs }}",
    ),
    BadEdit(
        "typed-figure-words-es", "A figure written out in words in a Spanish page", "content/pages/es/home.md",
        "cuentas de ICE, {{ failed_to_appear }} niños", "cuentas de ICE, más de treinta y dos mil niños", "treinta y dos mil",
        "the number “treinta y dos mil” is written out; it is the figure failed_to_appear", "write {{ failed_to_appear }}",
    ),
    BadEdit(
        "typed-figure-mil-es", "A figure typed as Spanish “32 mil” in data/es.yaml", "data/es.yaml",
        "que faltaron a una audiencia ante un tribunal de inmigración\n", "que faltaron a una audiencia ante un tribunal de inmigración (32 mil)\n", "(32 mil)",
        "the number 32 mil is typed in; it is the figure failed_to_appear", "this field shows no references",
    ),
    BadEdit(
        "typed-figure-chart-caption", "A figure typed into a chart caption", CHARTS,
        "ICE transferred {{ transferred_to_hhs }} children", "ICE transferred 448,000 children", "ICE transferred 448,000 children",
        "the number 448,000 is typed in; it is the figure transferred_to_hhs", "write {{ transferred_to_hhs }}",
    ),
    BadEdit(
        "typed-number-large", "A large number typed in that is no figure in data/figures.yaml", WATCHDOG,
        "Standfirst: ", "Standfirst: About 5,000 more. ", "About 5,000 more.",
        "the number 5,000 is typed in", "add it to data/figures.yaml with its source",
    ),
    BadEdit(
        "style-never-served", "A phrase the house style refuses, in a page (“never been served”)", HOME,
        "ICE had not served {{ never_served_nta }} children", "ICE had never served {{ never_served_nta }} children", "ICE had never served",
        "house style: “never served”", "not yet served",
    ),
    BadEdit(
        "style-es-yaml", "A phrase the house style refuses, in data/es.yaml (“nunca recibieron”)", "data/es.yaml",
        "label: Niños aún sin aviso de comparecencia", "label: Niños que nunca recibieron un aviso de comparecencia", "Niños que nunca recibieron un aviso",
        "house style: “nunca recibieron”", "aún no han recibido",
    ),
    BadEdit(
        "style-template", "A phrase the house style refuses, in a template", BASE,
        '{{ _("No tracking, no cookies, no scripts.") }}</p>', '{{ _("No tracking, no cookies, no scripts.") }} Figures between 2019 and 2023.</p>',
        "Figures between 2019 and 2023.", "house style: “between 2019 and 2023”", "fiscal years 2019–2023",
    ),
    BadEdit(
        "style-settings", "A phrase the house style refuses, in a menu name in the settings", "pelicanconf.py",
        '("No immigration court date yet", "never-given-a-court-date/")', '("Never given a court date", "never-given-a-court-date/")',
        '("Never given a court date"', "house style: “Never given”", "not yet served",
    ),
    BadEdit(
        "style-bad-regex", "A house style rule whose phrase is not a valid regular expression", "data/style.yaml",
        "- phrase: '\\baudiencias?", "- phrase: '(\\baudiencias?", "(\\baudiencias?",
        "is not a valid regular expression", "fix the pattern",
    ),
    BadEdit(
        "style-rule-no-why", "A house style rule without its reason", "data/style.yaml",
        "    why: The inspector general is the Department of Homeland Security's, not ICE's.\n", "", "\\bICE(?:",
        "is missing `why`", "add a `why:` line",
    ),
    BadEdit(
        "correction-unknown-page", "A correction that names a page that does not exist", "data/corrections.yaml",
        "    pages: []", "    pages: [never-given-a-court-dat]", "never-given-a-court-dat",
        "correction neutral-site-name names a page `never-given-a-court-dat` that does not exist", "use a page's Slug:",
    ),
    BadEdit(
        "correction-bad-kind", "A correction whose kind is neither correction nor clarification", "data/corrections.yaml",
        "    kind: clarification", "    kind: fix", "    kind: fix",
        "`kind` of neutral-site-name cannot be `fix`", "use correction",
    ),
    BadEdit(
        "correction-bad-date", "A correction dated with a day that does not exist", "data/corrections.yaml",
        '    date: "2026-12-01"', '    date: "2026-02-30"', "2026-02-30",
        "`date` of neutral-site-name is not a real day", "YYYY-MM-DD",
    ),
    BadEdit(
        "correction-untranslated", "A correction without its Spanish in data/es.yaml", "data/es.yaml",
        "corrections:\n  neutral-site-name:\n", "corrections:\n  neutral-site-nam:\n", "  neutral-site-nam:",
        "corrections.neutral-site-nam translates a record that does not exist", "correct the id to match the English file",
    ),
    # ---- trust-build: drafts, and files that are not the project's own ----
    BadEdit(
        "link-to-draft", "A page made a draft while other pages link to it", "content/updates/2025-03-final-audit.md",
        "Slug: final-audit-2025\n", "Slug: final-audit-2025\nStatus: draft\n", "{filename}../updates/2025-03-final-audit.md",
        "leads to a draft (`Status: draft`), which is never published", "remove the link, or publish that page first",
        path="content/pages/missed-court-hearings.md",
    ),
    FileEdit(
        "link-outside-project", "A link (symlink) to a system file put among the site's files", "content/static/passwd.txt",
        None, "/etc/passwd", None,
        "this is a link to `/etc/passwd`, outside the project", "copy the file into the project instead of linking to it",
        make="link", change="`content/static/passwd.txt` made a symbolic link to `/etc/passwd`",
    ),
    FileEdit(
        "link-to-nowhere", "A link (symlink) whose file was moved or deleted", "content/pages/old-notes.md",
        None, "../../../notes/old-notes.md", None,
        "this is a link to `../../../notes/old-notes.md`, which does not exist", "delete the link, or put back the file it names",
        make="link", change="`content/pages/old-notes.md` made a symbolic link to `../../../notes/old-notes.md`",
    ),
    # words-fixes (#13 follow-ups)
    BadEdit(
        "as-of-approximate-words", "A figure dated with the source's words instead of a part of a year (“late last year”)", FIGURES,
        "as_of: late 2023", "as_of: late last year", "as_of: late last year",
        "`as_of` of us_citizen_children_separated is not a valid date: `late last year`", "early, mid or late and the year (late 2023)",
    ),
    BadEdit(
        "source-title-empty-es", "A source title we wrote, its Spanish translation left empty", "data/es.yaml",
        "    title: Crónica de la audiencia del 8 de diciembre de 2023 en el caso Ms. L contra ICE", '    title: ""', '    title: ""',
        "sources.times_of_san_diego_2023_12_08 has an empty translated `title`", "delete the line to show the original",
    ),
    BadEdit(
        "style-guillemets-es", "Spanish quotation marks « » instead of “ ” (the words inside stay exempt)", "content/pages/es/by-year.md",
        "de la alerta, “niños trasladados a la ORR”", "de la alerta, «niños trasladados a la ORR»", "«niños trasladados",
        "house style: “« »”", "comillas “…”",
    ),
    # house-once: the macros the plugin renders itself (a chart's <figure>, the source notes),
    # read while pages are, not when Pelican writes them.
    BadEdit(
        "broken-macro", "A broken macro (a `}` missing in the chart's HTML)", "theme/templates/macros.html",
        '<figcaption class="chart-title" id="chart-{{ chart.id }}-title">{{ chart.title }}</figcaption>',
        '<figcaption class="chart-title" id="chart-{{ chart.id }}-title">{{ chart.title }</figcaption>', "{{ chart.title }</figcaption>",
        "template error: unexpected '}'", "fix the template syntax on this line",
    ),
    # claims (#15): data/claims.yaml, the claims page and its Spanish
    BadEdit(
        "claim-rests-on-unknown-figure", "A claim resting on a figure id with a typo", "data/claims.yaml",
        "    value: 320000\n    rests_on: [never_served_nta, failed_to_appear]", "    value: 320000\n    rests_on: [never_served_nta, failed_to_apear]", "failed_to_apear",
        "claim vance_debate rests on an unknown figure `failed_to_apear`", "use ids from data/figures.yaml",
    ),
    BadEdit(
        "claim-how-not-computable", "A claim said to be a sum of one figure", "data/claims.yaml",
        "    rests_on: [transferred_to_hhs]\n    how: figure", "    rests_on: [transferred_to_hhs]\n    how: sum", "how: sum\n\n  - id: noem_senate_located",
        "`how: sum` of noem_senate cannot be computed from one figure", "write `how: figure`",
    ),
    BadEdit(
        "claim-number-typed", "A claimed number typed into the claims page instead of its reference", "content/pages/claims.md",
        "- **Near the sum:** {{ claim:vance_debate }}", "- **Near the sum:** 320,000", "Near the sum",
        "the number 320,000 is typed in; it is the figure claim:vance_debate", "write {{ claim:vance_debate }}",
    ),
    BadEdit(
        "claim-sum-typed", "The sum a claim rests on typed into a page instead of computed", "content/pages/claims.md",
        "Added, they give {{ claim:vance_debate.basis }}.", "Added, they give more than 323,000.", "Added, they give",
        "the number 323,000 is typed in; it is the figure claim:trump_glendale.basis", "write {{ claim:trump_glendale.basis }}",
    ),
    BadEdit(
        "claim-quote-retyped", "A claim's words retyped into a page instead of shown from data/claims.yaml", "content/pages/claims.md",
        "The alert does not say that these children",
        'JD Vance said "the Department of Homeland Security has effectively lost" them. The alert does not say that these children', "JD Vance said",
        "of claim vance_debate is typed into the page", "quotations are kept once, in data/claims.yaml",
    ),
    BadEdit(
        "claim-translation-missing-es", "A claim's Spanish translation of its quote left out", "data/es.yaml",
        '    translation: "Tenemos 320,000 niños que el Departamento de Seguridad Nacional ha perdido de hecho."\n', "", "  vance_debate:\n    role: senador",
        "claims.vance_debate has no translated `translation`", "add `translation:` with the translated text",
    ),
    BadEdit(
        "claim-verdict-without-source", "A fact-checker's verdict with its source (`by:`) deleted", "data/claims.yaml",
        "  - by: denver7_2024_10\n    lead: rated the claim\n", "  - lead: rated the claim\n", "  - lead: rated the claim",
        "is missing `by`", "add a `by:` line",
    ),
    # house-core: the plugin's settings, one FIGURES dict in pelicanconf.py, checked when a build
    # starts and by `make check`.
    BadEdit(
        "settings-key-misspelt", "A key of the FIGURES setting misspelt", "pelicanconf.py",
        '"referrer_policy": "strict-origin', '"referer_policy": "strict-origin', '"referer_policy"',
        "FIGURES['referer_policy']: no such setting", "did you mean 'referrer_policy'?",
    ),
    BadEdit(
        "settings-wrong-type", "A FIGURES setting given the wrong type (the editions as one text, not a list)", "pelicanconf.py",
        '"languages": languages,', '"languages": "en, es",', '"languages": "en, es"',
        "FIGURES['languages'] is 'en, es', not a list of texts", 'write a list, e.g. ["en"]',
    ),
    # provenance: a published value changed without a `history:` entry for the value it replaced
    # (git's last commit is the record: the copy is committed first).
    BadEdit(
        "value-changed-without-history", "A published figure's value changed, with its quote, and no history entry for the old value", FIGURES,
        "    value: 32000\n", "    value: 33000\n", "    value: 33000",
        "the value of failed_to_appear changed from 32000 (last committed) to 33000 without a history entry",
        "add under failed_to_appear `history:` an entry `- value: 32000`",
        committed=True, also=(("more than 32,000 UCs failed", "more than 33,000 UCs failed"),),
    ),
    BadEdit(
        "history-unknown-source", "An earlier value (`history:`) citing a source id with a typo", FIGURES,
        QUOTE_32K, QUOTE_32K + '    history:\n      - value: 31000\n        date: "2026-11-30"\n        why: correction\n        source: oig_24_64\n',
        "source: oig_24_64", "an earlier value of failed_to_appear cites an unknown source `oig_24_64`", "use an id from data/sources.yaml",
    ),
    BadEdit(
        "history-date-not-a-day", "An earlier value (`history:`) dated with a month only", FIGURES,
        QUOTE_32K, QUOTE_32K + '    history:\n      - value: 31000\n        date: "2026-11"\n        why: correction\n        source: oig_24_46\n',
        'date: "2026-11"', "the `date` of an earlier value of failed_to_appear is not a day: `2026-11`", 'write the day the value was replaced on the site, "YYYY-MM-DD"',
    ),
    # chartpages: each chart's page (charts/<id>/) and embed page (embed/<id>/) are the build's.
    BadEdit(
        "save-as-embed-page", "A page saved over a chart's embed page", "content/pages/glossary.md",
        "Slug: glossary\n", "Slug: glossary\nSave_as: embed/transfers_by_year/index.html\n", "Save_as:",
        "this page would be written to `embed/transfers_by_year/index.html`, as the build's embed/ folder is", "give it its own `Save_as:`",
    ),
    # s20-checkaddr: where pages go, as `make check` computes it without Pelican (plugins/figures/addresses.py).
    BadEdit(
        "save-as-outside", "A page saved above the site's folder (Pelican would skip it)", "content/pages/glossary.md",
        "Slug: glossary\n", "Slug: glossary\nSave_as: ../../glossary.html\n", "Save_as:",
        "this page would be written to `../../glossary.html`, outside the site", "give it an address inside the site in `Save_as:`",
    ),
    BadEdit(
        "title-slug-collision", "A page without Slug: whose title makes another page's address", "content/pages/glossary.md",
        "Title: Glossary\nSlug: glossary\n", "Title: Timeline\n", "Title: Timeline",
        "this page would be written to `timeline/index.html`, as content/pages/timeline.md is", "give it its own `Title:`",
    ),
]

# What every line the build prints must look like: `path:LINE: what — how`, or the summary.
LINE_RE = re.compile(r"^[^:\n]+:(\d+:)? .+ — .+$")
SUMMARY_RE = re.compile(r"^Build stopped: \d+ problems? to fix\. The site was not changed\.$")
