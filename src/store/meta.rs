//! `vault.ron`: the only plaintext file of the vault. It names the committee and its members
//! and their key files; it holds no key and no resident data.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The vault format this build writes and the newest it reads.
pub const FORMAT: u32 = 1;

/// A member who can unlock the vault.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberEntry {
    /// Name shown at unlock.
    pub name: String,
    /// Role, free text (书记, 主任, 社工…).
    pub role: String,
    /// Stem of the member's key files under `keys/`.
    pub key_file: String,
}

/// The plaintext description of a vault.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VaultMeta {
    /// Format version.
    pub format: u32,
    /// Committee name.
    pub committee: String,
    /// When it was made.
    pub created: String,
    /// Members, in the order shown at unlock.
    pub members: Vec<MemberEntry>,
    /// A random id, made at init, by which a PC remembers the newest save it saw of this
    /// vault. Empty in vaults made before it existed (then see [`VaultMeta::key`]).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub id: String,
    /// When the whole vault was last written to a USB stick (RFC 3339), for the reminder.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_archive: Option<String>,
    /// The SHA-256 of each passphrase-wrapped key file (`keys/<stem>.age`, by stem), so that a
    /// damaged key file is told from a wrong passphrase (age cannot: both fail the same way).
    /// A digest of ciphertext: it says nothing of the key.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub key_digests: BTreeMap<String, String>,
}

impl VaultMeta {
    /// What identifies this vault to a PC: its id, or for an older vault its creation time and
    /// committee, hashed.
    pub fn key(&self) -> String {
        if !self.id.is_empty() {
            return self.id.clone();
        }
        use sha2::Digest;
        let digest = sha2::Sha256::digest(format!("{}\n{}", self.created, self.committee));
        digest.iter().take(8).map(|b| format!("{b:02x}")).collect()
    }

    /// Finds a member.
    pub fn member(&self, name: &str) -> Option<&MemberEntry> {
        self.members.iter().find(|m| m.name == name)
    }

    /// Member names joined for a message.
    pub fn member_names(&self) -> String {
        self.members
            .iter()
            .map(|m| m.name.as_str())
            .collect::<Vec<_>>()
            .join("、")
    }
}

/// The key-file stem of the recovery copy.
pub const RECOVERY_KEY_FILE: &str = "recovery";
/// How the recovery copy is named in messages.
pub const RECOVERY_NAME: &str = "恢复密码";
