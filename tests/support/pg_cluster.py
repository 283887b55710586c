"""A throw-away PostgreSQL cluster for the server tests.

`initdb` in a temporary folder, listening on 127.0.0.1 only on a free port, SCRAM
passwords, TLS only (pg_hba has `hostssl` lines and no `host` line, so a plain TCP
connection is refused) with a CA and a server certificate made here with `cryptography`.
As root the cluster runs as an unprivileged user (initdb refuses root).
"""

from __future__ import annotations

import contextlib
import datetime
import functools
import glob
import ipaddress
import os
import secrets
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

ADMIN = "po_admin"
DATABASE = "podesk"
REQUIRE_ENV = "PO_DESK_REQUIRE_PG"


def strict_initialise() -> Callable[..., Any]:
    """`server_admin.initialise` as the program has it (one register per cluster)."""
    from po_desk.store import server_admin

    function: Any = server_admin.initialise
    while isinstance(function, functools.partial):
        function = function.func
    return function  # type: ignore[no-any-return]


@contextlib.contextmanager
def several_registers() -> Iterator[None]:
    """Test support only: `server init` on several databases of one throw-away cluster.

    The group roles are cluster-wide and the program refuses a second register on a
    cluster; the tests and the benchmark keep many test registers on their one cluster
    (a cluster per register would cost seconds each), so they share the groups."""
    from po_desk.store import server_admin

    previous = server_admin.initialise
    server_admin.initialise = functools.partial(  # type: ignore[assignment]
        strict_initialise(), allow_shared_groups=True
    )
    try:
        yield
    finally:
        server_admin.initialise = previous  # type: ignore[assignment]


class ClusterUnavailable(RuntimeError):
    """PostgreSQL is not installed or did not start; the reason is the message."""


def find_binaries() -> tuple[Path, Path]:
    """initdb and pg_ctl: on PATH, else the newest Debian /usr/lib/postgresql/<ver>/bin."""
    initdb, pg_ctl = shutil.which("initdb"), shutil.which("pg_ctl")
    if initdb and pg_ctl:
        return Path(initdb), Path(pg_ctl)
    folders = sorted(
        glob.glob("/usr/lib/postgresql/*/bin"),
        key=lambda folder: int(Path(folder).parent.name.split(".")[0] or 0),
        reverse=True,
    )
    for folder in folders:
        candidate = Path(folder)
        if (candidate / "initdb").is_file() and (candidate / "pg_ctl").is_file():
            return candidate / "initdb", candidate / "pg_ctl"
    raise ClusterUnavailable("PostgreSQL (initdb, pg_ctl) finns inte på den här datorn")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def make_ca(common_name: str) -> tuple[ec.EllipticCurvePrivateKey, x509.Certificate]:
    key = ec.generate_private_key(ec.SECP256R1())
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name(common_name))
        .issuer_name(_name(common_name))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=2))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .sign(key, hashes.SHA256())
    )
    return key, cert


def make_server_cert(
    ca_key: ec.EllipticCurvePrivateKey, ca_cert: x509.Certificate
) -> tuple[ec.EllipticCurvePrivateKey, x509.Certificate]:
    key = ec.generate_private_key(ec.SECP256R1())
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name("localhost"))
        .issuer_name(ca_cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=2))
        .add_extension(
            x509.SubjectAlternativeName(
                [
                    x509.DNSName("localhost"),
                    x509.IPAddress(ipaddress.IPv4Address("127.0.0.1")),
                ]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    return key, cert


def _pem_cert(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.PEM)


def _pem_key(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


@dataclass
class PgCluster:
    folder: Path
    pg_ctl: Path
    port: int
    ca_file: Path
    other_ca_file: Path
    admin_password: str
    run_as: tuple[int, int] | None
    host: str = "127.0.0.1"
    database: str = DATABASE
    admin: str = ADMIN
    log_file: Path = field(init=False)

    def __post_init__(self) -> None:
        self.log_file = self.folder / "server.log"

    @property
    def data(self) -> Path:
        return self.folder / "data"

    def url(
        self,
        user: str,
        password: str | None = None,
        *,
        database: str | None = None,
        host: str | None = None,
        ca_file: Path | None = None,
        sslmode: str = "verify-full",
        **extra: str,
    ) -> str:
        """A postgresql:// URL in the form `--server` takes."""
        auth = quote(user, safe="")
        if password is not None:
            auth += ":" + quote(password, safe="")
        query = {"sslmode": sslmode, "sslrootcert": str(ca_file or self.ca_file), **extra}
        tail = "&".join(f"{key}={quote(value, safe='/')}" for key, value in query.items())
        return (
            f"postgresql://{auth}@{host or self.host}:{self.port}/"
            f"{database or self.database}?{tail}"
        )

    def admin_url(self, **kwargs: str) -> str:
        return self.url(self.admin, self.admin_password, **kwargs)

    def stop(self) -> None:
        _run(
            [str(self.pg_ctl), "-D", str(self.data), "-m", "immediate", "stop"],
            self.run_as,
            self.folder,
            check=False,
        )
        shutil.rmtree(self.folder, ignore_errors=True)


def _run(
    command: list[str], run_as: tuple[int, int] | None, cwd: Path, check: bool = True
) -> subprocess.CompletedProcess[str]:
    kwargs: dict[str, object] = {}
    if run_as is not None:
        kwargs = {"user": run_as[0], "group": run_as[1], "extra_groups": []}
    env = {**os.environ, "LC_ALL": "C", "LANG": "C"}
    result = subprocess.run(
        command,
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        **kwargs,  # type: ignore[arg-type]
    )
    if check and result.returncode != 0:
        raise ClusterUnavailable(
            f"{Path(command[0]).name} misslyckades: {(result.stderr or result.stdout).strip()}"
        )
    return result


def _unprivileged_user() -> tuple[int, int] | None:
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        return None
    import pwd  # POSIX only, and only needed as root

    for name in ("postgres", "nobody"):
        try:
            entry = pwd.getpwnam(name)
        except KeyError:
            continue
        return entry.pw_uid, entry.pw_gid
    raise ClusterUnavailable("ingen oprivilegierad användare (postgres, nobody) att köra som")


def start() -> PgCluster:
    """Starts a fresh cluster with database `podesk`; the caller stops it."""
    initdb, pg_ctl = find_binaries()
    run_as = _unprivileged_user()
    folder = Path(tempfile.mkdtemp(prefix="po-desk-pg-"))
    try:
        ca_key, ca_cert = make_ca("po-desk test CA")
        _other_key, other_ca = make_ca("po-desk other CA")
        server_key, server_cert = make_server_cert(ca_key, ca_cert)
        (folder / "ca.crt").write_bytes(_pem_cert(ca_cert))
        (folder / "other-ca.crt").write_bytes(_pem_cert(other_ca))
        (folder / "server.crt").write_bytes(_pem_cert(server_cert))
        (folder / "server.key").write_bytes(_pem_key(server_key))
        os.chmod(folder / "server.key", 0o600)
        password = secrets.token_urlsafe(18)
        (folder / "pwfile").write_text(password + "\n")
        os.chmod(folder / "pwfile", 0o600)
        if run_as is not None:
            for path in [folder, *folder.iterdir()]:
                os.chown(path, *run_as)
        _run(
            [
                str(initdb),
                "-D",
                str(folder / "data"),
                "-U",
                ADMIN,
                f"--pwfile={folder / 'pwfile'}",
                "--auth=scram-sha-256",
                "--encoding=UTF8",
                "--locale=C",
                "--no-sync",
            ],
            run_as,
            folder,
        )
        (folder / "pwfile").unlink()
        port = _free_port()
        settings = f"""
listen_addresses = '127.0.0.1'
port = {port}
unix_socket_directories = '{folder}'
ssl = on
ssl_cert_file = '{folder / "server.crt"}'
ssl_key_file = '{folder / "server.key"}'
ssl_min_protocol_version = 'TLSv1.2'
password_encryption = 'scram-sha-256'
fsync = off
synchronous_commit = off
full_page_writes = off
shared_buffers = 16MB
max_connections = 60
"""
        with open(folder / "data" / "postgresql.conf", "a", encoding="utf-8") as conf:
            conf.write(settings)
        # TLS only: no `host` or `local` line, so plain TCP and the socket are refused.
        (folder / "data" / "pg_hba.conf").write_text("hostssl all all 127.0.0.1/32 scram-sha-256\n")
        if run_as is not None:
            os.chown(folder / "data" / "pg_hba.conf", *run_as)
        cluster = PgCluster(
            folder=folder,
            pg_ctl=pg_ctl,
            port=port,
            ca_file=folder / "ca.crt",
            other_ca_file=folder / "other-ca.crt",
            admin_password=password,
            run_as=run_as,
        )
        _run(
            [
                str(pg_ctl),
                "-D",
                str(folder / "data"),
                "-l",
                str(cluster.log_file),
                "-w",
                "-t",
                "30",
                "start",
            ],
            run_as,
            folder,
        )
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    try:
        _create_database(cluster)
    except BaseException:
        cluster.stop()
        raise
    return cluster


def _create_database(cluster: PgCluster) -> None:
    import psycopg

    with psycopg.connect(
        host=cluster.host,
        port=cluster.port,
        dbname="postgres",
        user=cluster.admin,
        password=cluster.admin_password,
        sslmode="verify-full",
        sslrootcert=str(cluster.ca_file),
        autocommit=True,
    ) as connection:
        connection.execute(f'CREATE DATABASE "{cluster.database}"')
