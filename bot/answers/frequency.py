"""How common a word is: wordfreq's "small" lists, read without importing wordfreq.

Importing wordfreq loads its tokenizer for every script (regex, ftfy, langcodes: ≈ 8 MB
resident in the bot) and keeps each list it reads twice (as read and as a dict). The text
analysis only asks about single words of letters, for which wordfreq's tokenizer does nothing
but case-fold (ß -> ss); for those this module reads wordfreq's own data files and returns the
same Zipf values (tests/unit/test_answers_memory.py compares every word of both lists). If
the data files are not where or what this module expects (another wordfreq release), wordfreq
itself answers.
Anything else (digits, other scripts, an empty string) is asked of wordfreq itself.
"""

from __future__ import annotations

import gzip
import math
import re
from functools import cache
from importlib.util import find_spec
from pathlib import Path

import msgpack

from bot.lazy import load

WORDLIST = "small"
_LETTERS = re.compile(r"[a-zäöüß]+")


def _data_file(lang: str) -> Path:
    spec = find_spec("wordfreq")  # finds the package without running its __init__
    if spec is None or spec.origin is None:
        raise LookupError("wordfreq is not installed")
    return Path(spec.origin).parent / "data" / f"{WORDLIST}_{lang}.msgpack.gz"


@cache
def _bands(lang: str) -> list[list[str]]:
    """The list as wordfreq's read_cBpack gives it: words by band (index = -centibels). Kept:
    the tables below share its strings."""
    with gzip.open(_data_file(lang), "rb") as f:
        data = msgpack.load(f, raw=False)
    header = data[0]
    if not isinstance(header, dict) or header.get("format") != "cB" or header.get("version") != 1:
        raise ValueError(f"unexpected wordfreq header: {header!r}")
    return data[1:]


def _band_freq(index: int) -> float:
    """wordfreq.cB_to_freq(-index): a band's frequency as get_frequency_dict has it."""
    return 10 ** (-index / 100)


def _zipf_of(freq: float) -> float:
    """wordfreq.zipf_frequency of a one-token word of frequency ``freq`` (0 for none), step by
    step as wordfreq computes it (the default minimum, the 1/f sum over one token, the
    rounding to three significant digits, then to two decimals)."""
    minimum = 10**0.0 / 1e9  # zipf_to_freq(0.0)
    if freq:
        freq = 1.0 / (0.0 + 1.0 / freq)
    unrounded = max(freq, minimum)
    leading_zeroes = math.floor(-math.log(unrounded, 10))
    rounded = round(unrounded, leading_zeroes + 3)
    return round(math.log(rounded, 10) + 9, 2)


@cache
def _table(lang: str) -> dict[str, float]:
    """Word -> Zipf value, one float object per band (a few hundred), not one per word."""
    table: dict[str, float] = {}
    for index, words in enumerate(_bands(lang)):
        zipf = _zipf_of(_band_freq(index))
        for word in words:
            table[word] = zipf
    return table


@cache
def _readable(lang: str) -> bool:
    """Whether wordfreq's data file for ``lang`` is where and what this module expects."""
    try:
        _bands(lang)
    except (LookupError, OSError, ValueError, TypeError, msgpack.ExtraData) as exc:
        import logging

        logging.getLogger(__name__).warning("wordfreq's data read through wordfreq: %s", exc)
        return False
    return True


def frequency_dict(lang: str) -> dict[str, float]:
    """wordfreq.get_frequency_dict(lang, "small"): word -> frequency (a new dict each call,
    its strings those of the list)."""
    if not _readable(lang):
        wordfreq = load("wordfreq")
        return dict(wordfreq.get_frequency_dict(lang, wordlist=WORDLIST))
    freqs: dict[str, float] = {}
    for index, words in enumerate(_bands(lang)):
        freq = _band_freq(index)
        for word in words:
            freqs[word] = freq
    return freqs


def zipf_frequency(word: str, lang: str) -> float:
    """wordfreq.zipf_frequency(word, lang, wordlist="small")."""
    if _LETTERS.fullmatch(word) and _readable(lang):
        return _table(lang).get(word.replace("ß", "ss"), _MISSING)
    wordfreq = load("wordfreq")  # rare input: wordfreq's own tokenizer decides (bot/lazy.py)
    return float(wordfreq.zipf_frequency(word, lang, wordlist=WORDLIST))


_MISSING = _zipf_of(0.0)
