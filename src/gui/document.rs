//! An internal report of several parts (the quarterly and yearly fund reports: one part per
//! fund, then the open 先支后补 and the warnings), printed through the browser like a list and
//! exported to .xlsx with one sheet per part: its figures, its tables with a total line,
//! amounts as numbers Excel can add up, and a line for the signatures.

use super::export::{ExportError, display_width};
use super::print::PrintError;
use crate::model::Fen;
use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook, Worksheet};
use serde::Serialize;

/// A value in a report: text, or an amount (a number in Excel, `1,234.50` on paper).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "text")]
pub enum Cell {
    /// Text.
    Text(String),
    /// Text that never breaks across lines: a number, a date, a code, a short label.
    Code(String),
    /// Money.
    Money(#[serde(serialize_with = "money_text")] Fen),
    /// A count.
    Count(#[serde(serialize_with = "count_text")] usize),
}

fn count_text<S: serde::Serializer>(n: &usize, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&n.to_string())
}

fn money_text<S: serde::Serializer>(fen: &Fen, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&fen.to_string())
}

impl Cell {
    /// Text.
    pub fn text(s: impl Into<String>) -> Cell {
        Cell::Text(s.into())
    }
}

/// A table with headings and perhaps a total line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Table {
    /// What it is.
    pub caption: String,
    /// Column headings.
    pub headers: Vec<String>,
    /// Rows.
    pub rows: Vec<Vec<Cell>>,
    /// The total line, if any.
    pub total: Option<Vec<Cell>>,
    /// Said when there are no rows.
    pub empty: String,
}

/// One part: a page on paper, a sheet in Excel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Part {
    /// The sheet's name (short).
    pub name: String,
    /// The heading.
    pub title: String,
    /// Label and value pairs, above the tables.
    pub figures: Vec<(String, Cell)>,
    /// Tables.
    pub tables: Vec<Table>,
    /// Who signs at the bottom (经办人, 主任, 书记…); none: no signature line.
    pub signatures: Vec<String>,
}

/// A report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Document {
    /// The committee.
    pub committee: String,
    /// The title.
    pub title: String,
    /// 2026年11月30日.
    pub date: String,
    /// Who made it.
    pub printed_by: String,
    /// Parts.
    pub parts: Vec<Part>,
}

const TEMPLATE: &str = r#"<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'">
<title>{{ title }} · {{ committee }}</title>
<style>
@page { size: A4 landscape; margin: 12mm 12mm 14mm; }
body { font-family: "Microsoft YaHei", "PingFang SC", "Noto Sans CJK SC", "Noto Sans SC", "WenQuanYi Micro Hei", sans-serif; font-size: 10pt; color: #000; margin: 0 auto; max-width: 273mm; }
section + section { break-before: page; page-break-before: always; }
header { border-bottom: 2px solid #000; margin-bottom: 3mm; }
h1 { font-size: 16pt; margin: 0 0 1mm; }
h2 { font-size: 12pt; margin: 4mm 0 1.5mm; }
.meta { display: flex; justify-content: space-between; gap: 4mm; font-size: 9.5pt; margin-bottom: 1.5mm; }
.internal { font-weight: bold; border: 1px solid #000; padding: 0 2mm; white-space: nowrap; }
.figures { display: flex; flex-wrap: wrap; gap: 1mm 8mm; margin: 2mm 0; }
.figures div { white-space: nowrap; }
.figures b { font-weight: bold; }
table { width: 100%; border-collapse: collapse; }
thead { display: table-header-group; }
tr { break-inside: avoid; page-break-inside: avoid; }
th, td { border: 1px solid #444; padding: 1mm 1.5mm; text-align: left; vertical-align: top; }
th { background: #eee; white-space: nowrap; }
td { overflow-wrap: anywhere; }
td.Money, td.Count { text-align: right; white-space: nowrap; }
td.Code, th { white-space: nowrap; }
tr.total td { white-space: nowrap; }
tr.total td { font-weight: bold; background: #f4f4f4; }
.empty { color: #444; }
.sign { margin-top: 8mm; display: flex; flex-wrap: wrap; gap: 4mm 14mm; font-size: 11pt; }
.noprint { margin: 6mm 0; }
.noprint button { font-size: 14pt; padding: 2mm 6mm; }
@media print { .noprint { display: none; } }
</style>
</head>
<body>
<div class="noprint"><button onclick="window.print()">打印</button> 关闭本页即可，报告不会保存在电脑上。</div>
{% for part in parts %}<section>
<header>
<h1>{{ part.title }}</h1>
<div class="meta"><span>{{ committee }} · {{ title }}</span><span class="internal">内部资料 不得外传</span></div>
<div class="meta"><span>{{ date }} · {{ printed_by }} 打印</span><span>第 {{ loop.index }} 部分，共 {{ parts | length }} 部分</span></div>
</header>
{% if part.figures %}<div class="figures">{% for f in part.figures %}<div>{{ f.0 }}：<b>{{ f.1.text }}</b>{% if f.1.kind == "Money" %} 元{% endif %}</div>{% endfor %}</div>{% endif %}
{% for t in part.tables %}<h2>{{ t.caption }}</h2>
{% if t.rows %}<table>
<thead><tr>{% for h in t.headers %}<th>{{ h }}</th>{% endfor %}</tr></thead>
<tbody>
{% for row in t.rows %}<tr>{% for c in row %}<td class="{{ c.kind }}">{{ c.text }}</td>{% endfor %}</tr>
{% endfor %}{% if t.total %}<tr class="total">{% for c in t.total %}<td class="{{ c.kind }}">{{ c.text }}</td>{% endfor %}</tr>{% endif %}
</tbody>
</table>{% else %}<p class="empty">{{ t.empty }}</p>{% endif %}
{% endfor %}
{% if part.signatures %}<div class="sign">{% for s in part.signatures %}<span>{{ s }}：________________</span>{% endfor %}<span>日期：____________</span></div>{% endif %}
</section>
{% endfor %}
<script>window.addEventListener("load", function () { window.print(); });</script>
</body>
</html>
"#;

/// The print page, every value escaped.
pub fn html(doc: &Document) -> Result<String, PrintError> {
    let context =
        tera::Context::from_serialize(doc).map_err(|e| PrintError::Page(e.to_string()))?;
    tera::Tera::one_off(TEMPLATE, &context, true).map_err(|e| PrintError::Page(e.to_string()))
}

/// The workbook: one sheet per part.
pub fn workbook(doc: &Document) -> Result<Vec<u8>, ExportError> {
    let failed = |e: rust_xlsxwriter::XlsxError| ExportError::Workbook(e.to_string());
    let mut book = Workbook::new();
    let mut used: Vec<String> = Vec::new();
    for part in &doc.parts {
        let ws = book.add_worksheet();
        ws.set_name(sheet_name(&part.name, &mut used))
            .map_err(failed)?;
        write_part(ws, doc, part).map_err(failed)?;
    }
    book.save_to_buffer().map_err(failed)
}

/// A sheet name Excel takes: at most 31 characters, none of `[]:*?/\`, unique in the book.
fn sheet_name(name: &str, used: &mut Vec<String>) -> String {
    let clean: String = name
        .chars()
        .filter(|c| !"[]:*?/\\".contains(*c))
        .take(28)
        .collect();
    let clean = if clean.trim().is_empty() {
        "报告".to_owned()
    } else {
        clean.trim().to_owned()
    };
    let mut candidate = clean.clone();
    let mut n = 2;
    while used.contains(&candidate) {
        candidate = format!("{clean}{n}");
        n += 1;
    }
    used.push(candidate.clone());
    candidate
}

fn write_part(
    ws: &mut Worksheet,
    doc: &Document,
    part: &Part,
) -> Result<(), rust_xlsxwriter::XlsxError> {
    let title = Format::new().set_bold().set_font_size(14);
    let bold = Format::new().set_bold();
    let head = Format::new()
        .set_bold()
        .set_background_color("#EEEEEE")
        .set_border(FormatBorder::Thin);
    let cell = Format::new().set_border(FormatBorder::Thin);
    let money = Format::new()
        .set_border(FormatBorder::Thin)
        .set_num_format("#,##0.00")
        .set_align(FormatAlign::Right);
    let total_text = Format::new().set_border(FormatBorder::Thin).set_bold();
    let total_money = money.clone().set_bold();
    let mut widths: Vec<usize> = Vec::new();
    let mut widen = |c: u16, w: usize| {
        let c = usize::from(c);
        if widths.len() <= c {
            widths.resize(c + 1, 8);
        }
        widths[c] = widths[c].max(w);
    };
    ws.write_string_with_format(0, 0, &part.title, &title)?;
    ws.write_string(
        1,
        0,
        format!(
            "{} · {} · {} · {} 导出 · 内部资料 不得外传",
            doc.committee, doc.title, doc.date, doc.printed_by
        ),
    )?;
    let mut row = 3u32;
    for (label, value) in &part.figures {
        ws.write_string_with_format(row, 0, label, &bold)?;
        widen(0, display_width(label));
        write_cell(ws, row, 1, value, &cell, &money)?;
        if matches!(value, Cell::Money(_)) {
            ws.write_string(row, 2, "元")?;
        }
        row += 1;
    }
    for t in &part.tables {
        row += 1;
        ws.write_string_with_format(row, 0, &t.caption, &bold)?;
        row += 1;
        if t.rows.is_empty() {
            ws.write_string(row, 0, &t.empty)?;
            row += 1;
            continue;
        }
        for (c, h) in t.headers.iter().enumerate() {
            ws.write_string_with_format(row, c as u16, h, &head)?;
            widen(c as u16, display_width(h));
        }
        row += 1;
        for r in &t.rows {
            for (c, value) in r.iter().enumerate() {
                write_cell(ws, row, c as u16, value, &cell, &money)?;
                widen(c as u16, cell_width(value));
            }
            row += 1;
        }
        if let Some(total) = &t.total {
            for (c, value) in total.iter().enumerate() {
                write_cell(ws, row, c as u16, value, &total_text, &total_money)?;
            }
            row += 1;
        }
    }
    if !part.signatures.is_empty() {
        row += 2;
        let line: Vec<String> = part
            .signatures
            .iter()
            .map(|s| format!("{s}：______________"))
            .chain(["日期：__________".to_owned()])
            .collect();
        ws.write_string(row, 0, line.join("      "))?;
    }
    for (c, w) in widths.iter().enumerate() {
        ws.set_column_width(c as u16, (*w as f64 + 2.0).min(50.0))?;
    }
    Ok(())
}

fn cell_width(value: &Cell) -> usize {
    match value {
        Cell::Text(s) | Cell::Code(s) => display_width(s),
        Cell::Money(f) => f.to_string().len(),
        Cell::Count(n) => n.to_string().len(),
    }
}

fn write_cell(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    value: &Cell,
    text: &Format,
    money: &Format,
) -> Result<(), rust_xlsxwriter::XlsxError> {
    match value {
        Cell::Text(s) | Cell::Code(s) => ws.write_string_with_format(row, col, s, text)?,
        // Fen to yuan exactly: at most 2⁵³ fen is exact in a double, far above any fund.
        Cell::Money(f) => ws.write_number_with_format(row, col, f.0 as f64 / 100.0, money)?,
        Cell::Count(n) => ws.write_number_with_format(row, col, *n as f64, text)?,
    };
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc() -> Document {
        Document {
            committee: "示例居委会".into(),
            title: "2026年第3季度经费使用情况内部报告".into(),
            date: "2026年11月30日".into(),
            printed_by: "王书记".into(),
            parts: vec![
                Part {
                    name: "居委会工作经费".into(),
                    title: "居委会工作经费".into(),
                    figures: vec![
                        ("期末结余".into(), Cell::Money(Fen(1_234_550))),
                        ("本期笔数".into(), Cell::Count(3)),
                    ],
                    tables: vec![Table {
                        caption: "支出明细".into(),
                        headers: vec!["用途".into(), "金额（元）".into()],
                        rows: vec![vec![Cell::text("<b>茶叶</b>"), Cell::Money(Fen(5_000))]],
                        total: Some(vec![Cell::text("合计"), Cell::Money(Fen(5_000))]),
                        empty: String::new(),
                    }],
                    signatures: vec!["经办人".into(), "书记".into()],
                },
                Part {
                    name: "居委会工作经费".into(),
                    title: "提示".into(),
                    figures: Vec::new(),
                    tables: vec![Table {
                        caption: "先支后补未补办".into(),
                        headers: vec!["编号".into()],
                        rows: Vec::new(),
                        total: None,
                        empty: "没有。".into(),
                    }],
                    signatures: Vec::new(),
                },
            ],
        }
    }

    #[test]
    fn the_page_escapes_values_and_breaks_between_parts() {
        let page = html(&doc()).unwrap_or_else(|e| panic!("{e}"));
        assert!(page.contains("&lt;b&gt;茶叶&lt;&#x2F;b&gt;"));
        assert!(page.contains("12,345.50</b> 元"));
        assert!(page.contains("本期笔数：<b>3</b></div>"));
        assert!(page.contains("<td class=\"Money\">50.00</td>"));
        assert!(page.contains("经办人：________________"));
        assert!(page.contains("第 2 部分，共 2 部分"));
        assert!(page.contains("没有。"));
    }

    #[test]
    fn the_workbook_has_a_sheet_per_part_with_unique_names() {
        let bytes = workbook(&doc()).unwrap_or_else(|e| panic!("{e}"));
        let mut zip =
            zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap_or_else(|e| panic!("{e}"));
        let mut book = String::new();
        std::io::Read::read_to_string(
            &mut zip
                .by_name("xl/workbook.xml")
                .unwrap_or_else(|e| panic!("{e}")),
            &mut book,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert!(book.contains("name=\"居委会工作经费\""));
        assert!(book.contains("name=\"居委会工作经费2\""));
        let mut sheet = String::new();
        std::io::Read::read_to_string(
            &mut zip
                .by_name("xl/worksheets/sheet1.xml")
                .unwrap_or_else(|e| panic!("{e}")),
            &mut sheet,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert!(sheet.contains("<v>12345.5</v>"), "{sheet}");
    }
}
