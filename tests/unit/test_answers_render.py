"""How answers read: source links in HTML, "Quelle:" in plain text, no placeholders."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from bot.answers.engine import Answer
from bot.answers.loader import EnglishVariant, Entry, Topic
from bot.answers.render import drop_yes_no, render_answer, source_line

TOPIC = Topic("e-rechnung", "E-Rechnung", "E-invoicing", (), (), date(2026, 1, 1), "Text", None)


def entry(sources: tuple[str, ...], body: str = "Ja, so ist es.") -> Entry:
    return Entry(
        "e",
        "e-rechnung",
        "Gibt es das?",
        (),
        (),
        sources,
        date(2026, 1, 1),
        body,
        None,
        None,
        "file",
    )


def test_source_with_address_becomes_a_link() -> None:
    line = source_line(("BSI, AusweisApp <https://www.ausweisapp.bund.de>", "PAuswG"), False)
    assert line.body == "Quelle: BSI, AusweisApp (https://www.ausweisapp.bund.de); PAuswG"
    assert '<a href="https://www.ausweisapp.bund.de">BSI, AusweisApp</a>; PAuswG' in line.html


def test_bare_domain_in_a_source_is_linked() -> None:
    line = source_line(("115.de (115-Verbund)",), False)
    assert line.body == "Quelle: 115.de (115-Verbund)"
    assert line.html == '<i>Quelle: <a href="https://115.de">115.de</a> (115-Verbund)</i>'


def test_source_text_is_escaped_and_only_http_links() -> None:
    line = source_line(('Evil <b>"x"</b> <javascript:alert(1)>',), True)
    assert line.body.startswith("Source: ")
    assert "<b>" not in line.html and "href" not in line.html


def test_drop_yes_no() -> None:
    assert drop_yes_no("Ja, ein Beispiel ist X.") == "Ein Beispiel ist X."
    assert drop_yes_no("Nein. Das geht nicht.") == "Das geht nicht."
    assert drop_yes_no("Jahrelang galt X.") == "Jahrelang galt X."


def test_abstention_without_placeholders() -> None:
    answer = Answer("Frage?", None, None, 0.1, (TOPIC,))
    body = render_answer(answer, forwarded_id="ab12", prefix="!").body
    assert "(!thema e-rechnung)" in body and "<" not in body and "{" not in body
    english = Answer("Question?", None, None, 0.1, (TOPIC,), english=True)
    assert "(!topic e-rechnung)" in render_answer(english).body


def test_answer_html_has_the_link_and_keeps_quelle_in_plain_text() -> None:
    answer = Answer("Gibt es das?", TOPIC, entry(("115.de",)), 0.9)
    message = render_answer(answer)
    assert "Quelle: 115.de" in message.body
    assert '<a href="https://115.de">115.de</a>' in message.safe_html()


def test_an_off_topic_part_is_named_as_such_in_both_languages() -> None:
    answer = Answer(
        "Gibt es das? Und kannst du mir einen Witz erzählen?",
        TOPIC,
        entry(("115.de",)),
        0.9,
        off_topic_parts=("Und kannst du mir einen Witz erzählen?",),
    )
    body = render_answer(answer).body
    assert (
        "Zu „Und kannst du mir einen Witz erzählen?“ sage ich nichts: Das gehört nicht zu den "
        "Themen des Netzwerks." in body
    )
    assert "private Frage" not in body and "weitergegeben" not in body
    # English when the answer is (an English question, the entry with an English variant).
    english = Answer(
        "Is there such a thing? And can you tell me a joke?",
        TOPIC,
        replace(entry(("115.de",)), en=EnglishVariant("Is there?", "Yes, there is.")),
        0.9,
        english=True,
        off_topic_parts=("And can you tell me a joke?",),
    )
    body = render_answer(english).body
    assert "Yes, there is." in body
    assert (
        'About "And can you tell me a joke?" I say nothing: it is not one of the network\'s '
        "topics." in body
    )
    assert "Themen des Netzwerks" not in body


def test_an_off_topic_part_is_escaped_in_the_html_body() -> None:
    # The part is the member's own words, echoed back: markup in it is shown, never rendered.
    part = 'Und kannst du mir <b>einen Witz</b> <a href="https://x.example">erzählen</a>?'
    answer = Answer("Gibt es das? " + part, TOPIC, entry(("115.de",)), 0.9, off_topic_parts=(part,))
    html = render_answer(answer).html
    assert "&lt;b&gt;einen Witz&lt;/b&gt;" in html
    assert "<b>einen Witz</b>" not in html and '<a href="https://x.example">' not in html


def test_a_declined_message_names_its_off_topic_and_private_parts_escaped() -> None:
    # Set 40: nothing answered the first question, and the weather went to the coordination
    # with it; the abstention now names the parts declined (engine._without_declined).
    off = "Und wie wird <b>morgen</b> das Wetter?"
    private = "Und wie ändere ich die PIN meiner EC-Karte?"
    answer = Answer(
        "Wie bekommen wir Auswertungen? " + off,
        None,
        None,
        0.2,
        unanswered=(("Wie bekommen wir Auswertungen?",) * 2,),
        off_topic_parts=(off,),
        private_parts=(private,),
    )
    message = render_answer(answer, forwarded_id="abc123")
    assert message.body.startswith("Dazu weiß ich leider nichts Sicheres.")
    assert "(Nr. abc123)" in message.body
    assert f"Zu „{off}“ sage ich nichts: Das gehört nicht zu den Themen des Netzwerks." in (
        message.body
    )
    assert f"Zu „{private}“ sage ich nichts: Das ist eine private Frage" in message.body
    assert "&lt;b&gt;morgen&lt;/b&gt;" in message.html and "<b>morgen</b>" not in message.html
