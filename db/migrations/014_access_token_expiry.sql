-- Personal access tokens get an optional expiry (issue 17: list, name, expiry, revoke).
alter table access_tokens add column expires_at timestamptz;
