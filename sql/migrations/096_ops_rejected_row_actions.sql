-- Rejected rows of the improvement-action register (entity 'actions') are
-- quarantined like every other rejected row: file, line, reason, raw text.
alter table ops.rejected_row drop constraint rejected_row_entity_check;
alter table ops.rejected_row add constraint rejected_row_entity_check
  check (entity in ('customers', 'usage', 'billing', 'surveys', 'tickets', 'campaigns', 'actions'));
