"""Secret values in a member's message are masked before anything else sees it.

Members sometimes write the secret they ask about into the question ("Wie ändere ich die PIN
meines Handys, die ist 0815?", "Mein Passwort ist Sommer2024!, ist das sicher?"). A question
is quoted in the reply, kept in the answer log and, when nothing answers it, posted to the
coordination room: the value must reach none of them. So the command handler and the answer
engine mask it first (``mask_secrets``), and every later step only ever has the masked text.

A value is masked when it follows a secret's name (PIN, PUK, TAN, CAN, Passwort, Kennwort,
Geheimzahl, a code to unlock or activate something, their English names): right after it
("PIN 4711", "Passwort: Hallo123"), or after "ist"/"lautet"/"is" within a few words of it in
the same sentence ("die PIN meines Handys, die ist 0815"). After "ist" only a value-like word
(digits, or letters with digits) counts, so that "Mein Passwort ist zu kurz" stays as written;
after "lautet", ":" or "=" any word does ("Das Kennwort lautet Sonnenschein"). Sizes and rules
are no values: "die 6-stellige PIN", "PIN nach 3 Fehlversuchen", "Passwort alle 90 Tage".
"""

from __future__ import annotations

import re

MASK = "•••"

# The secret's name, as the word's end: "PIN", "Bank-PIN", "Ausweis-PIN", "WLAN-Passwort",
# "Passwörter", "Geheimzahl". "TAN" and "CAN" only in capitals or after a hyphen ("can" is
# English, "Titan" a word); "Passwortmanager" or "PIN-Brief" name no value (not the word's end).
_SECRET_NAME = re.compile(
    r"(?:^|-)(?:pins?|puks?)$|^(?:bank|handy|sim|karten|geheim|ausweis|transport|eingabe)pin$"
    r"|-(?:tan|can)s?$"
    r"|(?:passw(?:o|ö)rt|kennw(?:o|ö)rt)(?:e|s|es|er|ern)?$|passwords?$|passwd$|passcodes?$"
    r"|pin-?codes?$|geheimzahl(?:en)?$|(?:zugangs|sperr|entsperr|freischalt|aktivierungs)codes?$",
    re.I,
)
_CAPITAL_SECRET = frozenset({"TAN", "TANs", "CAN"})
# After these, the next word is the value whatever it looks like.
_STRONG_COPULA = frozenset({"lautet", "lautete", "lauten", "heißt", "heisst", ":", "="})
# After these, only a value-like word is.
_COPULA = frozenset({"ist", "war", "is", "was", "sind"}) | _STRONG_COPULA
# How many words after the secret's name a copula may come ("PIN meines Handys, die ist").
_WINDOW = 6
_OPENING = "„“‚‘\"'«»(["
_CLOSING = ".,;:?!)]\"'“”‘’«»"
# Sizes and counts: "6-stellig", "12 Zeichen", "3 Versuche" are the rules, not the value.
_NO_VALUE = re.compile(r"stellig|zeichen|ziffer|versuch|mal$|tage?n?$|jahre?n?$|%", re.I)


def mask_secrets(text: str) -> str:
    """``text`` with each secret value after a secret's name replaced by MASK (idempotent)."""
    tokens = list(re.finditer(r"\S+", text))
    spans: list[tuple[int, int]] = []
    for i, token in enumerate(tokens):
        name = token.group().strip(_OPENING + _CLOSING)
        if not _names_secret(name):
            continue
        # "PIN: 1234" / "Passwort=abc": the name's own colon or sign is a strong copula.
        strong = token.group().rstrip("„“\"'").endswith((":", "="))
        weak = False
        for j in range(i + 1, min(i + 1 + _WINDOW, len(tokens))):
            word = tokens[j].group()
            core_start, core_end = _core(word)
            core = word[core_start:core_end]
            if core.lower() in _COPULA or word in (":", "="):
                strong = strong or core.lower() in _STRONG_COPULA or word in (":", "=")
                weak = True
                continue
            adjacent = j == i + 1 or strong or weak
            if core and adjacent and core != MASK and (strong or _value_like(core)):
                spans.append((tokens[j].start() + core_start, tokens[j].start() + core_end))
                break
            if strong or weak or word.endswith((".", "?", "!", ";")):
                break  # the word after a copula was no value, or the sentence ended
    for start, end in reversed(spans):
        text = text[:start] + MASK + text[end:]
    return text


def _names_secret(word: str) -> bool:
    return word in _CAPITAL_SECRET or bool(_SECRET_NAME.search(word))


def _core(word: str) -> tuple[int, int]:
    """The word without opening quotes and closing punctuation ("„Sommer2024“," → Sommer2024);
    a closing "!" stays when the word has digits: it is likely part of the password."""
    start = len(word) - len(word.lstrip(_OPENING))
    end = len(word.rstrip(_CLOSING))
    if end < len(word) and word[end] == "!" and any(c.isdigit() for c in word[start:end]):
        end += len(word[end:]) - len(word[end:].lstrip("!"))
    return start, max(start, end)


def _value_like(core: str) -> bool:
    """Digits, or letters with digits, of at least four characters: "0815", "Hallo123"."""
    if len(core) < 4 or _NO_VALUE.search(core):
        return False
    return sum(c.isdigit() for c in core) >= 1 and not re.fullmatch(r"\d+[.)]", core)
