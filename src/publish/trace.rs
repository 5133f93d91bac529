//! Where a refused value came from. When the guard refuses a publish, each hit is traced back to
//! the inputs that hold the same value (in the same canonical form): the public fields of the
//! ledger that carried it (a project's need, a payment's purpose), the guide's content files
//! (field and line), the site settings, the theme's files. The ledger record the value belongs
//! to is already on the hit. Runs only on a refusal, so it may read everything again.

use super::guard::{Guard, Hit, Source};
use super::public::PublicSite;
use super::{PublishInput, guide, render_markdown};
use std::collections::HashSet;
use std::path::Path;

/// Adds to each hit the inputs that hold its value.
pub fn attribute(
    hits: &mut [Hit],
    guard: &Guard,
    input: &PublishInput<'_>,
    site: &PublicSite,
    theme_dir: Option<&Path>,
) {
    let wanted: HashSet<u128> = hits.iter().map(|h| h.value).collect();
    let mut found: Vec<(u128, Source)> = Vec::new();
    let mut in_guide: Vec<(u128, Source)> = Vec::new();
    let mut look = |text: &str, source: &dyn Fn(usize) -> Source| {
        for h in guard.scan_source(text) {
            if wanted.contains(&h.value) {
                found.push((h.value, source(h.line)));
            }
        }
    };
    // The public projection of the ledger.
    if let Ok(value) = serde_json::to_value(site) {
        let mut strings = Vec::new();
        walk(&value, "", "", &mut strings);
        for (record, field, text) in strings {
            look(&text, &|_| Source::Record {
                record: record.clone(),
                field: field.clone(),
            });
        }
    }
    // The settings.
    let s = input.settings;
    for (field, text) in [
        ("办公地址", &s.office_address),
        ("办公时间", &s.office_hours),
        ("办公电话", &s.office_phone),
        ("主题", &s.theme),
    ] {
        look(text, &|_| Source::Settings {
            field: field.to_owned(),
        });
    }
    // The guide: each front-matter field as it is read, the body as it is rendered.
    let content = input.root.join("content");
    for source in guide::sources(&content).unwrap_or_default() {
        let file = guard.shown_path(&relative(input.root, &source.path));
        let name = source
            .path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        look(&name, &|_| Source::Content {
            file: file.clone(),
            line: 0,
            field: "文件名".into(),
        });
        if let Ok(text) = source.read() {
            for (value, line, field) in content_hits(guard, &wanted, &text) {
                in_guide.push((
                    value,
                    Source::Content {
                        file: file.clone(),
                        line,
                        field,
                    },
                ));
            }
        }
    }
    // The theme.
    if let Some(dir) = theme_dir {
        for path in files_under(dir) {
            if let Ok(text) = std::fs::read_to_string(&path) {
                let file = guard.shown_path(&relative(input.root, &path));
                look(&text, &|line| Source::Theme {
                    file: file.clone(),
                    line,
                });
            }
        }
    }
    found.extend(in_guide);
    for h in hits.iter_mut() {
        for (value, source) in &found {
            if *value == h.value && !h.sources.contains(source) {
                h.sources.push(source.clone());
            }
        }
    }
}

fn relative(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

fn files_under(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// The Chinese name of a front-matter field.
fn front_label(key: &str) -> &str {
    match key {
        "title" => "服务事项",
        "category" => "分类",
        "audience" => "适用对象",
        "conditions" => "办理条件",
        "materials" => "所需材料",
        "steps" => "办事流程",
        "place_and_time" => "办理地点与时间",
        "basis" => "政策依据",
        "evaluation" => "评价方式",
        "verified" => "核对日期",
        "sample" => "示例标记",
        other => other,
    }
}

/// The wanted values in a guide file: each with its line and field. A front-matter value is
/// read as TOML reads it (`\n` is a line break); the body as Markdown renders it, its line found
/// by rendering ever longer beginnings of it.
fn content_hits(guard: &Guard, wanted: &HashSet<u128>, text: &str) -> Vec<(u128, usize, String)> {
    let mut out = Vec::new();
    let Some((front, body)) = guide::split_front_matter(text) else {
        // Not a guide item: read as it is.
        for h in guard.scan_source(text) {
            if wanted.contains(&h.value) {
                out.push((h.value, h.line, "正文".to_owned()));
            }
        }
        return out;
    };
    let line_of = |needle: &str| {
        text.lines()
            .position(|l| {
                l.trim_start()
                    .strip_prefix(needle)
                    .is_some_and(|rest| rest.trim_start().starts_with('='))
            })
            .map_or(1, |i| i + 1)
    };
    if let Ok(table) = toml::from_str::<toml::Table>(front) {
        for (key, value) in &table {
            let mut strings = Vec::new();
            match value {
                toml::Value::String(s) => strings.push(s.as_str()),
                toml::Value::Array(items) => {
                    strings.extend(items.iter().filter_map(toml::Value::as_str));
                }
                _ => {}
            }
            for s in strings {
                for h in guard.scan_source(s) {
                    if wanted.contains(&h.value) {
                        out.push((h.value, line_of(key), front_label(key).to_owned()));
                    }
                }
            }
        }
    }
    let body_line = text[..text.len() - body.len()].matches('\n').count() + 1;
    let lines: Vec<&str> = body.split_inclusive('\n').collect();
    let found_in = |k: usize| -> Vec<u128> {
        let prefix: String = lines[..k].concat();
        guard
            .scan_source(&render_markdown(&prefix))
            .into_iter()
            .map(|h| h.value)
            .filter(|v| wanted.contains(v))
            .collect()
    };
    for value in found_in(lines.len()) {
        // The first line by which the value has appeared.
        let (mut lo, mut hi) = (1, lines.len());
        while lo < hi {
            let mid = (lo + hi) / 2;
            if found_in(mid).contains(&value) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        out.push((value, body_line + lo - 1, "正文".to_owned()));
    }
    out
}

/// The Chinese name of a public field.
fn field_label(key: &str) -> &str {
    match key {
        "name" => "名称",
        "area" => "所在区和街道",
        "office_address" => "办公地址",
        "office_hours" => "办公时间",
        "office_phone" => "办公电话",
        "roles" => "职务",
        "title" => "标题",
        "category" => "类别",
        "need" => "需求",
        "plan" => "实施方案",
        "outcome" => "实施结果",
        "rectification" => "整改情况",
        "topic" => "议题",
        "decision" => "决定",
        "organisation" => "收款单位",
        "purpose" => "用途",
        "voucher" => "凭证号",
        "amount" => "金额",
        "schedule" => "实施计划",
        other => other,
    }
}

/// Every string of the public projection: the record it is in, its field, its text.
fn walk(
    value: &serde_json::Value,
    record: &str,
    key: &str,
    out: &mut Vec<(String, String, String)>,
) {
    use serde_json::Value;
    match value {
        Value::String(s) => out.push((record.to_owned(), field_label(key).to_owned(), s.clone())),
        Value::Array(items) => {
            for item in items {
                walk(item, record, key, out);
            }
        }
        Value::Object(map) => {
            let record = match (key, map.get("slug").and_then(Value::as_str)) {
                ("projects", Some(slug)) => format!("实事项目 {slug}"),
                ("disclosures", Some(slug)) => format!("经费公示 {slug}"),
                ("committee", _) => "居委会信息".to_owned(),
                ("signers", _) => "签发人".to_owned(),
                _ if record.is_empty() => "网站".to_owned(),
                _ => record.to_owned(),
            };
            for (k, v) in map {
                // Notices and boards repeat the titles of the records above.
                if record == "网站" && (k == "notices" || k == "boards") {
                    continue;
                }
                walk(v, &record, k, out);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_value_knows_its_line_and_field() {
        let mut ledger = crate::model::Ledger::default();
        ledger.desk.receptions.push(crate::model::Reception {
            id: crate::model::ReceptionId(1),
            at: chrono::NaiveDateTime::default(),
            channel: crate::model::Channel::InPerson,
            visitor: Some("钱多多".into()),
            visitor_phone: None,
            matter: String::new(),
            received_by: crate::model::WorkerId(1),
            answer: String::new(),
            confirmed: false,
            problem: None,
        });
        let guard = Guard::new(&ledger, &super::super::Allowed::default());
        let value = super::super::guard::fingerprint("钱多多");
        let wanted: HashSet<u128> = [value].into();
        let text = "+++\ntitle = \"甲\"\nmaterials = [\n  \"钱\\n多多\",\n]\n+++\n\n第一行\n\n钱**多**多\n";
        let mut hits = content_hits(&guard, &wanted, text);
        hits.sort();
        assert_eq!(
            hits,
            vec![
                (value, 3, "所需材料".to_owned()),
                (value, 10, "正文".to_owned())
            ]
        );
    }
}
