-- Snapshots (Stände, issue 6): a municipality's whole design — every whiteboard and its
-- Systemdesign document — frozen at one moment, with a rendered SVG per board so it can be
-- looked at without the live editor. Rows are immutable: a trigger refuses every UPDATE
-- (the one exception: the author's id becomes null when that person is deleted, GDPR Art. 17).
create table snapshots (
  id uuid primary key default gen_random_uuid(),
  municipality_id uuid not null references municipalities (id) on delete cascade,
  kind text not null check (kind in ('manual', 'auto', 'phase', 'session_end', 'before_restore')),
  label text not null check (char_length(label) <= 200),
  note text not null default '' check (char_length(note) <= 2000),
  taken_by uuid references people (id) on delete set null,
  taken_at timestamptz not null default clock_timestamp(),
  -- The tldraw schema (serialized) the whiteboards were written with, for migrating on restore or view.
  tldraw_schema jsonb,
  check (kind <> 'manual' or char_length(btrim(label)) > 0)
);
create index snapshots_municipality_taken on snapshots (municipality_id, taken_at desc);

-- No foreign key to boards: a snapshot keeps a board's content even after the board is deleted.
create table snapshot_boards (
  snapshot_id uuid not null references snapshots (id) on delete cascade,
  board_id uuid not null,
  board_kind text not null check (board_kind in ('whiteboard', 'design')),
  title text not null,
  state bytea not null,
  svg text not null,
  primary key (snapshot_id, board_id)
);

create function snapshots_are_immutable() returns trigger language plpgsql as $$
begin
  if tg_table_name = 'snapshots' then
    if (to_jsonb(old) ->> 'taken_by') is not null and (to_jsonb(new) ->> 'taken_by') is null
       and (to_jsonb(new) - 'taken_by') = (to_jsonb(old) - 'taken_by') then
      return new;
    end if;
  end if;
  raise exception 'snapshots are immutable: % rows are never updated', tg_table_name using errcode = 'P0001';
end
$$;
create trigger snapshots_immutable before update on snapshots for each row execute function snapshots_are_immutable();
create trigger snapshot_boards_immutable before update on snapshot_boards for each row execute function snapshots_are_immutable();

-- Who did what when (issue 6 "Audit"): snapshots taken and restored so far; exports, publishing
-- and role changes can record here too. Listed for coordinators. Append-only like snapshots.
create table audit_log (
  id bigserial primary key,
  at timestamptz not null default clock_timestamp(),
  person_id uuid references people (id) on delete set null,
  action text not null check (char_length(action) between 1 and 100),
  municipality_id uuid references municipalities (id) on delete cascade,
  subject_id uuid,
  details jsonb not null default '{}'::jsonb
);
create index audit_log_municipality_at on audit_log (municipality_id, at desc);
