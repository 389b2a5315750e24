-- Sessions in and memory out (issue 13): sources an agent's sessions are synced from, the
-- files seen in each (so a sync imports only what changed), destinations its approved memory
-- is published to, and whether MCP clients may write.

CREATE TABLE sources (
    id           INTEGER PRIMARY KEY,
    agent_id     INTEGER NOT NULL REFERENCES agents(id) ON DELETE CASCADE,
    -- A folder (every session file under it) or one file.
    path         TEXT NOT NULL,
    -- Tags stamped on every session from this source, e.g. {"repo": "billing-api"}.
    tags         TEXT NOT NULL DEFAULT '{}',
    -- A format to read files as; NULL detects each file's.
    format       TEXT,
    created_at   TEXT NOT NULL,
    last_sync_at TEXT,
    UNIQUE (agent_id, path)
);
CREATE INDEX sources_by_agent ON sources(agent_id);

CREATE TABLE source_files (
    source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
    path      TEXT NOT NULL,
    -- Size and modification time when last read: unchanged files are not read again.
    size      INTEGER NOT NULL,
    mtime     TEXT NOT NULL,
    sessions  INTEGER NOT NULL DEFAULT 0,
    -- What could not be read: [{"line": N, "message": "..."}] (line 0: the whole file).
    errors    TEXT NOT NULL DEFAULT '[]',
    synced_at TEXT NOT NULL,
    PRIMARY KEY (source_id, path)
) WITHOUT ROWID;

CREATE TABLE destinations (
    id              INTEGER PRIMARY KEY,
    agent_id        INTEGER NOT NULL REFERENCES agents(id) ON DELETE CASCADE,
    -- A file (claude-md, agents-md, markdown, jsonl) or a folder (claude-memory).
    path            TEXT NOT NULL,
    kind            TEXT NOT NULL
        CHECK (kind IN ('claude-md', 'agents-md', 'claude-memory', 'markdown', 'jsonl')),
    -- Only entries for these tags (and team-wide ones); {} is all of memory.
    tags            TEXT NOT NULL DEFAULT '{}',
    created_at      TEXT NOT NULL,
    last_written_at TEXT,
    -- A hash of what Reverie last wrote there, to notice edits made outside it.
    last_hash       TEXT,
    last_error      TEXT,
    UNIQUE (agent_id, path)
);
CREATE INDEX destinations_by_agent ON destinations(agent_id);

-- MCP clients may record feedback for this agent (off unless a person turns it on).
ALTER TABLE agents ADD COLUMN mcp_write INTEGER NOT NULL DEFAULT 0;
