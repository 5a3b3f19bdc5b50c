use std::collections::HashSet;
use std::sync::{Arc, Barrier};

use incert_domain::PasswordPolicy;

use super::*;

#[test]
fn login_code_is_six_digits() {
    for _ in 0..1_000 {
        let code = generate_login_code();
        assert_eq!(code.len(), 6, "code {code:?}");
        assert!(code.bytes().all(|b| b.is_ascii_digit()), "code {code:?}");
    }
}

#[test]
fn login_code_digits_cover_every_position() {
    // Each digit value should appear at each of the 6 positions. With 20,000 codes a given
    // (position, digit) pair is missing with a probability of 0.9^20000, which is negligible.
    let mut seen = [[false; 10]; 6];
    let mut leading_zero = false;
    for _ in 0..20_000 {
        let code = generate_login_code();
        leading_zero |= code.starts_with('0');
        for (position, digit) in code.bytes().enumerate() {
            seen[position][usize::from(digit - b'0')] = true;
        }
    }
    assert!(leading_zero, "no code started with 0");
    for (position, digits) in seen.iter().enumerate() {
        assert!(
            digits.iter().all(|&s| s),
            "position {position} misses a digit"
        );
    }
}

#[test]
fn login_code_distribution_roughly_uniform() {
    // Counts of the first digit over 50,000 codes. Each count has an expected value of 5,000
    // and a standard deviation of about 67, so a 10 % deviation (500) is over 7 sigma.
    let mut counts = [0_u32; 10];
    for _ in 0..50_000 {
        let first = generate_login_code().as_bytes()[0];
        counts[usize::from(first - b'0')] += 1;
    }
    for (digit, count) in counts.iter().enumerate() {
        assert!((4_500..=5_500).contains(count), "digit {digit}: {count}");
    }
}

#[test]
fn random_below_stays_in_range() {
    for bound in [1, 2, 3, 7, 56, 1_000_000, u32::MAX] {
        for _ in 0..200 {
            assert!(random_below(bound) < bound, "bound {bound}");
        }
    }
}

#[test]
fn token_is_43_base64url_chars() {
    let token = generate_token();
    assert_eq!(token.len(), 43);
    assert!(
        token
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'),
        "token has a character outside base64url"
    );
    assert_eq!(URL_SAFE_NO_PAD.decode(&token).unwrap().len(), 32);
}

#[test]
fn tokens_are_unique() {
    let tokens: HashSet<String> = (0..1_000).map(|_| generate_token()).collect();
    assert_eq!(tokens.len(), 1_000);
}

#[test]
fn hash_token_is_sha256_hex() {
    // SHA-256("abc") from FIPS 180-2, appendix B.1.
    assert_eq!(
        hash_token("abc"),
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    );
    let token = generate_token();
    assert_eq!(hash_token(&token), hash_token(&token));
    assert_ne!(hash_token(&token), hash_token(&generate_token()));
}

#[test]
fn code_hasher_round_trip() {
    let hasher = CodeHasher::new(b"server key for tests, 32 bytes!!");
    let stored = hasher.hash("login", "challenge-1", "012345");
    assert_eq!(stored.len(), 64);
    assert!(hasher.verify("login", "challenge-1", "012345", &stored));
    assert!(!hasher.verify("login", "challenge-1", "012346", &stored));
}

#[test]
fn code_hasher_binds_purpose_and_binding() {
    let hasher = CodeHasher::new(b"server key for tests, 32 bytes!!");
    let stored = hasher.hash("login", "challenge-1", "012345");
    assert!(!hasher.verify("login", "challenge-2", "012345", &stored));
    assert!(!hasher.verify("password_reset", "challenge-1", "012345", &stored));
}

#[test]
fn code_hasher_fields_do_not_run_together() {
    let hasher = CodeHasher::new(b"server key for tests, 32 bytes!!");
    assert_ne!(
        hasher.hash("login", "ab", "c12345"),
        hasher.hash("login", "abc", "12345")
    );
    assert_ne!(hasher.hash("log", "in", "1"), hasher.hash("lo", "gin", "1"));
}

#[test]
fn code_hasher_depends_on_key() {
    let first = CodeHasher::new(b"first key");
    let second = CodeHasher::new(b"second key");
    let stored = first.hash("login", "challenge-1", "012345");
    assert!(!second.verify("login", "challenge-1", "012345", &stored));
}

#[test]
fn code_hasher_rejects_wrong_length_hex() {
    let hasher = CodeHasher::new(b"key");
    let stored = hasher.hash("login", "challenge-1", "012345");
    assert!(!hasher.verify("login", "challenge-1", "012345", ""));
    assert!(!hasher.verify("login", "challenge-1", "012345", &stored[..62]));
    assert!(!hasher.verify("login", "challenge-1", "012345", &format!("{stored}00")));
    assert!(!hasher.verify("login", "challenge-1", "012345", &stored.to_uppercase()));
}

#[test]
fn code_hasher_debug_hides_key() {
    let printed = format!("{:?}", CodeHasher::new(b"very secret key"));
    assert_eq!(printed, "CodeHasher { key: <redacted> }");
}

#[test]
fn initial_password_passes_policy() {
    let policy = PasswordPolicy::default();
    for _ in 0..200 {
        let password = generate_initial_password();
        assert_eq!(password.chars().count(), 16);
        assert!(
            password
                .bytes()
                .all(|b| INITIAL_PASSWORD_ALPHABET.contains(&b)),
            "password has a character outside the alphabet"
        );
        assert!(password.bytes().any(|b| b.is_ascii_alphabetic()));
        assert!(password.bytes().any(|b| b.is_ascii_digit()));
        assert!(policy.accept(password).is_ok());
    }
}

#[test]
fn initial_password_alphabet_has_no_look_alikes() {
    for look_alike in b"0Oo1lI" {
        assert!(
            !INITIAL_PASSWORD_ALPHABET.contains(look_alike),
            "alphabet contains {:?}",
            char::from(*look_alike)
        );
    }
    let distinct: HashSet<&u8> = INITIAL_PASSWORD_ALPHABET.iter().collect();
    assert_eq!(distinct.len(), INITIAL_PASSWORD_ALPHABET.len());
}

#[test]
fn initial_passwords_are_unique() {
    let passwords: HashSet<String> = (0..200).map(|_| generate_initial_password()).collect();
    assert_eq!(passwords.len(), 200);
}

/// Returns a subkey that identifies a master key in assertions without printing it.
fn fingerprint(key: &MasterKey) -> Vec<u8> {
    key.derive("test-fingerprint")
}

#[test]
fn configured_hex_key_accepted() {
    let directory = tempfile::tempdir().unwrap();
    let hex = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
    let key = load_or_create_master_key(Some(hex), directory.path()).unwrap();
    assert_eq!(key.0, decode_hex(hex).unwrap());
    assert_eq!(key.0.len(), 32);
    assert!(!directory.path().join("secret.key").exists());
}

#[test]
fn configured_base64_key_accepted() {
    let directory = tempfile::tempdir().unwrap();
    let bytes: Vec<u8> = (0..48).map(|i| i * 5 + 1).collect();
    for text in [
        STANDARD_PAD_INDIFFERENT.encode(&bytes),
        URL_SAFE_NO_PAD.encode(&bytes),
        format!("  {}\n", STANDARD_PAD_INDIFFERENT.encode(&bytes)),
    ] {
        let key = load_or_create_master_key(Some(&text), directory.path()).unwrap();
        assert_eq!(key.0, bytes);
    }
}

#[test]
fn configured_short_key_rejected() {
    let directory = tempfile::tempdir().unwrap();
    let short_hex = "00112233445566778899aabbccddeeff00112233445566778899aabbccddee";
    let short_base64 = STANDARD_PAD_INDIFFERENT.encode([7_u8; 31]);
    for text in [short_hex, short_base64.as_str(), "", "   "] {
        let error = load_or_create_master_key(Some(text), directory.path()).unwrap_err();
        assert!(
            matches!(error, KeyError::InvalidConfigured { .. }),
            "{error}"
        );
    }
}

#[test]
fn configured_garbage_key_rejected() {
    let directory = tempfile::tempdir().unwrap();
    let error = load_or_create_master_key(Some("not a key!"), directory.path()).unwrap_err();
    assert_eq!(
        error.to_string(),
        "invalid configured secret key: the key is neither hex nor base64"
    );
}

#[test]
fn key_error_never_shows_key() {
    let directory = tempfile::tempdir().unwrap();
    let short_hex = "abcdef0123456789";
    let error = load_or_create_master_key(Some(short_hex), directory.path()).unwrap_err();
    let message = error.to_string();
    assert!(!message.contains(short_hex), "{message}");
    assert!(message.contains("has 8 bytes"), "{message}");
}

#[cfg(unix)]
#[test]
fn generated_key_file_is_private() {
    use std::os::unix::fs::PermissionsExt as _;

    let directory = tempfile::tempdir().unwrap();
    let key = load_or_create_master_key(None, directory.path()).unwrap();
    assert_eq!(key.0.len(), 64);

    let path = directory.path().join("secret.key");
    let mode = fs::metadata(&path).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600, "mode {mode:o}");

    let text = fs::read_to_string(&path).unwrap();
    assert_eq!(text, format!("{}\n", to_hex(&key.0)));

    let leftovers: Vec<_> = fs::read_dir(directory.path())
        .unwrap()
        .map(|entry| entry.unwrap().file_name())
        .collect();
    assert_eq!(leftovers, ["secret.key"]);
}

#[test]
fn second_load_reads_same_key() {
    let directory = tempfile::tempdir().unwrap();
    let first = load_or_create_master_key(None, directory.path()).unwrap();
    let second = load_or_create_master_key(None, directory.path()).unwrap();
    assert_eq!(fingerprint(&first), fingerprint(&second));
}

#[test]
fn configured_key_wins_over_file() {
    let directory = tempfile::tempdir().unwrap();
    let generated = load_or_create_master_key(None, directory.path()).unwrap();
    let hex = "ff".repeat(32);
    let configured = load_or_create_master_key(Some(&hex), directory.path()).unwrap();
    assert_ne!(fingerprint(&generated), fingerprint(&configured));
}

#[test]
fn invalid_key_file_rejected() {
    let directory = tempfile::tempdir().unwrap();
    let path = directory.path().join("secret.key");
    fs::write(&path, "too short\n").unwrap();
    let error = load_or_create_master_key(None, directory.path()).unwrap_err();
    assert!(matches!(error, KeyError::InvalidFile { .. }), "{error}");
    assert!(error.to_string().contains("secret.key"), "{error}");
    assert_eq!(fs::read_to_string(&path).unwrap(), "too short\n");
}

#[test]
fn missing_data_dir_reports_path() {
    let directory = tempfile::tempdir().unwrap();
    let missing = directory.path().join("does-not-exist");
    let error = load_or_create_master_key(None, &missing).unwrap_err();
    assert!(matches!(error, KeyError::Io { .. }), "{error}");
    assert!(error.to_string().contains("does-not-exist"), "{error}");
}

#[test]
fn concurrent_creation_yields_one_key() {
    for _ in 0..20 {
        let directory = tempfile::tempdir().unwrap();
        let threads = 8;
        let barrier = Arc::new(Barrier::new(threads));
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                let barrier = Arc::clone(&barrier);
                let path = directory.path().to_owned();
                std::thread::spawn(move || {
                    barrier.wait();
                    load_or_create_master_key(None, &path).map(|key| fingerprint(&key))
                })
            })
            .collect();

        let fingerprints: HashSet<Vec<u8>> = handles
            .into_iter()
            .map(|handle| handle.join().unwrap().unwrap())
            .collect();
        assert_eq!(fingerprints.len(), 1);

        let stored = load_or_create_master_key(None, directory.path()).unwrap();
        assert!(fingerprints.contains(&fingerprint(&stored)));
    }
}

#[test]
fn derive_separates_labels() {
    let key = MasterKey(vec![9; 64]);
    let jwt = key.derive("jwt-signing");
    let codes = key.derive("code-hashing");
    assert_eq!(jwt.len(), 32);
    assert_ne!(jwt, codes);
    assert_eq!(jwt, key.derive("jwt-signing"));
    assert_ne!(jwt, MasterKey(vec![8; 64]).derive("jwt-signing"));
}

#[test]
fn derive_matches_rfc_4231_case_2() {
    // RFC 4231, test case 2: HMAC-SHA-256 with key "Jefe".
    let key = MasterKey(b"Jefe".to_vec());
    assert_eq!(
        to_hex(&key.derive("what do ya want for nothing?")),
        "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
    );
}

#[test]
fn master_key_debug_redacted() {
    assert_eq!(
        format!("{:?}", MasterKey(vec![1; 32])),
        "MasterKey(<redacted>)"
    );
}
