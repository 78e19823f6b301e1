"""Why a page was read by OCR: the text layer's fault, a page without a text layer, or an image file
(indexer/extract/reasons.py). Null for pages read from their text layer, and for pages read before.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02
"""
from alembic import op
import sqlalchemy as sa

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("pages") as batch:
        batch.add_column(sa.Column("ocr_reason", sa.Text, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("pages") as batch:
        batch.drop_column("ocr_reason")
