"""The PostGIS deployment of docs/deployment.md, on the real test server: an owner role
migrates the schema and grants, an application role runs pocmap and can do everything
the app does, but cannot alter a table, disable or drop a trigger, or change or delete
an audit entry; what the owner could still do is caught by ``pocmap audit --verify``."""

from __future__ import annotations

import dataclasses
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pandas as pd
import psycopg
import pytest

from cli import main
from store import StoreError, open_store
from store.base import UNDER_REVIEW
from tests.store import helpers

pytestmark = pytest.mark.postgis
SAMPLE = Path(__file__).resolve().parents[2] / "sample_data" / "incidents.csv"


def _as(url: str, user: str) -> str:
    parts = urlsplit(url)
    host = parts.netloc.rsplit("@", 1)[-1]
    return urlunsplit(parts._replace(netloc=f"{user}@{host}"))


@pytest.fixture
def roles(postgis_url, postgis_admin_url):
    """``(owner URL, app URL, app role)``: two new roles, as the deployment guide makes them
    (the owner owns the database; the app role may only connect), dropped afterwards."""
    suffix = uuid.uuid4().hex[:8]
    owner, app = f"pocmap_owner_{suffix}", f"pocmap_app_{suffix}"
    database = urlsplit(postgis_url).path.lstrip("/")
    with psycopg.connect(postgis_url, autocommit=True) as conn:
        conn.execute(f"CREATE ROLE {owner} LOGIN")
        conn.execute(f"CREATE ROLE {app} LOGIN")
        conn.execute(f'ALTER DATABASE "{database}" OWNER TO {owner}')
        conn.execute(f'REVOKE ALL ON DATABASE "{database}" FROM PUBLIC')
        conn.execute(f'GRANT CONNECT ON DATABASE "{database}" TO {app}')
    try:
        yield _as(postgis_url, owner), _as(postgis_url, app), app
    finally:
        with psycopg.connect(postgis_admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
            conn.execute(f"DROP ROLE IF EXISTS {app}")
            conn.execute(f"DROP ROLE IF EXISTS {owner}")


def _refused(url: str, statement: str) -> str:
    """Run ``statement`` as ``url``'s role; it must be refused for want of privilege."""
    with psycopg.connect(url) as conn:
        with pytest.raises(psycopg.errors.InsufficientPrivilege) as refused:
            conn.execute(statement)
    return str(refused.value)


def test_the_app_role_runs_pocmap_but_cannot_rewrite_the_audit_log(
    roles, tmp_path, monkeypatch, capsys
):
    owner_url, app_url, app = roles
    # Before the owner has migrated, the app role cannot make the schema, and says who can.
    with pytest.raises(StoreError, match=r"may not change the schema .*pocmap migrate-schema"):
        open_store(app_url)

    assert main(["migrate-schema", "--db", owner_url, "--app-role", app]) == 0
    out = capsys.readouterr().out
    assert "is at schema version 6 (this pocmap's: 6)" in out
    assert f"granted to {app}:" in out

    # The app role runs the store: import, save a mapping, accept, recode, withdraw,
    # restore, export the audit log, verify it.
    monkeypatch.setenv("POCMAP_DB", app_url)
    sample = tmp_path / "kalondo.csv"
    sample.write_text("".join(SAMPLE.read_text().splitlines(keepends=True)[:11]))
    assert (
        main(["import", str(sample), "--layer", "incidents", "--office", "Kalondo office",
              "--save-mapping", "kalondo", "--uploader", "ana"])
        == 0
    )  # fmt: skip
    store = open_store(app_url)
    (batch,) = store.batches()
    assert batch.rows_read == 10 and store.mappings("incidents") == {"kalondo": batch.mapping}
    rows = helpers.incidents(2, "WAIT")
    waiting = dataclasses.replace(
        helpers.new_batch("incidents", rows, b"wait"), review=UNDER_REVIEW
    )
    store.commit_batch(
        waiting, rows, report=helpers.REPORT, original=b"wait", id_column="incident_id"
    )
    assert main(["accept", "2", "--by", "ana"]) == 0
    recode = ["recode", "INC-000001", "--motivation", "predation", "--reason", "cattle"]
    assert main([*recode, "--by", "ana"]) == 0
    assert main(["withdraw", "2", "--reason", "sent twice", "--by", "ana"]) == 0
    assert main(["restore", "2", "--by", "ana"]) == 0
    assert main(["audit", "--csv", str(tmp_path / "audit.csv")]) == 0
    capsys.readouterr()
    assert main(["audit", "--verify"]) == 0
    assert "audit log intact: 9 entries" in capsys.readouterr().out
    actions = store.audit_log()["action"].tolist()
    assert actions == [
        # The first import's two possible repeats of one report are queued for an analyst.
        "upload", "link", "save_mapping", "upload", "review", "edit", "withdraw", "restore",
        "export",
    ]  # fmt: skip

    # What the README's earlier deployment let the app's role do is refused.
    for statement in (
        "ALTER TABLE pocmap.audit_log DISABLE TRIGGER audit_log_append_only",
        "ALTER TABLE pocmap.audit_log DISABLE TRIGGER ALL",
        "DROP TRIGGER audit_log_append_only ON pocmap.audit_log",
        "DROP TABLE pocmap.audit_log",
        "ALTER TABLE pocmap.audit_log ADD COLUMN note TEXT",
        "CREATE TABLE pocmap.scratch (x int)",
    ):
        said = _refused(app_url, statement)
        assert "must be owner" in said or "permission denied for schema" in said, said
    for statement in (
        "UPDATE pocmap.audit_log SET details = '{}' WHERE seq = 3",
        "DELETE FROM pocmap.audit_log WHERE seq = 3",
        "TRUNCATE pocmap.audit_log",
        "UPDATE pocmap.edits SET after = 'revenge'",
        "DELETE FROM pocmap.edits",
        "UPDATE pocmap.incidents SET narrative = 'rewritten'",
        "DELETE FROM pocmap.batches",
        "INSERT INTO pocmap.schema_migrations VALUES (99, 'x', 'now')",
    ):
        assert "permission denied for table" in _refused(app_url, statement)
    assert open_store(app_url).verify_audit().intact
    # It sets what pocmap derives itself (places from the map, links), those columns only.
    note = pd.DataFrame({"place_note": ["outside the loaded boundaries"]}, index=["INC-000001"])
    assert open_store(app_url).set_derived("incidents", note, by="ana", reason="placed") == 1
    # Double coding (migration 5): the app role adds samples, blind codes and resolutions,
    # and can change none of them.
    app_store = open_store(app_url)
    drawn = app_store.add_coding_sample(
        "pilot", ["INC-000001"], seed=1, method="simple", filter_description="{}", by="ana"
    )
    app_store.add_blind_code(drawn, "INC-000001", motivation="revenge", confidence=None, by="ana")
    app_store.resolve_coding(
        drawn, "INC-000001", motivation="revenge", confidence=None, reason="r", by="ana"
    )
    for table in ("coding_samples", "coding_sample_items", "blind_codes", "coding_resolutions"):
        for statement in (
            f"UPDATE pocmap.{table} SET sample_id = 9",
            f"DELETE FROM pocmap.{table}",
        ):
            assert "permission denied for table" in _refused(app_url, statement)

    # The owner still can (it owns the tables): that is why the app never runs as it, and
    # why the chain is there. Its rewrite is found.
    with psycopg.connect(owner_url) as conn:
        conn.execute("ALTER TABLE pocmap.audit_log DISABLE TRIGGER audit_log_append_only")
        conn.execute("UPDATE pocmap.audit_log SET actor = 'nobody' WHERE seq = 5")
        conn.execute("DELETE FROM pocmap.audit_log WHERE seq = 6")
        conn.execute("ALTER TABLE pocmap.audit_log ENABLE TRIGGER audit_log_append_only")
    assert main(["audit", "--verify"]) == 3
    out = capsys.readouterr().out
    assert "seq 5: content changed: seq 5 (review by nobody at " in out
    assert "seq 7: entries missing: seq 6 missing" in out


def test_an_app_role_that_owns_the_tables_is_refused_its_grants(roles, capsys):
    owner_url, _, _ = roles
    owner = urlsplit(owner_url).username
    assert main(["migrate-schema", "--db", owner_url, "--app-role", owner]) == 2
    err = capsys.readouterr().err
    assert f"role '{owner}' owns the pocmap schema or its tables" in err
    assert "the application role must be a separate role that owns nothing" in err


DOCS = Path(__file__).resolve().parents[2] / "docs" / "deployment.md"


def _hand_over_sql(owner: str) -> str:
    """The SQL block of docs/deployment.md that hands a superuser's tables to the owner."""
    text = DOCS.read_text()
    block = text[text.index("<!-- hand-over") :].split("```sql\n", 1)[1].split("```", 1)[0]
    return block.replace("pocmap_owner", owner)


def test_a_store_made_by_a_superuser_is_handed_over_as_the_guide_says(roles, capsys):
    owner_url, app_url, app = roles
    superuser_url = _as(owner_url, "postgres")
    old = open_store(superuser_url)  # the earlier Docker setup: the app ran as the superuser
    old.record("export", by="ana")
    owner = urlsplit(owner_url).username
    with psycopg.connect(superuser_url, autocommit=True) as conn:
        conn.execute(_hand_over_sql(owner))
    assert main(["migrate-schema", "--db", owner_url, "--app-role", app]) == 0
    capsys.readouterr()
    store = open_store(app_url)
    store.record("briefing", by="ana")
    assert store.verify_audit().intact and store.verify_audit().entries == 2
    said = _refused(app_url, "ALTER TABLE pocmap.audit_log DISABLE TRIGGER audit_log_append_only")
    assert "must be owner" in said
    with psycopg.connect(owner_url) as conn:  # the owner now owns every table
        owners = conn.execute(
            "SELECT DISTINCT tableowner FROM pg_tables WHERE schemaname = 'pocmap'"
        ).fetchall()
    assert owners == [(owner,)]


def test_an_app_role_without_its_grants_is_told_who_gives_them(roles):
    owner_url, app_url, app = roles
    assert main(["migrate-schema", "--db", owner_url]) == 0  # no --app-role
    with pytest.raises(StoreError, match=rf"the role {app} may not read the pocmap schema; "):
        open_store(app_url)
