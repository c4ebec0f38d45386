//! Unit tests (motsu), property tests (proptest) and the ABI pin of the
//! rebase token.
//!
//! Fixtures: [`World`] deploys the token with a deposit-pool mock, sets the
//! protocol programs, mints the bootstrap seed and gives Alice and Bob a
//! balance, optionally followed by a neutral, +5 % or −5 % rebase (the
//! [`REBASES`] every balance/transfer assertion is re-run after).
#![allow(clippy::too_many_lines, clippy::needless_pass_by_value)]

mod abi;
mod admin;
mod erc20;
mod mocks;
mod permit;
mod properties;
mod shares;
mod supply;

use alloy_primitives::{address, uint, Address, U256};
use motsu::prelude::*;

use crate::{Error, RebaseToken};
use mocks::DepositPoolMock;

/// 1 ether.
pub(crate) const ETH: U256 = uint!(1_000_000_000_000_000_000_U256);
/// The governance admin of every world.
pub(crate) const ADMIN: Address = address!("00000000000000000000000000000000000ad000");
/// The oracle program (an EOA stand-in: only its address matters).
pub(crate) const ORACLE: Address = address!("000000000000000000000000000000000000a11e");
/// The withdrawal queue (its shares are burnt by `rebase`).
pub(crate) const QUEUE: Address = address!("0000000000000000000000000000000000009000");
/// Holders.
pub(crate) const ALICE: Address = address!("00000000000000000000000000000000000a11ce");
/// Holders.
pub(crate) const BOB: Address = address!("0000000000000000000000000000000000000b0b");
/// Holders.
pub(crate) const CAROL: Address = address!("00000000000000000000000000000000000ca201");
/// A spender.
pub(crate) const SPENDER: Address = address!("0000000000000000000000000000000000005e5d");
/// The fee recipients of rebases.
pub(crate) const TREASURY: Address = address!("0000000000000000000000000000000000007777");
/// The fee recipients of rebases.
pub(crate) const OPERATOR: Address = address!("0000000000000000000000000000000000000909");
/// The bootstrap holder.
pub(crate) const DEAD: Address = staking_common::INITIAL_TOKEN_HOLDER;
/// Seed ether of the bootstrap mint.
pub(crate) const SEED: U256 = ETH;
/// The rebases (in percent of total pooled ether) after which balance and
/// transfer assertions are re-run: neutral, +5 %, −5 %.
pub(crate) const REBASES: [i64; 3] = [0, 5, -5];
/// The token's name.
pub(crate) const NAME: &str = "Liquid staked Ether 2.0";
/// The token's symbol.
pub(crate) const SYMBOL: &str = "stETH";

/// The native balance of `account` (motsu keeps it; the SDK's reader is
/// deprecated in favour of `vm()`, which tests outside a program lack).
#[allow(deprecated)]
pub(crate) fn ether_of(account: Address) -> U256 {
    stylus_sdk::prelude::AddressVM::balance(&account)
}

/// `x` ether.
pub(crate) fn eth(x: u64) -> U256 {
    U256::from(x) * ETH
}

/// A deployed token and its deposit-pool mock.
pub(crate) struct World {
    /// The token under test.
    pub(crate) token: Contract<RebaseToken>,
    /// The deposit pool (mock): the only `mintShares` caller.
    pub(crate) pool: Contract<DepositPoolMock>,
}

impl World {
    /// Deployed and wired (`setProtocolContracts(pool, ORACLE, QUEUE)`),
    /// nothing minted.
    pub(crate) fn empty() -> Self {
        let token = Contract::<RebaseToken>::new();
        let pool = Contract::<DepositPoolMock>::new();
        token.sender(ADMIN).constructor(NAME.into(), SYMBOL.into(), ADMIN).motsu_unwrap();
        token.sender(ADMIN).set_protocol_contracts(pool.address(), ORACLE, QUEUE).motsu_unwrap();
        Self { token, pool }
    }

    /// Bootstrapped with [`SEED`] for `0x…dEaD`, 10 ETH minted to Alice and
    /// 5 ETH to Bob, then a rebase of `pct` percent of total pooled ether.
    pub(crate) fn funded(pct: i64) -> Self {
        let world = Self::empty();
        world.mint(DEAD, SEED);
        world.mint(ALICE, eth(10));
        world.mint(BOB, eth(5));
        world.rebase_pct(pct);
        world
    }

    /// The deposit pool mints `ether` to `to`; returns the shares.
    pub(crate) fn mint(&self, to: Address, ether: U256) -> U256 {
        self.token.sender(self.pool.address()).mint_shares(to, ether).motsu_unwrap()
    }

    /// The oracle sets total pooled ether to `post` (no burn, no fees).
    pub(crate) fn rebase_to(&self, post: U256) -> U256 {
        self.token
            .sender(ORACLE)
            .rebase(
                U256::from(1),
                U256::from(86_400),
                post,
                U256::ZERO,
                TREASURY,
                U256::ZERO,
                OPERATOR,
                U256::ZERO,
            )
            .motsu_unwrap()
    }

    /// The oracle changes total pooled ether by `pct` percent.
    pub(crate) fn rebase_pct(&self, pct: i64) {
        let pre = self.token.sender(ALICE).get_total_pooled_ether();
        let pct_abs = U256::from(pct.unsigned_abs());
        let delta = pre * pct_abs / U256::from(100);
        let post = if pct >= 0 { pre + delta } else { pre - delta };
        self.rebase_to(post);
    }

    /// `(S, P, stopped)`.
    pub(crate) fn totals(&self) -> (U256, U256, bool) {
        let t = &self.token;
        (
            t.sender(ALICE).get_total_shares(),
            t.sender(ALICE).get_total_pooled_ether(),
            t.sender(ALICE).is_stopped(),
        )
    }

    /// `balanceOf(account)`.
    pub(crate) fn balance(&self, account: Address) -> U256 {
        self.token.sender(account).balance_of(account)
    }

    /// `sharesOf(account)`.
    pub(crate) fn shares(&self, account: Address) -> U256 {
        self.token.sender(account).shares_of(account)
    }

    /// Everything a revert must leave unchanged: totals, the shares,
    /// balances, allowances and nonces of the usual actors, role of the
    /// admin, program addresses and the number of events.
    pub(crate) fn snapshot(&self) -> Snapshot {
        let actors = [DEAD, ALICE, BOB, CAROL, SPENDER, QUEUE, TREASURY, OPERATOR];
        let t = &self.token;
        Snapshot {
            totals: self.totals(),
            shares: actors.iter().map(|a| self.shares(*a)).collect(),
            balances: actors.iter().map(|a| self.balance(*a)).collect(),
            allowances: actors
                .iter()
                .flat_map(|o| actors.iter().map(move |s| (*o, *s)))
                .map(|(o, s)| t.sender(o).allowance(o, s))
                .collect(),
            nonces: actors.iter().map(|a| t.sender(*a).nonces(*a)).collect(),
            programs: (
                t.sender(ALICE).get_deposit_pool(),
                t.sender(ALICE).get_oracle(),
                t.sender(ALICE).get_withdrawal_queue(),
            ),
            admin: t.sender(ALICE).has_role(crate::DEFAULT_ADMIN_ROLE, ADMIN),
            events: t.all_events().len(),
            ether: (self.token.balance(), self.pool.balance(), ether_of(ALICE)),
        }
    }

    /// Asserts that `err` is `expected` and that nothing changed since
    /// `before`.
    #[track_caller]
    pub(crate) fn assert_reverted(&self, err: Error, expected: Error, before: &Snapshot) {
        assert_eq!(err, expected);
        assert_eq!(&self.snapshot(), before, "state changed by a reverted call");
    }
}

impl World {
    /// As [`World::assert_reverted`], for entries that revert with raw data
    /// (`submit`, which passes the deposit pool's errors through).
    #[track_caller]
    pub(crate) fn assert_reverted_data(&self, err: Vec<u8>, expected: Vec<u8>, before: &Snapshot) {
        assert_eq!(err, expected);
        assert_eq!(&self.snapshot(), before, "state changed by a reverted call");
    }
}

/// The revert data of a token error.
pub(crate) fn data(err: impl Into<Error>) -> Vec<u8> {
    err.into().into()
}

/// Observable state, compared before and after a revert.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Snapshot {
    totals: (U256, U256, bool),
    shares: Vec<U256>,
    balances: Vec<U256>,
    allowances: Vec<U256>,
    nonces: Vec<U256>,
    programs: (Address, Address, Address),
    admin: bool,
    events: usize,
    ether: (U256, U256, U256),
}

/// The token's EIP-712 domain on `chain_id`, built by alloy.
pub(crate) fn domain(world: &World, chain_id: u64) -> alloy_sol_types::Eip712Domain {
    alloy_sol_types::eip712_domain! {
        name: NAME,
        version: "2",
        chain_id: chain_id,
        verifying_contract: world.token.address(),
    }
}

/// `floor(a * b / d)`.
pub(crate) fn mul_div_down(a: U256, b: U256, d: U256) -> U256 {
    a * b / d
}

/// `ceil(a * b / d)`.
pub(crate) fn mul_div_up(a: U256, b: U256, d: U256) -> U256 {
    (a * b).div_ceil(d)
}
