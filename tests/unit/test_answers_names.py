"""The network's name "ViR" is a proper name, not the stem of "Viren" (round 38): a question on
viruses or ransomware must not reach the network's entries, nor a question on the network the
malware synonyms (set 39: "Wie schützen wir unsere Fachverfahren gegen Ransomeware, wenn der
Dienstleister die Server betreibt?" went to the bot's own entry)."""

from __future__ import annotations

import pytest

from bot.answers.engine import AnswerEngine
from bot.answers.text import SYNONYM_PREFIX, Analyzer, private_setting, stem_de
from tests.unit.test_answers_intent import real  # noqa: F401  (fixture)

NETWORK = ["vir-nordwest", "vir", "virtuelle region nordwest", "virnordwest", "netzwerk"]
MALWARE = ["schadsoftware", "malware", "virus", "viren", "virenscanner", "ransomware"]
NAME = f"{SYNONYM_PREFIX}vir"


def test_viren_stems_as_virus_not_as_the_networks_name() -> None:
    assert stem_de("viren") == stem_de("virus") == "virus"
    assert stem_de("vir") == "vir"


def analyzer() -> Analyzer:
    a = Analyzer(["viren", "virus", "vir", "nordwest"], [NETWORK, MALWARE])
    a.index_terms.update({"virus", "vir", "nordw", "virnordw"})  # as an index would have them
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


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        # A vir-nordwest entry before (the bot's own: "vir" was the stem of "Viren").
        ("Wie schützen wir uns vor Viren?", "it-sicherheit"),
        ("Was tun bei einem Virus auf dem Dienstrechner?", "it-sicherheit"),
        (
            "Wie schützen wir unsere Fachverfahren gegen Ransomeware, wenn der Dienstleister "
            "die Server betreibt?",
            "it-sicherheit",
        ),
        ("Was ist ViR-Nordwest?", "vir-nordwest"),
        ("wer ist bei vir dabei?", "vir-nordwest"),
        ("Wann ist das nächste ViR-Plenum?", "vir-nordwest"),
    ],
)
async def test_virus_and_network_questions_keep_apart(
    real: AnswerEngine,  # noqa: F811
    question: str,
    topic: str,
) -> None:
    answer = await real.ask(question)
    assert answer.entry is not None and answer.entry.topic == topic


def test_ones_garden_is_a_private_setting() -> None:
    """Set 26: declined only while "Virus" shared a term with the network's name."""
    assert private_setting("Meine Tomaten im Garten haben einen Virus. Was kann ich tun?")
    assert private_setting("Darf ich die Eiche in meinem Garten fällen?")
    assert not private_setting("Reicht das WLAN bis in den Garten?")


async def test_a_plant_virus_is_declined(real: AnswerEngine) -> None:  # noqa: F811
    answer = await real.ask(
        "Meine Tomaten im Garten haben einen Virus, die Blätter werden gelb. Was kann ich tun?"
    )
    assert answer.entry is None and answer.private
