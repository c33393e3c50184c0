//! The whole record of a compound checked at once: the hash chain of its audit log, then every
//! closed vote's ballots and published result against what was sealed when it closed, then any
//! anchors printed on notices. It sits above the processes, as it checks all of them.

use crate::kit::audit::Break;
use crate::{Result, Store};

impl Store {
    /// The number of entries if the record is intact, or the first break found.
    pub async fn verify_record(&self, compound: &str, anchors: &[String]) -> Result<std::result::Result<i64, Break>> {
        let n = match self.audit_verify(compound).await? {
            Ok(n) => n,
            Err(b) => return Ok(Err(b)),
        };
        let log = self.audit_entries(compound).await?;
        if let Some(b) = self.check_closed_votes(compound, &log).await? {
            return Ok(Err(b));
        }
        for a in anchors {
            if self.find_anchor(compound, a).await?.is_none() {
                return Ok(Err(Break::AnchorMissing { anchor: a.clone() }));
            }
        }
        Ok(Ok(n))
    }
}
