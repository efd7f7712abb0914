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
use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};
use serde_json::{Value, json};

use crate::strict_json;
use mentorsim_script::digest::sha256_hex;

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
    /// Writing a key file failed.
    #[error(transparent)]
    Output(#[from] crate::output::OutputError),
    /// The private key can be read by other users: whoever can read it can sign as the program.
    #[error(
        "UNPROTECTED PRIVATE KEY FILE: {path} can be read by other users (permissions {mode:04o}), so anyone of them could sign records as the program; it is not used. Run `chmod 600 {path}` (and consider making a new key if others may have copied it)"
    )]
    UnprotectedKey {
        /// The key file.
        path: PathBuf,
        /// Its permission bits.
        mode: u32,
    },
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
        crate::output::write_atomically(&public_path, public.as_bytes())?;
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
        refuse_unprotected(&path)?;
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
    file.write_all(bytes)
        .and_then(|()| file.sync_all())
        .map_err(io_error(path))
}

/// Like ssh, refuses a private key that group or others may read or write.
#[cfg(unix)]
fn refuse_unprotected(path: &Path) -> Result<(), SigningError> {
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(path)
        .map_err(io_error(path))?
        .permissions()
        .mode()
        & 0o7777;
    if mode & 0o077 != 0 {
        return Err(SigningError::UnprotectedKey {
            path: path.to_owned(),
            mode,
        });
    }
    Ok(())
}

#[cfg(not(unix))]
fn refuse_unprotected(_path: &Path) -> Result<(), SigningError> {
    Ok(())
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

/// The public key trusted to have signed the program's records: `data_dir/keys`' own
/// (`program.pub.pem`; checking needs no secret), or the one the private key holds when only
/// that is there.
pub fn trusted_key(data_dir: &Path) -> Result<Option<VerifyingKey>, SigningError> {
    let public = data_dir.join(KEY_DIR).join(PUBLIC_FILE);
    if public.exists() {
        return read_public_key(&public).map(Some);
    }
    Ok(ProgramKey::load(data_dir)?.map(|k| k.signing.verifying_key()))
}

/// A public key from a PEM file (as `keys show` prints it).
pub fn read_public_key(path: &Path) -> Result<VerifyingKey, SigningError> {
    let pem = std::fs::read_to_string(path).map_err(io_error(path))?;
    let key = VerifyingKey::from_public_key_pem(&pem).map_err(|e| SigningError::BadKey {
        path: path.to_owned(),
        reason: e.to_string(),
    })?;
    if key.is_weak() {
        return Err(SigningError::BadKey {
            path: path.to_owned(),
            reason: "it is a weak (small-order) key, which any signature matches".to_owned(),
        });
    }
    Ok(key)
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

    /// Whether `bytes` are this format at all: a signed JSON document is never taken for a
    /// CSV or xAPI file, whatever its name.
    fn check_content(self, bytes: &[u8]) -> Result<(), String> {
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
    fn records(self, bytes: &[u8]) -> Result<Vec<Value>, String> {
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
