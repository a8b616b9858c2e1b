"""Local-national linkage and presence: what each field office holds.

Per field office: its incidents (and fatalities), its local processes and how many feed
the national process, its local agreements and how many come from such a process, and its
bases. An agreement counts as tied to the national process when the local process that
produced it is.
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd

from languages import N_

CAPTION = N_(
    "Per field office: incidents it reports in the selection; local processes it runs and how "
    "many feed the national strategy (linked_to_national); local agreements it follows and how "
    "many come from a linked process; bases and temporary operating bases."
)
"""In English: shown through ``languages._``."""

COLUMNS = [
    "field_office",
    "incidents",
    "fatalities",
    "local_processes",
    "processes_linked_to_national",
    "local_agreements",
    "agreements_linked_to_national",
    "bases",
]


def field_office_linkage(
    incidents: gpd.GeoDataFrame,
    local_processes: gpd.GeoDataFrame,
    local_agreements: gpd.GeoDataFrame,
    mission_presence: gpd.GeoDataFrame,
) -> pd.DataFrame:
    """One row per field office named in any layer (see the module's docstring)."""
    linked = local_processes.set_index("process_id")["linked_to_national"].fillna(False)
    agreement_linked = local_agreements["process_id"].map(linked).fillna(False).astype(bool)
    bases = mission_presence[mission_presence["kind"].isin(("base", "temporary_operating_base"))]
    offices = sorted(
        {
            *incidents["field_office"].dropna().astype(str),
            *local_processes["field_office"].dropna().astype(str),
            *local_agreements["field_office"].dropna().astype(str),
            *mission_presence["field_office"].dropna().astype(str),
        }
    )
    by_office = incidents.groupby("field_office")
    table = pd.DataFrame(
        {
            "field_office": offices,
            "incidents": by_office.size().reindex(offices, fill_value=0).to_numpy(),
            "fatalities": by_office["fatalities"].sum().reindex(offices, fill_value=0).to_numpy(),
            "local_processes": _count(local_processes["field_office"], offices),
            "processes_linked_to_national": _count(
                local_processes.loc[
                    local_processes["linked_to_national"].fillna(False).astype(bool), "field_office"
                ],
                offices,
            ),
            "local_agreements": _count(local_agreements["field_office"], offices),
            "agreements_linked_to_national": _count(
                local_agreements.loc[agreement_linked.to_numpy(), "field_office"], offices
            ),
            "bases": _count(bases["field_office"], offices),
        },
        columns=COLUMNS,
    )
    return table


def _count(values: pd.Series, offices: list[str]):
    return values.astype(str).value_counts().reindex(offices, fill_value=0).to_numpy()
