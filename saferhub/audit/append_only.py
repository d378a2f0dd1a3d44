"""The database refuses to change or remove audit entries (issue #6: the log is append-only).

Three layers, so the guarantee holds even for code that bypasses the ORM:

1. The ORM: AuditEvent's manager and instances refuse update() and delete().
2. Triggers (both databases): any UPDATE or DELETE of audit_auditevent (and TRUNCATE on
   PostgreSQL) raises "the audit log is append-only", whoever the database role is,
   owner included.
3. PostgreSQL privileges: the migration revokes UPDATE, DELETE and TRUNCATE on the table
   from the role that runs it (the application's role). Deployments whose migrations
   run as a separate owner role grant the application only SELECT and INSERT.

`maintenance()` is the one sanctioned way past the triggers. It is for the test suite's
flush between transactional tests, the demo's backdated history (never in production)
and, later, the retention and erasure work: that path must also hold the privileges
(GRANT them to itself as owner, in the same transaction) and record what it removed in
the log itself, so the chain can be re-anchored (see issue #6). The switch is per
connection: PostgreSQL's `saferhub.audit_maintenance` setting; on SQLite a function
saferhub registers on each connection (any other SQLite client lacks the function, so
its UPDATE or DELETE fails: closed, not open).
"""

from contextlib import contextmanager

from django.db import DatabaseError, connections

TABLE = "audit_auditevent"
MESSAGE = "the audit log is append-only"

POSTGRESQL_INSTALL = [
    f"""
    CREATE OR REPLACE FUNCTION audit_append_only() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        IF coalesce(current_setting('saferhub.audit_maintenance', true), '') <> 'on' THEN
            RAISE EXCEPTION '{MESSAGE}: % refused', TG_OP;
        END IF;
        IF TG_OP = 'DELETE' THEN
            RETURN OLD;
        END IF;
        RETURN NEW;
    END
    $$
    """,
    f"""
    CREATE TRIGGER audit_append_only_rows BEFORE UPDATE OR DELETE ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION audit_append_only()
    """,
    f"""
    CREATE TRIGGER audit_append_only_truncate BEFORE TRUNCATE ON {TABLE}
    FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only()
    """,
    f"REVOKE UPDATE, DELETE, TRUNCATE ON {TABLE} FROM PUBLIC, CURRENT_USER",
]
POSTGRESQL_UNINSTALL = [
    f"GRANT UPDATE, DELETE, TRUNCATE ON {TABLE} TO CURRENT_USER",
    f"DROP TRIGGER IF EXISTS audit_append_only_truncate ON {TABLE}",
    f"DROP TRIGGER IF EXISTS audit_append_only_rows ON {TABLE}",
    "DROP FUNCTION IF EXISTS audit_append_only()",
]
SQLITE_FUNCTION = "saferhub_audit_maintenance"
SQLITE_INSTALL = [
    f"""
    CREATE TRIGGER audit_append_only_{op.lower()} BEFORE {op} ON {TABLE}
    WHEN {SQLITE_FUNCTION}() IS NOT 1
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}: {op} refused'); END
    """
    for op in ("UPDATE", "DELETE")
]
SQLITE_UNINSTALL = [f"DROP TRIGGER IF EXISTS audit_append_only_{op}" for op in ("update", "delete")]


def install(schema_editor) -> None:
    _run(schema_editor, POSTGRESQL_INSTALL, SQLITE_INSTALL)


def uninstall(schema_editor) -> None:
    _run(schema_editor, POSTGRESQL_UNINSTALL, SQLITE_UNINSTALL)


def _run(schema_editor, postgresql: list[str], sqlite: list[str]) -> None:
    vendor = schema_editor.connection.vendor
    statements = {"postgresql": postgresql, "sqlite": sqlite}.get(vendor)
    if statements is None:
        raise NotImplementedError(f"No append-only audit log for {vendor}.")
    for statement in statements:
        schema_editor.execute(statement, params=None)


def register_sqlite_function(sender, connection, **kwargs) -> None:
    """connection_created: give each SQLite connection the maintenance switch's function."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(
            SQLITE_FUNCTION, 0, lambda: 1 if getattr(connection, "audit_maintenance", False) else 0
        )


@contextmanager
def maintenance(using: str = "default"):
    """Let this connection change or remove audit entries for the block (see above)."""
    connection = connections[using]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('saferhub.audit_maintenance', 'on', false)")
        try:
            yield
        finally:
            try:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT set_config('saferhub.audit_maintenance', 'off', false)")
            except DatabaseError:
                # The transaction failed: rolling it back undoes the setting too.
                pass
    else:
        connection.ensure_connection()
        connection.audit_maintenance = True
        try:
            yield
        finally:
            connection.audit_maintenance = False
