"""Fixed-rate HTTP load with latency measured from each request's scheduled start.

Requests are due at a fixed rate whether or not earlier ones have been answered. A request
that waits for a free connection counts that wait in its latency, the correction that wrk2
applies for coordinated omission. Connections are HTTP/1.1 keep-alive over plain TCP on
loopback. Prints one JSON object: requests sent, answers other than 200, achieved rate, and
latency percentiles in milliseconds.

Usage: fixed_rate.py --base http://127.0.0.1:PORT --rate 1000 --seconds 20
           (--path /api/v1/me | --paths-file FILE) [--tokens-file FILE] [--connections 32]
The paths file has one path per line; the tokens file one bearer token per line. Each request
picks one of each at random. Tokens are never printed.
"""

import argparse
import asyncio
import json
import random
import time
from urllib.parse import urlsplit


def parse_arguments():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", required=True, help="server base URL, http only")
    parser.add_argument("--rate", type=float, required=True, help="requests per second")
    parser.add_argument("--seconds", type=float, required=True, help="length of the run")
    parser.add_argument("--connections", type=int, default=32, help="keep-alive connections")
    parser.add_argument("--path", help="the one path to request")
    parser.add_argument("--paths-file", help="file of paths, one per line, picked at random")
    parser.add_argument("--tokens-file", help="file of bearer tokens, one per line")
    arguments = parser.parse_args()
    if (arguments.path is None) == (arguments.paths_file is None):
        parser.error("give exactly one of --path and --paths-file")
    return arguments


def read_lines(path):
    with open(path, encoding="utf-8") as file:
        return [line.strip() for line in file if line.strip()]


async def read_response(reader):
    """Reads one response and returns its status code. Needs a Content-Length header."""
    status_line = await reader.readline()
    if not status_line:
        raise ConnectionError("the server closed the connection")
    status = int(status_line.split()[1])
    length = 0
    while True:
        line = await reader.readline()
        if line in (b"\r\n", b"\n", b""):
            break
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    if length:
        await reader.readexactly(length)
    return status


async def run(arguments):
    base = urlsplit(arguments.base)
    paths = [arguments.path] if arguments.path else read_lines(arguments.paths_file)
    tokens = read_lines(arguments.tokens_file) if arguments.tokens_file else [None]
    host_header = f"{base.hostname}:{base.port}"

    def build_request():
        lines = [f"GET {random.choice(paths)} HTTP/1.1", f"Host: {host_header}"]
        token = random.choice(tokens)
        if token:
            lines.append(f"Authorization: Bearer {token}")
        return ("\r\n".join(lines) + "\r\n\r\n").encode()

    total = int(arguments.rate * arguments.seconds)
    due = asyncio.Queue()
    latencies = []
    failures = {"non_200": 0, "errors": 0}
    started = time.perf_counter() + 0.2

    async def connection_worker():
        reader, writer = await asyncio.open_connection(base.hostname, base.port)
        while True:
            scheduled = await due.get()
            if scheduled is None:
                writer.close()
                return
            delay = scheduled - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            try:
                writer.write(build_request())
                status = await read_response(reader)
            except (ConnectionError, asyncio.IncompleteReadError):
                failures["errors"] += 1
                reader, writer = await asyncio.open_connection(base.hostname, base.port)
                continue
            latencies.append(time.perf_counter() - scheduled)
            if status != 200:
                failures["non_200"] += 1

    workers = [asyncio.create_task(connection_worker()) for _ in range(arguments.connections)]
    # Puts each request on the queue when it is due, so a free connection sends it at once
    # and a busy pool makes it wait, with the wait counted.
    for index in range(total):
        scheduled = started + index / arguments.rate
        delay = scheduled - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        due.put_nowait(scheduled)
    for _ in workers:
        due.put_nowait(None)
    await asyncio.gather(*workers)
    elapsed = time.perf_counter() - started

    latencies.sort()

    def percentile(fraction):
        if not latencies:
            return None
        return round(latencies[min(len(latencies) - 1, int(fraction * len(latencies)))] * 1000, 2)

    return {
        "requests": len(latencies),
        "non_200": failures["non_200"],
        "connection_errors": failures["errors"],
        "achieved_rate": round(len(latencies) / elapsed, 1),
        "p50_ms": percentile(0.50),
        "p90_ms": percentile(0.90),
        "p99_ms": percentile(0.99),
        "p999_ms": percentile(0.999),
        "max_ms": round(latencies[-1] * 1000, 2) if latencies else None,
    }


if __name__ == "__main__":
    print(json.dumps(asyncio.run(run(parse_arguments()))))
