"""Imported once, by the fork server that the drawing processes are forked from
(see pool.py): matplotlib, its fonts and its renderers are then already loaded
in every drawing process, at no cost to it."""

from .drawing import warm

warm()
