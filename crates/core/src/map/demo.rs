//! The story's compound, 明辉西郊苑 in Xinjing (Changning), as a walking map, and large
//! synthetic compounds for the benchmark. Both deterministic.
//!
//! The demo: 33 buildings in six rows (south to north, west to east, numbered 1–33) whose
//! entrances are the register's stairwells ([`crate::demo::stairwells`], 14 households each),
//! east–west lanes between the rows, a west road, an east road and a central road. The
//! bin rooms: `bin-east` (the all-day point for missed times), `bin-west`, `bin-south` beside the
//! green belt and `bin-car-park` in the northern car park, the last three open 07:00–09:00 and
//! 18:00–20:00. The southern lane is cut from `bin-south` by the green belt (the gap between
//! `south-gap` and `bin-south`), and the car park by a wall (`wall-inside`–`car-park`, closed).
//! [`story`] is what the committee did: the shortcut across the gap and the opened wall.

use crate::demo::{BUILDINGS, FLOORS, stairwells};
use crate::map::geo::{Position, geodesic_m, to_mm};
use crate::map::graph::{NodeIx, Place, WalkMap};
use crate::map::hours::Hours;
use crate::map::scenario::{Change, Scenario};

/// The compound's south-west corner.
const ORIGIN: (f64, f64) = (121.3581, 31.2087);
/// Metres per degree of latitude and of longitude near 31.21° N.
const M_PER_DEG: (f64, f64) = (110_861.0, 95_262.0);

/// Local metres (east, north) from the south-west corner to WGS84.
fn at(x: f64, y: f64) -> Position {
    Position::new(ORIGIN.0 + x / M_PER_DEG.1, ORIGIN.1 + y / M_PER_DEG.0).expect("inside Shanghai")
}

/// Building rows' centre lines (north metres) and columns' (east metres).
const ROWS: [f64; 6] = [30.0, 75.0, 120.0, 165.0, 210.0, 255.0];
const COLS: [f64; 6] = [30.0, 90.0, 150.0, 210.0, 270.0, 330.0];
/// Plots left without a building: the central garden (row 3, columns 3–4) and the corner by the
/// car-park gate.
const EMPTY: [(usize, usize); 3] = [(2, 2), (2, 3), (5, 5)];
const NORTH_LANE: f64 = 285.0;
const CAR_PARK: f64 = 305.0;

/// The story's map.
pub fn compound() -> WalkMap {
    let mut b = Builder { map: WalkMap::new() };
    let drop_off = vec![Hours::parse("07:00-09:00").unwrap(), Hours::parse("18:00-20:00").unwrap()];
    // entrances first, so reports list them by building
    let mut lanes: Vec<(f64, Vec<f64>)> = ROWS.iter().map(|y| (y - 15.0, vec![0.0, 180.0, 360.0])).collect();
    lanes.push((NORTH_LANE, vec![0.0, 120.0, 180.0, 360.0]));
    let mut spurs = Vec::new();
    let mut no = 0;
    for (r, &y) in ROWS.iter().enumerate() {
        for (c, &x) in COLS.iter().enumerate() {
            if EMPTY.contains(&(r, c)) {
                continue;
            }
            no += 1;
            let s = stairwells(no);
            // the northern row faces the north lane; the others face the lane to their south
            let (lane, door_y) = if r == 5 { (6, NORTH_LANE - 9.0) } else { (r, y - 6.0) };
            for k in 1..=s {
                let dx = if s == 1 {
                    0.0
                } else if k == 1 {
                    -10.0
                } else {
                    10.0
                };
                let place = Place::Entrance { building: no.to_string(), households: FLOORS * 2 };
                let e = b.node(&format!("{no}-{k}"), place, x + dx, door_y);
                lanes[lane].1.push(x + dx);
                spurs.push((e, x + dx, lanes[lane].0));
            }
        }
    }
    assert_eq!(no, BUILDINGS);
    for (y, xs) in &mut lanes {
        xs.sort_by(f64::total_cmp);
        xs.dedup();
        let ids: Vec<NodeIx> = xs.iter().map(|&x| b.junction(x, *y)).collect();
        for w in ids.windows(2) {
            b.edge(w[0], w[1], false);
        }
    }
    for (e, x, y) in spurs {
        let j = b.junction(x, y);
        b.edge(e, j, false);
    }
    // the roads: west and east from the southern lane to the north lane, central from the
    // second lane (the green belt stops it in the south)
    let lane_ys: Vec<f64> = lanes.iter().map(|l| l.0).collect();
    b.road(0.0, &lane_ys);
    b.road(360.0, &lane_ys);
    b.road(180.0, &lane_ys[1..]);
    // the main gate on the west road; the car-park gate at the east road's north end
    let gate = b.node("gate-main", Place::Gate, -12.0, 150.0);
    let j = b.junction(0.0, 150.0);
    b.edge(gate, j, false);
    let car_gate = b.node("gate-car-park", Place::Gate, 360.0, CAR_PARK);
    let j = b.junction(360.0, NORTH_LANE);
    b.edge(j, car_gate, false);
    let car_park = b.junction(120.0, CAR_PARK);
    b.edge(car_park, car_gate, false);
    // the wall between the north lane and the car park
    let wall_inside = b.junction(120.0, NORTH_LANE);
    b.edge(wall_inside, car_park, true);
    // the southern and the car-park bin rooms are the waste process's two demo stations (their
    // windows are read from there); the western keeps its drawn hours, the eastern is open all day
    let bins = [
        ("bin-east", 366.0, 60.0, (360.0, 60.0), vec![], None),
        ("bin-west", -6.0, 195.0, (0.0, 195.0), drop_off.clone(), None),
        ("bin-south", 180.0, 45.0, (180.0, 60.0), drop_off.clone(), Some("south")),
        ("bin-car-park", 120.0, 313.0, (120.0, CAR_PARK), drop_off, Some("north")),
    ];
    for (id, x, y, (jx, jy), hours, station) in bins {
        let bin = b.node(id, Place::Bin { hours, station: station.map(String::from) }, x, y);
        let j = b.junction(jx, jy);
        b.edge(bin, j, false);
    }
    b.map
}

/// What the committee built: the shortcut across the southern gap (its straight length) and the
/// opened car-park wall.
pub fn story() -> Scenario {
    Scenario::new(vec![
        Change::AddPath { a: "south-gap".into(), b: "bin-south".into(), length_mm: None },
        Change::Open { a: "wall-inside".into(), b: "car-park".into() },
    ])
}

/// [`compound`] as GeoJSON text, as the committee would import it.
pub fn geojson() -> String {
    crate::map::geojson::export_string(&compound())
}

struct Builder {
    map: WalkMap,
}

impl Builder {
    fn node(&mut self, id: &str, place: Place, x: f64, y: f64) -> NodeIx {
        self.map.add_node(id, place, at(x, y)).expect("demo ids are unique")
    }

    /// The junction at (x, y), made on first use: named by its position (`j180_60`), or by the
    /// story where it plays a part.
    fn junction(&mut self, x: f64, y: f64) -> NodeIx {
        let id = match (x, y) {
            (180.0, 15.0) => "south-gap".to_string(),
            (120.0, NORTH_LANE) => "wall-inside".to_string(),
            (120.0, CAR_PARK) => "car-park".to_string(),
            _ => format!("j{x}_{y}"),
        };
        self.map.find(&id).unwrap_or_else(|| self.node(&id, Place::Junction, x, y))
    }

    /// A north–south road through the lanes at `ys`.
    fn road(&mut self, x: f64, ys: &[f64]) {
        let ids: Vec<NodeIx> = ys.iter().map(|&y| self.junction(x, y)).collect();
        for w in ids.windows(2) {
            self.edge(w[0], w[1], false);
        }
    }

    fn edge(&mut self, a: NodeIx, b: NodeIx, closed: bool) {
        let mm = to_mm(geodesic_m(self.map.nodes[a].position, self.map.nodes[b].position));
        self.map.add_edge(a, b, mm, closed);
    }
}

/// xorshift64*: a tiny seeded generator for synthetic compounds.
pub struct XorShift(pub u64);

impl XorShift {
    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// Uniform in `0..n`.
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n
    }
}

/// A synthetic compound of about `nodes` nodes: a jittered 20 m grid of footpaths with some
/// missing, one in twenty walled; two in five nodes entrances (6–24 households, ten to a
/// building), one in a hundred a bin room. The scenario adds three long shortcuts and opens
/// three walls.
pub fn synthetic(nodes: usize, seed: u64) -> (WalkMap, Scenario) {
    let mut rng = XorShift(seed | 1);
    let w = (nodes as f64).sqrt().ceil() as usize;
    let h = nodes.div_ceil(w);
    let mut map = WalkMap::new();
    let mut entrances = 0;
    for i in 0..w * h {
        let (x, y) = ((i % w) as f64 * 20.0, (i / w) as f64 * 20.0);
        let jitter = |r: &mut XorShift| r.below(600) as f64 / 100.0 - 3.0;
        let pos = at(x + jitter(&mut rng), y + jitter(&mut rng));
        let place = match rng.below(100) {
            0 => Place::Bin { hours: vec![], station: None },
            1..=40 => {
                entrances += 1;
                Place::Entrance { building: (entrances / 10 + 1).to_string(), households: 6 + rng.below(19) as u32 }
            }
            _ => Place::Junction,
        };
        map.add_node(format!("n{i}"), place, pos).expect("unique");
    }
    let mut walls = Vec::new();
    for i in 0..w * h {
        for j in [i + 1, i + w] {
            let beside = if j == i + 1 { (i + 1) % w != 0 } else { j < w * h };
            if !beside || rng.below(10) == 0 {
                continue;
            }
            let closed = rng.below(20) == 0;
            let mm = to_mm(geodesic_m(map.nodes[i].position, map.nodes[j].position));
            map.add_edge(i, j, mm, closed);
            if closed {
                walls.push((i, j));
            }
        }
    }
    let id = |i: usize| format!("n{i}");
    let mut changes = Vec::new();
    for _ in 0..3 {
        let (a, b) = (rng.below((w * h) as u64) as usize, rng.below((w * h) as u64) as usize);
        if a != b {
            changes.push(Change::AddPath { a: id(a), b: id(b), length_mm: None });
        }
    }
    for &(a, b) in walls.iter().take(3) {
        changes.push(Change::Open { a: id(a), b: id(b) });
    }
    (map, Scenario::new(changes))
}
