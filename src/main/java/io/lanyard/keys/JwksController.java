package io.lanyard.keys;

import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;

/** Every PENDING, ACTIVE and RETIRED public key, from memory. */
@Controller("/jwks")
public class JwksController {
    private final KeyRingHolder ring;
    private final String cacheControl;

    public JwksController(KeyRingHolder ring, KeysProperties keys) {
        this.ring = ring;
        this.cacheControl = "public, max-age=" + keys.jwksMaxAge().toSeconds();
    }

    @Get(produces = MediaType.APPLICATION_JSON)
    public HttpResponse<byte[]> jwks() {
        return HttpResponse.ok(ring.current().jwks()).header(HttpHeaders.CACHE_CONTROL, cacheControl);
    }
}
