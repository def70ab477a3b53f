use core::fmt;

/// What went wrong. Never carries secret bytes: fields are named, sizes given.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Error {
    /// No suite has this id.
    UnknownSuite(u16),
    /// An input or output buffer has the wrong size.
    InvalidLength { field: &'static str, expected: usize, actual: usize },
    /// The ML-KEM encapsulation key fails FIPS 203 §7.2's modulus check.
    InvalidPublicKey { field: &'static str },
    /// A traditional element is not on the curve, is low order, or gives the identity.
    InvalidGroupElement { field: &'static str },
    /// RandomScalar found no scalar in [1, n-1] in its windows.
    NoValidScalar { field: &'static str },
    /// The underlying library failed where it should not (allocation, RNG).
    Primitive(&'static str),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::UnknownSuite(id) => write!(f, "unknown suite id 0x{id:04x}"),
            Error::InvalidLength { field, expected, actual } => {
                write!(f, "{field}: expected {expected} bytes, got {actual}")
            }
            Error::InvalidPublicKey { field } => {
                write!(f, "{field}: ML-KEM encapsulation key fails the FIPS 203 modulus check")
            }
            Error::InvalidGroupElement { field } => write!(f, "{field}: invalid or low-order group element"),
            Error::NoValidScalar { field } => write!(f, "{field}: RandomScalar found no valid scalar"),
            Error::Primitive(what) => write!(f, "primitive failure: {what}"),
        }
    }
}

impl std::error::Error for Error {}

pub type Result<T> = core::result::Result<T, Error>;
