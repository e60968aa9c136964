"""How the access matrix (tests/test_access_matrix.py) fills a URL with a site's ids, and
reads the denials the requests left in the audit log."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import select

from facilitator.audit.models import AuditEvent
from facilitator.extensions import db

#: URL variables that name an object, and the table its denial row names.
OBJECT_IDS = {
    "region_id": "regions",
    "organisation_id": "organisations",
    "user_id": "users",
    "group_id": "case_groups",
    "membership_id": "group_memberships",
    "criterion_id": "selection_criteria",
    "case_id": "cases",
    "flag_id": "possible_duplicates",
    "meeting_id": "meetings",
    "item_id": "agenda_items",
    "finding_id": "findings",
    "action_id": "action_items",
    "guest_id": "attendance",
    "case_update_id": "case_updates",
    "action_update_id": "action_updates",
    "contact_id": "contacts",
    "edition_id": "logbook_editions",
    "feedback_id": "logbook_feedback",
    "body_id": "feedback_bodies",
    "series_id": "meeting_series",
    "story_id": "stories",
}
#: URL variables that name no object of a group or region, with the reason.
NOT_OBJECTS = {
    "filename": "a static file, the same for everyone",
    "token": "the secret address of a calendar feed is the key itself (tests/test_calendar.py)",
    "protocol_id": "the protocols are the same for every region",
    "kind": "the logbook's CSV kind; the projectleider's own region is implied",
    "chart": "which chart of the figures page; the region is in the URL",
    "pseudonym": "the audit log's chronology of a case: the audit right covers the whole log, "
    "and its refusal names the pseudonym asked for",
}

NOT_OBJECT_VALUES = {
    "filename": "css/app.css",
    "token": "x",
    "protocol_id": "casusgroep-samenwerking",
    "kind": "bevindingen",
    "chart": "stroom",
    "pseudonym": "AB-CD2",
}
#: URL objects that are not one meeting's: they go with a meeting in any state.
MEETING_FREE = {"case_id", "group_id", "region_id", "organisation_id", "user_id"}
VARIABLE = re.compile(r"<(?:[^:<>]+:)?(\w+)>")


def object_routes(app) -> list:
    return sorted(
        (r for r in app.url_map.iter_rules() if set(r.arguments) & set(OBJECT_IDS)),
        key=lambda r: r.endpoint,
    )


@dataclass(frozen=True)
class Cell:
    """One route filled with the ids of one site; ``variant`` says what differs from the plain
    ids (another meeting state, or the persona's own first object)."""

    site: str
    variant: str
    relation: str
    rule: object
    ids: dict[str, int]

    @property
    def label(self) -> str:
        return f"{self.site} {self.variant}".strip()

    @property
    def url(self) -> str:
        values = {name: self.ids.get(name) for name in self.rule.arguments}
        values.update({k: v for k, v in NOT_OBJECT_VALUES.items() if k in self.rule.arguments})
        return self.rule.build(values)[1]

    def names(self, row) -> bool:
        """Whether a denial row names this request: its endpoint when the role alone refused,
        otherwise one of the objects in its URL."""
        if row.check_result == "role":
            return (row.object_type, row.object_id) == ("endpoint", self.rule.endpoint)
        names = self.rule.arguments & set(OBJECT_IDS)
        objects = {(OBJECT_IDS[name], str(self.ids[name])) for name in names}
        return (row.object_type, row.object_id) in objects


def variables(rule) -> list[str]:
    """The URL variables in the order the path names them."""
    return VARIABLE.findall(rule.rule)


def new_denials(last_id: int) -> tuple[int, list]:
    """The audit rows written since ``last_id``: the newest id and the access denials."""
    with db.engine.connect() as connection:
        rows = connection.execute(
            select(
                AuditEvent.id,
                AuditEvent.event_type,
                AuditEvent.user_id,
                AuditEvent.object_type,
                AuditEvent.object_id,
                AuditEvent.check_result,
            )
            .where(AuditEvent.id > last_id)
            .order_by(AuditEvent.id)
        ).all()
    newest = rows[-1].id if rows else last_id
    return newest, [row for row in rows if row.event_type == "access_denied"]
