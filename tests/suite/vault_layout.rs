//! How the ledger is laid out in files: households in small files so an edit rewrites little,
//! what the home screen does not need read later, and the manifest as the one step that commits
//! a save.

use crate::fixtures::{live_file, make_vault, open, pass, sample_ledger, snapshot};
use chrono::Datelike;
use sibai::model::{Collection, HouseholdId, Ledger, home_first};
use sibai::store::{LoadScope, StoreError, Unlocked, VaultOptions};

/// The sample ledger with 1,200 households (ids 1..=1200) and visits of three years.
fn bigger_ledger() -> (Ledger, i32) {
    let mut ledger = sample_ledger("多");
    let first = ledger.households.households[0].clone();
    for id in 2..=1200 {
        let mut h = first.clone();
        h.id = HouseholdId(id);
        h.room = format!("{id}");
        ledger.households.households.push(h);
    }
    let this_year = chrono::Local::now().year();
    let visit = ledger.visits.values().next().unwrap()[0].clone();
    ledger.visits.clear();
    for year in [this_year - 3, this_year - 2, this_year] {
        let mut v = visit.clone();
        v.id.year = year;
        v.reason = format!("{year}年的走访");
        ledger.visits.insert(year, vec![v]);
    }
    (ledger, this_year)
}

#[test]
fn one_household_edit_rewrites_only_its_file() {
    let dir = tempfile::tempdir().unwrap();
    let (ledger, _) = bigger_ledger();
    let mut vault = make_vault(dir.path(), ledger);
    assert_eq!(vault.generation(Collection::Households(2)), 1);
    vault.household_mut(HouseholdId(700)).unwrap().note = "七百号".into();
    let report = vault.save().unwrap();
    assert_eq!(report.written, vec![Collection::Households(1)]);
    let mut added = vault.ledger().households.households[0].clone();
    added.id = vault.ledger().households.next_household_id();
    vault.add_household(added);
    assert_eq!(vault.unsaved(), vec![Collection::Households(2)]);
    vault.save().unwrap();
    drop(vault);
    let back = open(dir.path()).unwrap();
    let all = &back.ledger().households.households;
    assert_eq!(all.len(), 1201);
    assert!(
        all.windows(2).all(|w| w[0].id < w[1].id),
        "kept in id order"
    );
    assert_eq!(
        back.ledger()
            .households
            .household(HouseholdId(700))
            .unwrap()
            .note,
        "七百号"
    );
    assert_eq!(back.generation(Collection::Households(0)), 1);
    assert_eq!(back.generation(Collection::Households(1)), 2);
}

#[test]
fn earlier_years_are_read_after_the_start() {
    let dir = tempfile::tempdir().unwrap();
    let (ledger, this_year) = bigger_ledger();
    drop(make_vault(dir.path(), ledger.clone()));
    let old = Collection::Visits(this_year - 3);
    // Opened as the app opens it: what its home screen needs first (model::home_first).
    let mut vault =
        Unlocked::with_passphrase(dir.path(), "王书记", &pass(), VaultOptions::for_tests())
            .unwrap()
            .load_scope(LoadScope::First(Box::new(move |on_disk| {
                home_first(on_disk, this_year)
            })))
            .unwrap();
    // The home screen's needs are read; projects, funds, the desk and earlier years wait.
    let unloaded = vault.unloaded();
    for later in [
        old,
        Collection::Visits(this_year - 2),
        Collection::Desk,
        Collection::Projects,
        Collection::Points,
    ] {
        assert!(unloaded.contains(&later), "{later:?} read at start");
    }
    for now in [
        Collection::Committee,
        Collection::Buildings,
        Collection::Households(0),
        Collection::Households(2),
        Collection::Visits(this_year),
        Collection::Problems,
    ] {
        assert!(!unloaded.contains(&now), "{now:?} not read at start");
    }
    assert!(!vault.ledger().visits.contains_key(&(this_year - 3)));
    assert!(vault.ledger().visits.contains_key(&this_year));
    // Saving other edits never touches a year that was not read.
    vault.problems_mut().problems[0].title = "改".into();
    assert_eq!(vault.save().unwrap().written, vec![Collection::Problems]);
    assert_eq!(vault.generation(old), 1);
    // Editing an earlier year (or anything not read yet) reads it first.
    vault.visits_mut(this_year - 3).unwrap()[0].note = "补记".into();
    vault.desk_mut().unwrap().receptions[0].answer = "已答复".into();
    assert!(!vault.unloaded().contains(&Collection::Desk));
    assert!(!vault.unloaded().contains(&old));
    vault.save().unwrap();
    // The rest is read on another thread while the app is in use.
    let pending = vault.pending_load();
    assert!(
        pending
            .collections()
            .contains(&Collection::Visits(this_year - 2))
    );
    assert!(!pending.collections().contains(&old));
    let loaded = std::thread::spawn(move || pending.load())
        .join()
        .unwrap()
        .unwrap();
    vault.install_loaded(loaded);
    assert!(vault.unloaded().is_empty());
    let mut expected = ledger;
    expected.problems.problems[0].title = "改".into();
    expected.visits.get_mut(&(this_year - 3)).unwrap()[0].note = "补记".into();
    expected.desk.receptions[0].answer = "已答复".into();
    assert_eq!(vault.ledger(), &expected);
    drop(vault);
    assert_eq!(open(dir.path()).unwrap().ledger(), &expected);
}

#[test]
fn a_manifest_put_back_to_an_older_copy_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let mut vault = make_vault(dir.path(), sample_ledger("一"));
    vault.problems_mut().problems[0].title = "二".into();
    vault.save().unwrap();
    drop(vault);
    let manifest = dir.path().join("ledger").join("manifest.ron.age");
    let mut older: Vec<_> = std::fs::read_dir(dir.path().join("backups"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("manifest.")
        })
        .collect();
    older.sort();
    std::fs::copy(older.last().unwrap(), &manifest).unwrap();
    let before = snapshot(dir.path());
    let err = open(dir.path()).err().unwrap();
    assert_eq!(snapshot(dir.path()), before);
    match err {
        StoreError::RolledBack { file, .. } => assert_eq!(file, manifest),
        other => panic!("{other:?}"),
    }
}

#[test]
fn leftovers_of_a_save_that_never_committed_are_ignored_then_tidied() {
    let dir = tempfile::tempdir().unwrap();
    let vault = make_vault(dir.path(), sample_ledger("旧"));
    let live = live_file(dir.path(), "problems");
    let generation = vault.generation(Collection::Problems);
    drop(vault);
    // A crash after the new files were written, before the manifest: a newer file no manifest
    // names, a temp file, and a file of a collection the manifest never heard of.
    let ledger_dir = dir.path().join("ledger");
    let orphan = ledger_dir.join(format!("problems.{:08}.ron.age", generation + 1));
    std::fs::write(&orphan, b"half written").unwrap();
    let tmp = ledger_dir.join(".problems.00000009.ron.age.tmp-12345");
    std::fs::write(&tmp, b"half written").unwrap();
    let stray = ledger_dir.join("visits-1999.00000001.ron.age");
    std::fs::write(&stray, b"half written").unwrap();
    let mut vault = open(dir.path()).unwrap();
    assert_eq!(vault.ledger(), &sample_ledger("旧"));
    vault.problems_mut().problems[0].title = "新".into();
    vault.save().unwrap();
    // The half-written newer file was written over by this save's own.
    assert_ne!(std::fs::read(&orphan).unwrap(), b"half written");
    for gone in [&tmp, &stray, &live] {
        assert!(!gone.exists(), "{} left behind", gone.display());
    }
    let files: Vec<String> = std::fs::read_dir(&ledger_dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("problems."))
        .collect();
    assert_eq!(
        files,
        vec![format!("problems.{:08}.ron.age", generation + 1)]
    );
    drop(vault);
    let back = Unlocked::with_passphrase(dir.path(), "王书记", &pass(), VaultOptions::for_tests())
        .unwrap()
        .load_all()
        .unwrap();
    assert_eq!(back.ledger().problems.problems[0].title, "新");
}
