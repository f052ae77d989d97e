"""Questions and answers on the plenum's topics: !frage, !themen, !thema and, for the
coordination, !offene-fragen, !antworten, !faq-statistik.

A question is also any non-command message in a direct message with the bot, and a room
message addressed to the bot (mention, or its name at the start). The bot never answers
unprompted in rooms. Below the confidence threshold it abstains, offers the closest topics,
stores the question as unanswered and tells the coordination room.
"""

from __future__ import annotations

import difflib
import re
from datetime import UTC, datetime
from typing import Any

from bot.answers.engine import DEFAULT_KNOWLEDGE_DIR, Answer, AnswerEngine, vote_from_reaction
from bot.answers.loader import Topic
from bot.answers.redact import mask_secrets
from bot.answers.render import format_date, markdown_html, render_answer
from bot.answers.text import looks_english
from bot.answers.thresholds import case_note
from bot.context import CommandContext
from bot.errors import UserError
from bot.events import IncomingReaction, IncomingRedaction, addressed_text, strip_reply_fallback
from bot.feature import Capability
from bot.formatting import Message
from bot.i18n import pick
from bot.posting import Target
from bot.registry import Arg, Permission, Where, command, fold
from bot.replies import txn_id
from bot.services import Services
from commands.plenum import NO_OPEN_EVENT, Plenum
from storage.direct_rooms import DirectRoomRepository

COORDINATORS_ONLY = Where.COORDINATION | Where.DM


def ask_hint(ctx: CommandContext) -> str:
    return ctx.t(
        "Fragen Sie mich gern zu den Themen des Plenums, z. B.: Was ist die 115? "
        "Alle Themen: {p}themen",
        "Feel free to ask me about the plenum's topics, e.g.: What is 115? All topics: {p}topics",
        p=ctx.prefix,
    )


def number_alone_hint(ctx: CommandContext, number: str, topics: tuple[Topic, ...]) -> str:
    """ "115" and nothing else: the topic the number names and a question to ask about it,
    instead of a guessed answer."""
    overview = ", ".join(
        f"{topic_title(ctx, t)} ({ctx.prefix}{ctx.t('thema', 'topic')} {t.id})" for t in topics
    )
    return ctx.t(
        "„{n}“ allein ist noch keine Frage – was möchten Sie dazu wissen? Zum Beispiel: "
        "Was ist die {n}? Überblick: {o}",
        '"{n}" alone is not a question yet - what would you like to know? For example: '
        "What is {n}? Overview: {o}",
        n=number,
        o=overview,
    )


def topic_title(ctx: CommandContext, topic: Topic) -> str:
    return topic.title_en if ctx.lang == "en" and topic.title_en else topic.title


def find_topic(topics: dict[str, Topic], query: str) -> Topic | None:
    """By id, by a word of the title, or by the closest id or title (typos)."""
    key = fold(query.strip())
    names: dict[str, Topic] = {}
    for topic in topics.values():
        for name in (topic.id, topic.title, topic.title_en):
            if name:
                names[fold(name)] = topic
    if key in names:
        return names[key]
    for name, topic in names.items():
        if key and key in name:
            return topic
    close = difflib.get_close_matches(key, list(names), n=1, cutoff=0.6)
    return names[close[0]] if close else None


OPEN_EVENTS = ("Zurzeit zur Anmeldung offen:", "Open for registration now:")
NOTE_MAX_CHARS = 1000  # of a member's question quoted in the coordination room


def shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


class Topics(Capability):
    """Questions and answers; the answer engine (knowledge index) lives on the instance.
    ``plenum``: for the open events below an answer on the next plenum (``live = "events"``)."""

    name = "topics"

    def __init__(self, services: Services, plenum: Plenum | None = None) -> None:
        super().__init__(services)
        self.plenum = plenum
        knowledge = services.config.knowledge
        self.engine = AnswerEngine(
            services.db,
            knowledge.dir or DEFAULT_KNOWLEDGE_DIR,
            threshold=knowledge.threshold,
            wall_clock=services.clock.timestamp,
        )

    async def start(self) -> None:
        await self.engine.refresh()

    async def personal_data(self, user_id: str) -> dict[str, Any]:
        return await self.engine.store.personal_data(user_id)

    async def delete_personal_data(self, user_id: str) -> int:
        count = await self.engine.store.delete_personal_data(user_id)
        self.services.db.after_commit(lambda: self.engine.forget_author(user_id))
        return count

    async def answer_question(self, ctx: CommandContext, question: str) -> None:
        engine = self.engine
        # A PIN or password the member wrote into the question (bot/answers/redact.py) is
        # masked before it is answered, logged, quoted or forwarded: nothing below sees it.
        question = mask_secrets(question)
        answer = await engine.ask(question)
        # The reply's transaction id keys the answer: a 👍/👎 on the reply finds it again.
        await engine.record_answer(
            answer, event_id=txn_id(ctx.message.event_id), room_id=ctx.room_id, user_id=ctx.sender
        )
        if answer.chatter:
            # "Danke!", "Hallo", "Wie geht's?", "2 plus 2", "asdf": nothing to answer and
            # nothing for the coordination; "115" alone: the topic it names is offered.
            if answer.candidates:
                # the topic's own number ("115 112" names the 115)
                numbers = re.findall(r"\d+", question)
                titles = " ".join(t.title for t in answer.candidates)
                number = next((n for n in numbers if re.search(rf"\b{n}\b", titles)), question)
                ctx.reply(number_alone_hint(ctx, number, answer.candidates))
            else:
                ctx.reply(ask_hint(ctx))
            return
        if answer.private:
            # One's own bank card or phone: declined, and not shown to the coordination; the
            # member learns what the bot does answer.
            ctx.reply(render_answer(answer, prefix=ctx.prefix))
            ctx.reply(ask_hint(ctx))
            return
        # A declined question, or each unknown one of several questions in a message, goes to
        # the coordination; the reply says so (all in this event's transaction: exactly once).
        # (A declined message whose later part is off the topics or private passes on the
        # rest of it: engine._without_declined.)
        forwards = [forward for _, forward in answer.unanswered]
        if answer.abstained and not forwards:
            forwards = [question]
        qids = [
            await self.engine.record_unanswered(forward, user_id=ctx.sender, room_id=ctx.room_id)
            for forward in forwards
        ]
        if answer.abstained:
            ctx.reply(render_answer(answer, forwarded_id=qids[0], prefix=ctx.prefix))
        else:
            live = await self.live_data(answer, ctx.prefix)
            ctx.reply(render_answer(answer, forwarded_parts=qids, prefix=ctx.prefix, live=live))
        coordination = ctx.services.config.access.coordination_room
        for qid, forward in zip(qids, forwards, strict=True):
            if coordination:
                note = await self.note(qid, forward, ctx.sender, ctx.prefix)
                ctx.post_to_room(coordination, note, msgtype="m.notice")

    async def live_data(self, answer: Answer, prefix: str) -> Message | None:
        """Below an answer on the next plenum, registration or workshops (an entry with
        ``live = "events"``): the open events as !veranstaltungen shows them, so that "Wann
        ist das nächste Plenum?" gets the date, not only the command to look it up. Below an
        answer on the EU thresholds (``live = "threshold"``): where the amount the member
        named lies against the thresholds in force (thresholds.case_note)."""
        answers = answer.parts or (answer,)
        lives = {a.entry.live for a in answers if a.entry}
        shown: list[Message] = []
        if "threshold" in lives:
            today = self.services.clock.now().date()
            note = case_note(answer.question, today, answer.language)
            if note is not None:
                shown.append(Message(note, markdown_html(note)))
        if self.plenum is not None and "events" in lives:
            shown.append(await self.open_events(answer.language, prefix))
        return Message.join(shown) if shown else None

    async def open_events(self, lang: str, prefix: str) -> Message:
        overview = await self.plenum.events_overview(lang, prefix) if self.plenum else None
        if overview is None:
            return Message.text(pick(lang, *NO_OPEN_EVENT))
        return Message.join([Message.bold(pick(lang, *OPEN_EVENTS)), overview])

    async def note(
        self, qid: str, forward: str, sender: str, prefix: str, downvoted: str | None = None
    ) -> Message:
        """The coordination's note on an open question: only the question itself (a part
        carries its first question when it points back at it), never the rest of a member's
        message; cut to stay far below Matrix's 64 KB event limit. Asked before (by anyone):
        the same open question, asked again. ``downvoted``: the title of the answer the asker
        gave a 👎 (so the coordination sees what did not help)."""
        recorded = await self.engine.get_unanswered(qid)
        lang = self.services.config.bot.language
        asked_again = recorded is not None and recorded.asked > 1
        again = pick(lang, "erneut gefragt ", "asked again ") if asked_again else ""
        why = pick(lang, " (👎 auf die Antwort „{t}“)", ' (👎 on the answer "{t}")')
        head = pick(
            lang,
            "Offene Frage {qid} {again}von {sender}",
            "Open question {qid} {again}from {sender}",
        )
        quoted = pick(lang, ": „{q}“ – ", ': "{q}" – ').format(q=shorten(forward, NOTE_MAX_CHARS))
        command = pick(lang, "{p}antworten {qid} <antwort>", "{p}answer {qid} <answer>")
        return Message.text(
            head.format(qid=qid, again=again, sender=sender)
            + (why.format(t=downvoted) if downvoted else "")
            + quoted
        ) + Message.code(command.format(p=prefix, qid=qid))

    async def on_message(self, ctx: CommandContext) -> bool:
        """Non-command messages: every one in a DM (also one whose member opened its history:
        still a conversation with the bot alone, REVIEW-12 F5), in rooms only those addressed
        to the bot."""
        msg = ctx.message
        if ctx.is_dm or ctx.history_opened_by == ctx.sender:
            text: str | None = strip_reply_fallback(msg.body).strip()
        else:
            text = addressed_text(
                msg, ctx.services.own_user_id, ctx.services.config.bot.display_name
            )
        if text is None:
            return False
        if not text:
            ctx.reply(ask_hint(ctx))
            return True
        await self.answer_question(ctx, text)
        return True

    async def on_reaction(self, reaction: IncomingReaction) -> None:
        vote = vote_from_reaction(reaction.key)
        if vote is None:
            return
        key = await self.services.outbox.txn_for_event(reaction.reacts_to)
        if key is None:
            return
        voted = await self.engine.feedback(key, reaction.sender, vote, reaction.event_id)
        if voted and vote < 0:
            await self.forward_downvoted(key, reaction)

    async def forward_downvoted(self, key: str, reaction: IncomingReaction) -> None:
        """The asker's own 👎 on an answer: the answer did not help them, so their question
        goes to the coordination as an open question, as an abstention would (its answer
        reaches them where they asked). Once per answer; others' 👎 only count in the
        statistics (it is not their question). In the router's transaction with the vote:
        recorded, noted and told exactly once."""
        logged = await self.engine.store.logged_answer(key)
        if (
            logged is None
            or logged.user_id != reaction.sender
            or logged.entry_id is None  # declined: passed on already; chatter: nothing to ask
            or logged.forwarded_qid is not None
        ):
            return
        # Reacted where the answer was: the coordination's answer goes there too. Elsewhere
        # (on the copy of a private answer in their new DM): by direct message, never to the
        # room the answer was first meant for (others may read there now).
        same_room = reaction.room_id == logged.room_id
        qid = await self.engine.record_unanswered(
            logged.question,
            user_id=reaction.sender,
            room_id=logged.room_id if same_room else None,
            reopen=True,
        )
        await self.engine.store.set_forwarded(logged.id, qid)
        config = self.services.config
        # In the question's language, as the answer's feedback line and an abstention are.
        told = pick(
            "en" if looks_english(logged.question) else "de",
            "Danke für Ihre Rückmeldung. Ihre Frage habe ich an die Koordination weitergegeben "
            "(Nr. {qid}); die Antwort bekommen Sie dort, wo Sie gefragt haben.",
            "Thank you for your feedback. I have passed your question on to the coordination "
            "team (no. {qid}); you will get the answer where you asked.",
        ).format(qid=qid)
        # In their DM it goes there only while that room is still their DM (a room whose
        # history they opened to others would show that they disliked an answer).
        rooms = DirectRoomRepository(self.services.db)
        in_dm = await rooms.is_current_dm(reaction.sender, reaction.room_id)
        group_room = same_room and not in_dm
        await self.services.poster.post(
            Target.room(reaction.room_id) if same_room else Target.direct(reaction.sender),
            Message.text(f"{reaction.sender}: {told}" if group_room else told),
            key=f"kb-downvoted:{logged.id}",
            msgtype="m.notice",
            mention=(reaction.sender,),
            private_to=reaction.sender if same_room and in_dm else None,
        )
        coordination = config.access.coordination_room
        if coordination:
            entry = self.engine.entry(logged.entry_id)
            note = await self.note(
                qid,
                logged.question,
                reaction.sender,
                config.bot.prefix,
                downvoted=entry.title if entry else logged.entry_id,
            )
            await self.services.poster.post(
                Target.room(coordination),
                note,
                key=f"kb-downvoted-note:{logged.id}",
                msgtype="m.notice",
            )

    async def on_redaction(self, redaction: IncomingRedaction) -> None:
        await self.engine.retract_reaction(redaction.redacts, redaction.sender)

    @command(
        "frage",
        aliases=["ask"],
        help="Beantwortet eine Frage zu den Themen des Plenums, mit Quelle. Auch ohne Befehl: "
        "per Direktnachricht an mich oder im Raum mit „ViR-Bot: …“. Hilft die Antwort nicht, "
        "geht Ihre Frage mit 👎 an die Koordination.",
        help_en="Answers a question on the plenum's topics, with its source. Also without a "
        'command: in a direct message to me, or in a room with "ViR-Bot: …". If the answer '
        "does not help, 👎 passes your question on to the coordination team.",
        args=[Arg("frage", rest=True, name_en="question")],
        durable=False,
    )
    async def frage(self, ctx: CommandContext, frage: str) -> None:
        await self.answer_question(ctx, frage)

    @command(
        "themen",
        aliases=["topics"],
        help="Listet die Themen, zu denen der Bot Fragen beantwortet.",
        help_en="Lists the topics the bot answers questions on.",
        durable=False,
    )
    async def themen(self, ctx: CommandContext) -> None:
        topics = self.engine.topics
        items = [
            Message.code(topic.id) + Message.text(f" – {topic_title(ctx, topic)}")
            for topic in topics.values()
        ]
        ctx.reply(
            Message.join(
                [
                    Message.bold(ctx.t("Themen", "Topics")),
                    Message.bullet_list(items),
                    Message.text(
                        ctx.t(
                            "Überblick: {p}thema <name> · Frage stellen: {p}frage <text>",
                            "Overview: {p}topic <name> · Ask: {p}ask <text>",
                            p=ctx.prefix,
                        )
                    ),
                ]
            )
        )

    @command(
        "thema",
        aliases=["topic"],
        help="Zeigt den Überblick eines Themas mit seinen Fragen.",
        help_en="Shows a topic's overview with its questions.",
        args=[Arg("thema", rest=True, name_en="topic")],
        durable=False,
    )
    async def thema(self, ctx: CommandContext, thema: str) -> None:
        engine = self.engine
        topic = find_topic(engine.topics, thema)
        if topic is None:
            ids = ", ".join(engine.topics)
            raise UserError(
                ctx.t(
                    "Das Thema „{q}“ kenne ich nicht. Themen: {ids}",
                    'I do not know the topic "{q}". Topics: {ids}',
                    q=thema,
                    ids=ids,
                )
            )
        entries = sorted((e for e in engine.entries if e.topic == topic.id), key=lambda e: e.title)
        ctx.reply(
            Message.join(
                [
                    Message.bold(topic_title(ctx, topic)),
                    Message(topic.body, markdown_html(topic.body)),
                    Message.bold(ctx.t("Häufige Fragen", "Frequent questions")),
                    Message.bullet_list([Message.text(e.title) for e in entries]),
                    Message.text(
                        ctx.t(
                            "Stand: {d} · Fragen: {p}frage <text>",
                            "As of: {d} · Ask: {p}ask <text>",
                            d=format_date(topic.updated),
                            p=ctx.prefix,
                        )
                    ),
                ]
            )
        )

    @command(
        "offene-fragen",
        aliases=["open-questions"],
        help="Listet die Fragen, die der Bot nicht beantworten konnte, mit ihren Nummern.",
        help_en="Lists the questions the bot could not answer, with their ids.",
        permission=Permission.COORDINATOR,
        # Members' questions are shown: only where coordinators read, never in a group room.
        where=COORDINATORS_ONLY,
    )
    async def offene_fragen(self, ctx: CommandContext) -> None:
        questions = await self.engine.unanswered()
        if not questions:
            ctx.reply(ctx.t("Keine offenen Fragen.", "No open questions."))
            return
        tz = ctx.services.config.bot.tz
        items = []
        for q in questions:
            when = datetime.fromtimestamp(q.last_asked, UTC).astimezone(tz).strftime("%d.%m.%Y")
            times = ctx.t(" ({n}× gefragt)", " (asked {n}×)", n=q.asked) if q.asked > 1 else ""
            items.append(Message.code(q.id) + Message.text(f" {q.question}{times}, {when}"))
        ctx.reply(
            Message.join(
                [
                    Message.bold(ctx.t("Offene Fragen", "Open questions")),
                    Message.bullet_list(items),
                    Message.text(
                        ctx.t(
                            "Beantworten: {p}antworten <nr> <antwort>",
                            "Answer: {p}answer <id> <answer>",
                            p=ctx.prefix,
                        )
                    ),
                ]
            )
        )

    @command(
        "antworten",
        aliases=["answer"],
        help="Beantwortet eine offene Frage; die Antwort wird als FAQ-Eintrag gespeichert und "
        "alle, die sie gestellt haben, benachrichtigt.",
        help_en="Answers an open question; the answer is stored as a FAQ entry and everyone "
        "who asked it is told.",
        args=[Arg("nr", name_en="id"), Arg("antwort", rest=True, name_en="answer")],
        permission=Permission.COORDINATOR,
        # Members' questions are shown: only where coordinators read, never in a group room.
        where=COORDINATORS_ONLY,
    )
    async def antworten(self, ctx: CommandContext, nr: str, antwort: str) -> None:
        engine = self.engine
        question = await engine.get_unanswered(nr.lower())
        if question is None or question.status != "open":
            raise UserError(
                ctx.t(
                    "Eine offene Frage mit der Nummer „{nr}“ gibt es nicht. "
                    "Liste: {p}offene-fragen",
                    'There is no open question "{nr}". List: {p}open-questions',
                    nr=nr,
                    p=ctx.prefix,
                )
            )
        guess = await engine.ask(question.question)
        topic = guess.topic or (guess.candidates[0] if guess.candidates else None)
        topic_id = topic.id if topic else "vir-nordwest"
        entry = await engine.add_faq_entry(
            topic_id,
            question.question,
            antwort,
            added_by=ctx.sender,
            unanswered_id=question.id,
            today=ctx.services.clock.now().date(),
        )
        # Answered before and opened again by the asker's 👎: the new answer replaces the
        # earlier chat entry (two would compete for the same question). Removed after the
        # new one is added: adding may reload the knowledge, which must not miss the old
        # entry while this transaction can still roll back.
        if question.entry_id:
            await engine.remove_faq_entry(question.entry_id)
        saved = ctx.t(
            "Gespeichert als FAQ-Eintrag „{id}“ im Thema {topic}.",
            'Stored as FAQ entry "{id}" in topic {topic}.',
            id=entry.id,
            topic=topic_id,
        )
        if guess.entry is not None and guess.entry.origin == "file":
            # A 👎 on a shipped entry: that entry may still answer the question first, so the
            # coordination learns which file to improve.
            saved += " " + ctx.t(
                "Hinweis: Bisher beantwortet der Eintrag „{title}“ ({eid}) diese Frage; er "
                "bleibt bestehen. Passen Sie ihn in knowledge/ an, wenn Ihre Antwort ihn "
                "ersetzen soll.",
                'Note: so far the entry "{title}" ({eid}) answers this question; it stays. '
                "Edit it in knowledge/ if your answer is to replace it.",
                title=guess.entry.title,
                eid=guess.entry.id,
            )
        ctx.reply(saved)
        # Every member who asked it is told, each once, where they (last) asked it: those not
        # told since they asked (an earlier asker of a question a 👎 opened again had the
        # earlier answer); the key per command and asker keeps a handled-again command from
        # telling twice (entry ids come back once an entry is replaced: no key of them).
        answer = Message(antwort, markdown_html(antwort))
        rooms = DirectRoomRepository(ctx.services.db)
        for asker in await engine.store.askers(question.id, untold=True):
            note = Message.text(
                ctx.t(
                    "{user}, Ihre Frage „{q}“ wurde beantwortet:",
                    '{user}, your question "{q}" has been answered:',
                    user=asker.user_id,
                    q=question.question,
                )
            )
            target = Target.room(asker.room_id) if asker.room_id else Target.direct(asker.user_id)
            # Asked in their DM: it quotes the question, so it goes there only while that room
            # is still their DM (checked when sent), else to their DM. Asked in a room that was
            # their DM before they opened its history (dm_former_rooms): posted there like the
            # bot's own answers in that room (REVIEW-13 F7), not moved. Recorded without a room
            # (a 👎 given elsewhere): by direct message, never marked private.
            in_dm = await rooms.is_current_dm(asker.user_id, asker.room_id)
            await ctx.services.poster.post(
                target,
                Message.join([note, answer]),
                key=f"kb-answered:{ctx.message.event_id}:{asker.user_id}",
                mention=(asker.user_id,),
                private_to=asker.user_id if in_dm else None,
            )
            await engine.store.mark_told(question.id, asker.user_id)

    @command(
        "faq-statistik",
        aliases=["faq-stats"],
        help="Zeigt die meistgefragten Themen, die Enthaltungsquote und die Antworten mit den "
        "meisten 👎.",
        help_en="Shows the most asked topics, the abstention rate and the answers with most 👎.",
        permission=Permission.COORDINATOR,
        # Members' questions are shown: only where coordinators read, never in a group room.
        where=COORDINATORS_ONLY,
    )
    async def faq_statistik(self, ctx: CommandContext) -> None:
        engine = self.engine
        stats = await engine.stats()
        topics = engine.topics
        top = [
            Message.text(f"{topics[t].title if t in topics else t}: {n}")
            for t, n in stats.top_topics
        ]
        votes = [
            Message.text(f"{v.entry_id}: {v.down}× 👎, {v.up}× 👍")
            for v in stats.most_downvoted
            if v.down
        ]
        parts = [
            Message.bold(ctx.t("FAQ-Statistik", "FAQ statistics")),
            Message.text(
                ctx.t(
                    "Fragen: {n}, davon nicht beantwortet: {a} ({rate:.0%})",
                    "Questions: {n}, not answered: {a} ({rate:.0%})",
                    n=stats.asked,
                    a=stats.abstained,
                    rate=stats.abstention_rate,
                )
            ),
            Message.bold(ctx.t("Meistgefragte Themen", "Most asked topics")),
            Message.bullet_list(top) if top else Message.text("–"),
            Message.bold(ctx.t("Antworten mit den meisten 👎", "Answers with most 👎")),
            Message.bullet_list(votes) if votes else Message.text("–"),
        ]
        ctx.reply(Message.join(parts))
