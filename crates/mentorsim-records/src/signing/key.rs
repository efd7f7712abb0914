//! The program key: made once, kept readable only by its owner, and the public half that
//! anyone checking the program's records trusts.

use std::path::Path;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use ed25519_dalek::pkcs8::spki::der::pem::LineEnding;
use ed25519_dalek::pkcs8::{DecodePrivateKey, DecodePublicKey, EncodePrivateKey, EncodePublicKey};
use ed25519_dalek::{Signer, SigningKey, VerifyingKey};
use mentorsim_script::digest::sha256_hex;
use serde_json::{Value, json};

use super::digests::{FileFormat, canonical, digests};
use super::{SigningError, io_error};

/// The folder of the program key, inside the data folder.
pub const KEY_DIR: &str = "keys";
const SECRET_FILE: &str = "program.key.pem";
const PUBLIC_FILE: &str = "program.pub.pem";

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

pub(super) fn key_id(key: &VerifyingKey) -> String {
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
