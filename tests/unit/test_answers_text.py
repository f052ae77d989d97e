"""German normalisation, stemming, compounds, typos and language guessing."""

from __future__ import annotations

from bot.answers.text import (
    Analyzer,
    fold,
    looks_english,
    osa_distance,
    stem_de,
    stem_en,
    surface_words,
    tokenize,
)


def test_fold_umlauts_and_sharp_s() -> None:
    assert fold("Straße") == fold("Strasse") == "strasse"
    assert fold("Behördennummer ÜBER Äpfel") == "behoerdennummer ueber aepfel"
    assert fold("Café") == "cafe"


def test_tokenize_keeps_joined_words_and_numbers() -> None:
    assert tokenize("E-Rechnung, PDF/A und 25.000 Euro") == [
        "e-rechnung",
        "pdf/a",
        "und",
        "25000",
        "euro",
    ]


def test_stemming_german_and_english() -> None:
    assert stem_de("rechnungen") == stem_de("rechnung")
    assert stem_de(fold("Bürger")) == stem_de("buerger")
    assert stem_de("archiviert") == stem_de("archivierung")
    assert stem_en("invoices") == stem_en("invoice")


def test_edit_distance_counts_swaps_once() -> None:
    assert osa_distance("persoanlausweis", "personalausweis", 2) == 1
    assert osa_distance("langzeitarchiverung", "langzeitarchivierung", 2) == 1
    assert osa_distance("wetter", "xrechnung", 2) == 3


def test_english_detection() -> None:
    assert looks_english("How do I use the German ID card online?")
    assert not looks_english("Was ist die Leitweg-ID?")
    assert not looks_english("XRechnung")


def _analyzer() -> Analyzer:
    texts = [
        "Die Rechnung geht an den Eingang der Plattform",
        "Langzeitarchivierung",
        "Archivierung",
        "Personalausweis",
    ]
    return Analyzer(surface_words(texts), [("personalausweis", "npa", "perso")])


def test_compound_split_with_fugen_s() -> None:
    a = _analyzer()
    assert a.split("rechnungseingangsplattform") == ("rechnung", "eingang", "plattform")
    assert a.split("plattform") is None  # a known simple word stays whole


def test_compound_heads_are_learned_from_the_vocabulary() -> None:
    # "langzeit" is only known as the head of "langzeitarchivierung".
    assert _analyzer().split("langzeitplattform") == ("langzeit", "plattform")


def test_typo_correction_against_vocabulary() -> None:
    a = _analyzer()
    assert a.correct("persoanlausweis") == "personalausweis"
    assert a.correct("langzeitarchiverung") == "langzeitarchivierung"
    assert a.correct("wetter") is None


def test_synonyms_share_a_concept_term() -> None:
    a = _analyzer()
    doc = set(a.doc_terms("Der neue Personalausweis"))
    query = a.query("nPA beantragen")
    assert not query.units[0].whole.isdisjoint(doc)


def test_query_drops_stop_words() -> None:
    q = _analyzer().query("Was ist eigentlich die Plattform?")
    assert [u.surface for u in q.units] == ["plattform"]
