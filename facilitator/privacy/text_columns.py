"""Every text column of the data model, and what the personal-data guard does with it (P8).

A test walks the SQLAlchemy metadata and fails for a ``String`` or ``Text`` column that is on
neither list, or for a name on a list that no longer exists: a new text column cannot arrive
without a decision. The form crawl in the tests proves the screened ones refuse a BSN.
Enumerations (stored as VARCHAR with a CHECK) hold one of their values and need no entry.
"""

from __future__ import annotations

#: Free text a person types, passed through :func:`facilitator.privacy.guard.screen` by the
#: service that stores it ("professional" texts with ``professional_details=True``).
SCREENED = {
    "regions.name": "professional",
    "regions.description": "professional",
    "organisations.name": "professional",
    "organisations.contact_name": "professional",
    "organisations.backup_name": "professional",
    "organisations.contact_phone": "professional",
    "organisations.backup_phone": "professional",
    "users.name": "professional",
    "contacts.name": "professional (regions.contacts)",
    "case_groups.name": "groups.services",
    "case_groups.theme": "groups.services",
    "case_groups.description": "groups.services",
    "selection_criteria.text": "groups.services.add_criterion",
    "cases.description": "cases.services",
    "cases.closure_reason": "cases.services.close_case",
    "consents.purposes": "cases.services.register_case",
    "consents.evidence_reference": "cases.services.register_case",
    "consent_events.note": "privacy.services (extend, withdraw)",
    "meetings.location": "meetings.planning",
    "meetings.online_link": "meetings.planning",
    "meeting_series.location": "series.services.plan_series",
    "meeting_series.online_link": "series.services.plan_series",
    "attendance.guest_name": "meetings.attendance (add_guest, correct_guest)",
    "attendance.guest_role": "meetings.attendance (add_guest, correct_guest)",
    "field_values.value": "meetings.run.save_field",
    "field_corrections.reason": "meetings.run.save_field",
    "record_corrections.reason": "meetings.corrections (correct_finding and the others)",
    "findings.text": "meetings.records (add_finding, update_finding)",
    "action_items.description": "actions.services (create_action, edit_action)",
    "action_updates.note": "actions.services.change_status",
    "regievoerder_assignments.handover_reason": "cases.regie.assign_regievoerder",
    "case_updates.text": "meetings.review.record_case_update",
    "preparation_answers.text": "preparation.services.save_answers",
    "building_block_scores.went_well": "meetings.records.save_building_blocks",
    "building_block_scores.could_be_better": "meetings.records.save_building_blocks",
    "minutes_approvals.corrections": "exports (approving the minutes)",
    "logbook_feedback.summary": "exports.feedback (record_feedback, update_feedback)",
    "logbook_feedback.decisions": "exports.feedback (record_feedback, update_feedback)",
    "feedback_bodies.name": "professional (exports.feedback_bodies: add_body, rename_body)",
    "house_styles.filename": "professional (exports: the house-style upload)",
    "case_calls.message": "proposals.services.open_call",
    "case_proposals.note": "proposals.services.propose_case",
    "case_proposals.decline_reason": "proposals.services.decline_proposal",
    "signal_follow_ups.decision": "signals.services.record_follow_up",
    "signal_updates.decision": "signals.services.record_follow_up (the timeline's copy)",
    "stories.title": "stories.services (write_story, edit_story; pseudonyms refused too)",
    "stories.text": "stories.services (write_story, edit_story; pseudonyms refused too)",
    "stories.sent_back_reason": "stories.services.send_back_story",
}

#: Text columns that hold no free text a person typed about a client, with the reason.
EXEMPT = {
    "audit_events.event_type": "a code written by the application",
    "audit_events.user_role": "a role value",
    "audit_events.object_type": "a table name",
    "audit_events.object_id": "a row id",
    "audit_events.case_pseudonym": "a pseudonym (random, P1)",
    "audit_events.reason": "written by the application from codes and values, never user text",
    "audit_events.source_address": "the client's IP address as the server saw it",
    "audit_events.check_result": "a code written by the application",
    "audit_events.chain": "an HMAC-SHA256 in hexadecimal",
    "audit_chain_anchors.last_purged_chain": "an HMAC-SHA256 in hexadecimal",
    "organisations.contact_email": "a professional's work e-mail address, validated as such",
    "organisations.backup_email": "a professional's work e-mail address, validated as such",
    "users.email": "the account's own e-mail address, validated as such",
    "contacts.email": "a professional's work e-mail address, validated as such",
    "users.password_hash": "an Argon2id hash",
    "users.totp_key_id": "the public fingerprint of a master key",
    "recovery_codes.code_hash": "an Argon2id hash of a random recovery code",
    "login_failures.address": "the client's IP address as the server saw it",
    "users.language": "a language code from a fixed list",
    "cases.pseudonym": "a pseudonym (random, P1)",
    "case_groups.default_protocol": "a protocol id chosen from the loaded protocols",
    "meetings.protocol_id": "copied from the protocol file",
    "meetings.protocol_version": "copied from the protocol file",
    "meetings.protocol_hash": "a SHA-256 of the protocol file",
    "meetings.protocol_source": "the protocol file's text, written by the beheerder's release",
    "meetings.current_step": "a step reference built by the application",
    "meeting_series.protocol_id": "a protocol id chosen from the loaded protocols",
    "personal_data_confirmations.object_type": "a table name",
    "personal_data_confirmations.field": "a field name",
    "personal_data_confirmations.kinds": "detector kinds (bsn, phone, ...)",
    "action_items.step_ref": "a step reference built by the application",
    "field_values.step_ref": "a step reference built by the application",
    "field_values.field_key": "a field key from the protocol file",
    "preparation_answers.question_key": "a preparation question's key from the protocol file",
    "findings.step_ref": "a step reference built by the application",
    "step_visits.step_ref": "a step reference built by the application",
    "field_corrections.old_value": (
        "a copy of a field value that was screened when saved, or the fixed notice when it "
        "holds personal data (meetings.retention)"
    ),
    "record_corrections.object_type": "a table name written by the application",
    "record_corrections.field": "an attribute name written by the application",
    "record_corrections.old_value": (
        "a copy of a record's text that was screened when saved, or the fixed notice when it "
        "holds personal data (meetings.retention)"
    ),
    "field_corrections.new_value": "a copy of the field value screened by save_field",
    "identity_blind_indexes.kind": "a code written by the application",
    "identity_blind_indexes.digest": "an HMAC-SHA256 digest (P3)",
    "consents.form_version": "the consent form's version, from configuration or the import",
    "calendar_feeds.token_hash": "a SHA-256 of a random token",
    "mail_deliveries.kind": "a code written by the application",
    "mail_deliveries.recipient": "a professional's work e-mail address, the message's recipient",
    "mail_deliveries.subject": "a key written by the application (e.g. an action's id)",
    "minutes_approvals.sha256": "a SHA-256 of the approved file",
    "logbook_editions.sha256": "a SHA-256 of the issued file",
    "house_styles.sha256": "a SHA-256 of the uploaded file",
}

#: Exempt columns that hold a digest or a key's fingerprint: a value computed by the
#: application, never text. Any run of digits in one is chance (a 64-digit hexadecimal value
#: holds about 40 digits), so a search for a typed number in the stored texts passes them by.
DIGESTS = frozenset(
    {
        "audit_events.chain",
        "audit_chain_anchors.last_purged_chain",
        "users.password_hash",
        "users.totp_key_id",
        "recovery_codes.code_hash",
        "identity_blind_indexes.digest",
        "calendar_feeds.token_hash",
        "meetings.protocol_hash",
        "minutes_approvals.sha256",
        "logbook_editions.sha256",
        "house_styles.sha256",
    }
)
