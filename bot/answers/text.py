"""German-first text analysis shared by indexing and querying.

FTS5 has no German stemmer, so every text is reduced here to plain ASCII terms (folded,
stemmed, compounds split, synonyms marked) and FTS5 only ever sees those terms. Index and
query must run through the same ``Analyzer`` or nothing matches.
"""

from __future__ import annotations

import hashlib
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from functools import cached_property, lru_cache

import Stemmer
from rapidfuzz.distance import OSA

from bot.answers import frequency
from bot.answers.vocabulary import (
    ABBREVIATIONS,
    ARCHIVING,
    AS_PRIVATE_PERSON,
    BOTS_NAME,
    CHARGE_NOTICE,
    CHAT_WORDS,
    CHITCHAT,
    CITIZENS_ASK,
    CLUB_AS_SUBJECT,
    CLUB_TENDER,
    COLLOQUIAL_YOU,
    CONFLICT_OF_INTEREST,
    CONTACTLESS_PAYMENT,
    DEPARTMENT_NAME,
    DEVICE_KEPT,
    E_INVOICING,
    ENGLISH_FILLER,
    ENGLISH_STOP,
    EVALUATIVE_QUESTION,
    EVALUATIVE_REST,
    EVENT_THEME,
    EVERYDAY_LIFE,
    EVERYDAY_OFF_TOPICS,
    EVERYDAY_ZIPF,
    FOR_THE_CARD,
    FOREIGN_PIN,
    GAME_OR_SCREEN,
    GENERAL_SYNONYMS,
    GENERAL_THINGS,
    GENERAL_THINGS_EN,
    GENERAL_WORDS,
    GENERAL_WORDS_EN,
    GERMAN_FILLER,
    GERMAN_STOP,
    GRANT_WORDS,
    GREETING_TO_ALL,
    HOME,
    HOUSEHOLD,
    HOUSEHOLD_PAPERS,
    I_PAY,
    ID_CARD,
    ILLNESS_WORDS,
    INSURANCE_PROCURED,
    INSURANCE_SCAM,
    IT_WORDS,
    JOB_POSTING,
    LEANING_FOLLOW_UP,
    LEMMAS,
    LINE_WORD,
    MEMBER_OF,
    MEMBERSHIP_WORDS,
    MINE,
    MOBILE_PAYMENT,
    MUNICIPAL_MEMBER,
    MY_BANK,
    MY_HOME_NETWORK,
    MY_INSURANCE,
    MY_INSURER,
    MY_INSURERS_LINE,
    MY_PASSWORD,
    MY_PHONE_SECRET,
    MY_PRIVATE_DEVICE,
    MY_PRIVATE_MAIL,
    MY_VOICE_EN,
    NAMES,
    NETWORK_EVENT,
    NETWORK_GATHERING,
    NETWORK_NAMED,
    NUMBER_ASKED,
    OFFICE_PAYER,
    OFFICE_SLOT,
    OFFICE_TEAM,
    OFFICE_VOICE,
    OFFICIAL_SUBJECTS,
    OTHER_BODY,
    OTHER_LINE_BODY,
    OTHERS_PAPERS,
    OWN_BUSINESS,
    OWN_LINE,
    OWN_NON_WORK,
    OWN_PET,
    OWN_SPHERE,
    OWN_TASTE,
    PASSWORD_DUTY,
    PAY_LATER,
    PERSON_TITLE,
    PERSONAL_PAPERS,
    PLACES,
    POLITENESS,
    PRIVATE_CUSTOMERS,
    PRIVATE_HINTS,
    PRIVATE_PAYMENT,
    PRIVATE_PEOPLE,
    PRIVATE_THINGS,
    PRIVATELY,
    PROCEDURE_WORDS,
    PROCUREMENT_NAMED,
    PUBLIC_CLIENT,
    REGION_LANDSCAPES,
    REGION_PHRASES,
    REGION_PLACES,
    REGION_WORDS,
    RELAY_QUESTION,
    SCAM_CARRIERS,
    SECURITY_WORDS,
    SHOP_AS_PLACE,
    SHOP_KEPT,
    SHOP_PRICE,
    SINGULAR_THINGS,
    SINGULAR_VOICE,
    STAFF_MATTERS,
    TAX_SHOWN,
    THE_ARCHIVE,
    THEME_ON,
    THEME_PLAN,
    THING_SYNONYMS,
    TOPIC_SUBJECTS,
    TRADE_BOOKS,
    TRADE_REGISTRATION,
    TRADER_FOR_THE_PUBLIC,
    TRADER_SELF,
    TRADESMAN,
    TRADESMAN_ASKING,
    TRYING_THE_BOT,
    UTILITY_AS_SENDER,
    VIRUS_WORDS,
    WEATHER_QUESTION,
    WHICH_BODY,
    WORK_AT_HOME,
    WORK_THINGS,
    WORK_USE,
    WORKPLACE,
)

_FOLD = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "ẞ": "ss"})
# A number like 25.000 or 1,5 stays one token; words may be joined by - or / (E-Rechnung, PDF/A).
_TOKEN = re.compile(r"\d+(?:[.,]\d+)*|[a-z0-9]+(?:[-/][a-z0-9]+)*")
_JOINERS = re.compile(r"[-/]")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")

_de = Stemmer.Stemmer("german")
_en = Stemmer.Stemmer("english")

# Fugen elements allowed between compound parts: Rechnung-s-eingang, Bürger-Ø-amt, Karte-n-leser.
_LINKS = ("", "s", "es", "n", "en")
MIN_PART = 4
MIN_COMPOUND = 8

SYNONYM_PREFIX = "zsyn"
# Longer words are not typo-corrected (cost grows with the square of the length).
MAX_TYPO_WORD = 40
CACHE_LIMIT = 50_000

# Words that give a question away as English (ambiguous ones such as "in", "was", "die" left
# out, and "it": German chat writes "it sicherheit" for IT-Sicherheit).
_EN_LIST = frozenset(
    """
    the is are what how do does can i my our we to for of and which when where who have has
    should need use with an there this be from about get does your you which why must
    municipality municipalities town city
    """.split()
)
_DE_LIST = frozenset(
    """
    der das ist wie wann wo wer und ich wir unsere unser fuer mit ein eine einen nicht auch
    bei von zu den dem des im ob kann koennen muss muessen gibt welche welcher welches
    """.split()
)
# Which language a question is in: its stop and filler words of either language, except the
# words both languages use ("was", "an", "so", "also"), and "it", which in a German question is
# IT ("it sicherheitsbeauftragter pflicht?"). The short lists above alone let one English-looking
# word decide: "Was is'n dieses ViR-Nordwest überhaupt, mein Chef hat mich ... geschickt?" was
# answered in English.
_BOTH = (GERMAN_STOP | GERMAN_FILLER | _DE_LIST) & (ENGLISH_STOP | ENGLISH_FILLER | _EN_LIST)
_EN_MARKERS = (ENGLISH_STOP | ENGLISH_FILLER | _EN_LIST) - _BOTH - {"it"}
_DE_MARKERS = (GERMAN_STOP | GERMAN_FILLER | _DE_LIST) - _BOTH


def analysis_signature() -> str:
    """Changes whenever a word list (vocabulary.py) changes, so stored indexes get rebuilt."""
    lists = (
        sorted(GERMAN_STOP),
        sorted(GERMAN_FILLER),
        sorted(ENGLISH_STOP),
        sorted(ENGLISH_FILLER),
        sorted(_STOP_PLAIN),
        sorted(_EN_MARKERS),
        sorted(_DE_MARKERS),
        GENERAL_SYNONYMS,
        THING_SYNONYMS,
        sorted(LEMMAS.items()),
        sorted(NAMES.items()),
        _LINKS,
        MIN_PART,
        MIN_COMPOUND,
    )
    return hashlib.sha256(repr(lists).encode()).hexdigest()[:12]


def fold(text: str) -> str:
    """Lowercase, umlauts to ae/oe/ue, ß to ss, other accents dropped: "Straße" == "strasse"."""
    # The same question (≤ 1,000 characters) is folded by dozens of rules, about 80 times per
    # question: those are cached; longer texts (entries' bodies at load) are not kept.
    return _fold_short(text) if len(text) <= FOLD_CACHED_LENGTH else _fold(text)


FOLD_CACHED_LENGTH = 1000


@lru_cache(maxsize=512)  # keyed on members' text: kept small (at most ~1 MB)
def _fold_short(text: str) -> str:
    return _fold(text)


def _fold(text: str) -> str:
    text = text.lower().translate(_FOLD)
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def tokenize(text: str) -> list[str]:
    """Folded surface tokens; numbers lose their separators (25.000 -> 25000)."""
    return list(_tokenize(text))


@lru_cache(maxsize=16384)
def _tokenize(text: str) -> tuple[str, ...]:
    out = []
    for tok in _TOKEN.findall(fold(text)):
        if tok[0].isdigit() and ("." in tok or "," in tok) and _NUMBER.fullmatch(tok):
            tok = tok.replace(".", "").replace(",", "")
        out.append(tok)
    return tuple(out)


def release_build_caches() -> None:
    """Empty the caches that indexing fills with the knowledge base's own texts (the tokens of
    every entry body, the stems of every compound part tried, every phrasing's shape): the
    functions are pure, so only memory changes (≈ 12 MB after a rebuild, ≈ 8 MB after loading a
    stored index); questions fill them again."""
    for cached in (_tokenize, stem_de, stem_en, _core_shape):
        cached.cache_clear()


def looks_english(text: str) -> bool:
    toks = tokenize(text)
    en = sum(t in _EN_MARKERS for t in toks)
    de = sum(t in _DE_MARKERS for t in toks)
    return en > de and en >= 1


@lru_cache(maxsize=65536)
def stem_de(word: str) -> str:
    lemma = LEMMAS.get(word)
    if lemma is not None:
        word = lemma  # "Viren" is a "Virus", not the network "ViR" (vocabulary.LEMMAS)
    stem = _de.stemWord(word)
    # Snowball keeps participles of -ieren verbs whole; "archiviert" should meet "Archivierung".
    if stem.endswith("iert") and len(stem) > 6:
        stem = stem[:-1]
    # ... and cuts the infinitive shorter: "archivieren" -> archivi, not archivier.
    elif stem.endswith("i") and len(stem) > 5 and word.endswith(("ieren", "iere", "ierst")):
        stem += "er"
    return stem


@lru_cache(maxsize=65536)
def stem_en(word: str) -> str:
    return _en.stemWord(word)


_STOP = GERMAN_STOP | GERMAN_FILLER | ENGLISH_STOP | ENGLISH_FILLER


def is_stop(word: str) -> bool:
    # Also written without its umlauts: "fur", "uber", "konnen" (chat, foreign keyboards).
    # Other words need no such rule: their stems meet ("Burgeramt" is stemmed like
    # "Bürgeramt"), but stop words are looked up as written.
    return word in _STOP or word in _STOP_PLAIN


# An all-caps stop word is an abbreviation: the CAN of the ID card, the IT of "IT und Recht".
_CAPS = re.compile(r"(?<![\w-])[A-ZÄÖÜ]{2,5}(?![\w-])")


def kept_abbreviations(text: str) -> frozenset[str]:
    """Stop words written in capitals in ``text`` (not when the whole text is shouted)."""
    caps = _CAPS.findall(text)
    if not caps:
        return frozenset()
    letters = [c for c in text if c.isalpha()]
    if len(caps) >= 3 and sum(c.isupper() for c in letters) > 0.5 * len(letters):
        return frozenset()
    return frozenset(t for t in (fold(c) for c in caps) if is_stop(t))


_GREETING = (
    r"(?:hallo|hallöchen|hi|hey|hej|moin(?:\s+moin)?|servus|tach|guten\s+(?:morgen|tag|abend)"
    r"|liebe[rs]?|hello|good\s+(?:morning|afternoon|evening)|dear"
    # A social formula, not a question: its "meet" would otherwise read as the network's
    # meetings ("Hello, nice to meet you!" was answered with them, held-out set 27).
    r"|(?:nice|pleased|glad|great)\s+to\s+meet\s+you"
    # ... and its German forms ("Schön, Sie kennenzulernen!", "Freut mich!"): declined as
    # chit-chat, not passed on to the coordination as an open question.
    r"|(?:sehr\s+)?(?:sch(?:ö|oe)n|nett|freut\s+mich)\s*,?\s*(?:dich|sie|euch)\s+kennen\s*zu\s*lernen"
    r"|freut\s+mich(?:\s+sehr)?)"
)
# "Hallo zusammen," / "Moin!" / "Hallo ViR-Bot," at the start: up to three more words, then
# a comma, colon or "!" (never "?": "Hallo, wie hoch ist ...?" keeps its question).
_LEAD = re.compile(rf"^\s*(?:{_GREETING}\b(?:[ \t]+[^\s,:;!?.]+){{0,3}}\s*[,:;!.]+\s*)+", re.I)
# "Viele Grüße, Anna" / "Danke schon mal!" / "LG" at the end, at most four more words.
_TAIL = re.compile(
    r"(?:^|(?<=[\s,.!;:]))(?:(?:viele|liebe|beste|freundliche|herzliche|schöne|sonnige)\s+)?"
    r"(?:grüße|grüsse|gruesse|gruß|gruss|lg|vg|mfg|cheers|regards|best\s+regards|kind\s+regards"
    r"|thanks(?:\s+a\s+lot)?|many\s+thanks|thank\s+you(?:\s+very\s+much)?|thx"
    r"|danke(?:\s+schön|\s+sehr)?|dankeschön|vielen\s+dank|besten\s+dank|merci)\b"
    r"(?P<rest>(?:[\s,.!;:]+[^\s,.!?;:]+){0,4})[\s,.!;:]*$",
    re.I,
)
_QUESTION_WORDS = frozenset(
    "wie was wann wo wer wen wem welche welcher welches warum wieso ob how what when where "
    "who which why".split()
)


def strip_chatter(text: str) -> str:
    """Cut a leading salutation and a trailing sign-off (with the name after it), and chat
    idioms that only say how the asker feels about the question."""
    text = _LEAD.sub("", text, count=1)
    m = _TAIL.search(text)
    if m and not _QUESTION_WORDS.intersection(tokenize(m.group("rest"))):
        text = text[: m.start()]
    # An idiom alone ("Ich blick da nich durch") leaves nothing to answer: chatter.
    return _STUFF_TAIL.sub(_stuff_head, _IDIOMS.sub(" ", text))


def _stuff_head(m: re.Match[str]) -> str:
    # "Papierkram" and "Bürokram" are words of their own (code review of round 35: "den
    # Papierkram in der Verwaltung" was answered from the entry on running without paper).
    return m.group(0) if fold(m.group("head")) in _OWN_STUFF_WORDS else m.group("head")


# Chat German names a thing with a tail that only means "stuff": "der E-Vergabe-Kram",
# "Ausschreibungskram", "so'n XML-Ding", "E-Rechnungs-Gedöns". The thing is the head; the
# tail, an unknown word of the highest weight, declined such questions (sets 14-28: 12
# on-topic questions). "Zeug" and "Ding" only after a hyphen: "Fahrzeug", "Werkzeug" and
# "Bedingung" are words of their own.
_OWN_STUFF_WORDS = frozenset({"papier", "buero", "klein", "krims", "haus", "hausrat", "alltags"})
_STUFF_TAIL = re.compile(
    r"(?P<head>\b[^\W\d_][\w/]*?[^\W\d_])(?:-?(?:kram|gedöns|gedoens|krempel)"
    r"|-(?:zeugs?|dinger|dings|ding))\b",
    re.I,
)


# Chat idioms of not knowing or of coming along ("blick da nich durch", "null Plan", "will
# mich da mal blicken lassen") and an interjection before a comma ("alter, ..."). Their
# words are no subject: "blick" and "Plan" weighed as things the entry had to cover (set 34:
# three questions declined so). Each needs the idiom's own frame (the verb with "ich" or
# "da", "kein Plan" before a question word or a stop), so that "der Check läuft nicht
# durch", "keinen Plan für den Notfall" and "Alter: ..." keep their nouns (REVIEW-33-code).
_NOT_GETTING = r"(?:blick|blicke|blicks|check|checke|checks|raff|raffe|peil|peile)"
_NO_CLUE = r"(?:keinen|kein|keen|keenen)\s+(?:plan|peil|schimmer)|keine\s+ahnung"
_REALLY = r"(?:echt|absolut|überhaupt|ueberhaupt|uberhaupt|wirklich)"
_ASKED_NEXT = r"\s+(?:was|wat|wie|wo|wann|ob|wer|welche\w*|davon|dazu)\b"
# "..., keinen Plan, wie ..." but not "Gibt es keinen Plan?" (a plan, asked for).
_WHO_WHAT = rf"(?=\s*,|{_ASKED_NEXT})"
_WHAT_NEXT = rf"(?=\s*(?:[,;:.!?)–-]|$)|{_ASKED_NEXT})"
_IDIOMS = re.compile(
    rf"(?<![\w-])(?:ich\s+{_NOT_GETTING}|{_NOT_GETTING}\s+ich|{_NOT_GETTING}(?=\s+(?:da|dat|das)\b))"
    r"\s+(?:(?:da|das|dat|es)\s+)?"
    r"(?:(?:echt|einfach|gar|ueberhaupt|überhaupt|uberhaupt|immer\s+noch)\s+)?"
    r"(?:nich|nicht|net|nit|nix)(?:\s+(?:mehr|so\s+ganz|ganz))?(?:\s+durch)?\b"
    r"|\bnull\s+(?:plan|peil|schimmer)\b"
    rf"|\b(?:ich\s+)?(?:hab|habe)\s+(?:{_REALLY}\s+)?(?:{_NO_CLUE}){_WHAT_NEXT}"
    rf"|(?:^|(?<=[,;:.!?–-]))\s*(?:{_REALLY}\s+)?(?:{_NO_CLUE}){_WHO_WHAT}"
    r"|\b(?:ich\s+)?(?:will|wollte|möchte|moechte|mochte|würde|wuerde|wurde)\s+mich\s+"
    r"(?:(?:da|dort)\s+)?(?:(?:mal|auch|gern|gerne)\s+)*blicken\s+lassen\b"
    r"|^\s*(?:alter|digga|digger|junge|mensch|oh\s+mann|boah|boa)\s*[,!]"
    # A curse after the interrogative ("was zum Geier ist xdomea?", set 48: "Geier", a word
    # no entry has, sank the answer to 0.39), and "in aller Welt".
    r"|(?:(?<=\bwas)|(?<=\bwer)|(?<=\bwie)|(?<=\bwo)|(?<=\bwann)|(?<=\bwarum)|(?<=\bwieso))"
    r"\s+(?:zum\s+(?:geier|teufel|henker|kuckuck|donnerwetter|fuchs)|in\s+aller\s+welt)\b"
    # ... English only after an English interrogative ("Wie hell muss das Foto sein?" asks
    # how bright, review REVIEW-47-code).
    r"|(?:(?<=\bwhat)|(?<=\bwho)|(?<=\bhow)|(?<=\bwhere)|(?<=\bwhy))\s+the\s+(?:hell|heck)\b"
    # Where one heard of it ("..., hab ich in der Schulung gehört"), as a clause of its own.
    r"|(?:^|(?<=[,;:.!?–-]))\s*(?:hab|habe)\s+ich\s+"
    r"(?:(?:neulich|mal|gestern|heute|kürzlich|kuerzlich)\s+)*(?:in|auf|bei)\s+"
    r"(?:der|dem|einer|einem|nem|ner)\s+[^\W\d_]+\s+(?:gehört|gehoert|gehort|gelesen)\b"
    # ... also without "ich" or with the word heard ("? hab das wort im meeting gehört"), if
    # nothing follows but "und ..." or the end of the sentence: "Habe im Fernsehen gehört,
    # die sei gehackt." says what was heard (code review of round 35).
    r"|(?:^|(?<=[,;:.!?–-]))\s*(?:hab|habe)\s+(?:ich\s+)?"
    r"(?:(?:das|es|davon|das\s+wort|den\s+begriff)\s+)?"
    r"(?:(?:neulich|mal|gestern|heute|kürzlich|kuerzlich)\s+)*"
    r"(?:(?:in|auf|bei)\s+(?:der|dem|einer|einem|nem|ner)|im|beim)\s+[^\W\d_]+\s+"
    r"(?:gehört|gehoert|gehort|gelesen)\b(?=\s*(?:[.!?]|$|und\b))",
    re.I,
)


# "3x", "3-mal", "3mal" (not "3 mal": "Art. 3 mal erklären" is the particle), not before a
# number ("3x4" is arithmetic) nor after one ("2-3x").
_TIMES = re.compile(r"(?<![\d.,-])\b([1-9])(?:x|-?mal)\b(?!\s*[\d(-])", re.I)
_TIMES_WORDS = "ein zwei drei vier fünf sechs sieben acht neun".split()


# "voll" as chat's intensifier: before an adjective or participle ("voll anstrengend", "voll
# nervig", "voll lästig") or after "nervt" ("nervt voll"), not "full" ("Ist der Workshop voll?",
# which the waiting list's entry answers). Case-insensitive, on the text as written.
_INTENSIFIER_VOLL = re.compile(
    r"\bvoll\s+(?=[^\W\d_]+(?:end|ig|igen?|lich|isch|bar|sam|los|iert|kompliziert)\b)"
    r"|(?<=\bnervt)\s+voll\b",
    re.IGNORECASE,
)


def without_intensifiers(text: str) -> str:
    """``text`` without chat's intensifier "voll" (``_INTENSIFIER_VOLL``): set 50's "nervt voll"
    and "voll anstrengend" found the plenum's waiting list by that word alone."""
    return _INTENSIFIER_VOLL.sub(" ", text)


def times_in_words(text: str) -> str:
    """A count written "3x" or "3-mal" as the word the knowledge base writes ("dreimal"): chat
    writes the digit, and a bare digit is no search term."""
    return _TIMES.sub(lambda m: f"{_TIMES_WORDS[int(m.group(1)) - 1]}mal", text)


# A typo index's key leads to its one word (nearly always) or to a tuple of several.
TypoIndex = dict[str, str | tuple[str, ...]]


def _typo_index(words: Iterable[str], alpha_only: bool = True) -> TypoIndex:
    """Typo candidates (SymSpell style): every word of at least 5 letters and each of its
    single deletions -> the words. Not a set per key (that tripled the index's memory, ≈ 16 MB
    for the knowledge base's words), nor a tuple: 67,864 of 69,591 keys have one word, which
    is kept as the word itself (≈ 4 MB less than one-word tuples)."""
    index: TypoIndex = {}
    for w in words:
        if len(w) >= 5 and (w.isalpha() or not alpha_only):
            for key in _deletes(w) | {w}:
                had = index.get(key)
                index[key] = w if had is None else (had, w) if isinstance(had, str) else (*had, w)
    return index


def _typo_candidates(index: TypoIndex, keys: Iterable[str]) -> set[str]:
    """The words of ``index`` under any of ``keys``."""
    cands: set[str] = set()
    for key in keys:
        found = index.get(key)
        if isinstance(found, str):
            cands.add(found)
        elif found is not None:
            cands.update(found)
    return cands


def _plain_typo(word: str, index: TypoIndex, changed_from: int = 0) -> bool:
    """``word`` is one dropped, doubled or swapped letter away from a word of ``index``; a
    changed letter is more often another word ("Wetter" is no "weiter"), except in words of
    at least ``changed_from`` letters (0: never)."""
    return bool(_plain_typos_of(word, index, changed_from))


def _plain_typos_of(word: str, index: TypoIndex, changed_from: int = 0) -> frozenset[str]:
    """The words of ``index`` that ``word`` is a plain typo of (see ``_plain_typo``)."""
    if len(word) < 5 or not word.isalpha():
        return frozenset()
    keys = {word} | _deletes(word)
    cands = _typo_candidates(index, keys)
    changed = 0 < changed_from <= len(word)
    return frozenset(
        c
        for c in cands
        if c[0] == word[0]
        and osa_distance(word, c, 1) <= 1
        and (changed or len(c) != len(word) or sorted(c) == sorted(word))
    )


@lru_cache(maxsize=16384)
def is_stop_typo(word: str) -> bool:
    """A misspelt stop or filler word: "eigentlcih", "jmeand", "bedeuett", and short ones
    missing a letter of a double letter or their last one: "kan", "wan", "jetz"."""
    if is_stop(word):
        return False
    if len(word) <= MAX_SINGLED and word in _STOP_SINGLED:
        # ... unless it is a word of its own ("Stil", "hate").
        return not is_everyday(word, True)
    # A long filler word with a changed letter is no other word: "überhaubt", "eigendlich".
    return _plain_typo(word, _STOP_TYPOS, LONG_STOP_TYPO)


def is_general_typo(word: str) -> bool:
    """A misspelt everyday word: "brrauche", "funktionirt"."""
    return bool(general_typos_of(word))


def general_typo_of(word: str) -> str | None:
    """The everyday word ``word`` misspells ("antowrt" -> antwort), or None; None too if it
    may misspell several ("amelden": anmelden or abmelden, "wohen": wohnen or wochen)."""
    meant = general_typos_of(word)
    return next(iter(meant)) if len(meant) == 1 else None


@lru_cache(maxsize=16384)
def general_typos_of(word: str) -> frozenset[str]:
    """The everyday words ``word`` may misspell ("brrauche" -> brauche)."""
    return frozenset() if is_general(word) else _plain_typos_of(word, _GENERAL_TYPOS)


# The bot's names are filler when the member addresses it ("Hallo Bot, ...", "Bist du ein
# Bot?"); after a definite article or a possessive they name it as the subject asked about
# ("Was weiß der Bot alles?", "Speichert euer Bot meine Fragen?").
_BOT_NAMES = frozenset("bot bots vir-bot virbot chatbot chat-bot".split())
_DEFINITE = frozenset(
    "der den dem des dieser diesen diesem dieses euer eure euren eurem eurer the this your".split()
)


def content_tokens(text: str) -> list[str]:
    """Folded tokens without stop words (abbreviations in capitals and the bot's name as a
    subject are kept)."""
    keep = kept_abbreviations(text)
    toks = tokenize(text)
    # A single letter says nothing ("z. B.", "d. h."); the "E" of E-Rechnung is in its token.
    out = []
    for i, t in enumerate(toks):
        if t in _BOT_NAMES and i > 0 and toks[i - 1] in _DEFINITE:
            out.append("bot")  # "dieser Chatbot" is the bot, whatever the knowledge calls it
        elif (not is_stop(t) or t in keep) and not (len(t) == 1 and t.isalpha()):
            out.append(t)
    return out


# "Was kannst du eigentlich alles?", "Wobei kannst du mir helfen?", "What can you do?": a
# question on what the bot can do, nothing else asked. Also colloquial ("Wat kannste so?") and
# asked from the member's side ("Was kann ich dich fragen?", "Was können wir Sie fragen?",
# "What can I ask you?"). "wat"/"watt" are "was" ("Watt ist eine Kilowattstunde?" has no verb
# of the list after it). "wie" opens only the du-forms ("Wie hilfst du mir?"): "Wie kannste
# nur?" is a reproach.
_YOU_DE = r"(?:kannst|koenntest|weisst|machst|hilfst|beantwortest)\s+du\b"
_ASK_YOU_DE = (
    r"(?:kann|koennte|soll|sollte|darf|duerfen|koennen|sollen)\s+(?:ich|man|wir)\s+"
    r"(?:dich|euch|sie|ihnen)\b"
)
_COLLOQUIAL_YOU = "|".join(COLLOQUIAL_YOU)
_CAN_YOU = re.compile(
    r"^\s*(?:und|also|sag\s+mal)?[\s,]*(?:"
    rf"(?:was|watt?|wobei|womit|wozu|wofuer|worueber)\s+(?:{_YOU_DE}|(?:{_COLLOQUIAL_YOU})\b"
    rf"|{_ASK_YOU_DE})|wie\s+(?:{_YOU_DE}|{_ASK_YOU_DE}))(?P<de>.*)$"
    r"|^\s*(?:so\s+)?(?:what|how)\s+(?:(?:can|could|do)\s+you\b"
    r"|(?:can|could|should|may)\s+i\s+ask(?:\s+you)?\b)(?P<en>.*)$"
)
# What may follow the verb in such a question: nothing that names a thing or a time ("Wie
# kannst du das wissen?", "Was machst du gerade?" are chit-chat, not questions on the bot).
_CAN_YOU_REST = frozenset(
    """
    so alles eigentlich denn hier ueberhaupt mir uns fragen helfen noch sonst genau ueberall
    und was nicht nich
    all about for me us with here really actually else do help answer and not
    """.split()
)


def asks_what_the_bot_can(text: str) -> bool:
    """A question on what the bot can do, put to it in the second person or asked from the
    member's side, with nothing else asked ("Was kannst du mir über die E-Rechnung sagen?"
    names a subject; "Wie kannst du das wissen?" is chit-chat)."""
    # Each sentence such a question ("Wat kannste so? Wozu soll ich dich überhaupt fragen?").
    # Split at every end mark, not by split_sentences: that keeps a lower-case remark after a
    # question mark with it, and chat writes "wat kannste so? wozu …" in lower case.
    sentences = [s for s in re.split(r"[?!.]+", fold(strip_chatter(text))) if re.search(r"\w", s)]
    return bool(sentences) and all(_asks_the_bot(s) for s in sentences)


def _asks_the_bot(sentence: str) -> bool:
    m = _CAN_YOU.match(sentence.strip(" \t\n"))
    if m is None:
        return False
    rest = tokenize(m.group("de") if m.group("de") is not None else m.group("en"))
    return all(t in _CAN_YOU_REST for t in rest)


@lru_cache(maxsize=65536)
def is_general(tok: str) -> bool:
    """An everyday word (GENERAL_WORDS, general synonyms, a year) that names no topic."""
    forms = _forms(tok)
    return bool(forms) and all(_general_form(f) for f in forms)


@lru_cache(maxsize=65536)
def is_thing(tok: str) -> bool:
    """A general word that names a subject of its own (GENERAL_THINGS: "Fotos", "Auto")."""
    forms = _forms(tok)
    return bool(forms) and all(
        f in _THINGS or stem_de(f) in _THINGS_DE or stem_en(f) in _THINGS_EN for f in forms
    )


@lru_cache(maxsize=65536)
def only_a_thing(tok: str) -> bool:
    """General only as an everyday thing (GENERAL_THINGS: "Schulen", "Steuern"), not as an
    everyday word of GENERAL_WORDS or a general synonym."""
    forms = _forms(tok)
    return is_thing(tok) and not any(
        f in _WORDS_ONLY or stem_de(f) in _WORDS_ONLY_DE or stem_en(f) in _WORDS_ONLY_EN
        for f in forms
    )


def lower_case_words(text: str) -> frozenset[str]:
    """Folded words written in lower case somewhere in ``text`` and never with a capital."""
    words = _WORD.findall(text)
    capital = {fold(w) for w in words if w[0].isupper()}
    return frozenset(fold(w) for w in words if w[0].islower()) - capital


def _general_form(form: str) -> bool:
    if form.isdigit():
        return len(form) == 4 and 1900 <= int(form) <= 2100  # a year
    return form in _GENERAL or stem_de(form) in _GENERAL_DE or stem_en(form) in _GENERAL_EN


_GENERAL_SYN = frozenset(
    _JOINERS.sub("", t) for group in GENERAL_SYNONYMS for t in group if " " not in t
)
_THINGS = GENERAL_THINGS | GENERAL_THINGS_EN
_GENERAL = GENERAL_WORDS | GENERAL_WORDS_EN | _GENERAL_SYN | _THINGS


def surface_words(texts: Iterable[str]) -> set[str]:
    """The vocabulary compounds are split against: every simple word of the given texts."""
    words: set[str] = set()
    for text in texts:
        for tok in tokenize(text):
            for part in _JOINERS.split(tok):
                if len(part) >= MIN_PART and part.isalpha() and not is_stop(part):
                    words.add(part)
            # The joined form too, so typos in "Onlineausweisfunktion" can be corrected.
            joined = _JOINERS.sub("", tok)
            if joined != tok and len(joined) >= MIN_COMPOUND and joined.isalpha():
                words.add(joined)
    return words


def osa_distance(a: str, b: str, limit: int) -> int:
    """Optimal-string-alignment distance (adjacent swaps count 1); limit + 1 once exceeded.
    rapidfuzz computes it in C (measured ~170x faster than the former pure-Python loop, same
    results), which matters for questions with several misspelt long words."""
    return OSA.distance(a, b, score_cutoff=limit)


def _drops_double(word: str, cand: str) -> bool:
    """``word`` is ``cand`` with one letter of a double letter left out: a common typo."""
    return len(cand) == len(word) + 1 and any(
        cand[i] == cand[i - 1] and cand[:i] + cand[i + 1 :] == word for i in range(1, len(cand))
    )


def _deletes(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


@dataclass(frozen=True)
class Unit:
    """One content word of a question; covered by a document if ``whole`` or its parts match.

    ``parts`` holds one set of alternative terms per compound part; ``weight`` is below 1 for
    words that were only guessed by typo correction. ``general`` marks everyday words that can
    support an answer but never decide it on their own (see GENERAL_WORDS).
    """

    surface: str
    whole: frozenset[str]
    parts: tuple[frozenset[str], ...] = ()
    weight: float = 1.0
    general: bool = False
    thing: bool = False  # a general word naming a subject of its own (text.GENERAL_THINGS)
    # The decisive (domain) terms among ``whole`` and per part: see Analyzer.decisive.
    key: frozenset[str] = frozenset()
    key_parts: tuple[frozenset[str], ...] = ()
    # Known to the index (directly, split, synonym or corrected).
    known: bool = False
    # An everyday word found by its frequency (is_everyday) or case, not by the word lists.
    everyday: bool = False
    # From a sentence around the question itself ("Wir sind eine kleine Gemeinde ... Ab wann
    # müssen wir ...?"): it may support an answer but weighs CONTEXT_WEIGHT (see Query.focus).
    context: bool = False
    # A common word of the language that some phrasing of the knowledge base happens to use
    # ("gemeint", "gelten"): it searches, but weighs engine.COMMON_WEIGHT in coverage.
    common: bool = False
    # Not the word as written: respelt to a common word ("Murks" -> "Marks", see
    # Analyzer.respell). Such a guess may find an answer but never rule one out.
    guessed: bool = False
    # Names the theme of a gathering of the network the story tells of ("ein Workshop zur
    # E-Rechnung"): what the gathering is about, not what is asked about it. Always context,
    # never the question's subject nor a hint at its topic.
    theme: bool = False
    # An everyday thing of a story that an evaluative question after it judges ("das
    # Passwort" before "Ist das noch aktuell?"): it decides, but only for the story's practice
    # (engine._misses_practice).
    told: bool = False

    @property
    def decides(self) -> bool:
        """The word has a decisive term, as a whole (``key``) or in a part (``key_parts``)."""
        return bool(self.key) or any(self.key_parts)

    @property
    def terms(self) -> frozenset[str]:
        out = set(self.whole)
        for p in self.parts:
            out |= p
        return frozenset(out)

    def coverage(self, doc_terms: frozenset[str] | set[str]) -> float:
        if not self.whole.isdisjoint(doc_terms):
            return 1.0
        if not self.parts:
            return 0.0
        return sum(not p.isdisjoint(doc_terms) for p in self.parts) / len(self.parts)

    def anchor(self, doc_terms: frozenset[str] | set[str]) -> float:
        """Like ``coverage``, but only decisive terms count."""
        if not self.key.isdisjoint(doc_terms):
            return 1.0
        if not self.key_parts:
            return 0.0
        return sum(not p.isdisjoint(doc_terms) for p in self.key_parts) / len(self.key_parts)


@dataclass(frozen=True)
class Query:
    text: str
    english: bool
    units: tuple[Unit, ...]
    known: int  # units whose words exist in the index (directly, split, synonym or corrected)
    # Chit-chat, arithmetic or letters without a word: nothing to answer and nothing to forward.
    chatter: bool = False
    # The question sentence (the whole question if it has no context around it).
    focus_text: str = ""
    # The question sentence points back at the context ("davor", "so eine Datei").
    refers_back: bool = False
    # A short evaluative question judges the story before it ("Ist das noch aktuell?",
    # text.evaluates_story): its story's practice must be the entry's (engine._misses_practice).
    judges_story: bool = False

    @property
    def focus(self) -> tuple[Unit, ...]:
        """The units of the question sentence itself (all units if there is no context)."""
        return tuple(u for u in self.units if not u.context) or self.units

    @property
    def context_weight(self) -> float:
        """Weight of a word from the sentences around the question sentence: CONTEXT_WEIGHT,
        less if the context is longer than the question, so that all of it together never
        weighs more than CONTEXT_WEIGHT times the question sentence."""
        context = len(self.units) - len(self.focus)
        weight = BACK_REFERENCE_WEIGHT if self.refers_back else CONTEXT_WEIGHT
        return weight * min(1.0, len(self.focus) / context) if context else 1.0

    @property
    def known_share(self) -> float:
        """Share of the question sentence's words that the index knows; everyday words the
        index does not know ("tatsächlich") count neither way."""
        focus = [u for u in self.focus if u.known or not u.general or u.thing] or self.focus
        return sum(u.known for u in focus) / len(focus) if focus else 0.0

    @property
    def terms(self) -> list[str]:
        """Search terms: those of the question sentence first, then the context's."""
        seen: dict[str, None] = {}
        for u in sorted(self.units, key=lambda u: u.context):
            for t in sorted(u.terms):
                seen.setdefault(t, None)
        return list(seen)

    @property
    def focus_terms(self) -> list[str]:
        """Search terms of the question sentence without everyday words (BM25 would weigh
        "Bürger" like "AusweisApp"), unless nothing else is left."""
        # A question pointing back at its context ("davor") searches with the context too.
        focus = self.units if self.refers_back else self.focus
        units = [u for u in focus if not u.general] or focus
        seen: dict[str, None] = {}
        for u in units:
            for t in sorted(u.terms):
                seen.setdefault(t, None)
        return list(seen)


class Analyzer:
    """Turns text into index terms; owns the vocabulary for compound splitting and typos."""

    def __init__(self, vocabulary: Iterable[str], synonyms: Sequence[Sequence[str]] = ()) -> None:
        self.words = frozenset(vocabulary)
        self.stems = frozenset(stem_de(w) for w in self.words)
        self.morphemes = _learn_heads(self.words)
        # Terms actually in the index (set by the engine after indexing): "is this word known?"
        self.index_terms: set[str] = set()
        # ... and those in an entry's title, question phrasings or keywords (not only a body).
        self.head_terms: set[str] = set()
        # Terms that can decide a topic (set by the engine): keywords, synonyms and the like
        # (key_terms), never everyday words. An answer needs one of them to match.
        self.decisive: set[str] = set()
        # The synonym concepts of the topics' names ("E-Vergabe", "115"; set by the engine).
        self.topic_words: set[str] = set()
        # The topics whose entries use a term (set by the engine: engine._State.term_topics),
        # and from how many on a term names no subject of its own ("Schritte", "Anforderungen");
        # 0: every decisive word names one.
        self.term_topics: dict[str, set[str]] = {}
        self.common_topics = 0
        self._split_cache: dict[str, tuple[str, ...] | None] = {}
        self._typo_cache: dict[str, tuple[str, int] | None] = {}
        self._fuzzy_cache: dict[str, tuple[str, ...] | None] = {}
        # Synonym terms become stem tuples; a match adds the group's concept term.
        self._syn: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        # The concepts of vocabulary.THING_SYNONYMS: they hold only in a story whose things
        # decide (Analyzer.query: "Gutscheine" after a boss's mail, not a citizen's fees).
        self.thing_concepts = frozenset(
            f"{SYNONYM_PREFIX}{idx}"
            for idx, group in enumerate(synonyms)
            if tuple(group) in THING_SYNONYMS
        )
        for idx, group in enumerate(synonyms):
            concept = f"{SYNONYM_PREFIX}{idx}"
            for term in group:
                seq = tuple(stem_de(_JOINERS.sub("", t)) for t in tokenize(term) if not is_stop(t))
                if seq:
                    self._syn.setdefault(seq[0], []).append((seq, concept))
        # Proper names (vocabulary.NAMES): a term of the name's own, rare in the index and so
        # weighty; what decides is the name's synonym group, which its spellings are in too.
        for name, spellings in NAMES.items():
            concept = f"{SYNONYM_PREFIX}{name}"
            for spelling in spellings:
                self._syn.setdefault(stem_de(spelling), []).append(((stem_de(spelling),), concept))
        self._typo_index = _typo_index(self.words, alpha_only=False)
        # The common German words for respell(): loaded with the index (≈ 80 ms, ≈ 5 MB), not
        # by the first member's question, so start-up memory shows it too.
        _common_german()

    # -- basic pieces ---------------------------------------------------------------------------

    def split(self, word: str) -> tuple[str, ...] | None:
        """Split a long word into known words: rechnungseingangsplattform -> rechnung|eingang|..."""
        if len(word) < MIN_COMPOUND or not word.isalpha():
            return None
        if word in self._split_cache:
            return self._split_cache[word]
        if len(self._split_cache) > CACHE_LIMIT:  # questions bring endless new words
            self._split_cache.clear()
        # Unknown words may split into short parts; a word the index knows only into longer ones,
        # so "Plattform" does not turn into "platt" + "form".
        known = word in self.words or stem_de(word) in self.stems
        result = self._split(word, MIN_PART + 1 if known else MIN_PART)
        if result is not None:
            fine: list[str] = []
            for part in result:
                sub = self._split(part, MIN_PART + 1) if len(part) >= MIN_COMPOUND else None
                fine.extend(sub or (part,))
            result = tuple(fine)
        self._split_cache[word] = result
        return result

    def _split(self, word: str, min_part: int) -> tuple[str, ...] | None:
        n = len(word)
        # best[i] = fewest parts covering word[:i], with the parts themselves.
        best: list[tuple[str, ...] | None] = [None] * (n + 1)
        best[0] = ()
        for i in range(n):
            prefix = best[i]
            if prefix is None:
                continue
            for j in range(i + min_part, n + 1):
                part = word[i:j]
                # The word itself is no split.
                if j - i == n or not self._known_part(part):
                    continue
                for link in _LINKS:
                    end = j + len(link)
                    if end > n or (link and (word[j:end] != link or end == n)):
                        continue
                    cand = (*prefix, part)
                    cur = best[end]
                    if cur is None or len(cand) < len(cur):
                        best[end] = cand
        return best[n]

    def _known_part(self, part: str) -> bool:
        return not is_stop(part) and (
            part in self.words or part in self.morphemes or stem_de(part) in self.stems
        )

    def correct(self, word: str) -> str | None:
        """Closest vocabulary word for a misspelt one (Langzeitarchiverung), or None."""
        fixed = self.correction(word)
        return fixed[0] if fixed else None

    def correction(self, word: str) -> tuple[str, int] | None:
        """``correct`` with the edit distance."""
        if not 5 <= len(word) <= MAX_TYPO_WORD or not word.isalpha():
            return None
        if word in self._typo_cache:
            return self._typo_cache[word]
        if len(self._typo_cache) > CACHE_LIMIT:
            self._typo_cache.clear()
        limit = 2 if len(word) >= 10 else 1
        keys = {word} | _deletes(word)
        if limit == 2:
            keys |= {d2 for d in list(keys) for d2 in _deletes(d)}
            # Not found: a word with two letters left out ("vergabplatform"). Putting one back
            # (round 38) also made rare real words knowledge words ("Nachbereitung" ->
            # Nachbearbeitung, "verschusselt" -> verschlüsselt, "Verwaltungssitz"): reverted.
        cands = _typo_candidates(self._typo_index, keys)
        best: tuple[tuple[int, bool, bool, int, str], str, int] | None = None
        for cand in cands:
            # Typos in the first letter are rare; requiring it keeps "Wetter" from becoming noise.
            if cand[0] != word[0]:
                continue
            dist = osa_distance(word, cand, limit)
            if dist > limit:
                continue
            # Ties: one of a double letter dropped ("vergesen" -> vergessen, not vergeben)
            # first, then a domain word before an everyday one, a dropped letter ("KRIIS" ->
            # kritis) before a changed one (kreis).
            rank = (
                dist,
                not _drops_double(word, cand),
                is_general(cand),
                0 if len(cand) > len(word) else 1,
                # ... then the commoner word: "Plenun" is "Plenum", not "Plenen".
                -_zipf(cand, "de"),
                cand,
            )
            if best is None or rank < best[0]:
                best = (rank, cand, dist)
        result = (best[1], best[2]) if best else None
        self._typo_cache[word] = result
        return result

    def respell(self, word: str) -> str:
        """A word that is no German word, nor one of the knowledge base or a letter away from
        one, but a letter away from a common German word: that word ("Vidoes" -> videos,
        "verlänngern" -> verlängern). Else the word as it is."""
        if (
            not 5 <= len(word) <= MAX_TYPO_WORD
            or not word.isalpha()
            or is_stop(word)
            or word in self.words
            or word in REGION_PLACES
            or stem_de(word) in self.stems
            or is_general(word)  # listed everyday words are words ("Murks" is no "Marks")
            or _zipf(word, "de") > 0
            or _zipf(word, "en") > 0
        ):
            return word
        kb = self.correction(word)
        if kb is not None and kb[1] <= 1:
            return word  # a misspelt word of the knowledge base: corrected as such
        # ... but a letter away from a common word beats two from a word of the knowledge
        # base: "verlänngern" is "verlängern", not "verlangen".
        fixed = everyday_correction(word)
        # A misspelt filler word is dropped as such (is_stop_typo).
        return fixed if fixed and not is_stop(fixed) else word

    def fuzzy_split(self, word: str) -> tuple[str, ...] | None:
        """Split a compound with one misspelt part: grundchutz|kompendium, recnhung|eingang|..."""
        if not 2 * MIN_PART + 2 <= len(word) <= MAX_TYPO_WORD or not word.isalpha():
            return None
        if word in self._fuzzy_cache:
            return self._fuzzy_cache[word]
        if len(self._fuzzy_cache) > CACHE_LIMIT:
            self._fuzzy_cache.clear()
        result: tuple[str, ...] | None = None
        for i in range(MIN_PART, len(word) - MIN_PART + 1):
            head, tail = word[:i], word[i:]
            head_parts = self._whole_or_split(head)
            tail_parts = self._whole_or_split(tail)
            if head_parts and not tail_parts:
                fixed = self.correct(tail)
                if fixed:
                    result = (*head_parts, *(self._whole_or_split(fixed) or (fixed,)))
            elif tail_parts and not head_parts:
                # The first part may end in a linking element: rechnug|s|eingang.
                for link in _LINKS:
                    if link and not head.endswith(link):
                        continue
                    fixed = self.correct(head[: len(head) - len(link)])
                    if fixed:
                        result = (*(self._whole_or_split(fixed) or (fixed,)), *tail_parts)
                        break
            if result:
                break
        if result is None:
            result = self._partial_split(word)
        self._fuzzy_cache[word] = result
        return result

    def _partial_split(self, word: str) -> tuple[str, ...] | None:
        """A compound of a long known first part and an unknown rest (langzeit|speicherung):
        the unknown part stays as it is and can only match literally."""
        for j in range(len(word) - MIN_PART - 1, 5, -1):
            known = self._whole_or_split(word[:j])
            if not known:
                continue
            for link in _LINKS:
                tail = word[j + len(link) :]
                if word[j : j + len(link)] == link and len(tail) > MIN_PART:
                    return (*known, tail)
        # Not the other way round: an unknown first part makes another thing of a known one
        # ("Pizzaservice" is no service of ours).
        return None

    def _whole_or_split(self, part: str) -> tuple[str, ...] | None:
        # An everyday word is a real word even if the index lacks it: "Steuer" stays "Steuer".
        if self._known_part(part) or (len(part) >= MIN_PART and is_general(part)):
            return (part,)
        return self.split(part)

    @staticmethod
    def _variants(tok: str, english: bool) -> list[str]:
        """Stems for one surface token; English text also gets English stems."""
        out = []
        for form in _forms(tok):
            out.append(stem_de(form))
            if english:
                out.append(stem_en(form))
        return list(dict.fromkeys(out))

    def _concepts(self, toks: Sequence[str]) -> list[set[str]]:
        """Synonym concept terms per token position (a phrase marks all its tokens)."""
        out: list[set[str]] = [set() for _ in toks]
        stems = [stem_de(_JOINERS.sub("", t)) for t in toks]
        for i, first in enumerate(stems):
            for seq, concept in self._syn.get(first, ()):
                if tuple(stems[i : i + len(seq)]) == seq:
                    for k in range(i, i + len(seq)):
                        out[k].add(concept)
        # Hyphen parts count too: "eID-Funktion" carries "eid".
        for i, tok in enumerate(toks):
            if _JOINERS.search(tok):
                for form in _forms(tok):
                    for seq, concept in self._syn.get(stem_de(form), ()):
                        if len(seq) == 1:
                            out[i].add(concept)
        return out

    # -- index side -----------------------------------------------------------------------------

    def knows(self, word: str) -> bool:
        """The knowledge base uses ``word`` (folded), or a word of the same stem."""
        return word in self.words or stem_de(word) in self.stems

    def doc_terms(self, text: str, english: bool = False) -> list[str]:
        terms: list[str] = []
        toks = content_tokens(text)
        for tok in toks:
            terms.extend(self._variants(tok, english))
            for form in _forms(tok):
                parts = self.split(form)
                if parts:
                    terms.extend(stem_de(p) for p in parts)
        for concepts in self._concepts(toks):
            terms.extend(sorted(concepts))
        return terms

    def key_terms(self, text: str) -> set[str]:
        """Decisive terms of a keyword or synonym: its words' stems (German and English)
        without compound parts, everyday words left out."""
        out: set[str] = set()
        for tok in content_tokens(text):
            for form in _forms(tok):
                # A password or a virus decides too, for a question asked at work or on a
                # computer (query: only then is the question's word not general).
                if not _general_form(form) or form in WORK_THINGS or form in VIRUS_WORDS:
                    out.add(stem_de(form))
                    out.add(stem_en(form))
        return out

    def shape(self, text: str) -> Shape:
        """``question_shape`` with the synonym concepts of its words among the words, so that
        "erreichbar" meets "Servicezeiten" and "ViR" meets "ViR-Nordwest"."""
        core = strip_chatter(text)
        base = _core_shape(core)
        toks = content_tokens(core)
        # A misspelt verb still says what is asked: "perso pin vergesen" is about a lost PIN.
        fixed = [self._kind_fix(t) for t in tokenize(core)]
        kinds, words, content = base.kinds, base.words, base.content
        if any(fixed):
            corrected = _core_shape(
                " ".join(f or t for f, t in zip(fixed, tokenize(core), strict=True))
            )
            kinds = kinds | corrected.kinds
            # ... and its corrected words meet the entry's phrasing: "XVergbae" is XVergabe.
            words, content = words | corrected.words, content | corrected.content
        concepts = frozenset(c for found in self._concepts(toks) for c in found)
        if not concepts and not any(fixed):
            return base
        return Shape(kinds, words | concepts, content | concepts, base.voice)

    def _kind_fix(self, tok: str) -> str | None:
        """The knowledge base's word a misspelt token stands for, if it is one (else None)."""
        if len(tok) < 5 or not tok.isalpha() or tok in self.words or is_stop(tok):
            return None
        if is_everyday(tok):
            return None
        fixed = self.correction(tok)
        return fixed[0] if fixed else None

    # -- query side -----------------------------------------------------------------------------

    def _body_only(self, whole: set[str], parts: tuple[frozenset[str], ...]) -> bool:
        """No term of the word (nor of its compound parts) is a keyword, a synonym or in an
        entry's title or question phrasings: the knowledge base only uses it in answer texts."""
        return all(
            terms.isdisjoint(self.decisive) and terms.isdisjoint(self.head_terms)
            for terms in (whole, *parts)
        )

    def _names_subject(self, unit: Unit) -> bool:
        """The word is decisive and names a subject: one of its decisive terms is a topic's
        name ("115") or used by entries of fewer than ``common_topics`` topics. A decisive word
        that entries of many topics use ("Schritte", "Anforderungen", "Regeln") says what is
        asked about something, not what."""
        terms = unit.key.union(*unit.key_parts)
        return any(
            not self.common_topics
            or t in self.topic_words
            or len(self.term_topics.get(t, ())) < self.common_topics
            for t in terms
        )

    def query(self, text: str, max_units: int = 32, *, lent: bool = False) -> Query:
        """``lent``: the first sentence of ``text`` is lent by another question of the message
        (its subject, before a later question): it only weighs in as context, never as the
        question's subject."""
        core = times_in_words(without_intensifiers(strip_chatter(text)))
        if asks_what_the_bot_can(core):
            # "Hey Bot, was kannst du eigentlich alles?": "du" is the bot, the subject asked.
            core = "What can this bot do?" if looks_english(core) else "Was kann der Bot?"
        english = looks_english(core)
        # Separable verbs split over their clause ("Wie bieten wir Akten dem Archiv an?"):
        # the verb also stands for its joined form ("anbieten").
        separable = separable_verbs(core, self.knows)
        toks, in_context, borrowed, capitalised, focus_text, refers_back, theme = _focus_tokens(
            core, max_units, self.knows, lent=lent
        )
        named = frozenset(m.group(0).strip("§ ") for m in _NAMED_NUMBER.finditer(fold(core)))
        other_numbers = other_numbers_in(fold(core))
        gone = bool(_GONE.search(fold(core)))
        units: list[Unit] = []
        common: set[int] = set()  # common words the index knows from phrasings, see below
        lent_by: list[bool] = []  # the unit comes from a sentence lent to the question
        known = 0
        changed: set[int] = set()  # respelt words
        # Town names in a place slot ("Gemeinde Rhede", "in Lathen"): neither respelt nor
        # unknown subjects (review REVIEW-8, R1).
        places = place_slot_words(core)
        phrase_places = place_phrase_words(core)
        offices = office_slot_words(core)  # where the asker works; never respelt ("Bauart")
        # The name of one's own department ("Unser Fachbereich Bürgerdienste"): there, like an
        # office, unless the knowledge base decides a topic by it ("Unser Fachbereich Vergabe
        # fragt, ab welchem Wert die Vergabe elektronisch sein muss"); only where it is named.
        department = department_name(core)
        department_at = toks.index(department) if department in toks else -1
        if not english:
            # Chat and Low German words are their standard word ("lütt", "olle", "Trecker"),
            # before respelling would make another word of them ("lütten" -> "lüften").
            toks = [CHAT_WORDS.get(t, t) for t in toks]
            # A misspelt everyday word is that word ("freiwilig", "Vidoes"), not an unknown
            # subject of the highest weight.
            respelt = [
                t
                if t in offices
                or k == department_at
                or (t in places and self.correction(t) is None)
                else self.respell(t)
                for k, t in enumerate(toks)
            ]
            capitalised |= {r for r, t in zip(respelt, toks, strict=True) if t in capitalised}
            changed = {i for i, (r, t) in enumerate(zip(respelt, toks, strict=True)) if r != t}
            toks = respelt
        # Words only written in lower case in a text that capitalises its nouns: no nouns.
        verbs = lower_case_words(core) - capitalised if capitalised and not english else frozenset()
        # Asked at work: said in the question sentence itself, not somewhere in its story.
        at_work = at_workplace(focus_text)
        # ... and a virus there or on a computer ("Virus auf dem Dienstrechner"), not the flu's.
        folded_core = fold(core)
        on_computer = bool(IT_WORDS.search(folded_core)) or (
            at_work and not ILLNESS_WORDS.search(folded_core)
        )
        network_member = asks_network_membership(focus_text, core)
        # A short evaluative question judges the story before it ("... das Passwort alle 90
        # Tage ändern. Ist das noch aktuell?"): the story's everyday things that the knowledge
        # base decides by (a password, a mail) are its subject, as a password asked at work is.
        story_things = evaluates_story(core, self.knows)
        freed: set[int] = set()  # the story's things that decide for it
        concept_sets = self._concepts(toks)
        for i, (tok, concepts) in enumerate(zip(toks, concept_sets, strict=True)):
            whole = set(self._variants(tok, english)) | concepts
            general = is_general(tok)
            if general and tok in verbs and tok not in PLACES and only_a_thing(tok):
                # "schulen" (to train) in "Wie oft sollten wir die Beschäftigten schulen?" is
                # the verb, not "Schulen" (schools): an everyday thing only as a noun, and a
                # text that capitalises its nouns writes it in lower case. (A place's
                # adjective, "niedersächsische", still names the place.)
                general = False
            if general and at_work and tok in WORK_THINGS:
                # "das Passwort" asked at work is IT security's subject, not an everyday thing.
                general = False
            if (
                general
                and story_things
                and (in_context[i] or borrowed[i])
                and is_thing(tok)
                and (on_computer or tok not in VIRUS_WORDS)
                and not whole.isdisjoint(self.decisive)
            ):
                # The story's thing is what the evaluative question after it is about (a virus
                # only on a computer, as below).
                general = False
                freed.add(i)
            if general and on_computer and tok in VIRUS_WORDS:
                # "Virus" on a computer is malware, IT security's subject (vocabulary.IT_WORDS).
                general = False
            if general and network_member and tok in MEMBERSHIP_WORDS:
                # "Können auch Landkreise Mitglied werden?" asks about the network's members.
                general = False
            if tok in separable and not is_general(separable[tok]):
                # It means the joined verb, a word of the topics: "bieten ... an" is no
                # everyday "bieten" ("melden ... an" stays the everyday "anmelden").
                joined = separable[tok]
                whole |= set(self._variants(joined, english))
                whole |= {c for seq, c in self._syn.get(stem_de(joined), ()) if len(seq) == 1}
                general = False
            if not general and whole.isdisjoint(self.decisive):
                # A noun whose verb the knowledge base names as a decisive word: a
                # "Langzeitarchiv" is what "Langzeitarchivierung" (stem "langzeitarchivier")
                # builds, and decides as much (set 14: the archive's entry costs sank on it).
                whole |= {f"{stem_de(f)}ier" for f in _forms(tok)} & self.decisive
            split: tuple[str, ...] | None = None
            for form in _forms(tok):
                split = self.split(form)
                if split:
                    break
            parts = tuple(frozenset({stem_de(p)}) for p in split or ())
            forms = _forms(tok)
            if len(forms) >= 3 and all(f.isalpha() for f in forms[:-1]):
                # A hyphenated word matches as a whole or part by part: "WLAN-Passwort" is
                # not covered by an entry on passwords, nor "Kfz-Zulassung" by "zulassen".
                split = tuple(forms[:-1])
                parts = tuple(frozenset(self._variants(p, english)) for p in split)
                # A synonym carried by one part ("Netzwerk" in "Netzwerk-Kabel") stands for
                # the word only if the knowledge base knows the other parts too.
                known_parts = all(not p.isdisjoint(self.index_terms) for p in parts)
                whole = set(self._variants(forms[-1], english)) | (
                    concepts if known_parts else set()
                )
            weight = 1.0
            known_whole = not whole.isdisjoint(self.index_terms)
            if (
                tok in phrase_places
                or tok in offices
                or (i == department_at and whole.isdisjoint(self.decisive))
                or (tok in places and not known_whole and self.correction(tok) is None)
            ):
                # A town the knowledge base does not name is where the asker works, not what
                # is asked: an everyday word (out of the known share, weight EVERYDAY_WEIGHT,
                # no subject of its own), never respelt ("Rehden" is no "reden") nor split
                # into parts ("Wardenburg"). A misspelt word of the knowledge base stays one
                # ("in Niedersachsn", "in Gebärdenspache").
                lent_by.append(borrowed[i])
                units.append(
                    Unit(
                        tok,
                        frozenset(whole),
                        general=True,
                        everyday=True,
                        context=in_context[i],
                        theme=theme[i],
                    )
                )
                continue
            # Typos, per part of a hyphenated word ("E-Rchnungspflicht"). Everyday words are
            # real words: "Steuer" must not become "steuert".
            fixes: dict[str, float] = {}
            if not general and not known_whole and not parts:
                if is_stop_typo(tok):
                    continue  # a misspelt filler word: "eigentlcih", "jmeand"
                general = is_general_typo(tok)  # "brrauche"
                meant = general_typo_of(tok) if general else None
                if meant is not None:
                    # It searches as the word meant: "Antowrt" is an "Antwort" (as written
                    # if it may be several: "amelden").
                    whole |= set(self._variants(meant, english))
                    known_whole = not whole.isdisjoint(self.index_terms)
            if not general:
                for form in _forms(tok):
                    if (
                        _general_form(form)
                        or not self.index_terms.isdisjoint(self._variants(form, english))
                        or is_everyday(form, english)
                    ):
                        # A common word of the language is no typo: "Worten" is not "Orten".
                        continue
                    fixed = self.correction(form)
                    if fixed is not None and fixed[1] >= 2 and is_everyday(fixed[0]):
                        # Two letters away from an everyday word is another word, not a typo
                        # of that one: dialect "geschnackt" (chatted) is no "geschickt" (sent),
                        # which took a question on the ViR to the Emotet entry (set 14).
                        fixed = None
                    if fixed is not None:
                        # One wrong letter in a long word is a safe guess, in a short one not.
                        fixes[stem_de(fixed[0])] = max(0.5, 1.0 - 1.5 * fixed[1] / len(form))
                    elif not parts and not known_whole:
                        fuzzy = self.fuzzy_split(form)
                        if fuzzy:
                            parts = tuple(frozenset({stem_de(p)}) for p in fuzzy)
                            split = fuzzy
                            weight = 1.0 - 1.5 / len(form)
            if fixes:
                whole |= set(fixes)
                # The corrected word's synonym group too: "mitgleid" is a "Mitglied".
                whole |= {c for f in fixes for seq, c in self._syn.get(f, ()) if len(seq) == 1}
                # ... and, as for a word spelt right (see above), its decisive verb if it has
                # no decisive term yet: "Langzeitarchv" is a "Langzeitarchiv", which
                # "Langzeitarchivierung" builds.
                if whole.isdisjoint(self.decisive):
                    whole |= {f"{f}ier" for f in fixes} & self.decisive
                # Only a guess if nothing else was known; a split is no guess either.
                if not known_whole and not parts:
                    weight = max(fixes.values())
                known_whole = True
            is_known = known_whole or any(not p.isdisjoint(self.index_terms) for p in parts)
            known += is_known
            thing = general and is_thing(tok)
            everyday = False
            if (
                not is_known
                and not general
                and (is_everyday(tok, english) or (capitalised and tok not in capitalised))
            ):
                # A common word the knowledge base never uses ("tatsächlich", "momentan"), or
                # in a text with capitalised nouns a lower-case one ("benennen"), says little;
                # a noun ("die Kirche") names another subject.
                general, thing = True, tok in capitalised
                everyday = not thing
            if is_known and not general and is_everyday(tok, english):
                if self._body_only(whole, parts):
                    # A common word that only some answer text happens to use ("betrifft"):
                    # an everyday word, not a subject the question is about.
                    general = True
                elif not (capitalised and tok in capitalised and not english) and all(
                    terms.isdisjoint(self.decisive) for terms in (whole, *parts)
                ):
                    # A common verb or adjective that some phrasing happens to use ("gemeint",
                    # "erreichen"): rare in the knowledge base, so its IDF weighed it like a
                    # subject ("Was ist mit Peppol gemeint?" sank on it), but it says what is
                    # asked more than about what. It still searches and may tell entries apart
                    # ("Wie bieten wir Akten dem Archiv an?"), but weighs less in coverage,
                    # unless the question names nothing else but its topic (decided after the
                    # loop: in "Welche Fristen gelten bei EU-Vergaben?" the verb is all there
                    # is). A noun keeps its weight – a German one, told by its capital; English
                    # capitalises names and nationalities ("German rules"), not nouns.
                    common.add(len(units))
            if tok == "weg" and gone:
                # "Meine PUK ist weg": gone, not the way ("Weg") an e-invoice is sent.
                general = True
            if tok in other_numbers:
                # "die Linie 115", "Zimmer 115": a bus line or a room, not the service number.
                whole = {tok}
                concepts = set()
            if tok.isdigit() and not concepts and tok not in named:
                # A bare number never carries an answer ("27001" alone, "2014 plus 55" is no
                # directive 2014/55/EU); named numbers such as the 115 are synonyms (concepts).
                general = True
            key: frozenset[str] = frozenset()
            key_parts: tuple[frozenset[str], ...] = ()
            if not general:
                # Terms of everyday parts ("Handy" in "Android-Handy") decide nothing.
                specific = whole - {
                    v
                    for f in _forms(tok)
                    if _general_form(f)
                    and not (at_work and f in WORK_THINGS)
                    and not (i in freed and is_thing(f))
                    and not (on_computer and f in VIRUS_WORDS)
                    for v in self._variants(f, english)
                }
                key = frozenset(specific & self.decisive)
                key_parts = tuple(
                    frozenset() if is_general(surface) else p & self.decisive
                    for surface, p in zip(split or (), parts, strict=True)
                )
            lent_by.append(borrowed[i])
            units.append(
                Unit(
                    tok,
                    frozenset(whole),
                    parts,
                    weight,
                    general,
                    thing,
                    key,
                    key_parts,
                    is_known,
                    everyday,
                    # A sentence borrowed for a short question ("Ein Bauunternehmen hat sich
                    # beschwert, dass ... Ist das zulässig?") lends its words of the topics;
                    # the rest is the situation, i.e. context.
                    in_context[i] or (borrowed[i] and not (key or any(key_parts))),
                    guessed=i in changed,
                    theme=theme[i],
                    told=i in freed,
                )
            )
        if not freed and any(not u.whole.isdisjoint(self.thing_concepts) for u in units):
            # No story's thing decides: the things' synonyms are no words of the knowledge
            # base here ("Gebühren mit einem Gutschein" bezahlen is no boss scam).
            tc = self.thing_concepts
            units = [
                replace(u, whole=u.whole - tc, key=u.key - tc, parts=tuple(p - tc for p in u.parts))
                for u in units
            ]
        if common and any(
            not u.general
            and not u.context
            and k not in common
            and u.coverage(self.topic_words) < 1.0
            for k, u in enumerate(units)
        ):
            units = [replace(u, common=True) if k in common else u for k, u in enumerate(units)]
        chatter = not units or is_chatter(core, units)
        if refers_back and any(
            u.decides and not lent for u, lent in zip(units, lent_by, strict=True) if not u.context
        ):
            # "Brauchen wir so etwas?" after "ob wir einen Notfallplan brauchen": the question
            # names what it points back at; the rest stays context. A word of a sentence only
            # lent to a short question names nothing: "Der IT-Dienstleister hat das bereinigt.
            # Müssen wir so etwas melden?" points back at the malware before it.
            refers_back = False
        if (
            not lent
            and any(u.decides for u in units if u.context and not u.theme)
            and not any(u.decides for u in units if not u.context)
        ):
            # A question sentence without a word of the topics ("Kann mir das jemand in
            # einfachen Worten erklären?") asks about the topic its context names: the whole
            # message is the question, but of the context only the words of the topics count
            # fully; its other words and the question's common words are everyday words
            # (weight EVERYDAY_WEIGHT: a town's name or an office in the story, "Landkreis
            # Cloppenburg", is the situation, not another subject).
            units = [
                u
                if u.theme
                else replace(u, context=False, general=True, everyday=True, thing=False)
                if not u.general
                and not u.decides
                and (u.context or is_everyday(u.surface, english))
                else replace(u, context=False)
                for u in units
            ]
            # What is asked comes from the whole message too: "Wir überlegen, der 115
            # beizutreten. Was kostet das?" asks what joining costs.
            focus_text = core
        elif (
            not lent
            and not refers_back
            and any(self._names_subject(u) for u in units if u.context and not u.theme)
            and sum(u.decides for u in units if not u.context) == 1
            and not any(u.thing for u in units if not u.context)
            and not any(self._names_subject(u) for u in units if not u.context)
        ):
            # A question sentence whose one word of the topics is one that entries of many
            # topics use ("Welche Schritte sind jetzt nötig?", "Welche Anforderungen müssen wir
            # erfüllen?"), and that names no everyday thing either, names no subject: it asks
            # about what its context names, as one pointing back at it does ("davor"). Two
            # such words name something together ("das Angebot per E-Mail annehmen"), and so
            # does a thing ("ein gültiges Foto").
            refers_back = True
        return Query(
            text,
            english,
            tuple(units),
            known,
            chatter,
            focus_text,
            refers_back,
            judges_story=story_things,
        )


# A place slot: the word after an office's kind ("Gemeinde Stuhr", "Landkreis Diepholz") or
# after a preposition of place ("in Rhede", "aus Bad Zwischenahn", "im Emsland", "aus der
# Wesermarsch", "im Landkreis Cloppenburg"), written with a capital in the member's own text.
_PLACE_SLOT = re.compile(
    r"\b(?:(?P<prep>(?i:in|im|aus|bei|nach|von|vom)(?P<article>\s+(?i:dem|der|den))?)\s+)?"
    r"(?:(?P<office>Gemeinde|Stadt|Samtgemeinde|Landkreis|Kreis|Flecken|Hansestadt)\s+)?"
    r"(?:(?P<spa>Bad|Groß|Gross|Klein)\s+)?(?P<name>[A-ZÄÖÜ][^\W\d_]+)\b"
)


def place_slot_words(text: str) -> frozenset[str]:
    """Folded names in a place slot of ``text`` (the original, with its capitals) that are
    towns, municipalities or districts of the region (vocabulary.REGION_PLACES, the data file
    region_places.txt): "Gemeinde Rhede", "in Lathen", "Stadt Leer" ("Bad" of "in Bad
    Zwischenahn" too), and every word of a name of several ("Hagen im Bremischen"). Any other
    word there is what is asked, not where: a German noun after an office's kind ("Darf die
    Gemeinde Glasfaser selbst ausschreiben?", review REVIEW-9, D1), a product after "in" that
    is no word of any language ("E-Rechnungen in Infoma verbuchen", review REVIEW-9, open).
    The engine still treats a name the knowledge base knows ("in Bremen") as known.

    Review REVIEW-10, R4: a town takes no article, so after "im", "vom" or "aus der" only a
    landscape's name is a place ("im Ammerland"; "im Norden", "im Sande verlaufen" are what
    they say); and a name that is also a German word or a first name (REGION_WORDS: "Leer",
    "Achim", "Hatten") is a town only after an office's kind or a plain "in"/"aus" ("in
    Leer", "Stadt Norden"; not "bei Achim nachfragen", "nach Hatten")."""
    out = set()
    for m in _PLACE_SLOT.finditer(text):
        prep, office = m.group("prep"), m.group("office")
        if not (prep or office):
            continue
        name = fold(m.group("name"))
        if name not in REGION_PLACES:
            continue
        if not office:
            article = bool(m.group("article")) or fold(prep) in ("im", "vom")
            if article and name not in REGION_LANDSCAPES:
                continue
            if name in REGION_WORDS and (article or fold(prep) not in ("in", "aus")):
                continue
        out.add(name)
        if m.group("spa"):  # "Bad", "Groß", "Klein": part of the name, as in the list
            out.add(fold(m.group("spa")))
    return frozenset(out | place_phrase_words(text))


def office_slot_words(text: str) -> frozenset[str]:
    """Folded offices of ``text`` named as the place of the question ("In der Kämmerei
    klemmt der Drucker", "Ein Mitarbeiter im Bauamt hat sein Passwort weitergegeben"): where,
    not what, so they do not decide the topic. Unknown to the knowledge base ("Hauptamt") an
    office weighed as the question's subject and sank it; "Bauamt" was respelt to "Bauart"."""
    return frozenset(m.group(1) or m.group(2) for m in OFFICE_SLOT.finditer(fold(text)))


def department_name(text: str) -> str | None:
    """The folded name of one's own department (vocabulary.DEPARTMENT_NAME: "Unser Fachbereich
    Bürgerdienste möchte ..." -> "buergerdienste"), or None: a capitalised word, no verb
    ("Unser Fachbereich möchte ...", "Unserem Fachbereich fehlen ...")."""
    m = DEPARTMENT_NAME.search(text)
    return fold(m.group(1)) if m else None


def place_phrase_words(text: str) -> frozenset[str]:
    """The words of a town's name of several words in ``text`` ("Hagen im Bremischen": not
    Bremen; "Langen bei Bremerhaven"): all of it is where, and only as a whole (review
    REVIEW-10, D2)."""
    folded = fold(text)
    out: set[str] = set()
    for words in REGION_PHRASES:
        if words[0] in folded and re.search(r"\b" + r"\s+".join(words) + r"\b", folded):
            out.update(words)
    return frozenset(out)


# Separable verb particles that end a main clause: "Wie bieten wir Akten dem Archiv an?".
_PARTICLES = frozenset(
    "an ab auf aus bei ein mit nach vor zu zurueck weg weiter her hin raus rein los fest dar um "
    "vorbei zusammen hoch".split()
)
# A clause: up to a punctuation mark or a joining "und"/"oder" (folded text keeps its case here).
_CLAUSE = re.compile(r"[^,;:.!?]+?(?=\s*(?:[,;:.!?]|\s(?:und|oder)\s|$))")
# The finite verb of a main clause stands first or second ("Melde ich mich an?", "Wie melde
# ich mich an?", "Wann genau melden wir uns an?"): only these positions are tried.
MAX_VERB_POSITION = 3


def separable_verbs(text: str, known: Callable[[str], bool]) -> dict[str, str]:
    """Separable verbs split over their clause, folded verb -> joined word ("Wie bieten wir
    Akten dem Archiv an?": bieten -> anbieten), where ``known`` knows the joined word: "bieten"
    alone is an everyday verb, "anbieten" is what the archive's entries say."""
    out: dict[str, str] = {}
    for clause in _CLAUSE.finditer(text):
        words = _WORD.findall(clause.group(0))
        if len(words) < 3 or fold(words[-1]) not in _PARTICLES:
            continue
        for verb in words[:MAX_VERB_POSITION]:
            joined = fold(words[-1]) + fold(verb)
            if verb.isalpha() and not is_stop(fold(verb)) and known(joined):
                out[fold(verb)] = joined
                break
    return out


# "ist weg", "sind einfach weg": lost, not a way.
_GONE = re.compile(r"\b(?:ist|sind|war|waren)\s+(?:\w+\s+)?weg\b")
# Sentence ends; the next sentence starts with a capital or a digit ("z. B. die" stays one).
_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+(?=[A-ZÄÖÜ0-9\"„'])")
# Chat goes on in lower case (split_sentences): a full stop before a lower-case bare judgement
# ends a sentence too ("... gutscheine kaufen. is das fake?": the question judges the story,
# evaluates_story; not "is das phishing?", _bare_judgement), unless it ends an abbreviation
# (vocabulary.ABBREVIATIONS, or any word of up to three letters: "z. b.", "bzw.", "ca."). Other
# lower-case sentences stay one with the story, whose private words then keep the question
# declined ("meine fotos vom urlaub will ich sichern. reicht ne externe festplatte?": review
# REVIEW-45-code). An emoji before a word that opens a question ends a sentence too ("...
# kaufen 😅 is das fake?"), not one inside a clause ("mein 📱 ist weg", "meine 🏦 will ...").
# A lower-case remark after a question mark stays with its question (_remarks_apart,
# question_segments set it apart).
_LOWER_AFTER_STOP = re.compile(r"(?<=\.)\s+(?=[a-zäöüß])")
_EMOJI = "\u2600-\u27bf\U0001f300-\U0001faff\ufe0f\u200d"
_EMOJI_BEFORE_QUESTION = re.compile(
    rf"(?<=[{_EMOJI}])\s+(?=(?:was|wie|wer|wo|wann|warum|wieso|fake|echt)\b"
    r"|(?:is|ist|sind|stimmt|geht|reicht|darf|muss|soll|kann)\s+(?:das|es|dies|so|man)\b)"
)


def _bare_judgement(sentence: str) -> bool:
    """``sentence`` is an evaluative question that names nothing of its own ("is das fake?",
    not "is das phishing?", which asks about phishing)."""
    m = EVALUATIVE_QUESTION.fullmatch(fold(sentence).strip())
    return m is not None and all(is_general(t) or is_everyday(t) for t in content_tokens(m["rest"]))


def split_sentences(text: str) -> list[str]:
    """The sentences of ``text``, without empty ones (see _SENTENCE_END)."""
    out: list[str] = []
    for part in _SENTENCE_END.split(text.strip()):
        for piece in _EMOJI_BEFORE_QUESTION.split(part):
            pieces = _LOWER_AFTER_STOP.split(piece)
            merged = [pieces[0]]
            for nxt in pieces[1:]:
                last = merged[-1].rstrip(".").rsplit(None, 1)[-1:] or [""]
                word = fold(last[0])
                judges = _bare_judgement(nxt)
                if not judges or len(word) <= 3 or word in ABBREVIATIONS or not word.isalpha():
                    merged[-1] = f"{merged[-1]} {nxt}"
                else:
                    merged.append(nxt)
            out += [m for m in merged if m.strip()]
    return out


_WORD = re.compile(r"[^\W_]+(?:[-/][^\W_]+)*")
# A question sentence with fewer content words borrows the sentence before it ("... alle
# Dateien verschlüsselt. Was sollen wir jetzt als Erstes machen?").
MIN_FOCUS = 2
# See Query.context_weight.
CONTEXT_WEIGHT = 0.3
# A question sentence that points back at its context ("Wie schützen wir uns davor?", "Was
# gibt es da?", "so eine Datei") gives the context BACK_REFERENCE_WEIGHT instead.
BACK_REFERENCE_WEIGHT = 0.6
# The pointing adverbs: "Wie schützen wir uns davor?", "Was gibt es da?". With the pronouns of
# _POINTERS they are the words by which a sentence points at something said before it
# (points_back); a question sentence's context weighs more only for these and "solche" (the
# pronouns too were measured: 8 answers of the development sets moved, judged "yes" -1).
_POINTING_ADVERBS = frozenset(
    "dafuer davor damit dazu darauf daran darueber dabei dagegen davon dahinter darin daraus"
    " darunter dadurch daneben dort da".split()
)
_BACK_REFERENCE = _POINTING_ADVERBS | {"solche", "solchen", "solcher"}
_SO_EIN = re.compile(r"\bso\s+(?:ein|eine|einen|einem|einer|was|etwas)\b")


# A reported question: "... wollte wissen, ob sie mit dem Handy ...", "fragt, wie wir ...".
_REPORTED = re.compile(
    r"\b(?:wissen|weiss|wuessten|fragt|fragen|fragte|frage|ueberleg\w*|klaeren|erfahren"
    r"|herausfinden|verstanden|verstehe\w*|ahnung|wonder\w*|asks?|asked|know)\b[^.!?]*?"
    r"\b(?P<q>ob|wie|wann|was|wer|wo|welche[mnrs]?|warum|wieso|wozu|womit|wofuer"
    r"|whether|if|how|what|when|who|which|why)\b"
)

# A clause of what the question sets aside: ", ohne gleich ... zu starten", "without ...ing".
_WITHOUT = re.compile(r",\s*(?:ohne|without)\b[^?]*\bzu\b|,\s*without\b")

# The question's own verb right after its opening interrogative ("Wie fragen wir beim
# Wettbewerbsregister ab, und ab welchem ...?" asks how to query the register): no report.
_OPENING = re.compile(r"\s*(?:wie|was|wo|woher|wann|warum|wieso|weshalb|how|what|where|why)\s+$")


# "Fragen zu ..." without a comma before the interrogative is the noun: "Beantwortet die 115
# auch Fragen zu Bundesbehörden wie der Rentenversicherung?" reports no question "wie der
# Rentenversicherung" ("Bürger fragen zur Gebühr, wie viel ..." does).
_QUESTIONS_ON = re.compile(r"\bfragen?\s+(?:zu[mr]?|ueber|rund\s+um|von|aus)\b")


def _reported(folded: str) -> re.Match[str] | None:
    """The reported question in a sentence ("Sie fragt, wie lange der gilt."), if any."""
    m = _REPORTED.search(folded)
    while (
        m is not None
        and _QUESTIONS_ON.match(folded, m.start())
        and "," not in folded[m.start() : m.start("q")]
    ):
        m = _REPORTED.search(folded, m.start() + 1)
    return None if m is None or _OPENING.fullmatch(folded[: m.start()]) else m


# A sentence that opens with an interrogative or a verb asks a question ("Wie lange gilt der").
_ASKS = re.compile(
    r"\s*(?:wie|was|wo|woher|wann|wer|welche[mnrs]?|warum|wieso|weshalb|gibt|muss|muessen"
    r"|kann|koennen|darf|duerfen|brauche[nt]?|gilt|how|what|where|when|who|which|why|do|does"
    r"|can|must|is|are)\b"
)


def _weighty(per: Iterable[list[str]]) -> int:
    """Content words of the given sentences that are neither everyday nor common words."""
    return sum(not is_general(t) and not is_everyday(t) for toks in per for t in toks)


def _remarks_apart(sentences: list[str], knows: Callable[[str], bool]) -> list[str]:
    """A chat remark after a question, written in lower case ("... das nächste plenum? hab die
    einladung verpennt"), is a sentence of its own: context, not part of what is asked
    (_loose_remark). Only the question's focus uses this split; split_questions keeps a remark
    with its question, question_segments asks the question without it as well."""
    out: list[str] = []
    for sentence in sentences:
        head, mark, tail = sentence.rpartition("?")
        if mark and _loose_remark(tail, knows):
            out += [head + mark, tail.strip()]
        else:
            out.append(sentence)
    return out


def _loose_remark(tail: str, knows: Callable[[str], bool]) -> bool:
    """``tail``, the text after a question mark, is a lower-case chat remark that adds nothing
    to what is asked: no word of the knowledge base (``knows``) other than everyday ones and no
    kind of question of its own. One that names its thing ("? hab was von smart-eid gehört")
    or what is wanted ("? chef meint wir solln da mitmachen") says what the question is about,
    and one that makes it private ("? für meinen privaten laptop": review REVIEW-34-code, M1)
    decides that it is declined."""
    tail = tail.strip()
    if not tail or not tail[0].islower() or _core_shape(tail).kinds or _reads_private(tail):
        return False
    return not any(
        knows(w) and not is_general(w) and not is_everyday(w)
        for t in content_tokens(tail)
        for w in (t, t.replace("-", ""), *t.split("-"))
    )


def evaluates_story(core: str, knows: Callable[[str], bool] | None = None) -> bool:
    """The message ends in a short evaluative question whose subject points back ("Der Chef
    will, dass wir das Passwort alle 90 Tage ändern. Ist das noch aktuell?"; vocabulary.
    EVALUATIVE_QUESTION): it names nothing of its own, so what it judges is the story before
    it. Only after a story, only everyday words after the subject, or an adjective the
    knowledge base does not know (``knows``: "seriös"); "Ist das DSGVO-konform?" names a
    subject of its own. Never in a private story (one's own things or home: their everyday
    things stay everyday, "mein WLAN-Passwort")."""
    sentences = split_sentences(core)
    if len(sentences) < 2:
        return False
    m = EVALUATIVE_QUESTION.fullmatch(fold(sentences[-1]).strip())
    if m is None:
        return False
    rest = content_tokens(m.group("rest"))
    lower = lower_case_words(sentences[-1])
    if len(m.group("rest").split()) > EVALUATIVE_REST or not all(
        is_general(t) or is_everyday(t) or (knows and t in lower and not knows(t)) for t in rest
    ):
        return False
    # A club's or household's story (vocabulary.HOUSEHOLD: "Unser Verein") is no office's.
    folded = fold(core)
    return not (_reads_private(core) or HOUSEHOLD.search(folded) or OWN_NON_WORK.search(folded))


def _reads_private(text: str) -> bool:
    """One's own things or home named (private_hint), or a private setting or sphere."""
    return private_hint(text) or private_sphere(text) or private_setting(text)


def _focus_tokens(
    core: str, max_units: int, knows: Callable[[str], bool], *, lent: bool = False
) -> tuple[list[str], list[bool], list[bool], frozenset[str], str, bool, list[bool]]:
    """Content tokens of ``core``, whether each stands outside the question sentence (context),
    the folded words written with a capital inside a sentence (nouns, for is_thing) and the
    question sentence itself, whether it points back at the context, and whether each token
    names the theme of a gathering of the network that the story tells of (``_story_theme``)."""
    sentences = _remarks_apart(split_sentences(core) or [""], knows)
    asked = [i for i, p in enumerate(sentences) if "?" in p]
    if not asked:
        # Without a question mark the question is the last sentence that asks one, also as
        # reported speech ("Sie fragt, wie lange der gilt. Sie ist 30."), else the last one.
        asked = [i for i, p in enumerate(sentences) if _reported(fold(p)) or _ASKS.match(fold(p))]
    focus = asked[-1] if asked else len(sentences) - 1
    per = [content_tokens(p) for p in sentences]
    first = focus
    start = 1 if lent and len(sentences) > 1 else 0  # a lent sentence is never borrowed
    while first > start and sum(len(t) for t in per[first : focus + 1]) < MIN_FOCUS:
        first -= 1
    # A vague question sentence ("Was müssen wir dafür tun?", "Geht das?") after a sentence
    # that reports the actual question ("Die Archivarin fragt, wie wir die Akten in 30 Jahren
    # noch lesen können.") asks that question: the reported one belongs to the focus.
    span = " ".join(sentences[first : focus + 1])
    reported = -1
    if first > 0 and (
        not _BACK_REFERENCE.isdisjoint(tokenize(span))
        or bool(_SO_EIN.search(fold(span)))
        or _weighty(per[first : focus + 1]) == 0
    ):
        reported = next(
            (i for i in range(first - 1, start - 1, -1) if _reported(fold(sentences[i]))),
            -1,
        )
    toks: list[str] = []
    in_context: list[bool] = []
    borrowed: list[bool] = []
    theme: list[bool] = []
    capitalised: set[str] = set()
    reported_text = ""
    for i, (sentence, found) in enumerate(zip(sentences, per, strict=True)):
        if i == reported or (first <= i <= focus and _reported(fold(sentence))):
            # Only the reported question itself, not who asked it ("Eine Bürgerin stand am
            # Schalter und wollte wissen, ...").
            folded = fold(sentence)
            m = _reported(folded)
            assert m is not None
            lead, tail = folded[: m.start("q")], folded[m.start("q") :]
            if i == reported:
                reported_text = tail
            for part, ctx in ((lead, True), (tail, False)):
                found = content_tokens(part)
                toks.extend(found)
                in_context.extend([ctx] * len(found))
                borrowed.extend([False] * len(found))
                theme.extend([False] * len(found))
        elif i != focus and (told := _story_theme(sentence)):
            # "... einen ViR-Workshop ausrichten, Thema E-Akte.": the story's gathering is
            # about the E-Akte, the question asks about the gathering. The theme is context,
            # also in a sentence the question sentence borrows.
            for part, about in told:
                found = content_tokens(part)
                toks.extend(found)
                in_context.extend([about or not first <= i <= focus] * len(found))
                borrowed.extend([not about and first <= i < focus] * len(found))
                theme.extend([about] * len(found))
        elif i == focus and (relay := RELAY_QUESTION.match(fold(sentence))) is not None:
            # "Was kann ich dem Ausschuss vorlegen?": whom it is told and the telling are
            # context; what to tell is what the story asks.
            folded = fold(sentence)
            told_start, told_end = relay.span("told")
            for part, ctx in ((folded[:told_start], False), (folded[told_start:told_end], True)):
                found = content_tokens(part)
                toks.extend(found)
                in_context.extend([ctx] * len(found))
                borrowed.extend([False] * len(found))
                theme.extend([False] * len(found))
        elif i == focus and (cut := _WITHOUT.search(fold(sentence))) is not None:
            # What the question sets aside ("Womit fangen wir an, ohne gleich eine
            # ISO-27001-Zertifizierung anzustreben?") is not what it asks about: context.
            folded = fold(sentence)
            for part, ctx in ((folded[: cut.start()], False), (folded[cut.start() :], True)):
                found = content_tokens(part)
                toks.extend(found)
                in_context.extend([ctx] * len(found))
                borrowed.extend([False] * len(found))
                theme.extend([False] * len(found))
        else:
            toks.extend(found)
            in_context.extend([not first <= i <= focus] * len(found))
            borrowed.extend([first <= i < focus] * len(found))
            theme.extend([False] * len(found))
        for word in _WORD.findall(sentence)[1:]:
            if word[0].isupper() and not word.isupper():
                capitalised.add(fold(word))
    # The question sentence is never cut for the context around it.
    keep = sorted(range(len(toks)), key=lambda k: in_context[k])[:max_units]
    keep.sort()
    focus_text = " ".join(([reported_text] if reported_text else []) + [span])
    refers_back = first > 0 and (
        not _BACK_REFERENCE.isdisjoint(tokenize(focus_text))
        or bool(_SO_EIN.search(fold(focus_text)))
    )
    return (
        [toks[k] for k in keep],
        [in_context[k] for k in keep],
        [borrowed[k] for k in keep],
        frozenset(capitalised),
        focus_text,
        refers_back,
        [theme[k] for k in keep],
    )


def _story_theme(sentence: str) -> list[tuple[str, bool]]:
    """A sentence of the story cut around the theme of a gathering of the network it tells of
    (vocabulary.EVENT_THEME): (folded part, names the theme), or [] if it names none. Only a
    gathering the member plans, hosts or speaks at (vocabulary.THEME_PLAN): "Im Workshop zur
    E-Rechnung hieß es, ..." reports what was said there, and the question asks about that."""
    folded = fold(sentence)
    if not NETWORK_GATHERING.search(folded) or not THEME_PLAN.search(folded):
        return []
    m = EVENT_THEME.search(folded)
    if m is None or m.lastgroup is None:
        return []
    start, end = m.span(m.lastgroup)
    if m.lastgroup == "shown" and (on := THEME_ON.search(folded, start, end)) is not None:
        start = on.end()
    end = start + len(_noun_phrase(folded[start:end], sentence))
    if end <= start or NETWORK_GATHERING.search(folded, start, end):
        # "Erfahrungen mit dem letzten Workshop": the gathering is no theme of itself.
        return []
    return [(folded[:start], False), (folded[start:end], True), (folded[end:], False)]


# Words that go on a noun phrase after its noun (folded): "die Umstellung auf die E-Akte".
_PHRASE_LINKS = frozenset(
    "der die das des dem den ein eine einer eines einem einen zur zum zu von vom auf fuer mit"
    " im in bei ueber unserer unseres ihrer ihres".split()
)


def _noun_phrase(part: str, sentence: str) -> str:
    """The noun phrase ``part`` (folded, of ``sentence`` as written) begins with: up to its
    last noun, before a verb ("E-Rechnung hat der Referent ... erklärt" -> "e-rechnung",
    "XRechnung angekündigt" -> "xrechnung"). Nouns are the words ``sentence`` capitalises
    after its first; a sentence that capitalises none keeps all of ``part``."""
    nouns = {fold(w) for w in _WORD.findall(sentence)[1:] if w[0].isupper()}
    if not nouns:
        return part
    end = 0
    expects_noun = True  # an article, adjective or linking word comes before a noun
    for w in _WORD.finditer(part):
        if w.group(0) in nouns:
            end, expects_noun = w.end(), False
        elif w.group(0) in _PHRASE_LINKS:
            expects_noun = True
        elif not expects_noun:
            break
    return part[:end]


# Letters a typo may drop, add or change in a folded word.
_LETTERS = "abcdefghijklmnopqrstuvwxyz"


@lru_cache(maxsize=1)
def _common_german() -> dict[str, float]:
    """wordfreq's common German words (the "small" list: Zipf >= 3, ~39,000 words), folded,
    with their Zipf frequency."""
    out: dict[str, float] = {}
    # Shared objects (≈ 3 MB less): the list's own string where folding changes nothing (most
    # words), and one float per frequency band (there are a few hundred), not one per word.
    zipfs: dict[float, float] = {}
    for word, freq in frequency.frequency_dict("de").items():
        if word.isalpha() and freq > 0:
            key = fold(word)
            if key == word:
                key = word
            zipf = zipfs.setdefault(freq, math.log10(freq) + 9.0)
            out[key] = max(out.get(key, 0.0), zipf)
    return out


@lru_cache(maxsize=4096)
def everyday_correction(word: str) -> str | None:
    """The common German word one typo away from ``word`` (a letter dropped, added, changed or
    two swapped; the first letter kept): of several, one with a double letter restored
    ("nenen" -> nennen, not neuen), else the commonest. None if there is none."""
    common = _common_german()
    n = len(word)
    cands = {word[:i] + word[i + 1 :] for i in range(1, n)}
    cands |= {word[:i] + word[i + 1] + word[i] + word[i + 2 :] for i in range(1, n - 1)}
    for i in range(1, n + 1):
        for c in _LETTERS:
            cands.add(word[:i] + c + word[i:])
            if i < n:
                cands.add(word[:i] + c + word[i + 1 :])
    found = [c for c in cands if c != word and c in common]
    if not found:
        return None
    return min(found, key=lambda c: (not _drops_double(word, c), -common[c], c))


@lru_cache(maxsize=65536)
def is_everyday(tok: str, english: bool = False) -> bool:
    """A common word of the language (wordfreq Zipf >= EVERYDAY_ZIPF), German or English."""
    if not tok.isalpha() or len(tok) < 3:
        return False
    return max(_zipf(tok, "de"), _zipf(tok, "en") if english else 0.0) >= EVERYDAY_ZIPF


def commonness(tok: str) -> float:
    """How common a folded word is in German: wordfreq's Zipf of its best written form."""
    return _zipf(tok, "de")


@lru_cache(maxsize=65536)
def _zipf(tok: str, lang: str) -> float:
    # Tokens are folded ("tatsaechlich"); wordfreq knows the written form. The "small" lists
    # (words down to Zipf 3) load in ~20 MB instead of ~110 MB and suffice for EVERYDAY_ZIPF.
    best = frequency.zipf_frequency(tok, lang)
    if lang == "de" and any(f in tok for f in ("ae", "oe", "ue", "ss")):
        for form in _unfold(tok):
            best = max(best, frequency.zipf_frequency(form, lang))
    return best


def _unfold(tok: str) -> set[str]:
    """Written forms a folded token may stand for: tatsaechlich -> tatsächlich."""
    forms = {""}
    i = 0
    while i < len(tok):
        pair = tok[i : i + 2]
        if pair in _UNFOLD:
            forms = {f + alt for f in forms for alt in (pair, _UNFOLD[pair])}
            i += 2
        else:
            forms = {f + tok[i] for f in forms}
            i += 1
        if len(forms) > 16:
            break
    return forms


_UNFOLD = {"ae": "ä", "oe": "ö", "ue": "ü", "ss": "ß"}
# A number that a bus line, a room, a platform or a house carries: never a number the
# topics name ("Wann fährt die Linie 115?").
_OTHER_NUMBER = re.compile(
    r"\b(?:linie|buslinie|bus|tram|strassenbahn|zimmer|raum|gleis|hausnummer|haus|bahnsteig"
    r"|line|room|platform)\s+(\d+)\b"
)


def other_numbers_in(folded: str) -> frozenset[str]:
    """Numbers that every time they occur name a bus line, a room, a platform (_OTHER_NUMBER):
    "die 115 … Zimmer 115" still names the 115."""
    other = Counter(m.group(1) for m in _OTHER_NUMBER.finditer(folded))
    return frozenset(n for n, k in other.items() if len(re.findall(rf"\b{n}\b", folded)) == k)


# A message whose words are test words and numbers ("test test 123", "Hallo, nur ein Test",
# "ich teste dich nur mal kurz", set 44: answered from the entry on the testbed; "kurz" is a
# filler word, no unit): someone tries the bot.
_TEST_WORD = re.compile(
    r"test|tests|teste|testen|testet|testweise|testnachricht|probe|probiere|ausprobieren|ping"
    r"|ignorieren|\d+"
)
# Numbers that are part of a name: 2014/55/EU, BSI 200-2, § 81 VgV.
# An age ("20-Jährige", folded "20-jaehrige") is no name: its number must not meet a "§ 20".
_NAMED_NUMBER = re.compile(r"(?<=\w[/-])\d+\b|\b\d+(?=[/-](?!jaehrig)\w)|§\s*\d+\b")
NONSENSE_WORDS = 3
NONSENSE_LENGTH = 6
_OPERAND = (
    r"(?:\d|\b(?:null|eins|zwei|drei|vier|fuenf|sechs|sieben|acht|neun|zehn|elf|zwoelf"
    r"|one|two|three|four|five|six|seven|eight|nine|ten)\b)"
)
_ARITHMETIC = re.compile(
    # "200-2" and "2014/24" are names (BSI standard, EU directive): - and / need spaces.
    # An operator may take two words: "geteilt durch", "multipliziert mit", "divided by".
    # An operand may be a number word ("3 mal drei", "zwei plus zwei").
    rf"{_OPERAND}\s+(?:[-/x:]|plus|minus|mal|geteilt(?:\s+durch)?|durch|multipliziert\s+mit"
    rf"|times|divided(?:\s+by)?|multiplied\s+by)\s+{_OPERAND}|\d\s*[+*×÷=]\s*\d"
    r"|^\s*rechne\b"
    r"|\b(?:wie\s*viel|was)\s+(?:ist|sind|ergibt|gibt)\s+\d+\s*$"
    # A share of a number asked as the whole question ("Was sind 15 Prozent von 240?"; set
    # 38: answered from the 115's service promise, which states shares of calls), not a share
    # within a question on the topics ("Darf die Bürgschaft 5 Prozent von 200.000 Euro
    # überschreiten?").
    r"|^\s*(?:und\s+)?(?:(?:wie\s*viel|was|what)\s+(?:ist|sind|ergibt|ergeben|macht|machen|is"
    r"|are)\s+)?\d+(?:[.,]\d+)?\s*(?:%|prozent|percent)\s+(?:von|vom|aus|of)\s+\d[\d.,]*"
    r"(?:\s*(?:euro|eur|€))?[\s?.!]*$"
    # The days between two dates as the whole question ("Wie viele Tage liegen zwischen dem 1.
    # Februar und dem 15. April?", set 40: answered from the e-invoicing duty's dates).
    r"|^\s*(?:und\s+)?wie\s*viele\s+(?:tage|wochen|monate)\s+(?:liegen|sind(?:\s+es)?)\s+"
    r"zwischen\s+(?:dem\s+)?\d{1,2}\.\s*\w+\s+und\s+(?:dem\s+)?\d{1,2}\.\s*\w+[\s?.!]*$"
)
_MONTH_NAMES = frozenset(
    "januar februar maerz april mai juni juli august september oktober november dezember".split()
)
# "Rechne …" asks for a calculation whatever words follow ("rechne" is no "Rechnung").
_ARITHMETIC_COMMAND = re.compile(r"^\s*rechne\b")


def _whole_numbers(text: str, start: int, end: int) -> str:
    """``text[start:end]`` widened to whole numbers at both ends: the pattern matched "5
    geteilt durch 5" in "115 geteilt durch 5"."""
    while start > 0 and text[start - 1].isdigit():
        start -= 1
    while end < len(text) and text[end].isdigit():
        end += 1
    return text[start:end]


def is_chatter(core: str, units: Sequence[Unit]) -> bool:
    """Arithmetic, chit-chat about the bot or the day, or letters without a word: no question
    on the topics, so not one for the coordination either."""
    folded = fold(core)
    if (
        units
        and all(_TEST_WORD.fullmatch(u.surface) for u in units)
        and any(not u.surface.isdigit() for u in units)
    ):
        return True
    # A word of the topics that is no operand makes a calculation part of a question on them
    # ("Die Prüfziffer: … geteilt durch 97?", "Ist die 115 von 8 - 18 Uhr erreichbar?");
    # "115 geteilt durch 5" is arithmetic, whatever the 115 names elsewhere.
    calculations = [
        _whole_numbers(folded, m.start(), m.end()) for m in _ARITHMETIC.finditer(folded)
    ]
    if calculations:
        operands = {n for c in calculations for n in re.findall(rf"\d+|{_OPERAND}", c)}
        # the months of a day count are its operands too ("zwischen dem 1. Februar und ...")
        operands |= {w for c in calculations for w in re.findall(r"\w+", c)} & _MONTH_NAMES
        if _ARITHMETIC_COMMAND.search(folded) or not any(
            u.decides and u.surface not in operands for u in units
        ):
            return True
    if GREETING_TO_ALL.match(folded) or _only_about_the_bot(folded, units):
        return True
    if any(u.decides for u in units):
        return False  # a word of the topics: "Danke, und was kostet die 115?"
    if CHITCHAT.search(folded) or WEATHER_QUESTION.search(folded):
        return True  # "Regnet es morgen in Bremen?" too, not "Es regnet in den Keller, ..."
    # An everyday word the knowledge base happens to use ("Wochenende") makes no question of a
    # wish; with a question mark it may be one ("Danke! Wie melde ich mich an?").
    if any(u.known and (not u.general or "?" in core) for u in units):
        return False
    if POLITENESS.search(folded):
        return True
    # Nonsense ("asdf jklö", "blubb blubb"): a few letters, none of them a word of German or
    # English; a longer question with rare words goes to the coordination as usual.
    return (
        "?" not in core
        and len(units) <= NONSENSE_WORDS
        and all(
            len(u.surface) <= NONSENSE_LENGTH
            and _zipf(u.surface, "de") == 0.0
            and _zipf(u.surface, "en") == 0.0
            for u in units
        )
    )


def _only_about_the_bot(folded: str, units: Sequence[Unit]) -> bool:
    """The bot is asked its name or tried (vocabulary.BOTS_NAME, TRYING_THE_BOT), and no word
    of the topics but theirs decides: "Hast du eigentlich einen Namen?" ("Namen" meets the
    Emotet entry) is chit-chat, "… Anbieter für die E-Vergabe. Hast du einen Namen?" is not."""
    own: set[str] = set()
    for pattern in (BOTS_NAME, TRYING_THE_BOT):
        for m in pattern.finditer(folded):
            own.update(re.findall(r"\w+", m.group()))
    return bool(own) and not any(u.decides and u.surface not in own for u in units)


def _learn_heads(words: frozenset[str]) -> frozenset[str]:
    """Compound heads seen in the vocabulary: "langzeitarchivierung" next to "archivierung"
    teaches "langzeit", so "langzeitarchiviert" can be split too."""
    heads: set[str] = set()
    for w in words:
        for i in range(MIN_PART, len(w) - MIN_PART):
            if w[i:] in words:
                head = w[:i]
                for link in ("es", "s", "en", "n"):
                    if head.endswith(link) and len(head) - len(link) >= MIN_PART:
                        head = head[: -len(link)]
                        break
                if not is_stop(head):
                    heads.add(head)
    return frozenset(heads)


def _forms(tok: str) -> list[str]:
    """A hyphenated token stands for its parts and the joined word: e-rechnung -> e, rechnung,
    erechnung. Joining digits only would turn 200-2 into a year, so that is skipped."""
    if not _JOINERS.search(tok):
        return [tok]
    parts = [p for p in _JOINERS.split(tok) if p]
    # Single letters (the "e" of E-Rechnung) say nothing on their own.
    forms = [p for p in parts if (len(p) > 1 or p.isdigit()) and not is_stop(p)]
    if not all(p.isdigit() for p in parts):
        forms.append("".join(parts))
    return forms


_GENERAL_DE = frozenset(stem_de(w) for w in GENERAL_WORDS | GENERAL_THINGS | _GENERAL_SYN)
_GENERAL_EN = frozenset(stem_en(w) for w in GENERAL_WORDS_EN | GENERAL_THINGS_EN | _GENERAL_SYN)
_WORDS_ONLY = GENERAL_WORDS | GENERAL_WORDS_EN | _GENERAL_SYN
_WORDS_ONLY_DE = frozenset(stem_de(w) for w in GENERAL_WORDS | _GENERAL_SYN)
_WORDS_ONLY_EN = frozenset(stem_en(w) for w in GENERAL_WORDS_EN | _GENERAL_SYN)
_THINGS_DE = frozenset(stem_de(w) for w in GENERAL_THINGS)
_THINGS_EN = frozenset(stem_en(w) for w in GENERAL_THINGS_EN)
_STOP_TYPOS = _typo_index(_STOP)
# Filler words this long may have a changed letter too ("überhaubt"), see is_stop_typo.
LONG_STOP_TYPO = 8


def _plain_forms(words: Iterable[str]) -> frozenset[str]:
    """German stop words as written without their umlauts ("fur", "uber", "konnen"): the
    folded word with its umlauts put back (the commoner spelling by wordfreq), then dropped.
    Only where an umlaut is meant: "eventuell" and "question" keep their "ue"."""

    def zipf(form: str) -> float:
        return frequency.zipf_frequency(form, "de")

    out: set[str] = set()
    for word in words:
        forms = [f for f in _unfold(word) if any(c in f for c in "äöüß")]
        best = max(forms, key=zipf, default="")
        plain = best.translate(_PLAIN)
        # ... where the plain spelling is mostly a misspelling: "für" is 1000 times commoner
        # than "fur", but "mussten" and "konnten" are words of their own.
        if best and zipf(best) >= max(zipf(word), zipf(plain) + PLAIN_MARGIN):
            out.add(plain)
    return frozenset(out) - _STOP


_PLAIN = str.maketrans({"ä": "a", "ö": "o", "ü": "u", "ß": "ss"})
# Zipf (log10) by which the umlaut spelling must be commoner than the plain one.
PLAIN_MARGIN = 1.0
_STOP_PLAIN = _plain_forms(GERMAN_STOP | GERMAN_FILLER)
# Stop words with one letter of a double letter dropped ("kann" -> "kan"), for short words the
# typo index does not cover (longer ones it does).
MAX_SINGLED = 4
_STOP_SINGLED = frozenset(
    w[:i] + w[i + 1 :] for w in _STOP for i in range(1, len(w)) if w[i] == w[i - 1]
) | frozenset(
    # ... and five-letter German ones missing their last letter, as typed in chat: "jetz"
    # (German only: "thank" -> "than" is a word).
    w[:-1]
    for w in GERMAN_STOP | GERMAN_FILLER
    if len(w) == MAX_SINGLED + 1 and w.isalpha()
)
_GENERAL_TYPOS = _typo_index(GENERAL_WORDS | GENERAL_WORDS_EN)


# -- question shape ------------------------------------------------------------------------------
#
# When several entries match a question's content words equally ("Was ist die 115?": every
# 115 entry contains "115"), the words the analysis drops decide what is asked: "was ist"
# wants a definition, "seit wann" a date, "wer" an actor, "was kostet" a price. A question's
# shape is its kinds of question (matched on the folded text) and its folded surface words,
# stop words and question words included; the engine compares it with the shapes of an
# entry's title and question phrasings to break near-ties (engine.TIE_BAND).

# The copula or meaning verb at the end of a clause: "(weiß jemand,) was die 115 ist?".
_CLAUSE_END = r"(?=\s*(?:[,.;:!?)]|$))"
# What one takes a share in without joining anything: costs, a tender, a procedure.
_NOT_JOINED = (
    r"(?:den|der|die|dem|einer|einem|eine[mnr]?|unseren|unserer|ihren|ihrer)\s+"
    r"(?:[^\s,.;:!?]+\s+)?(?:kosten|finanzierung|ausschreibung|vergabe|verfahren"
    r"|wettbewerb|vergabeverfahren)"
)
_DEFINITION_VERBS = r"(?:ist|sind|bedeutet|bedeuten|heisst|meint|is|are|means?)"
QUESTION_KINDS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(pattern))
    for kind, pattern in (
        (
            "definition",
            # "Wer ist die ViR-Nordwest?" asks what the ViR is, too.
            rf"\b(?:was|what|wer|who)\s+{_DEFINITION_VERBS}\b"
            rf"|\bwas\s+(?:[^\s,.;:!?]+\s+){{1,5}}{_DEFINITION_VERBS}{_CLAUSE_END}"
            r"|\bwhat\s+does\b.*\bmean\b|\bwas\s+versteht\b|\bworum\s+geht\b"
            r"|\bwofuer\s+steht\b|\bwhat\s+kind\s+of\b|\bwas\s+fuer\s+ein"
            # "Was beinhaltet das Serviceversprechen?": what it is by what it holds. Not
            # "umfasst" or "include" (REVIEW-8 D2): "Was umfasst die Aufbewahrungspflicht für
            # Rechnungen?" and "What does the membership include?" went to other entries'
            # "Was ist ...?" phrasings.
            r"|\bwas\s+(?:beinhaltet|beinhalten)\b"
            # "Was macht das BSI?": what it is by what it does.
            r"|\bwas\s+(?:macht|machen|tut)\s+(?:der|die|das|dieser|diese|dieses)\b"
            r"|\bwhat\s+(?:does|do)\s+the\b[^,.;:!?]*\bdo\b",
        ),
        (
            "date",
            r"\bwann\b|\bwhen\b|\bwelche[mns]?\s+(?:jahr|monat|tag|datum|zeitpunkt)\b"
            r"|\b(?:what|which)\s+(?:year|month|day|date)\b|\bdatum\b|\bstichtag\b",
        ),
        ("actor", r"\b(?:wer|wen|wem|wessen|who|whom|whose)\b"),
        (
            "cost",
            # Compounds too: Anrufkosten, kostenpflichtig, Gebührenordnung.
            r"kost(?:en|et)|\bkost\b|gebuehr|entgelt|preis|\b(?:teuer|guenstig|umsonst|gratis)\b"
            # "Müssen wir dafür zahlen?", "Was zahlt eine Kommune?"
            r"|\b(?:be)?zahl(?:en|t|st)\b|\bblech(?:en|t)\b|\blöhnen\b|\bloehnen\b"
            r"|\b(?:costs?|price|fees?|charged?|expensive|cheap)\b",
        ),
        (
            "quantity",
            r"\bwie\s*viele?\b(?!\s+(?:kostet|kosten))|\bwie\s+(?:hoch|gross|weit|oft)\b"
            r"|\bhow\s+(?:many|much|high|large|big|often)\b|\banzahl\b|\bwo\s+lieg(?:t|en)\b",
        ),
        ("duration", r"\bwie\s+lange?\b|\bhow\s+long\b|\bdauer[nt]?\b"),
        # What a person earns: no entry is about that, so such a question is a near miss
        # ("Was verdient die Leiterin …?", "was verdient man da so?"): engine.NOBODYS_KINDS.
        # A wage that contractors must pay is no one's earnings (review REVIEW-7, D2: "Welchen
        # Lohn müssen Bieter nach dem NTVergG zusagen?"): "Lohn"/"wages" count only with a
        # verb of receiving.
        (
            "salary",
            r"\bverdien(?:t|en|st|e)\b|\bgehae?lte?r?\b|\bbesoldung|\bmonatslohn"
            r"|\bstundenlohn|\bsalary|\bsalaries|\bearns?\b"
            r"|\b(?:lohn|wages?)\b[^?.!]*\b(?:bekomm|krieg|erhae?lt|gets?\b|receives?\b)"
            r"|\b(?:bekomm|krieg|erhae?lt|gets?\b|receives?\b)[^?.!]*\b(?:lohn|wages?)\b",
        ),
        # "Wo liegt der Schwellenwert?" asks for a value, not a place.
        ("place", r"\bwo(?:hin|her)?\b(?!\s+lieg)|\bwhere\b"),
        ("reason", r"\b(?:warum|wieso|weshalb|wozu|wofuer|why)\b|\bwhat\s+for\b"),
        # What the asker wants to do: the verbs of the question (issue: "how do we join" is
        # not "who takes part", "what do we do first" is not "where to report").
        (
            "join",
            r"beitr(?:eten|itt)|\btritt\b|\btreten\b|mitmach|\bmitzumachen|teilnehm|teilnahme"
            # "Wie kann sich unsere Gemeinde an der 115 beteiligen?"; not "an den Kosten" or
            # "an einer Ausschreibung beteiligen" (REVIEW-8 R4: paying a share, bidding),
            # decided per sentence: costs named in the story do not undo a joining question
            # after it (REVIEW-9, R1).
            rf"|(?:^|[.!?;])(?![^.!?;]*\ban\s+{_NOT_JOINED})[^.!?;]*"
            r"(?:\bbeteilig(?:en|t|te|ten)\b|\bzu\s+beteiligen\b)"
            # Separable verbs: "Wie machen wir mit?", "Wer nimmt teil?"
            r"|\bmach\w*\b[^?.!]*\bmit\s*[?.!]*$|\b(?:nimmt|nehmen)\b[^?.!]*\bteil\b"
            # "Wie schließen wir uns der 115 an?", "Wie werden wir angebunden?"
            r"|\bschlie(?:ss|ß)\w*\b[^?.!]*\ban\s*[?.!]*$|\bangebunden\b|\banzubinden\b"
            r"|teilzunehmen|beizutreten|anschlie(?:ss|ss)|anschluss|mitglied\s+werden"
            # "Wie werden wir (eigentlich) Mitglied?"
            r"|werden\s+wir\s+(?:eigentlich\s+|denn\s+|ueberhaupt\s+)?mitglied"
            r"|\bdabei\s+(?:zu\s+)?sein\b"
            # Colloquial: "Wie kommen wir da rein?"
            r"|\bkomm\w*\b[^?.!]*\b(?:rein|hinein|ran|heran)\b"
            r"|\bjoin|take\s+part|particip|become\s+a\s+member",
        ),
        (
            "register",
            r"\banmeld|\banzumelden|registrier|\beintrag|\beinzutragen|sign\s+up|\bregist"
            # Separable: "Wie melde ich mich zum Plenum an?"
            r"|\bmelde\w*\b[^?.!]*\ban\s*[?.!]*$",
        ),
        (
            "cancel",
            r"\babmeld|\babzumelden|\bmelde\w*\b[^?.!]*\bab\s*[?.!]*$|stornier|absag|\bsage\w*\b"
            r"[^?.!]*\bab\s*[?.!]*$|\bcancel|\bwithdraw|\bderegist",
        ),
        # The applicant ("Antragsteller", "Antragstellende") asks nothing about applying.
        ("apply", r"beantrag|\bantrag(?!stell(?:er|ende))|\bapply|applica"),
        ("renew", r"verlaenger|erneuer|\brenew|\bextend"),
        (
            "first",
            r"\bzuerst\b|\bals\s+erste|\berste[nr]?\s+schritt|\banfangen\b|\bfangen\b"
            r"|\bbeginnen\b|\beinstieg|\beinsteigen|\bfirst\b|\bget\s+started|\bstart\b",
        ),
        (
            "obtain",
            r"\bbekomm|\berhalte?n?\b|\berhaelt|\bkrieg|herunterlad|\bdownload|\bwoher\b"
            r"|\bbezieh|\bget\b|\bobtain",
        ),
        ("report", r"(?<!an)\bmelde[nt]?\b|\bmeldung|\bmeldepflicht|\breport"),
        ("difference", r"unterschied|unterscheid|\bvergleich|differen|\bvs\b|\bversus\b"),
        # What it is good for: "Würde uns die 115 helfen?", "Was bringt uns das?"
        (
            "benefit",
            r"\bhilft\b|\bhelfen\b|\bvorteil|\blohnt|\bbringt\b|\bbringen\b|\bentlast"
            r"|\bdavon\s+haben\b|\bbenefit|\bworth\b|\badvantage",
        ),
        ("goal", r"\bziel|\bzweck|\bgoal|\baim\b|\bpurpose|\btarget"),
        (
            "lost",
            r"vergessen|verloren|verlust|gestohlen|\b(?:ist|sind)\s+weg\b|\bforg[eo]t|\blost\b",
        ),
        (
            "hours",
            r"erreichbar|oeffnungszeit|servicezeit|sprechzeit|\buhr\b|geoeffnet"
            r"|\b(?:samstags?|sonntags?|wochenende|feiertage?n?|saturdays?|sundays?|weekends?)\b"
            r"|opening\s+hours|service\s+hours|\breachable",
        ),
        (
            "how",
            r"\bwie\b(?!\s*(?:viele?|lange?|hoch|gross|weit|oft|teuer)\b)"
            r"|\bhow\s+(?:do|does|can|could|should|to|would)\b|\bwas\s+tun\b"
            r"|\bwas\s+(?:kann|muss|soll|sollte)\s+(?:ich|man|wir)\b[^,.;:!?]*\btun\b"
            r"|\bwhat\s+(?:to|should|can|must)\b[^,.;:!?]*\bdo\b",
        ),
    )
)
# Interrogative kinds (what is asked for) weigh this much against 1 for the verbs' intents.
_KIND_WEIGHT = dict.fromkeys(
    ("definition", "date", "actor", "cost", "quantity", "duration", "place", "reason", "how"), 2.0
)
# Chat filler says nothing about the shape either; question words among it stay.
_SHAPE_FILLER = (GERMAN_FILLER | ENGLISH_FILLER) - frozenset(
    "wofuer woran worauf womit wozu wovon wieso weshalb wieviel wieviele welchen wem".split()
)


# The member's municipality asking ("wir", "unsere"; not "ich": a supplier writes "how do
# I find the right one for an invoice to a city administration?") ...
_FIRST_PERSON = frozenset("wir uns unser unsere unserem unseren unserer we our us".split())
# ... and the other side of an invoice or a tender, as a phrasing names it (folded prefixes).
_THIRD_PARTIES = (
    "lieferant",
    "bieter",
    "auftragnehmer",
    "unternehmen",
    "firma",
    "firmen",
    "handwerker",
    "supplier",
    "bidder",
    "vendor",
    "contractor",
    "compan",
)
# Share of the fit left to a phrasing asked by the other side (Shape.similarity).
OTHER_SIDE = 0.7


_FIRST_ONLY = frozenset({"first"})
_THIRD_ONLY = frozenset({"third"})


@dataclass(frozen=True)
class Shape:
    """What a question (or an entry's phrasing) asks for: kinds of question and its words."""

    kinds: frozenset[str]
    words: frozenset[str]  # stems of all words, stop and question words included
    content: frozenset[str] = frozenset()  # those of them that are no stop words
    # Who asks: "first" (wir, unsere: the member's municipality), "third" (a supplier,
    # a bidder, a company: the other side of an invoice or a tender).
    voice: frozenset[str] = frozenset()

    @cached_property
    def kind_weight(self) -> float:
        """The summed weights of its kinds (_KIND_WEIGHT), for ``similarity``."""
        return sum(_KIND_WEIGHT.get(k, 1.0) for k in self.kinds)

    def similarity(
        self, other: Shape, kind_share: float = 0.5, content_weight: float = 2.0
    ) -> float:
        """0..1: ``kind_share`` for a shared kind of question (none known: 0), the rest for
        the Dice overlap of the words, content words weighing ``content_weight`` (a phrasing
        that names something the question does not, "Bremen", fits less than one with an
        extra "die")."""
        # The weighted share of kinds both have ("wie" + "beitreten" fits "Wie kann man
        # beitreten?" fully, "Wer nimmt teil?" in part); what is asked for (the interrogative)
        # weighs more than what it is about (the verb): "Wie viele machen mit?" wants a number.
        shared = self.kinds & other.kinds
        both = sum(_KIND_WEIGHT.get(k, 1.0) for k in shared) if shared else 0.0
        # The union's weight without building and summing it (every question is compared
        # with dozens of phrasings). The weights are small whole numbers: the sums are exact.
        union = self.kind_weight + other.kind_weight - both
        kind = kind_share * both / union if union else 0.0
        extra = content_weight - 1.0
        size = len(self.words) + len(other.words)
        size += extra * (len(self.content) + len(other.content))
        both = len(self.words & other.words) + extra * len(self.content & other.content)
        fit = kind + (1.0 - kind_share) * (2.0 * both / size if size else 0.0)
        if self.voice == _FIRST_ONLY and other.voice == _THIRD_ONLY:
            # "Wo bekommen wir unsere Leitweg-ID her?" is not "Where does a supplier get the
            # Leitweg-ID?": the same kinds of question, asked by the other side.
            fit *= OTHER_SIDE
        return fit


def question_shape(text: str) -> Shape:
    """The shape of a question or phrasing: greeting and sign-off cut, folded, all words
    (stop words too, chat filler not; hyphenated ones as their parts and joined) stemmed."""
    return _core_shape(strip_chatter(text))


@lru_cache(maxsize=16384)
def _core_shape(text: str) -> Shape:
    core = fold(text)
    kinds = frozenset(kind for kind, pattern in QUESTION_KINDS if pattern.search(core))
    words: set[str] = set()
    content: set[str] = set()
    for tok in tokenize(core):
        if tok in _SHAPE_FILLER:
            continue
        for form in _forms(tok) if "-" in tok or "/" in tok else (tok,):
            stem = stem_de(form)
            words.add(stem)
            if not is_stop(form):
                content.add(stem)
    # Who asks is told by the question sentence, not by a story before it ("Ein Lieferant will
    # uns eine XRechnung schicken. Wo bekommen wir die Leitweg-ID her?").
    sentences = split_sentences(text) or [""]
    asked = [p for p in sentences if "?" in p] or sentences
    toks = set(tokenize(asked[-1]))
    voice = frozenset(
        v
        for v, found in (
            ("first", not _FIRST_PERSON.isdisjoint(toks)),
            ("third", any(t.startswith(_THIRD_PARTIES) for t in toks)),
        )
        if found
    )
    return Shape(kinds, frozenset(words), frozenset(content), voice)


_PRIVATE_WORD = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def private_sphere(text: str) -> bool:
    """The question is about one's own private things (a credit card's PIN, a SIM card's PUK,
    a WhatsApp backup, a tax return) or one's family, neighbours or friends, and names no
    municipal or ID-card subject: a near miss that shares a word with the topics but that the
    knowledge base does not answer."""
    core = fold(text)
    if OFFICIAL_SUBJECTS.search(core):
        return False
    if PRIVATE_PEOPLE.search(core) and not official_dealings(core):
        return True
    at_office = WORKPLACE.search(core) or MUNICIPAL_MEMBER.search(core)
    if (MOBILE_PAYMENT.search(core) and not at_office) or (
        CONTACTLESS_PAYMENT.search(core) and SINGULAR_VOICE.search(core)
    ):
        # Paying with one's phone or card (vocabulary.MOBILE_PAYMENT); not what an office
        # takes ("Können wir im Bürgerbüro Google Pay anbieten?").
        return True
    return _private_thing(core) or my_private_device(core)


def my_private_device(core: str) -> bool:
    """One's own device called private is the subject ("die Fotos von meinem privaten Handy in
    einer Cloud sichern", set 47; vocabulary.MY_PRIVATE_DEVICE), not its work use (WORK_USE:
    "Darf ich mein privates Handy dienstlich nutzen?"), a mail, link or app on it
    (SCAM_CARRIERS: "Auf meinem privaten Handy kam eine SMS mit Link") nor a thing of the
    topics done on it (DEVICE_KEPT: "eine XRechnung auf meinem privaten PC erstellen", "mit
    meinem privaten Smartphone beim Vergabeportal registrieren", "am Plenum teilnehmen";
    review REVIEW-46-code). Its own security is private ("Wie verschlüssele ich die Daten auf
    meinem privaten Laptop?"). Folded text; the engine asks it of later parts too."""
    if not MY_PRIVATE_DEVICE.search(core):
        return False
    kept = WORK_USE, SCAM_CARRIERS, DEVICE_KEPT, E_INVOICING, ID_CARD, TOPIC_SUBJECTS
    return not any(p.search(core) for p in (*kept, PROCUREMENT_NAMED, NETWORK_EVENT))


def _private_thing(core: str) -> bool:
    """The folded text names one's own private thing (vocabulary.PRIVATE_THINGS; in one's own
    voice also SINGULAR_THINGS)."""
    things = PRIVATE_THINGS + SINGULAR_THINGS if SINGULAR_VOICE.search(core) else PRIVATE_THINGS
    mine = (MY_PHONE_SECRET, MY_PRIVATE_MAIL, MY_INSURER, MY_BANK, MY_HOME_NETWORK)
    if any(p.search(core) for p in mine):
        return True
    if MY_INSURANCE.search(core) and not _insurance_of_the_topics(core):
        return True
    if (
        MY_INSURERS_LINE.search(core)
        and not re.search(r"\b115\b", core)
        and not _insurance_of_the_topics(core, line=True)
    ):
        return True
    if PAY_LATER.search(core):  # whole words: "Klarnamen" is no Klarna
        return True
    if OWN_PET.search(core) and SINGULAR_VOICE.search(core):
        return True
    return any(
        part.startswith(things)
        for word in _PRIVATE_WORD.findall(core)
        for part in (word, *word.split("-"))
    )


def _insurance_of_the_topics(core: str, *, line: bool = False) -> bool:
    """An insurance question that names a topic's subject (a phishing mail, the BundID, an
    e-invoice, the ISB), the office procuring it ("für den Fuhrpark ausschreiben") or is a
    bidder's declaration "an Eides statt": not private (review REVIEW-50-final, M1, S2). For
    the insurer's hotline (``line``) a call and its cost are no topic's subject here: they are
    what is asked of the insurer ("Was kostet ein Anruf bei der Servicenummer meiner
    Versicherung?")."""
    kept = [SECURITY_WORDS, E_INVOICING, ID_CARD, PROCUREMENT_NAMED, INSURANCE_SCAM]
    if not line:
        kept += [TOPIC_SUBJECTS, SCAM_CARRIERS]
    # (its own name masked: "versicherung" holds "sicher")
    rest = MY_INSURERS_LINE.sub(" ", MY_INSURANCE.sub(" ", core)).replace("versicherung", " ")
    return "eides" in core or any(p.search(rest) for p in (*kept, INSURANCE_PROCURED))


def names_private_thing(text: str) -> bool:
    """One's own private thing is named (a bank card, a phone contract: vocabulary.PRIVATE_THINGS)
    and no municipal or ID-card subject."""
    core = fold(text)
    return not OFFICIAL_SUBJECTS.search(core) and _private_thing(core)


def official_dealings(core: str) -> bool:
    """The folded text names a conflict of interest, or a procedure of the office's own ("wir",
    "unsere Ausschreibung"): a relative named in it makes the question no private one."""
    if CONFLICT_OF_INTEREST.search(core):
        return True
    return bool(PROCEDURE_WORDS.search(core)) and bool(OFFICE_VOICE.search(core))


def at_workplace(text: str) -> bool:
    """The question sentence names a municipal office or role ("bei uns", "die Kollegen", "im
    Bauamt"; vocabulary.WORKPLACE) or a team's passwords ("unsere Passwörter", not a
    household's: vocabulary.OFFICE_TEAM, HOUSEHOLD), and nothing of one's own ("mein
    Passwort", "zu Hause"): its passwords (vocabulary.WORK_THINGS) are what is asked about. A
    password one must change on a schedule is a work password even as "mein Passwort"
    (vocabulary.PASSWORD_DUTY), unless one's own device, home or household is named."""
    core = fold(text)
    if _private_setting(core):
        return False
    if PASSWORD_DUTY.search(core) and not (
        HOUSEHOLD.search(core) or HOME.search(core) or "privat" in core
    ):
        # "mein Passwort" alone is no private hint here, one's own phone or laptop still is
        # (review REVIEW-34-code-b, M1: "das Passwort von meinem Handy").
        if not _private_hint(MY_PASSWORD.sub(" ", core)):
            return True
    if _private_hint(core):
        return False
    return bool(WORKPLACE.search(core)) or bool(
        OFFICE_TEAM.search(core) and not HOUSEHOLD.search(core)
    )


# One's own membership ("meine Mitgliedschaft kündigen"): a person's, not a municipality's.
_OWN_MEMBERSHIP = re.compile(r"\bmein(?:e|en|em|er|es)?\s+(?:\w+\s+)?mitglied")


def asks_network_membership(question: str, message: str) -> bool:
    """Membership asked in ``question`` (the question sentence) for a municipality or "us"
    (vocabulary.MUNICIPAL_MEMBER), with no other body one joins named in the ``message`` (a
    club, a party, a union, an alliance: vocabulary.OTHER_BODY) or after the membership word
    ("Mitglied bei der AOK": vocabulary.MEMBER_OF), and nothing of one's own ("meine
    Mitgliedschaft"): the membership is the network's, the bot's own subject, and its words
    (vocabulary.MEMBERSHIP_WORDS) are no everyday words there. Not where the message names
    the network (vocabulary.NETWORK_NAMED): its name anchors the question already."""
    whole = fold(message)
    if OTHER_BODY.search(whole) or NETWORK_NAMED.search(whole):
        return False
    core = fold(question)
    if _OWN_MEMBERSHIP.search(core) or MEMBER_OF.search(core) or not MUNICIPAL_MEMBER.search(core):
        return False
    return not (_private_hint(core) or _private_setting(core))


def other_bodys_line(text: str) -> bool:
    """The telephone number of another body is asked ("Welche Servicenummer hat die Deutsche
    Rentenversicherung?"; vocabulary.NUMBER_ASKED, OTHER_LINE_BODY), not one of the network's
    own services (vocabulary.OWN_LINE): a near miss, declined whatever entry on the 115 shares
    its words."""
    core = fold(text)
    asked = NUMBER_ASKED.search(core) and OTHER_LINE_BODY.search(core)
    compared = WHICH_BODY.search(core) and LINE_WORD.search(core)
    return bool((asked or compared) and not OWN_LINE.search(core))


def line_or_body(word: str) -> bool:
    """A word that names a telephone line ("Servicenummer", "Hotline") or another body
    (vocabulary.OTHER_LINE_BODY): what ``other_bodys_line`` asks about, no word of a topic."""
    folded = fold(word)
    return bool(LINE_WORD.fullmatch(folded) or OTHER_LINE_BODY.search(folded))


def private_setting(text: str) -> bool:
    """One's home with something of one's own, "mir privat", or one's own household bill or old
    photos is named ("mein WLAN zu Hause", "hat mir privat ...", "meine alten Dias";
    vocabulary.HOME, PRIVATELY, HOUSEHOLD_PAPERS), and no municipal or ID-card subject: a
    private question, declined whatever entry's phrasing fits it."""
    core = fold(text)
    # The town's utility that sends one's own household bill is its provider, no municipal
    # subject ("meine Stromrechnung bei den Stadtwerken", set 48: answered from e-invoicing);
    # not when the office speaks ("müssen wir eine XRechnung verlangen?") or the bill goes to
    # the utility ("an die Stadtwerke"; review REVIEW-47-code).
    household = HOUSEHOLD_PAPERS.search(core) and not OFFICE_VOICE.search(core)
    subjects = UTILITY_AS_SENDER.sub(" ", core) if household else core
    if OFFICIAL_SUBJECTS.search(subjects) or STAFF_MATTERS.search(subjects):
        return False
    return _private_setting(core)


def _private_setting(core: str) -> bool:
    at_home = HOME.search(core) and MINE.search(core) and not WORK_AT_HOME.search(core)
    return (
        bool(at_home or PRIVATELY.search(core) or HOUSEHOLD_PAPERS.search(core))
        or _as_private_person(core)
        or pays_own_charge(core)
    )


def pays_own_charge(core: str) -> bool:
    """One's own tax or charge notice paid by oneself (vocabulary.CHARGE_NOTICE and I_PAY): the
    payer's matter, not when an office pays or speaks (OFFICIAL_SUBJECTS, OFFICE_PAYER: the
    Kämmerei paying a Zweckverband's fees). Across a message's questions: charge_paid_across.
    Folded text."""
    if OFFICIAL_SUBJECTS.search(core) or OFFICE_PAYER.search(core):
        return False
    return bool(CHARGE_NOTICE.search(core) and I_PAY.search(core))


def charge_paid_across(first: str, later: str) -> bool:
    """The first question names one's own charge notice and a later one, naming nothing of
    its own, asks about paying it ("Ist der Grundsteuerbescheid eine Rechnung, und bis wann
    muss ich zahlen?", set 49): the whole message is the payer's. A topic question followed by
    a charge part is not ("Was ist eine XRechnung? Und bis wann muss ich meine Grundsteuer
    zahlen?": the charge part is private on its own, the first is answered)."""
    head, tail = fold(first), fold(later)
    return bool(CHARGE_NOTICE.search(head) and I_PAY.search(tail)) and pays_own_charge(
        f"{head} {tail}"
    )


def _as_private_person(core: str) -> bool:
    """Asked "als Privatperson" (vocabulary.AS_PRIVATE_PERSON) about no thing of the topics:
    the ID card or BundID, e-invoicing, a procedure, the 115, the CERT or BSI, or a security
    matter is theirs whoever asks (reviews of round 41: "Kann ich als Privatperson die BundID
    nutzen?", "… einen Phishing-Vorfall beim CERT melden?")."""
    if not AS_PRIVATE_PERSON.search(core):
        return False
    if any(p.search(core) for p in (ID_CARD, E_INVOICING, PROCEDURE_WORDS, OWN_LINE)):
        return False
    # (one's insurance papers are none: "Versicherungsunterlagen" holds "sicher")
    return not SECURITY_WORDS.search(re.sub(r"versicher\w*", " ", core))


def own_papers(text: str) -> bool:
    """One's own tax ID, social security number, health card, driving licence or civil
    certificate is asked about in one's own voice ("Ich finde meine Steuer-ID nicht mehr";
    vocabulary.PERSONAL_PAPERS), and no municipal, ID-card or BundID, e-invoicing, procedure,
    security or other topic's subject (vocabulary.TOPIC_SUBJECTS): another body's paper of a
    private person, which shares only a word ("ID", "Karte") with the topics. "Brauche ich
    für die BundID meine Steuer-ID?" is the BundID's question (review of round 41, M4)."""
    core = fold(text)
    if not PERSONAL_PAPERS.search(core):
        return False
    kept = OFFICIAL_SUBJECTS, ID_CARD, E_INVOICING, PROCEDURE_WORDS, SECURITY_WORDS, TOPIC_SUBJECTS
    # (the paper's own name masked: "Sozialversicherungsnummer" is no security word)
    rest = PERSONAL_PAPERS.sub(" ", core)
    if OTHERS_PAPERS.search(rest):  # a supplier's or citizen's paper, or an invoice's
        return False
    if any(p.search(rest) for p in kept):
        return False
    return bool(SINGULAR_VOICE.search(core) or MY_VOICE_EN.search(core))


def tradesmans_bill(text: str) -> bool:
    """A tradesman works for or bills the asker as a private client ("Der Klempner hat mir 480
    Euro berechnet", "mein Elektriker"; vocabulary.TRADESMAN, PRIVATE_PAYMENT): no office's
    invoice, unless the office or a public facility ("im Bauamt", "die Grundschule",
    vocabulary.OWN_SPHERE, OFFICIAL_SUBJECTS), a procedure, e-invoicing or a topic's subject
    ("die Leitweg-ID") is named, or the asker is the tradesman (vocabulary.TRADESMAN_ASKING: a
    bidder or supplier of the office). A bare "ich" is no private client (review of round 41,
    M1: "Kann ich Dachdeckerarbeiten unter 1.000 Euro direkt beauftragen?")."""
    core = PERSON_TITLE.sub(" ", fold(text))
    if not (TRADESMAN.search(core) and PRIVATE_PAYMENT.search(core)):
        return False
    kept = OWN_SPHERE, OFFICIAL_SUBJECTS, PROCEDURE_WORDS, E_INVOICING, TRADESMAN_ASKING
    # (a PDF is how the bill came, no subject of the topics here: "Mein Handwerker hat mir die
    # Rechnung nur als PDF geschickt, kann ich die bei der Steuer absetzen?", round 46's merge)
    return not any(p.search(core) for p in kept) and not TOPIC_SUBJECTS.search(
        re.sub(r"\bpdf\w*", " ", core)
    )


def club_matter(text: str) -> bool:
    """The asker's own club or association, one of them, is the subject ("Unser Turnverein will
    alte Fotos archivieren"; vocabulary.CLUB_AS_SUBJECT): no municipality's, unless a
    municipal, the network's or a topic's subject is named (OFFICIAL_SUBJECTS, OWN_LINE,
    TOPIC_SUBJECTS: "die Leitweg-ID", "das CERT", "nimmt das Archiv die an?"), e-invoicing, a
    tender (vocabulary.CLUB_TENDER, PROCUREMENT_NAMED) or a grant (a grant recipient's
    procurement, vocabulary.GRANT_WORDS). Archiving words alone are the club's own doing
    (vocabulary.ARCHIVING: "seine Chronik archivieren")."""
    core = fold(text)
    if not CLUB_AS_SUBJECT.search(core):
        return False
    kept = OFFICIAL_SUBJECTS, OWN_LINE, E_INVOICING, CLUB_TENDER, PROCUREMENT_NAMED, GRANT_WORDS
    # (ID_CARD: "Kann sich mein Verein für die BundID registrieren?" asks the BundID's question)
    if any(p.search(core) for p in (*kept, ID_CARD)) or THE_ARCHIVE.search(core):
        return False
    return not TOPIC_SUBJECTS.search(ARCHIVING.sub(" ", core))


def shop_matter(text: str) -> bool:
    """A shop is the place of what is asked ("Was kostet bei dm ein Passbild?";
    vocabulary.SHOP_AS_PLACE): its prices and goods are no topic's, unless the office's voice
    ("Nehmen wir Fotos von dm an?"), a citizen, a municipal or topic's subject, a procedure,
    e-invoicing, an invoice or a thing only bought there is named (vocabulary.SHOP_KEPT); with
    the ID card named, only a price of the shop's (a photo "für den Ausweis") is the shop's:
    "Was kostet der Personalausweis, wenn man das Foto bei dm macht?" asks the card's fee."""
    core = fold(text)
    if not SHOP_AS_PLACE.search(core):
        return False
    kept = OFFICE_VOICE, CITIZENS_ASK, PROCEDURE_WORDS, PROCUREMENT_NAMED, E_INVOICING, SHOP_KEPT
    if any(p.search(core) for p in (*kept, TOPIC_SUBJECTS)):
        return False
    if OFFICIAL_SUBJECTS.search(ID_CARD.sub(" ", core)):
        return False
    if not ID_CARD.search(core):
        return True
    return bool(SHOP_PRICE.search(core)) and not ID_CARD.search(FOR_THE_CARD.sub(" ", core))


def game_or_screen(text: str) -> bool:
    """A sports club's game or result, a match, television or the cinema is named
    (vocabulary.GAME_OR_SCREEN), and no citizen, office or ID-card subject (the 115's callers
    ask about home games too): with nothing of the topics deciding, no topic's question
    (engine._ask_one)."""
    core = fold(text)
    if not GAME_OR_SCREEN.search(core):
        return False
    return not (CITIZENS_ASK.search(core) or OFFICIAL_SUBJECTS.search(core))


# borrowed_words_topics: every topic only shares words with the question.
ANY_TOPIC = "*"


def borrowed_words_topics(text: str) -> frozenset[str]:
    """Topics that only share words with what ``text`` asks, because it asks in another
    field (vocabulary.FOREIGN_PIN, JOB_POSTING, TRADE_REGISTRATION, OWN_BUSINESS): a SIM
    card's or a printer's PIN is not the ID card's; a job advertisement is no tender;
    registering a trade or one's own small business's invoice is no e-invoicing to the
    authorities. Only those topics are left out: "Reicht eine Handy-PIN für unsere
    Diensthandys?" stays IT security's. Empty when the topic itself is named; ANY_TOPIC when
    no topic's subject is named with a job advertisement."""
    core = fold(text)
    out: set[str] = set()
    if FOREIGN_PIN.search(core) and not ID_CARD.search(core):
        out.add("personalausweis")
        if not SECURITY_WORDS.search(core):
            # Changing or resetting a phone's PIN is support, not security ("Wie ändere ich
            # die SIM-PIN?" got the entry on lost devices); protecting with it is security.
            out.add("it-sicherheit")
    named = _names_a_topic(core)
    if JOB_POSTING.search(core) and not PROCUREMENT_NAMED.search(core):
        # No topic is about hiring: without a topic's subject ("... für die IT-Sicherheit –
        # welche Qualifikation braucht ein ISB?") or a threat ("Bewerbung mit Makro im Anhang
        # auf unsere Stellenanzeige") every topic only shares words with it.
        kept = named or SECURITY_WORDS.search(core)
        out |= {"e-vergabe"} if kept else {ANY_TOPIC}
    if OWN_BUSINESS.search(core) and not named:
        out.add("e-rechnung")
    if TRADE_REGISTRATION.search(core) and not named:
        # The trade office's procedure, not the 115's help for firms (unless it is named).
        out |= {"e-rechnung", "service-center-115"}
    return frozenset(out)


def trade_matter(text: str) -> bool:
    """One's own trade or small business asks about its own invoices, taxes or customers, in
    one's own voice ("Ich bin Elektriker und schreibe Rechnungen an Privatkunden. Muss ich
    denen jetzt E-Rechnungen schicken?", "Muss ich als Kleinunternehmer Umsatzsteuer
    ausweisen?", set 52; "Ich bin Kleinunternehmerin. Wie schreibe ich eine Rechnung ohne
    Umsatzsteuer?", set 28): a trader's books, no topic of the network (vocabulary.
    OWN_BUSINESS, TRADESMAN_ASKING, TRADE_BOOKS; invoices to private customers,
    PRIVATE_CUSTOMERS, even with e-invoices named; always a trader asking: the office bills
    private customers too, review REVIEW-51-code, M1). Never with the office's voice, a
    public body, client or municipality, a bid, a security word (vocabulary.
    TRADER_FOR_THE_PUBLIC, SECURITY_WORDS; M2, M3) or (but for private customers) a topic's
    subject named: "Muss ich als Kleinunternehmer E-Rechnungen empfangen können?" is
    e-invoicing's (review REVIEW-33-code-b), "Ich bin Handwerker – wie erkenne ich eine
    Phishing-Mail?" IT security's. A tax shown on an invoice ("Umsatzsteuer ausweisen",
    vocabulary.TAX_SHOWN) names no ID card."""
    core = TAX_SHOWN.sub(r"\1", fold(text))
    trader = any(p.search(core) for p in (OWN_BUSINESS, TRADESMAN_ASKING, TRADER_SELF))
    if not (trader and SINGULAR_VOICE.search(core) and TRADE_BOOKS.search(core)):
        return False
    kept = OFFICE_VOICE, PUBLIC_CLIENT, OFFICIAL_SUBJECTS, TRADER_FOR_THE_PUBLIC, SECURITY_WORDS
    if any(p.search(core) for p in kept):
        return False
    return bool(PRIVATE_CUSTOMERS.search(core)) or not _names_a_topic(core)


def _names_a_topic(core: str) -> bool:
    """E-invoicing, the ID card or another topic's subject is named (folded text)."""
    return bool(E_INVOICING.search(core) or ID_CARD.search(core) or TOPIC_SUBJECTS.search(core))


def private_hint(text: str) -> bool:
    """One's home, own device, password, account or mail, or "private" before a noun is named
    ("zu Hause", "mein Handy", "mein Passwort", "private E-Mails"; vocabulary.PRIVATE_HINTS),
    or a private setting, and no municipal or ID-card subject: a hint that the question may
    be a private one."""
    core = fold(text)
    if OFFICIAL_SUBJECTS.search(core):
        return False
    return _private_setting(core) or _private_hint(core)


def _private_hint(core: str) -> bool:
    at_home = HOME.search(core) and not WORK_AT_HOME.search(core)
    return bool(at_home or PRIVATE_HINTS.search(core))


@lru_cache(maxsize=256)  # keyed on members' text: kept small (it stays in memory a while)
def asking_words(text: str) -> frozenset[str]:
    """Folded words of ``text`` that say what is asked rather than what it is about: the words
    that carry a kind of question on their own ("beantragen", "kostet", "seit") and, in a text
    that writes its nouns with capitals, the words written in lower case (verbs such as
    "regelt", adjectives). A question's subject is named by the other words."""
    sentences = split_sentences(text)
    words = [(i, w) for s in sentences for i, w in enumerate(_WORD.findall(s))]
    cased = any(i > 0 and w[0].isupper() for i, w in words)
    capital = {fold(w) for _, w in words if w[0].isupper()}
    out = set()
    for _, w in words:
        folded = fold(w)
        if cased and w[0].islower() and folded not in capital:
            out.add(folded)
        elif _asks_a_kind(folded):
            out.add(folded)
    return frozenset(out)


@lru_cache(maxsize=4096)  # one word each: the same few hundred words recur in questions
def _asks_a_kind(word: str) -> bool:
    """A folded word that carries a kind of question on its own (QUESTION_KINDS)."""
    return any(p.search(word) for _, p in QUESTION_KINDS)


# Interrogatives that open a second question after "und"/"and": "Was ist eine Leitweg-ID und
# wo beantrage ich sie?".
_SECOND_QUESTION = re.compile(
    r"(?:,\s*|\s+)(?:und|and)\s+(?=(?:was|wie|wo|woher|wohin|wann|wer|wen|wem|welche[mnrs]?"
    r"|warum|wieso|weshalb|wozu|wofür|wofuer|womit|ob|seit\s+wann|ab\s+wann|bis\s+wann|what|how"
    r"|where|when|who"
    r"|which|why|whether|is|are|do|does|can|must|muss|muessen|müssen|kann|koennen|können"
    r"|gibt|brauchen|braucht)\b)"
    # ... or, after a comma or semicolon, a question of its own that opens with its verb and
    # the one it asks about ("..., und kannst du mir einen Witz erzählen?", "..., und hast du
    # ein gutes Rezept?"; set 38 asked most of its off-topic second questions this way, and
    # the unsplit one spoilt the first). Only after a first clause that is a question itself
    # (split_questions: _QUESTION_OPENS): "Wir sind neu im Netzwerk, und kannst du mir sagen,
    # wie das Plenum abläuft?" asks one question.
    r"|(?P<verb_first>[,;]\s*(?:und|and)\s+(?=(?:(?:kannst|koenntest|könntest|hast|haettest"
    r"|hättest|weisst|weißt|kennst|darfst|magst|willst|wuerdest|würdest|empfiehlst|bist)\s+du"
    # ... or addresses the team behind the bot ("..., und habt ihr nen Tipp für ...?")
    r"|(?:habt|hättet|haettet|könnt|koennt|könntet|koenntet|wisst|wüsstet|wuesstet|kennt"
    r"|empfehlt|dürft|duerft)\s+ihr"
    r"|darf\s+ich|(?:could|would)\s+you)\b))",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class QuestionPart:
    """A question after the first one in a message: as asked, and after the subject of the
    first (its context: "... wo beantrage ich sie?" refers to the Leitweg-ID of the first)."""

    text: str
    in_context: str
    # It names a subject of the topics of its own ("... und was kostet ein Anruf?"), not only
    # pronouns and verbs ("... und wer leitet es?").
    names_subject: bool = True
    # It names anything of its own, an everyday thing too ("... und wie heißt der
    # Bürgermeister von Oldenburg?"): it is then searched for its own words, the first's
    # subject only weighing in as context.
    names_thing: bool = True
    # It points back at the first ("dort", "es", "dafür"): it is forwarded together with the
    # first question, which says what it is about.
    refers_back: bool = False


@dataclass(frozen=True)
class Questions:
    """A message that asks several questions: the first (with any sentences before it) and
    each later one."""

    first: str
    later: tuple[QuestionPart, ...]

    # The first later part (most messages ask two questions).
    @property
    def second(self) -> str:
        return self.later[0].text

    @property
    def second_in_context(self) -> str:
        return self.later[0].in_context

    @property
    def second_names_subject(self) -> bool:
        return self.later[0].names_subject


def split_questions(text: str) -> Questions | None:
    """Split a message into its questions: question sentences, or one sentence joining two
    interrogative clauses with "und". None if it asks one question: the first must name a
    subject; a later one without a content word ("Ist das Pflicht? Und ab wann?") belongs to
    the one before it."""
    core = strip_chatter(text).strip()
    sentences = split_sentences(core)
    asked = [i for i, s in enumerate(sentences) if "?" in s]
    # A request after a question asks something too ("Und nebenbei: erzähl mir mal einen
    # Witz."; set 40: it was dropped without a word); a statement ("Danke schon mal.") does not.
    after = range(asked[0] + 1, len(sentences)) if asked else range(0)
    requests = [i for i in after if i not in asked and _asks_for_something(sentences[i])]
    if len(asked) >= 2:
        first = " ".join(sentences[: asked[0] + 1])
        rest = [sentences[i] for i in sorted(asked[1:] + requests)]
    elif asked:
        sentence = sentences[asked[0]]
        match = _SECOND_QUESTION.search(sentence)
        clause = fold(sentence[: match.start()]) if match else ""
        if match is None or not _QUESTION_START.search(clause):
            if not requests:
                return None
            first, rest = " ".join(sentences[: asked[0] + 1]), []
        else:
            # The question may follow a lead-in ("Kurze Frage, was ist ...", "Eine Frage zur
            # 115: Was ist ..."): its last clause opens it.
            opening = re.split(r"[,:;]", clause)[-1].strip()
            opens = any(
                _QUESTION_OPENS.search(c) and not _AS_WIE.search(c) for c in (clause, opening)
            )
            if match.group("verb_first") and not opens:
                # "Bei uns ist der Server verschlüsselt worden, und kannst du ...?", "Wie
                # gesagt sind wir neu, und habt ihr ...?" (review REVIEW-49-code, M1)
                return None
            second = sentence[match.end() :].strip()
            rest = [second[0].upper() + second[1:]]
            first = " ".join([*sentences[: asked[0]], sentence[: match.start()].rstrip(" ,") + "?"])
        rest += [sentences[i] for i in requests]
    else:
        return None
    texts = [first]
    for part in rest:
        if content_tokens(part):
            texts.append(part)
        elif not (CHITCHAT.search(fold(part)) or _ARITHMETIC.search(fold(part))):
            texts[-1] = f"{texts[-1]} {part}"  # "Und ab wann?" asks about the one before
        # (and "Wie geht es dir?" asks nothing of the topics)
    first = texts[0]
    if len(texts) < 2 or not _names_something(first.rsplit("?", 1)[0]):
        return None
    # A later question's context is what the first is about, not what the first asks:
    # "Was kostet die 115? Und wer darf mitmachen?" asks who takes part in the 115.
    asked_first = split_sentences(first)[-1]
    asking = asking_words(first)
    subject = [
        w
        for w in _WORD.findall(asked_first)
        if fold(w) not in asking and not is_stop(fold(w)) and not is_general(fold(w))
    ]
    context = " ".join(subject) + "." if subject else first
    later = []
    for part in texts[1:]:
        # (Capitals tell verbs from nouns only if the text has some: the first question's too.)
        words = set(content_tokens(part)) - asking_words(f"{first} {part}") - _POINTERS
        own = any(not is_general(t) for t in words)
        back = points_back(part) or not _POSSESSIVES.isdisjoint(_folded_words(part))
        # English writes its nouns in lower case, so asking_words takes them for verbs: a thing
        # of everyday life is named all the same ("By the way, who won the derby?"), unless the
        # part only follows up the first question ("And restaurants as well?").
        folded = fold(part)
        thing = bool(words) or (
            looks_english(part)
            and names_everyday_thing(folded)
            and not LEANING_FOLLOW_UP.search(folded)
        )
        later.append(QuestionPart(part, f"{context} {part}", own, thing, back))
    return Questions(first, tuple(later))


# The first clause asks a question too: it starts with (or contains) an interrogative or a verb.
_QUESTION_START = re.compile(
    r"\b(?:was|wie|wo|woher|wann|wer|welche[mnrs]?|warum|wieso|ob|gibt|ist|sind|muss|muessen"
    r"|kann|koennen|brauche[nt]?|gilt|gelten|darf|duerfen|soll|sollen|wird|werden|hat|haben"
    r"|wuerden?|koennten?|sollten?|waere|lohnt|bringt|hilft|what|how|where|when|who|which|why"
    r"|is|are|do|does|can|must|would|could|should)\b"
)
# ... and opens with it: an interrogative or a finite verb first ("Wie sorgt man ...", "Was
# tun bei ...", "Kann das Servicecenter ..."), not a statement ("Wir haben eine Rechnung
# bekommen, und darf ich die ablehnen?"). Folded text.
_QUESTION_OPENS = re.compile(
    r"^\W*(?:was|wie|wo|woher|wohin|wann|wer|wen|wem|welche[mnrs]?|warum|wieso|weshalb|wozu"
    r"|wofuer|womit|ob|gibt|ist|sind|muss|muessen|kann|koennen|brauche[nt]?|gilt|gelten|darf"
    r"|duerfen|soll|sollen|wird|werden|hat|haben|wuerden?|koennten?|sollten?|waere|lohnt"
    r"|bringt|hilft|kannst|darfst|hast|bist|weisst|laeuft|funktioniert|reicht|what|how|where"
    r"|when|who|which|why|is|are|do|does|can|must|would|could|should)\b"
)


# ... but not a comparative "wie" ("Wie gesagt, ...", "Wie besprochen ...", "Wie jedes Jahr
# ..."): a statement. Folded text.
_AS_WIE = re.compile(
    r"^\W*wie\s+(?:gesagt|besprochen|vereinbart|abgesprochen|erwaehnt|angekuendigt|versprochen"
    r"|geplant|gewohnt|ueblich|bekannt|immer|schon|bereits|jedes|jeden|jede|letztes|letzte)\b"
)


# A request to the bot: an imperative with "mir"/"uns" ("erzähl mir", "sag uns", "empfiehl
# mir"), after "und" or a lead-in ("Und nebenbei: ..."). Folded text.
_REQUEST = re.compile(
    r"^\W*(?:(?:und|and)\s+)?(?:[^:.!?]{1,40}:\s*)?(?:bitte\s+)?(?:(?:erzaehl|sag|nenn|schreib"
    r"|zeig|schick|verrat|such|erklaer|dicht|reim)e?|empfiehl|gib|hilf|mach)\s+(?:mir|uns)\b"
    r"|^\W*(?:(?:and)\s+)?(?:please\s+)?(?:tell|give|show|recommend|send|write)\s+(?:me|us)\b"
)
# ... that only closes the message ("Sag mir Bescheid.", "Gib mir gern Rückmeldung.").
_CLOSING_REQUEST = re.compile(r"bescheid|rueckmeld|zurueck|feedback|let\s+me\s+know")


def _asks_for_something(sentence: str) -> bool:
    """The sentence asks the bot for something (``_REQUEST``) off the topics, chatter (a joke,
    the weather: vocabulary.CHITCHAT) or an everyday thing (vocabulary.EVERYDAY_OFF_TOPICS):
    a part of its own after a question. Any other request ("Schick mir gern den Link.", "Gib
    mir bitte ein Beispiel.") asks after the first question and stays with it (review r39e
    M4); one that only closes the message ("Sag mir Bescheid.") too."""
    folded = fold(sentence)
    if not _REQUEST.search(folded) or _CLOSING_REQUEST.search(folded):
        return False
    return bool(CHITCHAT.search(folded) or EVERYDAY_OFF_TOPICS.search(folded))


def names_everyday_thing(folded: str) -> bool:
    """The folded text names a thing of everyday life off the topics (vocabulary
    EVERYDAY_OFF_TOPICS, EVERYDAY_LIFE, OWN_TASTE; the guards of what may still be the
    office's are the engine's)."""
    return any(p.search(folded) for p in (EVERYDAY_OFF_TOPICS, EVERYDAY_LIFE, OWN_TASTE))


def _names_something(text: str) -> bool:
    """The last sentence of ``text`` has a content word that is no everyday word."""
    last = split_sentences(text)[-1:]
    return any(not is_general(t) for s in last for t in content_tokens(s))


# A clause of a question sentence that offers an alternative: after a comma ("..., oder muss
# man hinfahren?"), or without one when a verb opens it ("... kommunizieren oder darf man
# anrufen?"; "Akten oder Dateien" is no clause).
_ALTERNATIVE = re.compile(
    r",\s*(?:oder|or)\s+|\s(?:oder|or)\s+(?=(?:muss|muessen|müssen|kann|koennen|können|darf"
    r"|duerfen|dürfen|ist|sind|soll|sollen|reicht|genuegt|genügt|gilt|gibt|braucht|brauchen|wird|werden"
    r"|is|are|do|does|can|must|should)\b)",
    re.IGNORECASE,
)


# A lead-in before the question ("Kurze Frage aus dem Archiv: Mit welchem Tool ...?"): a
# boundary like a sentence's end.
_LEAD_IN = re.compile(r"(?<=:)\s+")


def question_segments(text: str, knows: Callable[[str], bool] | None = None) -> list[str]:
    """The sentences of a message that ask something (a question mark, an interrogative or
    verb at their start, or a reported question: "Der Landrat fragt, ob ..."), each on its
    own if there are several, and the first clause of a question sentence that offers an
    alternative ("Wird das Plenum übertragen, oder muss man hinfahren?" -> "Wird das Plenum
    übertragen?"); one that points back at what was said before it (``points_back``) only
    together with the sentence before it, and only if that is not the message's first. For
    a second look at a message that as a whole found no answer (engine.AnswerEngine.ask)."""
    core = strip_chatter(text).strip()
    sentences = [p.strip() for s in split_sentences(core) for p in _LEAD_IN.split(s) if p.strip()]
    out: list[str] = []
    pairs: list[str] = []
    for i, s in enumerate(sentences):
        folded = fold(s)
        if not ("?" in s or _reported(folded) or _ASKS.match(folded)):
            continue
        if len(sentences) > 1:
            out.append(s)
            if i >= 2 and points_back(s):
                # "... Ein Bieter hat sein Angebot zu spät hochgeladen. Dürfen wir das werten?":
                # with the sentence it points back at (not the story before that).
                pairs.append(f"{sentences[i - 1]} {s}")
        m = _ALTERNATIVE.search(s)
        if m is not None and content_tokens(s[m.end() :]):
            out.append(s[: m.start()].rstrip() + "?")
        head, mark, remark = s.rpartition("?")
        if mark and content_tokens(head) and knows is not None and _loose_remark(remark, knows):
            # ... and the question without a chat remark after it ("muss ich alle 90 tage
            # mein passwort ändern? nervt voll"): the remark's words can sink it.
            out.append(head + mark)
    own = [s for s in out if content_tokens(s) and not points_back(s)]
    return list(dict.fromkeys(own + pairs))


# Words that stand for something named elsewhere: "Lohnt sich das?", "Was passiert mit ihnen?",
# "Was hat sich da geändert?". "das", "dies" and "die" are articles before a noun.
_POINTERS = _POINTING_ADVERBS | frozenset(
    "das dies dieses die ihn ihm ihnen ihr it they them there this that".split()
)
_ARTICLES = frozenset("das dies dieses die this that".split())
# A later question points back at the first one's subject with a possessive too: "Was ist die
# 115? Und wer bezahlt ihre Wissensdatenbank?" (split_questions).
_POSSESSIVES = frozenset("ihre ihren ihrem ihrer its their".split())
_IMPERSONAL = frozenset("gibt gab geben gaebe geht ging gehen".split())
_EXISTENTIAL = frozenset("is are was were be".split())
# ... when the sentence names its place ("Is there one for the café?" points back).
_PLACE_GIVEN = re.compile(r"\b(?:in|near|nearby|around)\b", re.IGNORECASE)


def _folded_words(text: str) -> set[str]:
    return {fold(w) for w in _WORD.findall(text)}


# "er", "der" may stand for the first question's thing ("Und gilt der bei meinem Sohn
# kürzer?"), or be a person or an article: too vague for points_back, enough for a doubt. So
# may the Low German "dat" ("Stimmt dat oder is das Quatsch?"), unless it is an article.
_MAYBE_POINTERS = frozenset("er der ihn ihm dat".split())
_MAYBE_ARTICLES = frozenset("der dat".split())


def without_parts(text: str, parts: Sequence[str]) -> str | None:
    """``text`` with each of ``parts`` (later parts of it, as ``split_questions`` gives them)
    cut out, all else as written: statements before, between and after them stay ("Wir haben
    12.000 Einwohner."). A part asked in the sentence of the one before it takes its ", und"
    along, and that one gets its question mark back. None: a part is not found in the text."""
    for part in parts:
        words = part.split()
        if not words:
            continue
        pattern = r"\s+".join(re.escape(w) for w in words)
        match = re.search(pattern, text, re.IGNORECASE)
        if match is None:
            return None
        start, end = match.start(), match.end()
        joint = re.search(r"(?:\s*[,;]\s*(?:(?:und|and)\s+)?|\s+(?:und|and)\s+)$", text[:start])
        if joint is not None and not re.search(r"[.!?:]\s*$", text[:start]):
            start = joint.start()
        before, after = text[:start].rstrip(), text[end:].lstrip()
        if part.rstrip().endswith("?") and before and before[-1] not in ".!?:":
            before += "?"
        text = f"{before} {after}".strip()
    return text


def may_point_back(text: str) -> bool:
    """The sentence points back (``points_back``) or has a word that may ("er"; "der" or "dat"
    not before a noun: "gilt der bei ...", not "die PIN der EC-Karte")."""
    if points_back(text):
        return True
    words = _WORD.findall(text)
    for i, word in enumerate(words):
        if fold(word) in _MAYBE_POINTERS:
            after = words[i + 1] if i + 1 < len(words) else ""
            if fold(word) not in _MAYBE_ARTICLES or not after[:1].isupper():
                return True
    return False


# A relative clause ("meine EC-Karte, die ich gerade bekommen habe", "meinen Bausparvertrag,
# der bald ausläuft"): its pronoun stands for the noun before it. Not a clause whose verb
# follows the pronoun: "meine Kreditkarten-PIN, die ist 4711" points back like "sie ist".
_RELATIVE_CLAUSE = re.compile(
    r",\s*(?:der|die|das|den|dem|deren|dessen|denen)\b(?!\s+(?:ist|sind|war|waren|hat|haben"
    r"|hatte|wird|werden|kann|koennen|können|muss|muessen|müssen|soll|sollen|darf|gilt|gelten"
    r"|geht|gehen|laeuft|läuft|lautet|heisst|heißt|kommt|kostet)\b)[^,;.!?]*",
    re.IGNORECASE,
)


def may_point_back_beyond_itself(text: str) -> bool:
    """``may_point_back``, but not for the pronoun of a relative clause: "Und wie kündige ich
    meinen Bausparvertrag, der bald ausläuft?" names its own subject."""
    return may_point_back(_RELATIVE_CLAUSE.sub("", text))


# Adjectives that are stop words: "die besten Fischbrötchen" names its noun
# (``points_back``).
_STOP_ADJECTIVES = frozenset("besten beste".split())


def points_back(text: str) -> bool:
    """The sentence stands for something said before it: a pronoun or pointing adverb ("Lohnt
    sich das?", "Wie können wir das beantworten?"), not an article before a noun ("das
    Plenum"), nor "so eine Notfallplanung", which names its thing."""
    words = _WORD.findall(text)
    for i, word in enumerate(words):
        w = fold(word)
        after = words[i + 1] if i + 1 < len(words) else ""
        before = fold(words[i - 1]) if i else ""
        if w == "es":
            # "Dürfen wir es werten?", not "Gibt es ...?", "es geht um ...".
            if not _IMPERSONAL.isdisjoint((before, fold(after))):
                continue
        elif (
            w == "there"
            and not _EXISTENTIAL.isdisjoint((before, fold(after)))
            and fold(after) != "one"
            and _PLACE_GIVEN.search(text)
        ):
            continue  # "Is there a good restaurant in Bremen?" names its place
        elif (
            w == "ihr"
            and before in _YOU_PLURAL_VERBS
            and (before != "kennt" or i < 2 or fold(words[i - 2]) in ("und", "oder"))
        ):
            # "Habt ihr einen Tipp ...?" asks the team behind the bot; "kennt" only opening
            # its clause ("Wer kennt ihr Verzeichnis?" names the first question's thing).
            continue
        elif w not in _POINTERS and word != "sie":  # "Sie" may be the member's addressee
            continue
        adjective = (
            after.endswith(("e", "en", "er", "es", "em"))
            and len(after) >= 4
            and (not is_stop(fold(after)) or fold(after) in _STOP_ADJECTIVES)
            and i + 2 < len(words)
        )
        noun = words[i + 2] if adjective and not after[:1].isupper() else after
        if w in _ARTICLES and noun[:1].isupper():
            # An article before its noun, also with an adjective between: "das nächste Plenum".
            continue
        return True
    return False


# Verbs of the plural "you" (folded): "ihr" after them is the addressee, no pointer back.
_YOU_PLURAL_VERBS = frozenset(
    "habt hattet haettet koennt koenntet wisst wuesstet kennt seid wart empfehlt duerft wollt"
    " muesst sollt".split()
)


_MID_CAPITAL = re.compile(r"(?<=[\w,;:)] )[A-ZÄÖÜ][\w-]*")


def mid_sentence_nouns(text: str) -> frozenset[str]:
    """Folded words written with a capital, not opening a sentence: a German text's nouns."""
    return frozenset(fold(w) for w in _MID_CAPITAL.findall(text))
