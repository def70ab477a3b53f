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

/// One hybrid suite. Frozen: every value is a compile-time constant.
#[derive(Debug, PartialEq, Eq)]
pub struct Suite {
    /// 16-bit id used on the wire (the HPKE KEM id where one is registered).
    pub id: u16,
    pub name: &'static str,
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

/// Every private key is a 32-byte seed (spec/WIRE-FORMAT.md §1.1).
pub const SEED_LEN: usize = 32;
/// Every suite's shared secret is 32 bytes.
pub const SHARED_SECRET_LEN: usize = 32;
/// ML-KEM's derandomised encapsulation input `m` (FIPS 203 §6.2).
pub const MLKEM_RANDOMNESS_LEN: usize = 32;
/// ML-KEM's KeyGen_internal input d ‖ z (FIPS 203 §6.1).
pub const MLKEM_SEED_LEN: usize = 64;

impl Suite {
    pub const fn public_key_len(&self) -> usize {
        self.mlkem.public_key_len() + self.group.element_len()
    }
    pub const fn ciphertext_len(&self) -> usize {
        self.mlkem.ciphertext_len() + self.group.element_len()
    }
    /// Derandomised encapsulation input: ML-KEM m ‖ the ephemeral scalar's bytes.
    pub const fn randomness_len(&self) -> usize {
        MLKEM_RANDOMNESS_LEN + self.group_randomness_len
    }
}

const KS768: &[u8] = b"KitchenSink-KEM(ML-KEM-768,X25519)-XOF(SHAKE256)-KDF(HKDF-SHA-256)";
const KS1024: &[u8] = b"KitchenSink-KEM(ML-KEM-1024,X25519)-XOF(SHAKE256)-KDF(HKDF-SHA-512)";

/// Every suite, in the order of spec/WIRE-FORMAT.md §1.
pub static SUITES: [Suite; 7] = [
    // The label is the construction name itself (KitchenSink).
    Suite {
        id: 0xff01,
        name: "X25519-MLKEM768",
        mlkem: MlKem::MlKem768,
        group: Group::X25519,
        derivation: ScalarDerivation::SeedIsScalar,
        combiner: Combiner::KitchenSinkHkdfSha256,
        label: KS768,
        group_seed_len: 32,
        group_randomness_len: 32,
    },
    Suite {
        id: 0xff02,
        name: "X25519-MLKEM1024",
        mlkem: MlKem::MlKem1024,
        group: Group::X25519,
        derivation: ScalarDerivation::SeedIsScalar,
        combiner: Combiner::KitchenSinkHkdfSha512,
        label: KS1024,
        group_seed_len: 32,
        group_randomness_len: 32,
    },
    // draft-connolly-cfrg-xwing-kem-10 §5.3: the label is "\.//^\".
    Suite {
        id: 0x647a,
        name: "X-Wing",
        mlkem: MlKem::MlKem768,
        group: Group::X25519,
        derivation: ScalarDerivation::SeedIsScalar,
        combiner: Combiner::CgSha3_256,
        label: b"\\.//^\\",
        group_seed_len: 32,
        group_randomness_len: 32,
    },
    // concrete-hybrid-kems vectors (commit 0114ace): label "|-()-|", Nseed = Nscalar.
    Suite {
        id: 0xff03,
        name: "MLKEM768-P256",
        mlkem: MlKem::MlKem768,
        group: Group::P256,
        derivation: ScalarDerivation::NestedShake,
        combiner: Combiner::CgSha3_256,
        label: b"|-()-|",
        group_seed_len: 32,
        group_randomness_len: 32,
    },
    Suite {
        id: 0xff04,
        name: "MLKEM1024-P384",
        mlkem: MlKem::MlKem1024,
        group: Group::P384,
        derivation: ScalarDerivation::NestedShake,
        combiner: Combiner::CgSha3_256,
        label: b" | /-\\",
        group_seed_len: 48,
        group_randomness_len: 48,
    },
    // draft-ietf-hpke-pq-04 / Go 1.26 crypto/hpke: 16 scalar windows of the
    // main stream at keygen; 3 (P-256) or 1 (P-384) windows of randomness.
    Suite {
        id: 0x0050,
        name: "HPKE-MLKEM768-P256",
        mlkem: MlKem::MlKem768,
        group: Group::P256,
        derivation: ScalarDerivation::MainStream,
        combiner: Combiner::CgSha3_256,
        label: b"MLKEM768-P256",
        group_seed_len: 16 * 32,
        group_randomness_len: 3 * 32,
    },
    Suite {
        id: 0x0051,
        name: "HPKE-MLKEM1024-P384",
        mlkem: MlKem::MlKem1024,
        group: Group::P384,
        derivation: ScalarDerivation::MainStream,
        combiner: Combiner::CgSha3_256,
        label: b"MLKEM1024-P384",
        group_seed_len: 16 * 48,
        group_randomness_len: 48,
    },
];

/// The suite with this wire id.
pub fn suite(id: u16) -> Option<&'static Suite> {
    SUITES.iter().find(|s| s.id == id)
}
