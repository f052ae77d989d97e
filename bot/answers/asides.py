"""Asides: whether a later part of a member's message asks something off the network's topics.

A message may add a question of everyday life to one of the topics ("Welche Metadaten brauchen
wir? Und privat: Wo kann man in Leer gut Fisch essen gehen?"). Such a part is declined as no
question of the network (engine ``Answer.off_topic_parts``, rendered "Zu „…“ sage ich nichts")
and never forwarded to the coordination as an open question. Precision comes first: an
on-topic part declined here reaches nobody, while an aside forwarded only costs the
coordination a look; so every rule below has guards that keep a part that may be the first
question's, the office's or a network event's.

``off_topic_part`` decides for a part that no entry answers; ``plain_aside`` is its first look
(an opening that changes the subject, or the weather asked), which the engine also asks of a
part whose answer may have come from the first question's words alone. Both ask the part as a
message of its own through ``ask_alone`` (the engine's answer, without touching the message's
own state). The word lists they read are in vocabulary.py.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from bot.answers.text import (
    Analyzer,
    Query,
    commonness,
    fold,
    may_point_back_beyond_itself,
    mid_sentence_nouns,
    names_everyday_thing,
)
from bot.answers.vocabulary import (
    A_GATHERINGS_DAY,
    ABOUT_THE_BOT,
    AN_EMERGENCY,
    APPOINTMENT_REMINDER,
    APROPOS_NAMED,
    ASIDE_OPENING,
    CANTEEN,
    CHANGE_OF_SUBJECT,
    ENDS_ON_FIRST_THING,
    EVENT_COMPANY,
    EVENT_TIME,
    EVERYDAY_LIFE,
    EVERYDAY_OFF_TOPICS,
    IN_TIME_FOR,
    IT_WORDS,
    JOKE_OR_RECIPE,
    LEANING_FOLLOW_UP,
    LEANS_WITH_AUCH,
    MEMBER_VOICE,
    NETWORK_EVENT,
    NEVER_THE_EVENTS,
    OFFICE_ACTS,
    OFFICE_DEALINGS,
    OFFICE_DUTY,
    OPENING_HOURS,
    OUR_OWN,
    OWN_SPHERE,
    OWN_TASTE,
    PLACE_ASKED,
    PLACES,
    PRIVATE_ASIDE,
    PUBLIC_TRANSPORT,
    REGION_PLACES,
    SCAM_CARRIERS,
    SOCIAL_CHATTER,
    SUBJECT_CHANGED,
    TIME_OF_DAY,
    TOWN_PARTS,
    WEATHER_CONDITION,
    WEATHER_ES,
    WEATHER_QUESTION,
    WORK_THINGS_AT_RISK,
)

if TYPE_CHECKING:
    from bot.answers.engine import Answer


class LaterPart(Protocol):
    """What the asides read of a later part of a message (engine ``_Part``)."""

    @property
    def text(self) -> str: ...  # as asked

    @property
    def answer(self) -> Answer: ...  # its answer within the message

    @property
    def leans(self) -> bool: ...  # only pronouns and verbs, or a pointer back at the first


@dataclass(frozen=True)
class _TrimmedPart:
    """A later part read without its words of time (``off_topic_part``: EVENT_TIME); the
    engine's own part keeps the words as asked."""

    text: str
    answer: Answer
    leans: bool


# The part asked as a message of its own.
AskAlone = Callable[[str], Awaitable["Answer"]]


async def off_topic_part(
    part: LaterPart, first: str, first_topic: str | None, analyzer: Analyzer, ask_alone: AskAlone
) -> bool:
    """A later part of a message that asks something off the network's topics: chatter
    that asks the bot for something (a joke, the weather, a sum; not a greeting, thanks or
    "wie geht's?", which stay unsaid), or a part that names a thing of another field
    (vocabulary.EVERYDAY_OFF_TOPICS: "Currywurst", a good place to eat: OWN_TASTE; or, after
    a change of subject, vocabulary.CHANGE_OF_SUBJECT, or the opening "Und privat:",
    SUBJECT_CHANGED, ``_other_field``: "Ganz andere Frage: Wann macht die Kantine auf?",
    "Und privat: Wo kann man gut Fisch essen?"; never a short follow-up,
    LEANING_FOLLOW_UP, nor the office acting, "wir": OFFICE_ACTS; or everyday life asked in
    passing without a lead-in, vocabulary.EVERYDAY_LIFE: a club's game, the waste collection
    day, the next bus, the canteen's fish, a café, the dentist, unless the office deals with it,
    OFFICE_DEALINGS) or that the member calls private ("Und ganz privat: ...",
    vocabulary.PRIVATE_ASIDE), and no office nor word of the topics (``_topics_decide``),
    and, asked alone, finds no entry and no candidate topic; for everyday life and a good
    place to eat no candidate of the first question's topic (their words meet other
    topics' entries by chance: "Und wann spielt Werder wieder zuhause?" is near an entry by
    its verb alone, "Döner" stems like an English answer's "done").
    Precision first: an on-topic part declined as "not our topic" cannot be passed on (a
    👎 passes on only the answered questions), one forwarded costs the coordination a
    look. So never a part that leans on the first question, nor one (other than chatter
    or a private aside, or a good place to eat asked for: vocabulary.OWN_TASTE) after a
    question on a network event ("Wann ist das Plenum? Und wo parkt man?": dinner, a
    hotel, parking may be that event's), nor one that names a mail,
    link, app or prize (scam bait is IT security's: vocabulary.SCAM_CARRIERS) or asks
    about the bot itself ("welche Themen kennst du?"); a favour asked of the bot ("kannst
    du mir sagen, ...") alone wraps any question and decides nothing."""
    folded_as_asked = fold(part.text)
    if OWN_TASTE.search(folded_as_asked) and not EVENT_COMPANY.search(folded_as_asked):
        # A place to eat "für danach", "nach dem Plenum": when, not what (EVENT_TIME).
        part = _TrimmedPart(EVENT_TIME.sub(" ", part.text), part.answer, part.leans)
    answer = part.answer
    folded = fold(part.text)
    # First the plain aside: an opening that changes the subject, or the weather asked.
    if not answer.private and await plain_aside(part, first, first_topic, analyzer, ask_alone):
        return True
    # Everyday life asked in passing, no lead-in needed ("und weißt du, wann der nächste
    # Bus nach Bremen fährt?"), unless the office deals with it ("die Kantine
    # ausschreiben") or it is a short follow-up ("Und die Kantine?").
    # "Auch, wann die Müllabfuhr kommt?" after "Welche Fragen beantwortet die 115?" asks
    # the first's question further (LEANS_WITH_AUCH).
    life = bool(
        EVERYDAY_LIFE.search(folded)
        and not any(g.search(folded) for g in _LIFE_GUARDS)
        and not LEANING_FOLLOW_UP.search(folded)
        and not LEANS_WITH_AUCH.search(folded)
    )
    # ... whose "der nächste Bus" is an article before its noun, not a pointer back.
    own = _NEXT_ONE.sub(r"\1 ", part.text) if life else part.text
    if part.leans or may_point_back_beyond_itself(own) or ABOUT_THE_BOT.search(folded):
        return False  # "und wo krieg ich die her?" asks after the first's subject
    if answer.chatter:
        # A joke or the weather is nobody's question, after an event's too.
        return not SOCIAL_CHATTER.search(folded)
    if APPOINTMENT_REMINDER.search(folded) and not NETWORK_EVENT.search(folded):
        return True  # "Und privat: erinnerst du mich an meinen Zahnarzttermin?"
    aside = bool(PRIVATE_ASIDE.search(folded))
    # Review r39e M1: a thing of another field only after a change of subject ("Ganz andere
    # Frage: ..."), never in a short follow-up ("Und was ist mit Rentnern?") nor with the
    # office acting ("Und wie kaufen wir neue Stühle?").
    change = bool(CHANGE_OF_SUBJECT.search(folded))
    taste = OWN_TASTE.search(folded) and not EVENT_COMPANY.search(folded)
    # No event's: Werder's game, a joke for the coffee break, a recipe.
    unbound = (life and bool(NEVER_THE_EVENTS.search(folded))) or bool(
        JOKE_OR_RECIPE.search(folded)
    )
    if NETWORK_EVENT.search(fold(first)) and not (aside or taste or unbound):
        return False  # "Wie melde ich mich zum Plenum an? Und kennst du ein Hotel?"
    if life and PUBLIC_TRANSPORT.search(folded) and PLACE_ASKED.search(fold(first)):
        return False  # "Wo sitzt die Koordinierungsstelle? Und fährt ein Bus nach Oldenburg?"
    if SCAM_CARRIERS.search(folded):
        return False
    # The canteen's menu is nobody's question on the topics, even in one's own office's
    # building ("ob die Kantine im Kreishaus heute Grünkohl hat", sets 45-46; what the office
    # does with its canteen, OFFICE_DEALINGS, is kept above).
    menu = life and CANTEEN.search(folded) and not OFFICE_DUTY.search(folded)
    office = _office_named(folded) and not menu
    if answer.private or office or (OFFICE_ACTS.search(folded) and not change):
        return False
    query = analyzer.query(part.text)
    if _topics_decide(query, everyday=life or bool(taste)):
        return False
    listed = EVERYDAY_OFF_TOPICS.search(folded) or OWN_TASTE.search(folded) or life
    # "Und privat: ..." sets the part apart as the member's own like a change of subject
    # (set 45: "Und privat: Wo kann man in Leer gut Fisch essen gehen?" was forwarded; fish
    # is on no list); a bare "PS:" does not: it often adds to the first question ("PS:
    # Verlängert sich die Frist über Weihnachten?", review r44). The word after the opening
    # starts the question, no noun ("PS: Verfällt die Frist?").
    rest, opening_words = _after_opening(folded)
    asked = _after_words(part.text, opening_words).lstrip(" \t:,;.-\u2013")
    other = (
        (change or bool(SUBJECT_CHANGED.search(folded)))
        and not LEANING_FOLLOW_UP.search(folded)
        and not LEANING_FOLLOW_UP.search(rest)
        and not OFFICE_ACTS.search(folded)
        and _other_field(query, asked)
    )
    if not (listed or other or (aside and not _topic_words(query))):
        return False
    alone = await ask_alone(_without_times(part.text, opening=life) if listed else part.text)
    # Everyday life and a good place to eat need no lead-in, unless, asked alone, they may be
    # of the first question's topic: holidays after a passport ("Und wann sind die
    # Osterferien, reicht die Zeit noch?"), the canteen's power cut after emergency
    # management, the residents' parking permit on the internet after the OZG (review 40f,
    # 1, 2, 4). A candidate of another topic is their words meeting an entry by chance
    # ("Döner" meets "done", set 44). Any other listed thing ("Und Restaurants auch?") and
    # an aside only called private need no candidate at all.
    near_first = any(t.id == first_topic for t in alone.candidates)
    # A good place to eat is nobody's topic even near the first's (set 46: "wo kann man in
    # Vechta gut zu Mittag essen?" met the plenum's lunch): the event's own meal is told by
    # its company (EVENT_COMPANY) or a word of its topic (``_topics_decide``) above.
    own_life = (life and not near_first) or bool(taste)
    return alone.entry is None and (other or own_life or not alone.candidates) and not alone.private


async def plain_aside(
    part: LaterPart, first: str, first_topic: str | None, analyzer: Analyzer, ask_alone: AskAlone
) -> bool:
    """A later part that opens with a change of subject (vocabulary.ASIDE_OPENING:
    "Themawechsel: ...", "Übrigens, ...", "Und privat: ...", "PS: ...") and asks about
    everyday life (vocabulary.EVERYDAY_OFF_TOPICS, EVERYDAY_LIFE, OWN_TASTE: a
    restaurant, a derby, the canteen, a private appointment), or that asks the weather as
    such (vocabulary.WEATHER_QUESTION, with or without an opening): off the topics, never
    forwarded (sets 42-43: seven such parts were). The weather's own "es" ("ob es morgen
    regnet") and the place an "Apropos Bremen," names ("wo isst man da gut?") point at
    nothing of the first question; otherwise a part that leans on the first question
    (``LaterPart.leans``: only pronouns and verbs, or a pointer back) is never one.
    Precision first (two reviews of round 42): the guards of ``off_topic_part`` hold here
    too (a condition, a short follow-up, the office dealing with the thing or at risk,
    "unsere", a gathering's day, the way to a place asked, a network event's own meal
    unless the subject plainly changes: vocabulary.SUBJECT_CHANGED), and a word of the
    topics deciding, a mail or app, the bot asked about, or a part that, asked alone,
    finds an entry or a candidate of the first question's topic keeps it."""
    text = part.text
    folded = fold(text)
    rest, opening_words = _after_opening(folded)
    weather = bool(WEATHER_QUESTION.search(rest))
    opened = opening_words > 0 and names_everyday_thing(rest)
    if not (weather or opened) or WEATHER_CONDITION.search(rest):
        return False
    own = _after_words(text, opening_words)
    named = APROPOS_NAMED.match(folded)
    place = named is not None and (named.group(1) in PLACES or named.group(1) in REGION_PLACES)
    if part.leans and not (weather or place):
        return False  # "Übrigens, braucht die Kantine auch eine?"
    pointers = WEATHER_ES.sub(" ", own) if weather else own
    if place:
        pointers = re.sub(r"\b(?:da|dort)\b", " ", pointers, flags=re.IGNORECASE)
    if may_point_back_beyond_itself(pointers):
        return False
    if NETWORK_EVENT.search(fold(first)) and not (
        SUBJECT_CHANGED.search(folded)
        or PRIVATE_ASIDE.search(folded)
        or (OWN_TASTE.search(rest) and not EVENT_COMPANY.search(rest))
        or NEVER_THE_EVENTS.search(rest)
    ):
        return False  # "Wann ist das Plenum? Übrigens, gibt es dort was Leckeres?"
    if PUBLIC_TRANSPORT.search(rest) and PLACE_ASKED.search(fold(first)):
        return False  # "Wo sitzt die Koordinierungsstelle? Übrigens, fährt ein Bus hin?"
    if (
        LEANING_FOLLOW_UP.search(rest)
        or any(g.search(rest) for g in _LIFE_GUARDS)
        or SCAM_CARRIERS.search(rest)
        or ABOUT_THE_BOT.search(rest)
        or OFFICE_ACTS.search(rest)
        or _office_named(rest)
    ):
        return False
    if _topics_decide(analyzer.query(own), everyday=True):
        return False
    # Asked alone, without its opening and the day or time ("Themawechsel" meets
    # "Wechsel", "abends" the 115's hours).
    alone = await ask_alone(_without_times(own, opening=False))
    return (
        alone.entry is None
        and not alone.private
        and not any(t.id == first_topic for t in alone.candidates)
    )


def _after_opening(folded: str) -> tuple[str, int]:
    """A part's folded text after its opening (vocabulary.ASIDE_OPENING: "Themawechsel:",
    "Übrigens,", "PS:"), and how many words the opening has."""
    opening = ASIDE_OPENING.search(folded)
    if opening is None:
        return folded, 0
    return folded[opening.end() :], len(_WORD_RE.findall(folded[: opening.end()]))


def asks_weather(text: str) -> bool:
    """The part asks the weather as such (vocabulary.WEATHER_QUESTION), after its opening."""
    return bool(WEATHER_QUESTION.search(_after_opening(fold(text))[0]))


_WORD_RE = re.compile(r"\w+")


def _without_times(text: str, *, opening: bool) -> str:
    """``text`` without its days and times of day and, with ``opening``, the words of opening
    hours, to be asked alone: "samstags" meets the 115's hours, "offen" an open port (set 44:
    "Wann hat der Zahnarzt in Syke samstags offen?" was near IT security)."""

    def dropped(word: str) -> bool:
        return bool(TIME_OF_DAY.fullmatch(word) or (opening and OPENING_HOURS.fullmatch(word)))

    return _WORD_RE.sub(lambda m: " " if dropped(fold(m.group())) else m.group(), text)


def _after_words(text: str, n: int) -> str:
    """``text`` without its first ``n`` words (and what stands between them): the part after
    an opening found in the folded text, whose words are the original's one for one."""
    if n == 0:
        return text
    words = list(_WORD_RE.finditer(text))
    return text[words[n - 1].end() :] if len(words) >= n else ""


def _topics_decide(query: Query, *, everyday: bool) -> bool:
    """A word of the topics decides what a later part asks, so it is kept, not declined as off
    the topics. Never the name of a town of the region ("den besten Döner in Norden": the town
    is a member, not a subject; "Bund" or "bremisch" still decide, review r43), nor, for a
    thing of everyday life, the day, the time or its opening ("Und hat die Mensa am Freitag
    geöffnet?": an opened attachment's word decides nothing about the canteen's hours), unless
    an IT thing is named ("Is the Wi-Fi in the canteen open?", review r43)."""
    everyday = everyday and not IT_WORDS.search(fold(query.text))
    return any(
        u.decides
        and u.surface not in REGION_PLACES
        and not (everyday and u.surface in TOWN_PARTS)
        and not (
            everyday
            and (
                OPENING_HOURS.fullmatch(u.surface)
                or TIME_OF_DAY.fullmatch(u.surface)
                or commonness(u.surface) >= FUNCTION_WORD_ZIPF
            )
        )
        for u in query.units
    )


# A word this common in German (wordfreq Zipf: "gegen" 6.0, "heute" 5.9, "Stadt" 5.7, "Jahr",
# "Zeit"; "sicher" 5.5, "online" 5.4 and the topics' own terms are below) is a function word or
# too general to name a topic's subject, whatever phrasing uses it: in a part on everyday life
# it decides nothing ("wie ist Werder gestern gegen Hamburg ausgegangen?" was kept as a
# question on the topics by "gegen", set 47). A town's office named still keeps a part
# (``_office_named``), the IT named too (IT_WORDS).
FUNCTION_WORD_ZIPF = 5.6


def _office_named(folded: str) -> bool:
    """The member's office, the network or a public facility is named (vocabulary.OWN_SPHERE),
    not only the member's voice ("bei uns", "wir": vocabulary.MEMBER_VOICE), or what the office
    may or must do is asked (vocabulary.OFFICE_DUTY)."""
    if OFFICE_DUTY.search(folded):
        return True
    return any(not MEMBER_VOICE.fullmatch(m.group()) for m in OWN_SPHERE.finditer(folded))


# A noun the index does not know that is this common in German (wordfreq Zipf) names a thing of
# another field ("Currywurst" 3.4, "Kantine" 3.5, "Müllabfuhr" 3.2, "Italiener" 4.1); a rarer
# one is a technical word the knowledge base lacks ("Vorsteuerabzug", "TVöD": 0), whose
# question the coordination should see.
OTHER_FIELD_ZIPF = 3.0


def _other_field(query: Query, text: str) -> bool:
    """The question names a thing of another field (``OTHER_FIELD_ZIPF``; asked only of a part
    that changes the subject: ``off_topic_part``) and, besides it,
    nothing but everyday nouns the index knows ("Woche", "Nähe", "Oldenburg"): no noun of the
    topics, none the index lacks that is rare. A town of the region never keeps it ("in Leer gut
    Fisch essen": "leer" is also a word the knowledge base uses, as in "das Postfach leeren")."""
    nouns = mid_sentence_nouns(text)
    named = [u for u in query.units if u.surface in nouns and not u.context]
    alien = [
        u
        for u in named
        if not u.known and not u.guessed and commonness(u.surface) >= OTHER_FIELD_ZIPF
    ]
    return bool(alien) and all(
        u in alien or (u.known and u.general) or u.surface in REGION_PLACES for u in named
    )


def _topic_words(query: Query) -> bool:
    """The question has a word the index knows that is no everyday word ("Reisepass")."""
    return any(u.known and not u.general and not u.common for u in query.units)


# "der nächste Bus", "der gelbe Sack": an article with an adjective before its noun
# (``off_topic_part``; text.may_point_back reads a "der" not before a noun as a
# pointer).
_NEXT_ONE = re.compile(r"\b(der|die|das|den|dem)\s+[a-zäöüß]+e[nrs]?\s+(?=[A-ZÄÖÜ])")


# A later part of everyday life the office deals with or that leans on the first question
# (``off_topic_part``).
_LIFE_GUARDS = (
    AN_EMERGENCY,
    IN_TIME_FOR,
    OFFICE_DEALINGS,
    WORK_THINGS_AT_RISK,
    ENDS_ON_FIRST_THING,
    OUR_OWN,
    A_GATHERINGS_DAY,
)


def office_deals_with_it(folded: str) -> bool:
    """Everyday life the office deals with or that leans on the first question (``_LIFE_GUARDS``:
    an emergency, "rechtzeitig für", the office's dealings, work things at risk, "unsere", a
    gathering's day). Folded text."""
    return any(g.search(folded) for g in _LIFE_GUARDS)
