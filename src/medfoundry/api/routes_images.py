"""``/v1/embeddings`` (texts and images) and ``/v1/images/classify`` (zero-shot) for image-text deployments.

Text inputs pass the deployment's input guardrails, as chat messages do. The audit event
holds ids, counts, sizes and SHA-256 hashes: never pixels or text.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import logging
import math
import time
import uuid
from typing import Any, Literal

import numpy as np
from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, ConfigDict, Field

from medfoundry.api.auth import InvokeKey, check_deployment_access
from medfoundry.api.errors import ERROR_RESPONSES, APIError
from medfoundry.api.service import status_of
from medfoundry.api.state import AppState, get_state
from medfoundry.errors import InputError
from medfoundry.guardrails.base import Action
from medfoundry.imaging.models import zero_shot
from medfoundry.imaging.preprocess import image_from_bytes
from medfoundry.imaging.serving import INDEXES, ServedImageModel
from medfoundry.store.models import ApiKey

logger = logging.getLogger(__name__)
router = APIRouter(prefix="/v1", tags=["images"])
MAX_INPUTS = 64


class InputItem(BaseModel):
    model_config = ConfigDict(extra="forbid")

    type: Literal["text", "image"]
    text: str | None = None
    image: str | None = Field(None, description="Base64 PNG/JPEG or DICOM Part 10 bytes.")


class AzureInputData(BaseModel):
    """MedImageInsight's Azure request: rows of [image_b64_or_empty, text_or_empty]."""

    columns: list[str]
    index: list[int] = Field(default_factory=list)
    data: list[list[str | None]]


class EmbeddingsRequest(BaseModel):
    model: str | None = Field(
        None, description="The deployment; may be left out with input_data when one image model is served."
    )
    input: str | list[str | InputItem] | None = None
    input_data: AzureInputData | None = None
    params: dict[str, Any] = Field(default_factory=dict)
    encoding_format: Literal["float", "base64"] = "float"
    user: str | None = None


class ClassifyRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    model: str
    image: str | list[str] = Field(description="One or more base64 images.")
    labels: list[str] = Field(min_length=1, max_length=256)
    templates: list[str] = Field(default_factory=lambda: ["{label}"], max_length=32)
    multilabel: bool = False


class SearchRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    model: str
    index: str = Field(description="An index name in the server's home ('images embed --name').")
    image: str | None = Field(None, description="Base64 image to search by.")
    text: str | None = Field(None, description="Or: a description to search by.")
    k: int = Field(10, ge=1, le=100)


class ImageCall:
    """One image-route call: binding, guardrails on texts, the OOD flags and exactly one audit event."""

    def __init__(self, state: AppState, route: str, key: ApiKey, model: str | None) -> None:
        self.state, self.route, self.key = state, route, key
        self.started = time.perf_counter()
        self.request_id = uuid.uuid4().hex
        self.model_name = model
        self.served: ServedImageModel | None = None
        self.actions: list[Action] = []
        self.details: dict[str, Any] = {"images": 0, "image_bytes": 0, "image_sha256": [], "texts": 0}
        self.ood_flags: list[dict[str, Any]] = []
        self.status = 200

    def bind(self) -> ServedImageModel:
        images = self.state.runtime.images
        name = self.model_name
        if name is None:
            if len(images) != 1:
                raise APIError(400, "model is required: name the image-text deployment.", param="model")
            name = next(iter(images))
        deployment = self.state.runtime.get(name)  # 404 when not deployed
        check_deployment_access(self.key, deployment.name)
        if name not in images:
            raise APIError(
                400,
                f"The deployment '{name}' is not an image-text model; use /v1/chat/completions.",
                param="model",
            )
        self.model_name, self.served = name, images[name]
        return self.served

    def decode(self, encoded: str, where: str) -> Any:
        try:
            data = base64.b64decode(encoded, validate=False)
        except (binascii.Error, ValueError):
            raise APIError(400, f"{where}: not valid base64.", param=where) from None
        if not data:
            raise APIError(400, f"{where}: the image is empty.", param=where)
        self.details["images"] += 1
        self.details["image_bytes"] += len(data)
        self.details["image_sha256"].append(hashlib.sha256(data).hexdigest())
        try:
            return image_from_bytes(data, where=where)
        except InputError as exc:
            raise APIError(400, exc.message, param=where) from None

    async def guard_texts(self, texts: list[str]) -> list[str]:
        """The deployment's input guardrails; a refused or blocked text fails the request."""
        if not texts:
            return texts
        self.details["texts"] = len(texts)
        self.details["text_sha256"] = hashlib.sha256(json.dumps(texts).encode()).hexdigest()
        deployment = self.state.runtime.get(str(self.model_name))
        verdict = await run_in_threadpool(deployment.guardrails.check_input, texts)
        self.actions.extend(verdict.actions)
        if verdict.decision != "allow":
            raise APIError(
                400,
                verdict.message or "The input was refused by the guardrails.",
                code="content_filter",
                param="input",
            )
        return verdict.texts

    def flag(self, rows: np.ndarray) -> list[dict[str, Any]]:
        assert self.served is not None
        if self.served.ood is None or not len(rows):
            return []
        self.ood_flags = self.served.ood.flags(rows)
        return self.ood_flags

    def report(self) -> dict[str, Any]:
        report: dict[str, Any] = {"guardrails": [a.to_dict() for a in self.actions]}
        if self.ood_flags:
            report["ood"] = self.ood_flags
        return report

    async def finish(self, exc: BaseException | None = None) -> None:
        if exc is not None:
            self.status = status_of(exc)
        latency = time.perf_counter() - self.started
        name = self.model_name or "-"
        self.state.metrics.observe(self.route, name, self.status, latency)
        self.state.metrics.count_actions(name, self.actions)
        details = {
            "request_id": self.request_id,
            "route": self.route,
            "deployment": self.model_name,
            "key_id": self.key.id,
            "status": self.status,
            "latency_ms": round(latency * 1000, 2),
            "guardrails": [a.to_dict() for a in self.actions],
            "out_of_distribution": sum(flag["out_of_distribution"] for flag in self.ood_flags),
            **self.details,
        }
        deployment = self.state.runtime.deployments.get(self.model_name or "")
        try:
            await run_in_threadpool(
                self.state.store.audit.append,
                "serve.call",
                "deployment",
                deployment.id if deployment else "unknown",
                details,
                actor=f"api_key:{self.key.id}",
            )
        except Exception:
            logger.exception("could not write the audit event of request %s", self.request_id)


def _vector(row: np.ndarray, encoding: str) -> list[float] | str:
    if encoding == "base64":
        return base64.b64encode(np.asarray(row, dtype="<f4").tobytes()).decode()
    return [round(float(v), 7) for v in row]


async def _embed(call: ImageCall, images: list[Any], texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
    served = call.served
    assert served is not None
    image_rows = (
        await run_in_threadpool(served.embed_images, images) if images else np.zeros((0, 0), np.float32)
    )
    text_rows = await run_in_threadpool(served.embed_texts, texts) if texts else np.zeros((0, 0), np.float32)
    return image_rows, text_rows


def _openai_inputs(call: ImageCall, body: EmbeddingsRequest) -> list[tuple[str, Any]]:
    raw = [body.input] if isinstance(body.input, str) else list(body.input or [])
    if not raw or len(raw) > MAX_INPUTS:
        raise APIError(400, f"input must hold 1 to {MAX_INPUTS} items.", param="input")
    items: list[tuple[str, Any]] = []
    for i, entry in enumerate(raw):
        if isinstance(entry, str):
            items.append(("text", entry))
        elif entry.type == "image":
            if not entry.image:
                raise APIError(400, f"input[{i}].image is required for an image item.", param=f"input[{i}]")
            items.append(("image", call.decode(entry.image, f"input[{i}].image")))
        else:
            if entry.text is None:
                raise APIError(400, f"input[{i}].text is required for a text item.", param=f"input[{i}]")
            items.append(("text", entry.text))
    return items


@router.post("/embeddings", responses=ERROR_RESPONSES)
async def embeddings(body: EmbeddingsRequest, request: Request, key: InvokeKey) -> Any:
    """OpenAI's embeddings shape; with ``input_data`` instead, Azure MedImageInsight's."""
    call = ImageCall(get_state(request), "embeddings", key, body.model)
    try:
        call.bind()
        response: Any
        if body.input_data is not None:
            response = await _azure(call, body)
        else:
            response = await _openai(call, body)
    except BaseException as exc:
        await call.finish(exc)
        raise
    await call.finish()
    return response


async def _openai(call: ImageCall, body: EmbeddingsRequest) -> dict[str, Any]:
    items = _openai_inputs(call, body)
    texts = await call.guard_texts([value for kind, value in items if kind == "text"])
    images = [value for kind, value in items if kind == "image"]
    image_rows, text_rows = await _embed(call, images, texts)
    flags = iter(call.flag(image_rows))
    next_image, next_text = iter(image_rows), iter(text_rows)
    data = []
    for index, (kind, _) in enumerate(items):
        row = next(next_image) if kind == "image" else next(next_text)
        entry: dict[str, Any] = {
            "object": "embedding",
            "index": index,
            "embedding": _vector(row, body.encoding_format),
        }
        if kind == "image" and call.ood_flags:
            entry["medfoundry"] = {"ood": next(flags)}
        data.append(entry)
    return {
        "object": "list",
        "data": data,
        "model": call.model_name,
        "usage": {"prompt_tokens": 0, "total_tokens": 0},
        "medfoundry": call.report(),
    }


async def _azure(call: ImageCall, body: EmbeddingsRequest) -> list[dict[str, Any]]:
    assert body.input_data is not None
    columns = body.input_data.columns
    if not set(columns) <= {"image", "text"} or not columns:
        raise APIError(400, "input_data.columns must name 'image' and/or 'text'.", param="input_data.columns")
    rows = body.input_data.data
    if not rows or len(rows) > MAX_INPUTS:
        raise APIError(400, f"input_data.data must hold 1 to {MAX_INPUTS} rows.", param="input_data.data")
    cells: list[dict[str, str]] = []
    for i, row in enumerate(rows):
        if len(row) != len(columns):
            raise APIError(
                400,
                f"input_data.data[{i}] has {len(row)} values for {len(columns)} columns.",
                param="input_data.data",
            )
        cells.append({name: value for name, value in zip(columns, row, strict=True) if value})
    images = [
        call.decode(c["image"], f"input_data.data[{i}].image") for i, c in enumerate(cells) if "image" in c
    ]
    texts = await call.guard_texts([c["text"] for c in cells if "text" in c])
    image_rows, text_rows = await _embed(call, images, texts)
    call.flag(image_rows)
    scaling = math.log(call.served.model.logit_scale) if call.served else 0.0
    next_image, next_text, flags = iter(image_rows), iter(text_rows), iter(call.ood_flags)
    out = []
    for cell in cells:
        entry: dict[str, Any] = {}
        if cell.get("image"):
            entry["image_features"] = [_vector(next(next_image), "float")]
            if call.ood_flags:
                entry["medfoundry"] = {"ood": next(flags)}
        if cell.get("text"):
            entry["text_features"] = [_vector(next(next_text), "float")]
        if str(body.params.get("get_scaling_factor", True)).lower() != "false":
            entry["scaling_factor"] = round(scaling, 6)
        out.append(entry)
    return out


@router.post("/images/classify", responses=ERROR_RESPONSES)
async def classify(body: ClassifyRequest, request: Request, key: InvokeKey) -> Any:
    """Zero-shot labels: softmax over labels, or an independent sigmoid per label with ``multilabel``."""
    call = ImageCall(get_state(request), "images.classify", key, body.model)
    try:
        served = call.bind()
        encoded = [body.image] if isinstance(body.image, str) else body.image
        if not encoded or len(encoded) > MAX_INPUTS:
            raise APIError(400, f"image must hold 1 to {MAX_INPUTS} images.", param="image")
        if any("{label}" not in t for t in body.templates):
            raise APIError(400, "every template must contain '{label}'.", param="templates")
        images = [call.decode(value, f"image[{i}]") for i, value in enumerate(encoded)]
        await call.guard_texts(list(body.labels) + list(body.templates))
        image_rows, _ = await _embed(call, images, [])
        probabilities = await run_in_threadpool(
            _zero_shot, served, image_rows, body.labels, body.templates, body.multilabel
        )
        flags = call.flag(image_rows)
    except BaseException as exc:
        await call.finish(exc)
        raise
    await call.finish()
    results = []
    for i, row in enumerate(probabilities):
        order = np.argsort(-row, kind="stable")
        result: dict[str, Any] = {
            "index": i,
            "labels": [{"label": body.labels[j], "score": round(float(row[j]), 6)} for j in order],
        }
        if flags:
            result["medfoundry"] = {"ood": flags[i]}
        results.append(result)
    return {
        "object": "list",
        "model": call.model_name,
        "multilabel": body.multilabel or served.model.kind == "siglip",
        "data": results,
        "medfoundry": call.report(),
    }


@router.post("/images/search", responses=ERROR_RESPONSES)
async def search(body: SearchRequest, request: Request, key: InvokeKey) -> Any:
    """The k nearest images of a named index to an image or a text, embedded by the deployment."""
    state = get_state(request)
    call = ImageCall(state, "images.search", key, body.model)
    try:
        served = call.bind()
        if (body.image is None) == (body.text is None):
            raise APIError(400, "give exactly one of image or text.", param="image")
        stored = await run_in_threadpool(INDEXES.get, state.store.settings.resolved_home, body.index)
        if stored.meta.get("model_location") != served.model.location:
            raise APIError(
                400,
                f"index '{body.index}' was embedded with another model; search it with that model's deployment.",
                param="index",
            )
        call.details.update(index=body.index, k=body.k)
        if body.image is not None:
            rows, _ = await _embed(call, [call.decode(body.image, "image")], [])
            call.flag(rows)
        else:
            _, rows = await _embed(call, [], await call.guard_texts([body.text or ""]))
        hits = await run_in_threadpool(stored.search, rows, body.k)
    except BaseException as exc:
        await call.finish(exc)
        raise
    await call.finish()
    return {
        "object": "list",
        "model": call.model_name,
        "index": body.index,
        "data": hits[0],
        "medfoundry": call.report(),
    }


def _zero_shot(
    served: ServedImageModel, rows: np.ndarray, labels: list[str], templates: list[str], multilabel: bool
) -> np.ndarray:
    with served.lock:
        return zero_shot(served.model, rows, labels, templates=templates, multilabel=multilabel)
