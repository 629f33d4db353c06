-- Pictures on boards (issue 4): images pasted or dropped onto a board are stored here, served
-- only to people who may see the board. The type is recognised from the bytes, never trusted
-- from the client; the size is limited by MAX_IMAGE_BYTES.
create table board_images (
  id uuid primary key default gen_random_uuid(),
  board_id uuid not null references boards (id) on delete cascade,
  mime text not null check (mime in ('image/png', 'image/jpeg', 'image/gif', 'image/webp')),
  size integer not null check (size > 0),
  bytes bytea not null,
  created_by uuid references people (id) on delete set null,
  created_at timestamptz not null default now()
);
create index board_images_by_board on board_images (board_id);
