//! The bytes of one decoded cell: a scalar's few bytes inline, anything longer in its own
//! buffer. A 1,000-row load of integer columns otherwise allocates (and frees) a buffer of
//! 4 or 8 bytes per integer value.

/// See the module documentation.
#[derive(Clone)]
pub(crate) enum CellBytes {
    /// Up to [`INLINE`] bytes.
    Inline { len: u8, buf: [u8; INLINE] },
    /// A longer value (text, bytea, numeric, arrays, …): the decoded buffer, moved in.
    Heap(Vec<u8>),
}

/// The widest value kept inline: an 8-byte integer or float.
pub(crate) const INLINE: usize = 8;

impl CellBytes {
    /// `bytes` (at most [`INLINE`] of them) inline.
    pub fn inline<const N: usize>(bytes: [u8; N]) -> CellBytes {
        const { assert!(N <= INLINE) };
        let mut buf = [0; INLINE];
        buf[..N].copy_from_slice(&bytes);
        CellBytes::Inline { len: N as u8, buf }
    }

    pub fn as_slice(&self) -> &[u8] {
        match self {
            CellBytes::Inline { len, buf } => &buf[..usize::from(*len)],
            CellBytes::Heap(v) => v,
        }
    }
}

impl From<Vec<u8>> for CellBytes {
    fn from(v: Vec<u8>) -> Self {
        CellBytes::Heap(v)
    }
}

impl std::fmt::Debug for CellBytes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.as_slice().fmt(f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_and_heap_bytes_read_the_same() {
        assert_eq!(
            CellBytes::inline(7i32.to_be_bytes()).as_slice(),
            &[0, 0, 0, 7]
        );
        assert_eq!(CellBytes::inline([1u8]).as_slice(), &[1]);
        assert_eq!(
            CellBytes::inline(u64::MAX.to_le_bytes()).as_slice(),
            &[255; 8]
        );
        assert_eq!(CellBytes::from(b"text".to_vec()).as_slice(), b"text");
        assert_eq!(format!("{:?}", CellBytes::inline([1u8, 2])), "[1, 2]");
    }
}
