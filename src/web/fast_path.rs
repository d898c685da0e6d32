//! The hot path: a GET or HEAD for a prebuilt public page is answered here, before routing and the
//! other middleware, with the same headers they would give it. Everything else (redirects, search,
//! the audience form, the editor area, 404s) goes on to the router.

use super::AppState;
use super::response::Respond;
use actix_web::body::{BoxBody, EitherBody, MessageBody};
use actix_web::dev::{Service, ServiceRequest, ServiceResponse, Transform, forward_ready};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::http::{Method, StatusCode};
use actix_web::web;
use futures_util::future::{Either, MapOk, Ready, TryFutureExt, ready};
use std::rc::Rc;

/// The headers every response carries (see [`super::security_headers`]), and whether to log requests.
#[derive(Clone)]
pub struct PrebuiltPages {
    headers: Rc<[(HeaderName, HeaderValue)]>,
    log_requests: bool,
}

impl PrebuiltPages {
    pub fn new(https: bool, log_requests: bool) -> Self {
        PrebuiltPages {
            headers: super::security_header_list(https).into(),
            log_requests,
        }
    }
}

impl<S, B> Transform<S, ServiceRequest> for PrebuiltPages
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    type Response = ServiceResponse<EitherBody<B, BoxBody>>;
    type Error = actix_web::Error;
    type Transform = PrebuiltPagesService<S>;
    type InitError = ();
    type Future = Ready<Result<Self::Transform, ()>>;

    fn new_transform(&self, service: S) -> Self::Future {
        ready(Ok(PrebuiltPagesService {
            service,
            pages: self.clone(),
        }))
    }
}

pub struct PrebuiltPagesService<S> {
    service: S,
    pages: PrebuiltPages,
}

type Response<B> = ServiceResponse<EitherBody<B, BoxBody>>;
type Routed<S, B> =
    MapOk<<S as Service<ServiceRequest>>::Future, fn(ServiceResponse<B>) -> Response<B>>;

impl<S, B> Service<ServiceRequest> for PrebuiltPagesService<S>
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    type Response = Response<B>;
    type Error = actix_web::Error;
    type Future = Either<Ready<Result<Response<B>, actix_web::Error>>, Routed<S, B>>;

    forward_ready!(service);

    fn call(&self, req: ServiceRequest) -> Self::Future {
        if matches!(*req.method(), Method::GET | Method::HEAD)
            && let Some(state) = req.app_data::<web::Data<AppState>>()
        {
            let started = std::time::Instant::now();
            let snapshot = state.snapshot();
            // `/?audience=ID` is its own page, which the home handler picks.
            let home_with_query = req.path() == "/" && !req.query_string().is_empty();
            if !home_with_query && let Some(page) = snapshot.page(req.path()) {
                let mut response = page.respond(req.request(), StatusCode::OK);
                let headers = response.headers_mut();
                for (name, value) in self.pages.headers.iter() {
                    headers.insert(name.clone(), value.clone());
                }
                if self.pages.log_requests {
                    super::log_line(req.method(), req.path(), response.status(), started);
                }
                crate::metrics::record_request(
                    req.path(),
                    response.status().as_u16(),
                    started.elapsed().as_secs_f64(),
                    super::known_size(response.body().size()),
                );
                return Either::Left(ready(Ok(req.into_response(response).map_into_right_body())));
            }
        }
        let routed: fn(ServiceResponse<B>) -> Response<B> = ServiceResponse::map_into_left_body;
        Either::Right(self.service.call(req).map_ok(routed))
    }
}
