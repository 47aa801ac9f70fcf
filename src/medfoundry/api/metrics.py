"""Prometheus metrics of one app: requests, tokens, latency, guardrail actions."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest

from medfoundry.guardrails.base import Action

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120)


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "medfoundry_requests",
            "API requests by route, deployment and status.",
            ["route", "deployment", "status"],
            registry=self.registry,
        )
        self.tokens = Counter(
            "medfoundry_tokens",
            "Tokens processed by deployment and kind (prompt, completion).",
            ["deployment", "kind"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "medfoundry_request_latency_seconds",
            "End-to-end request latency.",
            ["route", "deployment"],
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.guardrails = Counter(
            "medfoundry_guardrail_actions",
            "Guardrail actions by deployment, rule and action.",
            ["deployment", "rule", "action"],
            registry=self.registry,
        )

    def observe(
        self, route: str, deployment: str, status: int, latency_s: float, prompt: int = 0, completion: int = 0
    ) -> None:
        self.requests.labels(route, deployment, str(status)).inc()
        self.latency.labels(route, deployment).observe(latency_s)
        if prompt:
            self.tokens.labels(deployment, "prompt").inc(prompt)
        if completion:
            self.tokens.labels(deployment, "completion").inc(completion)

    def count_actions(self, deployment: str, actions: list[Action]) -> None:
        for action in actions:
            self.guardrails.labels(deployment, action.rule, action.action).inc()

    def render(self) -> bytes:
        return generate_latest(self.registry)
