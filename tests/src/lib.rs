//! End-to-end test support (in progress).
