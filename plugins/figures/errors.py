"""One error type for everything an editor can get wrong.

Editors read these, not programmers: each error is one line,
``path:LINE: what is wrong — how to fix it``, and never a traceback.
"""

from __future__ import annotations


class EditorError(Exception):
    """A problem in data/ or content/ that an editor can fix."""

    def __init__(self, path: str, line: int | None, message: str, hint: str = ""):
        self.path = path
        self.line = line
        self.message = message
        self.hint = hint
        super().__init__(self.one_line())

    def one_line(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        text = f"{where}: {self.message}"
        if self.hint:
            text += f" — {self.hint}"
        return text


class EditorErrors(Exception):
    """Several editor errors found in one pass, reported together."""

    def __init__(self, errors: list[EditorError]):
        self.errors = sorted(errors, key=lambda e: (e.path, e.line or 0, e.message))
        super().__init__("\n".join(e.one_line() for e in self.errors))
