//! The ID vault on its own, and the ID number at rest in a real SQLite file.

use jiuye_domain::roles::Role;
use jiuye_store::vault::VaultError;
use jiuye_store::{IdVault, NewAccount, Store};

use crate::common::*;

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

#[test]
fn encryption_uses_a_fresh_nonce_and_round_trips() {
    let v = vault();
    let ids = person_drafts(91, 2);
    let id = &ids[0].rid();
    let a = v.encrypt(&ids[0].identity);
    let b = v.encrypt(&ids[0].identity);
    assert_ne!(a, b, "two encryptions of one number differ (random nonce)");
    assert_ne!(a[..12], b[..12], "the nonces differ");
    assert_eq!(a.len(), 12 + 18 + 16, "nonce ‖ ciphertext ‖ tag");
    assert!(!contains(&a, id.as_str().as_bytes()), "the plain number is not in the blob");
    assert_eq!(v.decrypt(&a).expect("decrypt a"), id.as_str(), "decrypts to the number");
    assert_eq!(v.decrypt(&b).expect("decrypt b"), id.as_str(), "both decrypt equal");
    // The same key material makes the same vault.
    assert_eq!(IdVault::new(&[7u8; 32]).expect("vault").decrypt(&a).expect("decrypt"), id.as_str(), "same key");
}

#[test]
fn a_wrong_key_or_a_damaged_blob_does_not_decrypt() {
    let v = vault();
    let ids = person_drafts(92, 1);
    let blob = v.encrypt(&ids[0].identity);
    assert!(matches!(other_vault().decrypt(&blob), Err(VaultError::Decrypt)), "another key cannot decrypt");
    let mut flipped = blob.clone();
    let last = flipped.len() - 1;
    flipped[last] ^= 1;
    assert!(matches!(v.decrypt(&flipped), Err(VaultError::Decrypt)), "a changed tag is detected");
    let mut flipped = blob.clone();
    flipped[15] ^= 0x80;
    assert!(matches!(v.decrypt(&flipped), Err(VaultError::Decrypt)), "a changed ciphertext is detected");
    assert!(matches!(v.decrypt(&blob[..12]), Err(VaultError::Decrypt)), "a nonce alone");
    assert!(matches!(v.decrypt(&[]), Err(VaultError::Decrypt)), "nothing");
    assert!(matches!(IdVault::new(&[1u8; 31]), Err(VaultError::KeyLength)), "31-byte key");
    assert!(matches!(IdVault::new(&[1u8; 33]), Err(VaultError::KeyLength)), "33-byte key");
    assert_eq!(format!("{v:?}"), "IdVault(..)", "Debug shows no key material");
}

#[test]
fn lookup_hash_is_keyed_and_stable() {
    let v = vault();
    let ids = person_drafts(93, 2);
    let (a, b) = (&ids[0].identity, &ids[1].identity);
    let h = v.lookup_hash(a);
    assert_eq!(h, v.lookup_hash(a), "stable");
    assert_eq!(h, v.hash_text(ids[0].rid().as_str()), "a resident ID hashes as its bare number, as before");
    assert_eq!(h.len(), 64, "hex of 32 bytes");
    assert!(h.bytes().all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase()), "lower-case hex");
    assert_ne!(h, v.lookup_hash(b), "other numbers hash differently");
    assert_ne!(h, other_vault().lookup_hash(a), "other keys hash differently");
    assert!(!h.contains(a.number()), "the hash does not carry the number");
}

/// Bytes of the database files: the number must not be anywhere on disk.
fn files_of(path: &std::path::Path) -> Vec<u8> {
    let mut out = Vec::new();
    for suffix in ["", "-wal", "-journal"] {
        let p = format!("{}{suffix}", path.display());
        if let Ok(bytes) = std::fs::read(&p) {
            out.extend(bytes);
        }
    }
    out
}

/// SQLite only (a file can be read byte by byte): after creating persons, accounts and a
/// reveal, no full ID number is anywhere in the database files, while names are (so the
/// search would find the number if it were stored in clear).
#[tokio::test]
async fn no_full_id_number_at_rest_in_a_sqlite_file() {
    let dir = std::env::temp_dir().join(format!("jiuye-story-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join("store.db");
    let url = format!("sqlite://{}?mode=rwc", path.display());
    let store = Store::connect(&url).await.expect("connect file store");
    store.migrate().await.expect("migrate");
    let v = vault();
    let mut clock = Clock::new();
    let mut drafts = person_drafts(94, 3);
    drafts[0].name = "郑成功测试".into();
    let desk = staff(Role::DistrictAdmin);
    let mut stored = Vec::new();
    for d in &drafts[..2] {
        let account = NewAccount {
            role: Role::Seeker,
            login_key: format!("id:{}", v.lookup_hash(&d.identity)),
            display_name: d.name.clone(),
            password_hash: "h".into(),
            district: None,
            person_id: None,
            employer_id: None,
            organisation: None,
        };
        let (p, _) = store.create_person(d, &v, Some(account), &desk, clock.tick()).await.expect("create");
        stored.push(p);
    }
    store.bulk_insert_persons(&drafts[2..], &v, &desk, clock.tick()).await.expect("bulk");
    for p in &stored {
        store.reveal_national_id(p.id, &v, &desk, clock.tick()).await.expect("reveal");
    }
    let bytes = files_of(&path);
    assert!(contains(&bytes, "郑成功测试".as_bytes()), "sqlite: the file holds the rows (sanity of the search)");
    for d in &drafts {
        assert!(!contains(&bytes, d.rid().as_str().as_bytes()), "sqlite: a full ID number is stored in clear on disk");
        assert!(contains(&bytes, d.rid().masked().as_bytes()), "sqlite: the mask is stored");
    }
    drop(store);
    let _ = std::fs::remove_dir_all(&dir);
}
