//! The compound's walking map and its what-ifs (issue 16): how far every entrance walks to its
//! nearest bin room, and how far it would walk after a new path, an opened wall or a moved bin.
//!
//! - [`graph`]: nodes (entrances with their building and households, junctions, gates, bin
//!   rooms with opening hours) and undirected edges in whole millimetres, walls closed.
//! - [`geo`]: WGS84 positions and the geodesic length of a drawn path (Vincenty).
//! - [`geojson`]: the map read from and written to a GeoJSON FeatureCollection.
//! - [`dijkstra`]: every node's nearest open bin room, one multi-source search.
//! - [`scenario`]: the what-if changes; [`compare`]: before and after, per entrance, per
//!   building, weighted by households; [`output`]: `gongzhi walk`'s JSON and text.
//! - [`demo`]: the story's compound (33 buildings, the southern gap, the northern car-park wall)
//!   and large synthetic compounds for the benchmark.

pub mod cli;
pub mod compare;
pub mod demo;
pub mod dijkstra;
pub mod edit;
pub mod geo;
pub mod geojson;
pub mod graph;
pub mod hours;
pub mod output;
pub mod policy;
pub mod refusal;
pub mod requests;
pub mod scenario;

#[cfg(test)]
mod tests;

pub use cli::{walk_cli, walk_cli_at};
pub use compare::{BuildingWalk, Comparison, EntranceWalk, Mean, by_building, compare, walks, what_if};
pub use dijkstra::{Nearest, nearest_bins};
pub use geo::Position;
pub use graph::{Edge, Node, NodeIx, Place, WalkMap};
pub use hours::Hours;
pub use output::{Decimetres, EntranceOut, WalkOutput};
pub use policy::{AUDIT_ACTIONS, MapAction, MapSettings};
pub use refusal::{FeatureAt, MapRefusal};
pub use requests::{Category, Handler, Routing, Status};
pub use scenario::{Change, Scenario};
