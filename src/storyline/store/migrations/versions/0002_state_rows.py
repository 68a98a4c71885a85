"""The clusterer's and deduper's state as rows (`store/state_rows.py`) instead of two blobs in
`meta` saved whole with every window: tables `cluster_stories`, `cluster_postings`,
`cluster_terms` and `dedupe_signatures`, filled from the blobs of a store that has them; and
`writers`, the writers at work (whose windows wait to be placed together in publication order). A
blob of another model version is kept as it is: loading it asks for `recluster`, as before."""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.orm import Session

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    from storyline.store.state_rows import convert_blobs

    op.create_table(
        "cluster_stories",
        sa.Column("story_id", sa.String(), primary_key=True),
        sa.Column("state", sa.LargeBinary(), nullable=True),
        sa.Column("saved", sa.Integer(), nullable=False, index=True),
    )
    op.create_table(
        "cluster_postings",
        sa.Column("key", sa.String(), primary_key=True),
        sa.Column("stories", sa.JSON(), nullable=False),
        sa.Column("saved", sa.Integer(), nullable=False, index=True),
    )
    op.create_table(
        "cluster_terms",
        sa.Column("channel", sa.Integer(), primary_key=True),
        sa.Column("term", sa.String(), primary_key=True),
        sa.Column("frequency", sa.Integer(), nullable=False),
        sa.Column("saved", sa.Integer(), nullable=False, index=True),
    )
    op.create_table(
        "dedupe_signatures",
        sa.Column("article_id", sa.String(), primary_key=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("original", sa.String(), nullable=True),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("signature", sa.LargeBinary(), nullable=False),
        sa.Column("saved", sa.Integer(), nullable=False, index=True),
    )
    op.create_table(
        "writers",
        sa.Column("id", sa.String(), primary_key=True),
        sa.Column("host", sa.String(), nullable=False),
        sa.Column("pid", sa.Integer(), nullable=False),
        sa.Column("seen", sa.Float(), nullable=False),
    )
    bind = op.get_bind()
    version = bind.execute(sa.text("SELECT value FROM meta WHERE key = 'state_version'")).scalar()
    session = Session(bind=bind)
    convert_blobs(session, int(version) if version is not None else 0)
    session.flush()


def downgrade() -> None:
    raise NotImplementedError("storyline stores are not downgraded")
