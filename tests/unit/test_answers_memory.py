"""Memory at start (issue 12, footprint; docs/performance.md, "Tenth round"): the answer
engine's compact structures stay compact, wordfreq, icalendar and holidays stay unimported,
and the word frequencies read without wordfreq are wordfreq's to the last digit."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import wordfreq

from bot.answers import frequency, text
from bot.answers.engine import AnswerEngine
from storage.database import Database

ROOT = Path(__file__).resolve().parents[2]


def test_zipf_values_are_wordfreqs_for_every_word_of_both_lists() -> None:
    for lang in ("de", "en"):
        words = list(wordfreq.get_frequency_dict(lang, wordlist="small"))
        # Folded and written forms as the analysis asks them: "strasse", "straße", "fuer".
        words += [text.fold(w) for w in words[:3000]] + ["straße", "fuß", "xyzzyq", "ß"]
        for word in words:
            assert frequency.zipf_frequency(word, lang) == wordfreq.zipf_frequency(
                word, lang, wordlist="small"
            ), (word, lang)


def test_words_of_other_characters_are_asked_of_wordfreq() -> None:
    for word in ("", "2024", "Straße", "e-mail", "café", "ελλάδα", "don't"):
        for lang in ("de", "en"):
            assert frequency.zipf_frequency(word, lang) == wordfreq.zipf_frequency(
                word, lang, wordlist="small"
            ), (word, lang)


def test_the_frequency_dict_is_wordfreqs() -> None:
    mine = frequency.frequency_dict("de")
    assert list(mine.items()) == list(wordfreq.get_frequency_dict("de", wordlist="small").items())


def test_an_unexpected_data_file_falls_back_to_wordfreq(monkeypatch, tmp_path: Path) -> None:
    # Another wordfreq release may move or change its files: the answers must not fail.
    (tmp_path / "small_de.msgpack.gz").write_bytes(b"not gzip")
    monkeypatch.setattr(frequency, "_data_file", lambda lang: tmp_path / f"small_{lang}.msgpack.gz")
    for cached in (frequency._bands, frequency._table, frequency._readable):
        cached.cache_clear()
    try:
        assert frequency.zipf_frequency("haus", "de") == wordfreq.zipf_frequency(
            "haus", "de", wordlist="small"
        )
        assert frequency.frequency_dict("en") == wordfreq.get_frequency_dict("en", wordlist="small")
    finally:
        for cached in (frequency._bands, frequency._table, frequency._readable):
            cached.cache_clear()


def test_the_bot_starts_without_wordfreq_icalendar_and_holidays() -> None:
    # They cost resident memory for every process (wordfreq's tokenizer ≈ 8 MB, icalendar
    # ≈ 2 MB, holidays' calendars ≈ 13 MB) and none is needed until a rare input, a
    # registration's calendar file or a reminder that skips holidays.
    script = (
        "import sys, bot.app, commands\n"
        "from bot.answers import text\n"
        "from bot.timeparse import valid_holiday_state\n"
        "assert valid_holiday_state('HB') and not valid_holiday_state('XX')\n"
        "a = text.Analyzer(['rechnung', 'tatsaechlich'], ())\n"
        "assert text.is_everyday('tatsaechlich') and a.respell('vidoes') == 'videos'\n"
        "print(sorted(m for m in ('wordfreq', 'icalendar', 'holidays') if m in sys.modules))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "[]"


def test_a_typo_key_of_one_word_holds_the_word_itself() -> None:
    index = text._typo_index(["rechnung", "rechnungs"])
    assert index["echnung"] == "rechnung"  # one word: the word itself, no tuple
    assert index["rechnung"] == ("rechnung", "rechnungs")  # the word, a deletion of the other
    assert text._typo_candidates(index, {"rechnug", "echnungs"}) == {"rechnung", "rechnungs"}


async def test_the_index_shares_its_sets_and_strings_and_drops_its_build_caches(
    db: Database, real_index_build: None
) -> None:
    first = AnswerEngine(db)
    assert await first.refresh()
    # The caches that indexing fills with the knowledge base's texts are emptied.
    assert text._tokenize.cache_info().currsize == 0
    assert text.stem_de.cache_info().currsize == 0
    engine = AnswerEngine(db)
    assert not await engine.refresh()  # the stored index, as at every start
    state = engine._state
    sets = list(state.term_topics.values())
    assert all(isinstance(s, frozenset) for s in sets)
    # One object per combination of topics, not one per term.
    assert len({id(s) for s in sets}) == len(set(sets)) < len(sets) / 10
    # A term read from the stored index is one string in every entry that has it.
    seen: dict[str, str] = {}
    for terms in state.terms.values():
        for term in terms:
            assert seen.setdefault(term, term) is term
