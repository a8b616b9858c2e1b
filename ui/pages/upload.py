"""Upload: a field office's file into the store, with every row accounted for."""

from __future__ import annotations

import streamlit as st

from access.roles import ANALYST, FIELD_OFFICE, ROLE_LABELS, Caller
from access.session import Session
from ingest import office_words, readers
from ingest.pipeline import ImportOptions, commit_import, preview_import
from ingest.profiles import PROFILE_LABELS, PROFILES, cod_ab
from ingest.values import DATE_ORDER_LABELS, DATE_ORDERS
from languages import N_, _, ngettext
from schema.catalogue import LAYER_LABELS, LAYER_SPECS
from schema.upload import MB, IngestError, Limits, Upload
from ui import auth, language, upload_parts
from ui.data import data_folder, session, store
from ui.text import md

# Options that are not data (an office, a layer of the file): kept in English as the
# widget's value, shown in the person's language.
ANOTHER_OFFICE = N_("Another office…")
BOTH_LAYERS = N_("COD-AB: the admin1 and admin2 layers")


def _option(value: object) -> str:
    """An option as shown: ours translated, the file's and the store's as they are."""
    return _(value) if value in (ANOTHER_OFFICE, BOTH_LAYERS) else str(value)


st.title(_("Upload a file"))
st.caption(
    _(
        "Excel, CSV (Kobo/ODK, ACLED, UCDP, your own), GeoJSON, zipped shapefile, GeoPackage, "
        "KML/KMZ. Nothing is written until you press Import; every row is accounted for."
    )
)
if data_folder() is not None:
    st.warning(_("The map shows a folder of files (POCMAP_DATA_DIR); uploads go to the store."))

the_store = session()
auth.show(the_store)
if not the_store.may("upload", the_store.caller.office):
    st.info(
        _(
            "Your role ({role}) does not upload data: field offices and analysts do.",
            role=ROLE_LABELS.get(the_store.caller.role, the_store.caller.role),
        )
    )
    st.stop()
left, right = st.columns(2)
layer = left.selectbox(
    _("Layer"), tuple(LAYER_SPECS), format_func=LAYER_LABELS.get, key="upload_layer"
)
if the_store.caller.role == FIELD_OFFICE:
    # A field office uploads for itself only (the data layer refuses anything else).
    office = right.selectbox(_("Field office"), [the_store.caller.office], key="upload_office")
else:
    office = right.selectbox(
        _("Field office"),
        [*upload_parts.office_choices(the_store), ANOTHER_OFFICE],
        format_func=_option,
        key="upload_office",
    )
    if office == ANOTHER_OFFICE:
        office = right.text_input(_("Office name"), key="upload_new_office", max_chars=80).strip()
if the_store.sign_in_method is None:
    # Access control is off: whoever is at this machine says who they are.
    uploader = left.text_input(_("Your name"), key="upload_uploader", max_chars=80)
    if uploader.strip():
        the_store = Session(store(), Caller(uploader.strip(), ANALYST))
order = right.selectbox(
    _("How the office writes 03/04/2024"),
    (None, *DATE_ORDERS),
    format_func=lambda o: _("Not sure: refuse such dates") if o is None else DATE_ORDER_LABELS[o],
    key="upload_date_order",
)
extensions = list(readers.FORMATS)
# Streamlit's own words on the uploader (its button, its limit) in the person's language,
# with pocmap's upload limit, which is the one that refuses a file.
try:
    limit_mb = Limits.from_env().max_bytes / MB
except ValueError:  # a wrong POCMAP_MAX_UPLOAD_MB: the import says so; the default here
    limit_mb = Limits().max_bytes / MB
language.file_uploader_in_language(limit_mb, extensions)
sent = st.file_uploader(_("File"), type=[ext.lstrip(".") for ext in extensions], key="upload_file")

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
        cod_ab_layers, _others = cod_ab.choose_layers(choices)
        # An HDX COD-AB GeoPackage: its admin1 and admin2 layers together, unless one is chosen.
        both = layer == "admin_boundaries" and upload.extension == ".gpkg" and cod_ab_layers
        shown = [BOTH_LAYERS, *choices] if both else choices
        part = st.selectbox(_("Sheet or layer"), shown, format_func=_option, key="upload_part")
        part = None if part == BOTH_LAYERS else part
    profile_col, saved_col = st.columns(2)
    profile = profile_col.selectbox(
        _("Columns"),
        options=("auto", *PROFILES),
        format_func=PROFILE_LABELS.get,
        key="upload_profile",
    )
    saved = the_store.mappings(layer)
    use_saved = saved_col.selectbox(
        _("Saved mapping"),
        (None, *sorted(saved)),
        format_func=lambda name: _("None") if name is None else name,
        key="upload_saved_mapping",
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

    st.subheader(_("Columns"))
    st.write(
        _(
            "Read as **{format}**; columns: **{profile}** ({reason}).",
            format=preview.table.format,
            profile=PROFILE_LABELS[preview.mapped.profile],
            reason=preview.profile_reason,
        )
    )
    meanings = upload_parts.office_words(preview, layer, overrides_key)
    if meanings:
        st.session_state[overrides_key] = office_words.with_translations(
            st.session_state.get(overrides_key, {}), meanings
        )
        st.rerun()
    changed = upload_parts.mapping_editor(preview, layer)
    if changed:
        st.session_state[overrides_key] = {
            **st.session_state.get(overrides_key, {}),
            **changed,
        }
        st.rerun()

    upload_parts.accounting(preview)
    upload_parts.difference(preview)
    upload_parts.report(preview)
    upload_parts.map_preview(the_store, preview, layer)

    if preview.already_imported is not None and preview.already_imported.status == "active":
        if preview.already_imported_shown:
            st.error(
                _(
                    "This file is already imported as batch {batch}. Withdraw that batch "
                    "below to import it again.",
                    batch=preview.already_imported.batch_id,
                )
            )
        else:
            st.error(
                _(
                    "This file was already sent by another office and waits for an analyst's "
                    "review, so it cannot be imported twice; ask an analyst."
                )
            )
    else:
        keep_as = st.text_input(_("Keep this column mapping as (optional)"), key="upload_keep_as")
        accepted = len(preview.result.accepted)
        if st.button(
            ngettext("Import {n} row as a batch", "Import {n} rows as a batch", accepted),
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
                said = _(
                    "Imported as batch {batch}: {file}.",
                    batch=batch.batch_id,
                    file=md(batch.source_name),
                )
                if batch.review == "under_review":
                    said += " " + _("It waits for an analyst's review before it shows on the map.")
                st.success(said)

upload_parts.batch_history(the_store)
