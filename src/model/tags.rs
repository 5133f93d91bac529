//! The tag taxonomy of 附件二 (《普陀区社区居民家庭信息台账》标签), verbatim, plus the tags a committee
//! adds itself, and the dated history of tags set on a person.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// One dimension of the taxonomy (a column of the ledger form).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum TagDimension {
    /// 房屋类型 (recorded on the household)
    HouseType,
    /// 政治面貌
    Political,
    /// 社区身份
    CommunityRole,
    /// 居民类型
    ResidentType,
    /// 家庭类型
    FamilyType,
    /// 重点关注: the most sensitive tags; show only where needed.
    Attention,
}

impl TagDimension {
    /// Every dimension, in the order of the form.
    pub const ALL: [TagDimension; 6] = [
        TagDimension::HouseType,
        TagDimension::Political,
        TagDimension::CommunityRole,
        TagDimension::ResidentType,
        TagDimension::FamilyType,
        TagDimension::Attention,
    ];

    /// The Chinese heading.
    pub fn label(self) -> &'static str {
        match self {
            TagDimension::HouseType => "房屋类型",
            TagDimension::Political => "政治面貌",
            TagDimension::CommunityRole => "社区身份",
            TagDimension::ResidentType => "居民类型",
            TagDimension::FamilyType => "家庭类型",
            TagDimension::Attention => "重点关注",
        }
    }

    /// The standard tags of 附件二 for this dimension, verbatim.
    pub fn standard_tags(self) -> &'static [&'static str] {
        match self {
            TagDimension::HouseType => &["商品房", "公租房", "动迁房", "经适房", "廉租房"],
            TagDimension::Political => &[
                "中共党员",
                "预备党员",
                "共青团员",
                "民主党派",
                "无党派",
                "群众",
            ],
            TagDimension::CommunityRole => &[
                "居（村）委会成员",
                "业委会成员",
                "楼组长",
                "居民代表",
                "志愿者",
                "群众团队成员",
                "社区能人达人",
                "一般居民",
            ],
            TagDimension::ResidentType => &[
                "社区党员",
                "在职党员",
                "高龄老人",
                "独居老人",
                "退休人员",
                "大重病人员",
                "残疾人员",
                "退伍转业人员",
                "机关事业单位人员",
                "企业员工",
                "全职爸妈",
                "外籍人员",
                "来沪人员",
                "流动人员",
                "在校学生",
                "学龄前儿童",
            ],
            TagDimension::FamilyType => &[
                "普通家庭",
                "优抚家庭",
                "孤老家庭",
                "失独家庭",
                "单亲家庭",
                "困难家庭",
                "租户家庭",
                "外籍家庭",
            ],
            TagDimension::Attention => &[
                "犯罪前科",
                "社区矫正",
                "安置帮教",
                "寻衅滋事",
                "邻里纠纷",
                "家庭不睦",
                "违章搭建",
                "房屋空关",
                "知名人士",
                "吸毒人员",
                "赌博人员",
                "涉黄人员",
                "闲散人员",
                "失业人员",
                "上访人员",
                "精神病人员",
                "群租人员",
                "失踪人员",
                "固定车位家庭",
                "临时车位家庭",
                "多辆机动车家庭",
            ],
        }
    }

    /// Whether tags of this dimension are sensitive personal information to show only on demand.
    pub fn is_sensitive(self) -> bool {
        self == TagDimension::Attention
    }
}

/// A tag a committee added to a dimension.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomTag {
    /// The dimension it belongs to.
    pub dimension: TagDimension,
    /// Its name.
    pub name: String,
    /// When it was added.
    pub added_on: NaiveDate,
    /// Who added it.
    pub added_by: String,
}

/// The committee's tag catalogue: the standard taxonomy plus its own tags.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct TagCatalog {
    /// Tags the committee added. The standard ones are not stored: they cannot change.
    pub custom: Vec<CustomTag>,
}

/// Why a tag could not be added or removed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TagError {
    /// Empty name.
    #[error("标签名称不能为空")]
    EmptyName,
    /// Already in the catalogue.
    #[error("“{dimension}”中已有标签“{name}”")]
    Exists {
        /// Dimension label.
        dimension: &'static str,
        /// Tag name.
        name: String,
    },
    /// Standard tags of 附件二 cannot be deleted.
    #[error("“{0}”是区里规定的标准标签，不能删除")]
    Standard(String),
    /// Not in the catalogue.
    #[error("没有找到标签“{0}”")]
    NotFound(String),
    /// Still set on people.
    #[error("标签“{name}”仍有 {count} 人在用，请先取消这些人的标签")]
    InUse {
        /// Tag name.
        name: String,
        /// How many people carry it now.
        count: usize,
    },
}

impl TagCatalog {
    /// Every tag of a dimension: standard ones first, then the committee's own.
    pub fn tags(&self, dimension: TagDimension) -> Vec<&str> {
        let mut out: Vec<&str> = dimension.standard_tags().to_vec();
        out.extend(
            self.custom
                .iter()
                .filter(|t| t.dimension == dimension)
                .map(|t| t.name.as_str()),
        );
        out
    }

    /// Whether a tag exists in the catalogue.
    pub fn contains(&self, dimension: TagDimension, name: &str) -> bool {
        dimension.standard_tags().contains(&name)
            || self
                .custom
                .iter()
                .any(|t| t.dimension == dimension && t.name == name)
    }

    /// Adds a committee tag.
    pub fn add(
        &mut self,
        dimension: TagDimension,
        name: &str,
        on: NaiveDate,
        by: &str,
    ) -> Result<(), TagError> {
        let name = name.trim();
        if name.is_empty() {
            return Err(TagError::EmptyName);
        }
        if self.contains(dimension, name) {
            return Err(TagError::Exists {
                dimension: dimension.label(),
                name: name.to_owned(),
            });
        }
        self.custom.push(CustomTag {
            dimension,
            name: name.to_owned(),
            added_on: on,
            added_by: by.to_owned(),
        });
        Ok(())
    }

    /// Removes a committee tag; `in_use` is how many people carry it now.
    pub fn remove(
        &mut self,
        dimension: TagDimension,
        name: &str,
        in_use: usize,
    ) -> Result<(), TagError> {
        if dimension.standard_tags().contains(&name) {
            return Err(TagError::Standard(name.to_owned()));
        }
        let pos = self
            .custom
            .iter()
            .position(|t| t.dimension == dimension && t.name == name)
            .ok_or_else(|| TagError::NotFound(name.to_owned()))?;
        if in_use > 0 {
            return Err(TagError::InUse {
                name: name.to_owned(),
                count: in_use,
            });
        }
        self.custom.remove(pos);
        Ok(())
    }
}

/// Tags numbered as they are first met, and found again by name without copying it: the
/// indexes over every resident (the household finder, the 智能名单) keep numbers instead of
/// the 200,000 tag names of a large committee.
#[derive(Debug, Default)]
pub struct TagNumbers {
    names: HashMap<TagDimension, HashMap<String, u16>>,
    count: u16,
}

impl TagNumbers {
    /// The number of a tag, given one if it is new.
    pub fn number(&mut self, dimension: TagDimension, name: &str) -> u16 {
        let names = self.names.entry(dimension).or_default();
        if let Some(n) = names.get(name) {
            return *n;
        }
        let n = self.count;
        names.insert(name.to_owned(), n);
        self.count = self.count.saturating_add(1);
        n
    }

    /// The number of a tag met before; `None` if nobody carries it.
    pub fn get(&self, dimension: TagDimension, name: &str) -> Option<u16> {
        self.names.get(&dimension)?.get(name).copied()
    }
}

/// A tag set on a person, with its history: tags are ended, never deleted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TagAssignment {
    /// Dimension.
    pub dimension: TagDimension,
    /// Tag name.
    pub name: String,
    /// When it was set.
    pub set_on: NaiveDate,
    /// Who set it.
    pub set_by: String,
    /// When and by whom it was ended, if it no longer applies.
    pub ended: Option<(NaiveDate, String)>,
}

impl TagDimension {
    /// The short code a stored tag starts with (the variant's name).
    fn code(self) -> &'static str {
        match self {
            TagDimension::HouseType => "HouseType",
            TagDimension::Political => "Political",
            TagDimension::CommunityRole => "CommunityRole",
            TagDimension::ResidentType => "ResidentType",
            TagDimension::FamilyType => "FamilyType",
            TagDimension::Attention => "Attention",
        }
    }

    fn from_code(code: &str) -> Option<TagDimension> {
        TagDimension::ALL.into_iter().find(|d| d.code() == code)
    }
}

/// Separates the parts of a stored tag; escaped with `\` inside names.
const SEP: char = '|';

fn push_escaped(out: &mut String, text: &str) {
    for ch in text.chars() {
        if ch == SEP || ch == '\\' {
            out.push('\\');
        }
        out.push(ch);
    }
}

/// Splits on unescaped separators, unescaping each part.
fn split_escaped(text: &str) -> Vec<String> {
    let mut parts = vec![String::new()];
    let mut chars = text.chars();
    while let Some(ch) = chars.next() {
        match ch {
            '\\' => {
                if let (Some(next), Some(last)) = (chars.next(), parts.last_mut()) {
                    last.push(next);
                }
            }
            SEP => parts.push(String::new()),
            other => {
                if let Some(last) = parts.last_mut() {
                    last.push(other);
                }
            }
        }
    }
    parts
}

/// `2024-01-27`, read without chrono's general format machinery (it is a hot path).
fn parse_date(text: &str) -> Option<NaiveDate> {
    let b = text.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        b[r].iter().try_fold(0u32, |acc, d| {
            d.is_ascii_digit().then(|| acc * 10 + u32::from(d - b'0'))
        })
    };
    NaiveDate::from_ymd_opt(i32::try_from(num(0..4)?).ok()?, num(5..7)?, num(8..10)?)
}

impl TagAssignment {
    /// The stored form: `Political|群众|2024-01-27|王慧敏`, and `|2025-03-01|李建国` when ended.
    fn to_stored(&self) -> String {
        let mut out = String::with_capacity(48);
        out.push_str(self.dimension.code());
        out.push(SEP);
        push_escaped(&mut out, &self.name);
        out.push(SEP);
        out.push_str(&self.set_on.format("%Y-%m-%d").to_string());
        out.push(SEP);
        push_escaped(&mut out, &self.set_by);
        if let Some((on, by)) = &self.ended {
            out.push(SEP);
            out.push_str(&on.format("%Y-%m-%d").to_string());
            out.push(SEP);
            push_escaped(&mut out, by);
        }
        out
    }

    fn from_stored(text: &str) -> Result<TagAssignment, String> {
        let parts = split_escaped(text);
        let bad = || format!("标签记录格式不对：{text}");
        let date = |s: &str| parse_date(s).ok_or_else(bad);
        match parts.as_slice() {
            [dimension, name, set_on, set_by, rest @ ..] => Ok(TagAssignment {
                dimension: TagDimension::from_code(dimension).ok_or_else(bad)?,
                name: name.clone(),
                set_on: date(set_on)?,
                set_by: set_by.clone(),
                ended: match rest {
                    [] => None,
                    [on, by] => Some((date(on)?, by.clone())),
                    _ => return Err(bad()),
                },
            }),
            _ => Err(bad()),
        }
    }
}

/// Stored as one string: there are hundreds of thousands of tags, and reading a RON string costs
/// about what reading one field of a tuple does, so one string reads five times faster.
impl Serialize for TagAssignment {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_stored())
    }
}

impl<'de> Deserialize<'de> for TagAssignment {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = TagAssignment;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a stored tag")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<TagAssignment, E> {
                TagAssignment::from_stored(v).map_err(E::custom)
            }
        }
        d.deserialize_str(Visitor)
    }
}

impl TagAssignment {
    /// Whether the tag applies now.
    pub fn is_current(&self) -> bool {
        self.ended.is_none()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn tag_numbers_are_per_dimension_and_stable() {
        let mut n = TagNumbers::default();
        let alone = n.number(TagDimension::ResidentType, "独居老人");
        let party = n.number(TagDimension::Political, "中共党员");
        assert_ne!(alone, party);
        assert_eq!(n.number(TagDimension::ResidentType, "独居老人"), alone);
        assert_eq!(n.get(TagDimension::Political, "中共党员"), Some(party));
        // The same name in another dimension is another tag; an unseen one has no number.
        assert_eq!(n.get(TagDimension::FamilyType, "独居老人"), None);
        assert_eq!(n.get(TagDimension::ResidentType, "残疾人员"), None);
    }

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn stored_tags_round_trip_with_awkward_names() {
        for (name, by) in [
            ("独居老人", "王慧敏"),
            ("a|b", "c\\d"),
            ("", ""),
            ("\\|\\\\||", "|"),
            ("😀 （）\"", "x\ny"),
        ] {
            for ended in [None, Some((date(2025, 3, 1), format!("{by}|后")))] {
                let tag = TagAssignment {
                    dimension: TagDimension::Attention,
                    name: name.to_owned(),
                    set_on: date(2024, 1, 27),
                    set_by: by.to_owned(),
                    ended,
                };
                let text = ron::to_string(&tag).unwrap();
                let back: TagAssignment = ron::from_str(&text).unwrap();
                assert_eq!(back, tag, "{text}");
            }
        }
    }

    #[test]
    fn a_damaged_stored_tag_is_an_error_not_a_panic() {
        for bad in [
            "\"\"",
            "\"Political|群众\"",
            "\"Nope|群众|2024-01-27|王\"",
            "\"Political|群众|2024-02-30|王\"",
            "\"Political|群众|2024-1-27|王\"",
            "\"Political|群众|2024-01-27|王|2025-01-01\"",
            "\"Political|群众|２０２４-01-27|王\"",
            "(Political,\"群众\")",
        ] {
            assert!(ron::from_str::<TagAssignment>(bad).is_err(), "{bad}");
        }
    }
}
