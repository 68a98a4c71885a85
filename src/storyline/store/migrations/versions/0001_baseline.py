"""Baseline: the schema of storyline 0.1.0, before migrations (articles, article_versions,
article_actors, quotes, events, meta; FTS5 search on SQLite). Stores made before then have
no `alembic_version` table: they are stamped with this revision when first opened."""

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass  # a store at the baseline was made by `create_all` of that version's models


def downgrade() -> None:
    raise NotImplementedError("storyline stores are not downgraded")
