"""Metadata: meeting number, addressee and organizations named; resolution anchors; clerks'
corrections with their history; references from documents to resolutions.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28
"""
from alembic import op
import sqlalchemy as sa

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("documents") as batch:
        batch.add_column(sa.Column("meeting", sa.String(32), nullable=True))
        batch.add_column(sa.Column("addressee", sa.String(256), nullable=True))
        batch.add_column(sa.Column("organizations", sa.Text, nullable=False, server_default="[]"))
        batch.create_index("ix_documents_meeting", ["meeting"])
    with op.batch_alter_table("resolutions") as batch:
        batch.add_column(sa.Column("anchor", sa.String(16), nullable=False, server_default=""))
    op.execute("UPDATE resolutions SET anchor = 'r' || ordinal")
    op.create_table(
        "corrections",
        sa.Column("document_id", sa.String(16),
                  sa.ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("field", sa.String(32), primary_key=True),
        sa.Column("value", sa.Text, nullable=True),
        sa.Column("user", sa.String(128), nullable=False),
        sa.Column("at", sa.DateTime, nullable=False),
    )
    op.create_table(
        "correction_history",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("document_id", sa.String(16),
                  sa.ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
        sa.Column("field", sa.String(32), nullable=False),
        sa.Column("old_value", sa.Text, nullable=True),
        sa.Column("new_value", sa.Text, nullable=True),
        sa.Column("user", sa.String(128), nullable=False),
        sa.Column("at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_correction_history_document_id", "correction_history", ["document_id"])
    op.create_table(
        "resolution_references",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("document_id", sa.String(16),
                  sa.ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
        sa.Column("resolution_number", sa.String(32), nullable=False),
        sa.Column("meeting", sa.String(32), nullable=True),
        sa.Column("organization", sa.String(256), nullable=True),
        sa.Column("text", sa.Text, nullable=False),
    )
    op.create_index("ix_resolution_references_document_id", "resolution_references", ["document_id"])
    op.create_index("ix_resolution_references_meeting", "resolution_references", ["meeting"])


def downgrade() -> None:
    op.drop_table("resolution_references")
    op.drop_table("correction_history")
    op.drop_table("corrections")
    with op.batch_alter_table("resolutions") as batch:
        batch.drop_column("anchor")
    with op.batch_alter_table("documents") as batch:
        batch.drop_index("ix_documents_meeting")
        batch.drop_column("organizations")
        batch.drop_column("addressee")
        batch.drop_column("meeting")
