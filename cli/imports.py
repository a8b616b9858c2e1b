"""``pocmap import``, ``batches``, ``withdraw``, ``restore``, ``load-sample``: the store by hand."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

# Only the choices at import time: ingest and store load pandas, pyarrow and geopandas,
# so each command imports them when it runs (tests/cli/test_light_cli.py).
from cli.choices import DATE_ORDERS, LAYERS, PROFILES
from cli.session import cli_session

if TYPE_CHECKING:
    from ingest.pipeline import ImportOptions

if TYPE_CHECKING:
    from store.protocol import StoreLike

OK, REFUSED, USAGE = 0, 1, 2
_REPORT_LINES_SHOWN = 20


def add_commands(commands: argparse._SubParsersAction) -> None:
    """Register the store's subcommands on the ``pocmap`` parser."""
    imp = commands.add_parser(
        "import",
        help="import a file into the store as one batch",
        description="Read, map and check every row of PATH, then commit the accepted rows "
        "as one batch. Exit 0 when the batch committed, 1 when the file was refused.",
    )
    imp.add_argument("path", help="CSV, XLSX, GeoJSON, zipped shapefile, GeoPackage, KML/KMZ")
    imp.add_argument("--layer", required=True, choices=LAYERS)
    imp.add_argument("--office", required=True, help="the field office sending the file")
    imp.add_argument("--profile", default="auto", choices=("auto", *PROFILES))
    imp.add_argument(
        "--map",
        action="append",
        default=[],
        metavar="FIELD=COLUMN",
        help="map a schema field to a column of the file; FIELD= maps it to none (repeatable)",
    )
    imp.add_argument("--use-mapping", metavar="NAME", help="a mapping saved earlier")
    imp.add_argument("--save-mapping", metavar="NAME", help="keep this mapping for next time")
    imp.add_argument("--sheet", help="the sheet of an Excel file")
    imp.add_argument("--source-layer", help="the layer of a GeoPackage or KML file")
    imp.add_argument("--date-order", choices=DATE_ORDERS, help="how 03/04/2024 is written")
    imp.add_argument("--uploader", default="command line", help="who is importing")
    imp.add_argument("--report", metavar="FILE", help="write the report (.csv or .xlsx)")
    imp.add_argument("--dry-run", action="store_true", help="check only, commit nothing")
    imp.add_argument("--json", action="store_true", help="print the accounting as JSON")
    imp.set_defaults(run=run_import)

    listing = commands.add_parser("batches", help="list the batches in the store")
    listing.add_argument("--layer", choices=LAYERS)
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(run=run_batches)

    withdraw = commands.add_parser("withdraw", help="hide a batch from analysis (kept)")
    withdraw.add_argument("batch", type=int)
    withdraw.add_argument("--reason", required=True)
    withdraw.add_argument("--by", default="command line")
    withdraw.set_defaults(run=lambda a: _status(a, "withdraw"))

    accept = commands.add_parser(
        "accept", help="accept a batch under review into maps and analysis"
    )
    accept.add_argument("batch", type=int)
    accept.add_argument("--by", default="command line")
    accept.set_defaults(run=lambda a: _status(a, "accept"))

    restore = commands.add_parser("restore", help="bring a withdrawn batch back")
    restore.add_argument("batch", type=int)
    restore.add_argument("--by", default="command line")
    restore.set_defaults(run=lambda a: _status(a, "restore"))

    again = commands.add_parser(
        "reprocess",
        help="import a batch's original file again with other options (the old one is withdrawn)",
    )
    again.add_argument("batch", type=int)
    again.add_argument("--profile", default="auto", choices=("auto", *PROFILES))
    again.add_argument("--map", action="append", default=[], metavar="FIELD=COLUMN")
    again.add_argument("--use-mapping", metavar="NAME")
    again.add_argument("--save-mapping", metavar="NAME")
    again.add_argument("--sheet")
    again.add_argument("--source-layer")
    again.add_argument("--date-order", choices=DATE_ORDERS)
    again.add_argument("--uploader", default="command line")
    again.add_argument("--report", metavar="FILE")
    again.add_argument("--json", action="store_true")
    again.set_defaults(run=run_reprocess, dry_run=False)

    sample = commands.add_parser(
        "load-sample", help="import the synthetic Carana sample into the store"
    )
    sample.set_defaults(run=run_load_sample)


def _mapping(args: argparse.Namespace, store: StoreLike) -> dict[str, str] | None:
    from schema.upload import IngestError

    mapping: dict[str, str] = {}
    if args.use_mapping:
        saved = store.mappings(args.layer)
        if args.use_mapping not in saved:
            raise IngestError(
                f"--use-mapping {args.use_mapping!r} is not saved for layer {args.layer}; "
                f"saved: {', '.join(sorted(saved)) or 'none'}"
            )
        mapping.update(saved[args.use_mapping])
    for pair in args.map:
        field, sep, column = pair.partition("=")
        if not sep or not field.strip():
            raise IngestError(
                f"--map {pair!r} is expected to look like FIELD=COLUMN (or FIELD= for none)"
            )
        mapping[field.strip()] = column.strip()
    return mapping or None


def _options(args: argparse.Namespace, store: StoreLike, layer: str, office: str) -> ImportOptions:
    from ingest.pipeline import ImportOptions

    return ImportOptions(
        layer=layer,
        office=office,
        uploader=args.uploader,
        profile=args.profile,
        mapping=_mapping(args, store),
        sheet=args.sheet,
        source_layer=args.source_layer,
        date_order=args.date_order,
    )


def run_import(args: argparse.Namespace) -> int:
    from ingest.pipeline import commit_import, preview_import
    from schema.upload import IngestError, Upload

    path = Path(args.path)
    if not path.is_file():
        print(f"pocmap import: {path} is not a file", file=sys.stderr)
        return USAGE
    store = cli_session(args.uploader)
    try:
        upload = Upload(path.name, path.read_bytes())
        preview = preview_import(store, upload, _options(args, store, args.layer, args.office))
    except (IngestError, ValueError) as err:
        return _refused(args, str(err))
    batch = None
    problem = None
    if not args.dry_run:
        try:
            batch = commit_import(store, preview)
        except IngestError as err:
            problem = str(err)
    if batch is not None and args.save_mapping:
        store.save_mapping(
            args.save_mapping,
            args.layer,
            dict(preview.mapped.mapping),
            office=args.office,
        )
    label = f"batch {batch.batch_id}" if batch else "not imported"
    if args.report:
        _write_report(Path(args.report), preview, label)
    _print_accounting(args, preview, batch, problem)
    return OK if batch is not None or (args.dry_run and problem is None) else REFUSED


def _write_report(path: Path, preview: Any, label: str) -> None:
    from ingest.report import report_csv, report_xlsx

    header = preview.header(label)
    writer = report_xlsx if path.suffix.lower() == ".xlsx" else report_csv
    path.write_bytes(writer(header, preview.result.report))


def _print_accounting(args: argparse.Namespace, preview: Any, batch: Any, problem: str | None):
    accounting = preview.accounting()
    accounting["batch"] = batch.batch_id if batch else None
    accounting["committed"] = batch is not None
    accounting["error"] = problem
    if args.json:
        accounting["report"] = json.loads(preview.result.report.to_json(orient="records"))
        print(json.dumps(accounting, ensure_ascii=False, indent=2, default=str))
        return
    print(f"{preview.upload.name} -> {args.layer} ({args.office})")
    print(f"  format {preview.table.format}; profile {accounting['profile']}")
    print(f"    ({accounting['profile_reason']})")
    print(
        f"  rows read {accounting['rows_read']}: accepted {accounting['accepted']}, "
        f"accepted with a warning {accounting['accepted_with_warning']}, "
        f"out of scope {accounting['out_of_scope']}, rejected {accounting['rejected']}"
    )
    for note in accounting["notes"]:
        print(f"  note: {note}")
    report = preview.result.report
    for line in report.head(_REPORT_LINES_SHOWN).itertuples(index=False):
        print(f"  {_line_words(line)}")
    if len(report) > _REPORT_LINES_SHOWN:
        print(f"  ... {len(report) - _REPORT_LINES_SHOWN} more lines (--report FILE for all)")
    if batch is not None:
        print(f"committed as batch {batch.batch_id}")
        dissolved = accounting.get("dissolved_admin1") or {}
        if dissolved.get("batch") is not None:
            print(
                f"{dissolved['areas']} admin1 areas dissolved from its admin2 areas committed "
                f"as batch {dissolved['batch']}"
            )
    elif problem:
        print(f"not imported: {problem}", file=sys.stderr)
    else:
        print("dry run: nothing committed")


def _line_words(line: Any) -> str:
    """A report line in words: ``row 6, column latitude/longitude: “4,3” is ...; expected
    ... (rejected)`` (an empty value is left out, never printed as None or nan)."""
    where = "the whole file" if line.row == "all" else f"row {line.row}"
    value = "" if _blank(line.value) else f"“{line.value}” "
    expected = "" if _blank(line.expected) else f"; {line.expected}"
    if expected and not str(line.expected).startswith("nothing to fix"):
        expected = f"; expected {line.expected}"
    outcome = str(line.outcome).replace("_", " ")
    return f"{where}, column {line.column}: {value}{line.problem}{expected} ({outcome})"


def _blank(value: Any) -> bool:
    """None, NaN (a value is not equal to itself only then) or empty text."""
    return value is None or value != value or str(value).strip() == ""


def _refused(args: argparse.Namespace, message: str) -> int:
    if getattr(args, "json", False):
        print(json.dumps({"file": args.path, "committed": False, "error": message}))
    print(f"pocmap import: {message}", file=sys.stderr)
    return REFUSED


def run_reprocess(args: argparse.Namespace) -> int:
    from ingest.pipeline import reprocess
    from schema.upload import IngestError

    store = cli_session(args.uploader)
    try:
        old = store.batch(args.batch)
        args.layer, args.path = old.layer, old.source_name  # for _mapping and messages
        options = _options(args, store, old.layer, old.office)
        preview, batch = reprocess(store, args.batch, options)
    except (IngestError, ValueError, KeyError) as err:
        return _refused(args, str(err).strip("'\""))
    if args.report:
        _write_report(Path(args.report), preview, f"batch {batch.batch_id}")
    _print_accounting(args, preview, batch, None)
    if not args.json:
        print(f"batch {args.batch} withdrawn; its file is now batch {batch.batch_id}")
    return OK


def run_batches(args: argparse.Namespace) -> int:
    batches = cli_session().batches(args.layer)
    if args.json:
        print(json.dumps([b.__dict__ for b in batches], ensure_ascii=False, default=str))
        return OK
    for b in batches:
        print(
            f"{b.batch_id:>5}  {_state(b):<12}  {b.layer:<19} {b.office:<28} {b.imported_at}  "
            f"{b.source_name}: {b.rows_read} read, {b.accepted + b.accepted_with_warning} "
            f"accepted, {b.out_of_scope} out of scope, {b.rejected} rejected"
        )
    if not batches:
        print("the store is empty: `pocmap load-sample` or `pocmap import` a file")
    return OK


def _state(batch: Any) -> str:
    return batch.status if batch.status == "withdrawn" else batch.review.replace("_", " ")


def _status(args: argparse.Namespace, action: str) -> int:
    store = cli_session(args.by)
    try:
        if action == "withdraw":
            batch = store.withdraw(args.batch, reason=args.reason)
        elif action == "accept":
            batch = store.accept(args.batch)
        else:
            batch = store.restore(args.batch)
    except (KeyError, ValueError) as err:
        print(f"pocmap {action}: {err}", file=sys.stderr)
        return REFUSED
    print(f"batch {batch.batch_id} is now {_state(batch)}")
    return OK


def run_load_sample(args: argparse.Namespace) -> int:
    from ingest.sample import load_sample_into
    from store import open_store

    store = open_store()
    batches = load_sample_into(store)
    for b in batches:
        print(f"batch {b.batch_id}: {b.source_name} -> {b.layer}, {b.rows_read} rows")
    print(f"sample loaded into {store.location}" if batches else "sample already in the store")
    return OK
