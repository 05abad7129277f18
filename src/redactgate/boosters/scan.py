"""A booster pattern's matches, found without running it over every position of the text (issue 5).

Several booster patterns need a word from a long list (a role, "beat", a results bracket) and spend
most of their time failing that alternation at every position: `regex` tries each alternative in
turn, so a 170-word list cost 0.24 s a MB of news. Two ways to the same matches, each given what
every match is known to hold:

- `matches_from`: every match starts with one of some words. Python's `re` finds where those words
  start (a trie of them, one branch per character: 0.05 s a MB) and the pattern is matched there.
- `matches_on_lines`: no match holds a line break and every match holds a `gate` match (a gate
  that holds no line break either). The pattern runs over the lines where the gate matches.

Both give `pattern.finditer(text)`'s matches, in order: a match starts only where a candidate is,
the first candidate at or after the previous match's end that matches is the leftmost match there,
and a pattern matched from a position sees the text before it (look-behinds) as `finditer` does.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

import regex


def trie(words: Iterable[str]) -> str:
    """An `re` alternation of the literal `words`, one branch per next character."""
    tree: dict = {}
    for word in words:
        node = tree
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}  # a word ends here

    def branch(node: dict) -> str:
        parts = [re.escape(char) + branch(child) for char, child in sorted(node.items()) if char]
        if not parts:
            return ""
        body = parts[0] if len(parts) == 1 else "(?:" + "|".join(parts) + ")"
        return f"(?:{body})?" if "" in node else body

    return branch(tree)


def word_starts(words: Iterable[str]) -> re.Pattern:
    """Where one of `words` starts, not after an ASCII letter: every start of the words after no
    letter at all (`(?<![\\p{L}])`), and more, which the pattern then rejects."""
    return re.compile(rf"(?<![A-Za-z])(?={trie(words)})")


def matches_from(pattern: regex.Pattern, starts: re.Pattern, text: str) -> Iterator[regex.Match]:
    """`pattern.finditer(text)`, for a pattern whose every match starts where `starts` matches."""
    end = 0
    for candidate in starts.finditer(text):
        if candidate.start() >= end and (match := pattern.match(text, candidate.start())):
            yield match
            end = match.end()


def matches_on_lines(pattern: regex.Pattern, gate: regex.Pattern | re.Pattern, text: str) -> Iterator[regex.Match]:
    """`pattern.finditer(text)`, for a pattern whose matches hold no line break and a `gate` match."""
    done = -1  # end of the last line searched
    for hit in gate.finditer(text):
        if hit.start() <= done:
            continue
        start = text.rfind("\n", 0, hit.start()) + 1
        done = text.find("\n", hit.start())
        done = len(text) if done < 0 else done
        yield from pattern.finditer(text, start, done + 1)  # the line break too: a look-ahead sees it
