//! Samples that rotate: the same seed draws the same documents, another seed others.

/// A small deterministic generator (xorshift64*): the same seed picks the same documents.
pub struct Draw(pub u64);

impl Draw {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// `n` of `items`, in their order.
    pub(crate) fn pick<T: Clone>(&mut self, items: &[T], n: usize) -> Vec<T> {
        let mut indices: Vec<usize> = (0..items.len()).collect();
        for i in (1..indices.len()).rev() {
            let j = (self.next() % (i as u64 + 1)) as usize;
            indices.swap(i, j);
        }
        let mut chosen: Vec<usize> = indices.into_iter().take(n).collect();
        chosen.sort_unstable();
        chosen.into_iter().map(|i| items[i].clone()).collect()
    }
}
