package dev.kadmesh.service.rest;

import dev.kadmesh.service.api.ApiError;
import dev.kadmesh.service.api.ApiException;
import java.net.URI;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Turns every failure of the REST API into an RFC 7807 problem response: API errors with their
 * status, Spring MVC's own (malformed JSON, wrong method or media type) as Spring maps them, and
 * anything else as a 500 whose details stay in the log. Never a stack trace.
 */
@RestControllerAdvice
class ProblemHandler extends ResponseEntityExceptionHandler {
  private static final Logger log = LoggerFactory.getLogger(ProblemHandler.class);

  static ProblemDetail problem(ApiError error, String detail) {
    ProblemDetail p = ProblemDetail.forStatusAndDetail(HttpStatusCode.valueOf(error.httpStatus()),
        detail);
    p.setType(URI.create(error.type()));
    p.setTitle(error.title());
    return p;
  }

  @ExceptionHandler(ApiException.class)
  ResponseEntity<ProblemDetail> api(ApiException e) {
    return ResponseEntity.status(e.error().httpStatus())
        .contentType(MediaType.APPLICATION_PROBLEM_JSON)
        .body(problem(e.error(), e.getMessage()));
  }

  @ExceptionHandler(Exception.class)
  ResponseEntity<ProblemDetail> unexpected(Exception e) {
    // a streaming client (Server-Sent Events) that went away: nothing to answer or report
    // (Spring's own AsyncRequestNotUsableException is handled by the base class the same way)
    if (org.springframework.web.util.DisconnectedClientHelper.isClientDisconnectedException(e)) {
      log.debug("client went away: {}", e.toString());
      return null;
    }
    log.error("REST API call failed unexpectedly", e);
    return ResponseEntity.status(500)
        .contentType(MediaType.APPLICATION_PROBLEM_JSON)
        .body(problem(ApiError.INTERNAL, "internal error; see the node's log"));
  }

  @Override
  protected ResponseEntity<Object> handleExceptionInternal(
      Exception ex, Object body, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
    if (ex instanceof org.springframework.http.converter.HttpMessageNotReadableException) {
      for (Throwable t = ex; t != null; t = t.getCause()) {
        if (t instanceof ApiAccessFilter.BodyTooLargeException tooLarge) {
          return ResponseEntity.status(413).contentType(MediaType.APPLICATION_PROBLEM_JSON)
              .body(problem(ApiError.PAYLOAD_TOO_LARGE, tooLarge.getMessage()));
        }
      }
      if (body instanceof ProblemDetail p) {
        p.setDetail("the request body is not valid JSON for this operation");
      }
    }
    return super.handleExceptionInternal(ex, body, headers, status, request);
  }
}
