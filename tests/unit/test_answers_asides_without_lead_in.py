"""Issue 8, forty-third round: a later part on everyday life is declined as no topic of the
network without a change of subject before it ("Und wo gibt's in Leer den besten Döner?",
"Wann hat der Zahnarzt in Syke samstags offen?"), and an English one too ("By the way, who won
the derby yesterday?"). Set 44 had four two-part questions whose everyday part was forwarded
to the coordination (its judges rated those replies "partly"); three are declined now, the
fourth asks for a café "für nach dem Plenum", the event's company (vocabulary.EVENT_COMPANY),
and stays forwarded.

What changed: eating out and one's own appointments are kinds of vocabulary.EVERYDAY_LIFE
(they were words for asides with an opening only), a derby with sports; a good place to eat
is recommended with more adjectives (vocabulary.OWN_TASTE: "nett", "lecker", "beste"); a
town's name, and for an everyday thing its day, time or opening, decide nothing of the topics
(asides ``_topics_decide``) and are left out when the part is asked alone
(``_without_times``); a candidate topic of the part asked alone keeps it only when it is the
first question's (``asides.off_topic_part``: "Döner" meets "done" of an English answer). In
English, lower-case nouns of everyday life name a thing unless the part follows up the first
question ("too", "as well", "what about": vocabulary.LEANING_FOLLOW_UP; ``split_questions``),
and "is there" with a place of its own points at no place (``points_back``).

Each case of DECLINED was forwarded to the coordination (or, in English, dropped or claimed as
covered) on the code before the round. KEPT are members' questions on the same everyday words
that must stay forwarded or answered."""

from __future__ import annotations

import pytest

from bot.answers.engine import AnswerEngine
from bot.answers.text import points_back, split_questions
from tests.unit import test_answers_intent as intent
from tests.unit.aside_checks import assert_declined_as_aside

ENGINE_READ_ONLY = True  # its tests only ask: one engine for all (tests/unit/conftest.py)

real = intent.real  # the engine on the real knowledge base (fixture)

DECLINED = [
    # Set 44's wordings.
    (
        "Wie messen wir, ob die 115 unser Bürgerbüro wirklich entlastet?",
        "Ach, und wer hat gestern eigentlich das Nordderby gewonnen?",
    ),
    (
        "Dürfen wir eine fehlerhafte XRechnung einfach zurückweisen?",
        "Und wo gibt’s in Leer gerade den besten Döner?",
    ),
    (
        "Sollten wir USB-Sticks in der Verwaltung komplett sperren?",
        "Wann hat eigentlich der Zahnarzt am Marktplatz in Syke samstags offen?",
    ),
    # Other everyday things, without a change of subject, after all seven topics.
    ("Wie beantrage ich eine Leitweg-ID?", "Und wer hat am Wochenende das Nordderby gewonnen?"),
    ("Wie oft sollten wir Backups testen?", "Wann hat der Friseur in Cloppenburg samstags auf?"),
    ("Was ist die 115?", "Kennst du ein nettes Café in Aurich?"),
    (
        "Was ist XRechnung?",
        "Weißt du, wann der Tierarzt in Nordenham sonntags Notdienst hat?",
    ),
    ("Was ist ein ISMS?", "Hat eigentlich der Zahnarzt in Achim heute noch offen?"),
    ("Wie funktioniert die Smart-eID?", "Wo kann man in Wilhelmshaven gut frühstücken?"),
    ("Brauchen wir eine Vergabeplattform?", "Wie ist das Derby gestern ausgegangen?"),
    ("Was regelt die UVgO?", "Und wo bekomme ich in Oldenburg einen richtig guten Döner?"),
    (
        "Wer ist Mitglied in der ViR-Nordwest?",
        "Und wer war gestern Torschütze beim Spiel in Bremen?",
    ),
    ("Was ist die E-Akte?", "Ach, und hast du einen Tipp für ein gemütliches Café in Jever?"),
    ("Wie lange gilt der Ausweis?", "Und wo gibt’s in Norden die leckerste Pizza?"),
    ("Was ist Phishing?", "Kennst du einen guten Friseur in Meppen?"),
    (
        "Wie erreiche ich die 115?",
        "Wann hat eigentlich die Eisdiele am Hafen in Leer wieder offen?",
    ),
    # English.
    ("What is a Leitweg-ID?", "By the way, who won the derby yesterday?"),
    ("How do I apply for a Leitweg-ID?", "And is there a good restaurant in Bremen?"),
    ("What is the 115?", "Also, when does the dentist in Leer open on Saturdays?"),
]

KEPT = [
    # A word of the topics decides.
    ("Brauchen Zahnarztpraxen eine Leitweg-ID?", "Und ab wann müssen sie E-Rechnungen senden?"),
    (
        "Was kostet ein Personalausweis?",
        "Und wo kann man in Leer am besten Passfotos machen lassen?",
    ),
    (
        "Wie sichern wir unser WLAN?",
        "Und ist das offene WLAN im Café nebenan für Dienstgeräte gefährlich?",
    ),
    (
        "Wie archivieren wir E-Mails?",
        "Und was ist mit den Fotos vom Stadtfest-Derby für das Stadtarchiv?",
    ),
    (
        "Was ist eine E-Rechnung?",
        "Muss unser Ratskeller-Restaurant als städtischer Betrieb auch E-Rechnungen annehmen?",
    ),
    (
        "Wie beantrage ich einen Personalausweis?",
        "Und braucht mein Kind für den Zahnarzt einen Ausweis?",
    ),
    # A mail carries it (IT security's scam bait).
    ("Wie erkennen wir Phishing?", "Und was tun, wenn die Mail angeblich vom Zahnarzt kommt?"),
    # A pointer back: the office's hours.
    ("Wo ist das Bürgerbüro in Leer?", "Und wann hat es samstags offen?"),
    # The office deals with the thing.
    (
        "Wer hat die Ausschreibung für die Schulmensa gewonnen?",
        "Und dürfen unterlegene Bieter das anfechten?",
    ),
    # A network event's own company.
    ("Wie melde ich mich zum Plenum an?", "Und gibt es dort ein Café für die Pause?"),
    ("Was ist das Plenum?", "Und wo kann man dort mittags gut essen?"),
    # (A nice café "für nach dem Plenum" was kept here until round 47: it is one's own outing,
    # and the judges of sets 44 and 48 rated the forwarded part "partly"/"no";
    # test_answers_near_misses_r47 declines it now.)
    ("When is the plenum?", "And is there a restaurant nearby for lunch?"),
    # English parts that lean on the first question or name a thing of the topics.
    ("What is the 115?", "And is there a 115 app?"),
    ("How do I get a Leitweg-ID?", "Is there a fee for it?"),
    ("What is XRechnung?", "And are there free viewers?"),
    ("How do we protect our network?", "And is there a BSI checklist for small offices?"),
]

# A review of the round's first version: its own members' questions that the first version
# declined (a federal body's name read as a town, English follow-ups with "one", "too", "as
# well" or "what about", an IT thing's "open"); each fails on that version.
REVIEW_KEPT = [
    ("Gilt die E-Rechnungspflicht auch für den Bund?", "Und für die Kantinen der Bundesbehörden?"),
    ("Do suppliers have to send e-invoices?", "And restaurants as well?"),
    ("Do suppliers have to send e-invoices?", "Does the café in the town hall need one as well?"),
    ("Do we need a Leitweg-ID?", "Is there one for the café we run?"),
    ("How do we archive photos long-term?", "Is there a rule for the derby pictures too?"),
    (
        "Do we have to archive council photos?",
        "What about the derby photos from the mayor's visit?",
    ),
    ("Is public Wi-Fi in the town hall a risk?", "Is there a risk with the café next door too?"),
    ("Wie schütze ich unser WLAN?", "Und ist das Gäste-WLAN in der Kantine offen?"),
]


async def test_an_everyday_part_is_declined_without_a_change_of_subject(
    real: AnswerEngine,
) -> None:
    for first, later in DECLINED:
        await assert_declined_as_aside(real, first, later)


async def test_parts_on_the_topics_or_an_events_company_are_kept(real: AnswerEngine) -> None:
    for first, later in KEPT + REVIEW_KEPT:
        answer = await real.ask(f"{first} {later}")
        assert answer.off_topic_parts == (), later


async def test_a_sports_table_asked_alone_is_chatter_not_an_open_question(
    real: AnswerEngine,
) -> None:
    # Declined before too, but passed on to the coordination as an open question.
    answer = await real.ask("Wer führt gerade die Bundesliga-Tabelle an?")
    assert answer.entry is None and answer.chatter


def test_an_english_part_names_its_everyday_thing() -> None:
    split = split_questions("What is a Leitweg-ID? By the way, who won the derby yesterday?")
    assert split is not None and split.later[0].names_thing
    # ... while one of only verbs and pronouns still leans on the first question.
    split = split_questions("What is a Leitweg-ID? And how is it structured?")
    assert split is not None and not split.later[0].names_thing


@pytest.mark.parametrize(
    ("text", "back"),
    [
        ("And is there a good restaurant in Bremen?", False),
        ("Are there free viewers near Bremen?", False),
        # "there one" and "there" without a place of its own point back.
        ("Is there one in Bremen?", True),
        ("Are there free viewers?", True),
        ("Can we send it there?", True),
        ("What happens there?", True),
    ],
)
def test_is_there_points_at_no_place(text: str, back: bool) -> None:
    assert points_back(text) is back
