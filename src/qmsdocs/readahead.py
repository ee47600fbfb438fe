"""Reading the manual's pages in a second process while the site generator renders them.

Reading a page's source for the verdict (`qmsdocs.assessment.Assessor.page`) depends on the
page's source and the build's options and data, and on nothing the site generator does; the
generator, meanwhile, spends ten times as long on each page rendering it, on one core. So, on
a machine that can fork, a child process made once the manual's files are known reads every
page in the order they will be rendered and hands each reading back through a pipe; the build
takes a page's reading from there when it reaches the page, if and only if the source it reads
then is the one the child read (`ReadAhead.take` compares digests), and reads the page itself
otherwise. The readings are the same either way: the child is a copy of the build's process,
with the same assessor. Once every page is read, the child may do one more thing the build will
need later (`then`: compiling the generated pages' templates) and send its result.

The child only reads and writes to its pipe: it never logs, prints or writes a file, and it
ends with `os._exit`, so that nothing of the parent's (buffers, exit handlers) runs twice. It
is made only where forking is safe: Linux, and a process with no other thread (a live server
has several; forking those can deadlock).
"""

from __future__ import annotations

import contextlib
import gc
import os
import pickle
import signal
import sys
import threading
from collections.abc import Callable, Sequence
from typing import IO, Generic, TypeVar

from qmsdocs.readcache import source_digest

__all__ = ["ReadAhead", "can_fork"]

# What the child sends when it has sent all it will send.
_DONE = None

R = TypeVar("R")  # a page's reading (`qmsdocs.assessment.PageAssessment` in a build)
Source = Callable[[], str]


def can_fork() -> bool:
    """Whether a reading child can be made safely here."""
    return (
        sys.platform.startswith("linux") and hasattr(os, "fork") and threading.active_count() == 1
    )


class ReadAhead(Generic[R]):
    """The readings a child process sends back, taken page by page.

    Make one with `start`; call `take` for each page as it is rendered, and `close` once no
    more are needed (it also reaps the child).

    Attributes:
        taken: How many readings were used (for tests and benchmarks).
    """

    def __init__(self, pid: int, stream: IO[bytes]) -> None:
        self.taken = 0
        self._pid = pid
        self._stream: IO[bytes] | None = stream
        self._received: dict[str, tuple[str, R]] = {}
        self._then: object = None

    @classmethod
    def start(
        cls,
        pages: Sequence[tuple[str, Source]],
        read: Callable[[str, str], R],
        then: Callable[[], object] | None = None,
        *,
        at_once: bool = False,
    ) -> ReadAhead[R] | None:
        """Fork a child that reads `pages` ((docs path, its source) in rendering order) with
        `read(path, text)`, then calls `then()`; None where no child can be made.

        The child sends each reading as soon as it has it, for a caller that takes them one by
        one while it does its own work; a pipe holds only a few dozen, so a caller that reads
        other pages meanwhile and takes these later asks for them `at_once`, all in one
        message at the end (the child would otherwise wait for the caller to make room)."""
        if not can_fork():
            return None
        try:
            readable, writable = os.pipe()
            pid = os.fork()
        except OSError:
            return None
        if pid == 0:  # pragma: no cover - the child's side; its output is what tests check
            os.close(readable)
            _child(pages, read, then, writable, at_once)
        os.close(writable)
        return cls(pid, os.fdopen(readable, "rb"))

    def take(self, path: str, text: str) -> R | None:
        """The child's reading of the page at `path` if it read the same `text`; None if it
        read another text, could not read the page, or has stopped."""
        while path not in self._received and self._receive():
            pass
        kept = self._received.pop(path, None)
        if kept is None or kept[0] != source_digest(text):
            return None
        self.taken += 1
        return kept[1]

    def then(self) -> object:
        """What `then()` returned in the child (None if it failed or the child stopped); the
        readings not taken yet are let go."""
        while self._receive():
            pass
        self._received.clear()
        return self._then

    def _receive(self) -> bool:
        """Take the child's next message; False once it has sent all it will send."""
        if self._stream is None:
            return False
        try:
            message = pickle.load(self._stream)
        except Exception:  # a child that died half-way: what it did not send is read here
            message = _DONE
        if message is _DONE:
            self._end()
            return False
        if message[0] == "then":
            self._then = message[1]
        elif message[0] == "pages":
            self._received.update((path, (digest, reading)) for path, digest, reading in message[1])
        else:
            _kind, path, digest, reading = message
            self._received[path] = (digest, reading)
        return True

    def close(self) -> None:
        """Stop the child if it still runs, and reap it."""
        self._received.clear()
        self._end()

    def _end(self) -> None:
        if self._stream is None:
            return
        self._stream.close()
        self._stream = None
        # Ended, or about to end at its next write into the closed pipe; do not wait for that.
        with contextlib.suppress(ProcessLookupError):
            os.kill(self._pid, signal.SIGKILL)
        with contextlib.suppress(ChildProcessError):
            os.waitpid(self._pid, 0)

    def __del__(self) -> None:
        self._end()


def _child(  # pragma: no cover
    pages: Sequence[tuple[str, Source]],
    read: Callable[[str, str], object],
    then: Callable[[], object] | None,
    fd: int,
    at_once: bool,
) -> None:
    """Read every page and send each reading, then `then()`'s result; never return."""
    # A short-lived copy of the parent: collecting its garbage would only touch (and so copy)
    # the parent's whole heap.
    gc.disable()
    status = 0
    try:
        with os.fdopen(fd, "wb") as stream:
            kept = []
            for path, source in pages:
                try:
                    text = source()
                    reading = read(path, text)
                except Exception:  # the build reads this page itself, and says why
                    continue
                if at_once:
                    kept.append((path, source_digest(text), reading))
                    continue
                message = ("page", path, source_digest(text), reading)
                pickle.dump(message, stream, pickle.HIGHEST_PROTOCOL)
                stream.flush()
            if at_once:
                pickle.dump(("pages", kept), stream, pickle.HIGHEST_PROTOCOL)
            if then is not None:
                with contextlib.suppress(Exception):  # the build does it itself
                    pickle.dump(("then", then()), stream, pickle.HIGHEST_PROTOCOL)
            pickle.dump(_DONE, stream)
    except BaseException:  # the parent stopped listening, or was interrupted
        status = 1
    finally:
        os._exit(status)
