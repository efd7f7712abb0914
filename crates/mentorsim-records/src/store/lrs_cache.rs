//! What a coordinator has read from a program's LRS: its statements per endpoint and activity,
//! and the `stored` time from which to ask for more. Nothing here is trusted: every attempt is
//! replayed before it counts, so a cache that holds a statement the LRS no longer has can make
//! no attempt count that its choices do not earn. Endpoints are kept without credentials.

use std::collections::HashSet;

use rusqlite::{OptionalExtension, params};
use serde_json::Value;

use super::{Store, StoreError};
use crate::lrs::without_credentials;

impl Store {
    /// The `since` to ask an endpoint for an activity's statements with; `None` the first time.
    pub fn lrs_read_since(
        &self,
        endpoint: &str,
        activity: &str,
    ) -> Result<Option<String>, StoreError> {
        self.reading(|| {
            Ok(self
                .conn
                .query_row(
                    "SELECT since FROM lrs_reads WHERE endpoint = ?1 AND activity = ?2",
                    params![without_credentials(endpoint), activity],
                    |row| row.get(0),
                )
                .optional()?)
        })
    }

    /// Keeps the statements read for an activity and, in the same transaction, where the next
    /// read starts: a read that fails half way moves nothing. Returns how many were not kept
    /// before.
    pub fn keep_lrs_statements(
        &self,
        endpoint: &str,
        activity: &str,
        statements: &[Value],
        since: Option<&str>,
    ) -> Result<usize, StoreError> {
        let endpoint = without_credentials(endpoint);
        self.writing(|| {
            let tx = self.conn.unchecked_transaction()?;
            let mut added = 0;
            {
                let mut insert = tx.prepare(
                    "INSERT OR IGNORE INTO lrs_statements (endpoint, activity, id, statement)
                     VALUES (?1, ?2, ?3, ?4)",
                )?;
                for statement in statements {
                    let Some(id) = statement["id"].as_str() else {
                        continue;
                    };
                    added +=
                        insert.execute(params![endpoint, activity, id, statement.to_string()])?;
                }
            }
            if let Some(since) = since {
                tx.execute(
                    "INSERT INTO lrs_reads (endpoint, activity, since) VALUES (?1, ?2, ?3)
                     ON CONFLICT(endpoint, activity) DO UPDATE SET since = excluded.since",
                    params![endpoint, activity, since],
                )?;
            }
            tx.commit()?;
            Ok(added)
        })
    }

    /// Every statement kept for these activities, each once. A kept statement that no longer
    /// reads as JSON is left out (and will not count).
    pub fn lrs_statements(
        &self,
        endpoint: &str,
        activities: &[String],
    ) -> Result<Vec<Value>, StoreError> {
        let endpoint = without_credentials(endpoint);
        self.reading(|| {
            let mut seen = HashSet::new();
            let mut out = Vec::new();
            let mut select = self.conn.prepare(
                "SELECT id, statement FROM lrs_statements WHERE endpoint = ?1 AND activity = ?2",
            )?;
            for activity in activities {
                let rows = select.query_map(params![endpoint, activity], |row| {
                    Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?))
                })?;
                for row in rows {
                    let (id, text) = row?;
                    if seen.insert(id)
                        && let Ok(statement) = serde_json::from_str(&text)
                    {
                        out.push(statement);
                    }
                }
            }
            Ok(out)
        })
    }

    /// Forgets what was read from an endpoint, so the next read starts from the beginning.
    pub fn forget_lrs_statements(&self, endpoint: &str) -> Result<(), StoreError> {
        let endpoint = without_credentials(endpoint);
        self.writing(|| {
            let tx = self.conn.unchecked_transaction()?;
            tx.execute(
                "DELETE FROM lrs_statements WHERE endpoint = ?1",
                [&endpoint],
            )?;
            tx.execute("DELETE FROM lrs_reads WHERE endpoint = ?1", [&endpoint])?;
            tx.commit()?;
            Ok(())
        })
    }
}
