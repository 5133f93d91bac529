//! Import benchmark at the stress size of DOMAIN.md §6: the stress committee's 20,000
//! households and their people written to one .xlsx (one sheet per compound, as committees
//! keep them), then `sibai import` run as a user runs it, a new process each time, into an
//! empty ledger: the time to the preview (reading the workbook and judging every row; the key
//! derivation kept cheap and out of the figure), and the process's peak memory (VmHWM, read
//! from /proc while it runs). Every run is counted.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use chrono::NaiveDate;
use rust_xlsxwriter::Workbook;
use sibai::demo::{DemoSize, generate};
use sibai::store::{NewMember, SecretString, Vault, VaultOptions};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const RUNS: usize = 3;

fn main() {
    let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    let ledger = generate(DemoSize::Stress, today, 400);
    let dir = tempfile::tempdir().unwrap();
    let book_path = dir.path().join("居民信息.xlsx");
    let t = Instant::now();
    let (households, people) = write_workbook(&ledger, &book_path);
    let size = std::fs::metadata(&book_path).unwrap().len();
    println!(
        "写出测试表格：{households} 户 {people} 人，{:.1} MiB，{:.0} ms",
        size as f64 / 1_048_576.0,
        t.elapsed().as_secs_f64() * 1000.0
    );
    let vault = dir.path().join("data");
    let member = NewMember {
        name: "书记".into(),
        role: "书记".into(),
        passphrase: SecretString::from("bench pass".to_owned()),
    };
    let options = VaultOptions {
        scrypt_log_n: 4,
        ..VaultOptions::default()
    };
    Vault::init(&vault, "导入测试居委会", &[member], options).unwrap();

    let mut times = Vec::new();
    let mut peaks = Vec::new();
    let mut summary = String::new();
    for _ in 0..RUNS {
        let t = Instant::now();
        let mut child = Command::new(env!("CARGO_BIN_EXE_sibai"))
            .arg("import")
            .arg(&book_path)
            .arg(&vault)
            .env("SIBAI_PASSPHRASE", "bench pass")
            .env("SIBAI_SCRYPT_LOG_N", "4")
            .env("SIBAI_STATE_DIR", dir.path().join("state"))
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let status = format!("/proc/{}/status", child.id());
        let mut peak_kib = 0u64;
        let output = loop {
            if let Some(kib) = std::fs::read_to_string(&status)
                .ok()
                .and_then(|s| vm_hwm(&s))
            {
                peak_kib = peak_kib.max(kib);
            }
            if child.try_wait().unwrap().is_some() {
                break child.wait_with_output().unwrap();
            }
            std::thread::sleep(Duration::from_millis(5));
        };
        times.push(t.elapsed());
        peaks.push(peak_kib);
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        let out = String::from_utf8_lossy(&output.stdout);
        summary = out
            .lines()
            .find(|l| l.starts_with("共 "))
            .unwrap_or_default()
            .to_owned();
    }
    println!("预览结果：{summary}");
    let ms: Vec<f64> = times.iter().map(|d| d.as_secs_f64() * 1000.0).collect();
    let worst = ms.iter().copied().fold(0.0, f64::max);
    let mut sorted = ms.clone();
    sorted.sort_by(f64::total_cmp);
    println!(
        "导入 {households} 户 {people} 人到预览（sibai import 新进程，{RUNS} 次全部计入）：各次 {}，中位 {:.0} ms，最慢 {worst:.0} ms，目标 ≤ 10000 ms：{}",
        ms.iter()
            .map(|m| format!("{m:.0} ms"))
            .collect::<Vec<_>>()
            .join("、"),
        sorted[sorted.len() / 2],
        if worst <= 10_000.0 {
            "达标"
        } else {
            "未达标"
        }
    );
    println!(
        "  进程内存峰值（VmHWM）：最高 {:.0} MiB",
        peaks.iter().copied().max().unwrap_or(0) as f64 / 1024.0
    );
}

/// The peak resident memory in KiB from a /proc status file.
fn vm_hwm(status: &str) -> Option<u64> {
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|n| n.parse().ok())
}

/// The ledger's people as committees keep them: a sheet per compound, a title above the
/// header, one row per person with the address in one cell.
fn write_workbook(ledger: &sibai::model::Ledger, path: &std::path::Path) -> (usize, usize) {
    let book = &ledger.households;
    let mut workbook = Workbook::new();
    let mut households = 0;
    let mut people = 0;
    for compound in &book.compounds {
        let ws = workbook.add_worksheet();
        ws.set_name(&compound.name).unwrap();
        ws.write_string(0, 0, format!("{}居民信息表", compound.name))
            .unwrap();
        for (c, h) in [
            "姓名",
            "身份证号",
            "性别",
            "出生日期",
            "地址",
            "联系电话",
            "与户主关系",
        ]
        .iter()
        .enumerate()
        {
            ws.write_string(1, c as u16, *h).unwrap();
        }
        let mut row = 2u32;
        for h in book.households.iter().filter(|h| {
            h.is_active()
                && book
                    .building(h.building)
                    .is_some_and(|b| b.compound == compound.id)
        }) {
            households += 1;
            let address = book.address_of(h).replace(' ', "");
            for p in h.present_members() {
                people += 1;
                ws.write_string(row, 0, &p.name).unwrap();
                if let Some(id) = &p.id_number {
                    ws.write_string(row, 1, id.as_str()).unwrap();
                }
                if let Some(s) = p.effective_sex() {
                    ws.write_string(row, 2, s.label()).unwrap();
                }
                if let Some(b) = p.birth_date {
                    ws.write_string(row, 3, b.format("%Y-%m-%d").to_string())
                        .unwrap();
                }
                ws.write_string(row, 4, &address).unwrap();
                if let Some(phone) = &p.phone {
                    ws.write_string(row, 5, phone.as_str()).unwrap();
                }
                ws.write_string(row, 6, &p.relation).unwrap();
                row += 1;
            }
        }
    }
    workbook.save(path).unwrap();
    (households, people)
}
