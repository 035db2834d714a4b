-- The pseudonymous customer key that extracts carry instead of the account
-- number (design.md: extracts hold no personal data, use pseudonymous integer
-- keys). Assigned by etl/extract/pseudonym.ts: the first 31 bits of
-- HMAC-SHA256(secret, customer_id), collisions resolved by re-hashing with a
-- counter. A stored key never changes; the secret is only needed to assign keys
-- to new customers, and without it a key cannot be linked to an account number.
-- (core.customer.customer_key, an identity, is NOT this key: it counts accounts
-- in load order and is renumbered by a rebuild. Extracts must use this table.)
create table core.customer_pseudonym (
  customer_id  text primary key references core.customer (customer_id),
  customer_key integer not null unique check (customer_key > 0)
);
