//! The BankID QR code, drawn as SVG in the page.

use leptos::prelude::*;
use qrcode::{Color, QrCode};

/// Width of the blank margin around the code, in modules. The QR standard requires four.
const QUIET_ZONE: usize = 4;

/// Draws `data` as a QR code. A new value of `data` redraws it, which animates the BankID
/// code that changes every second.
#[component]
pub fn QrImage(#[prop(into)] data: Signal<String>, label: Signal<&'static str>) -> impl IntoView {
    let drawing = move || data.with(|data| qr_path(data));
    view! {
        {move || drawing().map(|(size, path)| {
            let view_box = format!("0 0 {size} {size}");
            view! {
                <svg
                    class="qr"
                    role="img"
                    aria-label=move || label.get()
                    viewBox=view_box
                    shape-rendering="crispEdges"
                >
                    <rect width="100%" height="100%" fill="#fff"/>
                    <path d=path fill="#000"/>
                </svg>
            }
        })}
    }
}

/// Returns the side of the drawing in modules and an SVG path with one unit square per dark
/// module, or `None` when `data` is too long for a QR code.
fn qr_path(data: &str) -> Option<(usize, String)> {
    let code = QrCode::new(data.as_bytes()).ok()?;
    let width = code.width();
    let mut path = String::new();
    for (index, color) in code.to_colors().iter().enumerate() {
        if *color == Color::Dark {
            let x = index % width + QUIET_ZONE;
            let y = index / width + QUIET_ZONE;
            path.push_str(&format!("M{x} {y}h1v1h-1z"));
        }
    }
    Some((width + 2 * QUIET_ZONE, path))
}
