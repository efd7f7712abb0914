//! Signed documents as `verify` judges them: only a file signed by the trusted key is VALID,
//! and every known way to make a file say something its signature does not cover is refused
//! (unsigned fields, keys given twice, weak keys, a signature moved to another file or format).

use std::path::{Path, PathBuf};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use mentorsim_records::signing::{
    FileFormat, ProgramKey, SigningError, Verdict, signature_path, verify,
};
use mentorsim_script::digest::sha256_hex;
use serde_json::{Value, json};

/// A program key in its own data folder, and a folder for the files it signs.
fn key() -> (tempfile::TempDir, ProgramKey, tempfile::TempDir) {
    let data = tempfile::tempdir().unwrap();
    let key = ProgramKey::init(data.path()).unwrap();
    (data, key, tempfile::tempdir().unwrap())
}

fn trusted(key: &ProgramKey) -> ed25519_dalek::VerifyingKey {
    use ed25519_dalek::pkcs8::DecodePublicKey;
    ed25519_dalek::VerifyingKey::from_public_key_pem(&key.public_pem()).unwrap()
}

fn export() -> Value {
    json!({
        "format": "mentorsim-records",
        "records": [
            {"attempt": "a-1", "trainee": {"id": "t-ada"}, "passed": true},
            {"attempt": "a-2", "trainee": {"id": "t-bo"}, "passed": false},
        ],
    })
}

fn write(dir: &Path, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

fn rejected(verdict: Verdict, says: &str) {
    match verdict {
        Verdict::Rejected(reason) => assert!(reason.contains(says), "{reason}"),
        other => panic!("expected a rejection saying `{says}`, got {other:?}"),
    }
}

#[test]
fn only_the_trusted_key_makes_a_file_valid() {
    let (_data, key, out) = key();
    let file = write(
        out.path(),
        "records.json",
        serde_json::to_vec_pretty(&key.sign(export())).unwrap(),
    );
    assert!(matches!(
        verify(&file, Some(&trusted(&key))).unwrap(),
        Verdict::Valid { records: 2, .. }
    ));
    // With nothing to compare with, an intact signature vouches for nothing.
    assert!(matches!(
        verify(&file, None).unwrap(),
        Verdict::NoTrustedKey { .. }
    ));
    let (_other_data, other, _) = self::key();
    assert!(matches!(
        verify(&file, Some(&trusted(&other))).unwrap(),
        Verdict::UntrustedKey { .. }
    ));
}

#[test]
fn a_payload_signed_with_the_identity_key_and_a_zero_signature_is_rejected() {
    let (_data, key, out) = key();
    // The small-order "identity" point: with a zero signature, a lax check accepts any message.
    let mut identity = [0u8; 32];
    identity[0] = 1;
    let mut payload = export();
    payload["records"][1]["passed"] = json!(true);
    payload["digests"] = json!([]);
    let forged = json!({
        "payload": payload,
        "signature": {
            "alg": "Ed25519",
            "canonicalization": "RFC8785",
            "key_id": &sha256_hex(&identity)[..16],
            "public_key": BASE64.encode(identity),
            "value": BASE64.encode([0u8; 64]),
        },
    });
    let file = write(out.path(), "forged.json", forged.to_string());
    rejected(verify(&file, None).unwrap(), "weak (small-order)");
    rejected(
        verify(&file, Some(&trusted(&key))).unwrap(),
        "weak (small-order)",
    );
}

#[test]
fn fields_outside_the_signed_payload_are_refused() {
    let (_data, key, out) = key();
    let trusted = trusted(&key);
    let signed = key.sign(export());

    let mut extra = signed.clone();
    extra["note"] = json!("approved by the board");
    let file = write(out.path(), "extra.json", extra.to_string());
    rejected(verify(&file, Some(&trusted)).unwrap(), "field `note`");

    let mut extra = signed.clone();
    extra["signature"]["comment"] = json!("checked");
    let file = write(out.path(), "extra-sig.json", extra.to_string());
    rejected(verify(&file, Some(&trusted)).unwrap(), "field `comment`");

    let mut lying = signed;
    lying["signature"]["key_id"] = json!("0000000000000000");
    let file = write(out.path(), "key-id.json", lying.to_string());
    rejected(verify(&file, Some(&trusted)).unwrap(), "key_id");
}

#[test]
fn a_key_given_twice_is_refused_wherever_it_is() {
    let (_data, key, out) = key();
    let trusted = trusted(&key);
    let text = key.sign(export()).to_string();
    // serde_json writes keys in order, so the real value is the one that comes later.

    // A forged `passed` before the signed one, inside a record.
    let forged = text.replacen("\"passed\":false", "\"passed\":true,\"passed\":false", 1);
    assert_ne!(forged, text);
    let file = write(out.path(), "twice.json", &forged);
    rejected(
        verify(&file, Some(&trusted)).unwrap(),
        "`passed` appears twice",
    );

    // A whole forged payload before the signed one.
    let payload_at = text.find("{\"payload\":").unwrap() + 1;
    let forged = format!("{{\"payload\":{{\"records\":[]}},{}", &text[payload_at..]);
    let file = write(out.path(), "payload-twice.json", &forged);
    rejected(
        verify(&file, Some(&trusted)).unwrap(),
        "`payload` appears twice",
    );
}

#[test]
fn a_detached_signature_covers_one_file_under_its_name_and_format() {
    let (_data, key, out) = key();
    let trusted = trusted(&key);
    let csv = b"attempt,passed\na-1,true\na-2,false\n";
    let file = write(out.path(), "records.csv", csv);
    let sig = key.sign_file("records.csv", FileFormat::Csv, csv);
    write(out.path(), "records.csv.sig", sig.to_string());
    assert!(matches!(
        verify(&file, Some(&trusted)).unwrap(),
        Verdict::Valid { records: 2, .. }
    ));

    // Renamed together: the signature names the file it covers.
    let moved = write(out.path(), "cohort-2.csv", csv);
    write(out.path(), "cohort-2.csv.sig", sig.to_string());
    rejected(
        verify(&moved, Some(&trusted)).unwrap(),
        "named `records.csv`",
    );

    // A signed JSON export copied over the CSV, beside the CSV's signature.
    let json = serde_json::to_vec_pretty(&key.sign(export())).unwrap();
    std::fs::write(&file, &json).unwrap();
    rejected(
        verify(&file, Some(&trusted)).unwrap(),
        "signed JSON document, not CSV",
    );

    // ... and without it: a JSON document is still not a CSV file.
    std::fs::remove_file(signature_path(&file)).unwrap();
    rejected(verify(&file, Some(&trusted)).unwrap(), "not CSV");

    // The signature file itself is not a document.
    let sig_file = write(out.path(), "alone.csv.sig", sig.to_string());
    rejected(
        verify(&sig_file, Some(&trusted)).unwrap(),
        "the signature of another file",
    );
}

#[test]
fn an_xapi_signature_does_not_cover_a_json_document_with_the_same_name() {
    let (_data, key, out) = key();
    let trusted = trusted(&key);
    let statements = serde_json::to_vec(&json!([{"id": "s-1"}, {"id": "s-2"}])).unwrap();
    let file = write(out.path(), "statements.json", &statements);
    write(
        out.path(),
        "statements.json.sig",
        key.sign_file("statements.json", FileFormat::Xapi, &statements)
            .to_string(),
    );
    assert!(matches!(
        verify(&file, Some(&trusted)).unwrap(),
        Verdict::Valid { records: 2, .. }
    ));
    std::fs::write(&file, serde_json::to_vec(&key.sign(export())).unwrap()).unwrap();
    rejected(
        verify(&file, Some(&trusted)).unwrap(),
        "not a JSON array of xAPI statements",
    );
    // A statement with a key given twice, even if the bytes were signed that way.
    let twice = br#"[{"id": "s-1", "id": "s-9"}]"#;
    std::fs::write(&file, twice).unwrap();
    write(
        out.path(),
        "statements.json.sig",
        key.sign_file("statements.json", FileFormat::Xapi, twice)
            .to_string(),
    );
    rejected(verify(&file, Some(&trusted)).unwrap(), "`id` appears twice");
}

#[cfg(unix)]
#[test]
fn a_private_key_others_can_read_is_not_used() {
    use std::os::unix::fs::PermissionsExt;
    let (data, _key, _out) = key();
    let secret = data.path().join("keys/program.key.pem");
    assert_eq!(
        std::fs::metadata(&secret).unwrap().permissions().mode() & 0o777,
        0o600
    );
    assert!(ProgramKey::load(data.path()).unwrap().is_some());
    for mode in [0o644, 0o640, 0o604, 0o660] {
        std::fs::set_permissions(&secret, std::fs::Permissions::from_mode(mode)).unwrap();
        let refused = ProgramKey::load(data.path()).unwrap_err();
        assert!(
            matches!(refused, SigningError::UnprotectedKey { .. }),
            "{refused}"
        );
        let message = refused.to_string();
        assert!(
            message.contains("UNPROTECTED PRIVATE KEY FILE"),
            "{message}"
        );
        assert!(
            message.contains(&format!("chmod 600 {}", secret.display())),
            "{message}"
        );
    }
    std::fs::set_permissions(&secret, std::fs::Permissions::from_mode(0o400)).unwrap();
    assert!(ProgramKey::load(data.path()).unwrap().is_some());
}
