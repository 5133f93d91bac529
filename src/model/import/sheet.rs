//! The cells of a sheet and its header: which column holds which field (of 附件一 for
//! households, of 走访记录样张 for visits), found by the headings committees write (and by
//! what a committee chose before).

use super::cells::text_of;
use chrono::{NaiveDate, NaiveDateTime};

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
    /// A cell formatted as a date with a time of day.
    DateTime(NaiveDateTime),
}

/// One sheet: its name and its rows of cells.
#[derive(Debug, Clone, PartialEq)]
pub struct Sheet {
    /// The sheet's name (often a building: 3号楼).
    pub name: String,
    /// Rows, top to bottom.
    pub rows: Vec<Vec<Cell>>,
}

/// What a sheet is imported as: the fields its columns can hold and what its header must
/// name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Target {
    /// People and their households (附件一, one person per row).
    #[default]
    Households,
    /// Visits (居民区走访记录, one visit per row), as 社区云 or a committee's own log has them.
    Visits,
}

impl Target {
    /// The fields a column can hold, in the order the mapping lists them.
    pub fn fields(self) -> &'static [Field] {
        match self {
            Target::Households => &Field::HOUSEHOLD,
            Target::Visits => &Field::VISIT,
        }
    }

    /// What the header must name for a row to be taken as it.
    fn is_header(self, named: &[Field]) -> bool {
        match self {
            Target::Households => {
                named.len() >= 2
                    && (named.contains(&Field::Name) || named.contains(&Field::IdNumber))
            }
            Target::Visits => named.contains(&Field::VisitTime) && named.contains(&Field::Worker),
        }
    }

    /// What the header names, in words, for a sheet where none was found.
    pub fn header_words(self) -> &'static str {
        match self {
            Target::Households => "姓名、身份证号等",
            Target::Visits => "走访时间、走访人等",
        }
    }
}

impl Sheet {
    /// Whether no cell of the sheet holds anything.
    pub fn is_blank(&self) -> bool {
        self.rows.iter().flatten().all(|c| *c == Cell::Empty)
    }
}

/// A field a column can hold (of 附件一, or of a visit).
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
    /// 走访时间 (a visit's).
    VisitTime,
    /// 走访人 (a visit's: one worker, or several joined by 、).
    Worker,
    /// 走访居民姓名 (a visit's).
    Resident,
    /// 家庭成员情况 (a visit's).
    Family,
    /// 走访事由 (a visit's).
    Reason,
    /// 困难或诉求 (a visit's).
    Needs,
    /// 走访类型 (a visit's: 一般走访, 特殊对象走访, 业务条线).
    VisitKind,
}

impl Field {
    /// The fields of a household sheet (附件一).
    pub const HOUSEHOLD: [Field; 15] = [
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

    /// The fields of a visits sheet (走访记录样张, and the type of visit).
    pub const VISIT: [Field; 12] = [
        Field::VisitTime,
        Field::Worker,
        Field::Resident,
        Field::Address,
        Field::Compound,
        Field::Building,
        Field::Room,
        Field::Family,
        Field::Reason,
        Field::Needs,
        Field::VisitKind,
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
            Field::VisitTime => "走访时间",
            Field::Worker => "走访人",
            Field::Resident => "走访居民姓名",
            Field::Family => "家庭成员情况",
            Field::Reason => "走访事由",
            Field::Needs => "困难或诉求",
            Field::VisitKind => "走访类型",
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
            Field::VisitTime => &[
                "走访时间",
                "走访日期",
                "走访日期时间",
                "日期",
                "时间",
                "走访时间日期",
            ],
            Field::Worker => &[
                "走访人",
                "走访人员",
                "走访工作人员",
                "走访者",
                "走访干部",
                "走访社工",
                "工作人员",
                "社工",
            ],
            Field::Resident => &[
                "走访居民姓名",
                "被走访人",
                "被走访居民",
                "被走访人姓名",
                "走访对象",
                "被访人",
                "居民姓名",
                "姓名",
            ],
            Field::Family => &["家庭成员情况", "家庭情况", "家庭成员"],
            Field::Reason => &["走访事由", "事由", "走访内容", "走访目的", "内容"],
            Field::Needs => &[
                "困难或诉求",
                "困难和诉求",
                "困难诉求",
                "诉求",
                "居民诉求",
                "反映问题",
                "反映情况",
            ],
            Field::VisitKind => &["走访类型", "走访类别", "类型"],
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
pub(super) fn heading_key(text: &str) -> String {
    clean(text)
        .chars()
        .filter(|c| c.is_alphanumeric() || ('\u{4e00}'..='\u{9fff}').contains(c))
        .collect()
}

/// The field a heading names, if any, among the target's: as the committee chose it in an
/// earlier import (`remembered`; a choice of a field the target has not is passed over),
/// else by the headings of the form and their variants.
pub fn field_for(
    heading: &str,
    remembered: &[(String, Option<Field>)],
    target: Target,
) -> Option<Field> {
    let key = heading_key(heading);
    match remembered
        .iter()
        .find(|(h, f)| heading_key(h) == key && f.is_none_or(|f| target.fields().contains(&f)))
    {
        Some((_, field)) => *field,
        None => field_of(heading, target),
    }
}

/// The headings whose field the user chose differently from what would be found by default,
/// added to (or replacing in) what the committee remembers.
pub fn remember(
    remembered: &[(String, Option<Field>)],
    sheets: &[Sheet],
    mappings: &[Option<Mapping>],
    target: Target,
) -> Vec<(String, Option<Field>)> {
    let mut out = remembered.to_vec();
    for (sheet, map) in sheets.iter().zip(mappings) {
        let Some(map) = map else { continue };
        for (heading, chosen) in map.headings(sheet).iter().zip(&map.columns) {
            let key = heading_key(heading);
            if key.is_empty() || field_for(heading, &out, target) == *chosen {
                continue;
            }
            // Only this target's choice of the heading is replaced.
            out.retain(|(h, f)| {
                heading_key(h) != key || f.is_some_and(|f| !target.fields().contains(&f))
            });
            out.push((key, *chosen));
        }
    }
    out
}

/// The field a heading names among the target's, by the form's headings and their variants.
pub fn field_of(heading: &str, target: Target) -> Option<Field> {
    let key = heading_key(heading);
    if key.is_empty() {
        return None;
    }
    target
        .fields()
        .iter()
        .copied()
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

    /// The cell of a row that holds a field (empty when no column holds it).
    pub fn cell<'a>(&self, row: &'a [Cell], field: Field) -> &'a Cell {
        self.column(field)
            .and_then(|c| row.get(c))
            .unwrap_or(&Cell::Empty)
    }
}

/// How many rows from the top a header is looked for (a title and notes may come first).
pub(super) const HEADER_SEARCH_ROWS: usize = 12;

/// The header of a household sheet: the row among the first few whose cells name the most
/// fields (a title merged across the top is passed over; under a merged group heading the row
/// of field names is taken). None when no row names a person's 姓名 or 身份证号.
pub fn detect(sheet: &Sheet) -> Option<Mapping> {
    detect_with(sheet, &[], Target::Households)
}

/// [`detect`] for a target, reading headings as the committee chose them before (see
/// [`field_for`]). A visits sheet's header names at least 走访时间 and 走访人.
pub fn detect_with(
    sheet: &Sheet,
    remembered: &[(String, Option<Field>)],
    target: Target,
) -> Option<Mapping> {
    let mut best: Option<(usize, Mapping)> = None;
    for (r, row) in sheet.rows.iter().take(HEADER_SEARCH_ROWS).enumerate() {
        let mut columns: Vec<Option<Field>> = row
            .iter()
            .map(|c| match c {
                Cell::Text(t) => field_for(t, remembered, target),
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
        if target.is_header(&seen) && best.as_ref().is_none_or(|(n, _)| named > *n) {
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
