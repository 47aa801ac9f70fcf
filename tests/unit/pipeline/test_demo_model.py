"""The demo's choice of base model: given, cached, hub, or the stand-in with a reason; no network."""

from __future__ import annotations

import shutil
import socket
from pathlib import Path

import pytest

from medfoundry.demo import REAL_BUDGET, STAND_IN_BUDGET
from medfoundry.pipeline.demo_model import (
    DEMO_CANDIDATES,
    cached_snapshot,
    choose_base_model,
    hub_cache_dir,
    hub_download_size,
    human_size,
)
from medfoundry.pipeline.demo_time import estimate_seconds, parameter_count


def place_in_cache(cache: Path, repo_id: str, model_dir: Path, revision: str = "0123abcd") -> Path:
    """Lay out a model as huggingface_hub's cache does: refs/main → snapshots/<revision>/."""
    repo = cache / f"models--{repo_id.replace('/', '--')}"
    snapshot = repo / "snapshots" / revision
    shutil.copytree(model_dir, snapshot)
    (repo / "refs").mkdir(parents=True)
    (repo / "refs" / "main").write_text(revision)
    return snapshot


@pytest.fixture(autouse=True)
def _hub_allowed(monkeypatch: pytest.MonkeyPatch) -> None:
    """The suite sets HF_HUB_OFFLINE; these tests decide it themselves (no test reaches a real hub)."""
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)


def never_called(repo_id: str, timeout: float) -> int:
    raise AssertionError(f"the hub was asked about {repo_id}")


def test_a_given_model_wins_over_everything(tmp_path: Path) -> None:
    choice = choose_base_model("org/model", offline=True, cache_dir=tmp_path, probe=never_called)
    assert (choice.model, choice.source, choice.real) == ("org/model", "given", True)


def test_offline_takes_the_stand_in_without_asking_the_hub(tmp_path: Path) -> None:
    choice = choose_base_model(None, offline=True, cache_dir=tmp_path, probe=never_called)
    assert choice.model is None and not choice.real
    assert "--offline" in choice.reason


def test_a_cached_real_model_is_found_by_its_hub_name(tmp_path: Path, tiny_model_dir: Path) -> None:
    second = DEMO_CANDIDATES[1]
    snapshot = place_in_cache(tmp_path, second, tiny_model_dir)
    assert cached_snapshot(second, tmp_path) == snapshot
    choice = choose_base_model(None, offline=False, cache_dir=tmp_path, probe=never_called)
    assert (choice.model, choice.source) == (second, "cache")


def test_a_cache_entry_without_weights_does_not_count(tmp_path: Path, tiny_model_dir: Path) -> None:
    snapshot = place_in_cache(tmp_path, DEMO_CANDIDATES[0], tiny_model_dir)
    for weights in snapshot.glob("*.safetensors"):
        weights.unlink()
    assert cached_snapshot(DEMO_CANDIDATES[0], tmp_path) is None


def test_the_hub_answering_picks_the_smallest_candidate_with_its_size(tmp_path: Path) -> None:
    asked: list[tuple[str, float]] = []

    def probe(repo_id: str, timeout: float) -> int:
        asked.append((repo_id, timeout))
        return 270_000_000

    choice = choose_base_model(None, offline=False, cache_dir=tmp_path, probe=probe, timeout=2.0)
    assert asked == [(DEMO_CANDIDATES[0], 2.0)]
    assert (choice.model, choice.source, choice.download_bytes) == (DEMO_CANDIDATES[0], "hub", 270_000_000)
    assert human_size(270_000_000) == "270 MB"


def test_an_unreachable_hub_falls_back_to_the_stand_in_and_says_why(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A port nothing listens on: the real hub client fails at once, without leaving the machine.
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    monkeypatch.setenv("HF_ENDPOINT", f"http://127.0.0.1:{port}")
    import huggingface_hub.constants

    monkeypatch.setattr(huggingface_hub.constants, "ENDPOINT", f"http://127.0.0.1:{port}")
    with pytest.raises(Exception):  # noqa: B017 - whichever error the client raises
        hub_download_size(DEMO_CANDIDATES[0], 2.0)
    choice = choose_base_model(None, offline=False, cache_dir=tmp_path, timeout=2.0)
    assert choice.model is None and choice.source == "stand-in"
    assert "did not answer within 2 s" in choice.reason


def test_hub_offline_setting_means_cache_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    choice = choose_base_model(None, offline=False, cache_dir=tmp_path, probe=never_called)
    assert choice.source == "stand-in" and "HF_HUB_OFFLINE" in choice.reason


def test_cache_dir_follows_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HF_HUB_CACHE", raising=False)
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))
    assert hub_cache_dir() == tmp_path / "hf" / "hub"
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "elsewhere"))
    assert hub_cache_dir() == tmp_path / "elsewhere"


def test_parameter_count_reads_catalog_and_safetensors_headers(tiny_model_dir: Path) -> None:
    from safetensors.torch import load_file

    expected = sum(t.numel() for f in tiny_model_dir.glob("*.safetensors") for t in load_file(f).values())
    assert parameter_count(str(tiny_model_dir)) == expected
    assert parameter_count(DEMO_CANDIDATES[0]) == pytest.approx(1.35e8)
    assert parameter_count("no-such/model-anywhere") is None


def test_estimate_grows_with_size_steps_and_comparison() -> None:
    small = estimate_seconds(1.35e8, REAL_BUDGET, threads=2, compared=True)
    assert estimate_seconds(3.6e8, REAL_BUDGET, threads=2, compared=True) > small
    assert estimate_seconds(1.35e8, REAL_BUDGET, threads=2, compared=False) < small
    assert estimate_seconds(1.35e8, REAL_BUDGET, threads=4, compared=True) < small
    assert REAL_BUDGET.train_steps < STAND_IN_BUDGET.train_steps
