//! Prints the program's Solidity interface
//! (`cargo run -p withdrawal-queue --features export-abi`): the checked-in
//! `IWithdrawalQueue.sol` the program's ABI is compiled from. (The SDK's own
//! export would list only the constructor and the fallback that serves the
//! ABI.)
#![cfg_attr(not(any(test, feature = "export-abi")), no_main)]

/// `constructor` (what cargo-stylus asks before a deploy, to encode the
/// constructor call) prints the SDK's constructor signature; anything else
/// prints the checked-in interface.
#[cfg(feature = "export-abi")]
fn main() {
    if std::env::args().nth(1).as_deref() == Some("constructor") {
        stylus_sdk::abi::export::print_from_args::<withdrawal_queue::WithdrawalQueue>();
    } else {
        print!("{}", include_str!("../IWithdrawalQueue.sol"));
    }
}

/// Without `export-abi` there is nothing to print.
#[cfg(not(any(test, feature = "export-abi")))]
#[no_mangle]
pub extern "C" fn main() {}
