//! inet / cidr, macaddr / macaddr8 and pg_lsn.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use super::Reader;
use crate::codec::CodecError;

/// inet / cidr text → binary (family 2 | 3, bits, is_cidr, length, address).
pub(super) fn parse_inet(s: &str, cidr: bool) -> Result<Vec<u8>, &'static str> {
    let s = s.trim();
    let (addr, bits) = match s.split_once('/') {
        Some((a, b)) => (a, Some(b.parse::<u8>().map_err(|_| "bad prefix length")?)),
        None => (s, None),
    };
    let addr: IpAddr = addr.parse().map_err(|_| "not an IP address")?;
    let (family, width, octets) = match addr {
        IpAddr::V4(a) => (2u8, 32u8, a.octets().to_vec()),
        IpAddr::V6(a) => (3u8, 128u8, a.octets().to_vec()),
    };
    let bits = bits.unwrap_or(width);
    if bits > width {
        return Err("prefix length too long");
    }
    let mut v = vec![family, bits, u8::from(cidr), octets.len() as u8];
    v.extend_from_slice(&octets);
    Ok(v)
}

/// inet / cidr binary (family 2 | 3, bits, is_cidr, address length, address) as `addr/bits`.
pub(super) fn inet_text(bytes: &[u8], name: &str) -> Result<String, CodecError> {
    let mut r = Reader::new(bytes, name);
    let (family, bits, _is_cidr, len) = (r.u8()?, r.u8()?, r.u8()?, r.u8()?);
    let addr = r.take(usize::from(len))?;
    r.finish()?;
    let (text, width) = match (family, addr) {
        (2, &[a, b, c, d]) => (Ipv4Addr::new(a, b, c, d).to_string(), 32),
        (3, addr) if addr.len() == 16 => {
            let mut octets = [0u8; 16];
            octets.copy_from_slice(addr);
            (Ipv6Addr::from(octets).to_string(), 128)
        }
        _ => {
            return Err(CodecError::bind(format!(
                "malformed {name} value: address family {family}"
            )))
        }
    };
    if bits > width {
        return Err(CodecError::bind(format!("malformed {name} value: /{bits}")));
    }
    Ok(format!("{text}/{bits}"))
}

pub(super) fn parse_mac(s: &str, len: usize) -> Option<Vec<u8>> {
    let parts: Vec<&str> = s.trim().split([':', '-']).collect();
    if parts.len() != len || parts.iter().any(|p| p.len() != 2) {
        return None;
    }
    parts
        .iter()
        .map(|p| u8::from_str_radix(p, 16).ok())
        .collect()
}

pub(super) fn mac_text(bytes: &[u8]) -> String {
    let parts: Vec<String> = bytes.iter().map(|b| format!("{b:02x}")).collect();
    parts.join(":")
}

pub(super) fn parse_lsn(s: &str) -> Option<u64> {
    let (hi, lo) = s.trim().split_once('/')?;
    let hi = u32::from_str_radix(hi, 16).ok()?;
    let lo = u32::from_str_radix(lo, 16).ok()?;
    Some(u64::from(hi) << 32 | u64::from(lo))
}

/// `pg_lsn`: `X/X`, the high and low 32 bits in hex.
pub(super) fn lsn_text(lsn: u64) -> String {
    format!("{:X}/{:X}", lsn >> 32, lsn & 0xFFFF_FFFF)
}

#[cfg(test)]
mod tests;
