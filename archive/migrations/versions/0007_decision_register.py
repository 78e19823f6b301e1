"""The decision register: each resolution's follow-up state and its history, the due date read from a
resolution's text, and the state a referring document proposes with its evidence.

Revision ID: 0007
Revises: 0004
Create Date: 2026-12-01
"""
from alembic import op
import sqlalchemy as sa

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("resolutions") as batch:
        batch.add_column(sa.Column("due", sa.String(10), nullable=True))
    with op.batch_alter_table("resolution_references") as batch:
        batch.add_column(sa.Column("proposed_state", sa.String(16), nullable=True))
        batch.add_column(sa.Column("evidence", sa.Text, nullable=True))
    op.create_table(
        "resolution_states",
        sa.Column("document_id", sa.String(16),
                  sa.ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("anchor", sa.String(16), primary_key=True),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("due", sa.String(10), nullable=True),
        sa.Column("organization", sa.String(256), nullable=True),
        sa.Column("evidence_document_id", sa.String(16), nullable=True),
        sa.Column("note", sa.Text, nullable=False, server_default=""),
        sa.Column("user", sa.String(128), nullable=False),
        sa.Column("at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_resolution_states_state", "resolution_states", ["state"])
    op.create_table(
        "resolution_state_history",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("document_id", sa.String(16),
                  sa.ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
        sa.Column("anchor", sa.String(16), nullable=False),
        sa.Column("old_state", sa.String(16), nullable=False),
        sa.Column("new_state", sa.String(16), nullable=False),
        sa.Column("due", sa.String(10), nullable=True),
        sa.Column("evidence_document_id", sa.String(16), nullable=True),
        sa.Column("note", sa.Text, nullable=False, server_default=""),
        sa.Column("user", sa.String(128), nullable=False),
        sa.Column("at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_resolution_state_history_document_id", "resolution_state_history", ["document_id"])


def downgrade() -> None:
    op.drop_index("ix_resolution_state_history_document_id", "resolution_state_history")
    op.drop_table("resolution_state_history")
    op.drop_index("ix_resolution_states_state", "resolution_states")
    op.drop_table("resolution_states")
    with op.batch_alter_table("resolution_references") as batch:
        batch.drop_column("evidence")
        batch.drop_column("proposed_state")
    with op.batch_alter_table("resolutions") as batch:
        batch.drop_column("due")
