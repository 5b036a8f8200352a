//! The application secret and the keys derived from it.
//!
//! In development, when `APP_SECRET` is not set, a random secret is generated
//! once and kept in `DATA_DIR/secret.key` (mode 0600), so sessions survive
//! restarts without any set-up.

use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::Sha256;
use std::io::Write;
use std::path::Path;

#[derive(Clone)]
pub struct Secret {
    session_key: [u8; 32],
    iban_key: [u8; 32],
    fingerprint_key: [u8; 32],
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(..)")
    }
}

impl Secret {
    pub fn from_bytes(master: &[u8]) -> Secret {
        Secret {
            session_key: derive(master, b"tradein/session-token/v1"),
            iban_key: derive(master, b"tradein/iban-encryption/v1"),
            fingerprint_key: derive(master, b"tradein/iban-fingerprint/v1"),
        }
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

    /// Keyed hash of a session token: what the sessions table stores.
    pub fn session_token_hash(&self, token: &str) -> String {
        hex::encode(hmac(&self.session_key, token.as_bytes()))
    }
}

impl Secret {
    /// AES-256-GCM with a random nonce; hex of nonce followed by ciphertext.
    pub fn encrypt_iban(&self, iban: &str) -> String {
        use aes_gcm::aead::{Aead, KeyInit};
        let cipher = aes_gcm::Aes256Gcm::new_from_slice(&self.iban_key).expect("32-byte key");
        let mut nonce = [0u8; 12];
        rand::rngs::OsRng.fill_bytes(&mut nonce);
        let sealed = cipher
            .encrypt(aes_gcm::Nonce::from_slice(&nonce), iban.as_bytes())
            .expect("encryption cannot fail");
        let mut out = nonce.to_vec();
        out.extend(sealed);
        hex::encode(out)
    }

    pub fn decrypt_iban(&self, sealed_hex: &str) -> Option<String> {
        use aes_gcm::aead::{Aead, KeyInit};
        let bytes = hex::decode(sealed_hex).ok()?;
        if bytes.len() < 12 {
            return None;
        }
        let cipher = aes_gcm::Aes256Gcm::new_from_slice(&self.iban_key).ok()?;
        let plain = cipher
            .decrypt(aes_gcm::Nonce::from_slice(&bytes[..12]), &bytes[12..])
            .ok()?;
        String::from_utf8(plain).ok()
    }

    /// Equal IBANs give equal fingerprints; the fingerprint reveals nothing
    /// without the secret.
    pub fn iban_fingerprint(&self, iban: &str) -> String {
        hex::encode(&hmac(&self.fingerprint_key, iban.as_bytes())[..16])
    }
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
