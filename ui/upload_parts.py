"""Sections of the Upload page: mapping editor, accounting, report, preview, batch history."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from ingest.findings import ACCEPTED, OUT_OF_SCOPE, REJECTED, WARNING
from ingest.report import REPORT_HEADINGS, report_csv, report_xlsx
from languages import N_, Labels, _, format_number, ngettext
from layers.preview import build_preview
from schema.catalogue import LAYER_LABELS, LAYER_SPECS, id_field
from ui import downloads, language
from ui.text import md

if TYPE_CHECKING:
    from store.protocol import StoreLike

NOT_MAPPED = N_("(not in this file)")
STATUS_LABELS = Labels(
    {
        "withdrawn": N_("withdrawn"),
        "under_review": N_("under review"),
        "accepted": N_("accepted"),
    }
)
"""A batch's state: withdrawn, else its review."""


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
    # The table's own column names stay codes (the editor's state is kept under them
    # across languages); the headings people read are the column configuration's labels.
    not_mapped = _(NOT_MAPPED)
    table = pd.DataFrame(
        {
            "pocmap column": wanted,
            "comes from": [mapping.get(name, not_mapped) for name in wanted],
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
            "pocmap column": st.column_config.TextColumn(_("pocmap column")),
            "comes from": st.column_config.SelectboxColumn(
                _("comes from"), options=[not_mapped, *columns], required=True
            ),
            "required": st.column_config.CheckboxColumn(_("required")),
        },
        width="stretch",
    )
    # Only rows a person changed become overrides ("" = not in this file); the rest stay
    # the profile's, including sources that are not plain columns (Kobo's "_geolocation").
    before = dict(zip(table["pocmap column"], table["comes from"], strict=True))
    return {
        name: ("" if source == not_mapped else source)
        for name, source in zip(edited["pocmap column"], edited["comes from"], strict=True)
        if source != before[name]
    }


def accounting(preview: Any) -> None:
    counts = preview.result.counts
    st.subheader(_("Every row accounted for"))
    cols = st.columns(5)
    shown = {outcome: format_number(count) for outcome, count in counts.items()}
    cols[0].metric(_("Rows read"), format_number(preview.result.rows_read))
    cols[1].metric(_("Accepted"), shown[ACCEPTED])
    cols[2].metric(_("Accepted with a warning"), shown[WARNING])
    # Rows the layer does not hold (an ACLED protest): counted, nothing to fix.
    cols[3].metric(_("Out of scope"), shown[OUT_OF_SCOPE])
    cols[4].metric(_("Rejected"), shown[REJECTED])
    for note in preview.notes:
        st.caption(md(note))


DIFFERENCE_HEADINGS = Labels(
    {
        "id": N_("id"),
        "column": N_("column"),
        "stored": N_("stored value"),
        "sent": N_("value in this file"),
        "kind": N_("what happens"),
    }
)
"""The headings of the table of changed cells of a file sent again."""
DIFFERENCE_KINDS = Labels(
    {
        "change": N_("updated on import"),
        "conflict": N_("kept: coded by an analyst"),
    }
)


def difference(preview: Any) -> None:
    """A corrected file sent again, before it is imported: how many rows are new, the same
    as stored (skipped) or updated, and every changed cell, stored value beside new."""
    found = getattr(preview, "difference", None)
    if found is None:
        return
    st.subheader(_("A corrected file sent again"))
    cols = st.columns(3)
    cols[0].metric(_("New rows"), format_number(found.new))
    cols[1].metric(_("Unchanged (skipped)"), format_number(found.unchanged))
    cols[2].metric(_("Updated"), format_number(found.changed))
    st.caption(
        _(
            "Rows whose ids your office sent before are compared with the stored ones. "
            "Unchanged rows are not stored again; an updated row becomes the current "
            "version once the batch is in analysis, the earlier one is kept (withdrawing "
            "the batch brings it back), and each change is kept in the history. A row left "
            "out of the file is not deleted."
        )
    )
    lines = found.lines
    if not len(lines):
        return
    shown = pd.DataFrame(
        {
            "id": lines["id"].astype(str),
            "column": lines["column"].astype(str),
            "stored": lines["stored"].map(lambda v: _("(empty)") if v is None else str(v)),
            "sent": lines["sent"].map(lambda v: _("(empty)") if v is None else str(v)),
            "kind": lines["kind"].map(lambda k: DIFFERENCE_KINDS.get(k, k)),
        }
    )
    headings = {c: DIFFERENCE_HEADINGS[c] for c in shown.columns}
    st.dataframe(shown.rename(columns=headings), hide_index=True, width="stretch")


def report(preview: Any) -> None:
    lines = preview.result.report
    st.subheader(_("Report"))
    if not len(lines):
        st.write(_("No problem found in any row."))
        return
    # Empty cells shown empty (a table would print None); row numbers stay numbers unless a
    # line is about the whole file (row "all"), when the column is text.
    shown = lines.copy()
    for column in shown.columns.drop("row"):
        shown[column] = shown[column].astype(object).where(shown[column].notna(), "")
    if (shown["row"].astype(str) == "all").any():
        shown["row"] = shown["row"].astype(str).replace("all", _("all"))
    if "outcome" in shown.columns:
        shown["outcome"] = shown["outcome"].map(lambda o: language.OUTCOME_LABELS.get(o, o))
    headings = {c: REPORT_HEADINGS[c] for c in shown.columns if c in REPORT_HEADINGS}
    st.dataframe(shown.rename(columns=headings), hide_index=True, width="stretch")
    header = preview.header()
    stem = preview.upload.name.rsplit(".", 1)[0]
    left, right = st.columns(2)
    downloads.button(
        left,
        _("Download the report (CSV)"),
        partial(report_csv, header, lines),
        file_name=f"{stem}-report.csv",
        mime="text/csv",
        key="upload_report_csv",
    )
    downloads.button(
        right,
        _("Download the report (Excel)"),
        partial(report_xlsx, header, lines),
        file_name=f"{stem}-report.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key="upload_report_xlsx",
    )


def map_preview(store: StoreLike, preview: Any, layer: str) -> None:
    accepted = preview.result.accepted
    if not LAYER_SPECS[layer].geometry_types or not len(accepted):
        return
    st.subheader(_("What would be imported"))
    key = id_field(LAYER_SPECS[layer])
    m = build_preview(
        accepted,
        label_column=key.name if key else None,
        base=store.layer("basemap"),
        admin=store.layer("admin_boundaries"),
    )
    st_folium(m, height=380, width="stretch", returned_objects=[], key="upload_map", render=False)


def batch_history(store: StoreLike) -> None:
    st.subheader(_("Batches in the store"))
    batches = store.batches()
    if not batches:
        st.write(_("None yet."))
        return
    st.dataframe(
        pd.DataFrame(
            {
                _("batch"): [b.batch_id for b in batches],
                _("status"): [
                    STATUS_LABELS["withdrawn"]
                    if b.status == "withdrawn"
                    else STATUS_LABELS.get(b.review, b.review)
                    for b in batches
                ],
                _("layer"): [LAYER_LABELS.get(b.layer, b.layer) for b in batches],
                _("office"): [b.office for b in batches],
                _("imported"): [b.imported_at for b in batches],
                _("by"): [b.uploader for b in batches],
                _("file"): [b.source_name for b in batches],
                _("rows read"): [b.rows_read for b in batches],
                _("accepted rows"): [b.accepted + b.accepted_with_warning for b in batches],
                _("out-of-scope rows"): [b.out_of_scope for b in batches],
                _("rejected rows"): [b.rejected for b in batches],
            }
        ),
        hide_index=True,
        width="stretch",
    )
    chosen = st.selectbox(
        _("Batch"), [b.batch_id for b in batches], key="history_batch", format_func=str
    )
    batch = next(b for b in batches if b.batch_id == chosen)
    left, mid, right = st.columns(3)
    if store.may("view_batch_details", batch.office):
        original = store.original(batch.batch_id)
        downloads.button(
            left,
            _("Original file"),
            partial(bytes, original.data),
            file_name=original.name,
            mime="application/octet-stream",
            key="history_original",
        )
    if not store.may("withdraw"):
        return
    if batch.status == "active":
        reason = mid.text_input(_("Why withdraw it"), key="history_reason")
        if right.button(_("Withdraw"), key="history_withdraw", disabled=not reason.strip()):
            store.withdraw(batch.batch_id, reason=reason.strip())
            st.rerun()
    elif right.button(_("Restore"), key="history_restore"):
        try:
            store.restore(batch.batch_id)
        except ValueError as err:
            st.error(md(err))
        else:
            st.rerun()


def office_words(preview: Any, layer: str, key: str) -> dict[str, dict[str, str]]:
    """The office's meaning of words that can mean more than one code ("Extorsion": a
    threat, or extraction?), asked once per word; ``{field: {word: code}}`` when the
    person applies them, else ``{}``. pocmap never chooses: a row holding such a word is
    refused until its meaning is given (``ingest.office_words``)."""
    choices = list(getattr(preview.mapped, "choices", []) or [])
    if not choices:
        return {}
    st.subheader(_("Your office's words"))
    st.caption(
        _(
            "These values can mean more than one code. Choose once what your office means: "
            "the rows holding them are refused until then, and the choice is kept with the "
            "column mapping when you keep it below."
        )
    )
    spec = LAYER_SPECS[layer]
    answers: dict[str, dict[str, str]] = {}
    for choice in choices:
        field = spec.field(choice.field)
        code = st.selectbox(
            ngettext(
                "“{value}” in {field} ({n} row) means",
                "“{value}” in {field} ({n} rows) means",
                len(choice.rows),
                value=md(choice.value),
                field=md(field.title),
            ),
            (None, *choice.codes),
            format_func=lambda c, f=field: _("Choose…") if c is None else f.code_label(c),
            key=f"{key}_word_{choice.key}",
        )
        if code is not None:
            answers.setdefault(choice.field, {})[choice.value] = code
    if st.button(_("Use these meanings"), disabled=not answers, key=f"{key}_words_apply"):
        return answers
    return {}
