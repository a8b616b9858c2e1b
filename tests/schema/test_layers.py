"""Layer schemas: what each layer's validate accepts, and how it reports what it rejects."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import LineString, Point, Polygon

import analysis.filters
import ui.filters
from layers.incidents import MOTIVATION_COLOURS
from layers.local_agreements import STATUS_COLOURS
from schema import (
    admin_boundaries,
    basemap,
    incidents,
    local_agreements,
    mission_presence,
    political_processes,
)
from schema.fields import LayerValidationError, Problem
from tests.tiny_mission import XSS, admin_rows, incident_rows, tiny_mission

LAYER_MODULES = (
    incidents,
    political_processes,
    local_agreements,
    mission_presence,
    admin_boundaries,
    basemap,
)


def _incidents(rows: list[dict] | None = None, crs: Any = "EPSG:4326") -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(rows or incident_rows(""), geometry="geometry", crs=crs)


def _incidents_with(changes: dict[tuple[int, str], Any]) -> gpd.GeoDataFrame:
    rows = incident_rows("")
    for (i, column), value in changes.items():
        rows[i][column] = value
    return _incidents(rows)


def _as_text(rows: list[dict]) -> list[dict]:
    """Every value as text, the way a CSV reader hands them over (missing stays None)."""
    return [
        {k: v if k == "geometry" or v is None else str(v) for k, v in row.items()} for row in rows
    ]


def _agreements_with(column: str, values: list[Any]) -> gpd.GeoDataFrame:
    frame = pd.DataFrame(tiny_mission().local_agreements).astype({column: object})
    frame[column] = values
    return gpd.GeoDataFrame(frame, geometry="geometry", crs="EPSG:4326")


def _problems(validate, frame, **kwargs) -> list[Problem]:
    with pytest.raises(LayerValidationError) as info:
        validate(frame, **kwargs)
    return info.value.problems


def _only(problems: list[Problem], row: Any, column: str) -> Problem:
    found = [p for p in problems if p.row == row and p.column == column]
    assert len(found) == 1, f"expected one problem at ({row}, {column}) in {problems}"
    return found[0]


# --- the tiny mission is valid -------------------------------------------------------------


@pytest.mark.parametrize("text", ["", XSS])
def test_every_layer_accepts_the_tiny_mission_again(text):
    data = tiny_mission(text)
    checks = {
        "incidents": incidents.validate,
        "national_milestones": political_processes.validate_milestones,
        "local_processes": political_processes.validate_local_processes,
        "local_agreements": local_agreements.validate,
        "mission_presence": mission_presence.validate,
        "admin_boundaries": admin_boundaries.validate,
        "basemap": basemap.validate,
    }
    for name, validate in checks.items():
        frame = getattr(data, name)
        again = validate(frame)
        pd.testing.assert_frame_equal(pd.DataFrame(again), pd.DataFrame(frame))
        assert type(again) is type(frame), name


def test_validate_accepts_raw_incident_rows_and_types_them():
    out = incidents.validate(_incidents())
    assert len(out) == 8
    assert out["date"].dt.strftime("%Y-%m-%d").tolist()[:3] == [
        "2024-01-05",
        "2024-01-20",
        "2024-02-11",
    ]
    assert out["fatalities"].tolist() == [2, 0, 0, 0, 3, 0, 0, 0]
    assert str(out["fatalities"].dtype) == "Int64"
    assert out.crs.to_string() == "EPSG:4326"


def test_optional_columns_may_be_absent():
    out = incidents.validate(_incidents().drop(columns=["narrative", "injured", "admin2"]))
    assert len(out) == 8
    # Each comes back empty, so every incidents frame has the same columns.
    assert out["narrative"].isna().all() and out["injured"].isna().all()
    assert list(out.columns) == [*incidents.SPEC.columns, "geometry"]


# --- each kind of problem names row, column, value and what is accepted ---------------------


def test_unknown_code_names_every_motivation():
    problem = _only(
        _problems(incidents.validate, _incidents_with({(0, "motivation"): "greed"})),
        0,
        "motivation",
    )
    assert problem == Problem(
        0,
        "motivation",
        "greed",
        "is not a known code",
        "one of predation, extraction, revenge, collateral, political, punitive, unknown",
    )


def test_unknown_confidence_names_every_confidence():
    problem = _only(
        _problems(incidents.validate, _incidents_with({(2, "motivation_confidence"): "certain"})),
        2,
        "motivation_confidence",
    )
    assert (problem.value, problem.problem) == ("certain", "is not a known code")
    assert problem.allowed == "one of confirmed, probable, possible"


def test_missing_required_values():
    problems = _problems(
        incidents.validate,
        _incidents_with({(1, "source"): None, (2, "perpetrator_type"): None}),
    )
    assert sorted(problems, key=lambda p: p.row) == [
        Problem(1, "source", None, "is missing", "any text"),
        Problem(
            2,
            "perpetrator_type",
            None,
            "is missing",
            "one of state_forces, non_state_armed_group, community_militia, criminal, "
            "allied_forces, un_mission, unidentified",
        ),
    ]


def test_duplicate_id_names_both_rows():
    problems = _problems(incidents.validate, _incidents_with({(2, "incident_id"): "T-1"}))
    assert sorted(problems, key=lambda p: p.row) == [
        Problem(0, "incident_id", "T-1", "repeats a value used in another row", "any text"),
        Problem(2, "incident_id", "T-1", "repeats a value used in another row", "any text"),
    ]


def test_negative_count():
    problems = _problems(incidents.validate, _incidents_with({(3, "fatalities"): -1}))
    assert problems == [
        Problem(3, "fatalities", -1, "is negative", "a whole number, 0 or more"),
    ]


def test_text_count_cannot_be_read():
    rows = _as_text(incident_rows(""))
    rows[0]["fatalities"] = "two"
    problem = _only(_problems(incidents.validate, _incidents(rows)), 0, "fatalities")
    assert problem == Problem(
        0, "fatalities", "two", "cannot be read as count", "a whole number, 0 or more"
    )


@pytest.mark.parametrize("bad", ["2024-02-30", "not a date", "2024-13-01"])
def test_unparseable_date(bad):
    problems = _problems(incidents.validate, _incidents_with({(4, "date"): bad}))
    assert problems == [
        Problem(4, "date", bad, "cannot be read as date", "a date such as 2024-03-15"),
    ]


def test_unknown_code_inside_a_list():
    problems = _problems(
        incidents.validate, _incidents_with({(5, "victim_groups"): "women;aliens"})
    )
    assert problems == [
        Problem(
            5,
            "victim_groups",
            "women;aliens",
            "contains an unknown code",
            "zero or more of women, children, elderly, displaced, disabled, separated by ';'",
        )
    ]


def test_known_codes_in_a_list_with_spaces_are_accepted():
    out = incidents.validate(
        _incidents_with({(0, "victim_groups"): " women ; children ", (1, "victim_groups"): ""})
    )
    assert out["victim_groups"].iloc[0] == " women ; children "


def test_groups_protected_unknown_code():
    problems = _problems(
        local_agreements.validate,
        _agreements_with("groups_protected", ["women;martians", "children", None]),
    )
    assert problems == [
        Problem(
            0,
            "groups_protected",
            "women;martians",
            "contains an unknown code",
            "zero or more of women, children, elderly, displaced, disabled, separated by ';'",
        )
    ]


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        (["oui", "no", "True"], [True, False, True]),
        (["Vrai", " NON ", "0"], [True, False, False]),
        (["yes", "n", "FAUX"], [True, False, False]),
        ([1, 0, 1], [True, False, True]),
    ],
)
def test_flag_words_are_read_as_booleans(words, expected):
    out = local_agreements.validate(_agreements_with("poc_language", words))
    assert out["poc_language"].tolist() == expected
    assert str(out["poc_language"].dtype) == "boolean"


def test_flag_maybe_is_rejected():
    problems = _problems(
        local_agreements.validate, _agreements_with("poc_language", ["oui", "maybe", "True"])
    )
    assert problems == [
        Problem(
            1,
            "poc_language",
            "maybe",
            "cannot be read as flag",
            "true or false (yes/no, oui/non, 1/0 are read too)",
        ),
    ]


def test_missing_required_flag():
    problems = _problems(
        political_processes.validate_local_processes,
        tiny_mission()
        .local_processes.astype({"linked_to_national": object})
        .assign(linked_to_national=[None]),
    )
    assert problems == [
        Problem(
            0,
            "linked_to_national",
            None,
            "is missing",
            "true or false (yes/no, oui/non, 1/0 are read too)",
        ),
    ]


def test_missing_required_column_is_named():
    problem = _only(
        _problems(incidents.validate, _incidents().drop(columns=["motivation"])),
        "all",
        "motivation",
    )
    assert problem.value is None
    assert problem.allowed == (
        "one of predation, extraction, revenge, collateral, political, punitive, unknown"
    )


def test_missing_required_column_problem_text():
    problem = _only(
        _problems(incidents.validate, _incidents().drop(columns=["motivation"])),
        "all",
        "motivation",
    )
    assert problem.problem == "column is missing"


def test_every_missing_column_is_reported():
    problems = _problems(incidents.validate, _incidents().drop(columns=["motivation", "source"]))
    assert {(p.row, p.column) for p in problems} == {("all", "motivation"), ("all", "source")}


def test_missing_crs():
    frame = _incidents().set_crs(None, allow_override=True)
    assert _problems(incidents.validate, frame) == [
        Problem(
            "all",
            "geometry",
            None,
            "has no coordinate reference system",
            "a Point in EPSG:4326 (longitude, latitude)",
        )
    ]


def test_non_wgs84_crs():
    frame = _incidents().to_crs("EPSG:3857")
    assert _problems(incidents.validate, frame) == [
        Problem(
            "all",
            "geometry",
            "EPSG:3857",
            "is not WGS84",
            "a Point in EPSG:4326 (longitude, latitude)",
        )
    ]


def test_geometry_problems_each_named():
    frame = _incidents()
    frame.loc[0, "geometry"] = LineString([(1, -2), (2, -3)])
    frame.loc[1, "geometry"] = Point()
    frame.loc[2, "geometry"] = Point(200, -2)
    frame.loc[3, "geometry"] = None
    frame.loc[4, "geometry"] = Point(1, -95)
    allowed = "a Point in EPSG:4326 (longitude, latitude)"
    assert _problems(incidents.validate, frame) == [
        Problem(0, "geometry", "LineString", "is the wrong geometry type", allowed),
        Problem(1, "geometry", "EMPTY", "is empty", allowed),
        Problem(2, "geometry", "POINT (200 -2)", "is outside longitude/latitude range", allowed),
        Problem(3, "geometry", None, "is missing", allowed),
        Problem(4, "geometry", "POINT (1 -95)", "is outside longitude/latitude range", allowed),
    ]


def test_wrong_geometry_type_names_the_accepted_types():
    frame = gpd.GeoDataFrame(admin_rows(""), geometry="geometry", crs="EPSG:4326")
    frame.loc[1, "geometry"] = Point(2.5, -2.5)
    problem = _only(_problems(admin_boundaries.validate, frame), 1, "geometry")
    assert problem.value == "Point"
    assert problem.allowed == "a Polygon or MultiPolygon in EPSG:4326 (longitude, latitude)"


def test_invalid_polygon():
    frame = gpd.GeoDataFrame(admin_rows(""), geometry="geometry", crs="EPSG:4326")
    frame.loc[0, "geometry"] = Polygon([(1, -3), (2, -2), (2, -3), (1, -2)])  # a bow tie
    assert _problems(admin_boundaries.validate, frame) == [
        Problem(
            0,
            "geometry",
            "Self-intersection[1.5 -2.5]",
            "is invalid",
            "a valid geometry (no self-intersections)",
        )
    ]


def test_plain_dataframe_for_a_spatial_layer():
    frame = pd.DataFrame(_incidents().drop(columns="geometry"))
    assert _problems(incidents.validate, frame) == [
        Problem("all", "geometry", None, "is missing: this layer needs geometries", "Point"),
    ]


def test_unknown_milestone_kind_in_a_table_layer():
    frame = pd.DataFrame(tiny_mission().national_milestones).astype({"kind": object})
    frame.loc[1, "kind"] = "talks"
    assert _problems(political_processes.validate_milestones, frame) == [
        Problem(
            1,
            "kind",
            "talks",
            "is not a known code",
            "one of pre_negotiation, negotiation_round, ceasefire, signature, implementation, "
            "breakdown",
        )
    ]


def test_rows_keep_the_frames_index():
    frame = _incidents_with({(0, "motivation"): "greed"})
    frame.index = pd.RangeIndex(2, 10, name="line")
    problem = _only(_problems(incidents.validate, frame), 2, "motivation")
    assert problem.value == "greed"


# --- all problems at once, and the message -------------------------------------------------


def test_every_problem_is_reported_at_once():
    frame = _incidents_with(
        {
            (0, "motivation"): "greed",
            (1, "source"): None,
            (2, "incident_id"): "T-1",
            (3, "fatalities"): -1,
            (4, "date"): "2024-02-30",
            (5, "victim_groups"): "women;aliens",
            (6, "location_precision"): "somewhere",
        }
    )
    frame.loc[7, "geometry"] = Point(1.5, 95)
    problems = _problems(incidents.validate, frame)
    assert sorted((str(p.row), p.column, p.value) for p in problems) == sorted(
        [
            ("0", "motivation", "greed"),
            ("1", "source", None),
            ("0", "incident_id", "T-1"),
            ("2", "incident_id", "T-1"),
            ("3", "fatalities", -1),
            ("4", "date", "2024-02-30"),
            ("5", "victim_groups", "women;aliens"),
            ("6", "location_precision", "somewhere"),
            ("7", "geometry", "POINT (1.5 95)"),
        ]
    )


def test_unreadable_and_negative_counts_in_one_column_are_both_reported():
    rows = _as_text(incident_rows(""))
    rows[0]["fatalities"] = "two"
    rows[1]["fatalities"] = "-3"
    problems = _problems(incidents.validate, _incidents(rows))
    assert problems == [
        Problem(0, "fatalities", "two", "cannot be read as count", "a whole number, 0 or more"),
        Problem(1, "fatalities", -3, "is negative", "a whole number, 0 or more"),
    ]


@pytest.mark.filterwarnings("ignore:Parsing dates")
def test_date_in_another_format_names_the_row():
    rows = _as_text(incident_rows(""))
    rows[2]["date"] = "15/03/2024"
    problems = _problems(incidents.validate, _incidents(rows))
    assert problems == [
        Problem(2, "date", "15/03/2024", "cannot be read as date", "a date such as 2024-03-15"),
    ]


def test_fractional_count_names_the_row():
    problems = _problems(incidents.validate, _incidents_with({(2, "fatalities"): 1.5}))
    assert problems == [
        Problem(2, "fatalities", 1.5, "cannot be read as count", "a whole number, 0 or more"),
    ]


def test_message_names_the_source_and_each_problem():
    with pytest.raises(LayerValidationError) as info:
        incidents.validate(
            _incidents_with({(0, "motivation"): "greed", (3, "fatalities"): -1}),
            source="uploads/fo_west/incidents.csv",
        )
    err = info.value
    assert err.layer == "incidents"
    assert err.source == "uploads/fo_west/incidents.csv"
    message = str(err)
    assert message.startswith("2 problem(s) in layer 'incidents' in uploads/fo_west/incidents.csv:")
    assert "row 0, column 'motivation': 'greed' is not a known code; expected one of " in message
    assert "row 3, column 'fatalities'" in message


def test_message_without_source():
    with pytest.raises(LayerValidationError) as info:
        incidents.validate(_incidents_with({(0, "motivation"): "greed"}))
    assert str(info.value).startswith("1 problem(s) in layer 'incidents':\n")


def test_long_message_is_cut_but_every_problem_is_kept():
    rows = [dict(row) for row in incident_rows("") * 3]
    for i, row in enumerate(rows):
        row["incident_id"] = f"X-{i}"
        row["motivation"] = "greed"
    rows.append(dict(rows[0], incident_id="X-24"))
    with pytest.raises(LayerValidationError) as info:
        incidents.validate(_incidents(rows))
    assert len(info.value.problems) == 25
    assert str(info.value).count("\n  - ") == 20
    assert str(info.value).endswith("\n  ... and 5 more")


# --- code lists ----------------------------------------------------------------------------


def test_motivation_and_confidence_codes():
    assert incidents.MOTIVATIONS == (
        "predation",
        "extraction",
        "revenge",
        "collateral",
        "political",
        "punitive",
        "unknown",
    )
    assert incidents.CONFIDENCES == ("confirmed", "probable", "possible")
    assert incidents.VICTIM_GROUPS == ("women", "children", "elderly", "displaced", "disabled")
    assert incidents.PERPETRATOR_TYPES == (
        "state_forces",
        "non_state_armed_group",
        "community_militia",
        "criminal",
        "allied_forces",
        "un_mission",
        "unidentified",
    )


LABELLED = [
    (incidents.MOTIVATIONS, incidents.MOTIVATION_LABELS),
    (incidents.PERPETRATOR_TYPES, incidents.PERPETRATOR_LABELS),
    (incidents.INCIDENT_TYPES, incidents.INCIDENT_TYPE_LABELS),
    (incidents.VICTIM_GROUPS, incidents.VICTIM_GROUP_LABELS),
    (political_processes.MILESTONE_KINDS, political_processes.MILESTONE_LABELS),
    (political_processes.PROCESS_TYPES, political_processes.PROCESS_TYPE_LABELS),
    (local_agreements.AGREEMENT_TYPES, local_agreements.AGREEMENT_TYPE_LABELS),
    (local_agreements.AGREEMENT_STATUSES, local_agreements.STATUS_LABELS),
    (local_agreements.POC_PROVISIONS, local_agreements.POC_PROVISION_LABELS),
    (mission_presence.PRESENCE_KINDS, mission_presence.PRESENCE_LABELS),
    (incidents.CONFIDENCES, incidents.CONFIDENCE_LABELS),
    (incidents.MOTIVATION_ORIGINS, incidents.MOTIVATION_ORIGIN_LABELS),
    (incidents.LOCATION_PRECISIONS, incidents.LOCATION_PRECISION_LABELS),
    (incidents.DATE_PRECISIONS, incidents.DATE_PRECISION_LABELS),
    (incidents.MOTIVATION_ORIGINS, incidents.MOTIVATION_ORIGIN_LABELS),
    (local_agreements.MISSION_ROLES, local_agreements.MISSION_ROLE_LABELS),
    (political_processes.PROCESS_STATUSES, political_processes.PROCESS_STATUS_LABELS),
    (admin_boundaries.ADMIN_LEVELS, admin_boundaries.ADMIN_LEVEL_LABELS),
    (basemap.FEATURE_KINDS, basemap.FEATURE_KIND_LABELS),
]


@pytest.mark.parametrize(("codes", "labels"), LABELLED)
def test_every_code_has_a_label_and_no_label_lacks_a_code(codes, labels):
    assert list(labels) == list(codes)
    assert all(isinstance(v, str) and v.strip() for v in labels.values())
    assert len(set(labels.values())) == len(labels)


def test_every_labels_dict_is_checked():
    found = {
        id(value)
        for module in LAYER_MODULES
        for name, value in vars(module).items()
        if name.endswith("_LABELS") and isinstance(value, Mapping)
    }
    assert found == {id(labels) for _, labels in LABELLED}


def test_colours_cover_exactly_the_codes():
    assert list(MOTIVATION_COLOURS) == list(incidents.MOTIVATIONS)
    assert len(set(MOTIVATION_COLOURS.values())) == len(incidents.MOTIVATIONS)
    assert list(STATUS_COLOURS) == list(local_agreements.AGREEMENT_STATUSES)


def _code_constants() -> dict[str, tuple[str, ...]]:
    return {
        f"{module.__name__}.{name}": value
        for module in LAYER_MODULES
        for name, value in vars(module).items()
        if name.isupper()
        and isinstance(value, tuple)
        and value
        and all(isinstance(v, str) for v in value)
    }


def test_each_code_list_is_defined_once():
    constants = _code_constants()
    by_value: dict[tuple[str, ...], set[int]] = {}
    for value in constants.values():
        by_value.setdefault(value, set()).add(id(value))
    assert {value: ids for value, ids in by_value.items() if len(ids) > 1} == {}
    assert local_agreements.VICTIM_GROUPS is incidents.VICTIM_GROUPS


def test_schema_fields_use_the_module_code_lists():
    constants = {id(v) for v in _code_constants().values()}
    for module in LAYER_MODULES:
        for spec in (v for v in vars(module).values() if type(v).__name__ == "LayerSpec"):
            for field in spec.fields:
                if field.kind in ("code", "codes"):
                    assert id(field.codes) in constants, (spec.name, field.name)
    field = local_agreements.SPEC.field("groups_protected")
    assert field.codes is incidents.VICTIM_GROUPS
    assert incidents.SPEC.field("motivation").codes is incidents.MOTIVATIONS
    assert incidents.SPEC.field("motivation_confidence").codes is incidents.CONFIDENCES


def test_filters_reuse_the_code_lists():
    assert analysis.filters.MOTIVATIONS is incidents.MOTIVATIONS
    assert ui.filters.MOTIVATIONS is incidents.MOTIVATIONS
    assert ui.filters.VICTIM_GROUPS is incidents.VICTIM_GROUPS
