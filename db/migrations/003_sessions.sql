-- Live facilitation sessions (Sitzungen) of a course: the lecturer's session script (phases)
-- and the live state (timer, phase, hands, announcements), restored on reconnect or restart.

create table facilitation_sessions (
  id uuid primary key default gen_random_uuid(),
  course_id uuid not null references courses (id) on delete cascade,
  module_number int check (module_number between 1 and 5),
  title text not null check (char_length(title) between 1 and 200),
  status text not null default 'open' check (status in ('open', 'ended')),
  -- The live state as the server holds it (see collab/facilitation.ts); written on every change.
  state jsonb not null default '{}'::jsonb,
  created_by uuid references people (id) on delete set null,
  created_at timestamptz not null default now(),
  ended_at timestamptz
);
create index facilitation_sessions_course on facilitation_sessions (course_id, status);

create table facilitation_phases (
  id uuid primary key default gen_random_uuid(),
  session_id uuid not null references facilitation_sessions (id) on delete cascade,
  position int not null check (position >= 0),
  title text not null check (char_length(title) between 1 and 200),
  prompt text not null default '' check (char_length(prompt) <= 4000),
  duration_seconds int check (duration_seconds between 0 and 86400),
  unique (session_id, position)
);

create table facilitation_votes (
  session_id uuid not null references facilitation_sessions (id) on delete cascade,
  round_id text not null,
  person_id uuid not null references people (id) on delete cascade,
  target text not null check (char_length(target) <= 200),
  dots int not null check (dots > 0),
  primary key (session_id, round_id, person_id, target)
);
