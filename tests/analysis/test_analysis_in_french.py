"""The joint analysis speaks French: every caption, note, warning, word in a table cell,
header and title, on the sample and on the real Central African Republic data, with no
English left; English stays the default, unchanged.

Data shown as written (place, office, agreement and party names, ids, the codes of the
schema's vocabularies, the column ids a person types in a file) are taken out of the text
before looking for English (:func:`tests.languages.english.english_left`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator

import pandas as pd
import pytest

from analysis.cells import Grid
from analysis.columns import COLUMN_LABELS, TABLE_TITLES, column_label, shown
from analysis.emerging import CATEGORY_LABELS, CATEGORY_MEANINGS, STEPS
from analysis.hotspots import BIN_LABELS, NEAR_LABELS, hot_spots
from analysis.joint import JointAnalysis, Options, analyse
from analysis.metric import mission_crs
from languages import use
from schema import incidents as incident_schema
from schema import local_agreements, political_processes
from schema.filters import IncidentFilter
from schema.mission import MissionData, from_layers, load_sample
from store import open_store
from tests.languages.english import english_left
from tests.real_data import CAR_ACLED, CAR_UCDP
from tests.real_data.test_car_mission import COD_AB, _areas, _import

# Column ids and codes that sentences name for a person to type or look up in a file.
IDENTIFIERS = ("date_ended", "date_violated", "linked_to_national", "window_days", "recent_days")


def _codes() -> set[str]:
    """Every code of the schema's vocabularies, and their labels as written in English:
    identifiers, and labels the schema's own catalogue translates (its part, not this
    one's; where it does, the French label is shown and no English is left to ignore)."""
    codes: set[str] = set()
    for module in (incident_schema, local_agreements, political_processes):
        for name in dir(module):
            value = getattr(module, name)
            if name.isupper() and isinstance(value, tuple | dict):
                codes |= {str(v) for v in value if isinstance(v, str)}
            if name.endswith("_LABELS"):
                codes |= {str(v) for v in getattr(value, "english", value).values()}
    return codes


def _data_values(data: MissionData) -> set[str]:
    """The strings of the data's layers (names, ids, offices, places, parties), narratives
    and notes aside."""
    values: set[str] = set()
    for frame in (
        data.incidents,
        data.local_agreements,
        data.local_processes,
        data.national_milestones,
        data.mission_presence,
        data.admin_boundaries,
    ):
        for column in frame.columns:
            if column in ("geometry", "narrative", "notes", "description"):
                continue
            if pd.api.types.is_numeric_dtype(frame[column]):
                continue
            values |= {str(v) for v in frame[column].dropna().unique() if isinstance(v, str)}
            # Lists of names ("A; B") are also shown one by one.
            values |= {
                part.strip()
                for v in frame[column].dropna().unique()
                if isinstance(v, str)
                for part in v.replace(",", ";").split(";")
            }
    return values | _codes() | set(IDENTIFIERS)


def _cells(table: pd.DataFrame) -> Iterator[str]:
    for column in table.columns:
        for value in table[column].dropna().unique():
            if isinstance(value, str):
                yield value


def _everything(result: JointAnalysis) -> Iterator[tuple[str, str]]:
    """``(where, text)`` for every string of a result a person can read."""
    for i, note in enumerate(result.notes):
        yield f"note {i}", note
    yield "escalation warning", result.escalation.warning
    for note in (*result.agreements.notes, *result.escalation.notes, *result.escalation.limits):
        yield "limit", note
    for name, (table, caption) in result.tables().items():
        yield f"{name}: caption", caption
        yield f"{name}: title", TABLE_TITLES[name]
        # The category column keeps ArcGIS's English names (identifiers): it is read
        # through shown(), below.
        raw = table.drop(columns=[c for c in ("category",) if c in table])
        for value in _cells(raw):
            yield f"{name}: cell", value
        display = shown(table)
        for header in display.columns:
            yield f"{name}: header", str(header)
        for value in _cells(display):
            yield f"{name}: shown cell", value


def _english_in(result: JointAnalysis, data_values: Iterable[str]) -> dict[str, set[str]]:
    ignoring = sorted(set(data_values), key=len, reverse=True)
    left: dict[str, set[str]] = {}
    with use("fr"):  # titles, headers and shown() read in French
        for where, text in _everything(result):
            words = english_left(text, ignoring=ignoring)
            if words:
                left.setdefault(where, set()).update(words)
    return left


SPARSE = IncidentFilter(start=dt.date(2023, 1, 1), end=dt.date(2023, 1, 4))
"""Fewer incidents than Gi* needs (checked below)."""


@pytest.fixture(scope="module")
def sample() -> MissionData:
    return load_sample()


@pytest.fixture(scope="module")
def english(sample: MissionData) -> JointAnalysis:
    return analyse(sample)


@pytest.fixture(scope="module")
def french(sample: MissionData) -> JointAnalysis:
    with use("fr"):
        return analyse(sample)


def test_the_sample_analysed_in_french_has_no_english_left(french, sample):
    assert _english_in(french, _data_values(sample)) == {}


def test_the_french_is_french_with_its_numbers(french):
    # Captions of the hot spots, gaps and drivers are worded when read: read in French.
    with use("fr"):
        tables = french.tables()
        caption = french.hot_spots.caption
    drivers = tables["drivers_by_hot_spot"][0]
    assert drivers["group"].iloc[0] == "point chaud 1"
    assert "des incidents évalués (intervalle à 95 % : " in drivers["effect"].iloc[0]
    watch = tables["agreement_watch"][0]
    assert watch["effect"].str.contains("intervalle à 95 % : ", regex=False).any()
    assert set(watch["area"]) <= {"polygone", "ligne, 5 km de chaque côté", "point, 5 km autour"}
    escalation = tables["escalation_around_milestones"][0]
    assert escalation["before_effect"].str.startswith("environ ").any()
    assert " fois le rythme habituel" in " ".join(escalation["before_effect"])
    # Decimal commas and French dates where people read them.
    assert "km² ; " in caption and "," in caption.split("(")[1].split(" km²")[0]
    assert " déc. 2025)" in tables["agreement_watch"][1]
    assert french.escalation.warning.startswith("Le rapport à l'origine de cet outil")
    # French typography: a space before ";" and "%".
    friction = tables["state_forces_friction"][1]
    assert "au moins 33 % des auteurs" in friction and " ; " in friction
    assert "; " not in friction.replace(" ; ", "")


def test_english_stays_the_default_and_unchanged(english, french, sample):
    # The French run leaves nothing behind: the same analysis after it is English again.
    again = analyse(sample)
    for name, (table, caption) in english.tables().items():
        assert again.tables()[name][1] == caption, name
        pd.testing.assert_frame_equal(again.tables()[name][0], table, check_like=False)
    assert english.tables()["drivers_by_hot_spot"][0]["group"].iloc[0] == "hot spot 1"
    assert english.escalation.warning.startswith("The report behind this tool")
    # The tables keep their ids in both languages (the JSON's keys, the CSVs' headers).
    for name, (table, _caption) in french.tables().items():
        assert list(table.columns) == list(english.tables()[name][0].columns), name
    assert set(french.to_json()) == set(english.to_json())


def test_every_column_has_a_french_header_and_every_table_a_title(french):
    with use("fr"):
        for name, (table, _caption) in french.tables().items():
            assert TABLE_TITLES[name] != TABLE_TITLES.english[name], name
            for column in table.columns:
                label = column_label(str(column))
                assert label != column, (name, column)
                assert english_left(label, ignoring=_codes()) == set(), (name, column, label)
        assert column_label("share_revenge").startswith("Part : ")
        assert column_label("perpetrator_state_forces").startswith("Auteurs : ")
        assert column_label("share_confirmed") == "Codage confirmé (part)"
        assert column_label("no_such_column") == "no_such_column"
        labels = [*COLUMN_LABELS.values(), *CATEGORY_LABELS.values()]
        labels += [*CATEGORY_MEANINGS.values(), *STEPS.values()]
        labels += [*BIN_LABELS.values(), *NEAR_LABELS.values()]
        assert not [label for label in labels if english_left(label, ignoring=_codes())]
    assert COLUMN_LABELS["dominant_motivation"] == "Dominant motivation"
    assert BIN_LABELS[3] == "Hot spot, 99 % confidence"


def test_shown_tables_are_what_a_page_shows(french):
    with use("fr"):
        shown_tables = french.shown_tables()
    assert list(shown_tables) == list(french.tables())
    title, table, caption = shown_tables["agreement_watch"]
    assert title == "Suivi des accords"
    assert {"Conclusion", "Effet", "Mise en garde", "À risque"} <= set(table.columns)
    assert caption.startswith("Incidents dans la zone de chaque accord")
    assert len(table) == len(french.tables()["agreement_watch"][0])


def test_shown_gives_labels_and_keeps_the_table(french):
    table = french.tables()["emerging_hot_spots"][0]
    with use("fr"):
        display = shown(table)
    assert "Catégorie" in display.columns and "category" in table.columns
    named = table["category"].iloc[0]
    assert named.endswith(("hot spot", "cold spot"))  # the identifier, in English
    with use("fr"):
        assert display["Catégorie"].iloc[0] == CATEGORY_LABELS[named]
        assert "point" in display["Catégorie"].iloc[0]


@pytest.mark.parametrize(
    "options, selection",
    [
        (
            Options(inference="permutation", weight="fatalities", shape="square"),
            IncidentFilter(),
        ),
        (Options(friction_period=None, step="Y", window_days=400), IncidentFilter()),
        (Options(), SPARSE),
        (Options(), IncidentFilter(admin2=frozenset({"nowhere"}))),  # nothing selected
    ],
    ids=["permutation-fatalities-squares", "whole-selection-long-windows", "sparse", "empty"],
)
def test_other_choices_speak_french_too(sample, options, selection):
    with use("fr"):
        result = analyse(sample, selection, options)
    assert _english_in(result, _data_values(sample)) == {}


def test_sparse_and_empty_selections_say_why_in_french(sample):
    with use("fr"):
        sparse = analyse(sample, SPARSE)
        empty = analyse(sample, IncidentFilter(admin2=frozenset({"nowhere"})))
    assert 0 < sparse.incidents < 30
    assert sparse.hot_spots.refusal.startswith("Trop peu d'incidents pour retenir des points")
    assert sparse.hot_spots.refusal in sparse.notes
    assert empty.incidents == 0
    with use("fr"):  # the drivers' captions are worded when read
        caption = empty.tables()["drivers_by_hot_spot"][1]
    assert "Pas de point chaud à décrire dans cette sélection." in caption


def test_errors_are_in_french(sample):
    with use("fr"), pytest.raises(ValueError, match="n'est pas l'une de : hexagon, square"):
        Grid("triangle", 1000.0, mission_crs())  # type: ignore[arg-type]
    with use("fr"), pytest.raises(ValueError, match="ni 'incidents' ni 'fatalities'"):
        hot_spots(sample.incidents, weight="deaths")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="is not 'incidents' or 'fatalities'"):
        hot_spots(sample.incidents, weight="deaths")  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def car(tmp_path_factory) -> MissionData:
    """The CAR store as ``tests/real_data/test_car_mission.py`` imports it."""
    folder = tmp_path_factory.mktemp("car_fr")
    store = open_store(folder / "car.gpkg")
    _import(store, COD_AB, "admin_boundaries", "HQ")
    areas = folder / "areas_of_responsibility.geojson"
    areas.write_bytes(_areas(store.layer("admin_boundaries")))
    _import(store, areas, "mission_presence", "HQ")
    _import(store, CAR_ACLED, "incidents")
    _import(store, CAR_UCDP, "incidents")
    return from_layers(store.layer, "Mission store")


def test_the_car_data_analysed_in_french_has_no_english_left(car):
    with use("fr"):
        result = analyse(car)
    assert result.incidents > 100
    assert _english_in(result, _data_values(car)) == {}
    # What the real data make the analysis say, in French.
    assert any(
        n.startswith("Aucun incident de cette sélection n'a de motivation") for n in (result.notes)
    )
    with use("fr"):
        drivers = result.tables()["drivers_by_admin1"]
    assert "codage surtout inconnu : 100 % pas encore évalués" in drivers[1]
    assert drivers[0]["effect"].str.startswith("aucun incident encore évalué").all()
    friction = result.tables()["state_forces_friction"][0]
    assert friction["effect"].str.startswith("forces de l'État et alliées : ").all()
