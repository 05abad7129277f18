"""Keep the C allocator from handing the model's scratch memory back to the kernel after every batch.

The model allocates and frees arrays of a few hundred KB to a few MB per batch (thinc's layer
outputs). glibc's defaults serve many of them with fresh `mmap`s, or trim them off the top of the
heap when freed, so the next batch faults the same pages in again: about 800,000 minor page faults
and 2.5 s of system time on 1.1 MB of news (issue 5). With a fixed mmap threshold of 32 MB and a
trim threshold of 256 MB the pages stay with the process and are reused: a quarter of the faults, the
same peak per process (tree peak within 3%, `scripts/bench`). Settings a user gives glibc through its
environment variables win; on a C library without `mallopt` (musl, macOS) nothing changes.
"""

from __future__ import annotations

import ctypes
import os
import sys

M_TRIM_THRESHOLD = -1  # glibc's <malloc.h> parameter numbers
M_MMAP_THRESHOLD = -3
MMAP_THRESHOLD = 32 << 20  # glibc's own ceiling for its sliding threshold on 64-bit machines
TRIM_THRESHOLD = 256 << 20
_USER_SETTINGS = ("MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_", "MALLOC_TOP_PAD_", "GLIBC_TUNABLES")
_tuned = False


def tune_allocator() -> bool:
    """Set both thresholds once per process (forked workers inherit them); True if they are set."""
    global _tuned
    if _tuned:
        return True
    if not sys.platform.startswith("linux") or any(name in os.environ for name in _USER_SETTINGS):
        return False
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):
        return False
    mallopt.argtypes, mallopt.restype = [ctypes.c_int, ctypes.c_int], ctypes.c_int
    # mallopt returns 1 on success; musl's stub returns 0 and changes nothing
    _tuned = mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD) == 1 and mallopt(M_TRIM_THRESHOLD, TRIM_THRESHOLD) == 1
    return _tuned
