"""Measuring a stage: wall time, rows, rows per second, peak memory (this process and its
children) and the machine's load average."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")


def _rss_bytes(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm", "rb") as handle:
            return int(handle.read().split()[1]) * PAGE_SIZE
    except (OSError, IndexError, ValueError):
        return 0


def _descendants(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as handle:
                stat = handle.read()
        except OSError:
            continue
        # the command name may hold spaces and brackets: the fields after the last ')'
        ppid = int(stat[stat.rindex(b")") + 2 :].split()[1])
        children.setdefault(ppid, []).append(int(entry.name))
    found, queue = [], [root]
    while queue:
        for child in children.get(queue.pop(), []):
            found.append(child)
            queue.append(child)
    return found


def tree_rss_bytes(root: int | None = None) -> int:
    """Resident memory of a process and all its descendants (dbt runs in a subprocess)."""
    root = root or os.getpid()
    return _rss_bytes(root) + sum(_rss_bytes(pid) for pid in _descendants(root))


class PeakMemory:
    """Samples the RSS of this process tree in a background thread; `reset` starts a new peak."""

    def __init__(self, interval_seconds: float = 0.1) -> None:
        self.interval = interval_seconds
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="peak-memory", daemon=True)

    def _run(self) -> None:
        children: list[int] = []
        samples = 0
        while not self._stop.is_set():
            if samples % 10 == 0:  # scanning /proc for children is the expensive part
                children = _descendants(os.getpid())
            samples += 1
            rss = _rss_bytes(os.getpid()) + sum(_rss_bytes(pid) for pid in children)
            self.peak = max(self.peak, rss)
            self._stop.wait(self.interval)

    def reset(self) -> None:
        self.peak = tree_rss_bytes()

    def __enter__(self) -> "PeakMemory":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


@dataclass
class StageResult:
    stage: str
    status: str  # ok, failed, missing
    seconds: float | None = None
    rows: int | None = None
    rows_per_second: float | None = None
    peak_rss_mb: int | None = None
    load_avg_start: list[float] = field(default_factory=list)
    load_avg_end: list[float] = field(default_factory=list)
    detail: dict[str, object] = field(default_factory=dict)

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def load_average() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def measure(name: str, memory: PeakMemory, work: Callable[[], tuple[int, dict[str, object]]]) -> StageResult:
    """Run `work` (returning rows and details) and measure it."""
    load_start = load_average()
    memory.reset()
    started = time.perf_counter()
    rows, detail = work()
    seconds = time.perf_counter() - started
    return StageResult(
        stage=name,
        status="ok",
        seconds=round(seconds, 2),
        rows=rows,
        rows_per_second=round(rows / seconds) if seconds > 0 else None,
        peak_rss_mb=round(max(memory.peak, tree_rss_bytes()) / 2**20),
        load_avg_start=load_start,
        load_avg_end=load_average(),
        detail=detail,
    )


def directory_mb(path: Path) -> float:
    return round(sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 2**20, 1)
