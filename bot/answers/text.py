"""German-first text analysis shared by indexing and querying.

FTS5 has no German stemmer, so every text is reduced here to plain ASCII terms (folded,
stemmed, compounds split, synonyms marked) and FTS5 only ever sees those terms. Index and
query must run through the same ``Analyzer`` or nothing matches.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import Stemmer

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
CACHE_LIMIT = 50_000

GERMAN_STOP = frozenset(
    """
    aber alle allem allen aller alles als also am an ander andere anderen anders auch auf aus
    bei beim bin bis bisher bist bitte bzw da dabei dadurch dafuer dagegen daher dahin damit
    danach dann daran darauf darf darfst darin darueber darum das dass dein deine dem den denn
    der des dessen deshalb dich die dies diese diesem diesen dieser dieses dir doch dort du
    durch eben ein eine einem einen einer eines einfach eigentlich er es etwa etwas euch euer
    eure fuer gab ganz gar geben gibt gilt geht gehen genau gerade gern gewesen hab habe haben
    hast hat hatte hatten hier hin hinter ich ihm ihn ihnen ihr ihre ihrem ihren ihrer im in
    indem ins ist ja je jede jedem jeden jeder jedes jetzt kann kannst kein keine keinem keinen
    koennen koennt konnte machen macht mal man manche mehr mein meine meinem meinen meiner mich
    mir mit moechte muss muessen musst nach neben nein nicht nichts noch nun nur ob oder ohne
    sehr sein seine seinem seinen seiner seit sich sie sind so solche soll sollen sollte sondern
    sonst ueber um und uns unser unsere unserem unseren unserer unter viel vom von vor waere
    wann war waren warum was weil weiter weitere welche welchem welchen welcher welches wem wen
    wenn wer werde werden wie wieder will wir wird wirst wo wobei woher wohin wollen worden
    wuerde wurde wurden zu zum zur zwar zwischen ueberhaupt eigentlich schon denn halt eben
    bekommen kriegen tun gut gute guten steht stehen bedeutet heisst bezueglich bzgl frage
    fragen hallo danke infos info mache machst gemacht tue tust getan gehts laeuft wissen
    weiss sagen sag sagt erklaeren erklaer beispiel bitte moeglich meinst
    """.split()
)

ENGLISH_STOP = frozenset(
    """
    a about above after again all am an and any are as at be because been before being below
    between both but by can could did do does doing down during each few for from further get
    got had has have having he her here hers him his how i if in into is it its itself just
    me more most my myself no nor not now of off on once only or other our ours out over own
    same she should so some such than that the their them then there these they this those
    through to too under until up very was we were what when where which while who whom why
    will with would you your yours please hi hello there tell mean means explain
    """.split()
)

# Everyday words members use for the same thing; the knowledge base's own synonyms.toml
# adds the domain terms. Same format: first term canonical, all lowercase.
GENERAL_SYNONYMS: tuple[tuple[str, ...], ...] = (
    (
        "kosten",
        "kostet",
        "gebuehr",
        "gebuehren",
        "preis",
        "entgelt",
        "tarif",
        "cost",
        "costs",
        "charge",
        "fee",
        "fees",
        "price",
    ),
    ("kostenlos", "kostenfrei", "gebuehrenfrei", "umsonst", "gratis", "free of charge"),
    (
        "teilnehmen",
        "teilnahme",
        "mitmachen",
        "beitreten",
        "beitritt",
        "anschliessen",
        "anschluss",
        "mitwirken",
        "mitarbeit",
        "join",
        "participate",
        "participation",
    ),
    (
        "pflicht",
        "verpflichtend",
        "verpflichtet",
        "vorgeschrieben",
        "vorschrift",
        "verbindlich",
        "obligatorisch",
        "zwingend",
        "mandatory",
        "obligation",
        "obligatory",
        "required",
    ),
    (
        "anfangen",
        "beginnen",
        "einstieg",
        "einsteigen",
        "starten",
        "loslegen",
        "einfuehren",
        "get started",
        "getting started",
    ),
    ("handy", "smartphone", "mobiltelefon", "mobile phone"),
    (
        "erreichbar",
        "erreichbarkeit",
        "oeffnungszeiten",
        "servicezeiten",
        "sprechzeiten",
        "opening hours",
        "reachable",
    ),
    ("akzeptieren", "annehmen", "entgegennehmen", "empfangen", "accept", "receive"),
    ("schicken", "senden", "versenden", "uebermitteln", "einreichen", "send", "submit"),
    ("unterschied", "unterscheiden", "unterschiede", "vergleich", "difference"),
    ("vergessen", "verloren", "verlegt", "forgot", "forgotten", "lost"),
    ("gesperrt", "sperre", "blockiert", "blocked", "locked"),
    ("zustaendig", "zustaendigkeit", "verantwortlich", "responsible"),
    ("gegruendet", "gruendung", "gruenden", "entstanden", "founded", "foundation"),
    ("mitglied", "mitglieder", "mitgliedschaft", "member", "members", "membership"),
    ("ziel", "ziele", "zweck", "purpose", "goal", "aim"),
    ("dauer", "lange", "frist", "fristen", "deadline", "how long"),
)

# Words that give a question away as English (ambiguous ones such as "in", "was", "die" left out).
_EN_MARKERS = frozenset(
    """
    the is are what how do does can i my our we to for of and which when where who have has
    should need use with an there this it be from about get does your you which why must
    municipality municipalities town city
    """.split()
)
_DE_MARKERS = frozenset(
    """
    der das ist wie wann wo wer und ich wir unsere unser fuer mit ein eine einen nicht auch
    bei von zu den dem des im ob kann koennen muss muessen gibt welche welcher welches
    """.split()
)


def analysis_signature() -> str:
    """Changes whenever a word list here changes, so stored indexes get rebuilt."""
    lists = (sorted(GERMAN_STOP), sorted(ENGLISH_STOP), GENERAL_SYNONYMS, _LINKS, MIN_PART,
             MIN_COMPOUND)
    return hashlib.sha256(repr(lists).encode()).hexdigest()[:12]


def fold(text: str) -> str:
    """Lowercase, umlauts to ae/oe/ue, ß to ss, other accents dropped: "Straße" == "strasse"."""
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


def looks_english(text: str) -> bool:
    toks = tokenize(text)
    en = sum(t in _EN_MARKERS for t in toks)
    de = sum(t in _DE_MARKERS for t in toks)
    return en > de and en >= 1


@lru_cache(maxsize=65536)
def stem_de(word: str) -> str:
    stem = _de.stemWord(word)
    # Snowball keeps participles of -ieren verbs whole; "archiviert" should meet "Archivierung".
    if stem.endswith("iert") and len(stem) > 6:
        stem = stem[:-1]
    return stem


@lru_cache(maxsize=65536)
def stem_en(word: str) -> str:
    return _en.stemWord(word)


def is_stop(word: str) -> bool:
    return word in GERMAN_STOP or word in ENGLISH_STOP


def surface_words(texts: Iterable[str]) -> set[str]:
    """The vocabulary compounds are split against: every simple word of the given texts."""
    words: set[str] = set()
    for text in texts:
        for tok in tokenize(text):
            for part in _JOINERS.split(tok):
                if len(part) >= MIN_PART and part.isalpha() and not is_stop(part):
                    words.add(part)
    return words


def osa_distance(a: str, b: str, limit: int) -> int:
    """Optimal-string-alignment distance (adjacent swaps count 1); > limit once exceeded."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        if min(cur) > limit:
            return limit + 1
        prev2, prev = prev, cur
    return prev[-1]


def _deletes(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


@dataclass(frozen=True)
class Unit:
    """One content word of a question; covered by a document if ``whole`` or its parts match.

    ``parts`` holds one set of alternative terms per compound part; ``weight`` is below 1 for
    words that were only guessed by typo correction.
    """

    surface: str
    whole: frozenset[str]
    parts: tuple[frozenset[str], ...] = ()
    weight: float = 1.0

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


@dataclass(frozen=True)
class Query:
    text: str
    english: bool
    units: tuple[Unit, ...]
    known: int  # units whose words exist in the index (directly, split, synonym or corrected)

    @property
    def terms(self) -> list[str]:
        seen: dict[str, None] = {}
        for u in self.units:
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
        self._split_cache: dict[str, tuple[str, ...] | None] = {}
        self._typo_cache: dict[str, str | None] = {}
        # Synonym terms become stem tuples; a match adds the group's concept term.
        self._syn: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        for idx, group in enumerate(synonyms):
            concept = f"{SYNONYM_PREFIX}{idx}"
            for term in group:
                seq = tuple(stem_de(_JOINERS.sub("", t)) for t in tokenize(term) if not is_stop(t))
                if seq:
                    self._syn.setdefault(seq[0], []).append((seq, concept))
        # Typo candidates: every word plus its single deletions (SymSpell style).
        self._typo_index: dict[str, set[str]] = {}
        for w in self.words:
            if len(w) >= 5:
                for key in _deletes(w) | {w}:
                    self._typo_index.setdefault(key, set()).add(w)

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
        if len(word) < 6 or not word.isalpha():
            return None
        if word in self._typo_cache:
            return self._typo_cache[word]
        if len(self._typo_cache) > CACHE_LIMIT:
            self._typo_cache.clear()
        limit = 2 if len(word) >= 10 else 1
        keys = {word} | _deletes(word)
        if limit == 2:
            keys |= {d2 for d in list(keys) for d2 in _deletes(d)}
        cands: set[str] = set()
        for key in keys:
            cands |= self._typo_index.get(key, set())
        best: tuple[int, str] | None = None
        for cand in sorted(cands):
            # Typos in the first letter are rare; requiring it keeps "Wetter" from becoming noise.
            if cand[0] != word[0]:
                continue
            dist = osa_distance(word, cand, limit)
            if dist <= limit and (best is None or dist < best[0]):
                best = (dist, cand)
        result = best[1] if best else None
        self._typo_cache[word] = result
        return result

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

    def doc_terms(self, text: str, english: bool = False) -> list[str]:
        terms: list[str] = []
        toks = [t for t in tokenize(text) if not is_stop(t)]
        for tok in toks:
            terms.extend(self._variants(tok, english))
            for form in _forms(tok):
                parts = self.split(form)
                if parts:
                    terms.extend(stem_de(p) for p in parts)
        for concepts in self._concepts(toks):
            terms.extend(sorted(concepts))
        return terms

    # -- query side -----------------------------------------------------------------------------

    def query(self, text: str, max_units: int = 32) -> Query:
        english = looks_english(text)
        toks = [t for t in tokenize(text) if not is_stop(t)][:max_units]
        units: list[Unit] = []
        known = 0
        for tok, concepts in zip(toks, self._concepts(toks), strict=True):
            whole = set(self._variants(tok, english)) | concepts
            parts: tuple[frozenset[str], ...] = ()
            weight = 1.0
            for form in _forms(tok):
                split = self.split(form)
                if split:
                    parts = tuple(frozenset({stem_de(p)}) for p in split)
                    break
            is_known = bool(parts) or not whole.isdisjoint(self.index_terms)
            if not is_known:
                fixed = self.correct(tok)
                if fixed is not None:
                    whole.add(stem_de(fixed))
                    weight = 0.7
                    is_known = True
            known += is_known
            units.append(Unit(tok, frozenset(whole), parts, weight))
        return Query(text, english, tuple(units), known)


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
