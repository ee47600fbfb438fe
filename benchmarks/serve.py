"""Rebuild times under `mkdocs serve`: what an author waits for after saving a page.

A server is started on the manual, a page is edited (a comment appended) once per rebuild,
and the time MkDocs reports for the first build and for each rebuild ("Documentation built
in 1.23 seconds") is kept; the page is restored afterwards. MkDocs' own figure leaves out
Python's start-up and the file watcher's latency, which are the same with or without qmsdocs,
so the first build is the fair comparison for the rebuilds.

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
_SERVING_RE = re.compile(r"Serving on http")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def rebuild_times(
    config: Path, page: Path, rebuilds: int = 3, timeout: float = 300
) -> tuple[float, list[float]]:
    """Seconds MkDocs reports for the first build and for each of `rebuilds` rebuilds after
    editing `page`."""
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

    def wait_for(pattern: re.Pattern[str], edit: bytes | None = None) -> re.Match[str]:
        """The next server line matching `pattern`; while waiting, `edit` is written again
        every few seconds, in case the watcher missed the first write."""
        deadline = time.monotonic() + timeout
        rewrite = time.monotonic() + 5
        while time.monotonic() < deadline:
            try:
                line = lines.get(timeout=1)
            except queue.Empty:
                if server.poll() is not None:
                    raise SystemExit(f"mkdocs serve stopped (exit {server.returncode})") from None
                if edit is not None and time.monotonic() > rewrite:
                    page.write_bytes(edit)
                    rewrite = time.monotonic() + 5
                continue
            match = pattern.search(line)
            if match:
                return match
        raise SystemExit(f"mkdocs serve on {config}: nothing within {timeout:.0f} s")

    times = []
    first = 0.0
    try:
        first = float(wait_for(_BUILT_RE).group(1))
        wait_for(_SERVING_RE)  # the file watcher runs from here on
        for index in range(rebuilds):
            time.sleep(0.5)  # let the watcher settle after the previous build
            edit = original + f"\n<!-- edit {index} -->\n".encode()
            page.write_bytes(edit)
            times.append(float(wait_for(_BUILT_RE, edit).group(1)))
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
    return first, times


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
