"""``medfoundry serve / deploy / undeploy``, ``medfoundry deployments`` and ``medfoundry keys``."""

from __future__ import annotations

import gc
import socket
import sys
from pathlib import Path

import typer

from medfoundry.cli.context import store_session
from medfoundry.cli.output import console, emit_json, err_console, print_table
from medfoundry.guardrails.policy import load_policy
from medfoundry.serve import deployments as deploys
from medfoundry.serve import keys as api_keys
from medfoundry.store.database import open_store

JSON_OPTION = typer.Option(False, "--json", help="Print one JSON document on stdout.")
deployments_app = typer.Typer(help="List deployments.", no_args_is_help=True)
keys_app = typer.Typer(help="Create, list and revoke API keys.", no_args_is_help=True)


def deploy(
    model: str = typer.Argument(..., help="Model id, name or local directory."),
    name: str | None = typer.Option(None, "--name", help="Deployment name: what clients pass as 'model'."),
    policy: Path | None = typer.Option(
        None, "--policy", help="Guardrail policy YAML (default: built-in default)."
    ),
    force: bool = typer.Option(False, "--force", help="Deploy although the latest evaluation did not pass."),
    reason: str | None = typer.Option(
        None, "--reason", help="Why the gate is overridden (with --force; audited)."
    ),
    as_json: bool = JSON_OPTION,
) -> None:
    """Deploy a model whose latest scorecard passed its gates.

    Example: medfoundry deploy mdl_01jd... --name triage --policy configs/guardrails/patient-facing.yaml
    """
    from medfoundry.serve.stage import DeployConfig
    from medfoundry.serve.stage import run as run_deploy

    if policy:
        load_policy(policy)  # a bad policy file is reported before the store is opened
    config = DeployConfig(model=model, name=name, policy=str(policy) if policy else None, force=force,
                          reason=reason)  # fmt: skip
    with store_session() as store:
        info = run_deploy(store, config)
    if as_json:
        emit_json(info.to_dict())
        return
    forced = f" [yellow](gate overridden: {info.forced_reason})[/yellow]" if info.forced_reason else ""
    console.print(f"deployed [bold]{info.name}[/bold] ({info.id}) serving {info.model_id}{forced}")
    console.print("start the server with: medfoundry serve")


def undeploy(name: str = typer.Argument(..., help="Deployment name."), as_json: bool = JSON_OPTION) -> None:
    """Stop serving a deployment (the row and its history are kept).

    Example: medfoundry undeploy triage
    """
    with store_session() as store:
        row = deploys.undeploy(store, name)
    if as_json:
        emit_json(deploys.DeploymentInfo.of(row).to_dict())
        return
    console.print(
        f"undeployed [bold]{name}[/bold]; restart 'medfoundry serve' to drop it from a running server"
    )


@deployments_app.command("list")
def list_deployments(
    all_: bool = typer.Option(False, "--all", help="Include undeployed ones."), as_json: bool = JSON_OPTION
) -> None:
    """List active deployments.

    Example: medfoundry deployments list --json
    """
    with store_session() as store:
        rows = deploys.list_deployments(store, include_inactive=all_)
    infos = [deploys.DeploymentInfo.of(row) for row in rows]
    if as_json:
        emit_json({"deployments": [info.to_dict() for info in infos]})
        return
    print_table(
        f"deployments ({len(infos)})",
        ("name", "id", "model", "state", "policy", "gate"),
        (
            (
                info.name,
                info.id,
                info.model_id,
                info.state,
                info.policy_name,
                f"forced: {info.forced_reason}" if info.forced_reason else (info.evaluation_id or "-"),
            )
            for info in infos
        ),
    )


@keys_app.command("create")
def create_key(
    scope: str = typer.Option(
        "invoke", "--scope", help="viewer, invoke, reviewer (human review, no invoke), deploy or admin."
    ),
    deployment: str | None = typer.Option(None, "--deployment", help="Limit the key to one deployment."),
    expires: str | None = typer.Option(
        None, "--expires", help="A duration (30d, 12h) or a date (2027-01-31)."
    ),
    name: str = typer.Option("", "--name", help="A label for the key."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Create an API key. The key is shown once and stored only as a hash.

    Example: medfoundry keys create --scope invoke --deployment triage --expires 30d --json
    """
    with store_session() as store:
        row, secret = api_keys.create_key(
            store, scope=scope, deployment=deployment, expires=expires, name=name
        )
    if as_json:
        emit_json({"id": row.id, "key": secret})
        return
    console.print(f"created API key [bold]{row.id}[/bold] (scope {row.scope})")
    console.print(f"key: {secret}", highlight=False, soft_wrap=True)
    err_console.print("store it now: it is not shown again")


@keys_app.command("list")
def list_keys(as_json: bool = JSON_OPTION) -> None:
    """List API keys (never the keys themselves).

    Example: medfoundry keys list
    """
    with store_session() as store:
        rows = api_keys.list_keys(store)
    if as_json:
        emit_json({"keys": [api_keys.key_to_dict(row) for row in rows]})
        return
    keys = [api_keys.key_to_dict(row) for row in rows]
    print_table(
        f"API keys ({len(rows)})",
        ("id", "name", "scope", "deployment", "expires", "revoked"),
        (
            (
                d["id"],
                d["name"],
                d["scope"],
                d["deployment"] or "-",
                d["expires_at"] or "-",
                str(d["revoked"]),
            )
            for d in keys
        ),
    )


@keys_app.command("revoke")
def revoke_key(
    key_id: str = typer.Argument(..., help="The key id (key_...)."), as_json: bool = JSON_OPTION
) -> None:
    """Revoke an API key; requests with it get 401 from then on.

    Example: medfoundry keys revoke key_01jd...
    """
    with store_session() as store:
        row = api_keys.revoke_key(store, key_id)
    if as_json:
        emit_json(api_keys.key_to_dict(row))
        return
    console.print(f"revoked {row.id}")


def serve(
    host: str = typer.Option("127.0.0.1", "--host", help="Interface to listen on."),
    port: int = typer.Option(8000, "--port", help="TCP port; 0 picks a free one."),
    backend: str = typer.Option("transformers", "--backend", help="Inference backend: transformers or vllm."),
    max_batch_size: int = typer.Option(
        32, "--max-batch-size", min=1, help="Most requests per batch (1: no batching)."
    ),
    batch_wait_ms: float = typer.Option(
        20.0, "--batch-wait-ms", min=0, help="A batch closes once no new request has arrived for this long."
    ),
    batch_max_wait_ms: float = typer.Option(
        100.0, "--batch-max-wait-ms", min=0, help="Longest a batch stays open while requests keep arriving."
    ),
    rate_limit: int = typer.Option(
        600, "--rate-limit", help="Requests per minute per API key (0: unlimited)."
    ),
    max_tokens_limit: int = typer.Option(1024, "--max-tokens-limit", help="Largest max_tokens allowed."),
    dtype: str = typer.Option("auto", "--dtype", help="auto, float32, bfloat16 or float16."),
    threads: int | None = typer.Option(
        None, "--threads", min=1, help="CPU threads for torch (default: all cores)."
    ),
) -> None:
    """Serve every active deployment over an OpenAI-compatible HTTP API.

    Example: medfoundry serve --host 127.0.0.1 --port 8000
    """
    import uvicorn

    from medfoundry.api import ServeConfig, create_app
    from medfoundry.deid.lexicon import warm as warm_lexicon
    from medfoundry.serve.backends import BackendConfig

    config = ServeConfig(
        host=host,
        port=port,
        backend=backend,
        engine=BackendConfig(
            dtype=dtype,
            max_batch_size=max_batch_size,
            batch_wait_ms=batch_wait_ms,
            batch_max_wait_ms=batch_max_wait_ms,
            threads=threads,
        ),
        rate_limit_per_minute=rate_limit,
        max_tokens_limit=max_tokens_limit,
        default_max_tokens=min(256, max_tokens_limit),
    )
    store = open_store()
    app = create_app(store, config=config)
    warm_lexicon()
    gc.freeze()  # models, modules and word lists live as long as the server: keep them out of GC sweeps
    names = sorted(app.state.medfoundry.runtime.deployments)
    if not names:
        err_console.print("no active deployments: deploy one with 'medfoundry deploy MODEL'")
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    bound_port = sock.getsockname()[1]
    shown_host = f"[{host}]" if ":" in host else host
    sys.stdout.write(f"medfoundry serving {len(names)} deployment(s) at http://{shown_host}:{bound_port}\n")
    sys.stdout.flush()
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False))
    try:
        server.run(sockets=[sock])
    finally:
        store.close()
