-- The Systemdesign document (issue 4) is a Yjs document in the same room machinery as the
-- whiteboards: a `boards` row of kind 'design', exactly one per municipality, so the Yjs
-- endpoint, durability, access rules and snapshots apply to it unchanged.
alter table boards add column kind text not null default 'whiteboard' check (kind in ('whiteboard', 'design'));
alter table boards add constraint boards_design_belongs_to_municipality check (kind = 'whiteboard' or municipality_id is not null);
create unique index boards_one_design_per_municipality on boards (municipality_id) where kind = 'design';

insert into boards (title, municipality_id, kind)
select 'Systemdesign', m.id, 'design' from municipalities m
where not exists (select 1 from boards b where b.municipality_id = m.id and b.kind = 'design');
