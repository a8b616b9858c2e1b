"""A French field office's files come in as it writes them (issue 22, part 2).

Real files made here (an Excel sheet with openpyxl, a Windows-1252 CSV, a KML), imported
through the functions the app and ``pocmap import`` use, into a real store. Each row's
expected outcome is written beside it (``tests/ingest/french/files.py``): every good row
is kept, a row with an unknown secondary value is kept with a warning saying what was kept,
and only rows lacking a place, a date or a type (or a word the office has yet to choose a
code for) are refused, each refusal naming its row, column, value and what is accepted.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from cli import main
from ingest import office_words
from ingest.pipeline import ImportOptions, commit_import, preview_import
from ingest.records import with_source_records
from languages import use
from schema.upload import Upload
from store import open_store
from tests.ingest import uploads
from tests.ingest.french import files
from tests.ingest.test_pipeline import TODAY
from tests.languages.english import english_left


@pytest.fixture(scope="module")
def boundaries_store(tmp_path_factory) -> Path:
    return uploads.store_with_boundaries(tmp_path_factory.mktemp("fr") / "b.gpkg")


@pytest.fixture
def store(boundaries_store: Path, tmp_path: Path):
    path = tmp_path / "pocmap.gpkg"
    shutil.copyfile(boundaries_store, path)
    return open_store(path)


def _preview(store, name: str, data: bytes, layer: str = "incidents", **options):
    return preview_import(
        store,
        Upload(name, data),
        ImportOptions(layer=layer, office="Kalondo", uploader="pytest", today=TODAY, **options),
    )


def _by_reference(preview, reference_column: str = "N° fiche") -> pd.Series:
    """Each row's outcome, by the office's own reference (n° de fiche)."""
    records = preview.table.records
    return pd.Series(
        preview.result.outcomes.to_numpy(), index=records[reference_column].astype(str).tolist()
    )


def _expected(rows: list[files.Row]) -> pd.Series:
    return pd.Series([r.outcome for r in rows], index=[str(r.cells[0]) for r in rows])


def _row_of(preview, reference: str, reference_column: str = "N° fiche") -> int:
    records = preview.table.records
    return int(records.index[records[reference_column].astype(str) == reference][0])


def test_the_offices_spreadsheet_is_mapped_by_its_headers_and_values(store) -> None:
    preview = _preview(store, "fiches_octobre.xlsx", files.office_xlsx())
    mapping = preview.mapped.mapping
    # "Auteur" holds FDS / groupe armé / milice: perpetrator types, whatever its header.
    assert mapping["perpetrator_type"] == "Auteur"
    assert mapping["perpetrator_name"] == "Nom de l'auteur"
    assert mapping["incident_id"] == "N° fiche"
    assert mapping["motivation_confidence"] == "Niveau de certitude"
    assert mapping["narrative"] == "Description des faits"
    assert mapping["injured"] == "Blessés" and mapping["victim_groups"] == "Victimes"
    # A column no field takes is said once for the file, never on each row.
    about_place = [n for n in preview.notes if "Localité" in n]
    assert len(about_place) == 1
    assert not (preview.result.report["column"] == "Localité").any()
    assert sum("Auteur" in n and "perpetrator_type" in n for n in preview.notes) == 1


def test_every_good_row_of_the_spreadsheet_comes_in(store) -> None:
    rows = files.office_rows()
    preview = _preview(store, "fiches_octobre.xlsx", files.office_xlsx(rows))
    pd.testing.assert_series_equal(_by_reference(preview), _expected(rows), check_names=False)
    report = preview.result.report
    for row in rows:
        lines = report[report["row"] == _row_of(preview, str(row.cells[0]))]
        if row.outcome == files.ACCEPTED:
            assert lines.empty, (row.why, lines.to_string())
            continue
        assert row.column in set(lines["column"]), (row.why, lines.to_string())
        assert all(lines["expected"].str.len() > 0), "each line says what would be accepted"
    refused = {str(r.cells[0]) for r in rows if r.outcome == files.REJECTED}
    assert refused == {"KAL-07", "KAL-12", "KAL-13", "KAL-14"}

    batch = commit_import(store, preview)
    stored = store.layer("incidents").set_index("incident_id")
    assert (batch.accepted, batch.accepted_with_warning, len(stored)) == (9, 7, 16)
    # What was kept of each unknown secondary value, never silently changed.
    assert stored.loc["KAL-05", "motivation"] == "unknown"
    assert stored.loc["KAL-05", "motivation_raw"] == "règlement de comptes"
    assert stored.loc["KAL-16", "motivation"] == "extraction"  # "Extorsion" as a motive
    assert stored.loc["KAL-01", "motivation"] == "revenge"  # "Représailles"
    assert stored.loc["KAL-06", "incident_type"] == "looting_destruction"
    assert pd.isna(stored.loc["KAL-08", "injured"])  # "deux": flagged, not guessed
    assert stored.loc["KAL-17", "perpetrator_type"] == "unidentified"
    assert stored.loc["KAL-17", "perpetrator_name"] == "éléments incontrôlés"
    assert pd.isna(stored.loc["KAL-03", "victim_groups"])
    assert stored.loc["KAL-01", "victim_groups"] == "women;children"
    assert stored.loc["KAL-01", "perpetrator_type"] == "state_forces"
    assert stored.loc["KAL-02", "perpetrator_type"] == "non_state_armed_group"
    assert stored.loc["KAL-03", "perpetrator_type"] == "community_militia"
    assert pd.isna(stored.loc["KAL-18", "motivation_confidence"])
    assert stored.loc["KAL-01", "narrative"] == "Faits rapportés par la fiche KAL-01."
    # Degrees-minutes-seconds and hemisphere letters, read exactly.
    point = stored.loc["KAL-09", "geometry"]
    assert (round(point.y, 5), round(point.x, 5)) == (-3.64889, 4.31472)
    point = stored.loc["KAL-10", "geometry"]
    assert (round(point.y, 5), round(point.x, 5)) == (-3.59222, 3.70167)
    point = stored.loc["KAL-11", "geometry"]
    assert (point.y, point.x) == (-3.025, 3.1309)
    # Each row as sent keeps the words that were not codes.
    sent = with_source_records(preview.result.accepted, preview.table.records)
    record = json.loads(sent.loc[_row_of(preview, "KAL-03"), "source_record"])
    assert record["Victimes"] == "hommes"


def test_the_warnings_say_what_was_kept(store) -> None:
    preview = _preview(store, "fiches_octobre.xlsx", files.office_xlsx())
    report = preview.result.report.set_index("row")

    def line(reference: str, column: str) -> str:
        lines = report.loc[[_row_of(preview, reference)]]
        found = lines[lines["column"] == column]
        return " ".join(found["problem"]) + " | " + " ".join(found["expected"])

    assert "motivation_raw" in line("KAL-05", "motivation")
    assert "deux → 2?" in line("KAL-08", "injured")
    assert "“hommes”" in line("KAL-03", "victim_groups")
    assert "incendie" in line("KAL-06", "incident_type")
    assert "looting_destruction" in line("KAL-06", "incident_type")
    assert "unidentified" in line("KAL-17", "perpetrator_type")
    assert "threat" in line("KAL-07", "incident_type")


def test_the_offices_choice_of_a_word_is_kept_with_its_mapping(store, tmp_path, capsys) -> None:
    preview = _preview(store, "fiches_octobre.xlsx", files.office_xlsx())
    [choice] = preview.mapped.choices
    assert (choice.field, choice.value) == ("incident_type", "Extorsion")
    assert choice.codes == ("threat", "looting_destruction")
    assert choice.rows == (_row_of(preview, "KAL-07"),)

    # The office chooses once: an extortion is a threat, here.
    mapping = office_words.with_translations(
        preview.mapped.mapping, {choice.field: {choice.value: "threat"}}
    )
    again = _preview(store, "fiches_octobre.xlsx", files.office_xlsx(), mapping=mapping)
    assert again.mapped.choices == []
    assert _by_reference(again)["KAL-07"] == files.ACCEPTED
    commit_import(store, again)
    store.save_mapping(
        "fiches Kalondo", "incidents", dict(again.mapped.mapping), office="Kalondo", by="pytest"
    )
    saved = store.mappings("incidents")["fiches Kalondo"]
    assert office_words.translations(saved) == {"incident_type": {"extorsion": "threat"}}

    # Next month's file, through `pocmap import --use-mapping`: read the office's way.
    november = [
        files.Row([f"KAL-N{i}", *row.cells[1:]], row.outcome, row.why, row.column)
        for i, row in enumerate(files.office_rows(), start=1)
    ]
    path = tmp_path / "fiches_novembre.xlsx"
    path.write_bytes(files.office_xlsx(november))
    with pytest.MonkeyPatch.context() as env:
        env.setenv("POCMAP_DB", store.location)
        code = main(
            ["import", str(path), "--layer", "incidents", "--office", "Kalondo",
             "--use-mapping", "fiches Kalondo", "--json"]
        )  # fmt: skip
    result = json.loads(capsys.readouterr().out)
    assert code == 0, result
    assert result["rejected"] == 3  # no date, no place, no type: nothing else
    stored = store.layer("incidents").set_index("incident_id")
    assert stored.loc["KAL-N7", "incident_type"] == "threat"
    assert stored.loc["KAL-07", "incident_type"] == "threat"


def test_a_windows_csv_with_semicolons_and_decimal_commas(store) -> None:
    data, rows = files.office_csv()
    assert data.decode("cp1252") and b"\xe9" in data  # "é" as Windows-1252 writes it
    preview = _preview(store, "fiches.csv", data, date_order="day_first")
    pd.testing.assert_series_equal(_by_reference(preview), _expected(rows), check_names=False)
    batch = commit_import(store, preview)
    stored = store.layer("incidents").set_index("incident_id")
    assert batch.accepted + batch.accepted_with_warning == len(stored) == 4
    point = stored.loc["BGR-01", "geometry"]
    assert (point.y, point.x) == (-3.6488, 4.31478)
    assert pd.isna(stored.loc["BGR-02", "injured"])
    report = preview.result.report
    assert "trois → 3?" in " ".join(report["problem"])
    refused = report[report["outcome"] == files.REJECTED]
    assert set(refused["column"]) == {"date", "latitude", "longitude"}


def test_a_kml_of_agreements_in_french_comes_in(store) -> None:
    placemarks = files.agreements()
    preview = _preview(store, "accords.kml", files.agreements_kml(), layer="local_agreements")
    assert preview.result.outcomes.tolist() == [p.outcome for p in placemarks]
    report = preview.result.report
    refused = report[report["outcome"] == files.REJECTED]
    assert refused["column"].tolist() == ["agreement_type"]
    assert refused["value"].tolist() == ["pacte de non-agression"]
    commit_import(store, preview)
    stored = store.layer("local_agreements").set_index("name")
    zone = stored.loc["Zone sans armes du marché de Kalondo"]
    corridor = stored.loc["Couloir de transhumance Kalondo-Ndoubi"]
    assert (zone["agreement_type"], corridor["agreement_type"]) == (
        "weapon_free_zone",
        "transhumance_corridor",
    )
    assert zone["status"] == corridor["status"] == "signed"
    assert zone["mission_role"] == corridor["mission_role"] == "facilitator"
    assert bool(zone["poc_language"]) and not bool(zone["sgbv_provisions"])
    assert str(zone["date_signed"])[:10] == "2025-03-12"


def _file_words(preview) -> set[str]:
    """What the file itself wrote (values, headers) and the codes and field names a
    person types: data, not text to translate."""
    records = preview.table.records
    words = {str(c) for c in records.columns}
    for column in records.columns:
        words |= {str(v) for v in records[column].dropna().tolist()}
    spec_words: set[str] = set()
    from schema.catalogue import LAYER_SPECS

    for spec in LAYER_SPECS.values():
        for field in spec.fields:
            spec_words |= {field.name, *field.codes}
    return words | spec_words | {"motivation_raw"}


def test_each_refusal_and_warning_is_in_french(store) -> None:
    with use("fr"):
        from languages import _

        if _("is missing") == "is missing":
            pytest.skip("the checks' own messages are translated on the ingest-messages branch")
        preview = _preview(store, "fiches_octobre.xlsx", files.office_xlsx())
    report = preview.result.report
    ignoring = _file_words(preview)
    for _index, line in report.iterrows():
        text = f"{line['problem']} {line['expected']}"
        assert english_left(text, ignoring=ignoring) == set(), text
    refused = report[report["outcome"] == files.REJECTED]
    assert set(refused["row"]) == {_row_of(preview, r) for r in ("KAL-07", "KAL-12", "KAL-13",
                                                                 "KAL-14")}  # fmt: skip
    for note in preview.mapped.notes:
        assert english_left(note, ignoring=ignoring) == set(), note


def _untranslated_labels() -> set[str]:
    """The codes' English labels the schema's catalogue does not translate yet (their
    French comes with the schema's labels): left aside until then, never after."""
    from ingest.profiles.vocabulary import _label_sources
    from languages import _

    left: set[str] = set()
    for sources in _label_sources().values():
        for labels in sources:
            left |= {label for label in getattr(labels, "english", labels).values()
                     if _(label) == label}  # fmt: skip
    return left


def test_the_warnings_and_notes_of_the_mapping_are_in_french(store) -> None:
    with use("fr"):
        preview = _preview(store, "fiches_octobre.xlsx", files.office_xlsx())
        ignoring = _file_words(preview) | _untranslated_labels()
    report = preview.result.report
    warnings = report[report["outcome"] == files.WARNING]
    assert len(warnings) == 7
    for _index, line in warnings.iterrows():
        text = f"{line['problem']} {line['expected']}"
        assert english_left(text, ignoring=ignoring) == set(), text
    assert "deux → 2 ?" in " ".join(warnings["problem"])  # French typography: a space before ?
    for note in preview.mapped.notes:
        assert english_left(note, ignoring=ignoring) == set(), note
    [choice] = [w for w in preview.mapped.warnings if w.column == "incident_type"
                and w.value == "Extorsion"]  # fmt: skip
    assert english_left(f"{choice.problem} {choice.expected}", ignoring=ignoring) == set()
    assert "choisi" in choice.problem
