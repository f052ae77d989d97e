"""Issue 8, third round, on the real knowledge base: private near misses are declined, and an
answer (or a "Passt eher") must be about the question's own subject, not only its topic. Later
rounds add, at the end: one's own paperwork, password or laptop stays declined; a noun of a
keyword's verb and a language asked in name the subject; a number of a bus line or an age names
no subject of the topics. Each of those was run once with its rule reverted and failed then;
the measurements are in docs/answer-quality.md, in each retrieval round's section."""

from __future__ import annotations

import pytest

from bot.answers.engine import AnswerEngine
from bot.answers.text import _NAMED_NUMBER, asking_words, fold, other_numbers_in, private_sphere
from tests.unit import test_answers_intent as intent

ENGINE_READ_ONLY = True  # its tests only ask: one engine for all (tests/unit/conftest.py)

# The engine on the real knowledge base, and the entry it answers with.
real = intent.real
entry_of = intent.entry_of


async def wrong_entries(engine: AnswerEngine, cases: list[tuple[str, str]]) -> list[str]:
    """The cases (question, entry) answered with another entry ("-": declined), as lines."""
    wrong = []
    for question, entry in cases:
        got = await entry_of(engine, question)
        if got != entry:
            wrong.append(f"{question}: {got}, not {entry}")
    return wrong


# One engine per test, not per question: each engine indexes the whole knowledge base.
PRIVATE = [
    # A PIN, but not the ID card's: answered with the ID-card PIN entry before.
    "PIN meiner Bankkarte vergessen, was tun?",
    "Ich habe die PIN meiner Kreditkarte vergessen",
    "PIN für meine EC-Karte vergessen",
    "Ich habe die PIN für mein Online-Banking vergessen, was soll ich tun?",
    # An invoice, but a private one.
    "Netflix Rechnung doppelt abgebucht",
    # A security incident, but at home.
    "Mein Instagram wurde gehackt",
    "Wie mache ich ein Backup von meinem privaten iPhone?",
]


async def test_private_near_misses_are_declined(real: AnswerEngine) -> None:
    answers = [await real.ask(question) for question in PRIVATE]
    assert [(a.question, a.entry.id) for a in answers if a.entry] == []
    # Declined like any unknown question (forwarded), not brushed off as chit-chat.
    assert not any(a.chatter for a in answers)


async def test_the_id_card_and_the_office_are_not_private(real: AnswerEngine) -> None:
    assert not private_sphere("Die Handys unserer Verwaltung: wie sichern wir sie?")
    cases = [
        ("Ich habe die PIN meines Personalausweises vergessen", "personalausweis-pin-vergessen"),
        # One's own phone, but for the ID card: the ID card's question.
        ("Mein Handy hat kein NFC, geht die AusweisApp trotzdem?", "personalausweis-ausweisapp"),
    ]
    assert await wrong_entries(real, cases) == []


async def test_own_things_on_the_topics_are_still_answered(real: AnswerEngine) -> None:
    # "mein Passwort", "im Urlaub": many questions on the topics say so; only a private thing
    # of its own (a bank card, Netflix) declines on its own, a possessive only an answer that
    # does not fit the question anyway.
    assert not private_sphere("Wer vertritt den ISB im Urlaub?")
    assert not private_sphere("Wie sicher muss mein Passwort sein?")
    assert (
        await entry_of(real, "Wie sicher muss mein Passwort sein?") == "it-sicherheit-passwoerter"
    )


async def test_an_answer_sharing_only_the_topic_word_is_declined(real: AnswerEngine) -> None:
    # "Personalausweis" is the topic's name; "Konto eröffnen" was in no entry. Answered with
    # the entry on the plenum of 2015 before. Since the entry on the eID's uses names banks
    # identifying with it when an account is opened, that entry may answer it (at 0.40, by
    # round 47's word statistics); what shares only the topic word may not.
    answered = await entry_of(real, "Kann man mit dem Personalausweis ein Konto eröffnen?")
    assert answered in ("-", "personalausweis-anwendungen")


async def test_verbs_and_common_words_name_no_subject(real: AnswerEngine) -> None:
    cases = [
        # "regelt" says what is asked, not what about: the regulation is the subject.
        (
            "Was regelt die Rechnungseingangsverordnung in Niedersachsen?",
            "e-rechnung-niedersachsen",
        ),
        # "Behörde" is used in every topic: no subject the answer must contain.
        (
            "Was brauchen wir als Behörde, um die eID-Funktion in unseren Onlinediensten "
            "anzubieten?",
            "personalausweis-berechtigungszertifikat",
        ),
    ]
    assert await wrong_entries(real, cases) == []


def test_asking_words_are_verbs_and_interrogatives() -> None:
    words = asking_words("Was regelt die Rechnungseingangsverordnung in Niedersachsen?")
    assert "regelt" in words
    assert not {"rechnungseingangsverordnung", "niedersachsen"} & words
    # Without capitals only the words of a kind of question tell.
    words = asking_words("wie beantrage ich eine leitweg-id")
    assert "beantrage" in words and "leitweg-id" not in words


async def test_a_fitting_answer_about_another_thing_is_declined(real: AnswerEngine) -> None:
    # The retention-periods entry fits "Wie lange muss man ... aufbewahren?" well, but names
    # neither tax records nor payslips (the index does not even know the word): answered
    # with the entry on the archives' retention periods before.
    assert await entry_of(real, "Wie lange muss man Steuerunterlagen aufbewahren?") == "-"
    assert await entry_of(real, "Wie lange muss man Lohnabrechnungen aufbewahren?") == "-"
    # ... while a question on the entry's own subject is still answered.
    assert (
        await entry_of(real, "Wie lange muss die Verwaltung ihre Akten aufbewahren?")
        == "lza-aufbewahrungsfristen"
    )
    assert (
        await entry_of(real, "Wie schnell muss bei der 115 abgehoben werden?")
        == "115-serviceversprechen"
    )


# Private things: one's own paperwork, password or laptop stays declined; "my" alone does not.


def test_private_paperwork_is_private() -> None:
    assert private_sphere("Wie lange muss ich meine Kontoauszüge aufheben?")
    assert private_sphere("Wie lange muss ich meine Steuerunterlagen aufbewahren?")
    # ... not the municipality's.
    assert not private_sphere("Wie lange muss die Gemeinde ihre Steuerunterlagen aufbewahren?")


async def test_family_photos_are_private(real: AnswerEngine) -> None:
    # The nineteenth round's scan-resolution entry names photos; "Wie scanne ich alte
    # Familienfotos am besten ein?" got it at 0.42 before "familienfoto" was a private thing.
    assert private_sphere("Wie scanne ich alte Familienfotos am besten ein?")
    assert private_sphere("Mit welcher Auflösung scanne ich unsere Hochzeitsfotos?")
    assert (await real.ask("Wie scanne ich alte Familienfotos am besten ein?")).entry is None
    # ... the archive's photos are not.
    assert not private_sphere("Mit welcher Auflösung scannen wir die alten Fotos des Stadtarchivs?")


@pytest.mark.parametrize(
    "question",
    [
        "Ich habe mein Passwort fürs Online-Banking vergessen, was nun?",
        "Mein Laptop zu Hause startet nicht mehr, was kann ich tun?",
        "Welchen Laptop soll ich mir privat kaufen?",
        # The review's probes (REVIEW-17, 7): no office named, or a laptop at work whose
        # battery, not its security, is asked about.
        "Unsere Familie teilt sich einen Laptop, wie richten wir getrennte Passwörter ein?",
        "Samt Laptop wurde mein Rucksack gestohlen, was nun?",
        "Mein Chef im Fitnessstudio hat sein Passwort vergessen.",
        "Der Akku vom Laptop meiner Kollegin hält nur noch eine Stunde, was tun?",
        "Im Rathaus habe ich mein Passwort fürs private Online-Banking vergessen.",
    ],
)
async def test_ones_own_password_or_laptop_stays_declined(
    engine: AnswerEngine, question: str
) -> None:
    assert await entry_of(engine, question) == "-"


@pytest.mark.parametrize(
    ("question", "entry"),
    [
        # Review REVIEW-7: two decline rules of this round (a foreign country the entry does
        # not name, "mein/my <thing>" outside the topics) declined these members' questions
        # and changed nothing on the fresh set 9; they were removed.
        ("Kann man die 115 in Spanien anrufen?", "115-ausland"),
        ("My boss asks whether we must accept PDF invoices.", "e-rechnung-pdf-ablehnen"),
    ],
)
async def test_a_country_or_my_does_not_decline_a_question_an_entry_answers(
    engine: AnswerEngine, question: str, entry: str
) -> None:
    assert await entry_of(engine, question) == entry


# What names the subject: a noun of a keyword's verb, a language asked in.


@pytest.mark.parametrize(
    ("question", "entry"),
    [
        ("Mit welchen Kosten rechnen wir für ein eigenes Langzeitarchiv?", "lza-kosten"),
        ("Was kostet uns ein Langzeitarchiv pro Jahr ungefähr?", "lza-kosten"),
    ],
)
async def test_a_noun_decides_like_the_keyword_of_its_verb(
    engine: AnswerEngine, question: str, entry: str
) -> None:
    # "Langzeitarchiv" is what "Langzeitarchivierung" (a keyword, stem "langzeitarchivier")
    # builds: it is as decisive. Without the rule it is decisive only by its part "Archiv",
    # which entries of four topics use, and the question is declined.
    assert await entry_of(engine, question) == entry


@pytest.mark.parametrize(
    "question",
    [
        "Was kostet der Eintritt ins Stadtarchiv?",
        "Wie lange hat das Langzeitarchiv des Kreises am Samstag geöffnet?",
    ],
)
async def test_the_noun_rule_answers_no_near_miss(engine: AnswerEngine, question: str) -> None:
    assert await entry_of(engine, question) == "-"


async def test_a_language_asked_in_stays_a_subject(engine: AnswerEngine) -> None:
    # Tried in this round: "auf Englisch" as an everyday word like "Deutsch". It answered a
    # bid in English from the entry on shared platforms and "can I take part in English?"
    # from the plenum's attendance entry (both judged "no"): a language asked about is the
    # subject. Declined while no entry had it; since the fortieth round the bidders' entry
    # says in which language bids and proofs may be asked for, and answers it.
    question = (
        "Eine belgische Firma fragt, ob sie ihr Angebot auch auf Englisch über unsere "
        "Vergabeplattform einreichen darf."
    )
    answer = await engine.ask(question)
    assert answer.entry is not None and answer.entry.id == "e-vergabe-bieter-registrierung"
    assert "Sprache der Unterlagen" in answer.entry.body


# Numbers that name something else: a bus line, a room, an age.


async def test_a_number_of_a_bus_line_or_room_is_not_the_115(engine: AnswerEngine) -> None:
    # Found through set 19 after its measure: "Linie 115" is a bus, not the service number;
    # "die 115 … Zimmer 115" still names the service number.
    assert await entry_of(engine, "Ist die Linie 115 morgens pünktlich?") == "-"
    assert other_numbers_in("wann faehrt die linie 115 ab hauptbahnhof") == {"115"}
    assert other_numbers_in("ist die 115 auch fuer zimmer 115 zustaendig") == frozenset()


def test_an_age_is_no_named_number() -> None:
    # "20-Jährigen" named the number 20 like "BSI 200-2", and the new ID-copy entry's
    # "§ 20 PAuswG" took a question on the card's validity (test_answers_rules caught it).
    assert _NAMED_NUMBER.findall(fold("Was gilt bei 20-Jährigen und 16-jährigen?")) == []
    assert _NAMED_NUMBER.findall(fold("BSI-Standard 200-2 und § 20 PAuswG")) == ["200", "2", "§ 20"]


def test_family_neighbours_and_friends_are_private() -> None:
    # Round 26: one's relatives, neighbours and friends make a question private, whatever
    # topic word comes along (a neighbour's WLAN was answered with the procurement platforms).
    private = [
        "Meine Nachbarin nutzt mein WLAN mit, wie ändere ich das Passwort?",
        "Wie digitalisiere ich die Tagebücher meines Großvaters für die Familie?",
        "Mein Bruder hat einen Handwerksbetrieb. Wie schreibt er eine Rechnung?",
        # Answered with an e-invoicing entry at 0.60 before the review added partners.
        "Mein Partner hat einen Handwerksbetrieb, wie schreibt er eine XRechnung?",
        "Ein Freund von mir will seine alten Fotos archivieren, welches Format?",
        # A procedure word without the office's "wir": a relative's own tender.
        "Meine Freundin will für ihren Laden eine Ausschreibung für Möbel machen, wie geht das?",
        "How can I keep my kids safe from phishing mails?",
        # Private paperwork and purchases of one's own: a debt collector's letter, a used
        # laptop from the classifieds.
        "Ein Inkassobüro schreibt mir wegen einer Rechnung, die ich nicht kenne. Was nun?",
        "Wie lösche ich einen über Kleinanzeigen gekauften Laptop sicher, den ich gekauft habe?",
    ]
    assert [q for q in private if not private_sphere(q)] == []


async def test_relatives_colleagues_and_the_office_are_not_private(real: AnswerEngine) -> None:
    # "Frau"/"Mann" after a role is a colleague's title; a relative in a procedure is a
    # conflict of interest; the office's own dealings with a debt collector or the
    # classifieds are the office's; a relative's ID card is the ID card's (review REVIEW-26).
    official = [
        "Meine Chefin Frau Schulz fragt, ob wir eForms auch für nationale Ausschreibungen "
        "brauchen.",
        "Mein Sohn arbeitet bei einem Bieter in unserer Ausschreibung, bin ich befangen?",
        "Dürfen wir ausgemusterte Laptops über Kleinanzeigen verkaufen, wie löschen wir sie?",
        "Ein Inkassounternehmen schickt uns eine Rechnung per Mail, müssen wir die als "
        "E-Rechnung annehmen?",
        "Meine Mutter lebt im Pflegeheim, wer verlängert ihren Ausweis?",
        # "i. d. R." is no "I": the office's own claims.
        "Geben wir offene Forderungen i. d. R. an ein Inkassobüro ab?",
        "Können unsere Partner die Vergabeplattform mitnutzen?",
    ]
    assert [q for q in official if private_sphere(q)] == []
    assert await entry_of(real, official[0]) == "e-vergabe-eforms"
    # ... and the engine answers a relative's ID card from the ID card's entries.
    relative = (
        "Meine Mutter ist 84 und kann nicht mehr ins Bürgerbüro, ihr Personalausweis ist "
        "abgelaufen. Was nun?"
    )
    assert (await entry_of(real, relative)).startswith("personalausweis-")


def test_an_adjective_and_a_second_line_do_not_make_it_private() -> None:
    # "bekannt" is a relative only as "ein Bekannter von mir", not in "mein bekanntes
    # Problem"; the office's "wir" counts on any line of the message.
    assert not private_sphere("Mein bekanntes Problem: Wie lange gilt eine Leitweg-ID?")
    assert private_sphere("Ein Bekannter von mir will seine Dias archivieren.")
    assert not private_sphere("Mein Bruder arbeitet bei einem Bieter.\nDürfen wir ihn beauftragen?")


async def test_english_staff_and_work_are_the_office(real: AnswerEngine) -> None:
    # Round 28: "WhatsApp" alone is one's own messenger, but asked for employees or for work it
    # is the office's question, as "Kollegen" and "Mitarbeitende" are in German (it was
    # declined at 0.0 before the private check looked for these words).
    assert private_sphere("How do I back up my WhatsApp chats?")
    assert not private_sphere("Can employees use WhatsApp for work?")
    assert await entry_of(real, "Can employees use WhatsApp for work?") == "it-sicherheit-messenger"


def test_the_mayor_names_the_office() -> None:
    # Final read of round 28: "Bürgermeister" and "Landrat" are the municipality's, like
    # "Rathaus": the mayor's WhatsApp group is a records question of the archive (set 25 was
    # declined as a private messenger question), one's own chats stay private.
    assert not private_sphere(
        "Unser Bürgermeister hat eine WhatsApp-Gruppe mit den Ortsvorstehern. "
        "Gehört die ins Archiv?"
    )
    assert not private_sphere("Der Landrat schreibt per WhatsApp, ist das eine Akte?")
    assert private_sphere("Wie sichere ich meine privaten WhatsApp-Chats?")
