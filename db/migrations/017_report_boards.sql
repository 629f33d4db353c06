-- Which whiteboards a municipality's Systemdesign-Bericht prints, and in which order (decision 0042).
-- A board without a row is printed, after the listed ones, in the order it was created.
create table report_boards (
  municipality_id uuid not null references municipalities(id) on delete cascade,
  board_id uuid not null references boards(id) on delete cascade,
  position integer not null,
  included boolean not null default true,
  primary key (municipality_id, board_id)
);
