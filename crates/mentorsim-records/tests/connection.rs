//! A station's connection file: every way it can be wrong is an error at its place with the
//! fix, and the password never comes from anywhere but the environment or an owner-only file.

use std::path::Path;

use mentorsim_records::connection::{Connection, ConnectionError};

fn write(dir: &Path, name: &str, text: &str, mode: u32) {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).unwrap();
    }
    #[cfg(not(unix))]
    let _ = mode;
}

/// Loads `connection` (the file's text) beside a password file with `mode`.
fn load(connection: &str, mode: u32, env: Option<&str>) -> Result<Connection, ConnectionError> {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "lrs-password", "s3cret\n", mode);
    write(dir.path(), "connection.ron", connection, 0o644);
    Connection::load(&dir.path().join("connection.ron"), env.map(str::to_owned))
}

/// The first finding's code, message and hint, and the text it points at.
fn refused(connection: &str, mode: u32) -> (String, String, String) {
    let error = load(connection, mode, None).unwrap_err();
    let first = &error.diagnostics[0];
    let at = first
        .span
        .clone()
        .map(|span| error.source.text[span].to_owned())
        .unwrap_or_default();
    (
        first.code.to_string(),
        format!("{} {}", first.message, first.hint),
        at,
    )
}

const GOOD: &str = r#"Connection(
    lrs: "https://lrs.example.org/xAPI/",
    station: "library-pc-2",
    password_file: Some("lrs-password"),
)"#;

#[test]
fn a_good_file_names_the_lrs_the_station_and_reads_the_password_from_an_owner_only_file() {
    let connection = load(GOOD, 0o600, None).unwrap();
    assert_eq!(connection.station, "library-pc-2");
    assert_eq!(connection.lrs.endpoint, "https://lrs.example.org/xAPI/");
    assert_eq!(
        connection.lrs.credentials,
        Some(("library-pc-2".to_owned(), "s3cret".to_owned()))
    );
    assert!(
        !format!("{connection:?}").contains("s3cret"),
        "the password is never printed"
    );
}

#[test]
fn the_environment_password_wins_and_needs_no_file() {
    let connection = load(
        r#"Connection(lrs: "https://lrs.example.org/xAPI/", station: "pc")"#,
        0o600,
        Some("from-env"),
    )
    .unwrap();
    assert_eq!(connection.lrs.credentials.unwrap().1, "from-env");
}

#[cfg(unix)]
#[test]
fn a_password_file_others_may_read_is_refused_with_the_chmod_that_fixes_it() {
    let (code, said, _) = refused(GOOD, 0o640);
    assert_eq!(code, "password-file-open");
    assert!(
        said.contains("mode 640") && said.contains("chmod 600"),
        "{said}"
    );
}

#[test]
fn no_password_anywhere_is_refused_at_the_password_file_field() {
    let (code, said, _) = refused(
        r#"Connection(lrs: "https://lrs.example.org/xAPI/", station: "pc")"#,
        0o600,
    );
    assert_eq!(code, "no-password");
    assert!(said.contains("MENTORSIM_LRS_PASSWORD"), "{said}");
    let (code, said, _) = refused(&GOOD.replace("lrs-password", "missing"), 0o600);
    assert_eq!(code, "no-password");
    assert!(said.contains("cannot read the password file"), "{said}");
}

#[test]
fn a_password_file_that_is_not_one_password_is_refused() {
    for text in ["", "\n", "one\ntwo\n", &"x".repeat(5000)] {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "lrs-password", text, 0o600);
        write(dir.path(), "connection.ron", GOOD, 0o644);
        let error = Connection::load(&dir.path().join("connection.ron"), None).unwrap_err();
        assert_eq!(error.diagnostics[0].code.to_string(), "no-password");
    }
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("lrs-password")).unwrap();
    write(dir.path(), "connection.ron", GOOD, 0o644);
    let error = Connection::load(&dir.path().join("connection.ron"), None).unwrap_err();
    assert!(error.diagnostics[0].message.contains("not a file"));
}

#[test]
fn an_endpoint_that_would_leak_the_password_is_refused_at_the_lrs_field() {
    let with_user = GOOD.replace("https://lrs", "https://pc:pw@lrs");
    let (code, said, at) = refused(&with_user, 0o600);
    assert_eq!(code, "bad-endpoint");
    assert!(said.contains("user name or password in it"), "{said}");
    assert!(
        !said.contains("pc:pw"),
        "the password is not repeated: {said}"
    );
    assert!(at.starts_with("\"https://"), "points at the URL: {at}");

    let (code, said, _) = refused(&GOOD.replace("https://", "http://"), 0o600);
    assert_eq!(code, "bad-endpoint");
    assert!(said.contains("plain http://"), "{said}");
    let local = GOOD.replace("https://lrs.example.org", "http://127.0.0.1:8080");
    assert!(
        load(&local, 0o600, None).is_ok(),
        "plain http on loopback is fine"
    );
    let trusted = GOOD.replace("https://", "http://").replace(
        "password_file",
        "allow_insecure_http: true,\n    password_file",
    );
    assert!(load(&trusted, 0o600, None).is_ok());

    let (code, _, _) = refused(&GOOD.replace("https://lrs.example.org", "ftp://x"), 0o600);
    assert_eq!(code, "bad-endpoint");
}

#[test]
fn syntax_unknown_fields_and_an_empty_station_are_located() {
    let (code, said, _) = refused(&GOOD.replace("station", "statoin"), 0o600);
    assert_eq!(code, "syntax");
    assert!(said.contains("statoin"), "{said}");
    let (code, _, _) = refused("Connection(lrs: ", 0o600);
    assert_eq!(code, "syntax");
    let (code, _, at) = refused(&GOOD.replace("library-pc-2", " "), 0o600);
    assert_eq!(code, "empty-text");
    assert_eq!(at, "\" \"");
}

#[test]
fn a_station_without_a_file_has_no_connection_but_a_named_file_must_exist() {
    let dir = tempfile::tempdir().unwrap();
    assert!(Connection::find(dir.path(), None, None).unwrap().is_none());
    let named = dir.path().join("elsewhere.ron");
    let error = Connection::find(dir.path(), Some(&named), None).unwrap_err();
    assert!(error.diagnostics[0].message.contains("cannot read"));
}
