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
from languages import N_, Labels, _, format_number, ngettext

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
        help=_("import a file into the store as one batch"),
        description=_(
            "Read, map and check every row of PATH, then commit the accepted rows "
            "as one batch. Exit 0 when the batch committed, 1 when the file was refused."
        ),
    )
    imp.add_argument(
        "path",
        metavar=_("PATH"),
        help=_("CSV, XLSX, GeoJSON, zipped shapefile, GeoPackage, KML/KMZ"),
    )
    imp.add_argument("--layer", required=True, choices=LAYERS, help=_("the layer to import into"))
    imp.add_argument(
        "--office", required=True, metavar=_("OFFICE"), help=_("the field office sending the file")
    )
    imp.add_argument(
        "--profile",
        default="auto",
        choices=("auto", *PROFILES),
        help=_("the file's column profile (default: recognised from its columns)"),
    )
    imp.add_argument(
        "--map",
        action="append",
        default=[],
        metavar=_("FIELD=COLUMN"),
        help=_("map a schema field to a column of the file; FIELD= maps it to none (repeatable)"),
    )
    _mapping_options(imp)
    imp.add_argument("--report", metavar=_("FILE"), help=_("write the report (.csv or .xlsx)"))
    imp.add_argument("--dry-run", action="store_true", help=_("check only, commit nothing"))
    imp.add_argument("--json", action="store_true", help=_("print the accounting as JSON"))
    imp.set_defaults(run=run_import)

    listing = commands.add_parser("batches", help=_("list the batches in the store"))
    listing.add_argument("--layer", choices=LAYERS, help=_("only the batches of this layer"))
    listing.add_argument("--json", action="store_true", help=_("print them as JSON"))
    listing.set_defaults(run=run_batches)

    withdraw = commands.add_parser("withdraw", help=_("hide a batch from analysis (kept)"))
    _batch_argument(withdraw)
    withdraw.add_argument(
        "--reason", required=True, metavar=_("REASON"), help=_("why, for the record")
    )
    _by_argument(withdraw)
    withdraw.set_defaults(run=lambda a: _status(a, "withdraw"))

    accept = commands.add_parser(
        "accept", help=_("accept a batch under review into maps and analysis")
    )
    _batch_argument(accept)
    _by_argument(accept)
    accept.set_defaults(run=lambda a: _status(a, "accept"))

    restore = commands.add_parser("restore", help=_("bring a withdrawn batch back"))
    _batch_argument(restore)
    _by_argument(restore)
    restore.set_defaults(run=lambda a: _status(a, "restore"))

    again = commands.add_parser(
        "reprocess",
        help=_(
            "import a batch's original file again with other options (the old one is withdrawn)"
        ),
    )
    _batch_argument(again)
    again.add_argument(
        "--profile",
        default="auto",
        choices=("auto", *PROFILES),
        help=_("the file's column profile (default: recognised from its columns)"),
    )
    again.add_argument(
        "--map",
        action="append",
        default=[],
        metavar=_("FIELD=COLUMN"),
        help=_("map a schema field to a column of the file; FIELD= maps it to none (repeatable)"),
    )
    _mapping_options(again)
    again.add_argument("--report", metavar=_("FILE"), help=_("write the report (.csv or .xlsx)"))
    again.add_argument("--json", action="store_true", help=_("print the accounting as JSON"))
    again.set_defaults(run=run_reprocess, dry_run=False)

    sample = commands.add_parser(
        "load-sample", help=_("import the synthetic Carana sample into the store")
    )
    sample.set_defaults(run=run_load_sample)


def _mapping_options(command: argparse.ArgumentParser) -> None:
    """The options ``import`` and ``reprocess`` share: mappings, sheet, layer, dates, who."""
    command.add_argument("--use-mapping", metavar=_("NAME"), help=_("a mapping saved earlier"))
    command.add_argument(
        "--save-mapping", metavar=_("NAME"), help=_("keep this mapping for next time")
    )
    command.add_argument("--sheet", metavar=_("SHEET"), help=_("the sheet of an Excel file"))
    command.add_argument(
        "--source-layer", metavar=_("LAYER"), help=_("the layer of a GeoPackage or KML file")
    )
    command.add_argument("--date-order", choices=DATE_ORDERS, help=_("how 03/04/2024 is written"))
    command.add_argument(
        "--uploader", default="command line", metavar=_("NAME"), help=_("who is importing")
    )


def _batch_argument(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "batch",
        type=int,
        metavar=_("BATCH"),
        help=_("the batch's number (as `pocmap batches` lists it)"),
    )


def _by_argument(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--by",
        default="command line",
        metavar=_("NAME"),
        help=_("who makes the change, for the record"),
    )


def _mapping(args: argparse.Namespace, store: StoreLike) -> dict[str, str] | None:
    from schema.upload import IngestError

    mapping: dict[str, str] = {}
    if args.use_mapping:
        saved = store.mappings(args.layer)
        if args.use_mapping not in saved:
            raise IngestError(
                _(
                    "--use-mapping {name} is not saved for layer {layer}; saved: {saved}",
                    name=repr(args.use_mapping),
                    layer=args.layer,
                    saved=", ".join(sorted(saved)) or _("none"),
                )
            )
        mapping.update(saved[args.use_mapping])
    for pair in args.map:
        field, sep, column = pair.partition("=")
        if not sep or not field.strip():
            raise IngestError(
                _(
                    "--map {pair} is expected to look like FIELD=COLUMN (or FIELD= for none)",
                    pair=repr(pair),
                )
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
        print(_("pocmap import: {path} is not a file", path=path), file=sys.stderr)
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
    label = _("batch {batch}", batch=batch.batch_id) if batch else _("not imported")
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
    print(
        _(
            "  format {format}; profile {profile}",
            format=preview.table.format,
            profile=accounting["profile"],
        )
    )
    print(f"    ({accounting['profile_reason']})")
    print(
        _(
            "  rows read {read}: accepted {accepted}, accepted with a warning {warned}, "
            "out of scope {out_of_scope}, rejected {rejected}",
            read=format_number(accounting["rows_read"]),
            accepted=format_number(accounting["accepted"]),
            warned=format_number(accounting["accepted_with_warning"]),
            out_of_scope=format_number(accounting["out_of_scope"]),
            rejected=format_number(accounting["rejected"]),
        )
    )
    for note in accounting["notes"]:
        print(_("  note: {note}", note=note))
    report = preview.result.report
    if preview.difference is not None:
        _print_difference(preview.difference)
        # Unchanged rows are counted above; their lines are in the report file.
        report = report[report["outcome"].astype(object) != "unchanged"]
    for line in report.head(_REPORT_LINES_SHOWN).itertuples(index=False):
        print(f"  {_line_words(line)}")
    if len(report) > _REPORT_LINES_SHOWN:
        print(
            ngettext(
                "  ... {n} more line (--report FILE for all)",
                "  ... {n} more lines (--report FILE for all)",
                len(report) - _REPORT_LINES_SHOWN,
            )
        )
    if batch is not None:
        print(_("committed as batch {batch}", batch=batch.batch_id))
        dissolved = accounting.get("dissolved_admin1") or {}
        if dissolved.get("batch") is not None:
            print(
                ngettext(
                    "{n} admin1 area dissolved from its admin2 areas committed as batch {batch}",
                    "{n} admin1 areas dissolved from its admin2 areas committed as batch {batch}",
                    dissolved["areas"],
                    batch=dissolved["batch"],
                )
            )
    elif problem:
        print(_("not imported: {problem}", problem=problem), file=sys.stderr)
    else:
        print(_("dry run: nothing committed"))


_CELLS_SHOWN = 40


def _print_difference(difference: Any) -> None:
    """A file sent again: its new, unchanged and updated rows, then each changed cell
    (stored -> sent) and each conflict with an analyst's coding."""
    print(_("  sent again: {summary}", summary=difference.summary()))
    lines = difference.lines
    for line in lines.head(_CELLS_SHOWN).itertuples(index=False):
        words = {
            "id": line.id,
            "column": line.column,
            "stored": _("(empty)") if line.stored is None else line.stored,
            "sent": _("(empty)") if line.sent is None else line.sent,
        }
        if line.kind == "conflict":
            print(
                _("    {id}, {column}: {sent} sent, {stored} kept (an analyst's coding)", **words)
            )
        else:
            print(_("    {id}, {column}: {stored} -> {sent}", **words))
    if len(lines) > _CELLS_SHOWN:
        print(
            ngettext(
                "    ... {n} more changed cell (--json for all)",
                "    ... {n} more changed cells (--json for all)",
                len(lines) - _CELLS_SHOWN,
            )
        )


OUTCOMES = Labels(
    {
        "accepted": N_("accepted"),
        "accepted_with_warning": N_("accepted with warning"),
        "rejected": N_("rejected"),
        "out_of_scope": N_("out of scope"),
        "unchanged": N_("unchanged"),
        "updated": N_("updated"),
    }
)
"""The outcomes of a report line, as a person reads them (the report file keeps codes)."""


def _line_words(line: Any) -> str:
    """A report line in words: ``row 6, column latitude/longitude: “4,3” is ...; expected
    ... (rejected)`` (an empty value is left out, never printed as None or nan)."""
    where = _("the whole file") if line.row == "all" else _("row {row}", row=line.row)
    value = "" if _blank(line.value) else _("“{value}” ", value=line.value)
    expected = ""
    if not _blank(line.expected):
        # Rows out of scope have nothing to fix: their line says so, not "expected".
        if str(line.outcome) == "out_of_scope":
            expected = f"; {line.expected}"
        else:
            expected = _("; expected {expected}", expected=line.expected)
    outcome = OUTCOMES.get(str(line.outcome), str(line.outcome).replace("_", " "))
    return _(
        "{where}, column {column}: {value}{problem}{expected} ({outcome})",
        where=where,
        column=line.column,
        value=value,
        problem=line.problem,
        expected=expected,
        outcome=outcome,
    )


def _blank(value: Any) -> bool:
    """None, NaN (a value is not equal to itself only then) or empty text."""
    return value is None or value != value or str(value).strip() == ""


def _refused(args: argparse.Namespace, message: str) -> int:
    if getattr(args, "json", False):
        print(json.dumps({"file": args.path, "committed": False, "error": message}))
    print(_("pocmap import: {error}", error=message), file=sys.stderr)
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
        _write_report(Path(args.report), preview, _("batch {batch}", batch=batch.batch_id))
    _print_accounting(args, preview, batch, None)
    if not args.json:
        print(
            _(
                "batch {old} withdrawn; its file is now batch {new}",
                old=args.batch,
                new=batch.batch_id,
            )
        )
    return OK


def run_batches(args: argparse.Namespace) -> int:
    batches = cli_session().batches(args.layer)
    if args.json:
        print(json.dumps([b.__dict__ for b in batches], ensure_ascii=False, default=str))
        return OK
    for b in batches:
        counts = _(
            "{read} read, {accepted} accepted, {out_of_scope} out of scope, {rejected} rejected",
            read=format_number(b.rows_read),
            accepted=format_number(b.accepted + b.accepted_with_warning),
            out_of_scope=format_number(b.out_of_scope),
            rejected=format_number(b.rejected),
        )
        if b.updated or b.unchanged:
            # A corrected file sent again: its rows the same as stored, and those updated.
            counts += _(
                "; {updated} updated, {unchanged} unchanged",
                updated=format_number(b.updated),
                unchanged=format_number(b.unchanged),
            )
        print(
            f"{b.batch_id:>5}  {_state(b):<12}  {b.layer:<19} {b.office:<28} {b.imported_at}  "
            f"{b.source_name}: {counts}"
        )
    if not batches:
        print(_("the store is empty: `pocmap load-sample` or `pocmap import` a file"))
    return OK


STATES = Labels(
    {
        "withdrawn": N_("withdrawn"),
        "accepted": N_("accepted"),
        "under_review": N_("under review"),
    }
)
"""A batch's state as a person reads it."""


def _state(batch: Any) -> str:
    state = batch.status if batch.status == "withdrawn" else batch.review
    return STATES.get(state, state.replace("_", " "))


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
        print(_("pocmap {command}: {error}", command=action, error=err), file=sys.stderr)
        return REFUSED
    print(_("batch {batch} is now {state}", batch=batch.batch_id, state=_state(batch)))
    return OK


def run_load_sample(args: argparse.Namespace) -> int:
    from ingest.sample import load_sample_into
    from store import open_store

    store = open_store()
    batches = load_sample_into(store)
    for b in batches:
        print(
            ngettext(
                "batch {batch}: {file} -> {layer}, {n} row",
                "batch {batch}: {file} -> {layer}, {n} rows",
                b.rows_read,
                batch=b.batch_id,
                file=b.source_name,
                layer=b.layer,
            )
        )
    if batches:
        print(_("sample loaded into {location}", location=store.location))
    else:
        print(_("sample already in the store"))
    return OK
