//! channel-peer: the native (clatter) side of the Noise channel of
//! spec/TRANSPORT.md §6 on a loopback TCP socket, for the TypeScript ↔
//! clatter interop tests (packages/transport/test/channel-clatter.test.ts).
//! It generates its own static key for every suite it is given, prints it,
//! runs the handshake, echoes every byte of data it receives, and answers
//! the peer's close with its own. It is a test tool, not a service: one
//! connection, then it exits (0 after a clean close, 1 and the error's code
//! on stderr otherwise).
//!
//!   channel-peer (--listen 127.0.0.1:0 | --connect 127.0.0.1:PORT)
//!                --role initiator|responder --pattern pqNK|pqIK|pqXX
//!                --entry MODE,SUITE,CIPHER,HASH ...   (ids: 2,0x647a,1,1)
//!                [--remote SUITE,PUBLICKEYHEX ...] [--clatter-mlkem768]
//!
//! stdout, one line each: `static SUITE HEX` per suite (our public key),
//! `listening PORT` (with --listen), `established HASHHEX SUITE`.
use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::process::ExitCode;

use clatter::bytearray::ByteArray;
use clatter::traits::Kem;
use hybridkem_native::channel::{AwsLcRng, Channel, ChannelError, Config, Entry, MlKem768Impl, Pattern, StaticKey, SuiteKeys};

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

fn unhex(s: &str) -> Result<Vec<u8>, String> {
    if s.len() % 2 != 0 {
        return Err("odd hex length".into());
    }
    (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).map_err(|e| e.to_string())).collect()
}

fn num(s: &str) -> Result<u32, String> {
    match s.strip_prefix("0x") {
        Some(h) => u32::from_str_radix(h, 16),
        None => s.parse(),
    }
    .map_err(|e| format!("{s}: {e}"))
}

struct Args {
    listen: Option<String>,
    connect: Option<String>,
    initiator: bool,
    pattern: Pattern,
    entries: Vec<Entry>,
    remotes: Vec<(u16, Vec<u8>)>,
    clatter_mlkem768: bool,
}

fn parse() -> Result<Args, String> {
    let mut a = Args {
        listen: None,
        connect: None,
        initiator: true,
        pattern: Pattern::PqXx,
        entries: vec![],
        remotes: vec![],
        clatter_mlkem768: false,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut val = || it.next().ok_or(format!("{flag} needs a value"));
        match flag.as_str() {
            "--listen" => a.listen = Some(val()?),
            "--connect" => a.connect = Some(val()?),
            "--role" => a.initiator = val()? == "initiator",
            "--pattern" => {
                a.pattern = match val()?.as_str() {
                    "pqNK" => Pattern::PqNk,
                    "pqIK" => Pattern::PqIk,
                    "pqXX" => Pattern::PqXx,
                    p => return Err(format!("unknown pattern {p}")),
                }
            }
            "--entry" => {
                let v = val()?;
                let p: Vec<u32> = v.split(',').map(num).collect::<Result<_, _>>()?;
                let [m, s, c, h] = p[..] else { return Err(format!("--entry {v}: MODE,SUITE,CIPHER,HASH")) };
                a.entries.push(Entry::new(m as u8, s as u16, c as u8, h as u8));
            }
            "--remote" => {
                let v = val()?;
                let (s, k) = v.split_once(',').ok_or("--remote SUITE,HEX")?;
                a.remotes.push((num(s)? as u16, unhex(k)?));
            }
            "--clatter-mlkem768" => a.clatter_mlkem768 = true,
            f => return Err(format!("unknown flag {f}")),
        }
    }
    if a.listen.is_some() == a.connect.is_some() {
        return Err("exactly one of --listen, --connect".into());
    }
    Ok(a)
}

/// A fresh static key: the suite's seed and public key through clatter's Kem
/// trait (ours), or clatter's own RustCrypto ML-KEM-768.
fn static_key(suite: u16, clatter_mlkem768: bool) -> Result<StaticKey, String> {
    use hybridkem_native::channel::kem::*;
    fn gen<K: Kem>() -> Result<StaticKey, String> {
        let kp = K::genkey_rng(&mut AwsLcRng).map_err(|e| format!("keygen: {e}"))?;
        Ok(StaticKey { secret: kp.secret.as_slice().to_vec(), public: kp.public.as_slice().to_vec() })
    }
    match suite {
        0x0041 if clatter_mlkem768 => gen::<clatter::crypto::kem::rust_crypto_ml_kem::MlKem768>(),
        0x647a => gen::<XWing>(),
        0xff01 => gen::<X25519MlKem768>(),
        0xff02 => gen::<X25519MlKem1024>(),
        0xff03 => gen::<MlKem768P256>(),
        0xff04 => gen::<MlKem1024P384>(),
        0x0050 => gen::<HpkeMlKem768P256>(),
        0x0051 => gen::<HpkeMlKem1024P384>(),
        0x0041 => gen::<MlKem768>(),
        0x0042 => gen::<MlKem1024>(),
        0x0020 => gen::<DhKemX25519>(),
        s => Err(format!("unknown suite 0x{s:04x}")),
    }
}

enum Failure {
    Usage(String),
    Channel(ChannelError),
    Io(std::io::Error),
}

impl From<ChannelError> for Failure {
    fn from(e: ChannelError) -> Self {
        Failure::Channel(e)
    }
}
impl From<std::io::Error> for Failure {
    fn from(e: std::io::Error) -> Self {
        Failure::Io(e)
    }
}

fn flush(ch: &mut Channel<AwsLcRng>, sock: &mut TcpStream) -> std::io::Result<()> {
    let out = ch.take_all_output();
    if !out.is_empty() {
        sock.write_all(&out)?;
    }
    Ok(())
}

fn run() -> Result<(), Failure> {
    let a = parse().map_err(Failure::Usage)?;
    let mut cfg = Config::new(
        a.initiator,
        if a.initiator { vec![a.pattern] } else { vec![Pattern::PqNk, Pattern::PqIk, Pattern::PqXx] },
        a.entries.clone(),
    );
    if a.clatter_mlkem768 {
        cfg.mlkem768 = MlKem768Impl::Clatter;
    }
    let mut stdout = std::io::stdout();
    let mut suites: Vec<u16> = a.entries.iter().map(|e| e.suite).collect();
    suites.dedup();
    for suite in suites {
        let (own, _) = a.pattern.needs(a.initiator);
        let local = if own || !a.initiator {
            let k = static_key(suite, a.clatter_mlkem768).map_err(Failure::Usage)?;
            writeln!(stdout, "static 0x{suite:04x} {}", hex(&k.public))?;
            Some(k)
        } else {
            None
        };
        let remote = a.remotes.iter().find(|(s, _)| *s == suite).map(|(_, k)| k.clone());
        cfg.keys.push(SuiteKeys { suite, local, remote });
    }
    let mut sock = if let Some(addr) = &a.listen {
        let l = TcpListener::bind(addr)?;
        writeln!(stdout, "listening {}", l.local_addr()?.port())?;
        stdout.flush()?;
        l.accept()?.0
    } else {
        stdout.flush()?;
        TcpStream::connect(a.connect.as_deref().unwrap())?
    };
    sock.set_nodelay(true)?;
    let mut ch: Channel<AwsLcRng> = Channel::new(cfg)?;
    let mut announced = false;
    let mut buf = vec![0u8; 65536];
    let mut plain = vec![0u8; 65536];
    loop {
        flush(&mut ch, &mut sock)?;
        if !announced && ch.is_established() {
            announced = true;
            writeln!(stdout, "established {} 0x{:04x}", hex(ch.handshake_hash().unwrap()), ch.chosen().unwrap().suite)?;
            stdout.flush()?;
        }
        if ch.peer_closed() && ch.sent_close() {
            sock.shutdown(Shutdown::Write)?;
            // The peer's end of stream after both closes.
            let mut rest = Vec::new();
            let _ = sock.read_to_end(&mut rest);
            return if rest.is_empty() { Ok(ch.feed_end()?) } else { Err(Failure::Channel(ChannelError::Protocol)) };
        }
        let n = sock.read(&mut buf)?;
        if n == 0 {
            return Err(ch.feed_end().err().unwrap_or(ChannelError::Truncated).into());
        }
        let mut at = 0;
        while at < n {
            at += ch.feed(&buf[at..n])?;
            // Echo: every authenticated byte goes back.
            loop {
                let m = ch.read(&mut plain);
                if m == 0 {
                    break;
                }
                ch.write(&plain[..m])?;
            }
        }
        if ch.peer_closed() && !ch.sent_close() {
            ch.close()?;
        }
    }
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Usage(m)) => {
            eprintln!("channel-peer: {m}");
            ExitCode::from(2)
        }
        Err(Failure::Channel(e)) => {
            eprintln!("channel-peer: {}", e.code());
            ExitCode::from(1)
        }
        Err(Failure::Io(e)) => {
            eprintln!("channel-peer: io: {e}");
            ExitCode::from(1)
        }
    }
}
