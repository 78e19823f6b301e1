"""Where a document's title came from (indexer/metadata/titles.py): its heading, its subject line, an
order's formula, the e-mail's Subject, a clerk, or only a phrase of its file name. The ranking weighs
a title by it (indexer/search/schema.py). Rows archived before are taken as headings, as they were
ranked, until `bayegan reread` reads them again.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02
"""
from alembic import op
import sqlalchemy as sa

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("documents") as batch:
        batch.add_column(sa.Column("title_source", sa.String(16), nullable=False, server_default="heading"))


def downgrade() -> None:
    with op.batch_alter_table("documents") as batch:
        batch.drop_column("title_source")
