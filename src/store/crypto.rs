//! age encryption: passphrase-wrapped personal keys (scrypt) and ledger files encrypted to the
//! vault identity (X25519). Plaintext lives only in memory, in zeroising buffers.

use age::secrecy::{ExposeSecret, SecretString};
use age::{DecryptError, Decryptor, Identity, x25519};
use std::io::Read;
use std::str::FromStr;
use zeroize::Zeroizing;

/// Why a decryption failed, as the vault needs to branch on it.
#[derive(Debug)]
pub(crate) enum Failure {
    /// Wrong passphrase (scrypt) or wrong key file.
    WrongPassphrase,
    /// Not encrypted to any key we hold.
    NotForUs,
    /// Anything else: header, MAC, truncation, format.
    Damaged(String),
}

fn classify(e: DecryptError) -> Failure {
    match e {
        DecryptError::DecryptionFailed | DecryptError::KeyDecryptionFailed => {
            Failure::WrongPassphrase
        }
        DecryptError::NoMatchingKeys => Failure::NotForUs,
        DecryptError::InvalidHeader => Failure::Damaged("文件头损坏".into()),
        DecryptError::InvalidMac => Failure::Damaged("文件头校验不符，文件被改动或损坏".into()),
        DecryptError::UnknownFormat => Failure::Damaged("不是台账使用的加密格式".into()),
        DecryptError::ExcessiveWork { required, .. } => {
            Failure::Damaged(format!("密码保护强度（2^{required}）超出本程序接受的范围"))
        }
        DecryptError::Io(_) => Failure::Damaged(damaged_payload()),
        _ => Failure::Damaged("无法解密".into()),
    }
}

/// A payload that stops early or whose content was changed: age reports either while reading.
fn damaged_payload() -> String {
    "内容被截断或被改动".into()
}

/// Encrypts `plaintext` with a passphrase at a fixed scrypt work factor `log_n`.
pub(crate) fn wrap_with_passphrase(
    plaintext: &[u8],
    passphrase: &SecretString,
    log_n: u8,
) -> Result<Vec<u8>, String> {
    let mut recipient = age::scrypt::Recipient::new(passphrase.clone());
    recipient.set_work_factor(log_n);
    age::encrypt(&recipient, plaintext).map_err(|e| e.to_string())
}

/// Decrypts a passphrase-wrapped file, accepting work factors up to `max_log_n`.
pub(crate) fn unwrap_with_passphrase(
    ciphertext: &[u8],
    passphrase: &SecretString,
    max_log_n: u8,
) -> Result<Zeroizing<Vec<u8>>, Failure> {
    let mut identity = age::scrypt::Identity::new(passphrase.clone());
    identity.set_max_work_factor(max_log_n);
    decrypt_inner(ciphertext, &[&identity as &dyn Identity])
}

/// Encrypts to X25519 recipients.
pub(crate) fn encrypt_to(
    recipient: &x25519::Recipient,
    plaintext: &[u8],
) -> Result<Vec<u8>, String> {
    age::encrypt(recipient, plaintext).map_err(|e| e.to_string())
}

/// Decrypts with any of the identities, reading to the end before trusting anything.
pub(crate) fn decrypt_with(
    ciphertext: &[u8],
    identities: &[x25519::Identity],
) -> Result<Zeroizing<Vec<u8>>, Failure> {
    let refs: Vec<&dyn Identity> = identities.iter().map(|i| i as &dyn Identity).collect();
    decrypt_inner(ciphertext, &refs)
}

fn decrypt_inner(
    ciphertext: &[u8],
    identities: &[&dyn Identity],
) -> Result<Zeroizing<Vec<u8>>, Failure> {
    let decryptor = Decryptor::new_buffered(ciphertext).map_err(classify)?;
    let mut reader = decryptor
        .decrypt(identities.iter().copied())
        .map_err(classify)?;
    let mut out = Zeroizing::new(Vec::with_capacity(ciphertext.len()));
    // A tampered or truncated payload shows only while reading.
    reader
        .read_to_end(&mut out)
        .map_err(|_| Failure::Damaged(damaged_payload()))?;
    Ok(out)
}

/// Parses an X25519 identity from its secret string.
pub(crate) fn parse_identity(text: &str) -> Option<x25519::Identity> {
    x25519::Identity::from_str(text.trim()).ok()
}

/// The secret string of an identity, in a zeroising buffer.
pub(crate) fn identity_text(identity: &x25519::Identity) -> Zeroizing<String> {
    Zeroizing::new(identity.to_string().expose_secret().to_owned())
}
