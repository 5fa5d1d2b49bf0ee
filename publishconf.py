"""Settings for publishing (`make publish`): everything in pelicanconf.py, plus the site's address."""

import os
import sys

sys.path.append(os.curdir)
from pelicanconf import *  # noqa: E402,F403

# The public address; feeds and canonical links are absolute.
SITEURL = os.environ.get("SITEURL", "https://figures.example.org")
RELATIVE_URLS = False
SITE_ADDRESS = SITEURL
FEED_DOMAIN = SITEURL
