//! Signed records: a program key (Ed25519), and exports and readiness certificates signed
//! over their RFC 8785 canonical JSON, so anyone can check them with stock tools.
//!
//! A signed document is `{"payload": …, "signature": {"alg": "Ed25519", "canonicalization":
//! "RFC8785", "key_id", "public_key", "value"}}`. CSV and xAPI files must stay plain for the
//! programs that read them, so they get the same envelope beside them as `FILE.sig`, whose
//! payload names the file's SHA-256.
//!
//! The payload also carries a digest of every field of every record. The signature alone can
//! only say "something changed"; with the digests, `verify` says which record and which field.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use ed25519_dalek::pkcs8::spki::der::pem::LineEnding;
use ed25519_dalek::pkcs8::{DecodePrivateKey, DecodePublicKey, EncodePrivateKey, EncodePublicKey};
use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use serde_json::{Value, json};

use crate::records::sha256_hex;

/// The folder of the program key, inside the data folder.
pub const KEY_DIR: &str = "keys";
const SECRET_FILE: &str = "program.key.pem";
const PUBLIC_FILE: &str = "program.pub.pem";

/// What can go wrong with keys and signatures.
#[derive(Debug, thiserror::Error)]
pub enum SigningError {
    /// A key exists already: making a new one would orphan everything signed with it.
    #[error(
        "a program key already exists in {0}; everything signed so far is checked against it, so it is kept (move the folder away first if you really mean to replace it)"
    )]
    KeyExists(PathBuf),
    /// No key yet.
    #[error("there is no program key in {0}; create one with `mentorsim keys init`")]
    NoKey(PathBuf),
    /// A key file that cannot be read.
    #[error("the key file {path} cannot be used: {reason}")]
    BadKey {
        /// The file.
        path: PathBuf,
        /// Why.
        reason: String,
    },
    /// Reading or writing a file failed.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// A file that is not a signed document, or a damaged one.
    #[error("{0}")]
    NotSigned(String),
}

fn io_error(path: &Path) -> impl Fn(std::io::Error) -> SigningError + '_ {
    move |source| SigningError::Io {
        path: path.to_owned(),
        source,
    }
}

/// The program's signing key.
pub struct ProgramKey {
    signing: SigningKey,
}

impl std::fmt::Debug for ProgramKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ProgramKey({})", self.key_id())
    }
}

impl ProgramKey {
    /// Creates the key in `data_dir/keys`, refusing to replace one.
    pub fn init(data_dir: &Path) -> Result<ProgramKey, SigningError> {
        let dir = data_dir.join(KEY_DIR);
        if dir.join(SECRET_FILE).exists() {
            return Err(SigningError::KeyExists(dir));
        }
        std::fs::create_dir_all(&dir).map_err(io_error(&dir))?;
        let signing = SigningKey::from_bytes(&rand::random::<[u8; 32]>());
        let secret = signing
            .to_pkcs8_pem(LineEnding::LF)
            .map_err(|e| SigningError::BadKey {
                path: dir.join(SECRET_FILE),
                reason: e.to_string(),
            })?;
        let public = public_pem(&signing.verifying_key());
        write_private(&dir.join(SECRET_FILE), secret.as_bytes())?;
        let public_path = dir.join(PUBLIC_FILE);
        std::fs::write(&public_path, public).map_err(io_error(&public_path))?;
        Ok(ProgramKey { signing })
    }

    /// The key in `data_dir/keys`, if one was made.
    pub fn load(data_dir: &Path) -> Result<Option<ProgramKey>, SigningError> {
        let path = data_dir.join(KEY_DIR).join(SECRET_FILE);
        let pem = match std::fs::read_to_string(&path) {
            Ok(pem) => pem,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(io_error(&path)(e)),
        };
        let signing = SigningKey::from_pkcs8_pem(&pem).map_err(|e| SigningError::BadKey {
            path: path.clone(),
            reason: e.to_string(),
        })?;
        Ok(Some(ProgramKey { signing }))
    }

    /// The key in `data_dir/keys`, or an error telling how to make one.
    pub fn require(data_dir: &Path) -> Result<ProgramKey, SigningError> {
        ProgramKey::load(data_dir)?.ok_or_else(|| SigningError::NoKey(data_dir.join(KEY_DIR)))
    }

    /// Short id of the public key (first 16 hex digits of its SHA-256).
    pub fn key_id(&self) -> String {
        key_id(&self.signing.verifying_key())
    }

    /// The public key as PEM, to hand to whoever checks the program's records.
    pub fn public_pem(&self) -> String {
        public_pem(&self.signing.verifying_key())
    }

    /// Signs a document: adds the digests of its `records` and wraps it in the envelope.
    pub fn sign(&self, payload: Value) -> Value {
        let records = payload
            .get("records")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        self.envelope(payload, &records)
    }

    /// The `FILE.sig` envelope for a CSV or xAPI export: the file's hash and its records'
    /// digests, signed.
    pub fn sign_file(&self, file_name: &str, format: FileFormat, bytes: &[u8]) -> Value {
        let records = format.records(bytes).unwrap_or_default();
        let payload = json!({
            "kind": "detached-signature",
            "file": file_name,
            "format": format.name(),
            "sha256": sha256_hex(bytes),
        });
        self.envelope(payload, &records)
    }

    fn envelope(&self, mut payload: Value, records: &[Value]) -> Value {
        payload["digests"] = json!(digests(records));
        let signature = self.signing.sign(&canonical(&payload));
        let verifying = self.signing.verifying_key();
        json!({
            "payload": payload,
            "signature": {
                "alg": "Ed25519",
                "canonicalization": "RFC8785",
                "key_id": key_id(&verifying),
                "public_key": BASE64.encode(verifying.as_bytes()),
                "value": BASE64.encode(signature.to_bytes()),
            },
        })
    }
}

#[cfg(unix)]
fn write_private(path: &Path, bytes: &[u8]) -> Result<(), SigningError> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
        .map_err(io_error(path))?;
    file.write_all(bytes).map_err(io_error(path))
}

#[cfg(not(unix))]
fn write_private(path: &Path, bytes: &[u8]) -> Result<(), SigningError> {
    std::fs::write(path, bytes).map_err(io_error(path))
}

fn public_pem(key: &VerifyingKey) -> String {
    key.to_public_key_pem(LineEnding::LF).unwrap_or_default()
}

fn key_id(key: &VerifyingKey) -> String {
    sha256_hex(key.as_bytes())[..16].to_owned()
}

/// The public key trusted to have signed the program's records: `data_dir/keys`' own.
pub fn trusted_key(data_dir: &Path) -> Result<Option<VerifyingKey>, SigningError> {
    Ok(ProgramKey::load(data_dir)?.map(|k| k.signing.verifying_key()))
}

/// A public key from a PEM file (as `keys show` prints it).
pub fn read_public_key(path: &Path) -> Result<VerifyingKey, SigningError> {
    let pem = std::fs::read_to_string(path).map_err(io_error(path))?;
    VerifyingKey::from_public_key_pem(&pem).map_err(|e| SigningError::BadKey {
        path: path.to_owned(),
        reason: e.to_string(),
    })
}

/// RFC 8785 bytes of a JSON value.
pub fn canonical(value: &Value) -> Vec<u8> {
    // A serde_json value always canonicalises: its numbers are finite by construction.
    serde_jcs::to_vec(value).unwrap_or_default()
}

/// Per record, a short digest of each top-level field.
fn digests(records: &[Value]) -> Vec<BTreeMap<String, String>> {
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
    fn name(self) -> &'static str {
        match self {
            FileFormat::Csv => "csv",
            FileFormat::Xapi => "xapi",
        }
    }

    fn from_name(name: &str) -> Option<FileFormat> {
        [FileFormat::Csv, FileFormat::Xapi]
            .into_iter()
            .find(|f| f.name() == name)
    }

    /// The file's records, as the digests cover them.
    fn records(self, bytes: &[u8]) -> Result<Vec<Value>, String> {
        match self {
            FileFormat::Xapi => match serde_json::from_slice(bytes) {
                Ok(Value::Array(statements)) => Ok(statements),
                Ok(_) => Err("it is not a JSON array of statements".to_owned()),
                Err(e) => Err(format!("it is not valid JSON ({e})")),
            },
            FileFormat::Csv => {
                let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(bytes);
                let header = reader.headers().map_err(|e| e.to_string())?.clone();
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

/// What `verify` found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// The signature matches and the key is the trusted one (or none was given to compare).
    Valid {
        /// Id of the key that signed it.
        key_id: String,
        /// Whether that key was compared with a trusted key.
        trusted: bool,
        /// Number of records covered.
        records: usize,
    },
    /// The content changed since signing: each change, located.
    Altered(Vec<String>),
    /// The signature does not match, and no record change explains it.
    SignatureMismatch(String),
    /// Validly signed, but by another key than the trusted one.
    UntrustedKey {
        /// Id of the key that signed it.
        signed_by: String,
        /// Id of the trusted key.
        trusted: String,
    },
}

/// Checks a signed export or certificate (`FILE` itself, or `FILE` with `FILE.sig`).
pub fn verify(path: &Path, trusted: Option<&VerifyingKey>) -> Result<Verdict, SigningError> {
    let bytes = std::fs::read(path).map_err(io_error(path))?;
    let inline = serde_json::from_slice::<Value>(&bytes)
        .ok()
        .filter(|v| v.get("payload").is_some() && v.get("signature").is_some());
    let (envelope, content) = match inline {
        Some(envelope) => (envelope, None),
        None => {
            let sig_path = signature_path(path);
            let sig = std::fs::read(&sig_path).map_err(|_| {
                SigningError::NotSigned(format!(
                    "{} is not signed: it holds no signature and there is no {} beside it",
                    path.display(),
                    sig_path.display()
                ))
            })?;
            let envelope = serde_json::from_slice::<Value>(&sig).map_err(|e| {
                SigningError::NotSigned(format!("{} is damaged: {e}", sig_path.display()))
            })?;
            (envelope, Some(bytes))
        }
    };
    let damaged = |what: &str| SigningError::NotSigned(format!("the signature block {what}"));
    let signature = &envelope["signature"];
    if signature["alg"] != "Ed25519" || signature["canonicalization"] != "RFC8785" {
        return Err(damaged("is not Ed25519 over RFC 8785 JSON"));
    }
    let public: [u8; 32] = signature["public_key"]
        .as_str()
        .and_then(|k| BASE64.decode(k).ok())
        .and_then(|k| k.try_into().ok())
        .ok_or_else(|| damaged("has no usable public_key"))?;
    let key =
        VerifyingKey::from_bytes(&public).map_err(|_| damaged("has an invalid public_key"))?;
    let value: [u8; 64] = signature["value"]
        .as_str()
        .and_then(|v| BASE64.decode(v).ok())
        .and_then(|v| v.try_into().ok())
        .ok_or_else(|| damaged("has no usable value"))?;
    let payload = &envelope["payload"];
    let signature_holds = key
        .verify(&canonical(payload), &Signature::from_bytes(&value))
        .is_ok();

    let (records, changes) = match &content {
        None => {
            let records = payload["records"].as_array().cloned().unwrap_or_default();
            let changes = changed_records(&records, &payload["digests"], "record");
            (records.len(), changes)
        }
        Some(bytes) => {
            let format = payload["format"]
                .as_str()
                .and_then(FileFormat::from_name)
                .ok_or_else(|| damaged("names no known file format"))?;
            let unchanged = payload["sha256"].as_str() == Some(sha256_hex(bytes).as_str());
            let records = format.records(bytes).unwrap_or_default();
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
                changes.push(match format.records(bytes) {
                    Err(reason) => format!("the file no longer parses: {reason}"),
                    Ok(_) => "the file's bytes changed (layout or whitespace; no record differs)"
                        .to_owned(),
                });
            }
            (records.len(), changes)
        }
    };
    if !changes.is_empty() {
        return Ok(Verdict::Altered(changes));
    }
    if !signature_holds {
        return Ok(Verdict::SignatureMismatch(
            "the signature does not match the signed content: the header, the digests or the signature itself were altered, or it was not made with this key".to_owned(),
        ));
    }
    let signed_by = key_id(&key);
    match trusted {
        Some(trusted) if trusted != &key => Ok(Verdict::UntrustedKey {
            signed_by,
            trusted: key_id(trusted),
        }),
        _ => Ok(Verdict::Valid {
            key_id: signed_by,
            trusted: trusted.is_some(),
            records,
        }),
    }
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
