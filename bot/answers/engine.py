"""The answer engine: knowledge files + chat FAQ -> FTS5/BM25 index -> calibrated answer.

Retrieval is FTS5 ``bm25()`` over terms analysed in Python (text.py: chat filler, greetings
and sign-offs dropped, typos and compounds resolved). Only the question sentence searches
(text.Query.focus: the sentences of context before it weigh ``text.CONTEXT_WEIGHT``), and
everyday words do not search (they would weigh like domain words in BM25). The hits are
reranked by coverage (how much of the question an entry's own words contain). Among entries
within ``TIE_BAND`` of the best content value, the question's shape decides which one answers:
its kinds (interrogatives "was ist", "seit wann", "wer", "was kostet", and the intent of its
verbs: beitreten, beantragen, verlängern, zuerst, bekommen ...) and its surface words, against
the entries' titles and question phrasings; an entry whose title names a place or year the
question does not is penalised (``PLACE_PENALTY``). A runner-up almost as good is offered with
the answer (``Answer.also``); an answer whose phrasing fits the question poorly is marked
``direct=False`` (it then names the question it answers). The confidence is a logistic function
of six size-independent features:

- coverage of the best entry (IDF-weighted; words only in the answer body count half,
  everyday words (vocabulary.GENERAL_WORDS) that the index knows count ``GENERAL_WEIGHT``,
  common words it does not know (wordfreq, text.is_everyday) ``EVERYDAY_WEIGHT``),
- margin over the best entry of another topic,
- BM25 of the best entry divided by the question's summed IDF (log1p),
- share of the question sentence's words the index knows (directly, split, synonym, corrected),
- anchor: how well a decisive word of the question matches the entry. Decisive are the
  knowledge base's keywords and synonyms (text.Analyzer.decisive); other words that are not
  everyday words count ``PLAIN_ANCHOR``; a bare number is an everyday word. Without any anchor
  ("Was kostet eine Briefmarke?" matches the entry on the cost of calling 115 by "kosten"
  alone) the engine never answers,
- shape fit of the answered entry (0..1, see above): an entry on the topic that answers
  another kind of question ("Wo ist das Stadtarchiv geöffnet?") is less likely right.

The weights were fitted (benchmarks/calibrate.py: logistic regression, classes balanced, L2
0.01, on questions with an anchor) on tests/data/questions.toml, questions_dev.toml and
questions_intent.toml; label = "top-1 topic right". questions_heldout.toml and
questions_heldout2.toml were kept out of the fit. Refit when the knowledge base or the
analysis changes a lot.
"""

from __future__ import annotations

import asyncio
import logging
import math
import os
import re
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from pathlib import Path

from bot.answers.asides import asks_weather, off_topic_part, office_deals_with_it, plain_aside
from bot.answers.loader import (
    EnglishVariant,
    Entry,
    Knowledge,
    Problem,
    Topic,
    load,
    question_key,
)
from bot.answers.redact import mask_secrets
from bot.answers.text import (
    ANY_TOPIC,
    SYNONYM_PREFIX,
    Analyzer,
    Query,
    Questions,
    Shape,
    Unit,
    analysis_signature,
    asking_words,
    borrowed_words_topics,
    charge_paid_across,
    club_matter,
    content_tokens,
    fold,
    game_or_screen,
    is_general,
    is_thing,
    line_or_body,
    looks_english,
    lower_case_words,
    may_point_back,
    may_point_back_beyond_itself,
    mid_sentence_nouns,
    my_private_device,
    names_private_thing,
    other_bodys_line,
    own_papers,
    place_phrase_words,
    private_hint,
    private_setting,
    private_sphere,
    question_segments,
    question_shape,
    release_build_caches,
    shop_matter,
    split_questions,
    split_sentences,
    stem_de,
    surface_words,
    tokenize,
    trade_matter,
    tradesmans_bill,
    without_parts,
)
from bot.answers.vocabulary import (
    APPOINTMENT_REMINDER,
    GENERAL_SYNONYMS,
    NETWORK_EVENT,
    PLACE_NAMES,
    PLACES,
    THING_CARRIERS,
    THING_SYNONYMS,
)
from storage.database import Database
from storage.knowledge import (
    EntryVotes,
    FaqRow,
    Hit,
    IndexDoc,
    KnowledgeStore,
    Unanswered,
    chat_source,
)

log = logging.getLogger(__name__)


def shipped_knowledge_dir() -> Path:
    """The knowledge base that comes with the bot: the repository's knowledge/ folder in a
    checkout or editable install, else the copy a wheel installs to <prefix>/share/vir-bot/."""
    checkout = Path(__file__).resolve().parents[2] / "knowledge"
    if checkout.is_dir():
        return checkout
    return Path(sys.prefix) / "share" / "vir-bot" / "knowledge"


DEFAULT_KNOWLEDGE_DIR = shipped_knowledge_dir()
# Answers below this confidence abstain. Accuracy and abstention were flat between 0.35 and
# 0.5 on the question sets; 0.4 sits inside with room on both sides.
DEFAULT_THRESHOLD = 0.4
# Bump when the analysis code changes: stored indexes built by older code are then rebuilt.
# Word lists are hashed in automatically.
INDEX_VERSION = "5:" + analysis_signature()
ENGINE_KEY = "@engine"
# bm25 column weights: title, questions, keywords, body, topic keywords.
WEIGHTS = (4.0, 3.0, 3.0, 1.0, 0.5)
# Intercept and weights for (coverage, margin, BM25 strength, known share, anchor, shape fit):
# see the module docstring.
CALIBRATION = (-6.37, 2.92, 0.8, 0.56, 1.54, 1.69, 1.31)
# Hits fetched per question: at least this many, and at least the largest topic's entries
# (_State.search_limit): a bare topic word ("Vergabe?") matches every entry of its topic about
# alike, and the one whose phrasing fits must be among those the shape comparison sees.
SEARCH_LIMIT = 30
# Logit a topic's best entry needs (margin left out) to be offered as "Meinten Sie ...?".
CANDIDATE_LOGIT = -2.0
# Logit at most when only everyday words matched (score 0.08, far below any sane threshold).
NO_ANCHOR_LOGIT = -2.5
# Anchor credit of a matched word that is neither everyday nor a keyword or synonym.
PLAIN_ANCHOR = 0.5
# Credit for a question word that an entry has only in its body (titles, questions, keywords: 1).
BODY_CREDIT = 0.5
# Weight in coverage of everyday words (vocabulary.GENERAL_WORDS) the index knows, and of everyday
# things it does not know (vocabulary.GENERAL_THINGS: "Fotos" in "Archiv für alte Fotos").
GENERAL_WEIGHT = 0.3
THING_WEIGHT = 0.6
# ... and of common words that some phrasing uses ("gemeint", "gelten": text.Unit.common).
COMMON_WEIGHT = 0.3
# ... and of common words the index does not know that name no thing (text.Unit.everyday:
# "tatsächlich", "momentan").
EVERYDAY_WEIGHT = 0.1
# Tie-break among entries that match the question's content about equally well ("Was ist die
# 115?": every 115 entry contains "115" and nothing else of the question). Entries whose content
# value (BM25 times coverage, see _decide) is within TIE_BAND of the best one are ranked by
# value * (1 + TIE_SHAPE * shape similarity), the similarity (0..1, _shape_score) comparing
# the kind of question and the surface words with the entry's title and question phrasings.
# Entries further behind are never picked, however well the words fit. Only the answered entry
# changes: confidence, abstention and "Meinten Sie ...?" candidates are decided by content.
TIE_BAND = 0.35
TIE_SHAPE = 0.6
# All of them are compared, however many: a cap (24 until the eighth round) cut the entry
# whose phrasing fits when a bare topic word tied a topic of 41 entries (review REVIEW-7, R3).
# The fetched hits bound them (_State.search_limit); p95 latency: docs/answer-quality.md.
# The half of a two-question message that is not sure enough to answer still has its best
# entry offered ("Passt eher") from this confidence; below it the answer says nothing fits.
SUGGEST_SCORE = 0.25
# A runner-up whose value (content times shape) is within ALSO_BAND of the pick's is offered
# with the answer ("Passt eher: ..."), instead of a confident pick between the two.
ALSO_BAND = 0.08
# ... unless the pick's phrasing fits the question this well (shape fit 0..1): "Was ist die
# 115?" is answered by "Was ist die Behördennummer 115?" without a "Passt eher".
CLEAR_FIT = 0.75
# An entry whose title names a place (vocabulary.PLACES) or a year the question does not name
# loses this share of its value in the choice: general opening hours are not one city's, and
# "the plenum" is the coming one, not the one of 2015.
PLACE_PENALTY = 0.15
# ... and an entry whose title names a place or year the question names (and every place it
# names) gains this share: the specific case is answered by its own entry, not by the general
# one.
PLACE_BONUS = 0.15
# Groups of everyday words (vocabulary.GENERAL_SYNONYMS, by their first word) whose synonym
# concept is searched although the words are everyday: what something costs and when it is
# open ("Zu welchen Zeiten ist die 115 erreichbar?" did not find the entry on the hours).
SEARCHED_KINDS = frozenset({"kosten", "erreichbar"})
# Kinds of question that ask for a value. An answer whose entry is about none of the question's
# values is not direct (it names the question it answers): a penalty in the confidence cost
# more right answers on the development sets than it saved.
VALUE_KINDS = frozenset({"date", "cost", "duration", "hours", "quantity"})
# A question of at most this many words and no interrogative ("115", "XRechnung?") asks what
# the thing is.
BARE_TERM_UNITS = 2
# Shape fit (0..1) from which an answer counts as answering the question itself; below it the
# answer names the question it answers and drops a leading "Ja."/"Nein.".
DIRECT_FIT = 0.3
# Share of the shape similarity given to a shared kind of question (was ist, wann, wer, was
# kostet ...: text.QUESTION_KINDS); the rest is the weighted overlap of the surface words, in
# which a content word weighs CONTENT_WEIGHT and a stop or question word 1.
KIND_SHARE = 0.5
CONTENT_WEIGHT = 2.0
# An entry of the topic its question's context names gains up to this share of its value
# (_context_topics): the context helps choose the topic, not the entry.
CONTEXT_TOPIC = 1.2
# A word used by entries of this many topics ("Behörde", "Kommune") names no subject of its
# own: an answer need not contain it to be about what was asked (_subject_units).
COMMON_TOPICS = 4


@dataclass(frozen=True)
class Answer:
    question: str
    topic: Topic | None
    entry: Entry | None
    score: float
    candidates: tuple[Topic, ...] = ()
    english: bool = False
    # A second entry that fits the question almost as well: offered with "Passt eher: ...".
    also: Entry | None = None
    # The entry answers what was asked (its phrasing fits the question's kind and words);
    # otherwise the answer says which question it answers and claims no "Ja."/"Nein.".
    direct: bool = True
    # Chit-chat, arithmetic, nonsense: declined, never forwarded as an open question.
    chatter: bool = False
    # A private near miss (one's own bank card, phone …): declined and, like chatter, never
    # forwarded to the coordination (it is nobody's business there).
    private: bool = False
    # A message asking several questions, two or more answered from different entries: the
    # answers (this answer is the first of them).
    parts: tuple[Answer, ...] = ()
    # ... the questions nothing fits: each as asked, and as the coordination reads it (with
    # the first question when it points back at it: "es", "sie", "dort").
    unanswered: tuple[tuple[str, str], ...] = ()
    # ... and the questions an answer above already answers (their best entry is its entry).
    covered: tuple[str, ...] = ()
    # ... the private questions (one's own bank card, phone …): named as private in the
    # reply, never forwarded to the coordination.
    private_parts: tuple[str, ...] = ()
    # ... the questions off the network's topics (a restaurant, the weather, a joke asked of
    # the bot: ``asides.off_topic_part``): declined as such, never forwarded.
    off_topic_parts: tuple[str, ...] = ()
    # ... of the unanswered ones, those whose best (unsure) entry is one answered above: the
    # reply must not read as if it had not touched them (set 17's judges).
    near_given: tuple[str, ...] = ()
    # ... the questions the reply answers or covers, as asked (one leaning on an unanswered
    # first question with that question's last sentence): what a 👎 passes on, never a
    # private, chatter or off-topic part (so an off-topic part wrongly declined has no way to
    # the coordination: ``asides.off_topic_part`` keeps to precision). Empty for a message asking
    # one question.
    answered_questions: tuple[str, ...] = ()

    @property
    def forward_if_unhelpful(self) -> str:
        """The question a 👎 on this answer passes on to the coordination."""
        return " ".join(self.answered_questions) or self.question

    @property
    def unanswered_part(self) -> str:
        return self.unanswered[0][0] if self.unanswered else ""

    @property
    def unanswered_question(self) -> str:
        return self.unanswered[0][1] if self.unanswered else ""

    @property
    def abstained(self) -> bool:
        return self.entry is None

    @property
    def language(self) -> str:
        """ "en" only if the question looks English and the entry has an English variant."""
        return "en" if self.english and self.entry is not None and self.entry.en else "de"

    @property
    def title(self) -> str:
        if self.entry is None:
            return ""
        return self.entry.en.title if self.language == "en" and self.entry.en else self.entry.title

    @property
    def text(self) -> str:
        if self.entry is None:
            return ""
        return self.entry.en.answer if self.language == "en" and self.entry.en else self.entry.body

    @property
    def also_title(self) -> str:
        if self.also is None:
            return ""
        return self.also.en.title if self.language == "en" and self.also.en else self.also.title


@dataclass(frozen=True)
class KnowledgeStats:
    top_topics: list[tuple[str, int]]
    abstained: int
    asked: int
    most_downvoted: list[EntryVotes]

    @property
    def abstention_rate(self) -> float:
        return self.abstained / self.asked if self.asked else 0.0


@dataclass(frozen=True)
class _Part:
    """One question of a message that asks several (``AnswerEngine._ask_parts``)."""

    text: str  # as asked
    answer: Answer
    pick: Entry | None  # the entry to offer if it is not sure enough to answer
    forward: str  # as the coordination reads it
    # Its best entry, not offered, when the part leans on the first question: the reply says
    # the answer above may cover it when that entry is the one given there.
    near: Entry | None = None
    # It leans on the first question ("und wo beantrage ich sie?"): that question's subject.
    leans: bool = False


@dataclass(frozen=True)
class _Decision:
    pick: Hit
    score: float
    candidates: tuple[Topic, ...]
    also: Hit | None
    direct: bool
    # The pick shares no word of the question's own subject (only words of its topic).
    off_subject: bool = False
    # ... nor of its everyday nouns ("das Gehalt", "ein Reisepass"): for one of two questions.
    off_things: bool = False


@dataclass
class _State:
    topics: dict[str, Topic] = field(default_factory=dict)
    entries: dict[str, Entry] = field(default_factory=dict)
    terms: dict[str, frozenset[str]] = field(default_factory=dict)  # entry's own terms
    head: dict[str, frozenset[str]] = field(default_factory=dict)  # title, questions, keywords
    shapes: dict[str, tuple[Shape, ...]] = field(default_factory=dict)  # title and questions
    places: dict[str, frozenset[str]] = field(default_factory=dict)  # named in the title
    values: dict[str, frozenset[str]] = field(default_factory=dict)  # stated: BODY_VALUES
    pays: set[str] = field(default_factory=set)  # entries about a wage: _PAY_WORDS
    topic_terms: dict[str, frozenset[str]] = field(default_factory=dict)
    # The terms of each topic's name (title and English title) for _subject_units: the
    # analyser's doc_terms depend only on what it was built with, so once per state, not per
    # question (≈ 0.3 ms an ask). Topics never change at runtime.
    topic_names: dict[str, frozenset[str]] = field(default_factory=dict)
    # numbers in topic titles (the 115) -> those topics
    topic_numbers: dict[str, tuple[Topic, ...]] = field(default_factory=dict)
    docs: dict[str, IndexDoc] = field(default_factory=dict)
    df: Counter[str] = field(default_factory=Counter)
    # The topics whose entries use a term ("Behörde", "Kommune" are in all of them): one
    # shared frozenset per combination (≈ 125 for ≈ 7,000 terms; a set per term was ≈ 2 MB).
    term_topics: dict[str, frozenset[str]] = field(default_factory=dict)
    topic_sets: dict[frozenset[str], frozenset[str]] = field(default_factory=dict)
    analyzer: Analyzer = field(default_factory=lambda: Analyzer(()))
    synonyms: tuple[tuple[str, ...], ...] = ()
    topic_sizes: Counter[str] = field(default_factory=Counter)  # entries per topic
    # Synonym concepts of the values asked that are searched (SEARCHED_KINDS).
    kind_concepts: frozenset[str] = frozenset()

    @property
    def search_limit(self) -> int:
        """SEARCH_LIMIT, or the largest topic's number of entries if that is larger."""
        return max((SEARCH_LIMIT, *self.topic_sizes.values()))  # no entries yet: SEARCH_LIMIT


_THUMBS_UP = {"👍", "+1", ":+1:", ":thumbsup:"}
_THUMBS_DOWN = {"👎", "-1", ":-1:", ":thumbsdown:"}


def vote_from_reaction(key: str) -> int | None:
    """Map a reaction key to +1/-1 (skin-tone variants included), anything else to None."""
    base = re.sub("[\U0001f3fb-\U0001f3ff\ufe0f]", "", key.strip())
    if base in _THUMBS_UP:
        return 1
    if base in _THUMBS_DOWN:
        return -1
    return None


def slugify(text: str, max_len: int = 48) -> str:
    words = re.findall(r"[a-z0-9]+", fold(text))
    slug = ""
    for w in words:
        if len(slug) + len(w) + 1 > max_len:
            break
        slug = f"{slug}-{w}" if slug else w
    return slug or "faq"


class AnswerEngine:
    """Answers questions from the knowledge base; abstains below ``threshold``.

    Call ``await refresh()`` once at start (``ask`` does it lazily otherwise). Afterwards the
    knowledge directory is checked for changes at most every ``check_interval`` seconds.
    """

    def __init__(
        self,
        db: Database,
        knowledge_dir: Path = DEFAULT_KNOWLEDGE_DIR,
        *,
        threshold: float = DEFAULT_THRESHOLD,
        check_interval: float = 30.0,
        monotonic: Callable[[], float] = time.monotonic,
        wall_clock: Callable[[], float] = time.time,
    ) -> None:
        self.store = KnowledgeStore(db)
        # The times stored with answers, votes, open questions and chat FAQ entries: the bot's
        # clock (a fake one in tests), so the log agrees with everything else the bot stores.
        self._wall_clock = wall_clock
        self.knowledge_dir = knowledge_dir
        self.threshold = threshold
        self.check_interval = check_interval
        self._monotonic = monotonic
        self._state = _State()
        self._lock = asyncio.Lock()
        self._loaded = False
        self._signature: tuple[tuple[str, int, int], ...] = ()
        self._checked_at = 0.0
        self.problems: tuple[Problem, ...] = ()
        # Features of the latest decision (coverage, margin, strength, known, anchor: those of
        # the best entry by content) and the topic of the entry picked to answer (after the
        # tie-break, see TIE_BAND), also below the threshold: for calibration.
        self.last_features: tuple[float, ...] = ()
        self.last_topic = ""

    # -- public read access ---------------------------------------------------------------------

    @property
    def topics(self) -> dict[str, Topic]:
        return dict(self._state.topics)

    @property
    def entries(self) -> list[Entry]:
        return list(self._state.entries.values())

    def entry(self, entry_id: str) -> Entry | None:
        return self._state.entries.get(entry_id)

    # -- index ----------------------------------------------------------------------------------

    async def refresh(self, force: bool = False) -> bool:
        """Reload files and chat FAQ; rebuild the FTS index only if a file's hash changed.

        Returns True if the index was rebuilt. Lock order: this takes the engine's lock and
        then the database's write lock, while a command holds the write lock and then takes the
        engine's lock (``add_faq_entry``). So call it only where no command runs (at start,
        before the sync loop) or from inside the command's transaction (``ask`` does), never
        from a task of its own while commands run (REVIEW-13 F5).
        """
        async with self._lock:
            knowledge = await asyncio.to_thread(load, self.knowledge_dir)
            self._signature = await asyncio.to_thread(_signature, self.knowledge_dir)
            self._checked_at = self._monotonic()
            faq = [_faq_entry(r) for r in await self.store.faq_entries()]
            file_ids = {e.id for e in knowledge.entries} | set(knowledge.topics)
            entries = [*knowledge.entries, *(e for e in faq if e.id not in file_ids)]
            hashes = {**knowledge.hashes, ENGINE_KEY: INDEX_VERSION}
            rebuild = force or await self.store.source_hashes() != hashes
            # Unchanged files: take the analysed terms from the index instead of redoing them.
            stored = {} if rebuild else {d.doc_id: d for d in await self.store.index_docs()}
            state = _build_state(knowledge, entries, stored)
            release_build_caches()
            if rebuild:
                await self.store.replace_index(state.docs.values(), hashes)
            else:
                for doc_id, doc in state.docs.items():
                    if doc_id not in stored:  # e.g. a chat entry whose index row went missing
                        await self.store.upsert_doc(doc)
            self._state = state
            self.problems = knowledge.problems
            log.info(
                "knowledge: %d topics, %d entries (%s)",
                len(state.topics),
                len(state.entries),
                "index rebuilt" if rebuild else "index unchanged",
            )
            for problem in knowledge.problems:
                log.warning("knowledge problem: %s", problem)
            self._loaded = True
            return rebuild

    async def _maybe_refresh(self) -> None:
        if not self._loaded:
            await self.refresh()
            return
        if self._monotonic() - self._checked_at < self.check_interval:
            return
        self._checked_at = self._monotonic()
        if await asyncio.to_thread(_signature, self.knowledge_dir) != self._signature:
            await self.refresh()

    # -- asking ---------------------------------------------------------------------------------

    async def ask(self, question: str) -> Answer:
        await self._maybe_refresh()
        # A PIN or password written into the question is quoted, logged or forwarded nowhere.
        question = mask_secrets(question)
        split = split_questions(question[:1000])
        # Later parts declined (off the topics, or private) when no part is sure.
        declined = _Declined()
        # One's own charge notice in the first question, paying it in a later one that names
        # nothing of its own: the payer's as a whole (text.charge_paid_across).
        paid_across = split is not None and any(
            not later.names_thing and charge_paid_across(split.first, later.text)
            for later in split.later
        )
        if split is not None and not paid_across:
            answer = await self._ask_parts(question, split, declined)
            if answer is not None:
                return answer
        decided: list[Entry] = []
        # Analysed once for both looks at the whole message (≈ 0.5 ms each).
        whole = self._state.analyzer.query(question[:1000])
        answer = (await self._ask_one(question, decided=decided, query=whole))[0]
        if answer.abstained and decided:
            # Found nothing near: a remark after the question drew it (not a private or
            # chatter message: its later sentences decided that, review REVIEW-49-code).
            weak = answer.score < SUGGEST_SCORE and not (answer.private or answer.chatter)
            again = await self._second_look(question, decided[0].topic, whole, weak=weak)
            if again is not None:
                return _declined_named(again, declined)
        if answer.abstained and declined:
            return _without_declined(answer, question, declined)
        if declined and not declined.private_kept:
            return await self._rest_answered(question, declined) or answer
        return answer

    async def _rest_answered(self, question: str, declined: _Declined) -> Answer | None:
        """A message answered as a whole although later parts were declined (off the topics,
        or private): answered again without them, and the declined parts named as such (set
        52: "Gibt es beim Plenum auch Mittagessen …? Und kennst du nen guten Witz für die
        Kaffeepause?" was answered with the joke in its words and the joke not declined). If
        the rest finds no answer of its own, the whole message's answer came from the declined
        parts' words ("… Und meine PIN ist •••, geht die?" drew the PIN entry): declined like a
        message that found nothing, the rest passed on without them (``_without_declined``;
        review REVIEW-51-final). None when the declined parts are not found in the text."""
        rest = without_parts(question, [*declined.off_topic, *declined.private])
        if rest is None:
            return None
        answer = replace((await self._ask_one(rest))[0], question=question)
        if answer.abstained:
            return _without_declined(answer, question, declined)
        return _declined_named(answer, declined)

    async def _second_look(
        self, question: str, topic: str, whole: Query, *, weak: bool = False
    ) -> Answer | None:
        """A message that found no answer as a whole, asked again sentence by sentence (and
        a question sentence without the alternative it offers: "Wird das Plenum übertragen,
        oder muss man hinfahren?"): a long message's context, or a colloquial alternative
        ("oder ist da Schicht im Schacht?"), can dilute a question that its own sentence
        asks clearly. The best such answer is given if it is sure on its own, and only if
        the whole message agrees: its best entry (below the threshold) is of the same topic
        (``topic``),
        and no sentence around names a thing the knowledge base does not know ("neue
        Bürostühle kaufen. Welches Modell ist am ergonomischsten?" is no question on the
        archive's reference model). A sentence that points back ("Lohnt sich das?") is not
        asked on its own (text.question_segments). ``whole``: the message analysed (``ask``)."""
        if any(u.context and not u.known and not u.general for u in whole.units):
            return None
        best: Answer | None = None
        seen = (self.last_features, self.last_topic)  # the whole message's
        segments = question_segments(question[:1000], self._state.analyzer.knows)
        for segment in segments:
            answer = (await self._ask_one(segment))[0]
            if answer.entry is None:
                continue
            if answer.entry.topic != topic and not (weak and segment is segments[0]):
                continue
            if answer.score >= self.threshold and (best is None or answer.score > best.score):
                best, seen = answer, (self.last_features, self.last_topic)
        # The features are those of the answer given (benchmarks/calibrate.py checks them).
        self.last_features, self.last_topic = seen
        return replace(best, question=question) if best is not None else None

    async def _ask_parts(
        self, question: str, split: Questions, declined: _Declined
    ) -> Answer | None:
        """Several questions in one message ("Was ist eine Leitweg-ID und wo beantrage ich
        sie?"): each answered from its own entry when it is sure; one whose entry an earlier
        answer already gives is named as covered by it; one that is not sure gets its best
        entry offered ("Passt eher") or is named as unknown (and forwarded). None: none is
        sure, the message is answered as one question; ``declined`` then gets the later parts
        to decline all the same (off the topics, or private) and whether a private part is
        left among the rest."""
        state = self._state
        decided: list[Entry] = []
        first, first_pick = await self._ask_one(split.first, part=True, decided=decided)
        # The first question's topic: of its answer, or of its best entry when it was not sure
        # enough or off its subject ("dafür" in a later part still points to what the first
        # part named, answered or not; chatter, private parts (private_sphere,
        # private_setting) and parts nothing matches have none).
        first_topic = (
            first.topic.id if first.topic is not None else next((e.topic for e in decided), None)
        )
        results = [_Part(split.first, first, first_pick, split.first)]
        first_alien = borrowed_words_topics(split.first)
        for later in split.later:
            nearest: list[Entry] = []
            if later.names_thing:
                # Its own words decide, the first question's subject only weighs in: it must
                # not answer "... und wie heißt der Bürgermeister von Oldenburg?".
                answer, pick = await self._ask_one(
                    later.in_context, part=True, own=later.text, lent=True, decided=nearest
                )
                if (
                    later.refers_back
                    and first_topic is not None
                    and answer.topic is not None
                    and answer.topic.id != first_topic
                ):
                    # "... schulen, und gibt es dafür kostenlose Angebote?": "dafür" is the
                    # first's subject, so its thing ("Angebote") is read in another topic's
                    # sense (tenders' bids) by an answer from that topic: passed on.
                    answer, pick = replace(answer, topic=None, entry=None, also=None), None
                if (
                    pick is not None
                    and pick.topic != first_topic
                    and not _anchored(state, later.text, pick.id)
                ):
                    # Offered from another topic only for a decisive word of the part's own:
                    # the first question's words only weigh in ("Was ist die 115 und wie
                    # heißt der Bürgermeister von Oldenburg?" must not offer the entry on the
                    # mayor's e-mails for the 115 lent to it).
                    pick = None
            else:
                # Only pronouns and verbs: asked after the first's subject ("wo beantrage ich
                # sie?" is the Leitweg-ID's); its own words decide whether it is private.
                # "Wie melde ich ein Gewerbe an, und was kostet das?": "das" is in the first's
                # field, so the topics left out for it are left out here too.
                answer, pick = await self._ask_one(
                    later.in_context,
                    part=True,
                    own=later.text,
                    decided=nearest,
                    leaning_on=first_alien,
                )
                other_topic = (
                    first_topic is not None
                    and answer.topic is not None
                    and answer.topic.id != first_topic
                )
                if other_topic or (
                    answer.entry is not None
                    and _misses_kind(state, state.analyzer.shape(later.text), answer.entry.id)
                ):
                    # "Was ist das BSI und wer leitet es?": "es" is the BSI, so an answer from
                    # another topic (who leads the testbed) answers another question; and one
                    # that is about none of what it asks ("Wer hat sie erfunden?" is not how to
                    # apply for a Leitweg-ID) answers only the first's subject.
                    answer, pick = replace(answer, topic=None, entry=None, also=None), None
                elif pick is not None and first_topic is not None and pick.topic != first_topic:
                    # ... nor is an unsure one offered from another topic ("Was ist die
                    # E-Vergabe und wer bezahlt das?" is not the 115's financing; review
                    # REVIEW-34-code-b, M3).
                    pick = None
                declined_first = first.entry is None and _no_topics_subject(state, split.first)
                if first.private or declined_first:
                    # "Wie lange ist mein Führerschein gültig, und wie verlängere ich ihn?":
                    # "ihn" is the private thing, so the part is private too, whatever entry
                    # its verb alone fits (round 41: the ID card's application answered it);
                    # "Kann man bei dm Passbilder machen, und was kostet das?" asks the shop.
                    private = first.private
                    answer = replace(answer, topic=None, entry=None, also=None, private=private)
                    pick = None
            if (
                answer.entry is not None
                and ((later.names_thing and not later.refers_back) or asks_weather(later.text))
                and await plain_aside(
                    _Part(later.text, answer, pick, later.text),
                    split.first,
                    first_topic,
                    state.analyzer,
                    self._asked_alone,
                )
            ):
                # "By the way, who won the derby yesterday?": asked alone it finds nothing, so
                # its answer came from the first question's words; declined below
                # (``asides.off_topic_part``), not "covered" by the first answer.
                answer, pick = replace(answer, topic=None, entry=None, also=None), None
            # A part that leans on the first ("und wie lange dauert der?") is forwarded with
            # the first's last sentence; if it is not answered or offered (too unsure, or its
            # best entry does not say what kind of thing it asks), its best entry of the
            # first's topic is kept, so that the reply can say the answer above may cover it
            # when that is the entry given there. A part with a subject of its own ("und darf
            # eine Person beides machen?") is not read as the first's.
            leans = later.refers_back or not later.names_thing
            # Never with a private or chatter first question: the coordination must not read it
            # ("Wie lautet meine Kreditkarten-PIN? Und was ist die 115?").
            lend = leans and not (first.private or first.chatter)
            forward = f"{last_sentence(split.first)} {later.text}" if lend else later.text
            near = (
                nearest[0]
                if nearest and leans and answer.entry is None and nearest[0].topic == first_topic
                else None
            )
            results.append(_Part(later.text, answer, pick, forward, near, leans))
        if all(r.answer.abstained for r in results):
            if not (first.private or first.chatter):
                # Set 40: "... für unsere Gemeinde? Und wie wird morgen das Wetter in
                # Oldenburg?" was passed on whole, the weather with it.
                for r in results[1:]:
                    if await off_topic_part(
                        r, results[0].text, first_topic, state.analyzer, self._asked_alone
                    ):
                        declined.off_topic.append(r.text)
                    elif _named_private(r, _private_device(r)):
                        declined.private.append(r.text)
                    elif r.answer.private:
                        # "..., die ist 4711" points back: not named, but never passed on.
                        declined.private_kept = True
            return None
        answered: list[Answer] = []
        covered: list[str] = []
        unsure: list[_Part] = []
        replied: list[_Part] = []  # answered or covered
        private_parts: list[str] = []
        off_topic_parts: list[str] = []
        for r in results:
            answer = r.answer
            if answer.entry is None:
                device = r is not results[0] and _private_device(r)  # evaluated once
                if r is not results[0] and await off_topic_part(
                    r, results[0].text, first_topic, state.analyzer, self._asked_alone
                ):
                    # "... und kannst du mir ein gutes Restaurant in Oldenburg empfehlen?",
                    # "... und kannst du mir einen Witz erzählen?": declined as no question of
                    # the network's, not passed on to the coordination (sets 37, 38).
                    off_topic_parts.append(r.text)
                elif answer.private or device:
                    # "... und wie ändere ich die PIN meiner EC-Karte?": never for the
                    # coordination. The reply says it is a private question (it said nothing
                    # of it before), unless the part leans or may lean on the first question
                    # ("und warum gilt der bei meinem Sohn kürzer?" may be its subject): that
                    # one is left unsaid, as before. A private thing of its own whose only
                    # pronoun is its own relative clause's ("die PIN meiner EC-Karte, die ich
                    # gerade bekommen habe") cannot be the first's subject: named.
                    if _named_private(r, device):
                        private_parts.append(r.text)
                elif not answer.chatter:
                    # "... und wie geht's?" is neither answered nor forwarded.
                    unsure.append(r)
                continue
            replied.append(r)
            if any(a.entry is not None and a.entry.id == answer.entry.id for a in answered):
                covered.append(r.text)
            else:
                answered.append(answer)
        # An unsure part whose every word of substance an answer above states ("Und wie oft
        # darf man die PIN falsch eingeben?" after the PIN entry, which says so): named as
        # covered by that answer, not as unknown (judges read "nothing reliable about it"
        # above the very sentence that answers it).
        # One that leans on the first question may have only one such word, whole, if the
        # entry asks its kind of question (``_states_its_word``: "Und in welchem Format sollten
        # die geliefert werden?" after the metadata entry, which names the format: set 52).
        kept: list[_Part] = []
        for r in unsure:
            if (
                any(_states_all(state, r.text, a.entry.id) for a in answered if a.entry)
                or (
                    r.leans
                    and any(
                        _states_its_word(state, r.text, a.entry.id) for a in answered if a.entry
                    )
                )
                or (
                    (r.leans or _nothing_of_its_own(r.text))
                    and any(_asked_under_heading(r.text, a.entry) for a in answered if a.entry)
                )
            ):
                covered.append(r.text)
                replied.append(r)
            else:
                kept.append(r)
        unsure = kept
        # What the reply answers, as the coordination would read it (a 👎 passes this on): a
        # part that leans on an unanswered first question carries that question's last
        # sentence; private, chatter and off-topic parts never appear.
        first_replied = replied[0] is results[0] if replied else False
        answered_questions = tuple(
            r.text if first_replied or r is results[0] else r.forward for r in replied
        )
        given = {a.entry.id for a in answered if a.entry is not None}
        also: Entry | None = None
        unanswered: list[tuple[str, str]] = []
        near_given: list[str] = []
        for r in unsure:
            # One offer at most; an unsure part whose best entry is answered above is not
            # claimed as answered by it: it is named as unsure whether that answer covers it
            # (and forwarded). So is one that leans on the first question and whose best entry,
            # not offered, is the one answered above.
            pick = r.pick
            offer = pick is not None and r.answer.score >= SUGGEST_SCORE and pick.id not in given
            if also is None and offer:
                also = pick
            else:
                unanswered.append((r.text, r.forward))
                if any(e is not None and e.id in given for e in (pick, r.near)):
                    near_given.append(r.text)
        best = answered[0]
        parts = tuple(replace(a, also=None) for a in answered) if len(answered) > 1 else ()
        return replace(
            best,
            question=question,
            also=also,
            parts=parts,
            unanswered=tuple(unanswered),
            covered=tuple(covered),
            private_parts=tuple(private_parts),
            off_topic_parts=tuple(off_topic_parts),
            near_given=tuple(near_given),
            answered_questions=answered_questions,
        )

    async def _asked_alone(self, text: str) -> Answer:
        """``text`` answered as a message of its own, for the asides' look (asides.py); the
        message's own features stay (``last_features``, ``last_topic``)."""
        seen = (self.last_features, self.last_topic)
        answer = (await self._ask_one(text))[0]
        self.last_features, self.last_topic = seen
        return answer

    async def _ask_one(
        self,
        question: str,
        *,
        part: bool = False,
        own: str | None = None,
        lent: bool = False,
        decided: list[Entry] | None = None,
        query: Query | None = None,
        leaning_on: frozenset[str] = frozenset(),
    ) -> tuple[Answer, Entry | None]:
        """The answer to one question, and the entry that fits it best even if that is not
        sure enough to answer (None if nothing fits, its phrasing fits another kind of
        question, or the question is no question for it). ``own``: the part's own words when
        ``question`` puts the first question's words before it (they must not make a private
        part look like the first one's subject); ``lent``: those words are context only;
        ``decided`` gets the best entry appended, if any was compared (chatter,
        a private question and one nothing matches have none). ``query``: ``question`` already
        analysed (with ``lent``), by the same state. ``leaning_on``: topics the first question
        of the message left out (``borrowed_words_topics``), for a part that leans on it."""
        state = self._state
        text = question[:1000]
        mine = (own if own is not None else question)[:1000]
        if query is None:
            query = state.analyzer.query(text, lent=lent)
        # A part is chit-chat by its own words ("... und wie geht es dir?"), whatever the
        # first question's subject before it.
        chatter = query.chatter or (own is not None and state.analyzer.query(mine).chatter)
        if chatter or _bare_numbers(state, query):
            return Answer(question, None, None, 0.0, (), query.english, chatter=True), None
        named = _number_alone(state, query, text)
        if named:
            # "115" and nothing else: it names a topic but asks nothing (set 43-47's judges:
            # a bare number never carries an answer). Declined like chit-chat, with the topic's
            # overview offered; "115?" asks what it is and is answered (BARE_TERM_UNITS).
            return Answer(question, None, None, 0.0, named, query.english, chatter=True), None
        if _numbers_only_subject(state, query):
            # "Was gilt für 18-Jährige?": everyday words and a number; the number alone would
            # pick whichever entry says "18" (the 115's hours). Declined, and forwarded.
            return Answer(question, None, None, 0.0, (), query.english), None
        if private_sphere(mine) or private_setting(mine):
            # One's own bank card, phone or home computer, or one's WLAN at home: a near miss,
            # declined as such, whatever entry's phrasing would fit it.
            return Answer(question, None, None, 0.0, (), query.english, private=True), None
        if own_papers(mine) or tradesmans_bill(mine):
            # One's own tax ID or driving licence, a plumber's bill to oneself: a private
            # person's matter of another body, declined as private whatever entry shares "ID"
            # or "Rechnung" with it (round 41).
            return Answer(question, None, None, 0.0, (), query.english, private=True), None
        if _own_appointment_reminder(mine):
            # "Kannst du mich an meinen Zahnarzttermin erinnern?": the bot reminds of the
            # network's events, it keeps no private calendar; small talk, not forwarded (it got
            # the entry on the plenum's reminders).
            return Answer(question, None, None, 0.0, (), query.english, chatter=True), None
        if own is None and _game_alone(query, mine):
            # A football result asked alone: small talk like the weather, declined and not
            # forwarded to the coordination (round 41).
            return Answer(question, None, None, 0.0, (), query.english, chatter=True), None
        if club_matter(mine) or shop_matter(mine) or trade_matter(mine):
            # One's sports club's chronicle, a drugstore's photo price, a trader's own
            # invoices (set 52): no topic's subject,
            # declined whatever entry's phrasing fits its everyday words (round 41); forwarded,
            # as the rules may miss a member's real question ("Sind Webcams von Aldi für
            # Videokonferenzen sicher genug?").
            return Answer(question, None, None, 0.0, (), query.english), None
        if other_bodys_line(mine) and not any(
            u.decides and not line_or_body(u.surface) for u in state.analyzer.query(mine).units
        ):
            # "Welche Servicenummer hat die Deutsche Rentenversicherung?": another body's
            # line asked for, no question on the 115 whose entries share its words. Declined;
            # never with a word of the topics besides the line and the body ("Welche Hotline
            # nennt die Phishing-Mail der Telekom?").
            return Answer(question, None, None, 0.0, (), query.english), None
        # Asked in another field ("die PIN meiner SIM-Karte", "Stellenausschreibung",
        # "Gewerbe anmelden"): the topic that only shares its words is left out of the search
        # (the question sentence decides; a part's own words, or the first question's when it
        # leans on it).
        alien = borrowed_words_topics(mine if own is not None else query.focus_text or text)
        alien |= leaning_on
        if ANY_TOPIC in alien:
            return Answer(question, None, None, 0.0, (), query.english), None
        # The question sentence finds the entries; the context around it only weighs in.
        limit = state.search_limit
        terms = query.focus_terms
        # Everyday words of a value asked ("kostet", "erreichbar") are no search terms, but
        # their synonym group is: the entries on the costs or the hours come into the hits.
        terms += [
            t
            for u in query.focus
            if u.general and not u.context
            for t in sorted(u.whole & state.kind_concepts)
            if t not in terms
        ]
        # One topic left out is left out of the search itself, so that it cannot fill the
        # window and keep the others out (a second one, rare, is filtered below).
        left_out = min(alien) if alien else None
        hits = await self.store.search(terms, WEIGHTS, limit, other_than=left_out)
        if not hits:
            terms = query.terms
            hits = await self.store.search(terms, WEIGHTS, limit, other_than=left_out)
        full = len(hits) >= limit
        hits = [h for h in hits if h.doc_id in state.entries and h.topic not in alien]
        if not hits:
            return Answer(question, None, None, 0.0, (), query.english), None
        rivals: list[Hit] = []
        if full and all(h.topic == hits[0].topic for h in hits):
            # The margin must not depend on how many entries the topic has: one more entry
            # pushed the last hit of another topic out of the window, the margin became 1.0
            # and near misses were answered. So the best other topic is sought among the
            # other topics' best hits (rarely needed: only when the window holds a single
            # topic), by a search that leaves the window's topic out: its cost does not grow
            # with the knowledge base (review REVIEW-8, N3b; it fetched the whole index).
            others = await self.store.search(terms, WEIGHTS, limit, other_than=hits[0].topic)
            rivals = [h for h in others if h.doc_id in state.entries and h.topic not in alien]
        decision = self._decide(state, query, hits, rivals)
        entry = state.entries[decision.pick.doc_id]
        if decided is not None:
            decided.append(entry)
        off = decision.off_subject or (part and decision.off_things)
        if query.judges_story and _misses_practice(state, query, decision.pick.doc_id):
            off = True
        if off or (private_hint(mine) and not decision.direct):
            # A neighbouring question that shares only the topic's words with the one asked
            # (even if its phrasing fits: "Wie lange muss man Steuerunterlagen aufbewahren?"
            # is no question on records), or one that names one's own phone or home and does
            # not fit: declined (and forwarded) rather than answered, and not offered either.
            declined = Answer(
                question, None, None, decision.score, decision.candidates, query.english
            )
            return declined, None
        if decision.score < self.threshold:
            declined = Answer(
                question, None, None, decision.score, decision.candidates, query.english
            )
            # Worth offering only if its phrasing fits what was asked. (One off the question's
            # own subject was declined above, never offered: no unrelated "Passt eher" for the
            # other of two questions.)
            offer = decision.direct
            return declined, entry if offer else None
        also = state.entries.get(decision.also.doc_id) if decision.also else None
        answer = Answer(
            question,
            state.topics.get(entry.topic),
            entry,
            decision.score,
            decision.candidates,
            query.english,
            also,
            decision.direct,
        )
        return answer, entry

    def _decide(
        self, state: _State, query: Query, hits: list[Hit], rivals: Sequence[Hit] = ()
    ) -> _Decision:
        """``rivals``: hits of other topics beyond the fetched ``hits`` (when those hold only
        one topic), for the margin only."""
        weights = _unit_weights(state, query)
        covs = {h.doc_id: _coverage(state, h.doc_id, weights) for h in (*hits, *rivals)}
        # Rerank: BM25 rewards repeated matches of one word; coverage rewards matching all of them.
        vals = {h.doc_id: h.score * (0.25 + covs[h.doc_id][0]) for h in (*hits, *rivals)}
        # The context's words of the topics say which topic a vague question sentence is
        # about ("... Stadtarchiv ... E-Akte. Welche Kooperationsmöglichkeiten gibt es?"):
        # the entries of that topic gain, which entry of it answers is left to the question.
        prior = _context_topics(state, query)
        if prior:
            vals = {
                h.doc_id: vals[h.doc_id] * (1.0 + CONTEXT_TOPIC * prior.get(h.topic, 0.0))
                for h in (*hits, *rivals)
            }
        ranked = sorted(hits, key=lambda h: -vals[h.doc_id])
        best = ranked[0]
        other = next((h for h in ranked if h.topic != best.topic), None)
        if other is None and rivals:
            other = max(rivals, key=lambda h: vals[h.doc_id])
        best_val = vals[best.doc_id]
        other_val = vals[other.doc_id] if other else 0.0
        margin = (best_val - other_val) / best_val if best_val > 0 else 0.0
        known = query.known_share
        # BM25 grows with the size of the knowledge base; divided by the question's summed IDF
        # it means "weighted field hits per question word" at any size.
        ideal = _query_idf(state, query)
        strength = math.log1p(best.score / ideal) if ideal > 0 else 0.0
        cov, anchor = covs[best.doc_id]
        # Which of the entries that match the content about equally well is answered, and how
        # well its phrasing fits what is asked: an entry on the topic that answers another kind
        # of question ("Wo ist das Stadtarchiv geöffnet?") lowers the confidence.
        # The question sentence's shape, computed once (review REVIEW-7, N2).
        shape = state.analyzer.shape(query.focus_text or query.text)
        pick, also, fit = _tie_break(state, query, ranked, vals, shape)
        z = _logit(cov, margin, strength, known, anchor, fit)
        score = 1.0 / (1.0 + math.exp(-z))
        self.last_features = (cov, margin, strength, known, anchor, fit)
        self.last_topic = pick.topic
        # "Meinten Sie ...?": topics whose best entry would be plausible without the margin.
        topic_order: list[str] = []
        for h in ranked:
            if h.topic in topic_order:
                continue
            h_strength = math.log1p(h.score / ideal) if ideal > 0 else 0.0
            h_cov, h_anchor = covs[h.doc_id]
            if (
                _logit(h_cov, 0.0, h_strength, known, h_anchor, fit, with_margin=False)
                >= CANDIDATE_LOGIT
            ):
                topic_order.append(h.topic)
        candidates = tuple(state.topics[t] for t in topic_order[:3] if t in state.topics)
        direct = fit >= DIRECT_FIT and not _misses_value(state, shape, pick.doc_id)
        subject = _subject_units(state, query, pick.topic)
        if also is not None and not _covers_subject(state, subject, also.doc_id):
            also = None  # "Passt eher" only for a suggestion about what was asked
        off_subject = (
            not _covers_subject(state, subject, pick.doc_id)
            or _asks_nobodys_kind(state, shape, pick.doc_id)
            or _misses_liability(state, query, pick.doc_id)
        )
        things = _subject_units(state, query, pick.topic, general=True)
        off_things = not _covers_subject(state, things, pick.doc_id)
        return _Decision(pick, score, candidates, also, direct, off_subject, off_things)

    def features(self, question: str) -> Query:
        """The analysed question (for debugging and the calibration script)."""
        return self._state.analyzer.query(question)

    # -- FAQ entries from chat ------------------------------------------------------------------

    async def add_faq_entry(
        self,
        topic: str,
        question: str,
        answer: str,
        *,
        title: str | None = None,
        questions: Iterable[str] = (),
        keywords: Iterable[str] = (),
        sources: Iterable[str] = (),
        added_by: str | None = None,
        entry_id: str | None = None,
        english: EnglishVariant | None = None,
        unanswered_id: str | None = None,
        today: date | None = None,
    ) -> Entry:
        """Store a FAQ entry in the database and make it searchable at once."""
        await self._maybe_refresh()
        if topic not in self._state.topics:
            raise ValueError(f"unknown topic '{topic}' (known: {', '.join(self._state.topics)})")
        if not question.strip() or not answer.strip():
            raise ValueError("question and answer must not be empty")
        async with self._lock:
            state = self._state
            taken = set(state.entries) | set(state.topics) | await self.store.faq_ids()
            base = entry_id or f"{topic}-{slugify(question, 40)}"
            new_id, n = base, 2
            while new_id in taken:
                if entry_id:
                    raise ValueError(f"id '{entry_id}' is already used")
                new_id, n = f"{base}-{n}", n + 1
            src = tuple(sources) or (chat_source(added_by),)
            entry = Entry(
                new_id,
                topic,
                (title or question).strip(),
                tuple(dict.fromkeys([question.strip(), *questions])),
                tuple(keywords),
                src,
                today or datetime.fromtimestamp(self._wall_clock(), UTC).date(),
                answer.strip(),
                english,
                None,
                "db",
            )
            row = FaqRow(
                entry.id,
                topic,
                entry.title,
                entry.questions,
                entry.keywords,
                entry.sources,
                entry.body,
                english.title if english else None,
                english.answer if english else None,
                entry.updated.isoformat(),
                added_by,
                self._wall_clock(),
            )
            # The index document is built now (the row stores it), but the entry joins the
            # index only once the command's transaction has committed: rolled back (an error,
            # or the router handling the event again, bot/lazy.py), it never existed.
            doc, _ = _analysed(state, entry)
            await self.store.add_faq(row, doc)

            def searchable() -> None:
                # The state of the commit's moment: a refresh in between replaced the one above
                # (and may have read the committed row already).
                current = self._state
                if entry.id not in current.entries:
                    current.entries[entry.id] = entry
                    _add_terms(current, entry, stored=doc)

            self.store.db.after_commit(searchable)
        if unanswered_id:
            await self.store.set_unanswered_status(unanswered_id, "answered", entry.id)
        return entry

    def forget_author(self, user_id: str) -> None:
        """After an erasure has committed: answers this member added from chat no longer
        cite them (the database was changed in the erasure's transaction)."""
        named, anonymous = chat_source(user_id), chat_source(None)
        for entry in list(self._state.entries.values()):
            if entry.origin == "db" and named in entry.sources:
                sources = tuple(anonymous if s == named else s for s in entry.sources)
                self._state.entries[entry.id] = replace(entry, sources=sources)

    async def remove_faq_entry(self, entry_id: str) -> bool:
        """Delete a chat FAQ entry; it leaves the index once the transaction has committed."""
        async with self._lock:
            entry = self._state.entries.get(entry_id)
            if entry is None or entry.origin != "db":
                return False
            removed = await self.store.delete_faq(entry_id)

            def unsearchable() -> None:
                state = self._state
                if state.entries.pop(entry_id, None) is None:
                    return
                state.docs.pop(entry_id, None)
                state.head.pop(entry_id, None)
                state.shapes.pop(entry_id, None)
                state.places.pop(entry_id, None)
                state.values.pop(entry_id, None)
                state.pays.discard(entry_id)
                state.topic_sizes[entry.topic] -= 1
                state.df.subtract(state.terms.pop(entry_id, frozenset()))

            self.store.db.after_commit(unsearchable)
            return removed

    async def faq_entries(self) -> list[Entry]:
        """Chat FAQ entries as stored in the database (for export)."""
        return [_faq_entry(r) for r in await self.store.faq_entries()]

    # -- unanswered, answers, feedback ----------------------------------------------------------

    async def record_unanswered(
        self,
        question: str,
        *,
        user_id: str | None = None,
        room_id: str | None = None,
        reopen: bool = False,
    ) -> str:
        """Remember an abstention for the coordination; returns its stable short id.
        ``reopen``: also when it was answered before (the asker's 👎 on that answer)."""
        key = question_key(question) or question.strip().lower()
        return await self.store.record_unanswered(
            key, question.strip(), user_id, room_id, now=self._wall_clock(), reopen=reopen
        )

    async def unanswered(self, limit: int = 20, status: str | None = "open") -> list[Unanswered]:
        return await self.store.unanswered(status, limit)

    async def get_unanswered(self, qid: str) -> Unanswered | None:
        return await self.store.get_unanswered(qid)

    async def dismiss_unanswered(self, qid: str) -> bool:
        return await self.store.set_unanswered_status(qid, "dismissed")

    async def record_answer(
        self,
        answer: Answer,
        *,
        event_id: str | None = None,
        room_id: str | None = None,
        user_id: str | None = None,
    ) -> int:
        """Log an answer (or abstention) for stats; attach the reply's event id for feedback
        (a vote on a reply that answers several questions counts for each entry)."""
        forward = answer.forward_if_unhelpful
        return await self.store.log_answer(
            answer.question,
            answer.topic.id if answer.topic else None,
            answer.entry.id if answer.entry else None,
            answer.score,
            event_id,
            room_id,
            user_id,
            now=self._wall_clock(),
            entries=[
                (a.entry.id, a.topic.id if a.topic else None)
                for a in answer.parts or (answer,)
                if a.entry is not None
            ],
            forward=forward if forward != answer.question else None,
        )

    async def set_answer_event(self, answer_id: int, event_id: str) -> None:
        await self.store.set_answer_event(answer_id, event_id)

    async def feedback(
        self, event_id: str, user_id: str, vote: int, reaction_event_id: str | None = None
    ) -> bool:
        """👍 (+1) / 👎 (-1) on an answer event; False if the event is no answer of ours."""
        if vote not in (1, -1):
            raise ValueError("vote must be 1 or -1")
        return await self.store.add_feedback(
            event_id, user_id, vote, now=self._wall_clock(), reaction_event_id=reaction_event_id
        )

    async def retract_reaction(self, reaction_event_id: str, sender: str) -> bool:
        """The voter removed (redacted) the reaction that voted: drop its vote."""
        return await self.store.remove_feedback_by_reaction(reaction_event_id, sender)

    async def retract_feedback(self, event_id: str, user_id: str) -> bool:
        return await self.store.remove_feedback(event_id, user_id)

    async def stats(self, since: float = 0.0, limit: int = 5) -> KnowledgeStats:
        abstained, asked = await self.store.abstention_counts(since)
        return KnowledgeStats(
            await self.store.top_topics(since, limit),
            abstained,
            asked,
            await self.store.most_downvoted(limit),
        )


# -- helpers -------------------------------------------------------------------------------------


def _signature(directory: Path) -> tuple[tuple[str, int, int], ...]:
    """Cheap change detector (names, mtimes, sizes); the content hash decides the rebuild."""
    out: list[tuple[str, int, int]] = []
    if not directory.is_dir():
        return ()
    for root, dirs, files in os.walk(directory):
        dirs.sort()
        for name in sorted(files):
            if name.endswith((".md", ".toml")):
                st = os.stat(os.path.join(root, name))
                out.append((os.path.join(root, name), st.st_mtime_ns, st.st_size))
    return tuple(out)


def _faq_entry(r: FaqRow) -> Entry:
    en = EnglishVariant(r.en_title, r.en_answer) if r.en_title and r.en_answer else None
    return Entry(
        r.id,
        r.topic,
        r.title,
        r.questions,
        r.keywords,
        r.sources,
        date.fromisoformat(r.updated),
        r.body,
        en,
        None,
        "db",
    )


def _texts(entry: Entry) -> list[str]:
    texts = [entry.title, *entry.questions, *entry.keywords, entry.body]
    if entry.en:
        texts += [entry.en.title, entry.en.answer]
    return texts


def _build_state(
    knowledge: Knowledge, entries: list[Entry], stored: dict[str, IndexDoc] | None = None
) -> _State:
    topics = dict(knowledge.topics)
    usable = [e for e in entries if e.topic in topics]
    vocab_texts: list[str] = []
    for t in topics.values():
        vocab_texts += [t.title, t.title_en, *t.keywords]
    for e in usable:
        vocab_texts += _texts(e)
    analyzer = Analyzer(
        surface_words(vocab_texts), (*knowledge.synonyms, *GENERAL_SYNONYMS, *THING_SYNONYMS)
    )
    state = _State(topics=topics, analyzer=analyzer, synonyms=knowledge.synonyms)
    state.kind_concepts = frozenset(
        f"{SYNONYM_PREFIX}{len(knowledge.synonyms) + idx}"
        for idx, group in enumerate(GENERAL_SYNONYMS)
        if group[0] in SEARCHED_KINDS
    )
    analyzer.term_topics = state.term_topics  # filled below, and by chat entries later
    analyzer.common_topics = COMMON_TOPICS
    for topic in topics.values():
        for t in tokenize(topic.title):
            if t.isdigit():
                state.topic_numbers[t] = (*state.topic_numbers.get(t, ()), topic)
    # Decisive terms: the knowledge base's own synonyms (their concepts too) and keywords.
    for idx, group in enumerate(knowledge.synonyms):
        analyzer.decisive.add(f"{SYNONYM_PREFIX}{idx}")
        for term in group:
            analyzer.decisive |= analyzer.key_terms(term)
    for t in topics.values():
        name = frozenset(analyzer.doc_terms(f"{t.title} {t.title_en}", english=True))
        state.topic_names[t.id] = name
        # The topic's name by its synonym group ("EU-Vergabe", "Behördennummer"), not by every
        # word of its title ("Verwaltung", "Service").
        analyzer.topic_words.update(term for term in name if term.startswith(SYNONYM_PREFIX))
        terms: list[str] = []
        for k in (t.title, t.title_en, *t.keywords):
            terms += analyzer.doc_terms(k, english=True)
        for k in t.keywords:
            analyzer.decisive |= analyzer.key_terms(k)
        state.topic_terms[t.id] = frozenset(terms)
        analyzer.index_terms.update(terms)
    for e in usable:
        if e.id not in state.entries:
            state.entries[e.id] = e
            _add_terms(state, e, (stored or {}).get(e.id))
    return state


def _analysed(state: _State, entry: Entry) -> tuple[IndexDoc, list[list[str]]]:
    """An entry's index document and its term lists (title, questions, keywords, body), by
    the state's analyser; changes nothing."""
    a = state.analyzer
    title = a.doc_terms(entry.title)
    body = a.doc_terms(entry.body)
    if entry.en:
        title += a.doc_terms(entry.en.title, english=True)
        body += a.doc_terms(entry.en.answer, english=True)
    questions = [t for q in entry.questions for t in a.doc_terms(q, english=looks_english(q))]
    # Keywords are often English ("testbed"): both stemmers.
    keywords = [t for k in entry.keywords for t in a.doc_terms(k, english=True)]
    doc = IndexDoc(
        entry.id,
        entry.topic,
        " ".join(title),
        " ".join(questions),
        " ".join(keywords),
        " ".join(body),
        " ".join(sorted(state.topic_terms.get(entry.topic, frozenset()))),
    )
    return doc, [list(title), questions, keywords, list(body)]


def _add_terms(state: _State, entry: Entry, stored: IndexDoc | None = None) -> None:
    """Analyse an entry once (or adopt its stored index row): term sets and frequencies."""
    a = state.analyzer
    topic_kw = state.topic_terms.get(entry.topic, frozenset())
    if stored is not None:
        doc = stored
        # Interned: a term of many entries is one string, as when analysed (≈ 1.5 MB less).
        title, questions = _stored_terms(doc.title), _stored_terms(doc.questions)
        keywords, body = _stored_terms(doc.keywords), _stored_terms(doc.body)
    else:
        doc, (title, questions, keywords, body) = _analysed(state, entry)
    state.docs[entry.id] = doc
    # An entry without keywords (typically one added in chat) is keyed by its questions.
    for k in entry.keywords or (entry.title, *entry.questions):
        a.decisive |= a.key_terms(k)
    own = frozenset((*title, *questions, *keywords, *body))
    state.terms[entry.id] = own
    state.head[entry.id] = frozenset((*title, *questions, *keywords)) | topic_kw
    phrasings = (entry.title, *entry.questions, *((entry.en.title,) if entry.en else ()))
    state.shapes[entry.id] = tuple(a.shape(p) for p in dict.fromkeys(phrasings))
    state.places[entry.id] = _place_names(tokenize(entry.title))
    state.values[entry.id] = _body_values(entry.body)
    heading = " ".join((*phrasings, *entry.keywords))
    if _PAY_WORDS.search(heading):
        state.pays.add(entry.id)
    else:
        state.pays.discard(entry.id)
    state.df.update(own)
    for t in own:
        topics = state.term_topics.get(t, frozenset())
        if entry.topic not in topics:
            topics = topics | {entry.topic}
            state.term_topics[t] = state.topic_sets.setdefault(topics, topics)
    a.index_terms.update(own)
    a.head_terms.update(title, questions, keywords)
    state.topic_sizes[entry.topic] += 1


def _stored_terms(text: str) -> list[str]:
    return [sys.intern(t) for t in text.split()]


@dataclass(frozen=True)
class _Word:
    """A word of the question with its weights, as ``_coverage`` uses it for every hit."""

    unit: Unit
    # Every term of the word (whole, compound parts and their decisive ones): an entry that
    # has none of them gains nothing from the word.
    terms: frozenset[str]
    idf_weight: float  # its IDF weight (see _unit_weights) times Unit.weight
    key_weight: float  # its weight in the anchor


@dataclass(frozen=True)
class _Weights:
    """The question's words weighed once per question, not per hit (``_unit_weights``)."""

    words: tuple[_Word, ...]
    terms: frozenset[str]  # the union of the words' terms
    total: float  # the summed IDF weights: the coverage's denominator


def _states_all(state: _State, text: str, doc_id: str) -> bool:
    """Every word of substance of ``text`` (at least two; not everyday words, nor guessed or
    context ones) is among the entry's own terms, each whole or by all its compound parts."""
    units = [
        u
        for u in state.analyzer.query(text).units
        if not (u.general or u.everyday or u.common or u.guessed or u.context)
    ]
    terms = state.terms.get(doc_id, frozenset()) | state.head.get(doc_id, frozenset())
    return len(units) >= 2 and all(u.coverage(terms) == 1.0 for u in units)


def _states_its_word(state: _State, text: str, doc_id: str) -> bool:
    """A part with one word of substance ("Und in welchem Format sollten die geliefert
    werden?", set 52: "Format"): the entry has that word whole (no compound's parts:
    "Datenschutz" is not "Daten" and "Schutzfristen"), its everyday words too ("bar oder
    mit Karte"), and one of its phrasings asks the part's kind of question ("wer ist dafür
    der Ansprechpartner?" asks who; review REVIEW-51-code, S1). Too common words
    ("geliefert") are left out."""
    units = [
        u for u in state.analyzer.query(text).units if not (u.common or u.guessed or u.context)
    ]
    substance = [u for u in units if not (u.general or u.everyday)]
    if len(substance) != 1:
        return False
    terms = state.terms.get(doc_id, frozenset()) | state.head.get(doc_id, frozenset())
    if any(u.whole.isdisjoint(terms) for u in units if not u.everyday):
        return False
    return not _misses_kind(state, state.analyzer.shape(text), doc_id)


_HEADING_QUESTION = re.compile(r"\*\*([^*\n]{3,120}\?)\*\*")


# The asker's kind of body ("als kleine Samtgemeinde", "als Landkreis"): no subject of a part,
# left out on both sides of ``_asked_under_heading`` ("Gemeinderat" is one: review
# REVIEW-50-code, S3).
_OWN_BODY = re.compile(r"(?:samt|stadt|einheits)?gemeinden?|kommunen?|landkreise?|stadt|kreis")


def _own_words(text: str) -> list[str]:
    """The part's words that name something of its own: not everyday words, but everyday
    things ("Drucker", "Cloud", "Geld": review REVIEW-50-code, M3) and numbers ("die 115");
    never the asker's body."""
    return [
        t
        for t in content_tokens(text)
        if (not is_general(t) or is_thing(t) or t.isdigit()) and not _OWN_BODY.fullmatch(t)
    ]


def _nothing_of_its_own(text: str) -> bool:
    """A part that asks only in everyday words ("Brauchen wir dat als kleine Gemeinde?"): it
    asks about the first question's subject."""
    return not _own_words(text)


def _heading_shapes(entry: Entry) -> tuple[tuple[frozenset[str], Shape], ...]:
    """The question each bold lead-in of the entry's body asks ("**Brauchen wir das?**",
    "**Jedes Jahr umstellen?**"): its word stems (the asker's body left out) and its shape."""
    out = []
    for heading in _HEADING_QUESTION.findall(entry.body):
        words = [t for t in content_tokens(heading) if not _OWN_BODY.fullmatch(t)]
        if words:
            out.append((frozenset(stem_de(t) for t in words), question_shape(heading)))
    return tuple(out)


def _asked_under_heading(text: str, entry: Entry) -> bool:
    """A part asks what the answered entry asks itself in a bold lead-in: every word of the
    lead-in is in the part, whole (no compound's tail: "Stromverbrauch" is no "brauchen",
    review REVIEW-50-code, M4), the part names nothing of its own the lead-in does not
    (``_own_words``), and asks no other kind of question ("wie lange dauert der Antrag?" is
    not "**Antrag?**", M5)."""
    mine = {stem_de(t) for t in content_tokens(text) if not _OWN_BODY.fullmatch(t)}
    own = {stem_de(t) for t in _own_words(text)}
    kinds = question_shape(text).kinds
    return any(
        words <= mine and own <= words and kinds <= shape.kinds
        for words, shape in _heading_shapes(entry)
    )


def _coverage(state: _State, doc_id: str, weights: _Weights) -> tuple[float, float]:
    """IDF-weighted share of the question's words that the entry contains, and its anchor.

    A word found only in the answer body counts ``BODY_CREDIT``: off-topic questions tend to
    hit some incidental body word ("später", "Sinne"), real ones hit titles and keywords.
    Everyday words (``Unit.general``) weigh ``GENERAL_WEIGHT``; an everyday thing the index
    does not know ("Fotos") weighs ``THING_WEIGHT``, since it says the question is about
    something else. The anchor is the best credit of a decisive term (keywords, synonyms:
    text.Analyzer.decisive); other words that are not everyday words count ``PLAIN_ANCHOR``.
    0 means only everyday words matched. ``weights`` come from ``_unit_weights`` (once per
    question, not per hit).
    """
    # The entry's terms cut to the question's (a few instead of hundreds): every set test
    # below is on the question's terms, so its outcome is the same. It runs for every hit of
    # every question (≈ 50), which made it a quarter of ``ask``'s time.
    head = state.head.get(doc_id, frozenset()) & weights.terms
    body = state.terms.get(doc_id, frozenset()) & weights.terms
    found = head | body
    got = anchor = 0.0
    for word in weights.words:
        if word.terms.isdisjoint(found):
            continue  # credit 0: adds 0.0 to ``got`` and cannot raise ``anchor``
        unit = word.unit
        credit = unit.coverage(head) or BODY_CREDIT * unit.coverage(body)
        got += word.idf_weight * credit
        if not unit.general:
            key = unit.anchor(head) or BODY_CREDIT * unit.anchor(body)
            anchor = max(anchor, word.key_weight * max(key, PLAIN_ANCHOR * credit))
    total = weights.total
    return (got / total if total else 0.0), anchor


def _anchored(state: _State, text: str, doc_id: str) -> bool:
    """The entry contains a decisive word of ``text`` (a keyword or synonym of the knowledge
    base; everyday words and other plain words do not count)."""
    terms = state.head.get(doc_id, frozenset()) | state.terms.get(doc_id, frozenset())
    return any(u.anchor(terms) > 0 for u in state.analyzer.query(text).units)


def _unit_weights(state: _State, query: Query) -> _Weights:
    """Per word of the question: its weight in coverage (IDF, lowered for everyday words and
    context) and in the anchor (context lowered)."""
    n = max(len(state.entries), 1)
    context_weight = query.context_weight
    words: list[_Word] = []
    total = 0.0
    for unit in query.units:
        unit_terms = unit.terms  # a property that builds the set
        dfs = [state.df[t] for t in unit_terms if state.df[t] > 0]
        df = min(dfs) if dfs else 0
        if any(all(state.df[t] == 0 for t in part) for part in unit.parts):
            # A part the knowledge base never uses ("Banking" in "Online-Banking") names
            # another subject: the word weighs like an unknown one.
            df = 0
        idf = math.log(1 + (n - df + 0.5) / (df + 0.5))
        if unit.common:
            idf *= COMMON_WEIGHT
        if unit.general:
            if unit.everyday:
                idf *= EVERYDAY_WEIGHT
            else:
                idf *= GENERAL_WEIGHT if dfs or not unit.thing else THING_WEIGHT
        # A question pointing back ("so eine Datei") means the thing its context names: the
        # context's words of the topics weigh fully, its other words as context.
        weight = context_weight
        if query.refers_back and unit.decides and not unit.theme:
            weight = 1.0
        if unit.context:
            idf *= weight
        key_weight = unit.weight * (weight if unit.context else 1.0)
        terms = unit_terms.union(unit.key, *unit.key_parts)
        words.append(_Word(unit, terms, idf * unit.weight, key_weight))
        total += idf
    every = frozenset().union(*(w.terms for w in words))
    return _Weights(tuple(words), every, total)


def _context_topics(state: _State, query: Query) -> dict[str, float]:
    """Share of each topic among the decisive words of the question's context (a word used by
    several topics counts for each in part; one that every topic uses, for none)."""
    weights: Counter[str] = Counter()
    for unit in query.units:
        if not unit.context or unit.theme:
            continue  # a gathering's theme is not the question's topic (text.Unit.theme)
        topics: set[str] = set()
        for term in unit.key.union(*unit.key_parts):
            topics |= state.term_topics.get(term, set())
        if topics and len(topics) < COMMON_TOPICS:
            for topic in topics:
                weights[topic] += 1.0 / len(topics)
    total = sum(weights.values())
    return {topic: w / total for topic, w in weights.items()} if total else {}


def _subject_units(state: _State, query: Query, topic: str, *, general: bool = False) -> list[Unit]:
    """The words of the question sentence that name its own subject: neither everyday words,
    nor the topic's name ("Personalausweis", "115", "E-Rechnung"), nor the words that say what
    is asked (verbs and interrogatives: "Was regelt ...?" is not about rules). A word the
    index does not know at all ("Lohnabrechnungen") names a subject too: no entry covers it.
    Of a question pointing back, the context's words of the topics belong to a subject it
    names."""
    topic_terms = state.topic_names.get(topic, frozenset())
    asking = asking_words(query.focus_text or query.text)
    # With ``general``: also the everyday nouns of a German question ("das Gehalt"), told
    # from particles and adjectives ("da rein", "hoch") by their capital.
    nouns = mid_sentence_nouns(query.text) if general and not query.english else frozenset()
    own = [
        u
        for u in query.units
        if (not u.general or u.surface in nouns)
        # A question pointing back ("Die sollen dauerhaft erhalten bleiben. Wie gehen wir da
        # vor?") is about what its context names too: the context's words of the topics
        # widen a subject the question names (never make one of a question that names none).
        and (not u.context or (query.refers_back and u.decides and not u.theme))
        and (u.known or (not u.everyday and len(u.surface) >= 4))
        # A respelt word (slang: "Murks" -> "Marks") does not rule an answer out: the member
        # did not write it. (A typo of a word of the knowledge base still does: its
        # correction is usually right.)
        and not u.guessed
        and u.surface not in asking
        # The topic's name itself, not a compound sharing one part with it: "Service-
        # versprechen" is no "Service Center" (set 15: "115 Serviceversprechen Kennzahlen").
        and u.coverage(topic_terms) < 1.0
        and not any(len(state.term_topics.get(t, ())) >= COMMON_TOPICS for t in u.whole)
    ]
    return own if any(not u.context for u in own) else []


def _named_private(r: _Part, device: bool) -> bool:
    """A private later part the reply names as such: one that does not lean or may not lean
    on the first question, or names a private thing of its own (``_own_private_thing``), or
    is about one's own private device (``_private_device``)."""
    if device:
        return True
    if not r.answer.private:
        return False
    return not (r.leans or may_point_back(r.text)) or _own_private_thing(r.text)


def _private_device(r: _Part) -> bool:
    """A later part that asks about one's own device called private ("welcher Virenschutz ist
    für meinen privaten PC am besten?"; text.my_private_device, the rule for a whole question
    too) and points back at nothing."""
    return (
        not r.leans and my_private_device(fold(r.text)) and not may_point_back_beyond_itself(r.text)
    )


@dataclass
class _Declined:
    """The later parts of a message that found no answer, declined all the same
    (``AnswerEngine._ask_parts``): off the topics, or private and named as such; and whether a
    private part is left among the rest ("..., die ist 4711" points back: never named)."""

    off_topic: list[str] = field(default_factory=list)
    private: list[str] = field(default_factory=list)
    private_kept: bool = False

    def __bool__(self) -> bool:
        return bool(self.off_topic or self.private)


def _declined_named(answer: Answer, declined: _Declined) -> Answer:
    """An answer to a message some of whose later parts were declined (off the topics, or
    private): the reply names them as such, and a 👎 passes on only the rest
    (``Answer.answered_questions``). A private part left among the rest ("..., die ist 4711")
    names nothing (the answer stays as it was)."""
    if not declined or declined.private_kept:
        return answer
    rest = without_parts(answer.question, [*declined.off_topic, *declined.private])
    if rest is None:
        return answer
    return replace(
        answer,
        private_parts=tuple(declined.private),
        off_topic_parts=tuple(declined.off_topic),
        answered_questions=answer.answered_questions or (rest,),
    )


def _without_declined(answer: Answer, question: str, declined: _Declined) -> Answer:
    """A message that found no answer, with the later parts declined as off the topics or
    private named as such: the message is passed on to the coordination as written, the
    declined parts' text cut out of it (``text.without_parts``). A private part left among
    the rest keeps the whole message private (nothing passed on); a declined part not found
    in the text leaves the answer as it was."""
    if declined.private_kept:
        return answer if answer.private else replace(answer, private=True, chatter=False)
    rest = without_parts(question, [*declined.off_topic, *declined.private])
    if rest is None:
        return answer
    return replace(
        answer,
        private=False,
        chatter=False,
        unanswered=((rest, rest),),
        private_parts=tuple(declined.private),
        off_topic_parts=tuple(declined.off_topic),
    )


def _own_private_thing(text: str) -> bool:
    """The part names one's own private thing (text.names_private_thing) and points back at
    nothing beyond its own relative clause."""
    return names_private_thing(text) and not may_point_back_beyond_itself(text)


def _no_topics_subject(state: _State, text: str) -> bool:
    """A club, a shop or a game is what ``text`` asks about (round 41), by the same rules that
    decline it asked alone (``_ask_one``): a later part that only points back at it ("und was
    kostet das?") asks about it too. A game beside a word of the topics is not alone: "Karten
    für ein Heimspiel von einem Bieter" is a bidder's gift (review of round 41, M6)."""
    if club_matter(text) or shop_matter(text):
        return True
    return game_or_screen(text) and _game_alone(state.analyzer.query(text), text)


def _own_appointment_reminder(text: str) -> bool:
    """``text`` is one sentence asking to be reminded of one's own appointment
    (vocabulary.APPOINTMENT_REMINDER) and names no network event: a message or part that is
    only that (review REVIEW-46-code: "Was ist die 115? Erinnere mich an meinen Arzttermin."
    must still answer the 115; "Erinnere mich an das Plenum, ich habe danach einen
    Arzttermin" is the plenum's)."""
    folded = fold(text)
    return bool(
        APPOINTMENT_REMINDER.search(folded)
        and not NETWORK_EVENT.search(folded)
        and len(split_sentences(text)) == 1
    )


def _game_alone(query: Query, text: str) -> bool:
    """A game, a result or the screen is asked (text.game_or_screen: "Wie hat Werder Bremen am
    Samstag gespielt?") and nothing else: no word of the topics decides and the office does
    not deal with it (``asides.office_deals_with_it``). Its everyday words ("Samstag") may fit
    an entry's phrasing, never its subject."""
    if not game_or_screen(text) or any(u.decides for u in query.units):
        return False
    folded = fold(text)
    return not office_deals_with_it(folded)


def _covers_subject(state: _State, subject: list[Unit], doc_id: str) -> bool:
    """The entry has a word of the question's subject (in any of its texts), or the question
    names nothing beyond its topic."""
    if not subject:
        return True
    own = state.terms.get(doc_id, frozenset()) | state.head.get(doc_id, frozenset())
    return any(u.coverage(own) > 0 for u in subject)


def _misses_practice(state: _State, query: Query, doc_id: str) -> bool:
    """A story judged by a short question ("Der Bürgermeister will die Mails an alle Bürger
    verschicken. Geht das so?") whose only deciding words are its everyday things (Unit.told:
    "Mails"): the entry must name what is done with them too, one of the story's verbs in its
    title, questions or keywords ("ändern" a password, "kaufen" gift cards). Archiving mails
    is no answer on sending them."""
    units = query.units
    told = [i for i, u in enumerate(units) if u.told]
    if not told:
        return False
    lower = lower_case_words(query.text)
    # "per" in "per Mail" only carries the told thing: no subject of the story's own, and no
    # practice either (an entry on offers "per E-Mail" says nothing on leave requests).
    carriers = {i - 1 for i in told if i and units[i - 1].surface in THING_CARRIERS}
    rest = [u for i, u in enumerate(units) if i not in carriers and not u.told]
    # A deciding noun of its own ("Angebot", "Fachverfahren") is the story's subject; a
    # deciding verb ("Anträge per Mail stellen") is what is done with the thing, its practice.
    if any(u.decides and u.surface not in lower for u in rest):
        return False
    own = state.terms.get(doc_id, frozenset())
    head = state.head.get(doc_id, frozenset())
    nouns = [u for u in rest if u.context and not u.general and u.surface not in lower]
    if any(not u.coverage(own) for u in nouns):
        # The story's own thing is one the knowledge base decides nothing by and the entry
        # does not name ("Urlaubsanträge per Mail stellen"): the told thing only serves it.
        return True
    if any(u.coverage(head) for u in nouns):
        # The entry names the story's own thing ("sechs Zeichen" of a password): it is on it.
        return False
    asked = set(content_tokens(last_sentence(query.text)))
    practice = [
        u
        for u in rest
        if (u.general or u.decides or not u.known)
        and not u.thing
        and u.surface in lower
        and u.surface not in asked
    ]
    return bool(practice) and not any(u.coverage(head) > 0 for u in practice)


def _bare_numbers(state: _State, query: Query) -> bool:
    """The message is nothing but numbers ("27001", "2014 55"): a bare number never carries
    an answer, even one that is part of a standard's name; only a topic's own number (the 115)
    names something on its own."""
    return bool(query.units) and all(
        u.surface.isdigit() and u.surface not in state.topic_numbers for u in query.units
    )


def _number_alone(state: _State, query: Query, text: str) -> tuple[Topic, ...]:
    """The topics a message of nothing but a topic's own number names ("115", "115 !"), if
    it does not ask anything (no question mark)."""
    if "?" in text or not query.units or not all(u.surface.isdigit() for u in query.units):
        return ()
    named = [t for u in query.units for t in state.topic_numbers.get(u.surface, ())]
    return tuple(dict.fromkeys(named))  # each topic once, in the message's order


def _numbers_only_subject(state: _State, query: Query) -> bool:
    """Besides everyday words the question names nothing but numbers that are no topic's
    own: no word of the topics says what it is about."""
    named = [u for u in query.units if not u.general]
    return bool(named) and all(
        u.surface.isdigit() and u.surface not in state.topic_numbers for u in named
    )


def _misses_value(state: _State, shape: Shape, doc_id: str) -> bool:
    """The question asks for a value (a date, a price, a duration, opening hours, a number)
    that none of the entry's phrasings is about: "Wo ist das Stadtarchiv geöffnet?" is not
    answered by an entry on digital archives, however well "Stadtarchiv" matches."""
    asked = shape.kinds & VALUE_KINDS
    if "hours" in asked:
        # "Wie lange hat das Bürgeramt geöffnet?" asks for hours, not for a duration.
        asked -= {"duration"}
    if not asked:
        return False
    return all(asked.isdisjoint(p.kinds) for p in state.shapes.get(doc_id, ()))


# Kinds of question that only an entry asking them too answers: what someone earns is nobody's
# entry, so such a question is a near miss ("Was verdient die Leiterin der Koordinierungsstelle?").
NOBODYS_KINDS = frozenset({"salary"})

# An entry whose title, questions or keywords name a wage (the Tariftreue wage contractors must
# pay) answers pay questions however they are worded (review REVIEW-8, D1: "Welchen Lohn
# erhalten Beschäftigte der Auftragnehmer nach dem NTVergG?"). Not "lohnt" (worth it), not a
# phone "Tarif" or a "Nutzungsentgelt".
_PAY_WORDS = re.compile(
    r"\b(?:tariftreue|tarifvertr|tariflohn|tarifbindung|mindestl(?:ohn|öhne)|mindestentgelt"
    r"|l(?:ohn|öhne|oehne)\b|entgelte?\b|wages?\b|minimum\s+wage)",
    re.IGNORECASE,
)


# Liability asked ("Wer haftet bei einem Fehler der Plattform?"): only an entry that speaks of
# it answers; one on the platform or on joint procurement shares the other words, not the
# question (such parts were answered from them after the thirty-third round's texts moved the
# near ties).
_LIABILITY = re.compile(r"\bhaft(?:et|en|e|ung|ungs\w*|bar\w*|pflicht\w*)\b|\bliab")


def _misses_liability(state: _State, query: Query, doc_id: str) -> bool:
    entry = state.entries.get(doc_id)
    if entry is None or not _LIABILITY.search(fold(query.focus_text or query.text)):
        return False
    return not any(_LIABILITY.search(fold(t)) for t in _texts(entry))


def _asks_nobodys_kind(state: _State, shape: Shape, doc_id: str) -> bool:
    """The question asks a kind of NOBODYS_KINDS that none of the entry's phrasings asks;
    an entry about a wage answers the salary kind."""
    asked = shape.kinds & NOBODYS_KINDS
    if doc_id in state.pays:
        asked -= {"salary"}
    return bool(asked) and all(asked.isdisjoint(p.kinds) for p in state.shapes.get(doc_id, ()))


# Kinds of question a part of only pronouns and verbs asks that its entry must be about:
# "Wer hat sie erfunden?" after "Was ist die Leitweg-ID?" is not answered by how to apply.
PART_KINDS = VALUE_KINDS | {"actor", "place"}


def _misses_kind(state: _State, shape: Shape, doc_id: str) -> bool:
    """The question asks who, where, when, how much or how long, and none of the entry's
    phrasings asks that, nor does its answer state such a value (BODY_VALUES: "Wie viele
    Leute kommen da?" after "Wo findet das Plenum statt?" is answered by the entry on taking
    part, whose answer says about 100)."""
    asked = shape.kinds & PART_KINDS
    if not asked or not asked.isdisjoint(state.values.get(doc_id, frozenset())):
        return False
    return all(asked.isdisjoint(p.kinds) for p in state.shapes.get(doc_id, ()))


_MONTHS = (
    "januar|februar|maerz|april|mai|juni|juli|august|september|oktober|november|dezember"
    "|january|february|march|june|july|october|december"
)
_YEAR = r"(?:19|20)\d\d\b"
# Values an answer states, by kind of question (matched on the folded body, German and English):
# an amount, a date, a price, a period, opening hours. Who and where are not told by a pattern.
BODY_VALUES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(pattern))
    for kind, pattern in (
        (
            "quantity",
            r"\b(?:rund|etwa|circa|ca\.|ueber|mehr\s+als|knapp|bis\s+zu|about|around|over"
            r"|more\s+than)\s+\d|\d\s*(?:%|prozent|percent)",
        ),
        # A date, not any year: "Gesetz von 2017", "Ausgabe 2022", "2015 gab es" tell no
        # "wann" (review REVIEW-8, R2: 113 of 227 entries named a year). A day, a month with
        # its year, "seit/ab/bis <year>", or a year with what happened in it ("hat 2014 ...
        # gegründet").
        (
            "date",
            rf"\b\d{{1,2}}\.\s*(?:\d{{1,2}}\.|{_MONTHS})|\b(?:{_MONTHS}|anfang|mitte|ende)\s+{_YEAR}"
            rf"|\b(?:seit|ab|bis|vom|zum|since|from|until|by)\s+(?:(?:dem\s+)?jahr\s+)?{_YEAR}"
            rf"|\bim\s+jahr\s+{_YEAR}|\bin\s+{_YEAR}"
            rf"|{_YEAR}\s+(?:[^\s.,;:!?]+\s+){{0,3}}?(?:gegruendet|eingefuehrt|gestartet"
            r"|begonnen|beschlossen|verabschiedet|eingerichtet|in\s+kraft|founded|launched"
            r"|introduced|started)\b",
        ),
        ("cost", r"\d[\d.,]*\s*(?:€|euro|eur)\b|\b(?:kostenlos|kostenfrei|gebuehrenfrei)\b"),
        (
            "duration",
            r"\b\d+\s*(?:jahre?n?|monate?n?|wochen?|tage?n?|stunden?|minuten?|years?|months?"
            r"|weeks?|days?|hours?)\b",
        ),
        ("hours", r"\b\d{1,2}(?:[.:]\d\d)?\s*(?:bis|-|–)\s*\d{1,2}(?:[.:]\d\d)?\s*uhr\b"),
    )
)


def _body_values(body: str) -> frozenset[str]:
    folded = fold(body)
    return frozenset(kind for kind, pattern in BODY_VALUES if pattern.search(folded))


def _tie_break(
    state: _State,
    query: Query,
    ranked: list[Hit],
    vals: dict[str, float],
    shape: Shape | None = None,
) -> tuple[Hit, Hit | None, float]:
    """The hit to answer with, a runner-up to offer ("Passt eher: ...") and how well the pick's
    phrasing fits the question (0..1). Among hits within ``TIE_BAND`` of the best content value
    the one whose shape (kind of question, verbs, words) fits best wins (see ``TIE_SHAPE``);
    another within ``ALSO_BAND`` of it is offered."""
    best = ranked[0]
    top = vals[best.doc_id]
    # Shapes are compared only for the hits close on content (few, as a rule).
    close = [h for h in ranked if vals[h.doc_id] >= (1.0 - TIE_BAND) * top]
    if shape is None:  # called on its own (tests/unit/test_answers_rules.py)
        shape = state.analyzer.shape(query.focus_text or query.text)
    if not shape.kinds and len(query.units) <= BARE_TERM_UNITS:
        # A bare term ("115", "XRechnung?") asks what it is.
        shape = replace(shape, kinds=frozenset({"definition"}))
    fits = {h.doc_id: _shape_score(state, shape, h.doc_id) for h in close}
    # "Hagen im Bremischen" is a town of Lower Saxony, not Bremen (text.place_phrase_words).
    phrase = place_phrase_words(query.text)
    asked = _place_names(t for t in tokenize(query.text) if t not in phrase)
    final = {
        h.doc_id: vals[h.doc_id]
        * (1.0 + TIE_SHAPE * fits[h.doc_id])
        * _place_factor(
            state.places.get(h.doc_id, frozenset()), asked, _asks_along(state, shape, h.doc_id)
        )
        for h in close
    }
    # sorted() is stable: equal values keep the content order.
    order = sorted(close, key=lambda h: -final[h.doc_id])
    pick = order[0]
    also = None
    if fits[pick.doc_id] < CLEAR_FIT:
        also = next(
            (h for h in order[1:] if final[h.doc_id] >= (1.0 - ALSO_BAND) * final[pick.doc_id]),
            None,
        )
    return pick, also, fits[pick.doc_id]


def _place_names(tokens: Iterable[str]) -> frozenset[str]:
    """The places (vocabulary.PLACES, adjectives as the place's name) and years in tokens."""
    return frozenset(
        PLACE_NAMES.get(t, t) for t in tokens if t in PLACES or (len(t) == 4 and t.isdigit())
    )


def _asks_along(state: _State, shape: Shape, doc_id: str) -> bool:
    """The question asks how to do something and one of the entry's phrasings asks how too,
    or the question asks something else (a place's entry tells who, when or how many there:
    "Wer ist in Niedersachsen für die Archivierung zuständig?")."""
    return "how" not in shape.kinds or any("how" in p.kinds for p in state.shapes.get(doc_id, ()))


def _place_factor(places: frozenset[str], asked: frozenset[str], along: bool = True) -> float:
    """An entry on a place or year the question names gains, one on another loses: "Wann ist
    die 115 in Bremen erreichbar?" is Bremen's case, not the general service promise. It gains
    only if it asks along (``along``): "Wie beantragen wir als Gemeinde in Niedersachsen die
    Teilnahme an der 115?" is how to join, not whether Lower Saxony is a member."""
    if places & asked:
        if not along:
            return 1.0
        # ... only if it names every place asked: "in Niedersachsen oder Bremen" is not
        # answered by Bremen's entry better than by the general one. Years do not count
        # here; the aliases of vocabulary.PLACE_NAMES do ("Bundesbehörden" is the place
        # "bund"), so "Bremen und Bundesbehörden" gets no bonus from Bremen's entry alone
        # (review REVIEW-8, N2).
        named = {p for p in asked if not p.isdigit()}
        return 1.0 + PLACE_BONUS if named <= places else 1.0
    return 1.0 - PLACE_PENALTY * _other_place(places, asked)


def _other_place(places: frozenset[str], asked: frozenset[str] | set[str]) -> bool:
    """The entry's title names a place or year the question does not, and none it does: an
    entry on Lower Saxony and Bremen answers a question on Lower Saxony."""
    return bool(places - asked) and places.isdisjoint(asked)


def _shape_score(state: _State, shape: Shape, doc_id: str) -> float:
    """How well the question's shape (kind of question, surface words with stop and question
    words) fits the entry's best-fitting title or question phrasing (English title too), 0..1."""
    return max(
        (shape.similarity(p, KIND_SHARE, CONTENT_WEIGHT) for p in state.shapes.get(doc_id, ())),
        default=0.0,
    )


def _logit(
    cov: float,
    margin: float,
    strength: float,
    known: float,
    anchor: float,
    fit: float,
    *,
    with_margin: bool = True,
) -> float:
    b0, b_cov, b_margin, b_bm25, b_known, b_anchor, b_fit = CALIBRATION
    z = b0 + b_cov * cov + b_bm25 * strength + b_known * known + b_anchor * anchor + b_fit * fit
    if with_margin:
        z += b_margin * margin
    # Only everyday words matched ("Was kostet eine Briefmarke?"): never confident.
    return z if anchor > 0 else min(z, NO_ANCHOR_LOGIT)


def _query_idf(state: _State, query: Query) -> float:
    """Sum over the question's words of FTS5's own BM25 IDF (the best of each word's terms)."""
    n = len(state.entries)
    total = 0.0
    for unit in query.units:
        dfs = [state.df[t] for t in unit.terms if state.df[t] > 0]
        if dfs:
            df = min(dfs)
            idf = max(math.log((n - df + 0.5) / (df + 0.5)), 1e-6)
            total += idf * (query.context_weight if unit.context else 1.0)
    return total


def last_sentence(text: str) -> str:
    """The sentence that asks, without what the member wrote before it ("Ich bin … krank.
    Was ist das BSI?"): a forwarded part carries only that, not the member's context."""
    sentences = [p for p in re.split(r"(?<=[.!?])\s+", text.strip()) if p]
    return sentences[-1] if sentences else text
