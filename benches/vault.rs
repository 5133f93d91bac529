//! Vault benchmark at the stress size of DOMAIN.md §6: unlock (the KDF, at the production work
//! factor), open after the KDF (decrypt + parse everything the app needs at start: all but the
//! earlier years of visits and funds, which are read next, in the background), and a save after
//! one edit to a household. Prints its figures (medians) against the foundation issue's targets.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use chrono::NaiveDate;
use sibai::demo::{DemoSize, generate};
use sibai::model::home_first;
use sibai::store::{LoadScope, NewMember, SecretString, Unlocked, Vault, VaultOptions};
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

#[expect(
    clippy::too_many_lines,
    reason = "a benchmark is one script: set up, measure each step in turn, print the table"
)]
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
    let mut rests = Vec::new();
    let mut vault = None;
    for _ in 0..5 {
        drop(vault.take());
        let t = Instant::now();
        let unlocked =
            Unlocked::with_passphrase(dir.path(), "书记", &pass, options.clone()).unwrap();
        kdf.push(t.elapsed());
        let t = Instant::now();
        // As the app opens it: its home screen's collections first.
        let this_year = chrono::Datelike::year(&chrono::Local::now());
        let mut v = unlocked
            .load_scope(LoadScope::First(Box::new(move |on_disk| {
                home_first(on_disk, this_year)
            })))
            .unwrap();
        opens.push(t.elapsed());
        let t = Instant::now();
        v.load_pending().unwrap();
        rests.push(t.elapsed());
        vault = Some(v);
    }
    let mut vault = vault.unwrap();
    let ids: Vec<_> = vault
        .ledger()
        .households
        .households
        .iter()
        .step_by(997)
        .map(|h| h.id)
        .collect();
    let mut saves = Vec::new();
    for (i, id) in ids.into_iter().enumerate() {
        vault.household_mut(id).unwrap().note = format!("第 {i} 次修改");
        let t = Instant::now();
        let report = vault.save().unwrap();
        saves.push(t.elapsed());
        assert_eq!(report.written.len(), 1);
    }
    // What the app's UI thread pays when a visit is logged: the autosave copies the changed
    // collections (this year's visits, the largest) before a thread encodes and writes them.
    let mut snapshots = Vec::new();
    let mut visits_this_year = 0;
    for i in 0..5 {
        let year = *vault.ledger().visits.keys().max().unwrap();
        let visits = vault.visits_mut(year).unwrap();
        visits_this_year = visits.len();
        visits[i].note = format!("第 {i} 次修改");
        let t = Instant::now();
        let job = vault.begin_save().unwrap().unwrap();
        snapshots.push(t.elapsed());
        let outcome = job.run();
        vault.finish_save(outcome).unwrap();
    }
    let snapshot = median(snapshots);
    println!(
        "自动保存在界面线程上复制今年 {visits_this_year} 条走访：{:.1} ms，目标 ≤ 16 ms：{}",
        ms(snapshot),
        if ms(snapshot) <= 16.0 {
            "达标"
        } else {
            "未达标"
        }
    );
    let (kdf, open, rest, save) = (median(kdf), median(opens), median(rests), median(saves));
    println!();
    println!("解锁（scrypt 2^18）：{:.0} ms", ms(kdf));
    println!(
        "打开（解锁后解密并解析开始使用所需的数据）：{:.0} ms，目标 ≤ 500 ms：{}",
        ms(open),
        verdict(open, 500.0)
    );
    println!(
        "  之后在后台读入往年走访和经费：{:.0} ms（不阻塞使用）",
        ms(rest)
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
