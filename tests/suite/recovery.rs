//! Recovery when it is needed: a file read at open is damaged (flipped, truncated, deleted),
//! the vault will not open, and restoring works without opening it: by the library, by
//! `sibai restore`, and (in `app.rs`) by the unlock screen's button. Key files: damage is told
//! from a wrong passphrase; a key too costly for the memory free is refused in Chinese.

use crate::fixtures::{copy_dir, live_file, make_vault, open, pass, sample_ledger, sibai, text};
use sibai::model::Ledger;
use sibai::store::{Place, StoreError, Unlocked, VaultOptions};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A vault with four saves of the ledger, each changing every collection. Returns the ledger
/// as each save left it, oldest first (the init's empty save not included).
fn history(dir: &Path) -> Vec<Ledger> {
    let mut vault = make_vault(dir, sample_ledger("一"));
    let mut saved = vec![vault.ledger().clone()];
    for s in ["二", "三", "四"] {
        vault.replace_ledger(sample_ledger(s));
        vault.save().unwrap();
        saved.push(vault.ledger().clone());
    }
    saved
}

#[derive(Debug, Clone, Copy)]
enum Damage {
    Flip,
    Truncate,
    Delete,
}

fn damage(path: &Path, how: Damage) {
    let mut bytes = std::fs::read(path).unwrap();
    match how {
        Damage::Flip => {
            let at = bytes.len() / 2;
            bytes[at] ^= 0x40;
            std::fs::write(path, bytes).unwrap();
        }
        Damage::Truncate => std::fs::write(path, &bytes[..bytes.len() / 3]).unwrap(),
        Damage::Delete => std::fs::remove_file(path).unwrap(),
    }
}

fn unlocked(dir: &Path) -> Unlocked {
    Unlocked::with_passphrase(dir, "王书记", &pass(), VaultOptions::for_tests()).unwrap()
}

/// Every file under `dir` (recursively) named `name`.
fn find_named(dir: &Path, name: &std::ffi::OsStr) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.file_name() == Some(name) {
                out.push(p);
            }
        }
    }
    out
}

#[test]
fn each_file_read_at_open_damaged_is_restored_to_the_newest_whole_save() {
    let year = 2026;
    let targets: Vec<String> = vec![
        "manifest".into(),
        "committee".into(),
        "households-000".into(),
        "problems".into(),
        format!("visits-{year}"),
    ];
    for target in &targets {
        for how in [Damage::Flip, Damage::Truncate, Damage::Delete] {
            let case = format!("{target} {how:?}");
            let dir = tempfile::tempdir().unwrap();
            let saved = history(dir.path());
            let path = if target == "manifest" {
                dir.path().join("ledger/manifest.ron.age")
            } else {
                live_file(dir.path(), target)
            };
            damage(&path, how);

            // It will not open, and the message names what fixes it.
            let err = open(dir.path())
                .err()
                .unwrap_or_else(|| panic!("{case}: opened"));
            let message = err.to_string();
            assert!(
                message.contains("从备份恢复") && message.contains("sibai restore"),
                "{case}: {message}"
            );

            // Restore without opening: the newest whole state is the save before the last
            // (saves: 1 the new vault, 2–5 the four ledgers).
            let key = unlocked(dir.path());
            let survey = key.survey().unwrap();
            let proposed = survey
                .proposed()
                .unwrap_or_else(|| panic!("{case}: no proposal"));
            let newest = survey
                .states
                .iter()
                .filter_map(|s| s.save_seq)
                .max()
                .unwrap();
            assert_eq!(proposed.save_seq, Some(4), "{case}: {survey:#?}");
            assert!(newest <= 5);
            assert!(proposed.is_consistent());
            // The damaged state is listed, with why it cannot be used.
            let live = survey.states.iter().find(|s| s.place == Place::Live);
            if let Some(live) = live {
                assert!(!live.is_consistent(), "{case}");
                assert!(!live.problems.is_empty(), "{case}");
            }
            let named = proposed.generations.clone();
            let report = key
                .restore_state(&survey, survey.proposal.unwrap())
                .unwrap();
            assert_eq!(report.save_seq, 4, "{case}");
            // Backups newer than the state restored were moved aside (the saves that follow
            // reuse their numbers); none is left to be overwritten.
            for e in std::fs::read_dir(dir.path().join("backups"))
                .unwrap()
                .flatten()
            {
                let name = e.file_name().to_string_lossy().into_owned();
                if !name.ends_with(".ron.age") {
                    continue;
                }
                let (stem, rest) = name.split_once('.').unwrap();
                let generation: u64 = rest.split('.').next().unwrap().parse().unwrap();
                let newest = if stem == "manifest" { 3 } else { named[stem] };
                assert!(generation <= newest, "{case}: {name} left in backups/");
            }

            // It opens, holding the ledger as the third save left it.
            let mut vault = open(dir.path()).unwrap_or_else(|e| panic!("{case}: {e}"));
            assert!(
                vault.warnings().is_empty(),
                "{case}: {:?}",
                vault.warnings()
            );
            assert!(
                *vault.ledger() == saved[2],
                "{case}: not the third save's ledger"
            );
            // Nothing was deleted: the damaged file is kept aside.
            if !matches!(how, Damage::Delete) {
                let name = path.file_name().unwrap();
                let kept = find_named(&report.aside, name);
                assert!(
                    !kept.is_empty(),
                    "{case}: the damaged file was not kept aside"
                );
            }
            assert!(report.aside.starts_with(dir.path().join("replaced")));
            // And the ledger moves on: a save after the restore, then a clean reopen.
            vault.replace_ledger(sample_ledger("五"));
            vault.save().unwrap();
            let expected = vault.ledger().clone();
            drop(vault);
            let again = open(dir.path()).unwrap_or_else(|e| panic!("{case}: {e}"));
            assert!(
                *again.ledger() == expected,
                "{case}: the save after the restore"
            );
        }
    }
}

#[test]
fn a_restore_killed_between_its_two_renames_is_finished_at_the_next_open() {
    let dir = tempfile::tempdir().unwrap();
    let saved = history(dir.path());
    damage(&live_file(dir.path(), "problems"), Damage::Flip);
    let key = unlocked(dir.path());
    let survey = key.survey().unwrap();
    key.restore_state(&survey, survey.proposal.unwrap())
        .unwrap();
    // As if killed after the old ledger folder was moved aside: the new one not yet in place.
    std::fs::rename(
        dir.path().join("ledger"),
        dir.path().join("ledger.restoring"),
    )
    .unwrap();
    let vault = open(dir.path()).unwrap();
    assert!(*vault.ledger() == saved[2]);
    assert!(dir.path().join("ledger").is_dir());
    assert!(!dir.path().join("ledger.restoring").exists());
}

#[test]
fn when_no_save_is_whole_nothing_is_restored_and_it_says_so() {
    let dir = tempfile::tempdir().unwrap();
    history(dir.path());
    // Every copy of the committee, live and backed up.
    for folder in ["ledger", "backups"] {
        for e in std::fs::read_dir(dir.path().join(folder))
            .unwrap()
            .flatten()
        {
            if e.file_name().to_string_lossy().starts_with("committee.") {
                damage(&e.path(), Damage::Flip);
            }
        }
    }
    let key = unlocked(dir.path());
    let survey = key.survey().unwrap();
    assert!(survey.proposal.is_none());
    assert!(survey.states.iter().all(|s| !s.problems.is_empty()));
    let err = key.restore_state(&survey, 0).unwrap_err();
    assert!(matches!(err, StoreError::NothingToRestore), "{err:?}");
    assert!(err.to_string().contains("没有找到可以恢复的完好保存"));
}

#[test]
fn a_whole_older_manifest_with_its_files_does_not_open_newer_than_it_is_silently() {
    // Copy an older manifest over the live one, together with the generations it names
    // (from the backups): the live ledger folder still holds the newer generations.
    let dir = tempfile::tempdir().unwrap();
    history(dir.path());
    let ledger = dir.path().join("ledger");
    let backups = dir.path().join("backups");
    std::fs::copy(
        backups.join("manifest.00000003.ron.age"),
        ledger.join("manifest.ron.age"),
    )
    .unwrap();
    let err = open(dir.path()).err().unwrap();
    assert!(matches!(err, StoreError::RolledBack { .. }), "{err:?}");
    assert!(err.to_string().contains("从备份恢复"), "{err}");
}

#[test]
fn sibai_restore_lists_proposes_and_applies_on_a_vault_that_will_not_open() {
    let dir = tempfile::tempdir().unwrap();
    let saved = history(dir.path());
    damage(&live_file(dir.path(), "households-000"), Damage::Truncate);
    let ds = dir.path().to_str().unwrap();
    let env = [("SIBAI_PASSPHRASE", crate::fixtures::PASS)];
    let check = sibai(&["check", ds], &env);
    assert!(!check.status.success());
    assert!(text(&check).contains("sibai restore"), "{}", text(&check));

    let listing = sibai(&["restore", ds], &env);
    let out = text(&listing);
    assert!(listing.status.success(), "{out}");
    assert!(out.contains("各次保存"), "{out}");
    assert!(out.contains("第 5 次保存"), "{out}");
    assert!(out.contains("不能用"), "{out}");
    assert!(out.contains("建议恢复到第 4 次保存"), "{out}");
    assert!(out.contains("内容被截断或被改动"), "{out}");
    // Listing writes nothing.
    assert!(!dir.path().join("replaced").exists());

    let applied = sibai(&["restore", "--apply", ds], &env);
    let out = text(&applied);
    assert!(applied.status.success(), "{out}");
    assert!(out.contains("已恢复到第 4 次保存"), "{out}");
    assert!(out.contains("没有删除任何文件"), "{out}");
    let check = sibai(&["check", ds], &env);
    assert!(check.status.success(), "{}", text(&check));
    assert!(*open(dir.path()).unwrap().ledger() == saved[2]);
    // Listing again: the live state is whole.
    let listing = sibai(&["restore", ds], &env);
    assert!(
        text(&listing).contains("当前台账完好，不需要恢复"),
        "{}",
        text(&listing)
    );
}

#[test]
fn a_damaged_key_file_is_reported_as_damage_not_as_a_wrong_passphrase() {
    let dir = tempfile::tempdir().unwrap();
    history(dir.path());
    let key = dir.path().join("keys/m1.age");
    // A byte inside the wrapped key (its header and stanza): age alone calls this a wrong
    // passphrase.
    for at in [40usize, 70] {
        let mut bytes = std::fs::read(&key).unwrap();
        let original = bytes.clone();
        bytes[at] ^= 0x01;
        std::fs::write(&key, &bytes).unwrap();
        let err = open(dir.path()).err().unwrap();
        assert!(
            matches!(err, StoreError::MemberKeyDamaged { .. }),
            "byte {at}: {err:?}"
        );
        let message = err.to_string();
        assert!(
            message.contains("已损坏") && !message.contains("密码不对"),
            "{message}"
        );
        assert!(
            message.contains("sibai members passwd 王书记 --recovery"),
            "{message}"
        );
        std::fs::write(&key, original).unwrap();
    }
    // The grant file (the vault key, encrypted to the member's own key) likewise.
    let grant = dir.path().join("keys/m1.grant.age");
    let original = std::fs::read(&grant).unwrap();
    let mut bytes = original.clone();
    let at = bytes.len() - 10;
    bytes[at] ^= 0x01;
    std::fs::write(&grant, &bytes).unwrap();
    let err = open(dir.path()).err().unwrap();
    assert!(
        matches!(err, StoreError::MemberKeyDamaged { .. }),
        "{err:?}"
    );
    std::fs::write(&grant, original).unwrap();
    // `check` looks at every member's key files, not only the one it unlocks with, and at
    // keys/recipients.age.
    for (file, says) in [
        ("keys/m2.age", "m2.age"),
        ("keys/recovery.grant.age", "recovery.grant.age"),
        ("keys/recipients.age", "recipients.age"),
    ] {
        let path = dir.path().join(file);
        let original = std::fs::read(&path).unwrap();
        let mut bytes = original.clone();
        let at = bytes.len() / 2;
        bytes[at] ^= 0x01;
        std::fs::write(&path, &bytes).unwrap();
        let out = sibai(
            &["check", dir.path().to_str().unwrap()],
            &[("SIBAI_PASSPHRASE", crate::fixtures::PASS)],
        );
        let said = text(&out);
        assert!(!out.status.success(), "{file}: {said}");
        assert!(
            said.contains("密钥文件") && said.contains(says),
            "{file}: {said}"
        );
        std::fs::write(&path, original).unwrap();
    }
    let out = sibai(
        &["check", dir.path().to_str().unwrap()],
        &[("SIBAI_PASSPHRASE", crate::fixtures::PASS)],
    );
    assert!(text(&out).contains("密钥文件：全部完好"), "{}", text(&out));
    // A wrong passphrase is still a wrong passphrase.
    let err = Unlocked::with_passphrase(
        dir.path(),
        "王书记",
        &sibai::store::SecretString::from("nope".to_owned()),
        VaultOptions::for_tests(),
    )
    .err()
    .unwrap();
    assert!(matches!(err, StoreError::WrongPassphrase), "{err:?}");
}

#[test]
fn a_key_too_costly_for_the_memory_free_is_refused_in_chinese_not_aborted() {
    if Command::new("prlimit").arg("--version").output().is_err() {
        assert!(std::env::var_os("CI").is_none(), "prlimit is missing");
        eprintln!("跳过：没有 prlimit");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    history(dir.path());
    // The key file says 2^22 (4 GiB of scrypt); its recorded digest follows, so that it reads
    // as a genuine key made on a PC with more memory.
    let key = dir.path().join("keys/m1.age");
    let bytes = std::fs::read(&key).unwrap();
    let mut lines: Vec<Vec<u8>> = bytes.split(|&b| b == b'\n').map(<[u8]>::to_vec).collect();
    let mut parts: Vec<Vec<u8>> = lines[1].split(|&b| b == b' ').map(<[u8]>::to_vec).collect();
    *parts.last_mut().unwrap() = b"22".to_vec();
    lines[1] = parts.join(&b' ');
    let costly = lines.join(&b'\n');
    std::fs::write(&key, &costly).unwrap();
    let meta_path = dir.path().join("vault.ron");
    let meta = std::fs::read_to_string(&meta_path).unwrap();
    let old = {
        use sha2::Digest;
        let d = sha2::Sha256::digest(&bytes);
        d.iter().map(|b| format!("{b:02x}")).collect::<String>()
    };
    let new = {
        use sha2::Digest;
        let d = sha2::Sha256::digest(&costly);
        d.iter().map(|b| format!("{b:02x}")).collect::<String>()
    };
    assert!(meta.contains(&old));
    std::fs::write(&meta_path, meta.replace(&old, &new)).unwrap();

    let out = Command::new("prlimit")
        .arg("--as=1500000000")
        .arg(env!("CARGO_BIN_EXE_sibai"))
        .args(["check", dir.path().to_str().unwrap()])
        .env("SIBAI_PASSPHRASE", crate::fixtures::PASS)
        .env_remove("SIBAI_MEMBER")
        .output()
        .unwrap();
    let said = text(&out);
    assert_eq!(out.status.code(), Some(1), "{said}");
    assert!(said.contains("2^22") && said.contains("内存"), "{said}");
    assert!(!said.contains("memory allocation"), "{said}");
}

/// Runs `sibai check DIR` as a user who cannot write `dir` (the current one, or `nobody`
/// when the tests run as root, for whom permissions do not apply).
fn check_as_reader(dir: &Path, root: bool) -> Output {
    let bin = env!("CARGO_BIN_EXE_sibai");
    let mut cmd = if root {
        let mut c = Command::new("setpriv");
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups", bin]);
        c
    } else {
        Command::new(bin)
    };
    cmd.args(["check", dir.to_str().unwrap()])
        .env("SIBAI_PASSPHRASE", crate::fixtures::PASS)
        .env_remove("SIBAI_MEMBER")
        .output()
        .unwrap()
}

fn chmod(args: &[&str], dir: &Path) {
    let status = Command::new("chmod").args(args).arg(dir).status().unwrap();
    assert!(status.success());
}

#[test]
fn a_folder_that_cannot_be_written_opens_for_viewing_and_says_why() {
    let root = Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0");
    if root && Command::new("setpriv").arg("--version").output().is_err() {
        assert!(std::env::var_os("CI").is_none(), "setpriv is missing");
        eprintln!("跳过：以 root 运行且没有 setpriv");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let saved = history(dir.path());
    // No lock file yet: opening for viewing must not need one.
    std::fs::remove_file(dir.path().join(".lock")).ok();
    chmod(&["-R", "a+rX"], dir.path());
    chmod(&["-R", "a-w"], dir.path());
    let before = crate::fixtures::snapshot(dir.path());
    let out = check_as_reader(dir.path(), root);
    let said = text(&out);
    chmod(&["-R", "u+w"], dir.path());
    assert!(out.status.success(), "{said}");
    assert!(
        said.contains("不能写入") && said.contains("只能查看"),
        "{said}"
    );
    assert!(said.contains("测试居委会"), "{said}");
    assert_eq!(
        crate::fixtures::snapshot(dir.path()),
        before,
        "viewing wrote something"
    );

    // A read-only bind mount, where this machine lets the test make one.
    let mnt = tempfile::tempdir().unwrap();
    let script = format!(
        "mount --bind -o ro '{}' '{}' && SIBAI_PASSPHRASE='{}' '{}' check '{}'",
        dir.path().display(),
        mnt.path().display(),
        crate::fixtures::PASS,
        env!("CARGO_BIN_EXE_sibai"),
        mnt.path().display()
    );
    match Command::new("unshare")
        .args(["-m", "sh", "-c", &script])
        .output()
    {
        Ok(out)
            if String::from_utf8_lossy(&out.stderr).contains("mount:")
                || String::from_utf8_lossy(&out.stderr).contains("unshare:") =>
        {
            eprintln!("跳过只读挂载：{}", text(&out));
        }
        Ok(out) => {
            let said = text(&out);
            assert!(out.status.success(), "{said}");
            assert!(said.contains("不能写入"), "{said}");
        }
        Err(e) => eprintln!("跳过只读挂载：{e}"),
    }
    // And the library says so to the app: viewing works, saving is refused with the reason.
    chmod(&["-R", "a-w"], dir.path());
    if !root {
        let mut vault = open(dir.path()).unwrap();
        assert!(vault.is_read_only());
        assert!(*vault.ledger() == saved[3]);
        assert!(vault.read_only_reason().unwrap().contains("不能写入"));
        vault.replace_ledger(sample_ledger("五"));
        let err = vault.save().unwrap_err();
        assert!(matches!(err, StoreError::ReadOnlyMedia(_)), "{err:?}");
    }
    chmod(&["-R", "u+w"], dir.path());
}

#[test]
fn a_whole_folder_put_back_to_an_old_copy_is_noticed_once() {
    let dir = tempfile::tempdir().unwrap();
    let mut vault = make_vault(dir.path(), sample_ledger("一"));
    vault.replace_ledger(sample_ledger("二"));
    vault.save().unwrap();
    drop(vault);
    // A copy taken at the third save (say, on a USB stick) …
    let old = tempfile::tempdir().unwrap();
    copy_dir(dir.path(), old.path());
    // … two more saves …
    let mut vault = open(dir.path()).unwrap();
    for s in ["三", "四"] {
        vault.replace_ledger(sample_ledger(s));
        vault.save().unwrap();
    }
    drop(vault);
    // … and the whole folder put back to the copy: every file agrees with every other.
    std::fs::remove_dir_all(dir.path()).unwrap();
    copy_dir(old.path(), dir.path());
    let vault = open(dir.path()).unwrap();
    let said = vault.warnings().join("\n");
    assert!(
        said.contains("第 3 次保存") && said.contains("第 5 次保存"),
        "{said}"
    );
    assert!(
        said.contains("旧的副本") && said.contains("U盘备份"),
        "{said}"
    );
    assert!(!vault.newer_save_in_backups());
    drop(vault);
    // Told once.
    assert!(open(dir.path()).unwrap().warnings().is_empty());
}

#[test]
fn an_old_manifest_with_its_own_files_warns_and_restores_forward() {
    let dir = tempfile::tempdir().unwrap();
    let saved = history(dir.path());
    // Saves 1–5 made; put back the manifest of save 3 and exactly the files it names, so that
    // nothing in ledger/ is newer than it says.
    crate::fixtures::put_back_save(dir.path(), &unlocked(dir.path()), 3);
    let vault = open(dir.path()).unwrap();
    assert!(*vault.ledger() == saved[1], "it is the third save");
    let said = vault.warnings().join("\n");
    assert!(
        said.contains("第 3 次保存") && said.contains("第 5 次保存"),
        "{said}"
    );
    assert!(said.contains("从备份恢复"), "{said}");
    assert!(vault.newer_save_in_backups());
    let key = vault.key();
    drop(vault);
    // Forward: the newest whole save the backups hold is the fourth.
    let survey = key.survey().unwrap();
    let proposed = survey.proposed().unwrap();
    assert_eq!(proposed.save_seq, Some(4));
    key.restore_state(&survey, survey.proposal.unwrap())
        .unwrap();
    let vault = open(dir.path()).unwrap();
    assert!(*vault.ledger() == saved[2], "the fourth save");
    assert!(vault.warnings().is_empty(), "{:?}", vault.warnings());
}

#[test]
fn a_usb_backup_restores_onto_an_empty_folder_with_the_recovery_passphrase() {
    let dir = tempfile::tempdir().unwrap();
    let (mut vault, recovery) = sibai::store::Vault::init(
        dir.path(),
        "测试居委会",
        &crate::fixtures::members(),
        VaultOptions::for_tests(),
    )
    .unwrap();
    vault.replace_ledger(sample_ledger("一"));
    vault.save().unwrap();
    // An edit not yet saved goes into the backup too.
    vault.replace_ledger(sample_ledger("二"));
    assert!(vault.last_archive().is_none());
    let usb = tempfile::tempdir().unwrap();
    let report = vault.write_archive(usb.path()).unwrap();
    assert!(!vault.has_unsaved());
    assert!(
        vault.last_archive().is_some(),
        "the reminder's date is kept"
    );
    assert!(report.path.starts_with(usb.path()) && report.bytes > 0);
    let expected = vault.ledger().clone();
    drop(vault);
    // Nothing personal in the clear: not a name, not an ID number.
    let bytes = std::fs::read(&report.path).unwrap();
    let person = &expected.households.households[0].members[0];
    for secret in [
        person.name.as_str(),
        person.id_number.as_ref().unwrap().as_str(),
    ] {
        assert!(
            !bytes.windows(secret.len()).any(|w| w == secret.as_bytes()),
            "{secret} in the clear"
        );
    }

    // A new PC: an empty folder, the recovery passphrase from paper.
    let new_pc = tempfile::tempdir().unwrap();
    let into = new_pc.path().join("台账");
    let restored =
        sibai::store::restore_archive(&report.path, &into, &recovery.0, VaultOptions::for_tests())
            .unwrap();
    assert!(*restored.ledger() == expected);
    drop(restored);
    // The members' own passphrases open it too.
    assert!(*open(&into).unwrap().ledger() == expected);
    // Not over a folder that holds something, and not with a wrong recovery passphrase.
    let err =
        sibai::store::restore_archive(&report.path, &into, &recovery.0, VaultOptions::for_tests())
            .err()
            .unwrap();
    assert!(matches!(err, StoreError::NotEmpty(_)), "{err:?}");
    let other = new_pc.path().join("另一个");
    let err = sibai::store::restore_archive(
        &report.path,
        &other,
        &sibai::store::SecretString::from("AAAAA-BBBBB".to_owned()),
        VaultOptions::for_tests(),
    )
    .err()
    .unwrap();
    assert!(matches!(err, StoreError::WrongPassphrase), "{err:?}");
    assert!(!other.exists(), "a failed restore leaves nothing behind");
    // A damaged backup says so.
    let mut cut = bytes.clone();
    cut.truncate(bytes.len() / 2);
    let damaged = usb.path().join("坏的.zip");
    std::fs::write(&damaged, cut).unwrap();
    let err = sibai::store::restore_archive(
        &damaged,
        &new_pc.path().join("第三个"),
        &recovery.0,
        VaultOptions::for_tests(),
    )
    .err()
    .unwrap();
    assert!(err.to_string().contains("备份文件格式不对"), "{err}");
}

#[test]
fn a_damaged_or_missing_vault_ron_is_repaired_from_its_copy() {
    for how in [Damage::Flip, Damage::Truncate, Damage::Delete] {
        let dir = tempfile::tempdir().unwrap();
        let saved = history(dir.path());
        let meta = dir.path().join("vault.ron");
        let original = std::fs::read(&meta).unwrap();
        assert_eq!(
            std::fs::read(dir.path().join("backups/vault.ron")).unwrap(),
            original
        );
        match how {
            // A flipped byte that breaks the RON: the opening parenthesis.
            Damage::Flip => {
                let mut bytes = original.clone();
                bytes[0] ^= 0x40;
                std::fs::write(&meta, bytes).unwrap();
            }
            other => damage(&meta, other),
        }
        let vault = open(dir.path()).unwrap_or_else(|e| panic!("{how:?}: {e}"));
        assert!(*vault.ledger() == saved[3], "{how:?}");
        assert!(
            vault
                .warnings()
                .iter()
                .any(|w| w.contains("已用 backups 中的副本修复")),
            "{how:?}: {:?}",
            vault.warnings()
        );
        drop(vault);
        assert_eq!(std::fs::read(&meta).unwrap(), original, "{how:?}: repaired");
        assert!(open(dir.path()).unwrap().warnings().is_empty());
    }
    // With no copy either (a vault older than the copy), the message says what does help.
    let dir = tempfile::tempdir().unwrap();
    history(dir.path());
    std::fs::remove_file(dir.path().join("backups/vault.ron")).unwrap();
    std::fs::write(dir.path().join("vault.ron"), "(format: 1, committ").unwrap();
    let err = open(dir.path()).err().unwrap();
    assert!(matches!(err, StoreError::MetaDamaged { .. }), "{err:?}");
    assert!(err.to_string().contains("--from-backup"), "{err}");
}

#[test]
fn on_another_pc_an_old_ledger_folder_is_told_by_the_members_own_last_save() {
    let dir = tempfile::tempdir().unwrap();
    let mut vault = make_vault(dir.path(), sample_ledger("一"));
    vault.replace_ledger(sample_ledger("二"));
    vault.save().unwrap();
    drop(vault);
    let old_ledger = tempfile::tempdir().unwrap();
    copy_dir(&dir.path().join("ledger"), old_ledger.path());
    let mut vault = open(dir.path()).unwrap();
    for s in ["三", "四"] {
        vault.replace_ledger(sample_ledger(s));
        vault.save().unwrap();
    }
    drop(vault);
    // The ledger folder (only it) put back to the copy of save 3; opened on a PC that has
    // never seen this vault.
    std::fs::remove_dir_all(dir.path().join("ledger")).unwrap();
    copy_dir(old_ledger.path(), &dir.path().join("ledger"));
    let other_pc = tempfile::tempdir().unwrap();
    let options = VaultOptions {
        state_dir: Some(other_pc.path().to_path_buf()),
        ..VaultOptions::for_tests()
    };
    let vault = Unlocked::with_passphrase(dir.path(), "王书记", &pass(), options)
        .unwrap()
        .load_all()
        .unwrap();
    let said = vault.warnings().join("\n");
    assert!(
        said.contains("“王书记”") && said.contains("保存过第 5 次"),
        "{said}"
    );
    assert!(said.contains("第 3 次保存"), "{said}");
    assert!(
        vault.newer_save_in_backups(),
        "the fourth save is in the backups"
    );
}
