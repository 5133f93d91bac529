//! Importing visits a committee logged before (in 社区云's 接待走访 layout, which is what
//! 走访 → 导出 writes, or a sheet of its own): each row's 走访时间, 走访人 (the committee's
//! workers, by name), the household (by its address, which must be in the ledger), whom they
//! spoke to, 走访事由, 困难或诉求 and 备注. A visit already in the ledger (same time, worker and
//! household) is left as it is, so a sheet imported twice adds nothing the second time.
//!
//! What the rows are checked against is taken from the ledger first ([`VisitBase`]: the
//! places, the workers, the problems, the keys of the visits already logged), so that the dry
//! run can go to another thread without a copy of every visit.

use super::super::committee::{Worker, WorkerId};
use super::super::edit::Edit;
use super::super::ledger::Ledger;
use super::super::problem::ProblemId;
use super::super::visit::{Need, NeedOutcome, Visit, VisitId, VisitKind};
use super::cells::{datetime_of, text_of, words_of};
use super::row::place_of;
use super::sheet::{Cell, Field, Mapping, Sheet};
use super::{RowReport, Verdict, skipped};
use crate::model::household::HouseholdId;
use chrono::{Datelike, NaiveDate, NaiveDateTime};
use std::collections::{BTreeMap, HashMap, HashSet};

/// The dry run of a visits import: a report per row and the visits it would add.
#[derive(Debug, Clone, PartialEq)]
pub struct VisitPlan {
    /// Every row read (blank rows and subtotals left out).
    pub rows: Vec<RowReport>,
    /// Sheets whose header was not found.
    pub unread_sheets: Vec<String>,
    /// The visits to add.
    visits: Vec<Visit>,
    /// What the ledger's visits were when the plan was made: how many, and each year's
    /// highest number (the plan's numbers follow them).
    made_for: (usize, BTreeMap<i32, u32>),
}

impl VisitPlan {
    /// How many rows have each kind of verdict: added, updated (never, for a visit),
    /// already in the ledger, duplicates, errors.
    pub fn counts(&self) -> [usize; 5] {
        super::count(&self.rows)
    }

    /// The counts in words.
    pub fn summary(&self) -> String {
        let [add, _, same, dup, err] = self.counts();
        format!(
            "共 {} 行：新增走访 {add} 次，已在台账中 {same} 次，重复 {dup} 行，错误 {err} 行",
            self.rows.len()
        )
    }

    /// Whether there is anything to write.
    pub fn is_empty(&self) -> bool {
        self.visits.is_empty()
    }

    /// Whether the plan was made for the ledger's visits as they are now.
    pub fn is_current(&self, ledger: &Ledger) -> bool {
        self.made_for == made_for(ledger)
    }

    /// The whole import as one edit, undone as one.
    pub fn edit(&self) -> Edit {
        Edit::Batch(
            self.visits
                .iter()
                .map(|v| Edit::Visit(v.id, Some(Box::new(v.clone()))))
                .collect(),
        )
    }
}

fn made_for(ledger: &Ledger) -> (usize, BTreeMap<i32, u32>) {
    (
        ledger.visits.values().map(Vec::len).sum(),
        ledger
            .visits
            .iter()
            .map(|(y, l)| (*y, l.iter().map(|v| v.id.seq).max().unwrap_or(0)))
            .collect(),
    )
}

/// A visit's key: its time, worker and household (one visit logged twice has the same).
type VisitKey = (NaiveDateTime, WorkerId, HouseholdId);

/// What a visits import checks its rows against, taken from the ledger.
#[derive(Debug, Clone)]
pub struct VisitBase {
    /// The households living here by compound, building and room, each with the names of
    /// its members present.
    places: HashMap<(String, String, String), (HouseholdId, Vec<String>)>,
    /// The committee's workers.
    workers: Vec<Worker>,
    /// The problems a need may say it was listed as.
    problems: HashSet<ProblemId>,
    /// The visits already logged, sorted (a sorted list is quicker to make than a hash set of
    /// 200,000, and as quick to search here).
    known: Vec<VisitKey>,
    /// How many visits, and each year's highest number.
    made_for: (usize, BTreeMap<i32, u32>),
}

impl VisitBase {
    /// Taken from `ledger`, which must hold every year of visits.
    pub fn of(ledger: &Ledger) -> VisitBase {
        let book = &ledger.households;
        let places = book
            .households
            .iter()
            .filter(|h| h.is_active())
            .filter_map(|h| {
                let b = book.building(h.building)?;
                let c = book.compound(b.compound)?;
                let names = h.present_members().map(|m| m.name.clone()).collect();
                Some((
                    (c.name.clone(), b.number.clone(), h.room.clone()),
                    (h.id, names),
                ))
            })
            .collect();
        VisitBase {
            places,
            workers: ledger.committee.workers.clone(),
            problems: ledger.problems.problems.iter().map(|p| p.id).collect(),
            known: {
                let mut keys: Vec<VisitKey> = ledger
                    .all_visits()
                    .map(|v| (v.at, v.worker, v.household))
                    .collect();
                keys.sort_unstable();
                keys
            },
            made_for: made_for(ledger),
        }
    }

    /// The household living at a place (compound, building, room), or why there is none.
    fn find(&self, place: (String, String, String)) -> Result<(HouseholdId, &[String]), String> {
        match self.places.get(&place) {
            Some((id, names)) => Ok((*id, names)),
            None => Err(format!(
                "台账中没有 {}{}{}室 这一户：请先把这一户录入或导入居民户",
                place.0, place.1, place.2
            )),
        }
    }
}

/// The dry run of importing visits from these sheets, each read by its mapping (`None`: not
/// read), checked against `base` (a visit already there is found by its time, worker and
/// household). `today`: a visit after it is refused.
pub fn plan_visits(
    base: &VisitBase,
    sheets: &[Sheet],
    mappings: &[Option<Mapping>],
    today: NaiveDate,
) -> VisitPlan {
    let mut next_seq: BTreeMap<i32, u32> = base.made_for.1.clone();
    // Rows of this file already planned: where, by time, worker and household.
    let mut in_file: HashMap<VisitKey, String> = HashMap::new();
    let mut rows = Vec::new();
    let mut unread = Vec::new();
    let mut visits = Vec::new();
    for (sheet, map) in sheets.iter().zip(mappings) {
        let Some(map) = map else {
            if !sheet.is_blank() {
                unread.push(sheet.name.clone());
            }
            continue;
        };
        for (r, row) in sheet.rows.iter().enumerate().skip(map.header_row + 1) {
            if skipped(row) {
                continue;
            }
            let mut report = RowReport {
                sheet: sheet.name.clone(),
                row: r + 1,
                name: resident_of(row, map),
                address: String::new(),
                verdict: Verdict::Add,
                warnings: Vec::new(),
            };
            match read_visit(row, map, &sheet.name, base, today) {
                Err(reasons) => report.verdict = Verdict::Error(reasons),
                Ok(mut v) => {
                    report.address = std::mem::take(&mut v.address);
                    report.warnings = std::mem::take(&mut v.warnings);
                    let key = (v.visit.at, v.visit.worker, v.visit.household);
                    if let Some(first) = in_file.get(&key) {
                        report.verdict = Verdict::Duplicate(format!(
                            "与{first}是同一次走访（时间、走访人、户都相同）"
                        ));
                    } else if base.known.binary_search(&key).is_ok() {
                        report.verdict = Verdict::Unchanged;
                    } else {
                        in_file.insert(key, format!("“{}”第 {} 行", sheet.name, r + 1));
                        let year = v.visit.at.year();
                        let seq = next_seq.entry(year).or_insert(0);
                        *seq += 1;
                        v.visit.id = VisitId { year, seq: *seq };
                        visits.push(v.visit);
                    }
                }
            }
            rows.push(report);
        }
    }
    VisitPlan {
        rows,
        unread_sheets: unread,
        visits,
        made_for: base.made_for.clone(),
    }
}

/// A visit's time from its cell: neither after today nor before 2000 (a typed year gone
/// wrong).
fn time_of(cell: &Cell, today: NaiveDate) -> Result<NaiveDateTime, String> {
    match datetime_of(cell) {
        Ok(Some(at)) if at.date() > today => Err(format!(
            "走访时间 {} 在今天之后",
            at.format("%Y-%m-%d %H:%M")
        )),
        Ok(Some(at)) if at.year() < 2000 => {
            Err(format!("走访时间 {} 太早，请核对", at.format("%Y-%m-%d")))
        }
        Ok(Some(at)) => Ok(at),
        Ok(None) => Err("没有走访时间".to_owned()),
        Err(e) => Err(format!("走访时间{e}")),
    }
}

/// The type of visit (from its column, else from the head of 备注, where 走访 → 导出 writes
/// it) and the note without it.
fn kind_and_note(kind_text: &str, note: String, warnings: &mut Vec<String>) -> (VisitKind, String) {
    if kind_text.is_empty() {
        return match kind_in_note(&note) {
            Some((kind, rest)) => (kind, rest),
            None => (VisitKind::General, note),
        };
    }
    let kind = kind_of(kind_text).unwrap_or_else(|| {
        warnings.push(format!("走访类型“{kind_text}”看不懂，按一般走访导入"));
        VisitKind::General
    });
    (kind, note)
}

/// A visit read from its row, with what was noticed.
struct VisitRow {
    visit: Visit,
    /// The household's address as the ledger writes it, without spaces.
    address: String,
    warnings: Vec<String>,
}

/// Whom the row's visit spoke to, without spaces.
fn resident_of(row: &[Cell], map: &Mapping) -> String {
    text_of(map.cell(row, Field::Resident))
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}

/// The row as a visit (numbered later), or why it cannot be imported.
fn read_visit(
    row: &[Cell],
    map: &Mapping,
    sheet: &str,
    base: &VisitBase,
    today: NaiveDate,
) -> Result<VisitRow, Vec<String>> {
    let cell = |f: Field| map.cell(row, f);
    let text = |f: Field| text_of(cell(f));
    let words = |f: Field| words_of(cell(f));
    let mut errors = Vec::new();
    let mut warnings = Vec::new();
    let at = time_of(cell(Field::VisitTime), today).map_or_else(
        |e| {
            errors.push(e);
            None
        },
        Some,
    );
    let workers = workers_of(&text(Field::Worker), &base.workers).unwrap_or_else(|e| {
        errors.push(e);
        Vec::new()
    });
    let place = place_of(&text, sheet, None);
    let address = place
        .as_ref()
        .map(|(c, b, r)| format!("{c}{b}{r}室"))
        .unwrap_or_default();
    let household = place.and_then(|p| base.find(p)).map_or_else(
        |e| {
            errors.push(e);
            None
        },
        Some,
    );
    let resident = resident_of(row, map);
    if let Some((_, names)) = household
        && !resident.is_empty()
        && !names.contains(&resident)
    {
        warnings.push(format!("该户现有成员中没有“{resident}”"));
    }
    let (kind, mut note) =
        kind_and_note(&words(Field::VisitKind), words(Field::Note), &mut warnings);
    let (needs, unsettled) = needs_of(&words(Field::Needs), &base.problems);
    if !unsettled.is_empty() {
        warnings
            .push("困难或诉求没有注明处理情况（当场答复或列入问题清单），已记入备注".to_owned());
        let line = format!(
            "困难或诉求（导入时未注明处理情况）：{}",
            unsettled.join("；")
        );
        note = if note.is_empty() {
            line
        } else {
            format!("{note}；{line}")
        };
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let (Some(at), Some((household, _)), Some((&worker, companions))) =
        (at, household, workers.split_first())
    else {
        return Err(vec!["这一行读不出走访".to_owned()]);
    };
    Ok(VisitRow {
        visit: Visit {
            id: VisitId { year: 0, seq: 0 },
            at,
            worker,
            companions: companions.to_vec(),
            household,
            resident_name: resident,
            family_situation: words(Field::Family),
            kind,
            reason: words(Field::Reason),
            needs,
            note,
        },
        address,
        warnings,
    })
}

/// The workers named in a 走访人 cell (王慧敏、李建国; also by commas, slashes or spaces): the
/// first is the one who visited, the others came along. Every name must be a worker of the
/// committee.
fn workers_of(text: &str, workers: &[Worker]) -> Result<Vec<WorkerId>, String> {
    let names: Vec<&str> = text
        .split(['、', ',', '，', '/', ';', '；', ' '])
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .collect();
    if names.is_empty() {
        return Err("没有走访人".to_owned());
    }
    let mut ids = Vec::new();
    let mut unknown = Vec::new();
    for name in names {
        match workers.iter().find(|w| w.name == name) {
            Some(w) if !ids.contains(&w.id) => ids.push(w.id),
            Some(_) => {}
            None => unknown.push(format!("“{name}”")),
        }
    }
    if unknown.is_empty() {
        Ok(ids)
    } else {
        Err(format!(
            "走访人{}不是本居委会的工作人员：请先在“设置 → 工作人员”中添加，或改正姓名",
            unknown.join("、")
        ))
    }
}

/// The type of visit a cell names: 一般走访, 特殊对象走访, 业务条线（民政）, and short forms.
fn kind_of(text: &str) -> Option<VisitKind> {
    let t: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    let t = t.replace('(', "（").replace(')', "）");
    if let Some(line) = t.strip_prefix("业务条线").map(|r| {
        r.trim_start_matches(['（', '：', ':'])
            .trim_end_matches('）')
    }) {
        return Some(if line.is_empty() {
            VisitKind::LineOfWork("其他".to_owned())
        } else {
            VisitKind::LineOfWork(line.to_owned())
        });
    }
    match t.as_str() {
        "一般走访" | "一般" | "日常走访" | "日常" => Some(VisitKind::General),
        "特殊对象走访" | "特殊对象" | "特殊" | "重点对象走访" => {
            Some(VisitKind::Special)
        }
        _ => None,
    }
}

/// A type of visit at the head of 备注 (特殊对象走访；精神较好), and the rest of the note.
fn kind_in_note(note: &str) -> Option<(VisitKind, String)> {
    let (head, rest) = match note.split_once(['；', ';']) {
        Some((h, r)) => (h, r.trim()),
        None => (note, ""),
    };
    kind_of(head).map(|k| (k, rest.to_owned()))
}

/// The needs in a 困难或诉求 cell, one per `；`, each with how it was handled as 走访 → 导出
/// writes it (（当场答复解决：…）, （已列入问题清单第 12 号）, a problem this ledger has); and
/// the ones that say neither.
fn needs_of(text: &str, problems: &HashSet<ProblemId>) -> (Vec<Need>, Vec<String>) {
    let mut needs = Vec::new();
    let mut unsettled = Vec::new();
    for piece in text
        .split(['；', ';'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        let piece = piece.replace('(', "（").replace(')', "）");
        let outcome = piece
            .strip_suffix('）')
            .and_then(|p| p.rsplit_once('（'))
            .and_then(|(need, how)| {
                let outcome = if let Some(answer) = how.strip_prefix("当场答复解决") {
                    NeedOutcome::AnsweredOnSpot(
                        answer.trim_start_matches(['：', ':']).trim().to_owned(),
                    )
                } else {
                    let number: u32 = how
                        .strip_prefix("已列入问题清单第")?
                        .trim_end_matches('号')
                        .trim()
                        .parse()
                        .ok()?;
                    problems.contains(&ProblemId(number)).then_some(())?;
                    NeedOutcome::Listed(ProblemId(number))
                };
                Some((need.trim().to_owned(), outcome))
            });
        match outcome {
            Some((text, outcome)) => needs.push(Need { text, outcome }),
            None => unsettled.push(piece),
        }
    }
    (needs, unsettled)
}
