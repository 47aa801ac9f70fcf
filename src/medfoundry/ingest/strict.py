"""``--strict``: full validation with the ``fhir.resources`` R4B models.

The package's default models are R5 and reject R4 data, so the R4B ones are used.
Pydantic's messages quote input values; only the location and message are kept.
"""

from __future__ import annotations

from typing import Any

from medfoundry.errors import DependencyMissing


def _model_class(resource_type: str) -> Any:
    try:
        from fhir.resources.R4B import get_fhir_model_class
    except ImportError as exc:
        raise DependencyMissing("fhir.resources", extra="fhir", feature="--strict validation") from exc
    return get_fhir_model_class(resource_type)


def check_strict(resource: dict[str, Any]) -> list[tuple[str, str]]:
    """Problems as (JSON path, reason) from the R4B model of the resource's type."""
    from pydantic import ValidationError

    try:
        model = _model_class(str(resource.get("resourceType")))
    except ValueError:
        return [("$.resourceType", "not a FHIR R4B resource type")]
    try:
        model.model_validate(resource)
    except ValidationError as exc:
        problems = []
        for error in exc.errors(include_input=False, include_url=False):
            path = "$" + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in error["loc"])
            problems.append((path, f"R4B validation: {error['msg']}"))
        return problems
    return []
