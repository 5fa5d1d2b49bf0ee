"""A small site for the plugin's tests: the real theme and plugin, its own data and pages."""

import os
import runpy
import sys
from pathlib import Path

HERE = Path(__file__).parent
# Tests copy this site to a temporary folder and put the code on PYTHONPATH; the code
# is wherever the plugin package is imported from (here, in the repository itself).
try:
    import plugins.figures
except ImportError:
    sys.path.insert(0, str(HERE.parents[1]))
    import plugins.figures
REPO = Path(plugins.figures.__file__).resolve().parents[2]
# The real settings, then what differs. (Loaded by path: this file is itself
# imported under the name "pelicanconf", so `from pelicanconf import *` would find itself.)
globals().update({k: v for k, v in runpy.run_path(str(REPO / "pelicanconf.py")).items() if k.isupper()})

PATH = str(HERE / "content")
THEME = str(REPO / "theme")
FIGURES_ROOT = str(HERE)
FIGURES_DATA_PATH = str(HERE / "data")
FIGURES_STYLE_PATH = str(REPO / "theme" / "charts")
FIGURES_CACHE_PATH = os.environ.get("FIGURES_CACHE_PATH", str(HERE / ".cache" / "charts"))

# The small site has one edition.
FIGURES_LANGUAGES = ["en"]
# ... and only the pages it has.
MAIN_MENU = [("Home", ""), ("About the data", "about-the-data/"), ("Updates", "updates/")]
GUIDE_PAGES = [("About the data", "about-the-data/")]
