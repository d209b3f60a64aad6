package io.lanyard.authorize;

import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.views.ModelAndView;

import java.util.HashMap;
import java.util.Map;

/** HTML answers: never cached, never framed (clickjacking a login form), no scripts at all. */
public final class Pages {
    private static final String CSP = "default-src 'none'; style-src 'self'; img-src 'self'; "
            + "frame-ancestors 'none'; base-uri 'none'";

    private Pages() {
    }

    public static MutableHttpResponse<?> render(HttpStatus status, String view, Map<String, Object> model) {
        return secure(HttpResponse.status(status).body(new ModelAndView<>(view, model)));
    }

    public static MutableHttpResponse<?> message(HttpStatus status, String title, String message) {
        Map<String, Object> model = new HashMap<>();
        model.put("title", title);
        model.put("message", message);
        model.put("alert", status.getCode() >= 400);
        return render(status, "message", model);
    }

    /**
     * A message page without the template engine, for exception handlers: Micronaut does not run
     * the views filter on the responses they return. Title and message are fixed text of ours.
     */
    public static MutableHttpResponse<String> staticMessage(HttpStatus status, String title, String message) {
        String html = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" "
                + "content=\"width=device-width, initial-scale=1\"><title>" + escape(title) + " · Lanyard</title>"
                + "<link rel=\"stylesheet\" href=\"/assets/lanyard.css\"></head><body><main><h1>" + escape(title)
                + "</h1><p role=\"alert\">" + escape(message) + "</p></main></body></html>\n";
        return secure(HttpResponse.<String>status(status).contentType(MediaType.TEXT_HTML_TYPE).body(html));
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    /** 303 after a POST, so a reload does not post the password again. */
    public static MutableHttpResponse<?> seeOther(String location) {
        return secure(HttpResponse.status(HttpStatus.SEE_OTHER).header(HttpHeaders.LOCATION, location));
    }

    public static MutableHttpResponse<?> found(String location) {
        return secure(HttpResponse.status(HttpStatus.FOUND).header(HttpHeaders.LOCATION, location));
    }

    private static <T> MutableHttpResponse<T> secure(MutableHttpResponse<T> response) {
        return response.header(HttpHeaders.CACHE_CONTROL, "no-store")
                .header("Content-Security-Policy", CSP)
                .header("X-Frame-Options", "DENY")
                .header("X-Content-Type-Options", "nosniff")
                // The page's URL carries the authorization request: no other origin may learn it.
                // Not "no-referrer": under it browsers send "Origin: null" with the page's own form
                // POSTs, and Micronaut's drive-by-localhost guard answers those with an empty 403
                // whenever Lanyard is reached on localhost/127.x (dev mode, kubectl port-forward).
                .header("Referrer-Policy", "same-origin");
    }
}
