//! Which attempts a Learning Record Store has acknowledged, per endpoint: the next push sends
//! only what is unsent, so a failed push loses nothing and a repeated one sends nothing twice.
//! Endpoints are kept without any credentials written into them.

use std::collections::HashSet;

use rusqlite::params;

use super::{Store, StoreError, now};

impl Store {
    /// Notes that a Learning Record Store acknowledged an attempt's statements.
    pub fn mark_delivered(
        &self,
        attempt: &str,
        endpoint: &str,
        statements: usize,
    ) -> Result<(), StoreError> {
        self.writing(|| {
            self.conn.execute(
            "INSERT INTO deliveries (attempt, endpoint, sent, statements) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT(attempt, endpoint) DO UPDATE SET sent = excluded.sent,
                 statements = excluded.statements",
            params![attempt, crate::lrs::without_credentials(endpoint), now(), statements as i64],
        )?;
            Ok(())
        })
    }

    /// The attempts an endpoint has acknowledged.
    pub fn delivered(&self, endpoint: &str) -> Result<HashSet<String>, StoreError> {
        self.reading(|| {
            let mut stmt = self
                .conn
                .prepare("SELECT attempt FROM deliveries WHERE endpoint = ?1")?;
            let rows = stmt.query_map([crate::lrs::without_credentials(endpoint)], |row| {
                row.get(0)
            })?;
            Ok(rows.collect::<Result<_, _>>()?)
        })
    }
}
