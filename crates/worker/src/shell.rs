//! The gloo-worker shell around a [`Session`]: receives the page's
//! messages, reads the worker's clock, schedules ticks with `setTimeout`
//! and sends the replies back.

use gloo_timers::callback::Timeout;
use gloo_worker::{HandlerId, Worker, WorkerScope};
use wasm_bindgen::JsCast;

use crate::protocol::{FromSim, ToSim};
use crate::session::Session;

/// The simulation worker (spawn it with
/// `SimWorker::spawner().spawn_with_loader(LOADER_PATH)`).
#[derive(Debug)]
pub struct SimWorker {
    session: Session,
    /// The page's bridge (the last one that wrote).
    page: Option<HandlerId>,
    /// The pending tick; dropping it cancels it.
    timer: Option<Timeout>,
}

/// The worker's own messages.
#[derive(Debug, Clone, Copy)]
pub enum Tick {
    /// Time to run the simulated time owed.
    Due,
}

/// `performance.now()` in the worker, 0 where there is none.
fn now_ms() -> f64 {
    js_sys::global()
        .dyn_into::<web_sys::WorkerGlobalScope>()
        .ok()
        .and_then(|g| g.performance())
        .map_or(0.0, |p| p.now())
}

/// Size of this worker's wasm memory, bytes.
fn memory_bytes() -> u64 {
    wasm_bindgen::memory()
        .dyn_into::<js_sys::WebAssembly::Memory>()
        .map_or(0, |m| {
            m.buffer()
                .dyn_into::<js_sys::ArrayBuffer>()
                .map_or(0, |b| u64::from(b.byte_length()))
        })
}

impl SimWorker {
    fn send(&self, scope: &WorkerScope<Self>, replies: Vec<FromSim>) {
        if let Some(id) = self.page {
            for mut reply in replies {
                if let FromSim::Advanced {
                    worker_memory_bytes,
                    ..
                } = &mut reply
                {
                    *worker_memory_bytes = memory_bytes();
                }
                scope.respond(id, reply);
            }
        }
    }

    /// Schedules the next tick if the session is playing and none is pending.
    fn schedule(&mut self, scope: &WorkerScope<Self>) {
        match self.session.next_tick_ms() {
            Some(delay_ms) if self.timer.is_none() => {
                let scope = scope.clone();
                self.timer = Some(Timeout::new(delay_ms, move || {
                    scope.send_message(Tick::Due);
                }));
            }
            Some(_) => {}
            None => self.timer = None,
        }
    }
}

impl Worker for SimWorker {
    type Message = Tick;
    type Input = ToSim;
    type Output = FromSim;

    fn create(_scope: &WorkerScope<Self>) -> Self {
        Self {
            session: Session::new(),
            page: None,
            timer: None,
        }
    }

    fn update(&mut self, scope: &WorkerScope<Self>, Tick::Due: Tick) {
        self.timer = None;
        let mut replies: Vec<FromSim> = self.session.tick(&mut now_ms).into_iter().collect();
        replies.extend(self.session.sweep_tick(&mut now_ms));
        self.send(scope, replies);
        self.schedule(scope);
    }

    fn received(&mut self, scope: &WorkerScope<Self>, msg: ToSim, id: HandlerId) {
        self.page = Some(id);
        let replies = self.session.handle(msg, &mut now_ms);
        self.send(scope, replies);
        self.schedule(scope);
    }
}
