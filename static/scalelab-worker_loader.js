// Starts the simulation worker (crates/worker; src/sim_link.rs spawns it by
// this file's name, scalelab_worker::LOADER_PATH). trunk builds the worker
// with wasm-bindgen's no-modules target; its own loader shim
// (data-loader-shim) passes the wasm's path as a bare string, which
// wasm-bindgen 0.2.130 reports as deprecated in the console on every load.
importScripts('./scalelab-worker.js');
wasm_bindgen({ module_or_path: './scalelab-worker_bg.wasm' });
