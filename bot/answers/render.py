"""How an answer reads, in chat (plain body + HTML) and on the command line (the body).

One rendering for both, so `vir-bot ask` prints exactly what a member would read.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from datetime import date
from functools import lru_cache

import markdown

from bot.answers.engine import Answer
from bot.answers.loader import Topic
from bot.formatting import Message, escape

ABSTAIN = ("Dazu weiß ich leider nichts Sicheres.", "I don't know anything reliable about that.")
# Concrete commands, never a placeholder such as "<name>" that a member would have to fill in.
DID_YOU_MEAN = (
    "Vielleicht hilft ein Themenüberblick: {topics}.",
    "A topic overview may help: {topics}.",
)
ALSO = (
    "Passt eher: „{title}“ – dann fragen Sie gern genau so.",
    'See also: "{title}" - ask it that way if it fits better.',
)
# One of two questions in a message is answered; nothing fits the other.
UNANSWERED_PART = (
    "Zu „{part}“ weiß ich leider nichts Sicheres.",
    'About "{part}" I don\'t know anything reliable.',
)
# ... and that part has gone to the coordination as an open question (in chat).
UNANSWERED_PART_FORWARDED = (
    "Zu „{part}“ habe ich nichts Sicheres; diese Frage habe ich an die Koordination "
    "weitergegeben (Nr. {qid}).",
    'About "{part}" I have nothing reliable; I have passed that question on to the '
    "coordination team (no. {qid}).",
)
# ... whose best entry, not sure enough, is one answered above: the answer may cover it.
UNSURE_NEAR_PART = (
    "Ob die Antwort oben auch „{part}“ beantwortet, weiß ich nicht sicher.",
    'Whether the answer above also answers "{part}" I am not sure.',
)
UNSURE_NEAR_PART_FORWARDED = (
    "Ob die Antwort oben auch „{part}“ beantwortet, weiß ich nicht sicher; diese Frage habe "
    "ich an die Koordination weitergegeben (Nr. {qid}).",
    'Whether the answer above also answers "{part}" I am not sure; I have passed that '
    "question on to the coordination team (no. {qid}).",
)
# A further question of the message whose best entry is one answered above.
COVERED_PART = (
    "Zu „{part}“ passt am ehesten dieselbe Antwort.",
    'For "{part}" the closest answer is the same one.',
)
# A private question of the message ("... und die PIN meiner EC-Karte?"): said to be one, and
# not forwarded.
PRIVATE_PART = (
    "Zu „{part}“ sage ich nichts: Das ist eine private Frage, keine zu den Themen des Netzwerks.",
    'About "{part}" I say nothing: it is a private question, not one on the network\'s topics.',
)
# A question of the message off the network's topics ("... und kannst du mir ein gutes
# Restaurant empfehlen?", "... und kannst du mir einen Witz erzählen?"): declined, not forwarded.
OFF_TOPIC_PART = (
    "Zu „{part}“ sage ich nichts: Das gehört nicht zu den Themen des Netzwerks.",
    'About "{part}" I say nothing: it is not one of the network\'s topics.',
)
# The answer is to a neighbouring question: say which, instead of a bare "Ja." to another one.
RELATED = ("Dazu passt am ehesten die Frage: ", "The closest question I can answer: ")
# "Label <https://…>" in a source line, or a bare web address in it ("115.de (115-Verbund)").
_SOURCE_URL = re.compile(r"^(?P<label>.*?)\s*<(?P<url>https?://[^\s<>]+)>\s*$")
_DOMAIN = re.compile(
    r"(?<![\w@/.-])(?:https?://)?(?:[a-z0-9-]+\.)+(?:de|eu|org|com|net|info)(?:/[^\s;,)]*)?(?![\w-])",
    re.I,
)
# A leading "Ja." / "Nein," that only fits the question the entry itself asks.
_YES_NO = re.compile(r"^(?:ja|nein|yes|no)\s*[.,:;!–-]\s*", re.I)
FORWARDED = (
    "Ihre Frage habe ich an die Koordination weitergegeben (Nr. {qid}).",
    "I have passed your question on to the coordination team (no. {qid}).",
)
FEEDBACK_HINT = (
    "War das hilfreich? Reagieren Sie mit 👍 oder 👎 (mit 👎 geht Ihre Frage an die Koordination).",
    "Was this helpful? React with 👍 or 👎 (with 👎 your question goes to the coordination team).",
)


def _pick(english: bool, pair: tuple[str, str]) -> str:
    return pair[1] if english else pair[0]


def format_date(day: date) -> str:
    return day.strftime("%d.%m.%Y")


@lru_cache(maxsize=1024)
def markdown_html(text: str) -> str:
    """Markdown to HTML with any HTML in the text escaped first (answers may come from chat).
    Cached: the same entries are answered again and again, and converting one costs about
    half a millisecond."""
    return markdown.markdown(html.escape(text, quote=False))


def render_answer(
    answer: Answer,
    *,
    forwarded_id: str | None = None,
    forwarded_parts: Sequence[str] = (),
    prefix: str = "!",
    feedback_hint: bool = True,
    live: Message | None = None,
) -> Message:
    """The member's view of an answer, or of an honest abstention. Several questions in one
    message get short answers, each with its source. ``forwarded_id``: the open question the
    abstention was recorded as; ``forwarded_parts``: those the unknown questions of a message
    were recorded as, in order (``forwarded_id`` stands for the first). ``live``: current
    data the answer's entry asks for (the open events), below the answer."""
    if answer.entry is None:
        return render_abstention(answer, forwarded_id=forwarded_id, prefix=prefix)
    english = answer.language == "en"
    notes = []
    if answer.also is not None:
        notes.append(Message.text(_pick(english, ALSO).format(title=answer.also_title)))
    if answer.parts:
        blocks = [_answer_block(part, english) for part in answer.parts]
        body = Message.join(blocks, "\n\n")
        after = notes
    else:
        body, after = _answer_block(answer, english, notes), []
    for part in answer.covered:
        line = _pick(english, COVERED_PART).format(part=part)
        after.append(Message.text(line))
    for part in answer.private_parts:
        after.append(Message.text(_pick(english, PRIVATE_PART).format(part=part)))
    for part in answer.off_topic_parts:
        after.append(Message.text(_pick(english, OFF_TOPIC_PART).format(part=part)))
    qids = list(forwarded_parts or ([forwarded_id] if forwarded_id else []))
    for n, (part, _forward) in enumerate(answer.unanswered):
        qid = qids[n] if n < len(qids) else None
        if part in answer.near_given:
            line = UNSURE_NEAR_PART_FORWARDED if qid else UNSURE_NEAR_PART
        else:
            line = UNANSWERED_PART_FORWARDED if qid else UNANSWERED_PART
        after.append(Message.text(_pick(english, line).format(part=part, qid=qid)))
    if live is not None:
        after.append(live)
    if feedback_hint:
        after.append(Message.text(_pick(english, FEEDBACK_HINT)))
    return Message.join([body, *after])


def _answer_block(answer: Answer, english: bool, notes: list[Message] | None = None) -> Message:
    """Title (or the question it answers), text, any notes, source and date of one answer."""
    assert answer.entry is not None
    entry = answer.entry
    stand = ("As of" if english else "Stand") + ": " + format_date(entry.updated)
    footer = [
        *(notes or ()),
        source_line(entry.sources, english),
        Message(stand, f"<i>{html.escape(stand)}</i>"),
    ]
    text = answer.text
    if answer.direct:
        head = Message.bold(answer.title)
    else:
        head = Message.text(_pick(english, RELATED)) + Message.bold(answer.title)
        text = drop_yes_no(text)
    return (
        head
        + Message("\n\n", "<br>")
        + Message(text, markdown_html(text))
        + Message("\n\n", "")
        + Message.join(footer)
    )


def drop_yes_no(text: str) -> str:
    """Without a leading "Ja." / "Nein,": it answered the entry's own question, not the one
    asked ("Ja, ein Beispiel ist ..." -> "Ein Beispiel ist ...")."""
    match = _YES_NO.match(text)
    if not match or not text[match.end() :]:
        return text
    rest = text[match.end() :]
    return rest[0].upper() + rest[1:]


def source_line(sources: tuple[str, ...], english: bool) -> Message:
    """ "Quelle: …" in italics; in HTML each source with a web address is a link to it (plain
    text keeps the address in brackets, where clients link it themselves)."""
    label = ("Source" if english else "Quelle") + ": "
    parts = [_source(s) for s in sources]
    line = Message.text(label) + Message.join(parts, "; ")
    return Message(line.body, f"<i>{line.html}</i>")


def _source(source: str) -> Message:
    match = _SOURCE_URL.match(source)
    if match:
        label, url = match.group("label") or match.group("url"), match.group("url")
        return Message(f"{label} ({url})", _link(url, label))
    found = _DOMAIN.search(source)
    if not found:
        return Message.text(source)
    address = found.group(0)
    url = address if address.lower().startswith("http") else f"https://{address}"
    before, after = source[: found.start()], source[found.end() :]
    return Message.text(before) + Message(address, _link(url, address)) + Message.text(after)


def _link(url: str, label: str) -> str:
    # Both parts escaped; only http(s) addresses reach here (see the patterns above).
    return f'<a href="{escape(url)}">{escape(label)}</a>'


def render_abstention(
    answer: Answer, *, forwarded_id: str | None = None, prefix: str = "!"
) -> Message:
    english = answer.english
    lines = [_pick(english, ABSTAIN)]
    if answer.candidates:
        names = ", ".join(_topic_hint(t, english, prefix) for t in answer.candidates)
        lines.append(_pick(english, DID_YOU_MEAN).format(topics=names))
    if forwarded_id:
        lines.append(_pick(english, FORWARDED).format(qid=forwarded_id))
    # Later parts declined though nothing answered the rest (engine._without_declined).
    declined = [_pick(english, PRIVATE_PART).format(part=p) for p in answer.private_parts]
    declined += [_pick(english, OFF_TOPIC_PART).format(part=p) for p in answer.off_topic_parts]
    return Message.join([Message.text(line) for line in (" ".join(lines), *declined)])


def _topic_hint(topic: Topic, english: bool, prefix: str) -> str:
    """ "E-Rechnung (!thema e-rechnung)": the topic and the exact command for its overview."""
    title = topic.title_en if english and topic.title_en else topic.title
    command = "topic" if english else "thema"
    return f"{title} ({prefix}{command} {topic.id})"
