"""Paths (issue 6): symlinks, hostile file names, personal data in file and folder names.

All through the real CLI. Names are created with bytes where Python's str would not allow them.
"""

from __future__ import annotations

import json
import os
from pathlib import Path, PurePosixPath

import pytest

from redactgate.paths import display_path


def test_display_path_escapes_what_could_forge_a_line() -> None:
    assert display_path("a\nb\x1b[31m\\c\udcff.txt") == "a\\nb\\x1b[31m\\\\c\\udcff.txt"
    assert display_path(PurePosixPath("plain/name é.txt")) == "plain/name é.txt"


@pytest.mark.model
def test_cli_symlinks_never_followed_in_or_out_of_root(cli, tmp_path: Path) -> None:
    src, outside = tmp_path / "in", tmp_path / "outside"
    (src / "docs").mkdir(parents=True)
    outside.mkdir()
    (outside / "secret.txt").write_text("Jane Roe, jane.roe@example.com\n")
    (src / "docs" / "real.txt").write_text("Nothing here.\n")
    (src / "escape.txt").symlink_to(outside / "secret.txt")
    (src / "escape-dir").symlink_to(outside, target_is_directory=True)
    (src / "docs" / "inside.txt").symlink_to(src / "docs" / "real.txt")
    result = cli("redact", src, "--out", tmp_path / "out")
    assert result.returncode == 2
    for name in ("escape.txt", "escape-dir", "docs/inside.txt"):
        assert f"{name}: symlink" in result.stdout
        assert not (tmp_path / "out" / name).exists()
    assert (tmp_path / "out" / "docs" / "real.txt").exists()
    assert cli("check", src).returncode == 2  # a gate does not count a link as clean


HOSTILE_NAMES = [b"line\nbreak.txt", b"carriage\rreturn.txt", b"esc\x1b[2Jclear.txt", b"tab\there.txt",
                 b"..dots..txt", b"-starts-with-dash.txt", b"undecodable\xff\xfe.txt", b'quote"and\\slash.txt',
                 b"n" * 251 + b".txt"]  # NAME_MAX: no room left for a temp suffix


@pytest.mark.model
def test_cli_hostile_names_stay_inside_output_and_keep_audit_valid(cli, tmp_path: Path) -> None:
    src, out = tmp_path / "in", tmp_path / "out"
    src.mkdir()
    for name in HOSTILE_NAMES:
        with open(os.path.join(os.fsencode(src), name), "wb") as handle:
            handle.write(b"Mail jane.roe@example.com today.\n")
    result = cli("redact", src, "--out", out)
    assert result.returncode == 0, result.stdout + result.stderr
    written = sorted(os.listdir(os.fsencode(out)))
    assert written == sorted([b".redactgate", *HOSTILE_NAMES])  # mirrored, nothing outside `out`
    assert sorted(os.listdir(os.fsencode(tmp_path))) == [b"in", b"out"]
    lines = (out / ".redactgate" / "audit.jsonl").read_bytes().splitlines()
    records = [json.loads(line) for line in lines]  # one record per line: no name broke a line
    paths = {r["path"] for r in records if r["type"] == "file"}
    assert paths == {os.fsdecode(n) for n in HOSTILE_NAMES}
    assert all(line.isascii() for line in lines)
    assert "\x1b" not in result.stdout and "\r" not in result.stdout
    assert cli("audit", "verify", out / ".redactgate" / "audit.jsonl").returncode == 0


@pytest.mark.model
def test_cli_check_lines_stay_one_per_finding_with_hostile_names(cli, tmp_path: Path) -> None:
    (tmp_path / "evil\nfake.txt:1-2: PERSON.txt").write_text("Mail jane.roe@example.com today.\n")
    result = cli("check", tmp_path)
    assert result.returncode == 1
    assert result.stdout.count("\n") == 2  # one finding line and the summary
    assert "evil\\nfake.txt:1-2: PERSON.txt:1:6: EMAIL_ADDRESS" in result.stdout


@pytest.mark.model
def test_cli_personal_data_in_names_is_pseudonymised(cli, tmp_path: Path) -> None:
    src, out = tmp_path / "in", tmp_path / "out"
    (src / "Jane Roe").mkdir(parents=True)
    (src / "Jane Roe" / "notes.txt").write_text("Nothing personal.\n")
    (src / "jane.roe@example.com.txt").write_text("Nothing personal.\n")
    (src / "Sergei_Shoigu_interview.md").write_text("Nothing personal.\n")
    (src / "minutes-2024.txt").write_text("Nothing personal.\n")
    (src / "Sergei Shoigu\nnotes.txt").write_text("Nothing personal.\n")  # a line break stays in its name
    result = cli("redact", src, "--out", out)
    assert result.returncode == 0, result.stdout + result.stderr
    names = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file() and ".redactgate" not in p.parts)
    assert "minutes-2024.txt" in names and len(names) == 5
    assert any(n.startswith("PERSON_") and n.endswith("\nnotes.txt") and "/" not in n for n in names)
    for original in ("Jane Roe", "jane.roe", "Shoigu"):
        assert not any(original in n for n in names)
    assert any(n.startswith("EMAIL_ADDRESS_") and n.endswith(".txt") for n in names)
    assert any(n.startswith("PERSON_") and n.endswith("/notes.txt") for n in names)
    assert any(n.startswith("PERSON_") and n.endswith("_interview.md") for n in names)
    audit = (out / ".redactgate" / "audit.jsonl").read_text() + (out / ".redactgate" / "manifest.json").read_text()
    for original in ("Jane Roe", "jane.roe", "Shoigu", "Sergei"):
        assert original not in audit and original not in result.stdout


@pytest.mark.model
def test_cli_check_reports_personal_data_in_names(cli, tmp_path: Path) -> None:
    (tmp_path / "Jane Roe").mkdir()
    (tmp_path / "Jane Roe" / "notes.txt").write_text("Nothing personal.\n")
    (tmp_path / "jane.roe@example.com.txt").write_text("Nothing personal.\n")
    (tmp_path / "minutes-2024.txt").write_text("Nothing personal.\n")
    result = cli("check", tmp_path, "--format", "json")
    assert result.returncode == 1  # a gate fails on a name as on content
    names = {(f["path"].rsplit("/", 1)[-1], f["entity_type"]) for f in json.loads(result.stdout)["name_findings"]}
    assert names == {("notes.txt", "PERSON"), ("jane.roe@example.com.txt", "EMAIL_ADDRESS")}
    assert cli("check", tmp_path / "minutes-2024.txt").returncode == 0


@pytest.mark.model
def test_cli_names_that_pseudonymise_alike_are_refused_not_overwritten(cli, tmp_path: Path) -> None:
    src, out = tmp_path / "in", tmp_path / "out"
    src.mkdir()
    (src / "Jane Roe.txt").write_text("First file.\n")
    (src / "Jane_Roe.txt").write_text("Second file.\n")
    result = cli("redact", src, "--out", out)
    assert result.returncode == 2 and ": name-collision (another input has the same pseudonymised name)" in result.stdout
    written = [p for p in out.iterdir() if p.is_file()]
    assert len(written) == 1 and written[0].name.startswith("PERSON_")
    assert "Jane" not in result.stdout
