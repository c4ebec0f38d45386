//! Attack tests: one named test per known attack on liquid-staking
//! protocols (issue 7, `LIDO-AND-PEERS.md` §g), each through the Solidity
//! ABI of the deployed WASM on the embedded host. Every refused call is
//! asserted to revert with the named custom error and to leave every
//! program's storage and every known balance unchanged
//! ([`common_attack::refused`]).
//!
//! The protocol starts in the invariant engine's base state (see
//! [`common_attack::engine`]); the attacker programs are the WAT
//! [`common_attack::PUPPET_WAT`].

mod common_attack;

use alloy_primitives::{Address, B256, U256};
use alloy_sol_types::{SolCall, SolValue};
use common_attack::*;
use scripts::abi::{
    IAccountingOracle, IDepositPool, IStETH, IWithdrawalQueue, IWstETH, PermitInput, ReportData,
};
use scripts::invariants::engine::Engine;
use scripts::invariants::keys::{domain_separator, high_s};
use scripts::protocol::{ether, gwei, load_programs, DEAD, GOVERNANCE, OPERATOR, TREASURY};
use stylus_host::{DeployError, Host};

const ZERO: Address = Address::ZERO;

fn u(x: u64) -> U256 {
    U256::from(x)
}

fn two_pow_128() -> U256 {
    U256::from(1) << 128
}

// --- small readers ------------------------------------------------------------------------------

fn balance(e: &mut Engine, account: Address) -> U256 {
    let token = e.p.addrs.token;
    e.p.view(token, &IStETH::balanceOfCall { account }).unwrap()._0
}

fn shares(e: &mut Engine, account: Address) -> U256 {
    let token = e.p.addrs.token;
    e.p.view(token, &IStETH::sharesOfCall { account }).unwrap()._0
}

fn wst(e: &mut Engine, account: Address) -> U256 {
    let wsteth = e.p.addrs.wsteth;
    e.p.view(wsteth, &IWstETH::balanceOfCall { account }).unwrap()._0
}

/// `(P, S)` of the rebase token.
fn totals(e: &mut Engine) -> (U256, U256) {
    let token = e.p.addrs.token;
    let p = e.p.view(token, &IStETH::getTotalPooledEtherCall {}).unwrap()._0;
    let s = e.p.view(token, &IStETH::getTotalSharesCall {}).unwrap()._0;
    (p, s)
}

fn allowance(e: &mut Engine, owner: Address, spender: Address) -> U256 {
    let token = e.p.addrs.token;
    e.p.view(token, &IStETH::allowanceCall { owner, spender }).unwrap()._0
}

fn claimable(e: &mut Engine, id: U256) -> U256 {
    let queue = e.p.addrs.queue;
    let last = e.p.view(queue, &IWithdrawalQueue::getLastCheckpointIndexCall {}).unwrap()._0;
    let hints =
        e.p.view(
            queue,
            &IWithdrawalQueue::findCheckpointHintsCall {
                requestIds: vec![id],
                firstIndex: u(1),
                lastIndex: last,
            },
        )
        .unwrap()
        .hintIds;
    e.p.view(queue, &IWithdrawalQueue::getClaimableEtherCall { requestIds: vec![id], hints })
        .unwrap()
        .claimableEthValues[0]
}

/// `user` approves the queue and requests `amounts` for `owner` (zero: itself).
fn request(e: &mut Engine, user: Address, amounts: Vec<U256>, owner: Address) -> Vec<U256> {
    let (token, queue) = (e.p.addrs.token, e.p.addrs.queue);
    let total = amounts.iter().fold(U256::ZERO, |t, x| t + *x);
    accepted(e, user, token, &IStETH::approveCall { spender: queue, amount: total }, U256::ZERO);
    accepted(
        e,
        user,
        queue,
        &IWithdrawalQueue::requestWithdrawalsCall { amounts, owner },
        U256::ZERO,
    )
    .requestIds
}

/// Ether forced into the deposit pool: the vault's balance, collected by the
/// next report as rewards (within the per-report cap).
fn vault_income(e: &mut Engine, amount: U256) {
    let pool = e.p.addrs.pool;
    e.p.host.fund(pool, amount);
    e.p.chain.vault_pending += amount;
}

/// The per-report cap on rewards for pooled ether `p`: `floor(p * limit / 1e9)`.
fn rebase_cap(e: &mut Engine, p: U256) -> U256 {
    let oracle = e.p.addrs.oracle;
    let limits = e.p.view(oracle, &IAccountingOracle::getOracleReportLimitsCall {}).unwrap();
    p * limits.maxPositiveTokenRebase / u(1_000_000_000)
}

/// Each seen validator loses `gwei` (a slashing); returns the total.
fn slash_all(e: &mut Engine, gwei_each: u64) -> U256 {
    for i in 0..e.p.chain.validators.len() {
        e.p.chain.penalize(i, gwei_each);
    }
    gwei(gwei_each) * u(e.p.chain.validators.len() as u64)
}

// === Inflation and donation ======================================================================

#[test]
fn attack_inflation_first_depositor_cannot_mint_before_the_bootstrap() {
    // Given a rebase token alone (no shares yet) whose deposit pool is an
    // account the attacker controls,
    let programs = load_programs().unwrap();
    let code = &programs.iter().find(|(a, _)| a.package == "rebase-token").unwrap().1;
    let mut host = Host::new();
    let admin = Address::repeat_byte(0xad);
    let args =
        ("Liquid staked Ether 2.0".to_string(), "stETH".to_string(), admin).abi_encode_params();
    let token = host.deploy(code, Some(&args), U256::ZERO, admin).unwrap();
    let (pool, attacker) = (Address::repeat_byte(0x90), Address::repeat_byte(0xa7));
    let wire =
        IStETH::setProtocolContractsCall { depositPool: pool, oracle: pool, withdrawalQueue: pool };
    assert!(host.call(admin, token, &wire.abi_encode(), U256::ZERO).success);
    let view = |host: &mut Host, call: &dyn Fn() -> Vec<u8>| {
        host.static_call(admin, token, &call()).return_data
    };
    let totals_before = view(&mut host, &|| IStETH::getTotalSharesCall {}.abi_encode());

    // When the first mint goes to the attacker instead of 0x…dEaD, then it is
    // refused with NotInitialized and nothing changes;
    let mint = IStETH::mintSharesCall { recipient: attacker, etherAmount: u(1) };
    let out = host.call(pool, token, &mint.abi_encode(), U256::ZERO);
    assert_eq!(error_of(&out).as_deref(), Some("NotInitialized"));
    assert_eq!(host.storage(token, U256::ZERO), B256::ZERO, "the totals slot is still empty");
    // a stake through the token's own submit is refused the same way;
    host.fund(attacker, ether(1));
    let out = host.call(attacker, token, &IStETH::submitCall { referral: ZERO }.abi_encode(), u(1));
    assert_eq!(error_of(&out).as_deref(), Some("NotInitialized"));
    assert_eq!(host.balance(attacker), ether(1));
    // and nobody but the pool mints at all.
    let out = host.call(attacker, token, &mint.abi_encode(), U256::ZERO);
    assert_eq!(error_of(&out).as_deref(), Some("Unauthorized"));
    assert_eq!(view(&mut host, &|| IStETH::getTotalSharesCall {}.abi_encode()), totals_before);

    // Then only the 1:1 seed mint to 0x…dEaD is accepted, after which shares
    // are priced at the pool's rate.
    let seed = IStETH::mintSharesCall { recipient: DEAD, etherAmount: ether(1) };
    assert!(host.call(pool, token, &seed.abi_encode(), U256::ZERO).success);
    let got = host.call(
        pool,
        token,
        &IStETH::mintSharesCall { recipient: attacker, etherAmount: u(1) }.abi_encode(),
        U256::ZERO,
    );
    assert!(got.success);
    assert_eq!(U256::from_be_slice(&got.return_data), u(1), "1 wei buys 1 share at rate 1");
}

#[test]
fn attack_inflation_donations_cannot_move_the_share_rate() {
    let mut e = engine();
    let (attacker, victim) = (user(&e, 0), user(&e, 1));
    let a = e.p.addrs;
    // Given the protocol with its dead shares and a snapshot of every balance,
    assert!(shares(&mut e, DEAD) >= ether(1), "the seed's shares belong to 0x…dEaD");
    let (p0, s0) = totals(&mut e);
    let rate0 = e.p.view(a.wsteth, &IWstETH::stEthPerTokenCall {}).unwrap()._0;
    let holders =
        [attacker, victim, user(&e, 2), user(&e, 3), DEAD, TREASURY, OPERATOR, a.wsteth, a.queue];
    let before: Vec<U256> = holders.iter().map(|h| balance(&mut e, *h)).collect();

    // When the attacker forces 1,000 ETH into every program (no code runs),
    for target in [a.token, a.wsteth, a.queue, a.oracle] {
        e.p.host.fund(target, ether(1_000));
    }
    vault_income(&mut e, ether(1_000));
    // and tries plain ether sends to the programs that do not stake it,
    e.p.host.fund(attacker, ether(10));
    refused_raw(&mut e, attacker, a.queue, &[], ether(1), None);
    refused_raw(&mut e, attacker, a.oracle, &[], ether(1), None);
    // and sends shares straight to the share token and the queue,
    let token = a.token;
    accepted(
        &mut e,
        attacker,
        token,
        &IStETH::transferSharesCall { to: a.wsteth, sharesAmount: ether(1) },
        U256::ZERO,
    );
    accepted(
        &mut e,
        attacker,
        token,
        &IStETH::transferSharesCall { to: a.queue, sharesAmount: ether(1) },
        U256::ZERO,
    );

    // then the rate, the totals and every other holder's balance are unchanged,
    assert_eq!(totals(&mut e), (p0, s0));
    assert_eq!(e.p.view(a.wsteth, &IWstETH::stEthPerTokenCall {}).unwrap()._0, rate0);
    for (i, h) in holders.iter().enumerate().skip(1).take(6) {
        assert_eq!(balance(&mut e, *h), before[i], "holder {h}");
    }
    // and a victim's deposit after the donations is priced at the same rate:
    // its shares are worth the deposit, to the wei.
    let deposit = ether(10);
    let minted =
        accepted(&mut e, victim, a.pool, &IDepositPool::submitCall { referral: ZERO }, deposit)._0;
    assert_eq!(minted, deposit * s0 / p0);
    let (p1, s1) = totals(&mut e);
    let worth = minted * p1 / s1;
    assert!(worth <= deposit && deposit - worth <= u(1), "worth {worth} for {deposit}");

    // When the next report collects the pool's forced ether as rewards, the
    // rate rises by at most the per-report cap (the rest stays deferred).
    let cap = rebase_cap(&mut e, p1);
    report(&mut e, |d| d.lastRequestIdToFinalize = U256::ZERO);
    let (p2, _) = totals(&mut e);
    assert_eq!(p2 - p1, cap, "exactly the cap is distributed");
    assert!(
        e.p.host.balance(a.pool)
            > e.p.view(a.pool, &IDepositPool::getBufferedEtherCall {}).unwrap()._0
    );
}

// === Rebase sandwich ============================================================================

#[test]
fn attack_rebase_sandwich_gain_is_bounded_by_the_per_report_cap() {
    let mut e = engine();
    let a = e.p.addrs;
    let attacker = user(&e, 0);
    // Given income waiting in the vault, far above the per-report cap,
    vault_income(&mut e, ether(50));
    // when the attacker stakes 100 ETH inside the report's frame, just
    // before the data is submitted,
    let data = agree_on(&mut e, |d| d.lastRequestIdToFinalize = U256::ZERO);
    let stake = ether(100);
    let eth_before = e.p.host.balance(attacker);
    let minted =
        accepted(&mut e, attacker, a.pool, &IDepositPool::submitCall { referral: ZERO }, stake)._0;
    let (p_before, _) = totals(&mut e);
    assert!(submit(&mut e, &data).success);
    let (p_after, _) = totals(&mut e);
    let cap = rebase_cap(&mut e, p_before);
    assert!(p_after - p_before <= cap, "rewards within the cap");
    // and exits right after: a request of its whole balance, finalized by
    // the next report, then claimed,
    let value = minted * p_after / totals(&mut e).1;
    let held = balance(&mut e, attacker);
    let ids = request(&mut e, attacker, vec![value.min(held)], ZERO);
    report(&mut e, |_| {});
    let paid = claimable(&mut e, ids[0]);
    accepted(
        &mut e,
        attacker,
        a.queue,
        &IWithdrawalQueue::claimWithdrawalCall { requestId: ids[0] },
        U256::ZERO,
    );

    // then its gain is positive but at most the cap's share of its stake
    // (0.075 % of 100 ETH = 0.075 ETH, before the 10 % fee).
    let received = e.p.host.balance(attacker) + stake - eth_before;
    let bound = stake * u(750_000) / u(1_000_000_000);
    assert!(paid > stake, "the sandwich earned something: {paid}");
    assert!(paid - stake <= bound, "gain {} above 0.075 % of the stake ({bound})", paid - stake);
    assert_eq!(received, paid, "the claim paid exactly the finalized amount");
}

#[test]
fn attack_rebase_sandwich_request_just_before_a_report_earns_nothing_from_it() {
    let mut e = engine();
    let a = e.p.addrs;
    let attacker = user(&e, 0);
    // Given a report about to distribute rewards (income in the vault),
    vault_income(&mut e, ether(50));
    // when the attacker requests a withdrawal just before it,
    let amount = ether(5);
    let ids = request(&mut e, attacker, vec![amount], ZERO);
    let (p0, s0) = totals(&mut e);
    report(&mut e, |_| {});
    let (p1, s1) = totals(&mut e);
    // then the request is finalized at its nominal amount: the rewards of the
    // report went to the holders who stayed (the burnt shares are worth more
    // than the ether locked for them).
    let status =
        e.p.view(a.queue, &IWithdrawalQueue::getWithdrawalStatusCall { requestIds: ids.clone() })
            .unwrap()
            .statuses;
    assert!(status[0].isFinalized);
    assert_eq!(claimable(&mut e, ids[0]), amount);
    let locked_shares = status[0].amountOfShares;
    assert!(locked_shares * p1 / s1 > amount, "the burnt shares were worth more than was paid");
    assert!(p1 * s0 > p0 * s1, "the rate rose for the others");
    let eth = e.p.host.balance(attacker);
    accepted(
        &mut e,
        attacker,
        a.queue,
        &IWithdrawalQueue::claimWithdrawalCall { requestId: ids[0] },
        U256::ZERO,
    );
    assert_eq!(e.p.host.balance(attacker) - eth, amount);
}

#[test]
fn attack_rebase_sandwich_exit_just_before_a_slashing_bears_the_loss() {
    let mut e = engine();
    let a = e.p.addrs;
    let attacker = user(&e, 0);
    // Given a slashing about to be reported (3 % of the CL balance),
    slash_all(&mut e, 960_000_000);
    // when the attacker requests a withdrawal just before the report,
    let amount = ether(5);
    let ids = request(&mut e, attacker, vec![amount], ZERO);
    report(&mut e, |_| {});
    // then the request is finalized at the lower rate: the loss is shared.
    let (p, s) = totals(&mut e);
    let status =
        e.p.view(a.queue, &IWithdrawalQueue::getWithdrawalStatusCall { requestIds: ids.clone() })
            .unwrap()
            .statuses;
    let paid = claimable(&mut e, ids[0]);
    assert!(paid < amount, "paid {paid} for a request of {amount}");
    let shares = status[0].amountOfShares;
    assert!(paid <= shares * p / s, "paid no more than its shares are worth after the loss");
}

// === Allowance =================================================================================

#[test]
fn attack_allowance_transfer_shares_from_below_rate_one_spends_allowance_rounded_up() {
    let mut e = engine();
    let a = e.p.addrs;
    let (owner, spender, sink) = (user(&e, 0), user(&e, 1), user(&e, 2));
    // Given a share rate below 1 after two slashing reports,
    for _ in 0..2 {
        slash_all(&mut e, 1_500_000_000);
        report(&mut e, |_| {});
    }
    let (p, s) = totals(&mut e);
    assert!(p < s, "rate {p}/{s} is below 1");
    let one_share_value =
        e.p.view(a.token, &IStETH::getPooledEthBySharesCall { sharesAmount: u(1) }).unwrap()._0;
    assert_eq!(one_share_value, U256::ZERO, "one share is worth 0 wei rounded down");

    // When a spender with no allowance moves one share (worth 0 wei), then
    // it is refused: the allowance needed is ceil(1 * P / S) = 1.
    let call = IStETH::transferSharesFromCall { from: owner, to: sink, sharesAmount: u(1) };
    refused(&mut e, spender, a.token, &call, U256::ZERO, "InsufficientAllowance");

    // When the allowance is 1 wei, one share moves and the allowance is spent.
    accepted(&mut e, owner, a.token, &IStETH::approveCall { spender, amount: u(1) }, U256::ZERO);
    accepted(&mut e, spender, a.token, &call, U256::ZERO);
    assert_eq!(allowance(&mut e, owner, spender), U256::ZERO);
    refused(&mut e, spender, a.token, &call, U256::ZERO, "InsufficientAllowance");

    // And with an allowance of 1,000 wei the spender moves at most
    // floor(1000 * S / P) shares — never a share more than the allowance buys.
    accepted(
        &mut e,
        owner,
        a.token,
        &IStETH::approveCall { spender, amount: u(1_000) },
        U256::ZERO,
    );
    let max_shares = u(1_000) * s / p;
    let too_many =
        IStETH::transferSharesFromCall { from: owner, to: sink, sharesAmount: max_shares + u(1) };
    refused(&mut e, spender, a.token, &too_many, U256::ZERO, "InsufficientAllowance");
    let exact = IStETH::transferSharesFromCall { from: owner, to: sink, sharesAmount: max_shares };
    accepted(&mut e, spender, a.token, &exact, U256::ZERO);
    let spent = u(1_000) - allowance(&mut e, owner, spender);
    assert_eq!(spent, (max_shares * p).div_ceil(s), "spent ceil(k * P / S)");
}

// === Permit ====================================================================================

/// `(token, name, version)` of both permit-taking programs.
fn permit_tokens(e: &Engine) -> [(Address, &'static str, &'static str); 2] {
    [
        (e.p.addrs.token, "Liquid staked Ether 2.0", "2"),
        (e.p.addrs.wsteth, "Wrapped liquid staked Ether 2.0", "1"),
    ]
}

fn nonce(e: &mut Engine, token: Address, owner: Address) -> U256 {
    e.p.view(token, &IStETH::noncesCall { owner }).unwrap()._0
}

fn domain(e: &mut Engine, token: Address) -> B256 {
    e.p.view(token, &IStETH::DOMAIN_SEPARATORCall {}).unwrap()._0
}

fn permit_call(
    owner: Address,
    spender: Address,
    value: U256,
    deadline: U256,
    sig: (u8, B256, B256),
) -> IStETH::permitCall {
    IStETH::permitCall { owner, spender, value, deadline, v: sig.0, r: sig.1, s: sig.2 }
}

#[test]
fn attack_permit_replay_is_refused() {
    let mut e = engine();
    let owner = e.signers[0].clone();
    let (spender, relayer) = (user(&e, 1), user(&e, 2));
    for (token, _, _) in permit_tokens(&e) {
        // Given a permit that was accepted once,
        let deadline = u(e.p.host.timestamp() + 3_600);
        let sig = owner.permit(
            domain(&mut e, token),
            spender,
            ether(1),
            nonce(&mut e, token, owner.address),
            deadline,
        );
        let call = permit_call(owner.address, spender, ether(1), deadline, sig);
        accepted(&mut e, relayer, token, &call, U256::ZERO);
        // and the allowance then spent or changed by the owner,
        accepted(
            &mut e,
            owner.address,
            token,
            &IStETH::approveCall { spender, amount: u(5) },
            U256::ZERO,
        );
        // when it is submitted again, then InvalidSignature (the nonce moved on).
        refused(&mut e, relayer, token, &call, U256::ZERO, "InvalidSignature");
    }
}

#[test]
fn attack_permit_expired_deadline_is_refused() {
    let mut e = engine();
    let owner = e.signers[0].clone();
    let spender = user(&e, 1);
    for (token, _, _) in permit_tokens(&e) {
        // Given a permit whose deadline passed one second ago,
        let deadline = u(e.p.host.timestamp() - 1);
        let sig = owner.permit(
            domain(&mut e, token),
            spender,
            ether(1),
            nonce(&mut e, token, owner.address),
            deadline,
        );
        // when submitted, then PermitExpired.
        refused(
            &mut e,
            spender,
            token,
            &permit_call(owner.address, spender, ether(1), deadline, sig),
            U256::ZERO,
            "PermitExpired",
        );
    }
}

#[test]
fn attack_permit_high_s_signature_is_refused() {
    let mut e = engine();
    let owner = e.signers[0].clone();
    let spender = user(&e, 1);
    for (token, _, _) in permit_tokens(&e) {
        // Given a valid signature's malleable twin (same signer for ecrecover),
        let deadline = u(e.p.host.timestamp() + 3_600);
        let (v, r, s) = owner.permit(
            domain(&mut e, token),
            spender,
            ether(1),
            nonce(&mut e, token, owner.address),
            deadline,
        );
        let twin = high_s(v, r, s);
        // when submitted, then InvalidSignature; the original still works.
        refused(
            &mut e,
            spender,
            token,
            &permit_call(owner.address, spender, ether(1), deadline, twin),
            U256::ZERO,
            "InvalidSignature",
        );
        accepted(
            &mut e,
            spender,
            token,
            &permit_call(owner.address, spender, ether(1), deadline, (v, r, s)),
            U256::ZERO,
        );
    }
}

#[test]
fn attack_permit_wrong_chain_id_is_refused() {
    let mut e = engine();
    let owner = e.signers[0].clone();
    let spender = user(&e, 1);
    let chain_id = e.p.host.block().chain_id;
    for (token, name, version) in permit_tokens(&e) {
        // Given the program's domain is EIP-712's for this chain,
        assert_eq!(domain(&mut e, token), domain_separator(name, version, chain_id, token));
        // when a permit signed for chain 1 is submitted here, then InvalidSignature;
        let deadline = u(e.p.host.timestamp() + 3_600);
        let n = nonce(&mut e, token, owner.address);
        let mainnet = domain_separator(name, version, 1, token);
        let sig = owner.permit(mainnet, spender, ether(1), n, deadline);
        refused(
            &mut e,
            spender,
            token,
            &permit_call(owner.address, spender, ether(1), deadline, sig),
            U256::ZERO,
            "InvalidSignature",
        );
        // and a permit signed here is refused on another chain (a fork).
        let here = owner.permit(domain(&mut e, token), spender, ether(1), n, deadline);
        e.p.host.block_mut().chain_id = 1;
        refused(
            &mut e,
            spender,
            token,
            &permit_call(owner.address, spender, ether(1), deadline, here),
            U256::ZERO,
            "InvalidSignature",
        );
        e.p.host.block_mut().chain_id = chain_id;
    }
}

/// A contract wallet (the puppet) owning tokens, answering `isValidSignature`
/// with the first `len` bytes of `word`. Returns the wallet.
fn wallet(e: &mut Engine, word: B256, len: u8) -> Puppet {
    let wallet = Puppet::deploy(&mut e.p.host, GOVERNANCE);
    wallet.answer(&mut e.p.host, word, len);
    wallet
}

fn magic() -> B256 {
    B256::right_padding_from(&[0x16, 0x26, 0xba, 0x7e])
}

fn wallet_permit(e: &mut Engine, wallet: Address, spender: Address) -> IStETH::permitCall {
    // Any signature bytes: the wallet decides.
    let deadline = u(e.p.host.timestamp() + 3_600);
    permit_call(
        wallet,
        spender,
        ether(1),
        deadline,
        (27, B256::repeat_byte(1), B256::repeat_byte(2)),
    )
}

#[test]
fn attack_permit_contract_wallet_returning_a_wrong_magic_value_is_refused() {
    let mut e = engine();
    let spender = user(&e, 1);
    for (token, _, _) in permit_tokens(&e) {
        // Given wallets answering a wrong 4-byte value, and the right one with
        // garbage after it,
        for (word, len) in [
            (B256::right_padding_from(&[0xde, 0xad, 0xbe, 0xef]), 32),
            (B256::right_padding_from(&[0x16, 0x26, 0xba, 0x7e, 0, 0, 0, 1]), 32),
        ] {
            let w = wallet(&mut e, word, len);
            // when a permit for the wallet is submitted, then InvalidSignature.
            let call = wallet_permit(&mut e, w.address, spender);
            refused(&mut e, spender, token, &call, U256::ZERO, "InvalidSignature");
        }
        // And the exact answer is accepted (control).
        let w = wallet(&mut e, magic(), 32);
        let call = wallet_permit(&mut e, w.address, spender);
        accepted(&mut e, spender, token, &call, U256::ZERO);
        assert_eq!(nonce(&mut e, token, w.address), u(1));
    }
}

#[test]
fn attack_permit_contract_wallet_returning_short_data_is_refused() {
    let mut e = engine();
    let spender = user(&e, 1);
    for (token, _, _) in permit_tokens(&e) {
        // Given wallets answering the magic value in 4 bytes, in 31 bytes, or
        // nothing at all,
        for len in [4u8, 31, 0] {
            let w = wallet(&mut e, magic(), len);
            // when a permit for the wallet is submitted, then InvalidSignature.
            let call = wallet_permit(&mut e, w.address, spender);
            refused(&mut e, spender, token, &call, U256::ZERO, "InvalidSignature");
        }
        // And a wallet that reverts is refused the same way.
        let w = wallet(&mut e, magic(), 32);
        let queue = e.p.addrs.queue;
        w.arm(&mut e.p.host, 0, queue, U256::ZERO, &[0xde, 0xad]);
        let call = wallet_permit(&mut e, w.address, spender);
        refused(&mut e, spender, token, &call, U256::ZERO, "InvalidSignature");
    }
}

// === Oracle ====================================================================================

fn vote_call(slot: U256, report: B256) -> IAccountingOracle::submitReportCall {
    IAccountingOracle::submitReportCall { slot, report, consensusVersion: u(1) }
}

#[test]
fn attack_oracle_report_from_a_non_member_is_refused() {
    let mut e = engine();
    let stranger = user(&e, 0);
    let oracle = e.p.addrs.oracle;
    // Given the next frame's honest report agreed by the members,
    let data = agree_on(&mut e, |_| {});
    // when a non-member votes, then NonMember; when it submits the data,
    // then SenderNotAllowed.
    refused(
        &mut e,
        stranger,
        oracle,
        &vote_call(data.refSlot, data.hash()),
        U256::ZERO,
        "NonMember",
    );
    let call =
        IAccountingOracle::submitReportDataCall { data: data.clone(), contractVersion: u(1) };
    refused(&mut e, stranger, oracle, &call, U256::ZERO, "SenderNotAllowed");
    assert!(submit(&mut e, &data).success, "the members' own submission still works");
}

#[test]
fn attack_oracle_report_for_a_stale_slot_is_refused() {
    let mut e = engine();
    let oracle = e.p.addrs.oracle;
    let member = e.p.members[1];
    // Given a frame whose report was processed,
    let data = agree_on(&mut e, |_| {});
    assert!(submit(&mut e, &data).success);
    // when a member votes again for it, then ConsensusReportAlreadyProcessing;
    refused(
        &mut e,
        member,
        oracle,
        &vote_call(data.refSlot, B256::repeat_byte(7)),
        U256::ZERO,
        "ConsensusReportAlreadyProcessing",
    );
    // for the previous frame's slot, then InvalidSlot;
    let spf = u(e.p.config.slots_per_frame);
    refused(
        &mut e,
        member,
        oracle,
        &vote_call(data.refSlot - spf, data.hash()),
        U256::ZERO,
        "InvalidSlot",
    );
    // when the same data is submitted again, then RefSlotAlreadyProcessing.
    let call =
        IAccountingOracle::submitReportDataCall { data: data.clone(), contractVersion: u(1) };
    refused(&mut e, member, oracle, &call, U256::ZERO, "RefSlotAlreadyProcessing");
    // And data agreed in one frame but submitted in the next is too late:
    // ProcessingDeadlineMissed.
    let late = agree_on(&mut e, |_| {});
    e.p.advance_to_next_frame().unwrap();
    let call = IAccountingOracle::submitReportDataCall { data: late, contractVersion: u(1) };
    refused(&mut e, member, oracle, &call, U256::ZERO, "ProcessingDeadlineMissed");
}

#[test]
fn attack_oracle_report_for_a_future_slot_is_refused() {
    let mut e = engine();
    let oracle = e.p.addrs.oracle;
    let member = e.p.members[0];
    let data = agree_on(&mut e, |_| {});
    let spf = u(e.p.config.slots_per_frame);
    // When a member votes for the next frame's slot, then InvalidSlot;
    refused(
        &mut e,
        member,
        oracle,
        &vote_call(data.refSlot + spf, data.hash()),
        U256::ZERO,
        "InvalidSlot",
    );
    // when the agreed data is submitted with a future slot, then UnexpectedRefSlot.
    let future = ReportData { refSlot: data.refSlot + spf, ..data.clone() };
    let call = IAccountingOracle::submitReportDataCall { data: future, contractVersion: u(1) };
    refused(&mut e, member, oracle, &call, U256::ZERO, "UnexpectedRefSlot");
}

#[test]
fn attack_oracle_report_duplicated_is_refused() {
    let mut e = engine();
    let oracle = e.p.addrs.oracle;
    let member = e.p.members[0];
    let data = agree_on(&mut e, |_| {});
    // When a member repeats its vote, then DuplicateReport.
    refused(
        &mut e,
        member,
        oracle,
        &vote_call(data.refSlot, data.hash()),
        U256::ZERO,
        "DuplicateReport",
    );
    // When the data is applied and submitted again, then RefSlotAlreadyProcessing.
    assert!(submit(&mut e, &data).success);
    let call = IAccountingOracle::submitReportDataCall { data, contractVersion: u(1) };
    refused(&mut e, member, oracle, &call, U256::ZERO, "RefSlotAlreadyProcessing");
}

#[test]
fn attack_oracle_report_not_matching_the_agreed_hash_is_refused() {
    let mut e = engine();
    let oracle = e.p.addrs.oracle;
    let member = e.p.members[0];
    // Given the members agreed on the honest report,
    let data = agree_on(&mut e, |_| {});
    // when a member submits data with one more gwei of CL balance, then UnexpectedDataHash.
    let forged = ReportData { clBalanceGwei: data.clBalanceGwei + u(1), ..data.clone() };
    let call = IAccountingOracle::submitReportDataCall { data: forged, contractVersion: u(1) };
    refused(&mut e, member, oracle, &call, U256::ZERO, "UnexpectedDataHash");
    // And with another consensus or contract version, then UnexpectedConsensusVersion / UnexpectedContractVersion.
    let other = ReportData { consensusVersion: u(2), ..data.clone() };
    let call = IAccountingOracle::submitReportDataCall { data: other, contractVersion: u(1) };
    refused(&mut e, member, oracle, &call, U256::ZERO, "UnexpectedConsensusVersion");
    let call = IAccountingOracle::submitReportDataCall { data, contractVersion: u(2) };
    refused(&mut e, member, oracle, &call, U256::ZERO, "UnexpectedContractVersion");
}

/// Agrees on the honest report changed by `adjust` and asserts its
/// submission is refused with `error`, changing nothing.
fn refused_report(e: &mut Engine, adjust: impl FnOnce(&mut ReportData), error: &str) {
    let data = agree_on(e, adjust);
    let (member, oracle) = (e.p.members[0], e.p.addrs.oracle);
    let call = IAccountingOracle::submitReportDataCall { data, contractVersion: u(1) };
    refused(e, member, oracle, &call, U256::ZERO, error);
}

#[test]
fn attack_oracle_report_beyond_the_annual_increase_limit_is_refused() {
    let mut e = engine();
    // Given one day since the last report, when the CL balance is reported
    // 1 % higher (≈ 365 % a year, the limit is 10 %), then IncorrectCLBalanceIncrease.
    refused_report(
        &mut e,
        |d| d.clBalanceGwei = d.clBalanceGwei * u(101) / u(100),
        "IncorrectCLBalanceIncrease",
    );
}

#[test]
fn attack_oracle_report_beyond_the_one_off_decrease_limit_is_refused() {
    let mut e = engine();
    // When the CL balance is reported 6 % lower (limit 5 %), then IncorrectCLBalanceDecrease.
    refused_report(
        &mut e,
        |d| d.clBalanceGwei = d.clBalanceGwei * u(94) / u(100),
        "IncorrectCLBalanceDecrease",
    );
    // And 5 % lower is within the limit.
    let data = agree_on(&mut e, |d| d.clBalanceGwei = d.clBalanceGwei * u(95) / u(100));
    assert!(submit(&mut e, &data).success);
}

#[test]
fn attack_oracle_report_beyond_the_validator_counts_is_refused() {
    let mut e = engine();
    // When more validators are reported than were deposited, then ReportedMoreDeposited;
    refused_report(&mut e, |d| d.numValidators += u(1), "ReportedMoreDeposited");
    // when fewer than already seen, then ReportedLessValidators.
    refused_report(&mut e, |d| d.numValidators -= u(1), "ReportedLessValidators");
}

#[test]
fn attack_oracle_report_withdrawals_beyond_the_vault_are_refused() {
    let mut e = engine();
    // When the vault is reported with one more wei than the pool holds
    // beyond its buffer (and the CL balance one wei lower, so the total is
    // within the limits), then WithdrawalsExceedUnaccountedEther.
    refused_report(
        &mut e,
        |d| {
            d.withdrawalVaultBalance += gwei(1);
            d.clBalanceGwei -= u(1);
        },
        "WithdrawalsExceedUnaccountedEther",
    );
}

#[test]
fn attack_oracle_report_finalizing_more_than_the_buffer_is_refused() {
    let mut e = engine();
    let a = e.p.addrs;
    // Given a buffer drained into validators and a request bigger than what is left,
    let staker = user(&e, 0);
    accepted(&mut e, staker, a.pool, &IDepositPool::submitCall { referral: ZERO }, ether(100));
    e.p.deposit_validators(10).unwrap();
    let buffered = e.p.view(a.pool, &IDepositPool::getBufferedEtherCall {}).unwrap()._0;
    let ids = request(&mut e, staker, vec![buffered + ether(5)], ZERO);
    // when a report tries to finalize it, then EtherToLockExceedsAvailable.
    refused_report(&mut e, |d| d.lastRequestIdToFinalize = ids[0], "EtherToLockExceedsAvailable");
}

#[test]
fn attack_oracle_report_beyond_the_rebase_limit_is_capped() {
    let mut e = engine();
    let a = e.p.addrs;
    // Given 20 ETH of income in the vault (far above 0.075 % of the pool),
    vault_income(&mut e, ether(20));
    let (p0, _) = totals(&mut e);
    let cap = rebase_cap(&mut e, p0);
    // when the report is applied (finalizing nothing), then exactly the cap
    // is distributed and the rest stays in the vault for later reports.
    report(&mut e, |d| d.lastRequestIdToFinalize = U256::ZERO);
    let (p1, _) = totals(&mut e);
    assert_eq!(p1 - p0, cap);
    let buffered = e.p.view(a.pool, &IDepositPool::getBufferedEtherCall {}).unwrap()._0;
    assert_eq!(e.p.host.balance(a.pool) - buffered, ether(20) - cap, "the rest is deferred");
}

#[test]
fn attack_oracle_report_after_quorum_is_lost_is_refused() {
    let mut e = engine();
    let oracle = e.p.addrs.oracle;
    let members = e.p.members.clone();
    // Given consensus on the honest report (3 of 3, quorum 2),
    let data = agree_on(&mut e, |_| {});
    // when two members change their votes, then consensus is lost and the
    // data is refused with NoConsensusReportToProcess;
    for (i, m) in members[1..].iter().enumerate() {
        let other = B256::repeat_byte(0x42 + i as u8);
        accepted(&mut e, *m, oracle, &vote_call(data.refSlot, other), U256::ZERO);
    }
    let call =
        IAccountingOracle::submitReportDataCall { data: data.clone(), contractVersion: u(1) };
    refused(&mut e, members[0], oracle, &call, U256::ZERO, "NoConsensusReportToProcess");
    // and when one of them returns but governance raises the quorum to 3,
    // it is lost again.
    accepted(&mut e, members[1], oracle, &vote_call(data.refSlot, data.hash()), U256::ZERO);
    accepted(
        &mut e,
        GOVERNANCE,
        oracle,
        &IAccountingOracle::setQuorumCall { quorum: u(3) },
        U256::ZERO,
    );
    refused(&mut e, members[0], oracle, &call, U256::ZERO, "NoConsensusReportToProcess");
}

/// Regression: the oracle refused this report (0 / 0 read as an infinite
/// drop) until b369db6, so no request could be finalized once every
/// validator had exited; found independently by the e2e oracle tests.
#[test]
fn attack_oracle_report_with_an_empty_consensus_layer_is_accepted() {
    let mut e = engine();
    // Given every validator exited and a report collected their ether,
    for i in 0..e.p.chain.validators.len() {
        e.p.exit_validator(i);
    }
    report(&mut e, |_| {});
    // and a withdrawal request waiting,
    let alice = user(&e, 0);
    request(&mut e, alice, vec![ether(1)], ZERO);
    // when the next honest report (nothing changed) is submitted, then it is
    // applied and finalizes the request.
    let data = agree_on(&mut e, |_| {});
    let out = submit(&mut e, &data);
    assert!(out.success, "refused: {:?}", error_of(&out));
}

// === Re-entry ==================================================================================

/// A request of 1 ETH by user 0 owned by `owner`, finalized by a report.
fn finalized_request_for(e: &mut Engine, owner: Address) -> U256 {
    let ids = request(e, user(e, 0), vec![ether(1)], owner);
    report(e, |_| {});
    ids[0]
}

#[test]
fn attack_reentry_claim_receiver_reentering_claim_makes_the_claim_revert() {
    let mut e = engine();
    let a = e.p.addrs;
    // Given a contract that owns a finalized request and, when paid, claims it again,
    let attacker = Puppet::deploy(&mut e.p.host, GOVERNANCE);
    let id = finalized_request_for(&mut e, attacker.address);
    let claim = IWithdrawalQueue::claimWithdrawalCall { requestId: id }.abi_encode();
    attacker.arm(&mut e.p.host, RECORD, a.queue, U256::ZERO, &claim);
    // when it claims, then the queue refuses the re-entry, the attacker
    // reverts, the payment fails and the claim reverts with
    // CantSendValueRecipientMayHaveReverted, changing nothing.
    let data = Puppet::call_data(a.queue, U256::ZERO, &claim);
    let caller = user(&e, 1);
    refused_raw(
        &mut e,
        caller,
        attacker.address,
        &data,
        U256::ZERO,
        Some("CantSendValueRecipientMayHaveReverted"),
    );
    assert_eq!(e.p.host.balance(attacker.address), U256::ZERO);
}

#[test]
fn attack_reentry_claim_receiver_swallowing_the_refusal_is_paid_once() {
    let mut e = engine();
    let a = e.p.addrs;
    // Given a contract owning two finalized requests that, when paid, tries
    // to claim the other one and ignores the failure,
    let attacker = Puppet::deploy(&mut e.p.host, GOVERNANCE);
    let (alice, caller) = (user(&e, 0), user(&e, 1));
    let ids = request(&mut e, alice, vec![ether(1), ether(2)], attacker.address);
    report(&mut e, |_| {});
    let paid = claimable(&mut e, ids[0]);
    let locked = e.p.view(a.queue, &IWithdrawalQueue::getLockedEtherAmountCall {}).unwrap()._0;
    let second = IWithdrawalQueue::claimWithdrawalCall { requestId: ids[1] }.abi_encode();
    attacker.arm(&mut e.p.host, SWALLOW | RECORD, a.queue, U256::ZERO, &second);
    // when it claims the first,
    let first = IWithdrawalQueue::claimWithdrawalCall { requestId: ids[0] }.abi_encode();
    let out = e.p.host.call(
        caller,
        attacker.address,
        &Puppet::call_data(a.queue, U256::ZERO, &first),
        U256::ZERO,
    );
    assert!(out.success);
    // then the nested claim was refused, it got exactly one payment, and
    // the other request is still unclaimed;
    assert_eq!(attacker.record(&e.p.host), Record { calls: 1, last_succeeded: false });
    assert_eq!(e.p.host.balance(attacker.address), paid);
    let locked_after =
        e.p.view(a.queue, &IWithdrawalQueue::getLockedEtherAmountCall {}).unwrap()._0;
    assert_eq!(locked - locked_after, paid);
    // a second claim of the first is RequestAlreadyClaimed.
    let data = Puppet::call_data(a.queue, U256::ZERO, &first);
    refused_raw(&mut e, caller, attacker.address, &data, U256::ZERO, Some("RequestAlreadyClaimed"));
    let status =
        e.p.view(a.queue, &IWithdrawalQueue::getWithdrawalStatusCall { requestIds: ids })
            .unwrap()
            .statuses;
    assert!(status[0].isClaimed && !status[1].isClaimed);
}

#[test]
fn attack_reentry_stake_and_wrap_hostile_pool_cannot_reenter_the_share_token() {
    let mut e = engine();
    let a = e.p.addrs;
    let victim = user(&e, 0);
    // Given a share token whose deposit pool is an attacker program that,
    // when asked to stake, calls back into the share token,
    let programs = load_programs().unwrap();
    let code = programs.iter().find(|(x, _)| x.package == "share-token").unwrap().1.clone();
    let pool = Puppet::deploy(&mut e.p.host, GOVERNANCE);
    let args = ("Wrapped".to_string(), "W".to_string(), a.token, pool.address).abi_encode_params();
    let wrapper = e.p.host.deploy(&code, Some(&args), U256::ZERO, GOVERNANCE).unwrap();
    let unwrap = IWstETH::unwrapCall { wstETHAmount: u(1) }.abi_encode();
    pool.arm(&mut e.p.host, RECORD, wrapper, U256::ZERO, &unwrap);
    // when a user stakes and wraps through it, then the re-entry is refused
    // and so is the whole stake, leaving the ether with the user;
    let eth = e.p.host.balance(victim);
    let out = e.p.host.call(victim, wrapper, &[], ether(1));
    assert!(!out.success);
    assert_eq!(e.p.host.balance(victim), eth);
    assert_eq!(e.p.host.balance(pool.address), U256::ZERO);
    let supply = e.p.view(wrapper, &IWstETH::totalSupplyCall {}).unwrap()._0;
    assert_eq!(supply, U256::ZERO);
    // and when the hostile pool swallows the refusal, the re-entry still
    // did not happen (recorded as failed).
    pool.arm(&mut e.p.host, SWALLOW | RECORD, wrapper, U256::ZERO, &unwrap);
    pool.answer(&mut e.p.host, B256::ZERO, 32);
    let out = e.p.host.call(victim, wrapper, &[], ether(1));
    assert!(out.success, "{:?} {:?} {:?}", out.failure, error_of(&out), out.trace);
    assert_eq!(pool.record(&e.p.host), Record { calls: 1, last_succeeded: false });
}

#[test]
fn attack_reentry_stake_and_wrap_inside_a_claim_payout_is_accounted_once() {
    let mut e = engine();
    let a = e.p.addrs;
    // Given a contract owning a finalized request that, when paid, stakes
    // and wraps the payment,
    let attacker = Puppet::deploy(&mut e.p.host, GOVERNANCE);
    let id = finalized_request_for(&mut e, attacker.address);
    let paid = claimable(&mut e, id);
    attacker.arm(&mut e.p.host, RECORD, a.wsteth, paid, &[]);
    let (p, s) = totals(&mut e);
    let locked = e.p.view(a.queue, &IWithdrawalQueue::getLockedEtherAmountCall {}).unwrap()._0;
    // when it claims,
    let claim = IWithdrawalQueue::claimWithdrawalCall { requestId: id }.abi_encode();
    let caller = user(&e, 1);
    let out = e.p.host.call(
        caller,
        attacker.address,
        &Puppet::call_data(a.queue, U256::ZERO, &claim),
        U256::ZERO,
    );
    assert!(out.success);
    // then the nested stake-and-wrap went through once (no program was
    // entered twice), the attacker holds the shares of exactly the payment,
    assert_eq!(attacker.record(&e.p.host), Record { calls: 1, last_succeeded: true });
    assert_eq!(wst(&mut e, attacker.address), paid * s / p);
    // and the queue paid exactly once.
    let locked_after =
        e.p.view(a.queue, &IWithdrawalQueue::getLockedEtherAmountCall {}).unwrap()._0;
    assert_eq!(locked - locked_after, paid);
    assert_eq!(e.p.host.balance(a.queue), locked_after);
    e.p.track(attacker.address);
    e.p.check_invariants().unwrap();
}

#[test]
fn attack_reentry_stake_and_wrap_from_a_signature_check_is_blocked() {
    let mut e = engine();
    let a = e.p.addrs;
    let spender = user(&e, 1);
    // Given a contract wallet that, when asked to check a signature, tries to
    // stake and wrap 1 wei (ignoring failure) and then answers "valid",
    let w = wallet(&mut e, magic(), 32);
    e.p.host.fund(w.address, ether(1));
    w.arm(&mut e.p.host, SWALLOW, a.wsteth, u(1), &[]);
    let (p, s) = totals(&mut e);
    // when a permit for it is checked (a static call), then the stake cannot
    // happen, and the permit is decided by the answer alone.
    let call = wallet_permit(&mut e, w.address, spender);
    accepted(&mut e, spender, a.wsteth, &call, U256::ZERO);
    assert_eq!(totals(&mut e), (p, s));
    assert_eq!(wst(&mut e, w.address), U256::ZERO);
    assert_eq!(e.p.host.balance(w.address), ether(1));
}

// === Paused programs ============================================================================

#[test]
fn attack_paused_rebase_token_refuses_every_share_movement() {
    let mut e = engine();
    let a = e.p.addrs;
    let (alice, bob) = (user(&e, 0), user(&e, 1));
    accepted(
        &mut e,
        alice,
        a.token,
        &IStETH::approveCall { spender: bob, amount: ether(5) },
        U256::ZERO,
    );
    accepted(
        &mut e,
        alice,
        a.token,
        &IStETH::approveCall { spender: a.wsteth, amount: ether(5) },
        U256::ZERO,
    );
    accepted(
        &mut e,
        alice,
        a.token,
        &IStETH::approveCall { spender: a.queue, amount: ether(5) },
        U256::ZERO,
    );
    accepted(
        &mut e,
        alice,
        a.wsteth,
        &IWstETH::approveCall { spender: a.queue, amount: ether(5) },
        U256::ZERO,
    );
    // Given the rebase token stopped by governance,
    accepted(&mut e, GOVERNANCE, a.token, &IStETH::stopCall {}, U256::ZERO);
    let stopped = "ContractStopped";
    // then every entry point that moves, mints or burns shares refuses it:
    refused(
        &mut e,
        alice,
        a.token,
        &IStETH::transferCall { to: bob, amount: u(1) },
        U256::ZERO,
        stopped,
    );
    refused(
        &mut e,
        bob,
        a.token,
        &IStETH::transferFromCall { from: alice, to: bob, amount: u(1) },
        U256::ZERO,
        stopped,
    );
    refused(
        &mut e,
        alice,
        a.token,
        &IStETH::transferSharesCall { to: bob, sharesAmount: u(1) },
        U256::ZERO,
        stopped,
    );
    refused(
        &mut e,
        bob,
        a.token,
        &IStETH::transferSharesFromCall { from: alice, to: bob, sharesAmount: u(1) },
        U256::ZERO,
        stopped,
    );
    refused(
        &mut e,
        bob,
        a.token,
        &IStETH::transferFromReturningSharesCall { from: alice, to: bob, amount: u(1) },
        U256::ZERO,
        stopped,
    );
    refused(&mut e, alice, a.token, &IStETH::submitCall { referral: ZERO }, ether(1), stopped);
    refused_raw(&mut e, alice, a.token, &[], ether(1), Some(stopped));
    refused(&mut e, alice, a.pool, &IDepositPool::submitCall { referral: ZERO }, ether(1), stopped);
    refused_raw(&mut e, alice, a.pool, &[], ether(1), Some(stopped));
    refused_raw(&mut e, alice, a.wsteth, &[], ether(1), Some(stopped));
    refused(
        &mut e,
        alice,
        a.wsteth,
        &IWstETH::wrapCall { stETHAmount: ether(1) },
        U256::ZERO,
        stopped,
    );
    refused(
        &mut e,
        alice,
        a.wsteth,
        &IWstETH::unwrapCall { wstETHAmount: ether(1) },
        U256::ZERO,
        stopped,
    );
    let amounts = vec![ether(1)];
    refused(
        &mut e,
        alice,
        a.queue,
        &IWithdrawalQueue::requestWithdrawalsCall { amounts: amounts.clone(), owner: ZERO },
        U256::ZERO,
        stopped,
    );
    refused(
        &mut e,
        alice,
        a.queue,
        &IWithdrawalQueue::requestWithdrawalsWstETHCall { amounts, owner: ZERO },
        U256::ZERO,
        stopped,
    );
    refused_report(&mut e, |_| {}, stopped);
    // while approvals, claims and share-token transfers still work (nothing
    // is trapped by the stop),
    accepted(
        &mut e,
        alice,
        a.token,
        &IStETH::approveCall { spender: bob, amount: u(7) },
        U256::ZERO,
    );
    accepted(
        &mut e,
        alice,
        a.token,
        &IStETH::increaseAllowanceCall { spender: bob, addedValue: u(1) },
        U256::ZERO,
    );
    let eth = e.p.host.balance(alice);
    accepted(
        &mut e,
        alice,
        a.queue,
        &IWithdrawalQueue::claimWithdrawalCall { requestId: u(1) },
        U256::ZERO,
    );
    assert!(e.p.host.balance(alice) > eth);
    accepted(&mut e, alice, a.wsteth, &IWstETH::transferCall { to: bob, amount: u(1) }, U256::ZERO);
    // and resuming restores the movements.
    accepted(&mut e, GOVERNANCE, a.token, &IStETH::resumeCall {}, U256::ZERO);
    accepted(&mut e, alice, a.token, &IStETH::transferCall { to: bob, amount: u(1) }, U256::ZERO);
}

#[test]
fn attack_paused_deposit_pool_refuses_staking_through_every_path() {
    let mut e = engine();
    let a = e.p.addrs;
    let alice = user(&e, 0);
    // Given the deposit pool stopped by governance,
    accepted(&mut e, GOVERNANCE, a.pool, &IDepositPool::stopCall {}, U256::ZERO);
    // then every way to stake is refused with StakingIsPaused,
    let paused = "StakingIsPaused";
    refused(&mut e, alice, a.pool, &IDepositPool::submitCall { referral: ZERO }, ether(1), paused);
    refused_raw(&mut e, alice, a.pool, &[], ether(1), Some(paused));
    refused(&mut e, alice, a.token, &IStETH::submitCall { referral: ZERO }, ether(1), paused);
    refused_raw(&mut e, alice, a.token, &[], ether(1), Some(paused));
    refused_raw(&mut e, alice, a.wsteth, &[], ether(1), Some(paused));
    // deposits to validators and resuming staking alone with ContractStopped,
    let deposit = IDepositPool::depositBufferedEtherCall { maxValidators: u(1) };
    refused(&mut e, scripts::protocol::DEPOSITOR, a.pool, &deposit, U256::ZERO, "ContractStopped");
    refused(
        &mut e,
        GOVERNANCE,
        a.pool,
        &IDepositPool::resumeStakingCall {},
        U256::ZERO,
        "ContractStopped",
    );
    // while reports (and so finalization of withdrawals) still go through.
    report(&mut e, |_| {});
    // With staking paused only, staking is refused but deposits go on.
    accepted(&mut e, GOVERNANCE, a.pool, &IDepositPool::resumeCall {}, U256::ZERO);
    accepted(&mut e, GOVERNANCE, a.pool, &IDepositPool::pauseStakingCall {}, U256::ZERO);
    refused(&mut e, alice, a.pool, &IDepositPool::submitCall { referral: ZERO }, ether(1), paused);
    accepted(&mut e, scripts::protocol::DEPOSITOR, a.pool, &deposit, U256::ZERO);
}

#[test]
fn attack_paused_withdrawal_queue_refuses_requests_and_finalization() {
    let mut e = engine();
    let a = e.p.addrs;
    let (alice, bob) = (user(&e, 0), user(&e, 1));
    accepted(
        &mut e,
        alice,
        a.token,
        &IStETH::approveCall { spender: a.queue, amount: ether(5) },
        U256::ZERO,
    );
    accepted(
        &mut e,
        alice,
        a.wsteth,
        &IWstETH::approveCall { spender: a.queue, amount: ether(5) },
        U256::ZERO,
    );
    // Given the queue paused for a week,
    let week = 7 * 86_400;
    accepted(
        &mut e,
        GOVERNANCE,
        a.queue,
        &IWithdrawalQueue::pauseForCall { duration: u(week) },
        U256::ZERO,
    );
    // then requests through every variant are refused with ResumedExpected,
    let resumed = "ResumedExpected";
    let amounts = vec![ether(1)];
    let permit =
        PermitInput { value: U256::ZERO, deadline: U256::ZERO, v: 0, r: B256::ZERO, s: B256::ZERO };
    refused(
        &mut e,
        alice,
        a.queue,
        &IWithdrawalQueue::requestWithdrawalsCall { amounts: amounts.clone(), owner: ZERO },
        U256::ZERO,
        resumed,
    );
    refused(
        &mut e,
        alice,
        a.queue,
        &IWithdrawalQueue::requestWithdrawalsWstETHCall { amounts: amounts.clone(), owner: ZERO },
        U256::ZERO,
        resumed,
    );
    refused(
        &mut e,
        alice,
        a.queue,
        &IWithdrawalQueue::requestWithdrawalsWithPermitCall {
            amounts: amounts.clone(),
            owner: ZERO,
            permit: permit.clone(),
        },
        U256::ZERO,
        resumed,
    );
    refused(
        &mut e,
        alice,
        a.queue,
        &IWithdrawalQueue::requestWithdrawalsWstETHWithPermitCall { amounts, owner: ZERO, permit },
        U256::ZERO,
        resumed,
    );
    refused(
        &mut e,
        GOVERNANCE,
        a.queue,
        &IWithdrawalQueue::pauseForCall { duration: u(1) },
        U256::ZERO,
        resumed,
    );
    // a report that would finalize request 5 is refused the same way,
    refused_report(&mut e, |d| d.lastRequestIdToFinalize = u(5), resumed);
    // while claims and request transfers still work,
    accepted(
        &mut e,
        alice,
        a.queue,
        &IWithdrawalQueue::claimWithdrawalCall { requestId: u(1) },
        U256::ZERO,
    );
    accepted(
        &mut e,
        alice,
        a.queue,
        &IWithdrawalQueue::transferFromCall { from: alice, to: bob, requestId: u(2) },
        U256::ZERO,
    );
    // and once the pause is over, requests work again.
    e.p.host.advance_time(week);
    request(&mut e, alice, vec![ether(1)], ZERO);
}

// === Amounts at the bounds ======================================================================

/// Every amount-taking entry point with `x`; `x` is `2^128` or `2^256 - 1`.
fn amounts_at(e: &mut Engine, x: U256) {
    let a = e.p.addrs;
    let (alice, bob) = (user(e, 0), user(e, 1));
    let max = x == U256::MAX;
    // Infinite allowances everywhere first, so only the amount decides.
    for (token, spender) in [
        (a.token, bob),
        (a.token, a.wsteth),
        (a.token, a.queue),
        (a.wsteth, a.queue),
        (a.wsteth, bob),
    ] {
        accepted(e, alice, token, &IStETH::approveCall { spender, amount: U256::MAX }, U256::ZERO);
    }
    let bal = "InsufficientBalance";
    refused(e, alice, a.token, &IStETH::transferCall { to: bob, amount: x }, U256::ZERO, bal);
    refused(
        e,
        bob,
        a.token,
        &IStETH::transferFromCall { from: alice, to: bob, amount: x },
        U256::ZERO,
        bal,
    );
    refused(
        e,
        alice,
        a.token,
        &IStETH::transferSharesCall { to: bob, sharesAmount: x },
        U256::ZERO,
        bal,
    );
    refused(
        e,
        bob,
        a.token,
        &IStETH::transferSharesFromCall { from: alice, to: bob, sharesAmount: x },
        U256::ZERO,
        bal,
    );
    refused(e, alice, a.wsteth, &IWstETH::wrapCall { stETHAmount: x }, U256::ZERO, bal);
    refused(e, alice, a.wsteth, &IWstETH::unwrapCall { wstETHAmount: x }, U256::ZERO, bal);
    refused(e, alice, a.wsteth, &IWstETH::transferCall { to: bob, amount: x }, U256::ZERO, bal);
    refused(
        e,
        bob,
        a.wsteth,
        &IWstETH::transferFromCall { from: alice, to: bob, amount: x },
        U256::ZERO,
        bal,
    );
    // The conversions refuse amounts above 2^128 - 1 (the bound of the math).
    for data in [
        IStETH::getSharesByPooledEthCall { ethAmount: x }.abi_encode(),
        IStETH::getPooledEthBySharesCall { sharesAmount: x }.abi_encode(),
        IStETH::getPooledEthBySharesRoundUpCall { sharesAmount: x }.abi_encode(),
    ] {
        let out = e.p.host.static_call(alice, a.token, &data);
        assert_eq!(error_of(&out).as_deref(), Some("AmountTooLarge"));
    }
    let out = e.p.host.static_call(
        alice,
        a.wsteth,
        &IWstETH::getWstETHByStETHCall { stETHAmount: x }.abi_encode(),
    );
    assert_eq!(error_of(&out).as_deref(), Some("AmountTooLarge"));
    // Allowance arithmetic never wraps.
    refused(
        e,
        alice,
        a.token,
        &IStETH::increaseAllowanceCall { spender: bob, addedValue: x },
        U256::ZERO,
        "AmountTooLarge",
    );
    refused(
        e,
        alice,
        a.wsteth,
        &IWstETH::increaseAllowanceCall { spender: bob, addedValue: x },
        U256::ZERO,
        "AllowanceOverflow",
    );
    accepted(e, alice, a.token, &IStETH::approveCall { spender: bob, amount: u(1) }, U256::ZERO);
    refused(
        e,
        alice,
        a.token,
        &IStETH::decreaseAllowanceCall { spender: bob, subtractedValue: x },
        U256::ZERO,
        "AllowanceBelowZero",
    );
    // Withdrawal requests and claims.
    refused(
        e,
        alice,
        a.queue,
        &IWithdrawalQueue::requestWithdrawalsCall { amounts: vec![x], owner: ZERO },
        U256::ZERO,
        "RequestAmountTooLarge",
    );
    let wrapped = if max { vec![x, u(1)] } else { vec![x] };
    let error = if max { "AmountTooLarge" } else { bal };
    refused(
        e,
        alice,
        a.queue,
        &IWithdrawalQueue::requestWithdrawalsWstETHCall { amounts: wrapped, owner: ZERO },
        U256::ZERO,
        error,
    );
    refused(
        e,
        alice,
        a.queue,
        &IWithdrawalQueue::claimWithdrawalCall { requestId: x },
        U256::ZERO,
        "InvalidRequestId",
    );
    // Governance parameters.
    let limit =
        IDepositPool::setStakingLimitCall { maxStakeLimit: x, stakeLimitIncreasePerSecond: u(1) };
    refused(e, GOVERNANCE, a.pool, &limit, U256::ZERO, "TooLargeMaxStakeLimit");
    // Reports carrying huge numbers.
    refused_report(e, |d| d.clBalanceGwei = x, "AmountTooLarge");
    refused_report(e, |d| d.withdrawalVaultBalance = x, "AmountTooLarge");
    // A stake of 2^128 wei (a balance no account has, given here) overflows the buffer.
    accepted(e, GOVERNANCE, a.pool, &IDepositPool::removeStakingLimitCall {}, U256::ZERO);
    let whale = Address::repeat_byte(0x3e);
    e.p.host.fund(whale, two_pow_128());
    refused(
        e,
        whale,
        a.pool,
        &IDepositPool::submitCall { referral: ZERO },
        two_pow_128(),
        "TotalOverflow",
    );
}

#[test]
fn attack_amounts_at_2_128_are_refused() {
    let mut e = engine();
    amounts_at(&mut e, two_pow_128());
}

#[test]
fn attack_amounts_at_2_256_minus_1_are_refused() {
    let mut e = engine();
    amounts_at(&mut e, U256::MAX);
    // And the documented meanings of 2^256 - 1: an infinite allowance is
    // never spent, a deposit of "as many validators as possible" deposits
    // what the buffer allows, an infinite pause lasts until resumed.
    let a = e.p.addrs;
    let (alice, bob) = (user(&e, 0), user(&e, 1));
    accepted(
        &mut e,
        alice,
        a.token,
        &IStETH::approveCall { spender: bob, amount: U256::MAX },
        U256::ZERO,
    );
    accepted(
        &mut e,
        bob,
        a.token,
        &IStETH::transferFromCall { from: alice, to: bob, amount: ether(1) },
        U256::ZERO,
    );
    assert_eq!(allowance(&mut e, alice, bob), U256::MAX);
    accepted(
        &mut e,
        scripts::protocol::DEPOSITOR,
        a.pool,
        &IDepositPool::depositBufferedEtherCall { maxValidators: U256::MAX },
        U256::ZERO,
    );
    accepted(
        &mut e,
        GOVERNANCE,
        a.queue,
        &IWithdrawalQueue::pauseUntilCall { pauseUntilInclusive: U256::MAX },
        U256::ZERO,
    );
    e.p.host.advance_time(10 * 365 * 86_400);
    assert!(e.p.view(a.queue, &IWithdrawalQueue::isPausedCall {}).unwrap()._0);
}

// === The zero address ===========================================================================

#[test]
fn attack_zero_address_in_every_address_argument() {
    let mut e = engine();
    let a = e.p.addrs;
    let (alice, bob) = (user(&e, 0), user(&e, 1));
    let za = "ZeroAddress";
    accepted(
        &mut e,
        alice,
        a.token,
        &IStETH::approveCall { spender: bob, amount: ether(1) },
        U256::ZERO,
    );
    accepted(
        &mut e,
        alice,
        a.wsteth,
        &IWstETH::approveCall { spender: bob, amount: ether(1) },
        U256::ZERO,
    );
    // Rebase token: recipients, spenders and owners.
    refused(
        &mut e,
        alice,
        a.token,
        &IStETH::transferCall { to: ZERO, amount: u(1) },
        U256::ZERO,
        za,
    );
    refused(
        &mut e,
        alice,
        a.token,
        &IStETH::transferSharesCall { to: ZERO, sharesAmount: u(1) },
        U256::ZERO,
        za,
    );
    refused(
        &mut e,
        bob,
        a.token,
        &IStETH::transferFromCall { from: alice, to: ZERO, amount: u(1) },
        U256::ZERO,
        za,
    );
    refused(
        &mut e,
        bob,
        a.token,
        &IStETH::transferFromCall { from: ZERO, to: bob, amount: U256::ZERO },
        U256::ZERO,
        za,
    );
    refused(
        &mut e,
        bob,
        a.token,
        &IStETH::transferFromReturningSharesCall { from: alice, to: ZERO, amount: u(1) },
        U256::ZERO,
        za,
    );
    refused(
        &mut e,
        bob,
        a.token,
        &IStETH::transferSharesFromCall { from: alice, to: ZERO, sharesAmount: u(1) },
        U256::ZERO,
        za,
    );
    refused(
        &mut e,
        alice,
        a.token,
        &IStETH::approveCall { spender: ZERO, amount: u(1) },
        U256::ZERO,
        za,
    );
    refused(
        &mut e,
        alice,
        a.token,
        &IStETH::increaseAllowanceCall { spender: ZERO, addedValue: u(1) },
        U256::ZERO,
        za,
    );
    refused(
        &mut e,
        alice,
        a.token,
        &IStETH::decreaseAllowanceCall { spender: ZERO, subtractedValue: U256::ZERO },
        U256::ZERO,
        za,
    );
    refused(
        &mut e,
        GOVERNANCE,
        a.token,
        &IStETH::setProtocolContractsCall {
            depositPool: ZERO,
            oracle: a.oracle,
            withdrawalQueue: a.queue,
        },
        U256::ZERO,
        za,
    );
    refused(
        &mut e,
        GOVERNANCE,
        a.token,
        &IStETH::setProtocolContractsCall {
            depositPool: a.pool,
            oracle: ZERO,
            withdrawalQueue: a.queue,
        },
        U256::ZERO,
        za,
    );
    refused(
        &mut e,
        GOVERNANCE,
        a.token,
        &IStETH::setProtocolContractsCall {
            depositPool: a.pool,
            oracle: a.oracle,
            withdrawalQueue: ZERO,
        },
        U256::ZERO,
        za,
    );
    refused(
        &mut e,
        alice,
        a.token,
        &IStETH::renounceRoleCall { role: B256::ZERO, callerConfirmation: ZERO },
        U256::ZERO,
        "AccessControlBadConfirmation",
    );
    // Permit: a zero owner has no signature; a zero spender is refused.
    let deadline = u(e.p.host.timestamp() + 60);
    for (token, _, _) in permit_tokens(&e) {
        let garbage = permit_call(
            ZERO,
            bob,
            u(1),
            deadline,
            (27, B256::repeat_byte(1), B256::repeat_byte(2)),
        );
        refused(&mut e, bob, token, &garbage, U256::ZERO, "InvalidSignature");
        let owner = e.signers[0].clone();
        let sig =
            owner.permit(domain(&mut e, token), ZERO, u(1), nonce(&mut e, token, alice), deadline);
        refused(&mut e, bob, token, &permit_call(alice, ZERO, u(1), deadline, sig), U256::ZERO, za);
    }
    // Share token.
    refused(
        &mut e,
        alice,
        a.wsteth,
        &IWstETH::transferCall { to: ZERO, amount: u(1) },
        U256::ZERO,
        za,
    );
    refused(
        &mut e,
        bob,
        a.wsteth,
        &IWstETH::transferFromCall { from: alice, to: ZERO, amount: u(1) },
        U256::ZERO,
        za,
    );
    refused(
        &mut e,
        alice,
        a.wsteth,
        &IWstETH::approveCall { spender: ZERO, amount: u(1) },
        U256::ZERO,
        za,
    );
    refused(
        &mut e,
        alice,
        a.wsteth,
        &IWstETH::increaseAllowanceCall { spender: ZERO, addedValue: u(1) },
        U256::ZERO,
        za,
    );
    refused(
        &mut e,
        alice,
        a.wsteth,
        &IWstETH::decreaseAllowanceCall { spender: ZERO, subtractedValue: U256::ZERO },
        U256::ZERO,
        za,
    );
    // Deposit pool.
    refused(
        &mut e,
        GOVERNANCE,
        a.pool,
        &IDepositPool::setOracleCall { oracle: ZERO },
        U256::ZERO,
        za,
    );
    refused(
        &mut e,
        GOVERNANCE,
        a.pool,
        &IDepositPool::setWithdrawalQueueCall { withdrawalQueue: ZERO },
        U256::ZERO,
        za,
    );
    refused(
        &mut e,
        GOVERNANCE,
        a.pool,
        &IDepositPool::setBeaconDepositContractCall { beaconDeposit: ZERO },
        U256::ZERO,
        za,
    );
    refused(
        &mut e,
        alice,
        a.pool,
        &IDepositPool::receiveStakeCall { sender: ZERO, referral: ZERO },
        ether(1),
        "Unauthorized",
    );
    refused(
        &mut e,
        alice,
        a.pool,
        &IDepositPool::renounceRoleCall { role: B256::ZERO, callerConfirmation: ZERO },
        U256::ZERO,
        "AccessControlBadConfirmation",
    );
    // Oracle.
    let manage =
        e.p.view(a.oracle, &IAccountingOracle::MANAGE_MEMBERS_AND_QUORUM_ROLECall {}).unwrap()._0;
    assert!(
        e.p.view(a.oracle, &IAccountingOracle::hasRoleCall { role: manage, account: GOVERNANCE })
            .unwrap()
            ._0
    );
    refused(
        &mut e,
        GOVERNANCE,
        a.oracle,
        &IAccountingOracle::addMemberCall { addr: ZERO, quorum: u(3) },
        U256::ZERO,
        "AddressCannotBeZero",
    );
    refused(
        &mut e,
        GOVERNANCE,
        a.oracle,
        &IAccountingOracle::removeMemberCall { addr: ZERO, quorum: u(2) },
        U256::ZERO,
        "NonMember",
    );
    let fee_role = e.p.view(a.oracle, &IAccountingOracle::MANAGE_FEE_ROLECall {}).unwrap()._0;
    accepted(
        &mut e,
        GOVERNANCE,
        a.oracle,
        &IAccountingOracle::grantRoleCall { role: fee_role, account: GOVERNANCE },
        U256::ZERO,
    );
    refused(
        &mut e,
        GOVERNANCE,
        a.oracle,
        &IAccountingOracle::setFeeRecipientsCall { treasury: ZERO, operatorRecipient: OPERATOR },
        U256::ZERO,
        za,
    );
    refused(
        &mut e,
        GOVERNANCE,
        a.oracle,
        &IAccountingOracle::setFeeRecipientsCall { treasury: TREASURY, operatorRecipient: ZERO },
        U256::ZERO,
        za,
    );
    refused(
        &mut e,
        alice,
        a.oracle,
        &IAccountingOracle::renounceRoleCall { role: B256::ZERO, callerConfirmation: ZERO },
        U256::ZERO,
        "AccessControlBadConfirmation",
    );
    // Withdrawal queue.
    let claim_to = IWithdrawalQueue::claimWithdrawalsToCall {
        requestIds: vec![u(1)],
        hints: vec![u(1)],
        recipient: ZERO,
    };
    refused(&mut e, alice, a.queue, &claim_to, U256::ZERO, "ZeroRecipient");
    refused(
        &mut e,
        alice,
        a.queue,
        &IWithdrawalQueue::transferFromCall { from: alice, to: ZERO, requestId: u(1) },
        U256::ZERO,
        "TransferToZeroAddress",
    );
    refused(
        &mut e,
        alice,
        a.queue,
        &IWithdrawalQueue::safeTransferFrom_0Call { from: alice, to: ZERO, requestId: u(1) },
        U256::ZERO,
        "TransferToZeroAddress",
    );
    let out = e.p.host.static_call(
        alice,
        a.queue,
        &IWithdrawalQueue::balanceOfCall { owner: ZERO }.abi_encode(),
    );
    assert_eq!(error_of(&out).as_deref(), Some("InvalidOwnerAddress"));
    refused(
        &mut e,
        alice,
        a.queue,
        &IWithdrawalQueue::renounceRoleCall { role: B256::ZERO, callerConfirmation: ZERO },
        U256::ZERO,
        "AccessControlBadConfirmation",
    );
    // Where zero means "none" by design: a zero referral, a request owner of
    // zero (the sender owns it), approving nobody for a request.
    accepted(&mut e, alice, a.pool, &IDepositPool::submitCall { referral: ZERO }, ether(1));
    let ids = request(&mut e, alice, vec![ether(1)], ZERO);
    assert_eq!(
        e.p.view(a.queue, &IWithdrawalQueue::ownerOfCall { requestId: ids[0] }).unwrap()._0,
        alice
    );
    accepted(
        &mut e,
        alice,
        a.queue,
        &IWithdrawalQueue::approveCall { to: ZERO, requestId: ids[0] },
        U256::ZERO,
    );
    assert_eq!(
        e.p.view(a.queue, &IWithdrawalQueue::getApprovedCall { requestId: ids[0] }).unwrap()._0,
        ZERO
    );
    accepted(
        &mut e,
        alice,
        a.queue,
        &IWithdrawalQueue::setApprovalForAllCall { operator: ZERO, approved: true },
        U256::ZERO,
    );
}

#[test]
fn attack_zero_address_in_every_constructor_argument() {
    // Given every program's deploy code,
    let programs = load_programs().unwrap();
    let code = |name: &str| programs.iter().find(|(a, _)| a.package == name).unwrap().1.clone();
    let mut host = Host::new();
    let (x, y, z) = (Address::repeat_byte(1), Address::repeat_byte(2), Address::repeat_byte(3));
    let s = |t: &str| t.to_string();
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("rebase-token", (s("n"), s("s"), ZERO).abi_encode_params()),
        ("deposit-pool", (ZERO, x).abi_encode_params()),
        ("deposit-pool", (x, ZERO).abi_encode_params()),
        ("share-token", (s("n"), s("s"), ZERO, x).abi_encode_params()),
        ("share-token", (s("n"), s("s"), x, ZERO).abi_encode_params()),
        ("withdrawal-queue", (ZERO, x, y, z).abi_encode_params()),
        ("withdrawal-queue", (x, ZERO, y, z).abi_encode_params()),
        ("withdrawal-queue", (x, y, ZERO, z).abi_encode_params()),
        ("withdrawal-queue", (x, y, z, ZERO).abi_encode_params()),
    ];
    // when each is deployed with a zero address argument, then the
    // constructor reverts with ZeroAddress and nothing is deployed.
    for (package, args) in cases {
        match host.deploy(&code(package), Some(&args), U256::ZERO, x) {
            Err(DeployError::ConstructorFailed(out)) => {
                assert_eq!(error_of(&out).as_deref(), Some("ZeroAddress"), "{package}")
            }
            other => panic!("{package}: expected ZeroAddress, got {other:?}"),
        }
    }
    let oracle = code("accounting-oracle");
    for zero_at in 0..6 {
        let mut addrs = [x, y, z, x, y, z];
        addrs[zero_at] = ZERO;
        let args = (
            addrs[0],
            addrs[1],
            addrs[2],
            addrs[3],
            u(1_606_824_023),
            u(12),
            u(7_200),
            addrs[4],
            addrs[5],
        )
            .abi_encode_params();
        match host.deploy(&oracle, Some(&args), U256::ZERO, x) {
            Err(DeployError::ConstructorFailed(out)) => {
                assert_eq!(
                    error_of(&out).as_deref(),
                    Some("ZeroAddress"),
                    "oracle argument {zero_at}"
                )
            }
            other => panic!("oracle argument {zero_at}: expected ZeroAddress, got {other:?}"),
        }
    }
}
