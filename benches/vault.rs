//! Vault benchmark at the stress size of DOMAIN.md §6: unlock (the KDF, at the production work
//! factor), open after the KDF (decrypt + parse everything the app needs at start), and a save
//! after one edit to households. Prints its figures against the targets of the foundation issue.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use chrono::NaiveDate;
use sibai::demo::{DemoSize, generate};
use sibai::store::{NewMember, SecretString, Unlocked, Vault, VaultOptions};
use std::time::{Duration, Instant};

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn verdict(d: Duration, target_ms: f64) -> &'static str {
    if ms(d) <= target_ms {
        "达标"
    } else {
        "未达标"
    }
}

fn main() {
    let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    let t = Instant::now();
    let ledger = generate(DemoSize::Stress, today, 400);
    println!("生成压力规模数据：{:.0} ms", ms(t.elapsed()));
    println!("{}", ledger.counts());

    let dir = tempfile::tempdir().unwrap();
    let options = VaultOptions::default();
    let pass = SecretString::from("bench pass".to_owned());
    let member = NewMember {
        name: "书记".into(),
        role: "书记".into(),
        passphrase: pass.clone(),
    };
    let (mut vault, _) =
        Vault::init(dir.path(), "压力测试居委会", &[member], options.clone()).unwrap();
    vault.replace_ledger(ledger);
    let t = Instant::now();
    vault.save().unwrap();
    println!("首次保存全部：{:.0} ms", ms(t.elapsed()));
    let mut sizes: Vec<(u64, String)> = std::fs::read_dir(dir.path().join("ledger"))
        .unwrap()
        .flatten()
        .map(|e| {
            (
                e.metadata().map(|m| m.len()).unwrap_or(0),
                e.file_name().to_string_lossy().into_owned(),
            )
        })
        .collect();
    sizes.sort();
    for (size, name) in sizes.iter().rev().take(5) {
        println!("  {name}: {:.1} MiB", *size as f64 / 1048576.0);
    }
    let total: u64 = walk_size(&dir.path().join("ledger"));
    println!("台账文件共 {:.1} MiB（加密后）", total as f64 / 1048576.0);
    drop(vault);

    let mut kdf = Vec::new();
    let mut opens = Vec::new();
    let mut vault = None;
    for _ in 0..3 {
        drop(vault.take());
        let t = Instant::now();
        let unlocked =
            Unlocked::with_passphrase(dir.path(), "书记", &pass, options.clone()).unwrap();
        kdf.push(t.elapsed());
        let t = Instant::now();
        vault = Some(unlocked.load().unwrap());
        opens.push(t.elapsed());
    }
    let mut vault = vault.unwrap();
    let mut saves = Vec::new();
    for i in 0..5 {
        vault.households_mut().households[i].note = format!("第 {i} 次修改");
        let t = Instant::now();
        let report = vault.save().unwrap();
        saves.push(t.elapsed());
        assert_eq!(report.written.len(), 1);
    }
    let (kdf, open, save) = (median(kdf), median(opens), median(saves));
    println!();
    println!("解锁（scrypt 2^18）：{:.0} ms", ms(kdf));
    println!(
        "打开（解锁后解密并解析全部数据）：{:.0} ms，目标 ≤ 500 ms：{}",
        ms(open),
        verdict(open, 500.0)
    );
    println!(
        "修改一户后保存：{:.0} ms，目标 ≤ 200 ms：{}",
        ms(save),
        verdict(save, 200.0)
    );
    println!("解锁到可用合计：{:.0} ms", ms(kdf + open));
}

fn walk_size(dir: &std::path::Path) -> u64 {
    std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.metadata().map(|m| m.len()).unwrap_or(0))
        .sum()
}
