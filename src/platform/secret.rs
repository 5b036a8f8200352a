//! The application secret and the keys derived from it.
//!
//! In development, when `APP_SECRET` is not set, a random secret is generated
//! once and kept in `DATA_DIR/secret.key` (mode 0600), so sessions survive
//! restarts without any set-up.
//!
//! Secrets rotate: `APP_SECRET` is the one new values are made with, and
//! `APP_SECRET_PREVIOUS` lists the ones before it, still accepted. Each
//! secret has a key id (a hash of it, so nothing needs numbering by hand);
//! an encrypted IBAN carries the id of its key, so any listed secret reads
//! it back. Session tokens, sign-in links and IBAN fingerprints are looked
//! up under every listed secret. `tradein rotate-secrets` then re-encrypts
//! and re-fingerprints every stored IBAN with the current secret, after
//! which the previous ones can be dropped (sessions made under them end).

use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::Sha256;
use std::io::Write;
use std::path::Path;

/// The keys derived from one master secret, and its key id.
#[derive(Clone)]
struct Keys {
    id: String,
    session_key: [u8; 32],
    iban_key: [u8; 32],
    fingerprint_key: [u8; 32],
    /// Seals two-factor secrets and recovery codes waiting to be shown.
    two_factor_key: [u8; 32],
    /// Seals the signing secrets of refurbishers' webhook endpoints.
    webhook_key: [u8; 32],
}

impl Keys {
    fn from_master(master: &[u8]) -> Keys {
        use sha2::Digest;
        let digest = sha2::Sha256::digest([b"tradein/key-id/v1:".as_slice(), master].concat());
        Keys {
            id: hex::encode(&digest[..4]),
            session_key: derive(master, b"tradein/session-token/v1"),
            iban_key: derive(master, b"tradein/iban-encryption/v1"),
            fingerprint_key: derive(master, b"tradein/iban-fingerprint/v1"),
            two_factor_key: derive(master, b"tradein/two-factor/v1"),
            webhook_key: derive(master, b"tradein/webhook-secret/v1"),
        }
    }
}

#[derive(Clone)]
pub struct Secret {
    current: Keys,
    previous: Vec<Keys>,
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Secret({}, {} previous)",
            self.current.id,
            self.previous.len()
        )
    }
}

impl Secret {
    pub fn from_bytes(master: &[u8]) -> Secret {
        Secret::rotated(master, &[])
    }

    /// `master` for what is made from now on; `previous` still accepted.
    pub fn rotated(master: &[u8], previous: &[Vec<u8>]) -> Secret {
        Secret {
            current: Keys::from_master(master),
            previous: previous.iter().map(|m| Keys::from_master(m)).collect(),
        }
    }

    /// The current secret's key id.
    pub fn key_id(&self) -> &str {
        &self.current.id
    }

    fn all(&self) -> impl Iterator<Item = &Keys> {
        std::iter::once(&self.current).chain(&self.previous)
    }

    /// Reads `dir/secret.key`, creating it with a fresh random secret if absent.
    pub fn load_or_create(dir: &Path) -> std::io::Result<Secret> {
        let path = dir.join("secret.key");
        match std::fs::read_to_string(&path) {
            Ok(text) => {
                let bytes = crate::platform::config::parse_secret(text.trim()).map_err(|m| {
                    std::io::Error::new(
                        std::io::ErrorKind::InvalidData,
                        format!("{}: {m}", path.display()),
                    )
                })?;
                Ok(Secret::from_bytes(&bytes))
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                std::fs::create_dir_all(dir)?;
                let mut bytes = [0u8; 32];
                rand::rngs::OsRng.fill_bytes(&mut bytes);
                let mut options = std::fs::OpenOptions::new();
                options.write(true).create_new(true);
                #[cfg(unix)]
                {
                    use std::os::unix::fs::OpenOptionsExt;
                    options.mode(0o600);
                }
                match options.open(&path) {
                    Ok(mut file) => {
                        file.write_all(hex::encode(bytes).as_bytes())?;
                        Ok(Secret::from_bytes(&bytes))
                    }
                    // Another process created it first: use theirs.
                    Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                        Secret::load_or_create(dir)
                    }
                    Err(e) => Err(e),
                }
            }
            Err(e) => Err(e),
        }
    }

    /// Keyed hash of a session token (or a sign-in link's): what the
    /// database stores, made with the current secret.
    pub fn session_token_hash(&self, token: &str) -> String {
        hex::encode(hmac(&self.current.session_key, token.as_bytes()))
    }

    /// The token's hash under every accepted secret, the current one first:
    /// what a lookup tries, so sessions made before a rotation still work.
    pub fn session_token_hashes(&self, token: &str) -> Vec<String> {
        self.all()
            .map(|k| hex::encode(hmac(&k.session_key, token.as_bytes())))
            .collect()
    }
}

/// How an encrypted IBAN starts: format version and key id, then the hex of
/// nonce and ciphertext (`v1.1a2b3c4d.…`). Values from before key ids have
/// only the hex.
const SEALED_VERSION: &str = "v1";

impl Secret {
    /// AES-256-GCM with a random nonce, under the current secret.
    pub fn encrypt_iban(&self, iban: &str) -> String {
        seal(&self.current, |k| &k.iban_key, iban)
    }

    /// The IBAN, under whichever accepted secret sealed it; None when no
    /// accepted secret did (or the value was tampered with).
    pub fn decrypt_iban(&self, sealed: &str) -> Option<String> {
        self.unseal(|k| &k.iban_key, sealed)
    }

    /// A two-factor secret (or codes waiting to be shown) sealed as an IBAN
    /// is, under a key of its own.
    pub fn seal_two_factor(&self, plain: &str) -> String {
        seal(&self.current, |k| &k.two_factor_key, plain)
    }

    pub fn open_two_factor(&self, sealed: &str) -> Option<String> {
        self.unseal(|k| &k.two_factor_key, sealed)
    }

    /// A webhook endpoint's signing secret, sealed as an IBAN is: it must
    /// be read back to sign, so it cannot be hashed.
    pub fn seal_webhook_secret(&self, plain: &str) -> String {
        seal(&self.current, |k| &k.webhook_key, plain)
    }

    pub fn open_webhook_secret(&self, sealed: &str) -> Option<String> {
        self.unseal(|k| &k.webhook_key, sealed)
    }

    fn unseal(&self, key: fn(&Keys) -> &[u8; 32], sealed: &str) -> Option<String> {
        match sealed.split_once('.') {
            Some((SEALED_VERSION, rest)) => {
                let (id, body) = rest.split_once('.')?;
                let keys = self.all().find(|k| k.id == id)?;
                open(key(keys), body)
            }
            Some(_) => None,
            // Sealed before key ids: whichever accepted secret opens it.
            None => self.all().find_map(|k| open(key(k), sealed)),
        }
    }

    /// Whether `sealed` was made under the current secret (else
    /// `rotate-secrets` has it to redo).
    pub fn is_current(&self, sealed: &str) -> bool {
        sealed
            .strip_prefix(SEALED_VERSION)
            .and_then(|r| r.strip_prefix('.'))
            .and_then(|r| r.split_once('.'))
            .is_some_and(|(id, _)| id == self.current.id)
    }

    /// Equal IBANs give equal fingerprints under one secret; a fingerprint
    /// reveals nothing without it.
    pub fn iban_fingerprint(&self, iban: &str) -> String {
        fingerprint(&self.current.fingerprint_key, iban)
    }

    /// The IBAN's fingerprint under every accepted secret, the current one
    /// first: rows fingerprinted before a rotation still match.
    pub fn iban_fingerprints(&self, iban: &str) -> Vec<String> {
        self.all()
            .map(|k| fingerprint(&k.fingerprint_key, iban))
            .collect()
    }
}

fn seal(keys: &Keys, key: fn(&Keys) -> &[u8; 32], plain: &str) -> String {
    use aes_gcm::aead::{Aead, KeyInit};
    let cipher = aes_gcm::Aes256Gcm::new_from_slice(key(keys)).expect("32-byte key");
    let mut nonce = [0u8; 12];
    rand::rngs::OsRng.fill_bytes(&mut nonce);
    let sealed = cipher
        .encrypt(aes_gcm::Nonce::from_slice(&nonce), plain.as_bytes())
        .expect("encryption cannot fail");
    let mut out = nonce.to_vec();
    out.extend(sealed);
    format!("{SEALED_VERSION}.{}.{}", keys.id, hex::encode(out))
}

fn fingerprint(key: &[u8], iban: &str) -> String {
    hex::encode(&hmac(key, iban.as_bytes())[..16])
}

fn open(key: &[u8], sealed_hex: &str) -> Option<String> {
    use aes_gcm::aead::{Aead, KeyInit};
    let bytes = hex::decode(sealed_hex).ok()?;
    if bytes.len() < 12 {
        return None;
    }
    let cipher = aes_gcm::Aes256Gcm::new_from_slice(key).ok()?;
    let plain = cipher
        .decrypt(aes_gcm::Nonce::from_slice(&bytes[..12]), &bytes[12..])
        .ok()?;
    String::from_utf8(plain).ok()
}

fn hmac(key: &[u8], message: &[u8]) -> [u8; 32] {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key).expect("HMAC accepts any key length");
    mac.update(message);
    mac.finalize().into_bytes().into()
}

fn derive(master: &[u8], purpose: &[u8]) -> [u8; 32] {
    hmac(master, purpose)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_secret_is_stable_across_loads() {
        let dir = std::env::temp_dir().join(format!("tradein-secret-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let a = Secret::load_or_create(&dir).unwrap();
        let b = Secret::load_or_create(&dir).unwrap();
        assert_eq!(a.session_token_hash("t"), b.session_token_hash("t"));
        assert_ne!(a.session_token_hash("t"), a.session_token_hash("u"));
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_rotated_secret_still_reads_what_the_old_one_made() {
        let old = Secret::from_bytes(&[7u8; 32]);
        let sealed = old.encrypt_iban("FR1420041010050500013M02606");
        let legacy = {
            // As stored before key ids: the hex alone.
            let (_, rest) = sealed.split_once('.').unwrap();
            rest.split_once('.').unwrap().1.to_string()
        };
        let rotated = Secret::rotated(&[9u8; 32], &[vec![7u8; 32]]);
        assert_ne!(rotated.key_id(), old.key_id());
        for value in [&sealed, &legacy] {
            assert_eq!(
                rotated.decrypt_iban(value).as_deref(),
                Some("FR1420041010050500013M02606"),
                "{value}"
            );
            assert!(!rotated.is_current(value));
        }
        let resealed = rotated.encrypt_iban("FR1420041010050500013M02606");
        assert!(rotated.is_current(&resealed));
        assert!(resealed.starts_with(&format!("v1.{}.", rotated.key_id())));
        assert_eq!(
            Secret::from_bytes(&[7u8; 32]).decrypt_iban(&resealed),
            None,
            "the old secret alone cannot read the new value"
        );
        assert_eq!(
            rotated.iban_fingerprints("X"),
            vec![
                Secret::from_bytes(&[9u8; 32]).iban_fingerprint("X"),
                old.iban_fingerprint("X")
            ]
        );
        assert_eq!(
            rotated.session_token_hashes("t")[1],
            old.session_token_hash("t"),
            "sessions made before the rotation are still found"
        );
        assert_eq!(
            Secret::from_bytes(&[9u8; 32]).decrypt_iban(&sealed),
            None,
            "without the previous secret listed, the old value is unreadable"
        );
    }

    #[test]
    fn ibans_encrypt_round_trip_and_fingerprint() {
        let s = Secret::from_bytes(&[7u8; 32]);
        let a = s.encrypt_iban("FR1420041010050500013M02606");
        let b = s.encrypt_iban("FR1420041010050500013M02606");
        assert_ne!(a, b, "random nonce");
        assert_eq!(
            s.decrypt_iban(&a).as_deref(),
            Some("FR1420041010050500013M02606")
        );
        assert_eq!(
            Secret::from_bytes(&[8u8; 32]).decrypt_iban(&a),
            None,
            "another key cannot read it"
        );
        assert_eq!(s.iban_fingerprint("X"), s.iban_fingerprint("X"));
        assert_ne!(
            s.iban_fingerprint("X"),
            Secret::from_bytes(&[8u8; 32]).iban_fingerprint("X")
        );
    }
}
