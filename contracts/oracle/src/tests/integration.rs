//! The report path end to end with the real programs (natively, under
//! motsu): the rebase token, the deposit pool and the withdrawal queue,
//! wired as in a deployment, with a stand-in for the beacon deposit
//! contract. Stake, deposit validators, reports with rewards (fee shares
//! minted), a withdrawal finalized by a report, a slashing — and after every
//! step the accounting invariant: the token's total pooled ether equals the
//! pool's buffered + beacon balance + transient ether.

use alloy_primitives::{Address, B256, U256};
use alloy_sol_types::SolCall;
use deposit_pool::{DepositPool, DEPOSIT_ROLE, MANAGE_SIGNING_KEYS};
use motsu::prelude::*;
use rebase_token::RebaseToken;
use staking_common::{
    roles::{RESUME_ROLE, STAKING_CONTROL_ROLE},
    DEPOSIT_SIZE,
};
use stylus_sdk::{abi::Bytes, prelude::*, storage::StorageU256};
use withdrawal_queue::{abi::IWithdrawalQueue, WithdrawalQueue};

use super::{at, eth, operator, ref_slot, treasury, tuple, u, ETH, GENESIS, SPF, SPS};
use crate::{events::ReportApplied, AccountingOracle, ReportData};

/// Stands in for the consensus layer's deposit contract: accepts 32-ETH
/// deposits and counts them.
#[storage]
pub(crate) struct BeaconDeposit {
    deposits: StorageU256,
}

unsafe impl TopLevelStorage for BeaconDeposit {}

#[public]
impl BeaconDeposit {
    #[payable]
    pub(crate) fn deposit(
        &mut self,
        pubkey: Bytes,
        withdrawal_credentials: Bytes,
        signature: Bytes,
        deposit_data_root: B256,
    ) {
        let _ = (pubkey, withdrawal_credentials, signature, deposit_data_root);
        self.deposits.set(self.deposits.get() + U256::from(1));
    }
}

struct Protocol<'a> {
    oracle: &'a Contract<AccountingOracle>,
    token: &'a Contract<RebaseToken>,
    pool: &'a Contract<DepositPool>,
    queue: &'a Contract<WithdrawalQueue>,
    admin: Address,
    members: [Address; 3],
}

impl Protocol<'_> {
    /// The accounting invariant, between the two programs that keep it.
    fn assert_invariant(&self) {
        let p = self.token.sender(self.admin).get_total_pooled_ether();
        assert_eq!(p, self.pool.sender(self.admin).get_total_pooled_ether());
        let (deposited, seen, beacon) = self.pool.sender(self.admin).get_beacon_stat();
        let buffered = self.pool.sender(self.admin).get_buffered_ether();
        assert_eq!(p, buffered + beacon + DEPOSIT_SIZE * (deposited - seen));
    }

    /// Two members agree on `data` for frame `k` and one submits it.
    fn report(&self, k: u64, data: &ReportData) {
        at(k, 1);
        for m in &self.members[..2] {
            self.oracle
                .sender(*m)
                .submit_report(ref_slot(k), data.hash(), U256::from(1))
                .motsu_unwrap();
        }
        self.oracle.sender(self.members[0]).submit_report_data(tuple(data), u(1)).motsu_unwrap();
    }

    /// A view of the queue through its ABI.
    fn queue_view<C: SolCall>(&self, call: &C) -> C::Return {
        let out = self.queue.sender(self.admin).fallback(&call.abi_encode()).motsu_unwrap();
        C::abi_decode_returns(&out, true).unwrap()
    }
}

/// Report data for frame `k`.
fn data(k: u64, n: u128, cl: U256, vault: U256, last_id: u128) -> ReportData {
    ReportData {
        consensus_version: u(1),
        ref_slot: ref_slot(k),
        num_validators: u(n),
        cl_balance_gwei: cl / u(1_000_000_000),
        withdrawal_vault_balance: vault,
        last_request_id_to_finalize: u(last_id),
    }
}

#[motsu::test]
fn reports_through_the_real_token_pool_and_queue_keep_the_books(
    oracle: Contract<AccountingOracle>,
    token: Contract<RebaseToken>,
    pool: Contract<DepositPool>,
    queue: Contract<WithdrawalQueue>,
    beacon: Contract<BeaconDeposit>,
    admin: Address,
    alice: Address,
) {
    // Given the four programs wired as in a deployment.
    at(1, 0);
    oracle
        .sender(admin)
        .constructor(
            admin,
            token.address(),
            pool.address(),
            queue.address(),
            U256::from(GENESIS),
            U256::from(SPS),
            U256::from(SPF),
            treasury(),
            operator(),
        )
        .motsu_unwrap();
    token
        .sender(admin)
        .constructor("Liquid staked Ether 2.0".into(), "stETH".into(), admin)
        .motsu_unwrap();
    token
        .sender(admin)
        .set_protocol_contracts(pool.address(), oracle.address(), queue.address())
        .motsu_unwrap();
    pool.sender(admin).constructor(admin, token.address()).motsu_unwrap();
    for role in [RESUME_ROLE, STAKING_CONTROL_ROLE, MANAGE_SIGNING_KEYS, DEPOSIT_ROLE] {
        pool.sender(admin).grant_role(role, admin).motsu_unwrap();
    }
    pool.sender(admin).set_oracle(oracle.address()).motsu_unwrap();
    pool.sender(admin).set_withdrawal_queue(queue.address()).motsu_unwrap();
    let mut credentials = [0u8; 32];
    credentials[0] = 1;
    credentials[12..].copy_from_slice(pool.address().as_slice());
    pool.sender(admin).set_withdrawal_credentials(B256::from(credentials)).motsu_unwrap();
    pool.sender(admin).set_beacon_deposit_contract(beacon.address()).motsu_unwrap();
    let pubkeys: Vec<u8> = (1..=3u8).flat_map(|i| [i; 48]).collect();
    let signatures: Vec<u8> = (1..=3u8).flat_map(|i| [i; 96]).collect();
    pool.sender(admin).add_signing_keys(u(3), pubkeys.into(), signatures.into()).motsu_unwrap();
    admin.fund(eth(1));
    pool.sender_and_value(admin, eth(1)).initialize().motsu_unwrap();
    pool.sender(admin).resume().motsu_unwrap();
    queue
        .sender(admin)
        .constructor(admin, token.address(), Address::repeat_byte(0x55), pool.address())
        .motsu_unwrap();
    let members = [1, 2, 3].map(Address::repeat_byte);
    let manage = crate::roles::MANAGE_MEMBERS_AND_QUORUM_ROLE;
    oracle.sender(admin).grant_role(manage, admin).motsu_unwrap();
    for (i, m) in members.iter().enumerate() {
        // The smallest valid quorum for the committee so far: 1, 2, 2.
        let count = i as u64 + 1;
        oracle.sender(admin).add_member(*m, U256::from(count / 2 + 1)).motsu_unwrap();
    }
    assert_eq!(oracle.sender(admin).get_quorum(), u(2));
    let w = Protocol { oracle: &oracle, token: &token, pool: &pool, queue: &queue, admin, members };
    w.assert_invariant();

    // When alice stakes 100 ETH and three validators are deposited.
    alice.fund(eth(100));
    pool.sender_and_value(alice, eth(100)).submit(Address::ZERO).motsu_unwrap();
    assert_eq!(pool.sender(admin).deposit_buffered_ether(u(3)).motsu_unwrap(), u(3));
    w.assert_invariant();
    assert_eq!(pool.sender(admin).get_beacon_stat(), (u(3), U256::ZERO, U256::ZERO));

    // And frame 2 reports them with exactly 32 ETH each: no reward, no loss.
    w.report(2, &data(2, 3, eth(96), U256::ZERO, 0));
    w.assert_invariant();
    assert_eq!(pool.sender(admin).get_beacon_stat(), (u(3), u(3), eth(96)));
    assert_eq!(token.sender(admin).get_total_pooled_ether(), eth(101));
    assert_eq!(token.sender(admin).shares_of(treasury()), U256::ZERO);

    // When 0.05 ETH of rewards reach the pool (the withdrawal vault) and
    // frame 3 reports them.
    pool.fund(u(5 * ETH / 100));
    w.report(3, &data(3, 3, eth(96), u(5 * ETH / 100), 0));
    // Then holders gain 0.045 ETH and the fee holders own 0.005 ETH (to a wei).
    w.assert_invariant();
    assert_eq!(token.sender(admin).get_total_pooled_ether(), eth(101) + u(5 * ETH / 100));
    let fee_value =
        token.sender(admin).balance_of(treasury()) + token.sender(admin).balance_of(operator());
    assert!(fee_value <= u(5 * ETH / 1000) && u(5 * ETH / 1000) - fee_value <= u(2));
    assert_eq!(pool.sender(admin).get_buffered_ether(), eth(5) + u(5 * ETH / 100));

    // When alice asks to withdraw 2 ETH and frame 4 finalizes request 1.
    token.sender(alice).approve(queue.address(), eth(2)).motsu_unwrap();
    let ids = queue.sender(alice).request_withdrawals(vec![eth(2)], alice, false).motsu_unwrap();
    assert_eq!(ids, vec![u(1)]);
    w.assert_invariant();
    let queue_shares = token.sender(admin).shares_of(queue.address());
    w.report(4, &data(4, 3, eth(96), U256::ZERO, 1));
    // Then the queue holds the request's ether (at most 2 ETH), its shares are
    // burnt, and the books still balance.
    w.assert_invariant();
    let finalized = w.queue_view(&IWithdrawalQueue::getLastFinalizedRequestIdCall {})._0;
    assert_eq!(finalized, u(1));
    let locked = w.queue_view(&IWithdrawalQueue::getLockedEtherAmountCall {})._0;
    assert!(locked <= eth(2) && eth(2) - locked <= u(2));
    assert_eq!(token.sender(admin).shares_of(queue.address()), U256::ZERO);
    oracle.assert_emitted(&ReportApplied {
        refSlot: ref_slot(4),
        rewardsDistributed: U256::ZERO,
        rewardsDeferred: U256::ZERO,
        clLoss: U256::ZERO,
        sharesMintedAsFees: U256::ZERO,
        lastFinalizedRequestId: u(1),
        etherLocked: locked,
        sharesBurnt: queue_shares,
    });
    assert_eq!(token.sender(admin).get_total_pooled_ether(), eth(101) + u(5 * ETH / 100) - locked);

    // When a validator is slashed by 1 ETH (within the 5 % one-off limit).
    let before = token.sender(admin).balance_of(alice);
    w.report(5, &data(5, 3, eth(95), U256::ZERO, 0));
    // Then every balance shrinks and the books still balance.
    w.assert_invariant();
    assert!(token.sender(admin).balance_of(alice) < before);
    assert_eq!(pool.sender(admin).get_beacon_stat(), (u(3), u(3), eth(95)));

    // And a report beyond the limits is rejected with nothing changed.
    at(6, 1);
    let bad = data(6, 3, eth(85), U256::ZERO, 0);
    for m in &members[..2] {
        oracle.sender(*m).submit_report(ref_slot(6), bad.hash(), u(1)).motsu_unwrap();
    }
    let p = token.sender(admin).get_total_pooled_ether();
    assert!(
        oracle.sender(members[0]).submit_report_data(tuple(&bad), u(1)).motsu_unwrap_err().0.len()
            >= 4
    );
    assert_eq!(token.sender(admin).get_total_pooled_ether(), p);
    w.assert_invariant();
}
