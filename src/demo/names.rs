//! Fictitious names, identity numbers and phones for the demo committee. ID numbers use the
//! region code 99xxxx, which no real place has; phones start with 100, which no mobile does.

use crate::model::{IdNumber, Phone, Sex, check_character};
use chrono::{Datelike, NaiveDate};
use rand::RngExt;
use rand::seq::IndexedRandom;
use rand_chacha::ChaCha8Rng;

const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭",
    "何", "高", "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹", "彭", "曾",
    "肖", "田", "董", "袁", "潘", "于", "蒋", "蔡", "余", "杜", "叶", "程", "苏", "魏", "吕", "丁",
    "任", "沈", "姚", "卢", "姜", "崔", "钟", "谭", "陆", "汪", "范", "金", "石", "廖", "贾", "夏",
    "顾", "钱", "严", "邵", "龚", "万", "毛", "施", "浦", "瞿", "倪", "戴", "欧阳", "司马",
];
const MALE: &[&str] = &[
    "伟", "强", "磊", "军", "勇", "杰", "涛", "斌", "超", "明", "刚", "平", "辉", "鹏", "华", "飞",
    "建国", "建华", "国强", "志明", "德明", "宝根", "根发", "文斌", "浩然", "子豪", "宇轩", "俊杰",
    "海涛", "晓东", "永康", "振华", "家豪", "天佑", "一鸣", "嘉诚", "志刚", "卫东", "红兵", "金龙",
];
const FEMALE: &[&str] = &[
    "芳", "娜", "敏", "静", "丽", "艳", "娟", "霞", "燕", "玲", "萍", "红", "琳", "洁", "婷", "雪",
    "秀英", "桂英", "美华", "玉兰", "凤英", "丽华", "慧敏", "雅琴", "梓涵", "欣怡", "诗琪", "雨桐",
    "佳怡", "思彤", "晓燕", "海燕", "金凤", "彩霞", "月娥", "素珍", "淑芬", "巧玲", "文静", "梦瑶",
];

/// A random full name of the given sex.
pub fn name(rng: &mut ChaCha8Rng, sex: Sex) -> String {
    let surname = SURNAMES.choose(rng).copied().unwrap_or("王");
    let given = match sex {
        Sex::Male => MALE.choose(rng),
        Sex::Female => FEMALE.choose(rng),
    }
    .copied()
    .unwrap_or("明");
    format!("{surname}{given}")
}

/// A valid ID number with the fictitious region 99xxxx.
pub fn id_number(rng: &mut ChaCha8Rng, birth: NaiveDate, sex: Sex) -> Option<IdNumber> {
    let region = 990_100 + rng.random_range(0..90u32);
    let mut seq = rng.random_range(0..500u32) * 2;
    if sex == Sex::Male {
        seq += 1;
    }
    let first17 = format!(
        "{region}{:04}{:02}{:02}{:03}",
        birth.year(),
        birth.month(),
        birth.day(),
        seq % 1000
    );
    let check = check_character(&first17)?;
    IdNumber::parse(&format!("{first17}{check}")).ok()
}

/// A phone in the unassigned 100 range.
pub fn phone(rng: &mut ChaCha8Rng) -> Option<Phone> {
    Phone::parse(&format!("100{:08}", rng.random_range(0..100_000_000u32))).ok()
}
