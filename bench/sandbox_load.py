"""Sandbox benchmark: time to build each size, and request latency under concurrent load.

    .venv/bin/python -m bench.sandbox_load [--sizes small,medium,large] [--requests 400] [--workers 8]

Prints a table and one JSON line. Load is sent only to a sandbox this script starts on
127.0.0.1, bounded in count, and the server is stopped at the end.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx2

ROOT = Path(__file__).resolve().parents[1]


def build_times(size: str) -> dict[str, float]:
    """Seconds to generate the demo data and to build the app (database + indexes) from it."""
    from sandbox.app import create_app
    from sandbox.config import SandboxConfig
    from sandbox.seed import generate

    started = time.perf_counter()
    data = generate(seed=7, size=size)  # type: ignore[arg-type]  # a str from --sizes: an unknown size fails at run time
    generated = time.perf_counter()
    app = create_app(SandboxConfig(size=size, seed=7), data)  # type: ignore[arg-type]  # a str from --sizes: an unknown size fails at run time
    built = time.perf_counter()
    app.state.sandbox.close()
    return {"generate_s": generated - started, "build_s": built - generated}


def start_server(size: str) -> tuple[subprocess.Popen[str], str, float]:
    """Start ``python -m sandbox`` and return it, its URL and the seconds until it listened."""
    started = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "sandbox", "--port", "0", "--size", size],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert proc.stdout is not None
    for line in proc.stdout:
        if line.startswith("sandbox listening on "):
            url = line.split("sandbox listening on ", 1)[1].strip()
            threading.Thread(target=proc.stdout.read, daemon=True).start()
            return proc, url, time.perf_counter() - started
    raise RuntimeError("the sandbox exited before listening")


def token_for(url: str) -> str:
    """Go through the OAuth flow headlessly (Approve, then the code exchange)."""
    params = {
        "response_type": "code",
        "client_id": "sandbox-client",
        "redirect_uri": "http://127.0.0.1:8501/",
        "state": "bench",
    }
    with httpx2.Client(base_url=url, follow_redirects=False) as http:
        answer = http.post("/oauth/authorize", data={**params, "decision": "approve"})
        code = httpx2.URL(answer.headers["location"]).params["code"]
        body = http.post(
            "/auth/oauth/token",
            data={
                "grant_type": "authorization_code",
                "code": code,
                "client_id": "sandbox-client",
                "client_secret": "sandbox-secret",
                "redirect_uri": "http://127.0.0.1:8501/",
            },
        ).json()
        return str(body["access_token"])


def load(url: str, requests: int, workers: int) -> dict[str, Any]:
    """Send ``requests`` list-page GETs with ``workers`` in flight; latency percentiles in ms."""
    token = token_for(url)
    headers = {"Authorization": f"Bearer {token}"}
    with httpx2.Client(base_url=url, headers=headers, timeout=30) as http:
        me = http.get("/auth/api/v1/users/me").json()["response"]
        business = next(
            m["business"] for m in me["business_memberships"] if m["business"]["account_id"]
        )
        account, biz = business["account_id"], business["id"]
        paths = [
            f"/accounting/account/{account}/invoices/invoices?per_page=100&include[]=lines&page={{p}}",
            f"/accounting/account/{account}/expenses/expenses?per_page=100&page={{p}}",
            f"/timetracking/business/{biz}/time_entries?per_page=100&page={{p}}",
            f"/accounting/account/{account}/users/clients?per_page=100&page={{p}}",
        ]
        latencies: list[float] = []
        statuses: dict[int, int] = {}
        lock = threading.Lock()

        def one(i: int) -> None:
            path = paths[i % len(paths)].format(p=1 + (i // len(paths)) % 20)
            started = time.perf_counter()
            status = http.get(path).status_code
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                latencies.append(elapsed)
                statuses[status] = statuses.get(status, 0) + 1

        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=workers) as pool:
            list(pool.map(one, range(requests)))
        wall = time.perf_counter() - started
    latencies.sort()
    pick = lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))]  # noqa: E731
    return {
        "requests": requests,
        "workers": workers,
        "p50_ms": round(statistics.median(latencies), 1),
        "p95_ms": round(pick(0.95), 1),
        "p99_ms": round(pick(0.99), 1),
        "throughput_rps": round(requests / wall, 1),
        "statuses": statuses,
    }


def main() -> None:
    """Run the benchmark and print a table and one JSON line."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="small,medium,large")
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--workers", type=int, default=8)
    args = parser.parse_args()
    results: dict[str, Any] = {}
    for size in args.sizes.split(","):
        row: dict[str, Any] = build_times(size)
        proc, url, listen_s = start_server(size)
        try:
            row["server_listening_s"] = listen_s
            row.update(load(url, args.requests, args.workers))
        finally:
            proc.terminate()
            proc.wait(timeout=10)
        results[size] = {k: round(v, 2) if isinstance(v, float) else v for k, v in row.items()}
        print(
            f"{size:7} generate {row['generate_s']:6.2f}s  build {row['build_s']:6.2f}s  "
            f"listening {listen_s:6.2f}s  p50 {row['p50_ms']:7.1f}ms  p95 {row['p95_ms']:7.1f}ms  "
            f"p99 {row['p99_ms']:7.1f}ms  {row['throughput_rps']:7.1f} req/s  {row['statuses']}",
            flush=True,
        )
    print(json.dumps({"bench": "sandbox_load", "results": results}))


if __name__ == "__main__":
    main()
