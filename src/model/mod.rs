//! The data model: the schema of `data/`, its validation at load, and queries on it.

use std::collections::BTreeMap;

use crate::diag::Loc;

mod date;
pub mod edition;
mod query;
mod schema;
pub mod unit;
mod validate;
mod value;

pub use date::{EditionDate, FactDate};
pub use schema::*;
pub use unit::{Style, Unit};

/// Everything in `data/`, loaded and validated.
#[derive(Debug, Clone, Default)]
pub struct Model {
    /// Edition metadata.
    pub edition: Edition,
    /// The units figures are measured in, by name (`data/units.yaml`, or the standard ones).
    pub units: BTreeMap<String, Unit>,
    /// Sources by id.
    pub sources: BTreeMap<String, Source>,
    /// Facts by id.
    pub facts: BTreeMap<String, Fact>,
    /// Series by id.
    pub series: BTreeMap<String, Series>,
    /// Charts by id.
    pub charts: BTreeMap<String, Chart>,
    /// Fast facts in seed order.
    pub fast_facts: Vec<FastFact>,
    /// Documents in declared order.
    pub documents: Vec<DocumentDef>,
    /// Audiences in declared order.
    pub audiences: Vec<Audience>,
    /// State one-pager rows.
    pub states: Vec<StateRow>,
    /// Where each fact, series and source id is declared (for messages).
    pub origin: BTreeMap<String, Loc>,
}

/// The trade deficit ratio: how many more dollars the U.S. imports for every dollar it exports.
pub fn tdr(imports: f64, exports: f64) -> f64 {
    (imports - exports) / exports
}

#[cfg(test)]
pub mod fixture;
#[cfg(test)]
mod tests;
