"""Corrections: the analyst's corrections of stories, actors, quotes and events (corrections.py),
and the conflicts where one overruled the model's evidence."""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "corrections",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("kind", sa.String, nullable=False, index=True),
        sa.Column("author", sa.String, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("note", sa.Text),
        sa.Column("data", sa.JSON, nullable=False),
        sa.Column("effect", sa.JSON, nullable=False),
        sa.Column("undone_by", sa.Integer, index=True),
    )
    op.create_table(
        "correction_conflicts",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("correction_id", sa.Integer, nullable=False, index=True),
        sa.Column("article_id", sa.String, nullable=False, index=True),
        sa.Column("detail", sa.Text, nullable=False),
        sa.Column("found_at", sa.DateTime, nullable=False),
    )


def downgrade() -> None:
    raise NotImplementedError("storyline stores are not downgraded")
