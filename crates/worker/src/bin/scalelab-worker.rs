//! The web worker's entry point: registers [`SimWorker`] with gloo-worker.
//! Trunk builds it (index.html, `data-type="worker"`) into
//! `scalelab-worker.js` + `scalelab-worker_bg.wasm`; the page starts it with
//! `static/scalelab-worker_loader.js`.

use gloo_worker::Registrable;
use scalelab_worker::shell::Wire;
use scalelab_worker::SimWorker;

fn main() {
    SimWorker::registrar().encoding::<Wire>().register();
}
