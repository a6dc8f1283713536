//! Identity document numbers at rest: AES-256-GCM encryption and a keyed hash for lookup.
//!
//! One 32-byte master key (from config; the binary generates it into the data dir with mode
//! 0600) is split by HMAC into an encryption key and a hashing key, so the lookup hash can
//! never be used to decrypt. Plain ID numbers exist only in memory, briefly.

use aes_gcm::Aes256Gcm;
use aes_gcm::aead::{Aead, KeyInit, Nonce};
use hmac::{Hmac, Mac};
use sha2::Sha256;

use jiuye_domain::codes::Identity;

const NONCE_LEN: usize = 12;

#[derive(Clone)]
pub struct IdVault {
    cipher: Aes256Gcm,
    hash_key: [u8; 32],
}

impl std::fmt::Debug for IdVault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("IdVault(..)")
    }
}

#[derive(Debug, thiserror::Error)]
pub enum VaultError {
    #[error("the master key must be 32 bytes")]
    KeyLength,
    #[error("ciphertext does not decrypt with this key")]
    Decrypt,
}

fn derive(master: &[u8; 32], label: &[u8]) -> [u8; 32] {
    // HMAC accepts any key length, so this cannot fail; keep the fallback total anyway.
    let mut mac = match <Hmac<Sha256> as KeyInit>::new_from_slice(master) {
        Ok(m) => m,
        Err(_) => return [0; 32],
    };
    mac.update(label);
    let out = mac.finalize().into_bytes();
    let mut key = [0u8; 32];
    key.copy_from_slice(&out);
    key
}

impl IdVault {
    pub fn new(master: &[u8]) -> Result<IdVault, VaultError> {
        let master: [u8; 32] = master.try_into().map_err(|_| VaultError::KeyLength)?;
        let enc_key = derive(&master, b"jiuye national-id encryption v1");
        let hash_key = derive(&master, b"jiuye national-id lookup hash v1");
        let cipher = Aes256Gcm::new_from_slice(&enc_key).map_err(|_| VaultError::KeyLength)?;
        Ok(IdVault { cipher, hash_key })
    }

    /// Encrypt a document's key (see `Identity::key`) with a fresh random nonce; output is
    /// nonce ‖ ciphertext ‖ tag.
    pub fn encrypt(&self, id: &Identity) -> Vec<u8> {
        self.encrypt_text(&id.key())
    }

    pub fn encrypt_text(&self, text: &str) -> Vec<u8> {
        let nonce_bytes: [u8; NONCE_LEN] = rand::random();
        let nonce = Nonce::<Aes256Gcm>::from(nonce_bytes);
        // AES-GCM encryption fails only for plaintexts of gigabytes; an ID is 18 bytes.
        let ct = self.cipher.encrypt(&nonce, text.as_bytes()).unwrap_or_default();
        let mut out = Vec::with_capacity(NONCE_LEN + ct.len());
        out.extend_from_slice(&nonce_bytes);
        out.extend_from_slice(&ct);
        out
    }

    pub fn decrypt(&self, blob: &[u8]) -> Result<String, VaultError> {
        if blob.len() <= NONCE_LEN {
            return Err(VaultError::Decrypt);
        }
        let (n, ct) = blob.split_at(NONCE_LEN);
        let nonce_bytes: [u8; NONCE_LEN] = n.try_into().map_err(|_| VaultError::Decrypt)?;
        let nonce = Nonce::<Aes256Gcm>::from(nonce_bytes);
        let pt = self.cipher.decrypt(&nonce, ct).map_err(|_| VaultError::Decrypt)?;
        String::from_utf8(pt).map_err(|_| VaultError::Decrypt)
    }

    /// Keyed hash of the document's canonical key, hex: equal documents hash equal, nothing
    /// else is learnt. A resident ID's key is its bare number, as it always was.
    pub fn lookup_hash(&self, id: &Identity) -> String {
        self.hash_text(&id.key())
    }

    /// Keyed hash of any text (login keys of the sign-in throttle, activation codes).
    pub fn hash_text(&self, text: &str) -> String {
        let mut mac = match <Hmac<Sha256> as KeyInit>::new_from_slice(&self.hash_key) {
            Ok(m) => m,
            Err(_) => return String::new(),
        };
        mac.update(text.as_bytes());
        mac.finalize().into_bytes().iter().map(|b| format!("{b:02x}")).collect()
    }
}
