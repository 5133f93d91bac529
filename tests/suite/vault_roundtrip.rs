//! model → RON → age → disk → model, for every collection, with awkward strings; and no
//! plaintext on disk afterwards.

use crate::fixtures::{make_vault, open, sample_ledger};
use proptest::prelude::*;
use sibai::model::{Collection, HouseholdId};

fn awkward_string() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        "[\\p{Han}]{1,30}",
        "[\\p{Han}a-zA-Z0-9 😀-🙏\"'\\\\(),:\\[\\]{}#\n\t\u{3000}]{0,60}",
        "[\\p{Han}😀]{2000,6000}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn every_collection_round_trips(s in awkward_string()) {
        let dir = tempfile::tempdir().unwrap();
        let ledger = sample_ledger(&s);
        drop(make_vault(dir.path(), ledger.clone()));
        let back = open(dir.path()).unwrap();
        prop_assert_eq!(back.ledger(), &ledger);
        let mut expected = ledger.collections();
        expected.sort();
        let mut saved: Vec<Collection> = expected.iter().copied().filter(|c| back.generation(*c) >= 1).collect();
        saved.sort();
        prop_assert_eq!(saved, expected);
    }
}

#[test]
fn edits_save_only_what_changed_and_survive_reopening() {
    let dir = tempfile::tempdir().unwrap();
    let mut vault = make_vault(dir.path(), sample_ledger("原样"));
    let before = vault.generation(Collection::Problems);
    vault.household_mut(HouseholdId(1)).unwrap().note = "改过的备注".into();
    let report = vault.save().unwrap();
    assert_eq!(report.written, vec![Collection::Households(0)]);
    assert_eq!(vault.generation(Collection::Problems), before);
    assert!(!vault.has_unsaved());
    drop(vault);
    let back = open(dir.path()).unwrap();
    assert_eq!(back.ledger().households.households[0].note, "改过的备注");
    // The fixture wrote the first generation of this household file, this edit the second.
    assert_eq!(back.generation(Collection::Households(0)), 2);
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

#[test]
fn no_plaintext_reaches_the_disk() {
    let canaries = ["金丝雀甲乙丙", "CANARY-7f3a9", "10099887766"];
    let tmp_before = std::time::SystemTime::now();
    let dir = tempfile::tempdir().unwrap();
    let mut vault = make_vault(dir.path(), sample_ledger(canaries[0]));
    vault.households_mut().households[0].members[0].name = canaries[1].into();
    vault.households_mut().households[0].members[0].phone =
        sibai::model::Phone::parse(canaries[2]).ok();
    vault.save().unwrap();
    // Backups were made, restore was read: still nothing in the clear.
    vault.restore(Collection::Households(0), 1).unwrap();
    vault.save().unwrap();
    drop(vault);
    drop(open(dir.path()).unwrap());
    let mut files: Vec<std::path::PathBuf> =
        crate::fixtures::snapshot(dir.path()).into_keys().collect();
    // Files in the system temp folder changed during the test (our temp files live in the vault).
    if let Ok(entries) = std::fs::read_dir(std::env::temp_dir()) {
        for e in entries.flatten() {
            let p = e.path();
            let fresh = e
                .metadata()
                .and_then(|m| m.modified())
                .is_ok_and(|t| t >= tmp_before);
            if p.is_file() && fresh {
                files.push(p);
            }
        }
    }
    assert!(files.len() > 10);
    for f in files {
        let Ok(bytes) = std::fs::read(&f) else {
            continue;
        };
        for c in canaries {
            assert!(
                !contains(&bytes, c.as_bytes()),
                "{c} found in {}",
                f.display()
            );
        }
    }
}
