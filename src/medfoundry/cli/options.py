"""CLI options derived from a stage's pydantic ``*Config``, so a new option is added once.

``@config_options(EvaluateConfig, exclude={"model"}, flags={"chain_of_thought": "--cot"})``
on a command with a parameter ``options: dict[str, Any]`` replaces that parameter with one
``--field-name`` option per simple field of the model (str, int, float, bool, Path, a
Literal of strings, each optionally None), in the model's field order: the field's
default is the option's default, its ``description`` the help text, its ``ge``/``le`` the
option's range. The command receives the values as ``options`` (a dict keyed by field
name) and builds the config itself, so it can add arguments and check values first.
Fields of any other type must be excluded (they stay hand-written options or YAML-only).
"""

from __future__ import annotations

import functools
import inspect
import types
import typing
from collections.abc import Callable, Collection, Mapping
from pathlib import Path
from typing import Any, TypeVar

import annotated_types
import typer
from pydantic import BaseModel
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined

F = TypeVar("F", bound=Callable[..., Any])
SCALARS = (str, int, float, bool, Path)
PLACEHOLDER = "options"


def _cli_type(name: str, annotation: Any) -> Any:
    """The type Typer sees: the scalar itself, ``X | None``, or ``str`` for a Literal of strings."""
    optional = False
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        members = [a for a in typing.get_args(annotation) if a is not type(None)]
        optional = len(members) < len(typing.get_args(annotation))
        if len(members) != 1:
            raise TypeError(f"field {name}: {annotation} is not a simple CLI option; exclude it")
        annotation = members[0]
    if typing.get_origin(annotation) is typing.Literal:
        if not all(isinstance(v, str) for v in typing.get_args(annotation)):
            raise TypeError(f"field {name}: only Literals of strings become CLI options")
        annotation = str
    if annotation not in SCALARS:
        raise TypeError(f"field {name}: {annotation} is not a simple CLI option; exclude it")
    return annotation | None if optional else annotation


def _bounds(field: FieldInfo) -> dict[str, Any]:
    bounds: dict[str, Any] = {}
    for item in field.metadata:
        if isinstance(item, annotated_types.Ge):
            bounds["min"] = item.ge
        elif isinstance(item, annotated_types.Le):
            bounds["max"] = item.le
    return bounds


def option_parameters(
    model: type[BaseModel], *, exclude: Collection[str] = (), flags: Mapping[str, str] | None = None
) -> list[inspect.Parameter]:
    """One keyword parameter with a ``typer.Option`` default per included field of ``model``."""
    flags = flags or {}
    parameters = []
    for name, field in model.model_fields.items():
        if name in exclude:
            continue
        default = ... if field.default is PydanticUndefined else field.default
        option = typer.Option(default, flags.get(name, "--" + name.replace("_", "-")), help=field.description,
                              **_bounds(field))  # fmt: skip
        parameters.append(inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=option,
                                            annotation=_cli_type(name, field.annotation)))  # fmt: skip
    return parameters


def config_options(
    model: type[BaseModel], *, exclude: Collection[str] = (), flags: Mapping[str, str] | None = None
) -> Callable[[F], F]:
    """Replace the command's ``options`` parameter by the model's fields as options (see above)."""
    derived = option_parameters(model, exclude=exclude, flags=flags)
    names = [p.name for p in derived]

    def decorate(command: F) -> F:
        signature = inspect.signature(command, eval_str=True)
        if PLACEHOLDER not in signature.parameters:
            raise TypeError(f"{command.__name__} has no '{PLACEHOLDER}' parameter to replace")
        clash = set(names) & set(signature.parameters)
        if clash:
            raise TypeError(f"{command.__name__}: {sorted(clash)} are both parameters and config fields")
        parameters: list[inspect.Parameter] = []
        for parameter in signature.parameters.values():
            if parameter.name == PLACEHOLDER:
                parameters += derived
            else:
                kind = parameter.kind
                if parameters and parameters[-1].kind == inspect.Parameter.KEYWORD_ONLY:
                    kind = inspect.Parameter.KEYWORD_ONLY  # keep the signature valid after the options
                parameters.append(parameter.replace(kind=kind))

        @functools.wraps(command)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            kwargs[PLACEHOLDER] = {name: kwargs.pop(name) for name in names}
            return command(*args, **kwargs)

        wrapper.__signature__ = signature.replace(parameters=parameters)  # type: ignore[attr-defined]
        wrapper.__annotations__ = {p.name: p.annotation for p in parameters} | {
            "return": signature.return_annotation
        }
        return typing.cast(F, wrapper)

    return decorate
