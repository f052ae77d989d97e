"""benchmarks/answer_views.py (what the judges read) on a handful of questions: one row per
question, with the question's fields, the answered entry and the member's reply text."""

from __future__ import annotations

from benchmarks.answer_views import views


async def test_views_are_the_members_replies() -> None:
    questions = [
        {"text": "Was ist die 115?", "topic": "service-center-115"},
        {"text": "Wie backe ich einen Käsekuchen?", "topic": ""},
        {"text": "Was ist eine Leitweg-ID und wo beantrage ich sie?", "topic": "e-rechnung"},
        {"text": "Danke!", "topic": ""},
    ]
    rows = await views(questions)
    assert [r["text"] for r in rows] == [q["text"] for q in questions]
    assert all(r["topic"] == q["topic"] for r, q in zip(rows, questions, strict=True))
    answered, declined, two, thanks = rows
    assert (answered["entry"], answered["got_topic"]) == ("115-was-ist", "service-center-115")
    assert 0.4 <= float(answered["score"]) <= 1.0  # type: ignore[arg-type]
    assert "Quelle: " in str(answered["view"]) and "hilfreich" not in str(answered["view"])
    assert declined["entry"] == "" and declined["got_topic"] == ""
    assert str(declined["view"]).startswith("Dazu weiß ich leider nichts Sicheres.")
    assert two["entry"] == "e-rechnung-leitweg-id" and str(two["view"]).count("Quelle: ") == 2
    assert thanks["entry"] == "" and str(thanks["view"]).startswith("Fragen Sie mich gern")
