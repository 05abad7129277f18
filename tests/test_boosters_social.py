"""The social-media name booster (issue 4) on invented posts: register, lower-case names, address."""

from __future__ import annotations

import pytest

from redactgate.boosters.social import find_social_names, is_social_line, social_lines
from redactgate.findings import Finding


def _names(text: str, context: list[Finding] | None = None) -> list[str]:
    return [text[f.start:f.end] for f in find_social_names(text, context or [])]


@pytest.mark.parametrize("line", [
    "omg marisol u were amazing 😂",
    "hey zorblat where r u tonight",
    "Rosalind , you need to post more videos",
    "best concert ever ! ! !",
    "so i told darnell about it",
    "@quillon_tv did it again #fail",
])
def test_informal_lines_are_social(line: str) -> None:
    assert is_social_line(line)


@pytest.mark.parametrize("line", [
    "The minister met Sabine Vantrask in Brussels on Monday .",
    "Former U.S. president Quenby Farthingale visited the plant .",
    "3. Marisol Quillon ( Spain ) 11.07",
    "Shares of Example Corp fell 3 percent in early trading .",
])
def test_edited_prose_is_not_social(line: str) -> None:
    assert not is_social_line(line)


def test_social_lines_are_per_line() -> None:
    text = "The board met on Monday .\nlol marisol was there 😂\nShares fell ."
    [(start, end)] = social_lines(text)
    assert text[start:end] == "lol marisol was there 😂"


def test_weak_markers_count_only_on_a_line_that_stands_alone() -> None:
    # a hard-wrapped paragraph starts lines in lower case and may say "you": it is no post
    wrapped = ("When the report is ready the team sends it to\nmarisol and the reviewers, who tell\n"
               "you whether it can be published.")
    assert social_lines(wrapped) == []
    post = "Checked the figures again.\n\nmarisol you were right about the totals\n\nThe end."
    assert [post[s:e] for s, e in social_lines(post)] == ["marisol you were right about the totals"]


def test_code_and_markup_lines_are_not_social() -> None:
    assert not is_social_line("omg = load(marisol) 😂")
    assert not is_social_line("run `redactgate check` lol")


def test_a_one_line_message_counts_as_informal() -> None:
    message = "Marisol started the new job today"
    assert social_lines(message) == [(0, len(message))]
    # the same line inside a longer text, without blank lines around it, is prose
    assert social_lines("The office reopened.\n" + message + "\nShares fell.") == []


def test_given_name_with_family_name_in_lower_case() -> None:
    text = "lol marisol farthingale was there 😂"
    pairs = [text[f.start:f.end] for f in find_social_names(text) if f.rule == "social-pair"]
    assert pairs == ["marisol farthingale"]
    assert not [f for f in find_social_names("lol will power was there 😂") if f.rule == "social-pair"]


def test_frequent_one_word_place_still_guards() -> None:
    text = "omg Jordan was amazing 😂"
    place = Finding(4, 10, "LOCATION", 0.0, "model-context")
    assert _names(text) == ["Jordan"]
    assert _names(text, [place]) == []


def test_lower_case_given_names_on_social_lines() -> None:
    assert _names("omg marisol and rosalind were amazing 😂") == ["marisol", "rosalind"]
    # the same words in a line that is not informal are left to the model and other boosters
    prose = "The garden opened in May.\nThe marisol and rosalind varieties were planted .\nIt rained."
    assert _names(prose) == []


def test_everyday_words_and_chat_words_are_not_names() -> None:
    # "grace" and "will" are given names and everyday words; laughter and shouting are no names
    assert _names("lol will u say grace before dinner ? hahaha LOOOL") == []


def test_capitalised_known_name_even_where_the_model_said_place() -> None:
    text = "lol Darnell was sooo funny 😂"
    start = text.index("Darnell")
    one_word_place = Finding(start, start + 7, "LOCATION", 0.0, "model-context")
    assert _names(text, [one_word_place]) == ["Darnell"]
    # a name inside a place of two or more words stays part of the place
    text = "we drove to Darnell Springs lol"
    start = text.index("Darnell")
    place = Finding(start, start + len("Darnell Springs"), "LOCATION", 0.0, "model-context")
    assert "Darnell" not in _names(text, [place])


def test_unknown_word_addressed_in_a_post() -> None:
    assert _names("hey zorblat u coming tonight ?") == ["zorblat"]
    assert _names("Trevanna , you need to post more") == ["Trevanna"]
    # the same rare word without an address cue is not a name
    assert _names("that zorblat thing u posted lol") == []


def test_addresses_handles_and_code_are_not_words() -> None:
    assert _names("lol mailto:marisol.quillon@example.com @marisol #rosalind x_marisol") == []


def test_possessive_is_not_part_of_the_name() -> None:
    assert _names("omg Marisol's new video 😂") == ["Marisol"]


@pytest.mark.model
def test_post_names_found_only_with_the_social_switch(processor, test_key) -> None:
    from redactgate.config import Boosters
    from redactgate.detect import Detector

    posts = ["Trevanna , you need to post more videos", "hey zorblat u coming tonight ?"]
    found = {}
    for on in (True, False):
        config = processor.config.model_copy(update={"boosters": Boosters(social=on)})
        detected = Detector(processor.engine, config, test_key).detect(posts)
        found[on] = {p[f.start:f.end] for p, fs in zip(posts, detected) for f in fs if f.entity_type == "PERSON"}
    assert found[True] == {"Trevanna", "zorblat"}
    assert found[False] == set()


@pytest.mark.model
def test_news_text_is_unchanged_by_the_social_switch(processor, test_key) -> None:
    from redactgate.config import Boosters
    from redactgate.detect import Detector

    news = ("Quenby Farthingale , the chief executive of Example Corp , said on Monday that the plant "
            "in Darnell Springs would close .\nShares fell 3 percent .")
    results = []
    for on in (True, False):
        config = processor.config.model_copy(update={"boosters": Boosters(social=on)})
        results.append(Detector(processor.engine, config, test_key).detect([news])[0])
    assert results[0] == results[1]


def test_cli_redacts_lower_case_names_in_a_post(cli, tmp_path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "post.txt").write_text("hey zorblat , u coming to the party ? 😂\n\nTrevanna , you need to post more\n", encoding="utf-8")
    result = cli("redact", tmp_path / "in", "--out", tmp_path / "out")
    assert result.returncode == 0, result.stderr
    out = (tmp_path / "out" / "post.txt").read_text(encoding="utf-8")
    assert "zorblat" not in out and "Trevanna" not in out and out.count("<PERSON_") == 2
