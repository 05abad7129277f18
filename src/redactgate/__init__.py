"""redactgate: find personal names and other sensitive spans, write redacted copies, keep a value-free audit log."""

__version__ = "0.1.0"

from .config import Config, load_config  # noqa: E402
from .errors import FileRefused, RedactgateError  # noqa: E402
from .findings import Finding  # noqa: E402
from .keys import RunKey  # noqa: E402
from .gate import GateReport, GateRequest, run_gate  # noqa: E402
from .pipeline import Processor, RunReport, run_redact  # noqa: E402

__all__ = [
    "Config",
    "FileRefused",
    "Finding",
    "GateReport",
    "GateRequest",
    "Processor",
    "RedactgateError",
    "RunKey",
    "RunReport",
    "__version__",
    "load_config",
    "run_gate",
    "run_redact",
]
