//! Bad input when opening: each gives its own error, and nothing is written.

use crate::fixtures::{live_file, make_vault, open, pass, sample_ledger, snapshot};
use sibai::model::Collection;
use sibai::store::{SecretString, StoreError, Vault, VaultOptions};
use std::path::Path;

fn vault_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    drop(make_vault(dir.path(), sample_ledger("样本")));
    // Open once so the lock file exists and later snapshots compare like with like.
    drop(open(dir.path()).unwrap());
    dir
}

fn assert_untouched(dir: &Path, f: impl FnOnce() -> StoreError) -> StoreError {
    let before = snapshot(dir);
    let err = f();
    assert_eq!(snapshot(dir), before, "a failed open wrote something");
    err
}

#[test]
fn wrong_passphrase() {
    let dir = vault_dir();
    let err = assert_untouched(dir.path(), || {
        Vault::open(
            dir.path(),
            "王书记",
            &SecretString::from("nope".to_owned()),
            VaultOptions::for_tests(),
        )
        .err()
        .unwrap()
    });
    assert!(matches!(err, StoreError::WrongPassphrase), "{err:?}");
    assert!(err.to_string().contains("密码不对"));
}

#[test]
fn unknown_member() {
    let dir = vault_dir();
    let err = assert_untouched(dir.path(), || {
        Vault::open(dir.path(), "路人甲", &pass(), VaultOptions::for_tests())
            .err()
            .unwrap()
    });
    match err {
        StoreError::UnknownMember { name, known } => {
            assert_eq!(name, "路人甲");
            assert!(known.contains("王书记") && known.contains("李主任"));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn not_a_vault_and_newer_format() {
    let empty = tempfile::tempdir().unwrap();
    assert!(matches!(open(empty.path()), Err(StoreError::NotAVault(_))));
    let dir = vault_dir();
    let meta = dir.path().join("vault.ron");
    let text = std::fs::read_to_string(&meta)
        .unwrap()
        .replace("format: 1", "format: 99");
    std::fs::write(&meta, text).unwrap();
    assert!(matches!(
        open(dir.path()),
        Err(StoreError::NewerFormat { found: 99, .. })
    ));
}

#[test]
fn truncated_at_every_length() {
    let dir = vault_dir();
    let path = live_file(dir.path(), &Collection::Points.stem());
    let full = std::fs::read(&path).unwrap();
    assert!(full.len() < 2000, "pick a small file: {}", full.len());
    for len in 0..full.len() {
        std::fs::write(&path, &full[..len]).unwrap();
        let err = assert_untouched(dir.path(), || open(dir.path()).err().unwrap());
        match &err {
            StoreError::Damaged { file, .. } => assert_eq!(file, &path, "length {len}"),
            other => panic!("length {len}: {other:?}"),
        }
        assert!(err.to_string().contains("sibai restore"));
    }
    std::fs::write(&path, &full).unwrap();
    open(dir.path()).unwrap();
}

#[test]
fn flipped_byte_in_header_and_payload() {
    let dir = vault_dir();
    let path = live_file(dir.path(), "problems");
    let full = std::fs::read(&path).unwrap();
    let header_end = full.windows(4).position(|w| w == b"\n---").unwrap();
    for at in [
        30,
        header_end - 5,
        header_end + 10,
        full.len() / 2 + header_end / 2,
        full.len() - 1,
    ] {
        let mut bad = full.clone();
        bad[at] ^= 0x01;
        std::fs::write(&path, &bad).unwrap();
        let err = assert_untouched(dir.path(), || open(dir.path()).err().unwrap());
        assert!(
            matches!(&err, StoreError::Damaged { file, .. } if *file == path)
                || matches!(&err, StoreError::NotThisVault(file) if *file == path),
            "byte {at}: {err:?}"
        );
    }
    std::fs::write(&path, &full).unwrap();
    open(dir.path()).unwrap();
}

#[test]
fn a_file_replaced_by_an_older_generation() {
    let dir = tempfile::tempdir().unwrap();
    let mut vault = make_vault(dir.path(), sample_ledger("第一版"));
    vault.problems_mut().problems[0].title = "第二版".into();
    vault.save().unwrap();
    drop(vault);
    let live = live_file(dir.path(), "problems");
    let old = dir.path().join("backups").join("problems.00000002.ron.age");
    std::fs::copy(&old, &live).unwrap();
    let err = assert_untouched(dir.path(), || open(dir.path()).err().unwrap());
    match err {
        StoreError::RolledBack {
            file,
            found,
            expected,
        } => {
            assert_eq!(file, live);
            // init saved generation 1, the fixture 2, the edit 3.
            assert_eq!((found, expected), (2, 3));
        }
        other => panic!("{other:?}"),
    }
    // The user may look at it and choose to keep it, or restore a generation.
    let opts = VaultOptions {
        tolerate_rollback: true,
        ..VaultOptions::for_tests()
    };
    let mut vault = Vault::open(dir.path(), "王书记", &pass(), opts).unwrap();
    assert_eq!(vault.warnings().len(), 1);
    vault.restore(Collection::Problems, 3).unwrap_err(); // generation 3 is live, not a backup
    vault.accept_current_files().unwrap();
    drop(vault);
    assert_eq!(
        open(dir.path()).unwrap().ledger().problems.problems[0].title,
        "第一版"
    );
}

#[test]
fn a_file_encrypted_by_someone_with_only_the_plaintext_parts() {
    let dir = vault_dir();
    // An outsider can read vault.ron but not the vault's key: they encrypt to a key of their own.
    let outsider = age::x25519::Identity::generate();
    let forged = "(header:(collection:\"problems\",generation:99,save_seq:99,saved_by:\"x\",saved_at:\"x\"),data:(problems:[]))";
    let ct = age::encrypt(&outsider.to_public(), forged.as_bytes()).unwrap();
    let path = live_file(dir.path(), "problems");
    std::fs::write(&path, ct).unwrap();
    let err = assert_untouched(dir.path(), || open(dir.path()).err().unwrap());
    assert!(
        matches!(&err, StoreError::NotThisVault(file) if *file == path),
        "{err:?}"
    );
    // Or with a passphrase they chose.
    let mut r = age::scrypt::Recipient::new(SecretString::from("x".to_owned()));
    r.set_work_factor(4);
    std::fs::write(&path, age::encrypt(&r, forged.as_bytes()).unwrap()).unwrap();
    let err = assert_untouched(dir.path(), || open(dir.path()).err().unwrap());
    assert!(
        matches!(&err, StoreError::Damaged { file, .. } | StoreError::NotThisVault(file) if *file == path),
        "{err:?}"
    );
}

#[test]
fn a_missing_file_is_reported() {
    let dir = vault_dir();
    let path = live_file(dir.path(), "projects");
    std::fs::remove_file(&path).unwrap();
    let err = open(dir.path()).err().unwrap();
    assert!(
        matches!(&err, StoreError::Damaged { file, .. } if *file == path),
        "{err:?}"
    );
}
