"""data/*.yaml read safely, every value and problem tied to its line (data.py checks what it holds).

The loader is PyYAML's SafeLoader (no Python object tags) with these changes:
- plain values are read as a person reads them, close to YAML 1.2's core schema:
  `0140`, `0x8C`, `2:20`, `32_000`, `+5`, `1e5`, `.inf` (numbers YAML 1.1 reads
  otherwise, or not at all) and `~`/`null` are refused with what to write instead;
  `yes`/`no`/`on`/`off` stay words, dates stay text (we check them ourselves);
- every explicit tag (`!!int`, `!!binary`, `!!python/…`) is refused;
- an alias (`*name`) may repeat a value marked with `&name`, but not one that
  itself holds aliases, and not beyond a bound: no "billion laughs";
- duplicate keys are refused, and every mapping and list remembers the line
  of each of its entries, so a schema error can name the line an editor must fix.

Apart from data.py because PyYAML takes ~20 ms to import, and a build whose data is
unchanged reads none of it (data.load_cached).
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from .data import Float, Mapping, Sequence, read_data_file
from .errors import EditorError

# The tags our resolver gives plain values. They are private, so that an explicit
# `!!int 0x8C` or `!!bool yes` finds no constructor and is refused like any tag.
_TAG = "tag:figures.local,2026:"
_STR = "tag:yaml.org,2002:str"

# A plain value is a whole number only as digits (an optional minus, no leading
# zero); a number with a decimal point only as digits.digits (refused later by
# the schema, with its own message, wherever a whole number belongs).
_INT_RE = re.compile(r"-?(?:0|[1-9][0-9]*)")
_DECIMAL_RE = re.compile(r"-?(?:0|[1-9][0-9]*)\.[0-9]+")
# Everything else that YAML 1.1 (PyYAML) or YAML 1.2 reads as a number, and the
# near misses between them (`09`, `1.`, `1e5`): each is refused with what to write.
_NUMBER_FORM_RE = re.compile(
    r"[-+]?(?:0[bBoOxX][0-9a-fA-F_]*"
    r"|[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?"
    r"|(?=\.?[0-9])[0-9_]*\.?[0-9_]*(?:[eE][-+]?[0-9]+)?"
    r"|\.(?:inf|Inf|INF))"
    r"|\.(?:nan|NaN|NAN)"
)
_NULL_WORDS = {"~", "null", "Null", "NULL"}
_BOOL_WORDS = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
# No count on this site comes near it; more digits is a typo (and Python refuses
# to read an int of more than 4,300 digits).
MAX_DIGITS = 15
# Aliases may repeat a value, never multiply one: at most this many values added by
# repeats (the real data adds a dozen; a large file without repeats is not limited).
MAX_REPEATED_NODES = 10_000


class _Strict:
    """The resolver and constructors shared by the C and the pure-Python loader."""

    name = ""
    _field = ""  # the field whose value is being read, for messages

    def resolve(self, kind, value, implicit):
        if kind is yaml.ScalarNode and implicit[0]:
            if value == "":
                return _TAG + "null"
            if value in _NULL_WORDS:
                return _TAG + "null-word"
            if value in _BOOL_WORDS:
                return _TAG + "bool"
            if _INT_RE.fullmatch(value):
                return _TAG + "int"
            if _DECIMAL_RE.fullmatch(value):
                return _TAG + "float"
            if _NUMBER_FORM_RE.fullmatch(value):
                return _TAG + "number-form"
            return _STR  # words, dates, yes/no/on/off, `<<`, `=`: text, as typed
        return super().resolve(kind, value, implicit)


def _where(loader) -> str:
    return f"`{loader._field}` is " if loader._field else "the value "


def _number_form_problem(text: str) -> tuple[str, str]:
    """(what YAML would make of `text`, what to write instead)."""
    sign = "-" if text.startswith("-") else ""
    body = text.lstrip("+-")
    digits = body.replace("_", "")
    quote = "; if it is text, not a number, put it in double quotes"
    if body.lower() in (".inf", ".nan"):
        return "which YAML reads as infinity or not-a-number", "write the number with digits only, e.g. 32000"
    if ":" in body:
        value = 0
        for part in digits.split(".")[0].split(":"):
            value = value * 60 + int(part or 0)
        return f"which YAML 1.1 reads as the base-60 number {sign}{value}", f"write the number with digits only, e.g. {sign}{value}" + quote
    if digits[:2].lower() in ("0x", "0o", "0b"):
        base = {"x": "hexadecimal", "o": "octal", "b": "binary"}[digits[1].lower()]
        try:
            suggestion = f"{sign}{int(digits, 0)}"
        except ValueError:
            suggestion = "32000"
        return f"{'an' if base == 'octal' else 'a'} {base} number", f"write it in ordinary digits, e.g. {suggestion}" + quote
    if "e" in digits.lower():
        try:
            value = float(digits)
            example = f"{sign}{int(value)}" if value.is_integer() and value < 10**MAX_DIGITS else "32000"
        except (ValueError, OverflowError):
            example = "32000"
        return "a number with an exponent, which YAML versions read differently", f"write all its digits, e.g. {example}" + quote
    if digits.startswith(".") or digits.endswith("."):
        return "a decimal point with no digit on one side", "write the number with digits only, e.g. 32000" + quote
    plain = digits.lstrip("0") or "0"
    plain = sign + plain if plain != "0" else "0"
    if "_" in body:
        return "a number with an underscore, which YAML drops", f"write {plain}" + quote
    if text.startswith("+"):
        return "a number with a plus sign", f"write {plain}" + quote
    if len(digits) > 1 and digits[0] == "0":
        whole = digits.split(".")[0]
        if "." not in digits and re.fullmatch("[0-7]+", whole):
            return f"which YAML 1.1 reads as the octal number {sign}{int(whole, 8)} (a leading zero)", f"write {plain} (no leading zero)" + quote
        return "a number with a leading zero, which YAML versions read differently", f"write {plain} (no leading zero)" + quote
    return "a number in a form YAML versions read differently", "write the number with digits only, e.g. 32000" + quote


def _too_many_digits(loader, node) -> EditorError:
    count = sum(c.isdigit() for c in node.value)
    return EditorError(
        loader.name, node.start_mark.line + 1,
        f"{_where(loader)}a number of {count} digits, more than any figure can have (at most {MAX_DIGITS})",
        "check the number for extra digits; write it with digits only, e.g. 32000",
    )


def _construct_int(loader, node: yaml.ScalarNode) -> int:
    if sum(c.isdigit() for c in node.value) > MAX_DIGITS:
        raise _too_many_digits(loader, node)
    return int(node.value)


def _construct_float(loader, node: yaml.ScalarNode) -> Float:
    if sum(c.isdigit() for c in node.value) > MAX_DIGITS:
        raise _too_many_digits(loader, node)
    result = Float(node.value)
    result.text = node.value
    return result


def _construct_number_form(loader, node: yaml.ScalarNode):
    what, how = _number_form_problem(node.value)
    shown = node.value if len(node.value) <= 30 else node.value[:30] + "…"
    raise EditorError(loader.name, node.start_mark.line + 1, f"{_where(loader)}`{shown}`, {what}", how)


def _construct_null_word(loader, node: yaml.ScalarNode):
    raise EditorError(
        loader.name, node.start_mark.line + 1,
        f"{_where(loader)}`{node.value}`, which YAML reads as nothing",
        f'write the value; if `{node.value}` is the text itself, put it in double quotes ("{node.value}")',
    )


def _construct_null(loader, node):
    return None


def _construct_bool(loader, node):
    return _BOOL_WORDS[node.value]


def _construct_tagged(loader, node):
    """A value with a tag we have no constructor for (`!!int`, `!!python/…`, `!x`), named as typed."""
    name = node.tag.replace("tag:yaml.org,2002:", "!!")
    raise EditorError(loader.name, node.start_mark.line + 1, f"the tag `{name}` is not allowed", "remove it: data files hold only text, numbers and lists")


def _construct_mapping(loader, node: yaml.MappingNode) -> Mapping:
    result = Mapping()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        loader._field = ""
        key = loader.construct_object(key_node, deep=True)
        line = key_node.start_mark.line + 1
        if not isinstance(key, str):
            if isinstance(key_node, (yaml.MappingNode, yaml.SequenceNode)) and key_node.flow_style:
                raise EditorError(
                    loader.name,
                    line,
                    "text that starts with `{` or `[` must be in quotes",
                    'put the whole text in double quotes, e.g. title: "{{ figure_id }} and more"',
                )
            raise EditorError(loader.name, line, f"the field name `{key}` is not a word", "field names are words followed by a colon, e.g. `value:`")
        if key in result:
            raise EditorError(
                loader.name,
                line,
                f"`{key}` appears twice in the same record (first on line {result.key_lines[key]})",
                "keep one of them and delete the other",
            )
        loader._field = key
        result[key] = loader.construct_object(value_node, deep=True)
        loader._field = ""
        result.key_lines[key] = line
    return result


def _construct_sequence(loader, node: yaml.SequenceNode) -> Sequence:
    result = Sequence(loader.construct_object(child, deep=True) for child in node.value)
    result.line = node.start_mark.line + 1
    result.item_lines = [child.start_mark.line + 1 for child in node.value]
    return result


_CONSTRUCTORS = {
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG: _construct_mapping,
    yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG: _construct_sequence,
    _STR: yaml.SafeLoader.construct_yaml_str,
    _TAG + "null": _construct_null,
    _TAG + "null-word": _construct_null_word,
    _TAG + "bool": _construct_bool,
    _TAG + "int": _construct_int,
    _TAG + "float": _construct_float,
    _TAG + "number-form": _construct_number_form,
    # Any other tag, explicit or not, has no constructor: refused, by its name.
    None: _construct_tagged,
}


# libyaml's C parser when PyYAML has it (about ten times faster); the same safe constructors.
class _Loader(_Strict, getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    yaml_constructors = dict(_CONSTRUCTORS)


class _PythonLoader(_Strict, yaml.SafeLoader):
    """The same resolver and constructors on PyYAML's pure-Python parser, for explaining errors."""

    yaml_constructors = dict(_CONSTRUCTORS)


def _check_aliases(root, display: str) -> None:
    """Refuse an alias that repeats a value holding aliases, and expansion beyond a bound.

    A composed document shares one node for an anchor and each of its aliases:
    a node met twice is aliased. If no aliased value holds another aliased one,
    no alias can multiply another and the expanded size stays near the file's.
    """
    seen: set = set()
    repeats: dict = {}  # id -> (node, how many times it is repeated by an alias)
    order = []
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            repeats[id(node)] = (node, repeats.get(id(node), (node, 0))[1] + 1)
            continue
        seen.add(id(node))
        order.append(node)
        stack += reversed(_children(node))
    if not repeats:
        return
    for node in order:  # in document order: the first anchor to blame
        if id(node) in repeats and any(id(n) in repeats for n in _descendants(node)):
            raise EditorError(
                display, node.start_mark.line + 1,
                "a value marked with `&` here contains a repeat (`*name`) of another marked value, which YAML would multiply",
                "write the text out in full: an `&name` value may be repeated with `*name`, but must not itself hold a `*`",
            )
    # No repeat holds another: each adds the size of the one value it repeats.
    added = sum(count * (1 + len(_descendants(node))) for node, count in repeats.values())
    if added > MAX_REPEATED_NODES:
        first = next(n for n in order if id(n) in repeats)
        raise EditorError(
            display, first.start_mark.line + 1,
            f"the repeats (`*name`) of the value marked with `&` here and others would add {added} values, more than a data file may repeat ({MAX_REPEATED_NODES})",
            "write the text out in full instead of repeating it",
        )


def _check_anchors(text: str, display: str) -> None:
    """Refuse an `&name` that nothing repeats: it vanishes from the text (`&a x` reads `x`)."""
    events = yaml.parse(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    anchors, used = {}, set()
    for event in events:
        if isinstance(event, yaml.AliasEvent):
            used.add(event.anchor)
        elif getattr(event, "anchor", None) is not None:
            anchors.setdefault(event.anchor, event.start_mark.line + 1)
    for name, line in anchors.items():
        if name not in used:
            raise EditorError(
                display, line,
                f"`&{name}` marks a value to repeat elsewhere with `*{name}`, but nothing repeats it, and YAML drops it from the text",
                "if `&` is part of the text, put the whole text in double quotes; otherwise delete it",
            )


def _descendants(node):
    """Every node under `node` (not itself), each once, cycles included."""
    seen, stack, found = {id(node)}, list(_children(node)), []
    while stack:
        child = stack.pop()
        found.append(child)
        if id(child) in seen:
            continue
        seen.add(id(child))
        stack += _children(child)
    return found


def _children(node):
    if isinstance(node, yaml.MappingNode):
        return [c for pair in node.value for c in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def _line_of_offset(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def load_yaml(path: Path, display: str):
    """Parse one YAML file into Mapping/Sequence, or raise EditorError."""
    raw = read_data_file(path, display)
    if raw.startswith(b"\xef\xbb\xbf"):
        raise EditorError(display, 1, "the file starts with an invisible byte-order mark", "save it as UTF-8 without BOM")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise EditorError(display, line, "this line has a character that is not UTF-8", "retype the accented or special characters on it, or save the file as UTF-8") from None
    # Exactly what PyYAML's reader refuses (it says where only as a character position).
    bad = re.search("[^\x09\x0A\x0D\x20-\x7E\x85\xA0-\uD7FF\uE000-\uFFFD\U00010000-\U0010FFFF]", text)
    if bad:
        raise EditorError(
            display,
            _line_of_offset(text, bad.start()),
            f"this line has an invisible or special character (U+{ord(bad.group()):04X})",
            "delete and retype the line",
        )
    if not text.strip():
        raise EditorError(display, 1, "the file is empty", "restore it from the last published version (git checkout)")
    tab = re.search(r"^[ ]*\t", text, re.M)
    if tab:
        raise EditorError(display, _line_of_offset(text, tab.start()), "this line is indented with a tab", "indent with spaces only")
    loader = _Loader(text)
    loader.name = display
    try:
        try:
            node = loader.get_single_node()
        except yaml.YAMLError:
            if _Loader.__bases__[1] is yaml.SafeLoader:
                raise
            # libyaml marks its errors differently: read the broken file again with
            # the pure-Python parser, whose marks our explanations understand.
            loader.dispose()
            loader = _PythonLoader(text)
            loader.name = display
            node = loader.get_single_node()
        if node is None:
            return None
        _check_aliases(node, display)
        if "&" in text:
            _check_anchors(text, display)
        return loader.construct_document(node)
    except yaml.constructor.ConstructorError as exc:  # a tag is refused by _construct_tagged; this is anything else
        line = exc.problem_mark.line + 1 if exc.problem_mark else None
        raise EditorError(display, line, f"the YAML cannot be read ({exc.problem})", "remove it: data files hold only text, numbers and lists") from None
    except yaml.MarkedYAMLError as exc:
        line, what, how = _explain_yaml_error(exc, text)
        raise EditorError(display, line, f"the YAML cannot be read: {what}", how) from None
    except yaml.YAMLError as exc:  # anything else PyYAML refuses, e.g. a character its reader rejects
        position = getattr(exc, "position", None)
        line = _line_of_offset(text, position) if isinstance(position, int) else None
        raise EditorError(display, line, f"the YAML cannot be read ({exc})".replace("\n", " "), "restore the file from the last published version (git checkout)") from None
    except RecursionError:
        raise EditorError(display, None, "the YAML cannot be read: it nests too deeply", "restore the file from the last published version (git checkout)") from None
    finally:
        loader.dispose()


def _tokens(text: str, index: int):
    """(the last YAML token starting before `index`, the tokens starting at it)."""
    before, at = None, []
    try:
        for token in yaml.scan(text, Loader=yaml.SafeLoader):
            if token.start_mark.index > index:
                break
            if token.start_mark.index == index:
                at.append(token)
            else:
                before = token
    except yaml.YAMLError:  # the tokens before the error are all there are
        return before, at
    return before, at


def _scans_alone(text: str, index: int) -> bool:
    """Whether the token starting at `index` (a quoted text, an `&name`…) is whole when read on its own."""
    try:
        for token in yaml.scan(text[index:], Loader=yaml.SafeLoader):
            if not isinstance(token, yaml.StreamStartToken):
                return True
    except yaml.YAMLError:
        return False
    return False


def _char(text: str, mark) -> str:
    """The character at a mark ('' at the end of the file)."""
    return text[mark.index] if mark is not None and mark.index < len(text) else ""


# What each family of YAML errors is, told by the error's class, its marks and the
# characters and tokens at them (never by PyYAML's wording, which may change):
# the scanner's, parser's and composer's errors each set a context mark at what
# they were reading (a `[`, a quotation mark, an `&`, a key…) and a problem mark
# where they gave up.
_BLOCK_STARTS = (yaml.BlockMappingStartToken, yaml.BlockSequenceStartToken)
_QUOTES = ('"', "'")
# The characters a directive, anchor, alias, tag, block text or quoted text starts with.
_TOKEN_STARTS = ("%", "&", "*", "!", "|", ">", *_QUOTES)


def _explain_yaml_error(exc: yaml.MarkedYAMLError, text: str) -> tuple[int | None, str, str]:
    """(line, what is wrong, how to fix it) in an editor's words, for PyYAML's parser jargon."""
    at, started = exc.problem_mark or exc.context_mark, exc.context_mark
    line = at.line + 1 if at else None
    # Where something was opened and never closed, the line that opened it is the one to fix.
    opened = started.line + 1 if started else line
    found, opener = _char(text, exc.problem_mark), _char(text, started)
    if isinstance(exc, yaml.parser.ParserError):
        in_block = started is not None and any(isinstance(t, _BLOCK_STARTS) for t in _tokens(text, started.index)[1])
        if opener == "[" and not in_block:
            return opened, "a `[` on this line is never closed with `]`", "close the list with `]`, or put text that starts with `[` in double quotes"
        if opener == "{" and not in_block:
            return opened, "a `{` on this line is never closed with `}`", "close it with `}`, or put text that starts with `{` in double quotes"
        before, here = _tokens(text, at.index) if at else (None, [])
        # The token the parser stopped at: the first at its mark that does not close a record.
        stopped = next((t for t in here if not isinstance(t, yaml.BlockEndToken)), None)
        if isinstance(stopped, yaml.ScalarToken):  # text where the parser wanted the record to end
            if isinstance(before, (yaml.FlowMappingEndToken, yaml.FlowSequenceEndToken)):
                return line, "text that starts with `{` or `[` must be in quotes", 'put the whole text in double quotes, e.g. title: "{{ figure_id }} and more"'
            start = before.start_mark.line + 1 if isinstance(before, yaml.ScalarToken) and before.style in ('"', "'") else None
            if start is not None and start != line:
                return start, f"a quotation mark on this line is only closed on line {line}", "add the closing quotation mark at the end of this line's text"
            return line, "there is more text after a closing quotation mark", "if the text itself contains double quotes, wrap the whole text in single quotes instead"
        if in_block:  # a record, or a list, that ends where something else starts
            return line, "this line is not lined up with the lines above it", "indent it with the same number of spaces as the other fields of its record"
    elif isinstance(exc, yaml.scanner.ScannerError):
        if started is None and exc.context is not None:  # the scanner's only error with a context but no mark
            return line, f"a value cannot start with `{repr(found)[1:-1] or '?'}`", "put the whole text in double quotes"
        if started is None and found == ":":
            lines = text.splitlines()
            before = lines[at.line][: at.column] if at and at.line < len(lines) else ""
            if ": " in before:
                return line, "a colon followed by a space inside the text", "put the whole text in double quotes"
            return (
                line,
                "this line is indented more than the one above, or the line above has no colon",
                "line the fields of a record up with the same number of spaces, each as `field: value`",
            )
        # A key left without its colon: the scanner marks where the key starts, at a
        # character that starts no other token, or at a quoted text or `&name` that reads whole.
        key_like = opener not in _TOKEN_STARTS or (opener in ("&", "*", "!", *_QUOTES) and _scans_alone(text, started.index))
        if started is not None and key_like:
            return opened, "this line has no colon after its field name", "write it as `field: value`"
        if opener in _QUOTES and exc.problem_mark is not None and exc.problem_mark.index >= len(text):
            return opened, "a quotation mark on this line is never closed", "add the closing quotation mark at the end of the text"
        if opener == '"' and exc.problem_mark is not None and text[exc.problem_mark.index - 1 : exc.problem_mark.index] == "\\":
            return line, "a backslash inside double quotes starts an unknown escape", "put the text in single quotes instead, or remove the backslash"
        if opener in ("&", "*"):
            return line, f"a value starting with `{opener}` is read as a YAML {'anchor' if opener == '&' else 'alias'}", "put the whole text in double quotes"
    elif isinstance(exc, yaml.composer.ComposerError):
        if started is not None and found == "&":  # a second `&name` of the same name
            return line, "a value starting with `&` is read as a YAML anchor", "put the whole text in double quotes"
        if started is None and found == "*":
            return line, "a value starting with `*` is read as a reference to nothing", "put the whole text in double quotes"
        if started is not None:  # the composer's only other error with a mark: a second document
            return line, "a `---` line starts a second document", "delete the `---` line"
    return line, exc.problem or exc.context or "unknown problem", "check this line and the one above for a missing colon, an unclosed quote or bracket, or wrong indentation"
