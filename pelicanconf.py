"""Settings for building the site locally (`make html`, `make serve`).

publishconf.py imports these and sets what differs when publishing.
"""

import os
from pathlib import Path

ROOT = Path(__file__).parent

AUTHOR = "The Figures Desk"
SITENAME = "Lost in the System: the numbers"
SITE_TAGLINE = "What the DHS watchdog's figures on unaccompanied migrant children say, and don't"
SITEURL = ""
RELATIVE_URLS = True

PATH = "content"
PAGE_PATHS = ["pages"]
ARTICLE_PATHS = ["updates"]
STATIC_PATHS = ["static"]
EXTRA_PATH_METADATA = {}

TIMEZONE = "America/New_York"
DEFAULT_LANG = "en"
DEFAULT_DATE_FORMAT = "%B %-d, %Y"

THEME = str(ROOT / "theme")

PLUGIN_PATHS = [str(ROOT / "plugins")]
PLUGINS = ["figures"]

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
DIRECT_TEMPLATES = ["index"]
DEFAULT_PAGINATION = False

FEED_DOMAIN = None
FEED_ALL_ATOM = None
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
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
JINJA_ENVIRONMENT = {"autoescape": True, "trim_blocks": True, "lstrip_blocks": True}

# Where the plugin finds the facts and the chart style, and caches drawings.
FIGURES_ROOT = str(ROOT)
FIGURES_DATA_PATH = str(ROOT / "data")
FIGURES_STYLE_PATH = str(ROOT / "theme" / "charts")
FIGURES_CACHE_PATH = os.environ.get("FIGURES_CACHE_PATH", str(ROOT / ".cache" / "charts"))

MAIN_MENU = [
    ("Home", ""),
    ("About the data", "about-the-data/"),
    ("Updates", "updates/"),
]
THEME_STATIC_PATHS = []
