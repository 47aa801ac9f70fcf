"""/v1/embeddings and /v1/images/classify over HTTP with a deployed tiny CLIP (and a tiny chat model beside it)."""

from __future__ import annotations

import base64
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from medfoundry.api import create_app
from medfoundry.imaging.models import OOD_DIRNAME, build_tiny_clip, load_image_text_model
from medfoundry.imaging.ood import OODDetector
from medfoundry.store.database import Store
from medfoundry.store.models import AuditEvent
from tests.unit.api.conftest import make_config
from tests.unit.imaging.conftest import PYDICOM_FILES, colour_noise, gray_scans
from tests.unit.serve.helpers import deploy_tiny, new_key


def b64(image: object) -> str:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")  # type: ignore[attr-defined]
    return base64.b64encode(buffer.getvalue()).decode()


@dataclass
class Served:
    client: TestClient
    store: Store
    key: str
    model_dir: Path

    def post(self, path: str, body: dict) -> object:
        return self.client.post(path, json=body, headers={"Authorization": f"Bearer {self.key}"})


@pytest.fixture(scope="module")
def clip_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = build_tiny_clip(tmp_path_factory.mktemp("clip") / "tiny-clip")
    model = load_image_text_model(str(directory))
    train = model.embed_images(gray_scans(80, seed=20))
    OODDetector.fit(train).calibrate(model.embed_images(gray_scans(30, seed=21))).save(
        directory / OOD_DIRNAME
    )
    return directory


@pytest.fixture
def served(store: Store, clip_dir: Path, tiny_model_dir: Path) -> Iterator[Served]:
    deploy_tiny(store, clip_dir, "xray", "strict-no-phi")
    deploy_tiny(store, tiny_model_dir, "chat", "default")
    app = create_app(store, config=make_config(max_body_bytes=2_000_000))
    with TestClient(app) as client:
        yield Served(client, store, new_key(store, scope="invoke"), clip_dir)


def audit_details(store: Store) -> list[dict]:
    with store.sessions() as session:
        query = select(AuditEvent).where(AuditEvent.action == "serve.call").order_by(AuditEvent.seq)
        return [json.loads(event.details) for event in session.scalars(query)]


def test_openai_embeddings_of_texts_and_images_match_the_model(served: Served) -> None:
    images = gray_scans(2, seed=30)
    body = {"model": "xray", "input": ["a chest x-ray", {"type": "image", "image": b64(images[0])},
                                        {"type": "text", "text": "an mri"}, {"type": "image", "image": b64(images[1])}]}  # fmt: skip
    response = served.post("/v1/embeddings", body)
    assert response.status_code == 200, response.text
    document = response.json()
    assert document["object"] == "list" and document["model"] == "xray"
    assert [d["index"] for d in document["data"]] == [0, 1, 2, 3]
    model = load_image_text_model(str(served.model_dir))
    assert np.allclose(document["data"][0]["embedding"], model.embed_texts(["a chest x-ray"])[0], atol=1e-5)
    assert np.allclose(document["data"][3]["embedding"], model.embed_images([images[1]])[0], atol=1e-5)
    assert "ood" in document["data"][1]["medfoundry"] and "medfoundry" not in document["data"][0]
    # the audit event has counts, sizes and hashes; never pixels or text
    details = audit_details(served.store)[-1]
    text = json.dumps(details)
    assert details["images"] == 2 and details["texts"] == 2 and len(details["image_sha256"]) == 2
    assert "chest" not in text and body["input"][1]["image"][:40] not in text


def test_base64_encoding_and_a_dicom_upload(served: Served) -> None:
    dicom = base64.b64encode((PYDICOM_FILES / "CT_small.dcm").read_bytes()).decode()
    response = served.post("/v1/embeddings", {"model": "xray", "encoding_format": "base64",
                                              "input": [{"type": "image", "image": dicom}]})  # fmt: skip
    assert response.status_code == 200, response.text
    vector = np.frombuffer(base64.b64decode(response.json()["data"][0]["embedding"]), dtype="<f4")
    assert vector.shape == (16,) and abs(np.linalg.norm(vector) - 1) < 1e-4


def test_out_of_distribution_images_are_flagged(served: Served) -> None:
    odd = [{"type": "image", "image": b64(image)} for image in colour_noise(6, seed=31)]
    flags = [
        d["medfoundry"]["ood"]
        for d in served.post("/v1/embeddings", {"model": "xray", "input": odd}).json()["data"]
    ]
    assert sum(f["out_of_distribution"] for f in flags) >= 5 and all(f["score"] > 0 for f in flags)
    assert audit_details(served.store)[-1]["out_of_distribution"] >= 5


def test_azure_medimageinsight_request_shape(served: Served) -> None:
    image = b64(gray_scans(1, seed=32)[0])
    body = {"input_data": {"columns": ["image", "text"], "index": [0, 1],
                           "data": [[image, "x-ray chest anteroposterior Pneumonia"], ["", "a quick brown fox"]]},
            "params": {"get_scaling_factor": True}, "model": "xray"}  # fmt: skip
    response = served.post("/v1/embeddings", body)
    assert response.status_code == 200, response.text
    rows = response.json()
    assert len(rows) == 2 and "image_features" in rows[0] and "image_features" not in rows[1]
    assert len(rows[0]["image_features"][0]) == 16 and len(rows[1]["text_features"][0]) == 16
    model = load_image_text_model(str(served.model_dir))
    assert rows[0]["scaling_factor"] == pytest.approx(np.log(model.logit_scale), abs=1e-5)


def test_zero_shot_classification(served: Served) -> None:
    images = [b64(image) for image in gray_scans(2, seed=33)]
    body = {"model": "xray", "image": images, "labels": ["pneumonia", "no finding"],
            "templates": ["a chest x-ray showing {label}"]}  # fmt: skip
    document = served.post("/v1/images/classify", body).json()
    assert len(document["data"]) == 2 and document["multilabel"] is False
    scores = [label["score"] for label in document["data"][0]["labels"]]
    assert abs(sum(scores) - 1) < 1e-4 and scores == sorted(scores, reverse=True)
    multi = served.post("/v1/images/classify", {**body, "multilabel": True}).json()
    assert (
        multi["multilabel"] is True
        and abs(sum(lab["score"] for lab in multi["data"][0]["labels"]) - 1) > 1e-3
    )


def test_errors_name_the_field_and_the_guardrails_apply(served: Served) -> None:
    assert served.post("/v1/embeddings", {"model": "chat", "input": ["x"]}).status_code == 400
    assert served.post("/v1/embeddings", {"model": "nope", "input": ["x"]}).status_code == 404
    bad = served.post(
        "/v1/embeddings", {"model": "xray", "input": [{"type": "image", "image": "bm90IGFuIGltYWdl"}]}
    )
    assert bad.status_code == 400 and "input[0].image" in bad.json()["error"]["message"]
    missing_label = served.post("/v1/images/classify", {"model": "xray", "image": b64(gray_scans(1, seed=1)[0]),
                                                        "labels": ["a"], "templates": ["no placeholder"]})  # fmt: skip
    assert missing_label.status_code == 400
    phi = served.post(
        "/v1/embeddings", {"model": "xray", "input": ["Patient John Smith, MRN 12345678, SSN 123-45-6789"]}
    )
    assert (
        phi.status_code in (400, 422) and "123-45-6789" not in phi.text
    )  # the strict-no-phi policy refuses it
    assert (
        "123-45-6789" not in json.dumps(audit_details(served.store))
        and audit_details(served.store)[-1]["status"] == phi.status_code
    )
    assert served.client.post("/v1/embeddings", json={"model": "xray", "input": ["x"]}).status_code == 401


def test_the_official_openai_client_reads_the_embeddings(served: Served) -> None:
    from openai import OpenAI

    client = OpenAI(api_key=served.key, base_url="http://testserver/v1", http_client=served.client)
    response = client.embeddings.create(model="xray", input=["a chest x-ray", "an mri"])  # base64 on the wire
    assert [d.index for d in response.data] == [0, 1] and len(response.data[0].embedding) == 16
    model = load_image_text_model(str(served.model_dir))
    assert np.allclose(response.data[1].embedding, model.embed_texts(["an mri"])[0], atol=1e-5)


def test_search_a_named_index_over_http(served: Served, tmp_path: Path) -> None:
    from medfoundry.imaging.vector_index import named_index_dir, write_index

    model = load_image_text_model(str(served.model_dir))
    images = gray_scans(6, seed=50)
    home = served.store.settings.resolved_home
    meta = {"dim": 16, "model_location": str(served.model_dir.resolve())}
    write_index(
        named_index_dir(home, "scans"),
        model.embed_images(images),
        [{"id": f"s{i}.png"} for i in range(6)],
        meta,
    )
    found = served.post(
        "/v1/images/search", {"model": "xray", "index": "scans", "image": b64(images[4]), "k": 3}
    )
    assert found.status_code == 200, found.text
    assert found.json()["data"][0]["id"] == "s4.png" and len(found.json()["data"]) == 3
    by_text = served.post(
        "/v1/images/search", {"model": "xray", "index": "scans", "text": "a chest x-ray", "k": 2}
    )
    assert [hit["rank"] for hit in by_text.json()["data"]] == [1, 2]
    assert (
        served.post("/v1/images/search", {"model": "xray", "index": "nope", "text": "x"}).status_code == 404
    )
    assert served.post("/v1/images/search", {"model": "xray", "index": "scans"}).status_code == 400
    assert audit_details(served.store)[-1]["route"] == "images.search"
