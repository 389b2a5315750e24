-- What each proposal would have spared in its dream's window (issue 16): JSON
-- {"prevented", "revised", "words"}, NULL when it speaks to no draft.
ALTER TABLE proposals ADD COLUMN impact TEXT;
