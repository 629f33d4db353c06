-- Private mode of live facilitation (issue 5, decision 0020): each participant's hidden notes
-- live in a private layer, a `boards` row of kind 'private' per (board, person) in the same room
-- machinery and storage, readable only by its owner and the board's facilitators. On reveal the
-- server moves the layer's shapes into the board and empties the layer.
alter table boards drop constraint if exists boards_kind_check;
alter table boards add constraint boards_kind_check check (kind in ('whiteboard', 'design', 'private'));
-- Deferrable: a restore (db/backup.server.ts) inserts boards in any order and checks at commit.
alter table boards add column private_of uuid references boards (id) on delete cascade deferrable initially immediate;
alter table boards add column private_owner uuid references people (id) on delete cascade;
alter table boards add constraint boards_private_layer check ((kind = 'private') = (private_of is not null and private_owner is not null));
create unique index boards_one_private_layer on boards (private_of, private_owner) where kind = 'private';
