//! The map as SVG: footpaths grey, walls and closed gates red and dashed, what a what-if adds or
//! opens blue, bin rooms as squares, entrances as dots coloured by their walk (with the building
//! number beside its first entrance). Readable on a phone: it scales to the screen's width; every
//! figure is also in the table beside it, for screen readers. When drawing, the nodes carry their
//! ids and the picture its geography, for the drawing script.

use crate::kit::i18n::Tr;
use gongzhi_core::map::{Comparison, Place, Position, WalkMap};
use gongzhi_store::map::SitePlan;
use std::fmt::Write;

const WIDTH: f64 = 1000.0;
const MARGIN: f64 = 24.0;

/// Where the picture lies on the earth and how it is scaled.
#[derive(Clone, Copy, Debug)]
pub struct Frame {
    pub west: f64,
    pub north: f64,
    /// Pixels per degree of longitude and of latitude.
    pub x_per_deg: f64,
    pub y_per_deg: f64,
    pub height: f64,
}

impl Frame {
    /// The frame holding every node and the site plan, with a margin.
    pub fn of(map: &WalkMap, plan: Option<&SitePlan>) -> Frame {
        let (mut w, mut s, mut e, mut n) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
        let mut take = |p: (f64, f64)| {
            w = w.min(p.0);
            e = e.max(p.0);
            s = s.min(p.1);
            n = n.max(p.1);
        };
        for x in &map.nodes {
            take((x.position.lon, x.position.lat));
        }
        if let Some(p) = plan {
            take((p.bounds[0], p.bounds[1]));
            take((p.bounds[2], p.bounds[3]));
        }
        if w > e {
            // nothing yet: a few hundred metres around the demo's corner of Changning
            (w, s, e, n) = (121.357, 31.207, 121.363, 31.212);
        }
        let lat0 = ((s + n) / 2.0).to_radians();
        let (kx, ky) = (111_320.0 * lat0.cos(), 110_574.0);
        let metres_wide = ((e - w) * kx).max(50.0);
        let px_per_m = (WIDTH - 2.0 * MARGIN) / metres_wide;
        Frame {
            west: w,
            north: n,
            x_per_deg: kx * px_per_m,
            y_per_deg: ky * px_per_m,
            height: ((n - s) * ky * px_per_m).max(100.0) + 2.0 * MARGIN,
        }
    }

    pub fn xy(&self, p: Position) -> (f64, f64) {
        (MARGIN + (p.lon - self.west) * self.x_per_deg, MARGIN + (self.north - p.lat) * self.y_per_deg)
    }
}

/// The band of a walk, for its colour and the legend: ≤100 m, ≤200 m, ≤300 m, more, none.
pub fn band(mm: Option<u64>) -> &'static str {
    match mm {
        None => "none",
        Some(m) if m <= 100_000 => "near",
        Some(m) if m <= 200_000 => "mid",
        Some(m) if m <= 300_000 => "far",
        Some(_) => "farther",
    }
}

fn colour(band: &str) -> &'static str {
    match band {
        "near" => "#1a7f37",
        "mid" => "#9a6700",
        "far" => "#bc4c00",
        "farther" => "#cf222e",
        _ => "#6e7781",
    }
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// What to draw.
pub struct Drawing<'a> {
    pub map: &'a WalkMap,
    /// The map after the what-if, to draw its new and opened paths; the walks coloured are
    /// `comparison`'s after.
    pub after: Option<&'a WalkMap>,
    pub comparison: Option<&'a Comparison>,
    pub plan: Option<&'a SitePlan>,
    /// Draw for editing: every node labelled and clickable.
    pub editing: bool,
    /// Draw for picking a place (a resident's request): the named places carry their id (and an
    /// entrance its building) for a tap to choose the nearest, without being tab stops.
    pub picking: bool,
}

pub fn draw(d: &Drawing<'_>, t: Tr, title: &str) -> String {
    let f = Frame::of(d.map, d.plan);
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {h:.0}" class="walk-map" id="walk-map" role="img" aria-labelledby="walk-map-title" data-west="{w}" data-north="{n}" data-xdeg="{xd}" data-ydeg="{yd}" data-margin="{MARGIN}"><title id="walk-map-title">{title}</title>"#,
        h = f.height,
        w = f.west,
        n = f.north,
        xd = f.x_per_deg,
        yd = f.y_per_deg,
        title = esc(title),
    );
    if let Some(p) = d.plan {
        let (x0, y0) = f.xy(Position { lon: p.bounds[0], lat: p.bounds[3] });
        let (x1, y1) = f.xy(Position { lon: p.bounds[2], lat: p.bounds[1] });
        let _ = write!(
            s,
            r#"<image href="/map/plan" x="{x0:.1}" y="{y0:.1}" width="{:.1}" height="{:.1}" preserveAspectRatio="none" opacity="0.55"/>"#,
            x1 - x0,
            y1 - y0
        );
    }
    let line = |s: &mut String, a: Position, b: Position, style: &str| {
        let ((x0, y0), (x1, y1)) = (f.xy(a), f.xy(b));
        let _ = write!(s, r#"<line x1="{x0:.1}" y1="{y0:.1}" x2="{x1:.1}" y2="{y1:.1}" {style}/>"#);
    };
    for e in &d.map.edges {
        let style = if e.closed {
            r##"stroke="#cf222e" stroke-width="3" stroke-dasharray="6 4" class="wall""##
        } else {
            r##"stroke="#8c959f" stroke-width="2" class="path""##
        };
        for w in e.line.windows(2) {
            line(&mut s, w[0], w[1], style);
        }
    }
    if let Some(after) = d.after {
        // what the what-if adds (edges beyond the map's) and opens (closed before, open after)
        for (i, e) in after.edges.iter().enumerate() {
            let opened = d.map.edges.get(i).is_some_and(|b| b.closed && !e.closed);
            let added = i >= d.map.edges.len();
            if (added || opened) && !e.closed {
                let cls = if added { "added" } else { "opened" };
                let style = format!(r##"stroke="#0969da" stroke-width="5" stroke-linecap="round" class="{cls}""##);
                for w in e.line.windows(2) {
                    line(&mut s, w[0], w[1], &style);
                }
            }
        }
    }
    let walks: std::collections::HashMap<usize, Option<u64>> =
        d.comparison.map(|c| c.entrances.iter().map(|e| (e.node, e.after_mm)).collect()).unwrap_or_default();
    let shown_after = d.after.unwrap_or(d.map);
    let mut labelled: Vec<&str> = Vec::new();
    for (i, n) in shown_after.nodes.iter().enumerate() {
        let (x, y) = f.xy(n.position);
        let id = esc(&n.id);
        let auto = n.id.starts_with('j') && n.id[1..].starts_with(|c: char| c.is_ascii_digit());
        let data = if d.editing {
            format!(r#" data-id="{id}" class="node" tabindex="0""#)
        } else if d.picking && !(auto && matches!(n.place, Place::Junction)) {
            match &n.place {
                Place::Entrance { building, .. } => format!(r#" data-id="{id}" data-building="{}""#, esc(building)),
                _ => format!(r#" data-id="{id}""#),
            }
        } else {
            String::new()
        };
        match &n.place {
            Place::Bin { hours, .. } => {
                let when = super::hours_text(t, hours);
                let _ = write!(
                    s,
                    r##"<rect x="{:.1}" y="{:.1}" width="14" height="14" fill="#0550ae" stroke="#fff"{data}><title>{} {id} ({})</title></rect>"##,
                    x - 7.0,
                    y - 7.0,
                    t.m_bin(),
                    esc(&when)
                );
            }
            Place::Entrance { building, households } => {
                let mm = walks.get(&i).copied().flatten();
                let b = band(if d.comparison.is_some() { mm } else { Some(0) });
                let fill = if d.comparison.is_some() { colour(b) } else { "#57606a" };
                let walk = mm.map(|m| format!("{:.1} m", m as f64 / 1000.0)).unwrap_or_else(|| "—".into());
                let _ = write!(
                    s,
                    r##"<circle cx="{x:.1}" cy="{y:.1}" r="6" fill="{fill}" stroke="#fff" class="entrance band-{b}"{data}><title>{}{} {id} · {households} · {walk}</title></circle>"##,
                    esc(building),
                    t.f_bsuffix(),
                );
                if !labelled.contains(&building.as_str()) {
                    labelled.push(building);
                    let _ = write!(
                        s,
                        r##"<text x="{:.1}" y="{:.1}" font-size="13" fill="#24292f" aria-hidden="true">{}</text>"##,
                        x + 8.0,
                        y - 6.0,
                        esc(building)
                    );
                }
            }
            Place::Gate => {
                let _ = write!(
                    s,
                    r##"<circle cx="{x:.1}" cy="{y:.1}" r="5" fill="#fff" stroke="#24292f" stroke-width="2"{data}><title>{} {id}</title></circle>"##,
                    t.m_gate()
                );
            }
            Place::Junction => {
                if d.editing || (d.picking && !auto) {
                    let _ = write!(
                        s,
                        r##"<circle cx="{x:.1}" cy="{y:.1}" r="4" fill="#8c959f"{data}><title>{id}</title></circle>"##
                    );
                }
            }
        }
        if d.editing && (!matches!(n.place, Place::Junction) || !auto) {
            let _ = write!(
                s,
                r##"<text x="{:.1}" y="{:.1}" font-size="10" fill="#57606a" aria-hidden="true">{id}</text>"##,
                x + 6.0,
                y + 12.0
            );
        }
    }
    s.push_str("</svg>");
    s
}
