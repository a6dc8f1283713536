//! The one error table: every failure the edge can report, its HTTP status and its stable code.
//!
//! API routes answer with the envelope `{"error":{"code","message","message_en","field"}}`;
//! pages render the same texts in HTML. Nothing here ever includes a full ID number.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use jiuye_domain::CodeError;
use jiuye_domain::messages::{Lang, render};
use jiuye_store::StoreError;

#[derive(Debug)]
pub enum ApiError {
    /// Input that failed a parser or rule (all problems, first one leads the envelope).
    Invalid(Vec<CodeError>),
    /// The body is not JSON, or not the shape we expect.
    BadBody {
        code: &'static str,
        field: Option<String>,
        detail: String,
    },
    Unauthenticated,
    Forbidden,
    NotFound,
    Conflict(&'static str),
    /// A domain rule refused the action; its code and arguments say why (e.g. naming the
    /// existing registration).
    Refused(CodeError),
    /// What the request points at is no longer kept (a feed cursor behind the pruned log).
    Gone(CodeError),
    /// A byte range beyond the representation.
    BadRange(CodeError),
    Locked,
    Throttled,
    Csrf,
    PayloadTooLarge,
    UnsupportedMediaType,
    MethodNotAllowed,
    Unavailable,
    Internal,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    pub code: String,
    /// zh-CN text.
    pub message: String,
    pub message_en: String,
    /// The input field at fault, when there is one.
    pub field: Option<String>,
    /// Every problem when more than one field is at fault.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub details: Vec<ErrorDetail>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ErrorDetail {
    pub code: String,
    pub message: String,
    pub message_en: String,
    pub field: Option<String>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ErrorEnvelope {
    pub error: ErrorBody,
}

impl ApiError {
    pub fn invalid(e: CodeError) -> Self {
        ApiError::Invalid(vec![e])
    }

    /// The table. Status and code for each kind of failure, in one place.
    pub fn status_and_code(&self) -> (StatusCode, &'static str) {
        match self {
            ApiError::Invalid(errs) => {
                (StatusCode::UNPROCESSABLE_ENTITY, errs.first().map(|e| e.code).unwrap_or("input.invalid"))
            }
            ApiError::BadBody { code, .. } => (StatusCode::BAD_REQUEST, code),
            ApiError::Unauthenticated => (StatusCode::UNAUTHORIZED, "auth.required"),
            ApiError::Forbidden => (StatusCode::FORBIDDEN, "auth.forbidden"),
            ApiError::NotFound => (StatusCode::NOT_FOUND, "not_found"),
            ApiError::Conflict(what) => (StatusCode::CONFLICT, conflict_code(what)),
            ApiError::Refused(e) => (StatusCode::CONFLICT, e.code),
            ApiError::Gone(e) => (StatusCode::GONE, e.code),
            ApiError::BadRange(e) => (StatusCode::RANGE_NOT_SATISFIABLE, e.code),
            ApiError::Locked => (StatusCode::LOCKED, "auth.locked"),
            ApiError::Throttled => (StatusCode::TOO_MANY_REQUESTS, "auth.throttled"),
            ApiError::Csrf => (StatusCode::FORBIDDEN, "auth.csrf"),
            ApiError::PayloadTooLarge => (StatusCode::PAYLOAD_TOO_LARGE, "input.too_large"),
            ApiError::UnsupportedMediaType => (StatusCode::UNSUPPORTED_MEDIA_TYPE, "input.content_type"),
            ApiError::MethodNotAllowed => (StatusCode::METHOD_NOT_ALLOWED, "http.method"),
            ApiError::Unavailable => (StatusCode::SERVICE_UNAVAILABLE, "unavailable"),
            ApiError::Internal => (StatusCode::INTERNAL_SERVER_ERROR, "internal"),
        }
    }

    pub fn body(&self) -> ErrorBody {
        let (_, code) = self.status_and_code();
        match self {
            ApiError::Invalid(errs) => {
                let lead = errs.first();
                ErrorBody {
                    code: code.to_string(),
                    message: lead.map(|e| e.message_zh()).unwrap_or_default(),
                    message_en: lead.map(|e| e.message_en()).unwrap_or_default(),
                    field: lead.and_then(|e| e.field.clone()),
                    details: if errs.len() > 1 {
                        errs.iter()
                            .map(|e| ErrorDetail {
                                code: e.code.to_string(),
                                message: e.message_zh(),
                                message_en: e.message_en(),
                                field: e.field.clone(),
                            })
                            .collect()
                    } else {
                        Vec::new()
                    },
                }
            }
            ApiError::Refused(e) | ApiError::Gone(e) | ApiError::BadRange(e) => ErrorBody {
                code: code.to_string(),
                message: e.message_zh(),
                message_en: e.message_en(),
                field: e.field.clone(),
                details: Vec::new(),
            },
            ApiError::BadBody { field, detail, .. } => {
                let args = [("detail", detail.clone()), ("field", field.clone().unwrap_or_default())];
                ErrorBody {
                    code: code.to_string(),
                    message: render(code, Lang::Zh, &args),
                    message_en: render(code, Lang::En, &args),
                    field: field.clone(),
                    details: Vec::new(),
                }
            }
            _ => ErrorBody {
                code: code.to_string(),
                message: render(code, Lang::Zh, &[]),
                message_en: render(code, Lang::En, &[]),
                field: match self {
                    ApiError::Conflict(what) => Some(conflict_field(what).to_string()),
                    _ => None,
                },
                details: Vec::new(),
            },
        }
    }
}

fn conflict_code(what: &str) -> &'static str {
    match what {
        "national_id" => "conflict.national_id",
        "credit_code" => "conflict.credit_code",
        "login" => "conflict.login",
        "national_id_immutable" => "conflict.national_id_immutable",
        "credit_code_immutable" => "conflict.credit_code_immutable",
        "vacancy_status" => "conflict.vacancy_status",
        "application" => "conflict.application",
        "application_transition" => "conflict.application_transition",
        "vacancy_not_open" => "conflict.vacancy_not_open",
        "registration" => "conflict.registration",
        "provider" => "conflict.provider",
        "batch_key" => "conflict.batch_key",
        "claim_duplicate" => "conflict.claim_duplicate",
        "enrolment" => "conflict.enrolment",
        "certificate" => "conflict.certificate",
        "claim_transition" => "conflict.claim_transition",
        _ => "conflict",
    }
}

fn conflict_field(what: &str) -> &'static str {
    match what {
        "national_id" | "national_id_immutable" => "national_id",
        "credit_code" | "credit_code_immutable" => "credit_code",
        "login" => "username",
        "vacancy_status" | "application_transition" | "claim_transition" => "status",
        "claim_duplicate" => "policy",
        "application" | "vacancy_not_open" => "vacancy_id",
        _ => "",
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => ApiError::NotFound,
            StoreError::Conflict { what } => ApiError::Conflict(what),
            StoreError::Refused(e) => ApiError::Refused(e),
            StoreError::Corrupt(msg) => {
                tracing::error!(%msg, "corrupt stored data");
                ApiError::Internal
            }
            StoreError::Db(err) => {
                tracing::error!(%err, "database error");
                ApiError::Unavailable
            }
        }
    }
}

impl From<jiuye_core::CoreError> for ApiError {
    fn from(e: jiuye_core::CoreError) -> Self {
        use jiuye_core::CoreError as C;
        match e {
            C::NotFound => ApiError::NotFound,
            C::Forbidden => ApiError::Forbidden,
            C::Unauthenticated => ApiError::Unauthenticated,
            C::Invalid(errs) => ApiError::Invalid(errs),
            C::Refused(e) => ApiError::Refused(e),
            C::Conflict(what) => ApiError::Conflict(what),
            C::Store(e) => ApiError::from(e),
        }
    }
}

impl From<CodeError> for ApiError {
    fn from(e: CodeError) -> Self {
        ApiError::Invalid(vec![e])
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, _) = self.status_and_code();
        let mut resp = (status, axum::Json(ErrorEnvelope { error: self.body() })).into_response();
        if matches!(self, ApiError::Unauthenticated) {
            resp.headers_mut().insert("www-authenticate", axum::http::HeaderValue::from_static("Cookie"));
        }
        resp
    }
}

pub type ApiResult<T> = Result<T, ApiError>;
