"""Run a command as a child process and measure its wall time and memory.

CPU time is reported beside wall time: on a machine shared with other work, wall-time ratios between
runs taken minutes apart move with the load, CPU-time ratios much less. Peak memory is reported two ways: `tree_peak_mb`, the largest sum of resident memory over the
process and all its descendants seen by sampling every 50 ms (psutil), and `max_rss_mb`, the largest
single process's peak as the kernel reports it through wait4 (exact, but per process).
"""

from __future__ import annotations

import os
import subprocess
import threading
import time
from dataclasses import dataclass

import psutil


@dataclass
class Measured:
    seconds: float
    returncode: int
    tree_peak_mb: float
    max_rss_mb: float
    cpu_s: float  # user + system time of the process and the children it waited for (its workers)
    stdout: str
    stderr: str


def _tree_rss(proc: psutil.Process) -> int:
    total = 0
    for p in [proc, *proc.children(recursive=True)]:
        try:
            total += p.memory_info().rss
        except psutil.Error:
            pass
    return total


def run(cmd: list[str], env: dict[str, str] | None = None, cwd: str | None = None) -> Measured:
    out_r, out_w = os.pipe()
    err_r, err_w = os.pipe()
    started = time.perf_counter()
    child = subprocess.Popen(cmd, env=env, cwd=cwd, stdout=out_w, stderr=err_w)
    os.close(out_w)
    os.close(err_w)
    chunks: dict[int, list[bytes]] = {out_r: [], err_r: []}
    readers = [threading.Thread(target=_drain, args=(fd, chunks[fd])) for fd in chunks]
    for reader in readers:
        reader.start()
    peak, proc = 0, psutil.Process(child.pid)
    while True:
        pid, status, usage = os.wait4(child.pid, os.WNOHANG)
        if pid:
            break
        peak = max(peak, _tree_rss(proc))
        time.sleep(0.05)
    seconds = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    for reader in readers:
        reader.join()
    return Measured(
        seconds, child.returncode, peak / 2**20, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime,
        b"".join(chunks[out_r]).decode(errors="replace"), b"".join(chunks[err_r]).decode(errors="replace"),
    )


def _drain(fd: int, sink: list[bytes]) -> None:
    with os.fdopen(fd, "rb") as handle:
        for block in iter(lambda: handle.read(65536), b""):
            sink.append(block)
