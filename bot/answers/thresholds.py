"""The member's own case against the EU thresholds: "Wir wollen einen Radlader für 240.000 Euro
kaufen – müssen wir EU-weit ausschreiben?" The answer on the thresholds lists the values; this
says where the amount the member named lies, so that the answer ends in what was asked ("240.000
€ überschreiten den EU-Schwellenwert von 216.000 €: in der Regel EU-weit").

Shown below answers whose entry has ``live = "threshold"`` (commands/topics.py), and only when
the question names an amount in euros. Where the amount is not the contract's value as named
(a price per month or per piece, options or extensions, a yearly value of works) the note
draws no conclusion and says what counts instead. The values are those of the knowledge
entries e-vergabe-schwellenwerte and e-vergabe-wertgrenzen-niedersachsen
(tests/unit/test_thresholds.py checks that they say the same).
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


# Delegated regulations of the EU Commission, adjusted every two years. Newest first.
PERIODS = (
    Thresholds(date(2026, 1, 1), date(2027, 12, 31), 5_404_000, 216_000),
    Thresholds(date(2024, 1, 1), date(2025, 12, 31), 5_538_000, 221_000),
)
# Sector entities (SektVO) and social and other special services (section 130 GWB) have
# thresholds of their own; the note names them as exceptions.
SECTOR = 432_000
SOCIAL_SERVICES = 750_000


@dataclass(frozen=True)
class ValueLimits:
    """Lower Saxony's value limits below the EU thresholds (NWertVO), net euros, per lot."""

    since: date
    direct: int  # direct award, works and supplies alike
    supplies_simplified: int  # restricted tender without competition, negotiated award
    works_negotiated: int  # freihändige Vergabe
    works_restricted: int  # restricted tender without a call for competition


LOWER_SAXONY = ValueLimits(date(2025, 5, 29), 20_000, 100_000, 150_000, 1_000_000)
VAT = 0.19
# Within this share below a threshold the estimate decides: a note says so.
NEAR = 0.1
# Supplies and services without a total price count for their term, at most 48 months
# (section 3 (11) VgV).
MAX_MONTHS = 48

_NUMBER_WORDS = {
    "ein": 1, "einem": 1, "one": 1, "zwei": 2, "drei": 3, "vier": 4, "fünf": 5, "fuenf": 5,
    "sechs": 6, "sieben": 7, "acht": 8, "neun": 9, "zehn": 10, "two": 2, "three": 3,
    "four": 4, "five": 5, "six": 6,
}  # fmt: skip
# An amount: "240.000 Euro", "1,2 Mio. Euro", "€ 250,000", "180.000,- €", "30 Mille", "180 TEUR".
_NUM = r"\d{1,3}(?:[.,’'\u00a0\u202f]\d{3})+(?:,\d+)?(?:,-{1,2})?|\d+(?:[.,]\d+)?"
_SCALE = r"mio\.?|millionen|million|millions|mille|tsd\.?|tausend|thousand|k|t(?=€|eur)"
_CURRENCY = r"(?:€|eur\b|euro?s?\b)"
_AMOUNT = re.compile(
    rf"{_CURRENCY}\s*(?P<pre>{_NUM})\s*(?P<prescale>{_SCALE})?"
    rf"|(?P<num>{_NUM})\s*(?P<scale>{_SCALE})?\s*{_CURRENCY}"
    r"|(?P<mille>\d+(?:[.,]\d+)?)\s*mille\b",
    re.I,
)
_GROSS = re.compile(
    r"\bbrutto\b|\bgross\b|\binkl(?:\.|usive)?\s*(?:\d+\s*%\s*)?(?:mwst|ust|umsatzsteuer"
    r"|mehrwertsteuer|vat)|\bincl(?:\.|uding)?\s*(?:\d+\s*%\s*)?vat",
    re.I,
)
_NET = re.compile(
    r"\bnetto\b|\bnet\b|ohne\s+(?:mwst|ust|umsatzsteuer|mehrwertsteuer)|\bexcl|\bzzgl", re.I
)
# Construction works (the office "Bauhof" or "Bauamt" buying a vehicle is no construction) ...
WORKS = re.compile(
    r"bauleistung|bauauftr|bauarbeit|bauvorhaben|baumaßnahme|baumassnahme|baukosten|sanierung"
    r"|neubau|umbau|gewerk|tiefbau|hochbau|straßenbau|strassenbau|kanalbau|kanalsanierung"
    r"|pflasterarbeit|construction\s+work|building\s+work|\bworks\s+contract",
    re.I,
)
# ... unless a supply or service is what is bought: planners, cleaning, machines.
_NOT_WORKS = re.compile(
    r"architekt|planung|planer|ingenieur|honorar|reinigung|wartung|machinery|maschine|bagger"
    r"|fahrzeug|radlader|geräte|geraete|möbel|moebel|laptop|software|lieferung|\bsupply",
    re.I,
)
_PER_YEAR = re.compile(
    r"pro\s+jahr|je\s+jahr|im\s+jahr(?!\s*\d)|jährlich|jaehrlich|p\.\s?a\.|per\s+year"
    r"|(?<!for\s)a\s+year|annual|per\s+annum",
    re.I,
)
# A price per month or per piece is no contract value by itself.
_PER_UNIT = re.compile(
    r"pro\s+monat|im\s+monat|monatlich|\bmtl\b|per\s+month|a\s+month|monthly|\bje\s+\d|\bà\b"
    r"|\bzu\s+je\b|pro\s+stück|pro\s+stueck|\bstück\b|\bstueck\b|\beach\b|per\s+unit|per\s+piece",
    re.I,
)
_OPTIONS = re.compile(r"verlängerung|verlaengerung|\boption|extension|verlängern|verlaengern", re.I)
_LOTS = re.compile(r"\blos\b|\blose\b|\blosen\b|fachlos|teillos|\blots?\b", re.I)
_YEARS = re.compile(r"\b(?P<n>\d{1,2}|[a-zäöü]+)\s+(?:jahre|jahren|jahr|years?)\b", re.I)


@dataclass(frozen=True)
class Case:
    """What the member's question says about the contract."""

    amount: float  # the largest amount named, in euros, as named (net or gross)
    several: bool  # more than one amount named
    gross: bool
    net_named: bool
    works: bool
    per_year: bool
    years: int | None
    per_unit: bool  # a price per month or per piece
    options: bool  # options or extensions named
    lots: bool


def asked_case(text: str) -> Case | None:
    """The contract value the question names, or None if it names no amount in euros."""
    amounts = [_value(m) for m in _AMOUNT.finditer(text)]
    amounts = [a for a in amounts if a >= 100]
    if not amounts:
        return None
    years = None
    for m in _YEARS.finditer(text):
        word = m.group("n").lower()
        n = int(word) if word.isdigit() else _NUMBER_WORDS.get(word)
        if n:
            years = n
            break  # the term comes first; a later "N Jahre" is an option on it
    return Case(
        amount=max(amounts),
        several=len(set(amounts)) > 1,
        gross=bool(_GROSS.search(text)),
        net_named=bool(_NET.search(text)),
        works=bool(WORKS.search(text)) and not _NOT_WORKS.search(text),
        per_year=bool(_PER_YEAR.search(text)),
        years=years,
        per_unit=bool(_PER_UNIT.search(text)),
        options=bool(_OPTIONS.search(text)),
        lots=bool(_LOTS.search(text)),
    )


def _value(m: re.Match[str]) -> float:
    if m.group("mille"):
        return _number(m.group("mille")) * 1000
    if m.group("pre"):
        raw, scale = m.group("pre"), m.group("prescale")
    else:
        raw, scale = m.group("num"), m.group("scale")
    value = _number(raw)
    scale = (scale or "").lower().rstrip(".")
    if scale.startswith("mi") and scale != "mille":
        value *= 1_000_000
    elif scale in ("mille", "tsd", "tausend", "thousand", "k", "t"):
        value *= 1000
    return value


def _number(raw: str) -> float:
    """ "240.000" and "250,000" are thousands; "1,2" and "1.2" are decimals."""
    raw = re.sub(r"[’'\u00a0\u202f]", "", raw).removesuffix(",--").removesuffix(",-")
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


def case_note(text: str, today: date, lang: str) -> str | None:
    """One paragraph on the member's case (Markdown), or None if the question names no amount."""
    case = asked_case(text)
    if case is None:
        return None
    de = lang != "en"
    period = in_force(today)
    threshold = period.works if case.works else period.supplies
    kind = pick(
        lang,
        "Bauleistungen" if case.works else "Liefer- und Dienstleistungen",
        "works" if case.works else "supplies and services",
    )
    since = period.since.strftime("%d.%m.%Y") if de else period.since.strftime("%-d %B %Y")
    values = pick(
        lang,
        f"Der EU-Schwellenwert für Kommunen liegt bei {kind} bei {_euros(threshold, False)} "
        f"(seit {since}).",
        f"The EU threshold for municipalities for {kind} is {_euros(threshold, True)} "
        f"(since {since}).",
    )
    parts: list[str] = []
    open_term = case.per_unit or case.options or (case.per_year and case.works)
    if open_term:
        # No conclusion from a price per month or piece, or a term with options.
        parts += [
            pick(
                lang,
                "Der genannte Betrag ist nicht der Gesamtwert des Auftrags"
                + (" (ein Monats- oder Stückpreis)." if case.per_unit else ".")
                + " Maßgeblich ist der geschätzte Gesamtwert ohne Umsatzsteuer: alle Stücke, "
                "die ganze Laufzeit mit Optionen und Verlängerungen (§ 3 Abs. 1 VgV), bei Liefer- "
                "und Dienstleistungen ohne Gesamtpreis und unbefristet das 48-Fache des "
                "Monatswerts (§ 3 Abs. 11 VgV).",
                "The amount named is not the contract's total value"
                + (" (a price per month or per piece)." if case.per_unit else ".")
                + " What counts is the estimated total value without VAT: all pieces, the whole "
                "term with options and extensions (section 3 (1) VgV), and for supplies and "
                "services without a total price and with no fixed term 48 times the monthly "
                "value (section 3 (11) VgV).",
            ),
            values,
        ]
        return _headed(lang, parts, period, today)
    net = case.amount / (1 + VAT) if case.gross else case.amount
    if case.gross:
        parts.append(
            pick(
                lang,
                f"Sie nennen einen Bruttobetrag; ohne 19 % Umsatzsteuer sind das etwa "
                f"{_euros(net, False)}.",
                f"You name a gross amount; without 19% VAT that is about {_euros(net, True)}.",
            )
        )
    if case.per_year:
        months = min(12 * (case.years or MAX_MONTHS // 12), MAX_MONTHS)
        total = net * months / 12
        term = (
            pick(lang, f"{months // 12} Jahre", f"{months // 12} years")
            if case.years
            else pick(lang, "Laufzeit nicht genannt", "no term named")
        )
        parts.append(
            pick(
                lang,
                f"Ein Jahreswert zählt über die Laufzeit, höchstens 48 Monate (§ 3 Abs. 11 VgV): "
                f"{term}, zusammen {_euros(total, False)}.",
                f"A yearly value counts over the term, at most 48 months (section 3 (11) VgV): "
                f"{term}, {_euros(total, True)} in all.",
            )
        )
        net = total
    if case.several:
        parts.append(
            pick(
                lang,
                f"Gerechnet mit dem größten genannten Betrag ({_euros(net, False)}).",
                f"Taken is the largest amount named ({_euros(net, True)}).",
            )
        )
    above = net >= threshold
    equal = round(net) == threshold
    verb = pick(
        lang,
        "erreichen" if equal else ("überschreiten" if above else "liegen unter"),
        "reaches" if equal else ("exceeds" if above else "is below"),
    )
    parts.append(
        pick(
            lang,
            f"{_euros(net, False)} {verb} den EU-Schwellenwert für Kommunen bei {kind} von "
            f"{_euros(threshold, False)} (seit {since}).".replace(
                "liegen unter den", "liegen unter dem"
            ),
            f"{_euros(net, True)} {verb} the EU threshold for municipalities for {kind} of "
            f"{_euros(threshold, True)} (since {since}).",
        )
    )
    if above:
        parts.append(
            pick(
                lang,
                "Damit ist in der Regel EU-weit auszuschreiben ("
                + ("GWB, VgV und VOB/A Abschnitt 2" if case.works else "GWB und VgV")
                + f"). Eigene Schwellenwerte haben Sektorenauftraggeber wie Stadtwerke in der "
                f"Wasser- oder Energieversorgung ({_euros(SECTOR, False)}) und soziale und andere "
                f"besondere Dienstleistungen ({_euros(SOCIAL_SERVICES, False)}).",
                "So as a rule the contract must be advertised EU-wide ("
                + ("GWB, VgV and VOB/A section 2" if case.works else "GWB and VgV")
                + f"). Sector entities such as municipal utilities in water or energy supply "
                f"({_euros(SECTOR, True)}) and social and other special services "
                f"({_euros(SOCIAL_SERVICES, True)}) have thresholds of their own.",
            )
        )
    else:
        if net >= (1 - NEAR) * threshold:
            parts.append(
                pick(
                    lang,
                    "Das ist knapp darunter: Schätzen Sie sorgfältig, mit Optionen und "
                    "Verlängerungen, und halten Sie die Schätzung im Vergabevermerk fest.",
                    "That is just below it: estimate carefully, with options and extensions, "
                    "and record the estimate in the award file.",
                )
            )
        parts.append(
            pick(
                lang,
                "Damit bleibt es eine nationale Vergabe ("
                + ("VOB/A Abschnitt 1" if case.works else "UVgO")
                + " nach Landesrecht).",
                "So it stays a national procedure ("
                + ("VOB/A section 1" if case.works else "UVgO")
                + " under state law).",
            )
        )
        parts.append(_lower_saxony(net, case, lang))
    parts.append(
        pick(
            lang,
            "Maßgeblich ist der geschätzte Gesamtwert ohne Umsatzsteuer über die ganze Laufzeit, "
            "mit Optionen und Verlängerungen (§ 3 VgV)"
            + (
                "."
                if case.net_named or case.gross
                else "; der genannte Betrag ist als Nettowert gerechnet."
            ),
            "What counts is the estimated total value without VAT over the whole term, with "
            "options and extensions (section 3 VgV)"
            + ("." if case.net_named or case.gross else "; the amount named is taken as net."),
        )
    )
    return _headed(lang, parts, period, today)


def _lower_saxony(net: float, case: Case, lang: str) -> str:
    """Which procedure Lower Saxony's value limits allow for ``net`` (below the thresholds)."""
    limits = LOWER_SAXONY
    de = lang != "en"
    rule = pick(
        lang,
        f"NWertVO, Fassung seit {limits.since.strftime('%d.%m.%Y')}",
        f"NWertVO as in force since {limits.since.strftime('%-d %B %Y')}",
    )
    tail = pick(
        lang,
        f" ({rule}); prüfen Sie die aktuelle Fassung. In Bremen gelten eigene Wertgrenzen (TtVG).",
        f" ({rule}); check the current version. Bremen has its own limits (TtVG).",
    )
    if case.lots:
        return (
            pick(
                lang,
                "Bei Losen zählt für den EU-Schwellenwert der Wert aller Lose zusammen (§ 3 Abs. 7 "
                "VgV); die Wertgrenzen der NWertVO für vereinfachte Verfahren gelten in "
                "Niedersachsen je Los",
                "With lots, the EU threshold counts the value of all lots together (section 3 (7) "
                "VgV); Lower Saxony's value limits for simplified procedures apply per lot",
            )
            + tail
        )
    if net <= limits.direct:
        allowed = pick(
            lang,
            f"auch ein Direktauftrag ohne Vergabeverfahren (bis {_euros(limits.direct, False)})",
            f"also a direct award without a procedure (up to {_euros(limits.direct, True)})",
        )
    elif not case.works and net <= limits.supplies_simplified:
        amount = _euros(limits.supplies_simplified, not de)
        allowed = pick(
            lang,
            "auch eine beschränkte Ausschreibung ohne Teilnahmewettbewerb oder eine "
            f"Verhandlungsvergabe (bis {amount})",
            "also a restricted tender without a call for competition or a Verhandlungsvergabe "
            f"(up to {amount})",
        )
    elif case.works and net <= limits.works_negotiated:
        amount = _euros(limits.works_negotiated, not de)
        allowed = pick(
            lang,
            f"auch eine freihändige Vergabe (bis {amount})",
            f"also a freihändige Vergabe (up to {amount})",
        )
    elif case.works and net <= limits.works_restricted:
        amount = _euros(limits.works_restricted, not de)
        allowed = pick(
            lang,
            f"auch eine beschränkte Ausschreibung ohne Teilnahmewettbewerb (bis {amount})",
            f"also a restricted tender without a call for competition (up to {amount})",
        )
    else:
        basis = pick(
            lang,
            "§ 3a Abs. 1 VOB/A" if case.works else "§ 8 Abs. 2 UVgO",
            "section 3a (1) VOB/A" if case.works else "section 8 (2) UVgO",
        )
        return pick(
            lang,
            "In Niedersachsen liegt der Wert über den Wertgrenzen für vereinfachte Verfahren: "
            "öffentliche Ausschreibung oder beschränkte Ausschreibung mit Teilnahmewettbewerb "
            f"({basis}; {rule}); prüfen Sie die aktuelle Fassung. In Bremen gelten eigene "
            "Wertgrenzen (TtVG).",
            "In Lower Saxony the value is above the limits for simplified procedures: a public "
            f"tender or a restricted tender with a call for competition ({basis}; {rule}); check "
            "the current version. Bremen has its own limits (TtVG).",
        )
    return (
        pick(
            lang,
            f"In Niedersachsen ist bei diesem Wert {allowed} zulässig",
            f"In Lower Saxony {allowed} is allowed for this value",
        )
        + tail
    )


def _headed(lang: str, parts: list[str], period: Thresholds, today: date) -> str:
    if today > period.until:
        parts.append(
            pick(
                lang,
                f"Diese Werte galten bis {period.until.strftime('%d.%m.%Y')}; prüfen Sie, ob neue "
                "gelten.",
                f"These values applied until {period.until.isoformat()}; check whether new ones "
                "apply.",
            )
        )
    return pick(lang, "**Ihr Fall:** ", "**Your case:** ") + " ".join(parts)
