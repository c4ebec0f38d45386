//! End-to-end tests of the deposit pool on the embedded Stylus host, through
//! the Solidity ABI only: the three staking paths (none re-enters a
//! program), the staking limit (set, consume, refill, remove, pause, resume,
//! over-limit revert), stop/resume, signing keys, validator deposits with the
//! consensus layer's `deposit_data_root`, and ether forced into the programs.
//! Every revert is decoded with its `sol!` type and changes no view; the
//! accounting invariant is checked after every step.

use alloy_primitives::{keccak256, Address, Bytes, B256, U256};
use alloy_sol_types::{SolCall, SolError};
use anyhow::Result;
use e2e::abi::{IBeaconDeposit, IDepositPool, IStETH};
use e2e::support::*;
use scripts::protocol::{deposit_data_root, signing_key, Validator, DEPOSIT_SIZE_GWEI};
use stylus_host::Outcome;

/// Alice and Bob hold 1,000 ETH each; Alice staked 10 ETH.
struct World {
    p: Lease,
    alice: Address,
    bob: Address,
}

fn world() -> Result<World> {
    let mut p = deploy()?;
    let alice = p.new_user("alice", ether(1_000));
    let bob = p.new_user("bob", ether(1_000));
    p.submit_via_pool(alice, ether(10))?;
    p.check_invariants()?;
    Ok(World { p, alice, bob })
}

fn buffered(p: &mut Protocol) -> Result<U256> {
    let pool = p.addrs.pool;
    Ok(p.view(pool, &IDepositPool::getBufferedEtherCall {})?._0)
}

fn current_limit(p: &mut Protocol) -> Result<U256> {
    let pool = p.addrs.pool;
    Ok(p.view(pool, &IDepositPool::getCurrentStakeLimitCall {})?._0)
}

fn pool_event(e: IDepositPool::IDepositPoolEvents) -> Event {
    Event::Pool(e)
}

/// Governance sets a staking limit of `max` ETH refilled at `per_second` ETH/s.
fn set_limit(p: &mut Protocol, max: U256, per_second: U256) -> Result<Outcome> {
    let pool = p.addrs.pool;
    Ok(p.exec(
        GOVERNANCE,
        pool,
        &IDepositPool::setStakingLimitCall {
            maxStakeLimit: max,
            stakeLimitIncreasePerSecond: per_second,
        },
        U256::ZERO,
    )?
    .1)
}

mod staking_paths {
    use super::*;

    #[test]
    fn pool_submit_buffers_mints_and_logs_submitted_first() -> Result<()> {
        // Given the running pool, when Bob submits 3 ETH with a referral,
        let mut w = world()?;
        let a = w.p.addrs;
        let before = buffered(&mut w.p)?;
        let pool_eth = w.p.host.balance(a.pool);
        w.p.track(w.bob);
        let (ret, out) =
            w.p.exec(w.bob, a.pool, &IDepositPool::submitCall { referral: w.alice }, ether(3))?;
        // then 3 ETH is buffered and held, 3 ETH of shares minted (rate 1), events in order,
        assert_eq!(ret._0, ether(3));
        assert_eq!(buffered(&mut w.p)?, before + ether(3));
        assert_eq!(w.p.host.balance(a.pool), pool_eth + ether(3));
        assert_eq!(
            events(&w.p, &out)?,
            vec![
                submitted(w.bob, ether(3), w.alice),
                steth_transfer(Address::ZERO, w.bob, ether(3)),
                steth_transfer_shares(Address::ZERO, w.bob, ether(3)),
            ]
        );
        // and no frame failed on the way (pool → token, no program re-entered).
        assert!(out.trace.is_empty(), "{:?}", out.trace);
        w.p.check_invariants()?;
        Ok(())
    }

    #[test]
    fn steth_submit_hands_the_ether_to_the_pool_before_minting() -> Result<()> {
        // Given the running pool, when Bob submits 3 ETH through stETH's ABI,
        let mut w = world()?;
        let a = w.p.addrs;
        let before = buffered(&mut w.p)?;
        let token_eth = w.p.host.balance(a.token);
        w.p.track(w.bob);
        let (ret, out) =
            w.p.exec(w.bob, a.token, &IStETH::submitCall { referral: w.alice }, ether(3))?;
        // then the pool buffered and holds the ether (the token keeps none),
        assert_eq!(ret._0, ether(3));
        assert_eq!(buffered(&mut w.p)?, before + ether(3));
        assert_eq!(w.p.host.balance(a.token), token_eth);
        // with token → pool.receiveStake → back in the token: no program re-entered.
        assert_eq!(
            events(&w.p, &out)?,
            vec![
                submitted(w.bob, ether(3), w.alice),
                steth_transfer(Address::ZERO, w.bob, ether(3)),
                steth_transfer_shares(Address::ZERO, w.bob, ether(3)),
            ]
        );
        assert!(out.trace.is_empty(), "{:?}", out.trace);
        w.p.check_invariants()?;
        Ok(())
    }

    #[test]
    fn wsteth_receive_stakes_for_wsteth_and_wraps() -> Result<()> {
        // Given the running pool, when Bob sends 3 ETH to wstETH,
        let mut w = world()?;
        let a = w.p.addrs;
        let before = buffered(&mut w.p)?;
        let out = w.p.stake_via_wsteth(w.bob, ether(3))?;
        // then the pool buffered it for wstETH and Bob holds the wrapped shares.
        assert_eq!(buffered(&mut w.p)?, before + ether(3));
        assert_eq!(events(&w.p, &out)?[0], submitted(a.wsteth, ether(3), Address::ZERO));
        assert_eq!(w.p.wsteth_balance(w.bob)?, ether(3));
        assert!(out.trace.is_empty(), "{:?}", out.trace);
        w.p.check_invariants()?;
        Ok(())
    }

    #[test]
    fn the_three_paths_mint_the_same_shares_at_the_same_rate() -> Result<()> {
        // Given a fractional rate (two validators, then +5 %),
        let mut w = world()?;
        with_validators(&mut w.p, 2)?;
        rebase(&mut w.p, Rebase::Up5)?;
        let a = w.p.addrs;
        let value = ether(7) + U256::from(123_456_789u64);
        let rate = Rate::read(&mut w.p)?;
        // when the same amount is staked by each path from the same state,
        let snap = w.p.host.snapshot();
        let (via_pool, _) =
            w.p.exec(w.bob, a.pool, &IDepositPool::submitCall { referral: Address::ZERO }, value)?;
        w.p.host.restore(snap.clone());
        let (via_token, _) =
            w.p.exec(w.bob, a.token, &IStETH::submitCall { referral: Address::ZERO }, value)?;
        w.p.host.restore(snap);
        w.p.stake_via_wsteth(w.bob, value)?;
        let via_wsteth = w.p.wsteth_balance(w.bob)?;
        // then each mints floor(v * S / P) shares.
        assert_eq!(via_pool._0, rate.to_shares(value));
        assert_eq!(via_token._0, rate.to_shares(value));
        assert_eq!(via_wsteth, rate.to_shares(value));
        w.p.check_invariants()?;
        Ok(())
    }

    #[test]
    fn plain_ether_to_the_pool_stakes_with_no_referral() -> Result<()> {
        // Given Bob, when he sends 2 ETH to the pool with empty calldata,
        let mut w = world()?;
        let pool = w.p.addrs.pool;
        w.p.track(w.bob);
        let out = w.p.host.call(w.bob, pool, &[], ether(2));
        // then he holds 2 ETH of stETH and Submitted(bob, 2 ETH, 0) was logged.
        assert!(out.success, "{}", scripts::protocol::revert_of(&out));
        assert_eq!(w.p.steth_balance(w.bob)?, ether(2));
        assert_eq!(events(&w.p, &out)?[0], submitted(w.bob, ether(2), Address::ZERO));
        w.p.check_invariants()?;
        Ok(())
    }

    #[test]
    fn submit_reverts_zero_amount_without_value() -> Result<()> {
        // Given Bob, when he submits nothing, then ZeroAmount().
        let mut w = world()?;
        let pool = w.p.addrs.pool;
        assert_revert(
            &mut w.p,
            w.bob,
            pool,
            &IDepositPool::submitCall { referral: Address::ZERO },
            U256::ZERO,
            &IDepositPool::ZeroAmount {},
        )
    }

    #[test]
    fn receive_stake_reverts_unauthorized_for_anyone_but_the_token() -> Result<()> {
        // Given Bob, when he calls receiveStake with ether (claiming to be the token),
        let mut w = world()?;
        let pool = w.p.addrs.pool;
        // then Unauthorized(bob), his ether stays his, nothing is buffered.
        assert_revert(
            &mut w.p,
            w.bob,
            pool,
            &IDepositPool::receiveStakeCall { sender: w.bob, referral: Address::ZERO },
            ether(1),
            &IDepositPool::Unauthorized { caller: w.bob },
        )
    }
}

mod staking_limit {
    use super::*;

    #[test]
    fn set_staking_limit_logs_and_reports_the_full_info() -> Result<()> {
        // Given the pool, when governance sets 10 ETH refilled at 1 ETH/s,
        let mut w = world()?;
        let pool = w.p.addrs.pool;
        let now = w.p.host.timestamp();
        let out = set_limit(&mut w.p, ether(10), ether(1))?;
        // then StakingLimitSet(10 ETH, 1 ETH) and the seven fields say so.
        assert_eq!(
            events(&w.p, &out)?,
            vec![pool_event(IDepositPool::IDepositPoolEvents::StakingLimitSet(
                IDepositPool::StakingLimitSet {
                    maxStakeLimit: ether(10),
                    stakeLimitIncreasePerBlock: ether(1),
                }
            ))]
        );
        let info = w.p.view(pool, &IDepositPool::getStakeLimitFullInfoCall {})?;
        assert!(!info.isStakingPaused && info.isStakingLimitSet);
        assert_eq!((info.currentStakeLimit, info.maxStakeLimit), (ether(10), ether(10)));
        assert_eq!(info.maxStakeLimitGrowthSeconds, U256::from(10));
        assert_eq!(info.prevStakeTimestamp, U256::from(now));
        Ok(())
    }

    #[test]
    fn a_stake_consumes_the_limit_and_time_refills_it_up_to_the_maximum() -> Result<()> {
        // Given a 10 ETH limit refilling 1 ETH/s,
        let mut w = world()?;
        set_limit(&mut w.p, ether(10), ether(1))?;
        // when Bob stakes 4 ETH, then 6 ETH is left,
        w.p.submit_via_pool(w.bob, ether(4))?;
        assert_eq!(current_limit(&mut w.p)?, ether(6));
        // 3 s later 9 ETH, and after a minute the 10 ETH maximum.
        w.p.host.advance_time(3);
        assert_eq!(current_limit(&mut w.p)?, ether(9));
        w.p.host.advance_time(60);
        assert_eq!(current_limit(&mut w.p)?, ether(10));
        w.p.check_invariants()?;
        Ok(())
    }

    #[test]
    fn a_stake_above_the_limit_reverts_stake_limit_exceeded_on_every_path() -> Result<()> {
        // Given 6 ETH of limit left,
        let mut w = world()?;
        let a = w.p.addrs;
        set_limit(&mut w.p, ether(10), ether(1))?;
        w.p.submit_via_pool(w.bob, ether(4))?;
        let exceeded = IDepositPool::StakeLimitExceeded { limit: ether(6), amount: ether(7) };
        // when 7 ETH is staked through the pool, stETH or wstETH,
        // then StakeLimitExceeded(6 ETH, 7 ETH) each time, and nothing changed.
        assert_revert(
            &mut w.p,
            w.bob,
            a.pool,
            &IDepositPool::submitCall { referral: Address::ZERO },
            ether(7),
            &exceeded,
        )?;
        assert_revert(
            &mut w.p,
            w.bob,
            a.token,
            &IStETH::submitCall { referral: Address::ZERO },
            ether(7),
            &exceeded,
        )?;
        let data = expect_revert_raw(&mut w.p, w.bob, a.wsteth, &[], ether(7))?;
        assert_eq!(IDepositPool::StakeLimitExceeded::abi_decode(&data, true)?, exceeded);
        // while exactly the limit passes.
        w.p.submit_via_pool(w.bob, ether(6))?;
        assert_eq!(current_limit(&mut w.p)?, U256::ZERO);
        w.p.check_invariants()?;
        Ok(())
    }

    #[test]
    fn remove_staking_limit_makes_staking_unlimited() -> Result<()> {
        // Given a 10 ETH limit, when governance removes it,
        let mut w = world()?;
        let pool = w.p.addrs.pool;
        set_limit(&mut w.p, ether(10), ether(1))?;
        let (_, out) =
            w.p.exec(GOVERNANCE, pool, &IDepositPool::removeStakingLimitCall {}, U256::ZERO)?;
        // then StakingLimitRemoved(), the limit reads 2^256 - 1 and 50 ETH goes through.
        assert_eq!(
            events(&w.p, &out)?,
            vec![pool_event(IDepositPool::IDepositPoolEvents::StakingLimitRemoved(
                IDepositPool::StakingLimitRemoved {}
            ))]
        );
        assert_eq!(current_limit(&mut w.p)?, U256::MAX);
        w.p.submit_via_pool(w.bob, ether(50))?;
        w.p.check_invariants()?;
        Ok(())
    }

    #[test]
    fn pause_staking_refuses_every_path_with_staking_is_paused() -> Result<()> {
        // Given governance paused staking,
        let mut w = world()?;
        let a = w.p.addrs;
        let (_, out) =
            w.p.exec(GOVERNANCE, a.pool, &IDepositPool::pauseStakingCall {}, U256::ZERO)?;
        assert_eq!(
            events(&w.p, &out)?,
            vec![pool_event(IDepositPool::IDepositPoolEvents::StakingPaused(
                IDepositPool::StakingPaused {}
            ))]
        );
        // then the limit reads 0 and every path reverts StakingIsPaused().
        assert_eq!(current_limit(&mut w.p)?, U256::ZERO);
        let paused = IDepositPool::StakingIsPaused {};
        assert_revert(
            &mut w.p,
            w.bob,
            a.pool,
            &IDepositPool::submitCall { referral: Address::ZERO },
            ether(1),
            &paused,
        )?;
        assert_revert(
            &mut w.p,
            w.bob,
            a.token,
            &IStETH::submitCall { referral: Address::ZERO },
            ether(1),
            &paused,
        )?;
        let data = expect_revert_raw(&mut w.p, w.bob, a.pool, &[], ether(1))?;
        assert_eq!(data, paused.abi_encode());
        Ok(())
    }

    #[test]
    fn resume_staking_restores_the_limit_left_when_paused() -> Result<()> {
        // Given 6 ETH of a 10 ETH limit left, then staking paused for a minute,
        let mut w = world()?;
        let pool = w.p.addrs.pool;
        set_limit(&mut w.p, ether(10), ether(1))?;
        w.p.submit_via_pool(w.bob, ether(4))?;
        w.p.exec(GOVERNANCE, pool, &IDepositPool::pauseStakingCall {}, U256::ZERO)?;
        w.p.host.advance_time(60);
        // when governance resumes staking,
        let (_, out) =
            w.p.exec(GOVERNANCE, pool, &IDepositPool::resumeStakingCall {}, U256::ZERO)?;
        // then StakingResumed(), 6 ETH is left (no refill while paused) and it refills from now.
        assert_eq!(
            events(&w.p, &out)?,
            vec![pool_event(IDepositPool::IDepositPoolEvents::StakingResumed(
                IDepositPool::StakingResumed {}
            ))]
        );
        assert_eq!(current_limit(&mut w.p)?, ether(6));
        w.p.host.advance_time(2);
        assert_eq!(current_limit(&mut w.p)?, ether(8));
        Ok(())
    }

    #[test]
    fn set_staking_limit_rejects_what_lido_rejects() -> Result<()> {
        // Given governance, when the limit's arguments are out of Lido's bounds,
        let mut w = world()?;
        let pool = w.p.addrs.pool;
        let call = |max: U256, inc: U256| IDepositPool::setStakingLimitCall {
            maxStakeLimit: max,
            stakeLimitIncreasePerSecond: inc,
        };
        // then each reverts with its error and changes nothing.
        let g = GOVERNANCE;
        let z = U256::ZERO;
        assert_revert(&mut w.p, g, pool, &call(z, z), z, &IDepositPool::ZeroMaxStakeLimit {})?;
        assert_revert(
            &mut w.p,
            g,
            pool,
            &call(U256::from(1) << 96, z),
            z,
            &IDepositPool::TooLargeMaxStakeLimit {},
        )?;
        assert_revert(
            &mut w.p,
            g,
            pool,
            &call(ether(1), ether(2)),
            z,
            &IDepositPool::TooLargeLimitIncrease {},
        )?;
        assert_revert(
            &mut w.p,
            g,
            pool,
            &call(ether(1_000_000), U256::from(1)),
            z,
            &IDepositPool::TooSmallLimitIncrease {},
        )
    }

    #[test]
    fn limit_management_reverts_without_the_roles() -> Result<()> {
        // Given Alice without staking roles,
        let mut w = world()?;
        let pool = w.p.addrs.pool;
        let control = keccak256("STAKING_CONTROL_ROLE");
        let pause = keccak256("STAKING_PAUSE_ROLE");
        let denied = |role| IDepositPool::AccessControlUnauthorizedAccount {
            account: w.alice,
            neededRole: role,
        };
        // then setting, removing, resuming need STAKING_CONTROL_ROLE and pausing STAKING_PAUSE_ROLE.
        assert_revert(
            &mut w.p,
            w.alice,
            pool,
            &IDepositPool::setStakingLimitCall {
                maxStakeLimit: ether(1),
                stakeLimitIncreasePerSecond: U256::ZERO,
            },
            U256::ZERO,
            &denied(control),
        )?;
        assert_revert(
            &mut w.p,
            w.alice,
            pool,
            &IDepositPool::removeStakingLimitCall {},
            U256::ZERO,
            &denied(control),
        )?;
        assert_revert(
            &mut w.p,
            w.alice,
            pool,
            &IDepositPool::resumeStakingCall {},
            U256::ZERO,
            &denied(control),
        )?;
        assert_revert(
            &mut w.p,
            w.alice,
            pool,
            &IDepositPool::pauseStakingCall {},
            U256::ZERO,
            &denied(pause),
        )
    }
}

mod stop_and_resume {
    use super::*;

    #[test]
    fn stop_pauses_staking_and_deposits() -> Result<()> {
        // Given the running pool, when governance stops it,
        let mut w = world()?;
        let pool = w.p.addrs.pool;
        let (_, out) = w.p.exec(GOVERNANCE, pool, &IDepositPool::stopCall {}, U256::ZERO)?;
        // then Stopped() and StakingPaused() are logged,
        assert_eq!(
            events(&w.p, &out)?,
            vec![
                pool_event(IDepositPool::IDepositPoolEvents::Stopped(IDepositPool::Stopped {})),
                pool_event(IDepositPool::IDepositPoolEvents::StakingPaused(
                    IDepositPool::StakingPaused {}
                )),
            ]
        );
        assert!(w.p.view(pool, &IDepositPool::isStoppedCall {})?._0);
        assert!(!w.p.view(pool, &IDepositPool::canDepositCall {})?._0);
        // staking reverts StakingIsPaused(), deposits and resumeStaking ContractStopped().
        assert_revert(
            &mut w.p,
            w.bob,
            pool,
            &IDepositPool::submitCall { referral: Address::ZERO },
            ether(1),
            &IDepositPool::StakingIsPaused {},
        )?;
        assert_revert(
            &mut w.p,
            DEPOSITOR,
            pool,
            &IDepositPool::depositBufferedEtherCall { maxValidators: U256::from(1) },
            U256::ZERO,
            &IDepositPool::ContractStopped {},
        )?;
        assert_revert(
            &mut w.p,
            GOVERNANCE,
            pool,
            &IDepositPool::resumeStakingCall {},
            U256::ZERO,
            &IDepositPool::ContractStopped {},
        )
    }

    #[test]
    fn resume_restores_staking_with_the_limit_as_it_was() -> Result<()> {
        // Given 6 ETH of a 10 ETH limit left when the pool was stopped,
        let mut w = world()?;
        let pool = w.p.addrs.pool;
        set_limit(&mut w.p, ether(10), ether(1))?;
        w.p.submit_via_pool(w.bob, ether(4))?;
        w.p.exec(GOVERNANCE, pool, &IDepositPool::stopCall {}, U256::ZERO)?;
        w.p.host.advance_time(3_600);
        // when governance resumes it,
        let (_, out) = w.p.exec(GOVERNANCE, pool, &IDepositPool::resumeCall {}, U256::ZERO)?;
        // then Resumed() and StakingResumed(), the same limit with 6 ETH left, and staking works.
        assert_eq!(
            events(&w.p, &out)?,
            vec![
                pool_event(IDepositPool::IDepositPoolEvents::Resumed(IDepositPool::Resumed {})),
                pool_event(IDepositPool::IDepositPoolEvents::StakingResumed(
                    IDepositPool::StakingResumed {}
                )),
            ]
        );
        let info = w.p.view(pool, &IDepositPool::getStakeLimitFullInfoCall {})?;
        assert!(!info.isStakingPaused && info.isStakingLimitSet);
        assert_eq!((info.currentStakeLimit, info.maxStakeLimit), (ether(6), ether(10)));
        w.p.submit_via_pool(w.bob, ether(6))?;
        w.p.check_invariants()?;
        Ok(())
    }

    #[test]
    fn stop_and_resume_revert_without_the_roles_or_in_the_wrong_state() -> Result<()> {
        // Given the running pool,
        let mut w = world()?;
        let pool = w.p.addrs.pool;
        // then Alice cannot stop it, governance cannot resume it while running,
        assert_revert(
            &mut w.p,
            w.alice,
            pool,
            &IDepositPool::stopCall {},
            U256::ZERO,
            &IDepositPool::AccessControlUnauthorizedAccount {
                account: w.alice,
                neededRole: keccak256("PAUSE_ROLE"),
            },
        )?;
        assert_revert(
            &mut w.p,
            GOVERNANCE,
            pool,
            &IDepositPool::resumeCall {},
            U256::ZERO,
            &IDepositPool::ContractNotStopped {},
        )?;
        // and once stopped, cannot stop it again.
        w.p.exec(GOVERNANCE, pool, &IDepositPool::stopCall {}, U256::ZERO)?;
        assert_revert(
            &mut w.p,
            GOVERNANCE,
            pool,
            &IDepositPool::stopCall {},
            U256::ZERO,
            &IDepositPool::ContractStopped {},
        )
    }
}

mod signing_keys {
    use super::*;

    /// A key outside the 16 the deployment registered.
    fn new_key() -> ([u8; 48], [u8; 96]) {
        signing_key(1_000)
    }

    #[test]
    fn add_signing_keys_stores_them_and_logs_each() -> Result<()> {
        // Given 16 registered keys, when governance adds one more,
        let mut w = world()?;
        let pool = w.p.addrs.pool;
        let (pubkey, signature) = new_key();
        let (_, out) = w.p.exec(
            GOVERNANCE,
            pool,
            &IDepositPool::addSigningKeysCall {
                count: U256::from(1),
                pubkeys: Bytes::copy_from_slice(&pubkey),
                signatures: Bytes::copy_from_slice(&signature),
            },
            U256::ZERO,
        )?;
        // then SigningKeyAdded(0, pubkey) and TotalSigningKeysCountChanged(0, 17) are logged,
        assert_eq!(
            events(&w.p, &out)?,
            vec![
                pool_event(IDepositPool::IDepositPoolEvents::SigningKeyAdded(
                    IDepositPool::SigningKeyAdded {
                        nodeOperatorId: U256::ZERO,
                        pubkey: Bytes::copy_from_slice(&pubkey),
                    }
                )),
                pool_event(IDepositPool::IDepositPoolEvents::TotalSigningKeysCountChanged(
                    IDepositPool::TotalSigningKeysCountChanged {
                        nodeOperatorId: U256::ZERO,
                        totalValidatorsCount: U256::from(17),
                    }
                )),
            ]
        );
        // and the counts include it, unused.
        assert_eq!(w.p.view(pool, &IDepositPool::getTotalSigningKeysCall {})?._0, U256::from(17));
        assert_eq!(
            w.p.view(pool, &IDepositPool::getUnusedSigningKeysCountCall {})?._0,
            U256::from(17)
        );
        Ok(())
    }

    #[test]
    fn get_signing_key_answers_with_solidity_encoding() -> Result<()> {
        // Given the 16 registered keys, when key 0 is read through the Solidity signature,
        let mut w = world()?;
        let pool = w.p.addrs.pool;
        let key = w.p.view(pool, &IDepositPool::getSigningKeyCall { index: U256::ZERO })?;
        // then it is the registered key, unused.
        let (pubkey, signature) = signing_key(0);
        assert_eq!(
            (&key.pubkey[..], &key.signature[..], key.used),
            (&pubkey[..], &signature[..], false)
        );
        Ok(())
    }

    #[test]
    fn add_signing_keys_rejects_malformed_batches() -> Result<()> {
        // Given governance, when a batch is malformed,
        let mut w = world()?;
        let pool = w.p.addrs.pool;
        let (pubkey, signature) = new_key();
        let add =
            |count: u64, pubkeys: &[u8], signatures: &[u8]| IDepositPool::addSigningKeysCall {
                count: U256::from(count),
                pubkeys: Bytes::copy_from_slice(pubkeys),
                signatures: Bytes::copy_from_slice(signatures),
            };
        let (g, z) = (GOVERNANCE, U256::ZERO);
        // then each error names what is wrong, and nothing changed.
        assert_revert(
            &mut w.p,
            g,
            pool,
            &add(0, &[], &[]),
            z,
            &IDepositPool::InvalidSigningKeysCount { count: z },
        )?;
        assert_revert(
            &mut w.p,
            g,
            pool,
            &add(1, &pubkey[..47], &signature),
            z,
            &IDepositPool::InvalidPubkeysLength {
                expected: U256::from(48),
                actual: U256::from(47),
            },
        )?;
        assert_revert(
            &mut w.p,
            g,
            pool,
            &add(1, &pubkey, &signature[..95]),
            z,
            &IDepositPool::InvalidSignaturesLength {
                expected: U256::from(96),
                actual: U256::from(95),
            },
        )?;
        let two_pubkeys = [&pubkey[..], &[0u8; 48]].concat();
        let two_signatures = [&signature[..], &signature[..]].concat();
        assert_revert(
            &mut w.p,
            g,
            pool,
            &add(2, &two_pubkeys, &two_signatures),
            z,
            &IDepositPool::EmptySigningKey { index: U256::from(1) },
        )?;
        assert_revert(
            &mut w.p,
            w.alice,
            pool,
            &add(1, &pubkey, &signature),
            z,
            &IDepositPool::AccessControlUnauthorizedAccount {
                account: w.alice,
                neededRole: keccak256("MANAGE_SIGNING_KEYS"),
            },
        )
    }

    #[test]
    fn remove_signing_keys_moves_the_last_key_into_the_gap() -> Result<()> {
        // Given 16 keys, when governance removes key 3,
        let mut w = world()?;
        let pool = w.p.addrs.pool;
        let (_, out) = w.p.exec(
            GOVERNANCE,
            pool,
            &IDepositPool::removeSigningKeysCall { fromIndex: U256::from(3), count: U256::from(1) },
            U256::ZERO,
        )?;
        // then SigningKeyRemoved(0, key 3) and the count 15 are logged, and key 15 is now at 3.
        let (removed, _) = signing_key(3);
        assert_eq!(
            events(&w.p, &out)?,
            vec![
                pool_event(IDepositPool::IDepositPoolEvents::SigningKeyRemoved(
                    IDepositPool::SigningKeyRemoved {
                        nodeOperatorId: U256::ZERO,
                        pubkey: Bytes::copy_from_slice(&removed),
                    }
                )),
                pool_event(IDepositPool::IDepositPoolEvents::TotalSigningKeysCountChanged(
                    IDepositPool::TotalSigningKeysCountChanged {
                        nodeOperatorId: U256::ZERO,
                        totalValidatorsCount: U256::from(15),
                    }
                )),
            ]
        );
        // A deposit of the first four keys sends key 15 in fourth position.
        w.p.submit_via_pool(w.bob, ether(128))?;
        let (_, out) = w.p.exec(
            DEPOSITOR,
            pool,
            &IDepositPool::depositBufferedEtherCall { maxValidators: U256::from(4) },
            U256::ZERO,
        )?;
        let deposited: Vec<Vec<u8>> = events(&w.p, &out)?
            .into_iter()
            .filter_map(|e| match e {
                Event::BeaconDeposit(data) => {
                    IBeaconDeposit::depositCall::abi_decode(&data[32..], true)
                        .ok()
                        .map(|c| c.pubkey.to_vec())
                }
                _ => None,
            })
            .collect();
        let expected: Vec<Vec<u8>> =
            [0, 1, 2, 15].iter().map(|i| signing_key(*i).0.to_vec()).collect();
        assert_eq!(deposited, expected);
        for pubkey in [0, 1, 2, 15].map(|i| signing_key(i).0) {
            w.p.chain.validators.push(Validator {
                pubkey,
                balance_gwei: DEPOSIT_SIZE_GWEI,
                exited: false,
            });
        }
        w.p.check_invariants()?;
        // and the old last index is out of range.
        let error: IDepositPool::SigningKeyIndexOutOfRange = expect_revert(
            &mut w.p,
            w.alice,
            pool,
            &IDepositPool::getSigningKeyCall { index: U256::from(15) },
            U256::ZERO,
        )?;
        assert_eq!((error.index, error.total), (U256::from(15), U256::from(15)));
        Ok(())
    }

    #[test]
    fn remove_signing_keys_refuses_used_keys() -> Result<()> {
        // Given key 0 deposited,
        let mut w = world()?;
        let pool = w.p.addrs.pool;
        w.p.submit_via_pool(w.bob, ether(32))?;
        w.p.deposit_validators(1)?;
        // when governance removes it, then InvalidSigningKeysRange(0, 1).
        assert_revert(
            &mut w.p,
            GOVERNANCE,
            pool,
            &IDepositPool::removeSigningKeysCall { fromIndex: U256::ZERO, count: U256::from(1) },
            U256::ZERO,
            &IDepositPool::InvalidSigningKeysRange { fromIndex: U256::ZERO, count: U256::from(1) },
        )?;
        assert_eq!(
            w.p.view(pool, &IDepositPool::getUnusedSigningKeysCountCall {})?._0,
            U256::from(15)
        );
        Ok(())
    }
}

mod deposit_buffered_ether {
    use super::*;

    #[test]
    fn sends_32_eth_per_key_with_the_consensus_layers_deposit_data_root() -> Result<()> {
        // Given 75 ETH buffered (1 seed + 10 + 64),
        let mut w = world()?;
        let a = w.p.addrs;
        w.p.submit_via_pool(w.bob, ether(64))?;
        let total = Rate::read(&mut w.p)?.pooled;
        // when the depositor deposits up to 5 validators,
        let (ret, out) = w.p.exec(
            DEPOSITOR,
            a.pool,
            &IDepositPool::depositBufferedEtherCall { maxValidators: U256::from(5) },
            U256::ZERO,
        )?;
        // then 2 are deposited (floor(75 / 32)), logged, and 11 ETH stays buffered;
        assert_eq!(ret._0, U256::from(2));
        assert_eq!(buffered(&mut w.p)?, ether(11));
        let logged = events(&w.p, &out)?;
        assert_eq!(
            logged[..2],
            [
                pool_event(IDepositPool::IDepositPoolEvents::Unbuffered(
                    IDepositPool::Unbuffered { amount: ether(64) }
                )),
                pool_event(IDepositPool::IDepositPoolEvents::DepositedValidatorsChanged(
                    IDepositPool::DepositedValidatorsChanged { depositedValidators: U256::from(2) }
                )),
            ]
        );
        // each deposit carried exactly 32 ETH, key i, the pool's credentials and the SSZ root
        // recomputed here from the deposit contract's specification;
        let wc = w.p.withdrawal_credentials();
        for (i, event) in logged[2..].iter().enumerate() {
            let Event::BeaconDeposit(data) = event else { panic!("not a deposit: {event:?}") };
            assert_eq!(U256::from_be_slice(&data[..32]), ether(32));
            let call = IBeaconDeposit::depositCall::abi_decode(&data[32..], true)?;
            let (pubkey, signature) = signing_key(i);
            assert_eq!((&call.pubkey[..], &call.signature[..]), (&pubkey[..], &signature[..]));
            assert_eq!(B256::from_slice(&call.withdrawal_credentials), wc);
            assert_eq!(
                call.deposit_data_root,
                deposit_data_root(&pubkey, &wc, DEPOSIT_SIZE_GWEI, &signature)
            );
        }
        assert_eq!(logged.len(), 4);
        // the ether moved from the buffer to "transient": the total is unchanged.
        assert_eq!(w.p.host.balance(a.beacon_deposit), ether(64));
        let stat = w.p.view(a.pool, &IDepositPool::getBeaconStatCall {})?;
        assert_eq!((stat.depositedValidators, stat.beaconValidators), (U256::from(2), U256::ZERO));
        assert_eq!(Rate::read(&mut w.p)?.pooled, total);
        assert_eq!(w.p.view(a.pool, &IDepositPool::getTotalPooledEtherCall {})?._0, total);
        // (the deposits become validators of the simulated chain for the invariant.)
        assert_eq!(w.p.verify_deposits(&out)?, 2);
        w.p.check_invariants()?;
        Ok(())
    }

    #[test]
    fn returns_zero_and_changes_nothing_without_a_whole_deposit() -> Result<()> {
        // Given 11 ETH buffered, when the depositor deposits,
        let mut w = world()?;
        let pool = w.p.addrs.pool;
        let before = Fingerprint::read(&mut w.p, &[]);
        let (ret, out) = w.p.exec(
            DEPOSITOR,
            pool,
            &IDepositPool::depositBufferedEtherCall { maxValidators: U256::from(3) },
            U256::ZERO,
        )?;
        // then 0 validators, no log, no change.
        assert_eq!(ret._0, U256::ZERO);
        assert!(out.logs.is_empty());
        assert_eq!(before.differences(&Fingerprint::read(&mut w.p, &[])), Vec::<String>::new());
        Ok(())
    }

    #[test]
    fn keeps_the_ether_pending_withdrawals_need() -> Result<()> {
        // Given 43 ETH buffered and a 20 ETH withdrawal request,
        let mut w = world()?;
        let pool = w.p.addrs.pool;
        w.p.submit_via_pool(w.bob, ether(32))?;
        w.p.request_withdrawals(w.bob, vec![ether(20)])?;
        // then only 23 ETH is depositable and no validator can be deposited.
        assert_eq!(w.p.view(pool, &IDepositPool::getDepositableEtherCall {})?._0, ether(23));
        let (ret, _) = w.p.exec(
            DEPOSITOR,
            pool,
            &IDepositPool::depositBufferedEtherCall { maxValidators: U256::from(1) },
            U256::ZERO,
        )?;
        assert_eq!(ret._0, U256::ZERO);
        assert_eq!(buffered(&mut w.p)?, ether(43));
        w.p.check_invariants()?;
        Ok(())
    }

    #[test]
    fn reverts_for_an_account_without_the_deposit_role() -> Result<()> {
        // Given 43 ETH buffered, when Alice deposits, then AccessControlUnauthorizedAccount(alice, DEPOSIT_ROLE).
        let mut w = world()?;
        let pool = w.p.addrs.pool;
        w.p.submit_via_pool(w.bob, ether(32))?;
        assert_revert(
            &mut w.p,
            w.alice,
            pool,
            &IDepositPool::depositBufferedEtherCall { maxValidators: U256::from(1) },
            U256::ZERO,
            &IDepositPool::AccessControlUnauthorizedAccount {
                account: w.alice,
                neededRole: keccak256("DEPOSIT_ROLE"),
            },
        )
    }
}

mod forced_ether {
    use super::*;

    /// Forces `amount` into `target` (as a self-destruct or a consensus-layer
    /// withdrawal would: no code runs) and returns what changed.
    fn force(p: &mut Protocol, target: Address, amount: U256) -> Vec<String> {
        let before = Fingerprint::read(p, &[]);
        p.host.fund(target, amount);
        before.differences(&Fingerprint::read(p, &[]))
    }

    #[test]
    fn ether_forced_into_the_pool_changes_no_balance_and_no_total() -> Result<()> {
        // Given the protocol, when 5 ETH is forced into the deposit pool,
        let mut w = world()?;
        let pool = w.p.addrs.pool;
        let changed = force(&mut w.p, pool, ether(5));
        // then only the pool's own ether balance differs: buffered, totals and balances do not.
        assert_eq!(changed.len(), 1, "{changed:?}");
        assert!(changed[0].starts_with(&format!("ETH balance of {pool}")), "{changed:?}");
        // (the accounting knows it as uncollected vault ether until a report.)
        w.p.chain.vault_pending += ether(5);
        w.p.check_invariants()?;
        Ok(())
    }

    #[test]
    fn ether_forced_into_the_tokens_changes_no_balance() -> Result<()> {
        // Given the protocol, when 5 ETH is forced into stETH and into wstETH,
        let mut w = world()?;
        let a = w.p.addrs;
        for target in [a.token, a.wsteth] {
            let changed = force(&mut w.p, target, ether(5));
            // then only that program's ether balance differs.
            assert_eq!(changed.len(), 1, "{changed:?}");
            assert!(changed[0].starts_with(&format!("ETH balance of {target}")), "{changed:?}");
        }
        w.p.check_invariants()?;
        Ok(())
    }
}

mod privileged {
    use super::*;

    #[test]
    fn handle_oracle_report_reverts_unauthorized_for_anyone_but_the_oracle() -> Result<()> {
        // Given Alice and governance, when either applies a report,
        let mut w = world()?;
        let pool = w.p.addrs.pool;
        let report = IDepositPool::handleOracleReportCall {
            reportTimestamp: U256::from(1),
            beaconValidators: U256::ZERO,
            beaconBalance: ether(100),
            withdrawalsToCollect: U256::ZERO,
            lastRequestIdToFinalize: U256::ZERO,
            ethToLock: U256::ZERO,
            maxShareRate: U256::ZERO,
        };
        for caller in [w.alice, GOVERNANCE] {
            // then Unauthorized(caller) and nothing changed.
            assert_revert(
                &mut w.p,
                caller,
                pool,
                &report,
                U256::ZERO,
                &IDepositPool::Unauthorized { caller },
            )?;
        }
        Ok(())
    }

    #[test]
    fn initialize_runs_once() -> Result<()> {
        // Given the bootstrapped pool, when governance initializes again,
        let mut w = world()?;
        let pool = w.p.addrs.pool;
        // then AlreadyInitialized() (and the seed ether returns), and Alice is refused outright.
        assert_revert(
            &mut w.p,
            GOVERNANCE,
            pool,
            &IDepositPool::initializeCall {},
            ether(1),
            &IDepositPool::AlreadyInitialized {},
        )?;
        assert_revert(
            &mut w.p,
            w.alice,
            pool,
            &IDepositPool::initializeCall {},
            ether(1),
            &IDepositPool::AccessControlUnauthorizedAccount {
                account: w.alice,
                neededRole: B256::ZERO,
            },
        )
    }

    #[test]
    fn withdrawal_credentials_can_only_be_the_pools_own() -> Result<()> {
        // Given governance, when it sets credentials pointing elsewhere,
        let mut w = world()?;
        let pool = w.p.addrs.pool;
        let mut other = w.p.withdrawal_credentials();
        other[31] ^= 1;
        // then InvalidWithdrawalCredentials(them), and the pool's own stay.
        assert_revert(
            &mut w.p,
            GOVERNANCE,
            pool,
            &IDepositPool::setWithdrawalCredentialsCall { withdrawalCredentials: other },
            U256::ZERO,
            &IDepositPool::InvalidWithdrawalCredentials { withdrawalCredentials: other },
        )?;
        let wc = w.p.view(pool, &IDepositPool::getWithdrawalCredentialsCall {})?._0;
        assert_eq!(wc, w.p.withdrawal_credentials());
        Ok(())
    }

    #[test]
    fn wiring_reverts_for_a_non_admin() -> Result<()> {
        // Given Alice, when she rewires the oracle, the queue or the beacon deposit contract,
        let mut w = world()?;
        let pool = w.p.addrs.pool;
        let denied = IDepositPool::AccessControlUnauthorizedAccount {
            account: w.alice,
            neededRole: B256::ZERO,
        };
        // then AccessControlUnauthorizedAccount(alice, 0x00) each time.
        assert_revert(
            &mut w.p,
            w.alice,
            pool,
            &IDepositPool::setOracleCall { oracle: w.alice },
            U256::ZERO,
            &denied,
        )?;
        assert_revert(
            &mut w.p,
            w.alice,
            pool,
            &IDepositPool::setWithdrawalQueueCall { withdrawalQueue: w.alice },
            U256::ZERO,
            &denied,
        )?;
        assert_revert(
            &mut w.p,
            w.alice,
            pool,
            &IDepositPool::setBeaconDepositContractCall { beaconDeposit: w.alice },
            U256::ZERO,
            &denied,
        )
    }
}

mod malformed_calls {
    use super::*;

    #[test]
    fn unknown_selector_short_calldata_and_value_to_non_payable_revert() -> Result<()> {
        // Given the pool, when called with an unknown selector, 3 bytes, or ether with pauseStaking(),
        let mut w = world()?;
        let pool = w.p.addrs.pool;
        let non_payable = IDepositPool::getBufferedEtherCall {}.abi_encode();
        // then each reverts with no data and changes nothing.
        let reverts = expect_malformed_calls_revert(&mut w.p, pool, &non_payable)?;
        assert!(reverts.iter().all(Vec::is_empty), "{reverts:?}");
        Ok(())
    }
}
