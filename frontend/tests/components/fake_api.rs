//! A stand-in for the API server: replaces the page's `fetch` with a function that returns
//! responses from a fixed table, so that components that call the API can be tested without a server.

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Promise, Reflect};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Headers, Request, Response, ResponseInit, Url};

/// A canned response: HTTP status, content type and body.
pub struct Reply {
    pub status: u16,
    pub content_type: &'static str,
    pub body: String,
}

impl Reply {
    /// Returns a `200 OK` response with a JSON body.
    pub fn json(value: serde_json::Value) -> Self {
        Self {
            status: 200,
            content_type: "application/json",
            body: value.to_string(),
        }
    }

    /// Returns an error page that is not a problem document, such as a proxy sends.
    pub fn html_error(status: u16) -> Self {
        Self {
            status,
            content_type: "text/html",
            body: "<html><body>Bad gateway</body></html>".to_owned(),
        }
    }
}

/// The installed fake. Dropping it puts the browser's `fetch` back.
pub struct FakeApi {
    original_fetch: JsValue,
    requests: Rc<RefCell<Vec<String>>>,
    _handler: Closure<dyn Fn(Request) -> Promise>,
}

impl FakeApi {
    /// Replaces `fetch`. A request for a `(method, path)` in `routes` gets that reply, and
    /// every other request gets a 404 error page.
    pub fn install(routes: Vec<(&'static str, &'static str, Reply)>) -> Self {
        let requests = Rc::new(RefCell::new(Vec::new()));
        let seen = Rc::clone(&requests);
        let handler = Closure::<dyn Fn(Request) -> Promise>::new(move |request: Request| {
            let path = Url::new(&request.url())
                .map(|url| url.pathname())
                .unwrap_or_default();
            let method = request.method();
            seen.borrow_mut().push(format!("{method} {path}"));
            let reply = routes
                .iter()
                .find(|(route_method, route_path, _)| {
                    *route_method == method && *route_path == path
                })
                .map(|(_, _, reply)| reply);
            let response = match reply {
                Some(reply) => respond(&request, reply.status, reply.content_type, &reply.body),
                None => respond(
                    &request,
                    404,
                    "text/html",
                    "<html><body>Not found</body></html>",
                ),
            };
            Promise::resolve(&response)
        });

        let global = js_sys::global();
        let original_fetch = Reflect::get(&global, &"fetch".into()).expect("global fetch");
        Reflect::set(&global, &"fetch".into(), handler.as_ref()).expect("fetch replaced");
        Self {
            original_fetch,
            requests,
            _handler: handler,
        }
    }

    /// Returns the requests received so far, each as `METHOD /path`.
    pub fn requests(&self) -> Vec<String> {
        self.requests.borrow().clone()
    }
}

impl Drop for FakeApi {
    fn drop(&mut self) {
        let _ = Reflect::set(&js_sys::global(), &"fetch".into(), &self.original_fetch);
    }
}

fn respond(request: &Request, status: u16, content_type: &str, body: &str) -> JsValue {
    let headers = Headers::new().expect("headers");
    headers
        .set("content-type", content_type)
        .expect("content-type header");
    let init = ResponseInit::new();
    init.set_status(status);
    init.set_headers(&headers);
    let response: JsValue = Response::new_with_opt_str_and_init(Some(body), &init)
        .expect("a response")
        .into();
    // A constructed response has an empty `url`, which reqwest cannot parse. The property is
    // read-only on the prototype, so the response gets its own.
    let url = js_sys::Object::new();
    Reflect::set(&url, &"value".into(), &request.url().into()).expect("descriptor");
    Reflect::define_property(
        response.unchecked_ref::<js_sys::Object>(),
        &"url".into(),
        &url,
    )
    .expect("url property");
    response
}
