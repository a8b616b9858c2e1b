"""Hostile uploads from the adversarial review (issue 18), each refused within 30 s.

Every file is generated here. Each import runs in a separate Python process that the test
kills after 60 s, under a memory ceiling of 1.5 GB of address space (``RLIMIT_AS``) for
that process and, inherited, for each process it starts (the fork server and the reader's
worker): the reviewer saw these files take 1.25 to over 6 GB and from 31 s to for ever.
"""

from __future__ import annotations

import json
import os
import random
import re
import resource
import signal
import sqlite3
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import geopandas as gpd
import pytest
from shapely.geometry import Point

from ingest.readers import read, tempdir
from schema.upload import IngestError, Limits, Upload
from tests.child_lines import ChildLines
from tests.ingest.readers._bounded_work import READY_ENV

ROOT = Path(__file__).resolve().parents[3]
CEILING = 1536 * 1024 * 1024
"""Address space allowed to the importing process and to each process it starts."""
KILL_AFTER = 60
REFUSED_WITHIN = 30.0

_READ = """
import json, sys, time
from pathlib import Path
from ingest.readers import read
from schema.upload import IngestError, Limits, Upload
path, limits = Path(sys.argv[1]), json.loads(sys.argv[2])
start = time.monotonic()
try:
    read(Upload(path.name, path.read_bytes()), limits=Limits(**limits))
    outcome = {"read": True}
except IngestError as exc:
    outcome = {"refused": str(exc)}
outcome["seconds"] = time.monotonic() - start
print(json.dumps(outcome))
"""


def _ceiling() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (CEILING, CEILING))


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("POCMAP_")}
    env.update(PYTHONPATH=str(ROOT), TMPDIR=str(tmp_path), **extra)
    return env


def _isolated(tmp_path: Path, script: str, *args: str, **env: str) -> dict:
    """Run ``script`` in a new process under the ceiling, killed after ``KILL_AFTER`` s."""
    done = subprocess.run(
        [sys.executable, "-c", script, *args],
        preexec_fn=_ceiling,
        timeout=KILL_AFTER,
        capture_output=True,
        text=True,
        env=_env(tmp_path, **env),
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def _refused(tmp_path: Path, path: Path, **limits: float) -> str:
    """The refusal of ``path``'s import in an isolated process; fails if it was read."""
    outcome = _isolated(tmp_path, _READ, str(path), json.dumps(limits))
    assert "refused" in outcome, f"{path.name} was read: {outcome}"
    assert outcome["seconds"] <= REFUSED_WITHIN, outcome
    assert path.name in outcome["refused"]
    return outcome["refused"]


def _no_temp_left(tmp_path: Path) -> None:
    folder = tmp_path / f"pocmap-{os.getuid()}"
    assert not folder.exists() or not list(folder.iterdir())


# --- GeoPackage: a layer that is a recursive view -----------------------------------------


def _recursive_view_gpkg(path: Path) -> Path:
    """A GeoPackage whose only layer is a view over an endless recursive query."""
    gpd.GeoDataFrame({"a": [1]}, geometry=[Point(1, 2)], crs=4326).to_file(path, layer="base")
    with sqlite3.connect(path) as db:
        db.executescript(
            """
            CREATE VIEW v AS WITH RECURSIVE r(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM r)
              SELECT x AS fid, (SELECT geom FROM base LIMIT 1) AS geom FROM r;
            INSERT INTO gpkg_contents (table_name, data_type, identifier, srs_id)
              VALUES ('v', 'features', 'v', 4326);
            INSERT INTO gpkg_geometry_columns VALUES ('v', 'geom', 'POINT', 4326, 0, 0);
            DELETE FROM gpkg_geometry_columns WHERE table_name = 'base';
            DELETE FROM gpkg_contents WHERE table_name = 'base';
            """
        )
    assert path.stat().st_size < 200_000
    return path


def test_recursive_view_geopackage_is_refused_up_front(tmp_path):
    path = _recursive_view_gpkg(tmp_path / "vue.gpkg")
    message = _refused(tmp_path, path)
    assert "view" in message and "(v)" in message and "plain GeoPackage table" in message
    _no_temp_left(tmp_path)


_HANG = """
import json, sys, time
from pathlib import Path
from ingest.readers import worker
from schema.upload import IngestError, Limits, Upload
from tests.ingest.readers._bounded_work import read_info_without_view_check
path = Path(sys.argv[1])
start = time.monotonic()
try:
    worker.run(read_info_without_view_check, Upload(path.name, path.read_bytes()), ("v",),
               Limits(read_seconds=float(sys.argv[2])))
    outcome = {"read": True}
except IngestError as exc:
    outcome = {"refused": str(exc)}
outcome["seconds"] = time.monotonic() - start
print(json.dumps(outcome))
"""


def _gone(pid: int, within: float = 10.0) -> bool:
    """Whether process ``pid`` is gone (or a zombie) within ``within`` seconds."""
    end = time.monotonic() + within
    while time.monotonic() < end:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except (FileNotFoundError, ProcessLookupError):
            return True
        if state in ("Z", "X"):
            return True
        time.sleep(0.1)
    return False


def test_a_read_that_never_ends_is_stopped_and_its_process_gone(tmp_path):
    """Without the view check, GDAL's read of the view never returns: the worker is killed
    at the wall-clock limit, the refusal says so, and no process or copy is left."""
    path = _recursive_view_gpkg(tmp_path / "vue.gpkg")
    ready = tmp_path / "ready.txt"
    outcome = _isolated(tmp_path, _HANG, str(path), "3", **{READY_ENV: str(ready)})
    assert outcome["refused"].startswith("vue.gpkg took longer than 3 s to read and was stopped")
    assert "POCMAP_READ_SECONDS" in outcome["refused"]
    assert 3 <= outcome["seconds"] <= REFUSED_WITHIN
    worker_pid = int(ready.read_text().split()[0])
    assert _gone(worker_pid)
    _no_temp_left(tmp_path)


def test_a_killed_import_leaves_no_copy_after_the_sweep(tmp_path, monkeypatch):
    """The importing process is killed (kill -9) while GDAL hangs on its copy: its worker
    dies with it, and the copy it left is removed by the sweep at the next start."""
    path = _recursive_view_gpkg(tmp_path / "vue.gpkg")
    ready = tmp_path / "ready.txt"
    importer = subprocess.Popen(
        [sys.executable, "-c", _HANG, str(path), "600"],
        preexec_fn=_ceiling,
        env=_env(tmp_path, **{READY_ENV: str(ready)}),
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        # The worker says "ready" once its copy is written and GDAL is about to read it.
        ChildLines(importer, "the import").wait_for("ready", KILL_AFTER)
        assert ready.exists(), "the import never reached GDAL"
    finally:
        importer.send_signal(signal.SIGKILL)
        importer.wait()
    worker_pid_text, copy_text = ready.read_text().split()
    assert _gone(int(worker_pid_text)), "the worker outlived the killed import"
    copy = Path(copy_text)
    assert copy.exists(), "the killed import's copy should be left for the sweep"
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    removed = tempdir.sweep_stale_temp()
    assert removed and not copy.exists()
    _no_temp_left(tmp_path)


# --- XLSX ----------------------------------------------------------------------------------

_CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
    b'package/2006/content-types"><Default Extension="rels" ContentType="application/'
    b'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType='
    b'"application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/'
    b'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName='
    b'"/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.'
    b'spreadsheetml.worksheet+xml"/></Types>'
)
_RELS = (
    b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
    b'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://'
    b"schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
    b'" Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK = (
    b'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org'
    b'/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
    b'relationships"><sheets><sheet name="Feuil1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
    b'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://'
    b"schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"
    b'" Target="worksheets/sheet1.xml"/></Relationships>'
)


def _xlsx(path: Path, rows: int, columns: int, noisy_every: int = 0) -> Path:
    """A workbook of ``rows`` x ``columns`` number cells, written part by part (never whole
    in memory). Every ``noisy_every``-th row starts with a random number, which sets how
    far the sheet compresses."""
    rng = random.Random(18)
    cells = b"".join(b"<c><v>%d</v></c>" % (i % 10) for i in range(columns))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in (
            ("[Content_Types].xml", _CONTENT_TYPES),
            ("_rels/.rels", _RELS),
            ("xl/workbook.xml", _WORKBOOK),
            ("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS),
        ):
            archive.writestr(name, data)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(
                b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.'
                b'openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
            )
            block = []
            for number in range(rows):
                noise = b""
                if noisy_every and number % noisy_every == 0:
                    noise = b"<c><v>%d</v></c>" % rng.getrandbits(24)
                block.append(b"<row>" + noise + cells + b"</row>")
                if len(block) == 2000:
                    sheet.write(b"".join(block))
                    block = []
            sheet.write(b"".join(block) + b"</sheetData></worksheet>")
    return path


def _ratio(path: Path, member: str) -> float:
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo(member)
    return info.file_size / info.compress_size


def test_xlsx_expanding_131x_is_refused_by_its_expanded_size(tmp_path):
    """The reviewer's 4.9 MB workbook expanded 131x, under the 200x ratio cap, and took
    3.2 GB; this one expands about as much (to about 300 MB here) and is refused from the
    sizes in its zip directory, before anything is inflated."""
    path = _xlsx(tmp_path / "classeur.xlsx", 700_000, 25, noisy_every=30)
    ratio = _ratio(path, "xl/worksheets/sheet1.xml")
    assert 100 < ratio < 200, ratio
    message = _refused(tmp_path, path)
    assert "member xl/worksheets/sheet1.xml would expand to" in message
    assert "over the 256 MB limit for one file in a zip" in message


def test_xlsx_cells_are_capped_while_the_sheet_streams(tmp_path):
    """Under every size cap, but more cells than allowed: refused at the row where the
    count passes the cap (the cap is lowered here so the test stays quick)."""
    path = _xlsx(tmp_path / "cellules.xlsx", 20_000, 20, noisy_every=3)
    message = _refused(tmp_path, path, max_sheet_cells=100_000)
    assert re.search(r"holds more than 100,000 cells \(rows x columns\) by row 4\d\d\d", message)
    assert "CSV" in message


def test_xlsx_columns_are_capped(tmp_path):
    path = _xlsx(tmp_path / "large.xlsx", 3, 5000)
    message = _refused(tmp_path, path)
    assert "row 1 has 5000 columns filled, over the limit of 4096" in message


# --- CSV -------------------------------------------------------------------------------


@pytest.mark.parametrize("columns", [1_000_000, 100_000])
def test_csv_with_a_huge_header_is_refused_from_its_bytes(tmp_path, columns):
    """A million columns (9.9 MB, past 6 GB before) and 100k columns (31 s, 1.25 GB)."""
    header = ",".join(f"c{i}" for i in range(columns)).encode()
    path = tmp_path / f"colonnes_{columns}.csv"
    path.write_bytes(header + b"\n" + b"1," * (columns - 1) + b"1\n")
    message = _refused(tmp_path, path)
    assert f"colonnes_{columns}.csv: line 1 " in message
    assert f"holds {columns:,} cells (the limit is 4,096 columns)" in message


def test_csv_line_of_25_million_fields_is_refused_from_its_bytes(tmp_path):
    """One 50 MB line of 25 million fields (past 60 s before), after an ordinary header."""
    path = tmp_path / "ligne.csv"
    path.write_bytes(b"id,name\n" + b"x," * 25_000_000 + b"\n")
    assert path.stat().st_size > 50_000_000
    message = _refused(tmp_path, path)
    assert "ligne.csv: line 2 is 47.7 MB long (the limit is 1.0 MB)" in message
    assert "holds 25,000,001 cells" in message


# --- KML/KMZ -------------------------------------------------------------------------------

_PLACEMARK = (
    b"<Placemark><name>p</name><ExtendedData><Data name='a'><value>1</value></Data>"
    b"</ExtendedData><Point><coordinates>29.1,-1.6</coordinates></Point></Placemark>"
)


def _kmz(path: Path, placemarks: int) -> Path:
    """A KMZ of ``placemarks`` points; one in 14 has its own coordinates, so the KML
    compresses about 105x, as the reviewer's did (4.5 MB to 474 MB)."""
    rng = random.Random(18)

    def block() -> bytes:
        marks = [_PLACEMARK] * 1000
        for i in range(0, 1000, 14):
            where = b"29.%06d,-1.%06d" % (rng.getrandbits(19), rng.getrandbits(19))
            marks[i] = _PLACEMARK.replace(b"29.1,-1.6", where)
        return b"".join(marks)

    # Blocks repeat, but far beyond deflate's 32 kB window: the ratio is each block's.
    blocks = [block() for _ in range(20)]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        with archive.open("doc.kml", "w", force_zip64=True) as kml:
            kml.write(b'<?xml version="1.0"?><kml><Document><name>d</name>')
            for n in range(placemarks // 1000):
                kml.write(blocks[n % len(blocks)])
            kml.write(b"</Document></kml>")
    return path


def test_kmz_expanding_to_474_mb_is_refused_by_its_expanded_size(tmp_path):
    """The reviewer's 4.5 MB KMZ expanded to 474 MB and took 1.3 GB: refused from the
    sizes in its zip directory."""
    path = _kmz(tmp_path / "points.kmz", 3_060_000)
    size = zipfile.ZipFile(path).getinfo("doc.kml").file_size
    assert 470e6 < size < 480e6 and path.stat().st_size < 5e6, (size, path.stat().st_size)
    message = _refused(tmp_path, path)
    assert "member doc.kml would expand to 454 MB, over the 256 MB limit" in message


def test_kml_under_every_size_cap_is_stopped_at_the_memory_limit(tmp_path):
    """A KMZ under the expansion caps whose parse needs more memory than the worker has:
    the worker stops at its memory limit and the refusal says so. The limit is lowered to
    768 MB (a worker starts at about 490 MB of address space, the libraries mapped) so that
    the 155 MB document passes it early in the parse, on a loaded machine too."""
    path = _kmz(tmp_path / "dense.kmz", 1_000_000)
    assert zipfile.ZipFile(path).getinfo("doc.kml").file_size < 256 * 1024 * 1024
    message = _refused(tmp_path, path, read_memory_bytes=768 * 1024 * 1024)
    assert "needed more than 768 MB of memory to read and was stopped" in message
    assert "POCMAP_READ_MEMORY_MB" in message
    _no_temp_left(tmp_path)


# --- temporary copies --------------------------------------------------------------------


def test_temporary_copies_are_private_whatever_the_umask(tmp_path, monkeypatch):
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    previous = os.umask(0)
    try:
        with tempdir.private_dir() as directory:
            path = directory / "upload.gpkg"
            tempdir.write_private(path, b"narratives")
            assert path.stat().st_mode & 0o777 == 0o600
            assert directory.stat().st_mode & 0o777 == 0o700
            assert tempdir.root().stat().st_mode & 0o777 == 0o700
        assert not directory.exists()
    finally:
        os.umask(previous)


def test_a_worker_copy_is_private_under_a_permissive_umask(tmp_path):
    script = (
        "import json, os; os.umask(0)\n"
        "from ingest.readers import worker\n"
        "from schema.upload import Limits, Upload\n"
        "from tests.ingest.readers._bounded_work import copy_modes\n"
        "print(json.dumps(worker.run(copy_modes, Upload('x.gpkg', b'x'), (), Limits())))\n"
    )
    modes = _isolated(tmp_path, script)
    assert modes == {"file": 0o600, "read folder": 0o700, "worker folder": 0o700, "root": 0o700}
    _no_temp_left(tmp_path)


def test_the_temp_root_is_refused_when_another_file_holds_its_name(tmp_path, monkeypatch):
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    (tmp_path / f"pocmap-{os.getuid()}").symlink_to(tmp_path)
    with pytest.raises(OSError, match="not a folder owned by this user"):
        tempdir.root()


def test_the_sweep_keeps_the_folders_of_running_processes(tmp_path, monkeypatch):
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    with tempdir.private_dir() as mine:
        dead = tempdir.root() / "ingest-999999999-1-abc"
        dead.mkdir()
        assert tempdir.sweep_stale_temp() == [dead]
        assert mine.exists() and not dead.exists()


def test_csv_cells_are_capped_on_the_csv_module_path():
    """Rows of different lengths go to the ``csv`` module, where every cell is a Python
    string: their number is capped, and the refusal names the row where it passed."""
    rows = [b"a,b,c"] + [b"1,2,3" if n % 2 else b"1,2,3,4" for n in range(500)]
    with pytest.raises(IngestError, match=r"inégal\.csv holds more than 1,000 cells by row 2\d\d"):
        read(Upload("inégal.csv", b"\n".join(rows) + b"\n"), limits=Limits(max_csv_cells=1000))


def test_csv_shape_check_counts_only_real_cells_of_a_long_quoted_line():
    """A line with more delimiters than the column limit, all but a few inside quotes, is
    an ordinary row: the quotes are followed before it is refused."""
    narrative = '"' + ", ".join(["mot"] * 6000) + '"'
    table = read(Upload("récit.csv", f"id,récit\n1,{narrative}\n".encode()))
    assert list(table.records.columns) == ["id", "récit"]


_INFORMATIVE_VIEWS = """
CREATE VIEW st_spatial_ref_sys AS SELECT srs_name, srs_id, organization,
  organization_coordsys_id, definition, description FROM gpkg_spatial_ref_sys;
CREATE VIEW spatial_ref_sys AS SELECT srs_id AS srid, organization AS auth_name,
  organization_coordsys_id AS auth_srid, definition AS srtext FROM gpkg_spatial_ref_sys;
"""


def _gpkg_with(path: Path, script: str) -> Upload:
    gpd.GeoDataFrame({"a": [1]}, geometry=[Point(1, 2)], crs=4326).to_file(path, layer="base")
    with sqlite3.connect(path) as db:
        db.executescript(script)
    return Upload(path.name, path.read_bytes())


def test_the_spec_informative_views_are_read_as_any_geopackage(tmp_path):
    """Some producers (NGA's GeoPackage libraries) write the spec's informative views."""
    upload = _gpkg_with(tmp_path / "nga.gpkg", _INFORMATIVE_VIEWS)
    assert len(read(upload).records) == 1


@pytest.mark.parametrize(
    "script, shown",
    [
        (  # GDAL reads gpkg_contents as it opens the file
            "ALTER TABLE gpkg_contents RENAME TO contents_table;"
            "CREATE VIEW gpkg_contents AS WITH RECURSIVE r(x) AS (SELECT 1 UNION ALL "
            "SELECT x + 1 FROM r) SELECT c.* FROM contents_table c, r;",
            "gpkg_contents",
        ),
        (  # not a layer, but recursive: refused all the same
            "CREATE VIEW w AS WITH RECURSIVE r(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM r) "
            "SELECT x FROM r;",
            "w",
        ),
    ],
    ids=["gpkg_contents is a view", "a recursive view"],
)
def test_views_gdal_would_run_are_refused(tmp_path, script, shown):
    upload = _gpkg_with(tmp_path / "piège.gpkg", script)
    with pytest.raises(IngestError, match=rf"piège\.gpkg holds .* SQL view \({shown}\)"):
        read(upload)


def test_the_next_start_sweeps_what_a_dead_process_left(tmp_path):
    """A process that imports the readers (the app, the CLI) removes stale copies."""
    root = tmp_path / f"pocmap-{os.getuid()}"
    stale = root / "ingest-999999999-1-abcd"
    stale.mkdir(parents=True, mode=0o700)
    (stale / "upload.gpkg").write_bytes(b"narratives")
    outcome = _isolated(tmp_path, "import ingest.readers; print('{}')")
    assert outcome == {} and not stale.exists()
