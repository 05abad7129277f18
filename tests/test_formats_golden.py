"""Golden files: each `tests/golden/formats/NAME.in.EXT` redacted in-process must equal `NAME.out.EXT`.

Inputs hold fictional people, example.com addresses and 555-01xx numbers only. After a deliberate
change, regenerate with `REDACTGATE_REGEN_GOLDEN=1 ./scripts/test tests/test_formats_golden.py` and
read the diff before committing it.
"""

from __future__ import annotations

import difflib
import os
from pathlib import Path, PurePosixPath

import pytest

from redactgate.discover import Source

GOLDEN = Path(__file__).parent / "golden" / "formats"
CASES = sorted(GOLDEN.glob("*.in.*"))


def expected_path(case: Path) -> Path:
    return case.with_name(case.name.replace(".in.", ".out.", 1))


@pytest.mark.model
@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_golden(case: Path, processor) -> None:
    rel = PurePosixPath(case.name.replace(".in.", ".", 1))
    [outcome] = processor.process([Source(rel, case)], rewrite=True)
    assert outcome.ok, f"{outcome.reason}: {outcome.detail}"
    expected = expected_path(case)
    if os.environ.get("REDACTGATE_REGEN_GOLDEN"):
        expected.write_bytes(outcome.output)
    want, got = expected.read_bytes(), outcome.output
    if got != want:
        diff = difflib.unified_diff(want.decode().splitlines(True), got.decode().splitlines(True), "expected", "got")
        pytest.fail("".join(diff))


@pytest.mark.model
def test_binary_formats_are_rewritten_byte_identically_on_every_run(processor, tmp_path: Path) -> None:
    from formats_fixtures import make_docx, make_eml, make_pdf

    inputs = {"notes.docx": make_docx(), "mail.eml": make_eml(), "scan.pdf": make_pdf([["Minutes by Helen Marsh"]])}
    for name, data in inputs.items():
        (tmp_path / name).write_bytes(data)
    sources = [Source(PurePosixPath(name), tmp_path / name) for name in inputs]
    first = [o.output for o in processor.process(sources, rewrite=True)]
    second = [o.output for o in processor.process(sources, rewrite=True)]
    assert all(first) and first == second


@pytest.mark.model
def test_values_written_with_character_references_are_found_and_replaced_whole(processor, tmp_path: Path) -> None:
    page = tmp_path / "contact.html"
    page.write_bytes(b'<a href="mailto:sofia&#46;alvarez&#64;example&#46;net">mail</a> <p>sofia&period;alvarez&commat;example.net</p>')
    [outcome] = processor.process([Source(PurePosixPath("contact.html"), page)], rewrite=True)
    assert outcome.ok and [f.entity_type for f in outcome.findings] == ["EMAIL_ADDRESS", "EMAIL_ADDRESS"]
    assert outcome.output == (b'<a href="mailto:&lt;EMAIL_ADDRESS_1&gt;">mail</a> <p>&lt;EMAIL_ADDRESS_1&gt;</p>')
