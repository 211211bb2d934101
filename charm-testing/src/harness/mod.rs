//! State-transition tests (being written).
