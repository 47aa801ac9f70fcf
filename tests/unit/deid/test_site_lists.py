"""A site's allow-list and deny-list in its policy file, and the remove_years option."""

from __future__ import annotations

from pathlib import Path

import pytest

from medfoundry.deid.analyzer import Analyzer
from medfoundry.deid.config import DeidConfig, load_config
from medfoundry.deid.operators import Context
from medfoundry.deid.textfile import deidentifier_for
from medfoundry.errors import ConfigError

CTX = Context(key=b"k" * 32, patient_id="p", date_offset_days=-40, date_policy="shift")


def _found(analyzer: Analyzer, text: str) -> list[tuple[str, str]]:
    return [(text[s.start : s.end], s.type) for s in analyzer.analyze(text)]


def test_allow_list_drops_a_span_whose_words_it_lists() -> None:
    text = "Seen by Dr. Okafor in the Lachey unit."
    plain = _found(Analyzer(), text)
    assert ("Lachey", "NAME") in plain and ("Okafor", "NAME") in plain
    allowed = _found(Analyzer(allow_list=["lachey"]), text)
    assert ("Okafor", "NAME") in allowed
    assert all(value != "Lachey" for value, _ in allowed)


def test_allow_list_does_not_drop_known_phi_or_deny_list_terms() -> None:
    analyzer = Analyzer(allow_list=["gh"], deny_list={"LOCATION": ["GH"]})
    assert _found(analyzer, "from gh today") == [("gh", "LOCATION")]


def test_deny_list_reports_a_site_term_in_any_case_as_whole_words() -> None:
    analyzer = Analyzer(deny_list={"LOCATION": ["Pinewood"], "NAME": ["Dr Zed"]})
    assert _found(analyzer, "sent to PINEWOOD, seen by dr zed") == [
        ("PINEWOOD", "LOCATION"),
        ("dr zed", "NAME"),
    ]
    assert _found(analyzer, "pinewoods") == []


def test_policy_file_lists_reach_deid_text(tmp_path: Path) -> None:
    policy = tmp_path / "site.yaml"
    policy.write_text("allow_list: [Lachey]\ndeny_list:\n  LOCATION: [Pinewood]\n")
    engine = deidentifier_for(load_config(policy))
    out = engine.deidentify("Lachey unit; transfer to Pinewood.", CTX).text
    assert out.startswith("Lachey unit; transfer to ") and "Pinewood" not in out


@pytest.mark.parametrize(
    ("yaml_text", "field"),
    [
        ("deny_list:\n  PLACE: [x]\n", "deny_list"),
        ("deny_list:\n  NAME: ['  ']\n", "deny_list"),
        ("allow_list: ['']\n", "allow_list"),
        ("allow_list: oops\n", "allow_list"),
    ],
)
def test_bad_lists_are_config_errors_naming_the_field(tmp_path: Path, yaml_text: str, field: str) -> None:
    policy = tmp_path / "bad.yaml"
    policy.write_text(yaml_text)
    with pytest.raises(ConfigError) as info:
        load_config(policy)
    assert field in str(info.value)


def test_years_stay_unless_the_policy_removes_them() -> None:
    text = "CABG in 1992, MI in '98, 1500cc out"
    assert deidentifier_for(DeidConfig()).deidentify(text, CTX).text == text
    removed = deidentifier_for(
        DeidConfig(remove_years=True, date_policy="year_only", operators={"DATE": "redact"})
    )
    out = removed.deidentify(text, CTX).text
    assert "1992" not in out and "'98" not in out and out.endswith("1500cc out")


def test_safe_patterns_can_be_turned_off() -> None:
    assert _found(Analyzer(), "Pain 7/10") == []
    assert _found(Analyzer(safe_patterns=False), "Pain 7/10") == [("7/10", "DATE")]
