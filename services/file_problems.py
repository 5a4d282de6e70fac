"""The office's YAML files (season, sites): the problems found in one, each with its path in the
file (`ideas[3].capacity.students`), worded in Russian through Fluent (locales/ru/files.ftl),
and the value types both files share.

A pydantic error type becomes a Fluent key in one place (`_KEYS`); our own validators raise
`PydanticCustomError` whose type is already a `file-…` key. A validator of a whole entry names
the field it is about in `ctx["at"]`, so the path points at the field, not at the entry.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Annotated, Any

import yaml
from annotated_types import Gt
from fluent.runtime.types import fluent_number
from pydantic import BeforeValidator, Strict, StringConstraints, ValidationError
from pydantic_core import PydanticCustomError

from services.i18n import Texts

GENERIC_KEY = "file-invalid"

# pydantic's error type → (Fluent key, the context values the text uses).
_KEYS: dict[str, tuple[str, tuple[str, ...]]] = {
    "missing": ("file-required", ()),
    "extra_forbidden": ("file-unknown-key", ()),
    "model_type": ("file-mapping", ()),
    "model_attributes_type": ("file-mapping", ()),
    "dict_type": ("file-mapping", ()),
    "list_type": ("file-list", ()),
    "too_short": ("file-list-empty", ()),
    "int_type": ("file-integer", ()),
    "int_parsing": ("file-integer", ()),
    "int_from_float": ("file-integer", ()),
    "float_type": ("file-number", ()),
    "float_parsing": ("file-number", ()),
    "bool_type": ("file-bool", ()),
    "bool_parsing": ("file-bool", ()),
    "string_type": ("file-text", ()),
    "string_too_short": ("file-required", ()),
    "string_too_long": ("file-too-long", ("max_length",)),
    "greater_than": ("file-greater-than", ("gt",)),
    "greater_than_equal": ("file-at-least", ("ge",)),
    "less_than_equal": ("file-at-most", ("le",)),
    "enum": ("file-one-of", ("expected",)),
    "literal_error": ("file-one-of", ("expected",)),
}


@dataclass(frozen=True)
class FileProblem:
    """One problem of a file: where (`path`, empty for the whole file) and what (a Fluent key
    with its arguments)."""

    path: str
    key: str
    args: dict[str, Any] = field(default_factory=dict)

    def text(self, texts: Texts) -> str:
        # Numbers as written in the file: 2000, not «2 000».
        args: dict[str, Any] = {
            name: fluent_number(value, useGrouping=False)
            if isinstance(value, int | float) and not isinstance(value, bool)
            else value
            for name, value in self.args.items()
        }
        return texts.get(self.key, **args)

    def line(self, texts: Texts) -> str:
        """`path: text`; a problem of the whole file says so, the parser's names its line."""
        if self.path:
            return f"{self.path}: {self.text(texts)}"
        if self.key == "file-not-yaml-at":
            return self.text(texts)
        return f"{texts.get('file-whole')}: {self.text(texts)}"


class FileInvalid(Exception):
    """A file did not pass its model; `problems` lists every problem found."""

    def __init__(self, problems: list[FileProblem]) -> None:
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = problems


def path_of(loc: tuple[int | str, ...]) -> str:
    """`('ideas', 3, 'capacity', 'students')` → `ideas[3].capacity.students`."""
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{part}" if path else str(part)
    return path


def problems_of(error: ValidationError) -> list[FileProblem]:
    """Every error of a validation, with its path, as a Fluent key and arguments."""
    problems = []
    for item in error.errors(include_url=False):
        context = dict(item.get("ctx") or {})
        loc: tuple[int | str, ...] = tuple(item["loc"])
        at = context.pop("at", None)
        if at:
            loc = (*loc, *at)
        kind = item["type"]
        if kind.startswith("file-"):
            problems.append(FileProblem(path_of(loc), kind, context))
            continue
        key, names = _KEYS.get(kind, (GENERIC_KEY, ()))
        args = {name: _shown(context[name]) for name in names if name in context}
        if len(args) < len(names):
            key, args = GENERIC_KEY, {}
        problems.append(FileProblem(path_of(loc), key, args))
    return problems


def _shown(value: Any) -> Any:
    """A context value as the Russian text shows it: pydantic's English "or" in enum lists."""
    return value.replace("' or '", "', '") if isinstance(value, str) else value


def problem(key: str, *at: int | str, **args: Any) -> PydanticCustomError:
    """The error a validator raises: `key` is the Fluent key; `at` the field's path inside the
    validated entry (empty: the entry itself)."""
    return PydanticCustomError(key, key, {"at": at, **args} if at else args)


def read_yaml(text: str) -> Any:
    """The parsed YAML, or FileInvalid pointing at the line and column the parser stopped at."""
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = {"line": mark.line + 1, "column": mark.column + 1} if mark else {}
        key = "file-not-yaml-at" if mark else "file-not-yaml"
        raise FileInvalid([FileProblem("", key, where)]) from error


# --- value types both files use ---------------------------------------------------------------


def _text(value: Any) -> Any:
    """A required text: numbers are read as their text (a version `2026.1` unquoted), blanks
    count as missing, surrounding spaces go."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        value = str(value)
    if isinstance(value, str):
        value = value.strip()
    if value is None or value == "":
        raise problem("file-required")
    return value


def _optional_text(value: Any) -> Any:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return _text(value)


def _none_is_empty(value: Any) -> Any:
    """`key:` with nothing after it reads as an empty list."""
    return [] if value is None else value


def matching(pattern: re.Pattern[str], key: str) -> Callable[[str], str]:
    def check(value: str) -> str:
        if not pattern.match(value):
            raise problem(key)
        return value

    return check


Text = Annotated[str, StringConstraints(max_length=200), BeforeValidator(_text)]
Text18 = Annotated[str, StringConstraints(max_length=18), BeforeValidator(_text)]
Text32 = Annotated[str, StringConstraints(max_length=32), BeforeValidator(_text)]
Text64 = Annotated[str, StringConstraints(max_length=64), BeforeValidator(_text)]
Text100 = Annotated[str, StringConstraints(max_length=100), BeforeValidator(_text)]
Text120 = Annotated[str, StringConstraints(max_length=120), BeforeValidator(_text)]
Text300 = Annotated[str, StringConstraints(max_length=300), BeforeValidator(_text)]
Text500 = Annotated[str, StringConstraints(max_length=500), BeforeValidator(_text)]
Text1000 = Annotated[str, StringConstraints(max_length=1000), BeforeValidator(_text)]
Text4000 = Annotated[str, StringConstraints(max_length=4000), BeforeValidator(_text)]
Text20000 = Annotated[str, StringConstraints(max_length=20000), BeforeValidator(_text)]
OptionalText = Annotated[
    Annotated[str, StringConstraints(max_length=200)] | None, BeforeValidator(_optional_text)
]
PositiveInt = Annotated[int, Strict(), Gt(0)]
PositiveNumber = Annotated[float, Strict(), Gt(0)]
NoneIsEmpty = BeforeValidator(_none_is_empty)
