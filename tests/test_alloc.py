"""The C allocator settings of `redactgate.alloc`, observed through glibc itself in fresh processes
(they are process-wide, so never in the test process)."""

from __future__ import annotations

import ctypes
import json
import os
import subprocess
import sys

import pytest

GLIBC = sys.platform.startswith("linux") and hasattr(ctypes.CDLL(None), "mallinfo2")
pytestmark = pytest.mark.skipif(not GLIBC, reason="needs glibc (mallinfo2, glibc 2.33+)")

PROBE = """
import ctypes, json, sys
from redactgate.alloc import tune_allocator

class MallInfo2(ctypes.Structure):
    _fields_ = [(name, ctypes.c_size_t) for name in
                ("arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks", "fordblks", "keepcost")]

libc = ctypes.CDLL(None)
libc.mallinfo2.restype = MallInfo2
libc.malloc.restype, libc.malloc.argtypes = ctypes.c_void_p, [ctypes.c_size_t]
libc.free.argtypes = [ctypes.c_void_p]
tuned = tune_allocator() if sys.argv[1] == "tune" else False
before = libc.mallinfo2().hblks
block = libc.malloc(8 << 20)  # a model layer's output of a large batch
mapped = libc.mallinfo2().hblks - before
libc.free(block)
print(json.dumps({"tuned": tuned, "mapped": mapped, "kept": libc.mallinfo2().keepcost}))
"""


def _probe(mode: str, **env: str) -> dict:
    run_env = {k: v for k, v in os.environ.items() if not k.startswith("MALLOC_") and k != "GLIBC_TUNABLES"}
    out = subprocess.run([sys.executable, "-c", PROBE, mode], env={**run_env, **env}, capture_output=True,
                         text=True, check=True)
    return json.loads(out.stdout)


def test_tuned_allocator_keeps_a_large_block_on_the_heap_after_it_is_freed() -> None:
    stock, tuned = _probe("stock"), _probe("tune")
    assert stock == {"tuned": False, "mapped": 1, "kept": stock["kept"]}  # glibc's default: its own mmap
    assert stock["kept"] < 8 << 20
    assert tuned["tuned"] is True and tuned["mapped"] == 0  # from the heap ...
    assert tuned["kept"] >= 8 << 20  # ... and still there once freed, for the next batch


@pytest.mark.parametrize("name", ["MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_", "GLIBC_TUNABLES"])
def test_settings_the_user_gave_glibc_are_left_alone(name: str) -> None:
    value = "glibc.malloc.check=0" if name == "GLIBC_TUNABLES" else str(1 << 20)
    assert _probe("tune", **{name: value})["tuned"] is False
