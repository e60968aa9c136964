"""The demo's signals (issue 14): one decided with a sentence dated after its meeting, one on
the policy group's agenda, one still new; the group's next meeting hears back."""

from __future__ import annotations

from sqlalchemy import select

from facilitator.demo.seed import DEFAULT_PASSWORD, DEMO_GROUPS, DEMO_REGION
from facilitator.extensions import db
from facilitator.groups.models import CaseGroup
from facilitator.meetings.models import Meeting, MeetingStatus
from facilitator.regions.models import Region
from facilitator.signals.models import SignalStatus
from facilitator.signals.queries import region_signals
from tests.helpers import AuthActions


def test_the_demo_has_a_decided_an_agendaed_and_a_new_signal(runner, app):
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    region = db.session.scalar(select(Region).where(Region.name == DEMO_REGION))
    lines = region_signals(region.id)
    by_status = {status: [s for s in lines if s.status == status] for status in SignalStatus}
    [decided] = by_status[SignalStatus.BESLUIT_GENOMEN]
    assert decided.decision.strip() and decided.decided_on > decided.meeting_day
    assert by_status[SignalStatus.GEAGENDEERD] and by_status[SignalStatus.NIEUW]
    group = db.session.scalar(select(CaseGroup).where(CaseGroup.name == DEMO_GROUPS[0].name))
    planned = db.session.scalars(
        select(Meeting).where(Meeting.group_id == group.id, Meeting.status == MeetingStatus.GEPLAND)
    ).first()
    client = app.test_client()
    AuthActions(client).login(DEMO_GROUPS[0].procesbegeleider, DEFAULT_PASSWORD)
    page = client.get(f"/bijeenkomsten/{planned.id}").get_data(as_text=True)
    assert "Terugkoppeling van de beleidsgroep" in page and decided.decision in page
