from po_desk.store import server_engine, migrate
def test_m(pg_cluster):
    e = server_engine.open_server_engine(server_engine.ServerProfile.from_url(pg_cluster.admin_url()))
    migrate.migrate(e)
    print(migrate.current_revision(e))
