//! inet and cidr as PostgreSQL prints them.

use super::*;

/// `inet` / `cidr` binary form (family, bits, is_cidr, length, address) as PostgreSQL prints it:
/// inet shows `/bits` only when narrower than the address, cidr always.
pub fn inet_text(raw: &[u8]) -> Result<String, DecodeError> {
    let [family, bits, is_cidr, len] = fixed::<4>(raw.get(..4).ok_or("short inet")?)?;
    let addr = &raw[4..];
    if addr.len() != usize::from(len) {
        return Err("inet length");
    }
    let (mut s, width) = match (family, addr.len()) {
        (2, 4) => (ipv4_text(addr), 32),
        (3, 16) => (ipv6_text(addr), 128),
        _ => return Err("inet family"),
    };
    if is_cidr != 0 || bits != width {
        let _ = write!(s, "/{bits}");
    }
    Ok(s)
}

pub(super) fn ipv4_text(addr: &[u8]) -> String {
    format!("{}.{}.{}.{}", addr[0], addr[1], addr[2], addr[3])
}

/// PostgreSQL's `inet_net_ntop_ipv6` (from BIND): the longest run of ≥ 2 zero words becomes
/// `::` (first one on ties) and `::a.b.c.d` / `::ffff:a.b.c.d` keep a dotted IPv4 tail.
pub(super) fn ipv6_text(addr: &[u8]) -> String {
    let words: Vec<u16> = addr
        .chunks(2)
        .map(|c| u16::from_be_bytes([c[0], c[1]]))
        .collect();
    // Zero runs as (first word, length).
    let mut best: Option<(usize, usize)> = None;
    let mut cur: Option<(usize, usize)> = None;
    for (i, w) in words.iter().enumerate() {
        if *w == 0 {
            cur = Some(cur.map_or((i, 1), |(b, l)| (b, l + 1)));
        } else if let Some(run) = cur.take() {
            if best.is_none_or(|b| run.1 > b.1) {
                best = Some(run);
            }
        }
    }
    if let Some(run) = cur {
        if best.is_none_or(|b| run.1 > b.1) {
            best = Some(run);
        }
    }
    let best = best.filter(|b| b.1 >= 2);
    let mut s = String::new();
    for (i, w) in words.iter().enumerate() {
        if let Some((base, len)) = best {
            if i >= base && i < base + len {
                if i == base {
                    s.push(':');
                }
                continue;
            }
        }
        if i != 0 {
            s.push(':');
        }
        if i == 6 && (best == Some((0, 6)) || best == Some((0, 5)) && words[5] == 0xffff) {
            s.push_str(&ipv4_text(&addr[12..]));
            break;
        }
        let _ = write!(s, "{w:x}");
    }
    if best.is_some_and(|(base, len)| base + len == 8) {
        s.push(':');
    }
    s
}
