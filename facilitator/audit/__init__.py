"""The audit trail: who did what, when, with what outcome (SECURITY.md L1).

Every feature records through :func:`facilitator.audit.services.record`, so that the later
NEN 7513 work (hash chain, append-only table, readers' views) changes one place.
"""
