"""YAML loading that keeps line numbers and turns syntax errors into Problems."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from .errors import Problem, SourceError

# libyaml's parser when the wheel has it (about ten times faster), pure Python otherwise.
_Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _LineLoader(_Base):
    """A safe loader that records the 1-based start line of every mapping as ``__line__``."""

    def construct_mapping(self, node, deep=False):
        mapping = super().construct_mapping(node, deep=deep)
        mapping["__line__"] = node.start_mark.line + 1
        return mapping


# Dates stay strings ("2026-11-26"), so JSON Schema can validate them as formats and the
# same data means the same thing in YAML and JSON.
for _first, _resolvers in list(_LineLoader.yaml_implicit_resolvers.items()):
    _LineLoader.yaml_implicit_resolvers[_first] = [
        (tag, rx) for tag, rx in _resolvers if tag != "tag:yaml.org,2002:timestamp"
    ]


def load_yaml(text: str, file: str, first_line: int = 1) -> Any:
    """Parse YAML; mappings carry ``__line__``. Raises SourceError naming file and line."""
    try:
        return yaml.load(text, Loader=_LineLoader)  # noqa: S506 - a safe loader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = mark.line + first_line if mark is not None else first_line
        problem = getattr(exc, "problem", None) or str(exc)
        raise SourceError(Problem(file, line, f"invalid YAML: {problem}")) from None


def load_yaml_file(path: Path, file: str) -> Any:
    """Read and parse a YAML file, reporting unreadable or undecodable files as problems."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise SourceError(Problem(file, None, f"not valid UTF-8 ({exc.reason})")) from None
    except OSError as exc:
        raise SourceError(Problem(file, None, f"cannot read: {exc.strerror}")) from None
    return load_yaml(text, file)


def strip_lines(value: Any) -> Any:
    """Return a copy without the ``__line__`` bookkeeping keys."""
    if isinstance(value, dict):
        return {k: strip_lines(v) for k, v in value.items() if k != "__line__"}
    if isinstance(value, list):
        return [strip_lines(v) for v in value]
    return value
