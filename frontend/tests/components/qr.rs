//! The BankID QR code drawn as SVG.

use std::collections::BTreeSet;

use leptos::prelude::*;
use qrcode::{Color, QrCode};
use wasm_bindgen_test::wasm_bindgen_test;

use incert_web::components::qr::QrImage;

use crate::support::{mount, wait_until};

/// Blank modules around the code in the drawing.
const QUIET_ZONE: usize = 4;

/// Returns the dark modules of the QR code of `data`, moved by the quiet zone, and the side of
/// the drawing.
fn expected_modules(data: &str) -> (BTreeSet<(usize, usize)>, usize) {
    let code = QrCode::new(data.as_bytes()).expect("data fits a QR code");
    let width = code.width();
    let dark = code
        .to_colors()
        .iter()
        .enumerate()
        .filter(|(_, color)| **color == Color::Dark)
        .map(|(index, _)| (index % width + QUIET_ZONE, index / width + QUIET_ZONE))
        .collect();
    (dark, width + 2 * QUIET_ZONE)
}

/// Returns the unit squares of an SVG path made of `M{x} {y}h1v1h-1z` commands.
fn drawn_modules(path: &str) -> BTreeSet<(usize, usize)> {
    path.split('M')
        .filter(|command| !command.is_empty())
        .map(|command| {
            let square = command
                .strip_suffix("h1v1h-1z")
                .unwrap_or_else(|| panic!("not a unit square: {command:?}"));
            let (x, y) = square.split_once(' ').expect("x and y");
            (x.parse().expect("x"), y.parse().expect("y"))
        })
        .collect()
}

#[wasm_bindgen_test]
async fn qr_image_draws_each_code() {
    let first = "bankid.67df3917-fa0d-44e5-b327-edcc928297f8.0.dc69358e712458a66a7525beef148ae8526b1c71610eff2c16cdffb4cdac9bf8";
    let second = "bankid.67df3917-fa0d-44e5-b327-edcc928297f8.1.949d559bf23403952a94d103e67743126381eda00f0b3cbddbf7c96b1adcbce2";
    let data = RwSignal::new(first.to_owned());
    let mounted = mount(move || {
        view! { <QrImage data=data label=Signal::stored("QR-kod för BankID-appen")/> }
    });

    let svg = mounted.find("svg.qr");
    assert_eq!(svg.get_attribute("role").as_deref(), Some("img"));
    assert_eq!(
        svg.get_attribute("aria-label").as_deref(),
        Some("QR-kod för BankID-appen")
    );
    let (expected, side) = expected_modules(first);
    assert_eq!(
        svg.get_attribute("viewBox"),
        Some(format!("0 0 {side} {side}"))
    );
    let path = mounted
        .find("svg.qr path")
        .get_attribute("d")
        .expect("a path");
    assert_eq!(drawn_modules(&path), expected);

    data.set(second.to_owned());
    let (expected, _) = expected_modules(second);
    wait_until("the second code is drawn", || {
        mounted
            .try_find("svg.qr path")
            .and_then(|path| path.get_attribute("d"))
            .is_some_and(|path| drawn_modules(&path) == expected)
    })
    .await;

    // More bytes than fit in a QR code at the medium error correction level: nothing is drawn.
    data.set("x".repeat(3000));
    wait_until("the drawing is gone", || {
        mounted.try_find("svg.qr").is_none()
    })
    .await;
}
