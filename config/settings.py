"""Every ``POCMAP_*`` environment variable pocmap reads: its default, meaning and readers.

This is the one list. ``docs/configuration.md`` is generated from it
(``python -m config.settings --markdown > docs/configuration.md``), and
``tests/config/test_settings.py`` fails when the document differs, when the code names a
``POCMAP_*`` variable that is not listed here, or when one listed here is read nowhere.

Three groups: :data:`SETTINGS` for whoever runs pocmap (the app and the command line),
:data:`DEPLOY_SETTINGS` for the container deployment (``deploy/.env``), and
:data:`TEST_SETTINGS` for the test suite and the development scripts.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Setting:
    """One environment variable.

    Attributes
    ----------
    name : the variable, ``POCMAP_...``.
    default : what pocmap does when it is unset or empty, in words.
    meaning : what it sets, and what a value looks like.
    used_by : the modules or commands that read it.
    see : the document that explains it in full ("" when this table says all).
    """

    name: str
    default: str
    meaning: str
    used_by: str
    see: str = ""

    def value(self) -> str:
        """The variable's value in this process, stripped; ``""`` when unset."""
        return os.environ.get(self.name, "").strip()


DB = Setting(
    "POCMAP_DB",
    "`data/pocmap.gpkg` (under the working folder; created)",
    "The store: a GeoPackage file, or a PostGIS `postgresql://user@host:port/db` URL "
    "(the password in `PGPASSWORD` or `~/.pgpass`, never printed).",
    "`store.open_store`, the app, every `pocmap` command",
    "docs/deployment.md",
)
USERS = Setting(
    "POCMAP_USERS",
    "`data/users.json` (under the working folder)",
    "The local users file: who may sign in, with which role and office. With no users "
    "and no OpenID Connect, access control is off and pocmap serves this machine only.",
    "`access.users`, `ui.auth`, `pocmap users`, `pocmap serve`",
    "docs/access.md",
)
DATA_DIR = Setting(
    "POCMAP_DATA_DIR",
    "unset: the app shows the store",
    "A folder of layer files the app shows instead of the store, read-only (for review). "
    "`pocmap serve --data FOLDER` sets it.",
    "`ui.data`, `pocmap serve --data`",
    "docs/field-offices.md",
)
DATA_LABEL = Setting(
    "POCMAP_DATA_LABEL",
    "the folder's name (the store: `Mission store`)",
    "The name the app gives the data it shows (the mission's name).",
    "`ui.data`",
)
MAX_UPLOAD_MB = Setting(
    "POCMAP_MAX_UPLOAD_MB",
    "100",
    "The largest file accepted, in megabytes (a positive number).",
    "`schema.upload.Limits.from_env` (Upload page, `pocmap import`)",
    "docs/upload-limits.md",
)
READ_SECONDS = Setting(
    "POCMAP_READ_SECONDS",
    "25",
    "Seconds a reader running in its own worker process (XLSX, GeoJSON, shapefile, "
    "GeoPackage, KML/KMZ) may take; the worker is killed past it and the file refused.",
    "`schema.upload.Limits.from_env`",
    "docs/upload-limits.md",
)
READ_MEMORY_MB = Setting(
    "POCMAP_READ_MEMORY_MB",
    "3072",
    "Address space of that worker process, in megabytes.",
    "`schema.upload.Limits.from_env`",
    "docs/upload-limits.md",
)
LINK_DAYS = Setting(
    "POCMAP_LINK_DAYS",
    "`ingest.linking.Tolerances.days`",
    "Days apart two sources' reports may be and still be linked as one event (widened by "
    "each report's date precision: a week, a month).",
    "`ingest.relink`, `pocmap links`",
    "docs/linking.md",
)
LINK_KM = Setting(
    "POCMAP_LINK_KM",
    "`ingest.linking.Tolerances.km`",
    "Kilometres apart two sources' reports may be and still be linked as one event "
    "(widened by each report's location precision).",
    "`ingest.relink`, `pocmap links`",
    "docs/linking.md",
)
SOURCE_PRIORITY = Setting(
    "POCMAP_SOURCE_PRIORITY",
    "`office,UCDP GED,ACLED`",
    "Whose report of an event reported by several sources is counted (its figures used), "
    "first preferred first: `office` (the mission's own reports), `UCDP GED`, `ACLED`.",
    "`ingest.relink`, `pocmap links`",
    "docs/linking.md",
)
TRUSTED_PROXY = Setting(
    "POCMAP_TRUSTED_PROXY",
    "unset: no proxy, forwarding headers are refused in local mode",
    "Comma-separated addresses or networks (`127.0.0.1`, `10.0.0.0/24`) of the reverse "
    "proxy whose `X-Forwarded-For` is believed.",
    "`ui.local_mode`, `ui.auth`, `pocmap serve`",
    "docs/local-mode.md",
)
DOWNLOAD_MINUTES = Setting(
    "POCMAP_DOWNLOAD_MINUTES",
    "10",
    "Minutes a download stays fetchable by the browser session that asked for it.",
    "`ui.downloads`",
    "docs/local-mode.md",
)
MARKING = Setting(
    "POCMAP_MARKING",
    "`UN CONFIDENTIAL`",
    "The classification marking at the top and bottom of every briefing "
    "(`pocmap briefing --marking` overrides it).",
    "`briefing.figures`, `pocmap briefing`",
    "docs/briefings.md",
)
TILE_URL = Setting(
    "POCMAP_TILE_URL",
    "unset: the offline basemap only",
    "A mission's own XYZ tile server, such as `https://tiles.mission.un/{z}/{x}/{y}.png`: "
    "offered on the map, and under a briefing with `--tiles`.",
    "`layers.joint_map` (the map and briefing pages), `pocmap briefing --tiles`",
    "docs/briefings.md",
)
TILE_ATTRIBUTION = Setting(
    "POCMAP_TILE_ATTRIBUTION",
    "`Mission tile server`",
    "The attribution shown with those tiles.",
    "`layers.joint_map`",
    "docs/field-offices.md",
)
ACTORS = Setting(
    "POCMAP_ACTORS",
    "unset: pocmap's default dictionary only (`ingest/actors/defaults.csv`)",
    "The mission's actor dictionary: a CSV file (`country,pattern,perpetrator_type,note`) "
    "whose rules are tried before the defaults, to type perpetrators by their names on "
    "import and with `pocmap actors --apply`.",
    "`ingest.actors` (every import of incidents), `pocmap actors`",
    "docs/codebook.md",
)
MOTIVATION_RULES = Setting(
    "POCMAP_MOTIVATION_RULES",
    "unset: pocmap's default rules only (`coding/default_rules.csv`)",
    "The mission's motivation rules: a CSV file (`kind,pattern,motivation,weight,reason`) "
    "whose rules are tried before the defaults (one with the same kind and pattern replaces "
    "a default; weight 0 turns it off), to suggest a motivation for the incidents not yet "
    "assessed. A suggestion is never a code.",
    "`coding.rules` (suggestions in the app), `pocmap suggest`",
    "docs/suggestions.md",
)
LANG = Setting(
    "POCMAP_LANG",
    "en",
    "The language pocmap speaks when nobody chose one: `en` (English), `fr` (French), or "
    "any language a translator added under `languages/locale/`. Each person may choose "
    "another in the app's sidebar; `pocmap --lang LANG` chooses for one command.",
    "`languages.default` (the app, every `pocmap` command, briefings)",
    "docs/translating.md",
)

SETTINGS: tuple[Setting, ...] = (
    DB,
    USERS,
    DATA_DIR,
    DATA_LABEL,
    MAX_UPLOAD_MB,
    READ_SECONDS,
    READ_MEMORY_MB,
    LINK_DAYS,
    LINK_KM,
    SOURCE_PRIORITY,
    TRUSTED_PROXY,
    DOWNLOAD_MINUTES,
    MARKING,
    TILE_URL,
    TILE_ATTRIBUTION,
    ACTORS,
    MOTIVATION_RULES,
    LANG,
)
"""What whoever runs pocmap may set (the app and the ``pocmap`` command)."""

DEPLOY_SETTINGS: tuple[Setting, ...] = (
    Setting(
        "POCMAP_OWNER_PASSWORD",
        "none: required",
        "Password of the PostGIS owner role (`pocmap_owner`), which creates and migrates "
        "the schema.",
        "`deploy/compose.yaml`, `deploy/initdb/20-pocmap-roles.sh`",
        "docs/deployment.md",
    ),
    Setting(
        "POCMAP_APP_PASSWORD",
        "none: required",
        "Password of the application role (`pocmap_app`) the app connects as.",
        "`deploy/compose.yaml`, `deploy/initdb/20-pocmap-roles.sh`",
        "docs/deployment.md",
    ),
)
"""The container deployment's (``deploy/.env``, read by docker compose)."""

TEST_SETTINGS: tuple[Setting, ...] = (
    Setting(
        "POCMAP_TEST_PG_URL",
        "unset: the throwaway cluster of `scripts/postgis.sh`",
        "A running PostgreSQL + PostGIS server for the `postgis` tests "
        "(each test gets its own database on it).",
        "`tests/postgis_server.py`, `scripts/test.sh`",
    ),
    Setting(
        "POCMAP_REQUIRE_POSTGIS",
        "unset: the `postgis` tests skip without a server",
        "`1`: they fail instead, so a run meant to test PostGIS never passes without it "
        "(`scripts/test.sh` sets it).",
        "`tests/conftest.py`, `scripts/test.sh`",
    ),
    Setting(
        "POCMAP_PG_PORT",
        "55432",
        "Port of the throwaway loopback PostGIS cluster.",
        "`scripts/postgis.sh`, `scripts/test.sh`, `tests/postgis_server.py`",
    ),
    Setting(
        "POCMAP_PG_DIR",
        "`/tmp/pocmap-postgis-PORT`",
        "Where that cluster keeps its data, socket and log.",
        "`scripts/postgis.sh`, `tests/postgis_server.py`",
    ),
    Setting(
        "POCMAP_PG_BIN",
        "`/usr/lib/postgresql/15/bin`",
        "Where the PostgreSQL server's programs are.",
        "`scripts/postgis.sh`",
    ),
    Setting(
        "POCMAP_TEST_WORKERS",
        "2",
        "Test processes of `scripts/test.sh` (pytest-xdist `-n`; `0` runs all in one).",
        "`scripts/test.sh`",
    ),
    Setting(
        "POCMAP_UPDATE_SCREENSHOT",
        "unset: compare with the reference screenshots",
        "`1`: the browser tests write their screenshots as the new references.",
        "`tests/browser/test_joint_map_in_browser.py`, `tests/browser/test_analysis_in_browser.py`",
    ),
    Setting(
        "POCMAP_TEST_READY_FILE",
        "unset (set by the test itself)",
        "A file the bound tests' worker writes its process id and temporary copy to.",
        "`tests/ingest/readers/_bounded_work.py`",
    ),
)
"""The test suite's and the development scripts' (never read by pocmap itself)."""

ALL: tuple[Setting, ...] = SETTINGS + DEPLOY_SETTINGS + TEST_SETTINGS
BY_NAME: dict[str, Setting] = {s.name: s for s in ALL}

_GROUPS = (
    ("Running pocmap", SETTINGS, "Read by the app and the `pocmap` command."),
    (
        "Deployment",
        DEPLOY_SETTINGS,
        "Read by docker compose from `deploy/.env` (see `docs/deployment.md`).",
    ),
    (
        "Tests and development",
        TEST_SETTINGS,
        "Read by the test suite and `scripts/`; pocmap itself never reads them.",
    ),
)


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def markdown() -> str:
    """``docs/configuration.md``: a table of every setting, by group."""
    lines = [
        "# Configuration",
        "",
        "pocmap is configured by environment variables; every one is listed here, with its",
        "default and meaning. This file is generated from `config/settings.py`, the one list",
        "(`python -m config.settings --markdown > docs/configuration.md`); a test fails when",
        "they differ, or when the code reads a `POCMAP_*` variable the list lacks.",
    ]
    for title, settings, about in _GROUPS:
        lines += ["", f"## {title}", "", about, ""]
        lines += ["| Variable | Default | Meaning | Read by |", "| --- | --- | --- | --- |"]
        for s in settings:
            meaning = s.meaning + (
                f" See [{s.see}]({s.see.removeprefix('docs/')})." if s.see else ""
            )
            lines.append(
                f"| `{s.name}` | {_cell(s.default)} | {_cell(meaning)} | {_cell(s.used_by)} |"
            )
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m config.settings``: the settings as a list, or ``--markdown``."""
    parser = argparse.ArgumentParser(prog="python -m config.settings", description=__doc__)
    parser.add_argument("--markdown", action="store_true", help="print docs/configuration.md")
    args = parser.parse_args(argv)
    if args.markdown:
        sys.stdout.write(markdown())
        return 0
    for s in ALL:
        print(f"{s.name}={s.value()!r}  (default: {s.default})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
