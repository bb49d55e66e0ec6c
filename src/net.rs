//! Fetching the files trunk copies next to the page (lesson data and text,
//! the Korean UI table): plain `window.fetch` through web-sys, the smallest
//! way in wasm bytes (gloo-net adds its request builder and headers).

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// The text of `path` (relative to the page, so `dist/` works under any
/// sub-path), or a message naming the file and what went wrong.
pub async fn fetch_text(path: &str) -> Result<String, String> {
    let fail = |why: String| format!("{path}: {why}");
    let reply = JsFuture::from(gloo::utils::window().fetch_with_str(path))
        .await
        .map_err(|e| fail(e.as_string().unwrap_or_else(|| "network error".into())))?;
    let reply: web_sys::Response = reply.unchecked_into();
    if !reply.ok() {
        return Err(fail(format!("HTTP {}", reply.status())));
    }
    let text = reply.text().map_err(|_| fail("unreadable".into()))?;
    JsFuture::from(text)
        .await
        .ok()
        .and_then(|t| t.as_string())
        .ok_or_else(|| fail("unreadable".into()))
}
