"""A completed meeting's records are corrected on its screen, with a reason (issue 10).

Through HTTP with CSRF, as the group's procesbegeleider: a finding (text, kind, level, signal,
organisations), the regievoerder's update on a case, the building-block remarks and the
terugkoppeling recorded in the review. Each needs a reason, passes the guard (the new text and
the reason), is kept per field without personal data in the old value, and audited without
the text. A deelnemer, another group's record and a running meeting are refused.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlalchemy import select, update

from facilitator.actions.models import ActionUpdate
from facilitator.audit.models import AuditAction, AuditEvent
from facilitator.cases.models import CaseUpdate
from facilitator.extensions import db
from facilitator.meetings import run
from facilitator.meetings.models import (
    BuildingBlockScore,
    FieldCorrection,
    FieldValue,
    Finding,
    Meeting,
    MeetingStatus,
    RecordCorrection,
)
from facilitator.meetings.retention import REMOVED
from tests.factories import IDENTITY
from tests.helpers import post_form
from tests.minutes_helpers import CASE_UPDATE, REVIEW_NOTE, hold_world_meeting

LEADER = "procesbegeleider@noord.example"
MEMBER = "deelnemer@noord.example"
BSN = "111.222.333"  # passes the elfproef: the guard always refuses it
REASON = "Achteraf verkeerd genoteerd"


@pytest.fixture
def held(world) -> Meeting:
    return hold_world_meeting(world)


def screen(meeting_id: int, ref: str) -> str:
    return f"/bijeenkomsten/{meeting_id}/leiden?stap={ref}"


def review_ref(meeting: Meeting, case_id: int | None) -> str:
    """The step whose review shows this case's records: its own, else the meeting's."""
    steps = [s for s in run.rail(meeting) if s.step.reviews_actions]
    own = [s.ref for s in steps if s.case is not None and s.case.id == case_id]
    return own[0] if own else next(s.ref for s in steps if s.case is None)


def blocks_ref(meeting: Meeting) -> str:
    return next(
        s.ref
        for s in run.rail(meeting)
        if any(f.type.value == "building_blocks" for f in s.step.fields)
    )


@dataclass
class Kind:
    """One kind of record a held meeting corrects: where it is posted and what it holds."""

    name: str
    model: type
    event: str
    #: The text attribute and the posted field that corrects it.
    attribute: str

    def record(self, meeting: Meeting):
        if self.model is BuildingBlockScore:
            return db.session.get(BuildingBlockScore, meeting.id)
        if self.model is Finding:
            return db.session.scalars(
                select(Finding)
                .where(Finding.meeting_id == meeting.id, Finding.text.like("Bevinding %"))
                .order_by(Finding.id)
            ).first()
        return db.session.scalars(
            select(self.model).where(self.model.meeting_id == meeting.id).order_by(self.model.id)
        ).first()

    def url(self, meeting: Meeting, row) -> str:
        base = f"/bijeenkomsten/{meeting.id}/correcties"
        return {
            "finding": f"{base}/bevindingen/{getattr(row, 'id', 0)}",
            "case_update": f"{base}/stand-van-zaken/{getattr(row, 'id', 0)}",
            "review_note": f"{base}/terugkoppeling/{getattr(row, 'id', 0)}",
            "blocks": f"{base}/bouwstenen",
        }[self.name]

    def ref(self, meeting: Meeting, row) -> str:
        """The step where the record is shown (and its correction form)."""
        if self.name == "finding":
            return row.step_ref
        if self.name == "blocks":
            return blocks_ref(meeting)
        case_id = row.case_id if self.name == "case_update" else row.action.case_id
        return review_ref(meeting, case_id)

    def data(self, row, *, text: str, reason: str = REASON) -> dict:
        """What the page's form posts: the record as it is, with ``text`` and ``reason``."""
        if self.name == "finding":
            data = {
                "kind": row.kind.value,
                "level": row.level.value,
                "text": text,
                "organisations": [o.id for o in row.organisations],
                "reason": reason,
            }
            if row.signal:
                data["signal"] = "y"
            return data
        if self.name == "blocks":
            return {"went_well": text, "could_be_better": row.could_be_better, "reason": reason}
        return {self.attribute: text, "reason": reason}


KINDS = [
    Kind("finding", Finding, "finding_corrected", "text"),
    Kind("case_update", CaseUpdate, "case_update_corrected", "text"),
    Kind("review_note", ActionUpdate, "action_note_corrected", "note"),
    Kind("blocks", BuildingBlockScore, "building_blocks_corrected", "went_well"),
]
IDS = [kind.name for kind in KINDS]


def text_of(kind: Kind, row) -> str:
    """The text of ``row`` as stored now."""
    db.session.expire_all()
    key = row.meeting_id if kind.model is BuildingBlockScore else row.id
    return getattr(db.session.get(kind.model, key), kind.attribute)


def corrections() -> list[RecordCorrection]:
    db.session.expire_all()
    return db.session.scalars(select(RecordCorrection).order_by(RecordCorrection.id)).all()


def audit(event: str) -> list[AuditEvent]:
    db.session.expire_all()
    query = select(AuditEvent).where(AuditEvent.event_type == event).order_by(AuditEvent.id)
    return db.session.scalars(query).all()


def post(client, kind: Kind, meeting: Meeting, row, data: dict):
    ref = kind.ref(meeting, row)
    return post_form(
        client, kind.url(meeting, row), {"ref": ref, **data}, token_from=screen(meeting.id, ref)
    )


@pytest.mark.parametrize("kind", KINDS, ids=IDS)
def test_a_correction_with_a_reason_is_saved_kept_audited_and_comes_back_at_it(
    client, auth, held, kind
):
    auth.login(LEADER)
    row = kind.record(held)
    old = getattr(row, kind.attribute)
    new = "Gecorrigeerd: zoals de groep het bedoelde"

    response = post(client, kind, held, row, kind.data(row, text=new))

    assert response.status_code == 302, response.get_data(as_text=True)[-2000:]
    location = response.headers["Location"]
    assert location.startswith(screen(held.id, kind.ref(held, row)))
    anchor = location.split("#", 1)[1]
    page = client.get(location).get_data(as_text=True)
    assert f'id="{anchor}"' in page and new in page
    assert text_of(kind, row) == new
    [kept] = corrections()
    assert (kept.field, kept.old_value, kept.reason) == (kind.attribute, old, REASON)
    assert kept.meeting_id == held.id and kept.object_type == row.__tablename__
    [row_audited] = audit(kind.event)
    assert row_audited.action == AuditAction.UPDATE
    assert row_audited.user_id is not None
    every_audit = " ".join(r.reason + r.object_id for r in audit_rows_all())
    assert new not in every_audit and old not in every_audit and REASON not in every_audit


def audit_rows_all() -> list[AuditEvent]:
    db.session.expire_all()
    return db.session.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()


def test_a_finding_is_corrected_in_kind_level_signal_and_organisations(client, auth, held, world):
    auth.login(LEADER)
    kind = KINDS[0]
    finding = kind.record(held)
    assert (finding.kind.value, finding.signal, finding.organisations) == ("knelpunt", True, [])
    data = {
        "kind": "kans",
        "level": "wet_regelgeving",
        "text": finding.text,
        "organisations": [world.ggz.id],
        "reason": REASON,
    }

    response = post(client, kind, held, finding, data)

    assert response.status_code == 302
    db.session.expire_all()
    corrected = db.session.get(Finding, finding.id)
    assert corrected.kind.value == "kans" and corrected.level.value == "wet_regelgeving"
    assert corrected.signal is False and [o.name for o in corrected.organisations] == ["GGZ Noord"]
    assert {(c.field, c.old_value) for c in corrections()} == {
        ("kind", "knelpunt"),
        ("level", "uitvoering"),
        ("signal", "True"),
        ("organisations", ""),
    }
    [row] = audit("finding_corrected")
    assert row.reason == "kind,level,organisations,signal"


@pytest.mark.parametrize("kind", KINDS, ids=IDS)
@pytest.mark.parametrize(
    "text, reason, why",
    [
        ("Gecorrigeerd", "", "Geef een reden voor de correctie."),
        ("Gecorrigeerd", "   ", "Geef een reden voor de correctie."),
        (f"Cliënt met BSN {BSN} belde", REASON, "BSN"),
        ("Gecorrigeerd", f"Stond BSN {BSN} in", "BSN"),
        ("Gecorrigeerd", "Bevat \u202eomgekeerde tekst", "tekens die niet zijn toegestaan"),
    ],
    ids=["no-reason", "blank-reason", "bsn-in-text", "bsn-in-reason", "bidi-in-reason"],
)
def test_a_refused_correction_changes_nothing_and_says_why(
    client, auth, held, kind, text, reason, why
):
    auth.login(LEADER)
    row = kind.record(held)
    old = getattr(row, kind.attribute)

    response = post(client, kind, held, row, kind.data(row, text=text, reason=reason))

    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert why in page
    assert text in page  # what was typed comes back, to correct it
    assert text_of(kind, row) == old
    assert corrections() == [] and audit(kind.event) == []


@pytest.mark.parametrize("kind", KINDS, ids=IDS)
def test_the_client_name_is_refused_in_a_correction_by_whoever_has_it_in_scope(
    client, auth, held, kind, world
):
    """The consent covers GGZ Noord: a procesbegeleider of GGZ Noord has the name in scope."""
    from facilitator.users.models import Role

    leader = world.users[Role.PROCESBEGELEIDER]
    leader.organisation_id = world.ggz.id
    db.session.commit()
    auth.login(LEADER)
    row = kind.record(held)
    old = getattr(row, kind.attribute)

    response = post(client, kind, held, row, kind.data(row, text=f"{IDENTITY.full_name} belde"))

    assert response.status_code == 422
    assert "identiteit" in response.get_data(as_text=True)
    assert text_of(kind, row) == old and corrections() == []


@pytest.mark.parametrize("kind", KINDS, ids=IDS)
def test_a_deelnemer_cannot_correct_and_is_logged(client, auth, held, kind):
    auth.login(MEMBER)
    row = kind.record(held)
    old = getattr(row, kind.attribute)

    response = post_form(
        client,
        kind.url(held, row),
        kind.data(row, text="Door een deelnemer"),
        token_from="/account/",
    )

    assert response.status_code == 403
    assert text_of(kind, row) == old and corrections() == []
    assert [d.check_result for d in audit("access_denied")] == ["can_run_meeting"]


@pytest.mark.parametrize("kind", KINDS[:3], ids=IDS[:3])
def test_another_meetings_record_is_refused_through_this_meeting(client, auth, held, world, kind):
    """The other group's meeting, held with records of its own: its ids through ours."""
    from tests.holding import hold

    other = db.session.get(Meeting, world.other_meeting.id)
    foreign = _foreign_record(kind, other, world)
    hold(other, other.group.memberships[0].user)
    db.session.commit()
    auth.login(LEADER)
    row = kind.record(held)

    through_ours = post_form(
        client,
        kind.url(held, foreign),
        {"reason": REASON},
        token_from=screen(held.id, kind.ref(held, row)),
    )
    through_theirs = post_form(
        client,
        kind.url(other, foreign),
        {"reason": REASON},
        token_from=screen(held.id, kind.ref(held, row)),
    )

    assert (through_ours.status_code, through_theirs.status_code) == (403, 403)
    assert [d.check_result for d in audit("access_denied")] == [
        "not_of_this_meeting",
        "can_run_meeting",
    ]
    assert corrections() == []


def _foreign_record(kind: Kind, other: Meeting, world):
    """A record of ``kind`` in the other group's (running) meeting."""
    from facilitator.actions import services as actions
    from facilitator.meetings import review

    leader = other.group.memberships[0].user
    if kind.name == "finding":
        return db.session.scalars(select(Finding).where(Finding.meeting_id == other.id)).one()
    if kind.name == "case_update":
        item = other.agenda[0]
        return review.record_case_update(other, item, "Gaat goed", expected_version=0, actor=leader)
    action = actions.create_action(
        other.group,
        description="Eerder afgesproken",
        owner=leader,
        due_on=other.scheduled_at.date(),
        case=None,
        actor=leader,
    )
    return actions.change_status(action, "gereed", note="Klaar", actor=leader, meeting=other)


@pytest.mark.parametrize("kind", KINDS, ids=IDS)
def test_a_running_meeting_is_not_corrected_here(client, auth, held, kind):
    row = kind.record(held)
    old = getattr(row, kind.attribute)
    db.session.execute(
        update(Meeting).where(Meeting.id == held.id).values(status=MeetingStatus.LOPEND)
    )
    db.session.commit()
    auth.login(LEADER)

    response = post(client, kind, held, row, kind.data(row, text="Tijdens de bijeenkomst"))

    assert response.status_code == 302
    shown = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "alleen de vastleggingen van een afgeronde bijeenkomst" in shown
    assert text_of(kind, row) == old and corrections() == []


@pytest.mark.parametrize("kind", KINDS, ids=IDS)
def test_an_unchanged_correction_is_refused(client, auth, held, kind):
    auth.login(LEADER)
    row = kind.record(held)
    old = getattr(row, kind.attribute)

    response = post(client, kind, held, row, kind.data(row, text=old))

    assert response.status_code == 422
    assert "Er is niets veranderd" in response.get_data(as_text=True)
    assert corrections() == []


# --- a correction never keeps personal data ----------------------------------------------------


@pytest.mark.parametrize("kind", KINDS, ids=IDS)
@pytest.mark.parametrize(
    "leaked",
    [f"BSN {BSN} genoemd", f"{IDENTITY.full_name} belde zelf", "NL91 ABNA 0417 1643 00"],
    ids=["bsn", "client-name", "iban"],
)
def test_an_old_value_with_personal_data_is_kept_as_a_notice(client, auth, held, kind, leaked):
    """Written past the guard (an old record); the procesbegeleider is outside the consent
    scope, yet the case's own identity is checked too."""
    row = kind.record(held)
    db.session.execute(
        update(kind.model).where(_key(kind, row)).values({kind.attribute: f"Oud: {leaked}"})
    )
    db.session.commit()
    auth.login(LEADER)

    response = post(client, kind, held, row, kind.data(row, text="Zonder persoonsgegevens"))

    assert response.status_code == 302
    [kept] = corrections()
    assert kept.old_value == REMOVED
    assert text_of(kind, row) == "Zonder persoonsgegevens"


def _key(kind: Kind, row):
    if kind.model is BuildingBlockScore:
        return BuildingBlockScore.meeting_id == row.meeting_id
    return kind.model.id == row.id


@pytest.mark.parametrize(
    "old, kept",
    [
        (f"Cliënt (BSN {BSN}) verhelderd", REMOVED),
        (f"{IDENTITY.full_name} wil buiten werken", REMOVED),
        ("De cliënt wil buiten werken", "De cliënt wil buiten werken"),
    ],
    ids=["bsn", "client-name", "clean"],
)
def test_a_field_correction_keeps_a_notice_instead_of_personal_data(client, auth, held, old, kept):
    field = db.session.scalars(
        select(FieldValue).where(
            FieldValue.meeting_id == held.id, FieldValue.field_key == "verduidelijking"
        )
    ).one()
    db.session.execute(update(FieldValue).where(FieldValue.id == field.id).values(value=old))
    db.session.commit()
    auth.login(LEADER)

    response = post_form(
        client,
        f"/bijeenkomsten/{held.id}/veld",
        {
            "ref": field.step_ref,
            "key": field.field_key,
            "value": "Verhelderd zonder persoonsgegevens",
            "version": field.version,
            "reason": REASON,
        },
        token_from=screen(held.id, field.step_ref),
    )

    assert response.status_code == 302
    db.session.expire_all()
    [correction] = db.session.scalars(select(FieldCorrection)).all()
    assert correction.old_value == kept
    assert correction.new_value == "Verhelderd zonder persoonsgegevens"


def test_the_case_update_and_review_note_of_the_world_are_what_the_tests_expect(held):
    """The fixture's records, so that a test above cannot pass on an empty meeting."""
    assert [getattr(k.record(held), k.attribute) for k in KINDS[1:]] == [
        CASE_UPDATE,
        REVIEW_NOTE,
        "Goede voorbereiding",
    ]


# --- who was there and where -----------------------------------------------------------------


def _guest(meeting: Meeting):
    from facilitator.meetings.models import Attendance

    return db.session.scalars(
        select(Attendance).where(Attendance.meeting_id == meeting.id, Attendance.user_id.is_(None))
    ).one()


@pytest.mark.parametrize(
    "data, status, kept",
    [
        ({"guest_name": "Gerda Gastvrij", "guest_role": "jobcoach", "reason": REASON}, 302, True),
        ({"guest_name": "Gerda Gastvrij", "guest_role": "jobcoach", "reason": ""}, 422, False),
        ({"guest_name": f"Gast {BSN}", "guest_role": "werkgever", "reason": REASON}, 422, False),
        ({"guest_name": "Gerda Gastvrij", "guest_role": "werkgever", "reason": BSN}, 422, False),
    ],
    ids=["corrected", "no-reason", "bsn-in-name", "bsn-in-reason"],
)
def test_a_guest_of_a_held_meeting_is_corrected_with_a_reason(
    client, auth, held, data, status, kept
):
    guest = _guest(held)
    url = f"/bijeenkomsten/{held.id}/correcties/gasten/{guest.id}"
    auth.login(LEADER)
    assert client.get(url).status_code == 200

    response = post_form(client, url, data)

    assert response.status_code == status
    db.session.expire_all()
    stored = _guest(held)
    if kept:
        assert response.headers["Location"].endswith(f"/bijeenkomsten/{held.id}#attendance")
        assert stored.guest_role == "jobcoach"
        assert [(c.field, c.old_value) for c in corrections()] == [("guest_role", "werkgever")]
        assert [r.reason for r in audit("meeting_guest_corrected")] == ["guest_role"]
    else:
        assert (stored.guest_name, stored.guest_role) == ("Gerda Gastvrij", "werkgever")
        assert corrections() == []


def test_a_members_attendance_is_no_guest_to_correct(client, auth, held, world):
    from facilitator.meetings.models import Attendance

    member = db.session.scalars(
        select(Attendance).where(Attendance.meeting_id == held.id, Attendance.user_id.is_not(None))
    ).first()
    auth.login(LEADER)
    url = f"/bijeenkomsten/{held.id}/correcties/gasten/{member.id}"

    response = post_form(client, url, {"guest_name": "Iemand", "reason": REASON})

    assert response.status_code == 422
    assert "Alleen een gast" in response.get_data(as_text=True)
    assert corrections() == []


def test_the_place_of_a_held_meeting_is_corrected_and_a_deelnemer_cannot(client, auth, held):
    url = f"/bijeenkomsten/{held.id}/correcties/plaats"
    auth.login(MEMBER)
    assert client.get(url).status_code == 403
    auth.logout()
    auth.login(LEADER)
    detail = client.get(f"/bijeenkomsten/{held.id}").get_data(as_text=True)
    assert f'href="{url}"' in detail

    refused = post_form(client, url, {"location": f"Bij BSN {BSN}", "reason": REASON})
    saved = post_form(client, url, {"location": "Stadhuis, zaal 2", "reason": REASON})

    assert (refused.status_code, saved.status_code) == (422, 302)
    db.session.expire_all()
    assert db.session.get(Meeting, held.id).location == "Stadhuis, zaal 2"
    assert [c.field for c in corrections()] == ["location"]
    assert len(audit("meeting_place_corrected")) == 1
