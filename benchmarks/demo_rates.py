"""The generation rates behind the demo's time estimate (``medfoundry.pipeline.demo_time``).

A SmolLM2-135M-shaped random Llama built locally generates for a batch of 6 prompts as
the demo's task evaluation does, once with 16 and once with 80 new tokens; the difference
gives the cost of one decoding step, the rest the prefill per prompt token. CPU time of
this process on one torch thread, so a busy shared machine changes it little. Prints one
JSON line.

    python benchmarks/demo_rates.py
"""

from __future__ import annotations

import json
import tempfile
import time
from pathlib import Path


def main() -> None:
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    from medfoundry.catalog.tiny import build_tiny_model
    from medfoundry.evaluate.generate import generate

    torch.set_num_threads(1)
    with tempfile.TemporaryDirectory() as scratch:
        directory = build_tiny_model(Path(scratch) / "smollm2-135m", shape="smollm2-135m")
        tokenizer = AutoTokenizer.from_pretrained(directory)
        model = AutoModelForCausalLM.from_pretrained(directory).eval()
    sentence = "Patient has hypertension and type 2 diabetes; metformin 500 mg twice daily. "
    prompts = [f"Summarize the record. {sentence * 8}{i}" for i in range(6)]
    prompt_tokens = sum(len(tokenizer(p).input_ids) for p in prompts)
    cpu: dict[int, float] = {}
    for new_tokens in (16, 80):
        started = time.process_time()
        generate(model, tokenizer, prompts, max_new_tokens=new_tokens, stop=())
        cpu[new_tokens] = time.process_time() - started
    decode_step = (cpu[80] - cpu[16]) / (80 - 16)
    prefill = cpu[16] - 16 * decode_step
    print(json.dumps({
        "prompts": len(prompts),
        "prompt_tokens": prompt_tokens,
        "cpu_s": {str(k): round(v, 3) for k, v in cpu.items()},
        "decode_s_per_step": round(decode_step, 4),
        "prefill_s_per_prompt_token": round(prefill / prompt_tokens, 5),
    }))


if __name__ == "__main__":
    main()
