//! Positions on the WGS84 ellipsoid and the geodesic distance between them (Vincenty's inverse
//! formula). Floats are fine here: a path's length is rounded to whole millimetres once, and the
//! graph holds only those integers.

use serde::Serialize;

/// WGS84 semi-major axis, metres.
pub const WGS84_A: f64 = 6_378_137.0;
/// WGS84 flattening.
pub const WGS84_F: f64 = 1.0 / 298.257_223_563;

/// A point given as longitude and latitude in degrees (GeoJSON's order).
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Position {
    pub lon: f64,
    pub lat: f64,
}

impl Position {
    /// A position, if both are finite and in range (longitude ±180°, latitude ±90°).
    pub fn new(lon: f64, lat: f64) -> Option<Position> {
        let ok = lon.is_finite() && lat.is_finite() && lon.abs() <= 180.0 && lat.abs() <= 90.0;
        ok.then_some(Position { lon, lat })
    }
}

/// The geodesic distance in metres between two positions on the WGS84 ellipsoid.
///
/// Vincenty's inverse formula (1975), accurate to well under a millimetre. It fails to converge
/// only for nearly antipodal points (thousands of kilometres apart, never inside a compound);
/// there the great-circle distance on the sphere of mean radius is returned instead.
pub fn geodesic_m(p: Position, q: Position) -> f64 {
    let (a, f) = (WGS84_A, WGS84_F);
    let b = a * (1.0 - f);
    let l = (q.lon - p.lon).to_radians();
    let u1 = ((1.0 - f) * p.lat.to_radians().tan()).atan();
    let u2 = ((1.0 - f) * q.lat.to_radians().tan()).atan();
    let (sin_u1, cos_u1) = u1.sin_cos();
    let (sin_u2, cos_u2) = u2.sin_cos();

    let mut lambda = l;
    for _ in 0..200 {
        let (sin_l, cos_l) = lambda.sin_cos();
        let sin_sigma = ((cos_u2 * sin_l).powi(2) + (cos_u1 * sin_u2 - sin_u1 * cos_u2 * cos_l).powi(2)).sqrt();
        if sin_sigma == 0.0 {
            return 0.0; // the same point
        }
        let cos_sigma = sin_u1 * sin_u2 + cos_u1 * cos_u2 * cos_l;
        let sigma = sin_sigma.atan2(cos_sigma);
        let sin_alpha = cos_u1 * cos_u2 * sin_l / sin_sigma;
        let cos2_alpha = 1.0 - sin_alpha * sin_alpha;
        // on the equator cos²α = 0 and the term vanishes
        let cos_2sm = if cos2_alpha != 0.0 { cos_sigma - 2.0 * sin_u1 * sin_u2 / cos2_alpha } else { 0.0 };
        let c = f / 16.0 * cos2_alpha * (4.0 + f * (4.0 - 3.0 * cos2_alpha));
        let previous = lambda;
        lambda = l
            + (1.0 - c)
                * f
                * sin_alpha
                * (sigma + c * sin_sigma * (cos_2sm + c * cos_sigma * (-1.0 + 2.0 * cos_2sm * cos_2sm)));
        if (lambda - previous).abs() < 1e-12 {
            let u_sq = cos2_alpha * (a * a - b * b) / (b * b);
            let big_a = 1.0 + u_sq / 16384.0 * (4096.0 + u_sq * (-768.0 + u_sq * (320.0 - 175.0 * u_sq)));
            let big_b = u_sq / 1024.0 * (256.0 + u_sq * (-128.0 + u_sq * (74.0 - 47.0 * u_sq)));
            let delta_sigma = big_b
                * sin_sigma
                * (cos_2sm
                    + big_b / 4.0
                        * (cos_sigma * (-1.0 + 2.0 * cos_2sm * cos_2sm)
                            - big_b / 6.0
                                * cos_2sm
                                * (-3.0 + 4.0 * sin_sigma * sin_sigma)
                                * (-3.0 + 4.0 * cos_2sm * cos_2sm)));
            return b * big_a * (sigma - delta_sigma);
        }
    }
    great_circle_m(p, q)
}

/// Haversine distance on the sphere of the ellipsoid's mean radius (2a+b)/3.
fn great_circle_m(p: Position, q: Position) -> f64 {
    let r = (2.0 * WGS84_A + WGS84_A * (1.0 - WGS84_F)) / 3.0;
    let (dlat, dlon) = ((q.lat - p.lat).to_radians(), (q.lon - p.lon).to_radians());
    let h =
        (dlat / 2.0).sin().powi(2) + p.lat.to_radians().cos() * q.lat.to_radians().cos() * (dlon / 2.0).sin().powi(2);
    2.0 * r * h.sqrt().min(1.0).asin()
}

/// Metres to whole millimetres, half away from zero (lengths are never negative here).
pub fn to_mm(metres: f64) -> u64 {
    (metres * 1000.0).round() as u64
}

/// The length of a polyline in whole millimetres: each segment's geodesic, summed, rounded once.
pub fn polyline_mm(points: &[Position]) -> u64 {
    to_mm(points.windows(2).map(|w| geodesic_m(w[0], w[1])).sum())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(lon: f64, lat: f64) -> Position {
        Position::new(lon, lat).unwrap()
    }

    /// Degrees, minutes, seconds to degrees.
    fn dms(d: f64, m: f64, s: f64) -> f64 {
        d.signum() * (d.abs() + m / 60.0 + s / 3600.0)
    }

    #[test]
    fn one_degree_of_meridian_at_the_equator_is_110_574_4_m() {
        let s = geodesic_m(at(0.0, 0.0), at(0.0, 1.0));
        assert!((s - 110_574.389).abs() < 0.001, "{s}");
    }

    #[test]
    fn one_degree_along_the_equator_is_a_times_pi_over_180() {
        let s = geodesic_m(at(0.0, 0.0), at(1.0, 0.0));
        assert!((s - WGS84_A * std::f64::consts::PI / 180.0).abs() < 1e-6, "{s}");
    }

    #[test]
    fn flinders_peak_to_buninyong_is_vincentys_54_972_271_m() {
        // Vincenty's published example (Geoscience Australia): 54,972.271 m.
        let p = at(dms(144.0, 25.0, 29.5244), -dms(37.0, 57.0, 3.7203));
        let q = at(dms(143.0, 55.0, 35.3839), -dms(37.0, 39.0, 10.1561));
        let s = geodesic_m(p, q);
        assert!((s - 54_972.271).abs() < 0.001, "{s}");
    }

    #[test]
    fn a_short_shanghai_street_matches_the_local_radii_of_curvature() {
        // Two points about 150 m apart on a lane in Xinjing, Changning.
        let (p, q) = (at(121.3601, 31.2102), at(121.3615, 31.2110));
        let e2 = WGS84_F * (2.0 - WGS84_F);
        let phi = ((p.lat + q.lat) / 2.0).to_radians();
        let w = (1.0 - e2 * phi.sin().powi(2)).sqrt();
        let (m, n) = (WGS84_A * (1.0 - e2) / (w * w * w), WGS84_A / w);
        let north = m * (q.lat - p.lat).to_radians();
        let east = n * phi.cos() * (q.lon - p.lon).to_radians();
        let local = north.hypot(east);
        let s = geodesic_m(p, q);
        assert!((s - local).abs() < 0.001, "{s} vs {local}");
        assert_eq!(to_mm(s), 160_206);
    }

    #[test]
    fn the_same_point_is_zero_and_the_order_does_not_matter() {
        let (p, q) = (at(121.36, 31.21), at(121.361, 31.2101));
        assert_eq!(geodesic_m(p, p), 0.0);
        assert_eq!(to_mm(geodesic_m(p, q)), to_mm(geodesic_m(q, p)));
    }

    #[test]
    fn nearly_antipodal_points_still_get_a_finite_length() {
        let s = geodesic_m(at(0.0, 0.0), at(179.7, 0.5));
        assert!(s.is_finite() && s > 19_900_000.0 && s < 20_040_000.0, "{s}");
    }

    #[test]
    fn out_of_range_positions_are_refused() {
        assert!(Position::new(181.0, 0.0).is_none());
        assert!(Position::new(0.0, -90.5).is_none());
        assert!(Position::new(f64::NAN, 0.0).is_none());
    }

    #[test]
    fn a_polyline_sums_its_segments_and_rounds_once() {
        let pts = [at(121.36, 31.21), at(121.3605, 31.21), at(121.3605, 31.2105)];
        let sum = geodesic_m(pts[0], pts[1]) + geodesic_m(pts[1], pts[2]);
        assert_eq!(polyline_mm(&pts), to_mm(sum));
        assert_eq!(polyline_mm(&pts[..1]), 0);
    }
}
