"""Sections of the Upload page: mapping editor, accounting, report, preview, batch history."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from ingest.report import REPORT_HEADINGS, report_csv, report_xlsx
from layers.preview import build_preview
from schema.catalogue import LAYER_SPECS, id_field
from ui import downloads
from ui.text import md

if TYPE_CHECKING:
    from store.protocol import StoreLike

NOT_MAPPED = "(not in this file)"


def office_choices(store: StoreLike) -> list[str]:
    """Offices known from mission presence and earlier batches."""
    presence = store.layer("mission_presence")
    names = set(presence["field_office"].dropna()) if len(presence) else set()
    names |= {b.office for b in store.batches()}
    return sorted(names)


def mapping_editor(preview: Any, layer: str) -> dict[str, str]:
    """The schema's columns beside the file column each comes from; editable."""
    columns = [str(c) for c in preview.table.records.columns if c != "geometry"]
    wanted = [f.name for f in LAYER_SPECS[layer].fields]
    if LAYER_SPECS[layer].geometry_types and not preview.table.has_geometry:
        wanted += ["latitude", "longitude"]
    mapping = dict(preview.mapped.mapping)
    table = pd.DataFrame(
        {
            "pocmap column": wanted,
            "comes from": [mapping.get(name, NOT_MAPPED) for name in wanted],
            "required": [f.required for f in LAYER_SPECS[layer].fields]
            + [True] * (len(wanted) - len(LAYER_SPECS[layer].fields)),
        }
    )
    edited = st.data_editor(
        table,
        key=f"upload_mapping_{preview.upload.sha256[:12]}_{layer}",
        hide_index=True,
        disabled=["pocmap column", "required"],
        column_config={
            "comes from": st.column_config.SelectboxColumn(
                options=[NOT_MAPPED, *columns], required=True
            )
        },
        width="stretch",
    )
    # Only rows a person changed become overrides ("" = not in this file); the rest stay
    # the profile's, including sources that are not plain columns (Kobo's "_geolocation").
    before = dict(zip(table["pocmap column"], table["comes from"], strict=True))
    return {
        name: ("" if source == NOT_MAPPED else source)
        for name, source in zip(edited["pocmap column"], edited["comes from"], strict=True)
        if source != before[name]
    }


def accounting(preview: Any) -> None:
    counts = preview.result.counts
    st.subheader("Every row accounted for")
    cols = st.columns(5)
    cols[0].metric("Rows read", f"{preview.result.rows_read:,}")
    cols[1].metric("Accepted", f"{counts['accepted']:,}")
    cols[2].metric("Accepted with a warning", f"{counts['accepted_with_warning']:,}")
    # Rows the layer does not hold (an ACLED protest): counted, nothing to fix.
    cols[3].metric("Out of scope", f"{counts['out_of_scope']:,}")
    cols[4].metric("Rejected", f"{counts['rejected']:,}")
    for note in preview.notes:
        st.caption(md(note))


def report(preview: Any) -> None:
    lines = preview.result.report
    st.subheader("Report")
    if not len(lines):
        st.write("No problem found in any row.")
        return
    # Empty cells shown empty (a table would print None); row numbers stay numbers unless a
    # line is about the whole file (row "all"), when the column is text.
    shown = lines.copy()
    for column in shown.columns.drop("row"):
        shown[column] = shown[column].astype(object).where(shown[column].notna(), "")
    if (shown["row"].astype(str) == "all").any():
        shown["row"] = shown["row"].astype(str)
    st.dataframe(shown.rename(columns=REPORT_HEADINGS), hide_index=True, width="stretch")
    header = preview.header()
    stem = preview.upload.name.rsplit(".", 1)[0]
    left, right = st.columns(2)
    downloads.button(
        left,
        "Download the report (CSV)",
        partial(report_csv, header, lines),
        file_name=f"{stem}-report.csv",
        mime="text/csv",
        key="upload_report_csv",
    )
    downloads.button(
        right,
        "Download the report (Excel)",
        partial(report_xlsx, header, lines),
        file_name=f"{stem}-report.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key="upload_report_xlsx",
    )


def map_preview(store: StoreLike, preview: Any, layer: str) -> None:
    accepted = preview.result.accepted
    if not LAYER_SPECS[layer].geometry_types or not len(accepted):
        return
    st.subheader("What would be imported")
    key = id_field(LAYER_SPECS[layer])
    m = build_preview(
        accepted,
        label_column=key.name if key else None,
        base=store.layer("basemap"),
        admin=store.layer("admin_boundaries"),
    )
    st_folium(m, height=380, width="stretch", returned_objects=[], key="upload_map", render=False)


def batch_history(store: StoreLike) -> None:
    st.subheader("Batches in the store")
    batches = store.batches()
    if not batches:
        st.write("None yet.")
        return
    st.dataframe(
        pd.DataFrame(
            {
                "batch": [b.batch_id for b in batches],
                "status": [
                    b.status if b.status == "withdrawn" else b.review.replace("_", " ")
                    for b in batches
                ],
                "layer": [b.layer for b in batches],
                "office": [b.office for b in batches],
                "imported": [b.imported_at for b in batches],
                "by": [b.uploader for b in batches],
                "file": [b.source_name for b in batches],
                "rows read": [b.rows_read for b in batches],
                "accepted": [b.accepted + b.accepted_with_warning for b in batches],
                "out of scope": [b.out_of_scope for b in batches],
                "rejected": [b.rejected for b in batches],
            }
        ),
        hide_index=True,
        width="stretch",
    )
    chosen = st.selectbox(
        "Batch", [b.batch_id for b in batches], key="history_batch", format_func=str
    )
    batch = next(b for b in batches if b.batch_id == chosen)
    left, mid, right = st.columns(3)
    if store.may("view_batch_details", batch.office):
        original = store.original(batch.batch_id)
        downloads.button(
            left,
            "Original file",
            partial(bytes, original.data),
            file_name=original.name,
            mime="application/octet-stream",
            key="history_original",
        )
    if not store.may("withdraw"):
        return
    if batch.status == "active":
        reason = mid.text_input("Why withdraw it", key="history_reason")
        if right.button("Withdraw", key="history_withdraw", disabled=not reason.strip()):
            store.withdraw(batch.batch_id, reason=reason.strip())
            st.rerun()
    elif right.button("Restore", key="history_restore"):
        try:
            store.restore(batch.batch_id)
        except ValueError as err:
            st.error(md(err))
        else:
            st.rerun()
