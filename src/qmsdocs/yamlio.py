"""Reading YAML data files with line numbers and errors a user can act on.

Every data file qmsdocs reads (catalogues, glossaries, front matter) goes through here, so that
all of them report a problem the same way: the file, the line, what is wrong, what to do.
"""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Collection, Sequence
from pathlib import Path
from typing import Any

import yaml

from qmsdocs.findings import Finding, Problems, QMSDataError

__all__ = [
    "MAX_DATA_FILE_BYTES",
    "LineDict",
    "LineList",
    "WrittenFloat",
    "check_fields",
    "excerpt",
    "line_of",
    "load_mapping",
    "load_shipped",
    "load_yaml",
    "parse_yaml",
    "read_text",
    "required_texts",
]

# The largest data file qmsdocs reads: the catalogue of a whole standard is some 10 kB, the ISO
# 9000 vocabulary 50 kB. A file a thousand times that is not a data file of a manual, and
# reading it whole could exhaust memory (`--standard /dev/zero` would never end).
MAX_DATA_FILE_BYTES = 10 * 1024 * 1024
# How much of a file's unknown content a message quotes: enough to find it, never a whole line
# of a file that was given by mistake (`--standard /etc/shadow`).
EXCERPT_LENGTH = 40
# Unknown keys listed one by one; when there are more and none is known, the file is not of
# the expected kind, and listing them would only echo it.
_UNKNOWN_KEYS_LISTED = 3

# The C loader is several times faster; fall back to the pure-Python one where libyaml is absent.
_BaseLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class LineDict(dict[Any, Any]):
    """A mapping that remembers the 1-based line of itself and of each of its keys."""

    line: int | None = None
    key_lines: dict[Any, int]


class LineList(list[Any]):
    """A sequence that remembers the 1-based line of itself and of each of its items."""

    line: int | None = None
    item_lines: list[int]


class WrittenFloat(float):
    """A number YAML read as a float, with the text it was written as ("7.10" reads as 7.1)."""

    written: str


class _LineLoader(_BaseLoader):  # type: ignore[misc, valid-type]
    """Safe loader that records where each mapping, key and list item starts, and the keys
    given twice in one mapping: (key, first line, line)."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.duplicates: list[tuple[str, int, int]] = []

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> LineDict:  # noqa: ARG002
        self._note_duplicates(node)
        mapping = LineDict(super().construct_mapping(node, deep=True))
        mapping.line = node.start_mark.line + 1
        mapping.key_lines = {}
        for key_node, _value in node.value:
            key = self.construct_object(key_node, deep=True)
            # An unhashable key has already been reported by construct_mapping above.
            with contextlib.suppress(TypeError):
                mapping.key_lines[key] = key_node.start_mark.line + 1
        return mapping

    def _note_duplicates(self, node: yaml.MappingNode) -> None:
        """Remember keys given twice in one mapping: YAML keeps the last value without a word,
        and the first (an explanation, a clause list) is lost. Read before merge keys (`<<:`)
        are expanded, whose values a mapping may override on purpose."""
        first: dict[str, int] = {}
        for key_node, _value in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag.endswith(":merge"):
                continue
            line = key_node.start_mark.line + 1
            if key_node.value in first:
                self.duplicates.append((key_node.value, first[key_node.value], line))
            else:
                first[key_node.value] = line

    def construct_sequence(self, node: yaml.SequenceNode, deep: bool = False) -> LineList:  # noqa: ARG002
        items = LineList(super().construct_sequence(node, deep=True))
        items.line = node.start_mark.line + 1
        items.item_lines = [child.start_mark.line + 1 for child in node.value]
        return items

    def construct_written_float(self, node: yaml.ScalarNode) -> Any:
        """Keep how an unquoted number was written: a clause id "7.10" must not be reported
        as the 7.1 YAML makes of it."""
        value = self.construct_yaml_float(node)
        number = WrittenFloat(value)
        number.written = str(node.value)
        return number

    def construct_lenient_timestamp(self, node: yaml.ScalarNode) -> Any:
        """A date YAML cannot make ("2026-02-30") stays text, for the reader to report with
        its line, instead of a ValueError from deep inside the parser."""
        try:
            return self.construct_yaml_timestamp(node)
        except ValueError:
            return self.construct_scalar(node)


_LineLoader.add_constructor("tag:yaml.org,2002:timestamp", _LineLoader.construct_lenient_timestamp)
_LineLoader.add_constructor("tag:yaml.org,2002:float", _LineLoader.construct_written_float)
_LineLoader.add_constructor("tag:yaml.org,2002:map", _LineLoader.construct_mapping)
_LineLoader.add_constructor("tag:yaml.org,2002:seq", _LineLoader.construct_sequence)


def line_of(container: Any, key: Any = None) -> int | None:
    """The line of `container`, or of `key` (a mapping key or a list index) inside it."""
    if key is not None:
        if isinstance(container, LineDict):
            return container.key_lines.get(key, container.line)
        if isinstance(container, LineList) and isinstance(key, int):
            if 0 <= key < len(container.item_lines):
                return container.item_lines[key]
            return container.line
    return getattr(container, "line", None)


def excerpt(value: object, length: int = EXCERPT_LENGTH) -> str:
    """`value` as a message may quote it: on one line, without control characters (which a
    terminal would run), and cut to `length` characters ("…" marks the cut)."""
    text = "".join(c if c.isprintable() else " " for c in str(value))
    return text if len(text) <= length else text[: length - 1] + "…"


def read_text(path: Path, display: str | None = None, *, limit: int | None = None) -> str:
    """Read a UTF-8 text file, turning every way this can fail into a `QMSDataError`.

    Only a regular file is read: a device or a named pipe is refused before a byte is read
    (either could be read for ever). `limit`: the most bytes the file may have.
    """
    name = display or str(path)
    data = _read_bytes(path, name, limit)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise QMSDataError(
            [
                Finding(
                    "not-utf8",
                    f"the file is not UTF-8 text (byte 0x{data[error.start]:02x})",
                    name,
                    line,
                    hint="save the file with UTF-8 encoding",
                )
            ]
        ) from None
    # Universal newlines, as MkDocs reads pages: front matter delimiters are matched per line.
    return text.replace("\r\n", "\n").replace("\r", "\n")


# Opening a named pipe waits for a writer unless it is opened without blocking; a regular file
# reads the same either way. Windows has neither flag nor pipes in the file system, but needs
# binary mode to keep line endings.
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)


def _read_bytes(path: Path, name: str, limit: int | None) -> bytes:
    try:
        descriptor = os.open(path, _OPEN_FLAGS)
    except FileNotFoundError:
        raise QMSDataError(
            [Finding("file-not-found", "file not found", name, hint="check the path")]
        ) from None
    except IsADirectoryError:
        raise QMSDataError([Finding("not-a-file", "is a folder, expected a file", name)]) from None
    except OSError as error:
        raise QMSDataError(
            [Finding("unreadable-file", f"cannot read the file: {error.strerror}", name)]
        ) from None
    with open(descriptor, "rb", closefd=True) as handle:
        # Asked of the open file, not of the path: what is read is what was checked.
        mode = os.fstat(handle.fileno()).st_mode
        if stat.S_ISDIR(mode):
            raise QMSDataError([Finding("not-a-file", "is a folder, expected a file", name)])
        if not stat.S_ISREG(mode):
            raise QMSDataError(
                [
                    Finding(
                        "not-a-file",
                        "is not a regular file (a device, a named pipe or a socket); qmsdocs "
                        "reads only files",
                        name,
                        hint="give the path of a YAML file",
                    )
                ]
            )
        try:
            data = handle.read() if limit is None else handle.read(limit + 1)
        except OSError as error:
            raise QMSDataError(
                [Finding("unreadable-file", f"cannot read the file: {error.strerror}", name)]
            ) from None
    if limit is not None and len(data) > limit:
        raise QMSDataError(
            [
                Finding(
                    "too-large",
                    f"the file is larger than {limit // (1024 * 1024)} MB, more than any "
                    "data file of qmsdocs",
                    name,
                    hint="check that this is the right file",
                )
            ]
        )
    return data


def load_shipped(text: str) -> Any:
    """A data file qmsdocs ships (checked by its tests, so no line is ever reported), parsed
    with the C parser where PyYAML has one and without line numbers: the fastest read."""
    return yaml.load(text, Loader=_BaseLoader)


def parse_yaml(text: str, display: str, *, first_line: int = 1) -> Any:
    """Parse YAML text with line-aware containers; syntax errors become a `QMSDataError`.

    Arguments:
        text: The YAML source.
        display: The file name to put in messages.
        first_line: Line of the file on which `text` starts (front matter starts on line 2).
    """
    try:
        loader = _LineLoader(text)
        try:
            data = loader.get_single_data()
            duplicates = loader.duplicates
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + first_line if mark is not None else None
        # PyYAML's problem quotes what it met (a character, a tag): keep it to a sentence.
        problem = excerpt(error.problem or "invalid YAML", 3 * EXCERPT_LENGTH)
        raise QMSDataError(
            [
                Finding(
                    "bad-yaml",
                    f"invalid YAML: {problem}",
                    display,
                    line,
                    hint="check indentation, colons and quotes on this line or the one before",
                )
            ]
        ) from None
    except yaml.YAMLError as error:
        message = f"invalid YAML: {excerpt(error, 3 * EXCERPT_LENGTH)}"
        raise QMSDataError([Finding("bad-yaml", message, display)]) from None
    if duplicates:
        offset = first_line - 1
        raise QMSDataError(
            [
                Finding(
                    "duplicate-key",
                    f"'{excerpt(key)}' is given twice (first on line {first + offset}); YAML"
                    " would keep"
                    " only this one",
                    display,
                    line + offset,
                    hint="remove one of them, or merge their values",
                )
                for key, first, line in duplicates
            ]
        )
    if first_line != 1:
        _shift_lines(data, first_line - 1)
    return data


def load_yaml(path: Path, display: str | None = None) -> Any:
    """Read and parse a YAML file; an empty file is an error rather than silently nothing."""
    name = display or str(path)
    text = read_text(path, name, limit=MAX_DATA_FILE_BYTES)
    if not text.strip():
        raise QMSDataError(
            [Finding("empty-file", "the file is empty", name, hint="add content or remove it")]
        )
    return parse_yaml(text, name)


def _shift_lines(data: Any, offset: int) -> None:
    stack = [data]
    while stack:
        node = stack.pop()
        if isinstance(node, LineDict):
            node.line = (node.line or 0) + offset
            node.key_lines = {k: v + offset for k, v in node.key_lines.items()}
            stack.extend(node.values())
        elif isinstance(node, LineList):
            node.line = (node.line or 0) + offset
            node.item_lines = [v + offset for v in node.item_lines]
            stack.extend(node)


def check_fields(
    data: dict[Any, Any], allowed: Collection[str], problem: Problems, what: str = "field"
) -> bool:
    """Report each key of `data` not in `allowed` (`unknown-field`); True if there is none.

    Keys are quoted in short excerpts. A mapping of many keys none of which is allowed is not
    the kind of file expected (`--standard /etc/passwd`): that is said once, quoting nothing.
    """
    unknown = [key for key in data if key not in allowed]
    allowed_hint = "allowed: " + ", ".join(sorted(allowed))
    if len(unknown) > _UNKNOWN_KEYS_LISTED and len(unknown) == len(data):
        problem(
            "unknown-field",
            f"none of its {len(unknown)} keys is a {what}: is this the right file?",
            line_of(data),
            allowed_hint,
        )
        return False
    for key in unknown:
        problem(
            "unknown-field", f"unknown {what} '{excerpt(key)}'", line_of(data, key), allowed_hint
        )
    return not unknown


def required_texts(
    data: dict[Any, Any],
    keys: Sequence[str],
    problem: Problems,
    what: str = "field",
    line: int | None = None,
) -> dict[str, str]:
    """The non-empty texts of `keys` in `data`, stripped; each missing one is reported."""
    texts: dict[str, str] = {}
    for key in keys:
        value = data.get(key)
        if isinstance(value, str) and value.strip():
            texts[key] = value.strip()
        else:
            problem(
                "missing-field",
                f"{what} '{key}' must be a non-empty text",
                line_of(data, key) or line,
            )
    return texts


def load_mapping(path: Path, problem: Problems, code: str, expected: str) -> LineDict:
    """A data file that must be a mapping (a catalogue, a principles file): anything else
    stops the loader with `code` and `expected`, which says what the file must look like."""
    data = load_yaml(path, problem.path)
    if not isinstance(data, LineDict):
        raise problem.fatal(code, expected, line_of(data))
    return data
