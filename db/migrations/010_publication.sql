-- A coordinator publishes a municipality's design for the handbook across municipalities.
alter table designs
  add column published_at timestamptz,
  add column published_by uuid references people (id) on delete set null;
