"""Settings for building the site locally (`make html`, `make serve`).

publishconf.py imports these and sets what differs when publishing.
"""

import os
import sys
from pathlib import Path

from jinja2 import FileSystemBytecodeCache

ROOT = Path(__file__).parent
# The plugin is the package `plugins.figures`, under that one name whoever builds (the CLI,
# `pelican`, the tests): Pelican gets the package object itself, not a name to look up.
if not any(Path(p or ".").resolve() == ROOT.resolve() for p in sys.path):
    sys.path.insert(0, str(ROOT))
from plugins import figures  # noqa: E402

AUTHOR = "The Figures Desk"
SITENAME = "Unaccompanied children: the DHS inspector general's figures"
SITE_TAGLINE = "The figures of the DHS inspector general's reports on unaccompanied migrant children: what each one means, what it does not, and its source"
SITEURL = ""
RELATIVE_URLS = True

PATH = "content"
PAGE_PATHS = ["pages"]
ARTICLE_PATHS = ["updates"]
STATIC_PATHS = ["static"]
# Set by the build itself (plugins/figures/cli.py), for every site it builds: IGNORE_FILES gains
# editors' lock, backup and swap files (files.EDITOR_FILES), and pages or updates with
# `Status: draft` are never written (the DRAFT_*_SAVE_AS settings are emptied), except in the
# preview (`make preview`), which builds them at their future address into .cache/preview/.
EXTRA_PATH_METADATA = {}

TIMEZONE = "America/New_York"
DEFAULT_LANG = "en"
LANGUAGE_NAMES = {"en": "English", "es": "Español"}
PAGE_LANG_URL = "{lang}/{slug}/"
PAGE_LANG_SAVE_AS = "{lang}/{slug}/index.html"
ARTICLE_LANG_URL = "{lang}/updates/{slug}/"
ARTICLE_LANG_SAVE_AS = "{lang}/updates/{slug}/index.html"
TRANSLATION_FEED_ATOM = None  # the plugin writes es/updates/feed.atom
DEFAULT_DATE_FORMAT = "%B %-d, %Y"

THEME = str(ROOT / "theme")
# The plugin writes the stylesheet under a hashed name (and the favicon) itself.
THEME_STATIC_PATHS = []

PLUGINS = [figures]

# Pages live at /slug/; the home page is content/pages/home.md saved as index.html.
PAGE_URL = "{slug}/"
PAGE_SAVE_AS = "{slug}/index.html"
ARTICLE_URL = "updates/{slug}/"
ARTICLE_SAVE_AS = "updates/{slug}/index.html"
INDEX_SAVE_AS = "updates/index.html"
INDEX_URL = "updates/"

# Nothing the site does not use.
ARCHIVES_SAVE_AS = ""
AUTHORS_SAVE_AS = ""
AUTHOR_SAVE_AS = ""
CATEGORIES_SAVE_AS = ""
CATEGORY_SAVE_AS = ""
TAGS_SAVE_AS = ""
TAG_SAVE_AS = ""
DEFAULT_PAGINATION = False

CATEGORY_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None

# The Markdown setting replaces Pelican's default: list what we use.
MARKDOWN = {
    "extensions": [],
    "extension_configs": {
        "markdown.extensions.extra": {},
        "markdown.extensions.meta": {},
        "markdown.extensions.smarty": {},
        "markdown.extensions.toc": {"permalink": False},
    },
    "output_format": "html5",
}
# Summaries are plain text we control; figure references in them become plain text.
FORMATTED_FIELDS = []

# A YAML edit must never be served from a stale content cache.
LOAD_CONTENT_CACHE = False
CACHE_CONTENT = False

# Escape data-derived text everywhere; rendered Markdown is marked |safe deliberately.
# Compiled templates are cached between builds (Jinja checks each template's mtime).
(ROOT / ".cache" / "jinja").mkdir(parents=True, exist_ok=True)
JINJA_ENVIRONMENT = {
    "autoescape": True,
    # {{ _("...") }} in templates: the plugin picks each page's language catalogue.
    "extensions": ["jinja2.ext.i18n"],
    "trim_blocks": True,
    "lstrip_blocks": True,
    "bytecode_cache": FileSystemBytecodeCache(str(ROOT / ".cache" / "jinja")),
}

# The public address, for canonical links, social cards, the sitemap and feeds, even in
# a local build (a canonical link names the public page; nothing fetches it locally).
SITE_ADDRESS = os.environ.get("SITEURL", "https://figures.example.org").rstrip("/")
# Who publishes the site and where readers report an error (the footer, About the data,
# JSON-LD): an address, no form. Each page shows its Date:/Modified: or these two dates.
PUBLISHER = AUTHOR
CORRECTIONS_EMAIL = "corrections@figures.example.org"
FIRST_PUBLISHED = "2024-08-21"
LAST_UPDATED = "2025-03-26"

FEED_ALL_ATOM = "updates/feed.atom"
FEED_DOMAIN = SITE_ADDRESS
FEED_MAX_ITEMS = 20

# Sitemap and robots.txt are rendered from templates like any page.
DIRECT_TEMPLATES = ["index", "sitemap", "robots"]
SITEMAP_SAVE_AS = "sitemap.xml"
ROBOTS_SAVE_AS = "robots.txt"

# The plugin's own settings, in one place: every key, its default and what it does are in
# plugins/figures/README.md ("Settings"); a wrong key or type stops the build at its line.
# (Where data/ and the chart cache are follows from PATH; FIGURES_CACHE_PATH in the
# environment moves the cache.)
languages = ["en", "es"]
FIGURES = {
    # Every edition, the default first. Spanish pages live in content/pages/es/ and
    # content/updates/es/, the Spanish data texts in data/es.yaml, the interface in
    # theme/translations/es/LC_MESSAGES/messages.po; the build refuses any gap.
    "languages": languages,
    # Security policy, in one place: theme/templates/base.html puts it in <meta> tags (which every
    # host honours, GitHub Pages included) and the build writes it into `_headers` (read by Netlify and
    # Cloudflare Pages), adding what only an HTTP header can carry. No page runs a script (JSON-LD is data).
    "content_security_policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'none'; "
        "object-src 'none'; base-uri 'self'; form-action 'none'"
    ),
    "referrer_policy": "strict-origin-when-cross-origin",
    # Only as HTTP headers (a <meta> tag cannot set these): no framing, no content-type guessing,
    # and a year's cache for files whose names carry a hash of their content.
    "frame_ancestors": "'none'",
    "http_headers": {"X-Content-Type-Options": "nosniff"},
    # Only the drawings whose names carry a hash (charts/<id>.<hash>.<variant>): the stable
    # downloads charts/<id>.svg and .png keep their address when the figures change.
    "immutable_paths": [
        *(f"/{'' if lang == DEFAULT_LANG else lang + '/'}charts/*.{variant}"
          for lang in languages for variant in ("dark-narrow.svg", "dark-wide.svg", "light-narrow.svg", "light-wide.svg", "social.png")),
        "/theme/*",
    ],
    "immutable_cache": "public, max-age=31536000, immutable",
}

MAIN_MENU = [
    ("Home", ""),
    ("The findings", "what-the-watchdog-found/"),
    ("What was said", "what-was-said/"),
    ("Glossary", "glossary/"),
    ("About the data", "about-the-data/"),
    ("Updates", "updates/"),
]

# Every page, in reading order: the footer and the home page list them.
GUIDE_PAGES = [
    ("What the watchdog found", "what-the-watchdog-found/"),
    ("Missed court hearings", "missed-court-hearings/"),
    ("No immigration court date yet", "never-given-a-court-date/"),
    ("From the border to a sponsor", "from-the-border-to-a-sponsor/"),
    ("Transfers by year", "by-year/"),
    ("Family separation, a separate story", "family-separation/"),
    ("What was said since", "what-was-said/"),
    ("Timeline", "timeline/"),
    ("Glossary", "glossary/"),
    ("About the data", "about-the-data/"),
    ("Updates", "updates/"),
]
