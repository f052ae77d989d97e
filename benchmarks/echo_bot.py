"""The floor: a minimal matrix-nio echo bot, the least any nio bot does to answer a command.

    python -m benchmarks.echo_bot --homeserver URL --user @echo:server [--password P]

Exactly this, nothing else: ``AsyncClient`` with the default config, ``login``, one
``sync`` with the filter to start from now (old history is not answered), then
``sync_forever`` with a sync filter of timeline limit 1000 (with Synapse's default of 10 it
silently drops commands in a burst), and for every ``!ping`` from someone else one
``room_send`` of an ``m.notice``. The notice carries ``m.relates_to.m.in_reply_to`` only so the
benchmark can match it to its command. The account is joined to its room beforehand.
"""

from __future__ import annotations

import argparse
import asyncio

from nio import AsyncClient, LoginResponse, MatrixRoom, RoomMessageText

from benchmarks.common import PASSWORD

SYNC_FILTER = {"room": {"timeline": {"limit": 1000}}}


async def run(homeserver: str, user_id: str, password: str) -> None:
    client = AsyncClient(homeserver, user_id)

    async def on_message(room: MatrixRoom, event: RoomMessageText) -> None:
        if event.sender == client.user_id or event.body.strip() != "!ping":
            return
        await client.room_send(
            room.room_id,
            "m.room.message",
            {
                "msgtype": "m.notice",
                "body": "pong",
                "m.relates_to": {"m.in_reply_to": {"event_id": event.event_id}},
            },
        )

    resp = await client.login(password, device_name="echo bot")
    if not isinstance(resp, LoginResponse):
        raise SystemExit(f"login failed: {resp}")
    try:
        await client.sync(timeout=0, sync_filter=SYNC_FILTER)  # start from now
        client.add_event_callback(on_message, RoomMessageText)  # type: ignore[arg-type]
        await client.sync_forever(timeout=30000, sync_filter=SYNC_FILTER)
    finally:
        await client.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--homeserver", required=True)
    parser.add_argument("--user", required=True)
    parser.add_argument("--password", default=PASSWORD)
    args = parser.parse_args()
    try:
        asyncio.run(run(args.homeserver, args.user, args.password))
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
