"""The configs shipped inside the package: de-identification policies, evaluation suites and
gates, fine-tuning recipes and guardrail policies (``medfoundry/configs/<kind>/``).

They load with :mod:`importlib.resources`, so an installed wheel finds them wherever it lives.
The documented paths (``configs/eval/gates-example.yaml``) keep working from any directory:
a path that names no file on disk but has the shape ``configs/<kind>/<file>`` resolves to the
shipped file of that name, and so does a bare name (``default``, ``smollm2-135m/lora``).
A file on disk always wins, so a copied and edited config is used as given.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path
from typing import Literal

ConfigKind = Literal["deid", "eval", "finetune", "guardrails"]
KINDS: tuple[ConfigKind, ...] = ("deid", "eval", "finetune", "guardrails")


def shipped_dir(kind: ConfigKind) -> Path:
    """The folder holding the shipped configs of one kind (a real folder: the package is
    installed on disk, never imported from a zip)."""
    return Path(str(files("medfoundry").joinpath("configs", kind)))


def shipped_configs(kind: ConfigKind) -> list[Path]:
    """Every shipped YAML of one kind, sorted by path."""
    return sorted(shipped_dir(kind).rglob("*.yaml"))


def shipped_name(path: Path, kind: ConfigKind) -> str:
    """The name a shipped config answers to (``smollm2-135m/lora``)."""
    return path.relative_to(shipped_dir(kind)).with_suffix("").as_posix()


def resolve_config(value: str | Path, kind: ConfigKind) -> Path:
    """The file a user's config reference names: the path itself when it exists, else the
    shipped config it spells (``configs/<kind>/<rest>`` or a bare name), else the path
    unchanged so the caller's "does not exist" error names what the user typed."""
    path = Path(value)
    if path.exists():
        return path
    parts = path.parts
    candidates = []
    if len(parts) > 2 and parts[0] == "configs" and parts[1] == kind:
        candidates.append(shipped_dir(kind).joinpath(*parts[2:]))
    elif not path.is_absolute() and ".." not in parts:
        candidates.append(shipped_dir(kind) / path)
        if path.suffix not in (".yaml", ".yml"):
            candidates.append(shipped_dir(kind) / f"{path}.yaml")
    return next((c for c in candidates if c.is_file()), path)
