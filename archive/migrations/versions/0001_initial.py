"""Initial catalog: documents, their pages and their resolutions.

Revision ID: 0001
Revises:
Create Date: 2026-11-28
"""
from alembic import op
import sqlalchemy as sa

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "documents",
        sa.Column("id", sa.String(16), primary_key=True),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("filename", sa.String(512), nullable=False),
        sa.Column("mime", sa.String(128), nullable=False),
        sa.Column("size", sa.Integer, nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("kind_reasons", sa.Text, nullable=False),
        sa.Column("date_jalali", sa.String(10), nullable=True),
        sa.Column("date_gregorian", sa.Date, nullable=True),
        sa.Column("number", sa.String(128), nullable=True),
        sa.Column("organization", sa.String(256), nullable=True),
        sa.Column("parent_id", sa.String(16), sa.ForeignKey("documents.id"), nullable=True),
        sa.Column("added_at", sa.DateTime, nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_documents_sha256", "documents", ["sha256"], unique=True)
    op.create_index("ix_documents_kind", "documents", ["kind"])
    op.create_index("ix_documents_date_jalali", "documents", ["date_jalali"])
    op.create_index("ix_documents_organization", "documents", ["organization"])
    op.create_index("ix_documents_parent_id", "documents", ["parent_id"])
    op.create_table(
        "pages",
        sa.Column("document_id", sa.String(16),
                  sa.ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("number", sa.Integer, primary_key=True),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("ocr", sa.Boolean, nullable=False),
        sa.Column("ocr_confidence", sa.Float, nullable=True),
    )
    op.create_table(
        "resolutions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("document_id", sa.String(16),
                  sa.ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
        sa.Column("ordinal", sa.Integer, nullable=False),
        sa.Column("number", sa.String(32), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.UniqueConstraint("document_id", "ordinal"),
    )
    op.create_index("ix_resolutions_document_id", "resolutions", ["document_id"])


def downgrade() -> None:
    op.drop_table("resolutions")
    op.drop_table("pages")
    op.drop_table("documents")
