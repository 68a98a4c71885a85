"""Store schema creation and upgrades, one mechanism for SQLite and PostgreSQL: Alembic.

- A new store gets every table of `models.py` and its search index, and is stamped with the
  newest revision.
- An existing store runs the revisions in `migrations/versions/` it has not run (a store made
  before migrations existed has no `alembic_version` table and is stamped with the baseline
  first), then gains what the models add and it lacks: tables, nullable columns, indexes.
  Additive changes thus need no revision; anything else (a rename, a type change, moving data)
  is written as a revision.

All of it runs in one transaction holding the schema lock, so processes opening a new store at
once take turns; PostgreSQL's DDL is transactional, so a failed upgrade leaves the store as it was.
"""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.operations import Operations
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Column, insert, inspect, text
from sqlalchemy.engine import Connection

from .models import SCHEMA_VERSION, Base, MetaRow

MIGRATIONS = Path(__file__).parent / "migrations"
BASELINE = "0001"
SCHEMA_LOCK = 0x5707_11E0  # PostgreSQL advisory lock taken while a schema is created or upgraded
# the words of the search index: what SQLite's FTS5 (unicode61) does, case-folded words, no stemming
SEARCH_CONFIG = "simple"
SEARCH_DOCUMENT = f"to_tsvector('{SEARCH_CONFIG}', coalesce(title, '') || ' ' || text)"


def upgrade(connection: Connection) -> None:
    """Bring the store on `connection` to the current schema (within the caller's transaction)."""
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": SCHEMA_LOCK})
    script = ScriptDirectory(str(MIGRATIONS))
    tables = set(inspect(connection).get_table_names())
    if "articles" not in tables:
        Base.metadata.create_all(connection)
        connection.execute(insert(MetaRow).values(key="schema_version", value=str(SCHEMA_VERSION).encode()))
        MigrationContext.configure(connection).stamp(script, "head")
    else:
        if "alembic_version" not in tables:
            MigrationContext.configure(connection).stamp(script, BASELINE)
        context = MigrationContext.configure(
            connection, opts={"script": script, "fn": lambda revision, _: script._upgrade_revs("head", revision)}
        )
        with Operations.context(context):
            context.run_migrations()
        add_missing(connection)
    create_search_index(connection)


def add_missing(connection: Connection) -> None:
    """Create the tables, columns and indexes the models have and the store lacks. Differences
    that are not additions (the search tables, a changed type) are left to revisions."""
    context = MigrationContext.configure(connection)
    operations = Operations(context)
    for difference in compare_metadata(context, Base.metadata):
        if isinstance(difference, list):  # column changes come grouped; none is an addition
            continue
        kind = difference[0]
        if kind == "add_table":
            difference[1].create(connection)
        elif kind == "add_column":
            _, _, table, column = difference
            operations.add_column(table, Column(column.name, column.type, nullable=True))
        elif kind == "add_index":
            difference[1].create(connection)


def create_search_index(connection: Connection) -> None:
    """Full-text search over titles and texts: FTS5 kept by triggers on SQLite, a GIN expression
    index on PostgreSQL (queried with the same expression, `SEARCH_DOCUMENT`)."""
    if connection.dialect.name == "postgresql":
        connection.execute(text(f"CREATE INDEX IF NOT EXISTS articles_search ON articles USING GIN ({SEARCH_DOCUMENT})"))
        return
    if connection.dialect.name != "sqlite":
        return
    connection.execute(
        text("CREATE VIRTUAL TABLE IF NOT EXISTS articles_fts USING fts5(title, text, content='articles', content_rowid='rowid')")
    )
    for name, body in {
        "articles_fts_insert": "AFTER INSERT ON articles BEGIN "
        "INSERT INTO articles_fts(rowid, title, text) VALUES (new.rowid, new.title, new.text); END",
        "articles_fts_delete": "AFTER DELETE ON articles BEGIN "
        "INSERT INTO articles_fts(articles_fts, rowid, title, text) VALUES ('delete', old.rowid, old.title, old.text); END",
        "articles_fts_update": "AFTER UPDATE OF title, text ON articles BEGIN "
        "INSERT INTO articles_fts(articles_fts, rowid, title, text) VALUES ('delete', old.rowid, old.title, old.text); "
        "INSERT INTO articles_fts(rowid, title, text) VALUES (new.rowid, new.title, new.text); END",
    }.items():
        connection.execute(text(f"CREATE TRIGGER IF NOT EXISTS {name} {body}"))
