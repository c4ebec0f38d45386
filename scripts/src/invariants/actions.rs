//! The steps of a random sequence and their proptest strategies.
//!
//! Accounts are indices into the engine's account table
//! ([`super::engine::ACCOUNT_NAMES`]): `0..4` are users with keys, `4` the
//! treasury, `5` the operator recipient, `6` `0x…dEaD`, `7` the zero
//! address, `8` the share token, `9` the withdrawal queue, `10` the rebase
//! token, `11` the deposit pool, `12` governance. Senders are drawn from the
//! first six; recipients, spenders and owners from the whole table, so the
//! zero address, the programs themselves and the dead address are tried as
//! arguments too.

use alloy_primitives::U256;
use proptest::prelude::*;

/// How many accounts may send transactions (users, treasury, operator).
pub const SENDERS: u8 = 6;
/// Size of the account table.
pub const ACCOUNTS: u8 = 13;
/// Users with keys (permit owners).
pub const USERS: u8 = 4;

/// An amount, resolved against a base (usually the sender's balance).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Amt {
    /// `base * n / 1000`.
    Frac(u16),
    /// The whole base.
    All,
    /// The base plus 1..=3 wei (just too much).
    AllPlus(u8),
    /// A small number of wei.
    Wei(u64),
    /// Milli-ether.
    Milli(u32),
    /// Past the bounds: `2^128 - 1`, `2^128`, `2^255`, `2^256 - 1`.
    Huge(u8),
    /// Zero.
    Zero,
}

impl Amt {
    /// The amount for `base`.
    #[must_use]
    pub fn resolve(self, base: U256) -> U256 {
        match self {
            Amt::Frac(n) => base * U256::from(n) / U256::from(1_000u64),
            Amt::All => base,
            Amt::AllPlus(k) => base.saturating_add(U256::from(k)),
            Amt::Wei(x) => U256::from(x),
            Amt::Milli(x) => U256::from(x) * U256::from(1_000_000_000_000_000u64),
            Amt::Huge(i) => {
                let one = U256::from(1);
                match i % 4 {
                    0 => (one << 128) - one,
                    1 => one << 128,
                    2 => one << 255,
                    _ => U256::MAX,
                }
            }
            Amt::Zero => U256::ZERO,
        }
    }
}

/// How ether is staked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StakePath {
    /// `DepositPool.submit(0)`.
    Pool,
    /// `RebaseToken.submit(0)` (through the pool's `receiveStake`).
    Token,
    /// Plain ether to the share token (`receive()`: stake and wrap).
    Wrapper,
    /// Plain ether to the deposit pool.
    PoolPlain,
    /// Plain ether to the rebase token.
    TokenPlain,
}

/// Which token an allowance or permit is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tok {
    /// The rebase token.
    StEth,
    /// The share token.
    WstEth,
}

/// What is wrong with a permit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PermitFault {
    /// Nothing: it must be accepted.
    Valid,
    /// Deadline in the past: `PermitExpired`.
    Expired,
    /// The last accepted permit again: `InvalidSignature`.
    Replay,
    /// Signed by another key: `InvalidSignature`.
    WrongSigner,
    /// The high-s twin of a valid signature: `InvalidSignature`.
    HighS,
    /// Signed for chain id 1: `InvalidSignature`.
    WrongChain,
    /// `v = 29`: `InvalidSignature`.
    BadV,
}

/// A change of the simulated consensus layer (no transaction).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Beacon {
    /// Every active validator earns this many gwei.
    Reward(u32),
    /// Validator `index` loses this many gwei.
    Penalize(u8, u32),
    /// Validator `index` exits: its balance is credited to the vault.
    Exit(u8),
}

/// How a report departs from the simulated chain.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReportKind {
    /// The chain as it is.
    Honest,
    /// The CL balance scaled by `1 + bp / 10^4` (negative: a drop).
    ClDelta(i16),
    /// More validators than deposited / fewer than already seen.
    Validators(i8),
    /// One wei more in the vault than there is.
    VaultExcess,
}

/// Which requests a report finalizes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Finalize {
    /// None.
    None,
    /// Every request if the buffer and the vault cover them at face value.
    Affordable,
    /// The last request, whatever it needs.
    Last,
    /// A request in the middle of the unfinalized ones.
    Middle,
}

/// A single oracle call that departs from the protocol.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OracleNoise {
    /// A non-member votes: `NonMember`.
    NonMemberVote,
    /// A member votes for another slot: `InvalidSlot`.
    WrongSlot,
    /// A member votes the same hash twice: `DuplicateReport` the second time.
    Duplicate,
    /// Data without consensus: `NoConsensusReportToProcess`.
    DataWithoutConsensus,
    /// Data that does not hash to the agreed hash: `UnexpectedDataHash`.
    WrongHash,
    /// Only one member votes (no quorum).
    PartialVote,
    /// A member changes its vote.
    ChangeVote,
    /// Someone without a role submits data: `SenderNotAllowed`.
    DataFromStranger,
}

/// A pause-related governance operation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PauseOp {
    /// `RebaseToken.stop()`.
    TokenStop,
    /// `RebaseToken.resume()`.
    TokenResume,
    /// `DepositPool.stop()`.
    PoolStop,
    /// `DepositPool.resume()`.
    PoolResume,
    /// `DepositPool.pauseStaking()`.
    PauseStaking,
    /// `DepositPool.resumeStaking()`.
    ResumeStaking,
    /// `WithdrawalQueue.pauseFor(seconds)`.
    QueuePause(u32),
    /// `WithdrawalQueue.resume()`.
    QueueResume,
    /// `DepositPool.setStakingLimit(max ether, per-second ether/1000)`.
    StakingLimit(u32, u32),
    /// `DepositPool.removeStakingLimit()`.
    RemoveStakingLimit,
}

/// One step of a sequence. Fields are account-table indices (module
/// documentation) and amounts resolved against the base each variant names.
#[derive(Clone, Debug, PartialEq, Eq)]
#[allow(missing_docs)]
pub enum Action {
    /// Stake `amount` (base: 200 ETH).
    Submit { path: StakePath, user: u8, amount: Amt },
    /// `transfer` by amount (base: the sender's balance).
    Transfer { from: u8, to: u8, amount: Amt },
    /// `transferShares` (base: the sender's shares).
    TransferShares { from: u8, to: u8, shares: Amt },
    /// `transferFrom` (base: the owner's balance), the owner approving the
    /// spender for the amount first if asked.
    TransferFrom { spender: u8, from: u8, to: u8, amount: Amt, approve: bool },
    /// `transferSharesFrom` (base: the owner's shares), the owner approving
    /// the shares' value rounded down first if asked (one wei short when the
    /// value is not whole: the allowance spent rounds up).
    TransferSharesFrom { spender: u8, from: u8, to: u8, shares: Amt, approve: bool },
    /// `approve` (base: 100 ETH).
    Approve { token: Tok, owner: u8, spender: u8, amount: Amt },
    /// `increaseAllowance` / `decreaseAllowance` (base: the allowance).
    ChangeAllowance { token: Tok, owner: u8, spender: u8, increase: bool, amount: Amt },
    /// `permit` signed by user `owner` (base: 100 ETH).
    Permit { token: Tok, owner: u8, spender: u8, value: Amt, fault: PermitFault },
    /// `wrap` (base: the stETH balance), approving the exact amount first if asked.
    Wrap { user: u8, amount: Amt, approve: bool },
    /// `unwrap` (base: the wstETH balance).
    Unwrap { user: u8, amount: Amt },
    /// wstETH `transfer` (base: the balance).
    WstTransfer { from: u8, to: u8, amount: Amt },
    /// wstETH `transferFrom` (base: the owner's balance), approving first if asked.
    WstTransferFrom { spender: u8, from: u8, to: u8, amount: Amt, approve: bool },
    /// `depositBufferedEther(max)` by the depositor.
    Deposit { max: u8 },
    /// The consensus layer moves.
    Beacon(Beacon),
    /// A whole oracle frame: the clock moves to the next frame, every member
    /// votes, the first submits the data.
    Report { kind: ReportKind, finalize: Finalize },
    /// One irregular oracle call.
    Oracle(OracleNoise),
    /// Withdrawal requests (base: the balance / 3 per amount), approving the
    /// total first if asked; `owner` of the requests (`None`: the sender).
    Request { user: u8, amounts: Vec<Amt>, wrapped: bool, approve: bool, owner: Option<u8> },
    /// `claimWithdrawal(id)` (or `claimWithdrawalsTo` when `to` is set) by
    /// `caller` (`None`: the request's owner); `request` picks among the ids
    /// made so far, mostly among the claimable ones.
    Claim { caller: Option<u8>, request: u8, to: Option<u8> },
    /// The request NFT moves (`transferFrom(owner, to, id)` by `caller`,
    /// `None`: the owner).
    NftTransfer { caller: Option<u8>, request: u8, to: u8 },
    /// A pause or staking-limit operation, by governance or by a user.
    Pause { op: PauseOp, authorized: bool },
    /// The clock moves.
    Time(u32),
    /// Ether forced into an account without running its code (as
    /// `selfdestruct` or a block reward would): `target` indexes
    /// `[token, share token, queue, pool]`.
    Donate { target: u8, amount: Amt },
}

fn sender() -> impl Strategy<Value = u8> {
    prop_oneof![8 => 0..USERS, 1 => USERS..SENDERS]
}

fn any_account() -> impl Strategy<Value = u8> {
    prop_oneof![8 => 0..USERS, 2 => USERS..ACCOUNTS]
}

fn amount() -> impl Strategy<Value = Amt> {
    prop_oneof![
        6 => (0u16..=1_000).prop_map(Amt::Frac),
        2 => Just(Amt::All),
        1 => (1u8..=3).prop_map(Amt::AllPlus),
        2 => (0u64..2_000).prop_map(Amt::Wei),
        2 => (1u32..50_000).prop_map(Amt::Milli),
        1 => (0u8..4).prop_map(Amt::Huge),
        1 => Just(Amt::Zero),
    ]
}

fn tok() -> impl Strategy<Value = Tok> {
    prop_oneof![Just(Tok::StEth), Just(Tok::WstEth)]
}

fn permit_fault() -> impl Strategy<Value = PermitFault> {
    prop_oneof![
        4 => Just(PermitFault::Valid),
        1 => Just(PermitFault::Expired),
        1 => Just(PermitFault::Replay),
        1 => Just(PermitFault::WrongSigner),
        1 => Just(PermitFault::HighS),
        1 => Just(PermitFault::WrongChain),
        1 => Just(PermitFault::BadV),
    ]
}

fn stake_path() -> impl Strategy<Value = StakePath> {
    prop_oneof![
        3 => Just(StakePath::Pool),
        3 => Just(StakePath::Token),
        3 => Just(StakePath::Wrapper),
        1 => Just(StakePath::PoolPlain),
        1 => Just(StakePath::TokenPlain),
    ]
}

fn report_kind() -> impl Strategy<Value = ReportKind> {
    prop_oneof![
        8 => Just(ReportKind::Honest),
        3 => (-800i16..800).prop_map(ReportKind::ClDelta),
        1 => prop_oneof![Just(1i8), Just(-1i8), Just(5i8)].prop_map(ReportKind::Validators),
        1 => Just(ReportKind::VaultExcess),
    ]
}

fn finalize() -> impl Strategy<Value = Finalize> {
    prop_oneof![
        2 => Just(Finalize::None),
        5 => Just(Finalize::Affordable),
        1 => Just(Finalize::Last),
        2 => Just(Finalize::Middle),
    ]
}

fn oracle_noise() -> impl Strategy<Value = OracleNoise> {
    prop_oneof![
        Just(OracleNoise::NonMemberVote),
        Just(OracleNoise::WrongSlot),
        Just(OracleNoise::Duplicate),
        Just(OracleNoise::DataWithoutConsensus),
        Just(OracleNoise::WrongHash),
        Just(OracleNoise::PartialVote),
        Just(OracleNoise::ChangeVote),
        Just(OracleNoise::DataFromStranger),
    ]
}

fn pause_op() -> impl Strategy<Value = PauseOp> {
    prop_oneof![
        Just(PauseOp::TokenStop),
        Just(PauseOp::TokenResume),
        Just(PauseOp::PoolStop),
        Just(PauseOp::PoolResume),
        Just(PauseOp::PauseStaking),
        Just(PauseOp::ResumeStaking),
        (0u32..200_000).prop_map(PauseOp::QueuePause),
        Just(PauseOp::QueueResume),
        (0u32..300_000, 0u32..5_000_000).prop_map(|(m, i)| PauseOp::StakingLimit(m, i)),
        Just(PauseOp::RemoveStakingLimit),
    ]
}

fn beacon() -> impl Strategy<Value = Beacon> {
    prop_oneof![
        4 => (0u32..20_000_000).prop_map(Beacon::Reward),
        2 => (any::<u8>(), 0u32..4_000_000_000).prop_map(|(i, g)| Beacon::Penalize(i, g)),
        1 => any::<u8>().prop_map(Beacon::Exit),
    ]
}

/// One random step (weights favour the common user operations).
pub fn action() -> impl Strategy<Value = Action> {
    prop_oneof![
        10 => (stake_path(), 0..USERS, amount()).prop_map(|(path, user, amount)| Action::Submit { path, user, amount }),
        6 => (sender(), any_account(), amount()).prop_map(|(from, to, amount)| Action::Transfer { from, to, amount }),
        4 => (sender(), any_account(), amount()).prop_map(|(from, to, shares)| Action::TransferShares { from, to, shares }),
        3 => (sender(), sender(), any_account(), amount(), any::<bool>()).prop_map(|(spender, from, to, amount, approve)| Action::TransferFrom { spender, from, to, amount, approve }),
        3 => (sender(), sender(), any_account(), amount(), any::<bool>()).prop_map(|(spender, from, to, shares, approve)| Action::TransferSharesFrom { spender, from, to, shares, approve }),
        4 => (tok(), sender(), any_account(), amount()).prop_map(|(token, owner, spender, amount)| Action::Approve { token, owner, spender, amount }),
        1 => (tok(), sender(), any_account(), any::<bool>(), amount()).prop_map(|(token, owner, spender, increase, amount)| Action::ChangeAllowance { token, owner, spender, increase, amount }),
        3 => (tok(), 0..USERS, any_account(), amount(), permit_fault()).prop_map(|(token, owner, spender, value, fault)| Action::Permit { token, owner, spender, value, fault }),
        6 => (sender(), amount(), prop::bool::weighted(0.8)).prop_map(|(user, amount, approve)| Action::Wrap { user, amount, approve }),
        5 => (sender(), amount()).prop_map(|(user, amount)| Action::Unwrap { user, amount }),
        2 => (sender(), any_account(), amount()).prop_map(|(from, to, amount)| Action::WstTransfer { from, to, amount }),
        1 => (sender(), sender(), any_account(), amount(), any::<bool>()).prop_map(|(spender, from, to, amount, approve)| Action::WstTransferFrom { spender, from, to, amount, approve }),
        3 => (0u8..4).prop_map(|max| Action::Deposit { max }),
        4 => beacon().prop_map(Action::Beacon),
        7 => (report_kind(), finalize()).prop_map(|(kind, finalize)| Action::Report { kind, finalize }),
        2 => oracle_noise().prop_map(Action::Oracle),
        6 => (sender(), prop::collection::vec(amount(), 1..=3), any::<bool>(), prop::bool::weighted(0.85), prop::option::weighted(0.2, any_account()))
            .prop_map(|(user, amounts, wrapped, approve, owner)| Action::Request { user, amounts, wrapped, approve, owner }),
        6 => (prop::option::weighted(0.25, sender()), any::<u8>(), prop::option::weighted(0.3, any_account())).prop_map(|(caller, request, to)| Action::Claim { caller, request, to }),
        1 => (prop::option::weighted(0.25, sender()), any::<u8>(), any_account()).prop_map(|(caller, request, to)| Action::NftTransfer { caller, request, to }),
        2 => (pause_op(), prop::bool::weighted(0.85)).prop_map(|(op, authorized)| Action::Pause { op, authorized }),
        3 => prop_oneof![0u32..120, 0u32..100_000, 0u32..3_000_000].prop_map(Action::Time),
        1 => (0u8..4, amount()).prop_map(|(target, amount)| Action::Donate { target, amount }),
    ]
}

/// A sequence of `1..=steps` actions.
pub fn sequence(steps: usize) -> impl Strategy<Value = Vec<Action>> {
    prop::collection::vec(action(), 1..=steps.max(1))
}
