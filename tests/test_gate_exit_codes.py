"""`redactgate check` exit codes through the real process: 0 clean, 1 findings, 2 incomplete, 3 usage.

Most cases use a config without PERSON, so the process needs no language model and starts fast;
names are covered by the model tests and the pre-commit tests.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from gitutil import commit_all, git, init_repo

NO_MODEL = 'disable = ["PERSON"]\n'
EMAIL = "Write to jane.roe@example.com about the booking.\n"


@pytest.fixture
def work(tmp_path: Path) -> Path:
    (tmp_path / "redactgate.toml").write_text(NO_MODEL)
    return tmp_path


def test_clean_file_exits_0(cli, work: Path) -> None:
    (work / "clean.txt").write_text("Nothing personal here.\n")
    done = cli("check", "clean.txt", cwd=work)
    assert done.returncode == 0, done.stdout + done.stderr


def test_finding_exits_1_without_the_value(cli, work: Path) -> None:
    (work / "mail.txt").write_text("line one\n" + EMAIL)
    done = cli("check", "mail.txt", "--format", "json", cwd=work)
    assert done.returncode == 1
    assert "jane.roe" not in done.stdout + done.stderr
    [finding] = json.loads(done.stdout)["findings"]
    assert (finding["entity_type"], finding["line"], finding["column"]) == ("EMAIL_ADDRESS", 2, 10)
    assert (finding["start"], finding["end"]) == (18, 38)
    assert len(finding["fingerprint"]) == 32


def test_person_exits_1_with_the_model(cli, tmp_path: Path) -> None:
    (tmp_path / "note.txt").write_text("Yesterday Margaret Okonkwo-Fairweather approved the plan.\n")
    done = cli("check", "note.txt", "--format", "github", cwd=tmp_path)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "::error file=note.txt,line=1,col=11," in done.stdout
    assert "PERSON" in done.stdout and "Okonkwo" not in done.stdout


def _make(kind: str, work: Path) -> list[str]:
    """Create one not-scannable input of `kind`; return the check arguments that name it."""
    if kind == "symlink":
        (work / "target.txt").write_text("fine\n")
        (work / "link.txt").symlink_to("target.txt")
        return ["link.txt"]
    if kind == "binary":
        (work / "blob.bin").write_bytes(b"\x00\x01\x02binary\x00")
        return ["blob.bin"]
    if kind == "unsupported-format":
        (work / "doc.rtf").write_bytes(b"{\\rtf1\\ansi Helen Marsh}")  # RTF has no handler
        return ["doc.rtf"]
    if kind == "undecodable":
        (work / "latin.txt").write_bytes("caf\u00e9\n".encode("latin-1"))
        return ["latin.txt"]
    if kind == "too-large":
        (work / "redactgate.toml").write_text(NO_MODEL + "[limits]\nmax_file_bytes = 10\n")
        (work / "big.txt").write_text("just over ten bytes\n")
        return ["big.txt"]
    if kind == "unreadable":
        return ["vanished.txt"]  # named but gone by the time it is read (root ignores chmod 000)
    if kind == "not-a-file":
        os.mkfifo(work / "pipe")
        return ["pipe"]
    if kind == "git-range":
        init_repo(work)
        (work / "a.txt").write_text("fine\n")
        commit_all(work, "one")
        (work / "redactgate.toml").write_text(NO_MODEL + '[gate]\nexclude = ["*"]\n')  # cannot hide it
        return ["--range", "no-such-branch..HEAD"]
    raise AssertionError(kind)


REASONS = ["symlink", "binary", "unsupported-format", "undecodable", "too-large", "unreadable",
           "not-a-file", "git-range"]


@pytest.mark.parametrize("reason", REASONS)
def test_each_incomplete_reason_exits_2(cli, work: Path, reason: str) -> None:
    args = _make(reason, work)
    done = cli("check", *args, "--format", "json", cwd=work)
    assert done.returncode == 2, done.stdout + done.stderr
    assert [e["reason"] for e in json.loads(done.stdout)["errors"]] == [reason]


def test_incomplete_wins_over_findings(cli, work: Path) -> None:
    (work / "mail.txt").write_text(EMAIL)
    args = _make("binary", work)
    assert cli("check", "mail.txt", *args, cwd=work).returncode == 2


def test_config_can_allow_an_incomplete_class(cli, work: Path) -> None:
    (work / "redactgate.toml").write_text(NO_MODEL + '[gate]\nallow_incomplete = ["binary"]\n')
    args = _make("binary", work)
    done = cli("check", *args, cwd=work)
    assert done.returncode == 0, done.stdout
    assert "allowed by [gate] allow_incomplete: binary" in done.stdout


def test_excluded_paths_are_not_screened(cli, work: Path) -> None:
    (work / "redactgate.toml").write_text(NO_MODEL + '[gate]\nexclude = ["fixtures/*"]\n')
    (work / "fixtures").mkdir()
    (work / "fixtures" / "mail.txt").write_text(EMAIL)
    (work / "fixtures" / "link.txt").symlink_to("mail.txt")  # refusals under an excluded folder too
    (work / "a").mkdir()
    (work / "a" / "mail.txt").write_text("Nothing personal.\n")  # same name as in fixtures/: no clash
    done = cli("check", "fixtures", "a/mail.txt", "a", "--format", "json", cwd=work)
    assert done.returncode == 0, done.stdout + done.stderr
    assert json.loads(done.stdout)["files_scanned"] == 1


@pytest.mark.parametrize("config, args", [
    ('model = "no_such_model_installed"\n', ["check", "x.txt"]),          # model missing
    ('rule_dirs = ["broken-rules"]\n', ["check", "x.txt"]),                # bad rule file
    ('[gate]\nallow_incomplete = ["everything"]\n', ["check", "x.txt"]),  # bad config value
    ('[gate]\nunknown_key = 1\n', ["check", "x.txt"]),                     # unknown key
    (NO_MODEL, ["check"]),                                                 # nothing named
    (NO_MODEL, ["check", "--format", "xml", "x.txt"]),                     # bad option
    (NO_MODEL, ["check", "--staged"]),                                     # not a git work tree
    (NO_MODEL, ["check", "--staged", "--range", "a..b"]),                  # exclusive options
    (NO_MODEL, ["check", "--baseline", "missing.json", "x.txt"]),          # baseline not found
])
def test_usage_config_environment_errors_exit_3(cli, work: Path, config: str, args: list[str]) -> None:
    (work / "redactgate.toml").write_text(config)
    (work / "broken-rules").mkdir()
    (work / "broken-rules" / "bad.yaml").write_text("rules:\n  - id: Bad_Id\n    entitty: X\n")
    (work / "x.txt").write_text(EMAIL)
    done = cli(*args, cwd=work)
    assert done.returncode == 3, done.stdout + done.stderr
    assert "jane.roe" not in done.stdout + done.stderr


def test_report_file_and_stdout_formats(cli, work: Path) -> None:
    (work / "mail.txt").write_text(EMAIL)
    done = cli("check", "mail.txt", "--format", "github", "--report", "out.sarif", cwd=work)
    assert done.returncode == 1
    assert done.stdout.startswith("::error file=mail.txt,line=1,col=10,")
    assert json.loads((work / "out.sarif").read_text())["version"] == "2.1.0"


def test_pragmas_allow_and_ignore_pragmas_reports(cli, work: Path) -> None:
    (work / "notes.tex").write_text("% redactgate: allow-start\n" + EMAIL + "% redactgate: allow-end\n")
    done = cli("check", "notes.tex", cwd=work)
    assert done.returncode == 0 and "1 allowed by pragma" in done.stdout
    assert cli("check", "notes.tex", "--ignore-pragmas", cwd=work).returncode == 1
