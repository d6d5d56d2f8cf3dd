package dev.kadmesh.service.rest;

import dev.kadmesh.service.api.ApiError;
import dev.kadmesh.service.api.ApiToken;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ProblemDetail;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.json.JsonMapper;

/**
 * Guards {@code /api/*}: checks the bearer token when one is configured (401 otherwise), and
 * refuses request bodies larger than a maximal message could need (413) before reading them.
 */
public final class ApiAccessFilter extends OncePerRequestFilter {
  private final ApiToken token;
  private final long maxBody;
  private final JsonMapper json = JsonMapper.builder().build();

  /** @param maxBody largest request body accepted, in bytes */
  public ApiAccessFilter(ApiToken token, long maxBody) {
    this.token = token;
    this.maxBody = maxBody;
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    if (!token.accepts(request.getHeader(HttpHeaders.AUTHORIZATION))) {
      response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"kadmesh\"");
      reject(response, ApiError.UNAUTHENTICATED,
          "this node's API requires the bearer token set in kadmesh.api.token");
      return;
    }
    if (request.getContentLengthLong() > maxBody) {
      reject(response, ApiError.PAYLOAD_TOO_LARGE, "request body of "
          + request.getContentLengthLong() + " bytes exceeds the maximum of " + maxBody);
      return;
    }
    chain.doFilter(new LimitedRequest(request, maxBody), response);
  }

  private void reject(HttpServletResponse response, ApiError error, String detail)
      throws IOException {
    ProblemDetail problem = ProblemHandler.problem(error, detail);
    response.setStatus(error.httpStatus());
    response.setContentType("application/problem+json");
    response.getOutputStream().write(json.writeValueAsBytes(problem));
  }

  /** A request whose body stream fails once more than {@code limit} bytes were read. */
  private static final class LimitedRequest extends HttpServletRequestWrapper {
    private final long limit;
    private ServletInputStream stream;

    LimitedRequest(HttpServletRequest request, long limit) {
      super(request);
      this.limit = limit;
    }

    @Override
    public ServletInputStream getInputStream() throws IOException {
      if (stream == null) {
        stream = new LimitedStream(super.getInputStream(), limit);
      }
      return stream;
    }
  }

  private static final class LimitedStream extends ServletInputStream {
    private final ServletInputStream in;
    private final long limit;
    private long read;

    LimitedStream(ServletInputStream in, long limit) {
      this.in = in;
      this.limit = limit;
    }

    @Override
    public int read() throws IOException {
      int b = in.read();
      if (b >= 0) {
        count(1);
      }
      return b;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
      int n = in.read(buf, off, len);
      if (n > 0) {
        count(n);
      }
      return n;
    }

    private void count(int n) throws IOException {
      read += n;
      if (read > limit) {
        throw new BodyTooLargeException(limit);
      }
    }

    @Override
    public boolean isFinished() {
      return in.isFinished();
    }

    @Override
    public boolean isReady() {
      return in.isReady();
    }

    @Override
    public void setReadListener(ReadListener listener) {
      in.setReadListener(listener);
    }
  }

  /** A chunked request body ran past the limit. */
  static final class BodyTooLargeException extends IOException {
    private static final long serialVersionUID = 1L;

    BodyTooLargeException(long limit) {
      super("request body exceeds the maximum of " + limit + " bytes");
    }
  }
}
