//! Output files: never written over the records or into the data folder, however the path is
//! spelt, and always written whole or not at all.

use std::path::Path;

use mentorsim_records::output::{
    OutputError, check_outside_data_folder, write_atomically, write_files_atomically,
};
use mentorsim_records::store::{DATABASE_FILE, Store};

fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn the_records_database_and_the_data_folder_are_never_an_output() {
    let root = tempfile::tempdir().unwrap();
    let data = root.path().join("data");
    drop(Store::open(&data).unwrap());
    std::fs::create_dir(data.join("keys")).unwrap();
    let elsewhere = root.path().join("exports");
    std::fs::create_dir(&elsewhere).unwrap();

    let database = data.join(DATABASE_FILE);
    for path in [
        database.clone(),
        elsewhere.join("..").join("data").join(DATABASE_FILE),
        data.join(format!("{DATABASE_FILE}-wal")),
    ] {
        let refused = check_outside_data_folder(&path, &data).unwrap_err();
        assert!(matches!(refused, OutputError::Records { .. }), "{refused}");
        assert!(
            refused.to_string().contains("replace every record"),
            "{refused}"
        );
    }
    for path in [
        data.join("attempts.csv"),
        data.join("keys").join("export.json"),
        elsewhere.join("../data/./new.csv"),
    ] {
        let refused = check_outside_data_folder(&path, &data).unwrap_err();
        assert!(
            matches!(refused, OutputError::InDataFolder { .. }),
            "{refused}"
        );
    }
    #[cfg(unix)]
    {
        // A link into the data folder, to the database or to the folder itself.
        let link = elsewhere.join("records.csv");
        std::os::unix::fs::symlink(&database, &link).unwrap();
        assert!(matches!(
            check_outside_data_folder(&link, &data),
            Err(OutputError::Records { .. })
        ));
        let folder_link = elsewhere.join("shortcut");
        std::os::unix::fs::symlink(&data, &folder_link).unwrap();
        assert!(matches!(
            check_outside_data_folder(&folder_link.join("x.csv"), &data),
            Err(OutputError::InDataFolder { .. })
        ));
    }
    assert!(check_outside_data_folder(&elsewhere.join("attempts.csv"), &data).is_ok());
    // A folder that does not exist is named.
    let missing = check_outside_data_folder(&root.path().join("nope/attempts.csv"), &data);
    assert!(
        matches!(missing, Err(OutputError::NoFolder { .. })),
        "{missing:?}"
    );
}

#[test]
fn a_file_is_replaced_whole_and_nothing_temporary_is_left() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("attempts.csv");
    write_atomically(&file, b"first\n").unwrap();
    write_atomically(&file, b"second\n").unwrap();
    assert_eq!(std::fs::read(&file).unwrap(), b"second\n");
    assert_eq!(names(dir.path()), ["attempts.csv"]);
}

#[test]
fn a_failed_write_changes_none_of_the_files_it_was_to_write() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("attempts.csv");
    let sig = dir.path().join("attempts.csv.sig");
    write_files_atomically(&[(&file, b"old rows\n"), (&sig, b"old signature\n")]).unwrap();

    // The signature's place is taken by a folder: neither file is replaced.
    std::fs::remove_file(&sig).unwrap();
    std::fs::create_dir(&sig).unwrap();
    let refused =
        write_files_atomically(&[(&file, b"new rows\n"), (&sig, b"new signature\n")]).unwrap_err();
    assert!(matches!(refused, OutputError::IsFolder { .. }), "{refused}");
    assert_eq!(std::fs::read(&file).unwrap(), b"old rows\n");
    assert_eq!(names(dir.path()), ["attempts.csv", "attempts.csv.sig"]);

    // A folder that does not exist: nothing is created anywhere.
    let nowhere = dir.path().join("missing").join("x.csv");
    assert!(matches!(
        write_atomically(&nowhere, b"rows"),
        Err(OutputError::NoFolder { .. })
    ));
    assert_eq!(names(dir.path()), ["attempts.csv", "attempts.csv.sig"]);
}

#[cfg(unix)]
#[test]
fn a_replaced_file_keeps_its_permissions() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("reflections.csv");
    write_atomically(&file, b"private\n").unwrap();
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)).unwrap();
    write_atomically(&file, b"still private\n").unwrap();
    assert_eq!(
        std::fs::metadata(&file).unwrap().permissions().mode() & 0o777,
        0o600
    );
}
