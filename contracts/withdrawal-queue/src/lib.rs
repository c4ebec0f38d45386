//! Withdrawal queue: requests, finalization at report time, claims (not yet implemented).
