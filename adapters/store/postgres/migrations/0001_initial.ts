/**
 * Version 1: the SQLite schema's five migrations as one (adapters/store/sqlite/sqliteDatabase.ts),
 * with PostgreSQL's own ways where they are clearer (docs/decisions/0020-postgresql-store.md).
 *
 * Applied migrations are never edited: the database keeps each one's checksum and refuses to start
 * when a file differs from what it applied. A change is a new file (0002_…), listed in ./index.ts.
 */
export const sql = `
  CREATE TABLE reference_sequences (
    year          integer PRIMARY KEY,
    last_sequence integer NOT NULL
  );

  CREATE TABLE requests (
    id                   text PRIMARY KEY,
    reference            text NOT NULL,
    state                text NOT NULL,
    subject_id           text NOT NULL,  -- lowercased objectId
    requester_id         text NOT NULL,  -- lowercased objectId
    open                 boolean NOT NULL,
    version              integer NOT NULL,
    created_at           timestamptz NOT NULL,
    updated_at           timestamptz NOT NULL,
    -- Retention looks for old packages; kept in step with the body so the search needs no JSON.
    package_generated_at timestamptz,
    -- Who is running the export, and until when; outside the version so claiming is not a change.
    export_lease_owner   text,
    export_lease_until   timestamptz,
    -- The whole ExportRequest as JSON text: jsonb would refuse a \\u0000 someone typed into a note.
    body                 text NOT NULL
  );
  -- References are found in any case ("dsr-2026-0007" finds DSR-2026-0007).
  CREATE UNIQUE INDEX requests_by_reference ON requests (upper(reference));
  -- One open request per subject, as an index two racing instances cannot both pass.
  CREATE UNIQUE INDEX requests_one_open_per_subject ON requests (subject_id) WHERE open;
  CREATE INDEX requests_by_created ON requests (created_at, reference);
  CREATE INDEX requests_by_subject ON requests (subject_id, created_at);
  CREATE INDEX requests_by_requester ON requests (requester_id, created_at);
  CREATE INDEX requests_by_state ON requests (state, created_at);
  CREATE INDEX requests_by_package_generated ON requests (package_generated_at) WHERE package_generated_at IS NOT NULL;

  CREATE TABLE audit_events (
    sequence      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id            text NOT NULL UNIQUE,
    request_id    text NOT NULL REFERENCES requests (id),
    body          text NOT NULL,   -- the whole AuditEvent as JSON
    previous_hash text NOT NULL,
    hash          text NOT NULL
  );
  CREATE INDEX audit_events_by_request ON audit_events (request_id, sequence);

  -- The hash of the last event written. Every append locks this row (SELECT ... FOR UPDATE) before it
  -- reads the hash it chains to, and holds it until commit: appends from all instances queue here.
  CREATE TABLE audit_chain (
    name      text PRIMARY KEY,
    last_hash text NOT NULL
  );

  CREATE TABLE notifications (
    sequence      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id            text NOT NULL UNIQUE,
    request_id    text NOT NULL REFERENCES requests (id),
    kind          text NOT NULL,
    moment        text,
    recipient_id  text,            -- as given, handed back to the sender
    recipient_key text,            -- lowercased, for finding a person's notifications
    status        text NOT NULL,
    not_before    timestamptz NOT NULL,
    attempts      integer NOT NULL,
    lease_owner   text,
    lease_until   timestamptz,
    last_error    text,
    outcome       text,
    created_at    timestamptz NOT NULL,
    completed_at  timestamptz,
    content       text,            -- JSON MessageContent; NULL once settled (docs/decisions/0010)
    send_attempt  integer          -- set before sending, cleared when the outcome is recorded
  );
  CREATE INDEX notifications_due ON notifications (status, not_before, sequence);
  CREATE INDEX notifications_by_recipient ON notifications (recipient_key, status);

  CREATE TABLE key_values (
    key   text PRIMARY KEY,
    value text NOT NULL,   -- JSON
    etag  text NOT NULL
  );

  CREATE TABLE scheduled_runs (
    job_key     text PRIMARY KEY,   -- e.g. reminder:<request>:1, digest:2026-12-01
    owner       text NOT NULL,
    status      text NOT NULL,      -- claimed | done
    lease_until timestamptz,
    done_at     timestamptz
  );
  `;
