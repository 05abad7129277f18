"""The format modules without the model: tokenizers against the standard library, offset maps,
splicing, clipping, refusals. Fast; the model-backed behaviour is in test_formats_cli/golden."""

from __future__ import annotations

import csv
import io
import json
from pathlib import PurePosixPath

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from redactgate.errors import FileRefused
from redactgate.findings import Finding
from redactgate.formats import Format, Segment, csv_format, html_format, json_format, select_format
from redactgate.formats.splice import TextDocument, identity
from redactgate.formats.structured import Structured
from redactgate.mask import Masked, Replacement

CELL = st.text(alphabet=st.sampled_from(list('ab ,;"\r\né\t')), max_size=6)
ROWS = st.lists(st.lists(CELL, min_size=1, max_size=4), min_size=1, max_size=4)


def _write_csv(rows: list[list[str]], quoting: int, terminator: str) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, quoting=quoting, lineterminator=terminator).writerows(rows)
    return buffer.getvalue().encode()


@settings(max_examples=150, deadline=None)
@given(ROWS, st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL]), st.sampled_from(["\r\n", "\n"]))
def test_csv_cells_are_what_the_standard_reader_reads_and_survive_a_rewrite(rows, quoting, terminator) -> None:
    data = _write_csv(rows, quoting, terminator)
    expected = [r for r in csv.reader(io.StringIO(data.decode(), newline="")) if r]
    doc = csv_format.extract_csv(data)
    assert [s.text for s in doc.segments] == [c for r in expected for c in r]
    rebuilt = doc.rebuild([[(0, len(s.text), "<X>")] if s.text else [] for s in doc.segments])
    again = [r for r in csv.reader(io.StringIO(rebuilt.decode(), newline="")) if r]
    assert again == [["<X>" if c else "" for c in r] for r in expected]


def test_csv_refuses_what_it_cannot_read_like_the_standard_reader() -> None:
    for bad in (b'a,"b"c\n', b'a,"never closed\n'):
        with pytest.raises(FileRefused) as refused:
            csv_format.extract_csv(bad)
        assert refused.value.reason == "malformed-csv"


JSON_TEXT = st.text(alphabet=st.sampled_from(list('ab "\\/\n\té😀\u2028')), max_size=6)
JSON_VALUE = st.recursive(
    st.none() | st.booleans() | st.integers(-10**18, 10**18) | JSON_TEXT,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(JSON_TEXT, inner, max_size=3),
    max_leaves=8,
)


def _strings_and_numbers(value) -> list[str]:
    if isinstance(value, dict):
        return [x for k, v in value.items() for x in [k, *_strings_and_numbers(v)]]
    if isinstance(value, list):
        return [x for v in value for x in _strings_and_numbers(v)]
    if isinstance(value, bool) or value is None:
        return []
    return [value if isinstance(value, str) else str(value)]


def _all_x(value):
    if isinstance(value, dict):
        return {"<X>" if k else k: _all_x(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_all_x(v) for v in value]
    if isinstance(value, bool) or value is None:
        return value
    return "<X>" if value != "" else ""


@settings(max_examples=150, deadline=None)
@given(JSON_VALUE, st.booleans(), st.sampled_from([None, 2]))
def test_json_segments_are_every_key_string_and_number_and_survive_a_rewrite(value, ascii_only, indent) -> None:
    data = json.dumps(value, ensure_ascii=ascii_only, indent=indent).encode()
    doc = json_format.extract_json(data)
    assert [s.text for s in doc.segments] == _strings_and_numbers(value)
    rebuilt = doc.rebuild([[(0, len(s.text), "<X>")] if s.text else [] for s in doc.segments])
    if isinstance(value, dict) and len({k for k in value if k}) > 1:
        return  # several keys all become "<X>": a duplicate key, which extract refuses on input
    assert json.loads(rebuilt) == _all_x(value)


def test_json_locators_are_index_paths_without_key_text() -> None:
    doc = json_format.extract_json(b'{"Sofia Alvarez": {"mail": ["x", 5]}}')
    assert [s.locator for s in doc.segments] == ["json:${0}~key", "json:${0}{0}~key", "json:${0}{0}[0]", "json:${0}{0}[1]"]


def test_json_refuses_duplicate_keys_and_lone_surrogates_without_quoting_the_file() -> None:
    for bad, reason in ((b'{"Sofia": 1, "Sofia": 2}', "malformed-json"), (b'["Sofia \\ud800"]', "undecodable"),
                        (b'{"Sofia Alvarez": ', "malformed-json")):
        with pytest.raises(FileRefused) as refused:
            json_format.extract_json(bad)
        assert refused.value.reason == reason and "Sofia" not in str(refused.value)


def test_html_text_attributes_comments_and_scripts_are_segments() -> None:
    source = (b"<p title='Sofia Alvarez' data-x=1>Hi <b>Sof&iacute;a</b>!</p><!-- Sofia --><script>var a='Sofia';</script>")
    doc = html_format.extract(source)
    texts = [s.text for s in doc.segments]
    assert texts == ["Sofia Alvarez", "1", "Hi ", "Sofía", "!", "<!-- Sofia -->", "var a='Sofia';"]
    edits = [[(0, len(t), "<X>")] if "Sof" in t else [] for t in texts]
    edits[5] = [(5, 10, "<X>")]
    edits[6] = [(7, 12, "<X>")]
    assert doc.rebuild(edits) == (b"<p title='&lt;X&gt;' data-x=1>Hi <b>&lt;X&gt;</b>!</p><!-- <X> --><script>var a='<X>';</script>")


def test_html_refuses_a_start_tag_it_cannot_account_for() -> None:
    with pytest.raises(FileRefused) as refused:
        html_format.extract(b'<a href="x"title="Sofia Alvarez">y</a>')
    assert refused.value.reason == "malformed-html"


def _structured(segments: list[Segment], rebuild=None) -> Structured:
    source = "".join(s.text for s in segments)
    spans, start = [], 0
    for s in segments:
        spans.append(identity(start, start + len(s.text)))
        start += len(s.text)
    doc = TextDocument(source, segments, spans, str.encode)
    if rebuild:
        doc.rebuild = rebuild
    fmt = Format("test", (".test",), lambda data: _structured_plain(data))
    structured = Structured.__new__(Structured)
    structured.format, structured.document, structured.segments = fmt, doc, segments
    from redactgate.formats.structured import join

    structured.text, structured.starts = join(segments)
    return structured


def _structured_plain(data: bytes) -> TextDocument:
    text = data.decode()
    return TextDocument(text, [Segment(text, "all")], [identity(0, len(text))], str.encode)


def test_clip_cuts_spans_at_separators_trims_space_and_drops_letterless_name_pieces() -> None:
    doc = _structured([Segment("notes for Helen Marsh", "a", "\n"), Segment("2001", "b", ", "), Segment(" Sofia", "c", "\n")])
    across = Finding(10, 27, "PERSON", 0.8, "spacy-ner")  # "Helen Marsh\n2001"
    spaced = Finding(26, 34, "PERSON", 0.8, "spacy-ner")  # ", Sofia": starts on the separator
    clipped = doc.clip([across, spaced])
    assert [(f.start, f.end) for f in clipped] == [(10, 21), (29, 34)]
    located = doc.locate(29, 34)
    assert (located.locator, located.start, located.end) == ("c", 1, 6)


def test_render_refuses_when_a_value_survives_the_rebuild() -> None:
    segments = [Segment("call Sofia Alvarez", "a")]
    broken = _structured(segments, rebuild=lambda edits: b"call Sofia Alvarez")  # ignores the edits
    finding = Finding(5, 18, "PERSON", 0.8, "spacy-ner")
    masked = Masked("call <PERSON_1>\n", (Replacement(finding, "placeholder", 5, 15),))
    with pytest.raises(FileRefused) as refused:
        broken.render(masked, [finding])
    assert refused.value.reason == "verify-failed" and "Sofia" not in str(refused.value)


def test_formats_are_chosen_by_content_first_then_by_name() -> None:
    assert select_format(PurePosixPath("scan.txt"), b"%PDF-1.7\n").name == "pdf"
    assert select_format(PurePosixPath("a/b.DOCX"), b"PK\x03\x04").name == "docx"
    assert select_format(PurePosixPath("notes.md"), b"# title") is None  # Markdown stays plain text
    assert select_format(PurePosixPath("x.ndjson"), b"{}").name == "jsonl"


def test_jsonl_lines_end_at_newline_only() -> None:
    doc = json_format.extract_jsonl('{"a": "x\u2028y"}\r\n\n["b"]'.encode())
    assert [(s.text, s.locator) for s in doc.segments] == [
        ("a", "json:line 1 ${0}~key"), ("x\u2028y", "json:line 1 ${0}"), ("b", "json:line 3 $[0]")]
    assert doc.rebuild([[], [(0, 1, "Z")], [(0, 1, "Q")]]) == '{"a": "Z\u2028y"}\r\n\n["Q"]'.encode()


def test_email_headers_in_raw_utf8_are_read_and_the_others_kept_byte_for_byte() -> None:
    from email import message_from_bytes
    from email.policy import default

    from redactgate.formats import eml_format

    raw = ("From: Sofía Álvarez <sofia@example.net>\nSubject: Grüße\nContent-Type: text/plain; charset=utf-8\n"
           "Content-Transfer-Encoding: 8bit\n\nHallo Sofía, Grüße\n").encode()
    doc = eml_format.extract(raw)
    assert [s.text for s in doc.segments][:2] == ["Sofía Álvarez <sofia@example.net>", "Grüße"]
    out = doc.rebuild([[(0, 13, "<PERSON_1>")], [], [], [], [(6, 11, "<PERSON_1>")]])
    assert "Subject: Grüße\n".encode() in out and "Hallo <PERSON_1>, Grüße".encode() in out
    parsed = message_from_bytes(out, policy=default)["From"]
    assert [(a.display_name, a.addr_spec) for a in parsed.addresses] == [("PERSON_1", "sofia@example.net")]


def test_unquoted_cells_and_attributes_are_quoted_when_a_replacement_needs_it() -> None:
    doc = csv_format.extract_csv(b"id,name\n1,Sofia Alvarez\n")
    rebuilt = doc.rebuild([[], [], [], [(0, 13, 'Alvarez, "S."')]])
    assert rebuilt == b'id,name\n1,"Alvarez, ""S."""\n'
    page = html_format.extract(b"<a title=Sofia href=x>y</a>")
    assert page.rebuild([[(0, 5, "<PERSON_1>")], [], []]) == b"<a title=&lt;PERSON_1&gt; href=x>y</a>"
    assert page.rebuild([[(0, 5, "Ana Ruiz")], [], []]) == b'<a title="Ana Ruiz" href=x>y</a>'


def test_html_end_tags_with_attributes_are_scanned() -> None:
    doc = html_format.extract(b'<p>x</p title="Sofia Alvarez"><i>y</i >')
    assert [s.text for s in doc.segments] == ["x", '</p title="Sofia Alvarez">', "y"]


def test_docx_edit_across_three_runs_goes_into_the_first_and_cuts_the_rest() -> None:
    from lxml import etree

    from redactgate.formats.docx_format import W, _apply, _Target

    runs = [etree.Element(f"{{{W}}}t") for _ in range(4)]
    for run, text in zip(runs, ["Met So", "fia Alv", "arez", " today"]):
        run.text = text
    targets = [_Target(run) for run in runs]
    _apply(targets, (4, 17, "<PERSON_1>"))  # "Sofia Alvarez"
    assert [run.text for run in runs] == ["Met <PERSON_1>", "", "", " today"]
    _apply(targets, (0, 3, ""))  # a run that now starts with a space keeps it
    assert runs[0].text == " <PERSON_1>" and runs[0].get("{http://www.w3.org/XML/1998/namespace}space") == "preserve"


def test_extracted_text_with_a_lone_surrogate_is_refused_before_detection() -> None:
    fmt = Format("test", (".test",), lambda data: _structured_plain(b"ok") if not data else _lone())
    with pytest.raises(FileRefused) as refused:
        Structured(fmt, b"x")
    assert refused.value.reason == "undecodable" and "character 3" in refused.value.detail


def _lone() -> TextDocument:
    text = "abc\ud800"
    return TextDocument(text, [Segment(text, "all")], [identity(0, 4)], str.encode)
