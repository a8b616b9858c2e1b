"""The synthetic Carana sample, loaded into a store through the same path as any upload."""

from __future__ import annotations

from ingest.pipeline import ImportOptions, commit_import, preview_import
from schema.mission import FILES, SAMPLE_DIR
from schema.upload import Upload
from store.base import Batch
from store.protocol import StoreLike

SAMPLE_OFFICE = "Carana sample (synthetic)"
SAMPLE_UPLOADER = "pocmap sample loader"
IMPORT_ORDER = (
    # Boundaries first: every later layer is checked against the mission area they draw.
    "admin_boundaries",
    "basemap",
    "mission_presence",
    "national_milestones",
    "local_processes",
    "local_agreements",
    "incidents",
)


def load_sample_into(store: StoreLike) -> list[Batch]:
    """Import every sample file as its own batch; files already imported are skipped.

    Returns the batches committed now. Every sample row must be accepted: a rejected
    one means the sample and the checks disagree, which is a bug worth failing on.
    """
    committed = []
    for layer in IMPORT_ORDER:
        path = SAMPLE_DIR / FILES[layer]
        upload = Upload(path.name, path.read_bytes())
        if store.find_upload(layer, upload.sha256) is not None:
            continue
        preview = preview_import(
            store,
            upload,
            ImportOptions(
                layer=layer, office=SAMPLE_OFFICE, uploader=SAMPLE_UPLOADER, profile="native"
            ),
        )
        rejected = preview.result.counts["rejected"]
        if rejected:
            raise RuntimeError(
                f"sample file {path.name}: {rejected} row(s) rejected:\n"
                + preview.result.report.head(10).to_string()
            )
        committed.append(commit_import(store, preview))
    return committed


def is_sample_only(batches: list[Batch]) -> bool:
    """Whether every batch in the store came from the sample loader."""
    return bool(batches) and all(b.uploader == SAMPLE_UPLOADER for b in batches)
