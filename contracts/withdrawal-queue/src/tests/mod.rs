//! Unit and property tests (motsu). The queue is driven only through its
//! Solidity ABI ([`crate::abi::IWithdrawalQueue`] calls encoded by alloy and
//! routed by the program's own dispatcher), so every test also exercises the
//! selectors and the codec the deployed program uses.
#![allow(clippy::too_many_lines)]

mod abi_codec;
mod claims;
mod erc721;
mod finalization;
mod mocks;
mod pause_roles;
mod properties;
mod requests;

use alloc::vec::Vec;

use alloy_primitives::{uint, Address, U256};
use alloy_sol_types::{SolCall, SolError};
use motsu::prelude::*;

use rebase_token::RebaseToken;
use share_token::ShareToken;
use staking_common::INITIAL_TOKEN_HOLDER;

use self::mocks::WalletMock;
use crate::{abi::IWithdrawalQueue as I, Error, WithdrawalQueue};

/// `Debug` for the return types of functions that return nothing (`sol!`'s
/// `all_derives` derives it only for non-empty returns; tests `unwrap_err`).
macro_rules! debug_empty_returns {
    ($($name:ident),* $(,)?) => {$(
        impl core::fmt::Debug for I::$name {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                f.write_str(stringify!($name))
            }
        }
    )*};
}

debug_empty_returns!(
    finalizeReturn,
    claimWithdrawalReturn,
    claimWithdrawalsReturn,
    claimWithdrawalsToReturn,
    pauseForReturn,
    pauseUntilReturn,
    resumeReturn,
    grantRoleReturn,
    revokeRoleReturn,
    renounceRoleReturn,
    approveReturn,
    setApprovalForAllReturn,
    transferFromReturn,
    safeTransferFrom_0Return,
    safeTransferFrom_1Return,
);

/// One ether.
pub(crate) const ETH: U256 = uint!(1_000_000_000_000_000_000_U256);
/// `1e27`: a share rate of exactly 1.
pub(crate) const RATE_ONE: U256 = crate::E27_PRECISION_BASE;

/// `x` ether.
pub(crate) fn eth(x: u64) -> U256 {
    U256::from(x) * ETH
}

/// `x` as a `U256`.
pub(crate) fn u(x: u128) -> U256 {
    U256::from(x)
}

/// The ether balance of any account (motsu's `Balance` covers only
/// `Account` and `Contract`).
#[allow(deprecated)]
pub(crate) fn ether_of(account: Address) -> U256 {
    stylus_sdk::types::AddressVM::balance(&account)
}

/// The revert data of a program error.
pub(crate) fn revert(error: impl Into<Error>) -> Vec<u8> {
    Vec::from(error.into())
}

/// The revert data of a `sol!` error, encoded by alloy (an independent check
/// of the program's own error encoding).
pub(crate) fn sol_revert(error: &impl SolError) -> Vec<u8> {
    error.abi_encode()
}

/// motsu's fixed block timestamp.
pub(crate) const NOW: u64 = 1_735_689_600;

/// A deployed queue wired to the real rebase and share tokens, with
/// deposit-pool and oracle stand-in accounts and a contract wallet.
///
/// Starting state: the pool bootstrapped the token with 800 ether to
/// `0x…dEaD` and minted 100 ether each to alice and bob (`P = S = 1000`
/// ether, rate 1); alice wrapped 50 of hers into 50 share-token units. Alice
/// and bob approved the queue for all their stETH, alice for all her units.
pub(crate) struct Env {
    pub(crate) q: Contract<WithdrawalQueue>,
    pub(crate) token: Contract<RebaseToken>,
    pub(crate) wrapper: Contract<ShareToken>,
    pub(crate) wallet: Contract<WalletMock>,
    pub(crate) admin: Address,
    pub(crate) pool: Address,
    pub(crate) oracle: Address,
    pub(crate) alice: Address,
    pub(crate) bob: Address,
}

impl FromTag for Env {
    fn from_tag(_tag: &str) -> Self {
        Env::new()
    }
}

impl Env {
    /// Deploys and wires everything (see the type's documentation).
    pub(crate) fn new() -> Self {
        let env = Env {
            q: Contract::from_tag("queue"),
            token: Contract::from_tag("rebase_token"),
            wrapper: Contract::from_tag("share_token"),
            wallet: Contract::from_tag("wallet"),
            admin: Address::from_tag("admin"),
            pool: Address::from_tag("deposit_pool"),
            oracle: Address::from_tag("oracle"),
            alice: Address::from_tag("alice"),
            bob: Address::from_tag("bob"),
        };
        let (q, token, wrapper) = (env.q.address(), env.token.address(), env.wrapper.address());
        env.q.sender(env.admin).constructor(env.admin, token, wrapper, env.pool).motsu_unwrap();
        env.token
            .sender(env.admin)
            .constructor("Liquid staked Ether".into(), "stETH".into(), env.admin)
            .motsu_unwrap();
        env.token.sender(env.admin).set_protocol_contracts(env.pool, env.oracle, q).motsu_unwrap();
        env.token.sender(env.pool).mint_shares(INITIAL_TOKEN_HOLDER, eth(800)).motsu_unwrap();
        for holder in [env.alice, env.bob] {
            env.token.sender(env.pool).mint_shares(holder, eth(100)).motsu_unwrap();
            env.token.sender(holder).approve(q, U256::MAX).motsu_unwrap();
        }
        env.wrapper
            .sender(env.admin)
            .constructor("Wrapped liquid staked Ether".into(), "wstETH".into(), token, env.pool)
            .motsu_unwrap();
        env.token.sender(env.alice).approve(wrapper, U256::MAX).motsu_unwrap();
        env.wrapper.sender(env.alice).wrap(eth(50)).motsu_unwrap();
        env.wrapper.sender(env.alice).approve(q, U256::MAX).motsu_unwrap();
        env.wallet.sender(env.admin).set_queue(q);
        env
    }

    /// The oracle's rebase to total pooled ether `pooled` (no burn, no fee).
    pub(crate) fn rebase_to(&self, pooled: U256) {
        self.token
            .sender(self.oracle)
            .rebase(
                U256::from(NOW),
                U256::from(1),
                pooled,
                U256::ZERO,
                Address::ZERO,
                U256::ZERO,
                Address::ZERO,
                U256::ZERO,
            )
            .motsu_unwrap();
    }

    /// The deposit pool mints `ether` worth of shares to `holder`, who
    /// approves the queue for everything.
    pub(crate) fn mint(&self, holder: Address, ether: U256) {
        self.token.sender(self.pool).mint_shares(holder, ether).motsu_unwrap();
        self.token.sender(holder).approve(self.q.address(), U256::MAX).motsu_unwrap();
    }

    /// Calls the queue as `from` through its ABI; a revert rolls back.
    pub(crate) fn call<C: SolCall>(&self, from: Address, call: C) -> Result<C::Return, Vec<u8>> {
        self.call_value(from, U256::ZERO, call)
    }

    /// Calls the queue as `from` with `value` wei (funded first).
    pub(crate) fn call_value<C: SolCall>(
        &self,
        from: Address,
        value: U256,
        call: C,
    ) -> Result<C::Return, Vec<u8>> {
        if !value.is_zero() {
            from.fund(value);
        }
        let output =
            self.q.sender_and_value(from, value).fallback(&call.abi_encode()).motsu_res()?;
        Ok(C::abi_decode_returns(&output, true).expect("the output should decode"))
    }

    /// Calls the queue as the wallet contract (through `WalletMock::call_queue`).
    pub(crate) fn call_as_wallet<C: SolCall>(&self, call: C) -> Result<C::Return, Vec<u8>> {
        let output =
            self.wallet.sender(self.admin).call_queue(call.abi_encode().into()).motsu_res()?;
        Ok(C::abi_decode_returns(&output, true).expect("the output should decode"))
    }

    /// `requestWithdrawals(amounts, owner)` as `from`.
    pub(crate) fn request(
        &self,
        from: Address,
        amounts: &[U256],
        owner: Address,
    ) -> Result<Vec<U256>, Vec<u8>> {
        self.call(from, I::requestWithdrawalsCall { amounts: amounts.to_vec(), owner })
            .map(|r| r.requestIds)
    }

    /// The token's share rate now, `floor(P * 1e27 / S)` (the rate the
    /// oracle would report).
    pub(crate) fn share_rate(&self) -> U256 {
        let token = self.token.sender(self.admin);
        token.get_total_pooled_ether() * RATE_ONE / token.get_total_shares()
    }

    /// `prefinalize(last, rate)` (no state change).
    pub(crate) fn prefinalize(&self, last: U256, rate: U256) -> Result<(U256, U256), Vec<u8>> {
        self.call(self.admin, I::prefinalizeCall { lastRequestId: last, maxShareRate: rate })
            .map(|r| (r.ethToLock, r.sharesToBurn))
    }

    /// The report path: `prefinalize`, the deposit pool's `finalize` with
    /// exactly that ether, then the oracle's burn of the shares (the ether
    /// leaves the pool's total). Returns `(ethToLock, sharesToBurn)`.
    pub(crate) fn finalize(&self, last: U256, rate: U256) -> Result<(U256, U256), Vec<u8>> {
        let (ether, shares) = self.prefinalize(last, rate)?;
        self.call_value(
            self.pool,
            ether,
            I::finalizeCall { lastRequestId: last, maxShareRate: rate },
        )?;
        let pooled = self.token.sender(self.admin).get_total_pooled_ether();
        self.token
            .sender(self.oracle)
            .rebase(
                U256::from(NOW),
                U256::from(1),
                pooled - ether,
                shares,
                Address::ZERO,
                U256::ZERO,
                Address::ZERO,
                U256::ZERO,
            )
            .motsu_unwrap();
        Ok((ether, shares))
    }

    /// `getWithdrawalStatus([id])[0]`.
    pub(crate) fn status(&self, id: U256) -> crate::abi::WithdrawalRequestStatus {
        let mut statuses = self
            .call(self.admin, I::getWithdrawalStatusCall { requestIds: vec![id] })
            .unwrap()
            .statuses;
        statuses.remove(0)
    }

    /// `getLockedEtherAmount()`.
    pub(crate) fn locked(&self) -> U256 {
        self.call(self.admin, I::getLockedEtherAmountCall {}).unwrap()._0
    }

    /// `getLastRequestId()`.
    pub(crate) fn last_request_id(&self) -> U256 {
        self.call(self.admin, I::getLastRequestIdCall {}).unwrap()._0
    }

    /// `getLastFinalizedRequestId()`.
    pub(crate) fn last_finalized(&self) -> U256 {
        self.call(self.admin, I::getLastFinalizedRequestIdCall {}).unwrap()._0
    }

    /// `unfinalizedStETH()`.
    pub(crate) fn unfinalized_steth(&self) -> U256 {
        self.call(self.admin, I::unfinalizedStETHCall {}).unwrap()._0
    }

    /// `getLastCheckpointIndex()`.
    pub(crate) fn last_checkpoint(&self) -> U256 {
        self.call(self.admin, I::getLastCheckpointIndexCall {}).unwrap()._0
    }

    /// `findCheckpointHints(ids, 1, last checkpoint)`.
    pub(crate) fn hints(&self, ids: &[U256]) -> Vec<U256> {
        let last = self.last_checkpoint();
        self.call(
            self.admin,
            I::findCheckpointHintsCall {
                requestIds: ids.to_vec(),
                firstIndex: U256::from(1),
                lastIndex: last,
            },
        )
        .unwrap()
        .hintIds
    }

    /// `claimWithdrawalsTo(ids, hints(ids), recipient)` as `from`.
    pub(crate) fn claim_to(
        &self,
        from: Address,
        ids: &[U256],
        recipient: Address,
    ) -> Result<(), Vec<u8>> {
        let hints = self.hints(ids);
        self.call(from, I::claimWithdrawalsToCall { requestIds: ids.to_vec(), hints, recipient })
            .map(|_| ())
    }

    /// `getWithdrawalRequests(owner)`, sorted.
    pub(crate) fn requests_of(&self, owner: Address) -> Vec<U256> {
        let mut ids =
            self.call(self.admin, I::getWithdrawalRequestsCall { owner }).unwrap().requestsIds;
        ids.sort();
        ids
    }

    /// `balanceOf(owner)` (ERC-721).
    pub(crate) fn nft_balance(&self, owner: Address) -> U256 {
        self.call(self.admin, I::balanceOfCall { owner }).unwrap()._0
    }

    /// Everything a revert must leave unchanged.
    pub(crate) fn snapshot(&self) -> Snapshot {
        let last = self.last_request_id();
        let ids: Vec<U256> = (1..=last.to::<u64>()).map(U256::from).collect();
        let statuses = if ids.is_empty() {
            Vec::new()
        } else {
            self.call(self.admin, I::getWithdrawalStatusCall { requestIds: ids.clone() })
                .unwrap()
                .statuses
                .into_iter()
                .map(|s| (s.amountOfStETH, s.amountOfShares, s.owner, s.isFinalized, s.isClaimed))
                .collect()
        };
        Snapshot {
            last_request_id: last,
            last_finalized: self.last_finalized(),
            locked: self.locked(),
            unfinalized: self.unfinalized_steth(),
            checkpoints: self.last_checkpoint(),
            queue_balance: self.q.balance(),
            queue_shares: self.token.sender(self.admin).shares_of(self.q.address()),
            alice_shares: self.token.sender(self.admin).shares_of(self.alice),
            alice_units: self.wrapper.sender(self.admin).balance_of(self.alice),
            statuses,
            alice_requests: self.requests_of(self.alice),
            bob_requests: self.requests_of(self.bob),
            events: self.q.all_events().len(),
        }
    }

    /// The accounting invariants of the module documentation.
    pub(crate) fn check_invariants(&self) {
        // 1. The queue holds exactly the locked ether.
        assert_eq!(self.q.balance(), self.locked(), "ether held == locked");
        let last = self.last_request_id().to::<u64>();
        let finalized = self.last_finalized().to::<u64>();
        assert!(finalized <= last, "finalized <= last");
        let mut unfinalized = U256::ZERO;
        let mut claimable = U256::ZERO;
        for id in 1..=last {
            let id = U256::from(id);
            let status = self.status(id);
            assert_eq!(status.isFinalized, id.to::<u64>() <= finalized);
            if !status.isFinalized {
                unfinalized += status.amountOfStETH;
            } else if !status.isClaimed {
                let hint = self.hints(&[id])[0];
                claimable += self
                    .call(
                        self.admin,
                        I::getClaimableEtherCall { requestIds: vec![id], hints: vec![hint] },
                    )
                    .unwrap()
                    .claimableEthValues[0];
            }
        }
        // 2. Locked ether is exactly what the unclaimed finalized requests pay.
        assert_eq!(self.locked(), claimable, "locked == Σ claimable");
        // 3. unfinalizedStETH is the sum over unfinalized requests.
        assert_eq!(self.unfinalized_steth(), unfinalized, "unfinalized sum");
    }
}

/// The observable state of the queue and the accounts around it.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Snapshot {
    last_request_id: U256,
    last_finalized: U256,
    locked: U256,
    unfinalized: U256,
    checkpoints: U256,
    queue_balance: U256,
    queue_shares: U256,
    alice_shares: U256,
    alice_units: U256,
    statuses: Vec<(U256, U256, Address, bool, bool)>,
    alice_requests: Vec<U256>,
    bob_requests: Vec<U256>,
    events: usize,
}
