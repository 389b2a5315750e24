-- Trust (issue 9): what auto-apply needs to decide and explain, cross-process cancel, batch
-- ids that survive a crash, single-change undo, and an index for every query a screen or a
-- dream runs.

-- Distinct days of the sessions behind a proposal, and why auto-apply applied it or left it.
ALTER TABLE proposals ADD COLUMN support_days INTEGER NOT NULL DEFAULT 0;
ALTER TABLE proposals ADD COLUMN auto_note TEXT;

-- Flags were codes ("contains_link"); they are now what was found, in plain words.
UPDATE proposals SET flags = (
    SELECT json_group_array(json_object(
        'kind', CASE f.value
            WHEN 'contains_link' THEN 'link'
            WHEN 'contains_secret' THEN 'secret'
            ELSE 'instruction' END,
        'detail', CASE f.value
            WHEN 'contains_link' THEN 'a link'
            WHEN 'contains_secret' THEN 'what may be a secret'
            WHEN 'contains_code' THEN 'a computer command'
            ELSE 'an instruction aimed at the agent''s operator or tools' END))
    FROM json_each(proposals.flags) f
) WHERE flags != '[]' AND json_type(flags, '$[0]') = 'text';

-- A person (or another process) asked a running dream to stop.
ALTER TABLE dreams ADD COLUMN cancel_requested_at TEXT;
-- A Message Batch the dream created and has not seen end: canceled at the next start if the
-- dream died with it open, so nothing is billed and lost.
ALTER TABLE dreams ADD COLUMN batch_id TEXT;
ALTER TABLE dreams ADD COLUMN batch_open INTEGER NOT NULL DEFAULT 0;

-- The restore that undid this change on its own (single-change undo), so undoing the whole
-- dream later does not undo it twice.
ALTER TABLE memory_events ADD COLUMN undone_by INTEGER;

CREATE INDEX proposals_by_agent ON proposals(agent_id, decision);
CREATE INDEX proposals_by_pattern ON proposals(agent_id, pattern, decision);
CREATE INDEX memory_events_by_dream ON memory_events(agent_id, dream_id);
CREATE INDEX memory_events_by_entry ON memory_events(entry_id);
CREATE INDEX memory_events_by_proposal ON memory_events(proposal_id);
CREATE INDEX memory_events_dream_fk ON memory_events(dream_id);
CREATE INDEX memory_entries_by_dream ON memory_entries(dream_id);
CREATE INDEX grades_by_dream ON grades(dream_id);
CREATE INDEX schedule_state_by_dream ON schedule_state(dream_id);
CREATE INDEX sessions_by_arrival ON sessions(agent_id, imported_at);
CREATE INDEX dreams_running ON dreams(agent_id, status);
