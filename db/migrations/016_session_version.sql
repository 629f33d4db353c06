-- Every stored change of a session's live state counts up its version (decision 0037): pages
-- on any process keep the newest state they were sent, whichever order two processes' messages
-- arrive in.
alter table facilitation_sessions add column version int not null default 0;
