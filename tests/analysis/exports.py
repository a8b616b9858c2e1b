"""The sample's incidents written as an ACLED or a UCDP GED export would carry them.

Real exports have no motivation: importing these gives the analysis what an analyst gets
from ACLED or UCDP, at the sample's scale and with its planted places and dates.
"""

from __future__ import annotations

import csv
import io

import pandas as pd

from tests.ingest.uploads import ACLED_CURRENT, UCDP_COLUMNS

_ACLED_ACTOR = {
    "state_forces": ("Military Forces of Carana (2020-)", "State forces"),
    "non_state_armed_group": ("FPRC: Popular Front for the Renaissance", "Rebel group"),
    "community_militia": ("Wourou Communal Militia (Carana)", "Identity militia"),
    "criminal": ("Unidentified Armed Group (Carana)", "Political militia"),
    "unidentified": ("Unidentified Armed Group (Carana)", "Political militia"),
}
_UCDP_SIDE = {
    "state_forces": "Government of Carana",
    "non_state_armed_group": "FPRC",
    "community_militia": "Wourou",
    "criminal": "Unidentified",
    "unidentified": "Unidentified",
}


def _write(columns: list[str], rows: list[dict]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def acled_export(incidents: pd.DataFrame) -> bytes:
    """An ACLED export (current generation) of ``incidents``, all violence against civilians."""
    rows = []
    for _, row in incidents.iterrows():
        actor, inter = _ACLED_ACTOR[row["perpetrator_type"]]
        rows.append(
            {
                "event_id_cnty": row["incident_id"].replace("INC-", "CRN"),
                "event_date": row["date"].strftime("%d %B %Y"),
                "year": row["date"].year,
                "time_precision": 1,
                "disorder_type": "Political violence",
                "event_type": "Violence against civilians",
                "sub_event_type": "Attack",
                "actor1": actor,
                "inter1": inter,
                "actor2": "Civilians (Carana)",
                "inter2": "Civilians",
                "civilian_targeting": "Civilian targeting",
                "country": "Carana",
                "admin1": row["admin1"],
                "latitude": f"{row.geometry.y:.4f}",
                "longitude": f"{row.geometry.x:.4f}",
                "geo_precision": 1,
                "source": "Radio Carana",
                "fatalities": int(row["fatalities"]),
                "notes": "On a synthetic date, synthetic attackers attacked synthetic civilians.",
            }
        )
    return _write(ACLED_CURRENT, rows)


def ucdp_export(incidents: pd.DataFrame) -> bytes:
    """A UCDP GED export of ``incidents`` as one-sided violence (type 3)."""
    rows = []
    for number, (_, row) in enumerate(incidents.iterrows(), start=1):
        day = row["date"].strftime("%Y-%m-%d 00:00:00.000")
        deaths = int(row["fatalities"])
        rows.append(
            {
                "id": 500000 + number,
                "year": row["date"].year,
                "type_of_violence": 3,
                "side_a": _UCDP_SIDE[row["perpetrator_type"]],
                "side_b": "Civilians",
                "where_prec": 1,
                "adm_1": row["admin1"],
                "latitude": f"{row.geometry.y:.4f}",
                "longitude": f"{row.geometry.x:.4f}",
                "country": "Carana",
                "date_prec": 1,
                "date_start": day,
                "date_end": day,
                "deaths_civilians": deaths,
                "best": deaths,
                "low": deaths,
                "high": deaths,
            }
        )
    return _write(list(UCDP_COLUMNS), rows)
