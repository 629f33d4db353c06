-- Comments (issue 4): threads attached to a shape on a board, or to an entry or a section of
-- the Systemdesign document (itself a board of kind 'design'), with replies, @-mentions and
-- resolve/reopen. Access follows the board's (docs/decisions/0017-comments-in-postgres.md).
create table comment_threads (
  id uuid primary key default gen_random_uuid(),
  board_id uuid not null references boards (id) on delete cascade,
  anchor_kind text not null check (anchor_kind in ('board', 'shape', 'entry', 'section')),
  anchor_id text not null default '' check (length(anchor_id) <= 200),
  anchor_label text not null default '' check (length(anchor_label) <= 200),
  resolved_at timestamptz,
  resolved_by uuid references people (id) on delete set null,
  created_by uuid references people (id) on delete set null,
  created_at timestamptz not null default now()
);
create index comment_threads_by_board on comment_threads (board_id, created_at);

create table comments (
  id uuid primary key default gen_random_uuid(),
  thread_id uuid not null references comment_threads (id) on delete cascade,
  author_id uuid references people (id) on delete set null,
  body text not null check (length(body) between 1 and 5000),
  mentions uuid[] not null default '{}',
  created_at timestamptz not null default now()
);
create index comments_by_thread on comments (thread_id, created_at);
