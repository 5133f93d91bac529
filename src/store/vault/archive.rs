//! 备份到U盘: the whole vault as one file in a folder the user picks (a USB stick), checked by
//! reading it back, and restorable onto an empty PC with the recovery passphrase.
//!
//! The file is a zip of: `vault.ron` and `site.ron` (plaintext, nothing personal), the key files
//! as they are (each already encrypted with its passphrase or to its member), a `说明.txt`, and
//! `ledger.age`: a zip of every live ledger file and the manifest, encrypted once more to the
//! vault's key, so that not even the names and sizes of the collections show. Earlier
//! generations (`backups/`) stay on the PC: the archive is itself one more generation.

use super::*;
use std::io::{Cursor, Read, Write};

/// The name of the inner, encrypted ledger in an archive.
const LEDGER_ENTRY: &str = "ledger.age";
/// What an archive says of itself to whoever opens it.
const README: &str = "这是“四百”居委会台账的U盘备份。所有居民信息都已加密，没有密码无法读取。\r\n\
恢复到一台新电脑：sibai restore --from-backup 本文件 新的空文件夹 --recovery（输入恢复密码）。\r\n\
请妥善保管U盘；不要把本文件通过微信、邮箱转发。\r\n";

/// What a backup to a USB stick wrote.
#[derive(Debug, Clone)]
pub struct ArchiveReport {
    /// The file written.
    pub path: PathBuf,
    /// Its size in bytes.
    pub bytes: u64,
    /// How many ledger files it holds.
    pub files: usize,
}

fn zip_error(path: &Path) -> impl Fn(zip::result::ZipError) -> StoreError + '_ {
    move |_| StoreError::Damaged {
        file: path.to_path_buf(),
        detail: "备份文件格式不对，可能没有写完整或被改动过".into(),
    }
}

/// Builds a zip in memory from (name, bytes), stored as they are (encrypted data does not
/// compress).
fn zip_of(entries: &[(String, Vec<u8>)]) -> Result<Vec<u8>, String> {
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Stored)
        .large_file(false);
    for (name, bytes) in entries {
        w.start_file(name.as_str(), options)
            .map_err(|e| e.to_string())?;
        w.write_all(bytes).map_err(|e| e.to_string())?;
    }
    Ok(w.finish().map_err(|e| e.to_string())?.into_inner())
}

/// Every entry of a zip: (name, bytes).
fn entries_of(bytes: &[u8]) -> Result<Vec<(String, Vec<u8>)>, zip::result::ZipError> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes))?;
    let mut out = Vec::with_capacity(archive.len());
    for i in 0..archive.len() {
        let mut f = archive.by_index(i)?;
        let mut data = Vec::with_capacity(usize::try_from(f.size()).unwrap_or(0));
        f.read_to_end(&mut data)?;
        let name = f.name()?.into_owned();
        out.push((name, data));
    }
    Ok(out)
}

/// A name from an archive that is safe to write under a folder: plain components only.
fn safe_name(name: &str) -> Option<PathBuf> {
    let path = Path::new(name);
    path.components()
        .all(|c| matches!(c, std::path::Component::Normal(_)))
        .then(|| path.to_path_buf())
}

/// A backup to a USB stick ready to be written on any thread ([`Vault::archive_job`]).
pub struct ArchiveJob {
    dir: PathBuf,
    fs: Arc<dyn FileSystem>,
    ids: Vec<x25519::Identity>,
    committee: String,
    /// The live ledger files and the manifest.
    ledger: Vec<PathBuf>,
}

impl Vault {
    /// Writes the whole vault as one file into `folder` (a USB stick), then reads it back and
    /// checks every file in it against the vault. Saves first what is unsaved.
    pub fn write_archive(&mut self, folder: &Path) -> Result<ArchiveReport, StoreError> {
        let report = self.archive_job()?.run(folder)?;
        self.archive_done()?;
        Ok(report)
    }

    /// Saves what is unsaved and gathers what a backup to a USB stick writes; the slow part is
    /// [`ArchiveJob::run`], then [`Vault::archive_done`].
    pub fn archive_job(&mut self) -> Result<ArchiveJob, StoreError> {
        if self.has_unsaved() && !self.is_read_only() {
            self.save()?;
        }
        let mut ledger: Vec<PathBuf> = self
            .manifest
            .generations
            .iter()
            .map(|(stem, &generation)| live_path(&self.dir, stem, generation))
            .collect();
        ledger.push(manifest_path(&self.dir));
        Ok(ArchiveJob {
            dir: self.dir.clone(),
            fs: self.fs(),
            ids: self.ids.clone(),
            committee: self.meta.committee.clone(),
            ledger,
        })
    }

    /// Remembers that the vault was just written to a USB stick (for the reminder).
    pub fn archive_done(&mut self) -> Result<(), StoreError> {
        if self.is_read_only() {
            return Ok(());
        }
        self.meta.last_archive = Some(now_text());
        self.write_meta()
    }

    /// When the vault was last written to a USB stick ([`Vault::write_archive`]).
    pub fn last_archive(&self) -> Option<chrono::DateTime<chrono::FixedOffset>> {
        self.meta
            .last_archive
            .as_deref()
            .and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok())
    }
}

impl ArchiveJob {
    /// Writes the file into `folder`: built in memory, written beside its final name, flushed,
    /// read back and checked entry by entry (the sealed ledger opened with the vault's key),
    /// then renamed.
    pub fn run(self, folder: &Path) -> Result<ArchiveReport, StoreError> {
        let fs = self.fs.as_ref();
        let read = |path: &Path| fs.read(path).map_err(|e| StoreError::io("读取", path, e));
        // The plaintext parts and the key files, as they are.
        let mut outer: Vec<(String, Vec<u8>)> =
            vec![("说明.txt".into(), README.as_bytes().to_vec())];
        outer.push(("vault.ron".into(), read(&meta_path(&self.dir))?));
        let site = self.dir.join("site.ron");
        if site.is_file() {
            outer.push(("site.ron".into(), read(&site)?));
        }
        let kdir = keys_dir(&self.dir);
        let mut keys = fs
            .list(&kdir)
            .map_err(|e| StoreError::io("读取文件夹", &kdir, e))?;
        keys.sort();
        for k in keys.iter().filter(|p| p.is_file()) {
            let name = k.file_name().map(|n| n.to_string_lossy().into_owned());
            outer.push((format!("keys/{}", name.unwrap_or_default()), read(k)?));
        }
        // The live ledger, encrypted once more.
        let mut ledger: Vec<(String, Vec<u8>)> = Vec::with_capacity(self.ledger.len());
        for path in &self.ledger {
            let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
            ledger.push((name.unwrap_or_default(), read(path)?));
        }
        let files = ledger.len() - 1;
        let inner = zip_of(&ledger).map_err(StoreError::Encode)?;
        let recipient = self
            .ids
            .first()
            .map(x25519::Identity::to_public)
            .ok_or_else(|| StoreError::Encode("没有台账密钥".into()))?;
        let sealed = crypto::encrypt_to(&recipient, &inner).map_err(StoreError::Encode)?;
        outer.push((LEDGER_ENTRY.into(), sealed));
        let bytes = zip_of(&outer).map_err(StoreError::Encode)?;

        let committee: String = self
            .committee
            .chars()
            .filter(|c| !"/\\:*?\"<>|".contains(*c))
            .collect();
        let stamp = chrono::Local::now().format("%Y%m%d-%H%M");
        let path = folder.join(format!("四百备份-{committee}-{stamp}.zip"));
        let ids = &self.ids;
        let verify = |written: &[u8]| -> bool {
            let Ok(found) = entries_of(written) else {
                return false;
            };
            let same = |a: &[(String, Vec<u8>)], b: &[(String, Vec<u8>)]| {
                a.len() == b.len()
                    && a.iter()
                        .zip(b)
                        .all(|(x, y)| x.0 == y.0 && sha256(&x.1) == sha256(&y.1))
            };
            if !same(&found, &outer) {
                return false;
            }
            // The sealed ledger opens with the vault's key and holds every file as it is.
            found
                .iter()
                .find(|(n, _)| n == LEDGER_ENTRY)
                .and_then(|(_, sealed)| crypto::decrypt_with(sealed, ids).ok())
                .and_then(|inner| entries_of(&inner).ok())
                .is_some_and(|got| same(&got, &ledger))
        };
        write_atomically(
            fs,
            &path,
            &bytes,
            LiveCheck::Skip,
            None,
            Thinning::NONE,
            &verify,
        )?;
        Ok(ArchiveReport {
            path,
            bytes: bytes.len() as u64,
            files,
        })
    }
}

/// Puts an archive made by [`Vault::write_archive`] back as a vault in `into` (a folder that
/// does not exist or is empty), unlocking it with the recovery passphrase; returns the vault,
/// opened. Nothing is written outside `into`, and when it fails `into` is left empty again.
pub fn restore_archive(
    archive: &Path,
    into: &Path,
    recovery: &SecretString,
    options: VaultOptions,
) -> Result<Vault, StoreError> {
    let existed = into.exists();
    if existed
        && std::fs::read_dir(into)
            .map_err(|e| StoreError::io("读取文件夹", into, e))?
            .next()
            .is_some()
    {
        return Err(StoreError::NotEmpty(into.to_path_buf()));
    }
    let result = unpack(archive, into, recovery, options);
    if result.is_err() {
        // It was empty: what is there now is this attempt's.
        let _ = std::fs::remove_dir_all(into);
        if existed {
            let _ = std::fs::create_dir_all(into);
        }
    }
    result
}

fn unpack(
    archive: &Path,
    into: &Path,
    recovery: &SecretString,
    options: VaultOptions,
) -> Result<Vault, StoreError> {
    let fs = options.fs.clone();
    let bytes = fs
        .read(archive)
        .map_err(|e| StoreError::io("读取", archive, e))?;
    let entries = entries_of(&bytes).map_err(zip_error(archive))?;
    let mut sealed = None;
    for (name, data) in entries {
        if name == LEDGER_ENTRY {
            sealed = Some(data);
            continue;
        }
        if name == "说明.txt" {
            continue;
        }
        let rel = safe_name(&name).ok_or_else(|| StoreError::Damaged {
            file: archive.to_path_buf(),
            detail: format!("备份中有不安全的文件名“{name}”"),
        })?;
        let to = into.join(rel);
        if let Some(parent) = to.parent() {
            fs.create_dir_all(parent)
                .map_err(|e| StoreError::io("创建文件夹", parent, e))?;
        }
        fs.write(&to, &data)
            .map_err(|e| StoreError::io("写入", &to, e))?;
        fs.fsync(&to)
            .map_err(|e| StoreError::io("写盘（fsync）", &to, e))?;
    }
    let sealed = sealed.ok_or_else(|| StoreError::Damaged {
        file: archive.to_path_buf(),
        detail: "备份中没有台账数据".into(),
    })?;
    let key = Unlocked::with_recovery(into, recovery, options)?;
    let inner = crypto::decrypt_with(&sealed, &key.ids).map_err(|f| damaged(archive, f))?;
    let ledger = ledger_dir(into);
    for d in [ledger.clone(), backups_dir(into)] {
        fs.create_dir_all(&d)
            .map_err(|e| StoreError::io("创建文件夹", &d, e))?;
    }
    for (name, data) in entries_of(&inner).map_err(zip_error(archive))? {
        let rel = safe_name(&name).filter(|p| p.components().count() == 1);
        let rel = rel.ok_or_else(|| StoreError::Damaged {
            file: archive.to_path_buf(),
            detail: format!("备份中有不安全的文件名“{name}”"),
        })?;
        let to = ledger.join(rel);
        fs.write(&to, &data)
            .map_err(|e| StoreError::io("写入", &to, e))?;
        fs.fsync(&to)
            .map_err(|e| StoreError::io("写盘（fsync）", &to, e))?;
    }
    fs.fsync_dir(&ledger)
        .map_err(|e| StoreError::io("写盘（文件夹）", &ledger, e))?;
    // Opened whole: every file decrypts and parses, or the restore says which does not.
    key.load_all()
}
