"""A reader worker never runs the parent's ``__main__`` (inside Streamlit: the page itself).

A new process re-imports its parent's ``__main__`` by path. Under Streamlit (the server and
AppTest alike) ``__main__`` is the page script being run, so before the fix each worker ran
the Upload page again in bare mode and died, and the read was refused as "needed more than
3072 MB of memory". Here ``__main__`` is a script that leaves a mark and exits, as a page
that stops would.
"""

import sys
import types
from pathlib import Path

from ingest.readers import read
from schema.upload import Upload

SAMPLE = Path(__file__).resolve().parents[3] / "sample_data" / "admin_boundaries.geojson"


def test_a_read_inside_a_page_does_not_run_the_page_again(tmp_path, monkeypatch):
    mark = tmp_path / "page-ran"
    page = tmp_path / "upload_page.py"
    page.write_text(f"open({str(mark)!r}, 'w').write('ran')\nraise SystemExit(1)\n")
    running_page = types.ModuleType("__main__")
    running_page.__file__ = str(page)
    running_page.__spec__ = None
    monkeypatch.setitem(sys.modules, "__main__", running_page)

    table = read(Upload(SAMPLE.name, SAMPLE.read_bytes()))

    assert len(table.records) > 0
    assert not mark.exists()
