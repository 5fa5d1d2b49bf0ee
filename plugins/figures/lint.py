"""Checks that run on every build (and `make check`) beyond the data's own schema.

- References inside data text (chart titles, captions, alt text, timeline,
  corrections) must name known figures; corrections name real pages.
- No figure may be typed into any text readers see (pages, data texts,
  data/es.yaml, templates, the interface catalogue), in any form: 32,000,
  32.000, 32 000, 32k, 32 thousand, 32 mil, thirty-two thousand, a rounding
  (450,000), a share (65%). Nor any other number of 1,000 or more: it belongs
  in data/figures.yaml. One edit to data/ must never leave a stale copy behind.
- The house style of data/style.yaml, in the site's own voice (quotations exempt).
"""

from __future__ import annotations

import bisect
import contextlib
import functools
import re
from pathlib import Path

from . import files, formatting, references, translations
from .errors import EditorError
from .files import is_editor_file

CHART_TEXT_FIELDS = ("title", "caption", "alt")

# Values below this are too common as ordinary numbers (dates, list items) to police.
SMALLEST_POLICED_VALUE = 10

def check_data_texts(data) -> list[EditorError]:
    """References inside data text: chart titles, captions, alt text, stages; timeline events."""
    errors = []

    def check(record, key, display, owner):
        for match in references.finditer(record[key]):
            found = references.problem(match, data, allow_charts=False)
            if found:
                # Folded text (`>-`) runs over several lines: name the one with the reference.
                line = data.line_of(display, record.key_lines[key], match.group(0))
                errors.append(EditorError(display, line, f"in the {key} of {owner}, {found[0]}", found[1]))

    for chart_id, chart in data.charts.items():
        display, _ = data.where[("chart", chart_id)]
        for key in CHART_TEXT_FIELDS:
            check(chart, key, display, f"chart {chart_id}")
        for stage in chart.get("stages", []):
            check(stage, "text", display, f"chart {chart_id}")
    for event_id, event in data.events.items():
        display, _ = data.where[("event", event_id)]
        for key in ("title", "text"):
            check(event, key, display, f"event {event_id}")
    for correction_id, correction in data.corrections.items():
        display, _ = data.where[("correction", correction_id)]
        check(correction, "text", display, f"correction {correction_id}")
    return errors


# ---- words-house: every text in the site's voice, and every way a number is written ----
#
# The files readers' words come from: content/ (Markdown), the data texts (data/*.yaml),
# the templates and the Spanish interface strings. Each file is turned into "voice": the
# same text with everything that is not prose in the site's voice blanked out (ids, values,
# dates, addresses, references, tags, template code), lines kept, so a match's offset still
# gives its line. Quotations are blanked only for the style rules: a typed figure inside a
# quote still goes stale when the figure changes (the `quote:` fields, checked against the
# value by data.py, and sources' titles, which are the documents' own, are blanked for both).

# Data fields that are not prose: ids, numbers, dates, addresses, lists of ids, formulas.
NOT_PROSE_KEYS = {
    "id", "value", "qualifier", "period", "fiscal_years", "as_of", "date", "sources", "url", "summary_url",
    "formula", "show_as", "figures", "events", "kind", "part_of", "breakdown", "verdict", "pages",
    # data/claims.yaml
    "up_to", "rests_on", "how", "grade", "quoted_by", "by", "claims", "figure", "change",
}
# Data fields that quote someone else: never the site's voice.
QUOTED_KEYS = {"quote", "translation"}  # translation: our translation of a claim's quote (data/es.yaml)
QUOTED_KEYS_IN = {"sources.yaml": {"title"}}
# Data files that are not reader text at all.
NOT_TEXT_FILES = {"style.yaml"}
# Markdown metadata read by readers; every other key (Slug, Template, Date, Cards…) is not prose.
PROSE_METADATA = {"title", "description", "standfirst", "summary"}

_YAML_KEY_RE = re.compile(r"^(\s*)(?:-\s+)?([A-Za-z_][\w\-]*)\s*:(?=\s|$)")
_QUOTES_RE = re.compile(r"“[^”]*”|«[^»]*»|\"[^\"\n]*\"|„[^“”]*[“”]")


def _blank(text: str) -> str:
    """Spaces for every character but line breaks: offsets and lines survive."""
    return re.sub(r"[^\n]", " ", text)


def _blank_re(pattern, text: str, flags=0) -> str:
    return re.sub(pattern, lambda m: _blank(m.group(0)), text, flags=flags)


def _voice_yaml(text: str, name: str) -> str:
    quoted = QUOTED_KEYS | QUOTED_KEYS_IN.get(name, set())
    out, key = [], None
    for line in text.split("\n"):
        stripped = line.lstrip()
        if not stripped or stripped.startswith("#"):
            out.append(_blank(line))
            continue
        match = _YAML_KEY_RE.match(line)
        if match:
            # A `key:` line; the lines after it without a key continue its (folded) text.
            key = match.group(2)
            value = line[match.end():]
            indicator = re.match(r"\s*[>|][-+]?\s*$", value)
            if indicator:
                value = _blank(value)
            else:
                # YAML's own quotes around a whole value are not quotation marks.
                core = value.strip()
                if len(core) >= 2 and core[0] == core[-1] and core[0] in "\"'":
                    i, j = value.index(core[0]), value.rindex(core[-1])
                    value = value[:i] + " " + value[i + 1 : j] + " " + value[j + 1 :]
            line = _blank(line[: match.end()]) + value
        if key in NOT_PROSE_KEYS or key in quoted:
            line = _blank(line)
        out.append(line)
    return "\n".join(out)


def _voice_markdown(text: str) -> str:
    head, sep, body = text.partition("\n\n")
    if not re.match(r"^[A-Za-z_]+\s*:", head):
        head, sep, body = "", "", text
    lines = []
    for line in head.split("\n") if head else []:
        key = re.match(r"^([A-Za-z_]+)\s*:", line)
        lines.append(_blank(line[: key.end()]) + line[key.end():] if key and key.group(1).lower() in PROSE_METADATA else _blank(line))
    body = _blank_re(r"^(```|~~~).*?^\1[^\n]*$", body, re.M | re.S)  # fenced code
    body = _blank_re(r"`[^`\n]*`", body)  # code spans
    body = _blank_re(r"<!--.*?-->", body, re.S)
    body = _blank_re(r"\]\([^)\s]*(?:\s+\"[^\"]*\")?\)", body)  # link targets
    body = _blank_re(r"^\s*\[[^\]]+\]:\s*\S+.*$", body, re.M)  # reference-style link definitions
    body = _blank_re(r"<[^>\n]+>", body)  # raw HTML tags, autolinks
    body = _blank_re(r"\bhttps?://\S+", body)
    body = _blank_re(r"\{filename\}\S*", body)
    return "\n".join(lines) + sep + body if head else body


def _voice_template(text: str) -> str:
    text = _blank_re(r"\{#.*?#\}", text, re.S)

    def code(match):
        # Keep the words of `_("…")` (interface text), blank the rest of the code.
        inner = match.group(0)
        kept = _blank(inner)
        for s in re.finditer(r"""_\(\s*(["'])(.+?)\1\s*[,)]""", inner):
            start = s.start(2)
            kept = kept[:start] + s.group(2) + kept[start + len(s.group(2)):]
        return kept

    text = re.sub(r"\{\{.*?\}\}|\{%.*?%\}", code, text, flags=re.S)
    text = _blank_re(r"<(script|style)\b.*?</\1>", text, re.S | re.I)
    return _blank_re(r"<[^>]*>", text, re.S)


def _voice_po(text: str) -> str:
    """Only the msgstr texts (the Spanish): not the msgids, comments or the header entry."""
    out, state, msgid, header = [], None, "", False

    def kept(line, prefix):
        m = re.match(r'(\s*' + prefix + r'")(.*)("\s*)$', line)
        return _blank(m.group(1)) + m.group(2) + _blank(m.group(3)) if m else _blank(line)

    for line in text.split("\n"):
        stripped = line.strip()
        if stripped.startswith("msgid "):
            state, msgid = "msgid", stripped[len("msgid "):].strip('"')
            out.append(_blank(line))
        elif stripped.startswith("msgstr"):
            # The header is the entry whose msgid is empty, even across continuation lines.
            header, state = msgid == "", "msgstr"
            out.append(_blank(line) if header else kept(line, r"msgstr(?:\[\d+\])?\s*"))
        elif stripped.startswith('"') and state == "msgid":
            msgid += stripped.strip('"')
            out.append(_blank(line))
        elif stripped.startswith('"') and state == "msgstr" and not header:
            out.append(kept(line, ""))
        else:
            state = None if not stripped.startswith('"') else state
            out.append(_blank(line))
    return "\n".join(out)


# Settings whose words readers see: the site's name and tagline, the menus.
READER_SETTINGS = {"SITENAME", "SITE_TAGLINE", "MAIN_MENU", "GUIDE_PAGES"}


def _voice_settings(text: str) -> str:
    """Only the text of the settings readers see (pelicanconf.py); the rest is code."""
    import ast

    lines = text.split("\n")
    out = [_blank(line) for line in lines]
    try:
        tree = ast.parse(text)
    except SyntaxError:
        return "\n".join(out)  # Pelican reports a broken settings file itself
    for node in tree.body:
        targets = [t.id for t in getattr(node, "targets", []) if isinstance(t, ast.Name)]
        if not READER_SETTINGS & set(targets):
            continue
        for const in ast.walk(node.value):
            if isinstance(const, ast.Constant) and isinstance(const.value, str) and const.lineno == const.end_lineno:
                row = const.lineno - 1
                # Column offsets are in UTF-8 bytes: slice the encoded line.
                raw = lines[row].encode()
                segment = raw[const.col_offset : const.end_col_offset].decode()
                inner = segment[1:-1] if segment[:1] in "\"'" else segment
                start = len(raw[: const.col_offset].decode()) + 1
                out[row] = out[row][:start] + inner + out[row][start + len(inner):]
    return "\n".join(out)


def voice(path: Path, text: str | None = None, quotes: bool = True) -> str:
    """The file's text with everything but prose blanked; `quotes=False` blanks quotations too."""
    text = path.read_text(encoding="utf-8", errors="replace") if text is None else text
    text = text.replace("\r\n", "\n")
    suffix = path.suffix.lower()
    if suffix in (".yaml", ".yml"):
        if path.name in NOT_TEXT_FILES:
            return _blank(text)
        out = _voice_yaml(text, path.name)
    elif suffix == ".md":
        out = _voice_markdown(text)
    elif suffix == ".po":
        out = _voice_po(text)
    elif suffix == ".py":
        out = _voice_settings(text)
    else:
        out = _voice_template(text)
    # References are the site's machinery, not words: {{ failed_to_appear }}, {{ chart:x }}.
    out = _blank_re(r"\{\{.*?\}\}", out)
    if not quotes:
        # The words inside are exempt; « » themselves stay, for the rule on quotation marks.
        out = re.sub(_QUOTES_RE, lambda m: re.sub(r"[^\n«»]", " ", m.group(0)), out)
        if suffix == ".md":
            out = _blank_re(r"^[ \t]*>.*$", out, re.M)  # blockquotes
    return out


def language_of(path: Path | str, languages=("en", "es"), default: str = "en") -> str:
    """content/pages/es/x.md, data/es.yaml and translations/es/… are Spanish (path as editors see it)."""
    path = Path(path)
    parts = set(path.parts) | {path.stem}
    return next((lang for lang in languages if lang != default and lang in parts), default)


def site_text_files(content: Path, data_dir: Path, theme: Path, settings: Path | None = None) -> list[Path]:
    """Every file whose words reach readers (and the settings file, for its names and menus)."""
    candidates = [
        *([settings] if settings is not None else []),
        *files.pages(content),
        *sorted(p for p in data_dir.glob("*.yaml") if p.name not in NOT_TEXT_FILES),
        *sorted((theme / "templates").rglob("*.html")),
        *sorted((theme / "translations").rglob("*.po")),
    ]
    # An editor's lock or backup file (often a dangling link) is no text of the site; anything
    # else that is not a regular file is reported by the loaders that read it.
    return [p for p in candidates if p.is_file() and not is_editor_file(p.name)]


# ---- numbers in every form ----

_SEP = r"(?:,|\.|[ \u00a0\u202f\u2009](?=\d{3}\b))"
_SCALE = {
    "k": 1_000, "thousand": 1_000, "thousands": 1_000, "mil": 1_000,
    "million": 1_000_000, "millions": 1_000_000, "mn": 1_000_000, "millón": 1_000_000, "millon": 1_000_000, "millones": 1_000_000,
    "billion": 1_000_000_000,
}
# A numeral: grouped (32,000 · 32.000 · 32 000 with any space), or plain digits; optionally a
# decimal part and a scale word (32k · 32 thousand · 32 mil · 0.45 million · 1,5 millones).
NUMBER_RE = re.compile(
    r"(?<![\w.,\-/#\u00a0\u202f])(?P<int>\d{1,3}(?:" + _SEP + r"\d{3})+|\d+)"
    r"(?:(?P<dec>[.,]\d{1,2})(?!\d))?"
    r"(?:[ \u00a0\u202f\u2009]?(?P<scale>k|thousands?|mil|millions?|mn|mill[oó]n|millones|billion)\b)?"
    r"(?P<pct>[ \u00a0\u202f]?%|\s+(?:percent|per\s+cent|por\s+ciento)\b)?"
    r"(?![\w/]|[.,]\d|-\d)",
    re.IGNORECASE,
)
YEAR_RANGE = range(1900, 2101)
# Numbers that name something rather than count it: a statute's section, a page, a report number.
IDENTIFIER_BEFORE_RE = re.compile(r"(?:§§?|U\.S\.C\.|C\.F\.R\.|\bsections?|\bsecci[oó]n|\bno\.|\bnos\.|\bn\.º|\bpages?|\bp[aá]gina|\bpp?\.)\s*(?:\d+\s*[–-]\s*)?$", re.IGNORECASE)


def _parsed(match: re.Match) -> float | None:
    whole = re.sub(r"[^\d]", "", match.group("int"))
    value = float(whole)
    if match.group("dec"):
        if not match.group("scale") and not match.group("pct"):
            return None  # 4.5, 1,5: a decimal number, not a count
        value += float("0." + match.group("dec")[1:])
    scale = match.group("scale")
    if scale:
        value *= _SCALE[scale.lower().replace("ó", "o") if scale.lower() != "millón" else "millón"]
    return value


def _roundings(value: int) -> set[int]:
    """value, and value rounded to two or more significant digits: 67987 -> 67990, 68000."""
    found = {value}
    digits = len(str(value))
    for keep in range(2, digits):
        found.add(int(round(value, keep - digits)))
    return {v for v in found if v == value or v >= 1_000}


def _words(text: str) -> tuple[str, ...]:
    return tuple(w for w in re.findall(r"[a-záéíóúñü]+", text.lower()) if w != "and")


# Every word num2words writes for a whole number below a trillion, per language (test_style checks
# the list). A file's runs of these words are kept whatever the figures are; which run spells a
# figure is looked up at each build, so a new value needs no text read again.
NUMBER_WORDS = {
    "en": frozenset({
        "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen",
        "sixteen", "seventeen", "eighteen", "nineteen", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety", "hundred",
        "thousand", "million", "billion", "trillion",
    }),
    "es": frozenset({
        "cero", "un", "uno", "dos", "tres", "cuatro", "cinco", "seis", "siete", "ocho", "nueve", "diez", "once", "doce", "trece", "catorce", "quince",
        "dieciséis", "diecisiete", "dieciocho", "diecinueve", "veinte", "veintiuno", "veintidós", "veintitrés", "veinticuatro", "veinticinco",
        "veintiséis", "veintisiete", "veintiocho", "veintinueve", "treinta", "cuarenta", "cincuenta", "sesenta", "setenta", "ochenta", "noventa", "y",
        "cien", "ciento", "doscientos", "trescientos", "cuatrocientos", "quinientos", "seiscientos", "setecientos", "ochocientos", "novecientos",
        "mil", "millón", "millones", "billón",
    }),
}
# Between two number words: spaces or hyphens ("thirty-two thousand"); English also allows "and".
_JOINER_RE = re.compile(r"[\s\-]+")
_AFTER_AND_RE = re.compile(r"\s+")
_WORD_RE = re.compile(r"\w+")


def _spelt(values, lang: str, known: dict, asked: dict) -> dict:
    """{words: value} for every value written out ("thirty-two thousand" -> 32000).

    `known` holds num2words' answers from earlier builds ("lang:value" -> words): importing
    num2words alone costs more than a one-page rebuild's text checks. `asked` gets those used.
    """
    spelt = {}
    for value in values:
        key = f"{lang}:{value}"
        if key not in known:
            from num2words import num2words

            known[key] = list(_words(num2words(value, lang=lang)))
        asked[key] = known[key]
        spelt[tuple(known[key])] = value
    return spelt


def _number_word_runs(text: str, lang: str, line_of, vocabulary) -> list:
    """Each run of number words a joiner links ("four hundred and forty-eight thousand"), as
    [the run's text, [[word, start, end, line, may start a match, may end one], …]] (offsets in the run).

    A match may not start after a hyphen or end before one: "forty-eight" holds no "eight".
    """
    tokens = [(m.group(0).lower(), m.start(), m.end()) for m in _WORD_RE.finditer(text)]
    runs: list = []
    run: list = []
    previous = None  # index in tokens of the run's last word
    for index, (word, start, end) in enumerate(tokens):
        if word not in vocabulary:
            continue
        linked = False
        if run and previous == index - 1:
            linked = bool(_JOINER_RE.fullmatch(text, run[-1][2], start))
        elif run and lang == "en" and previous == index - 2 and tokens[index - 1][0] == "and":
            # English joins with "and" too: "four hundred and forty-eight".
            _, and_start, and_end = tokens[index - 1]
            linked = bool(_JOINER_RE.fullmatch(text, run[-1][2], and_start) and _AFTER_AND_RE.fullmatch(text, and_end, start))
        if not linked and run:
            runs.append(run)
            run = []
        run.append((word, start, end))
        previous = index
    if run:
        runs.append(run)
    found = []
    for run in runs:
        first = run[0][1]
        items = [[w, s - first, e - first, line_of(s), text[s - 1 : s] != "-", text[e : e + 1] != "-"] for w, s, e in run]
        found.append([text[first : run[-1][2]], items])
    return found


def _spelt_matches(runs: list, spelt: dict, longest: int):
    """(text, line, value) of each written-out value in the runs: at each word, the longest that
    spells a value (of at most `longest` words) wins, as a regex alternation of every spelling,
    longest first, would find; but in time linear in the text, not in text × figures."""
    for run_text, items in runs:
        words = [item[0] for item in items]
        i = 0
        while i < len(items):
            if items[i][4]:
                for k in range(min(longest, len(items) - i), 0, -1):
                    value = spelt.get(tuple(words[i : i + k]))
                    if value is not None and items[i + k - 1][5]:
                        yield run_text[items[i][1] : items[i + k - 1][2]], items[i][3], value
                        i += k
                        break
                else:
                    i += 1
                continue
            i += 1


def _figure_values(data) -> tuple[dict, dict]:
    """(number -> (figure id, exact?)) for counts, (percent -> id) for shares."""
    counts, percents = {}, {}
    exact = {}
    for fid, figure in data.figures.items():
        if figure["value"] >= SMALLEST_POLICED_VALUE:
            exact.setdefault(figure["value"], fid)
    for fid, item in data.derived.items():
        value = formatting.derived_value(item, data.figures)
        if item["show_as"] == "count" and round(value) >= SMALLEST_POLICED_VALUE:
            exact.setdefault(round(value), fid)
        elif item["show_as"] == "ratio":
            percents.setdefault(round(value * 100), fid)
    for value, fid in exact.items():
        counts[value] = (fid, True)
    for value, fid in exact.items():
        for rounded in _roundings(value):
            counts.setdefault(rounded, (fid, False))
    # data/claims.yaml: the numbers said, the sums they rest on, the figures confused with these;
    # after the figures, so a rounding of a figure (450,000) is still named as the figure's.
    from . import claims

    said = [(value, ref) for value, ref in claims.policed(data) if value >= SMALLEST_POLICED_VALUE]
    for value, ref in said:
        counts.setdefault(value, (ref, True))
    for value, ref in said:
        for rounded in _roundings(value):
            counts.setdefault(rounded, (ref, False))
    return counts, percents


def _figure_text(fid: str, data) -> str:
    """The figure as the hint shows it (in English, the language of the checks' messages)."""
    if fid.startswith("claim:"):
        from . import claims

        return claims.reference_text(fid, data)
    english = formatting.edition("en", "")
    figure = data.figures.get(fid)
    if figure is not None:
        return formatting.with_qualifier(figure, english)
    item = data.derived[fid]
    return formatting.derived_text(item, data.figures, english, "" if item["show_as"] == "count" else "percent")


# Data texts where {{ references }} are rendered; elsewhere the hint says to reword.
_DATA_FILES = {"figures.yaml", "sources.yaml", "glossary.yaml", "charts.yaml", "timeline.yaml", "corrections.yaml"}
REFERENCE_FILES = {"charts.yaml", "timeline.yaml", "corrections.yaml"}
# ... and in a translation file, the sections that translate those.
REFERENCE_SECTIONS = {name for name, section in translations.SECTIONS.items() if section.where}


def _sections(text: str):
    """`section(line)`: the top-level key a line of a YAML file sits under (`figures`, `charts`…)."""
    starts = [(text.count("\n", 0, m.start()) + 1, m.group(1)) for m in re.finditer(r"^([A-Za-z_][\w-]*):", text, re.M)]
    lines = [line for line, _ in starts]
    return lambda line: starts[bisect.bisect_right(lines, line) - 1][1] if lines and lines[0] <= line else ""


def _how(fid: str, path: Path, attr: str = "", section: str = "") -> str:
    ref = f"{{{{ {fid}{attr} }}}}"
    takes_references = path.name in REFERENCE_FILES or (path.name not in _DATA_FILES and section in REFERENCE_SECTIONS)
    if path.suffix in (".yaml", ".yml") and not takes_references:
        return f"this field shows no references: say it without the number (the figure itself is on the page as {ref})"
    if path.suffix == ".po":
        return f"interface text cannot hold a figure: move the sentence into a page, where {ref} works"
    if fid.startswith("claim:"):
        return f"write {ref} so it follows data/claims.yaml and data/figures.yaml"
    return f"write {ref}" + ("" if attr else f" (or {{{{ {fid}.number }}}})") + " so it follows data/figures.yaml"


def _line_finder(text: str):
    """`line(offset)`, in O(log n): counting newlines from the start for each match is quadratic."""
    breaks = [m.start() for m in re.finditer("\n", text)]
    return lambda offset: bisect.bisect_left(breaks, offset) + 1


def _numbers_in(path: Path, raw: str, where: str, vocabulary) -> dict:
    """What the typed-figure check needs from one file, whatever the figures are (so it is cached by
    the file's bytes alone): its numerals and its runs of number words, each with its line and section.

    Years (1900–2100 as plain digits), numbers naming a section or page, decimals, and counts below
    SMALLEST_POLICED_VALUE are left out here, as no figure can make them a finding.
    """
    text = voice(path, raw)
    line_of = _line_finder(text)
    section = _sections(raw) if path.suffix in (".yaml", ".yml") else (lambda line: "")
    numerals = []
    for match in NUMBER_RE.finditer(text):
        value = _parsed(match)
        if value is None:
            continue
        typed = " ".join(match.group(0).split())
        line = line_of(match.start())
        if match.group("pct"):
            numerals.append([line, section(line), typed, round(value), True])
            continue
        value = int(round(value))
        plain_year = match.group(0).isdigit() and value in YEAR_RANGE
        if plain_year or value < SMALLEST_POLICED_VALUE or IDENTIFIER_BEFORE_RE.search(text[max(0, match.start() - 24) : match.start()]):
            continue
        numerals.append([line, section(line), typed, value, False])
    runs = _number_word_runs(text, language_of(where), line_of, vocabulary)
    return {"numerals": numerals, "runs": [[run, items, section(items[0][3])] for run, items in runs]}


def _typed_in(path: Path, where: str, found: dict, counts: dict, percents: dict, spelt: tuple[dict, int], data) -> list[EditorError]:
    """The typed figures among one file's numbers (`_numbers_in`), by today's figures."""
    errors = []
    for line, section, typed, value, share in found["numerals"]:
        if share:
            fid = percents.get(value)
            if fid is not None:
                errors.append(EditorError(where, line, f"the share {typed} is typed in; it is the figure {fid} ({_figure_text(fid, data)})", _how(fid, path, ".percent", section)))
            continue
        hit = counts.get(value)
        if hit is not None:
            fid, exact = hit
            kind = "it is the figure" if exact else "it rounds the figure"
            errors.append(EditorError(where, line, f"the number {typed} is typed in; {kind} {fid} ({_figure_text(fid, data)})", _how(fid, path, "", section)))
        elif value >= 1_000:
            how = "add it to data/figures.yaml with its source and write {{ its_id }}, or say it without the number"
            errors.append(EditorError(where, line, f"the number {typed} is typed in", how))
    # Written out: "thirty-two thousand", "treinta y dos mil".
    for run, items, section in found["runs"]:
        for said, line, value in _spelt_matches([[run, items]], *spelt):
            fid, exact = counts[value]
            kind = "it is the figure" if exact else "it rounds the figure"
            errors.append(EditorError(where, line, f"the number “{' '.join(said.split())}” is written out; {kind} {fid} ({_figure_text(fid, data)})", _how(fid, path, "", section)))
    return errors


class _Figures:
    """The figures as the typed-figure check reads them: values, shares and their spellings, per language."""

    def __init__(self, data, known: dict | None = None):
        self.data = data
        self.counts, self.percents = _figure_values(data)
        self.known = known or {}  # num2words' answers from the cache ("lang:value" -> words)
        self.asked: dict = {}  # those this build used: what the cache keeps
        self._spelt: dict = {}
        self._vocabulary: dict = {}

    def spelt(self, lang: str) -> tuple[dict, int]:
        """{words: value} and the most words any spelling has."""
        if lang not in self._spelt:
            spelt = _spelt(sorted(self.counts), lang, self.known, self.asked)
            self._spelt[lang] = spelt, max(map(len, spelt), default=0)
        return self._spelt[lang]

    def vocabulary(self, lang: str) -> frozenset:
        """The language's number words, and any word a figure's spelling adds (none, as test_style checks)."""
        if lang not in self._vocabulary:
            words = NUMBER_WORDS.get(lang, NUMBER_WORDS["en"])
            self._vocabulary[lang] = words | {w for key in self.spelt(lang)[0] for w in key}
        return self._vocabulary[lang]

    def errors(self, path: Path, where: str, found: dict) -> list[EditorError]:
        return _typed_in(path, where, found, self.counts, self.percents, self.spelt(language_of(where)), self.data)


def typed_numbers(paths: list[Path], data, display) -> list[EditorError]:
    """Every number typed into readers' text that is, or rounds, a figure — or is 1,000 or more.

    Years (1900–2100 as plain digits), references, ids, dates, addresses and
    template code are not prose and are not looked at; see `voice()`.
    """
    figures = _Figures(data)
    errors = []
    for path in paths:
        raw = path.read_text(encoding="utf-8", errors="replace").replace("\r\n", "\n")
        where = display(path)
        found = _numbers_in(path, raw, where, figures.vocabulary(language_of(where)))
        errors += figures.errors(path, where, found)
    return errors


# ---- house style ----


@functools.cache
def _compiled(phrase: str) -> re.Pattern:
    return re.compile(phrase, re.IGNORECASE)


_SENTENCE_END_RE = re.compile(r"[.!?;:]\s")


def _style_in(text: str, where: str, rules: list) -> list[EditorError]:
    """Every phrase of `rules` in one file's voice (quotations already blanked)."""
    errors = []
    line_of = _line_finder(text)
    sentence_ends = None
    for rule in rules:
        reported = set()
        unless = _compiled(rule["unless"]) if "unless" in rule else None
        for match in _compiled(rule["phrase"]).finditer(text):
            if unless:
                # `unless` reads the sentence up to the phrase: "does not say they are missing" is fine.
                if sentence_ends is None:
                    sentence_ends = [m.end() for m in _SENTENCE_END_RE.finditer(text)]
                # Where the sentence starts: after the last end that closes before the phrase does.
                before = bisect.bisect_right(sentence_ends, match.start())
                start = sentence_ends[before - 1] if before else 0
                if unless.search(text[start : match.start()]):
                    continue
            said = " ".join(match.group(0).split())
            line = line_of(match.start())
            if (said.lower(), line) in reported:
                continue  # one line per phrase per line
            reported.add((said.lower(), line))
            why = rule["why"].strip().rstrip(".")
            errors.append(EditorError(
                where, line,
                f"house style: “{said}” in the site's own voice ({why})",
                f"write {rule['write']}, or quote the source in “…”",
            ))
    return errors


def style_problems(paths: list[Path], data, display, languages=("en", "es"), default: str = "en") -> list[EditorError]:
    """Every phrase of data/style.yaml used in the site's own voice (quotations exempt)."""
    errors = []
    for path in paths:
        rules = data.style.get(language_of(display(path), languages, default), [])
        if rules:
            errors += _style_in(voice(path, quotes=False), display(path), rules)
    return errors


def check_site_texts(
    content: Path, data_dir: Path, theme: Path, data, display, languages=("en", "es"), default: str = "en", settings: Path | None = None, cache: Path | None = None,
) -> list[EditorError]:
    """Typed figures and house style in every reader-facing text (the build and `check` both call this).

    With a `cache` folder, what each file holds is kept by its bytes: its numbers (whatever the
    figures are) and its style findings (by the rules of its language). An edit to one page reads
    that page again; an edit to a figure reads only the data file it is in, and looks the kept
    numbers up in the new values.
    """
    paths = site_text_files(content, data_dir, theme, settings)
    # Only the editions the site builds: the small test site has no Spanish.
    paths = [p for p in paths if language_of(display(p), ("en", "es"), default) in languages]
    from . import claims  # quotations of data/claims.yaml retyped into a page (cheap: pages only)

    retyped = claims.retyped_quotes([p for p in paths if p.suffix == ".md"], data, display)
    if cache is None:
        return typed_numbers(paths, data, display) + style_problems(paths, data, display, languages, default) + retyped
    return _cached_site_texts(paths, data, display, languages, default, cache) + retyped


def _cached_site_texts(paths: list[Path], data, display, languages, default: str, cache: Path) -> list[EditorError]:
    import hashlib
    import json
    import os

    # Findings depend on the file, the figures and rules (applied below, at every build) and this code.
    code = b"".join(Path(__file__).with_name(name).read_bytes() for name in ("lint.py", "formatting.py", "references.py", "translations.py", "claims.py"))
    stored = cache / f"text-checks-{hashlib.sha256(code).hexdigest()[:20]}.json"
    known: dict = {}
    if stored.exists():
        with contextlib.suppress(OSError, ValueError):  # a broken cache is simply rebuilt
            known = json.loads(stored.read_text(encoding="utf-8"))
    if not isinstance(known, dict):
        known = {}
    numbers, styles, words = (known.get(k) if isinstance(known.get(k), dict) else {} for k in ("numbers", "style", "words"))
    figures = _Figures(data, dict(words))
    kept: dict = {"numbers": {}, "style": {}, "words": figures.asked}
    typed, style = [], []
    for path in paths:
        where = display(path)
        raw_bytes = path.read_bytes()
        digest = hashlib.sha256(raw_bytes).hexdigest()
        raw = None
        lang = language_of(where)
        vocabulary = figures.vocabulary(lang)
        # A spelling with a word outside NUMBER_WORDS would need the file read again.
        extra = ",".join(sorted(vocabulary - NUMBER_WORDS.get(lang, NUMBER_WORDS["en"])))
        key = f"{where}\0{digest}\0{extra}"
        found = numbers.get(key)
        if found is None:
            raw = raw_bytes.decode("utf-8", errors="replace").replace("\r\n", "\n")
            found = _numbers_in(path, raw, where, vocabulary)
        kept["numbers"][key] = found
        typed += figures.errors(path, where, found)
        rules = data.style.get(language_of(where, languages, default), [])
        if rules:
            rules_digest = hashlib.sha256(json.dumps(rules, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:20]
            key = f"{where}\0{digest}\0{rules_digest}"
            findings = styles.get(key)
            if findings is None:
                raw = raw if raw is not None else raw_bytes.decode("utf-8", errors="replace").replace("\r\n", "\n")
                findings = [[e.path, e.line, e.message, e.hint] for e in _style_in(voice(path, raw, quotes=False), where, rules)]
            kept["style"][key] = findings
            style += [EditorError(*item) for item in findings]
    # Kept: what today's files hold (a changed or deleted file's entries go) and today's spellings.
    if kept != {"numbers": numbers, "style": styles, "words": words}:
        cache.mkdir(parents=True, exist_ok=True)
        for old in cache.glob("text-checks-*.json"):
            if old != stored:
                old.unlink(missing_ok=True)
        scratch = stored.with_suffix(f".{os.getpid()}.tmp")
        scratch.write_text(json.dumps(kept, ensure_ascii=False), encoding="utf-8")
        os.replace(scratch, stored)
    # The same order as without the cache: every typed figure first, then the house style.
    return typed + style


def check_corrections(data, slugs: set[str]) -> list[EditorError]:
    """Every page a correction names exists, and its text's references are known."""
    errors = []
    for cid, record in data.corrections.items():
        display, _ = data.where[("correction", cid)]
        for i, slug in enumerate(record["pages"]):
            if slug not in slugs:
                line = record["pages"].item_lines[i] if hasattr(record["pages"], "item_lines") and i < len(record["pages"].item_lines) else record.key_lines["pages"]
                errors.append(EditorError(display, line, f"correction {cid} names a page `{slug}` that does not exist", f"use a page's Slug:, one of: {', '.join(sorted(slugs))}"))
    return errors
