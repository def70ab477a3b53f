//! The channel's typed errors: one per code of spec/TRANSPORT.md §6.6, each
//! mapped to the C ABI status of the same name (spec/WIRE-FORMAT.md §9).
//! They carry no bytes at all, so no key, secret or plaintext can leak
//! through one.
use core::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChannelError {
    /// No common parameters, a refusal, a pattern not accepted, a malformed
    /// offer or choice, a choice not in our offer, a configuration this build
    /// cannot run.
    Negotiation,
    /// A handshake message failed to authenticate or has the wrong length.
    Handshake,
    /// The peer's static key is not the one pinned for its suite.
    PeerKey,
    /// A transport message failed to authenticate.
    Decrypt,
    /// The byte stream ended inside a frame, before the handshake completed,
    /// or without the peer's close.
    Truncated,
    /// A body over 65535 bytes, a non-empty handshake payload, an unknown
    /// transport type, data on a rekey/close, a frame after close.
    Protocol,
    /// Use of a closed or failed channel.
    Closed,
}

impl ChannelError {
    /// The stable code (`ERR_CHANNEL_*`), the same in every language.
    pub const fn code(self) -> &'static str {
        match self {
            ChannelError::Negotiation => "ERR_CHANNEL_NEGOTIATION",
            ChannelError::Handshake => "ERR_CHANNEL_HANDSHAKE",
            ChannelError::PeerKey => "ERR_CHANNEL_PEER_KEY",
            ChannelError::Decrypt => "ERR_CHANNEL_DECRYPT",
            ChannelError::Truncated => "ERR_CHANNEL_TRUNCATED",
            ChannelError::Protocol => "ERR_CHANNEL_PROTOCOL",
            ChannelError::Closed => "ERR_CHANNEL_CLOSED",
        }
    }
}

impl fmt::Display for ChannelError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl std::error::Error for ChannelError {}

impl From<ChannelError> for crate::ffi::Status {
    fn from(e: ChannelError) -> Self {
        use crate::ffi::Status;
        match e {
            ChannelError::Negotiation => Status::ChannelNegotiation,
            ChannelError::Handshake => Status::ChannelHandshake,
            ChannelError::PeerKey => Status::ChannelPeerKey,
            ChannelError::Decrypt => Status::ChannelDecrypt,
            ChannelError::Truncated => Status::ChannelTruncated,
            ChannelError::Protocol => Status::ChannelProtocol,
            ChannelError::Closed => Status::ChannelClosed,
        }
    }
}
