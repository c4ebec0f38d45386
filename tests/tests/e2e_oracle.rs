//! End-to-end tests of the accounting oracle on the embedded Stylus host,
//! through the Solidity ABI only: the committee's hash consensus (quorum,
//! vote changes, consensus reached and lost, stale and future slots),
//! processing of the agreed data (once, by its deadline, hash checked), and
//! the reports' effect on the other programs (rewards with the fee minted
//! exactly per the formula, a negative report, refusals by the sanity
//! limits). Every revert is decoded with its `sol!` type and changes no
//! view; the accounting invariant is checked after every step.

use alloy_primitives::{keccak256, Address, B256, U256};
use alloy_sol_types::SolCall;
use anyhow::Result;
use e2e::abi::{IAccountingOracle, IDepositPool, IStETH, ReportData};
use e2e::support::*;
use scripts::protocol::MAINNET_GENESIS;
use stylus_host::Outcome;

/// The fee: 10 % of the rewards, half of it to the operator recipient.
const FEE_BP: u64 = 1_000;
const OPERATOR_BP: u64 = 500;
/// A daily frame in seconds (7,200 slots of 12 s).
const FRAME_SECONDS: u64 = 7_200 * 12;

/// Alice staked 10 ETH; two validators were deposited and seen by a first
/// (neutral) report, so that later reports can move the CL balance.
struct World {
    p: Lease,
    alice: Address,
}

fn world() -> Result<World> {
    let mut p = deploy()?;
    let alice = p.new_user("alice", ether(1_000));
    p.submit_via_pool(alice, ether(10))?;
    with_validators(&mut p, 2)?;
    Ok(World { p, alice })
}

fn oracle_event(e: IAccountingOracle::IAccountingOracleEvents) -> Event {
    Event::Oracle(e)
}

fn report_received(ref_slot: u64, member: Address, report: B256) -> Event {
    oracle_event(IAccountingOracle::IAccountingOracleEvents::ReportReceived(
        IAccountingOracle::ReportReceived { refSlot: U256::from(ref_slot), member, report },
    ))
}

fn consensus_reached(ref_slot: u64, report: B256, support: u64) -> Event {
    oracle_event(IAccountingOracle::IAccountingOracleEvents::ConsensusReached(
        IAccountingOracle::ConsensusReached {
            refSlot: U256::from(ref_slot),
            report,
            support: U256::from(support),
        },
    ))
}

/// Member `i` votes `hash` for `ref_slot` (consensus version 1).
fn vote(p: &mut Protocol, i: usize, ref_slot: u64, hash: B256) -> Result<Outcome> {
    let (oracle, member) = (p.addrs.oracle, p.members[i]);
    let call = IAccountingOracle::submitReportCall {
        slot: U256::from(ref_slot),
        report: hash,
        consensusVersion: U256::from(1),
    };
    Ok(p.exec(member, oracle, &call, U256::ZERO)?.1)
}

fn submit_data(data: &ReportData) -> IAccountingOracle::submitReportDataCall {
    IAccountingOracle::submitReportDataCall { data: data.clone(), contractVersion: U256::from(1) }
}

/// Moves into the next frame and builds the report the simulated chain shows.
fn next_frame(p: &mut Protocol) -> Result<(u64, ReportData)> {
    let ref_slot = p.advance_to_next_frame()?;
    let data = p.report_data(ref_slot)?;
    Ok((ref_slot, data))
}

/// A report with another CL balance than `data`'s (so another hash).
fn other(data: &ReportData) -> ReportData {
    let mut d = data.clone();
    d.clBalanceGwei += U256::from(1);
    d
}

fn consensus_state(p: &mut Protocol) -> Result<IAccountingOracle::getConsensusStateReturn> {
    let oracle = p.addrs.oracle;
    p.view(oracle, &IAccountingOracle::getConsensusStateCall {})
}

/// `floor(R * f * S / ((P + R) * 10^4 - R * f))` split
/// `(treasury, operator = floor(x * operatorBp / f))`.
fn fee_shares(rewards: U256, pre: Rate) -> (U256, U256) {
    let f = U256::from(FEE_BP);
    let x = rewards * f * pre.shares / ((pre.pooled + rewards) * U256::from(10_000) - rewards * f);
    let operator = x * U256::from(OPERATOR_BP) / f;
    (x - operator, operator)
}

mod committee {
    use super::*;

    #[test]
    fn members_quorum_and_frames_are_as_wired() -> Result<()> {
        // Given the deployed committee of three with quorum 2,
        let mut w = world()?;
        let oracle = w.p.addrs.oracle;
        // then the views (dynamic arrays decoded strictly) say so.
        let members = w.p.view(oracle, &IAccountingOracle::getMembersCall {})?;
        let mut listed = members.addresses.clone();
        listed.sort();
        let mut expected = w.p.members.clone();
        expected.sort();
        assert_eq!(listed, expected);
        assert_eq!(members.lastReportedRefSlots.len(), 3);
        assert_eq!(w.p.view(oracle, &IAccountingOracle::getQuorumCall {})?._0, U256::from(2));
        let member = w.p.members[0];
        assert!(w.p.view(oracle, &IAccountingOracle::getIsMemberCall { addr: member })?._0);
        assert!(!w.p.view(oracle, &IAccountingOracle::getIsMemberCall { addr: w.alice })?._0);
        let chain = w.p.view(oracle, &IAccountingOracle::getChainConfigCall {})?;
        assert_eq!(
            (chain.secondsPerSlot, chain.genesisTime),
            (U256::from(12), U256::from(MAINNET_GENESIS))
        );
        let frame = w.p.view(oracle, &IAccountingOracle::getFrameConfigCall {})?;
        assert_eq!(frame.epochsPerFrame, U256::from(7_200));
        let fee = w.p.view(oracle, &IAccountingOracle::getFeeCall {})?;
        assert_eq!(
            (fee.totalBasisPoints, fee.operatorBasisPoints),
            (U256::from(FEE_BP), U256::from(OPERATOR_BP))
        );
        Ok(())
    }

    #[test]
    fn add_member_reverts_for_duplicates_small_quorums_and_without_the_role() -> Result<()> {
        // Given governance (holding MANAGE_MEMBERS_AND_QUORUM_ROLE) and Alice (not),
        let mut w = world()?;
        let oracle = w.p.addrs.oracle;
        let member = w.p.members[0];
        let add = |addr, quorum: u64| IAccountingOracle::addMemberCall {
            addr,
            quorum: U256::from(quorum),
        };
        // then a duplicate, a quorum of half the members, and Alice are refused.
        assert_revert(
            &mut w.p,
            GOVERNANCE,
            oracle,
            &add(member, 3),
            U256::ZERO,
            &IAccountingOracle::DuplicateMember {},
        )?;
        assert_revert(
            &mut w.p,
            GOVERNANCE,
            oracle,
            &add(w.alice, 2),
            U256::ZERO,
            &IAccountingOracle::QuorumTooSmall {
                minQuorum: U256::from(3),
                receivedQuorum: U256::from(2),
            },
        )?;
        assert_revert(
            &mut w.p,
            w.alice,
            oracle,
            &add(w.alice, 3),
            U256::ZERO,
            &IAccountingOracle::AccessControlUnauthorizedAccount {
                account: w.alice,
                neededRole: keccak256("MANAGE_MEMBERS_AND_QUORUM_ROLE"),
            },
        )
    }
}

mod consensus {
    use super::*;

    #[test]
    fn one_vote_is_below_the_quorum() -> Result<()> {
        // Given a new frame, when one member votes,
        let mut w = world()?;
        let (ref_slot, data) = next_frame(&mut w.p)?;
        let out = vote(&mut w.p, 0, ref_slot, data.hash())?;
        // then ReportReceived only; no consensus; the variant has support 1.
        let member = w.p.members[0];
        assert_eq!(events(&w.p, &out)?, vec![report_received(ref_slot, member, data.hash())]);
        let state = consensus_state(&mut w.p)?;
        assert_eq!((state.refSlot, state.consensusReport), (U256::from(ref_slot), B256::ZERO));
        let oracle = w.p.addrs.oracle;
        let variants = w.p.view(oracle, &IAccountingOracle::getReportVariantsCall {})?;
        assert_eq!((variants.variants, variants.support), (vec![data.hash()], vec![U256::from(1)]));
        // and the member's own state and the frame say so.
        let mine =
            w.p.view(oracle, &IAccountingOracle::getConsensusStateForMemberCall { member })?.result;
        assert_eq!(
            (mine.currentFrameRefSlot, mine.currentFrameMemberReport),
            (U256::from(ref_slot), data.hash())
        );
        assert_eq!(mine.lastMemberReportRefSlot, U256::from(ref_slot));
        assert!(mine.isMember && mine.canReport);
        let frame = w.p.view(oracle, &IAccountingOracle::getCurrentFrameCall {})?;
        assert_eq!(
            (frame.refSlot, frame.reportProcessingDeadlineSlot),
            (U256::from(ref_slot), U256::from(ref_slot + 7_200))
        );
        Ok(())
    }

    #[test]
    fn a_second_identical_vote_reaches_consensus() -> Result<()> {
        // Given one vote, when a second member votes the same hash,
        let mut w = world()?;
        let (ref_slot, data) = next_frame(&mut w.p)?;
        vote(&mut w.p, 0, ref_slot, data.hash())?;
        let out = vote(&mut w.p, 1, ref_slot, data.hash())?;
        // then ConsensusReached(refSlot, hash, 2) and the state names the report.
        let member = w.p.members[1];
        assert_eq!(
            events(&w.p, &out)?,
            vec![
                report_received(ref_slot, member, data.hash()),
                consensus_reached(ref_slot, data.hash(), 2)
            ]
        );
        let state = consensus_state(&mut w.p)?;
        assert_eq!((state.consensusReport, state.isReportProcessing), (data.hash(), false));
        let oracle = w.p.addrs.oracle;
        let report = w.p.view(oracle, &IAccountingOracle::getConsensusReportCall {})?;
        assert_eq!(
            (report.hash, report.refSlot, report.processingStarted),
            (data.hash(), U256::from(ref_slot), false)
        );
        Ok(())
    }

    #[test]
    fn a_vote_change_moves_the_support_and_reaches_consensus() -> Result<()> {
        // Given member 0 voted h1 and member 1 voted h2,
        let mut w = world()?;
        let (ref_slot, data) = next_frame(&mut w.p)?;
        let (h1, h2) = (data.hash(), other(&data).hash());
        vote(&mut w.p, 0, ref_slot, h1)?;
        vote(&mut w.p, 1, ref_slot, h2)?;
        assert_eq!(consensus_state(&mut w.p)?.consensusReport, B256::ZERO);
        // when member 1 changes to h1,
        let out = vote(&mut w.p, 1, ref_slot, h1)?;
        // then h1 reaches consensus with 2 votes and h2 has no support left.
        let member = w.p.members[1];
        assert_eq!(
            events(&w.p, &out)?,
            vec![report_received(ref_slot, member, h1), consensus_reached(ref_slot, h1, 2)]
        );
        let oracle = w.p.addrs.oracle;
        let variants = w.p.view(oracle, &IAccountingOracle::getReportVariantsCall {})?;
        assert_eq!((variants.variants, variants.support), (vec![h1], vec![U256::from(2)]));
        Ok(())
    }

    #[test]
    fn a_vote_change_below_the_quorum_loses_consensus() -> Result<()> {
        // Given consensus on h1 by members 0 and 1,
        let mut w = world()?;
        let (ref_slot, data) = next_frame(&mut w.p)?;
        let (h1, h2) = (data.hash(), other(&data).hash());
        vote(&mut w.p, 0, ref_slot, h1)?;
        vote(&mut w.p, 1, ref_slot, h1)?;
        // when member 1 changes to h2,
        let out = vote(&mut w.p, 1, ref_slot, h2)?;
        // then ConsensusLost(refSlot) and no report stands.
        let member = w.p.members[1];
        assert_eq!(
            events(&w.p, &out)?,
            vec![
                report_received(ref_slot, member, h2),
                oracle_event(IAccountingOracle::IAccountingOracleEvents::ConsensusLost(
                    IAccountingOracle::ConsensusLost { refSlot: U256::from(ref_slot) }
                )),
            ]
        );
        assert_eq!(consensus_state(&mut w.p)?.consensusReport, B256::ZERO);
        // and the data can no longer be processed.
        let member0 = w.p.members[0];
        let oracle = w.p.addrs.oracle;
        assert_revert(
            &mut w.p,
            member0,
            oracle,
            &submit_data(&data),
            U256::ZERO,
            &IAccountingOracle::NoConsensusReportToProcess {},
        )
    }

    #[test]
    fn the_same_vote_twice_reverts_duplicate_report() -> Result<()> {
        // Given member 0 voted h, when it votes h again, then DuplicateReport().
        let mut w = world()?;
        let (ref_slot, data) = next_frame(&mut w.p)?;
        vote(&mut w.p, 0, ref_slot, data.hash())?;
        let (oracle, member) = (w.p.addrs.oracle, w.p.members[0]);
        assert_revert(
            &mut w.p,
            member,
            oracle,
            &IAccountingOracle::submitReportCall {
                slot: U256::from(ref_slot),
                report: data.hash(),
                consensusVersion: U256::from(1),
            },
            U256::ZERO,
            &IAccountingOracle::DuplicateReport {},
        )
    }

    #[test]
    fn votes_for_a_stale_or_future_slot_revert_invalid_slot() -> Result<()> {
        // Given the frame after the one of the last reference slot,
        let mut w = world()?;
        let (ref_slot, data) = next_frame(&mut w.p)?;
        let (oracle, member) = (w.p.addrs.oracle, w.p.members[0]);
        let frame = 7_200;
        // when a member votes for the previous frame's or the next frame's reference slot,
        for slot in [ref_slot - frame, ref_slot - 1, ref_slot + frame] {
            // then InvalidSlot(), nothing recorded.
            assert_revert(
                &mut w.p,
                member,
                oracle,
                &IAccountingOracle::submitReportCall {
                    slot: U256::from(slot),
                    report: data.hash(),
                    consensusVersion: U256::from(1),
                },
                U256::ZERO,
                &IAccountingOracle::InvalidSlot {},
            )?;
        }
        Ok(())
    }

    #[test]
    fn malformed_votes_revert_with_their_errors() -> Result<()> {
        // Given a new frame,
        let mut w = world()?;
        let (ref_slot, data) = next_frame(&mut w.p)?;
        let (oracle, member) = (w.p.addrs.oracle, w.p.members[0]);
        let call = |report: B256, version: u64| IAccountingOracle::submitReportCall {
            slot: U256::from(ref_slot),
            report,
            consensusVersion: U256::from(version),
        };
        // then a non-member, an empty hash and another consensus version are refused.
        assert_revert(
            &mut w.p,
            w.alice,
            oracle,
            &call(data.hash(), 1),
            U256::ZERO,
            &IAccountingOracle::NonMember {},
        )?;
        assert_revert(
            &mut w.p,
            member,
            oracle,
            &call(B256::ZERO, 1),
            U256::ZERO,
            &IAccountingOracle::EmptyReport {},
        )?;
        assert_revert(
            &mut w.p,
            member,
            oracle,
            &call(data.hash(), 2),
            U256::ZERO,
            &IAccountingOracle::UnexpectedConsensusVersion {
                expectedVersion: U256::from(1),
                receivedVersion: U256::from(2),
            },
        )
    }
}

mod processing {
    use super::*;

    /// A new frame with consensus on the simulated chain's report.
    fn agreed(w: &mut World) -> Result<(u64, ReportData)> {
        let (ref_slot, data) = next_frame(&mut w.p)?;
        w.p.vote(&data)?;
        Ok((ref_slot, data))
    }

    #[test]
    fn data_not_matching_the_agreed_hash_reverts_unexpected_data_hash() -> Result<()> {
        // Given consensus on h(data), when a member submits other data for the same slot,
        let mut w = world()?;
        let (_, data) = agreed(&mut w)?;
        let wrong = other(&data);
        let (oracle, member) = (w.p.addrs.oracle, w.p.members[0]);
        // then UnexpectedDataHash(agreed, received) and nothing was applied.
        assert_revert(
            &mut w.p,
            member,
            oracle,
            &submit_data(&wrong),
            U256::ZERO,
            &IAccountingOracle::UnexpectedDataHash {
                consensusHash: data.hash(),
                receivedHash: wrong.hash(),
            },
        )?;
        w.p.check_invariants()?;
        Ok(())
    }

    #[test]
    fn data_for_another_slot_or_version_or_by_a_stranger_is_refused() -> Result<()> {
        // Given consensus on the frame's report,
        let mut w = world()?;
        let (ref_slot, data) = agreed(&mut w)?;
        let (oracle, member) = (w.p.addrs.oracle, w.p.members[0]);
        let mut moved = data.clone();
        moved.refSlot = U256::from(ref_slot - 1);
        // then another reference slot, another contract version and a non-member are refused.
        assert_revert(
            &mut w.p,
            member,
            oracle,
            &submit_data(&moved),
            U256::ZERO,
            &IAccountingOracle::UnexpectedRefSlot {
                consensusRefSlot: U256::from(ref_slot),
                dataRefSlot: U256::from(ref_slot - 1),
            },
        )?;
        assert_revert(
            &mut w.p,
            member,
            oracle,
            &IAccountingOracle::submitReportDataCall {
                data: data.clone(),
                contractVersion: U256::from(2),
            },
            U256::ZERO,
            &IAccountingOracle::UnexpectedContractVersion {
                expectedVersion: U256::from(1),
                receivedVersion: U256::from(2),
            },
        )?;
        assert_revert(
            &mut w.p,
            w.alice,
            oracle,
            &submit_data(&data),
            U256::ZERO,
            &IAccountingOracle::SenderNotAllowed {},
        )
    }

    #[test]
    fn the_agreed_report_is_processed_once() -> Result<()> {
        // Given consensus, when a member submits the data,
        let mut w = world()?;
        let (ref_slot, data) = agreed(&mut w)?;
        let (oracle, member) = (w.p.addrs.oracle, w.p.members[0]);
        let out = w.p.submit_report_data(&data);
        assert!(out.success, "{}", scripts::protocol::revert_of(&out));
        // then ProcessingStarted(refSlot, hash) comes first and the slot is processed,
        assert_eq!(
            events(&w.p, &out)?[0],
            oracle_event(IAccountingOracle::IAccountingOracleEvents::ProcessingStarted(
                IAccountingOracle::ProcessingStarted {
                    refSlot: U256::from(ref_slot),
                    hash: data.hash()
                }
            ))
        );
        let last = w.p.view(oracle, &IAccountingOracle::getLastProcessingRefSlotCall {})?._0;
        assert_eq!(last, U256::from(ref_slot));
        assert!(consensus_state(&mut w.p)?.isReportProcessing);
        w.p.check_invariants()?;
        // a second submission reverts RefSlotAlreadyProcessing(), and a late vote
        // ConsensusReportAlreadyProcessing().
        assert_revert(
            &mut w.p,
            member,
            oracle,
            &submit_data(&data),
            U256::ZERO,
            &IAccountingOracle::RefSlotAlreadyProcessing {},
        )?;
        let late = w.p.members[2];
        assert_revert(
            &mut w.p,
            late,
            oracle,
            &IAccountingOracle::submitReportCall {
                slot: U256::from(ref_slot),
                report: data.hash(),
                consensusVersion: U256::from(1),
            },
            U256::ZERO,
            &IAccountingOracle::ConsensusReportAlreadyProcessing {},
        )
    }

    #[test]
    fn an_agreed_report_not_processed_in_its_frame_is_missed() -> Result<()> {
        // Given consensus in one frame that nobody processed,
        let mut w = world()?;
        let (ref_slot, data) = agreed(&mut w)?;
        let (oracle, member) = (w.p.addrs.oracle, w.p.members[0]);
        let (next_ref, next_data) = next_frame(&mut w.p)?;
        // when its data comes in the next frame, then ProcessingDeadlineMissed(deadline),
        let deadline = U256::from(MAINNET_GENESIS + (ref_slot + 7_200) * 12);
        assert_revert(
            &mut w.p,
            member,
            oracle,
            &submit_data(&data),
            U256::ZERO,
            &IAccountingOracle::ProcessingDeadlineMissed { deadline },
        )?;
        // and the new frame's first vote warns that it was missed.
        let out = vote(&mut w.p, 0, next_ref, next_data.hash())?;
        assert_eq!(
            events(&w.p, &out)?[0],
            oracle_event(IAccountingOracle::IAccountingOracleEvents::WarnProcessingMissed(
                IAccountingOracle::WarnProcessingMissed { refSlot: U256::from(ref_slot) }
            ))
        );
        Ok(())
    }

    #[test]
    fn a_neutral_report_with_every_ether_buffered_is_applied() -> Result<()> {
        // Given a protocol with stakes but no validator yet,
        let mut p = deploy()?;
        let alice = p.new_user("alice", ether(100));
        p.submit_via_pool(alice, ether(10))?;
        let before = Rate::read(&mut p)?;
        // when the members report exactly that (no validator, no vault ether),
        p.run_oracle_frame(|_| {})?;
        // then the report is applied and nothing moves.
        assert_eq!(Rate::read(&mut p)?, before);
        p.check_invariants()?;
        Ok(())
    }
}

mod reports {
    use super::*;

    #[test]
    fn a_rewards_report_mints_the_fee_to_treasury_and_operator_exactly() -> Result<()> {
        // Given two validators and 0.005 ETH of rewards on each (0.01 ETH, 5.7 % a year),
        let mut w = world()?;
        let a = w.p.addrs;
        w.p.chain.reward_all(5_000_000);
        let rewards = gwei(10_000_000);
        let pre = Rate::read(&mut w.p)?;
        let (treasury0, operator0) = (w.p.shares_of(TREASURY)?, w.p.shares_of(OPERATOR)?);
        let alice_shares = w.p.shares_of(w.alice)?;
        let buffered = w.p.view(a.pool, &IDepositPool::getBufferedEtherCall {})?._0;
        // when the frame's report is agreed and processed,
        let frame = w.p.run_oracle_frame(|_| {})?;
        let out = &frame.processing;
        // then the fee shares are exactly floor(R f S / ((P + R) 10^4 - R f)), split 50/50 rounded
        // in the treasury's favour,
        let (treasury, operator) = fee_shares(rewards, pre);
        assert_eq!(w.p.shares_of(TREASURY)? - treasury0, treasury);
        assert_eq!(w.p.shares_of(OPERATOR)? - operator0, operator);
        // the total grew by R and the shares by the fee only,
        let post = Rate::read(&mut w.p)?;
        assert_eq!(
            post,
            Rate { pooled: pre.pooled + rewards, shares: pre.shares + treasury + operator }
        );
        // the fee holders own at most 10 % of R, and Alice's shares did not move.
        assert!(post.to_ether(treasury + operator) <= rewards / U256::from(10));
        assert_eq!(w.p.shares_of(w.alice)?, alice_shares);
        // The logs: processing, the pool's accounting, the fee mints, the rebase, the summary.
        let ts = U256::from(MAINNET_GENESIS + frame.ref_slot * 12);
        let fee = treasury + operator;
        assert_eq!(
            events(&w.p, out)?,
            vec![
                oracle_event(IAccountingOracle::IAccountingOracleEvents::ProcessingStarted(
                    IAccountingOracle::ProcessingStarted {
                        refSlot: U256::from(frame.ref_slot),
                        hash: frame.data.hash()
                    }
                )),
                Event::Pool(IDepositPool::IDepositPoolEvents::ETHDistributed(
                    IDepositPool::ETHDistributed {
                        reportTimestamp: ts,
                        preCLBalance: ether(64),
                        postCLBalance: ether(64) + rewards,
                        withdrawalsWithdrawn: U256::ZERO,
                        executionLayerRewardsWithdrawn: U256::ZERO,
                        postBufferedEther: buffered,
                    }
                )),
                steth_transfer(Address::ZERO, TREASURY, post.to_ether(treasury)),
                steth_transfer_shares(Address::ZERO, TREASURY, treasury),
                steth_transfer(Address::ZERO, OPERATOR, post.to_ether(operator)),
                steth_transfer_shares(Address::ZERO, OPERATOR, operator),
                Event::StEth(IStETH::IStETHEvents::TokenRebased(IStETH::TokenRebased {
                    reportTimestamp: ts,
                    timeElapsed: U256::from(FRAME_SECONDS),
                    preTotalShares: pre.shares,
                    preTotalEther: pre.pooled,
                    postTotalShares: post.shares,
                    postTotalEther: post.pooled,
                    sharesMintedAsFees: fee,
                })),
                oracle_event(IAccountingOracle::IAccountingOracleEvents::ReportApplied(
                    IAccountingOracle::ReportApplied {
                        refSlot: U256::from(frame.ref_slot),
                        rewardsDistributed: rewards,
                        rewardsDeferred: U256::ZERO,
                        clLoss: U256::ZERO,
                        sharesMintedAsFees: fee,
                        lastFinalizedRequestId: U256::ZERO,
                        etherLocked: U256::ZERO,
                        sharesBurnt: U256::ZERO,
                    }
                )),
            ]
        );
        w.p.check_invariants()?;
        Ok(())
    }

    #[test]
    fn a_negative_report_lowers_every_balance_and_mints_no_fee() -> Result<()> {
        // Given two validators, when one loses 1 ETH and that is reported,
        let mut w = world()?;
        w.p.chain.penalize(0, 1_000_000_000);
        let pre = Rate::read(&mut w.p)?;
        let alice_shares = w.p.shares_of(w.alice)?;
        let alice_before = w.p.steth_balance(w.alice)?;
        let treasury0 = w.p.shares_of(TREASURY)?;
        let frame = w.p.run_oracle_frame(|_| {})?;
        // then the total fell by 1 ETH, no share was minted, Alice's balance fell with the rate.
        let post = Rate::read(&mut w.p)?;
        assert_eq!(post, Rate { pooled: pre.pooled - ether(1), shares: pre.shares });
        assert_eq!(w.p.shares_of(TREASURY)?, treasury0);
        assert_eq!(w.p.steth_balance(w.alice)?, post.to_ether(alice_shares));
        assert!(w.p.steth_balance(w.alice)? < alice_before);
        let applied = events(&w.p, &frame.processing)?.into_iter().find_map(|e| match e {
            Event::Oracle(IAccountingOracle::IAccountingOracleEvents::ReportApplied(r)) => Some(r),
            _ => None,
        });
        let applied = applied.expect("ReportApplied");
        assert_eq!(
            (applied.clLoss, applied.rewardsDistributed, applied.sharesMintedAsFees),
            (ether(1), U256::ZERO, U256::ZERO)
        );
        w.p.check_invariants()?;
        Ok(())
    }

    /// Votes the simulated chain's report in a new frame; returns the data.
    fn voted(w: &mut World) -> Result<ReportData> {
        let (_, data) = next_frame(&mut w.p)?;
        w.p.vote(&data)?;
        Ok(data)
    }

    #[test]
    fn a_drop_beyond_the_one_off_limit_is_refused() -> Result<()> {
        // Given a 6.4 ETH drop of the 64 ETH CL balance (10 % > 5 %) agreed by the committee,
        let mut w = world()?;
        w.p.chain.penalize(0, 6_400_000_000);
        let data = voted(&mut w)?;
        let (oracle, member) = (w.p.addrs.oracle, w.p.members[0]);
        // when the data is submitted, then IncorrectCLBalanceDecrease(1000 bp) and nothing moved.
        assert_revert(
            &mut w.p,
            member,
            oracle,
            &submit_data(&data),
            U256::ZERO,
            &IAccountingOracle::IncorrectCLBalanceDecrease {
                oneOffCLBalanceDecreaseBP: U256::from(1_000),
            },
        )?;
        Ok(())
    }

    #[test]
    fn growth_beyond_the_annual_limit_is_refused() -> Result<()> {
        // Given 0.1 ETH of CL rewards in a day on 64 ETH (57 % a year > 10 %) agreed by the committee,
        let mut w = world()?;
        w.p.chain.reward_all(50_000_000);
        let data = voted(&mut w)?;
        let (oracle, member) = (w.p.addrs.oracle, w.p.members[0]);
        // then IncorrectCLBalanceIncrease(ceil(0.1 / 64 × 365 × 10^4) = 5704 bp).
        assert_revert(
            &mut w.p,
            member,
            oracle,
            &submit_data(&data),
            U256::ZERO,
            &IAccountingOracle::IncorrectCLBalanceIncrease { annualBalanceDiff: U256::from(5_704) },
        )
    }

    #[test]
    fn more_validators_than_deposited_are_refused() -> Result<()> {
        // Given a report of three validators when two were deposited,
        let mut w = world()?;
        let (_, mut data) = next_frame(&mut w.p)?;
        data.numValidators = U256::from(3);
        w.p.vote(&data)?;
        let (oracle, member) = (w.p.addrs.oracle, w.p.members[0]);
        // then ReportedMoreDeposited(3, 2).
        assert_revert(
            &mut w.p,
            member,
            oracle,
            &submit_data(&data),
            U256::ZERO,
            &IAccountingOracle::ReportedMoreDeposited {
                reported: U256::from(3),
                deposited: U256::from(2),
            },
        )
    }

    #[test]
    fn rewards_above_the_positive_rebase_cap_are_deferred_in_the_vault() -> Result<()> {
        // Given 1 ETH paid into the withdrawal vault (above the 0.075 % cap of a 64 ETH pool),
        let mut w = world()?;
        let pool = w.p.addrs.pool;
        w.p.host.fund(pool, ether(1));
        w.p.chain.vault_pending += ether(1);
        let pre = Rate::read(&mut w.p)?;
        let cap = pre.pooled * U256::from(750_000) / U256::from(1_000_000_000);
        // when reported,
        let frame = w.p.run_oracle_frame(|_| {})?;
        // then only the cap is distributed, the rest stays in the vault for later reports.
        assert_eq!(Rate::read(&mut w.p)?.pooled, pre.pooled + cap);
        let applied = events(&w.p, &frame.processing)?.into_iter().find_map(|e| match e {
            Event::Oracle(IAccountingOracle::IAccountingOracleEvents::ReportApplied(r)) => Some(r),
            _ => None,
        });
        let applied = applied.expect("ReportApplied");
        assert_eq!((applied.rewardsDistributed, applied.rewardsDeferred), (cap, ether(1) - cap));
        let buffered = w.p.view(pool, &IDepositPool::getBufferedEtherCall {})?._0;
        assert_eq!(w.p.host.balance(pool) - buffered, ether(1) - cap);
        w.p.check_invariants()?;
        Ok(())
    }
}

mod governance {
    use super::*;

    #[test]
    fn set_fee_needs_the_role_and_a_valid_fee() -> Result<()> {
        // Given governance with MANAGE_FEE_ROLE and Alice without,
        let mut w = world()?;
        let oracle = w.p.addrs.oracle;
        let role = keccak256("MANAGE_FEE_ROLE");
        w.p.exec(
            GOVERNANCE,
            oracle,
            &IAccountingOracle::grantRoleCall { role, account: GOVERNANCE },
            U256::ZERO,
        )?;
        let fee = |t: u64, o: u64| IAccountingOracle::setFeeCall {
            totalBasisPoints: U256::from(t),
            operatorBasisPoints: U256::from(o),
        };
        // then Alice is refused, a fee above 100 % or an operator part above the total too,
        assert_revert(
            &mut w.p,
            w.alice,
            oracle,
            &fee(500, 0),
            U256::ZERO,
            &IAccountingOracle::AccessControlUnauthorizedAccount {
                account: w.alice,
                neededRole: role,
            },
        )?;
        for (t, o) in [(10_001, 0), (500, 501)] {
            assert_revert(
                &mut w.p,
                GOVERNANCE,
                oracle,
                &fee(t, o),
                U256::ZERO,
                &IAccountingOracle::InvalidFee {
                    totalBasisPoints: U256::from(t),
                    operatorBasisPoints: U256::from(o),
                },
            )?;
        }
        // and a valid fee is set and logged.
        let (_, out) = w.p.exec(GOVERNANCE, oracle, &fee(500, 100), U256::ZERO)?;
        assert_eq!(
            events(&w.p, &out)?,
            vec![oracle_event(IAccountingOracle::IAccountingOracleEvents::FeeSet(
                IAccountingOracle::FeeSet {
                    totalBasisPoints: U256::from(500),
                    operatorBasisPoints: U256::from(100),
                }
            ))]
        );
        Ok(())
    }

    #[test]
    fn limits_reject_values_out_of_range() -> Result<()> {
        // Given governance with ALL_LIMITS_MANAGER_ROLE,
        let mut w = world()?;
        let oracle = w.p.addrs.oracle;
        let role = keccak256("ALL_LIMITS_MANAGER_ROLE");
        w.p.exec(
            GOVERNANCE,
            oracle,
            &IAccountingOracle::grantRoleCall { role, account: GOVERNANCE },
            U256::ZERO,
        )?;
        // when the annual limit is 10,001 bp, then IncorrectLimitValue(10001, 0, 10000).
        assert_revert(
            &mut w.p,
            GOVERNANCE,
            oracle,
            &IAccountingOracle::setOracleReportLimitsCall {
                annualBalanceIncreaseBPLimit: U256::from(10_001),
                oneOffCLBalanceDecreaseBPLimit: U256::from(500),
                maxPositiveTokenRebase: U256::from(750_000),
            },
            U256::ZERO,
            &IAccountingOracle::IncorrectLimitValue {
                value: U256::from(10_001),
                minAllowedValue: U256::ZERO,
                maxAllowedValue: U256::from(10_000),
            },
        )?;
        let limits = w.p.view(oracle, &IAccountingOracle::getOracleReportLimitsCall {})?;
        assert_eq!(
            (
                limits.annualBalanceIncreaseBPLimit,
                limits.oneOffCLBalanceDecreaseBPLimit,
                limits.maxPositiveTokenRebase
            ),
            (U256::from(1_000), U256::from(500), U256::from(750_000))
        );
        Ok(())
    }
}

mod malformed_calls {
    use super::*;

    #[test]
    fn unknown_selector_short_calldata_and_value_to_non_payable_revert() -> Result<()> {
        // Given the oracle, when called with an unknown selector, 3 bytes, or ether with getQuorum(),
        let mut w = world()?;
        let oracle = w.p.addrs.oracle;
        let non_payable = IAccountingOracle::getQuorumCall {}.abi_encode();
        // then each reverts with no data and changes nothing.
        let reverts = expect_malformed_calls_revert(&mut w.p, oracle, &non_payable)?;
        assert!(reverts.iter().all(Vec::is_empty), "{reverts:?}");
        Ok(())
    }

    #[test]
    fn ether_sent_with_a_vote_is_refused() -> Result<()> {
        // Given a new frame, when a member votes with 1 wei attached,
        let mut w = world()?;
        let (ref_slot, data) = next_frame(&mut w.p)?;
        let (oracle, member) = (w.p.addrs.oracle, w.p.members[0]);
        let call = IAccountingOracle::submitReportCall {
            slot: U256::from(ref_slot),
            report: data.hash(),
            consensusVersion: U256::from(1),
        };
        // then it reverts and no vote is recorded.
        expect_revert_raw(&mut w.p, member, oracle, &call.abi_encode(), U256::from(1))?;
        Ok(())
    }
}
