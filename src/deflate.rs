//! A small DEFLATE encoder (RFC 1951: one block of fixed Huffman codes, LZ77
//! with a hash chain over a 32 KiB window). Share links only need a good ratio
//! on JSON text, and this is far smaller in the wasm than a full compressor;
//! links are read back with `miniz_oxide`'s inflate.

/// Bits written least-significant first, as DEFLATE requires.
struct BitWriter {
    out: Vec<u8>,
    acc: u32,
    n: u32,
}

impl BitWriter {
    fn put(&mut self, value: u32, bits: u32) {
        self.acc |= value << self.n;
        self.n += bits;
        while self.n >= 8 {
            self.out.push(self.acc as u8);
            self.acc >>= 8;
            self.n -= 8;
        }
    }

    /// A Huffman code: written most-significant bit first.
    fn code(&mut self, code: u32, bits: u32) {
        let mut rev = 0;
        for i in 0..bits {
            rev |= ((code >> i) & 1) << (bits - 1 - i);
        }
        self.put(rev, bits);
    }

    fn finish(mut self) -> Vec<u8> {
        if self.n > 0 {
            self.out.push(self.acc as u8);
        }
        self.out
    }
}

/// Writes a literal/length symbol with the fixed code.
fn symbol(w: &mut BitWriter, s: u32) {
    match s {
        0..=143 => w.code(0x30 + s, 8),
        144..=255 => w.code(0x190 + s - 144, 9),
        256..=279 => w.code(s - 256, 7),
        _ => w.code(0xc0 + s - 280, 8),
    }
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

fn write_match(w: &mut BitWriter, len: usize, dist: usize) {
    let li = LEN_BASE
        .iter()
        .rposition(|&b| usize::from(b) <= len)
        .unwrap_or(0);
    symbol(w, 257 + li as u32);
    w.put(
        (len - usize::from(LEN_BASE[li])) as u32,
        u32::from(LEN_EXTRA[li]),
    );
    let di = DIST_BASE
        .iter()
        .rposition(|&b| usize::from(b) <= dist)
        .unwrap_or(0);
    w.code(di as u32, 5);
    w.put(
        (dist - usize::from(DIST_BASE[di])) as u32,
        u32::from(DIST_EXTRA[di]),
    );
}

/// Raw DEFLATE of `data`.
pub fn compress(data: &[u8]) -> Vec<u8> {
    const WINDOW: usize = 32 * 1024;
    const HASH: usize = 1 << 13;
    const CHAIN: usize = 48;
    let mut head = vec![usize::MAX; HASH];
    let mut prev = vec![usize::MAX; data.len()];
    let hash = |i: usize| {
        let h = (u32::from(data[i]) << 10) ^ (u32::from(data[i + 1]) << 5) ^ u32::from(data[i + 2]);
        (h.wrapping_mul(2_654_435_761) >> 19) as usize & (HASH - 1)
    };
    let mut w = BitWriter {
        out: Vec::with_capacity(data.len() / 3),
        acc: 0,
        n: 0,
    };
    w.put(1, 1); // last block
    w.put(1, 2); // fixed Huffman codes
    let mut i = 0;
    let insert = |head: &mut Vec<usize>, prev: &mut Vec<usize>, j: usize| {
        if j + 2 < data.len() {
            let h = hash(j);
            prev[j] = head[h];
            head[h] = j;
        }
    };
    while i < data.len() {
        let (mut best_len, mut best_dist) = (0, 0);
        if i + 2 < data.len() {
            let mut cand = head[hash(i)];
            let mut steps = 0;
            while cand != usize::MAX && i - cand <= WINDOW && steps < CHAIN {
                let max = (data.len() - i).min(258);
                let mut l = 0;
                while l < max && data[cand + l] == data[i + l] {
                    l += 1;
                }
                if l > best_len {
                    best_len = l;
                    best_dist = i - cand;
                    if l == max {
                        break;
                    }
                }
                cand = prev[cand];
                steps += 1;
            }
        }
        if best_len >= 3 {
            write_match(&mut w, best_len, best_dist);
            for j in i..i + best_len {
                insert(&mut head, &mut prev, j);
            }
            i += best_len;
        } else {
            symbol(&mut w, u32::from(data[i]));
            insert(&mut head, &mut prev, i);
            i += 1;
        }
    }
    symbol(&mut w, 256);
    w.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_through_a_standard_inflater() {
        let mut inputs: Vec<Vec<u8>> = scalelab_sim::presets::ALL
            .iter()
            .map(|(_, t)| t.as_bytes().to_vec())
            .collect();
        inputs.push(Vec::new());
        inputs.push(b"a".to_vec());
        inputs.push(
            b"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
                .repeat(20),
        );
        inputs.push(
            (0..70_000u32)
                .map(|i| (i.wrapping_mul(7919) >> 3) as u8)
                .collect(),
        );
        for data in inputs {
            let packed = compress(&data);
            let back = miniz_oxide::inflate::decompress_to_vec(&packed).expect("inflates");
            assert_eq!(back, data);
        }
        let text = scalelab_sim::presets::ALL[12].1.as_bytes();
        let ours = compress(text).len();
        let best = miniz_oxide::deflate::compress_to_vec(text, 9).len();
        // The presets are embedded compact (no whitespace): a third is already good.
        assert!(ours * 3 < text.len(), "{ours} of {}", text.len());
        assert!(ours * 10 < best * 13, "ours {ours}, miniz {best}");
    }
}
