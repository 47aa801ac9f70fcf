"""The error tree for failures a user can cause and fix.

Every user-facing error says what was wrong, where (file, line, field) and what to
do. The CLI maps them to exit codes and the HTTP API to statuses, each in one place.
"""

from __future__ import annotations


class MedfoundryError(Exception):
    """Base class: a problem the user can fix. Shown without a traceback."""

    exit_code = 1
    http_status = 400

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.message


class ConfigError(MedfoundryError):
    """Invalid configuration; carries every problem found, not just the first."""

    exit_code = 2
    http_status = 422

    def __init__(self, problems: list[str] | str, *, source: str | None = None, hint: str | None = None):
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        where = f" in {source}" if source else ""
        if len(self.problems) == 1:
            message = f"invalid configuration{where}: {self.problems[0]}"
        else:
            listed = "\n".join(f"  - {p}" for p in self.problems)
            message = f"invalid configuration{where} ({len(self.problems)} problems):\n{listed}"
        super().__init__(message, hint=hint)


class NotFound(MedfoundryError):
    exit_code = 3
    http_status = 404


class AlreadyExists(MedfoundryError):
    exit_code = 4
    http_status = 409


class InputError(MedfoundryError):
    """Bad input data: names the file, line and field."""

    exit_code = 5
    http_status = 422


class StoreError(MedfoundryError):
    """The metadata database or the artifact store is unusable as configured."""

    exit_code = 6
    http_status = 503


class WrongKeyError(MedfoundryError):
    exit_code = 7
    http_status = 500


class TamperedError(MedfoundryError):
    """Stored data failed an integrity check (an encrypted artifact or the audit chain)."""

    exit_code = 8
    http_status = 500


class PHILeakError(MedfoundryError):
    exit_code = 9
    http_status = 422


class GateFailed(MedfoundryError):
    exit_code = 10
    http_status = 409


class JobError(MedfoundryError):
    exit_code = 11
    http_status = 409


class DependencyMissing(MedfoundryError):
    """An optional dependency (an extra) is needed for this feature."""

    exit_code = 12
    http_status = 501

    def __init__(self, package: str, *, extra: str, feature: str) -> None:
        super().__init__(
            f"{feature} needs the Python package '{package}', which is not installed",
            hint=f'install it with: pip install "medfoundry[{extra}]"',
        )
