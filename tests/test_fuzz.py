"""Fuzzing: random damage to data/ and content/ never crashes the build, half-builds the site or publishes harm.

Each example damages one file: a data file (every `data/*.yaml`, `es.yaml`, the
glossary and the timeline included: lines deleted, swapped or duplicated, a value
replaced, indentation shifted, random bytes) or a page under `content/` (its body
lines deleted, duplicated, swapped or typed into; a figure reference misspelt or
replaced by the number it stands for; a metadata value changed). Then either the
build and `check` pass, or every line printed is `path:LINE: what — how`.
Many examples run in-process (loader, `check`, and the build's own formatting);
a few run the whole build in a fresh process and compare output/ before and after.
After a build that succeeds, the oracle reads every page and chart: nothing wrong
published (no script, event handler, `javascript:`/`data:` address, meta refresh,
nothing from another origin, no literal `{{`/`}}` in what readers see, no draft).

The content damage is limited to what the build already handles. Hostile content
(raw HTML, references broken into text, a chart reference inside a paragraph, a
draft page) is handled by other work; `FUZZ_HOSTILE=1` adds it to the strategy,
to run by hand once that work is in: `FUZZ_HOSTILE=1 .venv/bin/python -m pytest tests/test_fuzz.py`.
"""

from __future__ import annotations

import html.parser
import json
import os
import re
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from bad_edits import LINE_RE, SUMMARY_RE
from conftest import REPO, SKIP, build_leftovers, check_in_process, run_cli

from plugins.figures import charts, context, data, downloads, formatting, links, lint, references, translations
from plugins.figures.errors import EditorErrors

DATA_NAMES = ["figures.yaml", "charts.yaml", "sources.yaml", "glossary.yaml", "timeline.yaml", "es.yaml", "claims.yaml"]
PAGES = sorted(str(p.relative_to(REPO)) for p in (REPO / "content").rglob("*.md"))
ORIGINAL = {f"data/{n}": (REPO / "data" / n).read_bytes() for n in DATA_NAMES} | {p: (REPO / p).read_bytes() for p in PAGES}
STYLE = REPO / "theme" / "charts"
# More examples for a longer hunt: FUZZ_EXAMPLES=5000 FUZZ_BUILDS=200 make test.
# Derandomized: the same examples on every run, so CI never fails by luck (FUZZ_RANDOM=1 explores).
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", 200))
BUILDS = int(os.environ.get("FUZZ_BUILDS", 20))
HOSTILE = bool(os.environ.get("FUZZ_HOSTILE"))
SETTINGS = dict(
    deadline=None,
    derandomize=not os.environ.get("FUZZ_RANDOM"),
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
)

# What editors (and accidents) put where a value belongs.
SCALARS = [
    "32k", "32,000", "32.000", "1.5", "0", "-1", "true", "no", "NO", "null", "~", "", "[]", "{}", "[1, 2]",
    "{a: 1}", '""', "'x'", '"unclosed', "2024-13-45", "2024-05", "2024-05-01 10:00:00", "9" * 30, "1e400",
    ".nan", ".inf", "0x10", "0140", "2:20", "32_000", "+32000", "1e5",
    "!!python/name:os.system", "!!binary aGk=", "!!int 12", "&a x", "*a", "*undefined", "|", ">-", "@x", "`x`",
    "%x", "x: y", "[a, b", "{{ failed_to_appear }}", "{{ chart:x }}", "<script>alert(1)</script>",
    "transferred_to_hhs", "oig_24_46", "bars", "https://example.org", "http://example.org", "https://",
    "https://a b.org/", "'https://x.org/\"'", "javascript:alert(1)", "<<", "=",
]

# Text an editor might type into a sentence: no Markdown or HTML markup (`<`, `&`,
# backticks, `*`, `_`, `[`, `{`), which is hostile content's job below.
TYPED = st.text(st.sampled_from("abcdefghijklmnopqrstuvwxyz ABCXYZ0123456789.,;:!?()'\"-ñé"), min_size=1, max_size=12)
# Figures as a reader would see them typed, English and Spanish: the typed-figure check's job.
TYPED_FIGURES = ["32,000", "more than 32,000", "448,000", "291,000", "32.000", "más de 448.000"]
# Content the build must not publish as it is (FUZZ_HOSTILE=1): raw HTML, addresses
# that run code, references that fail to be references, a draft.
HOSTILE_TEXT = [
    "<script>alert(1)</script>", '<img src="x" onerror="alert(1)">', '<iframe src="https://evil.example/"></iframe>',
    '<meta http-equiv="refresh" content="0;url=https://evil.example/">', "[click](javascript:alert(1))",
    '<a href="data:text/html,hi">x</a>', '<svg><a href="javascript:alert(1)"><text>x</text></a></svg>',
    '<img src="https://evil.example/pixel.png" alt="">', "{{ failed_to_appear }", "{ failed_to_appear }}",
    "{{ failed_\u200bto_appear }}", "see {{ chart:children_transferred_and_after }} here", "`{{ failed_to_appear }}`",
]
DRAFT_MARKER = "FUZZ-DRAFT-TEXT"


def _damage_data(draw, name: str) -> bytes:
    lines = ORIGINAL[name].splitlines(keepends=True)
    for _ in range(draw(st.integers(1, 3))):
        if not lines:
            lines = [b""]
        i = draw(st.integers(0, len(lines) - 1))
        kind = draw(st.sampled_from(["delete", "swap", "duplicate", "scalar", "scalar", "indent", "bytes", "truncate"]))
        if kind == "delete":
            del lines[i]
        elif kind == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif kind == "duplicate":
            lines.insert(i, lines[i])
        elif kind == "scalar":
            key, colon, _ = lines[i].partition(b": ")
            value = draw(st.sampled_from(SCALARS) | st.text(max_size=12))
            if colon:
                lines[i] = key + b": " + value.encode() + b"\n"
            else:
                lines[i] = lines[i].rstrip(b"\n") + b" " + value.encode() + b"\n"
        elif kind == "indent":
            lines[i] = b" " * draw(st.integers(0, 8)) + lines[i].lstrip(b" ")
        elif kind == "bytes":
            at = draw(st.integers(0, len(lines[i])))
            lines[i] = lines[i][:at] + draw(st.binary(min_size=1, max_size=6)) + lines[i][at:]
        else:
            lines = lines[:i]
    return b"".join(lines)


REFERENCE = references.WELL_FORMED_RE  # damage starts from references that work
# Metadata whose values the build reads for figures (the others, e.g. Slug or Save_as, move pages).
FREE_METADATA = ("Description", "Standfirst", "Cards", "Summary")


def _split_page(text: str) -> tuple[list[str], list[str]]:
    """(metadata lines, body lines) of a Pelican Markdown page."""
    lines = text.splitlines(keepends=True)
    end = next((i for i, line in enumerate(lines) if not re.match(r"[A-Za-z_]+:", line)), len(lines))
    return lines[:end], lines[end:]


def _outside_references(line: str) -> list[int]:
    """Positions in `line` where typing cannot split a `{{ … }}` (and not before the first word)."""
    inside = set()
    for match in REFERENCE.finditer(line):
        inside.update(range(match.start() + 1, match.end()))
    first = len(line) - len(line.lstrip())
    return [i for i in range(first + 1, len(line.rstrip("\n")) + 1) if i not in inside]


def _damage_page(draw, name: str) -> bytes:
    meta, body = _split_page(ORIGINAL[name].decode("utf-8"))
    kinds = ["delete", "duplicate", "swap", "type", "reference", "typed-figure", "metadata"]
    # Hostile content first, every time, so that the other damage cannot hide it.
    hostile = [draw(st.sampled_from(["hostile", "hostile", "draft"]))] if HOSTILE else []
    for kind in hostile + [draw(st.sampled_from(kinds)) for _ in range(draw(st.integers(0 if HOSTILE else 1, 2 if HOSTILE else 3)))]:
        # Lines holding a chart stay whole and on their own (moving one into a paragraph is hostile).
        plain = [i for i, line in enumerate(body) if "{{ chart:" not in line]
        with_refs = [(where, i) for where, lines in (("body", body), ("meta", meta)) for i, line in enumerate(lines) if REFERENCE.search(line) and "{{ chart:" not in line]
        if kind == "delete" and body:
            del body[draw(st.integers(0, len(body) - 1))]
        elif kind == "duplicate" and body:
            i = draw(st.integers(0, len(body) - 1))
            body.insert(i, body[i])
        elif kind == "swap" and len(plain) > 1:
            i, j = draw(st.sampled_from(plain)), draw(st.sampled_from(plain))
            body[i], body[j] = body[j], body[i]
        elif kind == "type" and plain:
            i = draw(st.sampled_from(plain))
            spots = _outside_references(body[i])
            if spots:
                at = draw(st.sampled_from(spots))
                body[i] = body[i][:at] + draw(TYPED) + body[i][at:]
        elif kind in ("reference", "typed-figure") and with_refs:
            where, i = draw(st.sampled_from(with_refs))
            lines = body if where == "body" else meta
            match = draw(st.sampled_from(list(REFERENCE.finditer(lines[i]))))
            if kind == "typed-figure":
                new = draw(st.sampled_from(TYPED_FIGURES))
            else:
                ref_id, attr = match.group("id"), match.group("attr")
                new_id = draw(st.sampled_from([ref_id[:-1], ref_id + "s", ref_id.replace("_", "-"), "", "chart:" + ref_id, "term:" + ref_id]))
                new_attr = draw(st.sampled_from([attr, "numbr", "Number", "words", "label"]))
                new = "{{ " + new_id + (f".{new_attr}" if new_attr else "") + " }}"
            lines[i] = lines[i][: match.start()] + new + lines[i][match.end():]
        elif kind == "metadata":
            keys = [i for i, line in enumerate(meta) if line.split(":", 1)[0] in FREE_METADATA]
            if keys:
                i = draw(st.sampled_from(keys))
                key = meta[i].split(":", 1)[0]
                value = draw(st.sampled_from(["transferred_to_hhs, failed_to_apear", "{{ failed_to_apear }}", "{{ chart:x }}", "", "failed_to_appear, failed_to_appear"]) | TYPED)
                meta[i] = f"{key}: {value}\n"
        elif kind == "hostile" and body:
            i = draw(st.integers(0, len(body) - 1))
            body.insert(i, draw(st.sampled_from(HOSTILE_TEXT)) + "\n\n")
        elif kind == "draft":
            meta.append("Status: draft\n")
            body.append(f"\n{DRAFT_MARKER}\n")
    return "".join(meta + body).encode("utf-8")


# Half the examples damage data, half pages (there are four times as many pages as data files), pages only
# when hostile: one test per half, so that two workers share each fuzzing (slow: @pytest.mark.slow).
SHARDS = {"pages": PAGES} if HOSTILE else {"data": [f"data/{n}" for n in DATA_NAMES], "pages": PAGES}


@st.composite
def damaged(draw, names: list[str]) -> tuple[str, bytes]:
    """(path under the project, its damaged bytes), the path one of `names`."""
    name = draw(st.sampled_from(names))
    raw = _damage_data(draw, name) if name.startswith("data/") else _damage_page(draw, name)
    event(f"damaged {name.split('/')[0]}")
    return name, raw


def assert_one_line_messages(text: str) -> None:
    assert "Traceback" not in text, text
    for line in text.splitlines():
        assert LINE_RE.match(line) or SUMMARY_RE.match(line), line


def build_computations(site) -> None:
    """What the build computes from loaded data, short of drawing and Pelican: none may raise."""
    if lint.check_data_texts(site):
        return  # the build stops here too
    english = formatting.edition("en", "")
    view = context.TemplateData(site, STYLE, REPO / "theme" / "templates", english)
    for chart_id, chart in site.charts.items():
        spec = charts.resolve(chart, site, english)  # lays out every variant too
        assert all(w > 0 and h > 0 for w, h in charts.sizes(spec).values())
        view.chart(chart_id, ".")
        view.chart_image(chart_id)
    downloads.figure_rows(site, english)
    for fid in [*site.figures, *site.derived]:
        attrs = references.FIGURE_ATTRS if fid in site.figures else references.DERIVED_ATTRS
        for attr in attrs:
            references.plain(fid, attr, site, english)


# ---- the oracle: nothing wrong published ------------------------------------

SITE_ADDRESS = re.search(r'SITE_ADDRESS = os.environ.get\("SITEURL", "([^"]+)"\)', (REPO / "pelicanconf.py").read_text()).group(1)
ADDRESS_ATTRS = {"href", "src", "srcset", "action", "formaction", "poster", "data", "xlink:href", "background", "cite", "ping"}


class _Published(html.parser.HTMLParser):
    """Collects what must never reach a reader from one HTML or SVG file."""

    def __init__(self, name: str):
        super().__init__(convert_charrefs=True)
        self.name, self.harm, self.text, self.json_blocks = name, [], [], []
        self._skip = None

    def handle_starttag(self, tag, attrs):
        attrs = [(k.lower(), v or "") for k, v in attrs]
        values = dict(attrs)
        if tag == "script":
            if values.get("type") == "application/ld+json":
                self._skip = "ld+json"
                self.json_blocks.append("")
            else:
                self.harm.append(f"a <script> element: {self.get_starttag_text()}")
                self._skip = "script"
        elif tag == "style":
            self._skip = "style"
        if tag == "meta" and values.get("http-equiv", "").lower() == "refresh":
            self.harm.append(f"a meta refresh: {self.get_starttag_text()}")
        for key, value in attrs:
            if key.startswith("on"):
                self.harm.append(f"an event handler `{key}`: {self.get_starttag_text()}")
            if key in ADDRESS_ATTRS:
                for address in (value.split(",") if key == "srcset" else [value]):
                    self._address(tag, key, address.strip().split(" ")[0], values)
            if key in ("alt", "title", "aria-label"):
                self.text.append(value)

    handle_startendtag = handle_starttag

    def _address(self, tag, key, address, values):
        compact = re.sub(r"[\s\x00-\x1f]", "", address).lower()
        if compact.startswith(("javascript:", "data:", "vbscript:")):
            self.harm.append(f"a `{compact.split(':')[0]}:` address in <{tag} {key}>")
        elif re.match(r"^([a-z][a-z0-9+.-]*:|//)", compact):
            own = compact.startswith(SITE_ADDRESS.lower() + "/") or compact == SITE_ADDRESS.lower()
            # A link is followed only when a reader clicks it; mailto: opens the reader's own mail program.
            link = tag == "a" and key in ("href", "xlink:href") and compact.startswith(("https://", "mailto:"))
            # The page's own absolute address (canonical, alternate languages, feed) is not another origin.
            if not (link or (own and tag in ("link", "a"))):
                self.harm.append(f"<{tag} {key}={address!r}> loads from another origin")

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._skip = None

    def handle_data(self, text):
        if self._skip == "ld+json":
            self.json_blocks[-1] += text
        elif self._skip is None:
            self.text.append(text)


def published_harm(output: Path) -> list[str]:
    """Everything wrong in a built site that readers would get (empty when all is well)."""
    found = []
    for path in sorted(output.rglob("*")):
        name = str(path.relative_to(output))
        if name.startswith("drafts/") or "/drafts/" in name:
            found.append(f"{name}: a draft is published")
        if path.suffix not in (".html", ".svg", ".xml", ".atom", ".json", ".csv"):
            continue
        raw = path.read_text(encoding="utf-8", errors="replace")
        if DRAFT_MARKER in raw:
            found.append(f"{name}: a draft's text is published")
        if path.suffix not in (".html", ".svg"):
            continue
        parser = _Published(name)
        parser.feed(raw)
        parser.close()
        found += [f"{name}: {harm}" for harm in parser.harm]
        for block in parser.json_blocks:
            try:
                json.loads(block)
            except ValueError:
                found.append(f"{name}: a JSON-LD block that is not JSON (text broke out of it?)")
        visible = " ".join(parser.text)
        for brace in ("{{", "}}"):
            if brace in visible:
                at = visible.index(brace)
                found.append(f"{name}: a literal `{brace}` in what readers see: …{visible[max(0, at - 40): at + 40]}…")
    return found


def test_oracle_finds_what_must_not_be_published(built_project):
    """The oracle itself: clean on the real site, and each kind of harm found in a copy of it."""
    output = built_project / "output"
    assert published_harm(output) == []
    harmed = built_project.parent / "harmed"
    shutil.copytree(output, harmed)
    page = harmed / "index.html"
    original = page.read_text()
    cases = {
        "<script>alert(1)</script>": "a <script> element",
        '<img src="x.png" onerror="alert(1)" alt="">': "an event handler `onerror`",
        '<a href=" JavaScript:alert(1)">x</a>': "a `javascript:` address",
        '<a href="data:text/html,x">x</a>': "a `data:` address",
        '<meta http-equiv="Refresh" content="0;url=https://evil.example/">': "a meta refresh",
        '<img src="https://evil.example/p.png" alt="">': "loads from another origin",
        '<iframe src="//evil.example/"></iframe>': "loads from another origin",
        '<link rel="stylesheet" href="https://evil.example/x.css">': "loads from another origin",
        "<p>more than {{ failed_to_appear }</p>": "a literal `{{`",
        '<img src="x.png" alt="{{ x }}">': "a literal `{{`",
        '<script type="application/ld+json">{"a": "</script><p>x</p>': "not JSON",
        f"<p>{DRAFT_MARKER}</p>": "a draft's text",
    }
    for added, expected in cases.items():
        page.write_text(original.replace("</main>", added + "</main>", 1))
        assert any(expected in harm for harm in published_harm(harmed)), added
    page.write_text(original)
    (harmed / "drafts").mkdir()
    (harmed / "drafts" / "x.html").write_text("<p>x</p>")
    assert published_harm(harmed) == ["drafts/x.html: a draft is published"]


# ---- the fuzzing ---------------------------------------------------------------


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    site = tmp_path_factory.mktemp("fuzz") / "project"
    shutil.copytree(REPO, site, ignore=SKIP)
    return site


def restore(site: Path) -> None:
    for name, raw in ORIGINAL.items():
        (site / name).write_bytes(raw)


@pytest.mark.slow
@pytest.mark.parametrize("shard", SHARDS)
@settings(max_examples=-(-EXAMPLES // len(SHARDS)), **SETTINGS)
@given(draws=st.data())
def test_damaged_data_or_content_loads_or_gives_one_line_messages(project, shard, draws):
    name, raw = draws.draw(damaged(SHARDS[shard]), label="change")
    (project / name).write_bytes(raw)
    try:
        if name.startswith("data/"):
            try:
                site = data.load(project / "data")
            except EditorErrors as exc:
                assert exc.errors
                for error in exc.errors:
                    assert LINE_RE.match(error.one_line()), error.one_line()
            else:
                build_computations(site)
                # The Spanish edition: its texts checked against the records, then used.
                try:
                    doc = translations.load(project / "data" / "es.yaml", "data/es.yaml", site)
                except EditorErrors as exc:
                    for error in exc.errors:
                        assert LINE_RE.match(error.one_line()), error.one_line()
                else:
                    build_computations(translations.localize(site, doc, "data/es.yaml"))
        status, _, said = check_in_process(project)
        assert status in (0, 1)
        assert_one_line_messages(said)
        assert (status == 1) == bool(said)
    finally:
        restore(project)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def built_project(built_real_project, tmp_path_factory) -> Path:
    """A copy of the real project as built once for the run: the fuzzing damages and rebuilds it."""
    site = tmp_path_factory.mktemp("fuzz-build") / "project"
    shutil.copytree(built_real_project, site, symlinks=True)
    return site


@pytest.mark.slow
@pytest.mark.parametrize("shard", SHARDS)
@settings(max_examples=-(-BUILDS // len(SHARDS)), **SETTINGS)
@given(draws=st.data())
def test_damaged_data_or_content_builds_whole_site_or_leaves_old_one(built_project, chart_cache, shard, draws):
    site = built_project
    name, raw = draws.draw(damaged(SHARDS[shard]), label="change")
    before = snapshot(site / "output")
    (site / name).write_bytes(raw)
    try:
        result = run_cli(site, "build", cache=chart_cache)
        assert "Traceback" not in result.stdout
        assert_one_line_messages(result.stderr)
        after = snapshot(site / "output")
        event(f"build exit status {result.returncode}")
        if result.returncode == 0:
            # A whole new site: every page and download is there.
            for page in ("index.html", "about-the-data/index.html", "downloads/figures.csv", "downloads/figures.json"):
                assert page in after, page
            assert any(p.startswith("charts/") for p in after)
            assert links.check(site / "output") == []
            assert published_harm(site / "output") == []
        else:
            assert result.returncode == 1
            assert result.stderr.splitlines()[-1].startswith("Build stopped")
            assert after == before, "a failed build changed output/"
        assert not build_leftovers(site), "scratch folder left behind"
    finally:
        restore(site)
