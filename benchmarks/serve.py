"""Load test of `nis serve` on loopback: requests per second, p50/p99 latency, errors.

Starts `nis serve` on a free 127.0.0.1 port (once with one worker process, once with
--workers 2), then sends a bounded number of POST /v1/check requests (the example plan
examples/isp-targeted-vague-provision.yaml, as of 2030-06-01) over a fixed number of
keep-alive connections, and stops. Every answer must be 200 with the same bytes; anything
else counts as an error, and the run exits 1 if there is one.

    .venv/bin/python benchmarks/serve.py                      # 5,000 requests, 32 at a time
    .venv/bin/python benchmarks/serve.py --requests 500 --workers 1

The client is a few lines of asyncio over raw sockets, so that on a small machine it takes
as little as possible of the CPU the server needs.
"""
from __future__ import annotations

import argparse
import asyncio
import hashlib
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PLAN = ROOT / "examples" / "isp-targeted-vague-provision.yaml"
AS_OF = "2030-06-01"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


async def one_connection(port: int, request: bytes, count: int, latencies: list, bodies: set, errors: list) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        for _ in range(count):
            started = time.perf_counter()
            writer.write(request)
            head = await reader.readuntil(b"\r\n\r\n")
            status = int(head.split(b" ", 2)[1])
            length = next(int(line.split(b":", 1)[1]) for line in head.split(b"\r\n")
                          if line.lower().startswith(b"content-length:"))
            body = await reader.readexactly(length)
            latencies.append(time.perf_counter() - started)
            if status != 200:
                errors.append(status)
            bodies.add(hashlib.sha256(body).hexdigest())
    except (OSError, asyncio.IncompleteReadError, ValueError, StopIteration) as exc:
        errors.append(type(exc).__name__)
    finally:
        writer.close()


async def load(port: int, requests: int, concurrency: int) -> tuple[float, list, set, list]:
    plan = PLAN.read_bytes()
    request = (f"POST /v1/check?as_of={AS_OF} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
               f"Content-Type: application/yaml\r\nContent-Length: {len(plan)}\r\n\r\n").encode() + plan
    latencies: list[float] = []
    bodies: set[str] = set()
    errors: list = []
    shares = [requests // concurrency + (1 if n < requests % concurrency else 0) for n in range(concurrency)]
    started = time.perf_counter()
    await asyncio.gather(*(one_connection(port, request, n, latencies, bodies, errors) for n in shares if n))
    return time.perf_counter() - started, latencies, bodies, errors


def run(workers: int, requests: int, concurrency: int) -> int:
    port = free_port()
    nis = Path(sys.executable).with_name("nis")
    server = subprocess.Popen([str(nis), "serve", "--port", str(port), "--workers", str(workers)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        else:
            print(f"workers={workers}: the server did not start")
            return 1
        asyncio.run(load(port, concurrency * 4, concurrency))  # warm up every worker
        seconds, latencies, bodies, errors = asyncio.run(load(port, requests, concurrency))
    finally:
        server.terminate()
        server.wait(30)
    latencies.sort()
    p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] if latencies else float("nan")
    mismatched = len(bodies) - 1 if bodies else 0
    print(f"workers={workers}  requests={len(latencies)}  concurrency={concurrency}  "
          f"{len(latencies) / seconds:,.0f} requests/s  p50={statistics.median(latencies) * 1000:.1f} ms  "
          f"p99={p99 * 1000:.1f} ms  errors={len(errors) + mismatched}")
    return 1 if errors or mismatched or len(latencies) != requests else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=5000)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--workers", type=int, action="append", help="worker processes (repeatable; default 1 and 2)")
    options = parser.parse_args()
    print(f"POST /v1/check with {PLAN.name} ({PLAN.stat().st_size:,} bytes) on 127.0.0.1")
    return max(run(w, options.requests, options.concurrency) for w in options.workers or [1, 2])


if __name__ == "__main__":
    sys.exit(main())
