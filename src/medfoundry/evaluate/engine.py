"""Log-likelihood scoring with lm-evaluation-harness's tokenization, faster.

Tokenization and truncation follow the harness's ``HFLM`` exactly (trailing context
spaces move to the continuation; the whole string is encoded and split; inputs are
left-truncated to ``max_length + 1`` tokens), so the numbers agree. The speed comes
from doing less work for the same numbers:

- each question's shared token prefix runs once; when every choice is one token (the
  MedQA/MedMCQA/PubMedQA case) that single forward answers all choices;
- longer choices score from the prefix's cached keys/values in one batched forward;
- only the positions that are scored go through the vocabulary projection
  (``logits_to_keep``), not the whole sequence;
- questions are batched by length (longest first) with right padding, which leaves
  every real position's logits unchanged under causal attention.
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

logger = logging.getLogger(__name__)
Progress = Callable[[int], None]
PAD_SLACK = 1.25  # a batch's padded size may exceed its real tokens by this factor


@dataclass(frozen=True)
class ChoiceRequest:
    """One question: a context and the continuations (target delimiter included) to score."""

    context: str
    continuations: tuple[str, ...]


@dataclass
class _Encoded:
    index: int
    inputs: list[list[int]]  # per choice: (context + continuation)[:-1], truncated like the harness
    targets: list[list[tuple[int, int]]]  # per choice: (position, token) pairs to sum
    prefix: list[int]  # longest common prefix of the inputs

    @property
    def flat(self) -> bool:
        return all(len(seq) == len(self.prefix) for seq in self.inputs)


def tok_encode(tokenizer: Any, text: str) -> list[int]:
    """The harness's ``tok_encode`` for causal models (default add_special_tokens)."""
    bos = tokenizer.bos_token
    kwargs = {"add_special_tokens": False} if bos and text.startswith(bos) else {}
    return list(tokenizer.encode(text, **kwargs))


def encode_pair(tokenizer: Any, context: str, continuation: str) -> tuple[list[int], list[int]]:
    """The harness's ``_encode_pair``: whole string encoded, then split at the context's length."""
    n_spaces = len(context) - len(context.rstrip())
    if n_spaces > 0:
        continuation = context[-n_spaces:] + continuation
        context = context[:-n_spaces]
    whole = tok_encode(tokenizer, context + continuation)
    context_enc = tok_encode(tokenizer, context)
    return context_enc, whole[len(context_enc) :]


def max_length_of(model: Any, tokenizer: Any, default: int = 2048) -> int:
    """The harness's ``resolve_max_length``: the model config's length, else the tokenizer's."""
    config = getattr(model, "config", None)
    for attr in ("n_positions", "max_position_embeddings", "n_ctx"):
        value = getattr(config, attr, None)
        if value:
            return int(value)
    limit = getattr(tokenizer, "model_max_length", None)
    return int(limit) if limit and limit < 1_000_000_000 else default


def _common_prefix(sequences: Sequence[list[int]]) -> list[int]:
    first = sequences[0]
    length = len(first)
    for seq in sequences[1:]:
        length = min(length, len(seq))
        for i in range(length):
            if seq[i] != first[i]:
                length = i
                break
    return first[:length]


def encode_request(tokenizer: Any, request: ChoiceRequest, index: int, max_length: int) -> _Encoded:
    """All choices of one question, tokenized as the harness does in one tokenizer call."""
    if not request.context:
        raise ValueError("an empty context cannot be scored")
    n_spaces = len(request.context) - len(request.context.rstrip())
    context = request.context[: len(request.context) - n_spaces]
    moved = request.context[len(context) :]
    texts = [context] + [context + moved + c for c in request.continuations]
    bos = tokenizer.bos_token
    kwargs = {"add_special_tokens": False} if bos and context.startswith(bos) else {}
    context_enc, *wholes = (list(ids) for ids in tokenizer(texts, **kwargs)["input_ids"])
    inputs, targets = [], []
    for whole_enc in wholes:
        whole = whole_enc[-(max_length + 1) :]
        n = len(whole_enc) - len(context_enc)
        start = len(whole) - 1 - n
        inputs.append(whole[:-1])
        targets.append([(start + k, whole[start + k + 1]) for k in range(n)])
    return _Encoded(index, inputs, targets, _common_prefix(inputs))


class LoglikScorer:
    """Scores ``ChoiceRequest``s: the summed log-probability of each continuation."""

    def __init__(self, model: Any, tokenizer: Any, *, batch_size: int = 8, max_length: int | None = None):
        self.model = model
        self.tokenizer = tokenizer
        self.batch_size = max(1, batch_size)
        self.max_length = max_length or max_length_of(model, tokenizer)
        self.pad_id = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else 0

    @cached_property
    def _cache_kwarg(self) -> str:
        """``cache`` on recent transformers, ``past_key_values`` before (PEFT wrappers looked through)."""
        inner = self.model.get_base_model() if hasattr(self.model, "get_base_model") else self.model
        return "cache" if "cache" in inspect.signature(inner.forward).parameters else "past_key_values"

    @property
    def device(self) -> Any:
        return next(self.model.parameters()).device

    def score(self, requests: Sequence[ChoiceRequest], progress: Progress | None = None) -> list[list[float]]:
        import torch

        unique = list(dict.fromkeys(requests))  # identical requests are scored once, as in the harness
        encoded = [encode_request(self.tokenizer, r, i, self.max_length) for i, r in enumerate(unique)]
        results: list[list[float]] = [[] for _ in unique]
        flat = sorted((e for e in encoded if e.flat), key=lambda e: -len(e.prefix))
        with torch.inference_mode():
            for batch in self._batches(flat):
                for item, scores in zip(batch, self._score_flat(batch), strict=True):
                    results[item.index] = scores
                if progress:
                    progress(len(batch))
            for item in (e for e in encoded if not e.flat):
                results[item.index] = self._score_tree(item)
                if progress:
                    progress(1)
        position = {r: i for i, r in enumerate(unique)}
        if progress and len(unique) < len(requests):
            progress(len(requests) - len(unique))
        return [list(results[position[r]]) for r in requests]

    def _batches(self, items: list[_Encoded]) -> list[list[_Encoded]]:
        """Consecutive runs of length-sorted items, at most ``batch_size``, padding at most 25% waste."""
        batches: list[list[_Encoded]] = []
        current: list[_Encoded] = []
        tokens = 0
        for item in items:
            n = len(item.prefix)
            if current and (
                len(current) == self.batch_size
                or len(current[0].prefix) * (len(current) + 1) > PAD_SLACK * (tokens + n)
            ):
                batches.append(current)
                current, tokens = [], 0
            current.append(item)
            tokens += n
        return batches + ([current] if current else [])

    def _forward(self, input_ids: Any, keep: Any, past: Any = None) -> Any:
        """Log-probs at the kept positions, in the logits' own dtype (as the harness)."""
        import torch.nn.functional as F

        kwargs: dict[str, Any] = {"logits_to_keep": keep}
        if past is not None:
            kwargs.update({self._cache_kwarg: past, "use_cache": True})
        out = self.model(input_ids=input_ids, **kwargs)
        return F.log_softmax(out.logits, dim=-1), out

    def _score_flat(self, batch: list[_Encoded]) -> list[list[float]]:
        """Every choice's scored positions lie in the shared prefix: one forward per question.

        Only the union of the rows' scored positions is projected to the vocabulary (a 1-D
        ``logits_to_keep``, which every transformers version slices the same way).
        """
        import torch

        width = max(len(e.prefix) for e in batch)
        union = sorted({p for e in batch for t in e.targets for p, _ in t})
        column = {p: c for c, p in enumerate(union)}
        ids = torch.full((len(batch), width), self.pad_id, dtype=torch.long)
        for row, item in enumerate(batch):
            ids[row, : len(item.prefix)] = torch.tensor(item.prefix)
        keep = torch.tensor(union, device=self.device)
        logprobs, _ = self._forward(ids.to(self.device), keep)
        wanted = [(row, column[p], tok) for row, e in enumerate(batch) for t in e.targets for p, tok in t]
        index = torch.tensor(wanted, device=self.device).T
        picked = logprobs[index[0], index[1], index[2]].float().cpu().tolist()
        out, k = [], 0
        for item in batch:
            scores = []
            for target in item.targets:
                scores.append(float(sum(picked[k : k + len(target)])))
                k += len(target)
            out.append(scores)
        return out

    def _score_tree(self, item: _Encoded) -> list[float]:
        """Run the shared prefix once with a KV cache, then all choices' suffixes in one batch."""
        import torch
        from transformers import DynamicCache

        plen = len(item.prefix)
        if plen == 0:  # nothing shared: score each choice as its own flat question
            singles = [_Encoded(0, [seq], [t], seq) for seq, t in zip(item.inputs, item.targets, strict=True)]
            batches = [singles[k : k + self.batch_size] for k in range(0, len(singles), self.batch_size)]
            return [scores[0] for batch in batches for scores in self._score_flat(batch)]
        in_prefix = sorted({p for t in item.targets for p, _ in t if p < plen}) or [plen - 1]
        cache = DynamicCache()
        ids = torch.tensor([item.prefix], device=self.device)
        prefix_lp, _ = self._forward(ids, torch.tensor(in_prefix, device=self.device), past=cache)
        prefix_lp = prefix_lp.float().cpu()[0]
        suffix_rows = [i for i, seq in enumerate(item.inputs) if len(seq) > plen]
        width = max(len(item.inputs[i]) - plen for i in suffix_rows)
        suffix = torch.full((len(suffix_rows), width), self.pad_id, dtype=torch.long)
        for row, i in enumerate(suffix_rows):
            suffix[row, : len(item.inputs[i]) - plen] = torch.tensor(item.inputs[i][plen:])
        cache.batch_repeat_interleave(len(suffix_rows))
        suffix_lp, _ = self._forward(suffix.to(self.device), 0, past=cache)
        suffix_lp = suffix_lp.float().cpu()
        row_of = {i: row for row, i in enumerate(suffix_rows)}
        scores = []
        for i, target in enumerate(item.targets):
            total = 0.0
            for pos, tok in target:
                if pos < plen:
                    total += float(prefix_lp[in_prefix.index(pos), tok])
                else:
                    total += float(suffix_lp[row_of[i], pos - plen, tok])
            scores.append(total)
        return scores
