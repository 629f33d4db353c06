-- The session script (Ablaufplan, issue 5, decision 0022): a lecturer prepares a session before
-- the day (status 'planned', not yet open) and says per phase what advancing to it applies to
-- every group board: a template inserted as a new frame, a lock on the whole board (or lifting
-- it), private mode, and a dot-voting round on the inserted frame.
alter table facilitation_sessions drop constraint if exists facilitation_sessions_status_check;
alter table facilitation_sessions add constraint facilitation_sessions_status_check check (status in ('planned', 'open', 'ended'));

-- A catalogue template key ('akteursanalyse') or a course template ('course:<uuid>'); null = none.
alter table facilitation_phases add column template text check (template is null or char_length(template) <= 200);
alter table facilitation_phases add column lock text not null default 'keep' check (lock in ('keep', 'lock', 'unlock'));
alter table facilitation_phases add column private_mode boolean not null default false;
-- Dots per person of the phase's voting round on the template's frame; null = no voting.
alter table facilitation_phases add column vote_dots int check (vote_dots between 1 and 20);
alter table facilitation_phases add column vote_anonymous boolean not null default true;
