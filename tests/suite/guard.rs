//! The privacy guard against an attacker: a corpus of seeded leaks (every kind of personal value
//! × the ways a person writes it × every place a value enters the site), each refused by a real
//! publish that leaves the previous site byte for byte and no staging behind, and names the
//! source; a property test of random obfuscation chains; a control corpus of ordinary public
//! text that must publish; and a publish of a leaking site killed mid-run.

use crate::fixtures::{copy_dir, snapshot};
use crate::publish::{GUIDE_ITEM, publish_ledger, root_with, today};
use proptest::prelude::*;
use sibai::model::*;
use sibai::publish::{
    Allowed, Guard, Hit, HitKind, PublishError, PublishInput, SiteSettings, Source, publish,
    render_markdown,
};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// The committee of the publish tests, with more canaries: an organisation's contact person and
/// landline, a visitor, a household-register address, a name heard on a visit.
fn ledger() -> Ledger {
    let mut l = publish_ledger();
    let org = &mut l.committee.organisations[0];
    org.contact = "周联系".into();
    org.phone = Phone::parse("021-62345678").ok();
    l.desk.receptions[0].visitor = Some("赵来访".into());
    l.visits.get_mut(&2026).unwrap()[0].resident_name = "吴听说".into();
    let canary = &mut l.households.households[1];
    canary.members[0].hukou_address = "广东省汕头市龙湖区示例街8号".into();
    l
}

/// A personal value, written one way.
struct Spelled {
    /// What it is, for the failure message.
    what: &'static str,
    /// As written.
    text: String,
    /// Only where Markdown is read (the guide's body).
    markdown: bool,
}

fn spelled(what: &'static str, texts: &[&str], markdown: bool) -> Vec<Spelled> {
    texts
        .iter()
        .map(|t| Spelled {
            what,
            text: (*t).to_owned(),
            markdown,
        })
        .collect()
}

/// Every value × every spelling.
fn spellings() -> Vec<Spelled> {
    let mut all = Vec::new();
    all.extend(spelled(
        "resident name",
        &[
            "钱多多",
            "钱\u{200B}多多",
            "钱\u{2060}多\u{FEFF}多",
            "钱\u{00AD}多多",
            "钱　多 多",
            "钱\n多多",
            "钱\u{FE0F}多\u{034F}多",
            "钱·多多",
            "钱-多-多",
            "钱\u{180E}多\u{115F}多",
            "钱、多多",
            "钱。多多",
            "「钱」多多",
            "钱|多~多",
        ],
        false,
    ));
    all.extend(spelled(
        "resident name in Markdown",
        &[
            "钱**多**多",
            "钱  \n多多",
            "钱*多*多",
            "[详情](%E9%92%B1%E5%A4%9A%E5%A4%9A.html)",
            "钱&#22810;&#x591A;",
        ],
        true,
    ));
    for name in ["孙租客", "社工小周", "周联系", "赵来访", "吴听说"] {
        all.push(Spelled {
            what: "a name the ledger holds",
            text: name.to_owned(),
            markdown: false,
        });
    }
    all.extend(spelled(
        "resident mobile",
        &[
            "13912345678",
            "139-1234-5678",
            "139 1234 5678",
            "139.1234.5678",
            "+86 139 1234 5678",
            "+8613912345678",
            "0086-139-1234-5678",
            "86 13912345678",
            "１３９１２３４５６７８",
            "一三九一二三四五六七八",
            "幺三九幺二三四五六七八",
            "壹叁玖壹贰叁肆伍陆柒捌",
            "139\n1234\n5678",
            "1\u{200B}3\u{200B}9 1234 5678",
            "139\u{2060}1234\u{2060}5678",
            "(139)12345678",
            "139／1234／5678",
            "139_1234_5678",
        ],
        false,
    ));
    all.extend(spelled(
        "masked phone",
        &[
            "139****5678",
            "139＊＊＊＊5678",
            "139●●●●5678",
            "139xxxx5678",
            "139XXXX5678",
            "139××××5678",
        ],
        false,
    ));
    all.extend(spelled(
        "resident mobile in Markdown",
        &[
            "139**1234**5678",
            "139  \n1234 5678",
            "[电话](%31%33%39%31%32%33%34%35%36%37%38.html)",
            "&#49;&#51;&#57;12345678",
        ],
        true,
    ));
    all.extend(spelled(
        "resident ID number",
        &[
            "440524188001010014",
            "440524 18800101 0014",
            "4405 2418 8001 0100 14",
            "４４０５２４１８８００１０１００１４",
            "四四〇五二四一八八〇〇一〇一〇〇一四",
            "440524\n18800101\n0014",
            "440524-1880-0101-0014",
            "440524800101001",
            "4405**********0014",
            "4405××××××××××0014",
            "4405●●●●●●●●●●0014",
        ],
        false,
    ));
    all.extend(spelled(
        "an ID or mobile shape not in the ledger",
        &[
            "11010119900307803X",
            "11010119900307803x",
            "110101 19900307 803X",
            "110101900307803",
            "11010119900307803×",
            "110101-19900307-803Ｘ",
            "11010519491231002×",
            "15000000000",
            "150、0000、0000",
            "+86 150 0000 0000",
        ],
        false,
    ));
    all.extend(spelled(
        "room address",
        &[
            "5号302室",
            "5号楼302室",
            "5号 302 室",
            "5号302",
            "5幢302",
            "5栋302室",
            "5-302",
            "5－302",
            "5#302",
            "5＃302室",
            "五号楼三〇二室",
            "五号楼三百零二室",
            "伍号楼叁佰零贰室",
            "小区甲乙5号302",
            "5号楼\n302室",
        ],
        false,
    ));
    all.extend(spelled(
        "household-register address",
        &[
            "广东省汕头市龙湖区示例街8号",
            "广东省 汕头市 龙湖区 示例街 8 号",
        ],
        false,
    ));
    all.extend(spelled(
        "contact landline",
        &[
            "021-62345678",
            "62345678",
            "6234 5678",
            "(021) 6234 5678",
            "+86 21 6234 5678",
            "+862162345678",
        ],
        false,
    ));
    all
}

/// What a place expects the refusal to name as the source.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Expect {
    Content(&'static str),
    FileName,
    Record(&'static str),
    Settings(&'static str),
    Theme,
}

/// A place a value can enter the site.
struct Place {
    name: &'static str,
    markdown: bool,
    expect: Expect,
    seed: fn(&mut Case, &str),
}

/// One seeded publish.
struct Case {
    ledger: Ledger,
    guide: Vec<(String, String)>,
    settings: SiteSettings,
    theme: Vec<(String, String)>,
}

/// A TOML basic string.
fn toml_str(text: &str) -> String {
    let escaped = text
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n");
    format!("\"{escaped}\"")
}

fn front(case: &mut Case, key: &str, value: &str) {
    let mut lines: Vec<String> = GUIDE_ITEM.lines().map(str::to_owned).collect();
    for line in &mut lines {
        if let Some((k, old)) = line.split_once(" = ")
            && k == key
        {
            *line = if old.starts_with('[') {
                format!("{k} = [{}]", toml_str(value))
            } else {
                format!("{k} = {}", toml_str(value))
            };
        }
    }
    case.guide[0].1 = lines.join("\n") + "\n";
}

fn project(case: &mut Case) -> &mut Project {
    &mut case.ledger.projects.projects[0]
}

fn payment(case: &mut Case) -> &mut Payment {
    case.ledger
        .funds
        .get_mut(&2026)
        .unwrap()
        .payments
        .last_mut()
        .unwrap()
}

fn committee(case: &mut Case) -> &mut Committee {
    case.ledger.committee.committee.as_mut().unwrap()
}

const ABOUT: &str = "{% extends \"base.html\" %}{% block content %}";

fn places() -> Vec<Place> {
    use Expect::*;
    vec![
        Place {
            name: "guide body",
            markdown: true,
            expect: Content("正文"),
            seed: |c, v| {
                c.guide[0].1 =
                    GUIDE_ITEM.replace("老人**不用每年重新申请**。", &format!("咨询：{v}。"));
            },
        },
        Place {
            name: "guide title",
            markdown: false,
            expect: Content("服务事项"),
            seed: |c, v| front(c, "title", &format!("津贴{v}")),
        },
        Place {
            name: "guide category",
            markdown: false,
            expect: Content("分类"),
            seed: |c, v| front(c, "category", v),
        },
        Place {
            name: "guide audience",
            markdown: false,
            expect: Content("适用对象"),
            seed: |c, v| front(c, "audience", v),
        },
        Place {
            name: "guide conditions",
            markdown: false,
            expect: Content("办理条件"),
            seed: |c, v| front(c, "conditions", v),
        },
        Place {
            name: "guide materials",
            markdown: false,
            expect: Content("所需材料"),
            seed: |c, v| front(c, "materials", &format!("例如 {v}")),
        },
        Place {
            name: "guide steps",
            markdown: false,
            expect: Content("办事流程"),
            seed: |c, v| front(c, "steps", v),
        },
        Place {
            name: "guide place and time",
            markdown: false,
            expect: Content("办理地点与时间"),
            seed: |c, v| front(c, "place_and_time", v),
        },
        Place {
            name: "guide basis",
            markdown: false,
            expect: Content("政策依据"),
            seed: |c, v| front(c, "basis", v),
        },
        Place {
            name: "guide evaluation",
            markdown: false,
            expect: Content("评价方式"),
            seed: |c, v| front(c, "evaluation", v),
        },
        Place {
            name: "guide file name",
            markdown: false,
            expect: FileName,
            seed: |c, v| c.guide[0].0 = format!("item{v}"),
        },
        Place {
            name: "project title",
            markdown: false,
            expect: Record("标题"),
            seed: |c, v| project(c).title = format!("{v}维修"),
        },
        Place {
            name: "project category",
            markdown: false,
            expect: Record("类别"),
            seed: |c, v| project(c).category = v.into(),
        },
        Place {
            name: "project need",
            markdown: false,
            expect: Record("需求"),
            seed: |c, v| project(c).need = format!("居民反映：{v}"),
        },
        Place {
            name: "project plan",
            markdown: false,
            expect: Record("实施方案"),
            seed: |c, v| project(c).plan = format!("联系{v}"),
        },
        Place {
            name: "project outcome",
            markdown: false,
            expect: Record("实施结果"),
            seed: |c, v| project(c).outcome = format!("回访 {v} 满意"),
        },
        Place {
            name: "project rectification",
            markdown: false,
            expect: Record("整改情况"),
            seed: |c, v| {
                project(c).rectification = format!("整改：{v}");
                project(c).stage = ProjectStage::Rectifying;
            },
        },
        Place {
            name: "meeting topic",
            markdown: false,
            expect: Record("议题"),
            seed: |c, v| project(c).meetings[0].topic = v.into(),
        },
        Place {
            name: "meeting decision",
            markdown: false,
            expect: Record("决定"),
            seed: |c, v| project(c).meetings[0].decision = format!("同意，{v}"),
        },
        Place {
            name: "payment purpose",
            markdown: false,
            expect: Record("用途"),
            seed: |c, v| payment(c).purpose = format!("代付 {v}"),
        },
        Place {
            name: "payment voucher",
            markdown: false,
            expect: Record("凭证号"),
            seed: |c, v| payment(c).voucher = v.into(),
        },
        Place {
            name: "payee organisation",
            markdown: false,
            expect: Record("收款单位"),
            seed: |c, v| {
                payment(c).payee = Payee::Organisation {
                    name: v.into(),
                    id: None,
                };
            },
        },
        Place {
            name: "committee name",
            markdown: false,
            expect: Record("名称"),
            seed: |c, v| committee(c).name = format!("示例居委会{v}"),
        },
        Place {
            name: "committee district",
            markdown: false,
            expect: Record("所在区和街道"),
            seed: |c, v| committee(c).district = format!("{v}区"),
        },
        Place {
            name: "committee street",
            markdown: false,
            expect: Record("所在区和街道"),
            seed: |c, v| committee(c).street = v.into(),
        },
        Place {
            name: "committee office address",
            markdown: false,
            expect: Record("办公地址"),
            seed: |c, v| committee(c).office_address = format!("示例路 100 号 {v}"),
        },
        Place {
            name: "committee office hours",
            markdown: false,
            expect: Record("办公时间"),
            seed: |c, v| committee(c).office_hours = format!("工作日，值班 {v}"),
        },
        Place {
            name: "committee office phone",
            markdown: false,
            expect: Record("办公电话"),
            seed: |c, v| committee(c).office_phone = format!("021-64321234 {v}"),
        },
        Place {
            name: "site.ron office address",
            markdown: false,
            expect: Settings("办公地址"),
            seed: |c, v| c.settings.office_address = format!("示例路 100 号（{v}）"),
        },
        Place {
            name: "site.ron office hours",
            markdown: false,
            expect: Settings("办公时间"),
            seed: |c, v| c.settings.office_hours = format!("8:30–17:00 {v}"),
        },
        Place {
            name: "site.ron office phone",
            markdown: false,
            expect: Settings("办公电话"),
            seed: |c, v| c.settings.office_phone = format!("021-64321234 转 {v}"),
        },
        Place {
            name: "theme template text",
            markdown: true,
            expect: Theme,
            seed: |c, v| {
                // Whatever Markdown makes of it, written into the template as HTML.
                let html = render_markdown(&format!("联系 {v}"));
                c.theme.push((
                    "templates/about.html".into(),
                    format!("{ABOUT}{html}{{% endblock content %}}"),
                ));
            },
        },
        Place {
            name: "theme template attribute",
            markdown: false,
            expect: Theme,
            seed: |c, v| {
                let v = v.replace('"', "");
                c.theme.push((
                    "templates/about.html".into(),
                    format!("{ABOUT}<p title=\"{v}\">关于</p>{{% endblock content %}}"),
                ));
            },
        },
        Place {
            name: "theme style sheet",
            markdown: false,
            expect: Theme,
            seed: |c, v| {
                c.theme.push((
                    "assets/site.css".into(),
                    format!("/* {v} */\nbody {{ margin: 0; }}\n"),
                ));
            },
        },
        Place {
            name: "theme script",
            markdown: false,
            expect: Theme,
            seed: |c, v| {
                let v = v.replace(['"', '\n'], " ");
                c.theme
                    .push(("assets/search.js".into(), format!("var note = \"{v}\";\n")));
            },
        },
    ]
}

fn clean_case() -> Case {
    Case {
        ledger: ledger(),
        guide: vec![("elderly-allowance".into(), GUIDE_ITEM.to_owned())],
        settings: SiteSettings::default(),
        theme: Vec::new(),
    }
}

/// The committee folder of a case.
fn root_of(case: &Case) -> tempfile::TempDir {
    let refs: Vec<(&str, &str)> = case
        .guide
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let root = root_with(&refs);
    for (file, text) in &case.theme {
        let path = root.path().join("themes").join("attack").join(file);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    root
}

fn publish_case(case: &Case, out: &Path) -> Result<sibai::publish::PublishReport, PublishError> {
    let root = root_of(case);
    let mut settings = case.settings.clone();
    if !case.theme.is_empty() {
        settings.theme = "attack".into();
    }
    publish(
        &PublishInput {
            ledger: &case.ledger,
            root: root.path(),
            settings: &settings,
            today: today(),
        },
        out,
    )
}

fn staging_of(out: &Path) -> PathBuf {
    out.with_file_name(format!(
        ".{}.sibai-staging",
        out.file_name().unwrap().to_string_lossy()
    ))
}

/// The whole corpus: each spelling in three places (the Markdown-only ones in the places that
/// read Markdown), every place used.
fn corpus() -> Vec<(usize, usize)> {
    let spellings = spellings();
    let places = places();
    let fits = |s: &Spelled, p: &Place| {
        (!s.markdown || p.markdown)
            && (p.expect != Expect::FileName
                || s.text
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-'))
    };
    let mut cases = BTreeSet::new();
    for (i, s) in spellings.iter().enumerate() {
        let mut k = 0;
        let mut taken = 0;
        while taken < 3 && k < places.len() * 3 {
            let p = (i * 7 + k * 11) % places.len();
            if fits(s, &places[p]) && cases.insert((i, p)) {
                taken += 1;
            }
            k += 1;
        }
    }
    // Every place at least four times.
    for (p, place) in places.iter().enumerate() {
        let mut have = cases.iter().filter(|(_, q)| *q == p).count();
        for (i, s) in spellings.iter().enumerate() {
            if have >= 4 {
                break;
            }
            if fits(s, place) && cases.insert((i, p)) {
                have += 1;
            }
        }
    }
    cases.into_iter().collect()
}

/// Whether `hits` name the source a place expects.
fn names_source(hits: &[Hit], expect: Expect) -> bool {
    hits.iter()
        .flat_map(|h| &h.sources)
        .any(|s| match (expect, s) {
            (Expect::Content(f), Source::Content { field, line, .. }) => *line > 0 && field == f,
            (Expect::FileName, Source::Content { line, field, .. }) => {
                *line == 0 && field == "文件名"
            }
            (Expect::Record(f), Source::Record { field, .. }) => field == f,
            (Expect::Settings(f), Source::Settings { field }) => field == f,
            (Expect::Theme, Source::Theme { file, line }) => {
                file.starts_with("themes/attack/") && *line > 0
            }
            _ => false,
        })
}

/// The values a message must never show.
const SECRETS: &[&str] = &[
    "钱多多",
    "13912345678",
    "440524188001010014",
    "62345678",
    "5号302",
    "示例街8号",
    "孙租客",
    "周联系",
    "赵来访",
];

fn run_corpus(part: usize, parts: usize) {
    let spellings = spellings();
    let places = places();
    let all = corpus();
    assert!(all.len() >= 150, "only {} seeded leaks", all.len());
    if part == 0 {
        eprintln!(
            "{} seeded leaks: {} spellings in {} places",
            all.len(),
            spellings.len(),
            places.len()
        );
    }
    let used: BTreeSet<usize> = all.iter().map(|(_, p)| *p).collect();
    assert_eq!(used.len(), places.len(), "every place is seeded");
    // The site as it stands before each attempt.
    let base = tempfile::tempdir().unwrap();
    let out = base.path().join("public");
    publish_case(&clean_case(), &out).unwrap();
    let before = snapshot(&out);
    let mut failures = Vec::new();
    for (n, (s, p)) in all.iter().enumerate().filter(|(n, _)| n % parts == part) {
        let (spelling, place) = (&spellings[*s], &places[*p]);
        let mut case = clean_case();
        (place.seed)(&mut case, &spelling.text);
        let label = format!(
            "#{n} {} {:?} in {}",
            spelling.what, spelling.text, place.name
        );
        let hits = match publish_case(&case, &out) {
            Err(PublishError::Leak(hits)) => hits,
            Err(other) => {
                failures.push(format!("{label}: failed otherwise: {other}"));
                continue;
            }
            Ok(_) => {
                failures.push(format!("{label}: published"));
                // Put the site back for the next case.
                publish_case(&clean_case(), &out).unwrap();
                continue;
            }
        };
        if snapshot(&out) != before {
            failures.push(format!("{label}: the previous site changed"));
        }
        if staging_of(&out).exists() {
            failures.push(format!("{label}: staging left behind"));
        }
        if !names_source(&hits, place.expect) {
            failures.push(format!(
                "{label}: source {:?} not named in {:#?}",
                place.expect,
                hits.iter().map(ToString::to_string).collect::<Vec<_>>()
            ));
        }
        let message = PublishError::Leak(hits).to_string();
        for secret in SECRETS {
            if message.contains(secret) {
                failures.push(format!("{label}: the message shows {secret}: {message}"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn seeded_leaks_part_1() {
    run_corpus(0, 4);
}

#[test]
fn seeded_leaks_part_2() {
    run_corpus(1, 4);
}

#[test]
fn seeded_leaks_part_3() {
    run_corpus(2, 4);
}

#[test]
fn seeded_leaks_part_4() {
    run_corpus(3, 4);
}

// ---------------------------------------------------------------------------------------------
// Random obfuscation chains.

/// Values of the ledger above, and what each is.
const VALUES: &[&str] = &[
    "钱多多",
    "孙租客",
    "13912345678",
    "440524188001010014",
    "5号302室",
    "021-62345678",
    "广东省汕头市龙湖区示例街8号",
];

const INVISIBLE: &[char] = &[
    '\u{200B}',
    '\u{200C}',
    '\u{200D}',
    '\u{2060}',
    '\u{FEFF}',
    '\u{00AD}',
    '\u{FE0F}',
    '\u{FE00}',
    '\u{034F}',
    '\u{180E}',
    '\u{2061}',
    '\u{2063}',
    '\u{202A}',
    '\u{202C}',
    '\u{206A}',
    '\u{E0001}',
    '\u{1D173}',
];

const SEPARATORS: &[&str] = &[
    " ", "-", ".", "/", "_", "·", "\u{3000}", "\n", "\u{00A0}", "－", "—", "\u{2009}", "\u{202F}",
    "\t", "・", "‧",
];

const MASKS: &[char] = &['*', '＊', '×', '●', 'x', 'X', '○', '■'];

/// One step of an obfuscation chain: its kind and where it applies.
#[derive(Debug, Clone)]
struct Step(u8, usize);

fn apply(value: &str, step: &Step) -> String {
    let chars: Vec<char> = value.chars().collect();
    let at = if chars.len() > 1 {
        1 + step.1 % (chars.len() - 1)
    } else {
        0
    };
    let insert = |s: &str| {
        let mut out: String = chars[..at].iter().collect();
        out.push_str(s);
        out.extend(&chars[at..]);
        out
    };
    match step.0 % 8 {
        0 => insert(&INVISIBLE[step.1 % INVISIBLE.len()].to_string()),
        1 => insert(SEPARATORS[step.1 % SEPARATORS.len()]),
        2 => chars
            .iter()
            .map(|c| match c {
                '0'..='9' => char::from_u32(*c as u32 - '0' as u32 + '０' as u32).unwrap(),
                other => *other,
            })
            .collect(),
        3 => chars
            .iter()
            .map(|c| match c {
                '0'..='9' => [
                    "〇一二三四五六七八九",
                    "零壹贰叁肆伍陆柒捌玖",
                    "〇幺两三四五六七八九",
                ][step.1 % 3]
                    .chars()
                    .nth(*c as usize - '0' as usize)
                    .unwrap(),
                other => *other,
            })
            .collect(),
        // A combining mark after a character.
        4 => insert(["\u{0332}", "\u{0301}", "\u{20DD}"][step.1 % 3]),
        // Circled or mathematical digits.
        5 => chars
            .iter()
            .map(|c| match c {
                '1'..='9' if step.1.is_multiple_of(2) => {
                    char::from_u32(*c as u32 - '1' as u32 + '①' as u32).unwrap()
                }
                '0'..='9' => char::from_u32(*c as u32 - '0' as u32 + '𝟎' as u32).unwrap(),
                other => *other,
            })
            .collect(),
        // An international prefix, for a mobile.
        6 if value.starts_with('1') && value.len() == 11 => {
            format!(
                "{}{value}",
                ["+86 ", "+86-", "0086 ", "86", "+86"][step.1 % 5]
            )
        }
        // Masked in the middle as people mask (all but the first three and last four digits),
        // for a long number.
        7 if chars.iter().filter(|c| c.is_ascii_digit()).count() >= 11 => {
            let mask = MASKS[step.1 % MASKS.len()];
            let n = chars.iter().filter(|c| c.is_ascii_digit()).count();
            let mut k = 0;
            chars
                .iter()
                .map(|c| {
                    if !c.is_ascii_digit() {
                        return *c;
                    }
                    k += 1;
                    if k > 3 && k + 4 <= n { mask } else { *c }
                })
                .collect()
        }
        _ => value.to_owned(),
    }
}

/// How the page carries the value.
fn page_with(value: &str, place: usize, seed: usize) -> (String, String) {
    let chars: Vec<char> = value.chars().collect();
    let split = if chars.len() > 1 {
        1 + seed % (chars.len() - 1)
    } else {
        0
    };
    let (a, b): (String, String) = (
        chars[..split].iter().collect(),
        chars[split..].iter().collect(),
    );
    let entities: String = chars
        .iter()
        .enumerate()
        .map(|(i, c)| {
            if (i + seed).is_multiple_of(3) {
                format!("&#{};", *c as u32)
            } else if (i + seed) % 3 == 1 {
                format!("&#x{:x};", *c as u32)
            } else {
                c.to_string()
            }
        })
        .collect();
    match place % 7 {
        // Markdown as a person writes it: a mask character that Markdown would read as
        // emphasis is escaped, as the reader must see it.
        0 => (
            "guide/a.html".into(),
            format!(
                "<main>{}</main>",
                render_markdown(&format!(
                    "咨询 {} 。",
                    value.replace('*', "\\*").replace('_', "\\_")
                ))
            ),
        ),
        1 => (
            "guide/a.html".into(),
            format!(
                "<p>咨询 {a}{}{b}</p>",
                [
                    "<span>",
                    "</span><span>",
                    "<br>",
                    "<b></b>",
                    "<!-- x -->",
                    "\n",
                    "</p><p>"
                ][seed % 7]
            ),
        ),
        2 => ("guide/a.html".into(), format!("<p>咨询 {entities}</p>")),
        3 => (
            "guide/a.html".into(),
            format!(
                "<a href=\"guide/{}.html\" title=\"{}\">详情</a>",
                percent_encoding::utf8_percent_encode(value, percent_encoding::NON_ALPHANUMERIC),
                value.replace('"', "")
            ),
        ),
        4 => (
            "search/d/a.js".into(),
            format!(
                "window.INDEX = [{{\"x\": \"{}\"}}];",
                value
                    .chars()
                    .map(|c| format!("\\u{:04x}", c as u32 & 0xFFFF))
                    .collect::<String>()
            ),
        ),
        5 => (
            "assets/site.css".into(),
            format!("/* {value} */ body {{ margin: 0 }}"),
        ),
        _ => (
            "guide/a.html".into(),
            format!("<img alt=\"{}\" src=\"a.png\">", value.replace('"', "")),
        ),
    }
}

fn guard() -> Guard {
    sibai::publish::guard_for(&ledger(), &SiteSettings::default())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    #[test]
    fn any_chain_of_obfuscations_is_refused(
        value in 0..VALUES.len(),
        steps in proptest::collection::vec((0u8..8, 0usize..1000), 1..5),
        place in 0usize..7,
        seed in 0usize..1000,
    ) {
        thread_local!(static GUARD: Guard = guard());
        let mut text = VALUES[value].to_owned();
        for (kind, at) in steps {
            text = apply(&text, &Step(kind, at));
        }
        // A JavaScript \u escape holds 16 bits: the index carries only what fits.
        let place = if place == 4 && text.chars().any(|c| c as u32 > 0xFFFF) { 0 } else { place };
        let (file, page) = page_with(&text, place, seed);
        let hits = GUARD.with(|g| g.scan(&file, &page));
        prop_assert!(!hits.is_empty(), "{text:?} in {file}: {page}");
    }
}

// ---------------------------------------------------------------------------------------------
// What must publish.

/// Ordinary public text: dates, amounts, voucher, notice and policy numbers, hotlines, the
/// office phone, the signers.
const CONTROL: &[&str] = &[
    "2026年11月29日",
    "二〇二六年十一月二十九日",
    "2026-11-29 至 2026-12-31",
    "2026/11/29 2026.11.30",
    "金额 12,345.00 元",
    "共计 83,700.00 元，¥1,200",
    "凭证 2026-0012、PZ-2026-0118",
    "第 2026-12 号公告",
    "沪府办〔2021〕12号",
    "沪民规〔2019〕5号、国办发〔2016〕62号",
    "市民热线 12345，报警 110，急救 120，物业热线 962121",
    "办公电话 021-64321234",
    "主任 李建国",
    "更换 6 栋楼道感应灯，共 72 盏",
    "工作日 8:30–17:00，周六 9:00-11:30",
    "65–69 岁第一档，70–79 岁第二档",
    "邮编 200333，示例路 100 号",
    "参见 https://www.shanghai.gov.cn/nw12344/20210101/abc.html",
    "| 日期 | 金额 | 凭证号 |\n| --- | --- | --- |\n| 2026-05-01 | 1,200.00 | 2026-0012 |\n| 2026-05-02 | 1516.00 | 2026-0108 |",
    "统一社会信用代码 91310000MA1FL0000X",
    "2026年第一季度，共 3 次议事协商，120 人次参加",
    "金额（大写）：壹万贰仟叁佰肆拾伍元整；伍先生、陆女士等志愿者",
];

#[test]
fn ordinary_public_text_publishes() {
    for text in CONTROL {
        let mut case = clean_case();
        case.settings.office_phone = "021-64321234".into();
        case.guide[0].1 = GUIDE_ITEM.replace("老人**不用每年重新申请**。", text);
        let single_line = text.replace('\n', " ");
        project(&mut case).need = single_line.clone();
        payment(&mut case).purpose = single_line.clone();
        case.settings.office_hours = single_line;
        let base = tempfile::tempdir().unwrap();
        let out = base.path().join("public");
        if let Err(e) = publish_case(&case, &out) {
            panic!("{text:?} was refused: {e}");
        }
    }
}

#[test]
fn a_signer_who_shares_a_resident_name_is_allowed_only_where_they_sign() {
    let mut case = clean_case();
    // A resident called like the director who signs.
    let mut namesake = case.ledger.households.households[1].members[1].clone();
    namesake.id = PersonId(9);
    namesake.name = "李建国".into();
    case.ledger.households.households[1].members.push(namesake);
    let base = tempfile::tempdir().unwrap();
    let out = base.path().join("public");
    publish_case(&case, &out).expect("the signatures publish");
    assert!(
        std::fs::read_to_string(out.join("about.html"))
            .unwrap()
            .contains("李建国")
    );
    project(&mut case).need = "李建国家门口路灯坏了".into();
    match publish_case(&case, &out) {
        Err(PublishError::Leak(hits)) => {
            assert!(
                hits.iter()
                    .any(|h| h.kind == HitKind::Name && h.file == "projects/2026-1.html")
            );
            assert!(hits.iter().all(|h| !h.file.starts_with("about")));
        }
        other => panic!("not refused: {other:?}"),
    }
}

#[test]
fn the_office_phone_and_address_are_allowed_only_whole() {
    let mut case = clean_case();
    // The office landline is also a worker's phone; a collective household is registered at
    // the office.
    case.ledger.committee.workers[0].phone = Phone::parse("021-64321234").ok();
    case.ledger.households.households[1].members[1].hukou_address = "示例路 100 号".into();
    case.settings.office_phone = "021-6432 1234".into();
    case.settings.office_address = "示例路100号".into();
    let base = tempfile::tempdir().unwrap();
    let out = base.path().join("public");
    publish_case(&case, &out).expect("the office's own phone and address publish");
    // A mobile is never an office phone; an extension that is a resident's phone is a hit.
    for phone in [
        "13900001111",
        "021-64321234 转 13912345678",
        "021-64321234（钱多多）",
    ] {
        case.settings.office_phone = phone.into();
        assert!(
            matches!(publish_case(&case, &out), Err(PublishError::Leak(_))),
            "{phone}"
        );
    }
    case.settings.office_phone = "021-64321234".into();
    case.settings.office_address = "示例路100号 5号楼302室".into();
    assert!(matches!(
        publish_case(&case, &out),
        Err(PublishError::Leak(_))
    ));
}

#[test]
fn the_guard_is_the_same_for_a_shuffled_allowance() {
    // `Allowed` in any order makes the same guard (the publish cache keys on it).
    let l = ledger();
    let a = Allowed {
        signers: vec!["李建国".into(), "王书记".into()],
        phones: vec!["021-64321234".into()],
        addresses: vec![],
    };
    let b = Allowed {
        signers: vec!["王书记".into(), "李建国".into()],
        ..a.clone()
    };
    assert_eq!(Guard::new(&l, &a).key(), Guard::new(&l, &b).key());
}

// ---------------------------------------------------------------------------------------------
// Nothing with a hit on disk, even when the publish is killed.

/// A mobile number as the leaking guide items write it.
const LEAK: &str = "139 0000 1111";

/// Every file under `dir` outside `content/` whose bytes hold the leak.
fn files_with_leak(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.ends_with("content") {
                continue;
            }
            if path.is_dir() {
                stack.push(path);
            } else if std::fs::read(&path).is_ok_and(|b| String::from_utf8_lossy(&b).contains(LEAK))
            {
                out.push(path);
            }
        }
    }
    out
}

#[test]
fn a_killed_publish_of_a_leaking_site_leaves_nothing_personal_on_disk() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("committee");
    copy_dir(&repo.join("data"), &root.join("data"));
    // Many clean items first (they are staged while the rest are checked), leaking ones last.
    let guide = root.join("content").join("guide");
    std::fs::create_dir_all(&guide).unwrap();
    for i in 0..1500 {
        let body = if i >= 1200 {
            format!("咨询电话：{LEAK}。")
        } else {
            format!("第 {i} 项的说明。")
        };
        std::fs::write(
            guide.join(format!("item-{i:05}.md")),
            GUIDE_ITEM.replace("老人**不用每年重新申请**。", &body),
        )
        .unwrap();
    }
    let out = root.join("public");
    let staging = staging_of(&out);
    let run = || {
        std::process::Command::new(env!("CARGO_BIN_EXE_sibai"))
            .args([
                "publish",
                root.to_str().unwrap(),
                "--out",
                out.to_str().unwrap(),
            ])
            .args(["--today", "2026-11-23"])
            .env("SIBAI_PASSPHRASE", "demo")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap()
    };
    // Killed as soon as it has staged something, and then later and later.
    let mut killed_mid_run = 0;
    for after_ms in [0u64, 50, 200, 600] {
        let mut child = run();
        let started = std::time::Instant::now();
        let mut staged_at = None;
        // Watch the disk while it runs: nothing written may ever hold the leak.
        loop {
            if staged_at.is_none() && staging.exists() {
                staged_at = Some(std::time::Instant::now());
            }
            let leaked = files_with_leak(dir.path());
            assert!(leaked.is_empty(), "on disk mid-run: {leaked:?}");
            if child.try_wait().unwrap().is_some() {
                break;
            }
            if staged_at.is_some_and(|t| t.elapsed() >= std::time::Duration::from_millis(after_ms))
            {
                killed_mid_run += 1;
                break;
            }
            assert!(
                started.elapsed() < std::time::Duration::from_secs(120),
                "the publish never staged anything"
            );
            std::thread::sleep(std::time::Duration::from_millis(2));
        }
        let _ = child.kill();
        let _ = child.wait();
        let leaked = files_with_leak(dir.path());
        assert!(
            leaked.is_empty(),
            "after a kill {after_ms} ms into staging: {leaked:?}"
        );
        assert!(!out.exists(), "a refused first publish makes no site");
    }
    assert!(
        killed_mid_run >= 2,
        "the publish was caught mid-run only {killed_mid_run} times"
    );
    // A stale staging folder (from a kill, or planted) is removed at the next start, and the
    // publish, run to its end, is refused.
    std::fs::create_dir_all(staging.join("guide")).unwrap();
    std::fs::write(staging.join("guide").join("stale.html"), "旧").unwrap();
    let status = run().wait().unwrap();
    assert!(!status.success());
    assert!(!staging.exists(), "staging left behind");
    assert!(files_with_leak(dir.path()).is_empty());
    assert!(!out.exists());
}

// ---------------------------------------------------------------------------------------------
// The incremental record notices every change.

#[test]
fn an_edit_that_keeps_size_and_time_still_republishes() {
    let case = clean_case();
    let root = root_of(&case);
    let out = root.path().join("public");
    let settings = SiteSettings::default();
    let input = PublishInput {
        ledger: &case.ledger,
        root: root.path(),
        settings: &settings,
        today: today(),
    };
    let file = root
        .path()
        .join("content")
        .join("guide")
        .join("elderly-allowance.md");
    // Written an hour ago: its size and time alone would be trusted.
    let an_hour_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    let set_time = |t| {
        std::fs::File::options()
            .write(true)
            .open(&file)
            .unwrap()
            .set_modified(t)
            .unwrap();
    };
    set_time(an_hour_ago);
    publish(&input, &out).unwrap();
    let before = std::fs::metadata(&file).unwrap();
    // The same number of bytes, and the time put back: only the content tells.
    let text = std::fs::read_to_string(&file).unwrap();
    let edited = text.replace("第一档", "第壹档");
    assert_eq!(edited.len(), text.len());
    std::fs::write(&file, &edited).unwrap();
    set_time(an_hour_ago);
    let after = std::fs::metadata(&file).unwrap();
    assert_eq!(
        (after.len(), after.modified().unwrap()),
        (before.len(), before.modified().unwrap())
    );
    let report = publish(&input, &out).unwrap();
    assert!(
        report
            .written
            .written
            .contains(&"guide/elderly-allowance.html".to_owned()),
        "{report}"
    );
    let page = std::fs::read_to_string(out.join("guide").join("elderly-allowance.html")).unwrap();
    assert!(page.contains("第壹档"));
}

/// The search index's own numbers (which file, which documents) are written in letters: in
/// digits, a shard of group 3, bucket 50 read `3-50`, which is how a hand writes room 50 of
/// building 3, and the demo committee's publish of a large guide was refused for it. Every
/// file of an index of 3,000 pages, checked against the demo committee's ledger: no hit.
#[test]
fn the_search_index_never_reads_as_an_address_or_a_number() {
    use sibai::demo::{DemoSize, generate};
    use sibai::publish::search::{self, Doc};
    let ledger = generate(DemoSize::Typical, today(), 400);
    let guard = sibai::publish::guard_for(&ledger, &SiteSettings::default());
    let titles: Vec<String> = (0..3_000).map(|i| format!("服务事项{i}")).collect();
    let docs: Vec<Doc> = titles
        .iter()
        .enumerate()
        .map(|(i, title)| Doc {
            title,
            url: format!("guide/item-{i:05}.html"),
            kind: "百事汇",
            text: "社区居民办理补贴申请，材料齐全即可受理".into(),
        })
        .collect();
    let files = search::files(&docs).unwrap();
    assert!(files.len() > 3 * 64 + 300, "{}", files.len());
    for (path, text) in &files {
        let hits = guard.scan(path, text);
        assert!(hits.is_empty(), "{path}: {hits:?}");
    }
}
