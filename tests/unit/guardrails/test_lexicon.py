"""Language packs: packaged data, a third language added as a folder of files, clear errors."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pytest

from medfoundry.errors import ConfigError
from medfoundry.guardrails import GuardrailPipeline
from medfoundry.guardrails.lexicon import load_packs
from medfoundry.guardrails.policy import policy_from_dict

# A tiny Tagalog pack, test-only: adding a language is adding files.
TL_LANGUAGE = """
language:
  code: tl
  name: Tagalog
  function_words: [ang, ng, sa, si, ko, ako, siya, hindi, na, po, mga, at, ay]
  messages:
    notice_emergency: "Kung ito ay emergency, tumawag sa 911 ngayon."
    notice_crisis: "Tumawag o mag-text sa 988."
    notice_poison: "Tumawag sa Poison Control 1-800-222-1222."
context:
  - {category: negated, direction: forward, window: 4, terms: [hindi, wala]}
  - {category: historical, direction: both, window: 10, terms: ["noong isang taon"]}
"""
TL_EMERGENCY = """
concepts:
  chest: [dibdib]
  pain: [masakit, "sakit", sumasakit]
  not_breathing: ["hindi makahinga", "hindi humihinga"]
emergency:
  cardiac:
    resource: emergency
    sources: ["CDC, Heart Attack Symptoms"]
    rules:
      - {all: [chest, pain], within: 6, confidence: 0.85}
  respiratory_distress:
    resource: emergency
    sources: ["CDC"]
    rules:
      - {all: [not_breathing], confidence: 0.9}
"""


def tagalog(tmp_path: Path) -> Path:
    folder = tmp_path / "tl"
    folder.mkdir()
    (folder / "language.yaml").write_text(TL_LANGUAGE)
    (folder / "emergency.yaml").write_text(TL_EMERGENCY)
    return folder


def test_english_and_spanish_are_packaged_with_sources_for_every_class() -> None:
    data = resources.files("medfoundry.guardrails").joinpath("data")
    assert {p.name for p in data.iterdir() if p.is_dir()} >= {"en", "es"}
    packs = {p.code: p for p in load_packs()}
    assert set(packs["en"].classes) == set(packs["es"].classes)
    assert len(packs["en"].classes) >= 22
    for pack in packs.values():
        for name, spec in pack.classes.items():
            assert spec.sources, f"{pack.code}:{name} cites no source"
            assert spec.rules
        assert {"notice_emergency", "notice_crisis", "notice_poison", "refusal_denied"} <= set(pack.messages)


@pytest.mark.slow
def test_a_third_language_is_a_folder_of_files(tmp_path: Path) -> None:
    folder = tagalog(tmp_path)
    policy = policy_from_dict({"rules": {"emergency": {"languages": [str(tmp_path)]}}})
    pipeline = GuardrailPipeline(policy)
    verdict = pipeline.check_input(["Masakit ang dibdib ko ngayon po"])
    assert verdict.escalation
    assert verdict.notices == ["Kung ito ay emergency, tumawag sa 911 ngayon."]
    assert verdict.actions[0].details["languages"] == ["tl"]
    assert not pipeline.check_input(["Hindi masakit ang dibdib ko po"]).escalation  # negated in Tagalog
    # the folder itself works too, and English still works beside it
    single = GuardrailPipeline(policy_from_dict({"rules": {"emergency": {"languages": [str(folder)]}}}))
    assert single.check_input(["si lolo ay hindi makahinga"]).escalation
    assert single.check_input(["my dad is not breathing"]).escalation


def test_a_broken_pack_names_the_file_and_field(tmp_path: Path) -> None:
    folder = tagalog(tmp_path)
    (folder / "emergency.yaml").write_text(TL_EMERGENCY.replace("[chest, pain]", "[chest, ache]"))
    with pytest.raises(ConfigError, match=r"cardiac\.rules\[0\]: unknown concepts \['ache'\]"):
        load_packs((str(tmp_path),))
    (folder / "emergency.yaml").write_text("emergency:\n  cardiac: {resource: ambulance, rules: []}\n")
    with pytest.raises(ConfigError, match=r"tl/emergency.yaml"):
        load_packs((str(tmp_path),))
    with pytest.raises(ConfigError, match="does not exist"):
        load_packs((str(tmp_path / "missing"),))
