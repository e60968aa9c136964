"""The audit log in words: what each event type means, for the audit page and for the client's
own overview (AVG art. 15). An event type without words here is shown by a generic sentence."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from facilitator.audit.models import AuditAction, AuditOutcome
from facilitator.users.models import Role

#: Every event type the code records (``grep -rn 'record(\|record_committed(' facilitator``).
EVENT_WORDS = {
    "access_denied": _l("Access refused"),
    "access_overview_exported": _l("Overview of who saw the case's data made"),
    "action_created": _l("Action created"),
    "action_note_corrected": _l("Note on an action corrected"),
    "action_reminder": _l("Reminder about an action sent"),
    "action_status": _l("Status of an action changed"),
    "action_updated": _l("Action changed"),
    "action_items_removed": _l("Action removed"),
    "agenda_case_added": _l("Case put on a meeting's agenda"),
    "agenda_case_removed": _l("Case taken off a meeting's agenda"),
    "agenda_moved": _l("Meeting agenda reordered"),
    "attendance_set": _l("Attendance recorded"),
    "audit_log_viewed": _l("Audit log viewed"),
    "audit_right_granted": _l("Right to read the audit log granted"),
    "audit_right_withdrawn": _l("Right to read the audit log withdrawn"),
    "building_blocks_corrected": _l("Building blocks of a meeting corrected"),
    "building_blocks_saved": _l("Building blocks of a meeting saved"),
    "calendar_feed_refused": _l("Calendar address refused"),
    "calendar_feed_renewed": _l("Calendar address made"),
    "calendar_feed_revoked": _l("Calendar address revoked"),
    "case_closed": _l("Case closed"),
    "case_created": _l("Case registered"),
    "case_presence_set": _l("Organisations present at a case recorded"),
    "case_reopened": _l("Case reopened"),
    "case_status_changed": _l("Status of the case changed"),
    "case_update_corrected": _l("Update on the case corrected"),
    "case_update_saved": _l("Update on the case recorded"),
    "case_updated": _l("Case details changed"),
    "consent_expired": _l("Consent expired"),
    "consent_extended": _l("Consent extended"),
    "consent_given": _l("Consent recorded"),
    "consent_withdrawn": _l("Consent withdrawn"),
    "contact_activated": _l("Contact made active again"),
    "contact_created": _l("Contact added"),
    "contact_updated": _l("Contact changed"),
    "export_refused": _l("Export refused: personal data in the text"),
    "finding_corrected": _l("Finding corrected"),
    "finding_created": _l("Finding recorded"),
    "finding_updated": _l("Finding changed"),
    "findings_removed": _l("Finding removed"),
    "group_created": _l("Case group created"),
    "group_criterion_added": _l("Selection criterion added"),
    "group_criterion_retired": _l("Selection criterion retired"),
    "group_member_added": _l("Member added to a case group"),
    "group_member_removed": _l("Member removed from a case group"),
    "group_reopened": _l("Case group reopened"),
    "group_updated": _l("Case group changed"),
    "house_style_removed": _l("House style removed"),
    "house_style_set": _l("House style uploaded"),
    "identity_erased": _l("Identity erased"),
    "identity_scanned": _l("Identity read to keep it out of texts and exports"),
    "identity_search": _l("Searched for an existing case with the same identity"),
    "identity_viewed": _l("Identity viewed"),
    "lockout": _l("Account locked after failed logins"),
    "logbook_edition_downloaded": _l("Logbook edition downloaded"),
    "logbook_edition_issued": _l("Logbook edition issued"),
    "logbook_exported": _l("Logbook exported"),
    "logbook_feedback_deleted": _l("Feedback on the logbook deleted"),
    "logbook_feedback_recorded": _l("Feedback on the logbook recorded"),
    "logbook_feedback_updated": _l("Feedback on the logbook changed"),
    "login": _l("Logged in"),
    "login_failed": _l("Failed login"),
    "logout": _l("Logged out"),
    "meeting_cancelled": _l("Meeting cancelled"),
    "meeting_closed": _l("Meeting closed"),
    "meeting_field_corrected": _l("Meeting notes changed"),
    "meeting_guest_added": _l("Guest added to a meeting"),
    "meeting_guest_corrected": _l("Guest of a meeting corrected"),
    "meeting_guest_removed": _l("Guest removed from a meeting"),
    "meeting_place_corrected": _l("Place of a meeting corrected"),
    "meeting_planned": _l("Meeting planned"),
    "meeting_started": _l("Meeting started"),
    "meeting_step_entered": _l("Step of a meeting opened"),
    "meeting_updated": _l("Meeting changed"),
    "minutes_approved": _l("Minutes approved"),
    "minutes_exported": _l("Minutes downloaded"),
    "minutes_reissued": _l("Minutes issued again"),
    "organisation_created": _l("Organisation added"),
    "organisation_deleted": _l("Organisation deleted"),
    "organisation_updated": _l("Organisation changed"),
    "overdue_digest": _l("Overview of overdue actions sent"),
    "password_changed": _l("Password changed"),
    "password_reset": _l("New password set by an administrator"),
    "possible_duplicate_decided": _l("Decision on a possible duplicate case"),
    "possible_duplicate_flagged": _l("Possible duplicate case flagged"),
    "regievoerder_assigned": _l("Regievoerder assigned"),
    "region_created": _l("Region added"),
    "region_deleted": _l("Region deleted"),
    "region_updated": _l("Region changed"),
    "user_created": _l("Account created"),
    "user_deactivated": _l("Account deactivated"),
    "user_reactivated": _l("Account made active again"),
    "user_unlocked": _l("Account unlocked"),
    "user_updated": _l("Account changed"),
}

ACTION_WORDS = {
    AuditAction.CREATE: _l("created"),
    AuditAction.READ: _l("read"),
    AuditAction.UPDATE: _l("changed"),
    AuditAction.DELETE: _l("deleted"),
    AuditAction.EXECUTE: _l("carried out"),
}
OUTCOME_WORDS = {
    AuditOutcome.SUCCESS: _l("succeeded"),
    AuditOutcome.FAILURE: _l("failed"),
    AuditOutcome.DENIED: _l("refused"),
}


def describe_event(event_type: str, action: AuditAction | None = None) -> str:
    """The event in words; an unknown type by its action, with the code for the specialist."""
    words = EVENT_WORDS.get(event_type)
    if words is not None:
        return str(words)
    if action is not None:
        return _("Data %(action)s (%(code)s)", action=ACTION_WORDS[action], code=event_type)
    return _("Other event (%(code)s)", code=event_type)


def role_words(role: str) -> str:
    """A stored role code as its name; the code itself when the role no longer exists."""
    try:
        return str(Role(role).label)
    except ValueError:
        return role
