//! What a Learning Record Store has acknowledged, per attempt and endpoint. A whole attempt
//! pushed at once is delivered complete; an attempt streamed as it is played is delivered a
//! prefix of its statements at a time. The attempts and their steps are the queue: what an
//! endpoint still lacks is whatever they hold beyond what it acknowledged, so a failed send
//! loses nothing and a repeated one sends nothing twice. Endpoints are kept without any
//! credentials written into them.

use std::collections::HashSet;

use rusqlite::params;

use super::{Store, StoreError, now};
use crate::lrs::without_credentials;

/// An attempt with statements an endpoint has not acknowledged yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Waiting {
    /// The attempt's id.
    pub attempt: String,
    /// Statements acknowledged so far, from the first.
    pub sent: usize,
    /// Statements the attempt has now: two once it is open, one more per choice, three more
    /// once it has ended.
    pub available: usize,
}

impl Store {
    /// Notes that a Learning Record Store acknowledged all of an attempt's statements.
    pub fn mark_delivered(
        &self,
        attempt: &str,
        endpoint: &str,
        statements: usize,
    ) -> Result<(), StoreError> {
        self.acknowledge(attempt, endpoint, statements, true)
    }

    /// Notes that a Learning Record Store acknowledged the first `statements` statements of an
    /// attempt that is still being played, or whose last statements are still to go.
    pub fn mark_streamed(
        &self,
        attempt: &str,
        endpoint: &str,
        statements: usize,
    ) -> Result<(), StoreError> {
        self.acknowledge(attempt, endpoint, statements, false)
    }

    fn acknowledge(
        &self,
        attempt: &str,
        endpoint: &str,
        statements: usize,
        complete: bool,
    ) -> Result<(), StoreError> {
        let statements = i64::try_from(statements).unwrap_or(i64::MAX);
        self.writing(|| {
            self.conn.execute(
                "INSERT INTO deliveries (attempt, endpoint, sent, statements, complete)
                 VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT(attempt, endpoint) DO UPDATE SET sent = excluded.sent,
                     statements = max(statements, excluded.statements),
                     complete = max(complete, excluded.complete)",
                params![
                    attempt,
                    without_credentials(endpoint),
                    now(),
                    statements,
                    complete
                ],
            )?;
            Ok(())
        })
    }

    /// The attempts an endpoint has acknowledged whole.
    pub fn delivered(&self, endpoint: &str) -> Result<HashSet<String>, StoreError> {
        self.reading(|| {
            let mut stmt = self
                .conn
                .prepare("SELECT attempt FROM deliveries WHERE endpoint = ?1 AND complete = 1")?;
            let rows = stmt.query_map([without_credentials(endpoint)], |row| row.get(0))?;
            Ok(rows.collect::<Result<_, _>>()?)
        })
    }

    /// Every attempt with statements the endpoint has not acknowledged, oldest first. An open
    /// attempt whose statements so far have all gone is not waiting.
    pub fn waiting(&self, endpoint: &str) -> Result<Vec<Waiting>, StoreError> {
        self.reading(|| {
            let mut stmt = self.conn.prepare(
                "SELECT a.id, coalesce(d.statements, 0),
                        2 + (SELECT count(*) FROM steps s
                             WHERE s.attempt = a.id AND s.choice IS NOT NULL)
                          + CASE WHEN a.ended IS NULL THEN 0 ELSE 3 END
                 FROM attempts a
                 LEFT JOIN deliveries d ON d.attempt = a.id AND d.endpoint = ?1
                 WHERE coalesce(d.complete, 0) = 0
                 ORDER BY a.started, a.id",
            )?;
            let rows = stmt.query_map([without_credentials(endpoint)], |row| {
                Ok((
                    row.get::<_, String>(0)?,
                    row.get::<_, i64>(1)?,
                    row.get::<_, i64>(2)?,
                ))
            })?;
            let mut waiting = Vec::new();
            for row in rows {
                let (attempt, sent, available) = row?;
                let count = |n: i64| usize::try_from(n).unwrap_or(0);
                if available > sent {
                    waiting.push(Waiting {
                        attempt,
                        sent: count(sent),
                        available: count(available),
                    });
                }
            }
            Ok(waiting)
        })
    }
}
