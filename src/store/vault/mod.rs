//! The vault: a folder of age-encrypted RON files, unlocked with one scrypt, saved with the
//! protocol of ARCHITECTURE.md (encode, decode and compare, encrypt, temp file, fsync, read back
//! and decrypt, check the live file, rotate the backup, rename, fsync the folder).
//!
//! Each ledger file is named after its collection and generation (`problems.00000007.ron.age`),
//! and the encrypted manifest names the live generation of each. A save writes its new files
//! beside the old ones, links the old ones into `backups/`, and then replaces the manifest: that
//! one rename commits every file of the save at once, so a crash leaves the old state or the new
//! one, never a mix. Files the manifest does not name are leftovers, tidied by the next save.
//!
//! One job a file: this one holds the types and what reads the open vault; `unlock` opens it
//! (a member's passphrase or the recovery one, then the files the caller asks for first);
//! `save` is the save protocol; `members` the keys and who may unlock; `backups` the earlier
//! generations kept and restored; `recover` restoring a vault that cannot be opened.

mod archive;
mod backups;
mod kdf_memory;
mod members;
mod recover;
mod save;
mod saves;
mod unlock;

pub use archive::{ArchiveJob, ArchiveReport, restore_archive};
use backups::{Thinning, link_backup, parse_generation_name, prune_backups};
pub use recover::{FileCopy, Place, RestoreReport, SavedState, Survey, saved_time_text};
use save::{LiveCheck, write_atomically};
pub use save::{SaveJob, SaveOutcome};
use unlock::load_files;

use super::codec::{self, Header, Manifest, Part};
use super::crypto::{self, Failure};
use super::error::StoreError;
use super::fs::{FileSystem, RealFs};
use super::layout::{
    MANIFEST_STEM, backup_path, backups_dir, grant_path, is_vault, key_path, keys_dir, ledger_dir,
    live_path, manifest_path, meta_copy_path, meta_file_reads, meta_path, read_meta,
    recipients_path,
};
use super::lock;
use super::meta::{FORMAT, MemberEntry, RECOVERY_KEY_FILE, RECOVERY_NAME, VaultMeta};
use super::seen;
use crate::model::{
    Collection, Committee, CommitteeBook, DeskBook, Edit, FundYear, Household, HouseholdBook,
    HouseholdId, Ledger, PointBook, ProblemBook, ProjectBook, Visit,
};
use age::secrecy::SecretString;
use age::x25519;
use rand::RngExt;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet};
use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// How a vault is opened and written.
#[derive(Debug, Clone)]
pub struct VaultOptions {
    /// scrypt work factor (log2 N) used when wrapping a passphrase copy. 18 in production.
    pub scrypt_log_n: u8,
    /// Largest work factor accepted when unwrapping, so a vault made on a fast PC opens on a slow one.
    pub max_scrypt_log_n: u8,
    /// Backups of each file kept whatever their age (the newest first); older ones are thinned:
    /// every save of the last day, one a day for a month, one a month for a year.
    pub keep_backups: usize,
    /// Shortest passphrase accepted for a member.
    pub min_passphrase_len: usize,
    /// Open a vault whose files are older than the manifest says (to restore), with warnings.
    pub tolerate_rollback: bool,
    /// The file layer (the disk, or a fault injector in tests).
    pub fs: Arc<dyn FileSystem>,
    /// The time now, for thinning the backups (a simulated clock in tests).
    pub clock: fn() -> std::time::SystemTime,
    /// Where this PC remembers the newest save it has seen of each vault (no personal data);
    /// `None`: the user's local data folder.
    pub state_dir: Option<PathBuf>,
}

impl Default for VaultOptions {
    fn default() -> Self {
        VaultOptions {
            scrypt_log_n: 18,
            max_scrypt_log_n: 22,
            keep_backups: 10,
            min_passphrase_len: 4,
            tolerate_rollback: false,
            fs: Arc::new(RealFs),
            clock: std::time::SystemTime::now,
            state_dir: None,
        }
    }
}

#[cfg(any(test, feature = "testing"))]
impl VaultOptions {
    /// Options for tests: a cheap scrypt work factor.
    pub fn for_tests() -> Self {
        VaultOptions {
            scrypt_log_n: 4,
            // Never the user's own data folder.
            state_dir: Some(
                std::env::temp_dir().join(format!("sibai-test-state-{}", std::process::id())),
            ),
            ..VaultOptions::default()
        }
    }
}

/// A member to create at init or add later.
#[derive(Debug, Clone)]
pub struct NewMember {
    /// Name.
    pub name: String,
    /// Role (书记, 主任, 社工…).
    pub role: String,
    /// Passphrase.
    pub passphrase: SecretString,
}

/// The recovery passphrase, generated at init and shown once.
#[derive(Debug)]
pub struct RecoveryPassphrase(pub SecretString);

#[derive(Serialize, Deserialize)]
struct Grant {
    /// The vault identities, current first (two during a rotation).
    vault_identities: Vec<String>,
}

#[derive(Serialize, Deserialize, Default)]
struct Recipients {
    /// Key-file stem → the member's personal recipient.
    members: BTreeMap<String, String>,
}

/// Why a vault opened for viewing only.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ReadOnlyWhy {
    /// Another window or PC holds the write lock.
    Busy,
    /// The folder cannot be written.
    Media,
}

/// A file of the ledger: its collection and generation.
type FileRef = (Collection, u64);
/// A file as read: its collection, generation and content.
type LoadedPart = (Collection, u64, Part);

/// A collection encoded and encrypted, ready to write.
struct Prepared {
    collection: Collection,
    generation: u64,
    ciphertext: Vec<u8>,
    plaintext_hash: [u8; 32],
}

/// Which collections are read at open. The store knows nothing of screens or dates: the caller
/// picks, from the collections on disk, what it needs first (the app: `model::home_first`);
/// [`Vault::load_pending`] (or a [`PendingLoad`] on another thread) reads the rest afterwards.
pub enum LoadScope {
    /// Everything.
    All,
    /// The collections this picks from those on disk.
    First(PickFirst),
}

/// Picks, from the collections on disk, those to read at open.
pub type PickFirst = Box<dyn FnOnce(&[Collection]) -> Vec<Collection> + Send>;

/// A vault whose key is unlocked but whose ledger is not yet read (the KDF is done).
#[derive(Clone)]
pub struct Unlocked {
    dir: PathBuf,
    options: VaultOptions,
    meta: VaultMeta,
    member: String,
    ids: Vec<x25519::Identity>,
}

/// An open vault: the decrypted ledger in memory and what is needed to save it.
pub struct Vault {
    dir: PathBuf,
    options: VaultOptions,
    meta: VaultMeta,
    member: String,
    ids: Vec<x25519::Identity>,
    ledger: Ledger,
    /// The manifest as it is live on disk.
    manifest: Manifest,
    /// Hash of the live manifest's ciphertext, to notice if someone else replaced it.
    manifest_hash: Option<[u8; 32]>,
    dirty: BTreeSet<Collection>,
    /// Collections on disk not read yet (earlier years); never saved until read.
    unloaded: BTreeSet<Collection>,
    /// A save whose manifest reached the disk but could not be confirmed durable.
    unconfirmed: bool,
    /// What the save now running (see [`Vault::begin_save`]) took from `dirty`.
    in_flight: Option<BTreeSet<Collection>>,
    lock: Option<File>,
    /// Why there is no lock.
    read_only: Option<ReadOnlyWhy>,
    /// Opened older than the newest save this PC has seen, with a newer save in the backups.
    behind: bool,
    warnings: Vec<String>,
}

/// What a save did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SaveReport {
    /// Collections written.
    pub written: Vec<Collection>,
}

/// One backup of a collection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupInfo {
    /// Collection.
    pub collection: Collection,
    /// Generation of the backup.
    pub generation: u64,
    /// Its file.
    pub path: PathBuf,
}

/// Reads collections that opening left for later, on any thread: get it from
/// [`Vault::pending_load`], call [`PendingLoad::load`], and hand the result to
/// [`Vault::install_loaded`].
pub struct PendingLoad {
    dir: PathBuf,
    fs: Arc<dyn FileSystem>,
    ids: Vec<x25519::Identity>,
    items: Vec<FileRef>,
    tolerate_rollback: bool,
}

/// Collections read by a [`PendingLoad`], to install.
pub struct LoadedParts {
    parts: Vec<LoadedPart>,
    warnings: Vec<String>,
}

impl PendingLoad {
    /// The collections it will read.
    pub fn collections(&self) -> Vec<Collection> {
        self.items.iter().map(|(c, _)| *c).collect()
    }

    /// Decrypts and parses them (in parallel).
    pub fn load(self) -> Result<LoadedParts, StoreError> {
        let (parts, warnings) = load_files(
            &self.dir,
            self.fs.as_ref(),
            &self.ids,
            &self.items,
            self.tolerate_rollback,
        )?;
        Ok(LoadedParts { parts, warnings })
    }
}
/// Lowercase hex of a digest.
fn hex(digest: &[u8]) -> String {
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

fn sha256(bytes: &[u8]) -> [u8; 32] {
    Sha256::digest(bytes).into()
}

fn now_text() -> String {
    chrono::Local::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, false)
}

fn random_passphrase() -> SecretString {
    // 30 characters from 32 unambiguous symbols: 150 bits, in groups of five for writing down.
    const ALPHABET: &[u8] = b"23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
    let mut rng = rand::rng();
    let mut out = String::with_capacity(35);
    for i in 0..30 {
        if i > 0 && i % 5 == 0 {
            out.push('-');
        }
        out.push(char::from(ALPHABET[rng.random_range(0..ALPHABET.len())]));
    }
    SecretString::from(out)
}

/// A recovery passphrase as typed from paper, in the form it was made: 30 characters of the
/// recovery alphabet, upper case, in groups of five joined by dashes. Whatever does not come out
/// as 30 such characters is left as typed (and will simply not open the vault).
pub fn normalise_recovery(typed: &SecretString) -> SecretString {
    use age::secrecy::ExposeSecret;
    let chars: Vec<char> = typed
        .expose_secret()
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-' && *c != '－')
        .map(|c| c.to_ascii_uppercase())
        .collect();
    if chars.len() != 30 || !chars.iter().all(char::is_ascii_alphanumeric) {
        return typed.clone();
    }
    let grouped: Vec<String> = chars.chunks(5).map(|g| g.iter().collect()).collect();
    SecretString::from(grouped.join("-"))
}

fn valid_member_name(name: &str) -> bool {
    let name = name.trim();
    !name.is_empty() && name != RECOVERY_NAME && !name.contains(['/', '\\', ':', '\0'])
}

fn damaged(file: &Path, failure: Failure) -> StoreError {
    match failure {
        Failure::NotForUs => StoreError::NotThisVault(file.to_path_buf()),
        Failure::WrongPassphrase => StoreError::Damaged {
            file: file.to_path_buf(),
            detail: "无法解密".into(),
        },
        Failure::Damaged(detail) => StoreError::Damaged {
            file: file.to_path_buf(),
            detail,
        },
    }
}

impl Vault {
    /// The ledger, to read. After [`LoadScope::First`], what it leaves out is absent
    /// until [`Vault::load_pending`] (see [`Vault::unloaded`]).
    pub fn ledger(&self) -> &Ledger {
        &self.ledger
    }

    /// The vault folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The plaintext description (committee, members).
    pub fn meta(&self) -> &VaultMeta {
        &self.meta
    }

    /// Who unlocked.
    pub fn member(&self) -> &str {
        &self.member
    }

    /// Whether saving is off: another instance holds the write lock, or the folder cannot be
    /// written.
    pub fn is_read_only(&self) -> bool {
        self.lock.is_none()
    }

    /// Why saving is off, in Chinese (see [`Vault::is_read_only`]).
    pub fn read_only_reason(&self) -> Option<String> {
        self.read_only
            .map(|why| self.read_only_error(why).to_string())
    }

    /// Whether it opened older than the newest save this PC has seen of it while the backups
    /// hold a newer save (see `Unlocked::survey` to restore it).
    pub fn newer_save_in_backups(&self) -> bool {
        self.behind
    }

    /// The unlocked key, to survey and restore the vault (see `store::vault::recover`) after
    /// it is closed.
    pub fn key(&self) -> Unlocked {
        Unlocked {
            dir: self.dir.clone(),
            options: self.options.clone(),
            meta: self.meta.clone(),
            member: self.member.clone(),
            ids: self.ids.clone(),
        }
    }

    /// Why saving is off, in a few words for the top bar.
    pub fn read_only_label(&self) -> Option<&'static str> {
        self.read_only.map(|why| match why {
            ReadOnlyWhy::Busy => "只读：另一个窗口正在修改台账",
            ReadOnlyWhy::Media => "只读：台账文件夹不能写入",
        })
    }

    fn read_only_error(&self, why: ReadOnlyWhy) -> StoreError {
        match why {
            ReadOnlyWhy::Busy => StoreError::LockedByOther,
            ReadOnlyWhy::Media => StoreError::ReadOnlyMedia(self.dir.clone()),
        }
    }

    /// Warnings from opening (rolled-back files tolerated, read-only).
    pub fn warnings(&self) -> &[String] {
        &self.warnings
    }

    /// Collections with unsaved edits.
    pub fn unsaved(&self) -> Vec<Collection> {
        let mut all = self.dirty.clone();
        all.extend(self.in_flight.iter().flatten().copied());
        all.into_iter().collect()
    }

    /// Whether anything is unsaved (including a save that reached the disk but could not be
    /// confirmed).
    pub fn has_unsaved(&self) -> bool {
        !self.dirty.is_empty() || self.unconfirmed || self.in_flight.is_some()
    }

    /// The live generation of a collection (0 if it was never saved).
    pub fn generation(&self, c: Collection) -> u64 {
        self.manifest
            .generations
            .get(&c.stem())
            .copied()
            .unwrap_or(0)
    }

    /// Collections on disk not read yet (see [`LoadScope::First`]).
    pub fn unloaded(&self) -> Vec<Collection> {
        self.unloaded.iter().copied().collect()
    }

    /// What is left to read, to run on another thread while the app is already in use.
    pub fn pending_load(&self) -> PendingLoad {
        PendingLoad {
            dir: self.dir.clone(),
            fs: self.fs(),
            ids: self.ids.clone(),
            items: self
                .unloaded
                .iter()
                .map(|&c| (c, self.generation(c)))
                .collect(),
            tolerate_rollback: self.options.tolerate_rollback,
        }
    }

    /// Installs what a [`PendingLoad`] read. A part is skipped if its collection was read or
    /// replaced in the meantime.
    pub fn install_loaded(&mut self, loaded: LoadedParts) {
        for (c, generation, part) in loaded.parts {
            if self.unloaded.contains(&c) && self.generation(c) == generation {
                codec::install(&mut self.ledger, part);
                self.unloaded.remove(&c);
            }
        }
        self.warnings.extend(loaded.warnings);
    }

    /// Reads everything not read yet, here and now.
    pub fn load_pending(&mut self) -> Result<(), StoreError> {
        if self.unloaded.is_empty() {
            return Ok(());
        }
        let loaded = self.pending_load().load()?;
        self.install_loaded(loaded);
        Ok(())
    }

    /// Reads one collection if it is not read yet.
    fn ensure_loaded(&mut self, c: Collection) -> Result<(), StoreError> {
        if !self.unloaded.contains(&c) {
            return Ok(());
        }
        let pending = PendingLoad {
            items: vec![(c, self.generation(c))],
            ..self.pending_load()
        };
        let loaded = pending.load()?;
        self.install_loaded(loaded);
        Ok(())
    }

    /// Marks a collection as changed (for edits made through [`Vault::ledger_mut`]).
    pub fn mark_dirty(&mut self, c: Collection) {
        self.dirty.insert(c);
    }

    /// The whole ledger to edit; the caller must [`Vault::mark_dirty`] what it changed, and must
    /// not change a collection that is still [`Vault::unloaded`]. Prefer the accessors below.
    pub fn ledger_mut(&mut self) -> &mut Ledger {
        &mut self.ledger
    }

    /// Replaces the whole ledger (demo, import) and marks every collection changed, including
    /// those the new ledger no longer has (they are saved empty).
    pub fn replace_ledger(&mut self, ledger: Ledger) {
        let mut all: BTreeSet<Collection> = self.ledger.collections().into_iter().collect();
        all.extend(
            self.manifest
                .generations
                .keys()
                .filter_map(|s| Collection::from_stem(s)),
        );
        all.extend(ledger.collections());
        self.ledger = ledger;
        self.unloaded.clear();
        self.dirty.extend(all);
    }

    /// Applies an edit (reading first any collection it touches that was not read yet), marks
    /// what it changed as unsaved, and returns its inverse for undo.
    pub fn apply(&mut self, edit: Edit) -> Result<Edit, StoreError> {
        let touched = edit.collections();
        for &c in &touched {
            self.ensure_loaded(c)?;
        }
        let inverse = edit.apply(&mut self.ledger);
        self.dirty.extend(touched);
        Ok(inverse)
    }

    /// The committee collection, to edit.
    pub fn committee_mut(&mut self) -> &mut CommitteeBook {
        self.dirty.insert(Collection::Committee);
        &mut self.ledger.committee
    }

    /// Compounds, buildings and every household, to edit: all household files are rewritten.
    /// To edit one household, [`Vault::household_mut`] rewrites only its file.
    pub fn households_mut(&mut self) -> &mut HouseholdBook {
        self.dirty.insert(Collection::Buildings);
        let shards: Vec<Collection> = self
            .ledger
            .households
            .households
            .iter()
            .map(|h| Collection::of_household(h.id))
            .collect();
        self.dirty.extend(shards);
        &mut self.ledger.households
    }

    /// One household, to edit.
    pub fn household_mut(&mut self, id: HouseholdId) -> Option<&mut Household> {
        let h = self.ledger.households.household_mut(id)?;
        self.dirty.insert(Collection::of_household(id));
        Some(h)
    }

    /// Adds a household (its id must be new, see `HouseholdBook::next_household_id`).
    pub fn add_household(&mut self, household: Household) {
        self.dirty.insert(Collection::of_household(household.id));
        let all = &mut self.ledger.households.households;
        let at = all.partition_point(|h| h.id < household.id);
        all.insert(at, household);
    }

    /// One year's visits, to edit (read first if that year was not read yet).
    pub fn visits_mut(&mut self, year: i32) -> Result<&mut Vec<Visit>, StoreError> {
        self.ensure_loaded(Collection::Visits(year))?;
        self.dirty.insert(Collection::Visits(year));
        Ok(self.ledger.visits.entry(year).or_default())
    }

    /// Receptions and duty, to edit (read first if not read yet).
    pub fn desk_mut(&mut self) -> Result<&mut DeskBook, StoreError> {
        self.ensure_loaded(Collection::Desk)?;
        self.dirty.insert(Collection::Desk);
        Ok(&mut self.ledger.desk)
    }

    /// The problem list, to edit.
    pub fn problems_mut(&mut self) -> &mut ProblemBook {
        self.dirty.insert(Collection::Problems);
        &mut self.ledger.problems
    }

    /// Projects, to edit (read first if not read yet).
    pub fn projects_mut(&mut self) -> Result<&mut ProjectBook, StoreError> {
        self.ensure_loaded(Collection::Projects)?;
        self.dirty.insert(Collection::Projects);
        Ok(&mut self.ledger.projects)
    }

    /// One year's funds, to edit (read first if that year was not read yet).
    pub fn funds_mut(&mut self, year: i32) -> Result<&mut FundYear, StoreError> {
        self.ensure_loaded(Collection::Funds(year))?;
        self.dirty.insert(Collection::Funds(year));
        Ok(self.ledger.funds.entry(year).or_default())
    }

    /// Point-card items, to edit (read first if not read yet).
    pub fn points_mut(&mut self) -> Result<&mut PointBook, StoreError> {
        self.ensure_loaded(Collection::Points)?;
        self.dirty.insert(Collection::Points);
        Ok(&mut self.ledger.points)
    }

    fn fs(&self) -> Arc<dyn FileSystem> {
        self.options.fs.clone()
    }

    fn recipient(&self) -> x25519::Recipient {
        self.ids[0].to_public()
    }
}

fn check_passphrase(passphrase: &SecretString, min: usize) -> Result<(), StoreError> {
    use age::secrecy::ExposeSecret;
    if passphrase.expose_secret().chars().count() < min {
        return Err(StoreError::WeakPassphrase(min));
    }
    Ok(())
}
