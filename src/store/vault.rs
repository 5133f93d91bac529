//! The vault: a folder of age-encrypted RON files, unlocked with one scrypt, saved with the
//! protocol of ARCHITECTURE.md (encode, decode and compare, encrypt, temp file, fsync, read back
//! and decrypt, check the live file, rotate the backup, rename, fsync the folder).
//!
//! Each ledger file is named after its collection and generation (`problems.00000007.ron.age`),
//! and the encrypted manifest names the live generation of each. A save writes its new files
//! beside the old ones, links the old ones into `backups/`, and then replaces the manifest: that
//! one rename commits every file of the save at once, so a crash leaves the old state or the new
//! one, never a mix. Files the manifest does not name are leftovers, tidied by the next save.

use super::codec::{self, Header, Manifest, Part};
use super::crypto::{self, Failure};
use super::error::StoreError;
use super::fs::{FileSystem, RealFs};
use super::layout::{
    MANIFEST_STEM, backup_path, backups_dir, grant_path, is_vault, key_path, keys_dir, ledger_dir,
    live_path, manifest_path, meta_path, read_meta, recipients_path,
};
use super::lock;
use super::meta::{FORMAT, MemberEntry, RECOVERY_KEY_FILE, RECOVERY_NAME, VaultMeta};
use crate::model::{
    Collection, Committee, CommitteeBook, DeskBook, Edit, FundYear, Household, HouseholdBook,
    HouseholdId, Ledger, PointBook, ProblemBook, ProjectBook, Visit,
};
use age::secrecy::SecretString;
use age::x25519;
use chrono::Datelike;
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
    /// Backups kept per file (the newest is never dropped).
    pub keep_backups: usize,
    /// Shortest passphrase accepted for a member.
    pub min_passphrase_len: usize,
    /// Open a vault whose files are older than the manifest says (to restore), with warnings.
    pub tolerate_rollback: bool,
    /// The file layer (the disk, or a fault injector in tests).
    pub fs: Arc<dyn FileSystem>,
}

impl Default for VaultOptions {
    fn default() -> Self {
        VaultOptions {
            scrypt_log_n: 18,
            max_scrypt_log_n: 22,
            keep_backups: 30,
            min_passphrase_len: 4,
            tolerate_rollback: false,
            fs: Arc::new(RealFs),
        }
    }
}

impl VaultOptions {
    /// Options for tests: a cheap scrypt work factor.
    pub fn for_tests() -> Self {
        VaultOptions {
            scrypt_log_n: 4,
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

/// Which collections are read at open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoadScope {
    /// What the app's home screen needs: the committee, households, this year's visits and the
    /// problem list. [`Vault::load_pending`] (or a [`PendingLoad`] on another thread) reads the
    /// rest afterwards.
    Start,
    /// Everything.
    All,
}

/// A vault whose key is unlocked but whose ledger is not yet read (the KDF is done).
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

/// How a check of the live file is done before a rename.
#[derive(Clone, Copy)]
enum LiveCheck {
    /// Overwrite whatever is there (key files, vault.ron).
    Skip,
    /// The live file must have this hash, or be absent when None.
    Expect(Option<[u8; 32]>),
}

/// Writes a file with the save protocol. `verify` checks the bytes read back.
fn write_atomically(
    fs: &dyn FileSystem,
    path: &Path,
    bytes: &[u8],
    live: LiveCheck,
    backup: Option<&Path>,
    keep_backups: usize,
    verify: &dyn Fn(&[u8]) -> bool,
) -> Result<(), StoreError> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.tmp-{}", std::process::id()));
    let result = (|| {
        fs.write(&tmp, bytes)
            .map_err(|e| StoreError::io("写入临时文件", &tmp, e))?;
        // Never retry an fsync: after a failure the page cache may already be clean.
        fs.fsync(&tmp)
            .map_err(|e| StoreError::io("写盘（fsync）", &tmp, e))?;
        let back = fs.read(&tmp).map_err(|e| StoreError::io("读回", &tmp, e))?;
        if back != bytes || !verify(&back) {
            return Err(StoreError::VerifyFailed(path.to_path_buf()));
        }
        let current = match fs.read(path) {
            Ok(b) => Some(b),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => return Err(StoreError::io("读取", path, e)),
        };
        if let LiveCheck::Expect(expected) = live
            && current.as_deref().map(sha256) != expected
        {
            return Err(StoreError::ChangedOnDisk(path.to_path_buf()));
        }
        if let (Some(backup), Some(_)) = (backup, &current) {
            let bdir = backup.parent().unwrap_or(Path::new("."));
            fs.create_dir_all(bdir)
                .map_err(|e| StoreError::io("创建备份文件夹", bdir, e))?;
            link_backup(fs, path, backup)?;
            fs.fsync_dir(bdir)
                .map_err(|e| StoreError::io("写盘（备份文件夹）", bdir, e))?;
            prune_backups(fs, backup, keep_backups);
        }
        fs.rename(&tmp, path)
            .map_err(|e| StoreError::io("替换", path, e))?;
        fs.fsync_dir(dir)
            .map_err(|e| StoreError::io("写盘（文件夹）", dir, e))?;
        Ok(())
    })();
    if result.is_err() {
        let _ = fs.remove(&tmp);
    }
    result
}

/// Drops the oldest backups of the same collection beyond `keep` (never the newest).
fn prune_backups(fs: &dyn FileSystem, newest: &Path, keep: usize) {
    let Some(name) = newest.file_name().map(|n| n.to_string_lossy().into_owned()) else {
        return;
    };
    let Some(stem) = name.split('.').next().map(str::to_owned) else {
        return;
    };
    let dir = newest.parent().unwrap_or(Path::new("."));
    let Ok(files) = fs.list(dir) else { return };
    let mut mine: Vec<(u64, PathBuf)> = files
        .into_iter()
        .filter_map(|p| {
            parse_generation_name(&p)
                .filter(|(s, _)| *s == stem)
                .map(|(_, g)| (g, p))
        })
        .collect();
    mine.sort();
    // The newest is never dropped, whatever `keep` says.
    let excess = mine.len().saturating_sub(keep.max(1));
    for (_, path) in mine.into_iter().take(excess) {
        let _ = fs.remove(&path);
    }
}

fn parse_generation_name(path: &Path) -> Option<(String, u64)> {
    let name = path.file_name()?.to_str()?;
    let rest = name.strip_suffix(".ron.age")?;
    let (stem, generation) = rest.rsplit_once('.')?;
    Some((stem.to_owned(), generation.parse().ok()?))
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

/// Links `live` into the backups as `backup` (replacing a stale one), and checks the backup reads
/// back with the same bytes.
fn link_backup(fs: &dyn FileSystem, live: &Path, backup: &Path) -> Result<(), StoreError> {
    let current = fs.read(live).map_err(|e| StoreError::io("读取", live, e))?;
    if backup.exists() {
        fs.remove(backup)
            .map_err(|e| StoreError::io("替换备份", backup, e))?;
    }
    fs.link_or_copy(live, backup)
        .map_err(|e| StoreError::io("备份", backup, e))?;
    let made = fs
        .read(backup)
        .map_err(|e| StoreError::io("校验备份", backup, e))?;
    if sha256(&made) != sha256(&current) {
        return Err(StoreError::VerifyFailed(backup.to_path_buf()));
    }
    Ok(())
}
impl Unlocked {
    /// Unlocks with a member's passphrase: one scrypt (about a second), then the grant.
    pub fn with_passphrase(
        dir: &Path,
        member: &str,
        passphrase: &SecretString,
        options: VaultOptions,
    ) -> Result<Unlocked, StoreError> {
        let meta = read_meta(dir)?;
        let entry = meta
            .member(member)
            .ok_or_else(|| StoreError::UnknownMember {
                name: member.to_owned(),
                known: meta.member_names(),
            })?;
        let key_file = entry.key_file.clone();
        Self::unlock_key(dir, meta, member.to_owned(), &key_file, passphrase, options)
    }

    /// Unlocks with the recovery passphrase printed at init, as copied from paper: letter case,
    /// spaces and dashes do not matter (see [`normalise_recovery`]).
    pub fn with_recovery(
        dir: &Path,
        passphrase: &SecretString,
        options: VaultOptions,
    ) -> Result<Unlocked, StoreError> {
        let meta = read_meta(dir)?;
        let passphrase = normalise_recovery(passphrase);
        Self::unlock_key(
            dir,
            meta,
            RECOVERY_NAME.to_owned(),
            RECOVERY_KEY_FILE,
            &passphrase,
            options,
        )
    }

    fn unlock_key(
        dir: &Path,
        meta: VaultMeta,
        member: String,
        key_file: &str,
        passphrase: &SecretString,
        options: VaultOptions,
    ) -> Result<Unlocked, StoreError> {
        let fs = options.fs.clone();
        let kpath = key_path(dir, key_file);
        let wrapped = fs
            .read(&kpath)
            .map_err(|e| StoreError::io("读取密钥文件", &kpath, e))?;
        let personal =
            crypto::unwrap_with_passphrase(&wrapped, passphrase, options.max_scrypt_log_n)
                .map_err(|f| match f {
                    Failure::WrongPassphrase => StoreError::WrongPassphrase,
                    other => damaged(&kpath, other),
                })?;
        let personal = std::str::from_utf8(&personal)
            .ok()
            .and_then(crypto::parse_identity)
            .ok_or_else(|| StoreError::Damaged {
                file: kpath.clone(),
                detail: "密钥格式不对".into(),
            })?;
        let gpath = grant_path(dir, key_file);
        let grant_ct = fs
            .read(&gpath)
            .map_err(|e| StoreError::io("读取密钥文件", &gpath, e))?;
        let grant_pt = crypto::decrypt_with(&grant_ct, std::slice::from_ref(&personal))
            .map_err(|f| damaged(&gpath, f))?;
        let grant: Grant = std::str::from_utf8(&grant_pt)
            .map_err(|e| e.to_string())
            .and_then(codec::from_ron)
            .map_err(|detail| StoreError::Damaged {
                file: gpath.clone(),
                detail,
            })?;
        let ids: Vec<x25519::Identity> = grant
            .vault_identities
            .iter()
            .filter_map(|t| crypto::parse_identity(t))
            .collect();
        if ids.is_empty() || ids.len() != grant.vault_identities.len() {
            return Err(StoreError::Damaged {
                file: gpath,
                detail: "台账密钥格式不对".into(),
            });
        }
        Ok(Unlocked {
            dir: dir.to_path_buf(),
            options,
            meta,
            member,
            ids,
        })
    }

    /// Takes the write lock (or opens read-only), then decrypts and parses what the app needs to
    /// start ([`LoadScope::Start`]), in parallel; the rest waits for [`Vault::load_pending`].
    pub fn load(self) -> Result<Vault, StoreError> {
        self.load_scope(LoadScope::Start)
    }

    /// Like [`Unlocked::load`], reading everything at once.
    pub fn load_all(self) -> Result<Vault, StoreError> {
        self.load_scope(LoadScope::All)
    }

    /// Opens with the lock, reading the collections `scope` asks for.
    pub fn load_scope(self, scope: LoadScope) -> Result<Vault, StoreError> {
        let Unlocked {
            dir,
            options,
            meta,
            member,
            ids,
        } = self;
        let lock = lock::acquire(&dir)?;
        let fs = options.fs.clone();
        // A window opening read-only while the writer saves may read a manifest that is
        // replaced a moment later: then it reads again.
        let mut tries = 0;
        let (manifest, manifest_hash, mut warnings) = loop {
            tries += 1;
            match read_manifest(&dir, fs.as_ref(), &ids, options.tolerate_rollback) {
                Ok(found) => break found,
                Err((err, seen)) => {
                    let now = fs.read(&manifest_path(&dir)).ok().map(|b| sha256(&b));
                    if tries < 3 && now != seen {
                        continue;
                    }
                    return Err(err);
                }
            }
        };
        let known: Vec<FileRef> = manifest
            .generations
            .iter()
            .filter_map(|(stem, g)| Collection::from_stem(stem).map(|c| (c, *g)))
            .collect();
        let this_year = chrono::Local::now().year();
        let latest = |kind: fn(Collection) -> bool| {
            known
                .iter()
                .filter(|(c, _)| kind(*c))
                .filter_map(|(c, _)| c.year())
                .max()
        };
        // The home screen needs households, this year's visits and the problem list; the rest
        // (projects, funds, the desk, point cards, earlier years) is read next, in the
        // background, while the home screen is already up.
        let latest_visits = latest(|c| matches!(c, Collection::Visits(_)));
        let now = |c: Collection| match (scope, c) {
            (LoadScope::All, _) => true,
            (_, Collection::Visits(y)) => y >= this_year || Some(y) == latest_visits,
            (
                _,
                Collection::Committee
                | Collection::Buildings
                | Collection::Households(_)
                | Collection::Problems,
            ) => true,
            _ => false,
        };
        let (eager, later): (Vec<FileRef>, Vec<FileRef>) =
            known.into_iter().partition(|(c, _)| now(*c));
        let (parts, more) = load_files(&dir, fs.as_ref(), &ids, &eager, options.tolerate_rollback)?;
        warnings.extend(more);
        let mut ledger = Ledger::default();
        for (_, _, part) in parts {
            codec::install(&mut ledger, part);
        }
        if lock.is_none() {
            warnings.push(StoreError::LockedByOther.to_string());
        }
        Ok(Vault {
            dir,
            options,
            meta,
            member,
            ids,
            ledger,
            manifest,
            manifest_hash,
            dirty: BTreeSet::new(),
            unloaded: later.into_iter().map(|(c, _)| c).collect(),
            unconfirmed: false,
            in_flight: None,
            lock,
            warnings,
        })
    }
}

/// A manifest as read: its content, the hash of its bytes (None when there is none yet), and
/// warnings about roll-backs tolerated.
type ManifestRead = (Manifest, Option<[u8; 32]>, Vec<String>);

/// Reads the manifest and checks that every file it names is there. On error, also returns the
/// hash of the manifest bytes it read, so the caller can tell whether a writer replaced it since.
fn read_manifest(
    dir: &Path,
    fs: &dyn FileSystem,
    ids: &[x25519::Identity],
    tolerate_rollback: bool,
) -> Result<ManifestRead, (StoreError, Option<[u8; 32]>)> {
    let mpath = manifest_path(dir);
    let bytes = fs.read(&mpath);
    let seen = bytes.as_ref().ok().map(|b| sha256(b));
    let fail = |e: StoreError| (e, seen);
    let mut warnings = Vec::new();
    let ldir = ledger_dir(dir);
    let listed = fs
        .list(&ldir)
        .map_err(|e| fail(StoreError::io("读取文件夹", &ldir, e)))?;
    let on_disk: Vec<(String, u64)> = listed
        .iter()
        .filter_map(|p| parse_generation_name(p))
        .collect();
    let (mut manifest, manifest_hash) = match bytes {
        Ok(ct) => {
            let pt = crypto::decrypt_with(&ct, ids).map_err(|f| fail(damaged(&mpath, f)))?;
            let m: Manifest = std::str::from_utf8(&pt)
                .map_err(|e| e.to_string())
                .and_then(codec::from_ron)
                .map_err(|detail| {
                    fail(StoreError::Damaged {
                        file: mpath.clone(),
                        detail,
                    })
                })?;
            (m, Some(sha256(&ct)))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            if !on_disk.is_empty() {
                return Err(fail(StoreError::Damaged {
                    file: mpath,
                    detail: "文件缺失".into(),
                }));
            }
            (Manifest::default(), None)
        }
        Err(e) => return Err(fail(StoreError::io("读取", &mpath, e))),
    };
    // Every file the manifest names must be there. If one is missing but a newer generation
    // of it is, the manifest itself was put back to an older copy.
    for (stem, generation) in manifest.generations.clone() {
        if on_disk.contains(&(stem.clone(), generation)) {
            continue;
        }
        let newest = on_disk
            .iter()
            .filter(|(s, g)| *s == stem && *g > generation)
            .map(|(_, g)| *g)
            .max();
        match newest {
            Some(newer) => {
                let err = StoreError::RolledBack {
                    file: mpath.clone(),
                    found: generation,
                    expected: newer,
                };
                if !tolerate_rollback {
                    return Err(fail(err));
                }
                warnings.push(err.to_string());
                manifest.generations.insert(stem, newer);
            }
            None => {
                return Err(fail(StoreError::Damaged {
                    file: live_path(dir, &stem, generation),
                    detail: "文件缺失".into(),
                }));
            }
        }
    }
    Ok((manifest, manifest_hash, warnings))
}

/// Decrypts and parses the files of `items` (collection, generation) in parallel, checking that
/// each holds the collection and generation its name says.
fn load_files(
    dir: &Path,
    fs: &dyn FileSystem,
    ids: &[x25519::Identity],
    items: &[FileRef],
    tolerate_rollback: bool,
) -> Result<(Vec<LoadedPart>, Vec<String>), StoreError> {
    type Loaded = Result<(LoadedPart, Option<String>), StoreError>;
    let loaded: Vec<Loaded> = items
        .par_iter()
        .map(|&(c, generation)| {
            let path = live_path(dir, &c.stem(), generation);
            let ct = match fs.read(&path) {
                Ok(ct) => ct,
                // A read-only window reading later than the writer's next save: the generation
                // it was told about has just moved into the backups, whole and verified.
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => fs
                    .read(&backup_path(dir, &c.stem(), generation))
                    .map_err(|_| StoreError::Damaged {
                        file: path.clone(),
                        detail: "文件缺失".into(),
                    })?,
                Err(e) => return Err(StoreError::io("读取", &path, e)),
            };
            let pt = crypto::decrypt_with(&ct, ids).map_err(|f| damaged(&path, f))?;
            let text = std::str::from_utf8(&pt).map_err(|_| StoreError::Damaged {
                file: path.clone(),
                detail: "不是 UTF-8 文本".into(),
            })?;
            let (header, part) =
                codec::decode_collection(c, text).map_err(|detail| StoreError::Damaged {
                    file: path.clone(),
                    detail,
                })?;
            let mut warning = None;
            if header.generation < generation {
                let err = StoreError::RolledBack {
                    file: path.clone(),
                    found: header.generation,
                    expected: generation,
                };
                if !tolerate_rollback {
                    return Err(err);
                }
                warning = Some(err.to_string());
            } else if header.generation > generation {
                return Err(StoreError::Damaged {
                    file: path,
                    detail: format!("文件内是第 {} 版，与文件名不符", header.generation),
                });
            }
            Ok(((c, generation, part), warning))
        })
        .collect();
    let mut parts = Vec::with_capacity(loaded.len());
    let mut warnings = Vec::new();
    for item in loaded {
        let (part, warning) = item?;
        warnings.extend(warning);
        parts.push(part);
    }
    Ok((parts, warnings))
}
impl Vault {
    /// Creates a new vault in `dir`: member key copies, a recovery copy, and an empty ledger
    /// named after the committee. Returns the open vault and the recovery passphrase to show once.
    pub fn init(
        dir: &Path,
        committee: &str,
        members: &[NewMember],
        options: VaultOptions,
    ) -> Result<(Vault, RecoveryPassphrase), StoreError> {
        if is_vault(dir) {
            return Err(StoreError::AlreadyAVault(dir.to_path_buf()));
        }
        if members.is_empty() {
            return Err(StoreError::BadMemberName);
        }
        let mut seen = BTreeSet::new();
        for m in members {
            if !valid_member_name(&m.name) {
                return Err(StoreError::BadMemberName);
            }
            if !seen.insert(m.name.trim()) {
                return Err(StoreError::MemberExists(m.name.clone()));
            }
            check_passphrase(&m.passphrase, options.min_passphrase_len)?;
        }
        let fs = options.fs.clone();
        for d in [keys_dir(dir), ledger_dir(dir), backups_dir(dir)] {
            fs.create_dir_all(&d)
                .map_err(|e| StoreError::io("创建文件夹", &d, e))?;
        }
        let lock = lock::acquire(dir)?.ok_or(StoreError::LockedByOther)?;
        let vault_id = x25519::Identity::generate();
        let meta = VaultMeta {
            format: FORMAT,
            committee: committee.trim().to_owned(),
            created: now_text(),
            members: members
                .iter()
                .enumerate()
                .map(|(i, m)| MemberEntry {
                    name: m.name.trim().to_owned(),
                    role: m.role.trim().to_owned(),
                    key_file: format!("m{}", i + 1),
                })
                .collect(),
        };
        let mut vault = Vault {
            dir: dir.to_path_buf(),
            options,
            meta: meta.clone(),
            member: meta.members[0].name.clone(),
            ids: vec![vault_id],
            ledger: Ledger::default(),
            manifest: Manifest::default(),
            manifest_hash: None,
            dirty: BTreeSet::new(),
            unloaded: BTreeSet::new(),
            unconfirmed: false,
            in_flight: None,
            lock: Some(lock),
            warnings: Vec::new(),
        };
        let mut recipients = Recipients::default();
        for (entry, m) in meta.members.iter().zip(members) {
            let r = vault.write_member_key(&entry.key_file, &m.passphrase)?;
            recipients.members.insert(entry.key_file.clone(), r);
        }
        let recovery = random_passphrase();
        let r = vault.write_member_key(RECOVERY_KEY_FILE, &recovery)?;
        recipients.members.insert(RECOVERY_KEY_FILE.to_owned(), r);
        vault.write_recipients(&recipients)?;
        vault.ledger.committee = CommitteeBook {
            committee: Some(Committee {
                name: meta.committee,
                district: String::new(),
                street: String::new(),
                office_address: String::new(),
                office_hours: String::new(),
                office_phone: String::new(),
            }),
            ..CommitteeBook::default()
        };
        for c in vault.ledger.collections() {
            vault.dirty.insert(c);
        }
        vault.save()?;
        // vault.ron last: until it exists the folder is not a vault.
        vault.write_meta()?;
        Ok((vault, RecoveryPassphrase(recovery)))
    }

    /// Unlocks and loads what the app needs to start, in one step.
    pub fn open(
        dir: &Path,
        member: &str,
        passphrase: &SecretString,
        options: VaultOptions,
    ) -> Result<Vault, StoreError> {
        Unlocked::with_passphrase(dir, member, passphrase, options)?.load()
    }

    /// The ledger, to read. After [`Vault::open`], what [`LoadScope::Start`] leaves out is absent
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

    /// Whether another instance holds the write lock.
    pub fn is_read_only(&self) -> bool {
        self.lock.is_none()
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

    /// Collections on disk not read yet (see [`LoadScope::Start`]).
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

    /// Saves every changed collection, all or nothing: new files beside the old, the old linked
    /// into the backups, then the manifest that names the new ones. On any error the files the
    /// manifest names are untouched (or, if the manifest did go through, all new), the edits stay
    /// in memory marked unsaved, and the error says why. The same as [`Vault::begin_save`],
    /// [`SaveJob::run`] and [`Vault::finish_save`] on this thread.
    pub fn save(&mut self) -> Result<SaveReport, StoreError> {
        match self.begin_save()? {
            Some(job) => {
                let outcome = job.run();
                self.finish_save(outcome)
            }
            None => Ok(SaveReport::default()),
        }
    }

    /// Starts a save that may run on another thread: copies the changed collections (cheap next
    /// to encoding and encrypting them) and hands them over with what is needed to write them.
    /// Edits made while the job runs are marked unsaved again and go into the next save. Until
    /// [`Vault::finish_save`] is given the outcome, no other save or member change can start.
    /// `None` when there is nothing to save.
    pub fn begin_save(&mut self) -> Result<Option<SaveJob>, StoreError> {
        self.require_writable()?;
        if !self.has_unsaved() {
            return Ok(None);
        }
        let taken = std::mem::take(&mut self.dirty);
        // Never write a collection that was not read: it would replace the file with nothing.
        let collections: Vec<(Collection, u64)> = taken
            .iter()
            .copied()
            .filter(|c| !self.unloaded.contains(c))
            .map(|c| (c, self.generation(c)))
            .collect();
        let mut snapshot = Ledger::default();
        for &(c, _) in &collections {
            codec::install(&mut snapshot, codec::snapshot(&self.ledger, c));
        }
        self.in_flight = Some(taken);
        Ok(Some(SaveJob {
            dir: self.dir.clone(),
            fs: self.fs(),
            keep_backups: self.options.keep_backups,
            ids: self.ids.clone(),
            member: self.member.clone(),
            snapshot,
            collections,
            manifest: self.manifest.clone(),
            manifest_hash: self.manifest_hash,
        }))
    }

    /// Takes back the outcome of a [`SaveJob`]: on success the saved collections are clean
    /// (unless edited meanwhile); on failure they are marked unsaved again.
    pub fn finish_save(&mut self, outcome: SaveOutcome) -> Result<SaveReport, StoreError> {
        let taken = self.in_flight.take().unwrap_or_default();
        if let Some((manifest, hash)) = outcome.committed {
            self.manifest = manifest;
            self.manifest_hash = Some(hash);
            self.unconfirmed = !outcome.confirmed;
        }
        match outcome.result {
            Ok(report) => Ok(report),
            Err(e) => {
                self.dirty.extend(taken);
                Err(e)
            }
        }
    }

    /// Gives up on a save whose outcome was lost (its thread died): what it took is marked
    /// unsaved again. Whatever it wrote is either committed (and read back as such by the next
    /// open) or a leftover the next save tidies.
    pub fn abandon_save(&mut self) {
        if let Some(taken) = self.in_flight.take() {
            self.dirty.extend(taken);
            self.unconfirmed = true;
        }
    }

    /// Whether a save started with [`Vault::begin_save`] has not been finished yet.
    pub fn is_saving(&self) -> bool {
        self.in_flight.is_some()
    }

    fn write_meta(&self) -> Result<(), StoreError> {
        let text = codec::to_pretty_ron(&self.meta).map_err(StoreError::Encode)?;
        let path = meta_path(&self.dir);
        write_atomically(
            self.fs().as_ref(),
            &path,
            text.as_bytes(),
            LiveCheck::Skip,
            None,
            0,
            &|_| true,
        )
    }

    /// Writes a member's passphrase-wrapped personal key and the grant of the vault identities
    /// to it; returns the personal recipient.
    fn write_member_key(
        &self,
        key_file: &str,
        passphrase: &SecretString,
    ) -> Result<String, StoreError> {
        let personal = x25519::Identity::generate();
        let text = crypto::identity_text(&personal);
        let wrapped =
            crypto::wrap_with_passphrase(text.as_bytes(), passphrase, self.options.scrypt_log_n)
                .map_err(StoreError::Encode)?;
        let kpath = key_path(&self.dir, key_file);
        self.write_grant(key_file, &personal.to_public(), &self.ids)?;
        write_atomically(
            self.fs().as_ref(),
            &kpath,
            &wrapped,
            LiveCheck::Skip,
            None,
            0,
            &|_| true,
        )?;
        Ok(personal.to_public().to_string())
    }

    fn write_grant(
        &self,
        key_file: &str,
        to: &x25519::Recipient,
        ids: &[x25519::Identity],
    ) -> Result<(), StoreError> {
        let grant = Grant {
            vault_identities: ids
                .iter()
                .map(|i| crypto::identity_text(i).to_string())
                .collect(),
        };
        let text = codec::to_ron(&grant).map_err(StoreError::Encode)?;
        let ct = crypto::encrypt_to(to, text.as_bytes()).map_err(StoreError::Encode)?;
        let gpath = grant_path(&self.dir, key_file);
        write_atomically(
            self.fs().as_ref(),
            &gpath,
            &ct,
            LiveCheck::Skip,
            None,
            0,
            &|_| true,
        )
    }

    fn read_recipients(&self) -> Result<Recipients, StoreError> {
        let path = recipients_path(&self.dir);
        let ct = self
            .fs()
            .read(&path)
            .map_err(|e| StoreError::io("读取", &path, e))?;
        let pt = crypto::decrypt_with(&ct, &self.ids).map_err(|f| damaged(&path, f))?;
        std::str::from_utf8(&pt)
            .map_err(|e| e.to_string())
            .and_then(codec::from_ron)
            .map_err(|detail| StoreError::Damaged { file: path, detail })
    }

    fn write_recipients(&self, recipients: &Recipients) -> Result<(), StoreError> {
        let text = codec::to_ron(recipients).map_err(StoreError::Encode)?;
        let ct =
            crypto::encrypt_to(&self.recipient(), text.as_bytes()).map_err(StoreError::Encode)?;
        let path = recipients_path(&self.dir);
        write_atomically(
            self.fs().as_ref(),
            &path,
            &ct,
            LiveCheck::Skip,
            None,
            0,
            &|_| true,
        )
    }

    fn require_writable(&self) -> Result<(), StoreError> {
        if self.lock.is_none() {
            Err(StoreError::ReadOnly)
        } else if self.in_flight.is_some() {
            Err(StoreError::SaveInProgress)
        } else {
            Ok(())
        }
    }

    /// Adds a member who can unlock with their own passphrase.
    pub fn add_member(&mut self, member: &NewMember) -> Result<(), StoreError> {
        self.require_writable()?;
        let name = member.name.trim();
        if !valid_member_name(name) {
            return Err(StoreError::BadMemberName);
        }
        if self.meta.member(name).is_some() {
            return Err(StoreError::MemberExists(name.to_owned()));
        }
        check_passphrase(&member.passphrase, self.options.min_passphrase_len)?;
        let mut n = self.meta.members.len() + 1;
        while self
            .meta
            .members
            .iter()
            .any(|m| m.key_file == format!("m{n}"))
        {
            n += 1;
        }
        let key_file = format!("m{n}");
        let mut recipients = self.read_recipients()?;
        let r = self.write_member_key(&key_file, &member.passphrase)?;
        recipients.members.insert(key_file.clone(), r);
        self.write_recipients(&recipients)?;
        self.meta.members.push(MemberEntry {
            name: name.to_owned(),
            role: member.role.trim().to_owned(),
            key_file,
        });
        self.write_meta()
    }

    /// Sets a member's passphrase: a new personal key wrapped with it. Works for oneself (change
    /// passphrase) and, after unlocking with the recovery passphrase, for a member who forgot.
    pub fn set_member_passphrase(
        &mut self,
        name: &str,
        passphrase: &SecretString,
    ) -> Result<(), StoreError> {
        self.require_writable()?;
        check_passphrase(passphrase, self.options.min_passphrase_len)?;
        let key_file = if name == RECOVERY_NAME {
            RECOVERY_KEY_FILE.to_owned()
        } else {
            self.meta
                .member(name)
                .ok_or_else(|| StoreError::UnknownMember {
                    name: name.to_owned(),
                    known: self.meta.member_names(),
                })?
                .key_file
                .clone()
        };
        let mut recipients = self.read_recipients()?;
        let r = self.write_member_key(&key_file, passphrase)?;
        recipients.members.insert(key_file, r);
        self.write_recipients(&recipients)
    }

    /// Removes a member and rotates the vault identity: every file is re-encrypted to a new one,
    /// so the removed member's key opens nothing written from now on. Crash-safe: during the
    /// rotation every grant holds both identities.
    pub fn remove_member(&mut self, name: &str) -> Result<(), StoreError> {
        self.require_writable()?;
        let entry = self
            .meta
            .member(name)
            .ok_or_else(|| StoreError::UnknownMember {
                name: name.to_owned(),
                known: self.meta.member_names(),
            })?
            .clone();
        if self.meta.members.len() <= 1 {
            return Err(StoreError::LastMember);
        }
        if self.has_unsaved() {
            self.save()?;
        }
        let mut recipients = self.read_recipients()?;
        recipients.members.remove(&entry.key_file);
        let parsed: Vec<(String, x25519::Recipient)> = recipients
            .members
            .iter()
            .filter_map(|(k, r)| r.parse::<x25519::Recipient>().ok().map(|r| (k.clone(), r)))
            .collect();
        let new_id = x25519::Identity::generate();
        let mut both = vec![new_id];
        both.extend(self.ids.iter().cloned());
        // 1. Every remaining key may open old and new files.
        for (key_file, r) in &parsed {
            self.write_grant(key_file, r, &both)?;
        }
        // 2. The removed member can no longer unlock.
        self.meta.members.retain(|m| m.name != name);
        self.write_meta()?;
        let fs = self.fs();
        for p in [
            key_path(&self.dir, &entry.key_file),
            grant_path(&self.dir, &entry.key_file),
        ] {
            if let Err(e) = fs.remove(&p)
                && e.kind() != std::io::ErrorKind::NotFound
            {
                return Err(StoreError::io("删除密钥文件", &p, e));
            }
        }
        // 3. Re-encrypt everything to the new identity.
        self.ids = both;
        let new_recipient = self.recipient();
        self.write_recipients(&recipients)?;
        let mut targets = fs
            .list(&ledger_dir(&self.dir))
            .map_err(|e| StoreError::io("读取文件夹", ledger_dir(&self.dir), e))?;
        targets.extend(
            fs.list(&backups_dir(&self.dir))
                .map_err(|e| StoreError::io("读取文件夹", backups_dir(&self.dir), e))?,
        );
        for path in targets
            .iter()
            .filter(|p| p.to_string_lossy().ends_with(".ron.age"))
        {
            let ct = fs.read(path).map_err(|e| StoreError::io("读取", path, e))?;
            let pt = crypto::decrypt_with(&ct, &self.ids).map_err(|f| damaged(path, f))?;
            let new_ct = crypto::encrypt_to(&new_recipient, &pt).map_err(StoreError::Encode)?;
            let ids = &self.ids;
            let verify = |b: &[u8]| {
                crypto::decrypt_with(b, ids).is_ok_and(|p| p.as_slice() == pt.as_slice())
            };
            write_atomically(
                fs.as_ref(),
                path,
                &new_ct,
                LiveCheck::Expect(Some(sha256(&ct))),
                None,
                0,
                &verify,
            )?;
            if *path == manifest_path(&self.dir) {
                self.manifest_hash = Some(sha256(&new_ct));
            }
        }
        // 4. Only the new identity from now on.
        self.ids.truncate(1);
        for (key_file, r) in &parsed {
            self.write_grant(key_file, r, &self.ids)?;
        }
        Ok(())
    }

    /// The backups kept of a collection, newest first.
    pub fn backups(&self, c: Collection) -> Vec<BackupInfo> {
        let files = self.fs().list(&backups_dir(&self.dir)).unwrap_or_default();
        let mut out: Vec<BackupInfo> = files
            .into_iter()
            .filter_map(|p| {
                let (stem, generation) = parse_generation_name(&p)?;
                (stem == c.stem()).then_some(BackupInfo {
                    collection: c,
                    generation,
                    path: p,
                })
            })
            .collect();
        out.sort_by_key(|b| std::cmp::Reverse(b.generation));
        out
    }

    /// Every collection that has backups.
    pub fn backed_up_collections(&self) -> Vec<Collection> {
        let files = self.fs().list(&backups_dir(&self.dir)).unwrap_or_default();
        let set: BTreeSet<Collection> = files
            .iter()
            .filter_map(|p| parse_generation_name(p).and_then(|(s, _)| Collection::from_stem(&s)))
            .collect();
        set.into_iter().collect()
    }

    /// Puts a backup generation back in memory as an unsaved edit; [`Vault::save`] then writes
    /// it as a new generation, and the version it replaces becomes a backup in turn.
    pub fn restore(&mut self, c: Collection, generation: u64) -> Result<(), StoreError> {
        self.require_writable()?;
        let path = backup_path(&self.dir, &c.stem(), generation);
        let ct = match self.fs().read(&path) {
            Ok(ct) => ct,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(StoreError::NoSuchBackup {
                    file: c.stem(),
                    generation,
                });
            }
            Err(e) => return Err(StoreError::io("读取", &path, e)),
        };
        let pt = crypto::decrypt_with(&ct, &self.ids).map_err(|f| damaged(&path, f))?;
        let text = std::str::from_utf8(&pt).map_err(|_| StoreError::Damaged {
            file: path.clone(),
            detail: "不是 UTF-8 文本".into(),
        })?;
        let (_, part) = codec::decode_collection(c, text)
            .map_err(|detail| StoreError::Damaged { file: path, detail })?;
        codec::install(&mut self.ledger, part);
        self.unloaded.remove(&c);
        self.dirty.insert(c);
        Ok(())
    }

    /// Accepts the files as they are now on disk (after a reported roll-back the user chose to
    /// keep), by saving each again as a new generation.
    pub fn accept_current_files(&mut self) -> Result<SaveReport, StoreError> {
        self.require_writable()?;
        self.load_pending()?;
        let all: Vec<Collection> = self
            .manifest
            .generations
            .keys()
            .filter_map(|s| Collection::from_stem(s))
            .collect();
        self.dirty.extend(all);
        self.save()
    }
}

/// A save in progress: a copy of the changed collections and what is needed to write them,
/// made by [`Vault::begin_save`]. [`SaveJob::run`] does the slow part (encode, decode and
/// compare, encrypt, write, read back, fsync, commit the manifest) on any thread.
pub struct SaveJob {
    dir: PathBuf,
    fs: Arc<dyn FileSystem>,
    keep_backups: usize,
    ids: Vec<x25519::Identity>,
    member: String,
    snapshot: Ledger,
    /// Each collection to write with its live generation.
    collections: Vec<(Collection, u64)>,
    manifest: Manifest,
    manifest_hash: Option<[u8; 32]>,
}

/// What a [`SaveJob`] did, for [`Vault::finish_save`].
pub struct SaveOutcome {
    /// The manifest now live on disk, if this save replaced it.
    committed: Option<(Manifest, [u8; 32])>,
    /// Whether the commit was confirmed durable.
    confirmed: bool,
    result: Result<SaveReport, StoreError>,
}

impl SaveJob {
    /// Writes the save. Never panics on a disk error: the outcome says what happened.
    pub fn run(self) -> SaveOutcome {
        let mut outcome = SaveOutcome {
            committed: None,
            confirmed: false,
            result: Ok(SaveReport::default()),
        };
        outcome.result = self.write(&mut outcome);
        outcome
    }

    fn write(&self, outcome: &mut SaveOutcome) -> Result<SaveReport, StoreError> {
        let seq = self.manifest.save_seq + 1;
        let fs = self.fs.as_ref();
        // 1. Encode, decode and compare, encrypt: in parallel, in memory.
        let recipient = self.ids[0].to_public();
        let saved_at = now_text();
        let prepared: Vec<Result<Prepared, StoreError>> = self
            .collections
            .par_iter()
            .map(|&(c, old)| {
                let generation = old + 1;
                let header = Header {
                    collection: c.stem(),
                    generation,
                    save_seq: seq,
                    saved_by: self.member.clone(),
                    saved_at: saved_at.clone(),
                };
                let text = codec::encode_collection(&self.snapshot, c, &header)
                    .map_err(|e| StoreError::Encode(format!("{}：{e}", c.label())))?;
                let ct =
                    crypto::encrypt_to(&recipient, text.as_bytes()).map_err(StoreError::Encode)?;
                Ok(Prepared {
                    collection: c,
                    generation,
                    ciphertext: ct,
                    plaintext_hash: sha256(text.as_bytes()),
                })
            })
            .collect();
        let prepared = prepared.into_iter().collect::<Result<Vec<_>, _>>()?;
        // 2. Each new file under its new name, verified; then the folder.
        let ids = &self.ids;
        for p in &prepared {
            let path = live_path(&self.dir, &p.collection.stem(), p.generation);
            let verify = |bytes: &[u8]| {
                crypto::decrypt_with(bytes, ids).is_ok_and(|pt| sha256(&pt) == p.plaintext_hash)
            };
            write_atomically(fs, &path, &p.ciphertext, LiveCheck::Skip, None, 0, &verify)?;
        }
        let ldir = ledger_dir(&self.dir);
        fs.fsync_dir(&ldir)
            .map_err(|e| StoreError::io("写盘（文件夹）", &ldir, e))?;
        // 3. The generations being replaced become backups (hard links, verified).
        let bdir = backups_dir(&self.dir);
        fs.create_dir_all(&bdir)
            .map_err(|e| StoreError::io("创建备份文件夹", &bdir, e))?;
        let mut replaced = Vec::new();
        for &(c, old) in &self.collections {
            if old == 0 {
                continue;
            }
            let stem = c.stem();
            let live = live_path(&self.dir, &stem, old);
            let backup = backup_path(&self.dir, &stem, old);
            link_backup(fs, &live, &backup)?;
            replaced.push((stem, old));
        }
        if !replaced.is_empty() {
            fs.fsync_dir(&bdir)
                .map_err(|e| StoreError::io("写盘（备份文件夹）", &bdir, e))?;
        }
        // 4. Commit: the manifest naming the new files replaces the old one.
        let mut manifest = self.manifest.clone();
        manifest.save_seq = seq;
        for p in &prepared {
            manifest
                .generations
                .insert(p.collection.stem(), p.generation);
        }
        self.write_manifest(&manifest, outcome)?;
        // 5. Tidy: the replaced files now live on in the backups; drop leftovers of failed saves.
        tidy(fs, &self.dir, &manifest, self.keep_backups, &replaced);
        Ok(SaveReport {
            written: prepared.into_iter().map(|p| p.collection).collect(),
        })
    }

    /// Writes `manifest` over the live one (checking the live one is still the one this save
    /// started from), keeping the old one as a backup. If the rename went through but a later
    /// step failed, the new manifest is live: the outcome says so, unconfirmed, so that the
    /// vault adopts it and the next save writes again.
    fn write_manifest(
        &self,
        manifest: &Manifest,
        outcome: &mut SaveOutcome,
    ) -> Result<(), StoreError> {
        let text = codec::to_ron(manifest).map_err(StoreError::Encode)?;
        let ct = crypto::encrypt_to(&self.ids[0].to_public(), text.as_bytes())
            .map_err(StoreError::Encode)?;
        let path = manifest_path(&self.dir);
        let ids = &self.ids;
        let verify = |bytes: &[u8]| {
            crypto::decrypt_with(bytes, ids).is_ok_and(|pt| pt.as_slice() == text.as_bytes())
        };
        let backup = self
            .manifest_hash
            .map(|_| backup_path(&self.dir, MANIFEST_STEM, self.manifest.save_seq));
        let result = write_atomically(
            self.fs.as_ref(),
            &path,
            &ct,
            LiveCheck::Expect(self.manifest_hash),
            backup.as_deref(),
            self.keep_backups,
            &verify,
        );
        let new_hash = sha256(&ct);
        match result {
            Ok(()) => {
                outcome.committed = Some((manifest.clone(), new_hash));
                outcome.confirmed = true;
                Ok(())
            }
            Err(e) => {
                if self.fs.read(&path).is_ok_and(|b| sha256(&b) == new_hash) {
                    outcome.committed = Some((manifest.clone(), new_hash));
                }
                Err(e)
            }
        }
    }
}

/// After a commit: removes the replaced generations from `ledger/` (their backups are verified
/// links), removes files of saves that never committed, prunes old backups. Nothing here can
/// lose data, so errors are ignored: the next save tries again.
fn tidy(
    fs: &dyn FileSystem,
    dir: &Path,
    manifest: &Manifest,
    keep_backups: usize,
    replaced: &[(String, u64)],
) {
    let ldir = ledger_dir(dir);
    let Ok(listed) = fs.list(&ldir) else { return };
    for path in listed {
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
        if name.is_some_and(|n| n.starts_with('.') && n.contains(".tmp-")) {
            // A temp file of a writer that died (only the lock holder writes here).
            let _ = fs.remove(&path);
            continue;
        }
        let Some((stem, generation)) = parse_generation_name(&path) else {
            continue;
        };
        let Some(&live) = manifest.generations.get(&stem) else {
            // A collection no manifest names: a save that never committed.
            let _ = fs.remove(&path);
            continue;
        };
        if generation > live {
            let _ = fs.remove(&path);
        } else if generation < live {
            let backup = backup_path(dir, &stem, generation);
            if backup.exists() || link_backup(fs, &path, &backup).is_ok() {
                let _ = fs.remove(&path);
            }
        }
    }
    for (stem, generation) in replaced {
        prune_backups(fs, &backup_path(dir, stem, *generation), keep_backups);
    }
}

fn check_passphrase(passphrase: &SecretString, min: usize) -> Result<(), StoreError> {
    use age::secrecy::ExposeSecret;
    if passphrase.expose_secret().chars().count() < min {
        return Err(StoreError::WeakPassphrase(min));
    }
    Ok(())
}
