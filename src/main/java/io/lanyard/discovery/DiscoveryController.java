package io.lanyard.discovery;

import io.lanyard.config.LanyardProperties;
import io.lanyard.keys.KeyRotator;
import io.lanyard.keys.KeysProperties;
import io.lanyard.tls.TlsSettings;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;

@Controller("/.well-known")
public class DiscoveryController {
    private final ProviderMetadata metadata;
    private final String cacheControl;

    public DiscoveryController(LanyardProperties lanyard, KeyRotator rotator, KeysProperties keys, TlsSettings tls) {
        this.metadata = new ProviderMetadata(lanyard.issuer(), rotator.algorithms(), tls.mutualTlsMethods());
        this.cacheControl = "public, max-age=" + keys.jwksMaxAge().toSeconds();
    }

    @Get(value = "/openid-configuration", produces = MediaType.APPLICATION_JSON)
    public HttpResponse<String> openidConfiguration() {
        return HttpResponse.ok(metadata.openidConfiguration()).header(HttpHeaders.CACHE_CONTROL, cacheControl);
    }

    @Get(value = "/oauth-authorization-server", produces = MediaType.APPLICATION_JSON)
    public HttpResponse<String> authorizationServer() {
        return HttpResponse.ok(metadata.authorizationServer()).header(HttpHeaders.CACHE_CONTROL, cacheControl);
    }
}
