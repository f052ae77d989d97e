"""Long questions: a story of two or three sentences, then the question (round 39, helper f).
Each test was run once with its rule reverted and failed then. The questions are written for
these tests, not taken from the question sets."""

from __future__ import annotations

import pytest

from bot.answers.engine import AnswerEngine
from bot.answers.text import Analyzer, _story_theme, department_name, fold, surface_words
from bot.answers.vocabulary import RELAY_QUESTION

ENGINE_READ_ONLY = True  # its tests only ask: one engine for all (tests/unit/conftest.py)

# A gathering of the network that the story tells of is about another topic's subject: the
# theme is context, the question asks about the gathering.


@pytest.mark.parametrize(
    ("sentence", "theme"),
    [
        ("Wir möchten einen ViR-Workshop ausrichten, Thema E-Akte.", "e-akte"),
        ("Wir möchten einen Workshop zur XRechnung anbieten.", "xrechnung"),
        # Only a gathering the member plans, hosts or speaks at: a report of a past one is no
        # story of a theme (review 39f, M1).
        ("Im Plenum wurde ein Workshop zur XRechnung angekündigt.", None),
        ("Im Workshop zur E-Rechnung hieß es, die Leitweg-ID sei Pflicht.", None),
        ("Im Plenum, Thema Smart-eID, blieb eine Frage offen.", None),
        # Up to the clause's end: the gathering after "und" is no theme; and up to the noun
        # phrase's end, before a verb (review 39f, M2).
        (
            "Wir haben Erfahrungen mit der E-Vergabe gesammelt und würden im Plenum berichten.",
            "der e-vergabe",
        ),
        ("Im Workshop zur E-Rechnung will der Referent die Leitweg-ID vorstellen.", "e-rechnung"),
        ("Im Workshop zum Thema E-Akte wollen wir berichten.", "e-akte"),
        (
            "Wir möchten im Plenum die Umstellung auf die E-Akte vorstellen.",
            "die umstellung auf die e-akte",
        ),
        # The gathering is named in the theme's own sentence (review 39f).
        ("Wir möchten unsere Erfahrungen mit der E-Akte vorstellen.", None),
        # A gathering is no theme of itself.
        ("Wir möchten Erfahrungen aus dem letzten Workshop im Plenum vorstellen.", None),
        # Of what is shown, only what it is on: the project is the network's own word.
        ("Wir möchten im Plenum unser Projekt zur Smart-eID vorstellen.", "smart-eid"),
        (
            "Wir möchten im Workshop die eigene Terminbuchung vorstellen.",
            "die eigene terminbuchung",
        ),
    ],
)
def test_the_theme_of_a_gathering_is_cut_out_of_its_sentence(
    sentence: str, theme: str | None
) -> None:
    # Fails without vocabulary.EVENT_THEME's alternatives, its clause end (_THEME_END),
    # THEME_PLAN, text._noun_phrase and THEME_ON.
    assert [part for part, about in _story_theme(sentence) if about] == ([theme] if theme else [])


def test_the_theme_is_context_and_no_subject_in_a_story_of_a_gathering() -> None:
    # Fails without the theme in text._focus_tokens: the E-Akte was a word of the question.
    a = Analyzer(surface_words(["E-Akte", "Workshop", "ausrichten", "Ablauf"]))
    query = a.query(
        "Wir möchten einen ViR-Workshop ausrichten, Thema E-Akte. Wie läuft das ab, und wen "
        "sprechen wir an?"
    )
    units = {u.surface: u for u in query.units}
    assert units["e-akte"].theme and units["e-akte"].context
    assert not units["vir-workshop"].theme
    # Only a story of the network's gathering has a theme: experiences with e-invoices told
    # before a question on them are the question's subject.
    query = a.query("Wir haben gute Erfahrungen mit der E-Akte. Wie läuft die Ablage ab?")
    assert not any(u.theme for u in query.units)


async def test_a_question_on_a_gathering_is_not_answered_by_its_theme(
    engine: AnswerEngine,
) -> None:
    # Fails without Unit.theme: the E-Vergabe of the story decided, and the entry on
    # learning the e-procurement platform answered (0.56).
    answer = await engine.ask(
        "Unser Bauamt möchte beim nächsten Workshop seine Erfahrungen mit der E-Vergabe "
        "vorstellen. Das haben wir noch nie gemacht. Wie läuft das ab?"
    )
    assert answer.entry is not None and answer.entry.id == "vir-nordwest-thema-einbringen"
    # ... and the question's own subject still decides when it asks about the theme.
    answer = await engine.ask(
        "Im letzten Plenum wurde ein Workshop zur E-Rechnung angekündigt. Ab wann müssen wir "
        "als Gemeinde E-Rechnungen empfangen können?"
    )
    assert answer.topic is not None and answer.topic.id == "e-rechnung"


async def test_a_plan_to_present_a_theme_is_answered_by_the_network(engine: AnswerEngine) -> None:
    # Fails without the Unit.theme checks (engine._unit_weights, _context_topics,
    # _subject_units, Analyzer.query's fallback for a question sentence without a topic word;
    # run with all of them removed): the Smart-eID answered (personalausweis-smart-eid, 0.69).
    answer = await engine.ask("Wir möchten im Plenum die Smart-eID vorstellen. Wie machen wir das?")
    assert answer.entry is not None and answer.entry.id == "vir-nordwest-thema-einbringen"


# Review 39f, M1 and M2: a story that reports what was said at a past gathering keeps its
# subject for the short question after it; answered as before the round (entry, score).
@pytest.mark.parametrize(
    ("question", "entry", "score"),
    [
        (
            "Im Workshop zur E-Rechnung hieß es, die Leitweg-ID sei Pflicht. Stimmt das?",
            "e-rechnung-leitweg-id-lieferant",
            0.461,
        ),
        (
            "Im Workshop zur E-Rechnung hieß es, man müsse ZUGFeRD annehmen. Stimmt das?",
            "e-rechnung-zugferd",
            0.465,
        ),
        (
            "Im Workshop zum ersetzenden Scannen hieß es, Papier dürfe vernichtet werden. "
            "Stimmt das?",
            "lza-tr-resiscan",
            0.657,
        ),
        (
            "Wir hatten einen Workshop zur E-Rechnung. Was bedeutet das für unsere Kämmerei?",
            "e-rechnung-kommunen",
            0.654,
        ),
        (
            "Im Workshop zur E-Rechnung ging es um die Leitweg-ID. Was ist das genau?",
            "e-rechnung-leitweg-id",
            0.693,
        ),
        (
            "Im Plenum, Thema Smart-eID, blieb eine Frage offen. Wie funktioniert das?",
            "personalausweis-smart-eid",
            0.575,
        ),
        (
            "Im Workshop zu Phishing wurde das erklärt. Wie funktioniert das nochmal?",
            "it-sicherheit-phishing-erkennen",
            0.557,
        ),
        (
            "Im Workshop zur E-Rechnung hat der Referent die Leitweg-ID erklärt. Wie beantragen "
            "wir sie?",
            "e-rechnung-leitweg-id-beantragen",
            0.428,
        ),
        # M2: "Erfahrungen aus dem letzten Workshop" names no theme.
        (
            "Wir haben Erfahrungen aus dem letzten Workshop mitgenommen. Wie melden wir ein "
            "Thema für das nächste Plenum an?",
            "vir-nordwest-thema-einbringen",
            0.588,
        ),
    ],
)
async def test_a_story_of_a_past_gathering_keeps_the_subject(
    engine: AnswerEngine, question: str, entry: str, score: float
) -> None:
    # Failed before THEME_PLAN (and, for the last, before "aus" left vocabulary.EVENT_THEME):
    # declined, or an entry on the network's plenum.
    answer = await engine.ask(question)
    assert answer.entry is not None and answer.entry.id == entry
    assert answer.score >= score - 0.02


# One's own department, named by its kind and name, tells who asks, not what is asked.


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Unser Fachbereich Bürgerdienste möchte etwas vorstellen.", "buergerdienste"),
        ("Unser Fachdienst Finanzen bucht die Rechnungen.", "finanzen"),
        ("Unserem Fachdienst Rechnungswesen fehlen Leitweg-IDs.", "rechnungswesen"),
        # Only one's own: another department's name may be the subject.
        ("Was macht ein Fachbereich Bürgerdienste?", None),
        # Only a capitalised word, a noun: no verb (review 39f, M3).
        ("Unser Fachbereich möchte etwas vorstellen.", None),
        ("Unser Fachbereich nutzt die E-Akte.", None),
        ("Unserem Fachbereich fehlen Backups.", None),
    ],
)
def test_the_name_of_ones_own_department(text: str, name: str | None) -> None:
    # Fails without vocabulary.DEPARTMENT_NAME (and its capital).
    assert department_name(text) == name


# Review 39f, M3: a department named by a word of the topics still asks about it; answered as
# before the round (entry, score).
@pytest.mark.parametrize(
    ("question", "entry", "score"),
    [
        (
            "Unser Fachbereich Vergabe fragt, ab welchem Wert die Vergabe elektronisch sein muss.",
            "e-vergabe-fristen-oberschwelle",
            0.657,
        ),
        (
            "Unser Fachbereich IT-Sicherheit fragt: Brauchen wir einen "
            "Informationssicherheitsbeauftragten?",
            "it-sicherheit-isb",
            0.714,
        ),
        (
            "Unser Fachdienst Personalausweis fragt, was man bei einer vergessenen PIN tut.",
            "personalausweis-pin-vergessen",
            0.603,
        ),
        (
            "Unser Fachbereich möchte im Plenum Erfahrungen mit dem ersetzenden Scannen "
            "vorstellen. Dürfen wir die Papierakten nach dem Scannen vernichten?",
            "lza-tr-resiscan",
            0.837,
        ),
    ],
)
async def test_a_department_named_by_a_topic_word_asks_about_it(
    engine: AnswerEngine, question: str, entry: str, score: float
) -> None:
    # Failed with any word after "Unser Fachbereich" an office, everywhere in the message:
    # the first declined (0.305), the next two scored less (0.662, 0.549); the last (a verb
    # after "Fachbereich", a theme in the story) guards that it stays as it was.
    answer = await engine.ask(question)
    assert answer.entry is not None and answer.entry.id == entry
    assert answer.score >= score - 0.02


async def test_a_story_told_by_a_department_is_not_about_its_name(engine: AnswerEngine) -> None:
    # Fails without the office rule: "Bürgerdienste" (a word of many topics' entries) weighed
    # as the question's subject; the message was declined as a whole and its last sentences,
    # asked alone, got the entry on the network's organisation (0.50).
    answer = await engine.ask(
        "Unser Fachbereich Bürgerdienste möchte im nächsten Plenum die digitale Terminbuchung "
        "vorstellen. Das haben wir noch nie gemacht. Wie läuft das ab, und an wen wenden wir uns?"
    )
    assert answer.entry is not None and answer.entry.id == "vir-nordwest-thema-einbringen"


# A question sentence that asks what to tell someone of the story asks the story's question.


@pytest.mark.parametrize(
    ("sentence", "told"),
    [
        ("Was kann ich dem Gemeinderat vorlegen?", " dem gemeinderat vorlegen"),
        ("Was soll ich ihr sagen?", " ihr sagen"),
        ("Was sollen wir dem Bieter antworten?", " dem bieter antworten"),
        # What it is told about is the subject: no relay.
        ("Was kann ich ihr über die Kosten sagen?", None),
        ("Was muss ich beim Antrag beachten?", None),
        ("Was kann ich dem Bürger empfehlen?", " dem buerger empfehlen"),
        # Someone of the story must be told, a person or body: no addressee, an office or an
        # authority is no relay (review 39f, M4).
        ("Was soll ich schreiben?", None),
        ("Was muss ich dem Standesamt vorlegen?", None),
        ("Was soll ich dem Archiv mitgeben?", None),
        ("Was müssen wir der Aufsichtsbehörde mitteilen?", None),
        ("Was soll ich der Datenschutzaufsicht mitteilen?", None),
    ],
)
def test_a_relay_question_names_whom_it_is_told(sentence: str, told: str | None) -> None:
    # Fails without vocabulary.RELAY_QUESTION.
    m = RELAY_QUESTION.match(fold(sentence))
    assert (m.group("told") if m else None) == told


async def test_a_relay_question_is_answered_by_the_story_question(engine: AnswerEngine) -> None:
    # Fails without the relay in text._focus_tokens: "Bieter" of the question sentence weighed
    # fully and the entry on bidders' questions answered (0.53).
    answer = await engine.ask(
        "Ein Bieter fragt, ob er sein Angebot auch per E-Mail schicken darf. Was sollen wir dem "
        "Bieter antworten?"
    )
    assert answer.entry is not None and answer.entry.id == "e-vergabe-angebote-e-mail"


@pytest.mark.parametrize(
    ("question", "entry", "score"),
    [
        (
            "Bei uns sind personenbezogene Daten abgeflossen. Was müssen wir der "
            "Aufsichtsbehörde mitteilen?",
            "it-sicherheit-vorfall-melden",
            0.646,
        ),
    ],
)
async def test_what_an_authority_is_told_is_asked(
    engine: AnswerEngine, question: str, entry: str, score: float
) -> None:
    # Review 39f, M4: failed with the authority as a relay's context (the entry on data
    # protection and IT security, 0.551); answered as before the round.
    answer = await engine.ask(question)
    assert answer.entry is not None and answer.entry.id == entry
    assert answer.score >= score - 0.02
