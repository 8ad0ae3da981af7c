"""YAML loading that remembers line numbers, so every problem reads `file:line: message`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml


@dataclass(frozen=True, order=True)
class Problem:
    """One problem in a data file, for a rule maintainer."""

    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


class SourceError(Exception):
    """Data files with problems; str() is one `file:line: message` per line."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = list(problems)


class LineDict(dict[Any, Any]):
    """A mapping that knows the line of itself and of each key (1-based)."""

    line: int = 0
    key_lines: dict[Any, int]


class LineList(list[Any]):
    """A sequence that knows the line of itself and of each item (1-based)."""

    line: int = 0
    item_lines: list[int]


class _LineLoader(yaml.SafeLoader):
    """SafeLoader whose mappings and sequences carry line numbers; duplicate keys are errors."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> LineDict:
        result = LineDict()
        result.line = node.start_mark.line + 1
        result.key_lines = {}
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=True)
            if key in result:
                raise yaml.constructor.ConstructorError(
                    None, None, f"重复的键：{key}", key_node.start_mark
                )
            result[key] = self.construct_object(value_node, deep=True)
            result.key_lines[key] = key_node.start_mark.line + 1
        return result

    def construct_sequence(self, node: yaml.SequenceNode, deep: bool = False) -> LineList:
        result = LineList(self.construct_object(child, deep=True) for child in node.value)
        result.line = node.start_mark.line + 1
        result.item_lines = [child.start_mark.line + 1 for child in node.value]
        return result


def _timestamp_or_text(loader: _LineLoader, node: yaml.ScalarNode) -> Any:
    """An impossible date such as 2026-13-45 stays text, so the checks can name its line."""
    try:
        return loader.construct_yaml_timestamp(node)
    except ValueError:
        return loader.construct_scalar(node)


_LineLoader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_or_text)
_LineLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _LineLoader.construct_mapping
)
_LineLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _LineLoader.construct_sequence
)


def load_yaml_text(text: str, label: str) -> Any:
    """Parse YAML text; raise SourceError naming `label` and the line on a syntax error."""
    try:
        return yaml.load(text, Loader=_LineLoader)  # noqa: S506 - SafeLoader subclass
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else 1
        reason = " ".join((error.problem or str(error)).split())
        raise SourceError([Problem(label, line, f"YAML 语法错误：{reason}")]) from None
    except yaml.reader.ReaderError as error:  # a control character: not a MarkedYAMLError
        line = text.count("\n", 0, error.position) + 1 if isinstance(error.position, int) else 1
        reason = f"不允许的字符 #x{error.character:04x}" if isinstance(error.character, int) else ""
        raise SourceError(
            [Problem(label, line, f"YAML 语法错误：{reason or '不允许的字符'}")]
        ) from None
    except yaml.YAMLError as error:
        reason = " ".join(str(error).split())
        raise SourceError([Problem(label, 1, f"YAML 语法错误：{reason}")]) from None


def load_yaml(path: Path, label: str | None = None) -> Any:
    """Read and parse a YAML file with line numbers."""
    name = label or str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SourceError([Problem(name, 1, "文件不存在")]) from None
    except UnicodeDecodeError:
        raise SourceError([Problem(name, 1, "文件不是 UTF-8 编码")]) from None
    return load_yaml_text(text, name)


def line_at(root: Any, path: Sequence[str | int]) -> int:
    """The best line for a path into loaded data: the deepest element that has one."""
    line = getattr(root, "line", 1) or 1
    node = root
    for step in path:
        if isinstance(node, LineDict) and step in node:  # keys may be ints (calendar years)
            line = node.key_lines.get(step, line)
            node = node[step]
        elif isinstance(node, LineList) and isinstance(step, int) and 0 <= step < len(node):
            line = node.item_lines[step]
            node = node[step]
        else:
            break
        line = getattr(node, "line", line) if isinstance(node, LineDict | LineList) else line
    return line
