"""Settings for publishing (`make publish`): everything in pelicanconf.py, plus the site's address.

The address comes from the SITEURL environment variable when it is set
(`make publish SITEURL=https://news.example.org/numbers`), else from here.
Links, feeds and canonical links are absolute in the published site.
To publish with a different plugin setting, override its key:
`FIGURES = {**FIGURES, "frame_ancestors": "'self'"}` (plugins/figures/README.md lists them).
"""

import os
import sys

sys.path.append(os.curdir)
from pelicanconf import *  # noqa: E402,F403

# The public address: https, no slash at the end.
SITEURL = os.environ.get("SITEURL", "https://figures.example.org").rstrip("/")
RELATIVE_URLS = False
SITE_ADDRESS = SITEURL
FEED_DOMAIN = SITEURL
