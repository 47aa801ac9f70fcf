"""Shipped policies load; bad policies report every problem with its field."""

from __future__ import annotations

from pathlib import Path

import pytest

from medfoundry.errors import ConfigError, NotFound
from medfoundry.guardrails import GuardrailPipeline, Policy, load_policy
from medfoundry.guardrails.policy import policy_from_dict
from medfoundry.shipped import shipped_configs

SHIPPED = shipped_configs("guardrails")


def test_there_are_shipped_policies() -> None:
    assert {p.stem for p in SHIPPED} >= {"default", "patient-facing", "clinician", "strict-no-phi"}


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_every_shipped_policy_loads_and_builds(path: Path) -> None:
    policy = load_policy(path)
    assert policy.name == path.stem
    assert GuardrailPipeline(policy).rules


def test_default_file_matches_built_in_default() -> None:
    shipped = load_policy(SHIPPED[0].parent / "default.yaml")
    assert shipped.model_dump(exclude={"description"}) == Policy().model_dump(exclude={"description"})


def test_problems_are_all_reported_with_fields(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "name: x\nrules:\n  phi: {input: shred}\n  injektion: {}\n  denied_topic: {topics: [nope]}\n"
    )
    with pytest.raises(ConfigError) as info:
        load_policy(bad)
    text = str(info.value)
    assert "rules.phi.input" in text and "did you mean 'injection'" in text and "nope" in text
    assert len(info.value.problems) == 3


def test_unknown_top_level_field_and_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="audiance"):
        policy_from_dict({"audiance": "patient"})
    with pytest.raises(NotFound):
        load_policy(tmp_path / "missing.yaml")


def test_disabled_rule_does_not_run() -> None:
    policy = policy_from_dict({"rules": {"emergency": {"enabled": False}, "injection": {}}})
    assert [r.name for r in GuardrailPipeline(policy).rules] == ["injection"]


def test_a_misspelt_veto_exempt_class_is_named_not_silently_ignored() -> None:
    policy = policy_from_dict(
        {"rules": {"emergency": {"ngram_veto_exempt": ["suicide_self_harm", "sucide"]}}}
    )
    with pytest.raises(ConfigError) as caught:
        GuardrailPipeline(policy)
    message = str(caught.value)
    assert "rules.emergency.ngram_veto_exempt" in message and "'sucide'" in message
    assert "suicide_self_harm" in message.split("known:")[1]  # the valid names are listed
    GuardrailPipeline(policy_from_dict({"rules": {"emergency": {"ngram_veto_exempt": ["cardiac"]}}}))
