-- Teams of agents (issue 15): a lead that delegates to specialists over a shared folder, and
-- the runs of each team. Every delegation is a normal session of its specialist.

CREATE TABLE teams (
    id            INTEGER PRIMARY KEY,
    slug          TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL,
    lead_id       INTEGER NOT NULL REFERENCES agents(id) ON DELETE CASCADE,
    folder        TEXT NOT NULL,
    -- Specialists working at once.
    max_parallel  INTEGER NOT NULL DEFAULT 3,
    -- Input plus output tokens one run may use in all; NULL: no limit.
    budget_tokens INTEGER,
    created_at    TEXT NOT NULL
);
CREATE INDEX teams_by_lead ON teams(lead_id);

-- A team's members: the lead (role 'lead') and its specialists, each with the tools it has.
CREATE TABLE team_members (
    team_id  INTEGER NOT NULL REFERENCES teams(id) ON DELETE CASCADE,
    agent_id INTEGER NOT NULL REFERENCES agents(id) ON DELETE CASCADE,
    role     TEXT NOT NULL CHECK (role IN ('lead', 'specialist')),
    -- The file tools it may use: ["list_files", "read_file", "write_file"].
    tools    TEXT NOT NULL DEFAULT '["list_files","read_file","write_file"]',
    PRIMARY KEY (team_id, agent_id)
) WITHOUT ROWID;
CREATE INDEX team_members_by_agent ON team_members(agent_id);

CREATE TABLE team_runs (
    id            INTEGER PRIMARY KEY,
    team_id       INTEGER NOT NULL REFERENCES teams(id) ON DELETE CASCADE,
    task          TEXT NOT NULL,
    tags          TEXT NOT NULL DEFAULT '{}',
    status        TEXT NOT NULL CHECK (status IN ('running', 'completed', 'failed', 'canceled')),
    -- The lead's session (its final answer is the run's output).
    lead_session  TEXT,
    output        TEXT,
    error         TEXT,
    input_tokens  INTEGER NOT NULL DEFAULT 0,
    output_tokens INTEGER NOT NULL DEFAULT 0,
    started_at    TEXT NOT NULL,
    finished_at   TEXT
);
CREATE INDEX team_runs_by_team ON team_runs(team_id);
