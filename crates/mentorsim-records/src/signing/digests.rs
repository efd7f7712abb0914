//! What a signature covers: the RFC 8785 bytes of the payload, a digest of every field of every
//! record (so `verify` can say which one changed), and how a CSV or xAPI file splits into
//! records.

use std::collections::BTreeMap;

use mentorsim_script::digest::sha256_hex;
use serde_json::Value;

use crate::strict_json;

/// RFC 8785 bytes of a JSON value.
pub fn canonical(value: &Value) -> Vec<u8> {
    // A serde_json value always canonicalises: its numbers are finite by construction.
    serde_jcs::to_vec(value).unwrap_or_default()
}

/// Per record, a short digest of each top-level field.
pub(super) fn digests(records: &[Value]) -> Vec<BTreeMap<String, String>> {
    records
        .iter()
        .map(|record| match record {
            Value::Object(fields) => fields
                .iter()
                .map(|(name, value)| (name.clone(), short_digest(value)))
                .collect(),
            other => BTreeMap::from([(String::new(), short_digest(other))]),
        })
        .collect()
}

fn short_digest(value: &Value) -> String {
    sha256_hex(&canonical(value))[..16].to_owned()
}

/// Formats whose files are signed beside them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileFormat {
    /// One row per attempt; records are rows (header -> value).
    Csv,
    /// A JSON array of xAPI statements; records are statements.
    Xapi,
}

impl FileFormat {
    pub(super) fn name(self) -> &'static str {
        match self {
            FileFormat::Csv => "csv",
            FileFormat::Xapi => "xapi",
        }
    }

    pub(super) fn from_name(name: &str) -> Option<FileFormat> {
        [FileFormat::Csv, FileFormat::Xapi]
            .into_iter()
            .find(|f| f.name() == name)
    }

    /// Whether `bytes` are this format at all: a signed JSON document is never taken for a
    /// CSV or xAPI file, whatever its name.
    pub(super) fn check_content(self, bytes: &[u8]) -> Result<(), String> {
        let json = strict_json::from_slice(bytes);
        let signed_document =
            |value: &Value| value.get("payload").is_some() && value.get("signature").is_some();
        match (self, json) {
            (FileFormat::Csv, Ok(value)) if signed_document(&value) => {
                Err("the file is a signed JSON document, not CSV".to_owned())
            }
            (FileFormat::Csv, Ok(_)) => Err("the file is JSON, not CSV".to_owned()),
            (FileFormat::Csv, Err(_)) => Ok(()),
            (FileFormat::Xapi, Ok(value)) if signed_document(&value) => Err(
                "the file is a signed JSON document, not a JSON array of xAPI statements"
                    .to_owned(),
            ),
            (FileFormat::Xapi, Err(error)) if error.is_data() => {
                Err(format!("the file cannot be read unambiguously: {error}"))
            }
            (FileFormat::Xapi, _) => Ok(()),
        }
    }

    /// The file's records, as the digests cover them.
    pub(super) fn records(self, bytes: &[u8]) -> Result<Vec<Value>, String> {
        match self {
            FileFormat::Xapi => match strict_json::from_slice(bytes) {
                Ok(Value::Array(statements)) => Ok(statements),
                Ok(_) => Err("it is not a JSON array of statements".to_owned()),
                Err(e) => Err(format!("it is not valid JSON ({e})")),
            },
            FileFormat::Csv => {
                let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(bytes);
                let header = reader.headers().map_err(|e| e.to_string())?.clone();
                let mut seen = std::collections::HashSet::new();
                if let Some(twice) = header.iter().find(|h| !seen.insert(*h)) {
                    return Err(format!("the column `{twice}` appears twice in the header"));
                }
                reader
                    .records()
                    .map(|row| {
                        let row = row.map_err(|e| e.to_string())?;
                        Ok(Value::Object(
                            header
                                .iter()
                                .zip(row.iter())
                                .map(|(h, v)| (h.to_owned(), Value::String(v.to_owned())))
                                .collect(),
                        ))
                    })
                    .collect()
            }
        }
    }
}
