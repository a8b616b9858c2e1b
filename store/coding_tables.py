"""The double-coding tables (migration 5, issue #23), both backends: their names, columns
and DDL, apart from :mod:`store.double_coding` so that :mod:`store.schema` can name them
without importing the store's code."""

from __future__ import annotations

from collections.abc import Sequence

from schema.incidents import CONFIDENCES, MOTIVATIONS

TABLES = ("coding_samples", "coding_sample_items", "blind_codes", "coding_resolutions")
"""In creation order (each refers to the ones before)."""
SAMPLE_COLUMNS = (
    "sample_id", "name", "drawn_by", "drawn_at", "seed", "size", "method", "filter",
)  # fmt: skip
ITEM_COLUMNS = ("sample_id", "position", "incident_id")
CODE_COLUMNS = (
    "code_id", "sample_id", "incident_id", "coder", "motivation", "confidence", "coded_at",
)  # fmt: skip
RESOLUTION_COLUMNS = (
    "resolution_id", "sample_id", "incident_id", "motivation", "confidence", "resolved_by",
    "resolved_at", "reason",
)  # fmt: skip
IDENTITIES = (
    ("coding_samples", "sample_id"),
    ("blind_codes", "code_id"),
    ("coding_resolutions", "resolution_id"),
)
"""Numbers ``pocmap migrate`` copies as they are (PostgreSQL's identities continue after)."""
CODERS_PER_ITEM = 2


def double_coding_ddl(id_type: str, append_only: Sequence[str]) -> tuple[str, ...]:
    """Version 5 (issue #23), both backends: the tables, for a backend whose identity column
    is ``id_type``; ``append_only`` are the backend's statements refusing changes, with
    ``{table}`` where each table's name goes."""
    motivations = ", ".join(f"'{m}'" for m in MOTIVATIONS)
    confidences = ", ".join(f"'{c}'" for c in CONFIDENCES)
    return (
        f"CREATE TABLE coding_samples (sample_id {id_type}, name TEXT NOT NULL, "
        "drawn_by TEXT NOT NULL, drawn_at TEXT NOT NULL, seed BIGINT NOT NULL, "
        "size INTEGER NOT NULL, method TEXT NOT NULL, filter TEXT NOT NULL)",
        "CREATE TABLE coding_sample_items (sample_id BIGINT NOT NULL "
        "REFERENCES coding_samples (sample_id), position INTEGER NOT NULL, "
        "incident_id TEXT NOT NULL, PRIMARY KEY (sample_id, incident_id), "
        "UNIQUE (sample_id, position))",
        f"CREATE TABLE blind_codes (code_id {id_type}, sample_id BIGINT NOT NULL, "
        "incident_id TEXT NOT NULL, coder TEXT NOT NULL, "
        f"motivation TEXT NOT NULL CHECK (motivation IN ({motivations})), "
        f"confidence TEXT CHECK (confidence IN ({confidences})), coded_at TEXT NOT NULL, "
        "FOREIGN KEY (sample_id, incident_id) "
        "REFERENCES coding_sample_items (sample_id, incident_id), "
        "UNIQUE (sample_id, incident_id, coder))",
        f"CREATE TABLE coding_resolutions (resolution_id {id_type}, sample_id BIGINT NOT NULL, "
        "incident_id TEXT NOT NULL, "
        f"motivation TEXT NOT NULL CHECK (motivation IN ({motivations})), "
        f"confidence TEXT CHECK (confidence IN ({confidences})), resolved_by TEXT NOT NULL, "
        "resolved_at TEXT NOT NULL, reason TEXT NOT NULL, "
        "FOREIGN KEY (sample_id, incident_id) "
        "REFERENCES coding_sample_items (sample_id, incident_id), "
        "UNIQUE (sample_id, incident_id))",
        *(statement.format(table=table) for table in TABLES for statement in append_only),
    )
