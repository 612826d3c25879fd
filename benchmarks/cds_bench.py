"""Load benchmark of the CDS Hooks service: bounded, loopback only, stops by itself.

For 1 and 2 workers it starts `assistant serve` on 127.0.0.1 (a free port), then:
  - paced: a fixed number of patient-view calls sent at a fixed rate (default 100 per second,
    open loop: each call leaves on its schedule whether or not earlier ones returned), and prints the
    achieved rate and the p50 / p99 / max latency;
  - flat out: a fixed number of calls from a few concurrent clients, and prints requests per second.
The bodies cycle over the synthetic patients of assistant/service/examples.py. Each call has a
timeout, the whole run a deadline, and the servers are stopped at the end.

    .venv/bin/python benchmarks/cds_bench.py [--requests 1000] [--rate 100] [--concurrency 8]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx

from assistant.service.examples import hook_request, patients

TARGET_P99_MS = 50.0
CALL_TIMEOUT_S = 10.0
RUN_DEADLINE_S = 600.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(workers: int) -> tuple[subprocess.Popen, str]:
    port = free_port()
    exe = Path(sys.executable).parent / "assistant"
    proc = subprocess.Popen(
        [str(exe), "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            if httpx.get(base + "/cds-services", timeout=1).status_code == 200:
                return proc, base
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline or proc.poll() is not None:
            proc.kill()
            raise SystemExit("the service did not start")
        time.sleep(0.2)


def server_cpu_s(root: int) -> float:
    """User + system CPU seconds used so far by the server process and its direct children (the workers),
    from /proc: a figure machine load does not inflate, unlike latency."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid, ppid = int(entry), int(fields[1])
        if pid == root or ppid == root:
            total += (int(fields[11]) + int(fields[12])) / tick
    return total


def bodies() -> list[bytes]:
    return [json.dumps(hook_request(p["prefetch"], patient_id="bench")).encode() for p in patients().values()]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered)) - 1))]


class Connections:
    """A small keep-alive HTTP/1.1 client on raw asyncio streams: the load generator shares the machine's two
    cores with the server, so it must cost far less per call than a full client library would."""

    def __init__(self, base: str, cap: int) -> None:
        host, port = base.removeprefix("http://").split(":")
        self.host, self.port, self.cap = host, int(port), cap
        self.idle: list[tuple[asyncio.StreamReader, asyncio.StreamWriter]] = []
        self.opened = 0
        self.freed = asyncio.Condition()

    async def _get(self) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        async with self.freed:
            while not self.idle and self.opened >= self.cap:
                await self.freed.wait()
            if self.idle:
                return self.idle.pop()
            self.opened += 1
        return await asyncio.open_connection(self.host, self.port)

    async def _put(self, conn: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None) -> None:
        async with self.freed:
            if conn is None:
                self.opened -= 1
            else:
                self.idle.append(conn)
            self.freed.notify()

    async def post(self, request: bytes) -> int:
        """Send one prepared request; return the status (0 when it failed twice). An idle keep-alive connection
        the server closed (uvicorn closes them after 5 s) is replaced once, as any client does."""
        status = await self._post_once(request)
        return status if status else await self._post_once(request, fresh=True)

    async def _post_once(self, request: bytes, fresh: bool = False) -> int:
        if fresh:
            async with self.freed:
                while self.opened >= self.cap:
                    await self.freed.wait()
                self.opened += 1
            try:
                conn = await asyncio.open_connection(self.host, self.port)
            except OSError:
                await self._put(None)
                return 0
        else:
            conn = await self._get()
        reader, writer = conn
        try:
            writer.write(request)
            head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), CALL_TIMEOUT_S)
            status = int(head[9:12])
            length = 0
            for line in head.split(b"\r\n"):
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":", 1)[1])
            await asyncio.wait_for(reader.readexactly(length), CALL_TIMEOUT_S)
        except (TimeoutError, OSError, asyncio.IncompleteReadError, ValueError):
            writer.close()
            await self._put(None)
            return 0
        await self._put(conn)
        return status

    async def close(self) -> None:
        for _reader, writer in self.idle:
            writer.close()


def requests_bytes(base: str) -> list[bytes]:
    host = base.removeprefix("http://")
    out = []
    for body in bodies():
        head = (f"POST /cds-services/bone-health HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n"
                f"Content-Length: {len(body)}\r\n\r\n").encode()
        out.append(head + body)
    return out


async def paced(base: str, n: int, rate: float) -> dict[str, float]:
    prepared = requests_bytes(base)
    latencies: list[float] = []
    lags: list[float] = []
    failed: list[int] = []
    errors = 0
    pool = Connections(base, cap=64)
    for i in range(20):  # warm-up (not counted)
        await pool.post(prepared[i % len(prepared)])

    async def one(i: int, at: float) -> None:
        nonlocal errors
        delay = at - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        t0 = time.perf_counter()
        lags.append((t0 - at) * 1000)
        status = await pool.post(prepared[i % len(prepared)])
        latencies.append((time.perf_counter() - t0) * 1000)
        if status != 200:
            errors += 1
            failed.append(status)

    start = time.perf_counter() + 0.05
    t0 = time.perf_counter()
    await asyncio.gather(*(one(i, start + i / rate) for i in range(n)))
    elapsed = time.perf_counter() - t0
    await pool.close()
    return {
        "rate": n / elapsed,
        "p50": statistics.median(latencies),
        "p99": percentile(latencies, 99),
        "max": max(latencies),
        "errors": errors,
        "lag_p99": percentile(lags, 99),
        "failed": sorted(set(failed)),
    }


async def flat_out(base: str, n: int, concurrency: int) -> dict[str, float]:
    prepared = requests_bytes(base)
    latencies: list[float] = []
    errors = 0
    counter = iter(range(n))
    pool = Connections(base, cap=concurrency)

    async def worker() -> None:
        nonlocal errors
        for i in counter:
            t0 = time.perf_counter()
            errors += await pool.post(prepared[i % len(prepared)]) != 200
            latencies.append((time.perf_counter() - t0) * 1000)

    t0 = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    elapsed = time.perf_counter() - t0
    await pool.close()
    return {"rps": n / elapsed, "p50": statistics.median(latencies), "p99": percentile(latencies, 99),
            "errors": errors}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--requests", type=int, default=1000)
    ap.add_argument("--rate", type=float, default=100.0)
    ap.add_argument("--concurrency", type=int, default=8)
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    args = ap.parse_args()
    if not (1 <= args.requests <= 20_000 and 1 <= args.rate <= 2_000 and 1 <= args.concurrency <= 64):
        raise SystemExit("bounded by design: --requests 1..20000, --rate 1..2000, --concurrency 1..64")
    began = time.monotonic()
    print(f"CDS Hooks service, loopback, {args.requests} patient-view calls per run "
          f"(synthetic patients, {len(bodies())} bodies in turn)")
    print(f"{'workers':>7}  {'mode':<22} {'req/s':>7} {'p50 ms':>7} {'p99 ms':>7} {'max ms':>7} {'errors':>6}")
    for workers in args.workers:
        if time.monotonic() - began > RUN_DEADLINE_S:
            print("deadline reached: stopping")
            break
        proc, base = start_server(workers)
        try:
            p = asyncio.run(paced(base, args.requests, args.rate))
            print(f"{workers:>7}  {f'paced {args.rate:g}/s':<22} {p['rate']:>7.1f} {p['p50']:>7.1f} {p['p99']:>7.1f} "
                  f"{p['max']:>7.1f} {p['errors']:>6}  (p99 target < {TARGET_P99_MS:g} ms: "
                  f"{'met' if p['p99'] < TARGET_P99_MS else 'NOT met'}; client send lag p99 {p['lag_p99']:.1f} ms"
                  + (f"; failed with status {p['failed']} (0: no answer)" if p["failed"] else "") + ")")
            cpu0 = server_cpu_s(proc.pid)
            f = asyncio.run(flat_out(base, args.requests, args.concurrency))
            cpu_ms = (server_cpu_s(proc.pid) - cpu0) * 1000 / args.requests
            print(f"{workers:>7}  {f'flat out, {args.concurrency} clients':<22} {f['rps']:>7.1f} {f['p50']:>7.1f} "
                  f"{f['p99']:>7.1f} {'':>7} {f['errors']:>6}  (server CPU {cpu_ms:.2f} ms per call)")
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
