"""The member's own amount against the EU thresholds: "Wir wollen einen Radlader für 240.000 Euro
kaufen – müssen wir EU-weit ausschreiben?" The answer on the thresholds lists the values; this
note says where the amount the member named lies against both of them (supplies and services,
works), so that the answer ends in what was asked.

Shown below answers whose entry has ``live = "threshold"`` (commands/topics.py), and only when
the question names one amount in euros. It never decides what kind of contract it is (a word
list cannot tell an architect's fee for a new building from the building), and it compares
nothing where the amount named is not the contract's value: a price per month, year or piece,
lots, options, several amounts. Then it says what counts instead. Questions on loans, land,
rent, taxes, grants or staff get no note: procurement law is not theirs. The values are those
of the knowledge entries e-vergabe-schwellenwerte and e-vergabe-wertgrenzen-niedersachsen
(tests/unit/test_thresholds.py checks that they say the same).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from bot.answers.render import format_date
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
# thresholds of their own, concessions that of works; the note names them as exceptions.
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
# Only so much of a message is read (the engine reads as much).
MAX_TEXT = 1000

# An amount: "240.000 Euro", "1,2 Mio. Euro", "€ 250,000", "180.000,- €", "30 Mille", "180 TEUR".
# Bounded digit runs: a long string of digits must not make the pattern backtrack for seconds.
_NUM = r"\d{1,3}(?:[.,]\d{3}){1,3}(?:[.,]\d{1,2})?(?:,-{1,2})?|\d{1,9}(?:[.,]\d{1,3})?"
_SCALE = r"mio\.?|millionen|million|millions|mille|tsd\.?|tausend|thousand|k|t(?=€|eur)"
_CURRENCY = r"(?:€|eur\b|euro?s?\b)"
_AMOUNT = re.compile(
    rf"(?:€|\beur\b)\s*(?P<pre>{_NUM})\s*(?P<prescale>{_SCALE})?(?![\d])"
    rf"|(?<![\d.,])(?P<num>{_NUM})\s*(?P<scale>{_SCALE})?\s*{_CURRENCY}"
    r"|(?<![\d.,])(?P<mille>\d{1,4}(?:[.,]\d{1,2})?)\s*mille\b",
    re.I,
)
_GROSS = re.compile(
    r"\bbrutto|\binkl(?:\.|usive)?\s*(?:19\s*%\s*)?(?:mwst|ust|umsatzsteuer|mehrwertsteuer)"
    r"|\bincl(?:\.|uding)?\s*(?:19\s*%\s*)?vat|\bgross\s+(?:amount|value|price)",
    re.I,
)
_NET = re.compile(
    r"\bnetto\b|\bnet\b|ohne\s+(?:mwst|ust|umsatzsteuer|mehrwertsteuer)|\bexcl|\bzzgl", re.I
)
# What makes the amount no contract value by itself, or leaves it unclear: a price per time
# or piece, lots, options, a range, a budget, a bid, a supplement, a sale, another VAT rate,
# "brutto oder netto?" (code reviews of round 35: each of these was compared as it stood).
_NOT_TOTAL = re.compile(
    r"\b(?:pro|je)\s+\w+|\bim\s+(?:monat|quartal|jahr(?!\s*\d))|/\s*(?:monat|jahr|stück|month|year)"
    r"|jährl|jaehrl|monatl|\bmtl\b|\bp\.\s?[am]\.|per\s+\w+|\ba\s+(?:year|month)\b|annual"
    r"|monthly|yearly|apiece|\beach\b|\bà\b|\ba\s+\d|das\s+stück|jeweils|stückpreis"
    r"|jedes\s+jahr|jahres\w+|\blose\b|\blosen\b|fachlos|teillos|\blots\b|verlängerung"
    r"|verlaengerung|\boption|zwischen|haushalt|budget|bieter|bietet|angebot|nachtrag"
    r"|vertragsstrafe|schadensersatz|verkauf|festgeld|geldanlage|rental|renting|\bhire"
    r"|brutto\s+oder\s+netto|netto\s+oder\s+brutto|brutto\s*/\s*netto|netto\s*/\s*brutto"
    r"|\b(?:[0-9]|1[0-8])\s*%",
    re.I,
)
# Another number right before the amount ("Los 3 120.000 Euro") or a second one joined to it
# ("100.000 und 150.000 Euro", "1,5 - 2 Mio. Euro"): which is the value is unclear.
_JOINED = re.compile(r"\d\s+\d|\d\s*(?:und|bis|oder|-|–|/)\s*\d", re.I)
# ... or a bare figure with thousands elsewhere that names no thing ("für 100.000 und einer für
# 150.000 Euro"); "12.000 Einwohner" names one.
_BARE_FIGURE = re.compile(
    r"(?<![\d.,])(?<!€)(?<!€\s)(?<!eur\s)(?<!EUR\s)(?<!Eur\s)\d{1,3}(?:[.,]\d{3})+(?![\d.,])"
    r"(?!\s*(?:€|eur|mio|mille|tsd|tausend|[A-ZÄÖÜ]))"
)
# Not a procurement at all: loans, land and rent, taxes, grants, staff, shares.
_NOT_PROCUREMENT = re.compile(
    r"kredit|darlehen|grundstück|grundstueck|immobilie|\bmiete|\bpacht|verpacht|vermiet"
    r"|(?<!mehrwert)(?<!umsatz)steuer(?!ung)|förderm|foerderm|förderung|foerderung|zuschuss"
    r"|zuschüsse|digitalpakt|gehalt|\bstelle\b|einstell|aktie|spende"
    r"|\bstellen\s+(?:eine?n?|zwei|drei|\d+)\s+\w+(?:\s+[\w.,]+){0,5}?\s+ein\b"
    r"|mitgliedsbeitr|\bloan|\brent\b|\bgrant|\bsalary|\btax(?:es)?\b",
    re.I,
)


@dataclass(frozen=True)
class Case:
    """What the member's question says about the contract's value."""

    amount: float  # net euros (converted if named gross)
    gross: bool  # named gross, converted at 19 % VAT
    net_named: bool
    total: bool  # one amount, not per time or piece, no lots or options: comparable


def asked_case(text: str) -> Case | None:
    """The contract value the question names, or None if it names no amount in euros or is no
    procurement question."""
    text = text[:MAX_TEXT]
    if _NOT_PROCUREMENT.search(text):
        return None
    amounts = {_value(m) for m in _AMOUNT.finditer(text)}
    amounts = {a for a in amounts if a >= 100}
    if not amounts:
        return None
    gross = bool(_GROSS.search(text))
    amount = max(amounts) / (1 + VAT) if gross else max(amounts)
    return Case(
        amount=round(amount),
        gross=gross,
        net_named=bool(_NET.search(text)),
        total=len(amounts) == 1
        and not _NOT_TOTAL.search(text)
        and not _JOINED.search(text)
        and not _BARE_FIGURE.search(text),
    )


def _value(m: re.Match[str]) -> float:
    if m.group("mille"):
        return _number(m.group("mille")) * 1000
    if m.group("pre"):
        raw, scale = m.group("pre"), m.group("prescale")
    else:
        raw, scale = m.group("num"), m.group("scale")
    scale = (scale or "").lower().rstrip(".")
    # "4,875 Mio." is four point eight million, not four thousand million.
    value = (
        float(raw.replace(",", "."))
        if scale and re.fullmatch(r"\d+[.,]\d{1,3}", raw)
        else _number(raw)
    )
    if scale.startswith("mi") and scale != "mille":
        value *= 1_000_000
    elif scale in ("mille", "tsd", "tausend", "thousand", "k", "t"):
        value *= 1000
    return value


def _number(raw: str) -> float:
    """ "240.000" and "250,000" are thousands; "1,2" and "1.2" are decimals, and so is the
    last separator before one or two digits ("1.234.567,89", "1,234,567.89")."""
    raw = raw.removesuffix(",--").removesuffix(",-")
    head, sep, tail = max(
        (raw.rpartition(c) for c in ".," if c in raw),
        key=lambda p: len(p[0]),
        default=("", "", raw),
    )
    if sep and len(tail) in (1, 2):
        return float(re.sub(r"[.,]", "", head) + "." + tail)
    return float(re.sub(r"[.,]", "", raw))


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
    """One paragraph on the amount the question names (Markdown), or None without one."""
    case = asked_case(text)
    if case is None:
        return None
    en = lang == "en"
    period = in_force(today)
    supplies, works = _euros(period.supplies, en), _euros(period.works, en)
    since = period.since.isoformat() if en else format_date(period.since)
    parts: list[str] = []
    if not case.total:
        parts.append(
            pick(
                lang,
                "Der genannte Betrag ist nicht eindeutig der Auftragswert (ein Preis je Zeit "
                "oder Stück, Lose, Optionen, mehrere Beträge, ein Budget oder ein Angebot); "
                "verglichen wird der geschätzte Gesamtwert ohne Umsatzsteuer: alle Stücke und "
                "Lose zusammen, die ganze Laufzeit mit Optionen und Verlängerungen (§ 3 VgV), "
                "bei Liefer- und Dienstleistungen ohne Gesamtpreis und ohne feste Laufzeit das "
                "48-Fache des Monatswerts. "
                f"Die EU-Schwellenwerte für Kommunen (seit {since}): {supplies} für Liefer- und "
                f"Dienstleistungen, {works} für Bauleistungen.",
                "The amount named is not clearly the contract value (a price per time or "
                "piece, lots, options, several amounts, a budget or a bid); what is compared "
                "is the estimated total value without VAT: all pieces and lots "
                "together, the whole term with options and extensions (section 3 VgV), and for "
                "supplies and services without a total price or fixed term 48 times the "
                "monthly value. "
                f"The EU thresholds for municipalities (since {since}): {supplies} for supplies "
                f"and services, {works} for works.",
            )
        )
        return _headed(lang, parts, period, today)
    amount = _euros(case.amount, en)
    if case.gross:
        parts.append(
            pick(
                lang,
                f"Ohne 19 % Umsatzsteuer sind das etwa {amount}.",
                f"Without 19% VAT that is about {amount}.",
            )
        )
    if case.amount >= period.works:
        parts.append(
            pick(
                lang,
                f"{amount} liegen über beiden EU-Schwellenwerten für Kommunen ({supplies} für "
                f"Liefer- und Dienstleistungen, {works} für Bauleistungen, seit {since}): in "
                "der Regel EU-weit auszuschreiben.",
                f"{amount} is above both EU thresholds for municipalities ({supplies} for "
                f"supplies and services, {works} for works, since {since}): as a rule the "
                "contract is advertised EU-wide.",
            )
        )
    elif case.amount >= period.supplies:
        # The law's words: a value that reaches or exceeds the threshold (§ 106 GWB).
        equal = case.amount == period.supplies
        parts.append(
            pick(
                lang,
                f"{amount} {'erreichen den' if equal else 'liegen über dem'} EU-Schwellenwert "
                "für Kommunen bei Liefer- und "
                f"Dienstleistungen ({supplies}, seit {since}): ein Liefer- oder "
                "Dienstleistungsauftrag ist in der Regel EU-weit auszuschreiben (GWB, VgV). "
                f"Unter dem für Bauleistungen ({works}) bleibt ein Bauauftrag national (VOB/A "
                "Abschnitt 1), wenn das ganze Bauvorhaben darunter liegt: alle Gewerke zählen "
                "zusammen.",
                f"{amount} {'reaches' if equal else 'is above'} the EU threshold for "
                "municipalities for supplies and "
                f"services ({supplies}, since {since}): such a contract is as a rule advertised "
                f"EU-wide (GWB, VgV). Below the one for works ({works}) a works contract stays "
                "national (VOB/A section 1) if the whole building project is below it: all "
                "trades count together.",
            )
        )
    else:
        parts.append(
            pick(
                lang,
                f"{amount} liegen unter beiden EU-Schwellenwerten für Kommunen ({supplies} für "
                f"Liefer- und Dienstleistungen, {works} für Bauleistungen, seit {since}): eine "
                "nationale Vergabe nach UVgO bzw. VOB/A Abschnitt 1 und Landesrecht.",
                f"{amount} is below both EU thresholds for municipalities ({supplies} for "
                f"supplies and services, {works} for works, since {since}): a national "
                "procedure under the UVgO or VOB/A section 1 and state law.",
            )
        )
        if case.amount >= (1 - NEAR) * period.supplies:
            parts.append(
                pick(
                    lang,
                    "Für Liefer- und Dienstleistungen ist das knapp darunter: Schätzen Sie "
                    "sorgfältig und halten Sie die Schätzung im Vergabevermerk fest.",
                    "For supplies and services that is just below: estimate carefully and "
                    "record the estimate in the award file.",
                )
            )
        parts.append(_lower_saxony(case.amount, lang))
    parts.append(
        pick(
            lang,
            f"Eigene Schwellenwerte haben Sektorenauftraggeber wie Stadtwerke in der Wasser- oder "
            f"Energieversorgung ({_euros(SECTOR, False)}), soziale und andere besondere "
            f"Dienstleistungen ({_euros(SOCIAL_SERVICES, False)}) und Konzessionen ({works}). "
            "Maßgeblich ist der geschätzte Gesamtwert ohne Umsatzsteuer über alle Lose und die "
            "ganze Laufzeit, mit Optionen (§ 3 VgV)"
            + (
                "." if case.net_named or case.gross else "; der Betrag ist als Nettowert gerechnet."
            ),
            f"Sector entities such as municipal utilities in water or energy supply "
            f"({_euros(SECTOR, True)}), social and other special services "
            f"({_euros(SOCIAL_SERVICES, True)}) and concessions ({works}) have thresholds of "
            "their own. What counts is the estimated total value without VAT over all lots and "
            "the whole term, with options (section 3 VgV)"
            + ("." if case.net_named or case.gross else "; the amount is taken as net."),
        )
    )
    return _headed(lang, parts, period, today)


def _lower_saxony(amount: float, lang: str) -> str:
    """Lower Saxony's value limits below the thresholds (NWertVO), for either kind of contract."""
    limits = LOWER_SAXONY
    en = lang == "en"
    direct = _euros(limits.direct, en)
    since = limits.since.isoformat() if en else format_date(limits.since)
    below = amount <= limits.direct
    return pick(
        lang,
        f"In Niedersachsen (NWertVO, Fassung seit {since}) ist bis {direct} netto ein "
        f"Direktauftrag zulässig{' – Ihr Betrag liegt darunter' if below else ''}; vereinfachte "
        "Verfahren gehen bei Liefer- und Dienstleistungen bis "
        f"{_euros(limits.supplies_simplified, False)}, bei Bauleistungen bis "
        f"{_euros(limits.works_negotiated, False)} (freihändige Vergabe) bzw. "
        f"{_euros(limits.works_restricted, False)} (beschränkte Ausschreibung ohne "
        "Teilnahmewettbewerb), die Wertgrenzen gelten je Los; prüfen Sie die aktuelle Fassung. "
        "In Bremen gelten eigene Wertgrenzen (TtVG).",
        f"In Lower Saxony (NWertVO as in force since {since}) a direct award is allowed up to "
        f"{direct} net{' – your amount is below it' if below else ''}; simplified procedures "
        f"go up to {_euros(limits.supplies_simplified, True)} for supplies and services and up "
        f"to {_euros(limits.works_negotiated, True)} (freihändige Vergabe) or "
        f"{_euros(limits.works_restricted, True)} (restricted tender without a call for "
        "competition) for works; the limits apply per lot. Check the current version. Bremen "
        "has its own limits (TtVG).",
    )


def _headed(lang: str, parts: list[str], period: Thresholds, today: date) -> str:
    if today > period.until:
        parts.append(
            pick(
                lang,
                f"Diese Werte galten bis {format_date(period.until)}; prüfen Sie, ob neue gelten.",
                f"These values applied until {period.until.isoformat()}; check whether new ones "
                "apply.",
            )
        )
    return pick(lang, "**Ihr Fall:** ", "**Your case:** ") + " ".join(parts)
