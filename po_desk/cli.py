"""The command line (DESIGN §5): the same services as the GUI, one line per error."""

from __future__ import annotations

import argparse
import contextlib
import errno
import sys
from collections.abc import Callable, Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from po_desk.cli_swedish import SwedishArgumentParser
from po_desk.domain.errors import (
    DamagedStore,
    PoDeskError,
    StoreNotFound,
    ValidationFailed,
    WrongPassphrase,
    os_reason,
)

if TYPE_CHECKING:
    from po_desk.services.workspace import Workspace

# Start-up imports only what the command needs (issue 17): the services, the store and
# SQLAlchemy are imported inside the command that uses them, so `--version`, `--help` and
# argument errors answer without them. tests/test_cli.py checks `sys.modules`.

# The merge conflict rules' names, as merge_service.PREFERENCES has them (a test checks);
# written out here so that building the parser does not import the merge code.
PREFERENCES = ("nyast", "var", "deras")


class CliError(PoDeskError):
    pass


def _require_store(db: Path) -> None:
    """A missing store is named, with the command that would create one (exit 3)."""
    if not Path(db).is_file():
        raise StoreNotFound(
            f"Registret {db} finns inte. Skapa ett nytt där med: po-desk init --db {db}"
        )


class StoreChoiceError(CliError):
    exit_code = 2


def _check_store_choice(args: argparse.Namespace) -> None:
    """`--db FIL` or `--server PROFIL|URL`: exactly one (checked before any question)."""
    if getattr(args, "db", None) is not None and getattr(args, "server", None):
        raise StoreChoiceError("Ange antingen --db eller --server, inte båda.")
    if getattr(args, "db", None) is None and not getattr(args, "server", None):
        raise StoreChoiceError("Ange registret med --db FIL eller servern med --server PROFIL|URL.")


def _open(args: argparse.Namespace) -> Workspace:
    """The store of `--db` (with the keyring's key when remembered, else a passphrase from
    the sources) or the register on the server of `--server` (logged in with a password
    from --password-file, the keyring, PO_DESK_SERVER_PASSWORD or a prompt)."""
    from po_desk.services import secrets_input, unlock

    _check_store_choice(args)
    if getattr(args, "server", None):
        from po_desk.services import server_service

        return server_service.open_workspace(_server_profile(args))
    _require_store(args.db)
    # Started before SQLAlchemy and the store are imported: the KDF runs meanwhile.
    pending = unlock.derive_early(args.db, args.passphrase_file)
    from po_desk.services import store_lifecycle

    if pending is not None:
        # A passphrase given in a file or the environment is used as given; the keyring
        # (a sixth of a second to import) is looked in only when it is wrong, so that
        # everything that opened before still opens.
        try:
            return store_lifecycle.open_pending(args.db, pending)
        except WrongPassphrase:
            remembered = store_lifecycle.open_remembered(args.db)
            if remembered is None:
                raise
            return remembered
    remembered = store_lifecycle.open_remembered(args.db)
    if remembered is not None:
        return remembered
    passphrase = secrets_input.existing_passphrase(args.passphrase_file)
    return store_lifecycle.open_store(args.db, passphrase=passphrase)


@contextlib.contextmanager
def _opened(args: argparse.Namespace) -> Iterator[Workspace]:
    """The store for one command, closed (engine disposed, key dropped) whatever happens."""
    workspace = _open(args)
    try:
        yield workspace
    finally:
        workspace.session.close()


def _check_key_target(out: Path | None, db: Path | None) -> None:
    """Refuses a recovery-key target that cannot be written before any store is made."""
    if out is None:
        return
    from po_desk.services.files import refuse_protected

    refuse_protected(out, store_path=db)
    if out.exists() and not out.is_file():
        raise CliError(f"{out} är ingen vanlig fil; ange en fil för återställningsnyckeln.")
    if not out.parent.is_dir():
        raise CliError(f"Mappen {out.parent} finns inte.")


def _write_recovery_key(recovery_key: str, out: Path | None) -> None:
    from po_desk.services.files import write_private_file
    from po_desk.services.secrets_input import RECOVERY_KEY_HEADER

    text = f"{RECOVERY_KEY_HEADER}\n{recovery_key}\n"
    if out is not None:
        try:
            write_private_file(out, text.encode("utf-8"))
        except OSError as error:
            # The store exists now: the key must not be lost, so show it instead.
            print(f"Filen {out} kunde inte skrivas ({os_reason(error)}).", file=sys.stderr)
        else:
            print(f"Återställningsnyckeln är sparad i {out}. Skriv ut den och radera filen.")
            return
    print("Återställningsnyckel (visas en gång, skriv ut och förvara i ett kassaskåp):")
    print(recovery_key)


def cmd_init(args: argparse.Namespace) -> int:
    from po_desk.services import secrets_input, store_lifecycle
    from po_desk.services.workspace import keyring_available

    _check_key_target(args.recovery_key_out, args.db)
    if args.remember and not keyring_available():
        raise CliError(
            "--remember går inte: datorn har ingen nyckelring från operativsystemet "
            "(Windows Autentiseringshanteraren, macOS Nyckelhanteraren, Secret Service eller "
            "KWallet). Registret skapades inte."
        )
    passphrase = secrets_input.new_passphrase(args.passphrase_file, secrets_input.PASSPHRASE_ENV)
    created = store_lifecycle.create_store(
        args.db,
        namn=args.verksamhet,
        lan=args.lan,
        kommuner=args.kommun,
        passphrase=passphrase,
        huvudman=args.huvudman or "",
    )
    try:
        _write_recovery_key(created.recovery_key, args.recovery_key_out)
        remembered = not args.remember or created.workspace.keys.remember_key()
    finally:
        created.workspace.session.close()
    if not remembered:
        print(
            f"po-desk: registret {args.db} är skapat, men nyckelringen tog inte emot nyckeln; "
            "lösenfrasen efterfrågas.",
            file=sys.stderr,
        )
        return 1
    print(f"Registret {args.db} är skapat.")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from po_desk.services import secrets_input, unlock

    _check_key_target(args.recovery_key_out, args.db)
    passphrase = secrets_input.new_passphrase(args.passphrase_file, secrets_input.PASSPHRASE_ENV)
    # The two key derivations run while SQLAlchemy and the store are imported.
    keys = unlock.new_keys_early(passphrase)
    from po_desk.services import demo, store_lifecycle

    who = demo.identity(args.seed)
    created = store_lifecycle.create_store(
        args.db,
        namn=who.namn,
        lan=who.lan,
        kommuner=who.kommuner,
        huvudman=who.huvudman,
        passphrase=passphrase,
        start_ar=date.today().year - args.years,
        keys=keys,
    )
    try:
        summary = demo.fill(created.workspace, args.uppdrag, args.years, args.seed)
        _write_recovery_key(created.recovery_key, args.recovery_key_out)
    except BaseException:
        created.workspace.session.close()
        for path in store_lifecycle.store_files(args.db):
            path.unlink(missing_ok=True)
        raise
    created.workspace.session.close()
    print(
        f"Demoregistret {args.db} har {summary.uppdrag} uppdrag och {summary.ombud} ombud "
        f"({summary.first_year}–{summary.last_year})."
    )
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from po_desk.services import store_lifecycle

    try:
        with _opened(args) as workspace:
            store_lifecycle.check_store(workspace)
            revision = workspace.session.schema_revision()
            count = workspace.uppdrag.count()
    except DamagedStore as error:
        if args.verbose:  # the detail only on request: SQLite can give hundreds of lines
            for line in error.findings:
                print(f"  {line}", file=sys.stderr)
        raise
    if getattr(args, "server", None):
        print(f"OK: registret på servern har schemaversion {revision} och {count} uppdrag.")
        return 0
    print(
        f"OK: integritet och kryptering kontrollerade, schemaversion {revision}, {count} uppdrag."
    )
    return 0


def _open_with_old_secret(args: argparse.Namespace) -> tuple[Workspace, str]:
    """The store opened with the recovery key or the current passphrase (never the keyring:
    changing a secret needs the person to know one), and the new passphrase."""
    from po_desk.services import secrets_input, store_lifecycle

    recovery_key = secrets_input.recovery_key(args.recovery_key_file)
    if recovery_key:
        workspace = store_lifecycle.open_store(args.db, recovery_key=recovery_key)
    else:
        old = secrets_input.existing_passphrase(args.passphrase_file, "Nuvarande lösenfras: ")
        workspace = store_lifecycle.open_store(args.db, passphrase=old)
    try:
        new = secrets_input.new_passphrase(
            args.new_passphrase_file, secrets_input.NEW_PASSPHRASE_ENV
        )
    except BaseException:
        workspace.session.close()
        raise
    return workspace, new


def cmd_passphrase(args: argparse.Namespace) -> int:
    _require_store(args.db)
    workspace, new = _open_with_old_secret(args)
    try:
        workspace.keys.change_passphrase(new)
    finally:
        workspace.session.close()
    print("Lösenfrasen är bytt.")
    return 0


def cmd_rekey(args: argparse.Namespace) -> int:
    _check_key_target(args.recovery_key_out, args.db)
    workspace, new = _open_with_old_secret(args)
    try:
        new_recovery_key = workspace.keys.rekey(new)
        _write_recovery_key(new_recovery_key, args.recovery_key_out)
    finally:
        workspace.session.close()
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


def _print_lines(lines: Sequence[str]) -> None:
    """One problem per line: the first line with the program name, the rest indented."""
    print(f"po-desk: {lines[0]}", file=sys.stderr)
    for line in lines[1:]:
        print(f"  {line}", file=sys.stderr)


def cmd_import_uppdrag(args: argparse.Namespace) -> int:
    try:
        with _opened(args) as workspace:
            plan = workspace.uppdrag_import.run(args.file, dry_run=args.dry_run, update=args.update)
    except ValidationFailed as error:
        _print_lines(error.problems)
        return error.exit_code
    verb = "Provläsning (inget sparat)" if args.dry_run else "Importerat"
    print(f"{verb}: {plan.summary()}")
    if plan.changes:
        print("Ändrade värden:" if args.update and not args.dry_run else
              "Värden som ändras (kräver --update):")  # fmt: skip
        for line in plan.change_lines():
            print(f"  {line}")
    for note in plan.notes:
        print(f"  {note}")
    return 0


def _merge_passphrase(args: argparse.Namespace, new: bool) -> str:
    from po_desk.services import secrets_input

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
    from po_desk.services.merge_service import OtherVerksamhet, describe
    from po_desk.services.merge_service import lines as merge_lines

    passphrase = _merge_passphrase(args, new=False)
    other = args.annan_verksamhet
    try:
        with _opened(args) as workspace:
            if args.dry_run:
                report = workspace.merge.preview(args.file, passphrase, args.prefer, other)
            else:
                report = workspace.merge.import_file(args.file, passphrase, args.prefer, other)
    except OtherVerksamhet as error:
        print(f"po-desk: {error.message} Lägg till --annan-verksamhet för att föra in den ändå.",
              file=sys.stderr)  # fmt: skip
        return error.exit_code
    except ValidationFailed as error:
        _print_lines(error.problems)
        return error.exit_code
    print(("Provkörning (inget sparat): " if args.dry_run else "Sammanfogat: ") + describe(report))
    for line in merge_lines(report):
        print(f"  {line}")
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    _check_store_choice(args)
    if args.server:
        return cmd_backup_server(args)
    with _opened(args) as workspace:
        info = workspace.backup.backup_to(args.out)
    rows = sum(info.counts.values())
    print(f"Säkerhetskopian {args.out} är skriven och kontrollerad ({rows} rader).")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from po_desk.services import backup_service, secrets_input

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
    from po_desk.services import sammanstallning_service

    compilation = sammanstallning_service.aggregate(args.files, args.out, args.previous)
    compared = compilation.get("foregaende_ar")
    print(
        f"Sammanställningen av {compilation['antal_verksamheter']} återrapporter för "
        f"{compilation['ar']} är sparad i {args.out}."
        + (f" Jämförd med {compared['ar']} ({len(compared['kallor'])} "
           f"återrapport{'er' if len(compared['kallor']) != 1 else ''})." if compared else "")
    )  # fmt: skip
    return 0


def _add_db(parser: argparse.ArgumentParser, server: bool = False) -> None:
    """`--db FIL` and its passphrase; with `server`, `--server PROFIL|URL` as the
    alternative (exactly one of the two, checked by _check_store_choice)."""
    parser.add_argument(
        "--db",
        type=Path,
        required=not server,
        metavar="FIL",
        help="registrets fil" + (" (eller --server)" if server else ""),
    )
    parser.add_argument(
        "--passphrase-file",
        type=Path,
        metavar="FIL",
        help="fil vars första rad är lösenfrasen (annars PO_DESK_PASSPHRASE eller en fråga)",
    )
    if server:
        parser.add_argument(
            "--server",
            metavar="PROFIL|URL",
            help="arbeta i registret på en delad server i stället för en fil: en sparad "
            "serverprofil eller postgresql://användare@värd:port/databas?sslrootcert=ca.crt",
        )
        parser.add_argument(
            "--password-file",
            type=Path,
            metavar="FIL",
            help="med --server: fil vars första rad är lösenordet (annars nyckelringen, "
            "PO_DESK_SERVER_PASSWORD eller en fråga)",
        )
        parser.set_defaults(store_choice=True)


# --- po-desk server: the shared PostgreSQL server (DESIGN §8) ------------------------------


def _server_profile(args: argparse.Namespace):
    from po_desk.services import server_service

    profile = server_service.resolve(args.server)
    return server_service.with_password(profile, args.password_file)


def _remember_server_password(args: argparse.Namespace, profile) -> None:
    """After a command that logged in: the password to the OS keyring when asked."""
    from po_desk.services import server_service

    if args.remember and not server_service.remember_password(profile):
        print("Lösenordet kunde inte sparas: ingen säker nyckelring finns.", file=sys.stderr)


def cmd_server_init(args: argparse.Namespace) -> int:
    from po_desk.services import server_service

    _check_key_target(args.recovery_key_out, None)
    profile = _server_profile(args)
    verksamhet = None
    if args.verksamhet:
        verksamhet = server_service.NewVerksamhet(
            namn=args.verksamhet, lan=args.lan or "", kommuner=args.kommun or []
        )
    setup = server_service.initialise(profile, verksamhet)
    _remember_server_password(args, profile)
    print(
        f"Servern {profile.describe()} är inställd: {len(setup.tables)} tabeller, rollerna "
        f"{', '.join(server_service.GROUPS)} och en ändringslogg på servern."
    )
    if setup.recovery_key:
        print("Verksamhetens nyckel för fritexten är skapad; den behövs för server user add.")
        _write_recovery_key(setup.recovery_key, args.recovery_key_out)
    return 0


def cmd_server_user_add(args: argparse.Namespace) -> int:
    from po_desk.services import secrets_input, server_service

    profile = _server_profile(args)
    password = secrets_input.given_secret(
        args.new_password_file,
        server_service.NEW_USER_PASSWORD_ENV,
        f"Lösenord för {args.name}: ",
    )
    server_service.add_user(
        profile,
        args.name,
        args.role,
        password,
        recovery_key=secrets_input.recovery_key(args.recovery_key_file),
    )
    _remember_server_password(args, profile)
    print(f"Användaren {args.name} är tillagd på servern med rollen {args.role}.")
    print("Lösenordet är tillfälligt: användaren byter det vid första inloggningen.")
    return 0


def cmd_server_password(args: argparse.Namespace) -> int:
    from po_desk.services import secrets_input, server_service

    profile = _server_profile(args)
    new = secrets_input.new_password(args.new_password_file, NEW_SERVER_PASSWORD_ENV)
    changed = server_service.change_password(profile, profile.password or "", new)
    _remember_server_password(args, changed)
    print(f"Lösenordet för {changed.describe()} är bytt.")
    return 0


NEW_SERVER_PASSWORD_ENV = "PO_DESK_NEW_SERVER_PASSWORD"


def cmd_server_user_remove(args: argparse.Namespace) -> int:
    from po_desk.services import server_service

    profile = _server_profile(args)
    server_service.remove_user(profile, args.name)
    _remember_server_password(args, profile)
    print(f"Användaren {args.name} är borttagen från servern.")
    return 0


def cmd_server_import(args: argparse.Namespace) -> int:
    from po_desk.services import register_move, secrets_input

    _require_store(args.source)
    profile = _server_profile(args)
    server_recovery_key = secrets_input.recovery_key(args.recovery_key_file)
    passphrase = secrets_input.existing_passphrase(
        args.passphrase_file, f"Lösenfras för {args.source}: "
    )
    report = register_move.move_to_server(
        args.source, profile, passphrase=passphrase, server_recovery_key=server_recovery_key
    )
    _remember_server_password(args, profile)
    print(
        f"Registret {args.source} är flyttat till servern {profile.describe()}: "
        f"{report.rows} rader; {_years_proved(report.years)}"
    )
    return 0


def _years_proved(years: list[int]) -> str:
    if not years:
        return "inget år att jämföra återrapporten för."
    span = str(years[0]) if len(years) == 1 else f"{years[0]}–{years[-1]}"
    return f"återrapporterna för {span} är desamma på båda sidor."


def _local_copy_of_server(args: argparse.Namespace, target: Path, make):
    """A new encrypted local store or backup made from the server (with a passphrase of
    its own and a recovery key shown once); the profile and what `make` returned."""
    from po_desk.services import secrets_input

    _check_key_target(args.recovery_key_out, target)
    profile = _server_profile(args)
    passphrase = secrets_input.new_passphrase(args.passphrase_file, secrets_input.PASSPHRASE_ENV)
    # An administrator without a key slot gives the server's recovery key.
    server_key = secrets_input.recovery_key(getattr(args, "recovery_key_file", None))
    made, recovery_key = make(profile, target, passphrase, server_recovery_key=server_key)
    _write_recovery_key(recovery_key, args.recovery_key_out)
    _remember_server_password(args, profile)
    return profile, made


def cmd_server_export(args: argparse.Namespace) -> int:
    from po_desk.services import register_move

    _, report = _local_copy_of_server(args, args.to, register_move.copy_to_local)
    print(
        f"Serverns register är skrivet som det lokala registret {args.to}: {report.rows} rader; "
        f"{_years_proved(report.years)}"
    )
    return 0


def cmd_backup_server(args: argparse.Namespace) -> int:
    from po_desk.services import register_move

    profile, info = _local_copy_of_server(args, args.out, register_move.backup_server)
    rows = sum(info.counts.values())
    print(
        f"Säkerhetskopian {args.out} av servern {profile.describe()} är skriven och "
        f"kontrollerad ({rows} rader). Den öppnas som ett lokalt register med lösenfrasen "
        "eller återställningsnyckeln."
    )
    return 0


def cmd_server_profile_add(args: argparse.Namespace) -> int:
    from po_desk.services import server_service

    if args.url:
        profile = server_service.ServerProfile.from_url(args.url)
    elif args.host and args.database:
        profile = server_service.ServerProfile(host=args.host, database=args.database)
    else:
        raise CliError("Ange --host och --database (eller hela adressen med --url).")
    changes = {
        "host": args.host,
        "port": args.port,
        "database": args.database,
        "user": args.user,
        "sslmode": args.sslmode,
        "sslrootcert": str(args.ca) if args.ca else None,
        "gssencmode": args.gssencmode,
        "krbsrvname": args.krbsrvname,
    }
    import dataclasses

    profile = dataclasses.replace(
        profile, **{key: value for key, value in changes.items() if value is not None}
    )
    saved = server_service.save_profile(args.name, profile)
    print(f"Serverprofilen {args.name} är sparad: {saved.describe()}.")
    return 0


def cmd_server_profile_list(args: argparse.Namespace) -> int:
    from po_desk.services import server_service

    profiles = server_service.saved_profiles()
    if not profiles:
        print("Inga serverprofiler är sparade (po-desk server profile add).")
    for name, profile in profiles.items():
        print(f"{name}\t{profile.describe()}\tCA: {profile.sslrootcert or '-'}")
    return 0


def cmd_server_profile_remove(args: argparse.Namespace) -> int:
    from po_desk.services import server_service

    server_service.remove_profile(args.name)
    print(f"Serverprofilen {args.name} är borttagen.")
    return 0


def cmd_server_login(args: argparse.Namespace) -> int:
    """Tries the connection (TLS, password, the register) and shows the role."""
    from po_desk.services import server_service

    profile = _server_profile(args)
    role = server_service.try_connection(profile)
    _remember_server_password(args, profile)
    print(f"Ansluten till {profile.name or profile.describe()} som {profile.user} ({role}).")
    return 0


def cmd_server_logout(args: argparse.Namespace) -> int:
    from po_desk.services import server_service

    server_service.forget_password(server_service.resolve(args.server))
    print("Lösenordet är borttaget ur nyckelringen.")
    return 0


def _add_server_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--server",
        required=True,
        metavar="PROFIL|URL",
        help="serverprofilens namn eller postgresql://användare@värd:port/databas"
        "?sslrootcert=ca.crt (alltid sslmode=verify-full)",
    )
    parser.add_argument(
        "--password-file",
        type=Path,
        metavar="FIL",
        help="fil vars första rad är lösenordet (annars nyckelringen, PO_DESK_SERVER_PASSWORD "
        "eller en fråga)",
    )
    parser.add_argument(
        "--remember",
        action="store_true",
        help="kom ihåg lösenordet i operativsystemets nyckelring",
    )


def _add_new_store_secrets(parser: argparse.ArgumentParser) -> None:
    """The passphrase of a new local store or backup made from the server, and where its
    recovery key goes."""
    parser.add_argument(
        "--passphrase-file",
        type=Path,
        metavar="FIL",
        help="fil vars första rad är den nya lösenfrasen (annars PO_DESK_PASSPHRASE eller en "
        "fråga)",
    )
    parser.add_argument(
        "--recovery-key-out",
        type=Path,
        metavar="FIL",
        help="spara återställningsnyckeln i denna fil i stället för att visa den",
    )


def _add_server_recovery_key(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--recovery-key-file",
        type=Path,
        metavar="FIL",
        help="serverns återställningsnyckel, när du inte själv har en nyckel på servern "
        "(administratören; annars PO_DESK_RECOVERY_KEY)",
    )


def _add_server_commands(commands: argparse._SubParsersAction) -> None:
    server = commands.add_parser("server", help="delad PostgreSQL-server")
    actions = server.add_subparsers(
        dest="what", required=True, title="vad", metavar="VAD", help="vad som ska göras"
    )
    init = actions.add_parser(
        "init", help="skapa tabeller, roller, behörigheter och ändringslogg (administratör)"
    )
    _add_server_options(init)
    init.add_argument(
        "--verksamhet", metavar="NAMN", help="verksamhetens namn (bara på en ny server)"
    )
    init.add_argument("--lan", metavar="LÄN", help="länet, t.ex. Stockholms län")
    init.add_argument(
        "--kommun", action="append", metavar="KOMMUN", help="en kommun (upprepa för flera)"
    )
    init.add_argument(
        "--recovery-key-out",
        type=Path,
        metavar="FIL",
        help="spara serverns återställningsnyckel (bara på en ny server) i denna fil i stället "
        "för att visa den",
    )
    init.set_defaults(handler=cmd_server_init)
    move_in = actions.add_parser(
        "import", help="flytta ett lokalt register till en tom server (administratör)"
    )
    move_in.add_argument(
        "--from", dest="source", type=Path, required=True, metavar="FIL",
        help="det lokala registrets fil",
    )  # fmt: skip
    move_in.add_argument(
        "--passphrase-file",
        type=Path,
        metavar="FIL",
        help="fil med det lokala registrets lösenfras (annars PO_DESK_PASSPHRASE eller en fråga)",
    )
    _add_server_recovery_key(move_in)
    _add_server_options(move_in)
    move_in.set_defaults(handler=cmd_server_import)
    move_out = actions.add_parser(
        "export", help="skriv serverns register som ett nytt lokalt krypterat register"
    )
    move_out.add_argument(
        "--to", type=Path, required=True, metavar="FIL", help="det nya lokala registrets fil"
    )
    _add_new_store_secrets(move_out)
    _add_server_recovery_key(move_out)
    _add_server_options(move_out)
    move_out.set_defaults(handler=cmd_server_export)
    password = actions.add_parser(
        "password", help="byt ditt lösenord på servern (krävs vid första inloggningen)"
    )
    password.add_argument(
        "--new-password-file",
        type=Path,
        metavar="FIL",
        help=f"fil vars första rad är det nya lösenordet (annars {NEW_SERVER_PASSWORD_ENV} "
        "eller en fråga)",
    )
    _add_server_options(password)
    password.set_defaults(handler=cmd_server_password)
    user = actions.add_parser("user", help="lägg till eller ta bort användare")
    users = user.add_subparsers(
        dest="user_action",
        required=True,
        title="vad",
        metavar="VAD",
        help="lägg till eller ta bort",
    )
    add = users.add_parser("add", help="lägg till en användare med en roll")
    add.add_argument("name", metavar="NAMN", help="användarens inloggningsnamn")
    add.add_argument(
        "--role",
        required=True,
        choices=("ombud", "enhetschef", "lasare"),
        metavar="ROLL",
        help="ombud, enhetschef eller lasare",
    )
    add.add_argument(
        "--new-password-file",
        type=Path,
        metavar="FIL",
        help="fil vars första rad är den nya användarens lösenord "
        "(annars PO_DESK_NEW_USER_PASSWORD eller en fråga)",
    )
    _add_server_recovery_key(add)
    _add_server_options(add)
    add.set_defaults(handler=cmd_server_user_add)
    remove = users.add_parser("remove", help="ta bort en användare")
    remove.add_argument("name", metavar="NAMN", help="användarens inloggningsnamn")
    _add_server_options(remove)
    remove.set_defaults(handler=cmd_server_user_remove)

    profile = actions.add_parser("profile", help="sparade serverprofiler på den här datorn")
    profiles = profile.add_subparsers(
        dest="profile_action", required=True, title="vad", metavar="VAD", help="vad som ska göras"
    )
    profile_add = profiles.add_parser(
        "add", help="spara en serverprofil (värd, port, databas, användare, CA; inget lösenord)"
    )
    profile_add.add_argument("name", metavar="NAMN", help="profilens namn")
    profile_add.add_argument("--url", metavar="URL", help="hela adressen postgresql://…")
    profile_add.add_argument("--host", metavar="VÄRD", help="serverns värdnamn")
    profile_add.add_argument("--port", type=int, metavar="PORT", help="port (förval: 5432)")
    profile_add.add_argument("--database", metavar="DATABAS", help="databasens namn")
    profile_add.add_argument("--user", metavar="ANVÄNDARE", help="ditt användarnamn (roll)")
    profile_add.add_argument("--ca", type=Path, metavar="FIL", help="kommunens CA-certifikat")
    profile_add.add_argument(
        "--sslmode", metavar="LÄGE", help="bara verify-full godtas (förval: verify-full)"
    )
    profile_add.add_argument(
        "--krbsrvname",
        metavar="NAMN",
        help="inloggning via AD (Kerberos) utan lösenord: serverns tjänstenamn, oftast postgres",
    )
    profile_add.add_argument(
        "--gssencmode", metavar="LÄGE", help="bara disable godtas: po-desk krypterar alltid med TLS"
    )
    profile_add.set_defaults(handler=cmd_server_profile_add)
    profile_list = profiles.add_parser("list", help="visa de sparade serverprofilerna")
    profile_list.set_defaults(handler=cmd_server_profile_list)
    profile_remove = profiles.add_parser(
        "remove", help="ta bort en serverprofil (och ett sparat lösenord)"
    )
    profile_remove.add_argument("name", metavar="NAMN", help="profilens namn")
    profile_remove.set_defaults(handler=cmd_server_profile_remove)

    login = actions.add_parser(
        "login", help="pröva anslutningen och visa din roll (--remember sparar lösenordet)"
    )
    _add_server_options(login)
    login.set_defaults(handler=cmd_server_login)
    logout = actions.add_parser("logout", help="glöm lösenordet i nyckelringen")
    logout.add_argument("--server", required=True, metavar="PROFIL|URL", help="serverprofilen")
    logout.set_defaults(handler=cmd_server_logout)


class _VersionAction(argparse.Action):
    """--version: the version is read from the package metadata only when it is asked for."""

    def __init__(self, option_strings: Sequence[str], dest: str, help: str) -> None:
        super().__init__(option_strings, dest=argparse.SUPPRESS, nargs=0, help=help)

    def __call__(self, parser: argparse.ArgumentParser, *_: object) -> None:
        from po_desk import __version__

        print(f"po-desk {__version__}")
        parser.exit()


def build_parser() -> argparse.ArgumentParser:
    parser = SwedishArgumentParser(
        prog="po-desk",
        description="Register och återrapport för personligt ombud. Utan kommando öppnas "
        "programmets fönster.",
    )
    parser.add_argument(
        "--version",
        action=_VersionAction,
        help="visa programmets version och avsluta",
    )
    parser.add_argument(
        "--debug",
        action="store_true",
        help="skriv hela förloppet (traceback) vid oväntat fel; kan visa uppgifter ur registret",
    )
    parser.add_argument("--demo", action="store_true", help="öppna programmet med demodata")
    parser.add_argument(
        "--db", type=Path, metavar="FIL", help="öppna programmet med detta register"
    )
    parser.add_argument(
        "--server",
        metavar="PROFIL",
        help="öppna programmet mot registret på en delad server (en sparad serverprofil)",
    )
    parser.add_argument(
        "--quit-after",
        type=float,
        metavar="SEKUNDER",
        help="stäng programmet efter så många sekunder (för rökprov av installationen)",
    )
    commands = parser.add_subparsers(
        dest="command",
        title="kommandon",
        metavar="KOMMANDO",
        help="kommandot att köra; utan kommando öppnas programmets fönster",
    )

    init = commands.add_parser("init", help="skapa ett nytt krypterat register")
    _add_db(init)
    init.add_argument("--verksamhet", required=True, metavar="NAMN", help="verksamhetens namn")
    init.add_argument(
        "--lan",
        required=True,
        metavar="LÄN",
        help='länet, namn eller länskod, t.ex. "Värmlands län" eller 17',
    )
    init.add_argument(
        "--kommun",
        action="append",
        required=True,
        metavar="KOMMUN",
        help="en kommun som verksamheten arbetar i, namn eller kommunkod (ange flaggan en "
        "gång per kommun)",
    )
    init.add_argument("--huvudman", metavar="NAMN", help="verksamhetens huvudman")
    init.add_argument(
        "--recovery-key-out",
        type=Path,
        metavar="FIL",
        help="spara återställningsnyckeln i denna fil i stället för att visa den",
    )
    init.add_argument("--remember", action="store_true", help="kom ihåg nyckeln i nyckelringen")
    init.set_defaults(handler=cmd_init)

    demo_parser = commands.add_parser("demo", help="skapa ett register med syntetiska data")
    _add_db(demo_parser)
    demo_parser.add_argument(
        "--uppdrag", type=int, default=400, metavar="ANTAL", help="antal uppdrag (förval: 400)"
    )
    demo_parser.add_argument(
        "--years", type=int, default=3, metavar="ÅR", help="antal år bakåt i tiden (förval: 3)"
    )
    demo_parser.add_argument(
        "--seed",
        type=int,
        default=1,
        metavar="TAL",
        help="startvärde för slumpen; samma tal ger samma data (förval: 1)",
    )
    demo_parser.add_argument(
        "--recovery-key-out",
        type=Path,
        metavar="FIL",
        help="spara återställningsnyckeln i denna fil i stället för att visa den",
    )
    demo_parser.set_defaults(handler=cmd_demo)

    check = commands.add_parser("check", help="kontrollera registrets integritet")
    _add_db(check, server=True)
    check.add_argument(
        "--verbose", action="store_true", help="visa varje fel som integritetskontrollen hittar"
    )
    check.set_defaults(handler=cmd_check)

    passphrase = commands.add_parser("passphrase", help="byt lösenfras")
    _add_db(passphrase)
    passphrase.add_argument(
        "--recovery-key-file",
        type=Path,
        metavar="FIL",
        help="öppna med återställningsnyckeln i denna fil i stället för lösenfrasen",
    )
    passphrase.add_argument(
        "--new-passphrase-file",
        type=Path,
        metavar="FIL",
        help="fil vars första rad är den nya lösenfrasen "
        "(annars PO_DESK_NEW_PASSPHRASE eller en fråga)",
    )
    passphrase.set_defaults(handler=cmd_passphrase)
    rekey = commands.add_parser(
        "rekey", help="byt nyckel: kryptera om registret med ny nyckel, lösenfras och "
        "återställningsnyckel (om lösenfrasen har läckt)"
    )  # fmt: skip
    _add_db(rekey)
    rekey.add_argument(
        "--recovery-key-file",
        type=Path,
        metavar="FIL",
        help="öppna med återställningsnyckeln i denna fil i stället för lösenfrasen",
    )
    rekey.add_argument(
        "--new-passphrase-file",
        type=Path,
        metavar="FIL",
        help="fil vars första rad är den nya lösenfrasen "
        "(annars PO_DESK_NEW_PASSPHRASE eller en fråga)",
    )
    rekey.add_argument(
        "--recovery-key-out",
        type=Path,
        metavar="FIL",
        help="skriv den nya återställningsnyckeln till denna fil i stället för att visa den",
    )
    rekey.set_defaults(handler=cmd_rekey)
    import_parser = commands.add_parser("import", help="importera uppdrag från CSV eller Excel")
    imports = import_parser.add_subparsers(
        dest="what", required=True, title="vad", metavar="VAD", help="vad som ska importeras"
    )
    uppdrag_import = imports.add_parser("uppdrag", help="uppdrag från CSV eller XLSX")
    uppdrag_import.add_argument(
        "file", type=Path, metavar="FIL", help="CSV- eller XLSX-filen som ska importeras"
    )
    _add_db(uppdrag_import, server=True)
    uppdrag_import.add_argument("--dry-run", action="store_true", help="kontrollera bara")
    uppdrag_import.add_argument(
        "--update",
        action="store_true",
        help="ändra även värden som redan finns (visas med --dry-run)",
    )
    uppdrag_import.set_defaults(handler=cmd_import_uppdrag)

    aggregate = commands.add_parser(
        "aggregate", help="sammanställ återrapporter (JSON) till en PDF-, CSV- eller JSON-fil"
    )
    aggregate.add_argument(
        "files", type=Path, nargs="+", metavar="FIL", help="återrapporter i JSON-format"
    )
    aggregate.add_argument(
        "--out",
        type=Path,
        required=True,
        metavar="FIL",
        help="sammanställningens fil; .json, .csv eller .pdf",
    )
    aggregate.add_argument(
        "--previous",
        type=Path,
        nargs="+",
        metavar="FIL",
        help="föregående års återrapporter (JSON): ger en förändringskolumn för varje antal",
    )
    aggregate.set_defaults(handler=cmd_aggregate)

    backup = commands.add_parser("backup", help="skriv en krypterad säkerhetskopia")
    _add_db(backup, server=True)
    backup.add_argument(
        "--out", type=Path, required=True, metavar="FIL", help="säkerhetskopians fil"
    )
    backup.add_argument("--remember", action="store_true", help="med --server: kom ihåg lösenordet")
    backup.add_argument(
        "--recovery-key-out",
        type=Path,
        metavar="FIL",
        help="med --server: spara kopians återställningsnyckel i denna fil",
    )
    backup.set_defaults(handler=cmd_backup)
    restore = commands.add_parser("restore", help="återställ från en säkerhetskopia")
    restore.add_argument("file", type=Path, metavar="KOPIA", help="säkerhetskopians fil")
    _add_db(restore)
    restore.add_argument(
        "--recovery-key-file",
        type=Path,
        metavar="FIL",
        help="använd återställningsnyckeln i denna fil i stället för lösenfrasen",
    )
    restore.add_argument(
        "--other-store",
        action="store_true",
        help="återställ även om kopian är gjord av ett annat register (ersätter det)",
    )
    restore.set_defaults(handler=cmd_restore)

    merge_parser = commands.add_parser("merge", help="sammanfoga register från flera datorer")
    merges = merge_parser.add_subparsers(
        dest="what", required=True, title="vad", metavar="VAD", help="skriva eller föra in"
    )
    merge_export = merges.add_parser("export", help="skriv en krypterad sammanfogningsfil")
    _add_db(merge_export, server=True)
    merge_export.add_argument(
        "--out", type=Path, required=True, metavar="FIL", help="sammanfogningsfilen som skrivs"
    )
    merge_export.add_argument(
        "--merge-passphrase-file",
        type=Path,
        metavar="FIL",
        help="fil vars första rad är filens lösenfras "
        "(annars PO_DESK_MERGE_PASSPHRASE eller en fråga)",
    )
    merge_export.set_defaults(handler=cmd_merge_export)
    merge_import = merges.add_parser("import", help="för in en sammanfogningsfil")
    merge_import.add_argument("file", type=Path, metavar="FIL", help="sammanfogningsfilen")
    _add_db(merge_import, server=True)
    merge_import.add_argument(
        "--merge-passphrase-file",
        type=Path,
        metavar="FIL",
        help="fil vars första rad är filens lösenfras "
        "(annars PO_DESK_MERGE_PASSPHRASE eller en fråga)",
    )
    merge_import.add_argument(
        "--prefer",
        choices=PREFERENCES,
        default=PREFERENCES[0],
        metavar="REGEL",
        help="vid konflikt: nyast (förval), var eller deras",
    )
    merge_import.add_argument(
        "--dry-run", action="store_true", help="visa vad som skulle hända, spara inget"
    )
    merge_import.add_argument(
        "--annan-verksamhet",
        action="store_true",
        help="för in filen även om den kommer från en annan verksamhets register",
    )
    merge_import.set_defaults(handler=cmd_merge_import)

    export = commands.add_parser("export", help="exportera rapporter")
    exports = export.add_subparsers(
        dest="what", required=True, title="vad", metavar="VAD", help="rapporten som ska skrivas"
    )
    underlag = exports.add_parser("underlag", help="underlag till ledningsgruppen (PDF)")
    _add_db(underlag, server=True)
    underlag.add_argument(
        "--from",
        dest="fran",
        type=_iso_date,
        required=True,
        metavar="DATUM",
        help="periodens första dag, ÅÅÅÅ-MM-DD",
    )
    underlag.add_argument(
        "--to",
        dest="till",
        type=_iso_date,
        required=True,
        metavar="DATUM",
        help="periodens sista dag, ÅÅÅÅ-MM-DD",
    )
    underlag.add_argument(
        "--mote", type=_iso_date, metavar="DATUM", help="mötesdatum (förval: i dag)"
    )
    underlag.add_argument(
        "--out", type=Path, required=True, metavar="FIL", help="PDF-filen som skrivs"
    )
    underlag.set_defaults(handler=cmd_export_underlag)
    aterrapport = exports.add_parser("aterrapport", help="återrapport till länsstyrelsen")
    _add_db(aterrapport, server=True)
    aterrapport.add_argument(
        "--year", type=int, required=True, metavar="ÅR", help="året som återrapporten gäller"
    )
    aterrapport.add_argument(
        "--format",
        choices=("pdf", "json", "csv"),
        required=True,
        metavar="FORMAT",
        help="pdf, json eller csv",
    )
    aterrapport.add_argument(
        "--out", type=Path, required=True, metavar="FIL", help="filen som skrivs"
    )
    aterrapport.set_defaults(handler=cmd_export_aterrapport)
    _add_server_commands(commands)
    return parser


def _run_gui(args: argparse.Namespace) -> int:
    from po_desk.ui.app import run

    return run(demo=args.demo, db=args.db, quit_after=args.quit_after, server=args.server)


def entry() -> NoReturn:
    """The program (`po-desk`, `python -m po_desk`): `main`, then out of the process
    without Python's slow shutdown of every module (po_desk/process_exit.py)."""
    code = main()
    from po_desk.process_exit import leave

    leave(code)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    # `--version` and `--help` end in parse_args: logging is set up for the commands only.
    args = parser.parse_args(argv)
    from po_desk.logging_setup import configure_cli_logging

    configure_cli_logging()
    handler: Callable[[argparse.Namespace], int] = getattr(args, "handler", _run_gui)
    if args.command is not None and args.command in ("demo",) and args.uppdrag < 0:
        parser.error("--uppdrag måste vara 0 eller fler")
    try:
        if getattr(args, "store_choice", False):
            _check_store_choice(args)
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
        where = f" ({error.filename})" if error.filename else ""
        print(
            f"po-desk: filen kunde inte skrivas eller läsas{where}: {os_reason(error)}.",
            file=sys.stderr,
        )
        return 1
    except Exception as error:
        import logging
        import traceback

        from po_desk import diagnostics

        # The type and the innermost frame of our code, never the message or a value.
        logging.getLogger(__name__).info("unexpected %s", diagnostics.summary(error))
        if getattr(args, "debug", False):
            traceback.print_exc()
        print(
            f"po-desk: oväntat fel ({diagnostics.summary(error)}); inget halvfärdigt sparades."
            " Kör med --debug för hela förloppet.",
            file=sys.stderr,
        )
        return 1
