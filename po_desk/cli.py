"""The command line (DESIGN §5): the same services as the GUI, one line per error."""

from __future__ import annotations

import argparse
import contextlib
import errno
import logging
import sys
from collections.abc import Callable, Iterator, Sequence
from datetime import date
from pathlib import Path

from po_desk import __version__
from po_desk.domain.errors import DamagedStore, PoDeskError, ValidationFailed
from po_desk.services import aggregate_service, backup_service, demo, secrets_input, stores
from po_desk.services.files import refuse_protected, write_private_file
from po_desk.services.merge_service import PREFERENCES, describe
from po_desk.services.workspace import Workspace

log = logging.getLogger(__name__)


class CliError(PoDeskError):
    pass


def _open(args: argparse.Namespace) -> Workspace:
    """Opens with the keyring's key when remembered, else a passphrase from the sources."""
    remembered = stores.open_remembered(args.db)
    if remembered is not None:
        return remembered
    passphrase = secrets_input.existing_passphrase(args.passphrase_file)
    return stores.open_store(args.db, passphrase=passphrase)


@contextlib.contextmanager
def _opened(args: argparse.Namespace) -> Iterator[Workspace]:
    """The store for one command, closed (engine disposed, key dropped) whatever happens."""
    workspace = _open(args)
    try:
        yield workspace
    finally:
        workspace.close()


def _check_key_target(out: Path | None, db: Path) -> None:
    """Refuses a recovery-key target that cannot be written before any store is made."""
    if out is None:
        return
    refuse_protected(out, store_path=db)
    if out.exists() and not out.is_file():
        raise CliError(f"{out} är ingen vanlig fil; ange en fil för återställningsnyckeln.")
    if not out.parent.is_dir():
        raise CliError(f"Mappen {out.parent} finns inte.")


def _write_recovery_key(recovery_key: str, out: Path | None) -> None:
    text = f"po-desk återställningsnyckel\n{recovery_key}\n"
    if out is not None:
        try:
            write_private_file(out, text.encode("utf-8"))
        except OSError as error:
            # The store exists now: the key must not be lost, so show it instead.
            print(f"Filen {out} kunde inte skrivas ({error.strerror}).", file=sys.stderr)
        else:
            print(f"Återställningsnyckeln är sparad i {out}. Skriv ut den och radera filen.")
            return
    print("Återställningsnyckel (visas en gång, skriv ut och förvara i ett kassaskåp):")
    print(recovery_key)


def cmd_init(args: argparse.Namespace) -> int:
    _check_key_target(args.recovery_key_out, args.db)
    passphrase = secrets_input.new_passphrase(args.passphrase_file, secrets_input.PASSPHRASE_ENV)
    created = stores.create_store(
        args.db,
        namn=args.verksamhet,
        lan=args.lan,
        kommuner=args.kommun,
        passphrase=passphrase,
        huvudman=args.huvudman or "",
    )
    try:
        _write_recovery_key(created.recovery_key, args.recovery_key_out)
        if args.remember and not created.workspace.remember_key():
            print("Ingen nyckelring finns: lösenfrasen kommer att efterfrågas.", file=sys.stderr)
    finally:
        created.workspace.close()
    print(f"Registret {args.db} är skapat.")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    _check_key_target(args.recovery_key_out, args.db)
    passphrase = secrets_input.new_passphrase(args.passphrase_file, secrets_input.PASSPHRASE_ENV)
    created = stores.create_store(
        args.db,
        namn="Personligt ombud Exempelbygden (demo)",
        lan="Värmlands län",
        kommuner=["Exempelbygden", "Grannby", "Sjöfors"],
        passphrase=passphrase,
        start_ar=None,
    )
    try:
        summary = demo.fill(created.workspace, args.uppdrag, args.years, args.seed)
        _write_recovery_key(created.recovery_key, args.recovery_key_out)
    except BaseException:
        created.workspace.close()
        for path in stores.store_files(args.db):
            path.unlink(missing_ok=True)
        raise
    created.workspace.close()
    print(
        f"Demoregistret {args.db} har {summary.uppdrag} uppdrag och {summary.ombud} ombud "
        f"({summary.first_year}–{summary.last_year})."
    )
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    try:
        with _opened(args) as workspace:
            stores.check_store(workspace)
            revision = workspace.schema_revision()
            count = workspace.uppdrag.count()
    except DamagedStore as error:
        if args.verbose:  # the detail only on request: SQLite can give hundreds of lines
            for line in error.findings:
                print(f"  {line}", file=sys.stderr)
        raise
    print(
        f"OK: integritet och kryptering kontrollerade, schemaversion {revision}, {count} uppdrag."
    )
    return 0


def cmd_passphrase(args: argparse.Namespace) -> int:
    recovery_key = secrets_input.recovery_key(args.recovery_key_file)
    if recovery_key:
        workspace = stores.open_store(args.db, recovery_key=recovery_key)
    else:
        old = secrets_input.existing_passphrase(args.passphrase_file, "Nuvarande lösenfras: ")
        workspace = stores.open_store(args.db, passphrase=old)
    try:
        new = secrets_input.new_passphrase(
            args.new_passphrase_file, secrets_input.NEW_PASSPHRASE_ENV
        )
        workspace.change_passphrase(new)
    finally:
        workspace.close()
    print("Lösenfrasen är bytt.")
    return 0


def cmd_rekey(args: argparse.Namespace) -> int:
    _check_key_target(args.recovery_key_out, args.db)
    recovery_key = secrets_input.recovery_key(args.recovery_key_file)
    if recovery_key:
        workspace = stores.open_store(args.db, recovery_key=recovery_key)
    else:
        old = secrets_input.existing_passphrase(args.passphrase_file, "Nuvarande lösenfras: ")
        workspace = stores.open_store(args.db, passphrase=old)
    try:
        new = secrets_input.new_passphrase(
            args.new_passphrase_file, secrets_input.NEW_PASSPHRASE_ENV
        )
        new_recovery_key = workspace.rekey(new)
        _write_recovery_key(new_recovery_key, args.recovery_key_out)
    finally:
        workspace.close()
    print(
        "Registret har en ny nyckel. Den gamla nyckelfilen, lösenfrasen och "
        "återställningsnyckeln öppnar det inte längre; gör en ny säkerhetskopia."
    )
    return 0


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text} är inget datum på formen ÅÅÅÅ-MM-DD") from None


def cmd_export_underlag(args: argparse.Namespace) -> int:
    with _opened(args) as workspace:
        workspace.underlag.export(args.out, args.fran, args.till, args.mote)
    print(f"Underlaget är sparat i {args.out}.")
    return 0


def cmd_export_aterrapport(args: argparse.Namespace) -> int:
    with _opened(args) as workspace:
        workspace.aterrapport.export(args.out, args.year, args.format)
    print(f"Återrapporten för {args.year} är sparad i {args.out}.")
    return 0


def cmd_import_uppdrag(args: argparse.Namespace) -> int:
    with _opened(args) as workspace:
        plan = workspace.importer().run(args.file, dry_run=args.dry_run)
    verb = "Provläsning (inget sparat)" if args.dry_run else "Importerat"
    print(f"{verb}: {plan.summary()}")
    return 0


def _merge_passphrase(args: argparse.Namespace, new: bool) -> str:
    env = secrets_input.MERGE_PASSPHRASE_ENV
    if new:
        return secrets_input.new_passphrase(args.merge_passphrase_file, env)
    return secrets_input.given_secret(args.merge_passphrase_file, env, "Filens lösenfras: ")


def cmd_merge_export(args: argparse.Namespace) -> int:
    passphrase = _merge_passphrase(args, new=True)
    with _opened(args) as workspace:
        rows = workspace.merge.export_file(args.out, passphrase)
    print(f"Sammanfogningsfilen {args.out} har {rows} rader.")
    return 0


def cmd_merge_import(args: argparse.Namespace) -> int:
    passphrase = _merge_passphrase(args, new=False)
    with _opened(args) as workspace:
        if args.dry_run:
            report = workspace.merge.preview(args.file, passphrase, args.prefer)
        else:
            report = workspace.merge.import_file(args.file, passphrase, args.prefer)
    print(("Provkörning (inget sparat): " if args.dry_run else "Sammanfogat: ") + describe(report))
    for conflict in report.conflicts:
        print(f"  {conflict.table} {conflict.label}: {conflict.rule}")
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    with _opened(args) as workspace:
        info = workspace.backup.backup_to(args.out)
    rows = sum(info.counts.values())
    print(f"Säkerhetskopian {args.out} är skriven och kontrollerad ({rows} rader).")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    recovery_key = secrets_input.recovery_key(args.recovery_key_file)
    passphrase = None
    if not recovery_key:
        passphrase = secrets_input.existing_passphrase(
            args.passphrase_file, "Lösenfras som gällde när kopian gjordes: "
        )
    try:
        kept = backup_service.restore(
            args.file,
            args.db,
            passphrase=passphrase,
            recovery_key=recovery_key,
            allow_other_store=args.other_store,
        )
    except backup_service.OtherStoreBackup as error:
        raise CliError(f"{error.message} Ange i så fall --other-store.") from None
    print(f"Registret {args.db} är återställt från {args.file}.")
    if kept is not None:
        print(f"Det tidigare registret finns kvar som {kept}.")
    return 0


def cmd_aggregate(args: argparse.Namespace) -> int:
    compilation = aggregate_service.aggregate(args.files, args.out)
    print(
        f"Sammanställningen av {compilation['antal_verksamheter']} återrapporter för "
        f"{compilation['ar']} är sparad i {args.out}."
    )
    return 0


def _add_db(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", type=Path, required=True, help="registrets fil")
    parser.add_argument("--passphrase-file", type=Path, help="fil vars första rad är lösenfrasen")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="po-desk", description="Register och återrapport för personligt ombud."
    )
    parser.add_argument("--version", action="version", version=f"po-desk {__version__}")
    parser.add_argument("--demo", action="store_true", help="öppna programmet med demodata")
    parser.add_argument("--db", type=Path, help="öppna programmet med detta register")
    parser.add_argument(
        "--quit-after",
        type=float,
        metavar="SEKUNDER",
        help="stäng programmet efter så många sekunder (för rökprov av installationen)",
    )
    commands = parser.add_subparsers(dest="command")

    init = commands.add_parser("init", help="skapa ett nytt krypterat register")
    _add_db(init)
    init.add_argument("--verksamhet", required=True)
    init.add_argument("--lan", required=True)
    init.add_argument("--kommun", action="append", required=True)
    init.add_argument("--huvudman")
    init.add_argument("--recovery-key-out", type=Path)
    init.add_argument("--remember", action="store_true", help="kom ihåg nyckeln i nyckelringen")
    init.set_defaults(handler=cmd_init)

    demo_parser = commands.add_parser("demo", help="skapa ett register med syntetiska data")
    _add_db(demo_parser)
    demo_parser.add_argument("--uppdrag", type=int, default=400)
    demo_parser.add_argument("--years", type=int, default=3)
    demo_parser.add_argument("--seed", type=int, default=1)
    demo_parser.add_argument("--recovery-key-out", type=Path)
    demo_parser.set_defaults(handler=cmd_demo)

    check = commands.add_parser("check", help="kontrollera registrets integritet")
    _add_db(check)
    check.add_argument(
        "--verbose", action="store_true", help="visa varje fel som integritetskontrollen hittar"
    )
    check.set_defaults(handler=cmd_check)

    passphrase = commands.add_parser("passphrase", help="byt lösenfras")
    _add_db(passphrase)
    passphrase.add_argument("--recovery-key-file", type=Path)
    passphrase.add_argument("--new-passphrase-file", type=Path)
    passphrase.set_defaults(handler=cmd_passphrase)
    rekey = commands.add_parser(
        "rekey", help="byt nyckel: kryptera om registret med ny nyckel, lösenfras och "
        "återställningsnyckel (om lösenfrasen har läckt)"
    )  # fmt: skip
    _add_db(rekey)
    rekey.add_argument("--recovery-key-file", type=Path)
    rekey.add_argument("--new-passphrase-file", type=Path)
    rekey.add_argument("--recovery-key-out", type=Path)
    rekey.set_defaults(handler=cmd_rekey)
    import_parser = commands.add_parser("import", help="importera uppdrag från CSV eller Excel")
    imports = import_parser.add_subparsers(dest="what", required=True)
    uppdrag_import = imports.add_parser("uppdrag", help="uppdrag från CSV eller XLSX")
    uppdrag_import.add_argument("file", type=Path)
    _add_db(uppdrag_import)
    uppdrag_import.add_argument("--dry-run", action="store_true", help="kontrollera bara")
    uppdrag_import.set_defaults(handler=cmd_import_uppdrag)

    aggregate = commands.add_parser("aggregate", help="sammanställ återrapporter (JSON)")
    aggregate.add_argument("files", type=Path, nargs="+")
    aggregate.add_argument("--out", type=Path, required=True, help=".json, .csv eller .pdf")
    aggregate.set_defaults(handler=cmd_aggregate)

    backup = commands.add_parser("backup", help="skriv en krypterad säkerhetskopia")
    _add_db(backup)
    backup.add_argument("--out", type=Path, required=True)
    backup.set_defaults(handler=cmd_backup)
    restore = commands.add_parser("restore", help="återställ från en säkerhetskopia")
    restore.add_argument("file", type=Path)
    _add_db(restore)
    restore.add_argument("--recovery-key-file", type=Path)
    restore.add_argument(
        "--other-store",
        action="store_true",
        help="återställ även om kopian är gjord av ett annat register (ersätter det)",
    )
    restore.set_defaults(handler=cmd_restore)

    merge_parser = commands.add_parser("merge", help="sammanfoga register från flera datorer")
    merges = merge_parser.add_subparsers(dest="what", required=True)
    merge_export = merges.add_parser("export", help="skriv en krypterad sammanfogningsfil")
    _add_db(merge_export)
    merge_export.add_argument("--out", type=Path, required=True)
    merge_export.add_argument("--merge-passphrase-file", type=Path)
    merge_export.set_defaults(handler=cmd_merge_export)
    merge_import = merges.add_parser("import", help="för in en sammanfogningsfil")
    merge_import.add_argument("file", type=Path)
    _add_db(merge_import)
    merge_import.add_argument("--merge-passphrase-file", type=Path)
    merge_import.add_argument(
        "--prefer",
        choices=PREFERENCES,
        default=PREFERENCES[0],
        help="vid konflikt: nyast (förval), var eller deras",
    )
    merge_import.add_argument("--dry-run", action="store_true")
    merge_import.set_defaults(handler=cmd_merge_import)

    export = commands.add_parser("export", help="exportera rapporter")
    exports = export.add_subparsers(dest="what", required=True)
    underlag = exports.add_parser("underlag", help="underlag till ledningsgruppen (PDF)")
    _add_db(underlag)
    underlag.add_argument("--from", dest="fran", type=_iso_date, required=True)
    underlag.add_argument("--to", dest="till", type=_iso_date, required=True)
    underlag.add_argument("--mote", type=_iso_date, help="mötesdatum (förval: i dag)")
    underlag.add_argument("--out", type=Path, required=True)
    underlag.set_defaults(handler=cmd_export_underlag)
    aterrapport = exports.add_parser("aterrapport", help="återrapport till länsstyrelsen")
    _add_db(aterrapport)
    aterrapport.add_argument("--year", type=int, required=True)
    aterrapport.add_argument("--format", choices=("pdf", "json", "csv"), required=True)
    aterrapport.add_argument("--out", type=Path, required=True)
    aterrapport.set_defaults(handler=cmd_export_aterrapport)
    return parser


def _run_gui(args: argparse.Namespace) -> int:
    from po_desk.ui.app import run

    return run(demo=args.demo, db=args.db, quit_after=args.quit_after)


def main(argv: Sequence[str] | None = None) -> int:
    from po_desk.logging_setup import configure_cli_logging

    configure_cli_logging()
    parser = build_parser()
    args = parser.parse_args(argv)
    handler: Callable[[argparse.Namespace], int] = getattr(args, "handler", _run_gui)
    if args.command is not None and args.command in ("demo",) and args.uppdrag < 0:
        parser.error("--uppdrag måste vara 0 eller fler")
    try:
        return handler(args)
    except ValidationFailed as error:
        print(f"po-desk: {' '.join(error.problems)}", file=sys.stderr)
        return error.exit_code
    except PoDeskError as error:
        print(f"po-desk: {error.message}", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        print("po-desk: avbrutet.", file=sys.stderr)
        return 130
    except OSError as error:
        if error.errno == errno.ENOSPC:
            print("po-desk: disken är full; frigör utrymme. Inget halvfärdigt sparades.",
                  file=sys.stderr)  # fmt: skip
            return 8
        print(f"po-desk: filfel: {error.strerror or type(error).__name__}.", file=sys.stderr)
        return 1
    except Exception as error:
        log.debug("unexpected error", exc_info=False)
        print(
            f"po-desk: oväntat fel ({type(error).__name__}); inget halvfärdigt sparades.",
            file=sys.stderr,
        )
        return 1
