"""Pseudonymisation operators without the model: surrogates, tokens, date shift, numbering, options.

Findings are built by hand at known offsets; the pipeline and CLI paths are in test_pseudonyms_cli.py.
"""

from __future__ import annotations

import json
import re
from datetime import date

import pytest

from redactgate.config import Config, EntitySettings, with_operators
from redactgate.dates import parse_date, shift_all, shift_offset
from redactgate.errors import RedactgateError
from redactgate.findings import Finding
from redactgate.keys import RunKey
from redactgate.mask import check_keys, mask_text
from redactgate.numbering import CorpusNumbering, Numbering
from redactgate.rules import is_luhn_valid, is_mod97_valid
from redactgate.surrogate import Surrogates, name_pools, name_roles
from redactgate.tokens import TOKEN, TokenCipher, TokenRejected, restore_text

KEY = RunKey(b"unit-test-key-not-secret", "env:REDACTGATE_KEY")
OTHER_KEY = RunKey(b"another-unit-test-key", "env:REDACTGATE_KEY")
OTHER_DATASET = RunKey(KEY.secret, KEY.source, "other-dataset")


def findings_for(text: str, spans: list[tuple[str, str]]) -> list[Finding]:
    """A finding for each (value, entity) at its first occurrence after the previous one."""
    found, cursor = [], 0
    for value, entity in spans:
        start = text.index(value, cursor)
        found.append(Finding(start, start + len(value), entity, 0.9, "test", group=f"{entity}:{value}"))
        cursor = start + len(value)
    return found


def config_with(**operators: str) -> Config:
    return Config(entities={e: EntitySettings(operator=op) for e, op in operators.items()})


# --- surrogates -----------------------------------------------------------------------------------

def test_name_surrogate_keeps_given_and_surname_structure() -> None:
    s = Surrogates(KEY, roles=name_roles(["Sergei Lavrov"]))
    full, alone, possessive = s.person("Sergei Lavrov"), s.person("Lavrov"), s.person("Lavrov's")
    given, surname = full.split()
    assert alone == surname and possessive == surname + "'s"
    assert {given, surname}.isdisjoint({"Sergei", "Lavrov"})
    assert all(n[0].isupper() and n.replace("-", "").isalpha() for n in (given, surname))


def test_hyphenated_surname_and_initials_keep_their_shape() -> None:
    s = Surrogates(KEY, roles=name_roles(["J. Okonkwo-Hale"]))
    initial, surname = s.person("J. Okonkwo-Hale").split()
    assert re.fullmatch(r"[A-Z]\.", initial) and initial != "J."
    assert surname.count("-") == 1 and "Okonkwo" not in surname


def test_surrogates_are_deterministic_per_key_and_separated_by_key_and_dataset() -> None:
    values = [("PERSON", "Harriet Quellmore"), ("EMAIL_ADDRESS", "harriet.q@example.com"),
              ("PHONE_NUMBER", "(202) 555-0147"), ("CREDIT_CARD", "4111 1111 1111 1111")]
    def draw(key: RunKey) -> list[str | None]:
        return [Surrogates(key).replace(e, v) for e, v in values]
    first = draw(KEY)
    assert draw(KEY) == first
    for other in (draw(OTHER_KEY), draw(OTHER_DATASET)):
        assert all(a != b for a, b in zip(first, other))


def test_surrogate_shapes_and_checksums() -> None:
    s = Surrogates(KEY)
    card = s.replace("CREDIT_CARD", "4111 1111 1111 1111")
    assert re.fullmatch(r"4\d{3} \d{4} \d{4} \d{4}", card) and is_luhn_valid(card) and card != "4111 1111 1111 1111"
    iban = s.replace("IBAN_CODE", "GB82 WEST 1234 5698 7654 32")
    assert re.fullmatch(r"GB\d\d [A-Z]{4} \d{4} \d{4} \d{4} \d\d", iban) and is_mod97_valid(iban)
    phone = s.replace("PHONE_NUMBER", "+1 415 555 0101")
    assert re.fullmatch(r"\+1 [2-9]\d\d \d{3} \d{4}", phone) and phone != "+1 415 555 0101"
    assert re.fullmatch(r"\(\d{3}\) \d{3}-\d{4}", s.replace("PHONE_NUMBER", "(202) 555-0147"))
    assert re.fullmatch(r"\d{3}-\d\d-\d{4}", s.replace("US_SSN", "123-45-6780"))
    email = s.replace("EMAIL_ADDRESS", "amelia.novak@example.com")
    assert re.fullmatch(r"[\w.]+@example\.(com|net|org)", email) and "amelia" not in email
    assert re.fullmatch(r"\d+\.\d+\.\d+\.\d+", s.replace("IP_ADDRESS", "198.51.100.7"))


def test_invalid_card_checksum_is_not_made_valid_on_purpose() -> None:
    # 4111 1111 1111 1112 fails Luhn: the surrogate's last digit is drawn, not fixed
    draws = [Surrogates(RunKey(bytes([i]), "env:K")).replace("CREDIT_CARD", "4111 1111 1111 1112") for i in range(20)]
    assert sum(is_luhn_valid(d) for d in draws) < 20


def test_given_name_surrogate_keeps_the_list_it_came_from() -> None:
    pools = name_pools()
    for original, pool in (("Margaret", "female"), ("Daniel", "male")):
        drawn = [Surrogates(RunKey(bytes([i]), "env:K"), roles={original.casefold(): "given"}).person(original)
                 for i in range(10)]
        assert all(d in pools[pool] for d in drawn)


def test_surrogate_avoids_values_of_the_document() -> None:
    plain = Surrogates(KEY).person("Quellmore")
    avoiding = Surrogates(KEY, forbidden=[plain]).person("Quellmore")
    assert avoiding != plain


def test_surrogate_falls_back_to_keyed_pseudonym_for_unsupported_entities() -> None:
    text = "token ghp_exampleexampleexample in use"
    found = findings_for(text, [("ghp_exampleexampleexample", "CREDENTIAL")])
    masked = mask_text(text, found, config_with(CREDENTIAL="surrogate"), KEY)
    assert re.search(r"CREDENTIAL_[A-Z2-7]{8}", masked.text)
    assert masked.replacements[0].operator == "hmac"


# --- reversible tokens ----------------------------------------------------------------------------

def test_token_round_trip_is_deterministic_and_bound_to_entity_key_and_dataset() -> None:
    cipher = TokenCipher(KEY)
    token = cipher.encrypt("PERSON", "Harriet Quellmore")
    assert TOKEN.fullmatch(token) and "Quellmore" not in token
    assert cipher.encrypt("PERSON", "Harriet Quellmore") == token
    assert cipher.decrypt(token) == "Harriet Quellmore"
    for other in (TokenCipher(OTHER_KEY), TokenCipher(OTHER_DATASET)):
        with pytest.raises(TokenRejected):
            other.decrypt(token)
    with pytest.raises(TokenRejected):
        cipher.decrypt(token.replace("PERSON", "LOCATION"))


@pytest.mark.parametrize("position", [12, 20, -4])
def test_tampered_token_is_rejected_without_revealing_other_tokens(position: int) -> None:
    cipher = TokenCipher(KEY)
    good = cipher.encrypt("PERSON", "Harriet Quellmore")
    bad = cipher.encrypt("EMAIL_ADDRESS", "hq@example.com")
    flipped = bad[:position] + ("A" if bad[position] != "A" else "B") + bad[position + 1:]
    text = f"{good} wrote from {flipped}."
    with pytest.raises(TokenRejected) as caught:
        restore_text(cipher, text)
    assert "Quellmore" not in str(caught.value) and "example.com" not in str(caught.value)
    assert f"offset {text.index(flipped)}" in str(caught.value)


def test_truncated_token_is_rejected() -> None:
    cipher = TokenCipher(KEY)
    token = cipher.encrypt("PERSON", "Harriet Quellmore")
    with pytest.raises(TokenRejected):
        restore_text(cipher, token[:-8] + ">>")


def test_reversible_tokens_refuse_a_random_key() -> None:
    random_key = RunKey(b"x" * 32, "random")
    with pytest.raises(RedactgateError):
        TokenCipher(random_key)
    with pytest.raises(RedactgateError):
        check_keys(config_with(PERSON="encrypt"), random_key)
    check_keys(config_with(PERSON="surrogate"), random_key)  # only tokens need a real key


def test_mask_then_restore_gives_the_original_text() -> None:
    text = "Harriet Quellmore (hq@example.com) met Tobias Vennick; Quellmore paid."
    found = findings_for(text, [("Harriet Quellmore", "PERSON"), ("hq@example.com", "EMAIL_ADDRESS"),
                                ("Tobias Vennick", "PERSON"), ("Quellmore", "PERSON")])
    masked = mask_text(text, found, config_with(PERSON="encrypt", EMAIL_ADDRESS="encrypt"), KEY)
    assert "Quellmore" not in masked.text and len(TOKEN.findall(masked.text)) == 4
    assert restore_text(TokenCipher(KEY), masked.text).text == text


# --- date shift -----------------------------------------------------------------------------------

DATED = "Signed 2026-01-15, renewed on 14 February 2026, reviewed March 3rd, 2026 and closed 15/04/2026."
DATES = ["2026-01-15", "14 February 2026", "March 3rd, 2026", "15/04/2026"]


def test_date_shift_keeps_formats_and_intervals_within_a_document() -> None:
    found = findings_for(DATED, [(d, "DATE_TIME") for d in DATES])
    masked = mask_text(DATED, found, config_with(DATE_TIME="date_shift"), KEY, doc_id="memo.txt")
    new = [masked.text[r.out_start:r.out_end] for r in masked.replacements]
    assert re.fullmatch(r"\d{4}-\d\d-\d\d", new[0]) and re.fullmatch(r"\d{1,2} [A-Z][a-z]+ \d{4}", new[1])
    assert re.fullmatch(r"[A-Z][a-z]+ \d{1,2}(st|nd|rd|th), \d{4}", new[2]) and re.fullmatch(r"\d\d/\d\d/\d{4}", new[3])
    before = [parse_date(d, day_first=True).value for d in DATES]
    after = [parse_date(d, day_first=True).value for d in new]
    offsets = {(a - b).days for a, b in zip(after, before)}
    assert len(offsets) == 1 and offsets != {0}
    assert all(r.operator == "date_shift" for r in masked.replacements)


def test_date_offset_is_keyed_per_document_or_per_dataset() -> None:
    def shifted(key: RunKey, scope: str) -> str | None:
        return shift_all(key, scope, 365, ["2026-01-15"])[0]
    assert shifted(KEY, "doc:a.txt") == shifted(KEY, "doc:a.txt")
    assert len({shifted(KEY, f"doc:{n}.txt") for n in range(8)}) > 1
    assert shifted(OTHER_KEY, "doc:a.txt") != shifted(KEY, "doc:a.txt")


def test_weekday_is_recomputed_and_unparseable_dates_fall_back_to_placeholders() -> None:
    text = "Held on Tuesday, 3 March 2026; again last spring."
    found = findings_for(text, [("Tuesday, 3 March 2026", "DATE_TIME"), ("last spring", "DATE_TIME")])
    masked = mask_text(text, found, config_with(DATE_TIME="date_shift"), KEY, doc_id="x")
    shifted = masked.text[masked.replacements[0].out_start:masked.replacements[0].out_end]
    weekday, rest = shifted.split(", ")
    assert date.strftime(parse_date(rest).value, "%A") == weekday
    assert "<DATE_TIME_1>" in masked.text and masked.replacements[1].operator == "placeholder"


def test_partial_dates_follow_the_document_offset() -> None:
    values = ["2026-03-03", "Tuesday", "March 2026", "2026"]
    full, weekday, month_year, year = shift_all(KEY, "doc:partial", 365, values)
    moved = parse_date(full).value
    delta = moved - date(2026, 3, 3)
    assert date(2026, 3, 3).strftime("%A") == "Tuesday" and weekday == moved.strftime("%A") != "Tuesday"
    mid_month = date(2026, 3, 15) + delta
    assert month_year == mid_month.strftime("%B %Y") != "March 2026"
    assert int(year) == (date(2026, 7, 2) + delta).year


def test_no_shifted_text_shows_an_original_value_as_a_word() -> None:
    # "March" and "Friday" alone are findings too: a full date moved into March, or onto a Friday,
    # would show them again (verify would refuse the file)
    values = ["Friday", "March", "Wednesday, 4 February 2026", "2026-02-11"]
    for n in range(20):
        result = shift_all(KEY, f"doc:{n}", 365, values, forbidden=["Harriet Quellmore"])
        words = {w.casefold() for r in result for w in re.findall(r"\w+", r or "")}
        assert not words & {"friday", "march"}
        assert not {"2026-02-11", "Wednesday, 4 February 2026"} & set(result)


def test_shift_never_maps_one_date_of_the_document_onto_another() -> None:
    # 21 consecutive days: any offset of at most 20 days would turn one of them into another
    values = [date.fromordinal(date(2026, 1, 1).toordinal() + d).isoformat() for d in range(21)]
    scope = next(f"doc:{n}" for n in range(100) if abs(shift_offset(KEY, f"doc:{n}", 60, 0)) <= 20)
    result = shift_all(KEY, scope, 60, values)
    assert all(r is not None for r in result) and not set(result) & set(values)


# --- numbering and options ------------------------------------------------------------------------

def test_corpus_numbering_persists_digests_only_and_is_bound_to_key_and_dataset(tmp_path) -> None:
    numbering = CorpusNumbering(KEY)
    assert [numbering.number("PERSON", g) for g in ("a", "b", "a")] == [1, 2, 1]
    saved = numbering.save(tmp_path)
    data = json.loads(saved.read_text())
    assert all(re.fullmatch(r"[0-9a-f]{32}", d) for d in data["entities"]["PERSON"])
    again = CorpusNumbering.load(tmp_path, KEY)
    assert [again.number("PERSON", g) for g in ("c", "b")] == [3, 2]
    for other in (OTHER_KEY, OTHER_DATASET):
        with pytest.raises(RedactgateError):
            CorpusNumbering.load(tmp_path, other)


def _number_in_child(numbering: CorpusNumbering) -> None:
    numbering.number("PERSON", "a")  # raises in a forked copy: the exit code shows it


def test_corpus_numbering_refuses_to_be_copied_into_a_worker() -> None:
    import multiprocessing
    import pickle

    with pytest.raises(TypeError):
        pickle.dumps(CorpusNumbering(KEY))
    if "fork" in multiprocessing.get_all_start_methods():
        child = multiprocessing.get_context("fork").Process(target=_number_in_child, args=(CorpusNumbering(KEY),))
        child.start()
        child.join(30)
        assert child.exitcode == 1


def test_document_numbering_restarts_per_document() -> None:
    text = "Tobias Vennick"
    found = findings_for(text, [("Tobias Vennick", "PERSON")])
    shared = Numbering()
    shared.number("PERSON", "someone-else")
    assert mask_text(text, found, Config(), KEY).text == "<PERSON_1>"
    assert mask_text(text, found, Config(), KEY, numbering=shared).text == "<PERSON_2>"


def test_hmac_pseudonym_is_separated_by_dataset_and_unchanged_without_one() -> None:
    text = "Tobias Vennick"
    found = findings_for(text, [("Tobias Vennick", "PERSON")])
    plain = mask_text(text, found, config_with(PERSON="hmac"), KEY).text
    assert plain == mask_text(text, found, config_with(PERSON="hmac"), RunKey(KEY.secret, KEY.source)).text
    assert plain != mask_text(text, found, config_with(PERSON="hmac"), OTHER_DATASET).text


def test_operator_overrides_from_the_command_line() -> None:
    config = with_operators(Config(entities={"PERSON": EntitySettings(threshold=0.6)}),
                            ["PERSON=surrogate", "DATE_TIME=date_shift"])
    assert config.operator_for("PERSON") == "surrogate" and config.threshold_for("PERSON") == 0.6
    assert config.operator_for("DATE_TIME") == "date_shift" and config.operator_for("EMAIL_ADDRESS") == "placeholder"
    for bad in ("PERSON", "person=hmac", "PERSON=rot13"):
        with pytest.raises(RedactgateError):
            with_operators(Config(), [bad])
