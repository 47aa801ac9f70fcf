"""The 'medfoundry images' commands end to end on a folder of generated images and a DICOM file."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from medfoundry.cli.main import app
from medfoundry.serve.deployments import deploy
from medfoundry.store.database import Store
from medfoundry.store.models import AuditEvent, Evaluation
from tests.unit.imaging.conftest import PYDICOM_FILES, colour_noise, gray_scans


def run(*args: str) -> dict:
    result = CliRunner().invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.fixture
def labelled(tmp_path: Path) -> Path:
    root = tmp_path / "labelled"
    for label, images in (("scan", gray_scans(20, seed=40)), ("photo", colour_noise(20, seed=41))):
        (root / label).mkdir(parents=True)
        for i, image in enumerate(images):
            image.save(root / label / f"{i}.png")
    shutil.copy(PYDICOM_FILES / "CT_small.dcm", root / "scan" / "ct.dcm")
    (root / "scan" / "broken.dcm").write_bytes(b"\0" * 128 + b"DICM" + b"garbage")
    return root


def test_embed_search_classify_ood_drift(
    store: Store, tiny_clip_dir: Path, labelled: Path, tmp_path: Path
) -> None:
    index = tmp_path / "index"
    embedded = run("images", "embed", str(labelled), "--model", str(tiny_clip_dir), "-o", str(index))
    assert embedded["count"] == 41 and [s["id"] for s in embedded["skipped"]] == ["scan/broken.dcm"]
    found = run("images", "search", "-i", str(index), "--image", str(labelled / "scan" / "ct.dcm"), "-k", "3")
    assert found["results"][0]["id"] == "scan/ct.dcm" and found["results"][0]["score"] == pytest.approx(
        1, abs=1e-4
    )
    by_text = run("images", "search", "-i", str(index), "--text", "a chest x-ray", "-k", "5")
    assert len(by_text["results"]) == 5
    fitted = run("images", "ood", "fit", "-i", str(index), "-o", str(tmp_path / "ood"), "--method", "knn")
    assert fitted["n_holdout"] == 8 and (tmp_path / "ood" / "ood.json").exists()
    labels = run("images", "classify", str(labelled / "scan" / "0.png"), "--model", str(tiny_clip_dir),
                 "-l", "scan", "-l", "photo")  # fmt: skip
    assert abs(sum(labels["results"][0]["labels"].values()) - 1) < 1e-4
    drift = run(
        "images", "drift", "--reference", str(index), "--production", str(index), "--permutations", "20"
    )
    assert drift["drift"] is False and drift["mmd_p_value"] == 1.0
    with store.sessions() as session:
        actions = set(session.scalars(select(AuditEvent.action)))
    assert {"images.embed", "images.ood.fit"} <= actions


@pytest.mark.slow
def test_adapter_train_then_gated_evaluation_lets_the_model_deploy(
    store: Store, tiny_clip_dir: Path, labelled: Path, tmp_path: Path
) -> None:
    adapter = run("images", "adapter", "train", str(labelled), "--model", str(tiny_clip_dir), "-o", str(tmp_path / "adapter"),
                  "--gate", "adapter.auroc >= 0.8")  # fmt: skip
    assert adapter["passed"] is True and adapter["metrics"]["auroc"] >= 0.8 and adapter["n_test"] == 10
    card = run("images", "eval", str(labelled), "--model", str(tiny_clip_dir), "--adapter", str(tmp_path / "adapter"),
               "--gate", "images.auroc >= 0.8")  # fmt: skip
    assert card["passed"] is True and card["benchmarks"][0]["mode"] == "adapter-logistic"
    assert "random-weight" in card["note"]
    with store.sessions() as session:
        row = session.get(Evaluation, card["evaluation_id"])
    assert row is not None and row.passed is True
    assert deploy(store, str(tiny_clip_dir), name="scans").state == "active"  # the gate reads this scorecard


def test_a_failed_gate_is_a_gate_failure_and_the_scorecard_is_kept(
    store: Store, tiny_clip_dir: Path, labelled: Path
) -> None:
    from medfoundry.errors import GateFailed

    result = CliRunner().invoke(app, ["images", "eval", str(labelled), "--model", str(tiny_clip_dir),
                                      "--gate", "images.accuracy >= 1.01"])  # fmt: skip
    assert isinstance(result.exception, GateFailed)  # main() maps it to exit code 10
    with store.sessions() as session:
        assert [row.passed for row in session.scalars(select(Evaluation))] == [False]


def test_csv_benchmark_problems_name_the_line(tmp_path: Path) -> None:
    from medfoundry.errors import InputError
    from medfoundry.imaging.benchmark import read_labelled

    (tmp_path / "a.png").write_bytes(b"")
    (tmp_path / "data.csv").write_text("image,label\na.png,normal\nmissing.png,effusion\n")
    with pytest.raises(InputError, match=r"data.csv:3: missing.png does not exist"):
        read_labelled(tmp_path / "data.csv")
    (tmp_path / "bad.csv").write_text("path,label\n")
    with pytest.raises(InputError, match="image"):
        read_labelled(tmp_path / "bad.csv")


def test_drift_reports_are_recorded_and_shown_in_the_console(store: Store, tmp_path: Path) -> None:
    import re

    import numpy as np
    from fastapi.testclient import TestClient

    from medfoundry.api import create_app
    from medfoundry.imaging.vector_index import write_index
    from medfoundry.serve.keys import create_key

    rng = np.random.default_rng(0)
    for name, shift in (("jan", 0.0), ("feb", 3.0)):
        rows = rng.normal(size=(60, 8)) + shift * (np.arange(60) % 3 == 0)[:, None]
        write_index(tmp_path / name, rows, [{"id": f"{name}-{i}"} for i in range(60)], {"dim": 8})
    report = run("images", "drift", "--reference", str(tmp_path / "jan"), "--production", str(tmp_path / "feb"),
                 "--permutations", "50")  # fmt: skip
    assert report["drift"] is True and report["artifact_id"].startswith("art_")
    _, secret = create_key(store, scope="admin")
    with TestClient(create_app(store), base_url="http://127.0.0.1") as client:
        page = client.get("/console/sign-in")
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
        client.post("/console/sign-in", data={"api_key": secret, "csrf_token": token})
        shown = client.get("/console/images")
    assert shown.status_code == 200 and 'data-testid="drift-plot"' in shown.text
    assert ">Drift<" in shown.text and shown.text.count("<circle") == 60 and "feb-0" not in shown.text


def test_a_named_index_lives_in_the_home_and_is_found_by_name(
    store: Store, tiny_clip_dir: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "few"
    folder.mkdir()
    for i, image in enumerate(gray_scans(3, seed=60)):
        image.save(folder / f"{i}.png")
    embedded = run("images", "embed", str(folder), "--model", str(tiny_clip_dir), "--name", "few")
    assert Path(embedded["index"]) == store.settings.resolved_home / "indexes" / "few"
    found = run("images", "search", "-i", "few", "--image", str(folder / "2.png"), "-k", "1")
    assert found["results"][0]["id"] == "2.png"
    both = CliRunner().invoke(app, ["images", "embed", str(folder), "--model", str(tiny_clip_dir)])
    assert "exactly one of --out" in str(both.exception)
