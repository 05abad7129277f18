"""Inline pragmas and line/column positions (no model needed)."""

from __future__ import annotations

from redactgate.pragmas import LineIndex, allowed_lines


def test_allow_on_the_line_in_any_comment_syntax() -> None:
    text = "\n".join([
        "a # redactgate: allow",
        "b // redactgate: allow",
        "c <!-- redactgate: allow -->",
        "d % redactgate: allow",
        "e redactgate:allow",
        "f plain line",
    ])
    assert allowed_lines(text) == {1, 2, 3, 4, 5}


def test_allow_next_line_allows_only_the_next_line() -> None:
    text = "<!-- redactgate: allow-next-line -->\nnamed\nnot allowed"
    assert allowed_lines(text) == {2}


def test_block_allows_its_lines_including_markers() -> None:
    text = "x\n% redactgate: allow-start\na\nb\n% redactgate: allow-end\ny"
    assert allowed_lines(text) == {2, 3, 4, 5}


def test_unclosed_block_allows_nothing() -> None:
    text = "# redactgate: allow-start\na\nb"
    assert allowed_lines(text) == frozenset()


def test_similar_words_are_not_pragmas() -> None:
    assert allowed_lines("redactgate: allowed\nredactgate: allow-everything\nredactgate allow") == frozenset()


def test_line_index_is_one_based_in_code_points() -> None:
    index = LineIndex("é1\nab\n\nxyz")
    assert index.position(0) == (1, 1)
    assert index.position(1) == (1, 2)
    assert index.position(3) == (2, 1)
    assert index.position(7) == (4, 1)
