-- Courses, municipalities, people, roles and sign-in (issue: access).

create table people (
  id uuid primary key default gen_random_uuid(),
  email text not null unique check (email = lower(email) and position('@' in email) > 1),
  name text not null default '' check (char_length(name) <= 200),
  password_hash text,
  created_at timestamptz not null default now()
);

create table sessions (
  id_hash text primary key,
  person_id uuid not null references people (id) on delete cascade,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  last_seen_at timestamptz not null default now()
);
create index sessions_person on sessions (person_id);

create table access_tokens (
  id uuid primary key default gen_random_uuid(),
  person_id uuid not null references people (id) on delete cascade,
  token_hash text not null unique,
  label text not null default '',
  created_at timestamptz not null default now(),
  last_used_at timestamptz,
  revoked_at timestamptz
);

create table courses (
  id uuid primary key default gen_random_uuid(),
  name text not null check (char_length(name) between 1 and 200),
  cohort text not null default '' check (char_length(cohort) <= 100),
  format text not null default 'full' check (format in ('full', 'shortened')),
  created_at timestamptz not null default now()
);

create table course_modules (
  id uuid primary key default gen_random_uuid(),
  course_id uuid not null references courses (id) on delete cascade,
  number int not null check (number between 1 and 5),
  title text not null check (char_length(title) between 1 and 200),
  starts_on date,
  ends_on date,
  place text not null default '' check (char_length(place) <= 200),
  unique (course_id, number)
);

create table municipalities (
  id uuid primary key default gen_random_uuid(),
  name text not null unique check (char_length(name) between 1 and 200),
  kind text not null check (kind in ('Stadt', 'Kreis', 'Gemeinde')),
  created_at timestamptz not null default now()
);

-- A municipality's team in a course round.
create table course_teams (
  course_id uuid not null references courses (id) on delete cascade,
  municipality_id uuid not null references municipalities (id) on delete cascade,
  created_at timestamptz not null default now(),
  primary key (course_id, municipality_id)
);

-- Each municipality has one living Systemdesign.
create table designs (
  id uuid primary key default gen_random_uuid(),
  municipality_id uuid not null unique references municipalities (id) on delete cascade,
  status text not null default 'Entwurf'
    check (status in ('Entwurf', 'Abgestimmt', 'Beschlossen', 'In Umsetzung', 'Evaluiert')),
  updated_at timestamptz not null default now()
);

-- A board belongs to a municipality's design, or to a course (e.g. the plenary board); a
-- board with neither (created before roles existed) is visible to administrators only.
alter table boards add column municipality_id uuid references municipalities (id) on delete cascade;
alter table boards add column course_id uuid references courses (id) on delete cascade;
create index boards_municipality on boards (municipality_id);
create index boards_course on boards (course_id);

-- A role held by a person in a scope: the installation (both null), a course, or a municipality.
create table memberships (
  id uuid primary key default gen_random_uuid(),
  person_id uuid not null references people (id) on delete cascade,
  role text not null check (role in ('administrator', 'coordinator', 'lecturer', 'mediator', 'participant', 'guest')),
  course_id uuid references courses (id) on delete cascade,
  municipality_id uuid references municipalities (id) on delete cascade,
  created_at timestamptz not null default now(),
  check (
    (role = 'administrator' and course_id is null and municipality_id is null)
    or (role = 'coordinator' and municipality_id is null)
    or (role = 'lecturer' and course_id is not null and municipality_id is null)
    or (role in ('mediator', 'participant', 'guest') and municipality_id is not null)
  )
);
create unique index memberships_unique on memberships (
  person_id, role, coalesce(course_id, '00000000-0000-0000-0000-000000000000'), coalesce(municipality_id, '00000000-0000-0000-0000-000000000000')
);
create index memberships_person on memberships (person_id);

create table invitations (
  id uuid primary key default gen_random_uuid(),
  token_hash text not null unique,
  email text not null check (email = lower(email)),
  role text not null check (role in ('administrator', 'coordinator', 'lecturer', 'mediator', 'participant', 'guest')),
  course_id uuid references courses (id) on delete cascade,
  municipality_id uuid references municipalities (id) on delete cascade,
  invited_by uuid references people (id) on delete set null,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  accepted_at timestamptz
);

create table password_resets (
  token_hash text primary key,
  person_id uuid not null references people (id) on delete cascade,
  created_by uuid references people (id) on delete set null,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  used_at timestamptz
);

create table board_visits (
  person_id uuid not null references people (id) on delete cascade,
  board_id uuid not null references boards (id) on delete cascade,
  opened_at timestamptz not null default now(),
  primary key (person_id, board_id)
);
