-- Which secret made the keys in core.customer_pseudonym: a fingerprint
-- (HMAC-SHA256(secret, fixed label), 16 hex digits), never the secret. One row.
-- Assigning keys with another secret (a lost secret file replaced by a new one)
-- is refused instead of silently mixing keys of two secrets; changing the
-- secret on purpose is a rotation, which re-keys every customer.
create table core.customer_pseudonym_secret (
  singleton   boolean primary key default true check (singleton),
  fingerprint text not null check (fingerprint ~ '^[0-9a-f]{16}$'),
  set_at      timestamptz not null default now()
);
