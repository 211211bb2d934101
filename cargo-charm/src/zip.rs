//! A minimal, deterministic zip writer and a small reader.
//!
//! The writer stores entries uncompressed (method 0) with a fixed timestamp
//! (1980-01-01 00:00, the DOS epoch), in the order given, "version made by" = Unix and the
//! Unix mode in the high 16 bits of the external attributes, which is what Juju's
//! extractor (`juju/utils/zip`) reads to keep `dispatch` executable. Same entries in, same
//! bytes out.
//!
//! The reader handles what `.charm` files contain: stored and deflated entries (a charm
//! packed by charmcraft is deflated), Unix modes and symlinks. No zip64, no encryption.

use std::fmt;

/// CRC-32 (IEEE 802.3, reflected, polynomial 0xEDB88320), as zip uses it.
pub fn crc32(data: &[u8]) -> u32 {
    const fn table() -> [u32; 256] {
        let mut t = [0u32; 256];
        let mut i = 0;
        while i < 256 {
            let mut c = i as u32;
            let mut k = 0;
            while k < 8 {
                c = if c & 1 != 0 {
                    0xEDB8_8320 ^ (c >> 1)
                } else {
                    c >> 1
                };
                k += 1;
            }
            t[i] = c;
            i += 1;
        }
        t
    }
    static TABLE: [u32; 256] = table();
    let mut crc = 0xFFFF_FFFFu32;
    for &b in data {
        crc = TABLE[((crc ^ b as u32) & 0xFF) as usize] ^ (crc >> 8);
    }
    crc ^ 0xFFFF_FFFF
}

/// Unix file-type bits.
const S_IFREG: u32 = 0o100_000;
const S_IFLNK: u32 = 0o120_000;
const S_IFMT: u32 = 0o170_000;

/// One entry of an archive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Path inside the archive, `/`-separated.
    pub name: String,
    /// Permission bits (e.g. `0o755`).
    pub mode: u32,
    /// True for a symlink (`data` is the target).
    pub symlink: bool,
    /// The contents.
    pub data: Vec<u8>,
}

impl Entry {
    /// A regular file.
    pub fn file(name: &str, mode: u32, data: Vec<u8>) -> Entry {
        Entry {
            name: name.to_string(),
            mode,
            symlink: false,
            data,
        }
    }
}

/// DOS date of 1980-01-01 (day 1, month 1, year 0); time 00:00:00 is 0.
const DOS_DATE: u16 = (1 << 5) | 1;
const DOS_TIME: u16 = 0;
/// "Version made by": high byte 3 = Unix, low byte 20 = zip spec 2.0.
const MADE_BY_UNIX: u16 = (3 << 8) | 20;
/// "Version needed to extract": 1.0 (stored entries, nothing special).
const NEEDED: u16 = 10;

fn put16(out: &mut Vec<u8>, v: u16) {
    out.extend_from_slice(&v.to_le_bytes());
}

fn put32(out: &mut Vec<u8>, v: u32) {
    out.extend_from_slice(&v.to_le_bytes());
}

/// Writes `entries`, in the order given, as a zip archive.
///
/// Fails if an entry or the archive is too large for a non-zip64 archive (4 GiB) or a
/// name is too long.
pub fn write(entries: &[Entry]) -> Result<Vec<u8>, ZipError> {
    let mut out = Vec::new();
    let mut central = Vec::new();
    for e in entries {
        let name = e.name.as_bytes();
        let size = u32::try_from(e.data.len())
            .map_err(|_| ZipError(format!("{}: larger than 4 GiB", e.name)))?;
        let name_len = u16::try_from(name.len())
            .map_err(|_| ZipError(format!("{}: name too long", e.name)))?;
        let offset =
            u32::try_from(out.len()).map_err(|_| ZipError("archive larger than 4 GiB".into()))?;
        let crc = crc32(&e.data);
        // Bit 11: the name is UTF-8 (only needed when it is not ASCII).
        let flags: u16 = if e.name.is_ascii() { 0 } else { 1 << 11 };
        let kind = if e.symlink { S_IFLNK } else { S_IFREG };

        put32(&mut out, 0x0403_4b50);
        put16(&mut out, NEEDED);
        put16(&mut out, flags);
        put16(&mut out, 0); // stored
        put16(&mut out, DOS_TIME);
        put16(&mut out, DOS_DATE);
        put32(&mut out, crc);
        put32(&mut out, size);
        put32(&mut out, size);
        put16(&mut out, name_len);
        put16(&mut out, 0); // extra
        out.extend_from_slice(name);
        out.extend_from_slice(&e.data);

        put32(&mut central, 0x0201_4b50);
        put16(&mut central, MADE_BY_UNIX);
        put16(&mut central, NEEDED);
        put16(&mut central, flags);
        put16(&mut central, 0);
        put16(&mut central, DOS_TIME);
        put16(&mut central, DOS_DATE);
        put32(&mut central, crc);
        put32(&mut central, size);
        put32(&mut central, size);
        put16(&mut central, name_len);
        put16(&mut central, 0); // extra
        put16(&mut central, 0); // comment
        put16(&mut central, 0); // disk
        put16(&mut central, 0); // internal attributes
        put32(&mut central, (kind | (e.mode & 0o7777)) << 16);
        put32(&mut central, offset);
        central.extend_from_slice(name);
    }
    let count = u16::try_from(entries.len()).map_err(|_| ZipError("too many entries".into()))?;
    let cd_offset =
        u32::try_from(out.len()).map_err(|_| ZipError("archive larger than 4 GiB".into()))?;
    let cd_size = central.len() as u32;
    out.extend_from_slice(&central);
    put32(&mut out, 0x0605_4b50);
    put16(&mut out, 0);
    put16(&mut out, 0);
    put16(&mut out, count);
    put16(&mut out, count);
    put32(&mut out, cd_size);
    put32(&mut out, cd_offset);
    put16(&mut out, 0); // comment
    Ok(out)
}

/// A malformed or unsupported archive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ZipError(pub String);

impl fmt::Display for ZipError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

fn get16(b: &[u8], at: usize) -> Result<u16, ZipError> {
    b.get(at..at + 2)
        .map(|s| u16::from_le_bytes([s[0], s[1]]))
        .ok_or_else(|| ZipError("truncated archive".into()))
}

fn get32(b: &[u8], at: usize) -> Result<u32, ZipError> {
    b.get(at..at + 4)
        .map(|s| u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
        .ok_or_else(|| ZipError("truncated archive".into()))
}

/// Reads every entry of an archive (directories are left out), checking CRCs.
///
/// An entry without Unix attributes gets mode 0o644. Entries whose name is absolute or
/// contains `..` are refused.
pub fn read(bytes: &[u8]) -> Result<Vec<Entry>, ZipError> {
    if bytes.len() < 22 {
        return Err(ZipError("not a zip archive (too short)".into()));
    }
    // The end-of-central-directory record: the last 0x06054b50 within comment reach.
    let lowest = bytes.len().saturating_sub(22 + 0xFFFF);
    let eocd = (lowest..=bytes.len() - 22)
        .rev()
        .find(|&i| bytes[i..i + 4] == [0x50, 0x4b, 0x05, 0x06])
        .ok_or_else(|| ZipError("not a zip archive (no end of central directory)".into()))?;
    let count = get16(bytes, eocd + 10)? as usize;
    let mut at = get32(bytes, eocd + 16)? as usize;
    let mut entries = Vec::with_capacity(count);
    for _ in 0..count {
        if get32(bytes, at)? != 0x0201_4b50 {
            return Err(ZipError("corrupt central directory".into()));
        }
        let made_by = get16(bytes, at + 4)?;
        let flags = get16(bytes, at + 8)?;
        let method = get16(bytes, at + 10)?;
        let crc = get32(bytes, at + 16)?;
        let csize = get32(bytes, at + 20)? as usize;
        let usize_ = get32(bytes, at + 24)? as usize;
        let name_len = get16(bytes, at + 28)? as usize;
        let extra_len = get16(bytes, at + 30)? as usize;
        let comment_len = get16(bytes, at + 32)? as usize;
        let external = get32(bytes, at + 38)?;
        let local = get32(bytes, at + 42)? as usize;
        let name_bytes = bytes
            .get(at + 46..at + 46 + name_len)
            .ok_or_else(|| ZipError("truncated central directory".into()))?;
        let name = String::from_utf8_lossy(name_bytes).into_owned();
        at += 46 + name_len + extra_len + comment_len;
        if flags & 1 != 0 {
            return Err(ZipError(format!(
                "{name}: encrypted entries are not supported"
            )));
        }
        if name.ends_with('/') {
            continue;
        }
        if name.starts_with('/') || name.split('/').any(|c| c == "..") {
            return Err(ZipError(format!("{name}: unsafe path")));
        }
        if get32(bytes, local)? != 0x0403_4b50 {
            return Err(ZipError(format!("{name}: corrupt local header")));
        }
        let data_at =
            local + 30 + get16(bytes, local + 26)? as usize + get16(bytes, local + 28)? as usize;
        let raw = bytes
            .get(data_at..data_at + csize)
            .ok_or_else(|| ZipError(format!("{name}: truncated data")))?;
        let data = match method {
            0 => raw.to_vec(),
            8 => inflate(raw).map_err(|e| ZipError(format!("{name}: {e}")))?,
            m => {
                return Err(ZipError(format!(
                    "{name}: compression method {m} not supported"
                )))
            }
        };
        if data.len() != usize_ || crc32(&data) != crc {
            return Err(ZipError(format!("{name}: CRC or size mismatch")));
        }
        let unix = made_by >> 8 == 3 && external >> 16 != 0;
        let (mode, symlink) = if unix {
            let m = external >> 16;
            (m & 0o7777, m & S_IFMT == S_IFLNK)
        } else {
            (0o644, false)
        };
        entries.push(Entry {
            name,
            mode,
            symlink,
            data,
        });
    }
    Ok(entries)
}

/// Raw DEFLATE (RFC 1951) decoder, after zlib's `puff.c`.
pub fn inflate(input: &[u8]) -> Result<Vec<u8>, String> {
    let mut s = Inflater {
        input,
        pos: 0,
        bitbuf: 0,
        bitcnt: 0,
        out: Vec::new(),
    };
    loop {
        let last = s.bits(1)?;
        match s.bits(2)? {
            0 => s.stored()?,
            1 => {
                let (lit, dist) = fixed_tables();
                s.codes(&lit, &dist)?
            }
            2 => s.dynamic()?,
            _ => return Err("invalid deflate block type".into()),
        }
        if last == 1 {
            return Ok(s.out);
        }
    }
}

struct Huffman {
    count: [u16; 16],
    symbol: Vec<u16>,
}

impl Huffman {
    fn new(lengths: &[u8]) -> Result<Huffman, String> {
        let mut count = [0u16; 16];
        for &l in lengths {
            count[l as usize] += 1;
        }
        let mut left: i32 = 1;
        for &c in &count[1..] {
            left = (left << 1) - c as i32;
            if left < 0 {
                return Err("over-subscribed Huffman code".into());
            }
        }
        let mut offs = [0u16; 16];
        for len in 1..15 {
            offs[len + 1] = offs[len] + count[len];
        }
        let mut symbol = vec![0u16; lengths.len()];
        for (sym, &l) in lengths.iter().enumerate() {
            if l != 0 {
                symbol[offs[l as usize] as usize] = sym as u16;
                offs[l as usize] += 1;
            }
        }
        Ok(Huffman { count, symbol })
    }
}

fn fixed_tables() -> (Huffman, Huffman) {
    let mut l = [0u8; 288];
    l[..144].fill(8);
    l[144..256].fill(9);
    l[256..280].fill(7);
    l[280..].fill(8);
    let d = [5u8; 30];
    (
        Huffman::new(&l).expect("fixed table"),
        Huffman::new(&d).expect("fixed table"),
    )
}

struct Inflater<'a> {
    input: &'a [u8],
    pos: usize,
    bitbuf: u32,
    bitcnt: u32,
    out: Vec<u8>,
}

const LEN_BASE: [u16; 29] = [
    3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131,
    163, 195, 227, 258,
];
const LEN_EXTRA: [u8; 29] = [
    0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0,
];
const DIST_BASE: [u16; 30] = [
    1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537,
    2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577,
];
const DIST_EXTRA: [u8; 30] = [
    0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13,
    13,
];

impl Inflater<'_> {
    fn bits(&mut self, need: u32) -> Result<u32, String> {
        let mut val = self.bitbuf;
        while self.bitcnt < need {
            let byte = *self.input.get(self.pos).ok_or("deflate data ends early")?;
            self.pos += 1;
            val |= (byte as u32) << self.bitcnt;
            self.bitcnt += 8;
        }
        self.bitbuf = if need == 32 { 0 } else { val >> need };
        self.bitcnt -= need;
        Ok(val & ((1u64 << need) - 1) as u32)
    }

    fn stored(&mut self) -> Result<(), String> {
        self.bitbuf = 0;
        self.bitcnt = 0;
        let hdr = self
            .input
            .get(self.pos..self.pos + 4)
            .ok_or("deflate data ends early")?;
        let len = u16::from_le_bytes([hdr[0], hdr[1]]);
        let nlen = u16::from_le_bytes([hdr[2], hdr[3]]);
        if len != !nlen {
            return Err("stored block length check failed".into());
        }
        self.pos += 4;
        let data = self
            .input
            .get(self.pos..self.pos + len as usize)
            .ok_or("deflate data ends early")?;
        self.out.extend_from_slice(data);
        self.pos += len as usize;
        Ok(())
    }

    fn decode(&mut self, h: &Huffman) -> Result<u16, String> {
        let (mut code, mut first, mut index) = (0i32, 0i32, 0i32);
        for len in 1..16 {
            code |= self.bits(1)? as i32;
            let count = h.count[len] as i32;
            if code - count < first {
                return Ok(h.symbol[(index + (code - first)) as usize]);
            }
            index += count;
            first += count;
            first <<= 1;
            code <<= 1;
        }
        Err("invalid Huffman code".into())
    }

    fn codes(&mut self, lit: &Huffman, dist: &Huffman) -> Result<(), String> {
        loop {
            let sym = self.decode(lit)?;
            if sym < 256 {
                self.out.push(sym as u8);
            } else if sym == 256 {
                return Ok(());
            } else {
                let i = (sym - 257) as usize;
                if i >= 29 {
                    return Err("invalid length symbol".into());
                }
                let len = LEN_BASE[i] as usize + self.bits(LEN_EXTRA[i] as u32)? as usize;
                let d = self.decode(dist)? as usize;
                if d >= 30 {
                    return Err("invalid distance symbol".into());
                }
                let back = DIST_BASE[d] as usize + self.bits(DIST_EXTRA[d] as u32)? as usize;
                if back > self.out.len() {
                    return Err("distance too far back".into());
                }
                let start = self.out.len() - back;
                for k in 0..len {
                    let b = self.out[start + k];
                    self.out.push(b);
                }
            }
        }
    }

    fn dynamic(&mut self) -> Result<(), String> {
        const ORDER: [usize; 19] = [
            16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15,
        ];
        let nlen = self.bits(5)? as usize + 257;
        let ndist = self.bits(5)? as usize + 1;
        let ncode = self.bits(4)? as usize + 4;
        if nlen > 286 || ndist > 30 {
            return Err("bad dynamic block counts".into());
        }
        let mut lengths = [0u8; 320];
        for &o in ORDER.iter().take(ncode) {
            lengths[o] = self.bits(3)? as u8;
        }
        let lencode = Huffman::new(&lengths[..19])?;
        let mut index = 0;
        while index < nlen + ndist {
            let sym = self.decode(&lencode)?;
            if sym < 16 {
                lengths[index] = sym as u8;
                index += 1;
            } else {
                let (val, rep) = match sym {
                    16 => {
                        if index == 0 {
                            return Err("repeat with no first length".into());
                        }
                        (lengths[index - 1], 3 + self.bits(2)? as usize)
                    }
                    17 => (0, 3 + self.bits(3)? as usize),
                    _ => (0, 11 + self.bits(7)? as usize),
                };
                if index + rep > nlen + ndist {
                    return Err("too many lengths".into());
                }
                lengths[index..index + rep].fill(val);
                index += rep;
            }
        }
        if lengths[256] == 0 {
            return Err("no end-of-block code".into());
        }
        let lit = Huffman::new(&lengths[..nlen])?;
        let dist = Huffman::new(&lengths[nlen..nlen + ndist])?;
        self.codes(&lit, &dist)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc_of_check_string() {
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
        assert_eq!(crc32(b""), 0);
    }

    #[test]
    fn round_trip_keeps_modes_and_is_deterministic() {
        let entries = vec![
            Entry::file("dispatch", 0o755, b"\x7fELF...".to_vec()),
            Entry::file("metadata.yaml", 0o644, b"name: x\n".to_vec()),
            Entry {
                name: "hooks/install".into(),
                mode: 0o777,
                symlink: true,
                data: b"../dispatch".to_vec(),
            },
        ];
        let a = write(&entries).unwrap();
        let b = write(&entries).unwrap();
        assert_eq!(a, b);
        assert_eq!(read(&a).unwrap(), entries);
    }

    #[test]
    fn inflates_fixed_and_dynamic_blocks() {
        // `printf 'hello hello hello hello\n' | python3 -c 'import zlib,sys; ...'` (raw deflate).
        let fixed = [
            0xcb, 0x48, 0xcd, 0xc9, 0xc9, 0x57, 0xc8, 0x40, 0x27, 0xb9, 0x00,
        ];
        assert_eq!(inflate(&fixed).unwrap(), b"hello hello hello hello\n");
        // A stored block.
        let stored = [0x01, 0x03, 0x00, 0xfc, 0xff, b'a', b'b', b'c'];
        assert_eq!(inflate(&stored).unwrap(), b"abc");
    }
}
