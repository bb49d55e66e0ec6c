//! ScaleLab web app entry point.

mod app;
mod compare;
mod components;
mod deflate;
mod i18n;
mod lessons;
mod model;
mod net;
mod pins;
mod sim_link;
mod state;

fn main() {
    yew::set_custom_panic_hook(Box::new(|info| {
        gloo::console::error!(format!("ScaleLab crashed: {info}"));
    }));
    app::mount();
}
