"""Rendering in this process, or in forked ones each kept to its own part of the site."""

from __future__ import annotations

import collections
import gc
import multiprocessing
import queue
from collections.abc import Iterator
from typing import Protocol
from urllib.parse import unquote

from django.db import connections

from .plan import XML, Target
from .rewriter import Produced


def _affinity(key: str, depth: int) -> str:
    """'/en/news/story/' → 'en' (depth 1) or 'en/news' (depth 2): pages that show the same
    teasers, photos and navigation, which a process renders once and then copies."""
    return "/".join(unquote(key).lstrip("/").split("/")[:depth])


class _Stream(Protocol):
    """Rendered pages as they come, to which more pages can be added on the way."""

    def __iter__(self) -> Iterator[Produced]: ...

    def add(self, targets: list[Target]) -> None: ...


class Producer(Protocol):
    """What renders and writes one file: the builder, here or in a forked process."""

    def produce(self, target: Target) -> Produced: ...


class _InProcess:
    def __init__(self, builder: Producer, targets: list[Target]) -> None:
        self.builder = builder
        self.queue = collections.deque(targets)

    def add(self, targets: list[Target]) -> None:
        self.queue.extend(targets)

    def __iter__(self) -> Iterator[Produced]:
        while self.queue:
            target = self.queue.popleft()
            yield self.builder.produce(target)


class _Shares:
    """The rendering processes' shares of the work: see _Renderers."""

    def __init__(self, renderers: _Renderers, targets: list[Target]) -> None:
        self.renderers = renderers
        jobs = len(renderers.inboxes)
        self.shares: list[collections.deque[Target]] = [collections.deque() for _ in range(jobs)]
        self.busy = [0] * jobs
        # Grouped by language, or by language and section with fewer languages than processes.
        self.depth = 1
        while True:
            groups: dict[str, list[Target]] = {}
            for target in targets:
                groups.setdefault(_affinity(target.key, self.depth), []).append(target)
            if len(groups) >= jobs or self.depth == 2:
                break
            self.depth += 1
        self.group_share: dict[str, int] = {}
        for name, group in sorted(groups.items(), key=lambda item: -len(item[1])):
            number = min(range(jobs), key=lambda n: len(self.shares[n]))
            self.group_share[name] = number
            self.shares[number].extend(group)
        # The slow files (full-text feeds, sitemaps) first, so that the last ones to come are
        # quick pages, which the processes share out to the end.
        for number, share in enumerate(self.shares):
            self.shares[number] = collections.deque(sorted(share, key=_slow_first))

    def add(self, targets: list[Target]) -> None:
        for target in targets:
            group = _affinity(target.key, self.depth)
            if group not in self.group_share:
                self.group_share[group] = min(
                    range(len(self.shares)), key=lambda n: len(self.shares[n])
                )
            self.shares[self.group_share[group]].append(target)
        for number in range(len(self.busy)):
            while self.busy[number] < 2 and self._send(number):
                pass

    def _send(self, number: int) -> bool:
        share = self.shares[number]
        take_from_end = False
        if not share:  # out of work: take over the end of the longest share
            share = max(self.shares, key=len)
            take_from_end = True
        if not share:
            return False
        # Smaller messages towards the end, so that the processes finish together.
        left = sum(len(other) for other in self.shares)
        size = min(len(share), _Renderers.CHUNK, max(1, left // (4 * len(self.shares))))
        pop = share.pop if take_from_end else share.popleft
        chunk = [pop() for _ in range(size)]
        self.renderers.inboxes[number].put(chunk)
        self.busy[number] += 1
        return True

    def __iter__(self) -> Iterator[Produced]:
        for number in range(len(self.shares)):
            for _ in range(2):  # one queued behind the one rendering
                self._send(number)
        while any(self.busy):
            number, results = self.renderers.receive()
            self.busy[number] -= 1
            self._send(number)
            yield from results


class _Renderers:
    """Forked processes rendering pages, each kept to its own part of the site.

    Whatever a process renders it keeps for the rest of the export (teasers, pictures,
    addresses, appeals): every process that renders a language's pages renders all its
    teasers once more. So each process is given the pages of its own languages (of its own
    sections, with fewer languages than processes), a few at a time; one that runs out takes
    over the rest of the busiest one's share, so that none waits while another works.
    """

    CHUNK = 8  # pages per message: fewer round trips, yet shares end close together

    def __init__(self, jobs: int, builder: Producer) -> None:
        context = multiprocessing.get_context("fork")
        self.results = context.Queue()
        self.inboxes = [context.SimpleQueue() for _ in range(jobs)]
        # Forked, so each process works for the builder as it is now (nothing is pickled).
        self.processes = [
            context.Process(target=_render_in_worker, args=(builder, number, inbox, self.results))
            for number, inbox in enumerate(self.inboxes)
        ]
        for process in self.processes:
            process.daemon = True
            process.start()

    def stream(self, targets: list[Target]) -> _Stream:
        return _Shares(self, targets)

    def receive(self) -> tuple[int, list]:
        while True:
            try:
                number, results = self.results.get(timeout=1)
            except queue.Empty:
                for process in self.processes:
                    if not process.is_alive():
                        raise RuntimeError(
                            f"A rendering process ended (exit code {process.exitcode})"
                        ) from None
                continue
            if isinstance(results, str):
                raise RuntimeError(f"A rendering process failed:\n{results}")
            return number, results

    def stop(self) -> None:
        for inbox, process in zip(self.inboxes, self.processes, strict=True):
            if process.is_alive():
                inbox.put(None)
        for process in self.processes:
            process.join(timeout=5)
            if process.is_alive():
                process.terminate()
                process.join()


def _render_in_worker(builder: Producer, number: int, inbox, results) -> None:
    # Never speak on a database connection the parent opened: two processes on one socket
    # read each other's answers. Forget any inherited (without closing the parent's socket).
    for connection in connections.all(initialized_only=True):
        connection.connection = None
    # Rendering makes many short-lived objects and few cycles: collecting less often spares
    # a tenth of the time, for a little more memory until the process ends with the export.
    gc.set_threshold(50_000, 20, 100)
    gc.freeze()  # what it inherits (the pages loaded in bulk) lives to the end of the export
    while (chunk := inbox.get()) is not None:
        try:
            done = [builder.produce(target) for target in chunk]
        except Exception:
            import traceback

            results.put((number, traceback.format_exc()))
            return
        results.put((number, done))


def _slow_first(target: Target) -> bool:
    return target.kind != XML
