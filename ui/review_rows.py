"""The review page's rows of one batch: the table, the map, the pairs, and the decisions.

An analyst sees every row of the batch (narratives too, where the policy lets them
read), the rows on a small map over the stored incidents near them, each row beside the
stored event it is linked to or may repeat, and accepts all rows or some (the others
withdrawn, with a reason), withdraws single rows of a batch already accepted, and
restores rows withdrawn. The pairing and the map are pure (``ingest.review_pairs``,
``layers.review_map``); this module draws them.
"""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from ingest.review_pairs import COMPARED, KINDS, review_pairs, side_by_side
from languages import N_, Labels, _, format_number, ngettext
from layers.review_map import NEAR_KM, build_review_map, nearby
from schema.incidents import INCIDENT_TYPE_LABELS, MOTIVATION_LABELS
from store.row_withdrawals import accounting
from ui import language
from ui.text import md

MAP_HEIGHT = 380
PAIR_KM = 200.0
"""Stored events farther than this from every row of the batch are not looked at for pairs."""
_TABLE = (
    "incident_id", "date", "incident_type", "motivation", "fatalities", "admin1", "admin2",
    "source", "narrative", "withdrawn_reason",
)  # fmt: skip
_HEADINGS = Labels(
    {
        "incident_id": N_("incident id"),
        "date": N_("date"),
        "incident_type": N_("incident type"),
        "motivation": N_("motivation"),
        "fatalities": N_("fatalities"),
        "admin1": N_("admin1"),
        "admin2": N_("admin2"),
        "source": N_("source"),
        "narrative": N_("narrative"),
        "withdrawn_reason": N_("withdrawn: why"),
        "kind": N_("what"),
        "score": N_("score"),
        "place": N_("place"),
        "row_key": N_("row"),
        "batch_id": N_("batch"),
        "reason": N_("why"),
        "withdrawn_by": N_("withdrawn by"),
        "withdrawn_at": N_("withdrawn at"),
    }
)
_SIDES = Labels({"row": N_("this batch"), "stored": N_("stored")})
_CODED = {"incident_type": INCIDENT_TYPE_LABELS, "motivation": MOTIVATION_LABELS}


def _blanks(frame: pd.DataFrame) -> pd.DataFrame:
    """Missing text cells empty, whatever their dtype (pandas' ``str`` columns too):
    Streamlit writes "None", in English, in them otherwise."""
    text = [c for c in frame.columns if not pd.api.types.is_numeric_dtype(frame[c])]
    return language.blanks_for_missing(frame.astype(dict.fromkeys(text, object)))


def _key_column(rows: pd.DataFrame) -> str:
    return "incident_id" if "incident_id" in rows else str(rows.columns[0])


def _label(field: str, value: Any) -> Any:
    labels = _CODED.get(field)
    if labels is not None and isinstance(value, str) and value in labels:
        return labels[value]
    return value


def accounting_caption(batch: Any, rows: pd.DataFrame) -> None:
    """The batch's accounting, rows withdrawn after import included."""
    counts = accounting(batch, int(rows["withdrawn"].sum()) if len(rows) else 0)
    st.caption(
        _(
            "{read} rows read: {stored} stored, {out_of_scope} out of scope, {rejected} "
            "rejected. Of the {stored} stored, {withdrawn} withdrawn after import and "
            "{shown} for analysis.",
            read=format_number(counts["rows_read"]),
            stored=format_number(counts["stored"]),
            out_of_scope=format_number(counts["out_of_scope"]),
            rejected=format_number(counts["rejected"]),
            withdrawn=format_number(counts["withdrawn_after_import"]),
            shown=format_number(counts["in_analysis"]),
        )
    )


def rows_table(session: Any, batch: Any, rows: pd.DataFrame, *, key: str) -> None:
    """The batch's rows, narratives only for those who may read them."""
    readable = session.may("view_restricted", batch.office)
    if batch.layer == "incidents":
        columns = [c for c in _TABLE if c in rows and (readable or c != "narrative")]
    else:
        hidden = {"geometry", "source_record", "batch_id", "withdrawn", "withdrawn_by"}
        columns = [c for c in rows.columns if c not in hidden and c != "withdrawn_at"]
    shown = rows[columns].copy()
    for column in ("incident_type", "motivation"):
        if column in shown:
            shown[column] = [_label(column, v) for v in shown[column].astype(object)]
    if "date" in shown:
        shown["date"] = [
            "" if pd.isna(d) else str(d)[:10] for d in shown["date"].astype(object).to_numpy()
        ]
    shown = _blanks(shown)
    st.dataframe(
        shown,
        hide_index=True,
        width="stretch",
        key=f"{key}_rows",
        column_config=language.headings(shown.columns, _HEADINGS),
    )


def rows_map(session: Any, rows: pd.DataFrame, *, key: str) -> None:
    """The rows over the stored incidents near them (incidents only)."""
    if not isinstance(rows, gpd.GeoDataFrame) or "incident_id" not in rows or not len(rows):
        return
    stored = session.layer("incidents")
    near = nearby(stored, rows)
    m = build_review_map(
        rows,
        near,
        withdrawn=rows["withdrawn"].to_numpy(dtype=bool),
        base=session.layer("basemap"),
        admin=session.layer("admin_boundaries"),
    )
    st.caption(
        ngettext(
            "The batch's rows (hollow: withdrawn) and {n} stored incident within {km} km.",
            "The batch's rows (hollow: withdrawn) and {n} stored incidents within {km} km.",
            len(near),
            km=format_number(NEAR_KM),
        )
    )
    st_folium(m, height=MAP_HEIGHT, use_container_width=True, returned_objects=[], key=key)


def pairs_table(session: Any, batch: Any, rows: pd.DataFrame) -> None:
    """Each row beside the stored event it is linked to or may repeat."""
    if batch.layer != "incidents" or not len(rows):
        return
    heading = _("Linked events and possible duplicates")
    st.markdown(f"**{heading}**")
    stored = nearby(session.layer("incidents"), rows, km=PAIR_KM)
    offices = {b.batch_id: b.office for b in session.batches("incidents") if b.in_analysis}
    pairs = review_pairs(rows, stored, session.links(), office=batch.office, stored_offices=offices)
    if not len(pairs):
        st.caption(_("No row of this batch is linked to a stored event or looks like one."))
        return
    table = side_by_side(pairs, rows, stored)
    table["kind"] = [KINDS[k] if k in KINDS else k for k in table["kind"]]
    for side in ("row", "stored"):
        column = f"{side}_incident_type"
        table[column] = [_label("incident_type", v) for v in table[column]]
    if not session.may("view_restricted", batch.office):
        table = table.drop(columns=[c for c in table if c.endswith("_narrative")])
    named = {"kind": _HEADINGS["kind"], "score": _HEADINGS["score"]}
    for side in ("row", "stored"):
        for field in COMPARED:
            heading = _HEADINGS[field] if field in _HEADINGS else field
            named[f"{side}_{field}"] = _("{field} ({side})", field=heading, side=_SIDES[side])
    st.dataframe(
        _blanks(table),
        hide_index=True,
        width="stretch",
        column_config=language.headings(table.columns, named),
    )


def accept_form(session: Any, batch: Any, rows: pd.DataFrame) -> None:
    """Accept the batch whole, or without the rows chosen (withdrawn with a reason)."""
    ids = rows.loc[~rows["withdrawn"].to_numpy(dtype=bool), _key_column(rows)].astype(str)
    left_out = st.multiselect(
        _("Rows to leave out (withdrawn when the batch is accepted)"),
        ids.tolist(),
        key="review_leave_out",
        placeholder=_("Choose rows by their id"),
    )
    why = st.text_input(_("Why leave them out"), key="review_leave_out_reason", max_chars=500)
    if not left_out:
        label = _("Accept all rows")
    else:
        label = ngettext(
            "Accept {n} row, withdraw {m}",
            "Accept {n} rows, withdraw {m}",
            len(ids) - len(left_out),
            m=format_number(len(left_out)),
        )
    blocked = bool(left_out) and not why.strip()
    if st.button(label, type="primary", key="review_accept", disabled=blocked):
        try:
            if left_out:
                keep = [i for i in ids if i not in set(left_out)]
                session.accept(batch.batch_id, keep, reason=why.strip())
            else:
                session.accept(batch.batch_id)
        except (KeyError, ValueError) as err:
            st.error(md(err.args[0] if err.args else err))
            return
        st.rerun()


def withdraw_rows_form(session: Any, batch: Any, rows: pd.DataFrame, *, key: str) -> None:
    """Withdraw single rows of a batch with a reason."""
    ids = rows.loc[~rows["withdrawn"].to_numpy(dtype=bool), _key_column(rows)].astype(str)
    chosen = st.multiselect(
        _("Rows to withdraw"),
        ids.tolist(),
        key=f"{key}_withdraw_rows",
        placeholder=_("Choose rows by their id"),
    )
    why = st.text_input(_("Why withdraw them"), key=f"{key}_withdraw_reason", max_chars=500)
    if st.button(
        _("Withdraw these rows"),
        key=f"{key}_withdraw_button",
        disabled=not chosen or not why.strip(),
    ):
        try:
            session.withdraw_rows(batch.batch_id, chosen, reason=why.strip())
        except (KeyError, ValueError) as err:
            st.error(md(err.args[0] if err.args else err))
            return
        st.rerun()


def withdrawn_section(session: Any) -> None:
    """Every row withdrawn one by one and not restored, with its reason; restore some."""
    st.subheader(_("Withdrawn rows"))
    table = session.row_withdrawals()
    table = table[table["restored_at"].isna()]
    if not len(table):
        st.write(_("No row is withdrawn."))
        return
    shown = _blanks(table[["batch_id", "row_key", "reason", "withdrawn_by", "withdrawn_at"]])
    st.dataframe(
        shown,
        hide_index=True,
        width="stretch",
        column_config=language.headings(shown.columns, _HEADINGS),
    )
    options = [f"{b}: {k}" for b, k in zip(table["batch_id"], table["row_key"], strict=True)]
    chosen = st.multiselect(
        _("Rows to restore"),
        options,
        key="review_restore_rows",
        placeholder=_("Choose rows by batch and id"),
    )
    if st.button(_("Restore these rows"), key="review_restore_button", disabled=not chosen):
        picked = table[np.isin(options, chosen)]
        for batch_id, group in picked.groupby("batch_id"):
            try:
                session.restore_rows(int(batch_id), group["row_key"].astype(str).tolist())
            except (KeyError, ValueError) as err:
                st.error(md(err.args[0] if err.args else err))
                return
        st.rerun()
