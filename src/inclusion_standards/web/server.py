"""Running the web application: the token, the loopback rule, logging, and uvicorn.

A server bound to this machine only (the default, 127.0.0.1) may run without a token. One
bound beyond it refuses to start without a token (from NIS_SERVE_TOKEN or --token-file)
unless the person starting it waives that in so many words (--no-auth).
"""
from __future__ import annotations

import dataclasses
import ipaddress
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypedDict

import uvicorn
from fastapi import FastAPI

from .app import Settings, create_app

TOKEN_ENV = "NIS_SERVE_TOKEN"  # noqa: S105 - an environment variable's name, not a password
SETTINGS_ENV = "NIS_SERVE_SETTINGS"  # hands the settings (never the token) to worker processes
MIN_TOKEN = 16

LOG_CONFIG: dict[str, Any] = {  # logging.config.dictConfig's nested schema
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "plain", "stream": "ext://sys.stderr"}},
    "loggers": {
        "uvicorn": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
        # uvicorn's access log would print each query string: the guard writes the only request line
        "uvicorn.access": {"handlers": [], "level": "CRITICAL", "propagate": False},
        "inclusion_standards.web": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
    },
}


class _UvicornOptions(TypedDict):
    """What every way of running the server passes to `uvicorn.run`."""

    host: str
    port: int
    access_log: bool
    server_header: bool
    log_config: dict[str, Any]


class ServeError(Exception):
    """The server cannot start as asked (the message says why and what to do)."""


def read_token(token_file: Path | None) -> str | None:
    """The bearer token: the first line of `token_file`, else NIS_SERVE_TOKEN, else None."""
    token: str | None
    if token_file is not None:
        try:
            lines = token_file.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            raise ServeError(f"cannot read the token file {token_file}: {exc}") from None
        token = lines[0].strip() if lines else ""
        if not token:
            raise ServeError(f"the token file {token_file} is empty")
    else:
        token = os.environ.get(TOKEN_ENV, "").strip() or None
    if token is not None and len(token) < MIN_TOKEN:
        raise ServeError(f"the token is {len(token)} characters long; use at least {MIN_TOKEN} (hint: python -c "
                         "\"import secrets; print(secrets.token_urlsafe(32))\")")
    return token


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def serve(*, host: str, port: int, standards: Path | None, workers: int, token_file: Path | None,
          no_auth: bool, time_limit: float, echo: Callable[[str], None]) -> None:
    """Check the settings, load the standards, and serve until stopped."""
    token = read_token(token_file)
    if token is None and not is_loopback(host) and not no_auth:
        raise ServeError(f"--host {host} serves beyond this machine: give a token (set {TOKEN_ENV}, or "
                         "--token-file FILE), or pass --no-auth to serve without one")
    settings = Settings(standards=str(standards) if standards is not None else None, token=token,
                        time_limit=time_limit)
    app = create_app(settings)  # broken standards stop here, before the port is opened
    where = f"http://{host if ':' not in host else f'[{host}]'}:{port}"
    echo(f"nis serve: the page at {where}/, the API at {where}/v1 (described at {where}/openapi.json)")
    if token is None and not is_loopback(host):
        echo("nis serve: WARNING: serving beyond this machine without a token (--no-auth)")
    elif token is not None:
        echo("nis serve: the API and the page ask for the bearer token")
    options: _UvicornOptions = {"host": host, "port": port, "access_log": False, "server_header": False,
                                "log_config": LOG_CONFIG}
    if workers == 1:
        uvicorn.run(app, **options)
        return
    os.environ[SETTINGS_ENV] = json.dumps({k: v for k, v in dataclasses.asdict(settings).items() if k != "token"})
    if token is not None:
        os.environ[TOKEN_ENV] = token
    uvicorn.run(f"{__name__}:app_from_environment", factory=True, workers=workers, **options)


def app_from_environment() -> FastAPI:
    """The application in a worker process started by `serve --workers N`."""
    settings = json.loads(os.environ[SETTINGS_ENV])
    return create_app(Settings(**settings, token=os.environ.get(TOKEN_ENV) or None))
