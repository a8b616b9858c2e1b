"""Double coding: analysts code a random sample blind, see their agreement (Cohen's kappa)
and resolve their disagreements into the incidents' coding."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from access.roles import ROLE_LABELS
from analysis.filters import filter_incidents
from languages import _, format_date, ngettext
from schema.incidents import CONFIDENCES, MOTIVATION_LABELS, MOTIVATIONS
from store import StoreError
from ui import auth, filters
from ui.data import indexes, mission_data, session
from ui.double_coding_parts import (
    DAY,
    SAMPLE_HEADINGS,
    agreement_frame,
    agreement_note,
    code_words,
    show_evidence,
)
from ui.language import CONFIDENCE_LABELS, blanks_for_missing, headings
from ui.text import md

SKIPPED = "double_coding_skipped"
RESOLVED = "double_coding_resolved"
# One key per motivation, in the codebook's order: 1 predation ... 7 not yet assessed.
SHORTCUTS = {m: str(n) for n, m in enumerate(MOTIVATIONS, start=1)}
SKIP_KEY = "N"
CONFIDENCE_KEYS = ("Q", "W", "E")
ID = "incident_id"

the_session = session()
auth.show(the_session)
st.title(_("Double coding"))
if not the_session.may("double_code"):
    st.info(
        _(
            "Double coding is for analysts; your role is {role}.",
            role=ROLE_LABELS.get(the_session.caller.role, the_session.caller.role),
        )
    )
    st.stop()
st.caption(
    _(
        "Two analysts code the same random sample of incidents, each without seeing the "
        "other's code or the incident's stored motivation. Their agreement says how far the "
        "codes can be trusted; each disagreement is then settled into the incident's coding."
    )
)

# --- drawing a sample from the sidebar's filter -------------------------------------------
samples = the_session.coding_samples()
data = mission_data()
with st.expander(_("Draw a sample from the current filter"), expanded=samples.empty):
    if data is None:
        st.info(_("Nothing to sample yet: the store holds no incidents on a map."))
    else:
        selection = filters.show(data, indexes(data)[0])
        held = len(filter_incidents(data.incidents, selection))
        st.caption(
            ngettext(
                "The filter in the sidebar holds {n} incident. The sample is a simple random "
                "one: every incident of the filter is as likely to be drawn.",
                "The filter in the sidebar holds {n} incidents. The sample is a simple random "
                "one: every incident of the filter is as likely to be drawn.",
                held,
            )
        )
        left, mid, right = st.columns(3)
        most = max(held, 1)
        size = left.number_input(
            _("Incidents to draw"), min_value=1, max_value=most, value=min(50, most),
            key="double_coding_size",
        )  # fmt: skip
        name = mid.text_input(_("Name of the sample"), key="double_coding_name", max_chars=120)
        seed = right.number_input(
            _("Seed (0: a new one)"), min_value=0, value=0, step=1, key="double_coding_seed",
            help=_("The same seed over the same incidents draws the same sample again."),
        )  # fmt: skip
        if st.button(
            _("Draw the sample"), key="double_coding_draw", disabled=not name.strip() or not held
        ):
            try:
                drawn = the_session.draw_coding_sample(
                    selection, int(size), name=name, seed=int(seed) or None
                )
            except StoreError as err:
                st.error(md(err))
            else:
                st.success(_("Sample {sample} drawn.", sample=drawn))
                samples = the_session.coding_samples()

if samples.empty:
    st.info(_("No sample yet: draw one above."))
    st.stop()

st.subheader(_("Samples"))
table = blanks_for_missing(samples[list(SAMPLE_HEADINGS)])
table["drawn_at"] = [format_date(dt.date.fromisoformat(d[:10]), DAY) for d in table["drawn_at"]]
st.dataframe(
    table, hide_index=True, width="stretch", column_config=headings(table.columns, SAMPLE_HEADINGS)
)
by_number = samples.set_index("sample_id")
chosen = int(
    st.selectbox(
        _("Sample"),
        list(by_number.index)[::-1],
        key="double_coding_sample",
        format_func=lambda s: _(
            "{sample}: {name} (drawn by {who} on {day})",
            sample=s,
            name=by_number.loc[s, "name"],
            who=by_number.loc[s, "drawn_by"],
            day=format_date(dt.date.fromisoformat(by_number.loc[s, "drawn_at"][:10]), DAY),
        ),
    )
)

# --- coding blind ---------------------------------------------------------------------------
st.subheader(_("Your codes"))
queue = the_session.coding_queue(chosen)
skipped = st.session_state.setdefault(SKIPPED, {}).setdefault(chosen, [])
ordered = [i for i in queue["incident_id"] if i not in skipped] + [
    i for i in skipped if i in set(queue["incident_id"])
]
if not ordered:
    st.success(_("Nothing left for you to code in this sample."))
else:
    item = queue.set_index("incident_id").loc[ordered[0]].to_dict() | {"incident_id": ordered[0]}
    st.caption(
        ngettext(
            "{n} incident left for you in this sample. Keys: 1 to 7 code the motivation, "
            "Q W E set the confidence, N skips to the next.",
            "{n} incidents left for you in this sample. Keys: 1 to 7 code the motivation, "
            "Q W E set the confidence, N skips to the next.",
            len(ordered),
        )
    )
    evidence, form = st.columns([3, 2])
    with evidence:
        show_evidence(item)
    with form:
        confidence = st.session_state.setdefault("double_coding_confidence", "probable")
        st.markdown(_("Confidence: **{confidence}**", confidence=CONFIDENCE_LABELS[confidence]))
        for level, key in zip(CONFIDENCES, CONFIDENCE_KEYS, strict=True):
            if st.button(
                CONFIDENCE_LABELS[level], key=f"double_coding_level_{level}", shortcut=key,
                type="primary" if level == confidence else "secondary",
            ):  # fmt: skip
                st.session_state["double_coding_confidence"] = level
                st.rerun()
        st.markdown(_("Motivation:"))
        for motivation in MOTIVATIONS:
            if st.button(
                MOTIVATION_LABELS[motivation], key=f"double_coding_code_{motivation}",
                shortcut=SHORTCUTS[motivation], width="stretch",
            ):  # fmt: skip
                the_session.code_blind(
                    chosen, item["incident_id"], motivation=motivation,
                    confidence=None if motivation == "unknown" else confidence,
                )  # fmt: skip
                if item["incident_id"] in skipped:
                    skipped.remove(item["incident_id"])
                st.rerun()
        if st.button(_("Skip to the next"), key="double_coding_skip", shortcut=SKIP_KEY):
            # To the back of the queue: the skipped come after the others, in skipped order.
            if item["incident_id"] in skipped:
                skipped.remove(item["incident_id"])
            skipped.append(item["incident_id"])
            st.rerun()

# --- agreement and disagreements ------------------------------------------------------------
st.subheader(_("Agreement between coders"))
rows = the_session.coding_agreement(chosen)
if not rows:
    st.info(_("The agreement shows once two analysts have coded the same incidents."))
else:
    st.dataframe(agreement_frame(rows), hide_index=True, width="stretch")
    st.caption(agreement_note())

st.subheader(_("Disagreements"))
if RESOLVED in st.session_state:
    st.success(_("Resolved: {reason}", reason=md(st.session_state.pop(RESOLVED))))
waiting = the_session.coding_disagreements(chosen)
if waiting.empty:
    st.write(_("No disagreement waits."))
else:
    pick = st.selectbox(
        ngettext("{n} disagreement to resolve", "{n} disagreements to resolve", len(waiting)),
        list(waiting[ID]),
        key="double_coding_disagreement",
    )
    pair = waiting.set_index("incident_id").loc[pick]
    for column, which in zip(st.columns(2), ("first", "second"), strict=True):
        column.markdown(
            _(
                "**{coder}** coded: {code}",
                coder=md(pair[f"{which}_coder"]),
                code=code_words(pair[f"{which}_motivation"], pair[f"{which}_confidence"]),
            )
        )
    incidents = the_session.layer("incidents")
    found = incidents[incidents["incident_id"] == pick]
    if len(found):
        show_evidence(found.iloc[0].to_dict())
    with st.form("double_coding_resolve"):
        left, right = st.columns(2)
        motivation = left.selectbox(
            _("Motivation decided"), MOTIVATIONS, format_func=MOTIVATION_LABELS.get,
            index=MOTIVATIONS.index(pair["first_motivation"]), key="double_coding_decided",
        )  # fmt: skip
        level = right.selectbox(
            _("Confidence"), CONFIDENCES, format_func=CONFIDENCE_LABELS.get,
            index=1, key="double_coding_decided_confidence",
        )  # fmt: skip
        note = st.text_input(
            _("Why (kept in the incident's history)"), key="double_coding_note", max_chars=500
        )
        if st.form_submit_button(_("Resolve")):
            try:
                reason = the_session.resolve_disagreement(
                    chosen, pick, motivation=motivation,
                    confidence=None if motivation == "unknown" else level, note=note,
                )  # fmt: skip
            except (StoreError, KeyError) as err:
                st.error(md(err.args[0] if err.args else err))
            else:
                st.session_state[RESOLVED] = reason
                st.rerun()
