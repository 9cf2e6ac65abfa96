"""One shape for every problem found in the project's sources.

A problem names the file (relative to the repository root) and the line, so a maintainer
can jump straight to it, and it never carries a traceback.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """A finding in a source file: ``file:line: message``."""

    file: str
    line: int | None
    message: str
    rule: str = "source"
    severity: str = "error"
    target: str | None = None

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.message}"


class SourceError(Exception):
    """Raised with one or more problems when a source file cannot be used as it is."""

    def __init__(self, problems: list[Problem] | Problem):
        self.problems = [problems] if isinstance(problems, Problem) else list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))
