//! Keyboard focus after a step of a form replaces its content.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// Moves the keyboard focus to the element `id` once the next frame has drawn it.
pub fn focus_later(id: &'static str) {
    request_animation_frame(move || {
        let element = web_sys::window()
            .and_then(|window| window.document())
            .and_then(|document| document.get_element_by_id(id))
            .and_then(|element| element.dyn_into::<web_sys::HtmlElement>().ok());
        if let Some(element) = element {
            let _ = element.focus();
        }
    });
}
