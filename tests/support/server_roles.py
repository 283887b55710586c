"""People in each po-desk group on the services database (tests/conftest.py's
`pg_services_db`), and a workspace opened as each of them. Imported as fixtures by the
tests of the role-aware services, CLI and GUI."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from po_desk.services.workspace import Workspace

ROLE_PASSWORD = "ett långt rollösenord 27"
# Role names are cluster-wide: these are used by no other test module.
ROLE_USERS = {"ombud": "h27_ombud", "lasare": "h27_lasare", "enhetschef": "h27_chef"}


@pytest.fixture(scope="session")
def role_users(pg_cluster, pg_services_db) -> dict[str, str]:
    """One login per group on the services database: group → user name."""
    from tests.conftest import add_server_person

    name, admin_connection = pg_services_db
    for group, user in ROLE_USERS.items():
        exists = admin_connection.execute(
            "SELECT 1 FROM pg_roles WHERE rolname = %s", (user,)
        ).fetchone()
        if not exists:
            add_server_person(
                pg_cluster, name, user, group, ROLE_PASSWORD, admin_connection.info_recovery_key
            )
    return dict(ROLE_USERS)


def role_url(pg_cluster, pg_services_db, user: str, password: str | None = ROLE_PASSWORD) -> str:
    return pg_cluster.url(user, password, database=pg_services_db[0])


@pytest.fixture(params=sorted(ROLE_USERS))
def role_workspace(
    request: pytest.FixtureRequest, pg_cluster, pg_services_db, role_users, server_workspace
) -> Iterator[Workspace]:
    """The services database reset to its seed (through `server_workspace`), opened as a
    person in each group in turn; `request.param` is the group."""
    from po_desk.services import server_service

    url = role_url(pg_cluster, pg_services_db, role_users[request.param])
    workspace = server_service.open_workspace(server_service.resolve(url))
    yield workspace
    workspace.session.close()
