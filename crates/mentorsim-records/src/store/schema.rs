//! The records schema and its migrations. Each migration runs in one transaction, so a file is
//! always at one version or the next, never between them; `user_version` says which.

use rusqlite::{Connection, Transaction, TransactionBehavior};

/// The schema this build writes; older files are migrated, newer ones refused.
pub const SCHEMA_VERSION: i32 = 7;

/// Brings a database up to [`SCHEMA_VERSION`], one step per transaction.
///
/// Each step takes the write lock first (waiting out the busy timeout) and only then reads the
/// version, so processes opening one old file at once (the app and `play`, two terminals)
/// upgrade it once between them: whoever comes second finds the step done and skips it.
pub fn migrate(conn: &Connection) -> rusqlite::Result<()> {
    for (version, migration) in MIGRATIONS {
        let tx = Transaction::new_unchecked(conn, TransactionBehavior::Immediate)?;
        let found: i32 = tx.pragma_query_value(None, "user_version", |row| row.get(0))?;
        if found < *version {
            match migration {
                Migration::Sql(sql) => tx.execute_batch(sql)?,
                Migration::Code(run) => run(&tx)?,
            }
            tx.pragma_update(None, "user_version", version)?;
        }
        tx.commit()?;
    }
    Ok(())
}

/// One step of the schema, run inside the step's transaction: SQL, or Rust where SQL cannot
/// say it plainly.
enum Migration {
    Sql(&'static str),
    Code(fn(&Transaction) -> rusqlite::Result<()>),
}

/// Migration to each version, in order.
const MIGRATIONS: &[(i32, Migration)] = &[
    (1, Migration::Sql(V1)),
    (2, Migration::Sql(V2)),
    (3, Migration::Sql(V3)),
    (4, Migration::Code(v4_no_credentials)),
    (5, Migration::Code(v5_contacts)),
    (6, Migration::Code(v6_streaming)),
    (7, Migration::Sql(V7)),
];

/// Trainees, attempts and their steps. The seed is stored as text: SQLite integers are signed
/// 64-bit and seeds use all 64 bits.
const V1: &str = "
CREATE TABLE trainees (
    id      TEXT PRIMARY KEY,
    name    TEXT NOT NULL,
    created TEXT NOT NULL
);
CREATE TABLE attempts (
    id               TEXT PRIMARY KEY,
    trainee          TEXT NOT NULL REFERENCES trainees(id),
    scenario         TEXT NOT NULL,
    scenario_version INTEGER NOT NULL,
    scenario_sha256  TEXT NOT NULL,
    rubric           TEXT NOT NULL,
    rubric_version   INTEGER NOT NULL,
    mode             TEXT NOT NULL CHECK (mode IN ('practice', 'assessment')),
    seed             TEXT NOT NULL,
    started          TEXT NOT NULL,
    ended            TEXT,
    passed           INTEGER,
    overall          REAL,
    result           TEXT,
    reflection       TEXT
);
CREATE INDEX attempts_by_trainee ON attempts (trainee, started);
CREATE TABLE steps (
    attempt TEXT NOT NULL REFERENCES attempts(id),
    seq     INTEGER NOT NULL,
    node    TEXT NOT NULL,
    choice  TEXT,
    millis  INTEGER NOT NULL,
    at      TEXT NOT NULL,
    PRIMARY KEY (attempt, seq)
);
";

/// What readiness, re-scoring and delivery need without reading every result document:
/// - `sources`: the exact scenario and rubric texts played, by SHA-256, so `rescore` works
///   after the files change;
/// - the module and kind of the scenario played, as facts of the attempt;
/// - per-competency scores and critical errors as rows (filled from the stored results);
/// - which attempts a Learning Record Store has acknowledged.
const V2: &str = "
CREATE TABLE sources (
    sha256 TEXT PRIMARY KEY,
    file   TEXT NOT NULL,
    text   TEXT NOT NULL
) WITHOUT ROWID;
ALTER TABLE attempts ADD COLUMN rubric_sha256 TEXT;
ALTER TABLE attempts ADD COLUMN topic TEXT;
ALTER TABLE attempts ADD COLUMN kind TEXT;
CREATE TABLE attempt_scores (
    attempt    TEXT NOT NULL REFERENCES attempts(id),
    competency TEXT NOT NULL,
    score      REAL NOT NULL,
    PRIMARY KEY (attempt, competency)
) WITHOUT ROWID;
INSERT INTO attempt_scores (attempt, competency, score)
    SELECT a.id, j.key, j.value FROM attempts a, json_each(a.result, '$.scores') j
    WHERE a.result IS NOT NULL;
CREATE TABLE critical_errors (
    attempt     TEXT NOT NULL REFERENCES attempts(id),
    seq         INTEGER NOT NULL,
    node        TEXT NOT NULL,
    choice      TEXT NOT NULL,
    text        TEXT NOT NULL,
    explanation TEXT NOT NULL,
    PRIMARY KEY (attempt, seq)
) WITHOUT ROWID;
INSERT INTO critical_errors (attempt, seq, node, choice, text, explanation)
    SELECT a.id, j.key, j.value ->> '$.node', j.value ->> '$.choice', j.value ->> '$.text',
           j.value ->> '$.explanation'
    FROM attempts a, json_each(a.result, '$.critical') j
    WHERE a.result IS NOT NULL;
CREATE INDEX attempts_finished ON attempts (ended) WHERE ended IS NOT NULL;
CREATE TABLE deliveries (
    attempt    TEXT NOT NULL REFERENCES attempts(id),
    endpoint   TEXT NOT NULL,
    sent       TEXT NOT NULL,
    statements INTEGER NOT NULL,
    PRIMARY KEY (attempt, endpoint)
) WITHOUT ROWID;
";

/// A covering index for readiness: finished attempts' summaries read in id order without
/// touching the table rows, whose result JSON (several kilobytes, stored before the columns
/// schema 2 appended) would otherwise be paged through for every attempt.
const V3: &str = "
CREATE INDEX attempts_summary ON attempts
    (id, trainee, ended, scenario, topic, kind, mode, passed, overall)
    WHERE ended IS NOT NULL;
";

/// The program contacts an attempt's texts were filled with (`{crisis_line}` and the like,
/// as a JSON object), so a record keeps what the trainee was shown and a replay shows it again.
/// Attempts from before are `NULL`: their texts had no placeholders. A file that already has
/// the column (its version number set back by hand or by a tool) keeps it.
fn v5_contacts(tx: &Transaction) -> rusqlite::Result<()> {
    let has_column = tx
        .prepare("SELECT 1 FROM pragma_table_info('attempts') WHERE name = 'contacts'")?
        .exists([])?;
    if !has_column {
        tx.execute_batch("ALTER TABLE attempts ADD COLUMN contacts TEXT;")?;
    }
    Ok(())
}

/// The statements a coordinator has read from a program's LRS, per endpoint and activity, and
/// how far each activity has been read (the `stored` time to ask `since` next time), so a
/// repeated judgement fetches only what is new.
const V7: &str = "
CREATE TABLE IF NOT EXISTS lrs_statements (
    endpoint  TEXT NOT NULL,
    activity  TEXT NOT NULL,
    id        TEXT NOT NULL,
    statement TEXT NOT NULL,
    PRIMARY KEY (endpoint, activity, id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS lrs_reads (
    endpoint TEXT NOT NULL,
    activity TEXT NOT NULL,
    since    TEXT NOT NULL,
    PRIMARY KEY (endpoint, activity)
) WITHOUT ROWID;
";

/// A station streams an attempt's statements as it is played, so a delivery can cover part of
/// an attempt: `statements` is then how many of its statements (from the first) the LRS has
/// acknowledged, and `complete` is 0 until the last of them is. Deliveries from before were
/// whole attempts.
fn v6_streaming(tx: &Transaction) -> rusqlite::Result<()> {
    let has_column = tx
        .prepare("SELECT 1 FROM pragma_table_info('deliveries') WHERE name = 'complete'")?
        .exists([])?;
    if !has_column {
        tx.execute_batch("ALTER TABLE deliveries ADD COLUMN complete INTEGER NOT NULL DEFAULT 1;")?;
    }
    Ok(())
}

/// Deliveries were keyed by the LRS endpoint exactly as given, so an endpoint written as
/// `https://user:password@host/` kept the password in the records. Such keys lose their user
/// part (merging with the same endpoint's rows without one), and the freed space is zeroed so
/// the password does not linger in the file.
fn v4_no_credentials(tx: &Transaction) -> rusqlite::Result<()> {
    tx.pragma_update(None, "secure_delete", "ON")?;
    let rows: Vec<(String, String)> = tx
        .prepare("SELECT attempt, endpoint FROM deliveries")?
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?
        .collect::<Result<_, _>>()?;
    for (attempt, endpoint) in rows {
        let clean = crate::lrs::without_credentials(&endpoint);
        if clean == endpoint {
            continue;
        }
        tx.execute(
            "INSERT INTO deliveries (attempt, endpoint, sent, statements)
                 SELECT attempt, ?3, sent, statements FROM deliveries
                 WHERE attempt = ?1 AND endpoint = ?2
             ON CONFLICT(attempt, endpoint) DO UPDATE SET
                 sent = max(sent, excluded.sent), statements = excluded.statements",
            rusqlite::params![attempt, endpoint, clean],
        )?;
        tx.execute(
            "DELETE FROM deliveries WHERE attempt = ?1 AND endpoint = ?2",
            rusqlite::params![attempt, endpoint],
        )?;
    }
    tx.pragma_update(None, "secure_delete", "OFF")
}
