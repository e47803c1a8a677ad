"""YAML that remembers where each value came from, so a refusal can name the file and the line.

``read`` returns plain Python values whose mappings and lists are ``Located``: a ``dict`` or ``list`` that
also knows its own line and the line of each key or item. Everything else behaves as ``yaml.safe_load``.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from instruments.model import InstrumentError


class LocatedDict(dict):
    """A mapping with ``line`` (where it starts) and ``lines`` (key -> line of the key)."""

    line: int = 0
    lines: dict

    def line_of(self, key: object) -> int:
        return getattr(self, "lines", {}).get(key, self.line)


class LocatedList(list):
    """A list with ``line`` and ``lines`` (index -> line of the item)."""

    line: int = 0
    lines: list

    def line_of(self, index: int) -> int:
        lines = getattr(self, "lines", [])
        return lines[index] if 0 <= index < len(lines) else self.line


def line_of(container: object, key: object = None) -> int | None:
    """The line of ``key`` in ``container`` (or of the container itself); None for values that do not know."""
    if isinstance(container, (LocatedDict, LocatedList)):
        return container.line if key is None else container.line_of(key)
    return None


# libyaml's parser where PyYAML has it (8x faster on a study folder, same values and lines), else PyYAML's own.
class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    pass


def _mapping(loader: _Loader, node: yaml.MappingNode):
    data = LocatedDict()
    data.line = node.start_mark.line + 1
    yield data
    data.update(loader.construct_mapping(node))
    data.lines = {}
    for key_node, _ in node.value:
        try:
            key = loader.construct_object(key_node)
            data.lines[key] = key_node.start_mark.line + 1
        except TypeError:  # an unhashable key: construct_mapping has refused it already
            pass


def _sequence(loader: _Loader, node: yaml.SequenceNode):
    data = LocatedList()
    data.line = node.start_mark.line + 1
    yield data
    data.extend(loader.construct_sequence(node))
    data.lines = [item.start_mark.line + 1 for item in node.value]


_Loader.add_constructor("tag:yaml.org,2002:map", _mapping)
_Loader.add_constructor("tag:yaml.org,2002:seq", _sequence)


def parse(text: str) -> object:
    return yaml.load(text, Loader=_Loader)  # noqa: S506 - a SafeLoader with two container constructors


def read(path: Path) -> object:
    """The YAML file at ``path``; an unreadable or malformed file is an ``InstrumentError`` naming it (and the
    line, for a syntax error)."""
    try:
        return parse(path.read_text(encoding="utf-8"))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"{path}:{mark.line + 1}" if mark else str(path)
        raise InstrumentError(f"{where}: not valid YAML: {exc.problem or exc}") from None
    except (OSError, yaml.YAMLError, UnicodeDecodeError) as exc:
        raise InstrumentError(f"{path}: cannot read: {exc}") from None
