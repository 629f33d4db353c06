-- Course templates (issue 4): a lecturer saves a board frame (with everything inside it) as a
-- template of their course; the course's teams then find it in the template choice.
-- `records` holds the frame's tldraw shape records as JSON, validated against the tldraw schema.
create table course_templates (
  id uuid primary key default gen_random_uuid(),
  course_id uuid not null references courses (id) on delete cascade,
  name text not null check (length(name) between 1 and 200),
  records jsonb not null,
  created_by uuid references people (id) on delete set null,
  created_at timestamptz not null default now()
);
create index course_templates_by_course on course_templates (course_id, created_at);
