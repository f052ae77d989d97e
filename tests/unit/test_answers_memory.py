"""The answer engine's memory (issue 12, footprint; docs/performance.md, "Tenth round"): the
compact structures stay compact."""

from __future__ import annotations

from bot.answers import text
from bot.answers.engine import AnswerEngine
from storage.database import Database


def test_a_typo_key_of_one_word_holds_the_word_itself() -> None:
    index = text._typo_index(["rechnung", "rechnungs"])
    assert index["echnung"] == "rechnung"  # one word: the word itself, no tuple
    assert index["rechnung"] == ("rechnung", "rechnungs")  # the word, a deletion of the other
    assert text._typo_candidates(index, {"rechnug", "echnungs"}) == {"rechnung", "rechnungs"}


async def test_the_index_shares_its_sets_and_strings_and_drops_its_build_caches(
    db: Database,
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
