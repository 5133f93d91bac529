//! Reading the spreadsheets a committee already has: .xlsx and .xls (calamine, every sheet),
//! and .csv in UTF-8 or in GBK/GB18030 as Chinese Excel saves it (detected: text that is not
//! valid UTF-8 is read as GB18030 with encoding_rs). The cells go to `model::import`, which
//! makes sense of them; row and column positions stay as Excel numbers them.

use crate::model::import::{Cell, Sheet, serial_datetime};
use calamine::{Data, Reader};
use std::path::Path;

/// Why a file could not be read, each saying what to do.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// Not a kind of file that can be read.
    #[error("不能读取“{0}”：只能导入 Excel 文件（.xlsx、.xls）或 CSV 文件（.csv）。")]
    Kind(String),
    /// The file is not there or cannot be opened.
    #[error("打不开文件 {path}：{detail}")]
    Open {
        /// The file.
        path: String,
        /// The system's message.
        detail: String,
    },
    /// The workbook is damaged or protected.
    #[error(
        "读不懂这个 Excel 文件：{0}。如果它设了打开密码，请先在 Excel 中取消密码；也可以另存为 .xlsx 后再试。"
    )]
    Workbook(String),
    /// A CSV line is malformed.
    #[error("CSV 文件第 {line} 行格式有误：{detail}")]
    Csv {
        /// The line.
        line: u64,
        /// What is wrong.
        detail: String,
    },
}

/// Every sheet of the file, as cells.
pub fn read(path: &Path) -> Result<Vec<Sheet>, ReadError> {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_lowercase)
        .unwrap_or_default();
    match ext.as_str() {
        "xlsx" | "xlsm" | "xls" | "xlsb" | "ods" => workbook(path),
        "csv" | "txt" => {
            let bytes = std::fs::read(path).map_err(|e| ReadError::Open {
                path: path.display().to_string(),
                detail: crate::store::io_text(&e),
            })?;
            let name = path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            Ok(vec![csv_sheet(&name, &bytes)?])
        }
        _ => Err(ReadError::Kind(path.display().to_string())),
    }
}

fn workbook(path: &Path) -> Result<Vec<Sheet>, ReadError> {
    // Opened here, so that a missing or locked file is said as such; the kind of workbook is
    // then told from its content (an .xlsx renamed .xls still opens).
    let bytes = std::fs::read(path).map_err(|e| ReadError::Open {
        path: path.display().to_string(),
        detail: crate::store::io_text(&e),
    })?;
    let mut book = calamine::open_workbook_auto_from_rs(std::io::Cursor::new(bytes))
        .map_err(|e| ReadError::Workbook(e.to_string()))?;
    let mut sheets = Vec::new();
    for name in book.sheet_names() {
        let range = book
            .worksheet_range(&name)
            .map_err(|e| ReadError::Workbook(e.to_string()))?;
        // The range starts at its first cell that holds something: pad it back to A1, so that
        // rows are numbered as Excel numbers them.
        let (top, left) = range.start().unwrap_or((0, 0));
        let mut rows: Vec<Vec<Cell>> = (0..top).map(|_| Vec::new()).collect();
        for row in range.rows() {
            let mut cells: Vec<Cell> = (0..left).map(|_| Cell::Empty).collect();
            cells.extend(row.iter().map(cell));
            rows.push(cells);
        }
        sheets.push(Sheet { name, rows });
    }
    Ok(sheets)
}

fn cell(d: &Data) -> Cell {
    match d {
        Data::Empty | Data::Error(_) => Cell::Empty,
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => Cell::Text(s.clone()),
        Data::Int(i) => Cell::Number(*i as f64),
        Data::Float(f) => Cell::Number(*f),
        Data::Bool(b) => Cell::Text(if *b { "是" } else { "否" }.to_owned()),
        Data::DateTime(dt) => {
            let days = dt.as_f64();
            match serial_datetime(days) {
                // A time of day kept when the cell has one (a visit's 走访时间).
                Some(t) if dt.is_datetime() && t.time() != chrono::NaiveTime::MIN => {
                    Cell::DateTime(t)
                }
                Some(t) if dt.is_datetime() => Cell::Date(t.date()),
                _ => Cell::Number(days),
            }
        }
    }
}

/// A CSV file as one sheet: UTF-8 (with or without its byte-order mark), else GB18030, which
/// is what Chinese Excel writes as "CSV".
pub fn csv_sheet(name: &str, bytes: &[u8]) -> Result<Sheet, ReadError> {
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t.trim_start_matches('\u{feff}').to_owned(),
        Err(_) => encoding_rs::GB18030.decode(bytes).0.into_owned(),
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| ReadError::Csv {
            line: e.position().map_or(0, csv::Position::line),
            detail: e.to_string(),
        })?;
        rows.push(
            record
                .iter()
                .map(|f| {
                    if f.trim().is_empty() {
                        Cell::Empty
                    } else {
                        Cell::Text(f.to_owned())
                    }
                })
                .collect(),
        );
    }
    Ok(Sheet {
        name: name.to_owned(),
        rows,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_is_read_in_utf8_and_in_gbk() {
        let utf8 = "\u{feff}姓名,身份证号\n张三,110105194912310021\n";
        let a = csv_sheet("a", utf8.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
        let (gbk, _, _) = encoding_rs::GBK.encode("姓名,身份证号\n张三,110105194912310021\n");
        let b = csv_sheet("b", &gbk).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(a.rows, b.rows);
        assert_eq!(a.rows[1][0], Cell::Text("张三".into()));
    }

    #[test]
    fn other_files_are_refused_in_chinese() {
        let e = read(Path::new("台账.docx")).err().map(|e| e.to_string());
        assert!(e.is_some_and(|e| e.contains("只能导入 Excel 文件")));
        let e = read(Path::new("/nonexistent/台账.xlsx"))
            .err()
            .map(|e| e.to_string());
        assert!(e.is_some_and(|e| e.contains("打不开文件")), "missing file");
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let damaged = dir.path().join("台账.xlsx");
        std::fs::write(&damaged, b"PK\x03\x04 not a workbook").unwrap_or_else(|e| panic!("{e}"));
        let e = read(&damaged).err().map(|e| e.to_string());
        assert!(
            e.as_deref()
                .is_some_and(|e| e.contains("读不懂这个 Excel 文件")),
            "{e:?}"
        );
    }
}
