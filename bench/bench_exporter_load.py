"""The exporter under load: bursts of simultaneous scrapes, and floods of silent connections.

Three servers, each in its own process, over one SQLite database of 100,000 stored results and
1,000,000 LLM calls (seeded by `bench_observability.seed`), with the same registry:
- `atg`: `start_exporter` as `atg metrics serve` runs it (4 worker threads, 10 s idle timeout);
- `before`: the exporter as it was (`_previous_exporter.py`: wsgiref + ThreadingMixIn);
- `prometheus_client`: its own `start_http_server` (the named peer; serves only metrics).

1. Burst: 200 clients connect at once and GET /metrics with Prometheus' headers; 5 rounds, the
   servers taking turns within each round; a request that has no whole answer after 30 s is an
   error. Latency is from connect to the last byte (an error counts at the time it failed); the
   server process's threads are sampled from /proc every 10 ms (two are the benchmark's: the
   main thread and one that ends the process if the benchmark dies); collections (database
   reads) are counted in the server.
   Goal: atg 0 errors and p99 under 1 s.
2. Silent connections: 1,000 clients connect and send nothing; the server's threads while they
   are held, when the server closes each one (watched for 30 s), and 20 scrapes made meanwhile.

The client is one asyncio process; client and server share the machine's cores.

Usage: python bench/bench_exporter_load.py [--results 100000] [--calls 1000000] [--clients 200]
           [--rounds 5] [--silent 1000] [--output bench/results/exporter_load.json]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from bench_observability import seed

from agentic_testgen.storage import ResultStore

ROOT = Path(__file__).resolve().parents[1]
SERVERS = ("atg", "before", "prometheus_client")
SCRAPE = (
    b"GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: Prometheus/3.1.0\r\n"
    b"Accept: application/openmetrics-text;version=1.0.0;q=0.5,"
    b"application/openmetrics-text;version=0.0.1;q=0.4,text/plain;version=0.0.4;q=0.3,*/*;q=0.2\r\n"
    b"Accept-Encoding: gzip\r\nX-Prometheus-Scrape-Timeout-Seconds: 10\r\n\r\n"
)
Sample = tuple[float, str | None]  # seconds, error (None: a whole 200 answer)


# the server side: `--serve KIND`, in its own process ------------------------------------------


def serve(kind: str, url: str, counts: Path) -> None:
    """Serve `url` with the server `kind` on a free port (printed), until SIGTERM or the end of
    standard input (the benchmark died); then write how many collections (database reads) the
    scrapes made to `counts`."""
    # blocked in every thread and awaited in this one: a handler would run only once the main
    # thread wakes, and a signal delivered to a server thread does not wake it
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM})
    import _previous_exporter  # noqa: PLC0415
    from prometheus_client import start_http_server  # noqa: PLC0415

    from agentic_testgen.observability.collector import build_registry  # noqa: PLC0415
    from agentic_testgen.observability.exporter import start_exporter  # noqa: PLC0415

    store = ResultStore(url)
    collections = 0
    snapshot = store.metrics_snapshot
    lock = threading.Lock()

    def counted() -> Any:
        nonlocal collections
        with lock:
            collections += 1
        return snapshot()

    store.metrics_snapshot = counted  # type: ignore[method-assign]
    registry = build_registry(store)
    starts: dict[str, Callable[[], Any]] = {
        "atg": lambda: start_exporter(store, "127.0.0.1", 0, registry)[0],
        "before": lambda: _previous_exporter.start_exporter(store, "127.0.0.1", 0, registry)[0],
        "prometheus_client": lambda: start_http_server(0, "127.0.0.1", registry)[0],
    }
    server = starts[kind]()

    def orphaned() -> None:
        sys.stdin.read()
        os.kill(os.getpid(), signal.SIGTERM)

    threading.Thread(target=orphaned, daemon=True).start()
    print(f"port {server.server_port}", flush=True)
    signal.sigwait({signal.SIGTERM})
    with contextlib.suppress(OSError):
        counts.write_text(str(collections))
    os._exit(0)  # the old servers' threads may still wait on silent clients


@contextlib.contextmanager
def server_process(kind: str, url: str, workdir: Path, label: str) -> Iterator[dict[str, Any]]:
    counts = workdir / f"{kind}-{label}.count"
    process = subprocess.Popen(
        [sys.executable, __file__, "--serve", kind, "--db", url, "--counts", str(counts)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert process.stdout is not None
    line = process.stdout.readline()
    if not line.startswith("port "):
        process.kill()
        raise RuntimeError(f"{kind} server did not start: {line!r}")
    server = {"kind": kind, "pid": process.pid, "port": int(line.split()[1])}
    try:
        yield server
    finally:
        process.terminate()
        process.wait(timeout=60)
        server["collections"] = int(counts.read_text()) if counts.exists() else None


def threads_of(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("Threads:"):
            return int(line.split()[1])
    return 0


class ThreadSampler:
    """The server process's largest thread count while the block runs (sampled every 10 ms)."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.peak = threads_of(pid)

    async def run(self) -> None:
        while True:
            self.peak = max(self.peak, threads_of(self.pid))
            await asyncio.sleep(0.01)

    @contextlib.contextmanager
    def sampling(self) -> Iterator[None]:
        task = asyncio.get_running_loop().create_task(self.run())
        try:
            yield
        finally:
            task.cancel()


# the client side -------------------------------------------------------------------------------


async def scrape(port: int, timeout: float) -> Sample:
    began = time.perf_counter()
    writer = None
    try:
        async with asyncio.timeout(timeout):
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.write(SCRAPE)
            answer = await reader.read()
    except TimeoutError:
        return time.perf_counter() - began, "timeout"
    except OSError as error:
        return time.perf_counter() - began, type(error).__name__
    finally:
        if writer is not None:
            writer.close()
    head, _, body = answer.partition(b"\r\n\r\n")
    whole = head.split(b" ", 2)[1:2] == [b"200"] and len(body) > 1000
    return time.perf_counter() - began, None if whole else f"answer: {head[:40]!r}"


def summary(samples: list[Sample]) -> dict[str, Any]:
    seconds = sorted(s for s, _ in samples)
    errors = Counter(error for _, error in samples if error is not None)
    return {
        "requests": len(samples), "errors": sum(errors.values()), "error_kinds": dict(errors),
        "p50_ms": round(statistics.median(seconds) * 1000, 1),
        "p99_ms": round(seconds[min(len(seconds) - 1, int(0.99 * len(seconds)))] * 1000, 1),
        "max_ms": round(seconds[-1] * 1000, 1),
    }  # fmt: skip


async def burst(
    servers: list[dict[str, Any]], clients: int, rounds: int, timeout: float
) -> dict[str, Any]:
    samples: dict[str, list[Sample]] = {s["kind"]: [] for s in servers}
    per_round: dict[str, list[dict[str, Any]]] = {s["kind"]: [] for s in servers}
    peaks = dict.fromkeys(samples, 0)
    for server in servers:  # warm: connections to the database, caches
        await scrape(server["port"], timeout)
    for number in range(1, rounds + 1):
        for server in servers:
            sampler = ThreadSampler(server["pid"])
            with sampler.sampling():
                got = await asyncio.gather(*(scrape(server["port"], timeout)
                                             for _ in range(clients)))  # fmt: skip
            samples[server["kind"]] += got
            peaks[server["kind"]] = max(peaks[server["kind"]], sampler.peak)
            per_round[server["kind"]].append({"round": number, **summary(got),
                                              "peak_threads": sampler.peak})  # fmt: skip
            print(server["kind"], per_round[server["kind"]][-1], flush=True)
            await asyncio.sleep(1)
    return {
        kind: {**summary(samples[kind]), "peak_threads": peaks[kind], "rounds": per_round[kind]}
        for kind in samples
    }


async def silent(port: int, pid: int, count: int, window: float, scrapes: int) -> dict[str, Any]:
    """`count` connections that send nothing: when does the server close them, what does it
    cost in threads, and do scrapes still get through."""

    async def hold() -> float | str:
        began = time.perf_counter()
        try:
            async with asyncio.timeout(60):
                reader, writer = await asyncio.open_connection("127.0.0.1", port)
        except (TimeoutError, OSError) as error:
            return type(error).__name__
        try:
            async with asyncio.timeout(window):
                await reader.read()  # b"" (or a reset) once the server closes the connection
            return time.perf_counter() - began
        except TimeoutError:
            return "still open"
        except OSError:
            return time.perf_counter() - began
        finally:
            writer.close()

    sampler = ThreadSampler(pid)
    with sampler.sampling():
        held = [asyncio.get_running_loop().create_task(hold()) for _ in range(count)]
        await asyncio.sleep(1)
        during = [await scrape(port, 30) for _ in range(scrapes)]
        outcomes = await asyncio.gather(*held)
    closed = sorted(o for o in outcomes if isinstance(o, float))
    return {
        "connections": count, "peak_threads": sampler.peak, "watched_s": window,
        "closed_by_server": len(closed),
        "not_closed": dict(Counter(o for o in outcomes if isinstance(o, str))),
        "closed_after_s": {"min": round(closed[0], 2), "max": round(closed[-1], 2),
                           "median": round(statistics.median(closed), 2)} if closed else None,
        "scrapes_meanwhile": summary(during),
    }  # fmt: skip


def ratio(numerator: float, denominator: float) -> float | None:
    return round(numerator / denominator, 1) if denominator else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--results", type=int, default=100_000)
    parser.add_argument("--calls", type=int, default=1_000_000)
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--timeout", type=float, default=30.0, help="per request, seconds")
    parser.add_argument("--silent", type=int, default=1000)
    parser.add_argument("--window", type=float, default=30.0, help="watch silent ones this long")
    parser.add_argument("--servers", default=",".join(SERVERS))
    parser.add_argument("--output", type=Path, default=ROOT / "bench/results/exporter_load.json")
    parser.add_argument("--serve", choices=SERVERS, help=argparse.SUPPRESS)
    parser.add_argument("--db", help=argparse.SUPPRESS)
    parser.add_argument("--counts", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.serve, args.db, args.counts)
        return
    kinds = args.servers.split(",")
    report: dict[str, Any] = {"machine_cores": os.cpu_count(), "clients": args.clients,
                              "rounds": args.rounds, "timeout_s": args.timeout}  # fmt: skip
    with tempfile.TemporaryDirectory() as directory:
        workdir = Path(directory)
        url = f"sqlite:///{workdir}/evals.db"
        report["database"] = seed(ResultStore(url), args.results, args.calls)
        print(json.dumps(report["database"]), flush=True)
        with contextlib.ExitStack() as stack:  # all up at once, taking turns within each round
            servers = [stack.enter_context(server_process(kind, url, workdir, "burst"))
                       for kind in kinds]  # fmt: skip
            report["burst"] = asyncio.run(burst(servers, args.clients, args.rounds, args.timeout))
        for server in servers:
            reads = server["collections"] - 1  # less the warm-up scrape
            report["burst"][server["kind"]].update(
                collections=reads,
                collections_per_scrape=round(reads / (args.clients * args.rounds), 3),
            )
        report["silent"] = {}
        for kind in kinds:
            with server_process(kind, url, workdir, "silent") as server:
                report["silent"][kind] = asyncio.run(
                    silent(server["port"], server["pid"], args.silent, args.window, 20)
                )
            print(kind, json.dumps(report["silent"][kind]), flush=True)
    atg = report["burst"]["atg"]
    report["ratios_over_atg"] = {
        kind: {"p50": ratio(report["burst"][kind]["p50_ms"], atg["p50_ms"]),
               "p99": ratio(report["burst"][kind]["p99_ms"], atg["p99_ms"]),
               "peak_threads": ratio(report["burst"][kind]["peak_threads"], atg["peak_threads"])}
        for kind in kinds if kind != "atg"
    }  # fmt: skip
    report["goal_met"] = atg["errors"] == 0 and atg["p99_ms"] < 1000
    print(json.dumps({k: report[k] for k in ("ratios_over_atg", "goal_met")}, indent=2))
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(report, indent=2) + "\n")


if __name__ == "__main__":
    main()
