-- keyward schema, version 1.
-- History is kept, not overwritten: rows carry first_seen / last_seen and, once a *complete* fetch no longer
-- shows them, removed_at + removal_reason. `events` records every change so that a reappearance does not erase
-- an earlier removal. No column ever holds a private key, a passphrase or a token.

-- A run: one crawl of GitHub, one scan of a CI source, or one probe.
CREATE TABLE runs (
  id            INTEGER PRIMARY KEY,
  kind          TEXT NOT NULL CHECK (kind IN ('crawl', 'scan', 'probe')),
  scope         TEXT NOT NULL,              -- JSON: {"orgs":[…],"users":[…]} or {"system":…,"location":…}
  started_at    TEXT NOT NULL,
  finished_at   TEXT,                       -- NULL while running, or when the process died
  complete      INTEGER CHECK (complete IN (0, 1)),
  missing       TEXT NOT NULL DEFAULT '[]', -- JSON array of what could not be fetched or read
  stats         TEXT NOT NULL DEFAULT '{}'  -- JSON: requests, points, counts …
);
CREATE INDEX runs_kind_finished ON runs (kind, finished_at);

-- GitHub accounts: users, bots, and logins named by an operator (machine-user add) before any crawl.
CREATE TABLE accounts (
  id            INTEGER PRIMARY KEY,
  login         TEXT NOT NULL COLLATE NOCASE UNIQUE,
  github_id     INTEGER,
  node_id       TEXT,
  type          TEXT,                       -- User | Bot | …
  name          TEXT,
  machine_user  INTEGER NOT NULL DEFAULT 0 CHECK (machine_user IN (0, 1)),
  first_seen    TEXT NOT NULL,
  last_seen     TEXT NOT NULL,
  last_run_id   INTEGER REFERENCES runs (id)
);

-- Membership of an account in an org, as a member (role admin|member) or as an outside collaborator.
CREATE TABLE memberships (
  id             INTEGER PRIMARY KEY,
  account_id     INTEGER NOT NULL REFERENCES accounts (id),
  org            TEXT NOT NULL COLLATE NOCASE,
  relation       TEXT NOT NULL CHECK (relation IN ('member', 'outside_collaborator')),
  role           TEXT,                      -- admin | member (members only)
  first_seen     TEXT NOT NULL,
  last_seen      TEXT NOT NULL,
  removed_at     TEXT,
  removal_reason TEXT,
  last_run_id    INTEGER REFERENCES runs (id),
  UNIQUE (account_id, org, relation)
);
CREATE INDEX memberships_org ON memberships (org, relation);

CREATE TABLE repositories (
  id             INTEGER PRIMARY KEY,
  full_name      TEXT NOT NULL COLLATE NOCASE UNIQUE,   -- owner/name
  org            TEXT COLLATE NOCASE,
  github_id      INTEGER,
  node_id        TEXT,
  archived       INTEGER,
  visibility     TEXT,
  first_seen     TEXT NOT NULL,
  last_seen      TEXT NOT NULL,
  removed_at     TEXT,
  removal_reason TEXT,
  last_run_id    INTEGER REFERENCES runs (id)
);
CREATE INDEX repositories_org ON repositories (org);

-- Every SSH public key keyward has met, from GitHub or from a CI source, keyed by its SHA256 fingerprint.
CREATE TABLE keys (
  id          INTEGER PRIMARY KEY,
  sha256      TEXT NOT NULL UNIQUE,          -- SHA256:<base64 without padding>
  md5         TEXT,                          -- MD5:aa:bb:…
  type        TEXT,
  bits        INTEGER,
  public_key  TEXT,                          -- "<type> <base64>" (public half only)
  comment     TEXT,
  first_seen  TEXT NOT NULL
);
CREATE INDEX keys_md5 ON keys (md5);

-- A key registered on GitHub: an account's SSH or signing key, a repository's deploy key, an SSO authorization.
CREATE TABLE registrations (
  id             INTEGER PRIMARY KEY,
  key_id         INTEGER NOT NULL REFERENCES keys (id),
  kind           TEXT NOT NULL CHECK (kind IN ('user_key', 'deploy_key', 'signing_key', 'sso_credential')),
  account_id     INTEGER REFERENCES accounts (id),
  repository_id  INTEGER REFERENCES repositories (id),
  source         TEXT NOT NULL DEFAULT 'crawl',   -- crawl | admin-keys | probe
  github_id      TEXT,                           -- GitHub's id for it (numeric REST id or GraphQL node id)
  title          TEXT,
  read_only      INTEGER,
  enabled        INTEGER,                        -- deploy keys: 0 when an org policy disabled it
  verified       INTEGER,
  created_at     TEXT,
  last_used      TEXT,
  added_by       TEXT,                           -- login that added a deploy key, where GitHub says
  first_seen     TEXT NOT NULL,
  last_seen      TEXT NOT NULL,
  removed_at     TEXT,
  removal_reason TEXT,                           -- key-removed | account-left-org | deploy-key-removed | repository-deleted | …
  last_run_id    INTEGER REFERENCES runs (id),
  CHECK (account_id IS NOT NULL OR repository_id IS NOT NULL)
);
CREATE UNIQUE INDEX registrations_identity
  ON registrations (key_id, kind, IFNULL(account_id, 0), IFNULL(repository_id, 0));
CREATE INDEX registrations_account ON registrations (account_id, kind);
CREATE INDEX registrations_repository ON registrations (repository_id);

-- A CI source as scanned: one Jenkins home, one checkout, one agent … A rescan replaces its pipelines.
CREATE TABLE sources (
  id           INTEGER PRIMARY KEY,
  system       TEXT NOT NULL,
  location     TEXT NOT NULL,
  last_run_id  INTEGER REFERENCES runs (id),
  scanned_at   TEXT,
  UNIQUE (system, location)
);

CREATE TABLE pipelines (
  id          INTEGER PRIMARY KEY,
  source_id   INTEGER NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
  system      TEXT NOT NULL,
  name        TEXT NOT NULL,
  definition  TEXT NOT NULL,             -- path or URL of the pipeline's definition
  repository  TEXT,                      -- owner/name the pipeline reaches, where known
  UNIQUE (source_id, name)
);
CREATE INDEX pipelines_name ON pipelines (name);

-- One use of a key by a pipeline: resolved (key_id) or an unresolved reference (a secret name, a credential id,
-- an MD5 fingerprint not yet met) that a later crawl or an operator's binding may resolve.
CREATE TABLE key_uses (
  id              INTEGER PRIMARY KEY,
  pipeline_id     INTEGER NOT NULL REFERENCES pipelines (id) ON DELETE CASCADE,
  key_id          INTEGER REFERENCES keys (id),
  reference_kind  TEXT,                  -- secret | variable | credential | file | dynamic | md5 | sha256
  reference       TEXT,
  target          TEXT,                  -- repository URL or host the key reaches
  evidence        TEXT NOT NULL,
  detail          TEXT NOT NULL DEFAULT '{}',
  CHECK (key_id IS NOT NULL OR reference IS NOT NULL)
);
CREATE INDEX key_uses_key ON key_uses (key_id);
CREATE INDEX key_uses_pipeline ON key_uses (pipeline_id);
CREATE INDEX key_uses_reference ON key_uses (reference_kind, reference);

-- An operator's statement that a pipeline's unresolved reference is a given key. Survives rescans.
CREATE TABLE bindings (
  id          INTEGER PRIMARY KEY,
  system      TEXT NOT NULL DEFAULT '',  -- '' = any system
  pipeline    TEXT NOT NULL,
  reference   TEXT NOT NULL,
  key_id      INTEGER NOT NULL REFERENCES keys (id),
  created_at  TEXT NOT NULL,
  UNIQUE (system, pipeline, reference)
);

-- The history: every addition, removal and reappearance a run concluded.
CREATE TABLE events (
  id          INTEGER PRIMARY KEY,
  run_id      INTEGER REFERENCES runs (id),
  at          TEXT NOT NULL,
  entity      TEXT NOT NULL CHECK (entity IN ('registration', 'membership', 'repository', 'account')),
  entity_id   INTEGER NOT NULL,
  change      TEXT NOT NULL,             -- added | removed | reappeared | disabled | enabled
  reason      TEXT
);
CREATE INDEX events_entity ON events (entity, entity_id);

-- Conditional-request cache for REST: an unchanged answer costs no rate budget on the next crawl.
-- Bodies are GitHub's public answers (public keys and metadata), never credentials.
CREATE TABLE http_cache (
  url         TEXT PRIMARY KEY,
  etag        TEXT NOT NULL,
  body        TEXT NOT NULL,
  fetched_at  TEXT NOT NULL
);

-- Every key use with the key it resolves to: directly, through a known key's MD5 fingerprint, or through an
-- operator's binding. Unresolved uses have key_id NULL.
CREATE VIEW resolved_uses AS
SELECT ku.id AS use_id, ku.pipeline_id, p.system, p.name AS pipeline, p.definition, p.repository, ku.evidence,
       ku.target, ku.detail, ku.reference_kind, ku.reference,
       COALESCE(ku.key_id, km.id, b.key_id) AS key_id,
       CASE WHEN ku.key_id IS NOT NULL THEN 'direct' WHEN km.id IS NOT NULL THEN 'md5'
            WHEN b.key_id IS NOT NULL THEN 'binding' END AS resolved_by
FROM key_uses ku
JOIN pipelines p ON p.id = ku.pipeline_id
LEFT JOIN keys km ON ku.key_id IS NULL AND ku.reference_kind = 'md5' AND km.md5 = ku.reference
LEFT JOIN bindings b ON ku.key_id IS NULL AND km.id IS NULL AND b.pipeline = p.name AND b.reference = ku.reference
     AND b.id = (SELECT b2.id FROM bindings b2 WHERE b2.pipeline = p.name AND b2.reference = ku.reference
                 AND b2.system IN ('', p.system) ORDER BY b2.system DESC LIMIT 1);
