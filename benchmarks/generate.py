#!/usr/bin/env python3
"""Write a synthetic, valid format-v1 model of a given size, for benchmarks and tests.

    python benchmarks/generate.py COUNTERPARTS EVENTS [--seed N] [-o FILE]

The model has a fictional focus country and COUNTERPARTS counterparts (mostly countries with
three-letter upper-case ids, plus blocs, organisations and armed groups), one relationship per
counterpart with the focus plus one non-focus pair per ten counterparts, one person per two
counterparts, twenty themes, EVENTS events over six years (2018-2023) with mixed date
precisions (days, months, years, intervals, a few `~` and `?`), PLOVER types and scores, and
one figure per ten events. Every string is generated from word lists, so the same seed gives
the same bytes. Citations stay within article.paragraphs.

The TOML is written by hand (~10x faster than a generic writer), its values by `json.dumps`.
Standard library only, so it runs without the project installed.
"""

from __future__ import annotations

import argparse
import calendar
import json
import random
import re
import sys
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

START_YEAR, END_YEAR = 2018, 2023

# ---------------------------------------------------------------------------------------------
# TOML writing


def toml_value(value: object) -> str:
    """A TOML string, integer, float, boolean or array. JSON writes these as TOML does (the
    escapes of quotes, backslashes and control characters included); the one difference, DEL
    left unescaped, never arises, as every string comes from the word lists below."""
    return json.dumps(value, ensure_ascii=False)


def toml_inline(table: dict[str, object]) -> str:
    """An inline table, keys in the order given; None values are left out."""
    return "{ " + ", ".join(f"{k} = {toml_value(v)}" for k, v in table.items()
                            if v is not None) + " }"


def toml_table(header: str, table: dict[str, object]) -> str:
    """A `[[header]]` table, one key per line; None values are left out."""
    lines = [f"[[{header}]]"]
    lines += [f"{k} = {toml_value(v)}" for k, v in table.items() if v is not None]
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------------------------
# Word lists

REAL_COUNTRIES = [  # (id, name, capital) — real names make searches like "china" realistic
    ("USA", "United States", "Washington"), ("CHN", "China", "Beijing"),
    ("IND", "India", "New Delhi"), ("AFG", "Afghanistan", "Kabul"),
    ("SAU", "Saudi Arabia", "Riyadh"), ("IRN", "Iran", "Tehran"),
    ("RUS", "Russia", "Moscow"), ("TUR", "Türkiye", "Ankara"),
    ("GBR", "United Kingdom", "London"), ("DEU", "Germany", "Berlin"),
    ("FRA", "France", "Paris"), ("JPN", "Japan", "Tokyo"),
    ("ARE", "United Arab Emirates", "Abu Dhabi"), ("QAT", "Qatar", "Doha"),
    ("KWT", "Kuwait", "Kuwait City"), ("BGD", "Bangladesh", "Dhaka"),
    ("LKA", "Sri Lanka", "Colombo"), ("NPL", "Nepal", "Kathmandu"),
    ("CIV", "Côte d'Ivoire", "Yamoussoukro"), ("BRA", "Brazil", "Brasília"),
    ("ZAF", "South Africa", "Pretoria"), ("EGY", "Egypt", "Cairo"),
    ("IDN", "Indonesia", "Jakarta"), ("MYS", "Malaysia", "Kuala Lumpur"),
    ("KOR", "South Korea", "Seoul"), ("NGA", "Nigeria", "Abuja"),
    ("MEX", "Mexico", "Mexico City"), ("CAN", "Canada", "Ottawa"),
    ("AUS", "Australia", "Canberra"), ("ITA", "Italy", "Rome"),
    ("ESP", "Spain", "Madrid"), ("UKR", "Ukraine", "Kyiv"),
]

SYLLABLES = ["ar", "bel", "cor", "dan", "el", "fen", "gar", "hal", "is", "jor", "kel", "lun",
             "mar", "nor", "os", "pel", "quin", "ras", "sol", "tor", "ul", "var", "wen", "xan",
             "yor", "zel", "bra", "cas", "dra", "len", "mon", "ser", "tav", "vel", "kor", "lis"]
COUNTRY_ENDINGS = ["ia", "ania", "istan", "land", "onia", "ovia", "aria", "ea", "esh", "ador"]
CITY_ENDINGS = ["burg", "grad", "polis", "ville", "abad", "stad", "mouth", "ford", "port"]

REGIONS = ["Northern", "Southern", "Eastern", "Western", "Central", "Coastal", "Highland",
           "Atlantic", "Pacific", "Arctic", "Desert", "River", "Lake", "Steppe", "Island",
           "Gulf", "Andean", "Sahel", "Baltic", "Caspian"]
BLOC_NOUNS = ["Union", "League", "Compact", "Council", "Alliance", "Forum", "Community",
              "Partnership", "Cooperation Organisation", "Economic Area"]
ORG_FIELDS = ["Development", "Monetary", "Energy", "Health", "Trade", "Water", "Food",
              "Migration", "Climate", "Investment", "Nuclear", "Maritime"]
ORG_NOUNS = ["Bank", "Fund", "Agency", "Commission", "Programme", "Institute", "Authority",
             "Organisation"]
ARMED_FORMS = ["{r} Liberation Front", "{n} Resistance Movement", "{r} Army of {n}",
               "Tehreek-i-{n}", "{n} People's Militia", "{r} Brigades"]

FIRST_NAMES = ["Antony", "Bilawal", "Asim", "Lloyd", "Stephen", "António", "Mara", "Anwar",
               "Shehbaz", "Fatima", "Hina", "Ji-woo", "Olena", "Zoë", "Rashid", "Amina",
               "Björn", "José", "Leila", "Tomasz", "Chiara", "Kwame", "Ngozi", "Sergei",
               "Mei", "Arjun", "Élodie", "Yusuf", "Ingrid", "Dmitri"]
LAST_NAMES = ["Blinken", "Zardari", "Munir", "Austin", "Biegun", "Guterres", "Lenz", "Kakar",
              "Sharif", "Khar", "Park", "Kovalenko", "Müller", "Haddad", "Okafor", "Mensah",
              "Lindqvist", "García", "Nowak", "Rossi", "Tanaka", "Sato", "Mehta", "Demir",
              "Hansen", "Petrov", "Nakamura", "Ibrahim", "Costa", "Dubois"]
ROLES = ["Foreign minister", "then foreign minister", "Prime minister",
         "Caretaker prime minister", "Chief of army staff", "Defence secretary",
         "Deputy secretary of state", "Secretary-General", "President", "Finance minister",
         "National security adviser", "Ambassador", "Special envoy", "Interior minister"]

THEMES = ["Terrorism", "Refugees", "Water", "Investment", "Human rights",
          "Civil–military balance", "Economic crisis", "Trade", "Energy", "Climate",
          "Border security", "Nuclear proliferation", "Migration", "Debt relief",
          "Public health", "Connectivity", "Maritime security", "Food security",
          "Cyber security", "Religious freedom"]

TRENDS = ["improving", "deteriorating", "stalled", "stable", "mixed"]
HEADLINES = {
    "improving": ["Marked improvement", "Warmer ties", "A reset that held", "Closer trade ties",
                  "Renewed partnership"],
    "deteriorating": ["Sharp deterioration", "A frosty year", "Open hostility",
                      "Dispute over the shared river", "Trust breaks down"],
    "stalled": ["No improvement", "Talks go nowhere", "Frozen dialogue", "A year of stalemate"],
    "stable": ["Steady cooperation", "Business as usual", "A quiet year", "Reliable partner"],
    "mixed": ["Mixed signals", "Cooperation and friction", "Uneasy balance",
              "Gains and setbacks"],
}

TOPICS = ["trade", "water sharing", "border security", "counter-terrorism", "energy supplies",
          "refugee returns", "debt relief", "investment", "visa rules", "a rail corridor",
          "fishing rights", "grain exports", "a gas pipeline", "cross-border attacks",
          "nuclear safeguards", "climate finance", "port access", "airspace", "prisoners",
          "a ceasefire", "customs duties", "election monitoring", "minority rights"]
PLACES = ["at a summit", "in the capital", "on the sidelines of the UN", "by telephone",
          "after months of delay", "despite protests", "amid rising tension",
          "during a state visit", "at a regional forum", "in a joint statement"]

# type -> (title templates, score range)
PLOVER: dict[str, tuple[list[str], tuple[float, float]]] = {
    "AGREE": (["{a} and {b} agree on {t}", "{a} and {b} sign accord on {t}"], (3, 7)),
    "CONSULT": (["{a} and {b} hold talks on {t}", "{a} leader visits {b} to discuss {t}",
                 "{a} and {b} meet over {t}"], (1, 4)),
    "SUPPORT": (["{a} backs {b} on {t}", "{a} voices support for {b} over {t}"], (2, 6)),
    "CONCEDE": (["{a} eases its stance on {t} towards {b}", "{a} concedes to {b} on {t}"],
                (2, 5)),
    "COOPERATE": (["{a} and {b} launch joint work on {t}", "{a} and {b} cooperate on {t}"],
                  (4, 8)),
    "AID": (["{a} sends aid to {b} for {t}", "{a} approves package for {b} on {t}"], (5, 8)),
    "RETREAT": (["{a} withdraws forces near {b}", "{a} pulls back from {t} with {b}"], (1, 3)),
    "REQUEST": (["{a} asks {b} to act on {t}", "{a} urges {b} to resume talks on {t}"], (0, 2)),
    "ACCUSE": (["{a} accuses {b} over {t}", "{a} blames {b} for {t}"], (-5, -2)),
    "REJECT": (["{a} rejects {b} proposal on {t}", "{a} turns down {b} over {t}"], (-5, -2)),
    "SANCTION": (["{a} imposes sanctions on {b} over {t}", "{a} suspends {t} with {b}"],
                 (-7, -4)),
    "THREATEN": (["{a} warns {b} over {t}", "{a} threatens {b} with action over {t}"],
                 (-7, -4)),
    "PROTEST": (["{a} protests to {b} over {t}", "{a} summons {b} envoy over {t}"], (-4, -2)),
    "MOBILIZE": (["{a} moves troops towards {b}", "{a} mobilises forces over {t}"], (-7, -5)),
    "COERCE": (["{a} expels {b} nationals over {t}", "{a} seals border with {b}"], (-8, -6)),
    "ASSAULT": (["{a} strikes targets in {b}", "Attack from {a} kills soldiers in {b}"],
                (-10, -8)),
}
EVENT_TYPES = list(PLOVER)
TYPE_WEIGHTS = [8, 14, 8, 3, 7, 5, 2, 6, 8, 6, 4, 5, 6, 2, 3, 3]
MODES = {"CONSULT": ["visit", "phone", "multilateral", "meeting"],
         "AGREE": ["treaty", "memorandum", "multilateral"],
         "ASSAULT": ["cross-border attack", "air strike", "bombing"],
         "AID": ["loan", "grant", "in-kind"], "RETREAT": ["ceasefire"],
         "PROTEST": ["diplomatic note", "demarche"]}
CONTEXTS = ["diplomatic", "economic", "military", "terrorism", "territory", "humanitarian",
            "environment", "legal", "political", "migration"]

SUMMARY_SENTENCES = [
    "Officials from {a} described the outcome as a step forward on {t}.",
    "The move followed weeks of quiet contacts between {a} and {b}.",
    "Observers in {b} saw it as a response to pressure over {t}.",
    "Both sides said further talks on {t} would follow within months.",
    "{b} did not comment publicly, but its envoy was recalled for consultations.",
    "The decision drew criticism from opposition parties in {a}.",
    "It came {p}, with {t} high on the agenda.",
    "Analysts linked it to the economic strain felt in {a} during the year.",
    "A joint committee was set up to follow up on {t}.",
    "Earlier rounds had broken down over the same question of {t}.",
]
RELATIONSHIP_SENTENCES = [
    "Relations between {a} and {b} turned on {t} for most of the year.",
    "Visits at the highest level were frequent, and several agreements followed.",
    "Disputes over {t} kept officials from making progress.",
    "{b} remained an important partner for {a} on {t}.",
    "The year ended with both sides promising to revive dialogue on {t}.",
    "Public statements hardened after incidents involving {t}.",
]
FIGURE_KINDS = [  # unit, label template, (low, high) magnitude, integer?
    ("USD", "Financing agreed with {b} for {t}", (1e6, 5e10)),
    ("people", "People affected by {t}", (1e3, 5e6)),
    ("deaths", "Deaths attributed to {t}", (10, 5000)),
    ("visits", "High-level visits to {b}", (1, 12)),
    ("percent", "Share of trade with {b} tied to {t}", (1, 90)),
    ("year", "Year the dispute over {t} began", (1947, 2022)),
    ("km", "Length of border with {b} affected by {t}", (10, 2500)),
]

MONTH_NAMES = ["January", "February", "March", "April", "May", "June", "July", "August",
               "September", "October", "November", "December"]


# ---------------------------------------------------------------------------------------------
# Building the model


def slug(text: str) -> str:
    plain = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-") or "x"


class _Unique:
    """Hands out unique ids and names, adding a suffix on a clash."""

    def __init__(self) -> None:
        self.used: set[str] = set()

    def take(self, wanted: str, joiner: str = "-") -> str:
        candidate, number = wanted, 2
        while candidate in self.used:
            candidate = f"{wanted}{joiner}{number}"
            number += 1
        self.used.add(candidate)
        return candidate


def country_codes(reserved: set[str]) -> Iterator[str]:
    """ISO 3166-1 user-assigned alpha-3 codes (XAA..XZZ, QMA..QZZ), then C00..Z99."""
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    for first, seconds in (("X", letters), ("Q", letters[letters.index("M"):])):
        for second in seconds:
            for third in letters:
                code = first + second + third
                if code not in reserved:
                    yield code
    for first in letters[2:]:
        for number in range(100):
            code = f"{first}{number:02d}"
            if code not in reserved:
                yield code
    raise ValueError("too many countries for the code space")


@dataclass
class _Entity:
    id: str
    kind: str
    name: str
    source: list[int]
    aliases: list[str] = field(default_factory=list)
    role: str | None = None
    member_of: str | None = None
    members: list[str] = field(default_factory=list)

    def toml(self) -> str:
        return toml_inline({"id": self.id, "kind": self.kind, "name": self.name,
                            "aliases": self.aliases or None, "role": self.role,
                            "member_of": self.member_of, "members": self.members or None,
                            "source": self.source})


class Generator:
    def __init__(self, counterparts: int, events: int, seed: int) -> None:
        if counterparts < 1:
            raise ValueError("COUNTERPARTS must be at least 1")
        if events < 0:
            raise ValueError("EVENTS must not be negative")
        self.counterpart_count = counterparts
        self.event_count = events
        self.random = random.Random(seed)
        self.paragraphs = max(18, (counterparts + events) // 20)
        self.ids = _Unique()
        self.names = _Unique()

    # -- helpers ------------------------------------------------------------------------------

    def source(self, most: int = 3) -> list[int]:
        r = self.random
        return sorted(r.sample(range(1, self.paragraphs + 1), r.randint(1, min(most,
                                                                              self.paragraphs))))

    def made_up_name(self, endings: Sequence[str]) -> str:
        r = self.random
        stem = "".join(r.choice(SYLLABLES) for _ in range(r.randint(1, 2)))
        return (stem + r.choice(endings)).capitalize()

    # -- entities -----------------------------------------------------------------------------

    def build_entities(self) -> None:
        r = self.random
        n = self.counterpart_count
        others = 0 if n < 4 else max(1, round(n * 0.2))
        armed = others // 5 if others >= 5 else (1 if others >= 3 else 0)
        blocs = (others - armed) // 2
        orgs = others - armed - blocs
        countries = n - blocs - orgs - armed

        self.focus = _Entity(self.ids.take("XAA"), "country",
                             self.names.take("Ardenia", " "), list(range(1, 4)),
                             aliases=["Ardenian government"])
        self.names.used.add("Ardenia")
        reserved = {code for code, _, _ in REAL_COUNTRIES} | {"XAA"}
        codes = country_codes(reserved)
        real = REAL_COUNTRIES[:4] + r.sample(REAL_COUNTRIES[4:], len(REAL_COUNTRIES) - 4)
        self.countries: list[_Entity] = []
        for index in range(countries):
            if index < len(real):
                code, name, capital = real[index]
            else:
                code = next(codes)
                name = self.made_up_name(COUNTRY_ENDINGS)
                capital = self.made_up_name(CITY_ENDINGS)
            name = self.names.take(name, " ")
            aliases = [capital] if r.random() < 0.5 else []
            self.countries.append(_Entity(self.ids.take(code), "country", name, self.source(),
                                          aliases=aliases))

        self.blocs: list[_Entity] = []
        for _ in range(blocs):
            name = self.names.take(f"{r.choice(REGIONS)} {r.choice(BLOC_NOUNS)}", " ")
            pool = [c.id for c in self.countries] + [self.focus.id]
            members = r.sample(pool, min(len(pool), r.randint(2, 6)))
            self.blocs.append(_Entity(self.ids.take(slug(name)), "bloc", name, self.source(),
                                      members=members))
        self.orgs: list[_Entity] = []
        for _ in range(orgs):
            name = self.names.take(
                f"{r.choice(REGIONS)} {r.choice(ORG_FIELDS)} {r.choice(ORG_NOUNS)}", " ")
            acronym = "".join(word[0] for word in name.split())
            self.orgs.append(_Entity(self.ids.take(slug(acronym)), "organisation", name,
                                     self.source(), aliases=[acronym]))
        self.armed: list[_Entity] = []
        for _ in range(armed):
            form = r.choice(ARMED_FORMS)
            name = self.names.take(form.format(r=r.choice(REGIONS),
                                               n=self.made_up_name(COUNTRY_ENDINGS)), " ")
            acronym = "".join(w[0] for w in re.split(r"[\s-]+", name) if w[0].isupper())
            self.armed.append(_Entity(self.ids.take(slug(name)), "armed-group", name,
                                      self.source(), aliases=[acronym] if len(acronym) > 1
                                      else []))
        self.counterparts = self.countries + self.blocs + self.orgs + self.armed

        self.people: list[_Entity] = []
        homes = [self.focus, *self.countries, *self.orgs]
        for index in range(max(1, n // 2)):
            name = self.names.take(f"{r.choice(FIRST_NAMES)} {r.choice(LAST_NAMES)}", " ")
            home = self.focus if index % 3 == 0 else r.choice(homes)
            role = r.choice(ROLES) if r.random() < 0.85 else None
            self.people.append(_Entity(self.ids.take(slug(name)), "person", name,
                                       self.source(), role=role, member_of=home.id))
        self.people_of: dict[str, list[_Entity]] = {}
        for person in self.people:
            assert person.member_of is not None
            self.people_of.setdefault(person.member_of, []).append(person)
        self.entity_names = {e.id: e.name for e in [self.focus, *self.counterparts,
                                                    *self.people]}

    # -- themes and relationships -------------------------------------------------------------

    def build_themes(self) -> None:
        self.themes = [(self.ids.take(slug(name)), name, self.source()) for name in THEMES]

    def sentences(self, pool: Sequence[str], count: int, a: str, b: str) -> str:
        r = self.random
        chosen = r.sample(pool, min(count, len(pool)))
        return " ".join(s.format(a=a, b=b, t=r.choice(TOPICS), p=r.choice(PLACES))
                        for s in chosen)

    def build_relationships(self) -> None:
        r = self.random
        self.relationships: list[dict[str, object]] = []
        names = self.entity_names
        focus = self.focus.id
        for counterpart in self.counterparts:
            self.relationships.append(self.relationship(focus, counterpart.id))
        pairs: set[tuple[str, str]] = set()
        ids = [c.id for c in self.counterparts]
        wanted = len(ids) // 10 if len(ids) >= 2 else 0
        while len(pairs) < wanted:
            a, b = r.sample(ids, 2)
            if (a, b) not in pairs and (b, a) not in pairs:
                pairs.add((a, b))
                self.relationships.append(self.relationship(a, b))
        self.relationship_names = {
            str(rel["id"]): (names[rel["pair"][0]], names[rel["pair"][1]])  # type: ignore[index]
            for rel in self.relationships
        }

    def relationship(self, a: str, b: str) -> dict[str, object]:
        r = self.random
        trend = r.choice(TRENDS)
        names = self.entity_names
        return {
            "id": self.ids.take(f"{slug(a)}-{slug(b)}"),
            "pair": [a, b],
            "trend": trend,
            "headline": r.choice(HEADLINES[trend]),
            "summary": self.sentences(RELATIONSHIP_SENTENCES, r.randint(1, 4), names[a],
                                      names[b]),
            "themes": [t[0] for t in r.sample(self.themes, r.randint(1, 3))],
            "source": self.source(4),
        }

    # -- events -------------------------------------------------------------------------------

    def random_day(self, year: int | None = None) -> tuple[int, int, int]:
        r = self.random
        year = year or r.randint(START_YEAR, END_YEAR)
        month = r.randint(1, 12)
        return year, month, r.randint(1, calendar.monthrange(year, month)[1])

    def event_date(self) -> tuple[str, str | None]:
        """An EDTF date of a random precision, and sometimes the article's phrasing of it."""
        r = self.random
        roll = r.random()
        year, month, day = self.random_day()
        phrase = r.random() < 0.4
        if roll < 0.52:
            return (f"{year}-{month:02d}-{day:02d}",
                    f"{MONTH_NAMES[month - 1]} {day}" if phrase else None)
        if roll < 0.72:
            return f"{year}-{month:02d}", f"in {MONTH_NAMES[month - 1]}" if phrase else None
        if roll < 0.79:
            return f"{year}", f"in {year}" if phrase else None
        if roll < 0.92:  # intervals
            kind = r.random()
            if kind < 0.5:  # months within a year: quarters, "early 2021"
                first = r.randint(1, 10)
                last = r.randint(first + 1, min(12, first + 4))
                text = {1: "early", 4: "mid", 7: "mid", 10: "late"}.get(first)
                phrase_text = f"{text} {year}" if text else f"from {MONTH_NAMES[first - 1]}"
                return f"{year}-{first:02d}/{year}-{last:02d}", phrase_text if phrase else None
            if kind < 0.8:  # a few days
                last_day = calendar.monthrange(year, month)[1]
                first_day = min(day, last_day - 1)
                end_day = r.randint(first_day + 1, min(last_day, first_day + 6))
                return (f"{year}-{month:02d}-{first_day:02d}/{year}-{month:02d}-{end_day:02d}",
                        None)
            if year < END_YEAR:  # years
                return f"{year}/{r.randint(year + 1, END_YEAR)}", None
            return f"{year}-{month:02d}/{year}", None
        qualifier = "~" if r.random() < 0.6 else "?"
        precision = r.random()
        around = "around " if qualifier == "~" else "possibly "
        if precision < 0.4:
            return f"{year}-{month:02d}-{day:02d}{qualifier}", None
        if precision < 0.8:
            return (f"{year}-{month:02d}{qualifier}",
                    f"{around}{MONTH_NAMES[month - 1]} {year}" if phrase else None)
        return f"{year}{qualifier}", f"{around}{year}" if phrase else None

    def title(self, kind: str, a: str, b: str) -> str:
        r = self.random
        text = r.choice(PLOVER[kind][0]).format(a=a, b=b, t=r.choice(TOPICS))
        while len(text) < 30:
            text += " " + r.choice(PLACES)
        if len(text) > 80:
            text = text[:80].rsplit(" ", 1)[0].rstrip(" ,;-")
        return text

    def build_events(self) -> None:
        r = self.random
        focus_relationships = self.relationships[: len(self.counterparts)]
        other_relationships = self.relationships[len(self.counterparts):]
        # Some counterparts fill most of an article: Zipf-like weights, biggest first.
        weights = [1 / (rank + 1) ** 0.7 for rank in range(len(focus_relationships))]
        focus_choices = r.choices(focus_relationships, weights, k=self.event_count)
        width = len(str(self.event_count))
        self.events: list[str] = []
        self.event_ids: list[str] = []
        self.event_relationships: list[str] = []
        names = self.entity_names
        for index in range(self.event_count):
            if other_relationships and r.random() < 0.1:
                relationship = r.choice(other_relationships)
            else:
                relationship = focus_choices[index]
            pair = list(relationship["pair"])  # type: ignore[call-overload]
            if r.random() < 0.35:
                pair.reverse()
            a, b = pair
            kind = r.choices(EVENT_TYPES, TYPE_WEIGHTS)[0]
            joint = kind in ("AGREE", "CONSULT", "COOPERATE")
            actors = [a, b] if joint and r.random() < 0.7 else [a]
            if a in self.people_of and r.random() < 0.25:
                actors[0] = r.choice(self.people_of[a]).id
            recipients = None if joint and len(actors) == 2 else [b]
            if recipients and r.random() < 0.05:
                third = r.choice(self.counterparts).id
                if third not in (a, b):
                    recipients.append(third)
            date, date_text = self.event_date()
            low, high = PLOVER[kind][1]
            score: float = r.randint(int(low), int(high))
            if r.random() < 0.15 and score < 10:
                score += 0.5
            relationships = [str(relationship["id"])]
            if r.random() < 0.05:
                extra = r.choice(self.relationships)
                if extra["id"] != relationship["id"]:
                    relationships.append(str(extra["id"]))
            ident = self.ids.take(f"e{index:0{width}d}-{kind.lower()}")
            summary = (self.sentences(SUMMARY_SENTENCES, r.randint(1, 3), names[a], names[b])
                       if r.random() < 0.9 else None)
            self.event_ids.append(ident)
            self.event_relationships.append(relationships[0])
            self.events.append(toml_table("events", {
                "id": ident,
                "date": date,
                "date_text": date_text,
                "title": self.title(kind, names[a], names[b]),
                "summary": summary,
                "actors": actors,
                "recipients": recipients,
                "type": kind,
                "mode": r.choice(MODES[kind]) if kind in MODES and r.random() < 0.6 else None,
                "context": r.sample(CONTEXTS, r.randint(1, 2)) if r.random() < 0.7 else None,
                "score": score,
                "relationships": relationships,
                "source": self.source(2),
            }))

    def build_figures(self) -> None:
        r = self.random
        self.figures: list[str] = []
        count = self.event_count // 10
        width = len(str(count))
        for index in range(count):
            unit, label, (low, high) = r.choice(FIGURE_KINDS)
            pick = r.randrange(len(self.event_ids))
            relationship = self.event_relationships[pick]
            b = self.relationship_names[relationship][1]
            value: float = r.randint(int(low), int(high))
            if unit in ("USD", "people") and value > 1e6:
                value = round(value, -6)  # "$1.7 billion", "2 million people"
            events = [self.event_ids[pick]] if r.random() < 0.5 else None
            self.figures.append(toml_table("figures", {
                "id": self.ids.take(f"f{index:0{width}d}-{slug(unit)}"),
                "value": value,
                "unit": unit,
                "approximate": True if r.random() < 0.3 else None,
                "label": label.format(b=b, t=r.choice(TOPICS)),
                "relationships": [relationship],
                "events": events,
                "source": self.source(2),
            }))

    # -- the whole file -----------------------------------------------------------------------

    def toml(self) -> str:
        self.build_entities()
        self.build_themes()
        self.build_relationships()
        self.build_events()
        self.build_figures()
        entities = [self.focus, *self.counterparts, *self.people]
        standfirst = f"{self.counterpart_count} counterparts, {self.event_count} events"
        parts = [
            "# A synthetic model written by benchmarks/generate.py: "
            f"{self.counterpart_count} counterparts, {self.event_count} events.\n",
            "format = 1\n\nentities = [\n",
            "".join(f"  {e.toml()},\n" for e in entities),
            "]\n\nthemes = [\n",
            "".join(f"  {toml_inline({'id': i, 'name': n, 'source': s})},\n"
                    for i, n, s in self.themes),
            "]\n\n[article]\n",
            f"title = {toml_value('Synthetic review: Ardenia and the world')}\n",
            f"standfirst = {toml_value(standfirst)}\n",
            "published = 2023-12-31\n",
            'author = "benchmarks/generate.py"\n',
            'covers = "2023"\n',
            f"focus = {toml_value(self.focus.id)}\n",
            f"paragraphs = {self.paragraphs}\n\n",
            "\n".join(toml_table("relationships", rel) for rel in self.relationships),
            "\n",
            "\n".join(self.events),
            "\n",
            "\n".join(self.figures),
        ]
        return "".join(parts)


def generate(counterparts: int, events: int, seed: int = 0) -> str:
    """The model's TOML text."""
    return Generator(counterparts, events, seed).toml()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="generate.py", description="Write a synthetic format-v1 model of a given size.")
    parser.add_argument("counterparts", type=int, metavar="COUNTERPARTS",
                        help="entities listed as counterparts (at least 1)")
    parser.add_argument("events", type=int, metavar="EVENTS", help="number of events")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument("-o", "--output", metavar="FILE", help="write here (default: stdout)")
    args = parser.parse_args(argv)
    try:
        text = generate(args.counterparts, args.events, args.seed)
    except ValueError as error:
        parser.error(str(error))
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
    else:
        sys.stdout.reconfigure(encoding="utf-8")  # type: ignore[union-attr]
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
