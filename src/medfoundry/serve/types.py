"""Values passed between the API and the inference backends."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SamplingParams:
    max_tokens: int = 16
    temperature: float = 1.0
    top_p: float = 1.0
    stop: tuple[str, ...] = ()
    seed: int | None = None

    @property
    def do_sample(self) -> bool:
        return self.temperature > 0

    def batch_key(self) -> tuple[bool, float, float]:
        """Requests batch together when they sample the same way."""
        if not self.do_sample:
            return (False, 0.0, 1.0)
        return (True, round(self.temperature, 3), round(self.top_p, 3))


@dataclass(frozen=True)
class Delta:
    """A piece of generated text; the last one of a request carries ``finish_reason``."""

    text: str
    completion_tokens: int
    finish_reason: str | None = None  # stop | length | None while running
