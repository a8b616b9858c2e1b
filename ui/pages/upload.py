"""Upload: a field office's file into the store, with every row accounted for."""

from __future__ import annotations

import streamlit as st

from access.roles import ANALYST, FIELD_OFFICE, Caller
from access.session import Session
from ingest import readers
from ingest.pipeline import ImportOptions, commit_import, preview_import
from ingest.profiles import PROFILE_LABELS, PROFILES, cod_ab
from ingest.values import DATE_ORDER_LABELS, DATE_ORDERS
from schema.catalogue import LAYER_LABELS, LAYER_SPECS
from schema.upload import IngestError, Upload
from ui import auth, upload_parts
from ui.data import data_folder, session, store
from ui.text import md

st.title("Upload a file")
st.caption(
    "Excel, CSV (Kobo/ODK, ACLED, UCDP, your own), GeoJSON, zipped shapefile, GeoPackage, "
    "KML/KMZ. Nothing is written until you press Import; every row is accounted for."
)
if data_folder() is not None:
    st.warning("The map shows a folder of files (POCMAP_DATA_DIR); uploads go to the store.")

the_store = session()
auth.show(the_store)
if not the_store.may("upload", the_store.caller.office):
    st.info(
        f"Your role ({the_store.caller.role}) does not upload data: field offices and analysts do."
    )
    st.stop()
left, right = st.columns(2)
layer = left.selectbox(
    "Layer", tuple(LAYER_SPECS), format_func=LAYER_LABELS.get, key="upload_layer"
)
ANOTHER_OFFICE = "Another office…"
BOTH_LAYERS = "COD-AB: the admin1 and admin2 layers"
if the_store.caller.role == FIELD_OFFICE:
    # A field office uploads for itself only (the data layer refuses anything else).
    office = right.selectbox("Field office", [the_store.caller.office], key="upload_office")
else:
    office = right.selectbox(
        "Field office",
        [*upload_parts.office_choices(the_store), ANOTHER_OFFICE],
        key="upload_office",
    )
    if office == ANOTHER_OFFICE:
        office = right.text_input("Office name", key="upload_new_office", max_chars=80).strip()
if the_store.sign_in_method is None:
    # Access control is off: whoever is at this machine says who they are.
    uploader = left.text_input("Your name", key="upload_uploader", max_chars=80)
    if uploader.strip():
        the_store = Session(store(), Caller(uploader.strip(), ANALYST))
order = right.selectbox(
    "How the office writes 03/04/2024",
    (None, *DATE_ORDERS),
    format_func=lambda o: "Not sure: refuse such dates" if o is None else DATE_ORDER_LABELS[o],
    key="upload_date_order",
)
sent = st.file_uploader(
    "File", type=[ext.lstrip(".") for ext in readers.FORMATS], key="upload_file"
)

if sent is not None and office:
    upload = Upload(sent.name, sent.getvalue())
    choices = []
    try:
        choices = readers.sheets_or_layers(upload)
    except IngestError as err:
        st.error(md(err))
        st.stop()
    part = None
    if len(choices) > 1:
        cod_ab_layers, _ = cod_ab.choose_layers(choices)
        # An HDX COD-AB GeoPackage: its admin1 and admin2 layers together, unless one is chosen.
        both = layer == "admin_boundaries" and upload.extension == ".gpkg" and cod_ab_layers
        shown = [BOTH_LAYERS, *choices] if both else choices
        part = st.selectbox("Sheet or layer", shown, key="upload_part")
        part = None if part == BOTH_LAYERS else part
    profile_col, saved_col = st.columns(2)
    profile = profile_col.selectbox(
        "Columns", ("auto", *PROFILES), format_func=PROFILE_LABELS.get, key="upload_profile"
    )
    saved = the_store.mappings(layer)
    use_saved = saved_col.selectbox(
        "Saved mapping", (None, *sorted(saved)), key="upload_saved_mapping"
    )
    overrides = dict(saved[use_saved]) if use_saved else {}
    # Hand edits to the mapping belong to this file and layer only.
    overrides_key = f"upload_overrides_{upload.sha256[:12]}_{layer}"
    overrides.update(st.session_state.get(overrides_key, {}))
    is_sheet = upload.extension in (".xlsx",)
    try:
        preview = preview_import(
            the_store,
            upload,
            the_store.import_options(
                ImportOptions(
                    layer=layer,
                    office=office,
                    profile=profile,
                    mapping=overrides or None,
                    sheet=part if is_sheet else None,
                    source_layer=None if is_sheet else part,
                    date_order=order,
                )
            ),
        )
    except (IngestError, ValueError) as err:
        st.error(md(err))
        st.stop()

    st.subheader("Columns")
    st.write(
        f"Read as **{preview.table.format}**; columns: **{PROFILE_LABELS[preview.mapped.profile]}**"
        f" ({preview.profile_reason})."
    )
    changed = upload_parts.mapping_editor(preview, layer)
    if changed:
        st.session_state[overrides_key] = {
            **st.session_state.get(overrides_key, {}),
            **changed,
        }
        st.rerun()

    upload_parts.accounting(preview)
    upload_parts.report(preview)
    upload_parts.map_preview(the_store, preview, layer)

    if preview.already_imported is not None and preview.already_imported.status == "active":
        if preview.already_imported_shown:
            st.error(
                f"This file is already imported as batch {preview.already_imported.batch_id}. "
                "Withdraw that batch below to import it again."
            )
        else:
            st.error(
                "This file was already sent by another office and waits for an analyst's "
                "review, so it cannot be imported twice; ask an analyst."
            )
    else:
        keep_as = st.text_input("Keep this column mapping as (optional)", key="upload_keep_as")
        accepted = len(preview.result.accepted)
        if st.button(
            f"Import {accepted:,} row(s) as a batch",
            type="primary",
            disabled=accepted == 0,
            key="upload_import",
        ):
            try:
                batch = commit_import(the_store, preview)
            except IngestError as err:
                st.error(md(err))
            else:
                if keep_as.strip():
                    the_store.save_mapping(
                        keep_as.strip(),
                        layer,
                        dict(preview.mapped.mapping),
                        office=office,
                    )
                waits = " It waits for an analyst's review before it shows on the map."
                st.success(
                    f"Imported as batch {batch.batch_id}: {md(batch.source_name)}."
                    + (waits if batch.review == "under_review" else "")
                )

upload_parts.batch_history(the_store)
