//! The web application: built in the web-voting issue; empty until then.
