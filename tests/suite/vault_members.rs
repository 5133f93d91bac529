//! Members: add, change passphrase, recover, remove with rotation; and restoring backups.

use crate::fixtures::{make_vault, open, pass, sample_ledger};
use sibai::model::Collection;
use sibai::store::{NewMember, SecretString, StoreError, Unlocked, Vault, VaultOptions};

fn s(x: &str) -> SecretString {
    SecretString::from(x.to_owned())
}

#[test]
fn add_change_recover_and_remove_members() {
    let dir = tempfile::tempdir().unwrap();
    let (mut vault, recovery) = Vault::init(
        dir.path(),
        "测试居委会",
        &crate::fixtures::members(),
        VaultOptions::for_tests(),
    )
    .unwrap();
    vault.replace_ledger(sample_ledger("成员"));
    vault.save().unwrap();
    vault
        .add_member(&NewMember {
            name: "赵社工".into(),
            role: "社工".into(),
            passphrase: s("zhao pass"),
        })
        .unwrap();
    assert!(matches!(
        vault.add_member(&NewMember {
            name: "赵社工".into(),
            role: "社工".into(),
            passphrase: s("again!")
        }),
        Err(StoreError::MemberExists(_))
    ));
    assert!(matches!(
        vault.add_member(&NewMember {
            name: "钱".into(),
            role: "社工".into(),
            passphrase: s("x")
        }),
        Err(StoreError::WeakPassphrase(_))
    ));
    drop(vault);
    let opts = VaultOptions::for_tests;
    let mut zhao = Vault::open(dir.path(), "赵社工", &s("zhao pass"), opts()).unwrap();
    zhao.load_pending().unwrap();
    assert_eq!(zhao.ledger(), &sample_ledger("成员"));
    drop(zhao);

    // Change one's own passphrase: the old one stops working.
    let mut v = Vault::open(dir.path(), "李主任", &s("second one"), opts()).unwrap();
    v.set_member_passphrase("李主任", &s("brand new")).unwrap();
    drop(v);
    assert!(matches!(
        Vault::open(dir.path(), "李主任", &s("second one"), opts()),
        Err(StoreError::WrongPassphrase)
    ));
    drop(Vault::open(dir.path(), "李主任", &s("brand new"), opts()).unwrap());

    // A member forgot: unlock with the recovery passphrase and set a new one.
    assert!(Unlocked::with_recovery(dir.path(), &s("wrong"), opts()).is_err());
    // As copied from paper: lower case, spaces instead of dashes.
    let copied = {
        use sibai::store::ExposeSecret;
        recovery.0.expose_secret().to_lowercase().replace('-', " ")
    };
    assert!(Unlocked::with_recovery(dir.path(), &s(&copied), opts()).is_ok());
    let mut r = Unlocked::with_recovery(dir.path(), &recovery.0, opts())
        .unwrap()
        .load_all()
        .unwrap();
    r.set_member_passphrase("王书记", &s("reset by recovery"))
        .unwrap();
    drop(r);
    drop(Vault::open(dir.path(), "王书记", &s("reset by recovery"), opts()).unwrap());

    // Remove a member: the vault identity rotates and every file is re-encrypted.
    let ledger_file = crate::fixtures::live_file(dir.path(), "households-000");
    let before = std::fs::read(&ledger_file).unwrap();
    let zhao_key = dir.path().join("keys").join("m3.age");
    let zhao_key_bytes = std::fs::read(&zhao_key).unwrap();
    let zhao_grant = std::fs::read(dir.path().join("keys").join("m3.grant.age")).unwrap();
    let mut v = Vault::open(dir.path(), "王书记", &s("reset by recovery"), opts()).unwrap();
    v.remove_member("赵社工").unwrap();
    assert!(matches!(
        v.remove_member("赵社工"),
        Err(StoreError::UnknownMember { .. })
    ));
    drop(v);
    assert!(!zhao_key.exists());
    assert_ne!(std::fs::read(&ledger_file).unwrap(), before);
    assert!(matches!(
        Vault::open(dir.path(), "赵社工", &s("zhao pass"), opts()),
        Err(StoreError::UnknownMember { .. })
    ));
    // Even with the key files they kept, the removed member cannot read what is there now.
    std::fs::write(&zhao_key, zhao_key_bytes).unwrap();
    std::fs::write(dir.path().join("keys").join("m3.grant.age"), zhao_grant).unwrap();
    let real_meta = std::fs::read_to_string(dir.path().join("vault.ron")).unwrap();
    let meta = real_meta.replace(
        "members: [",
        "members: [(name: \"赵社工\", role: \"社工\", key_file: \"m3\"), ",
    );
    std::fs::write(dir.path().join("vault.ron"), meta).unwrap();
    let err = Vault::open(dir.path(), "赵社工", &s("zhao pass"), opts())
        .err()
        .unwrap();
    assert!(matches!(err, StoreError::NotThisVault(_)), "{err:?}");
    std::fs::write(dir.path().join("vault.ron"), real_meta).unwrap();
    // The others still open everything, backups included.
    let mut v = Vault::open(dir.path(), "李主任", &s("brand new"), opts()).unwrap();
    v.load_pending().unwrap();
    assert_eq!(v.ledger(), &sample_ledger("成员"));
    let other = Vault::open(dir.path(), "王书记", &s("reset by recovery"), opts()).unwrap();
    assert!(other.is_read_only(), "the first window holds the lock");
    drop(other);
    v.households_mut().households[0].note = "轮换后".into();
    v.save().unwrap();
    v.restore(Collection::Households(0), 1).unwrap();
    v.save().unwrap();
    assert_eq!(v.ledger().households.households[0].note, "成员");
    assert!(matches!(v.remove_member("李主任"), Ok(())));
    assert!(matches!(
        v.remove_member("王书记"),
        Err(StoreError::LastMember)
    ));
}

#[test]
fn backups_rotate_and_restore_any_generation() {
    let dir = tempfile::tempdir().unwrap();
    let mut vault = make_vault(dir.path(), sample_ledger("0"));
    for i in 1..=40 {
        vault.problems_mut().problems[0].title = i.to_string();
        vault.save().unwrap();
    }
    // Every save of the last day is kept (up to 50 a file).
    let backups = vault.backups(Collection::Problems);
    assert_eq!(backups.len(), 41);
    assert_eq!(backups[0].generation, 41, "the newest backup is kept");
    assert_eq!(vault.generation(Collection::Problems), 42);
    vault.restore(Collection::Problems, 25).unwrap();
    assert!(vault.has_unsaved());
    vault.save().unwrap();
    drop(vault);
    let back = open(dir.path()).unwrap();
    // Generation 2 held "0", generation k held k - 2.
    assert_eq!(back.ledger().problems.problems[0].title, "23");
    assert_eq!(back.generation(Collection::Problems), 43);
    drop(back);
    let mut v = open(dir.path()).unwrap();
    assert!(matches!(
        v.restore(Collection::Problems, 99),
        Err(StoreError::NoSuchBackup { .. })
    ));
    let _ = pass();
}

#[test]
fn saving_thins_old_backups_one_a_day_then_one_a_month_and_shows_their_size() {
    let dir = tempfile::tempdir().unwrap();
    let mut vault = make_vault(dir.path(), sample_ledger("0"));
    for i in 1..=60 {
        vault.problems_mut().problems[0].title = i.to_string();
        vault.save().unwrap();
    }
    let (bytes, files) = vault.backups_size();
    assert!(bytes > 0 && files > 60, "{bytes} bytes in {files} files");
    // As if generation g had been saved (61 - g) × 9 days ago: spread over a year and a half.
    let day = std::time::Duration::from_secs(24 * 3600);
    let now = std::time::SystemTime::now();
    for b in vault.backups(Collection::Problems) {
        let age = day * 9 * (61 - b.generation as u32);
        let f = std::fs::File::options().write(true).open(&b.path).unwrap();
        f.set_modified(now - age).unwrap();
    }
    vault.problems_mut().problems[0].title = "61".into();
    vault.save().unwrap();
    let kept = vault.backups(Collection::Problems);
    let generations: Vec<u64> = kept.iter().map(|b| b.generation).collect();
    // The newest ten whatever their age, then one a day (none: saves are 9 days apart) for a
    // month, one a month for a year, nothing older.
    assert!(
        generations.starts_with(&[62, 61, 60, 59, 58, 57, 56, 55, 54, 53]),
        "{generations:?}"
    );
    let older: Vec<u64> = generations[10..].to_vec();
    assert!(!older.is_empty() && older.len() <= 13, "{generations:?}");
    for g in &older {
        let age_days = 9 * (61 - g);
        assert!(age_days < 366, "generation {g}, {age_days} days old, kept");
    }
    assert!(vault.backups_size().1 < files);
    // Whatever was thinned, the kept ones restore.
    let g = *older.last().unwrap();
    vault.restore(Collection::Problems, g).unwrap();
    vault.save().unwrap();
}

#[test]
fn the_clock_thinning_reads_is_the_vaults_own() {
    fn in_two_years() -> std::time::SystemTime {
        std::time::SystemTime::now() + std::time::Duration::from_secs(730 * 24 * 3600)
    }
    let dir = tempfile::tempdir().unwrap();
    let options = sibai::store::VaultOptions {
        clock: in_two_years,
        ..sibai::store::VaultOptions::for_tests()
    };
    let (mut vault, _) = sibai::store::Vault::init(
        dir.path(),
        "测试居委会",
        &crate::fixtures::members(),
        options,
    )
    .unwrap();
    vault.replace_ledger(sample_ledger("0"));
    vault.save().unwrap();
    for i in 1..=25 {
        vault.problems_mut().problems[0].title = i.to_string();
        vault.save().unwrap();
    }
    // Seen from two years on, every backup is older than a year: only the newest ten stay.
    let kept: Vec<u64> = vault
        .backups(Collection::Problems)
        .iter()
        .map(|b| b.generation)
        .collect();
    assert_eq!(kept, (17..=26).rev().collect::<Vec<u64>>());
}
