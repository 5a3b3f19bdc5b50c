//! PKCS#12 reading: files made by OpenSSL (see fixtures/README.txt), files built here to reach
//! structures OpenSSL does not write, and damaged input.

use std::path::PathBuf;

use incert_bankid::pkcs12::Pkcs12Identity;
use incert_bankid::{ConfigError, Pkcs12Error, TlsConfig};
use tokio_rustls::rustls::pki_types::pem::PemObject as _;
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer};

pub const FIXTURE_PASSWORD: &str = "test-password";
const NON_ASCII_PASSWORD: &str = "lösenord-åäö";
const FRIENDLY_NAME: &str = "IncertOnline test RP";

/// PKCS#12 fixtures that hold client.pem, its chain and client-key.pem, with their passwords.
const READABLE_FIXTURES: &[(&str, &str)] = &[
    ("modern.p12", FIXTURE_PASSWORD),
    ("legacy.p12", FIXTURE_PASSWORD),
    ("certs-unencrypted.p12", FIXTURE_PASSWORD),
    ("unencrypted.p12", FIXTURE_PASSWORD),
    ("empty-password.p12", ""),
    ("legacy-empty-password.p12", ""),
    ("aes128-mac-sha512.p12", NON_ASCII_PASSWORD),
    ("legacy-2des-rc2-128.p12", NON_ASCII_PASSWORD),
];

pub fn fixture_path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/bankid/fixtures")
        .join(name)
}

pub fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(fixture_path(name)).unwrap()
}

pub fn fixture_certificate(name: &str) -> CertificateDer<'static> {
    CertificateDer::from_pem_slice(&fixture(name)).unwrap()
}

fn client_key_der() -> Vec<u8> {
    PrivateKeyDer::from_pem_slice(&fixture("client-key.pem"))
        .unwrap()
        .secret_der()
        .to_vec()
}

/// The chain in the order the reader must return it: leaf, intermediate, root.
fn expected_chain() -> Vec<Vec<u8>> {
    ["client.pem", "intermediate-ca.pem", "root-ca.pem"]
        .iter()
        .map(|name| fixture_certificate(name).to_vec())
        .collect()
}

fn read(name: &str, password: &str) -> Result<Pkcs12Identity, Pkcs12Error> {
    Pkcs12Identity::from_der(&fixture(name), password)
}

#[test]
fn fixtures_yield_chain_and_key() {
    let chain = expected_chain();
    let key = client_key_der();
    for &(name, password) in READABLE_FIXTURES {
        let identity = read(name, password).unwrap_or_else(|error| panic!("{name}: {error}"));

        assert_eq!(identity.certificate_chain_der(), chain.as_slice(), "{name}");
        assert_eq!(identity.private_key_pkcs8_der(), key.as_slice(), "{name}");
        assert_eq!(identity.friendly_name(), Some(FRIENDLY_NAME), "{name}");
    }
}

#[test]
fn pem_output_parses_back() {
    let identity = read("modern.p12", FIXTURE_PASSWORD).unwrap();

    let chain_pem = identity.certificate_chain_pem();
    let certificates: Vec<Vec<u8>> = CertificateDer::pem_slice_iter(chain_pem.as_bytes())
        .map(|certificate| certificate.unwrap().to_vec())
        .collect();
    assert_eq!(certificates, expected_chain());
    assert!(chain_pem.starts_with("-----BEGIN CERTIFICATE-----\n"));
    assert!(
        chain_pem.lines().all(|line| line.len() <= 64),
        "{chain_pem}"
    );

    let key_pem = identity.private_key_pem();
    assert!(key_pem.starts_with("-----BEGIN PRIVATE KEY-----\n"));
    let key = PrivateKeyDer::from_pem_slice(key_pem.as_bytes()).unwrap();
    assert!(matches!(key, PrivateKeyDer::Pkcs8(_)));
    assert_eq!(key.secret_der(), client_key_der().as_slice());
}

#[test]
fn wrong_password_is_reported() {
    for name in ["modern.p12", "legacy.p12", "aes128-mac-sha512.p12"] {
        let error = read(name, "not-the-password").unwrap_err();
        assert_eq!(
            error,
            Pkcs12Error::WrongPassword {
                empty_password: false
            },
            "{name}"
        );
        let message = error.to_string();
        assert!(
            message.starts_with("wrong password or corrupted file"),
            "{message}"
        );
        assert!(!message.contains("not-the-password"), "{message}");
    }

    // The same letters without diacritics give another BMPString.
    let error = read("legacy-2des-rc2-128.p12", "losenord-aao").unwrap_err();
    assert!(
        matches!(error, Pkcs12Error::WrongPassword { .. }),
        "{error}"
    );
}

#[test]
fn empty_password_mismatch_is_reported() {
    let error = read("modern.p12", "").unwrap_err();
    assert_eq!(
        error,
        Pkcs12Error::WrongPassword {
            empty_password: true
        }
    );
    assert!(error.to_string().contains("empty password"), "{error}");

    for name in ["empty-password.p12", "legacy-empty-password.p12"] {
        let error = read(name, FIXTURE_PASSWORD).unwrap_err();
        assert_eq!(
            error,
            Pkcs12Error::WrongPassword {
                empty_password: false
            },
            "{name}"
        );
    }
}

#[test]
fn unsupported_cipher_names_oid() {
    let error = read("rc4-key.p12", FIXTURE_PASSWORD).unwrap_err();
    assert_eq!(
        error,
        Pkcs12Error::UnsupportedAlgorithm {
            purpose: "encryption",
            oid: "1.2.840.113549.1.12.1.1".to_owned(),
            name: Some("pbeWithSHAAnd128BitRC4"),
        }
    );
    let message = error.to_string();
    assert!(message.contains("1.2.840.113549.1.12.1.1"), "{message}");
    assert!(message.contains("pbeWithSHAAnd128BitRC4"), "{message}");
}

#[test]
fn truncated_files_fail_cleanly() {
    for name in ["modern.p12", "legacy.p12"] {
        let bytes = fixture(name);
        for length in 0..bytes.len() {
            let error = Pkcs12Identity::from_der(&bytes[..length], FIXTURE_PASSWORD).unwrap_err();
            assert!(
                matches!(error, Pkcs12Error::Malformed { .. }),
                "{name} cut to {length} bytes: {error}"
            );
        }
    }
}

#[test]
fn flipped_bits_fail_cleanly() {
    let bytes = fixture("modern.p12");
    for index in 0..bytes.len() {
        let mut damaged = bytes.clone();
        damaged[index] ^= 0x01;
        let result = Pkcs12Identity::from_der(&damaged, FIXTURE_PASSWORD);
        assert!(
            result.is_err(),
            "flipping a bit of byte {index} went unnoticed"
        );
    }
}

#[test]
fn garbage_input_fails_cleanly() {
    let mut pseudo_random = Vec::with_capacity(4096);
    let mut state: u32 = 0x1234_5678;
    for _ in 0..4096 {
        state = state.wrapping_mul(1_103_515_245).wrapping_add(12_345);
        pseudo_random.push(state.to_be_bytes()[0]);
    }
    let mut sequence_of_noise = vec![0x30, 0x82, 0x0F, 0xFC];
    sequence_of_noise.extend_from_slice(&pseudo_random[..0x0FFC]);

    let inputs: Vec<(&str, Vec<u8>)> = vec![
        ("empty", Vec::new()),
        ("zeros", vec![0; 64]),
        ("0xFF", vec![0xFF; 64]),
        ("noise", pseudo_random),
        ("SEQUENCE of noise", sequence_of_noise),
        ("indefinite SEQUENCE", vec![0x30, 0x80]),
        ("empty SEQUENCE", vec![0x30, 0x00]),
        ("certificate", fixture_certificate("client.pem").to_vec()),
    ];
    for (label, input) in inputs {
        let error = Pkcs12Identity::from_der(&input, FIXTURE_PASSWORD).unwrap_err();
        assert!(
            matches!(error, Pkcs12Error::Malformed { .. }),
            "{label}: {error}"
        );
    }

    let error = Pkcs12Identity::from_der(&fixture("client.pem"), "").unwrap_err();
    assert_eq!(error, Pkcs12Error::PemInput);
}

#[test]
fn tls_config_from_pkcs12_reports_errors() {
    let root_pem = fixture("root-ca.pem");
    let error =
        TlsConfig::from_pkcs12(&fixture("modern.p12"), "not-the-password", &root_pem).unwrap_err();
    assert!(
        matches!(
            error,
            ConfigError::Pkcs12(Pkcs12Error::WrongPassword { .. })
        ),
        "{error:?}"
    );

    let path = fixture_path("modern.p12");
    let root_path = fixture_path("root-ca.pem");
    let error = TlsConfig::from_pkcs12_file(&path, "not-the-password", &root_path).unwrap_err();
    assert!(matches!(error, ConfigError::Pkcs12File { .. }), "{error:?}");
    let message = error.to_string();
    assert!(message.contains("modern.p12"), "{message}");
    assert!(
        message.contains("wrong password or corrupted file"),
        "{message}"
    );

    let missing = fixture_path("missing.p12");
    let error = TlsConfig::from_pkcs12_file(&missing, FIXTURE_PASSWORD, &root_path).unwrap_err();
    assert!(matches!(error, ConfigError::ReadFile { .. }), "{error:?}");
}

#[test]
fn debug_output_hides_key() {
    let identity = read("modern.p12", FIXTURE_PASSWORD).unwrap();
    let key_pem = identity.private_key_pem();
    let key_line = key_pem.lines().nth(1).unwrap();

    let debug = format!("{identity:?}");
    assert!(debug.contains("<redacted>"), "{debug}");
    assert!(!debug.contains(key_line), "{debug}");

    let tls = TlsConfig::from_pkcs12(
        &fixture("modern.p12"),
        FIXTURE_PASSWORD,
        &fixture("root-ca.pem"),
    )
    .unwrap();
    let debug = format!("{tls:?}");
    assert!(!debug.contains(key_line), "{debug}");
    assert!(!debug.contains("PRIVATE KEY"), "{debug}");
    assert!(!debug.contains(FIXTURE_PASSWORD), "{debug}");
}

/// Builds PKCS#12 structures in DER, or in BER with indefinite lengths and segmented OCTET
/// STRINGs. Files built here have no MAC.
mod build {
    pub const DATA: &str = "1.2.840.113549.1.7.1";
    pub const SIGNED_DATA: &str = "1.2.840.113549.1.7.2";
    pub const ENVELOPED_DATA: &str = "1.2.840.113549.1.7.3";
    const KEY_BAG: &str = "1.2.840.113549.1.12.10.1.1";
    const SHROUDED_KEY_BAG: &str = "1.2.840.113549.1.12.10.1.2";
    const CERT_BAG: &str = "1.2.840.113549.1.12.10.1.3";
    const X509_CERTIFICATE: &str = "1.2.840.113549.1.9.22.1";
    const LOCAL_KEY_ID: &str = "1.2.840.113549.1.9.21";

    #[derive(Debug, Clone, Copy)]
    pub struct Encoder {
        pub ber: bool,
    }

    pub fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
        let mut out = vec![tag];
        let length = content.len();
        if length < 0x80 {
            out.push(length as u8);
        } else {
            let bytes = (length as u32).to_be_bytes();
            let skip = bytes.iter().take_while(|&&byte| byte == 0).count();
            out.push(0x80 | (4 - skip) as u8);
            out.extend_from_slice(&bytes[skip..]);
        }
        out.extend_from_slice(content);
        out
    }

    pub fn oid(dotted: &str) -> Vec<u8> {
        let arcs: Vec<u64> = dotted.split('.').map(|arc| arc.parse().unwrap()).collect();
        let mut content = Vec::new();
        let mut subidentifiers = vec![arcs[0] * 40 + arcs[1]];
        subidentifiers.extend_from_slice(&arcs[2..]);
        for value in subidentifiers {
            let mut groups = vec![(value & 0x7F) as u8];
            let mut rest = value >> 7;
            while rest > 0 {
                groups.push(0x80 | (rest & 0x7F) as u8);
                rest >>= 7;
            }
            content.extend(groups.iter().rev());
        }
        tlv(0x06, &content)
    }

    pub fn integer(value: u8) -> Vec<u8> {
        tlv(0x02, &[value])
    }

    impl Encoder {
        fn constructed(self, tag: u8, parts: &[Vec<u8>]) -> Vec<u8> {
            let content = parts.concat();
            if self.ber {
                let mut out = vec![tag, 0x80];
                out.extend_from_slice(&content);
                out.extend_from_slice(&[0x00, 0x00]);
                out
            } else {
                tlv(tag, &content)
            }
        }

        pub fn sequence(self, parts: &[Vec<u8>]) -> Vec<u8> {
            self.constructed(0x30, parts)
        }

        pub fn set(self, parts: &[Vec<u8>]) -> Vec<u8> {
            self.constructed(0x31, parts)
        }

        pub fn explicit(self, content: Vec<u8>) -> Vec<u8> {
            self.constructed(0xA0, &[content])
        }

        /// Encodes an OCTET STRING, split into two segments in BER.
        pub fn octets(self, bytes: &[u8]) -> Vec<u8> {
            if self.ber {
                let (first, second) = bytes.split_at(bytes.len() / 2);
                self.constructed(0x24, &[tlv(0x04, first), tlv(0x04, second)])
            } else {
                tlv(0x04, bytes)
            }
        }

        fn attributes(self, local_key_id: Option<&[u8]>) -> Vec<Vec<u8>> {
            match local_key_id {
                Some(id) => vec![
                    self.set(&[self.sequence(&[oid(LOCAL_KEY_ID), self.set(&[self.octets(id)])])]),
                ],
                None => Vec::new(),
            }
        }

        pub fn cert_bag(self, der: &[u8], local_key_id: Option<&[u8]>) -> Vec<u8> {
            let value = self.sequence(&[oid(X509_CERTIFICATE), self.explicit(self.octets(der))]);
            let mut parts = vec![oid(CERT_BAG), self.explicit(value)];
            parts.extend(self.attributes(local_key_id));
            self.sequence(&parts)
        }

        pub fn key_bag(self, pkcs8_der: &[u8], local_key_id: Option<&[u8]>) -> Vec<u8> {
            let mut parts = vec![oid(KEY_BAG), self.explicit(pkcs8_der.to_vec())];
            parts.extend(self.attributes(local_key_id));
            self.sequence(&parts)
        }

        pub fn shrouded_key_bag(self, encrypted_der: &[u8]) -> Vec<u8> {
            self.sequence(&[oid(SHROUDED_KEY_BAG), self.explicit(encrypted_der.to_vec())])
        }

        pub fn content_info(self, content_type: &str, content: Vec<u8>) -> Vec<u8> {
            self.sequence(&[oid(content_type), self.explicit(content)])
        }

        /// Builds a PFX without MAC whose one `data` ContentInfo contains `bags`.
        pub fn pfx(self, bags: &[Vec<u8>]) -> Vec<u8> {
            let safe_contents = self.sequence(bags);
            let safe = self.content_info(DATA, self.octets(&safe_contents));
            self.pfx_with_contents(3, DATA, &[safe])
        }

        pub fn pfx_with_contents(
            self,
            version: u8,
            auth_safe_type: &str,
            content_infos: &[Vec<u8>],
        ) -> Vec<u8> {
            let authenticated_safe = self.sequence(content_infos);
            self.sequence(&[
                integer(version),
                self.content_info(auth_safe_type, self.octets(&authenticated_safe)),
            ])
        }
    }
}

use build::Encoder;

const DER: Encoder = Encoder { ber: false };
const BER: Encoder = Encoder { ber: true };

#[test]
fn leaf_found_by_public_key() {
    let chain = expected_chain();
    let key = client_key_der();
    for encoder in [DER, BER] {
        // File order root, leaf, intermediate, and no localKeyId anywhere.
        let pfx = encoder.pfx(&[
            encoder.cert_bag(&chain[2], None),
            encoder.cert_bag(&chain[0], None),
            encoder.key_bag(&key, None),
            encoder.cert_bag(&chain[1], None),
        ]);

        let identity = Pkcs12Identity::from_der(&pfx, "").unwrap();

        assert_eq!(
            identity.certificate_chain_der(),
            chain.as_slice(),
            "{encoder:?}"
        );
        assert_eq!(
            identity.private_key_pkcs8_der(),
            key.as_slice(),
            "{encoder:?}"
        );
        assert_eq!(identity.friendly_name(), None);
    }
}

#[test]
fn local_key_id_takes_precedence() {
    let chain = expected_chain();
    let pfx = DER.pfx(&[
        DER.cert_bag(&chain[0], None),
        DER.cert_bag(&chain[1], Some(b"id-1")),
        DER.key_bag(&client_key_der(), Some(b"id-1")),
    ]);

    let identity = Pkcs12Identity::from_der(&pfx, "").unwrap();

    assert_eq!(identity.certificate_chain_der()[0], chain[1]);
}

#[test]
fn ecdsa_and_ed25519_keys_match_certificates() {
    for algorithm in [
        &rcgen::PKCS_ECDSA_P256_SHA256,
        &rcgen::PKCS_ECDSA_P384_SHA384,
        &rcgen::PKCS_ED25519,
    ] {
        let mut certificates = Vec::new();
        let mut keys = Vec::new();
        for name in ["first.test", "second.test"] {
            let key = rcgen::KeyPair::generate_for(algorithm).unwrap();
            let params = rcgen::CertificateParams::new(vec![name.to_owned()]).unwrap();
            certificates.push(params.self_signed(&key).unwrap().der().to_vec());
            keys.push(key.serialize_der());
        }
        let pfx = DER.pfx(&[
            DER.cert_bag(&certificates[0], None),
            DER.cert_bag(&certificates[1], None),
            DER.key_bag(&keys[1], None),
        ]);

        let identity = Pkcs12Identity::from_der(&pfx, "").unwrap();

        assert_eq!(
            identity.certificate_chain_der(),
            &[certificates[1].clone(), certificates[0].clone()],
            "{algorithm:?}"
        );
    }
}

#[test]
fn shrouded_keys_decrypt_with_each_scheme() {
    let key = client_key_der();
    let leaf = fixture_certificate("client.pem").to_vec();
    for name in [
        "key-pbes2-sha1-aes192.der",
        "key-pbes2-sha384-aes128.der",
        "key-pbes2-sha512-3des.der",
        "key-pbe-sha1-3des.der",
    ] {
        let pfx = DER.pfx(&[
            DER.shrouded_key_bag(&fixture(name)),
            DER.cert_bag(&leaf, None),
        ]);

        let identity = Pkcs12Identity::from_der(&pfx, FIXTURE_PASSWORD)
            .unwrap_or_else(|error| panic!("{name}: {error}"));
        assert_eq!(identity.private_key_pkcs8_der(), key.as_slice(), "{name}");

        // Without a MAC, a wrong password shows up when decrypting.
        let error = Pkcs12Identity::from_der(&pfx, "not-the-password").unwrap_err();
        assert_eq!(
            error,
            Pkcs12Error::DecryptionFailed {
                content: "private key"
            },
            "{name}"
        );
        assert!(
            error
                .to_string()
                .starts_with("wrong password or corrupted file"),
            "{error}"
        );
    }
}

#[test]
fn missing_key_or_certificate_is_reported() {
    let chain = expected_chain();
    let key = client_key_der();

    let certificates_only = DER.pfx(&[DER.cert_bag(&chain[0], None)]);
    assert_eq!(
        Pkcs12Identity::from_der(&certificates_only, "").unwrap_err(),
        Pkcs12Error::NoPrivateKey
    );

    let key_only = DER.pfx(&[DER.key_bag(&key, None)]);
    assert_eq!(
        Pkcs12Identity::from_der(&key_only, "").unwrap_err(),
        Pkcs12Error::NoCertificate
    );

    let two_keys = DER.pfx(&[
        DER.key_bag(&key, None),
        DER.key_bag(&key, None),
        DER.cert_bag(&chain[0], None),
    ]);
    assert_eq!(
        Pkcs12Identity::from_der(&two_keys, "").unwrap_err(),
        Pkcs12Error::MultiplePrivateKeys { count: 2 }
    );

    let unrelated_certificates = DER.pfx(&[
        DER.key_bag(&key, None),
        DER.cert_bag(&chain[1], None),
        DER.cert_bag(&chain[2], None),
    ]);
    assert_eq!(
        Pkcs12Identity::from_der(&unrelated_certificates, "").unwrap_err(),
        Pkcs12Error::NoMatchingCertificate
    );
}

#[test]
fn public_key_modes_are_unsupported() {
    let signed = DER.pfx_with_contents(3, build::SIGNED_DATA, &[]);
    let error = Pkcs12Identity::from_der(&signed, "").unwrap_err();
    assert!(matches!(error, Pkcs12Error::Unsupported(_)), "{error}");
    assert!(error.to_string().contains("signedData"), "{error}");

    let enveloped = DER.content_info(build::ENVELOPED_DATA, DER.sequence(&[]));
    let pfx = DER.pfx_with_contents(3, build::DATA, &[enveloped]);
    let error = Pkcs12Identity::from_der(&pfx, "").unwrap_err();
    assert!(matches!(error, Pkcs12Error::Unsupported(_)), "{error}");
    assert!(error.to_string().contains("envelopedData"), "{error}");

    let version_2 = DER.pfx_with_contents(2, build::DATA, &[]);
    let error = Pkcs12Identity::from_der(&version_2, "").unwrap_err();
    assert!(error.to_string().contains("version 2"), "{error}");
}
