"""Every free text the minutes of a meeting carry, each with the place to correct it.

Before the minutes leave the application (a download, the command line, the approved file)
these texts pass :func:`facilitator.exports.screening.screen_export`, with every identity of
the cases in scope; a hit refuses the export and names the places, each a link.
"""

from __future__ import annotations

from flask_babel import format_date
from flask_babel import gettext as _

from facilitator.exports.minutes import MinutesData
from facilitator.exports.screening import Place, TextInScope
from facilitator.exports.screening import link as path


def meeting_label(data: MinutesData) -> str:
    return _(
        "%(group)s, meeting of %(date)s",
        group=data.group,
        date=format_date(data.day, "d MMMM yyyy"),
    )


def minutes_case_ids(data: MinutesData) -> list[int]:
    """The cases whose pseudonym the minutes name: the agenda and the reviewed actions'."""
    ids = [case.case_id for case in data.cases]
    ids += [r.case_id for r in data.review if r.case_id is not None and r.case_id not in ids]
    return ids


def minutes_texts(data: MinutesData) -> list[TextInScope]:
    """Every free text of the minutes, with the meeting, the case and the field it is in."""
    where = meeting_label(data)
    texts: list[TextInScope] = []

    def add(text: str, field: str, url: str, pseudonym: str = "") -> None:
        if text and text.strip():
            texts.append(TextInScope(Place(where, pseudonym, field, url), text))

    def step(ref: str, anchor: str = "") -> str:
        """The step on the facilitation screen, at the record whose text is meant."""
        if not ref:
            return path("meetings.meeting_detail", meeting_id=data.meeting_id)
        values = {"_anchor": anchor} if anchor else {}
        return path("facilitate.screen", meeting_id=data.meeting_id, stap=ref, **values)

    def action(action_id: int) -> str:
        return path("actions.action_edit", action_id=action_id)

    def regie(case_id: int) -> str:
        return path("cases.regie_assign", case_id=case_id)

    detail = path("meetings.meeting_detail", meeting_id=data.meeting_id)
    group = path("groups.group_detail", group_id=data.group_id)
    add(data.group, _("Group"), path("groups.group_edit", group_id=data.group_id))
    add(data.place, _("Place"), path("corrections.place", meeting_id=data.meeting_id))
    for leader in data.leaders:
        add(leader, data.leader_heading or _("Process supervision"), group)
    add(data.notulist, _("Notulist"), group)
    # Names are screened too: a contact or a guest could carry a client's name.
    for organisation in data.attendance:
        add(organisation.organisation, _("Organisation"), detail + "#attendance")
        for name in (*organisation.present, *organisation.apologies, *organisation.absent):
            add(name, _("Attendance"), detail + "#attendance")
        for guest, guest_id in zip(organisation.guests, organisation.guest_ids, strict=True):
            at = path("corrections.guest", meeting_id=data.meeting_id, guest_id=guest_id)
            add(guest, _("Guest"), at)
    for recorded in (*data.opening, *data.closing):
        for field in recorded.fields:
            if field.free_text:
                label = f"{recorded.title}: {field.label}"
                add(field.value, label, step(recorded.ref, f"f-{field.key}"))
    review_refs = {case.case_id: case.update_ref for case in data.cases}
    for reviewed in data.review:
        add(reviewed.description, _("Action"), action(reviewed.action_id), reviewed.pseudonym)
        add(reviewed.owner, _("Owner"), action(reviewed.action_id), reviewed.pseudonym)
        ref = review_refs.get(reviewed.case_id, data.review_ref)
        add(reviewed.note, _("Feedback on the action"), step(ref, f"review-{reviewed.action_id}"))
    for case in data.cases:
        for recorded in case.steps:
            for field in recorded.fields:
                if field.free_text:
                    label = f"{recorded.title}: {field.label}"
                    url = step(recorded.ref, f"f-{field.key}")
                    add(field.value, label, url, case.pseudonym)
        update_at = step(case.update_ref, f"case-update-text-{case.update_id}")
        add(case.update, _("How the client is doing"), update_at, case.pseudonym)
        for finding in case.outcome.findings:
            at = step(finding.step_ref, f"finding-{finding.id}")
            add(finding.text, _("Finding"), at, case.pseudonym)
        for agreed in case.outcome.actions:
            add(agreed.description, _("Action"), action(agreed.id), case.pseudonym)
            add(agreed.owner, _("Owner"), action(agreed.id), case.pseudonym)
        if case.outcome.regievoerder is not None:
            chosen = case.outcome.regievoerder
            add(chosen.name, _("Regievoerder"), regie(case.case_id), case.pseudonym)
            add(chosen.achterwacht, _("Achterwacht"), regie(case.case_id), case.pseudonym)
    for finding in data.findings:
        add(finding.text, _("Finding"), step(finding.step_ref, f"finding-{finding.id}"))
    for agreed in data.actions:
        add(agreed.description, _("Action"), action(agreed.id))
        add(agreed.owner, _("Owner"), action(agreed.id))
    add(data.went_well, _("What worked well"), step(data.blocks_ref, "building-blocks"))
    add(data.could_be_better, _("What could be better"), step(data.blocks_ref, "building-blocks"))
    if data.approval is not None:
        add(data.approval.corrections, _("Corrections to the minutes"), detail)
    return texts
