"""The member's own case against the EU thresholds: "Wir wollen einen Radlader für 240.000 Euro
kaufen – müssen wir EU-weit ausschreiben?" The answer on the thresholds lists the values; this
says where the amount the member named lies, so that the answer ends in the conclusion asked
for ("liegt über dem EU-Schwellenwert von 216.000 €: EU-weit auszuschreiben").

Shown below answers whose entry has ``live = "threshold"`` (commands/topics.py), and only
when the question names an amount in euros. The values are those of the knowledge entry
e-vergabe-schwellenwerte (tests/unit/test_thresholds.py checks that both say the same).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from bot.i18n import pick


@dataclass(frozen=True)
class Thresholds:
    """EU thresholds (net, euros) for municipalities (sub-central contracting authorities)."""

    since: date
    until: date
    works: int
    supplies: int  # supplies and services


# Delegated regulations of the EU Commission, adjusted every two years (entry
# e-vergabe-schwellenwerte and its sources). Newest first.
PERIODS = (
    Thresholds(date(2026, 1, 1), date(2027, 12, 31), 5_404_000, 216_000),
    Thresholds(date(2024, 1, 1), date(2025, 12, 31), 5_538_000, 221_000),
)


@dataclass(frozen=True)
class ValueLimits:
    """Lower Saxony's value limits below the EU thresholds (NWertVO), net euros."""

    since: date
    direct: int  # direct award, works and supplies alike
    supplies_simplified: int  # restricted tender without competition, negotiated award
    works_negotiated: int  # freihändige Vergabe
    works_restricted: int  # restricted tender without a call for competition


# Entry e-vergabe-wertgrenzen-niedersachsen (the version in force since 29 May 2025).
LOWER_SAXONY = ValueLimits(date(2025, 5, 29), 20_000, 100_000, 150_000, 1_000_000)
VAT = 0.19
# Within this share below a threshold the estimate decides: a note says so.
NEAR = 0.1
# Contracts without a total price count for their term, at most 48 months (section 3 VgV).
MAX_YEARS = 4

_NUMBER_WORDS = {
    "zwei": 2, "drei": 3, "vier": 4, "fünf": 5, "fuenf": 5, "sechs": 6, "sieben": 7,
    "acht": 8, "zehn": 10, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
}  # fmt: skip
# An amount: "240.000 Euro", "1,2 Mio. Euro", "€ 250,000", "30 Mille", "6 Millionen Euro".
_NUM = r"\d{1,3}(?:[.,’' ]\d{3})+(?:,\d+)?|\d+(?:[.,]\d+)?"
_SCALE = r"mio\.?|millionen|million|millions|mille|tsd\.?|tausend|thousand|k"
_AMOUNT = re.compile(
    rf"(?:€|eur\b|euro?s?\b)\s*(?P<pre>{_NUM})\s*(?P<prescale>{_SCALE})?"
    rf"|(?P<num>{_NUM})\s*(?P<scale>{_SCALE})?\s*(?:€|eur\b|euro?s?\b)"
    r"|(?P<mille>\d+(?:[.,]\d+)?)\s*mille\b",
    re.I,
)
_GROSS = re.compile(
    r"\bbrutto\b|\bgross\b|\binkl\w*\.?\s*(?:mwst|ust|umsatzsteuer|vat)|\bincl", re.I
)
_NET = re.compile(r"\bnetto\b|\bnet\b|ohne\s+(?:mwst|ust|umsatzsteuer|mehrwertsteuer)|\bexcl", re.I)
# Construction works (the office "Bauhof" or "Bauamt" buying a vehicle is no construction).
WORKS = re.compile(
    r"bauleistung|bauauftr|bauarbeit|bauvorhaben|baumaßnahme|baumassnahme|baukosten|sanierung"
    r"|neubau|umbau|anbau|gewerk|tiefbau|hochbau|straßenbau|strassenbau|kanal|pflasterarbeit"
    r"|construction|building\s+work|\bworks\s+contract",
    re.I,
)
_PER_YEAR = re.compile(
    r"pro\s+jahr|im\s+jahr|jährlich|jaehrlich|per\s+year|a\s+year|annual|per\s+annum", re.I
)
_YEARS = re.compile(r"\b(?P<n>\d{1,2}|[a-zäöü]+)\s+(?:jahre|jahren|years)\b", re.I)


@dataclass(frozen=True)
class Case:
    """What the member's question says about the contract."""

    amount: float  # the largest amount named, in euros, as named (net or gross)
    gross: bool
    net_named: bool
    works: bool
    per_year: bool
    years: int | None


def asked_case(text: str) -> Case | None:
    """The contract value the question names, or None if it names no amount in euros."""
    amounts = [_value(m) for m in _AMOUNT.finditer(text)]
    amounts = [a for a in amounts if a is not None and a >= 100]
    if not amounts:
        return None
    years = None
    for m in _YEARS.finditer(text):
        word = m.group("n").lower()
        n = int(word) if word.isdigit() else _NUMBER_WORDS.get(word)
        if n:
            years = n
    return Case(
        amount=max(amounts),
        gross=bool(_GROSS.search(text)),
        net_named=bool(_NET.search(text)),
        works=bool(WORKS.search(text)),
        per_year=bool(_PER_YEAR.search(text)),
        years=years,
    )


def _value(m: re.Match[str]) -> float | None:
    if m.group("mille"):
        return _number(m.group("mille")) * 1000
    raw, scale = (
        (m.group("pre"), m.group("prescale"))
        if m.group("pre")
        else (m.group("num"), m.group("scale"))
    )
    value = _number(raw)
    scale = (scale or "").lower().rstrip(".")
    if scale.startswith("mi") and scale != "mille":
        value *= 1_000_000
    elif scale in ("mille", "tsd", "tausend", "thousand", "k"):
        value *= 1000
    return value


def _number(raw: str) -> float:
    """ "240.000" and "250,000" are thousands; "1,2" and "1.2" are decimals."""
    raw = raw.replace("’", "").replace("'", "").replace(" ", "")
    if re.fullmatch(r"\d{1,3}(?:[.,]\d{3})+", raw):
        return float(re.sub(r"[.,]", "", raw))
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+,\d+", raw):  # 1.234.567,50
        return float(raw.replace(".", "").replace(",", "."))
    return float(raw.replace(",", "."))


def in_force(today: date) -> Thresholds:
    """The thresholds of ``today`` (the newest known after their period, the oldest before)."""
    for period in PERIODS:
        if period.since <= today:
            return period
    return PERIODS[-1]


def _euros(value: float, english: bool) -> str:
    text = f"{round(value):,}"
    return (text if english else text.replace(",", ".")) + (" EUR" if english else " €")


def _national_de(net: float, works: bool) -> str:
    """Which procedure Lower Saxony's value limits allow for ``net`` (below the thresholds)."""
    limits = LOWER_SAXONY
    rule = f"NWertVO, Fassung seit {limits.since.strftime('%d.%m.%Y')}"
    if net <= limits.direct:
        allowed = f"ein Direktauftrag ohne Vergabeverfahren (bis {_euros(limits.direct, False)})"
    elif not works and net <= limits.supplies_simplified:
        allowed = (
            "eine beschränkte Ausschreibung ohne Teilnahmewettbewerb oder eine "
            f"Verhandlungsvergabe (bis {_euros(limits.supplies_simplified, False)})"
        )
    elif works and net <= limits.works_negotiated:
        allowed = f"eine freihändige Vergabe (bis {_euros(limits.works_negotiated, False)})"
    elif works and net <= limits.works_restricted:
        allowed = (
            "eine beschränkte Ausschreibung ohne Teilnahmewettbewerb "
            f"(bis {_euros(limits.works_restricted, False)})"
        )
    else:
        usual = "die öffentliche Ausschreibung" + (
            "" if works else " oder die beschränkte Ausschreibung mit Teilnahmewettbewerb"
        )
        return (
            f"In Niedersachsen liegt der Wert über den Wertgrenzen für vereinfachte Verfahren "
            f"({rule}): in der Regel {usual}; prüfen Sie die aktuelle Fassung. In Bremen "
            "gelten eigene Wertgrenzen (TtVG)."
        )
    return (
        f"In Niedersachsen ist bei diesem Wert {allowed} zulässig ({rule}); prüfen Sie die "
        "aktuelle Fassung. In Bremen gelten eigene Wertgrenzen (TtVG)."
    )


def _national_en(net: float, works: bool) -> str:
    limits = LOWER_SAXONY
    rule = f"NWertVO, version of {limits.since.isoformat()}"
    if net <= limits.direct:
        allowed = f"a direct award without a procedure (up to {_euros(limits.direct, True)})"
    elif not works and net <= limits.supplies_simplified:
        allowed = (
            "a restricted tender without a call for competition or a negotiated award "
            f"(up to {_euros(limits.supplies_simplified, True)})"
        )
    elif works and net <= limits.works_negotiated:
        allowed = f"a negotiated award (up to {_euros(limits.works_negotiated, True)})"
    elif works and net <= limits.works_restricted:
        allowed = (
            "a restricted tender without a call for competition "
            f"(up to {_euros(limits.works_restricted, True)})"
        )
    else:
        usual = "a public tender" + (
            "" if works else " or a restricted tender with a call for competition"
        )
        return (
            f"In Lower Saxony the value is above the limits for simplified procedures ({rule}): "
            f"as a rule {usual}; check the current version. Bremen has its own limits (TtVG)."
        )
    return (
        f"In Lower Saxony {allowed} is allowed for this value ({rule}); check the current "
        "version. Bremen has its own limits (TtVG)."
    )


def case_note(text: str, today: date, lang: str) -> str | None:
    """One paragraph on the member's case (Markdown), or None if the question names no amount."""
    case = asked_case(text)
    if case is None:
        return None
    english = lang == "en"
    period = in_force(today)
    threshold = period.works if case.works else period.supplies
    net = case.amount / (1 + VAT) if case.gross else case.amount
    parts: list[str] = []
    if case.per_year:
        years = min(case.years or MAX_YEARS, MAX_YEARS)
        total = net * years
        parts.append(
            pick(
                lang,
                f"{_euros(net, False)} pro Jahr zählen für die Laufzeit, höchstens 48 Monate "
                f"(§ 3 VgV): hier {years} Jahre, zusammen {_euros(total, False)}.",
                f"{_euros(net, True)} a year count for the term, at most 48 months "
                f"(section 3 VgV): here {years} years, {_euros(total, True)} in all.",
            )
        )
        net = total
    if case.gross:
        parts.append(
            pick(
                lang,
                f"Sie nennen einen Bruttobetrag; ohne 19 % Umsatzsteuer sind das etwa "
                f"{_euros(case.amount / (1 + VAT), False)}.",
                f"You name a gross amount; without 19 % VAT that is about "
                f"{_euros(case.amount / (1 + VAT), True)}.",
            )
        )
    kind = pick(
        lang,
        "Bauleistungen" if case.works else "Liefer- und Dienstleistungen",
        "works" if case.works else "supplies and services",
    )
    since = period.since.strftime("%d.%m.%Y") if not english else period.since.isoformat()
    above = net >= threshold
    where = pick(
        lang,
        f"{_euros(net, False)} liegen {'über' if above else 'unter'} dem EU-Schwellenwert für "
        f"Kommunen bei {kind} von {_euros(threshold, False)} (seit {since}).",
        f"{_euros(net, True)} is {'above' if above else 'below'} the EU threshold for "
        f"municipalities for {kind} of {_euros(threshold, True)} (since {since}).",
    )
    if above:
        then = pick(
            lang,
            "Damit ist EU-weit auszuschreiben"
            + (" (VOB/A Abschnitt 2)." if case.works else " (GWB und VgV)."),
            "So the contract must be advertised EU-wide"
            + (" (VOB/A section 2)." if case.works else " (GWB and VgV)."),
        )
    else:
        then = pick(
            lang,
            "Damit bleibt es eine nationale Vergabe nach "
            + ("VOB/A Abschnitt 1" if case.works else "UVgO")
            + " und dem Landesrecht. "
            + _national_de(net, case.works),
            "So it stays a national procedure under "
            + ("VOB/A section 1" if case.works else "the UVgO")
            + " and state law. "
            + _national_en(net, case.works),
        )
    parts += [where, then]
    if not above and net >= (1 - NEAR) * threshold:
        parts.append(
            pick(
                lang,
                "Das ist knapp darunter: Schätzen Sie sorgfältig.",
                "That is just below it: estimate carefully.",
            )
        )
    if not case.works:
        parts.append(
            pick(
                lang,
                f"Für Bauleistungen gilt {_euros(period.works, False)}.",
                f"For works it is {_euros(period.works, True)}.",
            )
        )
    stated = case.net_named or case.gross
    parts.append(
        pick(
            lang,
            "Maßgeblich ist der geschätzte Gesamtwert ohne Umsatzsteuer über alle Lose und die "
            "ganze Laufzeit (§ 3 VgV)"
            + (
                "."
                if case.net_named or case.gross
                else "; der genannte Betrag ist als Nettowert gerechnet."
            ),
            "What counts is the estimated total value without VAT over all lots and the whole "
            "term (section 3 VgV)" + ("." if stated else "; the amount named is taken as net."),
        )
    )
    head = pick(lang, "**Ihr Fall:** ", "**Your case:** ")
    return head + " ".join(parts)
