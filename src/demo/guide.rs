//! Made-up 百事汇 guide pages for the publish benchmark and the search tests: Chinese text of
//! about 1,500 characters a page (a heading, running text punctuated as Chinese is, a list and
//! a table) drawn from the guide's own vocabulary, different for every page number and the same
//! for it every time.
//! Nothing in them is personal.

use std::fmt::Write as _;

/// The words the pages are made of.
const WORDS: &[&str] = &[
    "社区",
    "居民",
    "服务",
    "办理",
    "申请",
    "材料",
    "街道",
    "受理",
    "中心",
    "老年人",
    "补贴",
    "家庭",
    "医生",
    "签约",
    "垃圾",
    "分类",
    "志愿者",
    "活动",
    "议事",
    "协商",
    "物业",
    "维修",
    "楼道",
    "照明",
    "停车",
    "绿化",
    "安全",
    "消防",
    "宣传",
    "政策",
    "规定",
    "条件",
    "流程",
    "窗口",
    "时间",
    "地点",
    "评价",
    "满意",
    "公示",
    "公开",
    "经费",
    "项目",
    "实施",
    "验收",
];

/// The words of page `i`, one after another.
fn words(i: usize) -> impl FnMut() -> &'static str {
    let mut rng = i.wrapping_mul(2_654_435_761);
    move || {
        rng = rng.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
        WORDS[(rng >> 33) % WORDS.len()]
    }
}

/// The body of page `i` in Markdown: a heading, about 900 characters of text, a list of five
/// and a table of six rows.
pub fn guide_body(i: usize) -> String {
    let mut word = words(i);
    let mut body = String::new();
    let _ = writeln!(body, "## {}{}须知\n", word(), word());
    // Punctuated as Chinese text is: mostly ，, now and then 。、；, a dash (——), an ellipsis
    // (……) or a middle dot (地点·时间), which the privacy guard reads differently from plain
    // ideographs (an ellipsis goes through the Unicode normaliser).
    let mut n = 0usize;
    while body.chars().count() < 900 {
        n += 1;
        let (a, b, c) = (word(), word(), word());
        let _ = match n % 12 {
            3 => write!(body, "{a}{b}——{c}，"),
            5 => write!(body, "{a}{b}{c}。"),
            7 => write!(body, "{a}、{b}、{c}；"),
            9 => write!(body, "{a}{b}{c}……"),
            11 => write!(body, "{a}·{b}{c}，"),
            _ => write!(body, "{a}{b}{c}，"),
        };
    }
    body.push_str("。\n\n");
    for _ in 0..5 {
        let _ = writeln!(body, "- {}{}{}{}", word(), word(), word(), word());
    }
    body.push_str("\n| 事项 | 说明 |\n| --- | --- |\n");
    for _ in 0..6 {
        let (a, b, c, d, e, f) = (word(), word(), word(), word(), word(), word());
        let _ = writeln!(body, "| {a}{b} | {c}{d}{e}{f} |");
    }
    body
}

/// Guide file `i` (`content/guide/*.md`): its front matter (title 某某服务第 i 项, category,
/// audience, conditions, materials, steps, place, basis, evaluation) and [`guide_body`].
pub fn guide_page(i: usize) -> String {
    let mut word = words(i.wrapping_add(1_000_003));
    let mut w = || word();
    format!(
        "+++\ntitle = \"{}{}服务第{i}项\"\ncategory = \"{}\"\naudience = \"本社区{}\"\nconditions = [\"{}{}\"]\nmaterials = [\"本人身份证\", \"{}{}\"]\nsteps = [\"{}{}\", \"{}{}\"]\nplace_and_time = \"居委会（工作日）\"\nbasis = [\"{}{}规定\"]\nevaluation = \"满意度测评\"\nverified = \"2026-11-01\"\nsample = false\n+++\n\n{}",
        w(),
        w(),
        w(),
        w(),
        w(),
        w(),
        w(),
        w(),
        w(),
        w(),
        w(),
        w(),
        w(),
        w(),
        guide_body(i)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_differ_and_repeat() {
        assert_eq!(guide_page(7), guide_page(7));
        assert_ne!(guide_body(7), guide_body(8));
        let page = guide_page(42);
        assert!(page.starts_with("+++\ntitle = \"") && page.contains("服务第42项"));
        let chars = guide_body(42).chars().count();
        assert!((1_000..2_000).contains(&chars), "{chars}");
    }
}
