-- Staff inbox search on PostgreSQL: what SQLite's FTS5 trigram index does (db/migrations 0004, 0005,
-- 0007, 0017), with pg_trgm (postgresql.org/docs/current/pgtrgm.html). One document per ticket in
-- `ticket_search_docs` (the same text as db/repositories/ticket-search.ts builds), a GIN trigram
-- index on its folded text, and the pending list the triggers fill, rebuilt in batches by
-- `ticket_search_index_pending`. db/schema-pg/search.ts says how a search reads it.
-- Both extensions are "trusted" (PostgreSQL 13+): the database owner may create them.
CREATE EXTENSION IF NOT EXISTS pg_trgm;--> statement-breakpoint
-- unaccent in schema public: the fold below names its function and dictionary there.
CREATE EXTENSION IF NOT EXISTS unaccent SCHEMA public;--> statement-breakpoint
-- Case and diacritics folded like FTS5's `trigram remove_diacritics 1` ("Kellertur" finds
-- "Kellertür"). unaccent() itself is only STABLE (its dictionary could change); naming the
-- dictionary makes the call fixed, so the fold may stand in an index. unaccent runs first: after it
-- the umlauts are ASCII, which lower() folds under any collation, the C locale included.
CREATE FUNCTION ticket_search_fold(value text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
  RETURN lower(public.unaccent('public.unaccent'::regdictionary, value));--> statement-breakpoint
-- The LIKE pattern of one search word: folded, its wildcards and the escape character taken
-- literally ("%_*" is text like any other, as in FTS5 phrases), anywhere in the document.
CREATE FUNCTION ticket_search_pattern(word text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
  RETURN '%' || replace(replace(replace(ticket_search_fold(word), '\', '\\'), '%', '\%'), '_', '\_') || '%';--> statement-breakpoint
CREATE INDEX "ticket_search_docs_trgm_idx" ON "ticket_search_docs" USING gin (ticket_search_fold("text") gin_trgm_ops);--> statement-breakpoint
-- A ticket's document: number, subject in every language, description, who filed it and where,
-- its newest 100 messages.
CREATE FUNCTION ticket_search_document(ticket text) RETURNS text
  LANGUAGE sql STABLE PARALLEL SAFE
  RETURN (
    SELECT t.number || ' ' || t.subject || coalesce(' ' || (
        SELECT string_agg(s.value, ' ') FROM jsonb_each_text(t.subjects) s
      ), '') || ' ' || t.description
      || coalesce(' ' || p.first_name, '') || coalesce(' ' || p.last_name, '')
      || coalesce(' ' || p.organisation_name, '') || coalesce(' ' || p.customer_number, '')
      || coalesce(' ' || c.number, '') || coalesce(' ' || un.number, '')
      || coalesce(' ' || b.street || ' ' || b.house_number || ' ' || b.postal_code || ' ' || b.city, '')
      || coalesce(' ' || (
        SELECT string_agg(r.body, ' ') FROM (
          SELECT m.body FROM ticket_messages m WHERE m.ticket_id = t.id AND m.kind = 'message'
          ORDER BY m.created_at DESC LIMIT 100
        ) r
      ), '')
    FROM tickets t
      LEFT JOIN users cu ON cu.id = t.created_by_user_id
      LEFT JOIN persons p ON p.id = cu.person_id
      LEFT JOIN contracts c ON c.id = t.contract_id
      LEFT JOIN units un ON un.id = t.unit_id
      LEFT JOIN buildings b ON b.id = t.building_id
    WHERE t.id = ticket
  );--> statement-breakpoint
-- Rebuilds the documents of up to `batch` noted tickets and takes them off the list; returns how
-- many it took. Rows are claimed with SKIP LOCKED, so indexers on several instances share the
-- work instead of waiting for each other; a ticket noted again meanwhile is noted anew once the
-- claim commits. A deleted ticket's rows go with it (foreign keys ON DELETE CASCADE).
CREATE FUNCTION ticket_search_index_pending(batch integer) RETURNS integer
  LANGUAGE plpgsql AS $$
DECLARE
  taken integer;
BEGIN
  WITH claimed AS (
    DELETE FROM ticket_search_pending WHERE ticket_id IN (
      SELECT ticket_id FROM ticket_search_pending LIMIT batch FOR UPDATE SKIP LOCKED
    ) RETURNING ticket_id
  ), written AS (
    INSERT INTO ticket_search_docs (ticket_id, text)
      SELECT ticket_id, ticket_search_document(ticket_id) FROM claimed
    ON CONFLICT (ticket_id) DO UPDATE SET text = excluded.text
  )
  SELECT count(*) INTO taken FROM claimed;
  RETURN taken;
END $$;--> statement-breakpoint
-- The triggers of SQLite's 0007 and 0017: they only note the ticket (the indexer rebuilds).
CREATE FUNCTION ticket_search_note_ticket() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO ticket_search_pending (ticket_id) VALUES (new.id) ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER ticket_search_ticket_insert AFTER INSERT ON tickets
  FOR EACH ROW EXECUTE FUNCTION ticket_search_note_ticket();--> statement-breakpoint
CREATE TRIGGER ticket_search_ticket_update
  AFTER UPDATE OF last_activity_at, number, subject, subjects, description,
    created_by_user_id, contract_id, unit_id, building_id ON tickets
  FOR EACH ROW EXECUTE FUNCTION ticket_search_note_ticket();--> statement-breakpoint
CREATE FUNCTION ticket_search_note_message() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- Nested, not AND: NEW is null in a DELETE trigger and OLD in an INSERT trigger.
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    IF old.kind = 'message' THEN
      INSERT INTO ticket_search_pending (ticket_id) VALUES (old.ticket_id) ON CONFLICT DO NOTHING;
    END IF;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    IF new.kind = 'message' THEN
      INSERT INTO ticket_search_pending (ticket_id) VALUES (new.ticket_id) ON CONFLICT DO NOTHING;
    END IF;
  END IF;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER ticket_search_message_insert AFTER INSERT ON ticket_messages
  FOR EACH ROW EXECUTE FUNCTION ticket_search_note_message();--> statement-breakpoint
CREATE TRIGGER ticket_search_message_update AFTER UPDATE OF body, kind, ticket_id ON ticket_messages
  FOR EACH ROW EXECUTE FUNCTION ticket_search_note_message();--> statement-breakpoint
CREATE TRIGGER ticket_search_message_delete AFTER DELETE ON ticket_messages
  FOR EACH ROW EXECUTE FUNCTION ticket_search_note_message();--> statement-breakpoint
-- Who and where (0017): a searched column that really changed notes the row's tickets.
CREATE FUNCTION ticket_search_note_related() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_TABLE_NAME = 'persons' THEN
    INSERT INTO ticket_search_pending (ticket_id)
      SELECT t.id FROM users u JOIN tickets t ON t.created_by_user_id = u.id WHERE u.person_id = new.id
      ON CONFLICT DO NOTHING;
  ELSIF TG_TABLE_NAME = 'users' THEN
    INSERT INTO ticket_search_pending (ticket_id)
      SELECT id FROM tickets WHERE created_by_user_id = new.id ON CONFLICT DO NOTHING;
  ELSIF TG_TABLE_NAME = 'contracts' THEN
    INSERT INTO ticket_search_pending (ticket_id)
      SELECT id FROM tickets WHERE contract_id = new.id ON CONFLICT DO NOTHING;
  ELSIF TG_TABLE_NAME = 'units' THEN
    INSERT INTO ticket_search_pending (ticket_id)
      SELECT id FROM tickets WHERE unit_id = new.id ON CONFLICT DO NOTHING;
  ELSIF TG_TABLE_NAME = 'buildings' THEN
    INSERT INTO ticket_search_pending (ticket_id)
      SELECT id FROM tickets WHERE building_id = new.id ON CONFLICT DO NOTHING;
  END IF;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER ticket_search_person_update
  AFTER UPDATE OF first_name, last_name, organisation_name, customer_number ON persons
  FOR EACH ROW WHEN (new.first_name IS DISTINCT FROM old.first_name OR new.last_name IS DISTINCT FROM old.last_name
    OR new.organisation_name IS DISTINCT FROM old.organisation_name
    OR new.customer_number IS DISTINCT FROM old.customer_number)
  EXECUTE FUNCTION ticket_search_note_related();--> statement-breakpoint
CREATE TRIGGER ticket_search_user_person_update AFTER UPDATE OF person_id ON users
  FOR EACH ROW WHEN (new.person_id IS DISTINCT FROM old.person_id)
  EXECUTE FUNCTION ticket_search_note_related();--> statement-breakpoint
CREATE TRIGGER ticket_search_contract_update AFTER UPDATE OF number ON contracts
  FOR EACH ROW WHEN (new.number IS DISTINCT FROM old.number)
  EXECUTE FUNCTION ticket_search_note_related();--> statement-breakpoint
CREATE TRIGGER ticket_search_unit_update AFTER UPDATE OF number ON units
  FOR EACH ROW WHEN (new.number IS DISTINCT FROM old.number)
  EXECUTE FUNCTION ticket_search_note_related();--> statement-breakpoint
CREATE TRIGGER ticket_search_building_update
  AFTER UPDATE OF street, house_number, postal_code, city ON buildings
  FOR EACH ROW WHEN (new.street IS DISTINCT FROM old.street OR new.house_number IS DISTINCT FROM old.house_number
    OR new.postal_code IS DISTINCT FROM old.postal_code OR new.city IS DISTINCT FROM old.city)
  EXECUTE FUNCTION ticket_search_note_related();--> statement-breakpoint
-- Tickets written before this migration get their documents on the indexer's first run.
INSERT INTO ticket_search_pending (ticket_id) SELECT id FROM tickets;
