//! Compression of bytes held in memory (zstd, behind this module): a build's entry texts from
//! loading until they are rendered, and the preview's served files.
//!
//! Each thread keeps one compression and one decompression context, so the tens of thousands
//! of small frames a build packs do not each allocate and free a context.

use std::cell::RefCell;

/// zstd's fastest level: what is packed here is read back within the same process, once or a
/// few times, so speed matters more than the last bytes.
const LEVEL: i32 = 1;

thread_local! {
    static COMPRESSOR: RefCell<Option<zstd::bulk::Compressor<'static>>> = const { RefCell::new(None) };
    static DECOMPRESSOR: RefCell<Option<zstd::bulk::Decompressor<'static>>> = const { RefCell::new(None) };
}

/// `bytes` compressed, or `None` when the compressor fails (it does not on bytes in memory,
/// short of running out of it).
pub fn compress(bytes: &[u8]) -> Option<Vec<u8>> {
    COMPRESSOR.with(|cell| {
        let mut cell = cell.borrow_mut();
        if cell.is_none() {
            *cell = Some(zstd::bulk::Compressor::new(LEVEL).ok()?);
        }
        cell.as_mut()?.compress(bytes).ok()
    })
}

/// The `len` bytes [`compress`] packed into `packed`; `None` when `packed` is not such a frame
/// or does not hold exactly `len` bytes.
pub fn decompress(packed: &[u8], len: usize) -> Option<Vec<u8>> {
    DECOMPRESSOR.with(|cell| {
        let mut cell = cell.borrow_mut();
        if cell.is_none() {
            *cell = Some(zstd::bulk::Decompressor::new().ok()?);
        }
        let plain = cell.as_mut()?.decompress(packed, len).ok()?;
        (plain.len() == len).then_some(plain)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_is_packed_comes_back_whole() {
        for text in [&b""[..], b"x", "Ünïcode 😀 ".repeat(500).as_bytes()] {
            let packed = compress(text).expect("compresses");
            assert_eq!(decompress(&packed, text.len()).as_deref(), Some(text));
        }
        let packed = compress(&b"a".repeat(4096)).unwrap();
        assert!(packed.len() < 100, "repeated bytes shrink: {}", packed.len());
    }

    #[test]
    fn a_wrong_length_or_a_foreign_frame_is_refused() {
        let packed = compress(b"hello, world").unwrap();
        assert_eq!(decompress(&packed, 5), None);
        assert_eq!(decompress(&packed, 50), None);
        assert_eq!(decompress(b"not a frame", 12), None);
    }
}
