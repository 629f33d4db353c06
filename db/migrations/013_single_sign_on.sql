-- Single sign-on through OpenID Connect (decision 0032): sign-ins in flight, and which
-- provider session a Werkraum session came from (for sign-out at the provider and back-channel logout).

create table sso_sign_ins (
  state_hash text primary key,
  nonce text not null,
  code_verifier text not null,
  return_to text not null default '/',
  expires_at timestamptz not null
);

alter table sessions add column sso_subject text;
alter table sessions add column sso_session_id text;
-- Sent back to the provider as id_token_hint when the person signs out (RP-initiated logout).
alter table sessions add column sso_id_token text;
create index sessions_sso_subject on sessions (sso_subject) where sso_subject is not null;
create index sessions_sso_session on sessions (sso_session_id) where sso_session_id is not null;
