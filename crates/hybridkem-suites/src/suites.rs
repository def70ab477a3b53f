//! The suite table: the Rust mirror of `packages/core/src/suites.ts`.
//! spec/WIRE-FORMAT.md §1 is the normative table; `../shared/STANDARDS.md`
//! gives the sources. A test in each backend package compares this table with
//! core's, so the two cannot drift apart.

/// ML-KEM parameter sets (FIPS 203, Table 3).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MlKem {
    MlKem768,
    MlKem1024,
}

impl MlKem {
    /// Encapsulation key bytes (FIPS 203 Table 3, `ek`).
    pub const fn public_key_len(self) -> usize {
        match self {
            MlKem::MlKem768 => 1184,
            MlKem::MlKem1024 => 1568,
        }
    }
    /// Ciphertext bytes (FIPS 203 Table 3, `c`).
    pub const fn ciphertext_len(self) -> usize {
        match self {
            MlKem::MlKem768 => 1088,
            MlKem::MlKem1024 => 1568,
        }
    }
    /// Expanded decapsulation key bytes (FIPS 203 Table 3, `dk`).
    pub const fn secret_key_len(self) -> usize {
        match self {
            MlKem::MlKem768 => 2400,
            MlKem::MlKem1024 => 3168,
        }
    }
}

/// Traditional groups as nominal groups (draft-irtf-cfrg-concrete-hybrid-kems §3).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Group {
    X25519,
    P256,
    P384,
}

impl Group {
    pub const fn name(self) -> &'static str {
        match self {
            Group::X25519 => "X25519",
            Group::P256 => "P-256",
            Group::P384 => "P-384",
        }
    }
    /// Encoded element: a u-coordinate, or an uncompressed SEC1 point.
    pub const fn element_len(self) -> usize {
        match self {
            Group::X25519 => 32,
            Group::P256 => 65,
            Group::P384 => 97,
        }
    }
    /// Encoded scalar (big-endian for the NIST curves).
    pub const fn scalar_len(self) -> usize {
        match self {
            Group::X25519 | Group::P256 => 32,
            Group::P384 => 48,
        }
    }
    /// ElementToSharedSecret output: the u-coordinate or the x-coordinate.
    pub const fn shared_secret_len(self) -> usize {
        self.scalar_len()
    }
}

/// How RandomScalar turns bytes into a scalar (spec/WIRE-FORMAT.md §1.1).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScalarDerivation {
    /// The bytes are the scalar (X25519).
    SeedIsScalar,
    /// The first Nscalar-byte window of SHAKE256(bytes) in [1, n-1]
    /// (the concrete-hybrid-kems vectors at commit 0114ace).
    NestedShake,
    /// The first Nscalar-byte window of the bytes themselves in [1, n-1]
    /// (draft-ietf-hpke-pq-04, Go 1.26 crypto/hpke).
    MainStream,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Combiner {
    /// KitchenSink with HKDF-SHA-256 (cfrg/draft-irtf-cfrg-hybrid-kems).
    KitchenSinkHkdfSha256,
    /// KitchenSink with HKDF-SHA-512.
    KitchenSinkHkdfSha512,
    /// SHA3-256(ss_M ‖ ss_T ‖ ct_T ‖ pk_T ‖ label): X-Wing §5.3 / the CG framework.
    CgSha3_256,
}

/// The construction of a hybrid suite (spec/WIRE-FORMAT.md §1.1, §1.2).
#[derive(Debug, PartialEq, Eq)]
pub struct Hybrid {
    pub mlkem: MlKem,
    pub group: Group,
    pub derivation: ScalarDerivation,
    pub combiner: Combiner,
    /// Domain-separation label fed to the combiner.
    pub label: &'static [u8],
    /// Bytes of the expanded private seed spent on RandomScalar (Nseed_T).
    pub group_seed_len: usize,
    /// Bytes of encapsulation randomness spent on the ephemeral scalar.
    pub group_randomness_len: usize,
}

/// What a suite is built of. The single-algorithm suites follow
/// spec/WIRE-FORMAT.md §1.4, the hybrids §1.1-§1.2.
#[derive(Debug, PartialEq, Eq)]
pub enum Kem {
    Hybrid(Hybrid),
    /// ML-KEM alone (FIPS 203; HPKE KEM 0x0041 / 0x0042 of
    /// draft-ietf-hpke-pq-04): the private key is the 64-byte d ‖ z.
    MlKem(MlKem),
    /// DHKEM(X25519, HKDF-SHA256), RFC 9180 §4.1 with §7.1 (HPKE KEM 0x0020).
    DhKemX25519HkdfSha256,
}

/// The three kinds of key exchange a suite gives (core's `family`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Family {
    /// ML-KEM and a traditional group together.
    Hybrid,
    /// Post-quantum alone (ML-KEM).
    Pq,
    /// Classical alone (DHKEM X25519).
    Classical,
}

impl Family {
    /// The name core's `Suite.family` uses.
    pub const fn name(self) -> &'static str {
        match self {
            Family::Hybrid => "hybrid",
            Family::Pq => "pq",
            Family::Classical => "classical",
        }
    }
}

/// One suite. Frozen: every value is a compile-time constant.
#[derive(Debug, PartialEq, Eq)]
pub struct Suite {
    /// 16-bit id used on the wire (the HPKE KEM id where one is registered).
    pub id: u16,
    pub name: &'static str,
    pub kem: Kem,
}

/// A hybrid suite's private key is a 32-byte seed (spec/WIRE-FORMAT.md §1.1).
pub const SEED_LEN: usize = 32;
/// The longest private key of any suite (ML-KEM's d ‖ z, §1.4).
pub const MAX_PRIVATE_KEY_LEN: usize = MLKEM_SEED_LEN;
/// Every suite's shared secret is 32 bytes.
pub const SHARED_SECRET_LEN: usize = 32;
/// ML-KEM's derandomised encapsulation input `m` (FIPS 203 §6.2).
pub const MLKEM_RANDOMNESS_LEN: usize = 32;
/// ML-KEM's KeyGen_internal input d ‖ z (FIPS 203 §6.1).
pub const MLKEM_SEED_LEN: usize = 64;
/// X25519's private key, public key, DH output and DHKEM's ikmE (RFC 7748 §5, RFC 9180 §7.1).
pub const X25519_LEN: usize = 32;

impl Suite {
    pub const fn family(&self) -> Family {
        match self.kem {
            Kem::Hybrid(_) => Family::Hybrid,
            Kem::MlKem(_) => Family::Pq,
            Kem::DhKemX25519HkdfSha256 => Family::Classical,
        }
    }
    /// The ML-KEM parameter set, if the suite has one.
    pub const fn mlkem(&self) -> Option<MlKem> {
        match self.kem {
            Kem::Hybrid(ref h) => Some(h.mlkem),
            Kem::MlKem(set) => Some(set),
            Kem::DhKemX25519HkdfSha256 => None,
        }
    }
    /// The traditional group, if the suite has one.
    pub const fn group(&self) -> Option<Group> {
        match self.kem {
            Kem::Hybrid(ref h) => Some(h.group),
            Kem::MlKem(_) => None,
            Kem::DhKemX25519HkdfSha256 => Some(Group::X25519),
        }
    }
    pub const fn public_key_len(&self) -> usize {
        match self.kem {
            Kem::Hybrid(ref h) => h.mlkem.public_key_len() + h.group.element_len(),
            Kem::MlKem(set) => set.public_key_len(),
            Kem::DhKemX25519HkdfSha256 => X25519_LEN,
        }
    }
    /// The private key, which is also the keygen seed: 32 bytes (hybrids,
    /// DHKEM's X25519 private key) or 64 (ML-KEM's d ‖ z).
    pub const fn private_key_len(&self) -> usize {
        match self.kem {
            Kem::Hybrid(_) => SEED_LEN,
            Kem::MlKem(_) => MLKEM_SEED_LEN,
            Kem::DhKemX25519HkdfSha256 => X25519_LEN,
        }
    }
    pub const fn ciphertext_len(&self) -> usize {
        match self.kem {
            Kem::Hybrid(ref h) => h.mlkem.ciphertext_len() + h.group.element_len(),
            Kem::MlKem(set) => set.ciphertext_len(),
            Kem::DhKemX25519HkdfSha256 => X25519_LEN,
        }
    }
    /// Derandomised encapsulation input: ML-KEM m ‖ the ephemeral scalar's
    /// bytes (hybrids), m (ML-KEM), ikmE (DHKEM).
    pub const fn randomness_len(&self) -> usize {
        match self.kem {
            Kem::Hybrid(ref h) => MLKEM_RANDOMNESS_LEN + h.group_randomness_len,
            Kem::MlKem(_) => MLKEM_RANDOMNESS_LEN,
            Kem::DhKemX25519HkdfSha256 => X25519_LEN,
        }
    }
}

const KS768: &[u8] = b"KitchenSink-KEM(ML-KEM-768,X25519)-XOF(SHAKE256)-KDF(HKDF-SHA-256)";
const KS1024: &[u8] = b"KitchenSink-KEM(ML-KEM-1024,X25519)-XOF(SHAKE256)-KDF(HKDF-SHA-512)";

/// Every suite, in the order of spec/WIRE-FORMAT.md §1.
pub static SUITES: [Suite; 10] = [
    // The label is the construction name itself (KitchenSink).
    Suite {
        id: 0xff01,
        name: "X25519-MLKEM768",
        kem: Kem::Hybrid(Hybrid {
            mlkem: MlKem::MlKem768,
            group: Group::X25519,
            derivation: ScalarDerivation::SeedIsScalar,
            combiner: Combiner::KitchenSinkHkdfSha256,
            label: KS768,
            group_seed_len: 32,
            group_randomness_len: 32,
        }),
    },
    Suite {
        id: 0xff02,
        name: "X25519-MLKEM1024",
        kem: Kem::Hybrid(Hybrid {
            mlkem: MlKem::MlKem1024,
            group: Group::X25519,
            derivation: ScalarDerivation::SeedIsScalar,
            combiner: Combiner::KitchenSinkHkdfSha512,
            label: KS1024,
            group_seed_len: 32,
            group_randomness_len: 32,
        }),
    },
    // draft-connolly-cfrg-xwing-kem-10 §5.3: the label is "\.//^\".
    Suite {
        id: 0x647a,
        name: "X-Wing",
        kem: Kem::Hybrid(Hybrid {
            mlkem: MlKem::MlKem768,
            group: Group::X25519,
            derivation: ScalarDerivation::SeedIsScalar,
            combiner: Combiner::CgSha3_256,
            label: b"\\.//^\\",
            group_seed_len: 32,
            group_randomness_len: 32,
        }),
    },
    // concrete-hybrid-kems vectors (commit 0114ace): label "|-()-|", Nseed = Nscalar.
    Suite {
        id: 0xff03,
        name: "MLKEM768-P256",
        kem: Kem::Hybrid(Hybrid {
            mlkem: MlKem::MlKem768,
            group: Group::P256,
            derivation: ScalarDerivation::NestedShake,
            combiner: Combiner::CgSha3_256,
            label: b"|-()-|",
            group_seed_len: 32,
            group_randomness_len: 32,
        }),
    },
    Suite {
        id: 0xff04,
        name: "MLKEM1024-P384",
        kem: Kem::Hybrid(Hybrid {
            mlkem: MlKem::MlKem1024,
            group: Group::P384,
            derivation: ScalarDerivation::NestedShake,
            combiner: Combiner::CgSha3_256,
            label: b" | /-\\",
            group_seed_len: 48,
            group_randomness_len: 48,
        }),
    },
    // draft-ietf-hpke-pq-04 / Go 1.26 crypto/hpke: 16 scalar windows of the
    // main stream at keygen; 3 (P-256) or 1 (P-384) windows of randomness.
    Suite {
        id: 0x0050,
        name: "HPKE-MLKEM768-P256",
        kem: Kem::Hybrid(Hybrid {
            mlkem: MlKem::MlKem768,
            group: Group::P256,
            derivation: ScalarDerivation::MainStream,
            combiner: Combiner::CgSha3_256,
            label: b"MLKEM768-P256",
            group_seed_len: 16 * 32,
            group_randomness_len: 3 * 32,
        }),
    },
    Suite {
        id: 0x0051,
        name: "HPKE-MLKEM1024-P384",
        kem: Kem::Hybrid(Hybrid {
            mlkem: MlKem::MlKem1024,
            group: Group::P384,
            derivation: ScalarDerivation::MainStream,
            combiner: Combiner::CgSha3_256,
            label: b"MLKEM1024-P384",
            group_seed_len: 16 * 48,
            group_randomness_len: 48,
        }),
    },
    // spec/WIRE-FORMAT.md §1.4: the single-algorithm suites, with their HPKE KEM ids.
    Suite { id: 0x0041, name: "ML-KEM-768", kem: Kem::MlKem(MlKem::MlKem768) },
    Suite { id: 0x0042, name: "ML-KEM-1024", kem: Kem::MlKem(MlKem::MlKem1024) },
    Suite { id: 0x0020, name: "DHKEM-X25519-HKDF-SHA256", kem: Kem::DhKemX25519HkdfSha256 },
];

/// The suite with this wire id.
pub fn suite(id: u16) -> Option<&'static Suite> {
    SUITES.iter().find(|s| s.id == id)
}
