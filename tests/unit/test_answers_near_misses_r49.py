"""Issue 8, forty-ninth round: engine cases of set 50 and earlier sets. Each was declined, or
a part of it passed on to the coordination, on the code before the round:

- a second question that addresses the team behind the bot in the plural ("..., und habt ihr
  einen Tipp für ...?", "Und könnt ihr mir sagen, ...?"): the message was read as one question
  (text._SECOND_QUESTION knew only "kannst du", "hast du", ...), and "ihr" after such a verb
  was taken for a pronoun pointing back at the first question, so an everyday second part was
  never declined (text.points_back, _YOU_PLURAL_VERBS);
- "eig" (chat for "eigentlich") is filler like "eigtl" (vocabulary);
- a question followed by a chat remark ("…? bei uns alle 90 tage, nervt voll"): the remark's
  words drew the whole message to an entry of another topic below the suggestion score, and
  the second look (engine._second_look) then refused the question sentence's sure answer for
  that topic's disagreement; a whole message that found nothing near (below SUGGEST_SCORE) no
  longer vetoes its first question sentence;
- a later part "not sure" enough to answer whose every word of substance the answer above
  states ("Und falls sie doch private Geräte nutzen, was müssen wir regeln?" under the BYOD
  entry) was named as unknown and forwarded; it is named as covered by that answer now
  (engine._states_all).

Every question below is written for this test (none is in a question set)."""

from __future__ import annotations

import pytest

from bot.answers.engine import AnswerEngine
from bot.answers.text import fold, is_stop, points_back, split_questions, without_intensifiers
from tests.unit import test_answers_intent as intent

real = intent.real  # the engine on the real knowledge base (fixture)
ENGINE_READ_ONLY = True  # its tests only ask: one engine for all (tests/unit/conftest.py)


@pytest.mark.parametrize(
    ("message", "first"),
    [
        (
            "Kann man den Personalausweis online beantragen, und wisst ihr, wo es in Leer "
            "guten Kaffee gibt?",
            "Kann man den Personalausweis online beantragen?",
        ),
        (
            "Was kostet die 115 für eine Gemeinde, und kennt ihr ein gutes Hotel in Emden?",
            "Was kostet die 115 für eine Gemeinde?",
        ),
    ],
)
def test_a_second_question_to_the_team_is_split_off(message: str, first: str) -> None:
    split = split_questions(message)
    assert split is not None and split.first == first and len(split.later) == 1


@pytest.mark.parametrize(
    "message",
    [
        "Wir sind neu im Netzwerk, und habt ihr Unterlagen zum Plenum?",
        # a comparative "wie" opens a statement (review REVIEW-49-code, M1)
        "Wie gesagt sind wir neu in dem Thema, und habt ihr eine Übersicht zur Leitweg-ID?",
        "Wie besprochen möchte unsere Gemeinde bei der 115 mitmachen, und könnt ihr uns die "
        "Unterlagen schicken?",
        "Wie jedes Jahr planen wir die Fortbildungen, und kannst du mir Schulungen nennen?",
    ],
)
def test_a_statement_before_a_question_to_the_team_stays_one_question(message: str) -> None:
    # The first clause asks nothing: one question (as with "kannst du").
    assert split_questions(message) is None


def test_a_question_to_the_team_with_könntet_is_split_off() -> None:
    split = split_questions(
        "Wie lange gilt ein Personalausweis, und könntet ihr mir sagen, wie das Wetter wird?"
    )
    assert split is not None and split.first == "Wie lange gilt ein Personalausweis?"


@pytest.mark.parametrize(
    ("text", "back"),
    [
        ("Habt ihr einen Tipp für ein Café?", False),
        ("Und könnt ihr mir sagen, wie das Wetter wird?", False),
        ("Wisst ihr, wann der Bus fährt?", False),
        ("Kennt ihr ein Café in Leer?", False),
        ("Und kennt ihr ein Café in Leer?", False),
        ("Was kostet ihr Ausweis?", True),  # a possessive: whose card?
        # "kennt" of the third person: "ihr" is the first question's thing's (review M2)
        ("Und wer kennt ihr Leistungsverzeichnis?", True),
        ("Das Amt kennt ihr Verfahren?", True),
    ],
)
def test_ihr_after_a_verb_of_the_plural_you_points_nowhere(text: str, back: bool) -> None:
    assert points_back(text) is back


async def test_a_question_to_the_team_on_the_weather_is_declined(real: AnswerEngine) -> None:
    answer = await real.ask(
        "Ab wann gilt die E-Rechnungspflicht? Und könnt ihr mir sagen, wie das Wetter morgen wird?"
    )
    assert answer.entry is not None and answer.entry.topic == "e-rechnung"
    assert answer.off_topic_parts == ("Und könnt ihr mir sagen, wie das Wetter morgen wird?",)
    assert answer.unanswered == ()


async def test_a_first_question_is_answered_before_a_question_to_the_team(
    real: AnswerEngine,
) -> None:
    answer = await real.ask(
        "Kann man den Personalausweis online beantragen, und wisst ihr, wo es in Leer guten "
        "Kaffee gibt?"
    )
    assert answer.entry is not None and answer.entry.id == "personalausweis-beantragen"


def test_eig_is_chat_filler() -> None:
    assert is_stop(fold("eig"))


async def test_a_question_before_a_chat_remark_is_answered(real: AnswerEngine) -> None:
    answer = await real.ask(
        "wie oft müssen wir passwörter ändern? bei uns alle 90 tage, nervt voll"
    )
    assert answer.entry is not None and answer.entry.id == "it-sicherheit-passwoerter"


@pytest.mark.parametrize(
    "message",
    [
        # a question on a thing the knowledge base does not know, named in the story
        "Wir wollen neue Bürostühle kaufen. Welches Modell ist am ergonomischsten?",
        # nothing of the topics
        "Wie oft muss man die Reifen wechseln? bei uns alle zwei jahre, nervt voll",
        # a private later sentence keeps the whole private (review REVIEW-49-code)
        "Wie lange gilt die PIN? Meine Bank hat mir eine neue geschickt, nervt voll",
    ],
)
async def test_a_weak_whole_still_declines_what_the_topics_do_not_know(
    real: AnswerEngine, message: str
) -> None:
    answer = await real.ask(message)
    assert answer.entry is None


async def test_an_unsure_part_whose_words_the_answer_states_is_named_as_covered(
    real: AnswerEngine,
) -> None:
    # The BYOD entry says what to settle for private devices; the part was "not sure" and
    # named as unknown (and forwarded) right under the answer that states it.
    part = "Und falls sie doch private Geräte nutzen, was müssen wir regeln?"
    answer = await real.ask(f"Bekommen Ratsleute bei uns Diensttablets? {part}")
    assert answer.entry is not None and answer.entry.id == "it-sicherheit-privatgeraete"
    assert answer.covered == (part,)
    assert answer.unanswered == ()


async def test_an_unsure_part_with_a_word_the_answer_lacks_is_still_forwarded(
    real: AnswerEngine,
) -> None:
    part = "Und wer bezahlt die Handyverträge der Ratsleute?"
    answer = await real.ask(f"Bekommen Ratsleute bei uns Diensttablets? {part}")
    assert answer.covered == ()
    assert [text for text, _forward in answer.unanswered] == [part]


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("bei uns alle 90 tage, nervt voll", False),
        ("das ist voll anstrengend", False),
        ("Voll nervig, oder?", False),
        # "full": the waiting list's word
        ("Was passiert, wenn der Workshop voll ist?", True),
        ("Ist die Warteliste voll belegt?", True),
    ],
)
def test_voll_as_chats_intensifier_is_no_search_word(text: str, kept: bool) -> None:
    assert ("voll" in without_intensifiers(text).lower()) is kept


async def test_a_workshop_that_is_full_still_finds_the_waiting_list(real: AnswerEngine) -> None:
    answer = await real.ask("Was passiert, wenn der Workshop voll ist?")
    assert answer.entry is not None and answer.entry.id == "vir-nordwest-plenum-warteliste"
