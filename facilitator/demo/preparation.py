"""Demo preparation: the handreiking answered for the cases of a group's next planned meeting.

The first case on the agenda is fully prepared, the next only partly, the rest not at all: the
meeting page, the facilitation screen and the agenda mail show each state.
"""

from __future__ import annotations

from sqlalchemy import select

from facilitator.extensions import db
from facilitator.groups.models import CaseGroup
from facilitator.groups.policy import is_member
from facilitator.meetings.models import Meeting, MeetingStatus
from facilitator.preparation.queries import preparation_of
from facilitator.preparation.services import save_answers
from facilitator.users.models import User

#: Answers by question key (the keys the shipped protocols share); fictitious, no identity.
ANSWERS = {
    "waar_gaat_het_om": (
        "Man van rond de veertig, Participatiewet-uitkering, sinds een half jaar in behandeling "
        "voor een depressie. Hij wil weer aan het werk, het liefst buiten, in de groenvoorziening."
    ),
    "kandidaat_zegt": (
        "Hij zegt dat hij wil werken, maar bang is dat hij een volle week niet volhoudt. Hij "
        "vraagt om één vast aanspreekpunt in plaats van drie."
    ),
    "werkgever_zegt": (
        "Het hoveniersbedrijf waar hij stage liep is tevreden over zijn inzet en wil hem een "
        "proefplaatsing bieden, als er begeleiding op de werkplek is."
    ),
    "organisaties": (
        "GGZ (behandelaar en IPS-trajectbegeleider), gemeente (klantmanager), het Werkbedrijf "
        "(jobcoach) en een hoveniersbedrijf als mogelijke werkgever."
    ),
    "waar_loopt_het_vast": (
        "Behandelaar en klantmanager spreken elkaar niet; het re-integratieplan van de gemeente "
        "en het behandelplan zijn niet op elkaar afgestemd, en niemand heeft de regie."
    ),
    "afspraken": (
        "Het driegesprek is gevoerd; de aanvraag voor een jobcoach loopt nog bij de gemeente."
    ),
    "vraag_aan_groep": (
        "Wie neemt de regie, en hoe stemmen we het behandelplan en het re-integratieplan af?"
    ),
    "kandidaat_en_werkgever": (
        "Hij wil één aanspreekpunt; de werkgever wil een proefplaatsing als er begeleiding op de "
        "werkplek is."
    ),
}


def seed_demo_preparation(group: CaseGroup, owner: User) -> None:
    """Answer the handreiking for the agenda cases of the group's next planned meeting."""
    meeting = db.session.scalar(
        select(Meeting)
        .where(Meeting.group_id == group.id, Meeting.status == MeetingStatus.GEPLAND)
        .order_by(Meeting.scheduled_at)
        .limit(1)
    )
    if meeting is None:
        return
    preparation = preparation_of(meeting)
    keys = [q.key for q in preparation.questions]
    for number, prepared in enumerate(preparation.cases[:2]):
        author = prepared.case.brought_by
        actor = author if is_member(author, group) else owner
        # The first case answers every question, the second only the first two.
        chosen = keys if number == 0 else keys[:2]
        answers = {key: ANSWERS.get(key, ANSWERS["vraag_aan_groep"]) for key in chosen}
        save_answers(meeting, prepared.case, answers, actor=actor)
