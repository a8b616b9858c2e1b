"""Fixtures every test folder shares: a fresh PostGIS database per test (or per module);
and the ``slow`` marker, set here so that a new test file needs no edit to get it.

The server is the one ``tests/postgis_server.py`` finds or starts. Without one, the
``postgis`` tests skip with the reason, unless ``POCMAP_REQUIRE_POSTGIS=1`` (set by
``scripts/test.sh``, the README's test command, which CI runs): then they fail, so a run
that was meant to test PostGIS never passes without it.

``pytest -m "not slow" -n 2`` is the quick run (under two minutes on two cores): every
``browser`` and ``postgis`` test is slow, and so is each test listed in :data:`SLOW`.
"""

from __future__ import annotations

import os
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest

from tests import postgis_server

TEMPLATE = "pocmap_test_template"  # PostGIS already created in it: a copy is fast
_TEMPLATE_LOCK = 0x706F636D  # "pocm": the advisory lock held while the template is made


@pytest.fixture(autouse=True)
def _no_users_file_of_the_developer(tmp_path, monkeypatch) -> None:
    """Tests never read or write the repo's ``data/users.json`` (a developer's own users):
    each starts with none, in its own folder, unless it points ``POCMAP_USERS`` elsewhere."""
    monkeypatch.setenv("POCMAP_USERS", str(tmp_path / "users.json"))


SLOW: tuple[str, ...] = (
    # argon2 hashes, timed answers
    "tests/access/test_sign_ins.py::test_a_success_clears_the_name_and_an_admin_unlock_lifts_a_lockout",
    "tests/access/test_sign_ins.py::test_unknown_names_get_the_same_answers_at_the_same_pace",
    # argon2 hashes, processes
    "tests/access/test_users.py::test_a_wrong_password_an_unknown_user_and_an_oidc_user_all_fail_alike",
    "tests/access/test_users.py::test_processes_adding_users_at_once_all_keep_theirs",
    "tests/analysis/test_joint.py::test_an_export_without_motivations_is_analysed_whole",
    "tests/analysis/test_selection_index.py::test_masks_and_counts_equal_the_string_filters",
    "tests/bench/test_synthetic.py::test_a_small_set_is_seeded_and_loads_as_a_mission",
    "tests/briefing/test_disclosure.py::test_points_are_moved_to_the_centre_of_their_square",
    "tests/briefing/test_disclosure.py::test_sample_shareable_cells_hold_the_rules",
    "tests/briefing/test_disclosure.py::test_shareable_cells_are_at_least_5_km_even_on_a_small_area",
    "tests/briefing/test_disclosure.py::test_shareable_cells_widen_until_most_incidents_show",
    "tests/briefing/test_disclosure.py::test_shareable_shows_no_cell_under_five_and_accounts_for_every_incident",
    "tests/briefing/test_disclosure.py::test_shareable_words_small_totals_as_fewer_than_five",
    # every layer of the sample, every format
    "tests/briefing/test_exports.py",
    # matplotlib pages
    "tests/briefing/test_long_text.py::test_no_text_overlaps_the_markings_or_leaves_the_page",
    "tests/briefing/test_long_text.py::test_the_files_carry_the_cut_text_and_the_accounting",
    # matplotlib pages
    "tests/briefing/test_render.py",
    # a tile server and matplotlib pages
    "tests/briefing/test_tiles.py::test_an_unreachable_tile_server_leaves_the_offline_basemap",
    "tests/briefing/test_tiles.py::test_tiles_are_drawn_when_the_server_answers",
    "tests/cli/test_analysis.py::test_analyse_json_with_filters",
    "tests/cli/test_analysis.py::test_analyse_prints_a_summary",
    "tests/cli/test_analysis.py::test_hotspots_options",
    # matplotlib pages
    "tests/cli/test_briefing.py::test_from_the_store_it_names_the_batches",
    "tests/cli/test_briefing.py::test_png_and_pdf_from_the_extension",
    "tests/cli/test_briefing.py::test_refusals_are_clear",
    # every format, every level
    "tests/cli/test_export.py::test_each_format_is_written_with_a_one_line_summary",
    "tests/cli/test_export.py::test_filters_and_levels_reach_the_file",
    "tests/cli/test_export.py::test_the_geopackage_says_what_was_asked",
    "tests/cli/test_import.py::test_a_batch_is_reprocessed_from_its_original_file",
    "tests/cli/test_import.py::test_a_mapping_by_hand_is_kept_for_next_time",
    "tests/cli/test_import.py::test_import_commits_a_batch_and_prints_the_accounting",
    # real processes, 30,000-row files
    "tests/cli/test_import_processes.py::test_eight_offices_importing_at_once_lose_and_duplicate_nothing",
    "tests/cli/test_import_processes.py::test_kill_9_mid_import_leaves_the_store_as_it_was",
    "tests/cli/test_light_cli.py::test_a_command_that_runs_imports_what_it_needs",
    "tests/cli/test_migrate.py::test_a_target_that_is_not_empty_is_one_line_and_exit_2",
    "tests/cli/test_migrate.py::test_the_command_runs_as_a_process",
    "tests/cli/test_migrate.py::test_the_default_store_moves_to_a_new_file",
    "tests/cli/test_review.py::test_a_briefing_from_the_store_is_audited",
    "tests/cli/test_users.py::test_a_real_process_reads_the_password_from_stdin",
    "tests/cli/test_users.py::test_the_prompt_asks_twice_and_never_echoes",
    # hostile files read under memory ceilings
    "tests/ingest/readers/test_readers_bounds.py",
    # many-block files, hypothesis
    "tests/ingest/readers/test_readers_csv_arrow.py::test_arrow_reads_any_text_as_the_csv_module",
    "tests/ingest/readers/test_readers_csv_arrow.py::test_arrow_reads_generated_files_as_the_csv_module",
    "tests/ingest/readers/test_readers_csv_arrow.py::test_arrow_reads_rectangular_files_with_gaps_as_the_csv_module",
    "tests/ingest/readers/test_readers_csv_arrow.py::test_blocks_ending_inside_a_quoted_cell_read_as_the_csv_module",
    "tests/ingest/readers/test_readers_csv_arrow.py::test_files_of_many_blocks_read_as_the_csv_module",
    # hypothesis
    "tests/ingest/readers/test_readers_csv_property.py::test_every_nonblank_record_is_kept",
    "tests/ingest/readers/test_readers_csv_property.py::test_random_bytes_never_crash",
    "tests/ingest/readers/test_readers_csv_property.py::test_random_text_never_crashes",
    "tests/ingest/readers/test_readers_vector.py::test_geopackage_layers",
    # large frames against the slow path
    "tests/ingest/test_fast_paths.py",
    "tests/ingest/test_pipeline.py::test_every_format_and_profile_imports_and_every_row_is_accounted_for",
    "tests/ingest/test_pipeline.py::test_reuploading_the_same_file_is_detected_and_withdrawn_batches_hide",
    "tests/ingest/test_pipeline.py::test_the_sample_loads_through_the_import_path",
    "tests/sample_data/test_templates.py::test_the_example_sheet_imports_cleanly",
    # twelve processes
    "tests/store/test_concurrency.py::test_simultaneous_commits_from_many_processes",
    # kill -9 at four points of a 50,000-row commit
    "tests/store/test_crash.py::test_a_killed_commit_leaves_nothing_behind",
    "tests/store/test_migrate.py::test_a_copy_that_does_not_add_up_commits_nothing",
    "tests/store/test_migrate.py::test_everything_is_copied_exactly",
    "tests/store/test_migrate.py::test_new_numbers_come_after_the_copied_ones",
    "tests/store/test_migrate.py::test_withdrawn_batches_stay_withdrawn_with_who_when_why",
    "tests/ui/test_admin_audit.py::test_a_changed_entry_is_shown_with_its_seq",
    "tests/ui/test_admin_audit.py::test_an_intact_log_shows_its_head",
    "tests/ui/test_analysis_page.py::test_filtering_on_revenge_leaves_the_corridor",
    "tests/ui/test_analysis_page.py::test_the_options_change_the_cells",
    "tests/ui/test_analysis_page.py::test_the_page_shows_every_planted_finding",
    "tests/ui/test_briefing_panel.py::test_one_click_gives_the_preview_and_both_files",
    "tests/ui/test_briefing_panel.py::test_options_change_the_briefing_and_bad_widths_cannot_be_asked",
    "tests/ui/test_pages.py::test_every_page_runs",
    # a store with boundaries per test, AppTest
    "tests/ui/test_sign_in.py",
    "tests/ui/test_sign_in_lockout.py::test_an_admin_sees_every_refusal_and_no_password",
    # every page in AppTest
    "tests/ui/test_text.py::test_data_keys_are_never_reused_for_other_data",
    # the real CAR COD-AB GeoPackage through the page
    "tests/ui/test_upload_cod_ab.py",
    # every format through the page
    "tests/ui/test_upload_page.py::test_an_upload_is_previewed_reported_and_committed",
    "tests/ui/test_upload_page.py::test_every_format_and_profile_imports_through_the_page",
)
"""Tests (a file, or a test with all its parameters) that take seconds each, measured with
``pytest --durations=0``."""
_BROWSER_DIR = Path(__file__).resolve().parent / "browser"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark ``slow`` every browser and postgis test and each one :data:`SLOW` lists.

    This runs before ``-m`` deselects (pytest's own hook comes last), and checks the
    browser folder itself rather than rely on its conftest having marked it first."""
    for item in items:
        if (
            item.get_closest_marker("browser") is not None
            or item.get_closest_marker("postgis") is not None
            or _BROWSER_DIR in Path(item.path).resolve().parents
            or _listed(item.nodeid)
        ):
            item.add_marker(pytest.mark.slow)


def _listed(nodeid: str) -> bool:
    test = nodeid.split("[", 1)[0]  # every parameter of a listed test
    return test in _SLOW or test.split("::", 1)[0] in _SLOW


_SLOW = frozenset(SLOW)


@pytest.fixture(autouse=True)
def _main_module_restored() -> Iterator[None]:
    """Each test ends with the real ``__main__``: Streamlit's script runner (AppTest)
    installs the page it ran as ``sys.modules["__main__"]`` and leaves it there, and a
    reader's worker process started by a later test would then run that page first
    (multiprocessing prepares a child from ``__main__``'s file) and die."""
    main = sys.modules["__main__"]
    yield
    sys.modules["__main__"] = main


def pytest_sessionfinish(session, exitstatus) -> None:
    postgis_server.release()


def _required() -> bool:
    return os.environ.get("POCMAP_REQUIRE_POSTGIS", "").strip() not in ("", "0")


@pytest.fixture(scope="session")
def postgis_admin_url() -> str:
    """The URL of a running PostGIS server's admin database, with the template made."""
    url = postgis_server.ensure_server()
    if url is None:
        message = f"no PostgreSQL + PostGIS server: {postgis_server.reason()}"
        if _required():
            pytest.fail(f"{message} (POCMAP_REQUIRE_POSTGIS is set: PostGIS must be tested)")
        pytest.skip(message)
    admin = _database(url, "postgres")
    with psycopg.connect(admin, autocommit=True) as conn:
        # Test processes (pytest-xdist workers) make the template one at a time; a copy is
        # only taken once its maker has finished and disconnected.
        conn.execute("SELECT pg_advisory_lock(%s)", [_TEMPLATE_LOCK])
        try:
            there = conn.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", [TEMPLATE]
            ).fetchone()
            if not there:
                conn.execute(f'CREATE DATABASE "{TEMPLATE}"')
                with psycopg.connect(_database(url, TEMPLATE), autocommit=True) as template:
                    template.execute("CREATE EXTENSION IF NOT EXISTS postgis")
        finally:
            conn.execute("SELECT pg_advisory_unlock(%s)", [_TEMPLATE_LOCK])
    return admin


@pytest.fixture
def postgis_url(postgis_admin_url) -> Iterator[str]:
    """A new, empty database with PostGIS, dropped after the test."""
    yield from _fresh_database(postgis_admin_url)


@pytest.fixture(scope="module")
def postgis_module_url(postgis_admin_url) -> Iterator[str]:
    """A new, empty database with PostGIS shared by a module's tests."""
    yield from _fresh_database(postgis_admin_url)


def _fresh_database(admin: str) -> Iterator[str]:
    name = f"pocmap_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{TEMPLATE}"')
    try:
        yield _database(admin, name)
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _database(url: str, name: str) -> str:
    """``url`` pointing at database ``name``."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))
