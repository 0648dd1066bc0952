"""The organisation store: people, their evidence and assessments, with history, in SQL.

    database   Store: engine and sessions for a URL (SQLite file or PostgreSQL), transactions
               that retry a write another writer raced
    migrate    schema versions (Alembic): init, upgrade, check
    models     the tables; what must never be false is a constraint there
    org        the organisation tree          people   people and their evidence revisions
    imports    applying a checked import      assessing  assessment runs and snapshots
    views      skill maps, distributions, levels on a date      targets  staffing targets

This package is the only place that builds queries. Nothing here is ever updated in place:
changes append revisions, so any past moment can be read back.
"""
