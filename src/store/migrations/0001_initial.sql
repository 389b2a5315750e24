-- The whole domain of DESIGN.md. Times are RFC 3339 UTC text; JSON columns hold maps/lists.

CREATE TABLE agents (
    id              INTEGER PRIMARY KEY,
    slug            TEXT NOT NULL UNIQUE,
    name            TEXT NOT NULL,
    model           TEXT,
    system_prompt   TEXT NOT NULL DEFAULT '',
    memory_enabled  INTEGER NOT NULL DEFAULT 1,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);

-- One rubric per agent, stored as the exact YAML the person wrote or the editor produced.
CREATE TABLE rubrics (
    agent_id    INTEGER PRIMARY KEY REFERENCES agents(id) ON DELETE CASCADE,
    yaml        TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);

CREATE TABLE sessions (
    id            INTEGER PRIMARY KEY,
    agent_id      INTEGER NOT NULL REFERENCES agents(id) ON DELETE CASCADE,
    external_id   TEXT NOT NULL,
    started_at    TEXT NOT NULL,
    ended_at      TEXT,
    user          TEXT,
    tags          TEXT NOT NULL DEFAULT '{}',
    outcomes      TEXT NOT NULL DEFAULT '{}',
    extra         TEXT NOT NULL DEFAULT '{}',
    source        TEXT NOT NULL,
    preview       TEXT NOT NULL DEFAULT '',
    message_count INTEGER NOT NULL DEFAULT 0,
    imported_at   TEXT NOT NULL,
    UNIQUE (agent_id, external_id)
);
CREATE INDEX sessions_by_time ON sessions(agent_id, started_at);

CREATE TABLE messages (
    session_id  INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    idx         INTEGER NOT NULL,
    role        TEXT NOT NULL,
    content     TEXT NOT NULL,
    tool_calls  TEXT,
    PRIMARY KEY (session_id, idx)
) WITHOUT ROWID;

CREATE TABLE feedback (
    session_id  INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    message_idx INTEGER NOT NULL,
    verdict     TEXT NOT NULL CHECK (verdict IN ('accepted', 'revised', 'rejected')),
    final_text  TEXT,
    comment     TEXT,
    PRIMARY KEY (session_id, message_idx)
) WITHOUT ROWID;

CREATE TABLE grades (
    session_id  INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    outcome     TEXT NOT NULL,
    value       TEXT NOT NULL CHECK (value IN ('met', 'not_met', 'unknown')),
    source      TEXT NOT NULL,
    reason      TEXT NOT NULL,
    dream_id    INTEGER REFERENCES dreams(id) ON DELETE SET NULL,
    graded_at   TEXT NOT NULL,
    PRIMARY KEY (session_id, outcome)
) WITHOUT ROWID;

CREATE TABLE memory_entries (
    id          INTEGER PRIMARY KEY,
    agent_id    INTEGER NOT NULL REFERENCES agents(id) ON DELETE CASCADE,
    content     TEXT NOT NULL,
    scope       TEXT NOT NULL DEFAULT '{}',
    source      TEXT NOT NULL,
    dream_id    INTEGER REFERENCES dreams(id) ON DELETE SET NULL,
    session_ids TEXT NOT NULL DEFAULT '[]',
    support     INTEGER NOT NULL DEFAULT 0,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    -- Removed entries stay for history and undo; live ones have no deleted_at.
    deleted_at  TEXT
);
CREATE INDEX memory_live ON memory_entries(agent_id) WHERE deleted_at IS NULL;

-- Every change to memory; an agent's memory version is its number of events.
CREATE TABLE memory_events (
    id          INTEGER PRIMARY KEY,
    agent_id    INTEGER NOT NULL REFERENCES agents(id) ON DELETE CASCADE,
    version     INTEGER NOT NULL,
    entry_id    INTEGER NOT NULL REFERENCES memory_entries(id),
    kind        TEXT NOT NULL,
    before      TEXT,
    after       TEXT,
    -- Full row snapshots so undo restores an entry exactly.
    before_row  TEXT,
    dream_id    INTEGER REFERENCES dreams(id) ON DELETE SET NULL,
    proposal_id INTEGER REFERENCES proposals(id) ON DELETE SET NULL,
    actor       TEXT NOT NULL,
    at          TEXT NOT NULL,
    UNIQUE (agent_id, version)
);

CREATE TABLE dreams (
    id                   INTEGER PRIMARY KEY,
    agent_id             INTEGER NOT NULL REFERENCES agents(id) ON DELETE CASCADE,
    status               TEXT NOT NULL,
    trigger              TEXT NOT NULL,
    window_days          INTEGER NOT NULL,
    window_start         TEXT NOT NULL,
    window_end           TEXT NOT NULL,
    sessions_read        INTEGER NOT NULL DEFAULT 0,
    session_ids          TEXT NOT NULL DEFAULT '[]',
    memory_version_start INTEGER NOT NULL,
    model                TEXT NOT NULL,
    input_tokens         INTEGER NOT NULL DEFAULT 0,
    output_tokens        INTEGER NOT NULL DEFAULT 0,
    cached_tokens        INTEGER NOT NULL DEFAULT 0,
    cost_usd             REAL NOT NULL DEFAULT 0,
    warning              TEXT,
    error                TEXT,
    notes                TEXT NOT NULL DEFAULT '[]',
    started_at           TEXT NOT NULL,
    -- A running dream touches this as it goes; a stale one was cut off (crash, kill).
    heartbeat_at         TEXT NOT NULL,
    finished_at          TEXT,
    undone_at            TEXT
);
CREATE INDEX dreams_by_agent ON dreams(agent_id, started_at);

CREATE TABLE proposals (
    id          INTEGER PRIMARY KEY,
    dream_id    INTEGER NOT NULL REFERENCES dreams(id) ON DELETE CASCADE,
    agent_id    INTEGER NOT NULL REFERENCES agents(id) ON DELETE CASCADE,
    op          TEXT NOT NULL CHECK (op IN ('add', 'remove', 'refine', 'merge')),
    content     TEXT NOT NULL,
    scope       TEXT NOT NULL DEFAULT '{}',
    targets     TEXT NOT NULL DEFAULT '[]',
    evidence    TEXT NOT NULL DEFAULT '[]',
    confidence  REAL NOT NULL,
    rationale   TEXT NOT NULL,
    pattern     TEXT NOT NULL,
    support     INTEGER NOT NULL DEFAULT 0,
    flags       TEXT NOT NULL DEFAULT '[]',
    decision    TEXT NOT NULL DEFAULT 'pending',
    reason      TEXT,
    decided_at  TEXT
);
CREATE INDEX proposals_by_dream ON proposals(dream_id);
CREATE INDEX proposals_rejected ON proposals(agent_id, pattern) WHERE decision = 'rejected';

-- What the scheduler last did for each agent: the schedule slot it handled, and why it skipped.
CREATE TABLE schedule_state (
    agent_id     INTEGER PRIMARY KEY REFERENCES agents(id) ON DELETE CASCADE,
    last_slot    TEXT NOT NULL,
    last_outcome TEXT NOT NULL,
    reason       TEXT,
    dream_id     INTEGER REFERENCES dreams(id) ON DELETE SET NULL,
    at           TEXT NOT NULL
);

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
