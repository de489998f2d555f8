"""Every `nis serve` and `curl` command line in the docs works as written.

Each shell block of README.md, docs/web.md and docs/cli.md that serves or calls the web API
runs in order in a temporary folder holding a copy of `examples/`: a `nis serve` line starts a
server (on a free port instead of the one written), the other lines run in bash and must exit 0
(the docs' curl lines use --fail-with-body, so any HTTP error fails them). A block that only
calls the API runs against a plain `nis serve`. Only the port is changed, and only on the
loopback address the docs use.
"""
from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

pytest.importorskip("fastapi", reason="the web extra is not installed")

ROOT = Path(__file__).resolve().parents[1]
DOCS = ("README.md", "docs/web.md", "docs/cli.md")
WRITTEN_PORT = re.compile(r"127\.0\.0\.1:(\d+)")


def blocks() -> list[tuple[str, list[str]]]:
    found = []
    for name in DOCS:
        text = (ROOT / name).read_text(encoding="utf-8")
        for n, block in enumerate(re.findall(r"```sh\n(.*?)```", text, flags=re.S)):
            lines = [line for line in block.splitlines() if line.strip() and not line.startswith("#")]
            if any("nis serve" in line or line.startswith("curl ") for line in lines):
                found.append((f"{name}#{n}", lines))
    return found


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_the_docs_show_the_server_and_the_api():
    lines = [line for _, block in blocks() for line in block]
    assert sum("nis serve" in line for line in lines) >= 4
    for path in ("/healthz", "/v1/standards", "/v1/check?", "/v1/explain?", "/v1/check/batch?", "/v1/schemas/isp",
                 "/openapi.json", "Authorization: Bearer"):
        assert any(path in line for line in lines), path


@pytest.mark.parametrize("name, lines", blocks(), ids=[name for name, _ in blocks()])
def test_every_serve_and_curl_line_in_the_docs_works(name, lines, tmp_path):
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    env.pop("NIS_SERVE_TOKEN", None)
    if not any("nis serve" in line for line in lines):
        lines = ["nis serve", *lines]
    servers: list[subprocess.Popen] = []
    ports: dict[str, int] = {}
    try:
        for line in lines:
            if "nis serve" in line:
                written = re.search(r"--port (\d+)", line)
                port = free_port()
                ports[written.group(1) if written else "8000"] = port
                command = (re.sub(r"--port \d+", f"--port {port}", line) if written else f"{line} --port {port}")
                log = (tmp_path / f"server-{port}.log").open("w")
                servers.append(subprocess.Popen(["bash", "-c", f"exec {command}"], cwd=tmp_path, env=env,
                                                stdout=log, stderr=log))
                wait_until_up(port, servers[-1], tmp_path / f"server-{port}.log")
                continue
            command = WRITTEN_PORT.sub(lambda m: f"127.0.0.1:{ports.get(m.group(1), m.group(1))}", line)
            done = subprocess.run(["bash", "-c", f"set -euo pipefail; {command}"], cwd=tmp_path, env=env,
                                  capture_output=True, text=True, timeout=120)
            assert done.returncode == 0, (name, line, done.stdout[-2000:], done.stderr[-2000:])
            if line.startswith("curl ") and " -o " not in line:
                assert done.stdout.strip(), (name, line)
    finally:
        for server in servers:
            server.terminate()
            server.wait(10)


def wait_until_up(port: int, server: subprocess.Popen, log: Path) -> None:
    for _ in range(300):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
            return
        except OSError:
            if server.poll() is not None:
                pytest.fail(f"nis serve stopped: {log.read_text()}")
            time.sleep(0.1)
    pytest.fail(f"nis serve did not answer: {log.read_text()}")
