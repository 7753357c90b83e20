"""Implementation tracking (issue 7): workspaces, members, actors, commitments, measures,
indicators, progress reports with evidence, assessments, reminders, revisions; and the links
between recommendations of successive cycles.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "fu_workspaces",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=60), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("state", sa.String(length=3), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=80), nullable=True),
        sa.ForeignKeyConstraint(
            ["state"],
            ["states.alpha3"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("slug"),
    )
    op.create_table(
        "fu_actors",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("state", sa.String(length=3), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=80), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("deleted_by", sa.String(length=80), nullable=True),
        sa.ForeignKeyConstraint(
            ["parent_id"],
            ["fu_actors.id"],
        ),
        sa.ForeignKeyConstraint(
            ["state"],
            ["states.alpha3"],
        ),
        sa.ForeignKeyConstraint(["workspace_id"], ["fu_workspaces.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_fu_actors_workspace_id"), "fu_actors", ["workspace_id"], unique=False)
    op.create_table(
        "fu_members",
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("email", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["workspace_id"], ["fu_workspaces.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("workspace_id", "user_id"),
    )
    op.create_table(
        "fu_reminders",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("item_kind", sa.String(length=12), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("recipient", sa.String(length=200), nullable=False),
        sa.Column("reason", sa.String(length=12), nullable=False),
        sa.Column("sent_on", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(["workspace_id"], ["fu_workspaces.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("item_kind", "item_id", "recipient", "reason", "sent_on", name="uq_fu_reminder"),
    )
    op.create_index(op.f("ix_fu_reminders_workspace_id"), "fu_reminders", ["workspace_id"], unique=False)
    op.create_table(
        "fu_revisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("entity", sa.String(length=20), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=10), nullable=False),
        sa.Column("actor", sa.String(length=80), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("before", sa.Text(), nullable=True),
        sa.Column("after", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["workspace_id"], ["fu_workspaces.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_fu_revisions_entity", "fu_revisions", ["entity", "entity_id"], unique=False)
    op.create_index(op.f("ix_fu_revisions_workspace_id"), "fu_revisions", ["workspace_id"], unique=False)
    op.create_table(
        "fu_commitments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("recommendation_id", sa.Integer(), nullable=True),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("pledge", sa.Text(), nullable=True),
        sa.Column("source", sa.Text(), nullable=True),
        sa.Column("visibility", sa.String(length=10), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=80), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("deleted_by", sa.String(length=80), nullable=True),
        sa.ForeignKeyConstraint(
            ["recommendation_id"],
            ["recommendations.id"],
        ),
        sa.ForeignKeyConstraint(["workspace_id"], ["fu_workspaces.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        op.f("ix_fu_commitments_recommendation_id"), "fu_commitments", ["recommendation_id"], unique=False
    )
    op.create_index(op.f("ix_fu_commitments_workspace_id"), "fu_commitments", ["workspace_id"], unique=False)
    op.create_table(
        "recommendation_links",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("recommendation_id", sa.Integer(), nullable=False),
        sa.Column("earlier_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("score", sa.Float(), nullable=True),
        sa.Column("method", sa.String(length=60), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=80), nullable=True),
        sa.ForeignKeyConstraint(["earlier_id"], ["recommendations.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["recommendation_id"], ["recommendations.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("recommendation_id", "earlier_id", name="uq_recommendation_link"),
    )
    op.create_index(
        op.f("ix_recommendation_links_earlier_id"), "recommendation_links", ["earlier_id"], unique=False
    )
    op.create_index(
        op.f("ix_recommendation_links_recommendation_id"),
        "recommendation_links",
        ["recommendation_id"],
        unique=False,
    )
    op.create_table(
        "fu_assessments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("commitment_id", sa.Integer(), nullable=False),
        sa.Column("assessor_type", sa.String(length=20), nullable=False),
        sa.Column("assessor", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("assessed_on", sa.Date(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("visibility", sa.String(length=10), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=80), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("deleted_by", sa.String(length=80), nullable=True),
        sa.ForeignKeyConstraint(
            ["commitment_id"],
            ["fu_commitments.id"],
        ),
        sa.ForeignKeyConstraint(["workspace_id"], ["fu_workspaces.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        op.f("ix_fu_assessments_commitment_id"), "fu_assessments", ["commitment_id"], unique=False
    )
    op.create_index(op.f("ix_fu_assessments_workspace_id"), "fu_assessments", ["workspace_id"], unique=False)
    op.create_table(
        "fu_commitment_actors",
        sa.Column("commitment_id", sa.Integer(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=False),
        sa.Column("lead", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"],
            ["fu_actors.id"],
        ),
        sa.ForeignKeyConstraint(["commitment_id"], ["fu_commitments.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("commitment_id", "actor_id"),
    )
    op.create_table(
        "fu_indicators",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("commitment_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("unit", sa.Text(), nullable=True),
        sa.Column("baseline", sa.Text(), nullable=True),
        sa.Column("target", sa.Text(), nullable=True),
        sa.Column("frequency", sa.String(length=12), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("responsible_user_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=80), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("deleted_by", sa.String(length=80), nullable=True),
        sa.ForeignKeyConstraint(
            ["commitment_id"],
            ["fu_commitments.id"],
        ),
        sa.ForeignKeyConstraint(
            ["responsible_user_id"],
            ["users.id"],
        ),
        sa.ForeignKeyConstraint(["workspace_id"], ["fu_workspaces.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_fu_indicators_commitment_id"), "fu_indicators", ["commitment_id"], unique=False)
    op.create_index(op.f("ix_fu_indicators_workspace_id"), "fu_indicators", ["workspace_id"], unique=False)
    op.create_table(
        "fu_measures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("commitment_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("responsible_user_id", sa.Integer(), nullable=True),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("completed_on", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=80), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("deleted_by", sa.String(length=80), nullable=True),
        sa.ForeignKeyConstraint(
            ["actor_id"],
            ["fu_actors.id"],
        ),
        sa.ForeignKeyConstraint(
            ["commitment_id"],
            ["fu_commitments.id"],
        ),
        sa.ForeignKeyConstraint(
            ["responsible_user_id"],
            ["users.id"],
        ),
        sa.ForeignKeyConstraint(["workspace_id"], ["fu_workspaces.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_fu_measures_commitment_id"), "fu_measures", ["commitment_id"], unique=False)
    op.create_index(op.f("ix_fu_measures_workspace_id"), "fu_measures", ["workspace_id"], unique=False)
    op.create_table(
        "fu_indicator_values",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("indicator_id", sa.Integer(), nullable=False),
        sa.Column("reported_on", sa.Date(), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=80), nullable=True),
        sa.ForeignKeyConstraint(
            ["indicator_id"],
            ["fu_indicators.id"],
        ),
        sa.ForeignKeyConstraint(["workspace_id"], ["fu_workspaces.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        op.f("ix_fu_indicator_values_indicator_id"), "fu_indicator_values", ["indicator_id"], unique=False
    )
    op.create_index(
        op.f("ix_fu_indicator_values_workspace_id"), "fu_indicator_values", ["workspace_id"], unique=False
    )
    op.create_table(
        "fu_progress",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("commitment_id", sa.Integer(), nullable=False),
        sa.Column("measure_id", sa.Integer(), nullable=True),
        sa.Column("reported_on", sa.Date(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("author", sa.Text(), nullable=False),
        sa.Column("visibility", sa.String(length=10), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=80), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("deleted_by", sa.String(length=80), nullable=True),
        sa.ForeignKeyConstraint(
            ["commitment_id"],
            ["fu_commitments.id"],
        ),
        sa.ForeignKeyConstraint(
            ["measure_id"],
            ["fu_measures.id"],
        ),
        sa.ForeignKeyConstraint(["workspace_id"], ["fu_workspaces.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_fu_progress_commitment_id"), "fu_progress", ["commitment_id"], unique=False)
    op.create_index(op.f("ix_fu_progress_workspace_id"), "fu_progress", ["workspace_id"], unique=False)
    op.create_table(
        "fu_evidence",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("progress_id", sa.Integer(), nullable=False),
        sa.Column("filename", sa.Text(), nullable=False),
        sa.Column("content_type", sa.String(length=100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=80), nullable=True),
        sa.ForeignKeyConstraint(
            ["progress_id"],
            ["fu_progress.id"],
        ),
        sa.ForeignKeyConstraint(["workspace_id"], ["fu_workspaces.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_fu_evidence_progress_id"), "fu_evidence", ["progress_id"], unique=False)
    op.create_index(op.f("ix_fu_evidence_workspace_id"), "fu_evidence", ["workspace_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_fu_evidence_workspace_id"), table_name="fu_evidence")
    op.drop_index(op.f("ix_fu_evidence_progress_id"), table_name="fu_evidence")
    op.drop_table("fu_evidence")
    op.drop_index(op.f("ix_fu_progress_workspace_id"), table_name="fu_progress")
    op.drop_index(op.f("ix_fu_progress_commitment_id"), table_name="fu_progress")
    op.drop_table("fu_progress")
    op.drop_index(op.f("ix_fu_indicator_values_workspace_id"), table_name="fu_indicator_values")
    op.drop_index(op.f("ix_fu_indicator_values_indicator_id"), table_name="fu_indicator_values")
    op.drop_table("fu_indicator_values")
    op.drop_index(op.f("ix_fu_measures_workspace_id"), table_name="fu_measures")
    op.drop_index(op.f("ix_fu_measures_commitment_id"), table_name="fu_measures")
    op.drop_table("fu_measures")
    op.drop_index(op.f("ix_fu_indicators_workspace_id"), table_name="fu_indicators")
    op.drop_index(op.f("ix_fu_indicators_commitment_id"), table_name="fu_indicators")
    op.drop_table("fu_indicators")
    op.drop_table("fu_commitment_actors")
    op.drop_index(op.f("ix_fu_assessments_workspace_id"), table_name="fu_assessments")
    op.drop_index(op.f("ix_fu_assessments_commitment_id"), table_name="fu_assessments")
    op.drop_table("fu_assessments")
    op.drop_index(op.f("ix_recommendation_links_recommendation_id"), table_name="recommendation_links")
    op.drop_index(op.f("ix_recommendation_links_earlier_id"), table_name="recommendation_links")
    op.drop_table("recommendation_links")
    op.drop_index(op.f("ix_fu_commitments_workspace_id"), table_name="fu_commitments")
    op.drop_index(op.f("ix_fu_commitments_recommendation_id"), table_name="fu_commitments")
    op.drop_table("fu_commitments")
    op.drop_index(op.f("ix_fu_revisions_workspace_id"), table_name="fu_revisions")
    op.drop_index("ix_fu_revisions_entity", table_name="fu_revisions")
    op.drop_table("fu_revisions")
    op.drop_index(op.f("ix_fu_reminders_workspace_id"), table_name="fu_reminders")
    op.drop_table("fu_reminders")
    op.drop_table("fu_members")
    op.drop_index(op.f("ix_fu_actors_workspace_id"), table_name="fu_actors")
    op.drop_table("fu_actors")
    op.drop_table("fu_workspaces")
