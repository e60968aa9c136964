"""The demo has minutes worth reading (issue 10): each group's first held meeting approved in
its second, with the corrections; the second a draft with the review of the first's action and
the regievoerder's update; every held meeting's minutes pass the export screening."""

from __future__ import annotations

from sqlalchemy import select

from facilitator.demo.meetings import CASE_UPDATE, CORRECTIONS, REVIEWED
from facilitator.demo.monitoring import GROUP as MONITORING_GROUP
from facilitator.exports.minutes_services import approval_of, export_minutes
from facilitator.exports.models import MinutesApproval
from facilitator.extensions import db
from facilitator.groups.models import CaseGroup
from facilitator.localtime import local_date
from facilitator.meetings.models import Meeting, MeetingStatus
from tests.minutes_helpers import body_text, read_docx


def test_each_demo_group_approved_its_first_minutes_in_its_second_meeting(runner, app):
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    # The two groups of the demo's own meetings (demo/seed.py); Casusgroep Oosterbroek holds
    # the figures page's history (demo/monitoring.py), whose minutes nobody approves.
    groups = db.session.scalars(
        select(CaseGroup).where(CaseGroup.name != MONITORING_GROUP).order_by(CaseGroup.id)
    ).all()
    assert len(groups) == 2
    for group in groups:
        held = db.session.scalars(
            select(Meeting)
            .where(Meeting.group_id == group.id, Meeting.status == MeetingStatus.AFGEROND)
            .order_by(Meeting.scheduled_at)
        ).all()
        # Every approval happened in a later meeting of the same group; the latest is a draft.
        for meeting in held:
            approval = approval_of(meeting)
            if approval is not None:
                assert approval.approved_in.group_id == group.id
                assert approval.approved_in.scheduled_at > meeting.scheduled_at
        first, second = held[-2:]
        approval = approval_of(first)
        assert approval is not None and approval.approved_in_meeting_id == second.id
        assert local_date(approval.approved_at) == local_date(second.scheduled_at)
        assert approval_of(second) is None
        final = body_text(read_docx(export_minutes(first, actor=None).content))
        assert "Definitief — Vastgesteld op" in final
        assert f"Correcties bij de vaststelling: {CORRECTIONS}" in final
        draft = export_minutes(second, actor=None)
        assert not draft.final
        text = body_text(read_docx(draft.content))
        assert "CONCEPT" in text
        assert CASE_UPDATE in text
        if group.name == "Casusgroep Lindewaard":
            assert REVIEWED in text
            assert "Regievoerder" in text and "Bouwstenen" in text
    assert db.session.scalar(select(MinutesApproval.sha256)) is not None
