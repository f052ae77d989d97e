"""AnswerEngine on a real SQLite database: index lifecycle, matching features, chat FAQ,
unanswered questions and feedback."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.answers import engine as engine_module
from bot.answers.engine import AnswerEngine, _tie_break, vote_from_reaction
from bot.answers.text import question_shape
from storage.database import Database
from storage.knowledge import Hit
from tests.unit.test_answers_loader import write_entry, write_kb, write_topic


@pytest.fixture
def real(engine: AnswerEngine) -> AnswerEngine:
    """Engine over the repository's knowledge base (tests here also build engines of their own)."""
    return engine


@pytest.fixture
def kb(tmp_path: Path) -> Path:
    return write_kb(tmp_path / "kb")


# -- index lifecycle -----------------------------------------------------------------------------


async def test_index_rebuilt_only_when_a_file_changes(db: Database, kb: Path) -> None:
    assert await AnswerEngine(db, kb).refresh() is True  # first build
    assert await AnswerEngine(db, kb).refresh() is False  # restart, nothing changed
    engine = AnswerEngine(db, kb)
    assert await engine.refresh() is False
    path = kb / "e-rechnung" / "zre.md"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "nimmt Rechnungen an.", "nimmt Rechnungen an, auch per Peppol."
        ),
        encoding="utf-8",
    )
    assert await engine.refresh() is True
    assert await engine.refresh() is False
    answer = await engine.ask("Kann die ZRE Peppol?")
    assert answer.entry is not None and "Peppol" in answer.entry.body


async def test_touching_a_file_without_change_does_not_rebuild(db: Database, kb: Path) -> None:
    engine = AnswerEngine(db, kb)
    await engine.refresh()
    path = kb / "e-rechnung" / "zre.md"
    path.write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    assert await engine.refresh() is False


async def test_ask_notices_changed_files_after_check_interval(db: Database, kb: Path) -> None:
    now = [0.0]
    engine = AnswerEngine(db, kb, check_interval=30.0, monotonic=lambda: now[0])
    assert (await engine.ask("Was passiert mit dem Kassenbon?")).entry is None
    write_entry(
        kb,
        "e-rechnung",
        "kassenbon",
        "Ist ein Kassenbon eine E-Rechnung?",
        ["Kassenbon als Rechnung?"],
        "Ein Kassenbon ist keine E-Rechnung.",
    )
    now[0] = 10.0  # still within the interval: the old index answers
    assert (await engine.ask("Was passiert mit dem Kassenbon?")).entry is None
    now[0] = 31.0
    answer = await engine.ask("Was passiert mit dem Kassenbon?")
    assert answer.entry is not None and answer.entry.id == "kassenbon"


async def test_fixture_questions_answered(db: Database, kb: Path) -> None:
    engine = AnswerEngine(db, kb)
    answer = await engine.ask("Was ist eigentlich die XRechnung?")
    assert answer.entry is not None and answer.entry.id == "xrechnung"
    assert answer.topic is not None and answer.topic.id == "e-rechnung"
    assert 0.0 <= answer.score <= 1.0
    english = await engine.ask("What is XRechnung?")
    assert english.language == "en" and english.text.startswith("XRechnung is")
    german = await engine.ask("PIN vergessen")
    assert german.language == "de"


# -- matching on the real knowledge base -----------------------------------------------------


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        ("Welche Rechnungseingangsplattform nimmt Rechnungen an?", "e-rechnung"),
        ("Langzeitarchiverung für Kommunen", "langzeitarchivierung"),
        ("PIN vom Persoanlausweis vergessen", "personalausweis"),
        ("Was kann der nPA?", "personalausweis"),
        ("Wie nutze ich die eID?", "personalausweis"),
        ("Was ist die ZRE?", "e-rechnung"),
        ("Brauchen wir ein ISMS?", "it-sicherheit"),
        ("Was beschreibt OAIS?", "langzeitarchivierung"),
        ("Wann ist die 115 erreichbar?", "service-center-115"),
        ("Wie erreiche ich die Behördenrufnummer?", "service-center-115"),
        ("Muss die Strasse in der Leitweg-ID stehen?", "e-rechnung"),
    ],
)
async def test_real_kb_topics(real: AnswerEngine, question: str, topic: str) -> None:
    answer = await real.ask(question)
    assert answer.topic is not None, f"abstained ({answer.score:.2f})"
    assert answer.topic.id == topic


async def test_compound_is_split_against_the_index_vocabulary(real: AnswerEngine) -> None:
    query = real.features("Rechnungseingangsplattform")
    parts = {next(iter(p)) for p in query.units[0].parts}
    assert {"rechnung", "eingang", "plattform"} <= parts


async def test_typo_is_corrected(real: AnswerEngine) -> None:
    unit = real.features("Langzeitarchiverung").units[0]
    assert unit.weight < 1.0 and "langzeitarchivier" in unit.whole


async def test_umlaut_spellings_are_equal(real: AnswerEngine) -> None:
    a = await real.ask("Was kostet der Anruf bei der Behördennummer?")
    b = await real.ask("Was kostet der Anruf bei der Behoerdennummer?")
    assert a.entry is not None and b.entry is not None and a.entry.id == b.entry.id


async def test_english_question_gets_english_answer(real: AnswerEngine) -> None:
    answer = await real.ask("How can a municipality join the 115 hotline?")
    assert answer.topic is not None and answer.topic.id == "service-center-115"
    assert answer.english
    if answer.entry is not None and answer.entry.en is not None:
        assert answer.language == "en" and answer.text == answer.entry.en.answer


@pytest.mark.parametrize(
    "question",
    [
        "Wie wird das Wetter morgen?",
        "Wer gewinnt die Bundesliga?",
        "Rezept für Grünkohl",
        "Erzähl mir einen Witz",
        "Was ist?",
        "",
        "???",
    ],
)
async def test_off_topic_abstains(real: AnswerEngine, question: str) -> None:
    answer = await real.ask(question)
    assert answer.entry is None and answer.topic is None
    assert answer.score < real.threshold
    assert len(answer.candidates) <= 3


@pytest.mark.parametrize(
    "question",
    [
        "Was kostet eine Briefmarke?",  # "kosten" alone must not pick the cost of the 115
        "Danke für die Hilfe!",
        "Guten Morgen zusammen!",
        "Wie beantrage ich Elterngeld?",
        "Wie viele Mitglieder hat der Kegelclub?",
        "Passwort vom Intranet vergessen",
        "How much is a train ticket to Berlin?",
    ],
)
async def test_everyday_words_alone_do_not_answer(real: AnswerEngine, question: str) -> None:
    answer = await real.ask(question)
    assert answer.entry is None, f"answered {answer.entry.id} ({answer.score:.2f})"


@pytest.mark.parametrize(
    ("chatty", "plain"),
    [
        ("Weiß jemand, was die 115 ist?", "Was ist die 115?"),
        ("Hallo zusammen, kann mir jemand sagen, was XRechnung ist? Danke schon mal!", "XRechnung"),
        ("Ich hätte mal eine kurze Frage zu OAIS, bitte", "Was ist OAIS?"),
        ("Moin! Gibt es eigentlich irgendwie ein ISMS für Kommunen? LG Jan", "ISMS Kommunen"),
        ("Hi ViR-Bot, does anyone know what the Leitweg-ID is? Thanks!", "Leitweg-ID"),
    ],
)
async def test_chat_filler_does_not_change_the_answer(
    real: AnswerEngine, chatty: str, plain: str
) -> None:
    a, b = await real.ask(chatty), await real.ask(plain)
    assert a.entry is not None and b.entry is not None, (a.score, b.score)
    assert a.topic == b.topic


async def test_abbreviation_in_capitals_is_kept(real: AnswerEngine) -> None:
    answer = await real.ask("Wofür brauche ich die CAN?")
    assert answer.topic is not None and answer.topic.id == "personalausweis"


async def test_low_confidence_offers_candidate_topics(real: AnswerEngine) -> None:
    strict = AnswerEngine(real.store.db, threshold=0.999)
    answer = await strict.ask("Pflichten für Lieferanten und Rechnungen")
    assert answer.entry is None
    assert [t.id for t in answer.candidates][:1] == ["e-rechnung"]


# -- near-ties on content: the question's shape decides ------------------------------------


@pytest.mark.parametrize(
    ("question", "kinds"),
    [
        ("Was ist die 115?", {"definition"}),
        ("Weiß jemand, was die 115 ist?", {"definition"}),
        ("What is XRechnung?", {"definition"}),
        ("Seit wann gibt es die ViR?", {"date"}),
        ("In welchem Jahr kam der nPA?", {"date"}),
        ("Wer leitet den Erprobungsraum?", {"actor"}),
        ("Wie viel kostet ein Anruf?", {"cost"}),
        ("How much does it cost?", {"cost", "quantity"}),
        ("Wie viele Kommunen machen mit?", {"quantity", "join"}),
        ("Wo melden wir einen Vorfall?", {"place", "report"}),
        ("PIN vergessen – was tun?", {"how", "lost"}),
        ("Wie treten wir der 115 bei?", {"how", "join"}),
        ("Was müssen wir zuerst tun?", {"first"}),
        ("Wo beantragen wir die Leitweg-ID?", {"place", "apply"}),
        ("Wie verlängere ich den Ausweis?", {"how", "renew"}),
        ("Wo liegt der Schwellenwert?", {"quantity"}),
        ("Leitweg-ID Aufbau", set()),
    ],
)
def test_question_kinds(question: str, kinds: set[str]) -> None:
    assert question_shape(question).kinds == kinds


@pytest.mark.parametrize("question", ["Was ist die 115?", "Weiß jemand, was die 115 ist?"])
async def test_what_is_question_gets_the_definition(real: AnswerEngine, question: str) -> None:
    # "115" is the only content word, and every 115 entry contains it.
    answer = await real.ask(question)
    assert answer.entry is not None and answer.entry.id == "115-was-ist"


async def test_tie_break_changes_only_the_entry(
    real: AnswerEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    shaped = await real.ask("Was ist die 115?")
    shaped_features = real.last_features
    monkeypatch.setattr(engine_module, "TIE_BAND", 0.0)
    content_only = await real.ask("Was ist die 115?")
    assert content_only.entry is not None and content_only.entry.id != "115-was-ist"
    # The content features are those of the best entry by content either way; only the fit of
    # the answered entry's phrasing (the last feature) follows the choice.
    assert shaped_features[:-1] == real.last_features[:-1]
    assert shaped_features[-1] > real.last_features[-1]
    assert shaped.candidates == content_only.candidates


async def test_clear_content_match_beats_a_fitting_phrasing(real: AnswerEngine) -> None:
    # Both titles start "Was ist die/der ..."; "Verbund" decides.
    answer = await real.ask("Was ist der 115-Verbund?")
    assert answer.entry is not None and answer.entry.id == "115-verbund"


@pytest.fixture
def office_kb(kb: Path) -> Path:
    """Four entries on one "Servicestelle", each containing the word equally often."""
    write_topic(kb, "vir-nordwest", "ViR-Nordwest", ["Netzwerk"])
    entries = {
        "sst-was-ist": ("Was ist die Servicestelle?", "Wofür gibt es die Servicestelle?"),
        "sst-ort": ("Wo sitzt die Servicestelle?", "Adresse der Servicestelle"),
        "sst-start": ("Seit wann gibt es die Servicestelle?", "Wann öffnete die Servicestelle?"),
        "sst-telefon": ("Welche Telefonnummer hat die Servicestelle?", "Servicestelle anrufen"),
    }
    bodies = {
        "sst-was-ist": "Die Servicestelle berät Kommunen bei Anträgen.",
        "sst-ort": "Die Servicestelle sitzt im Rathaus Nord, Zimmer 12.",
        "sst-start": "Die Servicestelle ist seit dem 1. März 2019 für alle Kommunen da.",
        "sst-telefon": "Die Servicestelle erreichen Sie unter der Telefonnummer 0421 123456.",
    }
    for eid, (title, question) in entries.items():
        write_entry(kb, "vir-nordwest", eid, title, [question], bodies[eid], ["Servicestelle"])
    # Other entries, so that "Servicestelle" is a rare word.
    for eid, title in [("plenum", "Wer organisiert das Plenum?"), ("projekte", "Welche Projekte?")]:
        write_entry(kb, "vir-nordwest", eid, title, [title], f"{title} Das steht im Protokoll.")
    return kb


@pytest.mark.parametrize(
    "question",
    [
        "Seit wann gibt es eigentlich die Servicestelle?",
        "Weiß jemand, wann es die Servicestelle gab?",
    ],
)
async def test_when_question_prefers_the_date_entry(
    db: Database, office_kb: Path, question: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = AnswerEngine(db, office_kb)
    answer = await engine.ask(question)
    assert answer.entry is not None and answer.entry.id == "sst-start"
    # Without the tie-break another entry would win: the content alone does not decide.
    monkeypatch.setattr(engine_module, "TIE_BAND", 0.0)
    content_only = await engine.ask(question)
    assert content_only.entry is not None and content_only.entry.id != "sst-start"


async def test_question_kind_does_not_override_a_content_match(
    db: Database, office_kb: Path
) -> None:
    # "Wann" fits "Seit wann gibt es die Servicestelle?", but only one entry has the number.
    engine = AnswerEngine(db, office_kb, threshold=0.0)
    answer = await engine.ask("Wann ist die Telefonnummer der Servicestelle besetzt?")
    assert answer.entry is not None and answer.entry.id == "sst-telefon"


@pytest.mark.parametrize(("behind", "picked"), [(0.5, "sst-start"), (1.2, "sst-was-ist")])
async def test_tie_break_only_within_the_band(
    db: Database, office_kb: Path, behind: float, picked: str
) -> None:
    # A perfectly fitting phrasing wins a near-tie, never against a clear content lead.
    engine = AnswerEngine(db, office_kb)
    await engine.refresh()
    state = engine._state
    query = state.analyzer.query("Seit wann gibt es die Servicestelle?")
    ranked = [Hit("sst-was-ist", "vir-nordwest", 1.0), Hit("sst-start", "vir-nordwest", 0.9)]
    # sst-start behind by half the band, or by a bit more than the band.
    vals = {"sst-was-ist": 1.0, "sst-start": 1.0 - behind * engine_module.TIE_BAND}
    assert _tie_break(state, query, ranked, vals)[0].doc_id == picked


# -- FAQ entries from chat -------------------------------------------------------------------


async def test_faq_entry_is_searchable_at_once_and_survives_restart(db: Database, kb: Path) -> None:
    engine = AnswerEngine(db, kb)
    await engine.refresh()
    assert (await engine.ask("Gibt es einen Leitfaden für Skonto?")).entry is None
    entry = await engine.add_faq_entry(
        "e-rechnung",
        "Gibt es einen Leitfaden für Skonto?",
        "Skonto wird in der XRechnung im Feld Zahlungsbedingungen angegeben.",
        added_by="@anna:example.org",
    )
    assert entry.origin == "db" and entry.id.startswith("e-rechnung-")
    answer = await engine.ask("Skonto Leitfaden?")
    assert answer.entry is not None and answer.entry.id == entry.id
    restarted = AnswerEngine(db, kb)
    assert await restarted.refresh() is False
    assert (await restarted.ask("Skonto Leitfaden?")).entry == entry
    assert await restarted.remove_faq_entry(entry.id)
    assert (await restarted.ask("Skonto Leitfaden?")).entry is None


async def test_faq_entry_rejects_unknown_topic_and_duplicate_id(db: Database, kb: Path) -> None:
    engine = AnswerEngine(db, kb)
    with pytest.raises(ValueError):
        await engine.add_faq_entry("wetter", "Regen?", "Ja.")
    with pytest.raises(ValueError):
        await engine.add_faq_entry("e-rechnung", "Was?", "Das.", entry_id="xrechnung")


# -- unanswered, feedback, stats -------------------------------------------------------------


async def test_unanswered_ids_are_stable(db: Database, kb: Path) -> None:
    engine = AnswerEngine(db, kb)
    first = await engine.record_unanswered("Wie wird das Wetter?", user_id="@a:x")
    again = await engine.record_unanswered("  wie wird das WETTER  ", user_id="@b:x")
    other = await engine.record_unanswered("Wer gewinnt das Spiel?")
    assert first == again != other
    assert len(first) == 6 and first.isalnum()
    open_items = await engine.unanswered()
    assert [(u.id, u.asked) for u in open_items] == [(first, 2), (other, 1)]
    entry = await engine.add_faq_entry(
        "e-rechnung", "Wie wird das Wetter?", "Egal.", unanswered_id=first
    )
    resolved = await engine.get_unanswered(first)
    assert resolved is not None and resolved.status == "answered"
    assert resolved.entry_id == entry.id
    assert [u.id for u in await engine.unanswered()] == [other]


async def test_unanswered_id_does_not_depend_on_the_database(tmp_path: Path, kb: Path) -> None:
    ids = []
    for name in ("a.db", "b.db"):
        database = Database(tmp_path / name)
        await database.open()
        ids.append(await AnswerEngine(database, kb).record_unanswered("Frage ohne Antwort"))
        await database.close()
    assert ids[0] == ids[1]


async def test_feedback_and_stats(db: Database, kb: Path) -> None:
    engine = AnswerEngine(db, kb)
    good = await engine.ask("Was ist XRechnung?")
    bad = await engine.ask("Was ist die ZRE?")
    none = await engine.ask("Wie wird das Wetter?")
    assert good.entry and bad.entry and none.entry is None
    await engine.record_answer(good, event_id="$good")
    answer_id = await engine.record_answer(bad)
    await engine.set_answer_event(answer_id, "$bad")
    await engine.record_answer(none, event_id="$none")
    assert await engine.feedback("$good", "@a:x", 1)
    assert await engine.feedback("$bad", "@a:x", 1)
    assert await engine.feedback("$bad", "@a:x", -1)  # changed mind: replaces the vote
    assert await engine.feedback("$bad", "@b:x", -1)
    assert not await engine.feedback("$unknown", "@a:x", -1)
    stats = await engine.stats()
    assert stats.asked == 3 and stats.abstained == 1
    assert stats.abstention_rate == pytest.approx(1 / 3)
    assert stats.top_topics == [("e-rechnung", 2)]
    worst = stats.most_downvoted
    assert [(v.entry_id, v.down, v.up) for v in worst] == [(bad.entry.id, 2, 0)]
    assert await engine.retract_feedback("$bad", "@b:x")
    assert (await engine.stats()).most_downvoted[0].down == 1


def test_reaction_keys() -> None:
    assert vote_from_reaction("👍") == 1
    assert vote_from_reaction("👍🏽") == 1
    assert vote_from_reaction("👎\ufe0f") == -1
    assert vote_from_reaction("🎉") is None


@pytest.mark.parametrize(
    "question",
    [
        "Wo ist unser Verwaltungssitz?",
        "Muss die Fehlmeldung elektronisch erfolgen?",
        "Wie lange darf die Aufbahrung dauern?",
        "Wie wird die Kostenrechnung erstellt?",
        "Wir müssen die Einfahrt freihalten. Wer kontrolliert das?",
        "Was bedeutet eine Preisfrage?",
        "Wie funktioniert die Grundsicherung?",
        "Was sind Übergangsriten?",
        "Is the invoice sent electrically?",
        "Ich habe meine PIN verschusselt, was tun?",
    ],
)
async def test_a_word_two_letters_short_of_a_topic_word_is_not_corrected_into_it(
    real: AnswerEngine, question: str
) -> None:
    # "Verwaltungssitz" is no Verwaltungsspitze, "Fehlmeldung" no Fehlermeldung (review 38e,
    # M1): declined, not answered from the word it was "corrected" into.
    assert (await real.ask(question)).entry is None
