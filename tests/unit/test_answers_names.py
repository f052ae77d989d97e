"""The network's name "ViR" is a proper name, not the stem of "Viren" (round 38): a question on
viruses or ransomware must not reach the network's entries, nor a question on the network the
malware synonyms (set 39: "Wie schützen wir unsere Fachverfahren gegen Ransomeware, wenn der
Dienstleister die Server betreibt?" went to the bot's own entry)."""

from __future__ import annotations

import pytest

from bot.answers.engine import AnswerEngine
from bot.answers.text import SYNONYM_PREFIX, Analyzer, stem_de
from tests.unit.test_answers_intent import real  # noqa: F401  (fixture)

ENGINE_READ_ONLY = True  # its tests only ask: one engine for all (tests/unit/conftest.py)

NETWORK = ["vir-nordwest", "vir", "virtuelle region nordwest", "virnordwest", "netzwerk"]
MALWARE = ["schadsoftware", "malware", "virus", "viren", "virenscanner", "ransomware"]
NAME = f"{SYNONYM_PREFIX}vir"


def test_viren_stems_as_virus_not_as_the_networks_name() -> None:
    assert stem_de("viren") == stem_de("virus") == "virus"
    assert stem_de("vir") == "vir"


def analyzer() -> Analyzer:
    a = Analyzer(["viren", "virus", "vir", "nordwest"], [NETWORK, MALWARE])
    a.index_terms.update({"virus", "vir", "nordw", "virnordw"})  # as an index would have them
    for idx, group in enumerate([NETWORK, MALWARE]):  # decisive as engine._build_state has it
        a.decisive.add(f"{SYNONYM_PREFIX}{idx}")
        for term in group:
            a.decisive |= a.key_terms(term)
    return a


def whole(analyzer: Analyzer, question: str, surface: str) -> frozenset[str]:
    return next(u.whole for u in analyzer.query(question).units if u.surface == surface)


@pytest.mark.parametrize(
    ("question", "surface"),
    [
        ("Wie schützen wir uns vor Viren?", "viren"),
        ("Was tun bei einem Virus auf dem Dienstrechner?", "virus"),
    ],
)
def test_a_virus_word_never_reaches_the_network(question: str, surface: str) -> None:
    a = analyzer()
    terms = whole(a, question, surface)
    assert f"{SYNONYM_PREFIX}1" in terms  # malware
    assert f"{SYNONYM_PREFIX}0" not in terms and NAME not in terms and "vir" not in terms


@pytest.mark.parametrize(
    ("question", "surface"),
    [
        ("Was ist die ViR?", "vir"),
        ("wer ist bei vir dabei?", "vir"),
        ("Was ist ViR-Nordwest?", "vir-nordwest"),
        ("Was macht virnordwest?", "virnordwest"),
    ],
)
def test_the_networks_name_is_a_term_of_its_own(question: str, surface: str) -> None:
    """Every spelling of the name carries the name's own term and the network's group, never
    the malware group; "Netzwerk", a word of the network's group, does not carry the name."""
    a = analyzer()
    terms = whole(a, question, surface)
    assert NAME in terms and f"{SYNONYM_PREFIX}0" in terms
    assert f"{SYNONYM_PREFIX}1" not in terms
    assert NAME not in whole(a, "Was bringt das Netzwerk?", "netzwerk")


def key(analyzer: Analyzer, question: str, surface: str) -> frozenset[str]:
    return next(u.key for u in analyzer.query(question).units if u.surface == surface)


@pytest.mark.parametrize(
    ("question", "surface", "decides"),
    [
        ("Was tun bei einem Virus auf dem Dienstrechner?", "virus", True),  # an IT word
        ("Bei uns geht ein Virus um, was tun?", "virus", True),  # at work
        ("Wie schützen wir die Server vor Viren?", "viren", True),
        ("Meine Katze hat einen Virus, was tun?", "virus", False),
        ("Wie schütze ich mich vor Viren im Winter?", "viren", False),
        ("Was ist ein Virus?", "virus", False),
        # At work, but with an illness: the flu's (vocabulary.ILLNESS_WORDS) ...
        ("Im Rathaus geht ein Virus um, viele sind krank.", "virus", False),
        # ... unless a computer is named too.
        ("Unser Rechner hat einen Virus und ich bin krank, was tun?", "virus", True),
        # Words that only look like an illness (review REVIEW-38-recheck).
        ("Bei uns kam eine gefälschte Krankmeldung, jetzt haben wir einen Virus.", "virus", True),
        ("Im Gesundheitsamt hat ein Virus die Impfdaten verschlüsselt, was tun?", "virus", True),
        ("Wir haben im Rathaus einen Virus, ist das ansteckend für das Netzwerk?", "virus", True),
    ],
)
def test_a_virus_decides_only_at_work_or_on_a_computer(
    question: str, surface: str, decides: bool
) -> None:
    """A virus is an everyday thing too (vocabulary.VIRUS_WORDS): decisive everywhere, the
    malware group answered a sick cat from the entry on fake support calls (round 38)."""
    assert bool(key(analyzer(), question, surface)) is decides


@pytest.mark.parametrize(
    ("question", "entry"),
    [
        # A vir-nordwest entry before (the bot's own: "vir" was the stem of "Viren").
        ("Wie schützen wir uns vor Viren?", "it-sicherheit-phishing-schadsoftware"),
        ("Was tun bei einem Virus auf dem Dienst-PC?", "it-sicherheit-phishing-geklickt"),
        (
            "Wie schützen wir unsere Fachverfahren gegen Ransomeware, wenn der Dienstleister "
            "die Server betreibt?",
            "it-sicherheit-phishing-schadsoftware",
        ),
        # Set 9: "Virenscanner" meets the entry's "Schadsoftware" (declined while it did not).
        (
            "Letzte Woche haben mehrere Kollegen eine täuschend echte E-Mail mit einem "
            "Rechnungsanhang bekommen. Einer hat den Anhang geöffnet, der Virenscanner hat "
            "nichts gemeldet. Was sollten wir jetzt prüfen und wie schulen wir die Mitarbeiter "
            "besser?",
            "it-sicherheit-phishing-geklickt",
        ),
        ("Was ist ViR-Nordwest?", "vir-nordwest-was-ist"),
        ("wer ist bei vir dabei?", "vir-nordwest-organisation"),
        ("Wann ist das nächste ViR-Plenum?", "vir-nordwest-plenum-ort"),
        # These need the name's own term (vocabulary.NAMES): without it the first went to the
        # 115 network's entry, the second to the entry on the next plenum (sets 39, 31).
        ("wer is bei vir so der chef, also wer koordiniert das ganze", "vir-nordwest-organisation"),
        (
            "Wo finden die Plenumssitzungen der ViR normalerweise statt? Und kann man auch "
            "online teilnehmen?",
            "vir-nordwest-plenum-2015",
        ),
    ],
)
async def test_virus_and_network_questions_keep_apart(
    real: AnswerEngine,  # noqa: F811
    question: str,
    entry: str,
) -> None:
    answer = await real.ask(question)
    assert answer.entry is not None and answer.entry.id == entry


@pytest.mark.parametrize(
    "question",
    [
        "Meine Tomaten auf dem Balkon haben einen Virus. Was kann ich tun?",
        "Meine Tomaten im Garten haben einen Virus, die Blätter werden gelb. Was kann ich tun?",
        "Meine Katze hat einen Virus, was tun?",
        "Mein Hund hat ein Virus, was tun?",
        "Wie lange ist man mit einem Virus krank?",
        "Wie schütze ich mich vor Viren im Winter?",
        "Ich habe einen Virus und Fieber, soll ich zum Arzt?",
        "Ich habe die Grippe, ein Virus. Was soll ich tun?",
        "Was ist ein Virus?",
        "Im Rathaus geht ein Virus um, viele sind krank.",
    ],
)
async def test_an_everyday_virus_is_declined(real: AnswerEngine, question: str) -> None:  # noqa: F811
    """Answered from IT security's entries while "Virus" decided everywhere (round 38)."""
    answer = await real.ask(question)
    assert answer.entry is None
