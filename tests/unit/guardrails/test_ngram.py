"""The n-gram model: its features, its arithmetic, its training, and how it joins the rules."""

from __future__ import annotations

import json
import math
from dataclasses import asdict
from pathlib import Path
from typing import Any

import pytest
import yaml

from medfoundry.errors import ConfigError
from medfoundry.guardrails import GuardrailPipeline
from medfoundry.guardrails.ngram import FORMAT, NgramModel, char_features, features, load_model
from medfoundry.guardrails.ngram_train import (
    Example,
    TrainConfig,
    _linear,
    _matrix,
    _score,
    _vocabulary,
    fit,
    load_examples,
    main,
)
from medfoundry.guardrails.policy import policy_from_dict
from medfoundry.guardrails.text import Tokens


def _model(weights: dict[str, float], bias: float = -2.0, labels: list[str] | None = None) -> dict[str, Any]:
    labels = labels or ["cardiac", "overdose"]
    return {
        "format": FORMAT,
        "escalate": {"bias": bias, "weights": weights},
        "classes": {"labels": labels, "bias": [0.0] * len(labels), "weights": {"w:pills": [[1, 2.0]]}},
    }


def _sigmoid(x: float) -> float:
    return 1 / (1 + math.exp(-x))


def test_features_are_words_pairs_and_letter_ngrams_counted_once_per_distinct_word() -> None:
    found = features(("blue", "lips", "blue"))
    assert found["w:blue"] == 1.0 and found["b:blue lips"] == 1.0 and found["b:lips blue"] == 1.0
    assert found["c: bl"] == 1.0  # "blue" twice is one distinct word
    assert found["c:ue "] == 1.0
    assert {" blue", "blue "} <= {g[2:] for g in char_features("blue")}


def test_score_is_the_logistic_of_the_bias_plus_the_weights_present() -> None:
    model = NgramModel(_model({"w:blue": 1.5, "b:blue lips": 0.5, "c: bl": 0.25, "w:fine": -3.0}), "test")
    assert model.score(Tokens.of("Blue lips")) == pytest.approx(_sigmoid(-2.0 + 1.5 + 0.5 + 0.25))
    # a repeated word and a repeated pair count once: features are present or not
    assert model.score(Tokens.of("blue lips blue lips")) == pytest.approx(_sigmoid(-2.0 + 1.5 + 0.5 + 0.25))
    assert model.score(Tokens.of("lips fine")) == pytest.approx(_sigmoid(-2.0 - 3.0))


def test_label_names_the_class_and_evidence_points_at_the_weightiest_words() -> None:
    model = NgramModel(_model({"w:pills": 2.0, "w:forty": 1.0, "w:the": -0.5}), "test")
    tokens = Tokens.of("I took forty of the pills")
    assert model.label(tokens.words) == "overdose"
    assert [tokens.words[i] for i in model.evidence(tokens)] == ["forty", "pills"]


def test_a_file_that_is_not_a_model_is_a_configuration_error_naming_it(tmp_path: Path) -> None:
    bad = tmp_path / "model.json"
    bad.write_text('{"format": "other"}', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"model\.json"):
        load_model(str(bad))
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(ConfigError, match="line 1"):
        load_model(str(bad))
    with pytest.raises(ConfigError, match="does not exist"):
        load_model(str(tmp_path / "missing.json"))


def _write_set(path: Path, split: str, cases: list[dict[str, Any]]) -> Path:
    path.write_text(yaml.safe_dump({"version": 1, "split": split, "cases": cases}), encoding="utf-8")
    return path


def _cases(prefix: str) -> list[dict[str, Any]]:
    positives = ["my lips are turning blue", "he went blue and limp", "her lips look blue now"]
    negatives = ["my car is blue", "I painted the door blue", "the sky is so blue today"]
    cases = [
        {
            "id": f"{prefix}-p{i}",
            "language": "en",
            "expected": "escalate",
            "class": "respiratory_distress",
            "text": t,
        }
        for i, t in enumerate(positives)
    ]
    cases += [
        {"id": f"{prefix}-n{i}", "language": "en", "expected": "allow", "class": "respiratory_distress",
         "context": "other", "text": t}
        for i, t in enumerate(negatives)
    ]  # fmt: skip
    return cases


def test_training_separates_its_examples_and_refuses_a_report_half(tmp_path: Path) -> None:
    tune = _write_set(tmp_path / "set.tune.yaml", "tune", _cases("t"))
    model = NgramModel(fit(load_examples([tune])), "fitted")
    assert model.score(Tokens.of("lips turning blue")) > 0.5 > model.score(Tokens.of("the blue door"))
    report = _write_set(tmp_path / "set.report.yaml", "report", _cases("r"))
    with pytest.raises(ConfigError, match="report half"):
        load_examples([tune, report])


def test_the_training_command_writes_the_model_with_its_provenance(tmp_path: Path) -> None:
    tune = _write_set(tmp_path / "set.tune.yaml", "tune", _cases("t"))
    out = tmp_path / "m.json"
    assert main([str(tune), "--out", str(out)]) == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["provenance"]["trained_on"] == ["set.tune.yaml"] and data["provenance"]["messages"] == 6
    assert data["provenance"]["settings"] == asdict(TrainConfig())
    NgramModel(data, str(out))


def _examples(texts: list[str], escalate: bool, source: str) -> list[Example]:
    return [
        Example(Tokens.of(t).words, escalate, "respiratory_distress" if escalate else "", source)
        for t in texts
    ]


def test_a_feature_seen_in_one_message_only_or_in_one_file_only_gets_no_weight() -> None:
    rows = [{"w:blue": 1.0, "w:lips": 1.0}, {"w:blue": 1.0, "w:once": 1.0}, {"w:blue": 1.0, "w:lips": 1.0}]
    assert set(_vocabulary(rows, min_messages=2)) == {"w:blue", "w:lips"}
    # "lips" is in two messages of one file; "blue" is in two files
    assert set(_vocabulary(rows, ["a", "b", "a"], min_messages=2, min_sources=2)) == {"w:blue"}
    examples = _examples(["lips are blue", "lips went blue", "lips look blue"], True, "a.yaml")
    examples += _examples(["my car is blue", "the door is blue", "the sky is blue"], False, "b.yaml")
    weights = fit(examples, TrainConfig(min_sources=2))["escalate"]["weights"]
    assert "w:lips" not in weights and not any("lips" in f for f in weights)
    assert "w:lips" in fit(examples)["escalate"]["weights"]


def test_letter_ngrams_scaled_in_the_fit_are_scaled_back_so_serving_scores_what_was_fitted() -> None:
    from sklearn.linear_model import LogisticRegression

    examples = _examples(
        ["my lips are turning blue", "he went blue and limp", "her lips look blue"], True, "a"
    )
    examples += _examples(["my car is blue", "I painted the door blue", "the sky is so blue"], False, "b")
    rows = [features(e.words) for e in examples]
    labels = [e.positive for e in examples]
    config = TrainConfig(char_scale=0.25)
    bias, weights = _linear(rows, labels, [e.source for e in examples], config)
    vocabulary = _vocabulary(rows)
    fitted = LogisticRegression(C=config.c, max_iter=5000, class_weight="balanced")
    fitted.fit(_matrix(rows, vocabulary, 0.25), labels)
    expected = fitted.decision_function(_matrix(rows, vocabulary, 0.25))
    assert [_score(bias, weights, row) for row in rows] == pytest.approx(list(expected), abs=1e-6)
    # a smaller scale is a stronger penalty on the letters: they weigh less in all
    letters = sum(abs(w) for f, w in weights.items() if f.startswith("c:"))
    _, unscaled = _linear(rows, labels, [e.source for e in examples], TrainConfig(char_scale=1.0))
    assert letters < sum(abs(w) for f, w in unscaled.items() if f.startswith("c:"))


def test_calibration_rescales_the_fitted_logit_and_needs_two_files() -> None:
    examples = []
    for source in ("a", "b", "c"):
        examples += _examples([f"lips are blue {source}", f"he went blue {source}"], True, source)
        examples += _examples([f"my car is blue {source}", f"the sky is blue {source}"], False, source)
    plain = fit(examples)["escalate"]
    calibrated = fit(examples, TrainConfig(calibrate=True))["escalate"]
    ratios = {round(calibrated["weights"][f] / w, 2) for f, w in plain["weights"].items() if abs(w) > 0.05}
    assert len(ratios) == 1 and ratios.pop() > 0  # one common positive scale: Platt's a * score + b
    with pytest.raises(ConfigError, match="two files"):
        fit([e for e in examples if e.source == "a"], TrainConfig(calibrate=True))
    with pytest.raises(ConfigError, match="invalid"):
        TrainConfig(min_sources=0)


def test_the_packaged_model_was_fitted_on_tuning_sets_only() -> None:
    model = load_model()
    trained_on = model.provenance["trained_on"]
    assert trained_on and not any("report" in name for name in trained_on)


# --- joined to the emergency rule -------------------------------------------------------


def _pipeline(model_file: Path, **options: Any) -> GuardrailPipeline:
    rules = {"emergency": {"ngram_model": str(model_file), **options}}
    return GuardrailPipeline(policy_from_dict({"audience": "patient", "rules": rules}))


def _emergency(pipeline: GuardrailPipeline, texts: list[str], roles: list[str] | None = None) -> Any:
    verdict = pipeline.check_input(texts, roles)
    return verdict, [a for a in verdict.actions if a.rule == "emergency"]


def test_the_model_adds_an_escalation_no_rule_matched_with_class_resource_and_evidence(
    tmp_path: Path,
) -> None:
    file = tmp_path / "m.json"
    file.write_text(json.dumps(_model({"w:zorblat": 9.0, "w:pills": 1.0})), encoding="utf-8")
    text = "she had the zorblat with her pills"
    verdict, actions = _emergency(_pipeline(file), [text])
    assert verdict.escalation and actions[0].action == "escalate"
    found = actions[0].details["classes"][0]
    assert found["class"] == "overdose" and found["resource"] == "poison" and found["source"] == "ngram"
    assert {text[e["start"] : e["end"]] for e in found["evidence"]} == {"zorblat", "pills"}
    assert "Poison" in " ".join(verdict.notices)
    assert text not in json.dumps(actions[0].details)  # offsets, never the words


def test_only_user_turns_are_read_by_the_model(tmp_path: Path) -> None:
    file = tmp_path / "m.json"
    file.write_text(json.dumps(_model({"w:zorblat": 9.0})), encoding="utf-8")
    verdict, _ = _emergency(
        _pipeline(file), ["zorblat is an emergency word", "what time is it"], ["system", "user"]
    )
    assert not verdict.escalation


def test_a_rule_hit_the_model_finds_unlikely_is_flagged_unless_its_confidence_is_high(tmp_path: Path) -> None:
    file = tmp_path / "m.json"
    file.write_text(json.dumps(_model({}, bias=-10.0)), encoding="utf-8")
    weak = "my lips are bluish"  # a one-word cyanosis sign: a rule of confidence 0.9
    verdict, actions = _emergency(_pipeline(file, ngram_veto_max_confidence=0.95), [weak])
    assert not verdict.escalation and actions[0].action == "flag"
    assert actions[0].details["ngram"]["flagged_not_escalated"] == ["respiratory_distress"]
    # 0.9 is at the whole-message veto's protection; without the local veto it escalates
    verdict, actions = _emergency(_pipeline(file, ngram_local_veto_below=0.0), [weak])
    assert verdict.escalation and actions[0].action == "escalate"
    verdict, _ = _emergency(_pipeline(file, ngram=False), [weak])
    assert verdict.escalation


def test_a_rule_hit_of_the_local_band_is_judged_by_the_text_around_its_evidence(tmp_path: Path) -> None:
    file = tmp_path / "m.json"
    file.write_text(json.dumps(_model({"w:insurance": -20.0, "w:bluish": 10.0}, bias=-5.0)), encoding="utf-8")
    sign = "my lips are bluish"  # confidence 0.9: the local veto's band by default (0.9 to 0.95)
    filler = " ".join(f"word{i}" for i in range(60))  # over 200 characters of words the model does not know
    # the sign told far from the words that make the whole message unlikely: read where it is told
    verdict, actions = _emergency(_pipeline(file), [f"about my insurance form. {filler}. {sign}"])
    assert verdict.escalation and actions[0].action == "escalate"
    assert actions[0].details["ngram"]["probability"] < 0.05  # the whole message scores low
    assert actions[0].details["ngram"]["local_probability"]["respiratory_distress"] > 0.9
    # the same sign told beside them is flagged, the local probability kept for the audit
    verdict, actions = _emergency(_pipeline(file), [f"{filler}. {sign} on my insurance form"])
    assert not verdict.escalation and actions[0].action == "flag"
    assert actions[0].details["ngram"]["flagged_not_escalated"] == ["respiratory_distress"]
    assert actions[0].details["ngram"]["local_probability"]["respiratory_distress"] < 0.02
    # a class exempt from the local veto (by default a wish to die) escalates however the model reads it
    verdict, _ = _emergency(
        _pipeline(file, ngram_veto_exempt=["respiratory_distress"]), [f"{sign} insurance"]
    )
    assert verdict.escalation
    verdict, _ = _emergency(_pipeline(file), ["I want to kill myself, my insurance denied it again"])
    assert verdict.escalation  # suicide_self_harm is exempt by default
    verdict, _ = _emergency(_pipeline(file), ["honestly i want to die lol what should i do"])
    assert verdict.escalation  # from the whole-message veto too (a wish to die, confidence 0.85)
    # and hits at or above ngram_local_veto_max_confidence are never read by it
    verdict, _ = _emergency(_pipeline(file, ngram_local_veto_max_confidence=0.9), [f"{sign} insurance"])
    assert verdict.escalation


def test_without_the_model_the_rules_alone_decide(tmp_path: Path) -> None:
    file = tmp_path / "m.json"
    file.write_text(json.dumps(_model({"w:zorblat": 9.0})), encoding="utf-8")
    verdict, _ = _emergency(_pipeline(file, ngram=False), ["zorblat"])
    assert not verdict.escalation
