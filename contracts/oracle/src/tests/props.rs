//! Property test of the committee against a model: random sequences of
//! votes, vote changes, member additions and removals, quorum changes and
//! new frames. After every step the program's variants, consensus, members
//! and quorum must equal the model's (consensus is the hash whose votes
//! reach the quorum, if any), and rejected steps must change nothing.

use std::collections::BTreeMap;

use alloy_primitives::{Address, B256, U256};
use motsu::prelude::*;
use proptest::prelude::*;

use super::*;
use crate::errors::{DuplicateMember, DuplicateReport, NonMember};

#[derive(Clone, Debug)]
enum Op {
    Vote(u8, u8),
    Add(u8),
    Remove(u8),
    Quorum(u8),
    NextFrame,
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        6 => (0u8..6, 1u8..4).prop_map(|(m, h)| Op::Vote(m, h)),
        1 => (0u8..6).prop_map(Op::Add),
        1 => (0u8..6).prop_map(Op::Remove),
        1 => (0u8..3).prop_map(Op::Quorum),
        1 => Just(Op::NextFrame),
    ]
}

/// The model: members, quorum, and each member's vote in the current frame.
struct Model {
    members: Vec<Address>,
    quorum: u64,
    votes: BTreeMap<Address, u8>,
}

impl Model {
    /// Votes per hash (only hashes with votes).
    fn support(&self) -> BTreeMap<B256, u64> {
        let mut support = BTreeMap::new();
        for h in self.votes.values() {
            *support.entry(hash(*h)).or_insert(0) += 1;
        }
        support
    }

    /// The hash whose votes reach the quorum, or zero.
    fn consensus(&self) -> B256 {
        self.support().into_iter().find(|(_, s)| *s >= self.quorum).map_or(B256::ZERO, |(h, _)| h)
    }

    /// The smallest quorum for `n` members.
    fn min_quorum(n: usize) -> u64 {
        n as u64 / 2 + 1
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn consensus_matches_a_model(ops in proptest::collection::vec(op(), 1..40)) {
        let (oracle, token, pool, queue) = (
            Contract::<AccountingOracle>::new(),
            Contract::<MockToken>::new(),
            Contract::<MockPool>::new(),
            Contract::<MockQueue>::new(),
        );
        let admin = Address::repeat_byte(0xad);
        let w = deploy(&oracle, &token, &pool, &queue, admin);
        let people: Vec<Address> = (1..=6).map(Address::repeat_byte).collect();
        w.members(&people[..3], 2);
        let mut model = Model { members: people[..3].to_vec(), quorum: 2, votes: BTreeMap::new() };
        let mut frame = 2;
        at(frame, 1);
        for op in ops {
            match op {
                Op::Vote(i, h) => {
                    let m = people[usize::from(i)];
                    let result = oracle.sender(m).submit_report(ref_slot(frame), hash(h), U256::from(1));
                    if !model.members.contains(&m) {
                        prop_assert_eq!(result.motsu_unwrap_err(), NonMember {}.into());
                    } else if model.votes.get(&m) == Some(&h) {
                        prop_assert_eq!(result.motsu_unwrap_err(), DuplicateReport {}.into());
                    } else {
                        result.motsu_unwrap();
                        model.votes.insert(m, h);
                    }
                }
                Op::Add(i) => {
                    let m = people[usize::from(i)];
                    let q = Model::min_quorum(model.members.len() + 1);
                    let result = oracle.sender(admin).add_member(m, U256::from(q));
                    if model.members.contains(&m) {
                        prop_assert_eq!(result.motsu_unwrap_err(), DuplicateMember {}.into());
                    } else {
                        result.motsu_unwrap();
                        model.members.push(m);
                        model.quorum = q;
                    }
                }
                Op::Remove(i) => {
                    let m = people[usize::from(i)];
                    let q = Model::min_quorum(model.members.len().saturating_sub(1));
                    let result = oracle.sender(admin).remove_member(m, U256::from(q));
                    if model.members.contains(&m) {
                        result.motsu_unwrap();
                        model.members.retain(|x| *x != m);
                        model.votes.remove(&m);
                        model.quorum = q;
                    } else {
                        prop_assert_eq!(result.motsu_unwrap_err(), NonMember {}.into());
                    }
                }
                Op::Quorum(extra) => {
                    let q = Model::min_quorum(model.members.len()) + u64::from(extra);
                    oracle.sender(admin).set_quorum(U256::from(q)).motsu_unwrap();
                    model.quorum = q;
                }
                Op::NextFrame => {
                    frame += 1;
                    at(frame, 1);
                    model.votes.clear();
                }
            }
            // Then the program agrees with the model.
            let o = oracle.sender(admin);
            let (variants, support) = o.get_report_variants().unwrap();
            let actual: BTreeMap<B256, u64> =
                variants.into_iter().zip(support.into_iter().map(|s| s.to::<u64>())).collect();
            prop_assert_eq!(&actual, &model.support());
            prop_assert!(actual.len() <= model.members.len());
            prop_assert_eq!(o.get_consensus_state().unwrap().1, model.consensus());
            let mut members = o.get_members().0;
            members.sort();
            let mut expected = model.members.clone();
            expected.sort();
            prop_assert_eq!(members, expected);
            prop_assert_eq!(o.get_quorum(), U256::from(model.quorum));
        }
    }
}
