"""YAML loading that keeps line numbers and turns syntax errors into Problems.

Documents are composed into nodes first and measured before any Python object is built:
a document whose aliases would expand past ``MAX_EXPANDED_NODES`` nodes (a "billion
laughs" bomb) is refused with the line of the value that grows too large, in milliseconds
and without the memory the expansion would take.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from .errors import Problem, SourceError

# libyaml's parser when the wheel has it (about ten times faster), pure Python otherwise.
_Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# The guide's largest file (the bibliography) composes to about 20,000 nodes and uses no
# aliases; these caps leave ample room and stop an alias bomb long before it hurts.
MAX_EXPANDED_NODES = 1_000_000
MAX_BYTES = 8 * 1024 * 1024  # a YAML file or a front matter block
LINE_KEY, LINES_KEY = "__line__", "__lines__"


class _LineLoader(_Base):
    """A safe loader that records the 1-based start line of every mapping as ``__line__``
    and the line of each of its keys as ``__lines__`` (so a problem can name the field)."""

    def construct_mapping(self, node, deep=False):
        mapping = super().construct_mapping(node, deep=deep)
        mapping[LINE_KEY] = node.start_mark.line + 1
        mapping[LINES_KEY] = {
            key.value: key.start_mark.line + 1
            for key, _ in node.value
            if isinstance(key, yaml.ScalarNode)
        }
        return mapping

    def get_single_data(self):
        node = self.get_single_node()
        if node is None:
            return None
        _check_expansion(node)
        return self.construct_document(node)


class _TooLarge(Exception):
    def __init__(self, node):
        self.node = node


def _check_expansion(root) -> None:
    """Raise _TooLarge at the first (innermost) node whose aliases expand past the cap."""
    sizes: dict[int, int] = {}

    def size(node) -> int:
        known = sizes.get(id(node))
        if known is not None:
            return known
        sizes[id(node)] = 1  # a recursive alias counts once (the constructor handles it)
        total = 1
        if isinstance(node, yaml.SequenceNode):
            children = node.value
        elif isinstance(node, yaml.MappingNode):
            children = [child for pair in node.value for child in pair]
        else:
            children = ()
        for child in children:
            total += size(child)
            if total > MAX_EXPANDED_NODES:
                raise _TooLarge(node)
        sizes[id(node)] = total
        return total

    size(root)


# Dates stay strings ("2026-11-26"), so JSON Schema can validate them as formats and the
# same data means the same thing in YAML and JSON.
for _first, _resolvers in list(_LineLoader.yaml_implicit_resolvers.items()):
    _LineLoader.yaml_implicit_resolvers[_first] = [
        (tag, rx) for tag, rx in _resolvers if tag != "tag:yaml.org,2002:timestamp"
    ]


def load_yaml(text: str, file: str, first_line: int = 1) -> Any:
    """Parse YAML; mappings carry ``__line__``. Raises SourceError naming file and line."""
    if len(text) > MAX_BYTES:
        raise SourceError(
            Problem(file, first_line, f"YAML larger than {MAX_BYTES // 2**20} MiB: not read")
        )
    try:
        return yaml.load(text, Loader=_LineLoader)  # noqa: S506 - a safe loader subclass
    except _TooLarge as exc:
        line = exc.node.start_mark.line + first_line
        raise SourceError(
            Problem(
                file,
                line,
                f"invalid YAML: aliases expand this value past {MAX_EXPANDED_NODES:,} nodes "
                "(an alias bomb?)",
            )
        ) from None
    except RecursionError:
        raise SourceError(Problem(file, first_line, "invalid YAML: nested too deeply")) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = mark.line + first_line if mark is not None else first_line
        problem = getattr(exc, "problem", None) or str(exc)
        raise SourceError(Problem(file, line, f"invalid YAML: {problem}")) from None


def load_yaml_file(path: Path, file: str) -> Any:
    """Read and parse a YAML file, reporting unreadable or undecodable files as problems."""
    from .sources import read_source  # sources imports nothing from here at import time

    source = read_source(path, file, limit=MAX_BYTES)
    if source.problem:
        raise SourceError(source.problem)
    return load_yaml(source.text, file)


def strip_lines(value: Any) -> Any:
    """Return a copy without the ``__line__``/``__lines__`` bookkeeping keys."""
    if isinstance(value, dict):
        return {k: strip_lines(v) for k, v in value.items() if k not in (LINE_KEY, LINES_KEY)}
    if isinstance(value, list):
        return [strip_lines(v) for v in value]
    return value


def line_of(item: Any, path=(), default: int | None = None) -> int | None:
    """The line of the field at ``path`` (keys and indexes) inside a loaded mapping: the
    deepest key whose line is known, else the mapping's own line, else ``default``."""
    line = item.get(LINE_KEY, default) if isinstance(item, dict) else default
    node = item
    for step in path:
        if isinstance(node, dict):
            line = (node.get(LINES_KEY) or {}).get(step, node.get(LINE_KEY, line))
            node = node.get(step)
        elif isinstance(node, list) and isinstance(step, int) and 0 <= step < len(node):
            node = node[step]
            if isinstance(node, dict):
                line = node.get(LINE_KEY, line)
        else:
            break
    return line
