"""Issue 8, fortieth round: a later part of a message that asks about everyday life in passing
(sports clubs and results, television, the household's own waste collection or parking permit,
public transport times, the canteen's menu, shopping, holidays: vocabulary.EVERYDAY_LIFE) is
named as no topic of the network, without a lead-in ("Ganz andere Frage: ..."), and never
forwarded to the coordination; one's own private device is named as private. The same everyday
words in a follow-up on the topics, the office dealing with the thing (procuring, running,
invoicing it: vocabulary.OFFICE_DEALINGS), the 115 asked about it, "wir" acting, a mail or app,
a short follow-up or the way to a network event keep the part forwarded. Sets 39-41: six of 19
weak two-part replies forwarded such a part. Each case below was run with the rule reverted:
the declined ones were forwarded then (the kept ones were kept before too, and are the
precision guard)."""

from __future__ import annotations

from bot.answers.engine import AnswerEngine
from tests.unit import test_answers_intent as intent
from tests.unit.aside_checks import assert_declined_as_aside

ENGINE_READ_ONLY = True  # its tests only ask: one engine for all (tests/unit/conftest.py)

real = intent.real  # the engine on the real knowledge base (fixture)


# (first question, later part) pairs; one engine for all of them (an engine per case cost
# about a second each in the suite).
DECLINED_LATER_PARTS = [
    # Sets 39-41's kinds, in other words, after first questions of all seven topics.
    # Sports clubs and results.
    ("Was ist eine E-Rechnung?", "Und wer hat am Wochenende das Spiel vom HSV gewonnen?"),
    ("Wie beantrage ich eine Leitweg-ID?", "Und wann spielt Borussia Dortmund wieder?"),
    (
        "Wie lange dauert die Herstellung eines neuen Personalausweises bei der "
        "Bundesdruckerei gerade?",
        "Und wann spielt Werder eigentlich wieder zuhause?",
    ),
    # ... after a question on a network event too: a game is no event's.
    ("Wann ist das nächste ViR-Plenum?", "Und wer hat gestern das Werder-Spiel gewonnen?"),
    # Television and the cinema.
    ("Was ist ein ISMS?", "Und läuft heute Abend eigentlich ein neuer Tatort?"),
    (
        "Wie lange muss eine E-Akte aufbewahrt werden?",
        "Und weißt du, was gerade im Kino läuft?",
    ),
    # The household's own services.
    (
        "Müssen wir die Bekanntmachung zusätzlich auf unserer Homepage veröffentlichen?",
        "Und weißt du, wann bei uns nächste Woche die Müllabfuhr kommt?",
    ),
    (
        "Was kostet die 115 für eine Gemeinde?",
        "Und weißt du, wann bei uns die Biotonne geleert wird?",
    ),
    ("Was kostet ein Personalausweis?", "Und wann kommt eigentlich der gelbe Sack?"),
    ("Wie erkenne ich Phishing?", "Und wo bekomme ich einen Anwohnerparkausweis?"),
    (
        "Wer vertritt unsere Gemeinde im ViR-Plenum?",
        "Und kann ich bei euch auch gleich einen Anwohnerparkausweis beantragen?",
    ),
    # Public transport times.
    (
        "Muss in jeder XRechnung die Leitweg-ID stehen?",
        "Und weißt du, wann der nächste Bus nach Bremen fährt?",
    ),
    ("Was ist die 115?", "Und wann fährt morgen früh der erste Zug nach Hannover?"),
    (
        "Wie funktioniert die Online-Ausweisfunktion?",
        "Und wann fährt die nächste Straßenbahn zum Hauptbahnhof?",
    ),
    # The canteen's menu and hours.
    ("Was ist eine Leitweg-ID?", "Und was gibt es heute in der Kantine zum Mittagessen?"),
    (
        "Ab welchem Auftragswert müssen wir Dienstleistungen europaweit ausschreiben?",
        "Und gibt es heute in der Kantine eigentlich Fisch?",
    ),
    (
        "Wie lange ist die Angebotsfrist bei einer EU-Ausschreibung?",
        "Und hat die Mensa am Freitag geöffnet?",
    ),
    # Shopping.
    ("Was ist ViR-Nordwest?", "Und hat der Baumarkt am Samstag bis 20 Uhr auf?"),
    ("Was ist XRechnung?", "Und welcher Supermarkt hat am Sonntag geöffnet?"),
    # Holidays.
    ("Was ist TR-ESOR?", "Und wann sind dieses Jahr die Sommerferien in Niedersachsen?"),
    ("Wie sichere ich Backups gegen Ransomware?", "Und kennst du ein schönes Urlaubsziel?"),
]


async def test_everyday_life_in_a_later_part_is_declined_without_a_lead_in(
    real: AnswerEngine,
) -> None:
    for first, later in DECLINED_LATER_PARTS:
        await assert_declined_as_aside(real, first, later)


async def test_ones_own_private_device_in_a_later_part_is_named_private(
    real: AnswerEngine,
) -> None:
    # Set 41: forwarded; "meinen privaten PC" was only a weak hint of privacy.
    later = "Und welcher Virenschutz ist für meinen privaten PC am besten?"
    answer = await real.ask(f"Wie sichern wir die Homeoffice-Laptops richtig ab? {later}")
    assert answer.private_parts == (later,) and answer.off_topic_parts == ()
    assert later not in [text for text, _ in answer.unanswered]


# Follow-ups with everyday words that are on the topics or the office's own business: never
# declined as off the topics nor named private.
ON_TOPIC_FOLLOW_UPS = [
    # The office procures, runs, invoices or charges for the thing, or asks who is
    # responsible (vocabulary.OFFICE_DEALINGS), or "wir" acts.
    (
        "Was ist eine Öffentliche Ausschreibung?",
        "Und müssen wir die Kantine europaweit ausschreiben?",
    ),
    (
        "Was ist eine Öffentliche Ausschreibung?",
        "Und wie vergeben wir den Busverkehr im Landkreis?",
    ),
    ("Was ist eine Öffentliche Ausschreibung?", "Und wer betreibt bei uns die Kantine?"),
    ("Was ist eine E-Rechnung?", "Und wie rechnen wir den Bürgerbus ab?"),
    ("Was ist eine E-Rechnung?", "Und wie schickt der Supermarkt uns seine Rechnungen?"),
    ("Was ist ein ISMS?", "Und wie schützen wir die Software der Müllabfuhr?"),
    ("Was ist ein ISMS?", "Und wie sichern wir die Kantine gegen Einbruch?"),
    (
        "Wie beantrage ich einen Personalausweis?",
        "Und wer ist bei uns für Anwohnerparkausweise zuständig?",
    ),
    ("Was kostet ein Personalausweis?", "Und zahlen Schüler in den Sommerferien weniger?"),
    (
        "Was ist eine E-Akte?",
        "Und müssen auch die Speisepläne der Kantine archiviert werden?",
    ),
    # The 115 asked about it.
    ("Was ist die 115?", "Und beantwortet die 115 auch Fragen zur Müllabfuhr?"),
    ("Was ist die 115?", "Und kann man über die 115 einen Anwohnerparkausweis beantragen?"),
    ("Was ist die 115?", "Und ist die 115 in den Sommerferien erreichbar?"),
    # A mail or a link is IT security's; a work laptop lost on the way is too.
    ("Wie erkenne ich Phishing?", "Und was tun, wenn ein Supermarkt-Gutschein per SMS kommt?"),
    (
        "Wie melde ich einen Sicherheitsvorfall?",
        "Und was ist, wenn ich den Laptop im Zug nach Hannover vergesse?",
    ),
    # Short follow-ups on the first question, and a thing of the first's named again.
    ("Was ist eine E-Akte?", "Und die Kantine?"),
    ("Ab wann müssen wir E-Rechnungen annehmen?", "Und was ist mit der Kantine?"),
    ("Ab wann müssen wir E-Rechnungen annehmen?", "Und gilt das auch für die Kantine?"),
    ("Was ist eine Leitweg-ID?", "Und braucht die Kantine eine?"),
    # The way to a network event, and its lunch, may be the event's.
    ("Wann ist das nächste Plenum?", "Und wann fährt der Zug nach Oldenburg?"),
    ("Wann ist das Plenum?", "Und gibt es dort Mittagessen?"),
    (
        "Was ist ViR-Nordwest?",
        "Und wie komme ich mit dem Bus nach Oldenburg zur Koordinierungsstelle?",
    ),
    (
        "Wo sitzt die Koordinierungsstelle von ViR-Nordwest?",
        "Und fährt ein Bus nach Oldenburg?",
    ),
    ("Was kostet die Mitgliedschaft bei ViR-Nordwest?", "Und ist das Mittagessen inklusive?"),
    # The work use of one's private device is IT security's.
    (
        "Wie melde ich einen Sicherheitsvorfall?",
        "Und darf ich meinen privaten Laptop im Homeoffice nutzen?",
    ),
]
REVIEW_40F_ON_TOPIC = [
    # Code review 40f, must-fix: each was named off-topic before the fix. Holidays after a
    # passport, a residents' parking permit on the internet after the OZG, the canteen's
    # power cut after emergency management: asked alone, the part may be of the first's
    # topic (1, 2, 4).
    (
        "Wie lange gilt ein Kinderreisepass?",
        "Und reicht für die Pauschalreise in die Türkei ein Kinderreisepass?",
    ),
    (
        "Wie lange gilt ein Personalausweis?",
        "Und wie lange vor dem Urlaubsziel Türkei muss ich den Reisepass beantragen?",
    ),
    (
        "Wie beantrage ich einen Reisepass?",
        "Und wann sind die Sommerferien, bekomme ich den Pass bis dahin?",
    ),
    (
        "Wie lange dauert ein Kinderreisepass?",
        "Und wann sind die Osterferien, reicht die Zeit noch?",
    ),
    (
        "Was muss das OZG umsetzen?",
        "Und muss der Anwohnerparkausweis auch übers Internet beantragt werden können?",
    ),
    (
        "Was ist das OZG?",
        "Und muss man den Anwohnerparkausweis künftig im Internet beantragen können?",
    ),
    (
        "Was ist Notfallmanagement nach BSI?",
        "Und was passiert, wenn in der Kantine der Strom ausfällt?",
    ),
    # "Auch, ..." asks the first question further (3).
    ("Welche Fragen beantwortet die 115?", "Auch, wann die Müllabfuhr kommt?"),
    # "unsere" is the office's own as "wir" is; "eine eigene" and "one" lean back (5, 6).
    ("Was ist eine Leitweg-ID?", "Und hat unsere Kantine eine eigene?"),
    ("What is a Leitweg-ID?", "And does the Kantine need one?"),
]
PRIVATE_DEVICE_INCIDENTS = [
    # Code review 40f, should-fix: an incident on one's private device is IT security's
    # (a stick plugged in, malware from it, infected), not a private question.
    (
        "Wie melde ich einen Sicherheitsvorfall?",
        "Und ich habe einen USB-Stick an meinen privaten PC gesteckt – was jetzt?",
    ),
    (
        "Wie melde ich einen Sicherheitsvorfall?",
        "Und was ist, wenn die Schadsoftware von meinem privaten Laptop kam?",
    ),
    ("Was ist Emotet?", "Und kann Emotet auch meinen privaten PC befallen?"),
]


async def test_everyday_words_in_a_follow_up_on_the_topics_are_not_declined(
    real: AnswerEngine,
) -> None:
    for first, later in ON_TOPIC_FOLLOW_UPS + REVIEW_40F_ON_TOPIC + PRIVATE_DEVICE_INCIDENTS:
        answer = await real.ask(f"{first} {later}")
        assert answer.off_topic_parts == () and answer.private_parts == (), later
