"""Health checks behind ``medfoundry doctor``: each is OK, WARN or FAIL with a fix."""

from __future__ import annotations

import importlib.util
import platform
import shutil
import sys
from dataclasses import asdict, dataclass
from typing import Any

from medfoundry.errors import MedfoundryError
from medfoundry.settings import Settings, get_settings
from medfoundry.store import crypto, migrate
from medfoundry.store.db import check_connection, make_engine, redact_url

MIN_FREE_DISK_GB = 5.0


@dataclass(frozen=True)
class Check:
    name: str
    status: str  # OK | WARN | FAIL
    detail: str
    fix: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def check_python() -> Check:
    version = platform.python_version()
    return Check("python", "OK", f"{version} ({sys.executable})")


def check_torch() -> list[Check]:
    if importlib.util.find_spec("torch") is None:
        return [
            Check(
                "torch", "WARN", "not installed", 'training and serving need it: pip install "medfoundry[ml]"'
            ),
            Check("gpu", "WARN", "unknown (torch missing)"),
        ]
    import torch

    checks = [Check("torch", "OK", f"{torch.__version__}")]
    if torch.cuda.is_available():
        names = ", ".join(torch.cuda.get_device_name(i) for i in range(torch.cuda.device_count()))
        checks.append(Check("gpu", "OK", f"{torch.cuda.device_count()} CUDA device(s): {names}"))
    else:
        checks.append(
            Check("gpu", "WARN", "no CUDA GPU; training and serving run on the CPU (fine for tiny models)")
        )
    return checks


def check_database(settings: Settings) -> list[Check]:
    url = settings.effective_database_url
    shown = redact_url(url)
    if settings.database_url is None and not settings.sqlite_path.exists():
        return [Check("database", "FAIL", f"{shown} does not exist", "run 'medfoundry init'")]
    try:
        engine = make_engine(url)
        check_connection(engine)
    except MedfoundryError as exc:
        return [Check("database", "FAIL", exc.message, exc.hint)]
    try:
        current, head = migrate.current_revision(engine), migrate.head_revision()
    finally:
        engine.dispose()
    checks = [Check("database", "OK", f"{engine.dialect.name} at {shown}")]
    if current == head:
        checks.append(Check("schema", "OK", f"revision {current} (newest)"))
    else:
        checks.append(
            Check(
                "schema", "FAIL", f"revision {current}, newest is {head}", "run 'medfoundry init' to migrate"
            )
        )
    return checks


def check_disk(settings: Settings) -> Check:
    target = settings.resolved_home if settings.resolved_home.exists() else settings.resolved_home.parent
    while not target.exists():
        target = target.parent
    free_gb = shutil.disk_usage(target).free / 1e9
    if free_gb < MIN_FREE_DISK_GB:
        return Check(
            "disk", "WARN", f"{free_gb:.1f} GB free at {target}", "free space: checkpoints need several GB"
        )
    return Check("disk", "OK", f"{free_gb:.1f} GB free at {target}")


def check_key(settings: Settings) -> Check:
    if settings.key:
        try:
            key = crypto.decode_key(settings.key, source="MEDFOUNDRY_KEY")
        except MedfoundryError as exc:
            return Check("key", "FAIL", exc.message, "set MEDFOUNDRY_KEY to the base64 of 32 random bytes")
        return Check("key", "OK", f"from MEDFOUNDRY_KEY (key id {crypto.key_id(key)})")
    path = settings.key_file
    if not path.exists():
        return Check("key", "FAIL", f"{path} does not exist", "run 'medfoundry init'")
    mode = crypto.key_file_mode(path)
    if mode & 0o077:
        return Check("key", "FAIL", f"{path} has permissions {mode:04o}", f"run: chmod 600 {path}")
    try:
        key = crypto.decode_key(path.read_text(), source=str(path))
    except MedfoundryError as exc:
        return Check("key", "FAIL", exc.message, "restore the key file from your backup")
    return Check("key", "OK", f"{path} (mode 0600, key id {crypto.key_id(key)})")


def run_checks(settings: Settings | None = None) -> list[Check]:
    settings = settings or get_settings()
    return [
        check_python(),
        *check_torch(),
        *check_database(settings),
        check_disk(settings),
        check_key(settings),
    ]
