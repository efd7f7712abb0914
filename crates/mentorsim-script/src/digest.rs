//! The fingerprint of a text: records pin an attempt to the exact scenario and rubric texts it
//! was played on by their SHA-256, and signatures cover the digests of what they sign.

use sha2::{Digest, Sha256};

/// Hex SHA-256 of some bytes.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}
