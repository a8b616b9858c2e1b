"""Write ``acled_format_car.csv`` and ``truth.csv`` from ``ucdp_ged_car.csv``, deterministically.

No ACLED data is read or copied: ACLED's terms forbid redistributing its rows. Every row
here is written by this script in ACLED's current export format (column set, event and
sub-event types, actor naming style, inter codes as words), either as *another source's
report of a real UCDP GED event* (date a few days off, point a few kilometres off,
fatalities somewhat different, actors named ACLED's way, prefectures spelled ACLED's way)
or as an ACLED-only event (no UCDP counterpart). ``truth.csv`` lists, for every row made
from a UCDP event, the pair (ACLED ``event_id_cnty``, UCDP ``id``): the ground truth for
cross-source linking. ACLED-only rows are not in it.

Run from the repository root to regenerate both files (the test checks they are
reproduced byte for byte)::

    python tests/real_data/car/make_acled_format.py
"""

from __future__ import annotations

import csv
import io
import math
import random
import unicodedata
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
UCDP_FILE = HERE / "ucdp_ged_car.csv"
ACLED_FILE = HERE / "acled_format_car.csv"
TRUTH_FILE = HERE / "truth.csv"
SEED = 20  # issue 20
CPC_FOUNDED = date(2020, 12, 15)  # no CPC event before the coalition existed

# ACLED's export columns since the March 2023 change (disorder_type, civilian_targeting and
# tags added; data_id, event_id_no_cnty and iso3 removed), in export order.
ACLED_COLUMNS = (
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
    "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2",
    "interaction", "civilian_targeting", "iso", "region", "country", "admin1", "admin2",
    "admin3", "location", "latitude", "longitude", "geo_precision", "source", "source_scale",
    "notes", "fatalities", "tags", "timestamp",
)  # fmt: skip
TRUTH_COLUMNS = (
    "event_id_cnty", "ucdp_id", "days_apart", "km_apart", "acled_event_type",
    "ucdp_type_of_violence",
)  # fmt: skip

# Inter codes as current exports write them (words; the number is ACLED's old code, used
# only to order the two sides of ``interaction`` the way ACLED does: lower code first).
STATE, REBEL, POLITICAL, IDENTITY = (
    "State forces",
    "Rebel group",
    "Political militia",
    ("Identity militia"),
)
RIOTERS, PROTESTERS, CIVILIANS, EXTERNAL = (
    "Rioters",
    "Protesters",
    "Civilians",
    ("External/Other forces"),
)
INTER_ORDER = {STATE: 1, REBEL: 2, POLITICAL: 3, IDENTITY: 4, RIOTERS: 5, PROTESTERS: 6,
               CIVILIANS: 7, EXTERNAL: 8}  # fmt: skip

FACA = "Military Forces of the Central African Republic (2016-)"
POLICE = "Police Forces of the Central African Republic (2016-)"
WAGNER = "Wagner Group"
WAGNER_LONG = "Military Forces of Russia (2000-) Wagner Group"
RWANDA = "Military Forces of Rwanda (2000-)"
MINUSCA = (
    "MINUSCA: United Nations Multidimensional Integrated Stabilization Mission in the "
    "Central African Republic (2014-)"
)
CIVS = "Civilians (Central African Republic)"
UNIDENTIFIED = "Unidentified Armed Group (Central African Republic)"
FULANI = "Fulani Ethnic Militia (Central African Republic)"

# UCDP side names -> (ACLED-style actor name, inter code).
ACTORS = {
    "Government of Central African Republic": (FACA, STATE),
    "CPC": ("CPC: Coalition of Patriots for Change", REBEL),
    "UPC": ("UPC: Union for Peace in the Central African Republic", REBEL),
    "FPRC": ("FPRC: Popular Front for the Renaissance of Central African Republic", REBEL),
    "MPC": ("MPC: Patriotic Movement for Central Africa", REBEL),
    "MNLC": ("MNLC: National Movement for the Liberation of the Central African Republic",
             REBEL),
    "3R": ("3R: Return, Reclamation, Rehabilitation", REBEL),
    "LRA": ("LRA: Lord's Resistance Army", REBEL),
    "MLCJ": ("MLCJ: Central African Movement of Liberators for Justice", REBEL),
    "RJ": ("RJ: Revolution and Justice", REBEL),
    "RPRC": ("RPRC: Central African Patriotic Rally for Reconstruction", REBEL),
    "PRNC": ("PRNC: National Party for a New Central Africa", REBEL),
    "anti-Balaka": ("Anti-Balaka", POLITICAL),
    "Self-Defense Mujahidin (CAR)": ("Muslim Group (Central African Republic)", IDENTITY),
    "Christians (CAR)": ("Christian Group (Central African Republic)", IDENTITY),
    "Muslims (CAR)": ("Muslim Group (Central African Republic)", IDENTITY),
    "Civilians": (CIVS, CIVILIANS),
}  # fmt: skip

SOURCES = (
    ("Radio Ndeke Luka", "National"), ("Corbeau News", "National"),
    ("Oubangui Medias", "National"), ("RFI", "International"), ("AFP", "International"),
    ("Reuters", "International"), ("MINUSCA", "Other"), ("Human Rights Watch", "Other"),
    ("Radio Ndeke Luka; MINUSCA", "National-Other"), ("Local partner", "Local partner-Other"),
    ("Corbeau News; RFI", "National-International"), ("Twitter", "New media"),
)  # fmt: skip

# UCDP's where_coordinates end in a feature word; ACLED's location is the bare name.
_FEATURE_WORDS = (" town", " village", " city", " region", " province", " airport", " road",
                  " commune")  # fmt: skip


@dataclass
class Place:
    """A place seen in the UCDP file (coordinates as UCDP places it)."""

    name: str
    lat: float
    lon: float
    admin1: str
    admin2: str


@dataclass
class Row:
    """One ACLED-format row before its id is given (ids follow date order)."""

    day: date
    values: dict[str, object]
    # the UCDP events this row reports: (id, date_start, (lat, lon), type_of_violence)
    ucdp: list[tuple[str, date, tuple[float, float], str]] = field(default_factory=list)

    def key(self) -> tuple[object, ...]:
        """ACLED merges events of the same actors on the same day at the same place."""
        v = self.values
        return (v["event_date"], v["location"], v["actor1"], v["actor2"])


def ascii_name(text: str) -> str:
    """ACLED spells CAR's places without accents ("Kémo" -> "Kemo")."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def acled_admin1(adm_1: str) -> str:
    """UCDP's "Kémo province" -> ACLED's "Kemo"."""
    return ascii_name(adm_1.removesuffix(" province").strip())


def acled_admin2(adm_2: str) -> str:
    """UCDP's "Ndélé region" -> ACLED's "Ndele"."""
    return ascii_name(adm_2.removesuffix(" region").strip())


def bare_place(where: str) -> str:
    """UCDP's "Obo town" -> "Obo" (ACLED's location is the bare name)."""
    for word in _FEATURE_WORDS:
        if where.endswith(word):
            return where[: -len(word)]
    return where


def km_between(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance in km between two (lat, lon) points."""
    (la1, lo1), (la2, lo2) = (tuple(map(math.radians, p)) for p in (a, b))
    h = (
        math.sin((la2 - la1) / 2) ** 2
        + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    )
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def moved(lat: float, lon: float, km: float, rng: random.Random) -> tuple[float, float]:
    """The point ``km`` away in a random direction, to ACLED's 4 decimals."""
    bearing = rng.uniform(0, 2 * math.pi)
    dlat = km * math.cos(bearing) / 111.32
    dlon = km * math.sin(bearing) / (111.32 * math.cos(math.radians(lat)))
    return round(lat + dlat, 4), round(lon + dlon, 4)


def interaction(inter1: str, inter2: str) -> str:
    """ACLED's interaction words: lower old code first ("Rebel group-Civilians")."""
    if not inter2:
        return f"{inter1} only"
    a, b = sorted((inter1, inter2), key=INTER_ORDER.__getitem__)
    return f"{a}-{b}"


def day_of(text: str) -> date:
    return date.fromisoformat(text[:10])


def long_date(d: date) -> str:
    return f"{d.day} {d:%B %Y}"


def read_ucdp() -> list[dict[str, str]]:
    with UCDP_FILE.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def gazetteer(events: list[dict[str, str]]) -> list[Place]:
    """Exactly located places (where_prec 1) of the UCDP file, one per name, in name order."""
    seen: dict[str, Place] = {}
    for e in events:
        if e["where_prec"] == "1" and e["adm_2"]:
            name = ascii_name(bare_place(e["where_coordinates"]))
            seen.setdefault(
                name,
                Place(name, float(e["latitude"]), float(e["longitude"]),
                      acled_admin1(e["adm_1"]), acled_admin2(e["adm_2"])),
            )  # fmt: skip
    return [seen[k] for k in sorted(seen)]


class Writer:
    """Builds the rows; one random generator, consumed in a fixed order."""

    def __init__(self, events: list[dict[str, str]]) -> None:
        self.rng = random.Random(SEED)
        self.events = events
        self.places = gazetteer(events)
        self.seats = {p.name: p for p in self.places if p.name == p.admin2}
        self.rows: list[Row] = []
        self._ucdp_points = [
            (day_of(e["date_start"]), float(e["latitude"]), float(e["longitude"])) for e in events
        ]

    # -- shared pieces -------------------------------------------------------------------

    def source(self) -> tuple[str, str]:
        return self.rng.choice(SOURCES)

    def base(self, day: date, lat: float, lon: float, geo: int, admin1: str, admin2: str,
             location: str, time_precision: int) -> dict[str, object]:  # fmt: skip
        src, scale = self.source()
        stamp = datetime(day.year, day.month, day.day, tzinfo=UTC) + timedelta(
            days=self.rng.randint(6, 60), seconds=self.rng.randint(0, 86399)
        )
        return {
            "event_date": day.isoformat(), "year": day.year, "time_precision": time_precision,
            "iso": 140, "region": "Middle Africa", "country": "Central African Republic",
            "admin1": admin1, "admin2": admin2, "admin3": "", "location": location,
            "latitude": f"{lat:.4f}", "longitude": f"{lon:.4f}", "geo_precision": geo,
            "source": src, "source_scale": scale, "tags": "",
            "timestamp": int(stamp.timestamp()),
        }  # fmt: skip

    def actors(self, actor1: str, inter1: str, actor2: str = "", inter2: str = "",
               assoc1: str = "", assoc2: str = "") -> dict[str, object]:  # fmt: skip
        return {
            "actor1": actor1, "assoc_actor_1": assoc1, "inter1": inter1,
            "actor2": actor2, "assoc_actor_2": assoc2, "inter2": inter2,
            "interaction": interaction(inter1, inter2),
        }  # fmt: skip

    def kinds(self, event_type: str, sub: str, targeting: bool) -> dict[str, object]:
        disorder = {
            "Protests": "Demonstrations", "Riots": "Demonstrations",
            "Strategic developments": "Strategic developments",
        }.get(event_type, "Political violence")  # fmt: skip
        if sub == "Excessive force against protesters":
            disorder = "Political violence; Demonstrations"
        if sub == "Mob violence":
            disorder = "Political violence"
        return {
            "disorder_type": disorder, "event_type": event_type, "sub_event_type": sub,
            "civilian_targeting": "Civilian targeting" if targeting else "",
        }  # fmt: skip

    def far_from_ucdp(self, day: date, lat: float, lon: float) -> bool:
        """No UCDP event within 20 days and 60 km: an ACLED-only row must not be a match."""
        return all(
            abs((day - d).days) > 20 or km_between((lat, lon), (la, lo)) > 60
            for d, la, lo in self._ucdp_points
        )

    def random_day(self, start: date, end: date) -> date:
        return start + timedelta(days=self.rng.randint(0, (end - start).days))

    # -- (a) reports of real UCDP events -------------------------------------------------

    def report_date(self, e: dict[str, str]) -> tuple[date, int]:
        start, end = day_of(e["date_start"]), day_of(e["date_end"])
        prec = e["date_prec"]
        if prec in ("4", "5"):  # month or longer: ACLED codes the month, mid-month
            mid = start + (end - start) / 2
            return date(mid.year, mid.month, 15), 3
        if prec in ("2", "3"):  # a span of days: ACLED knows the week
            mid = start + (end - start) / 2
            return mid + timedelta(days=self.rng.randint(-1, 1)), 2
        r = self.rng.random()
        if r < 0.7:
            shift = self.rng.choice((0, 0, 0, 1, -1))
        elif r < 0.9:
            shift = self.rng.choice((2, 3, -2))
        else:
            shift = self.rng.randint(4, 9)
        precision = 2 if self.rng.random() < 0.08 else 1
        return start + timedelta(days=shift), precision

    def report_place(self, e: dict[str, str]) -> tuple[float, float, int, str]:
        lat, lon = float(e["latitude"]), float(e["longitude"])
        prec = int(e["where_prec"])
        r = self.rng.random()
        if prec == 1:
            km = (self.rng.uniform(0, 3) if r < 0.7 else
                  self.rng.uniform(3, 10) if r < 0.9 else self.rng.uniform(10, 25))  # fmt: skip
            geo = 1
        elif prec == 2:
            km, geo = self.rng.uniform(2, 25), (2 if r < 0.6 else 1)
        else:
            km, geo = self.rng.uniform(5, 25), 3
        where = e["where_coordinates"]
        if geo == 3 and e["adm_2"]:
            location = acled_admin2(e["adm_2"])
        else:
            location = ascii_name(bare_place(where))
        return *moved(lat, lon, km, self.rng), geo, location

    def fatalities(self, base: int) -> int:
        r = self.rng.random()
        if r < 0.55:
            return base
        if r < 0.9:
            spread = max(1, round(base * 0.4))
            return max(0, base + self.rng.choice((-1, 1)) * self.rng.randint(1, spread))
        return base + self.rng.randint(1, 3)

    def perpetrator(self, side: str, day: date) -> tuple[str, str, str]:
        """ACLED-style (actor1, inter1, assoc_actor_1) for a UCDP side (may list several)."""
        names = [n.strip() for n in _split_sides(side)]
        actor, inter = ACTORS.get(names[0], (names[0], REBEL))
        assoc = "; ".join(ACTORS.get(n, (n, REBEL))[0] for n in names[1:])
        # UCDP codes Russian (Wagner) and Rwandan operations beside the army as the
        # Government's; another source names the foreign force as the perpetrator.
        if actor == FACA and day >= date(2021, 1, 1):
            r = self.rng.random()
            if r < 0.35:
                return WAGNER, EXTERNAL, FACA
            if r < 0.5:
                return WAGNER_LONG, EXTERNAL, FACA
            if r < 0.65:
                return FACA, STATE, WAGNER
        return actor, inter, assoc

    def from_ucdp(self, members: list[dict[str, str]], as_battle: bool) -> None:
        e = members[0]
        day, tp = self.report_date(e)
        lat, lon, geo, location = self.report_place(e)
        row = self.base(day, lat, lon, geo, acled_admin1(e["adm_1"]), acled_admin2(e["adm_2"]),
                        location, tp)  # fmt: skip
        kind = e["type_of_violence"]
        a1, i1, s1 = self.perpetrator(e["side_a"], day)
        if as_battle:
            a2, i2, s2 = self.perpetrator(e["side_b"], day)
            row |= self.actors(a1, i1, a2, i2, s1, s2)
            row |= self.kinds("Battles", "Armed clash", targeting=False)
            dead = self.fatalities(sum(int(m["best"]) for m in members))
            row["notes"] = (
                f"On {long_date(day)}, {_short(a1)} and {_short(a2)} clashed in {location} "
                f"({row['admin2'] or row['admin1']}). {_dead_text(dead, 'people')}"
            )
        else:
            if kind != "3" and self.rng.random() < 0.5:  # either side may be the killer
                a1, i1, s1 = self.perpetrator(e["side_b"], day)
            column = "best" if kind == "3" else "deaths_civilians"
            base = sum(int(m[column]) for m in members)
            dead = self.fatalities(base)
            row |= self.actors(a1, i1, CIVS, CIVILIANS, s1)
            row |= self.kinds("Violence against civilians", "Attack", targeting=True)
            row["notes"] = (
                f"On {long_date(day)}, {_short(a1)} elements attacked residents of "
                f"{location} ({row['admin1']}). {_dead_text(dead)}"
            )
        row["fatalities"] = dead
        self.add(Row(day, row), *members)

    def add(self, row: Row, *events: dict[str, str]) -> None:
        """Keep a report, or fold it into the row it would duplicate (ACLED merges them)."""
        pairs = [(e["id"], day_of(e["date_start"]), (float(e["latitude"]),
                  float(e["longitude"])), e["type_of_violence"]) for e in events]  # fmt: skip
        for existing in self.rows:
            if existing.key() == row.key():
                existing.ucdp.extend(pairs)
                return
        row.ucdp.extend(pairs)
        self.rows.append(row)

    def reports(self) -> None:
        # UCDP sometimes records one dyad's violence on one day in one place as several
        # events (one per source, or split by estimate); another source reports it once.
        groups: dict[tuple[str, ...], list[dict[str, str]]] = {}
        for e in self.events:
            key = (e["date_start"], e["date_end"], e["where_coordinates"], e["side_a"],
                   e["side_b"], e["type_of_violence"])  # fmt: skip
            groups.setdefault(key, []).append(e)
        for members in groups.values():
            e = members[0]
            kind = e["type_of_violence"]
            civ = sum(int(m["deaths_civilians"]) for m in members)
            r = self.rng.random()
            if kind == "3":
                if r < 0.55:
                    self.from_ucdp(members, as_battle=False)
            elif civ > 0:
                if r < 0.5:
                    self.from_ucdp(members, as_battle=self.rng.random() < 0.5)
            elif r < 0.25:
                self.from_ucdp(members, as_battle=True)

    # -- (b)-(f) ACLED-only events -------------------------------------------------------

    def spot(self, start: date, end: date, places: list[Place] | None = None,
             mid_month: bool = False) -> tuple[date, Place, float, float]:  # fmt: skip
        """A day and place (moved 0-2 km) with no UCDP event near it."""
        pool = places or self.places
        for _ in range(200):
            day, p = self.random_day(start, end), self.rng.choice(pool)
            if mid_month:
                day = day.replace(day=15)
            lat, lon = moved(p.lat, p.lon, self.rng.uniform(0, 2), self.rng)
            if self.far_from_ucdp(day, lat, lon):
                return day, p, lat, lon
        raise RuntimeError("no quiet day and place found")  # the fixture must stay honest

    def only(self, day: date, p: Place, lat: float, lon: float, event_type: str, sub: str,
             targeting: bool, actors: dict[str, object], dead: int, notes: str,
             geo: int = 1, tp: int = 1, tags: str = "") -> None:  # fmt: skip
        location = p.name
        if geo == 3:  # a region-level report is placed at, and named after, the area's seat
            seat = self.seats.get(p.admin2)
            if seat and self.far_from_ucdp(day, seat.lat, seat.lon):
                location, lat, lon = seat.name, seat.lat, seat.lon
            else:  # no seat known, or one near a UCDP event: near the place instead
                geo = 2
        row = self.base(day, lat, lon, geo, p.admin1, p.admin2, location, tp)
        row |= actors | self.kinds(event_type, sub, targeting)
        row["fatalities"], row["notes"], row["tags"] = dead, notes, tags
        self.add(Row(day, row))

    def vac(self, actor: str, inter: str, start: date, end: date, n: int, *,
            assoc: str = "", zero: bool = False) -> None:  # fmt: skip
        if actor == ACTORS["CPC"][0]:
            start = max(start, CPC_FOUNDED)
        for _ in range(n):
            day, p, lat, lon = self.spot(start, end)
            dead = 0 if zero else self.rng.choice((1, 1, 1, 2, 2, 3, 4, 6))
            what = "beat and wounded" if zero else "killed"
            geo, tp = self._precisions()
            self.only(day, p, lat, lon, "Violence against civilians", "Attack", True,
                      self.actors(actor, inter, CIVS, CIVILIANS, assoc), dead,
                      f"On {long_date(day)}, {_short(actor)} elements {what} civilians in "
                      f"{p.name} ({p.admin1}). {_dead_text(dead)}", geo, tp)  # fmt: skip

    def _precisions(self) -> tuple[int, int]:
        r = self.rng.random()
        geo = 1 if r < 0.75 else 2 if r < 0.9 else 3
        r = self.rng.random()
        tp = 1 if r < 0.8 else 2 if r < 0.92 else 3
        return geo, tp

    def same_day_pairs(self, n: int) -> None:
        """Two attacks on one day in one place by different actors: not duplicates."""
        pairs = (
            ("UPC", "anti-Balaka"), ("3R", "anti-Balaka"), ("FPRC", "MPC"), ("CPC", "UPC"),
            ("anti-Balaka", "FPRC"), ("MNLC", "RJ"),
        )  # fmt: skip
        for i in range(n):
            first, second = pairs[i % len(pairs)]
            start = CPC_FOUNDED if "CPC" in (first, second) else date(2018, 1, 1)
            day, p, lat, lon = self.spot(start, date(2022, 12, 31))
            for side in (first, second):
                actor, inter = ACTORS[side]
                dead = self.rng.choice((1, 2, 3))
                self.only(day, p, lat, lon, "Violence against civilians", "Attack", True,
                          self.actors(actor, inter, CIVS, CIVILIANS), dead,
                          f"On {long_date(day)}, {_short(actor)} elements attacked civilians "
                          f"in {p.name} ({p.admin1}), separately from another armed group's "
                          f"attack there the same day. {_dead_text(dead)}")  # fmt: skip

    def external(self) -> None:
        """Wagner, Rwandan forces and MINUSCA: perpetrators of violence and in battles."""
        late = (date(2021, 1, 1), date(2022, 12, 31))
        self.vac(WAGNER, EXTERNAL, *late, 10, assoc=FACA)
        self.vac(WAGNER_LONG, EXTERNAL, *late, 6, assoc=FACA)
        self.vac(RWANDA, EXTERNAL, *late, 3)
        self.vac(MINUSCA, EXTERNAL, date(2018, 1, 1), late[1], 2)
        for _ in range(2):  # MINUSCA personnel accused of sexual violence
            day, p, lat, lon = self.spot(date(2018, 1, 1), late[1])
            self.only(day, p, lat, lon, "Violence against civilians", "Sexual violence", True,
                      self.actors(MINUSCA, EXTERNAL, CIVS, CIVILIANS), 0,
                      f"On {long_date(day)}, a MINUSCA peacekeeper was accused of sexually "
                      f"assaulting a woman in {p.name}.", tp=2)  # fmt: skip
        battles = (
            (WAGNER, FACA, "CPC"), (WAGNER_LONG, FACA, "3R"), (RWANDA, FACA, "CPC"),
            (RWANDA, "", "UPC"), (MINUSCA, "", "3R"), (MINUSCA, "", "UPC"),
            (MINUSCA, "", "anti-Balaka"), (WAGNER, "", "UPC"),
        )  # fmt: skip
        for i in range(16):
            actor, assoc, enemy = battles[i % len(battles)]
            start = date(2018, 1, 1) if actor == MINUSCA else late[0]
            day, p, lat, lon = self.spot(start, late[1])
            a2, i2 = ACTORS[enemy]
            dead = self.rng.choice((0, 0, 1, 2, 3, 5, 8))
            self.only(day, p, lat, lon, "Battles", "Armed clash", False,
                      self.actors(actor, EXTERNAL, a2, i2, assoc), dead,
                      f"On {long_date(day)}, {_short(actor)} clashed with {_short(a2)} near "
                      f"{p.name}. {_dead_text(dead, 'combatants')}")  # fmt: skip

    def out_of_scope(self) -> None:
        """Battles without civilian targeting, protests, riots, strategic developments."""
        whole = (date(2018, 1, 1), date(2022, 12, 31))
        groups = ("CPC", "UPC", "FPRC", "3R", "MPC", "anti-Balaka", "MNLC")
        for _ in range(20):
            day, p, lat, lon = self.spot(*whole)
            active = [g for g in groups if g != "CPC" or day >= CPC_FOUNDED]
            a1, i1 = (FACA, STATE) if self.rng.random() < 0.5 else ACTORS[self.rng.choice(active)]
            a2, i2 = ACTORS[self.rng.choice(active)]
            if a2 == a1:
                a2, i2 = ACTORS["anti-Balaka"] if a1 != "Anti-Balaka" else ACTORS["UPC"]
            dead = self.rng.choice((0, 1, 2, 4, 7))
            geo, tp = self._precisions()
            self.only(day, p, lat, lon, "Battles", "Armed clash", False,
                      self.actors(a1, i1, a2, i2), dead,
                      f"On {long_date(day)}, {_short(a1)} and {_short(a2)} exchanged fire in "
                      f"{p.name}. {_dead_text(dead, 'combatants')}", geo, tp)  # fmt: skip
        bangui = [p for p in self.places if p.admin1 == "Bangui"] or self.places
        for i in range(20):
            day, p, lat, lon = self.spot(*whole, places=bangui if i % 2 else None)
            if i % 5 == 4:
                actors = self.actors("Protesters (Central African Republic)", PROTESTERS,
                                     POLICE, STATE)  # fmt: skip
                sub = "Protest with intervention"
            else:
                actors = self.actors("Protesters (Central African Republic)", PROTESTERS)
                sub = "Peaceful protest"
            self.only(day, p, lat, lon, "Protests", sub, False, actors, 0,
                      f"On {long_date(day)}, residents of {p.name} demonstrated against "
                      f"insecurity and demanded the return of state services.",
                      tags=self.rng.choice(("crowd size=no report", "crowd size=dozens",
                                            "crowd size=around 200")))  # fmt: skip
        for i in range(10):
            day, p, lat, lon = self.spot(*whole, places=bangui if i % 2 else None)
            sub = "Violent demonstration" if i % 2 else "Mob violence"
            actors = (
                self.actors("Rioters (Central African Republic)", RIOTERS)
                if i % 2
                else self.actors("Rioters (Central African Republic)", RIOTERS, POLICE, STATE)
            )
            self.only(day, p, lat, lon, "Riots", sub, False, actors, 0,
                      f"On {long_date(day)}, angry youths blocked roads and burned tyres in "
                      f"{p.name} after a killing attributed to armed men.",
                      tags="crowd size=no report")  # fmt: skip
        developments = (
            ("Headquarters or base established", "UPC", "", "established a base in"),
            ("Agreement", "FPRC", FACA, "signed a local ceasefire in"),
            ("Change to group/activity", "CPC", "", "announced a split of its wing in"),
            ("Arrests", POLICE, "", "arrested a suspected armed group member in"),
            ("Disrupted weapons use", MINUSCA, "", "seized weapons at a checkpoint near"),
            ("Non-violent transfer of territory", "3R", "", "withdrew without fighting from"),
        )  # fmt: skip
        for i in range(18):
            sub, who, other, text = developments[i % len(developments)]
            a1, i1 = ACTORS.get(who, (who, EXTERNAL if who == MINUSCA else STATE))
            a2, i2 = (other, STATE) if other else ("", "")
            day, p, lat, lon = self.spot(CPC_FOUNDED if who == "CPC" else whole[0], whole[1])
            self.only(day, p, lat, lon, "Strategic developments", sub, False,
                      self.actors(a1, i1, a2, i2), 0,
                      f"On {long_date(day)}, {_short(a1)} {text} {p.name}.")  # fmt: skip

    def other_in_scope(self) -> None:
        """ACLED-only violence against civilians by armed groups, with spread of codes."""
        whole = (date(2018, 1, 1), date(2022, 12, 31))
        for side in ("UPC", "3R", "anti-Balaka", "CPC", "FPRC", "MPC", "MNLC", "LRA"):
            actor, inter = ACTORS[side]
            self.vac(actor, inter, *whole, 6)
        self.vac(UNIDENTIFIED, POLITICAL, *whole, 6)
        self.vac(FULANI, IDENTITY, *whole, 4)
        self.vac(FACA, STATE, *whole, 4)
        # (f) "Attack" with no death reported: not an injury, not a killing
        for side in ("UPC", "3R", "anti-Balaka", "CPC"):
            actor, inter = ACTORS[side]
            self.vac(actor, inter, *whole, 3, zero=True)
        self.vac(WAGNER, EXTERNAL, date(2021, 1, 1), whole[1], 3, assoc=FACA, zero=True)
        for i in range(6):  # abductions, looting, sexual violence, a mine
            day, p, lat, lon = self.spot(*whole)
            actor, inter = ACTORS[("3R", "UPC", "anti-Balaka")[i % 3]]
            kind, sub, text = (
                ("Violence against civilians", "Abduction/forced disappearance",
                 "abducted several travellers near"),
                ("Strategic developments", "Looting/property destruction",
                 "looted and burned houses in"),
                ("Violence against civilians", "Sexual violence", "raped two women in"),
            )[i % 3]  # fmt: skip
            # ACLED codes looting as a strategic development, without civilian targeting
            self.only(day, p, lat, lon, kind, sub, kind != "Strategic developments",
                      self.actors(actor, inter, CIVS, CIVILIANS), 0,
                      f"On {long_date(day)}, {_short(actor)} elements {text} {p.name}.",
                      tp=2 if i % 2 else 1)  # fmt: skip
        for _ in range(4):
            day, p, lat, lon = self.spot(date(2021, 1, 1), whole[1])
            actor, inter = ACTORS["3R"]
            dead = self.rng.choice((1, 2, 3))
            self.only(day, p, lat, lon, "Explosions/Remote violence",
                      "Remote explosive/landmine/IED", True,
                      self.actors(actor, inter, CIVS, CIVILIANS), dead,
                      f"On {long_date(day)}, a motorbike taxi struck a mine attributed to 3R "
                      f"on the road out of {p.name}. {_dead_text(dead)}")  # fmt: skip
        # a region-level report: geo_precision 3 at the admin2 seat, time_precision 3
        for _ in range(4):
            day, p, lat, lon = self.spot(*whole, mid_month=True)
            actor, inter = ACTORS["UPC"]
            self.only(day, p, lat, lon, "Violence against civilians", "Attack",
                      True, self.actors(actor, inter, CIVS, CIVILIANS), 2,
                      f"In {day:%B %Y}, UPC elements killed two herders in the {p.admin2} area.",
                      geo=3, tp=3)  # fmt: skip

    # -- ids and output ------------------------------------------------------------------

    def build(self) -> tuple[list[dict[str, object]], list[dict[str, object]]]:
        self.reports()
        self.other_in_scope()
        self.same_day_pairs(12)
        self.external()
        self.out_of_scope()
        # ids in date order, so an id tells nothing about whether a row has a UCDP twin
        order = sorted(self.rows, key=lambda r: (r.day, str(r.values["notes"])))
        truth: list[dict[str, object]] = []
        for number, r in enumerate(order, start=3001):
            r.values["event_id_cnty"] = f"CEN{number}"
            point = (float(r.values["latitude"]), float(r.values["longitude"]))
            for ucdp_id, ucdp_day, ucdp_point, ucdp_type in r.ucdp:
                truth.append({
                    "event_id_cnty": r.values["event_id_cnty"], "ucdp_id": ucdp_id,
                    "days_apart": (r.day - ucdp_day).days,
                    "km_apart": f"{km_between(point, ucdp_point):.1f}",
                    "acled_event_type": r.values["event_type"],
                    "ucdp_type_of_violence": ucdp_type,
                })  # fmt: skip
        # exports list the newest first
        rows = [r.values for r in sorted(order, key=lambda r: (r.day, r.values["event_id_cnty"]),
                                         reverse=True)]  # fmt: skip
        truth.sort(key=lambda t: (int(str(t["event_id_cnty"])[3:]), int(str(t["ucdp_id"]))))
        return rows, truth


def _split_sides(side: str) -> list[str]:
    return [s for s in side.split(", ") if s] or [side]


def _short(actor: str) -> str:
    """How a note names an actor: the acronym before the colon, or the name."""
    short = actor.split(":")[0]
    return {FACA: "FACA", WAGNER_LONG: "Wagner Group", POLICE: "police",
            UNIDENTIFIED: "unidentified armed men", FULANI: "armed Fulani herders",
            RWANDA: "Rwandan soldiers"}.get(actor, short)  # fmt: skip


def _dead_text(dead: int, who: str = "civilians") -> str:
    if dead == 0:
        return "No fatalities reported."
    one = {"civilians": "civilian", "people": "person", "combatants": "combatant"}[who]
    return f"{dead} {who} killed." if dead > 1 else f"1 {one} killed."


def render(rows: list[dict[str, object]], columns: tuple[str, ...]) -> str:
    """CSV text as the committed files hold it (``\\n`` line ends, minimal quoting)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows({c: row.get(c, "") for c in columns} for row in rows)
    return out.getvalue()


def generate() -> tuple[str, str]:
    """The ACLED-format file's text and the truth file's text, from the UCDP file."""
    rows, truth = Writer(read_ucdp()).build()
    return render(rows, ACLED_COLUMNS), render(truth, TRUTH_COLUMNS)


def main() -> None:
    acled_text, truth_text = generate()
    ACLED_FILE.write_text(acled_text, encoding="utf-8", newline="")
    TRUTH_FILE.write_text(truth_text, encoding="utf-8", newline="")
    print(f"wrote {ACLED_FILE.name} ({acled_text.count(chr(10)) - 1} rows) and "
          f"{TRUTH_FILE.name} ({truth_text.count(chr(10)) - 1} pairs)")  # fmt: skip


if __name__ == "__main__":
    main()
