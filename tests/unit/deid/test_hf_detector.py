"""The optional Hugging Face detector, on a tiny random token-classification model built here."""

from __future__ import annotations

from pathlib import Path

import pytest

from medfoundry.deid.analyzer import Analyzer
from medfoundry.deid.detectors.hf import phi_type
from medfoundry.errors import ConfigError

LABELS = ["O", "B-PATIENT", "I-PATIENT", "B-DATE"]


@pytest.fixture(scope="module")
def tiny_ner(tmp_path_factory: pytest.TempPathFactory) -> Path:
    torch = pytest.importorskip("torch")
    from transformers import LlamaConfig, LlamaForTokenClassification

    from medfoundry.catalog.tiny import build_tokenizer, generated_corpus

    out = tmp_path_factory.mktemp("ner") / "tiny-deid"
    tokenizer = build_tokenizer(generated_corpus(n_lines=300), 300)
    config = LlamaConfig(
        vocab_size=len(tokenizer),
        hidden_size=32,
        intermediate_size=64,
        num_hidden_layers=1,
        num_attention_heads=2,
        num_key_value_heads=1,
        pad_token_id=tokenizer.pad_token_id,
        id2label=dict(enumerate(LABELS)),
        label2id={label: i for i, label in enumerate(LABELS)},
    )
    torch.manual_seed(0)
    model = LlamaForTokenClassification(config)
    model.score = torch.nn.Linear(32, len(LABELS), bias=True)
    with torch.no_grad():  # make "B-PATIENT" win everywhere, so the output is predictable
        model.score.weight.zero_()
        model.score.bias.copy_(torch.tensor([0.0, 5.0, 1.0, 0.0]))
    model.save_pretrained(out)
    tokenizer.save_pretrained(out)
    return out


def test_label_mapping() -> None:
    assert phi_type("B-PATIENT") == "NAME" and phi_type("I-DOCTOR") == "NAME"
    assert phi_type("B-DATE") == "DATE" and phi_type("HOSPITAL") == "LOCATION"
    assert phi_type("O") is None and phi_type("B-MEDICALRECORD") == "MRN"


def test_hf_detector_needs_a_model() -> None:
    with pytest.raises(ConfigError):
        Analyzer(["hf"])


def test_hf_detector_runs_a_local_model(tiny_ner: Path) -> None:
    text = "patient presents with chest pain"
    analyzer = Analyzer(["hf"], detector_options={"hf": {"model": str(tiny_ner)}})
    spans = analyzer.analyze(text)
    assert spans and all(s.detector == "hf" and s.type == "NAME" for s in spans)
    assert spans[0].start <= 1 and spans[-1].end == len(text)
