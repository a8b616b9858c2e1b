"""A store of incidents to code, imported as an analyst would (the native profile), for
the Coding page's tests."""

from __future__ import annotations

from pathlib import Path

from ingest.pipeline import ImportOptions, commit_import, preview_import
from schema.upload import Upload
from store import open_store

ROOT = Path(__file__).resolve().parents[2]
CODING = str(ROOT / "ui" / "pages" / "coding_page.py")
HEADER = (
    "incident_id,date,incident_type,motivation,motivation_confidence,perpetrator_type,"
    "perpetrator_name,fatalities,location_precision,source,latitude,longitude,narrative,"
    "event_type_raw,motivation_raw\n"
)
ROWS = [
    # newest first in the queue, Q-6 (Q-3 is coded)
    "Q-1,2024-03-06,looting_destruction,unknown,possible,community_militia,Zande militia,1,"
    "exact,ACLED: Corbeau News,5.75,20.67,Armed men stole 40 head of cattle and shot a herder,"
    "Violence against civilians: Looting/property destruction,vol de bétail",
    "Q-2,2024-03-05,injury,unknown,,non_state_armed_group,UPC,0,exact,ACLED: Oubangui Médias,"
    "5.70,20.60,Fighters at the bridge checkpoint beat two traders who refused to pay the tax,"
    "Violence against civilians: Attack,",
    "Q-3,2024-03-04,killing,predation,probable,criminal,,1,exact,Kalondo office,5.71,20.61,"
    "Road robbers killed a trader,,vol",
    "Q-4,2024-03-03,looting_destruction,unknown,,community_militia,,0,exact,ACLED: RJDH,"
    "5.72,20.62,Cattle raid near the camp; herders fled,"
    "Violence against civilians: Looting/property destruction,",
    "Q-5,2024-03-02,killing,unknown,,unidentified,,2,exact,UCDP GED: Reuters,5.73,20.63,"
    "Two villagers found dead,,",
    "Q-6,2024-03-01,threat,unknown,,state_forces,FACA,0,exact,ACLED: RJDH,5.74,20.64,"
    "Soldiers threatened the local candidate before the vote,"
    "Violence against civilians: Attack,",
]
QUEUE = ["Q-1", "Q-2", "Q-4", "Q-5", "Q-6"]


def fill(path: Path, rows: list[str] = ROWS) -> object:
    """A store at ``path`` holding ``rows``, accepted (an analyst's import)."""
    store = open_store(path)
    upload = Upload("acled.csv", (HEADER + "\n".join(rows) + "\n").encode())
    options = ImportOptions(layer="incidents", office="JMAC", uploader="ana", profile="native")
    commit_import(store, preview_import(store, upload, options))
    return store
