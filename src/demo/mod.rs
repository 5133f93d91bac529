//! The demo committee (示例居委会): a fictitious residential area generated from a seed, rich
//! enough to judge every screen and report by, at the typical size or the stress size of
//! shared/DOMAIN.md §6. Pure: builds `model` types and does no I/O.

mod committee;
mod desk;
mod funds;
mod guide;
mod households;
mod names;
mod points;
mod problems;
mod projects;
mod visits;

pub use guide::{guide_body, guide_page};

use committee::{assignments, committee};
use desk::desk;
use funds::funds;
use households::households;
use points::points;
use problems::problems;
use projects::projects;
use visits::{NEEDS, visits};

use crate::model::*;
use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, Weekday};
use rand::seq::IndexedRandom;
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::collections::HashMap;

/// How big a demo to make.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum DemoSize {
    /// About 1,500 households, two years of records.
    Typical,
    /// The stress size: 20,000 households, 60,000 residents, 200,000 visits, 20,000 problems,
    /// 2,000 projects, 50,000 fund entries.
    Stress,
}

struct Plan {
    compounds: usize,
    buildings_per_compound: (u32, u32),
    households_target: usize,
    residents_target: usize,
    visit_years: i32,
    visits_target: usize,
    problems_target: usize,
    projects_target: usize,
    payments_target: usize,
}

impl DemoSize {
    fn plan(self) -> Plan {
        match self {
            DemoSize::Typical => Plan {
                compounds: 4,
                buildings_per_compound: (22, 32),
                households_target: 1_500,
                residents_target: 4_100,
                visit_years: 2,
                visits_target: 0,
                problems_target: 0,
                projects_target: 12,
                payments_target: 0,
            },
            DemoSize::Stress => Plan {
                compounds: 8,
                buildings_per_compound: (170, 190),
                households_target: 20_000,
                // Elderly living alone pull the mean down: aim a little high to land near 60,000.
                residents_target: 62_500,
                visit_years: 4,
                visits_target: 200_000,
                problems_target: 20_000,
                projects_target: 2_000,
                payments_target: 50_000,
            },
        }
    }
}

/// The demo's staff: name, roles. Each is also a vault member with the passphrase `demo`.
pub const WORKERS: [(&str, &[Role]); 7] = [
    ("王慧敏", &[Role::Secretary]),
    ("李建国", &[Role::Director]),
    ("张丽华", &[Role::Deputy]),
    ("陈静", &[Role::Member]),
    ("刘洋", &[Role::Member]),
    ("赵敏", &[Role::SocialWorker]),
    ("周志刚", &[Role::SocialWorker]),
];

/// The demo committee's name.
pub const COMMITTEE: &str = "示例居委会";

const COMPOUNDS: [(&str, &str, &str); 8] = [
    ("樱园新村", "示例路 100 弄", "动迁房"),
    ("和乐苑", "示例路 288 弄", "商品房"),
    ("翠湖花园", "虚构路 66 弄", "商品房"),
    ("长青里", "虚构路 9 弄", "公租房"),
    ("临河小区", "样板街 12 弄", "经适房"),
    ("银杏苑", "样板街 80 弄", "商品房"),
    ("东篱新村", "示例路 520 弄", "动迁房"),
    ("安居苑", "虚构路 300 弄", "廉租房"),
];

fn at(date: NaiveDate, hour: u32, minute: u32) -> NaiveDateTime {
    date.and_time(NaiveTime::from_hms_opt(hour, minute, 0).unwrap_or(NaiveTime::MIN))
}

fn years_ago(today: NaiveDate, rng: &mut ChaCha8Rng, min: i64, max: i64) -> NaiveDate {
    let days = rng.random_range(min * 365..=max * 365 + 364);
    today - Duration::days(days)
}

struct Gen {
    rng: ChaCha8Rng,
    today: NaiveDate,
    by: String,
    next_person: u32,
}

impl Gen {
    fn chance(&mut self, p: f64) -> bool {
        self.rng.random_bool(p.clamp(0.0, 1.0))
    }

    fn person(&mut self, relation: &str, group: MemberGroup, birth: NaiveDate, sex: Sex) -> Person {
        self.next_person += 1;
        let name = names::name(&mut self.rng, sex);
        let has_id = !self.chance(0.01);
        let id_number = if has_id {
            names::id_number(&mut self.rng, birth, sex)
        } else {
            None
        };
        let phone = if (18..85).contains(&age_on(birth, self.today)) && self.chance(0.7) {
            names::phone(&mut self.rng)
        } else {
            None
        };
        Person {
            id: PersonId(self.next_person),
            name,
            relation: relation.to_owned(),
            group,
            sex: Some(sex),
            birth_date: if id_number.is_none() {
                Some(birth)
            } else {
                None
            },
            id_number,
            hukou_address: String::new(),
            phone,
            tags: Vec::new(),
            moved_in: None,
            moved_out: None,
            note: String::new(),
        }
    }

    fn tag(&mut self, p: &mut Person, dimension: TagDimension, name: &str) {
        let since = self.today - Duration::days(self.rng.random_range(30..1500));
        p.set_tag(dimension, name, since, &self.by.clone());
    }
}

/// Generates the demo ledger as of `today`.
pub fn generate(size: DemoSize, today: NaiveDate, seed: u64) -> Ledger {
    let plan = size.plan();
    let mut g = Gen {
        rng: ChaCha8Rng::seed_from_u64(seed),
        today,
        by: WORKERS[0].0.to_owned(),
        next_person: 0,
    };
    let mut ledger = Ledger {
        committee: committee(today),
        ..Ledger::default()
    };
    households(&mut g, &plan, &mut ledger);
    assignments(&mut ledger, today);
    let problems_from_visits = visits(&mut g, &plan, &mut ledger);
    desk(&mut g, &plan, &mut ledger);
    problems(&mut g, &plan, &mut ledger, problems_from_visits);
    projects(&mut g, &plan, &mut ledger);
    funds(&mut g, &plan, &mut ledger);
    points(&mut g, &mut ledger);
    ledger
}
