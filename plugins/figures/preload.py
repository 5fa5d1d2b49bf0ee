"""Imported once, by the fork server that the drawing processes are forked from
(see pool.py): matplotlib, its fonts and its renderers are then already loaded
in every drawing process, at no cost to it.

Imported in a drawing process too (a no-op there, the server did it). In the
server, it first ties the server's life to the build's.
"""

import os

from . import pool

if os.environ.get(pool.SERVER) is None:
    pool.die_with_parent(pool.PARENT)
    # The drawing processes inherit this, and check that their parent is this server.
    os.environ[pool.SERVER] = str(os.getpid())
    pool.let_go_of_output_at_exit()

from .drawing import warm  # noqa: E402

warm()
