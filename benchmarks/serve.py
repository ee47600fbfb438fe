"""Rebuild times under `mkdocs serve`: what an author waits for after saving a page.

A server is started on the manual, a page is edited (a comment appended) once per rebuild,
and the time MkDocs reports for each rebuild ("Documentation built in 1.23 seconds") is
kept; the page is restored afterwards. MkDocs' own figure leaves out the file watcher's
latency, which is the same with or without qmsdocs.

Usage:
    python benchmarks/serve.py path/to/mkdocs.yml path/to/docs/page.md [--rebuilds 3]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import queue
import re
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

__all__ = ["rebuild_times"]

_BUILT_RE = re.compile(r"Documentation built in ([0-9.]+) seconds")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def rebuild_times(config: Path, page: Path, rebuilds: int = 3, timeout: float = 300) -> list[float]:
    """Seconds MkDocs reports for each of `rebuilds` rebuilds after editing `page`."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    command = [
        sys.executable,
        "-m",
        "mkdocs",
        "serve",
        "-f",
        str(config),
        "-a",
        f"127.0.0.1:{_free_port()}",
    ]
    original = page.read_bytes()
    server = subprocess.Popen(
        command, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True, env=env
    )
    lines: queue.Queue[str] = queue.Queue()

    def read() -> None:
        assert server.stderr is not None
        for line in server.stderr:
            lines.put(line)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()

    def next_build() -> float:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = lines.get(timeout=1)
            except queue.Empty:
                if server.poll() is not None:
                    raise SystemExit(f"mkdocs serve stopped (exit {server.returncode})") from None
                continue
            match = _BUILT_RE.search(line)
            if match:
                return float(match.group(1))
        raise SystemExit(f"no rebuild of {config} within {timeout:.0f} s")

    times = []
    try:
        next_build()  # the first build
        for index in range(rebuilds):
            time.sleep(0.5)  # let the watcher settle after the previous build
            page.write_bytes(original + f"\n<!-- edit {index} -->\n".encode())
            times.append(next_build())
    finally:
        page.write_bytes(original)
        server.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            server.wait(timeout=10)
        if server.poll() is None:
            server.kill()
            server.wait()
        reader.join(timeout=10)
        if server.stderr is not None:
            server.stderr.close()
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("config", type=Path)
    parser.add_argument("page", type=Path)
    parser.add_argument("--rebuilds", type=int, default=3)
    args = parser.parse_args()
    print(json.dumps(rebuild_times(args.config, args.page, args.rebuilds)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
