-- Boards and their Yjs documents: an append-only update log plus one compacted state row.
create table boards (
  id uuid primary key default gen_random_uuid(),
  title text not null check (char_length(title) between 1 and 200),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create table board_states (
  board_id uuid primary key references boards (id) on delete cascade,
  state bytea not null,
  compacted_updates bigint not null default 0,
  updated_at timestamptz not null default now()
);

create table board_updates (
  id bigserial primary key,
  board_id uuid not null references boards (id) on delete cascade,
  update bytea not null,
  created_at timestamptz not null default now()
);

create index board_updates_board_id_id on board_updates (board_id, id);
