"""House style (data/style.yaml) and typed figures in every form, planted in pages, data texts,
data/es.yaml, templates and the interface catalogue; quotations exempt; the rules' own schema."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import REPO, TEST_SITE, run_cli

from plugins.figures import data as data_module
from plugins.figures import formatting, lint
from plugins.figures.context import TemplateData
from plugins.figures.errors import EditorErrors

SITE = data_module.load(REPO / "data")


def lines_for(tmp_path: Path, name: str, text: str) -> list[str]:
    """What the build's text checks say about one file with this text."""
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    display = lambda p: p.relative_to(tmp_path).as_posix()  # noqa: E731
    return [e.one_line() for e in lint.typed_numbers([path], SITE, display) + lint.style_problems([path], SITE, display)]


PAGE = "Title: A page\nSlug: a-page\n\n{}\n"


@pytest.mark.parametrize(
    "typed, fid",
    [
        ("32,000", "failed_to_appear"), ("32 000", "failed_to_appear"), ("32\u00a0000", "failed_to_appear"),
        ("32\u202f000", "failed_to_appear"), ("32.000", "failed_to_appear"), ("32 thousand", "failed_to_appear"),
        ("32k", "failed_to_appear"), ("32K", "failed_to_appear"), ("thirty-two thousand", "failed_to_appear"),
        ("Thirty two thousand", "failed_to_appear"), ("448.000", "transferred_to_hhs"), ("448 000", "transferred_to_hhs"),
        ("four hundred and forty-eight thousand", "transferred_to_hhs"), ("0.45 million", "transferred_to_hhs"),
        ("450,000", "transferred_to_hhs"), ("68,000", "transferred_fy2019"), ("291k", "never_served_nta"),
        ("a 32,000-strong group of", "failed_to_appear"),
    ],
)
def test_a_figure_typed_in_any_english_form_is_refused(tmp_path, typed, fid):
    (line,) = lines_for(tmp_path, "content/pages/a.md", PAGE.format(f"The report counts {typed} children."))
    assert line.startswith("content/pages/a.md:4: the number ") and f"the figure {fid} " in line, line
    assert f"write {{{{ {fid} }}}}" in line


@pytest.mark.parametrize(
    "typed, fid",
    # es-US writes 32,000 (what the build now prints), Spain 32.000: both are typed figures.
    [("32 mil", "failed_to_appear"), ("32.000", "failed_to_appear"), ("32,000", "failed_to_appear"), ("448 000", "transferred_to_hhs"),
     ("treinta y dos mil", "failed_to_appear"), ("cuatrocientos cuarenta y ocho mil", "transferred_to_hhs"), ("0,45 millones", "transferred_to_hhs")],
)
def test_a_figure_typed_in_any_spanish_form_is_refused(tmp_path, typed, fid):
    (line,) = lines_for(tmp_path, "content/pages/es/a.md", PAGE.format(f"El informe cuenta {typed} niños."))
    assert line.startswith("content/pages/es/a.md:4: the number ") and f"the figure {fid} " in line, line


def test_a_share_typed_as_a_percentage_is_refused(tmp_path):
    (line,) = lines_for(tmp_path, "content/pages/a.md", PAGE.format("That is 65% of them."))
    assert "the share 65% is typed in; it is the figure share_never_served_nta" in line and "{{ share_never_served_nta.percent }}" in line


@pytest.mark.parametrize("typed", ["65%", "65 %", "65 por ciento"])
def test_a_share_typed_in_a_spanish_page_is_refused(tmp_path, typed):
    (line,) = lines_for(tmp_path, "content/pages/es/a.md", PAGE.format(f"Es el {typed} de ellos."))
    assert "is typed in; it is the figure share_never_served_nta" in line, line


def test_a_large_number_that_is_no_figure_is_refused_too(tmp_path):
    (line,) = lines_for(tmp_path, "content/pages/a.md", PAGE.format("About 1,234 people wrote in."))
    assert line == "content/pages/a.md:4: the number 1,234 is typed in — add it to data/figures.yaml with its source and write {{ its_id }}, or say it without the number"


@pytest.mark.parametrize(
    "text",
    [
        "In fiscal years 2019–2023 and FY2019, report OIG-24-46 of August 20, 2024.",
        "ICE transferred {{ transferred_to_hhs }} children, {{ failed_to_appear.number }} of them.",
        "See [the analysis](https://example.org/2024/09/05/are-32000-unaccompanied-children-missing).",
        "Reuse it under CC BY 4.0; eight of them; table 1; dated 2024-08-20.",
        "`32000` in code is not prose.",
        "Under 8 U.S.C. § 1232 and section 1232(a), see page 1234 and pp. 1200–1210.",
    ],
)
def test_years_dates_references_addresses_and_small_numbers_pass(tmp_path, text):
    assert lines_for(tmp_path, "content/pages/a.md", PAGE.format(text)) == []


def test_data_texts_are_checked_but_not_quotes_ids_or_values(tmp_path):
    text = (
        "figures:\n  - id: x\n    value: 32000\n    period: {fiscal_years: [2019, 2023]}\n"
        '    quote: "ICE reported more than 32,000 UCs"\n    meaning: >-\n      Children who missed\n      more than 32,000 hearings.\n'
    )
    (line,) = lines_for(tmp_path, "data/figures.yaml", text)
    assert line.startswith("data/figures.yaml:8: the number 32,000 is typed in; it is the figure failed_to_appear")
    assert "this field shows no references" in line  # a meaning does not render {{ }}
    captions = "charts:\n  - id: c\n    caption: >-\n      Part of the 448,000 children.\n"
    (line,) = lines_for(tmp_path, "data/charts.yaml", captions)
    assert line.startswith("data/charts.yaml:4: the number 448,000 is typed in") and "write {{ transferred_to_hhs }}" in line


def test_sources_titles_are_the_documents_own_words(tmp_path):
    text = 'sources:\n  - id: a\n    title: "More than 32,000 migrant children missed court"\n    short: The paper\n'
    assert lines_for(tmp_path, "data/sources.yaml", text) == []


# ---- house style ----


def test_a_style_phrase_in_a_page_gives_its_line_and_what_to_write(tmp_path):
    (line,) = lines_for(tmp_path, "content/pages/a.md", PAGE.format("These children were never served a notice."))
    assert line.startswith("content/pages/a.md:4: house style: “never served” in the site's own voice (")
    assert line.split(" — ", 1)[1].startswith('write "not yet served a notice to appear"')


@pytest.mark.parametrize(
    "text",
    [
        "The article said they were “never served”.",
        'The article said they were "never served".',
        "> They were never served, the lawyer said.",
        "Its headline: «children are missing».",
    ],
)
def test_quotations_are_exempt_from_the_style(tmp_path, text):
    assert lines_for(tmp_path, "content/pages/a.md", PAGE.format(text)) == []


@pytest.mark.parametrize(
    "text, hits",
    [
        ("The report does not say these children are missing.", 0),
        ("It is not a count of missing children.", 0),
        # The negation must be in the phrase's own sentence.
        ("The report is not long. These children are missing.", 1),
        ("Many children are missing, the site says.", 1),
    ],
)
def test_a_negation_before_the_phrase_in_its_sentence_is_fine(tmp_path, text, hits):
    assert len(lines_for(tmp_path, "content/pages/a.md", PAGE.format(text))) == hits


def test_a_spanish_range_of_months_is_not_the_calque(tmp_path):
    text = "El periodo va de octubre de 2018 a septiembre de 2023. Los datos son a septiembre de 2023."
    (line,) = lines_for(tmp_path, "content/pages/es/a.md", PAGE.format(text))
    assert "“a septiembre de 2023”" in line


def test_a_style_phrase_in_metadata_counts_and_slugs_do_not(tmp_path):
    text = "Title: Never given a court date\nSlug: never-given-a-court-date\n\nBody.\n"
    (line,) = lines_for(tmp_path, "content/pages/a.md", text)
    assert line.startswith("content/pages/a.md:1: house style: “Never given”")


def test_spanish_rules_apply_to_spanish_texts_only(tmp_path):
    es = lines_for(tmp_path, "content/pages/es/a.md", PAGE.format("Más de 300 niños, a mayo de 2024, y Audiencias perdidas."))
    assert [line.split(" in the site's")[0] for line in es] == [
        "content/pages/es/a.md:4: house style: “a mayo de 2024”", "content/pages/es/a.md:4: house style: “Audiencias perdidas”"
    ]
    # A range is not the calque; English rules don't read Spanish pages, nor Spanish rules English ones.
    assert lines_for(tmp_path, "content/pages/es/b.md", PAGE.format("De enero a mayo de 2024; never served.")) == []
    assert lines_for(tmp_path, "content/pages/c.md", PAGE.format("Audiencias perdidas.")) == []


def test_style_in_data_es_yaml_templates_and_the_interface_catalogue(tmp_path):
    (line,) = lines_for(tmp_path, "data/es.yaml", "figures:\n  x:\n    label: Niños que nunca recibieron un aviso\n")
    assert line.startswith("data/es.yaml:3: house style: “nunca recibieron”")
    template = '<p class="x" title="never served">{{ _("Figures between 2019 and 2023") }}</p>\n{# never served #}\n'
    (line,) = lines_for(tmp_path, "theme/templates/x.html", template)
    assert line.startswith("theme/templates/x.html:1: house style: “between 2019 and 2023”")
    po = 'msgid ""\nmsgstr ""\n"Project: never served\\n"\n\nmsgid "They were never served"\nmsgstr "Nunca recibieron un aviso"\n'
    (line,) = lines_for(tmp_path, "theme/translations/es/LC_MESSAGES/messages.po", po)
    assert line.startswith("theme/translations/es/LC_MESSAGES/messages.po:6: house style: “Nunca recibieron”")


@pytest.mark.parametrize(
    "name, text, said, write",
    [
        ("a.md", "ICE has lost track of the children.", "lost track of", "cannot monitor"),
        ("a.md", "Of the children who immigrated overall, some", "immigrated overall", "transferred from ICE to HHS"),
        ("a.md", "The alert came out on 19 and 20 August 2024.", "19 and 20 August", "August 19–20, 2024"),
        ("a.md", "The alert came out on August 19 and 20, 2024.", "August 19 and 20", "August 19–20, 2024"),
        ("es/a.md", "Les entregó un aviso para comparecer.", "aviso para comparecer", "aviso de comparecencia"),
        ("es/a.md", "Sin notificación de comparecencia no hay audiencia.", "notificación de comparecencia", "aviso de comparecencia"),
        ("es/a.md", "Faltaron a la corte de inmigración.", "corte de inmigración", "tribunal de inmigración"),
        ("es/a.md", "El Servicio de Inmigración y Aduanas (ICE) dijo", "Servicio de Inmigración y Aduanas", "Servicio de Inmigración y Control de Aduanas"),
        ("es/a.md", "“No puede vigilarlos” (traducción propia).", "traducción propia", "traducción nuestra"),
        ("es/a.md", "El informe dice «no puede vigilarlos».", "« »", "comillas “…”"),
    ],
)
def test_each_editor_rule_stops_its_phrase_at_its_line(tmp_path, name, text, said, write):
    (line,) = lines_for(tmp_path, f"content/pages/{name}", PAGE.format(text))
    assert line.startswith(f"content/pages/{name}:4: house style: “{said}”"), line
    assert write in line, line


def test_the_new_rules_leave_quotations_negations_and_good_style_alone(tmp_path):
    assert lines_for(tmp_path, "content/pages/a.md", PAGE.format("The article said ICE “lost track of” them. Released August 19–20, 2024.")) == []
    es = "El informe habla de un “aviso para comparecer”; el aviso de comparecencia, el tribunal de inmigración (traducción nuestra)."
    assert lines_for(tmp_path, "content/pages/es/a.md", PAGE.format(es)) == []


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_number_words_hold_every_word_num2words_writes(lang):
    """A run of number words is kept whatever the figures are: the table must hold every word of every spelling."""
    from num2words import num2words

    values = [*range(1000), *(n * 1000 for n in range(1, 1000)), *(n * 1_000_000 for n in range(1, 1000, 7)), 999_999_999_999, 21_021_021_021]
    missing = {w for v in values for w in lint._words(num2words(v, lang=lang))} - lint.NUMBER_WORDS[lang]
    assert not missing


@pytest.mark.parametrize(
    "text, said",
    [
        # The longest spelling at a word wins; a hyphen joins words, so "forty-eight" holds no "eight".
        ("some four hundred and forty-eight thousand of them", ["four hundred and forty-eight thousand"]),
        ("forty-eight thousand-odd and thirty-two thousand", ["thirty-two thousand"]),
        ("Thirty two\nthousand; thirty, two thousand", ["Thirty two thousand"]),
        ("eleven-thirty-two thousand", []),
    ],
)
def test_a_written_out_figure_is_found_as_a_whole(tmp_path, text, said):
    lines = lines_for(tmp_path, "content/pages/a.md", PAGE.format(text))
    assert [line.split("“")[1].split("”")[0] for line in lines] == said, lines


@pytest.mark.parametrize("lang", ["en", "es"])
def test_written_out_figures_are_found_as_one_regex_of_every_spelling_would(tmp_path, lang):
    """The run lookup against its definition: an alternation of every spelling, longest first, on random texts."""
    import random
    import re

    from num2words import num2words

    counts, _ = lint._figure_values(SITE)
    spelt = {lint._words(num2words(v, lang=lang)): v for v in sorted(counts)}
    joiner = r"(?:[\s\-]+(?:and\s+)?)" if lang == "en" else r"[\s\-]+"
    pattern = "|".join(joiner.join(words) for words in sorted(spelt, key=len, reverse=True))
    definition = re.compile(r"(?<![\w\-])(?:" + pattern + r")(?![\w\-])", re.IGNORECASE)
    rng = random.Random(14)
    words = [*lint.NUMBER_WORDS[lang], "and", "And", "children", "niños", "Thirty", "Treinta"]
    joins = [" ", " ", "-", "  ", "\n", ", ", ". ", " - ", "--", "_", "", " “", "\u00a0", "\t"]
    texts = []
    for _ in range(150):
        parts = [num2words(rng.choice(sorted(counts)), lang=lang) if rng.random() < 0.3 else rng.choice(words) for _ in range(rng.randrange(3, 30))]
        texts.append("".join(part + rng.choice(joins) for part in parts))
    found = []
    for text in texts:
        runs = lint._number_word_runs(text, lang, lambda offset: 1, lint.NUMBER_WORDS[lang])
        mine = [(said, spelt[lint._words(said)]) for run in runs for said, _, _ in lint._spelt_matches([run], spelt, max(map(len, spelt)))]
        assert mine == [(m.group(0), spelt[lint._words(m.group(0))]) for m in definition.finditer(text)], text
        found += mine
    assert len(found) > 100  # the texts do hold written-out figures


def test_every_rule_catches_its_own_example():
    """Each seeded rule matches at least one phrase it names (a rule that matches nothing is a defect)."""
    examples = {
        "en": ["never been served", "missing children", "children are lost", "Lost in the System", "ICE's inspector general",
               "between 2019 and 2023", "20 August 2024", "organisation", "programme", "each time the site is built",
               "August 19 and 20, 2024", "ICE lost track of them", "children who immigrated overall"],
        "es": ["a mayo de 2024", "audiencias perdidas", "nunca recibieron", "niños perdidos", "inspector general de ICE",
               "entre 2019 y 2023", "cada vez que se genera el sitio", "aviso para comparecer", "corte de inmigración",
               "Servicio de Inmigración y Aduanas", "traducción propia", "«cita»"],
    }
    import re

    assert set(SITE.style) == set(examples)
    for lang, rules in SITE.style.items():
        assert rules, lang
        for rule in rules:
            assert any(re.search(rule["phrase"], e, re.I) for e in examples[lang]), rule["phrase"]


# ---- the rules' schema, and the real project ----


@pytest.fixture
def data_dir(tmp_path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(REPO / "data", target)
    return target


@pytest.mark.parametrize(
    "old, new, expected",
    [
        ("  - phrase: '\\baudiencias?", "  - phrase: '[\\baudiencias?", "is not a valid regular expression"),
        ("    write: '\"aún no han recibido\"'\n", "", "is missing `write`"),
        ("\nen:\n", "\neng:\n", "`eng` is not a field we know"),
    ],
)
def test_style_yaml_is_checked_with_lines(data_dir, old, new, expected):
    path = data_dir / "style.yaml"
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))
    with pytest.raises(EditorErrors) as caught:
        data_module.load(data_dir)
    (error,) = caught.value.errors
    assert error.path == "data/style.yaml" and error.line and expected in error.message, error.one_line()


def test_the_real_site_checks_clean_and_a_planted_template_phrase_stops_check_and_build(tmp_path, chart_cache):
    site = tmp_path / "site"
    shutil.copytree(TEST_SITE, site)
    assert run_cli(site, "check").returncode == 0
    page = site / "content" / "pages" / "about.md"
    page.write_text(page.read_text() + "\nThese children are missing, and 32 mil of them never served.\n")
    line = len(page.read_text().splitlines())
    check = run_cli(site, "check")
    build = run_cli(site, "build", cache=chart_cache)
    assert check.returncode == build.returncode == 1
    assert check.stderr.splitlines()[0] == build.stderr.splitlines()[0]
    assert f"content/pages/about.md:{line}: " in build.stderr and "house style: “children are missing”" in build.stderr
    assert "house style: “never served”" in build.stderr and "Traceback" not in build.stderr
    assert not (site / "output").exists()


# ---- the corrections log ----


def test_corrections_are_newest_first_and_render_references(tmp_path):
    folder = tmp_path / "data"
    shutil.copytree(TEST_SITE / "data", folder)
    path = folder / "corrections.yaml"
    path.write_text(
        path.read_text()
        + '  - id: later\n    date: "2024-10-02"\n    kind: clarification\n    pages: []\n    text: The count is {{ whole }}.\n'
        + '  - id: same-day-later-entry\n    date: "2024-10-02"\n    kind: correction\n    pages: [home]\n    text: Fixed.\n'
    )
    site = data_module.load(folder)
    view = TemplateData(site, REPO / "theme" / "charts", REPO / "theme" / "templates", formatting.edition("en", ""))
    assert [c["id"] for c in view.corrections] == ["same-day-later-entry", "later", "first-correction"]
    assert view.corrections[1]["text"] == f"The count is {view.figure('whole')['text']}."
    assert view.corrections[1]["date_text"] == "October 2, 2024"
    # A page's updated date: the latest correction naming it, or the whole site.
    assert view.updated("home", "2024-01-01") == "2024-10-02"
    assert view.updated("about-the-data", "2025-01-01") == "2025-01-01"


def test_a_long_interface_string_is_checked_and_the_header_is_not(tmp_path):
    po = (
        'msgid ""\nmsgstr ""\n"Project-Id-Version: perdidos en el sistema\\n"\n\n'
        'msgid ""\n"A long English text that wraps "\n"onto two lines"\nmsgstr ""\n"Un texto largo: "\n"audiencias perdidas"\n'
    )
    (line,) = lines_for(tmp_path, "theme/translations/es/LC_MESSAGES/messages.po", po)
    assert line.startswith("theme/translations/es/LC_MESSAGES/messages.po:10: house style: “audiencias perdidas”")


def test_a_correction_links_the_pages_it_names_on_the_updates_page_and_in_the_feed(test_site, chart_cache):
    import xml.etree.ElementTree as ET

    from bs4 import BeautifulSoup

    result = run_cli(test_site, "build", cache=chart_cache)
    assert result.returncode == 0, result.stderr
    page = BeautifulSoup((test_site / "output" / "updates" / "index.html").read_text(), "html.parser")
    item = page.select_one("#correction-first-correction")
    assert item.select_one("time")["datetime"] == "2024-09-01"
    assert item.select_one('.correction-pages a[href$="about-the-data/"]').text == "About"
    feed = ET.parse(test_site / "output" / "updates" / "feed.atom").getroot()
    ns = {"a": "http://www.w3.org/2005/Atom"}
    (entry,) = feed.findall("a:entry", ns)
    assert entry.find("a:id", ns).text == "tag:figures.example.org,2024-09-01:/corrections/first-correction"
    assert entry.find("a:published", ns).text.startswith("2024-09-01T")
    assert 'href="https://figures.example.org/about-the-data/"' in entry.find("a:content", ns).text


def test_the_names_and_menus_in_the_settings_are_checked_but_not_the_code(tmp_path):
    settings = (
        'SITENAME = "Lost in the System"\nPATH = "never-served"  # never served\n'
        'GUIDE_PAGES = [\n    ("Home", ""),\n    ("Never given a court date", "never-given-a-court-date/"),\n]\n'
    )
    lines = lines_for(tmp_path, "pelicanconf.py", settings)
    assert sorted(line.split(" in the site's")[0] for line in lines) == ["pelicanconf.py:1: house style: “Lost in the System”", "pelicanconf.py:5: house style: “Never given”"]


def test_the_language_comes_from_the_path_inside_the_project_not_its_parent_folders(tmp_path):
    root = tmp_path / "es"  # a project that happens to live in a folder named `es`
    lines = lines_for(root, "content/pages/a.md", PAGE.format("Audiencias perdidas; never served."))
    assert [line.split(" in the site's")[0] for line in lines] == ["content/pages/a.md:4: house style: “never served”"]


def test_cached_text_checks_say_what_a_fresh_check_says_and_follow_every_edit(tmp_path, monkeypatch):
    """The per-file cache of typed figures and style: same findings, same order; a page, a figure or a rule edit is seen."""
    site = tmp_path / "site"
    shutil.copytree(REPO, site, ignore=shutil.ignore_patterns(".venv", "output", ".cache", ".git", "node_modules", "tests", "__pycache__"))
    page = site / "content" / "pages" / "glossary.md"
    page.write_text(page.read_text() + "\nThese children were never served, 32k of them.\n")
    display = lambda p: p.relative_to(site).as_posix()  # noqa: E731

    def found(cache):
        data = data_module.load(site / "data")
        args = (site / "content", site / "data", site / "theme", data, display, ("en", "es"), "en", site / "pelicanconf.py")
        return [e.one_line() for e in lint.check_site_texts(*args, cache=cache)]

    fresh = found(None)
    assert any("house style: “never served”" in line for line in fresh) and any("32k" in line for line in fresh)
    cache = tmp_path / "cache"
    assert found(cache) == fresh and list(cache.glob("text-checks-*.json"))
    assert found(cache) == fresh  # read back from the cache
    page.write_text(page.read_text().replace("32k", "some"))
    assert not any("32k" in line for line in found(cache))
    page.write_text(page.read_text() + "\nAbout 32,500 of them.\n")
    assert any(line.endswith("the number 32,500 is typed in — add it to data/figures.yaml with its source and write {{ its_id }}, or say it without the number")
               for line in found(cache))
    # A figure edit alone: the page is not read again, yet its kept numbers meet the new value.
    figures = site / "data" / "figures.yaml"
    figures.write_text(figures.read_text().replace("value: 32000", "value: 32500", 1).replace("more than 32,000 UCs", "more than 32,500 UCs"))
    read = []
    monkeypatch.setattr(lint, "_numbers_in", lambda path, *rest, real=lint._numbers_in: read.append(path.name) or real(path, *rest))
    assert any("32,500 is typed in; it is the figure failed_to_appear" in line for line in found(cache))
    assert read == ["figures.yaml"]
    read.clear()
    cached = found(cache)
    assert read == [] and cached == found(None)  # nothing changed, nothing read; as a fresh check says
    style = site / "data" / "style.yaml"
    style.write_text(style.read_text().replace("never\\s+", "nevermore\\s+", 1))
    assert found(cache) == found(None)
