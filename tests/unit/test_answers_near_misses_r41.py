"""Issue 8, forty-first round: near misses whose subject is a private person's own matter, a
club's, a shop's or a game's are declined whatever entry's phrasing fits their everyday words
(set 42 answered five such: a drugstore's photo price, a plumber's bill, a sports club's
chronicle, one's own tax ID, a football result). By kind (text.own_papers, tradesmans_bill,
club_matter, shop_matter, game_or_screen; vocabulary.HOUSEHOLD_PAPERS for one's own phone bill
or subscription and "als Privatperson"; PRIVATE_THINGS for the Girocard), never by a set's
words; a later part that only points back at such a first question is declined with it.

Every question below is written for this test (none is in a question set). Each case of the
DECLINED lists was answered (by some entry) before the round's change; the KEPT lists are
members' questions that name the same things and must keep their answer (the precision
guard): a Bürgerbüro's own photo booth, a municipality's invoice from a plumber, a club's
grant from the municipality, the 115 asked about a football game, a citizen's photo from a
drugstore, a tradesman who bids."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from bot.answers.engine import AnswerEngine
from bot.answers.text import (
    club_matter,
    game_or_screen,
    own_papers,
    private_setting,
    private_sphere,
    shop_matter,
    tradesmans_bill,
)
from tests.unit import test_answers_intent as intent

real = intent.real  # the engine on the real knowledge base (fixture)
ENGINE_READ_ONLY = True  # its tests only ask: one engine for all (tests/unit/conftest.py)

# (kind, question) answered before the round, declined now.
DECLINED = [
    ("own papers", "I lost my tax ID, how do I get it again?"),
    (
        "tradesman",
        "Der Elektriker hat mir 650 Euro für zwei Steckdosen berechnet. Ist das zu viel?",
    ),
    (
        "tradesman",
        "Der Maler hat mir für zwei Zimmer 1.900 Euro berechnet. Ist das eine korrekte Rechnung?",
    ),
    (
        "tradesman",
        "Mein Elektriker schickt mir seine Rechnung nur per Mail. Muss ich die ausdrucken?",
    ),
    # (Not "Der Heizungsbauer hat mir eine Rechnung ohne Datum geschickt": without a private
    # payment or home it may be the office's invoice; review of round 41, M1.)
    ("tradesman", "Der Heizungsbauer will von mir eine Anzahlung, bevor er die Therme tauscht."),
    (
        "club",
        "Unser Kegelclub möchte seine alten Protokolle digitalisieren und archivieren. Wie gehen "
        "wir vor?",
    ),
    ("club", "Im Schachverein soll ich die Mitgliederliste sicher speichern. Wie mache ich das?"),
    ("club", "Our rowing club wants to archive its old photos. How should we do that?"),
    ("club", "Unser Chor braucht ein sicheres Passwort für die Website. Was ist sicher genug?"),
    (
        "club",
        "Unser Chor will seine Noten dauerhaft digital aufbewahren. Welches Format nehmen wir?",
    ),
    ("club", "Unser Schützenverein will seine Pokale und Urkunden archivieren. Wie geht das?"),
    ("shop", "Was kostet ein biometrisches Passbild bei dm?"),
    ("shop", "Wie lange dauert bei dm ein biometrisches Passfoto?"),
    ("shop", "Was kostet im Drogeriemarkt ein Passbild für den Reisepass?"),
    ("own bill", "Meine Handyrechnung kommt nur noch als PDF per Mail, ist das eine E-Rechnung?"),
    ("own bill", "Meine Internetrechnung kommt jetzt als XML-Datei, wie öffne ich die?"),
    ("private person", "Muss ich als Privatperson meine E-Mails archivieren?"),
    ("bank card", "Ich habe die PIN meiner Girocard dreimal falsch eingegeben. Was nun?"),
    # A later part that only points back at a private first question or a shop's.
    ("leaning", "Wie lange ist meine Kreditkarte noch gültig, und wie verlängere ich sie?"),
    ("leaning", "Kann man bei dm auch Passbilder digital übermitteln lassen und was kostet das?"),
]

# A football game asked alone, whatever entry's phrasing fits "Samstag" (the first two were
# answered from the 115's service promise before; the others were declined by score, and now
# by their kind).
GAMES = [
    "Wie hat der HSV am Samstag gespielt?",
    "Hat der HSV am Samstag gewonnen?",
    "Wie ist das Spiel von Borussia Dortmund am Samstag ausgegangen?",
    "Wer hat am Wochenende das Heimspiel von Werder gewonnen?",
    "Wann spielt Borussia Dortmund wieder in der Champions League?",
    "Welcher Film läuft am Samstag im Kino?",
]

# (question, topic of its answer): members' questions on the same things, kept.
KEPT = [
    (
        "Der Klempner schickt uns seine Rechnung nur auf Papier. Müssen wir die annehmen?",
        "e-rechnung",
    ),
    (
        "Der Elektriker aus dem Ort hat uns eine PDF-Rechnung geschickt. Ist das schon eine "
        "E-Rechnung?",
        "e-rechnung",
    ),
    (
        "Unser Sportverein bekommt einen Zuschuss der Gemeinde. Muss er Aufträge dann "
        "ausschreiben?",
        "e-vergabe",
    ),
    (
        "Ein Bürger ruft bei der 115 an und will wissen, wann Werder spielt. Was sagen wir?",
        "service-center-115",
    ),
    ("Darf ein Bürger sein Passbild von dm mitbringen?", "personalausweis"),
    ("Nehmen wir Passbilder vom Drogeriemarkt noch an?", "personalausweis"),
    (
        "Ich bin Elektriker und möchte mich an Ausschreibungen der Stadt beteiligen. Wie "
        "registriere ich mich?",
        "e-vergabe",
    ),
    ("Ist ViR-Nordwest ein eingetragener Verein?", "vir-nordwest"),
    (
        "Unser Bürgerbüro hat einen eigenen Fotoautomaten. Dürfen wir dafür eine Gebühr nehmen?",
        "personalausweis",
    ),
]


# The review of round 41 ran the branch on members' questions naming the same things (a
# tradesman's invoice to the office, a club's grant or Leitweg-ID, the ID card's fee with a
# drugstore's photo, "als Privatperson" about the BundID or e-invoicing, one's subscription to
# the CERT's warnings, a bidder's tickets for a home game): each keeps the result it had before
# the round. Answered then, answered now:
REVIEW_ANSWERED = [
    # Second review of round 41: another holder's paper, a security subject, the BundID.
    "Kann ich als Privatperson einen Phishing-Vorfall beim CERT melden?",
    "Darf ich als Privatperson Ransomware-Warnungen des CERT-Nord abonnieren?",
    "Ein Lieferant hat mir seine Steuer-ID statt der USt-IdNr. gegeben – darf ich die Rechnung "
    "trotzdem bezahlen?",
    "Kann sich mein Verein für die BundID registrieren?",
    "Wir fördern unseren Sportverein mit 20.000 Euro – muss der Verein dann ausschreiben?",
    "Unser Förderverein fragt, ob er für Rechnungen an uns eine Leitweg-ID braucht.",
    "Können wir als Verein eine Leitweg-ID beantragen?",
    "Unser Turnverein stellt uns die Hallenmiete in Rechnung – muss der eine XRechnung schicken?",
    "Müssen Vereine ausschreiben, wenn sie Fördergeld bekommen?",
    "Was kostet der Personalausweis, wenn man das Foto bei dm macht?",
    "Ein Handwerker fragt mich, ob er seine Rechnung weiterhin auf Papier schicken darf.",
    "Wie schreibe ich Handwerkerleistungen unter der Schwelle aus?",
    "Mein Installateur für die Turnhalle fragt, welche Leitweg-ID er angeben soll.",
    "Muss ich meine Steuer-ID in der XRechnung an die Stadt angeben?",
    "Kann ich meine Geburtsurkunde online über die BundID beantragen?",
    "Brauche ich für die BundID meine Steuer-ID?",
    "Kann ich mit meiner Gesundheitskarte die Online-Funktion nutzen?",
    "Muss ich als Privatperson E-Rechnungen empfangen?",
    "Kann ich als Privatperson die BundID nutzen?",
    "Kann ich als Privatperson die 115 anrufen?",
    "Do I have to accept e-invoices as a private individual?",
    "Wie richte ich mein Abo für die Warnmeldungen des CERT-Bund ein?",
    "Phishing-Mails mit Gewinnspielen zur Fußball-EM – wie erkenne ich die?",
    "Was ist eine XRechnung, und muss unser Sportverein die auch annehmen?",
    (
        "Müssen Vereine ausschreiben, wenn sie Fördergeld bekommen? Und gilt das auch für unseren "
        "Heimatverein?"
    ),
    "Wie beantrage ich eine Leitweg-ID? Und braucht unser Förderverein auch eine?",
    "Wie lange muss ich Rechnungen aufbewahren? Und gilt das auch für die Quittungen vom Baumarkt?",
    "Was ist der Schwellenwert für Direktaufträge? Und darf ich dann einfach bei Aldi einkaufen?",
    (
        "Eintrittskarten für ein Werder-Heimspiel von einem Bieter – dürfen wir die annehmen? Und "
        "wie melde ich das?"
    ),
    "Wir wollen Public Viewing zur Fußball-WM ausschreiben. Wie lange dauert das?",
    "Unser Förderverein hat eine Leitweg-ID beantragt. Wie lange dauert das?",
    "Können wir als Verein eine Leitweg-ID beantragen, und wo mache ich das?",
    "Was kostet der Personalausweis, wenn man das Foto bei dm macht, und wie lange dauert es?",
    (
        "Ein Handwerker fragt mich, ob er seine Rechnung auf Papier schicken darf. Ab wann ist das "
        "verboten?"
    ),
    "Muss ich als Privatperson E-Rechnungen empfangen, und ab wann gilt das?",
    "Kann ich als Privatperson die BundID nutzen, und wie richte ich sie ein?",
    "Unser Sportverein bekommt Fördermittel. Muss er dann ausschreiben?",
    "Ich habe einen USB-Stick im Mediamarkt gekauft. Darf ich den am Dienstrechner nutzen?",
    "Wie melde ich eine Phishing-Mail? Und wer hat gestern das Werder-Spiel gewonnen?",
    "Was ist die 115? Und wann spielt Werder wieder zuhause?",
    "Wie lange muss ich Rechnungen aufbewahren? Und wie hat der HSV gespielt?",
    "Wann ist das nächste Plenum der ViR? Und läuft am Abend Fußball im Fernsehen?",
    "Bei Heimspielen rufen viele wegen Parkplätzen an. Kann die 115 das beantworten?",
    "Die Stadt sponsert den Fußballverein. Müssen wir das ausschreiben?",
    "Ist die Online-Ausweisfunktion kostenlos, wenn das Passbild bei dm gemacht wurde?",
    "Beim Heimspiel-Einsatz des Ordnungsamts: wie archivieren wir die Einsatzprotokolle?",
]
# ... offered (topics forwarded) then, answered or offered now:
REVIEW_OFFERED = [
    "Muss unser Heimatverein als Zuwendungsempfänger die UVgO anwenden?",
    (
        "Unsere Vereine nutzen den Saal im Bürgerhaus – wie lange müssen wir die Mietverträge "
        "aufbewahren?"
    ),
    (
        "Wir haben Verträge mit unseren Sportvereinen über die Hallennutzung – wie lange müssen "
        "wir die aufbewahren?"
    ),
    "Unser Heimatverein hat alte Ratsprotokolle gefunden – nimmt das Archiv die an?",
    (
        "Unser Partnerverein will bei unserer nächsten Ausschreibung mitbieten – dürfen wir ihn "
        "direkt anschreiben?"
    ),
    (
        "Im Schützenverein wurde ein Vorstandsmitglied per CEO-Fraud-Mail angeschrieben – ist das "
        "ein Fall für das CERT?"
    ),
    "Our sports club gets a grant from the town – does it have to run a tender?",
    "Ist ein Einkauf im Baumarkt für 300 Euro ein Direktauftrag?",
    "Kassenbons vom Discounter – wie lange muss die Stadtkasse die aufbewahren?",
    "Darf ich einen bei Mediamarkt gekauften USB-Stick an den Arbeitsrechner stecken?",
    "Is buying printer paper at Aldi a direct award?",
    "Akzeptiert das Bürgeramt Passbilder von Rossmann?",
    "Gehen biometrische Fotos aus dem Automaten im Drogeriemarkt für den Personalausweis?",
    "Kann sich ein Supermarkt bei einer Ausschreibung der Gemeinde als Bieter bewerben?",
    (
        "Der Lieferant vom Supermarkt nebenan schickt nur Papierrechnungen – ist das ab 2025 noch "
        "erlaubt?"
    ),
    (
        "Ich bin Sachbearbeiterin im Bauamt, der Dachdecker hat mir seine Rechnung per Post "
        "geschickt – muss ich die annehmen?"
    ),
    (
        "Ich habe die Malerarbeiten für die Grundschule ausgeschrieben, wie lange läuft die "
        "Angebotsfrist?"
    ),
    "Kann ich Dachdeckerarbeiten unter 1.000 Euro direkt beauftragen?",
    (
        "Der Klempner hat mir die Rechnung für die Sanierung der Grundschule geschickt – welche "
        "Angaben müssen drauf?"
    ),
    "Der Elektriker sagt mir, er ist Kleinunternehmer – muss er trotzdem eine E-Rechnung schicken?",
    "Ein Tischler aus dem Ort hat mich gefragt, wie er sich für öffentliche Aufträge registriert.",
    (
        "Ich stelle als Dozent der Volkshochschule eine Rechnung – gehört meine Steuer-ID in die "
        "E-Rechnung?"
    ),
    "Kann ich meine Steuer-ID per Mail an die Personalabteilung schicken, oder ist das unsicher?",
    "Ist mein Führerschein ein gültiges Ausweisdokument?",
    "Darf ich als Privatmann bei einer öffentlichen Ausschreibung mitbieten?",
    "Wo kann ich mein Abo des BSI-Newsletters ändern?",
    (
        "Meine Handyrechnung fürs Diensthandy kommt als PDF – muss die Buchhaltung eine XRechnung "
        "verlangen?"
    ),
    (
        "Meine Telefonrechnung von der Telekom für den Anschluss im Bauamt kommt als PDF – ist das "
        "eine E-Rechnung?"
    ),
    "Bei Heimspielen von Werder rufen viele bei der 115 an – wer beantwortet das?",
    "Das ViR-Nordwest-Treffen ist am Tag vom Werder-Heimspiel – gibt es Parkplätze?",
    "Wie lange werden die Anrufe zu Heimspielen bei der 115 gespeichert?",
    "Das ViR-Nordwest-Treffen ist am Tag vom Werder-Heimspiel. Wann beginnt es?",
    "Müssen alte Kassenbücher mit Beträgen von 500 DM noch aufbewahrt werden?",
    "Meiner Meinung nach sollten Vereine auch eine Leitweg-ID haben – wie beantragt man die?",
    (
        "Der Klempner, den ich für die Kita beauftragt habe, schickt eine Rechnung ohne "
        "Bestellnummer – was nun?"
    ),
    "Ich betreue im Bauamt die Handwerkerrechnungen – ab wann müssen die als E-Rechnung kommen?",
    "Wie lange bewahre ich als Sachbearbeiterin die Angebote der Handwerker auf?",
    "Darf ich als Vergabestelle einen Elektriker aus dem Ort direkt beauftragen?",
]
# ... neither, but never declined as private now:
REVIEW_NOT_PRIVATE = [
    # Second review of round 41 (forwarded, never private: the coordination reads them).
    "As a private individual, can I report a phishing incident to the CERT?",
    "Kann ich als Privatperson beim BSI eine Sicherheitslücke in unserer Bürger-App melden?",
    "Ich habe auf der Rechnung eines Lieferanten nur eine Steuer-ID gefunden – ist die Rechnung "
    "dann ordnungsgemäß?",
    "Muss auf der Gutschrift an einen Lieferanten meine Steuernummer oder seine Steuer-ID stehen?",
    "Darf ich die Gesundheitskarte eines Bürgers im Bürgerbüro einscannen?",
    "Mein Deutschlandticket als Jobticket: rechnet das die Personalabteilung über eine "
    "E-Rechnung ab?",
    "Wie lange muss ich mein Jobticket-Antragsformular aufbewahren, und wer ist in der "
    "Personalabteilung zuständig?",
    "Der Maler will die Arbeiten am Jugendzentrum in Raten abrechnen – geht das?",
    "Unsere Musikvereine bekommen eine Förderung – gilt für sie das Vergaberecht?",
    (
        "Kann man Kaffee für die Ratssitzung einfach bei Aldi kaufen oder muss das ausgeschrieben "
        "werden?"
    ),
    "Darf die Kämmerei Drucker im Mediamarkt kaufen, ohne Angebote einzuholen?",
    "Bei Edeka gekaufte Getränke für den Empfang: wie lange muss der Kassenbon aufbewahrt werden?",
    "Sind Webcams von Aldi für Videokonferenzen sicher genug?",
    "Muss ein Kassenbon von Rewe als E-Rechnung kommen?",
    "Muss ich für die Elektrikerarbeiten im Kindergarten drei Angebote einholen?",
    (
        "Darf man im Büro die Champions League im Livestream schauen, oder ist das ein "
        "Sicherheitsrisiko?"
    ),
    "Eintrittskarten für ein Werder-Heimspiel von einem Bieter – dürfen wir die annehmen?",
    "Wir wollen Public Viewing zur Fußball-WM auf dem Marktplatz ausschreiben – welches Verfahren?",
    "Wir kaufen Kaffee für Sitzungen immer bei Aldi. Ist das erlaubt?",
]


async def test_reviewed_members_questions_are_answered(real: AnswerEngine) -> None:
    lost = []
    for question in REVIEW_ANSWERED:
        answer = await real.ask(question)
        if answer.entry is None or answer.private:
            lost.append(question)
    assert lost == []


async def test_reviewed_members_questions_are_offered(real: AnswerEngine) -> None:
    lost = []
    for question in REVIEW_OFFERED:
        answer = await real.ask(question)
        if answer.private or (answer.entry is None and not answer.candidates):
            lost.append(question)
    assert lost == []


async def test_reviewed_members_questions_are_not_private(real: AnswerEngine) -> None:
    assert [q for q in REVIEW_NOT_PRIVATE if (await real.ask(q)).private] == []


async def test_a_bidders_tickets_for_a_game_keep_the_first_part(real: AnswerEngine) -> None:
    """A game beside a procedure's word is not asked alone (review M6): the first part is
    never declined as an aside or dropped with its follow-up. Until round 47 no entry had
    gifts from bidders, so it stayed unanswered and was forwarded; since then the entry on
    gifts and invitations from bidders answers both parts."""
    answer = await real.ask(
        "Eintrittskarten für ein Werder-Heimspiel von einem Bieter – dürfen wir die annehmen? "
        "Und wie melde ich das?"
    )
    assert answer.off_topic_parts == () and not answer.private, answer
    answered = answer.entry is not None and answer.entry.id == "e-vergabe-geschenke-bieter"
    assert answered or answer.unanswered, answer


async def test_near_misses_of_private_clubs_shops_are_declined(real: AnswerEngine) -> None:
    answered = [(kind, q) for kind, q in DECLINED if (await real.ask(q)).entry is not None]
    assert answered == []


async def test_a_game_asked_alone_is_declined(real: AnswerEngine) -> None:
    # Declined as small talk (like the weather): never forwarded to the coordination.
    kept = [q for q in GAMES if (a := await real.ask(q)).entry is not None or not a.chatter]
    assert kept == []


async def test_members_questions_on_the_same_things_keep_their_topic(real: AnswerEngine) -> None:
    wrong = []
    for question, topic in KEPT:
        answer = await real.ask(question)
        if answer.entry is None or answer.entry.topic != topic:
            wrong.append((question, answer.entry.id if answer.entry else "-"))
    assert wrong == []


async def test_private_kinds_are_declined_as_private(real: AnswerEngine) -> None:
    """One's own papers and a tradesman's bill are private: never forwarded."""
    for question in (
        "Wo finde ich meine Steuer-ID, wenn der Brief vom Finanzamt weg ist?",
        "Der Maler hat mir für zwei Zimmer 1.900 Euro berechnet. Ist das korrekt?",
    ):
        answer = await real.ask(question)
        assert answer.entry is None and answer.private, question


# Rule by rule, on the text alone (cheap): (positive, negative) examples.
OWN_PAPERS = (
    [
        "Ich brauche meine Sozialversicherungsnummer für den neuen Job, wo steht die?",
        "Meine Gesundheitskarte ist abgelaufen, bekomme ich automatisch eine neue?",
        "Wie bekomme ich eine Kopie meiner Geburtsurkunde online?",
        "Where can I find my tax ID?",
    ],
    [
        # The ID card or an office named, or nobody's own: kept.
        "Steht die Steuer-ID auch auf dem Personalausweis?",
        "Kann die Gemeinde meinen Führerschein digital prüfen?",
        "Wie läuft die Registermodernisierung mit der Steuer-ID?",
    ],
)
TRADESMAN = (
    [
        "Der Elektriker hat mir 650 Euro berechnet. Ist das zu viel?",
        "Mein Dachdecker hat noch keine Rechnung geschickt, wie lange darf der warten?",
    ],
    [
        "Der Elektriker aus dem Ort schickt uns seine Rechnungen nur auf Papier.",
        "Unsere Handwerker im Ort verstehen die Vergabeplattform nicht. Was sage ich denen?",
        "Ich bin Tischler und will mich an Ausschreibungen beteiligen. Wie geht das?",
        "Mein Maler schickt mir eine XRechnung, wie öffne ich die?",
        "Frau Schreiner hat mir gesagt, ich soll das Passwort ändern. Stimmt das?",
        "Ich muss dem Elektriker noch die Leitweg-ID mitteilen, wo finde ich die?",
    ],
)
CLUB = (
    [
        "Unser Heimatverein will seine Chronik langfristig aufbewahren. Was empfiehlst du?",
        "Im Tennisverein soll ich die Passwörter für die Website verwalten.",
        "Müssen wir als Verein drei Angebote für das Sommerfest einholen?",
    ],
    [
        # A tender or a grant is the topics' whoever asks (review of round 41, M2).
        "Muss unser Schachverein als Empfänger einer Förderung ausschreiben?",
        "Ist der ViR ein Verein?",
        "Wir übernehmen Fotos vom Heimatverein ins Stadtarchiv. Welche Metadaten brauchen wir?",
        "Wir fördern unseren Schützenverein mit Zuschüssen. Gilt dabei Vergaberecht?",
        "Muss unser Verein ab 2027 E-Rechnungen ausstellen?",
        "Wir haben eine Verwaltungsvereinbarung mit der 115 geschlossen.",
    ],
)
SHOP = (
    [
        "Was kostet im Baumarkt ein neuer Router?",
        "Was kostet bei Rossmann ein Passbild für den Ausweis?",
        "Gibt es bei Lidl gerade günstige Laptops?",
    ],
    [
        "Nehmen wir Fotos von dm noch an?",
        "Darf ein Bürger sein Passbild vom Drogeriemarkt mitbringen?",
        "Sind Passbilder von dm für den Personalausweis noch zulässig?",
        "Hat bei Frau Müller im Bürgerbüro jemand angerufen?",
        "Müssen wir Büromaterial vom Discounter ausschreiben?",
    ],
)
GAME = (
    ["Wie hat Schalke am Wochenende gespielt?", "Läuft heute ein Tatort im Fernsehen?"],
    [
        "Ein Bürger fragt über die 115, wann das nächste Heimspiel ist.",
        "Können Anrufer bei der 115 die Fußball-WM-Termine erfragen?",
    ],
)
PRIVATE_BILLS = (
    [
        "Meine Telefonrechnung ist diesen Monat viel zu hoch.",
        "Wie kündige ich mein Zeitschriftenabo?",
        "Wie lange muss ich als Privatperson meine Versicherungsunterlagen aufheben?",
    ],
    [
        "Wie lange muss die Gemeinde Handyrechnungen der Mitarbeiter aufbewahren?",
        "Unsere Telefonrechnung kommt als XRechnung, wie prüfen wir die?",
        "Wie archivieren wir Rechnungen als Privatperson an die Stadt?",
    ],
)


@pytest.mark.parametrize(
    ("rule", "cases"),
    [
        (own_papers, OWN_PAPERS),
        (tradesmans_bill, TRADESMAN),
        (club_matter, CLUB),
        (shop_matter, SHOP),
        (game_or_screen, GAME),
    ],
    ids=lambda v: getattr(v, "__name__", ""),
)
def test_each_rule_fires_on_its_kind_only(
    rule: Callable[[str], bool], cases: tuple[list[str], list[str]]
) -> None:
    yes, no = cases
    assert [q for q in yes if not rule(q)] == []
    assert [q for q in no if rule(q)] == []


def test_own_bills_and_private_person_are_private_settings() -> None:
    yes, no = PRIVATE_BILLS
    assert [q for q in yes if not private_setting(q)] == []
    assert [q for q in no if private_setting(q)] == []
    assert private_sphere("Ich habe die PIN meiner Girocard vergessen.")
