"""iCalendar (.ics) files for attendees, built with the ``icalendar`` package.

One UID per event for its whole life: a changed or cancelled event is sent again with the
same UID and a higher SEQUENCE (and STATUS:CANCELLED), so calendar programs update the entry
they already have instead of adding a second one.
"""

from __future__ import annotations

import codecs
from datetime import datetime

from bot.lazy import load
from storage.plenum import CANCELLED, EventInfo

MIMETYPE = "text/calendar"
# icalendar decodes with this codec, whose module Python imports on first use: now, not
# inside the transaction of the first registration (bot/lazy.py).
codecs.lookup("utf-8-sig")


def event_uid(event: EventInfo, server_name: str) -> str:
    return f"{event.key}@{server_name}"


def event_calendar(
    event: EventInfo,
    *,
    server_name: str,
    now: datetime,
    workshop_title: str | None = None,
    description: str = "",
) -> bytes:
    """The event as a one-entry calendar; cancelled events carry STATUS:CANCELLED."""
    # Loaded on first use (bot/lazy.py): only a registration's DM needs it, and the package
    # is ≈ 2 MB resident; never imported inside the command's transaction.
    icalendar = load("icalendar")
    Calendar, CalendarEvent = icalendar.Calendar, icalendar.Event

    calendar = Calendar()
    calendar.add("prodid", "-//ViR-Nordwest//ViR-Bot//DE")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    entry = CalendarEvent()
    entry.add("uid", event_uid(event, server_name))
    entry.add("sequence", event.sequence)
    entry.add("dtstamp", now)
    entry.add("dtstart", event.starts)
    entry.add("dtend", event.ends)
    entry.add("summary", f"{event.title} – {workshop_title}" if workshop_title else event.title)
    if event.location:
        entry.add("location", event.location)
    if description:
        entry.add("description", description)
    entry.add("status", "CANCELLED" if event.status == CANCELLED else "CONFIRMED")
    calendar.add_component(entry)
    return calendar.to_ical()


def filename(event: EventInfo) -> str:
    return f"{event.key}.ics"
