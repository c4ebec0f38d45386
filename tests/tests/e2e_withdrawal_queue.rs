//! End-to-end tests of the withdrawal queue on the embedded Stylus host,
//! through the Solidity ABI only: requests in stETH and wstETH, finalization
//! by a real oracle report (at the report's share rate, shares burnt),
//! claims paying exactly the locked ether once, losses borne and gains not
//! received, the ERC-721 side. Every revert is decoded with its `sol!` type
//! and changes no view; the accounting invariant is checked after every
//! step (including "the queue holds exactly its locked ether").

use alloy_primitives::{Address, U256};
use alloy_sol_types::SolCall;
use anyhow::Result;
use e2e::abi::{IStETH, IWithdrawalQueue, IWstETH};
use e2e::support::*;
use stylus_host::Outcome;

/// `1e27`, the precision of share rates.
fn e27() -> U256 {
    U256::from(10).pow(U256::from(27))
}

/// Alice (10 ETH) and Bob (5 ETH) staked; two validators were deposited
/// and seen; Carol then staked 20 ETH, which stays buffered for
/// withdrawals.
struct World {
    p: Lease,
    alice: Address,
    bob: Address,
    carol: Address,
}

fn world() -> Result<World> {
    let mut p = deploy()?;
    let alice = p.new_user("alice", ether(1_000));
    let bob = p.new_user("bob", ether(1_000));
    let carol = p.new_user("carol", ether(1_000));
    p.submit_via_pool(alice, ether(10))?;
    p.submit_via_pool(bob, ether(5))?;
    with_validators(&mut p, 2)?;
    p.submit_via_pool(carol, ether(20))?;
    p.check_invariants()?;
    Ok(World { p, alice, bob, carol })
}

fn queue_event(e: IWithdrawalQueue::IWithdrawalQueueEvents) -> Event {
    Event::Queue(e)
}

fn status(p: &mut Protocol, id: u64) -> Result<e2e::abi::WithdrawalRequestStatus> {
    let queue = p.addrs.queue;
    let mut statuses = p
        .view(
            queue,
            &IWithdrawalQueue::getWithdrawalStatusCall { requestIds: vec![U256::from(id)] },
        )?
        .statuses;
    Ok(statuses.remove(0))
}

/// The checkpoint hints of `ids` over every checkpoint.
fn hints(p: &mut Protocol, ids: &[u64]) -> Result<Vec<U256>> {
    let queue = p.addrs.queue;
    let last = p.view(queue, &IWithdrawalQueue::getLastCheckpointIndexCall {})?._0;
    Ok(p.view(
        queue,
        &IWithdrawalQueue::findCheckpointHintsCall {
            requestIds: ids.iter().map(|i| U256::from(*i)).collect(),
            firstIndex: U256::from(1),
            lastIndex: last,
        },
    )?
    .hintIds)
}

fn claimable(p: &mut Protocol, id: u64) -> Result<U256> {
    let queue = p.addrs.queue;
    let hint = hints(p, &[id])?;
    Ok(p.view(
        queue,
        &IWithdrawalQueue::getClaimableEtherCall { requestIds: vec![U256::from(id)], hints: hint },
    )?
    .claimableEthValues[0])
}

fn locked(p: &mut Protocol) -> Result<U256> {
    let queue = p.addrs.queue;
    Ok(p.view(queue, &IWithdrawalQueue::getLockedEtherAmountCall {})?._0)
}

/// `claimWithdrawal(id)` from `who`, with `who`'s ether balance change.
fn claim(p: &mut Protocol, who: Address, id: u64) -> Result<(Outcome, U256)> {
    let before = p.host.balance(who);
    let out = p.claim(who, U256::from(id))?;
    Ok((out, p.host.balance(who) - before))
}

mod request_withdrawals {
    use super::*;

    #[test]
    fn locks_steth_records_the_request_and_mints_its_nft() -> Result<()> {
        // Given a fractional rate (after +5 %), when Alice requests 2 ETH,
        let mut w = world()?;
        rebase(&mut w.p, Rebase::Up5)?;
        let queue = w.p.addrs.queue;
        let rate = Rate::read(&mut w.p)?;
        let shares = rate.to_shares(ether(2));
        let (ids, out) = w.p.request_withdrawals(w.alice, vec![ether(2)])?;
        // then request 1 holds floor(2 ETH × S / P) shares moved from Alice to the queue,
        assert_eq!(ids, vec![U256::from(1)]);
        assert_eq!(w.p.shares_of(queue)?, shares);
        assert_eq!(
            events(&w.p, &out)?,
            vec![
                steth_approval(w.alice, queue, U256::ZERO),
                steth_transfer(w.alice, queue, ether(2)),
                steth_transfer_shares(w.alice, queue, shares),
                queue_event(IWithdrawalQueue::IWithdrawalQueueEvents::WithdrawalRequested(
                    IWithdrawalQueue::WithdrawalRequested {
                        requestId: U256::from(1),
                        requestor: w.alice,
                        owner: w.alice,
                        amountOfStETH: ether(2),
                        amountOfShares: shares,
                    }
                )),
                queue_event(IWithdrawalQueue::IWithdrawalQueueEvents::Transfer(
                    IWithdrawalQueue::Transfer {
                        from: Address::ZERO,
                        to: w.alice,
                        tokenId: U256::from(1)
                    }
                )),
            ]
        );
        // its status says so, Alice owns its NFT, and 2 ETH is unfinalized.
        let s = status(&mut w.p, 1)?;
        assert_eq!((s.amountOfStETH, s.amountOfShares, s.owner), (ether(2), shares, w.alice));
        assert_eq!(
            (s.timestamp, s.isFinalized, s.isClaimed),
            (U256::from(w.p.host.timestamp()), false, false)
        );
        assert_eq!(
            w.p.view(queue, &IWithdrawalQueue::ownerOfCall { requestId: U256::from(1) })?._0,
            w.alice
        );
        assert_eq!(
            w.p.view(queue, &IWithdrawalQueue::balanceOfCall { owner: w.alice })?._0,
            U256::from(1)
        );
        let owned =
            w.p.view(queue, &IWithdrawalQueue::getWithdrawalRequestsCall { owner: w.alice })?;
        assert_eq!(owned.requestsIds, vec![U256::from(1)]);
        assert_eq!(w.p.view(queue, &IWithdrawalQueue::unfinalizedStETHCall {})?._0, ether(2));
        w.p.check_invariants()?;
        Ok(())
    }

    #[test]
    fn mints_one_request_per_amount_for_the_named_owner() -> Result<()> {
        // Given Alice's approval, when she requests 1 and 2 ETH for Bob,
        let mut w = world()?;
        let queue = w.p.addrs.queue;
        w.p.approve_steth(w.alice, queue, ether(3))?;
        let (ret, _) = w.p.exec(
            w.alice,
            queue,
            &IWithdrawalQueue::requestWithdrawalsCall {
                amounts: vec![ether(1), ether(2)],
                owner: w.bob,
            },
            U256::ZERO,
        )?;
        // then ids 1 and 2 belong to Bob, and 3 ETH is unfinalized.
        assert_eq!(ret.requestIds, vec![U256::from(1), U256::from(2)]);
        assert_eq!(
            w.p.view(queue, &IWithdrawalQueue::balanceOfCall { owner: w.bob })?._0,
            U256::from(2)
        );
        assert_eq!(status(&mut w.p, 2)?.owner, w.bob);
        assert_eq!(w.p.view(queue, &IWithdrawalQueue::unfinalizedStETHCall {})?._0, ether(3));
        w.p.check_invariants()?;
        Ok(())
    }

    #[test]
    fn in_wsteth_unwraps_and_records_the_units_as_shares() -> Result<()> {
        // Given Alice's 4 wrapped units approved to the queue,
        let mut w = world()?;
        let a = w.p.addrs;
        w.p.approve_steth(w.alice, a.wsteth, ether(4))?;
        w.p.wrap(w.alice, ether(4))?;
        w.p.exec(
            w.alice,
            a.wsteth,
            &IWstETH::approveCall { spender: a.queue, amount: ether(3) },
            U256::ZERO,
        )?;
        // when she requests 3 units,
        let (ret, _) = w.p.exec(
            w.alice,
            a.queue,
            &IWithdrawalQueue::requestWithdrawalsWstETHCall {
                amounts: vec![ether(3)],
                owner: Address::ZERO,
            },
            U256::ZERO,
        )?;
        // then the request records the unwrapped stETH and the 3 units as shares, owned by her.
        assert_eq!(ret.requestIds, vec![U256::from(1)]);
        let s = status(&mut w.p, 1)?;
        assert_eq!((s.amountOfStETH, s.amountOfShares, s.owner), (ether(3), ether(3), w.alice));
        assert_eq!(w.p.wsteth_balance(w.alice)?, ether(1));
        assert_eq!(w.p.shares_of(a.queue)?, ether(3));
        w.p.check_invariants()?;
        Ok(())
    }

    #[test]
    fn with_a_permit_needs_no_prior_approval() -> Result<()> {
        // Given a wallet holding 3 ETH of stETH and its signed permit for the queue,
        let mut w = world()?;
        let a = w.p.addrs;
        let wallet = Wallet::new("queue permit owner");
        w.p.host.fund(wallet.address, ether(4));
        w.p.submit_via_pool(wallet.address, ether(3))?;
        let deadline = U256::from(w.p.host.timestamp() + 600);
        let d = domain("Liquid staked Ether 2.0", "2", CHAIN_ID, a.token);
        let sig =
            wallet.sign(permit_digest(&d, wallet.address, a.queue, ether(2), U256::ZERO, deadline));
        // when it requests 2 ETH with the permit attached,
        let (ret, _) = w.p.exec(
            wallet.address,
            a.queue,
            &IWithdrawalQueue::requestWithdrawalsWithPermitCall {
                amounts: vec![ether(2)],
                owner: Address::ZERO,
                permit: e2e::abi::PermitInput {
                    value: ether(2),
                    deadline,
                    v: sig.v,
                    r: sig.r,
                    s: sig.s,
                },
            },
            U256::ZERO,
        )?;
        // then the permit set the allowance, the request spent it, and the nonce moved.
        assert_eq!(ret.requestIds, vec![U256::from(1)]);
        assert_eq!(status(&mut w.p, 1)?.owner, wallet.address);
        let allowance =
            w.p.view(a.token, &IStETH::allowanceCall { owner: wallet.address, spender: a.queue })?;
        assert_eq!(allowance._0, U256::ZERO);
        assert_eq!(
            w.p.view(a.token, &IStETH::noncesCall { owner: wallet.address })?._0,
            U256::from(1)
        );
        w.p.check_invariants()?;
        Ok(())
    }

    #[test]
    fn reverts_outside_the_amount_bounds() -> Result<()> {
        // Given an infinite allowance,
        let mut w = world()?;
        let queue = w.p.addrs.queue;
        w.p.approve_steth(w.alice, queue, INFINITE)?;
        let request = |amount: U256| IWithdrawalQueue::requestWithdrawalsCall {
            amounts: vec![amount],
            owner: Address::ZERO,
        };
        // then 99 wei is too small and 1000 ETH + 1 wei too large.
        assert_revert(
            &mut w.p,
            w.alice,
            queue,
            &request(U256::from(99)),
            U256::ZERO,
            &IWithdrawalQueue::RequestAmountTooSmall { amountOfStETH: U256::from(99) },
        )?;
        let big = ether(1_000) + U256::from(1);
        assert_revert(
            &mut w.p,
            w.alice,
            queue,
            &request(big),
            U256::ZERO,
            &IWithdrawalQueue::RequestAmountTooLarge { amountOfStETH: big },
        )
    }

    #[test]
    fn passes_through_the_rebase_tokens_insufficient_allowance() -> Result<()> {
        // Given no allowance to the queue, when Alice requests 2 ETH,
        let mut w = world()?;
        let queue = w.p.addrs.queue;
        // then stETH's InsufficientAllowance(alice, queue, 0, 2 ETH) comes back unchanged.
        assert_revert(
            &mut w.p,
            w.alice,
            queue,
            &IWithdrawalQueue::requestWithdrawalsCall {
                amounts: vec![ether(2)],
                owner: Address::ZERO,
            },
            U256::ZERO,
            &IStETH::InsufficientAllowance {
                owner: w.alice,
                spender: queue,
                allowance: U256::ZERO,
                needed: ether(2),
            },
        )
    }

    #[test]
    fn reverts_resumed_expected_while_paused() -> Result<()> {
        // Given governance paused the queue for a day,
        let mut w = world()?;
        let queue = w.p.addrs.queue;
        w.p.exec(
            GOVERNANCE,
            queue,
            &IWithdrawalQueue::pauseForCall { duration: U256::from(86_400) },
            U256::ZERO,
        )?;
        assert!(w.p.view(queue, &IWithdrawalQueue::isPausedCall {})?._0);
        w.p.approve_steth(w.alice, queue, ether(2))?;
        // when Alice requests, then ResumedExpected().
        assert_revert(
            &mut w.p,
            w.alice,
            queue,
            &IWithdrawalQueue::requestWithdrawalsCall {
                amounts: vec![ether(2)],
                owner: Address::ZERO,
            },
            U256::ZERO,
            &IWithdrawalQueue::ResumedExpected {},
        )
    }
}

mod metadata {
    use super::*;

    #[test]
    fn names_wiring_limits_and_interfaces_are_lidos() -> Result<()> {
        // Given the deployed queue, when its metadata and wiring are read,
        let mut w = world()?;
        let a = w.p.addrs;
        // then it is the unstETH NFT over this protocol's tokens with Lido's bounds.
        assert_eq!(
            w.p.view(a.queue, &IWithdrawalQueue::nameCall {})?._0,
            "Staked ETH Withdrawal NFT"
        );
        assert_eq!(w.p.view(a.queue, &IWithdrawalQueue::symbolCall {})?._0, "unstETH");
        assert_eq!(w.p.view(a.queue, &IWithdrawalQueue::STETHCall {})?._0, a.token);
        assert_eq!(w.p.view(a.queue, &IWithdrawalQueue::WSTETHCall {})?._0, a.wsteth);
        assert_eq!(w.p.view(a.queue, &IWithdrawalQueue::getDepositPoolCall {})?._0, a.pool);
        assert_eq!(
            w.p.view(a.queue, &IWithdrawalQueue::MIN_STETH_WITHDRAWAL_AMOUNTCall {})?._0,
            U256::from(100)
        );
        assert_eq!(
            w.p.view(a.queue, &IWithdrawalQueue::MAX_STETH_WITHDRAWAL_AMOUNTCall {})?._0,
            ether(1_000)
        );
        for (id, expected) in
            [([0x80, 0xac, 0x58, 0xcd], true), ([0x01, 0xff, 0xc9, 0xa7], true), ([0xff; 4], false)]
        {
            let call = IWithdrawalQueue::supportsInterfaceCall { interfaceId: id.into() };
            assert_eq!(w.p.view(a.queue, &call)?._0, expected, "{id:02x?}");
        }
        Ok(())
    }
}

mod finalization {
    use super::*;

    #[test]
    fn finalize_reverts_unauthorized_for_anyone_but_the_deposit_pool() -> Result<()> {
        // Given a request, when Alice or the oracle finalizes it with ether,
        let mut w = world()?;
        let a = w.p.addrs;
        w.p.request_withdrawals(w.alice, vec![ether(2)])?;
        let call =
            IWithdrawalQueue::finalizeCall { lastRequestId: U256::from(1), maxShareRate: e27() };
        for caller in [w.alice, a.oracle] {
            w.p.host.fund(caller, ether(2));
            // then Unauthorized(caller), and the ether stays with the caller.
            assert_revert(
                &mut w.p,
                caller,
                a.queue,
                &call,
                ether(2),
                &IWithdrawalQueue::Unauthorized { caller },
            )?;
        }
        Ok(())
    }

    #[test]
    fn a_report_finalizes_requests_locks_their_ether_and_burns_their_shares() -> Result<()> {
        // Given requests of 2 and 3 ETH at rate 1 and 20 ETH buffered,
        let mut w = world()?;
        let queue = w.p.addrs.queue;
        let (ids, _) = w.p.request_withdrawals(w.alice, vec![ether(2), ether(3)])?;
        assert_eq!(ids.len(), 2);
        let pre = Rate::read(&mut w.p)?;
        // when the next report is processed,
        let frame = w.p.run_oracle_frame(|_| {})?;
        assert_eq!(frame.data.lastRequestIdToFinalize, U256::from(2));
        // then both are finalized with exactly 5 ETH locked and their 5 ETH of shares burnt,
        let logged = events(&w.p, &frame.processing)?;
        assert!(logged.contains(&queue_event(
            IWithdrawalQueue::IWithdrawalQueueEvents::WithdrawalsFinalized(
                IWithdrawalQueue::WithdrawalsFinalized {
                    from: U256::from(1),
                    to: U256::from(2),
                    amountOfETHLocked: ether(5),
                    sharesToBurn: ether(5),
                    timestamp: U256::from(w.p.host.timestamp()),
                }
            )
        )));
        assert!(logged.contains(&Event::StEth(IStETH::IStETHEvents::SharesBurnt(
            IStETH::SharesBurnt {
                account: queue,
                preRebaseTokenAmount: ether(5),
                postRebaseTokenAmount: ether(5),
                sharesAmount: ether(5),
            }
        ))));
        assert_eq!(locked(&mut w.p)?, ether(5));
        assert_eq!(w.p.host.balance(queue), ether(5));
        assert_eq!(w.p.shares_of(queue)?, U256::ZERO);
        assert_eq!(
            Rate::read(&mut w.p)?,
            Rate { pooled: pre.pooled - ether(5), shares: pre.shares - ether(5) }
        );
        assert_eq!(
            w.p.view(queue, &IWithdrawalQueue::getLastFinalizedRequestIdCall {})?._0,
            U256::from(2)
        );
        assert_eq!(w.p.view(queue, &IWithdrawalQueue::unfinalizedStETHCall {})?._0, U256::ZERO);
        assert!(status(&mut w.p, 2)?.isFinalized);
        // and each request's claimable ether is its amount.
        assert_eq!(hints(&mut w.p, &[1, 2])?, vec![U256::from(1), U256::from(1)]);
        assert_eq!((claimable(&mut w.p, 1)?, claimable(&mut w.p, 2)?), (ether(2), ether(3)));
        w.p.check_invariants()?;
        Ok(())
    }

    #[test]
    fn requests_can_be_finalized_from_the_buffer_before_any_validator() -> Result<()> {
        // Given a 2 ETH request and only buffered ether,
        let mut p = deploy()?;
        let alice = p.new_user("alice", ether(100));
        p.submit_via_pool(alice, ether(10))?;
        p.request_withdrawals(alice, vec![ether(2)])?;
        // when the next report is processed, then the request is finalized and claimable.
        p.run_oracle_frame(|_| {})?;
        let (_, paid) = claim(&mut p, alice, 1)?;
        assert_eq!(paid, ether(2));
        p.check_invariants()?;
        Ok(())
    }
}

mod claim {
    use super::*;

    /// [`world`] with Alice's 2 and 3 ETH requests finalized by a report.
    fn finalized() -> Result<World> {
        let mut w = world()?;
        w.p.request_withdrawals(w.alice, vec![ether(2), ether(3)])?;
        w.p.run_oracle_frame(|_| {})?;
        Ok(w)
    }

    #[test]
    fn claim_withdrawal_pays_exactly_the_locked_ether_once() -> Result<()> {
        // Given finalized requests, when Alice claims request 1,
        let mut w = finalized()?;
        let queue = w.p.addrs.queue;
        let (out, paid) = claim(&mut w.p, w.alice, 1)?;
        // then she receives exactly 2 ETH, the claim and the NFT burn are logged,
        assert_eq!(paid, ether(2));
        assert_eq!(
            events(&w.p, &out)?,
            vec![
                queue_event(IWithdrawalQueue::IWithdrawalQueueEvents::WithdrawalClaimed(
                    IWithdrawalQueue::WithdrawalClaimed {
                        requestId: U256::from(1),
                        owner: w.alice,
                        receiver: w.alice,
                        amountOfETH: ether(2),
                    }
                )),
                queue_event(IWithdrawalQueue::IWithdrawalQueueEvents::Transfer(
                    IWithdrawalQueue::Transfer {
                        from: w.alice,
                        to: Address::ZERO,
                        tokenId: U256::from(1),
                    }
                )),
            ]
        );
        assert_eq!(locked(&mut w.p)?, ether(3));
        assert!(status(&mut w.p, 1)?.isClaimed);
        w.p.check_invariants()?;
        // and a second claim reverts RequestAlreadyClaimed(1) and pays nothing.
        assert_revert(
            &mut w.p,
            w.alice,
            queue,
            &IWithdrawalQueue::claimWithdrawalCall { requestId: U256::from(1) },
            U256::ZERO,
            &IWithdrawalQueue::RequestAlreadyClaimed { requestId: U256::from(1) },
        )?;
        assert_revert(
            &mut w.p,
            w.alice,
            queue,
            &IWithdrawalQueue::ownerOfCall { requestId: U256::from(1) },
            U256::ZERO,
            &IWithdrawalQueue::RequestAlreadyClaimed { requestId: U256::from(1) },
        )
    }

    #[test]
    fn claim_withdrawals_to_sends_every_request_to_the_recipient_in_one_transfer() -> Result<()> {
        // Given finalized requests 1 and 2, when Alice claims both to Carol,
        let mut w = finalized()?;
        let queue = w.p.addrs.queue;
        let h = hints(&mut w.p, &[1, 2])?;
        let before = w.p.host.balance(w.carol);
        w.p.exec(
            w.alice,
            queue,
            &IWithdrawalQueue::claimWithdrawalsToCall {
                requestIds: vec![U256::from(1), U256::from(2)],
                hints: h,
                recipient: w.carol,
            },
            U256::ZERO,
        )?;
        // then Carol receives 5 ETH, nothing stays locked, and Alice owns no request.
        assert_eq!(w.p.host.balance(w.carol) - before, ether(5));
        assert_eq!(locked(&mut w.p)?, U256::ZERO);
        assert_eq!(
            w.p.view(queue, &IWithdrawalQueue::balanceOfCall { owner: w.alice })?._0,
            U256::ZERO
        );
        w.p.check_invariants()?;
        Ok(())
    }

    #[test]
    fn claim_before_finalization_reverts_request_not_found_or_not_finalized() -> Result<()> {
        // Given Alice's 2 ETH request that no report has finalized yet,
        let mut w = world()?;
        let queue = w.p.addrs.queue;
        w.p.request_withdrawals(w.alice, vec![ether(2)])?;
        // when she claims it, then RequestNotFoundOrNotFinalized(1), and nothing is paid.
        assert_revert(
            &mut w.p,
            w.alice,
            queue,
            &IWithdrawalQueue::claimWithdrawalCall { requestId: U256::from(1) },
            U256::ZERO,
            &IWithdrawalQueue::RequestNotFoundOrNotFinalized { requestId: U256::from(1) },
        )
    }

    #[test]
    fn claim_by_another_account_reverts_not_owner_or_approved() -> Result<()> {
        // Given Alice's finalized request, when Bob claims it,
        let mut w = finalized()?;
        let queue = w.p.addrs.queue;
        // then NotOwnerOrApproved(bob), and nothing moves.
        assert_revert(
            &mut w.p,
            w.bob,
            queue,
            &IWithdrawalQueue::claimWithdrawalCall { requestId: U256::from(1) },
            U256::ZERO,
            &IWithdrawalQueue::NotOwnerOrApproved { sender: w.bob },
        )
    }

    #[test]
    fn the_nft_carries_the_claim_to_its_new_owner() -> Result<()> {
        // Given Alice's finalized request 1, when she transfers its NFT to Bob,
        let mut w = finalized()?;
        let queue = w.p.addrs.queue;
        w.p.exec(
            w.alice,
            queue,
            &IWithdrawalQueue::transferFromCall {
                from: w.alice,
                to: w.bob,
                requestId: U256::from(1),
            },
            U256::ZERO,
        )?;
        // then Bob can claim its 2 ETH and Alice no longer can.
        assert_revert(
            &mut w.p,
            w.alice,
            queue,
            &IWithdrawalQueue::claimWithdrawalCall { requestId: U256::from(1) },
            U256::ZERO,
            &IWithdrawalQueue::NotOwnerOrApproved { sender: w.alice },
        )?;
        let (_, paid) = claim(&mut w.p, w.bob, 1)?;
        assert_eq!(paid, ether(2));
        w.p.check_invariants()?;
        Ok(())
    }

    #[test]
    fn a_loss_after_the_request_is_borne_by_the_requester() -> Result<()> {
        // Given Alice's 2 ETH request at rate 1,
        let mut w = world()?;
        let (_, _) = w.p.request_withdrawals(w.alice, vec![ether(2)])?;
        let shares = status(&mut w.p, 1)?.amountOfShares;
        // when a −5 % report finalizes it,
        let pre = Rate::read(&mut w.p)?;
        let loss = pre.pooled / U256::from(20) / gwei(1) * gwei(1);
        rebase(&mut w.p, Rebase::Down5)?;
        // then it is worth floor(shares × floor(P1 × 1e27 / S1) / 1e27) < 2 ETH, and that is paid.
        let max_share_rate = (pre.pooled - loss) * e27() / pre.shares;
        let value = shares * max_share_rate / e27();
        assert!(value < ether(2));
        assert_eq!(claimable(&mut w.p, 1)?, value);
        let (_, paid) = claim(&mut w.p, w.alice, 1)?;
        assert_eq!(paid, value);
        w.p.check_invariants()?;
        Ok(())
    }

    #[test]
    fn a_gain_after_the_request_is_not_received() -> Result<()> {
        // Given Alice's 2 ETH request at rate 1, when a +5 % report finalizes it,
        let mut w = world()?;
        w.p.request_withdrawals(w.alice, vec![ether(2)])?;
        rebase(&mut w.p, Rebase::Up5)?;
        // then she is paid exactly the 2 ETH she asked for; the burnt shares' extra value
        // stays with the holders.
        let (_, paid) = claim(&mut w.p, w.alice, 1)?;
        assert_eq!(paid, ether(2));
        w.p.check_invariants()?;
        Ok(())
    }
}

mod malformed_calls {
    use super::*;

    #[test]
    fn unknown_selector_short_calldata_and_value_to_non_payable_revert() -> Result<()> {
        // Given the queue (whose payable fallback serves the ABI), when called with an unknown
        // selector, 3 bytes, or ether with getLastRequestId(),
        let mut w = world()?;
        let queue = w.p.addrs.queue;
        let non_payable = IWithdrawalQueue::getLastRequestIdCall {}.abi_encode();
        // then each reverts with no data and changes nothing (the queue keeps no stray ether).
        let reverts = expect_malformed_calls_revert(&mut w.p, queue, &non_payable)?;
        assert!(reverts.iter().all(Vec::is_empty), "{reverts:?}");
        Ok(())
    }

    #[test]
    fn plain_ether_is_refused() -> Result<()> {
        // Given the queue, when Alice sends it plain ether, then it reverts and keeps none.
        let mut w = world()?;
        let queue = w.p.addrs.queue;
        expect_revert_raw(&mut w.p, w.alice, queue, &[], ether(1))?;
        w.p.check_invariants()?;
        Ok(())
    }
}
