//! One person's row read and checked: the ID number against 性别, 出生日期 and 年龄, the tags of
//! 附件二 it gives, and where the household is.

use super::super::id_number::{IdNumber, Sex, age_on};
use super::super::phone::Phone;
use super::super::tags::TagDimension;
use chrono::NaiveDate;

use super::cells::*;
use super::sheet::*;

/// What a person's row says, read and checked.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct PersonRow {
    pub(super) name: String,
    pub(super) id: Option<IdNumber>,
    pub(super) sex: Option<Sex>,
    pub(super) birth: Option<NaiveDate>,
    pub(super) relation: String,
    pub(super) phone: Option<Phone>,
    pub(super) hukou: String,
    pub(super) tags: Vec<(TagDimension, String)>,
    pub(super) note: String,
    /// Compound, building, room.
    pub(super) place: (String, String, String),
    pub(super) warnings: Vec<String>,
}

/// Whether a cell says yes (是, √, Y, 1, 独居).
pub(super) fn yes(text: &str) -> bool {
    matches!(
        text.to_uppercase().as_str(),
        "是" | "√" | "✓" | "Y" | "YES" | "1" | "独居" | "TRUE"
    )
}

/// The 政治面貌 of 附件二 a cell names.
pub(super) fn political(text: &str) -> Option<&'static str> {
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
pub(super) fn read_row(
    row: &[Cell],
    map: &Mapping,
    sheet: &str,
    carried: Option<&(String, String, String)>,
    today: NaiveDate,
) -> Result<PersonRow, Vec<String>> {
    let cell = |f: Field| map.cell(row, f);
    let text = |f: Field| text_of(cell(f));
    let words = |f: Field| words_of(cell(f));
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
        relation: words(Field::Relation),
        phone,
        hukou: words(Field::Hukou),
        tags,
        note: words(Field::Note),
        place: place.unwrap_or_default(),
        warnings,
    })
}

/// Sex and birth date: the ID number's when there is one (what the sheet says otherwise is
/// noted), else as written.
pub(super) fn against_id(
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
pub(super) fn check_age(
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
pub(super) fn tags_of(
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
pub(super) fn place_of(
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
pub(super) fn compound_from_sheet(sheet: &str) -> String {
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
