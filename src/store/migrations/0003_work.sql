-- Working with the agent in Reverie (issue 11): feedback, comments and tags given in the app
-- live beside what an import brought, so a re-import never erases them; chat answers can be
-- stopped mid-way; sessions remember the file they came from.

-- Who gave a verdict: an import (replaced by the next import of the same file) or a person in
-- the app (kept, and it wins over an imported one for the same message). A person's row with
-- no verdict says "cleared": it hides the imported verdict for good, re-imports included.
CREATE TABLE feedback_new (
    session_id  INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    message_idx INTEGER NOT NULL,
    verdict     TEXT CHECK (verdict IN ('accepted', 'revised', 'rejected')),
    final_text  TEXT,
    comment     TEXT,
    origin      TEXT NOT NULL DEFAULT 'import' CHECK (origin IN ('import', 'person')),
    CHECK (verdict IS NOT NULL OR origin = 'person'),
    PRIMARY KEY (session_id, message_idx)
) WITHOUT ROWID;
INSERT INTO feedback_new (session_id, message_idx, verdict, final_text, comment)
    SELECT session_id, message_idx, verdict, final_text, comment FROM feedback;
DROP TABLE feedback;
ALTER TABLE feedback_new RENAME TO feedback;

-- A person's comment on the whole session.
ALTER TABLE sessions ADD COLUMN comment TEXT;

-- Tags as the import gave them, and the changes a person made in the app (a value, or null
-- for "removed"); `tags` is always the two combined, and is what everything reads.
ALTER TABLE sessions ADD COLUMN import_tags TEXT NOT NULL DEFAULT '{}';
ALTER TABLE sessions ADD COLUMN tag_edits TEXT NOT NULL DEFAULT '{}';
UPDATE sessions SET import_tags = tags;

-- The file a session was imported from, so "all sessions from this file" can be tagged.
ALTER TABLE sessions ADD COLUMN file TEXT;
CREATE INDEX sessions_by_file ON sessions(agent_id, file);

-- An answer the person stopped before it finished.
ALTER TABLE messages ADD COLUMN stopped INTEGER NOT NULL DEFAULT 0;
