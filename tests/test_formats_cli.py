"""Each document format through the real CLI: the output parses again in the same format, holds none
of the planted fake values, and keeps the text around them; what cannot be handled exits 2, named."""

from __future__ import annotations

import csv
import email
import io
import json
import re
import shutil
import zipfile
from email.policy import default as default_policy
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import run_cli
from formats_fixtures import PLANTED, make_docx, make_encrypted_pdf, make_eml, make_pdf

GOLDEN = Path(__file__).parent / "golden" / "formats"
pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def redacted(tmp_path_factory) -> tuple[Path, Path, object]:
    src = tmp_path_factory.mktemp("in")
    for case in GOLDEN.glob("*.in.*"):
        shutil.copy(case, src / case.name.replace(".in.", ".", 1))
    (src / "notes.docx").write_bytes(make_docx())
    (src / "invoice.pdf").write_bytes(make_pdf([["Invoice prepared by Helen Marsh", "Mail sofia.alvarez@example.net"],
                                                ["Page two: call Oliver Brennan on (617) 555-0188."]]))
    (src / "booking.eml").write_bytes(make_eml())
    out = tmp_path_factory.mktemp("out")
    return src, out, run_cli("redact", src, "--out", out)


def leaks(data: bytes | str) -> list[str]:
    text = data.decode("utf-8", "replace") if isinstance(data, bytes) else data
    return [value for value in PLANTED if value in text]


def test_every_format_is_redacted_and_the_run_succeeds(redacted) -> None:
    src, out, result = redacted
    assert result.returncode == 0, result.stdout + result.stderr
    for path in out.rglob("*"):
        if path.is_file() and ".redactgate" not in path.parts:
            assert leaks(path.read_bytes()) == [], path.name
    assert run_cli("audit", "verify", out / ".redactgate" / "audit.jsonl").returncode == 0


def test_csv_parses_with_the_same_shape_and_untouched_cells(redacted) -> None:
    src, out, _ = redacted
    before = list(csv.reader(io.StringIO((src / "contacts.csv").read_bytes().decode(), newline="")))
    after = list(csv.reader(io.StringIO((out / "contacts.csv").read_bytes().decode(), newline="")))
    assert [len(r) for r in after] == [len(r) for r in before]
    assert after[1][4].startswith("Met <PERSON_") and after[1][4].endswith('in March.\r\nShe asked for "the blue plan".')
    assert after[0][:4] == ["id", "name", "email", "phone"] and after[0][4] != before[0][4]  # header scanned too
    assert [r[0] for r in after[1:]] == ["2001", "2002", "2003"] and after[3][4] == "plain note"


def test_json_and_jsonl_parse_with_keys_and_numbers_redacted(redacted) -> None:
    _, out, _ = redacted
    profile = json.loads((out / "profile.json").read_text())
    assert profile["id"] == 4001 and profile["active"] is True
    assert profile["card"].startswith("<CREDIT_CARD_")  # a JSON number that was a card number
    assert any(key.startswith("<PERSON_") for key in profile)  # a key that was a name
    events = [json.loads(line) for line in (out / "events.jsonl").read_text().splitlines() if line]
    assert events[0]["msg"] == "login ok" and events[1]["tags"] == ["a", "b"]


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.tags.append(tag)


def _tags(text: str) -> list[str]:
    parser = _Tags()
    parser.feed(text)
    return parser.tags


def test_html_keeps_its_structure(redacted) -> None:
    src, out, _ = redacted
    before, after = (src / "page.html").read_text(), (out / "page.html").read_text()
    assert _tags(after) == _tags(before)
    assert "Caf&eacute; team" in after and "Nothing personal here &mdash; just text." in after
    assert 'href="mailto:&lt;EMAIL_ADDRESS_' in after and "<!-- reviewed by <PERSON_" in after


def test_markdown_link_titles_alt_text_and_comments_are_scanned(redacted) -> None:
    _, out, _ = redacted
    text = (out / "ticket.md").read_text()
    assert '(mailto:<EMAIL_ADDRESS_1> "Write to <PERSON_1>")' in text and "![Photo of <PERSON_1>]" in text


def test_docx_opens_in_python_docx_with_every_part_redacted(redacted) -> None:
    import docx

    _, out, _ = redacted
    document = docx.Document(str(out / "notes.docx"))
    # "Sofia" and " Alvarez" were two runs: one placeholder, the text around it kept
    assert re.fullmatch(r"Meeting with <PERSON_\d> on Monday\. Call <PHONE_NUMBER_\d>\.", document.paragraphs[0].text)
    assert document.paragraphs[1].text == "The agenda stays as written."
    assert document.core_properties.author.startswith("<PERSON_")
    assert document.sections[0].footer.paragraphs[0].text.startswith("Contact <EMAIL_ADDRESS_")
    with zipfile.ZipFile(out / "notes.docx") as archive:
        assert "docProps/thumbnail.jpeg" not in archive.namelist()
        for name in archive.namelist():
            assert leaks(archive.read(name)) == [], name  # comments, deletions, rels included
        assert b"<w:delText" in archive.read("word/document.xml")


def test_pdf_becomes_a_text_rendition_never_a_pdf(redacted) -> None:
    _, out, _ = redacted
    assert not (out / "invoice.pdf").exists()
    pages = (out / "invoice.pdf.txt").read_text().split("\f\n")
    assert len(pages) == 2 and pages[0].startswith("Invoice prepared by <PERSON_")


def test_email_parses_with_headers_and_both_bodies_redacted(redacted) -> None:
    _, out, _ = redacted
    message = email.message_from_bytes((out / "booking.eml").read_bytes(), policy=default_policy)
    assert not message.defects and message["Subject"].startswith("Call <PERSON_")
    sender = message["From"]
    assert not sender.defects and sender.addresses[0].addr_spec.endswith("@redacted.invalid")
    plain, html = (part.get_content() for part in message.walk() if not part.is_multipart())
    assert "The booking reference is 7731." in plain and leaks(plain) == [] and leaks(html) == []
    assert "title='&lt;PERSON_" in html


def test_audit_locates_structured_findings_without_values(redacted) -> None:
    _, out, _ = redacted
    log = (out / ".redactgate" / "audit.jsonl").read_text()
    records = [json.loads(line) for line in log.splitlines()]
    located = {r["segment"] for r in records if r["type"] == "finding" and r["path"] == "notes.docx"}
    assert {"docx:word/comments.xml#p0", "docx:docProps/core.xml#e3"} <= located
    assert any(r.get("segment") == "row 2, column 2" for r in records if r.get("path") == "contacts.csv")
    assert leaks(log) == []


REFUSED = {
    "attached.eml": (make_eml(attachment=True), "email-attachment"),
    "scan.pdf": (make_pdf([["Cover page"], []]), "pdf-no-text-layer"),
    "locked.pdf": (make_encrypted_pdf(), "pdf-encrypted"),
    "broken.json": (b'{"name": "Sofia Alvarez",', "malformed-json"),
    "twice.json": (b'{"a": "Sofia Alvarez", "a": "x"}', "malformed-json"),
    "open-quote.csv": (b'id,name\n1,"Sofia Alvarez\n', "malformed-csv"),
    "picture.docx": (make_docx(("word/media/image1.png", b"\x89PNG\r\n\x1a\n")), "docx-unsupported-part"),
    "not-a-zip.docx": (b"Sofia Alvarez wrote this", "malformed-docx"),
    "sheet.xlsx": (b"PK\x03\x04" + bytes(40), "unsupported-format"),
}


def test_what_cannot_be_handled_completely_is_refused_with_its_reason(tmp_path: Path) -> None:
    src, out = tmp_path / "in", tmp_path / "out"
    src.mkdir()
    for name, (data, _) in REFUSED.items():
        (src / name).write_bytes(data)
    (src / "fine.csv").write_text("id,name\n1,Sofia Alvarez\n")
    (src / "minutes.pdf").write_bytes(make_pdf([["Minutes taken by Helen Marsh"]]))
    (src / "minutes.pdf.txt").write_text("An input named like the PDF's rendition.\n")
    result = run_cli("redact", src, "--out", out)
    assert result.returncode == 2, result.stdout + result.stderr
    for name, (_, reason) in REFUSED.items():
        assert f"{name}: {reason}" in result.stdout, name
    written = sorted(p.name for p in out.iterdir() if p.is_file())
    assert written == ["fine.csv", "minutes.pdf.txt"]  # nothing partial, nothing of the refused files
    assert "minutes.pdf.txt: output-collision" in result.stdout
    assert (out / "minutes.pdf.txt").read_text().startswith("Minutes taken by <PERSON_1>")
    assert leaks(result.stdout + result.stderr) == []


def test_check_names_the_cell_of_each_finding(tmp_path: Path) -> None:
    (tmp_path / "people.csv").write_text("id,name\n1,Sofia Alvarez\n2,oliver.brennan@example.org\n")
    result = run_cli("check", tmp_path / "people.csv")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "people.csv:" in result.stdout and " row 3, column 2: EMAIL_ADDRESS" in result.stdout
    assert leaks(result.stdout) == []


def test_gate_screens_docx_and_pdf_with_segments_in_every_output_format(tmp_path: Path) -> None:
    (tmp_path / "notes.docx").write_bytes(make_docx())
    (tmp_path / "scan.pdf").write_bytes(make_pdf([["Invoice for Helen Marsh, helen.marsh@example.com"]]))
    result = run_cli("check", tmp_path, "--format", "json")
    assert result.returncode == 1, result.stdout + result.stderr
    report = json.loads(result.stdout)
    assert report["errors"] == []
    segments = {f["path"].rsplit("/", 1)[-1]: f["segment"] for f in report["findings"]}
    assert segments["notes.docx"].startswith("docx:") and segments["scan.pdf"]
    assert all(f["line"] >= 1 and f["column"] >= 1 for f in report["findings"])
    sarif = run_cli("check", tmp_path, "--format", "sarif")
    assert sarif.returncode == 1 and leaks(sarif.stdout) == []
