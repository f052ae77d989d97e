"""Issue 8, third round: a message that asks two questions gets both answered (each from its
own entry, with its source), or the one that is sure plus an offer or an honest line for the
other; on the real knowledge base. Later rounds add, at the end: a value asked in a later part
(answered where the entry states it, a "wann" needs a date) and a later part that points back at
the first one. Each of those was run once with its rule reverted and failed then; the
measurements are in docs/answer-quality.md, in each retrieval round's section."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.answers.engine import AnswerEngine
from bot.answers.loader import Entry
from bot.answers.render import render_answer
from bot.answers.text import private_setting, split_questions, without_parts
from storage.database import Database
from tests.unit import test_answers_intent as intent
from tests.unit.conftest import entry_of
from tests.unit.test_answers_loader import write_entry, write_topic

ENGINE_READ_ONLY = True  # its tests only ask: one engine for all (tests/unit/conftest.py)

real = intent.real  # the engine on the real knowledge base (fixture)


@pytest.mark.parametrize(
    ("message", "first", "second"),
    [
        (
            "Was ist eine Leitweg-ID und wo beantrage ich sie?",
            "Was ist eine Leitweg-ID?",
            "Wo beantrage ich sie?",
        ),
        (
            "Was kostet die 115? Und wer darf mitmachen?",
            "Was kostet die 115?",
            "Und wer darf mitmachen?",
        ),
        ("What is the 115 and how do we join?", "What is the 115?", "How do we join?"),
        (
            "Würde uns die 115 helfen und wie treten wir bei?",
            "Würde uns die 115 helfen?",
            "Wie treten wir bei?",
        ),
        (
            "Was ist eine Leitweg-ID und wofür braucht man sie?",
            "Was ist eine Leitweg-ID?",
            "Wofür braucht man sie?",
        ),
    ],
)
def test_two_questions_are_split(message: str, first: str, second: str) -> None:
    two = split_questions(message)
    assert two is not None and (two.first, two.second) == (first, second)
    # The second is asked after what the first is about ("sie" is the Leitweg-ID).
    assert two.second_in_context.endswith(second) and two.second_in_context != second


@pytest.mark.parametrize(
    "message",
    [
        "Ist das Pflicht? Und ab wann?",  # the second half names nothing: one question
        "Wie und wo beantrage ich eine Leitweg-ID?",
        "Was ist der Unterschied zwischen ZRE und OZG-RE?",
        "Hallo? Was ist die 115?",
    ],
)
def test_one_question_is_not_split(message: str) -> None:
    assert split_questions(message) is None


async def test_both_questions_are_answered_each_with_its_source(real: AnswerEngine) -> None:
    answer = await real.ask("Was ist eine Leitweg-ID und wo beantrage ich sie?")
    assert [p.entry.id for p in answer.parts if p.entry] == [
        "e-rechnung-leitweg-id",
        "e-rechnung-leitweg-id-beantragen",
    ]
    # The first is the answer of record (votes and statistics).
    assert answer.entry is not None and answer.entry.id == "e-rechnung-leitweg-id"
    message = render_answer(answer)
    for part in answer.parts:
        assert part.entry is not None and part.entry.title in message.body
        assert f"<b>{part.entry.title}</b>" in message.html
    assert message.body.count("Quelle: ") == 2
    assert message.body.count("War das hilfreich?") == 1


async def test_second_question_from_another_topic_is_not_answered_for_a_pronoun(
    real: AnswerEngine,
) -> None:
    # "es" is the BSI: an entry of another topic (who leads the testbed) is no answer to it.
    answer = await real.ask("Was ist das BSI und wer leitet es?")
    assert answer.entry is not None and answer.entry.id == "it-sicherheit-bsi"
    assert not answer.parts and answer.unanswered_part == "Wer leitet es?"


async def test_the_unanswered_part_is_named_and_escaped(real: AnswerEngine) -> None:
    # (A cake baked here until round 39: such a part is now declined as off the topics.)
    answer = await real.ask(
        "Was ist XRechnung und wie hoch ist der Vorsteuerabzug <b>bei</b> Reisekosten?"
    )
    assert answer.entry is not None and answer.entry.id == "e-rechnung-xrechnung"
    message = render_answer(answer)
    assert (
        "Zu „Wie hoch ist der Vorsteuerabzug <b>bei</b> Reisekosten?“ weiß ich leider "
        "nichts Sicheres." in message.body
    )
    assert "&lt;b&gt;bei&lt;/b&gt;" in message.html and "<b>bei</b>" not in message.html


async def test_a_baked_cake_is_declined_as_off_the_topics_and_escaped(
    real: AnswerEngine,
) -> None:
    answer = await real.ask("Was ist XRechnung und wie backe ich einen Kuchen <b>mit</b> Äpfeln?")
    assert answer.off_topic_parts == ("Wie backe ich einen Kuchen <b>mit</b> Äpfeln?",)
    message = render_answer(answer)
    assert "&lt;b&gt;mit&lt;/b&gt;" in message.html and "<b>mit</b>" not in message.html
    assert "Quelle: " in message.body


async def test_the_other_part_is_offered_when_not_sure(db: Database) -> None:
    # A strict threshold: the definition is sure, the cost of a call is not, so its entry is
    # offered ("Passt eher") instead of answered.
    strict = AnswerEngine(db, threshold=0.9)
    await strict.refresh()
    answer = await strict.ask("Was ist die 115 und was kostet ein Anruf?")
    assert answer.entry is not None and answer.entry.id == "115-was-ist"
    assert answer.also is not None and answer.also.id == "115-kosten"
    assert f"Passt eher: „{answer.also.title}“" in render_answer(answer).body


async def test_one_question_keeps_its_single_answer(real: AnswerEngine) -> None:
    answer = await real.ask("Was ist eine Leitweg-ID?")
    assert answer.entry is not None and not answer.parts and not answer.unanswered_part


async def test_only_a_fitting_entry_is_offered_for_the_other_part(real: AnswerEngine) -> None:
    # The bid-form entry shares "Angebot" but answers another kind of question, so it is never
    # offered ("Passt eher") for late bids. (Since round 36 the entry on late bids answers the
    # part; before, no entry had them and the part was passed on.)
    answer = await real.ask(
        "Welche Fristen gelten bei EU-Vergaben und was passiert, wenn ein Angebot zu spät kommt?"
    )
    assert answer.entry is not None and answer.entry.id == "e-vergabe-angebotsfristen"
    assert answer.also is None
    assert [p.entry.id for p in answer.parts if p.entry] == [
        "e-vergabe-angebotsfristen",
        "e-vergabe-verspaetete-angebote",
    ]


async def test_no_suggestion_off_the_other_parts_subject(real: AnswerEngine) -> None:
    # Liability for a platform's fault is in no entry; the platform entry shares only the
    # topic's words with it, so it is not offered ("Passt eher"): that part is forwarded.
    answer = await real.ask("Was ist die E-Vergabe und wer haftet bei einem Fehler der Plattform?")
    assert answer.entry is not None and answer.entry.id == "e-vergabe-kommunen"
    assert answer.also is None
    assert answer.unanswered_question == "Wer haftet bei einem Fehler der Plattform?"


@pytest.mark.parametrize(
    ("message", "entry", "forwarded"),
    [
        # Every 115 entry shares "115" with the context; none is about a salary (the answer
        # was the first-contact resolution rate). "dort" is the 115: the coordination reads
        # the part with the question that says so (two members' "dort" are no one question).
        (
            "Was ist die 115 und wie hoch ist das Gehalt dort?",
            "115-was-ist",
            "Was ist die 115? Wie hoch ist das Gehalt dort?",
        ),
        # Cleaning photo albums is in no entry (digitising old photos was, until the nineteenth
        # round, too: the replacement-scanning guideline answered it; now lza-scanaufloesung
        # does, rightly). The part says what it is about: it is forwarded as asked.
        (
            "Was ist die Langzeitarchivierung und wie reinigen wir alte Fotoalben?",
            "lza-was-ist",
            "Wie reinigen wir alte Fotoalben?",
        ),
    ],
)
async def test_a_second_answer_about_another_thing_is_not_given(
    real: AnswerEngine, message: str, entry: str, forwarded: str
) -> None:
    answer = await real.ask(message)
    assert answer.entry is not None and answer.entry.id == entry
    assert not answer.parts and answer.also is None
    assert answer.unanswered_question == forwarded


async def test_everyday_words_that_ask_still_get_both_answers(real: AnswerEngine) -> None:
    # "mitmachen", "da rein", "erreichbar" say what is asked; no noun of the second part is
    # left uncovered, so both are answered.
    for message in (
        "Was kostet die 115? Und wer darf mitmachen?",
        "Was ist die 115 und wann ist sie erreichbar?",
        "Was ist die ViR-Nordwest und was kostet die Mitgliedschaft?",
    ):
        answer = await real.ask(message)
        assert len(answer.parts) == 2, message


@pytest.mark.parametrize(
    ("message", "entry", "part"),
    [
        (
            "Was ist eine Leitweg-ID und wie heißt der Bürgermeister von Oldenburg?",
            "e-rechnung-leitweg-id",
            "Wie heißt der Bürgermeister von Oldenburg?",
        ),
        (
            "Was ist die 115 und wie heißt der Bürgermeister von Oldenburg?",
            "115-was-ist",
            "Wie heißt der Bürgermeister von Oldenburg?",
        ),
        ("Was ist eine Leitweg-ID und wo parke ich in Hannover?", "e-rechnung-leitweg-id",
         "Wo parke ich in Hannover?"),
        # The weather is chit-chat: neither answered nor forwarded.
        ("Was ist eine Leitweg-ID und wie wird das Wetter morgen?", "e-rechnung-leitweg-id", ""),
    ],
)  # fmt: skip
async def test_a_second_part_is_searched_for_its_own_words(
    real: AnswerEngine, message: str, entry: str, part: str
) -> None:
    """REVIEW-4: with the first question's words before it, the mayor of Oldenburg got the
    Leitweg-ID entry (0.67, direct). Its own words decide; the first's only weigh in."""
    answer = await real.ask(message)
    assert answer.entry is not None and answer.entry.id == entry
    assert not answer.parts and answer.also is None and not answer.covered
    assert answer.unanswered == (((part, part),) if part else ())
    if part:
        assert f"Zu „{part}“ weiß ich leider nichts Sicheres." in render_answer(answer).body


async def test_a_pronoun_part_is_still_asked_after_the_first_ones_subject(
    real: AnswerEngine,
) -> None:
    # "sie" is the Leitweg-ID: searched with it, and its best entry is the one answered. (It
    # was answered as one question before, without a word on the second.)
    answer = await real.ask("Was ist eine Leitweg-ID und wofür braucht man sie?")
    assert answer.entry is not None and answer.entry.id == "e-rechnung-leitweg-id"
    assert answer.covered == ("Wofür braucht man sie?",) and not answer.unanswered
    assert "Zu „Wofür braucht man sie?“ passt am ehesten dieselbe Antwort." in (
        render_answer(answer).body
    )


async def test_every_one_of_three_questions_is_answered_or_named(real: AnswerEngine) -> None:
    """REVIEW-4: the middle one of three questions vanished (only the first and the last
    were read)."""
    answer = await real.ask(
        "Was ist die 115? Wie hoch ist die Miete in Bremen? Wo beantrage ich eine Leitweg-ID?"
    )
    assert [p.entry.id for p in answer.parts if p.entry] == [
        "115-was-ist",
        "e-rechnung-leitweg-id-beantragen",
    ]
    miete = "Wie hoch ist die Miete in Bremen?"
    assert answer.unanswered == ((miete, miete),)
    assert f"Zu „{miete}“ weiß ich leider nichts Sicheres." in render_answer(answer).body
    three = await real.ask("Was ist die 115? Was ist XRechnung? Wo beantrage ich eine Leitweg-ID?")
    assert len(three.parts) == 3 and not three.unanswered
    assert render_answer(three).body.count("Quelle: ") == 3


@pytest.mark.parametrize(
    ("message", "entry", "forwarded"),
    [
        # The part's own words find nothing; its "dort" is the ZRE.
        (
            "Was ist die ZRE und wie hoch ist das Gehalt dort?",
            "e-rechnung-zre-ozg-re",
            "Was ist die ZRE? Wie hoch ist das Gehalt dort?",
        ),
        (
            "Wie beantrage ich eine Leitweg-ID und wie beantrage ich Elterngeld?",
            "e-rechnung-leitweg-id-beantragen",
            "Wie beantrage ich Elterngeld?",
        ),
    ],
)
async def test_a_part_that_got_the_first_ones_entry_is_not_lost(
    real: AnswerEngine, message: str, entry: str, forwarded: str
) -> None:
    """REVIEW-4: the first question's words gave the second part the same entry, and the
    message was answered as one question: the salary and the parental allowance vanished."""
    answer = await real.ask(message)
    assert answer.entry is not None and answer.entry.id == entry
    assert answer.unanswered_question == forwarded and not answer.covered


async def test_a_pronoun_part_needs_an_entry_about_what_it_asks(real: AnswerEngine) -> None:
    """REVIEW-4 finding 1.3: a part of only pronouns and verbs was answered by any entry of
    the first one's subject ("wo sitzt es?" got the BSI's risk analysis). Asking where, who,
    when or how much, its entry must be about that."""
    answer = await real.ask("Was ist das BSI und wo sitzt es?")
    assert answer.entry is not None and answer.entry.id == "it-sicherheit-bsi"
    assert not answer.parts and answer.also is None
    assert answer.unanswered == (("Wo sitzt es?", "Was ist das BSI? Wo sitzt es?"),)
    # ... and one whose entry is about what it asks is still answered.
    both = await real.ask("Was ist die 115 und wann ist sie erreichbar?")
    assert [p.entry.id for p in both.parts if p.entry] == ["115-was-ist", "115-serviceversprechen"]


async def test_an_unsure_part_near_an_answer_given_says_so(real: AnswerEngine) -> None:
    """Set 17's judges: a part that was not sure but whose best entry is the one answered above
    was named as if nothing had been said about it ("Zu … habe ich nichts Sicheres") under an
    answer that covers much of it. It is still not claimed as answered, and still forwarded,
    but the line says the answer above may cover it."""
    message = (
        "Wir sind eine Gemeinde an der Küste und noch nicht an die 115 angeschlossen. Unsere "
        "Telefonzentrale ist mit zwei Kräften besetzt, die auch das Bürgerbüro unterstützen. "
        "Was würde eine Teilnahme konkret für uns bedeuten, und müssen wir dafür ein eigenes "
        "Servicecenter aufbauen?"
    )
    answer = await real.ask(message)
    assert answer.entry is not None and len(answer.unanswered) == 1
    part = answer.unanswered_part
    assert answer.near_given == (part,) and not answer.covered
    shown = render_answer(answer, forwarded_parts=["abc123"]).body
    assert f"Ob die Antwort oben auch „{part}“ beantwortet, weiß ich nicht sicher; " in shown
    assert "(Nr. abc123)" in shown and "habe ich nichts Sicheres" not in shown
    # A part far from every answer keeps the plain line (a cake here until round 39: such a
    # part is now declined as off the topics).
    far = await real.ask("Was ist XRechnung und wie hoch ist der Vorsteuerabzug bei Reisekosten?")
    assert far.near_given == () and far.unanswered


@pytest.mark.parametrize(
    ("message", "entry"),
    [
        # (Set 6's "Wie schnell müssen wir Sicherheitsupdates einspielen, und was machen wir mit
        # Rechnern, die noch Windows 10 haben?" is covered by the updates entry since round 42,
        # which gave it words of work computers: the entry states what to do with Windows 10;
        # see test_a_windows_10_part_is_covered_by_the_updates_entry.)
        (  # set 21
            "Was ist ein IT-Grundschtuz-Check und wie lange dauret der ungefähr?",
            "it-sicherheit-grundschutz-check",
        ),
        # (The reviewer's "Was ist Peppol und was kostet das?" is answered in two parts since
        # round 36: the entry on the ZeRN's costs names Peppol.)
    ],
)
async def test_a_part_leaning_on_the_first_near_its_answer_says_so(
    real: AnswerEngine, message: str, entry: str
) -> None:
    """Round 21, the judges of sets 6 and 21: a part that leans on the first question ("der",
    "die noch Windows 10 haben") and whose best entry was too unsure even to be offered was
    named as if nothing had been said about it, under an answer that covers it ("a closing
    line confusingly says the Windows 10 part is unanswered"). When that best entry is the one
    answered above, the line says the answer may cover it (still forwarded, never claimed)."""
    answer = await real.ask(message)
    assert answer.entry is not None and answer.entry.id == entry
    part = answer.unanswered_part
    assert part and answer.near_given == (part,) and not answer.covered
    shown = render_answer(answer, forwarded_parts=["abc123"]).body
    assert f"Ob die Antwort oben auch „{part}“ beantwortet" in shown
    assert "habe ich nichts Sicheres" not in shown


async def test_a_windows_10_part_is_covered_by_the_updates_entry(real: AnswerEngine) -> None:
    """Set 6 (round 42): the part on computers still running Windows 10 is covered by the
    updates entry answered above, which has a paragraph on Windows 10; it is neither forwarded
    nor named as unsure."""
    answer = await real.ask(
        "Wie schnell müssen wir Sicherheitsupdates einspielen, und was machen wir mit "
        "Rechnern, die noch Windows 10 haben?"
    )
    assert answer.entry is not None and answer.entry.id == "it-sicherheit-updates"
    assert "Windows 10" in answer.entry.body
    assert answer.covered == ("Was machen wir mit Rechnern, die noch Windows 10 haben?",)
    assert answer.unanswered == () and answer.near_given == ()


async def test_a_part_with_a_subject_of_its_own_is_not_read_as_covered(real: AnswerEngine) -> None:
    """REVIEW-21, L3: only a part that leans on the first question gets the "may be covered"
    line through an entry too unsure to offer. One that names a subject of its own ("beide
    Rollen") keeps the plain line, although its best entry is the one answered above (without
    the condition it got the line, and four set questions like it did too)."""
    answer = await real.ask(
        "Was unterscheidet den ISB vom Datenschutzbeauftragten, und kann eine Kollegin beide "
        "Rollen übernehmen?"
    )
    assert answer.entry is not None and answer.entry.id == "it-sicherheit-datenschutz-unterschied"
    assert answer.unanswered and answer.near_given == ()


# A value asked in a later part: answered where the entry states it.


async def test_a_second_question_on_a_value_the_answer_states_is_answered(
    engine: AnswerEngine,
) -> None:
    # Cause "two-part answer passes on a part an entry covers". Fails without the entry's
    # stated values (engine.BODY_VALUES in _misses_kind): "wie viele" was asked, no phrasing
    # of the entry on taking part asks it, so the part was passed on as unknown although the
    # entry says about 100 people come.
    answer = await engine.ask("Wo findet das Plenum statt, und wie viele Leute kommen da ungefähr?")
    assert [p.entry.id for p in answer.parts if p.entry] == [
        "vir-nordwest-plenum-ort",
        "vir-nordwest-plenum-teilnahme",
    ]
    assert not answer.unanswered


async def test_a_second_question_on_a_value_no_answer_states_is_passed_on(
    engine: AnswerEngine,
) -> None:
    # Counter-example: no entry states a price for a Leitweg-ID. (Since round 36 "Was kostet
    # sie?" gets the entry on the ZeRN's costs, which says IDs are applied for in the same free
    # procedure; the test asks for something no entry states.)
    answer = await engine.ask("Was ist eine Leitweg-ID und welche Farbe hat sie?")
    assert answer.entry is not None and answer.entry.id == "e-rechnung-leitweg-id"
    assert [u[0] for u in answer.unanswered] == ["Welche Farbe hat sie?"]


def _checklist_kb(root: Path, body: str) -> Path:
    """One entry on a checklist whose answer says ``body``; another topic for the margin."""
    kb = root / "kb"
    write_topic(kb, "it-sicherheit", "IT-Sicherheit", ["Informationssicherheit"])
    write_entry(
        kb,
        "it-sicherheit",
        "pruefliste",
        "Was ist die Musterprüfliste?",
        ["Musterprüfliste für Kommunen"],
        body,
        ["Musterprüfliste"],
    )
    write_topic(kb, "e-rechnung", "E-Rechnung", ["XRechnung"])
    write_entry(kb, "e-rechnung", "xr", "Was ist XRechnung?", [], "Ein Standard.")
    return kb


@pytest.mark.parametrize(
    ("body", "passed_on"),
    [
        # A year in a name or an edition tells no "wann": the part is passed on ...
        (
            "Die Musterprüfliste ist ein Katalog von Prüffragen; die Ausgabe von 2017 hat 19 "
            "Kapitel und gilt als Einstieg.",
            True,
        ),
        # ... a date does.
        (
            "Die Musterprüfliste ist ein Katalog von Prüffragen und für Kommunen seit dem "
            "1. März 2019 verbindlich.",
            False,
        ),
        (
            "Die Musterprüfliste ist ein Katalog von Prüffragen und ab 2027 für Kommunen "
            "verbindlich.",
            False,
        ),
    ],
)
async def test_a_when_part_needs_a_date_not_any_year(
    db: Database, tmp_path: Path, body: str, passed_on: bool
) -> None:
    # REVIEW-8 R2. Fails with the old "date" of engine.BODY_VALUES (any 19xx/20xx year): the
    # edition's year counted as the answer to "wann" and the part was not passed on.
    engine = AnswerEngine(db, _checklist_kb(tmp_path, body), threshold=0.0)
    answer = await engine.ask("Was ist die Musterprüfliste, und wann müssen wir sie umsetzen?")
    assert answer.entry is not None and answer.entry.id == "pruefliste"
    assert bool(answer.unanswered) == passed_on


# A later part that points back at the first one.


async def test_a_part_pointing_back_is_not_answered_from_another_topic(
    engine: AnswerEngine,
) -> None:
    # Cause "neighbouring question": "... und gibt es dafür kostenlose Angebote?" is about the
    # first question's subject ("dafür"), but its own thing "Angebote" was read as tenders'
    # bids (e-vergabe-angebote-e-mail). Fails without the refers_back check for parts that
    # name a thing in AnswerEngine._ask_parts (checked).
    answer = await engine.ask(
        "Wie sensibilisieren wir die Beschäftigten für IT-Sicherheit, und gibt es dafür "
        "kostenlose Angebote?"
    )
    assert answer.entry is not None and answer.entry.id == "it-sicherheit-schulungen"
    assert not answer.parts
    # Passed on, or (since round 51: the entry names its free offers, "Kostenlos:") covered by
    # the first's answer; never answered from another topic.
    asked = [text for text, _ in answer.unanswered] + list(answer.covered)
    assert asked == ["Gibt es dafür kostenlose Angebote?"]
    # Counter-example: an answer from the first's topic stays.
    answer = await engine.ask("Was ist ein ISMS, und welche Angebote gibt es dafür?")
    assert [a.entry.id for a in answer.parts if a.entry] == [
        "it-sicherheit-isms",
        "it-sicherheit-bsi",
    ]


@pytest.mark.parametrize(
    ("message", "back"),
    [
        # "es" of "gibt es" points at nothing (text.points_back's rule, now for later parts too)
        ("Was ist die 115? Und gibt es eine App?", False),
        # "das" as a pronoun points back (it was missing from split_questions' own list)
        ("Was ist die 115? Was kostet das?", True),
        # a possessive points back at the first question's subject
        ("Was ist die 115? Und wer bezahlt ihre Wissensdatenbank?", True),
        ("Was ist die Leitweg-ID? Und wo beantrage ich sie?", True),
    ],
)
def test_a_later_part_points_back_by_the_one_list(message: str, back: bool) -> None:
    # split_questions used a list of pointing words of its own (_POINTING) beside
    # text.points_back's (_POINTERS) and the context weight's (_BACK_REFERENCE); one list of
    # pointing adverbs now serves all three. Fails with the old _POINTING: the first two
    # cases were the other way round.
    split = split_questions(message)
    assert split is not None
    assert split.later[0].refers_back is back


async def test_a_later_part_that_points_back_keeps_the_first_parts_topic(
    engine: AnswerEngine,
) -> None:
    # "dafür" is the 115 question's subject; the first part is not sure enough to answer,
    # and its best entry is the 115's. The later part's own words ("liefern") found the
    # procurement thresholds for supplies (0.83) and answered them alone.
    # (Round 47's knowledge tipped the first part of the original wording, "Kann Bremen unsere
    # Leistungen mitbeantworten", from the 115's feedback entry to the platform entry, a near
    # tie of 4.07 against 4.09, so the premises below no longer held for it; "am Telefon"
    # keeps the first part the 115's. docs/answer-quality.md, forty-seventh round.)
    question = (
        "Bürger aus dem Umland rufen beim Bürgertelefon an. Kann Bremen auch unsere Leistungen "
        "am Telefon mitbeantworten, und was müssten wir dafür liefern?"
    )
    # The premises, so that the decline below is the rule's doing: the first part is unsure
    # and its best entry of another topic than procurement (the 115's until the nineteenth
    # round's knowledge, the network's since), and the later part alone is answered from
    # procurement.
    split = split_questions(question)
    assert split is not None and len(split.later) == 1
    decided: list[Entry] = []
    first, _ = await engine._ask_one(split.first, part=True, decided=decided)
    assert first.entry is None and decided and decided[0].topic != "e-vergabe"
    later = split.later[0]
    alone, _ = await engine._ask_one(later.in_context, part=True, own=later.text, lent=True)
    assert alone.topic is not None and alone.topic.id == "e-vergabe"
    assert await entry_of(engine, question) == "-"


async def test_an_unsure_part_is_offered_only_an_entry_of_its_own_subject(
    real: AnswerEngine,
) -> None:
    """An offer ("Passt eher") from another topic than the first question's needs a decisive
    word of the part's own (engine._anchored), and a part leaning on the first question is
    offered nothing from another topic (review REVIEW-34-code-b, M2, M3)."""
    # "Kommunen" is an everyday word, but the offer is the first question's topic: kept.
    answer = await real.ask("Was ist ViR Nordwest und wie viele Kommunen machen das schon?")
    assert answer.also is not None and answer.also.id == "vir-nordwest-mitglieder"
    # "das" is e-procurement: the 115's financing was offered.
    answer = await real.ask("Was ist die E-Vergabe und wer bezahlt das?")
    assert answer.also is None and answer.unanswered


async def test_a_private_part_is_outside_the_topics_unless_it_leans_on_the_first(
    engine: AnswerEngine,
) -> None:
    answer = await engine.ask(
        "Wie lange gilt ein Personalausweis? Und wie ändere ich meine PIN fürs Online-Banking?"
    )
    assert answer.entry is not None and answer.entry.topic == "personalausweis"
    assert answer.private_parts == ("Und wie ändere ich meine PIN fürs Online-Banking?",)
    assert answer.unanswered == ()
    # "der" may be the first question's ID card (text.may_point_back): not said to be outside
    # (it may be its subject), left unsaid as before.
    for later in ("Und gilt der bei meinem Sohn kürzer?", "Und gilt er bei meinem Sohn kürzer?"):
        answer = await engine.ask(f"Wie lange gilt ein Personalausweis? {later}")
        assert answer.private_parts == (), later


@pytest.mark.parametrize(
    ("message", "first", "second"),
    [
        (
            "Was tun bei einem komischen Anhang in einer Mail, und kannst du mir einen Witz "
            "erzählen?",
            "Was tun bei einem komischen Anhang in einer Mail?",
            "Kannst du mir einen Witz erzählen?",
        ),
        (
            "Wie sorgt man dafür, dass eine elektronische Signatur in 30 Jahren noch prüfbar "
            "ist, und hast du ein gutes Rezept für Grünkohl?",
            "Wie sorgt man dafür, dass eine elektronische Signatur in 30 Jahren noch prüfbar ist?",
            "Hast du ein gutes Rezept für Grünkohl?",
        ),
        (
            "Wann ist der nächste ViR-Workshop; und kannst du mir eine gute Pizzeria in "
            "Oldenburg empfehlen?",
            "Wann ist der nächste ViR-Workshop?",
            "Kannst du mir eine gute Pizzeria in Oldenburg empfehlen?",
        ),
        (
            "Wie lange gilt der Ausweis, und darf ich ihn laminieren?",
            "Wie lange gilt der Ausweis?",
            "Darf ich ihn laminieren?",
        ),
    ],
)
def test_a_question_of_its_own_after_a_comma_is_split(
    message: str, first: str, second: str
) -> None:
    # Set 38 asked 5 of its 7 off-topic second questions after ", und" with the verb first:
    # unsplit, the off part spoilt the first (declined, or answered from the wrong entry).
    two = split_questions(message)
    assert two is not None and (two.first, two.second) == (first, second)


@pytest.mark.parametrize(
    "message",
    [
        # Without the comma it stays one question.
        "Wie erstelle ich eine Leitweg-ID und kannst du sie prüfen?",
        # After a statement (no interrogative or verb first) too: one question, as before
        # (review CODEREVIEW37, M3: the statement had been answered as a question of its own).
        "Bei uns ist der Server verschlüsselt worden, und kannst du mir sagen, ob wir Lösegeld "
        "zahlen sollen?",
        "Wir sind neu im Netzwerk, und kannst du mir sagen, wie das Plenum abläuft?",
        "Wir haben eine Rechnung als PDF bekommen, und darf ich die ablehnen?",
    ],
)
def test_a_verb_after_und_without_a_question_before_it_is_not_split(message: str) -> None:
    assert split_questions(message) is None


@pytest.mark.parametrize(
    ("message", "entry"),
    [
        (
            "Bei uns ist der Server verschlüsselt worden, und kannst du mir sagen, ob wir "
            "Lösegeld zahlen sollen?",
            "it-sicherheit-loesegeld",
        ),
        (
            "Wir sind neu im Netzwerk, und kannst du mir sagen, wie das Plenum abläuft?",
            "vir-nordwest-plenum-was-ist",
        ),
        (
            "Wir haben eine Rechnung als PDF bekommen, und darf ich die ablehnen?",
            "e-rechnung-pdf-ablehnen",
        ),
    ],
)
async def test_a_statement_and_a_question_after_a_comma_keep_their_entry(
    real: AnswerEngine, message: str, entry: str
) -> None:
    # Fails without the question-first check (text._QUESTION_OPENS) of split_questions: the
    # statement led with another entry (personalausweis-eid-sicherheit, e-rechnung-was-ist).
    answer = await real.ask(message)
    assert answer.entry is not None and answer.entry.id == entry
    assert not answer.parts


async def test_the_first_question_is_answered_when_a_question_of_its_own_follows_a_comma(
    real: AnswerEngine,
) -> None:
    answer = await real.ask(
        "Wann ist der nächste ViR-Workshop, und kannst du mir eine gute Pizzeria in Oldenburg "
        "empfehlen?"
    )
    assert answer.entry is not None and answer.entry.topic == "vir-nordwest"


@pytest.mark.parametrize(
    ("message", "off"),
    [
        (
            "Wie sorgt man dafür, dass eine elektronische Signatur in 30 Jahren noch prüfbar "
            "ist, und hast du ein gutes Rezept für Grünkohl?",
            "Hast du ein gutes Rezept für Grünkohl?",
        ),
        (
            "Wo schreibe ich die Leitweg-ID auf die Bestellung, und was läuft heute Abend im "
            "Fernsehen?",
            "Was läuft heute Abend im Fernsehen?",
        ),
        (
            "Kann das 115-Servicecenter auch Termine fürs Bürgerbüro vergeben? Und welche Nummer "
            "hat eigentlich die Bahn-Auskunft?",
            "Und welche Nummer hat eigentlich die Bahn-Auskunft?",
        ),
        # Chatter that asks the bot for something (not a greeting): said to be off the topics.
        (
            "Was tun bei einem komischen Anhang in einer Mail, und kannst du mir einen Witz "
            "erzählen?",
            "Kannst du mir einen Witz erzählen?",
        ),
        (
            "Wie erstelle ich nach der Angebotsöffnung die Niederschrift in der Plattform, und wie "
            "wird das Wetter am Wochenende in Bremen?",
            "Wie wird das Wetter am Wochenende in Bremen?",
        ),
        # A lead-in before the first question (re-check of CODEREVIEW37's fixes: the split
        # needed the question at the very start, and the whole message was declined at 0.37).
        (
            "Kurze Frage, was ist eine E-Rechnung, und kannst du mir einen Witz erzählen?",
            "Kannst du mir einen Witz erzählen?",
        ),
        (
            "Eine Frage zur 115: Was ist die 115, und kannst du mir sagen, wie das Wetter morgen "
            "wird?",
            "Kannst du mir sagen, wie das Wetter morgen wird?",
        ),
        # A joke after a question on a network event is still nobody's question (it was
        # dropped without a word), and "eventuell" names no event.
        (
            "Wann ist der nächste Workshop? Und kannst du mir einen Witz erzählen?",
            "Und kannst du mir einen Witz erzählen?",
        ),
        (
            "Können wir eventuell ein ISMS einführen? Und wie wird das Wetter morgen?",
            "Und wie wird das Wetter morgen?",
        ),
    ],
)
async def test_an_off_topic_later_part_is_declined_not_forwarded(
    real: AnswerEngine, message: str, off: str
) -> None:
    # Sets 37 and 38's judges: such a part was "passed on to the coordination instead of
    # declined" (or, as chatter, not mentioned at all).
    answer = await real.ask(message)
    assert answer.entry is not None
    assert answer.off_topic_parts == (off,)
    assert answer.unanswered == () and off not in answer.answered_questions
    body = render_answer(answer).body
    assert f"Zu „{off}“ sage ich nichts: Das gehört nicht zu den Themen des Netzwerks." in body


@pytest.mark.parametrize(
    "message",
    [
        # On-topic later parts that find nothing on their own: forwarded as before (sets 9,
        # 23, 25: declined as "not our topic" they would be worse off than forwarded).
        "Was ist die Anbietungspflicht? Und was passiert mit dem Rest?",
        "Wie melden wir einen Sicherheitsvorfall? Und kannst du mir sagen, wer bei uns dafür "
        "zuständig ist?",
        "Was ist eine Leitweg-ID und wo krieg ich die her?",
        # A favour asked of the bot wraps a question; a mail, link or prize is IT security's;
        # the bot's own topics are asked; after a network event, dinner, a hotel or parking
        # may be the event's (review CODEREVIEW37, M1: each was declined as off the topics).
        "Was ist ein ISMS? Und kannst du mir sagen, wie lange die Einführung dauert?",
        "Was ist ein ISMS? Und kannst du mir eine Software empfehlen?",
        "Was ist ein ISMS? Und kannst du mir einen Link schicken?",
        "Was ist ein ISMS? Und weißt du, wo ich die Präsentation finde?",
        "Was ist die 115? Und welche Themen kennst du?",
        "Was kostet das Plenum? Und wird das Abendessen im Restaurant bezahlt?",
        "Wann ist das nächste Plenum? Und findet das Abendessen wieder im Restaurant statt?",
        "Wann ist das Plenum? Und kannst du mir sagen, wo man in Oldenburg parkt?",
        "Wie melde ich mich zum Plenum an? Und kannst du mir ein Hotel in Oldenburg empfehlen?",
        "Wie erkenne ich Phishing? Und was tun bei einer Mail über einen Lottogewinn?",
        "Wie erkenne ich Phishing? Und kannst du mir sagen, ob ein Bundesliga-Stream-Link "
        "gefährlich ist?",
        "Wie erkenne ich Phishing? Und sind Gewinnspiel-Mails zur Fußball-EM gefährlich?",
        "Was ist eine E-Rechnung? Und wer mäht den Fußballplatz der Grundschule?",
        "Wie lang muss die Angebotsfrist bei einem offenen EU-Verfahren mindestens sein? Und "
        "nebenbei: wie viele Urlaubstage habe ich nach TVöD?",
        # A greeting, thanks or "wie geht's" stays unsaid.
        "Was ist die 115? Und wie geht es dir?",
        "Was ist die 115? Danke dir! Und hast du ein schönes Wochenende?",
    ],
)
async def test_an_on_topic_or_social_later_part_is_not_said_to_be_off_topic(
    real: AnswerEngine, message: str
) -> None:
    answer = await real.ask(message)
    assert answer.off_topic_parts == ()


async def test_ones_own_home_wlan_as_a_later_part_is_private(real: AnswerEngine) -> None:
    # Set 37: "bei mir zu Hause" (vocabulary.MINE) was no one's own home, the part forwarded.
    later = "Und wie sichere ich am besten das WLAN bei mir zu Hause?"
    answer = await real.ask(
        f"Brauchen wir für unsere Fachverfahren Zwei-Faktor-Authentifizierung? {later}"
    )
    assert answer.private_parts == (later,) and answer.unanswered == ()


@pytest.mark.parametrize(
    ("text", "private"),
    [
        ("Und wie stelle ich bei meinem privaten Stromanbieter auf Papierrechnung um?", True),
        ("Wie kündige ich meinen Gasvertrag?", True),
        ("Die Hotline von meinem Mobilfunkanbieter ist nie erreichbar, was tun?", True),
        ("Wie kündige ich meinen Handyvertrag?", True),
        ("Die Hotline meines Mobilfunkanbieters ist nie erreichbar.", True),
        ("Wie kündige ich meinen Handy-Vertrag?", True),
        ("Mein Internetprovider ist ständig gestört, was tun?", True),
        ("Wie wechseln wir den Mobilfunkanbieter für die Diensthandys?", False),
        # An office's supplier is no private matter.
        ("Wie wechseln wir als Gemeinde den Stromanbieter für das Rathaus?", False),
    ],
)
def test_ones_own_energy_or_phone_supplier_is_a_private_setting(text: str, private: bool) -> None:
    assert private_setting(text) is private


@pytest.mark.parametrize(
    ("message", "entry"),
    [
        (
            "Ist die Transport-PIN noch gültig, und darf ich sie an meine Kollegin weitergeben?",
            "personalausweis-codes-ueberblick",
        ),
        (
            "Brauchen wir eine Leitweg-ID, und darf ich sie an meine Kollegin weitergeben?",
            "e-rechnung-leitweg-id",
        ),
        (
            "Ist ein Notfallplan Pflicht, und darf ich ihn aufschreiben?",
            "it-sicherheit-notfallhandbuch",
        ),
        ("Brauchen wir eine Leitweg-ID, und darf ich sie noch benutzen?", "e-rechnung-leitweg-id"),
    ],
)
async def test_a_clause_pointing_back_after_a_comma_stays_a_part_of_its_own(
    real: AnswerEngine, message: str, entry: str
) -> None:
    # Answered as one question, the second clause was dropped, or the message declined, or
    # answered from another entry (review 38e, M2): the first clause's entry answers, the
    # second is covered by it or named.
    answer = await real.ask(message)
    assert answer.entry is not None and answer.entry.id == entry
    second = message.split(", und ")[1]
    second = second[0].upper() + second[1:]
    assert second in answer.covered or second in [text for text, _ in answer.unanswered]


@pytest.mark.parametrize(
    ("message", "off"),
    [
        # Set 40: things of another field, each forwarded to the coordination: a leisure or
        # food word (vocabulary.EVERYDAY_OFF_TOPICS: "Currywurst"), a good place to eat
        # (vocabulary.OWN_TASTE: "einen guten Italiener"), or after a change of subject
        # ("ganz andere Frage") a noun the index does not know that is a common word of the
        # language (asides._other_field: "Kantine").
        (
            "Welche Mindestlänge empfiehlt das BSI für Passwörter? Und wie viele Kalorien hat "
            "so eine Currywurst?",
            "Und wie viele Kalorien hat so eine Currywurst?",
        ),
        (
            "Wie lang muss die Angebotsfrist bei einer Öffentlichen Ausschreibung mindestens "
            "sein? Und ganz andere Frage: Wann macht die Kantine morgen auf?",
            "Und ganz andere Frage: Wann macht die Kantine morgen auf?",
        ),
        (
            "Kann unsere Finanzsoftware auch selbst E-Rechnungen verschicken, zum Beispiel an "
            "Firmen, die bei uns Hallen mieten? Und wo gibt es hier in der Nähe einen guten "
            "Italiener?",
            "Und wo gibt es hier in der Nähe einen guten Italiener?",
        ),
        # ... near an entry by its verb alone ("spielt"): a candidate topic does not keep it.
        (
            "Wie lange dauert die Herstellung eines neuen Personalausweises bei der "
            "Bundesdruckerei gerade? Und übrigens: Wann spielt Werder wieder zuhause?",
            "Und übrigens: Wann spielt Werder wieder zuhause?",
        ),
        # Set 40: "ganz privat" says whose question it is, after a network event too.
        (
            "Kann unsere Gemeinde schon vor einem Beitritt als Gast am Plenum teilnehmen? Und "
            "ganz privat: Kennst du ein gutes Hotel in Bremen?",
            "Und ganz privat: Kennst du ein gutes Hotel in Bremen?",
        ),
        # Set 40: a request after the question ends with "." and was dropped without a word.
        (
            "Brauchen wir für die Einführung der E-Akte eine Dienstanweisung, und wer muss die "
            "unterschreiben? Und nebenbei: erzähl mir mal einen Witz.",
            "Und nebenbei: erzähl mir mal einen Witz.",
        ),
        (
            "Was ist ein ISMS? Sag mir noch, wie das Wetter wird.",
            "Sag mir noch, wie das Wetter wird.",
        ),
    ],
)
async def test_a_later_part_of_another_field_is_declined_though_no_list_names_it(
    real: AnswerEngine, message: str, off: str
) -> None:
    answer = await real.ask(message)
    assert answer.entry is not None
    assert answer.off_topic_parts == (off,)
    assert off not in [text for text, _ in answer.unanswered]
    assert off not in answer.answered_questions


@pytest.mark.parametrize(
    ("message", "later"),
    [
        # A rare word the knowledge base lacks is a gap the coordination should see.
        (
            "Was ist eine E-Rechnung? Und wie hoch ist der Vorsteuerabzug?",
            "Und wie hoch ist der Vorsteuerabzug?",
        ),
        # The member's office is named ("bei uns im Bürgerbüro"), or what it may do is asked.
        (
            "Was kostet ein Personalausweis? Und wann hat bei uns das Bürgerbüro samstags "
            "geöffnet?",
            "Und wann hat bei uns das Bürgerbüro samstags geöffnet?",
        ),
        (
            "Ab wann müssen wir E-Rechnungen annehmen? Und dürfen wir den Papierkram noch "
            "annehmen?",
            "Und dürfen wir den Papierkram noch annehmen?",
        ),
        # "dat" may point back at the first question ("Stimmt das?").
        (
            "Was ist die 115? Und stimmt dat oder is das Quatsch?",
            "Und stimmt dat oder is das Quatsch?",
        ),
        # Review r39e M1: a common noun the index lacks, without a change of subject, is not
        # enough. (Werder's home games and the refuse collection day are everyday life now,
        # declined: tests/unit/test_answers_everyday_life.py.)
        # Without "ganz privat" a hotel may be the plenum's (review CODEREVIEW37, M1).
        (
            "Wann ist das nächste Plenum? Und kennst du ein gutes Hotel in Bremen?",
            "Und kennst du ein gutes Hotel in Bremen?",
        ),
    ],
)
async def test_a_later_part_of_the_office_or_a_rare_word_is_still_forwarded(
    real: AnswerEngine, message: str, later: str
) -> None:
    answer = await real.ask(message)
    assert answer.off_topic_parts == ()
    assert later in [text for text, _ in answer.unanswered]


@pytest.mark.parametrize(
    ("message", "later"),
    [
        (
            "Was ist die 115? Und nebenbei: erzähl mir mal einen Witz.",
            ("Und nebenbei: erzähl mir mal einen Witz.",),
        ),
        (
            "Was ist ein ISMS und wer braucht eins? Sag mir noch, wie das Wetter wird.",
            ("Wer braucht eins?", "Sag mir noch, wie das Wetter wird."),
        ),
        ("Was ist ein ISMS? Danke schon mal.", None),
        ("Was ist ein ISMS? Wir sind 40 Leute.", None),
        ("Was ist ein ISMS? Sag mir Bescheid.", None),
        # Review r39e M4: a request that asks after the first question stays with it.
        ("Was ist eine Leitweg-ID? Schick mir gern den Link.", None),
        ("Was ist eine E-Rechnung? Gib mir bitte ein Beispiel.", None),
        ("Was ist eine E-Rechnung? Nenn mir bitte die Quelle.", None),
        ("Wie beantrage ich eine Leitweg-ID? Zeig mir bitte die einzelnen Schritte.", None),
        ("Wie beantrage ich eine Leitweg-ID? Hilf mir bitte, ich komme nicht weiter.", None),
        (
            "Was ist ein ISMS? Schreib mir bitte eine kurze Zusammenfassung für den Bürgermeister.",
            None,
        ),
        ("Was ist die 115? Gib mir Infos.", None),
        ("Was ist ein ISMS? Empfiehl mir ein Buch dazu.", None),
        ("Was ist die 115? Verrat mir mal, wer das bezahlt.", None),
        ("Was ist die 115? Sag mir die Wahrheit.", None),
    ],
)
def test_a_request_after_a_question_is_a_part_a_statement_is_not(
    message: str, later: tuple[str, ...] | None
) -> None:
    split = split_questions(message)
    assert (None if split is None else tuple(p.text for p in split.later)) == later


@pytest.mark.parametrize(
    ("message", "private", "off"),
    [
        # One's own private thing whose only pronoun is its own relative clause's cannot be
        # the first question's subject: named as private (it was left unsaid).
        (
            "Was kostet ein Personalausweis? Und wie ändere ich die PIN meiner EC-Karte, die "
            "ich gerade bekommen habe?",
            ("Und wie ändere ich die PIN meiner EC-Karte, die ich gerade bekommen habe?",),
            (),
        ),
        (
            "Was ist eine E-Rechnung? Und wie kündige ich meinen Handyvertrag, der bald ausläuft?",
            ("Und wie kündige ich meinen Handyvertrag, der bald ausläuft?",),
            (),
        ),
        # ... and a building-society contract is off the topics.
        (
            "Was ist eine E-Rechnung? Und kannst du mir sagen, wie ich meinen Bausparvertrag "
            "kündige, der bald ausläuft?",
            (),
            ("Und kannst du mir sagen, wie ich meinen Bausparvertrag kündige, der bald ausläuft?",),
        ),
        # A part that may be about the first question's subject stays unsaid.
        (
            "Wie lange ist ein Personalausweis gültig? Und warum gilt der bei meinem Sohn mit 22 "
            "kürzer?",
            (),
            (),
        ),
        (
            "Kann man mit dem Ausweis online bezahlen? Und geht das auch mit meiner Kreditkarte?",
            (),
            (),
        ),
    ],
)
async def test_a_private_thing_of_the_parts_own_is_named_though_a_relative_clause_points(
    real: AnswerEngine, message: str, private: tuple[str, ...], off: tuple[str, ...]
) -> None:
    answer = await real.ask(message)
    assert answer.entry is not None
    assert answer.private_parts == private and answer.off_topic_parts == off
    assert answer.unanswered == ()


@pytest.mark.parametrize(
    ("message", "off", "private"),
    [
        # Shaped like set 40's (whose first question the round's knowledge now answers):
        # nothing answers the first question; the weather went to the coordination with it.
        (
            "Wie bekommen wir regelmäßige Zahlen zu den Wartezeiten in unserem Bürgerbüro? "
            "Und wie wird morgen das Wetter in Oldenburg?",
            ("Und wie wird morgen das Wetter in Oldenburg?",),
            (),
        ),
        # Set 37: the private part made the whole message private: the first question was
        # passed on with it (and, read as private, is now passed on alone).
        (
            "Dürfen wir Rechnungen, die per Post kommen, einscannen und als E-Rechnung "
            "behandeln? Und wie stelle ich bei meinem privaten Stromanbieter auf "
            "Papierrechnung um?",
            (),
            ("Und wie stelle ich bei meinem privaten Stromanbieter auf Papierrechnung um?",),
        ),
    ],
)
async def test_a_declined_message_passes_on_only_the_rest_of_it(
    real: AnswerEngine, message: str, off: tuple[str, ...], private: tuple[str, ...]
) -> None:
    answer = await real.ask(message)
    assert answer.abstained and not answer.private and not answer.chatter
    assert answer.off_topic_parts == off and answer.private_parts == private
    first = split_questions(message)
    assert first is not None
    assert answer.unanswered == ((first.first, first.first),)


_REPORTS = "Wie bekommen wir regelmäßige Zahlen zu den Wartezeiten in unserem Bürgerbüro?"
_TOWN = "Wir haben 12.000 Einwohner und sind seit 2021 beim Servicecenter Oldenburg."
_WEATHER = "Und wie wird morgen das Wetter in Oldenburg?"


@pytest.mark.parametrize(
    "message",
    [
        # Review r39e M3: what the member wrote between or after the questions is passed on.
        f"{_REPORTS} {_TOWN} {_WEATHER}",
        f"{_REPORTS} {_WEATHER} {_TOWN}",
    ],
)
async def test_a_declined_message_passes_on_all_it_says_but_the_declined_part(
    real: AnswerEngine, message: str
) -> None:
    answer = await real.ask(message)
    assert answer.abstained and answer.off_topic_parts == (_WEATHER,)
    assert answer.unanswered == ((f"{_REPORTS} {_TOWN}",) * 2,)


def test_a_declined_message_passes_on_all_of_a_long_message() -> None:
    # Review r39e M3: no cut at 1000 characters the whole message did not have.
    long = _REPORTS + " " + "Wir haben viele Fragen dazu. " * 40 + _WEATHER
    assert without_parts(long, [_WEATHER]) == long[: -len(_WEATHER)].rstrip()
    assert without_parts("Was ist X, und wie wird das Wetter?", ["Wie wird das Wetter?"]) == (
        "Was ist X?"
    )
    assert without_parts("Was ist X?", ["Wie wird das Wetter?"]) is None


_SCAN = "Dürfen wir Rechnungen, die per Post kommen, einscannen und als E-Rechnung behandeln?"


@pytest.mark.parametrize(
    "message",
    [
        # Review r39e M2: a private part left among the rest ("die ist 4711" points back, so
        # it is not named) keeps the whole message private: nothing is passed on.
        f"{_SCAN} {_WEATHER} Und wie ändere ich die PIN meiner Kreditkarte, die ist 4711?",
        f"{_SCAN} Und erzähl mir einen Witz. Und wie stelle ich das bei meinem privaten "
        "Stromanbieter um?",
        f"{_SCAN} {_WEATHER} Und geht das bei meinem privaten Stromanbieter auch?",
    ],
)
async def test_a_declined_message_with_a_private_part_left_stays_private(
    real: AnswerEngine, message: str
) -> None:
    answer = await real.ask(message)
    assert answer.private and answer.abstained
    assert answer.unanswered == ()


@pytest.mark.parametrize(
    ("first", "later"),
    [
        # Review r39e M1: each forwarded as before round 39 (a short follow-up, a group of
        # people, a place, the office acting: no thing of another field).
        ("Was kostet ein Personalausweis?", "Und wie hoch ist die Gebühr für Rentner?"),
        ("Was kostet ein Personalausweis?", "Und welches Formular brauchen Rentner?"),
        ("Was kostet ein Personalausweis?", "Und wo bekommen Rentner einen Termin?"),
        ("Was kostet ein Personalausweis?", "Und was kostet ein Pass für Rentner?"),
        ("Was kostet ein Personalausweis?", "Und was zahlen Rentner?"),
        ("Was kostet ein Personalausweis?", "Und was ist mit Flüchtlingen?"),
        ("Was kostet ein Personalausweis?", "Und was ist mit Obdachlosen?"),
        ("Was kostet ein Personalausweis?", "Und braucht ein Baby auch einen?"),
        ("Was kostet ein Personalausweis?", "Und wie melde ich einen Hund an?"),
        ("Ab wann müssen wir E-Rechnungen annehmen?", "Und wer ist in Delmenhorst zuständig?"),
        ("Ab wann müssen wir E-Rechnungen annehmen?", "Und wer ist in Emden zuständig?"),
        ("Ab wann müssen wir E-Rechnungen annehmen?", "Und was sagt Brüssel?"),
        ("Ab wann müssen wir E-Rechnungen annehmen?", "Und was ist mit der Kantine?"),
        ("Ab wann müssen wir E-Rechnungen annehmen?", "Und die Kantine?"),
        ("Was ist eine E-Rechnung?", "Und was ist mit Spenden?"),
        ("Was ist die 115?", "Und was ist mit Senioren?"),
        ("Was ist ein ISMS?", "Und was ist mit Praktikanten?"),
        ("Was ist ein ISMS?", "Und was machen die Nachbarn?"),
        ("Was ist eine E-Akte?", "Und was machen wir mit dem Stempel?"),
        ("Was ist eine Öffentliche Ausschreibung?", "Und wie kaufen wir neue Stühle?"),
        ("Was ist eine Öffentliche Ausschreibung?", "Und wie kaufen wir ein neues Auto?"),
        # Review r39e: the event's own dinner (OWN_TASTE not for the event's company).
        (
            "Wann ist das nächste Plenum?",
            "Und gibt es nachher ein gutes Restaurant für alle Teilnehmer?",
        ),
    ],
)
async def test_a_follow_up_of_no_other_field_is_forwarded(
    real: AnswerEngine, first: str, later: str
) -> None:
    answer = await real.ask(f"{first} {later}")
    assert answer.off_topic_parts == () and answer.private_parts == ()
    assert later in [text for text, _ in answer.unanswered]


async def test_a_follow_up_on_the_photo_is_answered_from_the_photo_entry(
    real: AnswerEngine,
) -> None:
    # Knowledge round 45 (b): was forwarded as a follow-up no entry answered; the entry on
    # glasses and head coverings on the ID photo answers it now.
    answer = await real.ask("Was kostet ein Personalausweis? Und darf man mit Kopftuch aufs Bild?")
    assert [p.entry.id for p in answer.parts if p.entry] == [
        "personalausweis-gebuehr",
        "personalausweis-lichtbild-brille",
    ]


@pytest.mark.parametrize(
    ("message", "off"),
    [
        # Sets 37, 38: a good place to eat is the member's taste, not the event's dinner
        # (forwarded after a question on the workshops).
        (
            "Wer zahlt eigentlich die Workshops von ViR-Nordwest? Und kannst du mir ein gutes "
            "Restaurant in Oldenburg empfehlen?",
            "Und kannst du mir ein gutes Restaurant in Oldenburg empfehlen?",
        ),
        (
            "Wann ist der nächste ViR-Workshop, und kannst du mir eine gute Pizzeria in "
            "Oldenburg empfehlen?",
            "Kannst du mir eine gute Pizzeria in Oldenburg empfehlen?",
        ),
    ],
)
async def test_a_good_place_to_eat_is_declined_after_a_network_event_too(
    real: AnswerEngine, message: str, off: str
) -> None:
    answer = await real.ask(message)
    assert answer.entry is not None
    assert answer.off_topic_parts == (off,) and answer.unanswered == ()
