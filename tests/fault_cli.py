"""Run the real CLI with one injected fault: `python fault_cli.py FAULT N redactgate-args...`.

FAULT is `kill-at-replace` (SIGKILL this process at the N-th `os.replace`, i.e. with the N-th temp
file fully written but not yet renamed: outputs, then the audit log, then the manifest) or `enospc`
(the N-th output write stops half way with ENOSPC, as on a full disk) or `enospc-audit` (the audit
log's writes fail with ENOSPC). Test code only: the product
has no fault hooks.
"""

from __future__ import annotations

import errno
import os
import signal
import sys


def kill_at_replace(n: int) -> None:
    real, calls = os.replace, [0]

    def replace(src, dst, **kwargs):  # noqa: ANN001, ANN003 - same signature as os.replace
        calls[0] += 1
        if calls[0] == n:
            os.kill(os.getpid(), signal.SIGKILL)
        return real(src, dst, **kwargs)

    os.replace = replace


def enospc(n: int) -> None:
    import builtins

    import redactgate.write

    calls = [0]

    class FullDisk:
        def __init__(self, handle) -> None:  # noqa: ANN001
            self.handle = handle

        def __enter__(self) -> "FullDisk":
            return self

        def __exit__(self, *exc: object) -> None:
            self.handle.close()

        def write(self, data: bytes) -> int:
            self.handle.write(data[: len(data) // 2])
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

        def __getattr__(self, name: str):  # noqa: ANN204
            return getattr(self.handle, name)

    def open_(path, mode="r", *args, **kwargs):  # noqa: ANN001, ANN002, ANN003
        handle = builtins.open(path, mode, *args, **kwargs)
        if "x" in mode:
            calls[0] += 1
            if calls[0] == n:
                return FullDisk(handle)
        return handle

    redactgate.write.open = open_  # shadows the builtin inside write.py only


def enospc_audit(n: int) -> None:
    """The audit log's temp file is on a full disk: its first write fails."""
    import builtins

    import redactgate.audit

    class FullDisk:
        def __init__(self, handle) -> None:  # noqa: ANN001
            self.handle = handle

        def write(self, data: str) -> int:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

        def __getattr__(self, name: str):  # noqa: ANN204
            return getattr(self.handle, name)

    redactgate.audit.open = lambda *args, **kwargs: FullDisk(builtins.open(*args, **kwargs))


if __name__ == "__main__":
    fault, n, args = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
    {"kill-at-replace": kill_at_replace, "enospc": enospc, "enospc-audit": enospc_audit}[fault](n)
    from redactgate.cli import main

    sys.exit(main(args))
