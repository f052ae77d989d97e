"""Questions and answers on a real Synapse: commands, DMs, mentions, open questions, feedback."""

from __future__ import annotations

import pytest
from nio import AsyncClient, RoomPreset

from tests.integration.conftest import (
    BotFactory,
    Inbox,
    RunningBot,
    create_room,
    reply_target,
    send_text,
    wait_membership,
)

pytestmark = pytest.mark.integration


async def test_questions_in_rooms_and_direct_messages(start_bot: BotFactory, matrix_user) -> None:
    member = await matrix_user("member", encrypted=True)
    running = await start_bot()
    room_id = await create_room(member, invite=[running.user_id])
    dm_id = await create_room(
        member,
        invite=[running.user_id],
        is_direct=True,
        preset=RoomPreset.trusted_private_chat,
        initial_state=[
            {
                "type": "m.room.encryption",
                "state_key": "",
                "content": {"algorithm": "m.megolm.v1.aes-sha2"},
            }
        ],
    )
    await wait_membership(member, room_id, running.user_id, "join")
    await wait_membership(member, dm_id, running.user_id, "join")
    async with Inbox(member, running.user_id) as inbox:
        by_command = await send_text(member, room_id, "!frage Was kostet ein Anruf bei der 115?")
        ignored = await send_text(member, room_id, "Was kostet ein Anruf bei der 115?")
        mentioned = await send_text(
            member,
            room_id,
            "Was ist XRechnung?",
            **{"m.mentions": {"user_ids": [running.user_id]}},
        )
        in_dm = await send_text(member, dm_id, "Wie lange ist ein Personalausweis gültig?")
        profile = await member.get_displayname(running.user_id)
        assert profile.displayname == "ViR-Bot"  # set by the bot from bot.display_name
        by_name = await send_text(member, room_id, f"{profile.displayname}: was ist ZRE?")
        # Events of one room are handled in order: once this is answered, so is all before it.
        last = await send_text(member, room_id, "!themen")
        await inbox.wait_until(lambda _: inbox.replies_to(last), timeout=30)
        last_dm = await send_text(member, dm_id, "!themen")
        await inbox.wait_until(lambda _: inbox.replies_to(last_dm), timeout=30)
        assert inbox.replies_to(ignored) == []  # never answers unprompted in rooms
        for event_id in (by_command, mentioned, in_dm, by_name):
            (reply,) = inbox.replies_to(event_id)
            assert "Quelle:" in reply["content"]["body"], reply["content"]["body"]
        assert inbox.replies_to(in_dm)[0]["decrypted"]


async def with_coordination(  # type: ignore[no-untyped-def]
    start_bot: BotFactory, matrix_user
) -> tuple[AsyncClient, AsyncClient, RunningBot, str, str]:
    """A coordinator, a member, the bot with a coordination room (the coordinator's), and a
    group room of the member's with the bot and the coordinator in it."""
    coordinator = await matrix_user("coord")
    member = await matrix_user("member")
    bot_probe = await start_bot()  # to learn the bot's user id for the invites
    bot_id = bot_probe.user_id
    await bot_probe.stop()
    coordination = await create_room(coordinator, invite=[bot_id])
    # The coordinator created the room (room version 12: unlimited power, not in power_levels).
    running = await start_bot(coordination_room=coordination)
    await wait_membership(coordinator, coordination, bot_id, "join")
    plenum = await create_room(member, invite=[bot_id, coordinator.user_id])
    await wait_membership(member, plenum, bot_id, "join")
    await coordinator.join(plenum)
    return coordinator, member, running, coordination, plenum


async def coordination_notes_after(  # type: ignore[no-untyped-def]
    member: AsyncClient, plenum: str, coord_inbox, coordination: str, marker: str, word: str
) -> list[str]:
    """The coordination room's notes once an open question sent last (``marker``, whose note
    shows ``word``) has arrived: notes keep their order, so a declined message sent before it
    that was not passed on never will be, and an absence check cannot pass on an empty room."""
    await send_text(member, plenum, f"!frage {marker}")
    await coord_inbox.wait_until(
        lambda _: any(word in n for n in coord_inbox.bodies_in(coordination))
    )
    return list(coord_inbox.bodies_in(coordination))


async def frage_reply(  # type: ignore[no-untyped-def]
    member: AsyncClient, room: str, inbox, question: str
) -> dict:
    """The bot's one reply to ``!frage question`` sent by ``member`` in ``room`` (exactly one:
    a second reply to the same command would fail the unpacking)."""
    asked = await send_text(member, room, f"!frage {question}")
    await inbox.wait_until(lambda _: inbox.replies_to(asked))
    (reply,) = inbox.replies_to(asked)
    return reply


async def test_open_question_reaches_coordination_and_asker_is_told(
    start_bot: BotFactory, matrix_user
) -> None:
    coordinator, member, running, coordination, plenum = await with_coordination(
        start_bot, matrix_user
    )
    bot_id = running.user_id
    # A second member asks the same question in a direct message with the bot.
    neighbour = await matrix_user("member-two")
    dm = await create_room(
        neighbour, invite=[bot_id], is_direct=True, preset=RoomPreset.trusted_private_chat
    )
    await wait_membership(neighbour, dm, bot_id, "join")
    member_inbox = await Inbox(member, running.user_id).start()
    coord_inbox = await Inbox(coordinator, running.user_id).start()
    neighbour_inbox = await Inbox(neighbour, running.user_id).start()

    def told(inbox: Inbox) -> list[dict]:
        return [e for e in inbox.events if "wurde beantwortet" in e["content"]["body"]]

    try:
        question = "Gibt es beim Plenum vegetarisches Mittagessen?"
        asked = await send_text(member, plenum, f"!frage {question}")
        await member_inbox.wait_for(1)
        (abstained,) = member_inbox.replies_to(asked)
        assert abstained["content"]["body"].startswith("Dazu weiß ich leider nichts Sicheres.")
        await coord_inbox.wait_for(2)  # the reply in the plenum and the coordination note
        note = next(e for e in coord_inbox.events if e["room_id"] == coordination)
        qid = note["content"]["body"].split("Offene Frage ", 1)[1].split(" ", 1)[0]
        await send_text(neighbour, dm, question)
        await coord_inbox.wait_until(lambda _: len(coord_inbox.bodies_in(coordination)) >= 2)
        assert (
            f"Offene Frage {qid} erneut gefragt von {neighbour.user_id}"
            in coord_inbox.bodies_in(coordination)[1]
        )
        await send_text(coordinator, coordination, f"!antworten {qid} Ja, es gibt eine Auswahl.")
        # Each asker is told, where they asked, and mentioned (notified).
        await member_inbox.wait_until(lambda _: told(member_inbox))
        await neighbour_inbox.wait_until(lambda _: told(neighbour_inbox))
        for inbox, client, room in (
            (member_inbox, member, plenum),
            (neighbour_inbox, neighbour, dm),
        ):
            (message,) = told(inbox)
            assert message["room_id"] == room and question in message["content"]["body"]
            assert message["content"]["m.mentions"] == {"user_ids": [client.user_id]}
        again = await send_text(member, plenum, f"!frage {question}")
        await member_inbox.wait_until(lambda _: member_inbox.replies_to(again))
        assert "Auswahl" in member_inbox.replies_to(again)[0]["content"]["body"]

        notes_before = len(coord_inbox.bodies_in(coordination))
        # A private near miss: declined, and nothing of it reaches the coordination room.
        private = await send_text(
            member, plenum, "!frage Ich habe die PIN meiner Kreditkarte vergessen, was tun?"
        )
        # A relative's own business is private too, though "XRechnung" is on the topic.
        relative = await send_text(
            member,
            plenum,
            "!frage Mein Bruder hat einen Handwerksbetrieb, wie schreibt er eine XRechnung?",
        )
        # One's WLAN at home: private too, though an entry's phrasing fits it (private_setting).
        at_home = await send_text(
            member, plenum, "!frage Wie sichere ich mein WLAN zu Hause richtig ab?"
        )
        # A SIM card's PIN: another field. Not answered from the ID card's PIN entries, but
        # forwarded like any open question (borrowed_words_topics), not dropped as private.
        sim = await send_text(
            member, plenum, "!frage Wie setze ich die PIN unserer SIM-Karte im Diensthandy zurück?"
        )
        # A chat idiom is no subject: "blick" once declined this (text._IDIOMS).
        idiom = await send_text(
            member, plenum, "!frage pdf/a-2 oder pdf/a-3 fürs archiv? blick da echt nich durch"
        )
        # A chat remark after the question is context, not its subject (text._remarks_apart):
        # "kollegen stöhnen" once declined this.
        remark = await send_text(
            member,
            plenum,
            "!frage brauchen wir echt zwei-faktor für alles? die kollegen stöhnen schon",
        )
        # A password one must change on a schedule is a work password, answered although the
        # member writes "mein Passwort" (vocabulary.PASSWORD_DUTY).
        password = await send_text(
            member, plenum, "!frage muss ich mein passwort wirklich alle 60 tage ändern?"
        )
        # An off-topic later part is named as outside the topics, not forwarded (render.
        # OFF_TOPIC_PART), while the first part is answered (the neighbour asks: the member's
        # messages here are as many as the throttle lets through).
        weather = await send_text(
            neighbour, dm, "!frage Was ist eine E-Rechnung? Und wie wird das Wetter morgen?"
        )
        # Three questions, the last two unknown: each is forwarded on its own (the middle one
        # too), without the rest of the message.
        two = await send_text(
            member,
            plenum,
            "!frage Was ist XRechnung? Wie hoch ist die Miete in Bremen? Wie backe ich einen "
            "Käsekuchen?",
        )
        await member_inbox.wait_until(lambda _: member_inbox.replies_to(two))
        for near_miss in (private, relative, at_home):
            (reply,) = member_inbox.replies_to(near_miss)
            declined = reply["content"]["body"]
            assert declined.startswith("Dazu weiß ich leider nichts Sicheres.")
            assert "weitergegeben" not in declined and "Quelle" not in declined
        (sim_reply,) = member_inbox.replies_to(sim)
        sim_body = sim_reply["content"]["body"]
        assert sim_body.startswith("Dazu weiß ich leider nichts Sicheres.")
        assert "an die Koordination weitergegeben" in sim_body and "Quelle" not in sim_body
        (idiom_reply,) = member_inbox.replies_to(idiom)
        assert "PDF/A" in idiom_reply["content"]["body"]
        assert "Quelle" in idiom_reply["content"]["body"]
        (remark_reply,) = member_inbox.replies_to(remark)
        assert "Zwei-Faktor" in remark_reply["content"]["body"]
        assert "Quelle" in remark_reply["content"]["body"]
        (password_reply,) = member_inbox.replies_to(password)
        assert "Passw" in password_reply["content"]["body"]
        assert "Quelle" in password_reply["content"]["body"]
        await neighbour_inbox.wait_until(lambda _: neighbour_inbox.replies_to(weather))
        (weather_reply,) = neighbour_inbox.replies_to(weather)
        weather_body = weather_reply["content"]["body"]
        assert "Quelle" in weather_body and "weitergegeben" not in weather_body
        assert "Zu „Und wie wird das Wetter morgen?“ sage ich nichts" in weather_body
        answered = member_inbox.replies_to(two)[0]["content"]["body"]
        assert "XRechnung" in answered and answered.count("an die Koordination weitergegeben") == 2
        assert "„Wie hoch ist die Miete in Bremen?“" in answered
        await coord_inbox.wait_until(
            lambda _: any("Käsekuchen" in n for n in coord_inbox.bodies_in(coordination))
        )
        # The coordination room's messages go out in order: a note on the private question,
        # queued before this one, would have arrived first.
        new_notes = coord_inbox.bodies_in(coordination)[notes_before:]
        assert not any(
            "Kreditkarte" in n or "Bruder" in n or "WLAN" in n
            for n in coord_inbox.bodies_in(coordination)
        )
        assert not any("Wetter" in n for n in coord_inbox.bodies_in(coordination))
        assert any("SIM-Karte" in n for n in new_notes)
        assert any("„Wie backe ich einen Käsekuchen?“" in n for n in new_notes)
        assert any("„Wie hoch ist die Miete in Bremen?“" in n for n in new_notes)
        assert not any("Was ist XRechnung" in n for n in new_notes)
        # Nobody was told twice (the later messages came after the answer's).
        assert len(told(member_inbox)) == 1 and len(told(neighbour_inbox)) == 1
    finally:
        await member_inbox.stop()
        await coord_inbox.stop()
        await neighbour_inbox.stop()


async def test_thumbs_down_shows_in_faq_statistics(start_bot: BotFactory, matrix_user) -> None:
    coordinator = await matrix_user("coord")
    running = await start_bot(coordinators=[coordinator.user_id])
    room_id = await create_room(coordinator, invite=[running.user_id])
    dm_id = await create_room(
        coordinator,
        invite=[running.user_id],
        is_direct=True,
        preset=RoomPreset.trusted_private_chat,
    )
    await wait_membership(coordinator, room_id, running.user_id, "join")
    await wait_membership(coordinator, dm_id, running.user_id, "join")
    async with Inbox(coordinator, running.user_id) as inbox:
        refused = await send_text(coordinator, room_id, "!faq-statistik")
        asked = await send_text(coordinator, room_id, "!frage Was ist XRechnung?")
        await inbox.wait_for(2)
        answer_event = inbox.replies_to(asked)[0]["event_id"]
        reaction = await coordinator.room_send(
            room_id,
            "m.reaction",
            {"m.relates_to": {"rel_type": "m.annotation", "event_id": answer_event, "key": "👎"}},
        )
        # Events of one room are handled in order: once this is answered, so is the 👎.
        handled = await send_text(coordinator, room_id, "!themen")
        await inbox.wait_until(lambda _: inbox.replies_to(handled))
        stats_id = await send_text(coordinator, dm_id, "!faq-statistik")
        await inbox.wait_until(lambda _: inbox.replies_to(stats_id))
        body = inbox.replies_to(stats_id)[0]["content"]["body"]
        assert "1× 👎" in body
        # Not in a group room: members would read the statistics along.
        assert "Koordinationsraum" in inbox.replies_to(refused)[0]["content"]["body"]
        # Removing the reaction takes the vote back.
        await coordinator.room_redact(room_id, reaction.event_id)
        handled = await send_text(coordinator, room_id, "!themen")
        await inbox.wait_until(lambda _: inbox.replies_to(handled))
        again = await send_text(coordinator, dm_id, "!faq-statistik")
        await inbox.wait_until(lambda _: inbox.replies_to(again))
        assert "× 👎" not in inbox.replies_to(again)[0]["content"]["body"].split("meisten 👎")[1]


async def test_the_askers_thumbs_down_passes_the_question_to_the_coordination(
    start_bot: BotFactory, matrix_user
) -> None:
    coordinator, member, running, coordination, plenum = await with_coordination(
        start_bot, matrix_user
    )
    member_inbox = await Inbox(member, running.user_id).start()
    coord_inbox = await Inbox(coordinator, running.user_id).start()

    async def thumbs_down(client, event_id: str) -> None:  # type: ignore[no-untyped-def]
        await client.room_send(
            plenum,
            "m.reaction",
            {"m.relates_to": {"rel_type": "m.annotation", "event_id": event_id, "key": "👎"}},
        )

    try:
        question = "Was kostet ein Anruf bei der 115?"
        asked = await send_text(member, plenum, f"!frage {question}")
        await member_inbox.wait_until(lambda _: member_inbox.replies_to(asked))
        answer = member_inbox.replies_to(asked)[0]
        assert "Quelle:" in answer["content"]["body"]
        # Another member's 👎 only counts; the asker's passes the question on.
        await thumbs_down(coordinator, answer["event_id"])
        await thumbs_down(member, answer["event_id"])
        await coord_inbox.wait_until(lambda _: coord_inbox.bodies_in(coordination))
        (note,) = coord_inbox.bodies_in(coordination)
        qid = note.split("Offene Frage ", 1)[1].split(" ", 1)[0]
        assert f"von {member.user_id} (👎 auf die Antwort „" in note and question in note
        await member_inbox.wait_until(
            lambda events: any("Danke für Ihre Rückmeldung" in e["content"]["body"] for e in events)
        )
        notice = member_inbox.events[-1]
        assert notice["room_id"] == plenum and f"(Nr. {qid})" in notice["content"]["body"]
        assert notice["content"]["m.mentions"] == {"user_ids": [member.user_id]}
        await send_text(coordinator, coordination, f"!antworten {qid} Ein Anruf kostet 9 Cent.")
        await member_inbox.wait_until(
            lambda events: any("wurde beantwortet" in e["content"]["body"] for e in events)
        )
        told = member_inbox.events[-1]
        assert told["room_id"] == plenum and "9 Cent" in told["content"]["body"]
        # Exactly once: nothing else came, neither to the member nor to the coordination. A
        # command in each room last: its reply comes after anything the bot had queued there.
        member_last = await send_text(member, plenum, "!themen")
        coord_last = await send_text(coordinator, coordination, "!offene-fragen")
        await member_inbox.wait_until(lambda _: member_inbox.replies_to(member_last))
        await coord_inbox.wait_until(lambda _: coord_inbox.replies_to(coord_last))
        assert [reply_target(e) for e in member_inbox.events] == [asked, None, None, member_last]
        assert len(coord_inbox.bodies_in(coordination)) == 3  # the note, "Gespeichert", the list
    finally:
        await member_inbox.stop()
        await coord_inbox.stop()


async def test_a_contract_value_and_a_chat_word_on_the_real_homeserver(
    start_bot: BotFactory, matrix_user
) -> None:
    # A contract value: the reply ends in the member's case against the EU thresholds
    # (live = "threshold", thresholds.case_note), in German and in English; a chat "stuff"
    # tail names its head (text._STUFF_TAIL: this was declined before).
    member = await matrix_user("member")
    running = await start_bot()
    room_id = await create_room(member, invite=[running.user_id])
    await wait_membership(member, room_id, running.user_id, "join")
    async with Inbox(member, running.user_id) as inbox:
        value = await send_text(
            member,
            room_id,
            "!frage Wir wollen IT-Dienstleistungen für 300.000 Euro netto vergeben. Müssen wir "
            "EU-weit ausschreiben?",
        )
        value_en = await send_text(
            member,
            room_id,
            "!frage Do we need an EU-wide tender for school furniture worth 15,000 euros?",
        )
        stuff = await send_text(
            member, room_id, "!frage ab wann gilt der e-rechnungs-kram für uns?"
        )
        await inbox.wait_until(lambda _: inbox.replies_to(stuff), timeout=30)
        (value_reply,) = inbox.replies_to(value)
        value_body = value_reply["content"]["body"]
        assert "Ihr Fall:** 300.000 € liegen über dem EU-Schwellenwert" in value_body
        assert "<strong>Ihr Fall:</strong>" in value_reply["content"]["formatted_body"]
        (value_en_reply,) = inbox.replies_to(value_en)
        english = value_en_reply["content"]["body"]
        assert "Your case:** 15,000 EUR is below both EU thresholds" in english
        assert "direct award" in english
        (stuff_reply,) = inbox.replies_to(stuff)
        assert "E-Rechnung" in stuff_reply["content"]["body"]
        assert "Quelle" in stuff_reply["content"]["body"]


async def test_a_declined_message_passes_on_only_its_rest_on_the_real_homeserver(
    start_bot: BotFactory, matrix_user
) -> None:
    # Nothing answers the first question; the second, after a change of subject, is no topic
    # of the network: the reply names it, and the coordination room gets the message without
    # it (engine._without_declined, commands/topics.py).
    coordinator, member, running, coordination, plenum = await with_coordination(
        start_bot, matrix_user
    )
    async with (
        Inbox(member, running.user_id) as member_inbox,
        Inbox(coordinator, running.user_id) as coord_inbox,
    ):
        reply = await frage_reply(
            member,
            plenum,
            member_inbox,
            "Wie bekommen wir regelmäßige Zahlen zu den Wartezeiten in unserem "
            "Bürgerbüro? Und ganz andere Frage: Wann macht die Kantine morgen auf?",
        )
        body = reply["content"]["body"]
        assert body.startswith("Dazu weiß ich leider nichts Sicheres.")
        assert "weitergegeben" in body
        assert (
            "Zu „Und ganz andere Frage: Wann macht die Kantine morgen auf?“ sage ich nichts" in body
        )
        await coord_inbox.wait_until(
            lambda _: any("Wartezeiten" in n for n in coord_inbox.bodies_in(coordination))
        )
        (note,) = [n for n in coord_inbox.bodies_in(coordination) if "Wartezeiten" in n]
        assert "Kantine" not in note


async def test_a_password_in_a_question_reaches_nobody_on_the_real_homeserver(
    start_bot: BotFactory, matrix_user
) -> None:
    # A colleague's password written into the part nothing answers: the reply and the
    # coordination's note show it masked (bot/answers/redact.py), the value reaches neither.
    coordinator, member, running, coordination, plenum = await with_coordination(
        start_bot, matrix_user
    )
    async with (
        Inbox(member, running.user_id) as member_inbox,
        Inbox(coordinator, running.user_id) as coord_inbox,
    ):
        reply = await frage_reply(
            member,
            plenum,
            member_inbox,
            "Was ist eine Leitweg-ID? Meine Kollegin hat das Passwort Hallo123 für alle "
            "gesetzt, ist das ok?",
        )
        content = reply["content"]
        assert "Leitweg-ID" in content["body"] and "weitergegeben" in content["body"]
        assert "Hallo123" not in content["body"] + content.get("formatted_body", "")
        await coord_inbox.wait_until(
            lambda _: any("Kollegin" in n for n in coord_inbox.bodies_in(coordination))
        )
        (note,) = [n for n in coord_inbox.bodies_in(coordination) if "Kollegin" in n]
        assert "das Passwort ••• für alle" in note and "Hallo123" not in note


async def test_near_misses_are_declined_and_reach_no_coordinator_on_the_real_homeserver(
    start_bot: BotFactory, matrix_user
) -> None:
    # Round 41: a football result asked alone is small talk, one's own tax ID a private
    # question: each gets one declining reply and neither reaches the coordination room, while
    # a real open question sent after them does (the coordination's notes keep their order).
    coordinator, member, running, coordination, plenum = await with_coordination(
        start_bot, matrix_user
    )
    near_misses = [
        "Wie hat Werder Bremen am Samstag gespielt?",
        "Ich finde meine Steuer-ID nicht mehr. Wie bekomme ich die wieder?",
        # Round 45: one's own health insurer's password rule, in chat style, is private (the
        # code before the round declined it without saying so and passed it on).
        "meine krankenkasse will alle 90 tage ein neues passwort. is das normal?",
        # Round 46: one's own device called private and one's household bill with an adjective
        # are private (answered from the BYOD and e-invoice retention entries before the
        # round); a reminder for one's own appointment is small talk (it got the plenum's
        # reminder entry).
        "Wie sichere ich meine Daten von meinem privaten Handy am besten?",
        "Muss ich meine letzte Stromrechnung aufbewahren und wie lange?",
        "Kannst du mich heute Abend an den Friseurtermin erinnern?",
    ]
    async with (
        Inbox(member, running.user_id) as member_inbox,
        Inbox(coordinator, running.user_id) as coord_inbox,
    ):
        for question in near_misses:
            reply = await frage_reply(member, plenum, member_inbox, question)
            assert "Quelle:" not in reply["content"]["body"]
        # Round 45: the same rule asked about work, with a chat remark after the question mark
        # that sank it before the round (declined and passed on), is answered.
        reply = await frage_reply(
            member,
            plenum,
            member_inbox,
            "soll ich alle 90 tage ein neues passwort machen? voll der aufwand",
        )
        assert "Quelle:" in reply["content"]["body"] and "Passw" in reply["content"]["body"]
        notes = await coordination_notes_after(
            member,
            plenum,
            coord_inbox,
            coordination,
            "Gibt es beim Plenum vegetarisches Mittagessen?",
            "vegetarisch",
        )
        assert not [n for n in notes if "Werder" in n or "Steuer-ID" in n or "krankenkasse" in n], (
            notes
        )
        assert not [n for n in notes if "aufwand" in n], notes
        assert not [n for n in notes if "Handy" in n or "Stromrechnung" in n], notes
        assert not [n for n in notes if "Friseur" in n], notes
        # Round 46: a topic's number alone is no question: the bot asks back and offers the
        # topic, and nothing reaches the coordination (the code before answered with what
        # the 115 is).
        reply = await frage_reply(member, plenum, member_inbox, "115")
        body = reply["content"]["body"]
        assert body.startswith("„115“ allein ist noch keine Frage"), body
        assert "!thema service-center-115" in body and "Quelle:" not in body
        notes = await coordination_notes_after(
            member,
            plenum,
            coord_inbox,
            coordination,
            "Gibt es beim Plenum Parkplätze für Fahrräder?",
            "Fahrräder",
        )
        assert not [n for n in notes if "„115“" in n]


async def test_small_talk_and_a_household_bill_reach_no_coordinator_on_the_real_homeserver(
    start_bot: BotFactory, matrix_user
) -> None:
    # Round 47: a greeting to everyone and the bot asked its name are small talk (answered
    # from the KoSIT and Emotet entries before the round), one's own bill from the town's
    # utility is private (answered from B2B e-invoicing): one reply each without a source, and
    # none reaches the coordination, while a real open question sent after them does.
    coordinator, member, running, coordination, plenum = await with_coordination(
        start_bot, matrix_user
    )
    async with (
        Inbox(member, running.user_id) as member_inbox,
        Inbox(coordinator, running.user_id) as coord_inbox,
    ):
        for question in (
            "Guten Morgen in die Runde",
            "Hast du eigentlich einen Namen?",
            "Kann ich meine Stromrechnung bei den Stadtwerken in Raten zahlen?",
        ):
            reply = await frage_reply(member, plenum, member_inbox, question)
            assert "Quelle:" not in reply["content"]["body"]
        notes = await coordination_notes_after(
            member,
            plenum,
            coord_inbox,
            coordination,
            "Gibt es beim Plenum vegetarisches Mittagessen?",
            "vegetarisch",
        )
        assert not [n for n in notes if "Runde" in n or "Namen" in n or "Raten" in n], notes


async def test_private_things_reach_no_coordinator_and_a_phishing_click_is_answered(
    start_bot: BotFactory, matrix_user
) -> None:
    # Round 48: the family computer and one's own tax notice paid by oneself are private (one
    # reply each without a source, nothing for the coordination), while a phishing click told
    # in one's own voice ("mein kennwort eingetippt") gets the phishing entry's answer. Round
    # 50: so is one's own insurer's hotline; and "…, und brauchen wir das als kleine
    # Samtgemeinde?" under TR-ESOR's answer, whose body asks "**Brauchen wir das?**", is named
    # as covered, not passed on. Round 49: "…, und habt ihr einen Tipp für ein Café?" is split
    # off as a second question and declined, not passed on. Round 51: a recipe after a
    # question on the plenum is declined too, and a trader's own invoice to private customers
    # gets no answer of the topics but is passed on (it is no private matter).
    coordinator, member, running, coordination, plenum = await with_coordination(
        start_bot, matrix_user
    )
    follow_up = "Brauchen wir das als kleine Samtgemeinde überhaupt?"
    cafe = "Habt ihr einen Tipp für ein Café in Leer?"
    recipe = "Und hast du ein gutes Kuchenrezept?"
    trader = (
        "Ich bin Installateur und stelle Rechnungen an Privatkunden. Muss ich die jetzt als "
        "E-Rechnung verschicken?"
    )
    async with (
        Inbox(member, running.user_id) as member_inbox,
        Inbox(coordinator, running.user_id) as coord_inbox,
    ):
        for question in (
            "Auf unserem Familienrechner ist ein Virus, was soll ich tun?",
            "Bis wann muss ich die Grundsteuer für mein Haus zahlen?",
            "Was kostet mich ein Anruf bei der Servicenummer meiner Versicherung?",
            trader,
        ):
            reply = await frage_reply(member, plenum, member_inbox, question)
            assert "Quelle:" not in reply["content"]["body"]
        reply = await frage_reply(
            member,
            plenum,
            member_inbox,
            "hab eben in ner mail auf nen link gedrückt und mein kennwort eingetippt, was mach "
            "ich jetz",
        )
        assert "Quelle:" in reply["content"]["body"] and "ISB" in reply["content"]["body"]
        for message, line in (
            (
                f"Was ist TR-ESOR, und {follow_up[0].lower()}{follow_up[1:]}",
                f"Zu „{follow_up}“ passt am ehesten dieselbe Antwort.",
            ),
            (
                f"Was ist eine Leitweg-ID, und {cafe[0].lower()}{cafe[1:]}",
                f"Zu „{cafe}“ sage ich nichts: Das gehört nicht zu den Themen des Netzwerks.",
            ),
            (
                f"Wird beim Plenum auch gefilmt? {recipe}",
                f"Zu „{recipe}“ sage ich nichts: Das gehört nicht zu den Themen des Netzwerks.",
            ),
        ):
            body = (await frage_reply(member, plenum, member_inbox, message))["content"]["body"]
            assert "Quelle:" in body and line in body and "weitergegeben" not in body, body
        notes = await coordination_notes_after(
            member,
            plenum,
            coord_inbox,
            coordination,
            "Gibt es beim Plenum vegetarisches Mittagessen?",
            "vegetarisch",
        )
        assert not [n for n in notes if "Familienrechner" in n or "Grundsteuer" in n], notes
        assert not [n for n in notes if "kennwort" in n], notes
        assert not [n for n in notes if "Versicherung" in n or "Samtgemeinde" in n], notes
        assert not [n for n in notes if "Café" in n or "Kuchenrezept" in n], notes
        assert [n for n in notes if "Installateur" in n], notes


async def test_an_aside_on_the_weather_is_declined_and_reaches_no_coordinator(
    start_bot: BotFactory, matrix_user
) -> None:
    # Round 42: a later part that changes the subject to the weather gets a line saying it is
    # no topic of the network, beside the answer to the first part, and is not passed on; so
    # does one on eating out without a change of subject (round 43); a real open question sent
    # after them is (the coordination's notes keep their order).
    coordinator, member, running, coordination, plenum = await with_coordination(
        start_bot, matrix_user
    )
    aside = "Themawechsel: Weißt du, ob es morgen in Oldenburg regnet?"
    async with (
        Inbox(member, running.user_id) as member_inbox,
        Inbox(coordinator, running.user_id) as coord_inbox,
    ):

        async def reply_body(question: str) -> str:
            """The bot's one reply to ``!frage question`` in the plenum room."""
            return str(
                (await frage_reply(member, plenum, member_inbox, question))["content"]["body"]
            )

        body = await reply_body(f"Was ist eine Leitweg-ID? {aside}")
        assert "Quelle:" in body and "Leitweg-ID" in body
        assert f"Zu „{aside}“ sage ich nichts" in body and "weitergegeben" not in body
        # Round 43: without a change of subject before it too.
        plain = "Und wo gibt es in Leer den besten Döner?"
        body = await reply_body(f"Was ist TR-ESOR? {plain}")
        assert "Quelle:" in body and "TR-ESOR" in body
        assert f"Zu „{plain}“ sage ich nichts" in body and "weitergegeben" not in body
        # Round 44: a thing of another field after "Und privat:" is declined; after a bare
        # "PS:" a follow-up of the first question is passed on.
        private = "Und privat: Wo kann man in Leer gut Fisch essen gehen?"
        body = await reply_body(f"Was ist TR-ESOR? {private}")
        assert f"Zu „{private}“ sage ich nichts" in body and "weitergegeben" not in body
        # Round 46: the weather after "Nebenbei gefragt:", a reminder for one's own
        # appointment and the canteen's menu in the town hall were passed on before the round.
        for first, later in (
            ("Was ist TR-ESOR?", "Nebenbei gefragt: regnet es am Samstag in Leer?"),
            (
                "Was ist eine Leitweg-ID?",
                "Und privat: erinnerst du mich morgen an meinen Zahnarzttermin?",
            ),
            ("Was ist XRechnung?", "Ach, und was gibt es heute in der Kantine im Rathaus?"),
            # Round 47: a nice café "für danach" after a question on the plenum (passed on
            # before the round as the event's), a named market after "Und privat:".
            (
                "Wann ist das nächste Plenum?",
                "PS: Kennst du ein gemütliches Café in Walle für danach?",
            ),
            ("Was ist TR-ESOR?", "Und privat: wann macht der Gallimarkt in Leer auf?"),
        ):
            body = await reply_body(f"{first} {later}")
            assert "Quelle:" in body
            assert f"Zu „{later}“ sage ich nichts" in body and "weitergegeben" not in body
        follow_up = "PS: Verlängert sich die Frist über Weihnachten?"
        assert "weitergegeben" in await reply_body(f"Was ist eine Leitweg-ID? {follow_up}")
        notes = await coordination_notes_after(
            member,
            plenum,
            coord_inbox,
            coordination,
            "Gibt es beim Plenum vegetarisches Mittagessen?",
            "vegetarisch",
        )
        assert not [n for n in notes if "regnet" in n or "Döner" in n or "Fisch" in n], notes
        assert not [n for n in notes if "Zahnarzt" in n or "Kantine" in n], notes
        assert not [n for n in notes if "Walle" in n or "Gallimarkt" in n], notes
        assert [n for n in notes if "Weihnachten" in n], notes
