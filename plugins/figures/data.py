"""The site's data: every data/*.yaml file read (yamlfile.py), checked against its schema
(schema.py) and against the others, into one SiteData; every problem names its file and line.
A checked SiteData is kept by the bytes of every data file (load_cached, cached_result).
"""

from __future__ import annotations

import ast
import contextlib
import datetime as dt
import functools
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from .errors import EditorError, EditorErrors
from .files import is_editor_file  # one list of editor files for the whole build
from .schema import FILES, MAX_VALUE, OPTIONAL_FILES, URL_FIELDS


class Mapping(dict):
    """A dict that knows the line of each key (1-based) and of itself."""

    line: int = 0
    key_lines: dict


class Sequence(list):
    """A list that knows the line of each item (1-based) and of itself."""

    line: int = 0
    item_lines: list


# In data.py, not yamlfile.py, like Mapping and Sequence: a kept SiteData holds them, and reading
# it back must not import PyYAML.
class Float(float):
    """A number with a decimal point that remembers how it was typed (`32.000`, not `32.0`)."""

    text: str = ""


def data_files(data_dir: Path) -> list[Path]:
    """Every `*.yaml` under data/ (not in subfolders) that is not an editor's file, sorted."""
    try:
        names = sorted(os.listdir(data_dir))
    except OSError:
        return []
    return [data_dir / n for n in names if n.endswith((".yaml", ".yml")) and not is_editor_file(n)]


def read_data_file(path: Path, display: str) -> bytes:
    """The bytes of a data file, or EditorError: a regular, readable file inside the project."""
    if path.is_symlink():
        target = Path(os.path.realpath(path))
        project = Path(os.path.realpath(Path(os.path.abspath(path)).parent.parent))
        if not target.exists():
            raise EditorError(
                display,
                None,
                f"this is a link to `{os.readlink(path)}`, which does not exist",
                "put the data file itself here (git checkout restores it), or delete the link",
            )
        if project not in target.parents:
            raise EditorError(display, None, f"this is a link to `{target}`, outside the project", "copy the file itself into data/ in place of the link")
    if path.is_dir():
        raise EditorError(display, None, "this is a folder, not a data file", "move the folder out of data/, or give it a name that does not end in .yaml")
    if path.exists() and not path.is_file():  # reading a pipe would wait forever
        raise EditorError(display, None, "this is not a regular file (a device or a pipe)", "remove it and restore the data file (git checkout)")
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise EditorError(display, None, "the file is missing", "restore it from the last published version (git checkout)") from None
    except OSError as exc:
        raise EditorError(
            display,
            None,
            f"the file cannot be read ({exc.strerror or exc})",
            f"give yourself permission to read it (chmod u+r {display}), or restore it (git checkout)",
        ) from None


# ---- schema errors -> lines ------------------------------------------------


def _line_for(document, path) -> int:
    """The line of the deepest entry of `path` that we can locate."""
    node, line = document, getattr(document, "line", 1)
    for step in path:
        if isinstance(node, Mapping) and step in node:
            line = node.key_lines[step]
        elif isinstance(node, Sequence) and isinstance(step, int) and step < len(node):
            line = node.item_lines[step]
        else:
            break
        node = node[step]
    return line


def _record_name(document, path) -> str:
    """'failed_to_appear' for a path inside a record with an id, else ''."""
    node = document
    name = ""
    for step in path:
        try:
            node = node[step]
        except (KeyError, IndexError, TypeError):
            break
        if isinstance(node, dict) and isinstance(node.get("id"), str):
            name = node["id"]
    return name


def _describe(value) -> str:
    text = _describe_whole(value)
    # A wrong value may be a whole page of text: the message shows its start.
    return text if len(text) <= 120 else text[:117] + "…`"


def _describe_whole(value) -> str:
    if isinstance(value, bool):
        return f"`{str(value).lower()}` (a yes/no value)"
    if isinstance(value, float):
        return f"`{getattr(value, 'text', '') or value}` (a number with a decimal point)"
    if isinstance(value, str) and re.fullmatch(r"-?\d+", value.strip()):
        return f"`{value}` (a number in quotes is text)"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a set of fields"
    if value is None:
        return "nothing"
    return f"`{value}`"


_TYPE_WORDS = {
    "integer": "a whole number",
    "string": "text",
    "array": "a list",
    "object": "a set of fields",
}


def _schema_error_to_editor(error, document, display: str) -> EditorError:
    path = list(error.absolute_path)
    line = _line_for(document, path)
    record = _record_name(document, path)
    field_name = next((str(p) for p in reversed(path) if isinstance(p, str)), "")
    where = f"`{field_name}`" if field_name else "this entry"
    if record and field_name != "id":
        where += f" of {record}"
    hint = error.schema.get("x-hint", "") if isinstance(error.schema, dict) else ""
    v = error.validator
    # Names come from the error's instance and schema, not from jsonschema's wording.
    if v == "required":
        # jsonschema reports each missing field in the order `required` lists them:
        # the first one is the first error, the one an editor sees.
        missing = [name for name in error.validator_value if name not in error.instance]
        name = missing[0] if missing else "a field"
        rec = _record_name(document, path) or "this record"
        return EditorError(display, line, f"{rec} is missing `{name}`", f"add a `{name}:` line (see the notes at the top of the file)")
    if v == "additionalProperties":
        # The unknown fields, as jsonschema finds them (schema.py has no patternProperties), first by name.
        extra = sorted((key for key in error.instance if key not in error.schema.get("properties", {})), key=str)
        name = extra[0] if extra else "?"
        bad_line = error.instance.key_lines.get(name, line) if isinstance(error.instance, Mapping) else line
        allowed = ", ".join(error.schema.get("properties", {}))
        return EditorError(display, bad_line, f"`{name}` is not a field we know", f"check the spelling; the fields are: {allowed}")
    if v == "anyOf":
        return EditorError(display, line, f"{record or 'this record'} has neither a period nor an as-of date", hint)
    if v == "type":
        wanted = error.validator_value
        wanted = wanted if isinstance(wanted, str) else wanted[0]
        return EditorError(display, line, f"{where} should be {_TYPE_WORDS.get(wanted, wanted)}, not {_describe(error.instance)}", hint)
    if v == "exclusiveMinimum":
        return EditorError(display, line, f"{where} must be above zero, not {error.instance}", hint)
    if v in ("minimum", "maximum"):
        bound = f"at least {error.validator_value}" if v == "minimum" else f"at most {error.validator_value}"
        return EditorError(display, line, f"{where} is out of range: {error.instance} ({bound})", hint)
    if v == "maxLength":
        return EditorError(display, line, f"{where} is too long: {len(error.instance)} characters (at most {error.validator_value})", hint)
    if v == "enum":
        return EditorError(display, line, f"{where} cannot be {_describe(error.instance)}", hint)
    if v == "pattern":
        return EditorError(display, line, f"{where} is not in the right form: {_describe(error.instance)}", hint)
    if v in ("minItems", "maxItems"):
        return EditorError(display, line, f"{where} has the wrong number of entries", hint)
    if v == "minLength":
        return EditorError(display, line, f"{where} is empty", hint)
    # A keyword schema.py does not use yet (a test checks that each one it uses has its message above).
    return EditorError(display, line, f"{where}: {error.message}", hint)


# The validation keywords with a message of their own above, and those that only hold others.
SCHEMA_KEYWORDS = frozenset({
    "required", "additionalProperties", "anyOf", "type", "exclusiveMinimum", "minimum", "maximum",
    "maxLength", "enum", "pattern", "minItems", "maxItems", "minLength",
})
SCHEMA_HOLDERS = frozenset({"properties", "items", "x-hint"})


# JSON Schema counts 32.0 (typed `32.000`, a European thousands separator) as an
# integer: here only a whole number typed as digits is one.
@functools.cache
def _validator_class():
    """Built on first use: a build whose data is cached never imports jsonschema."""
    from jsonschema import Draft202012Validator, validators

    types = Draft202012Validator.TYPE_CHECKER.redefine(
        "integer", lambda checker, value: isinstance(value, int) and not isinstance(value, bool)
    )
    return validators.extend(Draft202012Validator, type_checker=types)


# ---- the loaded data --------------------------------------------------------


@dataclass
class SiteData:
    """Everything in data/, checked, indexed by id."""

    sources: dict = field(default_factory=dict)
    figures: dict = field(default_factory=dict)
    derived: dict = field(default_factory=dict)
    charts: dict = field(default_factory=dict)
    terms: dict = field(default_factory=dict)
    events: dict = field(default_factory=dict)
    # words-house: the corrections log (id -> record, in file order) and house style rules (lang -> rules)
    corrections: dict = field(default_factory=dict)
    style: dict = field(default_factory=dict)
    # claims (plugins/figures/claims.py): what was said since, fact-checkers' verdicts, figures
    # often confused with the alert's, and the counted period split by administration
    claims: dict = field(default_factory=dict)
    verdicts: list = field(default_factory=list)
    confused: dict = field(default_factory=dict)
    claims_period: dict = field(default_factory=dict)
    # (path shown to editors, line) of each record, for later error messages
    where: dict = field(default_factory=dict)
    # path shown to editors -> the file's lines, to find a word inside folded text
    lines: dict = field(default_factory=dict)
    # Chart specs resolved from this data (charts.resolve): they live as long as the data,
    # i.e. one build, never in a module-level cache that a second build would read.
    resolved: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    def line_of(self, display: str, start: int, needle: str) -> int:
        """The first line from `start` on that contains `needle` (else `start`)."""
        lines = self.lines.get(display, [])
        return next((i + 1 for i in range(start - 1, len(lines)) if needle in lines[i]), start)

    def lookup(self, figure_id: str):
        return self.figures.get(figure_id) or self.derived.get(figure_id)


DATE_RE = re.compile(r"^(\d{4})-(\d{2})(?:-(\d{2}))?$")
# A part of a year, for a count whose source gives no month ("late last year" -> `late 2023`).
APPROXIMATE_DATE_RE = re.compile(r"^(early|mid|late) (\d{4})$")


def approximate_date(text: str) -> tuple[str, int] | None:
    """('late', 2023) for `late 2023`, or None."""
    m = APPROXIMATE_DATE_RE.match(text)
    return (m.group(1), int(m.group(2))) if m and 1900 <= int(m.group(2)) <= 2100 else None


def parse_date(text: str) -> dt.date | None:
    m = DATE_RE.match(text)
    if not m:
        return None
    try:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3) or 1))
    except ValueError:
        return None


class _Checker:
    """Collects cross-record problems (ids, relations, dates) with their lines."""

    def __init__(self):
        self.errors: list[EditorError] = []

    def add(self, display, line, message, hint=""):
        self.errors.append(EditorError(display, line, message, hint))

    def unique_ids(self, records: Sequence, display: str, seen: dict):
        for record in records:
            rid = record["id"]
            if rid in seen:
                first = seen[rid]
                self.add(display, record.key_lines["id"], f"the id `{rid}` is used twice (also at {first[0]}:{first[1]})", "give each record its own id")
            else:
                seen[rid] = (display, record.key_lines["id"])

    def date(self, record: Mapping, key: str, display: str, approximate: bool = False):
        if key not in record or parse_date(record[key]) is not None:
            return
        if approximate and approximate_date(record[key]):
            return
        how = "write it as YYYY-MM-DD or YYYY-MM, e.g. 2024-05"
        if approximate:
            how += ", or early, mid or late and the year (late 2023) when the source gives no month"
        self.add(display, record.key_lines[key], f"`{key}` of {record['id']} is not a valid date: `{record[key]}`", how)


_HOST_LABEL_RE = re.compile(r"(?!-)[a-z0-9-]{1,63}(?<!-)")


def address_problem(url: str) -> str | None:
    """What stops `url` from being a working https:// address of a web page, or None.

    Refused: no host or a host without a dot (`https://`, `https://oig`), a
    space, quote, angle bracket or control character anywhere (they break the
    page's markup and the space-joined lists readers paste), a user name or
    password before the host, a bad port, a `%` not followed by two hex digits.
    """
    from urllib.parse import urlsplit

    bad = re.search(r"[\s\"'<>\\^`{|}\x00-\x1f\x7f]", url)
    if bad:
        char = bad.group()
        named = {" ": "a space", "\t": "a tab", "\n": "a line break", '"': "a quotation mark", "'": "an apostrophe"}.get(
            char,
            f"the character `{char}`" if char.isprintable() else f"an invisible character (U+{ord(char):04X})",
        )
        return f"it contains {named}"
    if len(url) > 2000:
        return f"it is {len(url)} characters long (at most 2000)"
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return "its host or port cannot be read"
    if parts.scheme != "https":
        return "it does not start with https://"
    if parts.username is not None or parts.password is not None:
        return "it has a user name or password before the host"
    host = (parts.hostname or "").rstrip(".")
    if not host:
        return "it has no host after https://"
    labels = host.split(".")
    if len(labels) < 2 or not all(_HOST_LABEL_RE.fullmatch(label) for label in labels):
        return f"`{host}` is not a host name (words joined by dots, e.g. www.oig.dhs.gov)"
    if not re.fullmatch(r"[a-z]{2,63}|xn--[a-z0-9-]+", labels[-1]):
        return f"`{host}` does not end in a domain such as .gov or .org"
    if port == 0:
        return "its port is 0"
    if re.search(r"%(?![0-9A-Fa-f]{2})", url):
        return "it has a `%` not followed by two hexadecimal digits"
    return None


_FORMULA_NODES = (ast.Expression, ast.BinOp, ast.Name, ast.Load, ast.Add, ast.Sub, ast.Mult, ast.Div, ast.USub, ast.UnaryOp)


def formula_inputs(formula: str) -> list[str] | None:
    """The figure ids a formula uses, or None if it is not plain arithmetic."""
    try:
        tree = ast.parse(formula, mode="eval")
    except SyntaxError:
        return None
    if not all(isinstance(node, _FORMULA_NODES) for node in ast.walk(tree)):
        return None
    return [node.id for node in ast.walk(tree) if isinstance(node, ast.Name)]


def evaluate_formula(formula: str, values: dict) -> float:
    tree = ast.parse(formula, mode="eval")

    def ev(node):
        if isinstance(node, ast.Expression):
            return ev(node.body)
        if isinstance(node, ast.Name):
            return values[node.id]
        if isinstance(node, ast.UnaryOp):
            return -ev(node.operand)
        left, right = ev(node.left), ev(node.right)
        op = type(node.op)
        if op is ast.Add:
            return left + right
        if op is ast.Sub:
            return left - right
        if op is ast.Mult:
            return left * right
        return left / right

    return ev(tree)


def load(data_dir: Path, display_prefix: str = "data") -> SiteData:
    """Load and check every data file; raise EditorErrors listing all problems."""
    from .yamlfile import load_yaml

    documents = {}
    errors: list[EditorError] = []
    for name, schema in FILES.items():
        display = f"{display_prefix}/{name}"
        path = data_dir / name
        if not os.path.lexists(path):
            if name in OPTIONAL_FILES:
                continue
            errors.append(EditorError(display, None, "the file is missing", "restore it from the last published version (git checkout)"))
            continue
        try:
            document = load_yaml(path, display)
        except EditorError as exc:
            errors.append(exc)
            continue
        if not isinstance(document, Mapping):
            errors.append(EditorError(display, 1, "the file should start with its list name, e.g. `figures:`", "restore the first line from the last published version"))
            continue
        # A misspelt field also makes the real one "missing": report the misspelling.
        first = {"additionalProperties": 0, "type": 1}
        schema_errors = sorted(
            _validator_class()(schema).iter_errors(document),
            key=lambda e: (list(map(str, list(e.absolute_path)[:2])), first.get(e.validator, 2), list(map(str, e.absolute_path))),
        )
        # One message per record: the first problem is the one to fix first.
        seen_paths = set()
        for err in schema_errors:
            key = tuple(map(str, list(err.absolute_path)[:2]))
            if key in seen_paths:
                continue
            seen_paths.add(key)
            errors.append(_schema_error_to_editor(err, document, display))
        documents[name] = (document, display)
    # The other data files (data/es.yaml, the Spanish edition's texts) are checked
    # against the records later, by the build; here, that they read as YAML at all,
    # so that `check` and the build stop at the same first line.
    for path in data_files(data_dir):
        if path.name not in FILES:
            try:
                load_yaml(path, f"{display_prefix}/{path.name}")
            except EditorError as exc:
                errors.append(exc)
    if errors:
        raise EditorErrors(errors)
    data = _cross_check(documents)
    for name in FILES:
        display = f"{display_prefix}/{name}"
        if name in OPTIONAL_FILES and not (data_dir / name).exists():
            continue
        data.lines[display] = (data_dir / name).read_text(encoding="utf-8").splitlines()
    return data


def load_cached(data_dir: Path, cache_dir: Path, display_prefix: str = "data") -> SiteData:
    """load(), but reuse the checked result while data/ and this code are unchanged.

    An editor who changes only a page then pays neither for PyYAML nor for
    jsonschema. The key covers every data file's bytes and the checking code.
    """
    return cached_result(data_dir, cache_dir, "data", (display_prefix,), (), lambda: load(data_dir, display_prefix))


# The code whose results cached_result keeps: these modules read and check the data.
_CHECKING_CODE = ("data.py", "yamlfile.py", "schema.py", "claims.py")


def cached_result(data_dir: Path, cache_dir: Path, kind: str, names: tuple[str, ...], code: tuple[Path, ...], compute):
    """compute(), or what it returned before with the same bytes in every data file, the same
    `names` and the same checking code (_CHECKING_CODE and `code`). Kept in `cache_dir` as
    `<kind>-<digest>.pickle`, one per kind; what raises is not kept."""
    import hashlib
    import pickle

    digest = hashlib.sha256("\0".join(names).encode())
    here = Path(__file__)
    for path in [*data_files(data_dir), *(here.with_name(name) for name in _CHECKING_CODE), *code]:
        try:
            digest.update(path.name.encode() + b"\0" + read_data_file(path, path.name))
        except EditorError:  # a folder, a pipe, a dangling link, an unreadable file: compute() says which
            return compute()
    cached = cache_dir / f"{kind}-{digest.hexdigest()[:20]}.pickle"
    if cached.exists():
        # A stale or broken cache is simply rebuilt; unpickling one can raise almost anything.
        with contextlib.suppress(Exception):
            return pickle.loads(cached.read_bytes())
    result = compute()
    cache_dir.mkdir(parents=True, exist_ok=True)
    for old in cache_dir.glob(f"{kind}-*.pickle"):
        old.unlink(missing_ok=True)
    scratch = cached.with_suffix(f".{os.getpid()}.tmp")
    scratch.write_bytes(pickle.dumps(result))
    os.replace(scratch, cached)
    return result


def _cross_check(documents) -> SiteData:
    check = _Checker()
    data = SiteData()
    seen_ids: dict = {}

    sources, s_display = documents["sources.yaml"]
    figures_doc, f_display = documents["figures.yaml"]
    figures = figures_doc["figures"]
    derived = figures_doc.get("derived", Sequence())
    charts_doc, c_display = documents["charts.yaml"]
    check.unique_ids(sources["sources"], s_display, {})
    check.unique_ids(figures, f_display, seen_ids)
    check.unique_ids(derived, f_display, seen_ids)
    check.unique_ids(charts_doc["charts"], c_display, {})
    glossary, g_display = documents["glossary.yaml"]
    timeline, t_display = documents["timeline.yaml"]
    check.unique_ids(glossary["terms"], g_display, {})
    check.unique_ids(timeline["events"], t_display, {})
    if check.errors:
        # Every later check looks records up by id: with two records under one
        # id, they would only echo this problem.
        raise EditorErrors(check.errors)

    for source in sources["sources"]:
        check.date(source, "date", s_display)
        for key in URL_FIELDS:
            problem = address_problem(source[key]) if key in source else None
            if problem:
                check.add(
                    s_display, source.key_lines[key],
                    f"`{key}` of {source['id']} is not a working address: {problem}",
                    "copy the full address from the browser's address bar, e.g. https://www.oig.dhs.gov/reports",
                )
        data.sources.setdefault(source["id"], source)
        data.where[("source", source["id"])] = (s_display, source.line)

    for figure in figures:
        data.figures.setdefault(figure["id"], figure)
        data.where[("figure", figure["id"])] = (f_display, figure.line)
    for figure in figures:
        fid = figure["id"]
        check.date(figure, "as_of", f_display, approximate=True)
        years = figure.get("period", {}).get("fiscal_years")
        if years and years[0] > years[1]:
            check.add(f_display, figure["period"].key_lines["fiscal_years"], f"the fiscal years of {fid} run backwards: {years[0]} to {years[1]}", "put the first year first")
        for i, sid in enumerate(figure["sources"]):
            if sid not in data.sources:
                check.add(f_display, figure["sources"].item_lines[i], f"{fid} cites an unknown source `{sid}`", f"use an id from data/sources.yaml: {', '.join(data.sources)}")
        for entry in figure.get("history", []):  # earlier values: a real day, a known source
            day = parse_date(entry["date"])
            if day is None or len(entry["date"]) != 10:
                check.add(
                    f_display, entry.key_lines["date"], f"the `date` of an earlier value of {fid} is not a day: `{entry['date']}`",
                    'write the day the value was replaced on the site, "YYYY-MM-DD"',
                )
            if entry["source"] not in data.sources:
                check.add(
                    f_display, entry.key_lines["source"], f"an earlier value of {fid} cites an unknown source `{entry['source']}`",
                    f"use an id from data/sources.yaml: {', '.join(data.sources)}",
                )
        if all(s in data.sources for s in figure["sources"]) and not any(data.sources[s].get("url") for s in figure["sources"]):
            check.add(f_display, figure.key_lines["sources"], f"none of the sources of {fid} has an address to link to", "add a source that has a `url:` in data/sources.yaml")
        # A quote is the source's own words: if it states a number, it must be this value.
        quoted = [int(n.replace(",", "")) for n in re.findall(r"\d{1,3}(?:,\d{3})+|\d+", figure.get("quote", ""))]
        if quoted and figure["value"] not in quoted:
            check.add(
                f_display,
                figure.key_lines["value"],
                f"the value of {fid} ({figure['value']}) is not the number in its quote",
                "a quote is the source's own words: take the value and the quote from the source together",
            )
        parent = figure.get("part_of")
        if parent is not None:
            whole = data.figures.get(parent)
            if whole is None:
                check.add(f_display, figure.key_lines["part_of"], f"{fid} is part of an unknown figure `{parent}`", f"use an id from this file: {', '.join(data.figures)}")
            elif parent == fid:
                check.add(f_display, figure.key_lines["part_of"], f"{fid} cannot be part of itself", "name the larger figure it belongs to")
            elif figure["value"] > whole["value"]:
                check.add(
                    f_display,
                    figure.key_lines["value"],
                    f"{fid} ({figure['value']}) is larger than {parent} ({whole['value']}), which it is part of",
                    "check both values for a typo",
                )
        parts = figure.get("breakdown")
        if parts:
            unknown = [(i, p) for i, p in enumerate(parts) if p not in data.figures]
            for i, p in unknown:
                check.add(f_display, parts.item_lines[i], f"the breakdown of {fid} names an unknown figure `{p}`", f"use ids from this file: {', '.join(data.figures)}")
            if not unknown:
                total = sum(data.figures[p]["value"] for p in parts)
                wrong = {
                    "more than": total < figure["value"],
                    "exactly": total != figure["value"],
                    "about": abs(total - figure["value"]) > 0.1 * figure["value"],
                }[figure["qualifier"]]
                if wrong:
                    check.add(
                        f_display,
                        figure.key_lines["breakdown"],
                        f"the breakdown of {fid} adds up to {total}, which does not fit {figure['qualifier']} {figure['value']}",
                        "check each part's value against the source",
                    )
    values = {fid: f["value"] for fid, f in data.figures.items()}
    for item in derived:
        data.derived.setdefault(item["id"], item)
        data.where[("figure", item["id"])] = (f_display, item.line)
        inputs = formula_inputs(item["formula"])
        line = item.key_lines["formula"]
        if inputs is None:
            check.add(f_display, line, f"the formula of {item['id']} is not plain arithmetic: `{item['formula']}`", "use figure ids joined by + - * / and brackets")
            continue
        unknown = [i for i in inputs if i not in values]
        if unknown:
            check.add(f_display, line, f"the formula of {item['id']} uses an unknown figure `{unknown[0]}`", f"use ids from the figures list: {', '.join(values)}")
            continue
        try:
            result = evaluate_formula(item["formula"], values)
        except ZeroDivisionError:
            check.add(f_display, line, f"the formula of {item['id']} divides by zero", "check the figures it uses")
            continue
        if not abs(result) <= MAX_VALUE:  # also catches nan
            check.add(
                f_display,
                line,
                f"the formula of {item['id']} gives {result:.3g}, larger than any figure can be (at most {MAX_VALUE})",
                "check the formula: a derived figure is a share or a count of the figures it uses",
            )

    for term in glossary["terms"]:
        data.terms.setdefault(term["id"], term)
        data.where[("term", term["id"])] = (g_display, term.line)

    for event in timeline["events"]:
        check.date(event, "date", t_display)
        data.events.setdefault(event["id"], event)
        data.where[("event", event["id"])] = (t_display, event.line)
        for i, sid in enumerate(event["sources"]):
            if sid not in data.sources:
                check.add(
                    t_display,
                    event["sources"].item_lines[i],
                    f"event {event['id']} cites an unknown source `{sid}`",
                    f"use an id from data/sources.yaml: {', '.join(data.sources)}",
                )

    for chart in charts_doc["charts"]:
        cid = chart["id"]
        data.charts.setdefault(cid, chart)
        data.where[("chart", cid)] = (c_display, chart.line)
        needs = {"bars": "figures", "columns": "figures", "timeline": "events", "flow": "stages", "claims": "claims"}[chart["kind"]]
        if needs not in chart:
            check.add(c_display, chart.key_lines["kind"], f"a {chart['kind']} chart needs `{needs}:`", f"add `{needs}:` to chart {cid}")
        figure_lists = [chart.get("figures", Sequence())] + [stage.get("figures", Sequence()) for stage in chart.get("stages", [])]
        for ids in figure_lists:
            for i, fid in enumerate(ids):
                if fid not in data.figures:
                    check.add(c_display, ids.item_lines[i], f"chart {cid} uses an unknown figure `{fid}`", f"use an id from data/figures.yaml: {', '.join(data.figures)}")
        for i, eid in enumerate(chart.get("events", [])):
            if eid not in data.events:
                check.add(c_display, chart["events"].item_lines[i], f"chart {cid} uses an unknown event `{eid}`", f"use an id from data/timeline.yaml: {', '.join(data.events)}")

    _cross_check_words(documents, data, check)
    if "claims.yaml" in documents:
        from . import claims

        claims.check(documents["claims.yaml"], data, check)

    if check.errors:
        raise EditorErrors(check.errors)
    return data


# ---- words-house: corrections log and house style ---------------------------


def _cross_check_words(documents, data: SiteData, check: _Checker) -> None:
    """corrections.yaml: unique ids, real dates; style.yaml: every phrase a valid regular expression."""
    if "corrections.yaml" in documents:
        corrections, display = documents["corrections.yaml"]
        check.unique_ids(corrections["corrections"], display, {})
        for record in corrections["corrections"]:
            if parse_date(record["date"]) is None:
                check.add(
                    display,
                    record.key_lines["date"],
                    f"`date` of {record['id']} is not a real day: `{record['date']}`",
                    'write the day the change was published as "YYYY-MM-DD"',
                )
            data.corrections.setdefault(record["id"], record)
            data.where[("correction", record["id"])] = (display, record.line)
    if "style.yaml" in documents:
        style, display = documents["style.yaml"]
        for lang in ("en", "es"):
            data.style[lang] = []
            for rule in style[lang]:
                bad = False
                for key in ("phrase", "unless"):
                    try:
                        re.compile(rule.get(key, ""), re.IGNORECASE)
                    except re.error as exc:
                        bad = True
                        check.add(
                            display,
                            rule.key_lines[key],
                            f"the {key} `{rule[key]}` is not a valid regular expression ({exc})",
                            "fix the pattern, e.g. close every ( and [, and write a literal ( ) [ ] . ? as \\( \\) \\[ \\] \\. \\?",
                        )
                if not bad:
                    data.style[lang].append(rule)
