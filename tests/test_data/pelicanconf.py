"""A small site for the plugin's tests: the real theme and plugin, its own data and pages."""

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
# The small site has one edition, and no theme/ of its own: the chart style is the real one's.
FIGURES = {**FIGURES, "languages": ["en"], "style_path": str(REPO / "theme" / "charts")}  # noqa: F821 (from the real settings)
# ... and only the pages it has.
MAIN_MENU = [("Home", ""), ("About the data", "about-the-data/"), ("Updates", "updates/")]
GUIDE_PAGES = [("About the data", "about-the-data/")]
