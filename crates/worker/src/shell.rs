//! The gloo-worker shell around a [`Session`]: receives the page's
//! messages, reads the worker's clock, schedules ticks and sends the replies
//! back. A paced tick waits with `setTimeout`; a tick due at once (the
//! fastest speed, a sweep) is posted on a `MessageChannel`, which yields to
//! the page's messages like a timer but without the browsers' 4 ms clamp on
//! nested `setTimeout(0)` (at 30 ms per tick, that clamp cost 12 % of the
//! worker's time).

use gloo_timers::callback::Timeout;
use gloo_worker::{HandlerId, Worker, WorkerScope};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};

use crate::protocol::{FromSim, ToSim};
use crate::session::Session;

/// The messages' encoding on both sides: gloo-worker's bincode, whose
/// panic on a message that cannot be encoded or decoded (a page and a worker
/// of different builds) leaves out bincode's error: its `Debug` text pulled
/// std's `io::Error` names and messages into both wasm files.
#[derive(Debug)]
pub struct Wire;

impl gloo_worker::Codec for Wire {
    fn encode<I: serde::Serialize>(input: I) -> JsValue {
        match bincode::serialize(&input) {
            Ok(buf) => js_sys::Uint8Array::from(buf.as_slice()).into(),
            Err(_) => panic!("can't serialize an worker message"),
        }
    }

    fn decode<O: for<'de> serde::Deserialize<'de>>(input: JsValue) -> O {
        match bincode::deserialize(&js_sys::Uint8Array::from(input).to_vec()) {
            Ok(v) => v,
            Err(_) => panic!("can't deserialize an worker message"),
        }
    }
}

/// The simulation worker (spawn it with
/// `SimWorker::spawner().encoding::<Wire>().spawn_with_loader(LOADER_PATH)`).
#[derive(Debug)]
pub struct SimWorker {
    session: Session,
    /// The page's bridge (the last one that wrote).
    page: Option<HandlerId>,
    /// The pending paced tick; dropping it cancels it.
    timer: Option<Timeout>,
    /// Wakes the worker for a tick due at once (see the module's doc).
    wake: Option<Wake>,
    /// A wake-up is posted and not yet delivered.
    posted: bool,
}

/// A message channel whose `port1` sends [`Tick::Due`] when `port2` posts.
#[derive(Debug)]
struct Wake {
    channel: web_sys::MessageChannel,
    _on_message: Closure<dyn FnMut()>,
}

impl Wake {
    fn new(scope: &WorkerScope<SimWorker>) -> Option<Self> {
        let channel = web_sys::MessageChannel::new().ok()?;
        let scope = scope.clone();
        let on_message = Closure::<dyn FnMut()>::new(move || scope.send_message(Tick::Due));
        channel
            .port1()
            .set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        Some(Self {
            channel,
            _on_message: on_message,
        })
    }

    /// Posts a wake-up; false if it could not be posted.
    fn post(&self) -> bool {
        self.channel.port2().post_message(&JsValue::NULL).is_ok()
    }
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
            Some(_) if self.posted => {}
            Some(0) if self.timer.is_none() && self.wake.as_ref().is_some_and(Wake::post) => {
                self.posted = true;
            }
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

    fn create(scope: &WorkerScope<Self>) -> Self {
        Self {
            session: Session::new(),
            page: None,
            timer: None,
            wake: Wake::new(scope),
            posted: false,
        }
    }

    fn update(&mut self, scope: &WorkerScope<Self>, Tick::Due: Tick) {
        self.timer = None;
        self.posted = false;
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
