//! Charts as SVG text, for pages and printed notices alike: a line per series over labelled
//! points in time (weeks, months, quarters). Values are whole numbers (counts, fen); the caller
//! says how a value reads on the axis, so money shows in yuan without a float in between. Every
//! chart carries a `<title>` and a `<desc>` listing its figures, so a screen reader (and a printed
//! page without colour) has every number.

use std::fmt::Write;

/// One line of a chart.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Series {
    pub name: String,
    /// CSS colour.
    pub colour: String,
    /// One value per label; a missing value is drawn as 0.
    pub values: Vec<i64>,
}

/// Colours that stay apart for the common colour blindnesses (Okabe–Ito), in order.
pub const PALETTE: [&str; 8] = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442"];

fn esc(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// A round step for about four gridlines up to `max`.
fn step(max: i64) -> i64 {
    let raw = (max.max(1) + 3) / 4;
    let mut p = 1i64;
    while p * 10 <= raw {
        p *= 10;
    }
    [1, 2, 5, 10].iter().map(|m| m * p).find(|s| *s >= raw).unwrap_or(10 * p)
}

/// A line chart: `labels` along the bottom, one line per series, a legend, gridlines labelled
/// through `axis` (e.g. `|v| v.to_string()` for counts). `id` makes the title's id unique on a
/// page holding several charts.
pub fn line_chart(id: &str, title: &str, labels: &[String], series: &[Series], axis: &dyn Fn(i64) -> String) -> String {
    let (left, right, top, bottom) = (56i64, 12i64, 12i64, 40i64);
    let n = labels.len().max(1) as i64;
    let col = if n > 12 { 36 } else { 56 };
    let plot_w = col * n;
    let plot_h = 160i64;
    let legend_h = 18 * series.len() as i64;
    let (width, height) = (left + plot_w + right, top + plot_h + bottom + legend_h);
    let lo = series.iter().flat_map(|s| s.values.iter().copied()).min().unwrap_or(0).min(0);
    let hi = series.iter().flat_map(|s| s.values.iter().copied()).max().unwrap_or(0).max(1);
    let st = step(hi - lo);
    let lo = if lo < 0 { -((-lo + st - 1) / st) * st } else { 0 };
    let hi = ((hi + st - 1) / st).max(1) * st;
    let y = |v: i64| top + plot_h - (v - lo) * plot_h / (hi - lo).max(1);
    let x = |i: usize| left + col * i as i64 + col / 2;
    let mut s = String::new();
    let _ = write!(
        s,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {width} {height}\" width=\"100%\" style=\"max-width:{width}px\" \
         role=\"img\" aria-labelledby=\"{id}-title {id}-desc\" font-family=\"sans-serif\" font-size=\"11\">\
         <title id=\"{id}-title\">{}</title><desc id=\"{id}-desc\">",
        esc(title)
    );
    for se in series {
        let figures: Vec<String> = labels
            .iter()
            .enumerate()
            .map(|(i, l)| format!("{l} {}", axis(se.values.get(i).copied().unwrap_or(0))))
            .collect();
        let _ = write!(s, "{}: {}. ", esc(&se.name), esc(&figures.join(", ")));
    }
    s.push_str("</desc>");
    let mut g = lo;
    while g <= hi {
        let gy = y(g);
        let _ = write!(
            s,
            "<line x1=\"{left}\" x2=\"{}\" y1=\"{gy}\" y2=\"{gy}\" stroke=\"#ccc\"/>\
             <text x=\"{}\" y=\"{}\" text-anchor=\"end\" fill=\"#333\">{}</text>",
            left + plot_w,
            left - 4,
            gy + 4,
            esc(&axis(g))
        );
        g += st;
    }
    let every = labels.len().div_ceil(12).max(1);
    for (i, l) in labels.iter().enumerate() {
        if i % every == 0 {
            let _ = write!(
                s,
                "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" fill=\"#333\">{}</text>",
                x(i),
                top + plot_h + 16,
                esc(l)
            );
        }
    }
    for (k, se) in series.iter().enumerate() {
        let pts: Vec<String> =
            (0..labels.len()).map(|i| format!("{},{}", x(i), y(se.values.get(i).copied().unwrap_or(0)))).collect();
        let c = esc(&se.colour);
        let _ = write!(s, "<polyline fill=\"none\" stroke=\"{c}\" stroke-width=\"2\" points=\"{}\"/>", pts.join(" "));
        for p in &pts {
            let (px, py) = p.split_once(',').unwrap_or(("0", "0"));
            let _ = write!(s, "<circle cx=\"{px}\" cy=\"{py}\" r=\"2.5\" fill=\"{c}\"/>");
        }
        let ly = top + plot_h + bottom + 18 * k as i64;
        let _ = write!(
            s,
            "<rect x=\"{left}\" y=\"{}\" width=\"14\" height=\"4\" fill=\"{c}\"/><text x=\"{}\" y=\"{}\" fill=\"#111\">{}</text>",
            ly - 4,
            left + 20,
            ly,
            esc(&se.name)
        );
    }
    s.push_str("</svg>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(values: Vec<i64>) -> Vec<Series> {
        vec![Series { name: "北<站>".into(), colour: PALETTE[0].into(), values }]
    }

    #[test]
    fn every_figure_is_in_the_description_and_text_is_escaped() {
        let labels: Vec<String> = ["W1", "W2", "W3"].iter().map(|s| s.to_string()).collect();
        let svg = line_chart("c1", "混投 & 落地", &labels, &one(vec![3, 0, 12]), &|v| v.to_string());
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        assert!(svg.contains("<title id=\"c1-title\">混投 &amp; 落地</title>"));
        assert!(svg.contains("北&lt;站&gt;: W1 3, W2 0, W3 12."), "{svg}");
        assert!(!svg.contains("<站>"));
        assert_eq!(svg.matches("<circle").count(), 3);
    }

    #[test]
    fn points_sit_on_the_scale() {
        let labels: Vec<String> = (1..=4).map(|i| format!("{i}")).collect();
        let svg = line_chart("c", "t", &labels, &one(vec![0, 20, 10, 20]), &|v| v.to_string());
        // top 12, plot 160: 0 at y=172, the top gridline (20) at y=12, 10 halfway
        assert!(svg.contains("points=\"84,172 140,12 196,92 252,12\""), "{svg}");
        assert!(svg.contains(">20</text>") && svg.contains(">0</text>"));
    }

    #[test]
    fn steps_are_round() {
        assert_eq!(step(4), 1);
        assert_eq!(step(7), 2);
        assert_eq!(step(19), 5);
        assert_eq!(step(35), 10);
        assert_eq!(step(1_234_567), 500_000);
    }

    #[test]
    fn negative_values_and_empty_charts_draw() {
        let labels = vec!["Q1".to_string(), "Q2".to_string()];
        let svg = line_chart("n", "t", &labels, &one(vec![-5, 8]), &|v| format!("{v}元"));
        assert!(svg.contains("-"));
        let empty = line_chart("e", "t", &[], &[], &|v| v.to_string());
        assert!(empty.ends_with("</svg>"));
    }
}
