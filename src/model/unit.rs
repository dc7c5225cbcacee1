//! Units: what a figure is measured in, with the one list of their names as YAML writes them.

use serde::{Deserialize, Serialize};

/// The unit a figure is measured in; decides how it is formatted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    /// U.S. dollars.
    Usd,
    /// Canadian dollars.
    Cad,
    /// A percentage, stored as percent (32.7 means 32.7%).
    Percent,
    /// Percentage points.
    PercentPoints,
    /// A plain count.
    Count,
    /// A number of jobs.
    Jobs,
    /// A number of workers.
    Workers,
    /// A number of vehicles.
    Vehicles,
    /// A ratio or multiple (2.5 times, TDR 0.50).
    Ratio,
    /// A calendar year.
    Year,
    /// A duration in years.
    Years,
    /// A rank (1st, 7th, 11th).
    Rank,
}

impl Unit {
    /// Every unit, in the order messages list them.
    pub const ALL: [Unit; 12] = [
        Unit::Usd,
        Unit::Cad,
        Unit::Percent,
        Unit::PercentPoints,
        Unit::Count,
        Unit::Jobs,
        Unit::Workers,
        Unit::Vehicles,
        Unit::Ratio,
        Unit::Year,
        Unit::Years,
        Unit::Rank,
    ];

    /// The unit's name as YAML, locale patterns and templates write it (`percent_points`).
    pub fn name(self) -> &'static str {
        match self {
            Unit::Usd => "usd",
            Unit::Cad => "cad",
            Unit::Percent => "percent",
            Unit::PercentPoints => "percent_points",
            Unit::Count => "count",
            Unit::Jobs => "jobs",
            Unit::Workers => "workers",
            Unit::Vehicles => "vehicles",
            Unit::Ratio => "ratio",
            Unit::Year => "year",
            Unit::Years => "years",
            Unit::Rank => "rank",
        }
    }

    /// The unit of a name, if it is one.
    pub fn from_name(name: &str) -> Option<Unit> {
        Unit::ALL.into_iter().find(|u| u.name() == name)
    }

    /// Every name, comma-separated, for messages.
    pub fn names() -> String {
        Unit::ALL.map(Unit::name).join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_the_yaml_names() {
        for u in Unit::ALL {
            let yaml: Unit = serde_saphyr::from_str(u.name()).unwrap();
            assert_eq!(yaml, u);
            assert_eq!(Unit::from_name(u.name()), Some(u));
        }
        assert_eq!(Unit::from_name("percent points"), None);
        assert!(Unit::names().starts_with("usd, cad, percent, percent_points"));
    }
}
