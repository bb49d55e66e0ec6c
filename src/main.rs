//! ScaleLab web app entry point.

mod app;
mod components;
mod i18n;
mod model;
mod state;

fn main() {
    yew::set_custom_panic_hook(Box::new(console_error_panic_hook::hook));
    app::mount();
}
