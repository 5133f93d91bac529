//! The vault: a folder of age-encrypted RON files, unlocked with one scrypt, saved with the
//! protocol of ARCHITECTURE.md (encode, decode and compare, encrypt, temp file, fsync, read back
//! and decrypt, check the live file, rotate the backup, rename, fsync the folder).

use super::codec::{self, Header, Manifest, Part};
use super::crypto::{self, Failure};
use super::error::StoreError;
use super::fs::{FileSystem, RealFs};
use super::lock;
use super::meta::{FORMAT, MemberEntry, RECOVERY_KEY_FILE, RECOVERY_NAME, VaultMeta};
use crate::model::{
    Collection, Committee, CommitteeBook, DeskBook, FundYear, HouseholdBook, Ledger, PointBook,
    ProblemBook, ProjectBook, Visit,
};
use age::secrecy::SecretString;
use age::x25519;
use rand::RngExt;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet, HashMap};
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

/// A collection as read from disk: its header, data and ciphertext hash.
type LoadedFile = (Collection, Header, Part, [u8; 32]);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct FileState {
    generation: u64,
    hash: [u8; 32],
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
    files: HashMap<Collection, FileState>,
    manifest: Manifest,
    manifest_state: Option<FileState>,
    dirty: BTreeSet<Collection>,
    manifest_dirty: bool,
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

fn sha256(bytes: &[u8]) -> [u8; 32] {
    Sha256::digest(bytes).into()
}

fn now_text() -> String {
    chrono::Local::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, false)
}

/// Paths inside a vault folder.
fn meta_path(dir: &Path) -> PathBuf {
    dir.join("vault.ron")
}
fn keys_dir(dir: &Path) -> PathBuf {
    dir.join("keys")
}
fn ledger_dir(dir: &Path) -> PathBuf {
    dir.join("ledger")
}
fn backups_dir(dir: &Path) -> PathBuf {
    dir.join("backups")
}
fn collection_path(dir: &Path, c: Collection) -> PathBuf {
    ledger_dir(dir).join(format!("{}.ron.age", c.stem()))
}
fn manifest_path(dir: &Path) -> PathBuf {
    ledger_dir(dir).join("manifest.ron.age")
}
fn backup_path(dir: &Path, c: Collection, generation: u64) -> PathBuf {
    backups_dir(dir).join(format!("{}.{generation:08}.ron.age", c.stem()))
}
fn key_path(dir: &Path, key_file: &str) -> PathBuf {
    keys_dir(dir).join(format!("{key_file}.age"))
}
fn grant_path(dir: &Path, key_file: &str) -> PathBuf {
    keys_dir(dir).join(format!("{key_file}.grant.age"))
}
fn recipients_path(dir: &Path) -> PathBuf {
    keys_dir(dir).join("recipients.age")
}

/// Whether a folder holds a vault.
pub fn is_vault(dir: &Path) -> bool {
    meta_path(dir).is_file()
}

/// Reads `vault.ron`.
pub fn read_meta(dir: &Path) -> Result<VaultMeta, StoreError> {
    let path = meta_path(dir);
    let bytes = match std::fs::read(&path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(StoreError::NotAVault(dir.to_path_buf()));
        }
        Err(e) => return Err(StoreError::io("读取", path, e)),
    };
    let text = String::from_utf8(bytes).map_err(|_| StoreError::Damaged {
        file: path.clone(),
        detail: "不是 UTF-8 文本".into(),
    })?;
    // Read the format first, so a newer vault gets the right message even if its fields differ.
    #[derive(Deserialize)]
    struct FormatOnly {
        format: u32,
    }
    if let Ok(f) = codec::from_ron::<FormatOnly>(&text)
        && f.format > FORMAT
    {
        return Err(StoreError::NewerFormat {
            found: f.format,
            supported: FORMAT,
        });
    }
    codec::from_ron(&text).map_err(|detail| StoreError::Damaged { file: path, detail })
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
        if let (Some(backup), Some(current)) = (backup, &current) {
            let bdir = backup.parent().unwrap_or(Path::new("."));
            fs.create_dir_all(bdir)
                .map_err(|e| StoreError::io("创建备份文件夹", bdir, e))?;
            if backup.exists() {
                fs.remove(backup)
                    .map_err(|e| StoreError::io("替换备份", backup, e))?;
            }
            fs.link_or_copy(path, backup)
                .map_err(|e| StoreError::io("备份", backup, e))?;
            let made = fs
                .read(backup)
                .map_err(|e| StoreError::io("校验备份", backup, e))?;
            if sha256(&made) != sha256(current) {
                return Err(StoreError::VerifyFailed(backup.to_path_buf()));
            }
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
            parse_backup_name(&p)
                .filter(|(s, _)| *s == stem)
                .map(|(_, g)| (g, p))
        })
        .collect();
    mine.sort();
    let excess = mine.len().saturating_sub(keep.max(1));
    for (_, path) in mine.into_iter().take(excess) {
        let _ = fs.remove(&path);
    }
}

fn parse_backup_name(path: &Path) -> Option<(String, u64)> {
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

    /// Unlocks with the recovery passphrase printed at init.
    pub fn with_recovery(
        dir: &Path,
        passphrase: &SecretString,
        options: VaultOptions,
    ) -> Result<Unlocked, StoreError> {
        let meta = read_meta(dir)?;
        Self::unlock_key(
            dir,
            meta,
            RECOVERY_NAME.to_owned(),
            RECOVERY_KEY_FILE,
            passphrase,
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

    /// Takes the write lock (or opens read-only), then decrypts and parses every collection in
    /// parallel, checking each against the manifest's generations.
    pub fn load(self) -> Result<Vault, StoreError> {
        let Unlocked {
            dir,
            options,
            meta,
            member,
            ids,
        } = self;
        let lock = lock::acquire(&dir)?;
        let fs = options.fs.clone();
        let mpath = manifest_path(&dir);
        let (manifest, manifest_state) = match fs.read(&mpath) {
            Ok(ct) => {
                let pt = crypto::decrypt_with(&ct, &ids).map_err(|f| damaged(&mpath, f))?;
                let m: Manifest = std::str::from_utf8(&pt)
                    .map_err(|e| e.to_string())
                    .and_then(codec::from_ron)
                    .map_err(|detail| StoreError::Damaged {
                        file: mpath.clone(),
                        detail,
                    })?;
                (
                    m,
                    Some(FileState {
                        generation: 0,
                        hash: sha256(&ct),
                    }),
                )
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => (Manifest::default(), None),
            Err(e) => return Err(StoreError::io("读取", &mpath, e)),
        };
        let ldir = ledger_dir(&dir);
        let listed = fs
            .list(&ldir)
            .map_err(|e| StoreError::io("读取文件夹", &ldir, e))?;
        let mut collections: Vec<Collection> = listed
            .iter()
            .filter_map(|p| {
                let name = p.file_name()?.to_str()?;
                Collection::from_stem(name.strip_suffix(".ron.age")?)
            })
            .collect();
        for stem in manifest.generations.keys() {
            match Collection::from_stem(stem) {
                Some(c) if !collections.contains(&c) => {
                    return Err(StoreError::Damaged {
                        file: collection_path(&dir, c),
                        detail: "文件缺失".into(),
                    });
                }
                _ => {}
            }
        }
        collections.sort();
        let loaded: Vec<Result<LoadedFile, StoreError>> = collections
            .par_iter()
            .map(|&c| {
                let path = collection_path(&dir, c);
                let ct = fs
                    .read(&path)
                    .map_err(|e| StoreError::io("读取", &path, e))?;
                let pt = crypto::decrypt_with(&ct, &ids).map_err(|f| damaged(&path, f))?;
                let text = std::str::from_utf8(&pt).map_err(|_| StoreError::Damaged {
                    file: path.clone(),
                    detail: "不是 UTF-8 文本".into(),
                })?;
                let (header, part) =
                    codec::decode_collection(c, text).map_err(|detail| StoreError::Damaged {
                        file: path.clone(),
                        detail,
                    })?;
                Ok((c, header, part, sha256(&ct)))
            })
            .collect();
        let mut ledger = Ledger::default();
        let mut files = HashMap::new();
        let mut warnings = Vec::new();
        let mut max_seq = 0;
        for item in loaded {
            let (c, header, part, hash) = item?;
            let expected = manifest.generations.get(&c.stem()).copied().unwrap_or(0);
            if header.generation < expected {
                let err = StoreError::RolledBack {
                    file: collection_path(&dir, c),
                    found: header.generation,
                    expected,
                };
                if !options.tolerate_rollback {
                    return Err(err);
                }
                warnings.push(err.to_string());
            }
            max_seq = max_seq.max(header.save_seq);
            codec::install(&mut ledger, part);
            files.insert(
                c,
                FileState {
                    generation: header.generation.max(expected),
                    hash,
                },
            );
        }
        if max_seq > manifest.save_seq + 1 {
            let err = StoreError::RolledBack {
                file: mpath,
                found: manifest.save_seq,
                expected: max_seq - 1,
            };
            if !options.tolerate_rollback {
                return Err(err);
            }
            warnings.push(err.to_string());
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
            files,
            manifest,
            manifest_state,
            dirty: BTreeSet::new(),
            manifest_dirty: false,
            lock,
            warnings,
        })
    }
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
            files: HashMap::new(),
            manifest: Manifest::default(),
            manifest_state: None,
            dirty: BTreeSet::new(),
            manifest_dirty: false,
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

    /// Unlocks and loads in one step.
    pub fn open(
        dir: &Path,
        member: &str,
        passphrase: &SecretString,
        options: VaultOptions,
    ) -> Result<Vault, StoreError> {
        Unlocked::with_passphrase(dir, member, passphrase, options)?.load()
    }

    /// The ledger, to read.
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
        self.dirty.iter().copied().collect()
    }

    /// Whether anything is unsaved (including the manifest after a partial save).
    pub fn has_unsaved(&self) -> bool {
        !self.dirty.is_empty() || self.manifest_dirty
    }

    /// The generation of a collection as last loaded or saved.
    pub fn generation(&self, c: Collection) -> u64 {
        self.files.get(&c).map_or(0, |f| f.generation)
    }

    /// Marks a collection as changed (for edits made through [`Vault::ledger_mut`]).
    pub fn mark_dirty(&mut self, c: Collection) {
        self.dirty.insert(c);
    }

    /// The whole ledger to edit; the caller must [`Vault::mark_dirty`] what it changed.
    /// Prefer the per-collection accessors, which mark for you.
    pub fn ledger_mut(&mut self) -> &mut Ledger {
        &mut self.ledger
    }

    /// Replaces the whole ledger (demo, import) and marks every collection changed.
    pub fn replace_ledger(&mut self, ledger: Ledger) {
        let mut all: BTreeSet<Collection> = self.ledger.collections().into_iter().collect();
        all.extend(ledger.collections());
        self.ledger = ledger;
        self.dirty.extend(all);
    }

    /// The committee collection, to edit.
    pub fn committee_mut(&mut self) -> &mut CommitteeBook {
        self.dirty.insert(Collection::Committee);
        &mut self.ledger.committee
    }

    /// The households collection, to edit.
    pub fn households_mut(&mut self) -> &mut HouseholdBook {
        self.dirty.insert(Collection::Households);
        &mut self.ledger.households
    }

    /// One year's visits, to edit.
    pub fn visits_mut(&mut self, year: i32) -> &mut Vec<Visit> {
        self.dirty.insert(Collection::Visits(year));
        self.ledger.visits.entry(year).or_default()
    }

    /// Receptions and duty, to edit.
    pub fn desk_mut(&mut self) -> &mut DeskBook {
        self.dirty.insert(Collection::Desk);
        &mut self.ledger.desk
    }

    /// The problem list, to edit.
    pub fn problems_mut(&mut self) -> &mut ProblemBook {
        self.dirty.insert(Collection::Problems);
        &mut self.ledger.problems
    }

    /// Projects, to edit.
    pub fn projects_mut(&mut self) -> &mut ProjectBook {
        self.dirty.insert(Collection::Projects);
        &mut self.ledger.projects
    }

    /// One year's funds, to edit.
    pub fn funds_mut(&mut self, year: i32) -> &mut FundYear {
        self.dirty.insert(Collection::Funds(year));
        self.ledger.funds.entry(year).or_default()
    }

    /// Point-card items, to edit.
    pub fn points_mut(&mut self) -> &mut PointBook {
        self.dirty.insert(Collection::Points);
        &mut self.ledger.points
    }

    fn fs(&self) -> Arc<dyn FileSystem> {
        self.options.fs.clone()
    }

    fn recipient(&self) -> x25519::Recipient {
        self.ids[0].to_public()
    }

    /// Saves every changed collection, then the manifest. On any error nothing already on disk is
    /// lost, the edits stay in memory marked unsaved, and the error says why.
    pub fn save(&mut self) -> Result<SaveReport, StoreError> {
        if self.lock.is_none() {
            return Err(StoreError::ReadOnly);
        }
        let mut report = SaveReport::default();
        if !self.has_unsaved() {
            return Ok(report);
        }
        let seq = self.manifest.save_seq + 1;
        for c in self.dirty.clone() {
            self.save_collection(c, seq)?;
            self.dirty.remove(&c);
            self.manifest_dirty = true;
            report.written.push(c);
        }
        self.save_manifest(seq)?;
        Ok(report)
    }

    fn save_collection(&mut self, c: Collection, seq: u64) -> Result<(), StoreError> {
        let path = collection_path(&self.dir, c);
        let previous = self.files.get(&c).copied();
        let generation = previous.map_or(1, |f| f.generation + 1);
        let header = Header {
            collection: c.stem(),
            generation,
            save_seq: seq,
            saved_by: self.member.clone(),
            saved_at: now_text(),
        };
        let text =
            codec::encode_collection(&self.ledger, c, &header).map_err(StoreError::Encode)?;
        let ct =
            crypto::encrypt_to(&self.recipient(), text.as_bytes()).map_err(StoreError::Encode)?;
        let backup = previous.map(|p| backup_path(&self.dir, c, p.generation));
        let ids = &self.ids;
        let verify = |bytes: &[u8]| {
            crypto::decrypt_with(bytes, ids).is_ok_and(|pt| pt.as_slice() == text.as_bytes())
        };
        let fs = self.fs();
        let result = write_atomically(
            fs.as_ref(),
            &path,
            &ct,
            LiveCheck::Expect(previous.map(|p| p.hash)),
            backup.as_deref(),
            self.options.keep_backups,
            &verify,
        );
        let new_state = FileState {
            generation,
            hash: sha256(&ct),
        };
        match result {
            Ok(()) => {
                self.files.insert(c, new_state);
                Ok(())
            }
            Err(e) => {
                // If the rename went through before the error, the new file is live: track it so
                // the next save does not see it as changed by someone else.
                if fs.read(&path).is_ok_and(|b| sha256(&b) == new_state.hash) {
                    self.files.insert(c, new_state);
                    self.manifest_dirty = true;
                }
                Err(e)
            }
        }
    }

    fn save_manifest(&mut self, seq: u64) -> Result<(), StoreError> {
        let manifest = Manifest {
            save_seq: seq,
            generations: self
                .files
                .iter()
                .map(|(c, f)| (c.stem(), f.generation))
                .collect(),
        };
        let text = codec::to_ron(&manifest).map_err(StoreError::Encode)?;
        let ct =
            crypto::encrypt_to(&self.recipient(), text.as_bytes()).map_err(StoreError::Encode)?;
        let path = manifest_path(&self.dir);
        let ids = &self.ids;
        let verify = |bytes: &[u8]| {
            crypto::decrypt_with(bytes, ids).is_ok_and(|pt| pt.as_slice() == text.as_bytes())
        };
        let fs = self.fs();
        let result = write_atomically(
            fs.as_ref(),
            &path,
            &ct,
            LiveCheck::Expect(self.manifest_state.map(|s| s.hash)),
            None,
            self.options.keep_backups,
            &verify,
        );
        let new_state = FileState {
            generation: 0,
            hash: sha256(&ct),
        };
        match result {
            Ok(()) => {
                self.manifest = manifest;
                self.manifest_state = Some(new_state);
                self.manifest_dirty = false;
                Ok(())
            }
            Err(e) => {
                if fs.read(&path).is_ok_and(|b| sha256(&b) == new_state.hash) {
                    self.manifest = manifest;
                    self.manifest_state = Some(new_state);
                }
                Err(e)
            }
        }
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
            let hash = sha256(&new_ct);
            if let Some(c) = path
                .file_name()
                .and_then(|n| n.to_str())
                .and_then(|n| n.strip_suffix(".ron.age"))
                .and_then(Collection::from_stem)
                && path.parent() == Some(ledger_dir(&self.dir).as_path())
                && let Some(state) = self.files.get_mut(&c)
            {
                state.hash = hash;
            }
            if *path == manifest_path(&self.dir)
                && let Some(state) = &mut self.manifest_state
            {
                state.hash = hash;
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
                let (stem, generation) = parse_backup_name(&p)?;
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
            .filter_map(|p| parse_backup_name(p).and_then(|(s, _)| Collection::from_stem(&s)))
            .collect();
        set.into_iter().collect()
    }

    /// Puts a backup generation back in memory as an unsaved edit; [`Vault::save`] then writes
    /// it as a new generation, and the version it replaces becomes a backup in turn.
    pub fn restore(&mut self, c: Collection, generation: u64) -> Result<(), StoreError> {
        self.require_writable()?;
        let path = backup_path(&self.dir, c, generation);
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
        self.dirty.insert(c);
        Ok(())
    }

    /// Accepts the files as they are now on disk (after a reported roll-back the user chose to
    /// keep), by saving each again as a new generation.
    pub fn accept_current_files(&mut self) -> Result<SaveReport, StoreError> {
        self.require_writable()?;
        let all: Vec<Collection> = self.files.keys().copied().collect();
        self.dirty.extend(all);
        self.save()
    }
}

fn check_passphrase(passphrase: &SecretString, min: usize) -> Result<(), StoreError> {
    use age::secrecy::ExposeSecret;
    if passphrase.expose_secret().chars().count() < min {
        return Err(StoreError::WeakPassphrase(min));
    }
    Ok(())
}
