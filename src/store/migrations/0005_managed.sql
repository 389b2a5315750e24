-- Claude Managed Agents (issue 14): which managed agent and memory store an agent is linked
-- to, which of its sessions were pulled, what Reverie last wrote to each document of the
-- store (to notice changes made elsewhere), and Anthropic dreams tracked as Reverie dreams.

CREATE TABLE managed_links (
    agent_id         INTEGER PRIMARY KEY REFERENCES agents(id) ON DELETE CASCADE,
    managed_agent_id TEXT NOT NULL,
    managed_name     TEXT NOT NULL DEFAULT '',
    -- NULL until the first push creates one (or the person names one when linking).
    memory_store_id  TEXT,
    created_at       TEXT NOT NULL,
    last_pull_at     TEXT,
    last_push_at     TEXT,
    -- Why the last pull or push did not finish, in plain words.
    last_error       TEXT
);

-- A session pulled, with the `updated_at` it had: an unchanged session is not read again, and
-- a pull that stopped half-way resumes with the sessions it had not finished.
CREATE TABLE managed_sessions (
    agent_id   INTEGER NOT NULL REFERENCES agents(id) ON DELETE CASCADE,
    session_id TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    pulled_at  TEXT NOT NULL,
    PRIMARY KEY (agent_id, session_id)
) WITHOUT ROWID;

-- The store's documents as Reverie last wrote them: the hash is the precondition of the next
-- write, and the store's version id is kept with Reverie's memory version.
CREATE TABLE managed_documents (
    agent_id          INTEGER NOT NULL REFERENCES agents(id) ON DELETE CASCADE,
    path              TEXT NOT NULL,
    memory_id         TEXT NOT NULL,
    content_sha256    TEXT NOT NULL,
    memory_version_id TEXT,
    reverie_version   INTEGER NOT NULL,
    written_at        TEXT NOT NULL,
    PRIMARY KEY (agent_id, path)
) WITHOUT ROWID;

-- A document someone changed in the store since Reverie's last write: both sides, until the
-- person chooses (push again with force, or edit memory).
CREATE TABLE managed_conflicts (
    agent_id INTEGER NOT NULL REFERENCES agents(id) ON DELETE CASCADE,
    path     TEXT NOT NULL,
    ours     TEXT NOT NULL,
    theirs   TEXT,
    found_at TEXT NOT NULL,
    PRIMARY KEY (agent_id, path)
) WITHOUT ROWID;

CREATE TABLE managed_dreams (
    dream_id     INTEGER PRIMARY KEY REFERENCES dreams(id) ON DELETE CASCADE,
    remote_id    TEXT NOT NULL,
    input_store  TEXT NOT NULL,
    output_store TEXT,
    -- Set once the output store was deleted (after the review, or after a failure).
    cleaned_at   TEXT
);
