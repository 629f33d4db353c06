-- The language of a course ('de' | 'en'): what the server writes for all its groups at once
-- (a session phase's template, page names) is written in it. German stays the default.
alter table courses add column language text not null default 'de' check (language in ('de', 'en'));
