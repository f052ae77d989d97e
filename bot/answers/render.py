"""How an answer reads, in chat (plain body + HTML) and on the command line (the body).

One rendering for both, so `vir-bot ask` prints exactly what a member would read.
"""

from __future__ import annotations

import html
from datetime import date

import markdown

from bot.answers.engine import Answer
from bot.formatting import Message

ABSTAIN = ("Dazu weiß ich leider nichts Sicheres.", "I don't know anything reliable about that.")
DID_YOU_MEAN = (
    "Meinten Sie: {topics}? Mehr mit {prefix}thema <name>.",
    "Did you mean: {topics}? More with {prefix}topic <name>.",
)
FORWARDED = (
    "Ihre Frage habe ich an die Koordination weitergegeben (Nr. {qid}).",
    "I have passed your question on to the coordination team (no. {qid}).",
)
FEEDBACK_HINT = (
    "War das hilfreich? Reagieren Sie mit 👍 oder 👎.",
    "Was this helpful? React with 👍 or 👎.",
)


def _pick(english: bool, pair: tuple[str, str]) -> str:
    return pair[1] if english else pair[0]


def format_date(day: date) -> str:
    return day.strftime("%d.%m.%Y")


def markdown_html(text: str) -> str:
    """Markdown to HTML with any HTML in the text escaped first (answers may come from chat)."""
    return markdown.markdown(html.escape(text, quote=False))


def render_answer(
    answer: Answer,
    *,
    forwarded_id: str | None = None,
    prefix: str = "!",
    feedback_hint: bool = True,
) -> Message:
    """The member's view of an answer, or of an honest abstention."""
    if answer.entry is None:
        return render_abstention(answer, forwarded_id=forwarded_id, prefix=prefix)
    english = answer.language == "en"
    entry = answer.entry
    source = ("Source" if english else "Quelle") + ": " + "; ".join(entry.sources)
    stand = ("As of" if english else "Stand") + ": " + format_date(entry.updated)
    footer = [
        Message(source, f"<i>{html.escape(source)}</i>"),
        Message(stand, f"<i>{html.escape(stand)}</i>"),
    ]
    if feedback_hint:
        footer.append(Message.text(_pick(english, FEEDBACK_HINT)))
    head = Message.bold(answer.title) + Message("\n\n", "<br>")
    return (
        head
        + Message(answer.text, markdown_html(answer.text))
        + Message("\n\n", "")
        + (Message.join(footer))
    )


def render_abstention(
    answer: Answer, *, forwarded_id: str | None = None, prefix: str = "!"
) -> Message:
    english = answer.english
    lines = [_pick(english, ABSTAIN)]
    if answer.candidates:
        names = ", ".join(t.title_en if english else t.title for t in answer.candidates)
        lines.append(_pick(english, DID_YOU_MEAN).format(topics=names, prefix=prefix))
    if forwarded_id:
        lines.append(_pick(english, FORWARDED).format(qid=forwarded_id))
    return Message.text(" ".join(lines))
