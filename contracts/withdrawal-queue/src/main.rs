//! Prints the program's Solidity interface
//! (`cargo run -p withdrawal-queue --features export-abi`): the checked-in
//! `IWithdrawalQueue.sol` the program's ABI is compiled from. (The SDK's own
//! export would list only the constructor and the fallback that serves the
//! ABI.)
#![cfg_attr(not(any(test, feature = "export-abi")), no_main)]

#[cfg(feature = "export-abi")]
fn main() {
    print!("{}", include_str!("../IWithdrawalQueue.sol"));
}

/// Without `export-abi` there is nothing to print.
#[cfg(not(any(test, feature = "export-abi")))]
#[no_mangle]
pub extern "C" fn main() {}
