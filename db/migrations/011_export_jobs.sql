-- Long exports (the handbook across municipalities) run in the background: their progress
-- is shown while they run and the finished file is kept for a day for the person who asked.
create table export_jobs (
  id uuid primary key default gen_random_uuid(),
  kind text not null,
  requested_by uuid not null references people (id) on delete cascade,
  status text not null default 'running' check (status in ('running', 'done', 'failed')),
  progress integer not null default 0,
  total integer not null default 1,
  file_name text not null,
  content_type text not null,
  result bytea,
  error text,
  created_at timestamptz not null default now(),
  -- A running job moves this on with every step; one that has not moved for minutes died with its process.
  updated_at timestamptz not null default now(),
  finished_at timestamptz
);
create index export_jobs_requested_by on export_jobs (requested_by, created_at desc);
