"""Chat texts of the runtime, German by default and English by config (`bot.language`).

Command modules keep their own texts next to their code, as (de, en) pairs via ``tr``.
"""

from __future__ import annotations

TEXTS: dict[str, tuple[str, str]] = {
    "unknown_command": (
        "Unbekannter Befehl „{name}“.",
        'Unknown command "{name}".',
    ),
    "did_you_mean": ("Meinten Sie: {names}?", "Did you mean: {names}?"),
    "see_help": ("Alle Befehle: {help}", "All commands: {help}"),
    "usage": ("Aufruf: {usage}", "Usage: {usage}"),
    "internal_error": (
        "Interner Fehler (Ref: {ref}). Bitte versuchen Sie es später erneut oder nennen Sie "
        "der Koordination die Referenz.",
        "Internal error (ref: {ref}). Please try again later or give the coordinators the "
        "reference.",
    ),
    "coordinators_only": (
        "Dieser Befehl ist der Koordination vorbehalten.",
        "This command is reserved for coordinators.",
    ),
    "where_dm": (
        "Diesen Befehl bitte in einer Direktnachricht an mich senden.",
        "Please send this command in a direct message to me.",
    ),
    "where_room": (
        "Diesen Befehl bitte in einem Gruppenraum senden, nicht per Direktnachricht.",
        "Please send this command in a group room, not in a direct message.",
    ),
    "where_coordination": (
        "Diesen Befehl bitte im Koordinationsraum senden.",
        "Please send this command in the coordination room.",
    ),
    "where_coordination_or_dm": (
        "Diesen Befehl bitte im Koordinationsraum oder per Direktnachricht an mich senden.",
        "Please send this command in the coordination room or in a direct message to me.",
    ),
    "throttled": (
        "Sie senden gerade sehr viele Nachrichten an mich. Ich bearbeite Ihre weiteren "
        "Befehle und Fragen in den nächsten {seconds} Sekunden nicht.",
        "You are sending me a lot of messages. I will ignore your further commands and "
        "questions for the next {seconds} seconds.",
    ),
    "unbalanced_quotes": (
        "Ein Anführungszeichen ist nicht geschlossen.",
        "A quotation mark is not closed.",
    ),
    "dm_history_open": (
        "Ich kann in diesem Raum nicht einstellen, dass später Eingeladene den bisherigen Verlauf "
        "nicht lesen. Persönliche Nachrichten (z. B. Anmeldebestätigungen) schicke ich Ihnen "
        "deshalb in einem eigenen Direktchat, zu dem ich Sie gerade einlade; Befehle zu Ihren "
        "Daten bitte dort senden. Fragen können Sie hier weiter stellen.",
        "I cannot set this room so that people invited later cannot read its history. I will "
        "therefore send personal messages (e.g. registration confirmations) to a direct chat of "
        "my own, to which I am inviting you now; please send commands about your data there. "
        "You can keep asking questions here.",
    ),
    "dm_history_opened_by_member": (
        "Der Verlauf dieses Chats ist jetzt auch für später Eingeladene lesbar (Einstellung "
        "„Wer kann den Verlauf lesen“). Deshalb ist er für mich kein privater Direktchat mehr: "
        "Persönliches (z. B. Anmeldebestätigungen, Ihre Daten) schicke ich Ihnen in einem "
        "eigenen Direktchat, den ich dafür öffne. Fragen beantworte ich hier weiter. Soll "
        "dieser Chat wieder privat sein, stellen Sie den Verlauf auf „Nur Mitglieder (ab "
        "Einladung)“ zurück.",
        "The history of this chat can now be read by people invited later (setting “Who can "
        "read history”). So it no longer counts as a private direct chat for me: personal "
        "messages (e.g. registration confirmations, your data) go to a direct chat of my own, "
        "which I open for them. I will keep answering questions here. To make this chat "
        "private again, set its history back to “Members only (since they were invited)”.",
    ),
    "private_reply_moved": (
        "Die Antwort habe ich Ihnen per Direktnachricht geschickt: Dieser Raum ist keine "
        "Direktnachricht mehr.",
        "I sent you the answer by direct message: this room is no longer a direct message.",
    ),
    "dm_opened": (
        "Dies ist Ihr Direktchat mit mir für Persönliches: Anmeldebestätigungen, Ihre Daten und "
        "Befehle dazu.",
        "This is your direct chat with me for personal matters: registration confirmations, "
        "your data and commands about it.",
    ),
    "missing_argument": ("Es fehlt: {name}.", "Missing: {name}."),
    "too_many_arguments": ("Zu viele Angaben: {extra}.", "Too many arguments: {extra}."),
}


def tr(lang: str, key: str, **values: object) -> str:
    de, en = TEXTS[key]
    return (en if lang == "en" else de).format(**values)


def pick(lang: str, de: str, en: str) -> str:
    return en if lang == "en" else de
