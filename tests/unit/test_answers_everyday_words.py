"""Everyday, colloquial and filler words, and typos of them: filler that weighs nothing (single
letters, contractions, dialect, hedges like "tatsächlich"); everyday words and things that support
an answer but never decide one ("Vorgaben", municipal services, "Kram", printing, an English
capital); colloquial words, synonym groups and verbs written apart for the knowledge base's terms;
and when a word is respelt as an everyday word and when not.
Each test names the rule it checks and was run once with its rule reverted and failed then (where
its comment names the reverted code, that is what was reverted). The questions are written for
these tests, not taken from the question sets. The tests come from the retrieval rounds of
issue 8 (seventh to nineteenth); the measurements are in docs/answer-quality.md, in each round's
section."""

from __future__ import annotations

import pytest

from bot.answers import engine as engine_module
from bot.answers import text
from bot.answers.engine import AnswerEngine
from bot.answers.text import (
    content_tokens,
    everyday_correction,
    is_stop,
    separable_verbs,
)
from tests.unit.conftest import entry_of

ENGINE_READ_ONLY = True  # its tests only ask: one engine for all (tests/unit/conftest.py)

# Filler: words that weigh nothing.


def test_single_letters_are_no_words() -> None:
    assert content_tokens("Formate, z. B. für Fotos") == ["formate", "fotos"]
    assert "e-rechnung" in content_tokens("die E-Rechnung")


def test_colloquial_contractions_are_filler() -> None:
    assert all(is_stop(w) for w in ("aufm", "ausm", "mitm", "vorm"))


@pytest.mark.parametrize(
    "word", ["wat", "dat", "nich", "nix", "haste", "nie", "se", "son", "sone", "boah", "boa"]
)
def test_colloquial_function_words_are_filler(word: str) -> None:
    # Fails without the colloquial line of vocabulary.GERMAN_FILLER: "dat" and "nie" are words
    # of some entry ("nie angekommen"), so they decided answers as domain words.
    assert is_stop(word)


async def test_a_question_in_dialect_finds_what_it_names(engine: AnswerEngine) -> None:
    # Fails without the colloquial filler: "dat" and "wat" were decisive words no entry on the
    # network matches (coverage 0.58), so the question was declined at 0.33.
    answer = await engine.ask("Wat is dat eigentlich für'n Netzwerk, diese ViR?")
    assert answer.entry is not None and answer.topic is not None
    assert answer.topic.id == "vir-nordwest"


async def test_se_for_sie_is_filler_in_a_chat_question(engine: AnswerEngine) -> None:
    # Fails without "se" as filler: an unknown word that lowered the share of known words (0.32,
    # declined; with it: the costs entry, 0.84). "kost" needs no rule: it is the stem of "kosten".
    assert (
        await entry_of(engine, "kost das die leute was, wenn se die 115 anrufen?") == "115-kosten"
    )


async def test_never_is_no_subject(engine: AnswerEngine) -> None:
    # Fails without "nie" as filler: "noch nie gemacht" matched the PIN letter that "never
    # arrived" (0.51, personalausweis) for a question on e-procurement.
    answer = await engine.ask(
        "Wie geht eine Ausschreibung im Internet, wenn wir das noch nie gemacht haben?"
    )
    assert answer.topic is None or answer.topic.id == "e-vergabe"


@pytest.mark.parametrize(
    ("plain", "hedged"),
    [
        (
            "Ist die Online-Ausweisfunktion sicher?",
            "Ist die Online-Ausweisfunktion tatsächlich sicher?",
        ),
        (
            "Was kostet eine ISO-27001-Zertifizierung?",
            "Was kostet ungefähr eine ISO-27001-Zertifizierung?",
        ),
        (
            "Müssen wir einen Informationssicherheitsbeauftragten benennen?",
            "Müssen wir unbedingt einen Informationssicherheitsbeauftragten benennen?",
        ),
        (
            "Welche Vergabeplattform nutzen die Kommunen?",
            "Welche Vergabeplattform nutzen die Kommunen momentan?",
        ),
        (
            "Muss eine E-Rechnung signiert werden?",
            "Muss eine E-Rechnung mittlerweile eigentlich sowieso signiert werden?",
        ),
    ],
)
async def test_a_hedge_word_changes_nothing(engine: AnswerEngine, plain: str, hedged: str) -> None:
    # "tatsächlich", "ungefähr", "unbedingt", "momentan", "mittlerweile", "sowieso" are filler
    # like "eigentlich" and "überhaupt" (vocabulary.GERMAN_FILLER). Fails without them there:
    # as unknown everyday words they still weighed 0.1 and cost 0.03-0.08 of confidence (set
    # 14: a filler question fell from 0.42 to 0.400, just below the threshold).
    first, second = await engine.ask(plain), await engine.ask(hedged)
    assert first.entry is not None and second.entry is not None
    assert second.entry.id == first.entry.id
    assert second.score == pytest.approx(first.score, abs=0.005)


# Everyday words and things: they support an answer but never decide one.


async def test_a_capital_in_english_marks_no_noun(engine: AnswerEngine) -> None:
    # English capitalises names and nationalities, not nouns: "German" is a common word of
    # the language there, weighing little, like "considered"; in German a capital marks a noun.
    units = {
        u.surface: u
        for u in engine.features("Is a PDF sent by email an e-invoice under German rules?").units
    }
    assert units["german"].common
    answer = await engine.ask(
        "Is a PDF invoice sent by email considered an e-invoice under German rules?"
    )
    assert answer.topic is not None and answer.topic.id == "e-rechnung"


async def test_a_verb_spelt_like_an_everyday_thing_is_no_thing(engine: AnswerEngine) -> None:
    # Cause "asked verb": "schulen" (to train) was the everyday thing "Schulen" (schools),
    # weighed 0.3 and never decided, so the password entry ("wie oft" ändern) beat the one on
    # training (set 10: "staff training -> passwords"). Fails without the lower-case check in
    # Analyzer.query (text.only_a_thing, lower_case_words): it-sicherheit-datensicherung.
    question = "Wie oft sollen wir unser Personal zu Informationssicherheit schulen?"
    assert await entry_of(engine, question) == "it-sicherheit-schulungen"
    unit = next(u for u in engine.features(question).units if u.surface == "schulen")
    assert not unit.general
    # The noun stays an everyday thing, and so does a word of GENERAL_WORDS in lower case.
    units = engine.features("Brauchen Schulen in unserer Gemeinde ein ISMS?").units
    assert next(u for u in units if u.surface == "schulen").general
    units = engine.features("Wie beantragen wir die Leitweg-ID?").units
    assert next(u for u in units if u.surface == "beantragen").general
    # ... and a place's adjective names the place ("Bremen", an everyday thing), though it is
    # written in lower case: no anchor of its own (it gave a decline topic suggestions).
    units = engine.features("Sind das nur niedersächsische Kommunen?").units
    assert next(u for u in units if u.surface == "niedersaechsische").general


@pytest.mark.parametrize(
    "question",
    [
        "Nimmt die 115 auch Fragen zur Hundesteuer an?",
        "Landet ein Anruf bei der 115 zum Sperrmüll bei uns in der Gemeinde?",
    ],
)
async def test_a_municipal_service_named_to_the_115_is_an_everyday_thing(
    engine: AnswerEngine, question: str
) -> None:
    # Fails without the municipal services in vocabulary.GENERAL_THINGS ("Hundesteuer",
    # "Sperrmüll" were unknown subjects of full weight: declined at 0.26 / 0.40). The 115
    # answers on such services in general; the entries name none of them.
    answer = await engine.ask(question)
    assert answer.topic is not None and answer.topic.id == "service-center-115"


@pytest.mark.parametrize(
    "question",
    [
        "Wann wird bei uns der Sperrmüll abgeholt?",
        "Wie hoch ist die Hundesteuer in Oldenburg?",
        "Kann ich Wohngeld online beantragen?",
    ],
)
async def test_a_municipal_service_alone_is_still_no_question_on_the_topics(
    engine: AnswerEngine, question: str
) -> None:
    # An everyday thing supports an answer but never decides one: these stay declined.
    assert (await engine.ask(question)).entry is None


@pytest.mark.parametrize(
    ("question", "entry"),
    [
        (
            "Unser Servicecenter nimmt 115-Anrufe an und schafft die Erreichbarkeit nicht "
            "immer. Welche Vorgaben gibt es da genau?",
            "115-serviceversprechen",
        ),
        (
            "Welche Vorgaben macht das Serviceversprechen der 115 zur Erreichbarkeit?",
            "115-serviceversprechen",
        ),
        (
            "Welche Vorgaben gibt es für die Aufbewahrung von E-Rechnungen?",
            "e-rechnung-aufbewahrung",
        ),
        (
            "Gibt es Vorgaben, welche Dateiformate wir archivieren dürfen?",
            "lza-dateiformate",
        ),
    ],
)
async def test_vorgaben_says_what_is_asked_not_about_what(
    engine: AnswerEngine, question: str, entry: str
) -> None:
    # "Vorgaben" is an everyday word like "Regeln" or "Anforderungen" (which entries of many
    # topics use): an entry need not contain it to answer. Fails without "vorgabe(n)" in
    # vocabulary.GENERAL_WORDS: three of these were declined as off the question's subject
    # (0.45-0.76), the file formats went to the e-mail archiving entry.
    assert await entry_of(engine, question) == entry


@pytest.mark.parametrize(
    "question",
    [
        "Welche Vorgaben hat mein Arbeitgeber für den Urlaub?",
        "Welche Vorgaben gibt es für Hundehaltung in der Stadt?",
    ],
)
async def test_vorgaben_on_other_things_stay_declined(engine: AnswerEngine, question: str) -> None:
    assert await entry_of(engine, question) == "-"


async def test_printing_is_an_everyday_verb(engine: AnswerEngine) -> None:
    # "druckt" matched the ID-card entries' "Druck" words: with "Bürgerbüro" a printer fault
    # was answered from the entry on applying for an ID card (a decline-set question tipped
    # over the threshold by an unrelated new entry). Printing is everyday office work.
    question = "Der Drucker bei uns im Bürgerbüro druckt alles doppelt, was können wir machen?"
    assert await entry_of(engine, question) == "-"
    assert await entry_of(engine, "Dürfen wir E-Rechnungen ausdrucken und abheften?") == (
        "e-rechnung-aufbewahrung"
    )


@pytest.mark.parametrize("word", ["Kram", "Krams", "Murks", "Gedöns", "Zeug"])
async def test_a_vague_colloquial_noun_is_an_everyday_word(engine: AnswerEngine, word: str) -> None:
    # Unknown to the knowledge base, "Kram" weighed as a subject of its own and sank the
    # question; "Murks" and "Krams" were respelt to "Marks" and "krass".
    question = f"Was machen wir mit dem ganzen digitalen {word} im Archiv?"
    units = {u.surface: u for u in engine._state.analyzer.query(question).units}
    folded = word.lower().replace("ö", "oe")
    assert folded in units and units[folded].general


# Colloquial words, synonyms and verbs written apart for the knowledge base's terms.


@pytest.mark.parametrize(
    ("question", "entry"),
    [
        # Everyday words for the knowledge base's terms (knowledge/synonyms.toml, "Umgangssprache").
        ("Können wir Papierakten wegschmeißen, wenn sie eingescannt sind?", "lza-tr-resiscan"),
        ("muss man die onlinefunktion anmachen?", "personalausweis-eid-aktivierung"),
        (
            "Dürfen wir Kleinkram einfach direkt kaufen, ohne Ausschreibung?",
            "e-vergabe-direktauftrag",
        ),
    ],
)
async def test_colloquial_words_for_the_terms(
    engine: AnswerEngine, question: str, entry: str
) -> None:
    assert await entry_of(engine, question) == entry


async def test_colloquial_verbs_mean_the_terms(engine: AnswerEngine) -> None:
    # "aufheben" is "aufbewahren", also split ("heben … auf"); "rausschicken" is "versenden".
    def concepts(question: str, word: str) -> frozenset[str]:
        unit = next(u for u in engine.features(question).units if u.surface == word)
        return frozenset(t for t in unit.whole if t.startswith("zsyn"))

    keep = concepts("Wie lange müssen wir das aufbewahren?", "aufbewahren")
    assert keep and keep <= concepts("Wie lange müssen wir das aufheben?", "aufheben")
    assert keep <= concepts("Wie lange heben wir alte E-Mails auf?", "heben")
    send = concepts("Müssen wir E-Rechnungen versenden?", "versenden")
    assert send and send <= concepts("Müssen wir E-Rechnungen rausschicken?", "rausschicken")
    answer = await engine.ask("Müssen wir als Gemeinde selbst E-Rechnungen rausschicken?")
    assert answer.topic is not None and answer.topic.id == "e-rechnung"


def test_a_separable_verb_is_joined_where_the_joined_word_is_known() -> None:
    known = {"anbieten", "anmelden"}.__contains__
    assert separable_verbs("Wie bieten wir Akten dem Archiv an?", known) == {"bieten": "anbieten"}
    # The particle must end the clause, and the verb stand first or second in it.
    assert separable_verbs("Wie bieten wir an Schulen Kurse?", known) == {}
    assert separable_verbs("Welche Kurse kann die Stadt an Schulen denn an?", known) == {}
    assert separable_verbs("Wir bieten Akten an und fragen, wie das geht.", known) == {
        "bieten": "anbieten"
    }
    assert separable_verbs("Was steht an?", known) == {}


async def test_a_separable_verb_means_its_joined_form(engine: AnswerEngine) -> None:
    # "bieten" alone is what bidders do (procurement); "anbieten" is what records are to
    # the archive.
    # The entry, not only the topic (review REVIEW-7, T5).
    assert await entry_of(engine, "Wie bietet man Unterlagen an?") == "lza-aussonderung-ablauf"


@pytest.mark.parametrize(
    "question",
    ["Wer muss bei uns den ISB benennen?", "Muss eine Gemeinde eine ISB ernennen?"],
)
async def test_appointing_an_officer_is_one_verb(engine: AnswerEngine, question: str) -> None:
    # Cause "asked verb" (REVIEW-8's open ISB case): the ISB entry says the officer is
    # "bestellt", the data-protection comparison says the DSB is "benannt", so "benennen"
    # went to the comparison. Fails without the appointing group in
    # vocabulary.GENERAL_SYNONYMS for the first (it-sicherheit-datenschutz-unterschied).
    assert await entry_of(engine, question) == "it-sicherheit-isb"


async def test_hearing_impaired_callers_find_the_accessible_115(engine: AnswerEngine) -> None:
    # Fails without the group of knowledge/synonyms.toml (hörgeschädigt = schwerhörig =
    # hörbehindert = gehörlos): the entry says "gehörlos" and "hörbehindert", so a question
    # with "hörgeschädigt" or "schwerhörig" only knew "115".
    answer = await engine.ask("Gibt es die 115 auch für schwerhörige und hörgeschädigte Menschen?")
    assert answer.entry is not None and answer.entry.id == "115-barrierefrei"
    # Someone's own hearing aid stays declined.
    assert (await engine.ask("Mein Opa ist schwerhörig, welches Hörgerät ist gut?")).entry is None


# Typos and respelling: when a word is read as an everyday word and when not.


def test_a_typo_of_an_everyday_word_is_that_word() -> None:
    assert everyday_correction("zeittung") == "zeitung"
    assert everyday_correction("vidoes") == "videos"
    # A double letter restored beats a commoner word at the same distance.
    assert everyday_correction("nenen") == "nennen"
    assert everyday_correction("xyzzyq") is None


async def test_a_misspelt_everyday_word_does_not_sink_the_answer(engine: AnswerEngine) -> None:
    # "Zeittung" was an unknown word of the highest weight that no entry has.
    question = "Muss eine Ausschreibung zusätzlich in der Zeittung veröffentlicht werden?"
    assert await entry_of(engine, question) == "e-vergabe-bekanntmachung"


async def test_a_very_long_word_is_not_respelt(
    fresh_engine: AnswerEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = fresh_engine  # the analyser's lookup is patched below

    # Review REVIEW-7: respelling had no length limit; a 990-letter word built ~100,000
    # candidates per call. Longer than MAX_TYPO_WORD, a word is not looked up at all.
    def no_lookup(word: str) -> str | None:
        raise AssertionError(f"looked up a {len(word)}-letter word")

    monkeypatch.setattr(text, "everyday_correction", no_lookup)
    word = "verlaengerungsantrag" * 3
    assert engine._state.analyzer.respell(word) == word


def test_the_common_words_load_with_the_index_not_with_the_first_question() -> None:
    # Review REVIEW-7: loaded by the first question, they were missing from the footprint
    # benchmark's start-up memory and cost that member ~80 ms.
    text._common_german.cache_clear()
    text.Analyzer(["rechnung"], ())
    assert text._common_german.cache_info().currsize == 1


async def test_respelt_slang_does_not_rule_an_answer_out(engine: AnswerEngine) -> None:
    # Cause "colloquial": slang the knowledge base and wordfreq's common words do not know is
    # respelt to a common word ("Murks" -> "marks"); that guess became the question's only
    # subject, no entry had it, and the question was declined although it scored 0.60.
    # Fails without the `guessed` check in engine._subject_units (checked). Since the
    # eighteenth round "Murks" is a listed everyday word and no longer respelt; "Stuss" still
    # is ("stoss").
    question = "Kann man Mails einfach als .msg-Dateien ablegen oder is das Stuss?"
    assert await entry_of(engine, question) == "lza-e-mail"
    state = engine._state
    query = state.analyzer.query(question)
    guessed = [u for u in query.units if u.guessed]
    assert [u.surface for u in guessed] == ["stoss"]
    subject = engine_module._subject_units(state, query, "langzeitarchivierung")
    assert not any(u.guessed for u in subject)
    murks = "Kann man Mails einfach als .msg-Dateien ablegen oder is das Murks?"
    assert await entry_of(engine, murks) == "lza-e-mail"


async def test_two_letters_from_an_everyday_word_is_no_typo(engine: AnswerEngine) -> None:
    # "geschnackt" (dialect: chatted) is two edits from "geschickt", an everyday word that an
    # entry's phrasing uses ("Mails ..., die wir nie geschickt haben"): corrected, it outweighed
    # the question's subject. Fails without the rule in Analyzer.query: declined (0.39).
    question = "Was ist XRechnung, wird da nur geschnackt?"
    assert await entry_of(engine, question) == "e-rechnung-xrechnung"
    (unit,) = [u for u in engine.features(question).units if u.surface == "geschnackt"]
    assert "geschickt" not in unit.whole


# Nineteenth round: hedges of time (vocabulary.GERMAN_FILLER). Own phrasings.
@pytest.mark.parametrize("hedge", ["im Moment", "im Augenblick"])
async def test_a_hedge_of_time_is_not_a_subject(engine: AnswerEngine, hedge: str) -> None:
    # "Moment", unknown to the knowledge base, weighed as the question's own subject and sank
    # such a question below the threshold (declined); "Augenblick" since the review.
    question = f"Wie lange braucht {hedge} die Bundesdruckerei für einen neuen Personalausweis?"
    units = {u.surface for u in engine._state.analyzer.query(question).units}
    assert not units & {"moment", "augenblick"}
    answer = await engine.ask(question)
    assert answer.entry is not None and answer.entry.id == "personalausweis-dauer"
