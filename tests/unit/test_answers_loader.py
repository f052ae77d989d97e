"""Knowledge file parsing and ``check``: each kind of problem on a small fixture directory."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from bot.answers.engine import DEFAULT_KNOWLEDGE_DIR
from bot.answers.loader import check, load, parse_entry, render_entry_file

TOPIC = """+++
id = "{id}"
title = "{title}"
title_en = "{title} (en)"
keywords = [{keywords}]
sources = ["Quelle {id}"]
updated = 2025-01-31
+++
{body}
"""

ENTRY = """+++
id = "{id}"
topic = "{topic}"
title = "{title}"
questions = [{questions}]
keywords = [{keywords}]
sources = ["Quelle {id}"]
updated = 2025-02-01
{extra}+++
{body}
"""


def _list(items: list[str]) -> str:
    return ", ".join(f'"{i}"' for i in items)


def write_topic(root: Path, tid: str, title: str, keywords: list[str], body: str = "") -> None:
    folder = root / tid
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "index.md").write_text(
        TOPIC.format(id=tid, title=title, keywords=_list(keywords), body=body or title),
        encoding="utf-8",
    )


def write_entry(
    root: Path,
    topic: str,
    eid: str,
    title: str,
    questions: list[str],
    body: str,
    keywords: list[str] | None = None,
    extra: str = "",
    file_name: str | None = None,
) -> Path:
    folder = root / topic
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{file_name or eid}.md"
    path.write_text(
        ENTRY.format(
            id=eid,
            topic=topic,
            title=title,
            questions=_list(questions),
            keywords=_list(keywords or []),
            extra=extra,
            body=body,
        ),
        encoding="utf-8",
    )
    return path


def write_kb(root: Path) -> Path:
    """A tiny valid knowledge base with two topics."""
    write_topic(root, "e-rechnung", "Elektronische Rechnung", ["E-Rechnung", "XRechnung"])
    write_topic(root, "personalausweis", "Neuer Personalausweis", ["nPA", "eID"])
    write_entry(
        root,
        "e-rechnung",
        "xrechnung",
        "Was ist XRechnung?",
        ["Wofür gibt es XRechnung?"],
        "XRechnung ist der deutsche Standard für elektronische Rechnungen.",
        ["XRechnung", "Standard"],
        extra='[en]\ntitle = "What is XRechnung?"\n'
        'answer = "XRechnung is the German e-invoicing standard."\n',
    )
    write_entry(
        root,
        "e-rechnung",
        "zre",
        "Was ist die ZRE?",
        ["Welche Rechnungseingangsplattform hat der Bund?"],
        "Die Zentrale Rechnungseingangsplattform des Bundes nimmt Rechnungen an.",
    )
    write_entry(
        root,
        "personalausweis",
        "pin-vergessen",
        "PIN vergessen – was tun?",
        ["Ich habe die PIN des Personalausweises vergessen"],
        "Im Bürgeramt kann eine neue PIN gesetzt werden.",
        ["PIN", "Personalausweis"],
    )
    (root / "synonyms.toml").write_text(
        '[[group]]\nterms = ["personalausweis", "npa", "perso"]\n', encoding="utf-8"
    )
    return root


def kinds(root: Path) -> set[str]:
    return {p.kind for p in check(root)}


def test_valid_fixture_has_no_problems(tmp_path: Path) -> None:
    kb = load(write_kb(tmp_path))
    assert kb.problems == ()
    assert set(kb.topics) == {"e-rechnung", "personalausweis"}
    entry = next(e for e in kb.entries if e.id == "xrechnung")
    assert entry.updated == date(2025, 2, 1)
    assert entry.en is not None and entry.en.title == "What is XRechnung?"
    assert kb.synonyms == (("personalausweis", "npa", "perso"),)


def test_real_knowledge_base_is_clean() -> None:
    problems = check(DEFAULT_KNOWLEDGE_DIR)
    assert not problems, "\n".join(map(str, problems))


def test_missing_front_matter_is_a_parse_problem(tmp_path: Path) -> None:
    write_kb(tmp_path)
    (tmp_path / "e-rechnung" / "kaputt.md").write_text("kein front matter", encoding="utf-8")
    (tmp_path / "e-rechnung" / "offen.md").write_text("+++\nid = 'offen'\n", encoding="utf-8")
    (tmp_path / "e-rechnung" / "toml.md").write_text("+++\nid = = 1\n+++\nx", encoding="utf-8")
    problems = [p for p in check(tmp_path) if p.kind == "parse"]
    assert {p.path.name for p in problems} == {"kaputt.md", "offen.md", "toml.md"}


def test_bad_id_and_file_name(tmp_path: Path) -> None:
    write_kb(tmp_path)
    write_entry(tmp_path, "e-rechnung", "Bad_ID", "Titel", ["Frage eins?"], "Antwort.")
    write_entry(
        tmp_path,
        "e-rechnung",
        "richtig",
        "Titel zwei",
        ["Frage zwei?"],
        "Antwort.",
        file_name="falsch",
    )
    assert {"id", "file-name"} <= kinds(tmp_path)


def test_unknown_and_missing_keys_and_wrong_types(tmp_path: Path) -> None:
    write_kb(tmp_path)
    path = tmp_path / "e-rechnung" / "typen.md"
    path.write_text(
        '+++\nid = "typen"\ntopic = "e-rechnung"\ntitle = "Typen"\nquestions = "keine Liste"\n'
        'keywrds = []\nsources = ["Q"]\nupdated = "2025-01-01"\n+++\nAntwort.\n',
        encoding="utf-8",
    )
    problems = [p for p in check(tmp_path) if p.path == path]
    found = {p.kind for p in problems}
    assert {"unknown-key", "missing-key", "type"} <= found
    assert any("did you mean 'keywords'" in p.message for p in problems)
    assert any("'updated'" in p.message for p in problems if p.kind == "type")


def test_duplicate_ids_and_questions(tmp_path: Path) -> None:
    write_kb(tmp_path)
    # Same id in another file name of another topic folder, and a question already used.
    write_entry(
        tmp_path,
        "personalausweis",
        "xrechnung",
        "Noch mal",
        ["Ganz andere Frage?"],
        "Antwort.",
        file_name="xrechnung",
    )
    write_entry(
        tmp_path, "e-rechnung", "doppelt", "Doppelt", ["Wofür gibt es XRECHNUNG"], "Antwort."
    )
    write_entry(tmp_path, "e-rechnung", "zweimal", "Zweimal", ["Frage?", "frage"], "Antwort.")
    problems = check(tmp_path)
    assert any(p.kind == "duplicate-id" and "xrechnung" in p.message for p in problems)
    dup_q = [p for p in problems if p.kind == "duplicate-question"]
    assert any(p.path.stem == "zweimal" for p in dup_q)  # twice within one entry
    # Across entries the later file is blamed and the earlier one named.
    assert any({p.path.stem, p.message.split("'")[-2]} == {"doppelt", "xrechnung"} for p in dup_q)


def test_empty_answer_and_missing_sources(tmp_path: Path) -> None:
    write_kb(tmp_path)
    write_entry(tmp_path, "e-rechnung", "leer", "Leer", ["Leere Antwort?"], "   ")
    path = tmp_path / "e-rechnung" / "ohne-quelle.md"
    path.write_text(
        '+++\nid = "ohne-quelle"\ntopic = "e-rechnung"\ntitle = "Ohne Quelle"\n'
        'questions = ["Woher?"]\nkeywords = []\nsources = []\nupdated = 2025-01-01\n'
        "+++\nAntwort.\n",
        encoding="utf-8",
    )
    problems = check(tmp_path)
    assert any(p.kind == "empty-answer" and p.path.stem == "leer" for p in problems)
    assert any(p.kind == "missing-sources" and p.path.stem == "ohne-quelle" for p in problems)


def test_a_source_listed_twice_is_a_problem(tmp_path: Path) -> None:
    write_kb(tmp_path)
    write_entry(tmp_path, "e-rechnung", "zweifach", "Zweifach", ["Zweimal belegt?"], "Ja.")
    path = tmp_path / "e-rechnung" / "zweifach.md"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            'sources = ["Quelle zweifach"]', 'sources = ["Quelle zweifach", "Quelle zweifach"]'
        ),
        encoding="utf-8",
    )
    problems = [p for p in check(tmp_path) if p.kind == "duplicate-source"]
    assert [p.path.stem for p in problems] == ["zweifach"]


def test_entry_with_unknown_topic(tmp_path: Path) -> None:
    write_kb(tmp_path)
    write_entry(tmp_path, "wetter", "regen", "Regnet es?", ["Regen?"], "Vielleicht.")
    problems = [p for p in check(tmp_path) if p.kind == "unknown-topic"]
    assert problems and problems[0].path.stem == "regen"


def test_synonym_problems(tmp_path: Path) -> None:
    write_kb(tmp_path)
    (tmp_path / "synonyms.toml").write_text(
        '[[group]]\nterms = ["Gross", "klein"]\n[[group]]\nterms = ["allein"]\n'
        '[[group]]\nterms = ["klein", "winzig"]\n',
        encoding="utf-8",
    )
    messages = [p.message for p in check(tmp_path) if p.kind == "synonyms"]
    assert len(messages) == 3


@pytest.mark.parametrize("english", [True, False])
def test_exported_entry_parses_back(tmp_path: Path, english: bool) -> None:
    write_kb(tmp_path)
    kb = load(tmp_path)
    entry = next(e for e in kb.entries if e.id == ("xrechnung" if english else "zre"))
    text = render_entry_file(entry)
    again, problems = parse_entry(tmp_path / "e-rechnung" / f"{entry.id}.md", text)
    assert problems == []
    assert again is not None
    assert (again.title, again.questions, again.body, again.en) == (
        entry.title,
        entry.questions,
        entry.body,
        entry.en,
    )


def test_live_data_is_read_and_an_unknown_kind_is_a_problem(tmp_path: Path) -> None:
    write_kb(tmp_path)
    write_entry(
        tmp_path, "e-rechnung", "termin", "Termin?", ["Wann?"], "Text.", extra='live = "events"\n'
    )
    write_entry(
        tmp_path, "e-rechnung", "wetter", "Wetter?", ["Regen?"], "Text.", extra='live = "wetter"\n'
    )
    knowledge = load(tmp_path)
    entries = {e.id: e for e in knowledge.entries}
    assert entries["termin"].live == "events" and entries["wetter"].live == ""
    (problem,) = [p for p in check(tmp_path) if p.kind == "unknown-live"]
    assert problem.path.stem == "wetter" and "events" in problem.message
