"""The Q&A chat layer (commands/topics.py) on a real database and the real knowledge base."""

from __future__ import annotations

import json

import pytest

from bot.events import IncomingReaction, IncomingRedaction
from bot.replies import txn_id
from commands import build_capabilities
from tests.fakes import ALICE, BOB, BOT, COORD_ROOM, ROOM, make_config

DM = "!dm-bob:example.org"


@pytest.fixture
async def h(tmp_path, harness_factory):  # type: ignore[no-untyped-def]
    config = make_config(tmp_path, access={"coordination_room": COORD_ROOM})
    harness = await harness_factory(config=config, capabilities=build_capabilities)
    harness.rooms.direct.add(DM)
    return harness


async def test_frage_answers_with_source_and_date(h) -> None:  # type: ignore[no-untyped-def]
    msg = await h.send("!frage Ab wann müssen Kommunen in Niedersachsen E-Rechnungen annehmen?")
    (reply,) = await h.replies()
    assert "Quelle: " in reply["body"] and "Stand: " in reply["body"]
    assert "<b>" in reply["formatted_body"]
    assert reply["m.relates_to"]["m.in_reply_to"]["event_id"] == msg.event_id
    logged = await h.db.fetchone("SELECT topic FROM kb_answers")
    assert logged["topic"] == "e-rechnung"


async def test_off_topic_abstains_and_reaches_coordination(h) -> None:  # type: ignore[no-untyped-def]
    await h.send("!frage Wie backe ich einen Käsekuchen?")
    reply, note = await h.replies()
    assert reply["body"].startswith("Dazu weiß ich leider nichts Sicheres.")
    assert (await h.rows())[1]["room_id"] == COORD_ROOM and "Offene Frage" in note["body"]
    await h.send("!offene-fragen", sender=ALICE, room_id=COORD_ROOM)
    listing = (await h.replies())[-1]["body"]
    assert "Käsekuchen" in listing
    await h.send("!offene-fragen", sender=ALICE, room_id=ROOM)  # members would read along
    refused = (await h.replies())[-1]["body"]
    assert refused == (
        "Diesen Befehl bitte im Koordinationsraum oder per Direktnachricht an mich senden."
    )


async def test_dm_message_is_a_question_room_message_only_when_addressed(h) -> None:  # type: ignore[no-untyped-def]
    await h.send("Was ist die 115?", room_id=DM)
    await h.send("Was ist die 115?", room_id=ROOM)  # not addressed: no answer
    await h.send("ViR-Bot: Was ist die 115?", room_id=ROOM)
    await h.send("Was kostet ein Anruf bei der 115?", room_id=ROOM, mentioned_user_ids=(BOT,))
    replies = await h.replies()
    assert len(replies) == 3
    assert all("115" in r["body"] for r in replies)


async def test_answer_open_question_creates_entry_and_tells_asker(h) -> None:  # type: ignore[no-untyped-def]
    question = "Welche Farbe hat das Logo der ViR-Nordwest?"
    await h.send(f"!frage {question}", sender=BOB)
    qid = (await h.db.fetchone("SELECT id FROM kb_unanswered"))["id"]
    await h.send(
        f"!antworten {qid} Das Logo ist <b>blau</b>-grün.", sender=ALICE, room_id=COORD_ROOM
    )
    rows = await h.rows()
    assert [r for r in rows if "Gespeichert als FAQ-Eintrag" in r["content"]]
    (told_bob,) = await told(h, question)
    assert told_bob["room_id"] == ROOM and BOB in told_bob["content"]
    assert "&lt;b&gt;" in told_bob["content"]  # the coordinator's text is escaped in HTML
    await h.send(f"!frage {question}", sender=BOB)
    assert "blau" in (await h.replies())[-1]["body"]  # searchable at once
    await h.send(f"!antworten {qid} nochmal", sender=ALICE, room_id=COORD_ROOM)
    assert "gibt es nicht" in (await h.replies())[-1]["body"]


async def test_an_erased_coordinator_is_no_longer_named_as_an_answers_source(h) -> None:  # type: ignore[no-untyped-def]
    from commands.privacy import Privacy

    question = "Welche Farbe hat das Logo der ViR-Nordwest?"
    await h.send(f"!frage {question}", sender=BOB)
    qid = (await h.db.fetchone("SELECT id FROM kb_unanswered"))["id"]
    await h.send(f"!antworten {qid} Das Logo ist blau-grün.", sender=ALICE, room_id=COORD_ROOM)
    await h.send(f"!frage {question}", sender=BOB)
    assert f"Chat-Eintrag von {ALICE}" in (await h.replies())[-1]["body"]
    privacy = next(c for c in h.services.capabilities if isinstance(c, Privacy))
    await privacy.erase(ALICE)
    await h.send(f"!frage {question}", sender=BOB)
    body = (await h.replies())[-1]["body"]
    assert "blau" in body and "Chat-Eintrag" in body and ALICE not in body  # the answer stays


async def test_members_cannot_answer_open_questions(h) -> None:  # type: ignore[no-untyped-def]
    await h.send("!antworten abc123 Antwort", sender=BOB)
    assert (await h.replies())[0]["body"] == "Dieser Befehl ist der Koordination vorbehalten."


async def test_reactions_recorded_and_shown_in_stats(h) -> None:  # type: ignore[no-untyped-def]
    msg = await h.send("!frage Was ist die 115?")
    (row,) = await h.rows()
    await h.services.outbox.mark_sent(row["id"], "$answer-event", 0)
    for sender, key in ((BOB, "👎"), (ALICE, "👎🏽"), (BOB, "🎉")):
        await h.router.handle_reaction(
            IncomingReaction(ROOM, f"$r{sender}{key}", sender, "$answer-event", key, 0)
        )
    await h.send("!faq-statistik", sender=ALICE, room_id=DM)
    stats = (await h.replies())[-1]["body"]
    assert "2× 👎" in stats and "Fragen: 1" in stats
    assert txn_id(msg.event_id) == row["txn_id"]
    # Someone else's redaction of Bob's reaction does not count (REVIEW-2 F1).
    await h.router.handle_redaction(IncomingRedaction(ROOM, "$forged", ALICE, f"$r{BOB}👎"))
    await h.send("!faq-statistik", sender=ALICE, room_id=DM)
    assert "2× 👎" in (await h.replies())[-1]["body"]
    # Bob takes his 👎 back by removing the reaction.
    await h.router.handle_redaction(IncomingRedaction(ROOM, "$red", BOB, f"$r{BOB}👎"))
    await h.send("!faq-statistik", sender=ALICE, room_id=DM)
    assert "1× 👎" in (await h.replies())[-1]["body"]


async def test_topics_and_topic_overview(h) -> None:  # type: ignore[no-untyped-def]
    await h.send("!themen")
    await h.send("!thema e-rechnung")
    await h.send("!thema Langzeitarchivirung")  # typo
    await h.send("!thema Kochen")
    listing, overview, typo, unknown = await h.replies()
    for topic_id in ("e-vergabe", "langzeitarchivierung", "service-center-115", "vir-nordwest"):
        assert topic_id in listing["body"]
    assert "Häufige Fragen" in overview["body"]
    assert "Langzeitarchivierung" in typo["body"]
    assert unknown["body"].startswith("Das Thema „Kochen“ kenne ich nicht.")


async def test_personal_data_export_includes_questions(h) -> None:  # type: ignore[no-untyped-def]
    await h.send("!frage Was ist die 115?", sender=BOB)
    await h.send("!meine-daten", sender=BOB)
    rows = await h.rows()
    assert rows[-1]["user_id"] == BOB
    data = await h.db.fetchone("SELECT data FROM outbox_files")
    assert b"Was ist die 115?" in data["data"]


async def test_questions_in_a_dm_are_throttled_too(tmp_path, harness_factory) -> None:  # type: ignore[no-untyped-def]
    config = make_config(tmp_path, bot={"throttle_commands": 2, "throttle_window": 60})
    h = await harness_factory(config=config, capabilities=build_capabilities)
    h.rooms.direct.add(DM)
    for n in range(5):
        await h.send("Was ist die 115?", room_id=DM, ts=1_769_680_800_000 + n * 1000)
    bodies = [r["body"] for r in await h.replies()]
    assert len(bodies) == 3
    assert bodies[2].startswith("Sie senden gerade sehr viele Nachrichten an mich")


async def test_thanks_and_greetings_are_not_open_questions(h) -> None:  # type: ignore[no-untyped-def]
    chatter = [
        "Danke!",
        "Wie geht es dir heute?",
        "Bist du ein Mensch oder ein Bot?",
        "Was ist 17 plus 4?",
        "asdf jklö",
    ]
    for text in chatter:
        await h.send(text, room_id=DM)
    await h.send("ViR-Bot: super, vielen Dank", room_id=ROOM)
    replies = await h.replies()
    assert len(replies) == len(chatter) + 1
    assert all(r["body"].startswith("Fragen Sie mich gern") for r in replies)
    assert await h.db.fetchall("SELECT * FROM kb_unanswered") == []
    assert len(await h.rows()) == len(chatter) + 1  # nothing posted to the coordination room


async def test_a_bare_115_asks_back_and_is_no_open_question(h) -> None:  # type: ignore[no-untyped-def]
    # Sets 43-47's judges: the number alone asks nothing; the answer on what the 115 is was a
    # guess. It is declined like chit-chat and offers the topic; "115?" is still answered.
    await h.send("!frage 115")
    await h.send("115 !", room_id=DM)
    await h.send("!frage 115?")
    replies = await h.replies()
    assert len(replies) == 3
    for reply in replies[:2]:
        assert reply["body"].startswith("„115“ allein ist noch keine Frage")
        assert "Was ist die 115?" in reply["body"]
        assert "(!thema service-center-115)" in reply["body"]
    assert "Quelle: " in replies[2]["body"]
    assert await h.db.fetchall("SELECT * FROM kb_unanswered") == []
    assert len(await h.rows()) == 3  # nothing posted to the coordination room


async def test_decline_names_real_commands_not_placeholders(h) -> None:  # type: ignore[no-untyped-def]
    await h.send("!frage Wie hoch ist die Erstattung für Fahrten zum Plenum?")
    reply = (await h.replies())[0]["body"]
    assert reply.startswith("Dazu weiß ich leider nichts Sicheres.")
    assert "<" not in reply and "{" not in reply
    assert "(!thema vir-nordwest)" in reply


async def test_unknown_part_of_two_questions_goes_to_the_coordination_once(h) -> None:  # type: ignore[no-untyped-def]
    # "es" is the BSI: the coordination reads the part with the question that names it.
    await h.send("!frage Was ist das BSI und wer leitet es?", sender=BOB)
    reply, note = await h.replies()
    qid = (await h.db.fetchone("SELECT id FROM kb_unanswered"))["id"]
    assert "Bundesamt" in reply["body"] and "Quelle: " in reply["body"]
    assert (
        f"Zu „Wer leitet es?“ habe ich nichts Sicheres; diese Frage habe ich an die "
        f"Koordination weitergegeben (Nr. {qid})." in reply["body"]
    )
    assert "weiß ich leider nichts Sicheres" not in reply["body"]
    assert (await h.rows())[1]["room_id"] == COORD_ROOM
    assert f"Offene Frage {qid} von {BOB}: „Was ist das BSI? Wer leitet es?“" in note["body"]
    # The coordinator's answer reaches the asker like any open question's.
    await h.send(f"!antworten {qid} Der Präsident des BSI.", sender=ALICE, room_id=COORD_ROOM)
    (told_bob,) = await told(h, "Was ist das BSI? Wer leitet es?")
    assert told_bob["room_id"] == ROOM and BOB in told_bob["content"]


async def test_a_part_naming_its_own_subject_is_forwarded_as_asked(h) -> None:  # type: ignore[no-untyped-def]
    await h.send(
        "!frage Was ist XRechnung und wie backe ich einen Käsekuchen für die Weihnachtsfeier?",
        sender=BOB,
    )
    reply, note = await h.replies()
    assert "XRechnung" in reply["body"] and "Passt eher" not in reply["body"]
    assert "an die Koordination weitergegeben" in reply["body"]
    assert "„Wie backe ich einen Käsekuchen für die Weihnachtsfeier?“ –" in note["body"]
    assert "Was ist XRechnung" not in note["body"]  # only the part goes there
    assert len(await h.db.fetchall("SELECT id FROM kb_unanswered")) == 1


async def test_the_unknown_part_is_forwarded_in_english_too(h) -> None:  # type: ignore[no-untyped-def]
    await h.send("!ask What is XRechnung and how do I bake a cheesecake?", sender=BOB)
    reply, _note = await h.replies()
    assert "XRechnung" in reply["body"]
    assert (
        "I have nothing reliable; I have passed that question on to the coordination team"
        in reply["body"]
    )


async def test_two_answered_questions_forward_nothing(h) -> None:  # type: ignore[no-untyped-def]
    await h.send("!frage Was ist eine Leitweg-ID und wo beantrage ich sie?", sender=BOB)
    (reply,) = await h.replies()
    assert reply["body"].count("Quelle: ") == 2 and "weitergegeben" not in reply["body"]
    assert await h.db.fetchone("SELECT id FROM kb_unanswered") is None


async def test_a_private_near_miss_is_declined_and_not_shown_to_the_coordination(h) -> None:  # type: ignore[no-untyped-def]
    await h.send("!frage Ich habe die PIN meiner Kreditkarte vergessen, was tun?", sender=BOB)
    (reply,) = await h.replies()  # nothing posted to the coordination room
    assert "weitergegeben" not in reply["body"]
    assert "Themen des Plenums" in reply["body"] and "!themen" in reply["body"]
    assert await h.db.fetchall("SELECT id FROM kb_unanswered") == []


async def test_a_private_second_question_is_neither_answered_nor_forwarded(h) -> None:  # type: ignore[no-untyped-def]
    """The first question's words before the second must not make it look like the first's
    subject: the credit card's PIN is no ID-card PIN."""
    await h.send(
        "!frage Was ist die 115 und wie ändere ich die PIN meiner Kreditkarte?", sender=BOB
    )
    (reply,) = await h.replies()
    assert "115" in reply["body"]
    # Not answered from the ID card's PIN entry; only named as a private question.
    assert "Online-Ausweis" not in reply["body"] and "weitergegeben" not in reply["body"]
    assert "Das ist eine private Frage" in reply["body"]
    assert await h.db.fetchall("SELECT id FROM kb_unanswered") == []


async def test_a_forwarded_part_carries_its_question_not_the_members_context(h) -> None:  # type: ignore[no-untyped-def]
    await h.send(
        "!frage Ich bin seit Wochen wegen Burnout krankgeschrieben. Was ist das BSI? "
        "Wer leitet es?",
        sender=BOB,
    )
    _reply, note = await h.replies()
    assert "„Was ist das BSI? Wer leitet es?“" in note["body"]
    assert "Burnout" not in note["body"]


async def test_a_long_question_is_cut_in_the_coordination_note(h) -> None:  # type: ignore[no-untyped-def]
    await h.send(
        "!frage Wie backe ich einen " + "richtig " * 2000 + "guten Käsekuchen?", sender=BOB
    )
    _reply, note = await h.replies()
    assert "Offene Frage" in note["body"] and len(note["body"]) < 1200


CAROL = "@carol:example.org"
CAROL_DM = "!dm-carol:example.org"


async def told(h, question: str) -> list[dict]:  # type: ignore[no-untyped-def]
    """The posts telling a member that their question was answered."""
    asked = f"Ihre Frage „{question}“ wurde beantwortet"
    return [r for r in await h.rows() if asked in json.loads(r["content"])["body"]]


async def test_every_asker_of_an_open_question_is_told_once(h) -> None:  # type: ignore[no-untyped-def]
    from storage.direct_rooms import DirectRoomRepository

    question = "Welche Farbe hat das Logo der ViR-Nordwest?"
    h.rooms.direct.add(CAROL_DM)
    await DirectRoomRepository(h.db).remember(CAROL, CAROL_DM)  # as the app records a DM
    await h.send(f"!frage {question}", sender=BOB)
    await h.send(question, sender=CAROL, room_id=CAROL_DM)
    await h.send(f"!frage {question}", sender=BOB)  # Bob again: still one asker
    (row,) = await h.db.fetchall("SELECT id, asked FROM kb_unanswered")
    qid = row["id"]
    assert row["asked"] == 3
    notes = [r["content"] for r in await h.rows() if r["room_id"] == COORD_ROOM]
    assert f"Offene Frage {qid} von {BOB}" in notes[0]
    assert f"Offene Frage {qid} erneut gefragt von {CAROL}" in notes[1]
    await h.send(f"!antworten {qid} Blau-grün.", sender=ALICE, room_id=COORD_ROOM)
    posts = await told(h, question)
    assert sorted((p["room_id"], p["user_id"]) for p in posts) == [(CAROL_DM, None), (ROOM, None)]
    # It quotes the question: in Carol's DM it is private to her (checked again when sent,
    # REVIEW-11 R3); in the group room Bob asked in public.
    private = {p["room_id"]: p["private_to"] for p in posts}
    assert private == {CAROL_DM: CAROL, ROOM: None}
    for post, member in zip(sorted(posts, key=lambda p: p["room_id"]), (CAROL, BOB), strict=True):
        content = json.loads(post["content"])
        assert member in content["body"] and "Blau-grün" in content["body"]
        assert content["m.mentions"] == {"user_ids": [member]}  # mentioned: notified


async def test_an_answer_to_a_question_from_a_former_dm_stays_in_that_room(h) -> None:  # type: ignore[no-untyped-def]
    """Asked in the DM whose history the member opened, after the bot opened a DM of its own
    for their personal messages: the coordination's answer goes to that room like the bot's
    own answers there (REVIEW-13 F7), not moved to the new DM against the bot's note."""
    from storage.direct_rooms import DirectRoomRepository

    question = "Welche Farbe hat das Logo der ViR-Nordwest?"
    repo = DirectRoomRepository(h.db)
    h.rooms.direct.add(CAROL_DM)
    await repo.remember(CAROL, CAROL_DM)
    await h.send(question, sender=CAROL, room_id=CAROL_DM)
    await repo.remember(CAROL, "!carol-new-dm:example.org", keep_former=True)
    (row,) = await h.db.fetchall("SELECT id FROM kb_unanswered")
    await h.send(f"!antworten {row['id']} Blau-grün.", sender=ALICE, room_id=COORD_ROOM)
    (post,) = await told(h, question)
    assert (post["room_id"], post["private_to"]) == (CAROL_DM, None)


async def test_erasing_one_asker_keeps_the_question_for_the_other(h) -> None:  # type: ignore[no-untyped-def]
    from commands.privacy import Privacy

    question = "Welche Farbe hat das Logo der ViR-Nordwest?"
    await h.send(f"!frage {question}", sender=BOB)
    await h.send(f"!frage {question}", sender=CAROL)
    qid = (await h.db.fetchone("SELECT id FROM kb_unanswered"))["id"]
    privacy = next(c for c in h.services.capabilities if isinstance(c, Privacy))
    assert qid in json.dumps((await privacy.collect(CAROL))["unanswered_questions"])
    await privacy.erase(BOB)
    row = await h.db.fetchone("SELECT user_id, question FROM kb_unanswered")
    assert row["user_id"] is None and row["question"] == question  # Carol's question stays
    assert (await privacy.collect(BOB))["unanswered_questions"] == []
    await h.send(f"!antworten {qid} Blau-grün.", sender=ALICE, room_id=COORD_ROOM)
    (post,) = await told(h, question)
    assert CAROL in post["content"] and BOB not in post["content"]
    await privacy.erase(CAROL)  # the last asker: the question goes with them
    assert await h.db.fetchall("SELECT * FROM kb_unanswered_askers") == []


async def test_a_vote_on_a_two_part_reply_counts_for_both_entries(h) -> None:  # type: ignore[no-untyped-def]
    await h.send("!frage Was ist eine Leitweg-ID und wo beantrage ich sie?", sender=BOB)
    (row,) = await h.rows()
    await h.services.outbox.mark_sent(row["id"], "$two-part", 0)
    await h.router.handle_reaction(IncomingReaction(ROOM, "$r1", BOB, "$two-part", "👎", 0))
    await h.send("!faq-statistik", sender=ALICE, room_id=DM)
    stats = (await h.replies())[-1]["body"]
    assert "e-rechnung-leitweg-id: 1× 👎" in stats
    assert "e-rechnung-leitweg-id-beantragen: 1× 👎" in stats
    assert "Fragen: 1" in stats  # still one question asked


async def test_each_unknown_one_of_three_questions_is_forwarded(h) -> None:  # type: ignore[no-untyped-def]
    await h.send(
        "!frage Was ist die 115? Wie hoch ist die Miete in Bremen? Wie backe ich einen Käsekuchen?",
        sender=BOB,
    )
    reply, *notes = await h.replies()
    rows = await h.db.fetchall("SELECT id, question FROM kb_unanswered ORDER BY first_asked, id")
    by_question = {r["question"]: r["id"] for r in rows}
    assert set(by_question) == {
        "Wie hoch ist die Miete in Bremen?",
        "Wie backe ich einen Käsekuchen?",
    }
    assert "115" in reply["body"] and "Quelle: " in reply["body"]
    for question, qid in by_question.items():
        assert (
            f"Zu „{question}“ habe ich nichts Sicheres; diese Frage habe ich an die "
            f"Koordination weitergegeben (Nr. {qid})." in reply["body"]
        )
    assert sorted(n["body"].split(" – ")[0] for n in notes) == sorted(
        f"Offene Frage {qid} von {BOB}: „{q}“" for q, qid in by_question.items()
    )


async def test_a_dm_whose_member_opened_its_history_still_answers_and_says_why_once(h) -> None:  # type: ignore[no-untyped-def]
    """REVIEW-12 F5: the member set their DM's history to "shared". It is no DM for personal
    data any more, but still a conversation with the bot alone: plain questions are answered
    there as before (the answers hold no personal data), and the member is told once why
    personal messages now go to another direct chat and how to make this one private again."""
    from bot.direct_rooms import DirectRoomInfo
    from bot.i18n import tr
    from storage.direct_rooms import DirectRoomRepository
    from tests.unit.test_direct_room_info import Members

    repo = DirectRoomRepository(h.db)
    await repo.remember(BOB, DM)
    members = Members(user_id=BOT, rooms={DM: {BOT, BOB}}, visibility={DM: "shared"})
    h.router.rooms = DirectRoomInfo(repo, members)
    await h.send("Was ist die 115?", sender=BOB, room_id=DM)
    await h.send("Was kostet ein Anruf bei der 115?", sender=BOB, room_id=DM)
    rows = await h.rows()
    assert {r["room_id"] for r in rows} == {DM} and {r["private_to"] for r in rows} == {None}
    bodies = [json.loads(r["content"])["body"] for r in rows]
    note = tr("de", "dm_history_opened_by_member")
    assert bodies.count(note) == 1 and "Nur Mitglieder" in note
    assert len([b for b in bodies if "115" in b]) == 2
    # Set back to "invited": their DM again (replies private to them), no further note.
    members.visibility[DM] = "invited"
    await h.send("Was ist die 115?", sender=BOB, room_id=DM)
    last = (await h.rows())[-1]
    assert last["private_to"] == BOB and "115" in json.loads(last["content"])["body"]
    assert [json.loads(r["content"])["body"] for r in await h.rows()].count(note) == 1
    assert tr("en", "dm_history_opened_by_member").startswith("The history of this chat")


async def test_a_group_room_is_no_conversation_with_the_bot_alone(h) -> None:  # type: ignore[no-untyped-def]
    """A room with open history that is not a member's recorded DM (or has a third person
    in it) still answers only messages addressed to the bot, and says nothing about DMs."""
    from bot.direct_rooms import DirectRoomInfo
    from storage.direct_rooms import DirectRoomRepository
    from tests.unit.test_direct_room_info import Members

    repo = DirectRoomRepository(h.db)
    await repo.remember(BOB, DM)
    members = Members(user_id=BOT, rooms={DM: {BOT, BOB, ALICE}, ROOM: {BOT, BOB}})
    members.visibility.update({DM: "shared", ROOM: "shared"})
    h.router.rooms = DirectRoomInfo(repo, members)
    await h.send("Was ist die 115?", sender=BOB, room_id=DM)
    await h.send("Was ist die 115?", sender=BOB, room_id=ROOM)
    assert await h.rows() == []


async def downvote(h, sender: str, answer_event: str, reaction_id: str, room: str = ROOM) -> None:  # type: ignore[no-untyped-def]
    await h.router.handle_reaction(
        IncomingReaction(room, reaction_id, sender, answer_event, "👎", 0)
    )


async def test_the_askers_thumbs_down_passes_the_question_on_once(h) -> None:  # type: ignore[no-untyped-def]
    question = "Was ist die 115?"
    await h.send(f"!frage {question}", sender=BOB)
    (answer_row,) = await h.rows()
    assert "mit 👎 geht Ihre Frage an die Koordination" in json.loads(answer_row["content"])["body"]
    await h.services.outbox.mark_sent(answer_row["id"], "$answer", 0)
    # Someone else's 👎 and the asker's 👍 only count.
    await downvote(h, ALICE, "$answer", "$alice-down")
    await h.router.handle_reaction(IncomingReaction(ROOM, "$bob-up", BOB, "$answer", "👍", 0))
    assert len(await h.rows()) == 1
    assert await h.db.fetchone("SELECT 1 FROM kb_unanswered") is None
    # The asker's 👎: an open question with them as asker, a note to the coordination naming
    # the answer that did not help, and a notice to them where they reacted.
    await downvote(h, BOB, "$answer", "$bob-down")
    _, notice, note = await h.replies()
    rows = await h.rows()
    (open_q,) = await h.db.fetchall("SELECT * FROM kb_unanswered")
    assert open_q["question"] == question and open_q["status"] == "open"
    assert open_q["id"] in notice["body"] and notice["body"].startswith(f"{BOB}: Danke")
    assert notice["m.mentions"] == {"user_ids": [BOB]} and rows[1]["room_id"] == ROOM
    assert rows[2]["room_id"] == COORD_ROOM
    assert f"Offene Frage {open_q['id']} von {BOB} (👎 auf die Antwort „" in note["body"]
    assert question in note["body"]
    # Taken back and given again, or the same reaction handled again: nothing more.
    await h.router.handle_redaction(IncomingRedaction(ROOM, "$red", BOB, "$bob-down"))
    await downvote(h, BOB, "$answer", "$bob-down-again")
    await downvote(h, BOB, "$answer", "$bob-down-again")
    assert len(await h.rows()) == 3
    assert (await h.db.fetchone("SELECT asked FROM kb_unanswered"))["asked"] == 1
    # The coordination's answer reaches the asker where they asked.
    await h.send(
        f"!antworten {open_q['id']} Die 115 ist die Behördennummer.",
        sender=ALICE,
        room_id=COORD_ROOM,
    )
    (told_bob,) = await told(h, question)
    assert told_bob["room_id"] == ROOM
    assert "Behördennummer" in json.loads(told_bob["content"])["body"]
    # The shipped entry stays and may still answer first: the coordinator learns which one.
    saved = next(r for r in await h.replies() if r["body"].startswith("Gespeichert als"))
    assert "Hinweis: Bisher beantwortet der Eintrag „" in saved["body"]
    assert "(115-was-ist) diese Frage" in saved["body"]


async def test_the_note_after_a_thumbs_down_escapes_the_question_in_html(h) -> None:  # type: ignore[no-untyped-def]
    question = "Was ist die <b>115</b> & wer hilft?"
    await h.send(f"!frage {question}", sender=BOB)
    (answer_row,) = await h.rows()
    await h.services.outbox.mark_sent(answer_row["id"], "$answer", 0)
    await downvote(h, BOB, "$answer", "$bob-down")
    _, notice, note = await h.replies()
    assert question in note["body"]  # the plain text keeps it as typed
    assert "&lt;b&gt;115&lt;/b&gt; &amp; wer hilft?" in note["formatted_body"]
    assert "<b>115</b>" not in note["formatted_body"]
    assert "<b>" not in notice.get("formatted_body", "")


async def test_a_thumbs_down_on_the_coordinations_answer_opens_its_question_again(h) -> None:  # type: ignore[no-untyped-def]
    question = "Welche Farbe hat das Logo der ViR-Nordwest?"
    carol = "@carol:example.org"
    await h.send(f"!frage {question}", sender=BOB)
    await h.send(f"!frage {question}", sender=carol)
    qid = (await h.db.fetchone("SELECT id FROM kb_unanswered"))["id"]
    await h.send(f"!antworten {qid} Das Logo ist blau-grün.", sender=ALICE, room_id=COORD_ROOM)
    await h.send(f"!frage {question}", sender=BOB)
    last = (await h.rows())[-1]
    assert "blau" in last["content"]
    await h.services.outbox.mark_sent(last["id"], "$faq-answer", 0)
    await downvote(h, BOB, "$faq-answer", "$down")
    row = await h.db.fetchone("SELECT status, asked FROM kb_unanswered WHERE id = ?", (qid,))
    assert (row["status"], row["asked"]) == ("open", 3)
    assert f"Offene Frage {qid} erneut gefragt von {BOB}" in (await h.replies())[-1]["body"]
    # Answered again: the new answer replaces the old entry and reaches the one who gave the
    # 👎; Carol, told the first answer and not unhappy with it, is not told again.
    await h.send(f"!antworten {qid} Das Logo ist rot.", sender=ALICE, room_id=COORD_ROOM)
    to_bob = [
        json.loads(r["content"])["body"] for r in await told(h, question) if BOB in r["content"]
    ]
    assert len(to_bob) == 2 and "blau-grün" in to_bob[0] and "rot" in to_bob[1]
    assert len([r for r in await told(h, question) if carol in r["content"]]) == 1
    await h.send(f"!frage {question}", sender=BOB)
    again = (await h.replies())[-1]["body"]
    assert "rot" in again and "blau" not in again and "Passt eher" not in again
    assert (await h.db.fetchone("SELECT count(*) AS n FROM kb_faq"))["n"] == 1
    # And a third time (the replaced entry's id is free again): Bob is told each answer.
    last = (await h.rows())[-1]
    await h.services.outbox.mark_sent(last["id"], "$faq-answer-2", 0)
    await downvote(h, BOB, "$faq-answer-2", "$down-2")
    await h.send(f"!antworten {qid} Das Logo ist grün.", sender=ALICE, room_id=COORD_ROOM)
    to_bob = [
        json.loads(r["content"])["body"] for r in await told(h, question) if BOB in r["content"]
    ]
    assert len(to_bob) == 3 and "grün." in to_bob[2]


@pytest.mark.parametrize(
    ("message", "answered"),
    [
        ("Was ist XRechnung und wie lautet meine Kreditkarten-PIN?", "XRechnung"),
        # The second part leans on the first, which is private: it goes on without it.
        ("Wie lautet meine Kreditkarten-PIN? Und was ist die 115?", "115"),
    ],
)
async def test_a_thumbs_down_passes_on_only_the_answered_part_never_a_private_one(  # type: ignore[no-untyped-def]
    h, message: str, answered: str
) -> None:
    await h.send(f"!frage {message}", sender=BOB)
    (answer_row,) = await h.rows()
    assert answered in answer_row["content"]
    await h.services.outbox.mark_sent(answer_row["id"], "$answer", 0)
    await downvote(h, BOB, "$answer", "$down")
    (open_q,) = await h.db.fetchall("SELECT question FROM kb_unanswered")
    assert answered in open_q["question"] and "Kreditkarte" not in open_q["question"]
    note = (await h.replies())[-1]["body"]
    assert answered in note and "Kreditkarte" not in note


async def test_a_private_part_is_named_as_outside_the_topics_and_not_forwarded(h) -> None:  # type: ignore[no-untyped-def]
    # Before, the reply said nothing of it (set 37's judges: "must decline the private
    # question"); it still goes to nobody else.
    await h.send("!frage Was ist XRechnung? Und wie ändere ich die PIN <b>meiner</b> EC-Karte?")
    (reply,) = await h.replies()
    line = "Zu „Und wie ändere ich die PIN <b>meiner</b> EC-Karte?“ sage ich nichts"
    assert line in reply["body"] and "Das ist eine private Frage" in reply["body"]
    assert "&lt;b&gt;meiner&lt;/b&gt;" in reply["formatted_body"]
    assert "<b>meiner</b>" not in reply["formatted_body"]
    assert (await h.db.fetchone("SELECT count(*) AS n FROM kb_unanswered"))["n"] == 0


async def test_an_off_topic_part_is_declined_and_not_forwarded(h) -> None:  # type: ignore[no-untyped-def]
    # Set 37's judges: "passed on to the coordination instead of declined".
    await h.send("!frage Was ist eine E-Rechnung? Und wie wird das Wetter morgen?")
    (reply,) = await h.replies()  # nothing posted to the coordination room
    line = "Zu „Und wie wird das Wetter morgen?“ sage ich nichts"
    assert line in reply["body"] and "nicht zu den Themen des Netzwerks" in reply["body"]
    assert "weitergegeben" not in reply["body"]
    assert (await h.db.fetchone("SELECT count(*) AS n FROM kb_unanswered"))["n"] == 0


async def test_a_declined_message_passes_on_the_rest_without_its_off_topic_part(h) -> None:  # type: ignore[no-untyped-def]
    # Shaped like set 40's (whose first question the round's knowledge now answers):
    # nothing answered the first question, and the whole message went to the coordination,
    # the weather with it.
    first = "Wie bekommen wir regelmäßige Zahlen zu den Wartezeiten in unserem Bürgerbüro?"
    await h.send(f"!frage {first} Und wie wird morgen das Wetter in Oldenburg?")
    reply, note = await h.replies()
    assert reply["body"].startswith("Dazu weiß ich leider nichts Sicheres.")
    assert "weitergegeben" in reply["body"]
    assert "Zu „Und wie wird morgen das Wetter in Oldenburg?“ sage ich nichts" in reply["body"]
    (row,) = await h.db.fetchall("SELECT question FROM kb_unanswered")
    assert row["question"] == first
    assert "Wetter" not in note["body"]


async def test_a_declined_message_with_a_private_part_left_passes_on_nothing(h) -> None:  # type: ignore[no-untyped-def]
    # Review r39e M2: the weather declined, "die ist 4711" points back and is not named: the
    # whole message stays private, the PIN reaches no one (the coordination's room included).
    await h.send(
        "!frage Dürfen wir Rechnungen, die per Post kommen, einscannen und als E-Rechnung "
        "behandeln? Und wie wird morgen das Wetter in Oldenburg? Und wie ändere ich die PIN "
        "meiner Kreditkarte, die ist 4711?"
    )
    (reply,) = await h.replies()  # nothing posted to the coordination room
    assert "weitergegeben" not in reply["body"] and "4711" not in reply["body"]
    assert (await h.db.fetchone("SELECT count(*) AS n FROM kb_unanswered"))["n"] == 0


@pytest.mark.parametrize(
    "message",
    [
        # It leans on the first question (review REVIEW-36-code, M1: both were forwarded, the
        # first with the PIN in the coordination's note).
        "Was ist XRechnung? Und wie ändere ich meine Kreditkarten-PIN, die ist 4711?",
        "Wie lange gilt ein Personalausweis? Und gilt der bei meinem Sohn kürzer?",
    ],
)
async def test_a_private_part_that_may_lean_on_the_first_is_never_forwarded(  # type: ignore[no-untyped-def]
    h, message: str
) -> None:
    await h.send(f"!frage {message}")
    (reply,) = await h.replies()
    assert "weitergegeben" not in reply["body"] and "4711" not in reply["body"]
    assert (await h.db.fetchone("SELECT count(*) AS n FROM kb_unanswered"))["n"] == 0


async def test_a_thumbs_down_from_another_room_is_answered_by_direct_message(h) -> None:  # type: ignore[no-untyped-def]
    # E.g. on the copy of a private answer moved to the member's new DM: the room the answer
    # was first meant for gets neither the notice nor, later, the coordination's answer.
    await h.send("!frage Was ist die 115?", sender=BOB)
    (answer_row,) = await h.rows()
    await h.services.outbox.mark_sent(answer_row["id"], "$answer", 0)
    await downvote(h, BOB, "$answer", "$down", room="!elsewhere:example.org")
    notice = (await h.rows())[1]
    assert notice["room_id"] is None and notice["user_id"] == BOB
    asker = await h.db.fetchone("SELECT room_id FROM kb_unanswered_askers")
    assert asker["room_id"] is None
    # The coordination's answer goes to Bob by direct message: nothing to keep private there,
    # and the command does not fail on the missing room (it raised before is_current_dm).
    qid = (await h.db.fetchone("SELECT id FROM kb_unanswered"))["id"]
    await h.send(f"!antworten {qid} Die Behördennummer.", sender=ALICE, room_id=COORD_ROOM)
    (post,) = await told(h, "Was ist die 115?")
    assert (post["room_id"], post["user_id"], post["private_to"]) == (None, BOB, None)
    assert "Gespeichert als FAQ-Eintrag" in (await h.replies())[-1]["body"]


async def test_a_thumbs_down_on_a_declined_question_or_chatter_passes_nothing_on(h) -> None:  # type: ignore[no-untyped-def]
    await h.send("!frage Wie backe ich einen Käsekuchen?", sender=BOB)  # passed on already
    await h.send("!frage Danke!", sender=BOB)  # chatter: nothing to ask
    rows = await h.rows()
    for n, row in enumerate(r for r in rows if r["room_id"] == ROOM):
        await h.services.outbox.mark_sent(row["id"], f"$reply{n}", 0)
        await downvote(h, BOB, f"$reply{n}", f"$down{n}")
    assert len(await h.rows()) == len(rows)
    assert (await h.db.fetchone("SELECT count(*) AS n FROM kb_unanswered"))["n"] == 1


async def test_the_notice_for_a_thumbs_down_in_a_dm_stays_private(h) -> None:  # type: ignore[no-untyped-def]
    from storage.direct_rooms import DirectRoomRepository

    await DirectRoomRepository(h.db).remember(BOB, DM)
    await h.send("Was ist die 115?", sender=BOB, room_id=DM)
    (answer_row,) = await h.rows()
    await h.services.outbox.mark_sent(answer_row["id"], "$dm-answer", 0)
    await downvote(h, BOB, "$dm-answer", "$down", room=DM)
    notice = (await h.rows())[1]
    assert notice["room_id"] == DM and notice["private_to"] == BOB
    assert json.loads(notice["content"])["body"].startswith("Danke für Ihre Rückmeldung.")


async def test_an_answer_on_the_next_plenum_shows_the_open_events(
    tmp_path, harness_factory
) -> None:  # type: ignore[no-untyped-def]
    from tests.unit.test_plenum import config as config_with_events
    from tests.unit.test_plenum import event

    workshop = {"key": "ozg", "title": "OZG & <b>Umsetzung</b>", "capacity": 1}
    config = config_with_events(tmp_path, event(capacity=2, workshops=[workshop]))
    h = await harness_factory(config=config, capabilities=build_capabilities)
    await h.send("!anmelden plenum-2027 ozg", sender=ALICE)
    await h.send("!frage Wann ist das nächste Plenum?", sender=BOB)
    await h.send("!frage When is the next plenary?", sender=BOB)
    await h.send("!frage Was ist die 115?", sender=BOB)
    german, english, other = [
        json.loads(r["content"]) for r in await h.rows() if r["room_id"] == ROOM
    ][-3:]
    body = german["body"]
    assert "Zurzeit zur Anmeldung offen:" in body
    assert "Plenum der ViR-Nordwest (plenum-2027) – Do, 28.01.2027, 09:30–16:00 Uhr" in body
    assert "Weser Tower, Bremen – 1 von 2 Plätzen frei" in body
    assert "OZG & <b>Umsetzung</b> (ozg): ausgebucht (Warteliste)" in body
    assert "OZG &amp; &lt;b&gt;Umsetzung&lt;/b&gt; (ozg)" in german["formatted_body"]
    assert body.index("Zurzeit zur Anmeldung offen:") < body.index("War das hilfreich?")
    assert "<b>Zurzeit zur Anmeldung offen:</b>" in german["formatted_body"]
    assert (
        "Open for registration now:" in english["body"] and "1 of 2 seats left" in english["body"]
    )
    assert "Anmeldung offen" not in other["body"]


async def test_with_no_open_event_the_answer_says_so(h) -> None:  # type: ignore[no-untyped-def]
    await h.send("!frage Wie melde ich mich zum Plenum an?", sender=BOB)
    (reply,) = await h.replies()
    assert "Zurzeit ist keine Veranstaltung zur Anmeldung offen." in reply["body"]


async def test_with_english_configured_the_coordination_and_the_asker_read_english(
    tmp_path, harness_factory
) -> None:  # type: ignore[no-untyped-def]
    config = make_config(tmp_path, bot={"language": "en"}, access={"coordination_room": COORD_ROOM})
    h = await harness_factory(config=config, capabilities=build_capabilities)
    await h.send("!ask How do I bake a cheesecake?", sender=BOB)
    await h.send("!ask What is the 115?", sender=BOB)
    _, note, answer = await h.rows()
    qid = (await h.db.fetchone("SELECT id FROM kb_unanswered"))["id"]
    body = json.loads(note["content"])["body"]
    assert (
        body
        == f'Open question {qid} from {BOB}: "How do I bake a cheesecake?" – !answer {qid} <answer>'
    )
    await h.services.outbox.mark_sent(answer["id"], "$answer", 0)
    await downvote(h, BOB, "$answer", "$down")
    _, _, _, notice, downvoted = await h.replies()
    assert notice["body"].startswith(f"{BOB}: Thank you for your feedback.")
    assert f'from {BOB} (👎 on the answer "' in downvoted["body"]


async def test_the_notice_after_a_thumbs_down_is_in_the_questions_language(h) -> None:  # type: ignore[no-untyped-def]
    await h.send("!frage What does a call to 115 cost?", sender=BOB)
    (answer_row,) = await h.rows()
    answer = json.loads(answer_row["content"])["body"]
    assert "with 👎 your question goes to the coordination team" in answer
    await h.services.outbox.mark_sent(answer_row["id"], "$answer", 0)
    await downvote(h, BOB, "$answer", "$down")
    notice = (await h.replies())[1]
    assert notice["body"].startswith(f"{BOB}: Thank you for your feedback.")


async def test_a_password_in_a_question_reaches_no_reply_log_or_note(h) -> None:  # type: ignore[no-untyped-def]
    # Round 40: the part nothing answers was forwarded with the colleague's password in it,
    # and quoted in the reply; the answer log kept it too.
    await h.send(
        "!frage Was ist eine Leitweg-ID? Meine Kollegin hat das Passwort Hallo123 für alle "
        "gesetzt, ist das ok?"
    )
    reply, note = await h.replies()
    assert "Leitweg-ID" in reply["body"] and "weitergegeben" in reply["body"]
    assert "das Passwort ••• für alle" in note["body"]
    for text in (reply["body"], reply.get("formatted_body", ""), note["body"]):
        assert "Hallo123" not in text
    rows = await h.db.fetchall(
        "SELECT question FROM kb_unanswered UNION ALL SELECT question FROM kb_answers"
    )
    assert len(rows) == 2 and all("Hallo123" not in r["question"] for r in rows)
