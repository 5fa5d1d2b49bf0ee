"""A small site for the plugin's tests: the real theme and plugin, its own data and pages."""

import os
import runpy
from pathlib import Path

HERE = Path(__file__).parent
# Tests copy this site to a temporary folder; they say where the code is.
REPO = Path(os.environ.get("FIGURES_CODE_ROOT", HERE.parents[1]))
# The real settings, then what differs. (Loaded by path: this file is itself
# imported under the name "pelicanconf", so `from pelicanconf import *` would find itself.)
globals().update({k: v for k, v in runpy.run_path(str(REPO / "pelicanconf.py")).items() if k.isupper()})

PATH = str(HERE / "content")
THEME = str(REPO / "theme")
PLUGIN_PATHS = [str(REPO / "plugins")]
FIGURES_ROOT = str(HERE)
FIGURES_DATA_PATH = str(HERE / "data")
FIGURES_STYLE_PATH = str(REPO / "theme" / "charts")
FIGURES_CACHE_PATH = os.environ.get("FIGURES_CACHE_PATH", str(HERE / ".cache" / "charts"))

# The small site has one edition.
FIGURES_LANGUAGES = ["en"]
# ... and only the pages it has.
MAIN_MENU = [("Home", ""), ("About the data", "about-the-data/"), ("Updates", "updates/")]
GUIDE_PAGES = [("About the data", "about-the-data/")]
