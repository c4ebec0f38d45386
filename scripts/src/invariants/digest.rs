//! A digest of the protocol's state read straight from the host's storage,
//! to prove that a refused call changed nothing.
//!
//! The host has no storage enumeration, so the digest reads a computed set
//! of slots: every fixed slot of each program's documented layout, and every
//! mapping entry keyed by an account, a role, a request id or a position the
//! run can ever touch (Solidity/Stylus mapping slots: `keccak256(key ‖
//! root)`, nested maps `keccak256(k2 ‖ keccak256(k1 ‖ root))`), plus the ETH
//! balance of every known account. The layouts are the ones each program
//! documents at the top of its crate (`SLOT n: …`).

use alloy_primitives::{keccak256, Address, B256, U256};
use stylus_host::Host;

/// One program's layout: fixed slots and mapping roots by key kind.
#[derive(Clone, Debug, Default)]
pub struct Layout {
    /// Slots read as they are (`0..fixed`).
    pub fixed: u64,
    /// Maps keyed by an account.
    pub by_account: Vec<u64>,
    /// Maps keyed by a small integer (request id, checkpoint, key word):
    /// `(root, how many keys, words per entry)`.
    pub by_index: Vec<(u64, u64, u64)>,
    /// Maps of maps keyed by (account, account).
    pub by_account_pair: Vec<u64>,
    /// Maps of maps keyed by (role id, account).
    pub by_role_account: Vec<u64>,
    /// Maps of maps keyed by (account, small integer).
    pub by_account_index: Vec<(u64, u64)>,
    /// Dynamic arrays (`StorageVec`): `(root, elements)` at `keccak256(root) + i`.
    pub arrays: Vec<(u64, u64)>,
}

/// `keccak256(key ‖ root)`.
#[must_use]
pub fn map_slot(key: B256, root: U256) -> U256 {
    let mut data = [0u8; 64];
    data[..32].copy_from_slice(key.as_slice());
    data[32..].copy_from_slice(&root.to_be_bytes::<32>());
    U256::from_be_bytes(keccak256(data).0)
}

/// An account as a mapping key (left-padded).
#[must_use]
pub fn account_key(a: Address) -> B256 {
    a.into_word()
}

/// An integer as a mapping key.
#[must_use]
pub fn index_key(i: u64) -> B256 {
    B256::from(U256::from(i))
}

/// The slots of one program, precomputed.
#[derive(Clone, Debug)]
pub struct ProgramSlots {
    /// The program.
    pub address: Address,
    /// Every slot the digest reads.
    pub slots: Vec<U256>,
}

impl ProgramSlots {
    /// All slots of `layout` for the given keys.
    #[must_use]
    pub fn new(address: Address, layout: &Layout, accounts: &[Address], roles: &[B256]) -> Self {
        let mut slots: Vec<U256> = (0..layout.fixed).map(U256::from).collect();
        for root in &layout.by_account {
            let root = U256::from(*root);
            slots.extend(accounts.iter().map(|a| map_slot(account_key(*a), root)));
        }
        for (root, count, words) in &layout.by_index {
            let root = U256::from(*root);
            for i in 0..*count {
                let base = map_slot(index_key(i), root);
                slots.extend((0..*words).map(|w| base + U256::from(w)));
            }
        }
        for root in &layout.by_account_pair {
            let root = U256::from(*root);
            for a in accounts {
                let inner = map_slot(account_key(*a), root);
                slots.extend(accounts.iter().map(|b| map_slot(account_key(*b), inner)));
            }
        }
        for root in &layout.by_role_account {
            let root = U256::from(*root);
            for r in roles {
                let inner = map_slot(*r, root);
                slots.extend(accounts.iter().map(|a| map_slot(account_key(*a), inner)));
            }
        }
        for (root, count) in &layout.by_account_index {
            let root = U256::from(*root);
            for a in accounts {
                let inner = map_slot(account_key(*a), root);
                slots.extend((0..*count).map(|i| map_slot(index_key(i), inner)));
            }
        }
        for (root, count) in &layout.arrays {
            let base = U256::from_be_bytes(keccak256(U256::from(*root).to_be_bytes::<32>()).0);
            slots.extend((0..*count).map(|i| base + U256::from(i)));
        }
        slots.sort_unstable();
        slots.dedup();
        Self { address, slots }
    }
}

/// Everything the digest reads.
#[derive(Clone, Debug)]
pub struct DigestPlan {
    /// Per program.
    pub programs: Vec<ProgramSlots>,
    /// Accounts whose ETH balance is part of the digest.
    pub accounts: Vec<Address>,
}

/// The state as read by a [`DigestPlan`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Digest {
    /// `(program, slot, value)` of every non-zero slot read.
    pub storage: Vec<(Address, U256, B256)>,
    /// `(account, balance)`.
    pub balances: Vec<(Address, U256)>,
}

impl DigestPlan {
    /// Reads the digest from `host`.
    #[must_use]
    pub fn read(&self, host: &Host) -> Digest {
        let mut storage = Vec::new();
        for p in &self.programs {
            for slot in &p.slots {
                let value = host.storage(p.address, *slot);
                if value != B256::ZERO {
                    storage.push((p.address, *slot, value));
                }
            }
        }
        let balances = self.accounts.iter().map(|a| (*a, host.balance(*a))).collect();
        Digest { storage, balances }
    }

    /// Number of slots read.
    #[must_use]
    pub fn slot_count(&self) -> usize {
        self.programs.iter().map(|p| p.slots.len()).sum()
    }
}

impl Digest {
    /// The entries that differ from `other` (for a failure message).
    #[must_use]
    pub fn diff(&self, other: &Digest) -> Vec<String> {
        let mut out = Vec::new();
        let mine: std::collections::BTreeMap<_, _> =
            self.storage.iter().map(|(a, s, v)| ((*a, *s), *v)).collect();
        let theirs: std::collections::BTreeMap<_, _> =
            other.storage.iter().map(|(a, s, v)| ((*a, *s), *v)).collect();
        for (key, value) in &mine {
            if theirs.get(key) != Some(value) {
                out.push(format!(
                    "storage {}[{:#x}]: {value} -> {:?}",
                    key.0,
                    key.1,
                    theirs.get(key)
                ));
            }
        }
        for (key, value) in &theirs {
            if !mine.contains_key(key) {
                out.push(format!("storage {}[{:#x}]: 0 -> {value}", key.0, key.1));
            }
        }
        for ((a, x), (_, y)) in self.balances.iter().zip(&other.balances) {
            if x != y {
                out.push(format!("balance of {a}: {x} -> {y}"));
            }
        }
        out
    }
}

/// The rebase token (`rebase-token/src/lib.rs`): slots 0–9; shares (1) and
/// nonces (3) by account; allowances (2) by account pair; roles (4).
#[must_use]
pub fn rebase_token_layout() -> Layout {
    Layout {
        fixed: 10,
        by_account: vec![1, 3],
        by_account_pair: vec![2],
        by_role_account: vec![4],
        ..Layout::default()
    }
}

/// The share token (`share-token/src/lib.rs`): slots 0–7; balances (1) and
/// nonces (3) by account; allowances (2) by account pair.
#[must_use]
pub fn share_token_layout() -> Layout {
    Layout { fixed: 8, by_account: vec![1, 3], by_account_pair: vec![2], ..Layout::default() }
}

/// The deposit pool (`contracts/deposit-pool/src/lib.rs`): slots 0–5; signing
/// key words (6) by index (5 words per key); roles (7).
#[must_use]
pub fn deposit_pool_layout(keys: u64) -> Layout {
    Layout {
        fixed: 6,
        by_index: vec![(6, 5 * keys, 1)],
        by_role_account: vec![7],
        ..Layout::default()
    }
}

/// The oracle (`contracts/oracle/src/lib.rs`): five packed words (0–4),
/// three addresses (5–7), 32 variant hashes (8–39), the members array (40),
/// member states by account (41), roles (42).
#[must_use]
pub fn oracle_layout() -> Layout {
    Layout {
        fixed: 41,
        by_account: vec![41],
        by_role_account: vec![42],
        arrays: vec![(40, 32)],
        ..Layout::default()
    }
}

/// The withdrawal queue (`contracts/withdrawal-queue/src/lib.rs`): slots 0–4;
/// requests (5, two words) and checkpoints (6) and approvals (9) by id;
/// owner counts (7) by account; owner ids (8) by account and position;
/// operators (10) by account pair; roles (11).
#[must_use]
pub fn withdrawal_queue_layout(ids: u64) -> Layout {
    Layout {
        fixed: 5,
        by_account: vec![7],
        by_index: vec![(5, ids + 1, 2), (6, ids + 1, 1), (9, ids + 1, 1)],
        by_account_index: vec![(8, ids + 1)],
        by_account_pair: vec![10],
        by_role_account: vec![11],
        ..Layout::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloy_primitives::address;

    #[test]
    fn map_slot_is_soliditys_mapping_slot() {
        // keccak256(abi.encode(address(1), uint256(0))), as solc lays out mapping(address => …) at slot 0.
        let slot =
            map_slot(account_key(address!("0000000000000000000000000000000000000001")), U256::ZERO);
        assert_eq!(
            B256::from(slot),
            alloy_primitives::b256!(
                "ada5013122d395ba3c54772283fb069b10426056ef8ca54750cb9bb552a59e7d"
            )
        );
    }
}
