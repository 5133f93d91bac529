//! A second process is refused write access; after the holder dies the vault opens for writing.

use crate::fixtures::{child_vault, make_vault, open, sample_ledger, spawn_child};
use sibai::store::StoreError;
use std::time::{Duration, Instant};

#[test]
#[ignore = "run as a child process by a_second_process_is_refused_write_access"]
fn child_hold_lock() {
    let Some(vault) = child_vault() else {
        return;
    };
    assert!(!vault.is_read_only());
    std::fs::write(vault.dir().join("child-ready"), b"").unwrap();
    std::thread::sleep(Duration::from_secs(120));
}

#[test]
fn a_second_process_is_refused_write_access() {
    let dir = tempfile::tempdir().unwrap();
    drop(make_vault(dir.path(), sample_ledger("锁")));
    let mut child = spawn_child("lock::child_hold_lock", dir.path());
    let ready = dir.path().join("child-ready");
    let start = Instant::now();
    while !ready.exists() {
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "child never took the lock"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    let mut second = open(dir.path()).unwrap();
    assert!(second.is_read_only());
    assert!(
        second
            .warnings()
            .iter()
            .any(|w| w.contains("另一个四百窗口"))
    );
    second.households_mut().households[0].note = "不应保存".into();
    let err = second.save().unwrap_err();
    assert!(matches!(err, StoreError::ReadOnly));
    assert!(err.to_string().contains("只读"));
    drop(second);
    child.kill().unwrap();
    child.wait().unwrap();
    let mut third = open(dir.path()).unwrap();
    assert!(!third.is_read_only());
    third.households_mut().households[0].note = "可以保存".into();
    third.save().unwrap();
}
