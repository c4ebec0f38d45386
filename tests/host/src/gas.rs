//! The gas model: an **estimate** of what a transaction would cost on an Arbitrum chain running
//! Stylus (ArbOS with Stylus version 2), built from the published rules of the EVM and of nitro.
//!
//! Nothing here is copied from nitro (BSL-licensed): the constants below are facts about the chain's
//! pricing, restated with their source, and the formulas are re-derived from those facts.
//!
//! Units: the EVM charges **gas**; Stylus programs burn **ink**, and one gas buys
//! [`INK_PER_GAS`] ink (nitro `arbos/programs/params.go`, `initialInkPrice = 10000`).
//!
//! What a call costs, by [`GasBreakdown`] category:
//!
//! | category | rule | source |
//! |---|---|---|
//! | `intrinsic` | 21,000 + 4 per zero and 16 per non-zero calldata byte (top-level transaction only) | Yellow Paper, EIP-2028 |
//! | `program_entry` | memory footprint pages beyond the 2 free pages (1,000 gas/page + exponential ramp) + cached-init gas, + init gas when the program is not cached | nitro `arbos/programs/programs.go` `CallProgram`, `memory.go`, `params.go`; per-program costs from `crates/prover/src/binary.rs` (see [`ProgramCosts`]) |
//! | `memory_growth` | same page model for pages the program grows at run time | nitro `memory.go`, `pay_for_memory_grow` |
//! | `storage_read` | EIP-2929 cold SLOAD 2,100 / warm 100 on a storage-cache miss, + the EVM-API ink of the miss, + the cache's own small read charge | EIP-2929; nitro `arbutil/src/evm/req.rs`, `storage.rs` |
//! | `storage_write` | EIP-2200/2929/3529 SSTORE cost charged per dirty slot when the cache is flushed (20,000 zero→non-zero, 2,900 non-zero→non-zero, 100 no-op/dirty, +2,100 if the slot is cold), + the cache's small write charge | EIP-2200, EIP-2929, EIP-3529 |
//! | `account_access` | EIP-2929 cold account 2,600 / warm 100 for calls and balance/code queries | EIP-2929 |
//! | `value_transfer` | 9,000 for a call with value (minus the 2,300 stipend handed to the callee), + 25,000 if it creates an account | Yellow Paper, EIP-150 |
//! | `logs` | 375 + 375 per topic + 8 per data byte | Yellow Paper |
//! | `keccak` | nitro's native keccak price: 121,800 ink + 21,000 ink per 32-byte word beyond the first two (≈ 12.2 gas + 2.1 gas/word; the EVM opcode would be 30 + 6/word) | nitro `arbutil/src/pricing.rs` |
//! | `precompiles` | ecrecover 3,000; sha256 60 + 12/word; ripemd160 600 + 120/word; identity 15 + 3/word | Yellow Paper |
//! | `hostio` | the base ink of every host call and the ink for copying data in and out of WASM memory | nitro `arbutil/src/pricing.rs` |
//! | `compute` | the ink of the WASM instructions executed, metered per basic block with nitro's v1 opcode price table (+2,450 ink per basic block) | nitro `crates/prover/src/programs/meter.rs` `pricing_v1`, `config.rs` |
//! | `burned` | gas a frame that ran out of gas consumed beyond its itemised charges | EVM out-of-gas rule |
//! | `refund` | EIP-3529 storage refunds, capped at one fifth of the gas used | EIP-3529 |
//!
//! Not modelled: the L1 data ("poster") fee Arbitrum adds per transaction, activation data fees,
//! and the exact native-stack accounting of nitro's depth checker.
//!
//! Calibration: an OpenZeppelin-stylus 0.3 ERC-20 built like this workspace's programs (47 KB
//! processed) is estimated at 6,240 gas per cached entry and 24,711 uncached, ≈ 3.8k gas of
//! compute + hostios + log and ≈ 27k of storage for a transfer to a new holder — the figures
//! measured on a real Stylus node (`shared/docs/STYLUS-NOTES.md`: ≈ 6.2k, ≈ 24.5k, ≈ 3.8k,
//! ≈ 27k).

use core::fmt;

/// Ink per unit of gas (nitro `initialInkPrice`).
pub const INK_PER_GAS: u64 = 10_000;

// --- transaction ---------------------------------------------------------------------------

/// Base cost of every transaction (Yellow Paper `G_transaction`).
pub const TX_BASE_GAS: u64 = 21_000;
/// Calldata cost per zero byte (Yellow Paper `G_txdatazero`).
pub const TX_ZERO_BYTE_GAS: u64 = 4;
/// Calldata cost per non-zero byte (EIP-2028).
pub const TX_NONZERO_BYTE_GAS: u64 = 16;

// --- EIP-2929 / EIP-2200 / EIP-3529 -------------------------------------------------------------

/// EIP-2929 cold SLOAD.
pub const COLD_SLOAD_GAS: u64 = 2_100;
/// EIP-2929 warm storage read.
pub const WARM_READ_GAS: u64 = 100;
/// EIP-2929 cold account access.
pub const COLD_ACCOUNT_GAS: u64 = 2_600;
/// EIP-2200 SSTORE of a non-zero value into a slot that was zero at the start of the transaction.
pub const SSTORE_SET_GAS: u64 = 20_000;
/// EIP-2200/2929 SSTORE that changes a slot's original non-zero value (5,000 − 2,100).
pub const SSTORE_RESET_GAS: u64 = 2_900;
/// EIP-3529 refund for clearing a slot (`SSTORE_RESET_GAS` 2,900 + access-list storage key 1,900).
pub const SSTORE_CLEARS_REFUND: u64 = 4_800;
/// EIP-3529: refunds are capped at `gas_used / MAX_REFUND_QUOTIENT`.
pub const MAX_REFUND_QUOTIENT: u64 = 5;
/// EIP-2200 sentry: an SSTORE needs more than this much gas left.
pub const SSTORE_SENTRY_GAS: u64 = 2_300;

// --- calls -------------------------------------------------------------------------------

/// Surcharge of a call that transfers value (Yellow Paper `G_callvalue`).
pub const CALL_VALUE_GAS: u64 = 9_000;
/// Gas handed to the callee on top of the forwarded gas when value is sent (`G_callstipend`).
pub const CALL_STIPEND: u64 = 2_300;
/// Surcharge of a value-carrying call that brings an empty account into existence (`G_newaccount`).
pub const NEW_ACCOUNT_GAS: u64 = 25_000;
/// Maximum call depth (Yellow Paper).
pub const MAX_CALL_DEPTH: usize = 1024;

// --- logs ------------------------------------------------------------------------------------

/// Base cost of a log and cost per topic (`G_log`, `G_logtopic`).
pub const LOG_GAS: u64 = 375;
/// Cost per byte of log data (`G_logdata`).
pub const LOG_DATA_GAS: u64 = 8;

// --- Stylus hostio ink (nitro arbutil/src/pricing.rs) -------------------------------------------

/// Base ink of a hostio that may return something.
pub const HOSTIO_INK: u64 = 8_400;
/// Extra ink for each pointer argument of a hostio (13,440 − 8,400).
pub const PTR_INK: u64 = 13_440 - HOSTIO_INK;
/// Extra ink for a hostio that crosses into the EVM ("EVM API" request).
pub const EVM_API_INK: u64 = 59_673;
/// Extra ink for the math hostios that divide.
pub const DIV_INK: u64 = 20_000;
/// Extra ink for `math_mul_mod`.
pub const MUL_MOD_INK: u64 = 24_100;
/// Extra ink for `math_add_mod`.
pub const ADD_MOD_INK: u64 = 21_000;

/// Ink to copy `bytes` from the host into WASM memory: 5,040 + 30 per byte beyond 32.
pub fn write_price(bytes: u64) -> u64 {
    5_040u64.saturating_add(30u64.saturating_mul(bytes.saturating_sub(32)))
}

/// Ink to copy `bytes` out of WASM memory into the host: 16,381 + 55 per byte beyond 32.
pub fn read_price(bytes: u64) -> u64 {
    16_381u64.saturating_add(55u64.saturating_mul(bytes.saturating_sub(32)))
}

/// Ink of `native_keccak256` over `bytes`: 121,800 + 21,000 per 32-byte word beyond the first two.
pub fn keccak_price(bytes: u64) -> u64 {
    let words = bytes.div_ceil(32).saturating_sub(2);
    121_800u64.saturating_add(21_000u64.saturating_mul(words))
}

/// Ink of `math_pow`: 3,000 + 17,500 per significant exponent byte (+1).
pub fn pow_price(exponent_be: &[u8; 32]) -> u64 {
    let leading_zeros = exponent_be.iter().take_while(|b| **b == 0).count() as u64;
    3_000 + (33 - leading_zeros) * 17_500
}

/// Gas of the intrinsic part of a top-level transaction with `calldata`.
pub fn intrinsic_gas(calldata: &[u8]) -> u64 {
    calldata.iter().fold(TX_BASE_GAS, |acc, b| {
        acc + if *b == 0 { TX_ZERO_BYTE_GAS } else { TX_NONZERO_BYTE_GAS }
    })
}

/// Number of 32-byte words covering `len` bytes (rounded up).
pub fn words(len: usize) -> u64 {
    (len as u64).div_ceil(32)
}

// --- Stylus memory model (nitro arbos/programs/memory.go, params.go) ----------------------------

/// Pages every transaction gets for free (`InitialFreePages`).
pub const FREE_PAGES: u16 = 2;
/// Linear gas per page beyond the free ones (`InitialPageGas`).
pub const PAGE_GAS: u64 = 1_000;
/// Largest memory a program may have, in 64 KiB pages (`initialPageLimit`).
pub const PAGE_LIMIT: u16 = 128;
/// The exponential term's value at [`PAGE_LIMIT`] pages: nitro tunes its table so that 8 MiB
/// (128 pages) costs about 32 million gas including the linear term.
const PAGE_RAMP_AT_LIMIT: f64 = 31_873_999.0;

/// The exponential part of the memory price for `pages` pages ever open in the transaction:
/// `floor(R^(pages/128))` with `R` = [`PAGE_RAMP_AT_LIMIT`] (this reproduces nitro's
/// precomputed table to within rounding); saturates beyond the page limit.
fn page_exponential(pages: u16) -> u64 {
    if pages > PAGE_LIMIT {
        return u64::MAX;
    }
    if pages == 0 {
        return 1;
    }
    let value = PAGE_RAMP_AT_LIMIT.powf(f64::from(pages) / f64::from(PAGE_LIMIT));
    (value.floor() as u64).max(1)
}

/// Gas to open `new` pages when `open` pages are open in the transaction's active frames and
/// `ever` pages were ever open at once: free until `ever` passes [`FREE_PAGES`], then
/// [`PAGE_GAS`] per page beyond the free ones plus the growth of the exponential ramp.
pub fn memory_gas(new: u16, open: u16, ever: u16) -> u64 {
    let new_open = open.saturating_add(new);
    let new_ever = ever.max(new_open);
    if new_ever <= FREE_PAGES {
        return 0;
    }
    let beyond_free = |pages: u16| pages.saturating_sub(FREE_PAGES);
    let adding = beyond_free(new_open).saturating_sub(beyond_free(open));
    let linear = u64::from(adding) * PAGE_GAS;
    let ramp = page_exponential(new_ever).saturating_sub(page_exponential(ever));
    linear.saturating_add(ramp)
}

// --- program entry (nitro arbos/programs/programs.go, params.go; crates/prover/src/binary.rs) ---

/// `MinInitGas` of Stylus version 2, in units of 128 gas (69 × 128 = 8,832 gas).
pub const MIN_INIT_GAS_UNITS: u64 = 69;
/// Size of a `MinInitGas` unit.
pub const MIN_INIT_GAS_UNIT: u64 = 128;
/// `MinCachedInitGas`, in units of 32 gas (11 × 32 = 352 gas).
pub const MIN_CACHED_GAS_UNITS: u64 = 11;
/// Size of a `MinCachedInitGas` unit.
pub const MIN_CACHED_GAS_UNIT: u64 = 32;
/// `InitCostScalar` and `CachedCostScalar` (50 units of 2 % = 100 %).
pub const COST_SCALAR_PERCENT: u64 = 100;
/// Globals nitro's instrumentation adds to every program before it prices it (ink left,
/// ink status, stack depth left).
pub const INSTRUMENTATION_GLOBALS: u64 = 3;

/// What activation records about a program, from which every entry into it is priced.
///
/// nitro estimates these at activation from the module's shape (linear fits of measured
/// costs, `crates/prover/src/binary.rs`):
/// - `cached_init_cost` = 0.1342·funcs + 0.00089·type_len + 0.00122·wasm_len
///   + 1.628·globals + 0.75244·data_len + 5·footprint
/// - `init_cost` = 8.252·funcs + 1.059·type_len + 0.1286·wasm_len (Stylus version 2)
///
/// where `funcs` counts the module's own functions, `type_len` the parameters and results of
/// their types, `wasm_len` the decompressed module's bytes, `globals` its globals (plus the
/// [`INSTRUMENTATION_GLOBALS`]), `data_len` its data and element segment sizes, and
/// `footprint` its initial memory pages. Each term is rounded down, as nitro does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ProgramCosts {
    /// Initial memory pages (the program's footprint).
    pub footprint: u16,
    /// Cost of an entry when the program is cached, before scaling.
    pub cached_init_cost: u64,
    /// Extra cost of an entry when the program is not cached, before scaling.
    pub init_cost: u64,
}

/// Shape of a module as [`ProgramCosts::estimate`] needs it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ModuleShape {
    /// Number of functions defined (not imported) by the module.
    pub funcs: u64,
    /// Sum of parameter and result counts over the defined functions' types.
    pub type_len: u64,
    /// Length of the (decompressed) module in bytes.
    pub wasm_len: u64,
    /// Number of globals the module defines.
    pub globals: u64,
    /// Bytes of data segments plus entries of element segments.
    pub data_len: u64,
    /// Initial memory pages.
    pub footprint: u16,
}

impl ProgramCosts {
    /// Estimates the entry costs of a module of the given shape (see the type's docs).
    pub fn estimate(shape: &ModuleShape) -> Self {
        let globals = shape.globals + INSTRUMENTATION_GLOBALS;
        let cached_init_cost = shape.funcs * 13_420 / 100_000
            + shape.type_len * 89 / 100_000
            + shape.wasm_len * 122 / 100_000
            + globals * 1_628 / 1_000
            + shape.data_len * 75_244 / 100_000
            + u64::from(shape.footprint) * 5;
        let init_cost = shape.funcs * 8_252 / 1_000
            + shape.type_len * 1_059 / 1_000
            + shape.wasm_len * 1_286 / 10_000;
        Self { footprint: shape.footprint, cached_init_cost, init_cost }
    }

    /// Gas of an entry into a cached program: `MinCachedInitGas` + the scaled cached cost.
    pub fn cached_gas(&self) -> u64 {
        MIN_CACHED_GAS_UNITS * MIN_CACHED_GAS_UNIT
            + (self.cached_init_cost * COST_SCALAR_PERCENT).div_ceil(100)
    }

    /// Gas an entry into a program that is not cached pays on top of [`Self::cached_gas`]:
    /// `MinInitGas` + the scaled init cost.
    pub fn init_gas(&self) -> u64 {
        MIN_INIT_GAS_UNITS * MIN_INIT_GAS_UNIT
            + (self.init_cost * COST_SCALAR_PERCENT).div_ceil(100)
    }

    /// Gas of an entry (excluding memory): cached gas, plus init gas unless cached
    /// (Stylus version 2 charges both when the program is not cached).
    pub fn entry_gas(&self, cached: bool) -> u64 {
        if cached {
            self.cached_gas()
        } else {
            self.cached_gas() + self.init_gas()
        }
    }
}

// --- the breakdown ---------------------------------------------------------------------------

/// Where the gas of a call went (an ESTIMATE, see the module docs for every rule and source).
///
/// The categories from `intrinsic` to `burned` add up to [`GasBreakdown::gross`]; the gas a
/// transaction is charged is `gross - refund` ([`GasBreakdown::net`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct GasBreakdown {
    /// 21,000 + calldata bytes (top-level transaction only).
    pub intrinsic: u64,
    /// Program entries: footprint pages and (cached) init gas.
    pub program_entry: u64,
    /// Memory pages grown at run time.
    pub memory_growth: u64,
    /// Storage reads that missed the Stylus storage cache.
    pub storage_read: u64,
    /// Storage writes, charged when the storage cache is flushed.
    pub storage_write: u64,
    /// Cold/warm account accesses of calls and account queries.
    pub account_access: u64,
    /// Value-transfer and account-creation surcharges of calls.
    pub value_transfer: u64,
    /// Logs.
    pub logs: u64,
    /// `native_keccak256`.
    pub keccak: u64,
    /// Precompile executions.
    pub precompiles: u64,
    /// Base and data-copy ink of host calls.
    pub hostio: u64,
    /// WASM instructions (nitro's opcode price table).
    pub compute: u64,
    /// Gas consumed by frames that ran out of gas, beyond their itemised charges.
    pub burned: u64,
    /// EIP-3529 refund granted (already capped).
    pub refund: u64,
    /// Entries into programs that were priced as cached.
    pub entries_cached: u32,
    /// Entries into programs that were priced as not cached.
    pub entries_uncached: u32,
    /// Storage slots read cold (first access in the transaction).
    pub sloads_cold: u32,
    /// Storage-cache misses on slots already warm.
    pub sloads_warm: u32,
    /// Slots written by flushes (dirty slots).
    pub sstores: u32,
    /// Calls made by programs (call, static call, delegate call).
    pub calls: u32,
}

impl GasBreakdown {
    /// Sum of every category before the refund.
    pub fn gross(&self) -> u64 {
        self.intrinsic
            + self.program_entry
            + self.memory_growth
            + self.storage_read
            + self.storage_write
            + self.account_access
            + self.value_transfer
            + self.logs
            + self.keccak
            + self.precompiles
            + self.hostio
            + self.compute
            + self.burned
    }

    /// Gas charged: [`Self::gross`] minus the refund.
    pub fn net(&self) -> u64 {
        self.gross().saturating_sub(self.refund)
    }

    /// Adds every category and counter of `other` into `self`.
    pub fn add(&mut self, other: &GasBreakdown) {
        self.intrinsic += other.intrinsic;
        self.program_entry += other.program_entry;
        self.memory_growth += other.memory_growth;
        self.storage_read += other.storage_read;
        self.storage_write += other.storage_write;
        self.account_access += other.account_access;
        self.value_transfer += other.value_transfer;
        self.logs += other.logs;
        self.keccak += other.keccak;
        self.precompiles += other.precompiles;
        self.hostio += other.hostio;
        self.compute += other.compute;
        self.burned += other.burned;
        self.refund += other.refund;
        self.entries_cached += other.entries_cached;
        self.entries_uncached += other.entries_uncached;
        self.sloads_cold += other.sloads_cold;
        self.sloads_warm += other.sloads_warm;
        self.sstores += other.sstores;
        self.calls += other.calls;
    }

    /// The categories as `(name, gas)` pairs, in display order (without the refund).
    pub fn categories(&self) -> [(&'static str, u64); 13] {
        [
            ("intrinsic", self.intrinsic),
            ("program_entry", self.program_entry),
            ("memory_growth", self.memory_growth),
            ("storage_read", self.storage_read),
            ("storage_write", self.storage_write),
            ("account_access", self.account_access),
            ("value_transfer", self.value_transfer),
            ("logs", self.logs),
            ("keccak", self.keccak),
            ("precompiles", self.precompiles),
            ("hostio", self.hostio),
            ("compute", self.compute),
            ("burned", self.burned),
        ]
    }
}

impl fmt::Display for GasBreakdown {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "gas (estimate) {} =", self.net())?;
        for (name, gas) in self.categories() {
            if gas != 0 {
                write!(f, " {name} {gas} +")?;
            }
        }
        write!(f, " - refund {}", self.refund)
    }
}

/// Per-category charges of one frame, kept in ink so that fractional hostio charges add up
/// exactly; converted to a [`GasBreakdown`] when the frame ends.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct InkLedger {
    pub program_entry: u64,
    pub memory_growth: u64,
    pub storage_read: u64,
    pub storage_write: u64,
    pub account_access: u64,
    pub value_transfer: u64,
    pub logs: u64,
    pub keccak: u64,
    pub hostio: u64,
}

/// Which ledger line a charge goes to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Category {
    Entry,
    Memory,
    StorageRead,
    StorageWrite,
    Account,
    Value,
    Logs,
    Keccak,
    Hostio,
}

impl InkLedger {
    pub(crate) fn add(&mut self, category: Category, ink: u64) {
        let line = match category {
            Category::Entry => &mut self.program_entry,
            Category::Memory => &mut self.memory_growth,
            Category::StorageRead => &mut self.storage_read,
            Category::StorageWrite => &mut self.storage_write,
            Category::Account => &mut self.account_access,
            Category::Value => &mut self.value_transfer,
            Category::Logs => &mut self.logs,
            Category::Keccak => &mut self.keccak,
            Category::Hostio => &mut self.hostio,
        };
        *line = line.saturating_add(ink);
    }

    fn total(&self) -> u64 {
        self.program_entry
            + self.memory_growth
            + self.storage_read
            + self.storage_write
            + self.account_access
            + self.value_transfer
            + self.logs
            + self.keccak
            + self.hostio
    }

    /// Converts to gas. `used_ink` is everything the frame consumed itself (excluding its
    /// callees, whose breakdowns are merged separately); the part not itemised is WASM compute.
    /// Each line is rounded down; the rounding lands in `compute` so the lines add up to
    /// `used_gas`. `burned` is set when the frame ran out of gas.
    pub(crate) fn to_breakdown(
        self,
        used_ink: u64,
        used_gas: u64,
        out_of_gas: bool,
    ) -> GasBreakdown {
        let g = |ink: u64| ink / INK_PER_GAS;
        let mut b = GasBreakdown {
            program_entry: g(self.program_entry),
            memory_growth: g(self.memory_growth),
            storage_read: g(self.storage_read),
            storage_write: g(self.storage_write),
            account_access: g(self.account_access),
            value_transfer: g(self.value_transfer),
            logs: g(self.logs),
            keccak: g(self.keccak),
            hostio: g(self.hostio),
            ..GasBreakdown::default()
        };
        let itemised = b.gross();
        if out_of_gas {
            let compute_ink = used_ink.saturating_sub(self.total());
            b.compute = g(compute_ink);
            b.burned = used_gas.saturating_sub(itemised + b.compute);
        } else {
            b.compute = used_gas.saturating_sub(itemised);
        }
        b
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn intrinsic_gas_counts_zero_and_nonzero_bytes() {
        // Given calldata with two zero and two non-zero bytes, when priced, then 21000 + 8 + 32.
        assert_eq!(intrinsic_gas(&[0, 1, 0, 2]), 21_000 + 2 * 4 + 2 * 16);
    }

    #[test]
    fn memory_is_free_within_two_pages() {
        // Given one page open, when a one-page program enters, then nothing is charged.
        assert_eq!(memory_gas(1, 1, 1), 0);
    }

    #[test]
    fn third_page_costs_the_linear_price() {
        // Given two pages open, when a third opens, then 1,000 gas (the ramp is flat there).
        assert_eq!(memory_gas(1, 2, 2), 1_000);
    }

    #[test]
    fn page_ramp_matches_nitro_table_points() {
        // Given points of nitro's published table, when computed, then they match.
        assert_eq!(page_exponential(0), 1);
        assert_eq!(page_exponential(6), 2);
        assert_eq!(page_exponential(12), 5);
        assert_eq!(page_exponential(64), 5_645);
        assert_eq!(page_exponential(128), 31_873_999);
    }

    #[test]
    fn entry_gas_adds_init_when_not_cached() {
        // Given a program's costs, when entered uncached, then cached + init gas are charged.
        let costs = ProgramCosts { footprint: 1, cached_init_cost: 100, init_cost: 1_000 };
        assert_eq!(costs.entry_gas(true), 352 + 100);
        assert_eq!(costs.entry_gas(false), 352 + 100 + 8_832 + 1_000);
    }

    #[test]
    fn keccak_price_charges_words_beyond_two() {
        // Given 64 and 96 bytes, when priced, then the third word adds 21,000 ink.
        assert_eq!(keccak_price(64), 121_800);
        assert_eq!(keccak_price(96), 142_800);
    }
}
