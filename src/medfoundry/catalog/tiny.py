"""Tiny random-weight causal LMs built locally, for tests, CI, benchmarks and the demo.

They take the exact path a Hugging Face model takes (``save_pretrained`` then
``from_pretrained``) without a download. Their outputs are meaningless: whoever
uses one says so to the user.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

SPECIAL_TOKENS = ["<|endoftext|>", "<|im_start|>", "<|im_end|>", "<|pad|>"]
CHAT_TEMPLATE = (
    "{% for message in messages %}"
    "{{ '<|im_start|>' + message['role'] + '\n' + message['content'] + '<|im_end|>' + '\n' }}"
    "{% endfor %}"
    "{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}"
)

# Llama-architecture shapes. "smollm2-135m" matches HuggingFaceTB/SmolLM2-135M's config.
SHAPES: dict[str, dict[str, Any]] = {
    "tiny": {
        "hidden_size": 64,
        "intermediate_size": 128,
        "num_hidden_layers": 2,
        "num_attention_heads": 4,
        "num_key_value_heads": 2,
        "max_position_embeddings": 2048,
        "vocab_size": 1024,
        "tie_word_embeddings": True,
    },
    "small": {
        "hidden_size": 256,
        "intermediate_size": 688,
        "num_hidden_layers": 4,
        "num_attention_heads": 4,
        "num_key_value_heads": 2,
        "max_position_embeddings": 2048,
        "vocab_size": 4096,
        "tie_word_embeddings": True,
    },
    "smollm2-135m": {
        "hidden_size": 576,
        "intermediate_size": 1536,
        "num_hidden_layers": 30,
        "num_attention_heads": 9,
        "num_key_value_heads": 3,
        "max_position_embeddings": 8192,
        "vocab_size": 49152,
        "tie_word_embeddings": True,
        "rope_theta": 100000.0,
        "rms_norm_eps": 1e-5,
    },
}

_WORDS = (
    "patient presents with chest pain shortness of breath fever cough nausea history of hypertension "
    "diabetes asthma medication dose daily twice tablet mg mL blood pressure heart rate glucose "
    "hemoglobin creatinine assessment plan follow up clinic discharge summary admitted emergency "
    "department denies reports stable improved chronic acute left right lower upper abdomen "
    "the a an and or with without for of in on at to is was were has had no yes maybe question "
    "answer which following most likely diagnosis treatment next step management A B C D E"
).split()


def generated_corpus(n_lines: int = 3000, seed: int = 0) -> Iterator[str]:
    """Deterministic pseudo-clinical sentences with digits and punctuation, for tokenizers."""
    rng = random.Random(seed)
    for _ in range(n_lines):
        words = [rng.choice(_WORDS) for _ in range(rng.randint(5, 25))]
        if rng.random() < 0.5:
            words.insert(rng.randrange(len(words)), f"{rng.randint(1, 999)}.{rng.randint(0, 9)}")
        yield " ".join(words) + rng.choice([".", "?", "!", ":", ";", ","])


def build_tokenizer(texts: Iterable[str], vocab_size: int) -> Any:
    """Train a byte-level BPE tokenizer (any text encodes) with a ChatML chat template."""
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast

    tokenizer = Tokenizer(models.BPE())
    tokenizer.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tokenizer.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size,
        special_tokens=SPECIAL_TOKENS,
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False,
    )
    tokenizer.train_from_iterator(texts, trainer=trainer)
    fast = PreTrainedTokenizerFast(
        tokenizer_object=tokenizer,
        bos_token="<|endoftext|>",
        eos_token="<|im_end|>",
        pad_token="<|pad|>",
        unk_token="<|endoftext|>",
    )
    fast.chat_template = CHAT_TEMPLATE
    return fast


def build_tiny_model(
    out_dir: Path,
    *,
    shape: str = "tiny",
    seed: int = 0,
    corpus: Iterable[str] | None = None,
    dtype: str = "float32",
) -> Path:
    """Write a random-weight Llama model and its tokenizer to ``out_dir``; returns it."""
    import torch
    from transformers import LlamaConfig, LlamaForCausalLM

    if shape not in SHAPES:
        raise ValueError(f"unknown tiny model shape {shape!r}; choose one of {sorted(SHAPES)}")
    dims = dict(SHAPES[shape])
    tokenizer = build_tokenizer(corpus or generated_corpus(seed=seed), min(dims["vocab_size"], 8192))
    dims["vocab_size"] = max(dims["vocab_size"], len(tokenizer))
    config = LlamaConfig(
        **dims,
        bos_token_id=tokenizer.bos_token_id,
        eos_token_id=tokenizer.eos_token_id,
        pad_token_id=tokenizer.pad_token_id,
    )
    torch.manual_seed(seed)
    model = LlamaForCausalLM(config).to(getattr(torch, dtype))
    model.generation_config.pad_token_id = tokenizer.pad_token_id
    out_dir.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(out_dir)
    tokenizer.save_pretrained(out_dir)
    (out_dir / "MEDFOUNDRY_TINY_MODEL").write_text(
        f"random-weight stand-in, shape={shape}, seed={seed}: its outputs mean nothing\n"
    )
    return out_dir


def is_tiny_stand_in(model_dir: Path) -> bool:
    return (model_dir / "MEDFOUNDRY_TINY_MODEL").exists()
