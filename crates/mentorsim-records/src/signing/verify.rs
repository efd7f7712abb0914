//! Checking a signed document or a file beside its `.sig`: the envelope's exact shape, the
//! signature, the trusted key, and, when the content changed, which record and field.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use ed25519_dalek::{Signature, VerifyingKey};
use mentorsim_script::digest::sha256_hex;
use serde_json::Value;

use super::digests::{FileFormat, canonical, digests};
use super::key::key_id;
use super::{SigningError, io_error};
use crate::strict_json;

/// What `verify` found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// The signature matches, the content is unchanged and the key is the trusted one.
    Valid {
        /// Id of the key that signed it.
        key_id: String,
        /// Number of records covered.
        records: usize,
    },
    /// The content changed since signing: each change, located.
    Altered(Vec<String>),
    /// The signature does not match, and no record change explains it.
    SignatureMismatch(String),
    /// Not acceptable as signed at all: a field the signature does not cover, a key given
    /// twice, a weak key, a signature over another file or another format.
    Rejected(String),
    /// Validly signed, but by another key than the trusted one.
    UntrustedKey {
        /// Id of the key that signed it.
        signed_by: String,
        /// Id of the trusted key.
        trusted: String,
    },
    /// Intact and signed, but there is no trusted key to say by whom: anyone can sign with a
    /// key of their own, so this vouches for nothing.
    NoTrustedKey {
        /// Id of the key that signed it.
        signed_by: String,
    },
}

/// The fields of a signed document, exactly.
const ENVELOPE_FIELDS: [&str; 2] = ["payload", "signature"];
/// The fields of its signature block, exactly.
const SIGNATURE_FIELDS: [&str; 5] = ["alg", "canonicalization", "key_id", "public_key", "value"];

/// A signed document's envelope, checked for shape but not yet for its signature.
struct Envelope {
    payload: Value,
    key: VerifyingKey,
    signature: Signature,
}

/// Checks a signed export or certificate: `FILE` itself when it is a signed JSON document, or
/// `FILE` against `FILE.sig` when there is one (CSV and xAPI). Only a file signed by `trusted`
/// is [`Verdict::Valid`]; with no trusted key the answer is [`Verdict::NoTrustedKey`].
pub fn verify(path: &Path, trusted: Option<&VerifyingKey>) -> Result<Verdict, SigningError> {
    if let Some(key) = trusted
        && key.is_weak()
    {
        return Ok(Verdict::Rejected(
            "the trusted key given is a weak (small-order) key, which any signature matches; pass the program's real public key".to_owned(),
        ));
    }
    let bytes = std::fs::read(path).map_err(io_error(path))?;
    let sig_path = signature_path(path);
    match std::fs::read(&sig_path) {
        Ok(sig) => verify_detached(path, &bytes, &sig_path, &sig, trusted),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            verify_inline(path, &bytes, &sig_path, trusted)
        }
        Err(e) => Err(io_error(&sig_path)(e)),
    }
}

/// A signed JSON document (export or certificate).
fn verify_inline(
    path: &Path,
    bytes: &[u8],
    sig_path: &Path,
    trusted: Option<&VerifyingKey>,
) -> Result<Verdict, SigningError> {
    let looks_signed =
        |value: &Value| value.get("payload").is_some() && value.get("signature").is_some();
    let document = match strict_json::from_slice(bytes) {
        Ok(document) if looks_signed(&document) => document,
        Err(error) if serde_json::from_slice::<Value>(bytes).is_ok_and(|v| looks_signed(&v)) => {
            return Ok(Verdict::Rejected(format!(
                "{error}: a reader could take either value, so the document is not accepted"
            )));
        }
        _ => {
            return Err(SigningError::NotSigned(format!(
                "{} is not signed: it holds no signature and there is no {} beside it",
                path.display(),
                sig_path.display()
            )));
        }
    };
    if document["payload"]["kind"] == "detached-signature" {
        return Ok(Verdict::Rejected(format!(
            "this is the signature of another file, not a signed document: verify the file it signs ({})",
            document["payload"]["file"]
                .as_str()
                .unwrap_or("its name without .sig")
        )));
    }
    let extension = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase());
    if extension.as_deref() == Some("csv") {
        return Ok(Verdict::Rejected(
            "it holds a signed JSON document, not CSV; a CSV export is signed in FILE.csv.sig beside it".to_owned(),
        ));
    }
    let envelope = match envelope(&document) {
        Ok(envelope) => envelope,
        Err(reason) => return Ok(Verdict::Rejected(reason)),
    };
    let records = envelope.payload["records"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let changes = changed_records(&records, &envelope.payload["digests"], "record");
    Ok(judge(&envelope, changes, records.len(), trusted))
}

/// A CSV or xAPI file against its `FILE.sig`: the signature must name this file, this format
/// and these bytes.
fn verify_detached(
    path: &Path,
    bytes: &[u8],
    sig_path: &Path,
    sig: &[u8],
    trusted: Option<&VerifyingKey>,
) -> Result<Verdict, SigningError> {
    let document = match strict_json::from_slice(sig) {
        Ok(document) => document,
        Err(error) => {
            return Ok(Verdict::Rejected(format!(
                "{} cannot be read as a signature: {error}",
                sig_path.display()
            )));
        }
    };
    let envelope = match envelope(&document) {
        Ok(envelope) => envelope,
        Err(reason) => {
            return Ok(Verdict::Rejected(format!(
                "{}: {reason}",
                sig_path.display()
            )));
        }
    };
    let payload = &envelope.payload;
    if payload["kind"] != "detached-signature" {
        return Ok(Verdict::Rejected(format!(
            "{} is not a detached signature (it is a signed document of its own)",
            sig_path.display()
        )));
    }
    let name = path
        .file_name()
        .map_or(String::new(), |n| n.to_string_lossy().into_owned());
    if payload["file"].as_str() != Some(name.as_str()) {
        return Ok(Verdict::Rejected(format!(
            "{} signs a file named `{}`, not `{name}`: a signature covers one file under its own name",
            sig_path.display(),
            payload["file"].as_str().unwrap_or("(none)")
        )));
    }
    let Some(format) = payload["format"].as_str().and_then(FileFormat::from_name) else {
        return Ok(Verdict::Rejected(format!(
            "{} names no known file format (csv or xapi)",
            sig_path.display()
        )));
    };
    if let Err(reason) = format.check_content(bytes) {
        return Ok(Verdict::Rejected(format!(
            "{} signs a {} file, but {reason}",
            sig_path.display(),
            format.name()
        )));
    }
    let unchanged = payload["sha256"].as_str() == Some(sha256_hex(bytes).as_str());
    let parsed = format.records(bytes);
    let records = parsed.clone().unwrap_or_default();
    let mut changes = if unchanged {
        Vec::new()
    } else {
        let unit = if format == FileFormat::Csv {
            "row"
        } else {
            "statement"
        };
        changed_records(&records, &payload["digests"], unit)
    };
    if !unchanged && changes.is_empty() {
        changes.push(match parsed {
            Err(reason) => format!("the file no longer parses: {reason}"),
            Ok(_) => {
                "the file's bytes changed (layout or whitespace; no record differs)".to_owned()
            }
        });
    }
    Ok(judge(&envelope, changes, records.len(), trusted))
}

/// The verdict once the content has been compared: changes first (they say the most), then
/// the signature, then whose key it is.
fn judge(
    envelope: &Envelope,
    changes: Vec<String>,
    records: usize,
    trusted: Option<&VerifyingKey>,
) -> Verdict {
    if !changes.is_empty() {
        return Verdict::Altered(changes);
    }
    let holds = envelope
        .key
        .verify_strict(&canonical(&envelope.payload), &envelope.signature)
        .is_ok();
    if !holds {
        return Verdict::SignatureMismatch(
            "the signature does not match the signed content: the header, the digests or the signature itself were altered, or it was not made with this key".to_owned(),
        );
    }
    let signed_by = key_id(&envelope.key);
    match trusted {
        None => Verdict::NoTrustedKey { signed_by },
        Some(trusted) if trusted != &envelope.key => Verdict::UntrustedKey {
            signed_by,
            trusted: key_id(trusted),
        },
        Some(_) => Verdict::Valid {
            key_id: signed_by,
            records,
        },
    }
}

/// The envelope's parts, refusing anything the signature does not account for: fields beside
/// `payload` and `signature`, unknown fields in the signature block, another algorithm, a weak
/// public key, or a `key_id` that is not that key's.
fn envelope(document: &Value) -> Result<Envelope, String> {
    let exactly = |value: &Value, fields: &[&str], what: &str| -> Result<(), String> {
        let Some(object) = value.as_object() else {
            return Err(format!("{what} is not a JSON object"));
        };
        if let Some(extra) = object.keys().find(|k| !fields.contains(&k.as_str())) {
            return Err(format!(
                "{what} has a field `{extra}` that is not part of a signed document (it holds exactly {}); anything outside the signed payload could say anything",
                fields.join(", ")
            ));
        }
        if let Some(missing) = fields.iter().find(|f| !object.contains_key(**f)) {
            return Err(format!("{what} has no `{missing}`"));
        }
        Ok(())
    };
    exactly(document, &ENVELOPE_FIELDS, "the document")?;
    let block = &document["signature"];
    exactly(block, &SIGNATURE_FIELDS, "the signature block")?;
    if block["alg"] != "Ed25519" || block["canonicalization"] != "RFC8785" {
        return Err("the signature block is not Ed25519 over RFC 8785 JSON".to_owned());
    }
    let public: [u8; 32] = block["public_key"]
        .as_str()
        .and_then(|k| BASE64.decode(k).ok())
        .and_then(|k| k.try_into().ok())
        .ok_or("the signature block has no usable public_key")?;
    let key = VerifyingKey::from_bytes(&public)
        .map_err(|_| "the signature block has an invalid public_key".to_owned())?;
    if key.is_weak() {
        return Err(
            "it is signed with a weak (small-order) public key, which any signature matches"
                .to_owned(),
        );
    }
    if block["key_id"].as_str() != Some(key_id(&key).as_str()) {
        return Err("the signature block's key_id is not the id of its public_key".to_owned());
    }
    let value: [u8; 64] = block["value"]
        .as_str()
        .and_then(|v| BASE64.decode(v).ok())
        .and_then(|v| v.try_into().ok())
        .ok_or("the signature block has no usable value")?;
    Ok(Envelope {
        payload: document["payload"].clone(),
        key,
        signature: Signature::from_bytes(&value),
    })
}

/// Where the signature of a CSV or xAPI file is kept.
pub fn signature_path(path: &Path) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".sig");
    PathBuf::from(name)
}

/// Each record or field that differs from the signed digests.
fn changed_records(records: &[Value], signed: &Value, unit: &str) -> Vec<String> {
    let signed: Vec<BTreeMap<String, String>> =
        serde_json::from_value(signed.clone()).unwrap_or_default();
    let now = digests(records);
    let mut changes = Vec::new();
    for (i, (was, is)) in signed.iter().zip(&now).enumerate() {
        let name = describe(unit, i, &records[i]);
        let mut fields: Vec<&str> = was
            .keys()
            .chain(is.keys())
            .filter(|k| was.get(*k) != is.get(*k))
            .map(String::as_str)
            .collect();
        fields.sort_unstable();
        fields.dedup();
        for field in fields {
            changes.push(match (was.contains_key(field), is.contains_key(field)) {
                (true, false) => format!("{name}: field `{field}` was removed"),
                (false, true) => format!("{name}: field `{field}` was added"),
                _ => format!("{name}: field `{field}` was altered"),
            });
        }
    }
    if now.len() > signed.len() {
        for (i, record) in records.iter().enumerate().skip(signed.len()) {
            changes.push(format!("{} was added", describe(unit, i, record)));
        }
    }
    if signed.len() > now.len() {
        changes.push(format!(
            "{} {unit}(s) were removed after {unit} {}",
            signed.len() - now.len(),
            now.len()
        ));
    }
    changes
}

/// "record 3 (attempt 5b1c…)": 1-based, with the record's id when it has one.
fn describe(unit: &str, index: usize, record: &Value) -> String {
    let id = ["attempt", "id", "trainee"]
        .iter()
        .find_map(|k| record.get(*k).and_then(Value::as_str).map(|v| (*k, v)));
    match id {
        Some((kind, value)) => format!("{unit} {} ({kind} {value})", index + 1),
        None => format!("{unit} {}", index + 1),
    }
}
