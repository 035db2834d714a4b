-- Helper views of the marts (sql/marts/base_*.sql): per customer × month
-- attributes, receivables, tickets and surveys with their measures defined
-- once. They carry customer_id, so they live apart from schema `mart`, whose
-- views are the extracts' only source and never hold personal data.
create schema if not exists mart_base;
