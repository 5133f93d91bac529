//! Small fixture ledgers and vault helpers shared by the suite.

use chrono::{NaiveDate, NaiveTime};
use sibai::model::*;
use sibai::store::{NewMember, SecretString, Unlocked, Vault, VaultOptions};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub const PASS: &str = "correct horse";

pub fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

pub fn members() -> Vec<NewMember> {
    vec![
        NewMember {
            name: "王书记".into(),
            role: "书记".into(),
            passphrase: SecretString::from(PASS.to_owned()),
        },
        NewMember {
            name: "李主任".into(),
            role: "主任".into(),
            passphrase: SecretString::from("second one".to_owned()),
        },
    ]
}

pub fn pass() -> SecretString {
    SecretString::from(PASS.to_owned())
}

/// A vault in `dir` holding `ledger`, saved; returns the open vault.
pub fn make_vault(dir: &Path, ledger: Ledger) -> Vault {
    let (mut vault, _) =
        Vault::init(dir, "测试居委会", &members(), VaultOptions::for_tests()).unwrap();
    vault.replace_ledger(ledger);
    vault.save().unwrap();
    vault
}

/// Opens as 王书记 and reads everything (earlier years included).
pub fn open(dir: &Path) -> Result<Vault, sibai::store::StoreError> {
    Unlocked::with_passphrase(dir, "王书记", &pass(), VaultOptions::for_tests())?.load_all()
}

/// The live file of a collection (the generation the manifest names; older ones are leftovers).
pub fn live_file(dir: &Path, stem: &str) -> PathBuf {
    let mut found: Vec<PathBuf> = std::fs::read_dir(dir.join("ledger"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy();
            name.starts_with(&format!("{stem}.")) && name.ends_with(".ron.age")
        })
        .collect();
    found.sort();
    found
        .pop()
        .unwrap_or_else(|| panic!("no live file for {stem}"))
}

/// Every file under `dir` with its bytes, for "nothing was written" checks.
pub fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.insert(p.clone(), std::fs::read(&p).unwrap());
            }
        }
    }
    out
}

/// One record of every kind, with `s` in its text fields.
pub fn sample_ledger(s: &str) -> Ledger {
    let id = IdNumber::parse("11010519491231002X").unwrap();
    let person = Person {
        id: PersonId(1),
        name: format!("张{s}"),
        relation: "户主".into(),
        group: MemberGroup::Owner,
        sex: Some(Sex::Female),
        id_number: Some(id),
        birth_date: None,
        hukou_address: s.to_owned(),
        phone: Phone::parse("10012345678").ok(),
        tags: vec![TagAssignment {
            dimension: TagDimension::ResidentType,
            name: "独居老人".into(),
            set_on: date(2025, 1, 2),
            set_by: s.to_owned(),
            ended: None,
        }],
        moved_in: Some(date(2000, 1, 1)),
        moved_out: None,
        note: s.to_owned(),
    };
    let mut households = HouseholdBook::default();
    households.compounds.push(Compound {
        id: CompoundId(1),
        name: format!("小区{s}"),
        address: s.to_owned(),
    });
    households.buildings.push(Building {
        id: BuildingId(1),
        compound: CompoundId(1),
        number: "1号".into(),
        floors: 6,
        rooms_per_floor: 2,
    });
    households.households.push(Household {
        id: HouseholdId(1),
        building: BuildingId(1),
        room: "101".into(),
        house_type: "商品房".into(),
        phone: None,
        has_vehicle: true,
        separated: false,
        members: vec![person],
        events: vec![HouseholdEvent {
            on: date(2000, 1, 1),
            kind: HouseholdEventKind::MovedIn,
            by: s.to_owned(),
            note: s.to_owned(),
        }],
        moved_out: None,
        note: s.to_owned(),
    });
    let committee = CommitteeBook {
        committee: Some(Committee {
            name: format!("居委会{s}"),
            district: "示例区".into(),
            street: "示例街道".into(),
            office_address: s.to_owned(),
            office_hours: s.to_owned(),
            office_phone: "021-60001000".into(),
        }),
        workers: vec![Worker {
            id: WorkerId(1),
            name: "王书记".into(),
            roles: vec![Role::Secretary],
            phone: None,
            signs_notices: true,
            since: date(2020, 1, 1),
            left_on: None,
        }],
        organisations: vec![Organisation {
            id: OrganisationId(1),
            kind: OrganisationKind::PropertyCompany,
            name: s.to_owned(),
            contact: s.to_owned(),
            phone: None,
            serves: s.to_owned(),
            note: s.to_owned(),
        }],
        assignments: vec![Assignment {
            worker: WorkerId(1),
            buildings: vec![BuildingId(1)],
            households: vec![],
            since: date(2024, 1, 1),
        }],
        tags: TagCatalog::default(),
        problem_categories: vec![s.to_owned()],
        lines_of_work: vec![],
        ..CommitteeBook::default()
    };
    let visit = Visit {
        id: VisitId { year: 2026, seq: 1 },
        at: date(2026, 3, 4).and_time(NaiveTime::from_hms_opt(10, 0, 0).unwrap()),
        worker: WorkerId(1),
        companions: vec![],
        household: HouseholdId(1),
        resident_name: s.to_owned(),
        family_situation: s.to_owned(),
        kind: VisitKind::LineOfWork(s.to_owned()),
        reason: s.to_owned(),
        needs: vec![Need {
            text: s.to_owned(),
            outcome: NeedOutcome::Listed(ProblemId(1)),
        }],
        note: s.to_owned(),
    };
    let problem = Problem {
        id: ProblemId(1),
        raised_on: date(2026, 3, 4),
        source: ProblemSource::Visit(visit.id),
        category: "环境卫生".into(),
        title: s.to_owned(),
        description: s.to_owned(),
        household: Some(HouseholdId(1)),
        location: s.to_owned(),
        prominent: true,
        path: ResolutionPath::Consultation,
        status: ProblemStatus::InProgress,
        assigned_to: Some(WorkerId(1)),
        steps: vec![ProblemStep {
            on: date(2026, 3, 5),
            note: s.to_owned(),
            by: Some(WorkerId(1)),
            kind: StepKind::Referred(s.to_owned()),
        }],
        answer: s.to_owned(),
        closed_on: None,
        project: Some(ProjectId(1)),
        follow_up: Some(FollowUp {
            due: date(2026, 3, 20),
            worker: Some(WorkerId(1)),
            done: Some(FollowUpDone {
                on: date(2026, 3, 21),
                visit: None,
                verdict: Verdict::Fair,
                note: s.to_owned(),
            }),
        }),
    };
    let project = Project {
        id: ProjectId(1),
        year: 2026,
        title: s.to_owned(),
        category: s.to_owned(),
        fund: FundKind::Foundation,
        fund_category: FundCategory::Facilities,
        problems: vec![ProblemId(1)],
        need: s.to_owned(),
        plan: s.to_owned(),
        budget: Fen::yuan(1234),
        stage: ProjectStage::Surveyed,
        milestones: vec![Milestone {
            stage: ProjectStage::Surveyed,
            on: date(2026, 5, 1),
            note: s.to_owned(),
        }],
        meetings: vec![Meeting {
            kind: MeetingKind::Hearing,
            on: date(2026, 4, 1),
            attendance: 20,
            topic: s.to_owned(),
            decision: s.to_owned(),
        }],
        approval: Some(ApprovalRecord {
            filed_on: date(2026, 4, 2),
            schedule: s.to_owned(),
            budget: Fen(1),
            deadline: date(2026, 9, 1),
        }),
        plan_notice: Some(NoticePeriod {
            from: date(2026, 4, 3),
            to: date(2026, 4, 10),
        }),
        outcome_notice: Some(NoticePeriod {
            from: date(2026, 4, 3),
            to: date(2026, 4, 10),
        }),
        outcome: s.to_owned(),
        surveys: vec![Survey {
            on: date(2026, 5, 1),
            method: SurveyMethod::RandomSample,
            respondents: 10,
            process: Tally {
                satisfied: 9,
                fair: 1,
                dissatisfied: 0,
            },
            effort: Tally::default(),
            result: Tally::default(),
        }],
        rectification: s.to_owned(),
        responsible: None,
        work: vec![WorkItem {
            name: s.to_owned(),
            planned: date(2026, 3, 20),
            done_on: Some(date(2026, 3, 25)),
            share: 100,
        }],
        rectifications: vec![],
        exceptions: vec![StageException {
            stage: ProjectStage::Approved,
            on: date(2026, 3, 2),
            rule: s.to_owned(),
            reason: s.to_owned(),
            by: Some(WorkerId(1)),
        }],
    };
    let payment = Payment {
        id: PaymentId { year: 2026, seq: 1 },
        fund: FundKind::PartyService,
        category: FundCategory::Care,
        on: date(2026, 2, 1),
        payee: Payee::Individual {
            name: s.to_owned(),
            household: Some(HouseholdId(1)),
        },
        purpose: s.to_owned(),
        amount: Fen(30_000),
        voucher: s.to_owned(),
        method: PaymentMethod::Cash { listed: true },
        project: None,
        signatures: vec![Signature {
            worker: WorkerId(1),
            role: Role::Secretary,
            on: date(2026, 2, 1),
        }],
        street_review: None,
        paid_first: false,
        filed_on: None,
        recorded_by: s.to_owned(),
        overrides: Vec::new(),
    };
    let mut ledger = Ledger {
        committee,
        households,
        ..Ledger::default()
    };
    ledger.visits.insert(2026, vec![visit]);
    ledger.problems.problems.push(problem);
    ledger.projects.projects.push(project);
    ledger.funds.insert(
        2026,
        FundYear {
            plans: vec![FundPlan {
                fund: FundKind::PartyService,
                budget: Fen::yuan(100_000),
                main_uses: s.to_owned(),
                key_projects: vec![s.to_owned()],
                items: vec![],
                carried_over: Fen::yuan(2_000),
            }],
            payments: vec![payment],
            income: vec![Income {
                fund: FundKind::PartyService,
                on: date(2026, 1, 10),
                amount: Fen::yuan(50_000),
                reference: s.to_owned(),
                note: s.to_owned(),
            }],
        },
    );
    ledger.desk.receptions.push(Reception {
        id: ReceptionId(1),
        at: date(2026, 1, 5).and_time(NaiveTime::from_hms_opt(9, 30, 0).unwrap()),
        channel: Channel::InPerson,
        visitor: Some(s.to_owned()),
        visitor_phone: None,
        matter: s.to_owned(),
        received_by: WorkerId(1),
        answer: s.to_owned(),
        confirmed: true,
        problem: None,
    });
    ledger.desk.shifts.push(DutyShift {
        on: date(2026, 1, 6),
        start: NaiveTime::from_hms_opt(18, 0, 0).unwrap(),
        end: NaiveTime::from_hms_opt(20, 0, 0).unwrap(),
        kind: ShiftKind::Evening,
        worker: WorkerId(1),
        signed_in: None,
        note: s.to_owned(),
    });
    ledger.points.entries.push(PointEntry {
        worker: WorkerId(1),
        month: Month {
            year: 2026,
            month: 1,
        },
        item: PointItem::Complaint(Tenths(-30)),
        note: s.to_owned(),
        entered_by: s.to_owned(),
        entered_on: date(2026, 1, 31),
    });
    ledger
}

/// The environment variable that tells a re-run of this test binary it is a child process.
pub const CHILD_ENV: &str = "SIBAI_TEST_CHILD_DIR";

/// Runs one ignored test of this binary as a child process working on `dir`.
pub fn spawn_child(test: &str, dir: &std::path::Path) -> std::process::Child {
    std::process::Command::new(std::env::current_exe().unwrap())
        .args([
            test,
            "--exact",
            "--ignored",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CHILD_ENV, dir)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap()
}

/// In a child process started by [`spawn_child`]: the vault it was given, opened. None otherwise.
pub fn child_vault() -> Option<Vault> {
    let dir = std::env::var(CHILD_ENV).ok()?;
    Some(Vault::open(dir.as_ref(), "王书记", &pass(), VaultOptions::for_tests()).unwrap())
}

/// Copies a folder and everything in it (the demo committee into a tempdir).
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// Runs the real `sibai` binary with a cheap work factor and a state folder of the tests' own,
/// no passphrase or member from the caller's environment, and `env` on top.
pub fn sibai(args: &[&str], env: &[(&str, &str)]) -> std::process::Output {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_sibai"));
    cmd.args(args)
        .env("SIBAI_SCRYPT_LOG_N", "4")
        .env(
            "SIBAI_STATE_DIR",
            std::env::temp_dir().join("sibai-test-state-cli"),
        )
        .env_remove("SIBAI_PASSPHRASE")
        .env_remove("SIBAI_MEMBER");
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().unwrap()
}

/// What a command printed, stdout then stderr.
pub fn text(o: &std::process::Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// Puts the ledger folder back to save `save_seq` as the backups hold it: that save's manifest
/// and exactly the files it names (nothing in `ledger/` newer than it says).
pub fn put_back_save(dir: &Path, key: &sibai::store::Unlocked, save_seq: u64) {
    let survey = key.survey().unwrap();
    let state = survey
        .states
        .iter()
        .find(|s| s.save_seq == Some(save_seq))
        .unwrap();
    let ledger = dir.join("ledger");
    std::fs::remove_dir_all(&ledger).unwrap();
    std::fs::create_dir_all(&ledger).unwrap();
    std::fs::copy(&state.path, ledger.join("manifest.ron.age")).unwrap();
    for (stem, generation) in &state.generations {
        let name = format!("{stem}.{generation:08}.ron.age");
        std::fs::copy(dir.join("backups").join(&name), ledger.join(&name)).unwrap();
    }
}
