//! Trainee profiles: the ids attempts are recorded under, and the names reports show for them.

use rusqlite::{OptionalExtension, params};

use super::{Store, StoreError, Trainee, check_trainee_id, now};

impl Store {
    /// Adds a trainee, or renames one that exists. The id is taken exactly as given (see
    /// [`check_trainee_id`]); the display name is trimmed.
    pub fn save_trainee(&self, id: &str, name: &str) -> Result<Trainee, StoreError> {
        self.writing(|| {
            check_trainee_id(id)?;
            let name = name.trim();
            if name.is_empty() {
                return Err(StoreError::Invalid(
                    "a trainee needs a display name".to_owned(),
                ));
            }
            self.conn.execute(
                "INSERT INTO trainees (id, name, created) VALUES (?1, ?2, ?3)
             ON CONFLICT(id) DO UPDATE SET name = excluded.name",
                params![id, name, now()],
            )?;
            Ok(Trainee {
                id: id.to_owned(),
                name: name.to_owned(),
            })
        })
    }

    /// Every trainee, by name.
    pub fn trainees(&self) -> Result<Vec<Trainee>, StoreError> {
        self.reading(|| {
            let mut stmt = self
                .conn
                .prepare("SELECT id, name FROM trainees ORDER BY name COLLATE NOCASE, id")?;
            let rows = stmt.query_map([], |row| {
                Ok(Trainee {
                    id: row.get(0)?,
                    name: row.get(1)?,
                })
            })?;
            Ok(rows.collect::<Result<_, _>>()?)
        })
    }

    /// One trainee.
    pub fn trainee(&self, id: &str) -> Result<Trainee, StoreError> {
        self.reading(|| {
            self.conn
                .query_row("SELECT id, name FROM trainees WHERE id = ?1", [id], |row| {
                    Ok(Trainee {
                        id: row.get(0)?,
                        name: row.get(1)?,
                    })
                })
                .optional()?
                .ok_or_else(|| StoreError::Unknown {
                    kind: "trainee",
                    id: id.to_owned(),
                })
        })
    }
}
