//! Prints the program ABI (filled in with the program).
fn main() {}
