"""Question answering over the ViR-Nordwest knowledge base (files + FAQ entries from chat)."""

from bot.answers.engine import DEFAULT_THRESHOLD, Answer, AnswerEngine, KnowledgeStats
from bot.answers.loader import EnglishVariant, Entry, Problem, Topic, check, load

__all__ = [
    "DEFAULT_THRESHOLD",
    "Answer",
    "AnswerEngine",
    "EnglishVariant",
    "Entry",
    "KnowledgeStats",
    "Problem",
    "Topic",
    "check",
    "load",
]
