//! Importing the household sheets a committee already keeps in Excel (附件一's fields, one
//! person per row): the header row found wherever it is and matched by its Chinese headings
//! and their common variants; an address in one cell split into compound, building and room;
//! the Excel traps caught, each with a message saying what to do (an ID number saved as a
//! number has lost its last digits; dates as serial numbers; full-width digits and spaces);
//! 性别 and 年龄 checked against the ID number; 政治面貌 and 是否独居 made tags of 附件二.
//!
//! Nothing is written by a dry run: [`plan`] says of every row what would happen (add, update,
//! unchanged, duplicate of which record, or the error that refuses it: a bad row is never half
//! imported and never stops the others), and [`ImportPlan::edit`] is the whole import as one
//! edit, which undoes as one. The sheets are read by `crate::import` (I/O); this module only
//! interprets their cells.

use super::edit::Edit;
use super::household::{
    Building, BuildingId, Compound, CompoundId, Household, HouseholdBook, HouseholdId, MemberGroup,
    Person, PersonId,
};
use super::id_number::{IdNumber, Sex, age_on};
use super::phone::Phone;
use super::tags::{TagAssignment, TagDimension};
use chrono::NaiveDate;
use std::collections::HashMap;

/// A cell as read from a sheet.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// Nothing.
    Empty,
    /// Text.
    Text(String),
    /// A number (Excel keeps 15 significant digits).
    Number(f64),
    /// A cell formatted as a date.
    Date(NaiveDate),
}

/// One sheet: its name and its rows of cells.
#[derive(Debug, Clone, PartialEq)]
pub struct Sheet {
    /// The sheet's name (often a building: 3号楼).
    pub name: String,
    /// Rows, top to bottom.
    pub rows: Vec<Vec<Cell>>,
}

/// A field of 附件一 a column can hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Field {
    /// 姓名.
    Name,
    /// 身份证号.
    IdNumber,
    /// 性别.
    Sex,
    /// 年龄.
    Age,
    /// 出生日期.
    Birth,
    /// 与户主关系.
    Relation,
    /// 联系电话.
    Phone,
    /// The whole address in one cell (樱园新村3号502室).
    Address,
    /// 小区.
    Compound,
    /// 楼号.
    Building,
    /// 室号.
    Room,
    /// 户籍地址.
    Hukou,
    /// 政治面貌 (a tag).
    Political,
    /// 是否独居 (the tag 独居老人).
    LivesAlone,
    /// 备注.
    Note,
}

impl Field {
    /// Every field.
    pub const ALL: [Field; 15] = [
        Field::Name,
        Field::IdNumber,
        Field::Sex,
        Field::Age,
        Field::Birth,
        Field::Relation,
        Field::Phone,
        Field::Address,
        Field::Compound,
        Field::Building,
        Field::Room,
        Field::Hukou,
        Field::Political,
        Field::LivesAlone,
        Field::Note,
    ];

    /// The name of the field, as the preview shows it.
    pub fn label(self) -> &'static str {
        match self {
            Field::Name => "姓名",
            Field::IdNumber => "身份证号",
            Field::Sex => "性别",
            Field::Age => "年龄",
            Field::Birth => "出生日期",
            Field::Relation => "与户主关系",
            Field::Phone => "联系电话",
            Field::Address => "地址（一格）",
            Field::Compound => "小区",
            Field::Building => "楼号",
            Field::Room => "室号",
            Field::Hukou => "户籍地址",
            Field::Political => "政治面貌",
            Field::LivesAlone => "是否独居",
            Field::Note => "备注",
        }
    }

    /// The headings committees write for it (compared without spaces and punctuation).
    fn headings(self) -> &'static [&'static str] {
        match self {
            Field::Name => &["姓名", "户主姓名", "居民姓名", "成员姓名", "名字"],
            Field::IdNumber => &[
                "身份证",
                "身份证号",
                "身份证号码",
                "公民身份号码",
                "公民身份证号码",
                "证件号码",
                "身份证件号码",
            ],
            Field::Sex => &["性别"],
            Field::Age => &["年龄", "岁数"],
            Field::Birth => &["出生日期", "出生年月", "出生年月日", "生日"],
            Field::Relation => &["与户主关系", "关系", "家庭关系", "与户主的关系"],
            Field::Phone => &["联系电话", "电话", "手机", "手机号", "手机号码", "电话号码"],
            Field::Address => &[
                "地址",
                "门牌",
                "门牌号",
                "楼室号",
                "住址",
                "居住地址",
                "现住址",
                "现居住地址",
                "房屋地址",
            ],
            Field::Compound => &["小区", "小区名称", "小区名"],
            Field::Building => &["楼号", "幢号", "楼栋", "楼栋号", "号"],
            Field::Room => &["室号", "房号", "室", "房间号"],
            Field::Hukou => &["户籍地址", "户籍地", "户口所在地", "户籍所在地"],
            Field::Political => &["政治面貌"],
            Field::LivesAlone => &["是否独居", "独居", "独居老人"],
            Field::Note => &["备注", "说明"],
        }
    }
}

/// Text as a person means it: full-width letters, digits and spaces made ordinary, the ends
/// trimmed.
pub fn clean(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\u{3000}' | '\u{a0}' => ' ',
            '\u{ff01}'..='\u{ff5e}' => char::from_u32(c as u32 - 0xfee0).unwrap_or(c),
            other => other,
        })
        .collect::<String>()
        .trim()
        .to_owned()
}

/// A heading reduced to what identifies it: no spaces, no punctuation, no `*` of a required
/// column.
fn heading_key(text: &str) -> String {
    clean(text)
        .chars()
        .filter(|c| c.is_alphanumeric() || ('\u{4e00}'..='\u{9fff}').contains(c))
        .collect()
}

/// The field a heading names, if any: as the committee chose it in an earlier import
/// (`remembered`), else by the headings of 附件一 and their variants.
pub fn field_for(heading: &str, remembered: &[(String, Option<Field>)]) -> Option<Field> {
    let key = heading_key(heading);
    match remembered.iter().find(|(h, _)| heading_key(h) == key) {
        Some((_, field)) => *field,
        None => field_of(heading),
    }
}

/// The headings whose field the user chose differently from what would be found by default,
/// added to (or replacing in) what the committee remembers.
pub fn remember(
    remembered: &[(String, Option<Field>)],
    sheets: &[Sheet],
    mappings: &[Option<Mapping>],
) -> Vec<(String, Option<Field>)> {
    let mut out = remembered.to_vec();
    for (sheet, map) in sheets.iter().zip(mappings) {
        let Some(map) = map else { continue };
        for (heading, chosen) in map.headings(sheet).iter().zip(&map.columns) {
            let key = heading_key(heading);
            if key.is_empty() || field_for(heading, &out) == *chosen {
                continue;
            }
            out.retain(|(h, _)| heading_key(h) != key);
            out.push((key, *chosen));
        }
    }
    out
}

/// The field a heading names by 附件一's headings and their variants, if any.
pub fn field_of(heading: &str) -> Option<Field> {
    let key = heading_key(heading);
    if key.is_empty() {
        return None;
    }
    Field::ALL
        .into_iter()
        .find(|f| f.headings().iter().any(|h| *h == key))
}

/// Which column holds which field, and where the header is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mapping {
    /// The header's row (0-based); data starts below it.
    pub header_row: usize,
    /// Each column's field, by position.
    pub columns: Vec<Option<Field>>,
}

impl Mapping {
    /// The headings of the mapped row, one per column, as the preview shows them.
    pub fn headings(&self, sheet: &Sheet) -> Vec<String> {
        let row = sheet
            .rows
            .get(self.header_row)
            .map_or(&[][..], Vec::as_slice);
        (0..self.columns.len().max(row.len()))
            .map(|c| row.get(c).map(text_of).unwrap_or_default())
            .collect()
    }

    /// The column of a field.
    pub fn column(&self, field: Field) -> Option<usize> {
        self.columns.iter().position(|c| *c == Some(field))
    }
}

/// How many rows from the top a header is looked for (a title and notes may come first).
const HEADER_SEARCH_ROWS: usize = 12;

/// The header of a sheet: the row among the first few whose cells name the most fields (a
/// title merged across the top is passed over; under a merged group heading the row of
/// field names is taken). None when no row names a person's 姓名 or 身份证号.
pub fn detect(sheet: &Sheet) -> Option<Mapping> {
    detect_with(sheet, &[])
}

/// [`detect`], reading headings as the committee chose them before (see [`field_for`]).
pub fn detect_with(sheet: &Sheet, remembered: &[(String, Option<Field>)]) -> Option<Mapping> {
    let mut best: Option<(usize, Mapping)> = None;
    for (r, row) in sheet.rows.iter().take(HEADER_SEARCH_ROWS).enumerate() {
        let mut columns: Vec<Option<Field>> = row
            .iter()
            .map(|c| match c {
                Cell::Text(t) => field_for(t, remembered),
                _ => None,
            })
            .collect();
        // A field named twice keeps its first column.
        let mut seen = Vec::new();
        for c in &mut columns {
            if let Some(f) = *c {
                if seen.contains(&f) {
                    *c = None;
                } else {
                    seen.push(f);
                }
            }
        }
        let named = seen.len();
        let person = seen.contains(&Field::Name) || seen.contains(&Field::IdNumber);
        if person && named >= 2 && best.as_ref().is_none_or(|(n, _)| named > *n) {
            best = Some((
                named,
                Mapping {
                    header_row: r,
                    columns,
                },
            ));
        }
    }
    best.map(|(_, m)| m)
}

/// What Excel says when an ID number was saved as a number.
const NUMERIC_ID: &str = "身份证号被 Excel 当作数字保存，只保留了 15 位有效数字，后几位已经丢失（常见显示为 3.10101E+17 或末尾是 000）。请在 Excel 中把这一列设为“文本”格式，重新输入或从原系统重新导出后再导入。";

/// A cell as text, numbers written without a fraction when they are whole.
fn text_of(cell: &Cell) -> String {
    match cell {
        Cell::Empty => String::new(),
        Cell::Text(t) => clean(t),
        Cell::Number(n) if n.fract() == 0.0 && n.abs() < 1e15 => format!("{n:.0}"),
        Cell::Number(n) => n.to_string(),
        Cell::Date(d) => d.format("%Y-%m-%d").to_string(),
    }
}

/// An ID number from its cell, refusing what Excel has damaged.
fn id_of(cell: &Cell) -> Result<Option<IdNumber>, String> {
    let text = match cell {
        Cell::Empty => return Ok(None),
        // 15 digits survive as a number (a legacy number); 16 or more do not.
        Cell::Number(n) if n.abs() >= 1e15 || n.fract() != 0.0 => return Err(NUMERIC_ID.into()),
        other => text_of(other),
    };
    if text.is_empty() {
        return Ok(None);
    }
    let upper = text.to_uppercase();
    if upper.contains("E+") || upper.contains("E ") {
        return Err(NUMERIC_ID.into());
    }
    IdNumber::parse(&text).map(Some).map_err(|e| {
        let digits: String = text.chars().filter(char::is_ascii_digit).collect();
        if digits.len() == 18 && digits.ends_with("000") {
            format!("{e}。{NUMERIC_ID}")
        } else {
            format!("身份证号“{text}”：{e}")
        }
    })
}

/// Days from Excel's day 0 (1899-12-30, counting its 1900 leap-year bug) to a serial date.
fn serial_date(n: f64) -> Option<NaiveDate> {
    let base = NaiveDate::from_ymd_opt(1899, 12, 30)?;
    (1.0..=80_000.0)
        .contains(&n)
        .then(|| base.checked_add_days(chrono::Days::new(n as u64)))
        .flatten()
}

/// A date as committees write it: a date cell, an Excel serial number, 1950-03-02, 1950/3/2,
/// 1950.3.2, 1950年3月2日, 19500302.
fn date_of(cell: &Cell) -> Result<Option<NaiveDate>, String> {
    match cell {
        Cell::Empty => Ok(None),
        Cell::Date(d) => Ok(Some(*d)),
        Cell::Number(n) if (10_000_000.0..100_000_000.0).contains(n) => {
            parse_date_text(&format!("{n:.0}")).map(Some)
        }
        Cell::Number(n) => serial_date(*n)
            .map(Some)
            .ok_or_else(|| format!("出生日期“{n}”不是日期")),
        Cell::Text(t) => {
            let t = clean(t);
            if t.is_empty() {
                Ok(None)
            } else {
                parse_date_text(&t).map(Some)
            }
        }
    }
}

fn parse_date_text(t: &str) -> Result<NaiveDate, String> {
    let unified: String = t
        .replace(['年', '月', '/', '.'], "-")
        .replace('日', "")
        .trim_matches('-')
        .to_owned();
    let parts: Vec<&str> = unified.split('-').filter(|p| !p.is_empty()).collect();
    let date = match parts.as_slice() {
        [y, m, d] => y
            .parse()
            .ok()
            .zip(m.parse().ok())
            .zip(d.parse().ok())
            .and_then(|((y, m), d)| NaiveDate::from_ymd_opt(y, m, d)),
        [digits] if digits.len() == 8 => NaiveDate::parse_from_str(digits, "%Y%m%d").ok(),
        _ => None,
    };
    date.ok_or_else(|| format!("出生日期“{t}”看不懂，请写成 1950-03-02"))
}

/// An address in one cell split into its compound (if written), building and room:
/// 樱园新村3号502室, 樱园新村3号楼502, 樱园新村 3-502, 3号502室.
pub fn split_address(text: &str) -> Option<(String, String, String)> {
    let t: String = clean(text)
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| {
            if matches!(c, '－' | '—' | '–') {
                '-'
            } else {
                c
            }
        })
        .collect();
    let t = t.strip_suffix('室').unwrap_or(&t);
    // The room: the digits at the end (a room may carry a letter: 502A).
    let room_start = t
        .char_indices()
        .rev()
        .take_while(|(_, c)| c.is_ascii_alphanumeric())
        .last()
        .map(|(i, _)| i)?;
    let room = &t[room_start..];
    let before = t[..room_start].trim_end_matches(['-', '号', '楼', '幢', '栋', '座']);
    let before = before.strip_suffix("号楼").unwrap_or(before);
    // The building: the digits before it.
    let building_start = before
        .char_indices()
        .rev()
        .take_while(|(_, c)| c.is_ascii_digit())
        .last()
        .map(|(i, _)| i)?;
    let building = &before[building_start..];
    let compound = before[..building_start].trim_end_matches(['-', '弄']);
    (!room.is_empty() && room.chars().any(|c| c.is_ascii_digit()) && !building.is_empty()).then(
        || {
            (
                compound.to_owned(),
                format!("{building}号"),
                room.to_owned(),
            )
        },
    )
}

/// A building number as the ledger writes it: `3`, `3号`, `3号楼`, `3幢` are all `3号`.
fn building_number(text: &str) -> String {
    let digits: String = clean(text)
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    if digits.is_empty() {
        clean(text)
    } else {
        format!("{digits}号")
    }
}

/// A room as the ledger writes it: `502`, `502室` are `502`.
fn room_number(text: &str) -> String {
    let t = clean(text);
    t.strip_suffix('室').unwrap_or(&t).to_owned()
}

/// What a person's row says, read and checked.
#[derive(Debug, Clone, PartialEq)]
struct PersonRow {
    name: String,
    id: Option<IdNumber>,
    sex: Option<Sex>,
    birth: Option<NaiveDate>,
    relation: String,
    phone: Option<Phone>,
    hukou: String,
    tags: Vec<(TagDimension, String)>,
    note: String,
    /// Compound, building, room.
    place: (String, String, String),
    warnings: Vec<String>,
}

/// Whether a cell says yes (是, √, Y, 1, 独居).
fn yes(text: &str) -> bool {
    matches!(
        text.to_uppercase().as_str(),
        "是" | "√" | "✓" | "Y" | "YES" | "1" | "独居" | "TRUE"
    )
}

/// The 政治面貌 of 附件二 a cell names.
fn political(text: &str) -> Option<&'static str> {
    let t = heading_key(text);
    TagDimension::Political
        .standard_tags()
        .iter()
        .copied()
        .find(|s| *s == t)
        .or(match t.as_str() {
            "党员" | "共产党员" | "中共" => Some("中共党员"),
            "团员" | "共青团" => Some("共青团员"),
            "预备" => Some("预备党员"),
            "" => None,
            _ => None,
        })
}

/// The row as a person, or why it cannot be imported. `place` is the address carried down
/// from the rows above (members listed under their head with the address left blank).
fn read_row(
    row: &[Cell],
    map: &Mapping,
    sheet: &str,
    carried: Option<&(String, String, String)>,
    today: NaiveDate,
) -> Result<PersonRow, Vec<String>> {
    let cell = |f: Field| {
        map.column(f)
            .and_then(|c| row.get(c))
            .unwrap_or(&Cell::Empty)
    };
    let text = |f: Field| text_of(cell(f));
    let mut errors = Vec::new();
    let mut warnings = Vec::new();
    let name: String = text(Field::Name)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    if name.is_empty() {
        errors.push("没有姓名".to_owned());
    }
    let id = id_of(cell(Field::IdNumber)).unwrap_or_else(|e| {
        errors.push(e);
        None
    });
    let birth_cell = date_of(cell(Field::Birth)).unwrap_or_else(|e| {
        errors.push(e);
        None
    });
    let sex_text = text(Field::Sex);
    let sex_typed = match sex_text.as_str() {
        "男" | "男性" | "M" => Some(Sex::Male),
        "女" | "女性" | "F" => Some(Sex::Female),
        "" => None,
        other => {
            warnings.push(format!("性别“{other}”看不懂，未导入"));
            None
        }
    };
    let (sex, birth) = against_id(id.as_ref(), sex_typed, birth_cell, &mut warnings);
    let born = id.as_ref().map(IdNumber::birth_date).or(birth);
    check_age(&text(Field::Age), born, id.is_some(), today, &mut warnings);
    let phone_text = text(Field::Phone);
    let phone = if phone_text.is_empty() {
        None
    } else {
        match Phone::parse(&phone_text) {
            Ok(p) => Some(p),
            Err(e) => {
                errors.push(format!("联系电话“{phone_text}”：{e}"));
                None
            }
        }
    };
    let tags = tags_of(
        &text(Field::Political),
        yes(&text(Field::LivesAlone)),
        born,
        today,
        &mut warnings,
    );
    let place = place_of(&text, sheet, carried);
    let place = match place {
        Ok(p) => Some(p),
        Err(e) => {
            errors.push(e);
            None
        }
    };
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(PersonRow {
        name,
        id,
        sex,
        birth,
        relation: text(Field::Relation),
        phone,
        hukou: text(Field::Hukou),
        tags,
        note: text(Field::Note),
        place: place.unwrap_or_default(),
        warnings,
    })
}

/// Sex and birth date: the ID number's when there is one (what the sheet says otherwise is
/// noted), else as written.
fn against_id(
    id: Option<&IdNumber>,
    sex_typed: Option<Sex>,
    birth_cell: Option<NaiveDate>,
    warnings: &mut Vec<String>,
) -> (Option<Sex>, Option<NaiveDate>) {
    let Some(id) = id else {
        return (sex_typed, birth_cell);
    };
    if let Some(s) = sex_typed.filter(|s| *s != id.sex()) {
        warnings.push(format!(
            "性别写的是{}，身份证号是{}，以身份证号为准",
            s.label(),
            id.sex().label()
        ));
    }
    if let Some(b) = birth_cell.filter(|b| *b != id.birth_date()) {
        warnings.push(format!(
            "出生日期写的是 {b}，身份证号是 {}，以身份证号为准",
            id.birth_date()
        ));
    }
    (Some(id.sex()), None)
}

/// A 年龄 written more than a year off the birth date is noted.
fn check_age(
    age_text: &str,
    born: Option<NaiveDate>,
    from_id: bool,
    today: NaiveDate,
    warnings: &mut Vec<String>,
) {
    if age_text.is_empty() {
        return;
    }
    match (age_text.trim_end_matches('岁').parse::<u32>(), born) {
        (Ok(typed), Some(b)) => {
            let actual = age_on(b, today);
            if typed.abs_diff(actual) > 1 {
                warnings.push(format!(
                    "年龄写的是 {typed} 岁，按{}算是 {actual} 岁，以后者为准",
                    if from_id {
                        "身份证号"
                    } else {
                        "出生日期"
                    }
                ));
            }
        }
        (Err(_), _) => warnings.push(format!("年龄“{age_text}”看不懂，未导入")),
        (Ok(_), None) => {}
    }
}

/// The tags of 附件二 the row gives: its 政治面貌, and 独居老人 for one living alone at 60 or
/// more.
fn tags_of(
    pol: &str,
    alone: bool,
    born: Option<NaiveDate>,
    today: NaiveDate,
    warnings: &mut Vec<String>,
) -> Vec<(TagDimension, String)> {
    let mut tags = Vec::new();
    if !pol.is_empty() {
        match political(pol) {
            Some(t) => tags.push((TagDimension::Political, t.to_owned())),
            None => warnings.push(format!("政治面貌“{pol}”不在附件二的分类中，未导入")),
        }
    }
    if alone {
        if born.is_none_or(|b| age_on(b, today) >= 60) {
            tags.push((TagDimension::ResidentType, "独居老人".to_owned()));
        } else {
            warnings.push("标为独居，但不满 60 岁，未加“独居老人”标签".to_owned());
        }
    }
    tags
}

/// Where the row's household is: from the one-cell address, or the compound, building and
/// room columns, the compound from the sheet's name when no column gives it, or carried down
/// from the rows above.
fn place_of(
    text: &dyn Fn(Field) -> String,
    sheet: &str,
    carried: Option<&(String, String, String)>,
) -> Result<(String, String, String), String> {
    let address = text(Field::Address);
    let (building, room) = (text(Field::Building), text(Field::Room));
    let mut compound = text(Field::Compound);
    let (building, room) = if !address.is_empty() {
        let Some((c, b, r)) = split_address(&address) else {
            return Err(format!(
                "地址“{address}”分不出楼号和室号，请写成“小区名3号502室”"
            ));
        };
        if !c.is_empty() {
            compound = c;
        }
        (b, r)
    } else if !building.is_empty() && !room.is_empty() {
        (building_number(&building), room_number(&room))
    } else if let Some(p) = carried {
        return Ok(p.clone());
    } else {
        return Err("没有地址（楼号和室号）".to_owned());
    };
    if compound.is_empty() {
        compound = compound_from_sheet(sheet);
    }
    if compound.is_empty() {
        return Err(format!(
            "地址“{building}{room}室”没有小区名：请加一列“小区”，或把工作表名改成小区名"
        ));
    }
    Ok((compound, building, room))
}

/// A sheet named after its compound (樱园新村, 樱园新村3号楼) gives the compound; Sheet1 does not.
fn compound_from_sheet(sheet: &str) -> String {
    let name = clean(sheet);
    let name = name
        .split(|c: char| c.is_ascii_digit())
        .next()
        .unwrap_or("")
        .trim();
    if name.is_empty() || name.is_ascii() {
        String::new()
    } else {
        name.to_owned()
    }
}

/// What the import does with a row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// A new person (in a new household, or one already in the ledger).
    Add,
    /// A person already in the ledger, given what the sheet adds (the fields named).
    Update(Vec<String>),
    /// Already in the ledger as the sheet has it.
    Unchanged,
    /// The same person as another record: not imported (says which).
    Duplicate(String),
    /// Refused, with the reasons.
    Error(Vec<String>),
}

impl Verdict {
    /// The verdict in words, for the report.
    pub fn text(&self) -> String {
        match self {
            Verdict::Add => "新增".to_owned(),
            Verdict::Update(fields) => format!("更新：{}", fields.join("、")),
            Verdict::Unchanged => "已在台账中，无需更新".to_owned(),
            Verdict::Duplicate(of) => format!("重复：{of}，未导入"),
            Verdict::Error(reasons) => format!("错误：{}", reasons.join("；")),
        }
    }
}

/// One row of the sheets and what the import does with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowReport {
    /// The sheet.
    pub sheet: String,
    /// The row as Excel numbers it (from 1).
    pub row: usize,
    /// The name on the row.
    pub name: String,
    /// The address the row was read as (compound, building and room), if it was.
    pub address: String,
    /// What happens.
    pub verdict: Verdict,
    /// What was noticed but does not stop it (性别 against the ID number, …).
    pub warnings: Vec<String>,
}

/// The dry run of an import: a report per row, and what would be written.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportPlan {
    /// Every row read (blank rows and subtotals left out).
    pub rows: Vec<RowReport>,
    /// Sheets whose header was not found.
    pub unread_sheets: Vec<String>,
    /// Compounds to add.
    compounds: Vec<Compound>,
    /// Buildings to add or widen (floors and rooms per floor).
    buildings: Vec<Building>,
    /// How many of them are new.
    new_buildings: usize,
    /// The first household and person numbers it gives out (the ledger's next ones when it
    /// was made): a plan is applied only to the ledger it was made for.
    first_ids: (u32, u32),
    /// The households written: new ones, and existing ones with new members or fields.
    households: Vec<Household>,
    /// The existing ones among them as they were when the plan was made.
    originals: Vec<Household>,
}

impl ImportPlan {
    /// How many rows have each kind of verdict: added, updated, unchanged, duplicates, errors.
    pub fn counts(&self) -> [usize; 5] {
        let mut c = [0; 5];
        for r in &self.rows {
            c[match r.verdict {
                Verdict::Add => 0,
                Verdict::Update(_) => 1,
                Verdict::Unchanged => 2,
                Verdict::Duplicate(_) => 3,
                Verdict::Error(_) => 4,
            }] += 1;
        }
        c
    }

    /// The counts in words.
    pub fn summary(&self) -> String {
        let [add, update, same, dup, err] = self.counts();
        format!(
            "共 {} 行：新增 {add} 人，更新 {update} 人，无需更新 {same} 人，重复 {dup} 行，错误 {err} 行；涉及 {} 户（新建小区 {} 个、楼 {} 栋）",
            self.rows.len(),
            self.households.len(),
            self.compounds.len(),
            self.new_buildings,
        )
    }

    /// Whether the plan was made for these households as they are now: no household or
    /// person was added since (its new numbers would be taken) and none it changes was edited.
    pub fn is_current(&self, book: &HouseholdBook) -> bool {
        self.first_ids == (book.next_household_id().0, book.next_person_id().0)
            && self.households.iter().all(|h| {
                book.household(h.id).is_none_or(|now| {
                    self.originals
                        .iter()
                        .find(|o| o.id == h.id)
                        .is_some_and(|o| o == now)
                })
            })
    }

    /// Whether there is anything to write.
    pub fn is_empty(&self) -> bool {
        self.households.is_empty()
    }

    /// The whole import as one edit (places first, then every household), undone as one.
    pub fn edit(&self, book: &HouseholdBook) -> Edit {
        let mut edits = Vec::new();
        if !self.compounds.is_empty() || !self.buildings.is_empty() {
            let mut compounds = book.compounds.clone();
            compounds.extend(self.compounds.iter().cloned());
            let mut buildings = book.buildings.clone();
            for b in &self.buildings {
                match buildings.iter_mut().find(|x| x.id == b.id) {
                    Some(x) => *x = b.clone(),
                    None => buildings.push(b.clone()),
                }
            }
            edits.push(Edit::Places(compounds, buildings));
        }
        edits.extend(
            self.households
                .iter()
                .map(|h| Edit::Household(h.id, Some(Box::new(h.clone())))),
        );
        Edit::Batch(edits)
    }
}

/// The ledger's places and people, looked up as the import goes, with what it adds.
struct Places<'a> {
    book: &'a HouseholdBook,
    compounds: Vec<Compound>,
    buildings: Vec<Building>,
    /// Households touched, by id (a copy of the ledger's, or new).
    households: Vec<Household>,
    next_household: u32,
    next_person: u32,
    next_compound: u32,
    next_building: u32,
    /// Every ID number in the ledger: household and person.
    ids: HashMap<String, (HouseholdId, PersonId)>,
    /// The ledger's households living at each building and room (position in its list).
    living: HashMap<(BuildingId, String), usize>,
    /// The households touched, by building and room (position in `households`).
    touched: HashMap<(BuildingId, String), usize>,
}

impl<'a> Places<'a> {
    fn new(book: &'a HouseholdBook) -> Places<'a> {
        let ids = book
            .people()
            .filter_map(|(h, p)| {
                p.id_number
                    .as_ref()
                    .map(|i| (i.as_str().to_owned(), (h.id, p.id)))
            })
            .collect();
        Places {
            book,
            compounds: book.compounds.clone(),
            buildings: book.buildings.clone(),
            households: Vec::new(),
            next_household: book.next_household_id().0,
            next_person: book.next_person_id().0,
            next_compound: book.compounds.iter().map(|c| c.id.0).max().unwrap_or(0) + 1,
            next_building: book.buildings.iter().map(|b| b.id.0).max().unwrap_or(0) + 1,
            ids,
            living: book
                .households
                .iter()
                .enumerate()
                .filter(|(_, h)| h.is_active())
                .map(|(i, h)| ((h.building, h.room.clone()), i))
                .collect(),
            touched: HashMap::new(),
        }
    }

    /// The building of a compound, made if new; widened to hold the room.
    fn building(&mut self, compound: &str, number: &str, room: &str) -> BuildingId {
        let c = match self.compounds.iter().find(|c| c.name == compound) {
            Some(c) => c.id,
            None => {
                let id = CompoundId(self.next_compound);
                self.next_compound += 1;
                self.compounds.push(Compound {
                    id,
                    name: compound.to_owned(),
                    address: String::new(),
                });
                id
            }
        };
        let digits: u32 = room
            .chars()
            .take_while(char::is_ascii_digit)
            .collect::<String>()
            .parse()
            .unwrap_or(0);
        let (floor, index) = (digits / 100, digits % 100);
        let b = match self
            .buildings
            .iter_mut()
            .find(|b| b.compound == c && b.number == number)
        {
            Some(b) => b,
            None => {
                let id = BuildingId(self.next_building);
                self.next_building += 1;
                self.buildings.push(Building {
                    id,
                    compound: c,
                    number: number.to_owned(),
                    floors: 0,
                    rooms_per_floor: 0,
                });
                let last = self.buildings.len() - 1;
                &mut self.buildings[last]
            }
        };
        b.floors = b.floors.max(floor);
        b.rooms_per_floor = b.rooms_per_floor.max(index);
        b.id
    }

    /// The building of a compound, if there is one (nothing is made).
    fn find_building(&self, compound: &str, number: &str) -> Option<BuildingId> {
        let c = self.compounds.iter().find(|c| c.name == compound)?.id;
        self.buildings
            .iter()
            .find(|b| b.compound == c && b.number == number)
            .map(|b| b.id)
    }

    /// The household living at a building and room, if there is one (nothing is made).
    fn find_household(&self, building: BuildingId, room: &str) -> Option<HouseholdId> {
        let key = (building, room.to_owned());
        match self.touched.get(&key) {
            Some(&i) => self.households.get(i).map(|h| h.id),
            None => self
                .living
                .get(&key)
                .and_then(|&i| self.book.households.get(i))
                .map(|h| h.id),
        }
    }

    /// The household at a building and room: one already touched, one in the ledger (copied
    /// to be changed), or a new one.
    fn household(&mut self, building: BuildingId, room: &str) -> usize {
        let key = (building, room.to_owned());
        if let Some(&i) = self.touched.get(&key) {
            return i;
        }
        let existing = self
            .living
            .get(&key)
            .and_then(|&i| self.book.households.get(i));
        let h = match existing {
            Some(h) => h.clone(),
            None => {
                let id = HouseholdId(self.next_household);
                self.next_household += 1;
                Household {
                    id,
                    building,
                    room: room.to_owned(),
                    house_type: String::new(),
                    phone: None,
                    has_vehicle: false,
                    separated: false,
                    members: Vec::new(),
                    events: Vec::new(),
                    moved_out: None,
                    note: String::new(),
                }
            }
        };
        self.households.push(h);
        self.touched.insert(key, self.households.len() - 1);
        self.households.len() - 1
    }
}

/// Adds what the row says that the person lacks; returns the names of the fields changed.
fn fill(p: &mut Person, r: &PersonRow, today: NaiveDate, by: &str) -> Vec<String> {
    let mut changed = Vec::new();
    if p.id_number.is_none() && r.id.is_some() {
        p.id_number.clone_from(&r.id);
        p.sex = r.sex;
        changed.push("身份证号".to_owned());
    }
    if p.phone.is_none() && r.phone.is_some() {
        p.phone.clone_from(&r.phone);
        changed.push("联系电话".to_owned());
    }
    if p.hukou_address.is_empty() && !r.hukou.is_empty() {
        p.hukou_address.clone_from(&r.hukou);
        changed.push("户籍地址".to_owned());
    }
    if p.relation.is_empty() && !r.relation.is_empty() {
        p.relation.clone_from(&r.relation);
        changed.push("与户主关系".to_owned());
    }
    for (dimension, tag) in &r.tags {
        if !p.has_tag(*dimension, tag) {
            p.set_tag(*dimension, tag, today, by);
            changed.push(tag.clone());
        }
    }
    changed
}

/// The dry run: what importing these sheets into the ledger's households would do, row by
/// row, each sheet read by the header [`detect`] finds. `by` is who imports (kept on the tags
/// set), `today` the day (ages are checked against it).
pub fn plan(book: &HouseholdBook, sheets: &[Sheet], by: &str, today: NaiveDate) -> ImportPlan {
    let mappings: Vec<Option<Mapping>> = sheets.iter().map(detect).collect();
    plan_with(book, sheets, &mappings, by, today)
}

/// [`plan`] with each sheet's columns as the user set them (`None`: the sheet is not read).
pub fn plan_with(
    book: &HouseholdBook,
    sheets: &[Sheet],
    mappings: &[Option<Mapping>],
    by: &str,
    today: NaiveDate,
) -> ImportPlan {
    let mut places = Places::new(book);
    let first_ids = (places.next_household, places.next_person);
    let mut rows = Vec::new();
    let mut unread = Vec::new();
    // ID numbers met in the file: where.
    let mut in_file: HashMap<String, String> = HashMap::new();
    for (sheet, map) in sheets.iter().zip(mappings) {
        let Some(map) = map.clone() else {
            if sheet
                .rows
                .iter()
                .any(|r| r.iter().any(|c| *c != Cell::Empty))
            {
                unread.push(sheet.name.clone());
            }
            continue;
        };
        let mut carried: Option<(String, String, String)> = None;
        for (r, row) in sheet.rows.iter().enumerate().skip(map.header_row + 1) {
            if skipped(row) {
                continue;
            }
            let at = format!("“{}”第 {} 行", sheet.name, r + 1);
            let name_cell = map
                .column(Field::Name)
                .and_then(|c| row.get(c))
                .map(text_of)
                .unwrap_or_default();
            let read = read_row(row, &map, &sheet.name, carried.as_ref(), today);
            let (verdict, address, warnings) = match read {
                Err(reasons) => (Verdict::Error(reasons), String::new(), Vec::new()),
                Ok(p) => {
                    carried = Some(p.place.clone());
                    let address = format!("{}{}{}室", p.place.0, p.place.1, p.place.2);
                    let verdict = place_person(&mut places, &p, &mut in_file, &at, by, today);
                    (verdict, address, p.warnings)
                }
            };
            rows.push(RowReport {
                sheet: sheet.name.clone(),
                row: r + 1,
                name: name_cell.chars().filter(|c| !c.is_whitespace()).collect(),
                address,
                verdict,
                warnings,
            });
        }
    }
    let new_compounds: Vec<Compound> = places
        .compounds
        .iter()
        .filter(|c| book.compound(c.id).is_none())
        .cloned()
        .collect();
    let changed_buildings: Vec<Building> = places
        .buildings
        .iter()
        .filter(|b| book.building(b.id) != Some(*b))
        .cloned()
        .collect();
    let new_buildings = changed_buildings
        .iter()
        .filter(|b| book.building(b.id).is_none())
        .count();
    let households: Vec<Household> = places
        .households
        .into_iter()
        .filter(|h| book.household(h.id) != Some(h))
        .collect();
    let originals: Vec<Household> = households
        .iter()
        .filter_map(|h| book.household(h.id).cloned())
        .collect();
    ImportPlan {
        rows,
        unread_sheets: unread,
        compounds: new_compounds,
        buildings: changed_buildings,
        new_buildings,
        first_ids,
        households,
        originals,
    }
}

/// A row with nothing on it, or a subtotal (合计, 小计, 总计, 共 N 户).
fn skipped(row: &[Cell]) -> bool {
    let texts: Vec<String> = row.iter().map(text_of).filter(|t| !t.is_empty()).collect();
    texts.is_empty()
        || texts.iter().any(|t| {
            let t = heading_key(t);
            t == "合计"
                || t == "小计"
                || t == "总计"
                || t.starts_with("合计")
                || t.starts_with("小计")
        })
}

/// Puts the row's person in its household: a new member, an update of the same person, or a
/// duplicate of one elsewhere.
fn place_person(
    places: &mut Places<'_>,
    p: &PersonRow,
    in_file: &mut HashMap<String, String>,
    at: &str,
    by: &str,
    today: NaiveDate,
) -> Verdict {
    if let Some(id) = &p.id {
        if let Some(first) = in_file.get(id.as_str()) {
            return Verdict::Duplicate(format!("与{first}是同一身份证号"));
        }
        in_file.insert(id.as_str().to_owned(), at.to_owned());
    }
    let known =
        p.id.as_ref()
            .and_then(|id| places.ids.get(id.as_str()))
            .copied();
    // A person already living elsewhere: said, and nothing made for the row.
    let here = places
        .find_building(&p.place.0, &p.place.1)
        .and_then(|b| places.find_household(b, &p.place.2));
    if let Some((home, person)) = known
        && Some(home) != here
    {
        let where_ = places
            .book
            .household(home)
            .map(|x| places.book.address_of(x))
            .unwrap_or_default();
        let name = places
            .book
            .household(home)
            .and_then(|x| x.members.iter().find(|m| m.id == person))
            .map(|m| m.name.clone())
            .unwrap_or_default();
        return Verdict::Duplicate(format!("身份证号已登记在 {where_}（{name}）"));
    }
    let building = places.building(&p.place.0, &p.place.1, &p.place.2);
    let h = places.household(building, &p.place.2);
    let household_id = places.households[h].id;
    let household = &mut places.households[h];
    // The same person: by ID number, or by name when neither side has one.
    let same = household.members.iter_mut().find(|m| {
        m.is_present()
            && match (&m.id_number, &p.id) {
                (Some(a), Some(b)) => a == b,
                _ => m.name == p.name,
            }
    });
    if let Some(m) = same {
        let changed = fill(m, p, today, by);
        return if changed.is_empty() {
            Verdict::Unchanged
        } else {
            Verdict::Update(changed)
        };
    }
    let relation = if p.relation.is_empty() && household.present_members().next().is_none() {
        "户主".to_owned()
    } else {
        p.relation.clone()
    };
    let id = PersonId(places.next_person);
    places.next_person += 1;
    let mut person = Person {
        id,
        name: p.name.clone(),
        relation,
        group: MemberGroup::Owner,
        sex: p.sex,
        id_number: p.id.clone(),
        birth_date: p.birth,
        hukou_address: p.hukou.clone(),
        phone: p.phone.clone(),
        tags: Vec::new(),
        moved_in: None,
        moved_out: None,
        note: p.note.clone(),
    };
    for (dimension, tag) in &p.tags {
        person.tags.push(TagAssignment {
            dimension: *dimension,
            name: tag.clone(),
            set_on: today,
            set_by: by.to_owned(),
            ended: None,
        });
    }
    if household.phone.is_none() {
        household.phone.clone_from(&p.phone);
    }
    household.members.push(person);
    if let Some(i) = &p.id {
        places.ids.insert(i.as_str().to_owned(), (household_id, id));
    }
    Verdict::Add
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Ledger;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn today() -> NaiveDate {
        day(2026, 11, 30)
    }

    fn t(s: &str) -> Cell {
        if s.is_empty() {
            Cell::Empty
        } else {
            Cell::Text(s.into())
        }
    }

    fn row(cells: &[&str]) -> Vec<Cell> {
        cells.iter().map(|s| t(s)).collect()
    }

    /// A ledger with 樱园新村 3号, household 3号502 of 李桂英 (ID …002X, no phone).
    fn ledger() -> Ledger {
        let person = Person {
            id: PersonId(1),
            name: "李桂英".into(),
            relation: "户主".into(),
            group: MemberGroup::Owner,
            sex: Some(Sex::Female),
            id_number: IdNumber::parse("11010519491231002X").ok(),
            birth_date: None,
            hukou_address: String::new(),
            phone: None,
            tags: Vec::new(),
            moved_in: None,
            moved_out: None,
            note: String::new(),
        };
        Ledger {
            households: HouseholdBook {
                compounds: vec![Compound {
                    id: CompoundId(1),
                    name: "樱园新村".into(),
                    address: String::new(),
                }],
                buildings: vec![Building {
                    id: BuildingId(1),
                    compound: CompoundId(1),
                    number: "3号".into(),
                    floors: 6,
                    rooms_per_floor: 2,
                }],
                households: vec![Household {
                    id: HouseholdId(1),
                    building: BuildingId(1),
                    room: "502".into(),
                    house_type: String::new(),
                    phone: None,
                    has_vehicle: false,
                    separated: false,
                    members: vec![person],
                    events: Vec::new(),
                    moved_out: None,
                    note: String::new(),
                }],
            },
            ..Ledger::default()
        }
    }

    #[test]
    fn headers_are_found_under_a_title_and_matched_by_their_variants() {
        let sheet = Sheet {
            name: "Sheet1".into(),
            rows: vec![
                row(&["樱园新村居民信息表（2026年）"]),
                row(&["", "", "家庭成员"]),
                row(&[
                    "序号",
                    "户主姓名",
                    "公民身份号码",
                    "性 别",
                    "门牌",
                    "联系电话*",
                    "政治面貌",
                ]),
            ],
        };
        let map = detect(&sheet).expect("a header");
        assert_eq!(map.header_row, 2);
        assert_eq!(
            map.columns,
            [
                None,
                Some(Field::Name),
                Some(Field::IdNumber),
                Some(Field::Sex),
                Some(Field::Address),
                Some(Field::Phone),
                Some(Field::Political),
            ]
        );
        assert!(
            detect(&Sheet {
                name: "说明".into(),
                rows: vec![row(&["本表由居委会填写"])],
            })
            .is_none()
        );
    }

    #[test]
    fn a_heading_mapped_by_hand_is_remembered_for_next_time() {
        let sheet = Sheet {
            name: "Sheet1".into(),
            rows: vec![row(&["姓名", "身份证号", "家庭情况", "关系"])],
        };
        let mut map = detect(&sheet).expect("a header");
        assert_eq!(map.columns[2], None);
        assert_eq!(map.columns[3], Some(Field::Relation));
        // The user makes 家庭情况 the note and leaves 关系 out.
        map.columns[2] = Some(Field::Note);
        map.columns[3] = None;
        let kept = remember(&[], std::slice::from_ref(&sheet), &[Some(map.clone())]);
        assert_eq!(
            kept,
            [
                ("家庭情况".to_owned(), Some(Field::Note)),
                ("关系".to_owned(), None)
            ]
        );
        assert_eq!(detect_with(&sheet, &kept), Some(map));
        // Remembering the same choices again adds nothing.
        let again = remember(
            &kept,
            std::slice::from_ref(&sheet),
            &[detect_with(&sheet, &kept)],
        );
        assert_eq!(again, kept);
    }

    #[test]
    fn an_address_in_one_cell_is_split_however_it_is_written() {
        let split = |s: &str| split_address(s).map(|(c, b, r)| format!("{c}|{b}|{r}"));
        for (text, want) in [
            ("樱园新村3号502室", "樱园新村|3号|502"),
            ("樱园新村3号楼502", "樱园新村|3号|502"),
            ("樱园新村 3-502", "樱园新村|3号|502"),
            ("樱园新村３号５０２室", "樱园新村|3号|502"),
            ("长青里12幢1001室", "长青里|12号|1001"),
            ("3号502室", "|3号|502"),
            ("翠湖花园 17号 1002A", "翠湖花园|17号|1002A"),
        ] {
            assert_eq!(split(text).as_deref(), Some(want), "{text}");
        }
        assert_eq!(split("樱园新村"), None);
        assert_eq!(split("502室"), None);
    }

    /// The sheet the import tests share: every trap on its own row.
    #[expect(
        clippy::too_many_lines,
        reason = "one row per trap, each with its comment: a table read top to bottom"
    )]
    fn sheet() -> Sheet {
        let mut rows = vec![row(&[
            "姓名",
            "身份证号",
            "性别",
            "年龄",
            "出生日期",
            "地址",
            "联系电话",
            "政治面貌",
            "是否独居",
        ])];
        let mut push = |cells: Vec<Cell>| rows.push(cells);
        // 2: a new household, full-width digits and a lower-case x.
        push(row(&[
            "王 芳",
            "１１０１０５１９５００１０１００８x",
            "女",
            "76",
            "",
            "樱园新村3号501室",
            "13912345678",
            "党员",
            "是",
        ]));
        // 3: a member under her, the address left blank; sex and age written wrongly.
        push(row(&[
            "赵强",
            "110105197501010018",
            "女",
            "30",
            "",
            "",
            "",
            "群众",
            "",
        ]));
        // 4: the ID saved as a number: damaged.
        let mut damaged = row(&["钱多", "", "", "", "", "樱园新村3号601室", "", "", ""]);
        damaged[1] = Cell::Number(110_105_195_001_010_000.0);
        push(damaged);
        // 5: the same in scientific notation, as CSV keeps it.
        push(row(&[
            "孙少",
            "1.10105E+17",
            "",
            "",
            "",
            "樱园新村3号602室",
            "",
            "",
            "",
        ]));
        // 6: no ID; birth as an Excel serial number.
        let mut serial = row(&["周小", "", "男", "", "", "樱园新村4号101室", "", "", ""]);
        serial[4] = Cell::Number(18_264.0); // 1950-01-01
        push(serial);
        // 7: the person already in the ledger, with a phone the ledger lacks.
        push(row(&[
            "李桂英",
            "11010519491231002X",
            "",
            "",
            "",
            "樱园新村3号502室",
            "13800138000",
            "",
            "",
        ]));
        // 8: row 2's person again.
        push(row(&[
            "王芳",
            "11010519500101008X",
            "",
            "",
            "",
            "樱园新村3号501室",
            "",
            "",
            "",
        ]));
        // 9: a subtotal, and 10: a blank row.
        push(row(&["合计：3户"]));
        push(row(&[]));
        // 11: the ledger's person, written at another address.
        push(row(&[
            "李桂英",
            "11010519491231002X",
            "",
            "",
            "",
            "樱园新村5号101室",
            "",
            "",
            "",
        ]));
        // 12: a phone that is not one.
        push(row(&[
            "吴用",
            "",
            "",
            "",
            "",
            "樱园新村3号503室",
            "12345",
            "",
            "",
        ]));
        Sheet {
            name: "Sheet1".into(),
            rows,
        }
    }

    fn verdict(p: &ImportPlan, row: usize) -> &RowReport {
        p.rows.iter().find(|r| r.row == row).expect("the row")
    }

    #[test]
    fn every_row_gets_its_verdict_and_bad_rows_are_refused_whole() {
        let ledger = ledger();
        let p = plan(&ledger.households, &[sheet()], "王书记", today());
        assert_eq!(
            p.rows.len(),
            9,
            "the subtotal and the blank row are skipped"
        );
        let r2 = verdict(&p, 2);
        assert_eq!((r2.name.as_str(), &r2.verdict), ("王芳", &Verdict::Add));
        assert_eq!(r2.address, "樱园新村3号501室");
        let r3 = verdict(&p, 3);
        assert_eq!(r3.verdict, Verdict::Add);
        assert_eq!(r3.address, "樱园新村3号501室", "carried down");
        assert!(r3.warnings.iter().any(|w| w.contains("以身份证号为准")));
        assert!(r3.warnings.iter().any(|w| w.contains("年龄写的是 30 岁")));
        for n in [4, 5] {
            match &verdict(&p, n).verdict {
                Verdict::Error(e) => assert!(e[0].contains("设为“文本”格式"), "{e:?}"),
                other => panic!("row {n}: {other:?}"),
            }
        }
        assert_eq!(verdict(&p, 6).verdict, Verdict::Add);
        assert_eq!(
            verdict(&p, 7).verdict,
            Verdict::Update(vec!["联系电话".into()])
        );
        assert!(matches!(&verdict(&p, 8).verdict, Verdict::Duplicate(d) if d.contains("第 2 行")));
        assert!(matches!(&verdict(&p, 11).verdict, Verdict::Duplicate(d) if d.contains("第 7 行")));
        // Alone, the same row is a duplicate of the ledger's person, said with her address.
        let mut alone = sheet();
        alone.rows.truncate(1);
        alone.rows.push(sheet().rows[10].clone());
        let q = plan(&ledger.households, &[alone], "王书记", today());
        assert!(
            matches!(&q.rows[0].verdict, Verdict::Duplicate(d) if d.contains("樱园新村 3号 502室（李桂英）")),
            "{:?}",
            q.rows[0].verdict
        );
        assert!(q.is_empty(), "nothing to write for a duplicate");
        assert!(matches!(&verdict(&p, 12).verdict, Verdict::Error(e) if e[0].contains("联系电话")));
        assert_eq!(p.counts(), [3, 1, 0, 2, 3]);
    }

    #[test]
    fn the_import_is_one_edit_that_adds_and_undoes_whole() {
        let mut ledger = ledger();
        let before = ledger.clone();
        let p = plan(&ledger.households, &[sheet()], "王书记", today());
        assert!(p.is_current(&ledger.households));
        let undo = p.edit(&ledger.households).apply(&mut ledger);
        let book = &ledger.households;
        // 樱园新村 3号501 (new, two people), 4号101 (new building), and 3号502 updated.
        assert_eq!(book.households.len(), 3);
        assert_eq!(book.buildings.len(), 2);
        let new = book
            .households
            .iter()
            .find(|h| h.room == "501")
            .expect("3号501");
        assert_eq!(new.members.len(), 2);
        assert_eq!(new.members[0].relation, "户主");
        assert!(new.members[0].has_tag(TagDimension::Political, "中共党员"));
        assert!(new.members[0].has_tag(TagDimension::ResidentType, "独居老人"));
        assert_eq!(
            new.members[1].sex,
            Some(Sex::Male),
            "from the ID, not the sheet"
        );
        let serial = book
            .households
            .iter()
            .find(|h| h.room == "101")
            .expect("4号101");
        assert_eq!(serial.members[0].birth_date, Some(day(1950, 1, 1)));
        let li = &book.household(HouseholdId(1)).unwrap().members[0];
        assert_eq!(li.phone.as_ref().map(Phone::as_str), Some("13800138000"));
        // The plan was for the ledger before it: not applied twice.
        assert!(!p.is_current(&ledger.households));
        // Importing again changes nothing.
        let again = plan(&ledger.households, &[sheet()], "王书记", today());
        assert!(again.is_empty(), "{}", again.summary());
        undo.apply(&mut ledger);
        assert_eq!(ledger, before);
    }

    #[test]
    fn dates_are_read_however_they_are_written() {
        for (cell, want) in [
            (Cell::Number(18_264.0), day(1950, 1, 1)),
            (Cell::Number(19_500_302.0), day(1950, 3, 2)),
            (t("1950/3/2"), day(1950, 3, 2)),
            (t("1950.03.02"), day(1950, 3, 2)),
            (t("1950年3月2日"), day(1950, 3, 2)),
            (t("１９５０-０３-０２"), day(1950, 3, 2)),
            (Cell::Date(day(1950, 3, 2)), day(1950, 3, 2)),
        ] {
            assert_eq!(date_of(&cell), Ok(Some(want)), "{cell:?}");
        }
        assert!(date_of(&t("三月二日")).is_err());
    }

    #[test]
    fn a_compound_comes_from_its_column_or_the_sheet_name_or_is_asked_for() {
        let rows = vec![row(&["姓名", "楼号", "室号"]), row(&["张三", "3", "502室"])];
        let named = Sheet {
            name: "樱园新村3号楼".into(),
            rows: rows.clone(),
        };
        let p = plan(&ledger().households, &[named], "甲", today());
        assert_eq!(p.rows[0].address, "樱园新村3号502室");
        let unnamed = Sheet {
            name: "Sheet1".into(),
            rows,
        };
        let p = plan(&ledger().households, &[unnamed], "甲", today());
        assert!(
            matches!(&p.rows[0].verdict, Verdict::Error(e) if e[0].contains("没有小区名")),
            "{:?}",
            p.rows[0].verdict
        );
    }
}
